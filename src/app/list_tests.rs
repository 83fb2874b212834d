//! The filter's matching, and narrowing the previous matches as a query
//! grows, which must give what scoring every name again gives.

use super::matching::NameMatcher;
use super::*;
use nucleo_matcher::{Utf32Str, Utf32String};

fn finds(query: &str, name: &str) -> bool {
    let mut f = Filter::default();
    f.scorer
        .matcher()
        .score(&Query::parse(query), name)
        .is_some()
}

#[test]
fn letters_scattered_across_words_do_not_match() {
    assert!(!finds("zoe", "Małgorzata O'Brien"));
    assert!(!finds("kim", "Keiko Yılmaz"));
}

#[test]
fn names_typed_as_people_type_them_match() {
    for (query, name) in [
        ("zoe", "Zoë Lambert"),
        ("odegard", "Ingrid Ødegård"),
        ("rien", "Małgorzata O'Brien"),
        ("malgrzata", "Małgorzata O'Brien"),
        ("kim", "Kim Nguyen"),
        ("ke yil", "Keiko Yılmaz"),
        ("ky", "Keiko Yılmaz"),
        ("obrien", "Małgorzata O'Brien"),
        // nucleo's best alignment is spread out; the letters are there in a row.
        ("ar", "Marta Ruiz"),
        ("ri", "Maria Rossi"),
        // nucleo's own syntax is left to nucleo.
        ("n$", "Nguyen"),
        ("'guy", "Nguyen"),
    ] {
        assert!(finds(query, name), "{query} should find {name}");
    }
}

#[test]
fn runs_are_read_from_sorted_positions() {
    let mut buf = Vec::new();
    let name = Utf32Str::new("Keiko Yilmaz", &mut buf);
    assert!(typed_as_a_name(name, &[0, 6]));
    assert!(!typed_as_a_name(name, &[0, 2, 9]));
    assert!(typed_as_a_name(name, &[8, 9, 10]));
    assert!(!typed_as_a_name(name, &[9]));
    assert!(!typed_as_a_name(name, &[40]));
    assert!(typed_as_a_name(name, &[]));
}

fn row(id: i64, name: &str, archived: bool) -> ClientRow {
    ClientRow {
        id,
        uuid: uuid::Uuid::nil(),
        name: name.to_string(),
        archived,
        screening_flag: false,
        series: None,
        last_visit: None,
        followup_pending: false,
        last_downtime: None,
        last_adverse: false,
        adverse_ongoing: false,
    }
}

fn rows_of(names: &[&str]) -> Rows {
    let rows = names
        .iter()
        .enumerate()
        .map(|(i, n)| row(i as i64, n, false))
        .collect();
    Rows::new(rows, NaiveDate::MIN, 12)
}

/// What a filter that has seen no earlier query shows.
fn full(rows: &Rows, view: View, sort: Sort, query: &str) -> Vec<usize> {
    Filter::default().visible(rows, view, sort, query)
}

#[test]
fn only_a_query_that_adds_to_the_last_one_narrows() {
    for (previous, query) in [
        ("ma", "mar"),
        ("ma", "ma"),
        ("ma", "ma r"),
        ("ma", "ma !r"),
        ("ma !r", "ma !r x"),
        ("^ma", "^mar"),
        ("'ma", "'mar"),
        ("ma", "ma$"),
        ("^ma", "^ma$"),
        ("!", "! a"),
        ("ma", "maÉ"),
    ] {
        assert!(narrows(previous, query), "{previous:?} → {query:?}");
    }
    for (previous, query) in [
        ("", "m"),
        ("mar", "ma"),
        ("ma", "mo"),
        ("ma", "xma"),
        // A negative word excludes fewer names as it grows.
        ("!ma", "!mar"),
        ("ma !r", "ma !ri"),
        // `$` ends the word: after it, it is a letter.
        ("ma$", "ma$r"),
        // Syntax alone matches everything.
        ("^", "^m"),
        ("'", "'m"),
        ("!", "!m"),
        ("ma ^", "ma ^r"),
        // nucleo's escape.
        ("ma\\", "ma\\ r"),
        ("m\\$", "m\\$a"),
    ] {
        assert!(!narrows(previous, query), "{previous:?} → {query:?}");
    }
}

#[test]
fn a_longer_query_scores_only_the_previous_matches() {
    let rows = rows_of(&["Maria Rossi", "Zed Quinn", "Mark Ode"]);
    let mut f = Filter::default();
    let ma = f.visible(&rows, View::All, Sort::Name, "ma");
    assert_eq!(ma, full(&rows, View::All, Sort::Name, "ma"));
    assert!(!ma.contains(&1));
    // A name that did not match "ma" is not scored for "mar" (its
    // prepared form is changed behind the filter's back to show it).
    f.prepared.replace(1, "Mar Quinn");
    assert!(!f.visible(&rows, View::All, Sort::Name, "mar").contains(&1));
    // Erasing scores everything again.
    assert!(f.visible(&rows, View::All, Sort::Name, "ma").contains(&1));
}

#[test]
fn a_name_refused_for_a_query_may_match_a_longer_one() {
    // "ab" in "Axbc" reads a·b, a scattered b; "abc" reads a·bc.
    assert!(!finds("ab", "Axbc"));
    assert!(finds("abc", "Axbc"));
    let rows = rows_of(&["Axbc", "Abe"]);
    let mut f = Filter::default();
    assert_eq!(f.visible(&rows, View::All, Sort::Name, "ab"), vec![1]);
    assert_eq!(f.visible(&rows, View::All, Sort::Name, "abc"), vec![0]);
}

mod narrowing {
    use super::*;
    use proptest::prelude::*;

    /// Letters of names: ASCII, accented and other scripts' letters,
    /// capitals, apostrophes, hyphens and spaces.
    const NAME: &[char] = &[
        'a', 'b', 'e', 'm', 'r', 'o', 'A', 'M', 'O', 'é', 'É', 'ø', 'ł', 'ı', 'ü', '\'', '-', ' ',
        'ß',
    ];
    /// What a practitioner types: letters as in names, nucleo's syntax
    /// (`^`, `'`, `!`, `$`, `\`) and spaces; None is a backspace.
    const TYPED: &[Option<char>] = &[
        Some('a'),
        Some('b'),
        Some('e'),
        Some('m'),
        Some('r'),
        Some('o'),
        Some('M'),
        Some('é'),
        Some('ø'),
        Some('l'),
        Some('ü'),
        Some('u'),
        Some(' '),
        Some(' '),
        Some('^'),
        Some('\''),
        Some('!'),
        Some('$'),
        Some('\\'),
        None,
        None,
    ];

    fn names() -> impl Strategy<Value = Vec<(String, bool)>> {
        let name = proptest::collection::vec(proptest::sample::select(NAME), 1..14)
            .prop_map(|c| c.into_iter().collect::<String>());
        proptest::collection::vec((name, proptest::bool::weighted(0.1)), 0..40)
    }

    fn typing() -> impl Strategy<Value = Vec<Option<char>>> {
        proptest::collection::vec(proptest::sample::select(TYPED), 1..16)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn narrowing_gives_what_a_full_rescore_gives(
            names in names(),
            typed in typing(),
            sort in proptest::sample::select(vec![Sort::Name, Sort::NextDue, Sort::LastVisit]),
        ) {
            let rows: Vec<ClientRow> = names
                .iter()
                .enumerate()
                .map(|(i, (n, archived))| row(i as i64, n, *archived))
                .collect();
            let rows = Rows::new(rows, NaiveDate::MIN, 12);
            let mut incremental = Filter::default();
            let mut query = String::new();
            for key in typed {
                match key {
                    Some(c) => query.push(c),
                    None => {
                        query.pop();
                    }
                }
                // One call per word gives nucleo's score of the whole pattern.
                let parsed = Query::parse(query.trim());
                let mut names = NameMatcher::default();
                for r in &rows.rows {
                    let hay = Utf32String::from(r.name.as_str());
                    prop_assert_eq!(
                        names.matches(&parsed, hay.slice(..)).map(|m| m.0),
                        parsed.pattern.score(hay.slice(..), &mut names.matcher)
                    );
                }
                let seen = incremental.visible(&rows, View::All, sort, &query);
                prop_assert_eq!(&seen, &full(&rows, View::All, sort, &query), "query {:?}", query);
                prop_assert_eq!(
                    incremental.archived_matches(&rows, &query),
                    Filter::default().archived_matches(&rows, &query)
                );
            }
        }
    }
}
