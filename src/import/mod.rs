//! Import from files: a JSON export (restore or merge) and a client list
//! (CSV). Reading and checking the file is separate from writing it, so a
//! caller can refuse a bad file before touching any database.

mod address_book;
pub(crate) mod client_csv;
mod client_row;
mod json;
mod shape;
mod vcard;

pub use address_book::Source;

use crate::db::{ClientListSummary, ImportSummary, ListedClient, Store, StoreError};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::BufReader;
use std::path::{Path, PathBuf};

fn read(path: &Path) -> Result<Vec<u8>, StoreError> {
    std::fs::read(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Prefixes a message about the file's content with the file's name.
fn about(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::Other(m) | StoreError::Conflict(m) => {
            StoreError::Other(format!("{}: {m}; nothing was imported", path.display()))
        }
        StoreError::Invalid(_) => {
            StoreError::Other(format!("{}: {e}; nothing was imported", path.display()))
        }
        other => other,
    }
}

fn open(path: &Path) -> Result<BufReader<std::fs::File>, StoreError> {
    std::fs::File::open(path)
        .map(|f| BufReader::with_capacity(1 << 16, f))
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// A JSON export whose syntax and header [`read_json`] checked; its records
/// are read (and checked) by [`apply_json`] as they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonExport {
    path: PathBuf,
}

impl JsonExport {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads a JSON export through once, keeping nothing: it must be valid
/// JSON, a needlelog export, of a version this program reads. Nothing is
/// opened or written; a bad file is refused here.
pub fn read_json(path: &Path) -> Result<JsonExport, StoreError> {
    json::check_file(open(path)?).map_err(|mut m| {
        let list = path.extension().is_some_and(|e| {
            ["csv", "vcf", "vcard"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        });
        if list {
            m.push_str(" (for a client list use --clients FILE)");
        }
        about(path, StoreError::Other(m))
    })?;
    Ok(JsonExport {
        path: path.to_path_buf(),
    })
}

/// Merges the export into `store` as one transaction, reading it client by
/// client: each is checked (fields, types, ranges, the domain's rules
/// against `now`) and written as it is read, and the first that does not
/// fit rolls the whole import back, with its path in the message
/// (`clients[3].series[0].sessions[2].performed_at: …`).
pub fn apply_json(
    store: &mut Store,
    file: &JsonExport,
    now: NaiveDateTime,
) -> Result<ImportSummary, StoreError> {
    let shape = shape::Shape::new();
    let photos = std::cell::Cell::new(0);
    let mut summary = store
        .import_from(now, |sink| {
            json::stream(open(&file.path)?, &shape, &photos, sink)
        })
        .map_err(|e| about(&file.path, e))?;
    summary.photos_skipped = photos.get();
    Ok(summary)
}

/// A client list read and checked: the clients, where they came from, and
/// what the summary must mention.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientList {
    pub source: Source,
    pub clients: Vec<ListedClient>,
    /// Unknown columns (or vCard properties) left out by `--skip-unknown`.
    pub skipped: Vec<String>,
    /// Birthdays without a year, left empty: where, who and as written.
    pub no_year: Vec<String>,
}

/// Reads and checks a client list: a CSV (needlelog's columns, or a Google
/// Contacts or Outlook export) or vCards (by the `.vcf` extension or a
/// first line `BEGIN:VCARD`). With `skip_unknown`, unknown columns are
/// left out (and listed) instead of refused.
pub fn read_client_list(
    path: &Path,
    today: NaiveDate,
    skip_unknown: bool,
) -> Result<ClientList, StoreError> {
    let bytes = read(path)?;
    // A byte-order mark (Excel, Windows tools) is no part of the list.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let vcf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard"));
    if vcf || vcard::looks_like(bytes) {
        vcard::parse(bytes, today, skip_unknown)
    } else {
        client_csv::parse(bytes, today, skip_unknown)
    }
    .map_err(|m| about(path, StoreError::Other(m)))
}

/// Adds what [`read_client_list`] returned to `store`, as one transaction.
pub fn apply_client_list(
    store: &mut Store,
    path: &Path,
    list: &[ListedClient],
) -> Result<ClientListSummary, StoreError> {
    store.import_client_list(list).map_err(|e| about(path, e))
}

/// One line saying what a JSON import did.
pub fn describe_json(path: &Path, s: &ImportSummary) -> String {
    let head = if s.changed() {
        format!("imported {}", path.display())
    } else {
        format!("{}: nothing new to import", path.display())
    };
    let mut t = format!(
        "{head}: clients {}; series {}; sessions {}",
        s.clients, s.series, s.sessions
    );
    if s.photos_skipped > 0 {
        t.push_str(&format!(
            "; {} photo{} not imported: a JSON export lists photos but does not carry their files \
             (photos travel with `needlelog backup`)",
            s.photos_skipped,
            if s.photos_skipped == 1 { "" } else { "s" }
        ));
    }
    t
}

/// One line saying what a client-list import did.
pub fn describe_client_list(path: &Path, list: &ClientList, s: &ClientListSummary) -> String {
    let mut t = format!(
        "imported {} ({}): {} client{} added",
        path.display(),
        list.source.label(),
        s.added,
        if s.added == 1 { "" } else { "s" }
    );
    if !s.already_present.is_empty() {
        let shown: Vec<String> = s
            .already_present
            .iter()
            .take(5)
            .map(|(line, name)| format!("line {line} {name}"))
            .collect();
        let more = s.already_present.len().saturating_sub(5);
        t.push_str(&format!(
            ", {} already here and left out ({}{})",
            s.already_present.len(),
            shown.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let listed = |items: &[String]| {
        let more = items.len().saturating_sub(5);
        let mut l = items[..items.len().min(5)].join(", ");
        if more > 0 {
            l.push_str(&format!(", and {more} more"));
        }
        l
    };
    if !list.no_year.is_empty() {
        t.push_str(&format!(
            "; {} birthday{} without a year left empty ({})",
            list.no_year.len(),
            if list.no_year.len() == 1 { "" } else { "s" },
            listed(&list.no_year)
        ));
    }
    if !list.skipped.is_empty() {
        let quoted: Vec<String> = list.skipped.iter().map(|c| format!("'{c}'")).collect();
        let what = match list.source {
            Source::VCard => "properties",
            _ => "columns",
        };
        t.push_str(&format!("; unknown {what} left out: {}", quoted.join(", ")));
    }
    t
}
