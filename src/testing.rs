//! Helpers shared by the crate's unit tests.

use chrono::NaiveDate;

/// The day the unit tests take for today.
pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// Fails unless README.md holds `table`, the output of `generator`: the
/// README's `list` has to be pasted again whenever `source` changes.
pub(crate) fn assert_readme_lists(table: &str, list: &str, source: &str, generator: &str) {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(table),
        "README.md's {list} differs from {source}; paste the output of {generator}:\n{table}"
    );
}
