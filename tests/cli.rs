//! The command line as a user meets it: the real binary, real files in a
//! temporary folder, exit codes and the exact shape of error output.

mod support;

use predicates::prelude::*;
use rusqlite::Connection;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use support::cli::{
    Sandbox, assert_no_panic, assert_unchanged, one_line_error, snapshot, stderr, stdout,
    usage_error, without_exported_at,
};
use support::{TODAY, mode, names_in, noise, set_mode};

// ---------------------------------------------------------------- helpers

/// Reads `N clients` out of a `check` or `demo` line.
fn clients_in(line: &str) -> u64 {
    let before = line
        .split(" clients")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .unwrap_or_else(|| panic!("no client count in {line:?}"));
    before
        .parse()
        .unwrap_or_else(|_| panic!("no client count in {line:?}"))
}

/// The counts part of a `check` line, without the path: `1 clients (...), ...`.
fn counts_part(check_line: &str) -> String {
    check_line
        .split_once("): ")
        .unwrap_or_else(|| panic!("unexpected check line {check_line:?}"))
        .1
        .to_string()
}

/// Runs every command that opens an existing database against `db` and
/// requires each to fail cleanly with one line mentioning `want`, leaving
/// the whole work folder exactly as it was.
fn assert_refused_untouched(sb: &Sandbox, db: &Path, want: &str) {
    let before = snapshot(&sb.work());
    let dbarg = db.as_os_str().to_owned();
    let runs: [Vec<&std::ffi::OsStr>; 5] = [
        vec!["check".as_ref(), "--db".as_ref(), &dbarg],
        vec![
            "export".as_ref(),
            "--db".as_ref(),
            &dbarg,
            "--format".as_ref(),
            "json".as_ref(),
        ],
        vec!["backup".as_ref(), "--db".as_ref(), &dbarg],
        vec![
            "demo".as_ref(),
            "--db".as_ref(),
            &dbarg,
            "--clients".as_ref(),
            "3".as_ref(),
        ],
        vec!["--db".as_ref(), &dbarg],
    ];
    for args in runs {
        let out = sb.run(&args);
        let line = one_line_error(&out);
        assert!(line.contains(want), "{args:?}: want {want:?} in {line:?}");
        assert_unchanged(sb, &before, &format!("{args:?}"));
    }
}

// ------------------------------------------------------- demo, check, export

#[test]
fn demo_check_export_round() {
    let (sb, db) = Sandbox::with_demo_db("n.db", 200, 5);

    let line = sb.check_ok(&db);
    assert_eq!(clients_in(&line), 200, "{line}");
    assert!(line.contains("200 clients"), "{line}");

    let doc = sb.export_json(&db);
    assert_eq!(doc["format"], "needlelog-export");
    assert_eq!(doc["version"], 1);
    assert!(doc["exported_at"].is_string());
    let clients = doc["clients"].as_array().expect("clients array");
    assert_eq!(clients.len(), 200);

    let mut uuids = std::collections::HashSet::new();
    let mut series_total = 0;
    let mut sessions_total = 0;
    for c in clients {
        let uuid = c["uuid"].as_str().expect("client uuid");
        assert_eq!(uuid.len(), 36, "uuid {uuid}");
        assert!(uuids.insert(uuid.to_string()), "duplicate uuid {uuid}");
        let series = c["series"].as_array().expect("series array");
        series_total += series.len();
        for s in series {
            assert!(s["uuid"].is_string(), "series without uuid: {s}");
            let sessions = s["sessions"].as_array().expect("sessions array");
            sessions_total += sessions.len();
            for x in sessions {
                assert!(x["uuid"].is_string(), "session without uuid: {x}");
            }
        }
    }
    // The export holds exactly what `check` counted.
    let counts = counts_part(&line);
    assert!(
        counts.contains(&format!(
            ", {series_total} series, {sessions_total} sessions,"
        )),
        "check says {counts:?}; export has {series_total} series, {sessions_total} sessions"
    );
    assert!(sessions_total > 0);
}

#[test]
fn demo_is_deterministic_per_seed_and_day() {
    let sb = Sandbox::new();
    let (a, b, c) = (sb.path("a.db"), sb.path("b.db"), sb.path("c.db"));
    sb.demo(&a, 30, 7);
    sb.demo(&b, 30, 7);
    sb.demo(&c, 30, 8);

    assert_eq!(counts_part(&sb.check_ok(&a)), counts_part(&sb.check_ok(&b)));
    // The demo photos' files are the same for a seed; their rows' UUIDs
    // are made when they are attached (the store's attach makes them).
    let photo_uuids_out = |mut v: serde_json::Value| {
        for c in v["clients"].as_array_mut().unwrap() {
            for s in c["series"].as_array_mut().unwrap() {
                for x in s["sessions"].as_array_mut().unwrap() {
                    if let Some(ps) = x.get_mut("photos").and_then(|p| p.as_array_mut()) {
                        ps.iter_mut().for_each(|p| {
                            p.as_object_mut().unwrap().remove("uuid");
                        });
                    }
                }
            }
        }
        v
    };
    let ea = photo_uuids_out(without_exported_at(sb.export_json(&a)));
    let eb = photo_uuids_out(without_exported_at(sb.export_json(&b)));
    let ec = without_exported_at(sb.export_json(&c));
    assert_eq!(ea, eb, "same seed and day, different data");
    assert_ne!(ea, ec, "different seeds, same data");
    assert_eq!(ec["clients"].as_array().unwrap().len(), 30);
}

#[test]
fn export_to_file_stdout_and_missing_folder() {
    let (sb, db) = Sandbox::with_demo_db("n.db", 12, 3);
    let on_stdout = without_exported_at(sb.export_json(&db));

    let export_to =
        |output: &str| sb.run(["export", "--db", "n.db", "--format", "json", "-o", output]);

    // -o FILE: private file, same document, nothing on stdout.
    let file = sb.path("out.json");
    let out = export_to("out.json");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(&out));
    assert_no_panic(&stderr(&out));
    let written: Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(without_exported_at(written), on_stdout);
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600, "export file mode");

    // Overwriting keeps it private and whole; no temporary files remain.
    #[cfg(unix)]
    set_mode(&file, 0o644);
    sb.cmd()
        .args(["export", "--db", "n.db", "--format", "json", "--output"])
        .arg(&file)
        .assert()
        .success();
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600, "overwritten export file mode");
    let names = names_in(&sb.work());
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "leftover temporary file: {names:?}"
    );

    // -o - writes to stdout and creates no file called "-".
    let out = export_to("-");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(without_exported_at(v), on_stdout);
    assert!(!sb.path("-").exists());

    // -o into a folder that does not exist: one line, nothing created.
    let before = snapshot(&sb.work());
    let out = export_to("nowhere/out.json");
    let line = one_line_error(&out);
    assert!(line.contains("nowhere"), "{line}");
    assert_unchanged(&sb, &before, "export -o nowhere/out.json");

    // -o the database itself (or its journal): refused, the file untouched.
    for target in ["n.db", "./n.db", "n.db-wal"] {
        let before = fs::read(&db).unwrap();
        let line = one_line_error(&export_to(target));
        assert!(line.contains("is the database itself"), "{target}: {line}");
        assert_eq!(fs::read(&db).unwrap(), before, "{target}");
    }
    sb.check_ok(&db);
}

// ------------------------------------------------------------- bad input

#[test]
fn bad_arguments_are_usage_errors() {
    let sb = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["demo", "--db", "x.db", "--clients", "0"],
        &["demo", "--db", "x.db", "--clients", "abc"],
        &["demo", "--db", "x.db", "--clients", "-3"],
        &["demo", "--db", "x.db", "--seed", "minus"],
        &["demo", "--db", "x.db", "--today", "2026-02-30"],
        &["demo", "--db", "x.db", "--today", "21.11.2026"],
        &["frobnicate"],
        &["export", "--db", "x.db", "--format", "xml"],
        &["export", "--db", "x.db"],
        &["check", "--db", "x.db", "extra"],
        &["--db"],
        &["--no-such-flag"],
    ];
    for args in cases {
        let out = sb.run(*args);
        let err = usage_error(&out);
        if args.contains(&"--today") {
            assert!(err.contains("YYYY-MM-DD"), "{args:?}: {err}");
        }
        assert!(!sb.path("x.db").exists(), "{args:?} created the database");
    }
}

/// The tests' writer process is not part of the program (it lives in the
/// test binaries, see `tests/support/writer.rs`): the command that once started it
/// is refused like any unknown one, and writes nothing.
#[test]
fn stress_writer_is_an_unknown_command() {
    let sb = Sandbox::new();
    for args in [
        &["stress-writer", "--count", "3", "--db", "x.db"][..],
        &["stress-writer"][..],
    ] {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("unrecognized subcommand 'stress-writer'"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!sb.path("x.db").exists(), "{args:?} created the database");
    }
}

// ------------------------------------------------------------ bad files

#[test]
fn missing_database_is_not_created() {
    let sb = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["check", "--db", "missing.db"],
        &["export", "--db", "missing.db", "--format", "json"],
        &[
            "export",
            "--db",
            "missing.db",
            "--format",
            "json",
            "-o",
            "o.json",
        ],
        &["backup", "--db", "missing.db"],
        &["backup", "--db", "missing.db", "copy.db"],
        &["check", "--db", "sub/missing.db"],
    ];
    for args in cases {
        let out = sb.run(*args);
        let line = one_line_error(&out);
        assert!(line.contains("no database there"), "{args:?}: {line}");
        assert!(line.contains("missing.db"), "{args:?}: {line}");
        let left: Vec<_> = fs::read_dir(sb.work()).unwrap().collect();
        assert!(left.is_empty(), "{args:?} created files: {left:?}");
    }
}

/// Writes `sql` into the SQLite file at `path` (made if need be), past
/// needlelog.
fn sql(path: &Path, sql: &str) {
    Connection::open(path).unwrap().execute_batch(sql).unwrap();
}

/// Another program's database: SQLite, but not needlelog's.
const ALBUMS: &str = "CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT);
     INSERT INTO albums (title) VALUES ('holiday');";

/// Files that are not a needlelog database this program may open: the
/// file's name, what the refusal must mention, and how the file is made.
type Unusable = (&'static str, &'static str, fn(&Sandbox, &Path));

const UNUSABLE: [Unusable; 9] = [
    ("garbage.db", "garbage.db", |_, db| {
        fs::write(db, noise(8192)).unwrap();
    }),
    ("notes.txt", "not a needlelog database", |_, db| {
        fs::write(db, "client: A. Example\nsession 1: 0.5 mm forehead\n").unwrap();
    }),
    // Fewer bytes than SQLite's 16-byte header, but a matching start.
    ("short.db", "short.db", |_, db| {
        fs::write(db, b"SQLite for").unwrap();
    }),
    ("truncated.db", "damaged", |sb, db| {
        let full = sb.path("full.db");
        sb.demo(&full, 60, 2);
        let bytes = fs::read(&full).unwrap();
        assert!(bytes.len() > 40_000, "demo db unexpectedly small");
        fs::write(db, &bytes[..bytes.len() / 3]).unwrap();
        fs::remove_file(&full).unwrap();
    }),
    ("folder.db", "directory", |_, db| {
        fs::create_dir(db).unwrap();
        fs::write(db.join("keep.txt"), "x").unwrap();
    }),
    ("newer.db", "newer", |sb, db| {
        sb.demo(db, 5, 1);
        sql(db, "PRAGMA user_version = 99");
    }),
    // A backup copy is in rollback-journal mode (copy_to sets DELETE); the
    // same file written by a newer needlelog must not be changed by this one.
    ("newer.db", "newer", |sb, db| {
        let src = sb.path("src.db");
        sb.demo(&src, 5, 1);
        sb.cmd()
            .args(["backup", "--db", "src.db"])
            .arg(db)
            .assert()
            .success();
        fs::remove_file(&src).unwrap();
        sql(db, "PRAGMA user_version = 99");
    }),
    ("photos.sqlite", "another program", |_, db| sql(db, ALBUMS)),
    // The same refusal for a file already in WAL mode, where the journal
    // switch changes nothing; pins the identity check itself.
    ("photos.sqlite", "another program", |_, db| {
        sql(db, &format!("PRAGMA journal_mode = WAL; {ALBUMS}"));
    }),
];

#[test]
fn unusable_files_are_refused_untouched() {
    for (name, want, make) in UNUSABLE {
        let sb = Sandbox::new();
        let db = sb.path(name);
        make(&sb, &db);
        assert_refused_untouched(&sb, &db, want);
    }
}

#[test]
fn check_reports_damage_found_inside() {
    // A client deleted behind needlelog's back leaves its series dangling.
    let (sb, db) = Sandbox::with_demo_db("n.db", 20, 4);
    sql(
        &db,
        "PRAGMA foreign_keys = OFF;
         DELETE FROM clients WHERE id = (SELECT client_id FROM series LIMIT 1);",
    );
    let out = sb.run(["check", "--db", "n.db"]);
    let err = stderr(&out);
    assert_no_panic(&err);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert!(
        err.starts_with("needlelog: ") && err.contains("problem"),
        "{err}"
    );
    let text = stdout(&out);
    assert!(!text.is_empty() && text.lines().all(|l| l.starts_with("problem: ")));
    assert!(text.contains("series"), "{text}");
}

#[test]
fn demo_refuses_a_database_with_clients() {
    let (sb, db) = Sandbox::with_demo_db("n.db", 15, 1);
    let before_check = sb.check_ok(&db);
    let before = snapshot(&sb.work());

    let out = sb.run(["demo", "--db", "n.db", "--clients", "5", "--seed", "2"]);
    let line = one_line_error(&out);
    assert!(line.contains("already holds 15 clients"), "{line}");
    assert_unchanged(&sb, &before, "demo into a full database");
    assert_eq!(sb.check_ok(&db), before_check);
}

#[test]
fn db_under_a_regular_file_is_one_line_error() {
    let sb = Sandbox::new();
    fs::write(sb.path("file.txt"), "plain").unwrap();
    let before = snapshot(&sb.work());
    for args in [
        vec!["demo", "--db", "file.txt/x.db", "--clients", "2"],
        vec!["check", "--db", "file.txt/x.db"],
        vec!["export", "--db", "file.txt/x.db", "--format", "json"],
        vec!["backup", "--db", "file.txt/x.db"],
        vec!["--db", "file.txt/x.db"],
    ] {
        let out = sb.run(&args);
        let line = one_line_error(&out);
        assert!(line.contains("file.txt"), "{args:?}: {line}");
        assert_unchanged(&sb, &before, &format!("{args:?}"));
    }
}

// -------------------------------------------------------- where the db is

#[test]
fn needlelog_db_env_is_honoured_and_db_flag_wins() {
    let sb = Sandbox::new();
    let env_db = sb.path("env.db");
    sb.cmd()
        .env("NEEDLELOG_DB", &env_db)
        .args(["demo", "--clients", "7", "--seed", "3", "--today", TODAY])
        .assert()
        .success();
    assert!(env_db.is_file(), "demo ignored NEEDLELOG_DB");
    assert_eq!(clients_in(&sb.check_ok(&env_db)), 7);

    // Commands other than demo read it too.
    sb.cmd()
        .env("NEEDLELOG_DB", &env_db)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok:").and(predicate::str::contains("7 clients")));

    // --db wins over the environment, for reading...
    let flag_db = sb.path("flag.db");
    sb.demo(&flag_db, 4, 1);
    sb.cmd()
        .env("NEEDLELOG_DB", &env_db)
        .args(["check", "--db"])
        .arg(&flag_db)
        .assert()
        .success()
        .stdout(predicate::str::contains("flag.db").and(predicate::str::contains("4 clients")));
    // ... and for creating: the env file is not touched.
    let before = fs::read(&env_db).unwrap();
    let fresh = sb.path("fresh.db");
    sb.cmd()
        .env("NEEDLELOG_DB", &env_db)
        .args(["demo", "--clients", "2", "--db"])
        .arg(&fresh)
        .assert()
        .success();
    assert_eq!(clients_in(&sb.check_ok(&fresh)), 2);
    assert_eq!(fs::read(&env_db).unwrap(), before);
    assert_eq!(clients_in(&sb.check_ok(&env_db)), 7);

    // A missing --db is reported as missing even when the env one exists.
    let out = sb
        .cmd()
        .env("NEEDLELOG_DB", &env_db)
        .args(["check", "--db", "absent.db"])
        .output()
        .unwrap();
    let line = one_line_error(&out);
    assert!(line.contains("absent.db") && line.contains("no database there"));
}

#[test]
fn empty_db_path_is_one_clear_line() {
    // An empty NEEDLELOG_DB must not be blamed on a `--db` never typed,
    // nor fall back to the default database.
    let sb = Sandbox::new();
    for (env, args) in [
        (Some(""), vec!["check"]),
        (Some(""), vec!["demo", "--clients", "2"]),
        (Some(""), vec![]),
        (None, vec!["check", "--db", ""]),
        (None, vec!["export", "--format", "json", "--db", ""]),
    ] {
        let mut cmd = sb.cmd();
        if let Some(v) = env {
            cmd.env("NEEDLELOG_DB", v);
        }
        let out = cmd.args(&args).output().unwrap();
        let line = one_line_error(&out);
        assert!(line.contains("NEEDLELOG_DB"), "{env:?} {args:?}: {line}");
        assert!(line.contains("empty"), "{env:?} {args:?}: {line}");
    }
    assert!(
        snapshot(&sb.home()).is_empty(),
        "something was written to HOME"
    );
    assert!(snapshot(&sb.work()).is_empty(), "something was written");
}

#[cfg(unix)]
#[test]
fn default_database_lives_under_home() {
    let sb = Sandbox::new();
    let out = sb.run(["check"]);
    let line = one_line_error(&out);
    assert!(line.contains("no database there"), "{line}");
    let home = sb.home();
    assert!(
        line.contains(home.to_str().unwrap()),
        "default path is outside the test HOME: {line}"
    );

    sb.cmd()
        .args(["demo", "--clients", "3", "--today", TODAY])
        .assert()
        .success()
        .stdout(predicate::str::contains(home.to_str().unwrap()));
    sb.cmd()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("3 clients"));
}

// ---------------------------------------------------------------- backup

#[test]
fn backup_to_dest_and_default_folder() {
    let (sb, db) = Sandbox::with_demo_db("n.db", 25, 9);
    let counts = counts_part(&sb.check_ok(&db));

    // Named destination.
    let dest = sb.path("copy.db");
    sb.cmd()
        .args(["backup", "--db", "n.db", "copy.db"])
        .assert()
        .success()
        .stdout(predicate::str::contains("copy.db"));
    #[cfg(unix)]
    assert_eq!(mode(&dest), 0o600, "backup mode");
    assert_eq!(counts_part(&sb.check_ok(&dest)), counts);
    assert_eq!(
        without_exported_at(sb.export_json(&dest)),
        without_exported_at(sb.export_json(&db))
    );

    // An existing destination is refused and left alone.
    let taken = sb.path("taken.db");
    fs::write(&taken, "precious").unwrap();
    let out = sb.run(["backup", "--db", "n.db", "taken.db"]);
    let line = one_line_error(&out);
    assert!(line.contains("already exists"), "{line}");
    assert_eq!(fs::read(&taken).unwrap(), b"precious");
    // Even when it is an earlier backup.
    let copy_before = fs::read(&dest).unwrap();
    let out = sb.run(["backup", "--db", "n.db", "copy.db"]);
    one_line_error(&out);
    assert_eq!(fs::read(&dest).unwrap(), copy_before);

    // No destination: a new file in <db dir>/backups/, path printed.
    let out = sb
        .cmd()
        .arg("backup")
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    assert_eq!(printed.lines().count(), 1, "{printed:?}");
    let path = PathBuf::from(printed.trim_end());
    assert_eq!(
        path.parent(),
        Some(sb.work().join("backups").as_path()),
        "backup not in the backups folder: {printed}"
    );
    assert!(path.is_file());
    #[cfg(unix)]
    {
        assert_eq!(mode(&path), 0o600, "default backup mode");
        assert_eq!(
            mode(&sb.work().join("backups")),
            0o700,
            "backups folder mode"
        );
    }
    assert_eq!(counts_part(&sb.check_ok(&path)), counts);
}

// ------------------------------------------------------------------ size

#[test]
fn demo_with_ten_thousand_clients() {
    let (sb, db) = Sandbox::with_demo_db("big.db", 10_000, 1);
    assert_eq!(clients_in(&sb.check_ok(&db)), 10_000);
}
