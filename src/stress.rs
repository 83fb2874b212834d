//! `needlelog stress-writer` (hidden): writes sessions one transaction at a
//! time through the ordinary store API and prints each session's UUID only
//! once its commit has returned. The crash-safety and concurrency tests
//! kill it at random moments or run several at once, then hold the
//! database to every UUID it printed.

use crate::db::{Store, StoreError};
use crate::domain::{ClientDraft, Concern, SeriesDraft, SessionDraft};
use chrono::Local;
use std::io::Write;
use std::path::Path;

/// Adds a client with one series, then `count` sessions to it.
pub fn run(path: &Path, count: u64) -> Result<(), StoreError> {
    let mut store = Store::open(path)?;
    let now = Local::now().naive_local();
    let client = ClientDraft {
        name: format!("Stress writer {}", std::process::id()),
        ..ClientDraft::default()
    };
    let series = SeriesDraft::new(Concern::AcneScars, now.date());
    let client = store.create_client(&client, Some(&series))?;
    let series_id = store
        .series_of(client.id)?
        .first()
        .map(|s| s.id)
        .ok_or_else(|| StoreError::Other("the new client has no series".into()))?;
    // A minute back: a session may not be in the future.
    let draft = SessionDraft::at(now - chrono::Duration::minutes(1));
    let mut out = std::io::stdout().lock();
    for _ in 0..count {
        let session = store.create_session(series_id, &draft)?;
        // Printed only now that the commit is durable, and pushed out at
        // once: a line the reader got is a promise the database keeps.
        writeln!(out, "{}", session.uuid)
            .and_then(|()| out.flush())
            .map_err(|e| StoreError::Other(format!("writing output: {e}")))?;
    }
    Ok(())
}
