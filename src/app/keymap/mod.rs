//! The one table of key bindings. Dispatch, the `?` help overlay, the hint
//! bar and the README's key list all come from it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies. A screen looks up its own context first, then
/// `Global`. Forms and the filter line take printable keys as text, so only
/// their own bindings apply there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ctx {
    Global,
    Clients,
    Client,
    Chart,
    Today,
    Form,
    Filter,
}

impl Ctx {
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Clients => "Clients (home)",
            Self::Client => "Client",
            Self::Chart => "Progress chart",
            Self::Today => "Today",
            Self::Form => "Forms",
            Self::Filter => "Filter line",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    ForceQuit,
    Help,
    Back,
    Filter,
    Undo,
    Redo,
    Suspend,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Open,
    AddClient,
    EditClient,
    NewSession,
    CycleView,
    CycleSort,
    Archive,
    NewSeries,
    EditSession,
    Followup,
    Chart,
    NextSeries,
    PrevSeries,
    RecordNextPage,
    RecordPrevPage,
    Save,
    NextField,
    PrevField,
    ClearField,
    Cancel,
    AcceptFilter,
    Export,
    Today,
    EditPlan,
    CloseSeries,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

pub struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [Key],
    pub cmd: Command,
    /// Short label for the hint bar; empty keeps the binding out of it.
    pub hint: &'static str,
    /// Line for the help overlay and README.
    pub help: &'static str,
}

mod table;
use Ctx::*;
pub use table::BINDINGS;

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    if key.code != ev.code {
        return false;
    }
    // Shift is part of the character for letters (`G`, `A`) and of BackTab.
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    mods == key.mods - KeyModifiers::SHIFT
}

/// The command `ev` means in `ctx` (its own bindings first, then the global
/// ones unless the context takes text).
pub fn lookup(ctx: Ctx, ev: &KeyEvent) -> Option<Command> {
    let own = BINDINGS
        .iter()
        .filter(|b| b.ctx == ctx)
        .find(|b| b.keys.iter().any(|k| matches(k, ev)));
    if let Some(b) = own {
        return Some(b.cmd);
    }
    if matches!(ctx, Form | Filter) {
        return None;
    }
    BINDINGS
        .iter()
        .filter(|b| b.ctx == Global)
        .find(|b| b.keys.iter().any(|k| matches(k, ev)))
        .map(|b| b.cmd)
}

pub fn key_label(k: &Key) -> String {
    let base = match k.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        other => format!("{other:?}"),
    };
    if k.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

pub fn keys_label(b: &Binding) -> String {
    b.keys.iter().map(key_label).collect::<Vec<_>>().join("/")
}

/// The hint-bar entries for a context: (keys, label).
pub fn hints(ctx: Ctx) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = BINDINGS
        .iter()
        .filter(|b| b.ctx == ctx && !b.hint.is_empty())
        .map(|b| (keys_label(b), b.hint))
        .collect();
    if !matches!(ctx, Form | Filter) {
        out.extend(
            BINDINGS
                .iter()
                .filter(|b| b.ctx == Global && !b.hint.is_empty())
                .map(|b| (keys_label(b), b.hint)),
        );
    }
    out
}

/// Contexts in the order the help overlay and README list them.
pub const HELP_ORDER: [Ctx; 7] = [
    Ctx::Clients,
    Ctx::Client,
    Ctx::Chart,
    Ctx::Today,
    Ctx::Form,
    Ctx::Filter,
    Ctx::Global,
];

/// The key list as Markdown, as it appears in README.md.
pub fn markdown() -> String {
    let mut s = String::new();
    for ctx in HELP_ORDER {
        s.push_str(&format!(
            "\n**{}**\n\n| Keys | Does |\n|---|---|\n",
            ctx.title()
        ));
        for b in BINDINGS.iter().filter(|b| b.ctx == ctx) {
            s.push_str(&format!("| `{}` | {} |\n", keys_label(b), b.help));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Command as C;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn screen_keys_win_over_global_ones() {
        assert_eq!(
            lookup(Clients, &ev(KeyCode::Char('n'), KeyModifiers::NONE)),
            Some(C::NewSession)
        );
        assert_eq!(
            lookup(Clients, &ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(C::Down)
        );
        assert_eq!(
            lookup(Client, &ev(KeyCode::Char('e'), KeyModifiers::NONE)),
            Some(C::EditSession)
        );
        assert_eq!(
            lookup(Clients, &ev(KeyCode::Char('e'), KeyModifiers::NONE)),
            Some(C::EditClient)
        );
        assert_eq!(
            lookup(Clients, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(C::Bottom)
        );
        assert_eq!(
            lookup(Client, &ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(C::PrevSeries)
        );
    }

    #[test]
    fn forms_take_letters_as_text() {
        assert_eq!(
            lookup(Form, &ev(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            lookup(Form, &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(C::Save)
        );
        assert_eq!(
            lookup(Filter, &ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b2 in &BINDINGS[i + 1..] {
                if a.ctx == b2.ctx {
                    for key in a.keys {
                        assert!(
                            !b2.keys.contains(key),
                            "{:?} bound twice in {:?}",
                            key,
                            a.ctx
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn readme_lists_the_keymap() {
        crate::testing::assert_readme_lists(
            &markdown(),
            "key list",
            "the keymap",
            "keymap::markdown()",
        );
    }
}
