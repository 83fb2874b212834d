//! Backup and restore, as documented in README ("Your data"): a backup is
//! a consistent copy; `needlelog restore` puts it back, keeping the
//! database as it was; a bad backup changes nothing.

use assert_cmd::Command;
use std::path::Path;

fn needlelog(home: &Path) -> Command {
    let mut c = Command::cargo_bin("needlelog").unwrap();
    c.env_remove("NEEDLELOG_DB")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home);
    c
}

fn names(home: &Path, db: &str) -> Vec<String> {
    let out = needlelog(home)
        .args(["export", "--format", "json", "--db", db])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn restore_puts_a_backup_back_and_keeps_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let db = dir.path().join("clinic.db");
    let db = db.to_str().unwrap();
    let copy = dir.path().join("monday.db");
    needlelog(home)
        .args([
            "demo",
            "--db",
            db,
            "--clients",
            "5",
            "--seed",
            "1",
            "--today",
            "2026-11-21",
        ])
        .assert()
        .success();
    needlelog(home)
        .args(["backup", "--db", db, copy.to_str().unwrap()])
        .assert()
        .success();
    let monday = names(home, db);
    // Later changes, made through import of a client list.
    let list = dir.path().join("new.csv");
    std::fs::write(&list, "name\nZed Later\n").unwrap();
    needlelog(home)
        .args(["import", "--clients", list.to_str().unwrap(), "--db", db])
        .assert()
        .success();
    assert_eq!(names(home, db).len(), 6);

    let before_backup = std::fs::read(&copy).unwrap();
    let out = needlelog(home)
        .args(["restore", "--db", db, copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(names(home, db), monday, "the backup's records are back");
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before_backup,
        "the backup itself is not changed"
    );
    needlelog(home)
        .args(["check", "--db", db])
        .assert()
        .success();
    // What was there before the restore is kept, and opens.
    let kept = said.split("kept at ").nth(1).unwrap().trim();
    assert!(kept.contains("before-restore"), "{said}");
    let kept_names = names(home, kept);
    assert!(kept_names.contains(&"Zed Later".to_string()));
}

#[test]
fn a_bad_backup_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let db = dir.path().join("clinic.db");
    let db_s = db.to_str().unwrap();
    needlelog(home)
        .args([
            "demo",
            "--db",
            db_s,
            "--clients",
            "3",
            "--seed",
            "1",
            "--today",
            "2026-11-21",
        ])
        .assert()
        .success();
    let before = names(home, db_s);
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"not a database at all, just some bytes").unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE foo (x); INSERT INTO foo VALUES (1);")
        .unwrap();
    for bad in [
        garbage.as_path(),
        other.as_path(),
        dir.path().join("missing.db").as_path(),
    ] {
        let out = needlelog(home)
            .args(["restore", "--db", db_s, bad.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("needlelog: "), "{err}");
        assert_eq!(names(home, db_s), before, "{}", bad.display());
    }
    assert!(
        !dir.path().join("backups").exists()
            || std::fs::read_dir(dir.path().join("backups"))
                .unwrap()
                .count()
                == 0
    );
}
