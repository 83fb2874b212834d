//! The follow-up form (`f`): downtime and adverse events reported after a
//! session, and the course of each event. Every kind has its four course
//! fields (severity, onset, resolved on, action taken), shown under its own
//! heading only while it is ticked: what was typed stays while other events
//! are ticked and unticked. Opened on a session with an ongoing event, the
//! form starts on its "Resolved on", the usual reason to come back.

use super::super::form::{Field, FieldKey, Form, FormWarning, NOTES_CAP};
use super::{optional, optional_day};
use crate::domain::{
    AdverseEvent, AdverseKind, DATE_HINT, Days, Followup, Severity, parse_optional_day,
};
use chrono::NaiveDate;

/// The course fields of each kind, in this order after the ticks.
const COURSE: [FieldKey; 4] = [
    FieldKey::Severity,
    FieldKey::Onset,
    FieldKey::Resolved,
    FieldKey::Action,
];

fn severity_options() -> Vec<String> {
    let mut v = vec!["—".to_string()];
    v.extend(Severity::ALL.iter().map(|s| s.label().to_string()));
    v
}

/// The course fields of the event of `kind` (ticked or not: `e`).
fn course_fields(kind: AdverseKind, e: Option<&AdverseEvent>) -> Vec<Field> {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let severity = e
        .and_then(|e| e.severity)
        .and_then(|s| Severity::ALL.iter().position(|x| *x == s))
        .map_or(0, |p| p + 1);
    vec![
        Field::choice(FieldKey::Severity, "Severity", severity_options(), severity)
            .in_section(format!("Course: {}", kind.label())),
        Field::text(
            FieldKey::Onset,
            "Onset",
            &day(e.and_then(|e| e.onset)),
            &format!("{DATE_HINT}; empty = not recorded"),
        ),
        Field::text(
            FieldKey::Resolved,
            "Resolved on",
            &day(e.and_then(|e| e.resolved_on)),
            &format!("{DATE_HINT}; empty = ongoing"),
        ),
        Field::text(
            FieldKey::Action,
            "Action taken",
            e.map_or("", |e| e.action.as_str()),
            "one line",
        ),
    ]
    .into_iter()
    .map(|f| f.shown_if(e.is_some()))
    .collect()
}

/// The `n`th field of `key` (the course field of kind number `n`).
fn nth(form: &mut Form, key: FieldKey, n: usize) -> Option<&mut Field> {
    form.fields.iter_mut().filter(|f| f.key == key).nth(n)
}

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
    let mut fields = vec![
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
    ];
    for &kind in AdverseKind::ALL {
        let e = f.adverse_events.iter().find(|e| e.kind == kind);
        fields.extend(course_fields(kind, e));
    }
    fields.push(Field::notes(FieldKey::Notes, "Notes", &f.notes, NOTES_CAP));
    let mut form = Form::new(format!("Follow-up — {title}"), fields);
    // Back to record it resolved: start there.
    let ongoing = AdverseKind::ALL.iter().position(|k| {
        f.adverse_events
            .iter()
            .any(|e| e.kind == *k && e.is_ongoing())
    });
    if let Some(i) = ongoing
        && let Some(at) = form
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.key == FieldKey::Resolved)
            .nth(i)
            .map(|(at, _)| at)
    {
        form.focus = at;
    }
    form
}

/// Shows the course fields of the ticked events and hides the others.
/// A newly ticked event with nothing typed in its course starts with its
/// onset on the day the follow-up is reported.
pub fn refresh(form: &mut Form) {
    let ticked = form.checked(FieldKey::Adverse);
    let reported = form.text(FieldKey::Recorded).trim().to_string();
    for i in 0..AdverseKind::ALL.len() {
        let on = ticked.contains(&i);
        let appears = on && nth(form, FieldKey::Severity, i).is_some_and(|f| f.hidden);
        let blank = nth(form, FieldKey::Severity, i).is_some_and(|f| f.selected() == 0)
            && COURSE[1..]
                .iter()
                .all(|&k| nth(form, k, i).is_some_and(|f| f.value().is_empty()));
        for key in COURSE {
            if let Some(f) = nth(form, key, i) {
                f.hidden = !on;
            }
        }
        if appears
            && blank
            && let Some(f) = nth(form, FieldKey::Onset, i)
        {
            f.set_text(&reported);
        }
    }
    form.focus_shown();
}

/// The course typed for the event of kind number `i`, each problem beside
/// its field (`session_day`, `today`: the bounds of its dates).
fn course(
    form: &mut Form,
    i: usize,
    mut event: AdverseEvent,
    session_day: NaiveDate,
    today: NaiveDate,
) -> AdverseEvent {
    let selected = nth(form, FieldKey::Severity, i).map_or(0, |f| f.selected());
    event.severity = selected
        .checked_sub(1)
        .and_then(|s| Severity::ALL.get(s).copied());
    let mut day = |key: FieldKey| {
        let f = nth(form, key, i)?;
        match parse_optional_day(f.value()) {
            Ok(d) => d,
            Err(e) => {
                f.error.get_or_insert(e);
                None
            }
        }
    };
    event.onset = day(FieldKey::Onset);
    event.resolved_on = day(FieldKey::Resolved);
    event.action = nth(form, FieldKey::Action, i)
        .map(|f| f.value().trim().to_string())
        .unwrap_or_default();
    for e in event.course_problems(session_day, today) {
        let key = match e.field() {
            "onset" => FieldKey::Onset,
            "resolved on" => FieldKey::Resolved,
            _ => FieldKey::Action,
        };
        if let Some(f) = nth(form, key, i) {
            f.error.get_or_insert_with(|| super::reason(&e));
        }
    }
    event
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
fn adverse_events(
    form: &mut Form,
    previous: &Followup,
    session_day: NaiveDate,
    today: NaiveDate,
) -> Vec<AdverseEvent> {
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
        events.push(course(
            form,
            i,
            AdverseEvent::noted(kind, note),
            session_day,
            today,
        ));
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
    refresh(form);
    let events = adverse_events(form, previous, session_day, today);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Purpose;
    use crate::app::drafts::{restore, snapshot};

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn two_events() -> Followup {
        Followup {
            recorded_on: Some(d(20)),
            adverse_events: vec![
                AdverseEvent {
                    severity: Some(Severity::Mild),
                    onset: Some(d(18)),
                    resolved_on: Some(d(19)),
                    ..AdverseEvent::new(AdverseKind::Pih)
                },
                AdverseEvent {
                    onset: Some(d(18)),
                    action: "antibiotic".into(),
                    ..AdverseEvent::new(AdverseKind::Infection)
                },
            ],
            ..Followup::default()
        }
    }

    #[test]
    fn the_form_reads_back_what_it_was_given_and_starts_on_the_ongoing_event() {
        let f = two_events();
        let mut form = form("t", &f, d(21), 7);
        let focused = &form.fields[form.focus];
        assert_eq!((focused.key, focused.value()), (FieldKey::Resolved, ""));
        let shown = form.fields.iter().filter(|f| !f.hidden).count();
        assert_eq!(shown, 7 + 2 * COURSE.len());
        assert_eq!(build(&mut form, d(21), d(17), &f, 7), Some(f));
    }

    #[test]
    fn tab_passes_over_the_courses_of_unticked_events() {
        let mut form = form("t", &Followup::default(), d(21), 7);
        let keys: Vec<FieldKey> = (0..7)
            .map(|_| {
                form.next();
                form.fields[form.focus].key
            })
            .collect();
        assert_eq!(
            keys,
            [
                FieldKey::Redness,
                FieldKey::Swelling,
                FieldKey::Peeling,
                FieldKey::Adverse,
                FieldKey::Other,
                FieldKey::Notes,
                FieldKey::Recorded,
            ]
        );
    }

    #[test]
    fn a_kept_draft_puts_each_course_back_in_its_place() {
        let f = two_events();
        let purpose = Purpose::Followup {
            session_id: 1,
            session_day: d(17),
            previous: Followup::default(),
            prolonged_after: 7,
        };
        let draft = snapshot(&form("t", &f, d(21), 7), &purpose, Some(1)).unwrap();
        let mut fresh = form("t", &Followup::default(), d(21), 7);
        restore(&mut fresh, &draft);
        assert_eq!(
            build(&mut fresh, d(21), d(17), &Followup::default(), 7),
            Some(f)
        );
    }
}
