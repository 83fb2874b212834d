//! What the pre-treatment check does with its answers: the answers a new
//! session's form starts from ([`carried_check`]), the warnings a check
//! raises ([`pre_check_warnings`]), and the antiviral prompt for a
//! cold-sore history ([`antiviral_warning`]).

use super::client::{ClientDraft, ScreeningKind};
use super::pre_check::{CurrentState, PreCheck};
use super::rules::Rules;
use super::session::SessionDraft;
use super::warning::Warning;
use chrono::NaiveDate;

/// Where the answers a new session's check starts from came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSource {
    /// The client's latest session with a confirmed check, on that day.
    Session(NaiveDate),
    /// That session's answers and a pregnancy or active infection noted in
    /// the client's screening after it.
    SessionAndScreening(NaiveDate),
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
            Self::SessionAndScreening(d) => {
                format!("carried from the session of {d} and the screening noted since")
            }
            Self::Screening => "from the screening on file".into(),
            Self::Nothing => "nothing on file".into(),
        }
    }
}

/// The answers a new session's check starts from: those of the client's
/// latest session that confirmed one (by date), else the legacy current
/// states in the client's screening, which seed the first check. A
/// current state noted in the screening after that session (the client
/// form dates what it adds) is carried too: it was said since.
pub fn carried_check<'a>(
    client: &ClientDraft,
    sessions: impl IntoIterator<Item = &'a SessionDraft>,
) -> (Vec<CurrentState>, CheckSource) {
    let latest = sessions
        .into_iter()
        .filter_map(|s| s.pre_check.as_ref().map(|c| (s.performed_at.date(), c)))
        .max_by_key(|(day, _)| *day);
    let noted = |after: Option<NaiveDate>| -> Vec<CurrentState> {
        let mut states: Vec<CurrentState> = client
            .screening
            .iter()
            .filter(|i| after.is_none_or(|a| i.date.is_some_and(|d| d > a)))
            .filter_map(|i| CurrentState::from_screening(i.kind))
            .collect();
        states.sort();
        states.dedup();
        states
    };
    match latest {
        Some((day, check)) => {
            let since = noted(Some(day));
            let mut states = check.present.clone();
            let source = if since.iter().all(|s| states.contains(s)) {
                CheckSource::Session(day)
            } else {
                CheckSource::SessionAndScreening(day)
            };
            states.extend(since);
            states.sort();
            states.dedup();
            (states, source)
        }
        None => {
            let seeded = noted(None);
            let source = if seeded.is_empty() {
                CheckSource::Nothing
            } else {
                CheckSource::Screening
            };
            (seeded, source)
        }
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
    use crate::domain::Weight;
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
        // Pregnancy noted on the client after the last check joins it.
        let mut noted = c.clone();
        noted.screening[1].date = NaiveDate::from_ymd_opt(2026, 2, 2);
        assert_eq!(
            carried_check(&noted, [&later, &earlier]),
            (
                vec![CurrentState::PregnantOrBreastfeeding],
                CheckSource::SessionAndScreening(d)
            )
        );
        // Noted on the day of the check, or undated: that check answered it.
        noted.screening[1].date = Some(d);
        assert_eq!(carried_check(&noted, [&later]).1, CheckSource::Session(d));
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
    fn an_antiviral_starts_on_the_session_s_day_at_the_latest() {
        use crate::domain::OutcomeScale;
        let now = at("2026-03-01 12:00");
        let mut s = SessionDraft::at(at("2026-03-01 10:00"));
        s.antiviral_from = NaiveDate::from_ymd_opt(2026, 2, 28);
        let field = |s: &SessionDraft| -> Vec<&'static str> {
            match s.validate(OutcomeScale::Severity, now) {
                Ok(_) => Vec::new(),
                Err(e) => e.iter().map(|e| e.field()).collect(),
            }
        };
        assert_eq!(field(&s), ["antiviral"], "a date needs its drug");
        s.antiviral = "valaciclovir".into();
        assert!(field(&s).is_empty());
        s.antiviral_from = NaiveDate::from_ymd_opt(2026, 3, 1);
        assert!(field(&s).is_empty(), "the day itself");
        s.antiviral_from = NaiveDate::from_ymd_opt(2026, 3, 2);
        assert_eq!(field(&s), ["antiviral from"]);
        s.antiviral = "x".repeat(201);
        assert!(field(&s).contains(&"antiviral"), "one line of 200 at most");
    }
}
