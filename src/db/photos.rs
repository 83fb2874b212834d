//! Photo rows (schema version 9). A row says which session a photo belongs
//! to, which view it shows, when it was taken, and which stored file holds
//! it: the file is named by the SHA-256 of its bytes, and when it is
//! encrypted the row holds the file's own random key. Several rows may name
//! one file (the same picture attached twice); they then share its key.
//!
//! The files themselves are written and read by `crate::photo`; this module
//! only keeps the rows, each change in one audited write.

use super::audit::{Action, Entity, Tx};
use super::error::StoreError;
use super::rows::{OrNotFound, bad, text, uuid_col};
use super::{Result, Store};
use crate::domain::photo::View;
use crate::photo::Format;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

/// How `taken_at` is stored: local time to the second.
pub const TAKEN_AT: &str = "%Y-%m-%d %H:%M:%S";

/// A photo to attach, its file already stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPhoto {
    /// `front`, `left`, `right`, `left_oblique`, `right_oblique` or `close_up`.
    pub view: String,
    /// The zone a close-up shows; empty otherwise.
    pub zone: String,
    pub taken_at: NaiveDateTime,
    /// `exif` (the camera's DateTimeOriginal) or `file` (the file's time).
    pub taken_from: String,
    /// `jpeg` or `png`.
    pub format: String,
    pub width: u32,
    pub height: u32,
    /// The stored (metadata-free) file's size before any encryption.
    pub bytes: u64,
    pub sha256: String,
    /// The file's key (64 hex digits) when it is stored encrypted.
    pub file_key: Option<String>,
}

/// A photo row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: i64,
    pub uuid: Uuid,
    pub session_id: i64,
    pub data: NewPhoto,
}

/// A photo of one of a client's sessions, with what the screens show
/// beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPhoto {
    pub photo: Photo,
    pub series_id: i64,
    pub performed_at: NaiveDateTime,
}

/// One stored file, as the rows name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PhotoFile {
    pub sha256: String,
    pub format: String,
    pub file_key: Option<String>,
}

const COLUMNS: &str = "p.id, p.uuid, p.session_id, p.view, p.zone, p.taken_at, p.taken_from, \
     p.format, p.width, p.height, p.bytes, p.sha256, p.file_key";

fn photo_row(r: &Row<'_>) -> rusqlite::Result<Photo> {
    let taken = text(r, 5, "taken_at")?.ok_or_else(|| bad("taken_at", "missing"))?;
    let taken_at =
        NaiveDateTime::parse_from_str(taken, TAKEN_AT).map_err(|e| bad("taken_at", e))?;
    let count = |at: usize, name: &str| -> rusqlite::Result<i64> {
        let n: i64 = r.get(at)?;
        if n <= 0 {
            return Err(bad(name, format!("{n} is not a size")));
        }
        Ok(n)
    };
    let dim = |at: usize, name: &str| {
        count(at, name).and_then(|n| u32::try_from(n).map_err(|e| bad(name, e)))
    };
    Ok(Photo {
        id: r.get(0)?,
        uuid: uuid_col(r, 1, "uuid")?,
        session_id: r.get(2)?,
        data: NewPhoto {
            view: r.get(3)?,
            zone: r.get(4)?,
            taken_at,
            taken_from: r.get(6)?,
            format: r.get(7)?,
            width: dim(8, "width")?,
            height: dim(9, "height")?,
            bytes: count(10, "bytes")?.unsigned_abs(),
            sha256: r.get(11)?,
            file_key: r.get(12)?,
        },
    })
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Refuses a row the schema would refuse, with a message a person can act on.
fn check(p: &NewPhoto) -> Result<()> {
    let problem = if View::from_code(&p.view).is_none() {
        Some(format!("'{}' is not a photo view", p.view))
    } else if !["exif", "file"].contains(&p.taken_from.as_str()) {
        Some(format!("'{}' is not where a time comes from", p.taken_from))
    } else if Format::parse(&p.format).is_none() {
        Some(format!("'{}' is not a stored photo format", p.format))
    } else if !is_hex(&p.sha256, 64) {
        Some("the photo's SHA-256 is not 64 hex digits".to_string())
    } else if p.file_key.as_deref().is_some_and(|k| !is_hex(k, 64)) {
        Some("the photo's key is not 64 hex digits".to_string())
    } else if p.width == 0 || p.height == 0 || p.bytes == 0 {
        Some("the photo is empty".to_string())
    } else {
        None
    };
    match problem {
        Some(p) => Err(StoreError::Other(p)),
        None => Ok(()),
    }
}

/// The session's time and its client's name, for summaries.
fn session_facts(w: &Tx<'_>, session_id: i64) -> Result<(NaiveDateTime, String)> {
    let (at, name): (String, String) =
        w.tx.query_row(
            "SELECT x.performed_at, c.name FROM sessions x
             JOIN series s ON s.id = x.series_id JOIN clients c ON c.id = s.client_id
             WHERE x.id = ?1",
            [session_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .or_not_found("session", session_id)?;
    let at = super::rows::parse_datetime(&at)
        .map_err(|e| StoreError::Other(format!("session {session_id}: {e}")))?;
    Ok((at, name))
}

/// A stored file as a row names it: `sha256, format, file_key`.
fn photo_file_row(r: &Row<'_>) -> rusqlite::Result<PhotoFile> {
    Ok(PhotoFile {
        sha256: r.get(0)?,
        format: r.get(1)?,
        file_key: r.get(2)?,
    })
}

/// The stored file named `sha256`, when some row names it.
fn file_of(conn: &rusqlite::Connection, sha256: &str) -> Result<Option<PhotoFile>> {
    Ok(conn
        .prepare_cached("SELECT sha256, format, file_key FROM photos WHERE sha256 = ?1 LIMIT 1")?
        .query_row([sha256], photo_file_row)
        .optional()?)
}

/// Every stored file the rows on `conn` name, once each, by hash.
pub(crate) fn every_file(conn: &rusqlite::Connection) -> Result<Vec<PhotoFile>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sha256, format, min(file_key) FROM photos GROUP BY sha256 ORDER BY sha256",
    )?;
    let rows = stmt.query_map([], photo_file_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Attaches stored photos to session `session_id`, all in one audited
    /// write. A file already named by other rows must be given with the
    /// key they hold ([`Store::photo_file`]); the same file attached to the
    /// same session twice is refused.
    pub fn attach_photos(&mut self, session_id: i64, photos: &[NewPhoto]) -> Result<Vec<Photo>> {
        for p in photos {
            check(p)?;
        }
        let ids = self.write(|w| {
            let (at, name) = session_facts(w, session_id)?;
            let mut ids = Vec::with_capacity(photos.len());
            for p in photos {
                if let Some(known) = file_of(&w.tx, &p.sha256)?
                    && (known.file_key != p.file_key || known.format != p.format)
                {
                    return Err(StoreError::Conflict(
                        "this photo was stored again by another program meanwhile; \
                         nothing was attached, try again"
                            .into(),
                    ));
                }
                let twice: Option<String> = w
                    .tx
                    .prepare_cached(
                        "SELECT view FROM photos WHERE session_id = ?1 AND sha256 = ?2 LIMIT 1",
                    )?
                    .query_row(params![session_id, p.sha256], |r| r.get(0))
                    .optional()?;
                if let Some(view) = twice {
                    return Err(StoreError::Conflict(format!(
                        "this photo is already attached to this session (as {}); nothing was attached",
                        view.replace('_', " ")
                    )));
                }
                let uuid = Uuid::now_v7();
                let now = w.now_text();
                w.tx.prepare_cached(
                    "INSERT INTO photos (uuid, session_id, view, zone, taken_at, taken_from,
                         format, width, height, bytes, sha256, file_key, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                )?
                .execute(params![
                    uuid.to_string(),
                    session_id,
                    p.view,
                    p.zone,
                    p.taken_at.format(TAKEN_AT).to_string(),
                    p.taken_from,
                    p.format,
                    p.width,
                    p.height,
                    i64::try_from(p.bytes).unwrap_or(i64::MAX),
                    p.sha256,
                    p.file_key,
                    now,
                ])?;
                ids.push(w.tx.last_insert_rowid());
                let summary = format!(
                    "attach a {} photo to the session of {} for {name}",
                    p.view.replace('_', " "),
                    at.format(super::rows::DATETIME)
                );
                w.audit_change(Entity::Photo, &uuid.to_string(), Action::Create, &summary, None)?;
            }
            Ok(ids)
        })?;
        ids.into_iter().map(|id| self.photo(id)).collect()
    }

    /// Photo `id`.
    pub fn photo(&self, id: i64) -> Result<Photo> {
        self.conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM photos p WHERE p.id = ?1"))?
            .query_row([id], photo_row)
            .optional()?
            .or_not_found("photo", id)
    }

    /// The photos of session `session_id`, oldest first.
    pub fn photos_of_session(&self, session_id: i64) -> Result<Vec<Photo>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM photos p WHERE p.session_id = ?1 ORDER BY p.id"
        ))?;
        let rows = stmt.query_map([session_id], photo_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every photo of client `client_id`'s sessions, in the order of the
    /// sessions, then as attached.
    pub fn photos_of_client(&self, client_id: i64) -> Result<Vec<ClientPhoto>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS}, s.id, x.performed_at FROM photos p
             JOIN sessions x ON x.id = p.session_id JOIN series s ON s.id = x.series_id
             WHERE s.client_id = ?1 ORDER BY x.performed_at, x.id, p.id"
        ))?;
        let rows = stmt.query_map([client_id], |r| {
            let at = text(r, 14, "performed_at")?.ok_or_else(|| bad("performed_at", "missing"))?;
            Ok(ClientPhoto {
                photo: photo_row(r)?,
                series_id: r.get(13)?,
                performed_at: super::rows::parse_datetime(at)
                    .map_err(|e| bad("performed_at", e))?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many photos each of client `client_id`'s sessions has, by session id.
    pub fn photo_counts(&self, client_id: i64) -> Result<Vec<(i64, usize)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT p.session_id, count(*) FROM photos p
             JOIN sessions x ON x.id = p.session_id JOIN series s ON s.id = x.series_id
             WHERE s.client_id = ?1 GROUP BY p.session_id ORDER BY p.session_id",
        )?;
        let rows = stmt.query_map([client_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?.unsigned_abs() as usize,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The stored file named `sha256`, when some row names it (with the key
    /// a new row for the same file must carry).
    pub fn photo_file(&self, sha256: &str) -> Result<Option<PhotoFile>> {
        file_of(self.conn(), sha256)
    }

    /// Every stored file some row names, once each, by hash.
    pub fn photo_files(&self) -> Result<Vec<PhotoFile>> {
        every_file(self.conn())
    }

    /// Gives the files new keys (None: stored plain), every row naming a
    /// file at once, in one write: for `encrypt`, `decrypt` and `rekey`,
    /// after the files have been written under their new keys.
    ///
    /// No audit row: a key says how a photo is stored, not what the record
    /// holds (its hash, view, zone and time stay as they were), just as
    /// the passphrase `encrypt` and `rekey` set leaves no audit row. So
    /// `encrypt` and `rekey` keep every table's rows as they were, and the
    /// plain copy `decrypt` writes has the same audit history as the
    /// encrypted original.
    pub fn set_photo_keys(&mut self, keys: &[(String, Option<String>)]) -> Result<usize> {
        for (hash, key) in keys {
            if !is_hex(hash, 64) || key.as_deref().is_some_and(|k| !is_hex(k, 64)) {
                return Err(StoreError::Other(
                    "a photo's hash or key is not 64 hex digits".into(),
                ));
            }
        }
        self.write(|w| {
            let mut n = 0;
            for (hash, key) in keys {
                n +=
                    w.tx.prepare_cached("UPDATE photos SET file_key = ?2 WHERE sha256 = ?1")?
                        .execute(params![hash, key])?;
            }
            Ok(n)
        })
    }

    /// The client's photo consent: the day it was given (None: not given)
    /// and whether photos may be used beyond the record.
    pub fn photo_consent(&self, client_id: i64) -> Result<(Option<NaiveDate>, bool)> {
        let (on, beyond): (Option<String>, i64) = self
            .conn()
            .prepare_cached(
                "SELECT photo_consent_on, photo_consent_beyond FROM clients WHERE id = ?1",
            )?
            .query_row([client_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .or_not_found("client", client_id)?;
        let on = on
            .map(|d| super::rows::parse_date(&d))
            .transpose()
            .map_err(|e| {
                StoreError::Other(format!("client {client_id}: photo consent date: {e}"))
            })?;
        Ok((on, beyond != 0))
    }
}

/// The files that rows deleted by a write named and that no row names any
/// more: the caller removes them once the write is committed.
pub(crate) fn released(
    tx: &rusqlite::Transaction<'_>,
    gone: &[PhotoFile],
) -> Result<Vec<PhotoFile>> {
    let mut out = Vec::new();
    for f in gone {
        if file_of(tx, &f.sha256)?.is_none() && !out.contains(f) {
            out.push(f.clone());
        }
    }
    Ok(out)
}
