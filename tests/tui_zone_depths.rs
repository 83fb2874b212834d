//! Zones needled at another depth than the session's (the forehead at
//! 0.35 mm while the cheeks take 1.2 for acne scars) are typed on the
//! session form, checked against each zone's usual depth, saved, and
//! carried to the next session's form like the depth itself.

mod support;

use needlelog::domain::{ClientDraft, Concern, Depth, SeriesDraft, Zone};
use support::app::App;
use support::today;

fn mm(text: &str) -> Depth {
    Depth::parse("depth", text).unwrap()
}

/// A consented client treated for acne scars on the cheeks and forehead,
/// their session form open with its check confirmed.
fn acne_scar_form() -> App {
    let mut app = App::empty((120, 40));
    let mut c = ClientDraft::named("Ines Duarte");
    c.consent_on = Some(today() - chrono::Days::new(100));
    let mut s = SeriesDraft::new(Concern::AcneScars, today() - chrono::Days::new(60));
    s.zones = vec![Zone::Forehead, Zone::Cheeks];
    app.store.create_client(&c, Some(&s)).unwrap();
    app.reload();
    app.select("Ines Duarte");
    app.keys("n<C-o>");
    app
}

fn depth_warnings(app: &App) -> Vec<String> {
    app.open_form()
        .form
        .warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.starts_with("depth "))
        .collect()
}

#[test]
fn another_depth_for_a_zone_is_checked_saved_and_carried() {
    let mut app = acne_scar_form();
    app.focus_field("depth");
    app.keys("<C-u>");
    app.type_text("1.2");
    // 1.2 mm suits acne-scarred cheeks, not the forehead.
    assert_eq!(
        depth_warnings(&app),
        ["depth 1.2 mm on forehead is outside the usual 0.25–0.5 mm"]
    );
    app.focus_field("zone_depths");
    app.type_text("Forehead 0.35");
    assert!(
        depth_warnings(&app).is_empty(),
        "{:?}",
        depth_warnings(&app)
    );
    let screen = app.screen();
    assert!(screen.contains("Other zones (mm)"), "{screen}");
    app.keys("<C-s><C-s>");
    assert!(app.state.form.is_none(), "saved: {}", app.screen());
    let c = app.store.find_client("Ines Duarte").unwrap();
    let series = app.store.series_of(c.id).unwrap()[0].id;
    let saved = app.store.sessions_of(series).unwrap().pop().unwrap().data;
    assert_eq!(saved.depth_mm, Some(mm("1.2")));
    assert_eq!(saved.zone_depths.get(&Zone::Forehead), Some(&mm("0.35")));
    assert!(
        app.screen().contains("Depth (mm): 1.2; forehead 0.35"),
        "{}",
        app.screen()
    );
    // The next session starts from the same depths.
    app.keys("n");
    let form = &app.open_form().form;
    assert_eq!(
        form.text("zone_depths".parse().unwrap()),
        "forehead 0.35",
        "{}",
        app.screen()
    );
    assert_eq!(form.text("depth".parse().unwrap()), "1.2");
}

#[test]
fn a_zone_depth_that_cannot_be_is_refused_by_name() {
    let mut app = acne_scar_form();
    app.focus_field("zone_depths");
    for (typed, error) in [
        ("elbow 0.5", "'elbow' is not a zone"),
        ("chin 0.75", "chin is not among the zones treated"),
        (
            "forehead",
            "'forehead': a zone and its depth, e.g. forehead 0.35",
        ),
        ("forehead 0.3; forehead 0.4", "forehead is given twice"),
    ] {
        app.set_input("zone_depths", typed);
        app.keys("<C-s>");
        assert_eq!(
            app.field_error("zone_depths").as_deref(),
            Some(error),
            "{typed}"
        );
        assert!(app.state.form.is_some(), "not saved with {typed:?}");
    }
    let c = app.store.find_client("Ines Duarte").unwrap();
    let series = app.store.series_of(c.id).unwrap()[0].id;
    assert!(app.store.sessions_of(series).unwrap().is_empty());
}

/// `n` on the home screen after a session was saved from there reads the
/// client afresh: the new form carries over from that session and warns
/// that it is too soon after it (a detail kept from before the save knew
/// neither).
#[test]
fn a_second_session_from_the_home_screen_knows_the_first() {
    let mut app = acne_scar_form();
    app.focus_field("depth");
    app.type_text("1.1");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "saved: {}", app.screen());
    assert!(
        app.screen().contains("Clients"),
        "back home: {}",
        app.screen()
    );
    app.keys("n");
    let shown = app.warnings_shown();
    assert!(
        shown
            .iter()
            .any(|w| w.starts_with("too soon: last session")),
        "{shown:?}"
    );
    assert_eq!(app.open_form().form.text("depth".parse().unwrap()), "1.1");
}
