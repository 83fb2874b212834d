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

use support::cipher::{PASS, counts_of, ok_with, pass, with};
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

/// `demo` into a plain database, `encrypt` it with the environment's
/// passphrase; returns the sandbox, the database and `check`'s plain line.
fn encrypted_demo() -> (Sandbox, PathBuf, String) {
    let (sb, db) = Sandbox::with_demo_db("clinic.db", 8, 3);
    let before = sb.run_ok(&["check", "--db", "clinic.db"]);
    let out = ok_with(&sb, PASS, &["encrypt", "--db", "clinic.db"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("encrypted "));
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
    (sb, db, before)
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
    assert_eq!(String::from_utf8_lossy(&after.stdout), before);
    // No stale WAL or journal of the plain file beside it.
    for tail in ["-journal", ".encrypting"] {
        let mut p = db.as_os_str().to_os_string();
        p.push(tail);
        assert!(!Path::new(&p).exists(), "{tail} left behind");
    }
    // The plain copy taken first is in backups/ and still opens plainly.
    let backups: Vec<_> = fs::read_dir(sb.path("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(cipher::kind(&backups[0]).unwrap(), Kind::Plain);

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
    assert_eq!(counts_of(&db, Some("a new one")), want);

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

    // restore: the encrypted backup back over the encrypted database.
    ok_with(
        &sb,
        "a new one",
        &["restore", "--db", "clinic.db", "copy.db"],
    );
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
    assert_eq!(counts_of(&db, Some("a new one")), want);

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
    // And the encrypted file is still there, untouched by the copy.
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
}

/// `encrypt` killed with SIGKILL at random moments: the file is always
/// either the old plain database or the new encrypted one, whole.
#[test]
fn encrypt_killed_at_any_moment_leaves_one_whole_database() {
    use rand::{Rng, SeedableRng};
    let kills = std::env::var("NEEDLELOG_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10usize);
    let seed = std::env::var("NEEDLELOG_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16u64);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (sb, template) = Sandbox::with_demo_db("template.db", 200, 5);
    let want = counts_of(&template, None);
    // How long a whole run takes here: the kills land anywhere in it, and
    // a little after.
    let timed = sb.path("timed.db");
    fs::copy(&template, &timed).unwrap();
    let started = std::time::Instant::now();
    ok_with(&sb, PASS, &["encrypt", "--db", "timed.db"]);
    let whole = started.elapsed().as_millis() as u64 * 6 / 5 + 1;
    let (mut plain, mut encrypted) = (0, 0);
    for round in 0..kills {
        let dir = sb.path(&format!("round{round}"));
        fs::create_dir(&dir).unwrap();
        let db = dir.join("clinic.db");
        fs::copy(&template, &db).unwrap();
        let mut child = support::cli::isolated(support::cli::BIN, &sb.home())
            .current_dir(sb.work())
            .args(["encrypt", "--db"])
            .arg(&db)
            .env("NEEDLELOG_PASSPHRASE", PASS)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread over the whole run: round r lands in its r-th slice.
        let delay = (whole * round as u64 + rng.random_range(0..whole)) / kills as u64;
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        match cipher::kind(&db).unwrap() {
            Kind::Plain => {
                plain += 1;
                assert_eq!(counts_of(&db, None), want, "round {round}: plain");
            }
            Kind::Encrypted => {
                encrypted += 1;
                assert_eq!(counts_of(&db, Some(PASS)), want, "round {round}: encrypted");
            }
            other => panic!("round {round}: the database is {other:?}"),
        }
        // Whatever was left, encrypt runs to the end afterwards.
        if cipher::kind(&db).unwrap() == Kind::Plain {
            let out = sb
                .cmd()
                .args(["encrypt", "--db"])
                .arg(&db)
                .env("NEEDLELOG_PASSPHRASE", PASS)
                .output()
                .unwrap();
            assert!(out.status.success(), "round {round}: {}", stderr(&out));
            assert_eq!(counts_of(&db, Some(PASS)), want);
        }
        fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!(
        "{kills} kills within {whole} ms: {plain} left the plain file, {encrypted} the encrypted one"
    );
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
/// the passphrase), and left byte for byte as it was.
#[test]
fn a_read_only_encrypted_database_is_read_and_never_written() {
    let (sb, db, _) = encrypted_demo();
    sb.share();
    support::set_mode(&db, 0o444);
    let before = fs::read(&db).unwrap();
    let db_s = db.to_str().unwrap();
    for args in [
        vec!["check", "--db", db_s],
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
