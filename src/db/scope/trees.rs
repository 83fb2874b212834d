//! The records of a scope one client at a time, each with its series and
//! their sessions, for the exports that write a client's whole record at
//! once (JSON, Markdown, HTML, iCalendar): the same trees, in the same
//! order and with the same figures, as [`Store::scoped_trees`] returns all
//! together, with nothing kept but the client being written.
//!
//! Two queries run side by side in the same order (clients by name, series
//! by their client's name, then by start): the scope's clients and the
//! scope's series; each client takes the series that follow it that are
//! its own, and each series its sessions.

use super::super::rows;
use super::super::{Result, Store, StoreError};
use super::records::SERIES_AT;
use super::{Scope, ScopedClient, ScopedSeries, sql};
use crate::domain::Series;
use rusqlite::types::Value as SqlValue;

/// A scope checked (its client and series exist and belong together) and
/// ready to be read client by client with [`TreeStream::for_each`].
pub struct TreeStream<'s> {
    store: &'s Store,
    scope: Scope,
    clients: (String, Vec<SqlValue>),
    series: (String, Vec<SqlValue>),
}

impl Store {
    /// The records of `scope`, to be read one client at a time. A client or
    /// series that is not there, or a series of another client, is an
    /// error here, before anything has been read.
    pub fn scoped_tree_stream(&self, scope: &Scope) -> Result<TreeStream<'_>> {
        Ok(TreeStream {
            store: self,
            scope: *scope,
            clients: self.scoped_clients_query(scope)?,
            series: self.scoped_series_query(scope)?,
        })
    }
}

impl TreeStream<'_> {
    /// Calls `f` with each client in scope and the part of their records
    /// that is in it, as [`Store::scoped_trees`] would have it, and returns
    /// how many clients there were. Stops at the first error, the store's
    /// or `f`'s.
    pub fn for_each<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(ScopedClient) -> Result<(), E>,
    ) -> Result<usize, E> {
        let mut series_stmt = self
            .store
            .conn()
            .prepare(&self.series.0)
            .map_err(sql::<E>)?;
        let mut series_rows = series_stmt
            .query(rusqlite::params_from_iter(&self.series.1))
            .map_err(sql::<E>)?;
        let mut next_series = || -> Result<Option<Series>, E> {
            match series_rows.next().map_err(sql::<E>)? {
                Some(r) => Ok(Some(rows::series_at(r, SERIES_AT).map_err(sql::<E>)?)),
                None => Ok(None),
            }
        };
        // The series read but not yet taken: the first of the next client.
        let mut pending: Option<Series> = None;
        let mut count = 0;
        self.store.each_row(&self.clients.0, &self.clients.1, |r| {
            let client = rows::client(r).map_err(sql::<E>)?;
            let mut series = Vec::new();
            loop {
                if pending.is_none() {
                    pending = next_series()?;
                }
                match pending.take_if(|s| s.client_id == client.id) {
                    Some(s) => series.extend(self.scoped_series(s).map_err(E::from)?),
                    None => break,
                }
            }
            // With dates, a client keeps only series with a session
            // in range, and counts only with one.
            if self.scope.has_date_range() && series.is_empty() {
                return Ok(());
            }
            count += 1;
            f(ScopedClient { client, series })
        })?;
        // Both queries hold the same clients in the same order, so every
        // series has been taken; one left over would be missing from the
        // export, which must fail rather than leave it out.
        let left = match pending {
            Some(s) => Some(s),
            None => next_series()?,
        };
        if let Some(s) = left {
            return Err(E::from(StoreError::Other(format!(
                "export failed: series {} was not read with its client; nothing was written",
                s.uuid
            ))));
        }
        Ok(count)
    }

    /// `series` with its sessions in the scope's date range, numbered
    /// within the whole series; None when a date range leaves none.
    fn scoped_series(&self, series: Series) -> Result<Option<ScopedSeries>> {
        let all = self.store.sessions_of(series.id)?;
        let total_sessions = all.len() as u32;
        let last_session = all.last().map(|x| x.data.performed_at);
        let in_range = |x: &crate::domain::Session| self.scope.contains(x.data.performed_at.date());
        let before = all.iter().take_while(|x| !in_range(x)).count();
        let sessions: Vec<_> = all.into_iter().filter(in_range).collect();
        if sessions.is_empty() && self.scope.has_date_range() {
            return Ok(None);
        }
        Ok(Some(ScopedSeries {
            series,
            sessions,
            first_number: before as u32 + 1,
            total_sessions,
            last_session,
        }))
    }
}
