//! What the terminal loop tells the interface goes through actions like
//! everything else: a warning at start, and the background check finding
//! damage (the interface turns read-only and says so).

mod support;

use needlelog::app::Action;
use support::app::App;

#[test]
fn a_warning_at_start_is_shown_as_an_error_line() {
    let mut app = App::empty((80, 24));
    app.act(vec![Action::Warn("on a network drive".into())]);
    let status = app.state.status.clone().unwrap();
    assert!(status.error);
    assert_eq!(status.text, "on a network drive");
    assert!(app.screen().contains("on a network drive"));
}

#[test]
fn damage_found_in_the_background_makes_the_interface_read_only() {
    let mut app = App::with_clients(3, (80, 24));
    assert!(!app.state.read_only);
    app.act(vec![Action::Damaged("page 7 is corrupt".into())]);
    assert!(app.state.read_only);
    assert_eq!(
        app.status(),
        "The database is damaged (page 7 is corrupt): read-only. Restore a backup."
    );
    // Writes are refused from now on.
    app.keys("a");
    assert!(app.state.form.is_none());
    assert!(app.status().contains("Read-only"), "{}", app.status());
}
