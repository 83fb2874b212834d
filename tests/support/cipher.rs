//! The encryption tests' shared parts: a passphrase, commands run with it,
//! and databases made encrypted.

use super::cli::{Sandbox, stderr};
use needlelog::db::cipher::{self, Passphrase};
use needlelog::db::{Counts, Store};
use std::path::Path;
use std::process::Output;
use zeroize::Zeroizing;

pub const PASS: &str = "correct horse 'battery' staple";

pub fn pass(s: &str) -> Passphrase {
    Passphrase::new(Zeroizing::new(s.to_string())).unwrap()
}

/// Sets `passphrase` on a raw connection that has run nothing yet, as any
/// SQLCipher tool would (quotes doubled).
pub fn set_key(conn: &rusqlite::Connection, passphrase: &str) {
    let sql = format!("PRAGMA key = '{}'", passphrase.replace('\'', "''"));
    conn.execute_batch(&sql).expect("the key is set");
}

/// The binary in the sandbox with `args` and `pass` as NEEDLELOG_PASSPHRASE.
pub fn with(sb: &Sandbox, pass: &str, args: &[&str]) -> Output {
    sb.cmd()
        .args(args)
        .env("NEEDLELOG_PASSPHRASE", pass)
        .output()
        .unwrap()
}

/// [`with`], which must succeed.
pub fn ok_with(sb: &Sandbox, pass: &str, args: &[&str]) -> Output {
    let out = with(sb, pass, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

/// The counts of `db`, opened with `key` (or plain).
pub fn counts_of(db: &Path, key: Option<&str>) -> Counts {
    match key {
        Some(k) => cipher::remember(db, pass(k)),
        None => cipher::forget(db),
    }
    let c = Store::open(db).unwrap().counts().unwrap();
    cipher::forget(db);
    c
}

/// A sandbox whose database `demo` made: given a passphrase, it creates
/// the new database encrypted.
pub fn encrypted_new(clients: u32) -> Sandbox {
    let sb = Sandbox::new();
    let db = sb.db();
    let clients = clients.to_string();
    ok_with(
        &sb,
        PASS,
        &[
            "demo",
            "--clients",
            &clients,
            "--seed",
            "2",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    sb
}

/// The files in the photo folder of `db`, by name.
pub fn photo_names(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(needlelog::photo::photo_dir(db)) {
        Ok(dir) => dir
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// Copies the database `from` and its photo folder to `to` (whose folder
/// must not exist yet).
pub fn copy_with_photos(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let (src, dest) = (
        needlelog::photo::photo_dir(from),
        needlelog::photo::photo_dir(to),
    );
    if src.exists() {
        std::fs::create_dir(&dest).unwrap();
        for name in photo_names(from) {
            std::fs::copy(src.join(&name), dest.join(&name)).unwrap();
        }
    }
}

/// `check` of the encrypted `db` (with `pass`) found the database and
/// its photos whole: exit 0, one `ok:` line; every photo file sealed, one
/// file per photo, nothing else in the folder. Returns the `ok:` line.
pub fn check_sealed(sb: &Sandbox, db: &Path, pass: &str) -> String {
    let out = sb
        .cmd()
        .arg("check")
        .arg("--db")
        .arg(db)
        .env("NEEDLELOG_PASSPHRASE", pass)
        .output()
        .unwrap();
    let line = super::cli::check_passed(&out);
    let names = photo_names(db);
    assert!(
        names.iter().all(|n| n.ends_with(".sealed")),
        "not all sealed: {names:?}"
    );
    let files: usize = line
        .rsplit_once(" photos (")
        .and_then(|(_, tail)| tail.split_once(' '))
        .and_then(|(n, _)| n.parse().ok())
        .expect("the ok line counts the photo files");
    assert_eq!(names.len(), files, "{names:?}");
    line
}

/// `demo --photos` into a plain database, `encrypt` it with [`PASS`] from
/// the environment; returns the sandbox, the database and `check`'s plain
/// line. Every photo file is sealed afterwards.
pub fn encrypted_demo() -> (Sandbox, std::path::PathBuf, String) {
    use needlelog::db::cipher::Kind;
    let (sb, db) = Sandbox::with_demo_photos("clinic.db", 8, 3);
    let before = sb.run_ok(&["check", "--db", "clinic.db"]);
    let plain = photo_names(&db);
    assert!(
        plain
            .iter()
            .all(|n| n.ends_with(".jpg") || n.ends_with(".png"))
    );
    let out = ok_with(&sb, PASS, &["encrypt", "--db", "clinic.db"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("encrypted "), "{text}");
    assert!(
        text.contains(&format!("{} photo files sealed", plain.len())),
        "{text}"
    );
    assert_eq!(cipher::kind(&db).unwrap(), Kind::Encrypted);
    check_sealed(&sb, &db, PASS);
    assert_eq!(photo_names(&db).len(), plain.len());
    (sb, db, before)
}
