//! The today screen: sessions recorded today, recent sessions whose
//! follow-up is still to be asked for, and clients due now, overdue or due
//! for maintenance. On a wide terminal the due list stands on the right.

use super::text::{fit, width};
use super::theme::Theme;
use crate::app::State;
use crate::app::today::{FOLLOWUP_DAYS, Item};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

const NAME_W: usize = 22;
/// From this width the due list gets a column of its own.
const TWO_COLUMNS: u16 = 100;

/// Lines of one column, and the line the cursor is on, if it is there.
struct Column {
    lines: Vec<Line<'static>>,
    cursor: Option<usize>,
}

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
    let selected = today.items().get(state.today_idx).copied();
    let mut left = Column {
        lines: Vec::new(),
        cursor: None,
    };
    recorded(state, selected, theme, &mut left);
    left.lines.push(Line::from(""));
    followups(state, selected, theme, &mut left);
    if inner.width >= TWO_COLUMNS {
        let [a, b] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
            .spacing(2)
            .areas(inner);
        let mut right = Column {
            lines: Vec::new(),
            cursor: None,
        };
        due(state, selected, theme, &mut right);
        show(frame, a, left, theme);
        show(frame, b, right, theme);
    } else {
        left.lines.push(Line::from(""));
        due(state, selected, theme, &mut left);
        show(frame, inner, left, theme);
    }
}

/// Draws a column, scrolled so that the cursor's line shows.
fn show(frame: &mut Frame, area: Rect, column: Column, theme: &Theme) {
    let w = usize::from(area.width);
    let lines: Vec<Line> = column
        .lines
        .into_iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if width(&text) > w {
                Line::from(fit(&text, w)).style(l.style.patch(theme.bar()))
            } else {
                l
            }
        })
        .collect();
    let rows = usize::from(area.height).max(1);
    let scroll = column.cursor.map_or(0, |l| (l + 2).saturating_sub(rows));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

fn push(
    column: &mut Column,
    selected: Option<Item>,
    item: Item,
    spans: Vec<Span<'static>>,
    theme: &Theme,
) {
    let mut line = Line::from(spans);
    if Some(item) == selected {
        column.cursor = Some(column.lines.len());
        line = line.style(theme.selected());
    }
    column.lines.push(line);
}

/// A list's heading, and what an empty list says.
fn heading(column: &mut Column, text: String, count: usize, empty: &'static str, theme: &Theme) {
    column
        .lines
        .push(Line::from(Span::styled(text, theme.heading())));
    if count == 0 {
        column
            .lines
            .push(Line::from(Span::styled(format!("  {empty}"), theme.dim())));
    }
}

fn recorded(state: &State, selected: Option<Item>, theme: &Theme, out: &mut Column) {
    let list = &state.today_work.recorded;
    let title = format!("Recorded today ({})", list.len());
    heading(
        out,
        title,
        list.len(),
        "no session recorded today yet",
        theme,
    );
    for (i, x) in list.iter().enumerate() {
        let spans = vec![
            Span::raw(format!("  {} ", x.performed_at.format("%H:%M"))),
            Span::styled(pad(&x.client_name), theme.bold()),
            Span::raw(format!(" {} · session {}", x.concern.label(), x.number)),
        ];
        push(out, selected, Item::Recorded(i), spans, theme);
    }
}

fn followups(state: &State, selected: Option<Item>, theme: &Theme, out: &mut Column) {
    let today = &state.today_work;
    let list = &today.followups;
    let (from, to) = FOLLOWUP_DAYS;
    let title = format!(
        "Ask for a follow-up ({}): sessions {from}–{to} days ago without one",
        list.len()
    );
    let empty = "every recent session has its follow-up";
    heading(out, title, list.len(), empty, theme);
    for (i, x) in list.iter().enumerate() {
        let ago = today
            .date
            .map_or(0, |d| (d - x.performed_at.date()).num_days());
        let spans = vec![
            Span::styled("  ◷ ", theme.warning()),
            Span::styled(pad(&x.client_name), theme.bold()),
            Span::raw(format!(
                " {} ({ago} {} ago) · {} session {}",
                x.performed_at.format("%Y-%m-%d"),
                if ago == 1 { "day" } else { "days" },
                x.concern.label(),
                x.number,
            )),
        ];
        push(out, selected, Item::Followup(i), spans, theme);
    }
}

fn due(state: &State, selected: Option<Item>, theme: &Theme, out: &mut Column) {
    let list = &state.today_work.due;
    let title = format!("Due now, overdue or maintenance ({})", list.len());
    heading(out, title, list.len(), "nobody is due", theme);
    for (i, &r) in list.iter().enumerate() {
        let row = state.rows.rows.get(r);
        let due = state.rows.due.get(r).copied().flatten();
        let (Some(row), Some(due)) = (row, due) else {
            continue;
        };
        let series = row.series.as_ref().map_or(String::new(), |s| {
            format!(" · {} {}/{}", s.concern.label(), s.done, s.planned)
        });
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(pad(&row.name), theme.bold()),
            Span::styled(format!(" {due}"), theme.due(Some(due))),
        ];
        // Before the series, which a narrow screen cuts first.
        if row.adverse_ongoing {
            spans.push(Span::styled(" ■ adverse event ongoing", theme.error()));
        }
        spans.push(Span::raw(series));
        push(out, selected, Item::Due(i), spans, theme);
    }
}

/// A name padded (or cut) to one width, so the columns line up.
fn pad(name: &str) -> String {
    let cut = fit(name, NAME_W);
    let w = width(&cut);
    format!("{cut}{}", " ".repeat(NAME_W.saturating_sub(w)))
}
