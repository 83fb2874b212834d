//! The clients list: one row per client with the figures the home screen
//! shows, read from the `client_list` table that triggers keep current
//! (schema v2). Only the due state is derived in Rust, from the row's few
//! numbers, because it depends on the day.

use super::{Result, Store};
use crate::domain::{Concern, Days, DueState, Zone, due_state};
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
    /// The latest session of the current series has no follow-up
    /// observation yet (`domain::followup_pending`, computed here in SQL).
    pub followup_pending: bool,
    /// The client's latest session: the worst of its redness, swelling and
    /// peeling days (None when none was reported), and whether it had an
    /// adverse event.
    pub last_downtime: Option<Days>,
    pub last_adverse: bool,
    /// An adverse event of any of the client's sessions is still ongoing
    /// (`AdverseEvent::is_ongoing`, computed here in SQL): a stop before
    /// the next session.
    pub adverse_ongoing: bool,
}

impl ClientRow {
    /// The due state of the current series; None without a series. A
    /// completed one is due for maintenance `maintenance_months` after its
    /// last session.
    pub fn due(&self, today: NaiveDate, maintenance_months: u32) -> Option<DueState> {
        self.series.as_ref().map(|s| {
            due_state(
                s.done,
                s.planned,
                s.closed,
                s.last_session,
                s.interval,
                maintenance_months,
                today,
            )
        })
    }
}

const COLUMNS: &str = "
SELECT client_id, uuid, name, archived, screening_flag,
       series_id, concern, zones, planned, interval_min, interval_max,
       closed, done, last_session, last_visit, followup_pending,
       last_downtime, last_adverse, adverse_ongoing
FROM client_list";

pub(super) fn conv(i: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e))
}

fn datetime(i: usize, s: Option<&str>) -> rusqlite::Result<Option<NaiveDateTime>> {
    s.map(|s| super::rows::parse_datetime(s).map_err(|e| conv(i, e)))
        .transpose()
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClientRow> {
    let series = match r.get::<_, Option<i64>>(5)? {
        None => None,
        Some(id) => {
            let concern = r.get_ref(6)?.as_str()?;
            let last = datetime(13, r.get_ref(13)?.as_str_or_null()?)?;
            Some(CurrentSeries {
                id,
                concern: Concern::from_code(concern).ok_or_else(|| {
                    conv(
                        6,
                        std::io::Error::other(format!("unknown concern {concern}")),
                    )
                })?,
                zones: serde_json::from_str(r.get_ref(7)?.as_str()?).map_err(|e| conv(7, e))?,
                planned: r.get(8)?,
                interval: (r.get(9)?, r.get(10)?),
                closed: r.get(11)?,
                done: r.get(12)?,
                last_session: last.map(|t| t.date()),
            })
        }
    };
    Ok(ClientRow {
        id: r.get(0)?,
        uuid: Uuid::parse_str(r.get_ref(1)?.as_str()?).map_err(|e| conv(1, e))?,
        name: r.get(2)?,
        archived: r.get(3)?,
        screening_flag: r.get(4)?,
        series,
        last_visit: datetime(14, r.get_ref(14)?.as_str_or_null()?)?,
        followup_pending: r.get(15)?,
        last_downtime: <Option<Days> as super::columns::Column>::read(
            r.get_ref(16)?,
            "last_downtime",
        )?,
        last_adverse: r.get(17)?,
        adverse_ongoing: r.get(18)?,
    })
}

impl Store {
    /// Every client (archived ones only when asked) with their current
    /// series figures, in no particular order: the screen sorts.
    pub fn client_rows(&self, include_archived: bool) -> Result<Vec<ClientRow>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{COLUMNS} WHERE ?1 OR archived = 0"))?;
        let rows = stmt.query_map([include_archived], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The first `limit` working clients in "next due" order for `today`,
    /// from two index range scans: enough to draw the first screen of a
    /// large practice at once. None when the series under way do not fill
    /// the page (then the whole list is as quick to read).
    pub fn first_due_page(&self, today: NaiveDate, limit: usize) -> Result<Option<Vec<ClientRow>>> {
        let today = today.format(crate::domain::DATE).to_string();
        let limit = limit as i64;
        // Overdue and due now, by the day their window closes.
        let mut stmt = self.conn().prepare_cached(&format!(
            "{COLUMNS} INDEXED BY client_list_closes
             WHERE archived = 0 AND due_closes IS NOT NULL AND due_opens <= ?1
             ORDER BY due_closes, name COLLATE NOCASE, client_id LIMIT ?2"
        ))?;
        let mut rows: Vec<ClientRow> = stmt
            .query_map(rusqlite::params![today, limit], row)?
            .collect::<rusqlite::Result<_>>()?;
        if (rows.len() as i64) < limit {
            // Then the ones whose window opens later, by the day it opens.
            let mut stmt = self.conn().prepare_cached(&format!(
                "{COLUMNS} INDEXED BY client_list_opens
                 WHERE archived = 0 AND due_opens > ?1
                 ORDER BY due_opens, name COLLATE NOCASE, client_id LIMIT ?2"
            ))?;
            let rest = limit - rows.len() as i64;
            for r in stmt.query_map(rusqlite::params![today, rest], row)? {
                rows.push(r?);
            }
        }
        // Counting every client would read the whole index: the first
        // screen does without the number.
        Ok(((rows.len() as i64) == limit).then_some(rows))
    }
}
