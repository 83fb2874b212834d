//! What the practitioner should see before recording a session. Warnings
//! never block: the practitioner decides, and the session records what was
//! seen ([`super::Acknowledged`]): each warning by its stable code and its
//! parameters, `{"code": "too_soon", "previous": …}`, never by its wording.
//! The warnings themselves are in `warning`.

use super::client::{ClientDraft, ScreeningKind};
use super::consent::{consent_warnings, minor_warning};
use super::due::due_window;
use super::history::ClientHistory;
use super::on_file::{allergy_warnings, medication_warnings, serum_caution};
use super::ongoing::{ClientEvent, ongoing_warnings};
use super::pih::{PihContext, pih_warning};
use super::pre_check::CurrentState;
use super::precheck_rules::{antiviral_warning, pre_check_warnings};
use super::rules::Rules;
use super::series::ValidSeries;
use super::session::SessionDraft;
use super::warning::{Gap, LONG_AGO_YEARS, Warning};
use super::zones::Zone;
use chrono::{Months, NaiveDate};

/// What is known about the series when a session is about to be recorded.
pub struct SessionContext<'a> {
    pub client: &'a ClientDraft,
    pub series: &'a ValidSeries,
    /// Every series and session of the client (not the one being edited),
    /// for the checks that look back: consent coverage, earlier PIH.
    pub history: &'a ClientHistory,
    /// The dates of the series' other sessions (not the one being recorded
    /// or edited), in any order.
    pub others: &'a [NaiveDate],
    /// What the form started with when recording a new session: saving it
    /// unchanged but for the date records nothing of the visit. None when
    /// editing.
    pub defaults: Option<&'a SessionDraft>,
    /// An existing session is being edited (not a new one recorded).
    pub editing: bool,
    pub today: NaiveDate,
    /// The practice's thresholds (isotretinoin window, depth hints).
    pub rules: &'a Rules,
    /// The client's adverse events still ongoing, from every series and
    /// every session but the one being edited ([`super::ongoing_events`]).
    pub ongoing: &'a [ClientEvent],
    /// The pre-treatment answers a new session's form started from (the
    /// client's last check), named when it is saved unconfirmed.
    pub carried: &'a [CurrentState],
}

/// Refuses a session date the client cannot have had: one before their
/// date of birth. The reason names the date of birth.
pub fn check_session_date(client: &ClientDraft, date: NaiveDate) -> Result<(), String> {
    match client.date_of_birth {
        Some(dob) if date < dob => Err(format!("before the client's date of birth ({dob})")),
        _ => Ok(()),
    }
}

/// The interval warning for a session dated `date`: measured from the
/// session before it and to the one after it, by date.
fn interval_warning(ctx: &SessionContext<'_>, date: NaiveDate) -> Option<Warning> {
    let min = ctx.series.interval_min_days;
    let max = ctx.series.interval_max_days;
    let previous = ctx.others.iter().copied().filter(|d| *d <= date).max();
    let next = ctx.others.iter().copied().filter(|d| *d > date).min();
    match next {
        None => {
            let previous = previous?;
            let w = due_window(previous, min, max);
            (date < w.opens).then(|| Warning::TooSoon {
                previous,
                opens: w.opens,
                days_early: (w.opens - date).num_days(),
            })
        }
        Some(next) => {
            let next = Gap {
                date: next,
                days: (next - date).num_days(),
            };
            let previous = previous.map(|p| Gap {
                date: p,
                days: (date - p).num_days(),
            });
            let short = |g: Gap| g.days < i64::from(min);
            (short(next) || previous.is_some_and(short)).then_some(Warning::Between {
                previous,
                next,
                min_days: min,
                max_days: max,
            })
        }
    }
}

/// The screening history on file: isotretinoin within the practice's
/// window (or its date unknown), and every other history item answered
/// yes. Cold sores prompt for prophylaxis instead ([`antiviral_warning`]);
/// the legacy current states (pregnancy, an active infection) are asked
/// by the pre-treatment check, which they seed.
fn screening_warnings(ctx: &SessionContext<'_>, date: NaiveDate) -> Vec<Warning> {
    let mut out = Vec::new();
    for item in &ctx.client.screening {
        match item.kind {
            ScreeningKind::Isotretinoin => {
                let clear_from = item
                    .date
                    .and_then(|d| d.checked_add_months(Months::new(ctx.rules.isotretinoin_months)));
                if clear_from.is_none_or(|c| date < c) {
                    out.push(Warning::Isotretinoin {
                        last_dose: item.date,
                        clear_from,
                    });
                }
            }
            // Part of the PIH-risk caution; cold sores prompt for
            // prophylaxis; current states are asked by the check.
            ScreeningKind::PihHistory | ScreeningKind::ColdSores => {}
            kind if kind.is_current_state() => {}
            kind => out.push(Warning::Screening { kind }),
        }
    }
    out
}

/// Every warning for `session`, in the order a practitioner should read them.
pub fn session_warnings(ctx: &SessionContext<'_>, session: &SessionDraft) -> Vec<Warning> {
    let mut out = Vec::new();
    let date = session.performed_at.date();
    if let Some(defaults) = ctx.defaults {
        let mut typed = session.clone();
        typed.performed_at = defaults.performed_at;
        typed
            .acknowledged_warnings
            .clone_from(&defaults.acknowledged_warnings);
        if typed == *defaults {
            out.push(Warning::OnlyDate);
        }
    }
    out.extend(interval_warning(ctx, date));
    // A new session adds to the series; an edited one is beyond the plan
    // when the planned number took place before it.
    let counted = if ctx.editing {
        ctx.others.iter().filter(|d| **d <= date).count()
    } else {
        ctx.others.len()
    };
    if counted >= usize::from(ctx.series.planned_sessions) {
        out.push(Warning::BeyondPlan {
            planned: ctx.series.planned_sessions,
        });
    }
    if date < ctx.series.started_on {
        out.push(Warning::BeforeSeriesStart {
            started_on: ctx.series.started_on,
            date,
        });
    }
    if ctx
        .today
        .checked_sub_months(Months::new(12 * LONG_AGO_YEARS))
        .is_some_and(|limit| date < limit)
    {
        out.push(Warning::LongAgo { date });
    }
    out.extend(ongoing_warnings(ctx.ongoing, date));
    out.extend(pre_check_warnings(
        session.pre_check.as_ref(),
        ctx.carried,
        ctx.editing,
        ctx.rules,
    ));
    out.extend(screening_warnings(ctx, date));
    out.extend(antiviral_warning(ctx.client, session));
    out.extend(allergy_warnings(
        &ctx.client.allergies,
        &session.numbing,
        &session.serum,
    ));
    out.extend(serum_caution(&session.serum, &ctx.rules.serum_cautions));
    out.extend(medication_warnings(&ctx.client.medications, ctx.rules));
    out.extend(minor_warning(ctx.client, date));
    let zones: &[Zone] = if session.zones.is_empty() {
        &ctx.series.zones
    } else {
        &session.zones
    };
    for &zone in zones {
        if let Some(depth) = session.depth_for(zone) {
            let hint = ctx.rules.depth_hint(zone, Some(ctx.series.concern));
            if !hint.contains(depth) {
                out.push(Warning::DepthOutsideHint { zone, depth, hint });
            }
        }
    }
    let pih = PihContext {
        client: ctx.client,
        series: ctx.series,
        history: ctx.history,
        rules: ctx.rules,
    };
    out.extend(pih_warning(&pih, session, zones));
    if ctx.client.consent_on.is_none_or(|c| c > date) {
        out.push(Warning::NoConsent);
    }
    out.extend(consent_warnings(
        ctx.client,
        ctx.series,
        ctx.history,
        zones,
        date,
        ctx.rules,
    ));
    out
}

#[cfg(test)]
#[path = "warnings_tests.rs"]
mod tests;
