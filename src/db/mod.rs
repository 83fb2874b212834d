//! Every SQL statement of the program lives below this module.
//!
//! [`Store::open`] prepares the file (modes, header check), sets the
//! pragmas, checks integrity and migrates. Every change goes through
//! [`Store::write`]: one `BEGIN IMMEDIATE` transaction that also appends to
//! the audit log.

mod audit;
pub(crate) mod backup;
mod bulk;
mod bulk_list;
mod busy;
pub mod cipher;
pub mod client_list;
mod clients;
mod columns;
mod drafts;
mod encrypt;
mod erase;
mod error;
pub mod files;
mod fresh;
mod import;
mod integrity;
pub mod photo_files;
pub mod photos;
mod rows;
pub mod schema;
mod scope;
mod series;
mod sessions;
pub mod today;
mod tree;
mod undo;

pub use audit::{Action, AuditEntry, Entity};
pub use drafts::Draft;
pub use encrypt::Encrypted;
pub use erase::Erased;
pub use error::StoreError;
pub use files::{create_private_file, prepare_db_path};
pub use import::{ClientListSummary, ImportSummary, ListedClient, MergeCounts};
pub use integrity::IntegrityStatus;
pub use scope::{Scope, ScopedClient, ScopedSeries, SessionRow, TreeStream, into_trees};
pub use tree::{ClientTree, SeriesTree};
pub use undo::{NextChange, Target, UndoRedo, Undone};

use chrono::{DateTime, Local, NaiveDateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use rusqlite_migration::Migrations;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where "now" comes from: the system clock, or a fixed instant (the demo
/// generator and tests need reproducible timestamps).
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Fixed(t) => t,
        }
    }

    /// The practitioner's wall-clock time.
    pub fn local_now(self) -> NaiveDateTime {
        match self {
            Self::System => Local::now().naive_local(),
            Self::Fixed(t) => t.naive_utc(),
        }
    }
}

/// Counts of what a database holds, for `check` and status lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub clients: i64,
    pub archived: i64,
    pub series: i64,
    pub sessions: i64,
    pub audit: i64,
}

/// What `needlelog check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub schema_version: usize,
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<String>,
    pub counts: Counts,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty()
    }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    user: String,
    read_only: bool,
    /// Where the open-time `quick_check` stands (see `integrity.rs`).
    integrity: integrity::Integrity,
    /// Open without waiting for `quick_check` (the interface's first frame).
    defer_check: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// Opens the file (creating it and its folder private first). A file we
/// may not write (and often a folder we may not write, so no WAL index can
/// be made) is read as it stands, read-only. Returns the connection and
/// whether it is read-only.
fn connect(path: &Path) -> Result<(Connection, bool)> {
    prepare_db_path(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match cipher::open(path, path, flags) {
        Ok(conn) => conn,
        // An encrypted file proves its key with a first read. On a file we
        // may not write, in WAL mode with no WAL index beside it and a
        // folder we may not write either, that read fails as read-only:
        // read the file as it stands, as for a plain one below.
        Err(StoreError::ReadOnly { .. }) if cipher::key_for(path).is_some() => {
            return Ok((files::open_immutable(path)?, true));
        }
        Err(e) => return Err(e),
    };
    let read_only = conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true);
    if read_only {
        drop(conn);
        return Ok((files::open_immutable(path)?, true));
    }
    Ok((conn, false))
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, &schema::migrations(), schema::latest_version())
    }

    /// [`Store::open`] with an explicit migration list; tests use it to
    /// exercise a migration from an older schema.
    #[doc(hidden)]
    pub fn open_with(path: &Path, migrations: &Migrations<'_>, latest: usize) -> Result<Self> {
        Self::open_impl(path, migrations, latest, false, false)
    }

    /// Opens like [`Store::open`] but runs the full `quick_check` in the
    /// background instead of before returning, so a first screen can be
    /// drawn at once. Writes wait for the check and are refused if it fails;
    /// [`Store::integrity_status`] tells how it went. A file that needs a
    /// migration is still checked first.
    pub fn open_deferred(path: &Path) -> Result<Self> {
        Self::open_impl(
            path,
            &schema::migrations(),
            schema::latest_version(),
            true,
            false,
        )
    }

    /// For drawing a screen and nothing else (`needlelog render`): the
    /// whole-file check is not started at all; should anything be written
    /// after all, the check runs first.
    pub fn open_for_drawing(path: &Path) -> Result<Self> {
        Self::open_impl(
            path,
            &schema::migrations(),
            schema::latest_version(),
            true,
            true,
        )
    }

    fn open_impl(
        path: &Path,
        migrations: &Migrations<'_>,
        latest: usize,
        defer: bool,
        skip_check: bool,
    ) -> Result<Self> {
        let (conn, read_only) = connect(path)?;
        let mut store = Self {
            conn,
            path: path.to_path_buf(),
            clock: Clock::System,
            user: os_user(),
            read_only,
            integrity: integrity::Integrity::Verified,
            defer_check: false,
        };
        store
            .conn
            .busy_timeout(Duration::from_secs(5))
            .map_err(|e| StoreError::from_sqlite(path, e))?;
        if defer {
            let version: i64 = store
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(|e| StoreError::from_sqlite(path, e))?;
            store.defer_check = version == latest as i64;
        }
        store.settle(migrations, latest)?;
        if store.defer_check {
            store.integrity = if skip_check {
                integrity::Integrity::Unchecked
            } else {
                integrity::spawn(store.path.clone(), store.read_only)
            };
        }
        Ok(store)
    }

    /// Checks what the file is, configures the connection and migrates the
    /// schema. Two programs may open (even create) the file at the same
    /// moment: while one switches it to WAL or migrates it, the other meets
    /// a busy database, waits, tries again and finds the work done.
    fn settle(&mut self, migrations: &Migrations<'_>, latest: usize) -> Result<()> {
        let mut backoff = busy::Backoff::new();
        loop {
            // Look before writing anything: switching to WAL rewrites the
            // file header, and another program's file or a newer
            // needlelog's must be left exactly as it was. One read
            // transaction, so that the separate reads see the file at one
            // moment, not a new file's empty header and then the tables
            // another program has just created.
            let looked = self
                .conn
                .execute_batch("BEGIN")
                .map_err(StoreError::from)
                .and_then(|()| {
                    let looked = self.check_identity_and_version(latest);
                    if !self.conn.is_autocommit() {
                        self.conn.execute_batch("COMMIT")?;
                    }
                    looked
                });
            let attempt = looked
                .and_then(|()| self.configure())
                .and_then(|()| self.migrate(migrations, latest))
                .map_err(|e| e.at(&self.path));
            match attempt {
                Err(StoreError::Busy { .. }) if backoff.wait() => {}
                done => return done,
            }
        }
    }

    fn configure(&self) -> Result<()> {
        if !self.read_only {
            let mode: String = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Other(format!(
                    "could not switch to WAL journaling (got {mode})"
                )));
            }
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let problems = if self.defer_check {
            Vec::new()
        } else {
            self.integrity("quick_check")?
        };
        if !problems.is_empty() {
            return Err(StoreError::Damaged {
                path: self.path.clone(),
                detail: integrity::summary(&problems),
            });
        }
        Ok(())
    }

    fn check_identity_and_version(&self, latest: usize) -> Result<()> {
        let app_id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let foreign = || StoreError::NotOurs {
            path: self.path.clone(),
            reason: "it is an SQLite database of another program".into(),
        };
        if app_id != schema::APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(foreign());
        }
        if version < 0 {
            return Err(foreign());
        }
        if version as usize > latest {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version as usize,
                supported: latest,
            });
        }
        Ok(())
    }

    fn migrate(&mut self, migrations: &Migrations<'_>, latest: usize) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let version = version as usize;
        if version == latest {
            return Ok(());
        }
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        if version > 0 {
            // Keep the file as it was before touching its schema.
            backup::before_migration(&self.conn, &self.path, version)?;
        }
        // Take the write lock when the migration starts (waiting for it
        // like any write) rather than when it first writes, which fails at
        // once if another program wrote in between.
        self.conn
            .set_transaction_behavior(TransactionBehavior::Immediate);
        let result = migrations.to_latest(&mut self.conn);
        self.conn
            .set_transaction_behavior(TransactionBehavior::Deferred);
        match result {
            Ok(()) => Ok(()),
            Err(e) => {
                // Another program that opened the file at the same moment
                // may have migrated it first; then ours found the tables
                // there (or the database busy) and there is nothing to do.
                let now: Option<i64> = self
                    .conn
                    .query_row("PRAGMA user_version", [], |r| r.get(0))
                    .ok();
                if now == Some(latest as i64) {
                    return Ok(());
                }
                match e {
                    rusqlite_migration::Error::RusqliteError { err, .. }
                        if matches!(
                            err.sqlite_error_code(),
                            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                        ) =>
                    {
                        Err(StoreError::Busy {
                            path: self.path.clone(),
                        })
                    }
                    e => Err(StoreError::Other(format!(
                        "migrating {}: {e}",
                        self.path.display()
                    ))),
                }
            }
        }
    }

    /// Runs `PRAGMA quick_check` or `integrity_check`; empty means healthy.
    fn integrity(&self, pragma: &str) -> Result<Vec<String>> {
        Ok(integrity::problems(&self.conn, pragma)?)
    }

    /// A full integrity and foreign-key check.
    pub fn check(&self) -> Result<CheckReport> {
        let integrity = self.integrity("integrity_check")?;
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let foreign_keys = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} row {} refers to a missing {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(-1),
                    r.get::<_, String>(2)?
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut integrity = integrity;
        // The trigger-kept clients list must match the records exactly.
        let fresh = schema::fresh_client_list();
        let stale: i64 = self.conn.query_row(
            &format!(
                "SELECT (SELECT count(*) FROM (SELECT * FROM client_list EXCEPT {fresh}))
                      + (SELECT count(*) FROM ({fresh} EXCEPT SELECT * FROM client_list))"
            ),
            [],
            |r| r.get(0),
        )?;
        if stale > 0 {
            integrity.push(format!(
                "the clients list is out of step with the records in {stale} row(s)"
            ));
        }
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(CheckReport {
            schema_version: version as usize,
            integrity,
            foreign_keys,
            counts: self.counts()?,
        })
    }

    pub fn counts(&self) -> Result<Counts> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM clients WHERE archived_at IS NULL),
                    (SELECT count(*) FROM clients WHERE archived_at IS NOT NULL),
                    (SELECT count(*) FROM series),
                    (SELECT count(*) FROM sessions),
                    (SELECT count(*) FROM audit)",
            [],
            |r| {
                Ok(Counts {
                    clients: r.get(0)?,
                    archived: r.get(1)?,
                    series: r.get(2)?,
                    sessions: r.get(3)?,
                    audit: r.get(4)?,
                })
            },
        )?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file is encrypted (opened with a passphrase).
    pub fn is_encrypted(&self) -> bool {
        cipher::key_for(&self.path).is_some()
    }

    /// Whether `typed` is the passphrase this file was opened with (the
    /// interface's lock screen).
    pub fn passphrase_is(&self, typed: &str) -> bool {
        cipher::key_for(&self.path).is_some_and(|k| k.is(typed))
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Runs `f` as one `BEGIN IMMEDIATE` transaction; nothing of it is kept
    /// unless all of it succeeds, audit rows included.
    ///
    /// Another needlelog writing at the same moment is waited for: SQLite's
    /// busy timeout covers most of it, and a transaction that still meets a
    /// busy or locked database is rolled back and run again from the start
    /// (so `f` may run more than once; it has no effect outside the
    /// transaction), for up to [`busy::RETRY_FOR`] in all.
    pub(crate) fn write<T>(
        &mut self,
        mut f: impl FnMut(&mut audit::Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        // Nothing is written to a file whose check has not passed.
        self.await_integrity()?;
        let path = self.path.clone();
        let now = self.clock.now();
        let mut backoff = busy::Backoff::new();
        loop {
            let attempt = (|| {
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(|e| StoreError::from_sqlite(&path, e))?;
                let mut w = audit::Tx::new(tx, now, &self.user);
                let out = f(&mut w).map_err(|e| e.at(&path))?;
                w.commit().map_err(|e| StoreError::from_sqlite(&path, e))?;
                Ok(out)
            })();
            match attempt {
                Err(StoreError::Busy { .. }) if backoff.wait() => {}
                other => return other,
            }
        }
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// The operating-system user recorded in the audit log.
fn os_user() -> String {
    let name = whoami::username();
    if name.trim().is_empty() {
        "unknown".into()
    } else {
        name
    }
}
