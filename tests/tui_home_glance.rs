//! The home list and client screen answer more at a glance: the latest
//! session's downtime (and a sort by it), names cut with `…`, the demo
//! badge at 80 columns, allergies on the client screen and above the
//! session form, and a long session record read a page at a time.

mod support;

use needlelog::db::client_list::ClientRow;
use needlelog::domain::Days;
use rusqlite_migration::{M, Migrations};
use support::app::App;
use support::store::*;

/// What the list should say for a client, read from their records.
fn expected(app: &App, id: i64) -> (bool, Option<Days>) {
    let tree = app.store.client_tree(id).unwrap();
    let latest = tree
        .series
        .iter()
        .flat_map(|s| s.sessions.iter())
        .max_by_key(|x| (x.data.performed_at, x.id));
    latest.map_or((false, None), |x| {
        let f = &x.data.followup;
        let worst = [f.redness_days, f.swelling_days, f.peeling_days]
            .into_iter()
            .flatten()
            .max();
        (!f.adverse_events.is_empty(), worst)
    })
}

#[test]
fn the_list_shows_and_sorts_by_the_latest_downtime() {
    let mut app = App::with_clients(40, (120, 40));
    for r in &app.state.rows.rows {
        assert_eq!(
            (r.last_adverse, r.last_downtime),
            expected(&app, r.id),
            "{}",
            r.name
        );
    }
    assert!(app.screen().contains("Downtime"));
    // s cycles next due → name → last visit → downtime.
    app.keys("sss");
    assert!(app.status().contains("downtime"), "{}", app.status());
    let shown: Vec<&ClientRow> = app.visible_rows().collect();
    let key = |r: &ClientRow| (r.last_adverse, r.last_downtime);
    assert!(
        shown.windows(2).all(|w| key(w[0]) >= key(w[1])),
        "worst first"
    );
    let first = shown[0];
    assert!(first.last_adverse || first.last_downtime.is_some());
    let row_text = app
        .screen()
        .lines()
        .find(|l| l.contains(&first.name[..first.name.len().min(8)]))
        .unwrap()
        .to_string();
    let days = first.last_downtime.map_or("—".into(), |d| format!("{d}d"));
    assert!(row_text.contains(&days), "{row_text} lacks {days}");
    assert_eq!(row_text.contains(" !"), first.last_adverse, "{row_text}");
}

#[test]
fn a_long_name_is_cut_with_an_ellipsis() {
    let mut app = App::with_clients(3, (80, 24));
    app.keys("a");
    app.type_text("Maximiliana Konstantinopoulou-Wetherington");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    let screen = app.screen();
    let line = screen
        .lines()
        .find(|l| l.starts_with("│Maximilia"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(line.contains('…'), "{line}");
}

#[test]
fn the_demo_badge_shows_at_80_columns() {
    let mut app = App::with_clients(3, (80, 24));
    app.state.demo = true;
    app.state.db_label = "demo data (thrown away on exit)".into();
    let screen = app.screen();
    assert!(screen.lines().next().unwrap().contains("DEMO"), "{screen}");
    app.keys("<Enter>");
    let screen = app.screen();
    assert!(screen.lines().next().unwrap().contains("DEMO"), "{screen}");
}

#[test]
fn allergies_show_on_the_client_screen_and_above_the_session_form() {
    let mut app = App::with_clients(40, (160, 40));
    let find = |app: &App, keep: fn(&needlelog::domain::ClientDraft) -> bool| {
        app.state
            .rows
            .rows
            .iter()
            .map(|r| app.store.client_tree(r.id).unwrap().client)
            // Not an archived client: the list's view hides them.
            .find(|c| c.archived_at.is_none() && keep(&c.data))
            .unwrap()
    };
    // By id: the demo data may hold two clients of the same name.
    let allergic = find(&app, |c| !c.allergies.is_empty());
    assert!(app.state.select_client(allergic.id));
    let allergic = allergic.data;
    app.keys("<Enter>");
    let line = format!("Allergies: {}", allergic.allergies);
    assert!(app.screen().contains(&line), "{}", app.screen());
    app.keys("n");
    assert!(app.screen().contains(&line), "{}", app.screen());
    app.keys("<Esc>");
    // Screening answers show on the client screen too.
    let screened = find(&app, |c| !c.screening.is_empty());
    app.keys("<Esc>");
    assert!(app.state.select_client(screened.id));
    let screened = screened.data;
    app.keys("<Enter>");
    let label = screened.screening[0].kind.label();
    assert!(
        app.screen().contains(&format!("⚠ {label}")),
        "{}",
        app.screen()
    );
}

#[test]
fn a_long_session_record_is_read_a_page_at_a_time() {
    let mut app = App::with_clients(40, (80, 24));
    app.open_first("has a session with notes among others", |s| {
        s.current_series().is_some_and(|st| st.sessions.len() > 1)
            && s.current_session()
                .is_some_and(|x| x.data.notes.chars().count() > 20)
    });
    let screen = app.screen();
    let pages = |screen: &str| -> (usize, usize) {
        let at = screen.find("page ").expect("a paged record");
        let rest = &screen[at + 5..];
        let end = rest.find(' ').unwrap();
        let (n, of) = rest[..end].split_once('/').unwrap();
        (n.parse().unwrap(), of.parse().unwrap())
    };
    let (first, of) = pages(&screen);
    assert_eq!(first, 1, "{screen}");
    assert!(of >= 2, "{screen}");
    let notes = app.state.current_session().unwrap().data.notes.clone();
    assert!(!notes.is_empty());
    assert!(!screen.contains(&notes[..20]), "{screen}");
    // J turns the pages in order; the notes come on a later one.
    let mut seen = false;
    for page in 2..=of {
        app.keys("J");
        let screen = app.screen();
        assert_eq!(pages(&screen), (page, of), "{screen}");
        seen |= screen.contains(&notes[..20]);
    }
    assert!(seen, "the notes are on no page");
    // Another session starts on its first page; K goes back around.
    app.keys("k");
    assert_eq!(pages(&app.screen()).0, 1);
    app.keys("K");
    assert_eq!(pages(&app.screen()).0, pages(&app.screen()).1);
}

#[test]
fn a_version_3_file_gains_the_downtime_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(dir.path());
    let v3 = Migrations::new(
        needlelog::db::schema::steps()[..3]
            .iter()
            .map(|s| M::up(s))
            .collect(),
    );
    let store = needlelog::db::Store::open_with(&path, &v3, 3).unwrap();
    let ids = old_version_records(&path, &["Old Record"]);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE sessions SET followup_on = '2026-11-05', redness_days = 2,
                    peeling_days = 3.5, adverse_events = '[{\"kind\":\"other\",\"note\":\"itch\"}]'
             WHERE id = ?1",
            [ids[0].1],
        )
        .unwrap();
    drop(store);
    let store = open_at(&path);
    let row = store
        .client_rows(true)
        .unwrap()
        .into_iter()
        .find(|r| r.id == ids[0].0)
        .unwrap();
    assert_eq!(row.last_downtime, Some(days("3.5")));
    assert!(row.last_adverse);
    assert!(store.check().unwrap().is_ok());
}

/// An app on 2026-11-21 with one client whose one-session series of acne
/// scars was completed at `last`, under a practice interval of `months`.
fn completed_at(last: &str, months: u32) -> App {
    use needlelog::domain::{ClientDraft, Concern, SeriesDraft, SessionDraft};
    let dir = tempfile::tempdir().unwrap();
    let mut store = needlelog::db::Store::open(&dir.path().join("test.db")).unwrap();
    let mut series = SeriesDraft::new(Concern::AcneScars, support::date(2026, 1, 5));
    series.planned_sessions = 1;
    let c = store
        .create_client(&ClientDraft::named("Maya Okafor"), Some(&series))
        .unwrap();
    let s = &store.series_of(c.id).unwrap()[0];
    store
        .create_session(s.id, &SessionDraft::at(support::at(last)))
        .unwrap();
    let mut state = needlelog::app::State::new(support::app::now(), (120, 30), "test.db", false);
    state.color = false;
    state.rules.maintenance_months = months;
    needlelog::app::run::start(&mut state, &mut store);
    App { state, store, dir }
}

fn line_of(screen: &str, name: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("{screen}"))
        .to_string()
}

#[test]
fn a_completed_series_is_due_for_maintenance_after_the_practice_interval() {
    // Six months after 21 May is today; after 22 May, tomorrow.
    let mut app = completed_at("2026-05-21 09:00", 6);
    assert!(
        line_of(&app.screen(), "Maya Okafor").contains("maintenance due"),
        "{}",
        app.screen()
    );
    // The client screen says the same; so does the today screen's due list.
    app.keys("<Enter>");
    assert!(
        app.screen().contains("■ 1/1 acne scars · maintenance due"),
        "{}",
        app.screen()
    );
    app.keys("<Esc>t");
    let screen = app.screen();
    assert!(
        screen.contains("Due now, overdue or maintenance (1)"),
        "{screen}"
    );
    assert!(
        line_of(&screen, "Maya Okafor").contains("maintenance due"),
        "{screen}"
    );

    let app = completed_at("2026-05-22 09:00", 6);
    let row = line_of(&app.screen(), "Maya Okafor");
    assert!(
        row.contains("complete") && !row.contains("maintenance"),
        "{row}"
    );
    // The practice's interval decides: a year, and not yet.
    let app = completed_at("2026-05-21 09:00", 12);
    let row = line_of(&app.screen(), "Maya Okafor");
    assert!(
        row.contains("complete") && !row.contains("maintenance"),
        "{row}"
    );
}
