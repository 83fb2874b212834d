//! The inline SVG chart of the HTML report: the outcome score per visit
//! against the baseline, and the downtime reported after each session.
//! Plain SVG 1.1 elements only, no scripts, no external references.

use super::report::SeriesReport;
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

const WIDTH: f64 = 640.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const SCORE_TOP: f64 = 30.0;
const SCORE_HEIGHT: f64 = 120.0;
const DOWN_TOP: f64 = 200.0;
const DOWN_HEIGHT: f64 = 80.0;
const HEIGHT: f64 = 312.0;

const REDNESS: &str = "#c0392b";
const SWELLING: &str = "#2e86c1";
const PEELING: &str = "#b7950b";
const SCORE: &str = "#1f4e79";

fn n(x: f64) -> String {
    let t = format!("{x:.1}");
    t.strip_suffix(".0").map_or(t.clone(), str::to_string)
}

/// Where visit `i` of `k` sits across the plot.
struct Columns {
    slot: f64,
}

impl Columns {
    fn new(visits: usize) -> Self {
        Self {
            slot: (WIDTH - LEFT - RIGHT) / visits as f64,
        }
    }

    fn x(&self, i: usize) -> f64 {
        LEFT + self.slot * (i as f64 + 0.5)
    }
}

const DOWNTIME: [(&str, &str); 3] = [
    ("redness", REDNESS),
    ("swelling", SWELLING),
    ("peeling", PEELING),
];

/// A horizontal grid line across the plot at `y`, labelled `value` on the left.
fn grid_line(out: &mut String, y: f64, value: f64) {
    let yy = n(y);
    let _ = write!(
        out,
        r##"<line x1="{}" y1="{yy}" x2="{}" y2="{yy}" stroke="#ddd" stroke-width="1"/><text x="{}" y="{}" text-anchor="end" class="tick">{}</text>"##,
        n(LEFT),
        n(WIDTH - RIGHT),
        n(LEFT - 6.0),
        n(y + 4.0),
        n(value)
    );
}

/// The chart for one series, or None when it has no session in scope.
pub fn series_chart(s: &SeriesReport<'_>) -> Option<String> {
    if s.visits.is_empty() {
        return None;
    }
    let cols = Columns::new(s.visits.len());
    let mut out = String::new();
    let label = format!("Outcome score and downtime per session: {}", s.heading());
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{a}">"#,
        w = n(WIDTH),
        h = n(HEIGHT),
        a = xml_escape(&label)
    );
    let _ = write!(out, "<title>{}</title>", xml_escape(&label));
    score_panel(&mut out, s, &cols);
    downtime_panel(&mut out, s, &cols);
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="end" class="tick">session</text>"#,
        n(WIDTH - RIGHT),
        n(HEIGHT - 2.0)
    );
    out.push_str("</svg>");
    Some(out)
}

/// The outcome score per visit against the baseline; higher is worse on
/// every scale.
fn score_panel(out: &mut String, s: &SeriesReport<'_>, cols: &Columns) {
    let (lo, hi) = s.scale().range();
    let (lo, hi) = (f64::from(lo), f64::from(hi));
    let y_of = |score: f64| SCORE_TOP + (hi - score) / (hi - lo) * SCORE_HEIGHT;
    let _ = write!(
        out,
        r#"<text x="{}" y="16" class="panel">Outcome score, {}: lower is better</text>"#,
        n(LEFT),
        xml_escape(s.scale().label())
    );
    let step = if hi - lo > 5.0 { 2.0 } else { 1.0 };
    let mut tick = lo;
    while tick <= hi {
        grid_line(out, y_of(tick), tick);
        tick += step;
    }
    if let Some(b) = s.scoped.series.data.baseline_score {
        let yb = y_of(f64::from(b));
        let y = n(yb);
        // The label sits above the line, or below it when the line is at the top.
        let label_y = if yb - SCORE_TOP >= 12.0 {
            yb - 4.0
        } else {
            yb + 13.0
        };
        let _ = write!(
            out,
            r##"<line class="baseline" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#777" stroke-width="1.5" stroke-dasharray="6 4"/><text x="{}" y="{}" text-anchor="end" class="tick">baseline {b}</text>"##,
            n(LEFT),
            n(WIDTH - RIGHT),
            n(WIDTH - RIGHT - 2.0),
            n(label_y)
        );
    }
    let scored: Vec<(usize, u8)> = s
        .visits
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.session.data.outcome_score.map(|sc| (i, sc)))
        .collect();
    if scored.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" class="tick">no scores recorded</text>"#,
            n(LEFT + 8.0),
            n(SCORE_TOP + SCORE_HEIGHT / 2.0)
        );
        return;
    }
    let points: Vec<String> = scored
        .iter()
        .map(|&(i, sc)| format!("{},{}", n(cols.x(i)), n(y_of(f64::from(sc)))))
        .collect();
    let _ = write!(
        out,
        r#"<polyline class="score" points="{}" fill="none" stroke="{SCORE}" stroke-width="2"/>"#,
        points.join(" ")
    );
    for &(i, sc) in &scored {
        let v = &s.visits[i];
        let _ = write!(
            out,
            r#"<circle class="score-point" cx="{}" cy="{}" r="4" fill="{SCORE}"><title>Session {}, {}: score {sc}</title></circle>"#,
            n(cols.x(i)),
            n(y_of(f64::from(sc))),
            v.number,
            v.session.data.performed_at.date()
        );
    }
}

/// Downtime bars (redness, swelling, peeling) per visit, with the visit
/// numbers under both panels.
fn downtime_panel(out: &mut String, s: &SeriesReport<'_>, cols: &Columns) {
    let values: Vec<[Option<f64>; 3]> = s
        .visits
        .iter()
        .map(|v| {
            let f = &v.session.data.followup;
            [f.redness_days, f.swelling_days, f.peeling_days].map(|d| d.map(|d| d.days()))
        })
        .collect();
    let max = values
        .iter()
        .flatten()
        .flatten()
        .fold(3.0_f64, |m, &v| m.max(v))
        .ceil();
    let dy = |days: f64| days / max * DOWN_HEIGHT;
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" class="panel">Downtime reported (days)</text>"#,
        n(LEFT),
        n(DOWN_TOP - 14.0)
    );
    for (j, (name, colour)) in DOWNTIME.into_iter().enumerate() {
        let x = WIDTH - RIGHT - 230.0 + 80.0 * j as f64;
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}" class="tick">{name}</text>"#,
            n(x),
            n(DOWN_TOP - 24.0),
            n(x + 14.0),
            n(DOWN_TOP - 15.0)
        );
    }
    let tick_step = (max / 3.0).ceil().max(1.0);
    let mut tick = 0.0;
    while tick <= max {
        grid_line(out, DOWN_TOP + DOWN_HEIGHT - dy(tick), tick);
        tick += tick_step;
    }
    let bar = (cols.slot / 4.0).min(14.0);
    for (i, vals) in values.iter().enumerate() {
        let v = &s.visits[i];
        for (j, (value, (name, colour))) in vals.iter().zip(DOWNTIME).enumerate() {
            let Some(days) = value else { continue };
            let h = dy(*days);
            let _ = write!(
                out,
                r#"<rect class="downtime" x="{}" y="{}" width="{}" height="{}" fill="{colour}"><title>Session {}: {name} {} days</title></rect>"#,
                n(cols.x(i) + bar * (j as f64 - 1.5)),
                n(DOWN_TOP + DOWN_HEIGHT - h),
                n(bar),
                n(h),
                v.number,
                n(*days)
            );
        }
        for y in [
            DOWN_TOP + DOWN_HEIGHT + 16.0,
            SCORE_TOP + SCORE_HEIGHT + 16.0,
        ] {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" text-anchor="middle" class="tick">{}</text>"#,
                n(cols.x(i)),
                n(y),
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
