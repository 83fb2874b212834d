//! How far a series has come: sessions done, and the outcome score against baseline.

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
    /// None when the baseline is 0 (no percentage of nothing).
    pub improvement_pct: Option<f64>,
}

/// Cumulative progress per scored visit. `visits` are the series' sessions
/// in date order with their score, if one was taken.
pub fn cumulative_progress(
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
            let points = i16::from(baseline) - i16::from(score);
            let pct = (baseline > 0).then(|| f64::from(points) * 100.0 / f64::from(baseline));
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
    baseline: Option<u8>,
    sessions: &[super::session::Session],
) -> Vec<ProgressPoint> {
    let visits: Vec<_> = sessions
        .iter()
        .map(|x| (x.data.performed_at.date(), x.data.outcome_score))
        .collect();
    cumulative_progress(baseline, &visits)
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

    #[test]
    fn change_from_baseline_in_points_and_percent() {
        let p = cumulative_progress(
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
    fn worsening_is_negative_and_zero_baseline_has_no_percent() {
        let p = cumulative_progress(Some(2), &[(d(1), Some(3))]);
        assert_eq!(p[0].improvement_points, -1);
        assert_eq!(p[0].improvement_pct, Some(-50.0));
        let p = cumulative_progress(Some(0), &[(d(1), Some(0))]);
        assert_eq!(p[0].improvement_pct, None);
        assert!(cumulative_progress(None, &[(d(1), Some(3))]).is_empty());
    }
}
