//! Settings: one TOML file with the practice's own rules, defaults, keys,
//! look and name. No file means the built-in values; the program reads the
//! file and never writes it except when asked (`needlelog config init`).

mod file;
mod text;

pub use file::{ConfigError, Loaded, Source, default_path, load, locate, parse};
pub use text::{init_text, show_text};

use crate::domain::{
    Concern, DepthHint, OutcomeScale, Rules, SeriesPlan, Zone, builtin_series_plan,
};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// Everything the settings file can hold. Each section is optional and so
/// is each key in it: what is missing keeps its built-in value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub clinic: Clinic,
    pub defaults: Defaults,
    pub rules: RulesSection,
    /// Action name → key, e.g. `quit = "Q"` (checked by the keymap).
    pub keys: BTreeMap<String, String>,
    pub theme: ThemeSettings,
}

/// Who the records come from: shown on reports and calendar events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Clinic {
    pub name: String,
    pub practitioner: String,
    /// One line: phone, e-mail or address.
    pub contact: String,
}

impl Clinic {
    /// Nothing but blanks: no clinic line anywhere.
    pub fn is_empty(&self) -> bool {
        self.line().is_empty()
    }

    /// "Name · practitioner · contact", leaving out what is not set.
    pub fn line(&self) -> String {
        [&self.name, &self.practitioner, &self.contact]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// Colours: a palette name and single colour overrides (checked by the theme).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeSettings {
    pub palette: Option<String>,
    pub colors: BTreeMap<String, String>,
}

/// What new records start with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Defaults {
    /// Device, cartridge and numbing product of a series' first session
    /// (later ones carry over from the session before).
    pub device: String,
    pub cartridge: String,
    pub numbing: String,
    /// The plan a new series starts with, per concern.
    pub series: BTreeMap<Concern, SeriesDefault>,
}

impl Defaults {
    /// The plan a new series for `concern` starts with.
    pub fn series_plan(&self, concern: Concern) -> SeriesPlan {
        let b = builtin_series_plan(concern);
        let Some(o) = self.series.get(&concern) else {
            return b;
        };
        SeriesPlan {
            planned_sessions: o.planned_sessions.unwrap_or(b.planned_sessions),
            interval_min_days: o.interval_min_days.unwrap_or(b.interval_min_days),
            interval_max_days: o.interval_max_days.unwrap_or(b.interval_max_days),
            outcome_scale: o.outcome_scale.unwrap_or(b.outcome_scale),
        }
    }
}

/// One concern's default series; what is left out is built-in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesDefault {
    #[serde(default, deserialize_with = "planned")]
    pub planned_sessions: Option<u8>,
    #[serde(default, deserialize_with = "interval")]
    pub interval_min_days: Option<u8>,
    #[serde(default, deserialize_with = "interval")]
    pub interval_max_days: Option<u8>,
    #[serde(default)]
    pub outcome_scale: Option<OutcomeScale>,
}

/// `[rules]` as written in the file; [`Rules`] is what the checks take.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesSection {
    #[serde(deserialize_with = "months")]
    pub isotretinoin_months: u32,
    #[serde(deserialize_with = "pause_days")]
    pub pause_days: u32,
    #[serde(deserialize_with = "procedure_days")]
    pub recent_procedure_days: u32,
    #[serde(deserialize_with = "erythema_days")]
    pub prolonged_erythema_days: u8,
    #[serde(deserialize_with = "months")]
    pub maintenance_months: u32,
    #[serde(deserialize_with = "lock_minutes")]
    pub idle_lock_minutes: u32,
    #[serde(deserialize_with = "renewal_months")]
    pub consent_renewal_months: u32,
    /// Words and phrases that make a serum a caution, `["vitamin c", …]`.
    #[serde(deserialize_with = "caution_words")]
    pub serum_cautions: Vec<String>,
    /// Depth hints in mm per zone, `cheeks = [0.5, 1.0]`.
    pub depth: BTreeMap<Zone, MmRange>,
    /// Depth hints for a series treating acne scars.
    pub acne_scar_depth: BTreeMap<Zone, MmRange>,
}

impl Default for RulesSection {
    fn default() -> Self {
        let r = Rules::default();
        Self {
            isotretinoin_months: r.isotretinoin_months,
            pause_days: r.pause_days,
            recent_procedure_days: r.recent_procedure_days,
            prolonged_erythema_days: r.prolonged_erythema_days,
            maintenance_months: r.maintenance_months,
            idle_lock_minutes: r.idle_lock_minutes,
            consent_renewal_months: r.consent_renewal_months,
            serum_cautions: r.serum_cautions,
            depth: BTreeMap::new(),
            acne_scar_depth: BTreeMap::new(),
        }
    }
}

impl RulesSection {
    /// The thresholds the checks take.
    pub fn rules(&self) -> Rules {
        let hints = |m: &BTreeMap<Zone, MmRange>| m.iter().map(|(z, r)| (*z, r.0)).collect();
        Rules {
            isotretinoin_months: self.isotretinoin_months,
            pause_days: self.pause_days,
            recent_procedure_days: self.recent_procedure_days,
            prolonged_erythema_days: self.prolonged_erythema_days,
            maintenance_months: self.maintenance_months,
            idle_lock_minutes: self.idle_lock_minutes,
            consent_renewal_months: self.consent_renewal_months,
            serum_cautions: self.serum_cautions.clone(),
            depth: hints(&self.depth),
            acne_scar_depth: hints(&self.acne_scar_depth),
        }
    }
}

impl Settings {
    pub fn rules(&self) -> Rules {
        self.rules.rules()
    }
}

/// A depth range in mm, `[min, max]`, within the hard bounds of a depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "[f64; 2]", into = "[f64; 2]")]
pub struct MmRange(pub DepthHint);

impl TryFrom<[f64; 2]> for MmRange {
    type Error = String;
    fn try_from([min, max]: [f64; 2]) -> Result<Self, String> {
        let depth = |v: f64| {
            crate::domain::Depth::parse("depth", &v.to_string())
                .map_err(|e| format!("depth {v} mm: {e}"))
        };
        let (min, max) = (depth(min)?, depth(max)?);
        if min > max {
            return Err(format!(
                "depth range [{min}, {max}]: the first is the smaller"
            ));
        }
        Ok(Self(DepthHint { min, max }))
    }
}

impl From<MmRange> for [f64; 2] {
    fn from(r: MmRange) -> Self {
        let mm = |d: crate::domain::Depth| f64::from(d.hundredths()) / 100.0;
        [mm(r.0.min), mm(r.0.max)]
    }
}

/// A whole number within `min..=max`; the message names the range.
fn bounded<'de, D: Deserializer<'de>>(
    d: D,
    min: i64,
    max: i64,
    what: &str,
) -> Result<i64, D::Error> {
    let v = i64::deserialize(d)?;
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "{v} is out of range: {what} are {min} to {max}"
        )))
    }
}

fn narrow<T: TryFrom<i64>, E: serde::de::Error>(v: i64) -> Result<T, E> {
    T::try_from(v).map_err(|_| E::custom("out of range"))
}

fn months<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(bounded(d, 0, 36, "months")?)
}

fn pause_days<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(bounded(d, 0, 60, "pause days")?)
}

fn procedure_days<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(bounded(d, 0, 90, "days after a procedure")?)
}

fn erythema_days<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    narrow(bounded(d, 1, 30, "days of redness")?)
}

fn lock_minutes<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(bounded(d, 0, 1440, "minutes (0 never locks)")?)
}

fn renewal_months<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    narrow(bounded(d, 1, 120, "months")?)
}

/// Longest entry of the serum caution list.
const CAUTION_MAX_CHARS: usize = 100;

/// The serum caution list: each entry a word or phrase of one line.
fn caution_words<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let entries = Vec::<String>::deserialize(d)?;
    for e in &entries {
        let t = e.trim();
        if !t.chars().any(char::is_alphanumeric)
            || t.chars().count() > CAUTION_MAX_CHARS
            || t.chars().any(char::is_control)
        {
            return Err(serde::de::Error::custom(format!(
                "serum caution {e:?}: a word or phrase of one line, at most {CAUTION_MAX_CHARS} characters"
            )));
        }
    }
    Ok(entries)
}

fn planned<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    let (lo, hi) = crate::domain::PLANNED_RANGE;
    narrow(bounded(d, lo, hi, "planned sessions")?).map(Some)
}

fn interval<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    let (lo, hi) = crate::domain::INTERVAL_RANGE;
    narrow(bounded(d, lo, hi, "interval days")?).map(Some)
}
