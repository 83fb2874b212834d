//! Clinic-scale benchmarks; the targets, the results and how they were
//! taken are in BENCHMARKS.md.
//!
//! ```sh
//! cargo bench --bench clinic                          # 10,000 clients: about half a minute
//! NEEDLELOG_BENCH_100K=1 cargo bench --bench clinic   # and 100,000: about four minutes
//! cargo bench --bench clinic -- export                # only the benchmarks whose name has "export"
//! ```
//!
//! Each run generates its data sets once (`needlelog demo --seed 1 --today
//! 2026-11-21`, through the library) into a temporary folder under
//! `NEEDLELOG_BENCH_DIR`, else the system's temporary folder — which should
//! be a real disk, not tmpfs, for the durable-save figure to mean anything.
//! The folder is removed at the end.
//!
//! The whole-process figures (first frame of `needlelog render`, the CSV
//! export against `sqlite3`, peak memory) come from `scripts/compare-with-sqlite3.sh`.

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use needlelog::app::list::Filter;
use needlelog::app::run::{finish_loading, settle};
use needlelog::app::{Action, State};
use needlelog::db::{Clock, IntegrityStatus, Store};
use needlelog::demo::{DemoSpec, generate, generated_at};
use needlelog::domain::SessionDraft;
use needlelog::export::{self, Format, Options, Scope};
use needlelog::screenshot::{Screen, draw, state_for};
use needlelog::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

fn main() {
    divan::main();
    // Statics are never dropped: remove the generated files here.
    if let Some(dir) = ROOT.get() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The terminal size of the key-press targets.
const SIZE: (u16, u16) = (200, 50);
const SEED: u64 = 1;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("a valid date")
}

/// "Now" for every screen: a morning in the clinic on the demo's day.
fn now() -> chrono::NaiveDateTime {
    today().and_hms_opt(10, 0, 0).expect("a valid time")
}

/// 10,000 clients always; 100,000 too with `NEEDLELOG_BENCH_100K=1`.
fn sizes() -> Vec<usize> {
    let mut sizes = vec![10_000];
    if std::env::var_os("NEEDLELOG_BENCH_100K").is_some_and(|v| v != "0" && !v.is_empty()) {
        sizes.push(100_000);
    }
    sizes
}

static ROOT: OnceLock<PathBuf> = OnceLock::new();

/// The folder this run writes into.
fn root() -> &'static Path {
    ROOT.get_or_init(|| {
        let base =
            std::env::var_os("NEEDLELOG_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
        tempfile::Builder::new()
            .prefix("needlelog-bench-")
            .tempdir_in(&base)
            .expect("a temporary folder for the benchmark data")
            .keep()
    })
}

/// A new database at `path` filled like `needlelog demo --clients N --seed 1
/// --today 2026-11-21`.
fn make_demo(path: &Path, clients: usize) {
    let spec = DemoSpec {
        clients,
        seed: SEED,
        today: today(),
    };
    let mut store = Store::open(path).expect("a new database");
    store.set_clock(Clock::Fixed(generated_at(spec.today)));
    store
        .insert_trees(
            &generate(spec),
            needlelog::db::Action::Demo,
            "benchmark data",
        )
        .expect("demo data inserted");
}

/// The shared, read-only data set of `clients` clients, made on first use.
fn dataset(clients: usize) -> &'static Path {
    static SETS: Mutex<Vec<(usize, &'static Path)>> = Mutex::new(Vec::new());
    let mut sets = SETS.lock().expect("not poisoned");
    if let Some((_, p)) = sets.iter().find(|(n, _)| *n == clients) {
        return p;
    }
    // Outside any timing: the first benchmark of a size waits for it
    // (about 2 s for 10,000 clients, 25 s for 100,000).
    let path = root().join(format!("clinic-{clients}.db"));
    make_demo(&path, clients);
    let path: &'static Path = Box::leak(path.into_boxed_path());
    sets.push((clients, path));
    path
}

/// A private copy of the data set, for benchmarks that write.
fn copy_of(clients: usize, name: &str) -> PathBuf {
    let to = root().join(format!("{name}-{clients}.db"));
    std::fs::copy(dataset(clients), &to).expect("a copy of the data set");
    to
}

/// Opens like `needlelog render` does: the integrity check runs on a
/// second thread. The store's clock is the demo's day.
fn open(path: &Path) -> Store {
    let mut store = Store::open_deferred(path).expect("the data set opens");
    store.set_clock(Clock::Fixed(now().and_utc()));
    store
}

/// Waits (outside any timing) for a store's background check, so that one
/// iteration's check does not run into the next one's measurement.
fn settle_check(store: &mut Store) {
    while store.integrity_status() == IntegrityStatus::Pending {
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn key(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// The clients screen at 200×50 with the whole list loaded, as it is a
/// moment after the first frame.
fn home(clients: usize) -> (Store, State) {
    let mut store = open(dataset(clients));
    settle_check(&mut store);
    let mut state =
        state_for(&mut store, Screen::Clients, SIZE, None, now(), true).expect("home screen");
    finish_loading(&mut state, &mut store);
    assert!(state.visible.len() > clients / 2, "the list is loaded");
    (store, state)
}

/// A terminal kept from frame to frame, as the interface's loop keeps
/// its own: each frame is drawn into a buffer and compared with the last,
/// and only the changes go to the (here in-memory) backend.
struct Screenful(Terminal<TestBackend>);

impl Screenful {
    fn new(state: &State) -> Self {
        let mut t = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("test backend");
        t.draw(|f| ui::render(state, f)).expect("test backend");
        Self(t)
    }

    fn frame(&mut self, state: &State) {
        self.0.draw(|f| ui::render(state, f)).expect("test backend");
    }
}

/// A key press as the interface handles it: `update`, the effects it asks
/// for (loading the selected client's preview, say) and the next frame.
fn press(store: &mut Store, state: &mut State, screen: &mut Screenful, k: KeyCode) {
    settle(state, store, vec![key(k)]);
    screen.frame(state);
}

/// Open the database and draw the first frame of the clients screen,
/// in-process (the whole-process figure is `scripts/compare-with-sqlite3.sh`'s).
#[divan::bench(args = sizes(), sample_count = 30, sample_size = 1)]
fn first_frame(bencher: Bencher, clients: usize) {
    let path = dataset(clients);
    let last: RefCell<Option<Store>> = RefCell::new(None);
    bencher
        .with_inputs(|| {
            if let Some(mut s) = last.borrow_mut().take() {
                settle_check(&mut s);
            }
        })
        .bench_local_values(|()| {
            let mut store = open(path);
            let state = state_for(&mut store, Screen::Clients, SIZE, None, now(), true)
                .expect("home screen");
            let frame = draw(&state);
            *last.borrow_mut() = Some(store);
            frame
        });
}

/// The whole list after the first frame (what the interface reads next).
#[divan::bench(args = sizes(), sample_count = 20)]
fn full_list_load(bencher: Bencher, clients: usize) {
    let mut store = open(dataset(clients));
    settle_check(&mut store);
    bencher.bench_local(|| {
        let mut state =
            state_for(&mut store, Screen::Clients, SIZE, None, now(), true).expect("home screen");
        finish_loading(&mut state, &mut store);
        state
    });
}

/// `j` (down), then `k` (up) on the next iteration, each with its frame.
#[divan::bench(args = sizes())]
fn key_frame(bencher: Bencher, clients: usize) {
    let (mut store, mut state) = home(clients);
    // Away from the top, so both keys move.
    for _ in 0..10 {
        settle(&mut state, &mut store, vec![key(KeyCode::Char('j'))]);
    }
    let mut screen = Screenful::new(&state);
    let mut down = true;
    bencher.bench_local(|| {
        let k = if down { 'j' } else { 'k' };
        down = !down;
        press(&mut store, &mut state, &mut screen, KeyCode::Char(k));
    });
}

/// The frame alone (an unchanged screen redrawn), without a key's update
/// and effects.
#[divan::bench(args = sizes())]
fn key_frame_draw_only(bencher: Bencher, clients: usize) {
    let (_store, state) = home(clients);
    let mut screen = Screenful::new(&state);
    bencher.bench_local(|| screen.frame(&state));
}

/// `render::draw`, which `needlelog render` uses: a new terminal and
/// buffers for one frame, and a copy of it out.
#[divan::bench(args = sizes())]
fn headless_draw(bencher: Bencher, clients: usize) {
    let (_store, state) = home(clients);
    bencher.bench_local(|| draw(&state));
}

/// One key in the filter line opened over the whole list (with `typed`
/// already in it), with its frame, per iteration: before each, outside the
/// timing, `untimed` is pressed and `ready` checks the list (given the
/// whole list's length).
fn filter_key(
    bencher: Bencher,
    clients: usize,
    typed: &str,
    (untimed, ready): (KeyCode, fn(&State, usize)),
    timed: KeyCode,
) {
    let (mut store, mut state) = home(clients);
    settle(&mut state, &mut store, vec![key(KeyCode::Char('/'))]);
    assert!(state.filtering, "the filter line is open");
    let all = state.visible.len();
    let typed = typed.chars().map(|c| key(KeyCode::Char(c))).collect();
    settle(&mut state, &mut store, typed);
    let screen = Screenful::new(&state);
    let shared = RefCell::new((store, state, screen));
    bencher
        .with_inputs(|| {
            let (store, state, screen) = &mut *shared.borrow_mut();
            press(store, state, screen, untimed);
            ready(state, all);
        })
        .bench_local_values(|()| {
            let (store, state, screen) = &mut *shared.borrow_mut();
            press(store, state, screen, timed);
        });
}

/// One key stroke in the filter line over the whole list: typing the
/// first letter of a name (the most matches), with its frame. The letter
/// is erased again between iterations, outside the timing.
#[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
fn filter_keystroke(bencher: Bencher, clients: usize) {
    let whole = |state: &State, all| assert_eq!(state.visible.len(), all, "the whole list again");
    filter_key(
        bencher,
        clients,
        "",
        (KeyCode::Backspace, whole),
        KeyCode::Char('a'),
    );
}

/// The next key stroke while typing a name: `n` after `a` (the first
/// letter with the most matches), which scores only the names `a`
/// matched. The `n` is erased between iterations, outside the timing.
#[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
fn filter_typing(bencher: Bencher, clients: usize) {
    let narrowed =
        |state: &State, all| assert!(state.visible.len() < all, "the filter narrows the list");
    filter_key(
        bencher,
        clients,
        "an",
        (KeyCode::Backspace, narrowed),
        KeyCode::Char('n'),
    );
}

/// A later key stroke while typing a name: `r` after `ma`, scoring only
/// the names `ma` matched. The `r` is erased between iterations, outside
/// the timing.
#[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
fn filter_typing_third(bencher: Bencher, clients: usize) {
    let narrowed =
        |state: &State, all| assert!(state.visible.len() < all, "the filter narrows the list");
    filter_key(
        bencher,
        clients,
        "mar",
        (KeyCode::Backspace, narrowed),
        KeyCode::Char('r'),
    );
}

/// Erasing the letter again: back to the whole list in the chosen order.
#[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
fn filter_erase(bencher: Bencher, clients: usize) {
    let narrowed =
        |state: &State, all| assert!(state.visible.len() < all, "the filter narrows the list");
    filter_key(
        bencher,
        clients,
        "",
        (KeyCode::Char('a'), narrowed),
        KeyCode::Backspace,
    );
}

/// The filter alone, without `update`, effects or a frame: `Filter::visible`
/// over the whole list, in the list's view and sort, for `timed` after
/// `before` (which is scored again outside the timing before each run, as
/// the erased letter was). The names' memory is printed once per size.
fn filter_alone(bencher: Bencher, clients: usize, before: &'static str, timed: &'static str) {
    let (_store, state) = home(clients);
    let filter = RefCell::new(Filter::default());
    let visible = |query: &str| {
        filter
            .borrow_mut()
            .visible(&state.rows, state.view, state.sort, query)
    };
    assert!(
        visible(timed).len() < state.rows.len(),
        "the filter narrows"
    );
    static SHOWN: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    let mut shown = SHOWN.lock().expect("not poisoned");
    if !shown.contains(&clients) {
        shown.push(clients);
        eprintln!(
            "{clients} clients: names in nucleo's form take {} bytes",
            filter.borrow().prepared_bytes()
        );
    }
    bencher
        .with_inputs(|| visible(before).len())
        .bench_local_values(|_| visible(timed));
}

/// `a` over the whole list, in the filter alone.
#[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
fn filter_alone_first(bencher: Bencher, clients: usize) {
    filter_alone(bencher, clients, "", "a");
}

/// `an` after `a`, in the filter alone.
#[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
fn filter_alone_second(bencher: Bencher, clients: usize) {
    filter_alone(bencher, clients, "a", "an");
}

/// `mar` after `ma`, in the filter alone.
#[divan::bench(args = sizes(), sample_count = 200, sample_size = 1)]
fn filter_alone_third(bencher: Bencher, clients: usize) {
    filter_alone(bencher, clients, "ma", "mar");
}

/// `d`: the next view (all → due now → overdue → follow-up pending →
/// archived → all), one press per iteration, with its frame.
#[divan::bench(args = sizes())]
fn view_change(bencher: Bencher, clients: usize) {
    let (mut store, mut state) = home(clients);
    let mut screen = Screenful::new(&state);
    bencher.bench_local(|| press(&mut store, &mut state, &mut screen, KeyCode::Char('d')));
}

/// `s`: the next sort (next due → name → last visit), with its frame.
#[divan::bench(args = sizes())]
fn sort_change(bencher: Bencher, clients: usize) {
    let (mut store, mut state) = home(clients);
    let mut screen = Screenful::new(&state);
    bencher.bench_local(|| press(&mut store, &mut state, &mut screen, KeyCode::Char('s')));
}

/// Recording a session: one `BEGIN IMMEDIATE` transaction with its audit
/// row and the clients-list triggers, committed with `synchronous=FULL`
/// (an fsync of the WAL), on a copy of the data set.
#[divan::bench(args = sizes(), sample_count = 100, sample_size = 1)]
fn save_session(bencher: Bencher, clients: usize) {
    let path = copy_of(clients, "save");
    saves(bencher, Store::open(&path).expect("the copy opens"));
}

/// Times one saved session after another into the first series of `store`.
fn saves(bencher: Bencher, mut store: Store) {
    let series = store
        .client_rows(false)
        .expect("the list")
        .into_iter()
        .find_map(|r| r.series.map(|s| s.id))
        .expect("a client with a series");
    bencher.bench_local(|| {
        let draft = SessionDraft::at(store.clock().local_now());
        store.create_session(series, &draft).expect("saved")
    });
}

/// [`save_session`] on the same data set encrypted with SQLCipher (issue
/// 16): each page written is encrypted and carries its HMAC.
#[divan::bench(args = sizes(), sample_count = 100, sample_size = 1)]
fn save_session_encrypted(bencher: Bencher, clients: usize) {
    use needlelog::db::cipher::{self, Passphrase};
    let path = copy_of(clients, "save-encrypted");
    let pass =
        || Passphrase::new("correct horse battery".to_string().into()).expect("a passphrase");
    Store::open(&path)
        .expect("the copy opens")
        .encrypt_in_place(&pass())
        .expect("encrypted");
    cipher::remember(&path, pass());
    let store = Store::open(&path).expect("the encrypted copy opens");
    assert!(store.is_encrypted());
    saves(bencher, store);
}

fn export_bench(bencher: Bencher, clients: usize, format: Format) {
    let mut store = open(dataset(clients));
    settle_check(&mut store);
    let probe = export::render(
        &store,
        format,
        &Scope::everything(),
        today(),
        &Options::default(),
    )
    .expect("export");
    bencher
        .counter(BytesCount::new(probe.0.len()))
        .bench_local(|| {
            export::render(
                &store,
                format,
                &Scope::everything(),
                today(),
                &Options::default(),
            )
            .expect("export")
        });
}

/// Every session as CSV, in memory (the command adds opening the file and
/// writing it out; see `scripts/compare-with-sqlite3.sh`).
#[divan::bench(args = sizes(), sample_count = 15)]
fn export_csv(bencher: Bencher, clients: usize) {
    export_bench(bencher, clients, Format::Csv);
}

/// Every record as the versioned JSON document.
#[divan::bench(args = sizes(), sample_count = 5)]
fn export_json(bencher: Bencher, clients: usize) {
    export_bench(bencher, clients, Format::Json);
}

/// The demo generator: generating the records and inserting them into a
/// new database in one transaction.
#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn demo_generate(bencher: Bencher, clients: usize) {
    let path = root().join(format!("generate-{clients}.db"));
    bencher
        .counter(ItemsCount::new(clients))
        .with_inputs(|| {
            // The previous iteration's database (one at a time: sample_size = 1).
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            path.clone()
        })
        .bench_local_values(|path| {
            make_demo(&path, clients);
            path
        });
}

/// One illustrative demo photo (480×600), drawn and encoded as JPEG.
#[divan::bench(args = ["front", "close_up"])]
fn demo_photo(bencher: Bencher, view: &str) {
    let view = needlelog::domain::View::from_code(view).expect("a view code");
    bencher.bench(|| needlelog::demo::demo_photo(SEED, 3, 1, 5, view));
}
