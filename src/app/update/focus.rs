//! Where the cursor goes after the screens reload: on the record a change
//! was about, and on the current series when a client is opened.

use super::{Effect, Focus, Screen, State, View};

/// Reloads what the screens show after a change and puts the cursor on the
/// record the change was about.
pub(super) fn reload(s: &mut State, focus: Focus) -> Vec<Effect> {
    if let Some(id) = focus.client {
        s.pending_select = Some((id, focus.reveal));
        s.pending_focus = Some(focus);
    }
    let mut fx = vec![Effect::LoadClients];
    if s.screen == Screen::Today {
        fx.push(Effect::LoadToday(s.today()));
    }
    if s.screen != Screen::Clients
        && let Some(id) = focus.client.or(s.detail.as_ref().map(|d| d.client.id))
    {
        fx.push(Effect::LoadDetail(id));
    }
    fx
}

/// Selects client `id` in the freshly loaded list; with `reveal`, a view
/// or filter that hides them is cleared first. False when not shown.
pub(super) fn select_saved_client(s: &mut State, id: i64, reveal: bool) -> bool {
    let shown = |s: &State| s.visible.iter().position(|&i| s.rows.rows[i].id == id);
    if shown(s).is_none() && reveal && s.rows.rows.iter().any(|r| r.id == id) {
        s.filter.reset();
        s.filtering = false;
        let archived = s.rows.rows.iter().any(|r| r.id == id && r.archived);
        s.view = if archived { View::Archived } else { View::All };
        s.refilter();
    }
    match shown(s) {
        Some(pos) => {
            s.selected = pos;
            true
        }
        None => false,
    }
}

/// Puts the client screen's cursor on the focused series and session;
/// false when neither is in the loaded details.
pub(super) fn select_focus(s: &mut State, focus: Focus) -> bool {
    let Some(d) = &s.detail else { return false };
    for (i, t) in d.series.iter().enumerate() {
        if let Some(j) = focus
            .session
            .and_then(|id| t.sessions.iter().position(|x| x.id == id))
        {
            s.series_idx = i;
            s.session_idx = j;
            return true;
        }
    }
    match focus
        .series
        .and_then(|id| d.series.iter().position(|t| t.series.id == id))
    {
        Some(i) => {
            s.series_idx = i;
            s.session_idx = d.series[i].sessions.len().saturating_sub(1);
            true
        }
        None => false,
    }
}

/// The series to show first: the newest active one, else the newest.
pub(super) fn select_current_series(s: &mut State) {
    let Some(d) = &s.detail else { return };
    // The same series the home list's columns and flags describe.
    let idx =
        crate::domain::current_series(d.series.iter().enumerate().map(|(i, t)| (&t.series, i)))
            .unwrap_or(0);
    s.series_idx = idx;
    s.session_idx = d
        .series
        .get(idx)
        .map_or(0, |t| t.sessions.len().saturating_sub(1));
}
