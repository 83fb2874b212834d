//! How a record is laid out in its table, generated from the record tables
//! (`domain/tables.rs`): the column list, the reader and the INSERT
//! bindings of each record, and how each field type is kept in one column
//! ([`Column`]).
//!
//! Rows are read by position, never by name: SQLite answers a name by
//! comparing it with every column's (a third of an export's time,
//! measured). Text is borrowed from SQLite's buffer until it becomes the
//! field's own `String`.

use super::rows::{bad, format_date, format_datetime, parse_date, parse_datetime};
use crate::domain::tables::{client_table, record, series_table, session_table};
use crate::domain::{
    Bounded, ClientDraft, CloseReason, Closure, Concern, Days, Depth, Fitzpatrick, Followup, Gais,
    Glogau, OutcomeScale, PreCheck, SeriesStatus, SessionDraft, ValidSeries,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{FromSql, ToSqlOutput, Value, ValueRef};
use rusqlite::{Row, Statement, ToSql};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A field type kept in one column.
pub(crate) trait Column: Sized {
    /// The value from a column's cell (`name` in messages), never NULL:
    /// `Option` reads NULL as None.
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self>;

    /// The value as stored.
    fn store(&self) -> ToSqlOutput<'_>;
}

/// A record whose fields fill consecutive columns of a table.
pub(crate) trait Record: Sized {
    /// Appends its columns, in the order [`Record::read`] and
    /// [`Record::bind`] take them.
    fn columns(out: &mut Vec<&'static str>);

    /// The record from the row's columns `*at`…, moving `at` past them.
    fn read(r: &Row<'_>, at: &mut usize) -> rusqlite::Result<Self>;

    /// Binds the fields to the statement's parameters `*at`… (1-based),
    /// moving `at` past them.
    fn bind(&self, stmt: &mut Statement<'_>, at: &mut usize) -> rusqlite::Result<()>;

    /// Each column with the path of its field (`["followup", "recorded_on"]`),
    /// under `prefix`.
    #[cfg(test)]
    fn fields(prefix: &[&'static str], out: &mut Vec<(&'static str, Vec<&'static str>)>);
}

/// Generates [`Record`] for a record table (see `domain::tables::record!`).
macro_rules! sql_record {
    ($ty:ident { $($field:ident = $entry:tt;)* }) => {
        impl Record for $ty {
            fn columns(out: &mut Vec<&'static str>) {
                $(sql_record!(@column out $field $entry);)*
            }

            fn read(r: &Row<'_>, at: &mut usize) -> rusqlite::Result<Self> {
                Ok($ty {
                    $($field: sql_record!(@read r at $field $entry),)*
                })
            }

            fn bind(&self, stmt: &mut Statement<'_>, at: &mut usize) -> rusqlite::Result<()> {
                $(sql_record!(@bind self stmt at $field $entry);)*
                Ok(())
            }

            #[cfg(test)]
            fn fields(prefix: &[&'static str], out: &mut Vec<(&'static str, Vec<&'static str>)>) {
                $(sql_record!(@field prefix out $field $entry);)*
            }
        }
        $(sql_record!(@nested $entry);)*
    };
    (@name $field:ident []) => { stringify!($field) };
    (@name $field:ident [$column:literal]) => { $column };
    (@column $out:ident $field:ident (leaf $column:tt $($rest:tt)*)) => {
        $out.push(sql_record!(@name $field $column));
    };
    (@column $out:ident $field:ident (nested $sub:ident $($rest:tt)*)) => {
        <$sub as Record>::columns($out);
    };
    (@read $r:ident $at:ident $field:ident (leaf $column:tt $($rest:tt)*)) => {{
        let value = Column::read($r.get_ref(*$at)?, sql_record!(@name $field $column))?;
        *$at += 1;
        value
    }};
    (@read $r:ident $at:ident $field:ident (nested $sub:ident $($rest:tt)*)) => {
        <$sub as Record>::read($r, $at)?
    };
    (@bind $s:ident $stmt:ident $at:ident $field:ident (leaf $($rest:tt)*)) => {
        $stmt.raw_bind_parameter(*$at, Stored(&$s.$field))?;
        *$at += 1;
    };
    (@bind $s:ident $stmt:ident $at:ident $field:ident (nested $($rest:tt)*)) => {
        $s.$field.bind($stmt, $at)?;
    };
    (@field $prefix:ident $out:ident $field:ident (leaf $column:tt $($rest:tt)*)) => {
        $out.push((sql_record!(@name $field $column), [$prefix, &[stringify!($field)]].concat()));
    };
    (@field $prefix:ident $out:ident $field:ident (nested $sub:ident $($rest:tt)*)) => {
        <$sub as Record>::fields(&[$prefix, &[stringify!($field)]].concat(), $out);
    };
    (@nested (leaf $($rest:tt)*)) => {};
    (@nested (nested $sub:ident { $($inner:tt)* })) => {
        record! { sql_record, $sub { $($inner)* } }
    };
}

client_table!(sql_record);
series_table!(sql_record);
session_table!(sql_record);

/// A [`Column`] value as a statement parameter.
struct Stored<'a, T>(&'a T);

impl<T: Column> ToSql for Stored<'_, T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.0.store())
    }
}

/// A table as the program reads and writes it: its key and identity
/// columns (`head`), the record's fields, then `tail` (archive and change
/// times), and the statements made of them.
pub(crate) struct Layout {
    pub head: &'static [&'static str],
    /// Every column, in the order rows are read.
    pub columns: Vec<&'static str>,
    /// `SELECT <columns> FROM <table>`, to be followed by a condition.
    pub select: String,
    /// `INSERT INTO <table> (<columns but the key>) VALUES (?1, …)`.
    pub insert: String,
    /// The insert as an upsert on the UUID: the row with the same UUID is
    /// rewritten in place (same key), every column.
    pub replace: String,
}

impl Layout {
    fn new<R: Record>(
        table: &str,
        head: &'static [&'static str],
        tail: &'static [&'static str],
    ) -> Self {
        let mut columns = head.to_vec();
        R::columns(&mut columns);
        columns.extend_from_slice(tail);
        let written: Vec<&str> = columns.iter().copied().filter(|c| *c != "id").collect();
        let placeholders: Vec<String> = (1..=written.len()).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            written.join(", "),
            placeholders.join(", ")
        );
        let set: Vec<String> = written
            .iter()
            .filter(|c| **c != "uuid")
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        let replace = format!(
            "{insert} ON CONFLICT (uuid) DO UPDATE SET {}",
            set.join(", ")
        );
        Self {
            head,
            select: format!("SELECT {} FROM {table}", columns.join(", ")),
            columns,
            insert,
            replace,
        }
    }

    /// The statement that writes a row the way `how` says.
    pub fn sql(&self, how: Write) -> &str {
        match how {
            Write::Insert => &self.insert,
            Write::Replace => &self.replace,
        }
    }

    /// Where the record's fields start in a row read with [`Layout::columns`].
    pub fn fields_at(&self) -> usize {
        self.head.len()
    }

    /// The select list with each column after `prefix` (a table alias
    /// and a dot).
    pub fn select_list(&self, prefix: &str) -> String {
        self.columns
            .iter()
            .map(|c| format!("{prefix}{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(crate) static CLIENTS: LazyLock<Layout> = LazyLock::new(|| {
    Layout::new::<ClientDraft>(
        "clients",
        &["id", "uuid"],
        &["archived_at", "created_at", "updated_at"],
    )
});

pub(crate) static SERIES: LazyLock<Layout> = LazyLock::new(|| {
    Layout::new::<ValidSeries>(
        "series",
        &["id", "uuid", "client_id"],
        &["created_at", "updated_at"],
    )
});

pub(crate) static SESSIONS: LazyLock<Layout> = LazyLock::new(|| {
    Layout::new::<SessionDraft>(
        "sessions",
        &["id", "uuid", "series_id"],
        &["created_at", "updated_at"],
    )
});

/// Runs `sql` (a layout's insert or replace) with `head` (the written head
/// columns: UUID, parent), the record's fields, then `tail`.
pub(crate) fn write<R: Record>(
    stmt: &mut Statement<'_>,
    head: &[&dyn ToSql],
    record: &R,
    tail: &[&dyn ToSql],
) -> rusqlite::Result<()> {
    let mut at = 1;
    for v in head {
        stmt.raw_bind_parameter(at, v)?;
        at += 1;
    }
    record.bind(stmt, &mut at)?;
    for v in tail {
        stmt.raw_bind_parameter(at, v)?;
        at += 1;
    }
    let expected = stmt.parameter_count();
    if at - 1 != expected {
        return Err(rusqlite::Error::InvalidParameterCount(at - 1, expected));
    }
    stmt.raw_execute()?;
    Ok(())
}

/// Whether a row write adds a row or rewrites the one with the same UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    Insert,
    Replace,
}

/// A record kept in a table under a parent (a series under its client, a
/// session under its series).
pub(crate) trait ChildRecord: Record {
    fn layout() -> &'static Layout;
}

impl ChildRecord for ValidSeries {
    fn layout() -> &'static Layout {
        &SERIES
    }
}

impl ChildRecord for SessionDraft {
    fn layout() -> &'static Layout {
        &SESSIONS
    }
}

/// Writes a row that belongs to a parent, as given (already validated):
/// UUID and parent key, the record's fields, then its creation and change
/// times. Every path that writes one, interactive or bulk, goes through
/// here. Returns the row's key after an insert.
pub(crate) fn write_child<R: ChildRecord>(
    tx: &rusqlite::Connection,
    how: Write,
    uuid: uuid::Uuid,
    parent: i64,
    record: &R,
    created: chrono::DateTime<chrono::Utc>,
    updated: chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<i64> {
    let mut stmt = tx.prepare_cached(R::layout().sql(how))?;
    run_child(&mut stmt, uuid, parent, record, created, updated)?;
    Ok(tx.last_insert_rowid())
}

/// [`write_child`] through a statement the caller holds (its layout's
/// insert or replace): the bulk writer prepares each once rather than
/// looking it up by its text for every row.
pub(crate) fn run_child<R: ChildRecord>(
    stmt: &mut Statement<'_>,
    uuid: uuid::Uuid,
    parent: i64,
    record: &R,
    created: chrono::DateTime<chrono::Utc>,
    updated: chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<()> {
    write(
        stmt,
        &[&uuid.to_string(), &parent],
        record,
        &[
            &super::audit::timestamp(created),
            &super::audit::timestamp(updated),
        ],
    )
}

// --- how each field type is stored ---------------------------------------

impl<T: Column> Column for Option<T> {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::read(v, name).map(Some),
        }
    }

    fn store(&self) -> ToSqlOutput<'_> {
        match self {
            Some(v) => v.store(),
            None => ToSqlOutput::Owned(Value::Null),
        }
    }
}

#[inline]
fn integer(v: ValueRef<'_>, name: &str) -> rusqlite::Result<i64> {
    i64::column_result(v).map_err(|e| bad(name, e))
}

#[inline]
fn real(v: ValueRef<'_>, name: &str) -> rusqlite::Result<f64> {
    f64::column_result(v).map_err(|e| bad(name, e))
}

/// The text, borrowed from SQLite's buffer.
#[inline]
fn required<'v>(v: ValueRef<'v>, name: &str) -> rusqlite::Result<&'v str> {
    match v {
        ValueRef::Null => Err(bad(name, "missing")),
        v => v.as_str().map_err(|e| bad(name, e)),
    }
}

fn owned_text(s: String) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(Value::Text(s))
}

impl Column for String {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        required(v, name).map(str::to_owned)
    }

    fn store(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes()))
    }
}

/// Yes/no flags as 0 or 1 (anything else is refused).
impl Column for bool {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        match integer(v, name)? {
            0 => Ok(false),
            1 => Ok(true),
            n => Err(bad(name, format!("{n} is not 0 or 1"))),
        }
    }

    fn store(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
    }
}

impl Column for u8 {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        u8::try_from(integer(v, name)?).map_err(|e| bad(name, e))
    }

    fn store(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
    }
}

/// The bounded whole numbers (passes, pain, minutes, …).
impl<T: Bounded> Column for T {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        T::new(integer(v, name)?).map_err(|e| bad(name, e))
    }

    fn store(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(self.get())))
    }
}

impl Column for Gais {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        Gais::new(name, integer(v, name)?).map_err(|e| bad(name, e))
    }

    fn store(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(self.value())))
    }
}

/// The decimal measures, kept as REAL: depth in millimetres, days of
/// downtime (halves allowed). Each is read back through its own checks.
macro_rules! decimal {
    ($($ty:ty: $from:ident, $to:ident;)*) => {$(
        impl Column for $ty {
            #[inline]
            fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
                <$ty>::$from(name, real(v, name)?).map_err(|e| bad(name, e))
            }

            fn store(&self) -> ToSqlOutput<'_> {
                ToSqlOutput::Owned(Value::Real(self.$to()))
            }
        }
    )*};
}
decimal! {
    Depth: from_mm, mm;
    Days: from_days, days;
}

/// Dates as [`DATE`](super::rows::DATE) and moments as
/// [`DATETIME`](super::rows::DATETIME) (local time to the minute), written
/// by hand ([`format_date`]).
macro_rules! dated {
    ($($ty:ty: $parse:ident, $format:ident;)*) => {$(
        impl Column for $ty {
            #[inline]
            fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
                $parse(required(v, name)?).map_err(|e| bad(name, e))
            }

            fn store(&self) -> ToSqlOutput<'_> {
                owned_text($format(*self))
            }
        }
    )*};
}
dated! {
    NaiveDate: parse_date, format_date;
    NaiveDateTime: parse_datetime, format_datetime;
}

/// The enumerations kept as their codes.
macro_rules! coded {
    ($($ty:ty),*) => {$(
        impl Column for $ty {
            #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
                let code = required(v, name)?;
                <$ty>::from_code(code).ok_or_else(|| bad(name, code))
            }

            fn store(&self) -> ToSqlOutput<'_> {
                ToSqlOutput::Borrowed(ValueRef::Text(self.code().as_bytes()))
            }
        }
    )*};
}
coded!(CloseReason, Concern, OutcomeScale, SeriesStatus);

/// The skin types kept as their numbers (1 for I).
macro_rules! numbered {
    ($($ty:ty),*) => {$(
        impl Column for $ty {
            #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
                <$ty>::from_number(integer(v, name)?).map_err(|e| bad(name, e))
            }

            fn store(&self) -> ToSqlOutput<'_> {
                ToSqlOutput::Owned(Value::Integer(i64::from(self.number())))
            }
        }
    )*};
}
numbered!(Fitzpatrick, Glogau);

/// JSON text; the empty collection, the most common value, needs no parser.
fn json<T: DeserializeOwned + Default>(
    v: ValueRef<'_>,
    name: &'static str,
    empty: &str,
) -> rusqlite::Result<T> {
    let s = required(v, name)?;
    if s == empty {
        return Ok(T::default());
    }
    serde_json::from_str(s).map_err(|e| bad(name, e))
}

fn json_text<T: Serialize>(v: &T) -> ToSqlOutput<'static> {
    owned_text(super::rows::to_json(v))
}

/// Lists as JSON arrays.
impl<T: Serialize + DeserializeOwned> Column for Vec<T> {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        json(v, name, "[]")
    }

    fn store(&self) -> ToSqlOutput<'_> {
        json_text(self)
    }
}

/// The pre-treatment check as a JSON object.
impl Column for PreCheck {
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        serde_json::from_str(required(v, name)?).map_err(|e| bad(name, e))
    }

    fn store(&self) -> ToSqlOutput<'_> {
        json_text(self)
    }
}

/// Maps as JSON objects.
impl<K, V> Column for BTreeMap<K, V>
where
    K: Serialize + DeserializeOwned + Ord,
    V: Serialize + DeserializeOwned,
{
    #[inline]
    fn read(v: ValueRef<'_>, name: &'static str) -> rusqlite::Result<Self> {
        json(v, name, "{}")
    }

    fn store(&self) -> ToSqlOutput<'_> {
        json_text(self)
    }
}

#[cfg(test)]
mod tests;
