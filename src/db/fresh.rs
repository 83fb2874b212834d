//! A new database filled in one go (the demo generator): built in a
//! private folder beside the target with no write-ahead log, made durable,
//! then renamed onto the target.
//!
//! Filling a new file through the write-ahead log writes every page twice
//! (into the log, then into the file at the checkpoint); here each page is
//! written once. The rollback journal is kept in memory: a new file's
//! pages did not exist before the transaction, so there is nothing to
//! save for them, and a failure still rolls back. Nothing is synced while
//! filling; the whole file is synced once before the rename. A kill at any
//! moment leaves the target as it was (missing or empty) and, at worst, a
//! folder named `.needlelog-new-…` beside it, which holds nothing else.

use super::{Clock, Result, Store, StoreError, cipher};
use std::fs;
use std::path::Path;

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Store {
    /// Makes a new database for `path` (which must be missing or empty:
    /// the caller looks before) with `fill` run on it, and puts it in
    /// place only when `fill` succeeded; the passphrase handed over for
    /// `path`, if any, encrypts it. On any failure `path` is left as it
    /// was and the half-made file is removed.
    pub fn fill_new_file<R>(
        path: &Path,
        clock: Clock,
        fill: impl FnOnce(&mut Store) -> Result<R>,
    ) -> Result<R> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // Private (0700), on the target's file system (so the rename is
        // atomic), removed with everything in it when dropped.
        let folder = tempfile::Builder::new()
            .prefix(".needlelog-new-")
            .tempdir_in(dir)
            .map_err(|e| io(dir, e))?;
        let file = folder.path().join("new.db");
        if let Some(key) = cipher::key_for(path) {
            cipher::remember(&file, key);
        }
        let made = flushing(&file, || build(&file, clock, fill)).and_then(|out| {
            fs::File::open(&file)
                .and_then(|f| f.sync_all())
                .map_err(|e| io(&file, e))?;
            fs::rename(&file, path).map_err(|e| io(path, e))?;
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(out)
        });
        cipher::forget(&file);
        made
    }

    /// Runs `fill` with SQLite's CHECK constraints not evaluated, then
    /// evaluated again whatever `fill` returned. Only for rows from the
    /// demo generator into a file made by [`Store::fill_new_file`]: its
    /// output is held to the domain's validation by the tests
    /// (`demo_clinical`, the demo's own), and `check` afterwards finds
    /// nothing. At 100,000 clients this saves about 1.2 s of CPU
    /// (BENCHMARKS.md, fourth round). Never for imports or edits.
    pub fn with_generated_rows<R>(
        &mut self,
        fill: impl FnOnce(&mut Store) -> Result<R>,
    ) -> Result<R> {
        self.conn
            .execute_batch("PRAGMA ignore_check_constraints = ON")?;
        let out = fill(self);
        self.conn
            .execute_batch("PRAGMA ignore_check_constraints = OFF")?;
        out
    }
}

/// How often the new file is flushed to disk while it is filled.
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(400);

/// Runs `work` while a second thread flushes `file` to disk every
/// [`FLUSH_EVERY`], so that the sync before the rename finds little
/// left to write: at 100,000 clients that sync alone took a quarter of a
/// second of the demo's five (BENCHMARKS.md, seventh round). The flushes
/// are only a head start: whether they succeed or not, the file is
/// synced whole before it takes its name. Without a second thread the
/// work runs all the same.
fn flushing<R>(file: &Path, work: impl FnOnce() -> R) -> R {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let flusher = std::thread::Builder::new()
            .name("needlelog-flush".into())
            .spawn_scoped(scope, move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(FLUSH_EVERY)
                {
                    // Not there yet, or not readable: the final sync
                    // reports what matters.
                    if let Ok(f) = fs::File::open(file) {
                        let _ = f.sync_data();
                    }
                }
            });
        let out = work();
        drop(stop);
        if let Ok(handle) = flusher {
            let _ = handle.join();
        }
        out
    })
}

/// Creates the schema in `file`, switches it to an in-memory journal with
/// no syncs, runs `fill`, and switches it back to the write-ahead log,
/// which is recorded in the file's header.
fn build<R>(file: &Path, clock: Clock, fill: impl FnOnce(&mut Store) -> Result<R>) -> Result<R> {
    let mut store = Store::open(file)?;
    store.set_clock(clock);
    journal(&store, "memory")?;
    store.conn.execute_batch("PRAGMA synchronous = OFF")?;
    let out = fill(&mut store)?;
    journal(&store, "wal")?;
    Ok(out)
}

fn journal(store: &Store, mode: &str) -> Result<()> {
    let got: String = store
        .conn
        .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| r.get(0))?;
    if got.eq_ignore_ascii_case(mode) {
        Ok(())
    } else {
        Err(StoreError::Other(format!(
            "could not switch the new file's journal to {mode} (got {got})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Action;
    use crate::demo::{DemoSpec, generate};

    fn clock() -> Clock {
        Clock::Fixed(crate::demo::generated_at(crate::testing::today()))
    }

    /// What is left in `dir` but `keep`.
    fn others(dir: &Path, keep: &str) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != keep)
            .collect()
    }

    /// A new file filled in one go holds the rows, is in WAL mode like
    /// every other, and nothing else is left beside it.
    #[test]
    fn the_new_file_is_put_in_place_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let trees = generate(DemoSpec {
            clients: 20,
            seed: 2,
            today: crate::testing::today(),
        });
        let counts = Store::fill_new_file(&path, clock(), |s| {
            s.insert_tree_stream(trees.iter().map(Ok), Action::Demo, "demo")?;
            s.counts()
        })
        .unwrap();
        assert_eq!(counts.clients + counts.archived, 20);
        assert!(
            others(dir.path(), "new.db").is_empty(),
            "{:?}",
            others(dir.path(), "new.db")
        );
        let store = Store::open(&path).unwrap();
        let mode: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(store.counts().unwrap(), counts);
        assert!(store.check().unwrap().integrity.is_empty());
    }

    /// The demo's rows are written with CHECK constraints not evaluated,
    /// which are evaluated again afterwards, even after a failure; the
    /// file then passes `integrity_check`, which checks them row by row.
    #[test]
    fn generated_rows_skip_checks_only_while_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let trees = generate(DemoSpec {
            clients: 200,
            seed: 4,
            today: crate::testing::today(),
        });
        let ignoring = |s: &Store| -> i64 {
            s.conn()
                .query_row("PRAGMA ignore_check_constraints", [], |r| r.get(0))
                .unwrap()
        };
        Store::fill_new_file(&path, clock(), |s| {
            let during = s.with_generated_rows(|s| {
                s.insert_tree_stream(trees.iter().map(Ok), Action::Demo, "demo")?;
                Ok(ignoring(s))
            })?;
            assert_eq!(during, 1);
            assert_eq!(ignoring(s), 0);
            let e = s
                .with_generated_rows(|_| Err::<(), _>(StoreError::Other("stop".into())))
                .unwrap_err();
            assert_eq!(e.to_string(), "stop");
            assert_eq!(ignoring(s), 0);
            Ok(())
        })
        .unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(ignoring(&store), 0);
        let report = store.check().unwrap();
        assert!(report.integrity.is_empty(), "{:?}", report.integrity);
    }

    /// A failure while filling leaves the target as it was (missing, or
    /// empty) and removes the half-made file.
    #[test]
    fn a_failure_leaves_the_target_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.db");
        let empty = dir.path().join("empty.db");
        fs::write(&empty, b"").unwrap();
        for path in [&missing, &empty] {
            let e = Store::fill_new_file(path, clock(), |s| {
                s.insert_tree_stream(
                    [Err::<crate::db::ClientTree, _>(StoreError::Other(
                        "the generator stopped".into(),
                    ))],
                    Action::Demo,
                    "demo",
                )
            })
            .unwrap_err();
            assert_eq!(e.to_string(), "the generator stopped");
        }
        assert!(!missing.exists());
        assert_eq!(fs::read(&empty).unwrap(), b"");
        assert!(
            others(dir.path(), "empty.db").is_empty(),
            "{:?}",
            others(dir.path(), "empty.db")
        );
    }
}
