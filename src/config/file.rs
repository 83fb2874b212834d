//! Where the settings file is, reading it, and its errors as
//! `config.toml:LINE:COL: what`.

use super::Settings;
use std::path::{Path, PathBuf};

/// Where the settings came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Read from this file.
    File(PathBuf),
    /// No file at the usual place (shown as the place one would go).
    BuiltIn(Option<PathBuf>),
}

impl Source {
    /// For the help overlay and `config path`.
    pub fn describe(&self) -> String {
        match self {
            Self::File(p) => p.display().to_string(),
            Self::BuiltIn(_) => "built-in defaults".into(),
        }
    }
}

/// Settings as read, with the file's own table (to tell a value set in the
/// file from a built-in one).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub settings: Settings,
    pub source: Option<Source>,
    pub table: Option<toml::Table>,
}

impl Loaded {
    pub fn source_text(&self) -> String {
        self.source
            .as_ref()
            .map_or_else(|| "built-in defaults".into(), Source::describe)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A bad value or an unknown key, at a place in the file.
    #[error("{path}:{line}:{col}: {what}")]
    At {
        path: String,
        line: usize,
        col: usize,
        what: String,
    },
    #[error("{0}")]
    Other(String),
}

/// The usual place: the platform config folder
/// (`~/.config/needlelog/config.toml` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "needlelog").map(|d| d.config_dir().join("config.toml"))
}

/// The file to read: `--config` / `NEEDLELOG_CONFIG` (clap merges the two,
/// the flag first), else the usual place. `true` when it was named.
pub fn locate(named: Option<&Path>) -> Result<(PathBuf, bool), ConfigError> {
    match named {
        Some(p) if p.as_os_str().is_empty() => Err(ConfigError::Other(
            "--config / NEEDLELOG_CONFIG is empty".into(),
        )),
        Some(p) => Ok((p.to_path_buf(), true)),
        None => default_path().map(|p| (p, false)).ok_or_else(|| {
            ConfigError::Other(
                "cannot find a home folder for the settings; pass --config PATH".into(),
            )
        }),
    }
}

/// Reads the settings. A file that was named must exist; the usual one
/// may be missing (built-in defaults).
pub fn load(named: Option<&Path>) -> Result<Loaded, ConfigError> {
    let (path, was_named) = locate(named)?;
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let (settings, table) = parse(&text, &path.display().to_string())?;
            Ok(Loaded {
                settings,
                source: Some(Source::File(path)),
                table: Some(table),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !was_named => Ok(Loaded {
            settings: Settings::default(),
            source: Some(Source::BuiltIn(Some(path))),
            table: None,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ConfigError::Other(format!(
            "{}: no settings file there (`needlelog config init` writes one)",
            path.display()
        ))),
        Err(e) => Err(ConfigError::Other(format!(
            "{}: cannot read the settings: {e}",
            path.display()
        ))),
    }
}

/// Parses settings text; `name` is what errors call the file.
pub fn parse(text: &str, name: &str) -> Result<(Settings, toml::Table), ConfigError> {
    let at = |e: toml::de::Error| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        ConfigError::At {
            path: name.to_string(),
            line,
            col,
            what: e.message().trim().replace('\n', " "),
        }
    };
    let table: toml::Table = toml::from_str(text).map_err(at)?;
    let settings: Settings = toml::from_str(text).map_err(at)?;
    // [keys] and [theme] are read by the key table and the palette, which
    // name the entry a problem is about; the file gives its line.
    let place = |section: &str, entry: &str, what: String| {
        let (line, col) = entry_at(text, section, entry);
        ConfigError::At {
            path: name.to_string(),
            line,
            col,
            what: format!("[{section}] {what}"),
        }
    };
    if let Err(errors) = crate::app::keymap::Keymap::with_overrides(&settings.keys)
        && let Some(e) = errors.first()
    {
        return Err(place("keys", e.action(), e.to_string()));
    }
    let theme = &settings.theme;
    if let Err(errors) =
        crate::app::palette::Palette::from_settings(theme.palette.as_deref(), &theme.colors)
        && let Some(e) = errors.first()
    {
        let section = if e.setting() == "palette" {
            "theme"
        } else {
            "theme.colors"
        };
        return Err(place(section, e.setting(), e.to_string()));
    }
    Ok((settings, table))
}

/// Line and column of `entry = …` inside the `[section]` table of `text`
/// (1, 1 when it cannot be found).
fn entry_at(text: &str, section: &str, entry: &str) -> (usize, usize) {
    let header = format!("[{section}]");
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.trim_end().starts_with(&header);
            continue;
        }
        let key = trimmed
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches('"');
        if inside && key == entry {
            return (i + 1, line.len() - trimmed.len() + 1);
        }
    }
    (1, 1)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Concern, OutcomeScale, Zone};

    fn err(text: &str) -> String {
        parse(text, "config.toml").unwrap_err().to_string()
    }

    #[test]
    fn nothing_written_is_the_built_in_settings() {
        let (s, _) = parse("", "config.toml").unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(s.rules(), crate::domain::Rules::default());
    }

    #[test]
    fn values_read_from_each_section() {
        let text = r#"
[clinic]
name = "Skin Studio"
[defaults]
device = "Dr. Pen A6"
[defaults.series.acne_scars]
planned_sessions = 5
outcome_scale = "severity"
[rules]
isotretinoin_months = 3
[rules.depth]
neck = [0.3, 0.6]
[keys]
quit = "Q"
[theme]
palette = "light"
"#;
        let (s, table) = parse(text, "config.toml").unwrap();
        assert_eq!(s.clinic.name, "Skin Studio");
        assert_eq!(s.defaults.device, "Dr. Pen A6");
        let plan = s.defaults.series_plan(Concern::AcneScars);
        assert_eq!((plan.planned_sessions, plan.interval_min_days), (5, 28));
        assert_eq!(plan.outcome_scale, OutcomeScale::Severity);
        assert_eq!(s.rules().isotretinoin_months, 3);
        assert_eq!(
            s.rules().depth_hint(Zone::Neck, None).to_string(),
            "0.3–0.6 mm"
        );
        assert_eq!(s.keys["quit"], "Q");
        assert_eq!(s.theme.palette.as_deref(), Some("light"));
        assert!(table["rules"].get("isotretinoin_months").is_some());
    }

    #[test]
    fn every_mistake_names_its_line_and_column() {
        assert_eq!(
            err("[clinic]\nname = \"A\"\nphone = \"1\"\n"),
            "config.toml:3:1: unknown field `phone`, expected one of `name`, `practitioner`, `contact`"
        );
        assert!(
            err("[rules]\n\nisotretinoin_months = 99\n")
                .starts_with("config.toml:3:23: 99 is out of range: months are 0 to 36")
        );
        assert!(err("[sections]\n").starts_with("config.toml:1:2: unknown field `sections`"));
        assert!(
            err("[rules.depth]\nneck = [0.6, 0.3]\n")
                .starts_with("config.toml:2:8: depth range [0.6, 0.3]"),
            "{}",
            err("[rules.depth]\nneck = [0.6, 0.3]\n")
        );
        assert!(
            err("[rules.depth]\nknee = [0.6, 0.8]\n")
                .starts_with("config.toml:2:1: unknown variant `knee`")
        );
        assert!(
            err("[rules.depth]\nneck = [0.05, 0.8]\n")
                .starts_with("config.toml:2:8: depth 0.05 mm")
        );
        assert!(
            err("[defaults.series.acne_scars]\nplanned_sessions = 0\n")
                .starts_with("config.toml:2:20: 0 is out of range: planned sessions are 1 to 12")
        );
        assert!(
            err("[defaults.series.acne_scars]\noutcome_scale = \"stars\"\n")
                .starts_with("config.toml:2:17: unknown variant `stars`")
        );
        assert!(err("[clinic]\nname = 3\n").starts_with("config.toml:2:8: invalid type"));
        // Not TOML at all.
        assert!(err("[clinic\n").starts_with("config.toml:1:"));
    }

    #[test]
    fn the_consent_period_and_the_serum_caution_list_are_read() {
        let (s, _) = parse(
            "[rules]\nconsent_renewal_months = 24\nserum_cautions = [\"Copper peptide\", \"retinol\"]\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(s.rules().consent_renewal_months, 24);
        assert_eq!(s.rules().serum_cautions, ["Copper peptide", "retinol"]);
        let (s, _) = parse("[rules]\nserum_cautions = []\n", "c.toml").unwrap();
        assert!(
            s.rules().serum_cautions.is_empty(),
            "a practice may list none"
        );
        let (s, _) = parse("", "c.toml").unwrap();
        assert_eq!(s.rules().consent_renewal_months, 12);
        assert!(s.rules().serum_cautions.contains(&"vitamin c".to_string()));
        assert!(
            err("[rules]\nconsent_renewal_months = 0\n")
                .starts_with("config.toml:2:26: 0 is out of range: months are 1 to 120")
        );
        assert!(
            err("[rules]\n\nserum_cautions = [\"vitamin c\", \" - \"]\n").starts_with(
                "config.toml:3:18: serum caution \" - \": a word or phrase of one line"
            ),
            "{}",
            err("[rules]\n\nserum_cautions = [\"vitamin c\", \" - \"]\n")
        );
        assert!(
            err("[rules]\nserum_cautions = \"vitamin c\"\n")
                .starts_with("config.toml:2:18: invalid type")
        );
    }

    #[test]
    fn a_clinic_of_blanks_is_no_clinic() {
        let (s, _) = parse("[clinic]\nname = \"  \"\ncontact = \" 020 \"\n", "c.toml").unwrap();
        assert_eq!(s.clinic.line(), "020");
        let (s, _) = parse("[clinic]\nname = \"  \"\n", "c.toml").unwrap();
        assert!(s.clinic.is_empty());
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\ncdé", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
