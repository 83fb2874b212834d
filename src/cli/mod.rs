//! The command line: argument definitions and what each command does.

use crate::db::{Action, Store, StoreError};
use crate::demo::{DemoSpec, generate};
use crate::export::write_atomic;
use chrono::{Local, NaiveDate};
use clap::builder::{OsStringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod config;
mod demo;
mod docs;
mod photo;
mod secret;
mod transfer;
mod upkeep;

pub use config::ConfigCommand;
pub use docs::ENVIRONMENT;
pub use photo::{AddArgs as PhotoAddArgs, PhotoCommand};

use demo::demo;
use transfer::{export, import};
pub use upkeep::network_warning;
use upkeep::{backup_cmd, check, erase, restore_cmd};

#[derive(Debug, Parser)]
#[command(
    name = "needlelog",
    version,
    about = "Session log for microneedling practitioners"
)]
pub struct Cli {
    /// Database file [default: the platform data folder, e.g. ~/.local/share/needlelog/needlelog.db]
    // Parsed as an OsString so that an empty value (often an empty
    // NEEDLELOG_DB) reaches `db_path`'s own message instead of clap's
    // "a value is required for '--db'", which blames a flag never typed.
    #[arg(
        long,
        global = true,
        env = "NEEDLELOG_DB",
        value_name = "PATH",
        value_hint = ValueHint::FilePath,
        value_parser = OsStringValueParser::new().map(PathBuf::from)
    )]
    pub db: Option<PathBuf>,

    /// Settings file [default: the platform config folder, e.g. ~/.config/needlelog/config.toml]
    #[arg(
        long,
        global = true,
        env = "NEEDLELOG_CONFIG",
        value_name = "PATH",
        value_hint = ValueHint::FilePath,
        value_parser = OsStringValueParser::new().map(PathBuf::from)
    )]
    pub config: Option<PathBuf>,

    /// A file holding the passphrase of an encrypted database (first line) [env: NEEDLELOG_PASSPHRASE_FILE; or the passphrase itself in NEEDLELOG_PASSPHRASE]
    #[arg(
        long,
        global = true,
        env = "NEEDLELOG_PASSPHRASE_FILE",
        value_name = "PATH",
        hide_env = true,
        value_parser = OsStringValueParser::new().map(PathBuf::from)
    )]
    pub passphrase_file: Option<PathBuf>,

    /// Open the program on a throwaway database filled with demo data; the real database is not touched
    #[arg(long)]
    pub demo: bool,

    /// Do not capture the mouse (keeps the terminal's own text selection)
    #[arg(long, global = true)]
    pub no_mouse: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill a new or empty database with realistic, deterministic demo data
    Demo(DemoArgs),
    /// Check the database's integrity and report what it holds
    Check,
    /// Write a consistent copy of the database (safe while it is in use)
    Backup {
        /// Where to write the copy [default: a dated file in the backups folder beside the database]
        #[arg(value_hint = ValueHint::FilePath)]
        dest: Option<PathBuf>,
    },
    /// Put a backup in place of the database (the database as it was is kept in backups/)
    Restore {
        /// The backup file (from `needlelog backup`, or an automatic pre-migration copy)
        #[arg(value_hint = ValueHint::FilePath)]
        from: PathBuf,
    },
    /// Export session logs (CSV, JSON, Markdown, HTML, iCalendar, XLSX)
    Export(ExportArgs),
    /// Import a JSON export (restore or merge), or a client list (CSV or vCard)
    Import(ImportArgs),
    /// Draw a screen with the real render code into a file (text or SVG), without a terminal
    Render(RenderArgs),
    /// Erase a client and everything recorded about them, for good (right to erasure)
    Erase(EraseArgs),
    /// Photos: attach files to a session, list a client's photos
    #[command(subcommand)]
    Photo(PhotoCommand),
    /// Encrypt the database in place with a passphrase (SQLCipher 4; a plain backup is taken first)
    Encrypt,
    /// Change the passphrase of an encrypted database
    Rekey {
        /// A file holding the new passphrase [env: NEEDLELOG_NEW_PASSPHRASE_FILE; or the passphrase itself in NEEDLELOG_NEW_PASSPHRASE] [default: asked twice on the terminal]
        #[arg(
            long,
            value_name = "PATH",
            env = "NEEDLELOG_NEW_PASSPHRASE_FILE",
            hide_env = true
        )]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Write a plain (unencrypted) copy of an encrypted database to a new file
    Decrypt {
        /// Where to write the plain copy (must not exist)
        dest: PathBuf,
        /// Write it without asking (otherwise "yes" must be typed on the terminal)
        #[arg(long)]
        yes: bool,
    },
    /// The settings file: where it is, what is in effect, check, write, edit
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the Tab-completion script for a shell (see README for where to put it)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder
    Man {
        /// Write needlelog.1, needlelog-export.1, … into this folder instead
        #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    /// The client: full name (any case) or UUID
    #[arg(long, value_name = "NAME|UUID")]
    pub client: String,
    /// Erase without asking (otherwise the client's name must be typed on the terminal)
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    Txt,
    Svg,
    Png,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[arg(long, value_enum)]
    pub screen: crate::screenshot::Screen,
    /// Terminal size, e.g. 120x40
    #[arg(long, default_value = "100x30", value_parser = parse_size)]
    pub size: (u16, u16),
    #[arg(long, value_enum, default_value = "txt")]
    pub format: RenderFormat,
    /// The client to show (name, part of a name, or UUID) [default: the first in the list]
    #[arg(long)]
    pub client: Option<String>,
    /// The moment to render at, "YYYY-MM-DD HH:MM" [default: now]; makes renders reproducible
    #[arg(long, value_parser = parse_now)]
    pub now: Option<chrono::NaiveDateTime>,
    /// Output file; `-` or nothing writes to standard output
    #[arg(short = 'o', long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,
}

fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let bad = || format!("'{s}' is not a size like 100x30 (columns x rows, 1 to 1000 each)");
    let (w, h) = s.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u16 = w.parse().map_err(|_| bad())?;
    let h: u16 = h.parse().map_err(|_| bad())?;
    if (1..=1000).contains(&w) && (1..=1000).contains(&h) {
        Ok((w, h))
    } else {
        Err(bad())
    }
}

fn parse_now(s: &str) -> Result<chrono::NaiveDateTime, String> {
    // Both parts are required here: a render's moment is exact.
    if !s.trim().contains([' ', 'T']) {
        return Err(format!("'{s}' is not a moment like 2026-11-21 10:30"));
    }
    crate::domain::parse_moment(s, chrono::NaiveTime::MIN)
        .map_err(|why| format!("'{s}' is not a moment like 2026-11-21 10:30: {why}"))
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many clients to generate
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub clients: u32,
    /// Seed: the same seed (and day) gives the same data
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The day the data is generated for, YYYY-MM-DD [default: today]
    #[arg(long, value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// Also attach generated illustrative photos to a few clients (`--demo` always does)
    #[arg(long)]
    pub photos: bool,
}

/// The export formats as the command line names them; the export module
/// has its own enum, which knows nothing of clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Spreadsheet: one row per session (RFC 4180, UTF-8, header row)
    Csv,
    /// Full-fidelity, versioned JSON (backup, migration, re-import)
    Json,
    /// Markdown treatment summary per client, for notes and letters
    #[value(alias = "markdown")]
    Md,
    /// The treatment summary as one printable HTML file, with charts
    Html,
    /// iCalendar: the next-due window of every active series (an overdue one as a call on the export day), for rebooking
    #[value(alias = "ical")]
    Ics,
    /// Spreadsheet workbook (sheets Sessions, Series, Clients) with typed cells; needs -o FILE
    Xlsx,
}

impl From<ExportFormat> for crate::export::Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Csv => Self::Csv,
            ExportFormat::Json => Self::Json,
            ExportFormat::Md => Self::Md,
            ExportFormat::Html => Self::Html,
            ExportFormat::Ics => Self::Ics,
            ExportFormat::Xlsx => Self::Xlsx,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Only this client (name, unique part of a name, or UUID)
    #[arg(long, value_name = "NAME|UUID")]
    pub client: Option<String>,
    /// Only this series (its UUID)
    #[arg(long, value_name = "UUID")]
    pub series: Option<String>,
    /// Only sessions on or after this day, YYYY-MM-DD (ics: windows ending on or after it)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only sessions on or before this day, YYYY-MM-DD (ics: windows starting on or before it)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// CSV: start with a byte-order mark so that Excel reads UTF-8
    #[arg(long)]
    pub excel: bool,
    /// HTML: embed the baseline and latest photos of clients with a photo
    /// consent (others are listed as left out)
    #[arg(long)]
    pub photos: bool,
    /// The day due dates are counted from [default: today]
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
    /// Output file; `-` or nothing writes to standard output
    #[arg(short = 'o', long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A JSON export to restore or merge (records are matched by UUID)
    #[arg(
        value_name = "FILE.json",
        value_hint = ValueHint::FilePath,
        required_unless_present = "clients",
        conflicts_with = "clients"
    )]
    pub file: Option<PathBuf>,
    /// A client list: a CSV with a header row (needlelog's columns, or a Google Contacts or Outlook export) or a vCard file (.vcf)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub clients: Option<PathBuf>,
    /// With --clients: leave out unknown columns (listed in the summary) instead of refusing the file
    #[arg(long)]
    pub skip_unknown: bool,
    /// The day future dates are checked against [default: today]
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
}

/// A date as typed on the command line.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::domain::parse_day(s).map_err(|why| {
        if why.starts_with("expected") {
            format!("'{s}' is not a valid date (expected YYYY-MM-DD, e.g. 2026-03-31)")
        } else {
            format!("'{s}' is not a valid date: {why} (YYYY-MM-DD)")
        }
    })
}

/// An error for the person at the keyboard: printed as one line.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Usage(String),
    #[error("writing output: {0}")]
    Output(std::io::Error),
}

pub fn default_db_path() -> Result<PathBuf, CliError> {
    directories::ProjectDirs::from("", "", "needlelog")
        .map(|d| d.data_dir().join("needlelog.db"))
        .ok_or_else(|| {
            CliError::Usage("cannot find a home folder for the database; pass --db PATH".into())
        })
}

fn db_path(cli: &Cli) -> Result<PathBuf, CliError> {
    match &cli.db {
        Some(p) if p.as_os_str().is_empty() => {
            Err(CliError::Usage("--db / NEEDLELOG_DB is empty".into()))
        }
        Some(p) => Ok(p.clone()),
        None => default_db_path(),
    }
}

pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    // An encrypted database's passphrase, before anything opens it (the
    // interface and the passphrase commands ask in their own way).
    let opens_db = !matches!(
        cli.command,
        None | Some(
            Command::Config(_)
                | Command::Completions { .. }
                | Command::Man { .. }
                | Command::Encrypt
                | Command::Rekey { .. }
                | Command::Decrypt { .. }
        )
    );
    if opens_db {
        secret::unlock(&cli, &db_path(&cli)?)?;
    }
    if let Some(Command::Demo(_)) = &cli.command {
        secret::protect_new(&cli, &db_path(&cli)?, false)?;
    }
    if let Some(Command::Restore { from }) = &cli.command {
        secret::unlock_backup(&cli, from)?;
    }
    match &cli.command {
        None => run_tui(&cli),
        Some(Command::Demo(args)) => demo(&db_path(&cli)?, args),
        Some(Command::Check) => check(&db_path(&cli)?),
        Some(Command::Backup { dest }) => backup_cmd(&db_path(&cli)?, dest.as_deref()),
        Some(Command::Restore { from }) => restore_cmd(&db_path(&cli)?, from),
        Some(Command::Export(args)) => export(&db_path(&cli)?, args, &settings(&cli)?),
        Some(Command::Import(args)) => import(&db_path(&cli)?, args),
        Some(Command::Render(args)) => render(&db_path(&cli)?, args, &settings(&cli)?),
        Some(Command::Erase(args)) => erase(&db_path(&cli)?, args),
        Some(Command::Photo(cmd)) => photo::run(&db_path(&cli)?, cmd),
        Some(Command::Config(cmd)) => config::run(cli.config.as_deref(), *cmd),
        Some(Command::Completions { shell }) => docs::completions(*shell),
        Some(Command::Man { dir }) => docs::man(dir.as_deref()),
        Some(Command::Encrypt) => secret::encrypt(&cli, &db_path(&cli)?),
        Some(Command::Rekey {
            new_passphrase_file,
        }) => secret::rekey(&cli, &db_path(&cli)?, new_passphrase_file.as_deref()),
        Some(Command::Decrypt { dest, yes }) => secret::decrypt(&cli, &db_path(&cli)?, dest, *yes),
    }
}

/// The settings for a command that uses them; a bad file is one line and exit 1.
fn settings(cli: &Cli) -> Result<crate::config::Loaded, CliError> {
    config::settings(cli.config.as_deref())
}

fn run_tui(cli: &Cli) -> Result<ExitCode, CliError> {
    // Read first: a bad settings file stops the program before the terminal changes.
    let loaded = settings(cli)?;
    // The demo lives in a folder that is deleted on exit; the real
    // database is never opened.
    let demo_dir;
    let (store, label) = if cli.demo {
        demo_dir = tempfile::Builder::new()
            .prefix("needlelog-demo-")
            .tempdir()
            .map_err(|e| CliError::Usage(format!("cannot make a folder for the demo: {e}")))?;
        let path = demo_dir.path().join("demo.db");
        let mut store = Store::open(&path)?;
        let spec = DemoSpec {
            clients: 60,
            seed: 1,
            today: Local::now().date_naive(),
        };
        store.insert_trees(&generate(spec), Action::Demo, "demo data for --demo")?;
        crate::demo::add_photos(&mut store, spec.seed)?;
        (store, "demo data (thrown away on exit)".to_string())
    } else {
        let path = db_path(cli)?;
        secret::protect_new(cli, &path, true)?;
        secret::unlock_interface(cli, &path)?;
        // The first screen shows at once; the integrity check runs behind
        // it and nothing is saved before it has passed.
        let store = Store::open_deferred(&path)?;
        (store, path.display().to_string())
    };
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "the interface needs a terminal; for files use `needlelog export` or `needlelog render`".into(),
        ));
    }
    let warn_path = store.path().to_path_buf();
    crate::tui::run(
        store,
        crate::tui::Options {
            mouse: !cli.no_mouse,
            warning: crate::db::files::network_filesystem(&warn_path)
                .map(|fs| network_warning(&warn_path, &fs)),
            db_label: label,
            demo: cli.demo,
            config_label: loaded.source_text(),
            settings: loaded.settings,
        },
    )
    .map_err(|e| CliError::Usage(format!("terminal error: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

fn render(
    path: &Path,
    args: &RenderArgs,
    loaded: &crate::config::Loaded,
) -> Result<ExitCode, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    // Drawing only reads: like the interface's first frame, it does not
    // wait for the whole-file integrity check (`needlelog check` runs it).
    let mut store = Store::open_for_drawing(path)?;
    let now = args.now.unwrap_or_else(|| Local::now().naive_local());
    // The settings first: forms opened on the way take their defaults.
    let state = crate::screenshot::base_state(&store, args.size, now, !crate::tui::no_color())
        .with_settings(loaded.settings.clone(), loaded.source_text());
    let state =
        crate::screenshot::open_screen(state, &mut store, args.screen, args.client.as_deref())?;
    let buf = crate::screenshot::draw(&state);
    // Pictures are drawn on the background the palette is made for.
    let svg = || crate::screenshot::to_svg_on(&buf, state.palette.base());
    let bytes = match args.format {
        RenderFormat::Txt => crate::screenshot::to_text(&buf).into_bytes(),
        RenderFormat::Svg => svg().into_bytes(),
        RenderFormat::Png => crate::screenshot::to_png(&svg(), 1.0).map_err(CliError::Usage)?,
    };
    output(args.output.as_deref(), &bytes)
}

/// Writes to `-o FILE` atomically, or to standard output.
fn output(to: Option<&Path>, bytes: &[u8]) -> Result<ExitCode, CliError> {
    match to {
        None => write_stdout(bytes),
        Some(p) if p == Path::new("-") => write_stdout(bytes),
        Some(p) => {
            write_atomic(p, bytes)?;
            eprintln!("wrote {}", p.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Streams to standard output through a buffer: `fill` writes to the
/// writer it is given and turns a failed write into its own error with the
/// function it is given; that failure is then reported as the output's,
/// and a closed pipe (`| head`) as no failure at all.
fn stream_stdout(
    fill: impl FnOnce(&mut dyn Write, &dyn Fn(std::io::Error) -> StoreError) -> Result<(), StoreError>,
) -> Result<ExitCode, CliError> {
    let failed = std::cell::RefCell::new(None);
    let on_io = |e: std::io::Error| {
        let text = e.to_string();
        *failed.borrow_mut() = Some(e);
        StoreError::Other(text)
    };
    let mut out =
        std::io::BufWriter::with_capacity(crate::export::STREAM_BUFFER, std::io::stdout().lock());
    let written = fill(&mut out, &on_io).and_then(|()| out.flush().map_err(on_io));
    match (written, failed.into_inner()) {
        (Ok(()), _) => Ok(ExitCode::SUCCESS),
        (Err(_), Some(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        (Err(_), Some(e)) => Err(CliError::Output(e)),
        (Err(e), None) => Err(CliError::Store(e)),
    }
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode, CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(CliError::Output(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every export format is reachable from the command line under its
    /// file extension's name, and no two names lead to the same format.
    #[test]
    fn command_line_formats_cover_the_export_formats() {
        let mut reached = Vec::new();
        for v in ExportFormat::value_variants() {
            let name = v.to_possible_value().map(|p| p.get_name().to_string());
            let format = crate::export::Format::from(*v);
            assert_eq!(name.as_deref(), Some(format.extension()));
            assert!(!reached.contains(&format), "{format:?} twice");
            reached.push(format);
        }
        assert_eq!(reached, crate::export::Format::ALL);
    }
}
