//! The demo database's photos: a handful of clients with a photo consent
//! and a front and a close-up photo at each session of a series, files
//! that verify, and the same files (hashes) for the same seed.

mod support;

use chrono::NaiveDate;
use needlelog::db::{Action, Store};
use needlelog::demo::{DemoSpec, PHOTO_CLIENTS, add_photos, add_photos_into, draw_ahead, generate};
use needlelog::photo::{FileState, Format, PhotoStore};
use support::store::*;

fn demo_store(seed: u64) -> (tempfile::TempDir, Store, usize) {
    let (dir, mut store) = temp_store();
    let spec = DemoSpec {
        clients: 40,
        seed,
        today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    };
    store
        .insert_trees(&generate(spec), Action::Demo, "demo")
        .unwrap();
    let done = add_photos(&mut store, seed).unwrap();
    assert_eq!(done.clients, PHOTO_CLIENTS);
    (dir, store, done.photos)
}

fn hashes(store: &Store) -> Vec<String> {
    let mut h: Vec<String> = store
        .photo_files()
        .unwrap()
        .into_iter()
        .map(|f| f.sha256)
        .collect();
    h.sort();
    h
}

#[test]
fn demo_clients_with_photos_have_consent_and_two_views_per_session() {
    let (_dir, store, photos) = demo_store(1);
    let files = PhotoStore::for_db(store.path());
    let mut with_photos = 0;
    for client in store.clients(true).unwrap() {
        let rows = store.photos_of_client(client.id).unwrap();
        if rows.is_empty() {
            continue;
        }
        with_photos += 1;
        assert!(
            client.data.photo_consent_on.is_some(),
            "{}",
            client.data.name
        );
        let counts = store.photo_counts(client.id).unwrap();
        assert!(counts.len() >= 3, "{counts:?}");
        assert!(counts.iter().all(|&(_, n)| n == 2), "{counts:?}");
        for r in &rows {
            assert_eq!(r.photo.data.taken_at, r.performed_at);
            assert_eq!(
                files.verify(&r.photo.data.sha256, Format::Jpeg, None),
                FileState::Ok
            );
        }
    }
    assert_eq!(with_photos, PHOTO_CLIENTS);
    assert_eq!(hashes(&store).len(), photos);
}

/// The photos drawn ahead on their own thread (as `needlelog demo` does
/// while it writes the records) are exactly the ones wanted: every one is
/// taken, none is drawn again, and the files are those drawn on the spot.
#[test]
fn photos_drawn_ahead_are_the_ones_wanted() {
    let (_a, drawn_on_the_spot, _) = demo_store(1);
    let (_dir, mut store) = temp_store();
    let spec = DemoSpec {
        clients: 40,
        seed: 1,
        today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    };
    store
        .insert_trees(&generate(spec), Action::Demo, "demo")
        .unwrap();
    let mut ahead = draw_ahead(spec);
    let drawn = ahead.len();
    let files = PhotoStore::for_db(store.path());
    let done = add_photos_into(&mut store, 1, &files, &mut ahead).unwrap();
    assert_eq!(drawn, done.photos, "one drawing for each photo");
    assert_eq!(ahead.len(), 0, "every drawing taken");
    assert_eq!(hashes(&store), hashes(&drawn_on_the_spot));
}

#[test]
fn the_same_seed_gives_the_same_files() {
    let (_a, first, _) = demo_store(1);
    let (_b, again, _) = demo_store(1);
    let (_c, other, _) = demo_store(2);
    assert_eq!(hashes(&first), hashes(&again));
    assert_ne!(hashes(&first), hashes(&other));
}

/// `needlelog demo` adds the photos by default, as `--demo` does;
/// `--photos` (the default, kept for scripts) gives the same files;
/// `--no-photos` leaves them out and makes no photo folder; both at once
/// is one clear line and makes nothing.
#[test]
fn the_demo_command_adds_photos_unless_told_not_to() {
    let sb = support::cli::Sandbox::new();
    let listing = |db: &std::path::Path| {
        let mut names = support::names_in(&needlelog::photo::photo_dir(db));
        names.sort();
        names
    };
    let (default, flagged) = (sb.path("default.db"), sb.path("flagged.db"));
    sb.demo(&default, 8, 3);
    sb.demo_photos(&flagged, 8, 3);
    assert!(!listing(&default).is_empty());
    assert_eq!(listing(&default), listing(&flagged));
    assert!(
        sb.check_ok(&default)
            .ends_with(&format!(" photos ({} files)", listing(&default).len()))
    );
    sb.demo_records(&sb.path("records.db"), 8, 3);
    let both = sb.run([
        "demo",
        "--db",
        "both.db",
        "--clients",
        "2",
        "--photos",
        "--no-photos",
    ]);
    assert_eq!(both.status.code(), Some(2), "{both:?}");
    let err = support::cli::stderr(&both);
    assert!(err.contains("--no-photos"), "{err}");
    assert!(!sb.path("both.db").exists());
}
