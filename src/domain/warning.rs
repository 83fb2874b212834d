//! A warning shown before a session is saved, by stable code and parameters,
//! and the sentence it reads as. The checks that raise them are in
//! `warnings`; a saved session records them as [`super::Acknowledged`].

use super::client::ScreeningKind;
use super::measures::Depth;
use super::zones::{DepthHint, Zone};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Sessions dated further back than this many years are probably a typo.
pub const LONG_AGO_YEARS: u32 = 10;

/// A neighbouring session and the days between it and the one being recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Gap {
    pub date: NaiveDate,
    pub days: i64,
}

/// A warning shown before a session is saved. The variant names are the
/// stable codes (snake_case) stored with the session and written to exports:
/// rename one and sessions saved before no longer read it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// Before the window opens: the skin has had less time to heal than planned.
    TooSoon {
        previous: NaiveDate,
        opens: NaiveDate,
        days_early: i64,
    },
    /// Dated before a session already in the series, and closer to it (or
    /// to the one before) than the plan's shortest interval.
    Between {
        /// The session before, and the days from it.
        previous: Option<Gap>,
        /// The session after, and the days to it.
        next: Gap,
        min_days: u8,
        max_days: u8,
    },
    /// The series already holds its planned number of sessions.
    BeyondPlan {
        planned: u8,
    },
    /// Dated before the series started: saving moves the start back.
    BeforeSeriesStart {
        started_on: NaiveDate,
        date: NaiveDate,
    },
    /// Dated more than [`LONG_AGO_YEARS`] years before today.
    LongAgo {
        date: NaiveDate,
    },
    /// Nothing was entered but the date (and what the form carried over).
    OnlyDate,
    /// Isotretinoin within six months of the session (or the date unknown).
    Isotretinoin {
        last_dose: Option<NaiveDate>,
        clear_from: Option<NaiveDate>,
    },
    /// Any other screening item answered yes.
    Screening {
        kind: ScreeningKind,
    },
    DepthOutsideHint {
        zone: Zone,
        depth: Depth,
        hint: DepthHint,
    },
    NoConsent,
}

fn days(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooSoon {
                previous,
                opens,
                days_early,
            } => write!(
                f,
                "too soon: last session {previous}, window opens {opens} ({} early)",
                days(*days_early)
            ),
            Self::Between {
                previous,
                next,
                min_days,
                max_days,
            } => {
                match previous {
                    Some(p) => write!(
                        f,
                        "between sessions: {} after {}, {} before {}",
                        days(p.days),
                        p.date,
                        days(next.days),
                        next.date
                    )?,
                    None => write!(
                        f,
                        "before the series' first session: {} before {}",
                        days(next.days),
                        next.date
                    )?,
                }
                write!(f, " (planned {min_days}–{max_days} days apart)")
            }
            Self::BeyondPlan { planned } => {
                write!(f, "series already has its {planned} planned sessions")
            }
            Self::BeforeSeriesStart { started_on, date } => write!(
                f,
                "dated before the series started ({started_on}): saving moves its start to {date}"
            ),
            Self::LongAgo { date } => write!(
                f,
                "dated {date}, more than {LONG_AGO_YEARS} years ago: check the year"
            ),
            Self::OnlyDate => {
                f.write_str("only the date is recorded (nothing entered beyond the defaults)")
            }
            Self::Isotretinoin {
                last_dose: Some(d),
                clear_from: Some(c),
            } => {
                write!(
                    f,
                    "isotretinoin: last dose {d}, inside the practice's window (clear from {c})"
                )
            }
            Self::Isotretinoin { .. } => write!(f, "isotretinoin: date of last dose unknown"),
            Self::Screening { kind } => write!(f, "screening: {}", kind.label()),
            Self::DepthOutsideHint { zone, depth, hint } => {
                write!(
                    f,
                    "depth {depth} mm on {} is outside the usual {hint}",
                    zone.label()
                )
            }
            Self::NoConsent => f.write_str("no signed consent on file"),
        }
    }
}
