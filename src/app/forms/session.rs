//! The session form (`n` records, `e` edits): defaults from the series' last
//! session, the zone depth hint beside the depth, and the domain's warnings
//! above the fields.

use super::super::form::{Field, FieldKey, Form, FormWarning, NOTES_CAP};
use super::{optional, optional_day, place_errors, series::zone_options};
use crate::domain::parse_moment;
use crate::domain::{
    Bounded, CheckSource, ClientDraft, ClientEvent, ClientHistory, CurrentState, Depth,
    DurationMinutes, Edema, Erythema, Gais, NumbingMinutes, Pain, Passes, PreCheck, Rules,
    Satisfaction, SessionContext, SessionDraft, ValidSeries, Zone, check_session_date, parse_whole,
    parse_zone_depths, session_warnings, zone_depths_text,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;

/// What the form needs to know about the client and series.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub client: ClientDraft,
    pub series: ValidSeries,
    /// Every series and session of the client but the one being edited,
    /// for the checks that look back (consent coverage, earlier PIH).
    pub history: ClientHistory,
    /// Dates of the series' other sessions: all of them for a new session,
    /// all but the one being edited otherwise.
    pub others: Vec<NaiveDate>,
    /// What a new session's form was filled with when it opened (None when
    /// editing): saved unchanged but for the date, it records nothing.
    pub defaults: Option<SessionDraft>,
    /// The form edits an existing session.
    pub editing: bool,
    /// The practice's thresholds, from the settings.
    pub rules: Rules,
    /// The client's adverse events still ongoing (not from the session
    /// being edited): each is a stop warning.
    pub ongoing: Vec<ClientEvent>,
    /// The answers a new session's pre-treatment check starts from (the
    /// client's last confirmed check, or the screening on file); empty
    /// when editing.
    pub carried: Vec<CurrentState>,
    pub carried_from: CheckSource,
}

const FIELDS: &[(&str, FieldKey)] = &[
    ("outcome score", FieldKey::Score),
    ("date", FieldKey::When),
    ("device", FieldKey::Device),
    ("cartridge", FieldKey::Cartridge),
    ("serum", FieldKey::Serum),
    ("numbing", FieldKey::Numbing),
    ("endpoint", FieldKey::Endpoint),
    ("cartridge lot", FieldKey::CartridgeLot),
    ("serum lot", FieldKey::SerumLot),
    ("notes", FieldKey::Notes),
    ("antiviral", FieldKey::Antiviral),
    ("antiviral from", FieldKey::AntiviralFrom),
];

fn gais_options() -> Vec<String> {
    let mut v = vec!["—".to_string()];
    v.extend((Gais::MIN..=Gais::MAX).map(|i| {
        format!(
            "{i} {}",
            Gais::new("GAIS", i64::from(i))
                .map(|g| g.label())
                .unwrap_or("")
        )
    }));
    v
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// `0 none … 4 severe`: the hint of a 0–4 observation scale.
fn severity<T: Bounded>() -> String {
    format!("{} none … {} severe", T::MIN, T::MAX)
}

/// A field for an optional bounded number, its range as the hint.
fn number<T: Bounded + ToString>(key: FieldKey, label: &'static str, value: Option<T>) -> Field {
    Field::text(key, label, &opt(value), &T::range_text())
}

/// A field for an optional 0–4 observation, [`severity`] as the hint.
fn observed<T: Bounded + ToString>(key: FieldKey, label: &'static str, value: Option<T>) -> Field {
    Field::text(key, label, &opt(value), &severity::<T>())
}

fn fields(s: &SessionDraft, ctx: &Context) -> Vec<Field> {
    let mut fields = procedure_fields(s);
    // Asked before needling: right after the date.
    let rest = fields.split_off(1);
    fields.extend(check_fields(s, ctx));
    fields.extend(rest);
    fields.extend(observation_fields(s, ctx));
    fields
}

/// Whether the pre-treatment check is confirmed: the choice's options.
const UNCONFIRMED: usize = 0;
const CONFIRMED: usize = 1;

/// Before needling: the pre-treatment check (the current states present,
/// and whether they were confirmed today) and antiviral prophylaxis. A new
/// session starts from the carried answers, not yet confirmed; an edited
/// one shows its own.
fn check_fields(s: &SessionDraft, ctx: &Context) -> Vec<Field> {
    let (present, confirmed) = match (&s.pre_check, ctx.editing) {
        (Some(c), _) => (c.present.clone(), true),
        (None, false) => (ctx.carried.clone(), false),
        (None, true) => (Vec::new(), false),
    };
    let (unconfirmed, confirmed_text) = if ctx.editing {
        ("not recorded".to_string(), "confirmed")
    } else {
        (
            format!("not yet confirmed — {}", ctx.carried_from.text()),
            "confirmed with the client today",
        )
    };
    let windows = s.pre_check.as_ref().map_or(
        (ctx.rules.recent_procedure_days, ctx.rules.pause_days),
        |c| (c.procedure_days, c.pause_days),
    );
    let options = CurrentState::ALL
        .iter()
        .map(|st| st.describe(st.window(windows.0, windows.1)))
        .collect();
    let on = CurrentState::ALL
        .iter()
        .map(|st| present.contains(st))
        .collect();
    vec![
        Field::choice(
            FieldKey::PreCheck,
            "Pre-treatment check",
            vec![unconfirmed, confirmed_text.into()],
            if confirmed { CONFIRMED } else { UNCONFIRMED },
        )
        .in_section("Before needling"),
        Field::multi(FieldKey::CurrentStates, "Present today", options, on),
        Field::text(
            FieldKey::Antiviral,
            "Antiviral",
            &s.antiviral,
            "drug and dose, e.g. valaciclovir 500 mg",
        ),
        Field::day(FieldKey::AntiviralFrom, "Antiviral from", s.antiviral_from),
    ]
}

/// The confirm key: marks the pre-treatment check confirmed with the
/// answers shown. False when the form has no check or it already was.
pub fn confirm_check(form: &mut Form) -> bool {
    match form.field_mut(FieldKey::PreCheck) {
        Some(f) if f.selected() != CONFIRMED => {
            f.select(CONFIRMED);
            form.dirty = true;
            true
        }
        _ => false,
    }
}

/// The states ticked on the form.
fn present_states(form: &Form) -> Vec<CurrentState> {
    form.checked(FieldKey::CurrentStates)
        .into_iter()
        .filter_map(|i| CurrentState::ALL.get(i).copied())
        .collect()
}

/// What was done: when, where, with what and how.
fn procedure_fields(s: &SessionDraft) -> Vec<Field> {
    let zones = Zone::ALL.iter().map(|z| s.zones.contains(z)).collect();
    vec![
        Field::text(
            FieldKey::When,
            "Date and time",
            &s.performed_at.format(crate::domain::DATETIME).to_string(),
            "YYYY-MM-DD HH:MM",
        ),
        Field::multi(FieldKey::Zones, "Zones", zone_options(), zones).in_section("Treatment"),
        Field::text(FieldKey::Device, "Device", &s.device, ""),
        Field::text(
            FieldKey::Cartridge,
            "Cartridge",
            &s.cartridge,
            "e.g. 16-pin, nano",
        ),
        Field::text(FieldKey::Depth, "Depth (mm)", &opt(s.depth_mm), ""),
        Field::text(
            FieldKey::ZoneDepths,
            "Other zones (mm)",
            &zone_depths_text(&s.zone_depths),
            "zones at another depth, e.g. forehead 0.35; chin 0.75",
        ),
        number(FieldKey::Passes, "Passes", s.passes),
        Field::text(FieldKey::Serum, "Serum / glide", &s.serum, ""),
        Field::text(FieldKey::Numbing, "Numbing", &s.numbing, ""),
        number(FieldKey::NumbingMinutes, "Numbing (min)", s.numbing_minutes),
        number(FieldKey::Duration, "Duration (min)", s.duration_minutes),
        Field::text(
            FieldKey::Endpoint,
            "Endpoint",
            &s.endpoint,
            "e.g. pinpoint bleeding",
        ),
    ]
}

/// How the skin and the client took it at the end of the session, the
/// scores, the lots used and the notes.
fn observation_fields(s: &SessionDraft, ctx: &Context) -> Vec<Field> {
    let scale = ctx.series.outcome_scale;
    let (lo, hi) = scale.range();
    let gais = |g: Option<Gais>| g.map_or(0, |g| usize::from(g.value()));
    vec![
        observed(FieldKey::Erythema, "Erythema", s.erythema)
            .in_section("At the end of the session"),
        observed(FieldKey::Edema, "Edema", s.edema),
        number(FieldKey::Pain, "Pain", s.pain),
        Field::text(
            FieldKey::Score,
            "Outcome score",
            &opt(s.outcome_score),
            &format!("{lo}–{hi} ({})", scale.label()),
        ),
        Field::choice(
            FieldKey::GaisClinician,
            "GAIS clinician",
            gais_options(),
            gais(s.gais_clinician),
        ),
        Field::choice(
            FieldKey::GaisClient,
            "GAIS client",
            gais_options(),
            gais(s.gais_client),
        ),
        number(FieldKey::Satisfaction, "Satisfaction", s.satisfaction),
        Field::text(
            FieldKey::CartridgeLot,
            "Cartridge lot",
            &s.cartridge_lot,
            "",
        ),
        Field::text(FieldKey::SerumLot, "Serum lot", &s.serum_lot, ""),
        Field::notes(FieldKey::Notes, "Notes", &s.notes, NOTES_CAP),
    ]
}

/// `n`: today's session, carrying over what usually stays the same from the
/// series' last session (zones, device, cartridge, depth, serum, numbing).
pub fn new_form(
    client_name: &str,
    ctx: &Context,
    last: Option<&SessionDraft>,
    defaults: &crate::config::Defaults,
    now: NaiveDateTime,
) -> Form {
    let mut s = SessionDraft::at(now);
    s.zones = ctx.series.zones.clone();
    // The series' first session starts with the practice's usual products;
    // later ones carry over the session before.
    s.device = defaults.device.trim().to_string();
    s.cartridge = defaults.cartridge.trim().to_string();
    s.numbing = defaults.numbing.trim().to_string();
    if let Some(l) = last {
        s.zones = if l.zones.is_empty() {
            s.zones
        } else {
            l.zones.clone()
        };
        s.device = l.device.clone();
        s.cartridge = l.cartridge.clone();
        s.depth_mm = l.depth_mm;
        s.zone_depths = l
            .zone_depths
            .iter()
            .filter(|(z, _)| s.zones.contains(z))
            .map(|(z, d)| (*z, *d))
            .collect();
        s.passes = l.passes;
        s.serum = l.serum.clone();
        s.numbing = l.numbing.clone();
        s.numbing_minutes = l.numbing_minutes;
    }
    let mut f = Form::new(format!("New session — {client_name}"), fields(&s, ctx));
    f.records_warnings = true;
    refresh(&mut f, ctx, now, now.time());
    f
}

/// What a new session's form holds when it opens, as a draft: the context's
/// `defaults`, so that saving it unchanged can be told apart.
pub fn defaults_of(form: &Form, ctx: &Context, now: NaiveDateTime) -> Option<SessionDraft> {
    let mut probe = form.clone();
    let bare = Context {
        defaults: None,
        ..ctx.clone()
    };
    build(&mut probe, &bare, now, now.time(), None)
}

pub fn edit_form(client_name: &str, ctx: &Context, s: &SessionDraft, now: NaiveDateTime) -> Form {
    let mut f = Form::new(format!("Edit session — {client_name}"), fields(s, ctx));
    f.records_warnings = true;
    refresh(&mut f, ctx, now, s.performed_at.time());
    f
}

fn chosen_zones(form: &Form) -> Vec<Zone> {
    form.checked(FieldKey::Zones)
        .into_iter()
        .filter_map(|i| Zone::ALL.get(i).copied())
        .collect()
}

/// Updates the depth hint and the warnings after a change.
pub fn refresh(form: &mut Form, ctx: &Context, now: NaiveDateTime, default_time: NaiveTime) {
    let zones = chosen_zones(form);
    let hint: Vec<String> = zones
        .iter()
        .take(3)
        .map(|z| {
            format!(
                "{} {}",
                z.label(),
                ctx.rules.depth_hint(*z, Some(ctx.series.concern))
            )
        })
        .collect();
    if let Some(f) = form.field_mut(FieldKey::Depth) {
        f.hint = if hint.is_empty() {
            Depth::range_text()
        } else {
            format!("usual: {}", hint.join(", "))
        };
    }
    let mut probe = form.clone();
    form.warnings = match build(&mut probe, ctx, now, default_time, None) {
        Some(draft) => warnings(ctx, &draft, now.date()),
        None => Vec::new(),
    };
}

pub fn warnings(ctx: &Context, draft: &SessionDraft, today: NaiveDate) -> Vec<FormWarning> {
    let c = SessionContext {
        client: &ctx.client,
        series: &ctx.series,
        history: &ctx.history,
        others: &ctx.others,
        defaults: ctx.defaults.as_ref(),
        editing: ctx.editing,
        today,
        rules: &ctx.rules,
        ongoing: &ctx.ongoing,
        carried: &ctx.carried,
    };
    session_warnings(&c, draft)
        .into_iter()
        .map(FormWarning::Session)
        .collect()
}

/// The depths typed for other zones; each must be a zone the session
/// treats (the series' zones when none is ticked).
fn zone_depths(form: &mut Form, ticked: &[Zone], planned: &[Zone]) -> BTreeMap<Zone, Depth> {
    let treated = if ticked.is_empty() { planned } else { ticked };
    match parse_zone_depths(form.text(FieldKey::ZoneDepths)) {
        Ok(depths) => {
            if let Some(z) = depths.keys().find(|z| !treated.contains(z)) {
                form.set_error(
                    FieldKey::ZoneDepths,
                    format!("{} is not among the zones treated", z.label()),
                );
            }
            depths
        }
        Err(e) => {
            form.set_error(FieldKey::ZoneDepths, e);
            BTreeMap::new()
        }
    }
}

/// Reads the form into a session; `base` keeps what the form does not show
/// (follow-up, earlier acknowledged warnings) when editing.
pub fn build(
    form: &mut Form,
    ctx: &Context,
    now: NaiveDateTime,
    default_time: NaiveTime,
    base: Option<&SessionDraft>,
) -> Option<SessionDraft> {
    let when = match parse_moment(form.text(FieldKey::When), default_time)
        .and_then(|t| check_session_date(&ctx.client, t.date()).map(|()| t))
    {
        Ok(t) => Some(t),
        Err(e) => {
            form.set_error(FieldKey::When, e);
            None
        }
    };
    let mut s = base
        .cloned()
        .unwrap_or_else(|| SessionDraft::at(when.unwrap_or_default()));
    s.performed_at = when.unwrap_or(s.performed_at);
    s.zones = chosen_zones(form);
    s.device = form.text(FieldKey::Device).to_string();
    s.cartridge = form.text(FieldKey::Cartridge).to_string();
    s.depth_mm = optional(form, FieldKey::Depth, |t| Depth::parse("depth", t));
    s.zone_depths = zone_depths(form, &s.zones, &ctx.series.zones);
    s.passes = optional(form, FieldKey::Passes, Passes::parse);
    s.serum = form.text(FieldKey::Serum).to_string();
    s.numbing = form.text(FieldKey::Numbing).to_string();
    s.numbing_minutes = optional(form, FieldKey::NumbingMinutes, NumbingMinutes::parse);
    s.duration_minutes = optional(form, FieldKey::Duration, DurationMinutes::parse);
    s.endpoint = form.text(FieldKey::Endpoint).to_string();
    s.erythema = optional(form, FieldKey::Erythema, Erythema::parse);
    s.edema = optional(form, FieldKey::Edema, Edema::parse);
    s.pain = optional(form, FieldKey::Pain, Pain::parse);
    let (lo, hi) = ctx.series.outcome_scale.range();
    s.outcome_score = optional(form, FieldKey::Score, |t| {
        let v = parse_whole("outcome score", t)?;
        crate::domain::check_score("outcome score", ctx.series.outcome_scale, v)
    });
    if let Some(f) = form.field_mut(FieldKey::Score)
        && f.error.is_some()
    {
        f.error = f.error.take().map(|e| {
            if e.contains('–') {
                e
            } else {
                format!("{e} ({lo}–{hi})")
            }
        });
    }
    let gais = |i: usize| (i > 0).then(|| Gais::new("GAIS", i as i64).ok()).flatten();
    s.gais_clinician = gais(form.selected(FieldKey::GaisClinician));
    s.gais_client = gais(form.selected(FieldKey::GaisClient));
    s.satisfaction = optional(form, FieldKey::Satisfaction, Satisfaction::parse);
    s.cartridge_lot = form.text(FieldKey::CartridgeLot).to_string();
    s.serum_lot = form.text(FieldKey::SerumLot).to_string();
    s.notes = form.text(FieldKey::Notes).to_string();
    // Confirmed: the answers shown, under the windows the questions named
    // (an edited check keeps those it was asked with).
    s.pre_check = (form.selected(FieldKey::PreCheck) == CONFIRMED).then(|| {
        let asked = base.and_then(|b| b.pre_check.as_ref()).map_or_else(
            || ctx.rules.clone(),
            |c| Rules {
                recent_procedure_days: c.procedure_days,
                pause_days: c.pause_days,
                ..ctx.rules.clone()
            },
        );
        PreCheck::new(present_states(form), &asked)
    });
    s.antiviral = form.text(FieldKey::Antiviral).to_string();
    s.antiviral_from = optional_day(form, FieldKey::AntiviralFrom);
    when?;
    if !form.invalid_fields().is_empty() {
        return None;
    }
    // The domain's own checks (future dates, text lengths) on top.
    match s.validate(ctx.series.outcome_scale, now) {
        Ok(_) => Some(s),
        Err(errors) => {
            place_errors(form, &errors, FIELDS);
            None
        }
    }
}
