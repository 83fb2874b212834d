//! The one table of key bindings. Dispatch, the `?` help overlay, the hint
//! bar and the README's key list all come from it.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use strum::IntoEnumIterator;

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
    Photos,
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
            Self::Photos => "Compare photos",
            Self::Form => "Forms",
            Self::Filter => "Filter line",
        }
    }
}

/// What a key does. Each has a stable snake_case action name
/// (`add_client`, `save`) by which the settings file remaps its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[derive(strum::EnumIter, strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
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
    ConfirmCheck,
    AttachPhotos,
    ComparePhotos,
    PrevVisit,
    NextVisit,
    PhotoView,
    OpenPhoto,
}

impl Command {
    /// The action name the settings file uses.
    pub fn name(self) -> &'static str {
        self.into()
    }
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

mod keys;
mod remap;
mod table;
pub use keys::{key_name, parse_key, parse_keys};
pub use remap::{KeyError, Keymap, label};
pub use table::BINDINGS;

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
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    let alt = if k.mods.contains(KeyModifiers::ALT) {
        "Alt-"
    } else {
        ""
    };
    if k.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{alt}{}", base.to_uppercase())
    } else {
        format!("{alt}{base}")
    }
}

/// A binding's default keys as the screens show them.
pub fn keys_label(b: &Binding) -> String {
    label(b.keys)
}

/// Contexts in the order the help overlay and README list them.
pub const HELP_ORDER: [Ctx; 8] = [
    Ctx::Clients,
    Ctx::Client,
    Ctx::Chart,
    Ctx::Today,
    Ctx::Photos,
    Ctx::Form,
    Ctx::Filter,
    Ctx::Global,
];

/// The default key list as Markdown, as it appears in README.md.
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

/// The actions the settings file's `[keys]` section remaps, as Markdown
/// for README: name, default keys (as written in the file), where, what.
pub fn actions_markdown() -> String {
    let mut s = String::from("| Action | Default keys | Where | Does |\n|---|---|---|---|\n");
    for cmd in Command::iter() {
        let bound: Vec<&Binding> = BINDINGS.iter().filter(|b| b.cmd == cmd).collect();
        let Some(first) = bound.first() else {
            continue;
        };
        let keys: Vec<String> = first.keys.iter().map(key_name).collect();
        let wheres: Vec<&str> = bound.iter().map(|b| b.ctx.title()).collect();
        s.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            cmd.name(),
            keys.join(" "),
            wheres.join(", "),
            first.help
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Command as C;
    use Ctx::*;
    use ratatui::crossterm::event::KeyEvent;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn lookup(ctx: Ctx, ev: &KeyEvent) -> Option<Command> {
        Keymap::default().lookup(ctx, ev)
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
    fn readme_lists_the_actions() {
        crate::testing::assert_readme_lists(
            &actions_markdown(),
            "key action list",
            "the keymap",
            "keymap::actions_markdown()",
        );
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
