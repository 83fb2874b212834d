//! The inline SVG chart of the HTML report, the terminal chart's design on
//! paper: the outcome score per visit against a dashed, labelled baseline;
//! under it the change from baseline, the visit numbers (`!` for an
//! adverse event) and dates; the downtime bars on the same x positions
//! (`chart::layout::visit_centres`) on a scale of days, with the line past
//! which redness is prolonged; GAIS by clinician and by client. As wide as
//! the page (viewBox, width 100%). Plain SVG 1.1 elements, no scripts, no
//! external references; every text escaped.

use super::report::SeriesReport;
use crate::chart::layout::{tick_step, visit_centres};
use crate::chart::{ChartVisit, DOWNTIME, SeriesChart, change_form, days_text};
use crate::domain::Gais;
use std::fmt::Write;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    super::escape_with(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        // Control characters other than tab and line ends are not
        // allowed in XML 1.0 at all.
        c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => Some(""),
        _ => None,
    })
}

/// The drawing's width in its own units: about the report's column in
/// pixels, so 11-unit text reads as 11 px on screen.
const WIDTH: f64 = 960.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 16.0;
const SCORE_TOP: f64 = 40.0;
const SCORE_HEIGHT: f64 = 170.0;
/// Change, visit number and date rows under the score plot.
const ROW: f64 = 17.0;
const DOWN_HEIGHT: f64 = 100.0;
const GAIS_ROW: f64 = 14.0;
/// About the width of a character of 11-unit text.
const CHAR_W: f64 = 6.6;

const SCORE: &str = "#1f4e79";
const BASELINE: &str = "#777";
const BETTER: &str = "#1e7b34";
const WORSE: &str = "#b9770e";
const ALERT: &str = "#c0392b";
const COLOURS: [&str; 3] = ["#c0392b", "#2e86c1", "#b7950b"];
const CLIENT: &str = "#2e8b57";

fn n(x: f64) -> String {
    let t = format!("{x:.1}");
    t.strip_suffix(".0").map_or(t.clone(), str::to_string)
}

/// Where everything goes, top down.
struct Geom {
    xs: Vec<f64>,
    slot: f64,
    lo: f64,
    hi: f64,
    /// Top of the change row; visit numbers and dates follow.
    rows: f64,
    down_top: f64,
    down_top_days: f64,
    /// Top of the GAIS panel, when there is one.
    gais_top: Option<f64>,
    height: f64,
}

impl Geom {
    fn new(chart: &SeriesChart) -> Self {
        let plot = WIDTH - LEFT - RIGHT;
        let count = chart.visits.len();
        let xs = visit_centres(count, plot)
            .into_iter()
            .map(|x| LEFT + x)
            .collect();
        let (lo, hi) = chart.scale.range();
        let rows = SCORE_TOP + SCORE_HEIGHT + 8.0;
        let down_top = rows + 3.0 * ROW + 34.0;
        let top = chart.max_downtime().max(4.0);
        let tick = tick_step(top, 4);
        let down_bottom = down_top + DOWN_HEIGHT + ROW;
        let gais_top = chart.has_gais().then_some(down_bottom + 30.0);
        let height = gais_top.map_or(down_bottom, |t| t + 5.0 * GAIS_ROW + 6.0) + 8.0;
        Self {
            xs,
            slot: plot / count.max(1) as f64,
            lo: f64::from(lo),
            hi: f64::from(hi),
            rows,
            down_top,
            down_top_days: (top / tick).ceil() * tick,
            gais_top,
            height,
        }
    }

    fn score_y(&self, score: f64) -> f64 {
        SCORE_TOP + (self.hi - score) / (self.hi - self.lo) * SCORE_HEIGHT
    }

    fn days_y(&self, days: f64) -> f64 {
        self.down_top + DOWN_HEIGHT * (1.0 - days / self.down_top_days)
    }

    /// Characters of 11-unit text a visit's slot holds.
    fn slot_chars(&self) -> usize {
        (self.slot / CHAR_W) as usize
    }

    fn shown<'a>(&'a self, chart: &'a SeriesChart) -> impl Iterator<Item = (f64, &'a ChartVisit)> {
        self.xs.iter().copied().zip(&chart.visits)
    }
}

// Text takes its size from the report's style sheet: `panel` (headings),
// `tick` (grey axis text) and `label` (text in a colour of its own, which
// a class's fill would override).

/// `<text>` at (`x`, `y`) with attributes `attrs` (already safe) and
/// `text` escaped.
fn text(out: &mut String, x: f64, y: f64, attrs: &str, text: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" {attrs}>{}</text>"#,
        n(x),
        n(y),
        xml_escape(text)
    );
}

/// A horizontal line across the plot at `y`.
fn hline(out: &mut String, y: f64, attrs: &str) {
    let yy = n(y);
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{yy}" x2="{}" y2="{yy}" {attrs}/>"#,
        n(LEFT),
        n(WIDTH - RIGHT)
    );
}

/// The chart for one series, or None when it has no session in scope.
pub fn series_chart(s: &SeriesReport<'_>) -> Option<String> {
    if s.visits.is_empty() {
        return None;
    }
    let chart = SeriesChart::new(
        &s.scoped.series,
        s.visits.iter().map(|v| (v.number, v.session)),
        s.prolonged_after,
    );
    let g = Geom::new(&chart);
    let mut out = String::new();
    let label = format!("Outcome score and downtime per session: {}", s.heading());
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{a}">"#,
        w = n(WIDTH),
        h = n(g.height),
        a = xml_escape(&label)
    );
    let _ = write!(out, "<title>{}</title>", xml_escape(&label));
    heading(&mut out, &chart);
    score_panel(&mut out, &chart, &g);
    visit_rows(&mut out, &chart, &g);
    downtime_panel(&mut out, &chart, &g);
    gais_panel(&mut out, &chart, &g);
    out.push_str("</svg>");
    Some(out)
}

/// The scale on the left, the trend on the right.
fn heading(out: &mut String, chart: &SeriesChart) {
    let scale = format!("Outcome score · {}, lower is better", chart.scale.label());
    text(out, LEFT, 16.0, r#"class="panel""#, &scale);
    let trend = match (chart.baseline, chart.trend()) {
        (None, _) => "no baseline score, so no change to show".to_string(),
        (Some(_), None) => "no score recorded yet".to_string(),
        (Some(_), Some(t)) => t.long_text(),
    };
    text(
        out,
        WIDTH - RIGHT,
        16.0,
        r#"class="panel trend" text-anchor="end""#,
        &trend,
    );
}

/// Grid and scale, the dashed baseline named in the margin, the score
/// line and a point per scored visit.
fn score_panel(out: &mut String, chart: &SeriesChart, g: &Geom) {
    let step = if g.hi - g.lo > 5.0 { 2.0 } else { 1.0 };
    let mut tick = g.lo;
    while tick <= g.hi {
        let y = g.score_y(tick);
        hline(out, y, r##"stroke="#e3e3e3" stroke-width="1""##);
        if chart.baseline.map(f64::from) != Some(tick) {
            text(
                out,
                LEFT - 8.0,
                y + 4.0,
                r#"class="tick" text-anchor="end""#,
                &n(tick),
            );
        }
        tick += step;
    }
    if let Some(b) = chart.baseline {
        let y = g.score_y(f64::from(b));
        hline(
            out,
            y,
            &format!(
                r#"class="baseline" stroke="{BASELINE}" stroke-width="1.5" stroke-dasharray="6 4""#
            ),
        );
        text(
            out,
            LEFT - 8.0,
            y + 4.0,
            &format!(r#"class="label baseline-label" text-anchor="end" fill="{BASELINE}""#),
            &format!("baseline {b}"),
        );
    }
    let scored: Vec<(f64, u8, &ChartVisit)> = g
        .shown(chart)
        .filter_map(|(x, v)| v.score.map(|s| (x, s, v)))
        .collect();
    if scored.is_empty() {
        let y = SCORE_TOP + SCORE_HEIGHT / 2.0;
        text(out, LEFT + 8.0, y, r#"class="tick""#, "no scores recorded");
        return;
    }
    let points: Vec<String> = scored
        .iter()
        .map(|&(x, s, _)| format!("{},{}", n(x), n(g.score_y(f64::from(s)))))
        .collect();
    let _ = write!(
        out,
        r#"<polyline class="score" points="{}" fill="none" stroke="{SCORE}" stroke-width="2.5"/>"#,
        points.join(" ")
    );
    for (x, s, v) in scored {
        let change = v
            .change
            .map_or_else(String::new, |c| format!(", {}", c.text()));
        let _ = write!(
            out,
            r##"<circle class="score-point" data-visit="{}" cx="{}" cy="{}" r="5" fill="{SCORE}" stroke="#fff" stroke-width="1.5"><title>Session {}, {}: score {s}{}</title></circle>"##,
            v.number,
            n(x),
            n(g.score_y(f64::from(s))),
            v.number,
            v.date,
            xml_escape(&change)
        );
    }
}

/// Under the score plot, on each visit's x: its change from baseline,
/// its number (with `!` after an adverse event) and its date.
fn visit_rows(out: &mut String, chart: &SeriesChart, g: &Geom) {
    let (change_y, number_y, date_y) = (
        g.rows + 12.0,
        g.rows + ROW + 12.0,
        g.rows + 2.0 * ROW + 12.0,
    );
    let room = g.slot_chars().saturating_sub(1);
    let form = change_form(chart.visits.iter().filter_map(|v| v.change.as_ref()), room);
    if chart.baseline.is_some() {
        text(
            out,
            LEFT - 8.0,
            change_y,
            r#"class="tick" text-anchor="end""#,
            "change",
        );
    }
    text(
        out,
        LEFT - 8.0,
        number_y,
        r#"class="tick" text-anchor="end""#,
        "session",
    );
    hline(out, g.rows, r##"stroke="#999" stroke-width="1""##);
    for (x, v) in g.shown(chart) {
        if let (Some(c), Some(form)) = (v.change, form) {
            let colour = if c.better() {
                BETTER
            } else if c.worse() {
                WORSE
            } else {
                "#555"
            };
            let attrs = format!(
                r#"class="label change" data-visit="{}" text-anchor="middle" fill="{colour}""#,
                v.number
            );
            text(out, x, change_y, &attrs, &c.forms()[form]);
        }
        let number = format!("#{}", v.number);
        let attrs = format!(
            r#"class="label visit" data-visit="{}" text-anchor="middle" font-weight="600""#,
            v.number
        );
        text(out, x, number_y, &attrs, &number);
        if !v.adverse.is_empty() {
            let ax = x + number.len() as f64 * CHAR_W / 2.0 + 6.0;
            let _ = write!(
                out,
                r#"<text class="label adverse" data-visit="{}" x="{}" y="{}" fill="{ALERT}" font-weight="700">!<title>{}</title></text>"#,
                v.number,
                n(ax),
                n(number_y),
                xml_escape(&format!("Session {}: {}", v.number, v.adverse.join("; ")))
            );
        }
        let date = if g.slot_chars() >= 11 {
            v.date.to_string()
        } else {
            v.date_label(g.slot_chars() as u16).unwrap_or_default()
        };
        text(
            out,
            x,
            date_y,
            r#"class="tick" text-anchor="middle""#,
            &date,
        );
    }
}

/// Redness, swelling and peeling as three bars centred on each visit's
/// x, on a scale of days, with the line past which redness is prolonged.
fn downtime_panel(out: &mut String, chart: &SeriesChart, g: &Geom) {
    legend(out, chart, g.down_top - 14.0);
    days_scale(out, g, chart.prolonged_after);
    let top = g.down_top_days;
    // Bars a fifth of the slot wide; spread to carry their days under
    // them (four characters apart) when the slot has room for that.
    let bar = (g.slot / 5.0).clamp(3.0, 16.0);
    let spread = 4.0 * CHAR_W;
    let values = g.slot >= 3.0 * spread + 2.0 * CHAR_W;
    let pitch = if values {
        spread.max(bar + 3.0)
    } else {
        bar + 3.0
    };
    for (x, v) in g.shown(chart) {
        for (k, (days, (name, _))) in v.downtime.iter().zip(DOWNTIME).enumerate() {
            let centre = x + (k as f64 - 1.0) * pitch;
            let bottom = g.days_y(0.0);
            let Some(days) = days else {
                text(
                    out,
                    centre,
                    bottom - 2.0,
                    r#"class="tick not-reported" text-anchor="middle""#,
                    "·",
                );
                continue;
            };
            let y = g.days_y(days.days().min(top));
            let _ = write!(
                out,
                r#"<rect class="downtime" data-visit="{}" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>Session {}: {name} {} days</title></rect>"#,
                v.number,
                n(centre - bar / 2.0),
                n(y),
                n(bar),
                n(bottom - y),
                COLOURS[k],
                v.number,
                days
            );
            if values {
                text(
                    out,
                    centre,
                    bottom + 13.0,
                    r#"class="tick" text-anchor="middle""#,
                    &days.to_string(),
                );
            }
        }
    }
}

/// The axis in days and the line past which redness is prolonged.
fn days_scale(out: &mut String, g: &Geom, prolonged_after: u8) {
    let top = g.down_top_days;
    let tick = tick_step(top, 4);
    let mut t = 0.0;
    while t <= top {
        hline(out, g.days_y(t), r##"stroke="#e3e3e3" stroke-width="1""##);
        let label = format!("{} d", days_text(t));
        text(
            out,
            LEFT - 8.0,
            g.days_y(t) + 4.0,
            r#"class="tick" text-anchor="end""#,
            &label,
        );
        t += tick;
    }
    let limit = f64::from(prolonged_after);
    if limit <= top {
        let y = g.days_y(limit);
        hline(
            out,
            y,
            &format!(
                r#"class="threshold" stroke="{ALERT}" stroke-width="1" stroke-dasharray="3 3""#
            ),
        );
        let label = format!("redness past {prolonged_after} days: prolonged");
        let attrs = format!(r#"class="label threshold-label" text-anchor="end" fill="{ALERT}""#);
        text(out, WIDTH - RIGHT, y - 4.0, &attrs, &label);
    }
}

/// "Downtime (days): ■ redness ■ swelling ■ peeling · ! adverse event".
fn legend(out: &mut String, chart: &SeriesChart, y: f64) {
    text(out, LEFT, y, r#"class="panel""#, "Downtime reported (days)");
    let mut x = LEFT + 200.0;
    for (k, (name, _)) in DOWNTIME.iter().enumerate() {
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="10" height="10" fill="{}"/>"#,
            n(x),
            n(y - 9.0),
            COLOURS[k]
        );
        text(out, x + 14.0, y, r#"class="tick""#, name);
        x += 24.0 + name.len() as f64 * CHAR_W;
    }
    if chart.visits.iter().any(|v| !v.adverse.is_empty()) {
        let attrs = format!(r#"class="label" fill="{ALERT}" font-weight="700""#);
        text(out, x + 6.0, y, &attrs, "!");
        text(
            out,
            x + 16.0,
            y,
            r#"class="tick""#,
            "adverse event after that session",
        );
    }
}

/// GAIS per visit, 1 (very much improved) at the bottom like the best
/// scores: the clinician's dot left of the visit's x, the client's ring
/// right of it.
fn gais_panel(out: &mut String, chart: &SeriesChart, g: &Geom) {
    let Some(top) = g.gais_top else { return };
    text(
        out,
        LEFT,
        top - 12.0,
        r#"class="panel""#,
        "GAIS, lower is better",
    );
    let _ = write!(
        out,
        r##"<circle cx="{}" cy="{}" r="4" fill="{SCORE}"/><circle cx="{}" cy="{}" r="4" fill="#fff" stroke="{CLIENT}" stroke-width="2"/>"##,
        n(LEFT + 180.0),
        n(top - 16.0),
        n(LEFT + 262.0),
        n(top - 16.0)
    );
    text(
        out,
        LEFT + 188.0,
        top - 12.0,
        r#"class="tick""#,
        "clinician",
    );
    text(out, LEFT + 270.0, top - 12.0, r#"class="tick""#, "client");
    text(
        out,
        LEFT + 320.0,
        top - 12.0,
        r#"class="tick""#,
        &Gais::scale_text(),
    );
    let y_of = |grade: u8| top + f64::from(Gais::MAX - grade) * GAIS_ROW + GAIS_ROW / 2.0;
    for grade in Gais::MIN..=Gais::MAX {
        hline(out, y_of(grade), r##"stroke="#eee" stroke-width="1""##);
        text(
            out,
            LEFT - 8.0,
            y_of(grade) + 4.0,
            r#"class="tick" text-anchor="end""#,
            &grade.to_string(),
        );
    }
    for (x, v) in g.shown(chart) {
        for (who, grade, dx) in [("clinician", v.gais[0], -5.0), ("client", v.gais[1], 5.0)] {
            let Some(grade) = grade else { continue };
            let paint = if who == "clinician" {
                format!(r#"fill="{SCORE}""#)
            } else {
                format!(r##"fill="#fff" stroke="{CLIENT}" stroke-width="2""##)
            };
            let _ = write!(
                out,
                r#"<circle class="gais-{who}" data-visit="{}" cx="{}" cy="{}" r="4" {paint}><title>Session {}: GAIS by the {who} {grade}</title></circle>"#,
                v.number,
                n(x + dx),
                n(y_of(grade)),
                v.number
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_controls() {
        assert_eq!(
            xml_escape("<a href=\"x\">O'Brien & Co</a>\u{7}"),
            "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; Co&lt;/a&gt;"
        );
        assert_eq!(n(1.0), "1");
        assert_eq!(n(2.26), "2.3");
    }
}
