//! Fixtures for the export and import tests: stores with demo data or with
//! a deliberately awkward client, the binary in an isolated home, and ways
//! to say "the database did not change".
#![allow(dead_code)] // each test binary uses a different part of this

pub mod schema;

use assert_cmd::Command;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use needlelog::db::{Clock, Counts, Store};
use needlelog::demo::{DemoSpec, generate};
use needlelog::domain::{
    AdverseEvent, AdverseKind, Client, ClientDraft, Concern, Days, Depth, Erythema, Fitzpatrick,
    Followup, OutcomeScale, Passes, ScreeningItem, ScreeningKind, SeriesDraft, SeriesStatus,
    SessionDraft, Zone,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-21";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap()
}

/// The name that every format must carry through unharmed: a comma,
/// double and single quotes, Greek, Chinese and Cyrillic letters.
pub const AWKWARD_NAME: &str = "Ξανθή \"Zoë\" O'Brien, 李小龍 Юлия";
/// Free text with line breaks, quotes, commas, markup and a formula.
pub const AWKWARD_NOTES: &str =
    "line one, with a comma\nline \"two\" <b>bold</b> & *stars* | pipe\n=SUM(A1:A9)\nlast line";

/// A temporary folder with a database in it.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        Self { dir }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("needlelog.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The store, with the tests' fixed clock.
    pub fn store(&self) -> Store {
        open(&self.db())
    }

    /// The binary, isolated from the real user's data folder.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("needlelog").unwrap();
        c.env_remove("NEEDLELOG_DB")
            .env_remove("XDG_DATA_HOME")
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .env("HOME", self.dir.path().join("home"))
            .current_dir(self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// `export --db <db> <args…> --today 2026-11-21`, which must succeed.
    pub fn export(&self, args: &[&str]) -> Vec<u8> {
        let db = self.db();
        let mut full = vec!["export", "--db", db.to_str().unwrap(), "--today", TODAY];
        full.extend_from_slice(args);
        let out = self.run(&full);
        assert_eq!(
            out.status.code(),
            Some(0),
            "export {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
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

pub fn without_exported_at(mut v: Value) -> Value {
    assert!(v["exported_at"].is_string(), "exported_at missing");
    v.as_object_mut().unwrap().remove("exported_at");
    v
}

/// Demo clients (seed 7, generated for 2026-11-21).
pub fn fill_demo(store: &mut Store, clients: usize) {
    let trees = generate(DemoSpec {
        clients,
        seed: 7,
        today: today(),
    });
    store
        .insert_trees(&trees, needlelog::db::Action::Demo, "test data")
        .unwrap();
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
    let s1 = store.create_session(series.id, &first).unwrap();
    store
        .set_followup(
            s1.id,
            &Followup {
                recorded_on: Some(date(2026, 9, 5)),
                redness_days: Some(Days::parse("r", "2.5").unwrap()),
                swelling_days: Some(Days::parse("s", "1").unwrap()),
                peeling_days: Some(Days::parse("p", "3").unwrap()),
                adverse_events: vec![AdverseEvent {
                    kind: AdverseKind::Other,
                    note: "itchy, \"rash\" =1+1".into(),
                }],
                notes: "called, all fine\nsecond line".into(),
            },
        )
        .unwrap();
    let mut second = SessionDraft::at(at("2026-10-06 11:00"));
    second.zones = vec![Zone::Cheeks];
    second.outcome_score = Some(2);
    second.notes = "\tstarts with a tab".into();
    let s2 = store.create_session(series.id, &second).unwrap();
    store
        .set_followup(
            s2.id,
            &Followup {
                recorded_on: Some(date(2026, 10, 20)),
                redness_days: Some(Days::parse("r", "8").unwrap()),
                ..Followup::default()
            },
        )
        .unwrap();
    store.client(client.id).unwrap()
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

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 1, nothing on stdout, one stderr line `needlelog: …`; returns it.
pub fn one_line_error(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "exit status; stderr: {err}");
    assert!(o.stdout.is_empty(), "stdout: {:?}", o.stdout);
    let lower = err.to_lowercase();
    assert!(
        !lower.contains("panicked") && !lower.contains("backtrace"),
        "{err}"
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "want one line: {err:?}");
    assert!(lines[0].starts_with("needlelog: "), "{err:?}");
    lines[0].to_string()
}

#[cfg(unix)]
pub fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}
