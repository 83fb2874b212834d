//! The sentence each warning reads as: what was found and what to do, in
//! the program's own words. The codes and parameters are in `warning`.

use super::pre_check::CurrentState;
use super::warning::{
    ADULT_AGE, AllergySource, LONG_AGO_YEARS, MedicationClass, Warning, zone_list,
};
use std::fmt;

fn days(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooSoon {
                previous,
                opens,
                days_early,
            } => write!(
                f,
                "too soon: last session {previous}, window opens {opens} ({} early)",
                days(*days_early)
            ),
            Self::Between {
                previous,
                next,
                min_days,
                max_days,
            } => {
                match previous {
                    Some(p) => write!(
                        f,
                        "between sessions: {} after {}, {} before {}",
                        days(p.days),
                        p.date,
                        days(next.days),
                        next.date
                    )?,
                    None => write!(
                        f,
                        "before the series' first session: {} before {}",
                        days(next.days),
                        next.date
                    )?,
                }
                write!(f, " (planned {min_days}–{max_days} days apart)")
            }
            Self::BeyondPlan { planned } => {
                write!(f, "series already has its {planned} planned sessions")
            }
            Self::BeforeSeriesStart { started_on, date } => write!(
                f,
                "dated before the series started ({started_on}): saving moves its start to {date}"
            ),
            Self::LongAgo { date } => write!(
                f,
                "dated {date}, more than {LONG_AGO_YEARS} years ago: check the year"
            ),
            Self::OnlyDate => {
                f.write_str("only the date is recorded (nothing entered beyond the defaults)")
            }
            Self::Isotretinoin {
                last_dose: Some(d),
                clear_from: Some(c),
            } => {
                write!(
                    f,
                    "isotretinoin: last dose {d}, inside the practice's window (clear from {c})"
                )
            }
            Self::Isotretinoin { .. } => write!(f, "isotretinoin: date of last dose unknown"),
            Self::Screening { kind } => write!(f, "screening: {}", kind.label()),
            Self::DepthOutsideHint { zone, depth, hint } => {
                write!(
                    f,
                    "depth {depth} mm on {} is outside the usual {hint}",
                    zone.label()
                )
            }
            Self::NoConsent => f.write_str("no signed consent on file"),
            Self::Allergy {
                allergy,
                source,
                product,
                ingredient,
            } => allergy_text(f, allergy, *source, product, ingredient),
            Self::Medication {
                class,
                name,
                pause_days,
                window_months,
            } => medication_text(f, *class, name, *pause_days, *window_months),
            Self::Minor {
                age,
                guardian_consent_on: None,
            } => write!(
                f,
                "client is {age}, under {ADULT_AGE}: no parent's or guardian's signed consent on file for this date — have it signed and record it on the client before needling"
            ),
            Self::Minor {
                age,
                guardian_consent_on: Some(d),
            } => write!(
                f,
                "client is {age}, under {ADULT_AGE}: guardian's consent signed {d} — check the guardian agrees to today's treatment"
            ),
            Self::PihRisk { reasons } => {
                let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "PIH risk: {} — do a test patch first, stay within the usual depth, insist on strict sun protection for the weeks after, and consider pre-treatment with a tyrosinase inhibitor if the practice's protocol provides for it",
                    reasons.join("; ")
                )
            }
            Self::SerumCaution { serum, found } => write!(
                f,
                "serum '{serum}' contains {}, on the practice's caution list: granulomas have been reported after needling with topical products not made sterile for needling — use a sterile product made for microneedling instead",
                found.join(", ")
            ),
            Self::ConsentDue {
                consent_on,
                renew_by,
                months,
            } => write!(
                f,
                "consent signed {consent_on} is more than {months} months old (renewal was due after {renew_by}): have a new consent signed before needling"
            ),
            Self::ConsentNewArea { consent_on, zones } => write!(
                f,
                "consent signed {consent_on}, before this series: it did not cover {} — have a consent for the new area signed before needling",
                zone_list(zones)
            ),
            Self::AdverseOngoing {
                kind,
                note,
                session_on,
                onset,
                severity,
            } => {
                write!(f, "adverse event ongoing: {}", kind.label())?;
                if !note.is_empty() {
                    write!(f, " ({note})")?;
                }
                write!(f, " since {onset}")?;
                if let Some(s) = severity {
                    write!(f, " ({})", s.label())?;
                }
                write!(
                    f,
                    " after the session of {session_on} — review it, and record it resolved in that session's follow-up before needling again"
                )
            }
            Self::CurrentState { state, within_days } => state_text(f, *state, *within_days),
            Self::PreCheckUnconfirmed {
                last,
                procedure_days,
                pause_days,
            } => {
                f.write_str("pre-treatment check not confirmed")?;
                if !last.is_empty() {
                    let states: Vec<String> = last
                        .iter()
                        .map(|s| s.describe(s.window(*procedure_days, *pause_days)))
                        .collect();
                    write!(f, " (last answer: {})", states.join("; "))?;
                }
                write!(
                    f,
                    ": ask about pregnancy or breastfeeding, acne, infection or a cold sore in the area, sunburn or a tan, a peel, laser, filler or toxin (last {}), a retinoid, AHA or hydroquinone (last {}); then confirm the answers",
                    days(i64::from(*procedure_days)),
                    days(i64::from(*pause_days))
                )
            }
            Self::AntiviralProphylaxis => f.write_str(
                "history of cold sores: consider antiviral prophylaxis (e.g. valaciclovir from the day before to the day after, as prescribed); record the drug and start date below",
            ),
        }
    }
}

fn state_text(f: &mut fmt::Formatter<'_>, state: CurrentState, within: Option<u32>) -> fmt::Result {
    let what = state.describe(within);
    let todo = match state {
        CurrentState::PregnantOrBreastfeeding => {
            "do not needle; book again after pregnancy and breastfeeding"
        }
        CurrentState::ActiveInfection => {
            "do not needle through it; treat it first and book again once healed, or leave that area out"
        }
        CurrentState::ActiveColdSore => {
            "do not needle; book again once it has healed, with antiviral prophylaxis"
        }
        CurrentState::SunburnOrTan => {
            "wait until the skin has settled, or needle gently away from it"
        }
        CurrentState::RecentProcedure => {
            "ask what and where; wait until the window has passed or avoid the treated spot"
        }
        CurrentState::ActivesWithinPause => {
            "wait until the pause is over, or needle gently and shallower"
        }
    };
    write!(f, "before needling: {what} — {todo}")
}

fn allergy_text(
    f: &mut fmt::Formatter<'_>,
    allergy: &str,
    source: AllergySource,
    product: &str,
    ingredient: &str,
) -> fmt::Result {
    write!(f, "allergy on file: {allergy} — ")?;
    if source == AllergySource::Needles {
        return f.write_str(
            "needles may contain it: confirm they are nickel-free (e.g. titanium or gold-plated) before needling, or do not needle today",
        );
    }
    let what = if name_key_eq(allergy, ingredient) {
        "it".to_string()
    } else {
        ingredient.to_string()
    };
    write!(
        f,
        "the {} '{product}' contains {what}: do not use it; choose a product without it or do not needle today",
        source.label()
    )
}

/// Whether two words are the same ignoring case and accents.
fn name_key_eq(a: &str, b: &str) -> bool {
    super::text::name_key(a) == super::text::name_key(b)
}

fn medication_text(
    f: &mut fmt::Formatter<'_>,
    class: MedicationClass,
    name: &str,
    pause_days: Option<u32>,
    window_months: Option<u32>,
) -> fmt::Result {
    let label = class.label();
    let label = if name_key_eq(name, label) {
        String::new()
    } else {
        format!(" ({label})")
    };
    write!(f, "medication on file: {name}{label} — ")?;
    match (class, pause_days, window_months) {
        (MedicationClass::Anticoagulant, ..) => f.write_str(
            "bleeding and bruising risk: consider the session with the prescriber; never stop it without them",
        ),
        (MedicationClass::Isotretinoin, _, Some(m)) => write!(
            f,
            "defer needling until {m} months after the last dose; record the date under screening"
        ),
        (_, Some(0), _) => f.write_str(
            "the practice sets no pause; ask when it was last used and check the skin before needling",
        ),
        (_, Some(d), _) => write!(
            f,
            "pause it {} before needling; ask when it was last used",
            days(i64::from(d))
        ),
        _ => f.write_str("check with the client before needling"),
    }
}
