//! What the client has had before, across all their series: the checks
//! that look back (what a consent covered, PIH after an earlier session)
//! read it. Built from the loaded records by the session form.

use super::series::ValidSeries;
use super::session::{AdverseKind, SessionDraft};
use super::zones::Zone;
use chrono::NaiveDate;

/// A series of the client: when it started and the zones it planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastSeries {
    pub started_on: NaiveDate,
    pub zones: Vec<Zone>,
}

/// A session of the client: its day, the zones it treated (the series'
/// when it named none) and whether its follow-up recorded PIH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastSession {
    pub date: NaiveDate,
    pub zones: Vec<Zone>,
    pub pih: bool,
}

/// Every series and session of the client (not the session being edited).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientHistory {
    pub series: Vec<PastSeries>,
    pub sessions: Vec<PastSession>,
}

impl ClientHistory {
    /// Nothing before: a client's first session, or a check that does not look back.
    pub const EMPTY: Self = Self {
        series: Vec::new(),
        sessions: Vec::new(),
    };

    /// Adds a series and its sessions.
    pub fn add_series<'a>(
        &mut self,
        series: &ValidSeries,
        sessions: impl IntoIterator<Item = &'a SessionDraft>,
    ) {
        self.series.push(PastSeries {
            started_on: series.started_on,
            zones: series.zones.clone(),
        });
        for s in sessions {
            self.add_session(series, s);
        }
    }

    /// Adds a session of `series` (whose series is added on its own).
    pub fn add_session(&mut self, series: &ValidSeries, s: &SessionDraft) {
        let zones = if s.zones.is_empty() {
            &series.zones
        } else {
            &s.zones
        };
        self.sessions.push(PastSession {
            date: s.performed_at.date(),
            zones: zones.clone(),
            pih: s
                .followup
                .adverse_events
                .iter()
                .any(|e| e.kind == AdverseKind::Pih),
        });
    }

    /// The zones a consent signed on `consent_on` covers: those the client
    /// was treated on, or had a series planned on, up to that day. A consent
    /// signed before any of that covers the first series' planned zones.
    pub fn covered_by_consent(&self, consent_on: NaiveDate) -> Vec<Zone> {
        let mut zones: Vec<Zone> = self
            .series
            .iter()
            .filter(|s| s.started_on <= consent_on)
            .flat_map(|s| s.zones.iter().copied())
            .chain(
                self.sessions
                    .iter()
                    .filter(|s| s.date <= consent_on)
                    .flat_map(|s| s.zones.iter().copied()),
            )
            .collect();
        if zones.is_empty()
            && let Some(first) = self.series.iter().min_by_key(|s| s.started_on)
        {
            zones.clone_from(&first.zones);
        }
        zones.sort();
        zones.dedup();
        zones
    }

    /// The latest session before `date` whose follow-up recorded PIH.
    pub fn pih_before(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.sessions
            .iter()
            .filter(|s| s.pih && s.date < date)
            .map(|s| s.date)
            .max()
    }
}
