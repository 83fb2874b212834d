//! Removing metadata from a photo without recompressing it.
//!
//! JPEG: of the segments before the image data only APP0 (JFIF), APP2
//! `ICC_PROFILE` and APP14 (`Adobe`, which changes how colours decode) stay,
//! with the tables and frame headers; APP1 (EXIF, XMP), APP13 (IPTC,
//! Photoshop), COM and every other APPn go. Segments between the scans of
//! a progressive JPEG are filtered the same way, and everything after the
//! end-of-image marker (phones append preview images there, with their own
//! EXIF) is dropped. When the EXIF Orientation was not 1 a new EXIF APP1 is
//! written holding only that tag, so the photo still stands upright.
//!
//! PNG: only the chunks decoding needs (IHDR, PLTE, IDAT, IEND, tRNS, the
//! animation chunks) and the colour chunks (iCCP, sRGB, gAMA, cHRM, cICP,
//! sBIT, mDCv, cLLi, bKGD, pHYs) stay; tEXt, zTXt, iTXt, eXIf, tIME and
//! anything unknown go. A non-1 orientation is kept the same way, as a
//! minimal eXIf chunk.
//!
//! The time the photo was taken is read before stripping: EXIF
//! DateTimeOriginal, else DateTimeDigitized (never DateTime, which editors
//! rewrite).

use super::{Format, PhotoError, sniff};
use chrono::NaiveDateTime;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::Png;
use img_parts::{Bytes, ImageEXIF};

/// A photo with its metadata removed, and what was learned before.
#[derive(Debug, Clone, PartialEq)]
pub struct Stripped {
    /// The stored bytes: same compressed pixels, no metadata.
    pub bytes: Vec<u8>,
    pub format: Format,
    /// As stored (before orientation is applied).
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation, 1..=8 (1 when there was none); kept in `bytes`.
    pub orientation: u16,
    /// EXIF DateTimeOriginal, else DateTimeDigitized.
    pub taken_at: Option<NaiveDateTime>,
}

const JPEG_KEEP_APP: [(u8, &[u8]); 3] = [
    (markers::APP0, b""),
    (markers::APP2, b"ICC_PROFILE\0"),
    (markers::APP14, b"Adobe"),
];

const PNG_KEEP: [&[u8; 4]; 18] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"acTL", b"fcTL", b"fdAT", b"iCCP", b"sRGB",
    b"gAMA", b"cHRM", b"cICP", b"sBIT", b"mDCv", b"cLLi", b"bKGD", b"pHYs",
];

fn bad(format: Format, reason: impl ToString) -> PhotoError {
    PhotoError::Undecodable {
        format: format.label(),
        reason: reason.to_string(),
    }
}

/// Strips `bytes` (a JPEG or PNG, as [`sniff`] says) and checks that the
/// result decodes fully. The input is not changed.
pub fn strip(bytes: &[u8], format: Format) -> Result<Stripped, PhotoError> {
    if sniff(bytes)? != format {
        return Err(bad(format, "the file is not of this format"));
    }
    let input = Bytes::copy_from_slice(bytes);
    let (exif, out) = match format {
        Format::Jpeg => {
            let jpeg = Jpeg::from_bytes(input).map_err(|e| bad(format, e))?;
            let exif = jpeg.exif();
            (
                exif.clone(),
                strip_jpeg(jpeg, exif_orientation(exif.as_deref()))?,
            )
        }
        Format::Png => {
            let png = Png::from_bytes(input).map_err(|e| bad(format, e))?;
            let exif = png.exif();
            (
                exif.clone(),
                strip_png(png, exif_orientation(exif.as_deref()))?,
            )
        }
    };
    let orientation = exif_orientation(exif.as_deref());
    let taken_at = exif_taken_at(exif.as_deref());
    // The whole picture must decode: a file cut short is refused here.
    let img = image::load_from_memory_with_format(&out, format.image_format())
        .map_err(|e| bad(format, e))?;
    Ok(Stripped {
        bytes: out,
        format,
        width: img.width(),
        height: img.height(),
        orientation,
        taken_at,
    })
}

fn strip_jpeg(mut jpeg: Jpeg, orientation: u16) -> Result<Vec<u8>, PhotoError> {
    let mut kept = Vec::new();
    let mut found_scan = false;
    for seg in jpeg.segments_mut().drain(..) {
        if seg.has_entropy() {
            let entropy = clean_entropy(&entropy_of(&seg))?;
            kept.push(JpegSegment::new_with_entropy(
                seg.marker(),
                seg.contents().clone(),
                entropy,
            ));
            found_scan = true;
            break;
        }
        if keep_jpeg_segment(seg.marker(), seg.contents()) {
            kept.push(seg);
        }
    }
    if !found_scan {
        return Err(bad(Format::Jpeg, "no image data"));
    }
    *jpeg.segments_mut() = kept;
    if orientation != 1 {
        jpeg.set_exif(Some(Bytes::from(orientation_tiff(orientation))));
    }
    Ok(jpeg.encoder().bytes().to_vec())
}

fn keep_jpeg_segment(marker: u8, contents: &[u8]) -> bool {
    if (markers::APP0..=markers::APP15).contains(&marker) {
        JPEG_KEEP_APP
            .iter()
            .any(|(m, prefix)| *m == marker && contents.starts_with(prefix))
    } else {
        marker != markers::COM
    }
}

/// The bytes after a scan header: img-parts keeps them all (to the end of
/// the file) as the entropy of the first scan.
fn entropy_of(seg: &JpegSegment) -> Bytes {
    seg.clone().encoder().bytes().slice(seg.len()..)
}

/// Walks the scan data to the end-of-image marker: markers inside scans
/// (stuffed bytes, restarts) are skipped, segments between scans are
/// filtered like the header ones, and what follows EOI is dropped.
fn clean_entropy(e: &[u8]) -> Result<Bytes, PhotoError> {
    let mut out = Vec::with_capacity(e.len());
    let mut start = 0;
    let mut i = 0;
    while i + 1 < e.len() {
        if e[i] != 0xFF {
            i += 1;
            continue;
        }
        let m = e[i + 1];
        match m {
            0x00 | 0xD0..=0xD7 | 0x01 => i += 2,
            0xFF => i += 1,
            markers::EOI => {
                out.extend(&e[start..i + 2]);
                return Ok(Bytes::from(out));
            }
            _ => {
                let len = e
                    .get(i + 2..i + 4)
                    .map(|l| u16::from_be_bytes([l[0], l[1]]) as usize)
                    .ok_or_else(|| bad(Format::Jpeg, "the file ends inside the image data"))?;
                let end = i + 2 + len;
                if len < 2 || end > e.len() {
                    return Err(bad(Format::Jpeg, "the file ends inside the image data"));
                }
                if !keep_jpeg_segment(m, &e[i + 4..end]) {
                    out.extend(&e[start..i]);
                    start = end;
                }
                i = end;
            }
        }
    }
    Err(bad(Format::Jpeg, "the file ends before its end marker"))
}

fn strip_png(mut png: Png, orientation: u16) -> Result<Vec<u8>, PhotoError> {
    png.chunks_mut()
        .retain(|c| PNG_KEEP.iter().any(|k| **k == c.kind()));
    if png.chunks().last().map(|c| c.kind()) != Some(*b"IEND") {
        return Err(bad(Format::Png, "the file ends before its end chunk"));
    }
    if orientation != 1 {
        png.set_exif(Some(Bytes::from(orientation_tiff(orientation))));
    }
    Ok(png.encoder().bytes().to_vec())
}

/// A big-endian TIFF block with one IFD holding only Orientation.
pub fn orientation_tiff(orientation: u16) -> Vec<u8> {
    let mut v = b"MM\0\x2a\0\0\0\x08".to_vec();
    v.extend([0, 1]); // one entry
    v.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]); // Orientation, SHORT, count 1
    v.extend(orientation.to_be_bytes());
    v.extend([0, 0]); // value padding
    v.extend([0, 0, 0, 0]); // no next IFD
    v
}

fn read_exif(tiff: Option<&[u8]>) -> Option<exif::Exif> {
    exif::Reader::new().read_raw(tiff?.to_vec()).ok()
}

/// The EXIF orientation (1..=8), 1 when absent or out of range.
pub fn exif_orientation(tiff: Option<&[u8]>) -> u16 {
    read_exif(tiff)
        .and_then(|x| {
            x.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
        })
        .and_then(|o| u16::try_from(o).ok())
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

fn exif_taken_at(tiff: Option<&[u8]>) -> Option<NaiveDateTime> {
    let x = read_exif(tiff)?;
    [exif::Tag::DateTimeOriginal, exif::Tag::DateTimeDigitized]
        .into_iter()
        .find_map(|tag| {
            let f = x.get_field(tag, exif::In::PRIMARY)?;
            let exif::Value::Ascii(ref v) = f.value else {
                return None;
            };
            let dt = exif::DateTime::from_ascii(v.first()?).ok()?;
            chrono::NaiveDate::from_ymd_opt(dt.year.into(), dt.month.into(), dt.day.into())?
                .and_hms_opt(dt.hour.into(), dt.minute.into(), dt.second.into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::testimg::{self, SECRETS, contains};

    fn fields(bytes: &[u8]) -> Vec<exif::Tag> {
        let mut c = std::io::Cursor::new(bytes);
        match exif::Reader::new().read_from_container(&mut c) {
            Ok(x) => x.fields().map(|f| f.tag).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn rgb(bytes: &[u8]) -> image::RgbImage {
        image::load_from_memory(bytes).expect("decodes").to_rgb8()
    }

    fn check_stripped(original: &[u8], format: Format) {
        let copy = original.to_vec();
        for s in SECRETS {
            assert!(contains(original, s), "the test file lacks {s:?}");
        }
        let st = strip(original, format).expect("strips");
        assert_eq!(original, copy.as_slice(), "the input was changed");
        for s in SECRETS {
            assert!(!contains(&st.bytes, s), "{s:?} survived in {format:?}");
        }
        assert_eq!(fields(&st.bytes), vec![exif::Tag::Orientation]);
        assert_eq!(st.orientation, 6);
        assert_eq!(rgb(&st.bytes), rgb(original), "pixels changed");
        assert_eq!((st.width, st.height), (40, 24));
        let taken =
            chrono::NaiveDate::from_ymd_opt(2024, 5, 6).and_then(|d| d.and_hms_opt(7, 8, 9));
        assert_eq!(st.taken_at, taken);
        assert_eq!(st.format, format);
        // stripping again changes nothing
        assert_eq!(strip(&st.bytes, format).expect("again").bytes, st.bytes);
    }

    #[test]
    fn jpeg_loses_gps_serial_xmp_and_comment_but_keeps_orientation_and_pixels() {
        check_stripped(&testimg::phone_jpeg(40, 24, 6), Format::Jpeg);
    }

    #[test]
    fn png_loses_text_exif_and_time_but_keeps_orientation_and_pixels() {
        let png = testimg::phone_png(40, 24, 6);
        check_stripped(&png, Format::Png);
        let st = strip(&png, Format::Png).expect("strips");
        for kind in [b"tEXt", b"iTXt", b"tIME"] {
            assert!(!contains(&st.bytes, kind), "{kind:?} chunk kept");
        }
    }

    #[test]
    fn orientation_one_leaves_no_exif_at_all() {
        let st = strip(&testimg::phone_jpeg(16, 8, 1), Format::Jpeg).expect("strips");
        assert_eq!(st.orientation, 1);
        assert!(fields(&st.bytes).is_empty());
        assert!(!contains(&st.bytes, b"Exif"));
    }

    #[test]
    fn what_follows_the_end_marker_and_segments_between_scans_are_dropped() {
        let mut jpeg = testimg::jpeg(16, 8);
        let end = jpeg.len() - 2;
        // a comment between the last scan and EOI, and a trailer after EOI
        jpeg.splice(
            end..end,
            [0xFF, 0xFE, 0, 9].iter().copied().chain(*b"hidden!"),
        );
        jpeg.extend(b"trailing-preview-with-exif");
        let st = strip(&jpeg, Format::Jpeg).expect("strips");
        assert!(!contains(&st.bytes, b"hidden!"));
        assert!(!contains(&st.bytes, b"trailing-preview"));
        assert!(st.bytes.ends_with(&[0xFF, 0xD9]));
        assert_eq!(rgb(&st.bytes), rgb(&testimg::jpeg(16, 8)));
    }

    #[test]
    fn truncated_files_are_refused() {
        let jpeg = testimg::phone_jpeg(40, 24, 6);
        let e = strip(&jpeg[..jpeg.len() - 40], Format::Jpeg).expect_err("cut short");
        assert!(e.to_string().contains("cannot be read"), "{e}");
        let png = testimg::png(40, 24);
        let e = strip(&png[..png.len() - 12], Format::Png).expect_err("cut short");
        assert!(e.to_string().contains("cannot be read"), "{e}");
        assert!(strip(&png, Format::Jpeg).is_err());
    }

    #[test]
    fn the_orientation_block_reads_back() {
        for o in 1..=8 {
            assert_eq!(exif_orientation(Some(&orientation_tiff(o))), o);
        }
        assert_eq!(exif_orientation(Some(&orientation_tiff(9))), 1);
        assert_eq!(exif_orientation(None), 1);
    }
}
