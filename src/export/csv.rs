//! CSV for spreadsheets: one row per session, a header row, RFC 4180
//! quoting, UTF-8, CRLF line ends. The column order is part of the format
//! (README lists it); new columns are only ever added at the end.
//!
//! Multi-valued cells (zones, adverse events) join their items with "; ".
//! Codes, not labels, for the enumerations, so that a sheet can filter on
//! them. A cell that a spreadsheet would run as a formula gets a leading
//! apostrophe (see [`neutralise`]).

use super::report::improvement;
use crate::db::ScopedClient;
use crate::domain::{AdverseEvent, Series, Session, Zone};
use std::fmt::{Display, Write as _};
use std::io::Write;
use uuid::Uuid;

/// The header row.
pub const COLUMNS: [&str; 42] = [
    "client_name",
    "client_uuid",
    "series_uuid",
    "concern",
    "series_zones",
    "outcome_scale",
    "baseline_score",
    "session_uuid",
    "session_number",
    "planned_sessions",
    "date",
    "time",
    "zones",
    "device",
    "cartridge",
    "depth_mm",
    "zone_depths",
    "passes",
    "serum",
    "numbing",
    "numbing_minutes",
    "duration_minutes",
    "endpoint",
    "cartridge_lot",
    "serum_lot",
    "erythema",
    "edema",
    "pain",
    "outcome_score",
    "improvement_points",
    "improvement_pct",
    "gais_clinician",
    "gais_client",
    "satisfaction",
    "followup_on",
    "redness_days",
    "swelling_days",
    "peeling_days",
    "adverse_events",
    "followup_notes",
    "acknowledged_warnings",
    "notes",
];

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
/// numbers such as `-1` are left alone.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_plain_number(cell) => {
            std::borrow::Cow::Owned(format!("'{cell}"))
        }
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// The sources of one row: a session with its client and series, and its
/// number within the whole series.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub client_name: &'a str,
    pub client_uuid: &'a Uuid,
    pub series: &'a Series,
    pub number: u32,
    pub session: &'a Session,
}

/// Writes the header, then one row per [`Line`], cell by cell straight into
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
        w.write_record(COLUMNS)?;
        Ok(Self {
            w,
            buf: String::new(),
        })
    }

    /// A cell made of whatever `fill` writes into the reused buffer.
    fn cell(&mut self, fill: impl FnOnce(&mut String)) -> Result<(), csv::Error> {
        self.buf.clear();
        fill(&mut self.buf);
        put(&mut self.w, &self.buf)
    }

    fn show(&mut self, v: impl Display) -> Result<(), csv::Error> {
        // Writing into a String cannot fail.
        self.cell(|b| {
            let _ = write!(b, "{v}");
        })
    }

    fn opt(&mut self, v: Option<impl Display>) -> Result<(), csv::Error> {
        match v {
            Some(v) => self.show(v),
            None => put(&mut self.w, ""),
        }
    }

    fn text(&mut self, s: &str) -> Result<(), csv::Error> {
        put(&mut self.w, s)
    }

    fn zones(&mut self, zones: &[Zone]) -> Result<(), csv::Error> {
        self.cell(|b| join(b, zones, "; ", |b, z| b.push_str(z.code())))
    }

    pub fn line(&mut self, l: &Line<'_>) -> Result<(), csv::Error> {
        let v = &l.series.data;
        let d = &l.session.data;
        let f = &d.followup;
        let (points, pct) = improvement(v.baseline_score, d.outcome_score);
        self.text(l.client_name)?;
        self.show(l.client_uuid)?;
        self.show(l.series.uuid)?;
        self.text(v.concern.code())?;
        self.zones(&v.zones)?;
        self.text(v.outcome_scale.code())?;
        self.opt(v.baseline_score)?;
        self.show(l.session.uuid)?;
        self.show(l.number)?;
        self.show(v.planned_sessions)?;
        self.show(d.performed_at.format("%Y-%m-%d"))?;
        self.show(d.performed_at.format("%H:%M"))?;
        self.zones(&d.zones)?;
        self.text(&d.device)?;
        self.text(&d.cartridge)?;
        self.opt(d.depth_mm)?;
        self.cell(|b| {
            join(b, &d.zone_depths, "; ", |b, (z, depth)| {
                let _ = write!(b, "{} {depth}", z.code());
            })
        })?;
        self.opt(d.passes)?;
        self.text(&d.serum)?;
        self.text(&d.numbing)?;
        self.opt(d.numbing_minutes)?;
        self.opt(d.duration_minutes)?;
        self.text(&d.endpoint)?;
        self.text(&d.cartridge_lot)?;
        self.text(&d.serum_lot)?;
        self.opt(d.erythema)?;
        self.opt(d.edema)?;
        self.opt(d.pain)?;
        self.opt(d.outcome_score)?;
        self.opt(points)?;
        self.opt(pct.map(|p| format!("{p:.1}")))?;
        self.opt(d.gais_clinician.map(|g| g.value()))?;
        self.opt(d.gais_client.map(|g| g.value()))?;
        self.opt(d.satisfaction)?;
        self.opt(f.recorded_on)?;
        self.opt(f.redness_days)?;
        self.opt(f.swelling_days)?;
        self.opt(f.peeling_days)?;
        self.cell(|b| join(b, &f.adverse_events, "; ", adverse))?;
        self.text(&f.notes)?;
        self.cell(|b| {
            join(b, &d.acknowledged_warnings, "\n", |b, w| b.push_str(w));
        })?;
        self.text(&d.notes)?;
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

/// `code` or `code: note`.
fn adverse(b: &mut String, e: &AdverseEvent) {
    if let Ok(serde_json::Value::String(code)) = serde_json::to_value(e.kind) {
        b.push_str(&code);
    }
    if !e.note.is_empty() {
        b.push_str(": ");
        b.push_str(&e.note);
    }
}

/// The whole file from loaded records (the export itself streams them; see
/// [`crate::export::render`]). `excel` puts a byte-order mark first.
pub fn write(clients: &[ScopedClient], excel: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = Writer::new(Vec::with_capacity(256 * clients.len() + 1024), excel)?;
    for c in clients {
        for s in &c.series {
            for (i, x) in s.sessions.iter().enumerate() {
                w.line(&Line {
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
