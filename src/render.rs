//! Headless rendering: a screen drawn by the real render code into an
//! in-memory buffer, written out as plain text or SVG — for screenshots,
//! bug reports and benchmarks.

use crate::app::{Action, State};
use crate::db::{Store, StoreError};
use crate::tui::{settle, start};
use crate::ui;
use chrono::NaiveDateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Screen {
    Clients,
    Client,
    Session,
    Chart,
    Help,
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
    let label = store
        .path()
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut state = State::new(now, size, label, store.is_read_only());
    state.color = color;
    start(&mut state, store);
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
        Screen::Help => &[KeyCode::Char('?')],
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
fn row_cells(buf: &Buffer, y: u16) -> Vec<(u16, &ratatui::buffer::Cell)> {
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

/// The terminal palette the SVG uses (a dark theme).
fn hex(c: Color, fg: bool) -> String {
    let rgb = match c {
        Color::Reset => {
            return if fg {
                "#d8d8d8".into()
            } else {
                "#1c1f24".into()
            };
        }
        Color::Black => (0x1c, 0x1f, 0x24),
        Color::Red => (0xe0, 0x6c, 0x75),
        Color::Green => (0x98, 0xc3, 0x79),
        Color::Yellow => (0xe5, 0xc0, 0x7b),
        Color::Blue => (0x61, 0xaf, 0xef),
        Color::Magenta => (0xc6, 0x78, 0xdd),
        Color::Cyan => (0x56, 0xb6, 0xc2),
        Color::Gray => (0xab, 0xb2, 0xbf),
        Color::DarkGray => (0x6b, 0x72, 0x80),
        Color::LightRed => (0xff, 0x8b, 0x94),
        Color::LightGreen => (0xb5, 0xe8, 0x90),
        Color::LightYellow => (0xff, 0xe0, 0x9e),
        Color::LightBlue => (0x8c, 0xc8, 0xff),
        Color::LightMagenta => (0xe0, 0xa0, 0xf0),
        Color::LightCyan => (0x8a, 0xe0, 0xea),
        Color::White => (0xf0, 0xf0, 0xf0),
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => (i, i, i),
    };
    format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub const CELL_W: f32 = 8.4;
pub const CELL_H: f32 = 17.0;
pub const FONT_SIZE: f32 = 14.0;

/// An SVG of the buffer: a rectangle per background run, a text element per
/// run of same-styled characters, stretched to the cell grid so that any
/// monospace font lines up.
pub fn to_svg(buf: &Buffer) -> String {
    let (w, h) = (
        f32::from(buf.area.width) * CELL_W,
        f32::from(buf.area.height) * CELL_H,
    );
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n\
         <g font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"{FONT_SIZE}\" xml:space=\"preserve\">\n",
        hex(Color::Reset, false)
    );
    for y in 0..buf.area.height {
        let cells = row_cells(buf, y);
        let mut i = 0;
        while i < cells.len() {
            let (x0, c0) = cells[i];
            let style = |c: &ratatui::buffer::Cell| {
                let rev = c.modifier.contains(Modifier::REVERSED);
                let (fg, bg) = if rev { (c.bg, c.fg) } else { (c.fg, c.bg) };
                let (fg_hex, bg_hex) = (
                    hex(fg, !rev || fg != Color::Reset),
                    hex(bg, rev && bg == Color::Reset),
                );
                let (fg_hex, bg_hex) = if rev && c.fg == Color::Reset && c.bg == Color::Reset {
                    (hex(Color::Reset, false), hex(Color::Reset, true))
                } else {
                    (fg_hex, bg_hex)
                };
                (
                    fg_hex,
                    bg_hex,
                    c.modifier.contains(Modifier::BOLD),
                    c.modifier.intersects(Modifier::DIM),
                )
            };
            let st = style(c0);
            let mut j = i + 1;
            while j < cells.len() && style(cells[j].1) == st {
                j += 1;
            }
            let end_x = if j < cells.len() {
                cells[j].0
            } else {
                buf.area.width
            };
            let run: String = cells[i..j].iter().map(|(_, c)| c.symbol()).collect();
            let (fg, bg, bold, dim) = st;
            let (px, py) = (f32::from(x0) * CELL_W, f32::from(y) * CELL_H);
            let cols = f32::from(end_x - x0);
            if bg != hex(Color::Reset, false) {
                let _ = writeln!(
                    s,
                    "<rect x=\"{px}\" y=\"{py}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                    cols * CELL_W
                );
            }
            if !run.trim().is_empty() {
                let weight = if bold { " font-weight=\"bold\"" } else { "" };
                let opacity = if dim { " opacity=\"0.6\"" } else { "" };
                let _ = writeln!(
                    s,
                    "<text x=\"{px}\" y=\"{}\" fill=\"{fg}\"{weight}{opacity} textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
                    py + CELL_H * 0.78,
                    cols * CELL_W,
                    escape(&run)
                );
            }
            i = j;
        }
    }
    s.push_str("</g>\n</svg>\n");
    s
}
