//! The pre-treatment check: the states of the day (pregnancy, an active
//! infection or cold sore in the area, sunburn, a recent procedure,
//! actives within their pause) asked again before every session, as
//! opposed to the client's screening history, which stays true for years.
//! A session records the answers it confirmed ([`PreCheck`]); the next
//! session's form starts from them ([`carried_check`]).

use super::client::{ClientDraft, ScreeningKind};
use super::codes::coded;
use super::rules::Rules;
use super::session::SessionDraft;
use super::warning::{Warning, Weight};
use chrono::NaiveDate;
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
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    JsonSchema
)]
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

/// Where the answers a new session's check starts from came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSource {
    /// The client's latest session with a confirmed check, on that day.
    Session(NaiveDate),
    /// The client's screening on file (pregnancy or an active infection
    /// recorded there before sessions had the check).
    Screening,
    /// Nothing to carry: no check and no such screening item.
    Nothing,
}

impl CheckSource {
    pub fn text(self) -> String {
        match self {
            Self::Session(d) => format!("carried from the session of {d}"),
            Self::Screening => "from the screening on file".into(),
            Self::Nothing => "nothing on file".into(),
        }
    }
}

/// The answers a new session's check starts from: those of the client's
/// latest session that confirmed one (by date), else the legacy current
/// states in the client's screening, which seed the first check.
pub fn carried_check<'a>(
    client: &ClientDraft,
    sessions: impl IntoIterator<Item = &'a SessionDraft>,
) -> (Vec<CurrentState>, CheckSource) {
    let latest = sessions
        .into_iter()
        .filter_map(|s| s.pre_check.as_ref().map(|c| (s.performed_at, c)))
        .max_by_key(|(at, _)| *at);
    if let Some((at, check)) = latest {
        return (check.present.clone(), CheckSource::Session(at.date()));
    }
    let mut seeded: Vec<CurrentState> = client
        .screening
        .iter()
        .filter_map(|i| CurrentState::from_screening(i.kind))
        .collect();
    seeded.sort();
    seeded.dedup();
    if seeded.is_empty() {
        (seeded, CheckSource::Nothing)
    } else {
        (seeded, CheckSource::Screening)
    }
}

/// The warnings of the pre-treatment check: one per state confirmed
/// present, each with its weight; or, for a new session saved without
/// confirming, a caution naming what to ask (with the answers carried,
/// `carried`). An edited session without a check stays without one and
/// says nothing: it may predate the check.
pub fn pre_check_warnings(
    check: Option<&PreCheck>,
    carried: &[CurrentState],
    editing: bool,
    rules: &Rules,
) -> Vec<Warning> {
    match check {
        Some(c) => c
            .present
            .iter()
            .map(|&state| Warning::CurrentState {
                state,
                within_days: c.window_of(state),
            })
            .collect(),
        None if editing => Vec::new(),
        None => vec![Warning::PreCheckUnconfirmed {
            last: carried.to_vec(),
            procedure_days: rules.recent_procedure_days,
            pause_days: rules.pause_days,
        }],
    }
}

/// A history of cold sores on file and no antiviral recorded for the
/// session: prompt for prophylaxis.
pub fn antiviral_warning(client: &ClientDraft, session: &SessionDraft) -> Option<Warning> {
    let history = client
        .screening
        .iter()
        .any(|i| i.kind == ScreeningKind::ColdSores);
    (history && session.antiviral.trim().is_empty()).then_some(Warning::AntiviralProphylaxis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ScreeningItem;
    use chrono::NaiveDateTime;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn pregnant() -> ClientDraft {
        let mut c = ClientDraft::named("Ana");
        for kind in [
            ScreeningKind::ColdSores,
            ScreeningKind::PregnancyBreastfeeding,
        ] {
            c.screening.push(ScreeningItem {
                kind,
                date: None,
                note: String::new(),
            });
        }
        c
    }

    #[test]
    fn the_first_check_is_seeded_from_the_legacy_screening() {
        let c = pregnant();
        let old = SessionDraft::at(at("2026-01-01 10:00"));
        assert_eq!(
            carried_check(&c, [&old]),
            (
                vec![CurrentState::PregnantOrBreastfeeding],
                CheckSource::Screening
            )
        );
        assert_eq!(
            carried_check(&ClientDraft::named("Bo"), []),
            (vec![], CheckSource::Nothing)
        );
    }

    #[test]
    fn then_the_latest_confirmed_answer_carries() {
        let c = pregnant();
        let rules = Rules::default();
        let mut earlier = SessionDraft::at(at("2026-01-01 10:00"));
        earlier.pre_check = Some(PreCheck::new(vec![CurrentState::SunburnOrTan], &rules));
        let mut later = SessionDraft::at(at("2026-02-01 10:00"));
        later.pre_check = Some(PreCheck::new(vec![], &rules));
        // Newer but unconfirmed: it carries nothing.
        let unconfirmed = SessionDraft::at(at("2026-03-01 10:00"));
        let d = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert_eq!(
            carried_check(&c, [&unconfirmed, &later, &earlier]),
            (vec![], CheckSource::Session(d)),
            "an answer of none present wins over the screening"
        );
        assert_eq!(
            carried_check(&c, [&earlier]).0,
            [CurrentState::SunburnOrTan]
        );
    }

    #[test]
    fn an_unconfirmed_check_cautions_only_on_a_new_session() {
        let rules = Rules {
            recent_procedure_days: 10,
            ..Rules::default()
        };
        let carried = [CurrentState::PregnantOrBreastfeeding];
        let w = pre_check_warnings(None, &carried, false, &rules);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].weight(), Weight::Caution);
        assert_eq!(
            w[0].to_string(),
            "pre-treatment check not confirmed (last answer: pregnant or breastfeeding): ask about pregnancy or breastfeeding, acne, infection or a cold sore in the area, sunburn or a tan, a peel, laser, filler or toxin (last 10 days), a retinoid, AHA or hydroquinone (last 7 days); then confirm the answers"
        );
        assert!(pre_check_warnings(None, &carried, true, &rules).is_empty());
        assert!(pre_check_warnings(Some(&PreCheck::default()), &carried, false, &rules).is_empty());
    }

    #[test]
    fn each_state_present_warns_with_its_weight() {
        let all = PreCheck::new(CurrentState::ALL.to_vec(), &Rules::default());
        let w = pre_check_warnings(Some(&all), &[], false, &Rules::default());
        let weights: Vec<Weight> = w.iter().map(Warning::weight).collect();
        use Weight::{Caution, Stop};
        assert_eq!(weights, [Stop, Stop, Stop, Caution, Caution, Caution]);
        assert_eq!(
            w[0].to_string(),
            "before needling: pregnant or breastfeeding — do not needle; book again after pregnancy and breastfeeding"
        );
        assert_eq!(
            w[4],
            Warning::CurrentState {
                state: CurrentState::RecentProcedure,
                within_days: Some(14)
            }
        );
        assert!(
            w[4].to_string()
                .contains("in the last 14 days — ask what and where")
        );
    }

    #[test]
    fn a_cold_sore_history_prompts_until_an_antiviral_is_recorded() {
        let c = pregnant();
        let mut s = SessionDraft::at(at("2026-03-01 10:00"));
        let w = antiviral_warning(&c, &s).unwrap();
        assert_eq!(w.weight(), Weight::Caution);
        assert!(
            w.to_string()
                .starts_with("history of cold sores: consider antiviral prophylaxis")
        );
        assert!(
            w.to_string()
                .ends_with("record the drug and start date below")
        );
        s.antiviral = "  ".into();
        assert!(antiviral_warning(&c, &s).is_some(), "blank is none");
        s.antiviral = "valaciclovir 500 mg twice daily".into();
        assert_eq!(antiviral_warning(&c, &s), None);
        assert_eq!(
            antiviral_warning(
                &ClientDraft::named("Bo"),
                &SessionDraft::at(at("2026-03-01 10:00"))
            ),
            None
        );
    }

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
