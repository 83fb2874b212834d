//! A harness for driving the application like a user: keys in, screens out,
//! against a real store in a temporary folder.

use super::{insert_demo, today};
use chrono::{NaiveDateTime, TimeZone, Utc};
use needlelog::app::run::{settle, start};
use needlelog::app::{Action, FormState, State};
use needlelog::db::client_list::ClientRow;
use needlelog::db::{Clock, Store};
use needlelog::screenshot::{draw, to_text};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

/// 10:00 on [`today`].
pub fn now() -> NaiveDateTime {
    today().and_hms_opt(10, 0, 0).unwrap()
}

pub struct App {
    pub state: State,
    pub store: Store,
    pub dir: TempDir,
}

impl App {
    pub fn empty(size: (u16, u16)) -> Self {
        Self::with_clients(0, size)
    }

    /// A store with one client, `client`, whose acne-scar series (started 30
    /// days ago) holds one session four days ago, with no follow-up yet.
    pub fn with_one_session(size: (u16, u16), client: &needlelog::domain::ClientDraft) -> Self {
        use needlelog::domain::{Concern, SeriesDraft, SessionDraft};
        let mut app = Self::empty(size);
        let series = SeriesDraft::new(Concern::AcneScars, today() - chrono::Duration::days(30));
        let c = app.store.create_client(client, Some(&series)).unwrap();
        let s = app.store.series_of(c.id).unwrap()[0].id;
        let at = (today() - chrono::Duration::days(4))
            .and_hms_opt(9, 30, 0)
            .unwrap();
        app.store.create_session(s, &SessionDraft::at(at)).unwrap();
        start(&mut app.state, &mut app.store);
        app
    }

    /// A store with `n` demo clients (seed 1, generated for 2026-11-21).
    pub fn with_clients(n: usize, size: (u16, u16)) -> Self {
        Self::made(n, size, None)
    }

    /// [`App::with_clients`] on a database encrypted with `passphrase`.
    pub fn encrypted(n: usize, size: (u16, u16), passphrase: &str) -> Self {
        Self::made(n, size, Some(passphrase))
    }

    fn made(n: usize, size: (u16, u16), passphrase: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db");
        if let Some(p) = passphrase {
            needlelog::db::cipher::remember(&path, super::cipher::pass(p));
        }
        let mut store = Store::open(&path).unwrap();
        store.set_clock(Clock::Fixed(Utc.from_utc_datetime(&now())));
        if n > 0 {
            insert_demo(&mut store, n, 1);
        }
        let mut state = State::new(now(), size, "test.db", false);
        state.color = false;
        start(&mut state, &mut store);
        Self { state, store, dir }
    }

    pub fn act(&mut self, actions: Vec<Action>) {
        let _ = settle(&mut self.state, &mut self.store, actions);
    }

    /// Presses keys: plain characters, or `<Enter>`, `<Esc>`, `<Tab>`,
    /// `<S-Tab>`, `<C-s>`, `<Down>`, `<Up>`, `<Left>`, `<Right>`, `<Space>`,
    /// `<BS>`, `<PgDn>`, `<PgUp>`, `<Home>`, `<End>`.
    pub fn keys(&mut self, keys: &str) {
        let actions = parse_keys(keys).into_iter().map(Action::Key).collect();
        self.act(actions);
    }

    /// Types text into whatever has the keyboard.
    pub fn type_text(&mut self, text: &str) {
        let actions = text
            .chars()
            .map(|c| Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
            .collect();
        self.act(actions);
    }

    pub fn screen(&self) -> String {
        to_text(&draw(&self.state))
    }

    pub fn status(&self) -> String {
        self.state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    /// The open form; panics when none is open.
    pub fn open_form(&self) -> &FormState {
        self.state.form.as_ref().expect("a form is open")
    }

    pub fn open_form_mut(&mut self) -> &mut FormState {
        self.state.form.as_mut().expect("a form is open")
    }

    /// The warnings above the open form, as read.
    pub fn warnings_shown(&self) -> Vec<String> {
        self.open_form()
            .form
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The sessions of the first series of the client called `name`, oldest
    /// first, as stored.
    pub fn stored_sessions(&self, name: &str) -> Vec<needlelog::domain::SessionDraft> {
        let c = self.store.find_client(name).unwrap();
        let series = self.store.series_of(c.id).unwrap()[0].id;
        self.store
            .sessions_of(series)
            .unwrap()
            .into_iter()
            .map(|x| x.data)
            .collect()
    }

    /// Reads the list again from the store (after writing to it directly)
    /// and lays it out for the screen's size.
    pub fn reload(&mut self) {
        let loaded =
            needlelog::app::effects::run(&mut self.store, &needlelog::app::Effect::LoadClients);
        self.act(loaded);
        self.act(vec![Action::Resize(self.state.size.0, self.state.size.1)]);
    }

    /// Puts the cursor of the open form on its field `key`.
    pub fn focus_field(&mut self, key: &str) {
        let form = &mut self.open_form_mut().form;
        form.focus = form
            .fields
            .iter()
            .position(|f| f.key.as_ref() == key)
            .unwrap_or_else(|| panic!("the form has no field {key:?}"));
    }

    /// The error the open form shows at its field `key`, if any.
    pub fn field_error(&self, key: &str) -> Option<String> {
        let key = key.parse().expect("a field name");
        let field = self.open_form().form.field(key);
        field
            .unwrap_or_else(|| panic!("the form has no field {key:?}"))
            .error
            .clone()
    }

    /// Replaces what the open form's field `key` holds with `text`, as a
    /// paste would, without the keys.
    pub fn set_input(&mut self, key: &str, text: &str) {
        let key = key.parse().expect("a field name");
        let field = self.open_form_mut().form.field_mut(key);
        field
            .unwrap_or_else(|| panic!("the form has no field {key:?}"))
            .set_text(text);
    }

    /// The rows of the client list as shown, top to bottom.
    pub fn visible_rows(&self) -> impl Iterator<Item = &ClientRow> {
        self.state.visible.iter().map(|&i| &self.state.rows.rows[i])
    }

    /// Opens, in list order, each client until `keep` holds on the client
    /// screen; panics when none does.
    pub fn open_first(&mut self, what: &str, keep: impl Fn(&State) -> bool) {
        let ids: Vec<i64> = self.visible_rows().map(|r| r.id).collect();
        for id in ids {
            assert!(self.state.select_client(id));
            self.keys("<Enter>");
            if keep(&self.state) {
                return;
            }
            self.keys("<Esc>");
        }
        panic!("no client in the demo data {what}");
    }

    /// Moves the list cursor onto the client called `name`.
    pub fn select(&mut self, name: &str) {
        let id = self.store.find_client(name).unwrap().id;
        assert!(self.state.select_client(id), "{name} is not in the list");
    }
}

pub fn parse_keys(s: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '<' {
            out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            continue;
        }
        let mut name = String::new();
        for n in chars.by_ref() {
            if n == '>' {
                break;
            }
            name.push(n);
        }
        let ev = match name.as_str() {
            "Enter" => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            "Esc" => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            "Tab" => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
            "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
            "Down" => KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
            "Up" => KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
            "Left" => KeyEvent::new(KeyCode::Left, KeyModifiers::NONE),
            "Right" => KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
            "Space" => KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE),
            "BS" => KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
            "PgDn" => KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE),
            "PgUp" => KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE),
            "Home" => KeyEvent::new(KeyCode::Home, KeyModifiers::NONE),
            "End" => KeyEvent::new(KeyCode::End, KeyModifiers::NONE),
            "lt" => KeyEvent::new(KeyCode::Char('<'), KeyModifiers::NONE),
            other if other.starts_with("C-") && other.len() == 3 => KeyEvent::new(
                KeyCode::Char(other.chars().nth(2).unwrap()),
                KeyModifiers::CONTROL,
            ),
            other => panic!("unknown key <{other}>"),
        };
        out.push(ev);
    }
    out
}
