//! The list row of a client added in bulk, computed in Rust from the tree
//! just written instead of by the triggers' SQL over the written rows.
//!
//! At 100,000 clients the SQL (`schema::refresh_list_from`: seven
//! correlated subqueries per client, one of them through `json_each`) took
//! about 1.9 s of CPU after the rows were written (BENCHMARKS.md, fifth
//! round); here each row costs one insert. Every column is what the SQL
//! gives, worked out from the values exactly as they are stored (each
//! field's [`Column::store`], the form the row was written in): the same
//! texts compared the same way (bytewise), the same NULLs, the same types.
//! Anything the Rust side does not reproduce for certain (a date SQLite's
//! `date()` would not print in four digits, a JSON text that is not an
//! array) is left to the SQL for that one client. The bulk writer's tests
//! compare every list row with what the triggers leave, and `check`
//! compares the list with the SQL afresh.

use super::columns::Column;
use super::schema;
use super::tree::ClientTree;
use crate::domain::{SeriesStatus, Session};
use chrono::{Days, NaiveDate};
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Connection, Statement};

const INSERT: &str = "INSERT INTO client_list (client_id, uuid, name, archived, screening_flag,
    series_id, concern, zones, planned, interval_min, interval_max, closed, done,
    last_session, last_visit, followup_pending, last_downtime, last_adverse,
    adverse_ongoing, due_opens, due_closes)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21)";

/// A field as it is stored, owned.
fn stored<T: Column>(v: &T) -> Value {
    match v.store() {
        // Text that is not UTF-8 (none: every stored text is a `String`)
        // becomes a blob, which no comparison below accepts as text.
        ToSqlOutput::Borrowed(r) => Value::try_from(r).unwrap_or(Value::Blob(Vec::new())),
        ToSqlOutput::Owned(v) => v,
        // No column type stores anything else; should one ever, it is not
        // a value to compare, and the row is left to the SQL.
        _ => Value::Blob(Vec::new()),
    }
}

/// The stored text, or None when it is not text.
fn text(v: Value) -> Option<String> {
    match v {
        Value::Text(s) => Some(s),
        _ => None,
    }
}

fn flag(b: bool) -> Value {
    Value::Integer(i64::from(b))
}

/// One written session: its `performed_at` as stored and its key, by which
/// "the latest" is ordered (`ORDER BY performed_at DESC, id DESC`).
struct Written<'a> {
    at: String,
    id: i64,
    session: &'a Session,
}

impl Written<'_> {
    fn key(&self) -> (&str, i64) {
        (&self.at, self.id)
    }
}

/// The list row's insert, prepared once by the bulk writer.
pub(super) fn prepare(tx: &Connection) -> rusqlite::Result<Statement<'_>> {
    tx.prepare(INSERT)
}

/// Adds, through `stmt` (from [`prepare`]), the list row of the client
/// `tree` just written with key `client_id`, its series' keys
/// `series_ids` and each series' sessions' keys `session_ids`, in the
/// tree's order.
pub(super) fn insert(
    tx: &Connection,
    stmt: &mut Statement<'_>,
    tree: &ClientTree,
    client_id: i64,
    series_ids: &[i64],
    session_ids: &[Vec<i64>],
) -> rusqlite::Result<()> {
    match row(tree, client_id, series_ids, session_ids) {
        Some(values) => {
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
        None => tx.execute_batch(&schema::refresh_list_of(client_id))?,
    }
    Ok(())
}

/// The row's 21 values, or None when one of them is better left to SQL.
fn row(
    tree: &ClientTree,
    client_id: i64,
    series_ids: &[i64],
    session_ids: &[Vec<i64>],
) -> Option<Vec<Value>> {
    let c = &tree.client;
    if tree.series.len() != series_ids.len()
        || session_ids.len() != series_ids.len()
        || tree
            .series
            .iter()
            .zip(session_ids)
            .any(|(s, ids)| s.sessions.len() != ids.len())
    {
        return None;
    }
    let mut per_series = Vec::with_capacity(tree.series.len());
    for (st, ids) in tree.series.iter().zip(session_ids) {
        let mut sessions = Vec::with_capacity(st.sessions.len());
        for (x, &id) in st.sessions.iter().zip(ids) {
            let at = text(stored(&x.data.performed_at))?;
            sessions.push(Written { at, id, session: x });
        }
        per_series.push(sessions);
    }
    let all = per_series.iter().flatten();
    let client_latest = all.clone().max_by(|a, b| a.key().cmp(&b.key()));
    let last_visit = client_latest.map(|w| w.at.clone());

    // The current series: the newest active one, else the newest
    // (`ORDER BY status = 'active' DESC, started_on DESC, id DESC`).
    let active = text(stored(&SeriesStatus::Active))?;
    let mut current = None;
    for (i, st) in tree.series.iter().enumerate() {
        let status = text(stored(&st.series.data.status))?;
        let started = text(stored(&st.series.data.started_on))?;
        let key = (status == active, started, series_ids[i]);
        if current.as_ref().is_none_or(|(k, _)| key > *k) {
            current = Some((key, i));
        }
    }

    let mut out = Vec::with_capacity(21);
    out.push(Value::Integer(client_id));
    out.push(Value::Text(c.uuid.to_string()));
    out.push(stored(&c.data.name));
    out.push(flag(c.archived_at.is_some()));
    out.push(flag(text(stored(&c.data.screening))? != "[]"));

    let mut due = (Value::Null, Value::Null);
    match current {
        None => {
            // No series: its columns NULL, none done, nothing pending.
            out.extend([Value::Null, Value::Null, Value::Null, Value::Null]);
            out.extend([Value::Null, Value::Null, Value::Null]);
            out.push(Value::Integer(0));
            out.push(Value::Null);
            out.push(text_or_null(last_visit));
            out.push(Value::Integer(0));
        }
        Some(((is_active, _, sid), i)) => {
            let s = &tree.series[i].series.data;
            let sessions = &per_series[i];
            let planned = stored(&s.planned_sessions);
            let (min, max) = (stored(&s.interval_min_days), stored(&s.interval_max_days));
            out.push(Value::Integer(sid));
            out.push(stored(&s.concern));
            out.push(stored(&s.zones));
            out.push(planned.clone());
            out.push(min.clone());
            out.push(max.clone());
            out.push(flag(!is_active));
            let done = sessions.len() as i64;
            out.push(Value::Integer(done));
            let series_latest = sessions.iter().max_by(|a, b| a.key().cmp(&b.key()));
            let last_session = series_latest.map(|w| w.at.clone());
            out.push(text_or_null(last_session.clone()));
            out.push(text_or_null(last_visit));
            out.push(flag(series_latest.is_some_and(|w| pending(w.session))));
            let Value::Integer(planned) = planned else {
                return None;
            };
            if is_active && done > 0 && done < planned {
                let last = last_session?;
                due = (after(&last, &min)?, after(&last, &max)?);
            }
        }
    }
    match client_latest {
        Some(w) => {
            let f = &w.session.data.followup;
            out.push(worst(&[
                stored(&f.redness_days),
                stored(&f.swelling_days),
                stored(&f.peeling_days),
            ])?);
            out.push(flag(text(stored(&f.adverse_events))? != "[]"));
        }
        None => out.extend([Value::Null, Value::Integer(0)]),
    }
    let mut ongoing = false;
    for w in all {
        ongoing |= ongoing_event(&text(stored(&w.session.data.followup.adverse_events))?)?;
    }
    out.push(flag(ongoing));
    out.extend([due.0, due.1]);
    Some(out)
}

fn text_or_null(s: Option<String>) -> Value {
    s.map_or(Value::Null, Value::Text)
}

/// `{pending}` (schema::PENDING) of a session: no days, no adverse event
/// and no follow-up note.
fn pending(x: &Session) -> bool {
    let f = &x.data.followup;
    stored(&f.redness_days) == Value::Null
        && stored(&f.swelling_days) == Value::Null
        && stored(&f.peeling_days) == Value::Null
        && text(stored(&f.adverse_events)).is_some_and(|t| t == "[]")
        && text(stored(&f.notes)).is_some_and(|t| t.is_empty())
}

/// The worst of the three downtime columns: NULL when all are, else the
/// largest with NULL as 0 (stored in a REAL column). None when one is
/// neither NULL nor a number.
fn worst(days: &[Value]) -> Option<Value> {
    if days.iter().all(|d| *d == Value::Null) {
        return Some(Value::Null);
    }
    let mut most = f64::NEG_INFINITY;
    for d in days {
        most = most.max(match d {
            Value::Null => 0.0,
            Value::Real(r) if !r.is_nan() => *r,
            Value::Integer(i) => *i as f64,
            _ => return None,
        });
    }
    Some(Value::Real(most))
}

/// `date(at, '+' || days || ' days')`: the day of `at` (a stored moment,
/// `YYYY-MM-DD HH:MM`) plus `days`. None for what SQLite's `date()` would
/// not give as a plain four-digit-year day.
pub(super) fn after(at: &str, days: &Value) -> Option<Value> {
    let Value::Integer(days) = *days else {
        return None;
    };
    let day = NaiveDate::parse_from_str(at.get(..10)?, "%Y-%m-%d").ok()?;
    let due = day.checked_add_days(Days::new(u64::try_from(days).ok()?))?;
    use chrono::Datelike;
    (1..=9999)
        .contains(&due.year())
        .then(|| Value::Text(due.format("%Y-%m-%d").to_string()))
}

/// Whether a stored adverse-event list holds an event with an onset and no
/// resolved date, as `ADVERSE_ONGOING` reads it: `json_extract(e.value,
/// '$.onset') IS NOT NULL AND json_extract(e.value, '$.resolved_on') IS
/// NULL` over the array's elements (JSON null is SQL NULL; an element that
/// is not an object has neither). None when the text is not a JSON array.
pub(super) fn ongoing_event(events: &str) -> Option<bool> {
    if events == "[]" {
        return Some(false);
    }
    let serde_json::Value::Array(all) = serde_json::from_str(events).ok()? else {
        return None;
    };
    let present = |e: &serde_json::Value, key: &str| e.get(key).is_some_and(|v| !v.is_null());
    Some(
        all.iter()
            .any(|e| e.is_object() && present(e, "onset") && !present(e, "resolved_on")),
    )
}
