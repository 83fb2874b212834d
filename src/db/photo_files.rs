//! The photo files in upkeep: what `check` finds in the photo folder,
//! copying the files a backup or a restore carries, and giving files new
//! keys for `encrypt` and `rekey`.
//!
//! Rows and files are changed in an order that leaves them matching after
//! a kill at any point: new files are written first (a sealed file's name
//! carries its key's id, so a re-keyed file never replaces the old one),
//! then the rows change in one write, then the old files are removed. So
//! every row names a file that is there and opens, whatever moment a run
//! stops at; what a stopped run leaves is files beside them (sealed files
//! whose keys never reached the rows, the plain and old sealed files the
//! rows no longer name, and temporary files of a write cut short).
//! [`Store::settle_photos`] starts by reading the rows as they are and
//! ends by removing those leftovers, so running `encrypt` or `rekey` again
//! finishes the job; `check` names them (not the temporary files, which a
//! running attach may be writing).

use super::error::StoreError;
use super::photos::PhotoFile;
use super::{Result, Store};
use crate::photo::{FileKey, FileState, Format, PhotoError, PhotoStore};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What `check` learns about the photo folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoReport {
    /// Photo rows.
    pub rows: usize,
    /// Distinct files the rows name.
    pub files: usize,
    /// The folder could not be read (why): no file in it was checked.
    pub folder_unreadable: Option<(PathBuf, String)>,
    /// Files the rows name that are not there.
    pub missing: Vec<PathBuf>,
    /// Files that do not open with their key or no longer match their hash.
    pub damaged: Vec<(PathBuf, String)>,
    /// Files the rows name that the system refused to read.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Files of a photo whose own file (the one its row names) is sound:
    /// left by an `encrypt` or `rekey` that stopped before removing them.
    pub leftover: Vec<PathBuf>,
    /// Files in the photo folder that no row names.
    pub unreferenced: Vec<PathBuf>,
    /// Files stored plain although the database is encrypted (an
    /// `encrypt` that stopped half way; running it again seals them).
    pub unsealed: usize,
}

impl PhotoReport {
    pub fn problems(&self) -> usize {
        usize::from(self.folder_unreadable.is_some())
            + self.missing.len()
            + self.damaged.len()
            + self.unreadable.len()
            + self.leftover.len()
            + self.unreferenced.len()
            + self.unsealed.min(1)
    }
}

/// Which files [`Store::settle_photos`] gives a new key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKeys {
    /// Those stored plain (`encrypt`).
    Unsealed,
    /// Every file (`rekey`).
    Every,
}

/// A point in `encrypt`, `rekey` and [`Store::settle_photos`] at which a
/// kill leaves a different state on the disk: the kill tests stop the
/// process at each in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `encrypt`: the plain backup is written.
    BackupTaken,
    /// `encrypt`: the encrypted copy is written beside the database.
    CopyWritten,
    /// `encrypt`: the encrypted copy has taken the database's name;
    /// `rekey`: the new passphrase is set.
    DatabaseReplaced,
    /// A photo file is written under its new key.
    FileWritten,
    /// The rows hold the new keys.
    RowsKeyed,
    /// A file the rows no longer name is removed.
    FileRemoved,
}

/// What [`Store::settle_photos`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settled {
    /// Files given a new key.
    pub sealed: usize,
    /// Files the rows no longer name, removed (old plain or sealed files,
    /// and those a stopped run left, temporary ones included).
    pub removed: usize,
    /// Files the rows name that could not be read (missing or damaged),
    /// one line each; their rows were left as they were.
    pub unreadable: Vec<String>,
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
    /// seal when it has a key) and lists the folder's other files. A
    /// folder this user may not read is one finding, not an error.
    pub fn photo_report(&self) -> Result<PhotoReport> {
        let files = PhotoStore::for_db(&self.path);
        let rows = self.photo_files()?;
        let mut report = PhotoReport {
            rows: self.photo_total()?,
            files: rows.len(),
            ..PhotoReport::default()
        };
        let listed = match files.list_files() {
            Ok(listed) => listed,
            Err(PhotoError::Io { path, source }) => {
                report.folder_unreadable = Some((path, source.to_string()));
                return Ok(report);
            }
            Err(e) => return Err(photo_err(e)),
        };
        // Each named hash with its own file, when that file is sound.
        let mut named = BTreeSet::new();
        let mut sound = BTreeSet::new();
        for f in &rows {
            let (format, key) = parts(f)?;
            let path = files
                .path(&f.sha256, format, key.as_ref())
                .map_err(photo_err)?;
            if key.is_none() && self.is_encrypted() {
                report.unsealed += 1;
            }
            match files.verify(&f.sha256, format, key.as_ref()) {
                FileState::Ok => {
                    sound.insert(f.sha256.clone());
                }
                FileState::Missing => report.missing.push(path.clone()),
                FileState::Damaged(why) => report.damaged.push((path.clone(), why)),
                FileState::Unreadable(why) => report.unreadable.push((path.clone(), why)),
            }
            named.insert(path);
        }
        for (hash, path) in listed {
            if named.contains(&path) {
                continue;
            }
            if sound.contains(&hash) {
                report.leftover.push(path);
            } else {
                report.unreferenced.push(path);
            }
        }
        Ok(report)
    }

    /// Puts the photo files in order for an encrypted database: gives
    /// `which` files a new random key each (writing the sealed files
    /// first, then every row's key in one write), then removes every file
    /// of a named photo other than the one its row names. Run again after
    /// a stop at any point, it finishes the job: it starts from what the
    /// rows say, and a file whose row still names a plain copy, or whose
    /// own sealed file is lost while a plain copy with the right bytes is
    /// there, is sealed from that copy. A file it cannot read is listed
    /// and its row left as it is. `step` is told each point a kill could
    /// land at (a no-op outside the kill tests). It takes the database
    /// for itself first (as `encrypt` and `rekey` do): no other program
    /// attaches or reads a photo meanwhile, so a temporary file in the
    /// folder can only be one a killed run left.
    pub fn settle_photos(&mut self, which: NewKeys, step: &mut dyn FnMut(Step)) -> Result<Settled> {
        self.take_exclusively()?;
        let files = PhotoStore::for_db(&self.path);
        let mut settled = Settled::default();
        let mut keys = Vec::new();
        // Each photo's own file once the rows are written.
        let mut own = BTreeMap::new();
        for f in self.photo_files()? {
            let (format, key) = parts(&f)?;
            let (plain, fresh) = match files.get(&f.sha256, format, key.as_ref()) {
                Ok(plain) => (plain, false),
                Err(e @ (PhotoError::Missing { .. } | PhotoError::Damaged { .. })) => match key
                    .as_ref()
                    .and_then(|_| files.get(&f.sha256, format, None).ok())
                {
                    Some(plain) => (plain, true),
                    None => {
                        settled.unreadable.push(e.to_string());
                        continue;
                    }
                },
                Err(e) => return Err(photo_err(e)),
            };
            let renew = fresh
                || match which {
                    NewKeys::Unsealed => key.is_none(),
                    NewKeys::Every => true,
                };
            if !renew {
                let path = files
                    .path(&f.sha256, format, key.as_ref())
                    .map_err(photo_err)?;
                own.insert(f.sha256, path);
                continue;
            }
            let new = FileKey::generate().map_err(photo_err)?;
            let path = files
                .put(&plain, &f.sha256, format, Some(&new))
                .map_err(photo_err)?;
            step(Step::FileWritten);
            keys.push((f.sha256.clone(), Some(new.to_hex().to_string())));
            own.insert(f.sha256, path);
        }
        if !keys.is_empty() {
            self.set_photo_keys(&keys)?;
            settled.sealed = keys.len();
            step(Step::RowsKeyed);
        }
        let mut stuck = Vec::new();
        // Half-written files of a killed run (the database is this
        // connection's alone, so no other program is writing one now).
        for path in files.temporaries() {
            match files.remove_listed(&path) {
                Ok(()) => settled.removed += 1,
                Err(e) => stuck.push(e.to_string()),
            }
        }
        for (hash, path) in files.list_files().map_err(photo_err)? {
            if own.get(&hash).is_none_or(|keep| *keep == path) {
                continue;
            }
            match files.remove_listed(&path) {
                Ok(()) => {
                    settled.removed += 1;
                    step(Step::FileRemoved);
                }
                Err(e) => stuck.push(e.to_string()),
            }
        }
        if !stuck.is_empty() {
            return Err(StoreError::Other(format!(
                "every photo has its file under its new key, but some old files could not be \
                 removed: {}",
                stuck.join("; ")
            )));
        }
        Ok(settled)
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
    for path in report.unreferenced.into_iter().chain(report.leftover) {
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
