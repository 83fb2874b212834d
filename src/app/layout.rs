//! Screen geometry shared by drawing (`ui`) and by `update` (page sizes,
//! mouse clicks, help scrolling), so both always agree on where rows are.
//! It lives in `app` because `update` needs it and `app` never looks up
//! into `ui`.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use unicode_width::UnicodeWidthStr;

/// Below this the program shows only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// Title bar, body, status line, hint bar.
pub fn frame(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The home screen's body: the client table and, when there is room, the
/// preview pane of the selected client.
pub fn clients_body(body: Rect) -> (Rect, Option<Rect>) {
    if body.width >= 140 {
        let [table, pane] =
            Layout::horizontal([Constraint::Min(90), Constraint::Length(50)]).areas(body);
        (table, Some(pane))
    } else if body.height >= 26 {
        let [table, pane] =
            Layout::vertical([Constraint::Min(8), Constraint::Length(10)]).areas(body);
        (table, Some(pane))
    } else {
        (body, None)
    }
}

/// The table area on the home screen for a terminal of `size`.
pub fn clients_table(size: (u16, u16)) -> Rect {
    let [_, body, _, _] = frame(Rect::new(0, 0, size.0, size.1));
    clients_body(body).0
}

/// How many client rows fit: the table minus its borders and header.
pub fn clients_page(size: (u16, u16)) -> usize {
    usize::from(clients_table(size).height.saturating_sub(3)).max(1)
}

/// The visible-row index under a mouse click at (`x`, `y`), if any.
pub fn clients_row_at(size: (u16, u16), x: u16, y: u16) -> Option<usize> {
    let t = clients_table(size);
    let first = t.y + 2;
    let last = t.y + t.height.saturating_sub(1);
    (x >= t.x && x < t.x + t.width && y >= first && y < last).then(|| usize::from(y - first))
}

/// How many session rows fit on the client screen's sessions table.
pub fn sessions_page(size: (u16, u16)) -> usize {
    usize::from(size.1.saturating_sub(3) / 2)
        .saturating_sub(3)
        .max(1)
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [r] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    r
}

/// `text` in pieces of at most `room` columns, broken between words (a
/// word longer than that stands alone).
pub fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match out.last_mut() {
            Some(line) if line.width() + 1 + word.width() <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}
