//! The one-line rows under the score plot, each label centred on its
//! visit's column: the change from baseline, the visit numbers on the
//! x axis (with `!` for an adverse event), the dates, and GAIS as
//! `clinician/client` when there is no room for its plot.

use super::Geometry;
use crate::app::palette::Role;
use crate::chart::{SeriesChart, change_form};
use crate::ui::theme::Theme;
use chrono::Datelike;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Marks a visit after which an adverse event was reported, prolonged
/// redness included.
pub const ADVERSE: &str = "!";

/// `-1 (-17%)` under each scored visit: green when better than the
/// baseline, yellow when worse.
pub(super) fn changes(
    buf: &mut Buffer,
    g: &Geometry,
    chart: &SeriesChart,
    row: Rect,
    theme: &Theme,
) {
    let label = if chart.baseline.is_some() {
        "change"
    } else {
        ""
    };
    g.gutter(buf, row.y, label, theme.dim(), "│");
    let room = usize::from(g.slot.saturating_sub(1));
    let shown: Vec<_> = g.shown(chart).collect();
    let Some(form) = change_form(shown.iter().filter_map(|(_, v)| v.change.as_ref()), room) else {
        return;
    };
    for (x, v) in shown {
        let Some(c) = v.change else { continue };
        let style = if c.better() {
            theme.fg(Role::ChartBetter)
        } else if c.worse() {
            theme.fg(Role::ChartWorse)
        } else {
            theme.dim()
        };
        g.centred(buf, x, row.y, &c.forms()[form], style);
    }
}

/// The x axis with the visit numbers on it: `──#1────#2 !──`.
pub(super) fn axis(buf: &mut Buffer, g: &Geometry, chart: &SeriesChart, row: Rect, theme: &Theme) {
    g.gutter(buf, row.y, "visit", theme.dim(), "└");
    for x in g.plot_x..g.right() {
        buf.set_string(x, row.y, "─", Style::new());
    }
    for (x, v) in g.shown(chart) {
        let end = g.centred(buf, x, row.y, &format!("#{}", v.number), theme.bold());
        if !v.adverse.is_empty() && end < g.right() {
            // Beside the number, inside the visit's own slot when it fits.
            let at = if end + 1 < g.right() && g.slot >= 6 {
                buf.set_string(end, row.y, " ", Style::new());
                end + 1
            } else {
                end
            };
            buf.set_string(at, row.y, ADVERSE, theme.error());
        }
    }
}

/// The date of each visit (`05 Jun`), the year(s) in the gutter.
pub(super) fn dates(buf: &mut Buffer, g: &Geometry, chart: &SeriesChart, row: Rect, theme: &Theme) {
    let shown: Vec<_> = g.shown(chart).collect();
    let years = match (shown.first(), shown.last()) {
        (Some((_, a)), Some((_, b))) if a.date.year() != b.date.year() => {
            format!("{}–{}", a.date.format("%Y"), b.date.format("%y"))
        }
        (Some((_, a)), _) => a.date.format("%Y").to_string(),
        _ => String::new(),
    };
    g.gutter(buf, row.y, &years, theme.dim(), " ");
    // Too narrow for a date per visit: every other one, the latest included.
    let every = if g.slot >= 6 { 1 } else { 2 };
    let last = shown.len().saturating_sub(1);
    for (i, (x, v)) in shown.into_iter().enumerate() {
        if (last - i) % every == 0
            && let Some(d) = v.date_label(g.slot * every as u16)
        {
            g.centred(buf, x, row.y, &d, theme.dim());
        }
    }
}

/// GAIS as `3/2` (clinician/client) under each visit.
pub(super) fn gais_line(
    buf: &mut Buffer,
    g: &Geometry,
    chart: &SeriesChart,
    row: Rect,
    theme: &Theme,
) {
    g.gutter(buf, row.y, "GAIS", theme.bold(), " ");
    if !chart.has_gais() {
        buf.set_stringn(
            g.plot_x,
            row.y,
            "none recorded",
            usize::from(g.plot_w),
            theme.dim(),
        );
        return;
    }
    for (x, v) in g.shown(chart) {
        if let Some(t) = v.gais_text() {
            g.centred(buf, x, row.y, &t, Style::new());
        }
    }
}
