//! A guardian's consent on file for a client under 18: files written before
//! it existed gain the columns on opening with their records untouched, the
//! store keeps it, and undo restores what it was.

mod support;

use needlelog::db::Store;
use needlelog::db::schema::steps;
use rusqlite_migration::{M, Migrations};
use support::date;
use support::store::*;
use tempfile::tempdir;

/// The migrations before the one that adds the guardian's consent.
fn before_guardian_consent() -> Vec<&'static str> {
    steps()
        .into_iter()
        .take_while(|s| !s.contains("guardian_consent_on"))
        .collect()
}

#[test]
fn a_file_from_before_guardian_consent_is_migrated_and_keeps_its_clients() {
    let dir = tempdir().unwrap();
    let path = db_path(dir.path());
    let old = before_guardian_consent();
    assert!(old.len() < steps().len(), "a step adds guardian consent");
    let migrations = Migrations::new(old.iter().map(|s| M::up(s)).collect());
    drop(Store::open_with(&path, &migrations, old.len()).unwrap());
    // Records as the older version wrote them, in its columns.
    let ids = old_version_records(&path, &["Young Ana"]);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE clients SET date_of_birth = '2010-06-01', consent_on = '2026-10-01' WHERE id = ?1",
            [ids[0].0],
        )
        .unwrap();

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.check().unwrap().schema_version, steps().len());
    assert!(store.check().unwrap().is_ok());
    let c = store.client(ids[0].0).unwrap();
    assert_eq!(c.data.name, "Young Ana");
    assert_eq!(c.data.date_of_birth, Some(date(2010, 6, 1)));
    assert_eq!(c.data.consent_on, Some(date(2026, 10, 1)));
    assert_eq!(c.data.guardian_consent_on, None);
    assert_eq!(c.data.guardian, "");
    assert_eq!(
        store.session(ids[0].1).unwrap().data.performed_at.date(),
        date(2026, 11, 2)
    );

    // Recorded now, kept, and undone back to nothing.
    let mut with = c.data.clone();
    with.guardian_consent_on = Some(date(2026, 10, 1));
    with.guardian = "  Maria Young, mother ".into();
    store.update_client(c.id, &with).unwrap();
    let back = store.client(c.id).unwrap().data;
    assert_eq!(back.guardian_consent_on, Some(date(2026, 10, 1)));
    assert_eq!(back.guardian, "Maria Young, mother");
    store.undo_last().unwrap();
    assert_eq!(store.client(c.id).unwrap().data.guardian_consent_on, None);
}

#[test]
fn a_guardian_consent_in_the_future_is_refused() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(&db_path(dir.path())).unwrap();
    let mut c = needlelog::domain::ClientDraft::named("Kid");
    c.guardian_consent_on = Some(date(2100, 1, 1));
    let err = store.create_client(&c, None).unwrap_err().to_string();
    assert!(
        err.contains("guardian consent date: cannot be in the future"),
        "{err}"
    );
}
