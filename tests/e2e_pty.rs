//! End to end: the real binary in a pseudo-terminal, driven by the bytes a
//! keyboard sends, checked on the screen a person would see, in the
//! database it leaves behind, and in the state it leaves the terminal in.
#![cfg(unix)]

mod support;

use support::cli::{Sandbox, client_names};
use support::pty::{CTRL_S, ENTER, ESC, TAB, Term, framed, row_with, with_each_stop_signal};

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// The first `YYYY-MM-DD HH:MM` in a row of the screen.
fn date_time(row: &str) -> Option<String> {
    let words: Vec<&str> = row.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        let date = w[0].len() == 10 && w[0].as_bytes()[4] == b'-' && w[0].as_bytes()[7] == b'-';
        let time = w[1].len() == 5 && w[1].as_bytes()[2] == b':';
        (date && time).then(|| format!("{} {}", w[0], w[1]))
    })
}

#[test]
fn first_day_add_client_session_followup_chart_undo_quit() {
    let (sandbox, mut t) = Sandbox::with_empty_interface(COLS, ROWS);
    // Raw mode while running: otherwise the cooked check at the end would
    // prove nothing.
    assert!(!t.cooked(), "needlelog runs without raw mode");

    // A client with just a name.
    t.key_then(b"a", "Add client");
    t.type_text("Ana Souza");
    let form = t.wait_until("the name typed into the form", |s| {
        row_with(s, "Name").is_some_and(|r| r.contains("Ana Souza"))
    });
    assert!(
        row_with(&form, "▸ Name").is_some(),
        "the form opens on the name:\n{}",
        framed(&form)
    );
    t.press(CTRL_S);
    let home = t.wait_for("Added Ana Souza");
    assert!(!home.contains("Add client"), "form closed:\n{home}");
    assert!(
        row_with(&home, "Ana Souza").is_some_and(|r| r.contains("0/4")),
        "the new client is listed with a 4-session series (acne scars, DOMAIN.md):\n{}",
        framed(&home)
    );

    // A session with the defaults: `n`, then Ctrl-S twice (the first
    // says that only the date would be recorded).
    let form = t.key_then(b"n", "New session — Ana Souza");
    let when = row_with(&form, "Date and time")
        .and_then(date_time)
        .unwrap_or_else(|| panic!("no default date in the session form:\n{}", framed(&form)));
    t.save_bare_session();
    t.wait_for(&format!("Recorded the session of {when}"));
    // Back on the home screen, where `n` was pressed.
    let home = t.wait_until("the follow-up flag on Ana's row", |s| {
        row_with(s, "Ana Souza").is_some_and(|r| r.contains('◷'))
    });
    assert!(home.contains("Enter open"), "{}", framed(&home));

    // In with Enter.
    t.key_then(ENTER, "Sessions ·");
    t.wait_for("◷ pending");

    // Follow-up: Tab to redness, 2.5 days.
    t.key_then(b"f", "Follow-up — Ana Souza");
    t.press(TAB);
    t.wait_until("the cursor on Redness", |s| {
        row_with(s, "▸ Redness (days)").is_some()
    });
    t.type_text("2.5");
    t.wait_until("2.5 in Redness", |s| {
        row_with(s, "▸ Redness (days)").is_some_and(|r| r.contains("2.5"))
    });
    t.press(CTRL_S);
    t.wait_for("Saved the follow-up");
    let client = t.wait_for("2.5/—/—");
    assert!(!client.contains("◷ pending"), "{}", framed(&client));

    // The chart, and back.
    t.key_then(b"c", "Downtime · 1 row");
    t.press(ESC);
    t.wait_for("Sessions ·");
    t.wait_gone("Downtime · 1 row");

    // Undo takes back the follow-up only.
    t.press(b"u");
    let undone = t.wait_for("Undone: follow-up");
    t.wait_for("◷ pending");
    assert!(
        undone.contains("needlelog  Ana Souza"),
        "{}",
        framed(&undone)
    );

    t.press(b"q");
    let status = t.wait_exit();
    assert!(status.success(), "exit status {status}");
    t.assert_left_cleanly();

    // The database holds exactly what was typed.
    let doc = sandbox.export_json(&sandbox.db());
    assert_eq!(client_names(&doc), ["Ana Souza"]);
    let series = doc["clients"][0]["series"].as_array().unwrap();
    assert_eq!(series.len(), 1, "one series: {doc:#}");
    assert_eq!(series[0]["planned_sessions"], 4, "acne scars: 4 sessions");
    let sessions = series[0]["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "one session: {doc:#}");
    let performed = sessions[0]["performed_at"].as_str().unwrap();
    assert_eq!(
        performed,
        format!("{}:00", when.replace(' ', "T")),
        "the session at the form's default time"
    );
    let f = &sessions[0]["followup"];
    for field in ["redness_days", "swelling_days", "peeling_days"] {
        assert!(
            f[field].is_null(),
            "follow-up undone, {field} = {}",
            f[field]
        );
    }
    assert_eq!(f["adverse_events"], serde_json::json!([]));
}

/// Sizes for the storm: a fixed pseudo-random walk over 20x5 … 200x60.
fn storm_sizes(n: usize) -> Vec<(u16, u16)> {
    let mut x: u32 = 0x2545_f491;
    let mut next = move |lo: u16, hi: u16| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        lo + (x % u32::from(hi - lo + 1)) as u16
    };
    let mut sizes: Vec<(u16, u16)> = (0..n).map(|_| (next(20, 200), next(5, 60))).collect();
    // The corners, always.
    sizes[0] = (20, 5);
    sizes[n / 2] = (200, 60);
    sizes[n - 1] = (20, 60);
    sizes
}

/// The interface on 40 demo clients, once it shows the whole list (the
/// very first frame may hold only its first page); returns that screen.
fn forty_clients(sandbox: &Sandbox) -> (Term, String) {
    sandbox.demo_live(40, 7);
    let mut t = sandbox.spawn(COLS, ROWS);
    let list = t.wait_until("the whole list", |s| {
        s.contains(" of 40 · view") && s.contains("? help")
    });
    (t, list)
}

/// The screen without its title row (which holds the clock).
fn list(screen: &str) -> String {
    screen.lines().skip(1).collect::<Vec<_>>().join("\n")
}

#[test]
fn resize_storm_keeps_running_and_redraws() {
    let sandbox = Sandbox::new();
    let (mut t, before) = forty_clients(&sandbox);
    assert!(before.contains(" of 40 · view"), "{}", framed(&before));

    // The storm: 50 sizes as fast as the pty takes them.
    for (cols, rows) in storm_sizes(50) {
        t.resize(cols, rows);
    }
    assert!(t.is_running(), "needlelog died in the resize storm");

    // Just below the minimum, in each direction, and at it.
    for (cols, rows) in [(59, 30), (100, 15), (59, 15), (30, 8)] {
        t.resize(cols, rows);
        t.wait_for(&format!("Terminal too small: {cols}×{rows}."));
    }
    t.resize(60, 16);
    t.wait_gone("Terminal too small");
    t.wait_for("needlelog  Clients");

    // Back where it started: the same screen as before the storm (the
    // title row aside: it holds the clock).
    t.resize(COLS, ROWS);
    t.wait_until("the list redrawn as before the storm", |s| {
        list(s) == list(&before)
    });
    assert!(t.is_running());

    // Still answering keys.
    t.press(b"j");
    t.wait_until("the selection to move", |s| list(s) != list(&before));
    t.press(b"q");
    let status = t.wait_exit();
    assert!(status.success(), "exit status {status}");
    t.assert_left_cleanly();
}

/// A quick shrink and back, faster than the program reads its events: the
/// terminal has lost what did not fit, so the program has to draw the whole
/// screen again even though the size it finally sees is the one it had.
#[test]
fn quick_shrink_and_restore_redraws_everything() {
    let sandbox = Sandbox::new();
    let (mut t, before) = forty_clients(&sandbox);
    for _ in 0..5 {
        t.resize(40, 10);
        t.resize(COLS, ROWS);
    }
    t.wait_until("the list redrawn as before", |s| list(s) == list(&before));
    t.press(b"q");
    assert!(t.wait_exit().success());
    t.assert_left_cleanly();
}

/// SIGTERM (the system shutting down, `kill`) or SIGHUP (the terminal
/// window closed) while a form is half filled.
fn stop_signal_mid_form(signal: libc::c_int) {
    let (sandbox, mut t) = Sandbox::with_empty_interface(COLS, ROWS);
    t.type_new_client("Ber");
    t.signal(signal);
    let status = t.wait_exit();
    assert!(
        status.signal().is_none(),
        "killed by the signal ({status}) instead of leaving on its own"
    );
    t.assert_left_cleanly();
    // A half-typed form is not a record.
    assert!(client_names(&sandbox.export_json(&sandbox.db())).is_empty());
}

#[test]
fn a_stop_signal_mid_form_restores_the_terminal() {
    with_each_stop_signal(stop_signal_mid_form);
}

/// The home screen's "Last time" pane after a session is recorded.
#[test]
fn home_preview_shows_the_session_just_recorded() {
    let (_sandbox, mut t) = Sandbox::with_empty_interface(COLS, ROWS);
    t.add_client("Ana Souza");
    t.wait_for("No session recorded yet.");
    t.key_then(b"n", "New session — Ana Souza");
    t.save_bare_session();
    // Saved from the home screen: back there, with the preview fresh.
    t.wait_for("Enter open");
    t.wait_for("Session 1 of 4");
    t.press(b"q");
    assert!(t.wait_exit().success());
}

/// The terminal window closed (or the SSH link dropped) mid-form: the
/// program gets SIGHUP and its input ends; it must go, not linger.
#[test]
fn closing_the_terminal_ends_the_program() {
    let (sandbox, mut t) = Sandbox::with_empty_interface(COLS, ROWS);
    t.type_new_client("Ber");
    t.hang_up();
    // Gone within the timeout, whatever the exit status.
    t.wait_exit();
    assert!(client_names(&sandbox.export_json(&sandbox.db())).is_empty());
}
