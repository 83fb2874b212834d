//! Reading rows into domain types. A value outside its range (a file edited
//! by hand, say) becomes an error naming the column, never a panic.
//!
//! Whole records are read by position in the order of their table's
//! [`Layout`](super::columns::Layout): the key and identity columns, the
//! record's fields (generated from its record table), then the times.

use super::audit::parse_timestamp;
use super::columns::{CLIENTS, Layout, Record, SERIES, SESSIONS};
use super::error::StoreError;
use crate::domain::{Client, ClientDraft, Series, Session, SessionDraft, ValidSeries};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, ToSql};
use uuid::Uuid;

pub const DATE: &str = "%Y-%m-%d";
pub const DATETIME: &str = "%Y-%m-%d %H:%M";

pub(super) fn bad(col: &str, msg: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, format!("column {col}: {msg}").into())
}

/// The text in column `at` (`name` in messages), borrowed from SQLite's
/// buffer (no copy); None for NULL.
pub(super) fn text<'r>(r: &'r Row<'_>, at: usize, name: &str) -> rusqlite::Result<Option<&'r str>> {
    match r.get_ref(at)? {
        ValueRef::Null => Ok(None),
        v => v.as_str().map(Some).map_err(|e| bad(name, e)),
    }
}

/// Four, two or one ASCII digits as a number.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `YYYY-MM-DD` exactly, read without a format parser.
fn fixed_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// A date as stored ([`DATE`]). The usual exact layout is read by hand
/// (chrono's format parser was a tenth of an export's time); anything else
/// goes to chrono, so that every text gives the same date or error as ever.
pub fn parse_date(s: &str) -> Result<NaiveDate, chrono::ParseError> {
    match (s.len(), fixed_date(s.as_bytes())) {
        (10, Some(d)) => Ok(d),
        _ => NaiveDate::parse_from_str(s, DATE),
    }
}

/// A date and time as stored ([`DATETIME`]); see [`parse_date`].
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, chrono::ParseError> {
    let b = s.as_bytes();
    if b.len() == 16 && b[10] == b' ' && b[13] == b':' {
        let time = digits(&b[11..13])
            .zip(digits(&b[14..16]))
            .and_then(|(h, m)| chrono::NaiveTime::from_hms_opt(h, m, 0));
        if let (Some(d), Some(t)) = (fixed_date(b), time) {
            return Ok(d.and_time(t));
        }
    }
    NaiveDateTime::parse_from_str(s, DATETIME)
}

/// The UUID in column `at` (named `name` in messages).
pub fn uuid_col(r: &Row<'_>, at: usize, name: &'static str) -> rusqlite::Result<Uuid> {
    let s = text(r, at, name)?.ok_or_else(|| bad(name, "missing"))?;
    Uuid::parse_str(s).map_err(|e| bad(name, e))
}

/// The time in column `at`, as the audit log writes them.
fn time_at(r: &Row<'_>, at: usize, name: &str) -> rusqlite::Result<DateTime<Utc>> {
    parse_timestamp(text(r, at, name)?.ok_or_else(|| bad(name, "missing"))?)
}

fn optional_time_at(r: &Row<'_>, at: usize, name: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    text(r, at, name)?.map(parse_timestamp).transpose()
}

/// A client from a row whose select list is [`CLIENTS`]' columns.
pub fn client(r: &Row<'_>) -> rusqlite::Result<Client> {
    let mut at = CLIENTS.fields_at();
    let data = ClientDraft::read(r, &mut at)?;
    Ok(Client {
        id: r.get(0)?,
        uuid: uuid_col(r, 1, "uuid")?,
        data,
        archived_at: optional_time_at(r, at, "archived_at")?,
        created_at: time_at(r, at + 1, "created_at")?,
        updated_at: time_at(r, at + 2, "updated_at")?,
    })
}

/// Readers of the records that belong to a parent (a series to its client,
/// a session to its series): the key, UUID and parent key, the record's
/// fields, then its creation and change times.
macro_rules! child_readers {
    ($($ty:ident($draft:ty), parent $parent:ident, layout $layout:ident, $read:ident, $read_at:ident;)*) => {$(
        #[doc = concat!("A ", stringify!($read), " from a row whose select list starts with [`", stringify!($layout), "`]' columns.")]
        pub fn $read(r: &Row<'_>) -> rusqlite::Result<$ty> {
            $read_at(r, 0)
        }

        #[doc = concat!("A ", stringify!($read), " from a row that has [`", stringify!($layout), "`]' columns from position `base` on.")]
        pub fn $read_at(r: &Row<'_>, base: usize) -> rusqlite::Result<$ty> {
            let mut at = base + $layout.fields_at();
            let data = <$draft>::read(r, &mut at)?;
            Ok($ty {
                id: r.get(base)?,
                uuid: uuid_col(r, base + 1, "uuid")?,
                $parent: r.get(base + 2)?,
                data,
                created_at: time_at(r, at, "created_at")?,
                updated_at: time_at(r, at + 1, "updated_at")?,
            })
        }
    )*};
}

child_readers! {
    Series(ValidSeries), parent client_id, layout SERIES, series, series_at;
    Session(SessionDraft), parent series_id, layout SESSIONS, session, session_at;
}

/// A record read whole from its own table: the table's layout, the reader
/// that takes a row in the layout's column order, and its name in messages.
pub(crate) trait Stored: Sized {
    const ENTITY: &'static str;
    fn layout() -> &'static Layout;
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self>;
}

macro_rules! stored {
    ($($ty:ty: $layout:ident, $read:ident, $entity:literal;)*) => {$(
        impl Stored for $ty {
            const ENTITY: &'static str = $entity;
            fn layout() -> &'static Layout {
                &$layout
            }
            fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
                $read(r)
            }
        }
    )*};
}

stored! {
    Client: CLIENTS, client, "client";
    Series: SERIES, series, "series";
    Session: SESSIONS, session, "session";
}

/// The record whose `column` (its key `id` or its `uuid`) holds `key`, read
/// on `conn` (the store's connection or a write's transaction).
pub(crate) fn find<T: Stored>(
    conn: &Connection,
    column: &str,
    key: impl ToSql,
) -> rusqlite::Result<Option<T>> {
    conn.prepare_cached(&format!("{} WHERE {column} = ?1", T::layout().select))?
        .query_row([key], T::from_row)
        .optional()
}

/// The records whose `column` (their parent's key) holds `parent`, in
/// `order` (an `ORDER BY` list).
pub(crate) fn under<T: Stored>(
    conn: &Connection,
    column: &str,
    parent: i64,
    order: &str,
) -> rusqlite::Result<Vec<T>> {
    let select = &T::layout().select;
    conn.prepare_cached(&format!("{select} WHERE {column} = ?1 ORDER BY {order}"))?
        .query_map([parent], T::from_row)?
        .collect()
}

/// [`find`], with a missing record an error that names it.
pub(crate) fn get<T: Stored>(
    conn: &Connection,
    column: &str,
    key: impl ToSql + std::fmt::Display,
) -> Result<T, StoreError> {
    let key_text = key.to_string();
    find(conn, column, key)?.or_not_found(T::ENTITY, key_text)
}

/// A lookup's answer, with nothing found an error that names what was looked for.
pub(crate) trait OrNotFound<T> {
    fn or_not_found(self, entity: &'static str, key: impl ToString) -> Result<T, StoreError>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self, entity: &'static str, key: impl ToString) -> Result<T, StoreError> {
        self.ok_or_else(|| StoreError::NotFound {
            entity,
            key: key.to_string(),
        })
    }
}

pub fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Serialising the program's own plain types cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

pub fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(format_date)
}

/// Appends `n` as `width` digits, zero-padded (`n` has no more).
fn push_digits(out: &mut String, n: u32, width: u32) {
    for p in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(p) % 10) as u8));
    }
}

/// `YYYY-MM-DD` of a year 0–9999, else None (chrono's forms then).
fn push_date(out: &mut String, d: NaiveDate) -> Option<()> {
    use chrono::Datelike;
    let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    push_digits(out, year, 4);
    out.push('-');
    push_digits(out, d.month(), 2);
    out.push('-');
    push_digits(out, d.day(), 2);
    Some(())
}

/// A date as stored ([`DATE`]), written by hand: chrono's format parser
/// took a tenth of the bulk writer's time (BENCHMARKS.md, fifth round).
/// The same text as `d.format(DATE)` (a test compares them); years outside
/// 0–9999 go to chrono.
pub fn format_date(d: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    match push_date(&mut out, d) {
        Some(()) => out,
        None => d.format(DATE).to_string(),
    }
}

/// A date and time as stored ([`DATETIME`]); see [`format_date`].
pub fn format_datetime(t: NaiveDateTime) -> String {
    use chrono::Timelike;
    let mut out = String::with_capacity(16);
    if push_date(&mut out, t.date()).is_none() {
        return t.format(DATETIME).to_string();
    }
    out.push(' ');
    push_digits(&mut out, t.hour(), 2);
    out.push(':');
    push_digits(&mut out, t.minute(), 2);
    out
}

/// A moment as the change times are stored (RFC 3339 in UTC to the
/// millisecond, `2026-11-21T10:00:00.000Z`); see [`format_date`]. A leap
/// second goes to chrono.
pub fn format_timestamp(t: DateTime<Utc>) -> String {
    use chrono::Timelike;
    let mut out = String::with_capacity(24);
    let n = t.naive_utc();
    if n.nanosecond() >= 1_000_000_000 || push_date(&mut out, n.date()).is_none() {
        return t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    }
    out.push('T');
    push_digits(&mut out, n.hour(), 2);
    out.push(':');
    push_digits(&mut out, n.minute(), 2);
    out.push(':');
    push_digits(&mut out, n.second(), 2);
    out.push('.');
    push_digits(&mut out, n.nanosecond() / 1_000_000, 3);
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each text gives what chrono gives, value or error.
    fn agrees_with_chrono<T: PartialEq + std::fmt::Debug>(
        ours: fn(&str) -> Result<T, chrono::ParseError>,
        chrono: impl Fn(&str) -> Result<T, chrono::ParseError>,
        texts: &[&str],
    ) {
        for s in texts {
            assert_eq!(ours(s).ok(), chrono(s).ok(), "{s:?}");
        }
    }

    /// The hand-read layouts give what chrono gives, date or error.
    /// Dates, times and moments written by hand are chrono's text, over
    /// every day of years at the edges and in between, every minute of a
    /// day, odd milliseconds, a leap second and years chrono writes with a
    /// sign.
    #[test]
    fn dates_written_by_hand_match_chrono() {
        use chrono::{Duration, TimeZone};
        let days = |from: i32, to: i32| {
            let start = NaiveDate::from_ymd_opt(from, 1, 1).unwrap();
            let end = NaiveDate::from_ymd_opt(to, 12, 31).unwrap();
            start.iter_days().take_while(move |d| *d <= end)
        };
        let edges = days(-2, 1).chain(days(1999, 2001)).chain(days(2024, 2028));
        let edges = edges.chain(days(9998, 10_001));
        let mut checked = 0;
        for d in edges {
            assert_eq!(format_date(d), d.format(DATE).to_string());
            let t = d.and_hms_milli_opt(13, 7, 9, 42).unwrap();
            assert_eq!(format_datetime(t), t.format(DATETIME).to_string());
            let u = Utc.from_utc_datetime(&t);
            assert_eq!(
                format_timestamp(u),
                u.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            );
            checked += 1;
        }
        assert!(checked > 4_000);
        let day = NaiveDate::from_ymd_opt(2026, 11, 21)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        for minute in 0..24 * 60 {
            let t = day + Duration::minutes(minute) + Duration::milliseconds(minute * 7 % 1000);
            assert_eq!(format_datetime(t), t.format(DATETIME).to_string());
            let u = Utc.from_utc_datetime(&t);
            assert_eq!(
                format_timestamp(u),
                u.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            );
        }
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_milli_opt(23, 59, 59, 1_500)
            .unwrap();
        let u = Utc.from_utc_datetime(&leap);
        assert_eq!(
            format_timestamp(u),
            u.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        );
    }

    #[test]
    fn dates_read_by_hand_match_chrono() {
        agrees_with_chrono(
            parse_date,
            |s| NaiveDate::parse_from_str(s, DATE),
            &[
                "2026-11-21",
                "0001-01-01",
                "9999-12-31",
                "2024-02-29",
                "2026-02-29",
                "2026-13-01",
                "2026-00-10",
                "2026-1-5",
                "2026-01-05 ",
                "+2026-01-05",
                "2026/01/05",
                "２０２６-01-05",
                "",
            ],
        );
        agrees_with_chrono(
            parse_datetime,
            |s| NaiveDateTime::parse_from_str(s, DATETIME),
            &[
                "2026-11-21 10:00",
                "2026-11-21 23:59",
                "2026-11-21 24:00",
                "2026-11-21 10:60",
                "2026-11-21 9:05",
                "2026-11-21T10:00",
                "2026-02-30 10:00",
                "2026-11-21 10:00:00",
                "2026-11-21",
            ],
        );
    }
}
