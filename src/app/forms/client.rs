//! The client form (`a` adds, with the first series; `e` edits).

use super::super::form::{Field, Form, NOTES_CAP};
use super::{DATE_HINT, parse_date, place_errors, series};
use crate::domain::{
    ClientDraft, Concern, Fitzpatrick, Glogau, ScreeningItem, ScreeningKind, SeriesDraft,
};
use chrono::NaiveDate;

const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("phone", "phone"),
    ("e-mail", "email"),
    ("date of birth", "dob"),
    ("consent date", "consent"),
    ("allergies", "allergies"),
    ("medications", "medications"),
    ("notes", "notes"),
    ("screening date", "isotretinoin"),
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
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let iso = c
        .screening
        .iter()
        .find(|i| i.kind == ScreeningKind::Isotretinoin)
        .and_then(|i| i.date);
    vec![
        Field::text("name", "Name", &c.name, "required"),
        Field::text("dob", "Date of birth", &date(c.date_of_birth), DATE_HINT),
        Field::text("phone", "Phone", &c.phone, ""),
        Field::text("email", "E-mail", &c.email, ""),
        Field::choice(
            "fitzpatrick",
            "Fitzpatrick type",
            roman_options(6),
            c.fitzpatrick.map_or(0, |f| usize::from(f.number())),
        ),
        Field::choice(
            "glogau",
            "Glogau type",
            roman_options(4),
            c.glogau.map_or(0, |g| usize::from(g.number())),
        ),
        Field::multi(
            "concerns",
            "Concerns",
            concern_options(),
            Concern::ALL
                .iter()
                .map(|x| c.concerns.contains(x))
                .collect(),
        ),
        Field::multi(
            "screening",
            "Screening (yes)",
            screening_options(),
            ScreeningKind::ALL
                .iter()
                .map(|k| c.screening.iter().any(|i| i.kind == *k))
                .collect(),
        )
        .in_section("Screening"),
        Field::text(
            "isotretinoin",
            "Isotretinoin last dose",
            &date(iso),
            DATE_HINT,
        ),
        Field::text("allergies", "Allergies", &c.allergies, ""),
        Field::text("medications", "Medications", &c.medications, ""),
        Field::text(
            "consent",
            "Consent signed on",
            &date(c.consent_on),
            DATE_HINT,
        ),
        Field::text_capped("notes", "Notes", &c.notes, "", NOTES_CAP),
    ]
}

/// `a`: a new client and the first series, defaults filled in.
pub fn add_form(today: NaiveDate) -> Form {
    let mut fields = client_fields(&ClientDraft::default());
    fields.extend(series::fields(
        &SeriesDraft::new(Concern::AcneScars, today),
        true,
    ));
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
    let mut date = |key: &str| match parse_date(form.text(key)) {
        Ok(d) => d,
        Err(e) => {
            form.set_error(key, e);
            None
        }
    };
    let dob = date("dob");
    let consent = date("consent");
    let iso_date = date("isotretinoin");
    let fitz = form.selected("fitzpatrick");
    let glogau = form.selected("glogau");
    let mut screening: Vec<ScreeningItem> = Vec::new();
    for i in form.checked("screening") {
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
            "isotretinoin",
            "tick isotretinoin under screening, or clear the date",
        );
    }
    let draft = ClientDraft {
        name: form.text("name").to_string(),
        date_of_birth: dob,
        phone: form.text("phone").to_string(),
        email: form.text("email").to_string(),
        fitzpatrick: (fitz > 0)
            .then(|| Fitzpatrick::from_number(fitz as i64).ok())
            .flatten(),
        glogau: (glogau > 0)
            .then(|| Glogau::from_number(glogau as i64).ok())
            .flatten(),
        concerns: form
            .checked("concerns")
            .into_iter()
            .filter_map(|i| Concern::ALL.get(i).copied())
            .collect(),
        screening,
        allergies: form.text("allergies").to_string(),
        medications: form.text("medications").to_string(),
        consent_on: consent,
        notes: form.text("notes").to_string(),
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
