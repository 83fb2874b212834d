//! The today screen: sessions recorded today, clients due now or overdue,
//! and recent sessions whose follow-up is still to be asked for.

use super::text::fit;
use super::theme::Theme;
use crate::app::State;
use crate::app::today::{FOLLOWUP_DAYS, Item};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

const NAME_W: usize = 24;

pub fn render(state: &State, frame: &mut Frame, body: Rect, theme: &Theme) {
    let today = &state.today_work;
    let title = match today.date {
        Some(d) => format!(" Today · {} ", d.format("%a %Y-%m-%d")),
        None => " Today · loading… ".to_string(),
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title);
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let (lines, cursor_line) = lines(state, theme, usize::from(inner.width));
    // Keep the cursor's line in view.
    let rows = usize::from(inner.height).max(1);
    let scroll = cursor_line.map_or(0, |l| (l + 2).saturating_sub(rows));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}

/// The screen's lines, and the line the cursor is on.
fn lines(state: &State, theme: &Theme, width: usize) -> (Vec<Line<'static>>, Option<usize>) {
    let today = &state.today_work;
    let items = today.items();
    let selected = items.get(state.today_idx).copied();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut cursor = None;
    let mut push = |out: &mut Vec<Line<'static>>, item: Item, text: Vec<Span<'static>>| {
        let mut line = Line::from(text);
        if Some(item) == selected {
            cursor = Some(out.len());
            line = line.style(theme.selected());
        }
        out.push(line);
    };
    let heading = |text: String| Line::from(Span::styled(text, theme.heading()));
    let none = |text: &'static str| Line::from(Span::styled(format!("  {text}"), theme.dim()));

    out.push(heading(format!("Recorded today ({})", today.recorded.len())));
    if today.recorded.is_empty() {
        out.push(none("no session recorded today yet"));
    }
    for (i, x) in today.recorded.iter().enumerate() {
        let text = vec![
            Span::raw(format!("  {} ", x.performed_at.format("%H:%M"))),
            Span::styled(pad(&x.client_name), theme.bold()),
            Span::raw(format!(" {} · session {}", x.concern.label(), x.number)),
        ];
        push(&mut out, Item::Recorded(i), text);
    }
    out.push(Line::from(""));
    out.push(heading(format!("Due now or overdue ({})", today.due.len())));
    if today.due.is_empty() {
        out.push(none("nobody is due"));
    }
    for (i, &r) in today.due.iter().enumerate() {
        let (Some(row), Some(due)) = (state.rows.rows.get(r), state.rows.due.get(r).copied().flatten())
        else {
            continue;
        };
        let series = row.series.as_ref().map_or(String::new(), |s| {
            format!(" {} {}/{}", s.concern.label(), s.done, s.planned)
        });
        let text = vec![
            Span::raw("  "),
            Span::styled(pad(&row.name), theme.bold()),
            Span::styled(format!(" {due}"), theme.due(Some(due))),
            Span::raw(format!(" ·{series}")),
        ];
        push(&mut out, Item::Due(i), text);
    }
    out.push(Line::from(""));
    out.push(heading(format!(
        "Ask for a follow-up: sessions {}–{} days ago without one ({})",
        FOLLOWUP_DAYS.0,
        FOLLOWUP_DAYS.1,
        today.followups.len()
    )));
    if today.followups.is_empty() {
        out.push(none("every recent session has its follow-up"));
    }
    let date = today.date;
    for (i, x) in today.followups.iter().enumerate() {
        let ago = date.map_or(0, |d| (d - x.performed_at.date()).num_days());
        let text = vec![
            Span::raw("  "),
            Span::styled(pad(&x.client_name), theme.bold()),
            Span::styled(" ◷", theme.warning()),
            Span::raw(format!(
                " session {} of {} · {} ({ago} {} ago)",
                x.number,
                x.concern.label(),
                x.performed_at.format("%Y-%m-%d"),
                if ago == 1 { "day" } else { "days" }
            )),
        ];
        push(&mut out, Item::Followup(i), text);
    }
    let out = out
        .into_iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if super::text::width(&text) > width {
                Line::from(fit(&text, width)).style(l.style)
            } else {
                l
            }
        })
        .collect();
    (out, cursor)
}

/// A name padded (or cut) to one width, so the columns line up.
fn pad(name: &str) -> String {
    let cut = fit(name, NAME_W);
    let w = super::text::width(&cut);
    format!("{cut}{}", " ".repeat(NAME_W.saturating_sub(w)))
}
