//! Attaching photos to a session: the one way the command line and the
//! interface both do it.
//!
//! Every file is read, checked and stripped first; one refused file means
//! nothing is attached. Then the stripped copies are stored (sealed with
//! a file key when the database is encrypted; a file already stored keeps
//! its key), and the rows are written in one audited transaction. When
//! that write fails, the files this attach added and no row names are
//! removed again, so a failed attach leaves the folder as it was.

use super::read::{Source, TakenFrom, source_facts};
use super::{FileKey, PhotoError, PhotoStore};
use crate::db::photos::{NewPhoto, Photo};
use crate::db::{Store, StoreError};
use crate::domain::Zone;
use crate::domain::photo::View;
use std::path::{Path, PathBuf};

/// One file to attach and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub path: PathBuf,
    pub view: View,
    /// The zone a close-up shows (required for one, refused otherwise).
    pub zone: Option<Zone>,
}

/// Why an attach did not happen: nothing was attached either way.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("{}: {source}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: PhotoError,
    },
    #[error("{}: a close-up needs the zone it shows", path.display())]
    NoZone { path: PathBuf },
    #[error("{}: only a close-up names a zone (this is a {} photo)", path.display(), view.label())]
    ZoneNotCloseUp { path: PathBuf, view: View },
    #[error("the photo folder: {0}")]
    Folder(PhotoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks a request's view and zone.
pub fn check_request(r: &Request) -> Result<(), AttachError> {
    match (r.view, r.zone) {
        (View::CloseUp, None) => Err(AttachError::NoZone {
            path: r.path.clone(),
        }),
        (view, Some(_)) if view != View::CloseUp => Err(AttachError::ZoneNotCloseUp {
            path: r.path.clone(),
            view,
        }),
        _ => Ok(()),
    }
}

/// Reads and checks every file; the first refusal is the answer.
pub fn read_all(requests: &[Request]) -> Result<Vec<Source>, AttachError> {
    requests
        .iter()
        .map(|r| {
            check_request(r)?;
            source_facts(&r.path).map_err(|source| AttachError::File {
                path: r.path.clone(),
                source,
            })
        })
        .collect()
}

/// The key a new row for `hash` must carry: the one its stored file
/// already has, a new one on an encrypted database, none on a plain one.
fn key_for(
    store: &Store,
    hash: &str,
    fresh: &mut Vec<(String, FileKey)>,
) -> Result<Option<FileKey>, AttachError> {
    if let Some(known) = store.photo_file(hash)? {
        return match known.file_key {
            Some(hex) => FileKey::from_hex(&hex)
                .map(Some)
                .map_err(AttachError::Folder),
            None => Ok(None),
        };
    }
    if let Some((_, k)) = fresh.iter().find(|(h, _)| h == hash) {
        return Ok(Some(k.clone()));
    }
    if !store.is_encrypted() {
        return Ok(None);
    }
    let key = FileKey::generate().map_err(AttachError::Folder)?;
    fresh.push((hash.to_string(), key.clone()));
    Ok(Some(key))
}

/// Attaches the files of `requests` to session `session_id`.
pub fn attach(
    store: &mut Store,
    session_id: i64,
    requests: &[Request],
) -> Result<Vec<Photo>, AttachError> {
    // The session must exist before any file is stored.
    store.session(session_id)?;
    let sources = read_all(requests)?;
    let files = PhotoStore::for_db(store.path());
    let mut fresh = Vec::new();
    let mut added: Vec<(String, super::Format, Option<FileKey>)> = Vec::new();
    let mut rows = Vec::with_capacity(sources.len());
    let stored = (|| {
        for (r, s) in requests.iter().zip(&sources) {
            let key = key_for(store, &s.hash, &mut fresh)?;
            let format = s.stripped.format;
            let existed = files
                .path(&s.hash, format, key.as_ref())
                .map_err(AttachError::Folder)?
                .exists();
            files
                .put(&s.stripped.bytes, &s.hash, format, key.as_ref())
                .map_err(AttachError::Folder)?;
            if !existed {
                added.push((s.hash.clone(), format, key.clone()));
            }
            rows.push(new_row(r, s, key.as_ref()));
        }
        Ok::<(), AttachError>(())
    })();
    let written = stored.and_then(|()| Ok(store.attach_photos(session_id, &rows)?));
    if written.is_err() {
        for (hash, format, key) in &added {
            // Only files no row names: another program may have attached
            // the same picture meanwhile.
            if matches!(store.photo_file(hash), Ok(None)) {
                let _ = files.remove(hash, *format, key.as_ref());
            }
        }
    }
    written
}

fn new_row(r: &Request, s: &Source, key: Option<&FileKey>) -> NewPhoto {
    NewPhoto {
        view: r.view.as_str().to_string(),
        zone: r.zone.map(|z| z.code().to_string()).unwrap_or_default(),
        taken_at: s.taken_at,
        taken_from: match s.taken_from {
            TakenFrom::Exif => "exif",
            TakenFrom::FileTime => "file",
        }
        .to_string(),
        format: s.stripped.format.as_str().to_string(),
        width: s.stripped.width,
        height: s.stripped.height,
        bytes: s.stripped.bytes.len() as u64,
        sha256: s.hash.clone(),
        file_key: key.map(|k| k.to_hex().to_string()),
    }
}

/// Removes stored files that a committed write left without a row
/// (an undone attach, an erasure). Returns what could not be removed.
pub fn remove_released(db: &Path, released: &[crate::db::photos::PhotoFile]) -> Vec<String> {
    let files = PhotoStore::for_db(db);
    let mut problems = Vec::new();
    for f in released {
        let Some(format) = super::Format::parse(&f.format) else {
            continue;
        };
        let key = match f.file_key.as_deref().map(FileKey::from_hex).transpose() {
            Ok(k) => k,
            Err(e) => {
                problems.push(format!("{}: {e}", f.sha256));
                continue;
            }
        };
        if let Err(e) = files.remove(&f.sha256, format, key.as_ref()) {
            problems.push(e.to_string());
        }
    }
    problems
}
