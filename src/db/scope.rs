//! Loading the records an export covers: every client, one client or one
//! series, optionally only the sessions inside a date range. Three queries
//! whatever the size of the scope.

use super::columns::{SERIES, SESSIONS};
use super::error::StoreError;
use super::rows::{self, DATE, DATETIME};
use super::tree::{ClientTree, SeriesTree};
use super::{Result, Store};
use crate::domain::{Series, Session};
use chrono::{Days, NaiveDate, NaiveDateTime};
use rusqlite::types::Value as SqlValue;
use std::collections::HashMap;
use uuid::Uuid;

// `Store::for_each_session_row`: the sessions of a scope one at a time.
mod stream;

// `Store::for_each_scoped_series` and `for_each_scoped_client`: a scope's
// series and clients one at a time.
mod records;

// `Store::scoped_tree_stream`: a scope's records one client at a time.
mod trees;

pub use stream::SessionRow;
pub use trees::TreeStream;

/// What an export covers. Dates are inclusive and compare with the day a
/// session took place; `None` leaves that side open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// One client (the integer key), or every client.
    pub client: Option<i64>,
    /// One series, or every series of the clients in scope.
    pub series: Option<Uuid>,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Scope {
    pub fn everything() -> Self {
        Self::default()
    }

    pub fn has_date_range(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// The same scope without its date range.
    pub fn all_dates(&self) -> Self {
        Self {
            since: None,
            until: None,
            ..*self
        }
    }

    /// Whether a session on `day` falls inside the date range.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.since.is_none_or(|s| day >= s) && self.until.is_none_or(|u| day <= u)
    }
}

/// A client and the part of their records that is in scope.
pub type ScopedClient = ClientTree<ScopedSeries>;

/// A series with the sessions in scope. Sessions outside a date range are
/// left out, but the figures that describe the whole series (how many
/// sessions it holds, the latest one) are kept, so that session numbers and
/// due dates stay true.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopedSeries {
    pub series: Series,
    /// In the order they took place.
    pub sessions: Vec<Session>,
    /// The number within the whole series (1-based) of `sessions[0]`.
    pub first_number: u32,
    /// Sessions in the whole series, in scope or not.
    pub total_sessions: u32,
    /// The latest session of the whole series.
    pub last_session: Option<NaiveDateTime>,
}

impl ScopedSeries {
    /// The number within the whole series of `sessions[i]`.
    pub fn number(&self, i: usize) -> u32 {
        self.first_number + i as u32
    }
}

impl ScopedClient {
    pub fn session_count(&self) -> usize {
        self.series.iter().map(|s| s.sessions.len()).sum()
    }
}

impl From<ScopedSeries> for SeriesTree {
    fn from(s: ScopedSeries) -> Self {
        SeriesTree {
            series: s.series,
            sessions: s.sessions,
        }
    }
}

/// Turns scoped records back into plain trees (for the JSON document).
pub fn into_trees(scoped: Vec<ScopedClient>) -> Vec<ClientTree> {
    scoped
        .into_iter()
        .map(|c| c.map_series(SeriesTree::from))
        .collect()
}

struct SessionFigures {
    number: u32,
    total: u32,
    last: Option<NaiveDateTime>,
}

impl Store {
    /// The clients, series and sessions in `scope`: clients by name, series
    /// by start, sessions by date. Archived clients are included. With a
    /// date range, series without a session in it are left out, and so are
    /// clients left with no series.
    pub fn scoped_trees(&self, scope: &Scope) -> Result<Vec<ScopedClient>> {
        let (client_id, series_filter) = self.resolve_scope(scope)?;
        let clients = match client_id {
            Some(id) => vec![self.client(id)?],
            None => self.clients(true)?,
        };

        let mut conditions = Vec::new();
        let mut params: Vec<SqlValue> = Vec::new();
        if let Some(id) = client_id {
            params.push(SqlValue::Integer(id));
            conditions.push(format!("client_id = ?{}", params.len()));
        }
        if let Some(s) = &series_filter {
            params.push(SqlValue::Integer(s.id));
            conditions.push(format!("id = ?{}", params.len()));
        }
        let series_where = where_clause(&conditions);
        let mut series_by_client: HashMap<i64, Vec<Series>> = HashMap::new();
        {
            let sql = format!("{}{series_where} ORDER BY started_on, id", SERIES.select);
            let mut stmt = self.conn().prepare(&sql)?;
            for s in stmt.query_map(rusqlite::params_from_iter(&params), rows::series)? {
                let s = s?;
                series_by_client.entry(s.client_id).or_default().push(s);
            }
        }

        let inner_where = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE series_id IN (SELECT id FROM series{series_where})")
        };
        let ranged = scope.has_date_range();
        let mut sessions_by_series = if ranged {
            self.ranged_sessions(scope, &inner_where, params)?
        } else {
            self.whole_sessions(&inner_where, &params)?
        };

        Ok(clients
            .into_iter()
            .filter_map(|client| {
                let series: Vec<ScopedSeries> = series_by_client
                    .remove(&client.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|series| match sessions_by_series.remove(&series.id) {
                        Some((f, sessions)) => Some(ScopedSeries {
                            series,
                            sessions,
                            first_number: f.number,
                            total_sessions: f.total,
                            last_session: f.last,
                        }),
                        None if ranged => None,
                        None => Some(ScopedSeries {
                            series,
                            sessions: Vec::new(),
                            first_number: 1,
                            total_sessions: 0,
                            last_session: None,
                        }),
                    })
                    .collect();
                let keep = !ranged || !series.is_empty();
                keep.then_some(ScopedClient { client, series })
            })
            .collect())
    }
}

impl Store {
    /// The client (the series' client, when only a series is given) and the
    /// series a scope names, checked to exist and to belong together.
    pub(super) fn resolve_scope(&self, scope: &Scope) -> Result<(Option<i64>, Option<Series>)> {
        let series_filter = scope.series.map(|u| self.series_by_uuid(&u)).transpose()?;
        if let (Some(client), Some(s)) = (scope.client, &series_filter)
            && s.client_id != client
        {
            let name = self.client(client)?.data.name;
            return Err(StoreError::Conflict(format!(
                "series {} does not belong to {name}",
                s.uuid
            )));
        }
        let client_id = scope.client.or(series_filter.as_ref().map(|s| s.client_id));
        Ok((client_id, series_filter))
    }
}

type SessionsBySeries = HashMap<i64, (SessionFigures, Vec<Session>)>;

impl Store {
    /// Every session of the series in scope; numbers and totals follow.
    fn whole_sessions(&self, inner_where: &str, params: &[SqlValue]) -> Result<SessionsBySeries> {
        let sql = format!("{}{inner_where} ORDER BY performed_at, id", SESSIONS.select);
        let mut stmt = self.conn().prepare(&sql)?;
        let mut out: SessionsBySeries = HashMap::new();
        for session in stmt.query_map(rusqlite::params_from_iter(params), rows::session)? {
            let session = session?;
            let entry = out.entry(session.series_id).or_insert_with(|| {
                let figures = SessionFigures {
                    number: 1,
                    total: 0,
                    last: None,
                };
                (figures, Vec::new())
            });
            entry.0.total += 1;
            entry.0.last = Some(session.data.performed_at);
            entry.1.push(session);
        }
        Ok(out)
    }

    /// The sessions inside the date range. Numbers, totals and the latest
    /// session are counted over the whole series before the range is applied.
    fn ranged_sessions(
        &self,
        scope: &Scope,
        inner_where: &str,
        mut params: Vec<SqlValue>,
    ) -> Result<SessionsBySeries> {
        let outer = in_date_range(scope, "performed_at", &mut params);
        let sql = format!(
            "SELECT * FROM (
                SELECT {},
                       row_number() OVER (PARTITION BY series_id ORDER BY performed_at, id) AS scope_number,
                       count(*) OVER (PARTITION BY series_id) AS scope_total,
                       max(performed_at) OVER (PARTITION BY series_id) AS scope_last
                FROM sessions{inner_where}
             ){} ORDER BY performed_at, id",
            SESSIONS.select_list(""),
            where_clause(&outer)
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(&params), |r| {
            let last: Option<String> = r.get("scope_last")?;
            let figures = SessionFigures {
                number: r.get("scope_number")?,
                total: r.get("scope_total")?,
                last: last.and_then(|t| NaiveDateTime::parse_from_str(&t, DATETIME).ok()),
            };
            Ok((figures, rows::session(r)?))
        })?;
        let mut out: SessionsBySeries = HashMap::new();
        for row in rows {
            let (figures, session) = row?;
            out.entry(session.series_id)
                .or_insert_with(|| (figures, Vec::new()))
                .1
                .push(session);
        }
        Ok(out)
    }
}

/// A SQLite error as the error type of a streaming caller, whose `f` may
/// fail in its own way too.
pub(super) fn sql<E: From<StoreError>>(e: rusqlite::Error) -> E {
    E::from(StoreError::from(e))
}

/// The conditions that put `performed_at` (an SQL expression) in the
/// scope's date range, `until` included; none without a range. Binds its
/// dates.
pub(super) fn in_date_range(
    scope: &Scope,
    performed_at: &str,
    params: &mut Vec<SqlValue>,
) -> Vec<String> {
    let mut range = Vec::new();
    if let Some(since) = scope.since {
        params.push(SqlValue::Text(since.format(DATE).to_string()));
        range.push(format!("{performed_at} >= ?{}", params.len()));
    }
    if let Some(after) = scope.until.and_then(|u| u.checked_add_days(Days::new(1))) {
        params.push(SqlValue::Text(after.format(DATE).to_string()));
        range.push(format!("{performed_at} < ?{}", params.len()));
    }
    range
}

pub(super) fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}
