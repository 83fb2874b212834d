//! The interface driven by keys through `update`, against a real store:
//! what a practitioner does between two appointments.

mod support;

use needlelog::app::field_key::FieldKey;
use needlelog::app::{Confirm, Screen};
use needlelog::domain::{
    Acknowledged, ClientDraft, Concern, ScreeningItem, ScreeningKind, SeriesDraft, SessionDraft,
};
use support::app::{App, now};
use support::today;

const SMALL: (u16, u16) = (80, 24);

#[test]
fn empty_database_says_how_to_start() {
    let app = App::empty(SMALL);
    let screen = app.screen();
    assert!(screen.contains("No clients yet."), "{screen}");
    assert!(
        screen.contains("Press a to add your first client"),
        "{screen}"
    );
}

#[test]
fn add_a_client_with_just_a_name() {
    let mut app = App::empty(SMALL);
    app.keys("a");
    assert!(app.state.form.is_some());
    app.type_text("Ana Souza");
    app.keys("<C-s>");
    assert!(
        app.state.form.is_none(),
        "form closed after save: {}",
        app.status()
    );
    assert_eq!(app.status(), "Added Ana Souza");
    let clients = app.store.clients(false).unwrap();
    assert_eq!(clients.len(), 1);
    assert_eq!(clients[0].data.name, "Ana Souza");
    let series = app.store.series_of(clients[0].id).unwrap();
    assert_eq!(series.len(), 1, "the first series comes with the client");
    let s = &series[0].data;
    assert_eq!(
        (s.planned_sessions, s.interval_min_days, s.interval_max_days),
        (4, 28, 42),
        "the built-in acne-scar series (DOMAIN.md)"
    );
    assert!(app.screen().contains("Ana Souza"));
}

#[test]
fn record_a_session_with_defaults_then_follow_up_chart_and_undo() {
    let mut app = App::empty(SMALL);
    app.keys("a");
    app.type_text("Bea Lind");
    app.keys("<C-s>");
    // `n` on the home screen opens the client and the session form.
    app.keys("n");
    assert_eq!(app.state.screen, Screen::Client);
    let form = &app.state.form.as_ref().expect("session form").form;
    assert_eq!(
        form.text(FieldKey::When),
        "2026-11-21 10:00",
        "the date defaults to now"
    );
    app.keys("<C-s>");
    assert_eq!(
        app.status(),
        "Only the date is recorded — Ctrl-S again saves it as it is, Esc cancels"
    );
    assert!(
        app.store
            .series_of(app.store.find_client("Bea Lind").unwrap().id)
            .unwrap()
            .iter()
            .all(|s| app.store.sessions_of(s.id).unwrap().is_empty()),
        "the first Ctrl-S saves nothing"
    );
    app.keys("<C-s>");
    assert_eq!(app.status(), "Recorded the session of 2026-11-21 10:00");
    // `n` was pressed on the home screen: saving goes back there, on the client.
    assert_eq!(app.state.screen, Screen::Clients);
    assert_eq!(app.state.selected_row().unwrap().name, "Bea Lind");
    app.keys("<Enter>");
    let c = app.store.find_client("Bea Lind").unwrap();
    let series = app.store.series_of(c.id).unwrap();
    let sessions = app.store.sessions_of(series[0].id).unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].data.performed_at, now());
    assert!(app.screen().contains("2026-11-21"));

    // Follow-up: redness 2.5 days, swelling 1, peeling 3.
    app.keys("f");
    app.keys("<Tab>");
    app.type_text("2.5");
    app.keys("<Tab>");
    app.type_text("1");
    app.keys("<Tab>");
    app.type_text("3");
    app.keys("<C-s>");
    assert_eq!(app.status(), "Saved the follow-up");
    let f = app.store.session(sessions[0].id).unwrap().data.followup;
    assert_eq!(f.redness_days.unwrap().to_string(), "2.5");
    assert_eq!(f.peeling_days.unwrap().to_string(), "3");

    app.keys("c");
    assert_eq!(app.state.screen, Screen::Chart);
    assert!(app.screen().contains("Downtime · 1 row"));
    app.keys("<Esc>");
    assert_eq!(app.state.screen, Screen::Client);

    // Undo walks back: the follow-up, then the session, then the client.
    app.keys("u");
    assert!(
        app.status().starts_with("Undone: follow-up"),
        "{}",
        app.status()
    );
    assert!(
        !app.store
            .session(sessions[0].id)
            .unwrap()
            .data
            .followup
            .is_recorded()
    );
    app.keys("u");
    assert!(
        app.status().starts_with("Undone: record session"),
        "{}",
        app.status()
    );
    assert!(app.store.sessions_of(series[0].id).unwrap().is_empty());
    app.keys("u");
    assert!(
        app.status().contains("add client Bea Lind"),
        "{}",
        app.status()
    );
    assert!(app.store.clients(true).unwrap().is_empty());
    app.keys("u");
    assert_eq!(app.status(), "Nothing to undo");
}

#[test]
fn save_is_refused_naming_the_invalid_fields() {
    let mut app = App::empty(SMALL);
    app.keys("a<C-s>");
    assert!(app.state.form.is_some(), "form stays open");
    assert!(
        app.status().contains("Cannot save yet — fix: Name"),
        "{}",
        app.status()
    );
    assert_eq!(app.field_error("name").as_deref(), Some("required"));
    assert!(
        app.store.clients(true).unwrap().is_empty(),
        "nothing written"
    );
}

#[test]
fn fields_validate_as_you_type() {
    let mut app = App::empty(SMALL);
    app.keys("a");
    app.type_text("Cleo");
    // Date field: an impossible day, or one to come, is refused with the
    // reason, which goes again with the text.
    app.keys("<Tab>");
    for (typed, error) in [
        ("2026-02-30", "2026-02-30 is not a day of the calendar"),
        ("2030-01-01", "cannot be in the future"),
    ] {
        app.type_text(typed);
        assert_eq!(app.field_error("dob").as_deref(), Some(error));
        app.keys(&"<BS>".repeat(typed.len()));
        assert_eq!(app.field_error("dob"), None);
    }
    // Choice field: Fitzpatrick cycles with the arrows.
    app.keys("<Tab><Tab><Tab><Right><Right><Right><Right>");
    assert_eq!(app.open_form().form.selected(FieldKey::Fitzpatrick), 4);
    // Number field: planned sessions out of range.
    app.focus_field("planned");
    app.keys("<BS>");
    app.type_text("13");
    assert_eq!(app.field_error("planned").as_deref(), Some("1–12 (got 13)"));
    app.keys("<BS><BS>");
    app.type_text("x");
    assert_eq!(
        app.field_error("planned").as_deref(),
        Some("'x' is not a whole number")
    );
    app.keys("<BS>");
    app.type_text("6");
    assert_eq!(app.field_error("planned"), None);
    // Multi-choice field: zones toggle with Space.
    app.focus_field("zones");
    app.keys("<Right><Right><Right><Space>");
    assert_eq!(app.open_form().form.checked(FieldKey::Zones), [3]);
    app.keys("<C-s>");
    let c = app.store.find_client("Cleo").unwrap();
    assert_eq!(c.data.fitzpatrick.unwrap().number(), 4);
    let s = &app.store.series_of(c.id).unwrap()[0].data;
    assert_eq!(s.planned_sessions, 6);
    assert_eq!(s.zones, [needlelog::domain::Zone::Cheeks]);
}

#[test]
fn session_numbers_are_checked_against_their_ranges() {
    let mut app = App::empty(SMALL);
    app.keys("a");
    app.type_text("Dora");
    app.keys("<C-s>n");
    app.focus_field("depth");
    app.type_text("3.5");
    assert_eq!(
        app.field_error("depth").as_deref(),
        Some("0.1 mm–3.0 mm (got 3.5)")
    );
    app.keys("<BS><BS><BS>");
    app.type_text("-1");
    assert_eq!(
        app.field_error("depth").as_deref(),
        Some("cannot be negative")
    );
    app.keys("<BS><BS>");
    app.type_text("NaN");
    assert_eq!(
        app.field_error("depth").as_deref(),
        Some("'NaN' is not a number")
    );
    app.keys("<BS><BS><BS>");
    app.focus_field("erythema");
    app.type_text("5");
    assert_eq!(app.field_error("erythema").as_deref(), Some("0–4 (got 5)"));
    app.focus_field("score");
    app.type_text("0");
    // Acne scars are graded 1–4 (Goodman & Baron).
    assert!(
        app.field_error("score").unwrap().contains("1–4"),
        "{:?}",
        app.field_error("score")
    );
    app.keys("<C-s>");
    assert!(
        app.status().contains("Erythema") && app.status().contains("Outcome score"),
        "{}",
        app.status()
    );
}

fn client_with_history(
    app: &mut App,
    name: &str,
    screening: Vec<ScreeningItem>,
    last_session_days_ago: u64,
) {
    let mut c = ClientDraft::named(name);
    c.consent_on = Some(today() - chrono::Days::new(100));
    c.screening = screening;
    let mut s = SeriesDraft::new(Concern::AcneScars, today() - chrono::Days::new(60));
    s.zones = vec![needlelog::domain::Zone::Cheeks];
    let client = app.store.create_client(&c, Some(&s)).unwrap();
    let series = app.store.series_of(client.id).unwrap()[0].id;
    let when = now() - chrono::Duration::days(last_session_days_ago as i64);
    let mut session = SessionDraft::at(when);
    session.depth_mm = Some(needlelog::domain::Depth::parse("depth", "1.0").unwrap());
    app.store.create_session(series, &session).unwrap();
    app.act(vec![needlelog::app::Action::Resize(
        app.state.size.0,
        app.state.size.1,
    )]);
    let loaded = needlelog::app::effects::run(&mut app.store, &needlelog::app::Effect::LoadClients);
    app.act(loaded);
    app.select(name);
}

#[test]
fn too_soon_and_isotretinoin_warnings_show_and_are_recorded() {
    let mut app = App::empty((100, 30));
    let iso = ScreeningItem {
        kind: ScreeningKind::Isotretinoin,
        date: Some(today() - chrono::Days::new(60)),
        note: String::new(),
    };
    client_with_history(&mut app, "Eva Moreau", vec![iso], 10);
    app.keys("n");
    let warnings = app.warnings_shown();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(warnings[0].starts_with("only the date is recorded"));
    assert!(
        warnings[1].starts_with(
            "too soon: last session 2026-11-11, window opens 2026-12-09 (18 days early)"
        )
    );
    assert!(warnings[2].starts_with("pre-treatment check not confirmed"));
    assert!(
        warnings[3].starts_with("isotretinoin: last dose 2026-09-22"),
        "{warnings:?}"
    );
    let screen = app.screen();
    assert!(screen.contains("⚠ caution: too soon"), "{screen}");
    assert!(screen.contains("■ STOP: isotretinoin"), "{screen}");
    app.keys("<C-s><C-s>");
    let c = app.store.find_client("Eva Moreau").unwrap();
    let series = app.store.series_of(c.id).unwrap()[0].id;
    let latest = app.store.sessions_of(series).unwrap().pop().unwrap();
    let recorded = &latest.data.acknowledged_warnings;
    assert!(
        recorded.iter().all(|a| matches!(a, Acknowledged::Coded(_))),
        "recorded by code: {recorded:?}"
    );
    let texts: Vec<String> = recorded.iter().map(ToString::to_string).collect();
    assert_eq!(texts, warnings, "saving past a warning records it");
}

#[test]
fn no_warning_inside_the_window() {
    let mut app = App::empty((100, 30));
    client_with_history(&mut app, "Fay", vec![], 30);
    app.keys("n");
    // Nothing present today, confirmed.
    app.keys("<C-o>");
    // Past the date-only warning: a pain score is something recorded.
    for _ in 0..18 {
        app.keys("<Tab>");
    }
    assert_eq!(
        app.open_form().form.fields[app.open_form().form.focus].key,
        FieldKey::Pain
    );
    app.type_text("2");
    let warnings = &app.open_form().form.warnings;
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn depth_defaults_to_the_last_session() {
    let mut app = App::empty((100, 30));
    client_with_history(&mut app, "Gia", vec![], 30);
    app.keys("n");
    assert_eq!(app.open_form().form.text(FieldKey::Depth), "1.0");
}

#[test]
fn escape_asks_before_losing_typed_text_and_never_quits_home() {
    let mut app = App::empty(SMALL);
    app.keys("<Esc><Esc>");
    assert!(!app.state.quit, "Esc on the home screen never quits");
    app.keys("a");
    app.type_text("Half typed");
    app.keys("<Esc>");
    assert!(app.state.confirm.is_some(), "asks first");
    app.keys("n");
    assert_eq!(app.open_form().form.text(FieldKey::Name), "Half typed");
    app.keys("<Esc>y");
    assert!(app.state.form.is_none());
    // A form with nothing typed closes at once.
    app.keys("a<Esc>");
    assert!(app.state.form.is_none() && app.state.confirm.is_none());
    // `q` in a form is a letter, not quit.
    app.keys("aq");
    assert_eq!(app.open_form().form.text(FieldKey::Name), "q");
    assert!(!app.state.quit);
    app.keys("<C-c>");
    assert!(
        app.state.confirm.is_some(),
        "Ctrl-C asks when the form has changes"
    );
    app.keys("y");
    assert!(app.state.quit);
}

#[test]
fn archive_and_undo() {
    let mut app = App::with_clients(20, SMALL);
    let name = app.state.selected_row().unwrap().name.clone();
    let before = app.state.visible.len();
    app.keys("A");
    assert!(app.state.confirm.is_some());
    app.keys("y");
    assert_eq!(app.state.visible.len(), before - 1);
    assert!(app.status().starts_with("Archived"), "{}", app.status());
    // The archived client left the list and the cursor is on another one:
    // undo names whom the change is about, and asks.
    let next = app.state.selected_row().unwrap().name.clone();
    app.keys("u");
    match &app.state.confirm {
        Some(Confirm::Revert {
            summary,
            about,
            on_screen,
            ..
        }) => {
            assert_eq!(summary, &format!("archive client {name}"));
            assert_eq!((about, on_screen), (&name, &Some(next)));
        }
        other => panic!("expected the undo question, got {other:?}"),
    }
    app.keys("y");
    assert_eq!(app.state.visible.len(), before);
    assert!(
        app.status().contains(&format!("archive client {name}")),
        "{}",
        app.status()
    );
    assert_eq!(
        app.state.selected_row().unwrap().name,
        name,
        "the client back from the archive is selected"
    );
}

#[test]
fn edit_a_client_and_undo_the_edit() {
    let mut app = App::empty(SMALL);
    app.keys("a");
    app.type_text("Hal");
    app.keys("<C-s>e");
    app.type_text("e Berry");
    app.keys("<C-s>");
    assert_eq!(app.status(), "Saved Hale Berry");
    app.keys("u");
    assert_eq!(app.store.clients(false).unwrap()[0].data.name, "Hal");
}

#[test]
fn filter_view_and_sort() {
    let mut app = App::with_clients(60, (100, 30));
    let total = app.state.visible.len();
    app.keys("/");
    app.type_text("zoe");
    assert!(!app.state.visible.is_empty() && app.state.visible.len() < total);
    for &i in &app.state.visible {
        let name = app.state.rows.rows[i].name.to_lowercase();
        assert!(name.contains('z') && name.contains('o'), "{name}");
    }
    app.keys("<Esc>");
    assert_eq!(app.state.visible.len(), total);
    app.keys("d");
    assert_eq!(app.state.view, needlelog::app::list::View::DueNow);
    assert!(!app.state.visible.is_empty());
    for &i in &app.state.visible {
        assert!(app.state.rows.due[i].unwrap().is_due_now());
    }
    app.keys("d");
    for &i in &app.state.visible {
        assert!(app.state.rows.due[i].unwrap().is_overdue());
    }
    app.keys("d");
    for &i in &app.state.visible {
        assert!(app.state.rows.rows[i].followup_pending);
    }
    app.keys("dd");
    assert_eq!(app.state.view, needlelog::app::list::View::All);
    app.keys("s");
    let names: Vec<String> = app
        .state
        .visible
        .iter()
        .map(|&i| app.state.rows.rows[i].name.to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    app.keys("s");
    let visits: Vec<_> = app.visible_rows().map(|r| r.last_visit).collect();
    assert!(
        visits.windows(2).all(|w| w[0] >= w[1]),
        "most recent visit first"
    );
}

#[test]
fn moving_keeps_the_selection_on_screen() {
    let mut app = App::with_clients(200, SMALL);
    app.keys("G");
    assert_eq!(app.state.selected, app.state.visible.len() - 1);
    let name = app.state.selected_row().unwrap().name.clone();
    assert!(app.screen().contains(&name));
    app.keys("g");
    assert_eq!((app.state.selected, app.state.offset), (0, 0));
    app.keys("<PgDn><C-d>jjk");
    let page = needlelog::app::layout::clients_page(SMALL);
    assert_eq!(app.state.selected, page + page / 2 + 1);
    assert!(app.state.selected >= app.state.offset && app.state.selected < app.state.offset + page);
}

#[test]
fn every_small_size_renders_without_panic() {
    let mut app = App::with_clients(30, SMALL);
    app.keys("<Enter>");
    for w in 1..=61u16 {
        for h in 1..=17u16 {
            app.act(vec![needlelog::app::Action::Resize(w, h)]);
            let screen = app.screen();
            if w < 60 || h < 16 {
                assert!(
                    screen.replace('\n', " ").contains("Terminal") || w < 9,
                    "{w}x{h}: {screen}"
                );
            }
        }
    }
}

#[test]
fn client_notes_stay_with_the_client_not_the_first_series() {
    let mut app = App::empty(SMALL);
    app.keys("a");
    app.type_text("Ivy");
    app.focus_field("notes");
    app.type_text("prefers mornings");
    app.keys("<C-s>");
    let c = app.store.find_client("Ivy").unwrap();
    assert_eq!(c.data.notes, "prefers mornings");
    assert_eq!(app.store.series_of(c.id).unwrap()[0].data.notes, "");
}

/// The settings file's `[keys]`: `add_client = "+"` and `quit = "Q"`.
fn remapped() -> needlelog::app::keymap::Keymap {
    let overrides = [("add_client", "+"), ("quit", "Q")]
        .map(|(a, k)| (a.to_string(), k.to_string()))
        .into();
    needlelog::app::keymap::Keymap::with_overrides(&overrides).unwrap()
}

#[test]
fn a_remapped_key_works_and_the_old_one_does_not() {
    let mut app = App::empty(SMALL);
    app.state.keymap = remapped();
    // What the empty list says follows the keys too.
    assert!(
        app.screen()
            .contains("Press + to add your first client: type the name, then Ctrl-S."),
        "{}",
        app.screen()
    );
    assert!(app.screen().contains("quit (Q)"), "{}", app.screen());
    app.keys("a");
    assert!(app.state.form.is_none(), "a no longer adds a client");
    app.keys("+");
    assert!(app.state.form.is_some(), "+ adds a client");
    app.type_text("Ana Remap");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.screen());
    assert!(app.visible_rows().any(|r| r.name == "Ana Remap"));
    app.keys("q");
    assert!(!app.state.quit, "q no longer quits");
    app.keys("Q");
    assert!(app.state.quit, "Q quits");
}

#[test]
fn a_remapped_key_shows_in_the_hint_bar_and_the_help() {
    let mut app = App::with_clients(3, (200, 50));
    app.state.keymap = remapped();
    let hint_bar = app.screen().lines().last().unwrap_or_default().to_string();
    assert!(hint_bar.contains("+ add"), "{hint_bar}");
    assert!(!hint_bar.contains(" a add"), "{hint_bar}");
    assert!(hint_bar.contains("Q quit"), "{hint_bar}");
    let help = needlelog::ui::help_text_for(&app.state.keymap);
    let line = |does: &str| {
        help.iter()
            .find(|l| l.ends_with(does))
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        line("add a client (with a first series)")
            .trim_start()
            .starts_with("+ "),
        "{help:?}"
    );
    assert!(
        help.iter()
            .any(|l| l.trim_start().starts_with("Q ") && l.ends_with(" quit")),
        "{help:?}"
    );
    assert!(!help.iter().any(|l| l.trim_start().starts_with("q ")));
    // And in the overlay as drawn.
    app.keys("?");
    assert!(app.screen().contains("  +   "), "{}", app.screen());
}
