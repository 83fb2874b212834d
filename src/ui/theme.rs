//! Colours, or their absence: with `NO_COLOR` set everything that matters
//! stays visible through bold, reverse and underline.

use crate::domain::DueState;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn title(&self) -> Style {
        self.badge(Color::Cyan)
    }

    /// The badge that says demo data is open.
    pub fn demo(&self) -> Style {
        self.badge(Color::Yellow)
    }

    /// Bold black on `bg`; reverse video without colour.
    fn badge(&self, bg: Color) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(bg)
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
        if self.color {
            Style::new().fg(Color::Gray)
        } else {
            Style::new()
        }
    }

    pub fn faint(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn info(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn popup(&self) -> Style {
        Style::new()
    }

    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The selected row: reverse video works with and without colour.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn focused(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn due(&self, d: Option<DueState>) -> Style {
        match d {
            Some(DueState::Overdue(_)) => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Some(DueState::DueNow(_)) => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Some(DueState::DueIn(_)) => Style::new(),
            Some(DueState::NotStarted) => self.fg(Color::Cyan),
            Some(DueState::Complete | DueState::Closed) | None => self.faint(),
        }
    }

    pub fn color(&self) -> bool {
        self.color
    }
}
