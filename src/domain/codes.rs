//! The stable codes of the domain's enums. The variant lists, the codes and
//! the labels come from `strum` derives on each enum; [`coded!`] only gives
//! them the names the rest of the program calls (`ALL`, `code`, `from_code`,
//! `label`), so no list is kept by hand and none can miss a variant.
//!
//! Codes are stored in the database and written to exports: they never change.

/// `ALL`, `code` and `from_code` for an enum deriving `strum::VariantArray`,
/// `strum::IntoStaticStr` and `strum::EnumString`; with `labelled`, also
/// `label` from `strum::EnumMessage` (`#[strum(message = "…")]` on each variant);
/// with `numbered "field"`, also `number` and `from_number` (types counted
/// from 1, as clinicians name them).
macro_rules! coded {
    ($t:ty) => {
        impl $t {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

            /// The stable code stored in the database and exports.
            pub fn code(self) -> &'static str {
                self.into()
            }

            pub fn from_code(code: &str) -> Option<Self> {
                code.parse().ok()
            }
        }
    };
    ($t:ty, labelled) => {
        coded!($t);

        impl $t {
            /// The words a screen or a report shows.
            pub fn label(self) -> &'static str {
                // Every variant has a message (tested), so the code is never shown.
                strum::EnumMessage::get_message(&self).unwrap_or_else(|| self.code())
            }
        }
    };
    ($t:ty, numbered $field:literal) => {
        coded!($t);

        impl $t {
            /// The type's number, counting from 1 (`I` is 1).
            pub fn number(self) -> u8 {
                self as u8 + 1
            }

            /// The type numbered `n`; a number outside 1 … the last is refused.
            pub fn from_number(n: i64) -> Result<Self, $crate::domain::ValidationError> {
                $crate::domain::check_range($field, n, 1, Self::ALL.len() as i64)
                    .map(|n| Self::ALL[usize::from(n) - 1])
            }
        }
    };
}

pub(crate) use coded;

#[cfg(test)]
mod tests {
    use crate::domain::{
        AdverseKind, Concern, Fitzpatrick, Glogau, OutcomeScale, ScreeningKind, SeriesStatus,
        Severity, View, Zone,
    };
    use crate::export::Format;

    /// Every code of `all` as stored and exported, in order; each one reads
    /// back to its variant and is what serde writes (JSON export, drafts).
    fn codes_of<T>(
        all: &[T],
        code: fn(T) -> &'static str,
        from: fn(&str) -> Option<T>,
    ) -> Vec<&'static str>
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        for &v in all {
            assert_eq!(from(code(v)), Some(v), "{v:?} reads back from its code");
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::Value::from(code(v)),
                "{v:?}: serde and strum agree"
            );
        }
        all.iter().map(|&v| code(v)).collect()
    }

    /// The codes are in databases and exports already written: a renamed or
    /// added variant must show up here, on purpose.
    #[test]
    fn every_code_is_pinned() {
        assert_eq!(
            codes_of(
                crate::domain::CurrentState::ALL,
                crate::domain::CurrentState::code,
                crate::domain::CurrentState::from_code
            ),
            [
                "pregnant_or_breastfeeding",
                "active_infection",
                "active_cold_sore",
                "sunburn_or_tan",
                "recent_procedure",
                "actives_within_pause",
            ]
        );
        assert_eq!(
            codes_of(Concern::ALL, Concern::code, Concern::from_code),
            [
                "acne_scars",
                "fine_lines",
                "wrinkles",
                "enlarged_pores",
                "texture_tone",
                "hyperpigmentation",
                "stretch_marks",
                "sun_damage",
            ]
        );
        assert_eq!(
            codes_of(Zone::ALL, Zone::code, Zone::from_code),
            [
                "forehead",
                "periorbital",
                "nose",
                "cheeks",
                "upper_lip",
                "chin",
                "jawline",
                "neck",
                "decolletage",
                "abdomen",
                "thighs",
                "arms",
                "back",
            ]
        );
        assert_eq!(
            codes_of(
                OutcomeScale::ALL,
                OutcomeScale::code,
                OutcomeScale::from_code
            ),
            ["goodman_baron", "lemperle", "severity"]
        );
        assert_eq!(
            codes_of(
                SeriesStatus::ALL,
                SeriesStatus::code,
                SeriesStatus::from_code
            ),
            ["active", "closed"]
        );
        assert_eq!(
            codes_of(
                ScreeningKind::ALL,
                ScreeningKind::code,
                ScreeningKind::from_code
            ),
            [
                "active_infection",
                "cold_sores",
                "eczema_psoriasis",
                "keloid_history",
                "isotretinoin",
                "anticoagulants",
                "pregnancy_breastfeeding",
                "diabetes_autoimmune",
                "pih_history",
            ]
        );
        assert_eq!(
            codes_of(AdverseKind::ALL, AdverseKind::code, AdverseKind::from_code),
            [
                "prolonged_erythema",
                "pih",
                "acne_flare",
                "infection",
                "allergic_reaction",
                "cold_sore_outbreak",
                "tram_track",
                "hypertrophic_scarring",
                "granulomatous_reaction",
                "milia",
                "contact_dermatitis",
                "lymphadenopathy",
                "other",
            ]
        );
        assert_eq!(
            codes_of(View::ALL, View::code, View::from_code),
            [
                "front",
                "left",
                "right",
                "left_oblique",
                "right_oblique",
                "close_up",
            ]
        );
        assert_eq!(
            codes_of(Severity::ALL, Severity::code, Severity::from_code),
            ["mild", "moderate", "severe"]
        );
        assert_eq!(
            codes_of(Fitzpatrick::ALL, Fitzpatrick::code, Fitzpatrick::from_code),
            ["I", "II", "III", "IV", "V", "VI"]
        );
        assert_eq!(
            codes_of(Glogau::ALL, Glogau::code, Glogau::from_code),
            ["I", "II", "III", "IV"]
        );
        let formats: Vec<_> = Format::ALL.iter().map(|f| f.code()).collect();
        assert_eq!(formats, ["csv", "json", "md", "html", "ics", "xlsx"]);
        for &f in Format::ALL {
            assert_eq!(Format::from_code(f.code()), Some(f));
        }
        assert_eq!(Zone::from_code("elbow"), None);
        assert_eq!(Concern::from_code("Acne_Scars"), None, "codes are exact");
    }

    /// Labels are what reports and screens print; each variant has its own
    /// (a variant without a `message` would print its code).
    #[test]
    fn every_label_is_pinned() {
        fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|&v| label(v)).collect()
        }
        assert_eq!(
            labels(
                crate::domain::CurrentState::ALL,
                crate::domain::CurrentState::label
            ),
            [
                "pregnant or breastfeeding",
                "active acne, infection or open lesion in the area",
                "cold sore in the area",
                "sunburn or fresh tan",
                "recent peel, laser, filler or toxin",
                "retinoid, AHA or hydroquinone within the pause",
            ]
        );
        assert_eq!(
            labels(Concern::ALL, Concern::label),
            [
                "acne scars",
                "fine lines",
                "wrinkles",
                "enlarged pores",
                "texture & tone",
                "hyperpigmentation",
                "stretch marks",
                "sun damage",
            ]
        );
        assert_eq!(
            labels(Zone::ALL, Zone::label),
            [
                "forehead",
                "around the eyes",
                "nose",
                "cheeks",
                "upper lip / perioral",
                "chin",
                "jawline",
                "neck",
                "décolletage",
                "abdomen",
                "thighs",
                "arms",
                "back",
            ]
        );
        assert_eq!(
            labels(OutcomeScale::ALL, OutcomeScale::label),
            [
                "Goodman & Baron grade (1-4)",
                "Lemperle wrinkle scale (0-5)",
                "Severity (0-10)",
            ]
        );
        assert_eq!(
            labels(ScreeningKind::ALL, ScreeningKind::label),
            [
                "active acne / infection in the area",
                "cold sores",
                "eczema or psoriasis in the area",
                "keloid / hypertrophic scarring history",
                "isotretinoin",
                "anticoagulants / bleeding disorder",
                "pregnant or breastfeeding",
                "diabetes / autoimmune disease",
                "previous post-inflammatory hyperpigmentation",
            ]
        );
        assert_eq!(
            labels(AdverseKind::ALL, AdverseKind::label),
            [
                "prolonged erythema",
                "hyperpigmentation (PIH)",
                "acne flare",
                "infection",
                "allergic reaction",
                "cold-sore outbreak",
                "tram-track marks",
                "hypertrophic scarring / keloid",
                "granulomatous reaction",
                "milia",
                "contact dermatitis",
                "lymphadenopathy",
                "other",
            ]
        );
        assert_eq!(
            labels(Severity::ALL, Severity::label),
            ["mild", "moderate", "severe"]
        );
        assert_eq!(
            labels(Format::ALL, Format::label),
            [
                "CSV (spreadsheet)",
                "JSON (backup, re-import)",
                "Markdown report",
                "HTML report",
                "iCalendar (rebooking)",
                "XLSX (Excel, LibreOffice)",
            ]
        );
    }
}
