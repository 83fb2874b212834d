//! The sessions of a scope one at a time, for exports that write a row per
//! session (CSV): the series in the export's order, then each one's
//! sessions from the index that already has them in order, each handed on
//! as it is read, with nothing kept but the current client and series.
//! Building the whole client → series → session tree first, as
//! [`Store::scoped_trees`] does, took three times as long and held every
//! record in memory (for 10,000 clients: 701 ms and 75 MB then, 207 ms and
//! 17 MB streamed).

use super::super::columns::{SERIES, SESSIONS};
use super::super::rows::{self, DATE};
use super::super::{Result, Store, StoreError};
use super::{Scope, sql, where_clause};
use crate::domain::{Series, Session};
use chrono::Days;
use rusqlite::types::Value as SqlValue;
use uuid::Uuid;

/// One session of an export with its client and series: the sources of one
/// CSV row.
#[derive(Debug, Clone, Copy)]
pub struct SessionRow<'a> {
    pub client_name: &'a str,
    pub client_uuid: &'a Uuid,
    pub series: &'a Series,
    /// The session's number within its whole series (1-based), also when a
    /// date range leaves earlier sessions out.
    pub number: u32,
    pub session: &'a Session,
}

/// What a streamed export covered: the same figures as the scoped trees
/// give (every client and series in scope, or with a date range only
/// those with a session in it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamCounts {
    pub clients: usize,
    pub series: usize,
    pub sessions: usize,
}

/// Where the client's columns end and the series' begin in the series query.
const SERIES_AT: usize = 3;

/// The two queries of a stream and what they bind: the series in scope
/// (with their clients), and one series' sessions in the date range.
struct StreamQueries {
    series: String,
    params: Vec<SqlValue>,
    sessions: String,
    since: Option<String>,
    until: Option<String>,
}

impl StreamQueries {
    fn new(scope: &Scope, client_id: Option<i64>, series_id: Option<i64>) -> Self {
        let mut conditions = Vec::new();
        let mut params: Vec<SqlValue> = Vec::new();
        if let Some(id) = client_id {
            params.push(SqlValue::Integer(id));
            conditions.push(format!("s.client_id = ?{}", params.len()));
        }
        if let Some(id) = series_id {
            params.push(SqlValue::Integer(id));
            conditions.push(format!("s.id = ?{}", params.len()));
        }
        // The series in order: clients walked in name order (the
        // `clients_name` index gives name, then key), each one's series
        // looked up and sorted on their own ("temp b-tree for right part
        // of ORDER BY"). Taking the series first and sorting them all at
        // once is about a tenth faster, but that sort holds every series
        // in memory (SQLCipher builds keep SQLite's temporary files in
        // memory): 55 MB at 100,000 clients and growing with the data,
        // against 22 MB this way (BENCHMARKS.md, issue 15 seventh round).
        // The test below holds the plan to it.
        let series = format!(
            "SELECT c.id, c.name, c.uuid, {}
             FROM clients c CROSS JOIN series s ON s.client_id = c.id{}
             ORDER BY c.name COLLATE NOCASE, c.id, s.started_on, s.id",
            SERIES.select_list("s."),
            where_clause(&conditions)
        );
        // Then each series' sessions, in the order of the
        // `sessions_series_time` index: nothing to sort. (One query joining
        // all three tables would have SQLite copy every session row into a
        // sorter and out again: a third slower, measured.)
        let since = scope.since.map(|d| d.format(DATE).to_string());
        let until = scope
            .until
            .and_then(|u| u.checked_add_days(Days::new(1)))
            .map(|d| d.format(DATE).to_string());
        // ?1 is the series; the dates follow.
        let mut range = String::new();
        if since.is_some() {
            range.push_str(" AND performed_at >= ?2");
        }
        if until.is_some() {
            let at = 2 + usize::from(since.is_some());
            range.push_str(&format!(" AND performed_at < ?{at}"));
        }
        let sessions = format!(
            "{} WHERE series_id = ?1{range} ORDER BY performed_at, id",
            SESSIONS.select
        );
        Self {
            series,
            params,
            sessions,
            since,
            until,
        }
    }
}

impl Store {
    /// Calls `f` with every session in `scope`, in the order of
    /// [`Store::scoped_trees`] (clients by name, series by start, sessions
    /// by date), and returns what was covered. Stops at the first error,
    /// the store's or `f`'s.
    pub fn for_each_session_row<E: From<StoreError>>(
        &self,
        scope: &Scope,
        mut f: impl FnMut(&SessionRow<'_>) -> Result<(), E>,
    ) -> Result<StreamCounts, E> {
        let (client_id, series_filter) = self.resolve_scope(scope)?;
        if let Some(id) = client_id {
            // A client that is not there is an error, as for the trees.
            self.client(id)?;
        }
        let q = StreamQueries::new(scope, client_id, series_filter.as_ref().map(|s| s.id));
        let (params, since) = (&q.params, &q.since);
        let dates: Vec<&String> = q.since.iter().chain(&q.until).collect();
        let conn = self.conn();
        let mut series_stmt = conn.prepare(&q.series).map_err(sql::<E>)?;
        let mut sessions_stmt = conn.prepare(&q.sessions).map_err(sql::<E>)?;
        // With a start date, a series' first session in range is numbered
        // after the ones before it.
        let mut earlier = conn
            .prepare("SELECT count(*) FROM sessions WHERE series_id = ?1 AND performed_at < ?2")
            .map_err(sql::<E>)?;
        let mut counts = StreamCounts::default();
        let mut client: Option<(i64, String, Uuid)> = None;
        let mut counted_client = None;
        let mut all_series = series_stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(sql::<E>)?;
        while let Some(r) = all_series.next().map_err(sql::<E>)? {
            let cid: i64 = r.get(0).map_err(sql::<E>)?;
            if client.as_ref().is_none_or(|c| c.0 != cid) {
                let name: String = r.get(1).map_err(sql::<E>)?;
                let uuid = rows::uuid_col(r, 2, "uuid").map_err(sql::<E>)?;
                client = Some((cid, name, uuid));
            }
            let series = rows::series_at(r, SERIES_AT).map_err(sql::<E>)?;
            let mut number: u32 = match since {
                Some(since) => earlier
                    .query_row(rusqlite::params![series.id, since], |r| r.get(0))
                    .map_err(sql::<E>)?,
                None => 0,
            };
            let mut bind: Vec<&dyn rusqlite::ToSql> = vec![&series.id];
            bind.extend(dates.iter().map(|d| *d as &dyn rusqlite::ToSql));
            let mut sessions = sessions_stmt.query(&*bind).map_err(sql::<E>)?;
            let mut any = false;
            while let Some(x) = sessions.next().map_err(sql::<E>)? {
                number += 1;
                let session = rows::session_at(x, 0).map_err(sql::<E>)?;
                counts.sessions += 1;
                any = true;
                if let Some((_, name, uuid)) = &client {
                    f(&SessionRow {
                        client_name: name,
                        client_uuid: uuid,
                        series: &series,
                        number,
                        session: &session,
                    })?;
                }
            }
            if any {
                counts.series += 1;
                if counted_client != Some(cid) {
                    counted_client = Some(cid);
                    counts.clients += 1;
                }
            }
        }
        if !scope.has_date_range() {
            // Every client and series in scope counts, sessions or not.
            let (clients, series) = self
                .scope_sizes(client_id, series_filter.as_ref().map(|s| s.id))
                .map_err(E::from)?;
            counts.clients = clients;
            counts.series = series;
        }
        Ok(counts)
    }

    /// How many clients and series a scope without dates covers.
    fn scope_sizes(&self, client: Option<i64>, series: Option<i64>) -> Result<(usize, usize)> {
        let clients: i64 = match client {
            Some(_) => 1,
            None => self
                .conn()
                .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?,
        };
        let series: i64 = match (client, series) {
            (_, Some(_)) => 1,
            (Some(c), None) => self.conn().query_row(
                "SELECT count(*) FROM series WHERE client_id = ?1",
                [c],
                |r| r.get(0),
            )?,
            (None, None) => self
                .conn()
                .query_row("SELECT count(*) FROM series", [], |r| r.get(0))?,
        };
        Ok((clients as usize, series as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's plan, step by step, for the series queries of the CSV
    /// stream (every client, one client, one series) and of the other
    /// exports (every client).
    fn plans() -> Vec<Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.db")).unwrap();
        let mut queries: Vec<(String, Vec<SqlValue>)> =
            [(None, None), (Some(1), None), (Some(1), Some(1))]
                .into_iter()
                .map(|(client, series)| {
                    let q = StreamQueries::new(&Scope::everything(), client, series);
                    (q.series, q.params)
                })
                .collect();
        queries.push(store.scoped_series_query(&Scope::everything()).unwrap());
        let conn = store.conn();
        queries
            .iter()
            .map(|(query, params)| {
                let mut stmt = conn
                    .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
                    .unwrap();
                stmt.query_map(rusqlite::params_from_iter(params), |r| {
                    r.get::<_, String>(3)
                })
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
            })
            .collect()
    }

    /// The series reach the export in order without SQLite sorting all of
    /// them at once, which would hold every series in memory: clients come
    /// by the name index, and only each client's series are sorted.
    #[test]
    fn the_series_are_never_sorted_all_at_once() {
        let plans = plans();
        for plan in &plans {
            assert!(
                !plan
                    .iter()
                    .any(|step| step == "USE TEMP B-TREE FOR ORDER BY"),
                "{plan:?}"
            );
        }
        for all in [&plans[0], &plans[3]] {
            assert!(
                all.iter().any(|step| step.contains("INDEX clients_name")),
                "{all:?}"
            );
        }
    }
}
