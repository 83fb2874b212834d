//! Sessions by the day they took place, for the "today" screen: what was
//! recorded today, and which recent sessions still wait for their follow-up.

use super::client_list::conv;
use super::{Result, Store};
use crate::domain::{Concern, DATE};
use chrono::{NaiveDate, NaiveDateTime};

/// One session with the names the today screen lists it by.
#[derive(Debug, Clone, PartialEq)]
pub struct DaySession {
    pub client_id: i64,
    pub client_name: String,
    pub series_id: i64,
    pub concern: Concern,
    pub session_id: i64,
    /// The session's place in its series, from 1.
    pub number: u32,
    pub performed_at: NaiveDateTime,
    /// No follow-up observation yet (the domain's meaning: days, an adverse
    /// event or a note).
    pub followup_pending: bool,
}

impl Store {
    /// The sessions of working (not archived) clients that took place from
    /// `from` to `until`, both days included, oldest first.
    pub fn sessions_on_days(&self, from: NaiveDate, until: NaiveDate) -> Result<Vec<DaySession>> {
        let Some(after_until) = until.succ_opt() else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT c.id, c.name, s.id, s.concern, x.id,
                    (SELECT count(*) FROM sessions y WHERE y.series_id = x.series_id
                       AND (y.performed_at < x.performed_at
                            OR (y.performed_at = x.performed_at AND y.id <= x.id))),
                    x.performed_at, {}
             FROM sessions x
             JOIN series s ON s.id = x.series_id
             JOIN clients c ON c.id = s.client_id
             WHERE c.archived_at IS NULL AND x.performed_at >= ?1 AND x.performed_at < ?2
             ORDER BY x.performed_at, x.id",
            super::schema::PENDING
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            [
                from.format(DATE).to_string(),
                after_until.format(DATE).to_string(),
            ],
            |r| {
                let concern = r.get_ref(3)?.as_str()?;
                let at = r.get_ref(6)?.as_str()?;
                Ok(DaySession {
                    client_id: r.get(0)?,
                    client_name: r.get(1)?,
                    series_id: r.get(2)?,
                    concern: Concern::from_code(concern).ok_or_else(|| {
                        conv(
                            3,
                            std::io::Error::other(format!("unknown concern {concern}")),
                        )
                    })?,
                    session_id: r.get(4)?,
                    number: r.get(5)?,
                    performed_at: super::rows::parse_datetime(at).map_err(|e| conv(6, e))?,
                    followup_pending: r.get(7)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
