//! The standard views a clinical photo is taken from. The codes are what
//! the database and exports store; the labels are what screens show.

use super::codes::coded;
use super::zones::Zone;
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

/// A photo's view as screens and reports name it: "front", "close-up:
/// cheeks".
pub fn view_label(view: View, zone: Option<Zone>) -> String {
    with_zone(view.label(), zone)
}

/// [`view_label`] of a stored photo row's codes (an unknown view code is
/// shown as stored, its underscores as spaces).
pub fn stored_view_label(view: &str, zone: &str) -> String {
    let zone = Zone::from_code(zone);
    match View::from_code(view) {
        Some(v) => view_label(v, zone),
        None => with_zone(&view.replace('_', " "), zone),
    }
}

fn with_zone(view: &str, zone: Option<Zone>) -> String {
    match zone {
        Some(z) => format!("{view}: {}", z.label()),
        None => view.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_up_is_named_with_its_zone() {
        assert_eq!(view_label(View::Front, None), "front");
        assert_eq!(
            view_label(View::CloseUp, Some(Zone::Cheeks)),
            "close-up: cheeks"
        );
        assert_eq!(stored_view_label("close_up", "cheeks"), "close-up: cheeks");
        assert_eq!(stored_view_label("left_oblique", ""), "left oblique");
        assert_eq!(stored_view_label("top_down", ""), "top down");
    }

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
