//! The committed JSON Schema (schema/export-v1.schema.json, generated from
//! the types), checked by `jsonschema`, a validator nobody here wrote.
//! Formats are annotations in JSON Schema 2020-12; the schema states days,
//! moments and UUIDs as patterns, which every validator checks.

use serde_json::Value;
use std::path::Path;

/// The schema file, ready to check documents against.
pub struct Checker {
    pub root: Value,
    validator: jsonschema::Validator,
}

impl Checker {
    pub fn load() -> Self {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/export-v1.schema.json"),
        )
        .unwrap();
        let root: Value = serde_json::from_str(&text).unwrap();
        let validator = jsonschema::validator_for(&root).expect("a valid JSON Schema");
        Self { root, validator }
    }

    /// `$.path.to.value: what is wrong`, one per problem, in document order.
    pub fn errors(&self, v: &Value) -> Vec<String> {
        let mut errors: Vec<String> = self
            .validator
            .iter_errors(v)
            .map(|e| {
                let at = e
                    .instance_path()
                    .to_string()
                    .replace('/', ".")
                    .trim_start_matches('.')
                    .to_string();
                format!("$.{at}: {e}")
            })
            .collect();
        errors.sort();
        errors
    }
}
