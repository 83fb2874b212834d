//! The `needlelog` binary as a user runs it, in a [`Sandbox`] of its own:
//! a `HOME` that is not the user's, no `NEEDLELOG_DB`, no XDG data folder
//! (which would win over `HOME`) and no backtrace switches, so that no test
//! can reach the real user's data or depend on the caller's environment.

use super::TODAY;
use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_needlelog");

/// The variables a test run must not inherit.
pub const ISOLATED: [&str; 11] = [
    "NEEDLELOG_DB",
    "NEEDLELOG_CONFIG",
    "NEEDLELOG_PASSPHRASE",
    "NEEDLELOG_PASSPHRASE_FILE",
    "NEEDLELOG_NEW_PASSPHRASE",
    "NEEDLELOG_NEW_PASSPHRASE_FILE",
    "NEEDLELOG_VIEWER",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
];

/// The binary (or `program` running it) with `HOME` at `home` and the
/// [`ISOLATED`] variables removed.
pub fn isolated(program: impl AsRef<OsStr>, home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    for var in ISOLATED {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home);
    cmd
}

/// The binary, isolated, with `HOME` at `home`.
pub fn needlelog(home: &Path) -> Command {
    Command::from_std(isolated(BIN, home))
}

/// Is this process root? (`/proc/self` belongs to its effective user.)
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// The binary, isolated, as a user whom file permissions bind: this user,
/// or `nobody` through `setpriv` when running as root (CI), since
/// permissions do not bind root. Not a skip: as root without setpriv the
/// test fails, for it could not check anything.
pub fn as_other_user(home: &Path) -> std::process::Command {
    if !is_root() {
        return isolated(BIN, home);
    }
    assert_installed(
        "setpriv",
        "running as root: setpriv (util-linux) is needed to run as nobody",
    );
    let mut cmd = isolated("setpriv", home);
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
    cmd
}

/// Fails (not skips) the test when `program` cannot be started.
pub fn assert_installed(program: &str, why: &str) {
    let found = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok();
    assert!(found, "{why}");
}

/// A temporary folder per test: `home/` for `HOME`, `work/` for files and
/// as the current folder, and a database path in `work/data/` (a folder
/// the program creates).
pub struct Sandbox {
    pub dir: TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir(dir.path().join("home")).expect("home folder");
        std::fs::create_dir(dir.path().join("work")).expect("work folder");
        Self { dir }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// A path inside `work/`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.work().join(name)
    }

    /// The sandbox's own database (not created).
    pub fn db(&self) -> PathBuf {
        self.path("data").join("needlelog.db")
    }

    /// The binary, isolated, in `work/`.
    pub fn cmd(&self) -> Command {
        let mut c = needlelog(&self.home());
        c.current_dir(self.work());
        c
    }

    /// Runs the binary with `args` and returns what it did, whatever that was.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd().args(args).output().expect("run needlelog")
    }

    /// Runs the binary with `args`, which must succeed; returns its stdout.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "needlelog {args:?} failed: {}\n{}",
            out.status,
            stderr(&out)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// Runs the binary with `args` as a user permissions bind (see
    /// [`as_other_user`]), in `work/`. Call [`Sandbox::share`] first.
    pub fn run_as_other_user(&self, args: &[&str]) -> Output {
        as_other_user(&self.home())
            .args(args)
            .current_dir(self.work())
            .output()
            .expect("run needlelog (as nobody when root: setpriv, from util-linux)")
    }

    /// Opens the sandbox's folders to other users (for
    /// [`Sandbox::run_as_other_user`]).
    pub fn share(&self) {
        for dir in [self.dir.path().to_path_buf(), self.home(), self.work()] {
            super::set_mode(&dir, 0o755);
        }
    }

    /// `demo` into `db`: `clients` demo clients from `seed`, generated for
    /// [`TODAY`].
    pub fn demo(&self, db: &Path, clients: u32, seed: u64) {
        self.demo_with(db, clients, seed, &[]);
    }

    /// [`Sandbox::demo`] without photos (`demo --no-photos`): records only,
    /// no photo folder.
    pub fn demo_records(&self, db: &Path, clients: u32, seed: u64) {
        let out = self.demo_with(db, clients, seed, &["--no-photos"]);
        assert!(out.ends_with(" 0 photos\n"), "{out}");
        assert!(!needlelog::photo::photo_dir(db).exists());
    }

    /// [`Sandbox::demo`] with its generated photos (`demo --photos`); the
    /// output must count some.
    pub fn demo_photos(&self, db: &Path, clients: u32, seed: u64) {
        let out = self.demo_with(db, clients, seed, &["--photos"]);
        assert!(!out.ends_with(" 0 photos\n"), "no demo photos: {out}");
    }

    fn demo_with(&self, db: &Path, clients: u32, seed: u64, extra: &[&str]) -> String {
        let out = self
            .cmd()
            .arg("demo")
            .arg("--db")
            .arg(db)
            .args(["--clients", &clients.to_string()])
            .args(["--seed", &seed.to_string()])
            .args(["--today", TODAY])
            .args(extra)
            .assert()
            .success()
            .stdout(predicates::str::contains(format!("{clients} clients")));
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    }

    /// A new sandbox with [`Sandbox::demo`] run into `work/<name>`; returns
    /// it and the database's path.
    pub fn with_demo_db(name: &str, clients: u32, seed: u64) -> (Self, PathBuf) {
        let sb = Self::new();
        let db = sb.path(name);
        sb.demo(&db, clients, seed);
        (sb, db)
    }

    /// [`Sandbox::with_demo_db`] with the demo's photos.
    pub fn with_demo_photos(name: &str, clients: u32, seed: u64) -> (Self, PathBuf) {
        let sb = Self::new();
        let db = sb.path(name);
        sb.demo_photos(&db, clients, seed);
        (sb, db)
    }

    /// `demo` into the sandbox's database, generated for the real today
    /// (the interface runs on the real clock).
    pub fn demo_live(&self, clients: u32, seed: u64) {
        let db = self.db();
        let (clients, seed) = (clients.to_string(), seed.to_string());
        self.run_ok(&[
            "demo",
            "--db",
            db.to_str().unwrap(),
            "--clients",
            &clients,
            "--seed",
            &seed,
        ]);
    }

    /// `check` must succeed; returns its one stdout line.
    pub fn check_ok(&self, db: &Path) -> String {
        let out = self
            .cmd()
            .arg("check")
            .arg("--db")
            .arg(db)
            .output()
            .unwrap();
        check_passed(&out)
    }

    /// `export --format json` of `db`, which must succeed, parsed.
    pub fn export_json(&self, db: &Path) -> Value {
        let out = self
            .cmd()
            .arg("export")
            .arg("--db")
            .arg(db)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "export: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("export is JSON")
    }
}

/// A passed `check`: exit 0, one stdout line `ok: …`, no panic; returns it.
pub fn check_passed(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "check failed: {}", stderr(out));
    let text = stdout(out);
    assert!(text.starts_with("ok:"), "check output: {text}");
    assert_eq!(text.lines().count(), 1, "check output: {text}");
    assert_no_panic(&stderr(out));
    text.trim_end().to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn assert_no_panic(stderr: &str) {
    let lower = stderr.to_lowercase();
    assert!(!lower.contains("panicked"), "panic in stderr: {stderr}");
    assert!(
        !lower.contains("backtrace"),
        "backtrace in stderr: {stderr}"
    );
    assert!(!stderr.contains("RUST_BACKTRACE"), "stderr: {stderr}");
}

/// Exit 1, nothing on stdout, exactly one non-empty stderr line starting
/// `needlelog: `, no panic. Returns that line.
pub fn one_line_error(o: &Output) -> String {
    let err = stderr(o);
    assert_no_panic(&err);
    assert_eq!(o.status.code(), Some(1), "exit status; stderr: {err}");
    assert!(
        o.stdout.is_empty(),
        "unexpected stdout: {}\nstderr: {err}",
        stdout(o)
    );
    assert!(err.ends_with('\n'), "stderr not a finished line: {err:?}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "want one stderr line, got: {err:?}");
    let line = lines[0];
    let msg = line
        .strip_prefix("needlelog: ")
        .unwrap_or_else(|| panic!("line lacks the `needlelog: ` prefix: {line:?}"));
    assert!(!msg.trim().is_empty(), "empty message: {line:?}");
    line.to_string()
}

/// A usage error found by the argument parser: exit 2, no panic text.
pub fn usage_error(o: &Output) -> String {
    let err = stderr(o);
    assert_no_panic(&err);
    assert_eq!(o.status.code(), Some(2), "exit status; stderr: {err}");
    assert!(o.stdout.is_empty(), "unexpected stdout: {}", stdout(o));
    assert!(!err.trim().is_empty());
    err
}

/// An export without its `exported_at`, which must have been there.
pub fn without_exported_at(mut v: Value) -> Value {
    let obj = v.as_object_mut().expect("export is a JSON object");
    assert!(
        obj.remove("exported_at").is_some_and(|t| t.is_string()),
        "exported_at missing"
    );
    v
}

/// The clients in an export, by name.
pub fn client_names(doc: &Value) -> Vec<String> {
    doc["clients"]
        .as_array()
        .expect("clients array")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

/// The files and folders below a folder, each file with its bytes.
pub type Files = BTreeMap<PathBuf, Option<Vec<u8>>>;

/// Every file and folder below `dir`, with each file's bytes.
pub fn snapshot(dir: &Path) -> Files {
    fn walk(dir: &Path, out: &mut Files) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.insert(p.clone(), None);
                walk(&p, out);
            } else {
                out.insert(p.clone(), Some(fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Files::new();
    walk(dir, &mut out);
    out
}

/// The paths that differ between two snapshots, for failure messages.
pub fn changed(before: &Files, after: &Files) -> Vec<PathBuf> {
    before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The work folder is byte for byte what it was.
pub fn assert_unchanged(sb: &Sandbox, before: &Files, what: &str) {
    let after = snapshot(&sb.work());
    assert!(
        &after == before,
        "{what} changed files: {:?}",
        changed(before, &after)
    );
}
