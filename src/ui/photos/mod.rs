//! Photos on screen: the painter and cache that turn photos into terminal
//! cells, and the compare screen (baseline and a later visit side by side).
//!
//! Drawing stays pure: photos are decoded and encoded for a cell size
//! OUTSIDE `render` ([`PhotoCache::prepare`], for the sizes
//! [`Compare::wanted`] lists), and `render_compare` only reads the cache.
//! Nothing here touches the database or a file.

mod compare;
mod draw;
mod painter;
#[cfg(test)]
mod tests;

pub use compare::{Compare, CompareKeys, CompareLayout, CompareView, Visit, score_change};
pub use draw::render_compare;

pub use painter::{
    CACHE_SIZE, PROTOCOL_CHOICES, PROTOCOL_ENV, PhotoCache, PhotoPainter, parse_protocol,
};
