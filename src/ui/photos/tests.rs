//! The compare screen drawn on a `TestBackend` in half-block mode, with
//! photos the tests generate, and its pure steps.

use super::*;
use crate::app::layout;
use crate::app::palette::Palette;
use crate::domain::{View, Zone};
use crate::ui::theme::Theme;
use chrono::NaiveDate;
use image::{DynamicImage, Rgb, RgbImage};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// One colour, darkening from top to bottom: every half-block cell's upper
/// half is lighter than its lower, so each is drawn with `▀`.
fn solid(r: u8, g: u8, b: u8) -> DynamicImage {
    let shade = |c: u8, y: u32| (u32::from(c) * (1200 - y) / 1200) as u8;
    DynamicImage::ImageRgb8(RgbImage::from_fn(480, 600, |_, y| {
        Rgb([shade(r, y), shade(g, y), shade(b, y)])
    }))
}

/// Four visits; front photos at 1, 2 and 4; one close-up at visit 1.
fn sample() -> Compare {
    let visit = |n: usize, date, score: &str, front: Option<&str>, close: Option<&str>| Visit {
        date,
        session_number: n,
        score: Some(format!("Goodman & Baron {score}")),
        photos: vec![front.map(String::from), close.map(String::from)],
    };
    Compare::new(
        "Ana Silva",
        vec![
            CompareView::new(View::Front),
            CompareView::close_up(Zone::Cheeks),
        ],
        vec![
            visit(1, day(3, 2), "3", Some("red"), Some("close")),
            visit(2, day(4, 13), "3", Some("green"), None),
            visit(3, day(5, 25), "2", None, None),
            visit(4, day(7, 20), "2", Some("blue"), None),
        ],
    )
}

fn image_of(hash: &str) -> DynamicImage {
    match hash {
        "red" => solid(220, 0, 0),
        "green" => solid(0, 200, 0),
        "blue" => solid(0, 0, 230),
        _ => solid(200, 160, 120),
    }
}

fn body(w: u16, h: u16) -> Rect {
    layout::frame(Rect::new(0, 0, w, h))[1]
}

/// Prepares what the screen wants, then draws it.
fn draw(c: &Compare, w: u16, h: u16, color: bool, prepare: bool) -> Buffer {
    let painter = PhotoPainter::halfblocks();
    let mut cache = PhotoCache::default();
    let area = body(w, h);
    if prepare {
        for (hash, rect) in c.wanted(area) {
            cache
                .prepare(&painter, &hash, &image_of(&hash), rect)
                .unwrap();
        }
    }
    let theme = Theme::new(&Palette::dark(), color);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render_compare(c, &cache, f, area, &theme))
        .unwrap();
    t.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let a = buf.area;
    (a.top()..a.bottom())
        .map(|y| {
            (a.left()..a.right())
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The cells inside `r` painted by the photo, and their two colours.
fn painted(buf: &Buffer, r: Rect) -> Vec<(Color, Color)> {
    let mut out = Vec::new();
    for y in r.top()..r.bottom() {
        for x in r.left()..r.right() {
            let cell = &buf[(x, y)];
            // Half blocks, or a space when both halves are the same colour.
            if matches!(cell.bg, Color::Rgb(..)) && ["▀", "▄", " "].contains(&cell.symbol()) {
                out.push((cell.fg, cell.bg));
            }
        }
    }
    out
}

fn is_red(c: Color) -> bool {
    matches!(c, Color::Rgb(r, g, b) if r > 60 && g < 20 && b < 20)
}

fn is_blue(c: Color) -> bool {
    matches!(c, Color::Rgb(r, g, b) if b > 60 && r < 20 && g < 20)
}

#[test]
fn the_baseline_and_latest_photos_are_painted_side_by_side() {
    for (w, h) in [(80, 24), (200, 50), (60, 16)] {
        let c = sample();
        assert_eq!((c.baseline, c.current), (0, 3));
        let buf = draw(&c, w, h, true, true);
        let g = CompareLayout::new(body(w, h), false);
        let left = painted(&buf, g.left_picture);
        let right = painted(&buf, g.right_picture);
        // The pictures fill most of their panes' height.
        let rows = usize::from(g.left_picture.height);
        assert!(left.len() >= rows * 4, "{w}×{h}: {} cells", left.len());
        let odd: Vec<_> = left
            .iter()
            .filter(|&&(f, b)| !(is_red(f) && is_red(b)))
            .collect();
        assert!(odd.is_empty(), "{w}×{h}: {odd:?}");
        assert_eq!(right.len(), left.len(), "{w}×{h}\n{}", text(&buf));
        assert!(
            right.iter().all(|&(f, b)| is_blue(f) && is_blue(b)),
            "{w}×{h}"
        );
        let t = text(&buf);
        let blocks = t.matches('▀').count();
        assert!(blocks >= left.len(), "{w}×{h}: {blocks} half blocks");
        assert!(t.contains("Goodman & Baron 3 → 2"), "{t}");
        assert!(t.contains("Baseline · 2026-03-02"), "{t}");
        assert!(t.contains("Session 4 · 2026-07-20"), "{t}");
        insta::assert_snapshot!(format!("compare_{w}x{h}"), t);
    }
}

#[test]
fn the_whole_titles_show_when_there_is_room() {
    let t = text(&draw(&sample(), 200, 50, true, true));
    assert!(
        t.contains("Baseline · 2026-03-02 · session 1 · Goodman & Baron 3"),
        "{t}"
    );
    assert!(
        t.contains("Session 4 · 2026-07-20 · Goodman & Baron 2"),
        "{t}"
    );
    // At 80 columns the score moves under the pane, still there.
    let t = text(&draw(&sample(), 80, 24, true, true));
    assert!(t.contains("Goodman & Baron 3 "), "{t}");
    assert!(t.contains("Goodman & Baron 2 "), "{t}");
    for key in ["visits", "v view", "Esc back"] {
        assert!(t.contains(key), "{key}: {t}");
    }
}

#[test]
fn a_photo_not_yet_prepared_says_loading() {
    let t = text(&draw(&sample(), 80, 24, true, false));
    assert_eq!(t.matches("loading…").count(), 2, "{t}");
}

#[test]
fn a_visit_without_a_photo_of_the_view_says_so() {
    let mut c = sample();
    c.current = 2;
    let t = text(&draw(&c, 80, 24, true, true));
    assert!(t.contains("No front photo at this visit."), "{t}");
    // A view with one photo: nothing to compare it with.
    let mut c = sample();
    c.cycle_view();
    assert_eq!(c.view_label(), "close-up: cheeks");
    let buf = draw(&c, 80, 24, true, true);
    let t = text(&buf);
    assert!(t.contains("Only one close-up: cheeks photo"), "{t}");
    assert!(t.contains("Ana Silva · close-up: cheeks photos"), "{t}");
    let g = CompareLayout::new(body(80, 24), false);
    assert!(!painted(&buf, g.left_picture).is_empty());
    assert!(painted(&buf, g.right_picture).is_empty());
}

#[test]
fn without_colour_the_current_visit_is_in_reverse_video() {
    let c = sample();
    let buf = draw(&c, 80, 24, false, true);
    let g = CompareLayout::new(body(80, 24), false);
    let y = g.strip.y;
    let reversed: String = (g.strip.left()..g.strip.right())
        .filter(|&x| buf[(x, y)].modifier.contains(Modifier::REVERSED))
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect();
    assert_eq!(reversed, " 4 07-20 ● ");
    // The text around the photos has no colour of its own.
    for x in g.strip.left()..g.strip.right() {
        assert_eq!(buf[(x, y)].fg, Color::Reset);
    }
}

#[test]
fn stepping_goes_through_the_visits_with_a_photo() {
    let mut c = sample();
    assert!(!c.step(true));
    assert_eq!(
        c.message.as_deref(),
        Some("This is the latest front photo.")
    );
    assert!(c.step(false));
    assert_eq!(c.current, 1, "visit 3 has no front photo: skipped");
    assert_eq!(c.message, None);
    assert!(!c.step(false), "never onto the baseline");
    assert_eq!(c.current, 1);
    assert!(
        c.message
            .as_deref()
            .unwrap()
            .contains("first front photo after")
    );
    assert!(c.step(true));
    assert_eq!(c.current, 3);
    // The message takes a row and the picture cells shrink with it.
    let before = c.wanted(body(80, 24));
    c.message = Some("x".into());
    let after = c.wanted(body(80, 24));
    assert_eq!(before.len(), 2);
    assert_eq!(after[0].1.height + 1, before[0].1.height);
}

#[test]
fn cycling_the_view_starts_over_at_its_baseline_and_latest() {
    let mut c = sample();
    c.step(false);
    c.cycle_view();
    assert_eq!((c.view, c.baseline, c.current), (1, 0, 0));
    assert!(c.single());
    assert!(!c.step(true));
    assert!(
        c.message
            .as_deref()
            .unwrap()
            .starts_with("Only one close-up")
    );
    c.cycle_view();
    assert_eq!((c.view, c.baseline, c.current), (0, 0, 3));
    assert_eq!(c.wanted(body(80, 24)).len(), 2);
    let mut one = Compare::new("B", vec![CompareView::new(View::Left)], vec![]);
    one.cycle_view();
    assert_eq!(
        one.message.as_deref(),
        Some("Only left photos for this client.")
    );
    let t = text(&draw(&one, 80, 24, true, true));
    assert!(t.contains("No photos for this client yet."), "{t}");
}

#[test]
fn clamping_after_the_data_changed_lands_on_photos() {
    let mut c = sample();
    c.visits.truncate(3);
    c.clamp();
    assert_eq!((c.baseline, c.current), (0, 1));
    c.view = 7;
    c.clamp();
    assert_eq!(c.view, 1);
    c.views.clear();
    c.visits.clear();
    c.clamp();
    assert_eq!((c.view, c.baseline, c.current), (0, 0, 0));
}

#[test]
fn score_changes_name_the_scale_once() {
    let sc = |a, b| score_change(a, b);
    assert_eq!(
        sc(Some("Goodman & Baron 3"), Some("Goodman & Baron 2")).as_deref(),
        Some("Goodman & Baron 3 → 2")
    );
    assert_eq!(
        sc(Some("Lemperle 4"), Some("Severity 5")).as_deref(),
        Some("Lemperle 4 → Severity 5")
    );
    assert_eq!(
        sc(None, Some("Severity 5")).as_deref(),
        Some("not scored → Severity 5")
    );
    assert_eq!(sc(None, None), None);
}

#[test]
fn a_long_series_scrolls_the_strip_to_the_current_visit() {
    let visits = (1..=12)
        .map(|n| Visit {
            date: day(1, 1) + chrono::Days::new(n as u64 * 30),
            session_number: n,
            score: None,
            photos: vec![Some(format!("v{n}"))],
        })
        .collect();
    let mut c = Compare::new("C", vec![CompareView::new(View::Front)], visits);
    assert_eq!((c.baseline, c.current), (0, 11));
    let strip = |c: &Compare| {
        let buf = draw(c, 60, 16, true, false);
        let g = CompareLayout::new(body(60, 16), c.message.is_some());
        (g.strip.left()..g.strip.right())
            .map(|x| buf[(x, g.strip.y)].symbol().to_string())
            .collect::<String>()
    };
    let s = strip(&c);
    assert!(s.contains(" 12 12-27 ● "), "{s}");
    assert!(!s.contains(" 1 01-31 "), "{s}");
    for _ in 0..10 {
        c.step(false);
    }
    assert_eq!(c.current, 1);
    let s = strip(&c);
    assert!(
        s.contains(" 1 01-31 ● ") && s.contains(" 2 03-02 ● "),
        "{s}"
    );
}
