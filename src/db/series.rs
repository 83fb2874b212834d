//! Series: create, update, list, get.

use super::audit::{Action, Entity, Tx};
use super::columns::{self, Write};
use super::error::StoreError;
use super::rows::{self, OrNotFound};
use super::{Result, Store};
use crate::domain::{Series, SeriesDraft, ValidSeries};
use rusqlite::OptionalExtension;
use uuid::Uuid;

pub(crate) fn insert_audited(
    w: &mut Tx<'_>,
    client_id: i64,
    s: &ValidSeries,
    summary: &str,
) -> Result<i64> {
    let uuid = Uuid::now_v7();
    let id = columns::write_child(&w.tx, Write::Insert, uuid, client_id, s, w.now, w.now)?;
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
    .or_not_found("client", client_id)
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
            columns::write_child(
                &w.tx,
                Write::Replace,
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
        rows::get(self.conn(), "id", id)
    }

    /// A client's series, oldest first.
    pub fn series_of(&self, client_id: i64) -> Result<Vec<Series>> {
        Ok(rows::under(
            self.conn(),
            "client_id",
            client_id,
            "started_on, id",
        )?)
    }

    pub fn series_by_uuid(&self, uuid: &Uuid) -> Result<Series> {
        rows::get(self.conn(), "uuid", uuid.to_string())
    }
}
