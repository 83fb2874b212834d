//! The right record, every time: after a save the cursor is on what was
//! saved, interval warnings measure from the neighbours by date, a series'
//! start follows its earliest session, and forms close back to where they
//! were opened.

mod support;

use chrono::NaiveDate;
use needlelog::app::Screen;
use needlelog::app::field_key::FieldKey;
use needlelog::app::list::View;
use needlelog::domain::{ClientDraft, Concern, SeriesDraft};
use support::app::App;
use support::today;

const SIZE: (u16, u16) = (100, 30);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The application on an empty store that then gets [`client`]; returns
/// it and the client's id.
fn app_with_client(name: &str, started: NaiveDate, dob: Option<NaiveDate>) -> (App, i64) {
    let mut app = App::empty(SIZE);
    let id = client(&mut app, name, started, dob);
    (app, id)
}

/// A consenting client with an acne-scar series started on `started`,
/// selected on the home screen.
fn client(app: &mut App, name: &str, started: NaiveDate, dob: Option<NaiveDate>) -> i64 {
    let mut c = ClientDraft::named(name);
    c.consent_on = Some(d(2026, 1, 1));
    c.date_of_birth = dob;
    let s = SeriesDraft::new(Concern::AcneScars, started);
    let id = app.store.create_client(&c, Some(&s)).unwrap().id;
    let loaded = needlelog::app::effects::run(&mut app.store, &needlelog::app::Effect::LoadClients);
    app.act(loaded);
    app.select(name);
    id
}

/// Moves the form's focus to the field `key` (by Tab).
fn focus(app: &mut App, key: &str) {
    for _ in 0..40 {
        let form = &app.state.form.as_ref().expect("a form is open").form;
        if form.fields[form.focus].key.as_ref() == key {
            return;
        }
        app.keys("<Tab>");
    }
    panic!("no field {key} in the form");
}

/// Replaces the value of field `key`: focus it, Ctrl-U, type.
fn fill(app: &mut App, key: &str, text: &str) {
    focus(app, key);
    app.keys("<C-u>");
    app.type_text(text);
}

fn warnings(app: &App) -> Vec<String> {
    let form = &app.open_form().form;
    form.warnings.iter().map(ToString::to_string).collect()
}

/// On the client screen: `n`, the date, a pain score, then the warnings
/// the form showed; saved with Ctrl-S.
fn record(app: &mut App, when: &str) -> Vec<String> {
    app.keys("n");
    fill(app, "when", when);
    fill(app, "pain", "2");
    let w = warnings(app);
    app.keys("<C-s>");
    assert!(
        app.state.form.is_none(),
        "saved: {} {:?}",
        app.status(),
        app.state.form.as_ref().map(|f| f.form.invalid_fields())
    );
    w
}

fn selected_day(app: &App) -> String {
    app.state
        .current_session()
        .expect("a session is selected")
        .data
        .performed_at
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn the_session_just_saved_is_selected_and_f_e_act_on_it() {
    let (mut app, _) = app_with_client("Ana Souza", d(2026, 8, 1), None);
    app.keys("<Enter>");
    record(&mut app, "2026-09-01 10:00");
    assert_eq!(selected_day(&app), "2026-09-01");
    record(&mut app, "2026-11-10 10:00");
    assert_eq!(
        selected_day(&app),
        "2026-11-10",
        "the new session, not the first"
    );
    app.keys("f");
    assert!(
        app.open_form().form.title.contains("session of 2026-11-10"),
        "{}",
        app.open_form().form.title
    );
    app.keys("<Esc>");

    // A session dated between the two: selected where it sits by date.
    let w = record(&mut app, "2026-09-11 10:00");
    assert!(
        w.iter()
            .any(|w| w.contains("10 days after 2026-09-01")
                && w.contains("60 days before 2026-11-10")),
        "{w:?}"
    );
    assert!(!w.iter().any(|w| w.contains("88")), "{w:?}");
    assert_eq!(selected_day(&app), "2026-09-11");
    assert!(
        app.screen().contains("2026-09-11"),
        "the detail pane shows it"
    );

    // Its follow-up goes onto it, and it stays selected.
    app.keys("f");
    fill(&mut app, "redness", "1.5");
    app.keys("<C-s>");
    assert_eq!(app.status(), "Saved the follow-up");
    assert_eq!(selected_day(&app), "2026-09-11");
    let x = app.state.current_session().unwrap().clone();
    assert_eq!(
        app.store
            .session(x.id)
            .unwrap()
            .data
            .followup
            .redness_days
            .map(|d| d.to_string()),
        Some("1.5".into())
    );

    // Editing moves it in time; the cursor follows it.
    app.keys("e");
    fill(&mut app, "when", "2026-10-20 09:30");
    app.keys("<C-s>");
    assert_eq!(app.status(), "Saved the session");
    assert_eq!(selected_day(&app), "2026-10-20");
    assert_eq!(app.state.current_session().unwrap().id, x.id);
}

#[test]
fn an_edited_date_is_checked_against_its_neighbours() {
    let (mut app, _) = app_with_client("Ben Ode", d(2026, 8, 1), None);
    app.keys("<Enter>");
    record(&mut app, "2026-08-01 10:00");
    record(&mut app, "2026-09-05 10:00");
    record(&mut app, "2026-10-10 10:00");
    // Move the middle one to 5 days after the first.
    app.keys("k");
    assert_eq!(selected_day(&app), "2026-09-05");
    app.keys("e");
    fill(&mut app, "when", "2026-08-06 10:00");
    let w = warnings(&app);
    assert!(
        w.iter().any(|w| w
            .starts_with("between sessions: 5 days after 2026-08-01, 65 days before 2026-10-10")),
        "{w:?}"
    );
}

#[test]
fn a_client_added_or_edited_is_selected_even_in_another_view() {
    let mut app = App::with_clients(30, SIZE);
    // The overdue view, filtered: a new client is in neither.
    app.keys("dd");
    assert_eq!(app.state.view, View::Overdue);
    app.keys("a");
    app.type_text("Zoe Newcomer");
    app.keys("<C-s>");
    assert_eq!(app.status(), "Added Zoe Newcomer");
    assert_eq!(app.state.screen, Screen::Clients);
    assert_eq!(app.state.selected_row().unwrap().name, "Zoe Newcomer");

    // Sorted by name, a renamed client moves; the cursor goes with them.
    app.keys("s");
    app.keys("g");
    let first = app.state.selected_row().unwrap().name.clone();
    app.keys("e");
    fill(&mut app, "name", "Zz Renamed");
    app.keys("<C-s>");
    assert_eq!(app.status(), "Saved Zz Renamed", "was {first}");
    assert_eq!(app.state.selected_row().unwrap().name, "Zz Renamed");
    // It moved to its place in name order (not necessarily the last: "Đ"
    // sorts after "z").
    let keys: Vec<String> = app
        .visible_rows()
        .map(|r| needlelog::domain::name_key(&r.name))
        .collect();
    let at = app.state.selected;
    assert!(at > 0, "{keys:?}");
    assert!(
        keys[..at].iter().all(|k| k.as_str() < "zz renamed")
            && keys[at + 1..].iter().all(|k| k.as_str() > "zz renamed"),
        "{keys:?}"
    );
}

#[test]
fn the_first_series_has_a_start_date_and_an_earlier_session_moves_it() {
    let mut app = App::empty(SIZE);
    app.keys("a");
    app.type_text("Cleo Start");
    fill(&mut app, "started", "2026-09-01");
    app.keys("<C-s>");
    assert_eq!(app.status(), "Added Cleo Start");
    let c = app.store.find_client("Cleo Start").unwrap();
    let series = app.store.series_of(c.id).unwrap()[0].clone();
    assert_eq!(series.data.started_on, d(2026, 9, 1));

    app.keys("<Enter>");
    app.keys("n");
    fill(&mut app, "when", "2026-08-20 10:00");
    fill(&mut app, "pain", "1");
    let w = warnings(&app);
    assert!(
        w.contains(
            &"dated before the series started (2026-09-01): saving moves its start to 2026-08-20"
                .to_string()
        ),
        "{w:?}"
    );
    app.keys("<C-s>");
    assert_eq!(
        app.store.series(series.id).unwrap().data.started_on,
        d(2026, 8, 20)
    );
    assert!(app.screen().contains("2026-08-20"));
    let log = app.store.audit_for(&series.uuid.to_string()).unwrap();
    assert!(
        log.last()
            .unwrap()
            .summary
            .contains("from 2026-09-01 to 2026-08-20"),
        "{:?}",
        log.last()
    );
    // One undo takes back the session and the moved start together.
    app.keys("u");
    assert_eq!(
        app.store.series(series.id).unwrap().data.started_on,
        d(2026, 9, 1)
    );
    assert!(app.store.sessions_of(series.id).unwrap().is_empty());
}

#[test]
fn a_session_before_the_date_of_birth_is_refused() {
    let (mut app, id) = app_with_client("Dora Born", d(2026, 8, 1), Some(d(1990, 5, 4)));
    app.keys("<Enter>n");
    fill(&mut app, "when", "1990-05-03 10:00");
    assert_eq!(
        app.field_error("when").as_deref(),
        Some("before the client's date of birth (1990-05-04)")
    );
    app.keys("<C-s>");
    assert!(
        app.status().starts_with("Cannot save yet"),
        "{}",
        app.status()
    );
    // The store refuses it too, whoever asks.
    let series = app.store.series_of(id).unwrap()[0].id;
    let early = needlelog::domain::SessionDraft::at(d(1990, 5, 3).and_hms_opt(10, 0, 0).unwrap());
    let err = app.store.create_session(series, &early).unwrap_err();
    assert!(err.to_string().contains("date of birth"), "{err}");
    assert!(app.store.sessions_of(series).unwrap().is_empty());
    // Long ago but after birth: allowed, with a warning.
    fill(&mut app, "when", "2012-05-03 10:00");
    assert!(
        warnings(&app)
            .iter()
            .any(|w| w.contains("more than 10 years ago")),
        "{:?}",
        warnings(&app)
    );
}

#[test]
fn typing_into_a_prefilled_field_and_ctrl_u() {
    let (mut app, _) = app_with_client("Eli Type", d(2026, 8, 1), None);
    app.keys("<Enter>n");
    let field = app.open_form().form.field(FieldKey::When).unwrap().clone();
    assert_eq!(
        field.input.cursor(),
        field.value().chars().count(),
        "the cursor is at the end of the pre-filled value"
    );
    app.keys("<C-u>");
    assert_eq!(app.open_form().form.text(FieldKey::When), "");
    app.type_text("2026-11-05 11:00");
    assert_eq!(
        app.open_form().form.text(FieldKey::When),
        "2026-11-05 11:00"
    );
    // Enter on the last field stays there.
    let last = app.open_form().form.fields.len() - 1;
    focus(&mut app, "notes");
    assert_eq!(app.open_form().form.focus, last);
    app.keys("<Enter>");
    assert_eq!(app.open_form().form.focus, last);
}

#[test]
fn forms_close_back_to_where_they_were_opened() {
    let (mut app, _) = app_with_client("Fin Back", today(), None);
    // `n` on the home screen, then Esc: home again.
    app.keys("n");
    assert!(app.state.form.is_some());
    app.keys("<Esc>");
    assert!(app.state.form.is_none());
    assert_eq!(app.state.screen, Screen::Clients);
    // ... and Ctrl-S (twice: only the date) also goes home.
    app.keys("n<C-s><C-s>");
    assert!(app.status().starts_with("Recorded"), "{}", app.status());
    assert_eq!(app.state.screen, Screen::Clients);
    // `e` on the home screen saves back to it.
    app.keys("e<C-s>");
    assert_eq!(app.state.screen, Screen::Clients);
    // From the client screen, forms and the export dialog go back there.
    app.keys("<Enter>");
    assert_eq!(app.state.screen, Screen::Client);
    for keys in ["n<Esc>", "E<Esc>", "S<Esc>", "f<Esc>", "e<Esc>", "x<Esc>"] {
        app.keys(keys);
        assert!(app.state.form.is_none(), "{keys}");
        assert_eq!(app.state.screen, Screen::Client, "{keys}");
    }
}

#[test]
fn a_likely_duplicate_is_named_before_saving() {
    let (mut app, id) = app_with_client("Ana Souza", d(2026, 8, 1), Some(d(1990, 5, 4)));
    app.store.set_archived(id, true).unwrap();
    app.keys("a");
    app.type_text("ána  SOUZA");
    let w = warnings(&app);
    assert_eq!(
        w,
        [
            "possible duplicate of Ana Souza, born 1990-05-04, archived: check before adding the same person twice"
        ]
    );
    assert!(app.screen().contains("possible duplicate of Ana Souza"));
    // Another date of birth: another person.
    fill(&mut app, "dob", "1991-01-01");
    assert!(warnings(&app).is_empty(), "{:?}", warnings(&app));
    // The same one: warned, and saving past it is allowed.
    fill(&mut app, "dob", "1990-05-04");
    assert_eq!(warnings(&app).len(), 1);
    app.keys("<C-s>");
    assert_eq!(app.status(), "Added ána  SOUZA");
    assert_eq!(app.store.clients(true).unwrap().len(), 2);
    // Editing a client never warns about itself.
    app.keys("e");
    assert!(
        warnings(&app).len() == 1,
        "the archived namesake still counts"
    );
    app.keys("<Esc>");
}

#[test]
fn a_long_warning_wraps_rather_than_losing_its_end_at_80_columns() {
    let mut app = App::empty((80, 24));
    client(&mut app, "Gil Narrow", d(2026, 8, 1), None);
    app.keys("<Enter>");
    record(&mut app, "2026-08-01 10:00");
    record(&mut app, "2026-10-10 10:00");
    app.keys("n");
    fill(&mut app, "when", "2026-08-06 10:00");
    let screen = app.screen();
    for part in [
        "5 days after 2026-08-01",
        "65 days before",
        "2026-10-10",
        "(planned 28–42 days apart)",
    ] {
        assert!(screen.contains(part), "{part:?} missing:\n{screen}");
    }
}
