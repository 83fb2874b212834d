//! The column headers of the address books people keep their clients in:
//! a Google Contacts CSV (its older form with "Given Name" and "E-mail 1 -
//! Value", and the newer one with "First Name" and "Labels") and an Outlook
//! CSV. Each header is a field needlelog fills, or a column these programs
//! write that needlelog has no place for (known, not imported), or unknown.

use super::client_row::{Field, squash};

/// Where a CSV came from, as its header row tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// needlelog's own column names (or a sheet with only those).
    Own,
    Google,
    Outlook,
    VCard,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Own => "client list",
            Source::Google => "Google Contacts",
            Source::Outlook => "Outlook contacts",
            Source::VCard => "vCard",
        }
    }
}

/// What an address-book header means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Fill(Field),
    /// Written by Google or Outlook; needlelog has no place for it.
    Unused,
}

const NAMES: [(&str, Field); 8] = [
    ("given name", Field::Given),
    ("first name", Field::Given),
    ("additional name", Field::Middle),
    ("middle name", Field::Middle),
    ("family name", Field::Family),
    ("last name", Field::Family),
    ("e-mail address", Field::EmailAt(1)),
    ("email address", Field::EmailAt(1)),
];

/// Outlook's phone columns in the order one is taken: the mobile first,
/// then the number marked primary, home, business, other.
const OUTLOOK_PHONES: [&str; 10] = [
    "mobile phone",
    "primary phone",
    "home phone",
    "home phone 2",
    "business phone",
    "business phone 2",
    "other phone",
    "car phone",
    "company main phone",
    "callback",
];

/// Columns Google or Outlook write that needlelog does not import.
const UNUSED: &[&str] = &[
    // Google (both forms)
    "yomi name",
    "given name yomi",
    "additional name yomi",
    "family name yomi",
    "phonetic first name",
    "phonetic middle name",
    "phonetic last name",
    "name prefix",
    "name suffix",
    "initials",
    "nickname",
    "short name",
    "maiden name",
    "file as",
    "gender",
    "location",
    "billing information",
    "directory server",
    "mileage",
    "occupation",
    "hobby",
    "sensitivity",
    "priority",
    "subject",
    "language",
    "photo",
    "group membership",
    "labels",
    "organization name",
    "organization title",
    "organization department",
    // Outlook
    "title",
    "suffix",
    "company",
    "department",
    "job title",
    "assistant's phone",
    "business fax",
    "home fax",
    "other fax",
    "isdn",
    "pager",
    "radio phone",
    "tty/tdd phone",
    "telex",
    "account",
    "anniversary",
    "assistant's name",
    "business address po box",
    "home address po box",
    "other address po box",
    "categories",
    "children",
    "e-mail type",
    "e-mail display name",
    "government id number",
    "internet free busy",
    "keywords",
    "manager's name",
    "office location",
    "organizational id number",
    "private",
    "profession",
    "referred by",
    "spouse",
    "user 1",
    "user 2",
    "user 3",
    "user 4",
    "web page",
];

/// Outlook's address columns: Business/Home/Other, then the part.
const ADDRESS_PARTS: [&str; 7] = [
    "street",
    "street 2",
    "street 3",
    "city",
    "state",
    "postal code",
    "country/region",
];

/// Google's numbered groups ("Address 2 - City"), all unused but e-mail
/// and phone values.
const GOOGLE_GROUPS: [&str; 12] = [
    "e-mail",
    "phone",
    "address",
    "organization",
    "website",
    "relation",
    "event",
    "custom field",
    "im",
    "external id",
    "jot",
    "calendar link",
];

fn is(header: &str, name: &str) -> bool {
    squash(header) == squash(name)
}

/// Google's "Kind N - Part" ("E-mail 1 - Value"): kind, N and part.
fn numbered(header: &str) -> Option<(String, u8, String)> {
    let (left, part) = header.split_once(" - ")?;
    let (kind, n) = left.trim().rsplit_once(' ')?;
    let n = n.parse::<u8>().ok()?;
    Some((kind.trim().to_lowercase(), n, part.trim().to_lowercase()))
}

/// What `header` means in a Google or Outlook export, if it is one of
/// theirs.
pub(crate) fn known(header: &str) -> Option<Known> {
    if let Some((_, f)) = NAMES.iter().find(|(n, _)| is(header, n)) {
        return Some(Known::Fill(*f));
    }
    if let Some(i) = OUTLOOK_PHONES.iter().position(|n| is(header, n)) {
        return Some(Known::Fill(Field::PhoneAt(i as u8 + 1)));
    }
    // Outlook's "E-mail 2 Address", "E-mail 3 Type", …
    let lower = header.trim().to_lowercase();
    if let Some(rest) = lower.strip_prefix("e-mail ")
        && let Some((n, what)) = rest.split_once(' ')
        && n.parse::<u8>().is_ok()
    {
        match (what, n.parse::<u8>()) {
            ("address", Ok(n)) => return Some(Known::Fill(Field::EmailAt(n))),
            ("type" | "display name", _) => return Some(Known::Unused),
            _ => {}
        }
    }
    if let Some((kind, n, part)) = numbered(header) {
        if !GOOGLE_GROUPS.iter().any(|g| squash(g) == squash(&kind)) {
            return None;
        }
        return Some(match (squash(&kind).as_str(), part.as_str()) {
            ("email", "value") => Known::Fill(Field::EmailAt(n)),
            ("phone", "value") => Known::Fill(Field::PhoneAt(n)),
            _ => Known::Unused,
        });
    }
    let address = ["business ", "home ", "other "].iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| ADDRESS_PARTS.contains(&rest))
    });
    if address || UNUSED.iter().any(|n| is(header, n)) {
        return Some(Known::Unused);
    }
    None
}

/// Which program wrote a header row: Google's numbered groups or its
/// "Given Name"/"Labels"/"Group Membership", Outlook's "E-mail Address" and
/// named phones.
pub(crate) fn source_of<'a>(headers: impl IntoIterator<Item = &'a str>) -> Source {
    let mut source = Source::Own;
    for h in headers {
        let google = numbered(h).is_some()
            || [
                "given name",
                "family name",
                "labels",
                "group membership",
                "file as",
            ]
            .iter()
            .any(|n| is(h, n));
        let outlook = OUTLOOK_PHONES.iter().any(|n| is(h, n))
            || ["e-mail address", "e-mail display name", "job title"]
                .iter()
                .any(|n| is(h, n));
        if google {
            return Source::Google;
        }
        if outlook {
            source = Source::Outlook;
        }
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_both_programs() {
        assert_eq!(
            known("E-mail 1 - Value"),
            Some(Known::Fill(Field::EmailAt(1)))
        );
        assert_eq!(
            known("Phone 2 - Value"),
            Some(Known::Fill(Field::PhoneAt(2)))
        );
        assert_eq!(known("Phone 1 - Type"), Some(Known::Unused));
        assert_eq!(known("Organization 1 - Name"), Some(Known::Unused));
        assert_eq!(known("Group Membership"), Some(Known::Unused));
        assert_eq!(known("Given Name"), Some(Known::Fill(Field::Given)));
        assert_eq!(known("Last Name"), Some(Known::Fill(Field::Family)));
        assert_eq!(known("Mobile Phone"), Some(Known::Fill(Field::PhoneAt(1))));
        assert_eq!(known("Home Phone"), Some(Known::Fill(Field::PhoneAt(3))));
        assert_eq!(
            known("E-mail 2 Address"),
            Some(Known::Fill(Field::EmailAt(2)))
        );
        assert_eq!(known("Home Country/Region"), Some(Known::Unused));
        assert_eq!(known("Shoe Size"), None);
        assert_eq!(known("Shoe 1 - Size"), None);
        assert_eq!(source_of(["Name", "E-mail 1 - Value"]), Source::Google);
        assert_eq!(source_of(["First Name", "Mobile Phone"]), Source::Outlook);
        assert_eq!(source_of(["First Name", "Labels"]), Source::Google);
        assert_eq!(source_of(["name", "phone"]), Source::Own);
    }
}
