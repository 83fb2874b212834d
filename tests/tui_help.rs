//! The help overlay is exact: `d`'s line names the whole view cycle, the
//! overlay scrolls with g/G/Home/End like every list, and every symbol the
//! screens draw is explained in it.

mod support;

use needlelog::app::keymap::{BINDINGS, Command};
use needlelog::app::list::View;
use needlelog::ui::{SYMBOLS, help_lines, help_text};
use std::collections::BTreeSet;
use support::app::App;

#[test]
fn d_names_the_whole_view_cycle() {
    let mut cycle = vec![View::All];
    while cycle.len() < 10 {
        let next = cycle.last().unwrap().next();
        if next == View::All {
            break;
        }
        cycle.push(next);
    }
    let labels: Vec<&str> = cycle.iter().map(|v| v.label()).collect();
    let d = BINDINGS
        .iter()
        .find(|b| b.cmd == Command::CycleView)
        .unwrap();
    assert_eq!(d.help, format!("cycle view: {}", labels.join(" / ")));
    assert!(d.help.ends_with("/ archived"), "{}", d.help);
}

#[test]
fn g_and_shift_g_home_and_end_move_through_the_help() {
    for size in [(80, 24), (200, 60)] {
        let mut app = App::with_clients(3, size);
        let bottom = needlelog::ui::help_scroll_max(size);
        // 80×24 needs scrolling; at 200×60 both columns fit whole (since
        // the photo keys, 200×50 scrolls a few rows).
        assert_eq!(bottom > 0, size.1 < 60, "{bottom}");
        app.keys("?");
        assert!(app.state.help);
        assert_eq!(app.state.help_scroll, 0);
        app.keys("G");
        assert_eq!(app.state.help_scroll, bottom, "G goes to the end");
        assert!(app.state.help, "G keeps the help open");
        // The end of the overlay is on screen: its last symbol.
        let last = SYMBOLS.last().unwrap().1;
        assert!(app.screen().contains(last), "{}", app.screen());
        app.keys("g");
        assert_eq!(app.state.help_scroll, 0, "g goes to the top");
        app.keys("<End>");
        assert_eq!(app.state.help_scroll, bottom, "End goes to the end");
        app.keys("<Home>");
        assert_eq!(app.state.help_scroll, 0, "Home goes to the top");
        app.keys("GG");
        assert_eq!(app.state.help_scroll, bottom, "and stays there");
        app.keys("?");
        assert!(!app.state.help);
    }
}

/// Characters that are typography rather than symbols with a meaning: box
/// lines, plot dots, bar heights, letters of names, punctuation.
fn is_typography(c: char) -> bool {
    let greek = ('\u{0370}'..='\u{03FF}').contains(&c);
    c.is_ascii()
        || ('\u{2500}'..='\u{257F}').contains(&c)
        || ('\u{2800}'..='\u{28FF}').contains(&c)
        || "▁▂▃▄▅▆▇█".contains(c)
        || "·—–…×’“”".contains(c)
        || (c.is_alphabetic() && !greek)
}

fn collect(app: &App, seen: &mut BTreeSet<char>) {
    seen.extend(app.screen().chars().filter(|&c| !is_typography(c)));
}

/// Every screen, form field and dialog the interface has, drawn.
fn every_screen(size: (u16, u16)) -> BTreeSet<char> {
    let mut seen = BTreeSet::new();
    let mut app = App::with_clients(60, size);
    collect(&app, &mut seen);
    app.keys("/mar");
    collect(&app, &mut seen);
    app.keys("<Esc><Esc>");
    for _view in 0..5 {
        collect(&app, &mut seen);
        app.keys("d");
    }
    app.keys("A");
    collect(&app, &mut seen);
    app.keys("<Esc>");
    // Each client's screen and chart.
    let ids: Vec<i64> = app.visible_rows().map(|r| r.id).collect();
    for id in ids {
        assert!(app.state.select_client(id));
        app.keys("jk<Enter>");
        collect(&app, &mut seen);
        app.keys("c");
        collect(&app, &mut seen);
        app.keys("<Esc><Esc>");
    }
    // Every field of every form, focused in turn, and saved too early.
    let first_flagged = app
        .state
        .visible
        .iter()
        .map(|&i| &app.state.rows.rows[i])
        .find(|r| r.screening_flag)
        .map(|r| r.id)
        .unwrap();
    assert!(app.state.select_client(first_flagged));
    // Moving off and back loads the selected client's summary, as a user would.
    app.keys("jk");
    // (The export dialog is not saved: it would write a file.)
    for (open, close, try_saving) in [
        ("a", "<Esc>y<Esc>", true),
        ("e", "<Esc>y<Esc>", true),
        ("n", "<Esc>y<Esc>", true),
        ("<Enter>f", "<Esc>y<Esc><Esc>", true),
        ("<Enter>e", "<Esc>y<Esc><Esc>", true),
        ("<Enter>S", "<Esc>y<Esc><Esc>", true),
        ("x", "<Esc>y<Esc>", false),
    ] {
        app.keys(open);
        assert!(
            app.state.form.is_some(),
            "{open}: {}\n{}",
            app.status(),
            app.screen()
        );
        for _ in 0..40 {
            collect(&app, &mut seen);
            app.keys("<Tab>");
        }
        if try_saving {
            // Clear the focused field and try to save: the reasons show.
            app.keys("<C-u><C-s>");
            collect(&app, &mut seen);
        }
        app.keys(close);
        app.keys("<Esc>");
    }
    app.keys("?");
    collect(&app, &mut seen);
    seen
}

#[test]
fn every_symbol_on_screen_is_explained_in_the_help() {
    let lines = help_text();
    assert_eq!(lines.len(), usize::from(help_lines()));
    let help = lines.join("\n");
    let symbols = help
        .split_once("\nSymbols\n")
        .map(|(_, s)| s.to_string())
        .expect("a Symbols section in the help");
    let mut seen = BTreeSet::new();
    for size in [(80, 24), (160, 45)] {
        seen.extend(every_screen(size));
    }
    for c in &seen {
        // Arrows are key names too, explained with the keys.
        let key_name = "←→↑↓".contains(*c) && help.contains(*c);
        assert!(
            symbols.contains(*c) || key_name,
            "{c:?} (U+{:04X}) is drawn on a screen but not explained in the help",
            *c as u32
        );
    }
    // And nothing is explained that no screen shows.
    for c in symbols.chars().filter(|&c| !is_typography(c)) {
        assert!(
            seen.contains(&c),
            "the help explains {c:?}, which no screen shows"
        );
    }
    for (symbol, meaning) in SYMBOLS {
        assert!(symbols.contains(symbol) && symbols.contains(meaning));
    }
    for needed in ['⚠', '◷', '■', '□'] {
        assert!(symbols.contains(needed), "{needed}");
    }
}
