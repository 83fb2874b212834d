//! Keys as users write them in the settings file (`"Q"`, `"+"`,
//! `"ctrl-r"`, `"shift-tab"`, `"pgdn"`, `"f5"`), and back.

use super::Key;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// Named keys: every name a key is read from, the first one being how it
/// is written back.
const NAMES: &[(&[&str], KeyCode)] = &[
    (&["enter", "return"], KeyCode::Enter),
    (&["esc", "escape"], KeyCode::Esc),
    (&["tab"], KeyCode::Tab),
    (&["backtab"], KeyCode::BackTab),
    (&["space"], KeyCode::Char(' ')),
    (&["backspace"], KeyCode::Backspace),
    (&["delete", "del"], KeyCode::Delete),
    (&["insert", "ins"], KeyCode::Insert),
    (&["home"], KeyCode::Home),
    (&["end"], KeyCode::End),
    (&["pgup", "pageup"], KeyCode::PageUp),
    (&["pgdn", "pagedown", "pgdown"], KeyCode::PageDown),
    (&["up"], KeyCode::Up),
    (&["down"], KeyCode::Down),
    (&["left"], KeyCode::Left),
    (&["right"], KeyCode::Right),
];

/// Reads one key: a single character (`q`, `Q`, `+`, `?`), a key name
/// (`enter`, `esc`, `tab`, `space`, `pgdn`, `f5`, …), optionally after
/// `ctrl-`, `alt-` or `shift-` (any case). `shift-` goes with letters
/// (`shift-a` is `A`) and Tab (`shift-tab`); `ctrl-R` is `ctrl-r`.
/// `None` when the text is none of these.
pub fn parse_key(text: &str) -> Option<Key> {
    let mut rest = text.trim();
    let mut mods = KeyModifiers::NONE;
    let mut shift = false;
    // A single character is that character, even `-`.
    while rest.chars().count() > 1 {
        let lower = rest.to_ascii_lowercase();
        let (flag, len) = if lower.starts_with("ctrl-") {
            (Some(KeyModifiers::CONTROL), 5)
        } else if lower.starts_with("alt-") {
            (Some(KeyModifiers::ALT), 4)
        } else if lower.starts_with("shift-") {
            (None, 6)
        } else {
            break;
        };
        match flag {
            Some(m) => mods |= m,
            None => shift = true,
        }
        rest = &rest[len..];
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() && c != ' ' => KeyCode::Char(c),
        (Some(_), Some(_)) => named(&rest.to_ascii_lowercase())?,
        _ => return None,
    };
    let code = match code {
        KeyCode::Char(c) if shift && c.is_alphabetic() => {
            KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
        }
        KeyCode::Tab if shift => KeyCode::BackTab,
        // Shift with anything else would read as the key without it.
        _ if shift => return None,
        // The terminal reports Ctrl with a letter in lower case.
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    Some(Key { code, mods })
}

fn named(name: &str) -> Option<KeyCode> {
    if let Some(n) = name.strip_prefix('f')
        && let Ok(n) = n.parse::<u8>()
    {
        return (1..=24).contains(&n).then_some(KeyCode::F(n));
    }
    NAMES
        .iter()
        .find(|(names, _)| names.contains(&name))
        .map(|&(_, code)| code)
}

/// The key as written in the settings file; [`parse_key`] reads it back.
pub fn key_name(k: &Key) -> String {
    let base = match k.code {
        KeyCode::BackTab => "shift-tab".to_string(),
        KeyCode::Char(c) if c != ' ' => c.to_string(),
        KeyCode::F(n) => format!("f{n}"),
        code => NAMES
            .iter()
            .find(|&&(_, c)| c == code)
            .map_or_else(|| format!("{code:?}"), |(names, _)| names[0].to_string()),
    };
    let mut out = String::new();
    if k.mods.contains(KeyModifiers::CONTROL) {
        out.push_str("ctrl-");
    }
    if k.mods.contains(KeyModifiers::ALT) {
        out.push_str("alt-");
    }
    out + &base
}

/// Several keys, written apart by spaces (`"j down"`). The pieces that are
/// not keys come back as the error.
pub fn parse_keys(text: &str) -> Result<Vec<Key>, Vec<String>> {
    let mut keys = Vec::new();
    let mut bad = Vec::new();
    for piece in text.split_whitespace() {
        match parse_key(piece) {
            Some(k) if !keys.contains(&k) => keys.push(k),
            Some(_) => {}
            None => bad.push(piece.to_string()),
        }
    }
    if text.trim().is_empty() {
        bad.push(text.to_string());
    }
    if bad.is_empty() { Ok(keys) } else { Err(bad) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> Option<Key> {
        Some(Key { code, mods })
    }

    #[test]
    fn reads_the_keys_people_write() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(parse_key("q"), key(KeyCode::Char('q'), none));
        assert_eq!(parse_key("Q"), key(KeyCode::Char('Q'), none));
        assert_eq!(parse_key("+"), key(KeyCode::Char('+'), none));
        assert_eq!(parse_key("-"), key(KeyCode::Char('-'), none));
        assert_eq!(parse_key("ctrl-r"), key(KeyCode::Char('r'), ctrl));
        assert_eq!(parse_key("Ctrl-R"), key(KeyCode::Char('r'), ctrl));
        assert_eq!(parse_key("ctrl--"), key(KeyCode::Char('-'), ctrl));
        assert_eq!(parse_key("shift-tab"), key(KeyCode::BackTab, none));
        assert_eq!(parse_key("shift-a"), key(KeyCode::Char('A'), none));
        assert_eq!(parse_key("enter"), key(KeyCode::Enter, none));
        assert_eq!(parse_key("Esc"), key(KeyCode::Esc, none));
        assert_eq!(parse_key("f5"), key(KeyCode::F(5), none));
        assert_eq!(parse_key("pgdn"), key(KeyCode::PageDown, none));
        assert_eq!(parse_key("PageUp"), key(KeyCode::PageUp, none));
        assert_eq!(parse_key("space"), key(KeyCode::Char(' '), none));
        assert_eq!(
            parse_key("alt-x"),
            key(KeyCode::Char('x'), KeyModifiers::ALT)
        );
    }

    #[test]
    fn refuses_what_is_not_a_key() {
        for text in [
            "", " ", "ctrl-", "f0", "f25", "shift-up", "shift-1", "qq", "ctl-r", "hyper-x",
        ] {
            assert_eq!(parse_key(text), None, "{text:?}");
        }
        assert_eq!(parse_keys("j nope down"), Err(vec!["nope".to_string()]));
        assert!(parse_keys("").is_err());
    }

    #[test]
    fn names_read_back_as_the_same_key() {
        for text in [
            "q",
            "Q",
            "+",
            "ctrl-r",
            "shift-tab",
            "enter",
            "esc",
            "f5",
            "pgdn",
            "pgup",
            "space",
            "alt-x",
            "home",
            "end",
            "up",
            "down",
            "tab",
            "?",
            "/",
        ] {
            let k = parse_key(text).unwrap();
            assert_eq!(key_name(&k), text);
            assert_eq!(parse_key(&key_name(&k)), Some(k));
        }
    }
}
