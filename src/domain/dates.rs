//! Dates as people type them: one parser for forms, the command line and
//! imported client lists, each error saying what is wrong in words. (The
//! database's own stored text is read by `db`'s faster reader of the same
//! layout.)

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The layout a date is typed in.
pub const DATE_HINT: &str = "YYYY-MM-DD";
/// The layout a date and time is typed in.
pub const DATETIME_HINT: &str = "YYYY-MM-DD HH:MM";

/// A day typed as `YYYY-MM-DD` (surrounding spaces ignored), or why not:
/// "expected YYYY-MM-DD", "month 13 does not exist", "2026-02-30 is not a
/// day of the calendar".
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let numeric = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !numeric || parts[0].len() != 4 {
        return Err(format!("expected {DATE_HINT}"));
    }
    let number = |p: &str| p.parse::<u32>().unwrap_or(0);
    let (y, m, d) = (number(parts[0]), number(parts[1]), number(parts[2]));
    if !(1..=12).contains(&m) {
        return Err(format!("month {m} does not exist"));
    }
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or_else(|| format!("{t} is not a day of the calendar"))
}

/// An optional day: empty is None; anything else must be a real day.
pub fn parse_optional_day(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_day(text).map(Some)
    }
}

/// A moment typed as `YYYY-MM-DD HH:MM` (or with a `T`); a bare day takes
/// `default_time`.
pub fn parse_moment(text: &str, default_time: NaiveTime) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("required".into());
    }
    let (day, time) = match t.split_once([' ', 'T']) {
        Some((d, tm)) => (d, Some(tm.trim())),
        None => (t, None),
    };
    let date = parse_day(day).map_err(|e| {
        if e.starts_with("expected") {
            format!("expected {DATETIME_HINT}")
        } else {
            e
        }
    })?;
    let time = match time {
        None | Some("") => default_time,
        Some(tm) => NaiveTime::parse_from_str(tm, "%H:%M")
            .map_err(|_| format!("'{tm}' is not a time (HH:MM)"))?,
    };
    Ok(NaiveDateTime::new(date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_why_not() {
        assert_eq!(
            parse_day(" 2024-02-29 "),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        assert_eq!(
            parse_day("2026-02-30"),
            Err("2026-02-30 is not a day of the calendar".into())
        );
        assert_eq!(
            parse_day("2026-13-01"),
            Err("month 13 does not exist".into())
        );
        for bad in [
            "26-01-01",
            "2026/01/01",
            "2026-1",
            "",
            "２０２６-01-05",
            "+2026-01-05",
        ] {
            assert_eq!(parse_day(bad), Err("expected YYYY-MM-DD".into()), "{bad:?}");
        }
        assert_eq!(parse_optional_day("  "), Ok(None));
    }

    #[test]
    fn moments_take_a_default_time() {
        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
        assert_eq!(parse_moment("2026-11-05", ten), Ok(d.and_time(ten)));
        assert_eq!(
            parse_moment("2026-11-05 11:30", ten),
            Ok(d.and_hms_opt(11, 30, 0).unwrap())
        );
        assert_eq!(
            parse_moment("2026-11-05T11:30", ten),
            Ok(d.and_hms_opt(11, 30, 0).unwrap())
        );
        assert_eq!(
            parse_moment("11/05", ten),
            Err("expected YYYY-MM-DD HH:MM".into())
        );
        assert_eq!(
            parse_moment("2026-11-05 25:00", ten),
            Err("'25:00' is not a time (HH:MM)".into())
        );
        assert_eq!(parse_moment("", ten), Err("required".into()));
    }
}
