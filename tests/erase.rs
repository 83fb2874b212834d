//! Erasure (right to be forgotten): the client's records, drafts and the
//! personal data in their audit history go, the bytes leave the database
//! file and its log, one tombstone stays, and undo cannot bring any of it
//! back.
#![cfg(unix)]

mod support;

use needlelog::db::{Clock, Store, StoreError};
use needlelog::domain::{ClientDraft, SessionDraft};
use rusqlite::Connection;
use serde_json::json;
use std::path::{Path, PathBuf};
use support::cli::{BIN, Sandbox};
use support::pty::Term;
use support::store::*;
use support::{at, insert_demo};

const NAME: &str = "Zenobia Quartermaine";
/// Distinctive texts of hers, each stored somewhere else: client notes,
/// email, a session's notes, a session note that was later edited away (so
/// its old copy sits in free space), a session that was undone, a draft.
const SECRETS: [&str; 7] = [
    NAME,
    "zenobia.q@example.org",
    "CLIENT-NOTE-PURPLE-OCTOPUS",
    "SESSION-NOTE-TANGERINE-4410",
    "OLD-NOTE-MAGENTA-1234",
    "UNDONE-NOTE-CERULEAN-9",
    "DRAFT-NOTE-SAFFRON-77",
];
const OTHER: &str = "Bea Lindqvist";
const OTHER_NOTE: &str = "BEA-NOTE-EMERALD-55";

/// The files SQLite keeps for the database: the file and its logs.
fn files_of(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-journal"]
        .iter()
        .map(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

/// The files (of the database's) whose raw bytes contain `needle`.
fn holding(db: &Path, needle: &str) -> Vec<String> {
    files_of(db)
        .into_iter()
        .filter(|p| {
            let bytes = std::fs::read(p).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(|p| p.display().to_string())
        .collect()
}

struct Fixture {
    sandbox: Sandbox,
    db: PathBuf,
    her: i64,
    her_uuid: String,
    bea: i64,
}

/// Her record with a history (edit, undone session, draft), and another
/// client who must come through untouched.
fn fixture() -> Fixture {
    let sandbox = Sandbox::new();
    let db = db_path(&sandbox.work());
    let mut store = open_at(&db);
    let bea = store
        .create_client(
            &ClientDraft {
                name: OTHER.into(),
                notes: OTHER_NOTE.into(),
                ..ClientDraft::default()
            },
            Some(&full_series()),
        )
        .unwrap();
    let her = store
        .create_client(
            &ClientDraft {
                name: NAME.into(),
                email: SECRETS[1].into(),
                notes: SECRETS[2].into(),
                ..full_client()
            },
            Some(&full_series()),
        )
        .unwrap();
    let series = store.series_of(her.id).unwrap().remove(0);
    let note = |text: &str| SessionDraft {
        notes: text.into(),
        ..full_session()
    };
    store.set_clock(Clock::Fixed(later(1)));
    store.create_session(series.id, &note(SECRETS[3])).unwrap();
    let edited = store.create_session(series.id, &note(SECRETS[4])).unwrap();
    store
        .update_session(edited.id, &note("edited later"))
        .unwrap();
    store.create_session(series.id, &note(SECRETS[5])).unwrap();
    store.undo_last().unwrap().expect("the session is undone");
    // Bea's newest change comes after hers, so undo meets it first.
    let bea_series = store.series_of(bea.id).unwrap().remove(0);
    store
        .create_session(bea_series.id, &SessionDraft::at(at("2026-11-20 09:00")))
        .unwrap();
    // The interface's own draft of a half-typed form for her.
    store
        .save_draft(
            "form",
            "",
            &json!({
                "target": {"form": "new_session", "client_id": her.id, "series_id": series.id},
                "title": format!("New session — {NAME}"),
                "focus": 3,
                "values": [["date", "2026-11-21 10:00"], ["notes", SECRETS[6]]],
            }),
        )
        .unwrap();
    store
        .save_draft(
            "session",
            &series.uuid.to_string(),
            &json!({"notes": "by series UUID"}),
        )
        .unwrap();
    store
        .save_draft("client", "", &json!({"name": NAME, "phone": "+44"}))
        .unwrap();
    store
        .save_draft("client", &bea.id.to_string(), &json!({"name": OTHER}))
        .unwrap();
    Fixture {
        sandbox,
        db,
        her: her.id,
        her_uuid: her.uuid.to_string(),
        bea: bea.id,
    }
}

fn named(name: &str) -> ClientDraft {
    ClientDraft {
        name: name.into(),
        ..ClientDraft::default()
    }
}

impl Fixture {
    /// `erase <args…>` on the fixture's database, with no terminal and
    /// nothing to read (assert_cmd closes its stdin).
    fn erase_cli(&self, args: &[&str]) -> std::process::Output {
        self.sandbox
            .cmd()
            .arg("erase")
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .output()
            .unwrap()
    }
}

#[test]
fn erased_data_leaves_the_file_and_the_log() {
    let f = fixture();
    for secret in SECRETS {
        assert!(
            !holding(&f.db, secret).is_empty(),
            "{secret:?} should be in the database files before the erasure"
        );
    }
    // Open in another connection too, as an idle interface would be.
    let idle = Store::open(&f.db).unwrap();
    let out = f.erase_cli(&["--client", NAME, "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with(&format!(
            "erased client {}: 1 series, 2 sessions",
            f.her_uuid
        )),
        "{said}"
    );
    assert!(
        !said.contains(NAME),
        "the output leaves the name out: {said}"
    );
    for secret in SECRETS {
        assert_eq!(
            holding(&f.db, secret),
            Vec::<String>::new(),
            "{secret:?} is still in the raw bytes after the erasure"
        );
    }
    // The other client is all there, readable by the connection that was
    // open during the erasure.
    let bea = idle.client(f.bea).unwrap();
    assert_eq!(bea.data.notes, OTHER_NOTE);
    assert_eq!(idle.series_of(f.bea).unwrap().len(), 1);
    assert!(matches!(
        idle.client(f.her),
        Err(StoreError::NotFound { .. })
    ));
    let c = idle.counts().unwrap();
    assert_eq!((c.clients, c.series, c.sessions), (1, 1, 1));
    let report = idle.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert!(!holding(&f.db, OTHER_NOTE).is_empty());
    // Her drafts are gone; Bea's stays.
    let drafts = idle.drafts().unwrap();
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    assert_eq!(drafts[0].payload, json!({"name": OTHER}));
}

#[test]
fn the_audit_log_keeps_a_tombstone_and_no_personal_data() {
    let f = fixture();
    let mut store = open_at(&f.db);
    let series_uuid = store.series_of(f.her).unwrap()[0].uuid.to_string();
    let audit_before = store.counts().unwrap().audit;
    store.set_clock(Clock::Fixed(later(30)));
    let erased = store.erase_client(f.her).unwrap();
    assert_eq!(erased.uuid, f.her_uuid);
    assert_eq!((erased.series, erased.sessions, erased.drafts), (1, 2, 3));
    assert_eq!(erased.residue, None);
    // Her rows: 1 client create, 1 series create, 3 session creates, 1 edit,
    // 1 undo; the same number stays, scrubbed, plus the tombstone.
    assert_eq!(erased.audit_rows, 7);
    assert_eq!(store.counts().unwrap().audit, audit_before + 1);

    let rows = store.audit_for(&f.her_uuid).unwrap();
    let (tomb, scrubbed) = rows.split_last().unwrap();
    assert_eq!(
        (
            tomb.entity.as_str(),
            tomb.action.as_str(),
            tomb.summary.as_str()
        ),
        ("client", "erase", "erased client record")
    );
    assert_eq!((tomb.before.as_ref(), tomb.after.as_ref()), (None, None));
    assert_eq!(tomb.at, "2026-11-21T15:34:05.123Z");
    assert!(!tomb.os_user.is_empty());
    assert_eq!(scrubbed.len(), 1);
    for row in scrubbed
        .iter()
        .chain(&store.audit_for(&series_uuid).unwrap())
    {
        assert_eq!(row.summary, "record erased", "{row:?}");
        assert_eq!((row.before.as_ref(), row.after.as_ref()), (None, None));
    }
    // Nothing in the whole log names her, in any column.
    drop(store);
    let raw = Connection::open(&f.db).unwrap();
    let mut stmt = raw
        .prepare("SELECT coalesce(summary, '') || coalesce(before, '') || coalesce(after, '') FROM audit")
        .unwrap();
    let texts: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for secret in SECRETS {
        assert!(
            texts.iter().all(|t| !t.contains(secret)),
            "{secret:?} is still in the audit log"
        );
    }
    assert!(texts.iter().any(|t| t.contains(OTHER_NOTE)));
}

#[test]
fn undo_never_brings_an_erased_client_back() {
    let f = fixture();
    let mut store = open_at(&f.db);
    store.erase_client(f.her).unwrap();
    let counts = store.counts().unwrap();
    // The erasure itself is skipped: the newest undoable change is Bea's
    // session, recorded after her changes.
    let undone = store.undo_last().unwrap().expect("Bea's session");
    assert!(undone.summary.contains(OTHER), "{undone:?}");
    // Her changes are skipped, not refused: they must not block undoing
    // older changes of other clients, and never bring her back.
    let mut undone_more = 0;
    while let Some(u) = store.undo_last().unwrap() {
        assert!(!u.summary.contains(NAME), "{u:?}");
        assert!(store.find_client(NAME).is_err());
        undone_more += 1;
        assert!(undone_more < 100, "undo must come to an end");
    }
    let after = store.counts().unwrap();
    assert!(after.sessions < counts.sessions, "{after:?}");
    assert!(store.find_client(NAME).is_err());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn undo_after_erasing_a_client_without_history_finds_nothing() {
    let (_dir, mut store) = temp_store();
    insert_demo(&mut store, 3, 2);
    let victim = store.clients(true).unwrap()[1].clone();
    let erased = store.erase_client(victim.id).unwrap();
    assert_eq!(erased.audit_rows, 0);
    assert_eq!(store.undo_last().unwrap(), None, "erasure is not undoable");
    assert!(store.client(victim.id).is_err());
    assert_eq!(store.clients(true).unwrap().len(), 2);
    assert!(store.check().unwrap().is_ok());
}

/// Integer ids of deleted rows are reused. The history of an earlier
/// client that held the same id is not hers and must be kept.
#[test]
fn a_reused_id_does_not_pull_in_someone_elses_history() {
    let (_dir, mut store) = temp_store();
    let first = store
        .create_client(&named("Earlier Person"), Some(&full_series()))
        .unwrap();
    let first_series = store.series_of(first.id).unwrap()[0].uuid.to_string();
    store.undo_last().unwrap().unwrap();
    let her = store
        .create_client(&named(NAME), Some(&full_series()))
        .unwrap();
    assert_eq!(her.id, first.id, "SQLite reuses the freed id");
    let erased = store.erase_client(her.id).unwrap();
    assert_eq!(erased.audit_rows, 2, "her client and series rows only");
    for uuid in [first.uuid.to_string(), first_series] {
        let rows = store.audit_for(&uuid).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(
            rows.iter().all(|r| r.summary != "record erased"),
            "{rows:?}"
        );
        assert!(rows[0].after.is_some());
    }
}

#[test]
fn the_command_line_asks_or_refuses() {
    let f = fixture();
    let check = |out: &std::process::Output, code: i32, text: &str| {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{err}");
        assert!(err.contains(text), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    };
    // No terminal to ask on, no --yes: refused, nothing erased.
    let out = f.erase_cli(&["--client", NAME]);
    check(
        &out,
        1,
        "add --yes to erase without asking; nothing was erased",
    );
    // Part of a name is not enough.
    let out = f.erase_cli(&["--client", "Zenobia", "--yes"]);
    check(&out, 1, "is only part of a name");
    let out = f.erase_cli(&["--client", "Nobody Here", "--yes"]);
    check(&out, 1, "client not found");
    assert!(!holding(&f.db, NAME).is_empty());
    // The UUID, any case of the name.
    let out = f.erase_cli(&["--client", &f.her_uuid, "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let out = f.erase_cli(&["--client", &OTHER.to_uppercase(), "--yes"]);
    assert!(out.status.success(), "{out:?}");
    let store = Store::open(&f.db).unwrap();
    assert_eq!(store.counts().unwrap().clients, 0);
}

fn erase_on_a_terminal(f: &Fixture, typed: &str) -> (Term, String) {
    let mut cmd = f.sandbox.pty_command(BIN);
    cmd.args(["erase", "--client", NAME, "--db"]);
    cmd.arg(&f.db);
    let mut t = Term::spawn(cmd, 120, 20);
    t.wait_for("Type the client's name to confirm:");
    let screen = t.screen();
    t.type_text(typed);
    t.press(b"\r");
    let status = t.wait_exit();
    assert_eq!(status.success(), typed == NAME, "{}", t.screen());
    (t, screen)
}

#[test]
fn on_a_terminal_the_name_must_be_typed() {
    let f = fixture();
    let (t, asked) = erase_on_a_terminal(&f, "Zenobia");
    assert!(
        asked.contains("1 series, 2 sessions") && asked.contains("cannot be undone"),
        "{asked}"
    );
    assert!(
        t.screen()
            .contains("not the client's name; nothing was erased")
    );
    assert!(Store::open(&f.db).unwrap().find_client(NAME).is_ok());

    let (t, _) = erase_on_a_terminal(&f, NAME);
    assert!(t.screen().contains("erased client"), "{}", t.screen());
    assert!(Store::open(&f.db).unwrap().find_client(NAME).is_err());
    assert_eq!(holding(&f.db, NAME), Vec::<String>::new());
}

/// A reader that keeps an old snapshot open stops the log from being
/// emptied: the erasure is done, and says what is left where.
#[test]
fn a_reader_holding_an_old_snapshot_is_reported() {
    let f = fixture();
    let reader = Connection::open(&f.db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    let mut store = open_at(&f.db);
    let erased = store.erase_client(f.her).unwrap();
    let residue = erased.residue.expect("the log could not be emptied");
    assert!(
        residue.contains("another program has the database open"),
        "{residue}"
    );
    assert!(store.find_client(NAME).is_err());
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    drop(store);
    // Once everyone has closed it, SQLite checkpoints and removes the log.
    for secret in SECRETS {
        assert_eq!(holding(&f.db, secret), Vec::<String>::new(), "{secret:?}");
    }
}
