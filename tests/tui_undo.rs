//! `u` and `Ctrl-R` in the interface: undo says what it will undo, asks
//! first when that is about another client than the one on screen, redo
//! puts back what was undone, and afterwards the cursor is on the record
//! that changed.

mod support;

use chrono::{NaiveDate, NaiveDateTime};
use needlelog::app::{Confirm, Effect, Screen, effects};
use needlelog::db::{ClientTree, Store, UndoRedo};
use needlelog::domain::{ClientDraft, Concern, SeriesDraft, SessionDraft};
use support::app::App;

const SIZE: (u16, u16) = (120, 40);

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn reload(app: &mut App) {
    let loaded = effects::run(&mut app.store, &Effect::LoadClients);
    app.act(loaded);
}

/// A client with an acne-scar series, added through the store (as another
/// program would); the list is reloaded.
fn client(app: &mut App, name: &str) -> (i64, i64) {
    let s = SeriesDraft::new(
        Concern::AcneScars,
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
    );
    let c = app
        .store
        .create_client(&ClientDraft::named(name), Some(&s))
        .unwrap();
    let series = app.store.series_of(c.id).unwrap()[0].id;
    reload(app);
    (c.id, series)
}

fn open(app: &mut App, name: &str) {
    app.select(name);
    app.keys("<Enter>");
    assert_eq!(app.state.screen, Screen::Client);
    assert_eq!(app.state.detail.as_ref().unwrap().client.data.name, name);
}

/// Every record and the length of the audit log: what "untouched" means.
fn snapshot(app: &App) -> (Vec<ClientTree>, i64) {
    (
        app.store.all_trees().unwrap(),
        app.store.counts().unwrap().audit,
    )
}

fn on_screen(app: &App) -> i64 {
    app.state
        .detail
        .as_ref()
        .expect("a client is open")
        .client
        .id
}

fn selected_session(app: &App) -> Option<i64> {
    app.state.current_session().map(|x| x.id)
}

/// The question on screen: (undo or redo, summary, about whom, instead of whom).
fn question(app: &App) -> (UndoRedo, String, String, Option<String>) {
    match &app.state.confirm {
        Some(Confirm::Revert {
            way,
            summary,
            about,
            on_screen,
            ..
        }) => (*way, summary.clone(), about.clone(), on_screen.clone()),
        other => panic!("expected an undo/redo question, got {other:?}"),
    }
}

const ADD_BO: &str = "add client Bo Lind, add acne scars series for Bo Lind";

#[test]
fn another_clients_change_is_named_and_asked_about_first() {
    let mut app = App::empty(SIZE);
    let (ana, _) = client(&mut app, "Ana Souza");
    let (bo, _) = client(&mut app, "Bo Lind");
    open(&mut app, "Ana Souza");
    let untouched = snapshot(&app);

    app.keys("u");
    assert_eq!(
        question(&app),
        (
            UndoRedo::Undo,
            ADD_BO.to_string(),
            "Bo Lind".to_string(),
            Some("Ana Souza".to_string())
        )
    );
    let screen = app.screen();
    assert!(screen.contains(&format!("Undo: {ADD_BO}?")), "{screen}");
    assert!(
        screen.contains("(this is about Bo Lind, not Ana Souza)"),
        "{screen}"
    );
    app.keys("n");
    assert!(app.state.confirm.is_none());
    assert_eq!(snapshot(&app), untouched, "n changes nothing");
    app.keys("u<Esc>");
    assert!(app.state.confirm.is_none());
    assert_eq!(snapshot(&app), untouched, "Esc changes nothing");
    assert_eq!(
        app.state.screen,
        Screen::Client,
        "Esc only closed the question"
    );

    app.keys("uy");
    assert_eq!(app.status(), format!("Undone: {ADD_BO}"));
    assert!(app.store.client(bo).is_err());
    assert_eq!(on_screen(&app), ana, "Ana's screen stays");

    // Redo follows the same rule, and then shows what came back.
    app.keys("<C-r>");
    assert_eq!(
        question(&app),
        (
            UndoRedo::Redo,
            ADD_BO.to_string(),
            "Bo Lind".to_string(),
            Some("Ana Souza".to_string())
        )
    );
    assert!(app.screen().contains(&format!("Redo: {ADD_BO}?")));
    app.keys("y");
    assert_eq!(app.status(), format!("Redone: {ADD_BO}"));
    assert!(app.store.client(bo).is_ok());
    assert_eq!(on_screen(&app), bo, "the client brought back is shown");
    app.keys("<C-r>");
    assert_eq!(app.status(), "Nothing to redo");
}

#[test]
fn the_open_clients_change_is_undone_at_once_and_selected() {
    let mut app = App::empty(SIZE);
    client(&mut app, "Bo Lind");
    let (ana, series) = client(&mut app, "Ana Souza");
    let first = app
        .store
        .create_session(series, &SessionDraft::at(at("2026-10-01 09:00")))
        .unwrap();
    let second = app
        .store
        .create_session(series, &SessionDraft::at(at("2026-11-01 09:00")))
        .unwrap();
    let mut edited = first.data.clone();
    edited.notes = "Tingling only.".into();
    app.store.update_session(first.id, &edited).unwrap();
    reload(&mut app);
    open(&mut app, "Ana Souza");
    assert_eq!(selected_session(&app), Some(second.id));

    app.keys("u");
    assert!(app.state.confirm.is_none(), "her own change: no question");
    assert_eq!(
        app.status(),
        "Undone: edit session of 2026-10-01 09:00 for Ana Souza"
    );
    assert_eq!(app.store.session(first.id).unwrap().data.notes, "");
    assert_eq!(
        selected_session(&app),
        Some(first.id),
        "the session whose edit was undone is selected"
    );

    app.keys("j");
    assert_eq!(selected_session(&app), Some(second.id));
    app.keys("<C-r>");
    assert!(app.state.confirm.is_none());
    assert_eq!(
        app.status(),
        "Redone: edit session of 2026-10-01 09:00 for Ana Souza"
    );
    assert_eq!(
        app.store.session(first.id).unwrap().data.notes,
        "Tingling only."
    );
    assert_eq!(selected_session(&app), Some(first.id));

    // Undoing a session's creation leaves her screen on her series.
    app.keys("uu");
    assert_eq!(
        app.status(),
        "Undone: record session of 2026-11-01 09:00 for Ana Souza"
    );
    assert!(app.store.session(second.id).is_err());
    assert_eq!(app.state.screen, Screen::Client);
    assert_eq!(on_screen(&app), ana);
    assert_eq!(app.state.current_series().unwrap().series.id, series);
    assert_eq!(selected_session(&app), Some(first.id));
    // And redoing it selects the session brought back.
    app.keys("k<C-r>");
    assert_eq!(
        app.status(),
        "Redone: record session of 2026-11-01 09:00 for Ana Souza"
    );
    assert_eq!(selected_session(&app), Some(second.id));
}

#[test]
fn on_the_home_screen_the_selected_client_decides() {
    let mut app = App::empty(SIZE);
    let (ana, _) = client(&mut app, "Ana Souza");
    client(&mut app, "Bo Lind");
    let mut changed = ClientDraft::named("Ana Souza");
    changed.notes = "Prefers mornings.".into();
    app.store.update_client(ana, &changed).unwrap();
    reload(&mut app);
    let untouched = snapshot(&app);

    app.select("Bo Lind");
    app.keys("u");
    let (_, summary, about, here) = question(&app);
    assert_eq!(
        (summary.as_str(), about.as_str(), here.as_deref()),
        ("edit client Ana Souza", "Ana Souza", Some("Bo Lind"))
    );
    app.keys("n");
    assert_eq!(snapshot(&app), untouched);

    app.select("Ana Souza");
    app.keys("u");
    assert!(app.state.confirm.is_none());
    assert_eq!(app.status(), "Undone: edit client Ana Souza");
    assert_eq!(app.store.client(ana).unwrap().data.notes, "");

    app.select("Bo Lind");
    app.keys("<C-r>y");
    assert_eq!(app.status(), "Redone: edit client Ana Souza");
    assert_eq!(
        app.state.selected_row().unwrap().id,
        ana,
        "the client whose record changed is selected"
    );
    assert_eq!(
        app.store.client(ana).unwrap().data.notes,
        "Prefers mornings."
    );
}

/// An import by another program touches several clients: undo says how
/// many, and asks.
#[test]
fn an_import_of_several_clients_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut other = Store::open(&dir.path().join("other.db")).unwrap();
    for name in ["Cy Park", "Dee Moss"] {
        other
            .create_client(&ClientDraft::named(name), None)
            .unwrap();
    }
    let trees = other.all_trees().unwrap();

    let mut app = App::empty(SIZE);
    client(&mut app, "Ana Souza");
    app.store.import_trees(&trees, support::app::now()).unwrap();
    reload(&mut app);
    app.select("Ana Souza");
    let untouched = snapshot(&app);
    app.keys("u");
    let (_, summary, about, here) = question(&app);
    assert_eq!(
        summary,
        "import: add client Cy Park, import: add client Dee Moss"
    );
    assert_eq!(
        (about.as_str(), here.as_deref()),
        ("2 clients", Some("Ana Souza"))
    );
    app.keys("<Esc>");
    assert_eq!(snapshot(&app), untouched);
    app.keys("uy");
    assert_eq!(app.store.clients(true).unwrap().len(), 1);
    app.keys("<C-r>y");
    assert_eq!(app.store.clients(true).unwrap().len(), 3);
}

#[test]
fn a_read_only_database_refuses_undo_and_redo() {
    let mut app = App::with_clients(3, SIZE);
    app.state.read_only = true;
    for keys in ["u", "<C-r>"] {
        app.keys(keys);
        assert!(app.state.confirm.is_none(), "{keys}");
        assert!(
            app.status().contains("Read-only"),
            "{keys}: {}",
            app.status()
        );
    }
}

#[test]
fn with_nothing_to_undo_or_redo_it_says_so() {
    let mut app = App::with_clients(3, SIZE);
    let untouched = snapshot(&app);
    app.keys("u");
    assert_eq!(app.status(), "Nothing to undo");
    app.keys("<C-r>");
    assert_eq!(app.status(), "Nothing to redo");
    assert_eq!(snapshot(&app), untouched);
}
