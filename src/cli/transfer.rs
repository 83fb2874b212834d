//! Getting records out and in: `export` and `import`.

use super::{CliError, ExportArgs, ImportArgs, parse_date, stream_stdout};
use crate::db::Store;
use crate::export::Format;
use crate::export::Scope;
use crate::import as import_file;
use chrono::{Local, NaiveDate};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A date option, refused in one line naming the option.
pub(super) fn date_arg(flag: &str, value: Option<&str>) -> Result<Option<NaiveDate>, CliError> {
    value
        .map(|v| parse_date(v).map_err(|e| CliError::Usage(format!("{flag}: {e}"))))
        .transpose()
}

pub(super) fn export(
    path: &Path,
    args: &ExportArgs,
    loaded: &crate::config::Loaded,
) -> Result<ExitCode, CliError> {
    let format = Format::from(args.format);
    if format == Format::Xlsx && args.output.as_deref().is_none_or(|p| p == Path::new("-")) {
        return Err(CliError::Usage(crate::export::XLSX_NEEDS_A_FILE.into()));
    }
    if !path.exists() {
        return Err(CliError::Usage(format!(
            "{}: no database there",
            path.display()
        )));
    }
    let since = date_arg("--since", args.since.as_deref())?;
    let until = date_arg("--until", args.until.as_deref())?;
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(CliError::Usage(format!(
            "--since {s} is after --until {u}; nothing could match"
        )));
    }
    let today =
        date_arg("--today", args.today.as_deref())?.unwrap_or_else(|| Local::now().date_naive());
    if args.excel && format != Format::Csv {
        return Err(CliError::Usage(
            "--excel applies to --format csv only".into(),
        ));
    }
    if args.photos && format != Format::Html {
        return Err(CliError::Usage(
            "--photos applies to --format html only".into(),
        ));
    }
    let series = args
        .series
        .as_deref()
        .map(|s| {
            uuid::Uuid::parse_str(s.trim())
                .map_err(|_| CliError::Usage(format!("--series: '{s}' is not a series UUID")))
        })
        .transpose()?;
    // The integrity check (a read of the whole file) runs on a second
    // thread while the export reads; nothing goes out until it has passed.
    let mut store = Store::open_deferred(path)?;
    if store.is_read_only() {
        // That thread's own connection is refused by a file this user may
        // not write (it is not opened immutable, as the store's is): check
        // on the store's connection instead, before reading.
        store = Store::open(path)?;
    }
    let client = args
        .client
        .as_deref()
        .map(|key| store.find_client(key).map(|c| c.id))
        .transpose()?;
    let scope = Scope {
        client,
        series,
        since,
        until,
    };
    let options = crate::export::Options {
        excel: args.excel,
        clinic: loaded.settings.clinic.clone(),
        rules: loaded.settings.rules(),
        photos: args.photos,
    };
    match args.output.as_deref() {
        Some(p) if p != Path::new("-") => {
            let summary = crate::export::write_export_checked(
                &mut store, format, &scope, p, today, &options,
            )?;
            eprintln!("{summary}");
            say_left_out(&summary);
            if store.is_encrypted() {
                eprintln!(
                    "needlelog: note: {} is not encrypted (no export is); keep it where only you can read it, or delete it after use",
                    p.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            // Nothing goes out before the integrity check has passed: a
            // damaged file is reported as such, and only that.
            store.await_integrity()?;
            stream_stdout(|out, on_io| {
                crate::export::write_to(&store, format, &scope, today, &options, out, on_io)
                    .map(|s| say_left_out(&s))
            })
        }
    }
}

pub(super) fn import(path: &Path, args: &ImportArgs) -> Result<ExitCode, CliError> {
    let today = date_arg("--today", args.today.as_deref())?;
    let now = today
        .and_then(|d| d.and_hms_opt(23, 59, 0))
        .unwrap_or_else(|| Local::now().naive_local());
    // Read and check the file before the database is opened (or created):
    // a bad file leaves everything as it was.
    enum Input {
        Json(import_file::JsonExport),
        Clients(PathBuf, import_file::ClientList),
    }
    if args.skip_unknown && args.clients.is_none() {
        return Err(CliError::Usage(
            "--skip-unknown applies to --clients FILE only".into(),
        ));
    }
    let input = match (&args.file, &args.clients) {
        (_, Some(csv)) => Input::Clients(
            csv.clone(),
            import_file::read_client_list(csv, now.date(), args.skip_unknown)?,
        ),
        (Some(json), None) => Input::Json(import_file::read_json(json)?),
        (None, None) => {
            return Err(CliError::Usage(
                "give a JSON export, or --clients FILE (.csv or .vcf)".into(),
            ));
        }
    };
    let created = !path.exists();
    let result = (|| {
        let mut store = Store::open(path)?;
        Ok::<_, CliError>(match &input {
            Input::Json(file) => {
                let s = import_file::apply_json(&mut store, file, now)?;
                import_file::describe_json(file.path(), &s)
            }
            Input::Clients(file, list) => {
                let s = import_file::apply_client_list(&mut store, file, &list.clients)?;
                import_file::describe_client_list(file, list, &s)
            }
        })
    })();
    match result {
        Ok(line) => {
            println!("{line}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if created {
                // The import made the database file; leave no empty one behind.
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.as_os_str().to_owned();
                    p.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
            }
            Err(e)
        }
    }
}

/// Names on standard error the clients whose photos an HTML report left
/// out for want of a photo consent.
fn say_left_out(summary: &crate::export::ExportSummary) {
    if !summary.photos_left_out.is_empty() {
        eprintln!(
            "needlelog: photos left out (no photo consent): {}",
            summary.photos_left_out.join(", ")
        );
    }
}
