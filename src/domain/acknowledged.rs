//! A warning as a saved session records it: seen when the session was saved.
//!
//! Stored (in the database's JSON column and in JSON exports) as the
//! warning's code and parameters plus the text shown, e.g.
//! `{"code": "no_consent", "text": "no signed consent on file"}`. The text is
//! for people and other programs; reading back goes by the code, and screens
//! render the text from the code. Sessions saved before codes existed hold the
//! sentence alone (a JSON string): it reads back as [`Acknowledged::Legacy`]
//! and is shown as written.

use super::warning::Warning;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acknowledged {
    /// A warning by its code and parameters.
    Coded(Warning),
    /// The sentence a session saved before codes existed recorded.
    Legacy(String),
}

impl Acknowledged {
    /// Whether this records `warning`: the same code and parameters; an old
    /// sentence only by its wording, the one thing it has.
    pub fn is(&self, warning: &Warning) -> bool {
        match self {
            Self::Coded(w) => w == warning,
            Self::Legacy(text) => *text == warning.to_string(),
        }
    }
}

impl Acknowledged {
    /// The text with its weight in front, `STOP: …` or `caution: …`, as
    /// the CSV and the client screen show it; an old sentence as written.
    pub fn weighted(&self) -> String {
        match self.weight() {
            Some(w) => format!("{}: {self}", w.label()),
            None => self.to_string(),
        }
    }

    /// The warning's weight; none for an old sentence, which did not say.
    pub fn weight(&self) -> Option<super::warning::Weight> {
        match self {
            Self::Coded(w) => Some(w.weight()),
            Self::Legacy(_) => None,
        }
    }
}

impl From<Warning> for Acknowledged {
    fn from(w: Warning) -> Self {
        Self::Coded(w)
    }
}

impl fmt::Display for Acknowledged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Coded(w) => w.fmt(f),
            Self::Legacy(text) => f.write_str(text),
        }
    }
}

/// The code and parameters, with the text beside them.
#[derive(Serialize)]
struct WithText<'a> {
    #[serde(flatten)]
    warning: &'a Warning,
    /// `stop` or `caution` (not read back: it follows from the code).
    weight: super::warning::Weight,
    text: String,
}

impl Serialize for Acknowledged {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Coded(warning) => WithText {
                warning,
                weight: warning.weight(),
                text: warning.to_string(),
            }
            .serialize(s),
            Self::Legacy(text) => s.serialize_str(text),
        }
    }
}

/// What may be stored: the coded form (its `text` is not read back) or an
/// old sentence.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Coded(Warning),
    Legacy(String),
}

impl<'de> Deserialize<'de> for Acknowledged {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Stored::deserialize(d)? {
            Stored::Coded(w) => Self::Coded(w),
            Stored::Legacy(text) => Self::Legacy(text),
        })
    }
}

impl JsonSchema for Acknowledged {
    fn schema_name() -> Cow<'static, str> {
        "AcknowledgedWarning".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let warning = generator.subschema_for::<Warning>();
        json_schema!({
            "description": "A warning seen when the session was saved: its code and parameters, with `text`, the warning as the practitioner saw it (not read back); or, for sessions saved by older versions, the text alone.",
            "anyOf": [warning, { "type": "string" }]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::warning::Gap;
    use crate::domain::{
        AllergySource, Depth, MedicationClass, ScreeningKind, Zone, builtin_depth_hint,
    };
    use chrono::NaiveDate;
    use serde_json::json;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn stored(a: &Acknowledged) -> serde_json::Value {
        serde_json::to_value(a).unwrap()
    }

    fn read(v: serde_json::Value) -> Acknowledged {
        serde_json::from_value(v).unwrap()
    }

    /// One of each variant: the codes are in saved sessions and exports.
    fn one_of_each() -> Vec<Warning> {
        let depth = Depth::parse("depth", "1.5").unwrap();
        vec![
            Warning::TooSoon {
                previous: d(2026, 1, 1),
                opens: d(2026, 1, 29),
                days_early: 3,
            },
            Warning::Between {
                previous: Some(Gap {
                    date: d(2026, 1, 1),
                    days: 10,
                }),
                next: Gap {
                    date: d(2026, 3, 1),
                    days: 49,
                },
                min_days: 28,
                max_days: 42,
            },
            Warning::BeyondPlan { planned: 3 },
            Warning::BeforeSeriesStart {
                started_on: d(2026, 2, 1),
                date: d(2026, 1, 20),
            },
            Warning::LongAgo {
                date: d(2001, 1, 1),
            },
            Warning::OnlyDate,
            Warning::Isotretinoin {
                last_dose: None,
                clear_from: None,
            },
            Warning::Screening {
                kind: ScreeningKind::ColdSores,
            },
            Warning::DepthOutsideHint {
                zone: Zone::Jawline,
                depth,
                hint: builtin_depth_hint(Zone::Jawline, None),
            },
            Warning::NoConsent,
            Warning::Allergy {
                allergy: "lidocaine".into(),
                source: AllergySource::Numbing,
                product: "EMLA".into(),
                ingredient: "lidocaine".into(),
            },
            Warning::Medication {
                class: MedicationClass::Retinoid,
                name: "adapalene".into(),
                pause_days: Some(7),
                window_months: None,
            },
            Warning::Minor {
                age: 16,
                guardian_consent_on: None,
            },
            Warning::AdverseOngoing {
                kind: crate::domain::AdverseKind::Milia,
                note: String::new(),
                session_on: d(2026, 1, 10),
                onset: d(2026, 1, 14),
                severity: Some(crate::domain::Severity::Mild),
            },
        ]
    }

    #[test]
    fn codes_are_pinned_and_every_warning_reads_back() {
        let codes: Vec<String> = one_of_each()
            .into_iter()
            .map(|w| {
                let a = Acknowledged::from(w.clone());
                let v = stored(&a);
                assert_eq!(v["text"], json!(w.to_string()), "{v}");
                assert_eq!(read(v.clone()), a, "{v} reads back");
                v["code"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(
            codes,
            [
                "too_soon",
                "between",
                "beyond_plan",
                "before_series_start",
                "long_ago",
                "only_date",
                "isotretinoin",
                "screening",
                "depth_outside_hint",
                "no_consent",
                "allergy",
                "medication",
                "minor",
                "adverse_ongoing",
            ]
        );
    }

    #[test]
    fn parameters_are_stored_by_name() {
        let v = stored(&Acknowledged::from(one_of_each().swap_remove(1)));
        assert_eq!(
            v,
            json!({
                "code": "between",
                "previous": {"date": "2026-01-01", "days": 10},
                "next": {"date": "2026-03-01", "days": 49},
                "min_days": 28,
                "max_days": 42,
                "weight": "caution",
                "text": "between sessions: 10 days after 2026-01-01, 49 days before 2026-03-01 (planned 28–42 days apart)",
            })
        );
        let depth = stored(&Acknowledged::from(one_of_each().swap_remove(8)));
        assert_eq!(depth["zone"], "jawline");
        assert_eq!(depth["depth"], 1.5);
        assert_eq!(depth["hint"], json!({"min": 0.5, "max": 1.0}));
        let allergy = stored(&Acknowledged::from(one_of_each().swap_remove(10)));
        assert_eq!(
            allergy,
            json!({
                "code": "allergy",
                "allergy": "lidocaine",
                "source": "numbing",
                "product": "EMLA",
                "ingredient": "lidocaine",
                "weight": "stop",
                "text": "allergy on file: lidocaine — the numbing product 'EMLA' contains it: do not use it; choose a product without it or do not needle today",
            })
        );
        let medication = stored(&Acknowledged::from(one_of_each().swap_remove(11)));
        assert_eq!(medication["class"], "retinoid");
        assert_eq!(medication["pause_days"], 7);
        assert!(medication.get("window_months").is_none(), "{medication}");
        let minor = stored(&Acknowledged::from(one_of_each().swap_remove(12)));
        assert_eq!(minor["age"], 16);
    }

    #[test]
    fn an_old_sentence_reads_back_and_is_shown_as_written() {
        let old = "too soon: last session 2026-01-01, window opens 2026-01-29 (3 days early)";
        let a = read(json!(old));
        assert_eq!(a, Acknowledged::Legacy(old.into()));
        assert_eq!(a.to_string(), old);
        assert_eq!(stored(&a), json!(old), "kept as it was");
        // It stands for the same warning seen again when the session is edited.
        assert!(a.is(&one_of_each()[0]));
        assert!(!a.is(&Warning::NoConsent));
        let mixed: Vec<Acknowledged> =
            serde_json::from_str(r#"["screening: cold sores", {"code": "no_consent"}]"#).unwrap();
        assert_eq!(
            mixed,
            [
                Acknowledged::Legacy("screening: cold sores".into()),
                Acknowledged::Coded(Warning::NoConsent)
            ]
        );
    }

    #[test]
    fn a_coded_warning_is_the_same_by_code_and_parameters_not_by_text() {
        let a = Acknowledged::from(Warning::BeyondPlan { planned: 3 });
        assert!(a.is(&Warning::BeyondPlan { planned: 3 }));
        assert!(!a.is(&Warning::BeyondPlan { planned: 4 }));
        // The stored text is not read back: a reworded sentence changes nothing.
        let reworded = read(json!({"code": "beyond_plan", "planned": 3, "text": "old words"}));
        assert_eq!(reworded, a);
        assert_eq!(
            reworded.to_string(),
            "series already has its 3 planned sessions"
        );
    }
}
