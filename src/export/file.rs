//! Export files appear whole or not at all: written to a private temporary
//! file beside the destination, flushed to disk, then renamed over it.

use crate::db::{StoreError, create_private_file};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file written beside its destination and not yet in place: nobody
/// sees it until [`PendingFile::commit`]; dropped before that, it is
/// removed.
#[derive(Debug)]
pub struct PendingFile {
    tmp: PathBuf,
    dest: PathBuf,
    committed: bool,
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The folder `path` goes into ("." for a bare file name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl PendingFile {
    /// Creates the temporary file (mode 0600), lets `fill` write it, and
    /// flushes it to disk. Errors name `dest`, never the temporary file.
    pub fn write(
        dest: &Path,
        fill: impl FnOnce(&mut File) -> Result<(), StoreError>,
    ) -> Result<Self, StoreError> {
        let io = io_error(dest);
        let dir = folder(dest);
        if !dir.is_dir() {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the folder does not exist",
            )));
        }
        if dest.is_dir() {
            return Err(io(std::io::Error::other("it is a folder")));
        }
        let name = dest
            .file_name()
            .ok_or_else(|| io(std::io::Error::other("not a file name")))?;
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&tmp);
        let mut f = create_private_file(&tmp).map_err(|e| match e {
            StoreError::Io { source, .. } => io(source),
            other => other,
        })?;
        // From here on, dropping `pending` removes the temporary file.
        let pending = Self {
            tmp,
            dest: dest.to_path_buf(),
            committed: false,
        };
        fill(&mut f)?;
        f.sync_all().map_err(&io)?;
        Ok(pending)
    }

    /// Puts the file in place of the destination, durably.
    pub fn commit(mut self) -> Result<(), StoreError> {
        std::fs::rename(&self.tmp, &self.dest).map_err(io_error(&self.dest))?;
        self.committed = true;
        // Make the rename itself durable.
        if let Ok(d) = File::open(folder(&self.dest)) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `path` so that a reader sees the old file or the whole
/// new one, never a part: a private (0600) temporary file in the same
/// folder, flushed to disk, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    PendingFile::write(path, |f| f.write_all(bytes).map_err(io_error(path)))?.commit()
}
