//! A form: labelled fields of a few kinds, one focused, each with the reason
//! it is invalid shown beside it. Purpose-specific modules build forms from
//! records and records from forms.

pub use super::field_key::FieldKey;
pub use super::notes_area::NotesArea;
use crate::domain::{DATE_HINT, Warning};
use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::borrow::Cow;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

/// Longest text a single-line field takes (typed or pasted).
pub const TEXT_CAP: usize = 200;
/// Longest text a notes field takes.
pub const NOTES_CAP: usize = 2000;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Free text, numbers and dates: what is typed is parsed by the purpose.
    Text { cap: usize },
    /// One of a list; `selected` indexes `options`.
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    /// Multi-line text (notes): `Enter` breaks the line, `Tab` leaves.
    Notes(Box<NotesArea>),
    /// Any of a list; `cursor` is the option under the cursor.
    Multi {
        options: Vec<String>,
        on: Vec<bool>,
        cursor: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub key: FieldKey,
    /// Fixed for most fields; a row built per item (a photo's file name)
    /// carries its own.
    pub label: Cow<'static, str>,
    pub kind: Kind,
    pub input: Input,
    /// Shown after the value: the expected format, range or zone hint.
    pub hint: String,
    pub error: Option<String>,
    /// A heading drawn above the field.
    pub section: Option<Cow<'static, str>>,
    /// Not shown and passed over by `Tab` (a field that applies only to
    /// what is ticked elsewhere); it keeps its value meanwhile.
    pub hidden: bool,
}

impl Field {
    /// A text field for a day, blank for None, typed as [`DATE_HINT`] says.
    pub fn day(key: FieldKey, label: &'static str, value: Option<NaiveDate>) -> Self {
        let text = value.map(|d| d.to_string()).unwrap_or_default();
        Self::text(key, label, &text, DATE_HINT)
    }

    pub fn text(key: FieldKey, label: &'static str, value: &str, hint: &str) -> Self {
        Self::text_capped(key, label, value, hint, TEXT_CAP)
    }

    pub fn text_capped(
        key: FieldKey,
        label: &'static str,
        value: &str,
        hint: &str,
        cap: usize,
    ) -> Self {
        Self {
            key,
            label: Cow::Borrowed(label),
            kind: Kind::Text { cap },
            input: Input::new(value.chars().take(cap).collect()),
            hint: hint.to_string(),
            error: None,
            section: None,
            hidden: false,
        }
    }

    /// A multi-line notes field holding `value`.
    pub fn notes(key: FieldKey, label: &'static str, value: &str, cap: usize) -> Self {
        let area = NotesArea::new(value, cap);
        Self {
            key,
            label: Cow::Borrowed(label),
            input: Input::new(area.text()),
            kind: Kind::Notes(Box::new(area)),
            hint: "Enter breaks the line, Tab leaves".into(),
            error: None,
            section: None,
            hidden: false,
        }
    }

    /// Puts `text` in a text or notes field, the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        match &mut self.kind {
            Kind::Notes(notes) => {
                **notes = NotesArea::new(text, notes.cap);
                self.input = Input::new(notes.text());
            }
            Kind::Text { cap } => self.input = Input::new(text.chars().take(*cap).collect()),
            Kind::Choice { .. } | Kind::Multi { .. } => {}
        }
    }

    /// A notes field takes `Enter`, `↑` and `↓` for itself.
    pub fn is_notes(&self) -> bool {
        matches!(self.kind, Kind::Notes(_))
    }

    pub fn choice(
        key: FieldKey,
        label: &'static str,
        options: Vec<String>,
        selected: usize,
    ) -> Self {
        let selected = selected.min(options.len().saturating_sub(1));
        Self {
            key,
            label: Cow::Borrowed(label),
            kind: Kind::Choice { options, selected },
            input: Input::default(),
            hint: "←/→ to change".into(),
            error: None,
            section: None,
            hidden: false,
        }
    }

    pub fn multi(key: FieldKey, label: &'static str, options: Vec<String>, on: Vec<bool>) -> Self {
        let mut on = on;
        on.resize(options.len(), false);
        Self {
            key,
            label: Cow::Borrowed(label),
            kind: Kind::Multi {
                options,
                on,
                cursor: 0,
            },
            input: Input::default(),
            hint: "←/→ move, Space toggles".into(),
            error: None,
            section: None,
            hidden: false,
        }
    }

    /// The same field under another label.
    pub fn labelled(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.label = label.into();
        self
    }

    pub fn in_section(mut self, section: impl Into<Cow<'static, str>>) -> Self {
        self.section = Some(section.into());
        self
    }

    /// Shown only when `shown` (see [`Field::hidden`]).
    pub fn shown_if(mut self, shown: bool) -> Self {
        self.hidden = !shown;
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The option a choice field shows; None for other kinds.
    pub fn chosen(&self) -> Option<&str> {
        match &self.kind {
            Kind::Choice { options, selected } => options.get(*selected).map(String::as_str),
            _ => None,
        }
    }

    pub fn selected(&self) -> usize {
        match &self.kind {
            Kind::Choice { selected, .. } => *selected,
            _ => 0,
        }
    }

    /// Picks option `i` of a choice (nothing else changes).
    pub fn select(&mut self, i: usize) {
        if let Kind::Choice { options, selected } = &mut self.kind {
            *selected = i.min(options.len().saturating_sub(1));
        }
    }

    pub fn checked(&self) -> Vec<usize> {
        match &self.kind {
            Kind::Multi { on, .. } => on
                .iter()
                .enumerate()
                .filter(|(_, on)| **on)
                .map(|(i, _)| i)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Applies a key that is not a form command; true when the value changed.
    fn key(&mut self, ev: KeyEvent) -> bool {
        match &mut self.kind {
            Kind::Text { cap } => {
                if let KeyCode::Char(c) = ev.code
                    && (c.is_control() || self.input.value().chars().count() >= *cap)
                    && !ev.modifiers.contains(KeyModifiers::CONTROL)
                {
                    return false;
                }
                let before = self.input.value().to_string();
                self.input.handle_event(&Event::Key(ev));
                before != self.input.value()
            }
            Kind::Notes(notes) => {
                if !NotesArea::takes(&ev) {
                    return false;
                }
                let before = notes.area.clone();
                let text = notes.text();
                notes.area.input(ev);
                if notes.chars() > notes.cap {
                    // Full: the key is not taken.
                    notes.area = before;
                    return false;
                }
                let after = notes.text();
                if after == text {
                    return false;
                }
                self.input = Input::new(after);
                true
            }
            Kind::Choice { options, selected } => {
                let n = options.len().max(1);
                match ev.code {
                    KeyCode::Right | KeyCode::Char(' ') | KeyCode::Char('l') => {
                        *selected = (*selected + 1) % n
                    }
                    KeyCode::Left | KeyCode::Char('h') => *selected = (*selected + n - 1) % n,
                    KeyCode::Char(c) => {
                        // Jump to the next option starting with the typed letter.
                        let c = c.to_ascii_lowercase();
                        let found = (1..=n)
                            .map(|i| (*selected + i) % n)
                            .find(|&i| options[i].to_lowercase().starts_with(c));
                        match found {
                            Some(i) => *selected = i,
                            None => return false,
                        }
                    }
                    _ => return false,
                }
                true
            }
            Kind::Multi {
                options,
                on,
                cursor,
            } => {
                let n = options.len().max(1);
                match ev.code {
                    KeyCode::Right | KeyCode::Char('l') => *cursor = (*cursor + 1) % n,
                    KeyCode::Left | KeyCode::Char('h') => *cursor = (*cursor + n - 1) % n,
                    KeyCode::Char(' ') | KeyCode::Char('x') => {
                        if let Some(v) = on.get_mut(*cursor) {
                            *v = !*v;
                            return true;
                        }
                    }
                    _ => {}
                }
                false
            }
        }
    }

    /// Inserts pasted text into a text field: line breaks become spaces (the
    /// fields are single-line) and the paste is cut at the field's cap.
    /// Returns whether anything was cut or changed.
    fn paste(&mut self, text: &str) -> PasteResult {
        if let Kind::Notes(notes) = &mut self.kind {
            // Line breaks are kept; other control characters are dropped.
            let clean: String = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .replace('\t', " ")
                .chars()
                .filter(|&c| c == '\n' || !c.is_control())
                .collect();
            let room = notes.cap.saturating_sub(notes.chars());
            let cut = clean.chars().count() > room;
            let insert: String = clean.chars().take(room).collect();
            notes.area.insert_str(&insert);
            self.input = Input::new(notes.text());
            return PasteResult::Pasted {
                had_breaks: false,
                cut,
            };
        }
        let Kind::Text { cap } = self.kind else {
            return PasteResult::NotText;
        };
        let had_breaks = text.contains(['\n', '\r']);
        let clean: String = text
            .chars()
            .map(|c| {
                if c == '\n' || c == '\r' || c == '\t' {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !c.is_control())
            .collect();
        let room = cap.saturating_sub(self.input.value().chars().count());
        let cut = clean.chars().count() > room;
        let mut value = self.input.value().to_string();
        let cursor = self.input.cursor().min(value.chars().count());
        let at = value
            .char_indices()
            .nth(cursor)
            .map_or(value.len(), |(i, _)| i);
        let insert: String = clean.chars().take(room).collect();
        value.insert_str(at, &insert);
        let new_cursor = cursor + insert.chars().count();
        self.input = Input::new(value).with_cursor(new_cursor);
        PasteResult::Pasted { had_breaks, cut }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteResult {
    NotText,
    Pasted { had_breaks: bool, cut: bool },
}

/// A warning above a form: one a saved session records (by its code), or a
/// note of the form's own (a possible duplicate, a file about to be replaced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormWarning {
    Session(Warning),
    Note(String),
}

impl FormWarning {
    /// A form's own note is a caution.
    pub fn weight(&self) -> crate::domain::Weight {
        match self {
            Self::Session(w) => w.weight(),
            Self::Note(_) => crate::domain::Weight::Caution,
        }
    }
}

impl std::fmt::Display for FormWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Session(w) => w.fmt(f),
            Self::Note(text) => f.write_str(text),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// Warnings for what is in the form now.
    pub warnings: Vec<FormWarning>,
    /// Saving records the warnings with the record (session forms).
    pub records_warnings: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Self {
        Self {
            title: title.into(),
            fields,
            focus: 0,
            dirty: false,
            warnings: Vec::new(),
            records_warnings: false,
        }
    }

    /// The session warnings shown now, which saving records.
    pub fn session_warnings(&self) -> impl Iterator<Item = &Warning> {
        self.warnings.iter().filter_map(|w| match w {
            FormWarning::Session(w) => Some(w),
            FormWarning::Note(_) => None,
        })
    }

    pub fn field(&self, key: FieldKey) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn field_mut(&mut self, key: FieldKey) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.key == key)
    }

    pub fn text(&self, key: FieldKey) -> &str {
        self.field(key).map_or("", Field::value)
    }

    pub fn selected(&self, key: FieldKey) -> usize {
        self.field(key).map_or(0, Field::selected)
    }

    pub fn checked(&self, key: FieldKey) -> Vec<usize> {
        self.field(key).map_or_else(Vec::new, Field::checked)
    }

    pub fn set_error(&mut self, key: FieldKey, error: impl Into<String>) {
        if let Some(f) = self.field_mut(key)
            && f.error.is_none()
        {
            f.error = Some(error.into());
        }
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
    }

    pub fn invalid_fields(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|f| f.error.is_some())
            .map(|f| f.label.as_ref())
            .collect()
    }

    /// The next field shown, wrapping around.
    pub fn next(&mut self) {
        self.step(1);
    }

    /// The previous field shown, wrapping around.
    pub fn prev(&mut self) {
        self.step(self.fields.len().max(1) - 1);
    }

    fn step(&mut self, by: usize) {
        let n = self.fields.len().max(1);
        for _ in 0..n {
            self.focus = (self.focus + by) % n;
            if !self.fields.get(self.focus).is_some_and(|f| f.hidden) {
                return;
            }
        }
    }

    /// Moves the focus off a field that is hidden now, to the next shown.
    pub fn focus_shown(&mut self) {
        if self.fields.get(self.focus).is_some_and(|f| f.hidden) {
            self.next();
        }
    }

    /// Empties the focused text field (`Ctrl-U`); true when it held text.
    pub fn clear_focused(&mut self) -> bool {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return false;
        };
        if !matches!(f.kind, Kind::Text { .. } | Kind::Notes(_)) || f.input.value().is_empty() {
            return false;
        }
        f.set_text("");
        self.dirty = true;
        true
    }

    /// A key for the focused field; true when the form's values changed.
    pub fn key(&mut self, ev: KeyEvent) -> bool {
        // Enter moves on, as in paper forms filled top to bottom, and stays
        // on the last field rather than wrapping to the first.
        let notes = self.fields.get(self.focus).is_some_and(Field::is_notes);
        if ev.code == KeyCode::Enter && !notes {
            if self
                .fields
                .get(self.focus + 1..)
                .is_some_and(|rest| rest.iter().any(|f| !f.hidden))
            {
                self.next();
            }
            return false;
        }
        let changed = self.fields.get_mut(self.focus).is_some_and(|f| f.key(ev));
        self.dirty |= changed;
        changed
    }

    pub fn paste(&mut self, text: &str) -> PasteResult {
        let r = self
            .fields
            .get_mut(self.focus)
            .map_or(PasteResult::NotText, |f| f.paste(text));
        if matches!(r, PasteResult::Pasted { .. }) {
            self.dirty = true;
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn form() -> Form {
        Form::new(
            "t",
            vec![
                Field::text_capped(FieldKey::Name, "Name", "", "", 5),
                Field::choice(
                    FieldKey::Fitzpatrick,
                    "Fitzpatrick",
                    vec!["—".into(), "I".into(), "II".into()],
                    0,
                ),
                Field::multi(
                    FieldKey::Zones,
                    "Zones",
                    vec!["cheeks".into(), "chin".into()],
                    vec![false, true],
                ),
            ],
        )
    }

    #[test]
    fn typing_is_capped_and_marks_dirty() {
        let mut f = form();
        assert!(!f.dirty);
        for c in "abcdefg".chars() {
            f.key(key(KeyCode::Char(c)));
        }
        assert_eq!(f.text(FieldKey::Name), "abcde");
        assert!(f.dirty);
        f.key(key(KeyCode::Backspace));
        assert_eq!(f.text(FieldKey::Name), "abcd");
    }

    #[test]
    fn paste_strips_line_breaks_and_caps() {
        let mut f = form();
        assert_eq!(
            f.paste("a\nbcdefgh"),
            PasteResult::Pasted {
                had_breaks: true,
                cut: true
            }
        );
        assert_eq!(f.text(FieldKey::Name), "a bcd");
        f.focus = 1;
        assert_eq!(f.paste("x"), PasteResult::NotText);
    }

    #[test]
    fn choices_cycle_and_multi_toggles() {
        let mut f = form();
        f.next();
        f.key(key(KeyCode::Right));
        assert_eq!(f.selected(FieldKey::Fitzpatrick), 1);
        f.key(key(KeyCode::Left));
        f.key(key(KeyCode::Left));
        assert_eq!(f.selected(FieldKey::Fitzpatrick), 2);
        f.next();
        f.key(key(KeyCode::Char(' ')));
        assert_eq!(f.checked(FieldKey::Zones), [0, 1]);
        f.key(key(KeyCode::Right));
        f.key(key(KeyCode::Char(' ')));
        assert_eq!(f.checked(FieldKey::Zones), [0]);
        f.next();
        assert_eq!(f.focus, 0, "focus wraps around");
    }
}
