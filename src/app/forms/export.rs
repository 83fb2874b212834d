//! The export dialog (`x`): format, scope, optional date range, file.

use super::super::form::{Field, FieldKey, Form, FormWarning};
use super::optional_day;
use crate::export::{Format, Scope, default_file_name};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What the dialog asks to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub format: Format,
    pub scope: Scope,
    pub excel: bool,
    pub path: PathBuf,
}

/// The client the dialog was opened on, if any: (id, name).
pub type Subject = Option<(i64, String)>;

fn scope_options(subject: &Subject) -> Vec<String> {
    let mut v = Vec::new();
    if let Some((_, name)) = subject {
        v.push(format!("this client: {name}"));
    }
    v.push("all clients".into());
    v
}

/// The file name the dialog proposes for the chosen format and scope.
pub fn default_path(form: &Form, subject: &Subject, dir: &Path, today: NaiveDate) -> String {
    let format = Format::ALL
        .get(form.selected(FieldKey::Format))
        .copied()
        .unwrap_or(Format::Csv);
    let label = match (subject, form.selected(FieldKey::Scope)) {
        (Some((_, name)), 0) => name.as_str(),
        _ => "",
    };
    dir.join(default_file_name(format, label, today))
        .display()
        .to_string()
}

pub fn form(subject: &Subject, dir: &Path, today: NaiveDate) -> Form {
    let formats = Format::ALL.iter().map(|f| f.label().to_string()).collect();
    let mut f = Form::new(
        "Export",
        vec![
            Field::choice(FieldKey::Format, "Format", formats, 0),
            Field::choice(FieldKey::Scope, "Scope", scope_options(subject), 0),
            Field::day(FieldKey::Since, "From (optional)", None),
            Field::day(FieldKey::Until, "Until (optional)", None),
            Field::choice(
                FieldKey::Excel,
                "Byte-order mark",
                vec!["no".into(), "yes, for Excel".into()],
                0,
            ),
            Field::text_capped(
                FieldKey::File,
                "File",
                "",
                "Ctrl-S writes it (mode 0600)",
                1000,
            ),
        ],
    );
    let path = default_path(&f, subject, dir, today);
    if let Some(field) = f.field_mut(FieldKey::File) {
        field.input = tui_input::Input::new(path);
    }
    f
}

/// Reads the dialog; errors go beside their fields.
pub fn build(form: &mut Form, subject: &Subject, today: NaiveDate) -> Option<Request> {
    let format = Format::ALL
        .get(form.selected(FieldKey::Format))
        .copied()
        .unwrap_or(Format::Csv);
    let since = optional_day(form, FieldKey::Since);
    let until = optional_day(form, FieldKey::Until);
    if let (Some(a), Some(b)) = (since, until)
        && a > b
    {
        form.set_error(FieldKey::Until, "before the start of the range");
    }
    let excel = form.selected(FieldKey::Excel) == 1;
    if excel && format != Format::Csv {
        form.set_error(FieldKey::Excel, "only for CSV");
    }
    let path = PathBuf::from(form.text(FieldKey::File).trim());
    if path.as_os_str().is_empty() {
        form.set_error(FieldKey::File, "required");
    } else if path.is_dir() {
        form.set_error(FieldKey::File, "is a folder; add a file name");
    } else if path
        .parent()
        .is_some_and(|p| !p.as_os_str().is_empty() && !p.is_dir())
    {
        form.set_error(FieldKey::File, "the folder does not exist");
    }
    form.warnings.clear();
    if path.is_file() {
        form.warnings.push(FormWarning::Note(format!(
            "{} exists and will be replaced",
            path.display()
        )));
    }
    if !form.invalid_fields().is_empty() {
        return None;
    }
    let client = match (subject, form.selected(FieldKey::Scope)) {
        (Some((id, _)), 0) => Some(*id),
        _ => None,
    };
    let _ = today;
    Some(Request {
        format,
        scope: Scope {
            client,
            series: None,
            since,
            until,
        },
        excel,
        path,
    })
}
