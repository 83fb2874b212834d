//! `needlelog demo`: generated clients, series and sessions into a new or
//! empty database, and (unless `--no-photos`) a few illustrative photos.

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
    let with_photos = !args.no_photos;
    // The photos are drawn on a thread of their own while the records
    // are written (`demo::draw_ahead`); without one they are drawn after.
    let ahead = with_photos
        .then(|| {
            std::thread::Builder::new()
                .name("needlelog-photos".into())
                .spawn(move || crate::demo::draw_ahead(spec))
                .ok()
        })
        .flatten();
    let drawings = move || ahead.and_then(|h| h.join().ok()).unwrap_or_default();
    // The photo folder of the file's real name (a new file is filled
    // under another).
    let files = crate::photo::PhotoStore::for_db(path);
    let (c, photos) = if fresh {
        drop(store);
        // Everything goes into the new file before it takes its name, and
        // the counts come from that write: the new file is not opened
        // again (opening checks the whole file, a second at 100,000
        // clients; BENCHMARKS.md, fifth round). The photos go into
        // `files`, the photo folder of the file's real name.
        let folder = crate::photo::photo_dir(path);
        let had_folder = folder.exists();
        let made = Store::fill_new_file(path, clock, |s| {
            let c = s.with_generated_rows(fill)?;
            let photos = if with_photos {
                crate::demo::add_photos_into(s, spec.seed, &files, &mut drawings())?.photos
            } else {
                0
            };
            Ok((c, photos))
        });
        if made.is_err() && !had_folder {
            // No database took the name: its photos go too.
            let _ = std::fs::remove_dir_all(&folder);
        }
        made?
    } else {
        store.set_clock(clock);
        fill(&mut store)?;
        let photos = if with_photos {
            crate::demo::add_photos_into(&mut store, spec.seed, &files, &mut drawings())?.photos
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
