//! The JSON export against its schema (schema/export-v1.schema.json), and
//! JSON import: round trip, idempotence, merge rules, all-or-nothing.

mod support;

use needlelog::domain::{AdverseKind, Concern, ScreeningKind, Zone};
use needlelog::import::{apply_json, read_json};
use serde_json::{Value, json};
use std::path::Path;
use support::cli::{Sandbox, one_line_error, without_exported_at};
use support::export::*;
use support::schema::Checker;
use support::{at, today};

// ------------------------------------------------------------- the tests

#[test]
fn the_export_follows_its_schema() {
    let env = Sandbox::with_demo(25);
    add_unusual_clients(&mut env.store());
    let doc: Value = serde_json::from_slice(&env.export(&["--format", "json"])).unwrap();
    let checker = Checker::load();
    let errors = checker.errors(&doc);
    assert!(
        errors.is_empty(),
        "{} problems: {:#?}",
        errors.len(),
        &errors[..errors.len().min(20)]
    );
    // Every record carries its UUID.
    for c in doc["clients"].as_array().unwrap() {
        assert!(c["uuid"].is_string());
        for s in c["series"].as_array().unwrap() {
            assert!(s["uuid"].is_string());
            for x in s["sessions"].as_array().unwrap() {
                assert!(x["uuid"].is_string());
            }
        }
    }
    // The checker does catch mistakes.
    let mut broken = doc.clone();
    broken["clients"][0]["name"] = json!("");
    broken["clients"][0]["series"][0]["planned_sessions"] = json!(13);
    broken["clients"][0]["series"][0]["sessions"][0]["performed_at"] = json!("2026-01-01 10:00");
    broken["clients"][0]["surprise"] = json!(1);
    broken["version"] = json!(2);
    // One value can break two rules (performed_at: format and pattern).
    let mut wrong: Vec<String> = checker
        .errors(&broken)
        .iter()
        .map(|e| e.split(": ").next().unwrap().to_string())
        .collect();
    wrong.sort();
    wrong.dedup();
    assert_eq!(wrong.len(), 5, "{:#?}", checker.errors(&broken));
}

#[test]
fn the_schema_lists_what_the_program_knows() {
    let schema = Checker::load().root;
    // An enumeration's values: an `enum`, or the `oneOf` alternatives
    // (documented values come as `const`s with their description).
    let enum_of = |def: &str| -> Vec<String> {
        let d = &schema["$defs"][def];
        let alternatives = match d["oneOf"].as_array() {
            Some(all) => all.clone(),
            None => vec![d.clone()],
        };
        let mut values: Vec<String> = alternatives
            .iter()
            .flat_map(|a| match a["enum"].as_array() {
                Some(values) => values.clone(),
                None => vec![a["const"].clone()],
            })
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        values.sort();
        values
    };
    let codes = |v: Vec<&str>| {
        let mut v: Vec<String> = v.into_iter().map(String::from).collect();
        v.sort();
        v
    };
    assert_eq!(
        enum_of("Zone"),
        codes(Zone::ALL.iter().map(|z| z.code()).collect())
    );
    assert_eq!(
        enum_of("Concern"),
        codes(Concern::ALL.iter().map(|c| c.code()).collect())
    );
    let kind_of = |def: &str| -> String {
        let r = schema["$defs"][def]["properties"]["kind"]["$ref"]
            .as_str()
            .unwrap();
        r.trim_start_matches("#/$defs/").to_string()
    };
    assert_eq!(
        enum_of(&kind_of("ScreeningItem")),
        codes(ScreeningKind::ALL.iter().map(|k| k.code()).collect())
    );
    let adverse: Vec<String> = AdverseKind::ALL
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        enum_of(&kind_of("AdverseEvent")),
        codes(adverse.iter().map(String::as_str).collect())
    );
}

fn write_json(env: &Sandbox, name: &str, v: &Value) -> std::path::PathBuf {
    let p = env.path(name);
    std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    p
}

fn import(env: &Sandbox, db: &Path, file: &Path) -> std::process::Output {
    env.run_dated("import", db, &[file.to_str().unwrap()])
}

/// [`import`], which must succeed; returns its line.
fn import_ok(env: &Sandbox, db: &Path, file: &Path) -> String {
    let out = env.run_dated_ok("import", db, &[file.to_str().unwrap()]);
    String::from_utf8(out).unwrap()
}

#[test]
fn round_trip_and_double_import_change_nothing() {
    let env = Sandbox::with_demo(20);
    let mut store = env.store();
    add_awkward_client(&mut store);
    add_archived_client(&mut store, "Archived One");
    drop(store);
    let original = env.export(&["--format", "json"]);
    let file = env.path("backup.json");
    std::fs::write(&file, &original).unwrap();

    // Into a database that does not exist yet: a restore.
    let copy = env.path("copy.db");
    let line = import_ok(&env, &copy, &file);
    assert!(line.starts_with("imported "), "{line}");
    assert!(line.contains("clients 22 added"), "{line}");
    let (restored, counts) = state(&copy);
    let before: Value = without_exported_at(serde_json::from_slice(&original).unwrap());
    assert_eq!(restored, before, "JSON → import → JSON differs");
    let (_, original_counts) = state(&env.db());
    assert_eq!(
        (
            counts.clients,
            counts.archived,
            counts.series,
            counts.sessions
        ),
        (
            original_counts.clients,
            original_counts.archived,
            original_counts.series,
            original_counts.sessions
        )
    );
    // One audit row per imported record.
    assert_eq!(
        counts.audit,
        counts.clients + counts.archived + counts.series + counts.sessions
    );
    let store = open(&copy);
    let one = store.all_trees().unwrap()[0].client.uuid.to_string();
    let trail = store.audit_for(&one).unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action.as_str(), "import");
    assert!(trail[0].before.is_none() && trail[0].after.is_some());
    drop(store);

    // Again: nothing changes, not even the audit log.
    let line = import_ok(&env, &copy, &file);
    assert!(line.contains("nothing new to import"), "{line}");
    assert!(line.contains("0 added, 0 updated"), "{line}");
    assert_eq!(state(&copy), (restored.clone(), counts));

    // And into the database it came from.
    let before_original = state(&env.db());
    import_ok(&env, &env.db(), &file);
    assert_eq!(state(&env.db()), before_original);
}

/// The first client of a document that has at least one session.
fn first_with_session(doc: &Value) -> usize {
    doc["clients"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| {
            c["series"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| !s["sessions"].as_array().unwrap().is_empty())
        })
        .unwrap()
}

#[test]
fn merge_takes_the_newer_record_and_keeps_the_rest() {
    let env = Sandbox::with_demo(6);
    let doc: Value = serde_json::from_slice(&env.export(&["--format", "json"])).unwrap();
    let i = first_with_session(&doc);

    // Newer in the file: taken, with before and after in the audit log.
    let mut newer = doc.clone();
    newer["clients"][i]["phone"] = json!("+1 555 0100");
    newer["clients"][i]["updated_at"] = json!("2026-11-21T09:00:00Z");
    let s = &mut newer["clients"][i]["series"][0]["sessions"][0];
    s["notes"] = json!("edited on the other laptop");
    s["updated_at"] = json!("2026-11-21T09:00:00.123456Z");
    // A record the database has never seen.
    let mut extra = newer["clients"][i]["series"][0]["sessions"][0].clone();
    extra["uuid"] = json!("01900000-0000-7000-8000-0000000000aa");
    extra["performed_at"] = json!("2026-11-20T16:00:00");
    extra["followup"] = json!({"recorded_on": null, "redness_days": null, "swelling_days": null,
                               "peeling_days": null, "adverse_events": []});
    newer["clients"][i]["series"][0]["sessions"]
        .as_array_mut()
        .unwrap()
        .push(extra);
    // Older in the file and different: ours is kept.
    let j = (i + 1) % doc["clients"].as_array().unwrap().len();
    newer["clients"][j]["notes"] = json!("stale text");
    newer["clients"][j]["updated_at"] = json!("2020-01-01T00:00:00Z");

    let file = write_json(&env, "merge.json", &newer);
    let line = import_ok(&env, &env.db(), &file);
    assert!(line.contains("clients 0 added, 1 updated"), "{line}");
    assert!(line.contains("1 kept (newer here)"), "{line}");
    assert!(line.contains("sessions 1 added, 1 updated"), "{line}");

    let (after, _) = state(&env.db());
    let c = &after["clients"][i];
    assert_eq!(c["phone"], "+1 555 0100");
    assert_eq!(
        c["series"][0]["sessions"][0]["notes"],
        "edited on the other laptop"
    );
    // Stored to the millisecond, as every timestamp is.
    assert_eq!(
        c["series"][0]["sessions"][0]["updated_at"],
        "2026-11-21T09:00:00.123Z"
    );
    assert_eq!(after["clients"][j]["notes"], doc["clients"][j]["notes"]);
    let store = open(&env.db());
    let uuid = c["uuid"].as_str().unwrap();
    let trail = store.audit_for(uuid).unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.action.as_str(), "import");
    assert_eq!(
        last.before.as_ref().unwrap()["phone"],
        doc["clients"][i]["phone"]
    );
    assert_eq!(last.after.as_ref().unwrap()["phone"], "+1 555 0100");
    drop(store);

    // Importing the merged file again changes nothing more.
    let settled = state(&env.db());
    import_ok(&env, &env.db(), &file);
    assert_eq!(state(&env.db()), settled);
}

#[test]
fn a_bad_file_changes_nothing_and_says_where() {
    let env = Sandbox::with_demo(8);
    let mut store = env.store();
    add_awkward_client(&mut store);
    drop(store);
    let good = env.export(&["--format", "json"]);
    let doc: Value = serde_json::from_slice(&good).unwrap();
    let before = state(&env.db());
    let db_bytes = std::fs::read(env.db()).unwrap();

    // Truncated: refused before the database is even opened.
    let cut = env.path("cut.json");
    std::fs::write(&cut, &good[..good.len() * 2 / 3]).unwrap();
    let e = one_line_error(&import(&env, &env.db(), &cut));
    assert!(
        e.contains("cut.json") && e.contains("not valid JSON"),
        "{e}"
    );
    assert!(e.contains("line "), "{e}");
    assert_eq!(std::fs::read(env.db()).unwrap(), db_bytes);

    // A record that breaks a rule: the client and the field are named.
    let mut bad = doc.clone();
    let i = first_with_session(&bad);
    let name = bad["clients"][i]["name"].as_str().unwrap().to_string();
    let uuid = bad["clients"][i]["uuid"].as_str().unwrap().to_string();
    // New records first, so that a partial import would show.
    for c in bad["clients"].as_array_mut().unwrap() {
        c["uuid"] = json!(uuid::Uuid::now_v7().to_string());
        c["name"] = json!(format!("{} (copy)", c["name"].as_str().unwrap()));
    }
    bad["clients"][i]["uuid"] = json!(uuid);
    bad["clients"][i]["name"] = json!(name);
    bad["clients"][i]["email"] = json!("not an address");
    let file = write_json(&env, "bad-email.json", &bad);
    let e = one_line_error(&import(&env, &env.db(), &file));
    assert!(
        e.contains(&name) && e.contains(&uuid) && e.contains(&format!("clients[{i}].email:")),
        "{e}"
    );
    assert!(e.contains("nothing was imported"), "{e}");
    assert_eq!(state(&env.db()), before);

    // A value out of range, found by the reader: the session is named.
    let mut bad = doc.clone();
    let session = &mut bad["clients"][i]["series"][0]["sessions"][0];
    session["erythema"] = json!(9);
    let session_uuid = session["uuid"].as_str().unwrap().to_string();
    let file = write_json(&env, "bad-erythema.json", &bad);
    let e = one_line_error(&import(&env, &env.db(), &file));
    assert!(e.contains(&session_uuid) && e.contains("erythema"), "{e}");
    assert_eq!(state(&env.db()), before);

    // A score outside the series' scale.
    let mut bad = doc.clone();
    let series = &mut bad["clients"][i]["series"][0];
    series["outcome_scale"] = json!("goodman_baron");
    // A baseline that fits the new scale, so that the session's score is the fault.
    series["baseline_score"] = json!(4);
    series["updated_at"] = json!("2030-01-01T00:00:00Z");
    for x in series["sessions"].as_array_mut().unwrap() {
        x["outcome_score"] = json!(0);
    }
    let file = write_json(&env, "bad-score.json", &bad);
    let e = one_line_error(&import(&env, &env.db(), &file));
    assert!(e.contains("outcome score"), "{e}");
    assert_eq!(state(&env.db()), before);

    // Another program's JSON, a newer version, a duplicated UUID.
    for (name, v, want) in [
        ("other.json", json!({"hello": 1}), "not a needlelog export"),
        ("array.json", json!([1, 2]), "not a needlelog export"),
        (
            "newer.json",
            json!({"format": "needlelog-export", "version": 2, "clients": []}),
            "newer needlelog",
        ),
        (
            "zero.json",
            json!({"format": "needlelog-export", "version": 0, "clients": []}),
            "unknown export version",
        ),
    ] {
        let file = write_json(&env, name, &v);
        let e = one_line_error(&import(&env, &env.db(), &file));
        assert!(e.contains(want), "{name}: {e}");
    }
    let mut twice = doc.clone();
    let first = twice["clients"][0].clone();
    twice["clients"].as_array_mut().unwrap().push(first);
    let file = write_json(&env, "twice.json", &twice);
    let e = one_line_error(&import(&env, &env.db(), &file));
    assert!(e.contains("more than once"), "{e}");
    assert_eq!(state(&env.db()), before);

    // A missing file.
    let e = one_line_error(&import(&env, &env.db(), &env.path("absent.json")));
    assert!(e.contains("absent.json"), "{e}");
}

#[test]
fn a_failed_restore_leaves_no_database_behind() {
    let env = Sandbox::new();
    let file = write_json(
        &env,
        "bad.json",
        &json!({"format": "needlelog-export", "version": 1, "exported_at": "2026-11-21T10:00:00Z",
                "clients": [{"uuid": "01900000-0000-7000-8000-000000000001", "name": " ",
                             "date_of_birth": null, "phone": "", "email": "", "fitzpatrick": null,
                             "glogau": null, "concerns": [], "screening": [], "allergies": "",
                             "medications": "", "consent_on": null, "notes": "", "archived_at": null,
                             "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:00:00Z",
                             "series": []}]}),
    );
    let target = env.path("fresh.db");
    let e = one_line_error(&import(&env, &target, &file));
    assert!(e.contains("name is required"), "{e}");
    assert!(!target.exists());
    assert!(!env.path("fresh.db-wal").exists());
}

#[test]
fn library_import_reports_counts() {
    let env = Sandbox::new();
    let mut store = env.store();
    add_awkward_client(&mut store);
    let file = env.path("one.json");
    needlelog::export::write_export(
        &store,
        needlelog::export::Format::Json,
        &needlelog::export::Scope::everything(),
        &file,
        today(),
    )
    .unwrap();
    drop(store);
    let checked = read_json(&file).unwrap();
    let mut fresh = open(&env.path("fresh.db"));
    let s = apply_json(&mut fresh, &checked, at("2026-11-21 12:00")).unwrap();
    assert_eq!(
        (s.clients.added, s.series.added, s.sessions.added),
        (1, 1, 2)
    );
    assert!(s.changed());
    let s = apply_json(&mut fresh, &checked, at("2026-11-21 12:00")).unwrap();
    assert_eq!(
        (
            s.clients.unchanged,
            s.series.unchanged,
            s.sessions.unchanged
        ),
        (1, 1, 2)
    );
    assert!(!s.changed());
    let restored = &fresh.all_trees().unwrap()[0];
    assert_eq!(restored.client.data.name, AWKWARD_NAME);
    assert_eq!(restored.client.data.notes, AWKWARD_NOTES);
}

/// A client as exports before guardian consent wrote it (no `guardian`
/// fields), and one as this version writes it: both import; the guardian's
/// consent comes back as exported.
#[test]
fn exports_with_and_without_the_guardian_s_consent_import() {
    let env = Sandbox::new();
    let client = |uuid: &str, name: &str| {
        json!({"uuid": uuid, "name": name,
               "date_of_birth": "2011-05-01", "phone": "", "email": "", "fitzpatrick": null,
               "glogau": null, "concerns": [], "screening": [{"kind": "pih_history"}], "allergies": "",
               "medications": "", "consent_on": "2026-10-01", "notes": "", "archived_at": null,
               "created_at": "2026-11-21T10:00:00Z", "updated_at": "2026-11-21T10:00:00Z",
               "series": []})
    };
    let old = client("01900000-0000-7000-8000-000000000001", "Before Guardian");
    let mut new = client("01900000-0000-7000-8000-000000000002", "With Guardian");
    new["guardian_consent_on"] = json!("2026-10-01");
    new["guardian"] = json!("Lee Parent, father");
    let doc = json!({"format": "needlelog-export", "version": 1,
                     "exported_at": "2026-11-21T10:00:00Z", "clients": [old, new]});
    let checker = Checker::load();
    assert_eq!(checker.errors(&doc), Vec::<String>::new());
    let file = write_json(&env, "guardians.json", &doc);
    import_ok(&env, &env.db(), &file);
    let store = env.store();
    let before = store.find_client("Before Guardian").unwrap().data;
    assert_eq!(
        (before.guardian_consent_on, before.guardian.as_str()),
        (None, "")
    );
    assert_eq!(before.screening[0].kind, ScreeningKind::PihHistory);
    let with = store.find_client("With Guardian").unwrap().data;
    assert_eq!(with.guardian_consent_on, Some(support::date(2026, 10, 1)));
    assert_eq!(with.guardian, "Lee Parent, father");
    drop(store);
    // Exported again, they carry what they hold.
    let exported = env.json();
    let guardian = |i: usize| exported["clients"][i].get("guardian").cloned();
    assert_eq!(
        (guardian(0), guardian(1)),
        (None, Some(json!("Lee Parent, father"))),
        "left out when empty"
    );
    assert_eq!(exported["clients"][1]["guardian_consent_on"], "2026-10-01");
}
