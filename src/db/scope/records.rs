//! The clients and the series of a scope one at a time, for exports that
//! write a row per client or per series (the spreadsheet's Clients and
//! Series sheets): the same records, in the same order, as
//! [`Store::scoped_trees`] holds, without loading them all.

use super::super::columns::{CLIENTS, SERIES};
use super::super::rows;
use super::super::{Result, Store, StoreError};
use super::{Scope, in_date_range, sql, where_clause};
use crate::domain::{Client, Series};
use rusqlite::types::Value as SqlValue;
use uuid::Uuid;

/// Where the client's columns end and the series' begin in
/// [`Store::scoped_series_query`].
pub(super) const SERIES_AT: usize = 2;

/// `EXISTS (…)`: the series `series` (an SQL expression) has a session in
/// the scope's date range; nothing without a range. Binds its dates.
fn has_session_in_range(scope: &Scope, series: &str, params: &mut Vec<SqlValue>) -> Option<String> {
    if !scope.has_date_range() {
        return None;
    }
    let mut range = in_date_range(scope, "x.performed_at", params);
    if range.is_empty() {
        // An `until` on the last day chrono knows: every session is before it.
        range.push("1".into());
    }
    Some(format!(
        "EXISTS (SELECT 1 FROM sessions x WHERE x.series_id = {series} AND {})",
        range.join(" AND ")
    ))
}

impl Store {
    /// Runs `query` with `params` and calls `row` on each row, in order;
    /// returns how many there were. Stops at the first error.
    pub(super) fn each_row<E: From<StoreError>>(
        &self,
        query: &str,
        params: &[SqlValue],
        mut row: impl FnMut(&rusqlite::Row<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        let mut stmt = self.conn().prepare(query).map_err(sql::<E>)?;
        let mut all = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(sql::<E>)?;
        let mut count = 0;
        while let Some(r) = all.next().map_err(sql::<E>)? {
            count += 1;
            row(r)?;
        }
        Ok(count)
    }

    /// The scope's client, checked to exist, as a condition on `column`
    /// (none for the whole practice), with its parameter, and the scope's
    /// series if it names one.
    fn client_condition(
        &self,
        scope: &Scope,
        column: &str,
    ) -> Result<(Vec<String>, Vec<SqlValue>, Option<Series>)> {
        let (client_id, series_filter) = self.resolve_scope(scope)?;
        let mut conditions = Vec::new();
        let mut params: Vec<SqlValue> = Vec::new();
        if let Some(id) = client_id {
            self.client(id)?;
            params.push(SqlValue::Integer(id));
            conditions.push(format!("{column} = ?{}", params.len()));
        }
        Ok((conditions, params, series_filter))
    }

    /// Whether `scope` names records that are there and belong together:
    /// the error an export of it would meet, before it writes anything.
    pub fn check_scope(&self, scope: &Scope) -> Result<()> {
        self.client_condition(scope, "").map(|_| ())
    }

    /// The query of [`Store::for_each_scoped_series`] and its parameters:
    /// the client's name and UUID, then the series' columns.
    pub(super) fn scoped_series_query(&self, scope: &Scope) -> Result<(String, Vec<SqlValue>)> {
        let (mut conditions, mut params, series_filter) =
            self.client_condition(scope, "s.client_id")?;
        if let Some(s) = &series_filter {
            params.push(SqlValue::Integer(s.id));
            conditions.push(format!("s.id = ?{}", params.len()));
        }
        conditions.extend(has_session_in_range(scope, "s.id", &mut params));
        // Clients by the name index, each one's series sorted on their
        // own: never every series in one sort (see `stream.rs`).
        let query = format!(
            "SELECT c.name, c.uuid, {}
             FROM clients c CROSS JOIN series s ON s.client_id = c.id{}
             ORDER BY c.name COLLATE NOCASE, c.id, s.started_on, s.id",
            SERIES.select_list("s."),
            where_clause(&conditions)
        );
        Ok((query, params))
    }

    /// Calls `f` with each series in `scope`, with its client's name and
    /// UUID, in the order of [`Store::scoped_trees`] (clients by name,
    /// series by start). With a date range, only series with a session in
    /// it. Returns how many there were.
    pub fn for_each_scoped_series<E: From<StoreError>>(
        &self,
        scope: &Scope,
        mut f: impl FnMut(&str, &Uuid, &Series) -> Result<(), E>,
    ) -> Result<usize, E> {
        let (query, params) = self.scoped_series_query(scope)?;
        self.each_row(&query, &params, |r| {
            let name: String = r.get(0).map_err(sql::<E>)?;
            let uuid = rows::uuid_col(r, 1, "uuid").map_err(sql::<E>)?;
            let series = rows::series_at(r, SERIES_AT).map_err(sql::<E>)?;
            f(&name, &uuid, &series)
        })
    }

    /// The query of [`Store::for_each_scoped_client`] and its parameters:
    /// the clients' columns.
    pub(super) fn scoped_clients_query(&self, scope: &Scope) -> Result<(String, Vec<SqlValue>)> {
        let (mut conditions, mut params, series_filter) =
            self.client_condition(scope, "clients.id")?;
        // A series' client is the scope's client (`resolve_scope`); with
        // dates, the client counts only with a session in range.
        if scope.has_date_range() {
            let mut series_conditions = vec!["s.client_id = clients.id".to_string()];
            if let Some(s) = &series_filter {
                params.push(SqlValue::Integer(s.id));
                series_conditions.push(format!("s.id = ?{}", params.len()));
            }
            series_conditions.extend(has_session_in_range(scope, "s.id", &mut params));
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM series s{})",
                where_clause(&series_conditions)
            ));
        }
        let query = format!(
            "{}{} ORDER BY name COLLATE NOCASE, id",
            CLIENTS.select,
            where_clause(&conditions)
        );
        Ok((query, params))
    }

    /// Calls `f` with each client in `scope`, archived ones too, by name,
    /// as [`Store::scoped_trees`] has them: with a date range, only clients
    /// with a session in it. Returns how many there were.
    pub fn for_each_scoped_client<E: From<StoreError>>(
        &self,
        scope: &Scope,
        mut f: impl FnMut(&Client) -> Result<(), E>,
    ) -> Result<usize, E> {
        let (query, params) = self.scoped_clients_query(scope)?;
        self.each_row(&query, &params, |r| f(&rows::client(r).map_err(sql::<E>)?))
    }
}
