//! What the practitioner should see before recording a session. Warnings
//! never block: the practitioner decides, and the session records what was seen.

use super::client::{ClientDraft, ScreeningKind};
use super::due::due_window;
use super::scales::Depth;
use super::series::ValidSeries;
use super::session::SessionDraft;
use super::zones::{DepthHint, Zone, depth_hint};
use chrono::{Months, NaiveDate};
use std::fmt;

/// Months after the last isotretinoin dose during which needling is advised against.
pub const ISOTRETINOIN_MONTHS: u32 = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Before the window opens: the skin has had less time to heal than planned.
    TooSoon {
        previous: NaiveDate,
        opens: NaiveDate,
        days_early: i64,
    },
    /// The series already holds its planned number of sessions.
    BeyondPlan {
        planned: u8,
    },
    /// Isotretinoin within six months of the session (or the date unknown).
    Isotretinoin {
        last_dose: Option<NaiveDate>,
        clear_from: Option<NaiveDate>,
    },
    /// Any other screening item answered yes.
    Screening(ScreeningKind),
    DepthOutsideHint {
        zone: Zone,
        depth: Depth,
        hint: DepthHint,
    },
    NoConsent,
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
                "too soon: last session {previous}, window opens {opens} ({days_early} day{} early)",
                if *days_early == 1 { "" } else { "s" }
            ),
            Self::BeyondPlan { planned } => {
                write!(f, "series already has its {planned} planned sessions")
            }
            Self::Isotretinoin {
                last_dose: Some(d),
                clear_from: Some(c),
            } => {
                write!(
                    f,
                    "isotretinoin: last dose {d}, less than {ISOTRETINOIN_MONTHS} months (clear from {c})"
                )
            }
            Self::Isotretinoin { .. } => write!(f, "isotretinoin: date of last dose unknown"),
            Self::Screening(kind) => write!(f, "screening: {}", kind.label()),
            Self::DepthOutsideHint { zone, depth, hint } => {
                write!(
                    f,
                    "depth {depth} mm on {} is outside the usual {hint}",
                    zone.label()
                )
            }
            Self::NoConsent => f.write_str("no signed consent on file"),
        }
    }
}

/// What is known about the series when a session is about to be recorded.
pub struct SessionContext<'a> {
    pub client: &'a ClientDraft,
    pub series: &'a ValidSeries,
    /// The latest session of the series before this one, if any.
    pub previous: Option<NaiveDate>,
    /// Sessions already in the series, not counting this one.
    pub done_before: u32,
}

/// Every warning for `session`, in the order a practitioner should read them.
pub fn session_warnings(ctx: &SessionContext<'_>, session: &SessionDraft) -> Vec<Warning> {
    let mut out = Vec::new();
    let date = session.performed_at.date();
    if let Some(previous) = ctx.previous {
        let w = due_window(
            previous,
            ctx.series.interval_min_days,
            ctx.series.interval_max_days,
        );
        if date < w.opens {
            out.push(Warning::TooSoon {
                previous,
                opens: w.opens,
                days_early: (w.opens - date).num_days(),
            });
        }
    }
    if ctx.done_before >= u32::from(ctx.series.planned_sessions) {
        out.push(Warning::BeyondPlan {
            planned: ctx.series.planned_sessions,
        });
    }
    for item in &ctx.client.screening {
        match item.kind {
            ScreeningKind::Isotretinoin => {
                let clear_from = item
                    .date
                    .and_then(|d| d.checked_add_months(Months::new(ISOTRETINOIN_MONTHS)));
                if clear_from.is_none_or(|c| date < c) {
                    out.push(Warning::Isotretinoin {
                        last_dose: item.date,
                        clear_from,
                    });
                }
            }
            kind => out.push(Warning::Screening(kind)),
        }
    }
    let zones: &[Zone] = if session.zones.is_empty() {
        &ctx.series.zones
    } else {
        &session.zones
    };
    for &zone in zones {
        if let Some(depth) = session.depth_for(zone) {
            let hint = depth_hint(zone, Some(ctx.series.concern));
            if !hint.contains(depth) {
                out.push(Warning::DepthOutsideHint { zone, depth, hint });
            }
        }
    }
    if ctx.client.consent_on.is_none_or(|c| c > date) {
        out.push(Warning::NoConsent);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::client::ScreeningItem;
    use crate::domain::series::{Concern, SeriesDraft};
    use chrono::NaiveDateTime;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn session_on(date: NaiveDate) -> SessionDraft {
        SessionDraft::at(NaiveDateTime::new(
            date,
            chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        ))
    }

    fn consented() -> ClientDraft {
        let mut c = ClientDraft::named("Ana");
        c.consent_on = Some(d(2025, 1, 1));
        c
    }

    fn series() -> ValidSeries {
        let mut s = SeriesDraft::new(Concern::FineLines, d(2026, 1, 1));
        s.zones = vec![Zone::Periorbital, Zone::Forehead];
        s.validate().unwrap()
    }

    fn warnings(
        client: &ClientDraft,
        previous: Option<NaiveDate>,
        session: &SessionDraft,
    ) -> Vec<Warning> {
        let s = series();
        session_warnings(
            &SessionContext {
                client,
                series: &s,
                previous,
                done_before: 1,
            },
            session,
        )
    }

    #[test]
    fn too_soon_is_before_the_window_opens() {
        let c = consented();
        let w = warnings(&c, Some(d(2026, 1, 31)), &session_on(d(2026, 2, 27)));
        assert_eq!(
            w,
            [Warning::TooSoon {
                previous: d(2026, 1, 31),
                opens: d(2026, 2, 28),
                days_early: 1
            }]
        );
        assert_eq!(
            w[0].to_string(),
            "too soon: last session 2026-01-31, window opens 2026-02-28 (1 day early)"
        );
        assert!(warnings(&c, Some(d(2026, 1, 31)), &session_on(d(2026, 2, 28))).is_empty());
        assert!(warnings(&c, None, &session_on(d(2026, 2, 1))).is_empty());
    }

    #[test]
    fn isotretinoin_within_six_months_of_the_session() {
        let mut c = consented();
        c.screening.push(ScreeningItem {
            kind: ScreeningKind::Isotretinoin,
            date: Some(d(2025, 8, 31)),
            note: String::new(),
        });
        // 31 Aug + 6 months = 28 Feb (end of month is clamped).
        let w = warnings(&c, None, &session_on(d(2026, 2, 27)));
        assert!(
            matches!(w[0], Warning::Isotretinoin { clear_from: Some(c), .. } if c == d(2026, 2, 28))
        );
        assert!(warnings(&c, None, &session_on(d(2026, 2, 28))).is_empty());
        c.screening[0].date = None;
        assert_eq!(
            warnings(&c, None, &session_on(d(2030, 1, 1)))[0].to_string(),
            "isotretinoin: date of last dose unknown"
        );
    }

    #[test]
    fn other_screening_flags_always_warn() {
        let mut c = consented();
        for kind in [
            ScreeningKind::KeloidHistory,
            ScreeningKind::Anticoagulants,
            ScreeningKind::ActiveInfection,
            ScreeningKind::PregnancyBreastfeeding,
        ] {
            c.screening.push(ScreeningItem {
                kind,
                date: None,
                note: String::new(),
            });
        }
        let w = warnings(&c, None, &session_on(d(2026, 3, 1)));
        assert_eq!(w.len(), 4);
        assert!(w.contains(&Warning::Screening(ScreeningKind::Anticoagulants)));
    }

    #[test]
    fn depth_outside_the_zone_hint() {
        let c = consented();
        let mut s = session_on(d(2026, 3, 1));
        s.depth_mm = Some(Depth::parse("depth", "0.5").unwrap());
        // 0.5 is fine on the forehead (0.25–0.5) but too deep around the eyes (0.2–0.3).
        let w = warnings(&c, None, &s);
        assert_eq!(w.len(), 1);
        assert!(matches!(
            w[0],
            Warning::DepthOutsideHint {
                zone: Zone::Periorbital,
                ..
            }
        ));
        s.zone_depths
            .insert(Zone::Periorbital, Depth::parse("depth", "0.25").unwrap());
        assert!(warnings(&c, None, &s).is_empty());
    }

    #[test]
    fn missing_consent_and_beyond_plan() {
        let c = ClientDraft::named("Bo");
        let s = series();
        let w = session_warnings(
            &SessionContext {
                client: &c,
                series: &s,
                previous: None,
                done_before: 3,
            },
            &session_on(d(2026, 3, 1)),
        );
        assert_eq!(w, [Warning::BeyondPlan { planned: 3 }, Warning::NoConsent]);
    }
}
