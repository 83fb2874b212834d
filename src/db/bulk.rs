//! Whole client trees added in bulk (the demo generator, tree imports): one
//! transaction however many clients there are, read from a stream so that
//! memory does not grow with their number.
//!
//! The list triggers would recompute a client's `client_list` row after
//! every series and session added, which was most of the time of a large
//! demo (measured). Here they are set aside for the transaction, each new
//! client's row is computed in Rust as the client is written (`bulk_list`:
//! the same values the triggers' SQL gives, a fraction of its time), and
//! the triggers are put back from their own stored text. All of it
//! inside the one transaction: no other connection ever sees the file
//! without them, and a failure anywhere leaves the file as it was.

use super::audit::{Action, Entity, Tx};
use super::columns::{CLIENTS, SERIES, SESSIONS, Write, run_child};
use super::tree::ClientTree;
use super::{Result, Store, StoreError, bulk_list, clients, schema};
use rusqlite::{Connection, Statement};
use std::borrow::Borrow;

/// SQLite's page cache during a bulk write, in KiB: large enough that the
/// indexes written in random order (UUIDs, names, session times) mostly
/// stay in memory, small enough for the 100 MB the demo may use.
const BULK_CACHE_KIB: i64 = 32 * 1024;

impl Store {
    /// Inserts whole trees as they are (UUIDs and timestamps included), as
    /// they come from `trees`, in one transaction with one audit row that
    /// says what was added. An error from the stream, or in any row, undoes
    /// everything. The stored result is exactly what inserting them one row
    /// at a time with the triggers in place gives (the tests below).
    pub fn insert_tree_stream<T, I>(
        &mut self,
        trees: I,
        action: Action,
        summary: &str,
    ) -> Result<()>
    where
        T: Borrow<ClientTree>,
        I: IntoIterator<Item = Result<T>>,
    {
        let mut trees = Some(trees.into_iter());
        self.write(|w: &mut Tx<'_>| {
            // A write is retried only when the file was busy at its start,
            // before the stream was read; a stream read once cannot be
            // read again.
            let trees = trees.take().ok_or_else(|| {
                StoreError::Other("the bulk write was interrupted; nothing was added".into())
            })?;
            let cache: i64 = w.tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
            w.tx.execute_batch(&format!("PRAGMA cache_size = -{BULK_CACHE_KIB}"))?;
            let written = write_all(&w.tx, trees);
            w.tx.execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
            written?;
            w.audit_note(Entity::Database, "", action, summary)?;
            Ok(())
        })
    }
}

/// Sets the list triggers aside, writes every tree with its list row and
/// puts the triggers back.
fn write_all<T: Borrow<ClientTree>>(
    tx: &Connection,
    trees: impl Iterator<Item = Result<T>>,
) -> Result<()> {
    let triggers = set_aside(tx, "trigger", |name| schema::LIST_TRIGGERS.contains(&name))?;
    // Filling an empty file: the indexes are made once at the end, from
    // sorted keys, rather than kept up to date row by row in random order.
    let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM clients)", [], |r| {
        r.get(0)
    })?;
    let indexes = if empty {
        set_aside(tx, "index", |_| true)?
    } else {
        Vec::new()
    };
    {
        let mut inserts = Inserts::prepare(tx)?;
        for tree in trees {
            write_tree(tx, &mut inserts, tree?.borrow(), true)?;
        }
    }
    for sql in indexes {
        tx.execute_batch(&sql)?;
    }
    for sql in triggers {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

/// Drops the `kind` objects (triggers, indexes) of the client, series,
/// session and client list tables that `pick` names, and returns their
/// text as stored, in the order they were made, to be run again. Indexes
/// SQLite makes itself (UNIQUE, PRIMARY KEY) have no text and stay.
fn set_aside(tx: &Connection, kind: &str, pick: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = ?1 AND sql IS NOT NULL
           AND tbl_name IN ('clients', 'series', 'sessions', 'client_list') ORDER BY rowid",
    )?;
    let objects = stmt
        .query_map([kind], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut kept = Vec::new();
    for (name, sql) in objects {
        if pick(&name) {
            tx.execute_batch(&format!(
                "DROP {} \"{}\"",
                kind.to_uppercase(),
                name.replace('"', "\"\"")
            ))?;
            kept.push(sql);
        }
    }
    Ok(kept)
}

/// The bulk writer's statements, prepared once (after the triggers and
/// indexes are set aside) rather than found by their text for every row.
struct Inserts<'c> {
    client: Statement<'c>,
    series: Statement<'c>,
    session: Statement<'c>,
    list: Statement<'c>,
}

impl<'c> Inserts<'c> {
    fn prepare(tx: &'c Connection) -> rusqlite::Result<Self> {
        Ok(Self {
            client: tx.prepare(CLIENTS.sql(Write::Insert))?,
            series: tx.prepare(SERIES.sql(Write::Insert))?,
            session: tx.prepare(SESSIONS.sql(Write::Insert))?,
            list: bulk_list::prepare(tx)?,
        })
    }
}

/// One client with their series and sessions, and with `list` the
/// client's list row (computed in Rust, see `bulk_list`; the triggers are
/// set aside). Returns the client's key.
fn write_tree(
    tx: &Connection,
    inserts: &mut Inserts<'_>,
    t: &ClientTree,
    list: bool,
) -> rusqlite::Result<i64> {
    let c = &t.client;
    clients::run_row(
        &mut inserts.client,
        c.uuid,
        &c.data,
        c.created_at,
        c.updated_at,
        c.archived_at,
    )?;
    let cid = tx.last_insert_rowid();
    let mut series_ids = Vec::with_capacity(t.series.len());
    let mut session_ids = Vec::with_capacity(t.series.len());
    for st in &t.series {
        let s = &st.series;
        let (created, updated) = (s.created_at, s.updated_at);
        run_child(&mut inserts.series, s.uuid, cid, &s.data, created, updated)?;
        let sid = tx.last_insert_rowid();
        let mut ids = Vec::with_capacity(st.sessions.len());
        for x in &st.sessions {
            let (created, updated) = (x.created_at, x.updated_at);
            run_child(&mut inserts.session, x.uuid, sid, &x.data, created, updated)?;
            ids.push(tx.last_insert_rowid());
        }
        series_ids.push(sid);
        session_ids.push(ids);
    }
    if list {
        bulk_list::insert(tx, &mut inserts.list, t, cid, &series_ids, &session_ids)?;
    }
    Ok(cid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Clock;
    use crate::demo::{DemoSpec, generate};
    use chrono::NaiveDate;
    use rusqlite::types::Value;

    fn trees(clients: usize) -> Vec<ClientTree> {
        generate(DemoSpec {
            clients,
            seed: 5,
            today: crate::testing::today(),
        })
    }

    fn open(dir: &tempfile::TempDir, name: &str) -> Store {
        let mut store = Store::open(&dir.path().join(name)).unwrap();
        store.set_clock(Clock::Fixed(crate::demo::generated_at(
            crate::testing::today(),
        )));
        store
    }

    /// Every row of every table, by key.
    fn rows(store: &Store) -> Vec<String> {
        let conn = store.conn();
        let mut out = Vec::new();
        for table in ["clients", "series", "sessions", "client_list", "audit"] {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
                .unwrap();
            let n = stmt.column_count();
            let mut q = stmt.query([]).unwrap();
            while let Some(r) = q.next().unwrap() {
                let values: Vec<Value> = (0..n).map(|i| r.get(i).unwrap()).collect();
                out.push(format!("{table}: {values:?}"));
            }
        }
        out
    }

    /// A schema object: type, name, text.
    type Object = (String, String, Option<String>);

    /// The schema's objects, sorted, and the triggers' names in the order
    /// they were made.
    fn schema(store: &Store) -> (Vec<Object>, Vec<String>) {
        let conn = store.conn();
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
            .unwrap();
        let objects = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid")
            .unwrap();
        let triggers = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        (objects, triggers)
    }

    /// The rows as the ordinary path writes them: one at a time, the list
    /// triggers and the indexes in place.
    fn row_by_row(store: &mut Store, trees: &[ClientTree], summary: &str) {
        store
            .write(|w| {
                {
                    let mut inserts = Inserts::prepare(&w.tx)?;
                    for t in trees {
                        write_tree(&w.tx, &mut inserts, t, false)?;
                    }
                }
                w.audit_note(Entity::Database, "", Action::Demo, summary)?;
                Ok(())
            })
            .unwrap();
    }

    /// Into an empty file (indexes and triggers set aside) and then into one
    /// that has clients (triggers only), the bulk writer stores exactly
    /// what writing row by row with the triggers stores: every row of
    /// every table, the list included, and the same schema.
    #[test]
    fn bulk_equals_row_by_row() {
        let dir = tempfile::tempdir().unwrap();
        let all = trees(150);
        let (first, then) = all.split_at(90);
        let mut bulk = open(&dir, "bulk.db");
        let mut plain = open(&dir, "plain.db");
        let fresh = schema(&bulk);
        for (part, summary) in [(first, "first"), (then, "then")] {
            bulk.insert_tree_stream(part.iter().map(Ok), Action::Demo, summary)
                .unwrap();
            row_by_row(&mut plain, part, summary);
            assert_eq!(rows(&bulk), rows(&plain), "after {summary}");
        }
        assert!(rows(&bulk).len() > 150 * 4, "{} rows", rows(&bulk).len());
        assert_eq!(schema(&bulk), fresh);
        assert_eq!(schema(&plain), fresh);
        let report = bulk.check().unwrap();
        assert!(report.integrity.is_empty(), "{:?}", report.integrity);
        // The triggers are back: a later ordinary change keeps the list.
        bulk.conn()
            .execute("DELETE FROM sessions WHERE id = 1", [])
            .unwrap();
        plain
            .conn()
            .execute("DELETE FROM sessions WHERE id = 1", [])
            .unwrap();
        assert_eq!(rows(&bulk), rows(&plain));
    }

    /// Trees shaped to meet every case of the list row computed in Rust
    /// (`bulk_list`): no series, a series without sessions, two active
    /// series started the same day, sessions at the same moment in two
    /// series, ongoing, resolved and undated adverse events, half days, a
    /// follow-up note only, archived clients. Each row equals what the
    /// triggers leave, and `check` finds the list in step.
    #[test]
    fn list_rows_computed_in_rust_equal_the_triggers() {
        use crate::domain::{AdverseEvent, AdverseKind, Days, SeriesStatus};
        let event = |onset: Option<NaiveDate>, resolved: Option<NaiveDate>| AdverseEvent {
            kind: AdverseKind::Pih,
            note: String::new(),
            severity: None,
            onset,
            resolved_on: resolved,
            action: String::new(),
        };
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let mut all = trees(40);
        for (i, t) in all.iter_mut().enumerate() {
            match i % 10 {
                0 => t.series.clear(),
                1 => {
                    if let Some(s) = t.series.first_mut() {
                        s.sessions.clear();
                    }
                }
                2 => {
                    let mut twin = t.series[0].clone();
                    twin.series.uuid = uuid::Uuid::from_u128(0xfeed_0000 + i as u128);
                    for (k, x) in twin.sessions.iter_mut().enumerate() {
                        x.uuid = uuid::Uuid::from_u128(0xbeef_0000 + (i * 100 + k) as u128);
                    }
                    for s in [&mut t.series[0], &mut twin] {
                        s.series.data.status = SeriesStatus::Active;
                        s.series.data.closure = Default::default();
                    }
                    t.series.push(twin);
                }
                3 => {
                    for s in &mut t.series {
                        for x in &mut s.sessions {
                            x.data.followup.adverse_events =
                                vec![event(Some(day(1)), None), event(None, None)];
                        }
                    }
                }
                4 => {
                    for s in &mut t.series {
                        for x in &mut s.sessions {
                            x.data.followup.adverse_events =
                                vec![event(Some(day(1)), Some(day(9))), event(None, Some(day(2)))];
                        }
                    }
                }
                5 => {
                    for s in &mut t.series {
                        for x in &mut s.sessions {
                            let f = &mut x.data.followup;
                            f.redness_days = Days::from_halves("redness_days", 3).ok();
                            f.swelling_days = None;
                            f.peeling_days = Days::from_halves("peeling_days", 0).ok();
                        }
                    }
                }
                6 => {
                    for s in &mut t.series {
                        for x in &mut s.sessions {
                            let f = &mut x.data.followup;
                            f.redness_days = None;
                            f.swelling_days = None;
                            f.peeling_days = None;
                            f.adverse_events.clear();
                            f.notes = "fine".into();
                        }
                    }
                }
                7 => t.client.archived_at = Some(t.client.updated_at),
                _ => {}
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let mut bulk = open(&dir, "bulk.db");
        let mut plain = open(&dir, "plain.db");
        bulk.insert_tree_stream(all.iter().map(Ok), Action::Demo, "d")
            .unwrap();
        row_by_row(&mut plain, &all, "d");
        assert_eq!(rows(&bulk), rows(&plain));
        let ongoing: i64 = bulk
            .conn()
            .query_row("SELECT sum(adverse_ongoing) FROM client_list", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(ongoing >= 4, "{ongoing} clients with an ongoing event");
        let report = bulk.check().unwrap();
        assert!(report.integrity.is_empty(), "{:?}", report.integrity);
    }

    /// The cases the list row leaves to SQL are exactly what SQL gives.
    #[test]
    fn the_rust_list_row_is_refused_where_sql_must_decide() {
        use crate::db::bulk_list::{after, ongoing_event as ongoing};
        use rusqlite::types::Value;
        assert_eq!(
            after("2026-01-30 10:00", &Value::Integer(30)),
            Some(Value::Text("2026-03-01".into()))
        );
        assert_eq!(after("9999-12-30 10:00", &Value::Integer(5)), None);
        assert_eq!(after("2026-01-30 10:00", &Value::Integer(-1)), None);
        assert_eq!(ongoing("[]"), Some(false));
        assert_eq!(ongoing(r#"[{"onset":"2026-01-01"}]"#), Some(true));
        assert_eq!(ongoing(r#"[{"onset":null}]"#), Some(false));
        assert_eq!(
            ongoing(r#"[{"onset":"2026-01-01","resolved_on":null}]"#),
            Some(true)
        );
        assert_eq!(ongoing(r#"["onset"]"#), Some(false));
        assert_eq!(ongoing("{}"), None);
    }

    /// An error in the stream undoes every row written before it, and the
    /// triggers and indexes set aside are there again.
    #[test]
    fn an_error_in_the_stream_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir, "bulk.db");
        let fresh = schema(&store);
        let all = trees(3);
        let stream = all
            .iter()
            .map(Ok)
            .chain([Err(StoreError::Other("the file ended early".into()))]);
        let e = store
            .insert_tree_stream(stream, Action::Import, "import")
            .unwrap_err();
        assert_eq!(e.to_string(), "the file ended early");
        assert!(rows(&store).is_empty());
        assert_eq!(schema(&store), fresh);
    }
}
