//! How far a series has come: sessions done, and the outcome score against baseline.

use super::scales::OutcomeScale;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeriesProgress {
    pub done: u32,
    pub planned: u8,
    pub complete: bool,
}

impl SeriesProgress {
    /// A bar of `planned` cells, e.g. `■■■□□□`; sessions beyond the plan
    /// are shown with a `+N` suffix rather than a longer bar.
    pub fn bar(&self) -> String {
        let planned = usize::from(self.planned);
        let done = (self.done as usize).min(planned);
        let mut s = "■".repeat(done) + &"□".repeat(planned - done);
        if self.done as usize > planned {
            s.push_str(&format!("+{}", self.done as usize - planned));
        }
        s
    }
}

pub fn series_progress(done: u32, planned: u8) -> SeriesProgress {
    SeriesProgress {
        done,
        planned,
        complete: done >= u32::from(planned),
    }
}

/// One scored visit. Every scale the program uses has higher = worse, so
/// improvement is the baseline minus the score: positive means better.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProgressPoint {
    /// 1-based position of the visit in the series.
    pub visit: u32,
    pub date: NaiveDate,
    pub score: u8,
    pub improvement_points: i16,
    /// The same in % of the reachable range; None for a baseline at the
    /// scale's minimum. See [`improvement`].
    pub improvement_pct: Option<f64>,
}

/// Points better than the baseline (baseline − score: positive is better,
/// since every scale has higher = worse) and the same in percent of the
/// reachable range, baseline − the scale's minimum: a score at the minimum
/// is 100 %, one worse than the baseline negative. A baseline at the
/// minimum leaves no range, so no percentage.
pub fn improvement(scale: OutcomeScale, baseline: u8, score: u8) -> (i16, Option<f64>) {
    let points = i16::from(baseline) - i16::from(score);
    let (min, _) = scale.range();
    let range = i16::from(baseline) - i16::from(min);
    let pct = (range > 0).then(|| f64::from(points) * 100.0 / f64::from(range));
    (points, pct)
}

/// [`improvement`] when either score may be missing (then neither part).
pub fn improvement_of(
    scale: OutcomeScale,
    baseline: Option<u8>,
    score: Option<u8>,
) -> (Option<i16>, Option<f64>) {
    match (baseline, score) {
        (Some(b), Some(s)) => {
            let (points, pct) = improvement(scale, b, s);
            (Some(points), pct)
        }
        _ => (None, None),
    }
}

/// Cumulative progress per scored visit. `visits` are the series' sessions
/// in date order with their score, if one was taken.
pub fn cumulative_progress(
    scale: OutcomeScale,
    baseline: Option<u8>,
    visits: &[(NaiveDate, Option<u8>)],
) -> Vec<ProgressPoint> {
    let Some(baseline) = baseline else {
        return Vec::new();
    };
    visits
        .iter()
        .enumerate()
        .filter_map(|(i, (date, score))| {
            let score = (*score)?;
            let (points, pct) = improvement(scale, baseline, score);
            Some(ProgressPoint {
                visit: i as u32 + 1,
                date: *date,
                score,
                improvement_points: points,
                improvement_pct: pct,
            })
        })
        .collect()
}

/// [`cumulative_progress`] of a series' sessions, in the order given.
pub fn progress_of(
    scale: OutcomeScale,
    baseline: Option<u8>,
    sessions: &[super::session::Session],
) -> Vec<ProgressPoint> {
    let visits: Vec<_> = sessions
        .iter()
        .map(|x| (x.data.performed_at.date(), x.data.outcome_score))
        .collect();
    cumulative_progress(scale, baseline, &visits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    #[test]
    fn bar_and_completion() {
        assert_eq!(series_progress(3, 6).bar(), "■■■□□□");
        assert_eq!(series_progress(0, 3).bar(), "□□□");
        assert!(!series_progress(2, 3).complete);
        assert!(series_progress(3, 3).complete);
        assert_eq!(series_progress(4, 3).bar(), "■■■+1");
    }

    const SEVERITY: OutcomeScale = OutcomeScale::Severity;
    const GOODMAN_BARON: OutcomeScale = OutcomeScale::GoodmanBaron;

    #[test]
    fn change_from_baseline_in_points_and_percent() {
        let p = cumulative_progress(
            SEVERITY,
            Some(4),
            &[
                (d(1), Some(4)),
                (d(2), None),
                (d(3), Some(3)),
                (d(4), Some(2)),
            ],
        );
        assert_eq!(p.len(), 3);
        assert_eq!(
            (p[0].visit, p[0].improvement_points, p[0].improvement_pct),
            (1, 0, Some(0.0))
        );
        assert_eq!(
            (p[1].visit, p[1].improvement_points, p[1].improvement_pct),
            (3, 1, Some(25.0))
        );
        assert_eq!(
            (p[2].visit, p[2].improvement_points, p[2].improvement_pct),
            (4, 2, Some(50.0))
        );
    }

    #[test]
    fn percent_is_of_the_range_down_to_the_scale_minimum() {
        // Goodman & Baron runs 1–4: from 4, a 1 is all the way, 100 %.
        assert_eq!(improvement(GOODMAN_BARON, 4, 1), (3, Some(100.0)));
        assert_eq!(improvement(GOODMAN_BARON, 4, 2), (2, Some(200.0 / 3.0)));
        assert_eq!(improvement(GOODMAN_BARON, 3, 1), (2, Some(100.0)));
        assert_eq!(improvement(SEVERITY, 6, 0), (6, Some(100.0)));
        // Unchanged is 0 %; worse than the baseline is negative.
        assert_eq!(improvement(GOODMAN_BARON, 2, 2), (0, Some(0.0)));
        assert_eq!(improvement(GOODMAN_BARON, 2, 3), (-1, Some(-100.0)));
        assert_eq!(improvement(SEVERITY, 2, 3), (-1, Some(-50.0)));
        // A baseline at the minimum leaves no range: points, no percentage.
        assert_eq!(improvement(GOODMAN_BARON, 1, 1), (0, None));
        assert_eq!(improvement(GOODMAN_BARON, 1, 2), (-1, None));
        assert_eq!(improvement(SEVERITY, 0, 0), (0, None));
        assert_eq!(improvement_of(SEVERITY, None, Some(3)), (None, None));
        assert_eq!(improvement_of(SEVERITY, Some(3), None), (None, None));
        assert_eq!(
            improvement_of(SEVERITY, Some(4), Some(3)),
            (Some(1), Some(25.0))
        );
    }

    #[test]
    fn worsening_is_negative_and_a_baseline_at_the_minimum_has_no_percent() {
        let p = cumulative_progress(SEVERITY, Some(2), &[(d(1), Some(3))]);
        assert_eq!(p[0].improvement_points, -1);
        assert_eq!(p[0].improvement_pct, Some(-50.0));
        let p = cumulative_progress(SEVERITY, Some(0), &[(d(1), Some(0))]);
        assert_eq!(p[0].improvement_pct, None);
        let p = cumulative_progress(GOODMAN_BARON, Some(1), &[(d(1), Some(1))]);
        assert_eq!(p[0].improvement_pct, None);
        assert!(cumulative_progress(SEVERITY, None, &[(d(1), Some(3))]).is_empty());
    }
}
