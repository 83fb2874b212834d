//! Forms in the real binary, in a pseudo-terminal: a form half filled when
//! the terminal goes away is kept and offered back at the next start, and
//! the export dialog writes its file.

mod support;

use support::cli::{Sandbox, client_names};
use support::pty::{CTRL_S, ESC, assert_terminal_restored, row_with, with_each_stop_signal};

const COLS: u16 = 100;
const ROWS: u16 = 30;

fn kept_then_resumed(signal: libc::c_int) {
    let sandbox = Sandbox::new();
    sandbox.demo_live(12, 3);
    // A session form on the first client, with a depth typed.
    let mut t = sandbox.spawn(COLS, ROWS);
    t.wait_until("the whole list", |s| {
        s.contains(" of ") && s.contains("? help")
    });
    t.key_then(b"n", "New session");
    for _ in 0..8 {
        t.press(b"\x1b[B"); // down to the depth field, past the check
    }
    t.press(b"\x15"); // Ctrl-U clears the carried-over depth
    t.type_text("0.75");
    t.wait_until("the depth typed", |s| {
        row_with(s, "Depth (mm)").is_some_and(|r| r.contains("0.75"))
    });
    t.signal(signal);
    let status = t.wait_exit();
    assert!(!status.success());
    assert_terminal_restored(&t.raw());

    // Next start: the form is offered back; yes puts it on screen as typed.
    let mut t = sandbox.spawn(COLS, ROWS);
    t.wait_for("Resume it?");
    t.press(b"y");
    t.wait_until("the resumed form", |s| {
        s.contains("New session") && row_with(s, "Depth (mm)").is_some_and(|r| r.contains("0.75"))
    });
    t.press(CTRL_S);
    t.wait_for("Recorded the session of");
    t.press(ESC);
    t.wait_for("Enter open");
    t.press(b"q");
    assert!(t.wait_exit().success());

    // The session is in the database with the typed depth, and the draft is gone.
    let doc = sandbox.export_json(&sandbox.db());
    let depths: Vec<f64> = doc["clients"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["series"].as_array().unwrap().iter())
        .flat_map(|s| s["sessions"].as_array().unwrap().iter())
        .filter(|x| {
            x["created_at"]
                .as_str()
                .is_some_and(|t| t.starts_with(&chrono::Utc::now().format("%Y-%m-%d").to_string()))
        })
        .map(|x| x["depth_mm"].as_f64().unwrap_or(-1.0))
        .collect();
    assert!(depths.contains(&0.75), "{depths:?}");
    assert_eq!(client_names(&doc).len(), 12);
    let mut t = sandbox.spawn(COLS, ROWS);
    t.wait_until("the whole list", |s| {
        s.contains(" of ") && s.contains("? help")
    });
    assert!(!t.screen().contains("Resume it?"), "the draft was used up");
    t.press(b"q");
    assert!(t.wait_exit().success());
}

/// SIGTERM (the system shutting down) and SIGHUP (the terminal closed)
/// both keep the half-filled form.
#[test]
fn a_stop_signal_keeps_the_form_for_the_next_start() {
    with_each_stop_signal(kept_then_resumed);
}

#[test]
fn a_kept_form_can_be_discarded() {
    let (sandbox, mut t) = Sandbox::with_empty_interface(COLS, ROWS);
    t.type_new_client("Half");
    t.signal(libc::SIGTERM);
    t.wait_exit();
    let mut t = sandbox.spawn(COLS, ROWS);
    t.wait_for("Resume it?");
    t.press(b"n");
    t.wait_for("The kept form was discarded");
    t.press(b"q");
    assert!(t.wait_exit().success());
    assert!(client_names(&sandbox.export_json(&sandbox.db())).is_empty());
    let mut t = sandbox.spawn_empty(COLS, ROWS);
    assert!(!t.screen().contains("Resume it?"));
    t.press(b"q");
    t.wait_exit();
}

/// Issue 5's walk, the export part: from the client, `x` opens the dialog,
/// Ctrl-S writes the file beside where needlelog was started, the status
/// line says where, and the file is private and holds the client.
#[test]
fn export_from_the_dialog() {
    use std::os::unix::fs::PermissionsExt;
    let (sandbox, mut t) = Sandbox::with_empty_interface(COLS, ROWS);
    t.add_client("Dana Export");
    t.key_then(b"n", "New session");
    t.save_bare_session();
    // `n` was pressed on the home screen: saving goes back there.
    t.wait_for("Enter open");
    t.key_then(b"\r", "Sessions ·");
    t.key_then(b"x", "Export");
    t.wait_for("this client: Dana Export");
    t.press(CTRL_S);
    let screen = t.wait_for("Exported: wrote");
    let line = screen
        .lines()
        .find(|l| l.contains("Exported: wrote"))
        .unwrap();
    assert!(line.contains("1 client"), "{line}");
    let file = std::fs::read_dir(sandbox.work())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .expect("a CSV file where needlelog was started");
    assert!(
        file.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("needlelog-dana-export-")
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Dana Export"));
    let records = csv::Reader::from_reader(text.as_bytes()).records().count();
    assert_eq!(records, 1, "a header and the one session:\n{text}");
    t.press(ESC);
    t.wait_for("Enter open");
    t.press(b"q");
    assert!(t.wait_exit().success());
}
