//! Photos as files: the pure, file-level layer under the photo rows,
//! screens and exports (issue 17). No SQL and no terminal here.
//!
//! The path of a photo through this layer:
//!
//! 1. [`read::source_facts`] reads the user's file read-only, refuses what
//!    is not a sound JPEG or PNG ([`format::sniff`]; HEIC, WebP and the
//!    rest get one message saying how to convert), and strips it.
//! 2. [`strip::strip`] removes metadata without recompressing: the
//!    pixels decode identically. A JPEG keeps only JFIF (APP0), the ICC
//!    profile (APP2) and Adobe (APP14) segments, plus a new minimal EXIF
//!    block holding only the Orientation when it was not 1; a PNG keeps
//!    only the chunks decoding needs and the colour chunks. The time the
//!    photo was taken is read before stripping (EXIF DateTimeOriginal,
//!    else DateTimeDigitized, else the file's modified time).
//! 3. A stored photo is named by [`sha256_hex`] of its stripped bytes.
//! 4. [`store::PhotoStore`] keeps the files in `<db stem>.photos/`
//!    beside the database (0700 folder, 0600 files, written through a
//!    temporary file, fsync and rename). When the database is encrypted
//!    each file is sealed ([`seal`]) with its own random [`seal::FileKey`],
//!    which the database keeps as hex TEXT.
//! 5. [`picture`] decodes a stored photo upright and makes JPEG
//!    thumbnails for the HTML report; [`viewer`] hands a private
//!    temporary copy to the system viewer (`NEEDLELOG_VIEWER`).
//!
//! Every error is a [`PhotoError`] with one line for the user.

pub mod attach;
pub mod format;
pub mod picture;
pub mod read;
pub mod seal;
pub mod store;
pub mod strip;
pub mod viewer;

#[cfg(test)]
pub(crate) mod testimg;

pub use format::{Format, sniff};
pub use read::{Source, TakenFrom, source_facts};
pub use seal::FileKey;
pub use store::{FileState, PhotoStore, photo_dir};

pub use strip::{Stripped, strip};

use std::path::{Path, PathBuf};

/// The lower-case hex SHA-256 of `bytes`: the name of a stored photo
/// (always computed over the stripped, unencrypted bytes).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = openssl::sha::sha256(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// How to turn a photo needlelog does not accept into a JPEG.
pub const CONVERT_HINT: &str = "save it as JPEG first (iPhone: Settings → Camera → Formats → \
Most Compatible; macOS: sips -s format jpeg IN.heic --out OUT.jpg; Linux: heif-convert IN.heic \
OUT.jpg; or export as JPEG from any photo app)";

/// Everything that can go wrong with a photo file, one line each.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "this is a {kind} picture, which needlelog does not take (JPEG and PNG only): {}",
        CONVERT_HINT
    )]
    Unsupported { kind: &'static str },
    #[error("this is not a JPEG or PNG picture: {}", CONVERT_HINT)]
    Unknown,
    #[error("this {format} file cannot be read ({reason}); it may be damaged or cut short")]
    Undecodable {
        format: &'static str,
        reason: String,
    },
    #[error("{}: {source}", path.display())]
    InFile {
        path: PathBuf,
        source: Box<PhotoError>,
    },
    #[error("{}: no such file", path.display())]
    NoSuchFile { path: PathBuf },
    #[error("{}: permission denied; needlelog may not read this file", path.display())]
    NoPermission { path: PathBuf },
    #[error("{} is a folder, not a photo file", path.display())]
    NotAFile { path: PathBuf },
    #[error("{}: the disk is full; nothing was changed", path.display())]
    DiskFull { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the photo file cannot be opened: wrong key, or the file is damaged")]
    Unseal,
    #[error("the photo file is not a sealed needlelog photo")]
    NotSealed,
    #[error("the photo key is not valid (64 hex digits expected)")]
    BadKey,
    #[error("the system could not give random bytes for the photo key: {0}")]
    Random(String),
    #[error("{}: the photo file is damaged ({reason})", path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error("{}: the photo file is missing", path.display())]
    Missing { path: PathBuf },
    #[error("{0:?} is not a photo name (64 hex digits expected)")]
    BadHash(String),
    #[error("the photo could not be converted: {0}")]
    Encode(String),
    #[error("the photo viewer {program} could not be started: {source}")]
    Viewer {
        program: String,
        source: std::io::Error,
    },
}

impl PhotoError {
    /// An io error on `path`; a full disk becomes [`PhotoError::DiskFull`].
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::StorageFull || source.raw_os_error() == Some(28) {
            Self::DiskFull {
                path: path.to_path_buf(),
            }
        } else {
            Self::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }

    /// Prefixes a content error with the file it is about.
    pub fn in_file(self, path: &Path) -> Self {
        match self {
            e @ (Self::InFile { .. }
            | Self::Io { .. }
            | Self::DiskFull { .. }
            | Self::NotAFile { .. }
            | Self::NoSuchFile { .. }
            | Self::NoPermission { .. }
            | Self::Damaged { .. }
            | Self::Missing { .. }) => e,
            e => Self::InFile {
                path: path.to_path_buf(),
                source: Box::new(e),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_standard_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn full_disk_gets_its_own_line() {
        let e = PhotoError::io(Path::new("/x/p.jpg"), std::io::Error::from_raw_os_error(28));
        assert_eq!(
            e.to_string(),
            "/x/p.jpg: the disk is full; nothing was changed"
        );
        let e = PhotoError::Empty.in_file(Path::new("a.jpg"));
        assert_eq!(e.to_string(), "a.jpg: the file is empty");
    }
}
