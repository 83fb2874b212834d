//! The demo's photos: after the bulk write, the first few clients with a
//! series of three or more sessions get a photo consent and, at each of
//! that series' sessions, the illustrative photos of `demo::photos` (a
//! front view and a close-up of the cheek). Only a handful of clients, so
//! `demo --clients 100000` stays as fast as without photos. The pictures
//! depend only on the seed and the client's place among them, so the same
//! seed gives the same files (hashes); the rows' UUIDs are new each time.

use super::DemoSpec;
use super::photos::{demo_photo, demo_photo_views};
use crate::db::photos::NewPhoto;
use crate::db::{ClientTree, SeriesTree, Store, StoreError};
use crate::domain::{SeriesStatus, View};
use crate::photo::{FileKey, Format, PhotoStore, Stripped, sha256_hex, strip};
use std::collections::HashMap;

/// How many clients get photos.
pub const PHOTO_CLIENTS: usize = 3;

/// How many clients (from the first) are looked at to find them.
const LOOK_AT: i64 = 200;

/// What [`add_photos`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoPhotos {
    pub clients: usize,
    pub photos: usize,
}

fn photo_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("demo photos: {e}"))
}

/// The series of `tree` whose sessions get the demo photos: the latest
/// open one with three sessions or more, else the latest with three or
/// more. None for an archived client.
fn photo_series(tree: &ClientTree) -> Option<&SeriesTree> {
    if tree.client.archived_at.is_some() {
        return None;
    }
    tree.series
        .iter()
        .rev()
        .find(|s| s.sessions.len() >= 3 && s.series.data.status != SeriesStatus::Closed)
        .or_else(|| tree.series.iter().rev().find(|s| s.sessions.len() >= 3))
}

/// A photo's place in the demo: the photographed client's number (from
/// 0), the visit (from 1), the series' number of visits, the view.
type Place = (usize, usize, usize, View);

/// One demo photo drawn, encoded and stripped, with its hash.
struct Drawn {
    stripped: Stripped,
    hash: String,
}

fn draw(seed: u64, (client, visit, visits, view): Place) -> Result<Drawn, StoreError> {
    let jpeg = demo_photo(seed, client, visit, visits, view).map_err(photo_error)?;
    let stripped = strip(&jpeg, Format::Jpeg).map_err(photo_error)?;
    let hash = sha256_hex(&stripped.bytes);
    Ok(Drawn { stripped, hash })
}

/// Demo photos drawn before they are needed (see [`draw_ahead`]).
#[derive(Default)]
pub struct Drawings(HashMap<Place, Drawn>);

impl Drawings {
    /// How many photos are drawn and not yet taken.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Draws the photos [`add_photos_into`] will want for the demo of `spec`,
/// from the first clients as the generator makes them: meant for a thread
/// of its own while the records are written, since drawing and encoding
/// them is about a quarter of a second that would otherwise come after
/// the write (BENCHMARKS.md, seventh round). Only a head start: a photo
/// not found among them is drawn when it is wanted, so the stored photos
/// are the same either way.
pub fn draw_ahead(spec: DemoSpec) -> Drawings {
    let mut drawn = HashMap::new();
    let chosen = super::clients(spec)
        .take(LOOK_AT as usize)
        .filter_map(|tree| photo_series(&tree).map(|s| s.sessions.len()))
        .take(PHOTO_CLIENTS);
    for (client, visits) in chosen.enumerate() {
        for visit in 1..=visits {
            for &(view, _) in demo_photo_views() {
                let place = (client, visit, visits, view);
                if let Ok(d) = draw(spec.seed, place) {
                    drawn.insert(place, d);
                }
            }
        }
    }
    Drawings(drawn)
}

/// Adds the demo photos to the demo database in `store` (generated with
/// `seed`): one audited write for each client's consent and one for each
/// session's photos.
pub fn add_photos(store: &mut Store, seed: u64) -> Result<DemoPhotos, StoreError> {
    let files = PhotoStore::for_db(store.path());
    add_photos_into(store, seed, &files, &mut Drawings::default())
}

/// [`add_photos`] with the photo files put in `files` (the folder of the
/// name a new database file will take, while it is filled under another),
/// taking the photos already in `drawings` from there.
pub fn add_photos_into(
    store: &mut Store,
    seed: u64,
    files: &PhotoStore,
    drawings: &mut Drawings,
) -> Result<DemoPhotos, StoreError> {
    let encrypted = store.is_encrypted();
    let mut done = DemoPhotos::default();
    for id in 1..=LOOK_AT {
        if done.clients == PHOTO_CLIENTS {
            break;
        }
        let Ok(tree) = store.client_tree(id) else {
            continue;
        };
        let Some(series) = photo_series(&tree) else {
            continue;
        };
        let Some(first) = series.sessions.first() else {
            continue;
        };
        let mut client = tree.client.data.clone();
        client.photo_consent_on = Some(
            client
                .consent_on
                .map_or(first.data.performed_at.date(), |c| {
                    c.min(first.data.performed_at.date())
                }),
        );
        client.photo_consent_beyond = done.clients % 2 == 1;
        store.update_client(id, &client)?;
        let visits = series.sessions.len();
        for (i, session) in series.sessions.iter().enumerate() {
            let mut rows = Vec::new();
            for &(view, zone) in demo_photo_views() {
                let place = (done.clients, i + 1, visits, view);
                let Drawn { stripped, hash } = match drawings.0.remove(&place) {
                    Some(d) => d,
                    None => draw(seed, place)?,
                };
                let key = match encrypted {
                    true => Some(FileKey::generate().map_err(photo_error)?),
                    false => None,
                };
                files
                    .put(&stripped.bytes, &hash, Format::Jpeg, key.as_ref())
                    .map_err(photo_error)?;
                rows.push(NewPhoto {
                    view: view.as_str().to_string(),
                    zone: zone.map(|z| z.code().to_string()).unwrap_or_default(),
                    taken_at: session.data.performed_at,
                    taken_from: "file".to_string(),
                    format: Format::Jpeg.as_str().to_string(),
                    width: stripped.width,
                    height: stripped.height,
                    bytes: stripped.bytes.len() as u64,
                    sha256: hash,
                    file_key: key.map(|k| k.to_hex().to_string()),
                });
            }
            done.photos += store.attach_photos(session.id, &rows)?.len();
        }
        done.clients += 1;
    }
    Ok(done)
}
