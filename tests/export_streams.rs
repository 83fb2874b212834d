//! JSON, Markdown, HTML and iCalendar exports are written a client at a
//! time as the records are read; these tests hold them to what the whole
//! document made from the loaded trees gives (`export::from_trees`, the
//! way they were made before), byte for byte, over every kind of scope,
//! with the same summary and the same refusals.

mod support;

use needlelog::config::Clinic;
use needlelog::db::{ScopedClient, Store};
use needlelog::export::{self, Format, Options, Scope};
use support::cli::Sandbox;
use support::export::*;
use support::today;

const STREAMED: [Format; 4] = [Format::Json, Format::Md, Format::Html, Format::Ics];

/// The records a format loads for `scope`: the calendar reads whole series.
fn loaded(store: &Store, format: Format, scope: &Scope) -> Vec<ScopedClient> {
    let load = if format == Format::Ics {
        scope.all_dates()
    } else {
        *scope
    };
    store.scoped_trees(&load).unwrap()
}

fn with_clinic() -> Options {
    Options {
        clinic: Clinic {
            name: "Skin & <Studio>".into(),
            practitioner: "Dr Jo Park".into(),
            contact: "desk@skin.example".into(),
        },
        ..Options::default()
    }
}

fn assert_same(store: &Store, format: Format, scope: &Scope, options: &Options) {
    let trees = loaded(store, format, scope);
    let want = export::from_trees(format, &trees, scope, today(), now(), options);
    let got = export::render(store, format, scope, today(), options);
    let (got, summary) = match (want, got) {
        (Ok(want), Ok((got, summary))) => {
            assert!(
                got == want,
                "{format:?} {scope:?}: the streamed export differs from the whole document"
            );
            (got, summary)
        }
        (Err(want), Err(got)) => {
            assert_eq!(got.to_string(), want.to_string(), "{format:?} {scope:?}");
            return;
        }
        (want, got) => panic!("{format:?} {scope:?}: {want:?} but streamed {got:?}"),
    };
    assert_eq!(summary.bytes, got.len(), "{format:?} {scope:?}");
    if format != Format::Ics {
        let counts = [
            trees.len(),
            trees.iter().map(|c| c.series.len()).sum(),
            trees.iter().map(|c| c.session_count()).sum(),
        ];
        assert_eq!(
            [summary.clients, summary.series, summary.sessions],
            counts,
            "{format:?} {scope:?}"
        );
    }
}

#[test]
fn the_tree_stream_reads_the_trees_the_store_loads() {
    let env = Sandbox::new();
    let store = varied_store(&env);
    for scope in varied_scopes(&store) {
        let mut streamed = Vec::new();
        let count = store
            .scoped_tree_stream(&scope)
            .unwrap()
            .for_each(|c| {
                streamed.push(c);
                Ok::<_, needlelog::db::StoreError>(())
            })
            .unwrap();
        let want = store.scoped_trees(&scope).unwrap();
        assert_eq!(count, want.len(), "{scope:?}");
        assert!(streamed == want, "{scope:?}: the streamed trees differ");
    }
}

#[test]
fn streamed_exports_are_the_whole_documents_byte_for_byte() {
    let env = Sandbox::new();
    let store = varied_store(&env);
    let scopes = varied_scopes(&store);
    for format in STREAMED {
        for scope in &scopes {
            assert_same(&store, format, scope, &Options::default());
        }
        assert_same(&store, format, &Scope::everything(), &with_clinic());
    }
}

#[test]
fn a_single_client_names_the_report_and_an_empty_one_says_so() {
    let env = Sandbox::new();
    let store = varied_store(&env);
    let awkward = store.find_client(AWKWARD_NAME).unwrap();
    let one = Scope {
        client: Some(awkward.id),
        ..Scope::default()
    };
    let (html, _) =
        export::render(&store, Format::Html, &one, today(), &Options::default()).unwrap();
    let html = String::from_utf8(html).unwrap();
    let name = needlelog::export::xml_escape(AWKWARD_NAME);
    assert!(
        html.contains(&format!("<title>Treatment summary: {name}</title>")),
        "{html}"
    );
    let none = Scope {
        since: Some(support::date(2031, 1, 1)),
        ..Scope::default()
    };
    for format in [Format::Md, Format::Html] {
        assert_same(&store, format, &one, &Options::default());
        let (text, summary) =
            export::render(&store, format, &none, today(), &Options::default()).unwrap();
        assert_eq!(summary.clients, 0);
        assert!(
            String::from_utf8(text)
                .unwrap()
                .contains("No records in this selection.")
        );
    }
}

#[test]
fn streamed_exports_refuse_what_the_trees_refuse_before_writing() {
    let env = Sandbox::new();
    let store = varied_store(&env);
    let trees = store.all_trees().unwrap();
    let (a, b) = (&trees[0], &trees[1]);
    let scopes = [
        Scope {
            client: Some(a.client.id),
            series: b.series.first().map(|s| s.series.uuid),
            ..Scope::default()
        },
        Scope {
            client: Some(i64::MAX),
            ..Scope::default()
        },
        Scope {
            series: Some(uuid::Uuid::nil()),
            ..Scope::default()
        },
    ];
    for format in [
        Format::Csv,
        Format::Json,
        Format::Md,
        Format::Html,
        Format::Ics,
    ] {
        for scope in &scopes {
            let want = store.scoped_trees(scope).unwrap_err().to_string();
            let mut out = Vec::new();
            let got = export::write_to(
                &store,
                format,
                scope,
                today(),
                &Options::default(),
                &mut out,
                |e| needlelog::db::StoreError::Other(e.to_string()),
            )
            .unwrap_err();
            assert_eq!(got.to_string(), want, "{format:?} {scope:?}");
            assert!(
                out.is_empty(),
                "{format:?} {scope:?}: wrote {} bytes first",
                out.len()
            );
        }
    }
    // A calendar with no event is refused with nothing written.
    let none = Scope {
        since: Some(support::date(2040, 1, 1)),
        ..Scope::default()
    };
    let mut out = Vec::new();
    let e = export::write_to(
        &store,
        Format::Ics,
        &none,
        today(),
        &Options::default(),
        &mut out,
        |e| needlelog::db::StoreError::Other(e.to_string()),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("nothing to put in a calendar"),
        "{e}"
    );
    assert!(out.is_empty());
}

#[test]
fn the_export_dialog_file_is_the_streamed_export() {
    let env = Sandbox::new();
    let store = varied_store(&env);
    for format in STREAMED {
        let dest = env.path(&format!("out.{}", format.extension()));
        let scope = Scope::everything();
        let summary = export::write_export(&store, format, &scope, &dest, today()).unwrap();
        let (bytes, rendered) =
            export::render(&store, format, &scope, today(), &Options::default()).unwrap();
        assert!(std::fs::read(&dest).unwrap() == bytes, "{format:?}");
        assert_eq!(summary.path.as_deref(), Some(dest.as_path()));
        assert_eq!(
            (
                summary.clients,
                summary.sessions,
                summary.events,
                summary.bytes
            ),
            (
                rendered.clients,
                rendered.sessions,
                rendered.events,
                rendered.bytes
            )
        );
    }
}

/// Standard output: an export read only in part (`| head`) ends without an
/// error, and one that is refused writes nothing there.
#[test]
fn standard_output_streams_and_a_reader_may_stop_early() {
    use std::io::Read;
    let env = Sandbox::with_demo(300);
    let db = env.db();
    let mut child = support::cli::isolated(support::cli::BIN, &env.home())
        .args([
            "export",
            "--db",
            db.to_str().unwrap(),
            "--today",
            support::TODAY,
        ])
        .args(["--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut start = [0u8; 1];
    stdout.read_exact(&mut start).unwrap();
    assert_eq!(&start, b"{");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The whole of it is more than the pipe and the buffer hold, so the
    // export above did meet the closed pipe.
    assert!(env.export(&["--format", "json"]).len() > 1 << 20);

    for args in [
        ["--format", "md", "--client", "Nobody Such"],
        ["--format", "ics", "--since", "2040-01-01"],
    ] {
        let out = env.run_dated("export", &db, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: wrote {} bytes",
            out.stdout.len()
        );
    }
}
