//! What a series treats. Its own module: series and zone depth hints both
//! depend on it, and on nothing of each other.

use super::codes::coded;
use super::scales::OutcomeScale;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Concern {
    #[strum(message = "acne scars")]
    AcneScars,
    #[strum(message = "fine lines")]
    FineLines,
    #[strum(message = "wrinkles")]
    Wrinkles,
    #[strum(message = "enlarged pores")]
    EnlargedPores,
    #[strum(message = "texture & tone")]
    TextureTone,
    #[strum(message = "hyperpigmentation")]
    Hyperpigmentation,
    #[strum(message = "stretch marks")]
    StretchMarks,
    #[strum(message = "sun damage")]
    SunDamage,
}

coded!(Concern, labelled);

impl Concern {
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
