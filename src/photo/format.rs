//! Which picture format a file holds, by its first bytes (never by its
//! name), and the refusal of everything but sound JPEG and PNG files.

use super::PhotoError;
use std::io::Cursor;

/// The two formats needlelog stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
}

impl Format {
    /// The name kept in the database: "jpeg" or "png".
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
        }
    }

    /// The file extension of a stored plain photo: "jpg" or "png".
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    /// The inverse of [`Format::as_str`].
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }

    pub(crate) fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
        }
    }
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The format of `bytes`, refusing an empty file, every other picture
/// format (named, with how to convert it) and a JPEG or PNG whose header
/// does not decode.
pub fn sniff(bytes: &[u8]) -> Result<Format, PhotoError> {
    let format = magic(bytes)?;
    image::ImageReader::with_format(Cursor::new(bytes), format.image_format())
        .into_dimensions()
        .map_err(|e| PhotoError::Undecodable {
            format: format.label(),
            reason: e.to_string(),
        })?;
    Ok(format)
}

fn magic(b: &[u8]) -> Result<Format, PhotoError> {
    if b.is_empty() {
        return Err(PhotoError::Empty);
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if b.starts_with(PNG_SIGNATURE) {
        return Ok(Format::Png);
    }
    let kind = if b.len() >= 12 && &b[4..8] == b"ftyp" {
        iso_media_kind(b)
    } else if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        Some("WebP")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("GIF")
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        Some("TIFF (or camera RAW)")
    } else if b.starts_with(b"BM") {
        Some("BMP")
    } else if b.starts_with(&[0xFF, 0x0A]) || b.starts_with(b"\0\0\0\x0cJXL ") {
        Some("JPEG XL")
    } else {
        None
    };
    match kind {
        Some(kind) => Err(PhotoError::Unsupported { kind }),
        None => Err(PhotoError::Unknown),
    }
}

/// HEIC/HEIF or AVIF by the brands of an ISO-BMFF `ftyp` box.
fn iso_media_kind(b: &[u8]) -> Option<&'static str> {
    let size = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let end = size.clamp(12, b.len());
    // major brand at 8..12, minor version at 12..16, compatible brands after
    let brands = std::iter::once(&b[8..12]).chain(b.get(16..end).unwrap_or(&[]).chunks_exact(4));
    let mut heif = false;
    for brand in brands {
        match brand {
            b"avif" | b"avis" => return Some("AVIF"),
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                heif = true
            }
            _ => {}
        }
    }
    heif.then_some("HEIC/HEIF")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::testimg;

    fn refused(bytes: &[u8]) -> String {
        match sniff(bytes) {
            Err(e) => e.to_string(),
            Ok(f) => panic!("accepted as {f:?}"),
        }
    }

    #[test]
    fn jpeg_and_png_are_recognised() {
        assert_eq!(sniff(&testimg::jpeg(8, 6)).ok(), Some(Format::Jpeg));
        assert_eq!(sniff(&testimg::png(8, 6)).ok(), Some(Format::Png));
        assert_eq!(Format::Jpeg.extension(), "jpg");
        assert_eq!(Format::parse(Format::Png.as_str()), Some(Format::Png));
    }

    #[test]
    fn heic_is_refused_with_how_to_convert() {
        let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        heic.extend([0; 32]);
        let msg = refused(&heic);
        assert!(msg.contains("HEIC/HEIF"), "{msg}");
        assert!(
            msg.contains("Most Compatible") && msg.contains("sips") && msg.contains("heif-convert")
        );
        let mif1 = b"\0\0\0\x14ftypmif1\0\0\0\0msf1".to_vec();
        assert!(refused(&mif1).contains("HEIC/HEIF"));
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf".to_vec();
        assert!(refused(&avif).contains("AVIF"));
    }

    #[test]
    fn other_formats_are_named() {
        assert!(refused(b"RIFF\x10\0\0\0WEBPVP8 ").contains("WebP"));
        assert!(refused(b"GIF89a\x01\0\x01\0").contains("GIF"));
        assert!(refused(b"II*\0\x08\0\0\0").contains("TIFF"));
        assert!(refused(b"BM\x3a\0\0\0").contains("BMP"));
        let unknown = refused(b"hello, not a picture");
        assert!(unknown.contains("not a JPEG or PNG"), "{unknown}");
        assert_eq!(refused(b""), "the file is empty");
    }

    #[test]
    fn a_broken_header_is_refused() {
        let jpeg = testimg::jpeg(8, 6);
        let msg = refused(&jpeg[..20]);
        assert!(msg.contains("JPEG file cannot be read"), "{msg}");
        let png = testimg::png(8, 6);
        assert!(refused(&png[..12]).contains("PNG file cannot be read"));
    }
}
