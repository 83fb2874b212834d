//! SVG to PNG in-process with resvg, using DejaVu Sans Mono from the
//! system's fonts (Debian: fonts-dejavu-core).

use super::svg::FONT_FAMILY;
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

/// Renders `svg` (from [`super::to_svg`]) to PNG bytes at `scale` (1.0 =
/// one SVG unit per pixel). Fails with a clear message when the font is
/// missing rather than drawing boxes for every letter.
pub fn to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_system_fonts();
    let query = usvg::fontdb::Query {
        families: &[usvg::fontdb::Family::Name(FONT_FAMILY)],
        ..Default::default()
    };
    if fonts.query(&query).is_none() {
        return Err(format!(
            "the font {FONT_FAMILY} is not installed (Debian/Ubuntu: apt-get install fonts-dejavu-core)"
        ));
    }
    fonts.set_monospace_family(FONT_FAMILY);
    let options = usvg::Options {
        fontdb: Arc::new(fonts),
        ..Default::default()
    };
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| format!("drawing the picture: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("picture size out of range")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("picture too large")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("encoding the PNG: {e}"))
}
