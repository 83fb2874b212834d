//! Bringing records in: merging a JSON export by UUID, and adding a client
//! list from a spreadsheet. Each import is one transaction: a record that
//! fails validation aborts it whole, and the database is left as it was.

use super::audit::{Action, Entity, Tx};
use super::columns::{Write, write_child};
use super::error::StoreError;
use super::rows::{self, DATETIME, Stored, date_text};
use super::tree::ClientTree;
use super::{Result, Store, clients};
use crate::domain::{
    Client, ClientDraft, OutcomeScale, Series, SeriesDraft, Session, ValidationError,
};
use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// What happened to the records of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeCounts {
    /// New here: inserted.
    pub added: usize,
    /// Different here and older: replaced by the file's version.
    pub updated: usize,
    /// The same here and in the file.
    pub unchanged: usize,
    /// Different here and as new or newer: this database's version kept.
    pub kept: usize,
}

impl MergeCounts {
    fn count(&mut self, d: Decision) {
        match d {
            Decision::Add => self.added += 1,
            Decision::Update => self.updated += 1,
            Decision::Unchanged => self.unchanged += 1,
            Decision::KeepOurs => self.kept += 1,
        }
    }
}

impl std::fmt::Display for MergeCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} added, {} updated, {} unchanged",
            self.added, self.updated, self.unchanged
        )?;
        if self.kept > 0 {
            write!(f, ", {} kept (newer here)", self.kept)?;
        }
        Ok(())
    }
}

/// What a JSON import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub clients: MergeCounts,
    pub series: MergeCounts,
    pub sessions: MergeCounts,
    /// Photos the file listed and the import left out (their rows are not
    /// imported: the file carries no photo files).
    pub photos_skipped: usize,
}

impl ImportSummary {
    pub fn changed(&self) -> bool {
        [self.clients, self.series, self.sessions]
            .iter()
            .any(|c| c.added + c.updated > 0)
    }
}

/// One row of a client list, already checked with [`ClientDraft::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListedClient {
    /// Where the row starts in the file, for messages.
    pub line: u64,
    pub uuid: Option<Uuid>,
    pub draft: ClientDraft,
}

/// What a client-list import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientListSummary {
    pub added: usize,
    /// Rows left out because the client is already here: line and name.
    pub already_present: Vec<(u64, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Add,
    Update,
    Unchanged,
    KeepOurs,
}

/// Identical records are left alone; otherwise the newer `updated_at` wins,
/// and a tie keeps what is here (nothing is replaced without a reason).
fn decide(same: Option<bool>, ours: DateTime<Utc>, theirs: DateTime<Utc>) -> Decision {
    match same {
        None => Decision::Add,
        Some(true) => Decision::Unchanged,
        Some(false) if theirs > ours => Decision::Update,
        Some(false) => Decision::KeepOurs,
    }
}

/// The database keeps timestamps to the millisecond; a file's finer ones
/// are rounded the same way so that a second import finds them equal.
fn ms(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

fn invalid(what: &str, errors: Vec<ValidationError>) -> StoreError {
    let parts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    StoreError::Other(format!("{what}: {}", parts.join("; ")))
}

/// What the merge reads of a record besides its fields.
trait Merged: Stored {
    /// Its kind in the audit log.
    const AUDIT: Entity;
    fn key(&self) -> i64;
    fn uuid(&self) -> Uuid;
    fn updated_at(&self) -> DateTime<Utc>;
    /// The key of the record it belongs under, and what that is (a client
    /// belongs under none).
    fn parent(&self) -> Option<(i64, &'static str)>;
}

macro_rules! merged {
    (@parent $self:ident) => { None };
    (@parent $self:ident $field:ident $what:literal) => { Some(($self.$field, $what)) };
    ($($ty:ident $(under $field:ident $what:literal)?;)*) => {$(
        impl Merged for $ty {
            const AUDIT: Entity = Entity::$ty;
            fn key(&self) -> i64 {
                self.id
            }
            fn uuid(&self) -> Uuid {
                self.uuid
            }
            fn updated_at(&self) -> DateTime<Utc> {
                self.updated_at
            }
            fn parent(&self) -> Option<(i64, &'static str)> {
                merged!(@parent self $($field $what)?)
            }
        }
    )*};
}

merged! {
    Client;
    Series under client_id "client";
    Session under series_id "series";
}

/// What to do with a record from the file.
enum Merge<T> {
    /// Add the file's version.
    Add,
    /// Rewrite the record here in place (same key) with the file's version.
    Update(T),
    /// Keep the record here as it is.
    Keep(T),
}

/// Looks up the record here with the UUID of `theirs` (the file's), refuses
/// it when it belongs under another record than `parent` (the key here of
/// the file record's parent), and decides what to do (see [`decide`]; `same`
/// says whether the record here holds the file's fields), counted in
/// `counts`.
fn compare<T: Merged>(
    w: &Tx<'_>,
    theirs: &T,
    parent: Option<i64>,
    same: impl Fn(&T) -> bool,
    what: &dyn Fn() -> String,
    counts: &mut MergeCounts,
) -> Result<Merge<T>> {
    let ours: Option<T> = rows::find(&w.tx, "uuid", theirs.uuid().to_string())?;
    if let Some((here, kind)) = ours.as_ref().and_then(Merged::parent)
        && Some(here) != parent
    {
        return Err(StoreError::Conflict(format!(
            "{}: belongs to another {kind} in this database than in the file",
            what()
        )));
    }
    let updated = ms(theirs.updated_at());
    let decision = decide(
        ours.as_ref().map(same),
        ours.as_ref().map_or(updated, T::updated_at),
        updated,
    );
    counts.count(decision);
    Ok(match (decision, ours) {
        (Decision::Add, _) | (_, None) => Merge::Add,
        (Decision::Update, Some(o)) => Merge::Update(o),
        (Decision::Unchanged | Decision::KeepOurs, Some(o)) => Merge::Keep(o),
    })
}

/// Carries out `merge` for `theirs`: `write` adds the file's version or
/// rewrites the row in place, as told, and an audit row says "import: add
/// {added}" or "import: update {updated} (newer in the file)". Returns the
/// record's key here and whether the file's version was written.
fn write_theirs<T: Merged>(
    w: &mut Tx<'_>,
    merge: Merge<T>,
    theirs: &T,
    [added, updated]: [&str; 2],
    write: impl FnOnce(&Connection, Write) -> rusqlite::Result<i64>,
) -> Result<(i64, bool)> {
    let uuid = theirs.uuid().to_string();
    let (id, before, text) = match merge {
        Merge::Keep(o) => return Ok((o.key(), false)),
        Merge::Add => {
            let id = write(&w.tx, Write::Insert)?;
            (id, None, format!("import: add {added}"))
        }
        Merge::Update(o) => {
            let before = w.row_image(T::AUDIT, &uuid)?;
            // Same way as an edit: rewrite the row, keep its key.
            write(&w.tx, Write::Replace)?;
            let text = format!("import: update {updated} (newer in the file)");
            (o.key(), before, text)
        }
    };
    w.audit_change(T::AUDIT, &uuid, Action::Import, &text, before)?;
    Ok((id, true))
}

impl Store {
    /// Merges exported trees into this database, matching records by UUID
    /// (see [`decide`]). Every record is validated as if typed in, against
    /// `now`; the first bad one aborts the whole import with a message that
    /// names it. Each record added or updated gets an audit row ("import").
    pub fn import_trees(
        &mut self,
        trees: &[ClientTree],
        now: NaiveDateTime,
    ) -> Result<ImportSummary> {
        self.import_from(now, |sink| trees.iter().try_for_each(&mut *sink))
    }

    /// [`Store::import_trees`] for trees that `feed` hands to the sink it
    /// is given one by one (read from a file as they come): all of them in
    /// one transaction, which an error of `feed` or of any tree rolls back
    /// whole. `feed` runs again from the start if the transaction has to be
    /// retried (the database was busy), so it reads its source anew.
    pub fn import_from(
        &mut self,
        now: NaiveDateTime,
        mut feed: impl FnMut(&mut dyn FnMut(&ClientTree) -> Result<()>) -> Result<()>,
    ) -> Result<ImportSummary> {
        self.write(|w| {
            let mut summary = ImportSummary::default();
            let mut i = 0;
            feed(&mut |tree: &ClientTree| {
                let at = format!("clients[{i}]");
                i += 1;
                merge_tree(w, tree, now, &mut summary).map_err(|e| at_path(e, &at))
            })?;
            Ok(summary)
        })
    }

    /// Adds clients from a list. A row whose UUID is already here, or whose
    /// name (ignoring case) and date of birth match a client here or an
    /// earlier row, is left out and reported, so that importing the same
    /// list twice adds nobody twice.
    pub fn import_client_list(&mut self, list: &[ListedClient]) -> Result<ClientListSummary> {
        self.write(|w| {
            let mut summary = ClientListSummary::default();
            for row in list {
                let c = &row.draft;
                let by_uuid = match row.uuid {
                    Some(u) => rows::find::<Client>(&w.tx, "uuid", u.to_string())?.is_some(),
                    None => false,
                };
                let by_name: bool = w.tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM clients WHERE name = ?1 COLLATE NOCASE
                                    AND date_of_birth IS ?2)",
                    params![c.name, date_text(c.date_of_birth)],
                    |r| r.get(0),
                )?;
                if by_uuid || by_name {
                    summary.already_present.push((row.line, c.name.clone()));
                    continue;
                }
                let uuid = row.uuid.unwrap_or_else(Uuid::now_v7);
                clients::write_row(&w.tx, Write::Insert, uuid, c, w.now, w.now, None)?;
                let text = format!("import client {} from a client list", c.name);
                w.audit_change(
                    Entity::Client,
                    &uuid.to_string(),
                    Action::Import,
                    &text,
                    None,
                )?;
                summary.added += 1;
            }
            Ok(summary)
        })
    }
}

/// `e`, about the record at `at` (`clients[3]`, `series[0].sessions[2]`
/// below a client), with that path in front of its message: where the
/// record stands in the file (the trees come in the file's order).
fn at_path(e: StoreError, at: &str) -> StoreError {
    let join = |m: String| {
        if m.starts_with("series[") {
            format!("{at}.{m}")
        } else {
            format!("{at}: {m}")
        }
    };
    match e {
        StoreError::Other(m) => StoreError::Other(join(m)),
        StoreError::Conflict(m) => StoreError::Conflict(join(m)),
        other => other,
    }
}

/// Merges one client with its series and sessions.
fn merge_tree(
    w: &mut Tx<'_>,
    tree: &ClientTree,
    now: NaiveDateTime,
    summary: &mut ImportSummary,
) -> Result<()> {
    let (client_id, name) = merge_client(w, &tree.client, now, summary)?;
    for (j, st) in tree.series.iter().enumerate() {
        let at = format!("series[{j}]");
        let (series_id, scale, touched) =
            merge_series(w, client_id, &name, &st.series, summary).map_err(|e| at_path(e, &at))?;
        for (k, x) in st.sessions.iter().enumerate() {
            merge_session(w, series_id, scale, &name, x, now, summary)
                .map_err(|e| at_path(e, &format!("{at}.sessions[{k}]")))?;
        }
        if touched {
            check_scores_fit(w, series_id, scale, &name, &st.series)
                .map_err(|e| at_path(e, &at))?;
        }
    }
    Ok(())
}

fn merge_client(
    w: &mut Tx<'_>,
    c: &Client,
    now: NaiveDateTime,
    summary: &mut ImportSummary,
) -> Result<(i64, String)> {
    let what = || format!("client '{}' ({})", c.data.name, c.uuid);
    let clean = c
        .data
        .validate(now.date())
        .map_err(|e| invalid(&what(), e))?;
    let archived = c.archived_at.map(ms);
    let same = |o: &Client| o.data == clean && o.archived_at == archived;
    let merge = compare(w, c, None, same, &what, &mut summary.clients)?;
    let label = format!("client {}", clean.name);
    let (created, updated) = (ms(c.created_at), ms(c.updated_at));
    let write = |tx: &Connection, how| {
        clients::write_row(tx, how, c.uuid, &clean, created, updated, archived)
    };
    let (id, _) = write_theirs(w, merge, c, [&label, &label], write)?;
    Ok((id, clean.name))
}

/// Returns the series' key here, the scale its sessions are scored on after
/// the merge, and whether the file's version was written.
fn merge_series(
    w: &mut Tx<'_>,
    client_id: i64,
    name: &str,
    s: &Series,
    summary: &mut ImportSummary,
) -> Result<(i64, OutcomeScale, bool)> {
    let what = || format!("{} series {} of '{name}'", s.data.concern.label(), s.uuid);
    let draft = SeriesDraft::from(&s.data);
    let clean = draft.validate().map_err(|e| invalid(&what(), e))?;
    let same = |o: &Series| o.data == clean;
    let merge = compare(w, s, Some(client_id), same, &what, &mut summary.series)?;
    if let Merge::Keep(o) = merge {
        return Ok((o.id, o.data.outcome_scale, false));
    }
    let concern = clean.concern.label();
    let labels = [
        format!("{concern} series for {name}"),
        format!("{concern} series of {name}"),
    ];
    let (created, updated) = (ms(s.created_at), ms(s.updated_at));
    let write =
        |tx: &Connection, how| write_child(tx, how, s.uuid, client_id, &clean, created, updated);
    let (id, _) = write_theirs(w, merge, s, [&labels[0], &labels[1]], write)?;
    Ok((id, clean.outcome_scale, true))
}

#[allow(clippy::too_many_arguments)]
fn merge_session(
    w: &mut Tx<'_>,
    series_id: i64,
    scale: OutcomeScale,
    name: &str,
    x: &Session,
    now: NaiveDateTime,
    summary: &mut ImportSummary,
) -> Result<()> {
    let what = || {
        format!(
            "session of {} ({}) of '{name}'",
            x.data.performed_at.format(DATETIME),
            x.uuid
        )
    };
    let clean = x
        .data
        .validate(scale, now)
        .map_err(|e| invalid(&what(), e))?;
    let same = |o: &Session| o.data == clean;
    let merge = compare(w, x, Some(series_id), same, &what, &mut summary.sessions)?;
    let label = format!(
        "session of {} for {name}",
        clean.performed_at.format(DATETIME)
    );
    let (created, updated) = (ms(x.created_at), ms(x.updated_at));
    let write =
        |tx: &Connection, how| write_child(tx, how, x.uuid, series_id, &clean, created, updated);
    write_theirs(w, merge, x, [&label, &label], write)?;
    Ok(())
}

/// After a series was written from the file, every score it holds (the
/// file's and any kept here) must fit its scale.
fn check_scores_fit(
    w: &Tx<'_>,
    series_id: i64,
    scale: OutcomeScale,
    name: &str,
    s: &Series,
) -> Result<()> {
    let (lo, hi) = scale.range();
    let bad: Option<String> =
        w.tx.query_row(
            "SELECT performed_at FROM sessions WHERE series_id = ?1 AND outcome_score IS NOT NULL
             AND outcome_score NOT BETWEEN ?2 AND ?3 ORDER BY performed_at LIMIT 1",
            params![series_id, lo, hi],
            |r| r.get(0),
        )
        .optional()?;
    match bad {
        None => Ok(()),
        Some(when) => Err(StoreError::Conflict(format!(
            "{} series {} of '{name}': the session of {when} has a score outside the {}",
            s.data.concern.label(),
            s.uuid,
            scale.label()
        ))),
    }
}
