//! What arrives from the store: the list, a client's details, the
//! existing clients for the duplicate check; and what happens when a client
//! is gone or the database turns out to be damaged.

use super::focus::{select_current_series, select_focus, select_saved_client};
use super::form_flow::revalidate;
use super::navigate::keep_in_view;
use super::{Effect, Purpose, Screen, State, clamp_detail, error, preview_effect};
use crate::db::ClientTree;
use crate::db::client_list::ClientRow;
use crate::domain::Namesake;

/// The whole list: the cursor stays on its client, or goes to the one a
/// change was about.
pub(super) fn clients(s: &mut State, rows: Vec<ClientRow>) -> Vec<Effect> {
    s.partial = false;
    let place = s.selected;
    s.replace_rows(rows);
    // The list changed: what the preview shows may have too.
    s.preview = None;
    if let Some((id, reveal)) = s.pending_select.take()
        && !select_saved_client(s, id, reveal)
    {
        // Gone from this view (e.g. archived): the cursor stays where it
        // was, on the next client.
        s.selected = place;
    }
    keep_in_view(s);
    preview_effect(s)
}

/// A client's details: the record a change was about is selected; a newly
/// opened client shows their current series.
pub(super) fn detail(s: &mut State, tree: ClientTree) -> Vec<Effect> {
    let same = s
        .detail
        .as_ref()
        .is_some_and(|d| d.client.id == tree.client.id);
    let id = tree.client.id;
    s.detail = Some(tree);
    let focus = s.pending_focus.take().filter(|f| f.client == Some(id));
    if !(focus.is_some_and(|f| select_focus(s, f)) || same) {
        select_current_series(s);
    }
    clamp_detail(s)
}

/// The existing clients, for the open client form's duplicate warning.
pub(super) fn namesakes(s: &mut State, namesakes: Vec<Namesake>) -> Vec<Effect> {
    let now = s.now;
    if let Some(fs) = s.form.as_mut()
        && matches!(fs.purpose, Purpose::AddClient | Purpose::EditClient { .. })
    {
        fs.namesakes = namesakes;
        revalidate(fs, now);
    }
    Vec::new()
}

/// The client on screen no longer exists (e.g. their creation was undone).
pub(super) fn client_gone(s: &mut State, id: i64) -> Vec<Effect> {
    if s.detail.as_ref().is_none_or(|d| d.client.id == id) {
        s.detail = None;
        s.form = None;
        s.form_origin = None;
        s.screen = Screen::Clients;
    }
    preview_effect(s)
}

/// The background integrity check failed: read-only from now on.
pub(super) fn damaged(s: &mut State, why: &str) -> Vec<Effect> {
    if !s.read_only {
        s.read_only = true;
        error(
            s,
            format!("The database is damaged ({why}): read-only. Restore a backup."),
        );
    }
    Vec::new()
}
