//! What a panic (a bug) leaves behind: the terminal as the shell had it,
//! the details in a private file in the data folder, and one line on the
//! terminal saying where. The program installs this at start; the crash
//! test installs the same hook in a process of its own.

use std::io::{self, IsTerminal, Write};
use std::panic::PanicHookInfo;
use std::path::{Path, PathBuf};

/// On a panic: the details go to a private file in the data folder and the
/// terminal gets one line saying where. Install it before the interface
/// starts: the interface's hook (`ratatui::try_init` wraps whatever hook is
/// installed when it runs, which is this one) restores the terminal before
/// this runs. If the report cannot be written, the hook that was installed
/// before this one (e.g. color-eyre's) reports the panic instead.
pub fn install_report_hook() {
    let fallback = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal_modes();
        match write_crash_report(info) {
            Ok(path) => eprintln!("needlelog crashed: report written to {}", path.display()),
            Err(e) => {
                eprintln!("needlelog crashed, and the crash report could not be written ({e}):");
                fallback(info);
            }
        }
    }));
}

/// What ratatui's restore leaves on: mouse reports, bracketed paste, the
/// hidden cursor. Switching them off is harmless where they were never on.
fn restore_terminal_modes() {
    use ratatui::crossterm::{cursor, event, execute};
    let mut out = io::stdout();
    if out.is_terminal() {
        let _ = execute!(
            out,
            event::DisableMouseCapture,
            event::DisableBracketedPaste,
            cursor::Show
        );
    }
}

/// The data folder (where the default database lives), else the
/// temporary folder.
fn crash_dir() -> PathBuf {
    crate::cli::default_db_path()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
}

fn write_crash_report(info: &PanicHookInfo<'_>) -> io::Result<PathBuf> {
    let dir = crash_dir();
    crate::db::files::create_private_dirs(&dir).map_err(io::Error::other)?;
    let now = chrono::Local::now();
    let stamp = now.format("%Y%m%dT%H%M%S");
    // Mode 0600 from the start: the message may quote a client's record.
    let (path, mut file) = (1..=99)
        .find_map(|n| {
            let name = match n {
                1 => format!("crash-{stamp}.txt"),
                n => format!("crash-{stamp}-{n}.txt"),
            };
            let path = dir.join(name);
            crate::db::create_private_file(&path)
                .ok()
                .map(|f| (path, f))
        })
        .ok_or_else(|| io::Error::other(format!("no free file name in {}", dir.display())))?;
    let message = shown_message(
        info.payload_as_str().unwrap_or("(no message)"),
        crate::db::cipher::in_use(),
    );
    let location = info
        .location()
        .map_or_else(|| "unknown".to_string(), ToString::to_string);
    let thread = std::thread::current();
    writeln!(
        file,
        "needlelog {} crashed\n\
         time:     {}\n\
         platform: {} {}\n\
         thread:   {}\n\
         message:  {message}\n\
         location: {location}\n\n\
         backtrace:\n{}",
        env!("CARGO_PKG_VERSION"),
        now.to_rfc3339(),
        std::env::consts::OS,
        std::env::consts::ARCH,
        thread.name().unwrap_or("unnamed"),
        std::backtrace::Backtrace::force_capture()
    )?;
    file.sync_all()?;
    Ok(path)
}

/// The panic's message as the report shows it: left out when an encrypted
/// database is in use, since a message may quote a record and the report
/// is a plain file.
fn shown_message(message: &str, encrypted: bool) -> &str {
    if encrypted {
        "(left out: an encrypted database is open, and the message may quote a record)"
    } else {
        message
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_encrypted_database_keeps_the_message_out_of_the_report() {
        let quoted = "no series for client Ana Souza";
        assert_eq!(super::shown_message(quoted, false), quoted);
        assert!(!super::shown_message(quoted, true).contains("Ana"));
    }
}
