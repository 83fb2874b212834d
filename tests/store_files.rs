//! The database file: creating it privately, refusing files that are not
//! ours or are newer or damaged without touching them, and backups.

mod support;

use needlelog::db::schema::{APPLICATION_ID, latest_version, steps};
use needlelog::db::{Clock, Store, StoreError};
use needlelog::domain::ClientDraft;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use support::store::*;
use support::{files_in, insert_demo, mode, noise};
use tempfile::tempdir;

fn pragma<T: rusqlite::types::FromSql>(conn: &Connection, name: &str) -> T {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .unwrap()
}

/// A needlelog database holding one client, closed.
fn db_with_a_client(path: &Path) {
    let mut store = open_at(path);
    store
        .create_client(&full_client(), Some(&full_series()))
        .unwrap();
}

/// A needlelog database holding `clients` demo clients, closed.
fn demo_db(path: &Path, clients: usize) {
    insert_demo(&mut Store::open(path).unwrap(), clients, 3);
}

/// Opening `path` fails, and leaves its bytes as they were.
fn refused(path: &Path) -> StoreError {
    let before = fs::read(path).ok();
    let err = Store::open(path).expect_err("the file must be refused");
    let after = fs::read(path).ok();
    // Not assert_eq: a failure would print every byte.
    assert!(after == before, "{} was changed", path.display());
    // The error is one line naming the file.
    let msg = err.to_string();
    assert!(!msg.contains('\n'), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    err
}

#[test]
fn a_new_database_is_private_in_wal_mode_and_reopens() {
    let dir = tempdir().unwrap();
    let nested = dir.path().join("a").join("b").join("c");
    let path = nested.join("needlelog.db");
    let store = Store::open(&path).unwrap();
    assert!(!store.is_read_only());
    for d in [dir.path().join("a"), dir.path().join("a/b"), nested.clone()] {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
    }
    assert_eq!(mode(&path), 0o600);
    let raw = Connection::open(&path).unwrap();
    assert_eq!(pragma::<i64>(&raw, "user_version"), latest_version() as i64);
    assert_eq!(pragma::<String>(&raw, "journal_mode"), "wal");
    assert_eq!(pragma::<i32>(&raw, "application_id"), APPLICATION_ID);
    // SQLite gives its side files the mode of the database.
    raw.execute_batch("CREATE TEMP TABLE t (x); SELECT count(*) FROM clients;")
        .unwrap();
    let wal = nested.join("needlelog.db-wal");
    assert!(wal.exists());
    assert_eq!(mode(&wal), 0o600);
    drop(raw);
    drop(store);

    let c = add_client_and_close(open_at(&path));
    let store = Store::open(&path).unwrap();
    assert_eq!(store.client(c.id).unwrap(), c);
    assert_eq!(store.check().unwrap().schema_version, latest_version());
    assert!(!nested.join("backups").exists(), "no backup for a new file");
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn existing_folders_keep_their_mode() {
    let dir = tempdir().unwrap();
    let shared = dir.path().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o755)).unwrap();
    let path = shared.join("new").join("needlelog.db");
    Store::open(&path).unwrap();
    assert_eq!(mode(&shared), 0o755);
    assert_eq!(mode(&shared.join("new")), 0o700);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn an_empty_file_opens_as_a_new_database() {
    let (_dir, path) = temp_db();
    fs::write(&path, b"").unwrap();
    let mut store = open_at(&path);
    store
        .create_client(&ClientDraft::named("Bo"), None)
        .unwrap();
    assert!(store.check().unwrap().is_ok());
    drop(store);
    let raw = Connection::open(&path).unwrap();
    assert_eq!(pragma::<i64>(&raw, "user_version"), latest_version() as i64);
}

#[test]
fn a_database_from_a_newer_needlelog_is_refused_untouched() {
    let (dir, path) = temp_db();
    db_with_a_client(&path);
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(raw);
    match refused(&path) {
        StoreError::TooNew {
            found, supported, ..
        } => assert_eq!((found, supported), (99, latest_version())),
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(!dir.path().join("backups").exists());
    assert!(!dir.path().join("needlelog.db-wal").exists());
}

#[test]
fn files_that_are_not_needlelog_databases_are_refused_untouched() {
    let dir = tempdir().unwrap();
    let d = dir.path();

    let garbage = d.join("garbage.db");
    fs::write(&garbage, noise(10_000)).unwrap();
    let text = d.join("notes.txt");
    fs::write(&text, "Ana Souza, cheeks, 0.5 mm\nBo Chen, forehead\n").unwrap();
    let short = d.join("short.db");
    fs::write(&short, "SQLite").unwrap();
    for path in [&garbage, &text, &short] {
        assert!(
            matches!(refused(path), StoreError::NotOurs { .. }),
            "{}",
            path.display()
        );
    }

    // SQLite's header followed by noise.
    let fake = d.join("fake.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(noise(8192));
    fs::write(&fake, bytes).unwrap();
    let err = refused(&fake);
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");

    // Another program's SQLite database, in its own journal mode.
    let foreign = d.join("other.sqlite");
    let raw = Connection::open(&foreign).unwrap();
    raw.execute_batch("CREATE TABLE foo (x INTEGER); INSERT INTO foo VALUES (1), (2);")
        .unwrap();
    drop(raw);
    let err = refused(&foreign);
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err:?}");
    let raw = Connection::open(&foreign).unwrap();
    assert_eq!(pragma::<String>(&raw, "journal_mode"), "delete");
    assert_eq!(pragma::<i64>(&raw, "user_version"), 0);
    drop(raw);

    // Another program's database that set an application id but no tables.
    let marked = d.join("marked.sqlite");
    let raw = Connection::open(&marked).unwrap();
    raw.execute_batch("PRAGMA application_id = 42").unwrap();
    drop(raw);
    assert!(matches!(refused(&marked), StoreError::NotOurs { .. }));

    let folder = d.join("folder.db");
    fs::create_dir(&folder).unwrap();
    let err = Store::open(&folder).unwrap_err();
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err:?}");
    assert!(folder.is_dir());
    assert!(files_in(&folder).is_empty());

    // Nothing was left beside them (no -wal, -shm or backups).
    let names: Vec<String> = files_in(d)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "fake.db",
            "folder.db",
            "garbage.db",
            "marked.sqlite",
            "notes.txt",
            "other.sqlite",
            "short.db"
        ]
    );
}

#[test]
fn truncated_databases_are_damaged_and_untouched() {
    let dir = tempdir().unwrap();
    let whole = dir.path().join("whole.db");
    demo_db(&whole, 40);
    let bytes = fs::read(&whole).unwrap();
    assert!(bytes.len() > 20_000, "{} bytes", bytes.len());
    for len in [100, 1000, 4096, 5000, bytes.len() / 2] {
        let path = dir.path().join(format!("cut-{len}.db"));
        fs::write(&path, &bytes[..len]).unwrap();
        let err = refused(&path);
        assert!(
            matches!(err, StoreError::Damaged { .. }),
            "{len} bytes: {err:?}"
        );
        assert!(err.to_string().contains("damaged"), "{err}");
    }
}

/// One page in the middle overwritten with zeros: found when the file is
/// opened, before anything is written to it.
#[test]
fn a_zeroed_page_is_found_at_open() {
    let (_dir, path) = temp_db();
    demo_db(&path, 300);
    let mut bytes = fs::read(&path).unwrap();
    assert!(bytes.len() > 100 * 4096, "{} bytes", bytes.len());
    bytes[8192..8192 + 4096].fill(0);
    fs::write(&path, &bytes).unwrap();
    match refused(&path) {
        // SQLite's report is several lines; the error stays one, and
        // names the damaged page.
        StoreError::Damaged { detail, .. } => assert!(detail.contains("page 3"), "{detail}"),
        other => panic!("expected Damaged, got {other:?}"),
    }
}

/// Damage that the quick check at open does not cover (an index that no
/// longer matches its table) is reported by `check`.
#[test]
fn check_reports_what_the_quick_check_misses() {
    let (_dir, path) = temp_db();
    demo_db(&path, 20);
    let raw = Connection::open(&path).unwrap();
    // Rename clients behind the index's back.
    raw.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE INDEX clients_name ON clients (phone)'
          WHERE name = 'clients_name';
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    drop(raw);
    let store = Store::open(&path).unwrap();
    let report = store.check().unwrap();
    assert!(!report.is_ok(), "{report:?}");
    assert!(!report.integrity.is_empty());
    // One problem per entry, without SQLite's heading.
    for line in &report.integrity {
        assert!(!line.contains('\n') && !line.starts_with("***"), "{line:?}");
    }
    assert!(
        report.integrity.iter().any(|l| l.contains("clients_name")),
        "{report:?}"
    );
    assert_eq!(report.counts.clients + report.counts.archived, 20);
}

/// The program's own migrations, then `more`.
fn current_and(more: &[&'static str]) -> Migrations<'static> {
    let mut all: Vec<M> = steps().into_iter().map(M::up).collect();
    all.extend(more.iter().map(|s| M::up(s)));
    Migrations::new(all)
}

/// A store at this program's schema in a world with later versions, with
/// the tests' fixed clock. (The program writes its own columns, so the
/// records are written at its own version rather than an older one.)
fn open_current(path: &Path) -> Store {
    let mut store = Store::open_with(path, &current_and(&[]), latest_version()).unwrap();
    store.set_clock(Clock::Fixed(now()));
    store
}

/// The program's migrations plus one more, as a later version will have.
fn two_migrations() -> Migrations<'static> {
    current_and(&["ALTER TABLE clients ADD COLUMN x TEXT;"])
}

/// The version `two_migrations` ends at.
fn next() -> usize {
    latest_version() + 1
}

#[test]
fn a_migration_is_preceded_by_a_private_backup() {
    let dir = tempdir().unwrap();
    let path = dir.path().join("data").join("needlelog.db");
    add_client_and_close(open_current(&path));
    let backups = dir.path().join("data").join("backups");
    assert!(!backups.exists());

    let mut store = Store::open_with(&path, &two_migrations(), next()).unwrap();
    assert_eq!(store.check().unwrap().schema_version, next());
    // The migrated file still works, old rows and new.
    assert_eq!(store.find_client("ana souza").unwrap().data, full_client());
    store
        .create_client(&ClientDraft::named("Bo"), None)
        .unwrap();
    drop(store);

    assert_eq!(mode(&backups), 0o700);
    let copies = files_in(&backups);
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = &copies[0];
    let name = copy.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("needlelog-"), "{name}");
    assert!(name.contains(&format!("before-v{}", next())), "{name}");
    assert!(name.ends_with(".db"), "{name}");
    assert_eq!(mode(copy), 0o600);

    let out = std::process::Command::new("sqlite3")
        .arg(copy)
        .arg("PRAGMA user_version; PRAGMA quick_check; SELECT name FROM clients;")
        .output()
        .expect("sqlite3 is installed");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}\nok\nAna Souza\n", latest_version())
    );
    let raw = Connection::open(copy).unwrap();
    let has_x: bool = raw
        .query_row(
            "SELECT count(*) FROM pragma_table_info('clients') WHERE name = 'x'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!has_x);
    assert_eq!(pragma::<String>(&raw, "journal_mode"), "delete");
    drop(raw);

    // Up to date: no further copy. Too new for the released schema.
    Store::open_with(&path, &two_migrations(), next()).unwrap();
    assert_eq!(files_in(&backups).len(), 1);
    assert!(matches!(
        refused(&path),
        StoreError::TooNew { found, .. } if found == next()
    ));
}

#[test]
fn a_failed_migration_changes_nothing_but_leaves_its_backup() {
    let (dir, path) = temp_db();
    let client = add_client_and_close(open_current(&path));
    let broken = current_and(&[
        "ALTER TABLE clients ADD COLUMN x TEXT;",
        "ALTER TABLE no_such_table ADD COLUMN y TEXT;",
    ]);
    let err = Store::open_with(&path, &broken, latest_version() + 2).unwrap_err();
    assert!(err.to_string().contains("no_such_table"), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    // All steps are one transaction: not even the first one stayed.
    let raw = Connection::open(&path).unwrap();
    assert_eq!(pragma::<i64>(&raw, "user_version"), latest_version() as i64);
    let columns: i64 = raw
        .query_row(
            "SELECT count(*) FROM pragma_table_info('clients') WHERE name = 'x'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(columns, 0);
    drop(raw);
    assert_eq!(files_in(&dir.path().join("backups")).len(), 1);
    let store = open_current(&path);
    assert_eq!(store.client(client.id).unwrap(), client);
}

/// A migration that adds a column does not make older changes look edited.
#[test]
fn undo_reaches_back_across_a_migration() {
    let (_dir, path) = temp_db();
    let (created, _) = add_then_edit(&mut open_current(&path));

    let mut store = Store::open_with(&path, &two_migrations(), next()).unwrap();
    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.summary, "edit client Ana Souza-Lima");
    assert_eq!(store.client(created.id).unwrap(), created);
    store.undo_last().unwrap().unwrap();
    assert!(store.client(created.id).is_err());
    assert!(store.check().unwrap().is_ok());
}

/// Only the newest migration backups are kept, whatever their version numbers.
#[test]
fn migration_backups_keep_the_newest_five() {
    let (dir, path) = temp_db();
    let steps: Vec<String> = (2..=12)
        .map(|v| format!("ALTER TABLE clients ADD COLUMN x{v} TEXT;"))
        .collect();
    // From this program's schema, eleven versions more.
    let base = latest_version();
    let list = |more: usize| {
        let mut ms: Vec<M> = needlelog::db::schema::steps()
            .into_iter()
            .map(M::up)
            .collect();
        ms.extend(steps[..more].iter().map(|s| M::up(s.as_str())));
        Migrations::new(ms)
    };
    let mut store = Store::open_with(&path, &list(0), base).unwrap();
    store
        .create_client(&ClientDraft::named("Bo"), None)
        .unwrap();
    drop(store);
    for more in 1..=11 {
        Store::open_with(&path, &list(more), base + more).unwrap();
    }
    let mut kept: Vec<String> = files_in(&dir.path().join("backups"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .map(|n| n.split("-migration-").next().unwrap().to_string())
        .collect();
    kept.sort();
    let mut newest: Vec<String> = (base + 7..=base + 11)
        .map(|v| format!("needlelog-before-v{v}"))
        .collect();
    newest.sort();
    assert_eq!(kept, newest);
}

#[test]
fn backup_to_writes_a_private_checked_copy_and_never_overwrites() {
    let (dir, path) = temp_db();
    db_with_a_client(&path);
    let store = Store::open(&path).unwrap();
    let dest = dir.path().join("copies").join("today.db");
    store.backup_to(&dest).unwrap();
    assert_eq!(mode(&dest), 0o600);
    assert_eq!(mode(&dir.path().join("copies")), 0o700);
    let raw = Connection::open(&dest).unwrap();
    assert_eq!(pragma::<String>(&raw, "quick_check"), "ok");
    assert_eq!(pragma::<i64>(&raw, "user_version"), latest_version() as i64);
    let name: String = raw
        .query_row("SELECT name FROM clients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "Ana Souza");
    drop(raw);
    // The copy is a needlelog database in its own right.
    let copy = Store::open(&dest).unwrap();
    assert_eq!(copy.all_trees().unwrap(), store.all_trees().unwrap());
    drop(copy);

    let before = fs::read(&dest).unwrap();
    let err = store.backup_to(&dest).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(fs::read(&dest).unwrap(), before);

    let other = dir.path().join("other.txt");
    fs::write(&other, "keep me").unwrap();
    assert!(store.backup_to(&other).is_err());
    assert_eq!(fs::read_to_string(&other).unwrap(), "keep me");
}
