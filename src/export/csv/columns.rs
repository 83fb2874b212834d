//! The CSV columns: who and which series and session a row is (the
//! prefix, below), then the session's own cells, generated from the
//! session table (`domain/tables.rs`), each field type writing its cells
//! ([`Cell`]). [`markdown`] is README's column table; a test keeps the two
//! in step.

use super::{Sink, join};
use crate::db::SessionRow;
use crate::domain::series::PLANNED_RANGE;
use crate::domain::tables::{record, session_table};
use crate::domain::{
    Acknowledged, AdverseEvent, AdverseKind, Bounded, Concern, CurrentState, Days, Depth, Followup,
    Gais, OutcomeScale, PreCheck, SessionDraft, Severity, Zone, improvement_of, range_text,
};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// A column as README describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    /// What its cells hold (ranges, codes, units); empty when the header
    /// says it all.
    pub content: String,
}

/// How a field type fills its cell (or cells).
pub(crate) trait Cell {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error>;

    /// What each of its cells holds, one text per cell (empty: nothing to
    /// add to the column's own description).
    fn about() -> Vec<String> {
        vec![String::new()]
    }
}

/// A record whose fields fill consecutive cells.
pub(super) trait Cells {
    fn columns(out: &mut Vec<Column>);

    fn write<S: Sink>(&self, w: &mut S, l: &SessionRow<'_>) -> Result<(), S::Error>;
}

/// Generates [`Cells`] for a record table (see `domain::tables::record!`).
macro_rules! csv_record {
    ($ty:ident { $($field:ident = $entry:tt;)* }) => {
        impl Cells for $ty {
            fn columns(out: &mut Vec<Column>) {
                $(csv_record!(@columns out $ty $field $entry);)*
            }

            fn write<S: Sink>(&self, w: &mut S, l: &SessionRow<'_>) -> Result<(), S::Error> {
                // Only a record with computed columns reads the line.
                let _ = l;
                $(csv_record!(@write self w l $field $entry);)*
                Ok(())
            }
        }
        $(csv_record!(@nested $entry);)*
    };
    (@header $field:ident []) => { stringify!($field) };
    (@header $field:ident [$column:literal]) => { $column };
    (@columns $out:ident $ty:ident $field:ident
        (leaf $column:tt [$($csv:literal),*] [$($doc:literal)?] [$($extra:ident $extra_doc:literal),*])
    ) => {
        add(
            $out,
            &[$($csv),*],
            csv_record!(@header $field $column),
            about_of(|r: &$ty| &r.$field),
            concat!("" $(, $doc)?),
        );
        $($out.push(Column { header: stringify!($extra), content: $extra_doc.to_string() });)*
    };
    (@columns $out:ident $ty:ident $field:ident (nested $sub:ident $($rest:tt)*)) => {
        <$sub as Cells>::columns($out);
    };
    (@write $s:ident $w:ident $l:ident $field:ident
        (leaf $column:tt $csv:tt $doc:tt [$($extra:ident $extra_doc:literal),*])
    ) => {
        Cell::write(&$s.$field, $w)?;
        $($w.$extra($l)?;)*
    };
    (@write $s:ident $w:ident $l:ident $field:ident (nested $($rest:tt)*)) => {
        Cells::write(&$s.$field, $w, $l)?;
    };
    (@nested (leaf $($rest:tt)*)) => {};
    (@nested (nested $sub:ident { $($inner:tt)* })) => {
        record! { csv_record, $sub { $($inner)* } }
    };
}

session_table!(csv_record);

/// The field's type's [`Cell::about`], the field named by a projection.
fn about_of<R, T: Cell>(_field: impl Fn(&R) -> &T) -> Vec<String> {
    T::about()
}

/// Adds a field's columns: `headers` (or `default`, the SQL column's name,
/// when none are given), each described by its type and the first by `doc`.
fn add(
    out: &mut Vec<Column>,
    headers: &[&'static str],
    default: &'static str,
    about: Vec<String>,
    doc: &str,
) {
    let headers = if headers.is_empty() {
        &[default][..]
    } else {
        headers
    };
    for (i, header) in headers.iter().enumerate() {
        let mut parts: Vec<&str> = vec![about.get(i).map_or("", String::as_str)];
        if i == 0 {
            parts.push(doc);
        }
        parts.retain(|p| !p.is_empty());
        out.push(Column {
            header,
            content: parts.join(", "),
        });
    }
}

/// The columns before the session's own (an old format: these never
/// change), each with its README text and how it is written.
macro_rules! prefix {
    ($($header:ident: $about:expr => |$w:ident, $l:ident| $write:expr;)*) => {
        fn prefix_columns() -> Vec<Column> {
            vec![$(Column { header: stringify!($header), content: $about.to_string() }),*]
        }

        /// Writes the prefix cells of a row.
        pub(crate) fn prefix<S: Sink>(w: &mut S, l: &SessionRow<'_>) -> Result<(), S::Error> {
            $({
                let ($w, $l) = (&mut *w, l);
                $write?;
            })*
            Ok(())
        }
    };
}

prefix! {
    client_name: "as typed" => |w, l| w.text(l.client_name);
    client_uuid: "" => |w, l| w.uuid(l.client_uuid);
    series_uuid: "" => |w, l| w.uuid(&l.series.uuid);
    concern: codes(Concern::ALL.iter().map(|c| c.code())) => |w, l| w.text(l.series.data.concern.code());
    series_zones: format!("zone codes: {}", codes(Zone::ALL.iter().map(|z| z.code())))
        => |w, l| Cell::write(&l.series.data.zones, w);
    outcome_scale: scales() => |w, l| w.text(l.series.data.outcome_scale.code());
    baseline_score: "on that scale" => |w, l| Cell::write(&l.series.data.baseline_score, w);
    session_uuid: "" => |w, l| w.uuid(&l.session.uuid);
    session_number: "position in the whole series, from 1"
        => |w, l| w.int(Some(i64::from(l.number)));
    planned_sessions: range_text(PLANNED_RANGE.0, PLANNED_RANGE.1)
        => |w, l| Cell::write(&l.series.data.planned_sessions, w);
}

/// `` `a`, `b` `` from codes.
fn codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    codes
        .into_iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `goodman_baron` (1–4), … or `severity` (0–10); higher is worse ``.
fn scales() -> String {
    let each: Vec<String> = OutcomeScale::ALL
        .iter()
        .map(|s| {
            let (lo, hi) = s.range();
            format!("`{}` ({})", s.code(), range_text(lo, hi))
        })
        .collect();
    let (last, rest) = each.split_last().expect("scales");
    format!("{} or {last}; higher is worse", rest.join(", "))
}

/// The computed columns the session table places after the outcome score
/// and after the notes, for any sink.
pub(crate) trait Computed: Sink + Sized {
    fn improvement_points(&mut self, l: &SessionRow<'_>) -> Result<(), Self::Error> {
        let s = &l.series.data;
        let (points, _) = improvement_of(
            s.outcome_scale,
            s.baseline_score,
            l.session.data.outcome_score,
        );
        self.int(points.map(i64::from))
    }

    fn improvement_pct(&mut self, l: &SessionRow<'_>) -> Result<(), Self::Error> {
        let s = &l.series.data;
        let (_, pct) = improvement_of(
            s.outcome_scale,
            s.baseline_score,
            l.session.data.outcome_score,
        );
        match pct {
            Some(p) => self.decimal(format_args!("{p:.1}")),
            None => self.empty(),
        }
    }

    // The series' state, after the session's own columns (the CSV grows at
    // its end).

    fn series_status(&mut self, l: &SessionRow<'_>) -> Result<(), Self::Error> {
        self.text(l.series.data.status.code())
    }

    fn series_closed_on(&mut self, l: &SessionRow<'_>) -> Result<(), Self::Error> {
        Cell::write(&l.series.data.closure.closed_on, self)
    }

    fn series_close_reason(&mut self, l: &SessionRow<'_>) -> Result<(), Self::Error> {
        self.text(l.series.data.closure.reason.map_or("", |r| r.code()))
    }

    fn series_close_note(&mut self, l: &SessionRow<'_>) -> Result<(), Self::Error> {
        self.text(&l.series.data.closure.note)
    }
}

impl<S: Sink> Computed for S {}

static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    let mut all = prefix_columns();
    SessionDraft::columns(&mut all);
    all
});

static HEADER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| COLUMNS.iter().map(|c| c.header).collect());

/// The header row, in the format's fixed order.
pub fn columns() -> &'static [&'static str] {
    &HEADER
}

/// README's column table: number, name and content of each column.
pub fn markdown() -> String {
    let mut s = String::from("| # | Column | Content |\n|--:|--------|---------|\n");
    for (i, c) in COLUMNS.iter().enumerate() {
        let content = if c.content.is_empty() {
            String::new()
        } else {
            format!("{} ", c.content)
        };
        let _ = writeln!(s, "| {} | `{}` | {content}|", i + 1, c.header);
    }
    s
}

// --- how each field type fills its cells -----------------------------------

impl Cell for String {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.text(self)
    }
}

/// An empty cell means "not recorded".
impl<T: Cell> Cell for Option<T> {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        match self {
            Some(v) => v.write(w),
            None => w.empty(),
        }
    }

    fn about() -> Vec<String> {
        T::about()
    }
}

/// A yes/no flag: 1 for yes, 0 for no.
impl Cell for bool {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.int(Some(i64::from(*self)))
    }

    fn about() -> Vec<String> {
        vec!["1 = yes, 0 = no".to_string()]
    }
}

impl Cell for u8 {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.int(Some(i64::from(*self)))
    }
}

/// The bounded whole numbers, with their range.
impl<T: Bounded> Cell for T {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.int(Some(i64::from(self.get())))
    }

    fn about() -> Vec<String> {
        vec![T::range_text()]
    }
}

impl Cell for Gais {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.int(Some(i64::from(self.value())))
    }

    fn about() -> Vec<String> {
        vec![Gais::scale_text()]
    }
}

impl Cell for Depth {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.decimal(self)
    }

    fn about() -> Vec<String> {
        vec![format!("{} mm", Depth::range_text())]
    }
}

impl Cell for Days {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.decimal(self)
    }

    fn about() -> Vec<String> {
        vec![format!("{} days, halves allowed", Days::range_text())]
    }
}

impl Cell for NaiveDate {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.date(*self)
    }

    fn about() -> Vec<String> {
        vec!["`YYYY-MM-DD`".into()]
    }
}

/// Two cells: the date, then the time.
impl Cell for NaiveDateTime {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.date(self.date())?;
        w.time(self.time())
    }

    fn about() -> Vec<String> {
        vec![
            "`YYYY-MM-DD`".into(),
            "`HH:MM`, the practitioner's local time".into(),
        ]
    }
}

/// `none`, or the codes of the states present joined by `; `.
impl Cell for PreCheck {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        if self.present.is_empty() {
            return w.text("none");
        }
        w.compose(|b| join(b, &self.present, "; ", |b, s| b.push_str(s.code())))
    }

    fn about() -> Vec<String> {
        vec![format!(
            "pre-treatment check confirmed: `none` present, or the states present joined by `; `: {}",
            codes(CurrentState::ALL.iter().map(|s| s.code()))
        )]
    }
}

/// Zone codes joined by `; `.
impl Cell for Vec<Zone> {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.compose(|b| join(b, self, "; ", |b, z| b.push_str(z.code())))
    }
}

/// `zone depth` pairs joined by `; `.
impl Cell for BTreeMap<Zone, Depth> {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.compose(|b| {
            join(b, self, "; ", |b, (z, depth)| {
                let _ = write!(b, "{} {depth}", z.code());
            })
        })
    }
}

/// `kind` or `kind: note`, then the course where one was recorded, joined
/// by `; `.
impl Cell for Vec<AdverseEvent> {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.compose(|b| join(b, self, "; ", adverse))
    }

    fn about() -> Vec<String> {
        vec![format!(
            "`kind` or `kind: note`, then its course when recorded, `(severity, onset → resolved date or ongoing, action: …)`, joined by `; `; kinds {}; severities {}",
            codes(AdverseKind::ALL.iter().map(|k| k.code())),
            codes(Severity::ALL.iter().map(|s| s.code()))
        )]
    }
}

/// The acknowledged warnings as text with their weight, one per line.
impl Cell for Vec<Acknowledged> {
    fn write<S: Sink>(&self, w: &mut S) -> Result<(), S::Error> {
        w.compose(|b| {
            join(b, self, "\n", |b, a| {
                b.push_str(&a.weighted());
            })
        })
    }
}

/// `code` or `code: note`, then `(course)` when one was recorded.
fn adverse(b: &mut String, e: &AdverseEvent) {
    b.push_str(e.kind.code());
    if !e.note.is_empty() {
        b.push_str(": ");
        b.push_str(&e.note);
    }
    if !e.course_is_blank() {
        let _ = write!(b, " ({})", e.course_text());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_lists_the_csv_columns() {
        crate::testing::assert_readme_lists(
            &markdown(),
            "CSV column table",
            "the export's columns",
            "export::csv::markdown()",
        );
    }

    #[test]
    fn every_column_is_named_once() {
        let mut seen = std::collections::HashSet::new();
        for c in columns() {
            assert!(seen.insert(c), "{c} twice");
        }
    }

    #[test]
    fn the_follow_up_columns_come_from_its_table() {
        let mut cols = Vec::new();
        Followup::columns(&mut cols);
        let names: Vec<&str> = cols.iter().map(|c| c.header).collect();
        assert_eq!(
            names,
            [
                "followup_on",
                "redness_days",
                "swelling_days",
                "peeling_days",
                "adverse_events",
                "followup_notes"
            ]
        );
    }
}
