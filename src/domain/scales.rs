//! Bounded values and the typed error that names a field and its allowed range.

use super::codes::coded;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

/// Longest one-line text (device, serum, lots, an action taken, …).
pub const SHORT_TEXT_MAX: usize = 200;

/// Why a value was refused. Every variant names the field, so a form or a
/// command line can say exactly what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValidationError {
    #[error("{field} is required")]
    Required { field: &'static str },
    #[error("{field} must be between {min} and {max} (got {got})")]
    OutOfRange {
        field: &'static str,
        min: String,
        max: String,
        got: String,
    },
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl ValidationError {
    pub fn field(&self) -> &'static str {
        match self {
            Self::Required { field }
            | Self::OutOfRange { field, .. }
            | Self::Invalid { field, .. } => field,
        }
    }

    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

/// Checks an integer against an inclusive range.
pub fn check_range(
    field: &'static str,
    value: i64,
    min: i64,
    max: i64,
) -> Result<u8, ValidationError> {
    if (min..=max).contains(&value) {
        // Every range in the domain fits in a u8 (the widest is 0–120 minutes
        // of numbing, 1–240 of duration is checked by `check_minutes`).
        u8::try_from(value).map_err(|_| out_of_range(field, min, max, value))
    } else {
        Err(out_of_range(field, min, max, value))
    }
}

pub(super) fn out_of_range(
    field: &'static str,
    min: impl fmt::Display,
    max: impl fmt::Display,
    got: impl fmt::Display,
) -> ValidationError {
    ValidationError::OutOfRange {
        field,
        min: min.to_string(),
        max: max.to_string(),
        got: got.to_string(),
    }
}

/// An inclusive range as forms, the README and messages show it: `1–10`.
pub fn range_text(min: impl fmt::Display, max: impl fmt::Display) -> String {
    format!("{min}–{max}")
}

/// A whole number in a fixed inclusive range (the `bounded!` types below):
/// the one statement of its range, which the store's reader, the export
/// schema, the form hints and the README take from here.
pub trait Bounded: Sized + Copy {
    const MIN: u16;
    const MAX: u16;

    /// The value, or why it is refused.
    fn new(value: i64) -> Result<Self, ValidationError>;

    fn get(self) -> u16;

    /// `MIN–MAX`, the hint a form shows.
    fn range_text() -> String {
        range_text(Self::MIN, Self::MAX)
    }
}

/// The JSON Schema of a bounded whole number: its range, and `about`.
fn bounded_schema(min: u16, max: u16, about: &str) -> Schema {
    let mut schema = json_schema!({ "type": "integer", "minimum": min, "maximum": max });
    if !about.is_empty() {
        schema.insert("description".into(), about.into());
    }
    schema
}

/// The outcome scale a series is scored on; chosen per concern. Higher is
/// worse on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum OutcomeScale {
    /// Goodman & Baron qualitative acne-scar grade, 1 (flat marks) to 4 (severe).
    #[strum(message = "Goodman & Baron grade (1-4)")]
    GoodmanBaron,
    /// Lemperle wrinkle assessment, 0 (none) to 5 (very deep, with folds).
    #[strum(message = "Lemperle wrinkle scale (0-5)")]
    Lemperle,
    /// The practitioner's own severity rating, 0 (none) to 10 (worst).
    #[strum(message = "Severity (0-10)")]
    Severity,
}

coded!(OutcomeScale, labelled);

impl OutcomeScale {
    pub const fn range(self) -> (u8, u8) {
        match self {
            Self::GoodmanBaron => (1, 4),
            Self::Lemperle => (0, 5),
            Self::Severity => (0, 10),
        }
    }

    /// The lowest and the highest score of any scale: what a stored score
    /// can be before its series' scale is known.
    pub const ANY_SCORE: (u8, u8) = {
        let (mut lo, mut hi) = Self::ALL[0].range();
        let mut i = 1;
        while i < Self::ALL.len() {
            let (l, h) = Self::ALL[i].range();
            if l < lo {
                lo = l;
            }
            if h > hi {
                hi = h;
            }
            i += 1;
        }
        (lo, hi)
    };
}

/// Checks an outcome score against the series' scale. Higher is worse on
/// every scale the program knows, so improvement is a fall in the score.
pub fn check_score(
    field: &'static str,
    scale: OutcomeScale,
    value: i64,
) -> Result<u8, ValidationError> {
    let (min, max) = scale.range();
    check_range(field, value, i64::from(min), i64::from(max))
}

/// Whole numbers in a fixed inclusive range, each named after its field so
/// every refusal says what was wrong and what is allowed: one type a line.
macro_rules! bounded {
    ($($(#[doc = $doc:literal])* $name:ident, $field:literal, $min:literal ..= $max:literal;)*) => {$(
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u16);

        impl $name {
            pub const FIELD: &'static str = $field;
            pub const MIN: u16 = $min;
            pub const MAX: u16 = $max;

            pub fn new(value: i64) -> Result<Self, ValidationError> {
                if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&value) {
                    Ok(Self(value as u16))
                } else {
                    Err(out_of_range(Self::FIELD, Self::MIN, Self::MAX, value))
                }
            }

            /// Parses typed text: a whole number, with the reason when it is not one.
            pub fn parse(text: &str) -> Result<Self, ValidationError> {
                Self::new(parse_whole(Self::FIELD, text)?)
            }

            pub fn get(self) -> u16 {
                self.0
            }
        }

        impl Bounded for $name {
            const MIN: u16 = $min;
            const MAX: u16 = $max;

            fn new(value: i64) -> Result<Self, ValidationError> {
                $name::new(value)
            }

            fn get(self) -> u16 {
                self.0
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                bounded_schema(Self::MIN, Self::MAX, concat!($($doc),*).trim())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u16(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = i64::deserialize(d)?;
                $name::new(v).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

bounded! {
    /// Redness at the end of the session: 0 none … 4 severe.
    Erythema, "erythema", 0..=4;
    /// Swelling at the end of the session: 0 none … 4 severe.
    Edema, "edema", 0..=4;
    /// Pain reported by the client: 0 none … 10 worst imaginable.
    Pain, "pain", 0..=10;
    /// Client satisfaction: 0 … 10.
    Satisfaction, "satisfaction", 0..=10;
    /// Passes over the area.
    Passes, "passes", 1..=10;
    /// Minutes the numbing cream was left on.
    NumbingMinutes, "numbing minutes", 0..=120;
    /// Length of the session in minutes.
    DurationMinutes, "duration", 1..=240;
}

/// Parses a whole number from typed text.
pub fn parse_whole(field: &'static str, text: &str) -> Result<i64, ValidationError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValidationError::Required { field });
    }
    if t.starts_with('-') && t[1..].chars().all(|c| c.is_ascii_digit()) && t.len() > 1 {
        return Err(ValidationError::invalid(field, "cannot be negative"));
    }
    if !t.chars().all(|c| c.is_ascii_digit()) {
        return Err(ValidationError::invalid(
            field,
            format!("'{t}' is not a whole number"),
        ));
    }
    t.parse()
        .map_err(|_| ValidationError::invalid(field, "number too large"))
}

/// Global Aesthetic Improvement Scale, 1 (very much improved) to 5 (worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gais(u8);

impl Gais {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(field: &'static str, value: i64) -> Result<Self, ValidationError> {
        check_range(field, value, i64::from(Self::MIN), i64::from(Self::MAX)).map(Self)
    }

    /// `1 very much improved … 5 worse`, the scale in a line.
    pub fn scale_text() -> String {
        let label = |v: u8| Self(v).label();
        format!(
            "{} {} … {} {}",
            Self::MIN,
            label(Self::MIN),
            Self::MAX,
            label(Self::MAX)
        )
    }

    pub fn value(self) -> u8 {
        self.0
    }

    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "very much improved",
            2 => "much improved",
            3 => "improved",
            4 => "no change",
            _ => "worse",
        }
    }
}

impl JsonSchema for Gais {
    fn schema_name() -> Cow<'static, str> {
        "Gais".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        bounded_schema(
            u16::from(Self::MIN),
            u16::from(Self::MAX),
            &format!(
                "Global Aesthetic Improvement Scale: {}.",
                Self::scale_text()
            ),
        )
    }
}

impl Serialize for Gais {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for Gais {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        Gais::new("gais", v).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_their_scale() {
        assert!(check_score("score", OutcomeScale::GoodmanBaron, 0).is_err());
        assert!(check_score("score", OutcomeScale::GoodmanBaron, 1).is_ok());
        assert!(check_score("score", OutcomeScale::GoodmanBaron, 4).is_ok());
        assert!(check_score("score", OutcomeScale::GoodmanBaron, 5).is_err());
        assert!(check_score("score", OutcomeScale::Lemperle, 0).is_ok());
        assert!(check_score("score", OutcomeScale::Lemperle, 6).is_err());
        assert!(check_score("score", OutcomeScale::Severity, 10).is_ok());
        assert!(check_score("score", OutcomeScale::Severity, 11).is_err());
        assert!(check_score("score", OutcomeScale::Severity, -1).is_err());
    }

    #[test]
    fn gais_and_ranges_name_the_field() {
        assert!(Gais::new("gais", 0).is_err());
        assert_eq!(Gais::new("gais", 1).unwrap().label(), "very much improved");
        assert_eq!(Gais::new("gais", 5).unwrap().label(), "worse");
        let e = Gais::new("GAIS (clinician)", 6).unwrap_err();
        assert_eq!(e.field(), "GAIS (clinician)");
        assert!(check_range("erythema", 4, 0, 4).is_ok());
        assert_eq!(
            check_range("erythema", 5, 0, 4).unwrap_err().to_string(),
            "erythema must be between 0 and 4 (got 5)"
        );
    }

    #[test]
    fn bounded_values_check_both_ends() {
        assert!(Erythema::new(-1).is_err());
        assert!(Erythema::new(0).is_ok() && Erythema::new(4).is_ok());
        assert_eq!(
            Erythema::new(5).unwrap_err().to_string(),
            "erythema must be between 0 and 4 (got 5)"
        );
        assert!(Pain::new(10).is_ok() && Pain::new(11).is_err());
        assert!(Passes::new(0).is_err() && Passes::new(1).is_ok());
        assert!(DurationMinutes::new(0).is_err() && DurationMinutes::new(240).is_ok());
        assert_eq!(Edema::parse(" 3 ").unwrap().get(), 3);
        assert!(
            Edema::parse("-2")
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        assert!(
            Edema::parse("2.5")
                .unwrap_err()
                .to_string()
                .contains("whole number")
        );
        assert!(
            Edema::parse("99999999999999999999999")
                .unwrap_err()
                .to_string()
                .contains("too large")
        );
        assert!(matches!(
            Edema::parse(""),
            Err(ValidationError::Required { field: "edema" })
        ));
        let back: Pain = serde_json::from_str("7").unwrap();
        assert_eq!(back.get(), 7);
        assert!(serde_json::from_str::<Pain>("12").is_err());
    }
}
