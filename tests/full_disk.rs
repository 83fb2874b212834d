//! A full disk: a write fails with one clear line, and what was there is
//! intact. Uses a small tmpfs, which needs root: ignored by default, and
//! run by `.ci/run` (as root) with `--ignored`, where failing to mount is a
//! failure rather than a skip.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::cli::{Sandbox, one_line_error, without_exported_at};

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

#[test]
#[ignore = "mounts a 1 MB tmpfs, which needs root; .ci/run runs it with --ignored"]
fn a_full_disk_refuses_the_write_and_keeps_the_data() {
    let sb = Sandbox::new();
    let disk = sb.path("disk");
    std::fs::create_dir(&disk).unwrap();
    let _mount = mount_small_tmpfs(&disk).expect("mount a 1 MB tmpfs (run as root)");
    let db = disk.join("clinic.db");
    // Records only: the demo's photos alone would fill the 1 MB.
    sb.demo_records(&db, 5, 1);
    let before = without_exported_at(sb.export_json(&db));

    // Fill what is left of the disk.
    let filler = disk.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);

    // A large client list does not fit.
    let list = sb.path("list.csv");
    let mut csv = String::from("name,notes\n");
    for i in 0..2000 {
        csv.push_str(&format!("Client {i},{}\n", "n".repeat(200)));
    }
    std::fs::write(&list, csv).unwrap();
    let out = sb
        .cmd()
        .args(["import", "--clients"])
        .arg(&list)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let err = one_line_error(&out);
    assert!(err.contains("disk is full"), "{err}");

    // Room again: the database is whole and holds exactly what it held.
    std::fs::remove_file(&filler).unwrap();
    sb.check_ok(&db);
    assert_eq!(without_exported_at(sb.export_json(&db)), before);
}
