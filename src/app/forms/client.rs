//! The client form (`a` adds, with the first series; `e` edits).

use super::super::form::{Field, FieldKey, Form, NOTES_CAP};
use super::{optional_day, place_errors, series};
use crate::domain::{
    ClientDraft, Concern, Fitzpatrick, Glogau, ScreeningItem, ScreeningKind, SeriesDraft,
};
use chrono::NaiveDate;

const FIELDS: &[(&str, FieldKey)] = &[
    ("name", FieldKey::Name),
    ("phone", FieldKey::Phone),
    ("e-mail", FieldKey::Email),
    ("date of birth", FieldKey::Dob),
    ("consent date", FieldKey::Consent),
    ("guardian consent date", FieldKey::GuardianConsent),
    ("guardian", FieldKey::Guardian),
    ("photo consent date", FieldKey::PhotoConsent),
    ("photo use", FieldKey::PhotoBeyond),
    ("allergies", FieldKey::Allergies),
    ("medications", FieldKey::Medications),
    ("notes", FieldKey::Notes),
    ("screening date", FieldKey::Isotretinoin),
];

fn roman_options(n: usize) -> Vec<String> {
    let all = ["—", "I", "II", "III", "IV", "V", "VI"];
    all[..=n].iter().map(|s| s.to_string()).collect()
}

fn screening_options() -> Vec<String> {
    ScreeningKind::ALL
        .iter()
        .map(|k| k.label().to_string())
        .collect()
}

fn concern_options() -> Vec<String> {
    Concern::ALL.iter().map(|c| c.label().to_string()).collect()
}

fn client_fields(c: &ClientDraft) -> Vec<Field> {
    let iso = c
        .screening
        .iter()
        .find(|i| i.kind == ScreeningKind::Isotretinoin)
        .and_then(|i| i.date);
    vec![
        Field::text(FieldKey::Name, "Name", &c.name, "required"),
        Field::day(FieldKey::Dob, "Date of birth", c.date_of_birth),
        Field::text(FieldKey::Phone, "Phone", &c.phone, ""),
        Field::text(FieldKey::Email, "E-mail", &c.email, ""),
        Field::choice(
            FieldKey::Fitzpatrick,
            "Fitzpatrick type",
            roman_options(6),
            c.fitzpatrick.map_or(0, |f| usize::from(f.number())),
        ),
        Field::choice(
            FieldKey::Glogau,
            "Glogau type",
            roman_options(4),
            c.glogau.map_or(0, |g| usize::from(g.number())),
        ),
        Field::multi(
            FieldKey::Concerns,
            "Concerns",
            concern_options(),
            Concern::ALL
                .iter()
                .map(|x| c.concerns.contains(x))
                .collect(),
        ),
        Field::multi(
            FieldKey::Screening,
            "Screening (yes)",
            screening_options(),
            ScreeningKind::ALL
                .iter()
                .map(|k| c.screening.iter().any(|i| i.kind == *k))
                .collect(),
        )
        .in_section("Screening"),
        Field::day(FieldKey::Isotretinoin, "Isotretinoin last dose", iso),
        Field::text(FieldKey::Allergies, "Allergies", &c.allergies, ""),
        Field::text(FieldKey::Medications, "Medications", &c.medications, ""),
        Field::day(FieldKey::Consent, "Consent signed on", c.consent_on),
        Field::day(
            FieldKey::GuardianConsent,
            "Guardian consent on",
            c.guardian_consent_on,
        ),
        Field::text(
            FieldKey::Guardian,
            "Guardian",
            &c.guardian,
            "who signed, for a client under 18",
        ),
        Field::day(
            FieldKey::PhotoConsent,
            "Photo consent on",
            c.photo_consent_on,
        ),
        Field::choice(
            FieldKey::PhotoBeyond,
            "Photo use",
            vec!["record only".to_string(), "beyond the record".to_string()],
            usize::from(c.photo_consent_beyond),
        ),
        Field::notes(FieldKey::Notes, "Notes", &c.notes, NOTES_CAP),
    ]
}

/// `a`: a new client and the first series, defaults filled in.
pub fn add_form(today: NaiveDate, defaults: &crate::config::Defaults) -> Form {
    let mut fields = client_fields(&ClientDraft::default());
    fields.extend(series::fields(&series::first_draft(today, defaults), true));
    let mut f = Form::new("Add client", fields);
    series::refresh(&mut f, today);
    f
}

pub fn edit_form(c: &ClientDraft) -> Form {
    Form::new(format!("Edit {}", c.name), client_fields(c))
}

/// Reads the client part of the form. `previous` keeps the dates of
/// screening items that stay ticked.
pub fn build(
    form: &mut Form,
    today: NaiveDate,
    previous: Option<&ClientDraft>,
) -> Option<ClientDraft> {
    let dob = optional_day(form, FieldKey::Dob);
    let consent = optional_day(form, FieldKey::Consent);
    let guardian_consent = optional_day(form, FieldKey::GuardianConsent);
    let photo_consent = optional_day(form, FieldKey::PhotoConsent);
    let iso_date = optional_day(form, FieldKey::Isotretinoin);
    let fitz = form.selected(FieldKey::Fitzpatrick);
    let glogau = form.selected(FieldKey::Glogau);
    let mut screening: Vec<ScreeningItem> = Vec::new();
    for i in form.checked(FieldKey::Screening) {
        let Some(&kind) = ScreeningKind::ALL.get(i) else {
            continue;
        };
        let kept = previous
            .and_then(|p| p.screening.iter().find(|s| s.kind == kind))
            .cloned();
        let mut item = kept.unwrap_or(ScreeningItem {
            kind,
            date: Some(today),
            note: String::new(),
        });
        if kind == ScreeningKind::Isotretinoin {
            item.date = iso_date;
        }
        screening.push(item);
    }
    if iso_date.is_some()
        && !screening
            .iter()
            .any(|s| s.kind == ScreeningKind::Isotretinoin)
    {
        form.set_error(
            FieldKey::Isotretinoin,
            "tick isotretinoin under screening, or clear the date",
        );
    }
    let draft = ClientDraft {
        name: form.text(FieldKey::Name).to_string(),
        date_of_birth: dob,
        phone: form.text(FieldKey::Phone).to_string(),
        email: form.text(FieldKey::Email).to_string(),
        fitzpatrick: (fitz > 0)
            .then(|| Fitzpatrick::from_number(fitz as i64).ok())
            .flatten(),
        glogau: (glogau > 0)
            .then(|| Glogau::from_number(glogau as i64).ok())
            .flatten(),
        concerns: form
            .checked(FieldKey::Concerns)
            .into_iter()
            .filter_map(|i| Concern::ALL.get(i).copied())
            .collect(),
        screening,
        allergies: form.text(FieldKey::Allergies).to_string(),
        medications: form.text(FieldKey::Medications).to_string(),
        consent_on: consent,
        guardian_consent_on: guardian_consent,
        guardian: form.text(FieldKey::Guardian).to_string(),
        photo_consent_on: photo_consent,
        photo_consent_beyond: form.selected(FieldKey::PhotoBeyond) == 1,
        notes: form.text(FieldKey::Notes).to_string(),
    };
    match draft.validate(today) {
        Ok(clean) => Some(clean),
        Err(errors) => {
            place_errors(form, &errors, FIELDS);
            None
        }
    }
}

/// The add form's first series, with the client's concerns defaulting to it.
pub fn build_first_series(form: &mut Form, today: NaiveDate) -> Option<SeriesDraft> {
    series::build(form, today)
}
