//! The warnings each demo session records: what the session form would
//! have shown when the session was entered on its day.
//!
//! The sessions are visited day by day, and what the checks read of the
//! client's earlier sessions (their history, the events still ongoing,
//! the latest pre-treatment check, the series' earlier dates) grows as
//! each day's sessions join the past, rather than being gathered again
//! from every session for each one. The tests hold it to the gathering
//! from scratch it replaced.

use crate::domain::{
    Acknowledged, AdverseEvent, ClientDraft, ClientHistory, Rules, ScreeningKind, SessionContext,
    SessionDraft, ValidSeries, carried_check, ongoing_events, session_warnings,
};
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// The client's file as it stood on `day`: screening items noted later were
/// not on it yet (the isotretinoin date is the last dose, known at intake).
fn on_file_on(client: &ClientDraft, day: NaiveDate) -> Cow<'_, ClientDraft> {
    let later = |i: &crate::domain::ScreeningItem| {
        i.kind != ScreeningKind::Isotretinoin && i.date.is_some_and(|d| d > day)
    };
    if !client.screening.iter().any(later) {
        return Cow::Borrowed(client);
    }
    let mut c = client.clone();
    c.screening.retain(|i| !later(i));
    Cow::Owned(c)
}

/// What the checks read of the sessions before the day being entered.
struct Past {
    history: ClientHistory,
    /// The sessions (series, session) with an adverse event still ongoing.
    with_ongoing: Vec<(usize, usize)>,
    ongoing: Vec<crate::domain::ClientEvent>,
    /// The latest session with a pre-treatment check.
    latest_check: Option<(usize, usize)>,
    /// Each series' earlier session days.
    dates: Vec<Vec<NaiveDate>>,
}

/// Records on each session the warnings the session form would have shown
/// when it was entered on its day: the domain's own checks against the
/// client's file as it stood then and the client's earlier sessions, in
/// every series. On the way, an earlier adverse event is made to resolve
/// before the next visit (the demo's practitioner does not needle through
/// one), and a client with a cold-sore history is given antiviral
/// prophylaxis, but for now and then, when the prompt is recorded instead.
///
/// A series starts on its first session's day, so the sessions of earlier
/// days all belong to series already started.
pub(super) fn acknowledge(
    client: &ClientDraft,
    series: &mut [(ValidSeries, Vec<SessionDraft>)],
    rules: &Rules,
) {
    let order = by_day(series);
    let mut past = Past {
        history: ClientHistory::default(),
        with_ongoing: Vec::new(),
        ongoing: Vec::new(),
        latest_check: None,
        dates: vec![Vec::new(); series.len()],
    };
    let mut joined = 0;
    for &(day, i, j) in &order {
        // The sessions of earlier days join the past, in the order of the
        // day, the series and the session. An event is resolved before the
        // first visit after it; later visits find it so already.
        while let Some(&(d, pi, pj)) = order.get(joined)
            && d < day
        {
            let (s, xs) = &mut series[pi];
            let x = &mut xs[pj];
            resolve_before(&mut x.followup.adverse_events, day);
            past.history.add_session(s, x);
            past.dates[pi].push(d);
            if x.pre_check.is_some() {
                past.latest_check = Some((pi, pj));
            }
            if x.followup
                .adverse_events
                .iter()
                .any(AdverseEvent::is_ongoing)
            {
                past.with_ongoing.push((pi, pj));
                past.ongoing = ongoing_events(past.with_ongoing.iter().map(|&(a, b)| {
                    let x = &series[a].1[b];
                    (x.performed_at.date(), x.followup.adverse_events.as_slice())
                }));
            }
            joined += 1;
        }
        let started = series.iter().filter(|(s, _)| s.started_on <= day).count();
        if started != past.history.series.len() {
            past.history.series.clear();
            for (s, _) in series.iter().filter(|(s, _)| s.started_on <= day) {
                past.history.add_series(s, std::iter::empty());
            }
        }
        let on_file = on_file_on(client, day);
        let latest = past.latest_check.map(|(a, b)| &series[a].1[b]);
        let (carried, _) = carried_check(&on_file, latest);
        let (s, xs) = &mut series[i];
        let x = &mut xs[j];
        prophylaxis(&on_file, day, x);
        let ctx = SessionContext {
            client: &on_file,
            series: s,
            others: &past.dates[i],
            defaults: None,
            editing: false,
            today: day,
            rules,
            history: &past.history,
            ongoing: &past.ongoing,
            carried: &carried,
        };
        x.acknowledged_warnings = session_warnings(&ctx, x)
            .into_iter()
            .map(Acknowledged::from)
            .collect();
    }
}

/// Every session as (day, series, session), in that order.
fn by_day(series: &[(ValidSeries, Vec<SessionDraft>)]) -> Vec<(NaiveDate, usize, usize)> {
    let mut order: Vec<(NaiveDate, usize, usize)> = series
        .iter()
        .enumerate()
        .flat_map(|(i, (_, xs))| {
            xs.iter()
                .enumerate()
                .map(move |(j, x)| (x.performed_at.date(), i, j))
        })
        .collect();
    order.sort();
    order
}

/// An event still going on `day`, the next visit, resolved the day before.
fn resolve_before(events: &mut [AdverseEvent], day: NaiveDate) {
    for e in events {
        if let (Some(onset), Some(on)) = (e.onset, e.resolved_on)
            && on >= day
        {
            e.resolved_on = Some(day.pred_opt().unwrap_or(day).max(onset));
        }
    }
}

/// A client with cold sores on file gets antiviral prophylaxis from the
/// day before, on most sessions (the demo leaves some without, which the
/// form then warns about).
fn prophylaxis(on_file: &ClientDraft, day: NaiveDate, x: &mut SessionDraft) {
    let cold_sores = on_file
        .screening
        .iter()
        .any(|item| item.kind == ScreeningKind::ColdSores);
    if cold_sores && day.num_days_from_ce() % 8 != 0 {
        x.antiviral = "valaciclovir 500 mg twice daily".into();
        x.antiviral_from = day.pred_opt();
    }
}

#[cfg(test)]
mod tests {
    use super::super::{DemoSpec, Gen};
    use super::*;
    use crate::domain::{AdverseKind, Severity};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The warnings as first written: for each session, the client's whole
    /// past gathered again from every session.
    fn from_scratch(
        client: &ClientDraft,
        series: &mut [(ValidSeries, Vec<SessionDraft>)],
        rules: &Rules,
    ) {
        let order = by_day(series);
        for &(day, i, j) in &order {
            let earlier = |x: &SessionDraft| x.performed_at.date() < day;
            for x in series.iter_mut().flat_map(|(_, xs)| xs.iter_mut()) {
                if earlier(x) {
                    resolve_before(&mut x.followup.adverse_events, day);
                }
            }
            let on_file = on_file_on(client, day);
            let mut history = ClientHistory::default();
            for (s, xs) in series.iter().filter(|(s, _)| s.started_on <= day) {
                history.add_series(s, xs.iter().filter(|x| earlier(x)));
            }
            let before = || {
                series
                    .iter()
                    .flat_map(|(_, xs)| xs.iter().filter(|x| earlier(x)))
            };
            let ongoing = ongoing_events(
                before().map(|x| (x.performed_at.date(), x.followup.adverse_events.as_slice())),
            );
            let (carried, _) = carried_check(&on_file, before());
            let (s, xs) = &mut series[i];
            let others: Vec<NaiveDate> = xs
                .iter()
                .filter(|x| earlier(x))
                .map(|x| x.performed_at.date())
                .collect();
            let x = &mut xs[j];
            prophylaxis(&on_file, day, x);
            let ctx = SessionContext {
                client: &on_file,
                series: s,
                others: &others,
                defaults: None,
                editing: false,
                today: day,
                rules,
                history: &history,
                ongoing: &ongoing,
                carried: &carried,
            };
            x.acknowledged_warnings = session_warnings(&ctx, x)
                .into_iter()
                .map(Acknowledged::from)
                .collect();
        }
    }

    /// Makes the past busier than the demo's: an adverse event after most
    /// sessions, some still ongoing, some lasting past the next visit.
    fn eventful(series: &mut [(ValidSeries, Vec<SessionDraft>)], k: usize) {
        for (n, x) in series
            .iter_mut()
            .flat_map(|(_, xs)| xs.iter_mut())
            .enumerate()
        {
            if (n + k).is_multiple_of(3) {
                continue;
            }
            let day = x.performed_at.date();
            let lasts = [2, 40, 90][(n + k) % 3];
            x.followup.adverse_events.push(AdverseEvent {
                severity: Some(Severity::Mild),
                onset: day.succ_opt(),
                resolved_on: (!(n + k).is_multiple_of(5)).then(|| day + chrono::Days::new(lasts)),
                ..AdverseEvent::new([AdverseKind::Pih, AdverseKind::AcneFlare][n % 2])
            });
        }
    }

    /// Over hundreds of generated clients, as they come and with a busier
    /// past, the warnings (and the events' courses) recorded day by day are
    /// those of gathering everything again for each session.
    #[test]
    fn day_by_day_equals_from_scratch() {
        let mut compared = 0;
        for seed in [1, 2, 3] {
            let spec = DemoSpec {
                clients: 0,
                seed,
                today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
            };
            let mut g = Gen {
                rng: ChaCha8Rng::seed_from_u64(spec.seed),
                minted: 0,
                today: spec.today,
                rules: Rules::default(),
            };
            for i in 0..300 {
                let d = g.drafts(i);
                for busy in [false, true] {
                    let mut a = d.series_list.clone();
                    if busy {
                        eventful(&mut a, i);
                    }
                    let mut b = a.clone();
                    acknowledge(&d.client, &mut a, &g.rules);
                    from_scratch(&d.client, &mut b, &g.rules);
                    assert_eq!(a, b, "seed {seed}, client {i}, busy {busy}");
                    compared += a.iter().map(|(_, xs)| xs.len()).sum::<usize>();
                }
            }
        }
        assert!(compared > 3000, "{compared} sessions compared");
    }
}
