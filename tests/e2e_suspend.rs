//! Ctrl-Z hands the terminal back to the shell, and `fg` brings the
//! interface back whole: an interactive bash with job control in a
//! pseudo-terminal runs needlelog, as a practitioner's terminal would.

mod support;

use support::cli::{BIN, Sandbox, assert_installed};
use support::pty::Term;

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    // Not a skip: without bash there is no job control to test with.
    assert_installed("bash", "bash is needed for the job-control test");
    let sandbox = Sandbox::new();
    sandbox.demo_live(8, 2);
    let mut cmd = sandbox.pty_command("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.env("PS1", "PROMPT$ ");
    let mut t = Term::spawn(cmd, 100, 30);
    t.wait_for("PROMPT$");
    t.type_text(&format!("{BIN} --db {}\r", sandbox.db().display()));
    t.wait_until("the whole list", |s| {
        s.contains(" of ") && s.contains("? help")
    });
    t.press(b"j");

    t.press(b"\x1a"); // Ctrl-Z
    let shell = t.wait_for("Stopped");
    assert!(shell.contains("PROMPT$"), "back at the shell:\n{shell}");
    assert!(!shell.contains("? help"), "the interface is off the screen");
    let stopped = t.with_screen(|s| !s.alternate_screen() && !s.hide_cursor());
    assert!(stopped, "main screen and cursor back for the shell");

    t.type_text("fg\r");
    let back = t.wait_until("the whole list", |s| {
        s.contains(" of ") && s.contains("? help")
    });
    assert!(back.contains("view: all"), "{back}");
    // Still working: the list answers keys after the resume.
    t.press(b"s");
    t.wait_for("sort: name");
    t.press(b"q");
    t.wait_for("PROMPT$");
    t.type_text("echo exit=$?\r");
    t.wait_for("exit=0");
    t.type_text("exit\r");
    t.wait_exit();
}
