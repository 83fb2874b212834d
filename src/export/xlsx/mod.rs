//! XLSX for people who open the export in Excel, LibreOffice or Numbers:
//! the same sessions as the CSV, with the same columns in the same order,
//! plus a sheet of series and one of clients, each cell typed (dates as
//! dates, numbers as numbers, lot numbers, phones, codes and UUIDs as
//! text, so that `007123` stays `007123`).
//!
//! Each sheet is written row by row in rust_xlsxwriter's constant-memory
//! mode (a row is flushed to a temporary file in the destination's folder
//! as soon as the next begins), from the store's streams: memory stays
//! flat whatever the size of the clinic.

mod records;

use super::csv::{Sink, columns, row};
use super::{ExportSummary, Format, Scope};
use crate::db::{Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};
use records::{client_headers, series_headers};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook, Worksheet, XlsxError};
use std::fmt::{Display, Write as _};
use std::fs::File;
use std::path::Path;
use uuid::Uuid;

/// The sheets, in the workbook's order.
pub const SHEETS: [&str; 3] = ["Sessions", "Series", "Clients"];

/// The widest a column is made, in characters: longer notes wrap out of
/// sight rather than push the next column off the screen.
const MAX_WIDTH: usize = 50;

/// The number formats of typed cells.
struct Formats {
    header: CellFormat,
    date: CellFormat,
    time: CellFormat,
    datetime: CellFormat,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: CellFormat::new().set_bold(),
            date: CellFormat::new().set_num_format("yyyy-mm-dd"),
            time: CellFormat::new().set_num_format("hh:mm"),
            datetime: CellFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        }
    }
}

/// One worksheet being written, a row at a time, a cell after the other:
/// a [`Sink`] for the CSV's cell machinery. Keeps the widest cell of each
/// column, for the column widths.
struct Sheet<'f> {
    ws: Worksheet,
    row: u32,
    col: u16,
    widths: Vec<usize>,
    formats: &'f Formats,
    buf: String,
}

impl<'f> Sheet<'f> {
    /// A constant-memory sheet named `name`, its header row written (bold,
    /// frozen).
    fn new(
        book: &mut Workbook,
        name: &str,
        headers: &[&str],
        formats: &'f Formats,
    ) -> Result<Self, XlsxError> {
        let mut ws = book.new_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        for (i, h) in (0u16..).zip(headers) {
            ws.write_string_with_format(0, i, *h, &formats.header)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Self {
            ws,
            row: 1,
            col: 0,
            // Room for the header and its filter button.
            widths: headers.iter().map(|h| h.chars().count() + 3).collect(),
            formats,
            buf: String::new(),
        })
    }

    /// Moves to the next cell, noting the width of the one written.
    fn advance(&mut self, width: usize) {
        let at = usize::from(self.col);
        if self.widths.len() <= at {
            self.widths.resize(at + 1, 0);
        }
        self.widths[at] = self.widths[at].max(width.min(MAX_WIDTH));
        self.col += 1;
    }

    fn end_row(&mut self) {
        self.row += 1;
        self.col = 0;
    }

    /// A date and time (a record's creation or change, in UTC).
    fn datetime(&mut self, t: DateTime<Utc>) -> Result<(), XlsxError> {
        let t = t.naive_utc();
        match excel_date(t.date())
            .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second()))
        {
            Ok(dt) => {
                self.ws.write_datetime_with_format(
                    self.row,
                    self.col,
                    &dt,
                    &self.formats.datetime,
                )?;
                self.advance(19);
                Ok(())
            }
            Err(_) => self.text(&t.format("%Y-%m-%d %H:%M:%S").to_string()),
        }
    }

    /// The autofilter over the header and every row, the column widths,
    /// and the sheet into the workbook.
    fn finish(mut self, book: &mut Workbook) -> Result<(), XlsxError> {
        let last_col = (self.widths.len().max(1) - 1) as u16;
        self.ws
            .autofilter(0, 0, self.row.saturating_sub(1), last_col)?;
        for (i, w) in (0u16..).zip(&self.widths) {
            self.ws.set_column_width(i, (*w as f64) + 1.0)?;
        }
        book.push_worksheet(self.ws);
        Ok(())
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// The width of text as a column shows it: its longest line.
fn text_width(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

impl Sink for Sheet<'_> {
    type Error = XlsxError;

    fn text(&mut self, s: &str) -> Result<(), XlsxError> {
        if !s.is_empty() {
            self.ws.write_string(self.row, self.col, s)?;
        }
        self.advance(text_width(s));
        Ok(())
    }

    fn compose(&mut self, fill: impl FnOnce(&mut String)) -> Result<(), XlsxError> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        fill(&mut buf);
        let written = self.text(&buf);
        self.buf = buf;
        written
    }

    fn empty(&mut self) -> Result<(), XlsxError> {
        self.advance(0);
        Ok(())
    }

    fn int(&mut self, v: Option<i64>) -> Result<(), XlsxError> {
        match v {
            Some(v) => {
                self.ws.write_number(self.row, self.col, v as f64)?;
                self.advance(v.to_string().len());
                Ok(())
            }
            None => self.empty(),
        }
    }

    /// The number the text shows, exactly as the CSV writes it.
    fn decimal(&mut self, v: impl Display) -> Result<(), XlsxError> {
        self.buf.clear();
        let _ = write!(self.buf, "{v}");
        match self.buf.parse::<f64>() {
            Ok(n) if n.is_finite() => {
                self.ws.write_number(self.row, self.col, n)?;
                let width = self.buf.len();
                self.advance(width);
                Ok(())
            }
            _ => {
                let text = std::mem::take(&mut self.buf);
                let written = self.text(&text);
                self.buf = text;
                written
            }
        }
    }

    fn date(&mut self, d: NaiveDate) -> Result<(), XlsxError> {
        match excel_date(d) {
            Ok(dt) => {
                self.ws
                    .write_datetime_with_format(self.row, self.col, &dt, &self.formats.date)?;
                self.advance(10);
                Ok(())
            }
            // Before 1900, which spreadsheets cannot hold as a date.
            Err(_) => self.text(&d.to_string()),
        }
    }

    fn time(&mut self, t: NaiveTime) -> Result<(), XlsxError> {
        let dt = ExcelDateTime::from_hms(t.hour() as u16, t.minute() as u8, 0)?;
        self.ws
            .write_datetime_with_format(self.row, self.col, &dt, &self.formats.time)?;
        self.advance(5);
        Ok(())
    }

    fn uuid(&mut self, u: &Uuid) -> Result<(), XlsxError> {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let s = u.as_hyphenated().encode_lower(&mut text);
        self.ws.write_string(self.row, self.col, &*s)?;
        self.advance(s.len());
        Ok(())
    }
}

/// What went wrong writing the workbook, naming `dest` for a failed write.
fn failed(dest: &Path) -> impl Fn(XlsxError) -> StoreError + '_ {
    move |e| match e {
        XlsxError::IoError(source) | XlsxError::TempFileError(_, source) => StoreError::Io {
            path: dest.to_path_buf(),
            source,
        },
        other => StoreError::Other(format!("export failed: {other}")),
    }
}

/// Writes the workbook of `scope` into `out`, the temporary file beside
/// `dest`; the sheets' own temporary files go in the same folder.
pub(super) fn write(
    store: &Store,
    scope: &Scope,
    dest: &Path,
    out: &mut File,
) -> Result<ExportSummary, StoreError> {
    let fail = failed(dest);
    let mut book = Workbook::new();
    let folder = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    book.set_tempdir(folder).map_err(&fail)?;
    let formats = Formats::new();

    let mut sessions = Sheet::new(&mut book, SHEETS[0], columns(), &formats).map_err(&fail)?;
    let counts = store.for_each_session_row(scope, |l| {
        row(&mut sessions, l).map_err(&fail)?;
        sessions.end_row();
        Ok::<_, StoreError>(())
    })?;
    sessions.finish(&mut book).map_err(&fail)?;

    let mut series =
        Sheet::new(&mut book, SHEETS[1], &series_headers(), &formats).map_err(&fail)?;
    store.for_each_scoped_series(scope, |name, uuid, s| {
        records::series_row(&mut series, name, uuid, s).map_err(&fail)?;
        series.end_row();
        Ok::<_, StoreError>(())
    })?;
    series.finish(&mut book).map_err(&fail)?;

    let mut clients =
        Sheet::new(&mut book, SHEETS[2], &client_headers(), &formats).map_err(&fail)?;
    store.for_each_scoped_client(scope, |c| {
        records::client_row(&mut clients, c).map_err(&fail)?;
        clients.end_row();
        Ok::<_, StoreError>(())
    })?;
    clients.finish(&mut book).map_err(&fail)?;

    book.save_to_writer(&mut *out).map_err(&fail)?;
    let bytes = out
        .metadata()
        .map_err(|source| StoreError::Io {
            path: dest.to_path_buf(),
            source,
        })?
        .len();
    Ok(ExportSummary {
        format: Format::Xlsx,
        clients: counts.clients,
        series: counts.series,
        sessions: counts.sessions,
        events: 0,
        bytes: usize::try_from(bytes).unwrap_or(usize::MAX),
        path: None,
        photos_left_out: Vec::new(),
    })
}
