//! The audit log. Every change appends rows here inside its own
//! transaction, with the full row image before and after, so that undo and
//! redo (`undo.rs`) can put back exactly what was there.

use super::error::StoreError;
use super::{Result, Store};
use chrono::{DateTime, Utc};
use rusqlite::ToSql;
use rusqlite::types::{
    FromSql, FromSqlError, FromSqlResult, ToSqlOutput, Value as SqlValue, ValueRef,
};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// An open write: the transaction plus what every audit row needs.
pub struct Tx<'c> {
    pub(crate) tx: Transaction<'c>,
    pub(crate) now: DateTime<Utc>,
    user: String,
    change_id: Option<i64>,
}

/// What an audit row is about, stored as its name (`client`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[derive(VariantArray, IntoStaticStr, EnumString, Display)]
#[strum(serialize_all = "snake_case")]
pub enum Entity {
    Client,
    Series,
    Session,
    /// A photo attached to a session (schema version 9).
    Photo,
    /// Records added in bulk (demo data), logged as one row without images.
    Database,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The table that holds the records.
    pub(super) fn table(self) -> Result<&'static str> {
        match self {
            Self::Client => Ok("clients"),
            Self::Series => Ok("series"),
            Self::Session => Ok("sessions"),
            Self::Photo => Ok("photos"),
            Self::Database => Err(StoreError::Other(
                "an audit row about the whole database has no record to read or restore".into(),
            )),
        }
    }
}

/// What an audit row did, stored as its name (`create`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[derive(VariantArray, IntoStaticStr, EnumString, Display)]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Archive,
    Unarchive,
    /// Follow-up observations recorded on a session.
    Followup,
    /// A series closed before its planned sessions were done.
    Close,
    /// A closed series under way again.
    Reopen,
    Import,
    Undo,
    Redo,
    Erase,
    /// Demo data added in bulk.
    Demo,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether an undo may revert a change of this action: the ordinary
    /// ones and redos. Not `erase` (erasure is final), not `undo` (reverting
    /// an undo is a redo), not bulk demo data (logged without row images).
    pub fn undoable(self) -> bool {
        match self {
            Self::Create
            | Self::Update
            | Self::Archive
            | Self::Unarchive
            | Self::Followup
            | Self::Close
            | Self::Reopen
            | Self::Import
            | Self::Redo => true,
            Self::Undo | Self::Erase | Self::Demo => false,
        }
    }

    /// The undoable actions as an SQL list: `('create', 'update', …)`.
    pub(super) fn undoable_sql() -> String {
        let names: Vec<String> = Self::VARIANTS
            .iter()
            .filter(|a| a.undoable())
            .map(|a| format!("'{a}'"))
            .collect();
        format!("({})", names.join(", "))
    }
}

/// Stored as their names, and read back only if known.
macro_rules! sql_name {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_str().as_bytes())))
            }
        }

        impl FromSql for $t {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                let name = v.as_str()?;
                name.parse().map_err(|_| {
                    FromSqlError::Other(
                        format!("unknown {} in the audit log: {name}", stringify!($t)).into(),
                    )
                })
            }
        }
    )*};
}
sql_name!(Entity, Action);

pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    super::rows::format_timestamp(t)
}

impl<'c> Tx<'c> {
    pub(super) fn new(tx: Transaction<'c>, now: DateTime<Utc>, user: &str) -> Self {
        Self {
            tx,
            now,
            user: user.to_string(),
            change_id: None,
        }
    }

    pub(super) fn commit(self) -> rusqlite::Result<()> {
        self.tx.commit()
    }

    pub(crate) fn now_text(&self) -> String {
        timestamp(self.now)
    }

    /// The full row of `entity` with `uuid`, as JSON (column → value).
    pub(crate) fn row_image(&self, entity: Entity, uuid: &str) -> Result<Option<Value>> {
        let table = entity.table()?;
        let mut stmt = self
            .tx
            .prepare_cached(&format!("SELECT * FROM {table} WHERE uuid = ?1"))?;
        let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        let image = stmt
            .query_row([uuid], |r| {
                let mut m = Map::new();
                for (i, name) in names.iter().enumerate() {
                    let v = match r.get_ref(i)? {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(n) => Value::from(n),
                        ValueRef::Real(f) => {
                            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                        }
                        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                        ValueRef::Blob(_) => Value::Null,
                    };
                    m.insert(name.clone(), v);
                }
                Ok(Value::Object(m))
            })
            .optional()?;
        Ok(image)
    }

    /// Appends an audit row without row images (a change to the whole
    /// database, an erasure's tombstone) to this write's change.
    pub(crate) fn audit_note(
        &mut self,
        entity: Entity,
        uuid: &str,
        action: Action,
        summary: &str,
    ) -> Result<i64> {
        self.audit_row(entity, uuid, action, summary, None, None, None)
    }

    /// Appends one audit row to this write's change.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn audit_row(
        &mut self,
        entity: Entity,
        uuid: &str,
        action: Action,
        summary: &str,
        before: Option<&Value>,
        after: Option<&Value>,
        undoes: Option<i64>,
    ) -> Result<i64> {
        let change_id = match self.change_id {
            Some(c) => c,
            None => {
                let c: i64 = self.tx.query_row(
                    "SELECT coalesce(max(change_id), 0) + 1 FROM audit",
                    [],
                    |r| r.get(0),
                )?;
                self.change_id = Some(c);
                c
            }
        };
        self.tx
            .prepare_cached(
                "INSERT INTO audit (change_id, at, os_user, entity, entity_uuid, action, summary, before, after, undoes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                change_id,
                self.now_text(),
                self.user,
                entity,
                uuid,
                action,
                summary,
                before.map(Value::to_string),
                after.map(Value::to_string),
                undoes,
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Records a change made to one row: reads the row after the change and
    /// logs it with the image from before.
    pub(crate) fn audit_change(
        &mut self,
        entity: Entity,
        uuid: &str,
        action: Action,
        summary: &str,
        before: Option<Value>,
    ) -> Result<()> {
        let after = self.row_image(entity, uuid)?;
        let (before, after) = (before.as_ref(), after.as_ref());
        self.audit_row(entity, uuid, action, summary, before, after, None)?;
        Ok(())
    }

    /// Writes a row image back: replaces the row with `uuid` by `image`, or
    /// deletes it when `image` is None. Only real columns of the table are used.
    pub(super) fn restore(&self, entity: Entity, uuid: &str, image: Option<&Value>) -> Result<()> {
        let table = entity.table()?;
        let Some(Value::Object(map)) = image else {
            self.tx
                .execute(&format!("DELETE FROM {table} WHERE uuid = ?1"), [uuid])?;
            return Ok(());
        };
        let columns: Vec<String> = {
            let mut stmt = self
                .tx
                .prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut names = Vec::new();
        let mut values = Vec::new();
        for (k, v) in map {
            if !columns.contains(k) {
                return Err(StoreError::Other(format!(
                    "audit row names an unknown column {table}.{k}"
                )));
            }
            names.push(k.clone());
            values.push(match v {
                Value::Null => SqlValue::Null,
                Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => SqlValue::Integer(i),
                    None => SqlValue::Real(n.as_f64().unwrap_or(f64::NAN)),
                },
                Value::String(s) => SqlValue::Text(s.clone()),
                other => SqlValue::Text(other.to_string()),
            });
        }
        // The upsert below is keyed on the integer id: never let it write
        // over another record that has been given the same id since.
        if let Some(id) = map.get("id").and_then(Value::as_i64) {
            let holder: Option<String> = self
                .tx
                .prepare_cached(&format!("SELECT uuid FROM {table} WHERE id = ?1"))?
                .query_row([id], |r| r.get(0))
                .optional()?;
            if holder.is_some_and(|h| h != uuid) {
                return Err(StoreError::Conflict(format!(
                    "cannot put the {entity} back: its number is used by another record now"
                )));
            }
        }
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        // INSERT OR REPLACE would delete and re-insert, firing foreign-key
        // actions; an upsert on the primary key updates in place.
        let updates: Vec<String> = names
            .iter()
            .filter(|n| *n != "id")
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}",
            names.join(", "),
            placeholders.join(", "),
            updates.join(", ")
        );
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        Ok(())
    }
}

/// One row of the audit log, for display.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub change_id: i64,
    pub at: String,
    pub os_user: String,
    pub entity: Entity,
    pub entity_uuid: String,
    pub action: Action,
    pub summary: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub undoes: Option<i64>,
}

impl Store {
    /// The audit rows of one entity, oldest first.
    pub fn audit_for(&self, uuid: &str) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, change_id, at, os_user, entity, entity_uuid, action, summary, before, after, undoes
             FROM audit WHERE entity_uuid = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([uuid], |r| {
            let json = |i: usize| -> rusqlite::Result<Option<Value>> {
                Ok(r.get::<_, Option<String>>(i)?
                    .and_then(|s| serde_json::from_str(&s).ok()))
            };
            Ok(AuditEntry {
                id: r.get(0)?,
                change_id: r.get(1)?,
                at: r.get(2)?,
                os_user: r.get(3)?,
                entity: r.get(4)?,
                entity_uuid: r.get(5)?,
                action: r.get(6)?,
                summary: r.get(7)?,
                before: json(8)?,
                after: json(9)?,
                undoes: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

pub(crate) fn parse_timestamp(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are in every audit log already written: a renamed or added
    /// variant must show up here, on purpose.
    #[test]
    fn every_stored_name_is_pinned() {
        let entities: Vec<&str> = Entity::VARIANTS.iter().map(|e| e.as_str()).collect();
        assert_eq!(
            entities,
            ["client", "series", "session", "photo", "database"]
        );
        let actions: Vec<&str> = Action::VARIANTS.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            actions,
            [
                "create",
                "update",
                "archive",
                "unarchive",
                "followup",
                "close",
                "reopen",
                "import",
                "undo",
                "redo",
                "erase",
                "demo",
            ]
        );
        assert_eq!(
            Action::undoable_sql(),
            "('create', 'update', 'archive', 'unarchive', 'followup', 'close', 'reopen', 'import', 'redo')"
        );
    }

    #[test]
    fn names_round_trip_through_sql_and_unknown_ones_are_refused() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for &a in Action::VARIANTS {
            let back: Action = conn.query_row("SELECT ?1", [a], |r| r.get(0)).unwrap();
            assert_eq!(back, a);
        }
        for &e in Entity::VARIANTS {
            let back: Entity = conn.query_row("SELECT ?1", [e], |r| r.get(0)).unwrap();
            assert_eq!(back, e);
        }
        let err = conn
            .query_row("SELECT 'delete'", [], |r| r.get::<_, Action>(0))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown Action in the audit log: delete"),
            "{err}"
        );
    }
}
