//! Creating the data directory and files with private modes before SQLite
//! (or anything else) writes health data into them.

use super::error::StoreError;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates missing parent directories with mode 0700. Existing directories
/// are left as they are: they may be shared folders the user chose.
pub fn create_private_dirs(dir: &Path) -> Result<(), StoreError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    b.mode(0o700);
    b.create(dir).map_err(|e| io(dir, e))
}

/// Creates `path` empty with mode 0600, failing if it exists.
pub fn create_private_file(path: &Path) -> Result<fs::File, StoreError> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    o.mode(0o600);
    o.open(path).map_err(|e| io(path, e))
}

/// Makes sure `path` can become or already is a needlelog database: its
/// folder exists (0700 when we create it), the file exists (0600 when we
/// create it), and an existing non-empty file starts with SQLite's header.
pub fn prepare_db_path(path: &Path) -> Result<(), StoreError> {
    if let Some(parent) = path.parent() {
        create_private_dirs(parent)?;
    }
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(StoreError::NotOurs {
                path: path.to_path_buf(),
                reason: "it is a directory".into(),
            });
        }
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => match create_private_file(path) {
            Ok(_) => return Ok(()),
            // Another process created it between our look and our create.
            Err(StoreError::Io { source, .. }) if source.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        },
        Err(e) => return Err(io(path, e)),
    }
    let mut header = [0u8; 16];
    let mut f = fs::File::open(path).map_err(|e| io(path, e))?;
    let mut read = 0;
    while read < header.len() {
        match f.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(io(path, e)),
        }
    }
    if read == 0 {
        return Ok(()); // empty: a new database
    }
    if read < header.len() || &header != SQLITE_MAGIC {
        return Err(StoreError::NotOurs {
            path: path.to_path_buf(),
            reason: "it is not an SQLite file".into(),
        });
    }
    Ok(())
}
