//! The treatment summary as Markdown (CommonMark with GitHub tables), for
//! pasting into notes or letters. Everything typed by a person is escaped so
//! that it reads as typed, whatever characters it holds.

use super::report::{
    ClientReport, Report, Selection, SeriesReport, SummaryLine, TITLE, aftercare, signed,
};
use std::fmt::Write;

/// Escapes the characters that Markdown would read as markup, and shows a
/// control character saved before they were refused as a visible sign.
pub fn escape(text: &str) -> String {
    let text = &*crate::domain::visible_controls(text);
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let markup = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' => true,
            // Only an ampersand that starts an entity ("&amp;", "&#39;") is markup.
            '&' => starts_entity(&text[i + 1..]),
            _ => false,
        };
        if markup {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn starts_entity(rest: &str) -> bool {
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && rest[name.len()..].starts_with(';')
}

/// Escaped text that may start a line: a leading `-`, `+`, `=` or `1.` would
/// otherwise start a list or underline a heading.
fn escape_line(text: &str) -> String {
    let e = escape(text);
    let mut chars = e.chars();
    let starts_block = match chars.next() {
        Some('-' | '+' | '=') => true,
        Some(c) if c.is_ascii_digit() => {
            let rest: String = chars.skip_while(char::is_ascii_digit).take(1).collect();
            rest == "." || rest == ")"
        }
        _ => false,
    };
    if starts_block {
        let digits = e.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            // "12." → "12\."
            format!("{}\\{}", &e[..digits], &e[digits..])
        } else {
            format!("\\{e}")
        }
    } else {
        e
    }
}

/// Free text that may span lines, as the body of a list item: each line
/// keeps its break (two trailing spaces) and the item's indentation.
fn multiline(text: &str) -> String {
    text.lines()
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("  \n  ")
}

/// A table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    escape(&text.replace(['\r', '\n'], " "))
}

fn series(out: &mut String, s: &SeriesReport<'_>) {
    let _ = writeln!(out, "### {}\n", escape_line(&s.heading()));
    let _ = writeln!(out, "{}\n", escape_line(&s.plan_text()));
    if s.visits.is_empty() {
        out.push_str("No sessions recorded in this period.\n\n");
    } else {
        out.push_str(
            "| # | Date | Zones | Depth (mm) | Passes | Serum | Score | vs baseline | Redness (d) | Swelling (d) | Peeling (d) |\n\
             |--:|------|-------|------------|-------:|-------|------:|------------:|------------:|-------------:|------------:|\n",
        );
        for v in &s.visits {
            let d = &v.session.data;
            let f = &d.followup;
            let opt = |x: Option<String>| x.unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                v.number,
                d.performed_at.format(crate::domain::DATETIME),
                cell(&v.zones_text()),
                cell(&v.depth_text()),
                opt(d.passes.map(|p| p.to_string())),
                cell(&d.serum),
                opt(d.outcome_score.map(|p| p.to_string())),
                opt(v.improvement.map(signed)),
                opt(f.redness_days.map(|x| x.to_string())),
                opt(f.swelling_days.map(|x| x.to_string())),
                opt(f.peeling_days.map(|x| x.to_string())),
            );
        }
        out.push('\n');
    }
    for line in s.summary() {
        match line {
            SummaryLine::Text(label, text) => {
                let _ = writeln!(out, "- **{label}:** {}", multiline(&text));
            }
            SummaryLine::List(list, entries) => {
                let _ = writeln!(out, "- **{}:**", list.label());
                for e in entries {
                    let body = multiline(e.text).replace("\n  ", "\n    ");
                    let (number, date, kind) = (e.number, e.date, e.kind);
                    let _ = writeln!(out, "  - session {number} ({date}){kind}: {body}");
                }
            }
        }
    }
    out.push('\n');
}

/// One client's part of the document.
pub fn client(out: &mut String, c: &ClientReport<'_>) {
    let _ = writeln!(out, "## {}\n", escape_line(&c.client.data.name));
    for (label, value) in c.facts() {
        let _ = writeln!(out, "- {label}: {}", multiline(&value));
    }
    out.push('\n');
    if c.series.is_empty() {
        out.push_str("No treatment series recorded.\n\n");
    }
    for s in &c.series {
        series(out, s);
    }
}

/// The start of the document: the title, who it comes from, when, and
/// over which dates (and that it is empty, when it is). The clients follow
/// ([`client`]), then [`tail`].
pub fn head(report: &Report<'_>, selection: Selection<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {TITLE}\n");
    if !report.clinic.is_empty() {
        let _ = writeln!(out, "**{}**\n", escape(&report.clinic.line()));
    }
    let mut line = format!("Prepared {}", report.today);
    if let Some(r) = report.range_text() {
        line.push_str(&format!(" · {r}"));
    }
    let _ = writeln!(out, "{line}\n");
    if matches!(selection, Selection::Empty) {
        out.push_str("No records in this selection.\n\n");
    }
    out
}

/// The end of the document: the aftercare advice, ending in one line break.
pub fn tail(report: &Report<'_>) -> String {
    let mut out = String::from("## Aftercare\n\n");
    for p in aftercare(report.clinic) {
        let _ = writeln!(out, "{}\n", escape(&p));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(escape("a*b_c|d"), "a\\*b\\_c\\|d");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("A & B &amp; &#39;"), "A & B \\&amp; \\&\\#39;");
        assert_eq!(escape_line("- not a list"), "\\- not a list");
        assert_eq!(escape_line("12. not a list"), "12\\. not a list");
        assert_eq!(escape_line("12 pins"), "12 pins");
        assert_eq!(escape_line("# x"), "\\# x");
        assert_eq!(cell("a\nb|c"), "a b\\|c");
    }
}
