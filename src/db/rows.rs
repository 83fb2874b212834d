//! Reading rows into domain types. A value outside its range (a file edited
//! by hand, say) becomes an error naming the column, never a panic.

use super::audit::parse_timestamp;
use crate::domain::{
    AdverseEvent, Client, ClientDraft, Concern, Days, Depth, DurationMinutes, Edema, Erythema,
    Fitzpatrick, Followup, Gais, Glogau, NumbingMinutes, OutcomeScale, Pain, Passes, Satisfaction,
    ScreeningItem, Series, SeriesStatus, Session, SessionDraft, ValidSeries, Zone,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Row, RowIndex};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use uuid::Uuid;

pub const DATE: &str = "%Y-%m-%d";
pub const DATETIME: &str = "%Y-%m-%d %H:%M";

fn bad(col: &str, msg: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, format!("column {col}: {msg}").into())
}

/// A column: where the row has it (its name, or a position) and its name
/// for messages.
#[derive(Clone, Copy)]
struct Col<I> {
    at: I,
    name: &'static str,
}

/// A column looked up by name (a `SELECT *` row).
fn named(name: &'static str) -> Col<&'static str> {
    Col { at: name, name }
}

/// A text cell borrowed from SQLite's buffer (no copy); None for NULL.
fn text<'r, I: RowIndex + Copy>(r: &'r Row<'_>, c: Col<I>) -> rusqlite::Result<Option<&'r str>> {
    match r.get_ref(c.at)? {
        ValueRef::Null => Ok(None),
        v => v.as_str().map(Some).map_err(|e| bad(c.name, e)),
    }
}

fn required<'r, I: RowIndex + Copy>(r: &'r Row<'_>, c: Col<I>) -> rusqlite::Result<&'r str> {
    text(r, c)?.ok_or_else(|| bad(c.name, "missing"))
}

fn json<T: DeserializeOwned, I: RowIndex + Copy>(r: &Row<'_>, c: Col<I>) -> rusqlite::Result<T> {
    serde_json::from_str(required(r, c)?).map_err(|e| bad(c.name, e))
}

/// [`json`] for a collection, whose empty form (`[]` or `{}`, as
/// `empty`), the most common value, needs no parser.
fn json_or_empty<T: DeserializeOwned + Default, I: RowIndex + Copy>(
    r: &Row<'_>,
    c: Col<I>,
    empty: &str,
) -> rusqlite::Result<T> {
    let s = required(r, c)?;
    if s == empty {
        return Ok(T::default());
    }
    serde_json::from_str(s).map_err(|e| bad(c.name, e))
}

fn date<I: RowIndex + Copy>(r: &Row<'_>, c: Col<I>) -> rusqlite::Result<Option<NaiveDate>> {
    text(r, c)?
        .map(|s| parse_date(s).map_err(|e| bad(c.name, e)))
        .transpose()
}

/// Four, two or one ASCII digits as a number.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD` exactly, read without a format parser.
fn fixed_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// A date as stored ([`DATE`]). The usual exact layout is read by hand
/// (chrono's format parser was a tenth of an export's time); anything else
/// goes to chrono, so that every text gives the same date or error as ever.
pub fn parse_date(s: &str) -> Result<NaiveDate, chrono::ParseError> {
    match (s.len(), fixed_date(s.as_bytes())) {
        (10, Some(d)) => Ok(d),
        _ => NaiveDate::parse_from_str(s, DATE),
    }
}

/// A date and time as stored ([`DATETIME`]); see [`parse_date`].
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, chrono::ParseError> {
    let b = s.as_bytes();
    if b.len() == 16 && b[10] == b' ' && b[13] == b':' {
        let time = digits(&b[11..13])
            .zip(digits(&b[14..16]))
            .and_then(|(h, m)| chrono::NaiveTime::from_hms_opt(h, m, 0));
        if let (Some(d), Some(t)) = (fixed_date(b), time) {
            return Ok(d.and_time(t));
        }
    }
    NaiveDateTime::parse_from_str(s, DATETIME)
}

fn uuid_at<I: RowIndex + Copy>(r: &Row<'_>, c: Col<I>) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(required(r, c)?).map_err(|e| bad(c.name, e))
}

/// The UUID in column `at` (named `name` in messages).
pub fn uuid_col(r: &Row<'_>, at: usize, name: &'static str) -> rusqlite::Result<Uuid> {
    uuid_at(r, Col { at, name })
}

fn uuid(r: &Row<'_>) -> rusqlite::Result<Uuid> {
    uuid_at(r, named("uuid"))
}

fn bounded<T, E: std::fmt::Display, I: RowIndex + Copy>(
    r: &Row<'_>,
    c: Col<I>,
    f: impl Fn(i64) -> Result<T, E>,
) -> rusqlite::Result<Option<T>> {
    let v: Option<i64> = r.get(c.at)?;
    v.map(|v| f(v).map_err(|e| bad(c.name, e))).transpose()
}

fn days<I: RowIndex + Copy>(r: &Row<'_>, c: Col<I>) -> rusqlite::Result<Option<Days>> {
    let v: Option<f64> = r.get(c.at)?;
    v.map(|v| Days::from_days(col_static(c.name), v).map_err(|e| bad(c.name, e)))
        .transpose()
}

fn col_static(col: &str) -> &'static str {
    match col {
        "redness_days" => "redness days",
        "swelling_days" => "swelling days",
        "peeling_days" => "peeling days",
        _ => "value",
    }
}

pub fn client(r: &Row<'_>) -> rusqlite::Result<Client> {
    let archived: Option<String> = r.get("archived_at")?;
    Ok(Client {
        id: r.get("id")?,
        uuid: uuid(r)?,
        data: ClientDraft {
            name: r.get("name")?,
            date_of_birth: date(r, named("date_of_birth"))?,
            phone: r.get("phone")?,
            email: r.get("email")?,
            fitzpatrick: bounded(r, named("fitzpatrick"), Fitzpatrick::from_number)?,
            glogau: bounded(r, named("glogau"), Glogau::from_number)?,
            concerns: json::<Vec<Concern>, _>(r, named("concerns"))?,
            screening: json::<Vec<ScreeningItem>, _>(r, named("screening"))?,
            allergies: r.get("allergies")?,
            medications: r.get("medications")?,
            consent_on: date(r, named("consent_on"))?,
            notes: r.get("notes")?,
        },
        archived_at: archived.as_deref().map(parse_timestamp).transpose()?,
        created_at: parse_timestamp(&r.get::<_, String>("created_at")?)?,
        updated_at: parse_timestamp(&r.get::<_, String>("updated_at")?)?,
    })
}

/// The columns [`series`] reads, in its order (see [`SESSION_COLUMNS`]).
pub const SERIES_COLUMNS: [&str; 15] = [
    "id",
    "uuid",
    "client_id",
    "concern",
    "zones",
    "planned_sessions",
    "interval_min_days",
    "interval_max_days",
    "outcome_scale",
    "baseline_score",
    "started_on",
    "status",
    "notes",
    "created_at",
    "updated_at",
];

/// `SELECT <series columns> FROM series`, to be followed by a condition.
pub static SELECT_SERIES: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM series", columns(&SERIES_COLUMNS, "")));

/// A series from a row whose select list starts with [`SERIES_COLUMNS`].
pub fn series(r: &Row<'_>) -> rusqlite::Result<Series> {
    series_at(r, 0)
}

/// A series from a row that has [`SERIES_COLUMNS`] from position `base` on.
pub fn series_at(r: &Row<'_>, base: usize) -> rusqlite::Result<Series> {
    macro_rules! col {
        ($name:literal) => {
            Col {
                at: base + const { position(&SERIES_COLUMNS, $name) },
                name: $name,
            }
        };
    }
    let concern = required(r, col!("concern"))?;
    let scale = required(r, col!("outcome_scale"))?;
    let status = required(r, col!("status"))?;
    let small = |c: Col<usize>| -> rusqlite::Result<u8> {
        let v: i64 = r.get(c.at)?;
        u8::try_from(v).map_err(|e| bad(c.name, e))
    };
    Ok(Series {
        id: r.get(col!("id").at)?,
        uuid: uuid_at(r, col!("uuid"))?,
        client_id: r.get(col!("client_id").at)?,
        data: ValidSeries {
            concern: Concern::from_code(concern).ok_or_else(|| bad("concern", concern))?,
            zones: json::<Vec<Zone>, _>(r, col!("zones"))?,
            planned_sessions: small(col!("planned_sessions"))?,
            interval_min_days: small(col!("interval_min_days"))?,
            interval_max_days: small(col!("interval_max_days"))?,
            outcome_scale: OutcomeScale::from_code(scale)
                .ok_or_else(|| bad("outcome_scale", scale))?,
            baseline_score: bounded(r, col!("baseline_score"), u8::try_from)?,
            started_on: date(r, col!("started_on"))?.ok_or_else(|| bad("started_on", "missing"))?,
            status: SeriesStatus::from_code(status).ok_or_else(|| bad("status", status))?,
            notes: r.get(col!("notes").at)?,
        },
        created_at: parse_timestamp(required(r, col!("created_at"))?)?,
        updated_at: parse_timestamp(required(r, col!("updated_at"))?)?,
    })
}

/// The columns [`session`] reads, in the order it reads them. Every query
/// that reads whole sessions selects these (see [`SELECT_SESSIONS`]):
/// columns are then taken by position, which costs nothing, rather than by
/// name, which SQLite answers by comparing names (a third of an export's
/// time, measured).
pub const SESSION_COLUMNS: [&str; 34] = [
    "id",
    "uuid",
    "series_id",
    "performed_at",
    "zones",
    "device",
    "cartridge",
    "depth_mm",
    "zone_depths",
    "passes",
    "serum",
    "numbing",
    "numbing_minutes",
    "duration_minutes",
    "endpoint",
    "cartridge_lot",
    "serum_lot",
    "erythema",
    "edema",
    "pain",
    "outcome_score",
    "gais_clinician",
    "gais_client",
    "satisfaction",
    "followup_on",
    "redness_days",
    "swelling_days",
    "peeling_days",
    "adverse_events",
    "followup_notes",
    "acknowledged_warnings",
    "notes",
    "created_at",
    "updated_at",
];

/// A select list: `cols`, each name after `prefix` (a table alias and a
/// dot, or nothing).
pub fn columns(cols: &[&str], prefix: &str) -> String {
    cols.iter()
        .map(|c| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `SELECT <session columns> FROM sessions`, to be followed by a condition.
pub static SELECT_SESSIONS: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {} FROM sessions", columns(&SESSION_COLUMNS, "")));

/// The position of `name` in `cols`; used in `const` blocks, so that a
/// misspelt column fails the build.
const fn position(cols: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < cols.len() {
        let c = cols[i].as_bytes();
        let n = name.as_bytes();
        if c.len() == n.len() {
            let mut j = 0;
            while j < c.len() && c[j] == n[j] {
                j += 1;
            }
            if j == c.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such column")
}

/// A session from a row whose select list starts with [`SESSION_COLUMNS`].
pub fn session(r: &Row<'_>) -> rusqlite::Result<Session> {
    session_at(r, 0)
}

/// A session from a row that has [`SESSION_COLUMNS`] from position `base` on.
pub fn session_at(r: &Row<'_>, base: usize) -> rusqlite::Result<Session> {
    macro_rules! col {
        ($name:literal) => {
            Col {
                at: base + const { position(&SESSION_COLUMNS, $name) },
                name: $name,
            }
        };
    }
    let performed = required(r, col!("performed_at"))?;
    let depth: Option<f64> = r.get(col!("depth_mm").at)?;
    Ok(Session {
        id: r.get(col!("id").at)?,
        uuid: uuid_at(r, col!("uuid"))?,
        series_id: r.get(col!("series_id").at)?,
        data: SessionDraft {
            performed_at: parse_datetime(performed).map_err(|e| bad("performed_at", e))?,
            zones: json::<Vec<Zone>, _>(r, col!("zones"))?,
            device: r.get(col!("device").at)?,
            cartridge: r.get(col!("cartridge").at)?,
            depth_mm: depth
                .map(|d| Depth::from_mm("depth", d).map_err(|e| bad("depth_mm", e)))
                .transpose()?,
            zone_depths: json_or_empty::<BTreeMap<Zone, Depth>, _>(r, col!("zone_depths"), "{}")?,
            passes: bounded(r, col!("passes"), Passes::new)?,
            serum: r.get(col!("serum").at)?,
            numbing: r.get(col!("numbing").at)?,
            numbing_minutes: bounded(r, col!("numbing_minutes"), NumbingMinutes::new)?,
            duration_minutes: bounded(r, col!("duration_minutes"), DurationMinutes::new)?,
            endpoint: r.get(col!("endpoint").at)?,
            cartridge_lot: r.get(col!("cartridge_lot").at)?,
            serum_lot: r.get(col!("serum_lot").at)?,
            erythema: bounded(r, col!("erythema"), Erythema::new)?,
            edema: bounded(r, col!("edema"), Edema::new)?,
            pain: bounded(r, col!("pain"), Pain::new)?,
            outcome_score: bounded(r, col!("outcome_score"), u8::try_from)?,
            gais_clinician: bounded(r, col!("gais_clinician"), |v| {
                Gais::new("GAIS (clinician)", v)
            })?,
            gais_client: bounded(r, col!("gais_client"), |v| Gais::new("GAIS (client)", v))?,
            satisfaction: bounded(r, col!("satisfaction"), Satisfaction::new)?,
            followup: Followup {
                recorded_on: date(r, col!("followup_on"))?,
                redness_days: days(r, col!("redness_days"))?,
                swelling_days: days(r, col!("swelling_days"))?,
                peeling_days: days(r, col!("peeling_days"))?,
                adverse_events: json_or_empty::<Vec<AdverseEvent>, _>(
                    r,
                    col!("adverse_events"),
                    "[]",
                )?,
                notes: r.get(col!("followup_notes").at)?,
            },
            acknowledged_warnings: json_or_empty::<Vec<String>, _>(
                r,
                col!("acknowledged_warnings"),
                "[]",
            )?,
            notes: r.get(col!("notes").at)?,
        },
        created_at: parse_timestamp(required(r, col!("created_at"))?)?,
        updated_at: parse_timestamp(required(r, col!("updated_at"))?)?,
    })
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Serialising the program's own plain types cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format(DATE).to_string())
}

/// The upsert twin of an `INSERT INTO t (columns) VALUES (…)` statement:
/// the row with the same UUID is rewritten in place (same integer key),
/// every column from the new values. So a whole-row rewrite binds its
/// values exactly as the insert does.
pub fn replace_sql(insert: &str) -> String {
    let columns = insert
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map_or("", |(cols, _)| cols);
    let set: Vec<String> = columns
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "uuid")
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "{insert} ON CONFLICT (uuid) DO UPDATE SET {}",
        set.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-read layouts give what chrono gives, date or error.
    #[test]
    fn replace_sql_updates_every_column_but_the_uuid() {
        let sql = replace_sql("INSERT INTO t (uuid, a, b)\n VALUES (?1, ?2, ?3)");
        assert_eq!(
            sql,
            "INSERT INTO t (uuid, a, b)\n VALUES (?1, ?2, ?3) ON CONFLICT (uuid) DO UPDATE SET a = excluded.a, b = excluded.b"
        );
    }

    #[test]
    fn dates_read_by_hand_match_chrono() {
        for s in [
            "2026-11-21",
            "0001-01-01",
            "9999-12-31",
            "2024-02-29",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-5",
            "2026-01-05 ",
            "+2026-01-05",
            "2026/01/05",
            "２０２６-01-05",
            "",
        ] {
            assert_eq!(
                parse_date(s).ok(),
                NaiveDate::parse_from_str(s, DATE).ok(),
                "{s:?}"
            );
        }
        for s in [
            "2026-11-21 10:00",
            "2026-11-21 23:59",
            "2026-11-21 24:00",
            "2026-11-21 10:60",
            "2026-11-21 9:05",
            "2026-11-21T10:00",
            "2026-02-30 10:00",
            "2026-11-21 10:00:00",
            "2026-11-21",
        ] {
            assert_eq!(
                parse_datetime(s).ok(),
                NaiveDateTime::parse_from_str(s, DATETIME).ok(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn column_lists_name_each_column_once() {
        for cols in [&SESSION_COLUMNS[..], &SERIES_COLUMNS[..]] {
            for (i, c) in cols.iter().enumerate() {
                assert_eq!(position(cols, c), i, "{c}");
            }
        }
    }
}
