//! Telling people apart: the likely duplicates a client form warns of
//! (the same name folded by `text::name_key`, and no differing birthday).

use super::client::ClientDraft;
use super::text::name_key;
use chrono::NaiveDate;

/// Who an existing client is, for telling a likely duplicate apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namesake {
    pub id: i64,
    pub name: String,
    /// `name_key(name)`, computed once.
    pub key: String,
    pub date_of_birth: Option<NaiveDate>,
    pub archived: bool,
}

impl Namesake {
    pub fn new(id: i64, name: String, date_of_birth: Option<NaiveDate>, archived: bool) -> Self {
        Self {
            id,
            key: name_key(&name),
            name,
            date_of_birth,
            archived,
        }
    }
}

/// Existing clients (archived ones too) that `draft` probably duplicates:
/// the same name ignoring case and accents, and the same date of birth or
/// none on either side. `except` is the client being edited.
pub fn likely_duplicates<'a>(
    draft: &ClientDraft,
    others: &'a [Namesake],
    except: Option<i64>,
) -> Vec<&'a Namesake> {
    let key = name_key(&draft.name);
    if key.is_empty() {
        return Vec::new();
    }
    others
        .iter()
        .filter(|o| Some(o.id) != except && o.key == key)
        .filter(|o| match (o.date_of_birth, draft.date_of_birth) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        .collect()
}

/// The warning a client form shows for a likely duplicate.
pub fn duplicate_warning(found: &[&Namesake]) -> Option<String> {
    let names: Vec<String> = found
        .iter()
        .take(3)
        .map(|o| {
            let born = o
                .date_of_birth
                .map(|d| format!(", born {d}"))
                .unwrap_or_default();
            let archived = if o.archived { ", archived" } else { "" };
            format!("{}{born}{archived}", o.name)
        })
        .collect();
    let more = found.len().saturating_sub(3);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    (!found.is_empty()).then(|| {
        format!(
            "possible duplicate of {}{tail}: check before adding the same person twice",
            names.join("; ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likely_duplicates_ignore_case_accents_and_spacing() {
        let others = vec![
            Namesake::new(
                1,
                "Ana Souza".into(),
                NaiveDate::from_ymd_opt(1990, 5, 4),
                false,
            ),
            Namesake::new(2, "José  Álvarez".into(), None, true),
            Namesake::new(
                3,
                "Ana Souza".into(),
                NaiveDate::from_ymd_opt(1985, 1, 1),
                false,
            ),
        ];
        let mut c = ClientDraft::named("ÁNA souza");
        let ids = |v: Vec<&Namesake>| v.iter().map(|o| o.id).collect::<Vec<_>>();
        assert_eq!(
            ids(likely_duplicates(&c, &others, None)),
            [1, 3],
            "no date of birth: both"
        );
        c.date_of_birth = NaiveDate::from_ymd_opt(1990, 5, 4);
        assert_eq!(ids(likely_duplicates(&c, &others, None)), [1]);
        assert!(
            likely_duplicates(&c, &others, Some(1)).is_empty(),
            "not itself"
        );
        c.date_of_birth = NaiveDate::from_ymd_opt(2000, 1, 1);
        assert!(likely_duplicates(&c, &others, None).is_empty());
        let jose = ClientDraft::named("jose alvarez");
        let found = likely_duplicates(&jose, &others, None);
        assert_eq!(ids(found.clone()), [2], "archived clients count");
        assert_eq!(
            duplicate_warning(&found).unwrap(),
            "possible duplicate of José  Álvarez, archived: check before adding the same person twice"
        );
        assert!(likely_duplicates(&ClientDraft::named(" "), &others, None).is_empty());
    }
}
