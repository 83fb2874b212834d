//! A notes field's editor: multi-line text with a cap, taking only the keys
//! the program's other fields take.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A notes field's editor (ratatui-textarea) and the most it takes.
#[derive(Debug, Clone)]
pub struct NotesArea {
    pub area: ratatui_textarea::TextArea<'static>,
    pub cap: usize,
}

impl PartialEq for NotesArea {
    fn eq(&self, other: &Self) -> bool {
        self.cap == other.cap && self.area.lines() == other.area.lines()
    }
}

impl NotesArea {
    pub(super) fn new(value: &str, cap: usize) -> Self {
        let text: String = value.chars().take(cap).collect();
        let mut area =
            ratatui_textarea::TextArea::new(text.split('\n').map(str::to_string).collect());
        area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        area.set_cursor_line_style(ratatui::style::Style::new());
        area.set_cursor_style(
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::REVERSED),
        );
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Self { area, cap }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// The keys a notes field edits with: typing, line breaks, deleting and
    /// moving (also by word, with Ctrl or Alt). Not the editor's other
    /// shortcuts (Ctrl-K/W/J/X/Y/V…), which delete or paste unseen and are
    /// not what the rest of the program's fields do.
    pub(super) fn takes(ev: &KeyEvent) -> bool {
        let plain = ev.modifiers.difference(KeyModifiers::SHIFT).is_empty();
        let by_word = ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match ev.code {
            KeyCode::Char(_) | KeyCode::Enter => plain,
            KeyCode::Backspace | KeyCode::Delete => plain || by_word,
            KeyCode::Left | KeyCode::Right | KeyCode::Up | KeyCode::Down => plain || by_word,
            KeyCode::Home | KeyCode::End | KeyCode::PageUp | KeyCode::PageDown => plain,
            _ => false,
        }
    }

    pub(super) fn chars(&self) -> usize {
        self.area
            .lines()
            .iter()
            .map(|l| l.chars().count())
            .sum::<usize>()
            + self.area.lines().len().saturating_sub(1)
    }
}
