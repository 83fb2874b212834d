//! What import takes from the export's JSON Schema itself
//! ([`crate::export::json::schema`], generated from the types): the fields
//! each record must have, the fields it may have, and the patterns of
//! days, times, UUIDs and text. A record read from a file is walked along
//! the schema and the first field that does not fit is named by its path
//! (`clients[3].series[0].sessions[2].performed_at: month 13 is not a
//! month`), as is a value of the wrong type. Enumerations and ranges are
//! then checked by serde (with the path too), and the rules between fields
//! by the domain's validation.

use crate::domain::client::email_problem;
use crate::domain::formats::{
    DATE_PATTERN, MINUTE_PATTERN, TIMESTAMP_PATTERN, UUID_PATTERN, check_date, check_minute,
    check_timestamp, check_uuid,
};
use crate::domain::text::{
    NAME_PATTERN, ONE_LINE_PATTERN, TEXT_PATTERN, control_reason, line_control, text_control,
};
use serde_json::{Map, Value};

/// What import says of a field the record lacks, at its path.
pub(super) fn missing(at: &str) -> String {
    format!("{at}: required field is missing")
}

/// What import says of a field the format does not have, at its path.
pub(super) fn unknown(at: &str) -> String {
    format!("{at}: unknown field (not part of this export format)")
}

/// The schema, and the checks its patterns stand for.
pub(crate) struct Shape {
    root: Value,
}

/// The check a pattern of the schema stands for: `Ok` or what is wrong.
type Check = fn(&str) -> Result<(), String>;

fn text_check(s: &str) -> Result<(), String> {
    text_control(s).map_or(Ok(()), |c| Err(control_reason(c, false)))
}

fn line_check(s: &str) -> Result<(), String> {
    line_control(s).map_or(Ok(()), |c| Err(control_reason(c, true)))
}

fn name_check(s: &str) -> Result<(), String> {
    line_check(s)?;
    if s.trim().is_empty() {
        return Err("a name is required".into());
    }
    Ok(())
}

fn email_check(s: &str) -> Result<(), String> {
    line_check(s)?;
    email_problem(s).map_or(Ok(()), Err)
}

/// Every pattern the schema puts on a field, with its check.
pub(crate) const CHECKS: [(&str, Check); 10] = [
    (DATE_PATTERN, check_date),
    (MINUTE_PATTERN, check_minute),
    (TIMESTAMP_PATTERN, check_timestamp),
    (UUID_PATTERN, check_uuid),
    (
        crate::domain::formats::SECOND_PATTERN,
        crate::domain::formats::check_second,
    ),
    (
        crate::export::json::SHA256_PATTERN,
        crate::domain::formats::check_sha256,
    ),
    (TEXT_PATTERN, text_check),
    (ONE_LINE_PATTERN, line_check),
    (NAME_PATTERN, name_check),
    (crate::domain::client::EMAIL_PATTERN, email_check),
];

fn check_for(pattern: &str) -> Option<Check> {
    CHECKS
        .iter()
        .find(|(p, _)| *p == pattern)
        .map(|(_, check)| *check)
}

fn type_admits(schema: &Map<String, Value>, v: &Value) -> bool {
    let name = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let admits = |t: &Value| t == name || (t == "number" && name == "integer");
    match schema.get("type") {
        None => true,
        Some(Value::Array(ts)) => ts.iter().any(admits),
        Some(t) => admits(t),
    }
}

/// What the `type` of a schema asks for, in words.
fn expected(schema: &Map<String, Value>) -> String {
    let words = |t: &Value| match t.as_str() {
        Some("null") => "null",
        Some("boolean") => "true or false",
        Some("integer") => "a whole number",
        Some("number") => "a number",
        Some("string") => "text",
        Some("array") => "a list",
        Some("object") => "an object",
        _ => "another type",
    };
    match schema.get("type") {
        Some(Value::Array(ts)) => ts.iter().map(words).collect::<Vec<_>>().join(" or "),
        Some(t) => words(t).to_string(),
        None => "another type".into(),
    }
}

/// A value as a message quotes it: short.
fn shown(v: &Value) -> String {
    match v {
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        v => {
            let text = v.to_string();
            if text.chars().count() > 40 {
                format!("{}…", text.chars().take(40).collect::<String>())
            } else {
                text
            }
        }
    }
}

impl Shape {
    pub(crate) fn new() -> Self {
        Self {
            root: crate::export::json::schema(),
        }
    }

    /// The definition called `name` (`ClientRecord`, …).
    pub(crate) fn def(&self, name: &str) -> &Value {
        &self.root["$defs"][name]
    }

    /// The document's own fields.
    pub(crate) fn document(&self) -> &Value {
        &self.root
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let mut s = schema;
        // A reference to a reference is followed too (a few steps at most).
        for _ in 0..8 {
            match s
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
            {
                Some(name) => s = self.def(name),
                None => break,
            }
        }
        s
    }

    /// Whether `v` could be meant as `schema`: its type fits, and so does
    /// every field that the schema fixes to one value (an enum's tag).
    fn could_be(&self, schema: &Value, v: &Value) -> bool {
        let Some(s) = self.resolve(schema).as_object() else {
            return true;
        };
        if !type_admits(s, v) {
            return false;
        }
        if let Some(c) = s.get("const") {
            return c == v;
        }
        match (s.get("properties").and_then(Value::as_object), v) {
            (Some(props), Value::Object(o)) => {
                props
                    .iter()
                    .all(|(k, p)| match (self.resolve(p).get("const"), o.get(k)) {
                        (Some(c), Some(x)) => c == x,
                        (Some(_), None) => false,
                        (None, _) => true,
                    })
            }
            _ => true,
        }
    }

    /// Checks `v` against `schema` for fields and patterns; `path` names `v`.
    pub(crate) fn check(&self, v: &Value, schema: &Value, path: &str) -> Result<(), String> {
        let schema = self.resolve(schema);
        let Some(s) = schema.as_object() else {
            return Ok(());
        };
        for key in ["anyOf", "oneOf"] {
            if let Some(alternatives) = s.get(key).and_then(Value::as_array) {
                let fitting: Vec<&Value> = alternatives
                    .iter()
                    .filter(|a| self.could_be(a, v))
                    .collect();
                // Which alternative is meant is clear only when one fits;
                // otherwise serde names the problem.
                if let [only] = fitting.as_slice() {
                    self.check(v, only, path)?;
                }
            }
        }
        if !type_admits(s, v) {
            return Err(format!(
                "{path}: expected {}, not {}",
                expected(s),
                shown(v)
            ));
        }
        match v {
            Value::Object(o) => self.check_object(o, s, path),
            Value::Array(items) => match s.get("items") {
                Some(item) => items
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, x)| self.check(x, item, &format!("{path}[{i}]"))),
                None => Ok(()),
            },
            Value::String(text) => {
                match s.get("pattern").and_then(Value::as_str).and_then(check_for) {
                    Some(check) => check(text).map_err(|e| format!("{path}: {e}")),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    fn check_object(
        &self,
        o: &Map<String, Value>,
        s: &Map<String, Value>,
        path: &str,
    ) -> Result<(), String> {
        let at = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(required) = s.get("required").and_then(Value::as_array) {
            for k in required.iter().filter_map(Value::as_str) {
                if !o.contains_key(k) {
                    return Err(missing(&at(k)));
                }
            }
        }
        for (k, x) in o {
            match (props.and_then(|p| p.get(k)), s.get("additionalProperties")) {
                (Some(sub), _) => self.check(x, sub, &at(k))?,
                (None, Some(Value::Bool(false))) => return Err(unknown(&at(k))),
                (None, Some(sub)) if sub.is_object() => {
                    if let Some(names) = s.get("propertyNames") {
                        self.check(&Value::from(k.as_str()), names, &at(k))?;
                    }
                    self.check(x, sub, &at(k))?;
                }
                (None, _) => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every pattern the schema uses on a field is one import checks.
    #[test]
    fn import_knows_every_pattern_of_the_schema() {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(o) => {
                    for (k, x) in o {
                        match (k.as_str(), x) {
                            // The rules between fields are the domain's.
                            ("allOf", _) => {}
                            ("pattern", Value::String(p)) => out.push(p.clone()),
                            _ => walk(x, out),
                        }
                    }
                }
                Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut patterns = Vec::new();
        walk(Shape::new().document(), &mut patterns);
        assert!(patterns.len() > 20);
        for p in patterns {
            assert!(check_for(&p).is_some(), "no check for {p}");
        }
    }

    /// The checks refuse exactly what their patterns refuse (the patterns
    /// run in `jsonschema`, a real validator).
    #[test]
    fn each_check_agrees_with_its_pattern() {
        let samples = [
            "",
            " ",
            "2026-11-21",
            "2024-02-29",
            "2000-02-29",
            "1900-02-29",
            "2025-02-29",
            "2026-02-30",
            "2026-04-31",
            "2026-12-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-01-32",
            "2026-1-01",
            "2026-11-21T13:05:00",
            "2026-11-21T13:05:15",
            "2026-11-21T24:00:00",
            "2026-11-21T23:60:00",
            "2026-11-21T13:05",
            "2026-11-21 13:05:00",
            "2026-11-21T13:05:09Z",
            "2026-11-21T13:05:09.123456Z",
            "2026-11-21T13:05:09.Z",
            "2026-11-21T13:05:60Z",
            "2026-11-21T13:05:09+02:00",
            "2026-11-21T13:05:09+24:00",
            "2026-11-21T13:05:09z",
            "2026-02-29T13:05:09Z",
            "01900000-0000-7000-8000-0000000000aa",
            "01900000-0000-7000-c000-0000000000aa",
            "01900000-0000-4000-8000-0000000000aa",
            "01900000-0000-7000-8000-0000000000AA",
            "0190000000007000800000000000000a",
            "Ana",
            "  Ana  ",
            "Ana\tB",
            "line\nbreak",
            "cr\r\nlf",
            "nul\u{0}",
            "esc\u{1b}[2J",
            "del\u{7f}",
            "nel\u{85}",
            "Zoë 李小龍",
            "a@b.c",
            " a@b.c ",
            "a@b",
            "@b.c",
            "a@.b",
            "a@b.",
            "a b@c.d",
            "a@b@c.d",
            "a@b..c",
            "\u{a0}a@b.c",
        ];
        for (pattern, check) in CHECKS {
            let schema = json!({"type": "string", "pattern": pattern});
            let validator = jsonschema::validator_for(&schema).unwrap();
            for s in samples {
                assert_eq!(
                    validator.is_valid(&json!(s)),
                    check(s).is_ok(),
                    "{s:?} against {pattern}: {:?}",
                    check(s)
                );
            }
        }
    }
}
