//! `needlelog config path|show|check|init|edit`, and reading the settings
//! for the commands that use them.

use super::{CliError, write_stdout};
use crate::config::{self, ConfigError, Loaded};
use clap::Subcommand;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum ConfigCommand {
    /// Print where the settings file is read from
    Path,
    /// Print the settings in effect as TOML, each value marked as from the file or built-in
    Show,
    /// Check the settings file; errors name the line and column
    Check,
    /// Write a settings file holding every default, with comments (never overwrites)
    Init,
    /// Open the settings file in $VISUAL or $EDITOR, then check it
    Edit,
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError::Usage(e.to_string())
    }
}

/// The settings for a command that uses them: a bad file stops it.
pub(super) fn settings(named: Option<&Path>) -> Result<Loaded, CliError> {
    Ok(config::load(named)?)
}

pub(super) fn run(named: Option<&Path>, cmd: ConfigCommand) -> Result<ExitCode, CliError> {
    let (path, _) = config::locate(named)?;
    match cmd {
        ConfigCommand::Path => {
            let note = if path.exists() {
                ""
            } else {
                "  (no file: built-in defaults)"
            };
            write_stdout(format!("{}{note}\n", path.display()).as_bytes())
        }
        ConfigCommand::Show => write_stdout(config::show_text(&settings(named)?).as_bytes()),
        ConfigCommand::Check => {
            let loaded = settings(named)?;
            match loaded.source {
                Some(config::Source::File(p)) => eprintln!("{}: settings are valid", p.display()),
                _ => eprintln!(
                    "no settings file at {}: the built-in defaults are in effect",
                    path.display()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        ConfigCommand::Init => init(&path),
        ConfigCommand::Edit => edit(&path),
    }
}

fn init(path: &Path) -> Result<ExitCode, CliError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::Usage(format!("cannot make the folder {}: {e}", dir.display()))
        })?;
    }
    // create_new: an existing file is never replaced, even by a race.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError::Usage(format!(
                "{} already exists; not overwritten (`needlelog config edit` opens it)",
                path.display()
            )));
        }
        Err(e) => {
            return Err(CliError::Usage(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
    };
    use std::io::Write;
    file.write_all(config::init_text().as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
    eprintln!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn edit(path: &Path) -> Result<ExitCode, CliError> {
    let editor = ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .ok_or_else(|| {
            CliError::Usage(format!("set $VISUAL or $EDITOR to edit {}", path.display()))
        })?;
    if !path.exists() {
        init(path)?;
    }
    // The editor may carry arguments ("code --wait"): split on spaces.
    let editor = editor.to_string_lossy().into_owned();
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .map_err(|e| CliError::Usage(format!("cannot start the editor '{program}': {e}")))?;
    if !status.success() {
        return Err(CliError::Usage(format!(
            "the editor '{program}' failed ({status}); {} is as the editor left it",
            path.display()
        )));
    }
    let loaded = config::load(Some(path))?;
    eprintln!("{}: settings are valid", loaded.source_text());
    Ok(ExitCode::SUCCESS)
}
