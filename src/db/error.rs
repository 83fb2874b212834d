//! Store errors, each one line a practitioner can act on.

use crate::domain::ValidationError;
use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: not a needlelog database ({reason})", path.display())]
    NotOurs { path: PathBuf, reason: String },
    /// The one line for a wrong passphrase (or a file that only looks
    /// encrypted): which of the two cannot be told apart.
    #[error("wrong passphrase, or not a needlelog database")]
    WrongPassphrase { path: PathBuf },
    #[error("{}: the database is damaged ({detail}); restore it from a backup", path.display())]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "{}: written by a newer needlelog (schema {found}; this version knows up to {supported}); update needlelog",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    #[error("{}: the database is read-only; nothing was changed", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{}: the disk is full; nothing was changed", path.display())]
    DiskFull { path: PathBuf },
    #[error("{}: the database is busy in another needlelog; try again", path.display())]
    Busy { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{entity} not found: {key}")]
    NotFound { entity: &'static str, key: String },
    #[error("{}", join_invalid(.0))]
    Invalid(Vec<ValidationError>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Other(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

fn join_invalid(errors: &[ValidationError]) -> String {
    let parts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!("invalid: {}", parts.join("; "))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

impl From<Vec<ValidationError>> for StoreError {
    fn from(e: Vec<ValidationError>) -> Self {
        Self::Invalid(e)
    }
}

impl From<ValidationError> for StoreError {
    fn from(e: ValidationError) -> Self {
        Self::Invalid(vec![e])
    }
}

impl StoreError {
    /// Turns SQLite's codes for the faults a user can meet into their own
    /// variants, naming the file.
    pub fn from_sqlite(path: &Path, e: rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) => Self::Damaged {
                path,
                detail: "SQLite reports corruption".into(),
            },
            Some(ErrorCode::NotADatabase) => Self::Damaged {
                path,
                detail: "not a valid SQLite file".into(),
            },
            Some(ErrorCode::ReadOnly) => Self::ReadOnly { path },
            Some(ErrorCode::DiskFull) => Self::DiskFull { path },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy { path },
            Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => Self::Io {
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "cannot open the file",
                ),
            },
            // SQLite says "disk I/O error" when its files cannot grow;
            // say what that almost always is, when it is.
            Some(ErrorCode::SystemIoFailure) if disk_nearly_full(&path) => Self::DiskFull { path },
            Some(ErrorCode::SystemIoFailure) => Self::Io {
                path,
                source: std::io::Error::other(e.to_string()),
            },
            _ => Self::Sqlite(e),
        }
    }

    /// Re-reads a raw SQLite error in the light of the file it came from.
    pub fn at(self, path: &Path) -> Self {
        match self {
            Self::Sqlite(e) => Self::from_sqlite(path, e),
            other => other,
        }
    }
}

/// Less than 64 KiB free on the file system holding `path`.
#[cfg(unix)]
fn disk_nearly_full(path: &Path) -> bool {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    rustix::fs::statvfs(dir)
        .is_ok_and(|st| u128::from(st.f_bavail) * u128::from(st.f_frsize) < 64 * 1024)
}

/// Elsewhere a failed write is reported as it came.
#[cfg(not(unix))]
fn disk_nearly_full(_: &Path) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The statvfs call itself (through rustix); the full disk is
    /// `tests/full_disk.rs` (a 1 MiB tmpfs).
    #[test]
    fn a_folder_with_room_is_not_nearly_full() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!disk_nearly_full(&dir.path().join("needlelog.db")));
        assert!(!disk_nearly_full(Path::new("needlelog.db")));
    }
}
