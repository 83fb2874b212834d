//! The today screen (`t`): sessions recorded today, follow-ups to ask for
//! (sessions 1–7 days ago without one) and who is due, checked against the
//! records; `Enter` opens the client on that session; `render --screen
//! today` draws it.

mod support;

use needlelog::app::Screen;
use needlelog::app::today::Item;
use support::app::App;
use support::cli::Sandbox;
use support::today;

/// (client id, session id) of every session 1–7 days before today whose
/// follow-up is not recorded, read from the client trees.
fn followups_from_records(app: &App) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for r in app.state.rows.rows.iter().filter(|r| !r.archived) {
        let tree = app.store.client_tree(r.id).unwrap();
        for st in &tree.series {
            for x in &st.sessions {
                let ago = (today() - x.data.performed_at.date()).num_days();
                if (1..=7).contains(&ago) && !x.data.followup.is_recorded() {
                    out.push((r.id, x.id));
                }
            }
        }
    }
    out.sort_unstable();
    out
}

#[test]
fn the_lists_agree_with_the_records() {
    let mut app = App::with_clients(60, (120, 40));
    app.keys("t");
    assert_eq!(app.state.screen, Screen::Today);
    let work = &app.state.today_work;
    let mut listed: Vec<(i64, i64)> = work
        .followups
        .iter()
        .map(|x| (x.client_id, x.session_id))
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, followups_from_records(&app));
    assert!(
        !listed.is_empty(),
        "the demo data has follow-ups to ask for"
    );
    let due: Vec<i64> = app
        .state
        .rows
        .rows
        .iter()
        .zip(&app.state.rows.due)
        .filter(|(r, d)| {
            !r.archived
                && d.is_some_and(|d| d.is_due_now() || d.is_overdue() || d.is_maintenance_due())
        })
        .map(|(r, _)| r.id)
        .collect();
    let mut shown: Vec<i64> = work
        .due
        .iter()
        .map(|&i| app.state.rows.rows[i].id)
        .collect();
    shown.sort_unstable();
    let mut due_sorted = due.clone();
    due_sorted.sort_unstable();
    assert_eq!(shown, due_sorted);
    let screen = app.screen();
    assert!(
        screen.contains(&format!("Due now, overdue or maintenance ({})", due.len())),
        "{screen}"
    );
    assert!(screen.contains("Recorded today (0)"), "{screen}");
}

#[test]
fn a_session_recorded_today_is_listed_and_enter_opens_it() {
    let mut app = App::with_clients(20, (120, 40));
    let name = app.state.selected_row().unwrap().name.clone();
    app.keys("n");
    app.focus_field("pain");
    app.type_text("3");
    app.keys("<C-s>");
    assert!(app.state.form.is_none(), "{}", app.status());
    app.keys("t");
    let work = &app.state.today_work;
    assert_eq!(work.recorded.len(), 1);
    let x = work.recorded[0].clone();
    assert_eq!(x.client_name, name);
    assert!(app.screen().contains("Recorded today (1)"));
    // The first line is today's session: Enter opens the client on it.
    assert_eq!(work.items()[0], Item::Recorded(0));
    app.keys("<Enter>");
    assert_eq!(app.state.screen, Screen::Client);
    assert_eq!(
        app.state.current_session().map(|s| s.id),
        Some(x.session_id)
    );
    // Esc goes home; t comes back with the cursor at the top.
    app.keys("<Esc>t");
    assert_eq!(app.state.screen, Screen::Today);
    app.keys("<Esc>");
    assert_eq!(app.state.screen, Screen::Clients);
}

#[test]
fn enter_on_a_follow_up_opens_that_session() {
    let mut app = App::with_clients(60, (120, 40));
    app.keys("t");
    let work = app.state.today_work.clone();
    let at = work
        .items()
        .iter()
        .position(|i| matches!(i, Item::Followup(_)))
        .unwrap();
    for _ in 0..at {
        app.keys("j");
    }
    let Item::Followup(i) = work.items()[app.state.today_idx] else {
        panic!("not on a follow-up");
    };
    app.keys("<Enter>");
    assert_eq!(
        app.state.current_session().map(|s| s.id),
        Some(work.followups[i].session_id)
    );
    assert_eq!(
        app.state.detail.as_ref().map(|d| d.client.id),
        Some(work.followups[i].client_id)
    );
}

#[test]
fn render_draws_the_today_screen() {
    let sb = Sandbox::new();
    let db = sb.path("demo.db");
    sb.demo(&db, 30, 1);
    let out = sb.run_ok(&[
        "--db",
        db.to_str().unwrap(),
        "render",
        "--screen",
        "today",
        "--size",
        "80x24",
        "--now",
        "2026-11-21 10:00",
    ]);
    assert!(out.contains("Today · Sat 2026-11-21"), "{out}");
    assert!(out.contains("Due now, overdue or maintenance ("), "{out}");
    assert!(out.contains("Ask for a follow-up ("), "{out}");
}

#[test]
fn esc_from_a_client_opened_here_comes_back_and_undo_names_the_line() {
    let mut app = App::with_clients(60, (120, 40));
    app.keys("t<Enter>");
    assert_eq!(app.state.screen, Screen::Client);
    app.keys("<Esc>");
    assert_eq!(app.state.screen, Screen::Today);
    // Opened from the home list, Esc goes home.
    app.keys("<Esc><Enter><Esc>");
    assert_eq!(app.state.screen, Screen::Clients);
    // The client under the cursor is the one undo compares with.
    app.keys("t");
    let (id, _) = app.state.today_client().unwrap();
    let first = app.state.today_work.items()[0];
    assert_eq!(
        app.state
            .today_work
            .target(first, &app.state.rows)
            .map(|t| t.client),
        Some(id)
    );
}

#[test]
fn the_due_list_follows_a_reloaded_list() {
    let mut app = App::with_clients(60, (120, 40));
    app.keys("t");
    let names = |app: &App| -> Vec<String> {
        app.state
            .today_work
            .due
            .iter()
            .map(|&i| app.state.rows.rows[i].name.clone())
            .collect()
    };
    let before = names(&app);
    // A new client sorts into the list and moves the rows while the today
    // screen stays up.
    app.store
        .create_client(
            &needlelog::domain::ClientDraft::named("Aaron Aardvark"),
            None,
        )
        .unwrap();
    let rows = app.store.client_rows(true).unwrap();
    app.act(vec![needlelog::app::Action::ClientsLoaded(rows)]);
    assert_eq!(app.state.screen, Screen::Today);
    assert_eq!(names(&app), before);
}
