//! SQLite's `quick_check` reads the whole file: ~60 ms at 10,000 clients,
//! ~600 ms at 100,000. The interface opens without waiting for it and runs
//! it on a second, read-only connection while the first screen is read.
//! Nothing is written before it has passed: [`Store::write`] waits for the
//! result, and a failed check makes the store refuse every write.

use super::error::StoreError;
use super::{Result, Store};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

#[derive(Debug, Default)]
pub(crate) enum Integrity {
    /// Checked when the file was opened (or the check has come back fine).
    #[default]
    Verified,
    /// Running in the background.
    Pending(Receiver<std::result::Result<Vec<String>, String>>),
    /// Not run (a drawing-only open); a write runs it first.
    Unchecked,
    /// The check found damage (or could not run): one line saying what.
    Failed(String),
}

/// What the interface shows about the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityStatus {
    Verified,
    Pending,
    Failed(String),
}

fn quick_check(path: &Path, immutable: bool) -> std::result::Result<Vec<String>, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // A file this user may not write is read the way the store reads it.
    let conn = if immutable {
        super::files::open_immutable(path).map_err(|e| e.to_string())?
    } else {
        super::cipher::open(path, path, flags).map_err(|e| e.to_string())?
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    problems(&conn, "quick_check").map_err(|e| e.to_string())
}

/// The lines of an integrity pragma's answer that report a problem: one
/// row may hold several lines under a "*** in database main ***" heading.
pub(crate) fn problems(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut problems = Vec::new();
    for row in rows {
        let row = row?;
        problems.extend(
            row.lines()
                .map(str::trim)
                .filter(|l| !(l.is_empty() || *l == "ok" || l.starts_with("*** ")))
                .map(String::from),
        );
    }
    Ok(problems)
}

/// Starts the check of `path` on its own thread.
pub(crate) fn spawn(path: PathBuf, immutable: bool) -> Integrity {
    let (tx, rx) = channel();
    let started = std::thread::Builder::new()
        .name("needlelog-quick-check".into())
        .spawn(move || {
            let _ = tx.send(quick_check(&path, immutable));
        });
    match started {
        Ok(_) => Integrity::Pending(rx),
        // No thread: check now rather than not at all.
        Err(_) => Integrity::Failed("could not start the integrity check".into()),
    }
}

/// One line however much is wrong; `needlelog check` lists it all.
pub(crate) fn summary(problems: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut detail = problems[..problems.len().min(SHOWN)].join("; ");
    if problems.len() > SHOWN {
        detail.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    detail
}

impl Store {
    fn settle_integrity(&mut self, block: bool) {
        if block && matches!(self.integrity, Integrity::Unchecked) {
            self.integrity = spawn(self.path.clone(), self.read_only);
        }
        if let Integrity::Pending(rx) = &self.integrity {
            let got = if block {
                rx.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                rx.try_recv()
            };
            self.integrity = match got {
                Ok(Ok(problems)) if problems.is_empty() => Integrity::Verified,
                Ok(Ok(problems)) => Integrity::Failed(summary(&problems)),
                Ok(Err(e)) => Integrity::Failed(format!("the integrity check failed: {e}")),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    Integrity::Failed("the integrity check stopped".into())
                }
            };
        }
    }

    /// Where the background check stands, without waiting.
    pub fn integrity_status(&mut self) -> IntegrityStatus {
        self.settle_integrity(false);
        match &self.integrity {
            Integrity::Verified => IntegrityStatus::Verified,
            Integrity::Pending(_) | Integrity::Unchecked => IntegrityStatus::Pending,
            Integrity::Failed(why) => IntegrityStatus::Failed(why.clone()),
        }
    }

    /// Waits for the background check; an error if it found damage.
    pub(crate) fn await_integrity(&mut self) -> Result<()> {
        self.settle_integrity(true);
        match &self.integrity {
            Integrity::Failed(detail) => Err(StoreError::Damaged {
                path: self.path.clone(),
                detail: detail.clone(),
            }),
            _ => Ok(()),
        }
    }
}
