//! One session's record as lines, shared by the home screen's preview of
//! the last visit and the client screen's detail pane, so both say the
//! same thing the same way.

use super::text::kv;
use super::theme::Theme;
use crate::domain::{AdverseKind, Followup, SessionDraft, Weight};
use ratatui::text::{Line, Span};

/// A value, or `—` when it was not recorded.
pub fn or_dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "—".into(), |v| v.to_string())
}

/// The non-empty parts joined with ` · `.
pub fn joined(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Zones, depth and device: what was done.
pub fn treatment<'a>(d: &SessionDraft, theme: &Theme) -> Vec<Line<'a>> {
    let l = theme.dim();
    let zones: Vec<&str> = d.zones.iter().map(|z| z.label()).collect();
    let depth = d.depth_text();
    vec![
        kv("Zones", zones.join(", "), l),
        kv(
            "Depth (mm)",
            or_dash((!depth.is_empty()).then_some(depth)),
            l,
        ),
        kv("Device", joined(&[&d.device, &d.cartridge]), l),
    ]
}

/// Before needling: the pre-treatment check as confirmed (a state present
/// stands out by its weight) and the antiviral prophylaxis, when given.
pub fn before_needling<'a>(d: &SessionDraft, theme: &Theme) -> Vec<Line<'a>> {
    let l = theme.dim();
    let mut out = vec![match &d.pre_check {
        None => kv("Pre-treatment check", "not recorded".to_string(), l),
        Some(c) => {
            let stop = c.present.iter().any(|s| s.weight() == Weight::Stop);
            let line = kv("Pre-treatment check", c.states_text(), l);
            if stop {
                line.style(theme.error())
            } else {
                line
            }
        }
    }];
    if !d.antiviral.is_empty() {
        let from = d
            .antiviral_from
            .map(|f| format!("from {f}"))
            .unwrap_or_default();
        out.push(kv("Antiviral", joined(&[&d.antiviral, &from]), l));
    }
    out
}

/// The skin's response at the end of the session.
pub fn end_of_session<'a>(d: &SessionDraft, theme: &Theme) -> Line<'a> {
    kv(
        "Erythema / edema / pain",
        format!(
            "{} / {} / {}",
            or_dash(d.erythema),
            or_dash(d.edema),
            or_dash(d.pain)
        ),
        theme.dim(),
    )
}

/// The follow-up: downtime, adverse events and notes; or that it is still
/// to be recorded (`pending` says how).
/// `prolonged_after`: redness for more days is prolonged erythema.
pub fn followup<'a>(
    f: &Followup,
    pending: &'a str,
    theme: &Theme,
    prolonged_after: u8,
) -> Vec<Line<'a>> {
    let l = theme.dim();
    if !f.is_recorded() {
        return vec![Line::from(Span::styled(pending, theme.warning()))];
    }
    let mut out = vec![kv(
        "Downtime (days)",
        format!(
            "redness {} · swelling {} · peeling {}",
            or_dash(f.redness_days),
            or_dash(f.swelling_days),
            or_dash(f.peeling_days)
        ),
        l,
    )];
    if let Some(on) = f.recorded_on {
        out.push(kv("Reported on", on.to_string(), l));
    }
    for e in &f.adverse_events {
        let mark = if e.is_ongoing() { "■ " } else { "" };
        out.push(Line::from(Span::styled(
            format!("{mark}Adverse event: {} ({})", e.label(), e.course_text()),
            theme.error(),
        )));
    }
    let ticked = f
        .adverse_events
        .iter()
        .any(|e| e.kind == AdverseKind::ProlongedErythema);
    if f.prolonged_erythema(prolonged_after) && !ticked {
        out.push(Line::from(Span::styled(
            format!("redness over {prolonged_after} days: prolonged erythema (not ticked)"),
            theme.error(),
        )));
    }
    if !f.notes.is_empty() {
        out.extend(super::text::kv_lines("Follow-up notes", &f.notes, l));
    }
    out
}
