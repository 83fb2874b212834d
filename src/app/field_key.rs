//! The fields of every form, by name. Kept drafts store each field's value
//! under its name (`"when"`, `"serum_lot"`, …), so the names never change.

use serde::{Deserialize, Serialize};
use strum::{AsRefStr, EnumString, IntoStaticStr, VariantArray};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[derive(Serialize, Deserialize)]
#[derive(VariantArray, AsRefStr, IntoStaticStr, EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FieldKey {
    // Client
    Name,
    Dob,
    Phone,
    Email,
    Fitzpatrick,
    Glogau,
    Concerns,
    Screening,
    Isotretinoin,
    Allergies,
    Medications,
    Consent,
    // Series
    Concern,
    Zones,
    Planned,
    IntervalMin,
    IntervalMax,
    Scale,
    Baseline,
    Started,
    // Session
    When,
    Device,
    Cartridge,
    Depth,
    Passes,
    Serum,
    Numbing,
    NumbingMinutes,
    Duration,
    Endpoint,
    CartridgeLot,
    SerumLot,
    Erythema,
    Edema,
    Pain,
    Score,
    GaisClinician,
    GaisClient,
    Satisfaction,
    Notes,
    // Follow-up
    Recorded,
    Redness,
    Swelling,
    Peeling,
    Adverse,
    Other,
    // The course of each ticked adverse event (one of each per kind).
    Severity,
    Onset,
    Resolved,
    Action,
    // Export
    Format,
    Scope,
    Since,
    Until,
    File,
    Excel,
    // Closing a series
    CloseReason,
    CloseNote,
    ClosedOn,
    // Client, for a minor
    GuardianConsent,
    Guardian,
    // Client: photo consent
    PhotoConsent,
    PhotoBeyond,
    // Session: before needling
    PreCheck,
    CurrentStates,
    Antiviral,
    AntiviralFrom,
    // Session: zones needled at another depth
    ZoneDepths,
    // Photos for a session
    PhotoView,
}

impl FieldKey {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kept drafts name their fields so: a renamed or added key must show up
    /// here, on purpose.
    #[test]
    fn every_name_is_pinned() {
        let names: Vec<&str> = FieldKey::VARIANTS.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "name",
                "dob",
                "phone",
                "email",
                "fitzpatrick",
                "glogau",
                "concerns",
                "screening",
                "isotretinoin",
                "allergies",
                "medications",
                "consent",
                "concern",
                "zones",
                "planned",
                "interval_min",
                "interval_max",
                "scale",
                "baseline",
                "started",
                "when",
                "device",
                "cartridge",
                "depth",
                "passes",
                "serum",
                "numbing",
                "numbing_minutes",
                "duration",
                "endpoint",
                "cartridge_lot",
                "serum_lot",
                "erythema",
                "edema",
                "pain",
                "score",
                "gais_clinician",
                "gais_client",
                "satisfaction",
                "notes",
                "recorded",
                "redness",
                "swelling",
                "peeling",
                "adverse",
                "other",
                "severity",
                "onset",
                "resolved",
                "action",
                "format",
                "scope",
                "since",
                "until",
                "file",
                "excel",
                "close_reason",
                "close_note",
                "closed_on",
                "guardian_consent",
                "guardian",
                "photo_consent",
                "photo_beyond",
                "pre_check",
                "current_states",
                "antiviral",
                "antiviral_from",
                "zone_depths",
                "photo_view",
            ]
        );
        for &k in FieldKey::VARIANTS {
            assert_eq!(k.as_str().parse::<FieldKey>(), Ok(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
