//! The full-fidelity JSON export: every field of every record with its
//! UUID, so that it can be re-imported or merged without duplicates.
//! The shape is versioned; `schema/export-v1.schema.json` describes it,
//! generated from these types by [`schema`] (a test keeps the file in step).

use crate::db::{ClientTree, SeriesTree};
use crate::domain::{Client, Series, Session};
use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
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

/// The JSON Schema of [`Document`] as the export writes it (JSON Schema
/// 2020-12), generated from the types: their fields, the serde attributes,
/// and the ranges and lengths the domain states once (bounded types,
/// `schemars` attributes naming the domain's constants).
pub fn schema() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Document>();
    schema.insert(
        "$id".into(),
        Value::from(format!("urn:needlelog:export:v{VERSION}")),
    );
    schema.to_value()
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

/// The trees a document holds, for [`crate::db::Store::import_trees`].
pub fn into_trees(doc: Document) -> Vec<ClientTree> {
    doc.clients
        .into_iter()
        .map(|ClientRecord { client, series }| {
            ClientTree { client, series }
                .map_series(|SeriesRecord { series, sessions }| SeriesTree { series, sessions })
        })
        .collect()
}

/// Just enough of a document to tell what it is before reading it whole.
#[derive(Deserialize)]
struct Header {
    format: Option<Value>,
    version: Option<Value>,
}

/// Reads an export, refusing another program's JSON or a version this
/// program does not know. A record that does not fit is named in the
/// message (client, series, session, with UUIDs).
pub fn parse(bytes: &[u8]) -> Result<Document, String> {
    let header: Header = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            "not a needlelog export (expected a JSON object)".to_string()
        }
        _ => format!("not valid JSON ({e})"),
    })?;
    match &header.format {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => return Err(format!("not a needlelog export (format is {other})")),
        None => return Err("not a needlelog export (no \"format\" field)".into()),
    }
    match header.version.as_ref().and_then(Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) if v > u64::from(VERSION) => {
            return Err(format!(
                "written by a newer needlelog (export version {v}; this version reads {VERSION}); update needlelog"
            ));
        }
        _ => {
            return Err(format!(
                "unknown export version {}; this version reads {VERSION}",
                header
                    .version
                    .map_or("(none)".to_string(), |v| v.to_string())
            ));
        }
    }
    let doc: Document = serde_json::from_slice(bytes).map_err(|e| locate_error(bytes, &e))?;
    check_unique_uuids(&doc)?;
    Ok(doc)
}

/// serde reports where in the text a value failed; this says which record
/// it was, by reading the records one by one.
fn locate_error(bytes: &[u8], whole: &serde_json::Error) -> String {
    let fallback = || format!("does not fit the export format ({whole})");
    let Ok(Value::Object(mut top)) = serde_json::from_slice::<Value>(bytes) else {
        return fallback();
    };
    let Some(Value::Array(clients)) = top.remove("clients") else {
        return format!("no \"clients\" list ({whole})");
    };
    let first_bad = || -> Result<(), String> {
        for client in clients {
            let who = describe(&client, "client", "name");
            for s in read_as::<Client>(client, Some("series"), &who)? {
                let what = format!("{who}, {}", describe(&s, "series", "concern"));
                for x in read_as::<Series>(s, Some("sessions"), &what)? {
                    let at = format!("{what}, {}", describe(&x, "session", "performed_at"));
                    read_as::<Session>(x, None, &at)?;
                }
            }
        }
        Ok(())
    };
    first_bad().err().unwrap_or_else(fallback)
}

/// Reads `record` as a `T` once its `children` list is taken out (they are
/// read one by one after it), and returns the children; a failure is said
/// to be at `at`.
fn read_as<T: DeserializeOwned>(
    mut record: Value,
    children: Option<&str>,
    at: &str,
) -> Result<Vec<Value>, String> {
    let inner = children.map_or_else(Vec::new, |key| take_list(&mut record, key));
    match serde_json::from_value::<T>(record) {
        Ok(_) => Ok(inner),
        Err(e) => Err(format!("{at}: {e}")),
    }
}

fn take_list(v: &mut Value, key: &str) -> Vec<Value> {
    match v.as_object_mut().and_then(|o| o.remove(key)) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

/// `client 'Ana' (uuid)`, from whatever of the two the record holds.
fn describe(v: &Value, kind: &str, label_key: &str) -> String {
    let label = v.get(label_key).and_then(Value::as_str);
    let uuid = v.get("uuid").and_then(Value::as_str);
    match (label, uuid) {
        (Some(l), Some(u)) => format!("{kind} '{l}' ({u})"),
        (Some(l), None) => format!("{kind} '{l}'"),
        (None, Some(u)) => format!("{kind} {u}"),
        (None, None) => format!("a {kind} without name or uuid"),
    }
}

/// A UUID names one record; a file that uses one twice is damaged.
fn check_unique_uuids(doc: &Document) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    let mut check = |kind: &str, uuid: uuid::Uuid| {
        if seen.insert(uuid) {
            Ok(())
        } else {
            Err(format!("{kind} {uuid} appears more than once in the file"))
        }
    };
    for c in &doc.clients {
        check("client", c.client.uuid)?;
        for s in &c.series {
            check("series", s.series.uuid)?;
            for x in &s.sessions {
                check("session", x.uuid)?;
            }
        }
    }
    Ok(())
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
