//! The consent checks: a guardian's consent for a client under 18, a
//! consent older than the practice's renewal period, and a consent signed
//! before the client's treatment moved to a new area. (No consent at all is
//! `Warning::NoConsent`, in `warnings`.)

use super::client::ClientDraft;
use super::history::ClientHistory;
use super::rules::Rules;
use super::series::ValidSeries;
use super::warning::{ADULT_AGE, Warning};
use super::zones::Zone;
use chrono::{Months, NaiveDate};

/// Under [`ADULT_AGE`] on the day of the session: a stop without a
/// guardian's consent dated on or before it, a reminder with one.
pub fn minor_warning(client: &ClientDraft, date: NaiveDate) -> Option<Warning> {
    let age = date.years_since(client.date_of_birth?)?;
    (age < ADULT_AGE).then(|| Warning::Minor {
        age,
        guardian_consent_on: client.guardian_consent_on.filter(|g| *g <= date),
    })
}

/// The consent on file, valid on `date`, checked for renewal and for the
/// area it covered. `zones` are the zones the session treats.
pub fn consent_warnings(
    client: &ClientDraft,
    series: &ValidSeries,
    history: &ClientHistory,
    zones: &[Zone],
    date: NaiveDate,
    rules: &Rules,
) -> Vec<Warning> {
    let mut out = Vec::new();
    let Some(consent_on) = client.consent_on.filter(|c| *c <= date) else {
        return out;
    };
    let months = rules.consent_renewal_months;
    if let Some(renew_by) = consent_on.checked_add_months(Months::new(months))
        && date > renew_by
    {
        out.push(Warning::ConsentDue {
            consent_on,
            renew_by,
            months,
        });
    }
    if consent_on < series.started_on {
        let covered = history.covered_by_consent(consent_on);
        let mut new: Vec<Zone> = zones
            .iter()
            .copied()
            .filter(|z| !covered.contains(z))
            .collect();
        new.sort();
        new.dedup();
        // Nothing known of what it covered: nothing to compare with.
        if !covered.is_empty() && !new.is_empty() {
            out.push(Warning::ConsentNewArea {
                consent_on,
                zones: new,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::series::{Concern, SeriesDraft};
    use crate::domain::session::SessionDraft;
    use crate::domain::warning::Weight;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn series(started: NaiveDate, zones: &[Zone]) -> ValidSeries {
        let mut s = SeriesDraft::new(Concern::AcneScars, started);
        s.zones = zones.to_vec();
        s.validate().unwrap()
    }

    fn consented(on: NaiveDate) -> ClientDraft {
        let mut c = ClientDraft::named("Ana");
        c.consent_on = Some(on);
        c
    }

    #[test]
    fn a_consent_is_renewed_after_the_practice_s_period() {
        let c = consented(d(2025, 3, 1));
        let s = series(d(2025, 2, 1), &[Zone::Cheeks]);
        let check = |date: NaiveDate, rules: &Rules| {
            consent_warnings(&c, &s, &ClientHistory::EMPTY, &[Zone::Cheeks], date, rules)
        };
        let rules = Rules::default();
        assert!(check(d(2026, 3, 1), &rules).is_empty(), "exactly 12 months");
        let w = check(d(2026, 3, 2), &rules);
        assert_eq!(
            w,
            [Warning::ConsentDue {
                consent_on: d(2025, 3, 1),
                renew_by: d(2026, 3, 1),
                months: 12
            }]
        );
        assert_eq!(w[0].weight(), Weight::Caution);
        assert_eq!(
            w[0].to_string(),
            "consent signed 2025-03-01 is more than 12 months old (renewal was due after 2026-03-01): have a new consent signed before needling"
        );
        let six = Rules {
            consent_renewal_months: 6,
            ..Rules::default()
        };
        assert!(check(d(2025, 9, 1), &six).is_empty());
        assert_eq!(check(d(2025, 9, 2), &six).len(), 1);
        // A consent dated after the session is no consent for it: NoConsent says so.
        assert!(check(d(2025, 2, 28), &rules).is_empty());
    }

    /// A client first treated on the cheeks (consent 2026-01-05, series
    /// from 2026-01-10), then a second series on the neck and cheeks.
    fn moved_to_the_neck() -> (ClientHistory, ValidSeries, ValidSeries) {
        let first = series(d(2026, 1, 10), &[Zone::Cheeks]);
        let second = series(d(2026, 6, 1), &[Zone::Neck, Zone::Cheeks]);
        let mut h = ClientHistory::default();
        let mut s = SessionDraft::at(d(2026, 1, 10).and_hms_opt(9, 0, 0).unwrap());
        s.zones = vec![Zone::Cheeks, Zone::Chin];
        h.add_series(&first, [&s]);
        h.add_series(&second, []);
        (h, first, second)
    }

    #[test]
    fn a_consent_signed_before_the_first_series_covers_its_zones() {
        let (h, first, _) = moved_to_the_neck();
        let c = consented(d(2026, 1, 5));
        let w = consent_warnings(
            &c,
            &first,
            &h,
            &[Zone::Cheeks],
            d(2026, 2, 10),
            &Rules::default(),
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(h.covered_by_consent(d(2026, 1, 5)), [Zone::Cheeks]);
    }

    #[test]
    fn a_new_area_after_the_consent_warns_naming_the_new_zones() {
        let (h, _, second) = moved_to_the_neck();
        let c = consented(d(2026, 1, 5));
        let zones = [Zone::Neck, Zone::Cheeks];
        let w = consent_warnings(&c, &second, &h, &zones, d(2026, 6, 1), &Rules::default());
        assert_eq!(
            w,
            [Warning::ConsentNewArea {
                consent_on: d(2026, 1, 5),
                zones: vec![Zone::Neck]
            }]
        );
        assert_eq!(
            w[0].to_string(),
            "consent signed 2026-01-05, before this series: it did not cover neck — have a consent for the new area signed before needling"
        );
        // Signed again once the first session (cheeks and chin) was done:
        // it covers what was treated by then, still not the neck.
        let c = consented(d(2026, 1, 10));
        let mut treated = vec![Zone::Cheeks, Zone::Chin];
        treated.sort();
        assert_eq!(h.covered_by_consent(d(2026, 1, 10)), treated);
        let w = consent_warnings(
            &c,
            &second,
            &h,
            &[Zone::Chin],
            d(2026, 6, 1),
            &Rules::default(),
        );
        assert!(w.is_empty(), "the chin was treated before: {w:?}");
        // Signed when the new series started: it covers it.
        let c = consented(d(2026, 6, 1));
        assert!(
            consent_warnings(&c, &second, &h, &zones, d(2026, 6, 1), &Rules::default()).is_empty()
        );
    }

    #[test]
    fn a_minor_needs_a_guardian_s_consent_dated_by_the_session() {
        let mut c = consented(d(2026, 1, 1));
        c.date_of_birth = Some(d(2008, 3, 2));
        let stop = minor_warning(&c, d(2026, 3, 1)).unwrap();
        assert_eq!(
            stop,
            Warning::Minor {
                age: 17,
                guardian_consent_on: None
            }
        );
        assert_eq!(stop.weight(), Weight::Stop);
        assert_eq!(
            stop.to_string(),
            "client is 17, under 18: no parent's or guardian's signed consent on file for this date — have it signed and record it on the client before needling"
        );
        assert_eq!(minor_warning(&c, d(2026, 3, 2)), None, "18 today");
        c.guardian_consent_on = Some(d(2026, 3, 1));
        let ok = minor_warning(&c, d(2026, 3, 1)).unwrap();
        assert_eq!(ok.weight(), Weight::Caution);
        assert_eq!(
            ok.to_string(),
            "client is 17, under 18: guardian's consent signed 2026-03-01 — check the guardian agrees to today's treatment"
        );
        assert_eq!(
            minor_warning(&c, d(2026, 2, 28)).map(|w| w.weight()),
            Some(Weight::Stop),
            "signed after the session"
        );
        assert_eq!(minor_warning(&c, d(2026, 3, 2)), None);
        c.date_of_birth = None;
        assert_eq!(minor_warning(&c, d(2026, 3, 1)), None);
    }

    #[test]
    fn a_minor_saved_before_guardian_consent_reads_back_as_none_on_file() {
        let old: Warning = serde_json::from_str(r#"{"code": "minor", "age": 16}"#).unwrap();
        assert_eq!(
            old,
            Warning::Minor {
                age: 16,
                guardian_consent_on: None
            }
        );
        let json = serde_json::to_value(&old).unwrap();
        assert_eq!(json, serde_json::json!({"code": "minor", "age": 16}));
    }
}
