//! Why and when a series was closed before its planned sessions were done.

use super::client::TEXT_MAX_CHARS;
use super::codes::coded;
use super::scales::ValidationError;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CloseReason {
    // The result was reached before the planned sessions.
    #[strum(message = "completed early")]
    CompletedEarly,
    #[strum(message = "discontinued by the client")]
    DiscontinuedByClient,
    #[strum(message = "adverse event")]
    AdverseEvent,
    // Said in the note.
    #[strum(message = "other")]
    Other,
}

coded!(CloseReason, labelled);

/// How a series ended early. Empty while the series runs, and for a series
/// closed before reasons were recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Closure {
    /// The day it was closed.
    pub closed_on: Option<NaiveDate>,
    pub reason: Option<CloseReason>,
    /// What happened; required for "other".
    #[schemars(length(max = TEXT_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub note: String,
}

impl Closure {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Closed on `on` for `reason`; the note is trimmed.
    pub fn new(on: NaiveDate, reason: CloseReason, note: &str) -> Self {
        Self {
            closed_on: Some(on),
            reason: Some(reason),
            note: note.trim().to_string(),
        }
    }

    /// The problems with a closure of a series that is `closed` (or not).
    pub fn check(&self, closed: bool, errors: &mut Vec<ValidationError>) {
        if !closed && !self.is_empty() {
            errors.push(ValidationError::invalid(
                "close reason",
                "only a closed series has a closing reason",
            ));
        }
        if self.reason == Some(CloseReason::Other) && self.note.trim().is_empty() {
            errors.push(ValidationError::invalid(
                "close note",
                "say what happened (the reason is \"other\")",
            ));
        }
        if self.note.chars().count() > TEXT_MAX_CHARS {
            errors.push(ValidationError::invalid(
                "close note",
                format!("at most {TEXT_MAX_CHARS} characters"),
            ));
        }
        errors.extend(super::text::text_problem("close note", &self.note));
    }

    /// "closed 2026-11-30: discontinued by the client (moved away)".
    pub fn describe(&self) -> String {
        let mut out = String::from("closed");
        if let Some(on) = self.closed_on {
            out += &format!(" {on}");
        }
        if let Some(reason) = self.reason {
            out += &format!(": {}", reason.label());
        }
        if !self.note.is_empty() {
            out += &format!(" ({})", self.note);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn codes_are_stable() {
        let codes: Vec<&str> = CloseReason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(
            codes,
            [
                "completed_early",
                "discontinued_by_client",
                "adverse_event",
                "other"
            ]
        );
    }

    #[test]
    fn other_needs_a_note_and_an_active_series_none() {
        let check = |c: &Closure, closed: bool| {
            let mut e = Vec::new();
            c.check(closed, &mut e);
            e.iter().map(|e| e.field()).collect::<Vec<_>>()
        };
        assert_eq!(
            check(&Closure::new(day(), CloseReason::Other, " "), true),
            ["close note"]
        );
        assert!(check(&Closure::new(day(), CloseReason::Other, "moved"), true).is_empty());
        assert!(check(&Closure::new(day(), CloseReason::AdverseEvent, ""), true).is_empty());
        assert_eq!(
            check(&Closure::new(day(), CloseReason::CompletedEarly, ""), false),
            ["close reason"]
        );
        assert!(check(&Closure::default(), false).is_empty());
        assert!(
            check(&Closure::default(), true).is_empty(),
            "closed before reasons existed"
        );
    }

    #[test]
    fn described_for_screens() {
        let c = Closure::new(day(), CloseReason::DiscontinuedByClient, "moved away");
        assert_eq!(
            c.describe(),
            "closed 2026-11-30: discontinued by the client (moved away)"
        );
        assert_eq!(Closure::default().describe(), "closed");
    }
}
