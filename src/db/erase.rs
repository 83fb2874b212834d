//! Erasure (the right to be forgotten): a client's records, drafts and the
//! personal data in their audit history are removed for good, and the
//! bytes are cleared from the database file and its write-ahead log.
//!
//! What stays is one tombstone audit row (the client's UUID, when, which
//! OS user) and the scrubbed audit rows of their records: action and time
//! kept, row images and summary gone. Erasure cannot be undone, and the
//! scrubbed changes can no longer be undone either (see `undo_last`).

use super::audit::{Action, Entity, Tx};
use super::error::StoreError;
use super::photos::PhotoFile;
use super::rows::OrNotFound;
use super::{Result, Store};
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeSet;

/// The summary of the tombstone row.
pub const TOMBSTONE: &str = "erased client record";
/// The summary that replaces those of the scrubbed audit rows.
pub const SCRUBBED: &str = "record erased";

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub uuid: String,
    pub series: usize,
    pub sessions: usize,
    pub drafts: usize,
    pub audit_rows: usize,
    /// Why old copies of the erased data may still be on the disk (another
    /// program kept the write-ahead log from being emptied, or the file
    /// could not be rebuilt); None when they are gone.
    pub residue: Option<String>,
    /// How many photo rows were removed.
    pub photos: usize,
    /// The photo files only this client's rows named, removed once the
    /// erasure is committed.
    pub released: Vec<PhotoFile>,
}

/// A record of the client's, with the span of audit ids in which its
/// integer id was its own (ids of deleted rows can be reused by later ones).
struct Owned {
    id: i64,
    uuid: String,
    first_audit: i64,
    last_audit: i64,
}

impl Store {
    /// Erases client `id`: their series, sessions and drafts are deleted,
    /// the audit rows of all of these are scrubbed, and one tombstone row
    /// records the erasure. Then the file is rebuilt and the write-ahead log
    /// emptied, so that none of it can be read back from the disk.
    pub fn erase_client(&mut self, id: i64) -> Result<Erased> {
        let path = self.path.clone();
        // Freed space is zeroed instead of being left for reuse.
        let secure: i64 = self
            .conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))?;
        self.conn.execute_batch("PRAGMA secure_delete = ON")?;
        let erased = self.write(|w| erase_in(w, id));
        // Back to how it was (it only costs speed); the erasure's outcome
        // matters more than this.
        let _ = self
            .conn
            .execute_batch(&format!("PRAGMA secure_delete = {secure}"));
        let mut erased = erased?;
        // The photo files only this client's rows named, now that no row does.
        let leftover = crate::photo::attach::remove_released(&path, &erased.released);
        // secure_delete clears what this transaction frees; copies made
        // before it (a note edited last month, an undone session) may still
        // sit in free space. VACUUM writes a fresh file holding only live
        // rows; the checkpoint then copies it over the old one and empties
        // the log, which held the earlier versions of the pages. The
        // erasure itself is done either way: a failure here is reported,
        // not returned as an error.
        erased.residue = match self.conn.execute_batch("VACUUM") {
            Err(e) => Some(format!(
                "the file could not be rebuilt ({}), so old copies of the erased records may \
                 remain in its free space until the next erasure",
                StoreError::from_sqlite(&path, e)
            )),
            Ok(()) => match self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    r.get::<_, i64>(0)
                }) {
                Ok(0) => None,
                Ok(_) => Some(format!(
                    "another program has the database open, so old copies of the erased \
                     records stay in {}-wal until it closes",
                    path.display()
                )),
                Err(e) => Some(format!(
                    "the write-ahead log could not be emptied ({})",
                    StoreError::from_sqlite(&path, e)
                )),
            },
        };
        if !leftover.is_empty() {
            let files = format!(
                "some photo files could not be removed: {}",
                leftover.join("; ")
            );
            erased.residue = Some(match erased.residue.take() {
                Some(r) => format!("{r}; {files}"),
                None => files,
            });
        }
        Ok(erased)
    }
}

fn erase_in(w: &mut Tx<'_>, id: i64) -> Result<Erased> {
    let uuid: String =
        w.tx.query_row("SELECT uuid FROM clients WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .or_not_found("client", id)?;
    let name: String =
        w.tx.query_row("SELECT name FROM clients WHERE id = ?1", [id], |r| r.get(0))?;
    let client = owned(w, Entity::Client, id, &uuid, true)?;
    let series = records(w, Entity::Series, "client_id", &[client])?;
    let sessions = records(w, Entity::Session, "series_id", &series)?;
    let photos = records(w, Entity::Photo, "session_id", &sessions)?;
    let files: Vec<PhotoFile> = {
        let mut stmt = w.tx.prepare(
            "SELECT DISTINCT p.sha256, p.format, p.file_key FROM photos p
             JOIN sessions x ON x.id = p.session_id JOIN series s ON s.id = x.series_id
             WHERE s.client_id = ?1",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(PhotoFile {
                sha256: r.get(0)?,
                format: r.get(1)?,
                file_key: r.get(2)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let series_now: i64 = w.tx.query_row(
        "SELECT count(*) FROM series WHERE client_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let sessions_now: i64 = w.tx.query_row(
        "SELECT count(*) FROM sessions WHERE series_id IN (SELECT id FROM series WHERE client_id = ?1)",
        [id],
        |r| r.get(0),
    )?;

    w.tx.execute(
        "DELETE FROM photos WHERE session_id IN (SELECT x.id FROM sessions x
             JOIN series s ON s.id = x.series_id WHERE s.client_id = ?1)",
        [id],
    )?;
    w.tx.execute(
        "DELETE FROM sessions WHERE series_id IN (SELECT id FROM series WHERE client_id = ?1)",
        [id],
    )?;
    w.tx.execute("DELETE FROM series WHERE client_id = ?1", [id])?;
    w.tx.execute("DELETE FROM clients WHERE id = ?1", [id])?;

    let mut uuids: BTreeSet<&str> = BTreeSet::new();
    uuids.insert(&uuid);
    uuids.extend(series.iter().map(|r| r.uuid.as_str()));
    uuids.extend(sessions.iter().map(|r| r.uuid.as_str()));
    uuids.extend(photos.iter().map(|r| r.uuid.as_str()));

    // Drafts of hers: a form on one of her records (the interface's drafts
    // name the client by id in `target.client_id`), or naming one of her
    // records by UUID (as target or anywhere in the form), or holding her
    // name as a field's whole value (a new-client form being filled in).
    let quoted_name = serde_json::Value::from(name).to_string().to_lowercase();
    let mut drafts = w.tx.execute(
        "DELETE FROM drafts
         WHERE json_extract(payload, '$.target.client_id') = ?1
            OR (kind = 'client' AND target = CAST(?1 AS TEXT))
            OR instr(lower(payload), ?2) > 0",
        params![id, quoted_name],
    )?;
    {
        let mut by_uuid =
            w.tx.prepare("DELETE FROM drafts WHERE target = ?1 OR instr(payload, ?1) > 0")?;
        for u in &uuids {
            drafts += by_uuid.execute([u])?;
        }
    }

    let mut audit_rows = 0;
    {
        let mut scrub = w.tx.prepare(
            "UPDATE audit SET before = NULL, after = NULL, summary = ?2 WHERE entity_uuid = ?1",
        )?;
        for u in &uuids {
            audit_rows += scrub.execute(params![u, SCRUBBED])?;
        }
    }
    w.audit_note(Entity::Client, &uuid, Action::Erase, TOMBSTONE)?;
    Ok(Erased {
        uuid,
        series: series_now as usize,
        sessions: sessions_now as usize,
        drafts,
        audit_rows,
        residue: None,
        photos: photos.len(),
        released: super::photos::released(&w.tx, &files)?,
    })
}

/// The audit span of one record: from its first audit row to its last one
/// if it is gone, or to the end of the log if it still exists.
fn owned(w: &Tx<'_>, entity: Entity, id: i64, uuid: &str, exists: bool) -> Result<Owned> {
    let (first, last): (Option<i64>, Option<i64>) = w.tx.query_row(
        "SELECT min(id), max(id) FROM audit WHERE entity = ?1 AND entity_uuid = ?2",
        params![entity, uuid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Owned {
        id,
        uuid: uuid.to_string(),
        // A record without audit rows came in bulk (demo data): it has
        // owned its id since before any row that could name it.
        first_audit: first.unwrap_or(0),
        last_audit: if exists {
            i64::MAX
        } else {
            last.unwrap_or(i64::MAX)
        },
    })
}

/// Every record of `entity` that belongs, or belonged, to one
/// of `parents` through column `parent_col`: those in the table now, and
/// those only the audit log remembers (removed by an undo). A logged row
/// image counts only when it was logged while the parent's id was the
/// parent's, so a reused id never pulls in someone else's history.
fn records(w: &Tx<'_>, entity: Entity, parent_col: &str, parents: &[Owned]) -> Result<Vec<Owned>> {
    let table = entity.table()?;
    let mut found: Vec<(i64, String, bool)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut live = w.tx.prepare(&format!(
        "SELECT id, uuid FROM {table} WHERE {parent_col} = ?1"
    ))?;
    let path = format!("$.{parent_col}");
    let mut logged = w.tx.prepare(
        "SELECT DISTINCT entity_uuid, json_extract(coalesce(after, before), '$.id') FROM audit
         WHERE entity = ?1 AND id BETWEEN ?2 AND ?3
           AND (json_extract(after, ?4) = ?5 OR json_extract(before, ?4) = ?5)",
    )?;
    let mut exists = w.tx.prepare(&format!(
        "SELECT EXISTS (SELECT 1 FROM {table} WHERE uuid = ?1)"
    ))?;
    for p in parents {
        let rows = live.query_map([p.id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, uuid) = row?;
            if seen.insert(uuid.clone()) {
                found.push((id, uuid, true));
            }
        }
        let rows = logged.query_map(
            params![entity, p.first_audit, p.last_audit, path, p.id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)),
        )?;
        for row in rows {
            let (uuid, id) = row?;
            if seen.insert(uuid.clone()) {
                let still: bool = exists.query_row([&uuid], |r| r.get(0))?;
                found.push((id.unwrap_or(-1), uuid, still));
            }
        }
    }
    found
        .into_iter()
        .map(|(id, uuid, still)| owned(w, entity, id, &uuid, still))
        .collect()
}
