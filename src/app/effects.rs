//! Carrying out effects against the store and turning the results back into
//! actions. This is the only part of the application that does IO.

use super::{Action, Effect, Focus, Preview, Write};
use crate::db::{Store, StoreError};

/// Runs one effect; `Quit` and `Suspend` belong to the terminal loop and
/// are ignored here.
pub fn run(store: &mut Store, effect: &Effect) -> Vec<Action> {
    match effect {
        Effect::LoadClients => match store.client_rows(true) {
            Ok(rows) => vec![Action::ClientsLoaded(rows)],
            Err(e) => vec![Action::Failed(format!("Could not load clients: {e}"))],
        },
        Effect::LoadFirstPage(page) => {
            let today = store.clock().local_now().date();
            match store.first_due_page(today, *page) {
                Ok(Some(rows)) => vec![Action::FirstPage(rows)],
                Ok(None) => run(store, &Effect::LoadClients),
                Err(e) => vec![Action::Failed(format!("Could not load clients: {e}"))],
            }
        }
        Effect::LoadDrafts => match store.drafts() {
            Ok(drafts) => drafts
                .into_iter()
                .filter(|d| d.kind == super::drafts::KIND)
                .find_map(|d| {
                    let draft: super::drafts::Draft = serde_json::from_value(d.payload).ok()?;
                    Some(Action::DraftFound(d.id, Box::new(draft), d.saved_at))
                })
                .into_iter()
                .collect(),
            Err(e) => vec![Action::Failed(format!("Could not read kept forms: {e}"))],
        },
        Effect::DeleteDraft(id) => match store.delete_draft(*id) {
            Ok(()) => Vec::new(),
            Err(e) => vec![Action::Failed(format!(
                "Could not discard the kept form: {e}"
            ))],
        },
        Effect::LoadPreview(id) => match preview(store, *id) {
            Ok(p) => vec![Action::PreviewLoaded(p.map(Box::new))],
            Err(e) => vec![Action::Failed(format!("Could not load the client: {e}"))],
        },
        Effect::LoadDetail(id) => match store.client_tree(*id) {
            Ok(t) => {
                let mut v = vec![Action::DetailLoaded(Box::new(t))];
                v.extend(super::effects_photos::load_photos(store, *id));
                v
            }
            // Gone, e.g. its creation was just undone.
            Err(StoreError::NotFound { .. }) => vec![Action::ClientGone(*id)],
            Err(e) => vec![Action::Failed(format!("Could not load the client: {e}"))],
        },
        Effect::LoadToday(day) => {
            let from = *day - chrono::Days::new(crate::app::today::FOLLOWUP_DAYS.1 as u64);
            match store.sessions_on_days(from, *day) {
                Ok(sessions) => vec![Action::TodayLoaded(*day, sessions)],
                Err(e) => vec![Action::Failed(format!("Could not read today's work: {e}"))],
            }
        }
        Effect::LoadNamesakes => match store.namesakes() {
            Ok(n) => vec![Action::NamesakesLoaded(n)],
            Err(e) => vec![Action::Failed(format!(
                "Could not check for duplicate clients: {e}"
            ))],
        },
        Effect::Write(w) if matches!(**w, Write::AttachPhotos(..)) => match &**w {
            Write::AttachPhotos(session, day, requests) => {
                super::effects_photos::attach(store, *session, *day, requests)
            }
            _ => Vec::new(),
        },
        Effect::Write(w) => match write(store, w) {
            Ok((message, focus)) => vec![Action::Saved { message, focus }],
            Err(e) => vec![Action::Failed(format!("Not saved: {e}"))],
        },
        Effect::Export(r) => {
            let options = crate::export::Options {
                excel: r.excel,
                clinic: r.clinic.clone(),
                rules: r.rules.clone(),
                photos: false,
            };
            let today = store.clock().local_now().date();
            match crate::export::write_export_with(
                store, r.format, &r.scope, &r.path, today, &options,
            ) {
                // No export is encrypted: said where an encrypted record
                // has just left its protection.
                Ok(summary) if store.is_encrypted() => vec![Action::Exported(format!(
                    "Exported, not encrypted: {summary}"
                ))],
                Ok(summary) => vec![Action::Exported(format!("Exported: {summary}"))],
                Err(e) => vec![Action::Failed(format!("Not exported: {e}"))],
            }
        }
        Effect::NextChange(way) => match store.next_change(*way) {
            Ok(next) => vec![Action::NextChange(*way, next.map(Box::new))],
            Err(e) => vec![Action::Failed(format!("{} failed: {e}", way.verb()))],
        },
        Effect::Revert(way, change_id) => match store.revert(*way, Some(*change_id)) {
            Ok(done) => vec![Action::Reverted(*way, done.map(Box::new))],
            Err(e) => vec![Action::Failed(format!("{} failed: {e}", way.verb()))],
        },
        Effect::ListFolder(typed, dir) => vec![super::effects_photos::list_folder(typed, dir)],
        Effect::ProbePath(typed, path) => vec![super::effects_photos::probe(typed, path)],
        Effect::LoadPhotos(client) => super::effects_photos::load_photos(store, *client),
        Effect::LoadCompare { client, series } => {
            super::effects_photos::load_compare(store, *client, *series)
        }
        // These need the state (the photo cache, the private copies):
        // `run::settle` carries them out.
        Effect::PreparePhotos | Effect::OpenPhoto { .. } => Vec::new(),
        Effect::Suspend | Effect::Quit => Vec::new(),
    }
}

fn preview(store: &Store, id: i64) -> Result<Option<Preview>, StoreError> {
    let client = match store.client(id) {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut last = None;
    let mut session_no = 0;
    for series in store.series_of(id)? {
        let sessions = store.sessions_of(series.id)?;
        let n = sessions.len();
        if let Some(x) = sessions.into_iter().last() {
            let newer = last.as_ref().is_none_or(
                |(_, l): &(crate::domain::Series, crate::domain::Session)| {
                    x.data.performed_at >= l.data.performed_at
                },
            );
            if newer {
                session_no = n;
                last = Some((series, x));
            }
        }
    }
    Ok(Some(Preview {
        client,
        last,
        session_no,
    }))
}

fn write(store: &mut Store, w: &Write) -> Result<(String, Focus), StoreError> {
    Ok(match w {
        Write::AddClient(c, series) => {
            let c = store.create_client(c, series.as_ref())?;
            (format!("Added {}", c.data.name), Focus::client(c.id))
        }
        Write::EditClient(id, c) => {
            let c = store.update_client(*id, c)?;
            (format!("Saved {}", c.data.name), Focus::client(c.id))
        }
        Write::Archive(id, archive) => {
            let c = store.set_archived(*id, *archive)?;
            let verb = if *archive { "Archived" } else { "Restored" };
            let focus = Focus {
                client: Some(c.id),
                ..Focus::default()
            };
            (format!("{verb} {} (u undoes)", c.data.name), focus)
        }
        Write::NewSeries(client_id, d) => {
            let s = store.create_series(*client_id, d)?;
            let focus = Focus {
                client: Some(*client_id),
                series: Some(s.id),
                ..Focus::default()
            };
            (
                format!("Started a {} series", s.data.concern.label()),
                focus,
            )
        }
        Write::EditPlan(..) | Write::CloseSeries(..) | Write::ReopenSeries(..) => {
            series_write(store, w)?
        }
        Write::NewSession(series_id, d) => {
            let x = store.create_session(*series_id, d)?;
            let message = format!(
                "Recorded the session of {}",
                x.data.performed_at.format(crate::domain::DATETIME)
            );
            (message, session_focus(store, &x)?)
        }
        Write::EditSession(id, d) => {
            let x = store.update_session(*id, d)?;
            ("Saved the session".to_string(), session_focus(store, &x)?)
        }
        Write::AttachPhotos(..) => {
            return Err(StoreError::Other(
                "photos are attached by effects_photos".into(),
            ));
        }
        Write::Followup(id, f) => {
            let x = store.set_followup(*id, f)?;
            ("Saved the follow-up".to_string(), session_focus(store, &x)?)
        }
    })
}

/// A change to a series' plan or state: what the status line says, and
/// the cursor on the series.
fn series_write(store: &mut Store, w: &Write) -> Result<(String, Focus), StoreError> {
    let s = match w {
        Write::EditPlan(id, d, true) => store.update_series_clearing_scores(*id, d)?,
        Write::EditPlan(id, d, false) => store.update_series(*id, d)?,
        Write::CloseSeries(id, closure) => store.close_series(*id, closure)?,
        Write::ReopenSeries(id) => store.reopen_series(*id)?,
        _ => return Err(StoreError::Other("not a change to a series".into())),
    };
    let concern = s.data.concern.label();
    let message = match w {
        Write::CloseSeries(_, closure) => format!(
            "Closed the {concern} series: {} (C reopens, u undoes)",
            closure.reason.map_or("", |r| r.label())
        ),
        Write::ReopenSeries(_) => format!("Reopened the {concern} series"),
        _ => format!("Saved the plan of the {concern} series"),
    };
    Ok((message, series_focus(&s)))
}

/// The cursor on series `s`, of its client.
fn series_focus(s: &crate::domain::Series) -> Focus {
    Focus {
        client: Some(s.client_id),
        series: Some(s.id),
        ..Focus::default()
    }
}

fn session_focus(store: &Store, x: &crate::domain::Session) -> Result<Focus, StoreError> {
    Ok(Focus {
        client: Some(store.series(x.series_id)?.client_id),
        series: Some(x.series_id),
        session: Some(x.id),
        reveal: false,
    })
}
