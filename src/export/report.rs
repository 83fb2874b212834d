//! The treatment summary both the Markdown and the HTML report show: per
//! client and series, the sessions, progress from baseline, downtime,
//! adverse events and what is due next, worked out once and rendered twice.
//! Sentences are plain text here; each renderer escapes them its own way.

use super::summary::before_needling;
pub use super::summary::{SummaryLine, SummaryList};
use crate::config::Clinic;
use crate::db::{Scope, ScopedClient, ScopedSeries};
use crate::domain::Rules;
use crate::domain::{
    Client, Days, DueState, DueWindow, Session, due_state, due_window, improvement_of,
    maintenance_date,
};
use chrono::NaiveDate;

pub const TITLE: &str = "Treatment summary";

/// The aftercare reminder, in paragraphs; [`aftercare`] names the clinic.
pub const AFTERCARE: [&str; 3] = [
    "For 48 hours after each session: keep the treated skin out of the sun, \
     avoid strenuous exercise, and use no harsh products on it (retinoids, \
     exfoliating acids, scrubs); a gentle cleanser and a plain moisturiser are enough.",
    "After that, protect the treated skin with a broad-spectrum sunscreen every day.",
    "Some redness, swelling and flaking for a few days is expected. Contact \
     the clinic if redness lasts longer than a week, or at any sign of \
     infection or darkening of the skin.",
];

/// `+1`, `0`, `-2`.
pub fn signed(points: i16) -> String {
    if points > 0 {
        format!("+{points}")
    } else {
        points.to_string()
    }
}

/// The aftercare paragraphs, the last naming the clinic and how to reach
/// it when the settings say.
pub fn aftercare(clinic: &Clinic) -> Vec<String> {
    let mut out: Vec<String> = AFTERCARE.iter().map(|p| p.to_string()).collect();
    let name = clinic.name.trim();
    let contact = clinic.contact.trim();
    let who = match (name.is_empty(), contact.is_empty()) {
        (true, true) => return out,
        (false, true) => name.to_string(),
        (true, false) => format!("the clinic ({contact})"),
        (false, false) => format!("{name} ({contact})"),
    };
    if let Some(last) = out.last_mut() {
        *last = last.replace("Contact the clinic", &format!("Contact {who}"));
    }
    out
}

/// What a report says around its clients: who it comes from, when, and
/// over which dates. The clients are written one at a time
/// ([`client_report`]), each forgotten before the next is read.
pub struct Report<'a> {
    /// Who the report comes from (`[clinic]` in the settings).
    pub clinic: &'a Clinic,
    pub today: NaiveDate,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// How many clients a report holds, as its heading needs to know: none
/// (it says so), one (the HTML title names them) or more.
#[derive(Clone, Copy)]
pub enum Selection<'a> {
    Empty,
    One(&'a Client),
    Many,
}

impl<'a> Report<'a> {
    pub fn new(scope: &Scope, today: NaiveDate, clinic: &'a Clinic) -> Self {
        Report {
            clinic,
            today,
            since: scope.since,
            until: scope.until,
        }
    }

    /// "Sessions from … to …", when a date range was asked for.
    pub fn range_text(&self) -> Option<String> {
        match (self.since, self.until) {
            (None, None) => None,
            (Some(s), None) => Some(format!("sessions from {s}")),
            (None, Some(u)) => Some(format!("sessions up to {u}")),
            (Some(s), Some(u)) => Some(format!("sessions from {s} to {u}")),
        }
    }
}

pub struct ClientReport<'a> {
    pub client: &'a Client,
    pub series: Vec<SeriesReport<'a>>,
}

impl ClientReport<'_> {
    /// Label: value lines about the client, empty ones left out.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let d = &self.client.data;
        let mut out = Vec::new();
        if let Some(dob) = d.date_of_birth {
            out.push(("Date of birth", dob.to_string()));
        }
        let mut skin = Vec::new();
        if let Some(f) = d.fitzpatrick {
            skin.push(format!("Fitzpatrick {f:?}"));
        }
        if let Some(g) = d.glogau {
            skin.push(format!("Glogau {g:?}"));
        }
        if !skin.is_empty() {
            out.push(("Skin", skin.join(", ")));
        }
        if !d.screening.is_empty() {
            let items: Vec<String> = d
                .screening
                .iter()
                .map(|i| {
                    let mut t = i.kind.label().to_string();
                    if let Some(date) = i.date {
                        t.push_str(&format!(" ({} {date})", i.kind.date_meaning()));
                    }
                    if !i.note.is_empty() {
                        t.push_str(&format!(": {}", i.note));
                    }
                    t
                })
                .collect();
            out.push(("Screening", items.join("; ")));
        }
        for (label, text) in [("Allergies", &d.allergies), ("Medications", &d.medications)] {
            if !text.trim().is_empty() {
                out.push((label, text.clone()));
            }
        }
        if let Some(c) = d.consent_on {
            out.push(("Consent signed", c.to_string()));
        }
        if let Some(c) = d.guardian_consent_on {
            let who = d.guardian.trim();
            let by = if who.is_empty() {
                String::new()
            } else {
                format!(" by {who}")
            };
            out.push(("Guardian consent", format!("{c}{by}")));
        }
        if let Some(a) = self.client.archived_at {
            out.push(("Archived", a.date_naive().to_string()));
        }
        out.push(("Record", self.client.uuid.to_string()));
        out
    }
}

pub struct Visit<'a> {
    pub number: u32,
    pub session: &'a Session,
    pub improvement: Option<i16>,
    pub improvement_pct: Option<f64>,
}

impl Visit<'_> {
    /// The session depth, with the zones treated at another depth.
    pub fn depth_text(&self) -> String {
        self.session.data.depth_text()
    }

    pub fn zones_text(&self) -> String {
        zones_text(&self.session.data.zones)
    }
}

pub fn zones_text(zones: &[crate::domain::Zone]) -> String {
    zones
        .iter()
        .map(|z| z.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Downtime of one kind over the sessions that reported it.
pub struct Downtime {
    pub label: &'static str,
    pub values: Vec<Days>,
}

impl Downtime {
    pub fn text(&self) -> Option<String> {
        let min = self.values.iter().min()?;
        let max = self.values.iter().max()?;
        let mean = self.values.iter().map(|d| d.days()).sum::<f64>() / self.values.len() as f64;
        let span = if min == max {
            format!("{min}")
        } else {
            format!("{min}–{max}")
        };
        let unit = if span == "1" { "day" } else { "days" };
        if min == max {
            Some(format!("{} {span} {unit}", self.label))
        } else {
            Some(format!(
                "{} {span} {unit} (average {})",
                self.label,
                trim_number(mean)
            ))
        }
    }
}

/// One decimal, halves rounded away from zero, no ".0": 1.0 → "1", 1.25 → "1.3".
pub fn trim_number(x: f64) -> String {
    let t = format!("{:.1}", (x * 10.0).round() / 10.0);
    t.strip_suffix(".0").map_or(t.clone(), str::to_string)
}

pub struct AdverseLine {
    pub number: u32,
    pub date: NaiveDate,
    pub text: String,
}

pub struct SeriesReport<'a> {
    pub scoped: &'a ScopedSeries,
    pub visits: Vec<Visit<'a>>,
    pub downtime: [Downtime; 3],
    pub adverse: Vec<AdverseLine>,
    /// Each visit's pre-treatment check and antiviral prophylaxis, when
    /// any visit recorded one.
    pub before: Vec<AdverseLine>,
    pub due: DueState,
    pub window: Option<DueWindow>,
    /// When a completed series is due for maintenance.
    pub maintenance: Option<NaiveDate>,
    /// Redness for more days than this is prolonged (the practice's rule).
    pub prolonged_after: u8,
}

impl SeriesReport<'_> {
    pub fn heading(&self) -> String {
        let v = &self.scoped.series.data;
        let mut concern = v.concern.label().to_string();
        if let Some(first) = concern.get(..1) {
            concern = first.to_uppercase() + &concern[1..];
        }
        if v.zones.is_empty() {
            concern
        } else {
            format!("{concern}: {}", zones_text(&v.zones))
        }
    }

    /// Start, plan, interval, scale and baseline in one line.
    pub fn plan_text(&self) -> String {
        let v = &self.scoped.series.data;
        let mut t = format!(
            "Started {} · {} of {} planned sessions · every {}–{} days · {}",
            v.started_on,
            self.scoped.total_sessions,
            v.planned_sessions,
            v.interval_min_days,
            v.interval_max_days,
            v.outcome_scale.label()
        );
        match v.baseline_score {
            Some(b) => t.push_str(&format!(", baseline {b}")),
            None => t.push_str(", no baseline score"),
        }
        if v.status == crate::domain::SeriesStatus::Closed {
            t.push_str(" · closed");
        }
        t
    }

    /// Cumulative progress from baseline at the latest scored visit.
    pub fn progress_text(&self) -> String {
        let v = &self.scoped.series.data;
        let Some(baseline) = v.baseline_score else {
            return "No baseline score was taken, so there is nothing to measure progress against."
                .into();
        };
        let latest = self.visits.iter().rev().find_map(|x| {
            x.session
                .data
                .outcome_score
                .map(|s| (x, s, x.improvement.unwrap_or(0)))
        });
        let Some((visit, score, points)) = latest else {
            return format!("Baseline score {baseline}; no session scored yet.");
        };
        let n = points.unsigned_abs();
        let pts = if n == 1 { "point" } else { "points" };
        let change = match points {
            0 => "the same as the baseline".to_string(),
            p if p > 0 => format!("{n} {pts} better than the baseline"),
            _ => format!("{n} {pts} worse than the baseline"),
        };
        let pct = visit
            .improvement_pct
            .filter(|_| points != 0)
            .map_or_else(String::new, |p| {
                format!(" ({}% of the reachable range)", trim_number(p.abs()))
            });
        format!(
            "Score {baseline} at baseline, {score} at session {} on {}: {change}{pct}. Lower scores are better.",
            visit.number,
            visit.session.data.performed_at.date()
        )
    }

    pub fn downtime_text(&self) -> String {
        let parts: Vec<String> = self.downtime.iter().filter_map(Downtime::text).collect();
        if parts.is_empty() {
            return "No downtime reported yet.".into();
        }
        let unreported = self
            .visits
            .iter()
            .filter(|v| {
                let f = &v.session.data.followup;
                f.redness_days.is_none() && f.swelling_days.is_none() && f.peeling_days.is_none()
            })
            .count();
        let mut t = format!("{}.", capitalise(&parts.join(", ")));
        if unreported > 0 {
            t.push_str(&format!(
                " Not reported for {unreported} session{}.",
                if unreported == 1 { "" } else { "s" }
            ));
        }
        t
    }

    pub fn due_text(&self) -> String {
        match (self.due, self.window) {
            (DueState::Complete, _) => match self.maintenance {
                Some(m) => {
                    format!("Series complete: all planned sessions done; maintenance due {m}.")
                }
                None => "Series complete: all planned sessions done.".into(),
            },
            (DueState::MaintenanceDue(_), _) => format!(
                "Series complete; maintenance due since {}.",
                self.maintenance.map_or_else(String::new, |m| m.to_string())
            ),
            (DueState::Closed, _) => {
                let mut text = self.scoped.series.data.closure.describe();
                if let Some(first) = text.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                format!("Series {text}.")
            }
            (DueState::NotStarted, _) => "Not started yet.".into(),
            (state @ DueState::Overdue(_), Some(w)) => format!(
                "{}: the window was {} to {}.",
                capitalise(&state.to_string()),
                w.opens,
                w.closes
            ),
            (state, Some(w)) => format!(
                "{}: between {} and {}.",
                capitalise(&state.to_string()),
                w.opens,
                w.closes
            ),
            (state, None) => format!("{}.", capitalise(&state.to_string())),
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn series_report<'a>(s: &'a ScopedSeries, today: NaiveDate, rules: &Rules) -> SeriesReport<'a> {
    let prolonged_after = rules.prolonged_erythema_days;
    let v = &s.series.data;
    let mut downtime = [
        Downtime {
            label: "redness",
            values: Vec::new(),
        },
        Downtime {
            label: "swelling",
            values: Vec::new(),
        },
        Downtime {
            label: "peeling",
            values: Vec::new(),
        },
    ];
    let mut adverse = Vec::new();
    let mut before = Vec::new();
    let mut visits = Vec::new();
    for (i, x) in s.sessions.iter().enumerate() {
        let number = s.number(i);
        let d = &x.data;
        let f = &d.followup;
        for (slot, value) in
            downtime
                .iter_mut()
                .zip([f.redness_days, f.swelling_days, f.peeling_days])
        {
            slot.values.extend(value);
        }
        adverse.extend(adverse_lines(
            number,
            d.performed_at.date(),
            f,
            prolonged_after,
        ));
        let (improvement, improvement_pct) =
            improvement_of(v.outcome_scale, v.baseline_score, d.outcome_score);
        visits.push(Visit {
            number,
            session: x,
            improvement,
            improvement_pct,
        });
        before.push(AdverseLine {
            number,
            date: d.performed_at.date(),
            text: before_needling(d),
        });
    }
    let recorded = s
        .sessions
        .iter()
        .any(|x| x.data.pre_check.is_some() || !x.data.antiviral.is_empty());
    if !recorded {
        before.clear();
    }
    let closed = v.status == crate::domain::SeriesStatus::Closed;
    let last = s.last_session.map(|t| t.date());
    let due = due_state(
        s.total_sessions,
        v.planned_sessions,
        closed,
        last,
        (v.interval_min_days, v.interval_max_days),
        rules.maintenance_months,
        today,
    );
    let window = match due {
        DueState::DueIn(_) | DueState::DueNow(_) | DueState::Overdue(_) => {
            last.map(|l| due_window(l, v.interval_min_days, v.interval_max_days))
        }
        _ => None,
    };
    let maintenance = match due {
        DueState::Complete | DueState::MaintenanceDue(_) => {
            last.map(|l| maintenance_date(l, rules.maintenance_months))
        }
        _ => None,
    };
    SeriesReport {
        scoped: s,
        visits,
        downtime,
        adverse,
        before,
        due,
        window,
        maintenance,
        prolonged_after,
    }
}

/// The adverse events reported after visit `number`, and redness past a
/// week, which is an adverse event even when not ticked.
fn adverse_lines(
    number: u32,
    date: NaiveDate,
    f: &crate::domain::Followup,
    prolonged_after: u8,
) -> Vec<AdverseLine> {
    f.adverse_texts(prolonged_after)
        .into_iter()
        .map(|text| AdverseLine { number, date, text })
        .collect()
}

/// One client's part of the report, worked out from their records in scope.
pub fn client_report<'a>(c: &'a ScopedClient, today: NaiveDate, rules: &Rules) -> ClientReport<'a> {
    ClientReport {
        client: &c.client,
        series: c
            .series
            .iter()
            .map(|s| series_report(s, today, rules))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aftercare_names_the_clinic_when_it_is_set() {
        let mut clinic = Clinic::default();
        assert_eq!(aftercare(&clinic), AFTERCARE.map(String::from));
        clinic.name = "Skin Studio".into();
        clinic.contact = "020 7946 0000".into();
        assert!(
            aftercare(&clinic)[2].contains("Contact Skin Studio (020 7946 0000) if redness"),
            "{:?}",
            aftercare(&clinic)
        );
    }

    #[test]
    fn signed_and_trimmed_numbers() {
        assert_eq!(signed(2), "+2");
        assert_eq!(signed(-2), "-2");
        assert_eq!(trim_number(1.0), "1");
        assert_eq!(trim_number(1.26), "1.3");
        assert_eq!(trim_number(5.25), "5.3");
        assert_eq!(trim_number(-0.25), "-0.3");
    }
}
