//! Moving through lists: rows, pages, series.

use super::{Command, Effect, Screen, State, preview_effect};
use crate::app::layout;

/// Moves the cursor of the list on screen.
pub(super) fn navigate(s: &mut State, cmd: Command) -> Vec<Effect> {
    use Command as C;
    let page = page(s) as isize;
    let delta = match cmd {
        C::Up => -1,
        C::Down => 1,
        C::Top => isize::MIN / 2,
        C::Bottom => isize::MAX / 2,
        C::PageUp => -page,
        C::PageDown => page,
        C::HalfPageUp => -(page / 2).max(1),
        C::HalfPageDown => (page / 2).max(1),
        _ => return Vec::new(),
    };
    move_by(s, delta)
}

/// `Tab` / `Shift-Tab` on the client screen and the chart.
pub(super) fn cycle_series(s: &mut State, forward: bool) -> Vec<Effect> {
    let n = s.detail.as_ref().map_or(0, |d| d.series.len());
    if n > 0 {
        let step = if forward { 1 } else { n - 1 };
        s.series_idx = (s.series_idx + step) % n;
        s.session_idx = s
            .current_series()
            .map_or(0, |t| t.sessions.len().saturating_sub(1));
    }
    Vec::new()
}

fn page(s: &State) -> usize {
    match s.screen {
        Screen::Clients => layout::clients_page(s.size),
        _ => layout::sessions_page(s.size),
    }
}

pub(super) fn move_by(s: &mut State, delta: isize) -> Vec<Effect> {
    let clamp = |pos: usize, len: usize| -> usize {
        if len == 0 {
            return 0;
        }
        (pos as isize)
            .saturating_add(delta)
            .clamp(0, len as isize - 1) as usize
    };
    match s.screen {
        Screen::Clients => {
            let before = s.selected;
            s.selected = clamp(s.selected, s.visible.len());
            keep_in_view(s);
            if before != s.selected {
                preview_effect(s)
            } else {
                Vec::new()
            }
        }
        Screen::Client => {
            let n = s.current_series().map_or(0, |t| t.sessions.len());
            s.session_idx = clamp(s.session_idx, n);
            Vec::new()
        }
        Screen::Today => {
            s.today_idx = clamp(s.today_idx, s.today_work.items().len());
            Vec::new()
        }
        Screen::Chart | Screen::Photos => Vec::new(),
    }
}

pub(super) fn keep_in_view(s: &mut State) {
    let page = layout::clients_page(s.size);
    s.selected = s.selected.min(s.visible.len().saturating_sub(1));
    if s.selected < s.offset {
        s.offset = s.selected;
    } else if s.selected >= s.offset + page {
        s.offset = s.selected + 1 - page;
    }
    s.offset = s.offset.min(s.visible.len().saturating_sub(page));
}
