//! The colours of the interface as data: a colour per role, from a
//! built-in palette (dark, today's look; or light, for terminals with a
//! white background) with the settings file's `[theme]` overrides on top.
//! `ui::theme` turns them into styles; `NO_COLOR` still wins there.

use ratatui::style::Color;
use std::collections::BTreeMap;
use strum::{EnumCount, IntoEnumIterator};

/// What a colour is for. The settings file names roles in snake_case
/// (`due_overdue = "red"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[derive(
    strum::EnumIter,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumCount
)]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    TitleFg,
    TitleBg,
    DemoFg,
    DemoBg,
    Dim,
    Faint,
    Key,
    Heading,
    Info,
    Error,
    Warning,
    Focused,
    SelectedFg,
    SelectedBg,
    DueOverdue,
    DueNow,
    DueLater,
    DueNotStarted,
    ChartScore,
    ChartClient,
    ChartBetter,
    ChartWorse,
    ChartRedness,
    ChartSwelling,
    ChartPeeling,
}

impl Role {
    /// The name the settings file uses.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// What the role colours, for README and `config show`.
    pub fn about(self) -> &'static str {
        match self {
            Self::TitleFg => "the program's name in the title bar: text",
            Self::TitleBg => "the program's name in the title bar: background",
            Self::DemoFg => "the DEMO badge: text",
            Self::DemoBg => "the DEMO badge: background",
            Self::Dim => "secondary text: labels, the status line's quiet state, hint labels",
            Self::Faint => "what matters least: finished series, missing values",
            Self::Key => "keys in the hint bar and the help overlay",
            Self::Heading => "headings of panes and of the help overlay",
            Self::Info => "good news on the status line",
            Self::Error => "errors, the READ-ONLY badge, invalid fields",
            Self::Warning => "warnings: screening flags, pending follow-ups",
            Self::Focused => "the form field the cursor is in",
            Self::SelectedFg => "the selected row: text (`default`: reverse video)",
            Self::SelectedBg => "the selected row: background (`default`: reverse video)",
            Self::DueOverdue => "next due: overdue",
            Self::DueNow => "next due: due now",
            Self::DueLater => "next due: due later",
            Self::DueNotStarted => "next due: series not started",
            Self::ChartScore => "chart: outcome score line and points, clinician's GAIS",
            Self::ChartClient => "chart: the client's GAIS",
            Self::ChartBetter => "chart: change for the better",
            Self::ChartWorse => "chart: change for the worse",
            Self::ChartRedness => "chart: redness days",
            Self::ChartSwelling => "chart: swelling days",
            Self::ChartPeeling => "chart: peeling days",
        }
    }
}

/// The built-in palettes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum PaletteName {
    /// For dark terminal backgrounds: the terminal's own 16 colours.
    #[default]
    Dark,
    /// For white or light backgrounds: darker colours from the 256-colour
    /// set, so they look the same on every terminal.
    Light,
}

/// A colour for every role. `Color::Reset` ("default") means the
/// terminal's own colour: no colour of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    base: PaletteName,
    colors: [Color; Role::COUNT],
}

impl Default for Palette {
    fn default() -> Self {
        Self::dark()
    }
}

/// What is wrong with a `[theme]` entry; each names the setting so the
/// caller can point at its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("unknown palette `{name}` (dark or light)")]
    UnknownPalette { name: String },
    #[error("unknown colour role `{role}` (README's \"Colours\" lists the roles)")]
    UnknownRole { role: String },
    #[error(
        "`{role}`: `{value}` is not a colour (a name such as \"red\" or \"dark-gray\", \"#rrggbb\", 0–255, or \"default\")"
    )]
    BadColor { role: String, value: String },
}

impl ThemeError {
    /// The setting (palette or role) the error is about.
    pub fn setting(&self) -> &str {
        match self {
            Self::UnknownPalette { .. } => "palette",
            Self::UnknownRole { role } | Self::BadColor { role, .. } => role,
        }
    }
}

const fn ix(i: u8) -> Color {
    Color::Indexed(i)
}

impl Palette {
    /// Today's look, for dark terminals.
    pub fn dark() -> Self {
        use Color::*;
        Self::from_list(
            PaletteName::Dark,
            [
                Black, Cyan, Black, Yellow, Gray, DarkGray, Cyan, Cyan, Green, Red, Yellow, Yellow,
                Reset, Reset, Red, Green, Reset, Cyan, Cyan, Green, Green, Yellow, Red, Yellow,
                Magenta,
            ],
        )
    }

    /// For white backgrounds: every text colour at least 4.5:1 against
    /// white (WCAG AA), faint text about as faint as the dark palette's.
    pub fn light() -> Self {
        let (blue, green, red, brown) = (ix(25), ix(28), ix(160), ix(130));
        Self::from_list(
            PaletteName::Light,
            [
                ix(231),
                blue,
                ix(16),
                ix(220),
                ix(241),
                ix(245),
                blue,
                blue,
                green,
                red,
                brown,
                brown,
                Color::Reset,
                Color::Reset,
                red,
                green,
                Color::Reset,
                blue,
                blue,
                green,
                green,
                brown,
                red,
                ix(136),
                ix(90),
            ],
        )
    }

    /// The list is in the order of [`Role`].
    fn from_list(base: PaletteName, colors: [Color; Role::COUNT]) -> Self {
        Self { base, colors }
    }

    pub fn builtin(name: PaletteName) -> Self {
        match name {
            PaletteName::Dark => Self::dark(),
            PaletteName::Light => Self::light(),
        }
    }

    /// The built-in palette it started from: the background it is made for.
    pub fn base(&self) -> PaletteName {
        self.base
    }

    pub fn get(&self, role: Role) -> Color {
        self.colors[role as usize]
    }

    pub fn set(&mut self, role: Role, color: Color) {
        self.colors[role as usize] = color;
    }

    /// The settings file's `[theme]`: a built-in palette by name (dark
    /// when `None`) and colours by role. Every problem is reported.
    pub fn from_settings(
        palette: Option<&str>,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Self, Vec<ThemeError>> {
        let base = match palette.map(|p| p.trim().to_ascii_lowercase().parse::<PaletteName>()) {
            None => Ok(PaletteName::Dark),
            Some(Ok(name)) => Ok(name),
            Some(Err(_)) => Err(ThemeError::UnknownPalette {
                name: palette.unwrap_or_default().to_string(),
            }),
        };
        let (mut out, mut errors) = match base {
            Ok(name) => (Self::builtin(name), Vec::new()),
            Err(e) => (Self::dark(), vec![e]),
        };
        match out.with_overrides(overrides) {
            Ok(p) => out = p,
            Err(e) => errors.extend(e),
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// This palette with colours replaced by role name.
    pub fn with_overrides(
        mut self,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Self, Vec<ThemeError>> {
        let mut errors = Vec::new();
        for (name, value) in overrides {
            let Ok(role) = name.parse::<Role>() else {
                errors.push(ThemeError::UnknownRole { role: name.clone() });
                continue;
            };
            match parse_color(value) {
                Some(c) => self.set(role, c),
                None => errors.push(ThemeError::BadColor {
                    role: name.clone(),
                    value: value.clone(),
                }),
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// Every role with its colour as the settings file writes it.
    pub fn roles(&self) -> Vec<(&'static str, String)> {
        Role::iter()
            .map(|r| (r.name(), color_name(self.get(r))))
            .collect()
    }
}

/// Reads a colour: a name (`red`, `dark-gray`, `light-blue`, `grey`), `#rrggbb`,
/// a 256-colour index (`25`), or `default` (the terminal's own colour).
pub fn parse_color(text: &str) -> Option<Color> {
    let t = text.trim();
    match t.to_ascii_lowercase().as_str() {
        "" => None,
        "default" | "none" | "terminal" => Some(Color::Reset),
        _ => t.parse().ok(),
    }
}

/// The colour as the settings file writes it; [`parse_color`] reads it back.
pub fn color_name(c: Color) -> String {
    use Color::*;
    let named = match c {
        Reset => "default",
        Black => "black",
        Red => "red",
        Green => "green",
        Yellow => "yellow",
        Blue => "blue",
        Magenta => "magenta",
        Cyan => "cyan",
        Gray => "gray",
        DarkGray => "dark-gray",
        LightRed => "light-red",
        LightGreen => "light-green",
        LightYellow => "light-yellow",
        LightBlue => "light-blue",
        LightMagenta => "light-magenta",
        LightCyan => "light-cyan",
        White => "white",
        Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        Indexed(i) => return i.to_string(),
    };
    named.to_string()
}

/// The roles as Markdown for README: name, dark, light, what it colours.
pub fn roles_markdown() -> String {
    let (dark, light) = (Palette::dark(), Palette::light());
    let mut s = String::from("| Role | Dark | Light | Colours |\n|---|---|---|---|\n");
    for r in Role::iter() {
        s.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} |\n",
            r.name(),
            color_name(dark.get(r)),
            color_name(light.get(r)),
            r.about()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_light_palette_differs_and_overrides_apply() {
        assert_eq!(Palette::default(), Palette::dark());
        assert_ne!(Palette::light(), Palette::dark());
        let p = Palette::from_settings(
            Some("light"),
            &map(&[("due_overdue", "red"), ("selected_bg", "#334455")]),
        )
        .unwrap();
        assert_eq!(p.base(), PaletteName::Light);
        assert_eq!(p.get(Role::DueOverdue), Color::Red);
        assert_eq!(p.get(Role::SelectedBg), Color::Rgb(0x33, 0x44, 0x55));
        assert_eq!(p.get(Role::Key), Palette::light().get(Role::Key));
        assert_eq!(
            Palette::from_settings(None, &BTreeMap::new()),
            Ok(Palette::dark())
        );
        assert_eq!(
            Palette::from_settings(Some("Dark"), &map(&[("faint", "244")]))
                .map(|p| p.get(Role::Faint)),
            Ok(Color::Indexed(244))
        );
    }

    #[test]
    fn bad_names_and_values_are_named() {
        let errors = Palette::from_settings(
            Some("solarized"),
            &map(&[("due_soon", "red"), ("error", "#12345"), ("key", "")]),
        )
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                ThemeError::UnknownPalette {
                    name: "solarized".into()
                },
                ThemeError::UnknownRole {
                    role: "due_soon".into()
                },
                ThemeError::BadColor {
                    role: "error".into(),
                    value: "#12345".into()
                },
                ThemeError::BadColor {
                    role: "key".into(),
                    value: String::new()
                },
            ]
        );
        let settings: Vec<&str> = errors.iter().map(ThemeError::setting).collect();
        assert_eq!(settings, ["palette", "due_soon", "error", "key"]);
        assert!(errors[2].to_string().contains("#12345"), "{}", errors[2]);
    }

    #[test]
    fn colour_names_read_back() {
        for p in [Palette::dark(), Palette::light()] {
            for (role, name) in p.roles() {
                let role: Role = role.parse().unwrap();
                assert_eq!(parse_color(&name), Some(p.get(role)), "{name}");
            }
        }
        assert_eq!(parse_color("grey"), Some(Color::Gray));
        assert_eq!(parse_color("Light-Blue"), Some(Color::LightBlue));
        assert_eq!(parse_color("default"), Some(Color::Reset));
        assert_eq!(parse_color("#ABCDEF"), Some(Color::Rgb(0xab, 0xcd, 0xef)));
        assert_eq!(parse_color("256"), None);
        assert_eq!(parse_color("reddish"), None);
    }

    #[test]
    fn readme_lists_the_roles() {
        crate::testing::assert_readme_lists(
            &roles_markdown(),
            "colour role list",
            "the palettes",
            "palette::roles_markdown()",
        );
    }
}
