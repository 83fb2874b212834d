//! JSON exports written by earlier releases (tests/fixtures/exports, made by
//! those commits' own binaries) still import into a new database, hold what
//! they held, and satisfy the committed schema: files in the field outlive
//! the program that wrote them.

mod support;

use serde_json::Value;
use std::path::PathBuf;
use support::cli::Sandbox;
use support::schema::Checker;

fn fixture(name: &str) -> (PathBuf, Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/exports")
        .join(name);
    let doc = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, doc)
}

/// How many clients, series and sessions a document holds.
fn counted(doc: &Value) -> (usize, usize, usize) {
    let clients = doc["clients"].as_array().unwrap();
    let series: Vec<&Value> = clients
        .iter()
        .flat_map(|c| c["series"].as_array().unwrap())
        .collect();
    let sessions = series
        .iter()
        .map(|s| s["sessions"].as_array().unwrap().len())
        .sum();
    (clients.len(), series.len(), sessions)
}

#[test]
fn exports_of_earlier_releases_import_whole_and_fit_the_schema() {
    let checker = Checker::load();
    for name in ["first-1eff0e6.json", "issue-14-02e0e77.json"] {
        let (path, doc) = fixture(name);
        assert_eq!(checker.errors(&doc), Vec::<String>::new(), "{name}");
        let (clients, series, sessions) = counted(&doc);
        assert!(clients > 0 && sessions > 0, "{name}: an empty fixture");

        let sb = Sandbox::new();
        let db = sb.db();
        let line =
            String::from_utf8(sb.run_dated_ok("import", &db, &[path.to_str().unwrap()])).unwrap();
        assert!(
            line.contains(&format!("clients {clients} added"))
                && line.contains(&format!("series {series} added"))
                && line.contains(&format!("sessions {sessions} added")),
            "{name}: {line}"
        );
        // Once more: everything is already there, unchanged.
        let again =
            String::from_utf8(sb.run_dated_ok("import", &db, &[path.to_str().unwrap()])).unwrap();
        assert!(
            again.contains(&format!("clients 0 added, 0 updated, {clients} unchanged"))
                && again.contains(&format!(
                    "sessions 0 added, 0 updated, {sessions} unchanged"
                )),
            "{name}: {again}"
        );
    }
}
