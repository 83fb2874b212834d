//! A harness for driving the application like a user: keys in, screens out,
//! against a real store in a temporary folder.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use needlelog::app::{Action, State};
use needlelog::db::{Clock, Store};
use needlelog::demo::{DemoSpec, generate};
use needlelog::render::{draw, to_text};
use needlelog::tui::{settle, start};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

pub const TODAY: (i32, u32, u32) = (2026, 11, 21);

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

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

    /// A store with `n` demo clients (seed 1, generated for 2026-11-21).
    pub fn with_clients(n: usize, size: (u16, u16)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("test.db")).unwrap();
        store.set_clock(Clock::Fixed(Utc.from_utc_datetime(&now())));
        if n > 0 {
            let trees = generate(DemoSpec {
                clients: n,
                seed: 1,
                today: today(),
            });
            store
                .insert_trees(&trees, needlelog::db::Action::Demo, "test data")
                .unwrap();
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
