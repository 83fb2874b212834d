//! Treated zones and the needle-depth hint for each.

use super::concern::Concern;
use super::measures::Depth;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    Forehead,
    Periorbital,
    Nose,
    Cheeks,
    UpperLip,
    Chin,
    Jawline,
    Neck,
    Decolletage,
    Abdomen,
    Thighs,
    Arms,
    Back,
}

impl Zone {
    pub const ALL: [Zone; 13] = [
        Self::Forehead,
        Self::Periorbital,
        Self::Nose,
        Self::Cheeks,
        Self::UpperLip,
        Self::Chin,
        Self::Jawline,
        Self::Neck,
        Self::Decolletage,
        Self::Abdomen,
        Self::Thighs,
        Self::Arms,
        Self::Back,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Forehead => "forehead",
            Self::Periorbital => "periorbital",
            Self::Nose => "nose",
            Self::Cheeks => "cheeks",
            Self::UpperLip => "upper_lip",
            Self::Chin => "chin",
            Self::Jawline => "jawline",
            Self::Neck => "neck",
            Self::Decolletage => "decolletage",
            Self::Abdomen => "abdomen",
            Self::Thighs => "thighs",
            Self::Arms => "arms",
            Self::Back => "back",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Forehead => "forehead",
            Self::Periorbital => "around the eyes",
            Self::Nose => "nose",
            Self::Cheeks => "cheeks",
            Self::UpperLip => "upper lip / perioral",
            Self::Chin => "chin",
            Self::Jawline => "jawline",
            Self::Neck => "neck",
            Self::Decolletage => "décolletage",
            Self::Abdomen => "abdomen",
            Self::Thighs => "thighs",
            Self::Arms => "arms",
            Self::Back => "back",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|z| z.code() == code)
    }

    pub fn is_body(self) -> bool {
        matches!(self, Self::Abdomen | Self::Thighs | Self::Arms | Self::Back)
    }
}

/// A usual depth range for a zone: shown beside the depth field and used to
/// warn, never to refuse. The hard bounds are those of [`Depth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The usual depth for a zone. Cheeks treated for acne scars may go deeper
/// than cheeks treated for texture, so the series' concern is taken into account.
pub fn depth_hint(zone: Zone, concern: Option<Concern>) -> DepthHint {
    match zone {
        Zone::Periorbital => DepthHint::new(20, 30),
        Zone::Forehead | Zone::UpperLip | Zone::Neck | Zone::Decolletage => DepthHint::new(25, 50),
        Zone::Nose => DepthHint::new(25, 75),
        Zone::Cheeks if concern == Some(Concern::AcneScars) => DepthHint::new(50, 200),
        Zone::Cheeks | Zone::Chin | Zone::Jawline => DepthHint::new(50, 100),
        Zone::Abdomen | Zone::Thighs | Zone::Arms | Zone::Back => DepthHint::new(150, 250),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Depth {
        Depth::parse("depth", s).unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for z in Zone::ALL {
            assert_eq!(Zone::from_code(z.code()), Some(z));
        }
        assert_eq!(Zone::from_code("elbow"), None);
    }

    #[test]
    fn hints_match_the_published_ranges() {
        let eyes = depth_hint(Zone::Periorbital, None);
        assert!(eyes.contains(d("0.2")) && eyes.contains(d("0.3")));
        assert!(!eyes.contains(d("0.35")) && !eyes.contains(d("0.15")));
        assert_eq!(eyes.to_string(), "0.2–0.3 mm");
        assert!(!depth_hint(Zone::Cheeks, None).contains(d("1.5")));
        assert!(depth_hint(Zone::Cheeks, Some(Concern::AcneScars)).contains(d("1.5")));
        assert!(depth_hint(Zone::Thighs, Some(Concern::StretchMarks)).contains(d("2.5")));
        assert!(!depth_hint(Zone::Thighs, None).contains(d("2.55")));
        assert!(depth_hint(Zone::Nose, None).contains(d("0.75")));
    }
}
