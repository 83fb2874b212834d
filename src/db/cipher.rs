//! Encryption at rest with SQLCipher 4 and its own defaults
//! (PBKDF2-HMAC-SHA512 with 256,000 iterations, 4096-byte pages,
//! HMAC-SHA512), so that an encrypted file opens in any SQLCipher 4 tool
//! given the passphrase.
//!
//! The passphrase of a file is handed over once ([`remember`]) by whoever
//! asked for it (the command line or the unlock screen); every connection
//! this module opens on that file then sets it as its very first
//! statement. The passphrase lives in a zeroising buffer, is never
//! printed (its `Debug` is `***`) and never leaves this process.

use super::error::StoreError;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};
use zeroize::Zeroizing;

/// A passphrase, wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(Zeroizing<String>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(***)")
    }
}

impl Passphrase {
    /// Takes `text` as a passphrase; refuses an empty one and one with a
    /// NUL character (SQLite's text ends there).
    pub fn new(text: Zeroizing<String>) -> Result<Self, String> {
        if text.is_empty() {
            return Err("the passphrase is empty".into());
        }
        if text.contains('\0') {
            return Err("the passphrase contains a NUL character".into());
        }
        Ok(Self(text))
    }

    /// The passphrase as read from a file or typed: one trailing line end
    /// (`\n` or `\r\n`) is not part of it.
    pub fn from_line(mut text: Zeroizing<String>) -> Result<Self, String> {
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        Self::new(text)
    }

    /// Whether `typed` is this passphrase.
    pub fn is(&self, typed: &str) -> bool {
        // Compared byte by byte to the end, whatever differs first.
        let (a, b) = (self.0.as_bytes(), typed.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    #[cfg(test)]
    fn expose(&self) -> &str {
        &self.0
    }

    /// `PRAGMA <pragma> = '<passphrase>'` with quotes doubled, in a
    /// zeroising buffer: SQLCipher derives the key itself.
    fn statement(&self, pragma: &str) -> Zeroizing<String> {
        let mut sql = Zeroizing::new(String::with_capacity(pragma.len() + 16 + 2 * self.0.len()));
        sql.push_str("PRAGMA ");
        sql.push_str(pragma);
        sql.push_str(" = '");
        for c in self.0.chars() {
            if c == '\'' {
                sql.push('\'');
            }
            sql.push(c);
        }
        sql.push('\'');
        sql
    }
}

/// The passphrases handed over in this process, by file.
static KEYS: Mutex<Vec<(PathBuf, Passphrase)>> = Mutex::new(Vec::new());

/// One name per file, however it was written (relative, through a link).
fn normal(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(absolute),
        _ => absolute,
    }
}

/// Set once any passphrase has been handed over: the crash report then
/// leaves out the panic's message, which may quote a record.
static IN_USE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process has opened (or been given the passphrase of) an
/// encrypted database.
pub fn in_use() -> bool {
    IN_USE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Uses `passphrase` for every connection this process opens on `path`
/// from now on (a new file is created encrypted with it).
pub fn remember(path: &Path, passphrase: Passphrase) {
    IN_USE.store(true, std::sync::atomic::Ordering::Relaxed);
    let path = normal(path);
    let mut keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
    keys.retain(|(p, _)| *p != path);
    keys.push((path, passphrase));
}

/// Stops using a passphrase for `path`.
pub fn forget(path: &Path) {
    let path = normal(path);
    KEYS.lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|(p, _)| *p != path);
}

/// The passphrase handed over for `path`, if any.
pub(crate) fn key_for(path: &Path) -> Option<Passphrase> {
    let keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
    if keys.is_empty() {
        return None;
    }
    let path = normal(path);
    keys.iter()
        .find(|(p, _)| *p == path)
        .map(|(_, k)| k.clone())
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Missing or empty: a new database.
    New,
    /// Starts with SQLite's header: a plain database.
    Plain,
    /// No SQLite header, and the size of whole pages: an SQLCipher file
    /// (whose first bytes are a random salt), or something else.
    Encrypted,
    /// Anything else (text, a short file): not a database.
    Other,
}

/// Looks at the first bytes of `path`: a plain SQLite file starts with
/// "SQLite format 3\0", an encrypted one with random bytes and is made
/// of whole pages (SQLCipher's pages are 512 to 65,536 bytes).
pub fn kind(path: &Path) -> std::io::Result<Kind> {
    header(path).map(|(kind, _)| kind)
}

/// [`kind`], with the first 16 bytes (an encrypted file's salt).
fn header(path: &Path) -> std::io::Result<(Kind, [u8; 16])> {
    let mut header = [0u8; 16];
    let mut f = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Kind::New, header)),
        Err(e) => return Err(e),
    };
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok((Kind::New, header));
    }
    let mut read = 0;
    while read < header.len() {
        match f.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let kind = if read == header.len() && &header == SQLITE_MAGIC {
        Kind::Plain
    } else if len >= 512 && len % 512 == 0 {
        Kind::Encrypted
    } else {
        Kind::Other
    };
    Ok((kind, header))
}

/// SQLCipher logs warnings (a failed page check, a wrong key) to standard
/// error by default, which would land in the middle of the interface and
/// of command output. Switched off once per process, before any file is
/// opened (the setting is process-wide).
fn quiet() {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        if let Ok(c) = Connection::open_in_memory() {
            let _ = c.execute_batch("PRAGMA cipher_log_level = NONE; PRAGMA cipher_log = off;");
        }
    });
}

/// Opens `path` (SQLite's own path or URI, per `flags`) and, when a
/// passphrase was handed over for `file`, sets it as the first statement
/// and proves it by reading the schema. A wrong passphrase is
/// [`StoreError::WrongPassphrase`].
pub(crate) fn open(target: &Path, file: &Path, flags: OpenFlags) -> Result<Connection, StoreError> {
    quiet();
    let conn =
        Connection::open_with_flags(target, flags).map_err(|e| StoreError::from_sqlite(file, e))?;
    if let Some(key) = key_for(file) {
        apply(&conn, &key, file)?;
    }
    Ok(conn)
}

/// Sets `key` on a connection that has run nothing yet, and proves it.
///
/// An existing file's key is derived here once per salt and passphrase
/// (the same PBKDF2-HMAC-SHA512 SQLCipher runs, see [`derive`]) and handed
/// to SQLCipher raw, so that the interface's second and third connections
/// and every later command step skip the 256,000 rounds. A new file (no
/// salt yet) gets the passphrase, and SQLCipher makes its salt.
pub(crate) fn apply(conn: &Connection, key: &Passphrase, file: &Path) -> Result<(), StoreError> {
    let statement = match salt_of(file).and_then(|salt| Some((derived(key, salt)?, salt))) {
        Some((raw, salt)) => raw_statement(&raw, &salt),
        None => key.statement("key"),
    };
    conn.execute_batch(&statement)
        .map_err(|e| StoreError::from_sqlite(file, e))?;
    prove(conn, file)
}

/// SQLCipher 4's key derivation, as its defaults have it.
const KDF_ROUNDS: u32 = 256_000;

type Salt = [u8; 16];
type RawKey = Zeroizing<[u8; 32]>;

/// The first 16 bytes of an encrypted file: SQLCipher's salt.
fn salt_of(file: &Path) -> Option<Salt> {
    match header(file) {
        Ok((Kind::Encrypted, salt)) => Some(salt),
        _ => None,
    }
}

/// The encryption key SQLCipher derives from `key` for a file with `salt`
/// (PBKDF2-HMAC-SHA512 by the OpenSSL SQLCipher is built with); `None`
/// only if OpenSSL fails, and then SQLCipher derives it itself.
fn derive(key: &Passphrase, salt: &Salt) -> Option<RawKey> {
    let mut out = Zeroizing::new([0u8; 32]);
    openssl::pkcs5::pbkdf2_hmac(
        key.0.as_bytes(),
        salt,
        KDF_ROUNDS as usize,
        openssl::hash::MessageDigest::sha512(),
        &mut out[..],
    )
    .ok()?;
    Some(out)
}

/// Keys derived in this process, by salt and passphrase (a rekeyed file
/// keeps its salt, so the passphrase is part of the match).
static DERIVED: Mutex<Vec<(Salt, Passphrase, RawKey)>> = Mutex::new(Vec::new());

fn derived(key: &Passphrase, salt: Salt) -> Option<RawKey> {
    let cache = |keys: &Vec<(Salt, Passphrase, RawKey)>| {
        keys.iter()
            .find(|(s, p, _)| *s == salt && p.is(&key.0))
            .map(|(_, _, k)| k.clone())
    };
    if let Some(k) = cache(&DERIVED.lock().unwrap_or_else(|e| e.into_inner())) {
        return Some(k);
    }
    // Derived without the lock held: a second thread may derive the same
    // key at the same time, which costs time, not correctness.
    let raw = derive(key, &salt)?;
    let mut keys = DERIVED.lock().unwrap_or_else(|e| e.into_inner());
    if cache(&keys).is_none() {
        keys.push((salt, key.clone(), raw.clone()));
    }
    Some(raw)
}

/// `PRAGMA key = "x'<key><salt>'"`: SQLCipher's raw-key form, which skips
/// its own derivation and checks the salt against the file's.
fn raw_statement(raw: &RawKey, salt: &Salt) -> Zeroizing<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut sql = Zeroizing::new(String::with_capacity(120));
    sql.push_str("PRAGMA key = \"x'");
    for b in raw.iter().chain(salt.iter()) {
        sql.push(char::from(HEX[usize::from(b >> 4)]));
        sql.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    sql.push_str("'\"");
    sql
}

/// Reads the schema: the first read decrypts page 1, which fails with a
/// wrong passphrase (or a file that is no database at all).
pub(crate) fn prove(conn: &Connection, file: &Path) -> Result<(), StoreError> {
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(StoreError::WrongPassphrase {
                path: file.to_path_buf(),
            })
        }
        Err(e) => Err(StoreError::from_sqlite(file, e)),
    }
}

/// Proves `key` opens `file` (it only reads), without handing it over.
pub fn verify(file: &Path, key: &Passphrase) -> Result<(), StoreError> {
    quiet();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn =
        Connection::open_with_flags(file, flags).map_err(|e| StoreError::from_sqlite(file, e))?;
    apply(&conn, key, file)
}

/// Changes the passphrase of the open, keyed connection (`PRAGMA rekey`
/// re-encrypts every page in one transaction of SQLCipher's own).
pub(crate) fn rekey(conn: &Connection, new: &Passphrase, file: &Path) -> Result<(), StoreError> {
    conn.execute_batch(&new.statement("rekey"))
        .map_err(|e| StoreError::from_sqlite(file, e))
}

/// `ATTACH DATABASE '<path>' AS <name> KEY '<passphrase>'` (an empty key
/// for a plain copy), in a zeroising buffer.
pub(crate) fn attach_statement(
    path: &Path,
    name: &str,
    key: Option<&Passphrase>,
) -> Zeroizing<String> {
    let mut sql = Zeroizing::new(String::with_capacity(256));
    sql.push_str("ATTACH DATABASE '");
    sql.push_str(&path.to_string_lossy().replace('\'', "''"));
    sql.push_str("' AS ");
    sql.push_str(name);
    match key {
        Some(k) => {
            let stmt = k.statement("key");
            // "PRAGMA key = '…'": keep the quoted literal.
            if let Some(lit) = stmt.split_once(" = ").map(|(_, l)| l) {
                sql.push_str(" KEY ");
                sql.push_str(lit);
            }
        }
        None => sql.push_str(" KEY ''"),
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> Passphrase {
        Passphrase::new(Zeroizing::new(s.to_string())).unwrap()
    }

    #[test]
    fn the_passphrase_never_shows_in_debug_output() {
        let p = pass("correct horse");
        assert_eq!(format!("{p:?}"), "Passphrase(***)");
        assert!(!format!("{:?}", Some(p)).contains("horse"));
    }

    /// The key derived here is the one SQLCipher derives: a file made
    /// with the passphrase opens with the raw key and salt, and a raw key
    /// from another passphrase is refused.
    #[test]
    fn the_derived_key_is_sqlciphers() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.db");
        let made = Connection::open(&file).unwrap();
        made.execute_batch(
            "PRAGMA key = 'correct horse'; CREATE TABLE t(x); INSERT INTO t VALUES (42);",
        )
        .unwrap();
        drop(made);
        let salt = salt_of(&file).expect("an encrypted file has a salt");
        let opens = |raw: Option<RawKey>| {
            let raw = raw.expect("OpenSSL derives");
            let c = Connection::open(&file).unwrap();
            c.execute_batch(&raw_statement(&raw, &salt)).unwrap();
            c.query_row("SELECT x FROM t", [], |r| r.get::<_, i64>(0))
                .ok()
        };
        assert_eq!(opens(derive(&pass("correct horse"), &salt)), Some(42));
        assert_eq!(opens(derive(&pass("correct horsf"), &salt)), None);
        let mut other_salt = salt;
        other_salt[0] ^= 1;
        assert_eq!(opens(derive(&pass("correct horse"), &other_salt)), None);
        // Through `apply`, twice (the second from the cache), and refused
        // with another passphrase even for the same salt.
        for _ in 0..2 {
            let c = Connection::open(&file).unwrap();
            apply(&c, &pass("correct horse"), &file).unwrap();
        }
        let c = Connection::open(&file).unwrap();
        assert!(matches!(
            apply(&c, &pass("correct horsf"), &file),
            Err(StoreError::WrongPassphrase { .. })
        ));
    }

    #[test]
    fn the_raw_key_statement_is_hex_of_key_then_salt() {
        let raw = Zeroizing::new([0xab; 32]);
        let salt = [0x01; 16];
        let sql = raw_statement(&raw, &salt);
        assert_eq!(
            *sql,
            format!("PRAGMA key = \"x'{}{}'\"", "ab".repeat(32), "01".repeat(16))
        );
    }

    #[test]
    fn quotes_are_doubled_in_the_statement() {
        assert_eq!(&*pass("it's").statement("key"), "PRAGMA key = 'it''s'");
        let attach = attach_statement(Path::new("/tmp/o'k.db"), "enc", Some(&pass("a'b")));
        assert_eq!(&*attach, "ATTACH DATABASE '/tmp/o''k.db' AS enc KEY 'a''b'");
        let plain = attach_statement(Path::new("/x.db"), "plain", None);
        assert_eq!(&*plain, "ATTACH DATABASE '/x.db' AS plain KEY ''");
    }

    #[test]
    fn one_line_end_is_not_part_of_a_passphrase() {
        let line = |s: &str| Passphrase::from_line(Zeroizing::new(s.to_string()));
        assert_eq!(line("abc\n").unwrap().expose(), "abc");
        assert_eq!(line("abc\r\n").unwrap().expose(), "abc");
        assert_eq!(line("abc \n\n").unwrap().expose(), "abc \n");
        assert!(line("\n").is_err());
        assert!(line("").is_err());
        assert!(line("a\0b").is_err());
    }

    #[test]
    fn a_file_is_told_by_its_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        assert_eq!(kind(&p("missing.db")).unwrap(), Kind::New);
        fs::write(p("empty.db"), b"").unwrap();
        assert_eq!(kind(&p("empty.db")).unwrap(), Kind::New);
        fs::write(p("notes.txt"), b"Ana, cheeks\n").unwrap();
        assert_eq!(kind(&p("notes.txt")).unwrap(), Kind::Other);
        let mut page = vec![7u8; 4096];
        fs::write(p("enc.db"), &page).unwrap();
        assert_eq!(kind(&p("enc.db")).unwrap(), Kind::Encrypted);
        page[..16].copy_from_slice(SQLITE_MAGIC);
        fs::write(p("plain.db"), &page).unwrap();
        assert_eq!(kind(&p("plain.db")).unwrap(), Kind::Plain);
    }

    #[test]
    fn a_keyed_file_opens_only_with_its_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        remember(&db, pass("right"));
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        let target = db.clone();
        let c = open(&target, &db, flags).unwrap();
        c.execute_batch("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('Ana Souza');")
            .unwrap();
        drop(c);
        assert_eq!(kind(&db).unwrap(), Kind::Encrypted);
        remember(&db, pass("wrong"));
        let err = open(&target, &db, flags).unwrap_err();
        assert!(matches!(err, StoreError::WrongPassphrase { .. }), "{err:?}");
        forget(&db);
        assert!(key_for(&db).is_none());
    }
}
