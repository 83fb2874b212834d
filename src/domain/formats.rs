//! How days, times and UUIDs are written in a JSON export: each as a JSON
//! Schema pattern (for the schema) and as a check that says what is wrong
//! (for import). A test runs both over the same strings, so the two cannot
//! drift apart.
//!
//! The patterns admit real calendar values only: months 01–12, the days
//! each month has, and 29 February in leap years alone (every fourth year,
//! except centuries not divisible by 400). Years have four digits.

/// A month and day of any year, or 29 February of a leap year: the body of
/// every date pattern below (no anchors).
macro_rules! date_body {
    () => {
        concat!(
            "(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])",
            "|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)",
            "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)"
        )
    };
}

/// A day: `2026-11-21`.
pub const DATE_PATTERN: &str = concat!("^", date_body!(), "$");
/// A session's local date and time, to the minute: `2026-11-21T13:05:00`
/// (seconds are always `00`).
pub const MINUTE_PATTERN: &str = concat!("^", date_body!(), "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:00$");
/// A photo's local date and time, to the second: `2026-11-21T13:05:09`.
pub const SECOND_PATTERN: &str = concat!(
    "^",
    date_body!(),
    "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
);
/// A moment in RFC 3339 with a time zone: `2026-11-21T13:05:09.123Z`.
pub const TIMESTAMP_PATTERN: &str = concat!(
    "^",
    date_body!(),
    "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?",
    "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
);
/// A UUID of version 7 (time-ordered), in lower case with hyphens.
pub const UUID_PATTERN: &str =
    "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Whether `s` has the shape of `template`, where `9` stands for a digit
/// and any other character for itself.
fn shaped(s: &str, template: &str) -> bool {
    s.len() == template.len()
        && s.bytes().zip(template.bytes()).all(|(c, t)| match t {
            b'9' => c.is_ascii_digit(),
            t => c == t,
        })
}

fn number(s: &str) -> u32 {
    s.bytes()
        .fold(0, |n, d| n * 10 + u32::from(d.saturating_sub(b'0')))
}

fn leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// Checks `YYYY-MM-DD` (the first ten characters of `s`, which has them).
fn check_day(s: &str) -> Result<(), String> {
    let (year, month, day) = (number(&s[..4]), number(&s[5..7]), number(&s[8..10]));
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not a month"));
    }
    let name = MONTHS[month as usize - 1];
    let days = match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 29 && month == 2 && !leap(year) {
        return Err(format!("{year} is not a leap year: February has 28 days"));
    }
    if day == 0 || day > days {
        return Err(format!("day {day} is not a day of {name} ({days} days)"));
    }
    Ok(())
}

fn check_clock(hour: u32, minute: u32, second: u32) -> Result<(), String> {
    if hour > 23 {
        return Err(format!("hour {hour} is not an hour (00–23)"));
    }
    if minute > 59 {
        return Err(format!("minute {minute} is not a minute (00–59)"));
    }
    if second > 59 {
        return Err(format!("second {second} is not a second (00–59)"));
    }
    Ok(())
}

/// A day as [`DATE_PATTERN`] admits it, or what is wrong with it.
pub fn check_date(s: &str) -> Result<(), String> {
    if !shaped(s, "9999-99-99") {
        return Err(format!("{s:?} is not a day written YYYY-MM-DD"));
    }
    check_day(s)
}

/// A session's time as [`MINUTE_PATTERN`] admits it, or what is wrong.
pub fn check_minute(s: &str) -> Result<(), String> {
    if !shaped(s, "9999-99-99T99:99:99") {
        return Err(format!(
            "{s:?} is not a date and time written YYYY-MM-DDTHH:MM:00"
        ));
    }
    check_day(s)?;
    check_clock(number(&s[11..13]), number(&s[14..16]), number(&s[17..19]))?;
    if &s[17..19] != "00" {
        return Err(format!(
            "sessions are kept to the minute: {} has seconds; write {}:00 (or the minute meant)",
            &s[11..19],
            &s[11..16]
        ));
    }
    Ok(())
}

/// A photo's time as [`SECOND_PATTERN`] admits it, or what is wrong.
pub fn check_second(s: &str) -> Result<(), String> {
    if !shaped(s, "9999-99-99T99:99:99") {
        return Err(format!(
            "{s:?} is not a date and time written YYYY-MM-DDTHH:MM:SS"
        ));
    }
    check_day(s)?;
    check_clock(number(&s[11..13]), number(&s[14..16]), number(&s[17..19]))
}

/// SHA-256 as [`crate::export::json::SHA256_PATTERN`] admits it: 64
/// lower-case hex digits.
pub fn check_sha256(s: &str) -> Result<(), String> {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(format!("{s:?} is not a SHA-256 (64 lower-case hex digits)"))
    }
}

/// A moment as [`TIMESTAMP_PATTERN`] admits it, or what is wrong.
pub fn check_timestamp(s: &str) -> Result<(), String> {
    let wrong = || {
        format!("{s:?} is not a moment written YYYY-MM-DDTHH:MM:SS[.fraction] with Z or an offset")
    };
    if s.len() < 20 || !shaped(&s[..19], "9999-99-99T99:99:99") {
        return Err(wrong());
    }
    let mut rest = &s[19..];
    if let Some(after) = rest.strip_prefix('.') {
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&digits) {
            return Err(wrong());
        }
        rest = &after[digits..];
    }
    let offset_ok = rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && shaped(&rest[1..], "99:99")
            && number(&rest[1..3]) <= 23
            && number(&rest[4..6]) <= 59);
    if !offset_ok {
        return Err(wrong());
    }
    check_day(s)?;
    check_clock(number(&s[11..13]), number(&s[14..16]), number(&s[17..19]))
}

/// A UUID as [`UUID_PATTERN`] admits it, or what is wrong.
pub fn check_uuid(s: &str) -> Result<(), String> {
    let hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
    let shape_ok = s.len() == 36
        && s.bytes().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => hex(c),
        });
    if !shape_ok {
        return Err(format!(
            "{s:?} is not a UUID written in lower case with hyphens"
        ));
    }
    let bytes = s.as_bytes();
    if bytes[14] != b'7' || !matches!(bytes[19], b'8' | b'9' | b'a' | b'b') {
        return Err(format!(
            "{s:?} is not a UUID of version 7 (xxxxxxxx-xxxx-7xxx-[89ab]xxx-xxxxxxxxxxxx)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_real_calendar_days() {
        assert_eq!(check_date("2026-11-21"), Ok(()));
        assert_eq!(check_date("2024-02-29"), Ok(()));
        assert_eq!(check_date("2000-02-29"), Ok(()));
        assert_eq!(
            check_date("2026-13-01"),
            Err("month 13 is not a month".into())
        );
        assert_eq!(
            check_date("2026-01-32"),
            Err("day 32 is not a day of January (31 days)".into())
        );
        assert_eq!(
            check_date("2026-02-30"),
            Err("day 30 is not a day of February (28 days)".into())
        );
        assert_eq!(
            check_date("1900-02-29"),
            Err("1900 is not a leap year: February has 28 days".into())
        );
        assert!(check_date("2026-4-01").is_err());
    }

    #[test]
    fn session_times_have_no_seconds() {
        assert_eq!(check_minute("2026-11-21T13:05:00"), Ok(()));
        let e = check_minute("2026-11-21T13:00:15").unwrap_err();
        assert!(e.contains("13:00:15") && e.contains("13:00:00"), "{e}");
        assert!(check_minute("2026-11-21T24:00:00").is_err());
        assert!(check_minute("2026-11-21T13:00").is_err());
    }

    #[test]
    fn moments_and_uuids() {
        assert_eq!(check_timestamp("2026-11-21T13:05:09.123Z"), Ok(()));
        assert_eq!(check_timestamp("2026-11-21T13:05:09+02:00"), Ok(()));
        assert!(check_timestamp("2026-06-30T23:59:60Z").is_err());
        assert!(check_timestamp("2026-06-01T10:00:00z").is_err());
        assert!(check_timestamp("2026-06-01T10:00:00").is_err());
        assert_eq!(check_uuid("01900000-0000-7000-8000-0000000000aa"), Ok(()));
        assert!(check_uuid("01900000-0000-4000-8000-0000000000aa").is_err());
        assert!(check_uuid("01900000-0000-7000-8000-0000000000AA").is_err());
    }
}
