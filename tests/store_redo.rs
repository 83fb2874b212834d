//! Undo and redo across every kind of change: each is undone, redone,
//! undone again, with the records compared row for row each time; what is
//! about to be undone is named before anything changes; a new change
//! clears the redo chain; conflicts change nothing.

mod support;

use chrono::Duration;
use needlelog::db::{ClientTree, Clock, ListedClient, Store, StoreError, Target, UndoRedo};
use needlelog::domain::{ClientDraft, Concern, SeriesDraft, SessionDraft};
use rusqlite::types::ValueRef;
use std::path::{Path, PathBuf};
use support::store::*;
use support::{at, date, demo_trees};
use tempfile::TempDir;

/// Every row of every record table, and of the list the triggers keep, as
/// text: "the database is as it was" means these are equal.
fn records(path: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut out = Vec::new();
    for table in ["clients", "series", "sessions", "client_list"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => format!("{v:?}"),
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => format!("{b:?}"),
                    })
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

struct Db {
    store: Store,
    path: PathBuf,
    _dir: TempDir,
    minute: i64,
}

impl Db {
    fn new() -> Self {
        let (dir, path) = temp_db();
        Self {
            store: open_at(&path),
            path,
            _dir: dir,
            minute: 0,
        }
    }

    /// Moves the clock on, so that every write has its own time.
    fn tick(&mut self) {
        self.minute += 1;
        self.store.set_clock(Clock::Fixed(later(self.minute)));
    }

    fn records(&self) -> Vec<String> {
        records(&self.path)
    }

    fn audit_rows(&self) -> i64 {
        self.store.counts().unwrap().audit
    }

    /// Ana Souza with a series and one session.
    fn with_ana(&mut self) -> (i64, i64, i64) {
        let c = self
            .store
            .create_client(&full_client(), Some(&full_series()))
            .unwrap();
        let s = self.store.series_of(c.id).unwrap()[0].id;
        let x = self
            .store
            .create_session(s, &SessionDraft::at(at("2026-10-05 09:00")))
            .unwrap();
        self.tick();
        (c.id, s, x.id)
    }

    /// Ana Souza ([`Db::with_ana`]) edited into [`other_client`], and the
    /// edit undone: a redo is waiting. Returns Ana's id.
    fn with_an_undone_edit(&mut self) -> i64 {
        let (ana, _, _) = self.with_ana();
        self.store.update_client(ana, &other_client()).unwrap();
        self.tick();
        self.store.undo_last().unwrap().unwrap();
        ana
    }

    /// Makes `change`, then checks: the next undo names it; undo puts every
    /// row back; the next redo names it; redo brings every row of the change
    /// back; and the same again, twice. Returns the undo's answer.
    fn cycle(&mut self, what: &str, change: impl FnOnce(&mut Store)) -> needlelog::db::Undone {
        let before = self.records();
        change(&mut self.store);
        self.tick();
        let after = self.records();
        assert_ne!(before, after, "{what}: the change changed nothing");
        let next = self.store.next_undo().unwrap().expect("something to undo");
        assert!(next.summary.contains(what), "{what}: {next:?}");
        assert_eq!(self.store.next_redo().unwrap(), None, "{what}");
        let mut first = None;
        for round in 0..3 {
            let audit = self.audit_rows();
            let undone = self.store.undo_last().unwrap().expect("undone");
            assert_eq!(undone.summary, next.summary, "{what}, round {round}");
            assert_eq!(self.records(), before, "{what}: undo, round {round}");
            assert!(self.audit_rows() > audit, "{what}: the undo is audited");
            self.tick();
            let offered = self.store.next_redo().unwrap().expect("a redo");
            assert_eq!(offered.summary, next.summary, "{what}, round {round}");
            assert_eq!(offered.target, next.target, "{what}, round {round}");
            let redone = self.store.redo_last().unwrap().expect("redone");
            assert_eq!(redone.summary, next.summary, "{what}, round {round}");
            assert_eq!(self.records(), after, "{what}: redo, round {round}");
            assert_eq!(self.store.next_redo().unwrap(), None, "{what}");
            self.tick();
            // What undo offers after a redo is the same change again.
            let again = self.store.next_undo().unwrap().expect("undo after redo");
            assert_eq!(again.summary, next.summary, "{what}, round {round}");
            assert_eq!(again.target, next.target, "{what}, round {round}");
            first.get_or_insert(undone);
        }
        // And back to before, for good.
        self.store.undo_last().unwrap().unwrap();
        assert_eq!(self.records(), before, "{what}: the last undo");
        assert!(self.store.check().unwrap().is_ok(), "{what}");
        first.unwrap()
    }
}

#[test]
fn every_kind_of_change_undoes_and_redoes_row_for_row() {
    let mut db = Db::new();
    let undone = db.cycle("add client Ana Souza", |s| {
        s.create_client(&full_client(), Some(&full_series()))
            .unwrap();
    });
    assert_eq!(undone.target, Target::default(), "she is gone after undo");

    let (ana, series, session) = db.with_ana();
    db.cycle("edit client Ana Souza-Lima", |s| {
        s.update_client(ana, &other_client()).unwrap();
    });
    db.cycle("archive client Ana Souza", |s| {
        s.set_archived(ana, true).unwrap();
    });
    db.store.set_archived(ana, true).unwrap();
    db.tick();
    db.cycle("restore client Ana Souza", |s| {
        s.set_archived(ana, false).unwrap();
    });
    db.store.set_archived(ana, false).unwrap();
    db.tick();

    let mut wrinkles = full_series();
    wrinkles.concern = Concern::Wrinkles;
    let added = format!("add {} series for Ana Souza", Concern::Wrinkles.label());
    let undone = db.cycle(&added, |s| {
        s.create_series(ana, &wrinkles).unwrap();
    });
    assert_eq!(undone.target.client, Some(ana));
    let mut plan = full_series();
    plan.planned_sessions = 4;
    plan.notes = "Four will do.".into();
    let undone = db.cycle("edit acne scars series of Ana Souza", |s| {
        s.update_series(series, &plan).unwrap();
    });
    assert_eq!(undone.target.series, Some(series));

    // A session dated before its series began also moves the series'
    // start, in the same change: both come and go together.
    let undone = db.cycle("record session of 2026-09-20", |s| {
        s.create_session(series, &SessionDraft::at(at("2026-09-20 10:00")))
            .unwrap();
    });
    assert_eq!(
        undone.target,
        Target {
            client: Some(ana),
            series: Some(series),
            session: None,
        },
        "the session is gone, its series and client are not"
    );
    let undone = db.cycle("edit session of", |s| {
        s.update_session(session, &full_session()).unwrap();
    });
    assert_eq!(
        undone.target,
        Target {
            client: Some(ana),
            series: Some(series),
            session: Some(session),
        }
    );
    db.cycle("follow-up for the session", |s| {
        s.set_followup(session, &full_followup()).unwrap();
    });
}

/// Two clients as exported from another database, for importing.
fn exported_trees() -> Vec<ClientTree> {
    let mut other = Db::new();
    other.with_ana();
    let bo = other
        .store
        .create_client(&ClientDraft::named("Bo Lind"), Some(&full_series()))
        .unwrap();
    let s = other.store.series_of(bo.id).unwrap()[0].id;
    other
        .store
        .create_session(s, &SessionDraft::at(at("2026-11-02 14:00")))
        .unwrap();
    other.store.all_trees().unwrap()
}

#[test]
fn an_import_undoes_and_redoes_whole() {
    let trees = exported_trees();
    let mut db = Db::new();
    db.store
        .create_client(&ClientDraft::named("Cy Park"), None)
        .unwrap();
    db.tick();
    let now = at("2026-11-21 12:00");
    db.cycle("import: add client", |s| {
        let summary = s.import_trees(&trees, now).unwrap();
        assert_eq!(summary.sessions.added, 2);
    });
    let next = {
        db.store.import_trees(&trees, now).unwrap();
        db.tick();
        db.store.next_undo().unwrap().unwrap()
    };
    // About two clients: none of them alone.
    assert_eq!((next.clients, next.client.clone()), (2, None), "{next:?}");
    assert_eq!(next.target, Target::default());
    assert!(next.summary.ends_with("and 3 more"), "{next:?}");

    // An import that replaces older records with the file's newer ones.
    let mut newer = trees.clone();
    let x = &mut newer[0].series[0].sessions[0];
    x.data.notes = "Corrected in the clinic's other laptop.".into();
    x.updated_at += Duration::hours(1);
    db.cycle("import: update session", |s| {
        let summary = s.import_trees(&newer, now).unwrap();
        assert_eq!(summary.sessions.updated, 1);
    });

    // A client list from a spreadsheet.
    let list = [ListedClient {
        line: 2,
        uuid: None,
        draft: ClientDraft::named("Dee Moss"),
    }];
    db.cycle("import client Dee Moss", |s| {
        s.import_client_list(&list).unwrap();
    });
}

/// A large import is one change of many rows, reverted a batch at a
/// time: all of it goes, all of it comes back.
#[test]
fn a_large_import_undoes_and_redoes_whole() {
    let trees = demo_trees(120, 3);
    let mut db = Db::new();
    let undone = db.cycle("import: add client", |s| {
        let summary = s.import_trees(&trees, at("2026-11-21 23:59")).unwrap();
        let rows = summary.clients.added + summary.series.added + summary.sessions.added;
        // Reverted 256 rows at a time: several batches.
        assert!(rows > 2 * 256, "{summary:?}");
    });
    assert_eq!(undone.target, Target::default());
}

#[test]
fn a_new_change_clears_the_redo_chain() {
    let mut db = Db::new();
    let ana = db.with_an_undone_edit();
    let undone = db.records();
    assert!(db.store.next_redo().unwrap().is_some());
    db.store
        .create_client(&ClientDraft::named("Bo Lind"), None)
        .unwrap();
    assert_eq!(db.store.next_redo().unwrap(), None);
    let audit = db.audit_rows();
    assert_eq!(db.store.redo_last().unwrap(), None);
    assert_eq!(db.audit_rows(), audit, "no audit row for trying");
    // Undoing the new change does not bring the old redo back.
    db.store.undo_last().unwrap().unwrap();
    assert_eq!(db.records(), undone);
    assert!(db.store.next_redo().unwrap().is_some(), "Bo can come back");
    db.store.redo_last().unwrap().unwrap();
    assert_eq!(db.store.next_redo().unwrap(), None, "the edit cannot");
    assert_eq!(db.store.client(ana).unwrap().data, full_client());
}

/// Undo and redo walk a stack: several undos, then redos in reverse, then
/// undos again, each record the way it was at that point.
#[test]
fn undos_and_redos_walk_the_history_in_order() {
    let mut db = Db::new();
    let mut states = vec![db.records()];
    let a = db
        .store
        .create_client(&ClientDraft::named("Ana"), None)
        .unwrap();
    states.push(db.records());
    db.tick();
    db.store.update_client(a.id, &other_client()).unwrap();
    states.push(db.records());
    db.tick();
    db.store.set_archived(a.id, true).unwrap();
    states.push(db.records());
    db.tick();

    for round in 0..2 {
        for i in (0..3).rev() {
            db.store.undo_last().unwrap().unwrap();
            assert_eq!(db.records(), states[i], "round {round}, undo to {i}");
        }
        assert_eq!(db.store.next_undo().unwrap(), None);
        for (i, state) in states.iter().enumerate().skip(1) {
            db.store.redo_last().unwrap().unwrap();
            assert_eq!(&db.records(), state, "round {round}, redo to {i}");
        }
        assert_eq!(db.store.redo_last().unwrap(), None);
    }
    // Half way down, one redo, then down to the start.
    db.store.undo_last().unwrap().unwrap();
    db.store.undo_last().unwrap().unwrap();
    db.store.redo_last().unwrap().unwrap();
    assert_eq!(db.records(), states[2]);
    db.store.undo_last().unwrap().unwrap();
    db.store.undo_last().unwrap().unwrap();
    assert_eq!(db.records(), states[0]);
    assert_eq!(db.store.undo_last().unwrap(), None);

    // The log: every redo names the undo it reverts, every undo the row
    // it reverts, and says what it was about.
    let rows = db.store.audit_for(&a.uuid.to_string()).unwrap();
    for r in &rows {
        let reverted = r.undoes.map(|id| rows.iter().find(|x| x.id == id).unwrap());
        match r.action.as_str() {
            "redo" => {
                let u = reverted.expect("a redo reverts an undo");
                assert_eq!(u.action.as_str(), "undo");
                assert_eq!((&r.before, &r.after), (&u.after, &u.before));
                assert_eq!(r.summary, u.summary.replacen("undo", "redo", 1));
            }
            "undo" => {
                let x = reverted.expect("an undo reverts a change");
                assert_ne!(x.action.as_str(), "undo");
                assert_eq!(r.after, x.before);
                assert!(r.summary.starts_with("undo: "), "{}", r.summary);
            }
            _ => assert_eq!(r.undoes, None),
        }
    }
}

/// A record changed behind the log's back is not overwritten by a redo.
#[test]
fn redo_refuses_to_overwrite_a_change_it_did_not_log() {
    let mut db = Db::new();
    db.with_an_undone_edit();
    edit_behind_the_logs_back(&db.path);
    let before = (db.records(), db.audit_rows());
    match db.store.redo_last() {
        Err(StoreError::Conflict(msg)) => {
            assert!(msg.contains("cannot redo 'edit client"), "{msg}");
            assert!(msg.contains("changed since"), "{msg}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!((db.records(), db.audit_rows()), before);
}

/// What the user was shown is what gets undone: once another change has
/// come in, undoing by the shown change's number is refused.
#[test]
fn reverting_a_change_that_is_no_longer_next_is_refused() {
    let mut db = Db::new();
    let (ana, _, _) = db.with_ana();
    let shown = db.store.next_undo().unwrap().unwrap();
    // Another program records something meanwhile.
    db.store.update_client(ana, &other_client()).unwrap();
    db.tick();
    let before = (db.records(), db.audit_rows());
    match db.store.revert(UndoRedo::Undo, Some(shown.change_id)) {
        Err(StoreError::Conflict(msg)) => {
            assert!(msg.contains("no longer the one shown"), "{msg}");
            assert!(msg.ends_with("nothing was undone"), "{msg}");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!((db.records(), db.audit_rows()), before);
    let shown = db.store.next_undo().unwrap().unwrap();
    assert!(shown.summary.contains("edit client"), "{shown:?}");
    db.store
        .revert(UndoRedo::Undo, Some(shown.change_id))
        .unwrap()
        .unwrap();
    let shown = db.store.next_redo().unwrap().unwrap();
    db.store
        .revert(UndoRedo::Redo, Some(shown.change_id))
        .unwrap()
        .unwrap();
    assert_eq!(db.store.client(ana).unwrap().data, other_client());
    // Nothing to redo now: by number, a conflict; without, nothing.
    assert!(matches!(
        db.store.revert(UndoRedo::Redo, Some(shown.change_id)),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(db.store.revert(UndoRedo::Redo, None).unwrap(), None);
}

/// What `u` is about to do is described before anything changes: the
/// summary, the client by id and name, the series and the session.
#[test]
fn the_next_undo_names_its_client_series_and_session() {
    let mut db = Db::new();
    assert_eq!(db.store.next_undo().unwrap(), None);
    assert_eq!(db.store.next_redo().unwrap(), None);
    let (ana, series, session) = db.with_ana();
    db.store.set_followup(session, &full_followup()).unwrap();
    db.tick();
    let bo = db
        .store
        .create_client(&ClientDraft::named("Bo Lind"), None)
        .unwrap();
    db.tick();
    let records = db.records();

    let next = db.store.next_undo().unwrap().unwrap();
    assert_eq!(next.summary, "add client Bo Lind");
    assert_eq!(next.client, Some((bo.id, "Bo Lind".to_string())));
    assert_eq!(next.clients, 1);
    assert_eq!(next.target.client, Some(bo.id));
    db.store.undo_last().unwrap().unwrap();

    let next = db.store.next_undo().unwrap().unwrap();
    assert_eq!(
        next.summary,
        "follow-up for the session of 2026-10-05 09:00 of Ana Souza"
    );
    assert_eq!(next.client, Some((ana, "Ana Souza".to_string())));
    assert_eq!(
        next.target,
        Target {
            client: Some(ana),
            series: Some(series),
            session: Some(session),
        }
    );
    // Asking changed nothing.
    assert_eq!(db.store.next_undo().unwrap().unwrap(), next);
    // The redo of Bo names him although he is not in the database now.
    let redo = db.store.next_redo().unwrap().unwrap();
    assert_eq!(redo.client, Some((bo.id, "Bo Lind".to_string())));
    let redone = db.store.redo_last().unwrap().unwrap();
    assert_eq!(redone.target.client, Some(bo.id));
    assert_eq!(db.records(), records);

    // A session's first series: about her, the series, no session.
    let mut s = SeriesDraft {
        concern: Concern::Hyperpigmentation,
        ..full_series()
    };
    s.started_on = date(2026, 11, 1);
    let new = db.store.create_series(ana, &s).unwrap();
    let next = db.store.next_undo().unwrap().unwrap();
    assert_eq!(
        next.target,
        Target {
            client: Some(ana),
            series: Some(new.id),
            session: None,
        }
    );
}
