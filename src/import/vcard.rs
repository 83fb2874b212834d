//! Reading clients from vCard files (`.vcf`), as phones and Apple Contacts
//! write them: versions 2.1, 3.0 and 4.0, several cards per file, folded
//! lines, quoted-printable and backslash-escaped values. Taken: `FN` (or
//! `N`'s parts), `BDAY`, the first `TEL` and `EMAIL`, `NOTE`. A small parser
//! of its own: the crates for vCard either pull in much more than this
//! needs or do not read 2.1's quoted-printable.

use super::ClientList;
use super::address_book::Source;
use super::client_row::{self, Field, SlashOrder};
use chrono::NaiveDate;

/// Properties defined by vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350) and
/// their common extensions that needlelog has no place for. `X-` ones are
/// known too.
const UNUSED: &[&str] = &[
    "VERSION",
    "PRODID",
    "UID",
    "REV",
    "ADR",
    "LABEL",
    "ORG",
    "TITLE",
    "ROLE",
    "PHOTO",
    "LOGO",
    "SOUND",
    "URL",
    "NICKNAME",
    "SORT-STRING",
    "CATEGORIES",
    "CLASS",
    "KEY",
    "MAILER",
    "TZ",
    "GEO",
    "AGENT",
    "NAME",
    "PROFILE",
    "SOURCE",
    "KIND",
    "GENDER",
    "LANG",
    "ANNIVERSARY",
    "IMPP",
    "MEMBER",
    "RELATED",
    "CLIENTPIDMAP",
    "XML",
    "FBURL",
    "CALADRURI",
    "CALURI",
    "BIRTHPLACE",
    "DEATHPLACE",
    "DEATHDATE",
    "EXPERTISE",
    "HOBBY",
    "INTEREST",
    "ORG-DIRECTORY",
];

/// One property line after unfolding: name (upper case, group removed),
/// parameters (upper-cased names) and the raw value.
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// 2.1 writes bare `QUOTED-PRINTABLE`; 3.0 `ENCODING=QUOTED-PRINTABLE`.
    fn quoted_printable(&self) -> bool {
        self.params.iter().any(|(n, v)| {
            n == "QUOTED-PRINTABLE"
                || (n == "ENCODING" && v.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
        })
    }
}

/// Splits at the first `:` outside a quoted parameter value.
fn parse_property(line: &str) -> Option<Property> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| {
        if c == '"' {
            quoted = !quoted;
        }
        (c == ':' && !quoted).then_some(i)
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?.trim();
    let name = name
        .rsplit_once('.')
        .map_or(name, |(_, n)| n)
        .to_ascii_uppercase();
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (
                n.trim().to_ascii_uppercase(),
                v.trim_matches('"').to_string(),
            ),
            None => (p.trim().to_ascii_uppercase(), String::new()),
        })
        .collect();
    Some(Property {
        name,
        params,
        value: value.to_string(),
    })
}

fn quoted_printable(value: &str) -> Result<String, String> {
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                None => return Err(format!("'{value}' is not valid quoted-printable")),
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out)
        .map(|s| s.replace("\r\n", "\n"))
        .map_err(|_| "not UTF-8 text".to_string())
}

/// Undoes 3.0/4.0 escapes (`\n`, `\,`, `\;`, `\\`); `split` also splits at
/// unescaped `;` (the parts of `N`).
fn unescape(value: &str, split: bool) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let last = parts.len() - 1;
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => parts[last].push('\n'),
                Some(other) => parts[last].push(other),
                None => parts[last].push('\\'),
            },
            ';' if split => parts.push(String::new()),
            _ => parts[last].push(c),
        }
    }
    parts
}

/// A card's birthday as the shared reader takes it: `1985-06-21`, or
/// `--06-21` when the year is left out (`--0621`, or Apple's placeholder
/// year 1604 with `X-APPLE-OMIT-YEAR`).
fn birthday(p: &Property, value: &str) -> String {
    let v = value.trim();
    let day = v.split('T').next().unwrap_or(v);
    if let Some(omit) = p.param("X-APPLE-OMIT-YEAR")
        && day.starts_with(omit)
        && let Some(rest) = day.get(omit.len()..)
    {
        return format!("-{rest}");
    }
    let digits = day.len() == 8 && day.chars().all(|c| c.is_ascii_digit());
    if digits {
        return format!("{}-{}-{}", &day[..4], &day[4..6], &day[6..]);
    }
    day.to_string()
}

/// One card's lines, with where it starts.
struct Card {
    number: usize,
    line: u64,
    lines: Vec<(u64, String)>,
}

/// Unfolds and splits the text into cards; a line outside a card, or a
/// card not closed, is refused.
fn cards(text: &str) -> Result<Vec<Card>, String> {
    // Unfold: a line starting with a space or tab continues the previous
    // one; a quoted-printable value ending in `=` continues on the next.
    let mut logical: Vec<(u64, String)> = Vec::new();
    let mut soft_break = false;
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let n = i as u64 + 1;
        match logical.last_mut() {
            Some((_, last)) if soft_break => {
                last.pop();
                last.push_str(raw);
            }
            Some((_, last)) if raw.starts_with([' ', '\t']) => last.push_str(&raw[1..]),
            _ => logical.push((n, raw.to_string())),
        }
        let last = logical.last().map_or("", |(_, l)| l.as_str());
        soft_break =
            last.ends_with('=') && parse_property(last).is_some_and(|p| p.quoted_printable());
    }
    let mut out = Vec::new();
    let mut open: Option<Card> = None;
    for (n, line) in logical {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let upper = t.to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if let Some(card) = &open {
                return Err(format!(
                    "card {} (line {}): no END:VCARD before line {n}",
                    card.number, card.line
                ));
            }
            open = Some(Card {
                number: out.len() + 1,
                line: n,
                lines: Vec::new(),
            });
        } else if upper == "END:VCARD" {
            match open.take() {
                Some(card) => out.push(card),
                None => return Err(format!("line {n}: END:VCARD without BEGIN:VCARD")),
            }
        } else if let Some(card) = open.as_mut() {
            card.lines.push((n, line));
        } else {
            return Err(format!(
                "line {n}: text outside a card (BEGIN:VCARD … END:VCARD)"
            ));
        }
    }
    if let Some(card) = open {
        return Err(format!(
            "card {} (line {}): no END:VCARD",
            card.number, card.line
        ));
    }
    Ok(out)
}

/// A field a card fills: field, property name, text.
type Filled = (Field, String, String);

/// One card's fields, the properties not known, and problems.
fn fields_of(card: &Card) -> (Vec<Filled>, Vec<String>, Vec<String>) {
    let mut fields = Vec::new();
    let mut unknown = Vec::new();
    let mut problems = Vec::new();
    let (mut tel, mut email) = (false, false);
    for (n, line) in &card.lines {
        let Some(p) = parse_property(line) else {
            problems.push(format!("line {n}: '{line}' is not a property (NAME:value)"));
            continue;
        };
        let value = if p.quoted_printable() {
            match quoted_printable(&p.value) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!("line {n}: {}: {e}", p.name));
                    continue;
                }
            }
        } else {
            p.value.clone()
        };
        let one = || unescape(&value, false).concat();
        match p.name.as_str() {
            "FN" => fields.push((Field::Name, p.name.clone(), one().trim().to_string())),
            "N" => {
                let parts = unescape(&value, true);
                let part = |i: usize| parts.get(i).map_or("", |s| s.trim()).to_string();
                fields.push((Field::Family, "N".into(), part(0)));
                fields.push((Field::Given, "N".into(), part(1)));
                fields.push((Field::Middle, "N".into(), part(2)));
            }
            "BDAY" => fields.push((Field::DateOfBirth, p.name.clone(), birthday(&p, &one()))),
            "TEL" if !tel => {
                let v = one();
                let v = v.trim();
                tel = !v.is_empty();
                fields.push((
                    Field::Phone,
                    p.name.clone(),
                    v.strip_prefix("tel:").unwrap_or(v).into(),
                ));
            }
            "EMAIL" if !email => {
                email = !one().trim().is_empty();
                fields.push((Field::Email, p.name.clone(), one().trim().to_string()));
            }
            "NOTE" => fields.push((Field::Notes, p.name.clone(), one())),
            "TEL" | "EMAIL" => {}
            name if name.starts_with("X-") || UNUSED.contains(&name) => {}
            name => unknown.push(name.to_string()),
        }
    }
    (fields, unknown, problems)
}

/// Whether `bytes` look like vCards (whatever the file is called).
pub(crate) fn looks_like(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.get(..11)
        .is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// Reads every card, or says everything wrong (up to a few problems, each
/// with its card and line). Unknown properties are refused in one message,
/// or with `skip_unknown` left out and listed.
pub(crate) fn parse(
    bytes: &[u8],
    today: NaiveDate,
    skip_unknown: bool,
) -> Result<ClientList, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        format!("line {line}: not UTF-8 text")
    })?;
    let cards = cards(text)?;
    if cards.is_empty() {
        return Err("no cards in the file (BEGIN:VCARD … END:VCARD)".into());
    }
    let mut list = ClientList {
        source: Source::VCard,
        clients: Vec::new(),
        skipped: Vec::new(),
        no_year: Vec::new(),
    };
    // Each unknown property with the first card that has it.
    let mut unknown: Vec<(String, String)> = Vec::new();
    let mut problems = Vec::new();
    for card in &cards {
        let place = format!("card {} (line {})", card.number, card.line);
        let (fields, odd, trouble) = fields_of(card);
        for name in odd {
            if !unknown.iter().any(|(n, _)| *n == name) {
                unknown.push((name, place.clone()));
            }
        }
        if !trouble.is_empty() {
            problems.push(format!("{place}: {}", trouble.join(", ")));
            continue;
        }
        let cells = fields.iter().map(|(f, c, t)| (*f, c.as_str(), t.as_str()));
        match client_row::read_row(cells, card.line, &place, SlashOrder::None, today) {
            Ok(row) => {
                if let Some(b) = row.no_year {
                    list.no_year.push(format!(
                        "card {} (line {}) {} ({b})",
                        card.number, card.line, row.client.draft.name
                    ));
                }
                list.clients.push(row.client);
            }
            Err(e) => problems.push(e),
        }
    }
    if !unknown.is_empty() && !skip_unknown {
        let names: Vec<String> = unknown
            .iter()
            .map(|(n, place)| format!("'{n}' (first in {place})"))
            .collect();
        problems.insert(
            0,
            format!(
                "unknown propert{} {}; read are FN, N, BDAY, TEL, EMAIL and NOTE; \
                 --skip-unknown imports the rest and lists these as left out",
                if unknown.len() == 1 { "y" } else { "ies" },
                names.join(", ")
            ),
        );
    }
    if !problems.is_empty() {
        return Err(super::client_csv::summarise(&problems));
    }
    list.skipped = unknown.into_iter().map(|(n, _)| n).collect();
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::today;

    #[test]
    fn folded_escaped_and_quoted_printable_values() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lima;Ana;;;\r\nFN:Ana Lima\r\n\
            NOTE:first line\\nsecond\\, with comma and a long tail that is fol\r\n ded here\r\n\
            item1.EMAIL;type=INTERNET;type=pref:ana@example.org\r\n\
            TEL;type=CELL:+44 7700 900123\r\nTEL;type=HOME:+44 20 7946 0000\r\n\
            BDAY;X-APPLE-OMIT-YEAR=1604:1604-06-21\r\nEND:VCARD\r\n\
            BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=\r\n\
            =C3=BCrgen;;;\r\nTEL;CELL;PREF:0151 234567\r\nBDAY:19800229\r\nEND:VCARD\r\n";
        let list = parse(text.as_bytes(), today(), false).unwrap();
        let [ana, jurgen] = &list.clients[..] else {
            panic!("{:?}", list.clients)
        };
        assert_eq!(ana.draft.name, "Ana Lima");
        assert_eq!(
            ana.draft.notes,
            "first line\nsecond, with comma and a long tail that is folded here"
        );
        assert_eq!(ana.draft.email, "ana@example.org");
        assert_eq!(ana.draft.phone, "+44 7700 900123");
        assert_eq!(ana.draft.date_of_birth, None);
        assert_eq!(ana.line, 1);
        assert_eq!(list.no_year, ["card 1 (line 1) Ana Lima (--06-21)"]);
        assert_eq!(jurgen.draft.name, "Jürgen Müller");
        assert_eq!(
            jurgen.draft.date_of_birth,
            NaiveDate::from_ymd_opt(1980, 2, 29)
        );
    }

    #[test]
    fn problems_name_the_card_and_unknown_properties_are_listed_once() {
        let text = "BEGIN:VCARD\nVERSION:4.0\nFN:Bo\nBDAY:--1301\nEND:VCARD\n\
            BEGIN:VCARD\nFN:Cy\nSHOE:42\nPET:cat\nEND:VCARD\nBEGIN:VCARD\nFN:Di\nSHOE:40\nEND:VCARD\n";
        let e = parse(text.as_bytes(), today(), false).unwrap_err();
        assert!(
            e.starts_with("unknown properties 'SHOE' (first in card 2 (line 6)), 'PET' (first in card 2 (line 6));"),
            "{e}"
        );
        assert!(e.contains("card 1 (line 1) (Bo): BDAY: '--1301'"), "{e}");
        let e = parse(b"BEGIN:VCARD\nFN:A\n", today(), false).unwrap_err();
        assert_eq!(e, "card 1 (line 1): no END:VCARD");
        let ok = "BEGIN:VCARD\nFN:Cy\nSHOE:42\nEND:VCARD\n";
        let list = parse(ok.as_bytes(), today(), true).unwrap();
        assert_eq!(list.skipped, ["SHOE"]);
        assert!(looks_like(b"\xEF\xBB\xBF\r\nbegin:vcard\r\n"));
        assert!(!looks_like(b"name,phone\n"));
    }
}
