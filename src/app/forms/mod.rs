//! The forms of the program: each builds a [`Form`] from what is known and
//! turns a form back into a domain draft, putting every problem beside the
//! field it belongs to.

pub(crate) mod client;
pub(crate) mod export;
pub(crate) mod followup;
pub(crate) mod series;
pub(crate) mod session;

use super::form::{FieldKey, Form};
use crate::domain::ValidationError;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

pub const DATE_HINT: &str = "YYYY-MM-DD";

/// An optional date: empty is None; anything else must be a real day.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_day(t).map(Some)
}

fn parse_day(t: &str) -> Result<NaiveDate, String> {
    let parts: Vec<&str> = t.split('-').collect();
    let numeric = parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !numeric || parts[0].len() != 4 {
        return Err(format!("expected {DATE_HINT}"));
    }
    let (y, m, d) = (
        parts[0].parse::<i32>().unwrap_or(0),
        parts[1].parse::<u32>().unwrap_or(0),
        parts[2].parse::<u32>().unwrap_or(0),
    );
    if !(1..=12).contains(&m) {
        return Err(format!("month {m} does not exist"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("{t} is not a day of the calendar"))
}

/// A date and time, `YYYY-MM-DD HH:MM`; a bare date keeps `default_time`.
pub fn parse_datetime(text: &str, default_time: NaiveTime) -> Result<NaiveDateTime, String> {
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
            "expected YYYY-MM-DD HH:MM".into()
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

/// Parses an optional value with `f`, putting the reason on `key`.
pub fn optional<T>(
    form: &mut Form,
    key: FieldKey,
    f: impl Fn(&str) -> Result<T, ValidationError>,
) -> Option<T> {
    let text = form.text(key).trim().to_string();
    if text.is_empty() {
        return None;
    }
    match f(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            form.set_error(key, reason(&e));
            None
        }
    }
}

/// The part of a validation message that goes beside its field.
pub fn reason(e: &ValidationError) -> String {
    match e {
        ValidationError::Required { .. } => "required".into(),
        ValidationError::OutOfRange { min, max, got, .. } => format!("{min}–{max} (got {got})"),
        ValidationError::Invalid { reason, .. } => reason.clone(),
    }
}

/// Puts domain errors beside the fields they name; `fields` maps the
/// domain's field names to form keys.
pub fn place_errors(form: &mut Form, errors: &[ValidationError], fields: &[(&str, FieldKey)]) {
    for e in errors {
        let key = fields
            .iter()
            .find(|(name, _)| *name == e.field())
            .map(|(_, k)| *k);
        match key {
            Some(k) => form.set_error(k, reason(e)),
            None => {
                if let Some(focus) = form.fields.get(form.focus).map(|f| f.key) {
                    form.set_error(focus, e.to_string());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_give_their_reason() {
        assert_eq!(parse_date("").unwrap(), None);
        assert_eq!(
            parse_date("2028-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        assert_eq!(
            parse_date("2026-02-30").unwrap_err(),
            "2026-02-30 is not a day of the calendar"
        );
        assert_eq!(
            parse_date("2026-13-01").unwrap_err(),
            "month 13 does not exist"
        );
        assert_eq!(parse_date("21/11/2026").unwrap_err(), "expected YYYY-MM-DD");
        assert_eq!(parse_date("26-11-21").unwrap_err(), "expected YYYY-MM-DD");
    }

    #[test]
    fn datetimes_accept_a_bare_date() {
        let t = NaiveTime::from_hms_opt(9, 30, 0).unwrap();
        assert_eq!(
            parse_datetime("2026-11-21", t).unwrap().to_string(),
            "2026-11-21 09:30:00"
        );
        assert_eq!(
            parse_datetime("2026-11-21 14:05", t).unwrap().to_string(),
            "2026-11-21 14:05:00"
        );
        assert!(
            parse_datetime("2026-11-21 25:00", t)
                .unwrap_err()
                .contains("not a time")
        );
        assert_eq!(parse_datetime("", t).unwrap_err(), "required");
        assert_eq!(
            parse_datetime("x", t).unwrap_err(),
            "expected YYYY-MM-DD HH:MM"
        );
    }
}
