//! What to mind before needling a client — screening answers, allergies,
//! missing consent — drawn the same way on the home preview, the client
//! screen and above the session form.

use super::text::kv;
use super::theme::Theme;
use crate::domain::{ClientDraft, ClientEvent};
use ratatui::text::{Line, Span};

/// Allergies first (the line a cut pane must not lose), then one line per
/// screening answer, then a missing consent.
pub fn lines(c: &ClientDraft, theme: &Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = allergies(c, theme).into_iter().collect();
    out.extend(c.screening.iter().map(|item| {
        let date = item
            .date
            .map(|d| format!(" ({} {d})", item.kind.date_meaning()))
            .unwrap_or_default();
        // A state of the day noted here by an older version: the session
        // form asks it again (it seeds the first pre-treatment check).
        let again = if item.kind.is_current_state() {
            ", asked again at each session"
        } else {
            ""
        };
        Line::from(Span::styled(
            format!("⚠ {}{date}{again}", item.kind.label()),
            theme.warning(),
        ))
    }));
    if c.consent_on.is_none() {
        out.push(Line::from(Span::styled(
            "⚠ no consent on file",
            theme.warning(),
        )));
    }
    out
}

/// The allergies on file, if any.
fn allergies(c: &ClientDraft, theme: &Theme) -> Option<Line<'static>> {
    let text = c.allergies.trim();
    (!text.is_empty()).then(|| kv("Allergies", text.to_string(), theme.warning()))
}

/// One line per adverse event still ongoing (a stop before needling): what,
/// since when, how severe and after which session.
pub fn ongoing(events: &[ClientEvent], theme: &Theme) -> Vec<Line<'static>> {
    events
        .iter()
        .map(|c| {
            let severity = c
                .event
                .severity
                .map(|s| format!(" ({})", s.label()))
                .unwrap_or_default();
            let since = c
                .event
                .onset
                .map(|d| format!(" since {d}"))
                .unwrap_or_default();
            Line::from(Span::styled(
                format!(
                    "■ adverse event ongoing: {}{since}{severity}, after the session of {}",
                    c.event.label(),
                    c.session_on
                ),
                theme.error(),
            ))
        })
        .collect()
}
