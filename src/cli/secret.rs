//! Where a command gets a database's passphrase, and the commands that
//! encrypt, rekey and decrypt.
//!
//! In order: `--passphrase-file PATH`, `NEEDLELOG_PASSPHRASE_FILE`,
//! `NEEDLELOG_PASSPHRASE`, else a prompt on the terminal (typed without
//! echo). Never an argument on the command line: other users see those.

use super::{Cli, CliError};
use crate::db::Store;
use crate::db::cipher::{self, Kind, Passphrase};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use zeroize::Zeroizing;

/// One source of a passphrase for scripts: a file, or an environment
/// variable holding it.
struct Source<'a> {
    file: Option<&'a Path>,
    file_var: &'static str,
    text_var: &'static str,
}

const CURRENT: (&str, &str) = ("NEEDLELOG_PASSPHRASE_FILE", "NEEDLELOG_PASSPHRASE");
const NEW: (&str, &str) = ("NEEDLELOG_NEW_PASSPHRASE_FILE", "NEEDLELOG_NEW_PASSPHRASE");

fn bad(msg: String) -> CliError {
    CliError::Usage(msg)
}

fn read_file(path: &Path) -> Result<Passphrase, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        bad(format!(
            "reading the passphrase file {}: {e}",
            path.display()
        ))
    })?;
    Passphrase::from_line(Zeroizing::new(text))
        .map_err(|why| bad(format!("{}: {why}", path.display())))
}

impl Source<'_> {
    /// The passphrase from a file or the environment, if one is given.
    fn scripted(&self) -> Result<Option<Passphrase>, CliError> {
        if let Some(p) = self.file {
            return read_file(p).map(Some);
        }
        if let Some(p) = std::env::var_os(self.file_var).filter(|v| !v.is_empty()) {
            return read_file(Path::new(&p)).map(Some);
        }
        match std::env::var(self.text_var) {
            Ok(text) if !text.is_empty() => Passphrase::new(Zeroizing::new(text))
                .map(Some)
                .map_err(|why| bad(format!("{}: {why}", self.text_var))),
            _ => Ok(None),
        }
    }

    fn names(&self, flag: &str) -> String {
        format!("{flag}, {} or {}", self.file_var, self.text_var)
    }
}

/// Asks on the terminal without echo; refuses when standard input is no
/// terminal (a script must give a source, not hang).
fn prompt(question: &str, sources: &str) -> Result<Passphrase, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(bad(format!(
            "a passphrase is needed and standard input is not a terminal; give it with {sources}; nothing was changed"
        )));
    }
    let typed = read_hidden(question).map_err(|e| bad(format!("reading the passphrase: {e}")))?;
    Passphrase::new(Zeroizing::new(typed)).map_err(bad)
}

/// A new passphrase typed twice.
fn prompt_new(sources: &str) -> Result<Passphrase, CliError> {
    let first = prompt("New passphrase: ", sources)?;
    let again = prompt("The same again: ", sources)?;
    if first != again {
        return Err(bad("the two passphrases differ; nothing was changed".into()));
    }
    Ok(first)
}

fn current(cli: &Cli) -> Source<'_> {
    Source {
        file: cli.passphrase_file.as_deref(),
        file_var: CURRENT.0,
        text_var: CURRENT.1,
    }
}

/// When the database at `path` is encrypted, gets its passphrase and hands
/// it to the store. A plain or new file asks for nothing.
pub(super) fn unlock(cli: &Cli, path: &Path) -> Result<(), CliError> {
    unlock_file(cli, path, "Passphrase: ")
}

fn unlock_file(cli: &Cli, path: &Path, question: &str) -> Result<(), CliError> {
    let kind = cipher::kind(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    if kind != Kind::Encrypted {
        return Ok(());
    }
    let source = current(cli);
    let key = match source.scripted()? {
        Some(k) => k,
        None => {
            prompt(question, &source.names("--passphrase-file")).map_err(|e| naming(path, e))?
        }
    };
    cipher::remember(path, key);
    Ok(())
}

/// `needlelog encrypt`.
pub(super) fn encrypt(cli: &Cli, path: &Path) -> Result<ExitCode, CliError> {
    no_database_check(path)?;
    if cipher::kind(path).map_err(|e| bad(format!("{}: {e}", path.display())))? == Kind::Encrypted {
        return finish_encrypt(cli, path);
    }
    let source = current(cli);
    let new = match source.scripted()? {
        Some(k) => k,
        None => prompt_new(&source.names("--passphrase-file"))?,
    };
    let store = Store::open(path)?;
    let done = store.encrypt_in_place(&new)?;
    println!(
        "encrypted {} ({} rows, {} photo files sealed); the plain copy taken first is {}",
        path.display(),
        done.rows,
        done.photos.sealed,
        done.backup.display()
    );
    eprintln!(
        "needlelog: note: the files in {} (and their photo folders) are not encrypted and hold \
         readable records; delete those that must not be kept in the clear",
        crate::db::backup::backup_dir(path).display()
    );
    Ok(not_sealed(&done.photos.unreadable))
}

/// `encrypt` on a database that is already encrypted: when plain photo
/// files, two files of one photo, or temporary files are in its folder
/// (an `encrypt` or `rekey` that stopped after the database was changed),
/// the passphrase is asked for and the job is finished; otherwise it is
/// refused.
fn finish_encrypt(cli: &Cli, path: &Path) -> Result<ExitCode, CliError> {
    let already = || {
        format!(
            "{}: the database is already encrypted; `needlelog rekey` changes its passphrase",
            path.display()
        )
    };
    let plain_left = |listed: &[(String, std::path::PathBuf)]| {
        listed
            .iter()
            .filter(|(_, p)| p.extension().is_some_and(|e| e != "sealed"))
            .count()
    };
    let photos = crate::photo::PhotoStore::for_db(path);
    let listed = photos.list_files().unwrap_or_default();
    // Two files of one photo: one of them is left from a stopped run; so
    // is a temporary file.
    let twice = listed.windows(2).any(|w| w[0].0 == w[1].0);
    if plain_left(&listed) == 0 && !twice && photos.temporaries().is_empty() {
        return Err(bad(already()));
    }
    unlock(cli, path)?;
    let mut store = Store::open(path)?;
    let done = store.finish_encrypt()?;
    if done.sealed == 0 && done.removed == 0 && done.unreadable.is_empty() {
        return Err(bad(format!(
            "{}; every photo is sealed already (the other files in {} are named by no photo: \
             `needlelog check` lists them)",
            already(),
            photos.dir.display()
        )));
    }
    println!(
        "finished encrypting {}: {} photo files sealed, {} files the photos no longer need removed",
        path.display(),
        done.sealed,
        done.removed
    );
    Ok(not_sealed(&done.unreadable))
}

/// The photo files `encrypt` or `rekey` could not read, one problem line
/// each on standard error; the exit status says whether there were any.
fn not_sealed(unreadable: &[String]) -> ExitCode {
    if unreadable.is_empty() {
        return ExitCode::SUCCESS;
    }
    for line in unreadable {
        eprintln!("needlelog: problem: {line}");
    }
    eprintln!(
        "needlelog: {} photo file(s) are missing or damaged and were not given new keys (their \
         rows are as they were); `needlelog check` lists them, and a backup may hold them",
        unreadable.len()
    );
    ExitCode::FAILURE
}

/// `needlelog rekey`.
pub(super) fn rekey(cli: &Cli, path: &Path, new_file: Option<&Path>) -> Result<ExitCode, CliError> {
    no_database_check(path)?;
    if cipher::kind(path).map_err(|e| bad(format!("{}: {e}", path.display())))? != Kind::Encrypted {
        return Err(bad(format!(
            "{}: the database is not encrypted; `needlelog encrypt` encrypts it",
            path.display()
        )));
    }
    unlock_file(cli, path, "Current passphrase: ")?;
    let store = Store::open(path)?;
    let source = Source {
        file: new_file,
        file_var: NEW.0,
        text_var: NEW.1,
    };
    let new = match source.scripted()? {
        Some(k) => k,
        None => prompt_new(&source.names("--new-passphrase-file"))?,
    };
    let photos = store.rekey(&new)?;
    println!(
        "changed the passphrase of {} ({} photo files given new keys)",
        path.display(),
        photos.sealed
    );
    Ok(not_sealed(&photos.unreadable))
}

/// `needlelog decrypt DEST`.
pub(super) fn decrypt(
    cli: &Cli,
    path: &Path,
    dest: &Path,
    yes: bool,
) -> Result<ExitCode, CliError> {
    no_database_check(path)?;
    if !yes && !std::io::stdin().is_terminal() {
        return Err(bad(
            "decrypt asks for a confirmation on the terminal, and standard input is not one; \
             add --yes to write the plain copy without asking; nothing was written"
                .into(),
        ));
    }
    unlock(cli, path)?;
    let mut store = Store::open(path)?;
    if !yes {
        eprint!(
            "This writes every record of {} UNENCRYPTED to {}: anyone who can read that file \
             reads them. Type yes to go on: ",
            path.display(),
            dest.display()
        );
        let mut typed = String::new();
        std::io::stdin()
            .read_line(&mut typed)
            .map_err(|e| bad(format!("reading the confirmation: {e}")))?;
        if typed.trim() != "yes" {
            return Err(bad("not confirmed; nothing was written".into()));
        }
    }
    let (rows, photos) = store.decrypt_to(dest)?;
    println!(
        "wrote a plain (unencrypted) copy of {} to {} ({rows} rows; {photos} photo files in {})",
        path.display(),
        dest.display(),
        crate::photo::photo_dir(dest).display()
    );
    Ok(ExitCode::SUCCESS)
}

fn no_database_check(path: &Path) -> Result<(), CliError> {
    if path.exists() {
        Ok(())
    } else {
        Err(bad(format!("{}: no database there", path.display())))
    }
}

/// `restore`: the backup's own passphrase when it is encrypted.
pub(super) fn unlock_backup(cli: &Cli, from: &Path) -> Result<(), CliError> {
    unlock_file(cli, from, "Passphrase of the backup: ")
}

/// The interface: an encrypted database's passphrase from a script's
/// source, or typed (masked) on its own screen, three tries, before
/// anything of the database is read.
pub(super) fn unlock_interface(cli: &Cli, path: &Path) -> Result<(), CliError> {
    let kind = cipher::kind(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    if kind != Kind::Encrypted {
        return Ok(());
    }
    let source = current(cli);
    if let Some(key) = source.scripted()? {
        cipher::verify(path, &key)?;
        cipher::remember(path, key);
        return Ok(());
    }
    let sources = source.names("--passphrase-file");
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(naming(
            path,
            bad(format!(
                "a passphrase is needed and this is not a terminal; give it with {sources}; nothing was changed"
            )),
        ));
    }
    use crate::tui::{Check, Unlocked};
    let ended = crate::tui::unlock(&path.display().to_string(), TRIES, |typed| {
        let key = match Passphrase::new(Zeroizing::new(typed.to_owned())) {
            Ok(key) => key,
            Err(why) => return Check::Refused(why),
        };
        match cipher::verify(path, &key) {
            Ok(()) => Check::Opens(key),
            Err(crate::db::StoreError::WrongPassphrase { .. }) => Check::Wrong,
            Err(e) => Check::Failed(e.to_string()),
        }
    })
    .map_err(|e| bad(format!("the passphrase screen: {e}")))?;
    match ended {
        Unlocked::Opened(key) => {
            cipher::remember(path, key);
            Ok(())
        }
        Unlocked::Wrong => Err(crate::db::StoreError::WrongPassphrase {
            path: path.to_path_buf(),
        }
        .into()),
        Unlocked::Quit => Err(bad(format!(
            "{}: no passphrase given; nothing was opened",
            path.display()
        ))),
        Unlocked::Failed(why) => Err(bad(why)),
    }
}

/// Tries before the interface gives up.
const TRIES: u32 = 3;

/// The file a passphrase was wanted for, in front of why none was had.
fn naming(path: &Path, e: CliError) -> CliError {
    bad(format!(
        "{}: encrypted, or not a database at all: {e}",
        path.display()
    ))
}

/// A database about to be created (missing or empty) by the interface or
/// `demo`: with a passphrase source given it is created encrypted. The
/// interface, on a terminal and with no source, asks once whether to
/// protect it; "not now" creates it plain, and a plain file is never asked
/// about again.
pub(super) fn protect_new(cli: &Cli, path: &Path, ask: bool) -> Result<(), CliError> {
    let kind = cipher::kind(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    if kind != Kind::New {
        return Ok(());
    }
    let source = current(cli);
    if let Some(key) = source.scripted()? {
        cipher::remember(path, key);
        return Ok(());
    }
    if !ask || !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Ok(());
    }
    eprint!(
        "{} does not exist yet; needlelog will create it.\n\
         Protect it with a passphrase (recommended: a copied or stolen file then reads as noise)?\n\
         [Y]es / [n]ot now: ",
        path.display()
    );
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| bad(format!("reading the answer: {e}")))?;
    let answer = answer.trim().to_lowercase();
    if answer.starts_with('n') {
        return Ok(());
    }
    let key = prompt_new(&source.names("--passphrase-file"))?;
    cipher::remember(path, key);
    Ok(())
}

/// Asks `question` on the terminal and reads one line without echo. The
/// echo is off before the question shows, so nothing typed ahead of it is
/// shown either; it is put back however the reading ends.
#[cfg(unix)]
fn read_hidden(question: &str) -> std::io::Result<String> {
    use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
    use std::io::{BufRead, Write};
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")?;
    let was = tcgetattr(&tty)?;
    let mut quiet = was.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    quiet.local_modes.insert(LocalModes::ECHONL);
    tcsetattr(&tty, OptionalActions::Now, &quiet)?;
    let read = (|| -> std::io::Result<Zeroizing<String>> {
        let mut out = &tty;
        out.write_all(question.as_bytes())?;
        out.flush()?;
        let mut line = Zeroizing::new(String::new());
        std::io::BufReader::new(&tty).read_line(&mut line)?;
        Ok(line)
    })();
    let restored = tcsetattr(&tty, OptionalActions::Now, &was);
    let mut line = read?;
    restored?;
    while line.ends_with(['\n', '\r']) {
        line.pop();
    }
    Ok(std::mem::take(&mut *line))
}

#[cfg(not(unix))]
fn read_hidden(question: &str) -> std::io::Result<String> {
    rpassword::prompt_password(question)
}
