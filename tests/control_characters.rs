//! Control characters: refused in every text field when typed or imported,
//! and shown (not written raw) when a record saved before that holds one
//! is exported.

mod support;

use support::cli::Sandbox;

/// A NUL, an escape sequence and a DEL, put into the database behind the
/// program's back, as an older version could have saved them.
const OLD: &str = "old\u{0}note \u{1b}[2J\u{7f}";

#[test]
fn old_records_with_control_characters_still_export() {
    let env = Sandbox::with_demo(2);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE clients SET notes = ?1 WHERE id = (SELECT MIN(id) FROM clients)",
        [OLD],
    )
    .unwrap();
    conn.execute(
        "UPDATE sessions SET notes = ?1, device = ?1 WHERE id = (SELECT MIN(id) FROM sessions)",
        [OLD],
    )
    .unwrap();
    drop(conn);
    for format in ["csv", "markdown", "html"] {
        let out = env.export(&["--format", format]);
        for raw in [0u8, 0x1b, 0x7f] {
            assert!(!out.contains(&raw), "{format}: byte {raw:#04x} written raw");
        }
        let text = String::from_utf8(out).unwrap();
        if format != "html" {
            assert!(text.contains("old\u{2400}note"), "{format}: NUL not shown");
        }
    }
    // The JSON backup carries the text exactly (escaped as \u0000) …
    let json = env.export(&["--format", "json"]);
    assert!(!json.contains(&0u8));
    assert!(String::from_utf8_lossy(&json).contains("old\\u0000note"));
    // … and import refuses it with the path, leaving the copy unmade.
    let file = env.path("old.json");
    std::fs::write(&file, &json).unwrap();
    let copy = env.path("copy.db");
    let e =
        support::cli::one_line_error(&env.run_dated("import", &copy, &[file.to_str().unwrap()]));
    assert!(e.contains("control character U+0000"), "{e}");
    assert!(!copy.exists());
}

#[test]
fn typed_text_with_control_characters_is_refused_on_its_field() {
    use needlelog::domain::{ClientDraft, SeriesDraft, SessionDraft, ValidationError};
    let fields = |r: Result<(), Vec<ValidationError>>| -> Vec<String> {
        r.unwrap_err().iter().map(ToString::to_string).collect()
    };
    let mut c = ClientDraft::named("Ana Lima");
    c.allergies = "latex\u{0}".into();
    c.notes = "two\nlines\tand a tab".into();
    let e = fields(c.validate(support::today()).map(|_| ()));
    assert_eq!(
        e,
        [
            "allergies: control character U+0000 is not allowed (only line breaks and tabs are allowed)"
        ]
    );
    let mut s = SeriesDraft::new(needlelog::domain::Concern::AcneScars, support::today());
    s.notes = "\u{1b}[31m".into();
    assert!(fields(s.validate().map(|_| ()))[0].starts_with("notes: control character U+001B"));
    let mut x = SessionDraft::at(support::at("2026-11-20 10:00"));
    x.cartridge_lot = "LOT\t7".into();
    x.notes = "ok\r\nfine".into();
    let e = fields(
        x.validate(
            needlelog::domain::OutcomeScale::ALL[0],
            support::at("2026-11-21 10:00"),
        )
        .map(|_| ()),
    );
    assert_eq!(
        e,
        [
            "cartridge lot: control character U+0009 is not allowed (one line without control characters)"
        ]
    );
}
