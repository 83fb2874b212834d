//! Pure clinical model: types, ranges and the rules computed from them.
//! Nothing in here touches a file, a database or the terminal.

/// How dates are written everywhere: screens, files, the database.
pub const DATE: &str = "%Y-%m-%d";
/// How a session's date and time are written everywhere.
pub const DATETIME: &str = "%Y-%m-%d %H:%M";

pub(crate) mod acknowledged;
pub(crate) mod adverse;
pub(crate) mod client;
pub(crate) mod closure;
pub(crate) mod codes;
pub(crate) mod concern;
pub(crate) mod consent;
pub(crate) mod dates;
pub(crate) mod due;
pub(crate) mod formats;
pub(crate) mod history;
pub(crate) mod measures;
pub(crate) mod namesakes;
pub(crate) mod on_file;
pub(crate) mod ongoing;
pub(crate) mod pending;
pub mod photo;
pub(crate) mod pih;
pub(crate) mod pre_check;
pub(crate) mod precheck_rules;
pub(crate) mod progress;
pub(crate) mod rules;
pub(crate) mod scales;
pub(crate) mod series;
pub(crate) mod session;
pub(crate) mod tables;
pub(crate) mod text;
pub(crate) mod warning;
pub(crate) mod warning_text;
pub(crate) mod warnings;
pub(crate) mod zones;

pub use acknowledged::Acknowledged;
pub use adverse::{Course, Severity};
pub use client::{Client, ClientDraft, Fitzpatrick, Glogau, ScreeningItem, ScreeningKind};
pub use closure::{CloseReason, Closure};
pub use dates::{DATE_HINT, DATETIME_HINT, parse_day, parse_moment, parse_optional_day};
pub use due::{DueState, DueWindow, due_state, due_window, maintenance_date};
pub use history::{ClientHistory, PastSeries, PastSession};
pub use measures::{Days, Depth};
pub use namesakes::{Namesake, duplicate_warning, likely_duplicates};
pub use on_file::{allergy_warnings, medication_warnings, serum_caution};
pub use ongoing::{ClientEvent, ongoing_events, ongoing_warnings};
pub use pending::{current_series, followup_pending, latest_session};
pub use photo::View;
pub use pre_check::{CurrentState, PreCheck};
pub use precheck_rules::{CheckSource, carried_check};
pub use progress::{
    ProgressPoint, SeriesProgress, cumulative_progress, improvement, improvement_of, progress_of,
    series_progress,
};
pub use rules::{Rules, SeriesPlan, builtin_series_plan};
pub use scales::{
    Bounded, DurationMinutes, Edema, Erythema, Gais, NumbingMinutes, OutcomeScale, Pain, Passes,
    Satisfaction, ValidationError, check_range, check_score, parse_whole, range_text,
};
pub use series::{
    Concern, INTERVAL_RANGE, PLANNED_RANGE, Series, SeriesDraft, SeriesStatus, ValidSeries,
};
pub use session::{
    AdverseEvent, AdverseKind, Followup, NOTHING_TO_RECORD, PROLONGED_REDNESS_DAYS, Session,
    SessionDraft,
};
pub use text::{line_control, name_key, text_control, visible_controls};
pub use warning::{AllergySource, Gap, MedicationClass, PihReason, Warning, Weight};
pub use warnings::{SessionContext, check_session_date, session_warnings};
pub use zones::{
    DepthHint, Zone, builtin_depth_hint, parse_zone_depths, zone_depths_text, zone_named,
};
