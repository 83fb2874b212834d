//! `needlelog demo`: realistic, deterministic data into a new or empty
//! database.

use super::{CliError, DemoArgs};
use crate::db::{Action, Clock, Store};
use crate::demo::DemoSpec;
use chrono::Local;
use std::path::Path;
use std::process::ExitCode;

pub(super) fn demo(path: &Path, args: &DemoArgs) -> Result<ExitCode, CliError> {
    // A missing or empty file is made whole beside it and put in place at
    // the end (faster, see `Store::fill_new_file`); it is opened here first
    // all the same, so that a path that cannot be a database is refused
    // with the usual message.
    let fresh = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
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
    let clock = Clock::Fixed(crate::demo::generated_at(spec.today));
    let summary = format!("demo data: {} clients, seed {}", spec.clients, spec.seed);
    let fill = |store: &mut Store| {
        crate::demo::with_clients(spec, |trees| {
            store.insert_tree_stream(trees, Action::Demo, &summary)
        })?;
        store.counts()
    };
    let (c, photos) = if fresh && !args.photos {
        // The counts come from the transaction that wrote the rows: the
        // new file is not opened again (opening checks the whole file,
        // a second at 100,000 clients; BENCHMARKS.md, fifth round).
        drop(store);
        let c = Store::fill_new_file(path, clock, |s| s.with_generated_rows(fill))?;
        (c, 0)
    } else {
        let mut store = if fresh {
            drop(store);
            Store::fill_new_file(path, clock, |s| s.with_generated_rows(fill))?;
            // The photos go into the photo folder of the file's real name.
            let mut store = Store::open(path)?;
            store.set_clock(clock);
            store
        } else {
            store.set_clock(clock);
            fill(&mut store)?;
            store
        };
        let photos = if args.photos {
            crate::demo::add_photos(&mut store, spec.seed)?.photos
        } else {
            0
        };
        (store.counts()?, photos)
    };
    println!(
        "{}: {} clients ({} archived), {} series, {} sessions, {} photos",
        path.display(),
        c.clients + c.archived,
        c.archived,
        c.series,
        c.sessions,
        photos
    );
    Ok(ExitCode::SUCCESS)
}
