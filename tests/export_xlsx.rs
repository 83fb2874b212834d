//! The XLSX export read back with calamine: three sheets, the CSV's header
//! and rows on the Sessions sheet, typed cells (dates, numbers, and text
//! that must stay text), scope options, a frozen header and a filter, and
//! the command line's refusal to send a binary file to standard output.

mod support;

use calamine::{Data, DataType, Range, Reader, Xlsx, open_workbook};
use needlelog::domain::{ClientDraft, Concern, Depth, SeriesDraft, SessionDraft};
use needlelog::export::csv::columns;
use std::io::Read;
use std::path::{Path, PathBuf};
use support::cli::{Sandbox, one_line_error};
use support::export::*;
use support::{at, date};

/// Exports with `args` into `work/<name>` and returns the file's path.
fn export(env: &Sandbox, name: &str, args: &[&str]) -> PathBuf {
    let file = env.path(name);
    let mut full = vec!["--format", "xlsx", "-o", file.to_str().unwrap()];
    full.extend_from_slice(args);
    env.export(&full);
    file
}

fn book(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("an XLSX file calamine reads")
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    book(path).worksheet_range(name).expect(name)
}

/// The header row as text.
fn header(r: &Range<Data>) -> Vec<String> {
    r.rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// The cell of `row` (1 = first after the header) in the column `name`.
fn cell<'a>(r: &'a Range<Data>, row: usize, name: &str) -> &'a Data {
    let col = header(r).iter().position(|h| h == name).expect(name);
    r.get((row, col)).unwrap_or(&Data::Empty)
}

/// Data rows (the header not counted).
fn rows(r: &Range<Data>) -> usize {
    r.height().saturating_sub(1)
}

/// CSV rows of the same export (the header not counted).
fn csv_rows(env: &Sandbox, args: &[&str]) -> usize {
    let mut full = vec!["--format", "csv"];
    full.extend_from_slice(args);
    let bytes = env.export(&full);
    csv::Reader::from_reader(&bytes[..]).records().count()
}

/// A client whose session has a lot number with leading zeros, a depth,
/// and a note with a line break and letters from several scripts.
const NOTE: &str = "first line: Zoë, Ξανθή, 李小龍\nsecond line ✓";

fn add_lot_client(env: &Sandbox) {
    let mut store = env.store();
    let mut draft = ClientDraft::named("Lot Tester");
    draft.phone = "0612345678".into();
    draft.date_of_birth = Some(date(1990, 4, 2));
    let series = SeriesDraft::new(Concern::AcneScars, date(2026, 10, 1));
    let client = store.create_client(&draft, Some(&series)).unwrap();
    let series = &store.series_of(client.id).unwrap()[0];
    let mut s = SessionDraft::at(at("2026-10-01 09:15"));
    s.cartridge_lot = "007123".into();
    s.depth_mm = Some(Depth::parse("depth", "1.25").unwrap());
    s.notes = NOTE.into();
    store.create_session(series.id, &s).unwrap();
}

#[test]
fn three_sheets_and_the_csv_header() {
    let env = Sandbox::with_demo(6);
    let file = export(&env, "all.xlsx", &[]);
    assert_eq!(book(&file).sheet_names(), ["Sessions", "Series", "Clients"]);
    let sessions = sheet(&file, "Sessions");
    assert_eq!(header(&sessions), columns());
    assert_eq!(rows(&sessions), csv_rows(&env, &[]));
    let store = env.store();
    let trees = store.all_trees().unwrap();
    assert_eq!(rows(&sheet(&file, "Clients")), trees.len());
    let series: usize = trees.iter().map(|t| t.series.len()).sum();
    assert_eq!(rows(&sheet(&file, "Series")), series);
    let clients = sheet(&file, "Clients");
    assert_eq!(header(&clients)[..2], ["client_uuid", "name"]);
    assert!(header(&clients).contains(&"date_of_birth".to_string()));
    let series_sheet = sheet(&file, "Series");
    assert!(header(&series_sheet).contains(&"started_on".to_string()));
    assert!(header(&series_sheet).contains(&"close_reason".to_string()));
}

#[test]
fn cells_keep_their_types() {
    let env = Sandbox::new();
    add_lot_client(&env);
    let file = export(&env, "typed.xlsx", &[]);
    let s = sheet(&file, "Sessions");
    assert_eq!(rows(&s), 1);
    // A date is a date, shown as one.
    let day = cell(&s, 1, "date");
    assert!(day.is_datetime(), "{day:?}");
    assert_eq!(day.as_date(), Some(date(2026, 10, 1)));
    let time = cell(&s, 1, "time");
    assert!(time.is_datetime(), "{time:?}");
    assert_eq!(time.as_time(), chrono::NaiveTime::from_hms_opt(9, 15, 0));
    // Numbers are numbers.
    assert_eq!(cell(&s, 1, "depth_mm"), &Data::Float(1.25));
    assert_eq!(cell(&s, 1, "session_number"), &Data::Float(1.0));
    // Text that looks like a number stays text.
    assert_eq!(cell(&s, 1, "cartridge_lot"), &Data::String("007123".into()));
    assert_eq!(cell(&s, 1, "notes"), &Data::String(NOTE.into()));
    assert_eq!(
        cell(&s, 1, "client_name"),
        &Data::String("Lot Tester".into())
    );
    // Nothing recorded: an empty cell.
    assert_eq!(cell(&s, 1, "serum_lot"), &Data::Empty);

    let c = sheet(&file, "Clients");
    assert_eq!(cell(&c, 1, "phone"), &Data::String("0612345678".into()));
    assert_eq!(
        cell(&c, 1, "date_of_birth").as_date(),
        Some(date(1990, 4, 2))
    );
    assert!(cell(&c, 1, "created_at_utc").is_datetime());
    assert_eq!(cell(&c, 1, "archived_at_utc"), &Data::Empty);
    let series = sheet(&file, "Series");
    assert_eq!(
        cell(&series, 1, "concern"),
        &Data::String("acne_scars".into())
    );
    assert_eq!(
        cell(&series, 1, "started_on").as_date(),
        Some(date(2026, 10, 1))
    );
    assert_eq!(cell(&series, 1, "planned_sessions"), &Data::Float(3.0));
}

#[test]
fn awkward_text_is_kept_as_typed() {
    let env = Sandbox::new();
    add_unusual_clients(&mut env.store());
    let file = export(&env, "awkward.xlsx", &[]);
    let s = sheet(&file, "Sessions");
    assert_eq!(rows(&s), csv_rows(&env, &[]));
    let first = (1..=rows(&s))
        .find(|&r| cell(&s, r, "client_name") == &Data::String(AWKWARD_NAME.into()))
        .expect("the awkward client");
    assert_eq!(
        cell(&s, first, "notes"),
        &Data::String(AWKWARD_NOTES.into())
    );
    // A typed cell is never a formula, so nothing needs an apostrophe.
    assert_eq!(
        cell(&s, first, "device"),
        &Data::String("=cmd|' /C calc'!A0".into())
    );
    assert_eq!(cell(&s, first, "redness_days"), &Data::Float(2.5));
    let c = sheet(&file, "Clients");
    assert!(
        (1..=rows(&c)).any(|r| cell(&c, r, "archived_at_utc").is_datetime()),
        "the archived client is there, with the time"
    );
}

#[test]
fn scope_options_apply_as_for_the_csv() {
    let env = Sandbox::with_demo(12);
    let trees = env.store().all_trees().unwrap();
    let (client, series) = support::with_sessions(&trees, 3);
    let client_uuid = client.client.uuid.to_string();
    let series_uuid = series.series.uuid.to_string();
    let second = series.sessions[1].data.performed_at.date().to_string();
    for (name, scope) in [
        ("client.xlsx", vec!["--client", client_uuid.as_str()]),
        ("series.xlsx", vec!["--series", series_uuid.as_str()]),
        (
            "since.xlsx",
            vec!["--series", series_uuid.as_str(), "--since", second.as_str()],
        ),
        (
            "range.xlsx",
            vec!["--since", "2026-06-01", "--until", "2026-08-31"],
        ),
    ] {
        let file = export(&env, name, &scope);
        let s = sheet(&file, "Sessions");
        assert_eq!(rows(&s), csv_rows(&env, &scope), "{scope:?}");
        // Clients and series are those the sessions belong to (with dates)
        // or every one in scope (without).
        let store = env.store();
        let scoped = store
            .scoped_trees(&needlelog::export::Scope {
                client: scope.contains(&"--client").then_some(client.client.id),
                series: scope
                    .iter()
                    .position(|a| *a == "--series")
                    .map(|i| scope[i + 1].parse().unwrap()),
                since: scope
                    .iter()
                    .position(|a| *a == "--since")
                    .map(|i| scope[i + 1].parse().unwrap()),
                until: scope
                    .iter()
                    .position(|a| *a == "--until")
                    .map(|i| scope[i + 1].parse().unwrap()),
            })
            .unwrap();
        assert_eq!(rows(&sheet(&file, "Clients")), scoped.len(), "{scope:?}");
        let series_count: usize = scoped.iter().map(|c| c.series.len()).sum();
        assert_eq!(rows(&sheet(&file, "Series")), series_count, "{scope:?}");
    }
    // From the second session on, numbers stay 2, 3, … as in the CSV.
    let file = env.path("since.xlsx");
    let s = sheet(&file, "Sessions");
    assert_eq!(cell(&s, 1, "session_number"), &Data::Float(2.0));
}

/// The sheet's XML, straight from the file.
fn sheet_xml(path: &Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn the_header_is_frozen_filtered_and_the_columns_sized() {
    let env = Sandbox::with_demo(3);
    let file = export(&env, "layout.xlsx", &[]);
    let sessions = rows(&sheet(&file, "Sessions"));
    for n in 1..=3 {
        let xml = sheet_xml(&file, n);
        assert!(xml.contains(r#"ySplit="1""#), "sheet {n}: frozen header");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet {n}: filter");
        assert!(xml.contains("<col "), "sheet {n}: column widths");
    }
    let last = columns().len();
    let letters = |mut n: usize| {
        let mut s = String::new();
        while n > 0 {
            s.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
            n = (n - 1) / 26;
        }
        s
    };
    assert!(
        sheet_xml(&file, 1).contains(&format!(
            "<autoFilter ref=\"A1:{}{}\"/>",
            letters(last),
            sessions + 1
        )),
        "the filter covers every row and column"
    );
}

#[test]
fn the_file_is_private_and_nothing_is_left_beside_it() {
    let env = Sandbox::with_demo(3);
    let file = export(&env, "private.xlsx", &[]);
    assert_eq!(support::mode(&file) & 0o777, 0o600);
    assert_eq!(
        support::names_in(&env.work()),
        ["data", "private.xlsx"],
        "no temporary file left"
    );
}

#[test]
fn without_a_file_it_is_refused_in_one_line() {
    let env = Sandbox::with_demo(2);
    let db = env.db();
    let db = db.to_str().unwrap();
    for extra in [&[][..], &["-o", "-"][..]] {
        let mut args = vec!["export", "--db", db, "--format", "xlsx"];
        args.extend_from_slice(extra);
        let e = one_line_error(&env.run(&args));
        assert!(e.contains("-o FILE.xlsx"), "{e}");
    }
}
