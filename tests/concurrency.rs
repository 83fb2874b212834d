//! Several needlelogs on one database at once: writers wait for each other
//! instead of failing with "database is locked", and programs that create
//! the same new file at the same moment all succeed.
#![cfg(unix)]

use needlelog::db::{Store, StoreError};
use needlelog::domain::ClientDraft;
use rusqlite::Connection;
use std::collections::HashSet;
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

mod support;

use support::writer;

/// Each writer is this test binary started again to run only this test
/// (see `tests/support/writer.rs`); run on its own it does nothing.
#[test]
#[ignore = "the writer process the other tests start; does nothing by itself"]
fn writer_process() {
    writer::run_if_asked();
}

fn stress_writers(db: &Path, writers: usize, count: usize) -> Vec<Output> {
    stress_writers_keyed(db, writers, count, None)
}

/// [`stress_writers`] on a database encrypted with `passphrase`.
fn stress_writers_keyed(
    db: &Path,
    writers: usize,
    count: usize,
    passphrase: Option<&str>,
) -> Vec<Output> {
    let children: Vec<_> = (0..writers)
        .map(|_| {
            let mut cmd = writer::command(db, count as u64);
            if let Some(p) = passphrase {
                cmd.env(writer::PASSPHRASE_VAR, p);
            }
            cmd.spawn().expect("start a writer")
        })
        .collect();
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("writer output"))
        .collect()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Checks that every writer succeeded and that the file holds exactly
/// what they acknowledged.
fn assert_all_written(db: &Path, outputs: &[Output], count_each: usize) {
    assert_all_written_keyed(db, outputs, count_each, None);
}

/// [`assert_all_written`], reading the file with `passphrase`.
fn assert_all_written_keyed(
    db: &Path,
    outputs: &[Output],
    count_each: usize,
    passphrase: Option<&str>,
) {
    let mut printed = HashSet::new();
    for (i, out) in outputs.iter().enumerate() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "writer {i} failed: {err}");
        assert!(err.is_empty(), "writer {i} said: {err}");
        let lines: Vec<&str> = std::str::from_utf8(&out.stdout)
            .unwrap()
            .lines()
            .filter_map(writer::acknowledged)
            .collect();
        assert_eq!(lines.len(), count_each, "writer {i}");
        printed.extend(lines.into_iter().map(String::from));
    }
    assert_eq!(
        printed.len(),
        outputs.len() * count_each,
        "UUIDs are unique"
    );
    let conn = Connection::open(db).unwrap();
    if let Some(p) = passphrase {
        support::cipher::set_key(&conn, p);
        needlelog::db::cipher::remember(db, support::cipher::pass(p));
    }
    let total = count(&conn, "SELECT count(*) FROM sessions") as usize;
    assert_eq!(total, outputs.len() * count_each, "exact session count");
    let mut stmt = conn.prepare("SELECT uuid FROM sessions").unwrap();
    let stored: HashSet<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored, printed);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM clients") as usize,
        outputs.len()
    );
    let report = Store::open(db).unwrap().check().unwrap();
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn four_writers_on_one_new_database_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    // A brand-new path: the four also race to create and migrate it.
    let db = dir.path().join("data").join("shared.db");
    let started = Instant::now();
    let outputs = stress_writers(&db, 4, 150);
    assert_all_written(&db, &outputs, 150);
    println!(
        "4 writers x 150 sessions, one transaction each: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn two_writers_on_an_existing_database_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    drop(Store::open(&db).unwrap());
    let outputs = stress_writers(&db, 2, 300);
    assert_all_written(&db, &outputs, 300);
}

/// The same on an encrypted database: the writers wait for each other
/// through SQLCipher as through SQLite, and nothing is lost or left
/// readable.
#[test]
fn two_writers_on_an_encrypted_database_all_succeed() {
    const PASS: &str = "writers' passphrase";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    needlelog::db::cipher::remember(&db, support::cipher::pass(PASS));
    drop(Store::open(&db).unwrap());
    needlelog::db::cipher::forget(&db);
    assert_eq!(
        needlelog::db::cipher::kind(&db).unwrap(),
        needlelog::db::cipher::Kind::Encrypted
    );
    let outputs = stress_writers_keyed(&db, 2, 200, Some(PASS));
    assert_all_written_keyed(&db, &outputs, 200, Some(PASS));
    let bytes = std::fs::read(&db).unwrap();
    assert!(
        !bytes.windows(13).any(|w| w == b"Stress writer"),
        "a client's name is readable in the file"
    );
}

/// Eight programs open a path that does not exist yet, at the same moment,
/// many times over: each must get a working store (created and migrated
/// once), never an error. Threads with a barrier make the moments much
/// closer than processes could.
#[test]
fn opening_a_new_database_at_the_same_moment_succeeds_everywhere() {
    const ROUNDS: usize = 40;
    const AT_ONCE: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    for round in 0..ROUNDS {
        let db = Arc::new(dir.path().join(format!("round-{round}")).join("new.db"));
        let barrier = Arc::new(Barrier::new(AT_ONCE));
        let handles: Vec<_> = (0..AT_ONCE)
            .map(|n| {
                let db = Arc::clone(&db);
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || -> Result<(), StoreError> {
                    barrier.wait();
                    let mut store = Store::open(&db)?;
                    store.create_client(
                        &ClientDraft {
                            name: format!("Opener {n}"),
                            ..ClientDraft::default()
                        },
                        None,
                    )?;
                    Ok(())
                })
            })
            .collect();
        for (n, h) in handles.into_iter().enumerate() {
            if let Err(e) = h.join().expect("no panic") {
                panic!("round {round}, opener {n}: {e}");
            }
        }
        let store = Store::open(&db).unwrap();
        assert_eq!(store.counts().unwrap().clients, AT_ONCE as i64);
        assert!(store.check().unwrap().is_ok());
    }
}

#[test]
fn processes_creating_the_same_new_database_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..5 {
        let db = dir.path().join(format!("round-{round}.db"));
        let outputs = stress_writers(&db, 8, 0);
        assert_all_written(&db, &outputs, 0);
    }
}

/// A write lock held longer than SQLite's 5 s busy timeout (a big import in
/// another window): the write waits and then succeeds, instead of
/// reporting a busy database.
#[test]
fn a_write_outlasts_a_lock_held_longer_than_the_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("held.db");
    let mut store = Store::open(&db).unwrap();
    let holder = Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let hold = Duration::from_secs(7);
    let releaser = thread::spawn(move || {
        thread::sleep(hold);
        holder.execute_batch("COMMIT").unwrap();
    });
    let started = Instant::now();
    let client = store
        .create_client(
            &ClientDraft {
                name: "Patient Waiter".into(),
                ..ClientDraft::default()
            },
            None,
        )
        .expect("the write waits for the lock");
    assert!(started.elapsed() >= hold - Duration::from_millis(100));
    releaser.join().unwrap();
    assert_eq!(store.client(client.id).unwrap().data.name, "Patient Waiter");
    assert_eq!(store.counts().unwrap().audit, 1);
}
