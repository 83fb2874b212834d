//! Draws the `?` overlay: the rows `app::help` lays out, styled.

use super::theme::Theme;
use crate::app::help::{Row, column_rows, geometry, scroll_max};
use crate::app::keymap::{Command, Ctx, Keymap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

fn styled(row: Row, theme: &Theme) -> Line<'static> {
    match row {
        Row::Blank => Line::from(""),
        Row::Heading(h) => Line::from(Span::styled(h, theme.heading())),
        Row::Item { key, text } if key.is_empty() => {
            let indent = " ".repeat(crate::app::help::KEY_W);
            Line::from(vec![Span::raw(indent), Span::raw(text)])
        }
        Row::Item { key, text } => Line::from(vec![
            Span::styled(
                format!("  {key:<w$}", w = crate::app::help::KEY_W - 2),
                theme.key(),
            ),
            Span::raw(text),
        ]),
    }
}

/// Draws the overlay scrolled down by `scroll` rows (j/k move it); two
/// columns when the screen is wide enough. `settings` says which settings
/// file is in use (or "built-in defaults").
pub fn render(
    frame: &mut Frame,
    body: Rect,
    scroll: u16,
    (keymap, settings): (&Keymap, &str),
    theme: &Theme,
) {
    let (area, columns) = geometry(body);
    frame.render_widget(Clear, area);
    let key = |cmd| keymap.short_key(Ctx::Global, cmd);
    let title = format!(
        " Keys — {}/{} scroll · {} or {} closes ",
        key(Command::Down),
        key(Command::Up),
        key(Command::Help),
        key(Command::Back)
    );
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title)
        .title_bottom(format!(" settings: {settings} "));
    frame.render_widget(block, area);
    // A resize may have left the scroll past the end.
    let scroll = scroll.min(scroll_max(keymap, body));
    for (rows, column) in column_rows(keymap, &columns).into_iter().zip(columns) {
        let lines: Vec<Line> = rows.into_iter().map(|r| styled(r, theme)).collect();
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), column);
    }
}
