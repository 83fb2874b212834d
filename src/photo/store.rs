//! The photo folder beside the database.
//!
//! The folder of `DIR/NAME.db` is `DIR/NAME.photos/` ([`photo_dir`]): named
//! after the database, not a bare `photos/`, so two databases in one
//! folder never share files or take each other's files for unreferenced
//! ones. It is created 0700 and every file 0600. A photo is stored under
//! the SHA-256 of its stripped plain bytes: `<hash>.jpg` or `<hash>.png`
//! plain, `<hash>.<key id>.sealed` when sealed (see [`super::seal`]; the key
//! id is [`FileKey::id`], so the same photo sealed with another key is
//! another file, and `encrypt`, `decrypt` and `rekey` write the new file
//! before the rows change and remove the old one after). Each file is
//! written to a temporary file in the same folder (names starting with
//! `.tmp-`, never listed), synced, renamed into place, and the folder is
//! synced, so a crash leaves either the old state or the new one.

use super::seal::{self, FileKey};
use super::{Format, PhotoError, sha256_hex};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// `<folder of db>/<db file stem>.photos`.
pub fn photo_dir(db: &Path) -> PathBuf {
    let parent = db.parent().unwrap_or(Path::new(""));
    let mut name = db
        .file_stem()
        .map(|s| s.to_os_string())
        .unwrap_or_else(|| "needlelog".into());
    name.push(".photos");
    parent.join(name)
}

/// What `check` learns about one stored photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Ok,
    Missing,
    /// Cannot be opened, or its bytes no longer match its hash.
    Damaged(String),
    /// The system refused to read it (permissions, an I/O error): whether
    /// it is sound is not known.
    Unreadable(String),
}

/// The photo folder of one database.
#[derive(Debug, Clone)]
pub struct PhotoStore {
    pub dir: PathBuf,
}

fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl PhotoStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The store of the database at `db`.
    pub fn for_db(db: &Path) -> Self {
        Self::new(photo_dir(db))
    }

    /// Where the photo `hash` lives (whether or not it exists): sealed
    /// with `key`, or plain.
    pub fn path(
        &self,
        hash: &str,
        format: Format,
        key: Option<&FileKey>,
    ) -> Result<PathBuf, PhotoError> {
        if !is_hash(hash) {
            return Err(PhotoError::BadHash(hash.to_string()));
        }
        Ok(self.dir.join(match key {
            Some(k) => format!("{hash}.{}.sealed", k.id()),
            None => format!("{hash}.{}", format.extension()),
        }))
    }

    /// Stores `plain` (stripped bytes whose SHA-256 is `hash`), sealed when
    /// `key` is given. A sound file already in place is left as it is.
    pub fn put(
        &self,
        plain: &[u8],
        hash: &str,
        format: Format,
        key: Option<&FileKey>,
    ) -> Result<PathBuf, PhotoError> {
        let path = self.path(hash, format, key)?;
        if sha256_hex(plain) != hash {
            return Err(PhotoError::Damaged {
                path,
                reason: "the bytes given do not match their hash".into(),
            });
        }
        if self.verify(hash, format, key) == FileState::Ok {
            return Ok(path);
        }
        let bytes = match key {
            Some(k) => seal::seal(plain, k, hash)?,
            None => plain.to_vec(),
        };
        self.write_atomic(&path, &bytes)?;
        Ok(path)
    }

    /// The plain bytes of photo `hash`, checked against the hash.
    pub fn get(
        &self,
        hash: &str,
        format: Format,
        key: Option<&FileKey>,
    ) -> Result<Vec<u8>, PhotoError> {
        let path = self.path(hash, format, key)?;
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => return Err(PhotoError::Missing { path }),
            Err(e) => return Err(PhotoError::io(&path, e)),
        };
        let plain = match key {
            Some(k) => seal::open(&bytes, k, hash).map_err(|e| PhotoError::Damaged {
                path: path.clone(),
                reason: e.to_string(),
            })?,
            None => bytes,
        };
        if sha256_hex(&plain) != hash {
            return Err(PhotoError::Damaged {
                path,
                reason: "its bytes no longer match its hash".into(),
            });
        }
        Ok(plain)
    }

    /// Whether photo `hash` is present and sound.
    pub fn verify(&self, hash: &str, format: Format, key: Option<&FileKey>) -> FileState {
        match self.get(hash, format, key) {
            Ok(_) => FileState::Ok,
            Err(PhotoError::Missing { .. }) => FileState::Missing,
            Err(PhotoError::Damaged { reason, .. }) => FileState::Damaged(reason),
            Err(PhotoError::Io { source, .. }) => FileState::Unreadable(source.to_string()),
            Err(e) => FileState::Damaged(e.to_string()),
        }
    }

    /// Removes one stored file (sealed with `key`, or plain); a file
    /// already gone is fine.
    pub fn remove(
        &self,
        hash: &str,
        format: Format,
        key: Option<&FileKey>,
    ) -> Result<(), PhotoError> {
        let path = self.path(hash, format, key)?;
        match fs::remove_file(&path) {
            Ok(()) => self.sync_dir(),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(PhotoError::io(&path, e)),
        }
    }

    /// Removes `path`, a file of this folder that [`PhotoStore::list_files`]
    /// listed (e.g. one sealed with a key no row holds); a file already
    /// gone is fine.
    pub fn remove_listed(&self, path: &Path) -> Result<(), PhotoError> {
        if path.parent() != Some(self.dir.as_path()) {
            return Err(PhotoError::io(
                path,
                std::io::Error::other("not a file of the photo folder"),
            ));
        }
        match fs::remove_file(path) {
            Ok(()) => self.sync_dir(),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(PhotoError::io(path, e)),
        }
    }

    /// Every stored photo file as (hash, path); temporary and foreign
    /// files are left out. A missing folder holds nothing.
    pub fn list_files(&self) -> Result<Vec<(String, PathBuf)>, PhotoError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(PhotoError::io(&self.dir, e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| PhotoError::io(&self.dir, e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some((hash, ext)) = name.split_once('.') else {
                continue;
            };
            let sealed = ext.strip_suffix(".sealed").is_some_and(|id| {
                id.len() == 8
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            });
            if is_hash(hash) && (matches!(ext, "jpg" | "png") || sealed) {
                out.push((hash.to_string(), entry.path()));
            }
        }
        out.sort();
        Ok(out)
    }

    /// The temporary files (`.tmp-*.part`) in the folder: a write that
    /// was killed before its rename leaves one. Only a command that holds
    /// the database alone (`encrypt`, `rekey`) may take them for stale.
    pub fn temporaries(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_str()
                    .is_some_and(|n| n.starts_with(".tmp-") && n.ends_with(".part"))
            })
            .map(|e| e.path())
            .collect();
        out.sort();
        out
    }

    /// Converts one stored file between plain and sealed, or to a new
    /// key: the new file is written and renamed into place before the old
    /// name (when it differs) is removed.
    pub fn reseal(
        &self,
        hash: &str,
        format: Format,
        from: Option<&FileKey>,
        to: Option<&FileKey>,
    ) -> Result<PathBuf, PhotoError> {
        let plain = self.get(hash, format, from)?;
        let old = self.path(hash, format, from)?;
        let new = self.path(hash, format, to)?;
        let bytes = match to {
            Some(k) => seal::seal(&plain, k, hash)?,
            None => plain,
        };
        self.write_atomic(&new, &bytes)?;
        if old != new {
            self.remove(hash, format, from)?;
        }
        Ok(new)
    }

    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), PhotoError> {
        create_private_dirs(&self.dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .suffix(".part")
            .tempfile_in(&self.dir)
            .map_err(|e| PhotoError::io(&self.dir, e))?;
        tmp.write_all(bytes)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| PhotoError::io(path, e))?;
        tmp.persist(path)
            .map_err(|e| PhotoError::io(path, e.error))?;
        self.sync_dir()
    }

    fn sync_dir(&self) -> Result<(), PhotoError> {
        #[cfg(unix)]
        fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| PhotoError::io(&self.dir, e))?;
        Ok(())
    }
}

/// Creates missing folders with mode 0700 (as `db::files` does for the
/// database's folder); an existing folder is left as it is.
pub(crate) fn create_private_dirs(dir: &Path) -> Result<(), PhotoError> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| PhotoError::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::photo::testimg;

    fn setup() -> (tempfile::TempDir, PhotoStore, Vec<u8>, String) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = PhotoStore::for_db(&tmp.path().join("data").join("clinic.db"));
        let plain = testimg::jpeg(24, 16);
        let hash = sha256_hex(&plain);
        (tmp, store, plain, hash)
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).expect("meta").permissions().mode() & 0o777
    }

    #[test]
    fn the_folder_is_named_after_the_database() {
        assert_eq!(
            photo_dir(Path::new("/a/needlelog.db")),
            Path::new("/a/needlelog.photos")
        );
        assert_eq!(
            photo_dir(Path::new("/a/b.c.sqlite")),
            Path::new("/a/b.c.photos")
        );
        assert_eq!(photo_dir(Path::new("x.db")), Path::new("x.photos"));
        assert_ne!(
            photo_dir(Path::new("/a/one.db")),
            photo_dir(Path::new("/a/two.db"))
        );
    }

    #[test]
    fn put_get_private_modes_and_idempotence() {
        let (_tmp, store, plain, hash) = setup();
        let path = store.put(&plain, &hash, Format::Jpeg, None).expect("put");
        assert_eq!(path, store.dir.join(format!("{hash}.jpg")));
        assert!(store.dir.ends_with("data/clinic.photos"));
        #[cfg(unix)]
        {
            assert_eq!(mode(&store.dir), 0o700);
            assert_eq!(mode(&path), 0o600);
        }
        assert_eq!(fs::read(&path).expect("read"), plain);
        assert_eq!(store.get(&hash, Format::Jpeg, None).expect("get"), plain);
        let inode = |p: &Path| {
            #[cfg(unix)]
            return std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).expect("meta"));
            #[cfg(not(unix))]
            return 0;
        };
        let before = inode(&path);
        store.put(&plain, &hash, Format::Jpeg, None).expect("again");
        assert_eq!(inode(&path), before, "a sound file was rewritten");
        assert_eq!(
            store.list_files().expect("list"),
            vec![(hash.clone(), path)]
        );
        assert!(
            store
                .put(b"other bytes", &hash, Format::Jpeg, None)
                .is_err()
        );
        assert!(matches!(
            store.get("../../etc/passwd", Format::Jpeg, None),
            Err(PhotoError::BadHash(_))
        ));
    }

    #[test]
    fn damage_is_reported_with_the_file_and_put_repairs_it() {
        let (_tmp, store, plain, hash) = setup();
        let path = store.put(&plain, &hash, Format::Jpeg, None).expect("put");
        let mut bad = plain.clone();
        bad[100] ^= 0x40;
        fs::write(&path, &bad).expect("damage");
        let e = store.get(&hash, Format::Jpeg, None).expect_err("damaged");
        assert!(e.to_string().contains(&format!("{hash}.jpg")), "{e}");
        assert!(e.to_string().contains("no longer match"), "{e}");
        assert!(matches!(
            store.verify(&hash, Format::Jpeg, None),
            FileState::Damaged(_)
        ));
        store
            .put(&plain, &hash, Format::Jpeg, None)
            .expect("repair");
        assert_eq!(store.verify(&hash, Format::Jpeg, None), FileState::Ok);
        store.remove(&hash, Format::Jpeg, None).expect("remove");
        assert_eq!(store.verify(&hash, Format::Jpeg, None), FileState::Missing);
        store
            .remove(&hash, Format::Jpeg, None)
            .expect("remove twice");
        let e = store.get(&hash, Format::Jpeg, None).expect_err("missing");
        assert!(e.to_string().contains("missing"), "{e}");
    }

    #[test]
    fn sealed_files_and_reseal_between_plain_sealed_and_new_key() {
        let (_tmp, store, plain, hash) = setup();
        let k1 = FileKey::generate().expect("key");
        let k2 = FileKey::generate().expect("key");
        let sealed = store
            .put(&plain, &hash, Format::Jpeg, Some(&k1))
            .expect("put");
        assert_eq!(sealed, store.dir.join(format!("{hash}.{}.sealed", k1.id())));
        assert_eq!(k1.id().len(), 8);
        assert_ne!(k1.id(), k2.id());
        let on_disk = fs::read(&sealed).expect("read");
        assert!(!testimg::contains(&on_disk, &[0xFF, 0xD8, 0xFF]));
        assert_eq!(
            store.get(&hash, Format::Jpeg, Some(&k1)).expect("get"),
            plain
        );
        // Another key names another file: the k1 file is not looked at.
        assert_eq!(
            store.verify(&hash, Format::Jpeg, Some(&k2)),
            FileState::Missing
        );
        // A file that does not open with its key is damaged.
        fs::copy(
            &sealed,
            store.path(&hash, Format::Jpeg, Some(&k2)).expect("path"),
        )
        .expect("copy");
        assert!(matches!(
            store.verify(&hash, Format::Jpeg, Some(&k2)),
            FileState::Damaged(_)
        ));
        store
            .remove(&hash, Format::Jpeg, Some(&k2))
            .expect("remove");

        store
            .reseal(&hash, Format::Jpeg, Some(&k1), Some(&k2))
            .expect("rekey");
        assert_eq!(
            store.get(&hash, Format::Jpeg, Some(&k2)).expect("get"),
            plain
        );
        assert!(store.get(&hash, Format::Jpeg, Some(&k1)).is_err());

        let p = store
            .reseal(&hash, Format::Jpeg, Some(&k2), None)
            .expect("decrypt");
        assert_eq!(fs::read(&p).expect("read"), plain);
        assert!(!sealed.exists());
        store
            .reseal(&hash, Format::Jpeg, None, Some(&k1))
            .expect("encrypt");
        assert!(!p.exists());
        assert_eq!(
            store.get(&hash, Format::Jpeg, Some(&k1)).expect("get"),
            plain
        );
        #[cfg(unix)]
        assert_eq!(mode(&sealed), 0o600);
    }

    #[test]
    fn list_ignores_temporary_and_foreign_files() {
        let (_tmp, store, plain, hash) = setup();
        store.put(&plain, &hash, Format::Jpeg, None).expect("put");
        fs::write(store.dir.join(".tmp-abc.part"), b"x").expect("tmp");
        fs::write(store.dir.join("notes.txt"), b"x").expect("foreign");
        fs::write(store.dir.join(format!("{hash}.gif")), b"x").expect("foreign");
        let list = store.list_files().expect("list");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].0, hash);
        let empty = PhotoStore::new(store.dir.join("nothing-here"));
        assert!(empty.list_files().expect("list").is_empty());
    }
}
