//! Text helpers for drawing: display width and cutting to fit.

use ratatui::text::Line;
use unicode_width::UnicodeWidthStr;

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` display columns, ending with `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// A "label: value" line for record panes.
pub fn kv<'a>(label: &'a str, value: String, label_style: ratatui::style::Style) -> Line<'a> {
    Line::from(vec![
        ratatui::text::Span::styled(format!("{label}: "), label_style),
        value.into(),
    ])
}

/// A "label: value" entry whose value may hold line breaks (notes): the
/// first line beside the label, each further line on its own, indented.
pub fn kv_lines<'a>(
    label: &'a str,
    value: &str,
    label_style: ratatui::style::Style,
) -> Vec<Line<'a>> {
    let mut lines = value.trim_end().lines();
    let first = lines.next().unwrap_or_default().to_string();
    let mut out = vec![kv(label, first, label_style)];
    out.extend(lines.map(|l| Line::from(format!("  {l}"))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_keep_their_lines() {
        let style = ratatui::style::Style::new();
        let lines = kv_lines("Notes", "one\ntwo\n\nfour\n", style);
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["Notes: one", "  two", "  ", "  four"]);
    }

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fit("李娜李娜", 5), "李娜…");
        assert_eq!(width(&fit("李娜李娜", 5)), 5);
    }
}
