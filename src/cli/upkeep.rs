//! Looking after the database: `check`, `backup`, `restore`, `erase`.

use super::{CliError, EraseArgs};
use crate::db::{Store, backup};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn check(path: &Path) -> Result<ExitCode, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    let store = Store::open(path)?;
    if let Some(fs) = crate::db::files::network_filesystem(path) {
        eprintln!("needlelog: warning: {}", network_warning(path, &fs));
    }
    let r = store.check()?;
    let c = r.counts;
    // The photo files are read only when the database itself is sound.
    let photos = if r.is_ok() {
        Some(store.photo_report()?)
    } else {
        None
    };
    let photo_problems = photos.as_ref().map_or(0, |p| p.problems());
    if r.is_ok() && photo_problems == 0 {
        let p = photos.unwrap_or_default();
        println!(
            "ok: {} (schema v{}): {} clients ({} archived), {} series, {} sessions, {} audit entries, {} photos ({} files)",
            path.display(),
            r.schema_version,
            c.clients + c.archived,
            c.archived,
            c.series,
            c.sessions,
            c.audit,
            p.rows,
            p.files
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for p in r.integrity.iter().chain(&r.foreign_keys) {
            println!("problem: {p}");
        }
        if let Some(p) = &photos {
            print_photo_problems(p);
        }
        let db_problems = r.integrity.len() + r.foreign_keys.len();
        if db_problems > 0 {
            eprintln!(
                "needlelog: {}: {} problem(s) found; restore from a backup",
                path.display(),
                db_problems
            );
        } else {
            eprintln!(
                "needlelog: {}: the database is sound; {} photo problem(s) found ({} photos, {} \
                 files){}",
                path.display(),
                photo_problems,
                photos.as_ref().map_or(0, |p| p.rows),
                photos.as_ref().map_or(0, |p| p.files),
                photos.as_ref().map_or_else(String::new, photo_advice)
            );
        }
        Ok(ExitCode::FAILURE)
    }
}

/// One `problem:` line per photo finding.
fn print_photo_problems(p: &crate::db::photo_files::PhotoReport) {
    if let Some((dir, why)) = &p.folder_unreadable {
        println!(
            "problem: the photo folder {} cannot be read ({why}); its {} photo files were not \
             checked",
            dir.display(),
            p.files
        );
    }
    for f in &p.missing {
        println!("problem: photo file missing: {}", f.display());
    }
    for (f, why) in &p.damaged {
        println!("problem: photo file damaged: {} ({why})", f.display());
    }
    for (f, why) in &p.unreadable {
        println!("problem: photo file unreadable: {} ({why})", f.display());
    }
    for f in &p.leftover {
        println!(
            "problem: leftover photo file (a copy an interrupted encrypt or rekey left; the \
             photo's own file is sound): {}",
            f.display()
        );
    }
    for f in &p.unreferenced {
        println!(
            "problem: unreferenced photo file (no photo names it): {}",
            f.display()
        );
    }
    if p.unsealed > 0 {
        println!(
            "problem: {} photo files are stored unencrypted although the database is encrypted \
             (an interrupted encrypt); running `needlelog encrypt` again (or `needlelog rekey`) \
             seals them",
            p.unsealed
        );
    }
}

/// What to do about the photo findings, after a semicolon each.
fn photo_advice(p: &crate::db::photo_files::PhotoReport) -> String {
    let mut advice = String::new();
    if p.folder_unreadable.is_some() || !p.unreadable.is_empty() {
        advice.push_str("; run check as the user who owns the photo folder");
    }
    if !p.missing.is_empty() || !p.damaged.is_empty() {
        advice.push_str(
            "; a missing or damaged file comes back with `needlelog restore` from a backup",
        );
    }
    if p.unsealed > 0 || !p.leftover.is_empty() {
        advice.push_str(
            "; `needlelog encrypt` (run again) or `needlelog rekey` seals the plain files and \
             removes the leftovers",
        );
    }
    if !p.unreferenced.is_empty() {
        advice.push_str("; an unreferenced file may be deleted");
    }
    advice
}

pub(super) fn restore_cmd(db: &Path, from: &Path) -> Result<ExitCode, CliError> {
    let restored = backup::restore(from, db)?;
    match restored.kept {
        Some(k) => println!(
            "restored {} into {}; the database as it was is kept at {}",
            from.display(),
            db.display(),
            k.display()
        ),
        None => println!("restored {} into {}", from.display(), db.display()),
    }
    if restored.photos > 0 {
        println!(
            "{} photo files put back into {} and checked",
            restored.photos,
            crate::photo::photo_dir(db).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn backup_cmd(path: &Path, dest: Option<&Path>) -> Result<ExitCode, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    let store = Store::open(path)?;
    let dest = dest.map_or_else(|| backup::default_destination(path), Path::to_path_buf);
    let carried = store.backup_to(&dest)?;
    // Standard output is the path alone, for scripts.
    println!("{}", dest.display());
    if carried.copied > 0 {
        eprintln!(
            "needlelog: {} photo files copied into {} and checked",
            carried.copied,
            crate::photo::photo_dir(&dest).display()
        );
    }
    if carried.unreadable.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for line in &carried.unreadable {
        eprintln!("needlelog: problem: {line}");
    }
    eprintln!(
        "needlelog: the backup was written but lacks {} photo file(s) that are missing or \
         damaged here; `needlelog check` lists them",
        carried.unreadable.len()
    );
    Ok(ExitCode::FAILURE)
}

/// The warning for a database on a network filesystem (`check`, and the
/// interface's status line).
pub fn network_warning(path: &Path, fs: &str) -> String {
    format!(
        "{} is on a network filesystem ({fs}): SQLite cannot lock files reliably there, \
         and two computers using it can damage it; keep the database on a local disk",
        path.display()
    )
}

pub(super) fn erase(path: &Path, args: &EraseArgs) -> Result<ExitCode, CliError> {
    use std::io::IsTerminal;
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    // Asked before anything is opened: a script must neither hang on the
    // question nor erase anyone it did not mean to.
    if !args.yes && !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "erase asks you to type the client's name on the terminal, and standard input is \
             not one; add --yes to erase without asking; nothing was erased"
                .into(),
        ));
    }
    let key = args.client.trim();
    let mut store = Store::open(path)?;
    let client = store.find_client(key)?;
    let name = client.data.name.trim();
    // Part of a name finds a client for an export; erasure wants it whole.
    let by_uuid = uuid::Uuid::parse_str(key).ok() == Some(client.uuid);
    if !by_uuid && key.to_lowercase() != name.to_lowercase() {
        return Err(CliError::Usage(format!(
            "'{key}' is only part of a name ({name}); give the full name or the UUID to erase; \
             nothing was erased"
        )));
    }
    if !args.yes {
        let tree = store.client_tree(client.id)?;
        let sessions: usize = tree.series.iter().map(|s| s.sessions.len()).sum();
        eprint!(
            "This erases {name} ({}) for good: {} series, {sessions} sessions, their drafts, \
             and the details in their audit history. It cannot be undone.\n\
             Type the client's name to confirm: ",
            client.uuid,
            tree.series.len()
        );
        let _ = std::io::stderr().flush();
        let mut typed = String::new();
        std::io::stdin()
            .read_line(&mut typed)
            .map_err(|e| CliError::Usage(format!("reading the confirmation: {e}")))?;
        if typed.trim() != name {
            return Err(CliError::Usage(
                "that is not the client's name; nothing was erased".into(),
            ));
        }
    }
    let erased = store.erase_client(client.id)?;
    println!(
        "erased client {}: {} series, {} sessions, {} drafts, {} photos ({} file{} removed); \
         {} audit entries scrubbed",
        erased.uuid,
        erased.series,
        erased.sessions,
        erased.drafts,
        erased.photos,
        erased.released.len(),
        if erased.released.len() == 1 { "" } else { "s" },
        erased.audit_rows
    );
    if let Some(residue) = &erased.residue {
        eprintln!("needlelog: warning: {residue}");
    }
    let backups = std::fs::read_dir(backup::backup_dir(path))
        .map(|d| d.filter_map(std::result::Result::ok).count())
        .unwrap_or(0);
    if backups > 0 {
        eprintln!(
            "needlelog: note: the {backups} file(s) in {} were made before the erasure and \
             still hold this client's records; delete those that must not keep them",
            backup::backup_dir(path).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
