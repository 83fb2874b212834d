//! The home filter, driven by keys against a real store.

mod support;

use support::app::App;

#[test]
fn the_filter_matches_names_as_typed_not_scattered_letters() {
    let mut app = App::with_clients(40, (100, 30));
    let names: Vec<String> = app.state.rows.rows.iter().map(|r| r.name.clone()).collect();
    app.keys("/");
    app.type_text("zoe");
    for r in app.visible_rows() {
        let words: Vec<String> = r
            .name
            .to_lowercase()
            .split([' ', '\'', '-'])
            .map(String::from)
            .collect();
        assert!(
            words.iter().any(|w| w.starts_with("zo")),
            "'zoe' listed {} (all: {names:?})",
            r.name
        );
    }
}

#[test]
fn an_archived_match_is_pointed_to_when_the_view_hides_it() {
    let mut app = App::with_clients(40, (100, 30));
    let archived = app
        .state
        .rows
        .rows
        .iter()
        .find(|r| r.archived)
        .map(|r| r.name.clone())
        .expect("the demo data has an archived client");
    app.keys("/");
    app.type_text(&archived);
    assert_eq!(app.visible_rows().count(), 0);
    let screen = app.screen();
    assert!(screen.contains("1 archived client matches"), "{screen}");
    // The archived view (at the end of the d cycle) lists the client.
    app.keys("<Enter>dddd");
    let shown: Vec<String> = app.visible_rows().map(|r| r.name.clone()).collect();
    assert_eq!(shown, vec![archived]);
    assert!(!app.screen().contains("archived client matches"));
}

#[test]
fn slash_with_a_filter_set_edits_it_from_its_end() {
    let mut app = App::with_clients(40, (100, 30));
    app.keys("/");
    app.type_text("ab");
    app.keys("<Left><Left><Enter>/");
    app.type_text("c");
    assert_eq!(app.state.filter.value(), "abc");
    app.keys("<BS><BS>");
    assert_eq!(app.state.filter.value(), "a");
}

/// The list while typing, erasing, editing inside the query and changing
/// the sort, each step against a filter that scores every name afresh.
#[test]
fn typing_letter_by_letter_lists_what_the_whole_query_lists() {
    let mut app = App::with_clients(80, (100, 30));
    let fresh = |app: &App| {
        needlelog::app::list::Filter::default().visible(
            &app.state.rows,
            app.state.view,
            app.state.sort,
            app.state.filter.value(),
        )
    };
    app.keys("/");
    for step in [
        "m", "a", "r", " ", "o", "<BS>", "<BS>", "<BS>", "<BS>", "e", "l", "<Left>", "!", "<End>",
        "$", "<BS>", "é", "<Enter>", "s", "/", "a", "<BS>", "<BS>", "<BS>", "<BS>", "<BS>", "<BS>",
        "e", " ", "!", "o", "n", "<BS>", "<BS>", "<BS>", "^", "s", "v",
    ] {
        if step.chars().count() == 1 && (step != "s" || app.state.filtering) {
            app.type_text(step);
        } else {
            app.keys(step);
        }
        assert_eq!(
            app.state.visible,
            fresh(&app),
            "after {step:?}, query {:?}",
            app.state.filter.value()
        );
    }
    assert_eq!(app.state.filter.value(), "e ^sv");
    assert_ne!(app.state.sort, needlelog::app::list::Sort::default());
}
