//! The standard views a clinical photo is taken from. The codes are what
//! the database and exports store; the labels are what screens show.

use super::codes::coded;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

/// Which way the camera looked: the five standard face positions, or a
/// close-up of one zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum View {
    /// Straight on, both eyes level.
    #[strum(message = "front")]
    Front,
    /// The left profile (90°).
    #[strum(message = "left")]
    Left,
    /// The right profile (90°).
    #[strum(message = "right")]
    Right,
    /// Turned 45° to show the left cheek.
    #[strum(message = "left oblique")]
    LeftOblique,
    /// Turned 45° to show the right cheek.
    #[strum(message = "right oblique")]
    RightOblique,
    /// A close-up of one zone.
    #[strum(message = "close-up")]
    CloseUp,
}

coded!(View, labelled);

impl View {
    /// The stable code (as [`View::code`]), under the name other parts use.
    pub fn as_str(self) -> &'static str {
        self.code()
    }
}

#[cfg(test)]
mod tests {
    use super::View;

    #[test]
    fn labels_are_the_words_a_screen_shows() {
        let labels: Vec<&str> = View::ALL.iter().map(|v| v.label()).collect();
        assert_eq!(
            labels,
            [
                "front",
                "left",
                "right",
                "left oblique",
                "right oblique",
                "close-up"
            ]
        );
        assert_eq!(View::from_code("left_oblique"), Some(View::LeftOblique));
        assert_eq!(View::CloseUp.as_str(), "close_up");
        assert_eq!(View::from_code("close-up"), None);
    }
}
