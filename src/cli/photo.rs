//! `needlelog photo add` and `needlelog photo list`: photos from the
//! command line, through the one attach function the interface uses too.

use super::CliError;
use crate::db::Store;
use crate::domain::Zone;
use crate::domain::photo::View;
use crate::photo::attach::{Request, attach};
use crate::photo::{Format, PhotoStore};
use clap::{Args, Subcommand, ValueHint};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Attach photos (JPEG or PNG) to a session; the stored copies lose their metadata
    Add(AddArgs),
    /// List a client's photos, session by session
    List {
        /// The client: name, unique part of a name, or UUID
        #[arg(long, value_name = "NAME|UUID")]
        client: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The client: name, unique part of a name, or UUID
    #[arg(long, value_name = "NAME|UUID")]
    pub client: String,
    /// The session (its UUID) [default: the client's latest session]
    #[arg(long, value_name = "UUID")]
    pub session: Option<String>,
    /// What the photos show: front, left, right, left-oblique, right-oblique, close-up
    /// (close-up:ZONE names its zone). One view for every file, or one per file in
    /// the files' order (repeat --view or separate with commas: --view front,left,right)
    #[arg(long, required = true, value_name = "VIEW", value_delimiter = ',', value_parser = parse_view)]
    pub view: Vec<(View, Option<Zone>)>,
    /// The zone of every close-up that does not name its own (forehead, cheeks, …)
    #[arg(long, value_name = "ZONE", value_parser = parse_zone)]
    pub zone: Option<Zone>,
    /// The photo files (several at once, e.g. a folder copied off a phone: ~/phone/*.jpg)
    #[arg(required = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub files: Vec<PathBuf>,
}

fn code(s: &str) -> String {
    s.trim().to_lowercase().replace(['-', ' '], "_")
}

/// A view, or `close-up:ZONE`.
fn parse_view(s: &str) -> Result<(View, Option<Zone>), String> {
    if let Some((view, zone)) = s.split_once(':') {
        return match (one_view(view)?, parse_zone(zone)?) {
            (View::CloseUp, z) => Ok((View::CloseUp, Some(z))),
            (v, _) => Err(format!(
                "'{s}': only a close-up names a zone (this is a {} photo)",
                v.label()
            )),
        };
    }
    Ok((one_view(s)?, None))
}

fn one_view(s: &str) -> Result<View, String> {
    View::from_code(&code(s)).ok_or_else(|| {
        let names: Vec<String> = View::ALL
            .iter()
            .map(|v| v.code().replace('_', "-"))
            .collect();
        format!("'{s}' is not a view; use one of {}", names.join(", "))
    })
}

fn parse_zone(s: &str) -> Result<Zone, String> {
    Zone::from_code(&code(s)).ok_or_else(|| {
        let names: Vec<String> = Zone::ALL
            .iter()
            .map(|z| z.code().replace('_', "-"))
            .collect();
        format!("'{s}' is not a zone; use one of {}", names.join(", "))
    })
}

pub(super) fn run(path: &Path, cmd: &PhotoCommand) -> Result<ExitCode, CliError> {
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    match cmd {
        PhotoCommand::Add(args) => add(path, args),
        PhotoCommand::List { client } => list(path, client),
    }
}

/// The file-by-file requests the arguments make, or why they do not fit.
fn requests(args: &AddArgs) -> Result<Vec<Request>, String> {
    let views = &args.view;
    let files = &args.files;
    if views.len() != 1 && views.len() != files.len() {
        return Err(format!(
            "{} files but {} views: give one --view for every file, or one per file in the files' order",
            files.len(),
            views.len()
        ));
    }
    let close_ups = views.iter().filter(|(v, _)| *v == View::CloseUp).count();
    if args.zone.is_some() && close_ups == 0 {
        return Err("--zone goes only with a close-up view".into());
    }
    files
        .iter()
        .enumerate()
        .map(|(i, path)| {
            // One view for every file, or the file's own (the counts are
            // checked above; clap gives at least one).
            let own = if views.len() == 1 { 0 } else { i };
            let Some(&(view, zone)) = views.get(own) else {
                return Err(format!("{}: no view for this file", path.display()));
            };
            let zone = zone.or(args.zone.filter(|_| view == View::CloseUp));
            if view == View::CloseUp && zone.is_none() {
                return Err(format!(
                    "{}: a close-up needs the zone it shows: add --zone ZONE or --view close-up:ZONE",
                    path.display()
                ));
            }
            Ok(Request {
                path: path.clone(),
                view,
                zone,
            })
        })
        .collect()
}

fn add(path: &Path, args: &AddArgs) -> Result<ExitCode, CliError> {
    let requests =
        requests(args).map_err(|e| CliError::Usage(format!("{e}; nothing was attached")))?;
    let mut store = Store::open(path)?;
    if store.is_read_only() {
        // Before any file is stored in the photo folder.
        return Err(crate::db::StoreError::ReadOnly {
            path: path.to_path_buf(),
        }
        .into());
    }
    let client = store.find_client(&args.client)?;
    let tree = store.client_tree(client.id)?;
    let sessions = tree.series.iter().flat_map(|s| &s.sessions);
    let session = match &args.session {
        Some(key) => {
            let wanted = uuid::Uuid::parse_str(key.trim()).map_err(|_| {
                CliError::Usage(format!(
                    "--session '{key}' is not a UUID; `needlelog photo list` and the exports show them"
                ))
            })?;
            sessions
                .into_iter()
                .find(|s| s.uuid == wanted)
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "{} has no session {wanted}; nothing was attached",
                        client.data.name
                    ))
                })?
        }
        None => sessions
            .max_by_key(|s| (s.data.performed_at, s.id))
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "{} has no sessions yet; record one first; nothing was attached",
                    client.data.name
                ))
            })?,
    };
    let (session_id, session_uuid, performed) =
        (session.id, session.uuid, session.data.performed_at);
    let (consent, _) = store.photo_consent(client.id)?;
    let photos = attach(&mut store, session_id, &requests).map_err(|e| match e {
        crate::photo::attach::AttachError::Store(s) => CliError::Store(s),
        e => CliError::Usage(format!("{e}; nothing was attached")),
    })?;
    if consent.is_none() {
        eprintln!(
            "needlelog: warning: {} has no photo consent on file; record it on the client's form",
            client.data.name
        );
    }
    println!(
        "{}, session of {} ({}){}:",
        client.data.name,
        performed.format("%Y-%m-%d %H:%M"),
        session_uuid,
        if args.session.is_none() {
            ", the latest"
        } else {
            ""
        }
    );
    for (p, file) in photos.iter().zip(&args.files) {
        println!(
            "  {}: {}{}, taken {} (from {}), {}",
            file.display(),
            p.data.view.replace('_', "-"),
            zone_text(&p.data.zone),
            p.data.taken_at.format("%Y-%m-%d %H:%M:%S"),
            if p.data.taken_from == "exif" {
                "EXIF"
            } else {
                "the file's time"
            },
            &p.data.sha256[..12]
        );
    }
    println!(
        "attached {} photo(s){}",
        photos.len(),
        if store.is_encrypted() {
            ", stored encrypted"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn zone_text(zone: &str) -> String {
    if zone.is_empty() {
        String::new()
    } else {
        format!(" ({})", zone.replace('_', "-"))
    }
}

fn list(path: &Path, client: &str) -> Result<ExitCode, CliError> {
    let store = Store::open(path)?;
    let client = store.find_client(client)?;
    let photos = store.photos_of_client(client.id)?;
    let files = PhotoStore::for_db(path);
    println!("{}: {} photo(s)", client.data.name, photos.len());
    let mut problems = 0;
    for cp in &photos {
        let d = &cp.photo.data;
        let state = match (
            Format::parse(&d.format),
            d.file_key
                .as_deref()
                .map(crate::photo::FileKey::from_hex)
                .transpose(),
        ) {
            (Some(f), Ok(key)) => match files.verify(&d.sha256, f, key.as_ref()) {
                crate::photo::FileState::Ok => "",
                crate::photo::FileState::Missing => " FILE MISSING",
                crate::photo::FileState::Damaged(_) => " FILE DAMAGED",
                crate::photo::FileState::Unreadable(_) => " FILE UNREADABLE",
            },
            _ => " BAD ROW",
        };
        if !state.is_empty() {
            problems += 1;
        }
        println!(
            "{}  {}{}  taken {} ({})  {}x{} {} {} bytes{}  {}{}",
            cp.performed_at.format("%Y-%m-%d"),
            d.view.replace('_', "-"),
            zone_text(&d.zone),
            d.taken_at.format("%Y-%m-%d %H:%M:%S"),
            d.taken_from,
            d.width,
            d.height,
            d.format,
            d.bytes,
            if d.file_key.is_some() { " sealed" } else { "" },
            &d.sha256[..12],
            state
        );
    }
    if problems > 0 {
        eprintln!(
            "needlelog: {problems} photo file(s) missing or damaged; `needlelog check` says more"
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
