//! The progress chart (`c`) of the selected series, in one panel whose
//! parts share one set of visit columns: the outcome score per visit
//! against a dashed baseline; under it the change from baseline, the visit
//! numbers (`!` marks an adverse event) and dates; the downtime bars on a
//! scale of days; GAIS by clinician and client. The columns come from
//! `chart::layout`, which the HTML report's SVG uses too.

mod bars;
mod plot;
mod rows;

use super::theme::Theme;
use crate::app::State;
use crate::chart::layout::{FIXED_ROWS, slot_width, term_rows, visit_columns, visits_shown};
use crate::chart::{ChartVisit, SeriesChart};
use crate::domain::{Gais, Series};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph};
use unicode_width::UnicodeWidthStr;

pub fn render(state: &State, frame: &mut Frame, body: Rect, theme: &Theme) {
    let Some(st) = state.current_series() else {
        frame.render_widget(Paragraph::new(" No series to chart."), body);
        return;
    };
    let chart = SeriesChart::new(
        &st.series,
        st.sessions
            .iter()
            .enumerate()
            .map(|(i, x)| (i as u32 + 1, x)),
        state.rules.prolonged_erythema_days,
    );
    let inner = Block::bordered().inner(body);
    let Some(g) = Geometry::new(inner, &chart) else {
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .title(format!(" {} ", heading(&st.series)));
        let text = if chart.visits.is_empty() {
            " No session in this series yet: n on the client screen records the first."
        } else {
            " Too small to chart."
        };
        frame.render_widget(Paragraph::new(text).block(block), body);
        return;
    };
    let rows = term_rows(inner.height, g.slot >= 13);
    let window = plot::window(&chart, rows.plot);
    let rows = rows.evened(window);
    frame.render_widget(
        titled_block(st, &chart, &g, window, rows.gais_plot, body),
        body,
    );
    let buf = frame.buffer_mut();
    // Spare rows part the panels (downtime, then GAIS); the rest go on top.
    let gap_bars = rows.pad.min(1);
    let gap_gais = (rows.pad - gap_bars).min(u16::from(rows.gais_plot));
    let mut y = inner.y + rows.pad - gap_bars - gap_gais;
    let mut next = |h: u16| {
        let r = Rect::new(inner.x, y, inner.width, h);
        y += h;
        r
    };
    plot::score(buf, &g, &chart, next(rows.plot), window, theme);
    rows::changes(buf, &g, &chart, next(1), theme);
    rows::axis(buf, &g, &chart, next(1), theme);
    rows::dates(buf, &g, &chart, next(1), theme);
    next(gap_bars);
    let step = bars::heading(buf, &chart, next(1), rows.bars, theme);
    bars::bars(buf, &g, &chart, next(rows.bars), step, theme);
    if rows.bar_values {
        bars::values(buf, &g, &chart, next(1), theme);
    }
    next(gap_gais);
    if rows.gais_plot {
        plot::gais(
            buf,
            &g,
            &chart,
            next(crate::chart::layout::GAIS_PLOT_ROWS),
            theme,
        );
    } else {
        rows::gais_line(buf, &g, &chart, next(1), theme);
    }
}

/// Columns left of the plot: axis labels (`base 6`, `4 d`, `change`) and
/// the axis line.
pub(super) const GUTTER: u16 = 8;

/// Where the shown visits sit across the panel.
pub(super) struct Geometry {
    /// The panel's inner area; the gutter starts at its left edge.
    pub inner: Rect,
    /// The plot's first column and width (right of the gutter).
    pub plot_x: u16,
    pub plot_w: u16,
    /// Index in the chart's visits of the first one shown (the latest
    /// visits are shown when not all fit).
    pub first: usize,
    /// The column of each shown visit, absolute.
    pub cols: Vec<u16>,
    /// Columns each visit has to itself.
    pub slot: u16,
}

impl Geometry {
    fn new(inner: Rect, chart: &SeriesChart) -> Option<Self> {
        // The fixed rows, GAIS and a little of each plot, or nothing.
        if inner.height < FIXED_ROWS + 1 + 4 {
            return None;
        }
        let plot_w = inner.width.checked_sub(GUTTER + 1)?;
        let shown = visits_shown(chart.visits.len(), plot_w);
        if shown == 0 {
            return None;
        }
        let plot_x = inner.x + GUTTER;
        Some(Self {
            inner,
            plot_x,
            plot_w,
            first: chart.visits.len() - shown,
            cols: visit_columns(shown, plot_w)
                .into_iter()
                .map(|c| plot_x + c)
                .collect(),
            slot: slot_width(shown, plot_w),
        })
    }

    /// Each shown visit with its column.
    pub fn shown<'a>(
        &'a self,
        chart: &'a SeriesChart,
    ) -> impl Iterator<Item = (u16, &'a ChartVisit)> + 'a {
        self.cols.iter().copied().zip(&chart.visits[self.first..])
    }

    /// The plot's last column + 1.
    pub fn right(&self) -> u16 {
        self.plot_x + self.plot_w
    }

    /// Writes `text` centred on column `col` of row `y`, kept inside the
    /// plot; returns the column after it.
    pub fn centred(&self, buf: &mut Buffer, col: u16, y: u16, text: &str, style: Style) -> u16 {
        let w = text.width() as u16;
        let x = col
            .saturating_sub(w.saturating_sub(1) / 2)
            .clamp(self.plot_x, self.right().saturating_sub(w).max(self.plot_x));
        let (end, _) = buf.set_stringn(x, y, text, usize::from(self.right() - x), style);
        end
    }

    /// Writes a gutter label, right-aligned against the axis column, and
    /// the axis character `axis` in that column.
    pub fn gutter(&self, buf: &mut Buffer, y: u16, label: &str, style: Style, axis: &str) {
        let room = GUTTER - 1;
        let w = (label.width() as u16).min(room);
        let x = self.inner.x + room - w;
        buf.set_stringn(x, y, label, usize::from(w), style);
        buf.set_string(self.plot_x - 1, y, axis, Style::new());
    }
}

/// "Stretch marks: thighs, abdomen".
fn heading(series: &Series) -> String {
    let s = &series.data;
    let mut concern = s.concern.label().to_string();
    if let Some(first) = concern.get(..1) {
        concern = first.to_uppercase() + &concern[1..];
    }
    if s.zones.is_empty() {
        return concern;
    }
    let zones: Vec<&str> = s.zones.iter().map(|z| z.label()).collect();
    format!("{concern}: {}", zones.join(", "))
}

/// The panel's border with its titles: what is charted and the trend on
/// the left, the scale on the right; below, which way is better (and the
/// part of the scale shown) and the GAIS legend. Each is shortened, then
/// left out, until the pair fits.
fn titled_block(
    st: &crate::db::SeriesTree,
    chart: &SeriesChart,
    g: &Geometry,
    window: (u8, u8),
    gais_plot: bool,
    body: Rect,
) -> Block<'static> {
    // Corners, a space each side of both titles, and a dash between them.
    let room = usize::from(body.width.saturating_sub(7));
    let scale = chart.scale.label().to_string();
    let texts = top_texts(st, chart, g);
    // The scale's name goes on top only beside the series' name and a
    // verdict (the first three texts); else it goes below.
    let top: Vec<(String, String)> = texts
        .iter()
        .take(3)
        .map(|t| (t.clone(), scale.clone()))
        .chain(texts.iter().map(|t| (t.clone(), String::new())))
        .collect();
    let (top_left, top_right) = best_pair(&top, room);
    let (lo, hi) = chart.scale.range();
    let better = "lower is better";
    let mut lefts = Vec::new();
    if window != (lo, hi) {
        lefts.push(format!("{better} · showing {}–{}", window.0, window.1));
    }
    lefts.push(better.to_string());
    if top_right.is_empty() {
        lefts = lefts.into_iter().map(|l| format!("{scale}, {l}")).collect();
    }
    let grades = Gais::scale_text();
    let gais: Vec<String> = if gais_plot {
        vec![String::new()]
    } else {
        vec![
            format!("GAIS clinician/client: {grades}"),
            format!("GAIS c/cl: {grades}"),
            "GAIS c/cl".to_string(),
            String::new(),
        ]
    };
    let bottom: Vec<(String, String)> = gais
        .iter()
        .flat_map(|r| lefts.iter().map(move |l| (l.clone(), r.clone())))
        .collect();
    let (bottom_left, bottom_right) = best_pair(&bottom, room);
    let mut block = Block::bordered().border_type(BorderType::Rounded);
    for (text, bottom, right) in [
        (top_left, false, false),
        (top_right, false, true),
        (bottom_left, true, false),
        (bottom_right, true, true),
    ] {
        if text.is_empty() {
            continue;
        }
        let mut line = Line::from(format!(" {text} "));
        if right {
            line = line.right_aligned();
        }
        block = if bottom {
            block.title_bottom(line)
        } else {
            block.title(line)
        };
    }
    block
}

/// The chart's name and trend, fullest first: with the zones and how long
/// it took, down to the change alone.
fn top_texts(st: &crate::db::SeriesTree, chart: &SeriesChart, g: &Geometry) -> Vec<String> {
    let full = heading(&st.series);
    let concern = full.split(':').next().unwrap_or_default().to_string();
    let trends = match (chart.baseline, chart.trend()) {
        (None, _) => vec!["no baseline score, so no change to show".to_string()],
        (Some(_), None) => vec!["no score recorded yet".to_string()],
        (Some(_), Some(t)) => vec![
            t.long_text(),
            format!("{}, {}", t.text(), t.verdict()),
            t.text(),
            t.change.text(),
        ],
    };
    let mut out = Vec::new();
    if let [long, with_verdict, ..] = trends.as_slice() {
        out.push(format!("{full} · {long}"));
        out.push(format!("{concern} · {long}"));
        out.push(format!("{concern} · {with_verdict}"));
    }
    out.extend(trends.iter().map(|t| format!("{concern} · {t}")));
    out.extend(trends);
    if g.first > 0 {
        let (first, last) = (g.first + 1, chart.visits.len());
        out = out
            .into_iter()
            .map(|t| format!("{t} · visits {first}–{last} of {last}"))
            .collect();
    }
    out
}

/// The first pair of titles whose widths add up to at most `room`.
fn best_pair(pairs: &[(String, String)], room: usize) -> (String, String) {
    pairs
        .iter()
        .find(|(l, r)| l.width() + r.width() <= room)
        .cloned()
        .unwrap_or_default()
}
