//! What a text field may hold. Control characters (Unicode category Cc:
//! U+0000–U+001F and U+007F–U+009F) have no place in a health record: a
//! NUL cuts a C string short, an escape sequence repaints a terminal. A
//! multi-line text keeps its line breaks and tabs; a one-line text (a
//! name, a phone number, a lot) keeps none.
//!
//! The JSON Schema states the same rules as the patterns below, put on
//! each text field with `#[schemars(extend("pattern" = …))]`; a test runs
//! both over the same strings.

use super::ValidationError;

/// A one-line text: no control character at all.
pub const ONE_LINE_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";
/// A multi-line text: no control character but line feed, carriage
/// return and tab.
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";
/// A name: one line with at least one character that is not a space.
pub const NAME_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$";

/// The first control character of a one-line text.
pub fn line_control(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_control())
}

/// The first control character of a multi-line text other than a line
/// break or a tab.
pub fn text_control(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// "control character U+0000 is not allowed", for a field's message.
pub fn control_reason(c: char, one_line: bool) -> String {
    let kept = if one_line {
        "one line without control characters"
    } else {
        "only line breaks and tabs are allowed"
    };
    format!(
        "control character U+{:04X} is not allowed ({kept})",
        u32::from(c)
    )
}

/// The problem with a multi-line `text` in `field`, if any.
pub fn text_problem(field: &'static str, text: &str) -> Option<ValidationError> {
    text_control(text).map(|c| ValidationError::invalid(field, control_reason(c, false)))
}

/// The problem with a one-line `text` in `field`, if any.
pub fn line_problem(field: &'static str, text: &str) -> Option<ValidationError> {
    line_control(text).map(|c| ValidationError::invalid(field, control_reason(c, true)))
}

/// `text` with every control character a file format cannot carry shown
/// as a visible sign (U+2400 and on for U+0000–U+001F, ␡ for DEL, � for
/// U+0080–U+009F); line breaks and tabs are kept. For exports of records
/// saved before control characters were refused.
pub fn visible_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text_control(text).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// A name folded for comparison: case, accents and spacing do not count
/// ("Ána  SOUZA" and "ana souza" fold alike).
pub fn name_key(name: &str) -> String {
    // ASCII is its own decomposition and has no combining marks: the same
    // key without the Unicode tables (the demo folds every product name
    // of every session this way).
    if name.is_ascii() {
        let lower = name.to_ascii_lowercase();
        return lower.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    unicode_key(name)
}

/// [`name_key`] for any text: decomposed, marks dropped, lower case, and
/// the Latin letters whose stroke or ligature does not decompose spelt as
/// they are typed without it ("Łukasz" is "lukasz", "Đorđe" "djordje" …).
fn unicode_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut folded = String::with_capacity(name.len());
    for c in name
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
    {
        match c {
            'đ' => folded.push('d'),
            'ł' => folded.push('l'),
            'ø' => folded.push('o'),
            'ħ' => folded.push('h'),
            'ı' => folded.push('i'),
            'ŧ' => folded.push('t'),
            'ß' => folded.push_str("ss"),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'þ' => folded.push_str("th"),
            c => folded.push(c),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_with_strokes_fold_like_their_plain_spelling() {
        assert_eq!(name_key("Łukasz Wałęsa"), name_key("Lukasz Walesa"));
        assert_eq!(name_key("Đorđe"), "dorde");
        assert_eq!(name_key("Søren Æbelø"), "soren aebelo");
        assert_eq!(name_key("Straße"), name_key("STRASSE"));
        assert_ne!(name_key("Łukasz"), name_key("Tukasz"));
    }

    /// The ASCII shortcut folds every ASCII character, and runs of spaces,
    /// tabs and line breaks, as the Unicode path does.
    #[test]
    fn ascii_names_fold_as_unicode_ones() {
        let every: String = (0u8..128).map(char::from).collect();
        for text in [
            every.as_str(),
            "  Ana \t SOUZA\n",
            "Lidocaine 4% (LMX4)",
            "\u{b}x\u{c}y\u{1c}z",
            "",
        ] {
            assert_eq!(name_key(text), unicode_key(text), "{text:?}");
        }
        assert_eq!(name_key("Ána  SOUZA"), name_key("ana souza"));
    }

    #[test]
    fn line_breaks_and_tabs_are_text_but_not_one_line() {
        assert_eq!(text_control("a\nb\r\n\tc"), None);
        assert_eq!(line_control("a\tb"), Some('\t'));
        assert_eq!(text_control("a\u{0}b"), Some('\u{0}'));
        assert_eq!(text_control("a\u{85}b"), Some('\u{85}'));
        assert_eq!(text_control("a\u{7f}"), Some('\u{7f}'));
        assert_eq!(text_control("Zoë 李"), None);
        let e = text_problem("notes", "x\u{1}").unwrap().to_string();
        assert_eq!(
            e,
            "notes: control character U+0001 is not allowed (only line breaks and tabs are allowed)"
        );
    }

    #[test]
    fn exports_show_old_control_characters() {
        assert_eq!(
            visible_controls("a\u{0}b\nc\u{7f}\u{85}"),
            "a\u{2400}b\nc\u{2421}\u{fffd}"
        );
        assert!(matches!(
            visible_controls("plain\ttext"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
