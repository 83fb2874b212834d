//! The chart's geometry in plain arithmetic, shared by the terminal and
//! the SVG: where each visit sits across the page, how a score or a number
//! of days becomes a height, and how the terminal's rows are shared out.
//! Every panel takes its x positions from [`visit_centres`] (or its cell
//! form, [`visit_columns`]), so a visit's score, its downtime bars and its
//! labels are always one above the other.

/// The centre of each of `count` visits across a plot `width` wide: equal
/// slots, each visit in the middle of its own.
pub fn visit_centres(count: usize, width: f64) -> Vec<f64> {
    let slot = width / count.max(1) as f64;
    (0..count).map(|i| slot * (i as f64 + 0.5)).collect()
}

/// [`visit_centres`] in terminal columns, 0 being the plot's first: the
/// cell each centre falls in.
pub fn visit_columns(count: usize, width: u16) -> Vec<u16> {
    visit_centres(count, f64::from(width))
        .into_iter()
        .map(|x| x.floor() as u16)
        .collect()
}

/// The narrowest slot a visit gets in the terminal: room for `#12` and a gap.
pub const MIN_SLOT: u16 = 4;

/// How many of `count` visits the terminal shows in `width` columns: all
/// of them, or the latest that fit at [`MIN_SLOT`] each.
pub fn visits_shown(count: usize, width: u16) -> usize {
    count.min(usize::from(width / MIN_SLOT))
}

/// The columns each of `count` visits has to itself in `width`.
pub fn slot_width(count: usize, width: u16) -> u16 {
    u16::try_from(usize::from(width) / count.max(1)).unwrap_or(width)
}

/// The part of a score scale that a plot `rows` tall shows: the whole
/// scale when every score gets a row of its own; else the `values` drawn
/// (scores and baseline) with as much of the scale around them as fits.
/// Either way no two different scores share a row as long as the values
/// span no more scores than there are rows — a score one point off the
/// baseline is never drawn on the baseline's row.
pub fn score_window(scale: (u8, u8), values: &[u8], rows: u16) -> (u8, u8) {
    let (lo, hi) = scale;
    let scores = u16::from(hi - lo) + 1;
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return scale;
    };
    if scores <= rows {
        return scale;
    }
    let (min, max) = (min.clamp(lo, hi), max.clamp(lo, hi));
    let span = u16::from(max - min) + 1;
    if span >= rows {
        return (min, max);
    }
    let extra = rows - span;
    let below = (extra - extra / 2).min(u16::from(min - lo));
    let above = (extra - below).min(u16::from(hi - max));
    // Room the top could not use goes below, as far as the scale allows.
    let below = (extra - above).min(u16::from(min - lo));
    (min - below as u8, max + above as u8)
}

/// The row (0 = top) of `value` in a plot `rows` tall showing
/// `window.0..=window.1`: the low end on the bottom row, the high end on
/// the top, proportionally between, rounded half up.
pub fn row_of(value: u8, window: (u8, u8), rows: u16) -> u16 {
    let (lo, hi) = window;
    let last = u32::from(rows.saturating_sub(1));
    let range = u32::from(hi.saturating_sub(lo));
    if range == 0 {
        return rows.saturating_sub(1);
    }
    let from_bottom = (u32::from(value.clamp(lo, hi) - lo) * last * 2 + range) / (2 * range);
    (last - from_bottom) as u16
}

/// The scores the axis names: each one whose row no other score shares
/// (every score when each has a row of its own), so a label always means
/// exactly the score drawn on its row.
pub fn score_labels(window: (u8, u8), rows: u16) -> Vec<u8> {
    let (lo, hi) = window;
    let row = |v: u8| row_of(v, window, rows);
    (lo..=hi)
        .filter(|&v| (lo..=hi).filter(|&w| row(w) == row(v)).count() == 1)
        .collect()
}

/// The smallest top of the downtime scale, so that a day or two of
/// redness is drawn as the short bar it is.
pub const DOWNTIME_MIN_TOP: f64 = 4.0;

/// Days per row of the terminal's downtime bars (`rows` tall) holding
/// `max_days`: the smallest of ½, 1, 2, 3, 5 and 10 days whose scale
/// reaches `max_days` (and at least [`DOWNTIME_MIN_TOP`]), so each row is a
/// round number of days.
pub fn days_per_row(max_days: f64, rows: u16) -> f64 {
    let rows = f64::from(rows.max(1));
    let top = max_days.max(DOWNTIME_MIN_TOP);
    [0.5, 1.0, 2.0, 3.0, 5.0, 10.0]
        .into_iter()
        .find(|step| step * rows >= top)
        .unwrap_or_else(|| (top / rows).ceil())
}

/// A round step for the ticks of a scale reaching `top` with at most
/// `ticks` intervals (1, 2, 5, 10, … days).
pub fn tick_step(top: f64, ticks: u32) -> f64 {
    let ticks = f64::from(ticks.max(1));
    let mut magnitude = 1.0;
    loop {
        for step in [1.0, 2.0, 5.0] {
            if step * magnitude * ticks >= top {
                return step * magnitude;
            }
        }
        magnitude *= 10.0;
    }
}

/// Which rows of `rows` rows of bars, `days_per_row` days each, the axis
/// names: every n-th from the bottom, at most five of them, each at a
/// whole number of days.
pub fn label_every(rows: u16, days_per_row: f64) -> u16 {
    (1..=rows.max(1))
        .find(|&n| rows / n <= 5 && (f64::from(n) * days_per_row).fract() == 0.0)
        .unwrap_or(rows.max(1))
}

/// A bar's height in eighths of a row, `days_per_row` days to a row: never
/// zero for a value above zero, so a half day still shows.
pub fn bar_eighths(days: f64, days_per_row: f64) -> u32 {
    if days <= 0.0 || days_per_row <= 0.0 {
        return 0;
    }
    ((days / days_per_row * 8.0).round() as u32).max(1)
}

/// The block character for the part of a bar in row `row` (0 = the bottom
/// row) when the bar is `eighths` tall.
pub fn bar_cell(eighths: u32, row: u16) -> &'static str {
    const BLOCKS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
    let filled = eighths.saturating_sub(u32::from(row) * 8).min(8);
    BLOCKS[filled as usize]
}

/// How the terminal's chart shares its rows (inside the border).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermRows {
    /// The score plot.
    pub plot: u16,
    /// The downtime bars.
    pub bars: u16,
    /// A row of values under the bars (when the bars are wide enough).
    pub bar_values: bool,
    /// GAIS as a plot of its five grades (true) or one line of ratings.
    pub gais_plot: bool,
    /// Blank rows above the score plot (see [`TermRows::evened`]).
    pub pad: u16,
}

/// The score plot is never made shorter than this to space scores evenly.
pub const MIN_PLOT: u16 = 8;
/// The downtime bars never get more rows than this.
pub const MAX_BARS: u16 = 10;

impl TermRows {
    /// The rows with the score plot cut to [`even_rows`] for `window`: the
    /// rows it gives up go to the downtime bars (up to [`MAX_BARS`]), the
    /// rest stay blank above the plot.
    pub fn evened(self, window: (u8, u8)) -> Self {
        let used = even_rows(window, self.plot, MIN_PLOT);
        let spare = self.plot - used;
        let to_bars = spare.min(MAX_BARS.saturating_sub(self.bars));
        Self {
            plot: used,
            bars: self.bars + to_bars,
            pad: self.pad + spare - to_bars,
            ..self
        }
    }
}

/// How many of `rows` a plot of `window` uses so that every score is the
/// same number of rows from the next: the most such rows that fit, unless
/// that is fewer than `min` (then all of them, spaced a little unevenly).
pub fn even_rows(window: (u8, u8), rows: u16, min: u16) -> u16 {
    let range = u16::from(window.1.saturating_sub(window.0));
    if range == 0 || rows == 0 {
        return rows;
    }
    let even = (rows - 1) / range * range + 1;
    if even >= min.min(rows) { even } else { rows }
}

/// Rows under the score plot that are always there: the change from
/// baseline, the visit numbers on the axis, the dates, the downtime heading.
pub const FIXED_ROWS: u16 = 4;
/// The GAIS plot: a heading and a row per grade.
pub const GAIS_PLOT_ROWS: u16 = 6;
/// From this inner height on, GAIS gets its plot instead of one line.
pub const GAIS_PLOT_FROM: u16 = 38;

/// Shares `height` rows between the panels: fixed rows first, GAIS as a
/// line unless there is room for its plot, then about a third of the rest
/// (3 to 10 rows) for the downtime bars and everything else for the score
/// plot. At 80×24 that gives the score plot 10 rows.
pub fn term_rows(height: u16, wide_bars: bool) -> TermRows {
    let gais_plot = height >= GAIS_PLOT_FROM;
    let bar_values = wide_bars && height >= 26;
    let gais = if gais_plot { GAIS_PLOT_ROWS } else { 1 };
    let rest = height.saturating_sub(FIXED_ROWS + gais + u16::from(bar_values));
    let third = u16::try_from(u32::from(rest) * 2 / 7).unwrap_or(u16::MAX);
    let bars = third.clamp(3, MAX_BARS).min(rest / 2);
    TermRows {
        plot: rest - bars,
        bars,
        bar_values,
        gais_plot,
        pad: 0,
    }
}

/// Downtime bars of one visit: how wide each of its three bars is and how
/// far apart they start, for a slot `slot` columns wide. The middle bar is
/// centred on the visit's column.
pub fn bar_geometry(slot: u16) -> (u16, u16) {
    match slot {
        13.. => (3, 4),
        6.. => (1, 2),
        _ => (1, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_sit_in_the_middle_of_equal_slots() {
        assert_eq!(visit_centres(4, 80.0), [10.0, 30.0, 50.0, 70.0]);
        assert_eq!(visit_columns(4, 70), [8, 26, 43, 61]);
        assert_eq!(visit_columns(1, 70), [35]);
        // Every column is inside the plot and they never collide.
        for count in 1..=30 {
            for width in [20u16, 61, 70, 150, 188] {
                let shown = visits_shown(count, width);
                let cols = visit_columns(shown, width);
                assert!(cols.iter().all(|&c| c < width), "{count} in {width}");
                assert!(cols.windows(2).all(|w| w[1] - w[0] >= MIN_SLOT - 1));
            }
        }
        assert_eq!(visits_shown(30, 70), 17);
        assert_eq!(slot_width(4, 70), 17);
    }

    #[test]
    fn the_cell_columns_are_the_svg_centres_floored() {
        for count in 1..=12 {
            let centres = visit_centres(count, 70.0);
            let cols = visit_columns(count, 70);
            for (x, c) in centres.iter().zip(cols) {
                assert!(x - f64::from(c) >= 0.0 && x - f64::from(c) < 1.0);
            }
        }
    }

    #[test]
    fn the_whole_scale_when_every_score_has_a_row() {
        assert_eq!(score_window((1, 4), &[4, 3], 8), (1, 4));
        assert_eq!(score_window((0, 5), &[5, 0], 6), (0, 5));
        assert_eq!(score_window((0, 10), &[6, 5], 11), (0, 10));
        assert_eq!(score_window((0, 10), &[], 3), (0, 10));
    }

    #[test]
    fn a_short_plot_zooms_to_the_scores_with_context() {
        // Severity 0–10 in 10 rows: ten scores around 4–6.
        assert_eq!(score_window((0, 10), &[6, 5, 5, 4], 10), (0, 9));
        assert_eq!(score_window((0, 10), &[6, 5, 4], 5), (3, 7));
        // At an end of the scale the room goes to the other side.
        assert_eq!(score_window((0, 10), &[10, 9], 4), (7, 10));
        assert_eq!(score_window((0, 10), &[0, 1], 4), (0, 3));
        // More scores than rows: just the scores.
        assert_eq!(score_window((0, 10), &[10, 0], 8), (0, 10));
        assert_eq!(score_window((0, 10), &[9, 1], 8), (1, 9));
    }

    #[test]
    fn different_scores_in_the_window_never_share_a_row() {
        for (lo, hi) in [(1u8, 4u8), (0, 5), (0, 10)] {
            for rows in 2..40u16 {
                for base in lo..=hi {
                    for score in lo..=hi {
                        let w = score_window((lo, hi), &[base, score], rows);
                        let span = u16::from(base.abs_diff(score)) + 1;
                        if span <= rows && base != score {
                            assert_ne!(
                                row_of(base, w, rows),
                                row_of(score, w, rows),
                                "{base} and {score} on {lo}–{hi} in {rows} rows"
                            );
                        }
                        assert!(w.0 >= lo && w.1 <= hi && w.0 <= w.1);
                    }
                }
            }
        }
    }

    #[test]
    fn rows_run_from_the_top_end_down() {
        assert_eq!(row_of(4, (1, 4), 10), 0);
        assert_eq!(row_of(1, (1, 4), 10), 9);
        assert_eq!(row_of(3, (1, 4), 10), 3);
        assert_eq!(row_of(0, (0, 10), 11), 10);
        assert_eq!(row_of(7, (3, 7), 1), 0);
        assert_eq!(row_of(5, (5, 5), 4), 3);
        // Out of the window: clamped to its edge.
        assert_eq!(row_of(0, (3, 7), 5), 4);
    }

    #[test]
    fn labels_name_only_rows_of_one_score() {
        assert_eq!(score_labels((1, 4), 10), [1, 2, 3, 4]);
        assert_eq!(score_labels((0, 10), 11).len(), 11);
        let shared = score_labels((0, 10), 8);
        assert!(shared.contains(&0) && shared.contains(&10));
        assert!(shared.len() < 11);
        for v in shared {
            let r = row_of(v, (0, 10), 8);
            assert_eq!((0..=10).filter(|&w| row_of(w, (0, 10), 8) == r).count(), 1);
        }
    }

    #[test]
    fn downtime_rows_are_round_numbers_of_days() {
        assert_eq!(days_per_row(3.5, 4), 1.0);
        assert_eq!(days_per_row(8.0, 4), 2.0);
        assert_eq!(days_per_row(1.0, 10), 0.5);
        assert_eq!(days_per_row(30.0, 3), 10.0);
        assert_eq!(days_per_row(30.0, 1), 30.0);
        assert_eq!(days_per_row(0.0, 5), 1.0);
        assert_eq!(label_every(4, 3.0), 1);
        assert_eq!(label_every(10, 0.5), 2);
        assert_eq!(label_every(9, 0.5), 2);
        assert_eq!(label_every(3, 0.5), 2);
        assert_eq!(label_every(12, 1.0), 3);
        assert_eq!(label_every(0, 1.0), 1);
        assert_eq!(tick_step(8.0, 4), 2.0);
        assert_eq!(tick_step(3.0, 4), 1.0);
        assert_eq!(tick_step(30.0, 4), 10.0);
    }

    #[test]
    fn bars_grow_in_eighths_of_a_row() {
        assert_eq!(bar_eighths(0.0, 1.0), 0);
        assert_eq!(bar_eighths(0.5, 10.0), 1);
        assert_eq!(bar_eighths(3.5, 1.0), 28);
        assert_eq!(bar_cell(28, 0), "█");
        assert_eq!(bar_cell(28, 3), "▄");
        assert_eq!(bar_cell(28, 4), " ");
        assert_eq!(bar_geometry(17), (3, 4));
        assert_eq!(bar_geometry(6), (1, 2));
        assert_eq!(bar_geometry(4), (1, 1));
    }

    #[test]
    fn scores_are_spaced_evenly_when_that_keeps_eight_rows() {
        assert_eq!(even_rows((0, 10), 25, MIN_PLOT), 21);
        assert_eq!(even_rows((0, 9), 10, MIN_PLOT), 10);
        assert_eq!(even_rows((1, 4), 25, MIN_PLOT), 25);
        assert_eq!(even_rows((1, 4), 9, MIN_PLOT), 9);
        // Lemperle in 10 rows: evenly would be 6, too short; stays 10.
        assert_eq!(even_rows((0, 5), 10, MIN_PLOT), 10);
        assert_eq!(even_rows((0, 10), 5, MIN_PLOT), 5);
        assert_eq!(even_rows((3, 3), 5, MIN_PLOT), 5);
        let rows = term_rows(45, true).evened((0, 10));
        assert_eq!((rows.plot, rows.bars, rows.pad), (21, 10, 3));
        let rows = term_rows(19, false).evened((0, 5));
        assert_eq!((rows.plot, rows.bars, rows.pad), (10, 4, 0));
    }

    #[test]
    fn the_score_plot_gets_at_least_eight_rows_at_80x24() {
        // 80×24: title, status and hint lines and the border leave 19.
        let rows = term_rows(19, false);
        assert!(rows.plot >= 8, "{rows:?}");
        assert!(!rows.gais_plot && rows.bars >= 3);
        assert_eq!(rows.plot + rows.bars + FIXED_ROWS + 1, 19);
        // 200×50: GAIS gets its plot, the bars their values.
        let rows = term_rows(45, true);
        assert!(
            rows.gais_plot && rows.bar_values && rows.plot >= 20,
            "{rows:?}"
        );
        let total = rows.plot + rows.bars + FIXED_ROWS + GAIS_PLOT_ROWS + 1;
        assert_eq!(total, 45);
        // The smallest terminal still adds up, without a panic.
        let rows = term_rows(11, false);
        assert_eq!(rows.plot + rows.bars + FIXED_ROWS + 1, 11);
        assert_eq!(term_rows(0, true).plot, 0);
    }
}
