//! The photo files in upkeep: what `check` finds in the photo folder,
//! copying the files a backup or a restore carries, and giving files new
//! keys for `encrypt`, `rekey` and `decrypt`.
//!
//! Rows and files are changed in an order that leaves them matching after
//! a crash at any point: new files are written first (a sealed file's name
//! carries its key's id, so a re-keyed file never replaces the old one),
//! then the rows change in one write, then the old files are removed. A
//! crash leaves at worst files no row names, which `check` lists.

use super::error::StoreError;
use super::photos::PhotoFile;
use super::{Result, Store};
use crate::photo::{FileKey, FileState, Format, PhotoError, PhotoStore};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What `check` learns about the photo folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoReport {
    /// Photo rows.
    pub rows: usize,
    /// Distinct files the rows name.
    pub files: usize,
    /// Files the rows name that are not there.
    pub missing: Vec<PathBuf>,
    /// Files that do not open with their key or no longer match their hash.
    pub damaged: Vec<(PathBuf, String)>,
    /// Files in the photo folder that no row names.
    pub unreferenced: Vec<PathBuf>,
    /// Files stored plain although the database is encrypted (an
    /// `encrypt` that stopped half way; `rekey` seals them).
    pub unsealed: usize,
}

impl PhotoReport {
    pub fn problems(&self) -> usize {
        self.missing.len() + self.damaged.len() + self.unreferenced.len() + self.unsealed.min(1)
    }
}

fn photo_err(e: PhotoError) -> StoreError {
    StoreError::Other(e.to_string())
}

/// The format and key a row gives its file.
fn parts(f: &PhotoFile) -> Result<(Format, Option<FileKey>)> {
    let format = Format::parse(&f.format).ok_or_else(|| {
        StoreError::Other(format!(
            "photo {}: '{}' is not a photo format",
            f.sha256, f.format
        ))
    })?;
    let key = f
        .file_key
        .as_deref()
        .map(FileKey::from_hex)
        .transpose()
        .map_err(|e| StoreError::Other(format!("photo {}: {e}", f.sha256)))?;
    Ok((format, key))
}

impl Store {
    /// How many photo rows there are.
    pub fn photo_total(&self) -> Result<usize> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM photos", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Reads every photo file the rows name (checking its hash, and its
    /// seal when it has a key) and lists the folder's files no row names.
    pub fn photo_report(&self) -> Result<PhotoReport> {
        let files = PhotoStore::for_db(&self.path);
        let rows = self.photo_files()?;
        let mut report = PhotoReport {
            rows: self.photo_total()?,
            files: rows.len(),
            ..PhotoReport::default()
        };
        let mut named = BTreeSet::new();
        for f in &rows {
            let (format, key) = parts(f)?;
            let path = files
                .path(&f.sha256, format, key.as_ref())
                .map_err(photo_err)?;
            if key.is_none() && self.is_encrypted() {
                report.unsealed += 1;
            }
            match files.verify(&f.sha256, format, key.as_ref()) {
                FileState::Ok => {}
                FileState::Missing => report.missing.push(path.clone()),
                FileState::Damaged(why) => report.damaged.push((path.clone(), why)),
            }
            named.insert(path);
        }
        for (_, path) in files.list_files().map_err(photo_err)? {
            if !named.contains(&path) {
                report.unreferenced.push(path);
            }
        }
        Ok(report)
    }

    /// Gives every photo file a key it has not had: a new random key per
    /// file (`seal`: also the plain ones; else only those already sealed).
    /// New files first, then the rows in one write, then the old files go.
    /// Returns how many files were given new keys.
    pub fn reseal_photos(&mut self, seal: bool) -> Result<usize> {
        let files = PhotoStore::for_db(&self.path);
        let mut changed = Vec::new();
        let mut keys = Vec::new();
        for f in self.photo_files()? {
            let (format, old) = parts(&f)?;
            if old.is_none() && !seal {
                continue;
            }
            let plain = files
                .get(&f.sha256, format, old.as_ref())
                .map_err(photo_err)?;
            let new = FileKey::generate().map_err(photo_err)?;
            files
                .put(&plain, &f.sha256, format, Some(&new))
                .map_err(photo_err)?;
            keys.push((f.sha256.clone(), Some(new.to_hex().to_string())));
            changed.push((f.sha256, format, old));
        }
        if keys.is_empty() {
            return Ok(0);
        }
        self.set_photo_keys(&keys)?;
        let mut leftover = Vec::new();
        for (hash, format, old) in &changed {
            if let Err(e) = files.remove(hash, *format, old.as_ref()) {
                leftover.push(e.to_string());
            }
        }
        if !leftover.is_empty() {
            return Err(StoreError::Other(format!(
                "the photos were given new keys, but some old files could not be removed: {}",
                leftover.join("; ")
            )));
        }
        Ok(changed.len())
    }
}

/// The distinct photo files the rows of the database on `conn` name.
/// A backup from before photos (schema version 8 or older) names none.
pub(crate) fn files_in(conn: &rusqlite::Connection) -> Result<Vec<PhotoFile>> {
    let has_photos: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'photos'",
        [],
        |r| r.get(0),
    )?;
    if !has_photos {
        return Ok(Vec::new());
    }
    super::photos::every_file(conn)
}

/// What copying photo files did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// Files now in the destination's folder, checked there.
    pub copied: usize,
    /// Files that could not be read here (missing or damaged), one line each.
    pub unreadable: Vec<String>,
}

/// Copies the files `rows` name from the photo folder of `src` into that of
/// `dest`, verified on both sides: a file that does not read back sound
/// here is listed, not copied; one that cannot be written there is an error.
pub(crate) fn copy_files(src: &Path, dest: &Path, rows: &[PhotoFile]) -> Result<Carried> {
    let from = PhotoStore::for_db(src);
    let to = PhotoStore::for_db(dest);
    let mut carried = Carried::default();
    for f in rows {
        let (format, key) = parts(f)?;
        let plain = match from.get(&f.sha256, format, key.as_ref()) {
            Ok(p) => p,
            Err(e @ (PhotoError::Missing { .. } | PhotoError::Damaged { .. })) => {
                carried.unreadable.push(e.to_string());
                continue;
            }
            Err(e) => return Err(photo_err(e)),
        };
        to.put(&plain, &f.sha256, format, key.as_ref())
            .map_err(photo_err)?;
        if to.verify(&f.sha256, format, key.as_ref()) != FileState::Ok {
            return Err(StoreError::Other(format!(
                "{}: the copied photo file does not read back",
                to.path(&f.sha256, format, key.as_ref())
                    .map_err(photo_err)?
                    .display()
            )));
        }
        carried.copied += 1;
    }
    Ok(carried)
}

/// Writes plain copies of the files `rows` name (read from `src`'s
/// folder with their keys) into the photo folder of `dest`.
pub(crate) fn copy_plain(src: &Path, dest: &Path, rows: &[PhotoFile]) -> Result<usize> {
    let from = PhotoStore::for_db(src);
    let to = PhotoStore::for_db(dest);
    for f in rows {
        let (format, key) = parts(f)?;
        let plain = from
            .get(&f.sha256, format, key.as_ref())
            .map_err(photo_err)?;
        to.put(&plain, &f.sha256, format, None).map_err(photo_err)?;
    }
    Ok(rows.len())
}

/// After a restore: the files in `db`'s folder that no row of the restored
/// database names and that the copy kept before the restore (`kept`) holds
/// byte for byte are removed; anything else is left for `check` to list.
pub(crate) fn tidy_after_restore(store: &Store, kept: &Path) -> usize {
    let Ok(report) = store.photo_report() else {
        return 0;
    };
    let kept_dir = crate::photo::photo_dir(kept);
    let mut removed = 0;
    for path in report.unreferenced {
        let Some(name) = path.file_name() else {
            continue;
        };
        let same = match (std::fs::read(&path), std::fs::read(kept_dir.join(name))) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}
