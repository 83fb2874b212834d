//! Unit tests of `warnings`: each check at its boundaries.
use super::*;
use crate::domain::Depth;
use crate::domain::client::ScreeningItem;
use crate::domain::series::{Concern, SeriesDraft};
use chrono::NaiveDateTime;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A session on `date` whose pre-treatment check found nothing.
fn session_on(date: NaiveDate) -> SessionDraft {
    let mut s = SessionDraft::at(NaiveDateTime::new(
        date,
        chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    ));
    s.pre_check = Some(crate::domain::PreCheck::default());
    s
}

fn consented() -> ClientDraft {
    let mut c = ClientDraft::named("Ana");
    // Within the renewal period of every session below.
    c.consent_on = Some(d(2025, 12, 1));
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
    let others: Vec<NaiveDate> = previous.into_iter().collect();
    around(client, &others, session)
}

static NO_HISTORY: ClientHistory = ClientHistory::EMPTY;

/// A new session's context for `client` in `series`, under `rules`.
fn context<'a>(
    client: &'a ClientDraft,
    series: &'a ValidSeries,
    rules: &'a Rules,
) -> SessionContext<'a> {
    SessionContext {
        client,
        series,
        history: &NO_HISTORY,
        others: &[],
        defaults: None,
        editing: false,
        today: d(2026, 12, 1),
        rules,
        ongoing: &[],
        carried: &[],
    }
}

/// Warnings for `session` in a series that holds sessions on `others`.
fn around(client: &ClientDraft, others: &[NaiveDate], session: &SessionDraft) -> Vec<Warning> {
    let s = series();
    session_warnings(
        &SessionContext {
            client,
            series: &s,
            history: &ClientHistory::EMPTY,
            others,
            defaults: None,
            editing: false,
            today: d(2026, 12, 1),
            rules: &Rules::default(),
            ongoing: &[],
            carried: &[],
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

/// A consented client whose last isotretinoin dose was on `last`.
fn on_isotretinoin(last: NaiveDate) -> ClientDraft {
    let mut c = consented();
    c.screening.push(ScreeningItem {
        kind: ScreeningKind::Isotretinoin,
        date: Some(last),
        note: String::new(),
    });
    c
}

#[test]
fn isotretinoin_within_six_months_of_the_session() {
    let mut c = on_isotretinoin(d(2025, 8, 31));
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
fn the_isotretinoin_window_is_the_practice_s() {
    let c = on_isotretinoin(d(2025, 12, 1));
    let s = series();
    let with = |months: u32, day: NaiveDate| {
        let rules = Rules {
            isotretinoin_months: months,
            ..Rules::default()
        };
        let ctx = context(&c, &s, &rules);
        session_warnings(&ctx, &session_on(day))
    };
    // Four months after the last dose: inside the built-in six months,
    // outside a practice's three.
    let w = with(6, d(2026, 4, 1));
    assert_eq!(
        w[0].to_string(),
        "isotretinoin: last dose 2025-12-01, inside the practice's window (clear from 2026-06-01)"
    );
    assert!(with(3, d(2026, 4, 1)).is_empty());
    assert!(matches!(
        with(12, d(2026, 11, 1))[..],
        [Warning::Isotretinoin { clear_from: Some(c), .. }] if c == d(2026, 12, 1)
    ));
}

#[test]
fn depth_hints_are_the_practice_s() {
    let c = consented();
    let s = series();
    let mut session = session_on(d(2026, 3, 1));
    session.zones = vec![Zone::Forehead];
    session.depth_mm = Some(Depth::parse("depth", "0.5").unwrap());
    let warn = |rules: &Rules| {
        let ctx = context(&c, &s, rules);
        session_warnings(&ctx, &session)
    };
    assert!(warn(&Rules::default()).is_empty());
    let mut rules = Rules::default();
    rules.depth.insert(
        Zone::Forehead,
        crate::domain::DepthHint {
            min: Depth::parse("depth", "0.2").unwrap(),
            max: Depth::parse("depth", "0.4").unwrap(),
        },
    );
    assert_eq!(
        warn(&rules)[0].to_string(),
        "depth 0.5 mm on forehead is outside the usual 0.2–0.4 mm"
    );
}

#[test]
fn history_warns_and_legacy_current_states_are_left_to_the_check() {
    use ScreeningKind as K;
    let mut c = consented();
    c.screening = [K::KeloidHistory, K::Anticoagulants, K::ActiveInfection]
        .into_iter()
        .chain([K::PregnancyBreastfeeding, K::ColdSores])
        .map(|kind| ScreeningItem {
            kind,
            date: None,
            note: String::new(),
        })
        .collect();
    let mut s = session_on(d(2026, 3, 1));
    let w = warnings(&c, None, &s);
    let history = |kind| Warning::Screening { kind };
    let expected = [history(K::KeloidHistory), history(K::Anticoagulants)];
    assert_eq!(w[..2], expected);
    assert_eq!(w[2..], [Warning::AntiviralProphylaxis]);
    s.antiviral = "valaciclovir".into();
    assert_eq!(warnings(&c, None, &s).len(), 2, "prophylaxis recorded");
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
    let others = [d(2026, 1, 2), d(2026, 1, 2), d(2026, 1, 2)];
    let w = around(&c, &others, &session_on(d(2026, 3, 1)));
    assert_eq!(w, [Warning::BeyondPlan { planned: 3 }, Warning::NoConsent]);
}

#[test]
fn an_edited_session_is_beyond_plan_only_after_the_planned_ones() {
    let c = consented();
    let s = series();
    // Four sessions in a series of three: editing the first is fine,
    // editing the fourth is beyond the plan.
    let others = [d(2026, 2, 1), d(2026, 3, 1), d(2026, 4, 1)];
    let ctx = SessionContext {
        client: &c,
        series: &s,
        history: &ClientHistory::EMPTY,
        others: &others,
        defaults: None,
        editing: true,
        today: d(2026, 12, 1),
        rules: &Rules::default(),
        ongoing: &[],
        carried: &[],
    };
    let beyond = |w: Vec<Warning>| w.iter().any(|w| matches!(w, Warning::BeyondPlan { .. }));
    assert!(!beyond(session_warnings(&ctx, &session_on(d(2026, 1, 2)))));
    assert!(beyond(session_warnings(&ctx, &session_on(d(2026, 5, 1)))));
}

#[test]
fn a_session_between_two_is_measured_from_both_neighbours() {
    let c = consented();
    // Sessions on 1 Sep and 28 Nov; the plan is 28–42 days apart.
    let others = [d(2026, 11, 28), d(2026, 9, 1)];
    let w = around(&c, &others, &session_on(d(2026, 9, 11)));
    assert_eq!(
        w,
        [Warning::Between {
            previous: Some(Gap {
                date: d(2026, 9, 1),
                days: 10
            }),
            next: Gap {
                date: d(2026, 11, 28),
                days: 78
            },
            min_days: 28,
            max_days: 42,
        }]
    );
    let text = w[0].to_string();
    assert_eq!(
        text,
        "between sessions: 10 days after 2026-09-01, 78 days before 2026-11-28 (planned 28–42 days apart)"
    );
    assert!(
        !text.contains("88"),
        "never measured from the newest session: {text}"
    );
    // Far enough from both: nothing to say.
    assert!(around(&c, &others, &session_on(d(2026, 10, 10))).is_empty());
    // Too close to the one after only.
    assert!(matches!(
        around(&c, &others, &session_on(d(2026, 11, 20)))[..],
        [Warning::Between {
            next: Gap { days: 8, .. },
            ..
        }]
    ));
}

#[test]
fn a_session_before_the_first_is_measured_to_it() {
    let c = consented();
    let w = around(&c, &[d(2026, 3, 10)], &session_on(d(2026, 3, 1)));
    assert_eq!(
        w[0].to_string(),
        "before the series' first session: 9 days before 2026-03-10 (planned 28–42 days apart)"
    );
    assert!(around(&c, &[d(2026, 3, 10)], &session_on(d(2026, 2, 1))).is_empty());
}

#[test]
fn before_the_series_start_and_long_ago_warn() {
    let c = consented();
    // The series started on 2026-01-01.
    let w = around(&c, &[], &session_on(d(2025, 12, 20)));
    assert_eq!(
        w,
        [Warning::BeforeSeriesStart {
            started_on: d(2026, 1, 1),
            date: d(2025, 12, 20)
        }]
    );
    let mut old = consented();
    old.consent_on = Some(d(2000, 1, 1));
    let w = around(&old, &[], &session_on(d(2016, 11, 30)));
    assert!(
        w.contains(&Warning::LongAgo {
            date: d(2016, 11, 30)
        }),
        "{w:?}"
    );
    let w = around(&old, &[], &session_on(d(2016, 12, 1)));
    assert!(
        !w.iter().any(|w| matches!(w, Warning::LongAgo { .. })),
        "{w:?}"
    );
}

#[test]
fn a_session_before_the_date_of_birth_is_refused() {
    let mut c = consented();
    c.date_of_birth = Some(d(1990, 5, 4));
    assert_eq!(
        check_session_date(&c, d(1990, 5, 3)),
        Err("before the client's date of birth (1990-05-04)".into())
    );
    assert_eq!(check_session_date(&c, d(1990, 5, 4)), Ok(()));
    c.date_of_birth = None;
    assert_eq!(check_session_date(&c, d(1900, 1, 1)), Ok(()));
}

#[test]
fn under_18_on_the_day_of_the_session_needs_a_guardian() {
    // The boundaries, with and without a guardian's consent: `consent`.
    let mut c = consented();
    c.date_of_birth = Some(d(2008, 3, 2));
    let w = around(&c, &[], &session_on(d(2026, 3, 1)));
    assert!(matches!(w[..], [Warning::Minor { age: 17, .. }]), "{w:?}");
    assert!(around(&c, &[], &session_on(d(2026, 3, 2))).is_empty());
}

#[test]
fn what_is_on_file_is_checked_against_the_session() {
    let mut c = consented();
    c.allergies = "Lidocaine".into();
    c.medications = "warfarin".into();
    let mut s = session_on(d(2026, 3, 1));
    s.numbing = "lidocaine 5% cream".into();
    let w: Vec<String> = around(&c, &[], &s)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].starts_with(
        "allergy on file: Lidocaine — the numbing product 'lidocaine 5% cream' contains it"
    ));
    assert!(w[1].starts_with("medication on file: warfarin"));
    s.numbing = "ice pack".into();
    assert_eq!(around(&c, &[], &s).len(), 1, "the medication only");
}

#[test]
fn nothing_but_the_date_warns() {
    let c = consented();
    let s = series();
    let defaults = session_on(d(2026, 3, 1));
    let ctx = SessionContext {
        client: &c,
        series: &s,
        history: &ClientHistory::EMPTY,
        others: &[],
        defaults: Some(&defaults),
        editing: false,
        today: d(2026, 12, 1),
        rules: &Rules::default(),
        ongoing: &[],
        carried: &[],
    };
    let mut typed = session_on(d(2026, 3, 2));
    assert_eq!(session_warnings(&ctx, &typed), [Warning::OnlyDate]);
    typed.pain = Some(crate::domain::Pain::parse("2").unwrap());
    assert!(session_warnings(&ctx, &typed).is_empty());
}
