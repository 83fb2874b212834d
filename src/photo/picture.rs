//! Pictures for the screens and the HTML report: decoded upright, and
//! downscaled JPEG copies (derived copies may be recompressed; the stored
//! photo never is).

use super::strip::exif_orientation;
use super::{Format, PhotoError};
use image::DynamicImage;
use image::metadata::Orientation;
use img_parts::jpeg::Jpeg;
use img_parts::png::Png;
use img_parts::{Bytes, ImageEXIF};

fn bad(format: Format, e: impl ToString) -> PhotoError {
    PhotoError::Undecodable {
        format: format.label(),
        reason: e.to_string(),
    }
}

/// The EXIF orientation kept in a stored photo (1 when none).
pub fn orientation(plain: &[u8], format: Format) -> u16 {
    let b = Bytes::copy_from_slice(plain);
    let exif = match format {
        Format::Jpeg => Jpeg::from_bytes(b).ok().and_then(|j| j.exif()),
        Format::Png => Png::from_bytes(b).ok().and_then(|p| p.exif()),
    };
    exif_orientation(exif.as_deref())
}

/// Decodes a stored photo and turns it as its EXIF orientation says, so
/// the picture stands upright.
pub fn decode(plain: &[u8], format: Format) -> Result<DynamicImage, PhotoError> {
    let mut img = image::load_from_memory_with_format(plain, format.image_format())
        .map_err(|e| bad(format, e))?;
    let o = u8::try_from(orientation(plain, format)).unwrap_or(1);
    if let Some(o) = Orientation::from_exif(o) {
        img.apply_orientation(o);
    }
    Ok(img)
}

/// An upright JPEG (quality 80) whose longer side is at most `max_side`,
/// keeping the aspect ratio and never enlarging.
pub fn thumbnail_jpeg(plain: &[u8], format: Format, max_side: u32) -> Result<Vec<u8>, PhotoError> {
    let img = decode(plain, format)?;
    let max_side = max_side.max(1);
    let img = if img.width().max(img.height()) > max_side {
        img.resize(max_side, max_side, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img.to_rgb8())
        .map_err(|e| PhotoError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::{sniff, strip, testimg};

    #[test]
    fn orientation_six_stands_the_picture_upright() {
        let st = strip(&testimg::phone_png(40, 24, 6), Format::Png).expect("strip");
        assert_eq!(orientation(&st.bytes, Format::Png), 6);
        let img = decode(&st.bytes, Format::Png).expect("decode");
        assert_eq!((img.width(), img.height()), (24, 40));
        let want = image::imageops::rotate90(&testimg::pixels(40, 24));
        assert_eq!(img.to_rgb8(), want);
        let jpeg = strip(&testimg::phone_jpeg(40, 24, 6), Format::Jpeg).expect("strip");
        let img = decode(&jpeg.bytes, Format::Jpeg).expect("decode");
        assert_eq!((img.width(), img.height()), (24, 40));
        let plain = decode(&testimg::png(40, 24), Format::Png).expect("decode");
        assert_eq!(plain.to_rgb8(), testimg::pixels(40, 24));
    }

    #[test]
    fn thumbnails_shrink_keep_aspect_and_never_grow() {
        let big = testimg::png(400, 200);
        let t = thumbnail_jpeg(&big, Format::Png, 100).expect("thumb");
        assert_eq!(sniff(&t).ok(), Some(Format::Jpeg));
        let img = image::load_from_memory(&t).expect("decode");
        assert_eq!((img.width(), img.height()), (100, 50));
        let small = thumbnail_jpeg(&testimg::jpeg(40, 24), Format::Jpeg, 100).expect("thumb");
        let img = image::load_from_memory(&small).expect("decode");
        assert_eq!((img.width(), img.height()), (40, 24));
        let st = strip(&testimg::phone_jpeg(200, 100, 6), Format::Jpeg).expect("strip");
        let t = thumbnail_jpeg(&st.bytes, Format::Jpeg, 50).expect("thumb");
        let img = image::load_from_memory(&t).expect("decode");
        assert_eq!((img.width(), img.height()), (25, 50));
        assert!(thumbnail_jpeg(b"junk", Format::Jpeg, 50).is_err());
    }
}
