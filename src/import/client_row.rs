//! One client from one row of a list (a spreadsheet line or a vCard): the
//! fields a source may fill, and how their text becomes a checked client.
//! The sources (`client_csv`, `vcard`) only say which text goes to which
//! field; everything they share is checked here, the same way.

use crate::db::ListedClient;
use crate::domain::text::{control_reason, line_control, text_control};
use crate::domain::{ClientDraft, Concern, Fitzpatrick, Glogau};
use chrono::NaiveDate;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
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
    PhotoConsentOn,
    PhotoConsentBeyond,
    Notes,
    Uuid,
    /// Parts of a name, joined (given, middle, family) when there is no
    /// full name.
    Given,
    Middle,
    Family,
    /// An address book's e-mail or phone column; the lowest rank with a
    /// value wins (needlelog's own `email`/`phone` rank 0).
    EmailAt(u8),
    PhoneAt(u8),
}

/// How a birthday written with slashes is read (Outlook writes the
/// computer's own order). `None`: slashes are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlashOrder {
    None,
    DayFirst,
    MonthFirst,
    /// Every date in the file could be either: each slashed date is refused.
    Ambiguous,
}

/// What one row holds besides the client: a birthday without a year.
#[derive(Debug)]
pub(crate) struct Row {
    pub client: ListedClient,
    /// The birthday as written, when it had no year (left empty).
    pub no_year: Option<String>,
}

pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn date(column: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    crate::domain::parse_day(text)
        .map(Some)
        .map_err(|why| format!("{column}: '{text}' is not a date like 1990-05-04 ({why})"))
}

/// A birthday: `Ok(Err(()))` when it has no year (`--06-21`, `--0621`).
type Birthday = Result<Option<NaiveDate>, ()>;

/// The two numbers before the year of a slashed date (`21/6/1985`).
pub(crate) fn slash_parts(text: &str) -> Option<(u32, u32, &str)> {
    let mut it = text.trim().split('/');
    let a = it.next()?.trim().parse().ok()?;
    let b = it.next()?.trim().parse().ok()?;
    let y = it.next()?.trim();
    it.next().is_none().then_some((a, b, y))
}

fn birthday(column: &str, text: &str, order: SlashOrder) -> Result<Birthday, String> {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("--") {
        let digits: String = rest.chars().filter(|c| *c != '-').collect();
        let ok = digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit());
        let (m, d) = (
            digits.get(..2).and_then(|s| s.parse::<u32>().ok()),
            digits.get(2..).and_then(|s| s.parse::<u32>().ok()),
        );
        // 2000 is a leap year: 29 February is a real birthday.
        return match (ok, m, d) {
            (true, Some(m), Some(d)) if NaiveDate::from_ymd_opt(2000, m, d).is_some() => {
                Ok(Err(()))
            }
            _ => Err(format!(
                "{column}: '{t}' is not a day of the year like --06-21"
            )),
        };
    }
    let Some((a, b, y)) = slash_parts(t) else {
        return date(column, t).map(Ok);
    };
    // Outlook's empty birthday.
    if a == 0 && b == 0 && y.trim_start_matches('0').is_empty() {
        return Ok(Ok(None));
    }
    let (d, m) = match order {
        SlashOrder::DayFirst => (a, b),
        SlashOrder::MonthFirst => (b, a),
        SlashOrder::None => return date(column, t).map(Ok),
        SlashOrder::Ambiguous => {
            return Err(format!(
                "{column}: '{t}' could be day/month or month/day, and no birthday in the \
                 file tells which (write it as YYYY-MM-DD)"
            ));
        }
    };
    if y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("{column}: '{t}' needs a four-digit year"));
    }
    date(column, &format!("{y}-{m:02}-{d:02}")).map(Ok)
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

/// What a row has gathered before it becomes a draft.
#[derive(Default)]
struct Gathered {
    draft: ClientDraft,
    uuid: Option<Uuid>,
    parts: [String; 3],
    email: Option<(u8, String)>,
    phone: Option<(u8, String)>,
    no_year: Option<String>,
}

/// Keeps the value of the lowest rank that has one. Google puts several
/// values of one label in one cell, separated by ` ::: `: the first is taken.
fn rank(slot: &mut Option<(u8, String)>, at: u8, text: &str) {
    let first = text.split(" ::: ").next().unwrap_or("").trim();
    if first.is_empty() || slot.as_ref().is_some_and(|(r, _)| *r <= at) {
        return;
    }
    *slot = Some((at, first.to_string()));
}

/// A yes/no cell: empty, `no`, `0` or `false` is no; `yes`, `1` or `true`
/// is yes (any case); anything else is refused.
fn yes_no(column: &str, text: &str) -> Result<bool, String> {
    match text.to_lowercase().as_str() {
        "" | "no" | "0" | "false" | "n" => Ok(false),
        "yes" | "1" | "true" | "y" => Ok(true),
        _ => Err(format!("{column}: '{text}' is not yes or no")),
    }
}

/// Fills one field from `text`.
fn apply(
    field: Field,
    column: &str,
    text: &str,
    order: SlashOrder,
    g: &mut Gathered,
) -> Result<(), String> {
    let trimmed = text.trim();
    let draft = &mut g.draft;
    match field {
        Field::Name => draft.name = text.to_string(),
        Field::Phone => rank(&mut g.phone, 0, text),
        Field::Email => rank(&mut g.email, 0, text),
        Field::PhoneAt(r) => rank(&mut g.phone, r, text),
        Field::EmailAt(r) => rank(&mut g.email, r, text),
        Field::Given => g.parts[0] = trimmed.to_string(),
        Field::Middle => g.parts[1] = trimmed.to_string(),
        Field::Family => g.parts[2] = trimmed.to_string(),
        Field::Allergies => draft.allergies = text.to_string(),
        Field::Medications => draft.medications = text.to_string(),
        Field::Notes => draft.notes = text.to_string(),
        Field::DateOfBirth => match birthday(column, trimmed, order)? {
            Ok(d) => draft.date_of_birth = d,
            Err(()) => g.no_year = Some(trimmed.to_string()),
        },
        Field::ConsentOn => draft.consent_on = date(column, trimmed)?,
        Field::GuardianConsentOn => draft.guardian_consent_on = date(column, trimmed)?,
        Field::Guardian => draft.guardian = text.to_string(),
        Field::PhotoConsentOn => draft.photo_consent_on = date(column, trimmed)?,
        Field::PhotoConsentBeyond => draft.photo_consent_beyond = yes_no(column, trimmed)?,
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
            g.uuid = Some(
                Uuid::parse_str(trimmed)
                    .map_err(|_| format!("{column}: '{trimmed}' is not a UUID"))?,
            );
        }
        Field::Fitzpatrick | Field::Glogau | Field::Uuid => {}
    }
    Ok(())
}

/// One row as a client, or what is wrong with it ("line 7 (Ana Lima): date
/// of birth: …"). `cells` are (field, column or property name, text);
/// `place` names the row in messages ("line 7", "card 2 (line 9)").
pub(crate) fn read_row<'a>(
    cells: impl IntoIterator<Item = (Field, &'a str, &'a str)>,
    line: u64,
    place: &str,
    order: SlashOrder,
    today: NaiveDate,
) -> Result<Row, String> {
    let mut g = Gathered::default();
    let mut row_problems = Vec::new();
    for (field, column, text) in cells {
        // Free text may span lines; every other cell is one line.
        let lines = matches!(field, Field::Allergies | Field::Medications | Field::Notes);
        let control = if lines {
            text_control(text)
        } else {
            line_control(text)
        };
        if let Some(c) = control {
            row_problems.push(format!("{}: {}", column.trim(), control_reason(c, !lines)));
            continue;
        }
        if let Err(e) = apply(field, column.trim(), text, order, &mut g) {
            row_problems.push(e);
        }
    }
    if g.draft.name.trim().is_empty() {
        let parts: Vec<&str> = g
            .parts
            .iter()
            .map(String::as_str)
            .filter(|p| !p.is_empty())
            .collect();
        g.draft.name = parts.join(" ");
    }
    g.draft.email = g.email.map(|(_, t)| t).unwrap_or_default();
    g.draft.phone = g.phone.map(|(_, t)| t).unwrap_or_default();
    let who = if g.draft.name.trim().is_empty() {
        place.to_string()
    } else {
        format!("{place} ({})", g.draft.name.trim())
    };
    match g.draft.validate(today) {
        Ok(clean) if row_problems.is_empty() => Ok(Row {
            client: ListedClient {
                line,
                uuid: g.uuid,
                draft: clean,
            },
            no_year: g.no_year,
        }),
        Ok(_) => Err(format!("{who}: {}", row_problems.join(", "))),
        Err(errors) => {
            row_problems.extend(errors.iter().map(ToString::to_string));
            Err(format!("{who}: {}", row_problems.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_without_a_year_and_in_outlooks_orders() {
        let b = |t: &str, o| birthday("Birthday", t, o);
        assert_eq!(b("--06-21", SlashOrder::None), Ok(Err(())));
        assert_eq!(b("--0621", SlashOrder::None), Ok(Err(())));
        assert_eq!(b("--02-29", SlashOrder::None), Ok(Err(())));
        assert!(b("--13-01", SlashOrder::None).is_err());
        assert!(b("--06-31", SlashOrder::None).is_err());
        assert_eq!(b("0/0/00", SlashOrder::MonthFirst), Ok(Ok(None)));
        let day = NaiveDate::from_ymd_opt(1985, 6, 21);
        assert_eq!(b("6/21/1985", SlashOrder::MonthFirst), Ok(Ok(day)));
        assert_eq!(b("21/6/1985", SlashOrder::DayFirst), Ok(Ok(day)));
        assert_eq!(b("1985-06-21", SlashOrder::DayFirst), Ok(Ok(day)));
        let e = b("6/5/1985", SlashOrder::Ambiguous).unwrap_err();
        assert!(e.contains("could be day/month or month/day"), "{e}");
        assert!(b("6/21/85", SlashOrder::MonthFirst).is_err());
        assert!(b("21/6/1985", SlashOrder::None).is_err());
        assert!(b("2/30/1985", SlashOrder::MonthFirst).is_err());
    }

    #[test]
    fn name_parts_join_and_the_lowest_rank_wins() {
        let cells = [
            (Field::Given, "First Name", "Ana"),
            (Field::Middle, "Middle Name", ""),
            (Field::Family, "Last Name", "Lima"),
            (Field::PhoneAt(3), "Home Phone", "111"),
            (Field::PhoneAt(1), "Mobile Phone", ""),
            (Field::PhoneAt(2), "Primary Phone", "222"),
            (Field::EmailAt(2), "E-mail 2 - Value", "b@example.org"),
            (
                Field::EmailAt(1),
                "E-mail 1 - Value",
                "a@example.org ::: c@example.org",
            ),
        ];
        let today = crate::testing::today();
        let row = read_row(cells, 2, "line 2", SlashOrder::None, today).unwrap();
        let d = &row.client.draft;
        assert_eq!(d.name, "Ana Lima");
        assert_eq!(d.phone, "222");
        assert_eq!(d.email, "a@example.org");
        let full = [
            (Field::Name, "Name", "Ana M. Lima"),
            (Field::Given, "Given Name", "Ana"),
        ];
        let row = read_row(full, 2, "line 2", SlashOrder::None, today).unwrap();
        assert_eq!(row.client.draft.name, "Ana M. Lima");
        let e = read_row(
            [(Field::Given, "First Name", " ")],
            5,
            "card 2 (line 5)",
            SlashOrder::None,
            today,
        );
        assert!(e.is_err_and(|e| e.starts_with("card 2 (line 5): ")));
    }

    #[test]
    fn control_characters_are_named_with_row_and_column() {
        let today = crate::testing::today();
        let e = read_row(
            [
                (Field::Name, "name", "Ana Lima"),
                (Field::Notes, "notes", "first\nsecond\tthird\u{0}"),
            ],
            7,
            "line 7",
            SlashOrder::None,
            today,
        )
        .unwrap_err();
        assert_eq!(
            e,
            "line 7 (Ana Lima): notes: control character U+0000 is not allowed (only line breaks and tabs are allowed)"
        );
        // Line breaks and tabs are kept in free text, not in a phone number.
        let row = read_row(
            [
                (Field::Name, "FN", "Ana Lima"),
                (Field::Notes, "NOTE", "first\nsecond\tthird"),
            ],
            3,
            "card 1 (line 3)",
            SlashOrder::None,
            today,
        )
        .unwrap();
        assert_eq!(row.client.draft.notes, "first\nsecond\tthird");
        let e = read_row(
            [
                (Field::Name, "FN", "Ana Lima"),
                (Field::Phone, "TEL", "555\t0100"),
            ],
            3,
            "card 1 (line 3)",
            SlashOrder::None,
            today,
        )
        .unwrap_err();
        assert!(
            e.starts_with("card 1 (line 3) (Ana Lima): TEL: control character U+0009"),
            "{e}"
        );
    }
}
