//! Whole client → series → session trees: read for export, written in bulk
//! for the demo generator (and later import) in one transaction (`bulk.rs`).

use super::audit::Action;
use super::rows::Stored;
use super::{Result, Store};
use crate::domain::{Client, Series, Session};
use std::collections::HashMap;

/// A client with every series and session, as exported; with `S` another
/// form of series (a [`ScopedSeries`](super::ScopedSeries): the sessions in
/// an export's scope).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientTree<S = SeriesTree> {
    pub client: Client,
    pub series: Vec<S>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesTree {
    pub series: Series,
    pub sessions: Vec<Session>,
}

impl<S> ClientTree<S> {
    /// The same client with each series turned into another form.
    pub fn map_series<T>(self, f: impl FnMut(S) -> T) -> ClientTree<T> {
        ClientTree {
            client: self.client,
            series: self.series.into_iter().map(f).collect(),
        }
    }
}

impl ClientTree {
    /// The domain's answer to "is this client's follow-up pending?", which
    /// the stored clients list must agree with.
    pub fn followup_pending(&self) -> bool {
        crate::domain::followup_pending(
            self.series
                .iter()
                .map(|t| (&t.series, t.sessions.as_slice())),
        )
    }

    /// The client's adverse events still ongoing, from every series and
    /// every session but `except` (the one being edited): the domain's
    /// answer the stored list's `adverse_ongoing` must agree with.
    pub fn ongoing_events(&self, except: Option<i64>) -> Vec<crate::domain::ClientEvent> {
        crate::domain::ongoing_events(
            self.series
                .iter()
                .flat_map(|t| &t.sessions)
                .filter(|x| Some(x.id) != except)
                .map(|x| {
                    (
                        x.data.performed_at.date(),
                        x.data.followup.adverse_events.as_slice(),
                    )
                }),
        )
    }
}

impl Store {
    /// Every client (archived too) with their series and sessions, clients
    /// by name, series by start, sessions by date. Three queries in all.
    pub fn all_trees(&self) -> Result<Vec<ClientTree>> {
        let clients = self.clients(true)?;
        let mut series_by_client =
            self.grouped("ORDER BY started_on, id", |s: &Series| s.client_id)?;
        let mut sessions_by_series =
            self.grouped("ORDER BY performed_at, id", |x: &Session| x.series_id)?;
        Ok(clients
            .into_iter()
            .map(|client| {
                let series = series_by_client
                    .remove(&client.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|series| SeriesTree {
                        sessions: sessions_by_series.remove(&series.id).unwrap_or_default(),
                        series,
                    })
                    .collect();
                ClientTree { client, series }
            })
            .collect())
    }

    /// Every record of a kind, in `order`, grouped by `parent` (its
    /// parent's key).
    fn grouped<T: Stored>(
        &self,
        order: &str,
        parent: fn(&T) -> i64,
    ) -> Result<HashMap<i64, Vec<T>>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("{} {order}", T::layout().select))?;
        let mut groups: HashMap<i64, Vec<T>> = HashMap::new();
        for record in stmt.query_map([], T::from_row)? {
            let record = record?;
            groups.entry(parent(&record)).or_default().push(record);
        }
        Ok(groups)
    }

    /// One client with their series and sessions.
    pub fn client_tree(&self, id: i64) -> Result<ClientTree> {
        let client = self.client(id)?;
        let series = self
            .series_of(id)?
            .into_iter()
            .map(|series| {
                Ok(SeriesTree {
                    sessions: self.sessions_of(series.id)?,
                    series,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ClientTree { client, series })
    }

    /// Inserts whole trees as they are (UUIDs and timestamps included) in one
    /// transaction, with one audit row that says what was added (the bulk
    /// writer, [`Store::insert_tree_stream`]).
    pub fn insert_trees(
        &mut self,
        trees: &[ClientTree],
        action: Action,
        summary: &str,
    ) -> Result<()> {
        self.insert_tree_stream(trees.iter().map(Ok), action, summary)
    }
}
