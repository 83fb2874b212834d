//! A screenshot in a built-in palette, drawn on the terminal background
//! the palette is made for, until `needlelog render` takes the settings
//! file's `[theme]`:
//!
//!     cargo run --example themed_shot -- DB "2026-11-21 10:00" 120x34 clients light out.png [CLIENT]

use chrono::NaiveDateTime;
use clap::ValueEnum;
use needlelog::app::palette::{Palette, PaletteName};
use needlelog::db::Store;
use needlelog::screenshot::{Screen, draw, state_for, to_png, to_svg_on};
use std::path::Path;
use std::process::ExitCode;

fn run(args: &[String]) -> Result<(), String> {
    let [db, now, size, screen, palette, out, rest @ ..] = args else {
        return Err("usage: themed_shot DB NOW WxH SCREEN dark|light OUT.png [CLIENT]".into());
    };
    let now = NaiveDateTime::parse_from_str(now, "%Y-%m-%d %H:%M").map_err(|e| e.to_string())?;
    let (w, h) = size.split_once('x').ok_or("size like 120x34")?;
    let size = (
        w.parse().map_err(|_| "width")?,
        h.parse().map_err(|_| "height")?,
    );
    let screen = Screen::from_str(screen, true)?;
    let name: PaletteName = palette.parse().map_err(|_| "palette: dark or light")?;
    let mut store = Store::open_for_drawing(Path::new(db)).map_err(|e| e.to_string())?;
    let client = rest.first().map(String::as_str);
    let state = state_for(&mut store, screen, size, client, now, true)
        .map_err(|e| e.to_string())?
        .with_palette(Palette::builtin(name));
    let svg = to_svg_on(&draw(&state), state.palette.base());
    let png = to_png(&svg, 1.0)?;
    std::fs::write(out, png).map_err(|e| format!("{out}: {e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("themed_shot: {e}");
            ExitCode::FAILURE
        }
    }
}
