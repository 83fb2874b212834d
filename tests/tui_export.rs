//! The export dialog (`x`) driven by keys: it proposes a file name that
//! follows format and scope, writes the file privately, and says where.

mod support;

use needlelog::app::field_key::FieldKey;
use std::os::unix::fs::PermissionsExt;
use support::app::App;

#[test]
fn export_this_client_as_csv_then_all_as_json() {
    let mut app = App::with_clients(20, (100, 30));
    app.state.export_dir = app.dir.path().to_path_buf();
    let name = app.state.selected_row().unwrap().name.clone();
    app.keys("<Enter>x");
    let form = &app.state.form.as_ref().expect("export dialog").form;
    let file = form.text(FieldKey::File).to_string();
    assert!(
        file.starts_with(&app.dir.path().display().to_string()),
        "{file}"
    );
    assert!(file.ends_with("-2026-11-21.csv"), "{file}");
    assert!(app.screen().contains(&format!("this client: {name}")));
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    assert!(
        app.status()
            .starts_with(&format!("Exported: wrote {file}: 1 client")),
        "{}",
        app.status()
    );
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.iter().any(|cell| cell == name)),
        "only this client's sessions"
    );

    // JSON of everyone: the proposed name follows format and scope.
    app.keys("x<Right>");
    let form = &app.open_form().form;
    assert!(
        form.text(FieldKey::File).ends_with(".json"),
        "{}",
        form.text(FieldKey::File)
    );
    app.keys("<Tab><Right>");
    let file = app.open_form().form.text(FieldKey::File).to_string();
    assert!(file.ends_with("needlelog-2026-11-21.json"), "{file}");
    app.keys("<C-s>");
    assert!(app.status().contains("20 clients"), "{}", app.status());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(doc["clients"].as_array().unwrap().len(), 20);
}

#[test]
fn a_typed_file_name_is_kept_and_bad_input_is_refused() {
    let mut app = App::with_clients(5, (100, 30));
    app.state.export_dir = app.dir.path().to_path_buf();
    app.keys("x");
    // From after until: refused with the reason.
    app.keys("<Tab><Tab>");
    app.type_text("2026-06-01");
    app.keys("<Tab>");
    app.type_text("2026-01-01");
    app.keys("<C-s>");
    assert!(app.state.form.is_some());
    assert_eq!(
        app.field_error("until").as_deref(),
        Some("before the start of the range")
    );
    app.keys(&"<BS>".repeat(10));
    // A file in a folder that does not exist.
    app.keys("<Tab><Tab>");
    app.set_input("file", "/nonexistent-folder/x.csv");
    app.keys("<End>");
    app.type_text("v");
    assert_eq!(
        app.field_error("file").as_deref(),
        Some("the folder does not exist")
    );
    // Typed names survive a format change.
    let mine = app.dir.path().join("mine.csv").display().to_string();
    app.set_input("file", &mine);
    app.keys("<S-Tab><S-Tab><S-Tab><S-Tab><S-Tab><Right>");
    assert_eq!(app.open_form().form.text(FieldKey::File), mine);
}

/// On an encrypted database the status line says the exported file is not
/// encrypted; on a plain one it says nothing of the kind.
#[test]
fn an_export_from_an_encrypted_database_says_the_file_is_not() {
    for encrypted in [false, true] {
        let mut app = if encrypted {
            App::encrypted(3, (100, 30), "correct horse")
        } else {
            App::with_clients(3, (100, 30))
        };
        assert_eq!(app.store.is_encrypted(), encrypted);
        app.state.export_dir = app.dir.path().to_path_buf();
        app.keys("<Enter>x<C-s>");
        let status = app.status();
        let start = if encrypted {
            "Exported, not encrypted: wrote "
        } else {
            "Exported: wrote "
        };
        assert!(status.starts_with(start), "{status}");
        assert_eq!(status.contains("not encrypted"), encrypted, "{status}");
    }
}
