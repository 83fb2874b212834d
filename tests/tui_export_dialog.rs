//! The export dialog behaves like a file dialog: `~` is the home folder, an
//! existing file is replaced only when confirmed, the byte-order mark is
//! offered for CSV only, the format chosen last is kept, the scope
//! follows the screen the dialog was opened from, and XLSX is offered with
//! its own file name.

mod support;

use needlelog::app::field_key::FieldKey;
use support::app::App;

fn app() -> App {
    let mut app = App::with_clients(5, (100, 30));
    app.state.export_dir = app.dir.path().to_path_buf();
    app
}

/// Goes to the file field, clears it and types `typed`, as a user would.
fn set_file(app: &mut App, typed: &str) {
    let form = &mut app.open_form_mut().form;
    form.focus = form
        .fields
        .iter()
        .position(|f| f.key == FieldKey::File)
        .unwrap();
    app.keys("<C-u>");
    app.type_text(typed);
}

#[test]
fn a_tilde_is_the_home_folder() {
    let mut app = app();
    let home = app.dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    app.state.home = Some(home.clone());
    app.keys("x");
    set_file(&mut app, "~/clinic.csv");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    assert!(home.join("clinic.csv").is_file(), "{}", app.status());
    assert!(!std::path::Path::new("~").exists());
}

#[test]
fn an_existing_file_is_replaced_only_when_confirmed() {
    let mut app = app();
    let file = app.dir.path().join("kept.csv");
    std::fs::write(&file, "precious").unwrap();
    app.keys("x");
    set_file(&mut app, &file.display().to_string());
    assert!(
        app.screen().contains("Ctrl-S asks before"),
        "{}",
        app.screen()
    );
    app.keys("<C-s>");
    assert!(app.screen().contains("Replace it?"), "{}", app.screen());
    app.keys("n");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
    assert!(app.state.form.is_some(), "the dialog stays open");
    app.keys("<C-s>y");
    assert!(app.state.form.is_none(), "{}", app.status());
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.starts_with("client_uuid,") || written.contains(','),
        "{written}"
    );
    assert_ne!(written, "precious");
}

#[test]
fn the_byte_order_mark_is_offered_for_csv_only() {
    let mut app = app();
    app.keys("x");
    assert!(app.open_form().form.field(FieldKey::Excel).is_some());
    assert!(app.screen().contains("Byte-order mark"));
    app.keys("<Right>");
    assert!(app.open_form().form.field(FieldKey::Excel).is_none());
    assert!(!app.screen().contains("Byte-order mark"));
    // Every field after it is still reached, in order.
    app.keys("<Tab><Tab><Tab><Tab>");
    let form = &app.open_form().form;
    assert_eq!(form.fields[form.focus].key, FieldKey::File);
    app.keys("<S-Tab><S-Tab><S-Tab><S-Tab><Left>");
    assert!(app.open_form().form.field(FieldKey::Excel).is_some());
}

#[test]
fn the_last_format_is_kept_and_the_scope_follows_the_screen() {
    let mut app = app();
    let name = app.state.selected_row().unwrap().name.clone();
    // From the home list: all clients.
    app.keys("x");
    assert!(app.screen().contains("all clients"), "{}", app.screen());
    assert!(!app.screen().contains(&format!("◀ this client: {name}")));
    app.keys("<Right><C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    // The next dialog starts on JSON; from the client's screen, on them.
    app.keys("<Enter>x");
    let form = &app.open_form().form;
    assert_eq!(form.selected(FieldKey::Format), 1);
    assert_eq!(form.selected(FieldKey::Scope), 0);
    assert!(form.text(FieldKey::File).ends_with(".json"));
    assert!(app.screen().contains(&format!("this client: {name}")));
}

#[test]
fn the_database_itself_is_never_an_export_target() {
    let mut app = app();
    let db = app.store.path().to_path_buf();
    let before = std::fs::read(&db).unwrap();
    app.keys("x");
    set_file(&mut app, &db.display().to_string());
    app.keys("<C-s>");
    // It exists, so the dialog asks; a paste now does not touch the form.
    assert!(app.screen().contains("Replace it?"), "{}", app.screen());
    app.act(vec![needlelog::app::Action::Paste("/elsewhere.csv".into())]);
    assert_eq!(
        app.open_form().form.text(FieldKey::File),
        db.display().to_string()
    );
    app.keys("y");
    assert!(
        app.status().contains("is the database itself"),
        "{}",
        app.status()
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let wal = format!("{}-wal", db.display());
    assert!(app.store.check().unwrap().is_ok());
    set_file(&mut app, &wal);
    app.keys("<C-s>");
    if app.state.confirm.is_some() {
        app.keys("y");
    }
    assert!(
        app.status().contains("is the database itself"),
        "{}",
        app.status()
    );
}

#[test]
fn xlsx_is_offered_and_its_file_name_follows() {
    use calamine::{Reader, Xlsx, open_workbook};
    use needlelog::export::Format;
    let mut app = app();
    app.keys("x");
    assert!(
        app.screen().contains("CSV (spreadsheet)"),
        "{}",
        app.screen()
    );
    let xlsx = Format::ALL.iter().position(|f| *f == Format::Xlsx).unwrap();
    app.keys(&"<Right>".repeat(xlsx));
    let form = &app.open_form().form;
    assert_eq!(form.selected(FieldKey::Format), xlsx);
    let file = form.text(FieldKey::File).to_string();
    assert!(file.ends_with(".xlsx"), "{file}");
    assert!(
        app.screen().contains("XLSX (Excel, LibreOffice)"),
        "{}",
        app.screen()
    );
    // The byte-order mark is a CSV matter.
    assert!(app.open_form().form.field(FieldKey::Excel).is_none());
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    assert!(app.status().contains("5 clients"), "{}", app.status());
    let mut book: Xlsx<_> = open_workbook(&file).expect("a workbook");
    assert_eq!(book.sheet_names(), ["Sessions", "Series", "Clients"]);
    let clients = book.worksheet_range("Clients").unwrap();
    assert_eq!(clients.height(), 1 + 5);
}
