//! Every export but XLSX written as it is read: the CSV a session at a
//! time, JSON, Markdown, HTML and iCalendar a client at a time, into any
//! writer (a buffered file, standard output, memory). Memory holds one
//! client's records, whatever the size of the practice. Whatever needs
//! all of them (the counts in the summary, how many clients the HTML
//! title may name) is counted on the way or known after one client.

use super::report::{self, ClientReport, Report, Selection};
use super::{ExportSummary, Format, Options, XLSX_NEEDS_A_FILE, csv, html, ics, json_write};
use super::{Scope, markdown};
use crate::db::{ScopedClient, Store, StoreError, TreeStream};
use chrono::NaiveDate;
use std::io::Write;

/// Passes bytes on, counting them (for the summary).
pub(super) struct Counting<W> {
    pub inner: W,
    pub bytes: usize,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Why a calendar export fails when no series in scope has an event.
const NO_EVENTS: &str =
    "no active series with a next session due in this scope; nothing to put in a calendar";

/// Writes the export of `scope` to `out` as the records are read (every
/// format but XLSX, which needs a file). A mistake in the scope (a client
/// or series not there, a series of another client) is an error before
/// anything is written, and so is a calendar with no event. A failed write
/// becomes `on_io`'s error. `out` is not flushed.
pub fn write_to<W: Write>(
    store: &Store,
    format: Format,
    scope: &Scope,
    today: NaiveDate,
    options: &Options,
    out: W,
    on_io: impl Fn(std::io::Error) -> StoreError,
) -> Result<ExportSummary, StoreError> {
    let mut summary = ExportSummary {
        format,
        clients: 0,
        series: 0,
        sessions: 0,
        events: 0,
        bytes: 0,
        path: None,
        photos_left_out: Vec::new(),
    };
    let mut out = Counting {
        inner: out,
        bytes: 0,
    };
    match format {
        Format::Xlsx => return Err(StoreError::Other(XLSX_NEEDS_A_FILE.into())),
        Format::Csv => {
            store.check_scope(scope)?;
            let (w, s) = csv::stream(store, scope, options.excel, out, |e| {
                let text = e.to_string();
                match e.into_kind() {
                    ::csv::ErrorKind::Io(source) => on_io(source),
                    _ => StoreError::Other(format!("export failed: {text}")),
                }
            })?;
            out = w;
            summary = s;
        }
        Format::Json => {
            let trees = store.scoped_tree_stream(scope)?;
            let w = json_write::write(store, &trees, store.clock().now(), &mut out, on_io)?;
            (summary.clients, summary.series, summary.sessions) = (w.clients, w.series, w.sessions);
        }
        Format::Md | Format::Html => {
            let trees = store.scoped_tree_stream(scope)?;
            let report = Report::new(scope, today, &options.clinic);
            let photos = (options.photos && format == Format::Html)
                .then(|| super::html_photos::PhotoSections::new(store));
            let mut w = ReportWriter {
                report: &report,
                photos,
                rules: &options.rules,
                pieces: Pieces::of(format),
                buf: String::new(),
            };
            (summary.clients, summary.series, summary.sessions) =
                w.write(&trees, &mut out, &on_io)?;
            if let Some(p) = w.photos {
                summary.photos_left_out = p.left_out;
            }
        }
        Format::Ics => {
            // The calendar needs every session of a series to know when
            // the next one is due; its date range selects events, not
            // sessions.
            let trees = store.scoped_tree_stream(&scope.all_dates())?;
            let now = store.clock().now();
            let months = options.rules.maintenance_months;
            let mut cal = ics::Calendar::new(scope, today, now, &options.clinic, months);
            let mut buf = String::new();
            trees.for_each(|c| {
                buf.clear();
                cal.client(&c, &mut buf);
                // The calendar opens with its first event: with none, the
                // export fails with nothing written.
                if !buf.is_empty() {
                    if out.bytes == 0 {
                        out.write_all(ics::Calendar::head().as_bytes())
                            .map_err(&on_io)?;
                    }
                    out.write_all(buf.as_bytes()).map_err(&on_io)?;
                }
                Ok::<_, StoreError>(())
            })?;
            if cal.events == 0 {
                return Err(StoreError::Other(NO_EVENTS.into()));
            }
            out.write_all(ics::Calendar::tail().as_bytes())
                .map_err(&on_io)?;
            summary.events = cal.events;
            summary.clients = cal.clients;
            summary.series = cal.events;
        }
    }
    summary.format = format;
    summary.bytes = out.bytes;
    Ok(summary)
}

/// The export of records loaded all together (as [`Store::scoped_trees`]
/// gives them; for the calendar, loaded without the date range), made
/// whole in memory: the way every export was made before they streamed,
/// kept as the reference that [`write_to`] must equal byte for byte (the
/// tests hold them together). `now` is the JSON's `exported_at` and the
/// calendar's stamp.
pub fn from_trees(
    format: Format,
    clients: &[ScopedClient],
    scope: &Scope,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
    options: &Options,
) -> Result<Vec<u8>, StoreError> {
    let failed = |e: &dyn std::fmt::Display| StoreError::Other(format!("export failed: {e}"));
    let report = Report::new(scope, today, &options.clinic);
    let pieces = match format {
        Format::Xlsx => return Err(StoreError::Other(XLSX_NEEDS_A_FILE.into())),
        Format::Csv => return csv::write(clients, options.excel).map_err(|e| failed(&e)),
        Format::Json => {
            let doc = super::json::document(crate::db::into_trees(clients.to_vec()), now);
            let text = super::json::to_string(&doc).map_err(|e| failed(&e))?;
            return Ok(text.into_bytes());
        }
        Format::Ics => {
            let months = options.rules.maintenance_months;
            let mut cal = ics::Calendar::new(scope, today, now, &options.clinic, months);
            let mut text = ics::Calendar::head();
            for c in clients {
                cal.client(c, &mut text);
            }
            if cal.events == 0 {
                return Err(StoreError::Other(NO_EVENTS.into()));
            }
            text.push_str(&ics::Calendar::tail());
            return Ok(text.into_bytes());
        }
        Format::Md | Format::Html => Pieces::of(format),
    };
    let selection = match clients {
        [] => Selection::Empty,
        [one] => Selection::One(&one.client),
        _ => Selection::Many,
    };
    let mut text = (pieces.head)(&report, selection);
    for c in clients {
        (pieces.client)(&mut text, &report::client_report(c, today, &options.rules));
    }
    text.push_str(&(pieces.tail)(&report));
    Ok(text.into_bytes())
}

/// How one report format writes its parts.
struct Pieces {
    head: fn(&Report<'_>, Selection<'_>) -> String,
    client: fn(&mut String, &ClientReport<'_>),
    tail: fn(&Report<'_>) -> String,
}

impl Pieces {
    /// The Markdown report's for [`Format::Md`], else the HTML report's.
    fn of(format: Format) -> Self {
        if format == Format::Md {
            Pieces {
                head: markdown::head,
                client: markdown::client,
                tail: markdown::tail,
            }
        } else {
            Pieces {
                head: html::head,
                client: html::client,
                tail: html::tail,
            }
        }
    }
}

/// Writes a Markdown or HTML report a client at a time.
struct ReportWriter<'a> {
    report: &'a Report<'a>,
    /// HTML with `--photos`: the photo sections.
    photos: Option<super::html_photos::PhotoSections<'a>>,
    rules: &'a crate::domain::Rules,
    pieces: Pieces,
    /// One client's text, reused.
    buf: String,
}

impl ReportWriter<'_> {
    /// The whole report of `trees` to `out`; returns how many clients,
    /// series and sessions it held. The heading, which names the client
    /// when there is only one, waits for the second client (or the end).
    fn write<W: Write>(
        &mut self,
        trees: &TreeStream<'_>,
        out: &mut W,
        on_io: &impl Fn(std::io::Error) -> StoreError,
    ) -> Result<(usize, usize, usize), StoreError> {
        let mut first: Option<ScopedClient> = None;
        let mut started = false;
        let (mut series, mut sessions) = (0, 0);
        let clients = trees.for_each(|c| {
            series += c.series.len();
            sessions += c.series.iter().map(|s| s.sessions.len()).sum::<usize>();
            if !started {
                let Some(held) = first.take() else {
                    first = Some(c);
                    return Ok(());
                };
                started = true;
                self.head(Selection::Many, out, on_io)?;
                self.client(&held, out, on_io)?;
            }
            self.client(&c, out, on_io)
        })?;
        if !started {
            let selection = first
                .as_ref()
                .map_or(Selection::Empty, |c| Selection::One(&c.client));
            self.head(selection, out, on_io)?;
            if let Some(c) = &first {
                self.client(c, out, on_io)?;
            }
        }
        let tail = (self.pieces.tail)(self.report);
        out.write_all(tail.as_bytes()).map_err(on_io)?;
        Ok((clients, series, sessions))
    }

    fn head<W: Write>(
        &self,
        selection: Selection<'_>,
        out: &mut W,
        on_io: &impl Fn(std::io::Error) -> StoreError,
    ) -> Result<(), StoreError> {
        let head = (self.pieces.head)(self.report, selection);
        out.write_all(head.as_bytes()).map_err(on_io)?;
        if self.photos.is_some() {
            let note = format!(
                "<p class=\"meta photo-note\">{}</p>\n",
                super::html_photos::NOTE
            );
            out.write_all(note.as_bytes()).map_err(on_io)?;
        }
        Ok(())
    }

    fn client<W: Write>(
        &mut self,
        c: &ScopedClient,
        out: &mut W,
        on_io: &impl Fn(std::io::Error) -> StoreError,
    ) -> Result<(), StoreError> {
        let today = self.report.today;
        self.buf.clear();
        (self.pieces.client)(&mut self.buf, &report::client_report(c, today, self.rules));
        if let Some(photos) = self.photos.as_mut() {
            photos.section(c, &mut self.buf)?;
        }
        out.write_all(self.buf.as_bytes()).map_err(on_io)
    }
}
