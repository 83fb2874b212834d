//! The progress chart (`c`) read cell by cell from the terminal buffer:
//! every scored visit's mark sits on the row of its value's axis label;
//! a visit's score, its number, its change, its date and its downtime bars
//! share one column; the score plot has at least 8 rows at 80×24; a flat
//! score on the baseline stays visible; adverse events are marked at
//! their visit; the bars have a scale; both GAIS ratings are shown.

mod support;

use chrono::Duration;
use needlelog::domain::{AdverseKind, Concern, Gais, OutcomeScale};
use needlelog::screenshot::draw;
use ratatui::style::Color;
use support::chart::*;
use support::today;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn check_marks_on_labels(scale: OutcomeScale, concern: Concern) {
    let (lo, hi) = scale.range();
    let down: Vec<u8> = (lo..=hi).rev().collect();
    let up: Vec<u8> = (lo..=hi).collect();
    let mid: Vec<u8> = {
        let mut v: Vec<u8> = (lo..=hi).collect();
        let half = v.len() / 2;
        v.rotate_left(half);
        v
    };
    for size in SIZES {
        for scores in [&down, &up, &mid] {
            let app = chart_with(
                concern,
                Some(i64::from(hi)),
                &scores.iter().map(|&v| scored(v)).collect::<Vec<_>>(),
                size,
            );
            let buf = draw(&app.state);
            let r = read(&buf);
            assert_eq!(
                r.marks.len(),
                scores.len(),
                "one mark per visit:\n{}",
                r.text
            );
            let labelled: Vec<(u16, u8)> = r
                .labels
                .iter()
                .filter_map(|(&y, l)| label_value(l).map(|v| (y, v)))
                .collect();
            assert!(labelled.iter().any(|l| l.1 == lo), "{}", r.text);
            for (i, (&(x, y), &v)) in r.marks.iter().zip(scores.iter()).enumerate() {
                assert_eq!(x, r.visits[i].1, "mark {i} off its visit:\n{}", r.text);
                match r.labels.get(&y).and_then(|l| label_value(l)) {
                    Some(label) => assert_eq!(
                        label, v,
                        "{scale:?} {v} at {size:?} is drawn on the row of {label}:\n{}",
                        r.text
                    ),
                    None => {
                        // Between labels: between their rows.
                        let above = labelled.iter().filter(|l| l.0 < y).map(|l| l.1).min();
                        let below = labelled.iter().filter(|l| l.0 > y).map(|l| l.1).max();
                        assert!(
                            above.is_some_and(|a| a > v) && below.is_some_and(|b| b < v),
                            "{scale:?} {v} at {size:?} is outside its labels:\n{}",
                            r.text
                        );
                    }
                }
            }
            // Higher scores never sit below lower ones.
            let mut by_value: Vec<(u8, u16)> = scores
                .iter()
                .zip(&r.marks)
                .map(|(&v, m)| (v, m.1))
                .collect();
            by_value.sort();
            assert!(by_value.windows(2).all(|w| w[0].1 >= w[1].1), "{}", r.text);
            // The baseline (the top of the scale) is labelled as such.
            assert!(
                r.labels.values().any(|l| l == &format!("base {hi}")),
                "{}",
                r.text
            );
        }
    }
}

#[test]
fn goodman_baron_marks_sit_on_their_labels() {
    check_marks_on_labels(OutcomeScale::GoodmanBaron, Concern::AcneScars);
}

#[test]
fn lemperle_marks_sit_on_their_labels() {
    check_marks_on_labels(OutcomeScale::Lemperle, Concern::FineLines);
}

#[test]
fn severity_marks_sit_on_their_labels() {
    check_marks_on_labels(OutcomeScale::Severity, Concern::StretchMarks);
}

#[test]
fn the_score_plot_has_at_least_eight_rows_at_80x24() {
    for (concern, baseline, scores) in [
        (Concern::AcneScars, 4, vec![4, 3, 3, 2]),
        (Concern::FineLines, 4, vec![4, 3, 2, 2, 1, 1]),
        (Concern::StretchMarks, 6, vec![5, 5, 5, 4]),
        (Concern::StretchMarks, 10, vec![9, 7, 4, 2, 0]),
    ] {
        let app = chart_of(concern, Some(baseline), &scores, (80, 24));
        let r = read(&draw(&app.state));
        assert!(
            r.plot_rows.len() >= 8,
            "{} rows:\n{}",
            r.plot_rows.len(),
            r.text
        );
        // Rows are contiguous and end just above the change row.
        assert_eq!(*r.plot_rows.last().unwrap() + 2, r.axis_row, "{}", r.text);
    }
}

/// The reviewer's complaint: score points and downtime bars at different x.
#[test]
fn a_visits_score_number_change_date_and_bars_share_its_column() {
    for size in [(80, 24), (120, 34), (200, 50)] {
        for count in [1usize, 3, 4, 6, 12] {
            let visits: Vec<V> = (0..count)
                .map(|i| with_days(8 - (i % 5) as u8, ["3", "2", "1.5"]))
                .collect();
            let app = chart_with(Concern::StretchMarks, Some(8), &visits, size);
            let buf = draw(&app.state);
            let r = read(&buf);
            assert_eq!(r.visits.len(), count, "{}", r.text);
            assert_eq!(r.marks.len(), count, "{}", r.text);
            let cells = r.bar_cells(&buf);
            for (i, &(number, col)) in r.visits.iter().enumerate() {
                assert_eq!(number, i as u32 + 1);
                assert_eq!(r.marks[i].0, col, "visit {number}'s mark:\n{}", r.text);
                // Its three bars, the nearest to its column, are centred on it.
                let mine: Vec<u16> = cells
                    .iter()
                    .map(|c| c.0)
                    .filter(|&x| {
                        r.visits
                            .iter()
                            .min_by_key(|v| v.1.abs_diff(x))
                            .is_some_and(|v| v.0 == number)
                    })
                    .collect();
                let (min, max) = (*mine.iter().min().unwrap(), *mine.iter().max().unwrap());
                assert_eq!(
                    min + max,
                    2 * col,
                    "visit {number}'s bars {min}–{max}:\n{}",
                    r.text
                );
                assert!(
                    mine.contains(&col),
                    "the middle bar on the column:\n{}",
                    r.text
                );
                // The change and the date are written across the column.
                let date = today() - Duration::days(14 * (count - i) as i64);
                let change = word_at(&buf, r.axis_row - 1, col);
                assert!(
                    change.ends_with('%') || change.ends_with("%)"),
                    "{change:?}:\n{}",
                    r.text
                );
                let written = word_at(&buf, r.axis_row + 1, col);
                let dates = [
                    date.format("%d %b").to_string(),
                    date.format("%m-%d").to_string(),
                ];
                // Narrow slots date every other visit, the latest included.
                let skipped = (count - 1 - i) % 2 == 1 && count >= 12 && size.0 <= 80;
                assert!(
                    dates.contains(&written) || skipped,
                    "{written:?} for {date}:\n{}",
                    r.text
                );
            }
        }
    }
}

#[test]
fn a_flat_score_on_the_baseline_stays_visible() {
    for size in SIZES {
        for (concern, base) in [
            (Concern::AcneScars, 3u8),
            (Concern::FineLines, 4),
            (Concern::StretchMarks, 6),
        ] {
            let app = chart_of(concern, Some(i64::from(base)), &[base, base, base], size);
            let buf = draw(&app.state);
            let r = read(&buf);
            let base_row = *r
                .labels
                .iter()
                .find(|(_, l)| **l == format!("base {base}"))
                .unwrap_or_else(|| panic!("no baseline label:\n{}", r.text))
                .0;
            assert_eq!(r.marks.len(), 3, "{}", r.text);
            assert!(r.marks.iter().all(|m| m.1 == base_row), "{}", r.text);
            // The baseline is dashed between and beside the marks.
            let row = r.row_text(base_row);
            assert!(row.contains("●╌") && row.contains("╌●"), "{row}");
            assert!(
                !row.contains('⠒'),
                "the score line covers the baseline: {row}"
            );
            let changes = r.row_text(r.axis_row - 1);
            assert_eq!(changes.matches("0 pts (0%)").count(), 3, "{changes}");
            // One point off the baseline is on another row.
            let app = chart_of(concern, Some(i64::from(base)), &[base, base - 1], size);
            let r = read(&draw(&app.state));
            assert_ne!(r.marks[0].1, r.marks[1].1, "{}", r.text);
        }
    }
}

#[test]
fn adverse_events_and_prolonged_redness_are_marked_at_their_visit() {
    let visits = vec![
        with_days(6, ["2", "1", "1"]),
        V {
            adverse: vec![AdverseKind::AcneFlare],
            ..with_days(5, ["2", "1", "1"])
        },
        // Redness past a week, not ticked.
        with_days(5, ["8", "1", "2"]),
        // A week exactly is not prolonged.
        with_days(4, ["7", "1", "2"]),
    ];
    for size in SIZES {
        let mut app = chart_with(Concern::StretchMarks, Some(6), &visits, size);
        app.state.color = true;
        let buf = draw(&app.state);
        let r = read(&buf);
        let axis = r.row_text(r.axis_row);
        for (number, col) in r.visits.clone() {
            // Past `#n`: a space and `!`, or the axis.
            let end = col + 1 + number.to_string().len() as u16;
            let after: String = (end..end + 2)
                .map(|x| symbol(&buf, x, r.axis_row))
                .collect();
            let marked = after.trim_start().starts_with('!');
            assert_eq!(marked, matches!(number, 2 | 3), "visit {number}: {axis}");
            if marked {
                let x = (col + 1..col + 4)
                    .find(|&x| symbol(&buf, x, r.axis_row) == "!")
                    .unwrap();
                assert_eq!(buf[(x, r.axis_row)].fg, Color::Red, "in the error colour");
            }
        }
        assert!(
            r.text.contains("! adverse event"),
            "the legend says what ! is:\n{}",
            r.text
        );
    }
}

#[test]
fn the_bars_have_a_scale_in_days() {
    let visits = vec![
        with_days(5, ["4", "2", "1"]),
        with_days(4, ["1", "0.5", "0"]),
    ];
    for size in SIZES {
        let app = chart_with(Concern::StretchMarks, Some(6), &visits, size);
        let buf = draw(&app.state);
        let r = read(&buf);
        let heading = r
            .text
            .lines()
            .find(|l| l.contains("Downtime"))
            .unwrap()
            .to_string();
        let per_row: f64 = heading
            .split("1 row = ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("{heading}"));
        // Every axis label names the days at the top of its row.
        let rows = r.bar_rows.len() as f64;
        let mut labels = 0;
        for (i, &y) in r.bar_rows.iter().enumerate() {
            let label = r.gutter(&buf, y);
            if label.is_empty() {
                continue;
            }
            labels += 1;
            let days: f64 = label.trim_end_matches(" d").parse().unwrap();
            assert_eq!(days, (rows - i as f64) * per_row, "{label}:\n{}", r.text);
        }
        assert!(labels >= 2, "{}", r.text);
        // Heights in eighths of a row, proportional to the days.
        let col = r.column_of(1);
        let eighths = |x: u16| -> f64 {
            r.bar_rows
                .iter()
                .map(|&y| {
                    BLOCKS
                        .chars()
                        .position(|c| c.to_string() == symbol(&buf, x, y))
                        .map_or(0, |p| p + 1)
                })
                .sum::<usize>() as f64
        };
        // The leftmost bar is redness, the middle one (on the column) swelling.
        let leftmost = r.bar_cells(&buf).iter().map(|c| c.0).min().unwrap();
        let (redness, swelling) = (leftmost, col);
        assert_eq!(eighths(redness), 4.0 / per_row * 8.0, "{}", r.text);
        assert_eq!(eighths(swelling), 2.0 / per_row * 8.0, "{}", r.text);
    }
}

#[test]
fn both_gais_ratings_are_shown_at_their_visit() {
    let visits = vec![
        V {
            gais: (Some(2), Some(3)),
            ..scored(5)
        },
        V {
            gais: (None, Some(4)),
            ..scored(5)
        },
        V {
            gais: (Some(1), None),
            ..scored(4)
        },
    ];
    // 80×24: one line, clinician/client under each visit.
    let app = chart_with(Concern::StretchMarks, Some(6), &visits, (80, 24));
    let buf = draw(&app.state);
    let r = read(&buf);
    let gais_row = (r.axis_row..buf.area.height)
        .find(|&y| r.gutter(&buf, y) == "GAIS")
        .unwrap_or_else(|| panic!("{}", r.text));
    for (number, text) in [(1, "2/3"), (2, "—/4"), (3, "1/—")] {
        let col = r.column_of(number);
        let cell: String = (col - 1..col + 2)
            .map(|x| symbol(&buf, x, gais_row))
            .collect();
        assert_eq!(cell, text, "{}", r.text);
    }
    assert!(r.text.contains("GAIS clinician/client"), "{}", r.text);
    // 200×50: a plot of the grades, the clinician's dot left of the
    // column, the client's ring right of it, on their grades' rows.
    let app = chart_with(Concern::StretchMarks, Some(6), &visits, (200, 50));
    let buf = draw(&app.state);
    let r = read(&buf);
    let grade_row = |g: &str| {
        (r.axis_row..buf.area.height)
            .find(|&y| r.gutter(&buf, y) == g && symbol(&buf, r.axis_x, y) == "┤")
            .unwrap_or_else(|| panic!("no row for grade {g}:\n{}", r.text))
    };
    for (number, clinician, client) in [
        (1, Some("2"), Some("3")),
        (2, None, Some("4")),
        (3, Some("1"), None),
    ] {
        let col = r.column_of(number);
        if let Some(g) = clinician {
            assert_eq!(symbol(&buf, col - 1, grade_row(g)), "●", "{}", r.text);
        }
        if let Some(g) = client {
            assert_eq!(symbol(&buf, col + 1, grade_row(g)), "○", "{}", r.text);
        }
    }
    for v in 1..=5 {
        let grade = format!("{v} {}", Gais::new("GAIS", v).unwrap().label());
        assert!(r.text.contains(&grade), "{grade} missing:\n{}", r.text);
    }
}

#[test]
fn many_visits_show_the_latest_and_say_so() {
    let scores: Vec<u8> = (0..20).map(|i| 10 - (i % 10) as u8).collect();
    let app = chart_of(Concern::StretchMarks, Some(10), &scores, (80, 24));
    let r = read(&draw(&app.state));
    let shown: Vec<u32> = r.visits.iter().map(|v| v.0).collect();
    assert_eq!(shown, (4..=20).collect::<Vec<u32>>(), "{}", r.text);
    assert!(r.row_text(1).contains("visits 4–20 of 20"), "{}", r.text);
}

#[test]
fn without_a_baseline_there_is_no_baseline_line_and_the_title_says_why() {
    for size in SIZES {
        let app = chart_of(Concern::AcneScars, None, &[4, 3, 2], size);
        let r = read(&draw(&app.state));
        assert!(
            !r.labels.values().any(|l| l.starts_with("base")),
            "{}",
            r.text
        );
        assert!(!r.text.contains('╌'), "{}", r.text);
        assert!(r.row_text(1).contains("no baseline score"), "{}", r.text);
        assert_eq!(r.marks.len(), 3);
    }
}

#[test]
fn odd_series_and_small_terminals_draw_without_panicking() {
    for size in [
        (60, 16),
        (61, 17),
        (80, 24),
        (100, 30),
        (200, 50),
        (250, 70),
    ] {
        for visits in [0usize, 1, 2, 12, 40] {
            let v: Vec<V> = (0..visits)
                .map(|i| V {
                    score: (i % 3 != 1).then_some((i % 11) as u8),
                    days: [Some("30"), None, Some("0.5")],
                    adverse: vec![AdverseKind::Other],
                    gais: (Some(5), Some(1)),
                })
                .collect();
            let app = chart_with(Concern::StretchMarks, Some(0), &v, size);
            let screen = app.screen();
            if visits == 0 {
                assert!(screen.contains("No session in this series yet"), "{screen}");
            }
        }
    }
}
