//! A database this user may not write: reading commands work, writing ones
//! say "read-only" in one line and change nothing, the interface opens in
//! read-only mode. As root (CI) the commands run as `nobody` via setpriv,
//! since permissions do not bind root.

mod support;

use support::cli::{Sandbox, one_line_error};
use support::{names_in, set_mode};

#[test]
fn a_read_only_database_is_read_and_never_written() {
    let sb = Sandbox::new();
    sb.share();
    let db = sb.path("ro.db");
    let db_s = db.to_str().unwrap();
    sb.demo(&db, 4, 1);
    set_mode(&db, 0o444);
    // The demo's photos, shared for reading too (the folder is private to
    // its owner by default; `tests/cipher_photos.rs` has `check` meet a
    // folder it may not read): `check` reads each one.
    let photos = needlelog::photo::photo_dir(&db);
    set_mode(&photos, 0o755);
    let files = names_in(&photos);
    assert!(!files.is_empty());
    for name in &files {
        set_mode(&photos.join(name), 0o444);
    }
    let before = std::fs::read(&db).unwrap();
    let list = sb.path("list.csv");
    std::fs::write(&list, "name\nNew Person\n").unwrap();
    set_mode(&list, 0o644);

    let out = sb.run_as_other_user(&["check", "--db", db_s]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("ok:"), "{text}");
    assert!(
        text.trim_end()
            .ends_with(&format!(" photos ({} files)", files.len())),
        "{text}"
    );

    let out = sb.run_as_other_user(&["export", "--format", "json", "--db", db_s]);
    assert!(out.status.success(), "{out:?}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["clients"].as_array().unwrap().len(), 4);

    let out = sb.run_as_other_user(&[
        "render", "--screen", "clients", "--size", "80x20", "--db", db_s,
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("READ-ONLY"));

    let out = sb.run_as_other_user(&["import", "--clients", list.to_str().unwrap(), "--db", db_s]);
    let err = one_line_error(&out);
    assert!(err.contains("read-only"), "{err}");

    assert_eq!(std::fs::read(&db).unwrap(), before, "not a byte changed");
    let leftovers: Vec<_> = names_in(&sb.work())
        .into_iter()
        .filter(|n| n.starts_with("ro.db-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
