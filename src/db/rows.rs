//! Reading rows into domain types. A value outside its range (a file edited
//! by hand, say) becomes an error naming the column, never a panic.

use super::audit::parse_timestamp;
use crate::domain::{
    AdverseEvent, Client, ClientDraft, Concern, Days, Depth, DurationMinutes, Edema, Erythema,
    Fitzpatrick, Followup, Gais, Glogau, NumbingMinutes, OutcomeScale, Pain, Passes, Satisfaction,
    ScreeningItem, Series, SeriesStatus, Session, SessionDraft, ValidSeries, Zone,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Row;
use rusqlite::types::Type;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use uuid::Uuid;

pub const DATE: &str = "%Y-%m-%d";
pub const DATETIME: &str = "%Y-%m-%d %H:%M";

fn bad(col: &str, msg: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, format!("column {col}: {msg}").into())
}

fn json<T: DeserializeOwned>(r: &Row<'_>, col: &str) -> rusqlite::Result<T> {
    let s: String = r.get(col)?;
    serde_json::from_str(&s).map_err(|e| bad(col, e))
}

fn date(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(col)?;
    s.map(|s| NaiveDate::parse_from_str(&s, DATE).map_err(|e| bad(col, e)))
        .transpose()
}

fn uuid(r: &Row<'_>) -> rusqlite::Result<Uuid> {
    let s: String = r.get("uuid")?;
    Uuid::parse_str(&s).map_err(|e| bad("uuid", e))
}

fn bounded<T, E: std::fmt::Display>(
    r: &Row<'_>,
    col: &str,
    f: impl Fn(i64) -> Result<T, E>,
) -> rusqlite::Result<Option<T>> {
    let v: Option<i64> = r.get(col)?;
    v.map(|v| f(v).map_err(|e| bad(col, e))).transpose()
}

fn days(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<Days>> {
    let v: Option<f64> = r.get(col)?;
    v.map(|v| Days::from_days(col_static(col), v).map_err(|e| bad(col, e)))
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
            date_of_birth: date(r, "date_of_birth")?,
            phone: r.get("phone")?,
            email: r.get("email")?,
            fitzpatrick: bounded(r, "fitzpatrick", Fitzpatrick::from_number)?,
            glogau: bounded(r, "glogau", Glogau::from_number)?,
            concerns: json::<Vec<Concern>>(r, "concerns")?,
            screening: json::<Vec<ScreeningItem>>(r, "screening")?,
            allergies: r.get("allergies")?,
            medications: r.get("medications")?,
            consent_on: date(r, "consent_on")?,
            notes: r.get("notes")?,
        },
        archived_at: archived.as_deref().map(parse_timestamp).transpose()?,
        created_at: parse_timestamp(&r.get::<_, String>("created_at")?)?,
        updated_at: parse_timestamp(&r.get::<_, String>("updated_at")?)?,
    })
}

pub fn series(r: &Row<'_>) -> rusqlite::Result<Series> {
    let concern: String = r.get("concern")?;
    let scale: String = r.get("outcome_scale")?;
    let status: String = r.get("status")?;
    let small = |col: &str| -> rusqlite::Result<u8> {
        let v: i64 = r.get(col)?;
        u8::try_from(v).map_err(|e| bad(col, e))
    };
    Ok(Series {
        id: r.get("id")?,
        uuid: uuid(r)?,
        client_id: r.get("client_id")?,
        data: ValidSeries {
            concern: Concern::from_code(&concern).ok_or_else(|| bad("concern", &concern))?,
            zones: json::<Vec<Zone>>(r, "zones")?,
            planned_sessions: small("planned_sessions")?,
            interval_min_days: small("interval_min_days")?,
            interval_max_days: small("interval_max_days")?,
            outcome_scale: OutcomeScale::from_code(&scale)
                .ok_or_else(|| bad("outcome_scale", &scale))?,
            baseline_score: bounded(r, "baseline_score", u8::try_from)?,
            started_on: date(r, "started_on")?.ok_or_else(|| bad("started_on", "missing"))?,
            status: SeriesStatus::from_code(&status).ok_or_else(|| bad("status", &status))?,
            notes: r.get("notes")?,
        },
        created_at: parse_timestamp(&r.get::<_, String>("created_at")?)?,
        updated_at: parse_timestamp(&r.get::<_, String>("updated_at")?)?,
    })
}

pub fn session(r: &Row<'_>) -> rusqlite::Result<Session> {
    let performed: String = r.get("performed_at")?;
    let depth: Option<f64> = r.get("depth_mm")?;
    Ok(Session {
        id: r.get("id")?,
        uuid: uuid(r)?,
        series_id: r.get("series_id")?,
        data: SessionDraft {
            performed_at: NaiveDateTime::parse_from_str(&performed, DATETIME)
                .map_err(|e| bad("performed_at", e))?,
            zones: json::<Vec<Zone>>(r, "zones")?,
            device: r.get("device")?,
            cartridge: r.get("cartridge")?,
            depth_mm: depth
                .map(|d| Depth::from_mm("depth", d).map_err(|e| bad("depth_mm", e)))
                .transpose()?,
            zone_depths: json::<BTreeMap<Zone, Depth>>(r, "zone_depths")?,
            passes: bounded(r, "passes", Passes::new)?,
            serum: r.get("serum")?,
            numbing: r.get("numbing")?,
            numbing_minutes: bounded(r, "numbing_minutes", NumbingMinutes::new)?,
            duration_minutes: bounded(r, "duration_minutes", DurationMinutes::new)?,
            endpoint: r.get("endpoint")?,
            cartridge_lot: r.get("cartridge_lot")?,
            serum_lot: r.get("serum_lot")?,
            erythema: bounded(r, "erythema", Erythema::new)?,
            edema: bounded(r, "edema", Edema::new)?,
            pain: bounded(r, "pain", Pain::new)?,
            outcome_score: bounded(r, "outcome_score", u8::try_from)?,
            gais_clinician: bounded(r, "gais_clinician", |v| Gais::new("GAIS (clinician)", v))?,
            gais_client: bounded(r, "gais_client", |v| Gais::new("GAIS (client)", v))?,
            satisfaction: bounded(r, "satisfaction", Satisfaction::new)?,
            followup: Followup {
                recorded_on: date(r, "followup_on")?,
                redness_days: days(r, "redness_days")?,
                swelling_days: days(r, "swelling_days")?,
                peeling_days: days(r, "peeling_days")?,
                adverse_events: json::<Vec<AdverseEvent>>(r, "adverse_events")?,
                notes: r.get("followup_notes")?,
            },
            acknowledged_warnings: json::<Vec<String>>(r, "acknowledged_warnings")?,
            notes: r.get("notes")?,
        },
        created_at: parse_timestamp(&r.get::<_, String>("created_at")?)?,
        updated_at: parse_timestamp(&r.get::<_, String>("updated_at")?)?,
    })
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Serialising the program's own plain types cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format(DATE).to_string())
}
