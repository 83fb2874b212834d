//! Pure clinical model: types, ranges and the rules computed from them.
//! Nothing in here touches a file, a database or the terminal.

pub mod client;
pub mod due;
pub mod measures;
pub mod progress;
pub mod scales;
pub mod series;
pub mod session;
pub(crate) mod tables;
pub mod warnings;
pub mod zones;

pub use client::{
    Client, ClientDraft, Fitzpatrick, Glogau, Namesake, ScreeningItem, ScreeningKind,
    duplicate_warning, likely_duplicates, name_key,
};
pub use due::{DueState, DueWindow, due_state, due_window};
pub use progress::{ProgressPoint, SeriesProgress, cumulative_progress, series_progress};
pub use scales::{
    Bounded, Days, Depth, DurationMinutes, Edema, Erythema, Gais, NumbingMinutes, OutcomeScale,
    Pain, Passes, Satisfaction, ValidationError, check_minutes, check_range, check_score,
    parse_whole, range_text,
};
pub use series::{Concern, Series, SeriesDraft, SeriesStatus, ValidSeries};
pub use session::{AdverseEvent, AdverseKind, Followup, Session, SessionDraft};
pub use warnings::{SessionContext, Warning, check_session_date, session_warnings};
pub use zones::{DepthHint, Zone, depth_hint};
