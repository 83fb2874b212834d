//! The Series and Clients sheets: a row per record, its fields in the
//! order of the record tables (`domain/tables.rs`), each cell written by
//! its type as in the Sessions sheet (`export::csv::Cell`), after the
//! record's identity and before its change times (UTC).

use super::Sheet;
use crate::domain::tables::{client_table, record, series_table};
use crate::domain::{
    Client, ClientDraft, CloseReason, Closure, Concern, Fitzpatrick, Glogau, OutcomeScale,
    ScreeningItem, Series, SeriesStatus, ValidSeries,
};
use crate::export::csv::{Cell, Sink};
use rust_xlsxwriter::XlsxError;
use uuid::Uuid;

/// A record whose fields fill consecutive cells of a row.
trait Fields {
    fn headers(out: &mut Vec<&'static str>);

    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error>;
}

/// Generates [`Fields`] for a record table (see `domain::tables::record!`);
/// a column is named after the field's SQL column.
macro_rules! sheet_record {
    ($ty:ident { $($field:ident = $entry:tt;)* }) => {
        impl Fields for $ty {
            fn headers(out: &mut Vec<&'static str>) {
                $(sheet_record!(@header out $field $entry);)*
            }

            fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
                $(sheet_record!(@write self w $field $entry);)*
                Ok(())
            }
        }
        $(sheet_record!(@nested $entry);)*
    };
    (@name $field:ident []) => { stringify!($field) };
    (@name $field:ident [$column:literal]) => { $column };
    (@header $out:ident $field:ident (leaf $column:tt $($rest:tt)*)) => {
        $out.push(sheet_record!(@name $field $column));
    };
    (@header $out:ident $field:ident (nested $sub:ident $($rest:tt)*)) => {
        <$sub as Fields>::headers($out);
    };
    (@write $s:ident $w:ident $field:ident (leaf $($rest:tt)*)) => {
        Cell::write(&$s.$field, $w)?;
    };
    (@write $s:ident $w:ident $field:ident (nested $($rest:tt)*)) => {
        Fields::write(&$s.$field, $w)?;
    };
    (@nested (leaf $($rest:tt)*)) => {};
    (@nested (nested $sub:ident { $($inner:tt)* })) => {
        record! { sheet_record, $sub { $($inner)* } }
    };
}

client_table!(sheet_record);
series_table!(sheet_record);

/// The Series sheet's columns.
pub(super) fn series_headers() -> Vec<&'static str> {
    let mut out = vec!["client_name", "client_uuid", "series_uuid"];
    ValidSeries::headers(&mut out);
    out.extend(["created_at_utc", "updated_at_utc"]);
    out
}

/// The Clients sheet's columns.
pub(super) fn client_headers() -> Vec<&'static str> {
    let mut out = vec!["client_uuid"];
    ClientDraft::headers(&mut out);
    out.extend(["archived_at_utc", "created_at_utc", "updated_at_utc"]);
    out
}

pub(super) fn series_row(
    w: &mut Sheet<'_>,
    client_name: &str,
    client_uuid: &Uuid,
    s: &Series,
) -> Result<(), XlsxError> {
    w.text(client_name)?;
    w.uuid(client_uuid)?;
    w.uuid(&s.uuid)?;
    s.data.write(w)?;
    w.datetime(s.created_at)?;
    w.datetime(s.updated_at)
}

pub(super) fn client_row(w: &mut Sheet<'_>, c: &Client) -> Result<(), XlsxError> {
    w.uuid(&c.uuid)?;
    c.data.write(w)?;
    match c.archived_at {
        Some(t) => w.datetime(t)?,
        None => w.empty()?,
    }
    w.datetime(c.created_at)?;
    w.datetime(c.updated_at)
}

/// Enumerations as their codes.
macro_rules! coded_cells {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
                w.text(self.code())
            }
        }
    )*};
}

coded_cells!(
    Concern,
    OutcomeScale,
    SeriesStatus,
    CloseReason,
    Fitzpatrick,
    Glogau
);

/// Concern codes joined by `; `.
impl Cell for Vec<Concern> {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.compose(|b| {
            for (i, c) in self.iter().enumerate() {
                if i > 0 {
                    b.push_str("; ");
                }
                b.push_str(c.code());
            }
        })
    }
}

/// `kind`, then ` (date)` and `: note` where given, joined by `; `.
impl Cell for Vec<ScreeningItem> {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.compose(|b| {
            for (i, s) in self.iter().enumerate() {
                if i > 0 {
                    b.push_str("; ");
                }
                b.push_str(s.kind.code());
                if let Some(d) = s.date {
                    b.push_str(&format!(" ({d})"));
                }
                if !s.note.is_empty() {
                    b.push_str(": ");
                    b.push_str(&s.note);
                }
            }
        })
    }
}
