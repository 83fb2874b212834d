//! The "today" screen's lists, built from what the store returned: sessions
//! recorded today, clients due or overdue, and recent sessions whose
//! follow-up is still to be asked for. Pure: no query, no clock.

use super::list::Rows;
use crate::db::today::DaySession;
use crate::domain::DueState;
use chrono::NaiveDate;

/// How far back a session still calls for asking about its follow-up.
pub const FOLLOWUP_DAYS: (i64, i64) = (1, 7);

/// Today's work, as of `date`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Today {
    pub date: Option<NaiveDate>,
    /// Sessions that took place today, in time order.
    pub recorded: Vec<DaySession>,
    /// Indices into the list rows of working clients due now, overdue or
    /// due for maintenance, most urgent first.
    pub due: Vec<usize>,
    /// Sessions 1–7 days ago with no follow-up recorded, oldest first.
    pub followups: Vec<DaySession>,
}

/// Working clients due now, overdue or due for maintenance, most urgent
/// first.
fn due_rows(rows: &Rows) -> Vec<usize> {
    let wanted = |d: DueState| d.is_due_now() || d.is_overdue() || d.is_maintenance_due();
    let mut due: Vec<usize> = (0..rows.len())
        .filter(|&i| !rows.rows[i].archived && rows.due[i].is_some_and(wanted))
        .collect();
    let urgency = |i: usize| rows.due[i].map_or(DueState::NO_SERIES, DueState::urgency);
    due.sort_by(|&a, &b| {
        urgency(a)
            .cmp(&urgency(b))
            .then_with(|| rows.name_key(a).cmp(rows.name_key(b)))
            .then(rows.rows[a].id.cmp(&rows.rows[b].id))
    });
    due
}

/// One line of the today screen the cursor can stand on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Recorded(usize),
    Due(usize),
    Followup(usize),
}

impl Today {
    /// Sorts the sessions of the last days (`sessions_on_days(date - 7,
    /// date)`) and the list rows into the three lists.
    pub fn build(date: NaiveDate, sessions: Vec<DaySession>, rows: &Rows) -> Self {
        let (recorded, earlier): (Vec<_>, Vec<_>) = sessions
            .into_iter()
            .partition(|x| x.performed_at.date() == date);
        let followups = earlier
            .into_iter()
            .filter(|x| {
                let ago = (date - x.performed_at.date()).num_days();
                x.followup_pending && (FOLLOWUP_DAYS.0..=FOLLOWUP_DAYS.1).contains(&ago)
            })
            .collect();
        Self {
            date: Some(date),
            recorded,
            due: due_rows(rows),
            followups,
        }
    }

    /// The due list again, for a list just reloaded (its rows moved).
    pub fn rows_changed(&mut self, rows: &Rows) {
        if self.date.is_some() {
            self.due = due_rows(rows);
        }
    }

    /// Every line the cursor can stand on, in reading order: what was done
    /// today, the follow-ups to ask for, then who is due.
    pub fn items(&self) -> Vec<Item> {
        (0..self.recorded.len())
            .map(Item::Recorded)
            .chain((0..self.followups.len()).map(Item::Followup))
            .chain((0..self.due.len()).map(Item::Due))
            .collect()
    }

    /// The client (by id and name), series and session a line is about.
    pub fn target<'a>(&'a self, item: Item, rows: &'a Rows) -> Option<Target<'a>> {
        let session = |x: &'a DaySession| Target {
            client: x.client_id,
            name: &x.client_name,
            series: Some(x.series_id),
            session: Some(x.session_id),
        };
        match item {
            Item::Recorded(i) => self.recorded.get(i).map(session),
            Item::Followup(i) => self.followups.get(i).map(session),
            Item::Due(i) => self.due.get(i).and_then(|&r| {
                let row = rows.rows.get(r)?;
                Some(Target {
                    client: row.id,
                    name: &row.name,
                    series: row.series.as_ref().map(|s| s.id),
                    session: None,
                })
            }),
        }
    }
}

/// What a line of the today screen is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    pub client: i64,
    pub name: &'a str,
    pub series: Option<i64>,
    pub session: Option<i64>,
}
