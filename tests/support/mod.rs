//! What the integration tests share. Each test file says `mod support;`
//! and takes what it needs:
//!
//! - [`cli`]: the [`Sandbox`](cli::Sandbox) (a temporary folder with a
//!   home, a work folder and a database path) and the `needlelog` binary
//!   run in it, as this user or as `nobody`; the shape of error output;
//!   byte-for-byte snapshots of a folder.
//! - [`pty`]: the binary in a pseudo-terminal, read through a vt100 parser.
//! - [`app`]: the application driven in process, keys in, screens out.
//! - [`chart`]: the progress chart built visit by visit and read back.
//! - [`store`]: the store tests' fixed clock and fully filled drafts.
//! - [`export`]: the export tests' fixtures (demo data, awkward text).
//! - [`dom`]: reports read back as XML elements.
//! - [`photos`]: the photo tests' clients, generated pictures and files.
//! - [`schema`]: a checker for the export's JSON Schema.
//! - [`writer`]: the writer process the crash and concurrency tests start.
//!
//! Here itself: the fixed day, demo data, noise bytes and the property
//! tests' runner.
// Each test binary compiles all of this and uses a different part of it.
#![allow(dead_code)]

pub mod app;
pub mod chart;
pub mod cipher;
pub mod cli;
pub mod dom;
pub mod export;
pub mod photos;
pub mod pty;
pub mod schema;
pub mod store;
pub mod writer;

use chrono::{NaiveDate, NaiveDateTime};
use needlelog::db::{ClientTree, Store};
use needlelog::demo::{DemoSpec, generate};
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

/// `clients` demo clients from `seed`, generated for [`today`].
pub fn demo_trees(clients: usize, seed: u64) -> Vec<ClientTree> {
    generate(DemoSpec {
        clients,
        seed,
        today: today(),
    })
}

/// Adds [`demo_trees`] to `store` as one demo change, as `demo` does.
pub fn insert_demo(store: &mut Store, clients: usize, seed: u64) {
    store
        .insert_trees(
            &demo_trees(clients, seed),
            needlelog::db::Action::Demo,
            "demo",
        )
        .unwrap();
}

/// `YYYY-MM-DD HH:MM`.
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// How many cases a property test runs: `PROPTEST_CASES`, or `default`.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A property-test runner for `cases` cases. Each case has its own
/// database and shrinking reruns them, so shrinking stops after 200 steps.
pub fn proptest_runner(cases: u32) -> proptest::test_runner::TestRunner {
    proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases,
        max_shrink_iters: 200,
        ..proptest::test_runner::Config::default()
    })
}

/// Fixed pseudo-random bytes (xorshift): the same on every run, and not
/// the start of an SQLite file.
pub fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
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

/// The first client (in the trees' order) with a series of at least `n`
/// sessions, and that series.
pub fn with_sessions(
    trees: &[needlelog::db::ClientTree],
    n: usize,
) -> (&needlelog::db::ClientTree, &needlelog::db::SeriesTree) {
    trees
        .iter()
        .find_map(|t| {
            t.series
                .iter()
                .find(|s| s.sessions.len() >= n)
                .map(|s| (t, s))
        })
        .unwrap_or_else(|| panic!("a series with {n} sessions"))
}
