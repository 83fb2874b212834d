//! Reading a photo the user points at: their file is opened read-only and
//! never changed; what is stored is the stripped copy.

use super::{PhotoError, Stripped, sha256_hex, sniff, strip};
use chrono::{DateTime, Local, NaiveDateTime, Timelike};
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;

/// Where [`Source::taken_at`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenFrom {
    /// EXIF DateTimeOriginal, else DateTimeDigitized.
    Exif,
    /// The file's modified time, in local time, to the second.
    FileTime,
}

/// A user's photo, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub stripped: Stripped,
    /// SHA-256 hex of `stripped.bytes`: the stored file's name.
    pub hash: String,
    pub taken_at: NaiveDateTime,
    pub taken_from: TakenFrom,
}

fn open_error(path: &Path, e: std::io::Error) -> PhotoError {
    let path = path.to_path_buf();
    match e.kind() {
        ErrorKind::NotFound => PhotoError::NoSuchFile { path },
        ErrorKind::PermissionDenied => PhotoError::NoPermission { path },
        ErrorKind::IsADirectory => PhotoError::NotAFile { path },
        _ => PhotoError::io(&path, e),
    }
}

/// Reads, checks and strips the photo at `path`. Every message names it.
pub fn source_facts(path: &Path) -> Result<Source, PhotoError> {
    let meta = fs::metadata(path).map_err(|e| open_error(path, e))?;
    if meta.is_dir() {
        return Err(PhotoError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| open_error(path, e))?;
    let format = sniff(&bytes).map_err(|e| e.in_file(path))?;
    let stripped = strip(&bytes, format).map_err(|e| e.in_file(path))?;
    let hash = sha256_hex(&stripped.bytes);
    let (taken_at, taken_from) = match stripped.taken_at {
        Some(t) => (t, TakenFrom::Exif),
        None => {
            let modified = meta.modified().map_err(|e| PhotoError::io(path, e))?;
            let local = DateTime::<Local>::from(modified).naive_local();
            (
                local.with_nanosecond(0).unwrap_or(local),
                TakenFrom::FileTime,
            )
        }
    };
    Ok(Source {
        stripped,
        hash,
        taken_at,
        taken_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::{Format, testimg};

    #[test]
    fn a_phone_photo_gives_its_exif_time_and_is_left_untouched() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("IMG_0001.JPG");
        let original = testimg::phone_jpeg(40, 24, 6);
        fs::write(&path, &original).expect("write");
        let before = fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime");
        let src = source_facts(&path).expect("facts");
        assert_eq!(fs::read(&path).expect("read"), original);
        assert_eq!(
            fs::metadata(&path)
                .and_then(|m| m.modified())
                .expect("mtime"),
            before
        );
        assert_eq!(src.taken_from, TakenFrom::Exif);
        assert_eq!(src.taken_at.to_string(), "2024-05-06 07:08:09");
        assert_eq!(src.hash, sha256_hex(&src.stripped.bytes));
        assert_eq!(src.stripped.format, Format::Jpeg);
        assert_eq!(src.stripped.orientation, 6);
    }

    #[test]
    fn without_exif_the_file_time_is_used() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("scan.png");
        fs::write(&path, testimg::png(10, 10)).expect("write");
        let src = source_facts(&path).expect("facts");
        assert_eq!(src.taken_from, TakenFrom::FileTime);
        let mtime = fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime");
        let want = DateTime::<Local>::from(mtime).naive_local();
        assert_eq!(src.taken_at, want.with_nanosecond(0).expect("second"));
    }

    #[test]
    fn every_refusal_names_the_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let msg = |p: &Path| source_facts(p).expect_err("refused").to_string();
        let missing = tmp.path().join("gone.jpg");
        assert_eq!(
            msg(&missing),
            format!("{}: no such file", missing.display())
        );
        assert!(msg(tmp.path()).ends_with("is a folder, not a photo file"));
        let heic = tmp.path().join("IMG_2.HEIC");
        fs::write(&heic, b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").expect("write");
        let m = msg(&heic);
        assert!(
            m.starts_with(&heic.display().to_string()) && m.contains("HEIC"),
            "{m}"
        );
        let empty = tmp.path().join("empty.jpg");
        fs::write(&empty, b"").expect("write");
        assert_eq!(
            msg(&empty),
            format!("{}: the file is empty", empty.display())
        );
        let cut = tmp.path().join("cut.jpg");
        let jpeg = testimg::jpeg(30, 30);
        fs::write(&cut, &jpeg[..jpeg.len() / 2]).expect("write");
        assert!(
            msg(&cut).contains("cut.jpg: this JPEG file cannot be read"),
            "{}",
            msg(&cut)
        );
        // An unreadable file is refused too: tests/cli_photos.rs runs that
        // as another user (root reads anything).
    }
}
