//! The follow-up form (`f`): downtime and adverse events reported after a session.

use super::super::form::{Field, FieldKey, Form, FormWarning, NOTES_CAP};
use super::{optional, optional_day};
use crate::domain::{AdverseEvent, AdverseKind, Days, Followup};
use chrono::NaiveDate;

fn adverse_options() -> Vec<String> {
    AdverseKind::ALL
        .iter()
        .map(|k| k.label().to_string())
        .collect()
}

/// `prolonged_after`: redness for more days is prolonged erythema.
pub fn form(title: &str, f: &Followup, today: NaiveDate, prolonged_after: u8) -> Form {
    let day = |d: Option<Days>| d.map(|d| d.to_string()).unwrap_or_default();
    let halves = format!("{}, halves allowed", Days::range_text());
    let other = f
        .adverse_events
        .iter()
        .find(|e| e.kind == AdverseKind::Other)
        .map(|e| e.note.clone())
        .unwrap_or_default();
    let on = AdverseKind::ALL
        .iter()
        .map(|k| f.adverse_events.iter().any(|e| e.kind == *k))
        .collect();
    Form::new(
        format!("Follow-up — {title}"),
        vec![
            Field::day(
                FieldKey::Recorded,
                "Reported on",
                Some(f.recorded_on.unwrap_or(today)),
            ),
            Field::text(
                FieldKey::Redness,
                "Redness (days)",
                &day(f.redness_days),
                &format!("{halves}; > {prolonged_after} is prolonged"),
            ),
            Field::text(
                FieldKey::Swelling,
                "Swelling (days)",
                &day(f.swelling_days),
                &halves,
            ),
            Field::text(
                FieldKey::Peeling,
                "Peeling (days)",
                &day(f.peeling_days),
                &halves,
            ),
            Field::multi(FieldKey::Adverse, "Adverse events", adverse_options(), on),
            Field::text(
                FieldKey::Other,
                "Other (describe)",
                &other,
                "needed when 'other' is ticked",
            ),
            Field::notes(FieldKey::Notes, "Notes", &f.notes, NOTES_CAP),
        ],
    )
}

/// The day the follow-up was reported: not in the future, not before the
/// session (`session_day`).
fn reported_on(form: &mut Form, today: NaiveDate, session_day: NaiveDate) -> Option<NaiveDate> {
    let day = optional_day(form, FieldKey::Recorded)?;
    let refused = if day > today {
        "cannot be in the future"
    } else if day < session_day {
        "cannot be before the session"
    } else {
        return Some(day);
    };
    form.set_error(FieldKey::Recorded, refused);
    None
}

/// The ticked adverse events. 'Other' takes the description typed beside
/// it (and needs one; a description needs the tick); the others keep the
/// note they had in `previous`.
fn adverse_events(form: &mut Form, previous: &Followup) -> Vec<AdverseEvent> {
    let other = form.text(FieldKey::Other).trim().to_string();
    let mut events = Vec::new();
    for i in form.checked(FieldKey::Adverse) {
        let Some(&kind) = AdverseKind::ALL.get(i) else {
            continue;
        };
        let note = if kind == AdverseKind::Other {
            if other.is_empty() {
                form.set_error(FieldKey::Other, "describe the 'other' event");
            }
            other.clone()
        } else {
            previous
                .adverse_events
                .iter()
                .find(|e| e.kind == kind)
                .map(|e| e.note.clone())
                .unwrap_or_default()
        };
        events.push(AdverseEvent { kind, note });
    }
    if !other.is_empty() && !events.iter().any(|e| e.kind == AdverseKind::Other) {
        form.set_error(
            FieldKey::Other,
            "tick 'other' under adverse events, or clear this",
        );
    }
    events
}

/// Reads the follow-up; `session_day` is when the session took place.
pub fn build(
    form: &mut Form,
    today: NaiveDate,
    session_day: NaiveDate,
    previous: &Followup,
    prolonged_after: u8,
) -> Option<Followup> {
    let recorded = reported_on(form, today, session_day);
    let redness = optional(form, FieldKey::Redness, |t| Days::parse("redness", t));
    let swelling = optional(form, FieldKey::Swelling, |t| Days::parse("swelling", t));
    let peeling = optional(form, FieldKey::Peeling, |t| Days::parse("peeling", t));
    let events = adverse_events(form, previous);
    // Redness past the threshold is prolonged erythema: say so, the practitioner ticks it.
    form.warnings.clear();
    if redness.is_some_and(|d| u32::from(d.halves()) > 2 * u32::from(prolonged_after))
        && !events
            .iter()
            .any(|e| e.kind == AdverseKind::ProlongedErythema)
    {
        form.warnings.push(FormWarning::Note(
            format!(
                "redness over {prolonged_after} days counts as prolonged erythema: tick it under adverse events"
            ),
        ));
    }
    let followup = Followup {
        recorded_on: recorded,
        redness_days: redness,
        swelling_days: swelling,
        peeling_days: peeling,
        adverse_events: events,
        notes: form.text(FieldKey::Notes).trim_end().to_string(),
    };
    // A date alone would make the session look followed up: say what is
    // missing, once, beside the first observation.
    if form.invalid_fields().is_empty()
        && let Err(e) = followup.check_report()
    {
        form.set_error(FieldKey::Redness, super::reason(&e));
    }
    if !form.invalid_fields().is_empty() {
        return None;
    }
    Some(followup)
}
