//! Consistent copies of a live database, made with SQLite's backup API.
//!
//! A backup `X.db` carries the photo files its rows name in its own photo
//! folder (`X.photos/`, beside it), each checked against its hash after
//! copying; sealed files stay sealed with the same keys, which the backup
//! holds. A restore puts them back into the live database's folder before
//! the database is swapped in. The automatic copies taken before a
//! migration carry no photos: no migration removes or changes a photo
//! file, so the live folder still holds every file such a copy names.

use super::cipher::Passphrase;
use super::error::StoreError;
use super::files::{create_private_dirs, create_private_file};
use super::{Result, Store};
use chrono::Utc;
use rusqlite::Connection;
use rusqlite::backup::Backup;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Automatic copies taken before a migration that are kept per database.
pub const KEEP_MIGRATION_BACKUPS: usize = 5;

/// The folder beside the database that holds automatic and default backups.
pub fn backup_dir(db: &Path) -> PathBuf {
    let parent = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join("backups")
}

fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "needlelog".into())
}

/// A default name for a manual backup: `backups/<db>-<UTC time>.db`.
pub fn default_destination(db: &Path) -> PathBuf {
    backup_dir(db).join(format!(
        "{}-{}.db",
        stem(db),
        Utc::now().format("%Y%m%dT%H%M%SZ")
    ))
}

/// Copies `src` into a new file `dest` (mode 0600) page by page while other
/// connections may keep writing, then checks the copy. The copy of an
/// encrypted database is encrypted with the same passphrase (`key`, the
/// source's): SQLCipher copies pages only between files keyed alike.
pub fn copy_to(src: &Connection, dest: &Path, key: Option<&Passphrase>) -> Result<()> {
    if dest.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists; choose another name",
            dest.display()
        )));
    }
    if let Some(parent) = dest.parent() {
        create_private_dirs(parent)?;
    }
    create_private_file(dest)?;
    let result = (|| -> Result<()> {
        let mut out = Connection::open(dest).map_err(|e| StoreError::from_sqlite(dest, e))?;
        if let Some(key) = key {
            super::cipher::apply(&out, key, dest)?;
        }
        {
            let b = Backup::new(src, &mut out)?;
            b.run_to_completion(256, Duration::from_millis(5), None)
                .map_err(|e| StoreError::from_sqlite(dest, e))?;
        }
        let check: String = out.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::Damaged {
                path: dest.to_path_buf(),
                detail: check,
            });
        }
        // The copy is a plain rollback-journal file; flush it to the disk.
        out.execute_batch("PRAGMA journal_mode = DELETE")?;
        drop(out);
        fs::File::open(dest)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::Io {
                path: dest.to_path_buf(),
                source: e,
            })
    })();
    if result.is_err() {
        let _ = fs::remove_file(dest);
    }
    result
}

/// Taken automatically before a schema migration; keeps the newest few.
pub(super) fn before_migration(
    conn: &Connection,
    db: &Path,
    from_version: usize,
) -> Result<PathBuf> {
    let dir = backup_dir(db);
    let prefix = format!("{}-before-v{}-migration-", stem(db), from_version + 1);
    let dest = dir.join(format!(
        "{prefix}{}.db",
        Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    ));
    copy_to(conn, &dest, super::cipher::key_for(db).as_ref())?;
    prune(
        &dir,
        &format!("{}-before-v", stem(db)),
        KEEP_MIGRATION_BACKUPS,
    );
    Ok(dest)
}

/// Deletes all but the `keep` newest files in `dir` whose names start with `prefix`.
fn prune(dir: &Path, prefix: &str, keep: usize) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    // Names end in a sortable UTC time ("…-20261121T150405.123Z.db"). Sort
    // on that, not the whole name: "before-v10" sorts before "before-v9".
    names.sort_by_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let time = name.rsplit('-').next().unwrap_or_default().to_string();
        (time, name)
    });
    let excess = names.len().saturating_sub(keep);
    for old in names.into_iter().take(excess) {
        let _ = fs::remove_file(old);
    }
}

/// Opens the finished copy at `dest` (keyed like the database at `like`)
/// read-only and lists the photo files its rows name.
fn files_named_by(dest: &Path, like: &Path) -> Result<Vec<super::photos::PhotoFile>> {
    if let Some(key) = super::cipher::key_for(like) {
        super::cipher::remember(dest, key);
    }
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = super::cipher::open(dest, dest, flags)?;
    super::photo_files::files_in(&conn)
}

impl Store {
    /// Writes a consistent copy of the live database to `dest`, and the
    /// photo files the copy's rows name into `dest`'s photo folder.
    /// Returns what was carried: a photo file missing or damaged here is
    /// listed, not copied (the copy is kept: a backup matters most when
    /// something is already wrong).
    pub fn backup_to(&self, dest: &Path) -> Result<super::photo_files::Carried> {
        copy_to(
            self.conn(),
            dest,
            super::cipher::key_for(&self.path).as_ref(),
        )?;
        let carried = files_named_by(dest, &self.path)
            .and_then(|rows| super::photo_files::copy_files(&self.path, dest, &rows));
        if carried.is_err() {
            let _ = fs::remove_file(dest);
        }
        carried
    }
}

/// Puts the backup at `from` in place of the database at `db`, through
/// SQLite's backup API (so a reader never sees half of it). The backup is
/// checked first and never changed; the database as it was is copied to
/// `backups/` beside it, and that copy's path is returned. An older
/// backup is brought up to date by the usual migration on the next open.
pub fn restore(from: &Path, db: &Path) -> Result<Restored> {
    let src = open_backup(from)?;
    let photo_rows = super::photo_files::files_in(&src)?;
    // SQLCipher copies pages only between files encrypted alike (or both
    // plain): a new database takes the backup's passphrase.
    let kind = |p: &Path| {
        super::cipher::kind(p).map_err(|e| StoreError::Io {
            path: p.to_path_buf(),
            source: e,
        })
    };
    let from_key = super::cipher::key_for(from);
    match kind(db)? {
        super::cipher::Kind::New => {
            if let Some(key) = &from_key {
                super::cipher::remember(db, key.clone());
            }
        }
        k if (k == super::cipher::Kind::Encrypted) != from_key.is_some() => {
            return Err(StoreError::Conflict(format!(
                "{} is {} and {} is {}: a backup is put back only into a database encrypted alike; \
                 `needlelog encrypt` or `needlelog decrypt` one of them first; nothing was changed",
                from.display(),
                if from_key.is_some() {
                    "encrypted"
                } else {
                    "plain"
                },
                db.display(),
                if from_key.is_some() {
                    "plain"
                } else {
                    "encrypted"
                },
            )));
        }
        _ => {}
    }
    let kept = keep_current(db)?;
    // The photos first, verified: the database swapped in below names
    // only files that are in place.
    let carried = super::photo_files::copy_files(from, db, &photo_rows)?;
    if !carried.unreadable.is_empty() {
        return Err(StoreError::Other(format!(
            "{}: the backup's photo files are not all sound ({}); nothing was restored",
            from.display(),
            super::integrity::summary(&carried.unreadable)
        )));
    }
    let photos = carried.copied;
    super::files::prepare_db_path(db)?;
    {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
            | rusqlite::OpenFlags::SQLITE_OPEN_CREATE
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut dest = super::cipher::open(db, db, flags)?;
        dest.busy_timeout(Duration::from_secs(5))?;
        let b = Backup::new(&src, &mut dest)?;
        b.run_to_completion(256, Duration::from_millis(5), None)
            .map_err(|e| StoreError::from_sqlite(db, e))?;
    }
    // Bring it up to date (with its own pre-migration copy) and check it.
    let store = Store::open(db)?;
    let report = store.check()?;
    if !report.is_ok() {
        return Err(StoreError::Damaged {
            path: db.to_path_buf(),
            detail: report.integrity.join("; "),
        });
    }
    // Files of the database as it was that the restored one does not
    // name, and that the kept copy carries, go.
    let tidied = kept
        .as_deref()
        .map_or(0, |k| super::photo_files::tidy_after_restore(&store, k));
    Ok(Restored {
        kept,
        photos,
        tidied,
    })
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The copy of the database as it was (with its photos), if there was one.
    pub kept: Option<PathBuf>,
    /// Photo files the backup carried, now in the live photo folder.
    pub photos: usize,
    /// Files of the database as it was, removed from the live folder (the
    /// kept copy holds them).
    pub tidied: usize,
}

/// The backup at `from`, opened read-only once it is known to be an SQLite
/// file, a needlelog database of a schema this program knows, and whole.
fn open_backup(from: &Path) -> Result<Connection> {
    use rusqlite::OpenFlags;
    let mut header = [0u8; 16];
    let readable =
        std::fs::File::open(from).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header));
    let keyed = super::cipher::key_for(from).is_some()
        && super::cipher::kind(from).ok() == Some(super::cipher::Kind::Encrypted);
    match readable {
        Ok(()) if keyed => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::Io {
                path: from.to_path_buf(),
                source: e,
            });
        }
        Ok(()) if &header == b"SQLite format 3\0" => {}
        _ => {
            return Err(StoreError::NotOurs {
                path: from.to_path_buf(),
                reason: "it is not an SQLite file".into(),
            });
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let src = super::cipher::open(from, from, flags)?;
    let app_id: i32 = src
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| StoreError::from_sqlite(from, e))?;
    if app_id != super::schema::APPLICATION_ID {
        return Err(StoreError::NotOurs {
            path: from.to_path_buf(),
            reason: "it is not a needlelog database or backup".into(),
        });
    }
    let version: i64 = src.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = super::schema::latest_version();
    if version < 1 || version as usize > latest {
        return Err(StoreError::TooNew {
            path: from.to_path_buf(),
            found: version.max(0) as usize,
            supported: latest,
        });
    }
    let check: String = src
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| StoreError::from_sqlite(from, e))?;
    if check != "ok" {
        return Err(StoreError::Damaged {
            path: from.to_path_buf(),
            detail: check,
        });
    }
    Ok(src)
}

/// Copies the database at `db`, when there is one, to `backups/` beside it
/// before a restore overwrites it; returns the copy's path.
fn keep_current(db: &Path) -> Result<Option<PathBuf>> {
    if !db.exists() {
        return Ok(None);
    }
    let store = Store::open(db)?;
    let dest = backup_dir(db).join(format!(
        "{}-before-restore-{}.db",
        stem(db),
        Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    ));
    store.backup_to(&dest)?;
    Ok(Some(dest))
}
