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

#[test]
fn empty_database() {
    for size in SIZES {
        let app = App::empty(size);
        snap("empty", size, &app);
    }
}

#[test]
fn clients_screen() {
    for size in SIZES {
        let app = App::with_clients(60, size);
        snap("clients", size, &app);
    }
}

#[test]
fn clients_views_and_filter() {
    let size = (80, 24);
    let mut app = App::with_clients(60, size);
    app.keys("d");
    snap("clients_due_now", size, &app);
    app.keys("<Esc>/mar");
    snap("clients_filter", size, &app);
}

#[test]
fn client_screen() {
    for size in SIZES {
        let mut app = App::with_clients(60, size);
        app.keys("<Enter>");
        snap("client", size, &app);
    }
}

#[test]
fn chart_screen() {
    for size in SIZES {
        let mut app = App::with_clients(60, size);
        app.keys("<Enter>c");
        snap("chart", size, &app);
    }
}

#[test]
fn session_form_with_warning() {
    for size in SIZES {
        let mut app = App::with_clients(60, size);
        flagged(&mut app);
        app.keys("n");
        assert!(!app.open_form().form.warnings.is_empty());
        snap("session_form", size, &app);
    }
}

#[test]
fn followup_form() {
    for size in SIZES {
        let mut app = App::with_clients(60, size);
        app.keys("<Enter>f");
        snap("followup_form", size, &app);
    }
}

#[test]
fn add_client_form_refusing_to_save() {
    for size in SIZES {
        let mut app = App::with_clients(60, size);
        app.keys("a<C-s>");
        snap("add_client_invalid", size, &app);
    }
}

#[test]
fn help_overlay() {
    for size in SIZES {
        let mut app = App::with_clients(60, size);
        app.keys("?");
        snap("help", size, &app);
    }
}

#[test]
fn confirm_archive() {
    let size = (80, 24);
    let mut app = App::with_clients(60, size);
    app.keys("A");
    snap("confirm_archive", size, &app);
}

#[test]
fn too_small() {
    let size = (59, 15);
    let mut app = App::with_clients(5, (80, 24));
    app.act(vec![needlelog::app::Action::Resize(size.0, size.1)]);
    snap("too_small", size, &app);
}
