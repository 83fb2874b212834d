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
