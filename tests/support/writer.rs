//! The writer process of the crash-safety and concurrency tests, which
//! kill it at random moments or run several at once and then hold the
//! database to every session UUID it printed.
//!
//! It is not part of the program: the test binary starts itself again
//! (`std::env::current_exe()`) to run only its [`TEST_NAME`] test, which
//! calls [`run_if_asked`]. That does nothing unless [`DB_VAR`] names a
//! database; then it adds a client with one series and records sessions
//! one transaction at a time through the ordinary store API (so with the
//! store's busy timeout and retry), printing each session's UUID on a line
//! of its own only once its commit has returned.

use chrono::Local;
use needlelog::db::{Store, StoreError};
use needlelog::domain::{ClientDraft, Concern, SeriesDraft, SessionDraft};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The database to write to; unset, the writer test does nothing.
pub const DB_VAR: &str = "NEEDLELOG_TEST_WRITER";
/// How many sessions to record.
pub const COUNT_VAR: &str = "NEEDLELOG_TEST_WRITER_COUNT";
/// The passphrase of an encrypted database; unset for a plain one.
pub const PASSPHRASE_VAR: &str = "NEEDLELOG_TEST_WRITER_PASSPHRASE";
/// The `#[test]` each test file that starts writers declares, calling
/// [`run_if_asked`].
pub const TEST_NAME: &str = "writer_process";

/// A writer recording `count` sessions into `db`, with its output piped.
pub fn command(db: &Path, count: u64) -> Command {
    let mut cmd = Command::new(super::this_test_binary());
    // --quiet (in ONE_IGNORED_TEST): the harness's own lines are "running
    // 1 test" and a dot, never glued in front of an acknowledgement.
    cmd.arg(TEST_NAME)
        .args(super::ONE_IGNORED_TEST)
        .env(DB_VAR, db)
        .env(COUNT_VAR, count.to_string())
        .env_remove("NEEDLELOG_DB")
        .env_remove(PASSPHRASE_VAR)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The session UUID a complete output line acknowledges; the test
/// harness's own lines acknowledge nothing.
pub fn acknowledged(line: &str) -> Option<&str> {
    let line = line.trim_end();
    uuid::Uuid::try_parse(line).is_ok().then_some(line)
}

/// The writer, when this process was started as one.
pub fn run_if_asked() {
    let Some(db) = std::env::var_os(DB_VAR) else {
        return;
    };
    let count = std::env::var(COUNT_VAR)
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("{COUNT_VAR} is not a number"));
    if let Ok(p) = std::env::var(PASSPHRASE_VAR) {
        needlelog::db::cipher::remember(Path::new(&db), super::cipher::pass(&p));
    }
    if let Err(e) = write(Path::new(&db), count) {
        eprintln!("writer: {e}");
        std::process::exit(1);
    }
}

/// Adds a client with one series, then `count` sessions to it.
fn write(path: &Path, count: u64) -> Result<(), StoreError> {
    let mut store = Store::open(path)?;
    let now = Local::now().naive_local();
    let client = ClientDraft {
        name: format!("Stress writer {}", std::process::id()),
        ..ClientDraft::default()
    };
    let series = SeriesDraft::new(Concern::AcneScars, now.date());
    let client = store.create_client(&client, Some(&series))?;
    let series_id = store
        .series_of(client.id)?
        .first()
        .map(|s| s.id)
        .ok_or_else(|| StoreError::Other("the new client has no series".into()))?;
    // A minute back: a session may not be in the future.
    let draft = SessionDraft::at(now - chrono::Duration::minutes(1));
    let mut out = std::io::stdout().lock();
    // Ends any line the harness left open, so the first UUID starts one.
    writeln!(out).map_err(|e| StoreError::Other(format!("writing output: {e}")))?;
    for _ in 0..count {
        let session = store.create_session(series_id, &draft)?;
        // Printed only now that the commit is durable, and pushed out at
        // once: a line the reader got is a promise the database keeps.
        writeln!(out, "{}", session.uuid)
            .and_then(|()| out.flush())
            .map_err(|e| StoreError::Other(format!("writing output: {e}")))?;
    }
    Ok(())
}
