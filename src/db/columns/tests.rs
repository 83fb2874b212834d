use super::*;
use serde_json::Value as Json;
use std::collections::{BTreeMap as Map, HashSet};

#[test]
fn every_column_is_named_once() {
    for layout in [&*CLIENTS, &*SERIES, &*SESSIONS] {
        let mut seen = HashSet::new();
        for c in &layout.columns {
            assert!(seen.insert(c), "{c} twice in {}", layout.select);
        }
    }
}

#[test]
fn the_follow_up_sits_inside_the_session() {
    let mut cols = Vec::new();
    Followup::columns(&mut cols);
    assert_eq!(cols.first(), Some(&"followup_on"));
    assert_eq!(cols.last(), Some(&"followup_notes"));
    assert!(SESSIONS.columns.contains(&"followup_on"));
}

#[test]
fn inserts_write_every_column_but_the_key() {
    assert_eq!(
        SERIES.insert,
        "INSERT INTO series (uuid, client_id, concern, zones, planned_sessions, interval_min_days, \
         interval_max_days, outcome_scale, baseline_score, started_on, status, notes, closed_on, \
         close_reason, close_note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
         ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
    );
    assert!(SERIES.replace.starts_with(&SERIES.insert));
    assert!(
        SERIES
            .replace
            .ends_with("ON CONFLICT (uuid) DO UPDATE SET client_id = excluded.client_id, concern = excluded.concern, zones = excluded.zones, planned_sessions = excluded.planned_sessions, interval_min_days = excluded.interval_min_days, interval_max_days = excluded.interval_max_days, outcome_scale = excluded.outcome_scale, baseline_score = excluded.baseline_score, started_on = excluded.started_on, status = excluded.status, notes = excluded.notes, closed_on = excluded.closed_on, close_reason = excluded.close_reason, close_note = excluded.close_note, created_at = excluded.created_at, updated_at = excluded.updated_at")
    );
}

/// A `CHECK (column BETWEEN low AND high)`'s bounds; a bound that is
/// another column is None.
type Bounds = (Option<f64>, Option<f64>);

/// The table's columns (after every migration), and the range checks by column.
fn checks(table: &str) -> (Vec<String>, Map<String, Bounds>) {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    super::super::schema::migrations()
        .to_latest(&mut conn)
        .unwrap();
    let names: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    let mut ranges = Map::new();
    for part in sql.split("CHECK (").skip(1) {
        let words: Vec<&str> = part.split([' ', ')']).collect();
        if let [column, "BETWEEN", low, "AND", high, ..] = words[..] {
            ranges.insert(column.to_string(), (low.parse().ok(), high.parse().ok()));
        }
    }
    (names, ranges)
}

/// The schema of `def`'s property at `path`, through references, nullable
/// alternatives and nested records.
fn property<'a>(schema: &'a Json, def: &str, path: &[&str]) -> &'a Json {
    let resolve = |mut s: &'a Json| loop {
        if let Some(r) = s.get("$ref").and_then(Json::as_str) {
            s = &schema["$defs"][r.trim_start_matches("#/$defs/")];
        } else if let Some(Json::Array(any)) = s.get("anyOf") {
            s = any
                .iter()
                .find(|a| a.get("type") != Some(&Json::from("null")))
                .unwrap();
        } else {
            return s;
        }
    };
    let mut s = &schema["$defs"][def];
    for p in path {
        s = resolve(&resolve(s)["properties"][*p]);
    }
    resolve(s)
}

/// The range the export schema gives a field: its minimum and maximum,
/// or for a skin type (stored as its number) 1 to the number of types.
fn schema_range(s: &Json) -> Option<(f64, f64)> {
    if let (Some(lo), Some(hi)) = (s["minimum"].as_f64(), s["maximum"].as_f64()) {
        return Some((lo, hi));
    }
    let values = s["enum"]
        .as_array()?
        .iter()
        .filter(|v| !v.is_null())
        .count();
    (values > 0 && s["enum"][0] == "I").then_some((1.0, values as f64))
}

/// The SQL CHECKs are written in the migrations, the ranges in the types
/// (bounded values, the domain's constants); the export schema is made
/// from the types. Every range check in the tables must say what the
/// types say, and every ranged field must have its check.
#[test]
fn the_tables_check_the_ranges_the_types_state() {
    let schema = crate::export::json::schema();
    let mut fields = Vec::new();
    ClientDraft::fields(&[], &mut fields);
    let clients = ("clients", "ClientRecord", fields);
    let mut fields = Vec::new();
    ValidSeries::fields(&[], &mut fields);
    let series = ("series", "SeriesRecord", fields);
    let mut fields = Vec::new();
    SessionDraft::fields(&[], &mut fields);
    let sessions = ("sessions", "SessionRecord", fields);
    let mut compared = 0;
    for (table, def, fields) in [clients, series, sessions] {
        let (names, ranges) = checks(table);
        for (column, path) in &fields {
            assert!(names.iter().any(|n| n == column), "{table} has no {column}");
            let want = schema_range(property(&schema, def, path));
            match (ranges.get(*column), want) {
                (Some((low, high)), Some((lo, hi))) => {
                    if let Some(low) = low {
                        assert_eq!(*low, lo, "{table}.{column}: CHECK low vs the type");
                    }
                    assert_eq!(*high, Some(hi), "{table}.{column}: CHECK high vs the type");
                    compared += 1;
                }
                (None, None) => {}
                (check, want) => {
                    panic!("{table}.{column}: CHECK range {check:?}, type range {want:?}")
                }
            }
        }
        for column in ranges.keys() {
            assert!(
                fields.iter().any(|(c, _)| c == column),
                "{table}.{column} has a range CHECK but is no field of the record table"
            );
        }
    }
    assert!(compared >= 20, "only {compared} ranges compared");
}
