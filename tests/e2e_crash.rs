//! A panic in the interface (a bug) leaves the terminal as the shell had
//! it, writes a private crash report, and says where in one line — not a
//! screen of backtrace over a raw-mode terminal.
#![cfg(unix)]

mod e2e_support;

use e2e_support::{BIN, Sandbox, Term, assert_terminal_restored, framed};
use portable_pty::CommandBuilder;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// The interface on the sandbox's database, told to crash on a key press.
fn spawn_crashing(sandbox: &Sandbox) -> Term {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.arg("--db");
    cmd.arg(sandbox.db());
    cmd.env_remove("NEEDLELOG_DB");
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("XDG_DATA_HOME");
    cmd.env_remove("RUST_BACKTRACE");
    cmd.env("HOME", sandbox.home());
    cmd.env("TERM", "xterm-256color");
    cmd.env("NEEDLELOG_TEST_PANIC", "1");
    cmd.cwd(sandbox.dir.path());
    Term::spawn(cmd, 100, 30)
}

fn crash_reports(sandbox: &Sandbox) -> Vec<PathBuf> {
    let dir = sandbox.home().join(".local/share/needlelog");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
        })
        .collect()
}

#[test]
fn a_panic_restores_the_terminal_and_writes_a_private_report() {
    let sandbox = Sandbox::new();
    let mut t = spawn_crashing(&sandbox);
    t.wait_for("No clients yet.");
    assert!(!t.cooked(), "the interface runs in raw mode");
    assert!(crash_reports(&sandbox).is_empty());

    t.press(b"j");
    let status = t.wait_exit();
    assert!(!status.success(), "a crash is a failure: {status:?}");

    // The terminal: off the alternate screen, modes switched off, cursor
    // shown, line discipline cooked.
    assert_terminal_restored(&t.raw());
    t.with_screen(|s| {
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "the cursor is still hidden");
        assert!(!s.bracketed_paste(), "bracketed paste still on");
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reports still on"
        );
    });
    assert!(t.cooked(), "the terminal is left in raw mode");

    // One line on the shell's screen, after the restore, naming the file.
    let screen = t.screen();
    let said: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(said.len(), 1, "one line:\n{}", framed(&screen));
    let path = said[0]
        .trim()
        .strip_prefix("needlelog crashed: report written to ")
        .unwrap_or_else(|| panic!("unexpected output:\n{}", framed(&screen)));
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    let left_at = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(
        raw[left_at..].contains("needlelog crashed"),
        "the line comes after the terminal was restored"
    );

    let reports = crash_reports(&sandbox);
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0], PathBuf::from(path));
    let name = reports[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    // crash-YYYYmmddTHHMMSS.txt
    assert_eq!(name.len(), "crash-20261121T150405.txt".len(), "{name}");
    assert_eq!(&name[14..15], "T", "{name}");
    let mode = std::fs::metadata(&reports[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let report = std::fs::read_to_string(&reports[0]).unwrap();
    for part in [
        concat!("needlelog ", env!("CARGO_PKG_VERSION"), " crashed"),
        "time:",
        "message:  NEEDLELOG_TEST_PANIC=1: crashing on a key press",
        "location: src/tui.rs:",
        "backtrace:",
    ] {
        assert!(report.contains(part), "{part:?} missing from:\n{report}");
    }
}

#[test]
fn without_the_variable_keys_do_not_crash() {
    let sandbox = Sandbox::new();
    let mut t = sandbox.spawn(100, 30);
    t.wait_for("No clients yet.");
    t.press(b"j");
    t.press(b"q");
    assert!(t.wait_exit().success());
    assert!(crash_reports(&sandbox).is_empty());
}
