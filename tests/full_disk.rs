//! A full disk: a write fails with one clear line, and what was there is
//! intact. Uses a small tmpfs, which needs root: ignored by default, and
//! run by `.ci/run` (as root) with `--ignored`, where failing to mount is a
//! failure rather than a skip.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_needlelog");

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount_small_tmpfs(dir: &Path) -> Option<Mount> {
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(dir)
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| Mount(dir.to_path_buf()))
}

fn needlelog(args: &[&str], home: &Path) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env_remove("NEEDLELOG_DB")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home)
        .output()
        .unwrap()
}

#[test]
#[ignore = "mounts a 1 MB tmpfs, which needs root; .ci/run runs it with --ignored"]
fn a_full_disk_refuses_the_write_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let _mount = mount_small_tmpfs(&disk).expect("mount a 1 MB tmpfs (run as root)");
    let db = disk.join("clinic.db");
    let db_s = db.to_str().unwrap();
    let out = needlelog(
        &[
            "demo",
            "--db",
            db_s,
            "--clients",
            "5",
            "--seed",
            "1",
            "--today",
            "2026-11-21",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    let export = |home: &Path| {
        let out = needlelog(&["export", "--format", "json", "--db", db_s], home);
        assert!(out.status.success(), "{out:?}");
        let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc.as_object_mut().unwrap().remove("exported_at");
        doc
    };
    let before = export(dir.path());

    // Fill what is left of the disk.
    let filler = disk.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);

    // A large client list does not fit.
    let list = dir.path().join("list.csv");
    let mut csv = String::from("name,notes\n");
    for i in 0..2000 {
        csv.push_str(&format!("Client {i},{}\n", "n".repeat(200)));
    }
    std::fs::write(&list, csv).unwrap();
    let out = needlelog(
        &["import", "--clients", list.to_str().unwrap(), "--db", db_s],
        dir.path(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("needlelog: ") && err.contains("disk is full"),
        "{err}"
    );
    assert!(!err.contains("panicked"));

    // Room again: the database is whole and holds exactly what it held.
    std::fs::remove_file(&filler).unwrap();
    let out = needlelog(&["check", "--db", db_s], dir.path());
    assert!(out.status.success(), "{out:?}");
    assert_eq!(export(dir.path()), before);
}
