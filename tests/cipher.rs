//! Encryption at rest (issue 16): what an encrypted file gives away (nothing
//! readable), the passphrase sources, a wrong passphrase, and the
//! `encrypt`, `rekey`, `decrypt`, `backup` and `restore` round trips.
#![cfg(unix)]

use needlelog::db::Store;
use needlelog::db::cipher::{self, Kind};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Output;

mod support;

use support::cipher::{
    PASS, check_sealed, counts_of, encrypted_demo, ok_with, pass, photo_names, with,
};
use support::cli::{Sandbox, stderr};
use support::store::{full_client, full_series, open_at, temp_db};

const NAME: &str = "Quillon Marchetti-Vasquez";
const NOTE: &str = "allergic to NOTE-8d1f-lidocaine";

fn wal(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_os_string();
    p.push("-wal");
    PathBuf::from(p)
}

fn holds(file: &Path, needle: &str) -> bool {
    let bytes = fs::read(file).unwrap_or_default();
    memchr::memmem::find(&bytes, needle.as_bytes()).is_some()
}

/// Writes the known client (name, and the note in the allergies) and
/// returns the still-open store, so the change may sit in the WAL.
fn write_known(db: &Path) -> Store {
    let mut store = open_at(db);
    let mut draft = full_client();
    draft.name = NAME.into();
    draft.allergies = NOTE.into();
    store.create_client(&draft, Some(&full_series())).unwrap();
    store
}

#[test]
fn an_encrypted_file_and_its_wal_hold_no_client_text() {
    // The control: the same writes in a plain file are found by the grep.
    let (_plain_dir, plain) = temp_db();
    let store = write_known(&plain);
    assert!(holds(&plain, NAME) || holds(&wal(&plain), NAME));
    assert!(holds(&plain, NOTE) || holds(&wal(&plain), NOTE));
    drop(store);

    let (_dir, db) = temp_db();
    cipher::remember(&db, pass(PASS));
    let store = write_known(&db);
    assert!(
        fs::metadata(wal(&db)).unwrap().len() > 0,
        "nothing in the WAL"
    );
    for file in [db.clone(), wal(&db)] {
        for needle in [NAME, NOTE, "Souza", "aspirin", "SQLite format 3"] {
            assert!(!holds(&file, needle), "{needle} in {}", file.display());
        }
    }
    drop(store);
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
    for needle in [NAME, NOTE] {
        assert!(!holds(&db, needle));
    }
    // Opened again with the passphrase, the client is there.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.counts().unwrap().clients, 1);
    drop(store);

    // SQLite's own shell cannot read it.
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT count(*) FROM clients;")
        .output()
        .expect("the sqlite3 shell (installed by .ci/run)");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not a database"), "{}", stderr(&out));

    // A wrong passphrase opens nothing.
    cipher::remember(&db, pass("not it"));
    let err = Store::open(&db).unwrap_err();
    assert_eq!(
        err.to_string(),
        "wrong passphrase, or not a needlelog database"
    );
    cipher::forget(&db);
}

/// A half-filled form kept as a draft (on the idle lock's Ctrl-C, a stop
/// signal, a crash) lands in the encrypted file like any record: readable
/// with the passphrase, nowhere in the raw bytes.
#[test]
fn a_draft_in_an_encrypted_file_is_kept_and_unreadable_without_the_passphrase() {
    let (_dir, db) = temp_db();
    cipher::remember(&db, pass(PASS));
    let mut store = open_at(&db);
    let payload = serde_json::json!({"name": NAME, "allergies": NOTE});
    store.save_draft("client", "", &payload).unwrap();
    for file in [db.clone(), wal(&db)] {
        assert!(
            !holds(&file, NAME),
            "the draft's name in {}",
            file.display()
        );
        assert!(
            !holds(&file, NOTE),
            "the draft's note in {}",
            file.display()
        );
    }
    drop(store);
    let store = Store::open(&db).unwrap();
    let drafts = store.drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].payload, payload);
    drop(store);
    cipher::forget(&db);
}

fn check_with(sb: &Sandbox, db: &str, var: &str, value: &str) -> Output {
    sb.cmd()
        .args(["check", "--db", db])
        .env(var, value)
        .output()
        .unwrap()
}

#[test]
fn encrypt_keeps_every_row_and_commands_then_need_the_passphrase() {
    let (sb, db, before) = encrypted_demo();
    let after = check_with(&sb, "clinic.db", "NEEDLELOG_PASSPHRASE", PASS);
    assert!(after.status.success(), "{}", stderr(&after));
    // The same line, audit entries included: sealing the photo files gives
    // their rows keys but writes no audit row. A key says how a photo is
    // stored, not what the record holds (its hash, view, zone and time are
    // unchanged), just as the passphrase itself leaves no audit row; and
    // `decrypt`'s plain copy then has the original's audit history.
    assert_eq!(String::from_utf8_lossy(&after.stdout), before);
    // No stale WAL or journal of the plain file beside it.
    for tail in ["-journal", ".encrypting"] {
        let mut p = db.as_os_str().to_os_string();
        p.push(tail);
        assert!(!Path::new(&p).exists(), "{tail} left behind");
    }
    // The plain copy taken first is in backups/ and still opens plainly,
    // with plain copies of the photos in its own photo folder.
    let mut backups: Vec<_> = fs::read_dir(sb.path("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    backups.sort();
    assert_eq!(backups.len(), 2, "{backups:?}");
    assert_eq!(cipher::kind(&backups[0]).unwrap(), Kind::Plain);
    assert_eq!(backups[1], needlelog::photo::photo_dir(&backups[0]));
    let kept = photo_names(&backups[0]);
    assert_eq!(kept.len(), photo_names(&db).len());
    assert!(kept.iter().all(|n| !n.ends_with(".sealed")), "{kept:?}");
    assert!(
        sb.check_ok(&backups[0])
            .ends_with(&format!("({} files)", kept.len()))
    );

    // From a file (the first line), by flag and by variable.
    fs::write(sb.path("pass.txt"), format!("{PASS}\n")).unwrap();
    let by_flag = sb.run([
        "check",
        "--db",
        "clinic.db",
        "--passphrase-file",
        "pass.txt",
    ]);
    assert!(by_flag.status.success(), "{}", stderr(&by_flag));
    let by_var = check_with(&sb, "clinic.db", "NEEDLELOG_PASSPHRASE_FILE", "pass.txt");
    assert!(by_var.status.success(), "{}", stderr(&by_var));

    // None given and no terminal: one clear line.
    let none = sb.run(["check", "--db", "clinic.db"]);
    assert_eq!(none.status.code(), Some(1));
    let err = stderr(&none);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("NEEDLELOG_PASSPHRASE"), "{err}");

    // Encrypting twice is refused.
    let again = with(&sb, PASS, &["encrypt", "--db", "clinic.db"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already encrypted"));
}

#[test]
fn a_wrong_passphrase_is_one_line_and_changes_nothing() {
    let (sb, db, _) = encrypted_demo();
    let bytes = fs::read(&db).unwrap();
    let mtime = fs::metadata(&db).unwrap().mtime_nsec();
    let listing = || {
        let mut names: Vec<_> = fs::read_dir(sb.work())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let files = listing();
    for args in [
        vec!["check"],
        vec!["export", "--format", "csv"],
        vec!["backup", "copy.db"],
        vec!["rekey"],
        vec!["decrypt", "plain.db", "--yes"],
    ] {
        let out = sb
            .cmd()
            .args(&args)
            .args(["--db", "clinic.db"])
            .env("NEEDLELOG_PASSPHRASE", "guess")
            .env("NEEDLELOG_NEW_PASSPHRASE", "other")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            stderr(&out),
            "needlelog: wrong passphrase, or not a needlelog database\n",
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(fs::read(&db).unwrap(), bytes);
    assert_eq!(fs::metadata(&db).unwrap().mtime_nsec(), mtime);
    assert_eq!(listing(), files);
}

#[test]
fn rekey_decrypt_backup_and_restore_round_trip() {
    let (sb, db, _) = encrypted_demo();
    let want = counts_of(&db, Some(PASS));
    let sealed = photo_names(&db);

    // rekey: the new passphrase from a file; the old one stops working.
    fs::write(sb.path("new.txt"), "a new one\n").unwrap();
    ok_with(
        &sb,
        PASS,
        &[
            "rekey",
            "--db",
            "clinic.db",
            "--new-passphrase-file",
            "new.txt",
        ],
    );
    let old = check_with(&sb, "clinic.db", "NEEDLELOG_PASSPHRASE", PASS);
    assert_eq!(old.status.code(), Some(1));
    // Every row as it was (no audit row for the new keys, see
    // `encrypt_keeps_every_row…`), and every photo file under a new key:
    // no old file is left.
    assert_eq!(counts_of(&db, Some("a new one")), want);
    let ok_line = check_sealed(&sb, &db, "a new one");
    let rekeyed = photo_names(&db);
    assert_eq!(rekeyed.len(), sealed.len());
    assert!(rekeyed.iter().all(|n| !sealed.contains(n)), "{rekeyed:?}");

    // backup: the copy is encrypted with the same passphrase.
    ok_with(
        &sb,
        "a new one",
        &["backup", "--db", "clinic.db", "copy.db"],
    );
    let copy = sb.path("copy.db");
    assert_eq!(cipher::kind(&copy).unwrap(), Kind::Encrypted);
    assert!(!holds(&copy, "SQLite format 3"));
    assert_eq!(counts_of(&copy, Some("a new one")), want);
    // Its photo files: the same sealed files, checked there.
    assert_eq!(photo_names(&copy), rekeyed);
    check_sealed(&sb, &copy, "a new one");

    // The live photo files lost: the restore below brings them back.
    for name in &rekeyed {
        fs::remove_file(needlelog::photo::photo_dir(&db).join(name)).unwrap();
    }
    let lost = check_with(&sb, "clinic.db", "NEEDLELOG_PASSPHRASE", "a new one");
    assert_eq!(lost.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&lost.stdout)
            .matches("photo file missing")
            .count(),
        rekeyed.len()
    );

    // restore: the encrypted backup back over the encrypted database.
    ok_with(
        &sb,
        "a new one",
        &["restore", "--db", "clinic.db", "copy.db"],
    );
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
    assert_eq!(counts_of(&db, Some("a new one")), want);
    assert_eq!(photo_names(&db), rekeyed);
    assert_eq!(check_sealed(&sb, &db, "a new one"), ok_line);

    // decrypt: refused without a terminal or --yes, then a plain copy.
    let out = with(
        &sb,
        "a new one",
        &["decrypt", "--db", "clinic.db", "plain.db"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert!(!sb.path("plain.db").exists());
    ok_with(
        &sb,
        "a new one",
        &["decrypt", "--db", "clinic.db", "plain.db", "--yes"],
    );
    let plain = sb.path("plain.db");
    assert_eq!(cipher::kind(&plain).unwrap(), Kind::Plain);
    assert_eq!(counts_of(&plain, None), want);
    // Plain photo files, one per photo, that `check` reads with no key;
    // the same line as the encrypted original's.
    let copied = photo_names(&plain);
    assert_eq!(copied.len(), rekeyed.len());
    assert!(
        copied
            .iter()
            .all(|n| n.ends_with(".jpg") || n.ends_with(".png")),
        "{copied:?}"
    );
    assert_eq!(
        sb.check_ok(&plain),
        ok_line.replace("clinic.db", "plain.db")
    );
    // SQLite's own shell reads the plain copy.
    let out = std::process::Command::new("sqlite3")
        .arg(&plain)
        .arg("SELECT count(*) FROM sessions;")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        want.sessions.to_string()
    );
    // And the encrypted file is still there with its sealed photos,
    // untouched by the copy.
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
    assert_eq!(photo_names(&db), rekeyed);
}

/// An independent SQLCipher 4 (Python's `sqlcipher3`, from the
/// `sqlcipher3-wheels` package, which bundles its own SQLCipher build)
/// opens an encrypted database with the passphrase and reads the rows.
/// `NEEDLELOG_SQLCIPHER_PYTHON` names a Python that has it.
#[test]
#[ignore = "needs Python's sqlcipher3 (pip sqlcipher3-wheels); .ci/run runs it"]
fn an_independent_sqlcipher_4_opens_the_file() {
    let python =
        std::env::var("NEEDLELOG_SQLCIPHER_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let (_sb, db, _) = encrypted_demo();
    let want = counts_of(&db, Some(PASS));
    let script = r#"
import sys, sqlcipher3
c = sqlcipher3.connect(sys.argv[1])
c.execute("PRAGMA key = '" + sys.argv[2].replace("'", "''") + "'")
print(c.execute("PRAGMA cipher_version").fetchone()[0])
print(c.execute("SELECT count(*) FROM sessions").fetchone()[0])
"#;
    let out = std::process::Command::new(&python)
        .args(["-c", script])
        .arg(&db)
        .arg(PASS)
        .output()
        .expect("a Python with sqlcipher3");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with('4'), "not SQLCipher 4: {text}");
    assert_eq!(lines[1], want.sessions.to_string());
}

/// The other commands on an encrypted database: export (with its
/// reminder), import, render, erase, and a file this user may not write.
#[test]
fn the_other_commands_work_on_an_encrypted_database() {
    let (sb, db, _) = encrypted_demo();
    let run = |args: &[&str]| {
        let out = sb
            .cmd()
            .args(args)
            .args(["--db", "clinic.db"])
            .env("NEEDLELOG_PASSPHRASE", PASS)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    let out = run(&["export", "--format", "json", "-o", "all.json"]);
    assert!(
        stderr(&out).contains("all.json is not encrypted"),
        "{}",
        stderr(&out)
    );
    let csv = run(&["export", "--format", "csv"]);
    let first = String::from_utf8_lossy(&csv.stdout)
        .lines()
        .nth(1)
        .expect("a session row")
        .to_string();
    assert!(!first.is_empty());
    // Importing its own export changes nothing (matched by UUID).
    run(&["import", "all.json"]);
    let text = run(&["render", "--screen", "clients", "--size", "100x30"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(" of "));
    // Erase the first client of the export, by UUID.
    let export: serde_json::Value =
        serde_json::from_slice(&fs::read(sb.path("all.json")).unwrap()).unwrap();
    let client = export["clients"][0]["uuid"].as_str().unwrap().to_string();
    let name = export["clients"][0]["name"].as_str().unwrap().to_string();
    run(&["erase", "--client", &client, "--yes"]);
    let left = run(&["export", "--format", "csv"]);
    assert!(!String::from_utf8_lossy(&left.stdout).contains(&name));
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
    assert!(!holds(&db, &name));
}

/// An encrypted database this user may not write is read (immutable, with
/// the passphrase), and left byte for byte as it was. (Its photo folder
/// stays private to its owner: `tests/cipher_photos.rs` has `check` there.)
#[test]
fn a_read_only_encrypted_database_is_read_and_never_written() {
    let (sb, db, _) = encrypted_demo();
    sb.share();
    support::set_mode(&db, 0o444);
    let before = fs::read(&db).unwrap();
    let db_s = db.to_str().unwrap();
    for args in [
        vec!["export", "--format", "csv", "--db", db_s],
        vec![
            "render", "--screen", "clients", "--size", "80x20", "--db", db_s,
        ],
    ] {
        let out = support::cli::as_other_user(&sb.home())
            .args(&args)
            .current_dir(sb.work())
            .env("NEEDLELOG_PASSPHRASE", PASS)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(fs::read(&db).unwrap(), before);
}

/// `encrypt` while another program has the database open is refused in
/// one line, and leaves the file and its folder as they were.
#[test]
fn encrypt_waits_for_the_database_to_be_closed() {
    let (sb, db) = Sandbox::with_demo_db("clinic.db", 3, 1);
    let other = Store::open(&db).unwrap();
    let bytes = fs::read(&db).unwrap();
    let out = with(&sb, PASS, &["encrypt", "--db", "clinic.db"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("open in another program"), "{err}");
    assert_eq!(fs::read(&db).unwrap(), bytes);
    assert!(!sb.path("backups").exists());
    drop(other);
    ok_with(&sb, PASS, &["encrypt", "--db", "clinic.db"]);
}

/// `restore` between a plain and an encrypted file is refused in one line
/// and changes neither; into a new file, an encrypted backup stays
/// encrypted with its passphrase.
#[test]
fn restore_needs_files_encrypted_alike() {
    let (sb, db, _) = encrypted_demo();
    let plain = sb.path("template.db");
    sb.demo(&plain, 3, 1);
    let bytes = (fs::read(&db).unwrap(), fs::read(&plain).unwrap());
    for args in [
        ["restore", "--db", "template.db", "clinic.db"],
        ["restore", "--db", "clinic.db", "template.db"],
    ] {
        let out = with(&sb, PASS, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("encrypted alike"), "{err}");
    }
    assert_eq!((fs::read(&db).unwrap(), fs::read(&plain).unwrap()), bytes);

    ok_with(&sb, PASS, &["restore", "--db", "fresh.db", "clinic.db"]);
    let fresh = sb.path("fresh.db");
    assert_eq!(cipher::kind(&fresh).unwrap(), Kind::Encrypted);
    assert_eq!(counts_of(&fresh, Some(PASS)), counts_of(&db, Some(PASS)));
}
