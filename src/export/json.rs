//! The full-fidelity JSON export: every field of every record with its
//! UUID, so that it can be re-imported or merged without duplicates.
//! The shape is versioned; `schema/export-v1.schema.json` describes it,
//! generated from these types by [`schema`] (a test keeps the file in step).

use crate::db::photos::Photo;
use crate::db::{ClientTree, SeriesTree};
use crate::domain::{Client, Series, Session, View, Zone};
use chrono::NaiveDateTime;
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
    pub sessions: Vec<SessionRecord>,
}

/// A session with the photos attached to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SessionRecord {
    #[serde(flatten)]
    pub session: Session,
    /// The photos attached to the session, by hash and metadata (the files
    /// themselves travel with `needlelog backup`); left out when none
    /// (exports before photos existed have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRecord>,
}

impl From<Session> for SessionRecord {
    fn from(session: Session) -> Self {
        Self {
            session,
            photos: Vec::new(),
        }
    }
}

/// Where a photo's time was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TakenFrom {
    /// The camera's own record (EXIF DateTimeOriginal).
    Exif,
    /// The file's modification time.
    File,
}

/// How a photo's file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhotoFormat {
    Jpeg,
    Png,
}

/// SHA-256 in lower-case hex, as photo files are named.
pub const SHA256_PATTERN: &str = "^[0-9a-f]{64}$";

/// One photo of a session: what it shows, when it was taken, and the
/// stored file's size and hash (never the file's key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PhotoRecord {
    pub uuid: uuid::Uuid,
    pub view: View,
    /// The zone of a close-up; left out for the other views.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<Zone>,
    /// Local time, to the second.
    #[schemars(extend("pattern" = crate::domain::formats::SECOND_PATTERN))]
    pub taken_at: NaiveDateTime,
    pub taken_from: TakenFrom,
    pub format: PhotoFormat,
    #[schemars(range(min = 1))]
    pub width: u32,
    #[schemars(range(min = 1))]
    pub height: u32,
    /// The stored file's size (metadata removed, before any encryption).
    #[schemars(range(min = 1))]
    pub bytes: u64,
    /// SHA-256 of the stored file's bytes (metadata removed, before any
    /// encryption): the file's name in the photo folder.
    #[schemars(extend("pattern" = SHA256_PATTERN))]
    pub sha256: String,
}

impl PhotoRecord {
    /// The export's view of a stored photo row; `None` for a row whose
    /// codes this version does not know (the store refuses those).
    pub fn of(p: &Photo) -> Option<Self> {
        let d = &p.data;
        Some(Self {
            uuid: p.uuid,
            view: View::from_code(&d.view)?,
            zone: match d.zone.as_str() {
                "" => None,
                z => Some(Zone::from_code(z)?),
            },
            taken_at: d.taken_at,
            taken_from: match d.taken_from.as_str() {
                "exif" => TakenFrom::Exif,
                "file" => TakenFrom::File,
                _ => return None,
            },
            format: match d.format.as_str() {
                "jpeg" => PhotoFormat::Jpeg,
                "png" => PhotoFormat::Png,
                _ => return None,
            },
            width: d.width,
            height: d.height,
            bytes: d.bytes,
            sha256: d.sha256.clone(),
        })
    }
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
                    .map(|SeriesTree { series, sessions }| SeriesRecord {
                        series,
                        sessions: sessions.into_iter().map(SessionRecord::from).collect(),
                    })
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
