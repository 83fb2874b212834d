//! The dot plots: the outcome score per visit against a dashed baseline,
//! and (when there is room) GAIS by clinician and client. Drawn cell by
//! cell on the visit columns of [`Geometry`], so each mark is exactly above
//! its visit's label and downtime bars.

use super::Geometry;
use crate::app::palette::Role;
use crate::chart::SeriesChart;
use crate::chart::layout::{row_of, score_labels, score_window};
use crate::domain::Gais;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use std::collections::BTreeMap;

/// A visit's score.
pub const SCORE: &str = "●";
/// The client's GAIS rating (the clinician's is [`SCORE`]'s dot).
pub const CLIENT: &str = "○";
/// The baseline, a dashed line unlike the score's dotted one.
pub const BASELINE: &str = "╌";

/// The scores the plot shows in `rows` rows (see `score_window`).
pub(super) fn window(chart: &SeriesChart, rows: u16) -> (u8, u8) {
    score_window(chart.scale.range(), &chart.plotted_scores(), rows)
}

fn score_style(theme: &Theme) -> Style {
    theme.fg(Role::ChartScore).add_modifier(Modifier::BOLD)
}

pub(super) fn score(
    buf: &mut Buffer,
    g: &Geometry,
    chart: &SeriesChart,
    area: Rect,
    window: (u8, u8),
    theme: &Theme,
) {
    let rows = area.height;
    if rows == 0 {
        return;
    }
    let y_of = |v: u8| area.y + row_of(v, window, rows);
    for y in area.y..area.bottom() {
        g.gutter(buf, y, "", Style::new(), "│");
    }
    for v in score_labels(window, rows) {
        g.gutter(buf, y_of(v), &v.to_string(), theme.dim(), "┤");
    }
    if let Some(b) = chart.baseline {
        let y = y_of(b);
        let style = theme.faint();
        g.gutter(buf, y, &format!("base {b}"), style, "┤");
        for x in g.plot_x..g.right() {
            buf.set_string(x, y, BASELINE, style);
        }
    }
    let style = score_style(theme);
    let marks: Vec<(u16, u16)> = g
        .shown(chart)
        .filter_map(|(x, v)| v.score.map(|s| (x, y_of(s))))
        .collect();
    if marks.is_empty() {
        let y = area.y + rows / 2;
        g.centred(
            buf,
            g.plot_x + g.plot_w / 2,
            y,
            "no score recorded yet",
            theme.dim(),
        );
        return;
    }
    for &(x, y) in &marks {
        buf.set_string(x, y, SCORE, style);
    }
    for pair in marks.windows(2) {
        braille_line(buf, pair[0], pair[1], area, theme.fg(Role::ChartScore));
    }
}

/// GAIS per visit: a heading with the legend, then a row per grade, 1
/// (very much improved) at the bottom like the best scores; the
/// clinician's dot left of the visit's column, the client's ring right.
pub(super) fn gais(buf: &mut Buffer, g: &Geometry, chart: &SeriesChart, area: Rect, theme: &Theme) {
    if area.height < 2 {
        return;
    }
    let clinician = theme.fg(Role::ChartScore).add_modifier(Modifier::BOLD);
    let client = theme.fg(Role::ChartClient).add_modifier(Modifier::BOLD);
    let grades: Vec<String> = (Gais::MIN..=Gais::MAX)
        .filter_map(|v| Gais::new("GAIS", i64::from(v)).ok())
        .map(|gr| format!("{} {}", gr.value(), gr.label()))
        .collect();
    let grades = grades.join(" · ");
    let spans = [
        ("GAIS", theme.bold()),
        ("  ", Style::new()),
        (SCORE, clinician),
        (" clinician  ", Style::new()),
        (CLIENT, client),
        (" client  · lower is better · ", Style::new()),
        (grades.as_str(), theme.dim()),
    ];
    let mut x = area.x;
    for (text, style) in spans {
        let room = usize::from(area.right().saturating_sub(x));
        x = buf.set_stringn(x, area.y, text, room, style).0;
    }
    let plot = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    let window = (Gais::MIN, Gais::MAX);
    let y_of = |v: u8| plot.y + row_of(v, window, plot.height);
    for y in plot.y..plot.bottom() {
        g.gutter(buf, y, "", Style::new(), "│");
    }
    for v in score_labels(window, plot.height) {
        g.gutter(buf, y_of(v), &v.to_string(), theme.dim(), "┤");
    }
    if !chart.has_gais() {
        g.centred(
            buf,
            g.plot_x + g.plot_w / 2,
            plot.y,
            "no GAIS recorded",
            theme.dim(),
        );
    }
    for (x, v) in g.shown(chart) {
        let [c, cl] = v.gais;
        if let Some(c) = c {
            buf.set_string(x.saturating_sub(1).max(g.plot_x), y_of(c), SCORE, clinician);
        }
        if let Some(cl) = cl {
            buf.set_string((x + 1).min(g.right() - 1), y_of(cl), CLIENT, client);
        }
    }
}

/// A line of braille dots from one mark's cell to the next's, drawn only
/// in cells that are empty or already hold braille (so it never covers a
/// mark, a label or the baseline).
fn braille_line(buf: &mut Buffer, from: (u16, u16), to: (u16, u16), clip: Rect, style: Style) {
    let (x0, y0) = (2 * i32::from(from.0) + 1, 4 * i32::from(from.1) + 1);
    let (x1, y1) = (2 * i32::from(to.0), 4 * i32::from(to.1) + 1);
    let mut dots: BTreeMap<(u16, u16), u32> = BTreeMap::new();
    let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
    let (sx, sy) = ((x1 - x0).signum(), (y1 - y0).signum());
    let (mut x, mut y, mut err) = (x0, y0, dx + dy);
    loop {
        let cell = ((x / 2) as u16, (y / 4) as u16);
        if cell != from && cell != to {
            *dots.entry(cell).or_default() |= dot_bit(x % 2, y % 4);
        }
        if x == x1 && y == y1 {
            break;
        }
        let e2 = 2 * err;
        if e2 >= dy {
            err += dy;
            x += sx;
        }
        if e2 <= dx {
            err += dx;
            y += sy;
        }
    }
    for ((cx, cy), bits) in dots {
        if cx < clip.x || cx >= clip.right() || cy < clip.y || cy >= clip.bottom() {
            continue;
        }
        let cell = &mut buf[(cx, cy)];
        let old = cell.symbol().chars().next().map_or(0, u32::from);
        let bits = match old {
            0x20 => bits,
            0x2800..=0x28FF => bits | (old - 0x2800),
            _ => continue,
        };
        if let Some(c) = char::from_u32(0x2800 + bits) {
            cell.set_char(c).set_style(style);
        }
    }
}

/// The bit of the braille dot in column `dx` (0–1), row `dy` (0–3).
fn dot_bit(dx: i32, dy: i32) -> u32 {
    match (dx, dy) {
        (0, 0) => 0x01,
        (0, 1) => 0x02,
        (0, 2) => 0x04,
        (0, _) => 0x40,
        (_, 0) => 0x08,
        (_, 1) => 0x10,
        (_, 2) => 0x20,
        _ => 0x80,
    }
}
