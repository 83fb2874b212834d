//! Fixtures shared by the store integration tests: a fixed clock, drafts
//! with every field filled, and small file helpers.

use chrono::{DateTime, TimeZone, Utc};
use needlelog::db::{Clock, Store, StoreError};
use needlelog::domain::{
    Acknowledged, AdverseEvent, AdverseKind, ClientDraft, Concern, Days, Depth, DurationMinutes,
    Edema, Erythema, Fitzpatrick, Followup, Gais, Glogau, NumbingMinutes, OutcomeScale, Pain,
    Passes, Satisfaction, ScreeningItem, ScreeningKind, SeriesDraft, SeriesStatus, SessionDraft,
    Warning, Zone, builtin_depth_hint,
};
use needlelog::domain::{Client, CurrentState, PreCheck, Series};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

use super::{at, date};

/// The fixed "now" of the tests, with milliseconds so that their round trip
/// through the audit timestamps is checked too.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 15, 4, 5).unwrap() + chrono::Duration::milliseconds(123)
}

pub fn later(minutes: i64) -> DateTime<Utc> {
    now() + chrono::Duration::minutes(minutes)
}

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join("needlelog.db")
}

/// Opens (creating) the store at `path` with the fixed clock.
pub fn open_at(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    store.set_clock(Clock::Fixed(now()));
    store
}

/// A new temporary folder and the [`db_path`] in it (no file yet); the
/// folder lasts as long as the returned `TempDir`.
pub fn temp_db() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(dir.path());
    (dir, path)
}

/// A store with the fixed clock in a new temporary folder, which lasts as
/// long as the returned `TempDir`.
pub fn temp_store() -> (TempDir, Store) {
    let (dir, path) = temp_db();
    (dir, open_at(&path))
}

/// Adds [`full_client`] with [`full_series`]; returns both as stored.
pub fn add_full_client(store: &mut Store) -> (Client, Series) {
    let client = store
        .create_client(&full_client(), Some(&full_series()))
        .unwrap();
    let series = store.series_of(client.id).unwrap().remove(0);
    (client, series)
}

/// Adds [`full_client`] (no series) through `store`, which it then
/// closes; returns the client.
pub fn add_client_and_close(mut store: Store) -> Client {
    store.create_client(&full_client(), None).unwrap()
}

/// Adds [`full_client`], then a minute later edits it into
/// [`other_client`]; returns the client as added and as edited.
pub fn add_then_edit(store: &mut Store) -> (Client, Client) {
    let added = store.create_client(&full_client(), None).unwrap();
    store.set_clock(Clock::Fixed(later(1)));
    let edited = store.update_client(added.id, &other_client()).unwrap();
    (added, edited)
}

/// Changes the notes of every client in the database at `path` by hand,
/// behind the store's back, so that its log no longer describes the rows.
pub fn edit_behind_the_logs_back(path: &Path) {
    let raw = rusqlite::Connection::open(path).unwrap();
    raw.execute("UPDATE clients SET notes = 'edited by hand'", [])
        .unwrap();
}

/// Adds [`full_client`] alone, then [`full_series`] to it as a change of
/// its own; returns both as stored.
pub fn add_client_then_series(store: &mut Store) -> (Client, Series) {
    let client = store.create_client(&full_client(), None).unwrap();
    let series = store.create_series(client.id, &full_series()).unwrap();
    (client, series)
}

/// A client with every field filled, already in the form validation
/// produces (trimmed, sorted, unique), so that it must come back unchanged.
pub fn full_client() -> ClientDraft {
    ClientDraft {
        name: "Ana Souza".into(),
        date_of_birth: Some(date(1988, 2, 29)),
        phone: "+44 7700 900123".into(),
        email: "ana@example.org".into(),
        fitzpatrick: Some(Fitzpatrick::IV),
        glogau: Some(Glogau::II),
        concerns: vec![Concern::AcneScars, Concern::Hyperpigmentation],
        screening: vec![
            ScreeningItem {
                kind: ScreeningKind::ColdSores,
                date: Some(date(2025, 6, 1)),
                note: "last outbreak in June".into(),
            },
            ScreeningItem {
                kind: ScreeningKind::Isotretinoin,
                date: Some(date(2026, 3, 15)),
                note: String::new(),
            },
            ScreeningItem {
                kind: ScreeningKind::Anticoagulants,
                date: None,
                note: "aspirin 75 mg".into(),
            },
        ],
        allergies: "lidocaine (rash)".into(),
        medications: "aspirin 75 mg daily\ntopical tretinoin".into(),
        consent_on: Some(date(2026, 10, 1)),
        // Signed while she was under 18, kept on file.
        guardian_consent_on: Some(date(2005, 6, 1)),
        guardian: "Rita Souza, mother".into(),
        photo_consent_on: Some(date(2026, 10, 1)),
        photo_consent_beyond: true,
        notes: "Prefers morning appointments.\nSensitive around the nose.".into(),
    }
}

/// A different value in every field of [`full_client`].
pub fn other_client() -> ClientDraft {
    ClientDraft {
        name: "Ana Souza-Lima".into(),
        date_of_birth: Some(date(1988, 3, 1)),
        phone: "+44 7700 900456".into(),
        email: "ana.lima@example.com".into(),
        fitzpatrick: Some(Fitzpatrick::VI),
        glogau: Some(Glogau::IV),
        concerns: vec![Concern::Wrinkles],
        screening: vec![ScreeningItem {
            kind: ScreeningKind::PregnancyBreastfeeding,
            date: Some(date(2026, 11, 21)),
            note: "breastfeeding".into(),
        }],
        allergies: "none known".into(),
        medications: String::new(),
        consent_on: Some(date(2026, 11, 21)),
        guardian_consent_on: Some(date(2006, 1, 1)),
        guardian: "João Lima, father".into(),
        photo_consent_on: Some(date(2026, 11, 21)),
        photo_consent_beyond: false,
        notes: "Moved to the afternoon list.".into(),
    }
}

pub fn full_series() -> SeriesDraft {
    SeriesDraft {
        concern: Concern::AcneScars,
        zones: vec![Zone::Cheeks, Zone::Chin, Zone::Jawline],
        planned_sessions: 6,
        interval_min_days: 30,
        interval_max_days: 45,
        outcome_scale: OutcomeScale::GoodmanBaron,
        baseline_score: Some(3),
        started_on: date(2026, 10, 1),
        status: SeriesStatus::Active,
        notes: "Rolling scars, both cheeks.".into(),
        closure: needlelog::domain::Closure::default(),
    }
}

pub fn depth(text: &str) -> Depth {
    Depth::parse("depth", text).unwrap()
}

pub fn days(text: &str) -> Days {
    Days::parse("days", text).unwrap()
}

/// A session with every field filled, in the form validation produces.
pub fn full_session() -> SessionDraft {
    let mut zone_depths = BTreeMap::new();
    zone_depths.insert(Zone::Chin, depth("0.25"));
    zone_depths.insert(Zone::Jawline, depth("1.5"));
    SessionDraft {
        performed_at: at("2026-11-20 10:30"),
        zones: vec![Zone::Cheeks, Zone::Chin, Zone::Jawline],
        device: "Dermapen 4".into(),
        cartridge: "16-pin".into(),
        depth_mm: Some(depth("0.3")),
        zone_depths,
        passes: Some(Passes::new(3).unwrap()),
        serum: "hyaluronic acid".into(),
        numbing: "EMLA 5%".into(),
        numbing_minutes: Some(NumbingMinutes::new(30).unwrap()),
        duration_minutes: Some(DurationMinutes::new(45).unwrap()),
        endpoint: "even erythema, pinpoint bleeding".into(),
        cartridge_lot: "LOT-C-2291".into(),
        serum_lot: "HA-0042".into(),
        erythema: Some(Erythema::new(2).unwrap()),
        edema: Some(Edema::new(1).unwrap()),
        pain: Some(Pain::new(4).unwrap()),
        outcome_score: Some(3),
        gais_clinician: Some(Gais::new("GAIS (clinician)", 2).unwrap()),
        gais_client: Some(Gais::new("GAIS (client)", 3).unwrap()),
        satisfaction: Some(Satisfaction::new(8).unwrap()),
        followup: full_followup(),
        // One by code, and one sentence as sessions saved before codes hold it.
        acknowledged_warnings: vec![
            Warning::DepthOutsideHint {
                zone: Zone::Jawline,
                depth: Depth::parse("depth", "1.5").unwrap(),
                hint: builtin_depth_hint(Zone::Jawline, None),
            }
            .into(),
            Acknowledged::Legacy("depth 1.5 mm is outside the hint for jawline".into()),
        ],
        notes: "Tolerated well.\nAvoid sun for a week.".into(),
        pre_check: Some(PreCheck {
            present: vec![CurrentState::SunburnOrTan],
            procedure_days: 14,
            pause_days: 7,
        }),
        antiviral: "valaciclovir 500 mg twice daily".into(),
        antiviral_from: Some(at("2026-11-19 08:00").date()),
    }
}

pub fn full_followup() -> Followup {
    Followup {
        recorded_on: Some(date(2026, 11, 21)),
        redness_days: Some(days("2.5")),
        swelling_days: Some(days("1")),
        peeling_days: Some(days("3.5")),
        adverse_events: vec![
            AdverseEvent::noted(AdverseKind::Pih, "small patch, left cheek"),
            AdverseEvent::noted(AdverseKind::Other, "itching on day 2"),
        ],
        notes: "Called on day 3.".into(),
    }
}

/// Only the field names of an `Invalid` error; panics on any other result.
pub fn invalid_fields<T: std::fmt::Debug>(r: Result<T, StoreError>) -> Vec<&'static str> {
    match r {
        Err(StoreError::Invalid(errors)) => errors.iter().map(|e| e.field()).collect(),
        other => panic!("expected StoreError::Invalid, got {other:?}"),
    }
}

/// One client, series and session per name, inserted with the columns of
/// the first schema (as any older version wrote them: this program writes
/// the latest version's); returns (client id, session id) for each.
pub fn old_version_records(path: &Path, names: &[&str]) -> Vec<(i64, i64)> {
    let raw = rusqlite::Connection::open(path).unwrap();
    let at = "2026-11-01T09:00:00.000Z";
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            raw.execute(
                "INSERT INTO clients (uuid, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                rusqlite::params![format!("00000000-0000-7000-8000-00000000000{i}"), name, at],
            )
            .unwrap();
            let client = raw.last_insert_rowid();
            raw.execute(
                "INSERT INTO series (uuid, client_id, concern, planned_sessions, interval_min_days,
                                     interval_max_days, outcome_scale, started_on, created_at, updated_at)
                 VALUES (?1, ?2, 'acne_scars', 3, 28, 42, 'goodman_baron', '2026-10-01', ?3, ?3)",
                rusqlite::params![format!("00000000-0000-7000-8000-00000000001{i}"), client, at],
            )
            .unwrap();
            let series = raw.last_insert_rowid();
            raw.execute(
                "INSERT INTO sessions (uuid, series_id, performed_at, created_at, updated_at)
                 VALUES (?1, ?2, '2026-11-02 10:00', ?3, ?3)",
                rusqlite::params![format!("00000000-0000-7000-8000-00000000002{i}"), series, at],
            )
            .unwrap();
            (client, raw.last_insert_rowid())
        })
        .collect()
}
