//! The summary under each series of a report, shared by the Markdown and
//! HTML reports: progress, downtime, adverse events, the pre-treatment
//! checks, the next session and the notes.

use super::report::SeriesReport;
use chrono::NaiveDate;

impl SeriesReport<'_> {
    /// The summary under the series, as both reports list it: progress,
    /// downtime, adverse events, the next session, and the notes (left out
    /// when there are none).
    pub fn summary(&self) -> Vec<SummaryLine<'_>> {
        let adverse: Vec<SessionEntry<'_>> = self
            .adverse
            .iter()
            .map(|a| SessionEntry {
                number: a.number,
                date: a.date,
                kind: "",
                text: &a.text,
            })
            .collect();
        let notes: Vec<SessionEntry<'_>> = self
            .visits
            .iter()
            .flat_map(|v| {
                let d = &v.session.data;
                [("", &d.notes), (" follow-up", &d.followup.notes)]
                    .into_iter()
                    .filter(|(_, text)| !text.trim().is_empty())
                    .map(move |(kind, text)| SessionEntry {
                        number: v.number,
                        date: d.performed_at.date(),
                        kind,
                        text,
                    })
            })
            .collect();
        let mut lines = Vec::new();
        let plan_notes = self.scoped.series.data.notes.trim();
        if !plan_notes.is_empty() {
            lines.push(SummaryLine::Text("Plan notes", plan_notes.to_string()));
        }
        lines.extend([
            SummaryLine::Text("Progress", self.progress_text()),
            SummaryLine::Text("Downtime", self.downtime_text()),
        ]);
        lines.push(if adverse.is_empty() {
            SummaryLine::Text("Adverse events", "none recorded.".into())
        } else {
            SummaryLine::List(SummaryList::Adverse, adverse)
        });
        if !self.before.is_empty() {
            let before = self
                .before
                .iter()
                .map(|b| SessionEntry {
                    number: b.number,
                    date: b.date,
                    kind: "",
                    text: &b.text,
                })
                .collect();
            lines.push(SummaryLine::List(SummaryList::BeforeNeedling, before));
        }
        lines.push(SummaryLine::Text("Next session", self.due_text()));
        if !notes.is_empty() {
            lines.push(SummaryLine::List(SummaryList::Notes, notes));
        }
        lines
    }
}

/// One line of a series' summary.
pub enum SummaryLine<'a> {
    /// "Label: text".
    Text(&'static str, String),
    /// A list of entries by session under its label.
    List(SummaryList, Vec<SessionEntry<'a>>),
}

/// The summary's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryList {
    Adverse,
    Notes,
    BeforeNeedling,
}

impl SummaryList {
    pub fn label(self) -> &'static str {
        match self {
            Self::Adverse => "Adverse events",
            Self::Notes => "Notes",
            Self::BeforeNeedling => "Before needling",
        }
    }
}

/// An adverse event or a note, placed by its session: "session 2
/// (2026-11-21) follow-up: …".
pub struct SessionEntry<'a> {
    pub number: u32,
    pub date: NaiveDate,
    /// "" or " follow-up": which of the session's notes it is.
    pub kind: &'static str,
    pub text: &'a str,
}

/// A visit's pre-treatment check and antiviral prophylaxis in words.
pub(super) fn before_needling(d: &crate::domain::SessionDraft) -> String {
    let mut text = match &d.pre_check {
        Some(c) => format!("pre-treatment check {}", c.text()),
        None => "pre-treatment check not recorded".into(),
    };
    if !d.antiviral.is_empty() {
        text.push_str(&format!("; antiviral prophylaxis: {}", d.antiviral));
        if let Some(from) = d.antiviral_from {
            text.push_str(&format!(" from {from}"));
        }
    }
    text
}
