//! Treated zones and the needle-depth hint for each.

use super::codes::coded;
use super::concern::Concern;
use super::measures::Depth;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use strum::{EnumMessage, EnumString, IntoStaticStr, VariantArray};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[derive(Serialize, Deserialize, JsonSchema)]
#[derive(VariantArray, IntoStaticStr, EnumString, EnumMessage)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Zone {
    #[strum(message = "forehead")]
    Forehead,
    #[strum(message = "around the eyes")]
    Periorbital,
    #[strum(message = "nose")]
    Nose,
    #[strum(message = "cheeks")]
    Cheeks,
    #[strum(message = "upper lip / perioral")]
    UpperLip,
    #[strum(message = "chin")]
    Chin,
    #[strum(message = "jawline")]
    Jawline,
    #[strum(message = "neck")]
    Neck,
    #[strum(message = "décolletage")]
    Decolletage,
    #[strum(message = "abdomen")]
    Abdomen,
    #[strum(message = "thighs")]
    Thighs,
    #[strum(message = "arms")]
    Arms,
    #[strum(message = "back")]
    Back,
}

coded!(Zone, labelled);

impl Zone {
    pub fn is_body(self) -> bool {
        matches!(self, Self::Abdomen | Self::Thighs | Self::Arms | Self::Back)
    }
}

/// A usual depth range for a zone: shown beside the depth field and used to
/// warn, never to refuse. The hard bounds are those of [`Depth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DepthHint {
    pub min: Depth,
    pub max: Depth,
}

impl DepthHint {
    const fn new(min_h: u16, max_h: u16) -> Self {
        Self {
            min: Depth::known(min_h),
            max: Depth::known(max_h),
        }
    }

    pub fn contains(self, d: Depth) -> bool {
        self.min <= d && d <= self.max
    }
}

impl std::fmt::Display for DepthHint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{} mm", self.min, self.max)
    }
}

/// The built-in usual depth for a zone (the practice's own hints are in
/// [`super::Rules`]). Cheeks, chin and jawline treated for acne scars may go
/// deeper than for texture, so the series' concern is taken into account.
pub fn builtin_depth_hint(zone: Zone, concern: Option<Concern>) -> DepthHint {
    let acne = concern == Some(Concern::AcneScars);
    match zone {
        Zone::Periorbital => DepthHint::new(20, 30),
        Zone::Forehead | Zone::UpperLip | Zone::Neck | Zone::Decolletage => DepthHint::new(25, 50),
        Zone::Nose => DepthHint::new(25, 75),
        Zone::Cheeks | Zone::Chin | Zone::Jawline if acne => DepthHint::new(50, 200),
        Zone::Cheeks | Zone::Chin | Zone::Jawline => DepthHint::new(50, 100),
        Zone::Abdomen | Zone::Thighs | Zone::Arms | Zone::Back => DepthHint::new(150, 250),
    }
}

/// The zone a practitioner typed: its code (`periorbital`) or its label
/// (`around the eyes`), ignoring case and accents.
pub fn zone_named(text: &str) -> Option<Zone> {
    let key = super::text::name_key(text.trim());
    Zone::ALL
        .iter()
        .copied()
        .find(|z| super::text::name_key(z.code()) == key || super::text::name_key(z.label()) == key)
}

/// Depths per zone as typed in the session form, `forehead 0.35; chin 0.75`
/// (entries split at `;` or line ends, the depth last in each). Every
/// problem is one sentence naming the entry.
pub fn parse_zone_depths(text: &str) -> Result<BTreeMap<Zone, Depth>, String> {
    let mut out = BTreeMap::new();
    for entry in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let (name, depth) = entry
            .rsplit_once(char::is_whitespace)
            .ok_or_else(|| format!("'{entry}': a zone and its depth, e.g. forehead 0.35"))?;
        let zone = zone_named(name).ok_or_else(|| format!("'{}' is not a zone", name.trim()))?;
        let depth = Depth::parse("depth", depth)
            .map_err(|_| format!("{}: a depth of {}", zone.label(), Depth::range_text()))?;
        if out.insert(zone, depth).is_some() {
            return Err(format!("{} is given twice", zone.label()));
        }
    }
    Ok(out)
}

/// The form's text of depths per zone, by label: `forehead 0.35; chin 0.75`.
pub fn zone_depths_text(depths: &BTreeMap<Zone, Depth>) -> String {
    depths
        .iter()
        .map(|(z, d)| format!("{} {d}", z.label()))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_depths_read_by_code_or_label_and_say_what_is_wrong() {
        let m = parse_zone_depths("Forehead 0.35; around the eyes 0.25;upper lip / perioral 0.3")
            .unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m[&Zone::Periorbital], d("0.25"));
        assert_eq!(
            zone_depths_text(&m),
            "forehead 0.35; around the eyes 0.25; upper lip / perioral 0.3"
        );
        assert_eq!(parse_zone_depths(&zone_depths_text(&m)).unwrap(), m);
        assert_eq!(
            parse_zone_depths("periorbital 0.2\ndecolletage 0.3")
                .unwrap()
                .len(),
            2
        );
        assert!(parse_zone_depths(" ; ").unwrap().is_empty());
        assert_eq!(
            parse_zone_depths("forehead").unwrap_err(),
            "'forehead': a zone and its depth, e.g. forehead 0.35"
        );
        assert_eq!(
            parse_zone_depths("elbow 0.5").unwrap_err(),
            "'elbow' is not a zone"
        );
        assert!(
            parse_zone_depths("chin 9")
                .unwrap_err()
                .starts_with("chin: ")
        );
        assert_eq!(
            parse_zone_depths("chin 0.5; Chin 0.6").unwrap_err(),
            "chin is given twice"
        );
    }

    fn d(s: &str) -> Depth {
        Depth::parse("depth", s).unwrap()
    }

    #[test]
    fn hints_match_the_published_ranges() {
        let eyes = builtin_depth_hint(Zone::Periorbital, None);
        assert!(eyes.contains(d("0.2")) && eyes.contains(d("0.3")));
        assert!(!eyes.contains(d("0.35")) && !eyes.contains(d("0.15")));
        assert_eq!(eyes.to_string(), "0.2–0.3 mm");
        assert!(!builtin_depth_hint(Zone::Cheeks, None).contains(d("1.5")));
        assert!(builtin_depth_hint(Zone::Cheeks, Some(Concern::AcneScars)).contains(d("1.5")));
        assert!(builtin_depth_hint(Zone::Thighs, Some(Concern::StretchMarks)).contains(d("2.5")));
        assert!(!builtin_depth_hint(Zone::Thighs, None).contains(d("2.55")));
        assert!(builtin_depth_hint(Zone::Nose, None).contains(d("0.75")));
    }
}
