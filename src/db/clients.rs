//! Clients: create, update, archive, list, get.

use super::audit::{Action, Entity, Tx, timestamp};
use super::columns::{self, CLIENTS, Write};
use super::error::StoreError;
use super::rows::{self, OrNotFound};
use super::{Result, Store};
use crate::domain::{Client, ClientDraft, Namesake, SeriesDraft};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

/// Writes a row as given (already validated), adding it or rewriting the
/// one with this UUID in place (same key), every column; every path that
/// writes one, interactive or bulk, goes through here. Returns the row's
/// key after an insert.
pub(crate) fn write_row(
    tx: &rusqlite::Connection,
    how: Write,
    uuid: Uuid,
    c: &ClientDraft,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    archived: Option<DateTime<Utc>>,
) -> rusqlite::Result<i64> {
    let mut stmt = tx.prepare_cached(CLIENTS.sql(how))?;
    run_row(&mut stmt, uuid, c, created, updated, archived)?;
    Ok(tx.last_insert_rowid())
}

/// [`write_row`] through a statement the caller holds (the layout's insert
/// or replace; see `columns::run_child`).
pub(crate) fn run_row(
    stmt: &mut rusqlite::Statement<'_>,
    uuid: Uuid,
    c: &ClientDraft,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    archived: Option<DateTime<Utc>>,
) -> rusqlite::Result<()> {
    columns::write(
        stmt,
        &[&uuid.to_string()],
        c,
        &[
            &archived.map(timestamp),
            &timestamp(created),
            &timestamp(updated),
        ],
    )
}

fn uuid_of(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<String> {
    tx.query_row("SELECT uuid FROM clients WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .or_not_found("client", id)
}

impl Store {
    /// Adds a client, and the first series when one is given, as one change.
    pub fn create_client(
        &mut self,
        draft: &ClientDraft,
        first_series: Option<&SeriesDraft>,
    ) -> Result<Client> {
        let today = self.clock().local_now().date();
        let clean = draft.validate(today)?;
        let series = first_series.map(SeriesDraft::validate).transpose()?;
        let id = self.write(|w: &mut Tx<'_>| {
            let uuid = Uuid::now_v7();
            let id = write_row(&w.tx, Write::Insert, uuid, &clean, w.now, w.now, None)?;
            let summary = format!("add client {}", clean.name);
            w.audit_change(
                Entity::Client,
                &uuid.to_string(),
                Action::Create,
                &summary,
                None,
            )?;
            if let Some(s) = &series {
                super::series::insert_audited(
                    w,
                    id,
                    s,
                    &format!("add {} series for {}", s.concern.label(), clean.name),
                )?;
            }
            Ok(id)
        })?;
        self.client(id)
    }

    pub fn update_client(&mut self, id: i64, draft: &ClientDraft) -> Result<Client> {
        let today = self.clock().local_now().date();
        let clean = draft.validate(today)?;
        self.write(|w| {
            // Read inside the transaction: what the form does not edit
            // (creation time, archived) is kept as it is now.
            let current: Client = rows::get(&w.tx, "id", id)?;
            let uuid = current.uuid.to_string();
            let before = w.row_image(Entity::Client, &uuid)?;
            write_row(
                &w.tx,
                Write::Replace,
                current.uuid,
                &clean,
                current.created_at,
                w.now,
                current.archived_at,
            )?;
            w.audit_change(
                Entity::Client,
                &uuid,
                Action::Update,
                &format!("edit client {}", clean.name),
                before,
            )
        })?;
        self.client(id)
    }

    /// Archives (hides from the working list) or restores a client. Records
    /// are kept either way.
    pub fn set_archived(&mut self, id: i64, archived: bool) -> Result<Client> {
        self.write(|w| {
            let uuid = uuid_of(&w.tx, id)?;
            let before = w.row_image(Entity::Client, &uuid)?;
            let name: String =
                w.tx.query_row("SELECT name FROM clients WHERE id = ?1", [id], |r| r.get(0))?;
            let now = w.now_text();
            w.tx.execute(
                "UPDATE clients SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, archived.then_some(&now), now],
            )?;
            let (action, verb) = if archived {
                (Action::Archive, "archive")
            } else {
                (Action::Unarchive, "restore")
            };
            w.audit_change(
                Entity::Client,
                &uuid,
                action,
                &format!("{verb} client {name}"),
                before,
            )
        })?;
        self.client(id)
    }

    pub fn client(&self, id: i64) -> Result<Client> {
        rows::get(self.conn(), "id", id)
    }

    /// Who every client is (archived ones too), for spotting a duplicate
    /// before it is added.
    pub fn namesakes(&self) -> Result<Vec<Namesake>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, date_of_birth, archived_at IS NOT NULL FROM clients ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let dob: Option<String> = r.get(2)?;
            let dob = dob.map(|d| {
                rows::parse_date(&d).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        2,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })
            });
            Ok(Namesake::new(
                r.get(0)?,
                r.get(1)?,
                dob.transpose()?,
                r.get(3)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every client, archived ones too when asked, by name.
    pub fn clients(&self, include_archived: bool) -> Result<Vec<Client>> {
        let sql = if include_archived {
            format!("{} ORDER BY name COLLATE NOCASE, id", CLIENTS.select)
        } else {
            format!(
                "{} WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, id",
                CLIENTS.select
            )
        };
        let mut stmt = self.conn().prepare(&sql)?;
        Ok(stmt
            .query_map([], rows::client)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Finds one client by UUID, exact name, or a unique part of a name
    /// (case-insensitive). Ambiguity is an error listing the candidates.
    pub fn find_client(&self, key: &str) -> Result<Client> {
        let key = key.trim();
        if let Ok(u) = Uuid::parse_str(key)
            && let Some(c) = rows::find(self.conn(), "uuid", u.to_string())?
        {
            return Ok(c);
        }
        let exact: Vec<Client> = {
            let mut stmt = self.conn().prepare(&format!(
                "{} WHERE name = ?1 COLLATE NOCASE ORDER BY id",
                CLIENTS.select
            ))?;
            stmt.query_map([key], rows::client)?
                .collect::<rusqlite::Result<_>>()?
        };
        let candidates = if exact.is_empty() {
            let pattern = format!(
                "%{}%",
                key.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let mut stmt = self.conn().prepare(&format!(
                "{} WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name COLLATE NOCASE, id LIMIT 11",
                CLIENTS.select
            ))?;
            stmt.query_map([pattern], rows::client)?
                .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            exact
        };
        match candidates.len() {
            0 => Err(StoreError::NotFound {
                entity: "client",
                key: key.to_string(),
            }),
            1 => Ok(candidates.into_iter().next().expect("one candidate")),
            n => {
                let names: Vec<String> = candidates
                    .iter()
                    .take(10)
                    .map(|c| format!("{} ({})", c.data.name, c.uuid))
                    .collect();
                let more = if n > 10 { ", …" } else { "" };
                Err(StoreError::Conflict(format!(
                    "'{key}' matches several clients: {}{more}; give the UUID",
                    names.join(", ")
                )))
            }
        }
    }
}
