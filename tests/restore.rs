//! Backup and restore, as documented in README ("Your data"): a backup is
//! a consistent copy; `needlelog restore` puts it back, keeping the
//! database as it was; a bad backup changes nothing.

mod support;

use std::path::Path;
use support::cli::{Sandbox, client_names, one_line_error};

fn names(sb: &Sandbox, db: impl AsRef<Path>) -> Vec<String> {
    client_names(&sb.export_json(db.as_ref()))
}

#[test]
fn restore_puts_a_backup_back_and_keeps_what_was_there() {
    let sb = Sandbox::new();
    let db = sb.path("clinic.db");
    let db = db.to_str().unwrap();
    let copy = sb.path("monday.db");
    sb.demo(db.as_ref(), 5, 1);
    sb.cmd()
        .args(["backup", "--db", db, copy.to_str().unwrap()])
        .assert()
        .success();
    let monday = names(&sb, db);
    // Later changes, made through import of a client list.
    let list = sb.path("new.csv");
    std::fs::write(&list, "name\nZed Later\n").unwrap();
    sb.cmd()
        .args(["import", "--clients", list.to_str().unwrap(), "--db", db])
        .assert()
        .success();
    assert_eq!(names(&sb, db).len(), 6);

    let before_backup = std::fs::read(&copy).unwrap();
    let out = sb.run(["restore", "--db", db, copy.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(names(&sb, db), monday, "the backup's records are back");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before_backup,
        "the backup itself is not changed"
    );
    sb.cmd().args(["check", "--db", db]).assert().success();
    // What was there before the restore is kept, and opens.
    let kept = said
        .split("kept at ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap()
        .trim();
    // The demo's photos came back with it, checked.
    assert!(said.contains(" photo files put back into "), "{said}");
    assert!(kept.contains("before-restore"), "{said}");
    let kept_names = names(&sb, kept);
    assert!(kept_names.contains(&"Zed Later".to_string()));
}

#[test]
fn a_bad_backup_is_refused_and_changes_nothing() {
    let (sb, db) = Sandbox::with_demo_db("clinic.db", 3, 1);
    let db_s = db.to_str().unwrap();
    let before = names(&sb, &db);
    let garbage = sb.path("garbage.db");
    std::fs::write(&garbage, b"not a database at all, just some bytes").unwrap();
    let other = sb.path("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE foo (x); INSERT INTO foo VALUES (1);")
        .unwrap();
    for bad in [garbage.as_path(), other.as_path(), &sb.path("missing.db")] {
        let out = sb.run(["restore", "--db", db_s, bad.to_str().unwrap()]);
        one_line_error(&out);
        assert_eq!(names(&sb, &db), before, "{}", bad.display());
    }
    let backups = sb.path("backups");
    assert!(!backups.exists() || std::fs::read_dir(backups).unwrap().count() == 0);
}
