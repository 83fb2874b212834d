//! Downtime per visit: redness, swelling and peeling days as three bars
//! centred on the visit's column, on a scale of a round number of days per
//! row, named in the heading and on the axis.

use super::Geometry;
use super::rows::ADVERSE;
use crate::app::palette::Role;
use crate::chart::layout::{bar_cell, bar_eighths, bar_geometry, days_per_row, label_every};
use crate::chart::{DOWNTIME, SeriesChart, days_text};
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

/// A downtime kind not reported for that visit.
pub const NOT_REPORTED: &str = "·";

const COLOURS: [Role; 3] = [Role::ChartRedness, Role::ChartSwelling, Role::ChartPeeling];

fn bar_style(theme: &Theme, kind: usize, prolonged: bool) -> Style {
    if kind == 0 && prolonged {
        theme.error()
    } else {
        theme.fg(COLOURS[kind])
    }
}

/// The heading with the legend and the scale; returns the days per row
/// for `bar_rows` rows of bars.
pub(super) fn heading(
    buf: &mut Buffer,
    chart: &SeriesChart,
    row: Rect,
    bar_rows: u16,
    theme: &Theme,
) -> f64 {
    let step = days_per_row(chart.max_downtime(), bar_rows);
    let unit = if step == 1.0 { "day" } else { "days" };
    // Items of the legend, each kept whole or left out when the row is full.
    let mut items: Vec<Vec<(String, Style)>> = vec![vec![
        ("Downtime".into(), theme.bold()),
        (
            format!(" · 1 row = {} {unit} ", days_text(step)),
            theme.dim(),
        ),
    ]];
    for (kind, (name, _)) in DOWNTIME.iter().enumerate() {
        items.push(vec![
            (" █".into(), bar_style(theme, kind, false)),
            (format!(" {name}"), Style::new()),
        ]);
    }
    if chart.visits.iter().any(|v| !v.adverse.is_empty()) {
        items.push(vec![
            ("  ".into(), Style::new()),
            (ADVERSE.into(), theme.error()),
            (" adverse event".into(), Style::new()),
        ]);
        if chart.visits.iter().any(|v| v.prolonged_redness) {
            items.push(vec![(
                format!(", redness > {} days included", chart.prolonged_after),
                Style::new(),
            )]);
        }
    }
    if chart.visits.iter().any(|v| v.downtime.contains(&None)) {
        items.push(vec![
            ("  ".into(), Style::new()),
            (NOT_REPORTED.into(), theme.faint()),
            (" not reported".into(), Style::new()),
        ]);
    }
    let mut x = row.x;
    for item in items {
        let w: usize = item.iter().map(|(t, _)| t.width()).sum();
        if usize::from(row.right().saturating_sub(x)) < w {
            break;
        }
        for (text, style) in item {
            x = buf.set_stringn(x, row.y, &text, text.width(), style).0;
        }
    }
    step
}

/// The bars, bottom-aligned in `area`, `step` days to a row; the axis
/// names the days at the top of the rows it labels.
pub(super) fn bars(
    buf: &mut Buffer,
    g: &Geometry,
    chart: &SeriesChart,
    area: Rect,
    step: f64,
    theme: &Theme,
) {
    let rows = area.height;
    // Rows are named by the days at their top: every `every`-th row.
    let every = label_every(rows, step);
    for r in 0..rows {
        // r counts from the bottom.
        let y = area.bottom() - 1 - r;
        let top = f64::from(r + 1) * step;
        if (r + 1) % every == 0 {
            g.gutter(buf, y, &format!("{} d", days_text(top)), theme.dim(), "┤");
        } else {
            g.gutter(buf, y, "", Style::new(), "│");
        }
    }
    if rows == 0 {
        return;
    }
    let (width, pitch) = bar_geometry(g.slot);
    for (x, v) in g.shown(chart) {
        for (kind, days) in v.downtime.iter().enumerate() {
            let centre = i32::from(x) + (kind as i32 - 1) * i32::from(pitch);
            let left = centre - i32::from(width - 1) / 2;
            let Ok(left) = u16::try_from(left) else {
                continue;
            };
            let style = bar_style(theme, kind, v.prolonged_redness);
            let Some(days) = days else {
                let at = (left + width / 2).clamp(g.plot_x, g.right() - 1);
                buf.set_string(at, area.bottom() - 1, NOT_REPORTED, theme.faint());
                continue;
            };
            let eighths = bar_eighths(days.days(), step);
            for r in 0..rows {
                let cell = bar_cell(eighths, r);
                for bx in left..left + width {
                    if bx >= g.plot_x && bx < g.right() && cell != " " {
                        buf.set_string(bx, area.bottom() - 1 - r, cell, style);
                    }
                }
            }
        }
    }
}

/// Each bar's days under it, where the bars are wide enough to carry them.
pub(super) fn values(
    buf: &mut Buffer,
    g: &Geometry,
    chart: &SeriesChart,
    row: Rect,
    theme: &Theme,
) {
    let (_, pitch) = bar_geometry(g.slot);
    for (x, v) in g.shown(chart) {
        for (kind, days) in v.downtime.iter().enumerate() {
            let centre = i32::from(x) + (kind as i32 - 1) * i32::from(pitch);
            let Ok(centre) = u16::try_from(centre) else {
                continue;
            };
            let text = days.map_or_else(|| NOT_REPORTED.to_string(), |d| d.to_string());
            g.centred(
                buf,
                centre,
                row.y,
                &text,
                bar_style(theme, kind, v.prolonged_redness),
            );
        }
    }
}
