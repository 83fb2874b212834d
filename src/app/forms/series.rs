//! Series fields: a form of their own (`S`) and the lower half of the
//! add-client form.

use super::super::form::{Field, FieldKey, Form};
use super::place_errors;
use crate::domain::parse_optional_day;
use crate::domain::series::{INTERVAL_RANGE, PLANNED_RANGE};
use crate::domain::{
    CloseReason, Closure, Concern, OutcomeScale, SeriesDraft, SeriesStatus, ValidSeries, Zone,
    range_text,
};
use chrono::NaiveDate;

const SECTION: &str = "Series";

/// Domain field names → form keys.
const FIELDS: &[(&str, FieldKey)] = &[
    ("planned sessions", FieldKey::Planned),
    ("interval min days", FieldKey::IntervalMin),
    ("interval max days", FieldKey::IntervalMax),
    ("baseline score", FieldKey::Baseline),
    ("notes", FieldKey::Notes),
];

fn concern_options() -> Vec<String> {
    Concern::ALL.iter().map(|c| c.label().to_string()).collect()
}

fn scale_options() -> Vec<String> {
    OutcomeScale::ALL
        .iter()
        .map(|s| s.label().to_string())
        .collect()
}

pub fn zone_options() -> Vec<String> {
    Zone::ALL.iter().map(|z| z.label().to_string()).collect()
}

/// The series fields, filled from `s`.
pub fn fields(s: &SeriesDraft, with_start: bool) -> Vec<Field> {
    let concern = Concern::ALL
        .iter()
        .position(|c| *c == s.concern)
        .unwrap_or(0);
    let scale = OutcomeScale::ALL
        .iter()
        .position(|x| *x == s.outcome_scale)
        .unwrap_or(0);
    let zones = Zone::ALL.iter().map(|z| s.zones.contains(z)).collect();
    let mut v = vec![
        Field::choice(FieldKey::Concern, "Concern", concern_options(), concern).in_section(SECTION),
        Field::multi(FieldKey::Zones, "Zones", zone_options(), zones),
        Field::text(
            FieldKey::Planned,
            "Planned sessions",
            &s.planned_sessions.to_string(),
            &range_text(PLANNED_RANGE.0, PLANNED_RANGE.1),
        ),
        Field::text(
            FieldKey::IntervalMin,
            "Interval min (days)",
            &s.interval_min_days.to_string(),
            &range_text(INTERVAL_RANGE.0, INTERVAL_RANGE.1),
        ),
        Field::text(
            FieldKey::IntervalMax,
            "Interval max (days)",
            &s.interval_max_days.to_string(),
            &range_text(INTERVAL_RANGE.0, INTERVAL_RANGE.1),
        ),
        Field::choice(FieldKey::Scale, "Outcome scale", scale_options(), scale),
        Field::text(
            FieldKey::Baseline,
            "Baseline score",
            &s.baseline_score.map(|b| b.to_string()).unwrap_or_default(),
            "",
        ),
    ];
    if with_start {
        v.push(Field::day(
            FieldKey::Started,
            "Started on",
            Some(s.started_on),
        ));
    }
    v
}

/// The series a form starts with: the first concern, with the plan the
/// settings give it.
pub fn first_draft(today: NaiveDate, defaults: &crate::config::Defaults) -> SeriesDraft {
    let concern = Concern::AcneScars;
    defaults.series_plan(concern).draft(concern, today)
}

/// `S`: a new series, its plan from the settings' `[defaults.series]`.
pub fn new_form(client_name: &str, today: NaiveDate, defaults: &crate::config::Defaults) -> Form {
    let mut f = Form::new(
        format!("New series for {client_name}"),
        fields(&first_draft(today, defaults), true),
    );
    refresh(&mut f, today);
    f
}

/// `p`: the plan of series `s` (concern and client fixed): zones, planned
/// sessions, interval, scale and baseline, start, notes.
pub fn plan_form(title: String, s: &ValidSeries, today: NaiveDate) -> Form {
    let draft = SeriesDraft::from(s);
    let mut fields: Vec<Field> = fields(&draft, true)
        .into_iter()
        .filter(|f| f.key != FieldKey::Concern)
        .collect();
    if let Some(first) = fields.first_mut() {
        first.section = None;
    }
    fields.push(Field::notes(
        FieldKey::Notes,
        "Notes",
        &s.notes,
        crate::app::form::NOTES_CAP,
    ));
    let mut f = Form::new(title, fields);
    refresh(&mut f, today);
    f
}

/// Reads the plan form over `current`: its concern, status and closure stay.
pub fn build_plan(form: &mut Form, today: NaiveDate, current: &ValidSeries) -> Option<SeriesDraft> {
    let notes = form.text(FieldKey::Notes).to_string();
    let draft = build(form, today)?;
    Some(SeriesDraft {
        concern: current.concern,
        status: current.status,
        closure: current.closure.clone(),
        notes,
        ..draft
    })
}

/// `C` on a running series: why it ends early, when, and a note.
pub fn close_form(title: String, today: NaiveDate) -> Form {
    let reasons = CloseReason::ALL
        .iter()
        .map(|r| r.label().to_string())
        .collect();
    Form::new(
        title,
        vec![
            Field::choice(FieldKey::CloseReason, "Reason", reasons, 0),
            Field::text(FieldKey::CloseNote, "Note", "", "required for \"other\""),
            Field::day(FieldKey::ClosedOn, "Closed on", Some(today)),
        ],
    )
}

/// Reads the close form; errors go beside their fields.
pub fn build_close(form: &mut Form) -> Option<Closure> {
    let reason = CloseReason::ALL
        .get(form.selected(FieldKey::CloseReason))
        .copied()
        .unwrap_or(CloseReason::Other);
    let on = super::optional_day(form, FieldKey::ClosedOn);
    if on.is_none()
        && form
            .field(FieldKey::ClosedOn)
            .is_some_and(|f| f.error.is_none())
    {
        form.set_error(FieldKey::ClosedOn, "required");
    }
    let closure = Closure::new(on?, reason, form.text(FieldKey::CloseNote));
    let mut errors = Vec::new();
    closure.check(true, &mut errors);
    place_errors(form, &errors, &[("close note", FieldKey::CloseNote)]);
    errors.is_empty().then_some(closure)
}

/// Keeps the baseline hint in step with the chosen scale.
pub fn refresh(form: &mut Form, _today: NaiveDate) {
    let scale = OutcomeScale::ALL
        .get(form.selected(FieldKey::Scale))
        .copied()
        .unwrap_or(OutcomeScale::Severity);
    let (lo, hi) = scale.range();
    if let Some(f) = form.field_mut(FieldKey::Baseline) {
        f.hint = format!("{lo}–{hi}, empty if not scored");
    }
}

/// After the concern changed: when the plan fields still hold a concern's
/// default plan (nothing typed over it), they take the chosen concern's.
/// A form without a concern field (the plan form) is left alone.
pub fn follow_concern(form: &mut Form, defaults: &crate::config::Defaults) {
    if form.field(FieldKey::Concern).is_none() {
        return;
    }
    let Some(&concern) = Concern::ALL.get(form.selected(FieldKey::Concern)) else {
        return;
    };
    let shown = (
        form.text(FieldKey::Planned).trim().to_string(),
        form.text(FieldKey::IntervalMin).trim().to_string(),
        form.text(FieldKey::IntervalMax).trim().to_string(),
        form.selected(FieldKey::Scale),
    );
    let as_fields = |p: crate::domain::SeriesPlan| {
        let scale = OutcomeScale::ALL
            .iter()
            .position(|x| *x == p.outcome_scale)
            .unwrap_or(0);
        (
            p.planned_sessions.to_string(),
            p.interval_min_days.to_string(),
            p.interval_max_days.to_string(),
            scale,
        )
    };
    let untouched = Concern::ALL
        .iter()
        .any(|c| as_fields(defaults.series_plan(*c)) == shown);
    let (planned, min, max, scale) = as_fields(defaults.series_plan(concern));
    if !untouched || shown == (planned.clone(), min.clone(), max.clone(), scale) {
        return;
    }
    for (key, text) in [
        (FieldKey::Planned, planned),
        (FieldKey::IntervalMin, min),
        (FieldKey::IntervalMax, max),
    ] {
        if let Some(f) = form.field_mut(key) {
            f.set_text(&text);
        }
    }
    if let Some(f) = form.field_mut(FieldKey::Scale) {
        f.select(scale);
    }
}

/// Reads the series fields; errors go beside their fields.
pub fn build(form: &mut Form, today: NaiveDate) -> Option<SeriesDraft> {
    let concern = Concern::ALL
        .get(form.selected(FieldKey::Concern))
        .copied()
        .unwrap_or(Concern::AcneScars);
    let scale = OutcomeScale::ALL
        .get(form.selected(FieldKey::Scale))
        .copied()
        .unwrap_or(concern.default_scale());
    let zones: Vec<Zone> = form
        .checked(FieldKey::Zones)
        .into_iter()
        .filter_map(|i| Zone::ALL.get(i).copied())
        .collect();
    let mut whole = |key: FieldKey| -> Option<i64> {
        let t = form.text(key).trim().to_string();
        if t.is_empty() {
            form.set_error(key, "required");
            return None;
        }
        match crate::domain::parse_whole("value", &t) {
            Ok(v) => Some(v),
            Err(e) => {
                form.set_error(key, super::reason(&e));
                None
            }
        }
    };
    let planned = whole(FieldKey::Planned);
    let min = whole(FieldKey::IntervalMin);
    let max = whole(FieldKey::IntervalMax);
    let baseline = super::optional(form, FieldKey::Baseline, |t| {
        crate::domain::parse_whole("baseline score", t)
    });
    let started = if form.field(FieldKey::Started).is_some() {
        match parse_optional_day(form.text(FieldKey::Started)) {
            Ok(Some(d)) if d > today => {
                form.set_error(FieldKey::Started, "cannot be in the future");
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                form.set_error(FieldKey::Started, "required");
                None
            }
            Err(e) => {
                form.set_error(FieldKey::Started, e);
                None
            }
        }
    } else {
        Some(today)
    };
    let draft = SeriesDraft {
        concern,
        zones,
        planned_sessions: planned?,
        interval_min_days: min?,
        interval_max_days: max?,
        outcome_scale: scale,
        baseline_score: baseline,
        started_on: started?,
        // A new series is under way and has no notes yet; a "notes" field
        // in the same form (the add-client form) is the client's.
        status: SeriesStatus::Active,
        notes: String::new(),
        closure: crate::domain::Closure::default(),
    };
    match draft.validate() {
        Ok(_) => Some(draft),
        Err(errors) => {
            place_errors(form, &errors, FIELDS);
            None
        }
    }
}
