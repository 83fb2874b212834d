//! Photos on screen: the painter and cache that turn photos into terminal
//! cells, and the compare screen (baseline and a later visit side by side).
//!
//! Drawing stays pure: photos are decoded and encoded for a cell size
//! OUTSIDE `render` ([`PhotoCache::prepare`], for the sizes
//! [`Compare::wanted`] lists), and `render_compare` only reads the cache.
//! Nothing here touches the database or a file.

mod draw;
#[cfg(test)]
mod tests;

pub use draw::render_compare;

// The model and the cache live with the state (`app::photo_view`).
pub use crate::app::photo_view::{
    CACHE_SIZE, Compare, CompareKeys, CompareLayout, CompareView, PROTOCOL_CHOICES, PROTOCOL_ENV,
    PhotoCache, PhotoPainter, Visit, parse_protocol, score_change,
};
