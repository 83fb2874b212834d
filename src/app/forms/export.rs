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
    /// Who the report or calendar comes from: the settings' `[clinic]`.
    pub clinic: crate::config::Clinic,
    /// The practice's thresholds: what counts as prolonged erythema.
    pub rules: crate::domain::Rules,
}

/// The client the dialog was opened on, if any: (id, name).
pub type Subject = Option<(i64, String)>;

/// What the dialog starts with besides its subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    /// The format chosen last in this run.
    pub format: Format,
    /// Opened from the client's own screen: the scope starts on that client;
    /// from the home list it starts on all clients.
    pub this_client: bool,
    /// Where `~` points.
    pub home: Option<PathBuf>,
}

/// `~` and `~/…` stand for the home folder, as in a shell.
pub fn expand_home(typed: &str, home: Option<&Path>) -> PathBuf {
    match (typed.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(typed),
    }
}

/// The byte-order mark is a CSV option: the field shows only for CSV.
pub fn show_bom_for_csv(form: &mut Form) {
    let csv = chosen_format(form) == Format::Csv;
    let shown = form.field(FieldKey::Excel).is_some();
    if csv == shown {
        return;
    }
    let focused = form.fields.get(form.focus).map(|f| f.key);
    if csv {
        let at = form
            .fields
            .iter()
            .position(|f| f.key == FieldKey::File)
            .unwrap_or(form.fields.len());
        form.fields.insert(at, bom_field());
    } else {
        form.fields.retain(|f| f.key != FieldKey::Excel);
    }
    if let Some(i) = focused.and_then(|k| form.fields.iter().position(|f| f.key == k)) {
        form.focus = i;
    }
}

fn bom_field() -> Field {
    Field::choice(
        FieldKey::Excel,
        "Byte-order mark",
        vec!["no".into(), "yes, for Excel".into()],
        0,
    )
}

fn chosen_format(form: &Form) -> Format {
    Format::ALL
        .get(form.selected(FieldKey::Format))
        .copied()
        .unwrap_or(Format::Csv)
}

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
    let format = chosen_format(form);
    let label = match (subject, form.selected(FieldKey::Scope)) {
        (Some((_, name)), 0) => name.as_str(),
        _ => "",
    };
    dir.join(default_file_name(format, label, today))
        .display()
        .to_string()
}

pub fn form(subject: &Subject, defaults: &Defaults, dir: &Path, today: NaiveDate) -> Form {
    let formats = Format::ALL.iter().map(|f| f.label().to_string()).collect();
    let format = Format::ALL
        .iter()
        .position(|f| *f == defaults.format)
        .unwrap_or(0);
    let scopes = scope_options(subject);
    let scope = if defaults.this_client {
        0
    } else {
        scopes.len() - 1
    };
    let mut f = Form::new(
        "Export",
        vec![
            Field::choice(FieldKey::Format, "Format", formats, format),
            Field::choice(FieldKey::Scope, "Scope", scopes, scope),
            Field::day(FieldKey::Since, "From (optional)", None),
            Field::day(FieldKey::Until, "Until (optional)", None),
            bom_field(),
            Field::text_capped(
                FieldKey::File,
                "File",
                "",
                "Ctrl-S writes it (mode 0600); ~ is your home folder",
                1000,
            ),
        ],
    );
    show_bom_for_csv(&mut f);
    let path = default_path(&f, subject, dir, today);
    if let Some(field) = f.field_mut(FieldKey::File) {
        field.set_text(&path);
    }
    f
}

/// Reads the dialog; errors go beside their fields.
pub fn build(form: &mut Form, subject: &Subject, home: Option<&Path>) -> Option<Request> {
    let format = chosen_format(form);
    let since = optional_day(form, FieldKey::Since);
    let until = optional_day(form, FieldKey::Until);
    if let (Some(a), Some(b)) = (since, until)
        && a > b
    {
        form.set_error(FieldKey::Until, "before the start of the range");
    }
    let excel = format == Format::Csv && form.selected(FieldKey::Excel) == 1;
    let path = expand_home(form.text(FieldKey::File).trim(), home);
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
            "{} exists: Ctrl-S asks before replacing it",
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
    Some(Request {
        format,
        scope: Scope {
            client,
            series: None,
            since,
            until,
        },
        excel,
        clinic: crate::config::Clinic::default(),
        rules: crate::domain::Rules::default(),
        path,
    })
}
