//! Records through the store: every entity written and read back field for
//! field, updated, archived; and the audit row each change leaves.

mod support;

use needlelog::db::{Clock, Counts, Store, StoreError};
use needlelog::domain::{
    AdverseEvent, AdverseKind, ClientDraft, Concern, Days, Depth, Followup, OutcomeScale,
    SeriesDraft, SeriesStatus, SessionDraft, Zone,
};
use rusqlite::Connection;
use serde_json::json;
use support::store::*;
use support::{at, date, demo_trees, today};

/// Counts and audit size, to show that a refused write changed nothing.
fn snapshot(store: &Store) -> Counts {
    store.counts().unwrap()
}

#[test]
fn client_with_every_field_round_trips() {
    let (_dir, path) = temp_db();
    let mut store = open_at(&path);
    let draft = full_client();
    let created = store.create_client(&draft, None).unwrap();
    assert_eq!(created.data, draft);
    assert_eq!(created.created_at, now());
    assert_eq!(created.updated_at, now());
    assert_eq!(created.archived_at, None);
    assert_eq!(created.uuid.get_version_num(), 7);
    assert_eq!(store.client(created.id).unwrap(), created);
    assert_eq!(store.clients(false).unwrap(), vec![created.clone()]);
    drop(store);

    // And from the file, by a new connection.
    let store = open_at(&path);
    assert_eq!(store.client(created.id).unwrap(), created);
    let screening = &store.client(created.id).unwrap().data.screening;
    assert_eq!(screening[1].date, Some(date(2026, 3, 15)));
}

#[test]
fn client_input_is_cleaned_before_it_is_stored() {
    let (_dir, mut store) = temp_store();
    let mut draft = full_client();
    draft.name = "  Ana Souza \t".into();
    draft.email = " ana@example.org ".into();
    draft.concerns = vec![
        Concern::Hyperpigmentation,
        Concern::AcneScars,
        Concern::Hyperpigmentation,
    ];
    draft.screening.reverse();
    draft.notes.push_str("  \n");
    let created = store.create_client(&draft, None).unwrap();
    assert_eq!(created.data, full_client());
}

#[test]
fn series_round_trips_and_updates() {
    let (_dir, mut store) = temp_store();
    let client = store.create_client(&full_client(), None).unwrap();
    let draft = full_series();
    let series = store.create_series(client.id, &draft).unwrap();
    assert_eq!(series.client_id, client.id);
    assert_eq!(series.data, draft.validate().unwrap());
    assert_eq!(series.data.planned_sessions, 6);
    assert_eq!(
        (series.data.interval_min_days, series.data.interval_max_days),
        (30, 45)
    );
    assert_eq!(series.data.baseline_score, Some(3));
    assert_eq!(series.data.notes, "Rolling scars, both cheeks.");
    assert_eq!(store.series(series.id).unwrap(), series);
    assert_eq!(store.series_of(client.id).unwrap(), vec![series.clone()]);

    store.set_clock(Clock::Fixed(later(5)));
    let changed = SeriesDraft {
        concern: Concern::Wrinkles,
        zones: vec![Zone::Forehead, Zone::Periorbital],
        planned_sessions: 4,
        interval_min_days: 21,
        interval_max_days: 35,
        outcome_scale: OutcomeScale::Lemperle,
        baseline_score: Some(0),
        started_on: date(2026, 9, 30),
        status: SeriesStatus::Closed,
        notes: "Changed course.".into(),
        closure: needlelog::domain::Closure::new(
            date(2026, 11, 20),
            needlelog::domain::CloseReason::Other,
            "moved abroad",
        ),
    };
    let updated = store.update_series(series.id, &changed).unwrap();
    assert_eq!(updated.data, changed.validate().unwrap());
    assert_eq!(updated.data.baseline_score, Some(0));
    assert_eq!((updated.id, updated.uuid), (series.id, series.uuid));
    assert_eq!(updated.created_at, now());
    assert_eq!(updated.updated_at, later(5));
    assert_eq!(store.series(series.id).unwrap(), updated);
}

#[test]
fn outcome_scale_is_fixed_once_sessions_are_scored() {
    let (_dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    store.create_session(series.id, &full_session()).unwrap();
    let before = snapshot(&store);
    let mut draft = full_series();
    draft.outcome_scale = OutcomeScale::Severity;
    let err = store.update_series(series.id, &draft).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(snapshot(&store), before);
    assert_eq!(store.series(series.id).unwrap(), series);
}

#[test]
fn session_with_every_field_round_trips() {
    let (_dir, path) = temp_db();
    let mut store = open_at(&path);
    let (_, series) = add_client_then_series(&mut store);
    let draft = full_session();
    let session = store.create_session(series.id, &draft).unwrap();
    assert_eq!(session.data, draft);
    assert_eq!(session.series_id, series.id);
    assert_eq!((session.created_at, session.updated_at), (now(), now()));
    assert_eq!(store.session(session.id).unwrap(), session);
    assert_eq!(store.sessions_of(series.id).unwrap(), vec![session.clone()]);

    let d = &session.data;
    assert_eq!(d.depth_mm.unwrap().to_string(), "0.3");
    assert_eq!(d.depth_mm.unwrap().hundredths(), 30);
    assert_eq!(d.zone_depths[&Zone::Chin].hundredths(), 25);
    assert_eq!(d.depth_for(Zone::Cheeks).unwrap().to_string(), "0.3");
    assert_eq!(d.followup.redness_days.unwrap().halves(), 5);
    assert_eq!(d.followup.peeling_days.unwrap().to_string(), "3.5");
    assert_eq!(d.followup.adverse_events.len(), 2);
    drop(store);

    // What the file holds is exact too, for other readers of it.
    let raw = Connection::open(&path).unwrap();
    let (exact, zone_depths, redness, events): (bool, String, f64, String) = raw
        .query_row(
            "SELECT depth_mm = 0.3, zone_depths, redness_days, adverse_events FROM sessions",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(exact);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&zone_depths).unwrap(),
        json!({"chin": 0.25, "jawline": 1.5})
    );
    assert_eq!(redness, 2.5);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&events).unwrap(),
        json!([{"kind": "pih", "note": "small patch, left cheek"},
               {"kind": "other", "note": "itching on day 2"}])
    );
    drop(raw);
    let store = open_at(&path);
    assert_eq!(store.session(session.id).unwrap(), session);
}

#[test]
fn every_depth_and_half_day_survives_the_file() {
    let (_dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    // Every representable depth and downtime, in one pass through the file.
    for h in 10..=300 {
        let mut d = SessionDraft::at(at("2026-11-01 09:00"));
        d.depth_mm = Some(Depth::from_hundredths("depth", h).unwrap());
        d.zone_depths.insert(
            Zone::Chin,
            Depth::from_hundredths("depth", 310 - h).unwrap(),
        );
        let halves = h % 61;
        d.followup.redness_days = Some(Days::from_halves("r", halves).unwrap());
        d.followup.recorded_on = Some(date(2026, 11, 2));
        let s = store.create_session(series.id, &d).unwrap();
        assert_eq!(s.data, d, "depth {h} hundredths");
    }
}

/// The file keeps sessions to the minute; what `create_session` returns and
/// what validation promises must be that, not the seconds of "now".
#[test]
fn a_session_time_with_seconds_is_kept_to_the_minute_everywhere() {
    let (_dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    let with_seconds = at("2026-11-21 09:15") + chrono::Duration::milliseconds(42_500);
    let draft = SessionDraft::at(with_seconds);
    let clean = draft
        .validate(OutcomeScale::GoodmanBaron, at("2026-11-21 12:00"))
        .unwrap();
    assert_eq!(clean.performed_at, at("2026-11-21 09:15"));
    let stored = store.create_session(series.id, &draft).unwrap();
    assert_eq!(stored.data, clean);
    assert_eq!(store.session(stored.id).unwrap(), stored);
}

#[test]
fn session_updates_keep_identity_and_followup_is_set() {
    let (_dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    let first = store
        .create_session(series.id, &SessionDraft::at(at("2026-10-01 09:00")))
        .unwrap();
    let session = store.create_session(series.id, &full_session()).unwrap();

    store.set_clock(Clock::Fixed(later(10)));
    let mut changed = SessionDraft::at(at("2026-11-20 11:15"));
    changed.depth_mm = Some(depth("0.25"));
    changed.outcome_score = Some(2);
    changed.zones = vec![Zone::Forehead];
    let updated = store.update_session(session.id, &changed).unwrap();
    assert_eq!(updated.data, changed);
    assert_eq!((updated.id, updated.uuid), (session.id, session.uuid));
    assert_eq!(updated.created_at, now());
    assert_eq!(updated.updated_at, later(10));
    assert_eq!(store.session(session.id).unwrap(), updated);
    assert_eq!(store.session(first.id).unwrap(), first);
    assert_eq!(store.counts().unwrap().sessions, 2);

    // A follow-up without a date is dated today; only follow-up fields change.
    store.set_clock(Clock::Fixed(later(20)));
    let mut f = full_followup();
    f.recorded_on = None;
    let followed = store.set_followup(session.id, &f).unwrap();
    assert_eq!(followed.data.followup.recorded_on, Some(today()));
    assert_eq!(followed.data.followup.adverse_events, f.adverse_events);
    assert_eq!(followed.data.followup.redness_days, Some(days("2.5")));
    assert_eq!(followed.data.depth_mm, Some(depth("0.25")));
    assert_eq!(followed.updated_at, later(20));
    let audit = store.audit_for(&session.uuid.to_string()).unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["create", "update", "followup"]);

    // An empty follow-up clears it again.
    let cleared = store
        .set_followup(session.id, &Followup::default())
        .unwrap();
    assert_eq!(cleared.data.followup, Followup::default());
}

#[test]
fn client_updates_and_archiving() {
    let (_dir, mut store) = temp_store();
    let client = store.create_client(&full_client(), None).unwrap();
    let other = store
        .create_client(&ClientDraft::named("Bo"), None)
        .unwrap();

    store.set_clock(Clock::Fixed(later(1)));
    let updated = store.update_client(client.id, &other_client()).unwrap();
    assert_eq!(updated.data, other_client());
    assert_eq!((updated.id, updated.uuid), (client.id, client.uuid));
    assert_eq!(updated.created_at, now());
    assert_eq!(updated.updated_at, later(1));
    assert_eq!(store.client(client.id).unwrap(), updated);
    // Emptying fields stores them empty.
    let emptied = store
        .update_client(client.id, &ClientDraft::named("Ana"))
        .unwrap();
    assert_eq!(emptied.data, ClientDraft::named("Ana"));

    store.set_clock(Clock::Fixed(later(2)));
    let archived = store.set_archived(client.id, true).unwrap();
    assert_eq!(archived.archived_at, Some(later(2)));
    assert_eq!(archived.data, emptied.data);
    assert_eq!(store.clients(false).unwrap(), vec![other.clone()]);
    assert_eq!(store.clients(true).unwrap().len(), 2);
    let c = store.counts().unwrap();
    assert_eq!((c.clients, c.archived), (1, 1));

    store.set_clock(Clock::Fixed(later(3)));
    let restored = store.set_archived(client.id, false).unwrap();
    assert_eq!(restored.archived_at, None);
    assert_eq!(restored.updated_at, later(3));
    assert_eq!(store.clients(false).unwrap().len(), 2);
    let actions: Vec<String> = store
        .audit_for(&client.uuid.to_string())
        .unwrap()
        .into_iter()
        .map(|a| a.action.to_string())
        .collect();
    assert_eq!(
        actions,
        ["create", "update", "update", "archive", "unarchive"]
    );
}

#[test]
fn each_change_writes_one_full_audit_row() {
    let (_dir, mut store) = temp_store();
    let (client, series) = add_full_client(&mut store);
    let cu = client.uuid.to_string();
    let su = series.uuid.to_string();

    let created = store.audit_for(&cu).unwrap();
    assert_eq!(created.len(), 1);
    let a = &created[0];
    assert_eq!((a.entity.as_str(), a.action.as_str()), ("client", "create"));
    assert_eq!(a.entity_uuid, cu);
    assert_eq!(a.at, "2026-11-21T15:04:05.123Z");
    assert!(!a.os_user.trim().is_empty());
    assert!(a.summary.contains("Ana Souza"), "{}", a.summary);
    assert_eq!(a.before, None);
    let after = a.after.as_ref().unwrap();
    assert_eq!(after["name"], "Ana Souza");
    assert_eq!(after["uuid"], cu.as_str());
    assert_eq!(after["fitzpatrick"], 4);
    assert_eq!(after["glogau"], 2);
    assert_eq!(after["date_of_birth"], "1988-02-29");
    assert!(after["archived_at"].is_null());

    // The first series is part of the same change.
    let s = store.audit_for(&su).unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(
        (s[0].entity.as_str(), s[0].action.as_str()),
        ("series", "create")
    );
    assert_eq!(s[0].change_id, a.change_id);
    assert_eq!(s[0].after.as_ref().unwrap()["client_id"], client.id);

    store.set_clock(Clock::Fixed(later(1)));
    store.update_client(client.id, &other_client()).unwrap();
    let rows = store.audit_for(&cu).unwrap();
    assert_eq!(rows.len(), 2);
    let u = &rows[1];
    assert_eq!(u.action.as_str(), "update");
    assert!(u.change_id > a.change_id);
    assert_eq!(u.before.as_ref(), a.after.as_ref());
    assert_eq!(u.after.as_ref().unwrap()["name"], "Ana Souza-Lima");
    assert_eq!(u.after.as_ref().unwrap()["fitzpatrick"], 6);

    let session = store.create_session(series.id, &full_session()).unwrap();
    let x = store.audit_for(&session.uuid.to_string()).unwrap();
    assert_eq!(x.len(), 1);
    assert_eq!(
        (x[0].entity.as_str(), x[0].action.as_str()),
        ("session", "create")
    );
    assert_eq!(x[0].after.as_ref().unwrap()["depth_mm"], 0.3);
    assert_eq!(x[0].after.as_ref().unwrap()["redness_days"], 2.5);

    // Client create, series create, client update, session create.
    assert_eq!(store.counts().unwrap().audit, 4);
}

#[test]
fn refused_drafts_name_the_field_and_change_nothing() {
    let (_dir, mut store) = temp_store();
    let (client, series) = add_client_then_series(&mut store);
    let before = snapshot(&store);

    assert_eq!(
        invalid_fields(store.create_client(&ClientDraft::named("   "), None)),
        ["name"]
    );
    let mut bad = full_client();
    bad.email = "ana@example".into();
    bad.consent_on = Some(date(2026, 11, 22)); // tomorrow by the store's clock
    assert_eq!(
        invalid_fields(store.create_client(&bad, None)),
        ["e-mail", "consent date"]
    );
    // A bad first series refuses the client too.
    let mut bad_series = full_series();
    bad_series.planned_sessions = 0;
    assert_eq!(
        invalid_fields(store.create_client(&full_client(), Some(&bad_series))),
        ["planned sessions"]
    );
    assert_eq!(
        invalid_fields(store.update_client(client.id, &ClientDraft::named(""))),
        ["name"]
    );
    assert_eq!(
        invalid_fields(store.create_series(client.id, &bad_series)),
        ["planned sessions"]
    );
    let mut bad_session = full_session();
    bad_session.outcome_score = Some(5); // Goodman & Baron stops at 4
    assert_eq!(
        invalid_fields(store.create_session(series.id, &bad_session)),
        ["outcome score"]
    );
    let mut other = Followup::default();
    other
        .adverse_events
        .push(AdverseEvent::new(AdverseKind::Other));
    let session = store
        .create_session(series.id, &SessionDraft::at(at("2026-11-20 09:00")))
        .unwrap();
    let before_followup = snapshot(&store);
    assert_eq!(
        invalid_fields(store.set_followup(session.id, &other)),
        ["adverse events"]
    );
    assert_eq!(snapshot(&store), before_followup);
    // Nothing but the one session was added by all of the above.
    let expected = Counts {
        sessions: before.sessions + 1,
        audit: before.audit + 1,
        ..before
    };
    assert_eq!(before_followup, expected);
    assert_eq!(store.client(client.id).unwrap(), client);

    let err = store
        .create_client(&ClientDraft::named(""), None)
        .unwrap_err();
    assert!(err.to_string().contains("name is required"), "{err}");
}

#[test]
fn unknown_ids_are_not_found_and_leave_no_audit_row() {
    let (_dir, mut store) = temp_store();
    let client = store.create_client(&full_client(), None).unwrap();
    let before = snapshot(&store);
    let results: [(Result<(), StoreError>, &str); 8] = [
        (store.update_client(999, &full_client()).map(drop), "client"),
        (store.set_archived(999, true).map(drop), "client"),
        (store.client(999).map(drop), "client"),
        (store.create_series(999, &full_series()).map(drop), "client"),
        (store.update_series(999, &full_series()).map(drop), "series"),
        (
            store.create_session(999, &full_session()).map(drop),
            "series",
        ),
        (
            store.update_session(999, &full_session()).map(drop),
            "session",
        ),
        (
            store.set_followup(999, &full_followup()).map(drop),
            "session",
        ),
    ];
    for (i, (result, want)) in results.into_iter().enumerate() {
        match result {
            Err(StoreError::NotFound { entity, .. }) => assert_eq!(entity, want, "case {i}"),
            other => panic!("case {i}: expected NotFound {want}, got {other:?}"),
        }
    }
    assert_eq!(snapshot(&store), before);
    assert_eq!(store.audit_for(&client.uuid.to_string()).unwrap().len(), 1);
}

#[test]
fn a_failed_bulk_insert_leaves_no_data_and_no_audit_row() {
    let (_dir, mut store) = temp_store();
    store
        .create_client(&ClientDraft::named("Bo"), None)
        .unwrap();
    let before = snapshot(&store);
    let mut trees = demo_trees(3, 1);
    // The second tree repeats the first tree's client UUID.
    trees[1].client.uuid = trees[0].client.uuid;
    let err = store
        .insert_trees(&trees, needlelog::db::Action::Import, "import 3 clients")
        .unwrap_err();
    assert!(err.to_string().contains("uuid"), "{err}");
    assert_eq!(snapshot(&store), before);
    assert_eq!(store.clients(true).unwrap().len(), 1);
    assert!(store.audit_for("").unwrap().is_empty());

    // The same trees without the clash go in whole, with one audit row.
    trees[1].client.uuid = uuid::Uuid::now_v7();
    store
        .insert_trees(&trees, needlelog::db::Action::Import, "import 3 clients")
        .unwrap();
    let after = snapshot(&store);
    assert_eq!(after.clients + after.archived, before.clients + 3);
    assert_eq!(after.audit, before.audit + 1);
    let rows = store.audit_for("").unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].entity.as_str(), rows[0].action.as_str()),
        ("database", "import")
    );
    assert_eq!(rows[0].summary, "import 3 clients");
}

/// A trigger makes the last statement of a write fail after its data and
/// audit rows were written: neither may stay.
#[test]
fn a_write_failing_midway_rolls_back_data_and_audit_together() {
    let (_dir, path) = temp_db();
    let client = add_client_and_close(open_at(&path));
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch(
        "CREATE TRIGGER no_series BEFORE INSERT ON series BEGIN SELECT RAISE(ABORT, 'no series'); END;
         CREATE TRIGGER no_audit_updates BEFORE INSERT ON audit WHEN NEW.action = 'update'
             BEGIN SELECT RAISE(ABORT, 'no audit'); END;",
    )
    .unwrap();
    drop(raw);

    let mut store = open_at(&path);
    let before = snapshot(&store);
    // The client row and its audit row come before the series insert fails.
    let err = store
        .create_client(&ClientDraft::named("Cy"), Some(&full_series()))
        .unwrap_err();
    assert!(err.to_string().contains("no series"), "{err}");
    assert_eq!(snapshot(&store), before);
    assert!(store.find_client("Cy").is_err());

    // The update is written before its audit row is refused.
    let err = store.update_client(client.id, &other_client()).unwrap_err();
    assert!(err.to_string().contains("no audit"), "{err}");
    assert_eq!(store.client(client.id).unwrap(), client);
    assert_eq!(snapshot(&store), before);
}

#[test]
fn health_check_of_a_fresh_store() {
    let (_dir, mut store) = temp_store();
    let (_, s) = add_full_client(&mut store);
    store.create_session(s.id, &full_session()).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(
        report.schema_version,
        needlelog::db::schema::latest_version()
    );
    assert_eq!(
        report.counts,
        Counts {
            clients: 1,
            archived: 0,
            series: 1,
            sessions: 1,
            audit: 3
        }
    );
}
