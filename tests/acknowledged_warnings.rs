//! Warnings seen at save are stored by code and parameters, shown and
//! exported as text, and what older versions stored (the sentence alone, in
//! the database and in JSON exports) still reads back, shown as written.

mod support;

use needlelog::domain::{Acknowledged, ClientDraft, Concern, SeriesDraft, SessionDraft, Warning};
use serde_json::{Value, json};
use support::cli::{Sandbox as Env, stderr};
use support::export::*;
use support::schema::Checker;
use support::{at, date};

const OLD_SENTENCE: &str =
    "too soon: last session 2026-09-01, window opens 2026-09-29 (9 days early)";

/// A client named `name` with one session of 2026-09-20 that acknowledged
/// `seen`; returns the session's id.
fn client_who_saw(env: &Env, name: &str, seen: Vec<Acknowledged>) -> i64 {
    let mut store = env.store();
    let series = SeriesDraft::new(Concern::FineLines, date(2026, 9, 1));
    let c = store
        .create_client(&ClientDraft::named(name), Some(&series))
        .unwrap();
    let series_id = store.series_of(c.id).unwrap()[0].id;
    let mut s = SessionDraft::at(at("2026-09-20 10:00"));
    s.acknowledged_warnings = seen;
    store.create_session(series_id, &s).unwrap().id
}

/// A client with one session that acknowledged a coded warning and an old
/// sentence; returns the session's id.
fn client_with_warnings(env: &Env) -> i64 {
    let seen = vec![
        Warning::BeyondPlan { planned: 3 }.into(),
        Acknowledged::Legacy(OLD_SENTENCE.into()),
    ];
    client_who_saw(env, "Ada Warned", seen)
}

/// The JSON export passes the schema and, imported into a new database,
/// exports as `doc` again.
fn assert_schema_valid_and_reimports(env: &Env, doc: &Value) {
    let exported = env.export(&["--format", "json"]);
    let errors = Checker::load().errors(&serde_json::from_slice(&exported).unwrap());
    assert!(errors.is_empty(), "{errors:#?}");
    let file = env.path("backup.json");
    std::fs::write(&file, exported).unwrap();
    let copy = import_into_new(env, &file);
    assert_eq!(&state(&copy).0, doc);
}

fn the_session(doc: &Value) -> &Value {
    &doc["clients"][0]["series"][0]["sessions"][0]
}

#[test]
fn the_json_export_keeps_code_parameters_and_text_and_reimports() {
    let env = Env::new();
    client_with_warnings(&env);
    let doc = env.json();
    assert_eq!(
        the_session(&doc)["acknowledged_warnings"],
        json!([
            {
                "code": "beyond_plan",
                "planned": 3,
                "weight": "caution",
                "text": "series already has its 3 planned sessions"
            },
            OLD_SENTENCE
        ])
    );
    assert_schema_valid_and_reimports(&env, &doc);
}

/// `needlelog import FILE` into a new database beside it, which must
/// succeed; returns the database.
fn import_into_new(env: &Env, file: &std::path::Path) -> std::path::PathBuf {
    let copy = env.path("copy.db");
    let out = env.run([
        "import",
        "--db",
        copy.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    copy
}

#[test]
fn an_old_export_with_sentences_imports_and_shows_them_as_written() {
    let env = Env::new();
    client_with_warnings(&env);
    let mut doc = env.json();
    doc["exported_at"] = json!("2026-11-21T10:00:00Z");
    the_session_mut(&mut doc)["acknowledged_warnings"] =
        json!(["screening: cold sores", "no signed consent on file"]);
    let file = env.path("old.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let copy = import_into_new(&env, &file);
    let store = open(&copy);
    let tree = &store.all_trees().unwrap()[0];
    let seen: Vec<String> = tree.series[0].sessions[0]
        .data
        .acknowledged_warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(seen, ["screening: cold sores", "no signed consent on file"]);
}

fn the_session_mut(doc: &mut Value) -> &mut Value {
    &mut doc["clients"][0]["series"][0]["sessions"][0]
}

#[test]
fn a_database_row_holding_sentences_still_reads() {
    let env = Env::new();
    let id = client_with_warnings(&env);
    // What an older version wrote: the sentences alone.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE sessions SET acknowledged_warnings = ?1 WHERE id = ?2",
        rusqlite::params![
            json!([OLD_SENTENCE, "no signed consent on file"]).to_string(),
            id
        ],
    )
    .unwrap();
    drop(conn);
    let store = env.store();
    let tree = &store.all_trees().unwrap()[0];
    assert_eq!(
        tree.series[0].sessions[0].data.acknowledged_warnings,
        [
            Acknowledged::Legacy(OLD_SENTENCE.into()),
            Acknowledged::Legacy("no signed consent on file".into())
        ]
    );
    drop(store);
    // The CSV shows them as they were written.
    let csv = String::from_utf8(env.export(&["--format", "csv"])).unwrap();
    assert!(
        csv.contains(&format!("\"{OLD_SENTENCE}\nno signed consent on file\"")),
        "{csv}"
    );
}

#[test]
fn the_csv_column_holds_the_rendered_text_after_its_weight() {
    let env = Env::new();
    client_with_warnings(&env);
    let csv = String::from_utf8(env.export(&["--format", "csv"])).unwrap();
    assert!(
        csv.contains(&format!(
            "\"caution: series already has its 3 planned sessions\n{OLD_SENTENCE}\""
        )),
        "{csv}"
    );
    assert!(!csv.contains("beyond_plan"), "{csv}");
}

/// Editing a session shows its warnings again; one already recorded — by
/// code and parameters, or an old sentence by its words — is not added twice.
#[test]
fn editing_records_a_warning_seen_again_once() {
    let mut app = support::app::App::empty((100, 30));
    // No consent on file: every save shows "no signed consent on file".
    let series = SeriesDraft::new(Concern::AcneScars, date(2026, 10, 1));
    let c = app
        .store
        .create_client(&ClientDraft::named("Eda Edit"), Some(&series))
        .unwrap();
    let series_id = app.store.series_of(c.id).unwrap()[0].id;
    let mut s = SessionDraft::at(at("2026-10-01 10:00"));
    s.acknowledged_warnings = vec![Acknowledged::Legacy("no signed consent on file".into())];
    let id = app.store.create_session(series_id, &s).unwrap().id;
    let loaded = needlelog::app::effects::run(&mut app.store, &needlelog::app::Effect::LoadClients);
    app.act(loaded);
    app.select("Eda Edit");
    app.keys("<Enter>");
    let saved = |app: &mut support::app::App| {
        app.keys("e");
        app.keys("<C-s>");
        assert_eq!(app.status(), "Saved the session");
        app.store.session(id).unwrap().data.acknowledged_warnings
    };
    assert_eq!(
        saved(&mut app),
        [Acknowledged::Legacy("no signed consent on file".into())],
        "the old sentence stands for the same warning"
    );

    // Recorded by code: seen again, still once.
    let mut s = app.store.session(id).unwrap().data;
    s.acknowledged_warnings = vec![Warning::NoConsent.into()];
    app.store.update_session(id, &s).unwrap();
    app.keys("<Esc>");
    let loaded = needlelog::app::effects::run(&mut app.store, &needlelog::app::Effect::LoadClients);
    app.act(loaded);
    app.select("Eda Edit");
    app.keys("<Enter>");
    assert_eq!(saved(&mut app), [Acknowledged::Coded(Warning::NoConsent)]);
}

#[test]
fn the_checks_on_file_are_exported_by_code_and_reimport() {
    use needlelog::domain::{AllergySource, Fitzpatrick, MedicationClass, PihReason, Zone};
    let env = Env::new();
    client_who_saw(
        &env,
        "Ola Onfile",
        vec![
            Warning::Allergy {
                allergy: "benzocaine".into(),
                source: AllergySource::Numbing,
                product: "BLT".into(),
                ingredient: "benzocaine".into(),
            }
            .into(),
            Warning::Medication {
                class: MedicationClass::Isotretinoin,
                name: "Absorica".into(),
                pause_days: None,
                window_months: Some(6),
            }
            .into(),
            Warning::Minor {
                age: 17,
                guardian_consent_on: None,
            }
            .into(),
            Warning::Minor {
                age: 16,
                guardian_consent_on: Some(date(2026, 9, 1)),
            }
            .into(),
            Warning::PihRisk {
                reasons: vec![
                    PihReason::DeepOnDarkerSkin {
                        fitzpatrick: Fitzpatrick::V,
                        zones: vec![Zone::Cheeks],
                    },
                    PihReason::HyperpigmentationConcern,
                    PihReason::PihHistory,
                    PihReason::AfterSession {
                        date: date(2026, 8, 1),
                    },
                ],
            }
            .into(),
            Warning::SerumCaution {
                serum: "Vitamin C serum".into(),
                found: vec!["vitamin c".into()],
            }
            .into(),
            Warning::ConsentDue {
                consent_on: date(2025, 9, 1),
                renew_by: date(2026, 9, 1),
                months: 12,
            }
            .into(),
            Warning::ConsentNewArea {
                consent_on: date(2025, 9, 1),
                zones: vec![Zone::Neck],
            }
            .into(),
        ],
    );
    let doc = env.json();
    let seen = &the_session(&doc)["acknowledged_warnings"];
    assert_eq!(seen[0]["code"], "allergy");
    assert_eq!(seen[0]["product"], "BLT");
    assert_eq!(
        seen[1],
        json!({
            "code": "medication",
            "class": "isotretinoin",
            "name": "Absorica",
            "weight": "stop",
            "window_months": 6,
            "text": "medication on file: Absorica (isotretinoin) — defer needling until 6 months after the last dose; record the date under screening"
        })
    );
    assert_eq!(
        seen[2],
        json!({"code": "minor", "age": 17, "weight": "stop", "text": "client is 17, under 18: no parent's or guardian's signed consent on file for this date — have it signed and record it on the client before needling"})
    );
    assert_eq!(seen[3]["guardian_consent_on"], "2026-09-01");
    assert_eq!(seen[3]["weight"], "caution");
    assert_eq!(seen[4]["code"], "pih_risk");
    assert_eq!(
        seen[4]["reasons"][0],
        json!({"reason": "deep_on_darker_skin", "fitzpatrick": "V", "zones": ["cheeks"]})
    );
    assert_eq!(
        seen[4]["reasons"][3],
        json!({"reason": "after_session", "date": "2026-08-01"})
    );
    assert_eq!(seen[5]["code"], "serum_caution");
    assert_eq!(seen[6]["code"], "consent_due");
    assert_eq!(seen[7]["zones"], json!(["neck"]));
    assert_schema_valid_and_reimports(&env, &doc);
}
