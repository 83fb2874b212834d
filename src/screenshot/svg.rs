//! The buffer as SVG: a rectangle per background run, a text element per
//! run of same-styled characters stretched to the cell grid (so any
//! monospace font lines up), and box-drawing and block characters drawn as
//! shapes, so borders and bars join without gaps whatever the font.

use super::row_cells;
use crate::export::xml_escape;
use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;

pub const CELL_W: f32 = 8.4;
pub const CELL_H: f32 = 17.0;
pub const FONT_SIZE: f32 = 14.0;
pub const FONT_FAMILY: &str = "DejaVu Sans Mono";

/// The terminal palette of the pictures (a dark theme).
fn hex(c: Color, fg: bool) -> String {
    let rgb = match c {
        Color::Reset => {
            return if fg {
                "#d8dde4".into()
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

/// Foreground and background colours of a cell, reverse video applied.
fn colours(c: &Cell) -> (String, String) {
    let fg = hex(c.fg, true);
    let bg = hex(c.bg, false);
    if c.modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

/// Arms of a box-drawing character: up, down, left, right; and whether the
/// corner is rounded.
fn arms(c: &str) -> Option<([bool; 4], bool)> {
    Some(match c {
        "─" => ([false, false, true, true], false),
        "│" => ([true, true, false, false], false),
        "┌" => ([false, true, false, true], false),
        "┐" => ([false, true, true, false], false),
        "└" => ([true, false, false, true], false),
        "┘" => ([true, false, true, false], false),
        "├" => ([true, true, false, true], false),
        "┤" => ([true, true, true, false], false),
        "┬" => ([false, true, true, true], false),
        "┴" => ([true, false, true, true], false),
        "┼" => ([true, true, true, true], false),
        "╭" => ([false, true, false, true], true),
        "╮" => ([false, true, true, false], true),
        "╰" => ([true, false, false, true], true),
        "╯" => ([true, false, true, false], true),
        _ => return None,
    })
}

/// Block elements as (left, top, width, height) fractions of the cell.
fn block(c: &str) -> Option<(f32, f32, f32, f32)> {
    let lower = |n: f32| Some((0.0, 1.0 - n / 8.0, 1.0, n / 8.0));
    match c {
        "█" => Some((0.0, 0.0, 1.0, 1.0)),
        "▀" => Some((0.0, 0.0, 1.0, 0.5)),
        "▌" => Some((0.0, 0.0, 0.5, 1.0)),
        "▐" => Some((0.5, 0.0, 0.5, 1.0)),
        "▁" => lower(1.0),
        "▂" => lower(2.0),
        "▃" => lower(3.0),
        "▄" => lower(4.0),
        "▅" => lower(5.0),
        "▆" => lower(6.0),
        "▇" => lower(7.0),
        _ => None,
    }
}

fn shape(s: &mut String, sym: &str, x: f32, y: f32, fg: &str) -> bool {
    if let Some((l, t, w, h)) = block(sym) {
        let _ = writeln!(
            s,
            "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{fg}\"/>",
            x + l * CELL_W,
            y + t * CELL_H,
            // A hair wider and taller, so neighbouring blocks overlap
            // instead of leaving anti-aliased seams between them.
            w * CELL_W + 0.4,
            h * CELL_H + 0.4
        );
        return true;
    }
    let Some(([up, down, left, right], round)) = arms(sym) else {
        return false;
    };
    let (cx, cy) = (x + CELL_W / 2.0, y + CELL_H / 2.0);
    let mut d = String::new();
    if round {
        // A quarter curve between the two arms.
        let (ax, ay) = if left { (x, cy) } else { (x + CELL_W, cy) };
        let (bx, by) = if up { (cx, y) } else { (cx, y + CELL_H) };
        let _ = write!(d, "M{ax:.2},{ay:.2} Q{cx:.2},{cy:.2} {bx:.2},{by:.2}");
    } else {
        for (on, ex, ey) in [
            (up, cx, y),
            (down, cx, y + CELL_H),
            (left, x, cy),
            (right, x + CELL_W, cy),
        ] {
            if on {
                let _ = write!(d, "M{cx:.2},{cy:.2} L{ex:.2},{ey:.2} ");
            }
        }
    }
    let _ = writeln!(
        s,
        "<path d=\"{d}\" stroke=\"{fg}\" stroke-width=\"1.2\" fill=\"none\" stroke-linecap=\"square\"/>"
    );
    true
}

/// One row's background colours, as a rectangle per run of one colour
/// (the default background is not drawn).
fn backgrounds(s: &mut String, cells: &[(u16, &Cell)], py: f32, w: f32, background: &str) {
    let mut i = 0;
    while i < cells.len() {
        let (_, bg) = colours(cells[i].1);
        let mut j = i + 1;
        while j < cells.len() && colours(cells[j].1).1 == bg {
            j += 1;
        }
        if bg != background {
            let x0 = f32::from(cells[i].0) * CELL_W;
            let x1 = if j < cells.len() {
                f32::from(cells[j].0) * CELL_W
            } else {
                w
            };
            let _ = writeln!(
                s,
                "<rect x=\"{x0:.2}\" y=\"{py}\" width=\"{:.2}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                x1 - x0
            );
        }
        i = j;
    }
}

/// One row's box and block characters as shapes, and the rest as text
/// runs of one style stretched to the cell grid.
fn foreground(s: &mut String, cells: &[(u16, &Cell)], py: f32, width: u16) {
    let mut i = 0;
    while i < cells.len() {
        let (x0, c0) = cells[i];
        let (fg, _) = colours(c0);
        let px = f32::from(x0) * CELL_W;
        if shape(s, c0.symbol(), px, py, &fg) {
            i += 1;
            continue;
        }
        let style = |c: &Cell| {
            (
                colours(c).0,
                c.modifier.contains(Modifier::BOLD),
                c.modifier.contains(Modifier::DIM),
            )
        };
        let st = style(c0);
        let mut j = i + 1;
        while j < cells.len()
            && style(cells[j].1) == st
            && block(cells[j].1.symbol()).is_none()
            && arms(cells[j].1.symbol()).is_none()
        {
            j += 1;
        }
        let end_x = if j < cells.len() { cells[j].0 } else { width };
        let run: String = cells[i..j].iter().map(|(_, c)| c.symbol()).collect();
        if !run.trim().is_empty() {
            let (fg, bold, dim) = st;
            let weight = if bold { " font-weight=\"bold\"" } else { "" };
            let opacity = if dim { " opacity=\"0.6\"" } else { "" };
            let _ = writeln!(
                s,
                "<text x=\"{px:.2}\" y=\"{:.2}\" fill=\"{fg}\"{weight}{opacity} textLength=\"{:.2}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
                py + CELL_H * 0.76,
                f32::from(end_x - x0) * CELL_W,
                xml_escape(&run)
            );
        }
        i = j;
    }
}

pub fn to_svg(buf: &Buffer) -> String {
    let (w, h) = (
        f32::from(buf.area.width) * CELL_W,
        f32::from(buf.area.height) * CELL_H,
    );
    let background = hex(Color::Reset, false);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{background}\"/>\n\
         <g font-family=\"{FONT_FAMILY}, DejaVu Sans, monospace\" font-size=\"{FONT_SIZE}\" xml:space=\"preserve\">\n"
    );
    for y in 0..buf.area.height {
        let py = f32::from(y) * CELL_H;
        let cells = row_cells(buf, y);
        // Backgrounds first, merged into runs; then shapes and text runs.
        backgrounds(&mut s, &cells, py, w, &background);
        foreground(&mut s, &cells, py, buf.area.width);
    }
    s.push_str("</g>\n</svg>\n");
    s
}
