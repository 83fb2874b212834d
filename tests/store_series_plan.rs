//! A series' plan changes, it closes early with a reason and reopens; each
//! is one audited change that one undo reverts.

mod support;

use needlelog::db::{Store, StoreError, UndoRedo};
use needlelog::domain::{
    CloseReason, Closure, OutcomeScale, Series, SeriesDraft, SeriesStatus, Session,
};
use support::date;
use support::store::*;

/// A store with one client, a series and a scored session in it.
fn with_a_scored_session() -> (tempfile::TempDir, Store, Series, Session) {
    let (dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    let x = store.create_session(series.id, &full_session()).unwrap();
    assert!(x.data.outcome_score.is_some());
    (dir, store, series, x)
}

#[test]
fn a_series_closes_with_a_reason_and_reopens() {
    let (_dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    let closure = Closure::new(
        date(2026, 11, 20),
        CloseReason::DiscontinuedByClient,
        " moved ",
    );
    let closed = store.close_series(series.id, &closure).unwrap();
    assert_eq!(closed.data.status, SeriesStatus::Closed);
    assert_eq!(
        closed.data.closure.reason,
        Some(CloseReason::DiscontinuedByClient)
    );
    assert_eq!(closed.data.closure.note, "moved");
    assert_eq!(closed.data.closure.closed_on, Some(date(2026, 11, 20)));
    assert_eq!(
        store.series(series.id).unwrap(),
        closed,
        "read back as written"
    );
    assert!(matches!(
        store.close_series(series.id, &closure),
        Err(StoreError::Conflict(_))
    ));

    let reopened = store.reopen_series(series.id).unwrap();
    assert_eq!(reopened.data.status, SeriesStatus::Active);
    assert!(reopened.data.closure.is_empty());
    // Undo the reopening: closed again, with its reason.
    store.revert(UndoRedo::Undo, None).unwrap().unwrap();
    assert_eq!(store.series(series.id).unwrap().data, closed.data);
    store.revert(UndoRedo::Undo, None).unwrap().unwrap();
    assert_eq!(store.series(series.id).unwrap().data, series.data);
}

#[test]
fn other_needs_a_note_and_nothing_is_written_without_it() {
    let (_dir, mut store) = temp_store();
    let (_, series) = add_client_then_series(&mut store);
    let before = store.counts().unwrap();
    let err = store
        .close_series(
            series.id,
            &Closure::new(date(2026, 11, 20), CloseReason::Other, ""),
        )
        .unwrap_err();
    assert_eq!(invalid_fields::<()>(Err(err)), ["close note"]);
    assert_eq!(store.counts().unwrap(), before);
    assert_eq!(store.series(series.id).unwrap(), series);
}

#[test]
fn a_new_scale_clears_the_old_scores_in_the_same_change() {
    let (_dir, mut store, series, x) = with_a_scored_session();
    assert_eq!(store.scored_sessions(series.id).unwrap(), 1);
    let plan = SeriesDraft {
        outcome_scale: OutcomeScale::Severity,
        baseline_score: Some(7),
        planned_sessions: 5,
        ..SeriesDraft::from(&series.data)
    };
    // Refused until the caller says the scores go.
    let err = store.update_series(series.id, &plan).unwrap_err();
    assert!(err.to_string().contains("1 session(s)"), "{err}");
    assert_eq!(store.session(x.id).unwrap(), x);

    let changed = store
        .update_series_clearing_scores(series.id, &plan)
        .unwrap();
    assert_eq!(changed.data.outcome_scale, OutcomeScale::Severity);
    assert_eq!(changed.data.planned_sessions, 5);
    assert_eq!(store.session(x.id).unwrap().data.outcome_score, None);
    // One undo brings back the scale and the score.
    store.revert(UndoRedo::Undo, None).unwrap().unwrap();
    assert_eq!(store.series(series.id).unwrap().data, series.data);
    assert_eq!(store.session(x.id).unwrap(), x);
}

#[test]
fn a_plan_change_within_the_scale_keeps_the_scores() {
    let (_dir, mut store, series, x) = with_a_scored_session();
    let plan = SeriesDraft {
        planned_sessions: 4,
        interval_min_days: 35,
        interval_max_days: 49,
        notes: "Slower pace\nafter the first visit".into(),
        ..SeriesDraft::from(&series.data)
    };
    let changed = store.update_series(series.id, &plan).unwrap();
    assert_eq!(changed.data.interval_min_days, 35);
    assert_eq!(changed.data.notes, "Slower pace\nafter the first visit");
    assert_eq!(store.session(x.id).unwrap(), x);
}
