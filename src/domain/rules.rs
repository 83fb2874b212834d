//! The practice's clinical thresholds. Guidance varies between clinics, so
//! each is a setting (`[rules]` in the settings file); `Rules::default()`
//! holds the published values from DOMAIN.md. The checks take a `Rules` as
//! input and never read a file themselves.

use super::concern::Concern;
use super::scales::OutcomeScale;
use super::series::{INTERVAL_DEFAULT, PLANNED_DEFAULT, SeriesDraft};
use super::zones::{DepthHint, Zone, builtin_depth_hint};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Clinical thresholds the warnings, hints and flags use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Months after the last isotretinoin dose during which needling warns.
    pub isotretinoin_months: u32,
    /// Days retinoids, AHAs and hydroquinone are paused before a session.
    pub pause_days: u32,
    /// Days after a peel, laser, filler or toxin during which the
    /// pre-treatment check asks about it ("a recent procedure").
    pub recent_procedure_days: u32,
    /// Redness reported for more than this many days is prolonged erythema.
    pub prolonged_erythema_days: u8,
    /// Months between maintenance sessions after a completed series.
    pub maintenance_months: u32,
    /// Minutes without a key before an encrypted database locks; 0 never.
    pub idle_lock_minutes: u32,
    /// Months a signed consent stays valid before it is renewed.
    pub consent_renewal_months: u32,
    /// Words and phrases that make a serum a caution (e.g. "vitamin c"):
    /// matched as whole words, ignoring case and accents.
    pub serum_cautions: Vec<String>,
    /// Depth hints that replace the built-in ones, per zone.
    pub depth: BTreeMap<Zone, DepthHint>,
    /// Depth hints for a series treating acne scars, per zone; they take
    /// precedence over `depth` for such a series.
    pub acne_scar_depth: BTreeMap<Zone, DepthHint>,
}

pub const ISOTRETINOIN_MONTHS_DEFAULT: u32 = 6;
pub const PAUSE_DAYS_DEFAULT: u32 = 7;
pub const RECENT_PROCEDURE_DAYS_DEFAULT: u32 = 14;
pub const PROLONGED_ERYTHEMA_DAYS_DEFAULT: u8 = 7;
pub const MAINTENANCE_MONTHS_DEFAULT: u32 = 6;
pub const IDLE_LOCK_MINUTES_DEFAULT: u32 = 5;
pub const CONSENT_RENEWAL_MONTHS_DEFAULT: u32 = 12;
/// Topical products with reports of granulomas or irritation when needled
/// into the skin (DOMAIN.md, "Safety checks").
pub const SERUM_CAUTIONS_DEFAULT: &[&str] = &[
    "vitamin c",
    "ascorbic acid",
    "ascorbyl",
    "fragrance",
    "parfum",
    "perfume",
    "essential oil",
    "essential oils",
];

impl Default for Rules {
    fn default() -> Self {
        Self {
            isotretinoin_months: ISOTRETINOIN_MONTHS_DEFAULT,
            pause_days: PAUSE_DAYS_DEFAULT,
            recent_procedure_days: RECENT_PROCEDURE_DAYS_DEFAULT,
            prolonged_erythema_days: PROLONGED_ERYTHEMA_DAYS_DEFAULT,
            maintenance_months: MAINTENANCE_MONTHS_DEFAULT,
            idle_lock_minutes: IDLE_LOCK_MINUTES_DEFAULT,
            consent_renewal_months: CONSENT_RENEWAL_MONTHS_DEFAULT,
            serum_cautions: SERUM_CAUTIONS_DEFAULT
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
            depth: BTreeMap::new(),
            acne_scar_depth: BTreeMap::new(),
        }
    }
}

impl Rules {
    /// The usual depth for `zone` in a series treating `concern`: the
    /// practice's own hint where it set one, else the built-in one.
    pub fn depth_hint(&self, zone: Zone, concern: Option<Concern>) -> DepthHint {
        let acne = concern == Some(Concern::AcneScars);
        if acne && let Some(h) = self.acne_scar_depth.get(&zone) {
            return *h;
        }
        match self.depth.get(&zone) {
            // A general override never narrows the built-in acne-scar range.
            Some(h) if !(acne && ACNE_SCAR_ZONES.contains(&zone)) => *h,
            _ => builtin_depth_hint(zone, concern),
        }
    }

    /// Whether `halves` half-days of redness count as prolonged erythema.
    pub fn redness_is_prolonged(&self, halves: u8) -> bool {
        halves > 2 * self.prolonged_erythema_days
    }
}

/// The zones where a series for acne scars has a deeper built-in hint.
pub const ACNE_SCAR_ZONES: [Zone; 3] = [Zone::Cheeks, Zone::Chin, Zone::Jawline];

/// The plan a new series for a concern starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesPlan {
    pub planned_sessions: u8,
    pub interval_min_days: u8,
    pub interval_max_days: u8,
    pub outcome_scale: OutcomeScale,
}

impl SeriesPlan {
    /// A new series for `concern` starting on `started_on` with this plan.
    pub fn draft(self, concern: Concern, started_on: NaiveDate) -> SeriesDraft {
        SeriesDraft {
            planned_sessions: i64::from(self.planned_sessions),
            interval_min_days: i64::from(self.interval_min_days),
            interval_max_days: i64::from(self.interval_max_days),
            outcome_scale: self.outcome_scale,
            ..SeriesDraft::new(concern, started_on)
        }
    }
}

/// The published default series for a concern (DOMAIN.md).
pub fn builtin_series_plan(concern: Concern) -> SeriesPlan {
    let (planned, interval) = match concern {
        Concern::AcneScars => (4, INTERVAL_DEFAULT),
        Concern::StretchMarks => (6, INTERVAL_DEFAULT),
        Concern::FineLines | Concern::Wrinkles => (PLANNED_DEFAULT, (28, 35)),
        _ => (PLANNED_DEFAULT, INTERVAL_DEFAULT),
    };
    SeriesPlan {
        planned_sessions: planned,
        interval_min_days: interval.0,
        interval_max_days: interval.1,
        outcome_scale: concern.default_scale(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Depth;

    fn hint(min: &str, max: &str) -> DepthHint {
        DepthHint {
            min: Depth::parse("depth", min).unwrap(),
            max: Depth::parse("depth", max).unwrap(),
        }
    }

    #[test]
    fn overrides_replace_the_built_in_hints() {
        let mut r = Rules::default();
        assert_eq!(r.depth_hint(Zone::Neck, None).to_string(), "0.25–0.5 mm");
        r.depth.insert(Zone::Neck, hint("0.3", "0.6"));
        assert_eq!(r.depth_hint(Zone::Neck, None).to_string(), "0.3–0.6 mm");
        // Acne scars on the chin: the deeper range unless the practice set one.
        assert_eq!(
            r.depth_hint(Zone::Chin, Some(Concern::AcneScars))
                .to_string(),
            "0.5–2.0 mm"
        );
        r.acne_scar_depth.insert(Zone::Chin, hint("1", "1.5"));
        assert_eq!(
            r.depth_hint(Zone::Chin, Some(Concern::AcneScars))
                .to_string(),
            "1.0–1.5 mm"
        );
        assert_eq!(r.depth_hint(Zone::Chin, None).to_string(), "0.5–1.0 mm");
    }

    #[test]
    fn prolonged_redness_follows_the_threshold() {
        let mut r = Rules::default();
        assert!(!r.redness_is_prolonged(14) && r.redness_is_prolonged(15));
        r.prolonged_erythema_days = 3;
        assert!(r.redness_is_prolonged(7));
    }

    #[test]
    fn built_in_series_follow_the_published_defaults() {
        let acne = builtin_series_plan(Concern::AcneScars);
        assert_eq!(
            (acne.planned_sessions, acne.outcome_scale),
            (4, OutcomeScale::GoodmanBaron)
        );
        let lines = builtin_series_plan(Concern::FineLines);
        assert_eq!((lines.interval_min_days, lines.interval_max_days), (28, 35));
        assert_eq!(
            builtin_series_plan(Concern::StretchMarks).planned_sessions,
            6
        );
    }
}
