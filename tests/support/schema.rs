//! A checker for the subset of JSON Schema 2020-12 that
//! schema/export-v1.schema.json (generated from the types) uses (no schema-validator crate is at hand
//! offline). A keyword it does not know fails the test, so the schema
//! cannot promise more than is checked.

use serde_json::Value;
use std::path::Path;

/// The schema file, ready to check documents against.
pub struct Checker {
    pub root: Value,
}

impl Checker {
    pub fn load() -> Self {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/export-v1.schema.json"),
        )
        .unwrap();
        Self {
            root: serde_json::from_str(&text).unwrap(),
        }
    }

    fn resolve(&self, r: &str) -> &Value {
        let name = r.strip_prefix("#/$defs/").expect("local $ref");
        &self.root["$defs"][name]
    }

    fn check(&self, v: &Value, schema: &Value, at: &str, errors: &mut Vec<String>) {
        let Value::Object(s) = schema else {
            panic!("schema at {at} is not an object")
        };
        for (key, rule) in s {
            match key.as_str() {
                "$schema" | "$id" | "$defs" | "title" | "description" | "$comment" | "default" => {}
                "$ref" => self.check(v, self.resolve(rule.as_str().unwrap()), at, errors),
                "type" => {
                    let types: Vec<&str> = match rule {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        _ => panic!("bad type at {at}"),
                    };
                    if !types.iter().any(|t| has_type(v, t)) {
                        errors.push(format!("{at}: {v} is not {types:?}"));
                    }
                }
                "const" if v != rule => errors.push(format!("{at}: {v} is not {rule}")),
                "const" => {}
                "enum" if !rule.as_array().unwrap().contains(v) => {
                    errors.push(format!("{at}: {v} is not one of {rule}"))
                }
                "enum" => {}
                "required" => {
                    if let Value::Object(o) = v {
                        for k in rule.as_array().unwrap() {
                            if !o.contains_key(k.as_str().unwrap()) {
                                errors.push(format!("{at}: missing {k}"));
                            }
                        }
                    }
                }
                "properties" => {
                    if let Value::Object(o) = v {
                        for (k, sub) in rule.as_object().unwrap() {
                            if let Some(x) = o.get(k) {
                                self.check(x, sub, &format!("{at}.{k}"), errors);
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Value::Object(o) = v {
                        let known = s.get("properties").and_then(Value::as_object);
                        for (k, x) in o {
                            if known.is_some_and(|p| p.contains_key(k)) {
                                continue;
                            }
                            match rule {
                                Value::Bool(false) => {
                                    errors.push(format!("{at}: unexpected key {k}"))
                                }
                                Value::Bool(true) => {}
                                sub => self.check(x, sub, &format!("{at}.{k}"), errors),
                            }
                        }
                    }
                }
                "propertyNames" => {
                    if let Value::Object(o) = v {
                        for k in o.keys() {
                            self.check(
                                &Value::from(k.clone()),
                                rule,
                                &format!("{at}[{k}]"),
                                errors,
                            );
                        }
                    }
                }
                "items" => {
                    if let Value::Array(items) = v {
                        for (i, x) in items.iter().enumerate() {
                            self.check(x, rule, &format!("{at}[{i}]"), errors);
                        }
                    }
                }
                "oneOf" => {
                    let matching = rule
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|sub| {
                            let mut e = Vec::new();
                            self.check(v, sub, at, &mut e);
                            e.is_empty()
                        })
                        .count();
                    if matching != 1 {
                        errors.push(format!("{at}: {v} matches {matching} of oneOf, not one"));
                    }
                }
                "anyOf" => {
                    let ok = rule.as_array().unwrap().iter().any(|sub| {
                        let mut e = Vec::new();
                        self.check(v, sub, at, &mut e);
                        e.is_empty()
                    });
                    if !ok {
                        errors.push(format!("{at}: {v} matches none of anyOf"));
                    }
                }
                "minimum" | "maximum" | "multipleOf" => {
                    if let Some(x) = v.as_f64() {
                        let r = rule.as_f64().unwrap();
                        let bad = match key.as_str() {
                            "minimum" => x < r,
                            "maximum" => x > r,
                            _ => (x / r).fract() != 0.0,
                        };
                        if bad {
                            errors.push(format!("{at}: {x} breaks {key} {r}"));
                        }
                    }
                }
                "minLength" | "maxLength" => {
                    if let Some(t) = v.as_str() {
                        let n = t.chars().count() as u64;
                        let r = rule.as_u64().unwrap();
                        if (key == "minLength" && n < r) || (key == "maxLength" && n > r) {
                            errors.push(format!("{at}: length {n} breaks {key} {r}"));
                        }
                    }
                }
                "format" => {
                    if let Some(t) = v.as_str()
                        && !format_ok(rule.as_str().unwrap(), t)
                    {
                        errors.push(format!("{at}: {t:?} is not a {rule}"));
                    }
                    if v.is_number() && !number_format_ok(rule.as_str().unwrap(), v) {
                        errors.push(format!("{at}: {v} is not a {rule}"));
                    }
                }
                "pattern" => {
                    if let Some(t) = v.as_str()
                        && !pattern_ok(rule.as_str().unwrap(), t)
                    {
                        errors.push(format!("{at}: {t:?} does not match {rule}"));
                    }
                }
                other => panic!("the checker does not know the keyword {other} (at {at})"),
            }
        }
    }

    pub fn errors(&self, v: &Value) -> Vec<String> {
        let mut e = Vec::new();
        self.check(v, &self.root, "$", &mut e);
        e
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("unknown type {other}"),
    }
}

fn format_ok(format: &str, t: &str) -> bool {
    match format {
        "date" => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok() && t.len() == 10,
        "date-time" => chrono::DateTime::parse_from_rfc3339(t).is_ok(),
        "uuid" => uuid::Uuid::parse_str(t).is_ok() && t.len() == 36,
        // A local date and time without offset, as the sessions' times are.
        "partial-date-time" => {
            chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        }
        f if integer_range(f).is_some() => true,
        other => panic!("unknown format {other}"),
    }
}

/// The integer formats (`uint8`, …) as ranges.
fn integer_range(format: &str) -> Option<(i128, i128)> {
    Some(match format {
        "uint8" => (0, u8::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    })
}

fn number_format_ok(format: &str, v: &Value) -> bool {
    match integer_range(format) {
        Some((lo, hi)) => v
            .as_i64()
            .map(i128::from)
            .or(v.as_u64().map(i128::from))
            .is_some_and(|n| (lo..=hi).contains(&n)),
        None => format_ok(format, ""),
    }
}

/// The patterns the schema uses, each checked by hand.
fn pattern_ok(pattern: &str, t: &str) -> bool {
    match pattern {
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$" => {
            t.len() == 19 && chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").is_ok()
        }
        other => panic!("the checker does not know the pattern {other}"),
    }
}
