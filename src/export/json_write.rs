//! Writing the JSON export client by client: the document of
//! [`json::document`] and [`json::to_string`], byte for byte, serialised
//! by serde_json's own pretty printer as each client's records are read,
//! without the whole document ever being in memory.

use super::json::{self, ClientRecord, Document, PhotoRecord, SeriesRecord, SessionRecord};
use crate::db::{ScopedClient, Store, StoreError, TreeStream};
use chrono::{DateTime, Utc};
use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::Write;

/// What a streamed document held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub clients: usize,
    pub series: usize,
    pub sessions: usize,
}

/// [`Document`] with its clients read from the store while they are
/// written: the same fields in the same order, so the same text.
#[derive(Serialize)]
struct StreamedDocument<'a, 's> {
    format: String,
    version: u32,
    exported_at: String,
    clients: Clients<'a, 's>,
}

/// The `clients` list, serialised one client at a time from the store.
struct Clients<'a, 's> {
    store: &'a Store,
    trees: &'a TreeStream<'s>,
    /// Why the store stopped the list, when it did.
    failed: RefCell<Option<StoreError>>,
    written: Cell<Written>,
}

/// Why the list stopped: the store, or the writer.
enum Stop<E> {
    Store(StoreError),
    Write(E),
}

impl<E> From<StoreError> for Stop<E> {
    fn from(e: StoreError) -> Self {
        Stop::Store(e)
    }
}

/// The client's photos by session, read with the client's tree.
fn photos_by_session(
    store: &Store,
    client_id: i64,
) -> Result<HashMap<i64, Vec<PhotoRecord>>, StoreError> {
    let mut by: HashMap<i64, Vec<PhotoRecord>> = HashMap::new();
    for p in store.photos_of_client(client_id)? {
        let record = PhotoRecord::of(&p.photo).ok_or_else(|| {
            StoreError::Other(format!(
                "photo {} has a view, zone, source or format this version does not know",
                p.photo.uuid
            ))
        })?;
        by.entry(p.photo.session_id).or_default().push(record);
    }
    Ok(by)
}

fn record(c: ScopedClient, mut photos: HashMap<i64, Vec<PhotoRecord>>) -> ClientRecord {
    ClientRecord {
        client: c.client,
        series: c
            .series
            .into_iter()
            .map(|s| SeriesRecord {
                series: s.series,
                sessions: s
                    .sessions
                    .into_iter()
                    .map(|session| SessionRecord {
                        photos: photos.remove(&session.id).unwrap_or_default(),
                        session,
                    })
                    .collect(),
            })
            .collect(),
    }
}

impl Serialize for Clients<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        let mut written = self.written.get();
        let read = self.trees.for_each(|c| {
            written.clients += 1;
            written.series += c.series.len();
            written.sessions += c.series.iter().map(|s| s.sessions.len()).sum::<usize>();
            let photos = photos_by_session(self.store, c.client.id)?;
            seq.serialize_element(&record(c, photos))
                .map_err(Stop::Write)
        });
        self.written.set(written);
        match read {
            Ok(_) => seq.end(),
            Err(Stop::Write(e)) => Err(e),
            Err(Stop::Store(e)) => {
                *self.failed.borrow_mut() = Some(e);
                Err(S::Error::custom("the records could not be read"))
            }
        }
    }
}

/// Writes the JSON export of the records in `trees` to `out` (pretty
/// printed, with a trailing newline), as [`json::to_string`] would have
/// written [`json::document`] of them, with each session's photos read
/// from `store` along with its client. A failed write becomes `on_io`'s
/// error.
pub fn write<W: Write>(
    store: &Store,
    trees: &TreeStream<'_>,
    exported_at: DateTime<Utc>,
    mut out: W,
    on_io: impl Fn(std::io::Error) -> StoreError,
) -> Result<Written, StoreError> {
    // The header fields as the whole document has them.
    let Document {
        format,
        version,
        exported_at,
        ..
    } = json::document(Vec::new(), exported_at);
    let doc = StreamedDocument {
        format,
        version,
        exported_at,
        clients: Clients {
            store,
            trees,
            failed: RefCell::new(None),
            written: Cell::new(Written::default()),
        },
    };
    let result = serde_json::to_writer_pretty(&mut out, &doc);
    if let Some(e) = doc.clients.failed.take() {
        return Err(e);
    }
    result.map_err(|e| on_io(e.into()))?;
    out.write_all(b"\n").map_err(&on_io)?;
    Ok(doc.clients.written.get())
}
