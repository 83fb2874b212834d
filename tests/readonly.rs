//! A database this user may not write: reading commands work, writing ones
//! say "read-only" in one line and change nothing, the interface opens in
//! read-only mode. As root (CI) the commands run as `nobody` via setpriv,
//! since permissions do not bind root.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_needlelog");

fn as_other_user(args: &[&str], home: &Path) -> Output {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    let root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    let mut cmd = if root {
        // Not a skip: permissions do not bind root, so without setpriv
        // this test could not check anything.
        assert!(
            Command::new("setpriv").arg("--version").output().is_ok(),
            "running as root: setpriv (util-linux) is needed to run as nobody"
        );
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        Command::new(BIN)
    };
    cmd.args(args)
        .env_remove("NEEDLELOG_DB")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home)
        .output()
        .unwrap()
}

#[test]
fn a_read_only_database_is_read_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = dir.path().join("ro.db");
    let db_s = db.to_str().unwrap();
    let status = Command::new(BIN)
        .args([
            "demo",
            "--db",
            db_s,
            "--clients",
            "4",
            "--seed",
            "1",
            "--today",
            "2026-11-21",
        ])
        .env("HOME", dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "name\nNew Person\n").unwrap();
    std::fs::set_permissions(&list, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = as_other_user(&["check", "--db", db_s], dir.path());
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok:"));

    let out = as_other_user(&["export", "--format", "json", "--db", db_s], dir.path());
    assert!(out.status.success(), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["clients"].as_array().unwrap().len(), 4);

    let out = as_other_user(
        &[
            "render", "--screen", "clients", "--size", "80x20", "--db", db_s,
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("READ-ONLY"));

    let out = as_other_user(
        &["import", "--clients", list.to_str().unwrap(), "--db", db_s],
        dir.path(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("read-only"), "{err}");

    assert_eq!(std::fs::read(&db).unwrap(), before, "not a byte changed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ro.db-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
