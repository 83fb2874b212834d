//! The client's adverse events still ongoing, gathered from every session,
//! and the stop warning each one is before the next session.

use super::adverse::AdverseEvent;
use super::warning::Warning;
use chrono::NaiveDate;

/// An adverse event of one of the client's sessions, and that session's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientEvent {
    pub session_on: NaiveDate,
    pub event: AdverseEvent,
}

/// The client's events still ongoing, from every session in `sessions`
/// (day, events) — the caller leaves out the session being edited.
pub fn ongoing_events<'a>(
    sessions: impl IntoIterator<Item = (NaiveDate, &'a [AdverseEvent])>,
) -> Vec<ClientEvent> {
    let mut out: Vec<ClientEvent> = sessions
        .into_iter()
        .flat_map(|(day, events)| {
            events
                .iter()
                .filter(|e| e.is_ongoing())
                .map(move |e| ClientEvent {
                    session_on: day,
                    event: e.clone(),
                })
        })
        .collect();
    out.sort_by_key(|c| (c.event.onset, c.session_on, c.event.kind));
    out
}

/// A stop warning for each event still ongoing that had begun by `date`,
/// the day of the session being recorded.
pub fn ongoing_warnings(ongoing: &[ClientEvent], date: NaiveDate) -> Vec<Warning> {
    ongoing
        .iter()
        .filter_map(|c| {
            let onset = c.event.onset.filter(|o| *o <= date)?;
            c.event.is_ongoing().then(|| Warning::AdverseOngoing {
                kind: c.event.kind,
                note: c.event.note.clone(),
                session_on: c.session_on,
                onset,
                severity: c.event.severity,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::adverse::tests::{d, event};
    use crate::domain::{Severity, Weight};

    #[test]
    fn an_ongoing_event_stops_a_session_from_its_onset() {
        let mut e = event(Some(d(11, 3)), None);
        e.severity = Some(Severity::Moderate);
        let resolved = event(Some(d(11, 3)), Some(d(11, 4)));
        let unknown = event(None, None);
        let ongoing = ongoing_events([(d(11, 1), [e, resolved, unknown].as_slice())]);
        assert_eq!(ongoing.len(), 1);
        assert!(ongoing_warnings(&ongoing, d(11, 2)).is_empty());
        let w = ongoing_warnings(&ongoing, d(11, 3));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].weight(), Weight::Stop);
        assert_eq!(
            w[0].to_string(),
            "adverse event ongoing: acne flare since 2026-11-03 (moderate) after the session of 2026-11-01 — review it, and record it resolved in that session's follow-up before needling again"
        );
    }
}
