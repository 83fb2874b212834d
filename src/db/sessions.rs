//! Sessions: record, edit, add follow-up, list, get.

use super::audit::{Action, Entity, Tx};
use super::columns::{self, Write};
use super::rows::{self, DATETIME, OrNotFound, date_text, to_json};
use super::{Result, Store};
use crate::domain::{Followup, Series, Session, SessionDraft, ValidationError, check_session_date};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

/// Names the client and series for audit summaries.
fn describe(tx: &rusqlite::Transaction<'_>, series_id: i64) -> Result<(String, String)> {
    tx.query_row(
        "SELECT c.name, s.outcome_scale FROM series s JOIN clients c ON c.id = s.client_id WHERE s.id = ?1",
        [series_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .or_not_found("series", series_id)
}

/// A session dated before its series started moves the start back to the
/// session's day, in the same write (so one undo reverts both).
fn move_series_start(w: &mut Tx<'_>, series: &Series, day: NaiveDate, name: &str) -> Result<()> {
    if day >= series.data.started_on {
        return Ok(());
    }
    let uuid = series.uuid.to_string();
    let before = w.row_image(Entity::Series, &uuid)?;
    w.tx.execute(
        "UPDATE series SET started_on = ?2, updated_at = ?3 WHERE id = ?1",
        params![series.id, day.to_string(), w.now_text()],
    )?;
    let summary = format!(
        "move start of {} series of {name} from {} to {day} (a session is dated earlier)",
        series.data.concern.label(),
        series.data.started_on
    );
    w.audit_change(Entity::Series, &uuid, Action::Update, &summary, before)
}

impl Store {
    /// Refuses a session date before the client's date of birth.
    fn check_session_day(&self, series: &Series, day: NaiveDate) -> Result<()> {
        let client = self.client(series.client_id)?;
        check_session_date(&client.data, day)
            .map_err(|reason| ValidationError::invalid("date", reason).into())
    }

    /// Records a session in a series. A session dated before the series
    /// started moves the series' start back to it.
    pub fn create_session(&mut self, series_id: i64, draft: &SessionDraft) -> Result<Session> {
        let series = self.series(series_id)?;
        let clean = draft.validate(series.data.outcome_scale, self.clock().local_now())?;
        self.check_session_day(&series, clean.performed_at.date())?;
        let id = self.write(|w| {
            let (name, _) = describe(&w.tx, series_id)?;
            let uuid = Uuid::now_v7();
            let id =
                columns::write_child(&w.tx, Write::Insert, uuid, series_id, &clean, w.now, w.now)?;
            let summary = format!(
                "record session of {} for {name}",
                clean.performed_at.format(DATETIME)
            );
            w.audit_change(
                Entity::Session,
                &uuid.to_string(),
                Action::Create,
                &summary,
                None,
            )?;
            move_series_start(w, &series, clean.performed_at.date(), &name)?;
            Ok(id)
        })?;
        self.session(id)
    }

    /// Replaces a session's record; the audit log keeps the old one.
    pub fn update_session(&mut self, id: i64, draft: &SessionDraft) -> Result<Session> {
        let current = self.session(id)?;
        let series = self.series(current.series_id)?;
        let clean = draft.validate(series.data.outcome_scale, self.clock().local_now())?;
        if clean.performed_at.date() != current.data.performed_at.date() {
            self.check_session_day(&series, clean.performed_at.date())?;
        }
        self.write(|w| {
            let uuid = current.uuid.to_string();
            let before = w.row_image(Entity::Session, &uuid)?;
            let (name, _) = describe(&w.tx, current.series_id)?;
            // Rewrite the row in place: same id, uuid and creation time.
            columns::write_child(
                &w.tx,
                Write::Replace,
                current.uuid,
                current.series_id,
                &clean,
                current.created_at,
                w.now,
            )?;
            let summary = format!(
                "edit session of {} for {name}",
                clean.performed_at.format(DATETIME)
            );
            w.audit_change(Entity::Session, &uuid, Action::Update, &summary, before)?;
            move_series_start(w, &series, clean.performed_at.date(), &name)
        })?;
        self.session(id)
    }

    /// Sets the follow-up observations (downtime, adverse events) of a session.
    pub fn set_followup(&mut self, id: i64, followup: &Followup) -> Result<Session> {
        let mut draft = self.session(id)?.data;
        draft.followup = followup.clone();
        if draft.followup.recorded_on.is_none() && followup.is_recorded() {
            draft.followup.recorded_on = Some(self.clock().local_now().date());
        }
        let current = self.session(id)?;
        let series = self.series(current.series_id)?;
        let clean = draft.validate(series.data.outcome_scale, self.clock().local_now())?;
        // Nothing at all clears the follow-up; a report of nothing (a date
        // alone) is refused, or the session would look followed up.
        if clean.followup != Followup::default() {
            clean.followup.check_report()?;
        }
        let f = clean.followup;
        self.write(|w| {
            let uuid = current.uuid.to_string();
            let before = w.row_image(Entity::Session, &uuid)?;
            let (name, _) = describe(&w.tx, current.series_id)?;
            w.tx.execute(
                "UPDATE sessions SET followup_on = ?2, redness_days = ?3, swelling_days = ?4, peeling_days = ?5,
                        adverse_events = ?6, followup_notes = ?7, updated_at = ?8
                 WHERE id = ?1",
                params![
                    id,
                    date_text(f.recorded_on),
                    f.redness_days.map(|d| d.days()),
                    f.swelling_days.map(|d| d.days()),
                    f.peeling_days.map(|d| d.days()),
                    to_json(&f.adverse_events),
                    f.notes,
                    w.now_text(),
                ],
            )?;
            let summary = format!("follow-up for the session of {} of {name}", current.data.performed_at.format(DATETIME));
            w.audit_change(Entity::Session, &uuid, Action::Followup, &summary, before)
        })?;
        self.session(id)
    }

    pub fn session(&self, id: i64) -> Result<Session> {
        rows::get(self.conn(), "id", id)
    }

    /// A series' sessions in the order they took place.
    pub fn sessions_of(&self, series_id: i64) -> Result<Vec<Session>> {
        Ok(rows::under(
            self.conn(),
            "series_id",
            series_id,
            "performed_at, id",
        )?)
    }
}
