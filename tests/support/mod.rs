//! What the integration tests share. Each test file says `mod support;`
//! and takes what it needs:
//!
//! - [`cli`]: the [`Sandbox`](cli::Sandbox) (a temporary folder with a
//!   home, a work folder and a database path) and the `needlelog` binary
//!   run in it, as this user or as `nobody`; the shape of error output.
//! - [`pty`]: the binary in a pseudo-terminal, read through a vt100 parser.
//! - [`app`]: the application driven in process, keys in, screens out.
//! - [`chart`]: the progress chart built visit by visit and read back.
//! - [`store`]: the store tests' fixed clock and fully filled drafts.
//! - [`export`]: the export tests' fixtures (demo data, awkward text).
//! - [`dom`]: reports read back as XML elements.
//! - [`schema`]: a checker for the export's JSON Schema.
//! - [`writer`]: the writer process the crash and concurrency tests start.
// Each test binary compiles all of this and uses a different part of it.
#![allow(dead_code)]

pub mod app;
pub mod chart;
pub mod cli;
pub mod dom;
pub mod export;
pub mod pty;
pub mod schema;
pub mod store;
pub mod writer;

use chrono::{NaiveDate, NaiveDateTime};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The day every fixture is made for, as the command line takes it.
pub const TODAY: &str = "2026-11-21";

/// 2026-11-21, the [`TODAY`] of every fixture.
pub fn today() -> NaiveDate {
    date(2026, 11, 21)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// `YYYY-MM-DD HH:MM`.
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// A file's permission bits.
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// What is in a folder, sorted.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// The names of what is in a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    files_in(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Sets a file's permission bits.
pub fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The running test binary, to start again as a helper process (a writer,
/// a crashing interface) that the test then watches.
pub fn this_test_binary() -> PathBuf {
    std::env::current_exe().expect("the test binary's path")
}

/// The harness's options, after the test's name, that run only that
/// `#[ignore]`d test, in this process's own output, with no more harness
/// output than one line and a dot.
pub const ONE_IGNORED_TEST: [&str; 5] = [
    "--exact",
    "--ignored",
    "--nocapture",
    "--quiet",
    "--test-threads=1",
];
