//! The rules of the export's JSON Schema that the field types alone do
//! not produce, added to what `schemars` generates (see
//! [`super::json::schema`]). Each comes from the domain's own constants and
//! checks, so the schema and import state one truth:
//!
//! - days, moments and UUIDs get the patterns of [`crate::domain::formats`]
//!   (real calendar values only; UUIDs of version 7);
//! - a text field without a rule of its own (the parameters of a recorded
//!   warning) gets the multi-line text pattern of [`crate::domain::text`];
//! - scores fit the series' outcome scale (`if`/`then` on the scale's
//!   code, for the baseline and every session's score);
//! - the longest interval is not shorter than the shortest;
//! - only a closed series has a closure, and a closure or adverse event of
//!   kind "other" says what happened;
//! - an adverse event resolved on a day has an onset.
//!
//! What JSON Schema cannot say is left to import alone: days relative to
//! today (no session more than a day ahead, no birth in the future, …),
//! two days of a record in order (a follow-up before its session, …), and
//! a UUID used twice anywhere in the file.

use crate::domain::formats::{DATE_PATTERN, TIMESTAMP_PATTERN, UUID_PATTERN};
use crate::domain::text::TEXT_PATTERN;
use crate::domain::{AdverseKind, CloseReason, INTERVAL_RANGE, OutcomeScale, SeriesStatus};
use serde::Serialize;
use serde_json::{Value, json};

/// Adds the rules above to `root`, the schema generated for reading, and
/// requires what import requires (see [`require_always_written`]).
pub(crate) fn tighten(root: &mut Value, written: &Value) {
    require_always_written(root, written);
    add_patterns(root);
    let defs = &mut root["$defs"];
    all_of(&mut defs["SeriesRecord"], series_rules());
    all_of(&mut defs["AdverseEvent"], adverse_rules());
    all_of(
        &mut defs["Closure"],
        vec![says_what_happened(code(CloseReason::Other), "reason")],
    );
}

fn code(v: impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Requires each field that every export writes (`written`, the schema
/// generated for writing, requires it) and that has no default when read
/// (a field added after the first export version has one, so that older
/// exports still fit). schemars, generating for reading, would leave out
/// every `Option` field; serde takes a missing one as `None`, import does
/// not (`import::shape` enforces this list).
fn require_always_written(root: &mut Value, written: &Value) {
    fn fix(read: &mut Value, written: &Value) {
        let Some(props) = read.get("properties").and_then(Value::as_object) else {
            return;
        };
        let always: Vec<&Value> = written
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().collect())
            .unwrap_or_default();
        let required: Vec<Value> = props
            .iter()
            .filter(|(k, p)| always.iter().any(|a| a == k) && p.get("default").is_none())
            .map(|(k, _)| Value::from(k.as_str()))
            .collect();
        read["required"] = Value::from(required);
    }
    fix(root, written);
    let names: Vec<String> = root["$defs"]
        .as_object()
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
    for name in names {
        fix(&mut root["$defs"][&name], &written["$defs"][&name]);
    }
}

/// Appends `rules` to the `allOf` of `schema`.
fn all_of(schema: &mut Value, rules: Vec<Value>) {
    let Some(o) = schema.as_object_mut() else {
        return;
    };
    let list = o.entry("allOf").or_insert_with(|| json!([]));
    if let Some(list) = list.as_array_mut() {
        list.extend(rules);
    }
}

/// Patterns for days, moments and UUIDs by their `format`, and for text
/// that has no pattern of its own.
fn add_patterns(v: &mut Value) {
    match v {
        Value::Object(o) => {
            let is_string = match o.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                _ => false,
            };
            if is_string && !o.contains_key("pattern") {
                let pattern = match o.get("format").and_then(Value::as_str) {
                    Some("date") => Some(DATE_PATTERN),
                    Some("date-time") => Some(TIMESTAMP_PATTERN),
                    Some("uuid") => Some(UUID_PATTERN),
                    Some(_) => None,
                    None if o.contains_key("enum") || o.contains_key("const") => None,
                    None => Some(TEXT_PATTERN),
                };
                if let Some(p) = pattern {
                    o.insert("pattern".into(), Value::from(p));
                }
            }
            for (_, x) in o.iter_mut() {
                add_patterns(x);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(add_patterns),
        _ => {}
    }
}

/// `if` the record's `field` is `value`, `then` …
fn when(field: &str, value: Value, then: Value) -> Value {
    json!({
        "if": {"properties": {field: {"const": value}}, "required": [field]},
        "then": then,
    })
}

fn series_rules() -> Vec<Value> {
    let mut rules: Vec<Value> = OutcomeScale::ALL
        .iter()
        .map(|&scale| {
            let (lo, hi) = scale.range();
            let fits = json!({"minimum": lo, "maximum": hi});
            when(
                "outcome_scale",
                code(scale),
                json!({"properties": {
                    "baseline_score": fits,
                    "sessions": {"items": {"properties": {"outcome_score": fits}}},
                }}),
            )
        })
        .collect();
    // The longest interval is at least the shortest: one rule per day.
    let (lo, hi) = INTERVAL_RANGE;
    rules.extend(((lo + 1)..=hi).map(|day| {
        json!({
            "if": {"properties": {"interval_min_days": {"minimum": day}},
                   "required": ["interval_min_days"]},
            "then": {"properties": {"interval_max_days": {"minimum": day}}},
        })
    }));
    // A series that is not closed has no closure (or an empty one).
    rules.push(json!({
        "if": {"not": {"properties": {"status": {"const": code(SeriesStatus::Closed)}},
                       "required": ["status"]}},
        "then": {"properties": {"closure": {"properties": {
            "closed_on": {"type": "null"},
            "reason": {"type": "null"},
            "note": {"maxLength": 0},
        }}}},
    }));
    rules
}

/// A record whose `field` is "other" has a `note` that is not blank.
fn says_what_happened(other: Value, field: &str) -> Value {
    when(
        field,
        other,
        json!({"required": ["note"], "properties": {"note": {"pattern": "\\S"}}}),
    )
}

fn adverse_rules() -> Vec<Value> {
    vec![
        says_what_happened(code(AdverseKind::Other), "kind"),
        json!({
            "if": {"properties": {"resolved_on": {"type": "string"}}, "required": ["resolved_on"]},
            "then": {"properties": {"onset": {"type": "string"}}, "required": ["onset"]},
        }),
    ]
}
