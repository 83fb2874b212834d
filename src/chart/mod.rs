//! The progress chart of one series as both the terminal (`ui::chart`) and
//! the HTML report (`export::chart`) draw it: per visit its score and the
//! change from baseline, the downtime reported after it, its adverse
//! events and its GAIS ratings; for the series the trend. Worked out once
//! here, drawn twice; the geometry both use is in [`layout`].

pub mod layout;

use crate::domain::{Days, OutcomeScale, Series, Session, cumulative_progress};
use chrono::NaiveDate;

/// The kinds of downtime, in the order their bars stand: name and letter.
pub const DOWNTIME: [(&str, &str); 3] = [("redness", "R"), ("swelling", "S"), ("peeling", "P")];

/// A score against the baseline as the client screen's Δ column reads it:
/// `points` is the improvement, baseline − score, so better (a fall, on
/// every scale) is positive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub points: i16,
    /// The same in % of the reachable range (baseline − scale minimum);
    /// None for a baseline at the minimum.
    pub pct: Option<f64>,
}

impl Change {
    /// `+1`, `-2`, `0`: positive is better.
    pub fn points_text(&self) -> String {
        signed(f64::from(self.points))
    }

    /// `+33%`, `-17%`, `0%`: positive is better.
    pub fn pct_text(&self) -> Option<String> {
        self.pct.map(|p| format!("{}%", signed(p.round())))
    }

    /// `+2 pts (+33%)`, `-1 pt (-17%)`, `0 pts (0%)`: the change in full,
    /// positive when better.
    pub fn text(&self) -> String {
        let unit = if self.points.abs() == 1 { "pt" } else { "pts" };
        match self.pct_text() {
            Some(pct) => format!("{} {unit} ({pct})", self.points_text()),
            None => format!("{} {unit}", self.points_text()),
        }
    }

    /// The change written ever shorter: `+1 pt (+17%)`, `+1 (+17%)`,
    /// `+1 +17%`, `+17%`, `+1` (without a percentage, just the points).
    pub fn forms(&self) -> Vec<String> {
        let pts = self.points_text();
        match self.pct_text() {
            Some(pct) => vec![
                self.text(),
                format!("{pts} ({pct})"),
                format!("{pts} {pct}"),
                pct,
                pts,
            ],
            None => vec![self.text(), pts.clone(), pts.clone(), pts.clone(), pts],
        }
    }
}

/// Which of [`Change::forms`] to write under every visit: the fullest
/// form in which each of `changes` is at most `width` characters, so all
/// visits read alike; None when not even the shortest fits.
pub fn change_form<'a>(
    changes: impl IntoIterator<Item = &'a Change>,
    width: usize,
) -> Option<usize> {
    let forms: Vec<Vec<String>> = changes.into_iter().map(Change::forms).collect();
    (0..5).find(|&k| forms.iter().all(|f| f[k].chars().count() <= width))
}

impl Change {
    /// A fall in the score: lower is better on every scale the program knows.
    pub fn better(&self) -> bool {
        self.points > 0
    }

    pub fn worse(&self) -> bool {
        self.points < 0
    }
}

/// Days as the chart writes them: `0.5`, `2`.
pub fn days_text(days: f64) -> String {
    if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        format!("{days:.1}")
    }
}

/// `+2`, `-1`, `0`: whole numbers with their sign.
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{x:.0}")
    } else if x == 0.0 {
        "0".into()
    } else {
        format!("{x:.0}")
    }
}

/// One visit (session) of the series.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartVisit {
    /// Its number within the whole series.
    pub number: u32,
    pub date: NaiveDate,
    pub score: Option<u8>,
    pub change: Option<Change>,
    /// Days of redness, swelling, peeling, as [`DOWNTIME`] orders them.
    pub downtime: [Option<Days>; 3],
    /// Whether any follow-up was recorded (else the downtime is pending).
    pub followup: bool,
    /// Adverse events reported after it, redness past a week included.
    pub adverse: Vec<String>,
    /// Redness past the domain's threshold for prolonged erythema.
    pub prolonged_redness: bool,
    /// GAIS by the clinician and by the client.
    pub gais: [Option<u8>; 2],
}

impl ChartVisit {
    /// `05 Jun` or `06-05`, whichever fits `width` with a space to spare;
    /// None when neither does.
    pub fn date_label(&self, width: u16) -> Option<String> {
        match width {
            7.. => Some(self.date.format("%d %b").to_string()),
            6 => Some(self.date.format("%m-%d").to_string()),
            _ => None,
        }
    }

    /// GAIS as `clinician/client`, `—` for a rating not given; None when
    /// neither was.
    pub fn gais_text(&self) -> Option<String> {
        let cell = |g: Option<u8>| g.map_or_else(|| "—".to_string(), |g| g.to_string());
        match self.gais {
            [None, None] => None,
            [c, cl] => Some(format!("{}/{}", cell(c), cell(cl))),
        }
    }
}

/// The chart of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesChart {
    pub scale: OutcomeScale,
    pub baseline: Option<u8>,
    pub started_on: NaiveDate,
    pub visits: Vec<ChartVisit>,
    /// Redness for more days than this is prolonged (the practice's rule).
    pub prolonged_after: u8,
}

impl SeriesChart {
    /// The chart of `series` from its `visits` (number in the series and
    /// session, in date order; a report limited to dates starts later).
    /// Redness past `prolonged_after` days is prolonged erythema.
    pub fn new<'a>(
        series: &Series,
        visits: impl IntoIterator<Item = (u32, &'a Session)>,
        prolonged_after: u8,
    ) -> Self {
        let s = &series.data;
        let visits: Vec<(u32, &Session)> = visits.into_iter().collect();
        let scored: Vec<(NaiveDate, Option<u8>)> = visits
            .iter()
            .map(|(_, x)| (x.data.performed_at.date(), x.data.outcome_score))
            .collect();
        let mut changes = vec![None; visits.len()];
        for p in cumulative_progress(s.outcome_scale, s.baseline_score, &scored) {
            if let Some(slot) = changes.get_mut(p.visit as usize - 1) {
                *slot = Some(Change {
                    points: p.improvement_points,
                    pct: p.improvement_pct,
                });
            }
        }
        let visits = visits
            .iter()
            .zip(changes)
            .map(|(&(number, x), change)| {
                let d = &x.data;
                let f = &d.followup;
                ChartVisit {
                    number,
                    date: d.performed_at.date(),
                    score: d.outcome_score,
                    change,
                    downtime: [f.redness_days, f.swelling_days, f.peeling_days],
                    followup: f.is_recorded(),
                    adverse: f.adverse_texts(prolonged_after),
                    prolonged_redness: f.prolonged_redness(prolonged_after),
                    gais: [
                        d.gais_clinician.map(|g| g.value()),
                        d.gais_client.map(|g| g.value()),
                    ],
                }
            })
            .collect();
        Self {
            scale: s.outcome_scale,
            baseline: s.baseline_score,
            started_on: s.started_on,
            visits,
            prolonged_after,
        }
    }

    /// Every score drawn, and the baseline: what the score axis must show.
    pub fn plotted_scores(&self) -> Vec<u8> {
        self.visits
            .iter()
            .filter_map(|v| v.score)
            .chain(self.baseline)
            .collect()
    }

    /// The longest downtime reported, in days (0 when none was).
    pub fn max_downtime(&self) -> f64 {
        self.visits
            .iter()
            .flat_map(|v| v.downtime)
            .flatten()
            .map(Days::days)
            .fold(0.0, f64::max)
    }

    pub fn has_gais(&self) -> bool {
        self.visits.iter().any(|v| v.gais != [None, None])
    }

    /// The change at the latest scored visit, with how long it took.
    pub fn trend(&self) -> Option<Trend> {
        let v = self.visits.iter().rev().find(|v| v.change.is_some())?;
        Some(Trend {
            change: v.change?,
            visits: v.number,
            days: (v.date - self.started_on).num_days(),
        })
    }
}

/// Where the series stands: the latest change from baseline, after how
/// many visits and how many days from the start of the series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    pub change: Change,
    pub visits: u32,
    pub days: i64,
}

impl Trend {
    /// `improving`, `worse`, `no change`.
    pub fn verdict(&self) -> &'static str {
        if self.change.better() {
            "improving"
        } else if self.change.worse() {
            "worse"
        } else {
            "no change"
        }
    }

    /// `+2 pts (+33%) over 4 visits`.
    pub fn text(&self) -> String {
        let visits = if self.visits == 1 { "visit" } else { "visits" };
        format!("{} over {} {visits}", self.change.text(), self.visits)
    }

    /// `+2 pts (+33%) over 4 visits in 14 weeks, improving`.
    pub fn long_text(&self) -> String {
        let weeks = (self.days + 3) / 7;
        let span = if self.days < 14 {
            format!("{} days", self.days.max(0))
        } else {
            format!("{weeks} weeks")
        };
        format!("{} in {span}, {}", self.text(), self.verdict())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(points: i16, pct: Option<f64>) -> Change {
        Change { points, pct }
    }

    #[test]
    fn a_change_reads_in_points_and_percent() {
        // Improvement is positive, as in the client screen's Δ column.
        let c = change(2, Some(33.33));
        assert_eq!(c.text(), "+2 pts (+33%)");
        assert_eq!(
            c.forms(),
            ["+2 pts (+33%)", "+2 (+33%)", "+2 +33%", "+33%", "+2"]
        );
        assert_eq!(change(-3, None).forms(), ["-3 pts", "-3", "-3", "-3", "-3"]);
        let zero = change(0, Some(0.0));
        // Every visit in the same form: the widest decides.
        assert_eq!(change_form([&c, &zero], 20), Some(0));
        assert_eq!(change_form([&c, &zero], 10), Some(1));
        assert_eq!(change_form([&c, &zero], 4), Some(3));
        assert_eq!(change_form([&c, &zero], 2), Some(4));
        assert_eq!(change_form([&c, &zero], 1), None);
        assert_eq!(change_form([], 1), Some(0));
        assert_eq!(change(-1, Some(-25.0)).text(), "-1 pt (-25%)");
        assert_eq!(change(0, Some(0.0)).text(), "0 pts (0%)");
        assert_eq!(change(-1, None).text(), "-1 pt");
        assert!(change(1, None).better() && change(-2, None).worse());
    }

    #[test]
    fn the_trend_says_how_far_how_long_and_which_way() {
        let t = Trend {
            change: change(2, Some(33.3)),
            visits: 4,
            days: 98,
        };
        assert_eq!(t.text(), "+2 pts (+33%) over 4 visits");
        assert_eq!(
            t.long_text(),
            "+2 pts (+33%) over 4 visits in 14 weeks, improving"
        );
        let t = Trend {
            change: change(0, Some(0.0)),
            visits: 1,
            days: 0,
        };
        assert_eq!(
            t.long_text(),
            "0 pts (0%) over 1 visit in 0 days, no change"
        );
        assert_eq!(
            Trend {
                change: change(-1, None),
                visits: 2,
                days: 20
            }
            .verdict(),
            "worse"
        );
    }
}
