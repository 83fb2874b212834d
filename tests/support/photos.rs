//! The photo tests' shared parts: two clients with a session each,
//! generated JPEGs (one with GPS tags), `photo add` run in a sandbox, and
//! the stored files and rows read back.

use super::cipher::pass;
use super::cli::Sandbox;
use super::store::{full_series, full_session, open_at, other_client};
use needlelog::db::Store;
use needlelog::db::cipher;
use needlelog::photo::{FileKey, Format, PhotoStore, photo_dir};
use std::path::{Path, PathBuf};

pub const ANA: &str = "Ana Souza";
/// The other client (`other_client`), whose name holds Ana's.
pub const BEA: &str = "Ana Souza-Lima";

/// A JPEG whose pixels depend on `tint`, at `sb.path(name)`.
pub fn jpeg(sb: &Sandbox, name: &str, tint: u8) -> PathBuf {
    jpeg_at(&sb.path(name), tint)
}

/// A 64×48 JPEG whose pixels depend on `tint`, written to `path`.
pub fn jpeg_at(path: &std::path::Path, tint: u8) -> PathBuf {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([tint, (x * 3) as u8, (y * 5) as u8])
    });
    img.save_with_format(path, image::ImageFormat::Jpeg)
        .unwrap();
    path.to_path_buf()
}

/// A big-endian EXIF block: camera make, a body serial and a GPS latitude.
pub fn gps_exif() -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]) {
        out.extend(tag.to_be_bytes());
        out.extend(typ.to_be_bytes());
        out.extend(count.to_be_bytes());
        out.extend(value);
    }
    // IFD0 at 8: make (offset), GPS pointer; GPS IFD after it; data last.
    let ifd0_len = 2 + 2 * 12 + 4;
    let gps_at = 8 + ifd0_len;
    let gps_len = 2 + 2 * 12 + 4;
    let data_at = gps_at + gps_len;
    let make = b"SecretCam\0";
    let lat_at = data_at + make.len();
    let mut out = b"MM\0\x2a\0\0\0\x08".to_vec();
    out.extend(2u16.to_be_bytes());
    entry(
        &mut out,
        0x010F,
        2,
        make.len() as u32,
        (data_at as u32).to_be_bytes(),
    );
    entry(&mut out, 0x8825, 4, 1, (gps_at as u32).to_be_bytes());
    out.extend([0; 4]);
    out.extend(2u16.to_be_bytes());
    entry(&mut out, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut out, 0x0002, 5, 3, (lat_at as u32).to_be_bytes());
    out.extend([0; 4]);
    out.extend(make);
    for (n, d) in [(51u32, 1u32), (30, 1), (1234, 100)] {
        out.extend(n.to_be_bytes());
        out.extend(d.to_be_bytes());
    }
    out
}

/// A JPEG with GPS tags as a phone writes it.
pub fn gps_jpeg(sb: &Sandbox, name: &str) -> PathBuf {
    let plain = jpeg(sb, name, 90);
    let bytes = std::fs::read(&plain).unwrap();
    let app1 = [b"Exif\0\0".as_slice(), &gps_exif()].concat();
    let mut out = bytes[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&bytes[2..]);
    std::fs::write(&plain, out).unwrap();
    plain
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The sandbox's database holding Ana (one series, one session) and Bea
/// (one series, one session).
pub fn with_clients() -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    let db = sb.db();
    let mut store = open_at(&db);
    for draft in [super::store::full_client(), other_client()] {
        let c = store.create_client(&draft, Some(&full_series())).unwrap();
        let series = store.series_of(c.id).unwrap().remove(0);
        store.create_session(series.id, &full_session()).unwrap();
    }
    drop(store);
    (sb, db)
}

pub fn db_arg(db: &Path) -> &str {
    db.to_str().unwrap()
}

pub fn add(
    sb: &Sandbox,
    db: &Path,
    client: &str,
    view: &str,
    files: &[&Path],
) -> std::process::Output {
    let mut args = vec![
        "photo".to_string(),
        "add".into(),
        "--db".into(),
        db_arg(db).into(),
        "--client".into(),
        client.into(),
        "--view".into(),
        view.into(),
    ];
    args.extend(files.iter().map(|f| f.display().to_string()));
    sb.run(&args)
}

pub fn stored(db: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(photo_dir(db)) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// Every row's file, read back through the store (hash verified).
pub fn read_back(db: &Path, key: Option<&str>) -> Vec<Vec<u8>> {
    match key {
        Some(k) => cipher::remember(db, pass(k)),
        None => cipher::forget(db),
    }
    let store = Store::open(db).unwrap();
    let files = PhotoStore::for_db(db);
    let out = store
        .photo_files()
        .unwrap()
        .into_iter()
        .map(|f| {
            let key = f.file_key.as_deref().map(|k| FileKey::from_hex(k).unwrap());
            files
                .get(&f.sha256, Format::parse(&f.format).unwrap(), key.as_ref())
                .unwrap()
        })
        .collect();
    cipher::forget(db);
    out
}

pub fn keys(db: &Path, key: Option<&str>) -> Vec<Option<String>> {
    match key {
        Some(k) => cipher::remember(db, pass(k)),
        None => cipher::forget(db),
    }
    let out = Store::open(db)
        .unwrap()
        .photo_files()
        .unwrap()
        .into_iter()
        .map(|f| f.file_key)
        .collect();
    cipher::forget(db);
    out
}
