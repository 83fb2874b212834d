//! `u` and `Ctrl-R`: ask the store what would be reverted; revert it at
//! once when it is about the client on screen, otherwise ask first, naming
//! both clients; then put the cursor on what changed.

use super::{error, info, reload};
use crate::app::{Confirm, Effect, Focus, Screen, State};
use crate::db::{NextChange, UndoRedo, Undone};

/// The key was pressed: find out what it would revert.
pub(super) fn ask(s: &mut State, way: UndoRedo) -> Vec<Effect> {
    if s.read_only {
        error(s, "Read-only database: nothing can be changed");
        return Vec::new();
    }
    vec![Effect::NextChange(way)]
}

/// The client the practitioner is looking at: the open one on the client
/// and chart screens, the selected one on the home screen.
fn on_screen(s: &State) -> Option<(i64, String)> {
    match s.screen {
        Screen::Clients => s.selected_row().map(|r| (r.id, r.name.clone())),
        Screen::Today => s.today_client(),
        Screen::Client | Screen::Chart | Screen::Photos => s
            .detail
            .as_ref()
            .map(|d| (d.client.id, d.client.data.name.clone())),
    }
}

/// The store said what would be reverted.
pub(super) fn offered(s: &mut State, way: UndoRedo, next: Option<NextChange>) -> Vec<Effect> {
    let Some(next) = next else {
        info(s, format!("Nothing to {}", way.action()));
        return Vec::new();
    };
    // Something else took the keyboard meanwhile: revert nothing unasked.
    if s.form.is_some() || s.confirm.is_some() {
        return Vec::new();
    }
    let here = on_screen(s);
    let about_this_one = matches!((&next.client, &here), (Some(c), Some(h)) if c.0 == h.0);
    if about_this_one {
        return vec![Effect::Revert(way, next.change_id)];
    }
    let about = match next.client {
        Some((_, name)) => name,
        None if next.clients > 1 => format!("{} clients", next.clients),
        None => "a client no longer here".to_string(),
    };
    s.confirm = Some(Confirm::Revert {
        way,
        change_id: next.change_id,
        summary: next.summary,
        about,
        on_screen: here.map(|(_, name)| name),
    });
    Vec::new()
}

/// The change was reverted: say what, reload, and select what it was
/// about where that still exists.
pub(super) fn reverted(s: &mut State, way: UndoRedo, done: Option<Undone>) -> Vec<Effect> {
    let Some(done) = done else {
        info(s, format!("Nothing to {}", way.action()));
        return Vec::new();
    };
    info(s, format!("{}: {}", way.done(), done.summary));
    // The photos compared may be the ones just taken back: back to the
    // client, whose screen is reloaded.
    if s.screen == crate::app::Screen::Photos {
        s.photos.close_compare();
        s.screen = crate::app::Screen::Client;
    }
    let t = done.target;
    // Not `reveal`: a client the change archived stays out of the list.
    let focus = Focus {
        client: t.client,
        series: t.series,
        session: t.session,
        reveal: false,
    };
    reload(s, focus)
}
