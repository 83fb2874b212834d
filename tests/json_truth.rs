//! One truth for valid data: a corpus of documents mutated from a small
//! valid export goes through the committed JSON Schema (checked by the
//! `jsonschema` crate, a validator nobody here wrote) and through
//! `needlelog import` (into an empty database); both must give the same
//! verdict. The few rules JSON Schema cannot state (a day relative to
//! today, two dates of a record in order) are listed by name: for those,
//! import refuses and the schema accepts, and nothing else differs.

mod support;

use needlelog::domain::OutcomeScale;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use support::at;
use support::export::{add_unusual_clients, fill_demo, now, open};

/// A mutated document and what it is.
struct Case {
    label: String,
    doc: Value,
    /// Set when JSON Schema cannot say the rule the mutation breaks: why.
    import_only: Option<&'static str>,
}

const RELATIVE_TO_TODAY: &str = "a day after the import's today";

/// The valid document every mutation starts from: a few demo clients and
/// the unusual ones (closed series, archived client, awkward text,
/// adverse events, screening with dates and notes).
fn base() -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("base.db"));
    fill_demo(&mut store, 4);
    add_unusual_clients(&mut store);
    let doc = needlelog::export::json::document(store.all_trees().unwrap(), now());
    let mut doc = serde_json::to_value(doc).unwrap();
    // Two photos on the first session, so that every place of a photo is
    // mutated too.
    let session = doc["clients"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|c| c["series"].as_array_mut().unwrap().iter_mut())
        .flat_map(|s| s["sessions"].as_array_mut().unwrap().iter_mut())
        .next()
        .unwrap();
    session["photos"] = json!([
        {
            "uuid": "019a0000-0000-7000-8000-0000000000a1",
            "view": "front",
            "taken_at": "2026-03-02T10:15:42",
            "taken_from": "exif",
            "format": "jpeg",
            "width": 480,
            "height": 600,
            "bytes": 23456,
            "sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        },
        {
            "uuid": "019a0000-0000-7000-8000-0000000000a2",
            "view": "close_up",
            "zone": "cheeks",
            "taken_at": "2026-03-02T10:16:00",
            "taken_from": "file",
            "format": "png",
            "width": 1,
            "height": 1,
            "bytes": 1,
            "sha256": "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
        }
    ]);
    doc
}

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(needlelog::export::json::SCHEMA_PATH),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Imports documents into fresh copies of one empty database.
struct Importer {
    dir: tempfile::TempDir,
    empty: PathBuf,
    n: usize,
}

impl Importer {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.db");
        drop(open(&empty));
        Self { dir, empty, n: 0 }
    }

    /// `Ok` when `needlelog import` takes the document, else its message.
    fn verdict(&mut self, doc: &[u8]) -> Result<(), String> {
        self.n += 1;
        let file = self.dir.path().join(format!("doc{}.json", self.n));
        let db = self.dir.path().join(format!("db{}.db", self.n));
        std::fs::write(&file, doc).unwrap();
        std::fs::copy(&self.empty, &db).unwrap();
        let mut store = open(&db);
        let result = needlelog::import::read_json(&file)
            .and_then(|checked| {
                needlelog::import::apply_json(&mut store, &checked, at("2026-11-21 23:59"))
            })
            .map(|_| ())
            .map_err(|e| e.to_string());
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let _ = std::fs::remove_file(&file);
        result
    }
}

// ------------------------------------------------------------- mutations

/// Where a value sits: keys and indices from the document's root.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn get_mut<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

fn show(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) if s.is_empty() => s.push_str(k),
            Step::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    if s.is_empty() { "(document)".into() } else { s }
}

/// The path with its indices left out: one of each kind of place.
fn shape(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(_) => "[]".into(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every place in the document, first of its shape only (the first
/// session's `notes`, the first adverse event's `kind`, …).
fn places(doc: &Value) -> Vec<(Vec<Step>, Value)> {
    fn walk(
        v: &Value,
        path: &mut Vec<Step>,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<(Vec<Step>, Value)>,
    ) {
        if seen.insert(shape(path)) {
            out.push((path.clone(), v.clone()));
        }
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    path.push(Step::Key(k.clone()));
                    walk(x, path, seen, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(x, path, seen, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut Vec::new(), &mut BTreeSet::new(), &mut out);
    out
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

fn is_local_time(s: &str) -> bool {
    s.len() == 19 && chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok()
}

fn is_timestamp(s: &str) -> bool {
    s.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}

/// Values that break (or just test) a place, by what it holds.
fn replacements(v: &Value) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut add = |label: &str, v: Value| out.push((label.to_string(), v));
    match v {
        Value::String(s) if is_date(s) => {
            let year = &s[..4];
            add("month 13", json!(format!("{year}-13-01")));
            add("month 00", json!(format!("{year}-00-10")));
            add("day 32", json!(format!("{year}-01-32")));
            add("day 00", json!(format!("{year}-01-00")));
            add("April 31", json!(format!("{year}-04-31")));
            add("Feb 30", json!(format!("{year}-02-30")));
            add("Feb 29 of 2025", json!("2025-02-29"));
            add("Feb 29 of 1900", json!("1900-02-29"));
            add("one-digit month", json!(format!("{year}-4-01")));
            add("a time", json!(format!("{s}T10:00:00")));
            add("slashes", json!(s.replace('-', "/")));
        }
        Value::String(s) if is_local_time(s) => {
            let day = &s[..10];
            add("seconds", json!(format!("{day}T13:00:15")));
            add("fraction", json!(format!("{day}T13:00:00.5")));
            add("no seconds", json!(format!("{day}T13:00")));
            add("hour 24", json!(format!("{day}T24:00:00")));
            add("minute 60", json!(format!("{day}T10:60:00")));
            add("month 13", json!("2026-13-01T10:00:00"));
            add("Feb 30", json!("2026-02-30T10:00:00"));
            add("a space", json!(format!("{day} 13:00:00")));
            add("an offset", json!(format!("{day}T13:00:00Z")));
        }
        Value::String(s) if is_timestamp(s) => {
            add("month 13", json!("2026-13-01T10:00:00Z"));
            add("Feb 30", json!("2026-02-30T10:00:00Z"));
            add("second 60", json!("2026-06-30T23:59:60Z"));
            add("hour 25", json!("2026-06-01T25:00:00Z"));
            add("no zone", json!("2026-06-01T10:00:00"));
            add("lower-case z", json!("2026-06-01T10:00:00z"));
            add("offset", json!("2026-06-01T10:00:00+02:00"));
            add("milliseconds", json!("2026-06-01T10:00:00.123Z"));
            add("a space", json!("2026-06-01 10:00:00Z"));
        }
        Value::String(s) if is_uuid(s) => {
            add("upper case", json!(s.to_uppercase()));
            add("version 4", json!(format!("{}4{}", &s[..14], &s[15..])));
            add("variant c", json!(format!("{}c{}", &s[..19], &s[20..])));
            add("no hyphens", json!(s.replace('-', "")));
            add("urn", json!(format!("urn:uuid:{s}")));
            add("braces", json!(format!("{{{s}}}")));
            add("nil", json!("00000000-0000-0000-0000-000000000000"));
        }
        Value::String(s) => {
            for (label, c) in [
                ("NUL", '\u{0}'),
                ("U+0001", '\u{1}'),
                ("escape", '\u{1b}'),
                ("DEL", '\u{7f}'),
                ("U+0085", '\u{85}'),
                ("tab", '\t'),
                ("line break", '\n'),
                ("carriage return", '\r'),
            ] {
                add(label, json!(format!("{s}x{c}y")));
            }
            add("empty", json!(""));
            add("blank", json!("   "));
            add("121 characters", json!("x".repeat(121)));
            add("201 characters", json!("x".repeat(201)));
            add("10001 characters", json!("x".repeat(10_001)));
            add("a code nobody knows", json!("no_such_code"));
            add("a number", json!(7));
        }
        Value::Number(n) => {
            let i = n.as_i64().unwrap_or(0);
            for d in [-1, 1] {
                add(&format!("{d:+}"), json!(i + d));
            }
            add("0", json!(0));
            add("-1", json!(-1));
            add("256", json!(256));
            add("a fraction", json!(i as f64 + 0.5));
            add("a string", json!(i.to_string()));
        }
        Value::Null => {
            add("a string", json!("x"));
            add("an object", json!({}));
        }
        Value::Bool(b) => add("a string", json!(b.to_string())),
        Value::Array(_) => {
            add("an object", json!({}));
            add("null", Value::Null);
            add("a string", json!("x"));
        }
        Value::Object(_) => {
            add("an array", json!([]));
            add("a string", json!("x"));
        }
    }
    out
}

/// The fixed mutations: the rules one by one.
fn targeted(doc: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut case = |label: &str, doc: Value, import_only: Option<&'static str>| {
        cases.push(Case {
            label: label.to_string(),
            doc,
            import_only,
        })
    };
    // The first client with a series that has sessions.
    let (ci, si) = doc["clients"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .find_map(|(ci, c)| {
            c["series"]
                .as_array()
                .unwrap()
                .iter()
                .position(|s| !s["sessions"].as_array().unwrap().is_empty())
                .map(|si| (ci, si))
        })
        .unwrap();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        f(&mut d["clients"][ci]["series"][si]);
        d
    };

    for scale in OutcomeScale::ALL {
        let (lo, hi) = scale.range();
        let (lo, hi) = (i64::from(lo), i64::from(hi));
        let code = serde_json::to_value(scale).unwrap();
        for (what, v) in [
            ("below", lo - 1),
            ("lowest", lo),
            ("highest", hi),
            ("above", hi + 1),
        ] {
            case(
                &format!("{code} baseline {what} ({v})"),
                edit(&|s| {
                    s["outcome_scale"] = code.clone();
                    s["baseline_score"] = json!(v);
                    for x in s["sessions"].as_array_mut().unwrap() {
                        x["outcome_score"] = Value::Null;
                    }
                }),
                None,
            );
            case(
                &format!("{code} session score {what} ({v})"),
                edit(&|s| {
                    s["outcome_scale"] = code.clone();
                    s["baseline_score"] = Value::Null;
                    for x in s["sessions"].as_array_mut().unwrap() {
                        x["outcome_score"] = Value::Null;
                    }
                    s["sessions"][0]["outcome_score"] = json!(v);
                }),
                None,
            );
        }
    }
    for (min, max) in [(30, 29), (8, 7), (120, 119), (7, 120), (21, 21)] {
        case(
            &format!("interval {min}..{max}"),
            edit(&|s| {
                s["interval_min_days"] = json!(min);
                s["interval_max_days"] = json!(max);
            }),
            None,
        );
    }
    let with_event = |event: Value| {
        edit(&|s| {
            let x = &mut s["sessions"][0];
            x["followup"]["adverse_events"] = json!([event.clone()]);
            if x["followup"]["recorded_on"].is_null() {
                x["followup"]["recorded_on"] = x["performed_at"].as_str().unwrap()[..10].into();
            }
        })
    };
    case(
        "other without a note",
        with_event(json!({"kind": "other"})),
        None,
    );
    case(
        "other with a blank note",
        with_event(json!({"kind": "other", "note": "  "})),
        None,
    );
    case(
        "other with a note",
        with_event(json!({"kind": "other", "note": "itch"})),
        None,
    );
    case(
        "other with a NUL in its note",
        with_event(json!({"kind": "other", "note": "it\u{0}ch"})),
        None,
    );
    // A closure on a series that is not closed, and one of kind "other".
    case(
        "an active series with a closure",
        edit(&|s| {
            s["status"] = json!("active");
            s["closure"] =
                json!({"closed_on": "2026-06-01", "reason": "completed_early", "note": ""});
        }),
        None,
    );
    for note in ["", " ", "moved away"] {
        case(
            &format!("closed for another reason, note {note:?}"),
            edit(&|s| {
                s["status"] = json!("closed");
                s["closure"] = json!({"closed_on": "2026-11-20", "reason": "other", "note": note});
            }),
            None,
        );
    }
    case(
        "resolved without an onset",
        with_event(json!({"kind": "pih", "resolved_on": "2026-11-20"})),
        None,
    );
    case(
        "resolved before its onset",
        with_event(json!({"kind": "pih", "onset": "2026-11-20", "resolved_on": "2026-11-19"})),
        Some("two days of one record in order"),
    );
    case(
        "a session next year",
        edit(&|s| s["sessions"][0]["performed_at"] = json!("2027-06-01T10:00:00")),
        Some(RELATIVE_TO_TODAY),
    );
    case(
        "a birth next year",
        {
            let mut d = doc.clone();
            d["clients"][ci]["date_of_birth"] = json!("2027-01-01");
            d
        },
        Some(RELATIVE_TO_TODAY),
    );
    case(
        "a leap day",
        {
            let mut d = doc.clone();
            d["clients"][ci]["date_of_birth"] = json!("2000-02-29");
            d
        },
        None,
    );
    // JSON Schema counts 1.0 as an integer; import wants it written 1.
    case(
        "a whole number written 7.0",
        edit(&|s| s["planned_sessions"] = json!(7.0)),
        Some("1 and 1.0 are the same number to JSON Schema"),
    );
    let mut d = doc.clone();
    d["exported_at"] = json!(20261121);
    case("a number for the export time", d, None);
    let mut d = doc.clone();
    d["version"] = json!(2);
    case("version 2", d, None);
    let mut d = doc.clone();
    d["format"] = json!("other");
    case("another format", d, None);
    let mut d = doc.clone();
    let first = d["clients"][0].clone();
    d["clients"].as_array_mut().unwrap().push(first);
    case(
        "a client twice",
        d,
        Some("a UUID used twice anywhere in the file"),
    );
    cases
}

/// Every place: an unknown field in each object, each field left out,
/// and the replacements for what it holds.
fn generic(doc: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    for (path, v) in places(doc) {
        if let Value::Object(o) = &v {
            let mut d = doc.clone();
            get_mut(&mut d, &path)
                .as_object_mut()
                .unwrap()
                .insert("surprise".into(), json!(1));
            cases.push(Case {
                label: format!("{}: an unknown field", show(&path)),
                doc: d,
                import_only: None,
            });
            for k in o.keys() {
                let mut d = doc.clone();
                get_mut(&mut d, &path).as_object_mut().unwrap().remove(k);
                cases.push(Case {
                    label: format!("{}: without {k}", show(&path)),
                    doc: d,
                    import_only: None,
                });
            }
        }
        if path.is_empty() {
            continue;
        }
        for (label, x) in replacements(&v) {
            let mut d = doc.clone();
            *get_mut(&mut d, &path) = x;
            cases.push(Case {
                label: format!("{}: {label}", show(&path)),
                doc: d,
                import_only: None,
            });
        }
    }
    cases
}

fn run(cases: Vec<Case>) -> Vec<String> {
    let validator = schema_validator();
    let mut importer = Importer::new();
    let mut disagreements = Vec::new();
    for c in cases {
        let schema_ok = validator.is_valid(&c.doc);
        let bytes = serde_json::to_vec_pretty(&c.doc).unwrap();
        let import = importer.verdict(&bytes);
        let expected_schema = match c.import_only {
            Some(_) => true,
            None => import.is_ok(),
        };
        if schema_ok != expected_schema || (c.import_only.is_some() && import.is_ok()) {
            let why = c.import_only.map_or(String::new(), |w| format!(" [{w}]"));
            disagreements.push(format!(
                "{}{why}: schema {}, import {}",
                c.label,
                if schema_ok { "accepts" } else { "refuses" },
                match &import {
                    Ok(()) => "accepts".to_string(),
                    Err(e) => format!("refuses ({e})"),
                }
            ));
        }
    }
    disagreements
}

#[test]
fn the_schema_and_import_agree_on_every_mutation() {
    let doc = base();
    // The starting point is valid for both.
    let errors: Vec<String> = schema_validator()
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        Importer::new().verdict(&serde_json::to_vec(&doc).unwrap()),
        Ok(())
    );
    let mut cases = targeted(&doc);
    cases.extend(generic(&doc));
    assert!(cases.len() > 300, "only {} cases", cases.len());
    eprintln!("{} mutated documents", cases.len());
    let disagreements = run(cases);
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// Random text in every text place and random numbers in every number
/// place: whatever the verdict, both give the same.
#[test]
fn random_values_get_the_same_verdict() {
    let doc = base();
    let spots: Vec<(Vec<Step>, Value)> = places(&doc)
        .into_iter()
        .filter(|(p, v)| {
            !p.is_empty()
                && match v {
                    Value::String(s) => !is_date(s) && !is_uuid(s) && !is_timestamp(s),
                    Value::Number(_) => true,
                    _ => false,
                }
        })
        .collect();
    let validator = schema_validator();
    let importer = std::cell::RefCell::new(Importer::new());
    let config = ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(which in 0..spots.len(), text in "[ -~\\t\\n\\x00-\\x1f\\x7f\\u{80}-\\u{9f}é]{0,12}", n in -3i64..300)| {
        let (path, v) = &spots[which];
        let mut d = doc.clone();
        *get_mut(&mut d, path) = match v {
            Value::String(_) => json!(text),
            _ => json!(n),
        };
        let schema_ok = validator.is_valid(&d);
        let import = importer.borrow_mut().verdict(&serde_json::to_vec(&d).unwrap());
        prop_assert_eq!(schema_ok, import.is_ok(), "{} = {}: import says {:?}", show(path), get_mut(&mut d, path), import);
    });
}
