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

/// The snapshot `name` at both [`SIZES`]: `clients` demo clients, then
/// `prepare`.
fn snap_at_both_sizes(name: &str, clients: usize, prepare: impl Fn(&mut App)) {
    for size in SIZES {
        let mut app = App::with_clients(clients, size);
        prepare(&mut app);
        snap(name, size, &app);
    }
}

#[test]
fn empty_database() {
    snap_at_both_sizes("empty", 0, |_| {});
}

#[test]
fn clients_screen() {
    snap_at_both_sizes("clients", 60, |_| {});
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
    snap_at_both_sizes("client", 60, |app| app.keys("<Enter>"));
}

#[test]
fn chart_screen() {
    snap_at_both_sizes("chart", 60, |app| app.keys("<Enter>c"));
}

#[test]
fn session_form_with_warning() {
    snap_at_both_sizes("session_form", 60, |app| {
        flagged(app);
        app.keys("n");
        assert!(!app.open_form().form.warnings.is_empty());
    });
}

#[test]
fn followup_form() {
    snap_at_both_sizes("followup_form", 60, |app| app.keys("<Enter>f"));
}

#[test]
fn add_client_form_refusing_to_save() {
    snap_at_both_sizes("add_client_invalid", 60, |app| app.keys("a<C-s>"));
}

#[test]
fn help_overlay() {
    snap_at_both_sizes("help", 60, |app| app.keys("?"));
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
