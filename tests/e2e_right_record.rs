//! End to end, the right record every time: the real binary in a
//! pseudo-terminal records sessions out of date order, and every step acts
//! on the session just saved; the database is checked afterwards.
#![cfg(unix)]

mod support;

use chrono::{Days, Local, NaiveDate};
use support::cli::Sandbox;
use support::pty::{CTRL_S, ENTER, Term, framed};

const COLS: u16 = 110;
const ROWS: u16 = 34;
const CTRL_R: &[u8] = b"\x12";

/// `n`, a date and a pain score, then the warnings shown; saved.
fn record(t: &mut Term, day: NaiveDate) -> String {
    t.key_then(b"n", "New session — Ana Souza");
    let when = format!("{day} 10:00");
    t.fill("Date and time", &when);
    t.fill("Pain", "2");
    let form = t.screen();
    t.press(CTRL_S);
    t.wait_for(&format!("Recorded the session of {when}"));
    form
}

/// The client screen's detail pane shows the session of `day`.
fn detail_shows(screen: &str, day: NaiveDate) -> bool {
    screen.contains(&format!("When: {day} 10:00"))
}

#[test]
fn sessions_out_of_order_follow_up_on_the_one_just_saved_undo_redo() {
    let today = Local::now().date_naive();
    let ago = |n: u64| today.checked_sub_days(Days::new(n)).unwrap();
    let (first, last, between) = (ago(100), ago(30), ago(90));

    let (sandbox, mut t) = Sandbox::with_empty_interface(COLS, ROWS);

    // A client whose series started before the first session.
    t.type_new_client("Ana Souza");
    t.fill("Started on", &ago(120).to_string());
    t.press(CTRL_S);
    t.wait_for("Added Ana Souza");

    // Two sessions on different past dates.
    record(&mut t, first);
    // `n` was pressed on the home screen: back there.
    t.wait_for("Enter open");
    t.key_then(ENTER, "Sessions ·");
    record(&mut t, last);
    let screen = t.wait_until("the newest session selected", |s| detail_shows(s, last));
    assert!(screen.contains("Sessions ·"), "{}", framed(&screen));

    // A third dated between them: the warning names both neighbours.
    let form = record(&mut t, between);
    let warning = format!("between sessions: 10 days after {first}, 60 days before {last}");
    assert!(form.contains(&warning), "{}", framed(&form));
    t.wait_until("the session just saved selected", |s| {
        detail_shows(s, between)
    });

    // The follow-up goes onto that session.
    let form = t.key_then(b"f", "Follow-up — Ana Souza");
    assert!(
        form.contains(&format!("session of {between}")),
        "{}",
        framed(&form)
    );
    t.fill("Redness (days)", "1.5");
    t.press(CTRL_S);
    t.wait_for("Saved the follow-up");

    // Undo takes it back (this client's own change: no question), and
    // Ctrl-R puts it back, on the same session, which stays selected.
    t.press(b"u");
    t.wait_for("Undone: follow-up");
    t.wait_until("no follow-up on the session", |s| {
        detail_shows(s, between) && s.contains("follow-up not recorded")
    });
    t.press(CTRL_R);
    t.wait_for("Redone: follow-up");
    t.wait_until("the follow-up back on the session", |s| {
        detail_shows(s, between) && !s.contains("follow-up not recorded")
    });

    t.press(b"q");
    assert!(t.wait_exit().success());

    // The database: three sessions; the follow-up, redone, on the middle one.
    let doc = sandbox.export_json(&sandbox.db());
    let series = &doc["clients"][0]["series"][0];
    assert_eq!(series["started_on"], ago(120).to_string());
    let sessions = series["sessions"].as_array().unwrap();
    let days: Vec<String> = sessions
        .iter()
        .map(|x| x["performed_at"].as_str().unwrap()[..10].to_string())
        .collect();
    assert_eq!(
        days,
        [first.to_string(), between.to_string(), last.to_string()]
    );
    let redness: Vec<String> = sessions
        .iter()
        .map(|x| x["followup"]["redness_days"].to_string())
        .collect();
    assert_eq!(redness, ["null", "1.5", "null"], "{doc:#}");
}
