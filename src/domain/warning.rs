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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[derive(Serialize, Deserialize)]
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

pub(super) fn zone_list(zones: &[Zone]) -> String {
    zones
        .iter()
        .map(|z| z.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// How much a warning weighs. Neither blocks saving: the practitioner
/// decides, and the session records what was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[derive(Serialize, Deserialize, JsonSchema)]
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
