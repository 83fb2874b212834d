//! The demo data teaches what a session log looks like, so it must be data
//! a clinician would accept. These checks run over `demo --clients 1000`
//! (the same library call the command makes) and name every offending
//! client and session.

use chrono::{Months, NaiveDate};
use needlelog::db::ClientTree;
use needlelog::demo::{DemoSpec, FEMALE_FIRST, generate};
use needlelog::domain::{
    Acknowledged, AllergySource, ClientDraft, ClientHistory, Concern, Depth, Glogau, Rules,
    ScreeningKind, Session, SessionContext, SessionDraft, ValidSeries, Warning, Weight, Zone,
    allergy_warnings, carried_check, ongoing_events, session_warnings,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn demo(seed: u64) -> Vec<ClientTree> {
    generate(DemoSpec {
        clients: 1000,
        seed,
        today: today(),
    })
}

/// Every problem found, each naming its client (and session).
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn add(&mut self, client: &ClientDraft, session: Option<&Session>, what: String) {
        let at = session.map_or_else(String::new, |x| {
            format!(", session {} of {}", x.uuid, x.data.performed_at.date())
        });
        self.0.push(format!("{}{at}: {what}", client.name));
    }

    fn check(self, property: &str) {
        let n = self.0.len();
        let shown: Vec<&str> = self.0.iter().take(25).map(String::as_str).collect();
        assert!(
            n == 0,
            "{property}: {n} problem(s), the first:\n  {}",
            shown.join("\n  ")
        );
    }
}

/// Every session of the demo with its client and series, for both seeds
/// the checks use.
fn each_session(mut f: impl FnMut(&ClientTree, &ValidSeries, &[Session], &Session)) {
    for seed in [1, 2] {
        for t in demo(seed) {
            for st in &t.series {
                for x in &st.sessions {
                    f(&t, &st.series.data, &st.sessions, x);
                }
            }
        }
    }
}

fn zones_of<'a>(series: &'a ValidSeries, s: &'a SessionDraft) -> &'a [Zone] {
    if s.zones.is_empty() {
        &series.zones
    } else {
        &s.zones
    }
}

fn acknowledged_depth(s: &SessionDraft, zone: Zone) -> bool {
    s.acknowledged_warnings.iter().any(|a| {
        matches!(a, Acknowledged::Coded(Warning::DepthOutsideHint { zone: z, .. }) if *z == zone)
    })
}

fn mm(s: &str) -> Depth {
    Depth::parse("depth", s).unwrap()
}

#[test]
fn every_zone_is_needled_within_its_hint_for_the_concern() {
    let rules = Rules::default();
    let mut p = Problems::default();
    let mut acne_face: Vec<Depth> = Vec::new();
    each_session(|t, series, _, x| {
        let s = &x.data;
        let zones = zones_of(series, s);
        for zone in zones {
            let Some(depth) = s.depth_for(*zone) else {
                p.add(&t.client.data, Some(x), format!("no depth for {zone:?}"));
                continue;
            };
            let hint = rules.depth_hint(*zone, Some(series.concern));
            let outside_ok = acknowledged_depth(s, *zone);
            if !hint.contains(depth) && !outside_ok {
                p.add(
                    &t.client.data,
                    Some(x),
                    format!("{depth} mm on {zone:?} outside {hint} and not acknowledged"),
                );
            }
            // Acne scars on the face: 1.0–1.5 mm; on the body 1.5–2.5 mm.
            let usual = match zone {
                Zone::Cheeks | Zone::Chin | Zone::Jawline => Some((mm("1.0"), mm("1.5"))),
                z if z.is_body() => Some((mm("1.5"), mm("2.5"))),
                _ => None,
            };
            if series.concern == Concern::AcneScars
                && let Some((lo, hi)) = usual
            {
                if *zone == Zone::Cheeks {
                    acne_face.push(depth);
                }
                if (depth < lo || depth > hi) && !outside_ok {
                    p.add(
                        &t.client.data,
                        Some(x),
                        format!("acne scars on {zone:?} at {depth} mm, not {lo}–{hi}"),
                    );
                }
            }
        }
        for (zone, depth) in &s.zone_depths {
            if !zones.contains(zone) || s.depth_mm == Some(*depth) {
                p.add(
                    &t.client.data,
                    Some(x),
                    format!("zone depth {zone:?} {depth} is not needed"),
                );
            }
        }
    });
    p.check("depth per zone");
    acne_face.sort();
    let median = acne_face[acne_face.len() / 2];
    assert!(
        median >= mm("1.0") && median <= mm("1.5"),
        "acne scars on the cheeks: median depth {median} mm"
    );
}

/// The deepest needle of a session, in hundredths of a mm.
fn deepest(series: &ValidSeries, s: &SessionDraft) -> u16 {
    zones_of(series, s)
        .iter()
        .filter_map(|z| s.depth_for(*z))
        .map(Depth::hundredths)
        .max()
        .unwrap_or(0)
}

#[test]
fn downtime_grows_with_depth() {
    let mut p = Problems::default();
    // Per depth (0.25 mm bands): total redness, swelling, peeling halves and count.
    let mut bands = [[0u64; 4]; 13];
    for seed in [1, 2] {
        for t in demo(seed) {
            // The client's sessions with a follow-up and no adverse event.
            let mut seen: Vec<(u16, [Option<u8>; 3], &Session)> = Vec::new();
            for st in &t.series {
                for x in &st.sessions {
                    let f = &x.data.followup;
                    if !f.is_recorded() || !f.adverse_events.is_empty() {
                        continue;
                    }
                    let d = deepest(&st.series.data, &x.data);
                    let days = [f.redness_days, f.swelling_days, f.peeling_days]
                        .map(|d| d.map(|d| d.halves()));
                    let band = &mut bands[usize::from(d / 25).min(12)];
                    for (i, v) in days.iter().enumerate() {
                        band[i] += u64::from(v.unwrap_or(0));
                    }
                    band[3] += 1;
                    seen.push((d, days, x));
                }
            }
            for (da, a, xa) in &seen {
                for (db, b, xb) in &seen {
                    if da < db && a.iter().zip(b).any(|(a, b)| a > b) {
                        p.add(
                            &t.client.data,
                            Some(xb),
                            format!(
                                "at {db} hundredths of a mm heals faster ({b:?} half-days) than session {} at {da} ({a:?})",
                                xa.data.performed_at.date()
                            ),
                        );
                    }
                }
            }
        }
    }
    p.check("downtime against depth, per client");
    let means: Vec<[f64; 3]> = bands
        .iter()
        .filter(|b| b[3] >= 20)
        .map(|b| [0, 1, 2].map(|i| b[i] as f64 / b[3] as f64))
        .collect();
    // Across clients the means may wobble by sampling alone: a quarter of
    // a half-day is noise, more is downtime shrinking with depth.
    for w in means.windows(2) {
        assert!(
            w[1].iter()
                .zip(&w[0])
                .all(|(deeper, shallower)| *deeper >= shallower - 0.25),
            "mean downtime shrinks as depth grows: {means:?}"
        );
    }
    assert!(means.len() >= 4, "depths too alike: {means:?}");
}

/// The client's file as it stood on `day`: screening items noted later
/// were not on it yet.
fn on_file_on(client: &ClientDraft, day: NaiveDate) -> ClientDraft {
    let mut c = client.clone();
    c.screening
        .retain(|i| i.kind == ScreeningKind::Isotretinoin || i.date.is_none_or(|d| d <= day));
    c
}

#[test]
fn each_session_records_the_warnings_the_form_showed() {
    let rules = Rules::default();
    let mut p = Problems::default();
    let mut shown = 0;
    each_session(|t, series, sessions, x| {
        let day = x.data.performed_at.date();
        let client = on_file_on(&t.client.data, day);
        let others: Vec<NaiveDate> = sessions
            .iter()
            .take_while(|o| o.uuid != x.uuid)
            .map(|o| o.data.performed_at.date())
            .collect();
        // What the form looks back on: the client's series started by then
        // and their sessions before this one, in every series.
        let before = || {
            t.series
                .iter()
                .flat_map(|st| &st.sessions)
                .map(|o| &o.data)
                .filter(|o| o.performed_at.date() < day)
        };
        let mut history = ClientHistory::default();
        for st in t
            .series
            .iter()
            .filter(|st| st.series.data.started_on <= day)
        {
            history.add_series(
                &st.series.data,
                st.sessions
                    .iter()
                    .map(|o| &o.data)
                    .filter(|o| o.performed_at.date() < day),
            );
        }
        let ongoing = ongoing_events(
            before().map(|o| (o.performed_at.date(), o.followup.adverse_events.as_slice())),
        );
        let (carried, _) = carried_check(&client, before());
        let ctx = SessionContext {
            client: &client,
            series,
            others: &others,
            defaults: None,
            editing: false,
            today: day,
            rules: &rules,
            history: &history,
            ongoing: &ongoing,
            carried: &carried,
        };
        let expected: Vec<Acknowledged> = session_warnings(&ctx, &x.data)
            .into_iter()
            .map(Acknowledged::from)
            .collect();
        shown += expected.len();
        // A careful practitioner does not needle past a stop.
        for w in expected.iter().filter(|w| w.weight() == Some(Weight::Stop)) {
            p.add(&t.client.data, Some(x), format!("needled past a stop: {w}"));
        }
        if x.data.acknowledged_warnings != expected {
            p.add(
                &t.client.data,
                Some(x),
                format!(
                    "recorded {:?}, the form showed {:?}",
                    x.data.acknowledged_warnings, expected
                ),
            );
        }
    });
    p.check("acknowledged warnings");
    assert!(shown > 100, "the demo shows hardly any warning ({shown})");
}

#[test]
fn no_product_the_client_is_allergic_to() {
    let mut p = Problems::default();
    each_session(|t, _, _, x| {
        for w in allergy_warnings(&t.client.data.allergies, &x.data.numbing, &x.data.serum) {
            if let Warning::Allergy {
                source: AllergySource::Numbing | AllergySource::Serum,
                ..
            } = &w
            {
                p.add(&t.client.data, Some(x), w.to_string());
            }
        }
    });
    p.check("allergies");
}

#[test]
fn no_cartridge_lot_on_a_dermaroller() {
    let mut p = Problems::default();
    each_session(|t, _, _, x| {
        let s = &x.data;
        if s.device == "Dermaroller" && !(s.cartridge.is_empty() && s.cartridge_lot.is_empty()) {
            p.add(
                &t.client.data,
                Some(x),
                format!(
                    "dermaroller with cartridge '{}' lot '{}'",
                    s.cartridge, s.cartridge_lot
                ),
            );
        }
    });
    p.check("dermaroller");
}

#[test]
fn screening_fits_the_client_and_the_sessions() {
    let rules = Rules::default();
    let mut p = Problems::default();
    for seed in [1, 2] {
        for t in demo(seed) {
            let c = &t.client.data;
            let sessions = t.series.iter().flat_map(|st| &st.sessions);
            for item in &c.screening {
                let Some(date) = item.date else {
                    p.add(c, None, format!("{:?} without a date", item.kind));
                    continue;
                };
                match item.kind {
                    ScreeningKind::PregnancyBreastfeeding => {
                        let age = c.date_of_birth.and_then(|b| date.years_since(b));
                        if !age.is_some_and(|a| (18..=45).contains(&a)) {
                            p.add(c, None, format!("pregnant at age {age:?}"));
                        }
                        if !FEMALE_FIRST
                            .iter()
                            .any(|f| c.name.starts_with(&format!("{f} ")))
                        {
                            p.add(c, None, "pregnant, with a man's name".into());
                        }
                    }
                    ScreeningKind::Isotretinoin => {
                        let clear = date
                            .checked_add_months(Months::new(rules.isotretinoin_months))
                            .unwrap();
                        for x in sessions.clone() {
                            let inside = x.data.performed_at.date() < clear;
                            let seen = x.data.acknowledged_warnings.iter().any(|a| {
                                matches!(a, Acknowledged::Coded(Warning::Isotretinoin { .. }))
                            });
                            if inside && !seen {
                                p.add(c, Some(x), format!("inside the isotretinoin window (clear {clear}), not acknowledged"));
                            }
                        }
                        continue;
                    }
                    _ => {}
                }
                // A state of the day: no session while it lasts.
                if item.kind.is_current_state() {
                    for x in sessions.clone() {
                        if x.data.performed_at.date() >= date {
                            p.add(
                                c,
                                Some(x),
                                format!("needled while {:?} (noted {date})", item.kind),
                            );
                        }
                    }
                }
            }
        }
    }
    p.check("screening");
}

#[test]
fn glogau_follows_age() {
    let mut p = Problems::default();
    for t in demo(1).into_iter().chain(demo(2)) {
        let c = &t.client.data;
        let (Some(g), Some(dob)) = (c.glogau, c.date_of_birth) else {
            continue;
        };
        let age = today().years_since(dob).unwrap_or(0);
        use Glogau::*;
        let fits: &[Glogau] = match age {
            0..30 => &[I],
            30..40 => &[I, II],
            40..50 => &[II],
            50..60 => &[II, III],
            _ => &[III, IV],
        };
        if !fits.contains(&g) {
            p.add(c, None, format!("Glogau {g:?} at {age}"));
        }
    }
    p.check("Glogau");
}

/// Every adverse event has its course: a severity, an onset on or after the
/// session, and a resolved date no later than today — or, only after the
/// client's latest session, none yet (ongoing).
#[test]
fn adverse_events_have_a_course() {
    let mut p = Problems::default();
    let mut events = 0;
    let mut ongoing = 0;
    each_session(|t, _, _, x| {
        let day = x.data.performed_at.date();
        let latest = t
            .series
            .iter()
            .flat_map(|st| &st.sessions)
            .all(|o| o.data.performed_at.date() <= day);
        for e in &x.data.followup.adverse_events {
            events += 1;
            let fine = match (e.severity, e.onset, e.resolved_on) {
                (Some(_), Some(onset), Some(on)) => onset >= day && on >= onset && on <= today(),
                (Some(_), Some(onset), None) => {
                    ongoing += 1;
                    latest && onset >= day && onset <= today()
                }
                _ => false,
            };
            if !fine || e.action.is_empty() {
                p.add(
                    &t.client.data,
                    Some(x),
                    format!("adverse event without a sound course: {e:?}"),
                );
            }
        }
    });
    p.check("adverse-event courses");
    assert!(events > 50, "hardly any adverse event ({events})");
    assert!(
        ongoing > 0,
        "no event still ongoing: the home list's flag is never seen"
    );
}

/// Each session's pre-treatment check is recorded, but for a few left
/// unconfirmed (whose caution the session then records), and never with a
/// state that stops a session.
#[test]
fn sessions_record_the_pre_treatment_check() {
    let mut p = Problems::default();
    let (mut confirmed, mut total) = (0, 0);
    each_session(|t, _, _, x| {
        total += 1;
        match &x.data.pre_check {
            Some(check) => {
                confirmed += 1;
                if check.present.iter().any(|s| s.weight() == Weight::Stop) {
                    p.add(
                        &t.client.data,
                        Some(x),
                        format!("needled with {:?}", check.present),
                    );
                }
            }
            None => {
                let recorded =
                    x.data.acknowledged_warnings.iter().any(|a| {
                        matches!(a, Acknowledged::Coded(Warning::PreCheckUnconfirmed { .. }))
                    });
                if !recorded {
                    p.add(
                        &t.client.data,
                        Some(x),
                        "unconfirmed check not acknowledged".into(),
                    );
                }
            }
        }
    });
    p.check("pre-treatment checks");
    assert!(
        confirmed * 10 > total * 9,
        "{confirmed} of {total} confirmed"
    );
    assert!(
        confirmed < total,
        "every check confirmed: the caution is never seen"
    );
}
