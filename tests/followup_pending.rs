//! "Follow-up pending" has one meaning, the domain's
//! (`domain::followup_pending`: the latest session of the current series
//! holds no observation — a report date alone is none). The stored clients
//! list keeps to it through every kind of change, `check` notices when it
//! does not, and files written by version 2 (which counted a bare report
//! date as done and a note as nothing) are brought in line on opening.
//!
//! `PROPTEST_CASES` sets the number of property cases (default 48).

mod support;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use needlelog::db::client_list::ClientRow;
use needlelog::db::schema::steps;
use needlelog::db::{Store, StoreError};
use needlelog::domain::{
    AdverseEvent, AdverseKind, ClientDraft, Concern, Followup, NOTHING_TO_RECORD, SeriesDraft,
    SeriesStatus, SessionDraft,
};
use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use std::path::Path;
use support::store::*;
use support::{at, proptest_cases, proptest_runner, today};
use tempfile::tempdir;

fn row(store: &Store, id: i64) -> ClientRow {
    store
        .client_rows(true)
        .unwrap()
        .into_iter()
        .find(|r| r.id == id)
        .unwrap()
}

/// Every client's list flag against the domain's answer from their records.
fn assert_list_agrees(store: &Store, context: &str) {
    for r in store.client_rows(true).unwrap() {
        let tree = store.client_tree(r.id).unwrap();
        assert_eq!(
            r.followup_pending,
            tree.followup_pending(),
            "{context}: {} (client {})",
            r.name,
            r.id
        );
    }
}

/// Writes follow-up columns straight into the file, as an older version
/// (or another tool) may have left them; the triggers still run.
fn raw_followup(path: &Path, session: i64, on: Option<&str>, notes: &str) {
    let raw = Connection::open(path).unwrap();
    raw.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    raw.execute(
        "UPDATE sessions SET followup_on = ?2, redness_days = NULL, swelling_days = NULL,
                peeling_days = NULL, adverse_events = '[]', followup_notes = ?3
         WHERE id = ?1",
        rusqlite::params![session, on, notes],
    )
    .unwrap();
}

fn session_at(text: &str) -> SessionDraft {
    SessionDraft::at(at(text))
}

#[test]
fn a_report_date_alone_is_refused_and_nothing_at_all_clears() {
    let (_dir, mut store) = temp_store();
    let c = store
        .create_client(&ClientDraft::named("Ana"), Some(&full_series()))
        .unwrap();
    let series = store.series_of(c.id).unwrap()[0].id;
    let x = store
        .create_session(series, &session_at("2026-11-20 10:00"))
        .unwrap();
    assert!(row(&store, c.id).followup_pending);
    let dated = Followup {
        recorded_on: Some(today()),
        ..Followup::default()
    };
    match store.set_followup(x.id, &dated) {
        Err(StoreError::Invalid(e)) => assert!(e[0].to_string().contains(NOTHING_TO_RECORD)),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Blank notes are no note.
    let blank = Followup {
        notes: "  \n".into(),
        ..dated.clone()
    };
    assert!(store.set_followup(x.id, &blank).is_err());
    assert_eq!(store.session(x.id).unwrap(), x, "nothing was written");
    assert!(row(&store, c.id).followup_pending);

    // A note alone is an observation: dated today, and nothing pending.
    let noted = Followup {
        notes: "no reaction at all".into(),
        ..Followup::default()
    };
    let x2 = store.set_followup(x.id, &noted).unwrap();
    assert_eq!(x2.data.followup.recorded_on, Some(today()));
    assert!(!row(&store, c.id).followup_pending);
    // Nothing at all clears the follow-up, and it is pending again.
    store.set_followup(x.id, &Followup::default()).unwrap();
    assert!(row(&store, c.id).followup_pending);
    assert_list_agrees(&store, "after clearing");
}

/// `needlelog check` compares the flag too.
#[test]
fn check_reports_a_followup_flag_out_of_step() {
    let dir = tempdir().unwrap();
    let path = db_path(dir.path());
    let mut store = open_at(&path);
    let c = store
        .create_client(&ClientDraft::named("Ana"), Some(&full_series()))
        .unwrap();
    let series = store.series_of(c.id).unwrap()[0].id;
    store
        .create_session(series, &session_at("2026-11-20 10:00"))
        .unwrap();
    assert!(store.check().unwrap().is_ok());
    drop(store);
    let raw = Connection::open(&path).unwrap();
    raw.execute(
        "UPDATE client_list SET followup_pending = 1 - followup_pending WHERE client_id = ?1",
        [c.id],
    )
    .unwrap();
    drop(raw);
    let store = Store::open(&path).unwrap();
    let report = store.check().unwrap();
    assert!(!report.is_ok(), "{report:?}");
    assert!(
        report.integrity.iter().any(|l| l.contains("out of step")),
        "{report:?}"
    );
    drop(store);
    // And the command says so, failing.
    let home = tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_needlelog"))
        .env_remove("NEEDLELOG_DB")
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", home.path())
        .arg("check")
        .arg("--db")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("out of step"), "{text}");
}

/// A file written at version 2, where a report date counted as a follow-up
/// and a note did not, is recomputed on opening.
#[test]
fn a_version_2_file_is_migrated_to_the_one_meaning() {
    let dir = tempdir().unwrap();
    let path = db_path(dir.path());
    let v2 = Migrations::new(steps()[..2].iter().map(|s| M::up(s)).collect());
    let store = Store::open_with(&path, &v2, 2).unwrap();
    // Records as version 2 wrote them (this program writes the latest
    // version's columns, so they go in as SQL).
    let ids = old_version_records(&path, &["Dated only", "Noted only", "Observed"]);
    // The old form's empty save: the report date and nothing else.
    raw_followup(&path, ids[0].1, Some("2026-11-10"), "");
    // A note without a date (import, or an older version's file).
    raw_followup(&path, ids[1].1, None, "mild tightness, gone next day");
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE sessions SET followup_on = '2026-11-05', redness_days = 2 WHERE id = ?1",
            [ids[2].1],
        )
        .unwrap();
    // Read from the table itself: this program's list reader expects the
    // latest version's columns.
    let raw = Connection::open(&path).unwrap();
    let at_v2: Vec<bool> = ids
        .iter()
        .map(|&(c, _)| {
            raw.query_row(
                "SELECT followup_pending FROM client_list WHERE client_id = ?1",
                [c],
                |r| r.get(0),
            )
            .unwrap()
        })
        .collect();
    drop(raw);
    assert_eq!(at_v2, [false, true, false], "version 2's meaning");
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.check().unwrap().schema_version, steps().len());
    let now: Vec<bool> = ids
        .iter()
        .map(|&(c, _)| row(&store, c).followup_pending)
        .collect();
    assert_eq!(now, [true, false, false], "the domain's meaning");
    assert_list_agrees(&store, "after migrating");
    assert!(store.check().unwrap().is_ok());
    // The records themselves are untouched.
    let x = store.session(ids[0].1).unwrap();
    assert_eq!(
        x.data.followup.recorded_on,
        NaiveDate::from_ymd_opt(2026, 11, 10)
    );
    assert!(!x.data.followup.is_recorded());
}

#[derive(Debug, Clone)]
enum Report {
    Days,
    Event,
    NoteOnly,
    /// Refused by the store; written straight into the file instead.
    DateOnly,
    Clear,
}

#[derive(Debug, Clone)]
enum Op {
    Session {
        client: usize,
        series: usize,
        days_ago: i64,
    },
    MoveSession {
        client: usize,
        days_ago: i64,
    },
    Series {
        client: usize,
        active: bool,
        days_ago: i64,
    },
    ToggleSeries {
        client: usize,
        series: usize,
    },
    Followup {
        client: usize,
        nth: usize,
        report: Report,
    },
    Undo,
}

fn op_strategy() -> impl Strategy<Value = Op> {
    let client = 0..2usize;
    let report = prop_oneof![
        Just(Report::Days),
        Just(Report::Event),
        Just(Report::NoteOnly),
        Just(Report::DateOnly),
        Just(Report::Clear),
    ];
    prop_oneof![
        4 => (client.clone(), 0..3usize, 0..40i64)
            .prop_map(|(client, series, days_ago)| Op::Session { client, series, days_ago }),
        1 => (client.clone(), 0..40i64)
            .prop_map(|(client, days_ago)| Op::MoveSession { client, days_ago }),
        1 => (client.clone(), any::<bool>(), 0..60i64)
            .prop_map(|(client, active, days_ago)| Op::Series { client, active, days_ago }),
        1 => (client.clone(), 0..3usize)
            .prop_map(|(client, series)| Op::ToggleSeries { client, series }),
        4 => (client, 0..4usize, report)
            .prop_map(|(client, nth, report)| Op::Followup { client, nth, report }),
        2 => Just(Op::Undo),
    ]
}

fn ago(days: i64) -> NaiveDateTime {
    // Whole days at one time of day: equal dates test the tie on record order.
    (today() - Duration::days(days))
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn run_case(ops: &[Op]) {
    let dir = tempdir().unwrap();
    let path = db_path(dir.path());
    let mut store = open_at(&path);
    let mut clients = Vec::new();
    for name in ["Ana", "Bo"] {
        let mut first = SeriesDraft::new(Concern::AcneScars, today() - Duration::days(90));
        first.planned_sessions = 12;
        clients.push(
            store
                .create_client(&ClientDraft::named(name), Some(&first))
                .unwrap()
                .id,
        );
    }
    for (step, op) in ops.iter().enumerate() {
        let pick = |store: &Store, client: usize| {
            let id = clients[client];
            (id, store.series_of(id).unwrap())
        };
        // Undo reaches back past a client's creation too.
        let gone = |client: &usize| store.client(clients[*client]).is_err();
        match op {
            Op::Session { client, .. }
            | Op::MoveSession { client, .. }
            | Op::Series { client, .. }
            | Op::ToggleSeries { client, .. }
            | Op::Followup { client, .. }
                if gone(client) =>
            {
                continue;
            }
            _ => {}
        }
        match op {
            Op::Session {
                client,
                series,
                days_ago,
            } => {
                let (_, list) = pick(&store, *client);
                let s = &list[series % list.len()];
                store
                    .create_session(s.id, &SessionDraft::at(ago(*days_ago)))
                    .unwrap();
            }
            Op::MoveSession { client, days_ago } => {
                let tree = store.client_tree(clients[*client]).unwrap();
                if let Some(x) = tree.series.iter().flat_map(|t| &t.sessions).next() {
                    let mut d = x.data.clone();
                    d.performed_at = ago(*days_ago);
                    d.followup.recorded_on = None;
                    store.update_session(x.id, &d).unwrap();
                }
            }
            Op::Series {
                client,
                active,
                days_ago,
            } => {
                let mut d =
                    SeriesDraft::new(Concern::FineLines, today() - Duration::days(*days_ago));
                if !active {
                    d.status = SeriesStatus::Closed;
                }
                store.create_series(clients[*client], &d).unwrap();
            }
            Op::ToggleSeries { client, series } => {
                let (_, list) = pick(&store, *client);
                let s = &list[series % list.len()];
                let mut d = SeriesDraft::from(&s.data);
                d.status = match s.data.status {
                    SeriesStatus::Active => SeriesStatus::Closed,
                    SeriesStatus::Closed => SeriesStatus::Active,
                };
                store.update_series(s.id, &d).unwrap();
            }
            Op::Followup {
                client,
                nth,
                report,
            } => {
                let tree = store.client_tree(clients[*client]).unwrap();
                let sessions: Vec<_> = tree.series.iter().flat_map(|t| &t.sessions).collect();
                if sessions.is_empty() {
                    continue;
                }
                let x = sessions[sessions.len() - 1 - nth % sessions.len()];
                let reported = Some(x.data.performed_at.date());
                let f = match report {
                    Report::Days => Followup {
                        recorded_on: reported,
                        redness_days: Some(days("1.5")),
                        ..Followup::default()
                    },
                    Report::Event => Followup {
                        adverse_events: vec![AdverseEvent::new(AdverseKind::AcneFlare)],
                        ..Followup::default()
                    },
                    Report::NoteOnly => Followup {
                        notes: "no reaction".into(),
                        ..Followup::default()
                    },
                    Report::DateOnly => {
                        let dated = Followup {
                            recorded_on: reported,
                            ..Followup::default()
                        };
                        assert!(store.set_followup(x.id, &dated).is_err());
                        raw_followup(&path, x.id, Some("2026-11-21"), "");
                        assert_list_agrees(&store, &format!("step {step}: {op:?}"));
                        continue;
                    }
                    Report::Clear => Followup::default(),
                };
                store.set_followup(x.id, &f).unwrap();
            }
            Op::Undo => match store.undo_last() {
                // The file-level writes above are not in the audit log, so
                // undo may refuse a record changed since; that is its answer.
                Ok(_) | Err(StoreError::Conflict(_)) => {}
                Err(e) => panic!("undo failed: {e}"),
            },
        }
        assert_list_agrees(&store, &format!("step {step}: {op:?}"));
    }
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn the_list_flag_always_equals_the_domains_answer() {
    proptest_runner(proptest_cases(48))
        .run(&proptest::collection::vec(op_strategy(), 1..30), |ops| {
            run_case(&ops);
            Ok(())
        })
        .unwrap();
}
