//! The pre-treatment check and antiviral prophylaxis in the store and the
//! JSON export: kept, audited and exported with the session; files and
//! exports written before they existed still open and import, their
//! sessions without a check (never an invented one), and the client-level
//! pregnancy item of an old file kept, seeding the first check.

mod support;

use needlelog::db::Store;
use needlelog::db::schema::steps;
use needlelog::domain::{
    CheckSource, ClientDraft, Concern, CurrentState, PreCheck, Rules, ScreeningKind, SeriesDraft,
    SessionDraft, carried_check,
};
use needlelog::import::{apply_json, read_json};
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use serde_json::Value;
use support::store::*;
use support::{at, date, today};
use tempfile::tempdir;

fn checked_session() -> SessionDraft {
    let mut s = SessionDraft::at(at("2026-11-20 10:30"));
    s.pre_check = Some(PreCheck::new(
        vec![
            CurrentState::ActivesWithinPause,
            CurrentState::PregnantOrBreastfeeding,
        ],
        &Rules {
            pause_days: 10,
            ..Rules::default()
        },
    ));
    s.antiviral = "valaciclovir 500 mg".into();
    s.antiviral_from = Some(date(2026, 11, 19));
    s
}

#[test]
fn the_check_and_the_antiviral_are_stored_audited_and_undone() {
    let (_dir, mut store) = temp_store();
    let (client, series) = add_client_then_series(&mut store);
    let x = store.create_session(series.id, &checked_session()).unwrap();
    let back = store.sessions_of(series.id).unwrap().pop().unwrap();
    assert_eq!(back.data.pre_check, checked_session().pre_check);
    assert_eq!(
        back.data.pre_check.as_ref().unwrap().present,
        [
            CurrentState::PregnantOrBreastfeeding,
            CurrentState::ActivesWithinPause
        ]
    );
    assert_eq!(back.data.antiviral, "valaciclovir 500 mg");
    assert_eq!(back.data.antiviral_from, Some(date(2026, 11, 19)));

    // An edit that drops the check is audited with both versions, and undone.
    let mut edited = back.data.clone();
    edited.pre_check = None;
    edited.antiviral.clear();
    edited.antiviral_from = None;
    store.update_session(x.id, &edited).unwrap();
    let trail = store.audit_for(&x.uuid.to_string()).unwrap();
    let last = trail.last().unwrap();
    let before = last.before.clone().unwrap();
    let after = last.after.clone().unwrap();
    // The audit keeps the row's columns: the check as its JSON text.
    let check: Value = serde_json::from_str(before["pre_check"].as_str().unwrap()).unwrap();
    assert_eq!(check["present"][0], "pregnant_or_breastfeeding");
    assert_eq!(check["pause_days"], 10);
    assert_eq!(before["antiviral"], "valaciclovir 500 mg");
    assert_eq!(after["pre_check"], Value::Null);
    store.undo_last().unwrap().unwrap();
    let undone = store.sessions_of(series.id).unwrap().pop().unwrap();
    assert_eq!(undone.data.pre_check, checked_session().pre_check);
    assert_eq!(undone.data.antiviral, "valaciclovir 500 mg");
    let _ = client;
}

#[test]
fn a_stored_check_is_checked_json_by_the_file() {
    let (dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    store.create_session(series.id, &checked_session()).unwrap();
    drop(store);
    let raw = Connection::open(db_path(dir.path())).unwrap();
    let bad = raw.execute("UPDATE sessions SET pre_check = 'not json'", []);
    assert!(bad.is_err(), "CHECK (json_valid) refuses it");
}

/// A version 5 file (before the check) holding a client whose screening
/// says pregnant, and a session: it opens, the session has no check and no
/// antiviral, the screening item is still there and seeds the first check.
#[test]
fn a_version_5_file_with_legacy_pregnancy_screening_is_migrated() {
    let dir = tempdir().unwrap();
    let path = db_path(dir.path());
    let v5 = Migrations::new(steps()[..5].iter().map(|s| M::up(s)).collect());
    let store = Store::open_with(&path, &v5, 5).unwrap();
    drop(store);
    let ids = old_version_records(&path, &["Paula Pregnant"]);
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE clients SET screening = ?1 WHERE id = ?2",
            rusqlite::params![
                r#"[{"kind":"pregnancy_breastfeeding","date":"2026-10-01"},{"kind":"cold_sores"}]"#,
                ids[0].0
            ],
        )
        .unwrap();

    let store = Store::open(&path).unwrap();
    assert_eq!(store.check().unwrap().schema_version, steps().len());
    let tree = store
        .all_trees()
        .unwrap()
        .into_iter()
        .find(|t| t.client.id == ids[0].0)
        .unwrap();
    let kinds: Vec<ScreeningKind> = tree.client.data.screening.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            ScreeningKind::PregnancyBreastfeeding,
            ScreeningKind::ColdSores
        ],
        "never dropped"
    );
    let session = &tree.series[0].sessions[0].data;
    assert_eq!(session.pre_check, None);
    assert_eq!(
        (session.antiviral.as_str(), session.antiviral_from),
        ("", None)
    );
    assert_eq!(
        carried_check(&tree.client.data, [session]),
        (
            vec![CurrentState::PregnantOrBreastfeeding],
            CheckSource::Screening
        )
    );
}

/// A client with a checked session and the legacy pregnancy item.
fn add_checked_client(store: &mut Store) {
    let mut c = ClientDraft::named("Jo Export");
    c.screening = vec![needlelog::domain::ScreeningItem {
        kind: ScreeningKind::PregnancyBreastfeeding,
        date: None,
        note: String::new(),
    }];
    let s = SeriesDraft::new(Concern::AcneScars, date(2026, 10, 1));
    let client = store.create_client(&c, Some(&s)).unwrap();
    let series = store.series_of(client.id).unwrap()[0].clone();
    store.create_session(series.id, &checked_session()).unwrap();
    store
        .create_session(series.id, &SessionDraft::at(at("2026-11-01 09:00")))
        .unwrap();
}

fn export(store: &Store, file: &std::path::Path) {
    needlelog::export::write_export(
        store,
        needlelog::export::Format::Json,
        &needlelog::export::Scope::everything(),
        file,
        today(),
    )
    .unwrap();
}

#[test]
fn json_carries_the_check_and_an_old_export_still_imports() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    add_checked_client(&mut store);
    let file = dir.path().join("new.json");
    export(&store, &file);
    drop(store);

    let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let sessions = doc["clients"][0]["series"][0]["sessions"]
        .as_array()
        .unwrap();
    let checked = sessions.iter().find(|x| !x["pre_check"].is_null()).unwrap();
    assert_eq!(checked["pre_check"]["present"][1], "actives_within_pause");
    assert_eq!(checked["antiviral"], "valaciclovir 500 mg");
    assert_eq!(checked["antiviral_from"], "2026-11-19");

    // Round trip into a fresh file.
    let checked_file = read_json(&file).unwrap();
    let mut fresh = Store::open(&dir.path().join("b.db")).unwrap();
    apply_json(&mut fresh, &checked_file, at("2026-11-21 12:00")).unwrap();
    let back = &fresh.all_trees().unwrap()[0];
    let checks: Vec<Option<PreCheck>> = back.series[0]
        .sessions
        .iter()
        .map(|x| x.data.pre_check.clone())
        .collect();
    assert!(checks.contains(&checked_session().pre_check), "{checks:?}");
    assert!(checks.contains(&None));

    // An export written before the check: the fields are not there at all.
    let mut old = doc.clone();
    for x in old["clients"][0]["series"][0]["sessions"]
        .as_array_mut()
        .unwrap()
    {
        let x = x.as_object_mut().unwrap();
        for field in ["pre_check", "antiviral", "antiviral_from"] {
            assert!(x.remove(field).is_some(), "{field}");
        }
    }
    let old_file = dir.path().join("old.json");
    std::fs::write(&old_file, serde_json::to_vec(&old).unwrap()).unwrap();
    let checked_file = read_json(&old_file).unwrap();
    let mut older = Store::open(&dir.path().join("c.db")).unwrap();
    apply_json(&mut older, &checked_file, at("2026-11-21 12:00")).unwrap();
    let back = &older.all_trees().unwrap()[0];
    assert_eq!(
        back.client.data.screening.len(),
        1,
        "the legacy item is kept"
    );
    for x in &back.series[0].sessions {
        assert_eq!(x.data.pre_check, None, "no check invented");
        assert_eq!(
            (x.data.antiviral.as_str(), x.data.antiviral_from),
            ("", None)
        );
    }
}
