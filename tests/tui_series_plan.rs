//! `p` edits the selected series' plan, `C` closes it early with a reason
//! or reopens it; a new scale for a scored series asks first. Keys against
//! a real store.

mod support;

use needlelog::app::Screen;
use needlelog::domain::{CloseReason, DueState, SeriesStatus};
use support::app::App;

/// The first demo client with a scored series, on that series.
fn on_scored_series() -> App {
    let mut app = App::with_clients(60, (120, 40));
    app.open_first("has a scored series", |s| {
        s.detail.as_ref().is_some_and(|t| {
            t.series
                .iter()
                .any(|st| st.sessions.iter().any(|x| x.data.outcome_score.is_some()))
        })
    });
    assert_eq!(app.state.screen, Screen::Client);
    while app
        .state
        .current_series()
        .is_some_and(|st| st.sessions.iter().all(|x| x.data.outcome_score.is_none()))
    {
        app.keys("<Tab>");
    }
    app
}

fn series_id(app: &App) -> i64 {
    app.state.current_series().unwrap().series.id
}

#[test]
fn the_plan_changes_and_one_undo_puts_it_back() {
    let mut app = on_scored_series();
    let id = series_id(&app);
    let before = app.store.series(id).unwrap();
    app.keys("p");
    assert!(app.screen().contains("Plan of the"), "{}", app.screen());
    app.focus_field("planned");
    app.keys("<C-u>");
    app.type_text("6");
    app.focus_field("notes");
    app.type_text("slower pace");
    app.keys("<Enter>");
    app.type_text("numbing 30 min");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    let after = app.store.series(id).unwrap();
    assert_eq!(after.data.planned_sessions, 6);
    assert_eq!(after.data.notes, "slower pace\nnumbing 30 min");
    assert_eq!(after.data.concern, before.data.concern);
    assert_eq!(series_id(&app), id, "the cursor stays on the series");
    app.keys("u");
    assert_eq!(app.store.series(id).unwrap().data, before.data);
}

#[test]
fn a_new_scale_asks_and_says_what_happens_to_the_scores() {
    let mut app = on_scored_series();
    let id = series_id(&app);
    let scored = app.store.scored_sessions(id).unwrap();
    assert!(scored > 0);
    let old = app.store.series(id).unwrap().data.outcome_scale;
    app.keys("p");
    app.focus_field("scale");
    app.keys("<Right>");
    app.focus_field("baseline");
    app.keys("<C-u>");
    app.type_text("2");
    app.keys("<C-s>");
    let screen = app.screen();
    assert!(
        screen.contains(&format!("The {scored} score(s) already recorded")),
        "{screen}"
    );
    // No: nothing changes, the form stays.
    app.keys("n");
    assert_eq!(app.store.series(id).unwrap().data.outcome_scale, old);
    assert!(app.state.form.is_some());
    app.keys("<C-s>y");
    assert!(app.state.form.is_none(), "{}", app.status());
    let new = app.store.series(id).unwrap().data.outcome_scale;
    assert_ne!(new, old);
    assert_eq!(app.store.scored_sessions(id).unwrap(), 0);
    // One undo: the old scale and every score.
    app.keys("u");
    assert_eq!(app.store.series(id).unwrap().data.outcome_scale, old);
    assert_eq!(app.store.scored_sessions(id).unwrap(), scored);
}

#[test]
fn a_series_closes_with_a_reason_shows_as_closed_and_reopens() {
    let mut app = App::with_clients(60, (120, 40));
    // A client whose current series is under way.
    let row = app
        .visible_rows()
        .find(|r| {
            r.series
                .as_ref()
                .is_some_and(|s| !s.closed && s.done > 0 && s.done < u32::from(s.planned))
        })
        .unwrap()
        .clone();
    app.select(&row.name);
    app.keys("<Enter>");
    let id = series_id(&app);
    app.keys("C");
    assert!(app.screen().contains("Reason"), "{}", app.screen());
    // "other" without a note is refused beside the field.
    app.focus_field("close_reason");
    app.keys("<Left>");
    app.keys("<C-s>");
    assert!(app.state.form.is_some());
    assert!(app.field_error("close_note").is_some());
    app.focus_field("close_note");
    app.type_text("moved abroad");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    let s = app.store.series(id).unwrap();
    assert_eq!(s.data.status, SeriesStatus::Closed);
    assert_eq!(s.data.closure.reason, Some(CloseReason::Other));
    assert_eq!(s.data.closure.note, "moved abroad");
    assert!(
        app.screen()
            .contains("closed 2026-11-21: other (moved abroad)"),
        "{}",
        app.screen()
    );
    // The home list says closed, not due.
    app.keys("<Esc>");
    let listed = app.visible_rows().find(|r| r.id == row.id).unwrap();
    assert_eq!(listed.due(support::today(), 6), Some(DueState::Closed));
    // C on a closed series asks, then reopens.
    app.keys("<Enter>C");
    assert!(app.screen().contains("Reopen the"), "{}", app.screen());
    app.keys("y");
    let s = app.store.series(id).unwrap();
    assert_eq!(s.data.status, SeriesStatus::Active);
    assert!(s.data.closure.is_empty());
}
