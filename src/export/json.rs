//! The full-fidelity JSON export: every field of every record with its
//! UUID, so that it can be re-imported or merged without duplicates.
//! The shape is versioned; `schema/export-v1.schema.json` describes it,
//! generated from these types by [`schema`] (a test keeps the file in step).

use crate::db::{ClientTree, SeriesTree};
use crate::domain::{Client, Series, Session};
use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const FORMAT: &str = "needlelog-export";
pub const VERSION: u32 = 1;

/// The full-fidelity JSON export of needlelog (`needlelog export --format
/// json`), read back by `needlelog import`. Every record carries its UUID
/// (v7) and its creation and last-change times (UTC). Clients hold their
/// series, series hold their sessions. A value the program does not know
/// is refused on import; a newer version number is refused as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "needlelog export, version 1", deny_unknown_fields)]
pub struct Document {
    #[schemars(extend("const" = FORMAT))]
    pub format: String,
    /// Changes only when the shape changes in a way an older needlelog could not read.
    #[schemars(extend("const" = VERSION))]
    pub version: u32,
    /// When the export was made.
    #[schemars(with = "DateTime<Utc>")]
    pub exported_at: String,
    pub clients: Vec<ClientRecord>,
}

/// A client with its series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ClientRecord {
    #[serde(flatten)]
    pub client: Client,
    pub series: Vec<SeriesRecord>,
}

/// A series with its sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SeriesRecord {
    #[serde(flatten)]
    pub series: Series,
    pub sessions: Vec<Session>,
}

/// Where the schema file lives in the repository.
pub const SCHEMA_PATH: &str = "schema/export-v1.schema.json";

/// The JSON Schema of [`Document`] as import reads it (JSON Schema
/// 2020-12), generated from the types: their fields, the serde attributes,
/// and the ranges, lengths and patterns the domain states once (bounded
/// types, `schemars` attributes naming the domain's constants), then the
/// rules between fields of [`super::schema_rules`]. A field is required
/// when every export writes it and it has no default: fields added after
/// the first export version have one, so older exports still fit. Import enforces the same required
/// fields, unknown fields and patterns from this very value
/// (`import::shape`).
pub fn schema() -> Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let written = settings
        .clone()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Document>()
        .to_value();
    let mut schema = settings
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<Document>();
    schema.insert(
        "$id".into(),
        Value::from(format!("urn:needlelog:export:v{VERSION}")),
    );
    let mut schema = schema.to_value();
    super::schema_rules::tighten(&mut schema, &written);
    schema
}

/// [`schema`] as the committed file holds it: pretty-printed, with a
/// trailing newline.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

pub fn document(trees: Vec<ClientTree>, exported_at: DateTime<Utc>) -> Document {
    Document {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: exported_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        clients: trees
            .into_iter()
            .map(|t| ClientRecord {
                client: t.client,
                series: t
                    .series
                    .into_iter()
                    .map(|SeriesTree { series, sessions }| SeriesRecord { series, sessions })
                    .collect(),
            })
            .collect(),
    }
}

/// Pretty-printed, with a trailing newline.
pub fn to_string(doc: &Document) -> serde_json::Result<String> {
    let mut s = serde_json::to_string_pretty(doc)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schema is the one the types make. `UPDATE_SCHEMA=1`
    /// writes it instead (then review the diff).
    #[test]
    fn committed_schema_is_generated_from_the_types() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_PATH);
        let generated = schema_text();
        if std::env::var_os("UPDATE_SCHEMA").is_some_and(|v| !v.is_empty() && v != "0") {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{SCHEMA_PATH} is not the schema generated from the types; regenerate it with\n\n    UPDATE_SCHEMA=1 cargo test --lib schema\n\nand review the diff"
        );
    }
}
