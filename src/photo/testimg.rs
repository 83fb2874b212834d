//! Pictures for the photo tests, generated here (never downloaded): JPEG
//! and PNG files from the `image` crate, and EXIF blocks built by hand
//! with the tags a phone writes (GPS, serial number, make, model, times).

use image::{ImageFormat, Rgb, RgbImage};
use img_parts::Bytes;
use img_parts::png::{Png, PngChunk};
use std::io::Cursor;

pub const SECRETS: &[&[u8]] = &[
    b"SecretCam",
    b"SpyPhone 9",
    b"SN-4242-XYZ",
    b"2024:05:06 07:08:09",
    b"secret-xmp-place",
    b"secret comment",
    // the GPS seconds 1234/100 as two big-endian LONGs
    &[0, 0, 4, 0xD2, 0, 0, 0, 0x64],
];

/// A picture whose pixels differ from place to place.
pub fn pixels(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        Rgb([
            (x * 37 % 256) as u8,
            (y * 53 % 256) as u8,
            ((x + y) * 11 % 256) as u8,
        ])
    })
}

fn encode(w: u32, h: u32, f: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    pixels(w, h)
        .write_to(&mut out, f)
        .expect("encode test image");
    out.into_inner()
}

pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encode(w, h, ImageFormat::Jpeg)
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    encode(w, h, ImageFormat::Png)
}

type Entry = (u16, u16, u32, Vec<u8>);

fn ascii(tag: u16, s: &str) -> Entry {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    (tag, 2, v.len() as u32, v)
}

fn long(tag: u16, n: u32) -> Entry {
    (tag, 4, 1, n.to_be_bytes().to_vec())
}

/// One big-endian IFD placed at `base`, followed by its out-of-line data.
fn ifd(base: usize, entries: &[Entry]) -> Vec<u8> {
    let head = 2 + 12 * entries.len() + 4;
    let mut out = (entries.len() as u16).to_be_bytes().to_vec();
    let mut data = Vec::new();
    for (tag, typ, count, value) in entries {
        out.extend(tag.to_be_bytes());
        out.extend(typ.to_be_bytes());
        out.extend(count.to_be_bytes());
        if value.len() <= 4 {
            let mut v = value.clone();
            v.resize(4, 0);
            out.extend(v);
        } else {
            out.extend(((base + head + data.len()) as u32).to_be_bytes());
            data.extend(value);
            if data.len() % 2 == 1 {
                data.push(0);
            }
        }
    }
    out.extend([0, 0, 0, 0]);
    out.extend(data);
    out
}

/// A TIFF (EXIF) block with make, model, orientation, DateTimeOriginal,
/// a body serial number and a GPS position.
pub fn phone_exif(orientation: u16) -> Vec<u8> {
    let ifd0 = |exif_at: u32, gps_at: u32| {
        vec![
            ascii(0x010F, "SecretCam"),
            ascii(0x0110, "SpyPhone 9"),
            (0x0112, 3, 1, orientation.to_be_bytes().to_vec()),
            long(0x8769, exif_at),
            long(0x8825, gps_at),
        ]
    };
    let len0 = ifd(8, &ifd0(0, 0)).len();
    let exif_base = 8 + len0;
    let exif = ifd(
        exif_base,
        &[
            ascii(0x9003, "2024:05:06 07:08:09"),
            ascii(0xA431, "SN-4242-XYZ"),
        ],
    );
    let gps_base = exif_base + exif.len();
    let rational = |n: u32, d: u32| [n.to_be_bytes(), d.to_be_bytes()].concat();
    let lat = [rational(51, 1), rational(30, 1), rational(1234, 100)].concat();
    let gps = ifd(gps_base, &[ascii(0x0001, "N"), (0x0002, 5, 3, lat)]);
    let mut out = b"MM\0\x2a\0\0\0\x08".to_vec();
    out.extend(ifd(8, &ifd0(exif_base as u32, gps_base as u32)));
    out.extend(exif);
    out.extend(gps);
    out
}

fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, marker];
    v.extend(((contents.len() + 2) as u16).to_be_bytes());
    v.extend(contents);
    v
}

/// A JPEG as a phone might write it: EXIF with GPS and serial, XMP, a comment.
pub fn phone_jpeg(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let plain = jpeg(w, h);
    let mut out = plain[..2].to_vec();
    out.extend(segment(
        0xE1,
        &[b"Exif\0\0".as_slice(), &phone_exif(orientation)].concat(),
    ));
    out.extend(segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>secret-xmp-place</x:xmpmeta>",
    ));
    out.extend(segment(0xFE, b"secret comment"));
    out.extend(&plain[2..]);
    out
}

/// A PNG with text, international text, EXIF and time chunks.
pub fn phone_png(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let mut png = Png::from_bytes(Bytes::from(png(w, h))).expect("own png");
    let chunks = [
        (*b"tEXt", b"Comment\0secret comment".to_vec()),
        (
            *b"iTXt",
            b"XML:com.adobe.xmp\0\0\0\0\0secret-xmp-place".to_vec(),
        ),
        (*b"eXIf", phone_exif(orientation)),
        (*b"tIME", vec![7, 0xE8, 5, 6, 7, 8, 9]),
    ];
    for (i, (kind, data)) in chunks.into_iter().enumerate() {
        png.chunks_mut()
            .insert(1 + i, PngChunk::new(kind, Bytes::from(data)));
    }
    png.encoder().bytes().to_vec()
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
