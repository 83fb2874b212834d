//! JSON import names the field that does not fit by its path in the file,
//! refuses unknown and missing fields and seconds, reads the header
//! wherever it stands, and leaves the database as it was.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use support::cli::{Sandbox, one_line_error};
use support::export::*;

fn write_json(env: &Sandbox, name: &str, v: &Value) -> PathBuf {
    let p = env.path(name);
    std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    p
}

/// The error of importing `v` into the sandbox's database, which must not
/// change.
fn refused(env: &Sandbox, name: &str, v: &Value) -> String {
    let before = state(&env.db());
    let file = write_json(env, name, v);
    let e = one_line_error(&env.run_dated("import", &env.db(), &[file.to_str().unwrap()]));
    assert!(e.contains("nothing was imported"), "{e}");
    assert_eq!(state(&env.db()), before, "{name} changed the database");
    e
}

/// A change to a document.
type Mutation = Box<dyn Fn(&mut Value)>;

/// Client, series and session indices of the first session in `doc`.
fn first_session(doc: &Value) -> (usize, usize) {
    for (i, c) in doc["clients"].as_array().unwrap().iter().enumerate() {
        for (j, s) in c["series"].as_array().unwrap().iter().enumerate() {
            if !s["sessions"].as_array().unwrap().is_empty() {
                return (i, j);
            }
        }
    }
    panic!("no session")
}

#[test]
fn each_refusal_names_the_field_by_its_path() {
    let env = Sandbox::with_demo(6);
    let doc: Value = serde_json::from_slice(&env.export(&["--format", "json"])).unwrap();
    let (i, j) = first_session(&doc);
    let session = format!("clients[{i}].series[{j}].sessions[0]");
    let cases: Vec<(&str, Mutation, String)> = vec![
        (
            "month13",
            Box::new(move |d| {
                d["clients"][i]["series"][j]["sessions"][0]["performed_at"] =
                    json!("2026-13-01T10:00:00")
            }),
            format!("{session}.performed_at: month 13 is not a month"),
        ),
        (
            "seconds",
            Box::new(move |d| {
                d["clients"][i]["series"][j]["sessions"][0]["performed_at"] =
                    json!("2026-06-01T13:00:15")
            }),
            format!(
                "{session}.performed_at: sessions are kept to the minute: 13:00:15 has seconds"
            ),
        ),
        (
            "feb30",
            Box::new(move |d| d["clients"][i]["date_of_birth"] = json!("1990-02-30")),
            format!("clients[{i}].date_of_birth: day 30 is not a day of February (28 days)"),
        ),
        (
            "unknown",
            Box::new(move |d| {
                d["clients"][i]["series"][j]["sessions"][0]["followup"]["itch"] = json!(2)
            }),
            format!("{session}.followup.itch: unknown field"),
        ),
        (
            "missing",
            Box::new(move |d| {
                d["clients"][i]["series"][j]["sessions"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("followup");
            }),
            format!("{session}.followup: required field is missing"),
        ),
        (
            "nul",
            Box::new(move |d| d["clients"][i]["notes"] = json!("a\u{0}b")),
            format!("clients[{i}].notes: control character U+0000 is not allowed"),
        ),
        (
            "uuid4",
            Box::new(move |d| {
                d["clients"][i]["series"][j]["uuid"] = json!("0190f5c4-0000-4000-8000-000000000001")
            }),
            format!("clients[{i}].series[{j}].uuid: "),
        ),
        (
            "type",
            Box::new(move |d| d["clients"][i]["series"][j]["planned_sessions"] = json!("six")),
            format!(
                "clients[{i}].series[{j}].planned_sessions: expected a whole number, not \"six\""
            ),
        ),
        (
            "toplevel",
            Box::new(|d| d["comment"] = json!("hand-edited")),
            "comment: unknown field".to_string(),
        ),
        (
            // A rule between fields: the domain's message, after the path.
            "interval",
            Box::new(move |d| {
                let s = &mut d["clients"][i]["series"][j];
                s["interval_min_days"] = json!(40);
                s["interval_max_days"] = json!(30);
            }),
            format!("clients[{i}].series[{j}]: "),
        ),
        (
            // A rule against today: the session's path, then its check.
            "future",
            Box::new(move |d| {
                d["clients"][i]["series"][j]["sessions"][0]["performed_at"] =
                    json!("2027-06-01T10:00:00")
            }),
            format!("{session}: session of 2027-06-01 10:00"),
        ),
    ];
    for (name, mutate, want) in cases {
        let mut d = doc.clone();
        mutate(&mut d);
        let e = refused(&env, &format!("{name}.json"), &d);
        assert!(e.contains(&want), "{name}: want {want:?} in\n{e}");
        assert!(!e.contains(" at line "), "{name}: {e}");
    }
}

#[test]
fn the_header_may_come_after_the_clients() {
    let env = Sandbox::with_demo(3);
    let doc: Value = serde_json::from_slice(&env.export(&["--format", "json"])).unwrap();
    // `clients` first, the header last: serde_json keeps keys in order.
    let text = format!(
        "{{\"clients\": {}, \"exported_at\": {}, \"version\": 1, \"format\": \"needlelog-export\"}}",
        doc["clients"], doc["exported_at"]
    );
    let file = env.path("reordered.json");
    std::fs::write(&file, text).unwrap();
    let copy = env.path("copy.db");
    let out = env.run_dated_ok("import", &copy, &[file.to_str().unwrap()]);
    assert!(String::from_utf8(out).unwrap().contains("clients 3 added"));
    // A wrong version after the clients is still refused before anything
    // is written, and no database is left behind.
    let text = format!(
        "{{\"clients\": {}, \"exported_at\": {}, \"version\": 2, \"format\": \"needlelog-export\"}}",
        doc["clients"], doc["exported_at"]
    );
    std::fs::write(&file, text).unwrap();
    let fresh = env.path("fresh.db");
    let e = one_line_error(&env.run_dated("import", &fresh, &[file.to_str().unwrap()]));
    assert!(e.contains("newer needlelog"), "{e}");
    assert!(!Path::new(&fresh).exists());
}

#[test]
fn a_bad_last_client_rolls_back_every_client_before_it() {
    let env = Sandbox::with_demo(30);
    let mut doc: Value = serde_json::from_slice(&env.export(&["--format", "json"])).unwrap();
    let n = doc["clients"].as_array().unwrap().len();
    doc["clients"][n - 1]["name"] = json!("   ");
    let file = write_json(&env, "last-bad.json", &doc);
    let fresh = env.path("fresh.db");
    let e = one_line_error(&env.run_dated("import", &fresh, &[file.to_str().unwrap()]));
    assert!(e.contains(&format!("clients[{}].name", n - 1)), "{e}");
    assert!(!fresh.exists(), "a failed restore leaves no database");
    // Into an existing database: nothing of the 29 good clients stays.
    let empty = env.path("empty.db");
    drop(open(&empty));
    let before = state(&empty);
    let e = one_line_error(&env.run_dated("import", &empty, &[file.to_str().unwrap()]));
    assert!(e.contains("nothing was imported"), "{e}");
    assert_eq!(state(&empty), before);
}
