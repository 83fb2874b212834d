//! The client: identity, skin, screening and consent.

use super::codes::coded;
use super::concern::Concern;
use super::scales::ValidationError;
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};
use uuid::Uuid;

/// Longest name accepted; longer input is almost certainly a paste accident.
pub const NAME_MAX_CHARS: usize = 120;
/// Longest free text (notes, allergies, medications).
pub const TEXT_MAX_CHARS: usize = 10_000;
/// Oldest age a date of birth may give; an older one is a mistyped year.
pub const MAX_AGE_YEARS: u32 = 110;

/// Fitzpatrick skin type; its code is the Roman numeral (`I` … `VI`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString)]
pub enum Fitzpatrick {
    I,
    II,
    III,
    IV,
    V,
    VI,
}

coded!(Fitzpatrick, numbered "Fitzpatrick type");

impl Fitzpatrick {
    /// Darker skin types (IV–VI) carry a higher risk of pigment change after injury.
    pub fn pih_risk(self) -> bool {
        self >= Self::IV
    }
}

/// Glogau photoaging type; its code is the Roman numeral (`I` … `IV`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString)]
pub enum Glogau {
    I,
    II,
    III,
    IV,
}

coded!(Glogau, numbered "Glogau type");

/// A screening question answered "yes". Absence from the list means "no".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ScreeningKind {
    /// Active acne, skin infection or open lesion in the area.
    #[strum(message = "active acne / infection in the area")]
    ActiveInfection,
    /// History of cold sores (herpes simplex); an outbreak can be triggered.
    #[strum(message = "cold sores")]
    ColdSores,
    #[strum(message = "eczema or psoriasis in the area")]
    EczemaPsoriasis,
    #[strum(message = "keloid / hypertrophic scarring history")]
    KeloidHistory,
    /// Oral isotretinoin; the date is the last dose.
    #[strum(message = "isotretinoin")]
    Isotretinoin,
    #[strum(message = "anticoagulants / bleeding disorder")]
    Anticoagulants,
    #[strum(message = "pregnant or breastfeeding")]
    PregnancyBreastfeeding,
    #[strum(message = "diabetes / autoimmune disease")]
    DiabetesAutoimmune,
    /// Post-inflammatory hyperpigmentation after an earlier procedure or
    /// injury; it raises the PIH-risk caution rather than a warning of its own.
    #[strum(message = "previous post-inflammatory hyperpigmentation")]
    PihHistory,
}

coded!(ScreeningKind, labelled);

impl ScreeningKind {
    /// What the date on the item means, where it matters.
    pub fn date_meaning(self) -> &'static str {
        match self {
            Self::Isotretinoin => "last dose",
            _ => "noted on",
        }
    }

    /// A state of the day (pregnancy, an active infection in the area)
    /// rather than a history. Sessions now ask these in their pre-treatment
    /// check (`CurrentState`); an item kept on the client by an older
    /// version seeds that check and warns no more by itself.
    pub fn is_current_state(self) -> bool {
        matches!(self, Self::ActiveInfection | Self::PregnancyBreastfeeding)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ScreeningItem {
    pub kind: ScreeningKind,
    /// For isotretinoin the last dose; otherwise when it was noted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub note: String,
}

/// What a practitioner enters for a client.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ClientDraft {
    #[schemars(length(min = 1, max = NAME_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::NAME_PATTERN))]
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    #[schemars(length(max = NAME_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub phone: String,
    #[schemars(length(max = NAME_MAX_CHARS))]
    #[schemars(extend("pattern" = EMAIL_PATTERN))]
    pub email: String,
    /// Fitzpatrick skin type.
    pub fitzpatrick: Option<Fitzpatrick>,
    /// Glogau photoaging type.
    pub glogau: Option<Glogau>,
    pub concerns: Vec<Concern>,
    /// Screening questions answered yes; an absent kind means no.
    pub screening: Vec<ScreeningItem>,
    #[schemars(length(max = TEXT_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub allergies: String,
    #[schemars(length(max = TEXT_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub medications: String,
    pub consent_on: Option<NaiveDate>,
    /// The day a parent or guardian signed consent, for a client under 18;
    /// left out when none (exports before it existed have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian_consent_on: Option<NaiveDate>,
    /// Who signed it (name and relation, e.g. "Maria Young, mother"); left
    /// out when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(length(max = NAME_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::ONE_LINE_PATTERN))]
    pub guardian: String,
    /// The day the client consented to photos (separate from the treatment
    /// consent); left out when not given (exports before it existed have
    /// none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_consent_on: Option<NaiveDate>,
    /// Whether photos may be used beyond the record (teaching, a referring
    /// doctor); needs a photo consent date. Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub photo_consent_beyond: bool,
    #[schemars(length(max = TEXT_MAX_CHARS))]
    #[schemars(extend("pattern" = super::text::TEXT_PATTERN))]
    pub notes: String,
}

impl ClientDraft {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_string(),
            ..Self::default()
        }
    }

    /// Checks the draft against `today` (a birth or consent date cannot be
    /// in the future). Returns the cleaned record or every problem found.
    pub fn validate(&self, today: NaiveDate) -> Result<ClientDraft, Vec<ValidationError>> {
        let mut errors = self.text_problems();
        errors.extend(self.date_problems(today));
        if errors.is_empty() {
            Ok(self.normalised())
        } else {
            Err(errors)
        }
    }

    /// Name, contact and free text that cannot be stored.
    fn text_problems(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(ValidationError::Required { field: "name" });
        } else if name.chars().count() > NAME_MAX_CHARS {
            errors.push(ValidationError::invalid(
                "name",
                format!("at most {NAME_MAX_CHARS} characters"),
            ));
        } else if name.chars().any(char::is_control) {
            errors.push(ValidationError::invalid(
                "name",
                "must be one line without control characters",
            ));
        }
        for (field, text) in [
            ("phone", &self.phone),
            ("e-mail", &self.email),
            ("guardian", &self.guardian),
        ] {
            if let Some(e) = super::text::line_problem(field, text) {
                errors.push(e);
            } else if text.chars().count() > NAME_MAX_CHARS {
                errors.push(ValidationError::invalid(
                    field,
                    format!("one line of at most {NAME_MAX_CHARS} characters"),
                ));
            }
        }
        let email = self.email.trim();
        if !email.is_empty() && !looks_like_email(email) {
            errors.push(ValidationError::invalid("e-mail", "expected name@domain"));
        }
        for (field, text) in [
            ("allergies", &self.allergies),
            ("medications", &self.medications),
            ("notes", &self.notes),
        ] {
            if text.chars().count() > TEXT_MAX_CHARS {
                errors.push(ValidationError::invalid(
                    field,
                    format!("at most {TEXT_MAX_CHARS} characters"),
                ));
            }
            errors.extend(super::text::text_problem(field, text));
        }
        for item in &self.screening {
            errors.extend(super::text::text_problem("screening note", &item.note));
        }
        errors
    }

    /// Dates in the future, or a birth more than [`MAX_AGE_YEARS`] ago.
    fn date_problems(&self, today: NaiveDate) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        if let Some(dob) = self.date_of_birth {
            if dob > today {
                errors.push(ValidationError::invalid(
                    "date of birth",
                    "cannot be in the future",
                ));
            } else if today
                .years_since(dob)
                .is_some_and(|age| age > MAX_AGE_YEARS)
            {
                errors.push(ValidationError::invalid(
                    "date of birth",
                    format!("gives an age over {MAX_AGE_YEARS}: check the year"),
                ));
            }
        }
        for (field, day) in [
            ("consent date", self.consent_on),
            ("guardian consent date", self.guardian_consent_on),
            ("photo consent date", self.photo_consent_on),
        ] {
            if day.is_some_and(|d| d > today) {
                errors.push(ValidationError::invalid(field, "cannot be in the future"));
            }
        }
        if self.photo_consent_beyond && self.photo_consent_on.is_none() {
            errors.push(ValidationError::invalid(
                "photo use",
                "beyond the record needs a photo consent date",
            ));
        }
        for item in &self.screening {
            if item.date.is_some_and(|d| d > today) {
                errors.push(ValidationError::invalid(
                    "screening date",
                    format!("{}: cannot be in the future", item.kind.label()),
                ));
            }
        }
        errors
    }

    /// The record as stored: trimmed, concerns and screening in order, once.
    fn normalised(&self) -> ClientDraft {
        let mut concerns = self.concerns.clone();
        concerns.sort();
        concerns.dedup();
        let mut screening = self.screening.clone();
        screening.sort_by_key(|i| i.kind);
        screening.dedup_by_key(|i| i.kind);
        ClientDraft {
            name: self.name.trim().to_string(),
            date_of_birth: self.date_of_birth,
            phone: self.phone.trim().to_string(),
            email: self.email.trim().to_string(),
            fitzpatrick: self.fitzpatrick,
            glogau: self.glogau,
            concerns,
            screening,
            allergies: self.allergies.trim_end().to_string(),
            medications: self.medications.trim_end().to_string(),
            consent_on: self.consent_on,
            guardian_consent_on: self.guardian_consent_on,
            guardian: self.guardian.trim().to_string(),
            photo_consent_on: self.photo_consent_on,
            photo_consent_beyond: self.photo_consent_beyond,
            notes: self.notes.trim_end().to_string(),
        }
    }
}

/// [`looks_like_email`] as a JSON Schema pattern, spaces around allowed
/// (they are trimmed): one line, a local part without `@`, and a domain
/// with a dot that neither starts nor ends it.
pub const EMAIL_PATTERN: &str = concat!(
    r"^[^\S\u0000-\u001F\u007F-\u009F]*",
    r"(?:[^@\s\u0000-\u001F\u007F-\u009F]+@",
    r"[^.\s\u0000-\u001F\u007F-\u009F][^\s\u0000-\u001F\u007F-\u009F]*\.",
    r"[^\s\u0000-\u001F\u007F-\u009F]*[^.\s\u0000-\u001F\u007F-\u009F])?",
    r"[^\S\u0000-\u001F\u007F-\u009F]*$"
);

/// What is wrong with an e-mail address (trimmed first; empty is none).
pub(crate) fn email_problem(s: &str) -> Option<String> {
    let e = s.trim();
    (!e.is_empty() && !looks_like_email(e)).then(|| "expected name@domain".to_string())
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A stored client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Client {
    #[serde(skip)]
    pub id: i64,
    pub uuid: Uuid,
    #[serde(flatten)]
    pub data: ClientDraft,
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::today;

    #[test]
    fn a_name_is_all_a_client_needs() {
        let c = ClientDraft::named("  Ana Souza ")
            .validate(today())
            .unwrap();
        assert_eq!(c.name, "Ana Souza");
        assert!(ClientDraft::named("   ").validate(today()).is_err());
        assert!(ClientDraft::named("a\nb").validate(today()).is_err());
        assert!(
            ClientDraft::named(&"x".repeat(121))
                .validate(today())
                .is_err()
        );
        assert!(
            ClientDraft::named(&"é".repeat(120))
                .validate(today())
                .is_ok()
        );
    }

    #[test]
    fn dates_cannot_be_in_the_future() {
        let mut c = ClientDraft::named("Bo");
        c.consent_on = today().succ_opt();
        c.guardian_consent_on = today().succ_opt();
        c.date_of_birth = today().succ_opt();
        let errs = c.validate(today()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field()).collect();
        assert_eq!(
            fields,
            ["date of birth", "consent date", "guardian consent date"]
        );
        c.consent_on = Some(today());
        c.guardian_consent_on = Some(today());
        c.date_of_birth = NaiveDate::from_ymd_opt(1990, 2, 28);
        assert!(c.validate(today()).is_ok());
    }

    #[test]
    fn photo_consent_is_a_past_date_and_beyond_needs_it() {
        let mut c = ClientDraft::named("Bo");
        c.photo_consent_on = today().succ_opt();
        let errs = c.validate(today()).unwrap_err();
        assert_eq!(errs[0].field(), "photo consent date");
        c.photo_consent_on = None;
        c.photo_consent_beyond = true;
        let errs = c.validate(today()).unwrap_err();
        assert_eq!(errs[0].field(), "photo use");
        c.photo_consent_on = Some(today());
        let ok = c.validate(today()).unwrap();
        assert_eq!(
            (ok.photo_consent_on, ok.photo_consent_beyond),
            (Some(today()), true)
        );
    }

    #[test]
    fn a_date_of_birth_giving_an_age_over_110_is_refused() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let born = |y, m, d| {
            let mut c = ClientDraft::named("Bo");
            c.date_of_birth = NaiveDate::from_ymd_opt(y, m, d);
            c.validate(day)
        };
        assert!(born(1916, 3, 1).is_ok(), "110 today");
        assert!(born(1915, 3, 2).is_ok(), "110, a day short of 111");
        let errs = born(1915, 3, 1).unwrap_err();
        assert_eq!(
            errs.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["date of birth: gives an age over 110: check the year"]
        );
    }

    #[test]
    fn skin_types_have_their_ranges() {
        assert_eq!(Fitzpatrick::from_number(1).unwrap(), Fitzpatrick::I);
        assert_eq!(Fitzpatrick::from_number(6).unwrap(), Fitzpatrick::VI);
        assert!(Fitzpatrick::from_number(0).is_err());
        assert!(Fitzpatrick::from_number(7).is_err());
        assert_eq!(Glogau::from_number(4).unwrap().number(), 4);
        assert!(Glogau::from_number(5).is_err());
        assert!(Fitzpatrick::IV.pih_risk() && !Fitzpatrick::III.pih_risk());
    }

    #[test]
    fn email_is_checked_only_when_given() {
        let mut c = ClientDraft::named("Bo");
        c.email = "bo@example.org".into();
        assert!(c.validate(today()).is_ok());
        c.email = "bo@example".into();
        assert!(c.validate(today()).is_err());
        c.email = "".into();
        assert!(c.validate(today()).is_ok());
    }
}
