//! The buffer as SVG: a rectangle per background run, a text element per
//! run of same-styled characters stretched to the cell grid (so any
//! monospace font lines up), and box-drawing and block characters drawn as
//! shapes, so borders and bars join without gaps whatever the font.

use super::row_cells;
use crate::app::palette::PaletteName;
use crate::export::xml_escape;
use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;

pub const CELL_W: f32 = 8.4;
pub const CELL_H: f32 = 17.0;
pub const FONT_SIZE: f32 = 14.0;
pub const FONT_FAMILY: &str = "DejaVu Sans Mono";

/// The terminal a picture shows: its default text and background and its
/// 16 colours (black, red, …, white, in ANSI order).
struct Terminal {
    text: (u8, u8, u8),
    background: (u8, u8, u8),
    ansi: [(u8, u8, u8); 16],
}

/// A dark terminal (One Dark's colours).
const DARK: Terminal = Terminal {
    text: (0xd8, 0xdd, 0xe4),
    background: (0x1c, 0x1f, 0x24),
    ansi: [
        (0x1c, 0x1f, 0x24),
        (0xe0, 0x6c, 0x75),
        (0x98, 0xc3, 0x79),
        (0xe5, 0xc0, 0x7b),
        (0x61, 0xaf, 0xef),
        (0xc6, 0x78, 0xdd),
        (0x56, 0xb6, 0xc2),
        (0xab, 0xb2, 0xbf),
        (0x6b, 0x72, 0x80),
        (0xff, 0x8b, 0x94),
        (0xb5, 0xe8, 0x90),
        (0xff, 0xe0, 0x9e),
        (0x8c, 0xc8, 0xff),
        (0xe0, 0xa0, 0xf0),
        (0x8a, 0xe0, 0xea),
        (0xf0, 0xf0, 0xf0),
    ],
};

/// A white terminal (GNOME Terminal's Tango colours, a common default).
const LIGHT: Terminal = Terminal {
    text: (0x1f, 0x23, 0x28),
    background: (0xff, 0xff, 0xff),
    ansi: [
        (0x2e, 0x34, 0x36),
        (0xcc, 0x00, 0x00),
        (0x4e, 0x9a, 0x06),
        (0xc4, 0xa0, 0x00),
        (0x34, 0x65, 0xa4),
        (0x75, 0x50, 0x7b),
        (0x06, 0x98, 0x9a),
        (0xd3, 0xd7, 0xcf),
        (0x55, 0x57, 0x53),
        (0xef, 0x29, 0x29),
        (0x8a, 0xe2, 0x34),
        (0xfc, 0xe9, 0x4f),
        (0x72, 0x9f, 0xcf),
        (0xad, 0x7f, 0xa8),
        (0x34, 0xe2, 0xe2),
        (0xee, 0xee, 0xec),
    ],
};

fn terminal(backdrop: PaletteName) -> &'static Terminal {
    match backdrop {
        PaletteName::Dark => &DARK,
        PaletteName::Light => &LIGHT,
    }
}

/// The xterm 256-colour set above the 16: a 6×6×6 cube, then 24 greys.
fn indexed(t: &Terminal, i: u8) -> (u8, u8, u8) {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        0..=15 => t.ansi[usize::from(i)],
        16..=231 => {
            let i = usize::from(i - 16);
            (LEVELS[i / 36], LEVELS[(i / 6) % 6], LEVELS[i % 6])
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// A colour of `t` as `#rrggbb`; `Reset` is its text or background colour.
fn hex(t: &Terminal, c: Color, fg: bool) -> String {
    let ansi = |i: u8| t.ansi[usize::from(i)];
    let rgb = match c {
        Color::Reset if fg => t.text,
        Color::Reset => t.background,
        Color::Black => ansi(0),
        Color::Red => ansi(1),
        Color::Green => ansi(2),
        Color::Yellow => ansi(3),
        Color::Blue => ansi(4),
        Color::Magenta => ansi(5),
        Color::Cyan => ansi(6),
        Color::Gray => ansi(7),
        Color::DarkGray => ansi(8),
        Color::LightRed => ansi(9),
        Color::LightGreen => ansi(10),
        Color::LightYellow => ansi(11),
        Color::LightBlue => ansi(12),
        Color::LightMagenta => ansi(13),
        Color::LightCyan => ansi(14),
        Color::White => ansi(15),
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => indexed(t, i),
    };
    format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2)
}

/// Foreground and background colours of a cell, reverse video applied.
fn colours(t: &Terminal, c: &Cell) -> (String, String) {
    let fg = hex(t, c.fg, true);
    let bg = hex(t, c.bg, false);
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
fn backgrounds(
    t: &Terminal,
    s: &mut String,
    cells: &[(u16, &Cell)],
    (py, w): (f32, f32),
    background: &str,
) {
    let mut i = 0;
    while i < cells.len() {
        let (_, bg) = colours(t, cells[i].1);
        let mut j = i + 1;
        while j < cells.len() && colours(t, cells[j].1).1 == bg {
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
fn foreground(t: &Terminal, s: &mut String, cells: &[(u16, &Cell)], py: f32, width: u16) {
    let mut i = 0;
    while i < cells.len() {
        let (x0, c0) = cells[i];
        let (fg, _) = colours(t, c0);
        let px = f32::from(x0) * CELL_W;
        if shape(s, c0.symbol(), px, py, &fg) {
            i += 1;
            continue;
        }
        let style = |c: &Cell| {
            (
                colours(t, c).0,
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

/// The buffer as SVG on a dark terminal.
pub fn to_svg(buf: &Buffer) -> String {
    to_svg_on(buf, PaletteName::Dark)
}

/// The buffer as SVG on the terminal background `backdrop` is made for:
/// pass the palette's [`base`](crate::app::palette::Palette::base).
pub fn to_svg_on(buf: &Buffer, backdrop: PaletteName) -> String {
    let t = terminal(backdrop);
    let (w, h) = (
        f32::from(buf.area.width) * CELL_W,
        f32::from(buf.area.height) * CELL_H,
    );
    let background = hex(t, Color::Reset, false);
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
        backgrounds(t, &mut s, &cells, (py, w), &background);
        foreground(t, &mut s, &cells, py, buf.area.width);
    }
    s.push_str("</g>\n</svg>\n");
    s
}

#[cfg(test)]
mod contrast {
    use super::*;
    use crate::app::palette::{Palette, Role};
    use strum::IntoEnumIterator;

    /// WCAG 2 contrast ratio of two `#rrggbb` colours.
    fn ratio(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn every_palette_is_readable_on_its_own_background() {
        for palette in [Palette::dark(), Palette::light()] {
            let t = terminal(palette.base());
            let background = hex(t, Color::Reset, false);
            let colour = |r: Role| hex(t, palette.get(r), true);
            for role in Role::iter() {
                let needed = match role {
                    // Backgrounds, and what is drawn on them, are checked in pairs below.
                    Role::TitleFg | Role::TitleBg | Role::DemoFg | Role::DemoBg => continue,
                    Role::SelectedFg | Role::SelectedBg => continue,
                    // Meant to recede (finished series, missing values);
                    // bars are large shapes, not text (WCAG: 3:1).
                    Role::Faint | Role::ChartSwelling => 3.0,
                    _ => 4.5,
                };
                let r = ratio(&colour(role), &background);
                assert!(
                    r >= needed,
                    "{:?} {}: {} on {background} is {r:.2}:1",
                    palette.base(),
                    role.name(),
                    colour(role)
                );
            }
            for (fg, bg) in [(Role::TitleFg, Role::TitleBg), (Role::DemoFg, Role::DemoBg)] {
                let r = ratio(&colour(fg), &hex(t, palette.get(bg), false));
                assert!(r >= 4.5, "{:?} {}: {r:.2}:1", palette.base(), fg.name());
            }
        }
    }
}
