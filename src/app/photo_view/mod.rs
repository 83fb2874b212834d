//! The compare screen's model and the photo cache: plain values and pure
//! steps that `update` applies, and the cache the effects layer fills
//! (decoding and encoding photos for their cells) and `render` only reads.
//! Drawing them is `crate::ui::photos`.

mod compare;
mod painter;

pub use compare::{Compare, CompareKeys, CompareLayout, CompareView, Visit, score_change};
pub use painter::{
    CACHE_SIZE, PROTOCOL_CHOICES, PROTOCOL_ENV, PhotoCache, PhotoPainter, parse_protocol,
};
