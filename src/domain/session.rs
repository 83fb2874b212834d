//! One treatment session: parameters, observations, follow-up and scores.

use super::acknowledged::Acknowledged;
pub use super::adverse::{AdverseEvent, AdverseKind};
use super::measures::{Days, Depth};
use super::pre_check::PreCheck;
use super::scales::{
    DurationMinutes, Edema, Erythema, Gais, NumbingMinutes, OutcomeScale, Pain, Passes,
    Satisfaction, ValidationError, check_score,
};
use super::zones::Zone;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Redness for longer than this many days is prolonged erythema.
pub const PROLONGED_REDNESS_DAYS: u8 = 7;

pub use super::scales::SHORT_TEXT_MAX;
const NOTES_MAX: usize = super::client::TEXT_MAX_CHARS;

/// Observations reported after the session, usually at the next contact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Followup {
    pub recorded_on: Option<NaiveDate>,
    pub redness_days: Option<Days>,
    pub swelling_days: Option<Days>,
    pub peeling_days: Option<Days>,
    pub adverse_events: Vec<AdverseEvent>,
    /// Left out when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(length(max = NOTES_MAX))]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub notes: String,
}

/// Why a follow-up without any observation is not saved; short enough to
/// stand beside a form field on an 80-column terminal.
pub const NOTHING_TO_RECORD: &str = "nothing to record: add days, an event or a note";

impl Followup {
    /// The one meaning of "the follow-up is recorded": it holds at least one
    /// observation — days of redness, swelling or peeling, an adverse event,
    /// or a note. The date it was reported on is not an observation. The
    /// clients list's SQL (`db::schema`, "follow-up pending") mirrors this.
    pub fn is_recorded(&self) -> bool {
        self.redness_days.is_some()
            || self.swelling_days.is_some()
            || self.peeling_days.is_some()
            || !self.adverse_events.is_empty()
            || !self.notes.is_empty()
    }

    /// A follow-up report must say something: a date alone (or nothing) is
    /// refused rather than stored as if the follow-up had been done.
    pub fn check_report(&self) -> Result<(), ValidationError> {
        if self.is_recorded() {
            Ok(())
        } else {
            Err(ValidationError::invalid("follow-up", NOTHING_TO_RECORD))
        }
    }

    /// Redness reported for longer than `after_days` (the practice's
    /// threshold, [`super::Rules::prolonged_erythema_days`]).
    pub fn prolonged_redness(&self, after_days: u8) -> bool {
        self.redness_days
            .is_some_and(|d| u32::from(d.halves()) > 2 * u32::from(after_days))
    }

    /// Redness beyond the threshold counts as prolonged erythema, whether
    /// or not the practitioner ticked it.
    pub fn prolonged_erythema(&self, after_days: u8) -> bool {
        self.prolonged_redness(after_days) || self.ticked(AdverseKind::ProlongedErythema)
    }

    fn ticked(&self, kind: AdverseKind) -> bool {
        self.adverse_events.iter().any(|e| e.kind == kind)
    }

    /// Every adverse event reported, as a line of text ("acne flare",
    /// "other: itchy", with its course where one was recorded: "acne flare
    /// (moderate, 2026-11-03 → ongoing)"), and redness past `after_days`,
    /// which is one even when it was not ticked.
    pub fn adverse_texts(&self, after_days: u8) -> Vec<String> {
        let mut out: Vec<String> = self
            .adverse_events
            .iter()
            .map(|e| {
                let mut text = e.label();
                if !e.course_is_blank() {
                    text.push_str(&format!(" ({})", e.course_text()));
                }
                text
            })
            .collect();
        if self.prolonged_redness(after_days) && !self.ticked(AdverseKind::ProlongedErythema) {
            let days = self
                .redness_days
                .map_or_else(String::new, |d| d.to_string());
            out.push(format!("prolonged erythema (redness for {days} days)"));
        }
        out
    }
}

/// The full record of one session. Ranged fields carry their bounded types;
/// `validate` checks what a type cannot (the score against the series'
/// scale, text lengths, the follow-up against the session date).
///
/// Its stored fields are listed, with their SQL and CSV columns, in the
/// session table (`domain/tables.rs`); the JSON export's schema is derived
/// from this type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SessionDraft {
    /// Local date and time of the session (the practitioner's clock), to the minute.
    #[schemars(extend("pattern" = super::formats::MINUTE_PATTERN))]
    pub performed_at: NaiveDateTime,
    pub zones: Vec<Zone>,
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub device: String,
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub cartridge: String,
    pub depth_mm: Option<Depth>,
    /// Depth per zone where it differs from depth_mm; left out when empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub zone_depths: BTreeMap<Zone, Depth>,
    pub passes: Option<Passes>,
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub serum: String,
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub numbing: String,
    pub numbing_minutes: Option<NumbingMinutes>,
    pub duration_minutes: Option<DurationMinutes>,
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub endpoint: String,
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub cartridge_lot: String,
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub serum_lot: String,
    pub erythema: Option<Erythema>,
    pub edema: Option<Edema>,
    pub pain: Option<Pain>,
    /// On the series' outcome scale.
    #[schemars(range(min = OutcomeScale::ANY_SCORE.0, max = OutcomeScale::ANY_SCORE.1))]
    pub outcome_score: Option<u8>,
    pub gais_clinician: Option<Gais>,
    pub gais_client: Option<Gais>,
    pub satisfaction: Option<Satisfaction>,
    pub followup: Followup,
    /// Warnings shown when the session was saved, by code and parameters
    /// (older sessions: the sentence shown).
    pub acknowledged_warnings: Vec<Acknowledged>,
    #[schemars(length(max = NOTES_MAX))]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub notes: String,
    /// The pre-treatment check confirmed; null when not (and before it existed).
    #[serde(default)]
    pub pre_check: Option<PreCheck>,
    /// Antiviral prophylaxis for a cold-sore history: drug and dose (empty: none).
    #[serde(default)]
    #[schemars(length(max = SHORT_TEXT_MAX))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub antiviral: String,
    /// The day the antiviral was started (not after the session).
    #[serde(default)]
    pub antiviral_from: Option<NaiveDate>,
}

impl SessionDraft {
    /// A session at `at` with nothing else filled in.
    pub fn at(performed_at: NaiveDateTime) -> Self {
        Self {
            performed_at,
            zones: Vec::new(),
            device: String::new(),
            cartridge: String::new(),
            depth_mm: None,
            zone_depths: BTreeMap::new(),
            passes: None,
            serum: String::new(),
            numbing: String::new(),
            numbing_minutes: None,
            duration_minutes: None,
            endpoint: String::new(),
            cartridge_lot: String::new(),
            serum_lot: String::new(),
            erythema: None,
            edema: None,
            pain: None,
            outcome_score: None,
            gais_clinician: None,
            gais_client: None,
            satisfaction: None,
            followup: Followup::default(),
            acknowledged_warnings: Vec::new(),
            notes: String::new(),
            pre_check: None,
            antiviral: String::new(),
            antiviral_from: None,
        }
    }

    /// Checks what the field types cannot and returns the cleaned record.
    pub fn validate(
        &self,
        scale: OutcomeScale,
        now: NaiveDateTime,
    ) -> Result<SessionDraft, Vec<ValidationError>> {
        let errors = self.problems(scale, now);
        if errors.is_empty() {
            Ok(self.normalised())
        } else {
            Err(errors)
        }
    }

    /// Every value that cannot be stored, each naming its field.
    fn problems(&self, scale: OutcomeScale, now: NaiveDateTime) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        if let Some(score) = self.outcome_score
            && let Err(e) = check_score("outcome score", scale, i64::from(score))
        {
            errors.push(e);
        }
        // A session may be entered a little ahead (clock skew, booking in
        // the room) but not days into the future.
        if self.performed_at > now + chrono::Duration::days(1) {
            errors.push(ValidationError::invalid(
                "date",
                "cannot be more than a day in the future",
            ));
        }
        for (field, text) in [
            ("device", &self.device),
            ("cartridge", &self.cartridge),
            ("serum", &self.serum),
            ("numbing", &self.numbing),
            ("endpoint", &self.endpoint),
            ("cartridge lot", &self.cartridge_lot),
            ("serum lot", &self.serum_lot),
            ("antiviral", &self.antiviral),
        ] {
            if let Some(e) = super::text::line_problem(field, text) {
                errors.push(e);
            } else if text.chars().count() > SHORT_TEXT_MAX {
                errors.push(ValidationError::invalid(
                    field,
                    format!("one line of at most {SHORT_TEXT_MAX} characters"),
                ));
            }
        }
        if self.notes.chars().count() > NOTES_MAX || self.followup.notes.chars().count() > NOTES_MAX
        {
            errors.push(ValidationError::invalid(
                "notes",
                format!("at most {NOTES_MAX} characters"),
            ));
        }
        errors.extend(super::text::text_problem("notes", &self.notes));
        errors.extend(super::text::text_problem(
            "follow-up notes",
            &self.followup.notes,
        ));
        for e in &self.followup.adverse_events {
            errors.extend(super::text::text_problem("adverse events", &e.note));
        }
        if let Some(on) = self.followup.recorded_on
            && on < self.performed_at.date()
        {
            errors.push(ValidationError::invalid(
                "follow-up date",
                "cannot be before the session",
            ));
        }
        errors.extend(self.antiviral_problem());
        if self
            .followup
            .adverse_events
            .iter()
            .any(|e| e.kind == AdverseKind::Other && e.note.trim().is_empty())
        {
            errors.push(ValidationError::invalid(
                "adverse events",
                "'other' needs a description",
            ));
        }
        for e in &self.followup.adverse_events {
            errors.extend(e.course_problems(self.performed_at.date(), now.date()));
        }
        errors
    }

    /// A start date needs its drug, and prophylaxis starts on the day of
    /// the session at the latest (a later date is a typo).
    fn antiviral_problem(&self) -> Option<ValidationError> {
        let from = self.antiviral_from?;
        if self.antiviral.trim().is_empty() {
            return Some(ValidationError::invalid(
                "antiviral",
                "name the drug the start date is for",
            ));
        }
        (from > self.performed_at.date()).then(|| {
            ValidationError::invalid("antiviral from", "cannot be after the session's day")
        })
    }

    /// The record as stored: to the minute, zones and adverse events in
    /// order and once, text trimmed.
    fn normalised(&self) -> SessionDraft {
        let mut clean = self.clone();
        // Sessions are kept to the minute; a default of "now" carries seconds
        // that the record would otherwise silently lose on the way to the file.
        clean.performed_at = self
            .performed_at
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(self.performed_at);
        clean.zones.sort();
        clean.zones.dedup();
        for t in [
            &mut clean.device,
            &mut clean.cartridge,
            &mut clean.serum,
            &mut clean.numbing,
            &mut clean.endpoint,
            &mut clean.cartridge_lot,
            &mut clean.serum_lot,
            &mut clean.antiviral,
        ] {
            *t = t.trim().to_string();
        }
        clean.notes = clean.notes.trim_end().to_string();
        // Blank follow-up notes are no note: they must not count as recorded.
        clean.followup.notes = clean.followup.notes.trim_end().to_string();
        for e in &mut clean.followup.adverse_events {
            e.action = e.action.trim().to_string();
        }
        clean.followup.adverse_events.sort_by_key(|e| e.kind);
        clean
            .followup
            .adverse_events
            .dedup_by(|a, b| a.kind == b.kind && a.kind != AdverseKind::Other);
        clean
    }

    /// The depth in mm without the unit, as screens and reports show it:
    /// the session's depth, then each zone treated at another depth
    /// ("1.5; cheeks 2.0"). Empty when no depth was recorded.
    pub fn depth_text(&self) -> String {
        let mut parts: Vec<String> = self.depth_mm.iter().map(ToString::to_string).collect();
        parts.extend(
            self.zone_depths
                .iter()
                .map(|(z, x)| format!("{} {x}", z.label())),
        );
        parts.join("; ")
    }

    /// The depth used on `zone`: its own where recorded, else the session's.
    pub fn depth_for(&self, zone: Zone) -> Option<Depth> {
        self.zone_depths.get(&zone).copied().or(self.depth_mm)
    }
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Session {
    #[serde(skip)]
    pub id: i64,
    pub uuid: Uuid,
    #[serde(skip)]
    pub series_id: i64,
    #[serde(flatten)]
    pub data: SessionDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_date_is_all_a_session_needs() {
        let d = SessionDraft::at(at("2026-11-21 10:00"));
        assert!(
            d.validate(OutcomeScale::GoodmanBaron, at("2026-11-21 10:05"))
                .is_ok()
        );
    }

    #[test]
    fn score_is_checked_against_the_series_scale() {
        let mut d = SessionDraft::at(at("2026-11-21 10:00"));
        d.outcome_score = Some(0);
        let now = at("2026-11-21 11:00");
        assert_eq!(
            d.validate(OutcomeScale::GoodmanBaron, now).unwrap_err()[0].field(),
            "outcome score"
        );
        assert!(d.validate(OutcomeScale::Lemperle, now).is_ok());
        d.outcome_score = Some(6);
        assert!(d.validate(OutcomeScale::Lemperle, now).is_err());
        assert!(d.validate(OutcomeScale::Severity, now).is_ok());
    }

    #[test]
    fn future_and_inconsistent_dates_are_refused() {
        let mut d = SessionDraft::at(at("2026-11-23 10:00"));
        assert!(
            d.validate(OutcomeScale::Severity, at("2026-11-21 10:00"))
                .is_err()
        );
        d.performed_at = at("2026-11-21 10:00");
        d.followup.recorded_on = NaiveDate::from_ymd_opt(2026, 11, 20);
        assert_eq!(
            d.validate(OutcomeScale::Severity, at("2026-11-21 12:00"))
                .unwrap_err()[0]
                .field(),
            "follow-up date"
        );
    }

    #[test]
    fn other_adverse_event_needs_text() {
        let mut d = SessionDraft::at(at("2026-11-21 10:00"));
        d.followup
            .adverse_events
            .push(AdverseEvent::noted(AdverseKind::Other, " "));
        assert!(
            d.validate(OutcomeScale::Severity, at("2026-11-21 12:00"))
                .is_err()
        );
        d.followup.adverse_events[0].note = "itching".into();
        assert!(
            d.validate(OutcomeScale::Severity, at("2026-11-21 12:00"))
                .is_ok()
        );
    }

    #[test]
    fn a_report_date_alone_is_not_a_recorded_followup() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 21);
        let dated = Followup {
            recorded_on: on,
            ..Followup::default()
        };
        assert!(!Followup::default().is_recorded());
        assert!(!dated.is_recorded());
        assert_eq!(
            dated.check_report().unwrap_err().to_string(),
            format!("follow-up: {NOTHING_TO_RECORD}")
        );
        let days = Some(Days::parse("d", "1").unwrap());
        let event = vec![AdverseEvent::new(AdverseKind::AcneFlare)];
        for f in [
            Followup {
                redness_days: days,
                ..dated.clone()
            },
            Followup {
                swelling_days: days,
                ..dated.clone()
            },
            Followup {
                peeling_days: days,
                ..dated.clone()
            },
            Followup {
                adverse_events: event,
                ..dated.clone()
            },
            Followup {
                notes: "settled by day two".into(),
                ..Followup::default()
            },
        ] {
            assert!(f.is_recorded(), "{f:?}");
            assert!(f.check_report().is_ok());
        }
    }

    #[test]
    fn blank_followup_notes_are_no_note() {
        let mut d = SessionDraft::at(at("2026-11-21 10:00"));
        d.followup.notes = " \n ".into();
        let clean = d
            .validate(OutcomeScale::Severity, at("2026-11-21 12:00"))
            .unwrap();
        assert!(!clean.followup.is_recorded());
    }

    #[test]
    fn prolonged_erythema_past_seven_days() {
        let mut f = Followup {
            redness_days: Some(Days::parse("r", "7").unwrap()),
            ..Followup::default()
        };
        assert!(!f.prolonged_erythema(7));
        f.redness_days = Some(Days::parse("r", "7.5").unwrap());
        assert!(f.prolonged_erythema(7));
        assert!(f.prolonged_redness(7));
    }

    #[test]
    fn the_prolonged_erythema_threshold_is_the_practice_s() {
        let f = Followup {
            redness_days: Some(Days::parse("r", "5").unwrap()),
            ..Followup::default()
        };
        assert!(!f.prolonged_erythema(7) && f.adverse_texts(7).is_empty());
        assert!(f.prolonged_erythema(4));
        assert_eq!(
            f.adverse_texts(4),
            ["prolonged erythema (redness for 5 days)"]
        );
        assert!(!f.prolonged_redness(5));
    }

    #[test]
    fn adverse_texts_name_untick_prolonged_redness_once() {
        let mut f = Followup {
            redness_days: Some(Days::parse("r", "8").unwrap()),
            adverse_events: vec![AdverseEvent::noted(AdverseKind::Other, "itchy")],
            ..Followup::default()
        };
        assert_eq!(
            f.adverse_texts(7),
            ["other: itchy", "prolonged erythema (redness for 8 days)"]
        );
        f.adverse_events
            .push(AdverseEvent::new(AdverseKind::ProlongedErythema));
        assert_eq!(f.adverse_texts(7), ["other: itchy", "prolonged erythema"]);
        // A ticked prolonged erythema without the days is not redness past a week.
        f.redness_days = None;
        assert!(!f.prolonged_redness(7) && f.prolonged_erythema(7));
    }

    #[test]
    fn zone_depth_overrides_session_depth() {
        let mut d = SessionDraft::at(at("2026-11-21 10:00"));
        d.depth_mm = Some(Depth::parse("depth", "1.0").unwrap());
        d.zone_depths
            .insert(Zone::Periorbital, Depth::parse("depth", "0.25").unwrap());
        assert_eq!(d.depth_for(Zone::Periorbital).unwrap().to_string(), "0.25");
        assert_eq!(d.depth_for(Zone::Cheeks).unwrap().to_string(), "1.0");
    }
}
