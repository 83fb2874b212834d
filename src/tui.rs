//! The terminal loop: read events, feed them to `update`, carry out the
//! effects, draw. A plain poll loop, no async runtime and no extra thread.

use crate::app::{Action, Effect, State, effects, update};
use crate::db::{Clock, IntegrityStatus, Store};
use crate::ui;
use chrono::Timelike;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::execute;
use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

/// How long the loop waits for an event before looking again at the clock
/// and at `STOP_SIGNAL`: also the longest a SIGTERM waits to be noticed.
const POLL: Duration = Duration::from_millis(250);

/// The number of the SIGTERM or SIGHUP received while the interface runs,
/// 0 if none. Their default action kills the process on the spot, leaving
/// the shell in raw mode on the alternate screen; caught, they make the
/// loop leave like `q` does, so the terminal is restored.
static STOP_SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_stop_signal(signal: libc::c_int) {
    // An atomic store is all a signal handler may safely do here.
    STOP_SIGNAL.store(signal, Ordering::SeqCst);
}

/// Catches SIGTERM and SIGHUP for as long as it lives, then puts back what
/// was there before (tests and other callers of the library keep theirs).
struct StopSignals {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl StopSignals {
    fn install() -> Self {
        STOP_SIGNAL.store(0, Ordering::SeqCst);
        let mut previous = Vec::new();
        for signal in [libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: plain sigaction calls with zero-initialised structs;
            // the handler only stores to an atomic.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_stop_signal as *const () as libc::sighandler_t;
                action.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, &action, &mut old) != 0 {
                    continue;
                }
                if old.sa_sigaction == libc::SIG_IGN {
                    // Started under `nohup` or the like: keep ignoring it.
                    libc::sigaction(signal, &old, std::ptr::null_mut());
                    continue;
                }
                previous.push((signal, old));
            }
        }
        Self { previous }
    }

    /// The error that ends the loop once a stop signal has come.
    fn received() -> Option<io::Error> {
        let name = match STOP_SIGNAL.load(Ordering::SeqCst) {
            0 => return None,
            libc::SIGTERM => "SIGTERM",
            libc::SIGHUP => "SIGHUP",
            _ => "a signal",
        };
        Some(io::Error::new(
            io::ErrorKind::Interrupted,
            format!("stopped by {name}"),
        ))
    }
}

impl Drop for StopSignals {
    fn drop(&mut self) {
        for (signal, old) in &self.previous {
            // SAFETY: restores the action saved by `install`.
            unsafe {
                libc::sigaction(*signal, old, std::ptr::null_mut());
            }
        }
    }
}

pub struct Options {
    pub mouse: bool,
    pub db_label: String,
    /// A warning to show in the status line at start (e.g. a network file system).
    pub warning: Option<String>,
}

/// Keeps a half-filled form in the database's drafts when the terminal
/// goes away, so the next start can offer it back. Best effort: the
/// process is ending either way.
pub fn keep_draft(state: &State, store: &mut Store) {
    let Some(fs) = state.form.as_ref().filter(|f| f.form.dirty) else {
        return;
    };
    let client = state.detail.as_ref().map(|d| d.client.id);
    let Some(draft) = crate::app::drafts::snapshot(&fs.form, &fs.purpose, client) else {
        return;
    };
    if let Ok(payload) = serde_json::to_value(&draft) {
        let _ = store.save_draft(crate::app::drafts::KIND, "", &payload);
    }
}

/// Is `NO_COLOR` set (to anything non-empty)?
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Applies actions in order, carrying out each effect on the store; what
/// an effect brings back (loaded data, a save's result) is applied before
/// the next action, just as if the user had waited for it. Returns the
/// terminal effects (quit, suspend) for the caller.
pub fn settle(state: &mut State, store: &mut Store, actions: Vec<Action>) -> Vec<Effect> {
    let mut queue: VecDeque<Action> = actions.into();
    let mut terminal_effects = Vec::new();
    while let Some(action) = queue.pop_front() {
        let mut results = Vec::new();
        for effect in update(state, action) {
            match effect {
                Effect::Quit | Effect::Suspend => terminal_effects.push(effect),
                other => results.extend(effects::run(store, &other)),
            }
        }
        for r in results.into_iter().rev() {
            queue.push_front(r);
        }
    }
    terminal_effects
}

/// The first actions of a session: load the list.
pub fn start(state: &mut State, store: &mut Store) {
    let loaded = effects::run(store, &Effect::LoadClients);
    settle(state, store, loaded);
}

/// Like [`start`], but for a large practice only the first screenful, so
/// that it shows at once; [`finish_loading`] reads the rest.
pub fn start_first_page(state: &mut State, store: &mut Store) {
    let page = crate::app::layout::clients_page(state.size);
    let loaded = effects::run(store, &Effect::LoadFirstPage(page));
    settle(state, store, loaded);
}

/// Loads the whole list if only the first page is there.
pub fn finish_loading(state: &mut State, store: &mut Store) {
    if state.partial {
        start(state, store);
    }
}

fn enter(mouse: bool) -> io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    execute!(io::stdout(), EnableBracketedPaste)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(terminal)
}

fn leave(mouse: bool) {
    if mouse {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
    // The cursor too: on suspend the terminal value is not dropped, and
    // dropping it is what would otherwise show the cursor again.
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        ratatui::crossterm::cursor::Show
    );
    ratatui::restore();
}

/// Hands the terminal back to the shell until `fg`.
fn suspend(mouse: bool) -> io::Result<DefaultTerminal> {
    leave(mouse);
    // SAFETY: raise() only sends a signal to this process; SIGTSTP stops it
    // until the shell continues it, and then this call returns.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    let mut t = enter(mouse)?;
    t.clear()?;
    Ok(t)
}

fn to_action(ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) => Some(Action::Key(k)),
        Event::Paste(s) => Some(Action::Paste(s)),
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

pub fn run(mut store: Store, opts: Options) -> io::Result<()> {
    let clock = Clock::System;
    let _signals = StopSignals::install();
    let mut terminal = enter(opts.mouse)?;
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let mut state = State::new(
        clock.local_now(),
        size,
        opts.db_label.clone(),
        store.is_read_only(),
    );
    state.color = !no_color();
    if let Ok(dir) = std::env::current_dir() {
        state.export_dir = dir;
    }
    if let Some(w) = &opts.warning {
        state.status = Some(crate::app::Status {
            text: w.clone(),
            error: true,
        });
    }
    start_first_page(&mut state, &mut store);
    // A form left half-filled last time is offered back.
    let kept = effects::run(&mut store, &Effect::LoadDrafts);
    settle(&mut state, &mut store, kept);
    let result = (|| -> io::Result<()> {
        loop {
            // Checked before drawing: after a SIGHUP there is no terminal to
            // draw on. (Half-typed forms are still in `state` here.)
            if let Some(stopped) = StopSignals::received() {
                keep_draft(&state, &mut store);
                return Err(stopped);
            }
            terminal.draw(|f| ui::render(&state, f))?;
            if state.partial {
                // The first screen is up: now the whole list, before any key.
                finish_loading(&mut state, &mut store);
                continue;
            }
            let mut actions = Vec::new();
            if event::poll(POLL)? {
                actions.extend(to_action(event::read()?));
                // Take everything already waiting before drawing again, so
                // a held-down key never builds up a backlog of frames.
                while actions.len() < 256 && event::poll(Duration::ZERO)? {
                    actions.extend(to_action(event::read()?));
                }
            }
            // A deliberate crash on a key press, for tests/e2e_crash.rs.
            if actions.iter().any(|a| matches!(a, Action::Key(_)))
                && std::env::var_os("NEEDLELOG_TEST_PANIC").is_some_and(|v| v == "1")
            {
                panic!("NEEDLELOG_TEST_PANIC=1: crashing on a key press, as asked");
            }
            // After a resize, repaint everything: a terminal that shrank and
            // grew back between two reads may have dropped what was drawn,
            // while ratatui, seeing the same size, would redraw only changes.
            if actions.iter().any(|a| matches!(a, Action::Resize(..))) {
                let size = terminal.size()?;
                terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            }
            let now = clock.local_now();
            // A new minute (the clock shows minutes), or a new day.
            let minute = |t: chrono::NaiveDateTime| (t.date(), t.hour(), t.minute());
            if minute(now) != minute(state.now) {
                actions.push(Action::Tick(now));
            }
            if let IntegrityStatus::Failed(why) = store.integrity_status()
                && !state.read_only
            {
                state.read_only = true;
                state.status = Some(crate::app::Status {
                    text: format!("The database is damaged ({why}): read-only. Restore a backup."),
                    error: true,
                });
            }
            for effect in settle(&mut state, &mut store, actions) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Suspend => {
                        terminal = suspend(opts.mouse)?;
                    }
                    _ => {}
                }
            }
            if state.quit {
                return Ok(());
            }
        }
    })();
    leave(opts.mouse);
    result
}
