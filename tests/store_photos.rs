//! Photo rows and their files through the store: attach in one audited
//! write, undo and redo, erasure, a failed attach leaving nothing behind,
//! and sealed files on an encrypted database.

mod support;

use needlelog::db::Store;
use needlelog::domain::Zone;
use needlelog::domain::photo::View;
use needlelog::photo::attach::{AttachError, Request, attach};
use needlelog::photo::{Format, PhotoStore, photo_dir};
use std::path::{Path, PathBuf};
use support::store::*;

/// A JPEG whose pixels depend on `tint`, written to `dir/name`.
fn jpeg(dir: &Path, name: &str, tint: u8) -> PathBuf {
    support::photos::jpeg_at(&dir.join(name), tint)
}

fn request(path: &Path, view: View) -> Request {
    Request {
        path: path.to_path_buf(),
        view,
        zone: (view == View::CloseUp).then_some(Zone::Cheeks),
    }
}

/// A client with one session; returns the session's id.
fn one_session(store: &mut Store) -> i64 {
    let (_, series) = add_full_client(store);
    store.create_session(series.id, &full_session()).unwrap().id
}

fn stored_files(db: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(photo_dir(db)) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[test]
fn attach_writes_rows_and_files_and_undo_takes_both_back() {
    let (dir, mut store) = temp_store();
    let session = one_session(&mut store);
    let front = jpeg(dir.path(), "front.jpg", 200);
    let close = jpeg(dir.path(), "close.jpg", 20);
    let photos = attach(
        &mut store,
        session,
        &[request(&front, View::Front), request(&close, View::CloseUp)],
    )
    .unwrap();
    assert_eq!(photos.len(), 2);
    assert_eq!(photos[0].data.view, "front");
    assert_eq!(photos[1].data.zone, "cheeks");
    assert_eq!(photos[0].data.taken_from, "file");
    assert_eq!(photos[0].data.file_key, None);
    assert_eq!(stored_files(store.path()).len(), 2);
    let files = PhotoStore::for_db(store.path());
    for p in &photos {
        let plain = files
            .get(&p.data.sha256, Format::Jpeg, None)
            .expect("the stored file reads back");
        assert_eq!(plain.len() as u64, p.data.bytes);
    }
    let session_client = store.session(session).unwrap();
    let client = store.series(session_client.series_id).unwrap().client_id;
    assert_eq!(store.photo_counts(client).unwrap(), vec![(session, 2)]);
    assert_eq!(store.photos_of_client(client).unwrap().len(), 2);
    // One change: the audit log says what it was.
    let next = store.next_undo().unwrap().unwrap();
    assert!(
        next.summary.contains("attach a front photo"),
        "{}",
        next.summary
    );
    assert_eq!(next.target.session, Some(session));

    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.released.len(), 2);
    assert!(undone.leftover.is_empty());
    assert!(store.photos_of_session(session).unwrap().is_empty());
    assert!(
        stored_files(store.path()).is_empty(),
        "the files went with the rows"
    );

    // The files are gone, so a redo cannot bring the rows back.
    let err = store.redo_last().unwrap_err().to_string();
    assert!(err.contains("attach the photo again"), "{err}");
    assert!(store.photos_of_session(session).unwrap().is_empty());
}

#[test]
fn a_file_another_row_names_stays_when_one_attach_is_undone() {
    let (dir, mut store) = temp_store();
    let session = one_session(&mut store);
    let (_, series) = add_full_client(&mut store);
    let other = store.create_session(series.id, &full_session()).unwrap().id;
    let pic = jpeg(dir.path(), "same.jpg", 90);
    attach(&mut store, session, &[request(&pic, View::Front)]).unwrap();
    attach(&mut store, other, &[request(&pic, View::Left)]).unwrap();
    assert_eq!(
        stored_files(store.path()).len(),
        1,
        "one file for both rows"
    );
    let undone = store.undo_last().unwrap().unwrap();
    assert!(undone.released.is_empty());
    assert_eq!(stored_files(store.path()).len(), 1);
    assert_eq!(store.photos_of_session(session).unwrap().len(), 1);
}

#[test]
fn the_same_picture_twice_on_one_session_is_refused() {
    let (dir, mut store) = temp_store();
    let session = one_session(&mut store);
    let pic = jpeg(dir.path(), "a.jpg", 5);
    attach(&mut store, session, &[request(&pic, View::Front)]).unwrap();
    let err = attach(&mut store, session, &[request(&pic, View::Right)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("already attached"), "{err}");
    assert_eq!(store.photos_of_session(session).unwrap().len(), 1);
    assert_eq!(stored_files(store.path()).len(), 1);
}

#[test]
fn one_refused_file_attaches_nothing_and_stores_nothing() {
    let (dir, mut store) = temp_store();
    let session = one_session(&mut store);
    let good = jpeg(dir.path(), "good.jpg", 1);
    let heic = dir.path().join("phone.heic");
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    bytes.resize(200, 0);
    std::fs::write(&heic, bytes).unwrap();
    let err = attach(
        &mut store,
        session,
        &[request(&good, View::Front), request(&heic, View::Left)],
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, AttachError::File { .. }), "{text}");
    assert!(
        text.contains("phone.heic") && text.contains("HEIC"),
        "{text}"
    );
    assert!(store.photos_of_session(session).unwrap().is_empty());
    assert!(stored_files(store.path()).is_empty());
    // A close-up without its zone is refused before anything is read.
    let err = attach(
        &mut store,
        session,
        &[Request {
            path: good.clone(),
            view: View::CloseUp,
            zone: None,
        }],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("needs the zone"), "{err}");
    // An unknown session: nothing stored either.
    assert!(attach(&mut store, session + 100, &[request(&good, View::Front)]).is_err());
    assert!(stored_files(store.path()).is_empty());
}

#[test]
fn erasing_a_client_removes_their_photo_rows_and_files_only() {
    let (dir, mut store) = temp_store();
    let hers = one_session(&mut store);
    let (_, series) = add_full_client(&mut store);
    let theirs = store.create_session(series.id, &full_session()).unwrap().id;
    let shared = jpeg(dir.path(), "shared.jpg", 40);
    let own = jpeg(dir.path(), "own.jpg", 41);
    attach(
        &mut store,
        hers,
        &[request(&shared, View::Front), request(&own, View::Left)],
    )
    .unwrap();
    attach(&mut store, theirs, &[request(&shared, View::Front)]).unwrap();
    assert_eq!(stored_files(store.path()).len(), 2);
    let client = store
        .series(store.session(hers).unwrap().series_id)
        .unwrap()
        .client_id;
    let erased = store.erase_client(client).unwrap();
    assert_eq!(erased.photos, 2);
    assert_eq!(erased.released.len(), 1, "only her own file");
    assert_eq!(stored_files(store.path()).len(), 1);
    assert_eq!(store.photos_of_session(theirs).unwrap().len(), 1);
    let left = store.photos_of_session(theirs).unwrap().remove(0);
    assert!(
        PhotoStore::for_db(store.path())
            .get(&left.data.sha256, Format::Jpeg, None)
            .is_ok()
    );
}

#[test]
fn an_encrypted_database_stores_sealed_files_with_their_own_keys() {
    let (dir, path) = temp_db();
    needlelog::db::cipher::remember(&path, support::cipher::pass("photo secret"));
    let mut store = open_at(&path);
    let session = one_session(&mut store);
    let a = jpeg(dir.path(), "a.jpg", 100);
    let b = jpeg(dir.path(), "b.jpg", 101);
    let photos = attach(
        &mut store,
        session,
        &[request(&a, View::Front), request(&b, View::Right)],
    )
    .unwrap();
    let keys: Vec<&str> = photos
        .iter()
        .map(|p| p.data.file_key.as_deref().expect("a key"))
        .collect();
    assert_ne!(keys[0], keys[1], "a key per file");
    let files = stored_files(&path);
    assert_eq!(files.len(), 2);
    for f in &files {
        assert_eq!(f.extension().and_then(|e| e.to_str()), Some("sealed"));
        let bytes = std::fs::read(f).unwrap();
        assert!(
            !bytes.windows(3).any(|w| w == [0xFF, 0xD8, 0xFF]),
            "no JPEG marker in {}",
            f.display()
        );
    }
    let store_files = PhotoStore::for_db(&path);
    for p in &photos {
        let key = needlelog::photo::FileKey::from_hex(p.data.file_key.as_deref().unwrap()).unwrap();
        let plain = store_files
            .get(&p.data.sha256, Format::Jpeg, Some(&key))
            .unwrap();
        assert_eq!(&plain[..3], &[0xFF, 0xD8, 0xFF]);
    }
}

#[cfg(unix)]
#[test]
fn the_photo_folder_and_files_are_private() {
    let (dir, mut store) = temp_store();
    let session = one_session(&mut store);
    let pic = jpeg(dir.path(), "p.jpg", 7);
    attach(&mut store, session, &[request(&pic, View::Front)]).unwrap();
    assert_eq!(support::mode(&photo_dir(store.path())), 0o700);
    for f in stored_files(store.path()) {
        assert_eq!(support::mode(&f), 0o600, "{}", f.display());
    }
}
