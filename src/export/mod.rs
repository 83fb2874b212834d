//! Getting records out of needlelog, and back in. One module per format;
//! [`render`] and [`write_export`] are what the command line and the
//! export dialog call.

mod chart;
pub mod csv;
mod file;
pub(crate) mod html;
mod html_photos;
pub(crate) mod ics;
pub mod json;
mod json_write;
pub(crate) mod markdown;
mod report;
mod schema_rules;
mod stream;
mod summary;
mod xlsx;

pub use crate::db::Scope;
pub use chart::xml_escape;
pub use file::{PendingFile, write_atomic};
pub use stream::{from_trees, write_to};

/// The buffer between a streamed export and its file or standard output.
pub const STREAM_BUFFER: usize = 64 * 1024;

use crate::db::{Store, StoreError};
use crate::domain::codes::coded;
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

/// The formats an export can take; the code is the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[strum(serialize_all = "lowercase")]
pub enum Format {
    /// Spreadsheet: one row per session.
    #[strum(message = "CSV (spreadsheet)")]
    Csv,
    /// Full-fidelity, versioned JSON.
    #[strum(message = "JSON (backup, re-import)")]
    Json,
    /// Markdown treatment summary.
    #[strum(message = "Markdown report")]
    Md,
    /// The treatment summary as printable HTML.
    #[strum(message = "HTML report")]
    Html,
    /// iCalendar rebooking windows.
    #[strum(message = "iCalendar (rebooking)")]
    Ics,
    /// Spreadsheet workbook with typed cells: sessions, series, clients.
    #[strum(message = "XLSX (Excel, LibreOffice)")]
    Xlsx,
}

coded!(Format, labelled);

impl Format {
    pub fn extension(self) -> &'static str {
        self.code()
    }
}

/// Choices that only some formats use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// CSV: start with a byte-order mark so that Excel reads the file as UTF-8.
    pub excel: bool,
    /// Who the reports and calendar events come from (`[clinic]`).
    pub clinic: crate::config::Clinic,
    /// The practice's thresholds (what counts as prolonged erythema).
    pub rules: crate::domain::Rules,
    /// HTML: embed the baseline and latest photos of clients with a photo
    /// consent (`--photos`).
    pub photos: bool,
}

/// What an export held, for a status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub format: Format,
    pub clients: usize,
    pub series: usize,
    pub sessions: usize,
    /// Calendar events (iCalendar only).
    pub events: usize,
    pub bytes: usize,
    /// Where it was written; None for standard output.
    pub path: Option<PathBuf>,
    /// HTML with photos: clients whose photos were left out for want of a
    /// photo consent.
    pub photos_left_out: Vec<String>,
}

impl std::fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "wrote {}: ", p.display())?;
        }
        if self.format == Format::Ics {
            write!(
                f,
                "{} rebooking event{}",
                self.events,
                if self.events == 1 { "" } else { "s" }
            )
        } else {
            write!(
                f,
                "{} client{}, {} series, {} session{}",
                self.clients,
                if self.clients == 1 { "" } else { "s" },
                self.series,
                self.sessions,
                if self.sessions == 1 { "" } else { "s" }
            )
        }
    }
}

/// Why an XLSX export cannot go to standard output.
pub const XLSX_NEEDS_A_FILE: &str =
    "an XLSX export is a binary file written straight to disk: give -o FILE.xlsx";

/// Builds the export in memory (every format but XLSX, which goes
/// straight into its file): [`write_to`] into a buffer. `today` dates the
/// report and decides what is due; the JSON's `exported_at` and the
/// calendar's stamp come from the store's clock.
pub fn render(
    store: &Store,
    format: Format,
    scope: &Scope,
    today: NaiveDate,
    options: &Options,
) -> Result<(Vec<u8>, ExportSummary), StoreError> {
    let mut bytes = Vec::new();
    let summary = write_to(store, format, scope, today, options, &mut bytes, |e| {
        StoreError::Other(format!("export failed: {e}"))
    })?;
    Ok((bytes, summary))
}

/// Writes the export into a temporary file beside `dest`, not yet in place.
/// Whether `dest` names the database file or one of SQLite's files beside
/// it (`-wal`, `-shm`, `-journal`): an export there would destroy it.
fn is_database_file(db: &Path, dest: &Path) -> bool {
    let folder = |p: &Path| {
        let parent = p.parent().filter(|p| !p.as_os_str().is_empty());
        parent
            .unwrap_or(Path::new("."))
            .canonicalize()
            .ok()
            .zip(p.file_name().map(ToOwned::to_owned))
    };
    let (Some((db_dir, db_name)), Some((dir, name))) = (folder(db), folder(dest)) else {
        return false;
    };
    let db_name = db_name.to_string_lossy();
    dir == db_dir
        && ["", "-wal", "-shm", "-journal"]
            .iter()
            .any(|suffix| name.to_string_lossy() == format!("{db_name}{suffix}"))
}

fn prepare_file(
    store: &Store,
    format: Format,
    scope: &Scope,
    dest: &Path,
    today: NaiveDate,
    options: &Options,
) -> Result<(PendingFile, ExportSummary), StoreError> {
    if is_database_file(store.path(), dest) {
        return Err(StoreError::Conflict(format!(
            "{} is the database itself; choose another file name",
            dest.display()
        )));
    }
    let io = |source| StoreError::Io {
        path: dest.to_path_buf(),
        source,
    };
    let mut summary = None;
    let pending = if format == Format::Xlsx {
        // Row by row into the file, the sheets in constant memory.
        PendingFile::write(dest, |file| {
            summary = Some(xlsx::write(store, scope, dest, file)?);
            Ok(())
        })?
    } else {
        // Straight into the file as the records are read; a failed write
        // names the file, like any other.
        PendingFile::write(dest, |file| {
            let mut out = std::io::BufWriter::with_capacity(STREAM_BUFFER, file);
            summary = Some(write_to(
                store, format, scope, today, options, &mut out, io,
            )?);
            out.flush().map_err(io)
        })?
    };
    let mut summary =
        summary.ok_or_else(|| StoreError::Other("export failed: nothing written".into()))?;
    summary.path = Some(dest.to_path_buf());
    Ok((pending, summary))
}

/// Renders and writes the export to `dest` atomically, mode 0600.
pub fn write_export(
    store: &Store,
    format: Format,
    scope: &Scope,
    dest: &Path,
    today: NaiveDate,
) -> Result<ExportSummary, StoreError> {
    write_export_with(store, format, scope, dest, today, &Options::default())
}

/// [`write_export`] with format options.
pub fn write_export_with(
    store: &Store,
    format: Format,
    scope: &Scope,
    dest: &Path,
    today: NaiveDate,
    options: &Options,
) -> Result<ExportSummary, StoreError> {
    let (pending, summary) = prepare_file(store, format, scope, dest, today, options)?;
    pending.commit()?;
    Ok(summary)
}

/// [`write_export_with`] for a store opened with [`Store::open_deferred`]:
/// the file goes in place only once the background integrity check has
/// passed, and a damaged database is reported as such whatever the export
/// met while reading it.
pub fn write_export_checked(
    store: &mut Store,
    format: Format,
    scope: &Scope,
    dest: &Path,
    today: NaiveDate,
    options: &Options,
) -> Result<ExportSummary, StoreError> {
    let prepared = prepare_file(store, format, scope, dest, today, options);
    store.await_integrity()?;
    let (pending, summary) = prepared?;
    pending.commit()?;
    Ok(summary)
}

/// `text` with each character that `replace` has a replacement for
/// replaced (an empty one drops it), the others kept.
fn escape_with(text: &str, replace: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match replace(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// A file name for an export: `needlelog-<scope>-<date>.<ext>`, the scope
/// label (a client's name, say) lowercased with anything but letters and
/// digits turned into single dashes. An empty label gives
/// `needlelog-<date>.<ext>`.
pub fn default_file_name(format: Format, scope_label: &str, today: NaiveDate) -> String {
    let mut slug = String::new();
    for c in scope_label.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    let date = today.format(crate::domain::DATE);
    if slug.is_empty() {
        format!("needlelog-{date}.{}", format.extension())
    } else {
        format!("needlelog-{slug}-{date}.{}", format.extension())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::today;

    #[test]
    fn file_names_are_plain_and_dated() {
        for (format, name, file) in [
            (Format::Csv, "", "needlelog-2026-11-21.csv"),
            (
                Format::Html,
                "  O'Brien, \"Jo\" / x ",
                "needlelog-o-brien-jo-x-2026-11-21.html",
            ),
            (Format::Md, "Zoë Ξανθή", "needlelog-zoë-ξανθή-2026-11-21.md"),
            (Format::Ics, "../../etc", "needlelog-etc-2026-11-21.ics"),
            (Format::Xlsx, "Ana", "needlelog-ana-2026-11-21.xlsx"),
        ] {
            assert_eq!(default_file_name(format, name, today()), file, "{name:?}");
        }
        for &f in Format::ALL {
            assert!(default_file_name(f, "a", today()).ends_with(f.extension()));
        }
    }
}
