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
use std::time::Duration;

/// How long the loop waits for an event before looking again at the clock
/// and at the stop signals: also the longest a SIGTERM waits to be noticed.
const POLL: Duration = Duration::from_millis(250);

/// Catches SIGTERM and SIGHUP for as long as it lives. Their default
/// action kills the process on the spot, leaving the shell in raw mode on
/// the alternate screen; caught, they make the loop leave like `q` does, so
/// the terminal is restored and a half-typed form is kept. Once it is
/// dropped they end the program again. (Elsewhere than Unix it catches
/// nothing.)
struct StopSignals {
    /// The number of the signal received, 0 if none.
    #[cfg(unix)]
    received: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    #[cfg(unix)]
    actions: Vec<signal_hook::SigId>,
}

#[cfg(unix)]
const STOP_SIGNALS: [i32; 2] = [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP];

/// True while no interface catches the stop signals: then they do what
/// they do by default. signal-hook cannot hand a signal back to the
/// system, so this flag, registered once per process, stands in for that.
#[cfg(unix)]
fn default_action_armed() -> &'static std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::AtomicBool;
    use std::sync::{Arc, OnceLock};
    static ARMED: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    ARMED.get_or_init(|| {
        let armed = Arc::new(AtomicBool::new(true));
        for signal in STOP_SIGNALS {
            let _ = signal_hook::flag::register_conditional_default(signal, Arc::clone(&armed));
        }
        armed
    })
}

impl StopSignals {
    #[cfg(unix)]
    fn install() -> Self {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let received = Arc::new(AtomicUsize::new(0));
        let actions = STOP_SIGNALS
            .into_iter()
            .filter_map(|signal| {
                let value = usize::try_from(signal).ok()?;
                signal_hook::flag::register_usize(signal, Arc::clone(&received), value).ok()
            })
            .collect();
        default_action_armed().store(false, Ordering::SeqCst);
        Self { received, actions }
    }

    #[cfg(not(unix))]
    fn install() -> Self {
        Self {}
    }

    /// The error that ends the loop once a stop signal has come.
    #[cfg(unix)]
    fn received(&self) -> Option<io::Error> {
        let signal = self.received.load(std::sync::atomic::Ordering::SeqCst);
        if signal == 0 {
            return None;
        }
        let name = i32::try_from(signal)
            .ok()
            .and_then(signal_hook::low_level::signal_name)
            .unwrap_or("a signal");
        Some(io::Error::new(
            io::ErrorKind::Interrupted,
            format!("stopped by {name}"),
        ))
    }

    #[cfg(not(unix))]
    fn received(&self) -> Option<io::Error> {
        None
    }
}

#[cfg(unix)]
impl Drop for StopSignals {
    fn drop(&mut self) {
        default_action_armed().store(true, std::sync::atomic::Ordering::SeqCst);
        for action in self.actions.drain(..) {
            signal_hook::low_level::unregister(action);
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

/// Takes the terminal as the interface uses it: raw mode, the alternate
/// screen, bracketed paste and, if asked, mouse reports. ratatui's panic
/// hook, wrapped around the one installed now, gives it back on a panic.
pub fn enter(mouse: bool) -> io::Result<DefaultTerminal> {
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
    stop_until_continued()?;
    let mut t = enter(mouse)?;
    t.clear()?;
    Ok(t)
}

/// SIGTSTP stops this process until the shell continues it; then this
/// returns.
#[cfg(unix)]
fn stop_until_continued() -> io::Result<()> {
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
}

/// No job control to hand the terminal to: Ctrl-Z only redraws.
#[cfg(not(unix))]
fn stop_until_continued() -> io::Result<()> {
    Ok(())
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
    let signals = StopSignals::install();
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
            if let Some(stopped) = signals.received() {
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
