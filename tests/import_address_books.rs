//! `needlelog import --clients FILE` with client lists from where they
//! really live: Google Contacts and Outlook CSV exports, and vCard files
//! from Apple Contacts and Android phones (tests/fixtures/address_books/).

mod support;

use std::path::{Path, PathBuf};
use support::cli::{Sandbox, one_line_error};
use support::date;
use support::export::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/address_books")
        .join(name)
}

fn import_ok(env: &Sandbox, file: &Path, extra: &[&str]) -> String {
    let mut args = vec!["--clients", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    String::from_utf8(env.run_dated_ok("import", &env.db(), &args)).unwrap()
}

fn import_err(env: &Sandbox, file: &Path, extra: &[&str]) -> String {
    let mut args = vec!["--clients", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    one_line_error(&env.run_dated("import", &env.db(), &args))
}

fn write(env: &Sandbox, name: &str, text: &str) -> PathBuf {
    let p = env.path(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn client(env: &Sandbox, name: &str) -> needlelog::domain::ClientDraft {
    open(&env.db()).find_client(name).unwrap().data
}

#[test]
fn a_google_contacts_export() {
    let env = Sandbox::new();
    let line = import_ok(&env, &fixture("google.csv"), &[]);
    assert!(
        line.contains("(Google Contacts): 3 clients added"),
        "{line}"
    );
    assert!(
        line.contains("1 birthday without a year left empty (line 4 Bea Ortiz (--06-21))"),
        "{line}"
    );
    let ana = client(&env, "Ana Lima");
    assert_eq!(ana.email, "ana.lima@example.org");
    assert_eq!(ana.phone, "+44 7700 900123");
    assert_eq!(ana.date_of_birth, Some(date(1988, 3, 14)));
    assert_eq!(ana.notes, "Prefers mornings");
    let bea = client(&env, "Bea Ortiz");
    assert_eq!(bea.date_of_birth, None);
    assert_eq!(bea.phone, "020 7946 0001", "Phone 1 comes first");
    assert_eq!(bea.email, "bea@work.example", "E-mail 1 is empty");
    // The line Bea's row starts on: Ana's address spans two lines.
    // No "Name": given, additional and family names joined.
    assert_eq!(client(&env, "Cai Wen Zhou").phone, "");

    // The same export again adds nobody.
    let line = import_ok(&env, &fixture("google.csv"), &[]);
    assert!(line.contains("0 clients added, 3 already here"), "{line}");

    let line = import_ok(&env, &fixture("google_2024.csv"), &[]);
    assert!(line.contains("(Google Contacts): 1 client added"), "{line}");
    let dana = client(&env, "Dana Petrov");
    assert_eq!(dana.email, "dana@example.org");
    assert_eq!(dana.phone, "+49 151 2345678");
    assert!(line.contains("line 2 Dana Petrov (--0621)"), "{line}");
}

#[test]
fn an_outlook_export() {
    let env = Sandbox::new();
    let line = import_ok(&env, &fixture("outlook.csv"), &[]);
    assert!(
        line.contains("(Outlook contacts): 3 clients added"),
        "{line}"
    );
    let eve = client(&env, "Eve Marie Dubois");
    // 21/6/1985 makes the file day-first, so 3/4/1979 is 3 April.
    assert_eq!(eve.date_of_birth, Some(date(1985, 6, 21)));
    assert_eq!(eve.phone, "06 12 34 56 78", "the mobile before home");
    assert_eq!(eve.email, "eve@example.fr");
    assert_eq!(
        eve.notes, "Sensitive skin\r\nno retinoids",
        "kept as written"
    );
    let finn = client(&env, "Finn Berg");
    assert_eq!(finn.date_of_birth, Some(date(1979, 4, 3)));
    assert_eq!(finn.phone, "+46 8 123 456");
    assert_eq!(finn.email, "finn@example.se");
    // Outlook's 0/0/00 is no birthday.
    assert_eq!(client(&env, "Gus Ng").date_of_birth, None);
}

#[test]
fn outlook_dates_that_could_be_either_order_are_refused() {
    let env = Sandbox::new();
    let text =
        "First Name,Last Name,Mobile Phone,Birthday\r\nIda,Moe,1,3/4/1979\r\nJo,Moe,2,5/6/1980\r\n";
    let file = write(&env, "ambiguous.csv", text);
    let e = import_err(&env, &file, &[]);
    assert!(
        e.contains("line 2 (Ida Moe): Birthday: '3/4/1979' could be day/month or month/day"),
        "{e}"
    );
    assert!(e.contains("line 3 (Jo Moe)"), "{e}");
    assert!(e.ends_with("nothing was imported"), "{e}");
    assert!(!env.db().exists());
    let us = "First Name,Last Name,Mobile Phone,Birthday\r\nIda,Moe,1,3/4/1979\r\nJo,Moe,2,6/21/1980\r\n";
    import_ok(&env, &write(&env, "us.csv", us), &[]);
    assert_eq!(
        client(&env, "Ida Moe").date_of_birth,
        Some(date(1979, 3, 4))
    );
}

#[test]
fn an_apple_contacts_vcard() {
    let env = Sandbox::new();
    let line = import_ok(&env, &fixture("apple.vcf"), &[]);
    assert!(line.contains("(vCard): 2 clients added"), "{line}");
    assert!(
        line.contains("birthday without a year left empty (card 1 (line 1) Hana Haddad (--11-03))"),
        "{line}"
    );
    let hana = client(&env, "Hana Haddad");
    assert_eq!(hana.phone, "+1 (555) 010-2233");
    assert_eq!(hana.email, "hana.haddad@example.com");
    assert_eq!(
        hana.notes,
        "Referred by Ana Lima, first visit in spring.\nAsked about downtime; wants the \
         gentlest plan that still treats the acne scars on both cheeks."
    );
    assert_eq!(hana.date_of_birth, None);
    assert_eq!(
        client(&env, "Ren Ito").date_of_birth,
        Some(date(1992, 7, 9))
    );
}

#[test]
fn an_android_vcard_found_by_its_content() {
    let env = Sandbox::new();
    // Saved without the .vcf extension: recognised by BEGIN:VCARD.
    let bytes = std::fs::read(fixture("android.vcf")).unwrap();
    let file = env.path("contacts.txt");
    std::fs::write(&file, bytes).unwrap();
    let line = import_ok(&env, &file, &[]);
    assert!(line.contains("(vCard): 2 clients added"), "{line}");
    let ayse = client(&env, "Ayşe Öztürk");
    assert_eq!(ayse.phone, "+90 532 123 45 67");
    assert_eq!(ayse.email, "ayse@example.com.tr");
    assert_eq!(ayse.notes, "Alerjisi yok.\nKontrol: çok iyi");
    assert_eq!(ayse.date_of_birth, Some(date(1990, 1, 15)));
    let jon = client(&env, "Jon Snow-Ríos");
    assert_eq!(jon.phone, "+34-600-123-456");
    assert!(
        line.contains("card 2 (line 13) Jon Snow-Ríos (--0214)"),
        "{line}"
    );
}

#[test]
fn a_bad_card_is_named_and_changes_nothing() {
    let env = Sandbox::with_demo(2);
    let before = state(&env.db());
    let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Kim\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Lee\nEMAIL:nope\nBDAY:1990-02-30\nEND:VCARD\n";
    let e = import_err(&env, &write(&env, "bad.vcf", text), &[]);
    assert!(
        e.contains("card 2 (line 5) (Lee): BDAY: '1990-02-30'"),
        "{e}"
    );
    assert!(e.contains("e-mail"), "{e}");
    assert_eq!(state(&env.db()), before);
}

#[test]
fn unknown_columns_are_listed_in_one_message_or_skipped() {
    let env = Sandbox::with_demo(2);
    let before = state(&env.db());
    let text = "Name,Shoe Size,E-mail 1 - Value,Organization 1 - Name,Favourite Colour\nMia Roy,38,mia@example.org,Roy AG,teal\n";
    let file = write(&env, "odd.csv", text);
    let e = import_err(&env, &file, &[]);
    assert!(
        e.contains(
            "line 1: unknown columns 'Shoe Size' (column 2), 'Favourite Colour' (column 5); known columns: name,"
        ),
        "{e}"
    );
    assert!(e.contains("--skip-unknown"), "{e}");
    assert!(
        !e.contains("Organization"),
        "known to Google, not unknown: {e}"
    );
    assert_eq!(state(&env.db()), before);

    let line = import_ok(&env, &file, &["--skip-unknown"]);
    assert!(line.contains("1 client added"), "{line}");
    assert!(
        line.ends_with("unknown columns left out: 'Shoe Size', 'Favourite Colour'\n"),
        "{line}"
    );
    assert_eq!(client(&env, "Mia Roy").email, "mia@example.org");

    let vcf = "BEGIN:VCARD\nVERSION:3.0\nFN:Noa Ben\nSHOE-SIZE:38\nEND:VCARD\n";
    let file = write(&env, "odd.vcf", vcf);
    let e = import_err(&env, &file, &[]);
    assert!(
        e.contains("unknown property 'SHOE-SIZE' (first in card 1 (line 1))"),
        "{e}"
    );
    let line = import_ok(&env, &file, &["--skip-unknown"]);
    assert!(
        line.contains("unknown properties left out: 'SHOE-SIZE'"),
        "{line}"
    );
}

#[test]
fn an_excel_sheets_trailing_empty_column_is_ignored() {
    let env = Sandbox::new();
    let file = write(
        &env,
        "excel.csv",
        "\u{feff}name;phone;\r\nOla Nor;123;\r\nPer Nor;456;\r\n",
    );
    let line = import_ok(&env, &file, &[]);
    assert!(line.contains("2 clients added"), "{line}");
    assert!(!line.contains("left out"), "{line}");
    // A value under an empty header would be lost: refused.
    let file = write(&env, "lost.csv", "name,phone,\nQi Nor,789,oops\n");
    let e = import_err(&env, &file, &[]);
    assert!(
        e.contains("line 2: column 3 has no header but holds a value"),
        "{e}"
    );
}

#[test]
fn skip_unknown_needs_a_client_list() {
    let env = Sandbox::new();
    let out = env.run([
        "import",
        "--db",
        env.db().to_str().unwrap(),
        "x.json",
        "--skip-unknown",
    ]);
    assert!(!out.status.success());
    let e = support::cli::stderr(&out);
    assert!(e.contains("--clients"), "{e}");
}
