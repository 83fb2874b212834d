//! Half-typed forms kept across a lost terminal: what a form held, as
//! plain values, and how to put them back into a freshly built form.

use super::Purpose;
use super::form::{FieldKey, Form, Kind};
use serde::{Deserialize, Deserializer, Serialize};

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
    /// Each field's value under its name; a name this version does not
    /// know (a field since removed) is left out when the draft is read.
    #[serde(deserialize_with = "known_fields")]
    pub values: Vec<(FieldKey, Value)>,
}

fn known_fields<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(FieldKey, Value)>, D::Error> {
    let stored = Vec::<(String, Value)>::deserialize(d)?;
    Ok(stored
        .into_iter()
        .filter_map(|(name, v)| Some((name.parse().ok()?, v)))
        .collect())
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
        // Short forms over one record, quick to fill again.
        Purpose::Export { .. }
        | Purpose::EditPlan { .. }
        | Purpose::CloseSeries { .. }
        | Purpose::AttachPhotos(_) => {
            return None;
        }
    };
    let values = form
        .fields
        .iter()
        .map(|f| {
            let v = match &f.kind {
                Kind::Text { .. } | Kind::Notes(_) => Value::Text(f.value().to_string()),
                Kind::Choice { selected, .. } => Value::Choice(*selected),
                Kind::Multi { on, .. } => Value::Multi(on.clone()),
            };
            (f.key, v)
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
/// values that no longer fit a field are left at the form's default. A
/// key a form has several times (the course of each adverse event) fills
/// its fields in order.
pub fn restore(form: &mut Form, draft: &Draft) {
    let mut seen: Vec<FieldKey> = Vec::new();
    for (key, value) in &draft.values {
        let n = seen.iter().filter(|k| *k == key).count();
        seen.push(*key);
        let Some(field) = form.fields.iter_mut().filter(|f| f.key == *key).nth(n) else {
            continue;
        };
        match (&mut field.kind, value) {
            (Kind::Text { .. } | Kind::Notes(_), Value::Text(t)) => field.set_text(t),
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
        let mut form = forms::client::add_form(today, &Default::default());
        form.field_mut(FieldKey::Name).unwrap().input = tui_input::Input::new("Half Typed".into());
        form.focus = 3;
        if let Some(f) = form.field_mut(FieldKey::Zones)
            && let Kind::Multi { on, .. } = &mut f.kind
        {
            on[2] = true;
        }
        let draft = snapshot(&form, &Purpose::AddClient, None).unwrap();
        let json = serde_json::to_value(&draft).unwrap();
        let back: Draft = serde_json::from_value(json).unwrap();
        assert_eq!(back, draft);
        let mut fresh = forms::client::add_form(today, &Default::default());
        restore(&mut fresh, &back);
        assert_eq!(fresh.text(FieldKey::Name), "Half Typed");
        assert_eq!(fresh.checked(FieldKey::Zones), [2]);
        assert_eq!(fresh.focus, 3);
        assert!(fresh.dirty);
    }

    /// A draft kept by an earlier version, as the drafts table holds it:
    /// fields by name. It still fills the form; a name no form has any more
    /// is passed over, not a reason to lose the rest.
    #[test]
    fn a_kept_draft_from_before_restores() {
        let stored = r#"{
            "target": {"form": "new_session", "client_id": 3, "series_id": 4},
            "title": "New session",
            "focus": 2,
            "values": [
                ["when", "2026-11-20 09:15"],
                ["serum_lot", "HA-0042"],
                ["a_field_since_removed", "kept nowhere"],
                ["zones", [false, false, false, true, false, false, false, false, false, false, false, false, false]],
                ["gais_clinician", 2]
            ]
        }"#;
        let draft: Draft = serde_json::from_str(stored).unwrap();
        assert_eq!(
            draft.values.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            [
                FieldKey::When,
                FieldKey::SerumLot,
                FieldKey::Zones,
                FieldKey::GaisClinician
            ]
        );
        // Written back under the same names.
        let json = serde_json::to_value(&draft).unwrap();
        assert_eq!(json["values"][0][0], "when");
        assert_eq!(json["values"][1][0], "serum_lot");

        let ctx = forms::session::Context {
            client: crate::domain::ClientDraft::named("Ana"),
            series: crate::domain::SeriesDraft::new(
                crate::domain::Concern::AcneScars,
                NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            )
            .validate()
            .unwrap(),
            history: crate::domain::ClientHistory::default(),
            others: Vec::new(),
            defaults: None,
            editing: false,
            rules: crate::domain::Rules::default(),
            ongoing: Vec::new(),
            carried: Vec::new(),
            carried_from: crate::domain::CheckSource::Nothing,
        };
        let mut form = forms::session::new_form(
            "Ana",
            &ctx,
            None,
            &Default::default(),
            NaiveDate::from_ymd_opt(2026, 11, 21)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        );
        restore(&mut form, &draft);
        assert_eq!(form.text(FieldKey::When), "2026-11-20 09:15");
        assert_eq!(form.text(FieldKey::SerumLot), "HA-0042");
        assert_eq!(form.checked(FieldKey::Zones), [3]);
        assert_eq!(form.selected(FieldKey::GaisClinician), 2);
        assert_eq!(form.focus, 2);
    }
}
