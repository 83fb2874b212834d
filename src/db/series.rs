//! Series: create, update, list, get.

use super::audit::{Action, Entity, Tx};
use super::columns::{self, Write};
use super::error::StoreError;
use super::rows::{self, OrNotFound};
use super::{Result, Store};
use crate::domain::{Closure, Series, SeriesDraft, SeriesStatus, ValidSeries};
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

/// Writes `s` over the stored series `current`, with its audit row.
fn rewrite(
    w: &mut Tx<'_>,
    current: &Series,
    s: &ValidSeries,
    action: Action,
    summary: &str,
) -> Result<()> {
    let uuid = current.uuid.to_string();
    let before = w.row_image(Entity::Series, &uuid)?;
    columns::write_child(
        &w.tx,
        Write::Replace,
        current.uuid,
        current.client_id,
        s,
        current.created_at,
        w.now,
    )?;
    w.audit_change(Entity::Series, &uuid, action, summary, before)
}

/// Clears the outcome scores of the series' sessions, each with its audit
/// row in the same change.
fn clear_outcome_scores(w: &mut Tx<'_>, series_id: i64, summary: &str) -> Result<()> {
    let uuids: Vec<String> = {
        let mut stmt = w.tx.prepare(
            "SELECT uuid FROM sessions WHERE series_id = ?1 AND outcome_score IS NOT NULL",
        )?;
        stmt.query_map([series_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for uuid in uuids {
        let before = w.row_image(Entity::Session, &uuid)?;
        w.tx.execute(
            "UPDATE sessions SET outcome_score = NULL, updated_at = ?2 WHERE uuid = ?1",
            rusqlite::params![uuid, w.now_text()],
        )?;
        w.audit_change(
            Entity::Session,
            &uuid,
            Action::Update,
            &format!("{summary}: score cleared (new scale)"),
            before,
        )?;
    }
    Ok(())
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

    /// Changes a series' plan. A new outcome scale for a series with scores
    /// is refused: [`Store::update_series_clearing_scores`] says what
    /// happens to them.
    pub fn update_series(&mut self, id: i64, draft: &SeriesDraft) -> Result<Series> {
        self.edit_series(id, draft, false)
    }

    /// Changes a series' plan to another outcome scale and, in the same
    /// audited write (one undo), clears the scores its sessions were given
    /// on the old one, which the new scale cannot read.
    pub fn update_series_clearing_scores(
        &mut self,
        id: i64,
        draft: &SeriesDraft,
    ) -> Result<Series> {
        self.edit_series(id, draft, true)
    }

    /// How many of the series' sessions have an outcome score.
    pub fn scored_sessions(&self, id: i64) -> Result<u32> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM sessions WHERE series_id = ?1 AND outcome_score IS NOT NULL",
            [id],
            |r| r.get(0),
        )?)
    }

    fn edit_series(&mut self, id: i64, draft: &SeriesDraft, clear_scores: bool) -> Result<Series> {
        let current = self.series(id)?;
        let s = draft.validate()?;
        let rescaled = s.outcome_scale != current.data.outcome_scale;
        let scored = self.scored_sessions(id)?;
        if rescaled && scored > 0 && !clear_scores {
            return Err(StoreError::Conflict(format!(
                "{scored} session(s) of this series are scored on the {}; \
                 changing the scale clears those scores",
                current.data.outcome_scale.label()
            )));
        }
        self.write(|w| {
            let name = client_name(w, current.client_id)?;
            let summary = format!("edit {} series of {name}", s.concern.label());
            rewrite(w, &current, &s, Action::Update, &summary)?;
            if rescaled {
                clear_outcome_scores(w, id, &summary)?;
            }
            Ok(())
        })?;
        self.series(id)
    }

    /// Closes a series before its planned sessions are done, saying why.
    pub fn close_series(&mut self, id: i64, closure: &Closure) -> Result<Series> {
        let current = self.series(id)?;
        if current.data.status == SeriesStatus::Closed {
            return Err(StoreError::Conflict("the series is already closed".into()));
        }
        let draft = SeriesDraft {
            status: SeriesStatus::Closed,
            closure: closure.clone(),
            ..SeriesDraft::from(&current.data)
        };
        let s = draft.validate()?;
        self.write(|w| {
            let name = client_name(w, current.client_id)?;
            let summary = format!(
                "close the {} series of {name} ({})",
                s.concern.label(),
                s.closure.describe()
            );
            rewrite(w, &current, &s, Action::Close, &summary)
        })?;
        self.series(id)
    }

    /// Puts a closed series under way again; its closing reason goes.
    pub fn reopen_series(&mut self, id: i64) -> Result<Series> {
        let current = self.series(id)?;
        if current.data.status != SeriesStatus::Closed {
            return Err(StoreError::Conflict("the series is not closed".into()));
        }
        let draft = SeriesDraft {
            status: SeriesStatus::Active,
            closure: Closure::default(),
            ..SeriesDraft::from(&current.data)
        };
        let s = draft.validate()?;
        self.write(|w| {
            let name = client_name(w, current.client_id)?;
            let summary = format!("reopen the {} series of {name}", s.concern.label());
            rewrite(w, &current, &s, Action::Reopen, &summary)
        })?;
        self.series(id)
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
