//! The CSV export read back by the csv crate's reader, and the command
//! line's scope options and errors, which every format shares.

mod support;

use needlelog::export::csv::{BOM, columns};
use needlelog::export::{Format, Scope};
use std::collections::HashMap;
use support::cli::{Sandbox, one_line_error, stderr};
use support::export::*;
use support::{TODAY, date, mode, names_in, set_mode, today};

/// Header and rows as maps from column name to cell.
fn read(bytes: &[u8]) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), header.len());
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The header as released: a public format, which only ever grows at the
/// end (spreadsheets built on an older export keep working).
const RELEASED: [&str; 42] = [
    "client_name",
    "client_uuid",
    "series_uuid",
    "concern",
    "series_zones",
    "outcome_scale",
    "baseline_score",
    "session_uuid",
    "session_number",
    "planned_sessions",
    "date",
    "time",
    "zones",
    "device",
    "cartridge",
    "depth_mm",
    "zone_depths",
    "passes",
    "serum",
    "numbing",
    "numbing_minutes",
    "duration_minutes",
    "endpoint",
    "cartridge_lot",
    "serum_lot",
    "erythema",
    "edema",
    "pain",
    "outcome_score",
    "improvement_points",
    "improvement_pct",
    "gais_clinician",
    "gais_client",
    "satisfaction",
    "followup_on",
    "redness_days",
    "swelling_days",
    "peeling_days",
    "adverse_events",
    "followup_notes",
    "acknowledged_warnings",
    "notes",
];

#[test]
fn the_header_keeps_the_released_columns_in_order() {
    let header = columns();
    assert!(
        header.len() >= RELEASED.len() && header[..RELEASED.len()] == RELEASED,
        "the CSV header must start with the released columns, in order; new columns go at the end\n{header:?}"
    );
}

#[test]
fn one_row_per_session_with_a_stable_header() {
    let env = Sandbox::with_demo(12);
    let store = env.store();
    let sessions = store.counts().unwrap().sessions as usize;
    let trees = store.all_trees().unwrap();
    drop(store);

    let bytes = env.export(&["--format", "csv"]);
    assert!(!bytes.starts_with(BOM), "no BOM unless --excel");
    let text = std::str::from_utf8(&bytes).expect("UTF-8");
    // RFC 4180: every record ends in CRLF, the last one too.
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.split("\r\n").next().unwrap(), columns().join(","));
    let (header, rows) = read(&bytes);
    assert_eq!(header, columns());
    assert_eq!(rows.len(), sessions);

    // Every session appears once, with its client, series and number.
    let mut expected = HashMap::new();
    for t in &trees {
        for s in &t.series {
            for (i, x) in s.sessions.iter().enumerate() {
                expected.insert(x.uuid.to_string(), (t, s, i + 1, x));
            }
        }
    }
    for row in &rows {
        let (t, s, number, x) = expected
            .remove(&row["session_uuid"])
            .expect("a known session, once");
        assert_eq!(row["client_name"], t.client.data.name);
        assert_eq!(row["client_uuid"], t.client.uuid.to_string());
        assert_eq!(row["series_uuid"], s.series.uuid.to_string());
        assert_eq!(row["concern"], s.series.data.concern.code());
        assert_eq!(row["session_number"], number.to_string());
        assert_eq!(
            row["planned_sessions"],
            s.series.data.planned_sessions.to_string()
        );
        assert_eq!(
            format!("{} {}", row["date"], row["time"]),
            x.data.performed_at.format("%Y-%m-%d %H:%M").to_string()
        );
        let opt = |v: Option<String>| v.unwrap_or_default();
        assert_eq!(row["depth_mm"], opt(x.data.depth_mm.map(|d| d.to_string())));
        assert_eq!(
            row["outcome_score"],
            opt(x.data.outcome_score.map(|d| d.to_string()))
        );
        assert_eq!(
            row["redness_days"],
            opt(x.data.followup.redness_days.map(|d| d.to_string()))
        );
        assert_eq!(row["notes"], x.data.notes);
        if let (Some(b), Some(sc)) = (s.series.data.baseline_score, x.data.outcome_score) {
            assert_eq!(
                row["improvement_points"],
                (i16::from(b) - i16::from(sc)).to_string()
            );
        }
    }
    assert!(expected.is_empty(), "sessions missing from the CSV");
}

#[test]
fn awkward_text_survives_and_formulas_are_neutralised() {
    let env = Sandbox::new();
    let mut store = env.store();
    let client = add_awkward_client(&mut store);
    drop(store);
    let bytes = env.export(&["--format", "csv", "--client", &client.uuid.to_string()]);
    let (_, rows) = read(&bytes);
    assert_eq!(rows.len(), 2);
    let first = [
        // Commas, quotes, line breaks and non-Latin letters read back exactly.
        ("client_name", AWKWARD_NAME),
        ("notes", AWKWARD_NOTES),
        ("followup_notes", "called, all fine\nsecond line"),
        ("zone_depths", "chin 0.75"),
        ("series_zones", "cheeks; chin"),
        // Cells a spreadsheet would run get an apostrophe in front.
        ("device", "'=cmd|' /C calc'!A0"),
        ("cartridge", "'@36-pin"),
        ("serum", "'+hyaluronic, \"pure\""),
        ("endpoint", "'-pinpoint bleeding"),
        ("adverse_events", "other: itchy, \"rash\" =1+1"),
        // Numbers stay numbers, a negative one too.
        ("improvement_points", "0"),
    ];
    let second = [
        ("notes", "'\tstarts with a tab"),
        ("improvement_points", "1"),
        // Goodman & Baron 3 → 2: 1 point of the 2 down to the minimum, 1.
        ("improvement_pct", "50.0"),
        ("redness_days", "8"),
    ];
    for (row, cells) in rows.iter().zip([&first[..], &second[..]]) {
        for (column, want) in cells {
            assert_eq!(row[*column], *want, "{}: {column}", row["session_number"]);
        }
    }
    // No cell of the file starts a formula.
    for row in &rows {
        for (col, cell) in row {
            let first = cell.chars().next();
            let formula = matches!(first, Some('=' | '+' | '@' | '\t' | '\r'))
                || (first == Some('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "{col} = {cell:?}");
        }
    }
}

#[test]
fn excel_gets_a_byte_order_mark_and_the_same_records() {
    let env = Sandbox::new();
    let mut store = env.store();
    add_awkward_client(&mut store);
    drop(store);
    let plain = env.export(&["--format", "csv"]);
    let excel = env.export(&["--format", "csv", "--excel"]);
    assert_eq!(&excel[..3], BOM);
    assert_eq!(&excel[3..], &plain[..]);
}

#[test]
fn scope_by_client_series_and_dates() {
    let env = Sandbox::with_demo(15);
    let trees = env.store().all_trees().unwrap();
    let (client, series) = support::with_sessions(&trees, 3);
    // The rows of the CSV export of what `scope` selects.
    let rows_of = |scope: &[&str]| {
        let mut args = vec!["--format", "csv"];
        args.extend_from_slice(scope);
        read(&env.export(&args)).1
    };

    let by_client = rows_of(&["--client", &client.client.uuid.to_string()]);
    let want: usize = client.series.iter().map(|s| s.sessions.len()).sum();
    assert_eq!(by_client.len(), want);
    assert!(
        by_client
            .iter()
            .all(|r| r["client_uuid"] == client.client.uuid.to_string())
    );

    let by_series = rows_of(&["--series", &series.series.uuid.to_string()]);
    assert_eq!(by_series.len(), series.sessions.len());

    // From the second session of the series on: its numbers stay 2, 3, …
    let second = series.sessions[1].data.performed_at.date().to_string();
    let last = series
        .sessions
        .last()
        .unwrap()
        .data
        .performed_at
        .date()
        .to_string();
    let ranged = rows_of(&[
        "--series",
        &series.series.uuid.to_string(),
        "--since",
        &second,
        "--until",
        &last,
    ]);
    let numbers: Vec<String> = ranged.iter().map(|r| r["session_number"].clone()).collect();
    let want: Vec<String> = (2..=series.sessions.len()).map(|n| n.to_string()).collect();
    assert_eq!(numbers, want);

    // A date range over everything keeps only sessions inside it.
    let all = rows_of(&["--since", "2026-06-01", "--until", "2026-08-31"]);
    let in_range = trees
        .iter()
        .flat_map(|t| &t.series)
        .flat_map(|s| &s.sessions)
        .filter(|x| {
            let d = x.data.performed_at.date();
            d >= date(2026, 6, 1) && d <= date(2026, 8, 31)
        })
        .count();
    assert_eq!(all.len(), in_range);
    assert!(
        all.iter()
            .all(|r| r["date"].as_str() >= "2026-06-01" && r["date"].as_str() <= "2026-08-31")
    );
}

#[test]
fn library_scope_drops_what_is_outside_the_range() {
    let env = Sandbox::with_demo(10);
    let store = env.store();
    let everything = store.scoped_trees(&Scope::everything()).unwrap();
    assert_eq!(everything.len(), 10);
    let narrow = Scope {
        since: Some(date(2026, 11, 1)),
        until: Some(date(2026, 11, 21)),
        ..Scope::default()
    };
    let scoped = store.scoped_trees(&narrow).unwrap();
    assert!(scoped.len() < everything.len());
    for c in &scoped {
        assert!(!c.series.is_empty());
        for s in &c.series {
            assert!(!s.sessions.is_empty());
            for (i, x) in s.sessions.iter().enumerate() {
                assert!(narrow.contains(x.data.performed_at.date()));
                let whole = store.sessions_of(s.series.id).unwrap();
                assert_eq!(whole[s.number(i) as usize - 1].uuid, x.uuid);
                assert_eq!(s.total_sessions as usize, whole.len());
            }
        }
    }
}

#[test]
fn written_files_are_private_and_whole() {
    let env = Sandbox::with_demo(3);
    let mut store = env.store();
    add_awkward_client(&mut store);
    let dest = env.path("out.csv");
    let summary =
        needlelog::export::write_export(&store, Format::Csv, &Scope::everything(), &dest, today())
            .unwrap();
    assert_eq!(summary.path.as_deref(), Some(dest.as_path()));
    #[cfg(unix)]
    assert_eq!(mode(&dest), 0o600);
    let (_, rows) = read(&std::fs::read(&dest).unwrap());
    assert_eq!(rows.len(), summary.sessions);
    // No temporary file is left beside it.
    let names: Vec<_> = names_in(&env.work())
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    drop(store);

    // The command line writes every format the same way.
    for f in ["csv", "json", "md", "html", "ics"] {
        let name = format!("out-cli.{f}");
        let db = env.db();
        let out = env.run([
            "export",
            "--db",
            db.to_str().unwrap(),
            "--today",
            TODAY,
            "--format",
            f,
            "-o",
            &name,
        ]);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        assert!(
            stderr(&out).starts_with(&format!("wrote {name}: ")),
            "{}",
            stderr(&out)
        );
        #[cfg(unix)]
        assert_eq!(mode(&env.path(&name)), 0o600, "{f}");
    }
}

#[test]
fn command_line_errors_are_one_clear_line() {
    let env = Sandbox::with_demo(3);
    let mut store = env.store();
    store
        .create_client(&needlelog::domain::ClientDraft::named("Ana Souza"), None)
        .unwrap();
    store
        .create_client(&needlelog::domain::ClientDraft::named("Ana Lima"), None)
        .unwrap();
    let other_series = store
        .all_trees()
        .unwrap()
        .iter()
        .find_map(|t| t.series.first().map(|s| s.series.uuid.to_string()))
        .unwrap();
    drop(store);
    let db = env.db();
    let db = db.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["export", "--db", db, "--format", "csv"];
        args.extend_from_slice(extra);
        one_line_error(&env.run(&args))
    };
    let e = run(&["--client", "Nobody Here"]);
    assert!(e.contains("client not found: Nobody Here"), "{e}");
    let e = run(&["--client", "Ana"]);
    assert!(
        e.contains("Ana Lima") && e.contains("Ana Souza") && e.contains("UUID"),
        "{e}"
    );
    let e = run(&["--since", "2026-13-01"]);
    assert!(e.contains("--since") && e.contains("2026-13-01"), "{e}");
    let e = run(&["--until", "yesterday"]);
    assert!(e.contains("--until") && e.contains("YYYY-MM-DD"), "{e}");
    let e = run(&["--since", "2026-05-01", "--until", "2026-04-01"]);
    assert!(e.contains("after"), "{e}");
    let e = run(&["--series", "not-a-uuid"]);
    assert!(e.contains("--series"), "{e}");
    let e = run(&["--series", "01900000-0000-7000-8000-000000000000"]);
    assert!(e.contains("series not found"), "{e}");
    let e = run(&["--client", "Ana Souza", "--series", &other_series]);
    assert!(e.contains("does not belong to Ana Souza"), "{e}");
    let e = run(&["-o", "no/such/folder/out.csv"]);
    assert!(
        e.contains("no/such/folder/out.csv") && e.contains("does not exist"),
        "{e}"
    );
    let e = one_line_error(&env.run(["export", "--db", db, "--format", "json", "--excel"]));
    assert!(e.contains("--excel"), "{e}");
    assert!(!env.path("no").exists());
}

/// Root may write anywhere: as root (CI) the export runs as `nobody`
/// through `setpriv`, so that the folder's permissions bind.
#[cfg(target_os = "linux")]
#[test]
fn unwritable_folder_is_one_line_and_leaves_nothing() {
    let env = Sandbox::with_demo(2);
    // Readable by another user; the folder `locked` writable by nobody.
    env.share();
    set_mode(env.db().parent().unwrap(), 0o755);
    set_mode(&env.db(), 0o644);
    let locked = env.path("locked");
    std::fs::create_dir(&locked).unwrap();
    set_mode(&locked, 0o555);
    let db = env.db();
    let out = env.run_as_other_user(&[
        "export",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        "locked/out.csv",
    ]);
    let e = one_line_error(&out);
    assert!(e.contains("locked/out.csv"), "{e}");
    assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 0);
}

/// The pre-treatment check and the antiviral are the last columns: `none`
/// for a check that found nothing, the codes of the states present, empty
/// when not confirmed.
#[test]
fn the_check_and_the_antiviral_are_the_last_columns() {
    use needlelog::domain::{
        ClientDraft, Concern, CurrentState, PreCheck, Rules, SeriesDraft, SessionDraft,
    };
    let header = columns();
    assert_eq!(
        header[header.len() - 4..],
        [
            "series_close_note",
            "pre_check",
            "antiviral",
            "antiviral_from"
        ]
    );
    let env = Sandbox::new();
    let mut store = env.store();
    let c = store
        .create_client(
            &ClientDraft::named("Cy Csv"),
            Some(&SeriesDraft::new(
                Concern::AcneScars,
                support::date(2026, 9, 1),
            )),
        )
        .unwrap();
    let series = store.series_of(c.id).unwrap()[0].id;
    let rules = Rules::default();
    let states = [
        vec![],
        vec![CurrentState::RecentProcedure, CurrentState::SunburnOrTan],
    ];
    for (i, present) in states.into_iter().enumerate() {
        let mut s = SessionDraft::at(support::at(&format!("2026-09-0{} 10:00", i + 2)));
        s.pre_check = Some(PreCheck::new(present, &rules));
        if i == 1 {
            s.antiviral = "valaciclovir 500 mg".into();
            s.antiviral_from = Some(support::date(2026, 9, 2));
        }
        store.create_session(series, &s).unwrap();
    }
    store
        .create_session(series, &SessionDraft::at(support::at("2026-10-01 10:00")))
        .unwrap();
    drop(store);
    let (_, rows) = read(&env.export(&["--format", "csv"]));
    let cells: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["pre_check"].as_str(),
                r["antiviral"].as_str(),
                r["antiviral_from"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("none", "", ""),
            (
                "sunburn_or_tan; recent_procedure",
                "valaciclovir 500 mg",
                "2026-09-02"
            ),
            ("", "", ""),
        ]
    );
}
