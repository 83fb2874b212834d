//! The full-fidelity JSON export: every field of every record with its
//! UUID, so that it can be re-imported or merged without duplicates.
//! The shape is versioned; `schema/export-v1.schema.json` describes it.

use crate::db::{ClientTree, SeriesTree};
use crate::domain::{Client, Series, Session};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "needlelog-export";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    pub clients: Vec<ClientRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRecord {
    #[serde(flatten)]
    pub client: Client,
    pub series: Vec<SeriesRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesRecord {
    #[serde(flatten)]
    pub series: Series,
    pub sessions: Vec<Session>,
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
