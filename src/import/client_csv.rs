//! Reading a client list from a spreadsheet (CSV). The first row names the
//! columns; only `name` is required. Every row is checked as if typed into
//! the client form, and every problem is reported with its line number.
//! Nothing is written here: the rows go to `Store::import_client_list`.

use crate::db::ListedClient;
use crate::domain::{ClientDraft, Concern, Fitzpatrick, Glogau};
use chrono::NaiveDate;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    DateOfBirth,
    Phone,
    Email,
    Fitzpatrick,
    Glogau,
    Concerns,
    Allergies,
    Medications,
    ConsentOn,
    GuardianConsentOn,
    Guardian,
    Notes,
    Uuid,
}

/// Column names (first) and the other spellings accepted, compared without
/// case, spaces, dashes or underscores.
const COLUMNS: [(Field, &[&str]); 14] = [
    (Field::Name, &["name", "full name", "client", "client name"]),
    (
        Field::DateOfBirth,
        &["date_of_birth", "dob", "birth date", "birthday"],
    ),
    (Field::Phone, &["phone", "telephone", "mobile"]),
    (Field::Email, &["email", "e-mail", "mail"]),
    (Field::Fitzpatrick, &["fitzpatrick", "skin type"]),
    (Field::Glogau, &["glogau"]),
    (Field::Concerns, &["concerns", "concern"]),
    (Field::Allergies, &["allergies"]),
    (Field::Medications, &["medications"]),
    (Field::ConsentOn, &["consent_on", "consent", "consent date"]),
    (
        Field::GuardianConsentOn,
        &[
            "guardian_consent_on",
            "guardian consent",
            "guardian consent date",
        ],
    ),
    (Field::Guardian, &["guardian", "guardian name", "parent"]),
    (Field::Notes, &["notes", "note"]),
    (Field::Uuid, &["uuid", "client_uuid", "id"]),
];

/// How many problems one message lists before "and N more".
const SHOWN: usize = 5;

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn field_of(header: &str) -> Option<Field> {
    let key = squash(header);
    COLUMNS
        .iter()
        .find(|(_, names)| names.iter().any(|n| squash(n) == key))
        .map(|(f, _)| *f)
}

/// What README says a column holds.
#[cfg(test)]
fn content(field: Field) -> String {
    let types = |all: Vec<&str>| {
        format!(
            "`{}`–`{}` or `1`–`{}`",
            all.first().unwrap_or(&""),
            all.last().unwrap_or(&""),
            all.len()
        )
    };
    match field {
        Field::Name => "required, one line".into(),
        Field::DateOfBirth | Field::ConsentOn => "`YYYY-MM-DD`".into(),
        Field::Phone | Field::Allergies | Field::Medications => String::new(),
        Field::Email => "`name@domain`".into(),
        Field::Fitzpatrick => format!(
            "{} (`type IV` works too)",
            types(Fitzpatrick::ALL.iter().map(|t| t.code()).collect())
        ),
        Field::Glogau => types(Glogau::ALL.iter().map(|t| t.code()).collect()),
        Field::Concerns => {
            "codes or names separated by `;` or `,`, e.g. `acne scars; texture & tone`".into()
        }
        Field::GuardianConsentOn => {
            "`YYYY-MM-DD`, a parent's or guardian's consent for a client under 18".into()
        }
        Field::Guardian => "who signed it, one line".into(),
        Field::Notes => "may span lines".into(),
        Field::Uuid => "keep a client's identity from another system".into(),
    }
}

/// README's table of the columns an imported client list may have.
#[cfg(test)]
pub fn markdown() -> String {
    let mut s = String::from(
        "| Column | Also accepted | Content |\n|--------|---------------|---------|\n",
    );
    for (field, names) in COLUMNS {
        let quoted: Vec<String> = names[1..].iter().map(|n| format!("`{n}`")).collect();
        let cell = |t: String| {
            if t.is_empty() {
                String::new()
            } else {
                format!("{t} ")
            }
        };
        s.push_str(&format!(
            "| `{}` | {}| {}|\n",
            names[0],
            cell(quoted.join(", ")),
            cell(content(field))
        ));
    }
    s
}

fn column_names() -> String {
    COLUMNS
        .iter()
        .map(|(_, names)| names[0])
        .collect::<Vec<_>>()
        .join(", ")
}

/// The separator a spreadsheet used: comma, or semicolon (spreadsheets set
/// to a decimal comma write those), or tab — whichever the header row has most of.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or(bytes);
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    let mut best = b',';
    for d in [b';', b'\t'] {
        if count(d) > count(best) {
            best = d;
        }
    }
    best
}

fn date(column: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    crate::domain::parse_day(text)
        .map(Some)
        .map_err(|why| format!("{column}: '{text}' is not a date like 1990-05-04 ({why})"))
}

/// "IV", "iv", "4" or "type IV".
fn roman_or_number(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.strip_prefix("TYPE").map_or(t.as_str(), str::trim);
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    Fitzpatrick::ALL
        .iter()
        .position(|r| r.code() == t)
        .map(|i| i as i64 + 1)
}

fn concerns(text: &str) -> Result<Vec<Concern>, String> {
    text.split([';', ','])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let key = squash(t);
            Concern::ALL
                .iter()
                .copied()
                .find(|c| squash(c.code()) == key || squash(c.label()) == key)
                .ok_or_else(|| {
                    let known: Vec<&str> = Concern::ALL.iter().map(|c| c.code()).collect();
                    format!("concerns: unknown '{t}' (known: {})", known.join(", "))
                })
        })
        .collect()
}

/// Fills one field of `draft` from `text`.
fn apply(
    field: Field,
    column: &str,
    text: &str,
    draft: &mut ClientDraft,
    uuid: &mut Option<Uuid>,
) -> Result<(), String> {
    let trimmed = text.trim();
    match field {
        Field::Name => draft.name = text.to_string(),
        Field::Phone => draft.phone = text.to_string(),
        Field::Email => draft.email = text.to_string(),
        Field::Allergies => draft.allergies = text.to_string(),
        Field::Medications => draft.medications = text.to_string(),
        Field::Notes => draft.notes = text.to_string(),
        Field::DateOfBirth => draft.date_of_birth = date(column, trimmed)?,
        Field::ConsentOn => draft.consent_on = date(column, trimmed)?,
        Field::GuardianConsentOn => draft.guardian_consent_on = date(column, trimmed)?,
        Field::Guardian => draft.guardian = text.to_string(),
        Field::Fitzpatrick if !trimmed.is_empty() => {
            let n = roman_or_number(trimmed)
                .ok_or_else(|| format!("{column}: '{trimmed}' is not a skin type I–VI"))?;
            draft.fitzpatrick = Some(Fitzpatrick::from_number(n).map_err(|e| e.to_string())?);
        }
        Field::Glogau if !trimmed.is_empty() => {
            let n = roman_or_number(trimmed)
                .ok_or_else(|| format!("{column}: '{trimmed}' is not a Glogau type I–IV"))?;
            draft.glogau = Some(Glogau::from_number(n).map_err(|e| e.to_string())?);
        }
        Field::Concerns => draft.concerns = concerns(trimmed)?,
        Field::Uuid if !trimmed.is_empty() => {
            *uuid = Some(
                Uuid::parse_str(trimmed)
                    .map_err(|_| format!("{column}: '{trimmed}' is not a UUID"))?,
            );
        }
        Field::Fitzpatrick | Field::Glogau | Field::Uuid => {}
    }
    Ok(())
}

/// The line a record starts on. The reader's own line count lags behind
/// after a CRLF (it counts the LF as part of the next record), so the line
/// is worked out from the byte offset, past any line ends.
fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let mut start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

fn summarise(problems: &[String]) -> String {
    let mut s = problems[..problems.len().min(SHOWN)].join("; ");
    if problems.len() > SHOWN {
        s.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    s
}

/// The fields the header row names, in its order; an unknown or repeated
/// column, or no `name` column, is refused.
fn header_fields(header: &csv::StringRecord) -> Result<Vec<Field>, String> {
    let mut fields = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let f = field_of(name).ok_or_else(|| {
            format!(
                "line 1: unknown column '{}' (column {}); known columns: {}",
                name.trim(),
                i + 1,
                column_names()
            )
        })?;
        if fields.contains(&f) {
            return Err(format!("line 1: column '{}' appears twice", name.trim()));
        }
        fields.push(f);
    }
    if !fields.contains(&Field::Name) {
        return Err("line 1: no 'name' column (the header row must name the columns)".into());
    }
    Ok(fields)
}

/// One data row as a client, or what is wrong with it ("line 7 (Ana
/// Lima): date of birth: …").
fn read_row(
    fields: &[Field],
    header: &csv::StringRecord,
    record: &csv::StringRecord,
    line: u64,
    today: NaiveDate,
) -> Result<ListedClient, String> {
    let mut draft = ClientDraft::default();
    let mut uuid = None;
    let mut row_problems = Vec::new();
    for ((field, column), text) in fields.iter().zip(header.iter()).zip(record.iter()) {
        if let Err(e) = apply(*field, column.trim(), text, &mut draft, &mut uuid) {
            row_problems.push(e);
        }
    }
    let who = if draft.name.trim().is_empty() {
        format!("line {line}")
    } else {
        format!("line {line} ({})", draft.name.trim())
    };
    match draft.validate(today) {
        Ok(clean) if row_problems.is_empty() => Ok(ListedClient {
            line,
            uuid,
            draft: clean,
        }),
        Ok(_) => Err(format!("{who}: {}", row_problems.join(", "))),
        Err(errors) => {
            row_problems.extend(errors.iter().map(ToString::to_string));
            Err(format!("{who}: {}", row_problems.join(", ")))
        }
    }
}

/// Reads the whole list, or says everything wrong with it (up to a few
/// problems, each with its line). `today` bounds the dates.
pub fn parse(bytes: &[u8], today: NaiveDate) -> Result<Vec<ListedClient>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err("the file is empty (expected a header row with a 'name' column)".into());
        }
        Some(Err(e)) => return Err(format!("line 1: {e}")),
        Some(Ok(h)) => h,
    };
    let fields = header_fields(&header)?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(bytes, p.byte()));
                problems.push(match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        format!("line {line}: not UTF-8 text (save the file as CSV UTF-8)")
                    }
                    _ => format!("line {line}: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_at(bytes, p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != fields.len() {
            problems.push(format!(
                "line {line}: {} fields, but the header has {}",
                record.len(),
                fields.len()
            ));
            continue;
        }
        match read_row(&fields, &header, &record, line, today) {
            Ok(client) => out.push(client),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(summarise(&problems));
    }
    if out.is_empty() {
        return Err("no clients in the file (only a header row)".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::today;

    #[test]
    fn readme_lists_the_import_columns() {
        crate::testing::assert_readme_lists(
            &markdown(),
            "import column table",
            "the importer's columns",
            "import::client_csv::markdown()",
        );
    }

    #[test]
    fn headers_are_matched_loosely_and_semicolons_detected() {
        let text =
            "Name;E-Mail;Skin type;Concerns\nAna;ana@example.org;iv;Acne scars, texture & tone\n";
        let rows = parse(text.as_bytes(), today()).unwrap();
        assert_eq!(rows.len(), 1);
        let d = &rows[0].draft;
        assert_eq!(d.email, "ana@example.org");
        assert_eq!(d.fitzpatrick, Some(Fitzpatrick::IV));
        assert_eq!(d.concerns, [Concern::AcneScars, Concern::TextureTone]);
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn problems_name_their_lines() {
        let text =
            "name,date_of_birth,fitzpatrick\nAna,1990-01-02,2\n,1990-01-02,\nBo,02/01/1990,7\n";
        let e = parse(text.as_bytes(), today()).unwrap_err();
        assert!(e.contains("line 3: name is required"), "{e}");
        assert!(
            e.contains("line 4 (Bo): date_of_birth: '02/01/1990'"),
            "{e}"
        );
        assert!(
            e.contains("Fitzpatrick type must be between 1 and 6"),
            "{e}"
        );
        let e = parse(b"name,shoe size\nAna,38\n", today()).unwrap_err();
        assert!(e.starts_with("line 1: unknown column 'shoe size'"), "{e}");
        assert!(parse(b"phone\n123\n", today()).is_err());
        assert!(parse(b"", today()).is_err());
    }
}
