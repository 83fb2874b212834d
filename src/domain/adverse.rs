//! Adverse events reported after a session, and their course: how severe,
//! when it began, when it resolved (or that it has not), what was done.
//!
//! One rule, used by the forms, the warnings, the screens and (mirrored in
//! SQL) the home list: an event is *ongoing* when its onset is recorded and
//! it has no resolved date. An event without an onset (recorded before
//! courses existed, or left blank) has an unknown course and is not ongoing.

use super::codes::coded;
use super::scales::{SHORT_TEXT_MAX, ValidationError};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AdverseKind {
    /// Redness lasting more than a week.
    #[strum(message = "prolonged erythema")]
    ProlongedErythema,
    /// Post-inflammatory hyperpigmentation.
    #[strum(message = "hyperpigmentation (PIH)")]
    Pih,
    #[strum(message = "acne flare")]
    AcneFlare,
    #[strum(message = "infection")]
    Infection,
    #[strum(message = "allergic reaction")]
    AllergicReaction,
    #[strum(message = "cold-sore outbreak")]
    ColdSoreOutbreak,
    #[strum(message = "tram-track marks")]
    TramTrack,
    #[strum(message = "hypertrophic scarring / keloid")]
    HypertrophicScarring,
    /// Granulomas, reported after needling with non-sterile topical products.
    #[strum(message = "granulomatous reaction")]
    GranulomatousReaction,
    #[strum(message = "milia")]
    Milia,
    #[strum(message = "contact dermatitis")]
    ContactDermatitis,
    /// Swollen lymph nodes near the treated area.
    #[strum(message = "lymphadenopathy")]
    Lymphadenopathy,
    #[strum(message = "other")]
    Other,
}

coded!(AdverseKind, labelled);

/// How severe an adverse event was, as the practitioner judged it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Severity {
    #[strum(message = "mild")]
    Mild,
    #[strum(message = "moderate")]
    Moderate,
    #[strum(message = "severe")]
    Severe,
}

coded!(Severity, labelled);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AdverseEvent {
    pub kind: AdverseKind,
    /// Required (non-empty) for kind other; left out when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub note: String,
    /// Left out when not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The day it began; left out when not recorded (the course is then
    /// unknown, and the event is not counted as ongoing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset: Option<NaiveDate>,
    /// The day it resolved; left out while it is ongoing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_on: Option<NaiveDate>,
    /// What was done about it; left out when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub action: String,
}

/// Where an adverse event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Course {
    /// No onset recorded: recorded before courses existed, or left blank.
    NotRecorded,
    Ongoing {
        since: NaiveDate,
    },
    Resolved {
        onset: NaiveDate,
        on: NaiveDate,
    },
}

impl AdverseEvent {
    /// An event of `kind` with nothing else recorded.
    pub fn new(kind: AdverseKind) -> Self {
        Self::noted(kind, "")
    }

    /// An event of `kind` described by `note`, its course not recorded.
    pub fn noted(kind: AdverseKind, note: impl Into<String>) -> Self {
        Self {
            kind,
            note: note.into(),
            severity: None,
            onset: None,
            resolved_on: None,
            action: String::new(),
        }
    }

    /// Where the event stands: the one definition of "ongoing".
    pub fn course(&self) -> Course {
        match (self.onset, self.resolved_on) {
            (Some(since), None) => Course::Ongoing { since },
            (Some(onset), Some(on)) => Course::Resolved { onset, on },
            (None, _) => Course::NotRecorded,
        }
    }

    pub fn is_ongoing(&self) -> bool {
        matches!(self.course(), Course::Ongoing { .. })
    }

    /// "acne flare" or "other: itchy", as screens and reports name it.
    pub fn label(&self) -> String {
        if self.note.is_empty() {
            self.kind.label().to_string()
        } else {
            format!("{}: {}", self.kind.label(), self.note)
        }
    }

    /// The course in words: "moderate, 2026-11-03 → ongoing, action:
    /// antibiotic", "mild, 2026-11-03 → 2026-11-10" or "course not recorded".
    pub fn course_text(&self) -> String {
        let mut parts: Vec<String> = self.severity.iter().map(|s| s.label().into()).collect();
        parts.push(match self.course() {
            Course::NotRecorded => "course not recorded".into(),
            Course::Ongoing { since } => format!("{since} → ongoing"),
            Course::Resolved { onset, on } => format!("{onset} → {on}"),
        });
        if !self.action.is_empty() {
            parts.push(format!("action: {}", self.action));
        }
        parts.join(", ")
    }

    /// Nothing of the course was recorded (an event as older versions kept it).
    pub fn course_is_blank(&self) -> bool {
        self.severity.is_none()
            && self.onset.is_none()
            && self.resolved_on.is_none()
            && self.action.is_empty()
    }

    /// What cannot be stored about the course of an event that followed a
    /// session on `session_day`, each naming its field ("onset", "resolved
    /// on", "action taken"): an onset before the session, a resolved date
    /// without an onset or before it, either after `today`, an action that
    /// is not one short line.
    pub fn course_problems(
        &self,
        session_day: NaiveDate,
        today: NaiveDate,
    ) -> Vec<ValidationError> {
        let mut out = Vec::new();
        if let Some(onset) = self.onset {
            if onset < session_day {
                out.push(ValidationError::invalid(
                    "onset",
                    "cannot be before the session",
                ));
            } else if onset > today {
                out.push(ValidationError::invalid("onset", "cannot be in the future"));
            }
        }
        if let Some(on) = self.resolved_on {
            match self.onset {
                None => out.push(ValidationError::invalid(
                    "resolved on",
                    "record the onset too",
                )),
                Some(onset) if on < onset => out.push(ValidationError::invalid(
                    "resolved on",
                    "cannot be before the onset",
                )),
                _ if on > today => out.push(ValidationError::invalid(
                    "resolved on",
                    "cannot be in the future",
                )),
                _ => {}
            }
        }
        if let Some(e) = super::text::line_problem("action taken", &self.action) {
            out.push(e);
        } else if self.action.chars().count() > SHORT_TEXT_MAX {
            out.push(ValidationError::invalid(
                "action taken",
                format!("one line of at most {SHORT_TEXT_MAX} characters"),
            ));
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// An acne flare with the course given.
    pub(crate) fn event(onset: Option<NaiveDate>, resolved: Option<NaiveDate>) -> AdverseEvent {
        AdverseEvent {
            onset,
            resolved_on: resolved,
            ..AdverseEvent::new(AdverseKind::AcneFlare)
        }
    }

    #[test]
    fn ongoing_needs_an_onset_and_no_resolved_date() {
        assert!(event(Some(d(11, 3)), None).is_ongoing());
        assert!(!event(Some(d(11, 3)), Some(d(11, 3))).is_ongoing());
        assert!(!event(None, None).is_ongoing(), "course unknown");
        assert_eq!(event(None, None).course(), Course::NotRecorded);
        assert_eq!(
            event(Some(d(11, 3)), Some(d(11, 9))).course(),
            Course::Resolved {
                onset: d(11, 3),
                on: d(11, 9)
            }
        );
    }

    #[test]
    fn course_dates_are_checked_at_their_boundaries() {
        let (session, today) = (d(11, 1), d(11, 20));
        let fields = |e: &AdverseEvent| -> Vec<&'static str> {
            e.course_problems(session, today)
                .iter()
                .map(ValidationError::field)
                .collect()
        };
        assert!(fields(&event(Some(session), Some(session))).is_empty());
        assert!(fields(&event(Some(today), Some(today))).is_empty());
        assert_eq!(fields(&event(Some(d(10, 31)), None)), ["onset"]);
        assert_eq!(fields(&event(Some(d(11, 21)), None)), ["onset"]);
        assert_eq!(
            fields(&event(Some(d(11, 5)), Some(d(11, 4)))),
            ["resolved on"]
        );
        assert_eq!(
            fields(&event(Some(d(11, 5)), Some(d(11, 21)))),
            ["resolved on"]
        );
        assert_eq!(fields(&event(None, Some(d(11, 5)))), ["resolved on"]);
        let mut long = event(None, None);
        long.action = "x".repeat(SHORT_TEXT_MAX);
        assert!(fields(&long).is_empty());
        long.action.push('x');
        assert_eq!(fields(&long), ["action taken"]);
        long.action = "line\nbreak".into();
        assert_eq!(fields(&long), ["action taken"]);
    }

    #[test]
    fn the_course_reads_as_words() {
        let mut e = event(Some(d(11, 3)), None);
        e.severity = Some(Severity::Moderate);
        e.action = "topical antibiotic".into();
        assert_eq!(
            e.course_text(),
            "moderate, 2026-11-03 → ongoing, action: topical antibiotic"
        );
        assert_eq!(
            event(Some(d(11, 3)), Some(d(11, 9))).course_text(),
            "2026-11-03 → 2026-11-09"
        );
        assert_eq!(event(None, None).course_text(), "course not recorded");
        assert!(event(None, None).course_is_blank() && !e.course_is_blank());
    }

    #[test]
    fn old_events_read_back_and_write_as_before() {
        let old: AdverseEvent = serde_json::from_str(r#"{"kind":"pih"}"#).unwrap();
        assert_eq!(old, AdverseEvent::new(AdverseKind::Pih));
        assert_eq!(serde_json::to_string(&old).unwrap(), r#"{"kind":"pih"}"#);
    }
}
