//! One demo session's parameters, as a clinician would set them: the zones
//! of a series, the depth on each zone for the series' concern, the device
//! and what goes on the skin (nothing the client is allergic to), and the
//! follow-up, whose downtime follows the depth.

use super::words::{
    BLT, CARTRIDGES_DEEP, CARTRIDGES_FINE, DERMAROLLER, DEVICES, ENDPOINTS, NOTES, NUMBING, SERUMS,
};
use super::{Gen, at, days, plus};
use crate::domain::{
    AdverseEvent, AdverseKind, AllergySource, Concern, CurrentState, Depth, DurationMinutes, Edema,
    Erythema, Fitzpatrick, Followup, Gais, NumbingMinutes, Pain, Passes, PreCheck, Rules,
    Satisfaction, SessionDraft, Severity, ValidSeries, Warning, Zone, allergy_warnings,
};
use chrono::NaiveDate;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// What the generator knows of the client when it sets up a session.
pub(super) struct Skin {
    pub fitz: Option<Fitzpatrick>,
    /// How strongly this client's skin reacts: the usual downtime times
    /// this, in percent. One value per client, so a deeper session never
    /// heals faster than a shallower one of the same client.
    pub reactivity: u32,
    pub allergies: String,
}

/// The zones a concern is treated on, the main one first.
fn pool(concern: Concern) -> &'static [Zone] {
    use Zone::*;
    match concern {
        Concern::AcneScars => &[Cheeks, Chin, Jawline, Forehead],
        Concern::FineLines => &[Periorbital, Forehead, UpperLip],
        Concern::Wrinkles => &[Forehead, Periorbital, Neck, UpperLip],
        Concern::EnlargedPores => &[Nose, Cheeks, Chin],
        Concern::TextureTone => &[Cheeks, Forehead, Chin, Jawline],
        Concern::Hyperpigmentation => &[Cheeks, Forehead, UpperLip],
        Concern::StretchMarks => &[Abdomen, Thighs, Arms, Back],
        Concern::SunDamage => &[Cheeks, Forehead, Decolletage, Neck],
    }
}

/// One to three zones for a series: the concern's main zone and others
/// (stretch marks: any body zones).
pub(super) fn zones_for(rng: &mut ChaCha8Rng, concern: Concern) -> Vec<Zone> {
    let pool = pool(concern);
    let n = rng.random_range(1..=pool.len().min(3));
    let mut zones: Vec<Zone> = if concern == Concern::StretchMarks {
        pool.choose_multiple(rng, n).copied().collect()
    } else {
        let mut z = vec![pool[0]];
        z.extend(pool[1..].choose_multiple(rng, n - 1).copied());
        z
    };
    zones.sort();
    zones
}

/// The series' main zone: the first of the concern's zones it treats.
fn main_zone(concern: Concern, zones: &[Zone]) -> Zone {
    pool(concern)
        .iter()
        .copied()
        .find(|z| zones.contains(z))
        .or_else(|| zones.first().copied())
        .unwrap_or(Zone::Cheeks)
}

/// The depths, in hundredths of a mm, a clinician uses on `zone` for
/// `concern`: the zone's hint, narrowed for acne scars on the face to
/// 1.0–1.5 mm (the hint allows 0.5–2.0).
fn usual(rules: &Rules, zone: Zone, concern: Concern) -> (u16, u16) {
    let hint = rules.depth_hint(zone, Some(concern));
    let (lo, hi) = (hint.min.hundredths(), hint.max.hundredths());
    match zone {
        Zone::Cheeks | Zone::Chin | Zone::Jawline if concern == Concern::AcneScars => {
            (100.clamp(lo, hi), 150.clamp(lo, hi))
        }
        _ => (lo, hi),
    }
}

/// Where in the usual range a session sits, in thousandths: from the
/// start of the range at the first session towards its end at the last,
/// plus the day's variation `r` (0–1).
fn position(n: usize, total: usize, r: f64) -> u32 {
    let progress = n.min(total.saturating_sub(1)) as f64 / total.saturating_sub(1).max(1) as f64;
    ((0.75 * progress + 0.25 * r) * 1000.0) as u32
}

/// A depth at `pos` thousandths of the range, in 0.05 mm steps.
fn at_position((lo, hi): (u16, u16), pos: u32) -> u16 {
    let h = u32::from(lo) + u32::from(hi - lo) * pos.min(1000) / 1000;
    ((h / 5 * 5) as u16).clamp(lo, hi)
}

fn depth(h: u16) -> Option<Depth> {
    Depth::from_hundredths("depth", i64::from(h)).ok()
}

/// The session's depth (that of the series' main zone) and each other
/// zone treated at another depth: one outside the main zone's usual range.
/// Now and then (`deeper`) the main zone goes a step or two past its hint,
/// which the form warns about.
fn depths(
    rules: &Rules,
    concern: Concern,
    zones: &[Zone],
    pos: u32,
    deeper: Option<u16>,
) -> (Option<Depth>, Vec<(Zone, Depth)>) {
    let main = main_zone(concern, zones);
    let range = usual(rules, main, concern);
    let mut main_h = at_position(range, pos);
    // Past the hint only where the usual range reaches it (not acne scars
    // on the face, kept to 1.0–1.5 mm).
    let hint_max = rules.depth_hint(main, Some(concern)).max.hundredths();
    if let Some(step) = deeper
        && range.1 == hint_max
    {
        main_h = hint_max + step;
    }
    let others = zones
        .iter()
        .filter(|z| **z != main)
        .filter_map(|&z| {
            let r = usual(rules, z, concern);
            if (r.0..=r.1).contains(&main_h) {
                return None;
            }
            Some((z, depth(at_position(r, pos))?))
        })
        .collect();
    (depth(main_h), others)
}

/// A product of `products` the client is not allergic to, drawn at
/// random; none when they are allergic to every one.
fn tolerated<'a>(
    rng: &mut ChaCha8Rng,
    products: &[&'a str],
    allergies: &str,
    source: AllergySource,
) -> &'a str {
    if allergies.trim().is_empty() {
        return products.choose(rng).copied().unwrap_or("");
    }
    let safe: Vec<&str> = products
        .iter()
        .copied()
        .filter(|p| {
            let (numbing, serum) = match source {
                AllergySource::Numbing => (*p, ""),
                _ => ("", *p),
            };
            !allergy_warnings(allergies, numbing, serum)
                .iter()
                .any(|w| matches!(w, Warning::Allergy { source: s, .. } if *s == source))
        })
        .collect();
    safe.choose(rng).copied().unwrap_or("")
}

impl Gen {
    /// Session `n` (from 0) of `series` on `date`, with its outcome `score`.
    pub(super) fn session(
        &mut self,
        series: &ValidSeries,
        date: NaiveDate,
        n: usize,
        skin: &Skin,
        score: Option<u8>,
    ) -> SessionDraft {
        let (concern, zones) = (series.concern, series.zones.as_slice());
        let total = usize::from(series.planned_sessions);
        let rng = &mut self.rng;
        let mut s = SessionDraft::at(at(
            date,
            rng.random_range(9..18),
            *[0, 15, 30, 45].choose(rng).unwrap_or(&0),
        ));
        s.zones = zones.to_vec();
        let pos = position(n, total, rng.random());
        let deeper = rng
            .random_bool(0.02)
            .then(|| *[5, 10].choose(rng).unwrap_or(&5));
        let (main, others) = depths(&self.rules, concern, zones, pos, deeper);
        s.depth_mm = main;
        s.zone_depths = others.into_iter().collect();
        let deepest = zones
            .iter()
            .filter_map(|z| s.depth_for(*z))
            .map(Depth::hundredths)
            .max()
            .unwrap_or(50);
        s.device = DEVICES.choose(rng).copied().unwrap_or_default().into();
        if s.device != DERMAROLLER {
            let cartridges = if deepest <= 50 {
                CARTRIDGES_FINE
            } else {
                CARTRIDGES_DEEP
            };
            s.cartridge = cartridges.choose(rng).copied().unwrap_or_default().into();
            s.cartridge_lot = format!("C{}-{:03}", date.format("%y%m"), rng.random_range(1..400));
        }
        s.passes = Passes::new(rng.random_range(2..=4)).ok();
        s.serum = tolerated(rng, SERUMS, &skin.allergies, AllergySource::Serum).into();
        if !s.serum.is_empty() {
            s.serum_lot = format!("S{}{:02}", date.format("%y"), rng.random_range(1..60));
        }
        // Superficial work often goes without numbing; compounded BLT is
        // kept off large body areas.
        let body = zones.iter().any(|z| z.is_body());
        if !(deepest <= 50 && rng.random_bool(0.3)) {
            let products: Vec<&str> = NUMBING
                .iter()
                .copied()
                .filter(|p| !(body && *p == BLT))
                .collect();
            s.numbing = tolerated(rng, &products, &skin.allergies, AllergySource::Numbing).into();
        }
        if !s.numbing.is_empty() {
            s.numbing_minutes =
                NumbingMinutes::new(*[20, 25, 30, 30, 45].choose(rng).unwrap_or(&30)).ok();
        }
        s.duration_minutes = DurationMinutes::new(if body {
            rng.random_range(45..=70)
        } else {
            rng.random_range(30..=55)
        })
        .ok();
        // Pinpoint bleeding is the endpoint of deeper work only.
        let endpoints = match deepest {
            0..=50 => &ENDPOINTS[..1],
            51..=100 => ENDPOINTS,
            _ => &ENDPOINTS[1..],
        };
        s.endpoint = endpoints.choose(rng).copied().unwrap_or_default().into();
        let deep = i64::from(deepest > 100);
        s.erythema = Erythema::new(rng.random_range(1..=2) + deep).ok();
        s.edema = Edema::new(rng.random_range(0..=1) + deep).ok();
        s.pain = Pain::new(rng.random_range(2..=4) + 2 * deep).ok();
        s.outcome_score = score;
        let progress = n as f64 / total.max(1) as f64;
        let gais = |rng: &mut ChaCha8Rng| {
            let base = 4.0 - 2.2 * progress + rng.random_range(-0.6..0.6);
            Gais::new("GAIS", base.round().clamp(1.0, 5.0) as i64).ok()
        };
        if n > 0 {
            s.gais_clinician = gais(rng);
            s.gais_client = gais(rng);
        }
        s.satisfaction = Satisfaction::new(
            (6.0 + 3.5 * progress + rng.random_range(-1.0..1.0))
                .round()
                .clamp(0.0, 10.0) as i64,
        )
        .ok();
        // A note about the numbing only where numbing was used.
        let notes: Vec<&str> = NOTES
            .iter()
            .copied()
            .filter(|n| !(s.numbing.is_empty() && n.contains("numbing")))
            .collect();
        s.notes = notes.choose(rng).copied().unwrap_or_default().into();
        s.followup = self.followup(date, deepest, skin);
        s.pre_check = self.pre_check();
        s
    }

    /// The day's pre-treatment check: nearly always confirmed, now and then
    /// with a caution found (a tan, a recent peel), now and then left
    /// unconfirmed. Never a state that stops a session: the demo's clients
    /// are not needled while pregnant or with an active infection.
    fn pre_check(&mut self) -> Option<PreCheck> {
        let roll = self.rng.random_range(0..100);
        let present = match roll {
            0..=2 => return None,
            3..=4 => vec![CurrentState::SunburnOrTan],
            5 => vec![CurrentState::RecentProcedure],
            _ => Vec::new(),
        };
        Some(PreCheck::new(present, &self.rules))
    }

    /// The follow-up after a session on `date` whose deepest needle went
    /// `deepest` hundredths of a mm: redness, swelling and peeling grow
    /// with the depth and the client's reactivity; now and then an adverse
    /// event.
    fn followup(&mut self, date: NaiveDate, deepest: u16, skin: &Skin) -> Followup {
        let rng = &mut self.rng;
        let h = u32::from(deepest);
        // In half-days: 0.25 mm about 1.5 days of redness, 1.0 mm 3, 2.5 mm 6.
        let scaled = |base: u32| days(i64::from(base * skin.reactivity / 100));
        let peeling = scaled(2 + h / 20);
        let settled = (i64::from(peeling.map_or(0, |d| d.halves())) + 1) / 2;
        let mut f = Followup {
            recorded_on: Some(plus(date, settled.max(3) + rng.random_range(0..=4))),
            redness_days: scaled(2 + h / 25),
            swelling_days: scaled(h / 40),
            peeling_days: peeling,
            adverse_events: Vec::new(),
            notes: String::new(),
        };
        if rng.random_bool(0.02) {
            let halves = rng.random_range(16..=20);
            f.redness_days = days(halves);
            f.adverse_events.push(AdverseEvent {
                severity: Some(Severity::Mild),
                onset: Some(date),
                resolved_on: Some(plus(date, (halves + 1) / 2)),
                action: "soothing care and strict sun protection".into(),
                ..AdverseEvent::new(AdverseKind::ProlongedErythema)
            });
        }
        if rng.random_bool(0.015) {
            let (kind, lasts, action) = if skin.fitz.is_some_and(|f| f.pih_risk()) {
                (
                    AdverseKind::Pih,
                    rng.random_range(21..=42),
                    "sun protection; tyrosinase inhibitor per protocol",
                )
            } else {
                (
                    AdverseKind::AcneFlare,
                    rng.random_range(5..=10),
                    "gentle cleansing; no occlusive products",
                )
            };
            let onset = plus(date, rng.random_range(1..=3));
            f.adverse_events.push(AdverseEvent {
                severity: Some(if rng.random_bool(0.8) {
                    Severity::Mild
                } else {
                    Severity::Moderate
                }),
                onset: Some(onset),
                resolved_on: Some(plus(onset, lasts)),
                action: action.into(),
                ..AdverseEvent::new(kind)
            });
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mm(h: u16) -> Depth {
        depth(h).unwrap()
    }

    #[test]
    fn acne_scars_go_from_one_to_one_and_a_half_mm_on_the_face() {
        let r = Rules::default();
        let zones = [Zone::Forehead, Zone::Cheeks, Zone::Chin];
        let (main, others) = depths(&r, Concern::AcneScars, &zones, 0, None);
        assert_eq!(main, Some(mm(100)), "the cheeks, whatever the order");
        // The chin shares the cheeks' depth; the forehead has its own.
        assert_eq!(others, [(Zone::Forehead, mm(25))]);
        let (main, others) = depths(&r, Concern::AcneScars, &zones, 1000, None);
        assert_eq!(
            (main, others),
            (Some(mm(150)), vec![(Zone::Forehead, mm(50))])
        );
    }

    #[test]
    fn past_the_hint_only_where_the_usual_range_reaches_it() {
        let r = Rules::default();
        let body = [Zone::Abdomen];
        let (main, _) = depths(&r, Concern::StretchMarks, &body, 500, Some(10));
        assert_eq!(main, Some(mm(260)));
        let (main, _) = depths(&r, Concern::AcneScars, &[Zone::Cheeks], 1000, Some(10));
        assert_eq!(main, Some(mm(150)));
    }

    #[test]
    fn the_depth_rises_over_the_series() {
        assert_eq!(position(0, 4, 0.0), 0);
        assert_eq!(position(3, 4, 0.0), 750);
        assert_eq!(position(3, 4, 1.0), 1000);
        assert_eq!(position(0, 1, 0.5), 125);
        assert_eq!(at_position((20, 30), 1000), 30);
        assert_eq!(at_position((20, 30), 600), 25);
    }
}
