//! End to end: the real binary in a pseudo-terminal edits a series' plan,
//! writes a three-line note into it, closes the series with a reason; the
//! database and the JSON export are checked afterwards.
#![cfg(unix)]

mod support;

use chrono::Local;
use support::cli::Sandbox;
use support::pty::{CTRL_S, ENTER, framed};

#[test]
fn plan_note_and_closing_reach_the_database_and_the_export() {
    let today = Local::now().date_naive();
    let (sandbox, mut t) = Sandbox::with_empty_interface(110, 34);
    t.add_client("Ana Souza");
    t.key_then(ENTER, "Sessions ·");

    // p: the plan. Five sessions, and a note of three lines.
    t.key_then(b"p", "Plan of the acne scars series — Ana Souza");
    t.fill("Planned sessions", "5");
    t.focus("Notes");
    t.type_text("rolling scars, both cheeks");
    t.press(ENTER);
    t.type_text("start at 1.0 mm");
    t.press(ENTER);
    t.type_text("review after session 3");
    let form = t.wait_for("review after session 3");
    assert!(form.contains("start at 1.0 mm"), "{}", framed(&form));
    t.press(CTRL_S);
    t.wait_for("Saved the plan of the acne scars series");
    t.wait_until("five planned sessions shown", |s| s.contains("0/5"));

    // C: closed early, discontinued by the client.
    t.key_then(b"C", "Close the acne scars series of Ana Souza");
    t.press(b"\x1b[C"); // → the next reason
    t.wait_for("discontinued by the client");
    t.press(CTRL_S);
    t.wait_for("Closed the acne scars series");
    // The series line says so (cut to its pane), and the plan notes show
    // line by line.
    let screen = t.wait_for(&format!("closed {today}: discontinued by the"));
    for line in ["Plan notes: rolling scars, both cheeks", "start at 1.0 mm"] {
        assert!(screen.contains(line), "{line}:\n{}", framed(&screen));
    }

    t.press(b"q");
    assert!(t.wait_exit().success());

    // The database itself.
    let db = rusqlite::Connection::open(sandbox.db()).unwrap();
    let (planned, notes, status, reason, on): (i64, String, String, String, String) = db
        .query_row(
            "SELECT planned_sessions, notes, status, close_reason, closed_on FROM series",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(planned, 5);
    assert_eq!(
        notes,
        "rolling scars, both cheeks\nstart at 1.0 mm\nreview after session 3"
    );
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("closed", "discontinued_by_client")
    );
    assert_eq!(on, today.to_string());
    drop(db);

    // The JSON export keeps the lines and says how the series ended.
    let doc = sandbox.export_json(&sandbox.db());
    let series = &doc["clients"][0]["series"][0];
    assert_eq!(series["planned_sessions"], 5);
    assert_eq!(series["notes"], notes);
    assert_eq!(series["status"], "closed");
    assert_eq!(series["closure"]["reason"], "discontinued_by_client");
    assert_eq!(series["closure"]["closed_on"], today.to_string());
}
