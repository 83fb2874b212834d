//! Driving `update` against a store without a terminal: apply actions,
//! carry out their effects, feed the results back. The terminal loop, the
//! headless renderer, tests and benchmarks all run the application this way.

use super::{Action, Effect, State, effects, update};
use crate::db::Store;
use std::collections::VecDeque;

/// Keeps a half-filled form in the database's drafts when the terminal
/// goes away, so the next start can offer it back. Best effort: the
/// process is ending either way.
pub fn keep_draft(state: &State, store: &mut Store) {
    let Some(fs) = state.form.as_ref().filter(|f| f.form.dirty) else {
        return;
    };
    let client = state.detail.as_ref().map(|d| d.client.id);
    let Some(draft) = super::drafts::snapshot(&fs.form, &fs.purpose, client) else {
        return;
    };
    if let Ok(payload) = serde_json::to_value(&draft) {
        let _ = store.save_draft(super::drafts::KIND, "", &payload);
    }
}

/// Applies actions in order, carrying out each effect on the store; what
/// an effect brings back (loaded data, a save's result) is applied before
/// the next action, just as if the user had waited for it. Returns the
/// terminal effects (quit, suspend) for the caller.
pub fn settle(state: &mut State, store: &mut Store, actions: Vec<Action>) -> Vec<Effect> {
    let mut queue: VecDeque<Action> = actions.into();
    let mut terminal_effects = Vec::new();
    while let Some(action) = queue.pop_front() {
        let mut results = Vec::new();
        for effect in update(state, action) {
            match effect {
                Effect::Quit | Effect::Suspend => terminal_effects.push(effect),
                Effect::PreparePhotos => {
                    results.extend(super::effects_photos::prepare(state, store))
                }
                Effect::OpenPhoto { hash, view, date } => results.push(
                    super::effects_photos::open(state, store, &hash, &view, date),
                ),
                other => results.extend(effects::run(store, &other)),
            }
        }
        for r in results.into_iter().rev() {
            queue.push_front(r);
        }
    }
    terminal_effects
}

/// The first actions of a session: load the list.
pub fn start(state: &mut State, store: &mut Store) {
    let loaded = effects::run(store, &Effect::LoadClients);
    settle(state, store, loaded);
}

/// Like [`start`], but for a large practice only the first screenful, so
/// that it shows at once; [`finish_loading`] reads the rest.
pub fn start_first_page(state: &mut State, store: &mut Store) {
    let page = super::layout::clients_page(state.size);
    let loaded = effects::run(store, &Effect::LoadFirstPage(page));
    settle(state, store, loaded);
}

/// Loads the whole list if only the first page is there.
pub fn finish_loading(state: &mut State, store: &mut Store) {
    if state.partial {
        start(state, store);
    }
}
