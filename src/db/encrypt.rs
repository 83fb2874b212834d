//! Turning a plain database into an encrypted one in place, changing the
//! passphrase, and writing a plain copy of an encrypted one.
//!
//! Each of them first takes the file for itself: it leaves WAL mode (which
//! SQLite allows only when no other connection has the file open, so a
//! running needlelog is noticed rather than left writing into a replaced
//! file) and holds an exclusive lock until it is done.

use super::cipher::{self, Passphrase};
use super::error::StoreError;
use super::files::create_private_file;
use super::photo_files::{NewKeys, Settled, Step};
use super::{Result, Store, backup};
use chrono::Utc;
use rusqlite::{Connection, OpenFlags};
use std::fs;
use std::path::{Path, PathBuf};

/// What `encrypt` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encrypted {
    /// The plain copy taken first, in `backups/`.
    pub backup: PathBuf,
    /// Rows in all tables, the same before and after.
    pub rows: i64,
    /// What sealing the photo files did (each sealed with a new random
    /// key); files that could not be read are listed there.
    pub photos: Settled,
}

/// The database is encrypted but a photo conversion stopped: what to do.
fn photos_unfinished(path: &Path, e: StoreError) -> StoreError {
    StoreError::Other(format!(
        "{}: the database is encrypted, but its photo files could not all be sealed ({e}); \
         every row still names a file that opens; running `needlelog encrypt` again finishes \
         the job",
        path.display()
    ))
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Store {
    /// Takes the file for this connection alone: out of WAL mode (every
    /// WAL page checkpointed into the file first), then an exclusive lock
    /// held until the connection closes.
    pub(super) fn take_exclusively(&self) -> Result<()> {
        let busy = || {
            StoreError::Conflict(format!(
                "{}: the database is open in another program (a running needlelog?); close it and try again; nothing was changed",
                self.path.display()
            ))
        };
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|_| busy())?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(|_| busy())?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(busy());
        }
        self.conn
            .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
            .map_err(|_| busy())
    }

    /// Encrypts this (plain) database in place with `new`: a plain backup
    /// first, then an encrypted copy beside it that is opened with the
    /// passphrase and compared table by table, flushed to the disk, and
    /// renamed over the original. Until that rename the original is
    /// untouched; after it the encrypted file is complete. Consumes the
    /// store: it is opened again with the passphrase.
    pub fn encrypt_in_place(self, new: &Passphrase) -> Result<Encrypted> {
        self.encrypt_in_place_in_steps(new, &mut |_| {})
    }

    /// [`Store::encrypt_in_place`], telling `step` each point a kill
    /// could land at (for the kill tests).
    pub fn encrypt_in_place_in_steps(
        mut self,
        new: &Passphrase,
        step: &mut dyn FnMut(Step),
    ) -> Result<Encrypted> {
        let path = self.path.clone();
        if cipher::kind(&path).map_err(|e| io(&path, e))? != cipher::Kind::Plain {
            return Err(StoreError::Conflict(format!(
                "{}: the database is already encrypted; `needlelog rekey` changes its passphrase",
                path.display()
            )));
        }
        self.await_integrity()?;
        let backup = backup::backup_dir(&path).join(format!(
            "{}-before-encrypt-{}.db",
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "needlelog".into()),
            Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
        ));
        self.take_exclusively()?;
        self.backup_to(&backup)?;
        step(Step::BackupTaken);
        let temp = sibling(&path, "encrypting");
        remove_stale(&temp);
        let rows = export_into(&self.conn, &temp, Some(new)).inspect_err(|_| {
            let _ = fs::remove_file(&temp);
        })?;
        step(Step::CopyWritten);
        fs::rename(&temp, &path).map_err(|e| {
            let _ = fs::remove_file(&temp);
            io(&path, e)
        })?;
        sync_folder(&path);
        step(Step::DatabaseReplaced);
        drop(self);
        for tail in ["-wal", "-shm", "-journal"] {
            let mut stale = path.clone().into_os_string();
            stale.push(tail);
            let _ = fs::remove_file(PathBuf::from(stale));
        }
        cipher::remember(&path, new.clone());
        // The photo files: sealed copies under new names, then the rows,
        // then the plain files go (see `photo_files`).
        let photos = Store::open(&path)
            .and_then(|mut s| s.settle_photos(NewKeys::Unsealed, step))
            .map_err(|e| photos_unfinished(&path, e))?;
        Ok(Encrypted {
            backup,
            rows,
            photos,
        })
    }

    /// Changes the passphrase of this encrypted database to `new` (SQLCipher
    /// re-encrypts every page in one transaction), then proves the new one
    /// opens it, then gives every photo file a new key (a plain one left by
    /// an interrupted `encrypt` is sealed, and files a stopped run left
    /// are removed). Returns what was done to the photo files.
    pub fn rekey(self, new: &Passphrase) -> Result<Settled> {
        self.rekey_in_steps(new, &mut |_| {})
    }

    /// [`Store::rekey`], telling `step` each point a kill could land at.
    pub fn rekey_in_steps(
        mut self,
        new: &Passphrase,
        step: &mut dyn FnMut(Step),
    ) -> Result<Settled> {
        let path = self.path.clone();
        if cipher::key_for(&path).is_none() {
            return Err(StoreError::Conflict(format!(
                "{}: the database is not encrypted; `needlelog encrypt` encrypts it",
                path.display()
            )));
        }
        self.await_integrity()?;
        self.take_exclusively()?;
        let before = row_counts(&self.conn)?;
        cipher::rekey(&self.conn, new, &path)?;
        drop(self);
        cipher::remember(&path, new.clone());
        let check = open_keyed(&path, Some(new))?;
        if row_counts(&check)? != before {
            return Err(StoreError::Other(format!(
                "{}: the rows differ after the new passphrase was set; restore from backups/",
                path.display()
            )));
        }
        drop(check);
        step(Step::DatabaseReplaced);
        Store::open(&path)
            .and_then(|mut s| s.settle_photos(NewKeys::Every, step))
            .map_err(|e| {
                StoreError::Other(format!(
                    "{}: the passphrase was changed, but the photo files could not all be given \
                     new keys ({e}); every row still names a file that opens; run rekey again \
                     (with the new passphrase as the current one)",
                    path.display()
                ))
            })
    }

    /// Finishes an `encrypt` that stopped after the database was
    /// encrypted: seals the photo files still stored plain and removes the
    /// files a stopped run left (see [`Store::settle_photos`]).
    pub fn finish_encrypt(&mut self) -> Result<Settled> {
        if cipher::key_for(&self.path).is_none() {
            return Err(StoreError::Conflict(format!(
                "{}: the database is not encrypted",
                self.path.display()
            )));
        }
        self.await_integrity()?;
        self.settle_photos(NewKeys::Unsealed, &mut |_| {})
    }

    /// Writes a plain (unencrypted) copy of this database to `dest`, a new
    /// file (mode 0600), checked against the original table by table, and
    /// plain copies of its photo files into `dest`'s own photo folder; the
    /// copy's rows hold no photo keys. The photo files are written first,
    /// the copy's keys cleared before it takes its name. Returns the number
    /// of rows and of photo files copied.
    pub fn decrypt_to(&mut self, dest: &Path) -> Result<(i64, usize)> {
        if dest.exists() {
            return Err(StoreError::Conflict(format!(
                "{} already exists; choose another name",
                dest.display()
            )));
        }
        self.await_integrity()?;
        let temp = sibling(dest, "decrypting");
        remove_stale(&temp);
        let photo_rows = self.photo_files()?;
        let photos = super::photo_files::copy_plain(&self.path, dest, &photo_rows)?;
        let rows = export_into(&self.conn, &temp, None)
            .and_then(|rows| {
                clear_photo_keys(&temp)?;
                Ok(rows)
            })
            .inspect_err(|_| {
                let _ = fs::remove_file(&temp);
            })?;
        // No overwrite: a file that appeared meanwhile is kept.
        fs::hard_link(&temp, dest)
            .map_err(|e| io(dest, e))
            .inspect_err(|_| {
                let _ = fs::remove_file(&temp);
            })?;
        let _ = fs::remove_file(&temp);
        sync_folder(dest);
        Ok((rows, photos))
    }
}

/// The plain copy `temp` (not yet under its name) names its photo files
/// plain: the keys go, in one audited write.
fn clear_photo_keys(temp: &Path) -> Result<()> {
    cipher::forget(temp);
    let mut copy = Store::open(temp)?;
    let keys: Vec<(String, Option<String>)> = copy
        .photo_files()?
        .into_iter()
        .filter(|f| f.file_key.is_some())
        .map(|f| (f.sha256, None))
        .collect();
    if !keys.is_empty() {
        copy.set_photo_keys(&keys)?;
    }
    // Back to one file (no log beside it) before it is linked into place.
    copy.conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    copy.conn
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    drop(copy);
    fs::File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(temp, e))
}

/// `<file>.<what>` beside `file`, for a copy being made.
fn sibling(file: &Path, what: &str) -> PathBuf {
    let mut name = file.as_os_str().to_os_string();
    name.push(format!(".{what}"));
    PathBuf::from(name)
}

/// A half-made copy left by an interrupted run (and its journal).
fn remove_stale(temp: &Path) {
    let _ = fs::remove_file(temp);
    let mut journal = temp.as_os_str().to_os_string();
    journal.push("-journal");
    let _ = fs::remove_file(PathBuf::from(journal));
}

fn sync_folder(file: &Path) {
    if let Some(dir) = file.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}

/// Opens `path` with `key` (or plain), proving the key.
fn open_keyed(path: &Path, key: Option<&Passphrase>) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn =
        Connection::open_with_flags(path, flags).map_err(|e| StoreError::from_sqlite(path, e))?;
    match key {
        Some(k) => cipher::apply(&conn, k, path)?,
        None => cipher::prove(&conn, path)?,
    }
    Ok(conn)
}

/// The tables and their row counts, in name order.
fn row_counts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names
        .into_iter()
        .map(|n| {
            let quoted = n.replace('"', "\"\"");
            let count: i64 =
                conn.query_row(&format!("SELECT count(*) FROM \"{quoted}\""), [], |r| {
                    r.get(0)
                })?;
            Ok((n, count))
        })
        .collect()
}

/// Copies the database of `conn` into the new file `dest` with
/// `sqlcipher_export` (encrypted with `key`, or plain), with its schema
/// version and application id; checks the copy (integrity, the same rows
/// in every table) and flushes it to the disk. Returns the rows copied.
fn export_into(conn: &Connection, dest: &Path, key: Option<&Passphrase>) -> Result<i64> {
    create_private_file(dest)?;
    conn.execute_batch(&cipher::attach_statement(dest, "copy", key))
        .map_err(|e| StoreError::from_sqlite(dest, e))?;
    let copied = (|| -> Result<()> {
        let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        let app_id: i64 = conn.query_row("PRAGMA main.application_id", [], |r| r.get(0))?;
        conn.query_row("SELECT sqlcipher_export('copy')", [], |_| Ok(()))?;
        conn.execute_batch(&format!(
            "PRAGMA copy.user_version = {version}; PRAGMA copy.application_id = {app_id};"
        ))?;
        Ok(())
    })();
    let detached = conn.execute_batch("DETACH DATABASE copy");
    copied.map_err(|e| e.at(dest))?;
    detached.map_err(|e| StoreError::from_sqlite(dest, e))?;
    let before = row_counts(conn)?;
    let copy = open_keyed(dest, key)?;
    let problems = super::integrity::problems(&copy, "integrity_check")?;
    if !problems.is_empty() {
        return Err(StoreError::Damaged {
            path: dest.to_path_buf(),
            detail: super::integrity::summary(&problems),
        });
    }
    let after = row_counts(&copy)?;
    let same_ids = [
        ("user_version", "user_version"),
        ("application_id", "application_id"),
    ]
    .iter()
    .all(|(a, b)| {
        let x: Option<i64> = conn
            .query_row(&format!("PRAGMA main.{a}"), [], |r| r.get(0))
            .ok();
        let y: Option<i64> = copy
            .query_row(&format!("PRAGMA {b}"), [], |r| r.get(0))
            .ok();
        x.is_some() && x == y
    });
    if before != after || !same_ids {
        return Err(StoreError::Other(format!(
            "{}: the copy does not hold the same rows; nothing was changed",
            dest.display()
        )));
    }
    drop(copy);
    fs::File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(dest, e))?;
    Ok(before.iter().map(|(_, n)| n).sum())
}
