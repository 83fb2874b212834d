//! Photos on encrypted databases (issue 17): `encrypt` and `rekey`
//! stopped by a kill at any moment and at every step in turn, then run
//! again, finish the job with no photo lost; `check` on a database whose
//! photo folder this user may not read reports it and checks the rest.
#![cfg(unix)]

use needlelog::db::Store;
use needlelog::db::cipher::{self, Kind};
use needlelog::db::photo_files::Step;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;

mod support;

use support::cipher::{
    PASS, check_sealed, copy_with_photos, counts_of, encrypted_demo, ok_with, pass, photo_names,
    with,
};
use support::cli::{Sandbox, stderr};
use support::photos::{ANA, BEA, add, jpeg};

/// `encrypt` killed with SIGKILL at random moments, on a database with
/// photos: the file is always either the old plain database or the new
/// encrypted one, whole; every photo row names a file that is there and
/// opens; and `encrypt` run again finishes the job (every photo sealed,
/// nothing left beside them). `tests/cipher_photos.rs` stops it at every
/// step in turn instead.
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
    let (sb, template) = Sandbox::with_demo_photos("template.db", 200, 5);
    let want = counts_of(&template, None);
    let photos = photo_names(&template).len();
    // How long a whole run takes here: the kills land anywhere in it, and
    // a little after.
    let timed = sb.path("timed.db");
    copy_with_photos(&template, &timed);
    let started = std::time::Instant::now();
    ok_with(&sb, PASS, &["encrypt", "--db", "timed.db"]);
    let whole = started.elapsed().as_millis() as u64 * 6 / 5 + 1;
    check_sealed(&sb, &timed, PASS);
    let (mut plain, mut encrypted, mut unfinished) = (0, 0, 0);
    for round in 0..kills {
        let dir = sb.path(&format!("round{round}"));
        fs::create_dir(&dir).unwrap();
        let db = dir.join("clinic.db");
        copy_with_photos(&template, &db);
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
                // The photo files are not touched before the rename.
                sb.check_ok(&db);
            }
            Kind::Encrypted => {
                encrypted += 1;
                assert_eq!(counts_of(&db, Some(PASS)), want, "round {round}: encrypted");
                // Plain files not yet sealed, or files not yet removed:
                // never a row naming a file that is not there or not sound.
                if !nothing_lost(&sb, &db, Some(PASS), round) {
                    unfinished += 1;
                }
            }
            other => panic!("round {round}: the database is {other:?}"),
        }
        // Whatever was left, encrypt run again finishes the job (or, when
        // there is nothing left to do, says it is encrypted already).
        let out = with(&sb, PASS, &["encrypt", "--db", db.to_str().unwrap()]);
        assert!(
            out.status.success() || stderr(&out).contains("already encrypted"),
            "round {round}: {}",
            stderr(&out)
        );
        assert_eq!(counts_of(&db, Some(PASS)), want);
        check_sealed(&sb, &db, PASS);
        assert_eq!(photo_names(&db).len(), photos, "round {round}");
        fs::remove_dir_all(&dir).unwrap();
    }
    eprintln!(
        "{kills} kills within {whole} ms: {plain} left the plain file, {encrypted} the encrypted \
         one ({unfinished} of them with photos still to seal or tidy)"
    );
}

/// The passphrase `rekey` sets in the step test.
const NEW: &str = "the new one";
/// Set in the process the step test stops: the database, the step to stop
/// at (1 is the first) and the command (`encrypt` or `rekey`).
const DB_VAR: &str = "NEEDLELOG_TEST_STOP_DB";
const AT_VAR: &str = "NEEDLELOG_TEST_STOP_AT";
const RUN_VAR: &str = "NEEDLELOG_TEST_STOP_RUN";

/// The process the step test stops: runs `encrypt` (from [`PASS`]) or
/// `rekey` (from [`PASS`] to [`NEW`]) on the database through the library,
/// and kills itself with SIGKILL at the given step. Run on its own
/// (without the variables) it does nothing. The program has no switch
/// that stops it; the steps are the library's (`*_in_steps`).
#[test]
#[ignore = "the process the step test stops; does nothing by itself"]
fn stopping_process() {
    let Some(db) = std::env::var_os(DB_VAR) else {
        return;
    };
    let db = Path::new(&db);
    let at: usize = std::env::var(AT_VAR).unwrap().parse().unwrap();
    let mut seen = 0;
    let mut step = |_: Step| {
        seen += 1;
        if seen == at {
            // SAFETY: kill(2) on this very process; nothing is shared.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
        }
    };
    match std::env::var(RUN_VAR).unwrap().as_str() {
        "encrypt" => {
            let store = Store::open(db).unwrap();
            let done = store
                .encrypt_in_place_in_steps(&pass(PASS), &mut step)
                .unwrap();
            assert!(done.photos.unreadable.is_empty());
        }
        "rekey" => {
            cipher::remember(db, pass(PASS));
            let store = Store::open(db).unwrap();
            let done = store.rekey_in_steps(&pass(NEW), &mut step).unwrap();
            assert!(done.unreadable.is_empty());
        }
        other => panic!("{other}?"),
    }
    println!("steps: {seen}");
}

/// What `check` (with `key`) says of `db` after a stop: the database whole
/// and every photo row naming a file that is there and opens; plain files
/// not yet sealed and files not yet removed are allowed. Returns whether
/// the check was clean.
fn nothing_lost(sb: &Sandbox, db: &Path, key: Option<&str>, at: usize) -> bool {
    let mut cmd = sb.cmd();
    cmd.arg("check").arg("--db").arg(db);
    if let Some(k) = key {
        cmd.env("NEEDLELOG_PASSPHRASE", k);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for bad in [
        "missing",
        "damaged",
        "unreadable",
        "unreferenced",
        "integrity",
    ] {
        assert!(!text.contains(bad), "stopped at step {at}: {text}");
    }
    out.status.success()
}

/// `encrypt` and `rekey` killed at each step in turn (every photo file
/// written, the rows keyed, every old file removed, and the database's
/// own steps), on a database with photos: each time the rows are whole,
/// every photo row names a sound file, and running the command again
/// (for a stopped `rekey`, `rekey` or `encrypt` in turn) leaves every
/// photo sealed once and nothing else in the folder.
#[test]
fn encrypt_and_rekey_stopped_at_every_step_are_finished_by_running_them_again() {
    // Three photo files for four rows: a picture attached to both
    // clients is one file (one key for both rows).
    let (sb, template) = support::photos::with_clients();
    let (a, b) = (jpeg(&sb, "a.jpg", 30), jpeg(&sb, "b.jpg", 90));
    let c = jpeg(&sb, "c.jpg", 150);
    for (client, files) in [(ANA, [a.as_path(), &b]), (BEA, [&a, &c])] {
        let out = add(&sb, &template, client, "front", &files);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let want = counts_of(&template, None);
    let photos = photo_names(&template).len();
    assert_eq!(photos, 3);
    for run in ["encrypt", "rekey"] {
        let mut at = 1;
        let mut stops = Vec::new();
        loop {
            let dir = sb.path(&format!("{run}-{at}"));
            fs::create_dir(&dir).unwrap();
            let db = dir.join("clinic.db");
            copy_with_photos(&template, &db);
            if run == "rekey" {
                ok_with(&sb, PASS, &["encrypt", "--db", db.to_str().unwrap()]);
            }
            let out = support::cli::isolated(support::this_test_binary(), &sb.home())
                .current_dir(sb.work())
                .arg("stopping_process")
                .args(support::ONE_IGNORED_TEST)
                .env(DB_VAR, &db)
                .env(AT_VAR, at.to_string())
                .env(RUN_VAR, run)
                .output()
                .unwrap();
            if out.status.signal() != Some(libc::SIGKILL) {
                assert!(out.status.success(), "{run}: {}", stderr(&out));
                let said = String::from_utf8_lossy(&out.stdout);
                assert!(said.contains(&format!("steps: {}", at - 1)), "{said}");
                check_sealed(&sb, &db, if run == "rekey" { NEW } else { PASS });
                break;
            }
            // Which passphrase opens it now.
            let key = match cipher::kind(&db).unwrap() {
                Kind::Plain => None,
                Kind::Encrypted if cipher::verify(&db, &pass(PASS)).is_ok() => Some(PASS),
                Kind::Encrypted => Some(NEW),
                other => panic!("{run} stopped at step {at}: the database is {other:?}"),
            };
            assert_eq!(counts_of(&db, key), want, "{run} stopped at step {at}");
            let clean = nothing_lost(&sb, &db, key, at);
            stops.push(clean);
            let db_arg = db.to_str().unwrap();
            let again = match (run, key) {
                (_, None) => with(&sb, PASS, &["encrypt", "--db", db_arg]),
                ("rekey", Some(k)) if at % 2 == 0 => sb
                    .cmd()
                    .args(["rekey", "--db", db_arg])
                    .env("NEEDLELOG_PASSPHRASE", k)
                    .env("NEEDLELOG_NEW_PASSPHRASE", k)
                    .output()
                    .unwrap(),
                (_, Some(k)) => with(&sb, k, &["encrypt", "--db", db_arg]),
            };
            assert!(
                again.status.success() || (clean && stderr(&again).contains("already encrypted")),
                "{run} stopped at step {at}, run again: {}",
                stderr(&again)
            );
            let key = key.unwrap_or(PASS);
            assert_eq!(counts_of(&db, Some(key)), want);
            check_sealed(&sb, &db, key);
            assert_eq!(photo_names(&db).len(), photos, "{run} stopped at step {at}");
            fs::remove_dir_all(&dir).unwrap();
            at += 1;
        }
        // encrypt: the backup, the copy, the rename, then each file
        // sealed, the rows, each plain file removed; rekey: the new
        // passphrase, then the same for every file.
        let expected = if run == "encrypt" { 3 } else { 1 } + 2 * photos + 1;
        assert_eq!(stops.len(), expected, "{run}: {stops:?}");
        // Stops after the database changed and before the last old file
        // went leave something for `check` to name.
        assert!(stops.iter().any(|clean| !clean), "{run}: {stops:?}");
    }
}

/// An encrypted database on a read-only file, read by a user who may not
/// read its photo folder (as CI runs as root: `nobody`; otherwise the
/// folder is closed to its owner too): `check` names the folder as a
/// finding (exit 1) and checks the database, the other commands work,
/// and nothing is written. Then with the folder open but every photo file
/// closed, each file is one finding.
#[test]
fn check_reports_a_photo_folder_it_may_not_read_and_checks_the_rest() {
    let (sb, db, _) = encrypted_demo();
    let folder = needlelog::photo::photo_dir(&db);
    let files = photo_names(&db);
    sb.share();
    support::set_mode(&db, 0o444);
    support::set_mode(&folder, 0o000);
    let before = fs::read(&db).unwrap();
    let db_s = db.to_str().unwrap();
    let as_other = |args: &[&str]| {
        support::cli::as_other_user(&sb.home())
            .args(args)
            .current_dir(sb.work())
            .env("NEEDLELOG_PASSPHRASE", PASS)
            .output()
            .unwrap()
    };
    for args in [
        vec!["export", "--format", "csv", "--db", db_s],
        vec![
            "render", "--screen", "clients", "--size", "80x20", "--db", db_s,
        ],
    ] {
        let out = as_other(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let out = as_other(&["check", "--db", db_s]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert_eq!(
        text,
        format!(
            "problem: the photo folder {} cannot be read (Permission denied (os error 13)); its \
             {} photo files were not checked\n",
            folder.display(),
            files.len()
        )
    );
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("the database is sound; 1 photo problem(s)"),
        "{err}"
    );
    assert!(
        err.contains("as the user who owns the photo folder"),
        "{err}"
    );

    // The folder open, each file closed: one finding per file.
    support::set_mode(&folder, 0o755);
    for name in &files {
        support::set_mode(&folder.join(name), 0o000);
    }
    let out = as_other(&["check", "--db", db_s]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("problem: photo file unreadable: ").count(),
        files.len(),
        "{text}"
    );
    assert_eq!(text.lines().count(), files.len(), "{text}");
    assert!(!text.contains("damaged"), "{text}");

    assert_eq!(fs::read(&db).unwrap(), before);
    for name in &files {
        support::set_mode(&folder.join(name), 0o600);
    }
    support::set_mode(&folder, 0o700);
    support::set_mode(&db, 0o600);
    check_sealed(&sb, &db, PASS);
}
