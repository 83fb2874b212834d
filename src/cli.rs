//! The command line: argument definitions and what each command does.

use crate::db::{Clock, Store, StoreError, backup};
use crate::demo::{DemoSpec, generate};
use crate::export::{json, write_atomic};
use chrono::{Local, NaiveDate};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "needlelog",
    version,
    about = "Session log for microneedling practitioners"
)]
pub struct Cli {
    /// Database file [default: the platform data folder, e.g. ~/.local/share/needlelog/needlelog.db]
    #[arg(long, global = true, env = "NEEDLELOG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Open the program on a throwaway database filled with demo data; the real database is not touched
    #[arg(long)]
    pub demo: bool,

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
        dest: Option<PathBuf>,
    },
    /// Export session logs
    Export(ExportArgs),
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Full-fidelity, versioned JSON (backup, migration, re-import)
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: Format,
    /// Output file; `-` or nothing writes to standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// A date as typed on the command line.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a valid date (expected YYYY-MM-DD, e.g. 2026-03-31)"))
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
    match &cli.command {
        None => run_tui(&cli),
        Some(Command::Demo(args)) => demo(&db_path(&cli)?, args),
        Some(Command::Check) => check(&db_path(&cli)?),
        Some(Command::Backup { dest }) => backup_cmd(&db_path(&cli)?, dest.as_deref()),
        Some(Command::Export(args)) => export(&db_path(&cli)?, args),
    }
}

fn run_tui(cli: &Cli) -> Result<ExitCode, CliError> {
    let path = if cli.demo { None } else { Some(db_path(cli)?) };
    let store = match &path {
        Some(p) => Store::open(p)?,
        None => return Err(CliError::Usage(
            "the terminal interface is not built yet; try `needlelog demo` and `needlelog export`"
                .into(),
        )),
    };
    let counts = store.counts()?;
    println!(
        "{}: {} clients, {} sessions. The terminal interface is not built yet.",
        store.path().display(),
        counts.clients,
        counts.sessions
    );
    Ok(ExitCode::SUCCESS)
}

fn demo(path: &Path, args: &DemoArgs) -> Result<ExitCode, CliError> {
    let mut store = Store::open(path)?;
    let counts = store.counts()?;
    if counts.clients + counts.archived > 0 {
        return Err(CliError::Usage(format!(
            "{} already holds {} clients; demo data goes only into a new or empty database",
            path.display(),
            counts.clients + counts.archived
        )));
    }
    let spec = DemoSpec {
        clients: args.clients as usize,
        seed: args.seed,
        today: args.today.unwrap_or_else(|| Local::now().date_naive()),
    };
    let trees = generate(spec);
    store.set_clock(Clock::Fixed(crate::demo::generated_at(spec.today)));
    store.insert_trees(
        &trees,
        "demo",
        &format!("demo data: {} clients, seed {}", spec.clients, spec.seed),
    )?;
    let c = store.counts()?;
    println!(
        "{}: {} clients ({} archived), {} series, {} sessions",
        path.display(),
        c.clients + c.archived,
        c.archived,
        c.series,
        c.sessions
    );
    Ok(ExitCode::SUCCESS)
}

fn check(path: &Path) -> Result<ExitCode, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    let store = Store::open(path)?;
    let r = store.check()?;
    let c = r.counts;
    if r.is_ok() {
        println!(
            "ok: {} (schema v{}): {} clients ({} archived), {} series, {} sessions, {} audit entries",
            path.display(),
            r.schema_version,
            c.clients + c.archived,
            c.archived,
            c.series,
            c.sessions,
            c.audit
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for p in r.integrity.iter().chain(&r.foreign_keys) {
            println!("problem: {p}");
        }
        eprintln!(
            "needlelog: {}: {} problem(s) found; restore from a backup",
            path.display(),
            r.integrity.len() + r.foreign_keys.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

fn backup_cmd(path: &Path, dest: Option<&Path>) -> Result<ExitCode, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    let store = Store::open(path)?;
    let dest = dest.map_or_else(|| backup::default_destination(path), Path::to_path_buf);
    store.backup_to(&dest)?;
    println!("{}", dest.display());
    Ok(ExitCode::SUCCESS)
}

fn export(path: &Path, args: &ExportArgs) -> Result<ExitCode, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    let store = Store::open(path)?;
    let text = match args.format {
        Format::Json => {
            let doc = json::document(store.all_trees()?, store.clock().now());
            json::to_string(&doc).map_err(|e| CliError::Usage(format!("export failed: {e}")))?
        }
    };
    match args.output.as_deref() {
        None => write_stdout(text.as_bytes()),
        Some(p) if p == Path::new("-") => write_stdout(text.as_bytes()),
        Some(p) => {
            write_atomic(p, text.as_bytes())?;
            eprintln!("wrote {}", p.display());
            Ok(ExitCode::SUCCESS)
        }
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
