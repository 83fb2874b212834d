//! A series (course) of treatments for one concern.

use super::client::TEXT_MAX_CHARS;
use super::closure::Closure;
use super::codes::coded;
pub use super::concern::Concern;
use super::scales::{OutcomeScale, ValidationError, check_range, check_score};
use super::zones::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SeriesStatus {
    /// Sessions are still being booked.
    #[default]
    Active,
    /// Closed by the practitioner (planned sessions done, or ended early on purpose).
    Closed,
}

coded!(SeriesStatus);

pub const PLANNED_DEFAULT: u8 = 3;
pub const PLANNED_RANGE: (i64, i64) = (1, 12);
pub const INTERVAL_DEFAULT: (u8, u8) = (28, 42);
pub const INTERVAL_RANGE: (i64, i64) = (7, 120);

/// What a practitioner enters for a series; checked by [`SeriesDraft::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesDraft {
    pub concern: Concern,
    pub zones: Vec<Zone>,
    pub planned_sessions: i64,
    pub interval_min_days: i64,
    pub interval_max_days: i64,
    pub outcome_scale: OutcomeScale,
    pub baseline_score: Option<i64>,
    pub started_on: NaiveDate,
    pub status: SeriesStatus,
    pub notes: String,
    /// Why and when it was closed early (empty while it runs).
    #[serde(default)]
    pub closure: Closure,
}

impl From<&ValidSeries> for SeriesDraft {
    /// The draft a stored series was checked from: to edit it, or to check
    /// it again (an imported one).
    fn from(v: &ValidSeries) -> Self {
        Self {
            concern: v.concern,
            zones: v.zones.clone(),
            planned_sessions: i64::from(v.planned_sessions),
            interval_min_days: i64::from(v.interval_min_days),
            interval_max_days: i64::from(v.interval_max_days),
            outcome_scale: v.outcome_scale,
            baseline_score: v.baseline_score.map(i64::from),
            started_on: v.started_on,
            status: v.status,
            notes: v.notes.clone(),
            closure: v.closure.clone(),
        }
    }
}

impl SeriesDraft {
    /// A series with the defaults from the clinical guidance.
    pub fn new(concern: Concern, started_on: NaiveDate) -> Self {
        Self {
            concern,
            zones: Vec::new(),
            planned_sessions: i64::from(PLANNED_DEFAULT),
            interval_min_days: i64::from(INTERVAL_DEFAULT.0),
            interval_max_days: i64::from(INTERVAL_DEFAULT.1),
            outcome_scale: concern.default_scale(),
            baseline_score: None,
            started_on,
            status: SeriesStatus::Active,
            notes: String::new(),
            closure: Closure::default(),
        }
    }

    /// Every problem with the draft, one per field.
    pub fn validate(&self) -> Result<ValidSeries, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut in_range = |field, value, (min, max)| {
            check_range(field, value, min, max)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let planned = in_range("planned sessions", self.planned_sessions, PLANNED_RANGE);
        let min = in_range("interval min days", self.interval_min_days, INTERVAL_RANGE);
        let max = in_range("interval max days", self.interval_max_days, INTERVAL_RANGE);
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            errors.push(ValidationError::invalid(
                "interval max days",
                format!("must not be shorter than the minimum ({lo} days)"),
            ));
        }
        let baseline = match self.baseline_score {
            Some(v) => check_score("baseline score", self.outcome_scale, v)
                .map_err(|e| errors.push(e))
                .ok(),
            None => None,
        };
        self.closure
            .check(self.status == SeriesStatus::Closed, &mut errors);
        if self.notes.chars().count() > TEXT_MAX_CHARS {
            errors.push(ValidationError::invalid(
                "notes",
                format!("at most {TEXT_MAX_CHARS} characters"),
            ));
        }
        errors.extend(super::text::text_problem("notes", &self.notes));
        let mut zones = self.zones.clone();
        zones.sort();
        zones.dedup();
        match (planned, min, max, errors.is_empty()) {
            (Some(planned_sessions), Some(interval_min_days), Some(interval_max_days), true) => {
                Ok(ValidSeries {
                    concern: self.concern,
                    zones,
                    planned_sessions,
                    interval_min_days,
                    interval_max_days,
                    outcome_scale: self.outcome_scale,
                    baseline_score: baseline,
                    started_on: self.started_on,
                    status: self.status,
                    notes: self.notes.trim_end().to_string(),
                    closure: Closure {
                        note: self.closure.note.trim().to_string(),
                        ..self.closure.clone()
                    },
                })
            }
            _ => Err(errors),
        }
    }
}

/// A series whose every field is in range; only this goes to the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValidSeries {
    pub concern: Concern,
    pub zones: Vec<Zone>,
    #[schemars(range(min = PLANNED_RANGE.0, max = PLANNED_RANGE.1))]
    pub planned_sessions: u8,
    /// Days from the last session to when the next is due.
    #[schemars(range(min = INTERVAL_RANGE.0, max = INTERVAL_RANGE.1))]
    pub interval_min_days: u8,
    /// Days from the last session to when the next becomes overdue.
    #[schemars(range(min = INTERVAL_RANGE.0, max = INTERVAL_RANGE.1))]
    pub interval_max_days: u8,
    pub outcome_scale: OutcomeScale,
    /// On the series' outcome scale.
    #[schemars(range(min = OutcomeScale::ANY_SCORE.0, max = OutcomeScale::ANY_SCORE.1))]
    pub baseline_score: Option<u8>,
    pub started_on: NaiveDate,
    pub status: SeriesStatus,
    #[schemars(length(max = TEXT_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub notes: String,
    /// Why and when it was closed early; left out of exports while empty.
    #[serde(default, skip_serializing_if = "Closure::is_empty")]
    pub closure: Closure,
}

/// A stored series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Series {
    #[serde(skip)]
    pub id: i64,
    pub uuid: Uuid,
    #[serde(skip)]
    pub client_id: i64,
    #[serde(flatten)]
    pub data: ValidSeries,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SeriesDraft {
        SeriesDraft::new(
            Concern::AcneScars,
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        )
    }

    #[test]
    fn defaults_are_the_clinical_ones() {
        let s = draft().validate().unwrap();
        assert_eq!(
            (s.planned_sessions, s.interval_min_days, s.interval_max_days),
            (3, 28, 42)
        );
        assert_eq!(s.outcome_scale, OutcomeScale::GoodmanBaron);
        assert_eq!(Concern::Wrinkles.default_scale(), OutcomeScale::Lemperle);
        assert_eq!(
            Concern::StretchMarks.default_scale(),
            OutcomeScale::Severity
        );
    }

    #[test]
    fn planned_and_interval_bounds() {
        for (planned, ok) in [(0, false), (1, true), (12, true), (13, false)] {
            let mut d = draft();
            d.planned_sessions = planned;
            assert_eq!(d.validate().is_ok(), ok, "planned {planned}");
        }
        for (min, max, ok) in [
            (6, 42, false),
            (7, 7, true),
            (120, 120, true),
            (28, 121, false),
            (43, 42, false),
        ] {
            let mut d = draft();
            d.interval_min_days = min;
            d.interval_max_days = max;
            assert_eq!(d.validate().is_ok(), ok, "interval {min}-{max}");
        }
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut d = draft();
        d.planned_sessions = 0;
        d.interval_min_days = 200;
        d.baseline_score = Some(9);
        let fields: Vec<_> = d
            .validate()
            .unwrap_err()
            .iter()
            .map(|e| e.field())
            .collect();
        assert_eq!(
            fields,
            ["planned sessions", "interval min days", "baseline score"]
        );
    }

    #[test]
    fn zones_are_sorted_and_unique() {
        let mut d = draft();
        d.zones = vec![Zone::Chin, Zone::Cheeks, Zone::Chin];
        assert_eq!(d.validate().unwrap().zones, [Zone::Cheeks, Zone::Chin]);
    }
}
