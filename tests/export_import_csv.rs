//! `needlelog import --clients FILE.csv`: a client list from a spreadsheet,
//! all or nothing, problems reported with their line numbers.

mod support;

use needlelog::domain::{Concern, Fitzpatrick, Glogau};
use std::path::Path;
use support::cli::{Sandbox, one_line_error, stderr};
use support::date;
use support::export::*;

fn import(env: &Sandbox, file: &Path) -> std::process::Output {
    env.run_dated("import", &env.db(), &["--clients", file.to_str().unwrap()])
}

/// [`import`], which must succeed; returns its line.
fn import_ok(env: &Sandbox, file: &Path) -> String {
    let out = env.run_dated_ok("import", &env.db(), &["--clients", file.to_str().unwrap()]);
    String::from_utf8(out).unwrap()
}

fn write(env: &Sandbox, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = env.path(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const GOOD: &str = "\u{feff}Name,Date of birth,E-mail,Phone,Fitzpatrick,Glogau,Concerns,Allergies,Consent,Notes\r\n\
\"O'Brien, \"\"Jo\"\"\",1980-02-29,jo@example.org,+44 20 7946 0000,III,2,\"acne scars; Texture & tone\",latex,2026-01-05,\"first line\nsecond, line\"\r\n\
李小龍,,,,,,,,,\r\n\
,,,,,,,,,\r\n\
Юлия Иванова,1990-12-31,,=1+1,VI,,,,,\r\n";

#[test]
fn a_good_list_is_added_once() {
    let env = Sandbox::with_demo(2);
    let (_, before) = state(&env.db());
    let file = write(&env, "clients.csv", GOOD.as_bytes());
    let line = import_ok(&env, &file);
    assert!(
        line.starts_with("imported ") && line.contains("3 clients added"),
        "{line}"
    );

    let store = open(&env.db());
    let jo = store.find_client("O'Brien, \"Jo\"").unwrap();
    assert_eq!(jo.data.date_of_birth, Some(date(1980, 2, 29)));
    assert_eq!(jo.data.email, "jo@example.org");
    assert_eq!(jo.data.fitzpatrick, Some(Fitzpatrick::III));
    assert_eq!(jo.data.glogau, Some(Glogau::II));
    assert_eq!(jo.data.concerns, [Concern::AcneScars, Concern::TextureTone]);
    assert_eq!(jo.data.consent_on, Some(date(2026, 1, 5)));
    assert_eq!(jo.data.notes, "first line\nsecond, line");
    let li = store.find_client("李小龍").unwrap();
    assert_eq!(li.data.date_of_birth, None);
    let yulia = store.find_client("Юлия Иванова").unwrap();
    // Imported as typed; the formula guard belongs to the CSV export.
    assert_eq!(yulia.data.phone, "=1+1");
    let trail = store.audit_for(&jo.uuid.to_string()).unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action.as_str(), "import");
    let after = store.counts().unwrap();
    assert_eq!(after.clients, before.clients + 3);
    assert_eq!(after.audit, before.audit + 3);
    drop(store);

    // The same list again adds nobody.
    let settled = state(&env.db());
    let line = import_ok(&env, &file);
    assert!(line.contains("0 clients added"), "{line}");
    assert!(line.contains("3 already here"), "{line}");
    assert!(line.contains("line 2 O'Brien, \"Jo\""), "{line}");
    assert_eq!(state(&env.db()), settled);
}

#[test]
fn semicolons_tabs_and_uuids() {
    let env = Sandbox::new();
    drop(env.store());
    let file = write(
        &env,
        "semi.csv",
        "name;uuid;fitzpatrick\nAna Souza;01900000-0000-7000-8000-0000000000cc;type iv\n"
            .as_bytes(),
    );
    import_ok(&env, &file);
    let store = open(&env.db());
    let ana = store
        .find_client("01900000-0000-7000-8000-0000000000cc")
        .unwrap();
    assert_eq!(ana.data.name, "Ana Souza");
    assert_eq!(ana.data.fitzpatrick, Some(Fitzpatrick::IV));
    drop(store);
    let tabbed = write(&env, "tab.csv", b"name\tphone\nBo\t123\n");
    import_ok(&env, &tabbed);
    assert_eq!(open(&env.db()).find_client("Bo").unwrap().data.phone, "123");
    let minors = write(
        &env,
        "minors.csv",
        "name,dob,Guardian consent,Parent\nKit Young,2012-04-01,2026-09-01,Sam Young (father)\n"
            .as_bytes(),
    );
    import_ok(&env, &minors);
    let kit = open(&env.db()).find_client("Kit Young").unwrap().data;
    assert_eq!(kit.guardian_consent_on, Some(date(2026, 9, 1)));
    assert_eq!(kit.guardian, "Sam Young (father)");
}

#[test]
fn a_bad_row_changes_nothing_and_names_its_line() {
    let env = Sandbox::with_demo(3);
    let before = state(&env.db());
    let db_bytes = std::fs::read(env.db()).unwrap();
    let cases: [(&str, &[u8], &[&str]); 9] = [
        (
            "bad-rows.csv",
            b"name,date_of_birth,email,fitzpatrick\nGood One,1990-01-01,,\n,1990-01-01,,\nBad Date,31/12/1990,,\nBad Mail,,nope,\nBad Skin,,,VII\n",
            &[
                "line 3: name is required",
                "line 4 (Bad Date): date_of_birth: '31/12/1990'",
                "line 5 (Bad Mail): e-mail",
                "line 6 (Bad Skin): fitzpatrick: 'VII'",
            ],
        ),
        (
            "future.csv",
            b"name,consent_on\nLater,2030-01-01\n",
            &["line 2 (Later): consent date: cannot be in the future"],
        ),
        (
            "ancient.csv",
            b"name,date_of_birth\nOld Timer,1900-01-01\n",
            &["line 2 (Old Timer): date of birth: gives an age over 110: check the year"],
        ),
        (
            "ragged.csv",
            b"name,phone\nA,1\nB\n",
            &["line 3: 1 fields, but the header has 2"],
        ),
        (
            "unknown.csv",
            b"name,shoe size\nA,38\n",
            &["line 1: unknown column 'shoe size'", "known columns: name"],
        ),
        ("noname.csv", b"phone\n123\n", &["no 'name' column"]),
        ("latin1.csv", b"name\nJos\xe9\n", &["line 2: not UTF-8"]),
        ("empty.csv", b"", &["the file is empty"]),
        (
            "concern.csv",
            b"name,concerns\nA,acne scars; freckles\n",
            &["line 2 (A): concerns: unknown 'freckles'"],
        ),
    ];
    for (name, bytes, wants) in cases {
        let file = write(&env, name, bytes);
        let e = one_line_error(&import(&env, &file));
        assert!(e.contains(name), "{e}");
        for want in wants {
            assert!(e.contains(want), "{name}: want {want:?} in {e}");
        }
        assert!(e.contains("nothing was imported"), "{e}");
        assert_eq!(
            std::fs::read(env.db()).unwrap(),
            db_bytes,
            "{name} touched the file"
        );
    }
    assert_eq!(state(&env.db()), before);
}

#[test]
fn many_problems_are_summed_up_in_one_line() {
    let env = Sandbox::new();
    drop(env.store());
    let mut text = String::from("name,email\n");
    for i in 0..9 {
        text.push_str(&format!("Client {i},bad{i}\n"));
    }
    let file = write(&env, "many.csv", text.as_bytes());
    let e = one_line_error(&import(&env, &file));
    assert!(
        e.contains("line 2 (Client 0)") && e.contains("line 6 (Client 4)"),
        "{e}"
    );
    assert!(e.contains("and 4 more"), "{e}");
    assert!(!e.contains("line 7"), "{e}");
}

#[test]
fn import_needs_exactly_one_file() {
    let env = Sandbox::new();
    let db = env.db();
    let db = db.to_str().unwrap();
    for args in [
        vec!["import", "--db", db],
        vec!["import", "--db", db, "a.json", "--clients", "b.csv"],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&out).to_lowercase().contains("panicked"));
    }
    assert!(!env.db().exists());
}
