//! Whole client trees added in bulk (the demo generator, tree imports): one
//! transaction however many clients there are, read from a stream so that
//! memory does not grow with their number.
//!
//! The list triggers would recompute a client's `client_list` row after
//! every series and session added, which was most of the time of a large
//! demo (measured). Here they are set aside for the transaction, the new
//! clients' rows are computed once at the end by the same SQL the triggers
//! run, and the triggers are put back from their own stored text. All of it
//! inside the one transaction: no other connection ever sees the file
//! without them, and a failure anywhere leaves the file as it was.

use super::audit::{Action, Entity, Tx};
use super::columns::{Write, write_child};
use super::tree::ClientTree;
use super::{Result, Store, StoreError, clients, schema};
use rusqlite::Connection;
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

/// Sets the list triggers aside, writes every tree, fills the new clients'
/// list rows and puts the triggers back.
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
    let mut first = None;
    for tree in trees {
        let id = write_tree(tx, tree?.borrow())?;
        first.get_or_insert(id);
    }
    for sql in indexes {
        tx.execute_batch(&sql)?;
    }
    // New clients' ids follow every existing one (the key is the rowid),
    // so "from the first new id on" is exactly the new clients.
    if let Some(first) = first {
        tx.execute_batch(&schema::refresh_list_from(first))?;
    }
    for sql in triggers {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

/// Drops the `kind` objects (triggers, indexes) of the client, series
/// and session tables that `pick` names, and returns their text as stored,
/// in the order they were made, to be run again. Indexes SQLite makes
/// itself (UNIQUE, PRIMARY KEY) have no text and stay.
fn set_aside(tx: &Connection, kind: &str, pick: impl Fn(&str) -> bool) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = ?1 AND sql IS NOT NULL
           AND tbl_name IN ('clients', 'series', 'sessions') ORDER BY rowid",
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

/// One client with their series and sessions; returns the client's key.
fn write_tree(tx: &Connection, t: &ClientTree) -> rusqlite::Result<i64> {
    let c = &t.client;
    let cid = clients::write_row(
        tx,
        Write::Insert,
        c.uuid,
        &c.data,
        c.created_at,
        c.updated_at,
        c.archived_at,
    )?;
    for st in &t.series {
        let s = &st.series;
        let (created, updated) = (s.created_at, s.updated_at);
        let sid = write_child(tx, Write::Insert, s.uuid, cid, &s.data, created, updated)?;
        for x in &st.sessions {
            let (created, updated) = (x.created_at, x.updated_at);
            write_child(tx, Write::Insert, x.uuid, sid, &x.data, created, updated)?;
        }
    }
    Ok(cid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Clock;
    use crate::demo::{DemoSpec, generate};
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
                for t in trees {
                    write_tree(&w.tx, t)?;
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
