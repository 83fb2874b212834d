//! The photo effects: reading folders and files for the attach form,
//! attaching, loading a client's photos and the compare screen, decoding
//! photos into the drawing cache, and handing a private copy to the viewer.
//! Like `effects`, this is IO; `update` and `render` never are.

use super::photos::{Entry, Photos, Probe, is_picture_name};
use super::{Action, Focus, State};
use crate::app::photo_view::{Compare, CompareView, Visit};
use crate::db::Store;
use crate::domain::photo::View;
use crate::photo::{Format, PhotoStore};
use chrono::NaiveDate;
use ratatui::layout::Rect;
use std::path::Path;

/// The entries of `dir` (unreadable: none, and the hint says so).
pub fn list_folder(typed: &str, dir: &Path) -> Action {
    let read = if dir.as_os_str().is_empty() {
        std::fs::read_dir(".")
    } else {
        std::fs::read_dir(dir)
    };
    let entries = match read {
        Ok(r) => r
            .filter_map(Result::ok)
            .map(|e| Entry {
                name: e.file_name().to_string_lossy().into_owned(),
                // Follows links, as a shell's completion does.
                dir: e.path().is_dir(),
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    Action::FolderListed(typed.to_string(), entries)
}

/// What the typed path is: missing, a folder of pictures, a picture, or a
/// file refused with the photo layer's own reason (HEIC says how to
/// convert).
pub fn probe(typed: &str, path: &Path) -> Action {
    let probe = if path.is_dir() {
        let mut pictures = Vec::new();
        let mut others = 0;
        if let Ok(r) = std::fs::read_dir(path) {
            for e in r.filter_map(Result::ok) {
                let p = e.path();
                if !p.is_file() {
                    continue;
                }
                if is_picture_name(&e.file_name().to_string_lossy()) {
                    pictures.push(p);
                } else {
                    others += 1;
                }
            }
        }
        pictures.sort();
        Probe::Folder(pictures, others)
    } else if path.is_file() {
        Probe::File(match std::fs::read(path) {
            Ok(bytes) => crate::photo::sniff(&bytes)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(format!("cannot be read: {e}")),
        })
    } else {
        Probe::Missing
    };
    Action::PathProbed(typed.to_string(), probe)
}

/// Attaches through the one attach function.
pub fn attach(
    store: &mut Store,
    session: i64,
    day: NaiveDate,
    requests: &[crate::photo::attach::Request],
) -> Vec<Action> {
    match crate::photo::attach::attach(store, session, requests) {
        Ok(photos) => {
            let what = attached_what(&photos);
            let focus = match store
                .session(session)
                .and_then(|x| Ok((store.series(x.series_id)?.client_id, x.series_id)))
            {
                Ok((client, series)) => Focus {
                    client: Some(client),
                    series: Some(series),
                    session: Some(session),
                    reveal: false,
                },
                Err(_) => Focus::default(),
            };
            vec![Action::Saved {
                message: format!("Attached {what} to the session of {day} (u undoes)"),
                focus,
            }]
        }
        Err(e) => vec![Action::Failed(format!("Nothing attached: {e}"))],
    }
}

/// "1 photo (front)", "3 photos (front, left, close-up: cheeks)"; past
/// six photos only the count.
fn attached_what(photos: &[crate::db::photos::Photo]) -> String {
    let n = photos.len();
    let count = if n == 1 {
        "1 photo".to_string()
    } else {
        format!("{n} photos")
    };
    if n > 6 {
        return count;
    }
    let views: Vec<String> = photos
        .iter()
        .map(|p| crate::domain::photo::stored_view_label(&p.data.view, &p.data.zone))
        .collect();
    format!("{count} ({})", views.join(", "))
}

pub fn load_photos(store: &Store, client: i64) -> Vec<Action> {
    match store
        .photos_of_client(client)
        .and_then(|p| Ok((p, store.photo_consent(client)?)))
    {
        Ok((p, consent)) => vec![Action::PhotosLoaded(client, p, consent)],
        Err(e) => vec![Action::Failed(format!("Could not read the photos: {e}"))],
    }
}

/// The compare screen of `client` on series `series`: every view with a
/// photo in that series, each visit's photo of each view.
pub fn load_compare(store: &Store, client: i64, series: i64) -> Vec<Action> {
    match compare(store, client, series) {
        Ok(c) => vec![Action::CompareLoaded(Box::new(c))],
        Err(e) => vec![Action::Failed(format!("Could not read the photos: {e}"))],
    }
}

fn compare(store: &Store, client: i64, series: i64) -> Result<Compare, crate::db::StoreError> {
    let tree = store.client_tree(client)?;
    let photos: Vec<_> = store
        .photos_of_client(client)?
        .into_iter()
        .filter(|p| p.series_id == series)
        .collect();
    let mut views: Vec<CompareView> = Vec::new();
    for p in &photos {
        let Some(view) = View::from_code(&p.photo.data.view) else {
            continue;
        };
        let cv = match crate::domain::Zone::from_code(&p.photo.data.zone) {
            Some(z) if view == View::CloseUp => CompareView::close_up(z),
            _ => CompareView::new(view),
        };
        if !views.contains(&cv) {
            views.push(cv);
        }
    }
    views.sort_by_key(|v| (v.view, v.zone));
    let mut visits = Vec::new();
    if let Some(st) = tree.series.iter().find(|s| s.series.id == series) {
        let scale = st.series.data.outcome_scale;
        for (i, x) in st.sessions.iter().enumerate() {
            let mine: Vec<_> = photos
                .iter()
                .filter(|p| p.photo.session_id == x.id)
                .collect();
            let hashes = views
                .iter()
                .map(|v| {
                    mine.iter()
                        .find(|p| {
                            p.photo.data.view == v.view.as_str()
                                && v.zone.is_none_or(|z| p.photo.data.zone == z.code())
                        })
                        .map(|p| p.photo.data.sha256.clone())
                })
                .collect();
            visits.push(Visit {
                date: x.data.performed_at.date(),
                session_number: i + 1,
                score: x
                    .data
                    .outcome_score
                    .map(|s| format!("{} {s}", scale.label())),
                photos: hashes,
            });
        }
    }
    Ok(Compare::new(tree.client.data.name.clone(), views, visits))
}

/// The body area the compare screen is drawn in, for a terminal of `size`.
pub fn compare_area(size: (u16, u16)) -> Rect {
    let [_, body, _, _] = super::layout::frame(Rect::new(0, 0, size.0, size.1));
    body
}

/// Decodes and encodes the photos the compare screen is about to draw.
pub fn prepare(state: &mut State, store: &Store) -> Vec<Action> {
    let Some(c) = &state.photos.compare else {
        return Vec::new();
    };
    let wanted = c.wanted(compare_area(state.size));
    let mut failed = Vec::new();
    for (hash, rect) in wanted {
        let Photos { painter, cache, .. } = &mut state.photos;
        if cache.has(&hash, rect.width, rect.height) {
            continue;
        }
        let done = read_plain(store, &hash).and_then(|(plain, format)| {
            let image = crate::photo::picture::decode(&plain, format).map_err(|e| e.to_string())?;
            cache.prepare(painter, &hash, &image, rect)
        });
        if let Err(e) = done {
            failed.push(Action::Failed(format!("A photo could not be shown: {e}")));
        }
    }
    failed
}

/// The plain bytes of stored photo `hash` (opened with its key).
fn read_plain(store: &Store, hash: &str) -> Result<(Vec<u8>, Format), String> {
    let file = store
        .photo_file(hash)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "no row names this photo any more".to_string())?;
    let format = Format::parse(&file.format).ok_or_else(|| format!("format {}", file.format))?;
    let key = file
        .file_key
        .as_deref()
        .map(crate::photo::FileKey::from_hex)
        .transpose()
        .map_err(|e| e.to_string())?;
    let plain = PhotoStore::for_db(store.path())
        .get(hash, format, key.as_ref())
        .map_err(|e| e.to_string())?;
    Ok((plain, format))
}

/// Writes a private copy of photo `hash` and starts the viewer on it; the
/// copy is kept in `state` until the compare screen closes.
pub fn open(state: &mut State, store: &Store, hash: &str, view: &str, date: NaiveDate) -> Action {
    let copy = read_plain(store, hash).and_then(|(plain, format)| {
        crate::photo::viewer::PrivateCopy::new(&plain, format, view, date)
            .map_err(|e| e.to_string())
    });
    let copy = match copy {
        Ok(c) => c,
        Err(e) => return Action::Failed(format!("Not opened: {e}")),
    };
    let program = state
        .photos
        .viewer
        .clone()
        .or_else(|| std::env::var_os(crate::photo::viewer::VIEWER_ENV));
    let command = crate::photo::viewer::viewer_command_for(program);
    match crate::photo::viewer::open_with(command, &copy) {
        Ok(child) => {
            state.photos.copies.push(copy);
            state.photos.viewers.push(child);
            Action::PhotoOpened(
                "Opened in the viewer; the temporary copy is removed when you leave this screen"
                    .into(),
            )
        }
        Err(e) => Action::Failed(format!("Not opened: {e}")),
    }
}
