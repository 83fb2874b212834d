//! The progress chart of one series: outcome score per visit against the
//! baseline, downtime per session, GAIS per visit.

use super::theme::Theme;
use crate::app::State;
use crate::db::SeriesTree;
use crate::domain::{Days, Gais, ProgressPoint, progress_of};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, BorderType, Chart, Dataset, GraphType, Paragraph,
};

pub fn render(state: &State, frame: &mut Frame, body: Rect, theme: &Theme) {
    let Some(st) = state.current_series() else {
        frame.render_widget(Paragraph::new(" No series to chart."), body);
        return;
    };
    // Five ninths of the room for the scores, four for downtime; more for
    // the scores when a row per score needs it (Lemperle's six at 80×24).
    let (lo, hi) = st.series.data.outcome_scale.range();
    let rest = body.height.saturating_sub(GAIS_HEIGHT);
    let wanted = label_count(lo, hi, u16::MAX) + SCORE_FRAME;
    let score_h = (rest * 5 / 9).max(wanted.min(rest.saturating_sub(DOWNTIME_MIN)));
    let [score, downtime, gais] = Layout::vertical([
        Constraint::Length(score_h),
        Constraint::Fill(1),
        Constraint::Length(GAIS_HEIGHT),
    ])
    .areas(body);
    score_chart(st, frame, score, theme);
    downtime_chart(st, frame, downtime, theme);
    gais_table(st, frame, gais, theme);
}

const GAIS_HEIGHT: u16 = 5;
const DOWNTIME_MIN: u16 = 6;
/// The score chart's rows that are not plot: border, visit labels, x axis.
const SCORE_FRAME: u16 = 4;

fn score_chart(st: &SeriesTree, frame: &mut Frame, area: Rect, theme: &Theme) {
    let s = &st.series.data;
    let (lo, hi) = s.outcome_scale.range();
    let progress = progress_of(s.baseline_score, &st.sessions);
    let rows = plot_rows(area);
    let y = |v: u8| on_label_row(v, lo, hi, rows);
    let points: Vec<(f64, f64)> = st
        .sessions
        .iter()
        .enumerate()
        .filter_map(|(i, x)| x.data.outcome_score.map(|v| ((i + 1) as f64, y(v))))
        .collect();
    let n = st.sessions.len().max(1) as f64;
    let baseline: Vec<(f64, f64)> = s
        .baseline_score
        .map_or_else(Vec::new, |b| vec![(0.0, y(b)), (n, y(b))]);
    let mut sets = Vec::new();
    if !baseline.is_empty() {
        sets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(if theme.color() {
                    Style::new().fg(Color::DarkGray)
                } else {
                    Style::new()
                })
                .data(&baseline),
        );
    }
    let score_style = if theme.color() {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new()
    };
    // A fine line between visits, and a solid mark on each scored visit.
    sets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(score_style)
            .data(&points),
    );
    sets.push(
        Dataset::default()
            .marker(Marker::Block)
            .graph_type(GraphType::Scatter)
            .style(score_style)
            .data(&points),
    );
    let latest = latest_change(&progress);
    let title = format!(" Outcome · {} · {latest} ", s.concern.label());
    let x_labels = visit_labels(st, &progress);
    // The scale is named under the plot, not in it, and the datasets have
    // no names (no legend): the widget draws axis titles and a legend over
    // the plot's corners, where they hid a first visit at the top of the
    // scale or a last one at the bottom. The baseline's value is the first
    // visit label ("base 3").
    let scale = format!(" {} · lower is better ", s.outcome_scale.label());
    let chart = Chart::new(sets)
        .block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .title(title)
                .title_bottom(scale),
        )
        .x_axis(Axis::default().bounds([0.0, n]).labels(x_labels))
        .y_axis(
            Axis::default()
                .bounds([f64::from(lo), f64::from(hi)])
                .labels(axis_labels(lo, hi, rows)),
        );
    frame.render_widget(chart, area);
}

/// The latest scored visit against the baseline, for the chart's title.
fn latest_change(progress: &[ProgressPoint]) -> String {
    progress.last().map_or_else(
        || "no scored visit yet".to_string(),
        |p| {
            let pct = p
                .improvement_pct
                .map_or_else(String::new, |v| format!(" ({v:+.0}%)"));
            let pts = p.improvement_points;
            format!(
                "{pts:+} pt{} vs baseline{pct}",
                if pts.abs() == 1 { "" } else { "s" }
            )
        },
    )
}

/// Each visit's label carries its score and change, so the values can be
/// read exactly even where the plot is coarse; the first is the baseline.
fn visit_labels(st: &SeriesTree, progress: &[ProgressPoint]) -> Vec<Span<'static>> {
    let s = &st.series.data;
    (0..=st.sessions.len())
        .map(|i| {
            if i == 0 {
                return Span::raw(
                    s.baseline_score
                        .map_or_else(|| "base".into(), |b| format!("base {b}")),
                );
            }
            let p = progress.iter().find(|p| p.visit as usize == i);
            let score = st.sessions[i - 1].data.outcome_score;
            Span::raw(match (score, p.and_then(|p| p.improvement_pct)) {
                (Some(v), Some(pct)) => format!("#{i} {v} {pct:+.0}%"),
                (Some(v), None) => format!("#{i} {v}"),
                (None, _) => format!("#{i} —"),
            })
        })
        .collect()
}

/// How many rows the chart widget gives its plot inside `area`: all but the
/// border, the row of visit labels and the x axis (at least one).
fn plot_rows(area: Rect) -> u16 {
    area.height.saturating_sub(SCORE_FRAME).max(1)
}

/// The height at which the chart draws the score `v` so that it lands on
/// the row of its axis label. The widget puts label `i` of `n` on row
/// ⌊i·(rows−1)/(n−1)⌋ from the bottom but rounds a point to the nearest row,
/// which put some scores a row above their label. Every score goes to row
/// ⌊(v−lo)·(rows−1)/(hi−lo)⌋ — a labelled score exactly its label's row,
/// one between labels proportionally between them — placed at that row's
/// exact height so that rounding keeps it there.
fn on_label_row(v: u8, lo: u8, hi: u8, rows: u16) -> f64 {
    let span = u32::from(rows.saturating_sub(1));
    let range = u32::from(hi.saturating_sub(lo));
    if span == 0 || range == 0 {
        return f64::from(v);
    }
    let row = u32::from(v.clamp(lo, hi) - lo) * span / range;
    f64::from(lo) + f64::from(row) * f64::from(range) / f64::from(span)
}

fn halves(d: Option<Days>) -> u64 {
    d.map_or(0, |d| u64::from(d.halves()))
}

fn downtime_chart(st: &SeriesTree, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner_w = area.width.saturating_sub(2);
    let count = st.sessions.len().max(1) as u16;
    // Three bars and a gap per session; shrink bars to fit narrow screens.
    let bar_w = (inner_w / count).saturating_sub(1) / 3;
    let bar_w = bar_w.clamp(1, 4);
    let style = |c: Color| {
        if theme.color() {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    };
    let mut chart = BarChart::default()
        .block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .title(" Downtime per session, days: R redness · S swelling · P peeling "),
        )
        .bar_width(bar_w)
        .bar_gap(0)
        .group_gap(1);
    for (i, x) in st.sessions.iter().enumerate() {
        let f = &x.data.followup;
        let bar = |label: &str, d: Option<Days>, c: Color| {
            Bar::default()
                .value(halves(d))
                .text_value(d.map_or_else(|| "·".into(), |d| d.to_string()))
                .label(Line::from(if bar_w >= 2 {
                    label.to_string()
                } else {
                    String::new()
                }))
                .style(style(c))
        };
        let group = BarGroup::default()
            .label(Line::from(format!("{}", i + 1)))
            .bars(&[
                bar("R", f.redness_days, Color::Red),
                bar("S", f.swelling_days, Color::Yellow),
                bar("P", f.peeling_days, Color::Magenta),
            ]);
        chart = chart.data(group);
    }
    frame.render_widget(chart, area);
}

fn gais_table(st: &SeriesTree, frame: &mut Frame, area: Rect, theme: &Theme) {
    let cell = |v: Option<u8>| v.map_or_else(|| " —".into(), |v| format!("{v:>2}"));
    let mut visit = vec![Span::styled("visit     ", theme.dim())];
    let mut clin = vec![Span::styled("clinician ", theme.dim())];
    let mut client = vec![Span::styled("client    ", theme.dim())];
    for (i, x) in st.sessions.iter().enumerate() {
        visit.push(Span::raw(format!("{:>3}", i + 1)));
        clin.push(Span::raw(format!(
            " {}",
            cell(x.data.gais_clinician.map(|g| g.value()))
        )));
        client.push(Span::raw(format!(
            " {}",
            cell(x.data.gais_client.map(|g| g.value()))
        )));
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" GAIS per visit ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // The grades' meanings beside the table, wrapped to the room left (never
    // less than fits them in the table's three lines).
    let table_w = 10 + 3 * st.sessions.len() as u16;
    let legend_w = inner
        .width
        .saturating_sub(table_w + 2)
        .max(GAIS_LEGEND_MIN)
        .min(inner.width);
    let [table, legend] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(legend_w)])
        .spacing(2)
        .areas(inner);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(visit),
            Line::from(clin),
            Line::from(client),
        ]),
        table,
    );
    let lines: Vec<Line> = gais_legend(usize::from(legend_w))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.dim())))
        .collect();
    frame.render_widget(Paragraph::new(lines), legend);
}

/// The narrowest legend that still fits all five grades in three lines.
const GAIS_LEGEND_MIN: u16 = 28;

/// Every GAIS grade with its meaning ("2 much improved"), packed into lines
/// of at most `width` characters; a grade is never split.
fn gais_legend(width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for v in 1..=5 {
        let Ok(g) = Gais::new("GAIS", v) else {
            continue;
        };
        let item = format!("{v} {}", g.label());
        match lines.last_mut() {
            Some(line) if width_of(line) + 3 + width_of(&item) <= width => {
                line.push_str(" · ");
                line.push_str(&item);
            }
            _ => lines.push(item),
        }
    }
    lines
}

fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// How many axis labels a scale gets in a plot of `rows` rows: every score
/// when each has a row of its own, else the ends and, when the scale has an
/// exact middle, the middle (both fall on the rows `on_label_row` gives).
fn label_count(lo: u8, hi: u8, rows: u16) -> u16 {
    let every = u16::from(hi - lo) + 1;
    if rows >= every {
        every
    } else if (hi - lo).is_multiple_of(2) && rows >= 3 {
        3
    } else {
        2
    }
}

fn axis_labels(lo: u8, hi: u8, rows: u16) -> Vec<String> {
    match label_count(lo, hi, rows) {
        2 => vec![lo.to_string(), hi.to_string()],
        3 => vec![lo.to_string(), ((lo + hi) / 2).to_string(), hi.to_string()],
        _ => (lo..=hi).map(|v| v.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gais_legend_lists_every_grade_whole() {
        for width in [GAIS_LEGEND_MIN as usize, 40, 54, 200] {
            let lines = gais_legend(width);
            let text = lines.join(" · ");
            assert_eq!(
                text,
                "1 very much improved · 2 much improved · 3 improved · 4 no change · 5 worse"
            );
            assert!(lines.iter().all(|l| width_of(l) <= width), "{lines:?}");
        }
        assert_eq!(gais_legend(GAIS_LEGEND_MIN as usize).len(), 3);
    }

    #[test]
    fn every_score_lands_on_its_labels_row() {
        // The chart widget's label row: ⌊i·(rows−1)/(n−1)⌋ from the bottom.
        for (lo, hi) in [(1u8, 4u8), (0, 5), (0, 10)] {
            for rows in 2..60u16 {
                let labels: Vec<u8> = axis_labels(lo, hi, rows)
                    .iter()
                    .map(|l| l.parse().unwrap())
                    .collect();
                let n = labels.len() as u32;
                let span = f64::from(rows - 1);
                for (i, &v) in labels.iter().enumerate() {
                    let label_row = i as u32 * u32::from(rows - 1) / (n - 1);
                    // The widget's point row, from the bottom: the nearest.
                    let y = on_label_row(v, lo, hi, rows);
                    let from_top = ((f64::from(hi) - y) * span / f64::from(hi - lo)).round();
                    let point_row = span - from_top;
                    assert_eq!(
                        point_row,
                        f64::from(label_row),
                        "{lo}–{hi} {v} in {rows} rows"
                    );
                }
            }
        }
    }
}
