//! Bounded values and the typed error that names a field and its allowed range.

use serde::{Deserialize, Serialize};
use std::fmt;

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

fn out_of_range(
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

/// The outcome scale a series is scored on; chosen per concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeScale {
    /// Goodman & Baron qualitative acne-scar grade, 1 (flat marks) to 4 (severe).
    GoodmanBaron,
    /// Lemperle wrinkle assessment, 0 (none) to 5 (very deep, with folds).
    Lemperle,
    /// The practitioner's own severity rating, 0 (none) to 10 (worst).
    Severity,
}

impl OutcomeScale {
    pub const ALL: [OutcomeScale; 3] = [Self::GoodmanBaron, Self::Lemperle, Self::Severity];

    pub fn range(self) -> (u8, u8) {
        match self {
            Self::GoodmanBaron => (1, 4),
            Self::Lemperle => (0, 5),
            Self::Severity => (0, 10),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::GoodmanBaron => "goodman_baron",
            Self::Lemperle => "lemperle",
            Self::Severity => "severity",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::GoodmanBaron => "Goodman & Baron grade (1-4)",
            Self::Lemperle => "Lemperle wrinkle scale (0-5)",
            Self::Severity => "Severity (0-10)",
        }
    }
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

/// Needle depth in millimetres, kept as whole hundredths so that what was
/// typed is what is stored: 0.25 stays 0.25, never 0.2499999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Depth(u16);

impl Depth {
    pub const MIN_HUNDREDTHS: u16 = 10;
    pub const MAX_HUNDREDTHS: u16 = 300;

    pub fn from_hundredths(field: &'static str, h: i64) -> Result<Self, ValidationError> {
        if (i64::from(Self::MIN_HUNDREDTHS)..=i64::from(Self::MAX_HUNDREDTHS)).contains(&h) {
            Ok(Self(h as u16))
        } else {
            Err(out_of_range(
                field,
                "0.1 mm",
                "3.0 mm",
                format_hundredths(h),
            ))
        }
    }

    /// Parses "0.5", "1.25" or "1,25" (a decimal comma is common in clinics).
    pub fn parse(field: &'static str, text: &str) -> Result<Self, ValidationError> {
        let h = parse_fixed(field, text, 2)?;
        Self::from_hundredths(field, h)
    }

    pub fn from_mm(field: &'static str, mm: f64) -> Result<Self, ValidationError> {
        if !mm.is_finite() {
            return Err(ValidationError::invalid(
                field,
                "must be a number of millimetres",
            ));
        }
        let h = (mm * 100.0).round();
        if (h - mm * 100.0).abs() > 1e-6 {
            return Err(ValidationError::invalid(
                field,
                "at most two decimals (e.g. 0.25)",
            ));
        }
        Self::from_hundredths(field, h as i64)
    }

    /// For the program's own tables; a value outside the hard bounds there is
    /// a programming error caught by the zone tests.
    pub(crate) const fn known(h: u16) -> Self {
        assert!(h >= Self::MIN_HUNDREDTHS && h <= Self::MAX_HUNDREDTHS);
        Self(h)
    }

    pub fn hundredths(self) -> u16 {
        self.0
    }

    pub fn mm(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl fmt::Display for Depth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_hundredths(i64::from(self.0)))
    }
}

fn format_hundredths(h: i64) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let h = h.abs();
    match h % 100 {
        0 => format!("{sign}{}.0", h / 100),
        r if r % 10 == 0 => format!("{sign}{}.{}", h / 100, r / 10),
        r => format!("{sign}{}.{r:02}", h / 100),
    }
}

impl Serialize for Depth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.mm())
    }
}

impl<'de> Deserialize<'de> for Depth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mm = f64::deserialize(d)?;
        Depth::from_mm("depth", mm).map_err(serde::de::Error::custom)
    }
}

/// Days of downtime (redness, swelling, peeling), 0–30 in half days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Days(u8);

impl Days {
    pub const MAX_HALVES: u8 = 60;

    pub fn from_halves(field: &'static str, halves: i64) -> Result<Self, ValidationError> {
        if (0..=i64::from(Self::MAX_HALVES)).contains(&halves) {
            Ok(Self(halves as u8))
        } else {
            Err(out_of_range(field, 0, 30, halves as f64 / 2.0))
        }
    }

    /// Parses "2", "2.5" or "2,5"; only whole and half days are allowed.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, ValidationError> {
        let tenths = parse_fixed(field, text, 1)?;
        if tenths % 5 != 0 {
            return Err(ValidationError::invalid(
                field,
                "whole or half days only (e.g. 2 or 2.5)",
            ));
        }
        Self::from_halves(field, tenths / 5)
    }

    pub fn from_days(field: &'static str, days: f64) -> Result<Self, ValidationError> {
        if !days.is_finite() {
            return Err(ValidationError::invalid(field, "must be a number of days"));
        }
        let halves = days * 2.0;
        if halves.fract() != 0.0 {
            return Err(ValidationError::invalid(
                field,
                "whole or half days only (e.g. 2 or 2.5)",
            ));
        }
        Self::from_halves(field, halves as i64)
    }

    pub fn halves(self) -> u8 {
        self.0
    }

    pub fn days(self) -> f64 {
        f64::from(self.0) / 2.0
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(2) {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}.5", self.0 / 2)
        }
    }
}

impl Serialize for Days {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.days())
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let days = f64::deserialize(d)?;
        Days::from_days("days", days).map_err(serde::de::Error::custom)
    }
}

/// Parses a non-negative decimal with at most `decimals` places into an
/// integer scaled by 10^decimals, without going through floating point.
fn parse_fixed(field: &'static str, text: &str, decimals: u32) -> Result<i64, ValidationError> {
    let t = text.trim().replace(',', ".");
    if t.is_empty() {
        return Err(ValidationError::Required { field });
    }
    let bad = || ValidationError::invalid(field, format!("'{}' is not a number", text.trim()));
    let (whole, frac) = t.split_once('.').unwrap_or((t.as_str(), ""));
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        if t.starts_with('-') {
            return Err(ValidationError::invalid(field, "cannot be negative"));
        }
        return Err(bad());
    }
    if frac.len() > decimals as usize {
        return Err(ValidationError::invalid(
            field,
            format!(
                "at most {decimals} decimal{}",
                if decimals == 1 { "" } else { "s" }
            ),
        ));
    }
    if whole.len() > 6 {
        return Err(ValidationError::invalid(field, "number too large"));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let scale = 10_i64.pow(decimals);
    let mut f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    f *= 10_i64.pow(decimals - frac.len() as u32);
    Ok(whole * scale + f)
}

/// A whole number in a fixed inclusive range, named after its field so
/// every refusal says what was wrong and what is allowed.
macro_rules! bounded {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:literal ..= $max:literal) => {
        $(#[$doc])*
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
    };
}

bounded!(
    /// Redness at the end of the session: 0 none … 4 severe.
    Erythema, "erythema", 0..=4
);
bounded!(
    /// Swelling at the end of the session: 0 none … 4 severe.
    Edema, "edema", 0..=4
);
bounded!(
    /// Pain reported by the client: 0 none … 10 worst imaginable.
    Pain, "pain", 0..=10
);
bounded!(
    /// Client satisfaction: 0 … 10.
    Satisfaction, "satisfaction", 0..=10
);
bounded!(
    /// Passes over the area.
    Passes, "passes", 1..=10
);
bounded!(
    /// Minutes the numbing cream was left on.
    NumbingMinutes, "numbing minutes", 0..=120
);
bounded!(
    /// Length of the session in minutes.
    DurationMinutes, "duration", 1..=240
);

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
    pub fn new(field: &'static str, value: i64) -> Result<Self, ValidationError> {
        check_range(field, value, 1, 5).map(Self)
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
    fn depth_bounds_are_inclusive_and_exact() {
        assert_eq!(Depth::parse("depth", "0.1").unwrap().hundredths(), 10);
        assert_eq!(Depth::parse("depth", "3").unwrap().hundredths(), 300);
        assert_eq!(Depth::parse("depth", "3.0").unwrap().hundredths(), 300);
        assert_eq!(Depth::parse("depth", "0,25").unwrap().to_string(), "0.25");
        assert_eq!(Depth::parse("depth", ".5").unwrap().to_string(), "0.5");
        let e = Depth::parse("depth", "0.09").unwrap_err();
        assert_eq!(
            e.to_string(),
            "depth must be between 0.1 mm and 3.0 mm (got 0.09)"
        );
        assert!(Depth::parse("depth", "3.01").is_err());
        assert!(Depth::parse("depth", "0.125").is_err());
        assert!(
            Depth::parse("depth", "-0.5")
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        assert!(Depth::parse("depth", "abc").is_err());
        assert!(Depth::parse("depth", ".").is_err());
        assert!(Depth::parse("depth", "1e1").is_err());
        assert!(matches!(
            Depth::parse("depth", " "),
            Err(ValidationError::Required { .. })
        ));
        assert!(Depth::from_mm("depth", f64::NAN).is_err());
        assert!(Depth::from_mm("depth", f64::INFINITY).is_err());
        assert!(Depth::from_mm("depth", 0.333).is_err());
        assert_eq!(Depth::from_mm("depth", 0.3).unwrap().hundredths(), 30);
    }

    #[test]
    fn days_allow_halves_only() {
        assert_eq!(Days::parse("redness", "0").unwrap().halves(), 0);
        assert_eq!(Days::parse("redness", "2.5").unwrap().to_string(), "2.5");
        assert_eq!(Days::parse("redness", "30").unwrap().halves(), 60);
        assert!(Days::parse("redness", "30.5").is_err());
        assert!(Days::parse("redness", "2.3").is_err());
        assert!(Days::parse("redness", "2.25").is_err());
        assert!(Days::from_days("redness", -0.5).is_err());
        assert!(Days::from_days("redness", f64::NAN).is_err());
        assert_eq!(Days::from_days("redness", 7.5).unwrap().to_string(), "7.5");
    }

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
