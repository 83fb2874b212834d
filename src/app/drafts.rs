//! Half-typed forms kept across a lost terminal: what a form held, as
//! plain values, and how to put them back into a freshly built form.

use super::Purpose;
use super::form::{Form, Kind};
use serde::{Deserialize, Serialize};

/// The draft table's kind for interface forms.
pub const KIND: &str = "form";

/// What the form was for, by record ids: the form itself is rebuilt from
/// the database, so a record changed meanwhile is shown as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Target {
    AddClient,
    EditClient { client_id: i64 },
    NewSeries { client_id: i64 },
    NewSession { client_id: i64, series_id: i64 },
    EditSession { client_id: i64, session_id: i64 },
    Followup { client_id: i64, session_id: i64 },
}

impl Target {
    /// The client whose records the form needs, if any.
    pub fn client_id(&self) -> Option<i64> {
        match *self {
            Self::AddClient => None,
            Self::EditClient { client_id }
            | Self::NewSeries { client_id }
            | Self::NewSession { client_id, .. }
            | Self::EditSession { client_id, .. }
            | Self::Followup { client_id, .. } => Some(client_id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Choice(usize),
    Multi(Vec<bool>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub target: Target,
    pub title: String,
    pub focus: usize,
    pub values: Vec<(String, Value)>,
}

/// The draft of an open form; None for forms not worth keeping (export).
pub fn snapshot(form: &Form, purpose: &Purpose, client_id: Option<i64>) -> Option<Draft> {
    let target = match purpose {
        Purpose::AddClient => Target::AddClient,
        Purpose::EditClient { id, .. } => Target::EditClient { client_id: *id },
        Purpose::NewSeries { client_id } => Target::NewSeries {
            client_id: *client_id,
        },
        Purpose::NewSession { series_id, .. } => Target::NewSession {
            client_id: client_id?,
            series_id: *series_id,
        },
        Purpose::EditSession { id, .. } => Target::EditSession {
            client_id: client_id?,
            session_id: *id,
        },
        Purpose::Followup { session_id, .. } => Target::Followup {
            client_id: client_id?,
            session_id: *session_id,
        },
        Purpose::Export { .. } => return None,
    };
    let values = form
        .fields
        .iter()
        .map(|f| {
            let v = match &f.kind {
                Kind::Text { .. } => Value::Text(f.value().to_string()),
                Kind::Choice { selected, .. } => Value::Choice(*selected),
                Kind::Multi { on, .. } => Value::Multi(on.clone()),
            };
            (f.key.to_string(), v)
        })
        .collect();
    Some(Draft {
        target,
        title: form.title.clone(),
        focus: form.focus,
        values,
    })
}

/// Puts the draft's values into `form` (built afresh for the same target);
/// values that no longer fit a field are left at the form's default.
pub fn restore(form: &mut Form, draft: &Draft) {
    for (key, value) in &draft.values {
        let Some(field) = form.fields.iter_mut().find(|f| f.key == key.as_str()) else {
            continue;
        };
        match (&mut field.kind, value) {
            (Kind::Text { cap }, Value::Text(t)) => {
                let text: String = t.chars().take(*cap).collect();
                let len = text.chars().count();
                field.input = tui_input::Input::new(text).with_cursor(len);
            }
            (Kind::Choice { options, selected }, Value::Choice(i)) if *i < options.len() => {
                *selected = *i
            }
            (Kind::Multi { options, on, .. }, Value::Multi(v)) if v.len() == options.len() => {
                on.clone_from(v)
            }
            _ => {}
        }
    }
    form.focus = draft.focus.min(form.fields.len().saturating_sub(1));
    form.dirty = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::forms;
    use chrono::NaiveDate;

    #[test]
    fn a_draft_survives_json_and_fills_a_new_form() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let mut form = forms::client::add_form(today);
        form.field_mut("name").unwrap().input = tui_input::Input::new("Half Typed".into());
        form.focus = 3;
        if let Some(f) = form.field_mut("zones")
            && let Kind::Multi { on, .. } = &mut f.kind
        {
            on[2] = true;
        }
        let draft = snapshot(&form, &Purpose::AddClient, None).unwrap();
        let json = serde_json::to_value(&draft).unwrap();
        let back: Draft = serde_json::from_value(json).unwrap();
        assert_eq!(back, draft);
        let mut fresh = forms::client::add_form(today);
        restore(&mut fresh, &back);
        assert_eq!(fresh.text("name"), "Half Typed");
        assert_eq!(fresh.checked("zones"), [2]);
        assert_eq!(fresh.focus, 3);
        assert!(fresh.dirty);
    }
}
