//! Styles from the palette's colours, or their absence: with `NO_COLOR`
//! set everything that matters stays visible through bold, reverse and
//! underline, whatever the palette says.

use crate::app::palette::{Palette, Role};
use crate::domain::DueState;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
    palette: Palette,
}

impl Theme {
    /// `color` is false when `NO_COLOR` is set: the palette is not used.
    pub fn new(palette: &Palette, color: bool) -> Self {
        Self {
            color,
            palette: *palette,
        }
    }

    /// The role's colour as text colour; nothing without colours or when
    /// the role is the terminal's default.
    pub fn fg(&self, role: Role) -> Style {
        match self.palette.get(role) {
            Color::Reset => Style::new(),
            _ if !self.color => Style::new(),
            c => Style::new().fg(c),
        }
    }

    pub fn title(&self) -> Style {
        self.badge(Role::TitleFg, Role::TitleBg)
    }

    /// The badge that says demo data is open.
    pub fn demo(&self) -> Style {
        self.badge(Role::DemoFg, Role::DemoBg)
    }

    /// Bold on a coloured background; reverse video without colour.
    fn badge(&self, fg: Role, bg: Role) -> Style {
        if self.color {
            Style::new()
                .fg(self.palette.get(fg))
                .bg(self.palette.get(bg))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn bar(&self) -> Style {
        Style::new()
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        self.fg(Role::Dim)
    }

    pub fn faint(&self) -> Style {
        if self.color {
            self.fg(Role::Faint)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Role::Key).add_modifier(Modifier::BOLD)
    }

    pub fn info(&self) -> Style {
        self.fg(Role::Info)
    }

    pub fn error(&self) -> Style {
        self.fg(Role::Error).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Role::Warning).add_modifier(Modifier::BOLD)
    }

    pub fn popup(&self) -> Style {
        Style::new()
    }

    pub fn heading(&self) -> Style {
        self.fg(Role::Heading).add_modifier(Modifier::BOLD)
    }

    /// The selected row: reverse video (with and without colour), unless
    /// the palette gives the selection a background of its own.
    pub fn selected(&self) -> Style {
        match self.palette.get(Role::SelectedBg) {
            Color::Reset => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            _ if !self.color => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            bg => self
                .fg(Role::SelectedFg)
                .bg(bg)
                .add_modifier(Modifier::BOLD),
        }
    }

    pub fn focused(&self) -> Style {
        if self.color {
            self.fg(Role::Focused).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn due(&self, d: Option<DueState>) -> Style {
        match d {
            Some(DueState::Overdue(_)) => self.fg(Role::DueOverdue).add_modifier(Modifier::BOLD),
            Some(DueState::DueNow(_)) => self.fg(Role::DueNow).add_modifier(Modifier::BOLD),
            Some(DueState::DueIn(_)) => self.fg(Role::DueLater),
            Some(DueState::MaintenanceDue(_)) => self.fg(Role::DueNow),
            Some(DueState::NotStarted) => self.fg(Role::DueNotStarted),
            Some(DueState::Complete | DueState::Closed) | None => self.faint(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::palette::PaletteName;

    #[test]
    fn no_color_wins_over_any_palette() {
        let mut loud = Palette::builtin(PaletteName::Light);
        loud.set(Role::SelectedBg, Color::Rgb(0x33, 0x44, 0x55));
        loud.set(Role::Key, Color::Red);
        for palette in [Palette::dark(), Palette::light(), loud] {
            let t = Theme::new(&palette, false);
            for style in [
                t.title(),
                t.demo(),
                t.dim(),
                t.faint(),
                t.key(),
                t.info(),
                t.error(),
                t.warning(),
                t.heading(),
                t.selected(),
                t.focused(),
                t.fg(Role::ChartPeeling),
                t.due(Some(DueState::Overdue(3))),
            ] {
                assert_eq!((style.fg, style.bg), (None, None), "{palette:?}");
            }
            assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
        }
        let t = Theme::new(&loud, true);
        assert_eq!(t.key().fg, Some(Color::Red));
        assert_eq!(t.selected().bg, Some(Color::Rgb(0x33, 0x44, 0x55)));
        assert!(!t.selected().add_modifier.contains(Modifier::REVERSED));
    }
}
