//! Notes fields are multi-line: `Enter` breaks the line, `↑`/`↓` move
//! between lines, `Tab` leaves, paste keeps line breaks, `Ctrl-S` saves;
//! screens show the lines and exports keep them.

mod support;

use needlelog::app::field_key::FieldKey;
use needlelog::app::{Action, Screen};
use support::app::App;

fn focused_key(app: &App) -> FieldKey {
    let form = &app.open_form().form;
    form.fields[form.focus].key
}

#[test]
fn a_session_note_of_three_lines_is_saved_and_shown() {
    let mut app = App::with_clients(20, (120, 40));
    app.keys("<Enter>n");
    app.focus_field("notes");
    app.type_text("tolerated well");
    app.keys("<Enter>");
    app.type_text("pinpoint bleeding on the chin");
    app.keys("<Enter>");
    app.type_text("ice pack after");
    assert_eq!(
        focused_key(&app),
        FieldKey::Notes,
        "Enter stays in the notes"
    );
    // ↑ goes to the line above: typing there edits it.
    app.keys("<Up><End>");
    app.type_text(" only");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    let x = app.state.current_session().unwrap().clone();
    assert_eq!(
        x.data.notes,
        "tolerated well\npinpoint bleeding on the chin only\nice pack after"
    );
    let stored = app.store.session(x.id).unwrap();
    assert_eq!(stored.data.notes, x.data.notes);
    let screen = app.screen();
    assert!(screen.contains("Notes: tolerated well"), "{screen}");
    assert!(
        screen.contains("  pinpoint bleeding on the chin only"),
        "{screen}"
    );
    assert!(screen.contains("  ice pack after"), "{screen}");
}

#[test]
fn tab_leaves_the_notes_and_enter_elsewhere_moves_on() {
    let mut app = App::with_clients(5, (120, 40));
    app.keys("<Enter>f");
    app.focus_field("notes");
    app.type_text("first");
    app.keys("<Enter>");
    assert_eq!(focused_key(&app), FieldKey::Notes);
    app.keys("<Tab>");
    assert_ne!(focused_key(&app), FieldKey::Notes, "Tab leaves");
    app.keys("<S-Tab>");
    assert_eq!(focused_key(&app), FieldKey::Notes);
    assert_eq!(app.open_form().form.text(FieldKey::Notes), "first\n");
    // Ctrl-U clears the whole note.
    app.keys("<C-u>");
    assert_eq!(app.open_form().form.text(FieldKey::Notes), "");
}

#[test]
fn a_paste_keeps_its_line_breaks() {
    let mut app = App::with_clients(5, (120, 40));
    app.keys("<Enter>E");
    app.focus_field("notes");
    app.keys("<C-u>");
    app.act(vec![Action::Paste(
        "prefers mornings\r\nsensitive to retinol\rno perfume".into(),
    )]);
    assert_eq!(
        app.open_form().form.text(FieldKey::Notes),
        "prefers mornings\nsensitive to retinol\nno perfume"
    );
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    assert_eq!(app.state.screen, Screen::Client);
    let id = app.state.detail.as_ref().unwrap().client.id;
    let tree = app.store.client_tree(id).unwrap();
    assert_eq!(
        tree.client.data.notes,
        "prefers mornings\nsensitive to retinol\nno perfume"
    );
}

#[test]
fn the_cap_holds_for_typing_and_paste() {
    let mut app = App::with_clients(5, (120, 40));
    app.keys("<Enter>n");
    app.focus_field("notes");
    let long = "x".repeat(needlelog::app::NOTES_CAP + 50);
    app.act(vec![Action::Paste(long)]);
    let n = app.open_form().form.text(FieldKey::Notes).chars().count();
    assert_eq!(n, needlelog::app::NOTES_CAP);
    app.keys("<Enter>");
    app.type_text("more");
    let n = app.open_form().form.text(FieldKey::Notes).chars().count();
    assert_eq!(n, needlelog::app::NOTES_CAP);
}

#[test]
fn the_editors_own_shortcuts_do_not_delete_unseen() {
    let mut app = App::with_clients(5, (120, 40));
    app.keys("<Enter>n");
    app.focus_field("notes");
    app.type_text("keep this");
    for key in ['k', 'w', 'j', 'x', 'y', 'v', 'h', 'm'] {
        app.act(vec![Action::Key(ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char(key),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        ))]);
    }
    assert_eq!(app.open_form().form.text(FieldKey::Notes), "keep this");
    // Word-wise moves and deletes still work.
    app.act(vec![Action::Key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Backspace,
        ratatui::crossterm::event::KeyModifiers::ALT,
    ))]);
    assert_eq!(app.open_form().form.text(FieldKey::Notes), "keep ");
}
