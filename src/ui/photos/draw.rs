//! Drawing the compare screen. Pure: it reads the [`Compare`] and the
//! photos already in the [`PhotoCache`], and nothing else.

use crate::app::photo_view::{Compare, CompareLayout, PhotoCache, Visit, score_change};
use crate::domain::DATE;
use crate::ui::text::{fit, width};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use ratatui_image::Image;

/// Draws the compare screen in `area` (the body between the title bar and
/// the status line): the two panes, the strip of visits, the message if
/// any, and the keys.
pub fn render_compare(
    c: &Compare,
    cache: &PhotoCache,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let g = CompareLayout::new(area, c.message.is_some());
    header(c, frame, g.header, theme);
    if c.visits.is_empty() || c.views.is_empty() {
        let p = Paragraph::new("No photos for this client yet.")
            .alignment(Alignment::Center)
            .style(theme.dim());
        frame.render_widget(p, middle(g.left.union(g.right)));
    } else {
        pane(c, cache, frame, (g.left, g.left_picture), true, theme);
        pane(c, cache, frame, (g.right, g.right_picture), false, theme);
        strip(c, frame, g.strip, theme);
    }
    if let (Some(m), Some(r)) = (&c.message, g.message) {
        let text = fit(m, usize::from(r.width));
        frame.render_widget(Paragraph::new(text).style(theme.info()), r);
    }
    hint(c, frame, g.hint, theme);
}

/// "Ana Silva · front photos" on the left, the score change on the right
/// when there is room.
fn header(c: &Compare, frame: &mut Frame, area: Rect, theme: &Theme) {
    let left = format!("{} · {} photos", c.client, c.view_label());
    let w = usize::from(area.width);
    frame.render_widget(
        Paragraph::new(Span::styled(fit(&left, w), theme.heading())),
        area,
    );
    let change = (!c.single())
        .then(|| {
            let score = |i: usize| c.visits.get(i).and_then(|v| v.score.as_deref());
            score_change(score(c.baseline), score(c.current))
        })
        .flatten();
    if let Some(change) = change {
        let cw = width(&change);
        if width(&left) + cw + 3 <= w {
            let cw = cw as u16;
            let r = Rect::new(area.x + area.width - cw, area.y, cw, 1);
            frame.render_widget(Paragraph::new(change).style(theme.bold()), r);
        }
    }
}

/// One pane: its bordered block with the visit's title, and inside the
/// photo, "loading…", or why there is none.
fn pane(
    c: &Compare,
    cache: &PhotoCache,
    frame: &mut Frame,
    (outer, inner): (Rect, Rect),
    baseline: bool,
    theme: &Theme,
) {
    let index = if baseline { c.baseline } else { c.current };
    let Some(visit) = c.visits.get(index) else {
        return;
    };
    let room = usize::from(outer.width.saturating_sub(4));
    let (top, bottom) = titles(visit, baseline, room);
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(Line::from(Span::styled(format!(" {top} "), theme.bold())));
    if let Some(b) = bottom {
        block = block.title_bottom(Line::from(format!(" {b} ")).alignment(Alignment::Right));
    }
    frame.render_widget(block, outer);
    let label = c.view_label();
    let text = match visit.hash(c.view) {
        _ if !baseline && c.single() => {
            format!("Only one {label} photo so far: a later visit's will show here.")
        }
        None => format!("No {label} photo at this visit."),
        Some(hash) => match cache.get(hash, inner.width, inner.height) {
            Some(protocol) => {
                let size = protocol.size();
                let (w, h) = (size.width.min(inner.width), size.height.min(inner.height));
                let r = Rect::new(
                    inner.x + (inner.width - w) / 2,
                    inner.y + (inner.height - h) / 2,
                    w,
                    h,
                );
                frame.render_widget(Image::new(protocol), r);
                return;
            }
            None => "loading…".to_string(),
        },
    };
    let p = Paragraph::new(text)
        .alignment(Alignment::Center)
        .wrap(ratatui::widgets::Wrap { trim: true })
        .style(theme.dim());
    frame.render_widget(p, middle(inner));
}

/// The pane's title, and the score under the pane when the whole title
/// does not fit in `room` columns.
fn titles(v: &Visit, baseline: bool, room: usize) -> (String, Option<String>) {
    let date = v.date.format(DATE).to_string();
    let mut parts = if baseline {
        vec![
            "Baseline".to_string(),
            date,
            format!("session {}", v.session_number),
        ]
    } else {
        vec![format!("Session {}", v.session_number), date]
    };
    if let Some(s) = &v.score {
        let whole = [parts.clone(), vec![s.clone()]].concat().join(" · ");
        if width(&whole) <= room {
            return (whole, None);
        }
    }
    while parts.len() > 1 && width(&parts.join(" · ")) > room {
        parts.pop();
    }
    let bottom = v.score.as_ref().map(|s| fit(s, room));
    (fit(&parts.join(" · "), room), bottom)
}

/// A line whose vertical middle is `area`'s.
fn middle(area: Rect) -> Rect {
    let y = area.y + area.height.saturating_sub(1) / 2;
    Rect::new(area.x, y, area.width, area.height.clamp(1, 2))
}

/// The visits in a row: number, date and `●` when it has a photo of the
/// view (`·` when not); the baseline underlined, the current one in the
/// selection style. Scrolled so the current visit shows.
fn strip(c: &Compare, frame: &mut Frame, area: Rect, theme: &Theme) {
    let cells: Vec<(String, Style)> = c
        .visits
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mark = if c.has_photo(i) { '●' } else { '·' };
            let text = format!(" {} {} {mark} ", v.session_number, v.date.format("%m-%d"));
            let style = if i == c.current && !c.single() {
                theme.selected()
            } else if i == c.baseline {
                theme.focused()
            } else if c.has_photo(i) {
                Style::new()
            } else {
                theme.faint()
            };
            (text, style)
        })
        .collect();
    let lead = "Visits";
    let room = usize::from(area.width).saturating_sub(width(lead) + 1);
    let widths: Vec<usize> = cells.iter().map(|(t, _)| width(t)).collect();
    // The first visit shown: the earliest from which the current one fits.
    let mut first = 0;
    while first < c.current
        && widths[first..=c.current.min(cells.len() - 1)]
            .iter()
            .sum::<usize>()
            > room
    {
        first += 1;
    }
    let mut spans = vec![Span::styled(lead, theme.dim()), Span::raw(" ")];
    let mut used = 0;
    for ((text, style), w) in cells.into_iter().zip(widths).skip(first) {
        if used + w > room {
            break;
        }
        used += w;
        spans.push(Span::styled(text, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys, as many as fit: step, view, open, back.
fn hint(c: &Compare, frame: &mut Frame, area: Rect, theme: &Theme) {
    let k = &c.keys;
    let pairs = [
        (k.step.as_str(), "visits"),
        (k.view.as_str(), "view"),
        (k.open.as_str(), "open in the viewer"),
        (k.back.as_str(), "back"),
    ];
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, label) in pairs {
        let w = width(key) + width(label) + 3;
        if used + w > usize::from(area.width) {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::raw(format!(" {label} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
