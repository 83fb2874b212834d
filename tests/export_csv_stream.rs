//! The CSV export streams sessions from one joined query instead of
//! building the client → series → session trees; these tests hold it to
//! the bytes (and the summary) that the trees give, over every kind of
//! scope.

mod support;

use needlelog::db::Store;
use needlelog::export::{self, Format, Options, Scope};
use support::cli::Sandbox;
use support::export::*;
use support::{names_in, today};

/// What the tree-based writer makes of `scope`, and the summary figures.
fn from_trees(store: &Store, scope: &Scope, excel: bool) -> (Vec<u8>, [usize; 3]) {
    let scoped = store.scoped_trees(scope).unwrap();
    let counts = [
        scoped.len(),
        scoped.iter().map(|c| c.series.len()).sum(),
        scoped.iter().map(|c| c.session_count()).sum(),
    ];
    (export::csv::write(&scoped, excel).unwrap(), counts)
}

fn assert_same(store: &Store, scope: &Scope, excel: bool) {
    let (want, counts) = from_trees(store, scope, excel);
    let (got, summary) = export::render(
        store,
        Format::Csv,
        scope,
        today(),
        &Options {
            excel,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(got == want, "{scope:?}: the streamed CSV differs");
    assert_eq!(
        [summary.clients, summary.series, summary.sessions],
        counts,
        "{scope:?}"
    );
    assert_eq!(summary.bytes, got.len());
}

#[test]
fn streamed_csv_is_the_tree_csv_byte_for_byte() {
    let env = Sandbox::new();
    let store = varied_store(&env);
    let scopes = varied_scopes(&store);
    for scope in &scopes {
        assert_same(&store, scope, false);
    }
    assert_same(&store, &Scope::everything(), true);
}

#[test]
fn the_export_dialog_file_is_the_rendered_csv() {
    let env = Sandbox::new();
    let store = varied_store(&env);
    let dest = env.path("out.csv");
    let scope = Scope::everything();
    let summary = export::write_export(&store, Format::Csv, &scope, &dest, today()).unwrap();
    let (bytes, rendered) =
        export::render(&store, Format::Csv, &scope, today(), &Options::default()).unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), bytes);
    assert_eq!(summary.path.as_deref(), Some(dest.as_path()));
    assert_eq!(
        (summary.sessions, summary.bytes),
        (rendered.sessions, rendered.bytes)
    );
}

/// Truncated, or with a page in the middle zeroed (the file opens; the
/// integrity check, running beside the export, finds the damage).
#[test]
fn a_damaged_database_leaves_no_file() {
    let env = Sandbox::with_demo(300);
    let bytes = std::fs::read(env.db()).unwrap();
    let truncated = bytes[..bytes.len() / 3].to_vec();
    let mut zeroed = bytes.clone();
    let page = (bytes.len() * 2 / 3) / 4096 * 4096;
    zeroed[page + 100..page + 4096].fill(0);
    for (name, damaged) in [("truncated.db", truncated), ("zeroed.db", zeroed)] {
        let db = env.path(name);
        std::fs::write(&db, damaged).unwrap();
        let dest = env.path("out.csv");
        for to_file in [true, false] {
            let mut args = vec!["export", "--db", db.to_str().unwrap(), "--format", "csv"];
            if to_file {
                args.extend(["-o", dest.to_str().unwrap()]);
            }
            let out = env.run(&args);
            assert_ne!(out.status.code(), Some(0), "{name}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("damaged"), "{name}: {err}");
            assert!(out.stdout.is_empty(), "{name}: nothing on standard output");
        }
    }
    let left: Vec<_> = names_in(&env.work())
        .into_iter()
        .filter(|n| n.contains("out.csv"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
