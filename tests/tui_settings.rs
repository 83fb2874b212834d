//! The settings take effect in the interface: per-concern series plans and
//! the usual products fill new forms, and the practice's isotretinoin
//! window and prolonged-erythema threshold change what is flagged.

mod support;

use chrono::{Duration, TimeZone, Utc};
use needlelog::app::State;
use needlelog::app::run::start;
use needlelog::db::{Clock, Store};
use needlelog::domain::{
    ClientDraft, Concern, ScreeningItem, ScreeningKind, SeriesDraft, SessionDraft,
};
use support::app::{App, now};
use support::today;

/// Ana, with an acne-scar series started a month ago and `sessions`
/// sessions (the newest four days ago, device "SkinPen"); the interface
/// runs with the settings `toml`.
fn ana(toml: &str, sessions: usize, client: ClientDraft) -> App {
    let (settings, _) = needlelog::config::parse(toml, "test.toml").expect("valid settings");
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("test.db")).unwrap();
    store.set_clock(Clock::Fixed(Utc.from_utc_datetime(&now())));
    let series = SeriesDraft::new(Concern::AcneScars, today() - Duration::days(60));
    let c = store.create_client(&client, Some(&series)).unwrap();
    let s = store.series_of(c.id).unwrap()[0].id;
    for i in 0..sessions {
        let at = (today() - Duration::days(4 + 40 * i as i64))
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let mut x = SessionDraft::at(at);
        x.device = "SkinPen".into();
        store.create_session(s, &x).unwrap();
    }
    let mut state =
        State::new(now(), (120, 40), "test.db", false).with_settings(settings, "test.toml".into());
    state.color = false;
    start(&mut state, &mut store);
    App { state, store, dir }
}

fn named() -> ClientDraft {
    let mut c = ClientDraft::named("Ana Souza");
    c.consent_on = Some(today() - Duration::days(100));
    c
}

fn text(app: &App, key: &str) -> String {
    app.open_form()
        .form
        .text(key.parse().expect("a field name"))
        .to_string()
}

fn warnings(app: &App) -> String {
    let w = &app.open_form().form.warnings;
    w.iter().map(|w| format!("{w}\n")).collect()
}

#[test]
fn a_per_concern_default_fills_the_new_series_and_add_client_forms() {
    let plan = "[defaults.series.acne_scars]\nplanned_sessions = 5\ninterval_min_days = 21\n";
    for (toml, planned, min, max) in [("", "4", "28", "42"), (plan, "5", "21", "42")] {
        let mut app = ana(toml, 1, named());
        app.keys("<Enter>S");
        assert!(app.open_form().form.title.starts_with("New series"));
        assert_eq!(text(&app, "planned"), planned, "{toml}");
        assert_eq!(text(&app, "interval_min"), min);
        assert_eq!(text(&app, "interval_max"), max);
        app.keys("<Esc><Esc>a");
        assert_eq!(app.open_form().form.title, "Add client");
        assert_eq!(text(&app, "planned"), planned);
        assert_eq!(text(&app, "interval_min"), min);
    }
}

#[test]
fn usual_products_fill_a_series_first_session_only() {
    let toml =
        "[defaults]\ndevice = \"Dr. Pen A6\"\ncartridge = \"16-pin\"\nnumbing = \"lidocaine 5%\"\n";
    let mut first = ana(toml, 0, named());
    first.keys("<Enter>n");
    assert_eq!(text(&first, "device"), "Dr. Pen A6");
    assert_eq!(text(&first, "cartridge"), "16-pin");
    assert_eq!(text(&first, "numbing"), "lidocaine 5%");
    // Later sessions carry over the one before.
    let mut later = ana(toml, 1, named());
    later.keys("<Enter>n");
    assert_eq!(text(&later, "device"), "SkinPen");
    // No settings: nothing filled in.
    let mut bare = ana("", 0, named());
    bare.keys("<Enter>n");
    assert_eq!(text(&bare, "device"), "");
}

#[test]
fn the_practice_s_isotretinoin_window_decides_the_warning() {
    let mut client = named();
    client.screening.push(ScreeningItem {
        kind: ScreeningKind::Isotretinoin,
        date: Some(today() - Duration::days(120)),
        note: String::new(),
    });
    let mut built_in = ana("", 0, client.clone());
    built_in.keys("<Enter>n");
    assert!(
        warnings(&built_in).contains("isotretinoin"),
        "{}",
        warnings(&built_in)
    );
    let mut three = ana("[rules]\nisotretinoin_months = 3\n", 0, client);
    three.keys("<Enter>n");
    assert!(
        !warnings(&three).contains("isotretinoin"),
        "{}",
        warnings(&three)
    );
}

#[test]
fn the_practice_s_prolonged_erythema_threshold_flags_the_follow_up() {
    for (toml, flagged) in [
        ("", false),
        ("[rules]\nprolonged_erythema_days = 3\n", true),
    ] {
        let mut app = ana(toml, 1, named());
        app.keys("<Enter>f");
        app.focus_field("redness");
        app.type_text("4");
        assert_eq!(
            warnings(&app).contains("redness over 3 days counts as prolonged erythema"),
            flagged,
            "{toml}: {}",
            warnings(&app)
        );
        app.keys("<C-s>");
        assert!(app.state.form.is_none(), "saved: {}", app.screen());
        let screen = app.screen();
        assert_eq!(
            screen.contains("redness over 3 days: prolonged erythema (not ticked)"),
            flagged,
            "{toml}:\n{screen}"
        );
    }
}

#[test]
fn choosing_a_concern_brings_its_plan_until_one_is_typed() {
    let toml = "[defaults.series.stretch_marks]\nplanned_sessions = 8\ninterval_min_days = 35\n";
    let mut app = ana(toml, 1, named());
    app.keys("<Enter>S");
    app.focus_field("concern");
    // Acne scars → fine lines: 3 sessions, 28–35 days, Lemperle.
    app.keys("<Right>");
    assert_eq!(text(&app, "planned"), "3");
    assert_eq!(text(&app, "interval_max"), "35");
    let scale = app.open_form().form.selected("scale".parse().unwrap());
    assert_eq!(
        needlelog::domain::OutcomeScale::ALL[scale],
        needlelog::domain::OutcomeScale::Lemperle
    );
    // On to stretch marks: the practice's own plan.
    app.keys("<Right><Right><Right><Right><Right>");
    assert_eq!(text(&app, "planned"), "8");
    assert_eq!(text(&app, "interval_min"), "35");
    assert_eq!(text(&app, "interval_max"), "42");
    // A plan typed by hand stays whatever the concern.
    app.set_input("planned", "2");
    app.keys("<Left>");
    assert_eq!(text(&app, "planned"), "2");
    assert_eq!(text(&app, "interval_min"), "35");
}
