//! The clients list: one row per client with the figures the home screen
//! shows, from one query. Sessions are counted in SQL; only the due state is
//! derived in Rust, from the row's few numbers.

use super::rows::DATETIME;
use super::{Result, Store};
use crate::domain::{Concern, DueState, SeriesStatus, Zone, due_state};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::Type;
use uuid::Uuid;

/// The client's current series: the newest active one, else the newest.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentSeries {
    pub id: i64,
    pub concern: Concern,
    pub zones: Vec<Zone>,
    pub planned: u8,
    pub interval: (u8, u8),
    pub closed: bool,
    pub done: u32,
    pub last_session: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientRow {
    pub id: i64,
    pub uuid: Uuid,
    pub name: String,
    pub archived: bool,
    /// Any screening item answered yes.
    pub screening_flag: bool,
    pub series: Option<CurrentSeries>,
    pub last_visit: Option<NaiveDateTime>,
    /// The latest session has no follow-up observations yet.
    pub followup_pending: bool,
}

impl ClientRow {
    /// The due state of the current series; None without a series.
    pub fn due(&self, today: NaiveDate) -> Option<DueState> {
        self.series.as_ref().map(|s| {
            due_state(
                s.done,
                s.planned,
                s.closed,
                s.last_session,
                s.interval,
                today,
            )
        })
    }
}

const QUERY: &str = "
WITH cur AS (
    SELECT id, client_id, concern, zones, planned_sessions, interval_min_days, interval_max_days, status,
           row_number() OVER (PARTITION BY client_id
                              ORDER BY status = 'active' DESC, started_on DESC, id DESC) AS rn
    FROM series
),
-- SQLite fills the bare column followup_on from the row holding max(performed_at).
per_series AS (
    SELECT series_id, count(*) AS done, max(performed_at) AS last_at,
           followup_on IS NULL AND redness_days IS NULL AND swelling_days IS NULL
               AND peeling_days IS NULL AND adverse_events = '[]' AS pending
    FROM sessions GROUP BY series_id
),
per_client AS (
    SELECT s.client_id, max(p.last_at) AS last_at FROM per_series p JOIN series s ON s.id = p.series_id
    GROUP BY s.client_id
)
SELECT c.id, c.uuid, c.name, c.archived_at IS NOT NULL, c.screening <> '[]',
       cur.id, cur.concern, cur.zones, cur.planned_sessions, cur.interval_min_days, cur.interval_max_days,
       cur.status, coalesce(p.done, 0), p.last_at, pc.last_at, coalesce(p.pending, 0)
FROM clients c
LEFT JOIN cur ON cur.client_id = c.id AND cur.rn = 1
LEFT JOIN per_series p ON p.series_id = cur.id
LEFT JOIN per_client pc ON pc.client_id = c.id
WHERE ?1 OR c.archived_at IS NULL
";

fn conv(i: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))
}

fn datetime(i: usize, s: Option<String>) -> rusqlite::Result<Option<NaiveDateTime>> {
    s.map(|s| NaiveDateTime::parse_from_str(&s, DATETIME).map_err(|e| conv(i, e)))
        .transpose()
}

impl Store {
    /// Every client (archived ones only when asked) with their current
    /// series figures, in no particular order: the screen sorts.
    pub fn client_rows(&self, include_archived: bool) -> Result<Vec<ClientRow>> {
        let mut stmt = self.conn().prepare_cached(QUERY)?;
        let rows = stmt.query_map([include_archived], |r| {
            let uuid: String = r.get(1)?;
            let series = match r.get::<_, Option<i64>>(5)? {
                None => None,
                Some(id) => {
                    let concern: String = r.get(6)?;
                    let zones: String = r.get(7)?;
                    let last: Option<NaiveDateTime> = datetime(13, r.get(13)?)?;
                    Some(CurrentSeries {
                        id,
                        concern: Concern::from_code(&concern).ok_or_else(|| {
                            conv(
                                6,
                                std::io::Error::other(format!("unknown concern {concern}")),
                            )
                        })?,
                        zones: serde_json::from_str(&zones).map_err(|e| conv(7, e))?,
                        planned: r.get(8)?,
                        interval: (r.get(9)?, r.get(10)?),
                        closed: SeriesStatus::from_code(&r.get::<_, String>(11)?)
                            != Some(SeriesStatus::Active),
                        done: r.get(12)?,
                        last_session: last.map(|t| t.date()),
                    })
                }
            };
            Ok(ClientRow {
                id: r.get(0)?,
                uuid: Uuid::parse_str(&uuid).map_err(|e| conv(1, e))?,
                name: r.get(2)?,
                archived: r.get(3)?,
                screening_flag: r.get(4)?,
                series,
                last_visit: datetime(14, r.get(14)?)?,
                followup_pending: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
