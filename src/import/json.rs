//! Reading a JSON export as a stream: the `clients` list is read one client
//! (with its series and sessions) at a time and each is handed on as soon
//! as it is read, so memory holds one client, not the file.
//!
//! Two passes over the file. The first ([`check_file`]) reads the whole
//! text without keeping it: the JSON syntax, and the header (`format`,
//! `version`) wherever it stands among the keys, so a bad or foreign file
//! is refused before any database is opened, and a hand-edited file with
//! `clients` before `version` is read like any other. The second
//! ([`stream`]) checks every record against the schema ([`Shape`]) and the
//! types, and hands each client to the caller (the store, inside one
//! transaction).

use super::shape::{Shape, missing, unknown};
use crate::db::{ClientTree, SeriesTree, StoreError};
use crate::domain::{Client, ClientDraft, Series, Session, SessionDraft, ValidSeries};
use crate::export::json::{FORMAT, PhotoRecord, VERSION};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess};
use serde_json::Value;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use uuid::Uuid;

/// Just enough of a document to tell what it is; everything else in the
/// file is read past without being kept.
#[derive(Deserialize)]
struct Header {
    format: Option<Value>,
    version: Option<Value>,
}

/// Reads the whole file once: valid JSON, a needlelog export, a version
/// this program reads.
pub(super) fn check_file(reader: impl Read) -> Result<(), String> {
    let header: Header = serde_json::from_reader(reader).map_err(|e| match e.classify() {
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
        Some(v) if v == u64::from(VERSION) => Ok(()),
        Some(v) if v > u64::from(VERSION) => Err(format!(
            "written by a newer needlelog (export version {v}; this version reads {VERSION}); update needlelog"
        )),
        _ => Err(format!(
            "unknown export version {}; this version reads {VERSION}",
            header
                .version
                .map_or("(none)".to_string(), |v| v.to_string())
        )),
    }
}

/// Where a client goes once read; an error stops the reading.
pub(super) type Sink<'a> = dyn FnMut(&ClientTree) -> Result<(), StoreError> + 'a;

/// Reads a file that [`check_file`] passed and hands each client to
/// `sink`, in the file's order. The first record that does not fit is
/// named by its path; an error of `sink` is returned as it is.
pub(super) fn stream(
    reader: impl Read,
    shape: &Shape,
    photos: &Cell<usize>,
    sink: &mut Sink<'_>,
) -> Result<(), StoreError> {
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = DocumentSeed {
        shape,
        photos,
        sink,
        failed: &mut failed,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match (read, failed) {
        (_, Some(e)) => Err(e),
        (Ok(()), None) => Ok(()),
        (Err(e), None) => {
            // Messages name the record by its path; where the reader stood
            // (the end of that client) would only mislead.
            let text = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            let text = match e.classify() {
                serde_json::error::Category::Data => text.trim_end_matches(&position),
                _ => &text,
            };
            Err(StoreError::Other(text.to_string()))
        }
    }
}

struct DocumentSeed<'a, 'b> {
    shape: &'a Shape,
    photos: &'a Cell<usize>,
    sink: &'a mut Sink<'b>,
    failed: &'a mut Option<StoreError>,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> de::Visitor<'de> for DocumentSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a needlelog export (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let doc = self.shape.document();
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format!("{key}: appears twice")));
            }
            match doc["properties"].get(&key) {
                None => return Err(de::Error::custom(unknown(&key))),
                Some(_) if key == "clients" => map.next_value_seed(ClientsSeed {
                    shape: self.shape,
                    photos: self.photos,
                    sink: &mut *self.sink,
                    failed: &mut *self.failed,
                })?,
                Some(schema) => {
                    // format and version were checked by the first pass.
                    let v: Value = map.next_value()?;
                    self.shape
                        .check(&v, schema, &key)
                        .map_err(de::Error::custom)?;
                }
            }
            seen.push(key);
        }
        let required = doc["required"].as_array().into_iter().flatten();
        for k in required.filter_map(Value::as_str) {
            if !seen.iter().any(|s| s == k) {
                return Err(de::Error::custom(missing(k)));
            }
        }
        Ok(())
    }
}

struct ClientsSeed<'a, 'b> {
    shape: &'a Shape,
    photos: &'a Cell<usize>,
    sink: &'a mut Sink<'b>,
    failed: &'a mut Option<StoreError>,
}

impl<'de> DeserializeSeed<'de> for ClientsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> de::Visitor<'de> for ClientsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("clients: a list of clients")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut uuids = HashSet::new();
        let mut i = 0usize;
        while let Some(v) = seq.next_element::<Value>()? {
            let at = format!("clients[{i}]");
            let tree = client_tree(self.shape, v, &at, &mut uuids, self.photos)
                .map_err(de::Error::custom)?;
            // The store puts the record's path in front of its message.
            if let Err(e) = (self.sink)(&tree) {
                *self.failed = Some(e);
                return Err(de::Error::custom("stopped"));
            }
            i += 1;
        }
        Ok(())
    }
}

/// The list under `key` of a record, taken out of it.
fn take_list(
    o: &mut serde_json::Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Vec<Value>, String> {
    match o.remove(key) {
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(format!("{at}.{key}: expected a list, not {other}")),
        None => Err(missing(&format!("{at}.{key}"))),
    }
}

/// Reads `v` as a `T` (a stored record) whose fields are those of `D` (its
/// draft, flattened into it) and a few of its own. serde cannot say which
/// field of a flattened draft failed, so the draft is read alone to name it.
fn record<T: DeserializeOwned, D: DeserializeOwned>(v: &Value, at: &str) -> Result<T, String> {
    let name = |e: serde_path_to_error::Error<serde_json::Error>| {
        let path = e.path().to_string();
        if path == "." {
            format!("{at}: {}", e.inner())
        } else {
            format!("{at}.{path}: {}", e.inner())
        }
    };
    serde_path_to_error::deserialize::<_, T>(v).map_err(|whole| {
        match serde_path_to_error::deserialize::<_, D>(v) {
            Err(inner) => name(inner),
            Ok(_) => name(whole),
        }
    })
}

fn unique(uuids: &mut HashSet<Uuid>, uuid: Uuid, at: &str) -> Result<(), String> {
    if uuids.insert(uuid) {
        Ok(())
    } else {
        Err(format!(
            "{at}.uuid: {uuid} appears more than once in the file"
        ))
    }
}

/// `client 'Ana' (uuid)`, from whatever of the two the record holds.
fn describe(v: &Value) -> String {
    let name = v.get("name").and_then(Value::as_str);
    let uuid = v.get("uuid").and_then(Value::as_str);
    match (name, uuid) {
        (Some(n), Some(u)) => format!("client '{n}' {u}"),
        (Some(n), None) => format!("client '{n}'"),
        (None, Some(u)) => format!("client {u}"),
        (None, None) => "a client without name or uuid".into(),
    }
}

fn uuid_of(v: &Value) -> &str {
    v.get("uuid")
        .and_then(Value::as_str)
        .unwrap_or("without uuid")
}

/// One client of the file, checked against the schema and read.
fn client_tree(
    shape: &Shape,
    v: Value,
    at: &str,
    uuids: &mut HashSet<Uuid>,
    photos: &Cell<usize>,
) -> Result<ClientTree, String> {
    let who = |e: String| format!("{e} ({})", describe(&v));
    shape
        .check(&v, shape.def("ClientRecord"), at)
        .map_err(who)?;
    let client: Client = {
        let Value::Object(o) = &v else {
            return Err(format!("{at}: expected a client (a JSON object), not {v}"));
        };
        // Read without its series (they follow, one by one).
        let fields = o.iter().filter(|(k, _)| *k != "series");
        let fields = Value::Object(fields.map(|(k, x)| (k.clone(), x.clone())).collect());
        record::<Client, ClientDraft>(&fields, at).map_err(who)?
    };
    unique(uuids, client.uuid, at)?;
    let Value::Object(mut o) = v else {
        return Err(format!("{at}: expected a client (a JSON object)"));
    };
    let series = take_list(&mut o, "series", at)?;
    // What names the client in messages about its series and sessions.
    let client_v = serde_json::json!({"name": o.get("name"), "uuid": o.get("uuid")});
    let mut tree = ClientTree {
        client,
        series: Vec::with_capacity(series.len()),
    };
    for (j, s) in series.into_iter().enumerate() {
        let at = format!("{at}.series[{j}]");
        let Value::Object(mut o) = s else {
            return Err(format!("{at}: expected a series (a JSON object)"));
        };
        let sessions = take_list(&mut o, "sessions", &at)?;
        let o = Value::Object(o);
        let series: Series = record::<Series, ValidSeries>(&o, &at)
            .map_err(|e| format!("{e} ({}, series {})", describe(&client_v), uuid_of(&o)))?;
        unique(uuids, series.uuid, &at)?;
        let mut read = Vec::with_capacity(sessions.len());
        for (k, mut x) in sessions.into_iter().enumerate() {
            let at = format!("{at}.sessions[{k}]");
            // The photos (checked against the schema with the client) are
            // counted, not imported: see `ImportSummary::photos_skipped`.
            if let Some(Value::Array(listed)) = x.as_object_mut().and_then(|o| o.remove("photos")) {
                for (n, p) in listed.iter().enumerate() {
                    let at = format!("{at}.photos[{n}]");
                    let photo: PhotoRecord = record::<PhotoRecord, PhotoRecord>(p, &at)?;
                    for (field, n) in [
                        ("width", u64::from(photo.width)),
                        ("height", u64::from(photo.height)),
                        ("bytes", photo.bytes),
                    ] {
                        if n == 0 {
                            return Err(format!("{at}.{field}: must be at least 1"));
                        }
                    }
                    unique(uuids, photo.uuid, &at)?;
                }
                photos.set(photos.get() + listed.len());
            }
            let x = &x;
            let session: Session = record::<Session, SessionDraft>(x, &at)
                .map_err(|e| format!("{e} ({}, session {})", describe(&client_v), uuid_of(x)))?;
            unique(uuids, session.uuid, &at)?;
            read.push(session);
        }
        tree.series.push(SeriesTree {
            series,
            sessions: read,
        });
    }
    Ok(tree)
}
