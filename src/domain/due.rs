//! When the next session of a series is due.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use std::fmt;

/// The days in which the next session should take place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueWindow {
    pub opens: NaiveDate,
    pub closes: NaiveDate,
}

pub fn due_window(
    last_session: NaiveDate,
    interval_min_days: u8,
    interval_max_days: u8,
) -> DueWindow {
    let add = |n: u8| {
        last_session
            .checked_add_days(Days::new(u64::from(n)))
            .unwrap_or(NaiveDate::MAX)
    };
    DueWindow {
        opens: add(interval_min_days),
        closes: add(interval_max_days),
    }
}

/// When a completed series is due for maintenance: `months` (the
/// practice's `maintenance_months`) after its last session; at the end of
/// a shorter month, its last day.
pub fn maintenance_date(last_session: NaiveDate, months: u32) -> NaiveDate {
    last_session
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "days", rename_all = "snake_case")]
pub enum DueState {
    /// No session recorded in the series yet.
    NotStarted,
    /// The window opens in this many days.
    DueIn(i64),
    /// Today is inside the window; it closes in this many days (0 = today).
    DueNow(i64),
    /// The window closed this many days ago.
    Overdue(i64),
    /// The planned sessions are done; maintenance is not yet due.
    Complete,
    /// A completed series whose maintenance date passed this many days ago
    /// (0 = today).
    MaintenanceDue(i64),
    /// Closed before the planned sessions were done.
    Closed,
}

impl DueState {
    /// Orders clients by urgency: the most overdue first, then due now
    /// (closing soonest first), then upcoming, maintenance due (longest
    /// due first), not started, complete.
    pub fn urgency(self) -> (u8, i64) {
        match self {
            Self::Overdue(d) => (0, -d),
            Self::DueNow(d) => (1, d),
            Self::DueIn(d) => (2, d),
            Self::MaintenanceDue(d) => (3, -d),
            Self::NotStarted => (4, 0),
            Self::Complete => (5, 0),
            Self::Closed => (5, 1),
        }
    }

    /// After this, [`urgency`](Self::urgency) of no series at all.
    pub const NO_SERIES: (u8, i64) = (6, 0);

    pub fn is_due_now(self) -> bool {
        matches!(self, Self::DueNow(_))
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Self::Overdue(_))
    }

    pub fn is_maintenance_due(self) -> bool {
        matches!(self, Self::MaintenanceDue(_))
    }
}

fn days(n: i64) -> &'static str {
    if n == 1 { "day" } else { "days" }
}

impl fmt::Display for DueState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NotStarted => f.write_str("not started"),
            Self::DueIn(n) => write!(f, "due in {n} {}", days(n)),
            Self::DueNow(_) => f.write_str("due now"),
            Self::Overdue(n) => write!(f, "overdue {n} {}", days(n)),
            Self::Complete => f.write_str("complete"),
            Self::MaintenanceDue(_) => f.write_str("maintenance due"),
            Self::Closed => f.write_str("closed"),
        }
    }
}

/// The due state of a series on `today`.
///
/// `done` counts recorded sessions, `last_session` is the latest of them.
/// A completed series is due for maintenance `maintenance_months` after its
/// last session (see [`maintenance_date`]); one closed early never is.
pub fn due_state(
    done: u32,
    planned: u8,
    closed: bool,
    last_session: Option<NaiveDate>,
    interval: (u8, u8),
    maintenance_months: u32,
    today: NaiveDate,
) -> DueState {
    if done >= u32::from(planned) {
        let due = last_session.map(|l| maintenance_date(l, maintenance_months));
        return match due {
            Some(due) if today >= due => DueState::MaintenanceDue((today - due).num_days()),
            _ => DueState::Complete,
        };
    }
    if closed {
        return DueState::Closed;
    }
    let Some(last) = last_session.filter(|_| done > 0) else {
        return DueState::NotStarted;
    };
    let w = due_window(last, interval.0, interval.1);
    if today < w.opens {
        DueState::DueIn((w.opens - today).num_days())
    } else if today <= w.closes {
        DueState::DueNow((w.closes - today).num_days())
    } else {
        DueState::Overdue((today - w.closes).num_days())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn state(last: NaiveDate, today: NaiveDate) -> DueState {
        due_state(1, 3, false, Some(last), (28, 42), 6, today)
    }

    #[test]
    fn window_edges_are_inclusive() {
        let last = d(2026, 1, 1);
        assert_eq!(state(last, d(2026, 1, 28)), DueState::DueIn(1));
        assert_eq!(state(last, d(2026, 1, 29)), DueState::DueNow(14));
        assert_eq!(state(last, d(2026, 2, 12)), DueState::DueNow(0));
        assert_eq!(state(last, d(2026, 2, 13)), DueState::Overdue(1));
    }

    #[test]
    fn month_ends_and_leap_days() {
        // 2028 is a leap year: 31 Jan + 29 days is 29 Feb.
        assert_eq!(due_window(d(2028, 1, 31), 29, 42).opens, d(2028, 2, 29));
        assert_eq!(due_window(d(2026, 1, 31), 29, 42).opens, d(2026, 3, 1));
        assert_eq!(due_window(d(2028, 2, 29), 28, 42).opens, d(2028, 3, 28));
        assert_eq!(due_window(d(2026, 12, 15), 28, 42).closes, d(2027, 1, 26));
        assert_eq!(state(d(2028, 1, 31), d(2028, 2, 27)), DueState::DueIn(1));
        assert_eq!(state(d(2028, 1, 31), d(2028, 2, 28)), DueState::DueNow(14));
        assert_eq!(state(d(2028, 1, 31), d(2028, 3, 13)), DueState::DueNow(0));
        assert_eq!(state(d(2028, 1, 31), d(2028, 3, 14)), DueState::Overdue(1));
        assert_eq!(state(d(2028, 1, 31), d(2028, 2, 29)), DueState::DueNow(13));
    }

    #[test]
    fn not_started_and_complete() {
        let today = d(2026, 11, 21);
        assert_eq!(
            due_state(0, 3, false, None, (28, 42), 6, today),
            DueState::NotStarted
        );
        assert_eq!(
            due_state(3, 3, false, Some(d(2026, 9, 1)), (28, 42), 6, today),
            DueState::Complete
        );
        assert_eq!(
            due_state(4, 3, false, Some(d(2026, 9, 1)), (28, 42), 6, today),
            DueState::Complete
        );
        // Closed early is not complete; closed after the last planned
        // session is.
        assert_eq!(
            due_state(1, 3, true, Some(d(2026, 11, 1)), (28, 42), 6, today),
            DueState::Closed
        );
        assert_eq!(DueState::Closed.to_string(), "closed");
        assert_eq!(
            due_state(3, 3, true, Some(d(2026, 11, 1)), (28, 42), 6, today),
            DueState::Complete
        );
    }

    #[test]
    fn maintenance_is_due_months_after_the_last_session_of_a_complete_series() {
        let last = d(2026, 3, 10);
        let on = |today, closed| due_state(3, 3, closed, Some(last), (28, 42), 6, today);
        assert_eq!(maintenance_date(last, 6), d(2026, 9, 10));
        assert_eq!(on(d(2026, 9, 9), false), DueState::Complete);
        assert_eq!(on(d(2026, 9, 10), false), DueState::MaintenanceDue(0));
        assert_eq!(on(d(2026, 9, 11), false), DueState::MaintenanceDue(1));
        // Closed after the last planned session: complete, so maintained.
        assert_eq!(on(d(2026, 9, 11), true), DueState::MaintenanceDue(1));
        // Closed early: never.
        assert_eq!(
            due_state(2, 3, true, Some(last), (28, 42), 6, d(2027, 1, 1)),
            DueState::Closed
        );
        // The practice's interval, and month ends.
        assert_eq!(
            due_state(3, 3, false, Some(last), (28, 42), 12, d(2027, 3, 9)),
            DueState::Complete
        );
        assert_eq!(
            due_state(3, 3, false, Some(last), (28, 42), 12, d(2027, 3, 10)),
            DueState::MaintenanceDue(0)
        );
        assert_eq!(maintenance_date(d(2026, 8, 31), 6), d(2027, 2, 28));
        assert_eq!(maintenance_date(d(2027, 8, 31), 6), d(2028, 2, 29));
        assert_eq!(DueState::MaintenanceDue(3).to_string(), "maintenance due");
    }

    #[test]
    fn text_and_urgency() {
        assert_eq!(DueState::DueIn(1).to_string(), "due in 1 day");
        assert_eq!(DueState::Overdue(12).to_string(), "overdue 12 days");
        // Most urgent first; maintenance before a series not started yet.
        let order = [
            DueState::Overdue(9),
            DueState::Overdue(2),
            DueState::DueNow(5),
            DueState::DueIn(3),
            DueState::MaintenanceDue(40),
            DueState::MaintenanceDue(1),
            DueState::NotStarted,
            DueState::Complete,
        ];
        for rotation in 0..order.len() {
            let mut v = order;
            v.rotate_left(rotation);
            v.reverse();
            v.sort_by_key(|s| s.urgency());
            assert_eq!(v, order, "from rotation {rotation}");
        }
    }
}
