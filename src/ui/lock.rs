//! The lock screen: after the idle minutes on an encrypted database the
//! interface shows this instead of any record until the passphrase is
//! typed again. It draws nothing from the store.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

/// What the lock screen shows: how many characters were typed (as dots),
/// and the answer to the last try, if any.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lock {
    pub typed: usize,
    pub message: Option<String>,
}

pub fn render(lock: &Lock, frame: &mut Frame) {
    let area = frame.area();
    let [_, middle, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(7),
        Constraint::Fill(1),
    ])
    .areas(area);
    let dots = "•".repeat(lock.typed.min(64));
    let mut lines = vec![
        Line::from("needlelog is locked (idle).").style(Style::new().add_modifier(Modifier::BOLD)),
        Line::from("Type the passphrase and press Enter to unlock."),
        Line::from(format!("Passphrase: {dots}")),
    ];
    if let Some(m) = &lock.message {
        lines.push(Line::from(m.as_str()));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(Block::new().borders(Borders::ALL).title(" Locked ")),
        middle,
    );
}
