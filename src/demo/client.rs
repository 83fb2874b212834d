//! A demo client's file: who they are, their skin, and what screening,
//! allergies and medications are on file — each plausible for the client
//! and dated so that the sessions make sense (history noted at intake, a
//! pregnancy or an active infection noted after the last session: the
//! series waits).

use super::session::Skin;
use super::words::{ALLERGIES, FEMALE_FIRST, LAST, MALE_FIRST};
use super::{Gen, minus, plus};
use crate::domain::{ClientDraft, Fitzpatrick, Glogau, ScreeningItem, ScreeningKind};
use chrono::{Datelike, Months, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

/// A new client as taken in, before their sessions: the screening item,
/// if any, is dated once the sessions are known.
pub(super) struct Intake {
    pub draft: ClientDraft,
    pub skin: Skin,
    pub screening: Option<ScreeningKind>,
}

/// The Glogau types that fit an age (DOMAIN.md: I in the 20s, II in the
/// 30s–40s, III from the 50s, IV from the 60s; loosely at the edges).
pub(super) fn glogau_for(age: u32) -> &'static [Glogau] {
    use Glogau::*;
    match age {
        0..30 => &[I],
        30..40 => &[I, II],
        40..50 => &[II],
        50..60 => &[II, III],
        _ => &[III, IV],
    }
}

/// Youngest and oldest age at which a demo client may be pregnant or
/// breastfeeding.
const CHILDBEARING: std::ops::RangeInclusive<u32> = 18..=44;

impl Gen {
    /// Client number `i` as taken in.
    pub(super) fn intake(&mut self, i: usize) -> Intake {
        let today = self.today;
        let rng = &mut self.rng;
        let female = rng.random_bool(0.8);
        let names = if female { FEMALE_FIRST } else { MALE_FIRST };
        let first = names.choose(rng).copied().unwrap_or("Ana");
        let last = LAST.choose(rng).copied().unwrap_or("Souza");
        let mut c = ClientDraft::named(&format!("{first} {last}"));
        let age = rng.random_range(22..=64);
        c.date_of_birth = NaiveDate::from_ymd_opt(
            today.year() - age,
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        );
        let age = c
            .date_of_birth
            .and_then(|b| today.years_since(b))
            .unwrap_or(40);
        c.phone = format!(
            "+44 7{:03} {:06}",
            rng.random_range(100..1000),
            (i * 7919 + 12345) % 1_000_000
        );
        c.email = if rng.random_bool(0.8) {
            format!("client{i}@example.org")
        } else {
            String::new()
        };
        let fitz = *[1, 2, 2, 3, 3, 3, 4, 4, 5, 6].choose(rng).unwrap_or(&3);
        c.fitzpatrick = Fitzpatrick::from_number(fitz).ok();
        if rng.random_bool(0.6) {
            c.glogau = glogau_for(age).choose(rng).copied();
        }
        let screening = rng.random_bool(0.12).then(|| {
            let kind = *[
                ScreeningKind::Isotretinoin,
                ScreeningKind::ColdSores,
                ScreeningKind::KeloidHistory,
                ScreeningKind::Anticoagulants,
                ScreeningKind::PregnancyBreastfeeding,
                ScreeningKind::EczemaPsoriasis,
                ScreeningKind::DiabetesAutoimmune,
                ScreeningKind::ActiveInfection,
            ]
            .choose(rng)
            .unwrap_or(&ScreeningKind::ColdSores);
            // Pregnancy only for a woman of childbearing age.
            let plausible = female && CHILDBEARING.contains(&age);
            if kind == ScreeningKind::PregnancyBreastfeeding && !plausible {
                ScreeningKind::ColdSores
            } else {
                kind
            }
        });
        if rng.random_bool(0.15) {
            c.allergies = ALLERGIES.choose(rng).copied().unwrap_or("").into();
        }
        c.medications = match screening {
            Some(ScreeningKind::Anticoagulants) => "aspirin 75 mg daily".into(),
            Some(ScreeningKind::PregnancyBreastfeeding) => "prenatal vitamins".into(),
            _ if rng.random_bool(0.1) => {
                let options: &[&str] = if female {
                    &[
                        "levothyroxine",
                        "oral contraceptive",
                        "spironolactone",
                        "tretinoin 0.025% cream at night",
                    ]
                } else {
                    &["levothyroxine", "tretinoin 0.025% cream at night"]
                };
                options.choose(rng).copied().unwrap_or("").into()
            }
            _ => String::new(),
        };
        let skin = Skin {
            fitz: c.fitzpatrick,
            reactivity: rng.random_range(85..=115),
            allergies: c.allergies.clone(),
        };
        Intake {
            draft: c,
            skin,
            screening,
        }
    }

    /// The screening item for `kind`, dated: a history on the day the
    /// client was taken in (`intake`); the last isotretinoin dose well
    /// before the first session (`first`), so no session falls inside the
    /// window; a state of the day (pregnancy, an active infection) after
    /// the last session (`last`), so the series waits for it.
    pub(super) fn screening_item(
        &mut self,
        kind: ScreeningKind,
        intake: NaiveDate,
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
    ) -> ScreeningItem {
        let rng = &mut self.rng;
        let today = self.today;
        let (date, note) = match kind {
            ScreeningKind::Isotretinoin => {
                let window = self.rules.isotretinoin_months;
                let (from, months) = match first {
                    Some(f) => (f, window + rng.random_range(1..=24)),
                    // Not needled yet: the last dose may be recent.
                    None => (today, rng.random_range(1..=12)),
                };
                (from.checked_sub_months(Months::new(months)), "")
            }
            k if k.is_current_state() => {
                let noted = match last {
                    Some(l) => plus(l, rng.random_range(1..=(today - l).num_days().clamp(1, 60))),
                    None => minus(today, rng.random_range(0..=60)),
                };
                (Some(noted.min(today)), "")
            }
            ScreeningKind::ColdSores => (Some(intake), "antiviral cover discussed"),
            ScreeningKind::Anticoagulants => (Some(intake), "low-dose aspirin"),
            _ => (Some(intake), ""),
        };
        ScreeningItem {
            kind,
            date,
            note: note.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glogau_follows_age() {
        assert_eq!(glogau_for(29), [Glogau::I]);
        assert_eq!(glogau_for(45), [Glogau::II]);
        assert!(glogau_for(61).contains(&Glogau::IV));
        assert!(!glogau_for(59).contains(&Glogau::IV));
    }
}
