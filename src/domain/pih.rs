//! The post-inflammatory hyperpigmentation (PIH) risk caution: darker skin
//! (Fitzpatrick IV–VI) needled deeper than the zone's usual maximum, a
//! series treating hyperpigmentation, previous PIH on file, or PIH after an
//! earlier session of the client. One warning naming every reason found.

use super::client::{ClientDraft, ScreeningKind};
use super::concern::Concern;
use super::history::ClientHistory;
use super::rules::Rules;
use super::series::ValidSeries;
use super::session::SessionDraft;
use super::warning::{PihReason, Warning};
use super::zones::Zone;

/// What the PIH check reads: the client, the series, what came before and
/// the practice's depth hints.
pub struct PihContext<'a> {
    pub client: &'a ClientDraft,
    pub series: &'a ValidSeries,
    pub history: &'a ClientHistory,
    pub rules: &'a Rules,
}

/// The PIH-risk caution for `session` treating `zones`, if any reason applies.
pub fn pih_warning(
    ctx: &PihContext<'_>,
    session: &SessionDraft,
    zones: &[Zone],
) -> Option<Warning> {
    let mut reasons = Vec::new();
    if let Some(fitzpatrick) = ctx.client.fitzpatrick.filter(|f| f.pih_risk()) {
        let deep: Vec<Zone> = zones
            .iter()
            .copied()
            .filter(|&z| {
                let hint = ctx.rules.depth_hint(z, Some(ctx.series.concern));
                session.depth_for(z).is_some_and(|d| d > hint.max)
            })
            .collect();
        if !deep.is_empty() {
            reasons.push(PihReason::DeepOnDarkerSkin {
                fitzpatrick,
                zones: deep,
            });
        }
    }
    if ctx.series.concern == Concern::Hyperpigmentation {
        reasons.push(PihReason::HyperpigmentationConcern);
    }
    if ctx
        .client
        .screening
        .iter()
        .any(|i| i.kind == ScreeningKind::PihHistory)
    {
        reasons.push(PihReason::PihHistory);
    }
    if let Some(date) = ctx.history.pih_before(session.performed_at.date()) {
        reasons.push(PihReason::AfterSession { date });
    }
    (!reasons.is_empty()).then_some(Warning::PihRisk { reasons })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::{Fitzpatrick, ScreeningItem};
    use crate::domain::series::SeriesDraft;
    use crate::domain::session::{AdverseEvent, AdverseKind};
    use crate::domain::warning::Weight;
    use crate::domain::{Depth, DepthHint};
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn series(concern: Concern) -> ValidSeries {
        let mut s = SeriesDraft::new(concern, d(2026, 1, 1));
        s.zones = vec![Zone::Forehead, Zone::Cheeks];
        s.validate().unwrap()
    }

    fn session(depth: &str) -> SessionDraft {
        let mut s = SessionDraft::at(d(2026, 3, 1).and_hms_opt(10, 0, 0).unwrap());
        s.depth_mm = Some(Depth::parse("depth", depth).unwrap());
        s
    }

    fn check(
        client: &ClientDraft,
        series: &ValidSeries,
        history: &ClientHistory,
        rules: &Rules,
        s: &SessionDraft,
    ) -> Option<Warning> {
        let ctx = PihContext {
            client,
            series,
            history,
            rules,
        };
        pih_warning(&ctx, s, &series.zones)
    }

    fn skin(f: Fitzpatrick) -> ClientDraft {
        let mut c = ClientDraft::named("Ama");
        c.fitzpatrick = Some(f);
        c
    }

    #[test]
    fn darker_skin_needled_above_the_hint_s_maximum() {
        let s = series(Concern::FineLines);
        let rules = Rules::default();
        let h = ClientHistory::EMPTY;
        // The forehead's usual range is 0.25–0.5 mm, the cheeks' 0.5–1.0.
        let at = |f, depth| check(&skin(f), &s, &h, &rules, &session(depth));
        assert_eq!(
            at(Fitzpatrick::IV, "0.5"),
            None,
            "at the forehead's maximum"
        );
        let w = at(Fitzpatrick::IV, "0.6").unwrap();
        assert_eq!(
            w,
            Warning::PihRisk {
                reasons: vec![PihReason::DeepOnDarkerSkin {
                    fitzpatrick: Fitzpatrick::IV,
                    zones: vec![Zone::Forehead]
                }]
            }
        );
        assert_eq!(w.weight(), Weight::Caution);
        assert_eq!(
            w.to_string(),
            "PIH risk: Fitzpatrick IV needled deeper than usual on forehead — do a test patch first, stay within the usual depth, insist on strict sun protection for the weeks after, and consider pre-treatment with a tyrosinase inhibitor if the practice's protocol provides for it"
        );
        assert_eq!(at(Fitzpatrick::III, "0.6"), None, "type III");
        assert!(at(Fitzpatrick::VI, "1.1").is_some());
        assert_eq!(
            check(&ClientDraft::named("x"), &s, &h, &rules, &session("1.1")),
            None
        );
        // The practice's own hint decides where "above" starts.
        let mut wider = Rules::default();
        wider.depth.insert(
            Zone::Forehead,
            DepthHint {
                min: Depth::parse("depth", "0.25").unwrap(),
                max: Depth::parse("depth", "0.75").unwrap(),
            },
        );
        assert_eq!(
            check(&skin(Fitzpatrick::V), &s, &h, &wider, &session("0.6")),
            None
        );
    }

    #[test]
    fn a_hyperpigmentation_series_or_pih_on_file_on_any_skin() {
        let h = ClientHistory::EMPTY;
        let rules = Rules::default();
        let light = skin(Fitzpatrick::II);
        let w = check(
            &light,
            &series(Concern::Hyperpigmentation),
            &h,
            &rules,
            &session("0.3"),
        );
        assert_eq!(
            w,
            Some(Warning::PihRisk {
                reasons: vec![PihReason::HyperpigmentationConcern]
            })
        );
        let mut history = light.clone();
        history.screening.push(ScreeningItem {
            kind: ScreeningKind::PihHistory,
            date: None,
            note: String::new(),
        });
        let s = series(Concern::FineLines);
        assert!(check(&light, &s, &h, &rules, &session("0.3")).is_none());
        let w = check(&history, &s, &h, &rules, &session("0.3")).unwrap();
        assert!(
            w.to_string()
                .starts_with("PIH risk: previous PIH on file — "),
            "{w}"
        );
    }

    #[test]
    fn pih_after_an_earlier_session_and_every_reason_named() {
        let s = series(Concern::Hyperpigmentation);
        let mut earlier = SessionDraft::at(d(2026, 2, 1).and_hms_opt(10, 0, 0).unwrap());
        let mut history = ClientHistory::default();
        history.add_series(&s, [&earlier]);
        let rules = Rules::default();
        let c = skin(Fitzpatrick::V);
        let reasons = |h: &ClientHistory| match check(&c, &s, h, &rules, &session("1.1")) {
            Some(Warning::PihRisk { reasons }) => reasons,
            other => panic!("{other:?}"),
        };
        assert_eq!(reasons(&history).len(), 2, "no PIH recorded yet");
        let pih: AdverseEvent = serde_json::from_str(r#"{"kind": "pih"}"#).unwrap();
        assert_eq!(pih.kind, AdverseKind::Pih);
        earlier.followup.adverse_events.push(pih);
        let mut history = ClientHistory::default();
        history.add_series(&s, [&earlier]);
        let w = Warning::PihRisk {
            reasons: reasons(&history),
        };
        assert_eq!(
            w.to_string(),
            "PIH risk: Fitzpatrick V needled deeper than usual on forehead, cheeks; the series treats hyperpigmentation; PIH followed the session of 2026-02-01 — do a test patch first, stay within the usual depth, insist on strict sun protection for the weeks after, and consider pre-treatment with a tyrosinase inhibitor if the practice's protocol provides for it"
        );
        // PIH after a later session does not count for an earlier one.
        assert_eq!(history.pih_before(d(2026, 2, 1)), None);
    }
}
