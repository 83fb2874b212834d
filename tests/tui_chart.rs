//! The progress chart (`c`) read cell by cell from the terminal buffer:
//! every scored visit's mark sits on the row of its value's axis label, on
//! every outcome scale and at both reference sizes, whatever the order of
//! the scores; the baseline too; and the GAIS legend names all five grades.

mod support;

use chrono::{Duration, TimeZone, Utc};
use needlelog::app::State;
use needlelog::app::run::start;
use needlelog::db::{Clock, Store};
use needlelog::domain::{ClientDraft, Concern, Gais, OutcomeScale, SeriesDraft, SessionDraft};
use needlelog::screenshot::{draw, to_text};
use ratatui::buffer::Buffer;
use std::collections::BTreeMap;
use support::app::{App, now};
use support::today;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

/// A client whose one series (`concern`'s default scale) has a visit for
/// each of `scores`, in that order, and the chart of it on screen.
fn chart_of(concern: Concern, baseline: Option<i64>, scores: &[u8], size: (u16, u16)) -> App {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("test.db")).unwrap();
    store.set_clock(Clock::Fixed(Utc.from_utc_datetime(&now())));
    let n = scores.len() as i64;
    let mut series = SeriesDraft::new(concern, today() - Duration::days(14 * n + 7));
    series.planned_sessions = 12;
    series.baseline_score = baseline;
    let c = store
        .create_client(&ClientDraft::named("Ana Souza"), Some(&series))
        .unwrap();
    let s = store.series_of(c.id).unwrap()[0].id;
    for (i, &v) in scores.iter().enumerate() {
        let day = today() - Duration::days(14 * (n - i as i64));
        let mut x = SessionDraft::at(day.and_hms_opt(10, 0, 0).unwrap());
        x.outcome_score = Some(v);
        store.create_session(s, &x).unwrap();
    }
    let mut state = State::new(now(), size, "test.db", false);
    state.color = false;
    start(&mut state, &mut store);
    let mut app = App { state, store, dir };
    app.keys("<Enter>c");
    app
}

fn symbol(buf: &Buffer, x: u16, y: u16) -> &str {
    buf[(x, y)].symbol()
}

/// The score chart's plot as the buffer shows it.
struct Plot {
    /// Axis label text → its row.
    labels: BTreeMap<u8, u16>,
    /// Each visit's mark (█), left to right: (column, row).
    marks: Vec<(u16, u16)>,
    /// Rows of the plot's first column holding a line (the baseline).
    first_column: Vec<u16>,
}

fn read_plot(buf: &Buffer) -> Plot {
    let text = to_text(buf);
    let lines: Vec<&str> = text.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.starts_with("╭ Outcome"))
        .unwrap_or_else(|| panic!("no score chart:\n{text}")) as u16;
    let (axis_row, axis_col) = (top + 1..buf.area.height)
        .find_map(|y| {
            (0..buf.area.width).find_map(|x| (symbol(buf, x, y) == "└").then_some((y, x)))
        })
        .expect("the x axis");
    let right = (1..buf.area.width)
        .find(|&x| symbol(buf, x, top) == "╮")
        .expect("the chart's right edge");
    let mut labels = BTreeMap::new();
    let mut marks = Vec::new();
    let mut first_column = Vec::new();
    for y in top + 1..axis_row {
        let label: String = (1..axis_col).map(|x| symbol(buf, x, y)).collect();
        if let Ok(v) = label.trim().parse::<u8>() {
            labels.insert(v, y);
        }
        for x in axis_col + 1..right {
            if symbol(buf, x, y) == "█" {
                marks.push((x, y));
            }
        }
        if symbol(buf, axis_col + 1, y).trim() != "" {
            first_column.push(y);
        }
    }
    marks.sort();
    Plot {
        labels,
        marks,
        first_column,
    }
}

fn check_scale(concern: Concern, scale: OutcomeScale) {
    let (lo, hi) = scale.range();
    let down: Vec<u8> = (lo..=hi).rev().collect();
    let up: Vec<u8> = (lo..=hi).collect();
    // Down, as a series should go; up; and from the middle out.
    let mid: Vec<u8> = {
        let mut v: Vec<u8> = (lo..=hi).collect();
        let half = v.len() / 2;
        v.rotate_left(half);
        v
    };
    for size in SIZES {
        for scores in [&down, &up, &mid] {
            let app = chart_of(concern, Some(i64::from(hi)), scores, size);
            let buf = draw(&app.state);
            let plot = read_plot(&buf);
            let screen = to_text(&buf);
            assert!(
                plot.labels.contains_key(&lo) && plot.labels.contains_key(&hi),
                "{screen}"
            );
            assert_eq!(
                plot.marks.len(),
                scores.len(),
                "one mark per visit:\n{screen}"
            );
            let columns: std::collections::BTreeSet<u16> = plot.marks.iter().map(|m| m.0).collect();
            assert_eq!(columns.len(), scores.len(), "a column per visit:\n{screen}");
            for (&(_, row), &v) in plot.marks.iter().zip(scores.iter()) {
                match plot.labels.get(&v) {
                    Some(&label_row) => assert_eq!(
                        row, label_row,
                        "{scale:?} {v} at {size:?} is drawn off its label's row:\n{screen}"
                    ),
                    None => {
                        // Between labels: between their rows.
                        let below = plot.labels.range(..v).next_back().unwrap();
                        let above = plot.labels.range(v..).next().unwrap();
                        assert!(
                            row <= *below.1 && row >= *above.1,
                            "{scale:?} {v} at {size:?} is outside its labels' rows:\n{screen}"
                        );
                    }
                }
            }
            // Higher scores never sit below lower ones.
            let mut by_value: Vec<(u8, u16)> = scores
                .iter()
                .zip(plot.marks.iter())
                .map(|(&v, &(_, row))| (v, row))
                .collect();
            by_value.sort();
            assert!(by_value.windows(2).all(|w| w[0].1 >= w[1].1), "{screen}");
            // The baseline (the top of the scale) starts on the top label's row.
            assert_eq!(plot.first_column, [plot.labels[&hi]], "{screen}");
        }
    }
}

#[test]
fn goodman_baron_marks_sit_on_their_labels() {
    check_scale(Concern::AcneScars, OutcomeScale::GoodmanBaron);
}

#[test]
fn lemperle_marks_sit_on_their_labels() {
    check_scale(Concern::FineLines, OutcomeScale::Lemperle);
}

#[test]
fn severity_marks_sit_on_their_labels() {
    check_scale(Concern::StretchMarks, OutcomeScale::Severity);
}

/// The case in the issue: Goodman & Baron 3 was drawn a row above its label.
#[test]
fn goodman_baron_three_is_on_the_row_of_three() {
    for size in SIZES {
        let app = chart_of(Concern::AcneScars, Some(4), &[3, 2, 3, 1], size);
        let plot = read_plot(&draw(&app.state));
        let rows: Vec<u16> = plot.marks.iter().map(|m| m.1).collect();
        assert_eq!(
            rows,
            [
                plot.labels[&3],
                plot.labels[&2],
                plot.labels[&3],
                plot.labels[&1]
            ],
            "{}",
            app.screen()
        );
    }
}

#[test]
fn the_gais_legend_names_all_five_grades() {
    for size in SIZES {
        for visits in [4, 12] {
            let scores: Vec<u8> = (0..visits).map(|i| 4 - (i % 4) as u8).collect();
            let app = chart_of(Concern::AcneScars, None, &scores, size);
            let screen = app.screen();
            for v in 1..=5 {
                let grade = format!("{v} {}", Gais::new("GAIS", v).unwrap().label());
                assert!(screen.contains(&grade), "{grade} missing:\n{screen}");
            }
        }
    }
}
