//! A warning shown before a session is saved, by stable code and parameters,
//! and the sentence it reads as. The checks that raise them are in
//! `warnings`; a saved session records them as [`super::Acknowledged`].

use super::adverse::{AdverseKind, Severity};
use super::client::{Fitzpatrick, ScreeningKind};
use super::measures::Depth;
use super::pre_check::CurrentState;
use super::zones::{DepthHint, Zone};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Sessions dated further back than this many years are probably a typo.
pub const LONG_AGO_YEARS: u32 = 10;
/// Younger clients need a parent's or guardian's consent.
pub const ADULT_AGE: u32 = 18;

/// A neighbouring session and the days between it and the one being recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Gap {
    pub date: NaiveDate,
    pub days: i64,
}

/// Where an allergen was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AllergySource {
    /// The session's numbing product.
    Numbing,
    /// The session's serum.
    Serum,
    /// The needles themselves (metal allergies, whatever the session).
    Needles,
}

impl AllergySource {
    pub fn label(self) -> &'static str {
        match self {
            Self::Numbing => "numbing product",
            Self::Serum => "serum",
            Self::Needles => "needles",
        }
    }
}

/// A class of medication that changes whether or how to needle.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize
)]
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MedicationClass {
    Isotretinoin,
    /// Topical retinoids (tretinoin, adapalene, tazarotene, retinol, …).
    Retinoid,
    /// Alpha and beta hydroxy acids (glycolic, lactic, mandelic, salicylic).
    HydroxyAcid,
    Hydroquinone,
    /// Anticoagulants and antiplatelets.
    Anticoagulant,
}

impl MedicationClass {
    pub fn label(self) -> &'static str {
        match self {
            Self::Isotretinoin => "isotretinoin",
            Self::Retinoid => "a topical retinoid",
            Self::HydroxyAcid => "an AHA/BHA",
            Self::Hydroquinone => "hydroquinone",
            Self::Anticoagulant => "an anticoagulant/antiplatelet",
        }
    }

    /// Whether it is paused for [`super::Rules::pause_days`] before a session.
    pub fn paused(self) -> bool {
        matches!(
            self,
            Self::Retinoid | Self::HydroxyAcid | Self::Hydroquinone
        )
    }
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
    /// Any other screening history answered yes (before the pre-treatment
    /// check, also pregnancy, an active infection and cold sores).
    Screening {
        kind: ScreeningKind,
    },
    DepthOutsideHint {
        zone: Zone,
        depth: Depth,
        hint: DepthHint,
    },
    NoConsent,
    /// An allergy on file matches the numbing product or serum (or, for a
    /// metal, the needles).
    Allergy {
        /// The allergy as written on file.
        allergy: String,
        source: AllergySource,
        /// The product as entered (empty for the needles).
        product: String,
        /// What the product contains that matches (empty for the needles).
        ingredient: String,
    },
    /// A medication on file that changes whether or how to needle.
    Medication {
        class: MedicationClass,
        /// The medication as written on file.
        name: String,
        /// Days it is paused before a session (retinoids, AHAs/BHAs,
        /// hydroquinone).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pause_days: Option<u32>,
        /// Months after the last dose (isotretinoin).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window_months: Option<u32>,
    },
    /// Under 18 on the day of the session. Without a guardian's consent
    /// dated on or before the session it stops; with one it is a reminder.
    /// (Sessions saved before guardian consent was recorded hold the age
    /// alone, and read back as "none on file".)
    Minor {
        age: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        guardian_consent_on: Option<NaiveDate>,
    },
    /// Higher risk of post-inflammatory hyperpigmentation, for the reasons
    /// found (at least one).
    PihRisk {
        reasons: Vec<PihReason>,
    },
    /// The serum contains what the practice's caution list names.
    SerumCaution {
        /// The serum as entered.
        serum: String,
        /// The entries of the caution list found in it, as the list writes them.
        found: Vec<String>,
    },
    /// The consent on file is older than the practice's renewal period on
    /// the day of the session.
    ConsentDue {
        consent_on: NaiveDate,
        /// The last day the consent covers.
        renew_by: NaiveDate,
        months: u32,
    },
    /// The consent on file predates this series and the session treats
    /// zones the consent did not cover.
    ConsentNewArea {
        consent_on: NaiveDate,
        /// The zones treated that the consent did not cover.
        zones: Vec<Zone>,
    },
    /// An adverse event after one of the client's sessions is still ongoing
    /// (an onset and no resolved date, [`super::AdverseEvent::is_ongoing`]).
    AdverseOngoing {
        kind: AdverseKind,
        /// The description of an 'other' event; left out when empty.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
        /// The day of the session it followed.
        session_on: NaiveDate,
        onset: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        severity: Option<Severity>,
    },
    /// A current state present in the confirmed pre-treatment check.
    CurrentState {
        state: CurrentState,
        /// The window the question named (recent procedure, actives).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        within_days: Option<u32>,
    },
    /// A new session's pre-treatment check was not confirmed.
    PreCheckUnconfirmed {
        /// The answers the form carried (the client's last check, or the
        /// screening on file), not yet confirmed for today.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        last: Vec<CurrentState>,
        procedure_days: u32,
        pause_days: u32,
    },
    /// A history of cold sores and no antiviral prophylaxis recorded.
    AntiviralProphylaxis,
}

/// Why a session carries a higher risk of post-inflammatory
/// hyperpigmentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum PihReason {
    /// Fitzpatrick IV–VI needled deeper than the zone's usual maximum.
    DeepOnDarkerSkin {
        fitzpatrick: Fitzpatrick,
        zones: Vec<Zone>,
    },
    /// The series treats hyperpigmentation.
    HyperpigmentationConcern,
    /// Previous PIH is on file (screening).
    PihHistory,
    /// PIH was recorded in the follow-up of an earlier session.
    AfterSession { date: NaiveDate },
}

impl fmt::Display for PihReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DeepOnDarkerSkin { fitzpatrick, zones } => write!(
                f,
                "Fitzpatrick {} needled deeper than usual on {}",
                <&str>::from(*fitzpatrick),
                zone_list(zones)
            ),
            Self::HyperpigmentationConcern => f.write_str("the series treats hyperpigmentation"),
            Self::PihHistory => f.write_str("previous PIH on file"),
            Self::AfterSession { date } => {
                write!(f, "PIH followed the session of {date}")
            }
        }
    }
}

fn zone_list(zones: &[Zone]) -> String {
    zones
        .iter()
        .map(|z| z.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// How much a warning weighs. Neither blocks saving: the practitioner
/// decides, and the session records what was seen.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema
)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    /// Do not needle today unless the reason is resolved (an allergy to the
    /// product, isotretinoin within the window, pregnancy, an active
    /// infection or cold sore in the area, an adverse event still ongoing).
    Stop,
    /// Check before needling; needling may well go ahead.
    Caution,
}

impl Weight {
    /// The word shown before the warning.
    pub fn label(self) -> &'static str {
        match self {
            Self::Stop => "STOP",
            Self::Caution => "caution",
        }
    }
}

impl CurrentState {
    /// Pregnancy and an active infection or cold sore in the area stop the
    /// session; the others ask for care.
    pub fn weight(self) -> Weight {
        match self {
            Self::PregnantOrBreastfeeding | Self::ActiveInfection | Self::ActiveColdSore => {
                Weight::Stop
            }
            Self::SunburnOrTan | Self::RecentProcedure | Self::ActivesWithinPause => {
                Weight::Caution
            }
        }
    }
}

impl Warning {
    /// Whether this warning stops the session or asks for care.
    pub fn weight(&self) -> Weight {
        match self {
            Self::Isotretinoin { .. }
            | Self::NoConsent
            | Self::Allergy { .. }
            | Self::AdverseOngoing { .. } => Weight::Stop,
            Self::Minor {
                guardian_consent_on: None,
                ..
            } => Weight::Stop,
            // Recorded by sessions saved before the pre-treatment check.
            Self::Screening { kind } if kind.is_current_state() => Weight::Stop,
            Self::CurrentState { state, .. } => state.weight(),
            Self::Medication {
                class: MedicationClass::Isotretinoin,
                ..
            } => Weight::Stop,
            _ => Weight::Caution,
        }
    }
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
            Self::Allergy {
                allergy,
                source,
                product,
                ingredient,
            } => allergy_text(f, allergy, *source, product, ingredient),
            Self::Medication {
                class,
                name,
                pause_days,
                window_months,
            } => medication_text(f, *class, name, *pause_days, *window_months),
            Self::Minor {
                age,
                guardian_consent_on: None,
            } => write!(
                f,
                "client is {age}, under {ADULT_AGE}: no parent's or guardian's signed consent on file for this date — have it signed and record it on the client before needling"
            ),
            Self::Minor {
                age,
                guardian_consent_on: Some(d),
            } => write!(
                f,
                "client is {age}, under {ADULT_AGE}: guardian's consent signed {d} — check the guardian agrees to today's treatment"
            ),
            Self::PihRisk { reasons } => {
                let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "PIH risk: {} — do a test patch first, stay within the usual depth, insist on strict sun protection for the weeks after, and consider pre-treatment with a tyrosinase inhibitor if the practice's protocol provides for it",
                    reasons.join("; ")
                )
            }
            Self::SerumCaution { serum, found } => write!(
                f,
                "serum '{serum}' contains {}, on the practice's caution list: granulomas have been reported after needling with topical products not made sterile for needling — use a sterile product made for microneedling instead",
                found.join(", ")
            ),
            Self::ConsentDue {
                consent_on,
                renew_by,
                months,
            } => write!(
                f,
                "consent signed {consent_on} is more than {months} months old (renewal was due after {renew_by}): have a new consent signed before needling"
            ),
            Self::ConsentNewArea { consent_on, zones } => write!(
                f,
                "consent signed {consent_on}, before this series: it did not cover {} — have a consent for the new area signed before needling",
                zone_list(zones)
            ),
            Self::AdverseOngoing {
                kind,
                note,
                session_on,
                onset,
                severity,
            } => {
                write!(f, "adverse event ongoing: {}", kind.label())?;
                if !note.is_empty() {
                    write!(f, " ({note})")?;
                }
                write!(f, " since {onset}")?;
                if let Some(s) = severity {
                    write!(f, " ({})", s.label())?;
                }
                write!(
                    f,
                    " after the session of {session_on} — review it, and record it resolved in that session's follow-up before needling again"
                )
            }
            Self::CurrentState { state, within_days } => state_text(f, *state, *within_days),
            Self::PreCheckUnconfirmed {
                last,
                procedure_days,
                pause_days,
            } => {
                f.write_str("pre-treatment check not confirmed")?;
                if !last.is_empty() {
                    let states: Vec<String> = last
                        .iter()
                        .map(|s| s.describe(s.window(*procedure_days, *pause_days)))
                        .collect();
                    write!(f, " (last answer: {})", states.join("; "))?;
                }
                write!(
                    f,
                    ": ask about pregnancy or breastfeeding, acne, infection or a cold sore in the area, sunburn or a tan, a peel, laser, filler or toxin (last {}), a retinoid, AHA or hydroquinone (last {}); then confirm the answers",
                    days(i64::from(*procedure_days)),
                    days(i64::from(*pause_days))
                )
            }
            Self::AntiviralProphylaxis => f.write_str(
                "history of cold sores: consider antiviral prophylaxis (e.g. valaciclovir from the day before to the day after, as prescribed); record the drug and start date below",
            ),
        }
    }
}

fn state_text(f: &mut fmt::Formatter<'_>, state: CurrentState, within: Option<u32>) -> fmt::Result {
    let what = state.describe(within);
    let todo = match state {
        CurrentState::PregnantOrBreastfeeding => {
            "do not needle; book again after pregnancy and breastfeeding"
        }
        CurrentState::ActiveInfection => {
            "do not needle through it; treat it first and book again once healed, or leave that area out"
        }
        CurrentState::ActiveColdSore => {
            "do not needle; book again once it has healed, with antiviral prophylaxis"
        }
        CurrentState::SunburnOrTan => {
            "wait until the skin has settled, or needle gently away from it"
        }
        CurrentState::RecentProcedure => {
            "ask what and where; wait until the window has passed or avoid the treated spot"
        }
        CurrentState::ActivesWithinPause => {
            "wait until the pause is over, or needle gently and shallower"
        }
    };
    write!(f, "before needling: {what} — {todo}")
}

fn allergy_text(
    f: &mut fmt::Formatter<'_>,
    allergy: &str,
    source: AllergySource,
    product: &str,
    ingredient: &str,
) -> fmt::Result {
    write!(f, "allergy on file: {allergy} — ")?;
    if source == AllergySource::Needles {
        return f.write_str(
            "needles may contain it: confirm they are nickel-free (e.g. titanium or gold-plated) before needling, or do not needle today",
        );
    }
    let what = if name_key_eq(allergy, ingredient) {
        "it".to_string()
    } else {
        ingredient.to_string()
    };
    write!(
        f,
        "the {} '{product}' contains {what}: do not use it; choose a product without it or do not needle today",
        source.label()
    )
}

/// Whether two words are the same ignoring case and accents.
fn name_key_eq(a: &str, b: &str) -> bool {
    super::client::name_key(a) == super::client::name_key(b)
}

fn medication_text(
    f: &mut fmt::Formatter<'_>,
    class: MedicationClass,
    name: &str,
    pause_days: Option<u32>,
    window_months: Option<u32>,
) -> fmt::Result {
    let label = class.label();
    let label = if name_key_eq(name, label) {
        String::new()
    } else {
        format!(" ({label})")
    };
    write!(f, "medication on file: {name}{label} — ")?;
    match (class, pause_days, window_months) {
        (MedicationClass::Anticoagulant, ..) => f.write_str(
            "bleeding and bruising risk: consider the session with the prescriber; never stop it without them",
        ),
        (MedicationClass::Isotretinoin, _, Some(m)) => write!(
            f,
            "defer needling until {m} months after the last dose; record the date under screening"
        ),
        (_, Some(0), _) => f.write_str(
            "the practice sets no pause; ask when it was last used and check the skin before needling",
        ),
        (_, Some(d), _) => write!(
            f,
            "pause it {} before needling; ask when it was last used",
            days(i64::from(d))
        ),
        _ => f.write_str("check with the client before needling"),
    }
}
