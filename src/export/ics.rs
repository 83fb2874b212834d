//! iCalendar (RFC 5545) for rebooking: one all-day event per active series
//! spanning the window in which its next session is due — on the export's
//! day instead when that window has closed (overdue: a call to make
//! today) — and one on the maintenance date of each completed series. Lines end in CRLF
//! and are folded at 75 octets without splitting a UTF-8 character; each
//! event's UID is derived from its series' UUID, so that importing a newer
//! export moves the event instead of adding another (SEQUENCE grows with
//! every session recorded; an overdue event moved to a later export's day
//! keeps its SEQUENCE and is told newer by its DTSTAMP, as RFC 5546 says).

use crate::config::Clinic;
use crate::db::{Scope, ScopedClient, ScopedSeries};
use crate::domain::{DueState, SeriesStatus, due_state, due_window, maintenance_date};
use chrono::{DateTime, Days, NaiveDate, Utc};

pub const PRODID: &str = "-//needlelog//needlelog export//EN";

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    super::escape_with(s, |c| match c {
        '\\' => Some("\\\\"),
        ';' => Some("\\;"),
        ',' => Some("\\,"),
        '\n' => Some("\\n"),
        // Other control characters (CR among them) are not allowed
        // in TEXT.
        c if c.is_control() => Some(""),
        _ => None,
    })
}

/// Appends one content line, folded so that no physical line exceeds 75
/// octets (a continuation line's leading space counts), ending in CRLF.
pub fn push_line(out: &mut String, line: &str) {
    let mut limit = 75;
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > limit {
            out.push_str("\r\n ");
            limit = 74;
            used = 0;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// One series' rebooking event: its due window, what to book and why.
struct Rebooking {
    uid: String,
    sequence: u32,
    opens: NaiveDate,
    /// DTEND of an all-day event: the day after the window closes.
    end: NaiveDate,
    summary: String,
    description: String,
}

/// `ORGANIZER` from the clinic's settings: it must be an address, so only
/// when the contact line holds an e-mail address.
fn organizer(clinic: &Clinic) -> Option<String> {
    let email = clinic
        .contact
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|w| w.trim_matches(|c: char| "<>()[]".contains(c)))
        .find(|w| w.contains('@') && !w.starts_with('@') && !w.ends_with('@'))?;
    let name = if clinic.practitioner.trim().is_empty() {
        clinic.name.trim()
    } else {
        clinic.practitioner.trim()
    };
    // A parameter value cannot hold a double quote; quoted, it may hold the rest.
    let name: String = name
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    Some(if name.is_empty() {
        format!("ORGANIZER:mailto:{email}")
    } else {
        format!("ORGANIZER;CN=\"{name}\":mailto:{email}")
    })
}

impl Rebooking {
    fn lines(&self, stamp: &str, organizer: Option<&str>) -> Vec<String> {
        let mut lines = vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", self.uid),
            format!("DTSTAMP:{stamp}"),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTART;VALUE=DATE:{}", date(self.opens)),
            format!("DTEND;VALUE=DATE:{}", date(self.end)),
            format!("SUMMARY:{}", escape_text(&self.summary)),
            format!("DESCRIPTION:{}", escape_text(&self.description)),
            "CATEGORIES:needlelog,rebooking".to_string(),
            "TRANSP:TRANSPARENT".to_string(),
        ];
        lines.extend(organizer.map(str::to_string));
        lines.push("END:VEVENT".to_string());
        lines
    }
}

/// What the calendar needs of the day and the practice.
#[derive(Clone, Copy)]
struct Context<'a> {
    scope: &'a Scope,
    today: NaiveDate,
    clinic: &'a Clinic,
    maintenance_months: u32,
}

/// The event for series `s` of client `c`: its next session's window if it
/// is under way, its maintenance date if it is complete (none when closed
/// early or unstarted), when that meets the scope's dates.
fn event(c: &ScopedClient, s: &ScopedSeries, cx: Context<'_>) -> Option<Rebooking> {
    let v = &s.series.data;
    let last = s.last_session.map(|t| t.date())?;
    let state = due_state(
        s.total_sessions,
        v.planned_sessions,
        v.status == SeriesStatus::Closed,
        Some(last),
        (v.interval_min_days, v.interval_max_days),
        cx.maintenance_months,
        cx.today,
    );
    match state {
        DueState::Closed | DueState::NotStarted => None,
        DueState::Complete | DueState::MaintenanceDue(_) => maintenance((c, s, last, state), cx),
        _ => rebooking((c, s, last, state), cx),
    }
}

/// A series with its client, its last session and its state.
type Due<'a> = (&'a ScopedClient, &'a ScopedSeries, NaiveDate, DueState);

/// The maintenance event of the completed series `s`, on its maintenance
/// date; the same UID as its rebooking events, so that it replaces the
/// last one in a calendar that imported them.
fn maintenance((c, s, last, state): Due<'_>, cx: Context<'_>) -> Option<Rebooking> {
    let name = &c.client.data.name;
    let v = &s.series.data;
    let on = maintenance_date(last, cx.maintenance_months);
    let inside = cx.scope.since.is_none_or(|d| on >= d) && cx.scope.until.is_none_or(|d| on <= d);
    if !inside {
        return None;
    }
    let summary = format!("Maintenance: {name}: {}", v.concern.label());
    let mut description = format!(
        "Maintenance session for {name}: {}{}, series of {} complete.\nLast session \
         {last}; maintenance {} months later, on {on} ({state} on {}).\nSeries {}, client {}.",
        v.concern.label(),
        zones_text(v),
        s.total_sessions,
        cx.maintenance_months,
        cx.today,
        s.series.uuid,
        c.client.uuid
    );
    if !cx.clinic.is_empty() {
        description.push_str(&format!("\n{}", cx.clinic.line()));
    }
    Some(Rebooking {
        uid: format!("{}@needlelog", s.series.uuid),
        sequence: s.total_sessions,
        opens: on,
        end: on.checked_add_days(Days::new(1)).unwrap_or(on),
        summary,
        description,
    })
}

/// ` (cheeks, chin)`, or nothing without zones.
fn zones_text(v: &crate::domain::ValidSeries) -> String {
    let zones: Vec<&str> = v.zones.iter().map(|z| z.label()).collect();
    if zones.is_empty() {
        String::new()
    } else {
        format!(" ({})", zones.join(", "))
    }
}

/// The rebooking event of series `s`, under way, for the window of its
/// next session, if that meets the scope's dates. An overdue series'
/// window lies wholly in the past, where a calendar opened on today never
/// shows it: its event is on the export's day instead, a call to make
/// ([`overdue`]).
fn rebooking((c, s, last, state): Due<'_>, cx: Context<'_>) -> Option<Rebooking> {
    let Context {
        scope,
        today,
        clinic,
        ..
    } = cx;
    let name = &c.client.data.name;
    let v = &s.series.data;
    let w = due_window(last, v.interval_min_days, v.interval_max_days);
    let next = s.total_sessions + 1;
    let (opens, closes, summary) = match state {
        DueState::Overdue(days) => (today, today, overdue(name, v, next, days, w.closes)),
        _ => (
            w.opens,
            w.closes,
            format!(
                "Rebook {name}: {} session {next} of {}",
                v.concern.label(),
                v.planned_sessions
            ),
        ),
    };
    let overlaps =
        scope.since.is_none_or(|d| closes >= d) && scope.until.is_none_or(|d| opens <= d);
    if !overlaps {
        return None;
    }
    let mut description = format!(
        "Next microneedling session for {name}: {}{}",
        v.concern.label(),
        zones_text(v)
    );
    description.push_str(&format!(
        ", session {next} of {}.\nLast session {last}. Due between {} and {} \
         ({state} on {today}).",
        v.planned_sessions, w.opens, w.closes
    ));
    if state.is_overdue() {
        description.push_str(
            "\nThe window has closed: call to rebook. This reminder is on the day of \
             the export; a newer export moves it to its own day.",
        );
    }
    description.push_str(&format!(
        "\nSeries {}, client {}.",
        s.series.uuid, c.client.uuid
    ));
    if !clinic.is_empty() {
        description.push_str(&format!("\n{}", clinic.line()));
    }
    Some(Rebooking {
        uid: format!("{}@needlelog", s.series.uuid),
        sequence: s.total_sessions,
        opens,
        end: closes.checked_add_days(Days::new(1)).unwrap_or(closes),
        summary,
        description,
    })
}

/// The title of an overdue series' event: how long overdue, whom to
/// call, for which session, and when its window closed.
fn overdue(
    name: &str,
    v: &crate::domain::ValidSeries,
    next: u32,
    days: i64,
    closed: NaiveDate,
) -> String {
    let unit = if days == 1 { "day" } else { "days" };
    format!(
        "Overdue {days} {unit}: call {name}: {} session {next} of {}, window closed {closed}",
        v.concern.label(),
        v.planned_sessions
    )
}

/// The calendar for the series of the clients given to [`Calendar::client`]
/// one at a time (loaded without a date range). A series of a client not
/// archived gets an event when it is active, started and not yet at its
/// planned number of sessions (the window of the next, or `today` once
/// that window has closed), or complete (its maintenance date,
/// `maintenance_months` after the last session); one closed early gets
/// none. With a date range, only events that overlap it are kept.
pub struct Calendar<'a> {
    cx: Context<'a>,
    organizer: Option<String>,
    stamp: String,
    /// Events so far.
    pub events: usize,
    /// Clients with at least one event so far.
    pub clients: usize,
}

impl<'a> Calendar<'a> {
    pub fn new(
        scope: &'a Scope,
        today: NaiveDate,
        now: DateTime<Utc>,
        clinic: &'a Clinic,
        maintenance_months: u32,
    ) -> Self {
        Calendar {
            cx: Context {
                scope,
                today,
                clinic,
                maintenance_months,
            },
            organizer: organizer(clinic),
            stamp: now.format("%Y%m%dT%H%M%SZ").to_string(),
            events: 0,
            clients: 0,
        }
    }

    /// The lines that open the calendar.
    pub fn head() -> String {
        let mut out = String::new();
        for line in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            &format!("PRODID:{PRODID}"),
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:needlelog rebooking",
        ] {
            push_line(&mut out, line);
        }
        out
    }

    /// Appends the events of client `c`'s series to `out`.
    pub fn client(&mut self, c: &ScopedClient, out: &mut String) {
        if c.client.archived_at.is_some() {
            return;
        }
        let before = self.events;
        for s in &c.series {
            if let Some(event) = event(c, s, self.cx) {
                for line in event.lines(&self.stamp, self.organizer.as_deref()) {
                    push_line(out, &line);
                }
                self.events += 1;
            }
        }
        if self.events > before {
            self.clients += 1;
        }
    }

    /// The line that closes the calendar.
    pub fn tail() -> String {
        let mut out = String::new();
        push_line(&mut out, "END:VCALENDAR");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organizer_needs_an_e_mail_address() {
        let mut clinic = Clinic {
            name: "Skin Studio".into(),
            practitioner: String::new(),
            contact: "+44 20 7946 0000".into(),
        };
        assert_eq!(organizer(&clinic), None);
        clinic.contact = "+44 20 7946 0000, <desk@skin.example>".into();
        assert_eq!(
            organizer(&clinic).as_deref(),
            Some("ORGANIZER;CN=\"Skin Studio\":mailto:desk@skin.example")
        );
        clinic.practitioner = "Dr \"Jo\" Park".into();
        assert_eq!(
            organizer(&clinic).as_deref(),
            Some("ORGANIZER;CN=\"Dr Jo Park\":mailto:desk@skin.example")
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(100));
        push_line(&mut out, &line);
        let physical: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(physical.last(), Some(&""));
        for (i, l) in physical[..physical.len() - 1].iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            assert_eq!(i > 0, l.starts_with(' '));
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        let mut short = String::new();
        push_line(&mut short, "VERSION:2.0");
        assert_eq!(short, "VERSION:2.0\r\n");
    }
}
