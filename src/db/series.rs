//! Series: create, update, list, get.

use super::audit::{Action, Entity, Tx};
use super::columns::{self, SERIES};
use super::error::StoreError;
use super::rows;
use super::{Result, Store};
use crate::domain::{Series, SeriesDraft, ValidSeries};
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use uuid::Uuid;

/// Inserts a row as given (already validated); every path that creates
/// one, interactive or bulk, goes through here.
pub(crate) fn insert_row(
    tx: &rusqlite::Transaction<'_>,
    uuid: Uuid,
    client_id: i64,
    s: &ValidSeries,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
) -> Result<i64> {
    let how = columns::Write::Insert;
    Ok(columns::write_child(
        tx, &SERIES, how, uuid, client_id, s, created, updated,
    )?)
}

/// Rewrites the row with this UUID in place (same key), every column.
pub(crate) fn replace_row(
    tx: &rusqlite::Transaction<'_>,
    uuid: Uuid,
    client_id: i64,
    s: &ValidSeries,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
) -> Result<()> {
    let how = columns::Write::Replace;
    columns::write_child(tx, &SERIES, how, uuid, client_id, s, created, updated)?;
    Ok(())
}

pub(crate) fn insert_audited(
    w: &mut Tx<'_>,
    client_id: i64,
    s: &ValidSeries,
    summary: &str,
) -> Result<i64> {
    let uuid = Uuid::now_v7();
    let id = insert_row(&w.tx, uuid, client_id, s, w.now, w.now)?;
    w.audit_change(
        Entity::Series,
        &uuid.to_string(),
        Action::Create,
        summary,
        None,
    )?;
    Ok(id)
}

fn client_name(w: &Tx<'_>, client_id: i64) -> Result<String> {
    w.tx.query_row("SELECT name FROM clients WHERE id = ?1", [client_id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        entity: "client",
        key: client_id.to_string(),
    })
}

impl Store {
    pub fn create_series(&mut self, client_id: i64, draft: &SeriesDraft) -> Result<Series> {
        let s = draft.validate()?;
        let id = self.write(|w| {
            let name = client_name(w, client_id)?;
            insert_audited(
                w,
                client_id,
                &s,
                &format!("add {} series for {name}", s.concern.label()),
            )
        })?;
        self.series(id)
    }

    pub fn update_series(&mut self, id: i64, draft: &SeriesDraft) -> Result<Series> {
        let s = draft.validate()?;
        let current = self.series(id)?;
        if s.outcome_scale != current.data.outcome_scale && self.series_has_scores(id)? {
            return Err(StoreError::Conflict(
                "the outcome scale cannot change once sessions are scored; start a new series"
                    .into(),
            ));
        }
        self.write(|w| {
            let uuid = current.uuid.to_string();
            let before = w.row_image(Entity::Series, &uuid)?;
            let name = client_name(w, current.client_id)?;
            replace_row(
                &w.tx,
                current.uuid,
                current.client_id,
                &s,
                current.created_at,
                w.now,
            )?;
            w.audit_change(
                Entity::Series,
                &uuid,
                Action::Update,
                &format!("edit {} series of {name}", s.concern.label()),
                before,
            )
        })?;
        self.series(id)
    }

    fn series_has_scores(&self, id: i64) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM sessions WHERE series_id = ?1 AND outcome_score IS NOT NULL)",
            [id],
            |r| r.get(0),
        )?)
    }

    pub fn series(&self, id: i64) -> Result<Series> {
        self.conn()
            .query_row(
                &format!("{} WHERE id = ?1", SERIES.select),
                [id],
                rows::series,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                entity: "series",
                key: id.to_string(),
            })
    }

    /// A client's series, oldest first.
    pub fn series_of(&self, client_id: i64) -> Result<Vec<Series>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "{} WHERE client_id = ?1 ORDER BY started_on, id",
            SERIES.select
        ))?;
        Ok(stmt
            .query_map([client_id], rows::series)?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub fn series_by_uuid(&self, uuid: &Uuid) -> Result<Series> {
        self.conn()
            .query_row(
                &format!("{} WHERE uuid = ?1", SERIES.select),
                [uuid.to_string()],
                rows::series,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                entity: "series",
                key: uuid.to_string(),
            })
    }
}
