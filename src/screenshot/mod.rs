//! Headless rendering: a screen drawn by the real render code into an
//! in-memory buffer, written out as plain text or SVG — for screenshots,
//! bug reports and benchmarks.

mod png;
mod svg;

pub use png::to_png;
pub use svg::{to_svg, to_svg_on};

use crate::app::run::{settle, start, start_first_page};
use crate::app::{Action, State};
use crate::db::{Store, StoreError};
use crate::ui;
use chrono::NaiveDateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// The screens drawn headless; `needlelog render --screen` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Screen {
    Clients,
    Client,
    Session,
    Chart,
    /// The compare screen (photos side by side) of the client's series.
    Photos,
    Help,
    Export,
    Today,
}

fn key(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// Builds the state a user would see after opening `screen`, for the
/// client named by `client` (else the first one in the list).
pub fn state_for(
    store: &mut Store,
    screen: Screen,
    size: (u16, u16),
    client: Option<&str>,
    now: NaiveDateTime,
    color: bool,
) -> Result<State, StoreError> {
    let state = base_state(store, size, now, color);
    open_screen(state, store, screen, client)
}

/// The state before any screen is opened: the database's file name in the
/// title bar, colours on or off.
pub fn base_state(store: &Store, size: (u16, u16), now: NaiveDateTime, color: bool) -> State {
    let label = store
        .path()
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    State::new(now, size, label, store.is_read_only()).with_color(color)
}

/// Opens `screen` on `state` (which may carry settings) as a user would.
pub fn open_screen(
    mut state: State,
    store: &mut Store,
    screen: Screen,
    client: Option<&str>,
) -> Result<State, StoreError> {
    // The clients screen as it first appears; any other screen needs the
    // whole list to find its client.
    if screen == Screen::Clients && client.is_none() {
        start_first_page(&mut state, store);
    } else {
        start(&mut state, store);
    }
    if let Some(key_text) = client {
        let c = store.find_client(key_text)?;
        if !state.select_client(c.id) {
            return Err(StoreError::Conflict(format!(
                "{} is archived; restore them first",
                c.data.name
            )));
        }
        let preview = crate::app::effects::run(store, &crate::app::Effect::LoadPreview(c.id));
        settle(&mut state, store, preview);
    }
    let keys: &[KeyCode] = match screen {
        Screen::Clients => &[],
        Screen::Client => &[KeyCode::Enter],
        Screen::Session => &[KeyCode::Enter, KeyCode::Char('n')],
        Screen::Chart => &[KeyCode::Enter, KeyCode::Char('c')],
        Screen::Photos => &[KeyCode::Enter, KeyCode::Char('V')],
        Screen::Help => &[KeyCode::Char('?')],
        Screen::Export => &[KeyCode::Enter, KeyCode::Char('x')],
        Screen::Today => &[KeyCode::Char('t')],
    };
    settle(&mut state, store, keys.iter().map(|&k| key(k)).collect());
    Ok(state)
}

/// Draws `state` into a buffer of its size.
pub fn draw(state: &State) -> Buffer {
    let (w, h) = state.size;
    let backend = TestBackend::new(w, h);
    // A TestBackend never fails to draw.
    let mut terminal = Terminal::new(backend).expect("test backend");
    terminal
        .draw(|f| ui::render(state, f))
        .expect("test backend");
    terminal.backend().buffer().clone()
}

/// The cells of one row as (x, symbol, cell) with wide characters' trailing
/// cells skipped.
pub(crate) fn row_cells(buf: &Buffer, y: u16) -> Vec<(u16, &ratatui::buffer::Cell)> {
    let mut out = Vec::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        let cell = &buf[(x, y)];
        if skip > 0 {
            skip -= 1;
            continue;
        }
        skip = UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        out.push((x, cell));
    }
    out
}

pub fn to_text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        let line: String = row_cells(buf, y).iter().map(|(_, c)| c.symbol()).collect();
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::palette::{Palette, PaletteName, Role};
    use ratatui::style::Color;

    fn state(palette: PaletteName, color: bool) -> State {
        let now = crate::testing::today()
            .and_hms_opt(10, 0, 0)
            .unwrap_or_default();
        State::new(now, (80, 24), "test.db", false)
            .with_color(color)
            .with_palette(Palette::builtin(palette))
    }

    #[test]
    fn the_palette_in_the_state_colours_the_frame_unless_no_color() {
        let dark = draw(&state(PaletteName::Dark, true));
        let light = draw(&state(PaletteName::Light, true));
        // The title badge.
        assert_eq!(dark[(1, 0)].bg, Color::Cyan);
        assert_eq!(light[(1, 0)].bg, Palette::light().get(Role::TitleBg));
        assert_eq!(to_text(&dark), to_text(&light));
        assert!(to_svg_on(&light, PaletteName::Light).contains("fill=\"#ffffff\""));
        let plain = draw(&state(PaletteName::Light, false));
        assert!(
            plain
                .content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
        );
    }
}
