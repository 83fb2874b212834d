//! Hostile input, as a property: random keys, pastes (long, control
//! characters, NUL, emoji, right-to-left text, combining marks) and resizes
//! from 1×1 to 250×80, through the real `update`, effects and render.
//!
//! Properties, after every step:
//! - nothing panics, and the screen renders at whatever size it has;
//! - the store holds exactly what the saves, undos and redos reported: a
//!   model applies each write's expected change in counts when its effect
//!   comes back `Saved`, reverses the newest when an undo comes back done,
//!   applies the newest undone again when a redo does (until a save clears
//!   them), and changes nothing on a failure; the audit log grows with
//!   every change and only then.
//!
//! And after every case: each stored client and session passes its own
//! validation unchanged (nothing malformed got in), and the full integrity
//! check passes.
//!
//! `PROPTEST_CASES` sets the number of cases (default 64).

mod support;

use needlelog::app::{Action, Effect, Write, effects, update};
use needlelog::db::{Counts, Store, UndoRedo};
use needlelog::screenshot::draw;
use proptest::prelude::*;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::app::App;
use support::{proptest_cases, proptest_runner};

/// Saves, undos and refusals seen over a run: a property that never saw a
/// save would prove little.
static SAVED: AtomicUsize = AtomicUsize::new(0);
static UNDONE: AtomicUsize = AtomicUsize::new(0);
static REDONE: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug, Clone)]
enum Step {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Mouse(MouseEventKind, u16, u16),
}

fn key_strategy() -> impl Strategy<Value = KeyEvent> {
    let plain = |c: KeyCode| KeyEvent::new(c, KeyModifiers::NONE);
    let ctrl = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    prop_oneof![
        // The commands, often: they open forms and save them.
        6 => proptest::sample::select(
            "aenfSAEcxdsu/?jkgGq ".chars().collect::<Vec<_>>()
        ).prop_map(move |c| plain(KeyCode::Char(c))),
        4 => proptest::char::range('!', '~').prop_map(move |c| plain(KeyCode::Char(c))),
        1 => proptest::char::any().prop_map(move |c| plain(KeyCode::Char(c))),
        6 => proptest::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Backspace,
            KeyCode::Delete,
        ]).prop_map(move |c| if c == KeyCode::BackTab {
            KeyEvent::new(c, KeyModifiers::SHIFT)
        } else {
            plain(c)
        }),
        4 => Just(ctrl('s')),
        1 => proptest::sample::select(vec!['c', 'd', 'u', 'z', 'r']).prop_map(ctrl),
    ]
}

/// Text that breaks naive width, cursor and storage code.
const NASTY: [&str; 20] = [
    "مرحبا",
    "שלום עולם",
    "e\u{301}\u{302}\u{303}",
    "Z\u{337}\u{322}\u{353}",
    "\0",
    "\x1b[31m",
    "\x07\x08\x7f",
    "\r\n",
    "\t",
    "👩\u{200d}⚕\u{fe0f}",
    "🇵🇹",
    "\u{202e}",
    "\u{feff}",
    "a\u{200b}b",
    "ﷺ",
    "Ana Souza",
    "2026-11-21",
    "0,5",
    "'; DROP TABLE clients; --",
    "𝔑𝔢𝔢𝔡𝔩𝔢",
];

fn paste_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::collection::vec(proptest::sample::select(NASTY.to_vec()), 1..12)
            .prop_map(|parts| parts.concat()),
        2 => any::<String>(),
        1 => (proptest::sample::select(NASTY.to_vec()), 100usize..3000)
            .prop_map(|(s, n)| s.repeat(n / s.len().max(1) + 1)),
    ]
}

fn key(c: KeyCode) -> Step {
    Step::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn ch(c: char) -> Step {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> Step {
    Step::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn ctrl_s() -> Step {
    ctrl('s')
}

/// What a practitioner does between appointments, so that random keys and
/// pastes land in forms that then get saved, and saves get undone.
fn routine_strategy() -> impl Strategy<Value = Vec<Step>> {
    let add_client = paste_strategy().prop_map(|name| vec![ch('a'), Step::Paste(name), ctrl_s()]);
    let add_typed = "[A-Za-z ]{1,12}".prop_map(|name| {
        let mut v = vec![ch('a')];
        v.extend(name.chars().map(ch));
        v.push(ctrl_s());
        v
    });
    let edit_client = paste_strategy().prop_map(|text| vec![ch('e'), Step::Paste(text), ctrl_s()]);
    let session = paste_strategy().prop_map(|note| {
        // n, then to a later field (the notes are last), paste, save.
        vec![ch('n'), key(KeyCode::BackTab), Step::Paste(note), ctrl_s()]
    });
    prop_oneof![
        add_client,
        add_typed,
        edit_client,
        session,
        Just(vec![ch('n'), ctrl_s()]),
        Just(vec![
            key(KeyCode::Enter),
            ch('f'),
            key(KeyCode::Tab),
            ch('2'),
            ctrl_s()
        ]),
        Just(vec![ch('A'), ch('y')]),
        Just(vec![ch('u')]),
        Just(vec![ch('u'), ch('y'), ch('u'), ch('y')]),
        Just(vec![ch('u'), ch('y'), ctrl('r'), ch('y')]),
        Just(vec![
            key(KeyCode::Esc),
            key(KeyCode::Esc),
            key(KeyCode::Esc)
        ]),
    ]
}

fn steps_strategy() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        prop_oneof![
            2 => step_strategy().prop_map(|s| vec![s]),
            1 => routine_strategy(),
        ],
        1..30,
    )
    .prop_map(|chunks| chunks.concat())
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        20 => key_strategy().prop_map(Step::Key),
        2 => paste_strategy().prop_map(Step::Paste),
        2 => (1u16..=250, 1u16..=80).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => (
            proptest::sample::select(vec![
                MouseEventKind::ScrollUp,
                MouseEventKind::ScrollDown,
                MouseEventKind::Down(MouseButton::Left),
            ]),
            0u16..260,
            0u16..90,
        )
            .prop_map(|(k, x, y)| Step::Mouse(k, x, y)),
    ]
}

/// (clients, archived, series, sessions)
type Tally = [i64; 4];

fn tally(c: &Counts) -> Tally {
    [c.clients, c.archived, c.series, c.sessions]
}

fn plus(a: Tally, b: Tally, sign: i64) -> Tally {
    [0, 1, 2, 3].map(|i| a[i] + sign * b[i])
}

/// What the store should hold: the counts, the change each undoable write
/// made (newest last), and the changes undone since the last save.
struct Model {
    expected: Tally,
    audit: i64,
    undo_stack: Vec<Tally>,
    redo_stack: Vec<Tally>,
}

/// The change in counts a write makes when it is saved.
fn delta(store: &Store, w: &Write) -> Tally {
    match w {
        Write::AddClient(_, series) => [1, 0, i64::from(series.is_some()), 0],
        Write::Archive(id, archive) => {
            let was = store.client(*id).map(|c| c.archived_at.is_some());
            match (was, archive) {
                (Ok(false), true) => [-1, 1, 0, 0],
                (Ok(true), false) => [1, -1, 0, 0],
                _ => [0; 4],
            }
        }
        Write::NewSeries(..) => [0, 0, 1, 0],
        Write::NewSession(..) => [0, 0, 0, 1],
        Write::EditClient(..)
        | Write::EditSession(..)
        | Write::Followup(..)
        | Write::EditPlan(..)
        | Write::CloseSeries(..)
        | Write::ReopenSeries(..)
        | Write::AttachPhotos(..) => [0; 4],
    }
}

/// Like `app::run::settle`, but every write and undo is checked against the
/// model as its result comes back, and exports are kept in `sandbox`.
fn settle_checked(app: &mut App, model: &mut Model, sandbox: &Path, action: Action) {
    let mut queue = VecDeque::from([action]);
    while let Some(action) = queue.pop_front() {
        let mut results = Vec::new();
        for effect in update(&mut app.state, action) {
            let out = match &effect {
                Effect::Quit | Effect::Suspend => Vec::new(),
                Effect::Write(w) => {
                    let change = delta(&app.store, w);
                    let out = effects::run(&mut app.store, &effect);
                    match out.first() {
                        Some(Action::Saved { .. }) => {
                            model.expected = plus(model.expected, change, 1);
                            model.undo_stack.push(change);
                            model.redo_stack.clear();
                            SAVED.fetch_add(1, Ordering::Relaxed);
                            expect_audit_growth(app, model, true, &out);
                        }
                        Some(Action::Failed(_)) => {
                            REFUSED.fetch_add(1, Ordering::Relaxed);
                            expect_audit_growth(app, model, false, &out);
                        }
                        other => panic!("a write came back as {other:?}"),
                    }
                    out
                }
                Effect::Revert(way, _) => {
                    let out = effects::run(&mut app.store, &effect);
                    let (from, to, sign) = match way {
                        UndoRedo::Undo => (&mut model.undo_stack, &mut model.redo_stack, -1),
                        UndoRedo::Redo => (&mut model.redo_stack, &mut model.undo_stack, 1),
                    };
                    match out.first() {
                        Some(Action::Reverted(_, Some(_))) => {
                            let change = from
                                .pop()
                                .expect("reverted a change this session never made or undid");
                            to.push(change);
                            model.expected = plus(model.expected, change, sign);
                            match way {
                                UndoRedo::Undo => UNDONE.fetch_add(1, Ordering::Relaxed),
                                UndoRedo::Redo => REDONE.fetch_add(1, Ordering::Relaxed),
                            };
                            expect_audit_growth(app, model, true, &out);
                        }
                        Some(Action::Failed(_)) => expect_audit_growth(app, model, false, &out),
                        other => panic!("an undo or redo came back as {other:?}"),
                    }
                    out
                }
                Effect::NextChange(way) => {
                    let out = effects::run(&mut app.store, &effect);
                    let stack = match way {
                        UndoRedo::Undo => &model.undo_stack,
                        UndoRedo::Redo => &model.redo_stack,
                    };
                    match out.first() {
                        Some(Action::NextChange(_, next)) => assert_eq!(
                            next.is_some(),
                            !stack.is_empty(),
                            "{way:?} offered {next:?}, the model has {stack:?}"
                        ),
                        other => panic!("asking what to {way:?} came back as {other:?}"),
                    }
                    expect_audit_growth(app, model, false, &out);
                    out
                }
                Effect::Export(request) => {
                    // Wherever the typed path points, the file goes into the
                    // test's own folder (a random path must not land in the
                    // source tree).
                    let mut request = request.clone();
                    let name = request
                        .path
                        .file_name()
                        .map_or_else(|| "export".into(), ToOwned::to_owned);
                    request.path = sandbox.join(name);
                    effects::run(&mut app.store, &Effect::Export(request))
                }
                _ => effects::run(&mut app.store, &effect),
            };
            results.extend(out);
        }
        for r in results.into_iter().rev() {
            queue.push_front(r);
        }
    }
    let counts = app.store.counts().unwrap();
    assert_eq!(
        tally(&counts),
        model.expected,
        "the store differs from what the saves and undos reported (status: {:?})",
        app.status()
    );
    assert_eq!(
        counts.audit, model.audit,
        "audit rows without a reported change"
    );
}

fn expect_audit_growth(app: &App, model: &mut Model, grows: bool, out: &[Action]) {
    let audit = app.store.counts().unwrap().audit;
    if grows {
        assert!(
            audit > model.audit,
            "a change without an audit row: {out:?}"
        );
    } else {
        assert_eq!(audit, model.audit, "audit rows for no change: {out:?}");
    }
    model.audit = audit;
}

fn run_case(clients: usize, steps: &[Step]) {
    let mut app = App::with_clients(clients, (80, 24));
    let sandbox = app.dir.path().join("exports");
    std::fs::create_dir(&sandbox).unwrap();
    app.state.export_dir = sandbox.clone();
    let start = app.store.counts().unwrap();
    let mut model = Model {
        expected: tally(&start),
        audit: start.audit,
        undo_stack: Vec::new(),
        redo_stack: Vec::new(),
    };
    for step in steps {
        let action = match step {
            Step::Key(k) => Action::Key(*k),
            Step::Paste(s) => Action::Paste(s.clone()),
            Step::Resize(w, h) => Action::Resize(*w, *h),
            Step::Mouse(kind, x, y) => Action::Mouse(MouseEvent {
                kind: *kind,
                column: *x,
                row: *y,
                modifiers: KeyModifiers::NONE,
            }),
        };
        settle_checked(&mut app, &mut model, &sandbox, action);
        // Drawn at whatever size the last resize left.
        let _ = draw(&app.state);
    }
    let today = app.state.today();
    let now = app.state.now;
    for c in app.store.clients(true).unwrap() {
        let clean = c
            .data
            .validate(today)
            .unwrap_or_else(|e| panic!("stored client {:?} does not validate: {e:?}", c.data));
        assert_eq!(
            clean, c.data,
            "a stored client changes when validated again"
        );
        for series in app.store.series_of(c.id).unwrap() {
            for x in app.store.sessions_of(series.id).unwrap() {
                let clean = x
                    .data
                    .validate(series.data.outcome_scale, now)
                    .unwrap_or_else(|e| panic!("stored session does not validate: {e:?}"));
                assert_eq!(
                    clean, x.data,
                    "a stored session changes when validated again"
                );
            }
        }
    }
    let report = app.store.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn hostile_input_never_panics_and_the_store_matches_the_model() {
    let cases = proptest_cases(64);
    let strategy = (proptest::sample::select(vec![0usize, 4]), steps_strategy());
    proptest_runner(cases)
        .run(&strategy, |(clients, steps)| {
            run_case(clients, &steps);
            Ok(())
        })
        .unwrap();
    let (saved, undone, redone, refused) = (
        SAVED.load(Ordering::Relaxed),
        UNDONE.load(Ordering::Relaxed),
        REDONE.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed),
    );
    println!(
        "{cases} cases: {saved} saves, {undone} undos, {redone} redos, {refused} refused saves"
    );
    if cases >= 32 {
        assert!(
            saved > 0 && undone > 0,
            "the keys never reached a save or an undo"
        );
    }
}

/// Every screen draws at the edges of the size range (1×1, just below and
/// above the "too small" limit of 60×16, 250×80) without a panic.
#[test]
fn every_screen_renders_at_edge_sizes() {
    let mut app = App::with_clients(3, (100, 30));
    for keys in [
        "",
        "<Enter>",
        "c",
        "<Esc>n",
        "<Esc><Esc>?",
        "<Esc><Esc>a",
        "<Esc>x",
    ] {
        app.keys(keys);
        for w in [1, 2, 3, 10, 30, 59, 60, 61, 80, 120, 250] {
            for h in [1, 2, 3, 8, 15, 16, 17, 24, 50, 80] {
                app.act(vec![Action::Resize(w, h)]);
                let _ = draw(&app.state);
            }
        }
    }
}
