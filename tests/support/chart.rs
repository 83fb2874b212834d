//! The progress chart's test harness: a series built visit by visit, its
//! chart drawn, and the buffer read back into rows, labels, marks, visit
//! columns and bars (tests/tui_chart.rs).

use super::app::{App, now};
use super::today;
use chrono::{Duration, TimeZone, Utc};
use needlelog::app::State;
use needlelog::app::run::start;
use needlelog::db::{Clock, Store};
use needlelog::domain::{
    AdverseEvent, AdverseKind, ClientDraft, Concern, Days, Followup, Gais, SeriesDraft,
    SessionDraft,
};
use needlelog::screenshot::to_text;
use ratatui::buffer::Buffer;
use std::collections::BTreeMap;

/// One visit of a test series.
#[derive(Clone, Default)]
pub struct V {
    pub score: Option<u8>,
    /// Redness, swelling, peeling days.
    pub days: [Option<&'static str>; 3],
    pub adverse: Vec<AdverseKind>,
    pub gais: (Option<i64>, Option<i64>),
}

pub fn scored(v: u8) -> V {
    V {
        score: Some(v),
        ..V::default()
    }
}

pub fn with_days(v: u8, days: [&'static str; 3]) -> V {
    V {
        score: Some(v),
        days: days.map(Some),
        ..V::default()
    }
}

/// A client whose one series (`concern`'s default scale) has `visits`,
/// two weeks apart, and the chart of it on screen.
pub fn chart_with(concern: Concern, baseline: Option<i64>, visits: &[V], size: (u16, u16)) -> App {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("test.db")).unwrap();
    store.set_clock(Clock::Fixed(Utc.from_utc_datetime(&now())));
    let n = visits.len() as i64;
    let mut series = SeriesDraft::new(concern, today() - Duration::days(14 * n + 7));
    series.planned_sessions = 12;
    series.baseline_score = baseline;
    let c = store
        .create_client(&ClientDraft::named("Ana Souza"), Some(&series))
        .unwrap();
    let s = store.series_of(c.id).unwrap()[0].id;
    for (i, v) in visits.iter().enumerate() {
        let day = today() - Duration::days(14 * (n - i as i64));
        let mut x = SessionDraft::at(day.and_hms_opt(10, 0, 0).unwrap());
        x.outcome_score = v.score;
        x.gais_clinician = v.gais.0.map(|g| Gais::new("g", g).unwrap());
        x.gais_client = v.gais.1.map(|g| Gais::new("g", g).unwrap());
        let saved = store.create_session(s, &x).unwrap();
        let f = Followup {
            redness_days: v.days[0].map(|d| Days::parse("r", d).unwrap()),
            swelling_days: v.days[1].map(|d| Days::parse("s", d).unwrap()),
            peeling_days: v.days[2].map(|d| Days::parse("p", d).unwrap()),
            adverse_events: v
                .adverse
                .iter()
                .map(|&kind| AdverseEvent::noted(kind, "noted"))
                .collect(),
            ..Followup::default()
        };
        if f.is_recorded() {
            store.set_followup(saved.id, &f).unwrap();
        }
    }
    let mut state = State::new(now(), size, "test.db", false);
    state.color = false;
    start(&mut state, &mut store);
    let mut app = App { state, store, dir };
    app.keys("<Enter>c");
    app
}

pub fn chart_of(concern: Concern, baseline: Option<i64>, scores: &[u8], size: (u16, u16)) -> App {
    let visits: Vec<V> = scores.iter().map(|&v| scored(v)).collect();
    chart_with(concern, baseline, &visits, size)
}

pub fn symbol(buf: &Buffer, x: u16, y: u16) -> &str {
    buf[(x, y)].symbol()
}

pub const BLOCKS: &str = "▁▂▃▄▅▆▇█";

/// The chart as the buffer shows it.
pub struct Read {
    pub text: String,
    /// The y axis' column and the x axis' row (`└`).
    pub axis_x: u16,
    pub axis_row: u16,
    pub right: u16,
    /// Rows of the score plot, top down.
    pub plot_rows: Vec<u16>,
    /// Gutter label → its row, in the score plot.
    pub labels: BTreeMap<u16, String>,
    /// Each score mark (●), left to right: (column, row).
    pub marks: Vec<(u16, u16)>,
    /// Each visit number on the x axis with the column it is centred on.
    pub visits: Vec<(u32, u16)>,
    /// Rows of the downtime bars, top down.
    pub bar_rows: Vec<u16>,
}

impl Read {
    pub fn row_text(&self, y: u16) -> String {
        self.text
            .lines()
            .nth(usize::from(y))
            .unwrap_or("")
            .to_string()
    }

    pub fn gutter(&self, buf: &Buffer, y: u16) -> String {
        (1..self.axis_x)
            .map(|x| symbol(buf, x, y))
            .collect::<String>()
            .trim()
            .to_string()
    }

    pub fn column_of(&self, visit: u32) -> u16 {
        self.visits.iter().find(|v| v.0 == visit).unwrap().1
    }

    /// The bar cells (column, row, symbol) in the downtime panel.
    pub fn bar_cells(&self, buf: &Buffer) -> Vec<(u16, u16, String)> {
        let mut out = Vec::new();
        for &y in &self.bar_rows {
            for x in self.axis_x + 1..self.right {
                let s = symbol(buf, x, y);
                if BLOCKS.contains(s) && !s.is_empty() {
                    out.push((x, y, s.to_string()));
                }
            }
        }
        out
    }
}

pub fn read(buf: &Buffer) -> Read {
    let text = to_text(buf);
    let (axis_row, axis_x) = (0..buf.area.height)
        .find_map(|y| {
            (0..buf.area.width).find_map(|x| (symbol(buf, x, y) == "└").then_some((y, x)))
        })
        .unwrap_or_else(|| panic!("no x axis:\n{text}"));
    let right = (1..buf.area.width)
        .find(|&x| symbol(buf, x, 1) == "╮")
        .expect("the panel's right edge");
    let axis = |y: u16| matches!(symbol(buf, axis_x, y), "┤" | "│");
    // Up from the change row (just above the x axis).
    let mut plot_rows: Vec<u16> = (1..axis_row - 1).rev().take_while(|&y| axis(y)).collect();
    plot_rows.reverse();
    let mut r = Read {
        text,
        axis_x,
        axis_row,
        right,
        plot_rows,
        labels: BTreeMap::new(),
        marks: Vec::new(),
        visits: Vec::new(),
        bar_rows: Vec::new(),
    };
    for &y in &r.plot_rows.clone() {
        let label = r.gutter(buf, y);
        if !label.is_empty() {
            r.labels.insert(y, label);
        }
        for x in axis_x + 1..right {
            if symbol(buf, x, y) == "●" {
                r.marks.push((x, y));
            }
        }
    }
    r.marks.sort();
    let mut x = axis_x + 1;
    while x < right {
        if symbol(buf, x, axis_row) == "#" {
            let digits: String = (x + 1..right)
                .map(|x| symbol(buf, x, axis_row))
                .take_while(|s| s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty())
                .collect();
            let w = 1 + digits.len() as u16;
            r.visits.push((digits.parse().unwrap(), x + (w - 1) / 2));
            x += w;
        } else {
            x += 1;
        }
    }
    let heading = (axis_row + 1..buf.area.height)
        .find(|&y| {
            r.row_text(y)
                .get(3..)
                .is_some_and(|t| t.starts_with("Downtime"))
        })
        .unwrap_or_else(|| panic!("no downtime heading:\n{}", r.text));
    r.bar_rows = (heading + 1..buf.area.height)
        .take_while(|&y| axis(y))
        .collect();
    r
}

/// The text around column `col` of row `y`, up to two spaces either side.
pub fn word_at(buf: &Buffer, y: u16, col: u16) -> String {
    let blank = |x: u16| symbol(buf, x, y) == " ";
    let mut left = col;
    while left > 1 && !(blank(left - 1) && blank(left - 2)) {
        left -= 1;
    }
    let mut right = col;
    while right + 2 < buf.area.width && !(blank(right + 1) && blank(right + 2)) {
        right += 1;
    }
    (left..=right)
        .map(|x| symbol(buf, x, y))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The score a gutter label names: `4` or `base 4`.
pub fn label_value(label: &str) -> Option<u8> {
    label.trim_start_matches("base ").parse().ok()
}
