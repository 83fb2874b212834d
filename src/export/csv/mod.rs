//! CSV for spreadsheets: one row per session, a header row, RFC 4180
//! quoting, UTF-8, CRLF line ends. The column order is part of the format
//! (README lists it); new columns are only ever added at the end.
//!
//! Multi-valued cells (zones, adverse events) join their items with "; ".
//! Codes, not labels, for the enumerations, so that a sheet can filter on
//! them. A cell that a spreadsheet would run as a formula gets a leading
//! apostrophe (see [`neutralise`]).

mod columns;

pub(crate) use columns::Cell;
use columns::prefix;
pub use columns::{Column, columns, markdown};

use super::stream::Counting;
use super::{ExportSummary, Format, Scope};
use crate::db::{ScopedClient, SessionRow, Store, StoreError};
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use columns::Cells;
use std::fmt::{Display, Write as _};
use std::io::Write;
use uuid::Uuid;

/// UTF-8 byte-order mark, which Excel needs to read a CSV file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether `s` is a plain decimal number, which a spreadsheet reads as a
/// number and never as a formula, whatever its sign.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
/// is run as a formula by common spreadsheets (CSV injection). Such a cell
/// gets a leading apostrophe, which spreadsheets show as text; plain
/// numbers such as `-1` are left alone. A control character saved before
/// they were refused (a NUL, an escape) is shown as a visible sign
/// ([`crate::domain::visible_controls`]) rather than written raw.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let cell = crate::domain::visible_controls(cell);
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(&cell) => {
            std::borrow::Cow::Owned(format!("'{cell}"))
        }
        _ => cell,
    }
}

/// Writes the header, then one row per [`SessionRow`], cell by cell straight into
/// the output: no row of strings is built, and plain values are formatted
/// into one reused buffer.
pub struct Writer<W: Write> {
    w: csv::Writer<W>,
    buf: String,
}

/// One cell, neutralised (see [`neutralise`]).
fn put<W: Write>(w: &mut csv::Writer<W>, cell: &str) -> Result<(), csv::Error> {
    w.write_field(neutralise(cell).as_bytes())
}

impl<W: Write> Writer<W> {
    /// Starts the file: a byte-order mark when `excel`, then the header.
    pub fn new(mut out: W, excel: bool) -> Result<Self, csv::Error> {
        if excel {
            out.write_all(BOM)?;
        }
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        w.write_record(columns())?;
        Ok(Self {
            w,
            buf: String::new(),
        })
    }

    /// One row: the client, the series and the session's place in it
    /// (see `columns::prefix`), then the session's own cells from the
    /// session table.
    pub fn line(&mut self, l: &SessionRow<'_>) -> Result<(), csv::Error> {
        row(self, l)?;
        // An empty record ends the row.
        self.w.write_record(None::<&[u8]>)
    }

    /// Flushes and hands back the output.
    pub fn finish(self) -> Result<W, csv::Error> {
        self.w
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// Where the cells of a row go, one after the other: a CSV line (text
/// throughout) or a spreadsheet row (typed cells). The field types say
/// which kind of cell each value is ([`Cell`]); the sink writes it.
pub(crate) trait Sink {
    type Error;

    /// Text, kept as it is (codes, lots, phones, notes).
    fn text(&mut self, s: &str) -> Result<(), Self::Error>;

    /// Text made of whatever `fill` writes into a reused buffer.
    fn compose(&mut self, fill: impl FnOnce(&mut String)) -> Result<(), Self::Error>;

    /// A cell with nothing recorded.
    fn empty(&mut self) -> Result<(), Self::Error>;

    /// A whole number, or an empty cell.
    fn int(&mut self, v: Option<i64>) -> Result<(), Self::Error>;

    /// A decimal number as its text shows it (`0.25`, `1.5`).
    fn decimal(&mut self, v: impl Display) -> Result<(), Self::Error>;

    /// A day.
    fn date(&mut self, d: NaiveDate) -> Result<(), Self::Error>;

    /// A time of day, to the minute.
    fn time(&mut self, t: NaiveTime) -> Result<(), Self::Error>;

    fn uuid(&mut self, u: &Uuid) -> Result<(), Self::Error>;
}

impl<W: Write> Sink for Writer<W> {
    type Error = csv::Error;

    fn text(&mut self, s: &str) -> Result<(), csv::Error> {
        put(&mut self.w, s)
    }

    fn compose(&mut self, fill: impl FnOnce(&mut String)) -> Result<(), csv::Error> {
        self.buf.clear();
        fill(&mut self.buf);
        put(&mut self.w, &self.buf)
    }

    fn empty(&mut self) -> Result<(), csv::Error> {
        put(&mut self.w, "")
    }

    /// Written by hand: the formatting machinery costs more than the digits.
    fn int(&mut self, v: Option<i64>) -> Result<(), csv::Error> {
        let Some(v) = v else {
            return put(&mut self.w, "");
        };
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = v.unsigned_abs();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.compose(|b| {
            if v < 0 {
                b.push('-');
            }
            b.extend(digits[at..].iter().map(|&d| char::from(d)));
        })
    }

    fn decimal(&mut self, v: impl Display) -> Result<(), csv::Error> {
        // Writing into a String cannot fail.
        self.compose(|b| {
            let _ = write!(b, "{v}");
        })
    }

    /// `YYYY-MM-DD`.
    fn date(&mut self, d: NaiveDate) -> Result<(), csv::Error> {
        self.compose(|b| day(b, d))
    }

    /// `HH:MM`.
    fn time(&mut self, t: NaiveTime) -> Result<(), csv::Error> {
        let (h, m) = (t.hour(), t.minute());
        self.compose(|b| {
            b.extend([
                digit(h / 10),
                digit(h % 10),
                ':',
                digit(m / 10),
                digit(m % 10),
            ])
        })
    }

    fn uuid(&mut self, u: &Uuid) -> Result<(), csv::Error> {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let s = u.as_hyphenated().encode_lower(&mut text);
        put(&mut self.w, s)
    }
}

/// The cells of one session's row, into any sink: the client, the series
/// and the session's place in it (see `columns::prefix`), then the
/// session's own cells from the session table.
pub(crate) fn row<S: Sink>(w: &mut S, l: &SessionRow<'_>) -> Result<(), S::Error> {
    prefix(w, l)?;
    l.session.data.write(w, l)
}

/// The digit `n` (0–9).
fn digit(n: u32) -> char {
    char::from_digit(n, 10).unwrap_or('?')
}

/// `YYYY-MM-DD`, as `NaiveDate`'s `Display` and `%Y-%m-%d` write it;
/// by hand for the usual four-digit years.
fn day(b: &mut String, d: NaiveDate) {
    let (y, m, dd) = (d.year(), d.month(), d.day());
    match u32::try_from(y) {
        Ok(y) if y <= 9999 => b.extend([
            digit(y / 1000),
            digit(y / 100 % 10),
            digit(y / 10 % 10),
            digit(y % 10),
            '-',
            digit(m / 10),
            digit(m % 10),
            '-',
            digit(dd / 10),
            digit(dd % 10),
        ]),
        _ => {
            let _ = write!(b, "{d}");
        }
    }
}

/// Appends `items` to `b`, each written by `each`, with `sep` between them.
fn join<T>(
    b: &mut String,
    items: impl IntoIterator<Item = T>,
    sep: &str,
    mut each: impl FnMut(&mut String, T),
) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            b.push_str(sep);
        }
        each(b, item);
    }
}

/// The whole file from loaded records (the export itself streams them; see
/// [`crate::export::render`]). `excel` puts a byte-order mark first.
pub fn write(clients: &[ScopedClient], excel: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = Writer::new(Vec::with_capacity(256 * clients.len() + 1024), excel)?;
    for c in clients {
        for s in &c.series {
            for (i, x) in s.sessions.iter().enumerate() {
                w.line(&SessionRow {
                    client_name: &c.client.data.name,
                    client_uuid: &c.client.uuid,
                    series: &s.series,
                    number: s.number(i),
                    session: x,
                })?;
            }
        }
    }
    w.finish()
}

/// The CSV export of `scope` written to `out` as the sessions are read,
/// without loading the records first: byte for byte what [`write`] makes
/// of [`Store::scoped_trees`]. A failed write becomes `on_write`'s error.
pub(super) fn stream<W: Write>(
    store: &Store,
    scope: &Scope,
    excel: bool,
    out: W,
    on_write: impl Fn(csv::Error) -> StoreError,
) -> Result<(W, ExportSummary), StoreError> {
    let mut w = Writer::new(
        Counting {
            inner: out,
            bytes: 0,
        },
        excel,
    )
    .map_err(&on_write)?;
    let counts = store.for_each_session_row(scope, |row| w.line(row).map_err(&on_write))?;
    let out = w.finish().map_err(&on_write)?;
    let summary = ExportSummary {
        format: Format::Csv,
        clients: counts.clients,
        series: counts.series,
        sessions: counts.sessions,
        events: 0,
        bytes: out.bytes,
        path: None,
        photos_left_out: Vec::new(),
    };
    Ok((out.inner, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        for (cell, want) in [
            ("=1+1", "'=1+1"),
            ("+31 6 1234", "'+31 6 1234"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a\u{0}b", "a\u{2400}b"),
            ("=\u{1b}[2J", "'=\u{241b}[2J"),
            ("-1", "-1"),
            ("-12.5", "-12.5"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("1-2", "1-2"),
            ("Ana", "Ana"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }
}
