//! `needlelog completions` and `needlelog man`: the shell's Tab completion
//! and the manual page, both generated from the same argument definitions
//! as `--help`, so they never disagree with the program.

use super::{Cli, CliError, write_stdout};
use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};
use std::path::Path;
use std::process::ExitCode;

/// The environment variables the program reads, as the manual lists them.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("NEEDLELOG_DB", "The database file, as --db."),
    ("NEEDLELOG_CONFIG", "The settings file, as --config."),
    (
        "NEEDLELOG_PASSPHRASE_FILE",
        "A file whose first line is the passphrase of an encrypted database, as --passphrase-file.",
    ),
    (
        "NEEDLELOG_PASSPHRASE",
        "The passphrase itself, for scripts; any process of the same user can read it.",
    ),
    (
        "NEEDLELOG_NEW_PASSPHRASE_FILE",
        "For rekey: a file holding the new passphrase, as --new-passphrase-file.",
    ),
    (
        "NEEDLELOG_NEW_PASSPHRASE",
        "For rekey: the new passphrase itself.",
    ),
    (
        "NEEDLELOG_PHOTO_PROTOCOL",
        "How photos are drawn: halfblocks (any terminal), kitty, sixel or iterm2. Unset, the terminal is asked.",
    ),
    (
        "NEEDLELOG_VIEWER",
        "The program that opens a photo (given a private temporary copy as its one argument); \
         by default xdg-open, open on macOS, start on Windows.",
    ),
];

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode, CliError> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    // Generated into memory first: the generator panics on a failed write
    // (a closed pipe), and `write_stdout` treats that as the reader's choice.
    clap_complete::generate(shell, &mut cmd, "needlelog", &mut script);
    write_stdout(&script)
}

/// Writes the manual page to standard output, or with `dir` one page per
/// command into that folder (`needlelog.1`, `needlelog-export.1`, …).
pub fn man(dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let Some(dir) = dir else {
        return write_stdout(&page(Cli::command(), true));
    };
    let folder_error = |e: std::io::Error| {
        CliError::Usage(format!(
            "cannot write the manual pages into {}: {e}",
            dir.display()
        ))
    };
    std::fs::create_dir_all(dir).map_err(folder_error)?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut written = Vec::new();
    write_pages(&cmd, true, dir, &mut written).map_err(folder_error)?;
    let mut out = format!(
        "wrote {} manual pages into {}:\n",
        written.len(),
        dir.display()
    );
    for name in written {
        out.push_str(&format!("  {name}\n"));
    }
    write_stdout(out.as_bytes())
}

fn write_pages(
    cmd: &clap::Command,
    top: bool,
    dir: &Path,
    written: &mut Vec<String>,
) -> std::io::Result<()> {
    let name = Man::new(cmd.clone()).get_filename();
    std::fs::write(dir.join(&name), page(cmd.clone(), top))?;
    written.push(name);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, false, dir, written)?;
    }
    Ok(())
}

/// One manual page in roff. The top-level page also lists the environment,
/// the files and the exit status, which `--help` leaves out.
fn page(cmd: clap::Command, top: bool) -> Vec<u8> {
    let versioned = cmd.get_version().is_some();
    let man = Man::new(cmd);
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let sections = [
        Man::render_title,
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
        Man::render_subcommands_section,
        Man::render_extra_section,
    ];
    for section in sections {
        let _ = section(&man, &mut out);
    }
    if top {
        let _ = extra_sections().to_writer(&mut out);
    }
    if versioned {
        let _ = man.render_version_section(&mut out);
    }
    once_preamble(&out)
}

/// Each section starts with the same two-line string definition; the page
/// needs it once.
fn once_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if !preamble || seen.insert(line) {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

fn extra_sections() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, text) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*text)]);
    }
    roff.control("SH", ["FILES"]);
    let files = [
        (
            "~/.local/share/needlelog/needlelog.db",
            "The database on Linux (the platform's data folder elsewhere); \
             backups/ beside it holds copies made by backup, restore and migrations.",
        ),
        (
            "~/.config/needlelog/config.toml",
            "The settings file on Linux (the platform's config folder elsewhere); \
             see needlelog config.",
        ),
    ];
    for (path, text) in files {
        roff.control("TP", []);
        roff.text([bold(path)]);
        roff.text([roman(text)]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "0 when the command did what was asked; 1 when it refused (a mistake in the \
         input, a damaged or busy database), with one line on standard error saying why; \
         2 for a mistake in the command line itself.",
    )]);
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variables(cmd: &clap::Command, out: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            if let Some(v) = a.get_env() {
                out.push(v.to_string_lossy().into_owned());
            }
        }
        for sub in cmd.get_subcommands() {
            variables(sub, out);
        }
    }

    /// Every variable an argument of any command reads is in the manual's
    /// ENVIRONMENT, and every variable listed there is one the program reads.
    #[test]
    fn the_environment_section_lists_every_variable_the_program_reads() {
        let mut read = Vec::new();
        variables(&Cli::command(), &mut read);
        let listed: Vec<&str> = ENVIRONMENT.iter().map(|(v, _)| *v).collect();
        for v in &read {
            assert!(listed.contains(&v.as_str()), "{v} is not in ENVIRONMENT");
        }
        assert!(read.len() >= 4, "{read:?}");
        // The rest are read by the passphrase code and the photo code, not by clap.
        let source = [
            include_str!("secret.rs"),
            include_str!("../photo/viewer.rs"),
            include_str!("../app/photo_view/painter.rs"),
        ]
        .concat();
        for v in listed.iter().filter(|v| !read.iter().any(|r| r == *v)) {
            assert!(source.contains(&format!("\"{v}\"")), "{v} is read nowhere");
        }
    }
}
