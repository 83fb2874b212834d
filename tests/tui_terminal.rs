//! Terminal behaviour through `update`: mouse, bracketed paste, NO_COLOR,
//! resize.

mod support;

use needlelog::app::Action;
use needlelog::app::field_key::FieldKey;
use needlelog::screenshot::draw;
use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::style::Modifier;
use support::app::App;

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Action {
    Action::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn wheel_scrolls_and_click_selects() {
    let mut app = App::with_clients(60, (100, 30));
    app.act(vec![mouse(MouseEventKind::ScrollDown, 10, 10)]);
    assert_eq!(app.state.selected, 3);
    app.act(vec![mouse(MouseEventKind::ScrollUp, 10, 10)]);
    assert_eq!(app.state.selected, 0);
    // Title bar (row 0), table border (1), header (2): row 3 is the first client.
    app.act(vec![mouse(MouseEventKind::Down(MouseButton::Left), 10, 8)]);
    assert_eq!(app.state.selected, 5);
    let name = app.state.selected_row().unwrap().name.clone();
    assert!(app.screen().contains(&name));
    // A click on the border or outside the table changes nothing.
    app.act(vec![mouse(MouseEventKind::Down(MouseButton::Left), 10, 1)]);
    assert_eq!(app.state.selected, 5);
}

#[test]
fn paste_goes_into_the_focused_field_capped_and_on_one_line() {
    let mut app = App::empty((80, 24));
    app.keys("a");
    app.act(vec![Action::Paste("Ana\nSouza".into())]);
    let form = &app.open_form().form;
    assert_eq!(form.text(FieldKey::Name), "Ana Souza");
    assert!(
        app.status().contains("line breaks became spaces"),
        "{}",
        app.status()
    );
    app.act(vec![Action::Paste("x".repeat(5000))]);
    let form = &app.open_form().form;
    assert_eq!(
        form.text(FieldKey::Name).chars().count(),
        200,
        "paste capped at the field's length"
    );
    assert!(app.status().contains("cut"), "{}", app.status());
    // Saving refuses the over-long name with the reason.
    app.keys("<C-s>");
    assert!(app.status().contains("Name"), "{}", app.status());
    assert!(app.store.clients(true).unwrap().is_empty());
}

#[test]
fn paste_into_the_filter() {
    let mut app = App::with_clients(60, (100, 30));
    app.keys("/");
    app.act(vec![Action::Paste("zoe\n".into())]);
    assert_eq!(app.state.filter.value(), "zoe");
}

#[test]
fn without_colour_the_selection_is_reversed() {
    let app = App::with_clients(10, (100, 30));
    assert!(!app.state.color);
    let buf = draw(&app.state);
    // The first client row (y = 3) is the selection.
    let cell = &buf[(2, 3)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "{cell:?}");
    assert_eq!(cell.fg, ratatui::style::Color::Reset);
    let other = &buf[(2, 4)];
    assert!(!other.modifier.contains(Modifier::REVERSED));
    // No colour anywhere on screen.
    for y in 0..30 {
        for x in 0..100 {
            let c = &buf[(x, y)];
            assert_eq!(
                (c.fg, c.bg),
                (ratatui::style::Color::Reset, ratatui::style::Color::Reset),
                "({x},{y}) {c:?}"
            );
        }
    }
}

#[test]
fn resize_keeps_the_selection_visible() {
    let mut app = App::with_clients(200, (100, 50));
    app.keys("<PgDn><PgDn>");
    let selected = app.state.selected;
    app.act(vec![Action::Resize(80, 20)]);
    let page = needlelog::app::layout::clients_page((80, 20));
    assert_eq!(app.state.selected, selected);
    assert!(app.state.offset <= selected && selected < app.state.offset + page);
    let name = app.state.selected_row().unwrap().name.clone();
    assert!(app.screen().contains(&needlelog_fit(&name)));
}

fn needlelog_fit(name: &str) -> String {
    name.chars().take(10).collect()
}

/// A reload whose rows come in another order (the first page, then the
/// whole list) keeps the cursor on the same client.
#[test]
fn reloading_in_another_order_keeps_the_selected_client() {
    let mut app = App::with_clients(40, (100, 30));
    app.keys("jjjjj");
    let id = app.state.selected_row().unwrap().id;
    let mut rows = app.store.client_rows(true).unwrap();
    rows.reverse();
    app.act(vec![Action::ClientsLoaded(rows)]);
    assert_eq!(app.state.selected_row().unwrap().id, id);
    assert_eq!(app.state.selected, 5);
}

/// On a read-only database the interface shows everything and changes
/// nothing: forms, archive and undo are refused with the reason; exporting
/// (a read) still works.
#[test]
fn read_only_mode_refuses_changes_with_the_reason() {
    let mut app = App::with_clients(5, (100, 30));
    app.state.read_only = true;
    for keys in ["a", "n", "A", "u", "<Enter>f", "<Esc>e"] {
        app.keys(keys);
        assert!(
            app.state.form.is_none() && app.state.confirm.is_none(),
            "{keys}"
        );
        assert!(
            app.status().contains("Read-only"),
            "{keys}: {}",
            app.status()
        );
    }
    assert!(app.screen().contains("READ-ONLY"));
    app.keys("x");
    assert!(app.state.form.is_some(), "the export dialog opens");
}
