//! The filter's matching, and narrowing the previous matches as a query
//! grows, which must give what scoring every name again gives.

use super::matching::NameMatcher;
use super::*;
use nucleo_matcher::pattern::Pattern;
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

/// A list of names, some archived, in that order.
fn listed(names: &[(String, bool)]) -> Rows {
    let rows = names
        .iter()
        .enumerate()
        .map(|(i, (n, archived))| row(i as i64, n, *archived))
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
    f.rename_unseen(1, "Mar Quinn");
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
            let rows = listed(&names);
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

        /// Every one-letter query, answered from the letter table, gives
        /// what the plain nucleo path gives, in every view and sort.
        #[test]
        fn one_letter_from_the_table_is_plain_nucleo(
            names in names(),
            view in proptest::sample::select(vec![View::All, View::Archived]),
            sort in proptest::sample::select(vec![Sort::Name, Sort::NextDue, Sort::LastVisit]),
        ) {
            let rows = listed(&names);
            let mut filter = Filter::default();
            for letter in 'a'..='z' {
                let query = letter.to_string();
                prop_assert_eq!(
                    filter.visible(&rows, view, sort, &query),
                    plain(&rows, view, sort, &query),
                    "query {:?}", query
                );
            }
        }

        /// The table's cells are nucleo's own verdicts, name by name.
        #[test]
        fn the_letter_table_holds_what_nucleo_says(names in names()) {
            let names: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
            let prepared = matching::Names::new(names.iter().copied());
            let table = matching::LetterTable::new(&prepared, &mut NameMatcher::default(), || true)
                .expect("one-letter scores fit");
            let mut matcher = NameMatcher::default();
            for letter in 'a'..='z' {
                let query = Query::parse(&letter.to_string());
                let l = matching::LetterTable::letter(&letter.to_string()).expect("a letter");
                let found = table.score(l, &(0..names.len() as u32).collect::<Vec<_>>());
                let mut raw = Vec::new();
                let mut hits = Vec::new();
                for (i, name) in names.iter().enumerate() {
                    let hay = Utf32String::from(*name);
                    if let Some((score, typed)) = matcher.matches(&query, hay.slice(..)) {
                        raw.push(i as u32);
                        if typed {
                            hits.push((score, i as u32));
                        }
                    }
                }
                prop_assert_eq!(&found.raw, &raw, "letter {}", letter);
                prop_assert_eq!(&found.hits, &hits, "letter {}", letter);
            }
        }
    }
}

/// A one-letter query is answered from the table made when the names
/// were: a name changed behind the filter's back after that still counts
/// with its old letters for one letter, and with its new ones otherwise.
#[test]
fn one_letter_queries_are_read_from_the_table() {
    let rows = rows_of(&["Bob Stone", "Ann Lee"]);
    let mut f = Filter::default();
    assert_eq!(f.visible(&rows, View::All, Sort::Name, "b"), vec![0]);
    f.rename_unseen(0, "Zed Quinn");
    assert_eq!(f.visible(&rows, View::All, Sort::Name, "b"), vec![0]);
    assert_eq!(f.visible(&rows, View::All, Sort::Name, "zq"), vec![0]);
    assert!(f.visible(&rows, View::All, Sort::Name, "bo").is_empty());
    assert!(matching::LetterTable::letter("B").is_none());
    assert!(matching::LetterTable::letter("é").is_none());
    assert!(matching::LetterTable::letter("ab").is_none());
}

/// The plain full re-score, written as simply as it can be: every row the
/// view keeps, in the sort's order, each name converted by nucleo and
/// matched on its own, best score first and ties in the sort's order.
fn plain(rows: &Rows, view: View, sort: Sort, query: &str) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..rows.len())
        .filter(|&i| view.keeps(&rows.rows[i], rows.due[i]))
        .collect();
    idx.sort_by(|a, b| compare(rows, sort, *a, *b));
    let query = query.trim();
    if query.is_empty() {
        return idx;
    }
    let parsed = Query::parse(query);
    let mut names = NameMatcher::default();
    let mut scored: Vec<(std::cmp::Reverse<u32>, usize, usize)> = idx
        .iter()
        .enumerate()
        .filter_map(|(place, &i)| {
            let name = Utf32String::from(rows.rows[i].name.as_str());
            let score = names.score_prepared(&parsed, name.slice(..))?;
            Some((std::cmp::Reverse(score), place, i))
        })
        .collect();
    scored.sort_unstable();
    scored.into_iter().map(|(_, _, i)| i).collect()
}

#[test]
fn ties_keep_the_order_of_the_chosen_sort() {
    // Same score for "an" in each; by name they come in the list's order.
    let rows = rows_of(&["Anna Zed", "Anna Bell", "Anna Moss"]);
    let mut f = Filter::default();
    assert_eq!(f.visible(&rows, View::All, Sort::Name, "an"), vec![1, 2, 0]);
    assert_eq!(
        f.visible(&rows, View::All, Sort::Name, "an"),
        plain(&rows, View::All, Sort::Name, "an")
    );
}

#[test]
fn best_first_is_a_stable_sort_by_score() {
    let mut counts = Vec::new();
    let hits = [(3, 10), (7, 11), (3, 12), (9, 13), (7, 14)];
    // Places 10 to 14 are rows 0 to 4 here.
    let ordered: Vec<u32> = (0..10).chain(0..5).collect();
    assert_eq!(
        matching::best_first(&hits, &ordered, &mut counts),
        vec![3, 1, 4, 0, 2]
    );
    // Scores far apart take the other path, with the same result.
    let far = [(3, 10), (70_000, 11), (3, 12), (90_000, 13), (70_000, 14)];
    assert_eq!(
        matching::best_first(&far, &ordered, &mut counts),
        vec![3, 1, 4, 0, 2]
    );
    assert!(matching::best_first(&[], &ordered, &mut counts).is_empty());
}

#[test]
fn a_long_list_scored_on_two_threads_gives_the_plain_result() {
    // Many chunks in tests (see `CHUNK`): the two threads take them in turn.
    let first = [
        "Léa", "Đorđe", "Anna", "Marta", "Jürgen", "Zoë", "Ömer", "Ana",
    ];
    let last = [
        "Straße",
        "O'Brien",
        "Ødegård",
        "Núñez",
        "Moss",
        "Ruiz",
        "Kim",
    ];
    let names: Vec<String> = (0..3_000)
        .map(|i| format!("{} {}", first[i % 8], last[(i / 8) % 7]))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let rows = rows_of(&names);
    let mut f = Filter::default();
    for query in [
        "a", "an", "ann", "an", "", "st", "strasse", "ß", "dor", "le",
    ] {
        let seen = f.visible(&rows, View::All, Sort::Name, query);
        assert_eq!(
            seen,
            plain(&rows, View::All, Sort::Name, query),
            "{query:?}"
        );
    }
    assert!(!f.visible(&rows, View::All, Sort::Name, "an").is_empty());
}

#[test]
fn the_prepared_names_take_their_letters_and_a_span_each() {
    let rows = rows_of(&["Ana", "Zoë"]);
    let mut f = Filter::default();
    assert_eq!(f.prepared_bytes(), 0);
    f.visible(&rows, View::All, Sort::Name, "a");
    // "Ana" as 3 bytes, "Zoë" as 3 characters of 4 bytes, two spans and
    // two sets of letters; twice (by row and in display order); two places;
    // the letter table, 26 cells of 2 bytes per name.
    assert_eq!(
        f.prepared_bytes(),
        2 * (3 + 3 * 4 + 2 * 16 + 2 * 4) + 2 * 4 + 26 * 2 * 2
    );
}

mod fast_path {
    use super::*;
    use proptest::prelude::*;

    /// Names as written, with letters nucleo folds (é, ø, Đ) and does not
    /// (ß), and names built of such letters at random.
    fn names() -> impl Strategy<Value = Vec<(String, bool)>> {
        let real = proptest::sample::select(vec![
            "Léa Dubois",
            "Đorđe Petrović",
            "Jürgen Straße",
            "Anna-Lena Moss",
            "Zoë O'Brien",
            "Ingrid Ødegård",
            "Marta Ruiz",
            "Ana Núñez",
            "ß",
            "Ma",
        ])
        .prop_map(String::from);
        let made = proptest::collection::vec(
            proptest::sample::select(vec![
                'a', 'n', 'e', 'l', 'm', 'r', 's', 'A', 'L', 'é', 'É', 'Đ', 'đ', 'ß', 'ø', ' ', '-',
            ]),
            1..12,
        )
        .prop_map(|c| c.into_iter().collect::<String>());
        let name = prop_oneof![real, made];
        proptest::collection::vec((name, proptest::bool::weighted(0.15)), 0..120)
    }

    #[derive(Debug, Clone)]
    enum Edit {
        /// One letter typed.
        Type(char),
        /// Several letters pasted at once.
        Paste(String),
        /// Letters erased from the end.
        Erase(usize),
    }

    fn edits() -> impl Strategy<Value = Vec<Edit>> {
        let letter = proptest::sample::select(vec![
            'a', 'n', 'e', 'l', 'm', 'r', 's', 'A', 'é', 'đ', 'ß', 'd', 'o', ' ', '^', '!', '$',
            '\'',
        ]);
        let edit = prop_oneof![
            4 => letter.clone().prop_map(Edit::Type),
            1 => proptest::collection::vec(letter, 2..6)
                .prop_map(|c| Edit::Paste(c.into_iter().collect())),
            2 => (1usize..4).prop_map(Edit::Erase),
        ];
        proptest::collection::vec(edit, 1..14)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn the_fast_path_gives_the_plain_full_rescore(
            names in names(),
            edits in edits(),
            view in proptest::sample::select(vec![View::All, View::Archived]),
            sort in proptest::sample::select(vec![
                Sort::Name, Sort::NextDue, Sort::LastVisit, Sort::Downtime,
            ]),
        ) {
            let rows = listed(&names);
            let mut f = Filter::default();
            let mut query = String::new();
            for edit in edits {
                match edit {
                    Edit::Type(c) => query.push(c),
                    Edit::Paste(s) => query.push_str(&s),
                    Edit::Erase(n) => {
                        for _ in 0..n {
                            query.pop();
                        }
                    }
                }
                let seen = f.visible(&rows, view, sort, &query);
                prop_assert_eq!(&seen, &plain(&rows, view, sort, &query), "query {:?}", query);
            }
            // Another sort and back: everything is scored again, the same.
            let other = f.visible(&rows, view, sort.next(), &query);
            prop_assert_eq!(&other, &plain(&rows, view, sort.next(), &query));
            let back = f.visible(&rows, view, sort, &query);
            prop_assert_eq!(&back, &plain(&rows, view, sort, &query));
        }
    }
}

#[test]
fn a_letter_nucleo_matches_is_among_the_letters_of_the_name() {
    // Every character of the Basic Multilingual Plane (Latin, Greek,
    // Cyrillic, full-width forms and more, with their accents and
    // ligatures) against every ASCII letter, both cases.
    let mut names = NameMatcher::default();
    let mut checked = 0;
    let patterns: Vec<(char, Pattern)> = ('a'..='z')
        .chain('A'..='Z')
        .map(|c| (c, Query::parse(&c.to_string()).pattern))
        .collect();
    for h in (0..0x1_0000).filter_map(char::from_u32) {
        let hay = Utf32String::from(h.to_string().as_str());
        for (c, pattern) in &patterns {
            let c = *c;
            if pattern.score(hay.slice(..), &mut names.matcher).is_some() {
                let bit = matching::letters(c);
                let seen = hay
                    .slice(..)
                    .chars()
                    .fold(0, |m, h| m | matching::letters(h));
                assert_eq!(seen & bit, bit, "{c:?} matches {h:?}");
                checked += 1;
            }
        }
    }
    // ASCII letters, and the accented ones and ligatures nucleo folds.
    assert!(checked > 52 + 200, "{checked}");
}
