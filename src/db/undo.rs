//! Undo and redo, by replaying the audit log.
//!
//! An undo reverts the newest change that has not been reverted yet, as a
//! new audited change: one row for each row of that change, action `undo`,
//! `undoes` naming the row it reverts, with the row as it was and as it is
//! put back. A redo reverts an undo in the same way (action `redo`, `undoes`
//! naming the undo row), so undoing a redo is one more undo, and the log
//! reads in the order things happened. A redo is offered only while nothing
//! else has been changed since the undo: a new change clears what could be
//! redone, as in an editor.

use super::audit::{Action, Entity, Tx};
use super::error::StoreError;
use super::photos::{self, PhotoFile};
use super::{Result, Store};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::LazyLock;

/// Undo or redo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoRedo {
    Undo,
    Redo,
}

impl UndoRedo {
    /// The action of the audit rows it writes.
    pub fn action(self) -> Action {
        match self {
            Self::Undo => Action::Undo,
            Self::Redo => Action::Redo,
        }
    }

    /// "Undo" or "Redo", to begin a sentence.
    pub fn verb(self) -> &'static str {
        match self {
            Self::Undo => "Undo",
            Self::Redo => "Redo",
        }
    }

    /// "Undone" or "Redone".
    pub fn done(self) -> &'static str {
        match self {
            Self::Undo => "Undone",
            Self::Redo => "Redone",
        }
    }

    fn past(self) -> &'static str {
        match self {
            Self::Undo => "undone",
            Self::Redo => "redone",
        }
    }
}

/// The records a change is about, by their integer keys: each is set when
/// the change is about one client (one series, one session).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Target {
    pub client: Option<i64>,
    pub series: Option<i64>,
    pub session: Option<i64>,
}

/// The change an undo (or a redo) would revert next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextChange {
    /// The change's number in the audit log. Reverting it by this number
    /// is refused once another change has become the next one.
    pub change_id: i64,
    /// What the change did, e.g. "edit client Ana Souza".
    pub summary: String,
    /// The client it is about, when it is about one: (id, name).
    pub client: Option<(i64, String)>,
    /// How many clients it is about (an import may be about many).
    pub clients: usize,
    pub target: Target,
}

/// What an undo or a redo reverted, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    /// What the reverted change did (for a redo: what the undo took back).
    pub summary: String,
    /// The records the change was about that still exist afterwards.
    pub target: Target,
    /// Photo files no row names any more (an attach undone), removed once
    /// the write is committed.
    pub released: Vec<PhotoFile>,
    /// Why some of those files could not be removed (the disk refused).
    pub leftover: Vec<String>,
}

/// Actions of the changes an undo may revert ([`Action::undoable`]), as
/// an SQL list.
static UNDOABLE: LazyLock<String> = LazyLock::new(Action::undoable_sql);

/// The newest change `way` would revert, by its change id.
fn next_change(conn: &Connection, way: UndoRedo) -> Result<Option<i64>> {
    match way {
        UndoRedo::Undo => Ok(conn
            .prepare_cached(&format!(
                "SELECT a.change_id FROM audit a
                 WHERE a.action IN {undoable}
                   AND NOT EXISTS (SELECT 1 FROM audit u WHERE u.undoes = a.id)
                   -- Changes to an erased client are gone for good; skip
                   -- them rather than let them block older changes.
                   AND NOT EXISTS (SELECT 1 FROM audit e WHERE e.change_id = a.change_id
                                   AND e.before IS NULL AND e.after IS NULL)
                 ORDER BY a.change_id DESC LIMIT 1",
                undoable = *UNDOABLE
            ))?
            .query_row([], |r| r.get(0))
            .optional()?),
        UndoRedo::Redo => {
            // Back from the newest row: undos and redos since the last
            // ordinary change; the newest undo not redone yet is next.
            let mut stmt = conn.prepare_cached(
                "SELECT a.change_id, a.action,
                        EXISTS (SELECT 1 FROM audit r WHERE r.undoes = a.id)
                 FROM audit a ORDER BY a.id DESC",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                match r.get(1)? {
                    Action::Undo if !r.get::<_, bool>(2)? => return Ok(Some(r.get(0)?)),
                    Action::Undo | Action::Redo => {}
                    // A new change since: nothing to redo.
                    _ => return Ok(None),
                }
            }
            Ok(None)
        }
    }
}

/// What the change an undo or redo row reverted did: its summary says
/// "undo: edit client Ana" for "edit client Ana".
fn what(action: Action, summary: &str) -> &str {
    match action {
        Action::Undo | Action::Redo => summary
            .strip_prefix(action.as_str())
            .and_then(|s| s.strip_prefix(": "))
            .unwrap_or(summary),
        _ => summary,
    }
}

/// One audit row of a change, with its row images.
struct Logged {
    id: i64,
    entity: Entity,
    uuid: String,
    action: Action,
    summary: String,
    before: Option<Value>,
    after: Option<Value>,
}

/// How many rows of a change are read at a time when reverting it: an
/// import can be one change of many thousand rows.
const BATCH: i64 = 256;

/// The rows of `change` older than row `below`, newest first, a batch.
fn rows_below(conn: &Connection, change: i64, below: i64) -> Result<Vec<Logged>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, entity, entity_uuid, action, summary, before, after FROM audit
         WHERE change_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
    )?;
    let raw = stmt
        .query_map(params![change, below, BATCH], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Entity>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Action>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter()
        .map(|(id, entity, uuid, action, summary, before, after)| {
            let parse = |s: Option<String>| -> Result<Option<Value>> {
                s.map(|s| {
                    serde_json::from_str(&s)
                        .map_err(|e| StoreError::Other(format!("audit row {id}: {e}")))
                })
                .transpose()
            };
            Ok(Logged {
                id,
                entity,
                uuid,
                action,
                summary,
                before: parse(before)?,
                after: parse(after)?,
            })
        })
        .collect()
}

/// How many rows of a change its summary names; past that it says how
/// many more there are.
const NAMED: usize = 3;

/// A change as the user is told about it: what it did and whom it is
/// about, read one row at a time without its row images.
#[derive(Default)]
struct Survey {
    rows: usize,
    /// What its first and its last few rows did.
    first: Vec<String>,
    last: VecDeque<String>,
    /// An undo's rows run backwards through the change it reverted.
    backwards: bool,
    clients: BTreeSet<i64>,
    names: BTreeMap<i64, String>,
    series: BTreeSet<i64>,
    sessions: BTreeSet<i64>,
}

impl Survey {
    fn of(conn: &Connection, change: i64) -> Result<Self> {
        let mut s = Self::default();
        let mut client_of_series: BTreeMap<i64, i64> = BTreeMap::new();
        let mut sessions_series: BTreeSet<i64> = BTreeSet::new();
        let mut photo_sessions: BTreeSet<i64> = BTreeSet::new();
        let mut stmt = conn.prepare_cached(
            "SELECT entity, action, summary,
                    json_extract(coalesce(after, before), '$.id'),
                    json_extract(coalesce(after, before), '$.client_id'),
                    json_extract(coalesce(after, before), '$.series_id'),
                    CASE entity WHEN ?2 THEN json_extract(coalesce(after, before), '$.name') END,
                    json_extract(coalesce(after, before), '$.session_id')
             FROM audit WHERE change_id = ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query(params![change, Entity::Client])?;
        while let Some(r) = rows.next()? {
            let entity: Entity = r.get(0)?;
            let action: Action = r.get(1)?;
            let summary: String = r.get(2)?;
            let id: Option<i64> = r.get(3)?;
            let client: Option<i64> = r.get(4)?;
            let series: Option<i64> = r.get(5)?;
            let name: Option<String> = r.get(6)?;
            let session: Option<i64> = r.get(7)?;
            if s.rows == 0 {
                s.backwards = action == Action::Undo;
            }
            s.rows += 1;
            let did = what(action, &summary).to_string();
            if s.first.len() < NAMED {
                s.first.push(did.clone());
            }
            s.last.push_back(did);
            if s.last.len() > NAMED {
                s.last.pop_front();
            }
            match entity {
                Entity::Client => {
                    if let Some(id) = id {
                        s.clients.insert(id);
                        if let Some(name) = name {
                            s.names.entry(id).or_insert(name);
                        }
                    }
                }
                Entity::Series => {
                    s.series.extend(id);
                    s.clients.extend(client);
                    if let (Some(id), Some(client)) = (id, client) {
                        client_of_series.insert(id, client);
                    }
                }
                Entity::Session => {
                    s.sessions.extend(id);
                    s.series.extend(series);
                    sessions_series.extend(series);
                }
                Entity::Photo => photo_sessions.extend(session),
                Entity::Database => {}
            }
        }
        // A photo's session, series and client: as the session is now.
        for session in photo_sessions {
            let series: Option<i64> = conn
                .prepare_cached("SELECT series_id FROM sessions WHERE id = ?1")?
                .query_row([session], |r| r.get(0))
                .optional()?;
            s.sessions.insert(session);
            s.series.extend(series);
            sessions_series.extend(series);
        }
        // A session's client is its series' client: from the change when
        // the series is in it, else from the series as it is now.
        for series in sessions_series {
            let client = match client_of_series.get(&series) {
                Some(c) => Some(*c),
                None => conn
                    .prepare_cached("SELECT client_id FROM series WHERE id = ?1")?
                    .query_row([series], |r| r.get(0))
                    .optional()?,
            };
            s.clients.extend(client);
        }
        Ok(s)
    }

    /// One line for the whole change, in the order its records were
    /// written: the first few, and how many more.
    fn summary(&self) -> String {
        let named: Vec<&str> = if self.backwards {
            self.last.iter().rev().map(String::as_str).collect()
        } else {
            self.first.iter().map(String::as_str).collect()
        };
        match self.rows.saturating_sub(named.len()) {
            0 => named.join(", "),
            more => format!("{}, and {more} more", named.join(", ")),
        }
    }

    fn target(&self) -> Target {
        let one = |set: &BTreeSet<i64>| match set.len() {
            1 => set.first().copied(),
            _ => None,
        };
        match one(&self.clients) {
            Some(client) => Target {
                client: Some(client),
                series: one(&self.series),
                session: one(&self.sessions),
            },
            None => Target::default(),
        }
    }

    /// The one client the change is about, with their name.
    fn client(&self, conn: &Connection) -> Result<Option<(i64, String)>> {
        let Some(id) = self.target().client else {
            return Ok(None);
        };
        let name = match self.names.get(&id) {
            Some(n) => Some(n.clone()),
            None => conn
                .prepare_cached("SELECT name FROM clients WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?,
        };
        Ok(Some((
            id,
            name.unwrap_or_else(|| "a client no longer here".into()),
        )))
    }
}

/// The part of `t` that exists now.
fn still_there(conn: &Connection, t: Target) -> Result<Target> {
    let exists = |table: &str, id: Option<i64>| -> Result<Option<i64>> {
        let Some(id) = id else { return Ok(None) };
        let found: bool = conn
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"
            ))?
            .query_row([id], |r| r.get(0))?;
        Ok(found.then_some(id))
    };
    let Some(client) = exists("clients", t.client)? else {
        return Ok(Target::default());
    };
    let series = exists("series", t.series)?;
    let session = match series {
        Some(_) => exists("sessions", t.session)?,
        None => None,
    };
    Ok(Target {
        client: Some(client),
        series,
        session,
    })
}

/// Whether a row is still as a logged change left it. Columns added by a
/// migration after the change was logged are no part of what it changed, so
/// they do not count as a later edit.
fn unchanged_since(current: Option<&Value>, logged: Option<&Value>) -> bool {
    match (current, logged) {
        (Some(Value::Object(now)), Some(Value::Object(then))) => {
            then.iter().all(|(column, v)| now.get(column) == Some(v))
        }
        (now, then) => now == then,
    }
}

impl Store {
    /// The change `u` would undo, without changing anything.
    pub fn next_undo(&self) -> Result<Option<NextChange>> {
        self.next_change(UndoRedo::Undo)
    }

    /// The change `Ctrl-R` would redo (the newest undo, while no new
    /// change has been made since), without changing anything.
    pub fn next_redo(&self) -> Result<Option<NextChange>> {
        self.next_change(UndoRedo::Redo)
    }

    pub fn next_change(&self, way: UndoRedo) -> Result<Option<NextChange>> {
        let conn = self.conn();
        let Some(change_id) = next_change(conn, way)? else {
            return Ok(None);
        };
        let survey = Survey::of(conn, change_id)?;
        Ok(Some(NextChange {
            change_id,
            summary: survey.summary(),
            client: survey.client(conn)?,
            clients: survey.clients.len(),
            target: survey.target(),
        }))
    }

    /// Reverts the latest change that has not been undone yet, as a new
    /// audited change. Returns None when there is nothing to undo.
    pub fn undo_last(&mut self) -> Result<Option<Undone>> {
        self.revert(UndoRedo::Undo, None)
    }

    /// Puts back what the latest undo took back, as a new audited change,
    /// while no new change has been made since. None when there is nothing
    /// to redo.
    pub fn redo_last(&mut self) -> Result<Option<Undone>> {
        self.revert(UndoRedo::Redo, None)
    }

    /// Undoes or redoes the next change. With `expected` (a
    /// [`NextChange::change_id`] shown to the user) only that change: if
    /// another one has become next meanwhile, nothing is changed and the
    /// answer is a conflict. A record changed since the change was logged
    /// is a conflict too; either way nothing is written.
    pub fn revert(&mut self, way: UndoRedo, expected: Option<i64>) -> Result<Option<Undone>> {
        let files = crate::photo::PhotoStore::for_db(&self.path);
        let mut undone = self.revert_rows(way, expected, &files)?;
        if let Some(u) = &mut undone {
            u.leftover = crate::photo::attach::remove_released(&self.path, &u.released);
        }
        Ok(undone)
    }

    fn revert_rows(
        &mut self,
        way: UndoRedo,
        expected: Option<i64>,
        files: &crate::photo::PhotoStore,
    ) -> Result<Option<Undone>> {
        self.write(|w| {
            let next = next_change(&w.tx, way)?;
            if expected.is_some() && next != expected {
                return Err(StoreError::Conflict(format!(
                    "the last change is no longer the one shown (another change came in meanwhile); nothing was {}",
                    way.past()
                )));
            }
            let Some(change) = next else {
                return Ok(None);
            };
            let survey = Survey::of(&w.tx, change)?;
            // Newest row first, so that a session goes before its series
            // and a client is back before their series.
            let mut below = i64::MAX;
            let mut gone = Vec::new();
            loop {
                let batch = rows_below(&w.tx, change, below)?;
                let Some(oldest) = batch.last() else { break };
                below = oldest.id;
                for row in &batch {
                    gone.extend(revert_row(w, way, row, files)?);
                }
            }
            Ok(Some(Undone {
                summary: survey.summary(),
                target: still_there(&w.tx, survey.target())?,
                released: photos::released(&w.tx, &gone)?,
                leftover: Vec::new(),
            }))
        })
    }
}

/// The stored file a photo row image names.
fn file_in(image: Option<&Value>) -> Option<PhotoFile> {
    let image = image?;
    Some(PhotoFile {
        sha256: image.get("sha256")?.as_str()?.to_string(),
        format: image.get("format")?.as_str()?.to_string(),
        file_key: image
            .get("file_key")
            .and_then(Value::as_str)
            .map(String::from),
    })
}

/// Puts one row back as it was before `row` was logged, and logs that.
/// Returns the photo file a deleted photo row named, if it was one.
fn revert_row(
    w: &mut Tx<'_>,
    way: UndoRedo,
    row: &Logged,
    files: &crate::photo::PhotoStore,
) -> Result<Option<PhotoFile>> {
    let did = what(row.action, &row.summary);
    // Only erasure leaves a row with neither image; the record is gone
    // for good and must not come back.
    if row.before.is_none() && row.after.is_none() {
        return Err(StoreError::Conflict(format!(
            "cannot {} this change: the client's record was erased",
            way.action()
        )));
    }
    let current = w.row_image(row.entity, &row.uuid)?;
    if !unchanged_since(current.as_ref(), row.after.as_ref()) {
        return Err(StoreError::Conflict(format!(
            "cannot {} '{did}': the record was changed since",
            way.action()
        )));
    }
    // A photo row comes back only with its file: an undone attach removed
    // the file when no other row named it.
    if row.entity == Entity::Photo
        && let Some(f) = file_in(row.before.as_ref())
    {
        let key = f
            .file_key
            .as_deref()
            .map(crate::photo::FileKey::from_hex)
            .transpose()
            .ok();
        let present = crate::photo::Format::parse(&f.format)
            .zip(key)
            .and_then(|(format, key)| files.path(&f.sha256, format, key.as_ref()).ok())
            .is_some_and(|p| p.exists());
        if !present {
            return Err(StoreError::Conflict(format!(
                "cannot {} '{did}': the photo's file was removed when the attach was undone; \
                 attach the photo again",
                way.action()
            )));
        }
    }
    w.restore(row.entity, &row.uuid, row.before.as_ref())?;
    w.audit_row(
        row.entity,
        &row.uuid,
        way.action(),
        &format!("{}: {did}", way.action()),
        current.as_ref(),
        row.before.as_ref(),
        Some(row.id),
    )?;
    Ok(match (row.entity, row.before.is_none()) {
        (Entity::Photo, true) => file_in(current.as_ref()),
        _ => None,
    })
}
