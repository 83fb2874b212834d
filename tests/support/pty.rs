//! Runs the real `needlelog` binary in a pseudo-terminal: keys go in as the
//! bytes a terminal sends, the output goes through a vt100 parser, and the
//! tests read the screen a user would see. Nothing here sleeps for a fixed
//! time to let the program catch up: every step waits for what it expects
//! on the screen, up to a timeout, and a timeout fails with the screen.

use super::cli::{BIN, ISOLATED, Sandbox};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Long enough for a slow, loaded CI machine; a passing step takes a few ms.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);
/// A pause after each key, so that keys arrive as separate reads, as they
/// do from a person (an Esc glued to the next byte would be Alt-that-key).
const KEY_GAP: Duration = Duration::from_millis(15);

pub const ESC: &[u8] = b"\x1b";
pub const ENTER: &[u8] = b"\r";
pub const TAB: &[u8] = b"\t";
pub const CTRL_S: &[u8] = b"\x13";
pub const CTRL_U: &[u8] = b"\x15";

impl Sandbox {
    /// `program` in a terminal on this sandbox: the [`ISOLATED`] variables
    /// and `NO_COLOR` removed, `HOME` the sandbox's, an xterm, in `work/`.
    pub fn pty_command(&self, program: impl AsRef<OsStr>) -> CommandBuilder {
        let mut cmd = CommandBuilder::new(program);
        for var in ISOLATED.iter().chain(&["NO_COLOR"]) {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.home());
        cmd.env("TERM", "xterm-256color");
        // The test terminal answers no graphics query: photos in half
        // blocks, and no query waiting for an answer that never comes.
        cmd.env("NEEDLELOG_PHOTO_PROTOCOL", "halfblocks");
        cmd.cwd(self.work());
        cmd
    }

    /// A new sandbox, and the interface on its empty database
    /// ([`Sandbox::spawn_empty`]).
    pub fn with_empty_interface(cols: u16, rows: u16) -> (Self, Term) {
        let sandbox = Self::new();
        let t = sandbox.spawn_empty(cols, rows);
        (sandbox, t)
    }

    /// The interface on this sandbox's database while it is empty, once it
    /// says so.
    pub fn spawn_empty(&self, cols: u16, rows: u16) -> Term {
        let mut t = self.spawn(cols, rows);
        t.wait_for("No clients yet.");
        t
    }

    /// The interface on this sandbox's database. A new database is asked
    /// about once (protect it with a passphrase?): answered "not now".
    pub fn spawn(&self, cols: u16, rows: u16) -> Term {
        let new = std::fs::metadata(self.db()).map_or(true, |m| m.len() == 0);
        let mut cmd = self.pty_command(BIN);
        cmd.arg("--db");
        cmd.arg(self.db());
        let mut t = Term::spawn(cmd, cols, rows);
        if new {
            t.wait_for("[n]ot now");
            t.type_text("n\r");
        }
        t
    }
}

/// What the reading thread shares with the test.
struct Output {
    parser: Mutex<vt100::Parser>,
    /// Shared with the reading thread, which answers the terminal queries
    /// a real terminal answers (crossterm waits up to 2 s for them).
    /// `None` once the test has hung up.
    writer: Mutex<Option<Box<dyn Write + Send>>>,
    raw: Mutex<Vec<u8>>,
    /// The reading thread has stopped: the child's side closed, or the
    /// test hung up.
    closed: AtomicBool,
    /// Asks the reading thread to stop and let go of the master side.
    stop: AtomicBool,
}

impl Output {
    fn take(&self, bytes: &[u8]) {
        // Raw bytes first: whoever sees the screen change then finds the
        // bytes that made it.
        let mut raw = self.raw.lock().unwrap();
        // A query may straddle two reads: look from a little before.
        let from = raw.len().saturating_sub(DSR.len() - 1);
        raw.extend_from_slice(bytes);
        let queries = raw[from..].windows(DSR.len()).filter(|w| *w == DSR).count();
        drop(raw);
        let mut parser = self.parser.lock().unwrap();
        parser.process(bytes);
        let (row, col) = parser.screen().cursor_position();
        drop(parser);
        for _ in 0..queries {
            if let Some(w) = self.writer.lock().unwrap().as_mut() {
                let _ = write!(w, "\x1b[{};{}R", row + 1, col + 1);
                let _ = w.flush();
            }
        }
    }
}

/// "Where is the cursor?" (device status report 6).
const DSR: &[u8] = b"\x1b[6n";

/// The program running in a pseudo-terminal.
pub struct Term {
    /// `None` once the test has hung up.
    master: Option<Box<dyn MasterPty + Send>>,
    child: Box<dyn Child + Send + Sync>,
    output: Arc<Output>,
    reader: Option<JoinHandle<()>>,
}

impl Term {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open a pty");
        let child = pair.slave.spawn_command(cmd).expect("start needlelog");
        // Only the child holds the terminal side now, so reading the master
        // ends (EIO) once the child and everything it started are gone.
        drop(pair.slave);
        let output = Arc::new(Output {
            parser: Mutex::new(vt100::Parser::new(rows, cols, 0)),
            writer: Mutex::new(Some(pair.master.take_writer().expect("pty writer"))),
            raw: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
            stop: AtomicBool::new(false),
        });
        let fd = pair.master.as_raw_fd().expect("pty master fd");
        // SAFETY: dup of an open descriptor; the File owns (closes) the copy.
        let from_child = unsafe { File::from_raw_fd(libc::dup(fd)) };
        let shared = Arc::clone(&output);
        let reader = thread::spawn(move || read_until_closed(from_child, &shared));
        Self {
            master: Some(pair.master),
            child,
            output,
            reader: Some(reader),
        }
    }

    pub fn pid(&self) -> libc::pid_t {
        self.child.process_id().expect("child pid") as libc::pid_t
    }

    /// Sends `signal` to the program.
    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill only sends a signal to our own child.
        assert_eq!(unsafe { libc::kill(self.pid(), signal) }, 0, "kill");
    }

    /// Sends bytes as typed, then pauses a moment.
    pub fn press(&mut self, bytes: &[u8]) {
        let mut w = self.output.writer.lock().unwrap();
        let w = w.as_mut().expect("the terminal was hung up");
        w.write_all(bytes).expect("write to the pty");
        w.flush().expect("flush the pty");
        thread::sleep(KEY_GAP);
    }

    pub fn type_text(&mut self, text: &str) {
        self.press(text.as_bytes());
    }

    /// The screen as text, rows separated by newlines.
    pub fn screen(&self) -> String {
        self.output.parser.lock().unwrap().screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.output.raw.lock().unwrap().clone()
    }

    /// Reads the parser's view of the terminal's modes.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.output.parser.lock().unwrap().screen())
    }

    /// Waits until `ready` holds for the screen; returns that screen.
    pub fn wait_until(&mut self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                let status = match self.child.try_wait() {
                    Ok(Some(s)) => format!("exited: {s}"),
                    Ok(None) => "still running".to_string(),
                    Err(e) => format!("unknown: {e}"),
                };
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {what}; the program is {status}; \
                     the screen:\n{}",
                    framed(&screen)
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Waits for `text` to be on the screen.
    pub fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on the screen"), |s| s.contains(text))
    }

    /// Waits for `text` to be gone from the screen.
    pub fn wait_gone(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), |s| {
            !s.contains(text)
        })
    }

    /// Presses a key and waits for the screen to show `text`.
    pub fn key_then(&mut self, bytes: &[u8], text: &str) -> String {
        self.press(bytes);
        self.wait_for(text)
    }

    /// Tabs to the form field labelled `label`, waiting for each move.
    pub fn focus(&mut self, label: &str) {
        let focused = |screen: &str| {
            screen
                .lines()
                .find(|l| l.contains('▸'))
                .map(|l| l.trim().to_string())
        };
        let want = format!("▸ {label}");
        for _ in 0..40 {
            let screen = self.screen();
            if row_with(&screen, &want).is_some() {
                return;
            }
            let before = focused(&screen);
            self.press(TAB);
            self.wait_until("the focus to move", |s| focused(s) != before);
        }
        panic!("no field {label}:\n{}", framed(&self.screen()));
    }

    /// Focuses `label`, clears it with Ctrl-U and types `text`.
    pub fn fill(&mut self, label: &str, text: &str) {
        self.focus(label);
        self.press(CTRL_U);
        let want = format!("▸ {label}");
        self.wait_until("the field cleared", |s| {
            row_with(s, &want).is_some_and(|r| !r.contains(text))
        });
        self.type_text(text);
        self.wait_until(&format!("{text:?} typed into {label}"), |s| {
            row_with(s, &want).is_some_and(|r| r.contains(text))
        });
    }

    /// Opens the add-client form (`a`) and types `name` into it.
    pub fn type_new_client(&mut self, name: &str) {
        self.key_then(b"a", "Add client");
        self.type_text(name);
        self.wait_until(&format!("{name:?} typed as the name"), |s| {
            row_with(s, "Name").is_some_and(|r| r.contains(name))
        });
    }

    /// Adds a client with nothing but the name `name` ([`Term::type_new_client`],
    /// Ctrl-S); returns the screen that says so.
    pub fn add_client(&mut self, name: &str) -> String {
        self.type_new_client(name);
        self.press(CTRL_S);
        self.wait_for(&format!("Added {name}"))
    }

    /// Saves the open session form with nothing but its date: Ctrl-S,
    /// which first warns that only the date is recorded, then Ctrl-S
    /// again. Returns the screen that says the session was recorded.
    pub fn save_bare_session(&mut self) -> String {
        self.press(CTRL_S);
        self.wait_for("Only the date is recorded");
        self.press(CTRL_S);
        self.wait_for("Recorded the session of")
    }

    /// Resizes the terminal, as a terminal emulator does when its window
    /// changes: the grid changes size first (content that no longer fits is
    /// lost), then the program is told (SIGWINCH via TIOCSWINSZ).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.output
            .parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.master()
            .resize(size(cols, rows))
            .expect("resize the pty");
    }

    fn master(&self) -> &dyn MasterPty {
        self.master.as_deref().expect("the terminal was hung up")
    }

    /// Closes the terminal, as when its window is closed or an SSH link
    /// drops: every descriptor of the master side is closed, so the kernel
    /// hangs the terminal up (SIGHUP to the program, end of input).
    pub fn hang_up(&mut self) {
        self.output.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        self.output.writer.lock().unwrap().take();
        self.master.take();
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the program to end and for its last output to be read.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for needlelog") {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "needlelog did not exit within {TIMEOUT:?}; the screen:\n{}",
                    framed(&self.screen())
                );
            }
            thread::sleep(POLL);
        };
        while !self.output.closed.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < TIMEOUT * 2,
                "the pty stayed open after needlelog exited"
            );
            thread::sleep(POLL);
        }
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        status
    }

    /// The pseudo-terminal's line discipline settings (shared by both ends,
    /// so they can be read from the master side even after the child left).
    pub fn termios(&self) -> libc::termios {
        let fd = self.master().as_raw_fd().expect("pty master fd");
        // SAFETY: tcgetattr fills a plain C struct from an open descriptor.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(
                libc::tcgetattr(fd, &mut t),
                0,
                "tcgetattr: {}",
                std::io::Error::last_os_error()
            );
            t
        }
    }

    /// Is the line discipline in the mode a shell expects: lines edited by
    /// the terminal (ICANON), typed keys shown (ECHO), Ctrl-C a signal (ISIG)?
    pub fn cooked(&self) -> bool {
        let t = self.termios();
        let want = libc::ICANON | libc::ECHO | libc::ISIG;
        t.c_lflag & want == want
    }

    /// The leave sequences were written, nothing was drawn after them, and the
    /// line discipline is back in the mode a shell expects.
    pub fn assert_left_cleanly(&self) {
        assert_terminal_restored(&self.raw());
        self.with_screen(|s| {
            assert!(!s.alternate_screen(), "still on the alternate screen");
            assert!(!s.hide_cursor(), "the cursor is still hidden");
            assert!(!s.bracketed_paste(), "bracketed paste still on");
            assert_eq!(
                s.mouse_protocol_mode(),
                vt100::MouseProtocolMode::None,
                "mouse reports still on"
            );
            // The shell's screen: a frame drawn after leaving would show here.
            let main = s.contents();
            assert!(
                !main.contains('╭') && !main.contains("needlelog  "),
                "the interface was drawn on the shell's screen:\n{}",
                framed(&main)
            );
        });
        let t = self.termios();
        assert!(
            self.cooked(),
            "the terminal is left in raw mode: c_lflag = {:#o} (want ICANON, ECHO, ISIG)",
            t.c_lflag
        );
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        // A failed test must not leave a program running in a dead pty.
        if self.is_running() {
            // SAFETY: kill only sends a signal to our own child.
            unsafe {
                libc::kill(self.pid(), libc::SIGKILL);
            }
            let _ = self.child.wait();
        }
    }
}

/// The reading thread: output into the parser until the child's side is
/// closed (EIO) or the test asks it to stop. It polls rather than blocks so
/// that it can be stopped: a read blocked on a descriptor keeps it open.
fn read_until_closed(mut from_child: File, shared: &Output) {
    let mut buf = [0u8; 8192];
    while !shared.stop.load(Ordering::SeqCst) {
        let mut pfd = libc::pollfd {
            fd: from_child.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll on one valid pollfd.
        let ready = unsafe { libc::poll(&mut pfd, 1, 50) };
        if ready <= 0 {
            continue;
        }
        match from_child.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => shared.take(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    shared.closed.store(true, Ordering::SeqCst);
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// Runs `check` with each signal that stops the program from outside:
/// SIGTERM (the system shutting down, `kill`) and SIGHUP (the terminal
/// window closed). Says which on the test's output.
pub fn with_each_stop_signal(check: impl Fn(libc::c_int)) {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        println!("signal {signal}");
        check(signal);
    }
}

/// A screen dump that shows where the rows end.
pub fn framed(screen: &str) -> String {
    screen
        .lines()
        .map(|l| format!("|{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first row of the screen that contains `needle`.
pub fn row_with<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Checks that the output left the terminal as it found it: for each DEC
/// private mode the program switched on (`CSI ? n h`), the last switch
/// written is the one that turns it off (`CSI ? n l`). Modes: 1049
/// alternate screen, 25 cursor shown, 2004 bracketed paste, 1000/1002/1003/
/// 1006/1015 mouse reports.
pub fn assert_terminal_restored(raw: &[u8]) {
    let mode = |n: &str, on: bool| format!("\x1b[?{n}{}", if on { 'h' } else { 'l' });
    let tail = |from: usize| String::from_utf8_lossy(&raw[from.min(raw.len())..]).into_owned();
    let entered = rfind(raw, mode("1049", true).as_bytes())
        .expect("the program never entered the alternate screen");
    let left = rfind(raw, mode("1049", false).as_bytes()).unwrap_or_else(|| {
        panic!(
            "the alternate screen was never left (no ESC[?1049l); the output ends with {:?}",
            tail(raw.len().saturating_sub(300))
        )
    });
    assert!(
        left > entered,
        "the alternate screen was entered again after it was left; output after leaving: {:?}",
        tail(left)
    );
    // Turned off modes, the cursor made visible: in any order after the
    // last frame, but after the last time each was switched on.
    for (n, what) in [
        ("25", "cursor shown (ESC[?25h)"),
        ("2004", "bracketed paste off (ESC[?2004l)"),
        ("1000", "mouse reports off (ESC[?1000l)"),
        ("1002", "mouse drag reports off (ESC[?1002l)"),
        ("1003", "mouse motion reports off (ESC[?1003l)"),
        ("1006", "SGR mouse encoding off (ESC[?1006l)"),
        ("1015", "urxvt mouse encoding off (ESC[?1015l)"),
    ] {
        // The cursor is the one mode the program turns *off* while running.
        let (running, restored) = if n == "25" {
            (mode(n, false), mode(n, true))
        } else {
            (mode(n, true), mode(n, false))
        };
        let last_running = rfind(raw, running.as_bytes());
        let last_restored = rfind(raw, restored.as_bytes());
        let ok = match (last_running, last_restored) {
            (None, _) => true,
            (Some(a), Some(b)) => b > a,
            (Some(_), None) => false,
        };
        assert!(
            ok,
            "not restored: {what}; the output ends with {:?}",
            tail(raw.len().saturating_sub(400))
        );
    }
}
