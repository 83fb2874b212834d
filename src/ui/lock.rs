//! The lock screen: after the idle minutes on an encrypted database the
//! interface shows this instead of any record until the passphrase is
//! typed again; and before the interface opens an encrypted database, the
//! same screen asks for its passphrase. It draws nothing from the store.

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
    /// Set when the screen unlocks a database about to be opened (its
    /// name); unset for the idle lock.
    pub opening: Option<String>,
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
    let (heading, hint, title) = match &lock.opening {
        Some(name) => (
            format!("{name} is encrypted."),
            "Type its passphrase and press Enter to open it (Ctrl-C quits).",
            " Passphrase ",
        ),
        None => (
            "needlelog is locked (idle).".to_string(),
            "Type the passphrase and press Enter to unlock.",
            " Locked ",
        ),
    };
    let mut lines = vec![
        Line::from(heading).style(Style::new().add_modifier(Modifier::BOLD)),
        Line::from(hint),
        Line::from(format!("Passphrase: {dots}")),
    ];
    if let Some(m) = &lock.message {
        lines.push(Line::from(m.as_str()));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(Block::new().borders(Borders::ALL).title(title)),
        middle,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn drawn(lock: &Lock) -> String {
        let mut t = Terminal::new(TestBackend::new(80, 12)).unwrap();
        t.draw(|f| render(lock, f)).unwrap();
        let buf = t.backend().buffer();
        let mut text = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                text.push_str(buf[(x, y)].symbol());
            }
            text.push('\n');
        }
        text
    }

    #[test]
    fn the_idle_lock_and_the_unlock_screen_say_which_they_are() {
        let idle = drawn(&Lock {
            typed: 3,
            ..Lock::default()
        });
        assert!(idle.contains("locked (idle)"), "{idle}");
        assert!(idle.contains("Passphrase: •••\u{20}"), "{idle}");
        let opening = drawn(&Lock {
            typed: 5,
            message: Some("wrong passphrase; 2 tries left".into()),
            opening: Some("/home/x/needlelog.db".into()),
        });
        assert!(
            opening.contains("/home/x/needlelog.db is encrypted."),
            "{opening}"
        );
        assert!(opening.contains("Passphrase: •••••\u{20}"), "{opening}");
        assert!(opening.contains("2 tries left"), "{opening}");
        assert!(!opening.contains("locked (idle)"), "{opening}");
    }
}
