//! Reading a client list from a spreadsheet (CSV). The first row names the
//! columns; only `name` is required. Every row is checked as if typed into
//! the client form, and every problem is reported with its line number.
//! Nothing is written here: the rows go to `Store::import_client_list`.

use super::ClientList;
use super::address_book::{self, Known, Source};
use super::client_row::{self, Field, SlashOrder, squash};
#[cfg(test)]
use crate::domain::{Concern, Fitzpatrick, Glogau};
use chrono::NaiveDate;

/// Column names (first) and the other spellings accepted, compared without
/// case, spaces, dashes or underscores.
const COLUMNS: [(Field, &[&str]); 16] = [
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
    (
        Field::PhotoConsentOn,
        &["photo_consent_on", "photo consent", "photo consent date"],
    ),
    (
        Field::PhotoConsentBeyond,
        &["photo_consent_beyond", "photo use beyond record"],
    ),
    (Field::Notes, &["notes", "note"]),
    (Field::Uuid, &["uuid", "client_uuid", "id"]),
];

/// How many problems one message lists before "and N more".
const SHOWN: usize = 5;

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
        Field::PhotoConsentOn => "`YYYY-MM-DD`, the client's consent to photos".into(),
        Field::PhotoConsentBeyond => {
            "`yes` or `no` (also `1`/`0`): photos may be used beyond the record; needs a photo consent date".into()
        }
        Field::Notes => "may span lines".into(),
        Field::Uuid => "keep a client's identity from another system".into(),
        Field::Given | Field::Middle | Field::Family | Field::EmailAt(_) | Field::PhoneAt(_) => {
            String::new()
        }
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

pub(crate) fn summarise(problems: &[String]) -> String {
    let mut s = problems[..problems.len().min(SHOWN)].join("; ");
    if problems.len() > SHOWN {
        s.push_str(&format!("; and {} more", problems.len() - SHOWN));
    }
    s
}

/// What the header row says: the field of each column (`None`: left out),
/// the columns left out because unknown, and which program wrote it.
struct Header {
    fields: Vec<Option<Field>>,
    skipped: Vec<String>,
    source: Source,
}

/// The fields the header row names, in its order. Empty headers (a
/// spreadsheet's trailing empty column) and the known columns of address
/// books that needlelog has no place for are left out; unknown columns are
/// refused all in one message, or with `skip_unknown` left out and listed.
/// A repeated column, or no name column, is refused.
fn header_fields(header: &csv::StringRecord, skip_unknown: bool) -> Result<Header, String> {
    let mut fields = Vec::new();
    let mut unknown = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        let f = if name.is_empty() {
            None
        } else if let Some(f) = field_of(name) {
            Some(f)
        } else {
            match address_book::known(name) {
                Some(Known::Fill(f)) => Some(f),
                Some(Known::Unused) => None,
                None => {
                    unknown.push((i + 1, name.to_string()));
                    None
                }
            }
        };
        if f.is_some() && fields.contains(&f) {
            return Err(format!("line 1: column '{name}' appears twice"));
        }
        fields.push(f);
    }
    let skipped: Vec<String> = unknown.iter().map(|(_, n)| n.clone()).collect();
    if !unknown.is_empty() && !skip_unknown {
        let list: Vec<String> = unknown
            .iter()
            .map(|(i, n)| format!("'{n}' (column {i})"))
            .collect();
        return Err(format!(
            "line 1: unknown column{} {}; known columns: {} and the columns of Google \
             Contacts and Outlook exports; --skip-unknown imports the rest and lists \
             these as left out",
            if unknown.len() == 1 { "" } else { "s" },
            list.join(", "),
            column_names()
        ));
    }
    let named = fields.iter().flatten().any(|f| {
        matches!(
            f,
            Field::Name | Field::Given | Field::Middle | Field::Family
        )
    });
    if !named {
        return Err(
            "line 1: no 'name' column, nor first or last name columns (the header row must \
             name the columns)"
                .into(),
        );
    }
    let source = address_book::source_of(header.iter());
    Ok(Header {
        fields,
        skipped,
        source,
    })
}

/// How the file's slashed birthdays are ordered: only an Outlook file has
/// them, in the order of the computer that wrote it. A first number above
/// 12 anywhere makes the file day-first, a second one month-first.
fn slash_order(source: Source, fields: &[Option<Field>], records: &[Record]) -> SlashOrder {
    if source != Source::Outlook {
        return SlashOrder::None;
    }
    let Some(col) = fields.iter().position(|f| *f == Some(Field::DateOfBirth)) else {
        return SlashOrder::None;
    };
    let (mut day_first, mut month_first) = (false, false);
    for (_, r) in records {
        if let Some((a, b, _)) = r.get(col).and_then(client_row::slash_parts) {
            day_first |= a > 12;
            month_first |= b > 12;
        }
    }
    match (day_first, month_first) {
        (true, false) => SlashOrder::DayFirst,
        (false, true) => SlashOrder::MonthFirst,
        _ => SlashOrder::Ambiguous,
    }
}

type Record = (u64, csv::StringRecord);

/// Reads the whole list, or says everything wrong with it (up to a few
/// problems, each with its line). `today` bounds the dates.
pub(crate) fn parse(
    bytes: &[u8],
    today: NaiveDate,
    skip_unknown: bool,
) -> Result<ClientList, String> {
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
    let head = header_fields(&header, skip_unknown)?;
    let mut problems = Vec::new();
    let mut rows: Vec<Record> = Vec::new();
    for record in records {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| line_at(bytes, p.byte()));
                if !r.iter().all(|f| f.trim().is_empty()) {
                    rows.push((line, r));
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(bytes, p.byte()));
                problems.push(match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        format!("line {line}: not UTF-8 text (save the file as CSV UTF-8)")
                    }
                    _ => format!("line {line}: {e}"),
                });
            }
        }
    }
    let order = slash_order(head.source, &head.fields, &rows);
    let mut list = ClientList {
        source: head.source,
        clients: Vec::new(),
        skipped: head.skipped,
        no_year: Vec::new(),
    };
    for (line, record) in &rows {
        let line = *line;
        let lost: Vec<usize> = header
            .iter()
            .zip(record.iter())
            .enumerate()
            .filter(|(_, (h, v))| h.trim().is_empty() && !v.trim().is_empty())
            .map(|(i, _)| i + 1)
            .collect();
        if let Some(i) = lost.first() {
            problems.push(format!(
                "line {line}: column {i} has no header but holds a value"
            ));
            continue;
        }
        if record.len() != head.fields.len() {
            problems.push(format!(
                "line {line}: {} fields, but the header has {}",
                record.len(),
                head.fields.len()
            ));
            continue;
        }
        let cells = head
            .fields
            .iter()
            .zip(header.iter())
            .zip(record.iter())
            .filter_map(|((f, h), v)| f.map(|f| (f, h, v)));
        match client_row::read_row(cells, line, &format!("line {line}"), order, today) {
            Ok(row) => {
                if let Some(b) = row.no_year {
                    list.no_year
                        .push(format!("line {line} {} ({b})", row.client.draft.name));
                }
                list.clients.push(row.client);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(summarise(&problems));
    }
    if list.clients.is_empty() {
        return Err("no clients in the file (only a header row)".into());
    }
    Ok(list)
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
        let rows = parse(text.as_bytes(), today(), false).unwrap().clients;
        assert_eq!(rows.len(), 1);
        let d = &rows[0].draft;
        assert_eq!(d.email, "ana@example.org");
        assert_eq!(d.fitzpatrick, Some(Fitzpatrick::IV));
        assert_eq!(d.concerns, [Concern::AcneScars, Concern::TextureTone]);
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn photo_consent_columns_are_read_and_checked() {
        let text = "name,photo consent,photo_consent_beyond\nAna,2026-03-02,yes\nBo,,no\n";
        let rows = parse(text.as_bytes(), today(), false).unwrap().clients;
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.draft.photo_consent_on, r.draft.photo_consent_beyond))
            .collect();
        assert_eq!(
            got,
            [(NaiveDate::from_ymd_opt(2026, 3, 2), true), (None, false)]
        );
        let e = parse(
            "name,photo_consent_beyond\nAna,yes\nBo,perhaps\n".as_bytes(),
            today(),
            false,
        )
        .unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("photo consent date"),
            "{e}"
        );
        assert!(
            e.contains("line 3") && e.contains("'perhaps' is not yes or no"),
            "{e}"
        );
    }

    #[test]
    fn problems_name_their_lines() {
        let text =
            "name,date_of_birth,fitzpatrick\nAna,1990-01-02,2\n,1990-01-02,\nBo,02/01/1990,7\n";
        let e = parse(text.as_bytes(), today(), false).unwrap_err();
        assert!(e.contains("line 3: name is required"), "{e}");
        assert!(
            e.contains("line 4 (Bo): date_of_birth: '02/01/1990'"),
            "{e}"
        );
        assert!(
            e.contains("Fitzpatrick type must be between 1 and 6"),
            "{e}"
        );
        let e = parse(b"name,shoe size\nAna,38\n", today(), false).unwrap_err();
        assert!(e.starts_with("line 1: unknown column 'shoe size'"), "{e}");
        assert!(parse(b"phone\n123\n", today(), false).is_err());
        assert!(parse(b"", today(), false).is_err());
    }
}
