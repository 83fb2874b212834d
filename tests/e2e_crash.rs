//! A panic in the interface (a bug) leaves the terminal as the shell had
//! it, writes a private crash report, and says where in one line — not a
//! screen of backtrace over a raw-mode terminal.
//!
//! The program has no switch that makes it crash. The crash runs in this
//! test binary started again in a pseudo-terminal (its `crashing_interface`
//! test): it installs the program's panic hook (`crash::install_report_hook`,
//! as `main` does), takes the terminal as the interface does (`tui::enter`),
//! and panics on a key press.
#![cfg(unix)]

mod support;

use ratatui::crossterm::event::{self, Event};
use std::path::PathBuf;
use support::cli::{BIN, Sandbox};
use support::pty::{Term, framed};

/// Set in the crashing process only.
const CRASH_VAR: &str = "NEEDLELOG_TEST_CRASH";
const READY: &str = "Ready: a key press crashes.";
const MESSAGE: &str = "a crash on a key press, as the test asked";

/// The crashing process; run on its own (without the variable) it does
/// nothing.
#[test]
#[ignore = "the process the crash test starts in a terminal; does nothing by itself"]
fn crashing_interface() {
    if std::env::var_os(CRASH_VAR).is_none() {
        return;
    }
    // The program's hooks, in the program's order.
    let _ = color_eyre::install();
    needlelog::crash::install_report_hook();
    // After its panic hooks the program ends (the panic unwinds out of
    // main). Here the test harness would go on to print its own report of
    // the failed test, so the process ends as the program's would.
    let hooks = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        hooks(info);
        std::process::exit(101);
    }));
    let mut terminal = needlelog::tui::enter(true).expect("take the terminal");
    terminal
        .draw(|f| f.render_widget(READY, f.area()))
        .expect("draw");
    loop {
        if let Event::Key(_) = event::read().expect("read an event") {
            panic!("{MESSAGE}");
        }
    }
}

/// The crashing process in a terminal, with the sandbox as its home.
fn spawn_crashing(sandbox: &Sandbox) -> Term {
    let mut cmd = sandbox.pty_command(support::this_test_binary());
    cmd.arg("crashing_interface");
    cmd.args(support::ONE_IGNORED_TEST);
    cmd.env(CRASH_VAR, "1");
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
    t.wait_for(READY);
    assert!(!t.cooked(), "the interface runs in raw mode");
    assert!(crash_reports(&sandbox).is_empty());

    t.press(b"j");
    let status = t.wait_exit();
    assert!(!status.success(), "a crash is a failure: {status:?}");

    // The terminal: off the alternate screen, modes switched off, cursor
    // shown, nothing drawn on the shell's screen, line discipline cooked.
    t.assert_left_cleanly();

    // One line, written after the terminal was restored, naming the file.
    // (What is above it on the shell's screen is the test harness's.)
    let raw = t.raw();
    let left_at = raw
        .windows(8)
        .rposition(|w| w == b"\x1b[?1049l")
        .expect("left the alternate screen");
    let mut after = vt100::Parser::new(30, 100, 0);
    after.process(&raw[left_at..]);
    let screen = after.screen().contents();
    let said: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(said.len(), 1, "one line:\n{}", framed(&screen));
    let path = said[0]
        .trim()
        .strip_prefix("needlelog crashed: report written to ")
        .unwrap_or_else(|| panic!("unexpected output:\n{}", framed(&screen)));
    assert!(
        t.screen().contains(said[0].trim()),
        "the line is on the shell's screen:\n{}",
        framed(&t.screen())
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
    let mode = support::mode(&reports[0]);
    assert_eq!(mode, 0o600, "{mode:o}");
    let report = std::fs::read_to_string(&reports[0]).unwrap();
    for part in [
        concat!("needlelog ", env!("CARGO_PKG_VERSION"), " crashed"),
        "time:",
        &format!("message:  {MESSAGE}"),
        "location: tests/e2e_crash.rs:",
        "backtrace:",
    ] {
        assert!(report.contains(part), "{part:?} missing from:\n{report}");
    }
}

/// The crash hook is in the program, and nothing in it makes it crash or
/// writes for a test: the hook's text is linked in (only a call from
/// `main` keeps it), no test switch is.
#[test]
fn the_program_has_the_crash_hook_and_no_test_switch() {
    let binary = std::fs::read(BIN).expect("read the needlelog binary");
    let holds = |text: &str| memchr::memmem::find(&binary, text.as_bytes()).is_some();
    assert!(holds("needlelog crashed: report written to "));
    assert!(!holds("NEEDLELOG_TEST"), "a test switch is in the program");
}
