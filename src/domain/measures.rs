//! Measured values typed as decimals: needle depth and days of downtime,
//! kept as whole hundredths and halves so that what was typed is what is
//! stored.

use super::scales::{ValidationError, out_of_range, range_text};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

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
                format!("{} mm", format_hundredths(i64::from(Self::MIN_HUNDREDTHS))),
                format!("{} mm", format_hundredths(i64::from(Self::MAX_HUNDREDTHS))),
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

impl Depth {
    /// `0.1–3.0`, the hint a form shows.
    pub fn range_text() -> String {
        range_text(
            format_hundredths(i64::from(Self::MIN_HUNDREDTHS)),
            format_hundredths(i64::from(Self::MAX_HUNDREDTHS)),
        )
    }
}

impl JsonSchema for Depth {
    fn schema_name() -> Cow<'static, str> {
        "Depth".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": f64::from(Self::MIN_HUNDREDTHS) / 100.0,
            "maximum": f64::from(Self::MAX_HUNDREDTHS) / 100.0,
            "description": "Needle depth in millimetres, at most two decimals."
        })
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

/// Days of downtime (redness, swelling, peeling), 0–30 in half days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Days(u8);

impl Days {
    pub const MAX_HALVES: u8 = 60;

    pub fn from_halves(field: &'static str, halves: i64) -> Result<Self, ValidationError> {
        if (0..=i64::from(Self::MAX_HALVES)).contains(&halves) {
            Ok(Self(halves as u8))
        } else {
            Err(out_of_range(
                field,
                0,
                Self::MAX_HALVES / 2,
                halves as f64 / 2.0,
            ))
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

impl Days {
    /// `0–30`, the hint a form shows.
    pub fn range_text() -> String {
        range_text(0, Self::MAX_HALVES / 2)
    }
}

impl JsonSchema for Days {
    fn schema_name() -> Cow<'static, str> {
        "Days".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": 0,
            "maximum": Self::MAX_HALVES / 2,
            "multipleOf": 0.5,
            "description": "Days of downtime, whole or half days."
        })
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

/// Written as a plain number (millimetres, days); read back through the
/// type's own checks, a refusal naming `field`.
macro_rules! decimal_serde {
    ($($ty:ident: $field:literal, $from:ident, $to:ident;)*) => {$(
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_f64(self.$to())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let number = f64::deserialize(d)?;
                $ty::$from($field, number).map_err(serde::de::Error::custom)
            }
        }
    )*};
}
decimal_serde! {
    Depth: "depth", from_mm, mm;
    Days: "days", from_days, days;
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
}
