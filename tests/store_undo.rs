//! Undo, looking clients up, drafts, and the demo data through the store.

mod support;

use needlelog::db::{Clock, Store, StoreError};
use needlelog::domain::{ClientDraft, SessionDraft};
use serde_json::json;
use support::store::*;
use support::{at, demo_trees, insert_demo, today};
use tempfile::tempdir;

fn actions(store: &Store, uuid: &uuid::Uuid) -> Vec<String> {
    store
        .audit_for(&uuid.to_string())
        .unwrap()
        .into_iter()
        .map(|a| a.action.to_string())
        .collect()
}

#[test]
fn undo_of_a_new_client_removes_it_and_its_first_series() {
    let (_dir, mut store) = temp_store();
    let (client, series) = add_full_client(&mut store);
    let create_row = store.audit_for(&client.uuid.to_string()).unwrap().remove(0);

    store.set_clock(Clock::Fixed(later(1)));
    let undone = store.undo_last().unwrap().unwrap();
    assert!(
        undone.summary.contains("add client Ana Souza"),
        "{undone:?}"
    );
    assert!(undone.summary.contains("series"), "{undone:?}");
    assert!(matches!(
        store.client(client.id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.series(series.id),
        Err(StoreError::NotFound { .. })
    ));
    let c = store.counts().unwrap();
    assert_eq!((c.clients, c.archived, c.series), (0, 0, 0));
    assert_eq!(c.audit, 4, "two creates and two undo rows");

    // The undo is itself audited: it names what it reverted and keeps the
    // row it removed.
    let rows = store.audit_for(&client.uuid.to_string()).unwrap();
    assert_eq!(rows.len(), 2);
    let u = &rows[1];
    assert_eq!((u.entity.as_str(), u.action.as_str()), ("client", "undo"));
    assert_eq!(u.undoes, Some(create_row.id));
    assert_eq!(u.before, create_row.after);
    assert_eq!(u.after, None);
    assert_eq!(u.at, "2026-11-21T15:05:05.123Z");
    assert!(!u.os_user.is_empty());
    assert!(u.summary.starts_with("undo: "), "{}", u.summary);
    assert_eq!(actions(&store, &series.uuid), ["create", "undo"]);

    // Nothing left: Ok(None), and no audit row for trying.
    assert_eq!(store.undo_last().unwrap(), None);
    assert_eq!(store.counts().unwrap().audit, 4);
}

#[test]
fn undo_puts_old_values_back_and_walks_back_one_change_at_a_time() {
    let (_dir, path) = temp_db();
    let mut store = open_at(&path);
    let (created, updated) = add_then_edit(&mut store);
    store.set_clock(Clock::Fixed(later(2)));
    let archived = store.set_archived(created.id, true).unwrap();
    assert!(archived.archived_at.is_some());

    // Across a re-open: undo reads the log, not memory.
    drop(store);
    let mut store = open_at(&path);
    let u = store.undo_last().unwrap().unwrap();
    assert_eq!(u.summary, "archive client Ana Souza-Lima");
    assert_eq!(store.client(created.id).unwrap(), updated);
    assert_eq!(store.clients(false).unwrap().len(), 1);

    let u = store.undo_last().unwrap().unwrap();
    assert_eq!(u.summary, "edit client Ana Souza-Lima");
    assert_eq!(store.client(created.id).unwrap(), created);

    store.undo_last().unwrap().unwrap();
    assert!(store.client(created.id).is_err());
    assert_eq!(store.undo_last().unwrap(), None);
    assert_eq!(
        actions(&store, &created.uuid),
        ["create", "update", "archive", "undo", "undo", "undo"]
    );
    let rows = store.audit_for(&created.uuid.to_string()).unwrap();
    let undone: Vec<Option<i64>> = rows[3..].iter().map(|r| r.undoes).collect();
    assert_eq!(
        undone,
        [Some(rows[2].id), Some(rows[1].id), Some(rows[0].id)]
    );
}

#[test]
fn undo_of_unarchive_and_of_session_changes() {
    let (_dir, mut store) = temp_store();
    let (client, series) = add_full_client(&mut store);
    let archived = store.set_archived(client.id, true).unwrap();
    store.set_clock(Clock::Fixed(later(1)));
    store.set_archived(client.id, false).unwrap();
    store.undo_last().unwrap().unwrap();
    assert_eq!(store.client(client.id).unwrap(), archived);
    assert_eq!(store.counts().unwrap().archived, 1);

    let plain = store
        .create_session(series.id, &SessionDraft::at(at("2026-11-20 09:00")))
        .unwrap();
    let edited = store.update_session(plain.id, &full_session()).unwrap();
    store.set_clock(Clock::Fixed(later(2)));
    let mut f = full_followup();
    f.redness_days = Some(days("7.5"));
    store.set_followup(plain.id, &f).unwrap();

    store.undo_last().unwrap().unwrap();
    assert_eq!(store.session(plain.id).unwrap(), edited);
    store.undo_last().unwrap().unwrap();
    assert_eq!(store.session(plain.id).unwrap(), plain);
    store.undo_last().unwrap().unwrap();
    assert!(store.session(plain.id).is_err());
    assert_eq!(store.counts().unwrap().sessions, 0);
    // The unarchive was undone already; next is the archive.
    store.undo_last().unwrap().unwrap();
    assert_eq!(store.client(client.id).unwrap().archived_at, None);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn undo_skips_changes_already_undone() {
    let (_dir, mut store) = temp_store();
    let a = store
        .create_client(&ClientDraft::named("Ana"), None)
        .unwrap();
    let b = store
        .create_client(&ClientDraft::named("Bo"), None)
        .unwrap();
    store.undo_last().unwrap().unwrap(); // Bo
    let c = store
        .create_client(&ClientDraft::named("Cy"), None)
        .unwrap();
    assert_eq!(store.undo_last().unwrap().unwrap().summary, "add client Cy");
    assert_eq!(
        store.undo_last().unwrap().unwrap().summary,
        "add client Ana"
    );
    assert_eq!(store.undo_last().unwrap(), None);
    for x in [a, b, c] {
        assert!(store.client(x.id).is_err());
        assert_eq!(actions(&store, &x.uuid), ["create", "undo"]);
    }
}

/// A row changed behind the log's back is not overwritten by undo.
#[test]
fn undo_refuses_to_overwrite_a_change_it_did_not_log() {
    let (_dir, path) = temp_db();
    let mut store = open_at(&path);
    let (client, _) = add_then_edit(&mut store);
    edit_behind_the_logs_back(&path);
    let before = store.counts().unwrap();
    match store.undo_last() {
        Err(StoreError::Conflict(msg)) => assert!(msg.contains("changed since"), "{msg}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.counts().unwrap(), before);
    assert_eq!(
        store.client(client.id).unwrap().data.notes,
        "edited by hand"
    );
}

#[test]
fn find_client_by_uuid_name_or_unique_part() {
    let (_dir, mut store) = temp_store();
    let mut add = |name: &str| {
        store
            .create_client(&ClientDraft::named(name), None)
            .unwrap()
    };
    let ana = add("Ana");
    let ana_lima = add("Ana Lima");
    let anabel = add("Anabel Costa");
    let bo = add("Bo Chen");
    let percent = add("100% Pure");
    let thousand = add("1000 Pure");
    let underscore = add("a_b");
    add("axb");
    let backslash = add(r"C\D");
    add("CxD");
    let find = |key: &str| store.find_client(key).map(|c| c.id);

    assert_eq!(find(&bo.uuid.to_string()).unwrap(), bo.id);
    assert_eq!(find(&bo.uuid.to_string().to_uppercase()).unwrap(), bo.id);
    assert_eq!(find(&format!("  {}  ", ana.uuid)).unwrap(), ana.id);
    // An exact name wins over names that contain it, in any case.
    assert_eq!(find("ana").unwrap(), ana.id);
    assert_eq!(find("ANA LIMA").unwrap(), ana_lima.id);
    assert_eq!(find("  bo chen ").unwrap(), bo.id);
    assert_eq!(find("bel").unwrap(), anabel.id);
    assert_eq!(find("CHEN").unwrap(), bo.id);
    // LIKE wildcards in the query are plain characters.
    assert_eq!(find("0%").unwrap(), percent.id);
    assert_eq!(find("00 P").unwrap(), thousand.id);
    assert_eq!(find("_b").unwrap(), underscore.id);
    assert_eq!(find(r"\").unwrap(), backslash.id);
    assert!(matches!(
        store.find_client("%"),
        Ok(c) if c.id == percent.id
    ));

    match store.find_client("an") {
        Err(StoreError::Conflict(msg)) => {
            for c in [&ana, &ana_lima, &anabel] {
                assert!(msg.contains(&c.data.name), "{msg}");
                assert!(msg.contains(&c.uuid.to_string()), "{msg}");
            }
            assert!(!msg.contains("Bo Chen"), "{msg}");
        }
        other => panic!("expected ambiguity, got {other:?}"),
    }
    for key in [
        "Zed",
        "ana lim a",
        "%%",
        "__b",
        &uuid::Uuid::now_v7().to_string(),
    ] {
        match store.find_client(key) {
            Err(StoreError::NotFound { entity, key: k }) => {
                assert_eq!(entity, "client");
                assert_eq!(k, key.trim());
            }
            other => panic!("{key}: expected NotFound, got {other:?}"),
        }
    }
}

#[test]
fn find_client_caps_a_long_list_of_matches() {
    let (_dir, mut store) = temp_store();
    for i in 0..12 {
        store
            .create_client(&ClientDraft::named(&format!("Test {i:02}")), None)
            .unwrap();
    }
    let msg = store.find_client("test").unwrap_err().to_string();
    assert_eq!(msg.matches("Test ").count(), 10, "{msg}");
    assert!(msg.contains('…'), "{msg}");
    // Two clients with the same name: the exact match is ambiguous too.
    store
        .create_client(&ClientDraft::named("Test 00"), None)
        .unwrap();
    assert!(matches!(
        store.find_client("test 00"),
        Err(StoreError::Conflict(_))
    ));
}

#[test]
fn drafts_are_saved_replaced_listed_and_deleted() {
    let (_dir, path) = temp_db();
    let mut store = open_at(&path);
    let audit = store.counts().unwrap().audit;
    assert!(store.drafts().unwrap().is_empty());

    store
        .save_draft("client", "", &json!({"name": "An"}))
        .unwrap();
    store.set_clock(Clock::Fixed(later(1)));
    store
        .save_draft("session", "42", &json!({"depth": "0.2"}))
        .unwrap();
    store
        .save_draft("session", "43", &json!({"depth": "1.0"}))
        .unwrap();
    let list = store.drafts().unwrap();
    assert_eq!(list.len(), 3);
    let first_client_draft = list.iter().find(|d| d.kind == "client").unwrap().clone();
    assert_eq!(first_client_draft.payload, json!({"name": "An"}));
    assert_eq!(first_client_draft.saved_at, "2026-11-21T15:04:05.123Z");

    // Same kind and target: replaced, not added.
    store.set_clock(Clock::Fixed(later(2)));
    store
        .save_draft("client", "", &json!({"name": "Ana Souza", "phone": "+44"}))
        .unwrap();
    let list = store.drafts().unwrap();
    assert_eq!(list.len(), 3);
    // Newest first.
    assert_eq!(list[0].kind, "client");
    assert_eq!(list[0].id, first_client_draft.id);
    assert_eq!(
        list[0].payload,
        json!({"name": "Ana Souza", "phone": "+44"})
    );
    assert_eq!(list[0].saved_at, "2026-11-21T15:06:05.123Z");
    let targets: Vec<&str> = list[1..].iter().map(|d| d.target.as_str()).collect();
    assert_eq!(targets, ["43", "42"]);

    // Drafts outlive the process.
    drop(store);
    let mut store = open_at(&path);
    let list = store.drafts().unwrap();
    assert_eq!(list.len(), 3);
    let s42 = list.iter().find(|d| d.target == "42").unwrap();
    store.delete_draft(s42.id).unwrap();
    let left: Vec<(String, String)> = store
        .drafts()
        .unwrap()
        .into_iter()
        .map(|d| (d.kind, d.target))
        .collect();
    assert_eq!(
        left,
        [
            ("client".to_string(), String::new()),
            ("session".to_string(), "43".to_string())
        ]
    );
    // Scratch space, not records: not in the audit log.
    assert_eq!(store.counts().unwrap().audit, audit);
}

#[test]
fn demo_data_is_the_same_in_every_database() {
    let dir = tempdir().unwrap();
    let mut trees = Vec::new();
    for name in ["one.db", "two.db"] {
        let mut store = Store::open(&dir.path().join(name)).unwrap();
        insert_demo(&mut store, 50, 9);
        trees.push(store.all_trees().unwrap());
    }
    assert_eq!(trees[0].len(), 50);
    assert_eq!(trees[0], trees[1]);
    let other_seed = demo_trees(50, 10);
    assert_ne!(
        trees[0].iter().map(|t| t.client.uuid).collect::<Vec<_>>(),
        other_seed.iter().map(|t| t.client.uuid).collect::<Vec<_>>()
    );
}

/// What goes in through `insert_trees` comes out of `all_trees` unchanged,
/// but for the database's own ids.
#[test]
fn demo_trees_round_trip_field_for_field() {
    let dir = tempdir().unwrap();
    let mut store = Store::open(&db_path(dir.path())).unwrap();
    let generated = demo_trees(50, 9);
    store
        .insert_trees(&generated, needlelog::db::Action::Demo, "demo data")
        .unwrap();
    let mut stored = store.all_trees().unwrap();
    for t in &mut stored {
        t.client.id = 0;
        for s in &mut t.series {
            s.series.id = 0;
            s.series.client_id = 0;
            for x in &mut s.sessions {
                x.id = 0;
                x.series_id = 0;
            }
        }
    }
    let mut expected = generated.clone();
    // As SQLite's NOCASE orders them (ASCII letters folded only); the same
    // name by insertion order, which the stable sort keeps.
    expected.sort_by_key(|t| t.client.data.name.to_ascii_lowercase());
    assert_eq!(stored.len(), expected.len());
    for (s, e) in stored.iter().zip(&expected) {
        assert_eq!(s, e, "client {}", e.client.data.name);
    }
    let sessions: usize = generated
        .iter()
        .flat_map(|t| &t.series)
        .map(|s| s.sessions.len())
        .sum();
    assert!(sessions > 50, "{sessions} sessions");
    assert_eq!(store.counts().unwrap().sessions, sessions as i64);
}

/// The clients list is kept by triggers; `check` recomputes it from the
/// records and must find it in step after every kind of change, and must
/// notice when it is not.
#[test]
fn the_clients_list_stays_in_step_with_the_records() {
    use needlelog::domain::{Followup, SessionDraft};
    let dir = tempfile::tempdir().unwrap();
    let mut store = needlelog::db::Store::open(&dir.path().join("list.db")).unwrap();
    insert_demo(&mut store, 40, 4);
    assert!(store.check().unwrap().is_ok());
    let row_of = |store: &Store, id: i64| {
        let rows = store.client_rows(true).unwrap();
        rows.into_iter()
            .find(|r| r.id == id)
            .expect("the client's row")
    };
    let rows = store.client_rows(true).unwrap();
    assert_eq!(rows.len(), 40);
    let c = &rows[0];
    let series = c.series.as_ref().unwrap().id;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let x = store.create_session(series, &SessionDraft::at(at)).unwrap();
    let row = row_of(&store, c.id);
    assert_eq!(row.last_visit, Some(at));
    assert!(row.followup_pending);
    assert_eq!(
        row.series.as_ref().unwrap().done,
        c.series.as_ref().unwrap().done + 1
    );
    let f = Followup {
        redness_days: needlelog::domain::Days::parse("r", "2").ok(),
        ..Followup::default()
    };
    store.set_followup(x.id, &f).unwrap();
    assert!(!row_of(&store, c.id).followup_pending);
    store.set_archived(c.id, true).unwrap();
    assert!(
        store
            .client_rows(false)
            .unwrap()
            .iter()
            .all(|r| r.id != c.id)
    );
    for _ in 0..3 {
        store.undo_last().unwrap();
        assert!(store.check().unwrap().is_ok());
    }
    let back = row_of(&store, c.id);
    assert_eq!(back, *c, "undo restores the list row exactly");
    // Damage the list behind the triggers' back: check must say so.
    drop(store);
    let raw = rusqlite::Connection::open(dir.path().join("list.db")).unwrap();
    raw.execute(
        "UPDATE client_list SET done = done + 1 WHERE client_id = ?1",
        [c.id],
    )
    .unwrap();
    drop(raw);
    let store = needlelog::db::Store::open(&dir.path().join("list.db")).unwrap();
    let report = store.check().unwrap();
    assert!(!report.is_ok());
    assert!(report.integrity[0].contains("out of step"), "{report:?}");
}

/// The first screen of a large practice comes from two index range scans;
/// it must show the same clients, in the same order, as the full list
/// sorted by the interface.
#[test]
fn the_first_page_matches_the_sorted_full_list() {
    use needlelog::app::list::{Filter, Rows, Sort, View};
    let dir = tempfile::tempdir().unwrap();
    let mut store = needlelog::db::Store::open(&dir.path().join("page.db")).unwrap();
    let today = today();
    insert_demo(&mut store, 400, 8);
    let all = Rows::new(store.client_rows(true).unwrap(), today, 6);
    let order = Filter::default().visible(&all, View::All, Sort::NextDue, "");
    for limit in [1, 20, 45, 150] {
        let page = store
            .first_due_page(today, limit)
            .unwrap()
            .expect("enough series under way");
        let due: Vec<_> = page
            .iter()
            .map(|r| r.due(today, 6).unwrap().urgency())
            .collect();
        let expected: Vec<_> = order[..limit]
            .iter()
            .map(|&i| all.due[i].unwrap().urgency())
            .collect();
        assert_eq!(due, expected, "limit {limit}");
        // Same clients, except where equal urgency lets names of other
        // alphabets sort differently at the page's edge.
        let last = *due.last().unwrap();
        let ids =
            |rows: Vec<i64>| -> std::collections::BTreeSet<i64> { rows.into_iter().collect() };
        let got = ids(page
            .iter()
            .filter(|r| r.due(today, 6).unwrap().urgency() < last)
            .map(|r| r.id)
            .collect());
        let want = ids(order[..limit]
            .iter()
            .filter(|&&i| all.due[i].unwrap().urgency() < last)
            .map(|&i| all.rows[i].id)
            .collect());
        assert_eq!(got, want, "limit {limit}");
    }
    // A practice with fewer series under way than a page: no page.
    assert!(store.first_due_page(today, 10_000).unwrap().is_none());
}
