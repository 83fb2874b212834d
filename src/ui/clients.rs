//! The home screen: who is due, and what was done last time.

use super::layout;
use super::session;
use super::text::fit;
use super::theme::Theme;
use crate::app::keymap::{Command, Ctx};
use crate::app::list::View;
use crate::app::{Preview, State};
use crate::db::client_list::ClientRow;
use crate::domain::{ClientDraft, DueState, series_progress};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Paragraph, Row, Table, Wrap};

/// The table's columns: heading and width, in order.
const COLUMNS: [(&str, Constraint); 7] = [
    ("Name", Constraint::Fill(1)),
    ("Series", Constraint::Fill(1)),
    ("Progress", Constraint::Length(12)),
    ("Last visit", Constraint::Length(10)),
    ("Downtime", Constraint::Length(8)),
    ("Next due", Constraint::Length(15)),
    ("⚑", Constraint::Length(3)),
];
const SPACING: u16 = 1;
/// Below this width the series column goes, so that names stay readable
/// (the client's screen shows the series).
const SERIES_FROM: u16 = 100;

pub fn render(state: &State, frame: &mut Frame, body: Rect, theme: &Theme) {
    let (table_area, pane) = layout::clients_body(body);
    table(state, frame, table_area, theme);
    if let Some(p) = pane {
        preview(state, frame, p, theme);
    }
}

fn title(state: &State) -> String {
    if state.partial {
        return format!(
            " view: {} · sort: {} · loading the list… ",
            state.view.label(),
            state.sort.label()
        );
    }
    let mut t = format!(
        " {} of {} · view: {} · sort: {} ",
        state.visible.len(),
        state.rows.len(),
        state.view.label(),
        state.sort.label()
    );
    if state.filtering || !state.filter.value().is_empty() {
        t = format!(
            " /{}{} ·{t}",
            state.filter.value(),
            if state.filtering { "▏" } else { "" }
        );
    }
    t
}

fn due_text(d: Option<DueState>) -> String {
    match d {
        Some(d) => d.to_string(),
        None => "no series".into(),
    }
}

fn table(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title(state));
    if let Some(msg) = empty_message(state, theme) {
        let wrap = Wrap { trim: false };
        frame.render_widget(Paragraph::new(msg).block(block).wrap(wrap), area);
        return;
    }
    let page = layout::clients_page(state.size).min(usize::from(area.height.saturating_sub(3)));
    // The name and series columns' widths, as the table lays them out:
    // text cut to them ends with `…`.
    let with_series = area.width >= SERIES_FROM;
    let keep = |i: &usize| with_series || *i != 1;
    let shown: Vec<(&str, Constraint)> = (0..COLUMNS.len())
        .filter(keep)
        .map(|i| COLUMNS[i])
        .collect();
    let widths: Vec<Constraint> = shown.iter().map(|(_, w)| *w).collect();
    let columns = ratatui::layout::Layout::horizontal(widths.clone())
        .spacing(SPACING)
        .split(block.inner(area));
    let cut = (columns[0].width, columns[1].width);
    let end = (state.offset + page).min(state.visible.len());
    // Only the rows on screen are built: scrolling costs the same at 100 clients or 100,000.
    let rows = state.visible[state.offset..end]
        .iter()
        .enumerate()
        .map(|(i, &idx)| {
            let style = if state.offset + i == state.selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            let r = &state.rows.rows[idx];
            let mut cells = client_cells(r, state.rows.due[idx], cut, theme);
            if !with_series {
                cells.remove(1);
            }
            Row::new(cells).style(style)
        });
    let headers = shown.iter().map(|(h, _)| *h);
    let header = Row::new(headers).style(theme.heading());
    let t = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(SPACING);
    frame.render_widget(t, area);
}

/// What the table says when there is nothing to list: how to start, or
/// that the view or filter hides everyone.
fn empty_message(state: &State, theme: &Theme) -> Option<Vec<Line<'static>>> {
    let key = |ctx, cmd| state.keymap.say(ctx, cmd);
    let view_key = key(Ctx::Clients, Command::CycleView);
    if state.rows.is_empty() {
        return Some(vec![
            Line::from(""),
            Line::from(Span::styled("No clients yet.", theme.bold())),
            Line::from(""),
            Line::from(format!(
                "Press {} to add your first client: type the name, then {}.",
                key(Ctx::Clients, Command::AddClient),
                key(Ctx::Form, Command::Save)
            )),
            Line::from("A first series (3 sessions, 4–6 weeks apart) is set up with them."),
            Line::from(""),
            Line::from(format!(
                "To look around first, quit ({}) and run: needlelog --demo",
                key(Ctx::Global, Command::Quit)
            )),
        ]);
    }
    if !state.visible.is_empty() {
        return None;
    }
    let msg = if state.filter.value().is_empty() {
        format!(
            "No client in the '{}' view. {view_key} changes the view.",
            state.view.label()
        )
    } else {
        format!(
            "No client matches '{}'. {} clears the filter.",
            state.filter.value(),
            key(Ctx::Global, Command::Back)
        )
    };
    let mut lines = vec![Line::from(msg)];
    match state.archived_matches {
        0 => {}
        1 => lines.push(Line::from(format!(
            "1 archived client matches: the 'archived' view ({view_key}) lists it."
        ))),
        n => lines.push(Line::from(format!(
            "{n} archived clients match: the 'archived' view ({view_key}) lists them."
        ))),
    }
    Some(lines)
}

/// The latest session's downtime: its worst number of days, `!` after it
/// when an adverse event was reported.
fn downtime_cell(r: &ClientRow, theme: &Theme) -> Cell<'static> {
    let days = r
        .last_downtime
        .map_or_else(|| "—".to_string(), |d| format!("{d}d"));
    if r.last_adverse {
        Cell::from(Line::from(vec![
            Span::raw(format!("{days} ")),
            Span::styled("!", theme.error()),
        ]))
    } else {
        Cell::from(days)
    }
}

/// One client's cells: name and current series (cut to `cut` with `…`),
/// progress, last visit, downtime, next due, flags.
fn client_cells<'a>(
    r: &'a ClientRow,
    due: Option<DueState>,
    cut: (u16, u16),
    theme: &Theme,
) -> Vec<Cell<'a>> {
    let series = r.series.as_ref().map_or(String::new(), |s| {
        let zones: Vec<&str> = s.zones.iter().map(|z| z.label()).collect();
        if zones.is_empty() {
            s.concern.label().to_string()
        } else {
            format!("{} · {}", s.concern.label(), zones.join(", "))
        }
    });
    let progress = r.series.as_ref().map_or(String::new(), |s| {
        let p = series_progress(s.done, s.planned);
        format!("{} {}/{}", p.bar(), s.done, s.planned)
    });
    let flags = Line::from(vec![
        Span::styled(
            format!(
                "{}{}",
                if r.screening_flag { "⚠" } else { " " },
                if r.followup_pending { "◷" } else { " " }
            ),
            theme.warning(),
        ),
        Span::styled(if r.adverse_ongoing { "■" } else { " " }, theme.error()),
    ]);
    vec![
        Cell::from(fit(&r.name, usize::from(cut.0))),
        Cell::from(fit(&series, usize::from(cut.1))),
        Cell::from(progress),
        Cell::from(
            r.last_visit
                .map(|t| t.date().to_string())
                .unwrap_or_else(|| "—".into()),
        ),
        downtime_cell(r, theme),
        Cell::from(Span::styled(due_text(due), theme.due(due))),
        Cell::from(flags),
    ]
}

fn preview(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Last time ");
    let Some(row) = state.selected_row() else {
        frame.render_widget(block, area);
        return;
    };
    let lines = match state.preview.as_ref().filter(|p| p.client.id == row.id) {
        Some(p) => preview_lines(state, p, theme),
        None => vec![Line::from(row.name.clone())],
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // A short, wide pane (below the table) reads better in two columns.
    if lines.len() > usize::from(inner.height) && inner.width >= 90 {
        let split = lines
            .iter()
            .position(|l| {
                l.spans
                    .first()
                    .is_some_and(|s| s.content.starts_with("Session "))
            })
            .unwrap_or(lines.len() / 2)
            .max(1);
        let mut right = lines;
        let left: Vec<Line> = right.drain(..split).collect();
        let [a, b] =
            ratatui::layout::Layout::horizontal([Constraint::Fill(2), Constraint::Fill(3)])
                .spacing(2)
                .areas(inner);
        frame.render_widget(Paragraph::new(left).wrap(Wrap { trim: false }), a);
        frame.render_widget(Paragraph::new(right).wrap(Wrap { trim: false }), b);
    } else {
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// Who the client is and what to mind before needling: skin type, age,
/// screening answers, consent, allergies.
fn who_lines(state: &State, c: &ClientDraft, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut who = vec![Span::styled(c.name.clone(), theme.bold())];
    if let Some(f) = c.fitzpatrick {
        who.push(Span::raw(format!("  Fitzpatrick {f:?}")));
    }
    if let Some(dob) = c.date_of_birth {
        let age = state.today().years_since(dob).unwrap_or(0);
        who.push(Span::raw(format!("  {age} y")));
    }
    out.push(Line::from(who));
    out.extend(super::cautions::lines(c, theme));
    out
}

fn preview_lines<'a>(state: &State, p: &'a Preview, theme: &Theme) -> Vec<Line<'a>> {
    let l = theme.dim();
    let mut out = who_lines(state, &p.client.data, theme);
    if state.selected_row().is_some_and(|r| r.adverse_ongoing) {
        out.insert(
            1,
            Line::from(Span::styled(
                "■ an adverse event is still ongoing: see the client's follow-ups",
                theme.error(),
            )),
        );
    }
    let due = state.selected_row().and_then(|r| {
        state
            .visible
            .get(state.selected)
            .and_then(|&i| state.rows.due[i])
            .map(|d| (r, d))
    });
    if let Some((r, d)) = due
        && let Some(s) = &r.series
    {
        out.push(Line::from(""));
        out.push(Line::from(vec![
            Span::styled(format!("{} ", s.concern.label()), theme.heading()),
            Span::raw(format!("{}/{} · ", s.done, s.planned)),
            Span::styled(d.to_string(), theme.due(Some(d))),
        ]));
    }
    match &p.last {
        None => out.push(Line::from(Span::styled(
            "No session recorded yet.",
            theme.dim(),
        ))),
        Some((series, x)) => {
            let d = &x.data;
            out.push(Line::from(""));
            out.push(Line::from(Span::styled(
                format!(
                    "Session {} of {} · {}",
                    p.session_no,
                    series.data.planned_sessions,
                    d.performed_at.format(crate::domain::DATETIME)
                ),
                theme.bold(),
            )));
            out.extend(session::treatment(d, theme));
            out.push(session::end_of_session(d, theme));
            out.extend(session::followup(
                &d.followup,
                "◷ follow-up not recorded yet",
                theme,
                state.rules.prolonged_erythema_days,
            ));
            if !d.notes.is_empty() {
                out.extend(super::text::kv_lines("Notes", &fit(&d.notes, 300), l));
            }
        }
    }
    if state.view == View::Archived {
        out.push(Line::from(Span::styled(
            "Archived: A restores",
            theme.dim(),
        )));
    }
    out
}
