//! The terminal loop: read events, feed them to `update`, carry out the
//! effects, draw. A plain poll loop, no async runtime and no extra thread.

use crate::app::run::{finish_loading, keep_draft, settle, start_first_page};
use crate::app::{Action, Effect, State, effects};
use crate::db::{Clock, IntegrityStatus, Store};
use crate::ui;
use chrono::Timelike;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::execute;
use std::io;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

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
    /// Throwaway demo data is open: the title bar says so at any width.
    pub demo: bool,
    /// A warning to show in the status line at start (e.g. a network file system).
    pub warning: Option<String>,
    /// The practice's settings and where they came from.
    pub settings: crate::config::Settings,
    pub config_label: String,
}

/// Is `NO_COLOR` set (to anything non-empty)?
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
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

/// What the terminal sent since the last frame, as actions: waits up to
/// [`POLL`] for the first event, then takes everything already waiting, so
/// a held-down key never builds up a backlog of frames.
fn read_actions() -> io::Result<Vec<Action>> {
    let mut actions = Vec::new();
    if event::poll(POLL)? {
        actions.extend(to_action(event::read()?));
        while actions.len() < 256 && event::poll(Duration::ZERO)? {
            actions.extend(to_action(event::read()?));
        }
    }
    Ok(actions)
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
    // Asked once, with the terminal in raw mode and before any key is
    // read: the terminal's answers must not arrive as key presses.
    let (painter, painter_note) = crate::ui::photos::PhotoPainter::detect();
    let mut state = State::new(
        clock.local_now(),
        size,
        opts.db_label.clone(),
        store.is_read_only(),
    )
    .with_color(!no_color())
    .with_demo(opts.demo)
    .with_painter(painter)
    .with_settings(opts.settings.clone(), opts.config_label.clone())
    .with_export_dir(std::env::current_dir().unwrap_or_default())
    .with_home(directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()));
    settle(
        &mut state,
        &mut store,
        opts.warning
            .iter()
            .cloned()
            .chain(painter_note)
            .map(Action::Warn)
            .collect(),
    );
    start_first_page(&mut state, &mut store);
    // A form left half-filled last time is offered back.
    let kept = effects::run(&mut store, &Effect::LoadDrafts);
    settle(&mut state, &mut store, kept);
    let idle_limit = idle_limit(&store, opts.settings.rules().idle_lock_minutes);
    let mut last_input = Instant::now();
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
            let mut actions = read_actions()?;
            if actions
                .iter()
                .any(|a| matches!(a, Action::Key(_) | Action::Paste(_) | Action::Mouse(_)))
            {
                last_input = Instant::now();
            }
            if idle_limit.is_some_and(|limit| last_input.elapsed() >= limit) {
                if !lock(&mut terminal, &signals, &state, &mut store)? {
                    return Ok(());
                }
                last_input = Instant::now();
                // The terminal may have changed size meanwhile; the screen
                // is drawn again whole.
                let size = terminal.size()?;
                actions.push(Action::Resize(size.width, size.height));
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
                actions.push(Action::Damaged(why));
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

/// How long without a key before the interface locks: the settings' idle
/// minutes (0 never), and only on an encrypted database, which has a
/// passphrase to unlock it with. `NEEDLELOG_IDLE_LOCK_SECONDS` sets it in
/// seconds instead (for the tests, which cannot wait minutes).
fn idle_limit(store: &Store, minutes: u32) -> Option<Duration> {
    if !store.is_encrypted() {
        return None;
    }
    let seconds = std::env::var("NEEDLELOG_IDLE_LOCK_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(u64::from(minutes) * 60);
    (seconds > 0).then(|| Duration::from_secs(seconds))
}

/// The lock screen, until the passphrase is typed again: draws nothing of
/// the records, and leaves `state` (an open form, the list) as it was.
/// Returns false when a stop signal ends the program meanwhile (the open
/// form is kept as a draft first).
fn lock(
    terminal: &mut DefaultTerminal,
    signals: &StopSignals,
    state: &State,
    store: &mut Store,
) -> io::Result<bool> {
    terminal.clear()?;
    let mut shown = ui::lock::Lock::default();
    loop {
        let typed = type_passphrase(terminal, signals, &mut shown);
        match typed {
            Ok(Some(typed)) if store.passphrase_is(&typed) => return Ok(true),
            Ok(Some(_)) => shown.message = Some("wrong passphrase".into()),
            // Quitting from the lock keeps the open form as a draft.
            Ok(None) => {
                keep_draft(state, store);
                return Ok(false);
            }
            Err(stopped) => {
                keep_draft(state, store);
                return Err(stopped);
            }
        }
    }
}

/// A passphrase typed on the lock screen (shown as dots) up to Enter;
/// `None` for Ctrl-C; an error for a stop signal.
fn type_passphrase(
    terminal: &mut DefaultTerminal,
    signals: &StopSignals,
    shown: &mut ui::lock::Lock,
) -> io::Result<Option<Zeroizing<String>>> {
    use ratatui::crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    let mut typed = Zeroizing::new(String::new());
    loop {
        if let Some(stopped) = signals.received() {
            return Err(stopped);
        }
        shown.typed = typed.chars().count();
        terminal.draw(|f| ui::lock::render(shown, f))?;
        if !event::poll(POLL)? {
            continue;
        }
        let Event::Key(k) = event::read()? else {
            continue;
        };
        if k.kind == KeyEventKind::Release {
            continue;
        }
        match k.code {
            KeyCode::Enter => return Ok(Some(typed)),
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Esc => typed.clear(),
            KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => return Ok(None),
            KeyCode::Char(c) => typed.push(c),
            _ => {}
        }
    }
}

/// What [`unlock`]'s check says of one typed passphrase.
pub enum Check<K> {
    /// It opens the database: here is the key.
    Opens(K),
    /// A wrong passphrase: one try used.
    Wrong,
    /// Not a passphrase at all (empty): said, no try used.
    Refused(String),
    /// The database cannot be opened whatever is typed.
    Failed(String),
}

/// How [`unlock`] ended.
pub enum Unlocked<K> {
    Opened(K),
    /// Every try was wrong.
    Wrong,
    /// Ctrl-C.
    Quit,
    Failed(String),
}

/// The unlock screen before the interface opens an encrypted database: the
/// lock screen with the database's `name`, the passphrase typed masked,
/// `tries` tries, each judged by `check`. The terminal is given back
/// before this returns, whatever the outcome.
pub fn unlock<K>(
    name: &str,
    tries: u32,
    mut check: impl FnMut(&str) -> Check<K>,
) -> io::Result<Unlocked<K>> {
    let signals = StopSignals::install();
    let mut terminal = enter(false)?;
    let mut shown = ui::lock::Lock {
        opening: Some(name.to_string()),
        ..Default::default()
    };
    let mut left = tries;
    let result = loop {
        let typed = match type_passphrase(&mut terminal, &signals, &mut shown) {
            Ok(Some(typed)) => typed,
            Ok(None) => break Ok(Unlocked::Quit),
            Err(e) => break Err(e),
        };
        match check(&typed) {
            Check::Opens(key) => break Ok(Unlocked::Opened(key)),
            Check::Wrong => {
                left = left.saturating_sub(1);
                if left == 0 {
                    break Ok(Unlocked::Wrong);
                }
                let tries = if left == 1 { "try" } else { "tries" };
                shown.message = Some(format!("wrong passphrase; {left} {tries} left"));
            }
            Check::Refused(why) => shown.message = Some(why),
            Check::Failed(why) => break Ok(Unlocked::Failed(why)),
        }
    };
    leave(false);
    result
}
