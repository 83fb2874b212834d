//! What a series treats. Its own module: series and zone depth hints both
//! depend on it, and on nothing of each other.

use super::scales::OutcomeScale;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    AcneScars,
    FineLines,
    Wrinkles,
    EnlargedPores,
    TextureTone,
    Hyperpigmentation,
    StretchMarks,
    SunDamage,
}

impl Concern {
    pub const ALL: [Concern; 8] = [
        Self::AcneScars,
        Self::FineLines,
        Self::Wrinkles,
        Self::EnlargedPores,
        Self::TextureTone,
        Self::Hyperpigmentation,
        Self::StretchMarks,
        Self::SunDamage,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::AcneScars => "acne_scars",
            Self::FineLines => "fine_lines",
            Self::Wrinkles => "wrinkles",
            Self::EnlargedPores => "enlarged_pores",
            Self::TextureTone => "texture_tone",
            Self::Hyperpigmentation => "hyperpigmentation",
            Self::StretchMarks => "stretch_marks",
            Self::SunDamage => "sun_damage",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AcneScars => "acne scars",
            Self::FineLines => "fine lines",
            Self::Wrinkles => "wrinkles",
            Self::EnlargedPores => "enlarged pores",
            Self::TextureTone => "texture & tone",
            Self::Hyperpigmentation => "hyperpigmentation",
            Self::StretchMarks => "stretch marks",
            Self::SunDamage => "sun damage",
        }
    }

    /// The scale a new series for this concern is scored on unless the
    /// practitioner picks another.
    pub fn default_scale(self) -> OutcomeScale {
        match self {
            Self::AcneScars => OutcomeScale::GoodmanBaron,
            Self::FineLines | Self::Wrinkles => OutcomeScale::Lemperle,
            _ => OutcomeScale::Severity,
        }
    }
}
