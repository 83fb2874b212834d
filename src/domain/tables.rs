//! One description per record: each stored field of a client, a series and
//! a session, in order, with its SQL column and, for sessions, its CSV
//! column(s) and what the README says about them. The store's column
//! lists, row readers and INSERT bindings (`db::columns`) and the CSV
//! export's header and cells (`export::csv::columns`) are generated from
//! these tables; nothing else lists the fields.
//!
//! How a field is stored, read back and written into a CSV cell follows
//! from its Rust type (`db::columns::Column`, `export::csv::columns::Cell`),
//! so a field of a type already in use needs one line here — plus its
//! migration, its form and its screen.
//!
//! An entry is
//!
//! ```text
//! field [as "sql_column"] [=> ["csv header", …]] [: "README text"] [then [extra: "README text", …]],
//! ```
//!
//! - the SQL column and the CSV header default to the field's name;
//! - `=> [...]` names the CSV columns of a type that fills several (a date
//!   and time: `date`, `time`);
//! - `then [...]` adds CSV columns computed by the export after this one
//!   (methods of the same name on the CSV writer);
//! - `field: Type { … }` is a record inside the record (the follow-up),
//!   whose fields are columns of the same table.
//!
//! The CSV column order is a public format: new session fields go at the
//! end of the session table (before nothing), so that spreadsheets built on
//! an older export keep working. The SQL column order is only the order the
//! program selects and binds them in.

/// Turns a table into a uniform list for a generator macro `$then`:
/// `Type { field = (leaf [column] [csv headers] [doc] [extras]); field =
/// (nested Type { …entries as written… }); … }`. A nested record is passed
/// on as written; the generator calls `record!` on it in turn.
macro_rules! record {
    ($then:ident, $ty:ident { $($entries:tt)* }) => {
        $crate::domain::tables::record! { @entry $then $ty [] $($entries)* }
    };
    (@entry $then:ident $ty:ident [$($out:tt)*]) => {
        $then! { $ty { $($out)* } }
    };
    (@entry $then:ident $ty:ident [$($out:tt)*]
        $field:ident : $sub:ident { $($inner:tt)* } , $($rest:tt)*
    ) => {
        $crate::domain::tables::record! { @entry $then $ty
            [$($out)* $field = (nested $sub { $($inner)* });] $($rest)* }
    };
    (@entry $then:ident $ty:ident [$($out:tt)*]
        $field:ident
        $(as $column:literal)?
        $(=> [$($csv:literal),+])?
        $(: $doc:literal)?
        $(then [$($extra:ident : $extra_doc:literal),+])?
        , $($rest:tt)*
    ) => {
        $crate::domain::tables::record! { @entry $then $ty
            [$($out)* $field = (leaf [$($column)?] [$($($csv),+)?] [$($doc)?]
                                [$($($extra $extra_doc),+)?]);]
            $($rest)* }
    };
}
pub(crate) use record;

/// The client's fields (table `clients`, between its key and UUID and its
/// archive and change times).
macro_rules! client_table {
    ($then:ident) => {
        $crate::domain::tables::record! { $then, ClientDraft {
            name,
            date_of_birth,
            phone,
            email,
            fitzpatrick,
            glogau,
            concerns,
            screening,
            allergies,
            medications,
            consent_on,
            guardian_consent_on,
            guardian,
            photo_consent_on,
            photo_consent_beyond,
            notes,
        } }
    };
}
pub(crate) use client_table;

/// The series' fields (table `series`, between its key, UUID and client
/// and its change times).
macro_rules! series_table {
    ($then:ident) => {
        $crate::domain::tables::record! { $then, ValidSeries {
            concern,
            zones,
            planned_sessions,
            interval_min_days,
            interval_max_days,
            outcome_scale,
            baseline_score,
            started_on,
            status,
            notes,
            closure: Closure {
                closed_on,
                reason as "close_reason",
                note as "close_note",
            },
        } }
    };
}
pub(crate) use series_table;

/// The session's fields (table `sessions`, between its key, UUID and series
/// and its change times), in the order of their CSV columns.
macro_rules! session_table {
    ($then:ident) => {
        $crate::domain::tables::record! { $then, SessionDraft {
            performed_at => ["date", "time"],
            zones: "this session's zones",
            device,
            cartridge,
            depth_mm: "e.g. `0.25`",
            zone_depths: "zones treated at another depth, e.g. `periorbital 0.25; chin 0.75`",
            passes,
            serum,
            numbing: "product",
            numbing_minutes,
            duration_minutes,
            endpoint: "e.g. pinpoint bleeding",
            cartridge_lot,
            serum_lot,
            erythema: "at the end of the session",
            edema,
            pain,
            outcome_score: "on the series' scale" then [
                improvement_points: "baseline − score: positive is better",
                improvement_pct: "the same in % of the reachable range (baseline − scale minimum), one decimal; empty for a baseline at the minimum"
            ],
            gais_clinician,
            gais_client,
            satisfaction,
            followup: Followup {
                recorded_on as "followup_on": "day the follow-up was recorded",
                redness_days,
                swelling_days,
                peeling_days,
                adverse_events,
                notes as "followup_notes",
            },
            acknowledged_warnings: "warnings seen when the session was saved, one per line, each after its weight (`STOP:` or `caution:`)",
            notes: "may span lines" then [
                series_status: "`active` or `closed`",
                series_closed_on: "the day the series was closed early",
                series_close_reason: "`completed_early`, `discontinued_by_client`, `adverse_event` or `other`",
                series_close_note: "what happened, for a series closed early"
            ],
            pre_check: "empty when not confirmed",
            antiviral: "antiviral prophylaxis: drug and dose as typed",
            antiviral_from: "the day it was started",
        } }
    };
}
pub(crate) use session_table;
