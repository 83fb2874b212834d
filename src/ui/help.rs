//! The `?` overlay, built from the keymap table, then the symbols.

use super::centered;
use super::text::width;
use super::theme::Theme;
use crate::app::keymap::{BINDINGS, HELP_ORDER, keys_label};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

/// The symbols the screens draw, each with what it means; shown after the
/// keys. tests/tui_help.rs renders every screen and fails on a symbol that
/// is missing here.
pub const SYMBOLS: [(&str, &str); 14] = [
    ("⚑", "the flags column of the clients list"),
    ("⚠", "a screening item answered yes; elsewhere, a warning"),
    ("⚠2", "adverse events reported after that session"),
    ("◷", "pending: the latest session's follow-up not recorded"),
    ("◷ pending", "that session's follow-up not recorded yet (f)"),
    (
        "■■■□□□ 3/6",
        "sessions done of planned; +1 is one past the plan",
    ),
    ("Δ", "improvement on the baseline, % of the reachable range"),
    ("—", "not recorded"),
    ("▸", "the form field the cursor is in"),
    ("‹ ›", "a choice: ← → or Space change it"),
    ("✗", "why the field is not valid yet"),
    ("▏", "the filter's cursor: type to narrow the list"),
    ("█", "chart: a visit's score; the flat line is the baseline"),
    (
        "R S P",
        "chart: redness, swelling, peeling days; · not reported",
    ),
];

/// Width of the key (or symbol) column, indent included.
const KEY_W: usize = 16;

/// One line of the overlay before it is fitted to a width.
enum Entry {
    Blank,
    Heading(&'static str),
    Item(String, &'static str),
}

fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    for ctx in HELP_ORDER {
        if !out.is_empty() {
            out.push(Entry::Blank);
        }
        out.push(Entry::Heading(ctx.title()));
        for b in BINDINGS.iter().filter(|b| b.ctx == ctx) {
            out.push(Entry::Item(keys_label(b), b.help));
        }
    }
    out.push(Entry::Blank);
    out.push(Entry::Heading("Symbols"));
    for (symbol, meaning) in SYMBOLS {
        out.push(Entry::Item(symbol.to_string(), meaning));
    }
    out
}

/// The overlay's lines, one per key or symbol, however wide.
pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    rows(theme, u16::MAX)
}

/// The overlay's rows in a column `column` wide: a meaning that does not
/// fit continues on the next rows, under itself. Wrapping here rather than
/// in the widget lets scrolling know where the end is.
fn rows(theme: &Theme, column: u16) -> Vec<Line<'static>> {
    let room = usize::from(column).saturating_sub(KEY_W).max(12);
    let mut out = Vec::new();
    for entry in entries() {
        match entry {
            Entry::Blank => out.push(Line::from("")),
            Entry::Heading(h) => out.push(Line::from(Span::styled(h, theme.heading()))),
            Entry::Item(key, meaning) => {
                let mut key = Span::styled(format!("  {key:<w$}", w = KEY_W - 2), theme.key());
                for part in wrap(meaning, room) {
                    out.push(Line::from(vec![key, Span::raw(part)]));
                    key = Span::raw(" ".repeat(KEY_W));
                }
            }
        }
    }
    out
}

/// `text` in pieces of at most `room` columns, broken between words (a
/// word longer than that stands alone).
fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match out.last_mut() {
            Some(line) if width(line) + 1 + width(word) <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// Where the overlay goes in `body`: its frame and one or two columns.
fn geometry(body: Rect) -> (Rect, Vec<Rect>) {
    let two = body.width >= 150;
    let area = centered(body, if two { 150 } else { 90 }, body.height);
    let inner = Block::bordered().inner(area);
    let columns = if two {
        let w = inner.width / 2;
        vec![
            Rect::new(inner.x, inner.y, w, inner.height),
            Rect::new(inner.x + w, inner.y, inner.width - w, inner.height),
        ]
    } else {
        vec![inner]
    };
    (area, columns)
}

/// The overlay's rows split into its columns.
fn column_rows(theme: &Theme, columns: &[Rect]) -> Vec<Vec<Line<'static>>> {
    let width = columns.iter().map(|c| c.width).min().unwrap_or(0);
    let mut all = rows(theme, width);
    let per = all.len().div_ceil(columns.len().max(1));
    let mut out = Vec::new();
    while !all.is_empty() {
        let rest = all.split_off(per.min(all.len()));
        out.push(std::mem::replace(&mut all, rest));
    }
    out
}

/// How far the overlay in `body` scrolls: until its last row is at the
/// bottom (nothing when it all fits).
pub fn scroll_max(body: Rect) -> u16 {
    let (_, columns) = geometry(body);
    let height = columns.first().map_or(0, |c| c.height);
    let longest = column_rows(&Theme::new(false), &columns)
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    u16::try_from(longest.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
}

/// Draws the overlay scrolled down by `scroll` rows (j/k move it); two
/// columns when the screen is wide enough.
pub fn render(frame: &mut Frame, body: Rect, scroll: u16, theme: &Theme) {
    let (area, columns) = geometry(body);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Keys — j/k scroll · ? or Esc closes ");
    frame.render_widget(block, area);
    // A resize may have left the scroll past the end.
    let scroll = scroll.min(scroll_max(body));
    for (rows, column) in column_rows(theme, &columns).into_iter().zip(columns) {
        frame.render_widget(Paragraph::new(rows).scroll((scroll, 0)), column);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_meanings_continue_under_themselves() {
        let theme = Theme::new(false);
        let narrow = rows(&theme, 40);
        let wide = rows(&theme, u16::MAX);
        assert!(narrow.len() > wide.len());
        for line in &narrow {
            assert!(line.width() <= 40, "{line}");
        }
        let text: Vec<String> = narrow.iter().map(ToString::to_string).collect();
        let i = text
            .iter()
            .position(|l| l.trim_start().starts_with("R S P"))
            .unwrap();
        assert!(text[i + 1].starts_with(&" ".repeat(KEY_W)), "{text:?}");
    }

    #[test]
    fn scrolling_ends_with_the_last_row_at_the_bottom() {
        let theme = Theme::new(false);
        let all = rows(&theme, 78).len() as u16;
        // 80×24: one column 78 wide, 20 rows inside the frame.
        assert_eq!(scroll_max(Rect::new(0, 1, 80, 22)), all - 20);
        // Wide and tall enough for both columns to fit.
        assert_eq!(scroll_max(Rect::new(0, 1, 200, 60)), 0);
    }
}
