//! The forms of the program: each builds a [`Form`] from what is known and
//! turns a form back into a domain draft, putting every problem beside the
//! field it belongs to.

pub(crate) mod client;
pub(crate) mod export;
pub(crate) mod followup;
pub(crate) mod series;
pub(crate) mod session;

use super::form::{FieldKey, Form};
use crate::domain::{ValidationError, parse_optional_day};
use chrono::NaiveDate;

/// The day typed in `key`, None when it is blank; a text that is not a day
/// puts the reason on `key`.
pub fn optional_day(form: &mut Form, key: FieldKey) -> Option<NaiveDate> {
    match parse_optional_day(form.text(key)) {
        Ok(d) => d,
        Err(e) => {
            form.set_error(key, e);
            None
        }
    }
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
