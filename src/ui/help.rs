//! The `?` overlay, built from the keymap table.

use super::centered;
use super::theme::Theme;
use crate::app::keymap::{BINDINGS, HELP_ORDER, keys_label};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for ctx in HELP_ORDER {
        if !out.is_empty() {
            out.push(Line::from(""));
        }
        out.push(Line::from(Span::styled(ctx.title(), theme.heading())));
        for b in BINDINGS.iter().filter(|b| b.ctx == ctx) {
            out.push(Line::from(vec![
                Span::styled(format!("  {:<14}", keys_label(b)), theme.key()),
                Span::raw(b.help),
            ]));
        }
    }
    out
}

/// Draws the overlay scrolled down by `scroll` lines (j/k move it); two
/// columns when the screen is wide enough.
pub fn render(frame: &mut Frame, body: Rect, scroll: u16, theme: &Theme) {
    let all = lines(theme);
    let two = body.width >= 150;
    let area = centered(body, if two { 150 } else { 90 }, body.height);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Keys — j/k scroll · ? or Esc closes ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if two {
        let half = all.len().div_ceil(2);
        let mut right = all;
        let left: Vec<Line> = right.drain(..half).collect();
        let w = inner.width / 2;
        let [a, b] = [
            Rect::new(inner.x, inner.y, w, inner.height),
            Rect::new(inner.x + w, inner.y, inner.width - w, inner.height),
        ];
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), a);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), b);
    } else {
        frame.render_widget(
            Paragraph::new(all)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            inner,
        );
    }
}
