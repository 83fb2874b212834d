//! Every screen, drawn by the real render code into a TestBackend, at
//! 80×24 and 200×50, compared with reviewed snapshots (tests/snapshots/).
//! After an intended change of a screen: `INSTA_UPDATE=always cargo test
//! --test tui_snapshots`, then read the diff of the .snap files.

mod support;

use support::app::App;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn snap(name: &str, size: (u16, u16), app: &App) {
    let screen = app.screen();
    insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), screen);
}

/// The first client in the list who has a screening flag, so the session
/// form shows a warning.
fn flagged(app: &mut App) {
    let pos = app
        .state
        .visible
        .iter()
        .position(|&i| app.state.rows.rows[i].screening_flag)
        .unwrap();
    let id = app.state.rows.rows[app.state.visible[pos]].id;
    assert!(app.state.select_client(id));
    app.keys("jk");
}

/// The snapshot `name` at each of `sizes`: `clients` demo clients, then
/// `prepare`.
fn snap_at(name: &str, clients: usize, sizes: &[(u16, u16)], prepare: impl Fn(&mut App)) {
    for &size in sizes {
        let mut app = App::with_clients(clients, size);
        prepare(&mut app);
        snap(name, size, &app);
    }
}

const SMALL: &[(u16, u16)] = &[SIZES[0]];

/// A screen that keys alone reach from the start: the snapshot's name, the
/// demo clients, the keys, the sizes.
type KeyedScreen = (&'static str, usize, &'static str, &'static [(u16, u16)]);

const SCREENS: [KeyedScreen; 13] = [
    ("empty", 0, "", &SIZES),
    ("clients", 60, "", &SIZES),
    ("clients_due_now", 60, "d", SMALL),
    ("clients_filter", 60, "d<Esc>/mar", SMALL),
    ("client", 60, "<Enter>", &SIZES),
    // The third client: a series with three visits so far.
    ("chart", 60, "jj<Enter>c", &SIZES),
    ("today", 60, "tjj", &SIZES),
    ("series_plan", 60, "<Enter>p", &SIZES),
    ("series_close", 60, "<Enter>C", SMALL),
    ("followup_form", 60, "<Enter>f", &SIZES),
    ("add_client_invalid", 60, "a<C-s>", &SIZES),
    ("help", 60, "?", &SIZES),
    ("confirm_archive", 60, "A", SMALL),
];

#[test]
fn screens_reached_by_keys() {
    for (name, clients, keys, sizes) in SCREENS {
        snap_at(name, clients, sizes, |app| app.keys(keys));
    }
}

#[test]
fn session_form_with_warning() {
    snap_at("session_form", 60, &SIZES, |app| {
        flagged(app);
        app.keys("n");
        assert!(!app.open_form().form.warnings.is_empty());
    });
}

#[test]
fn too_small() {
    let size = (59, 15);
    let mut app = App::with_clients(5, (80, 24));
    app.act(vec![needlelog::app::Action::Resize(size.0, size.1)]);
    snap("too_small", size, &app);
}
