//! The pre-treatment check on the session form: the states of the day are
//! carried from the client's last answers (or, the first time, from the
//! pregnancy / active-infection screening items of older records), shown
//! as not yet confirmed, confirmed with one key (`Ctrl-O`), and saved with
//! the session; a cold-sore history prompts for antiviral prophylaxis until
//! the drug is recorded.

mod support;

use needlelog::app::field_key::FieldKey;
use needlelog::domain::{
    Acknowledged, ClientDraft, Concern, CurrentState, ScreeningItem, ScreeningKind, SeriesDraft,
    SessionDraft, Warning, Zone,
};
use support::app::App;
use support::{at, today};

/// A consented client with one series, `screening` on file, selected on
/// the home screen.
fn client(app: &mut App, name: &str, screening: &[ScreeningKind]) {
    let mut c = ClientDraft::named(name);
    c.consent_on = Some(today() - chrono::Days::new(100));
    c.screening = screening
        .iter()
        .map(|&kind| ScreeningItem {
            kind,
            date: None,
            note: String::new(),
        })
        .collect();
    let mut s = SeriesDraft::new(Concern::FineLines, today() - chrono::Days::new(60));
    s.zones = vec![Zone::Forehead];
    app.store.create_client(&c, Some(&s)).unwrap();
    app.reload();
    app.select(name);
}

#[test]
fn the_legacy_pregnancy_item_is_carried_unconfirmed_then_confirmed_with_one_key() {
    let mut app = App::empty((120, 45));
    client(
        &mut app,
        "Lea Legacy",
        &[
            ScreeningKind::PregnancyBreastfeeding,
            ScreeningKind::ColdSores,
        ],
    );
    app.keys("n");
    let screen = app.screen();
    // Carried from the screening on file, ticked, not yet confirmed.
    assert!(
        screen.contains("not yet confirmed — from the screening on file"),
        "{screen}"
    );
    assert!(screen.contains("[x] pregnant or breastfeeding"), "{screen}");
    assert!(
        screen.contains("⚠ caution: pre-treatment check not confirmed (last answer: pregnant or breastfeeding): ask about"),
        "{screen}"
    );
    assert!(screen.contains("then confirm the answers"), "{screen}");
    assert!(screen.contains("Ctrl-O"), "the key is named: {screen}");
    assert!(
        !screen.contains("STOP"),
        "not a stop until confirmed: {screen}"
    );
    // The old bare "screening: cold sores" is now a prompt for prophylaxis.
    let w = app.warnings_shown();
    assert!(
        w.contains(&"history of cold sores: consider antiviral prophylaxis (e.g. valaciclovir from the day before to the day after, as prescribed); record the drug and start date below".to_string()),
        "{w:?}"
    );
    assert!(!w.iter().any(|w| w.starts_with("screening:")), "{w:?}");

    app.keys("<C-o>");
    let screen = app.screen();
    assert!(
        screen.contains("confirmed with the client today"),
        "{screen}"
    );
    assert!(
        screen.contains("■ STOP: before needling: pregnant or breastfeeding — do not needle"),
        "{screen}"
    );
    assert!(!screen.contains("not confirmed"), "{screen}");
    assert!(app.status().contains("confirmed"), "{}", app.status());

    // Recording the antiviral takes the prompt away.
    app.focus_field("antiviral");
    app.type_text("valaciclovir 500 mg");
    app.focus_field("antiviral_from");
    app.type_text("2026-11-20");
    assert!(
        !app.warnings_shown().iter().any(|w| w.contains("antiviral")),
        "{:?}",
        app.warnings_shown()
    );
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "saved: {}", app.status());

    let saved = app.stored_sessions("Lea Legacy").pop().unwrap();
    let check = saved.pre_check.expect("the check is recorded");
    assert_eq!(check.present, [CurrentState::PregnantOrBreastfeeding]);
    assert_eq!((check.procedure_days, check.pause_days), (14, 7));
    assert_eq!(saved.antiviral, "valaciclovir 500 mg");
    assert_eq!(saved.antiviral_from, Some(support::date(2026, 11, 20)));
    assert_eq!(
        saved.acknowledged_warnings,
        [Acknowledged::Coded(Warning::CurrentState {
            state: CurrentState::PregnantOrBreastfeeding,
            within_days: None,
        })]
    );
    // The client screen's record shows it.
    app.keys("<Enter>");
    let screen = app.screen();
    assert!(
        screen.contains("Pre-treatment check: present: pregnant or breastfeeding"),
        "{screen}"
    );
    assert!(
        screen.contains("Antiviral: valaciclovir 500 mg · from 2026-11-20"),
        "{screen}"
    );

    // Editing it shows its own check, confirmed, and keeps it.
    app.keys("e");
    let form = &app.open_form().form;
    assert_eq!(form.selected(FieldKey::PreCheck), 1);
    assert_eq!(form.checked(FieldKey::CurrentStates), [0]);
    assert!(
        !app.warnings_shown()
            .iter()
            .any(|w| w.contains("not confirmed"))
    );
    app.keys("<Esc>");
    assert!(app.state.form.is_none());

    // The next session starts from this answer, not the screening.
    app.keys("n");
    let screen = app.screen();
    assert!(
        screen.contains("not yet confirmed — carried from the session of 2026-11-21"),
        "{screen}"
    );
    // Nothing present any more: untick it, confirm, and the stop is gone.
    app.focus_field("current_states");
    app.keys("<Space><C-o>");
    let w = app.warnings_shown();
    assert!(!w.iter().any(|w| w.contains("pregnant")), "{w:?}");
    assert!(!w.iter().any(|w| w.contains("not confirmed")), "{w:?}");
}

#[test]
fn saving_unconfirmed_is_allowed_and_records_the_caution() {
    let mut app = App::empty((120, 40));
    client(&mut app, "Uma Unconfirmed", &[]);
    app.keys("n");
    assert!(
        app.screen().contains("not yet confirmed — nothing on file"),
        "{}",
        app.screen()
    );
    app.focus_field("pain");
    app.type_text("2");
    app.keys("<C-s>");
    let saved = app.stored_sessions("Uma Unconfirmed").pop().unwrap();
    assert_eq!(saved.pre_check, None, "not confirmed, not invented");
    assert!(
        saved.acknowledged_warnings.iter().any(|a| matches!(
            a,
            Acknowledged::Coded(Warning::PreCheckUnconfirmed { last, .. }) if last.is_empty()
        )),
        "{:?}",
        saved.acknowledged_warnings
    );
}

#[test]
fn editing_an_old_session_does_not_invent_a_check() {
    let mut app = App::empty((120, 40));
    client(
        &mut app,
        "Otto Old",
        &[ScreeningKind::PregnancyBreastfeeding],
    );
    let c = app.store.find_client("Otto Old").unwrap();
    let series = app.store.series_of(c.id).unwrap()[0].id;
    let mut old = SessionDraft::at(at("2026-10-01 10:00"));
    old.notes = "before the check existed".into();
    app.store.create_session(series, &old).unwrap();
    app.reload();
    app.select("Otto Old");
    app.keys("<Enter>");
    app.keys("e");
    let screen = app.screen();
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Pre-treatment check") && l.contains("not recorded")),
        "{screen}"
    );
    assert!(
        !screen.contains("[x] pregnant"),
        "nothing carried: {screen}"
    );
    let w = app.warnings_shown();
    assert!(!w.iter().any(|w| w.contains("pre-treatment")), "{w:?}");
    app.focus_field("pain");
    app.type_text("3");
    app.keys("<C-s>");
    let saved = app.stored_sessions("Otto Old").pop().unwrap();
    assert_eq!(saved.pain.map(|p| p.to_string()), Some("3".into()));
    assert_eq!(saved.pre_check, None);
    assert!(
        saved.acknowledged_warnings.is_empty(),
        "{:?}",
        saved.acknowledged_warnings
    );
}

#[test]
fn an_antiviral_start_after_the_session_is_refused() {
    let mut app = App::empty((120, 40));
    client(&mut app, "Hana Herpes", &[ScreeningKind::ColdSores]);
    app.keys("n<C-o>");
    app.focus_field("antiviral_from");
    app.type_text("2026-11-25");
    assert_eq!(
        app.field_error("antiviral"),
        Some("name the drug the start date is for".into())
    );
    app.focus_field("antiviral");
    app.type_text("aciclovir");
    assert_eq!(
        app.field_error("antiviral_from"),
        Some("cannot be after the session's day".into())
    );
    app.keys("<C-s>");
    assert!(app.state.form.is_some(), "refused");
    assert!(app.status().contains("Antiviral from"), "{}", app.status());
}
