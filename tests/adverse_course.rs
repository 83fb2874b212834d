//! Adverse events have a course — severity, onset, resolved on (none:
//! ongoing), action taken — recorded through the follow-up form (`f`) and
//! resolved later through it. An ongoing event is a stop warning on the
//! client's next session, a flag on the home list (kept by the list's
//! triggers, checked by `check`, filled in for older files), and its course
//! travels through the store and the JSON export.

mod support;

use needlelog::app::field_key::FieldKey;
use needlelog::db::Store;
use needlelog::db::schema::steps;
use needlelog::domain::{
    Acknowledged, AdverseEvent, AdverseKind, ClientDraft, Followup, SessionDraft, Severity, Warning,
};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use serde_json::json;
use support::app::App;
use support::date;
use support::store::*;
use tempfile::tempdir;

/// One consented client, Ana, with one session four days ago (2026-11-17).
fn one_session(size: (u16, u16)) -> App {
    let mut c = ClientDraft::named("Ana Souza");
    c.consent_on = Some(date(2026, 1, 5));
    App::with_one_session(size, &c)
}

fn kind_no(kind: AdverseKind) -> usize {
    AdverseKind::ALL.iter().position(|k| *k == kind).unwrap()
}

/// The position in the open form of `key`'s field for `kind`'s course.
fn course_field(app: &App, key: FieldKey, kind: AdverseKind) -> usize {
    app.open_form()
        .form
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.key == key)
        .nth(kind_no(kind))
        .unwrap()
        .0
}

fn course_value(app: &App, key: FieldKey, kind: AdverseKind) -> (String, bool) {
    let f = &app.open_form().form.fields[course_field(app, key, kind)];
    (f.value().to_string(), f.hidden)
}

fn events(app: &App) -> Vec<AdverseEvent> {
    let id = app.store.find_client("Ana Souza").unwrap().id;
    let tree = app.store.client_tree(id).unwrap();
    tree.series[0].sessions[0]
        .data
        .followup
        .adverse_events
        .clone()
}

fn flagged(app: &App) -> bool {
    app.store.client_rows(false).unwrap()[0].adverse_ongoing
}

/// Ticks acne flare and records its course through the keys, at 80×24.
fn record_acne_flare(app: &mut App) {
    app.keys("<Enter>f");
    // Reported on, redness, swelling, peeling, then the ticks: acne flare
    // is the third.
    app.keys("<Tab><Tab><Tab><Tab><Right><Right><Space>");
    assert!(
        app.screen().contains("Course: acne flare"),
        "{}",
        app.screen()
    );
    // Other (describe), then the course: severity, onset, resolved, action.
    app.keys("<Tab><Tab><Right><Right>");
    app.keys("<Tab>");
    assert_eq!(
        app.open_form().form.focus,
        course_field(app, FieldKey::Onset, AdverseKind::AcneFlare)
    );
    assert_eq!(
        course_value(app, FieldKey::Onset, AdverseKind::AcneFlare).0,
        "2026-11-21",
        "a newly ticked event starts on the day it is reported"
    );
    // Before the session: refused beside the field.
    app.keys("<C-u>");
    app.type_text("2026-11-16");
    let at = course_field(app, FieldKey::Onset, AdverseKind::AcneFlare);
    assert_eq!(
        app.open_form().form.fields[at].error.as_deref(),
        Some("cannot be before the session")
    );
    app.keys("<BS>8<Tab><Tab>");
    app.type_text("doxycycline, cool compresses");
}

#[test]
fn a_course_is_recorded_through_f_and_resolved_later() {
    let mut app = one_session((80, 24));
    assert!(!flagged(&app));
    record_acne_flare(&mut app);
    // Ticking and unticking another event keeps what was typed.
    app.focus_field("adverse");
    app.keys("<Right><Right><Right><Right><Right><Right><Right><Space>");
    assert_eq!(
        course_value(&app, FieldKey::Onset, AdverseKind::Milia),
        ("2026-11-21".to_string(), false)
    );
    app.keys("<Left><Left><Left><Left><Left><Left><Left><Space>");
    assert_eq!(
        course_value(&app, FieldKey::Action, AdverseKind::AcneFlare),
        ("doxycycline, cool compresses".to_string(), true),
        "unticked: hidden, kept"
    );
    app.keys("<Space>");
    assert_eq!(
        course_value(&app, FieldKey::Onset, AdverseKind::AcneFlare),
        ("2026-11-18".to_string(), false),
        "ticked again: as typed, not reset to the report day"
    );
    app.keys("<C-s>");
    assert!(
        app.state.form.is_none(),
        "{}\n{}",
        app.status(),
        app.screen()
    );
    let acne = AdverseEvent {
        severity: Some(Severity::Moderate),
        onset: Some(date(2026, 11, 18)),
        action: "doxycycline, cool compresses".into(),
        ..AdverseEvent::new(AdverseKind::AcneFlare)
    };
    let milia = AdverseEvent {
        onset: Some(date(2026, 11, 21)),
        ..AdverseEvent::new(AdverseKind::Milia)
    };
    assert_eq!(events(&app), [acne.clone(), milia.clone()]);
    assert!(flagged(&app));
    let screen = app.screen();
    assert!(
        screen.contains("■ adverse event ongoing: acne")
            && screen.contains("flare since 2026-11-18"),
        "the client screen: {screen}"
    );

    // Weeks later: `f` again starts on the first ongoing event's "Resolved on".
    app.keys("f");
    assert_eq!(
        app.open_form().form.focus,
        course_field(&app, FieldKey::Resolved, AdverseKind::AcneFlare)
    );
    app.type_text("2026-11-20");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.screen());
    let resolved = AdverseEvent {
        resolved_on: Some(date(2026, 11, 20)),
        ..acne
    };
    assert_eq!(events(&app), [resolved.clone(), milia.clone()]);
    assert!(flagged(&app), "milia is still ongoing");
    app.keys("f");
    assert_eq!(
        app.open_form().form.focus,
        course_field(&app, FieldKey::Resolved, AdverseKind::Milia)
    );
    app.type_text("2026-11-21");
    app.keys("<C-s>");
    assert!(!flagged(&app));
    app.keys("<Esc>");
    assert!(!app.screen().contains("still ongoing"), "{}", app.screen());
}

#[test]
fn an_ongoing_event_is_a_stop_on_the_next_session_form_and_recorded() {
    let mut app = one_session((100, 30));
    record_acne_flare(&mut app);
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.screen());
    app.keys("<Esc>");
    let screen = app.screen();
    assert!(screen.contains("■ an adverse event is still ongoing"));
    assert!(app.state.rows.rows[0].adverse_ongoing);
    // The row's flag, beside the one ■ of the progress bar (1 of 3).
    let row = screen.lines().find(|l| l.contains("Ana Souza")).unwrap();
    assert!(row.contains("■□□ 1/3"), "{row}");
    assert_eq!(row.matches('■').count(), 2, "{row}");
    app.keys("n");
    let text = "adverse event ongoing: acne flare since 2026-11-18 (moderate) after the session of 2026-11-17 — review it, and record it resolved in that session's follow-up before needling again";
    let shown = app.warnings_shown();
    assert!(shown.iter().any(|w| w == text), "{shown:?}");
    assert!(app.screen().contains("■ STOP: adverse event ongoing"));
    app.focus_field("pain");
    app.type_text("2");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.screen());
    let id = app.store.find_client("Ana Souza").unwrap().id;
    let tree = app.store.client_tree(id).unwrap();
    let newest = tree.series[0].sessions.last().unwrap();
    assert!(
        newest
            .data
            .acknowledged_warnings
            .contains(&Acknowledged::Coded(Warning::AdverseOngoing {
                kind: AdverseKind::AcneFlare,
                note: String::new(),
                session_on: date(2026, 11, 17),
                onset: date(2026, 11, 18),
                severity: Some(Severity::Moderate),
            })),
        "{:?}",
        newest.data.acknowledged_warnings
    );
    // Editing the session the event followed does not warn about its own event.
    app.keys("k");
    app.keys("e");
    assert!(
        !app.open_form()
            .form
            .warnings
            .iter()
            .any(|w| w.to_string().contains("adverse event ongoing")),
        "{}",
        app.screen()
    );
}

/// A follow-up with one event of each course state.
fn followup_with_course() -> Followup {
    Followup {
        recorded_on: Some(date(2026, 11, 21)),
        adverse_events: vec![
            AdverseEvent {
                severity: Some(Severity::Mild),
                onset: Some(date(2026, 11, 18)),
                resolved_on: Some(date(2026, 11, 20)),
                action: "hydrocolloid patches".into(),
                ..AdverseEvent::new(AdverseKind::Milia)
            },
            AdverseEvent {
                severity: Some(Severity::Severe),
                onset: Some(date(2026, 11, 19)),
                ..AdverseEvent::new(AdverseKind::ContactDermatitis)
            },
        ],
        ..Followup::default()
    }
}

#[test]
fn the_course_round_trips_and_bad_dates_are_refused() {
    let (_dir, mut store) = temp_store();
    let c = store
        .create_client(&ClientDraft::named("Bea"), Some(&full_series()))
        .unwrap();
    let series = store.series_of(c.id).unwrap()[0].id;
    let x = store
        .create_session(series, &SessionDraft::at(support::at("2026-11-17 09:30")))
        .unwrap();
    let f = followup_with_course();
    let saved = store.set_followup(x.id, &f).unwrap();
    assert_eq!(saved.data.followup, f);
    assert_eq!(store.session(x.id).unwrap().data.followup, f);
    assert!(store.client_rows(false).unwrap()[0].adverse_ongoing);
    let tree = store.client_tree(c.id).unwrap();
    let ongoing = tree.ongoing_events(None);
    assert_eq!(ongoing.len(), 1, "the list agrees with the domain");
    assert_eq!(ongoing[0].event.kind, AdverseKind::ContactDermatitis);
    assert!(
        tree.ongoing_events(Some(x.id)).is_empty(),
        "but for its session"
    );
    let mut bad = f.clone();
    bad.adverse_events[0].resolved_on = Some(date(2026, 11, 17));
    assert_eq!(
        invalid_fields(store.set_followup(x.id, &bad)),
        ["resolved on"]
    );
    bad.adverse_events[0].onset = None;
    assert_eq!(
        invalid_fields(store.set_followup(x.id, &bad)),
        ["resolved on"]
    );
    assert_eq!(store.session(x.id).unwrap().data.followup, f, "unchanged");
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn check_reports_the_ongoing_flag_out_of_step() {
    let dir = tempdir().unwrap();
    let path = db_path(dir.path());
    let mut store = open_at(&path);
    let c = store
        .create_client(&ClientDraft::named("Bea"), Some(&full_series()))
        .unwrap();
    let series = store.series_of(c.id).unwrap()[0].id;
    store
        .create_session(series, &SessionDraft::at(support::at("2026-11-17 09:30")))
        .unwrap();
    assert!(store.check().unwrap().is_ok());
    drop(store);
    let raw = Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE client_list SET adverse_ongoing = 1 WHERE client_id = ?1",
        [c.id],
    )
    .unwrap();
    drop(raw);
    let report = Store::open(&path).unwrap().check().unwrap();
    assert!(
        report.integrity.iter().any(|l| l.contains("out of step")),
        "{report:?}"
    );
}

/// A file at version 5 (before courses): its list gains the flag on
/// opening, computed from the events already stored, and its events read
/// back with their course not recorded.
#[test]
fn a_version_5_file_gains_the_flag() {
    let dir = tempdir().unwrap();
    let path = db_path(dir.path());
    let v5 = Migrations::new(steps()[..5].iter().map(|s| M::up(s)).collect());
    drop(Store::open_with(&path, &v5, 5).unwrap());
    let ids = old_version_records(&path, &["Old event", "Ongoing", "Nothing"]);
    let raw = Connection::open(&path).unwrap();
    for (i, events) in [
        r#"[{"kind":"pih","note":"left cheek"}]"#,
        r#"[{"kind":"acne_flare"},{"kind":"milia","onset":"2026-11-04"}]"#,
    ]
    .iter()
    .enumerate()
    {
        raw.execute(
            "UPDATE sessions SET adverse_events = ?2 WHERE id = ?1",
            rusqlite::params![ids[i].1, events],
        )
        .unwrap();
    }
    drop(raw);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.check().unwrap().schema_version, steps().len());
    assert!(store.check().unwrap().is_ok());
    let flags: Vec<bool> = ids
        .iter()
        .map(|&(c, _)| {
            store
                .client_rows(true)
                .unwrap()
                .into_iter()
                .find(|r| r.id == c)
                .unwrap()
                .adverse_ongoing
        })
        .collect();
    assert_eq!(flags, [false, true, false]);
    let old = store
        .session(ids[0].1)
        .unwrap()
        .data
        .followup
        .adverse_events;
    assert_eq!(old, [AdverseEvent::noted(AdverseKind::Pih, "left cheek")]);
    assert_eq!(old[0].course_text(), "course not recorded");
}

/// A sandbox whose one client, Bea, has a session followed by
/// [`followup_with_course`].
fn bea_with_course() -> support::cli::Sandbox {
    let env = support::cli::Sandbox::new();
    let mut store = env.store();
    let c = store
        .create_client(&ClientDraft::named("Bea"), Some(&full_series()))
        .unwrap();
    let series = store.series_of(c.id).unwrap()[0].id;
    let x = store
        .create_session(series, &SessionDraft::at(support::at("2026-11-17 09:30")))
        .unwrap();
    store.set_followup(x.id, &followup_with_course()).unwrap();
    env
}

#[test]
fn the_csv_cell_and_the_reports_show_the_course() {
    let env = bea_with_course();
    let csv = env.export_text(&["--format", "csv"]);
    assert!(
        csv.contains("milia (mild, 2026-11-18 → 2026-11-20, action: hydrocolloid patches); contact_dermatitis (severe, 2026-11-19 → ongoing)"),
        "{csv}"
    );
    for format in ["md", "html"] {
        let report = env.export_text(&["--format", format]);
        assert!(
            report.contains("milia (mild, 2026-11-18 → 2026-11-20, action: hydrocolloid patches)"),
            "{format}: {report}"
        );
        assert!(
            report.contains("contact dermatitis (severe, 2026-11-19 → ongoing)"),
            "{format}: {report}"
        );
    }
}

#[test]
fn the_json_export_carries_the_course_and_an_old_export_still_imports() {
    let env = bea_with_course();
    let exported = env.export(&["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&exported).unwrap();
    let errors = support::schema::Checker::load().errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}");
    let session = &doc["clients"][0]["series"][0]["sessions"][0];
    assert_eq!(
        session["followup"]["adverse_events"],
        json!([
            {"kind": "milia", "severity": "mild", "onset": "2026-11-18",
             "resolved_on": "2026-11-20", "action": "hydrocolloid patches"},
            {"kind": "contact_dermatitis", "severity": "severe", "onset": "2026-11-19"}
        ])
    );
    let file = env.path("backup.json");
    std::fs::write(&file, &exported).unwrap();
    let copy = env.path("copy.db");
    env.run_dated_ok("import", &copy, &[file.to_str().unwrap()]);
    let back = support::export::open(&copy).all_trees().unwrap();
    assert_eq!(
        back[0].series[0].sessions[0].data.followup,
        followup_with_course()
    );
    assert!(back[0].series[0].sessions[0].data.followup.adverse_events[1].is_ongoing());

    // An export written before courses: events are a kind and a note.
    let mut old = doc.clone();
    old["clients"][0]["series"][0]["sessions"][0]["followup"]["adverse_events"] =
        json!([{"kind": "pih", "note": "left cheek"}, {"kind": "acne_flare"}]);
    let file = env.path("old.json");
    std::fs::write(&file, serde_json::to_vec(&old).unwrap()).unwrap();
    let copy = env.path("old.db");
    env.run_dated_ok("import", &copy, &[file.to_str().unwrap()]);
    let store = support::export::open(&copy);
    let back = store.all_trees().unwrap();
    assert_eq!(
        back[0].series[0].sessions[0].data.followup.adverse_events,
        [
            AdverseEvent::noted(AdverseKind::Pih, "left cheek"),
            AdverseEvent::new(AdverseKind::AcneFlare),
        ]
    );
    assert!(!store.client_rows(false).unwrap()[0].adverse_ongoing);
}
