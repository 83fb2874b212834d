//! Encryption in the interface (issue 16): the unlock screen before the
//! database is read, the question for a new database, the idle lock. Each in a
//! pseudo-terminal.
#![cfg(unix)]

use needlelog::db::cipher::{self, Kind};
use std::fs;

mod support;

use support::cipher::{PASS, counts_of, encrypted_new};
use support::cli::Sandbox;

/// The interface on an encrypted database asks for the passphrase before
/// its first frame, without echoing it; three wrong ones end the program
/// with status 1.
#[test]
fn the_interface_unlocks_with_the_passphrase_and_gives_three_tries() {
    let sb = encrypted_new(6);
    assert_eq!(cipher::kind(&sb.db()).unwrap(), Kind::Encrypted);
    let bytes = fs::read(sb.db()).unwrap();

    let mut t = sb.spawn(100, 30);
    for left in ["2 tries left", "1 try left"] {
        t.wait_for("is encrypted.");
        t.type_text("guess-one\r");
        let screen = t.wait_for(left);
        assert!(!screen.contains("guess-one"), "shown as typed:\n{screen}");
    }
    t.type_text("guess-one\r");
    let status = t.wait_exit();
    assert_eq!(status.exit_code(), 1);
    let screen = t.screen();
    assert!(
        screen.contains("wrong passphrase, or not a needlelog database"),
        "{screen}"
    );
    assert!(
        !screen.contains("guess-one"),
        "the passphrase was echoed:\n{screen}"
    );
    assert_eq!(fs::read(sb.db()).unwrap(), bytes);

    let mut t = sb.spawn(100, 30);
    let asked = t.wait_for("is encrypted.");
    assert!(asked.contains("Passphrase: "), "{asked}");
    // An empty passphrase is said so and uses no try.
    t.type_text("\r");
    t.wait_for("the passphrase is empty");
    t.type_text(&format!("{PASS}\r"));
    let list = t.wait_until("the client list", |s| {
        s.contains(" of ") && s.contains("? help")
    });
    assert!(!list.contains(PASS), "{list}");
    t.press(b"q");
    let _ = t.wait_exit();
}

/// A new database made by the interface: asked once whether to protect
/// it; "yes" and the passphrase twice make it encrypted from the start.
#[test]
fn a_new_database_can_be_protected_from_the_start() {
    let sb = Sandbox::new();
    let mut cmd = sb.pty_command(support::cli::BIN);
    cmd.arg("--db");
    cmd.arg(sb.db());
    let mut t = support::pty::Term::spawn(cmd, 100, 30);
    t.wait_for("[n]ot now");
    t.type_text("y\r");
    t.wait_for("New passphrase:");
    t.type_text(&format!("{PASS}\r"));
    t.wait_for("The same again:");
    t.type_text(&format!("{PASS}\r"));
    t.wait_for("No clients yet.");
    t.press(b"q");
    let _ = t.wait_exit();
    assert_eq!(cipher::kind(&sb.db()).unwrap(), Kind::Encrypted);
    assert_eq!(counts_of(&sb.db(), Some(PASS)).clients, 0);
    // The next start asks for the passphrase, not the question.
    let mut t = sb.spawn(100, 30);
    let screen = t.wait_for("is encrypted.");
    assert!(!screen.contains("[n]ot now"), "{screen}");
}

/// The idle lock: after the idle time (3 s here) the interface on an
/// encrypted database shows a lock screen with no client data; the
/// passphrase brings back the half-filled form as it was.
#[test]
fn the_idle_lock_hides_the_records_and_keeps_the_open_form() {
    let sb = encrypted_new(3);
    let mut cmd = sb.pty_command(support::cli::BIN);
    cmd.arg("--db");
    cmd.arg(sb.db());
    cmd.env("NEEDLELOG_IDLE_LOCK_SECONDS", "3");
    let mut t = support::pty::Term::spawn(cmd, 100, 30);
    t.wait_for("is encrypted.");
    t.type_text(&format!("{PASS}\r"));
    t.wait_until("the client list", |s| {
        s.contains(" of ") && s.contains("? help")
    });
    t.add_client("Zelda Quorrin");
    t.type_new_client("Half Typed");
    let locked = t.wait_for("needlelog is locked");
    for hidden in ["Zelda Quorrin", "Half Typed", "Add client"] {
        assert!(
            !locked.contains(hidden),
            "{hidden} on the lock screen:\n{locked}"
        );
    }
    t.type_text("not it\r");
    t.wait_for("wrong passphrase");
    t.type_text(&format!("{PASS}\r"));
    let back = t.wait_for("Half Typed");
    assert!(back.contains("Add client"), "{back}");
    assert!(!back.contains("needlelog is locked"), "{back}");
}
