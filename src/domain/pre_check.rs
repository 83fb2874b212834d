//! The pre-treatment check: the states of the day (pregnancy, an active
//! infection or cold sore in the area, sunburn, a recent procedure,
//! actives within their pause) asked again before every session, as
//! opposed to the client's screening history, which stays true for years.
//! A session records the answers it confirmed ([`PreCheck`]); what the
//! next session's form starts from, and the warnings, are in `precheck_rules`.

use super::client::ScreeningKind;
use super::codes::coded;
use super::rules::Rules;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

/// A state of the day that changes whether to needle. The codes are stored
/// with sessions and written to exports: they never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CurrentState {
    #[strum(message = "pregnant or breastfeeding")]
    PregnantOrBreastfeeding,
    /// Active acne, a skin infection or an open lesion in the treated area.
    #[strum(message = "active acne, infection or open lesion in the area")]
    ActiveInfection,
    /// An active cold sore (herpes simplex) in the treated area.
    #[strum(message = "cold sore in the area")]
    ActiveColdSore,
    #[strum(message = "sunburn or fresh tan")]
    SunburnOrTan,
    /// A peel, laser, filler or toxin within [`Rules::recent_procedure_days`].
    #[strum(message = "recent peel, laser, filler or toxin")]
    RecentProcedure,
    /// A retinoid, AHA or hydroquinone used within [`Rules::pause_days`].
    #[strum(message = "retinoid, AHA or hydroquinone within the pause")]
    ActivesWithinPause,
}

coded!(CurrentState, labelled);

impl CurrentState {
    /// The legacy client-level screening item that answered this state
    /// before sessions recorded it (pregnancy, an active infection).
    pub fn from_screening(kind: ScreeningKind) -> Option<Self> {
        match kind {
            ScreeningKind::PregnancyBreastfeeding => Some(Self::PregnantOrBreastfeeding),
            ScreeningKind::ActiveInfection => Some(Self::ActiveInfection),
            _ => None,
        }
    }

    /// The days the question is about, under `check`'s windows.
    pub fn window(self, procedure_days: u32, pause_days: u32) -> Option<u32> {
        match self {
            Self::RecentProcedure => Some(procedure_days),
            Self::ActivesWithinPause => Some(pause_days),
            _ => None,
        }
    }

    /// The state in words, with its window where it has one ("peel,
    /// laser, filler or toxin in the last 14 days").
    pub fn describe(self, within_days: Option<u32>) -> String {
        match (self, within_days) {
            (Self::RecentProcedure, Some(d)) => {
                format!("peel, laser, filler or toxin in the last {}", days(d))
            }
            (Self::ActivesWithinPause, Some(d)) => {
                format!("retinoid, AHA or hydroquinone in the last {}", days(d))
            }
            _ => self.label().to_string(),
        }
    }
}

fn days(n: u32) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

/// A confirmed pre-treatment check: every current state was asked about,
/// and these were present (none at all is an answer too). A session
/// without one (`None`) was saved unconfirmed, or before the check existed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PreCheck {
    /// The states present, in the order of [`CurrentState::ALL`].
    #[serde(default)]
    pub present: Vec<CurrentState>,
    /// The window the recent-procedure question named, in days.
    pub procedure_days: u32,
    /// The window the actives question named, in days.
    pub pause_days: u32,
}

impl PreCheck {
    /// A check confirming `present` under the practice's windows.
    pub fn new(present: Vec<CurrentState>, rules: &Rules) -> Self {
        let mut c = Self {
            present,
            procedure_days: rules.recent_procedure_days,
            pause_days: rules.pause_days,
        };
        c.present.sort();
        c.present.dedup();
        c
    }

    /// The window `state`'s question named, where it has one.
    pub fn window_of(&self, state: CurrentState) -> Option<u32> {
        state.window(self.procedure_days, self.pause_days)
    }

    /// The answers in words: "none present" or "present: " and the states.
    pub fn states_text(&self) -> String {
        if self.present.is_empty() {
            return "none present".into();
        }
        let states: Vec<String> = self
            .present
            .iter()
            .map(|s| s.describe(self.window_of(*s)))
            .collect();
        format!("present: {}", states.join("; "))
    }

    /// "confirmed, " and the answers, for reports.
    pub fn text(&self) -> String {
        format!("confirmed, {}", self.states_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Weight;

    #[test]
    fn weights_and_windows() {
        use CurrentState as S;
        let stops: Vec<S> = S::ALL
            .iter()
            .copied()
            .filter(|s| s.weight() == Weight::Stop)
            .collect();
        assert_eq!(
            stops,
            [
                S::PregnantOrBreastfeeding,
                S::ActiveInfection,
                S::ActiveColdSore
            ]
        );
        let check = PreCheck::new(
            vec![
                S::ActivesWithinPause,
                S::RecentProcedure,
                S::RecentProcedure,
            ],
            &Rules::default(),
        );
        assert_eq!(check.present, [S::RecentProcedure, S::ActivesWithinPause]);
        assert_eq!(
            check.text(),
            "confirmed, present: peel, laser, filler or toxin in the last 14 days; retinoid, AHA or hydroquinone in the last 7 days"
        );
        assert_eq!(PreCheck::default().text(), "confirmed, none present");
    }
}
