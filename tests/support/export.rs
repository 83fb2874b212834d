//! Fixtures for the export and import tests: stores with demo data or with
//! a deliberately awkward client, the sandbox's store and `export` runs, and ways
//! to say "the database did not change".

use chrono::{DateTime, TimeZone, Utc};
use needlelog::db::{Clock, Counts, Scope, Store};
use needlelog::domain::{
    AdverseEvent, AdverseKind, Client, ClientDraft, Concern, Days, Depth, Erythema, Fitzpatrick,
    Followup, OutcomeScale, Passes, ScreeningItem, ScreeningKind, SeriesDraft, SeriesStatus,
    SessionDraft, Zone,
};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

use super::cli::{Sandbox, stderr, without_exported_at};
use super::{TODAY, at, date, insert_demo};

/// 10:00 on [`super::today`], the clock of the stores these tests open.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap()
}

/// The name that every format must carry through unharmed: a comma,
/// double and single quotes, Greek, Chinese and Cyrillic letters.
pub const AWKWARD_NAME: &str = "Ξανθή \"Zoë\" O'Brien, 李小龍 Юлия";
/// Free text with line breaks, quotes, commas, markup and a formula.
pub const AWKWARD_NOTES: &str =
    "line one, with a comma\nline \"two\" <b>bold</b> & *stars* | pipe\n=SUM(A1:A9)\nlast line";

impl Sandbox {
    /// A sandbox whose store holds `clients` demo clients ([`fill_demo`]),
    /// closed again.
    pub fn with_demo(clients: usize) -> Self {
        let env = Self::new();
        fill_demo(&mut env.store(), clients);
        env
    }

    /// The sandbox's store, with the tests' fixed clock.
    pub fn store(&self) -> Store {
        open(&self.db())
    }

    /// `export --db <db> --today 2026-11-21 <args…>`, which must succeed;
    /// returns its stdout.
    pub fn export(&self, args: &[&str]) -> Vec<u8> {
        self.run_dated_ok("export", &self.db(), args)
    }

    /// [`Sandbox::export`] as text.
    pub fn export_text(&self, args: &[&str]) -> String {
        String::from_utf8(self.export(args)).expect("UTF-8")
    }

    /// `<command> --db <db> --today 2026-11-21 <args…>`, whatever it does.
    pub fn run_dated(&self, command: &str, db: &Path, args: &[&str]) -> Output {
        let mut full = vec![command, "--db", db.to_str().unwrap(), "--today", TODAY];
        full.extend_from_slice(args);
        self.run(&full)
    }

    /// [`Sandbox::run_dated`], which must succeed; returns its stdout.
    pub fn run_dated_ok(&self, command: &str, db: &Path, args: &[&str]) -> Vec<u8> {
        let out = self.run_dated(command, db, args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command} {args:?}: {}",
            stderr(&out)
        );
        out.stdout
    }

    /// The JSON export, parsed, without its `exported_at`.
    pub fn json(&self) -> Value {
        without_exported_at(serde_json::from_slice(&self.export(&["--format", "json"])).unwrap())
    }
}

pub fn open(path: &Path) -> Store {
    let mut s = Store::open(path).unwrap();
    s.set_clock(Clock::Fixed(now()));
    s
}

/// Demo clients (seed 7, generated for 2026-11-21).
pub fn fill_demo(store: &mut Store, clients: usize) {
    insert_demo(store, clients, 7);
}

/// A client whose every text field is awkward, with one series of two
/// sessions; the second has an adverse event and a formula-like device.
pub fn add_awkward_client(store: &mut Store) -> Client {
    let mut draft = ClientDraft::named(AWKWARD_NAME);
    draft.phone = "+44 20 7946 0000".into();
    draft.email = "zoe@example.org".into();
    draft.fitzpatrick = Some(Fitzpatrick::V);
    draft.concerns = vec![Concern::AcneScars];
    draft.screening = vec![ScreeningItem {
        kind: ScreeningKind::ColdSores,
        date: Some(date(2026, 1, 10)),
        note: "last outbreak, \"mild\"".into(),
    }];
    draft.allergies = "latex, nickel".into();
    draft.notes = AWKWARD_NOTES.into();
    let mut series = SeriesDraft::new(Concern::AcneScars, date(2026, 9, 1));
    series.zones = vec![Zone::Cheeks, Zone::Chin];
    series.planned_sessions = 4;
    series.baseline_score = Some(3);
    let client = store.create_client(&draft, Some(&series)).unwrap();
    let series = &store.series_of(client.id).unwrap()[0];
    assert_eq!(series.data.outcome_scale, OutcomeScale::GoodmanBaron);

    let mut first = SessionDraft::at(at("2026-09-01 10:30"));
    first.zones = vec![Zone::Cheeks, Zone::Chin];
    first.device = "=cmd|' /C calc'!A0".into();
    first.cartridge = "@36-pin".into();
    first.serum = "+hyaluronic, \"pure\"".into();
    first.endpoint = "-pinpoint bleeding".into();
    first.depth_mm = Some(Depth::parse("depth", "1.5").unwrap());
    first
        .zone_depths
        .insert(Zone::Chin, Depth::parse("depth", "0.75").unwrap());
    first.passes = Some(Passes::new(3).unwrap());
    first.erythema = Some(Erythema::new(2).unwrap());
    first.outcome_score = Some(3);
    first.notes = AWKWARD_NOTES.into();
    let first_followup = Followup {
        recorded_on: Some(date(2026, 9, 5)),
        redness_days: Some(Days::parse("r", "2.5").unwrap()),
        swelling_days: Some(Days::parse("s", "1").unwrap()),
        peeling_days: Some(Days::parse("p", "3").unwrap()),
        adverse_events: vec![AdverseEvent::noted(
            AdverseKind::Other,
            "itchy, \"rash\" =1+1",
        )],
        notes: "called, all fine\nsecond line".into(),
    };
    add_session(store, series.id, &first, &first_followup);
    let mut second = SessionDraft::at(at("2026-10-06 11:00"));
    second.zones = vec![Zone::Cheeks];
    second.outcome_score = Some(2);
    second.notes = "\tstarts with a tab".into();
    let second_followup = Followup {
        recorded_on: Some(date(2026, 10, 20)),
        redness_days: Some(Days::parse("r", "8").unwrap()),
        ..Followup::default()
    };
    add_session(store, series.id, &second, &second_followup);
    store.client(client.id).unwrap()
}

/// Records `session` in the series, then its follow-up, as two changes.
fn add_session(store: &mut Store, series_id: i64, session: &SessionDraft, followup: &Followup) {
    let id = store.create_session(series_id, session).unwrap().id;
    store.set_followup(id, followup).unwrap();
}

/// The clients an export must handle that the demo does not make: the
/// awkward one, one whose only series is closed (a comma in its name),
/// and an archived one. Returns the closed-series client.
pub fn add_unusual_clients(store: &mut Store) -> Client {
    add_awkward_client(store);
    let closed = add_closed_series_client(store, "Closed, Series");
    add_archived_client(store, "Archived");
    closed
}

/// An archived client called `name`, with no series.
pub fn add_archived_client(store: &mut Store, name: &str) -> Client {
    let c = store
        .create_client(&ClientDraft::named(name), None)
        .unwrap();
    store.set_archived(c.id, true).unwrap()
}

/// A client with a closed series (no rebooking) and nothing else.
pub fn add_closed_series_client(store: &mut Store, name: &str) -> Client {
    let mut series = SeriesDraft::new(Concern::StretchMarks, date(2026, 6, 1));
    series.status = SeriesStatus::Closed;
    let c = store
        .create_client(&ClientDraft::named(name), Some(&series))
        .unwrap();
    let s = &store.series_of(c.id).unwrap()[0];
    store
        .create_session(s.id, &SessionDraft::at(at("2026-06-01 09:00")))
        .unwrap();
    c
}

/// What a database holds, as far as any test can tell: its JSON export
/// (without the export time) and its counts, audit rows included.
pub fn state(db: &Path) -> (Value, Counts) {
    let store = open(db);
    let doc = needlelog::export::json::document(store.all_trees().unwrap(), now());
    (
        without_exported_at(serde_json::to_value(doc).unwrap()),
        store.counts().unwrap(),
    )
}

/// Demo data plus what the demo does not make: an awkward client, clients
/// whose names differ only in case (ordered by id), an archived one, a
/// client with a series but no session, one with no series at all.
pub fn varied_store(env: &Sandbox) -> Store {
    let mut store = env.store();
    fill_demo(&mut store, 120);
    add_awkward_client(&mut store);
    for name in ["ana lima", "Ana Lima", "ANA LIMA"] {
        let series = SeriesDraft::new(Concern::AcneScars, date(2026, 3, 1));
        let c = store
            .create_client(&ClientDraft::named(name), Some(&series))
            .unwrap();
        let s = &store.series_of(c.id).unwrap()[0];
        for when in ["2026-03-01 09:00", "2026-03-01 09:00", "2026-04-02 17:45"] {
            store
                .create_session(s.id, &SessionDraft::at(at(when)))
                .unwrap();
        }
    }
    let archived = store
        .create_client(&ClientDraft::named("Archived Person"), None)
        .unwrap();
    let series = SeriesDraft::new(Concern::TextureTone, date(2026, 5, 1));
    let s = store.create_series(archived.id, &series).unwrap();
    store
        .create_session(s.id, &SessionDraft::at(at("2026-05-01 10:00")))
        .unwrap();
    store.set_archived(archived.id, true).unwrap();
    let idle = store
        .create_client(&ClientDraft::named("No Sessions"), None)
        .unwrap();
    store.create_series(idle.id, &series).unwrap();
    store
        .create_client(&ClientDraft::named("No Series"), None)
        .unwrap();
    store
}

/// Scopes of every kind over [`varied_store`]: everything, a client with
/// two series, the client with none, one series (whole, and from its second
/// session), open and closed date ranges, a range with nothing in it.
pub fn varied_scopes(store: &Store) -> Vec<Scope> {
    let trees = store.all_trees().unwrap();
    let client = trees
        .iter()
        .find(|t| t.series.len() > 1)
        .expect("a client with two series");
    let series = trees
        .iter()
        .flat_map(|t| &t.series)
        .find(|s| s.sessions.len() >= 3)
        .expect("a series with three sessions");
    let second = series.sessions[1].data.performed_at.date();
    let idle = trees
        .iter()
        .find(|t| t.client.data.name == "No Series")
        .unwrap();

    vec![
        Scope::everything(),
        Scope {
            client: Some(client.client.id),
            ..Scope::default()
        },
        Scope {
            client: Some(idle.client.id),
            ..Scope::default()
        },
        Scope {
            series: Some(series.series.uuid),
            ..Scope::default()
        },
        Scope {
            series: Some(series.series.uuid),
            since: Some(second),
            ..Scope::default()
        },
        Scope {
            since: Some(date(2026, 6, 1)),
            ..Scope::default()
        },
        Scope {
            until: Some(date(2026, 6, 1)),
            ..Scope::default()
        },
        Scope {
            since: Some(date(2026, 3, 1)),
            until: Some(date(2026, 9, 30)),
            ..Scope::default()
        },
        Scope {
            since: Some(date(2030, 1, 1)),
            ..Scope::default()
        },
    ]
}
