//! The keys in force: the table's own, or the user's where the settings
//! file gives an action other keys. Dispatch, hints and help read this.

use super::keys::{key_name, parse_keys};
use super::{BINDINGS, Binding, Command, Ctx, Key, key_label};
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use strum::IntoEnumIterator;

/// The key table with each binding's keys, as given or as remapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// The keys of `BINDINGS[i]`, in the table's order.
    keys: Vec<Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            keys: BINDINGS.iter().map(|b| b.keys.to_vec()).collect(),
        }
    }
}

/// What is wrong with a `[keys]` entry; each names the action (the
/// settings file's key) so the caller can point at its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("unknown action `{action}` (README's \"Remapping keys\" lists the actions)")]
    UnknownAction { action: String },
    #[error(
        "`{action}`: `{key}` is not a key (examples: \"q\", \"Q\", \"ctrl-r\", \"shift-tab\", \"f5\")"
    )]
    BadKey { action: String, key: String },
    #[error("`{key}` would do both `{action}` and `{other}` in {context}")]
    Conflict {
        action: String,
        other: String,
        key: String,
        context: &'static str,
    },
    #[error(
        "`{action}`: `{key}` types or edits text in {context}; use a Ctrl key or another named key"
    )]
    TypesText {
        action: String,
        key: String,
        context: &'static str,
    },
}

impl KeyError {
    /// The action (the settings file's key) the error is about.
    pub fn action(&self) -> &str {
        match self {
            Self::UnknownAction { action }
            | Self::BadKey { action, .. }
            | Self::Conflict { action, .. }
            | Self::TypesText { action, .. } => action,
        }
    }
}

/// The contexts where a binding in `ctx` is also in force: Global keys
/// apply on every screen except forms and the filter line.
fn reaches(ctx: Ctx, other: Ctx) -> bool {
    ctx == other
        || (ctx == Ctx::Global && !matches!(other, Ctx::Form | Ctx::Filter))
        || (other == Ctx::Global && !matches!(ctx, Ctx::Form | Ctx::Filter))
}

/// A key a form field or the filter line needs for typing: a character,
/// or a key that moves in or deletes text.
fn edits_text(key: &Key) -> bool {
    use ratatui::crossterm::event::KeyCode as K;
    key.mods
        .intersection(KeyModifiers::CONTROL | KeyModifiers::ALT)
        == KeyModifiers::NONE
        && matches!(
            key.code,
            K::Char(_) | K::Left | K::Right | K::Backspace | K::Delete | K::Home | K::End
        )
}

/// The same key as the dispatcher sees it (Shift belongs to the character).
fn same(a: &Key, b: &Key) -> bool {
    a.code == b.code && a.mods - KeyModifiers::SHIFT == b.mods - KeyModifiers::SHIFT
}

impl Keymap {
    /// The default keys with `overrides` (action name → keys, several
    /// apart by spaces) replacing those of each named action wherever it
    /// is bound. Every problem is reported, not just the first.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<Self, Vec<KeyError>> {
        let mut map = Self::default();
        let mut errors = Vec::new();
        let mut remapped = Vec::new();
        for (action, text) in overrides {
            let Ok(cmd) = action.parse::<Command>() else {
                errors.push(KeyError::UnknownAction {
                    action: action.clone(),
                });
                continue;
            };
            let keys = match parse_keys(text) {
                Ok(keys) => keys,
                Err(bad) => {
                    errors.extend(bad.into_iter().map(|key| KeyError::BadKey {
                        action: action.clone(),
                        key,
                    }));
                    continue;
                }
            };
            for (i, b) in BINDINGS.iter().enumerate() {
                if b.cmd == cmd {
                    map.keys[i].clone_from(&keys);
                }
            }
            remapped.push(cmd);
        }
        errors.extend(map.problems(&remapped));
        if errors.is_empty() {
            Ok(map)
        } else {
            Err(errors)
        }
    }

    /// Conflicts and text-typing keys that involve a remapped command.
    fn problems(&self, remapped: &[Command]) -> Vec<KeyError> {
        let mut out = Vec::new();
        let bound: Vec<(&Binding, &Vec<Key>)> = BINDINGS.iter().zip(&self.keys).collect();
        for (i, (a, a_keys)) in bound.iter().enumerate() {
            for key in a_keys.iter() {
                let text = edits_text(key);
                if text && matches!(a.ctx, Ctx::Form | Ctx::Filter) && remapped.contains(&a.cmd) {
                    out.push(KeyError::TypesText {
                        action: a.cmd.name().to_string(),
                        key: key_name(key),
                        context: a.ctx.title(),
                    });
                }
                for (b, b_keys) in &bound[i + 1..] {
                    let clash = a.cmd != b.cmd
                        && reaches(a.ctx, b.ctx)
                        && (remapped.contains(&a.cmd) || remapped.contains(&b.cmd))
                        && b_keys.iter().any(|k| same(k, key));
                    if clash {
                        // Name the remapped one first: that is the line to fix.
                        let (first, second) = if remapped.contains(&a.cmd) {
                            (a.cmd, b.cmd)
                        } else {
                            (b.cmd, a.cmd)
                        };
                        let context = if a.ctx == Ctx::Global { b.ctx } else { a.ctx };
                        let error = KeyError::Conflict {
                            action: first.name().to_string(),
                            other: second.name().to_string(),
                            key: key_name(key),
                            context: context.title(),
                        };
                        if !out.contains(&error) {
                            out.push(error);
                        }
                    }
                }
            }
        }
        out
    }

    /// Every binding with its keys in force.
    pub fn bindings(&self) -> impl Iterator<Item = (&'static Binding, &[Key])> {
        BINDINGS.iter().zip(self.keys.iter().map(Vec::as_slice))
    }

    /// The command `ev` means in `ctx` (its own bindings first, then the
    /// global ones unless the context takes text).
    pub fn lookup(&self, ctx: Ctx, ev: &KeyEvent) -> Option<Command> {
        let pressed = Key {
            code: ev.code,
            mods: ev.modifiers,
        };
        let find = |c: Ctx| {
            self.bindings()
                .filter(|(b, _)| b.ctx == c)
                .find(|(_, keys)| keys.iter().any(|k| same(k, &pressed)))
                .map(|(b, _)| b.cmd)
        };
        find(ctx).or_else(|| {
            if matches!(ctx, Ctx::Form | Ctx::Filter) {
                None
            } else {
                find(Ctx::Global)
            }
        })
    }

    /// The hint-bar entries for a context: (keys, label).
    pub fn hints(&self, ctx: Ctx) -> Vec<(String, &'static str)> {
        let entries = |c: Ctx| {
            self.bindings()
                .filter(move |(b, _)| b.ctx == c && !b.hint.is_empty())
                .map(|(b, keys)| (label(keys), b.hint))
        };
        let mut out: Vec<_> = entries(ctx).collect();
        if !matches!(ctx, Ctx::Form | Ctx::Filter) {
            out.extend(entries(Ctx::Global));
        }
        out
    }

    /// The keys of `cmd` in `ctx`, as the screens show them.
    pub fn keys_of(&self, ctx: Ctx, cmd: Command) -> &[Key] {
        self.bindings()
            .find(|(b, _)| b.ctx == ctx && b.cmd == cmd)
            .map_or(&[], |(_, keys)| keys)
    }

    /// One key of `cmd` in `ctx` for a short hint: a letter if it has one
    /// (`j` rather than `↓`).
    pub fn short_key(&self, ctx: Ctx, cmd: Command) -> String {
        let keys = self.keys_of(ctx, cmd);
        keys.iter()
            .find(|k| matches!(k.code, ratatui::crossterm::event::KeyCode::Char(_)))
            .or(keys.first())
            .map_or_else(String::new, key_label)
    }

    /// The key of `cmd` for a sentence on screen ("Press a to add"): as
    /// [`Self::short_key`], looking in `ctx` and then among the global keys.
    pub fn say(&self, ctx: Ctx, cmd: Command) -> String {
        let own = self.short_key(ctx, cmd);
        if own.is_empty() {
            self.short_key(Ctx::Global, cmd)
        } else {
            own
        }
    }

    /// Every action with its keys in force as the settings file writes
    /// them (`("redo", "ctrl-r")`), in the order of [`Command`].
    pub fn actions(&self) -> Vec<(&'static str, String)> {
        Command::iter()
            .filter_map(|cmd| {
                let (_, keys) = self.bindings().find(|(b, _)| b.cmd == cmd)?;
                let names: Vec<String> = keys.iter().map(key_name).collect();
                Some((cmd.name(), names.join(" ")))
            })
            .collect()
    }
}

/// Keys as the hint bar and help show them: `↓/j`.
pub fn label(keys: &[Key]) -> String {
    keys.iter().map(key_label).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyCode;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, k)| (a.to_string(), k.to_string()))
            .collect()
    }

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn no_overrides_is_the_key_table() {
        let keymap = Keymap::with_overrides(&BTreeMap::new()).unwrap();
        assert_eq!(keymap, Keymap::default());
        for (b, keys) in keymap.bindings() {
            assert_eq!(b.keys, keys);
        }
        // Every action has a name that reads back as itself.
        for (name, keys) in keymap.actions() {
            assert_eq!(name.parse::<Command>().map(Command::name), Ok(name));
            assert!(parse_keys(&keys).is_ok(), "{name} = {keys}");
        }
        assert_eq!(
            keymap.actions().iter().find(|(a, _)| *a == "redo"),
            Some(&("redo", "ctrl-r".to_string()))
        );
    }

    #[test]
    fn an_action_is_remapped_wherever_it_is_bound() {
        let keymap =
            Keymap::with_overrides(&map(&[("new_session", "N"), ("down", "j ctrl-n")])).unwrap();
        for ctx in [Ctx::Clients, Ctx::Client] {
            assert_eq!(keymap.lookup(ctx, &press('N')), Some(Command::NewSession));
            assert_eq!(keymap.lookup(ctx, &press('n')), None);
        }
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(keymap.lookup(Ctx::Today, &ctrl_n), Some(Command::Down));
        assert_eq!(keymap.hints(Ctx::Clients)[3], ("N".to_string(), "session"));
    }

    #[test]
    fn an_unknown_action_is_named() {
        let errors = Keymap::with_overrides(&map(&[("quit", "Q"), ("launch", "l")])).unwrap_err();
        assert_eq!(
            errors,
            vec![KeyError::UnknownAction {
                action: "launch".into()
            }]
        );
        assert_eq!(errors[0].action(), "launch");
        assert!(errors[0].to_string().contains("`launch`"));
    }

    #[test]
    fn a_key_that_is_not_one_is_named() {
        let errors = Keymap::with_overrides(&map(&[("redo", "ctrl+r"), ("undo", "")])).unwrap_err();
        assert_eq!(
            errors,
            vec![
                KeyError::BadKey {
                    action: "redo".into(),
                    key: "ctrl+r".into()
                },
                KeyError::BadKey {
                    action: "undo".into(),
                    key: String::new()
                },
            ]
        );
    }

    #[test]
    fn two_actions_on_one_key_in_one_screen_conflict() {
        // `n` is a screen key on the home and client screens.
        let errors = Keymap::with_overrides(&map(&[("quit", "n")])).unwrap_err();
        assert!(
            errors.contains(&KeyError::Conflict {
                action: "quit".into(),
                other: "new_session".into(),
                key: "n".into(),
                context: "Clients (home)",
            }),
            "{errors:?}"
        );
        assert!(errors.iter().all(|e| e.action() == "quit"));
        // Two screen actions on one key of the same screen.
        let errors = Keymap::with_overrides(&map(&[("chart", "f")])).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].to_string().contains("`f`"), "{}", errors[0]);
        // The same key on two different screens is fine, as is a global
        // key inside a form (forms do not see global keys).
        assert!(Keymap::with_overrides(&map(&[("chart", "x"), ("export", "X")])).is_ok());
        assert!(Keymap::with_overrides(&map(&[("redo", "ctrl-s")])).is_ok());
        // Swapping two keys is not a conflict.
        assert!(Keymap::with_overrides(&map(&[("undo", "U"), ("archive", "u")])).is_ok());
    }

    #[test]
    fn a_form_key_may_not_be_a_letter() {
        let errors = Keymap::with_overrides(&map(&[("save", "s")])).unwrap_err();
        assert_eq!(
            errors,
            vec![KeyError::TypesText {
                action: "save".into(),
                key: "s".into(),
                context: "Forms",
            }]
        );
        assert!(Keymap::with_overrides(&map(&[("save", "f2 ctrl-w")])).is_ok());
        let errors = Keymap::with_overrides(&map(&[("accept_filter", "enter right")])).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].to_string().contains("`right`"), "{}", errors[0]);
    }
}
