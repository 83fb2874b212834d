//! The progress chart of one series: outcome score per visit against the
//! baseline, downtime per session, GAIS per visit.

use super::theme::Theme;
use crate::app::State;
use crate::db::SeriesTree;
use crate::domain::{Days, cumulative_progress};
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
    let [score, downtime, gais] = Layout::vertical([
        Constraint::Fill(5),
        Constraint::Fill(4),
        Constraint::Length(5),
    ])
    .areas(body);
    score_chart(st, frame, score, theme);
    downtime_chart(st, frame, downtime, theme);
    gais_table(st, frame, gais, theme);
}

fn score_chart(st: &SeriesTree, frame: &mut Frame, area: Rect, theme: &Theme) {
    let s = &st.series.data;
    let (lo, hi) = s.outcome_scale.range();
    let visits: Vec<_> = st
        .sessions
        .iter()
        .map(|x| (x.data.performed_at.date(), x.data.outcome_score))
        .collect();
    let progress = cumulative_progress(s.baseline_score, &visits);
    let points: Vec<(f64, f64)> = st
        .sessions
        .iter()
        .enumerate()
        .filter_map(|(i, x)| x.data.outcome_score.map(|v| ((i + 1) as f64, f64::from(v))))
        .collect();
    let n = st.sessions.len().max(1) as f64;
    let baseline: Vec<(f64, f64)> = s
        .baseline_score
        .map_or_else(Vec::new, |b| vec![(0.0, f64::from(b)), (n, f64::from(b))]);
    let mut sets = Vec::new();
    if !baseline.is_empty() {
        sets.push(
            Dataset::default()
                .name("baseline")
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
            .name("score")
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
    let latest = progress.last().map_or_else(
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
    );
    let title = format!(" Outcome · {} · {latest} ", s.concern.label());
    // Each visit's label carries its score and change, so the values can be
    // read exactly even where the plot is coarse.
    let x_labels: Vec<Span> = (0..=st.sessions.len())
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
        .collect();
    let chart = Chart::new(sets)
        .block(
            Block::bordered()
                .border_type(BorderType::Rounded)
                .title(title),
        )
        .x_axis(
            Axis::default()
                .title("visit")
                .bounds([0.0, n])
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .title(format!("{} · lower is better", s.outcome_scale.label()))
                .bounds([f64::from(lo), f64::from(hi)])
                .labels(axis_labels(lo, hi)),
        );
    frame.render_widget(chart, area);
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
    let p = Paragraph::new(vec![
        Line::from(visit),
        Line::from(clin),
        Line::from(client),
    ])
    .block(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .title(" GAIS: 1 very much improved · 3 improved · 4 no change · 5 worse "),
    );
    frame.render_widget(p, area);
}

/// Every score for short scales (1–4, 0–5), else the ends and the middle.
fn axis_labels(lo: u8, hi: u8) -> Vec<String> {
    if hi - lo <= 5 {
        (lo..=hi).map(|v| v.to_string()).collect()
    } else {
        vec![lo.to_string(), ((lo + hi) / 2).to_string(), hi.to_string()]
    }
}
