//! What the `?` overlay says and how it is laid out: the keys (from the
//! keymap table), then the symbols the screens draw. Plain text and
//! geometry, so that `update` knows where scrolling ends; `ui::help` only
//! styles and draws these rows.

use super::keymap::{HELP_ORDER, Keymap, label};
use super::layout;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

/// The symbols the screens draw, each with what it means; shown after the
/// keys. tests/tui_help.rs renders every screen and fails on a symbol that
/// is missing here.
pub const SYMBOLS: [(&str, &str); 18] = [
    ("⚑", "flags column; ■ there: an adverse event still ongoing"),
    ("⚠", "a screening item answered yes; elsewhere, a warning"),
    (
        "⚠2",
        "adverse events after that session (■2: one still ongoing)",
    ),
    ("◷", "pending: the latest session's follow-up not recorded"),
    ("◷ pending", "that session's follow-up not recorded yet (f)"),
    (
        "■■■□□□ 3/6",
        "sessions done of planned; +1 is one past the plan",
    ),
    ("Δ", "improvement on the baseline, % of the reachable range"),
    ("▣2", "photos of that session (V compares them)"),
    ("—", "not recorded"),
    ("▸", "the form field the cursor is in"),
    ("‹ ›", "a choice: ← → or Space change it"),
    ("✗", "why the field is not valid yet"),
    ("▏", "the filter's cursor: type to narrow the list"),
    (
        "●",
        "chart: a visit's score; in GAIS, the clinician's rating",
    ),
    ("○", "chart: in GAIS, the client's rating"),
    ("╌ base 6", "chart: the baseline score, a dashed line"),
    (
        "!",
        "chart: adverse event after that visit (or long redness)",
    ),
    (
        "█ █ █",
        "chart: redness, swelling, peeling days; · not reported",
    ),
];

/// Width of the key (or symbol) column, indent included.
pub const KEY_W: usize = 16;

/// One row of the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Blank,
    Heading(&'static str),
    /// A key (empty on a continuation row) and (part of) its meaning.
    Item {
        key: String,
        text: String,
    },
}

impl Row {
    /// The row as plain text, as drawn.
    pub fn text(&self) -> String {
        match self {
            Self::Blank => String::new(),
            Self::Heading(h) => (*h).to_string(),
            Self::Item { key, text } if key.is_empty() => format!("{}{text}", " ".repeat(KEY_W)),
            Self::Item { key, text } => format!("  {key:<w$}{text}", w = KEY_W - 2),
        }
    }
}

/// The overlay's entries, one per key or symbol, before fitting.
fn entries(keymap: &Keymap) -> Vec<(Option<&'static str>, String, &'static str)> {
    let mut out = Vec::new();
    for ctx in HELP_ORDER {
        if !out.is_empty() {
            out.push((None, String::new(), ""));
        }
        out.push((Some(ctx.title()), String::new(), ""));
        for (b, keys) in keymap.bindings().filter(|(b, _)| b.ctx == ctx) {
            out.push((None, label(keys), b.help));
        }
    }
    out.push((None, String::new(), ""));
    out.push((Some("Symbols"), String::new(), ""));
    for (symbol, meaning) in SYMBOLS {
        out.push((None, symbol.to_string(), meaning));
    }
    out
}

/// The overlay's rows in a column `column` wide: a meaning that does not
/// fit continues on the next rows, under itself. Wrapping here rather than
/// in the widget lets scrolling know where the end is.
pub fn rows(keymap: &Keymap, column: u16) -> Vec<Row> {
    let room = usize::from(column).saturating_sub(KEY_W).max(12);
    let mut out = Vec::new();
    for (heading, key, meaning) in entries(keymap) {
        match heading {
            Some(h) => out.push(Row::Heading(h)),
            None if key.is_empty() => out.push(Row::Blank),
            None => {
                let mut key = key;
                for part in layout::wrap(meaning, room) {
                    out.push(Row::Item {
                        key: std::mem::take(&mut key),
                        text: part,
                    });
                }
            }
        }
    }
    out
}

/// Where the overlay goes in `body`: its frame and one or two columns.
pub fn geometry(body: Rect) -> (Rect, Vec<Rect>) {
    let two = body.width >= 150;
    let area = layout::centered(body, if two { 160 } else { 90 }, body.height);
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
pub fn column_rows(keymap: &Keymap, columns: &[Rect]) -> Vec<Vec<Row>> {
    let width = columns.iter().map(|c| c.width).min().unwrap_or(0);
    // Side by side, the left column's text stops short of the right one's.
    let gutter = if columns.len() > 1 { 2 } else { 0 };
    let mut all = rows(keymap, width.saturating_sub(gutter));
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
pub fn scroll_max(keymap: &Keymap, body: Rect) -> u16 {
    let (_, columns) = geometry(body);
    let height = columns.first().map_or(0, |c| c.height);
    let longest = column_rows(keymap, &columns)
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    u16::try_from(longest.saturating_sub(usize::from(height))).unwrap_or(u16::MAX)
}

/// [`scroll_max`] for a terminal of `size`.
pub fn scroll_max_for(keymap: &Keymap, size: (u16, u16)) -> u16 {
    let [_, body, _, _] = layout::frame(Rect::new(0, 0, size.0, size.1));
    scroll_max(keymap, body)
}

/// The overlay's rows as plain text, however wide: keys, then symbols.
pub fn text(keymap: &Keymap) -> Vec<String> {
    rows(keymap, u16::MAX).iter().map(Row::text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn long_meanings_continue_under_themselves() {
        let keymap = Keymap::default();
        let narrow = rows(&keymap, 40);
        let wide = rows(&keymap, u16::MAX);
        assert!(narrow.len() > wide.len());
        let text: Vec<String> = narrow.iter().map(Row::text).collect();
        for line in &text {
            assert!(line.width() <= 40, "{line}");
        }
        let i = text
            .iter()
            .position(|l| l.trim_start().starts_with("█ █ █"))
            .unwrap();
        assert!(text[i + 1].starts_with(&" ".repeat(KEY_W)), "{text:?}");
    }

    #[test]
    fn scrolling_ends_with_the_last_row_at_the_bottom() {
        let k = Keymap::default();
        let all = rows(&k, 78).len() as u16;
        // 80×24: one column 78 wide, 20 rows inside the frame.
        assert_eq!(scroll_max(&k, Rect::new(0, 1, 80, 22)), all - 20);
        // The same from a terminal size: the body is 21 rows of 24.
        assert_eq!(
            scroll_max_for(&k, (80, 24)),
            scroll_max(&k, Rect::new(0, 1, 80, 21))
        );
        // Wide and tall enough for both columns to fit.
        assert_eq!(scroll_max(&k, Rect::new(0, 1, 200, 60)), 0);
    }
}
