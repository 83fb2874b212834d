//! The follow-up form (`f`) refuses a report of nothing, and the home
//! list's ◷ flag, its "follow-up pending" view and the client preview say
//! the same thing about the same client.

mod support;

use needlelog::app::list::View;
use needlelog::domain::{ClientDraft, NOTHING_TO_RECORD};
use support::app::App;

/// One client, Ana, with one session four days ago and no follow-up yet.
fn one_session(size: (u16, u16)) -> App {
    App::with_one_session(size, &ClientDraft::named("Ana Souza"))
}

fn pending_in_list(app: &App) -> bool {
    app.state.rows.rows[0].followup_pending
}

/// The list row's flag column and the preview both show ◷, or neither.
fn screen_shows_pending(app: &App) -> (bool, bool) {
    let screen = app.screen();
    let row = screen
        .lines()
        .find(|l| l.contains("Ana Souza") && l.contains("1/3"))
        .unwrap_or_else(|| panic!("no list row for Ana:\n{screen}"));
    (
        row.contains('◷'),
        screen.contains("◷ follow-up not recorded yet"),
    )
}

#[test]
fn an_empty_followup_is_refused_in_the_form() {
    let mut app = one_session((100, 30));
    assert!(pending_in_list(&app));
    assert_eq!(screen_shows_pending(&app), (true, true));
    app.keys("<Enter>f");
    assert!(app.state.form.is_some(), "{}", app.screen());
    // Only the report date is filled in: saving is refused, with the reason.
    app.keys("<C-s>");
    assert!(app.state.form.is_some(), "the form stayed open");
    let screen = app.screen();
    assert_eq!(
        screen.matches(NOTHING_TO_RECORD).count(),
        1,
        "one message, in full:\n{screen}"
    );
    assert!(
        app.status().starts_with("Cannot save yet"),
        "{}",
        app.status()
    );
    let id = app.store.find_client("Ana Souza").unwrap().id;
    let tree = app.store.client_tree(id).unwrap();
    let x = &tree.series[0].sessions[0];
    assert_eq!(x.data.followup, Default::default(), "nothing was written");

    // Esc leaves it; the client is still pending everywhere.
    app.keys("<Esc>");
    assert!(app.state.form.is_none());
    app.keys("<Esc>");
    assert!(pending_in_list(&app));
    assert_eq!(screen_shows_pending(&app), (true, true));
    app.keys("ddd");
    assert_eq!(app.state.view, View::FollowupPending);
    assert_eq!(app.state.visible.len(), 1);
}

#[test]
fn a_note_alone_records_the_followup_everywhere() {
    let mut app = one_session((100, 30));
    app.keys("<Enter>f");
    // Reported on, redness, swelling, peeling, adverse events, other, notes.
    app.keys("<Tab><Tab><Tab><Tab><Tab><Tab>");
    app.type_text("no reaction at all");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.screen());
    app.keys("<Esc>");
    assert!(!pending_in_list(&app));
    assert_eq!(screen_shows_pending(&app), (false, false));
    app.keys("ddd");
    assert_eq!(app.state.view, View::FollowupPending);
    assert!(app.state.visible.is_empty());
}
