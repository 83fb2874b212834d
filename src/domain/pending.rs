//! "Follow-up pending", defined once: the home list's ◷ flag and its
//! "follow-up pending" view. The stored list computes the same in SQL
//! (`db::schema`), and `needlelog check` compares the two.

use super::series::{Series, SeriesStatus};
use super::session::Session;

/// The series a client's screens lead with: the newest active one, else the
/// newest (newest = latest start, then latest record).
pub fn current_series<'a, T>(series: impl IntoIterator<Item = (&'a Series, T)>) -> Option<T> {
    series
        .into_iter()
        .max_by_key(|(s, _)| {
            (
                s.data.status == SeriesStatus::Active,
                s.data.started_on,
                s.id,
            )
        })
        .map(|(_, t)| t)
}

/// The latest session of a series: the latest date, then the latest record.
pub fn latest_session<'a>(sessions: impl IntoIterator<Item = &'a Session>) -> Option<&'a Session> {
    sessions
        .into_iter()
        .max_by_key(|x| (x.data.performed_at, x.id))
}

/// Whether a client's follow-up is pending: the latest session of their
/// current series has no recorded follow-up ([`super::Followup::is_recorded`]).
/// A client without sessions in that series has nothing pending.
pub fn followup_pending<'a>(series: impl IntoIterator<Item = (&'a Series, &'a [Session])>) -> bool {
    current_series(series)
        .and_then(latest_session)
        .is_some_and(|x| !x.data.followup.is_recorded())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Concern, Days, SeriesDraft, SessionDraft};
    use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
    use uuid::Uuid;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn series(id: i64, started: u32, status: SeriesStatus) -> Series {
        let mut data = SeriesDraft::new(Concern::AcneScars, day(started))
            .validate()
            .unwrap();
        data.status = status;
        let t = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        Series {
            id,
            uuid: Uuid::nil(),
            client_id: 1,
            data,
            created_at: t,
            updated_at: t,
        }
    }

    fn session(id: i64, at: NaiveDateTime, recorded: bool) -> Session {
        let mut data = SessionDraft::at(at);
        data.followup.recorded_on = Some(at.date());
        if recorded {
            data.followup.redness_days = Days::parse("r", "1").ok();
        }
        let t = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        Session {
            id,
            uuid: Uuid::nil(),
            series_id: 1,
            data,
            created_at: t,
            updated_at: t,
        }
    }

    fn at(d: u32) -> NaiveDateTime {
        day(d).and_hms_opt(10, 0, 0).unwrap()
    }

    #[test]
    fn the_current_series_is_the_newest_active_else_the_newest() {
        let old_active = series(1, 1, SeriesStatus::Active);
        let new_closed = series(2, 5, SeriesStatus::Closed);
        let older_closed = series(3, 2, SeriesStatus::Closed);
        let pick = |list: &[&Series]| current_series(list.iter().map(|s| (*s, s.id)));
        assert_eq!(pick(&[&old_active, &new_closed]), Some(1));
        assert_eq!(pick(&[&older_closed, &new_closed]), Some(2));
        // Same start: the later record.
        let twin = series(4, 5, SeriesStatus::Closed);
        assert_eq!(pick(&[&twin, &new_closed]), Some(4));
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn pending_looks_at_the_latest_session_of_the_current_series() {
        let active = series(1, 1, SeriesStatus::Active);
        let closed = series(2, 5, SeriesStatus::Closed);
        // Dated, not recorded: pending, whatever order the slice is in.
        let xs = [session(2, at(20), false), session(1, at(10), true)];
        assert!(followup_pending([(&active, &xs[..])]));
        // The latest one recorded: not pending.
        let ys = [session(3, at(10), false), session(4, at(20), true)];
        assert!(!followup_pending([(&active, &ys[..])]));
        // Same minute: the later record counts.
        let zs = [session(6, at(20), true), session(5, at(20), false)];
        assert!(!followup_pending([(&active, &zs[..])]));
        // A closed series' pending session does not count while another is active.
        assert!(!followup_pending([(&active, &ys[..]), (&closed, &xs[..])]));
        // The current series has no session yet: nothing pending.
        assert!(!followup_pending([(&active, &[][..]), (&closed, &xs[..])]));
        assert!(!followup_pending([]));
    }
}
