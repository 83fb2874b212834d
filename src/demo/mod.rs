//! Realistic, deterministic demo data: the same seed and day give the same
//! clients, series, sessions, UUIDs and timestamps.
//!
//! The mix is what a busy clinic sees: every concern and zone, series of
//! 3–6 sessions 4–6 weeks apart, clients overdue, due now, upcoming and
//! complete, scores that improve with noise, downtime that shortens over a
//! series, an occasional adverse event and screening flag.

mod words;
pub use words::FEMALE_FIRST;

use crate::db::{ClientTree, SeriesTree};
use crate::domain::ValidSeries;
use crate::domain::{
    AdverseEvent, AdverseKind, Client, ClientDraft, Concern, Days, Depth, DurationMinutes, Edema,
    Erythema, Fitzpatrick, Followup, Gais, Glogau, NumbingMinutes, Pain, Passes, Satisfaction,
    ScreeningItem, ScreeningKind, Series, SeriesDraft, SeriesStatus, Session, SessionDraft, Zone,
    builtin_depth_hint,
};
use chrono::{DateTime, Days as ChronoDays, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;
use words::{CARTRIDGES, DEVICES, ENDPOINTS, FIRST, LAST, NOTES, NUMBING, SERUMS};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    pub clients: usize,
    pub seed: u64,
    /// The day the data is generated "for": due dates are relative to it.
    pub today: NaiveDate,
}

fn uuid_at(rng: &mut ChaCha8Rng, t: DateTime<Utc>) -> Uuid {
    let bytes: [u8; 10] = rng.random();
    uuid::Builder::from_unix_timestamp_millis(t.timestamp_millis().max(0) as u64, &bytes)
        .into_uuid()
}

fn at(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDateTime::new(
        date,
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN),
    )
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

fn minus(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_sub_days(ChronoDays::new(days.max(0) as u64))
        .unwrap_or(d)
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_days(ChronoDays::new(days.max(0) as u64))
        .unwrap_or(d)
}

fn zones_for(rng: &mut ChaCha8Rng, concern: Concern) -> Vec<Zone> {
    use Zone::*;
    let pool: &[Zone] = match concern {
        Concern::AcneScars => &[Cheeks, Chin, Forehead, Jawline],
        Concern::FineLines => &[Periorbital, Forehead, UpperLip],
        Concern::Wrinkles => &[Forehead, Periorbital, Neck, UpperLip],
        Concern::EnlargedPores => &[Nose, Cheeks, Chin],
        Concern::TextureTone => &[Cheeks, Forehead, Chin, Jawline],
        Concern::Hyperpigmentation => &[Cheeks, Forehead, UpperLip],
        Concern::StretchMarks => &[Abdomen, Thighs, Arms, Back],
        Concern::SunDamage => &[Cheeks, Forehead, Decolletage, Neck],
    };
    let n = rng.random_range(1..=pool.len().min(3));
    let mut zones: Vec<Zone> = pool.choose_multiple(rng, n).copied().collect();
    zones.sort();
    zones
}

/// A depth inside the hint for the first zone, sometimes a little outside.
fn depth_for(rng: &mut ChaCha8Rng, zones: &[Zone], concern: Concern, session_no: usize) -> Depth {
    let zone = zones.first().copied().unwrap_or(Zone::Cheeks);
    let hint = builtin_depth_hint(zone, Some(concern));
    let (lo, hi) = (
        i64::from(hint.min.hundredths()),
        i64::from(hint.max.hundredths()),
    );
    // Start conservative and go deeper over the series, in 0.05 mm steps.
    let span = hi - lo;
    let base = lo + span * (session_no.min(4) as i64) / 5;
    let mut h = (base + rng.random_range(0..=span / 3)) / 5 * 5;
    if rng.random_bool(0.04) {
        h += 25;
    }
    Depth::from_hundredths("depth", h.clamp(10, 300)).unwrap_or(hint.max)
}

fn days(halves: i64) -> Option<Days> {
    Days::from_halves("days", halves.clamp(0, 60)).ok()
}

struct Gen {
    rng: ChaCha8Rng,
    today: NaiveDate,
}

impl Gen {
    /// A finished series of 3–5 sessions that ended one to two and a half
    /// years ago.
    fn earlier_series(&mut self, fitz: Option<Fitzpatrick>) -> (ValidSeries, Vec<SessionDraft>) {
        let c2 = *Concern::ALL
            .choose(&mut self.rng)
            .unwrap_or(&Concern::TextureTone);
        let p2 = self.rng.random_range(3..=5u8);
        let end = minus(self.today, self.rng.random_range(400..900));
        let b = self.baseline(c2);
        let floor = c2.default_scale().range().0.max(b.saturating_sub(3));
        let mut s = self.series(c2, end, p2, (28, 42), SeriesStatus::Closed, b);
        let sessions = self.sessions(&s, usize::from(p2), end, fitz, floor);
        s.started_on = sessions.first().map_or(end, |x| x.performed_at.date());
        (s, sessions)
    }

    /// A series and its sessions as stored: UUIDs (v7, at their creation
    /// times) and creation and change times.
    fn stored(&mut self, data: ValidSeries, sessions: Vec<SessionDraft>) -> SeriesTree {
        let s_created = utc(at(data.started_on, 8, 0));
        let uuid = uuid_at(&mut self.rng, s_created);
        let sessions = sessions
            .into_iter()
            .map(|data| {
                let t = utc(data.performed_at);
                let updated = data.followup.recorded_on.map_or(t, |d| utc(at(d, 12, 0)));
                Session {
                    id: 0,
                    uuid: uuid_at(&mut self.rng, t),
                    series_id: 0,
                    data,
                    created_at: t,
                    updated_at: updated,
                }
            })
            .collect();
        SeriesTree {
            series: Series {
                id: 0,
                uuid,
                client_id: 0,
                data,
                created_at: s_created,
                updated_at: s_created,
            },
            sessions,
        }
    }

    fn client_draft(&mut self, i: usize) -> ClientDraft {
        let rng = &mut self.rng;
        let first = FIRST.choose(rng).copied().unwrap_or("Ana");
        let last = LAST.choose(rng).copied().unwrap_or("Souza");
        let mut c = ClientDraft::named(&format!("{first} {last}"));
        let year = rng.random_range(1962..=2004);
        c.date_of_birth =
            NaiveDate::from_ymd_opt(year, rng.random_range(1..=12), rng.random_range(1..=28));
        c.phone = format!(
            "+44 7{:03} {:06}",
            rng.random_range(100..1000),
            (i * 7919 + 12345) % 1_000_000
        );
        c.email = if rng.random_bool(0.8) {
            format!("client{i}@example.org")
        } else {
            String::new()
        };
        let fitz = *[1, 2, 2, 3, 3, 3, 4, 4, 5, 6].choose(rng).unwrap_or(&3);
        c.fitzpatrick = Fitzpatrick::from_number(fitz).ok();
        c.glogau = if rng.random_bool(0.6) {
            Glogau::from_number(rng.random_range(1..=4)).ok()
        } else {
            None
        };
        if rng.random_bool(0.12) {
            let kind = *[
                ScreeningKind::Isotretinoin,
                ScreeningKind::ColdSores,
                ScreeningKind::KeloidHistory,
                ScreeningKind::Anticoagulants,
                ScreeningKind::PregnancyBreastfeeding,
                ScreeningKind::EczemaPsoriasis,
                ScreeningKind::DiabetesAutoimmune,
                ScreeningKind::ActiveInfection,
            ]
            .choose(rng)
            .unwrap_or(&ScreeningKind::ColdSores);
            let date = match kind {
                ScreeningKind::Isotretinoin => Some(minus(self.today, rng.random_range(30..400))),
                _ => Some(minus(self.today, rng.random_range(30..900))),
            };
            let note = match kind {
                ScreeningKind::ColdSores => "antiviral cover discussed",
                ScreeningKind::Anticoagulants => "low-dose aspirin",
                _ => "",
            };
            c.screening.push(ScreeningItem {
                kind,
                date,
                note: note.into(),
            });
        }
        if rng.random_bool(0.15) {
            c.allergies = ["latex", "lidocaine (mild)", "nuts", "penicillin"]
                .choose(rng)
                .copied()
                .unwrap_or("")
                .into();
        }
        if rng.random_bool(0.1) {
            c.medications = ["levothyroxine", "oral contraceptive", "spironolactone"]
                .choose(rng)
                .copied()
                .unwrap_or("")
                .into();
        }
        c
    }

    /// Picks how far the active series has come so the list shows every state.
    fn plan_active(&mut self, planned: u8, interval: (u8, u8)) -> (usize, i64) {
        let rng = &mut self.rng;
        let (min, max) = (i64::from(interval.0), i64::from(interval.1));
        let roll: f64 = rng.random();
        let upto = |rng: &mut ChaCha8Rng| rng.random_range(1..usize::from(planned).max(2));
        if roll < 0.05 {
            (0, 0) // not started
        } else if roll < 0.20 {
            (upto(rng), rng.random_range(max + 1..=max + 70)) // overdue
        } else if roll < 0.45 {
            (upto(rng), rng.random_range(min..=max)) // due now
        } else if roll < 0.80 {
            (upto(rng), rng.random_range(3..min)) // upcoming
        } else {
            (usize::from(planned), rng.random_range(5..300)) // complete
        }
    }

    fn session(
        &mut self,
        series: &ValidSeries,
        date: NaiveDate,
        n: usize,
        fitz: Option<Fitzpatrick>,
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
        s.device = DEVICES.choose(rng).copied().unwrap_or_default().into();
        s.cartridge = if s.device == "Dermaroller" {
            String::new()
        } else {
            CARTRIDGES.choose(rng).copied().unwrap_or_default().into()
        };
        s.depth_mm = Some(depth_for(rng, zones, concern, n));
        if zones.contains(&Zone::Periorbital) && zones.len() > 1 {
            s.zone_depths.insert(
                Zone::Periorbital,
                Depth::from_hundredths("depth", 25)
                    .unwrap_or(builtin_depth_hint(Zone::Periorbital, None).min),
            );
        }
        s.passes = Passes::new(rng.random_range(2..=4)).ok();
        s.serum = SERUMS.choose(rng).copied().unwrap_or_default().into();
        s.numbing = NUMBING.choose(rng).copied().unwrap_or_default().into();
        s.numbing_minutes =
            NumbingMinutes::new(*[20, 25, 30, 30, 45].choose(rng).unwrap_or(&30)).ok();
        s.duration_minutes = DurationMinutes::new(if zones.iter().any(|z| z.is_body()) {
            rng.random_range(45..=70)
        } else {
            rng.random_range(30..=55)
        })
        .ok();
        s.endpoint = ENDPOINTS.choose(rng).copied().unwrap_or_default().into();
        s.cartridge_lot = format!("C{}-{:03}", date.format("%y%m"), rng.random_range(1..400));
        s.serum_lot = format!("S{}{:02}", date.format("%y"), rng.random_range(1..60));
        s.erythema = Erythema::new(rng.random_range(1..=3)).ok();
        s.edema = Edema::new(rng.random_range(0..=2)).ok();
        s.pain = Pain::new(rng.random_range(2..=6)).ok();
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
        s.notes = NOTES.choose(rng).copied().unwrap_or_default().into();
        s.followup = self.followup(date, n, fitz);
        s
    }

    /// The follow-up reported after session `n` of a series on `date`:
    /// downtime shortens as the skin adapts; now and then an adverse event.
    fn followup(&mut self, date: NaiveDate, n: usize, fitz: Option<Fitzpatrick>) -> Followup {
        let rng = &mut self.rng;
        let shrink = n as i64;
        let mut f = Followup {
            recorded_on: Some(plus(date, rng.random_range(3..10))),
            redness_days: days(rng.random_range(2..=6) - shrink),
            swelling_days: days(rng.random_range(1..=4) - shrink),
            peeling_days: days(rng.random_range(2..=10) - shrink),
            adverse_events: Vec::new(),
            notes: String::new(),
        };
        if rng.random_bool(0.02) {
            f.redness_days = days(rng.random_range(16..=20));
            f.adverse_events.push(AdverseEvent {
                kind: AdverseKind::ProlongedErythema,
                note: String::new(),
            });
        }
        if rng.random_bool(0.015) {
            let kind = if fitz.is_some_and(|f| f.pih_risk()) {
                AdverseKind::Pih
            } else {
                AdverseKind::AcneFlare
            };
            f.adverse_events.push(AdverseEvent {
                kind,
                note: "resolved with conservative care".into(),
            });
        }
        f
    }

    fn series(
        &mut self,
        concern: Concern,
        started: NaiveDate,
        planned: u8,
        interval: (u8, u8),
        status: SeriesStatus,
        baseline: u8,
    ) -> ValidSeries {
        let mut d = SeriesDraft::new(concern, started);
        d.zones = zones_for(&mut self.rng, concern);
        d.planned_sessions = i64::from(planned);
        d.interval_min_days = i64::from(interval.0);
        d.interval_max_days = i64::from(interval.1);
        d.baseline_score = Some(i64::from(baseline));
        d.status = status;
        // Every value above is drawn from the allowed ranges.
        d.validate().unwrap_or_else(|_| {
            SeriesDraft::new(concern, started)
                .validate()
                .expect("defaults are valid")
        })
    }

    fn baseline(&mut self, concern: Concern) -> u8 {
        let (lo, hi) = concern.default_scale().range();
        let rng = &mut self.rng;
        match concern.default_scale() {
            crate::domain::OutcomeScale::Severity => rng.random_range(5..=8),
            _ => rng.random_range((lo + hi).div_ceil(2)..=hi),
        }
    }

    /// Sessions dated backwards from `last`, with a score falling from the baseline.
    fn sessions(
        &mut self,
        s: &ValidSeries,
        count: usize,
        last: NaiveDate,
        fitz: Option<Fitzpatrick>,
        score_floor: u8,
    ) -> Vec<SessionDraft> {
        let mut dates = vec![last];
        for _ in 1..count {
            let prev = *dates.last().unwrap_or(&last);
            let gap = if self.rng.random_bool(0.05) {
                i64::from(s.interval_min_days) - self.rng.random_range(3..8) // booked too soon
            } else {
                self.rng.random_range(
                    i64::from(s.interval_min_days)..=i64::from(s.interval_max_days) + 4,
                )
            };
            dates.push(minus(prev, gap));
        }
        dates.reverse();
        let baseline = s.baseline_score.unwrap_or(score_floor);
        let total = usize::from(s.planned_sessions);
        dates
            .into_iter()
            .enumerate()
            .map(|(n, date)| {
                let drop =
                    (n as f64 + 1.0) * f64::from(baseline - score_floor) / (total as f64 + 1.0);
                let noise = self.rng.random_range(-0.7..0.7);
                let score = (f64::from(baseline) - drop + noise)
                    .round()
                    .clamp(f64::from(score_floor), f64::from(baseline))
                    as u8;
                let scored = self.rng.random_bool(0.9);
                self.session(s, date, n, fitz, scored.then_some(score))
            })
            .collect()
    }
}

/// The instant recorded as "generated at" in the audit log for demo data.
pub fn generated_at(today: NaiveDate) -> DateTime<Utc> {
    utc(at(today, 7, 0))
}

/// Generates `spec.clients` clients with their series and sessions.
pub fn generate(spec: DemoSpec) -> Vec<ClientTree> {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        today: spec.today,
    };
    (0..spec.clients).map(|i| g.client_tree(i)).collect()
}

impl Gen {
    /// Client number `i`: their details, an earlier finished series for
    /// some, and the series under way with its sessions.
    fn client_tree(&mut self, i: usize) -> ClientTree {
        let draft = self.client_draft(i);
        let fitz = draft.fitzpatrick;
        let concern = *Concern::ALL
            .choose(&mut self.rng)
            .unwrap_or(&Concern::AcneScars);
        let planned = self.rng.random_range(3..=6u8);
        let interval = *[(28u8, 42u8), (28, 42), (28, 42), (30, 45), (21, 35)]
            .choose(&mut self.rng)
            .unwrap_or(&(28, 42));
        let (done, since_last) = self.plan_active(planned, interval);
        let last = minus(self.today, since_last);
        let mut series_list: Vec<(ValidSeries, Vec<SessionDraft>)> = Vec::new();

        // An earlier, finished series for some clients.
        if self.rng.random_bool(0.2) {
            series_list.push(self.earlier_series(fitz));
        }

        let b = self.baseline(concern);
        let floor = concern.default_scale().range().0.max(b.saturating_sub(3));
        let started = if done == 0 {
            minus(self.today, self.rng.random_range(0..20))
        } else {
            last
        };
        let mut s = self.series(concern, started, planned, interval, SeriesStatus::Active, b);
        let mut sessions = if done == 0 {
            Vec::new()
        } else {
            self.sessions(&s, done, last, fitz, floor)
        };
        if let Some(first) = sessions.first() {
            s.started_on = first.performed_at.date();
        }
        // The latest visit's follow-up is often still to come.
        if let Some(latest) = sessions.last_mut()
            && since_last < 14
        {
            latest.followup = Followup::default();
        }
        // The follow-up cannot be dated after today.
        for x in &mut sessions {
            if x.followup.recorded_on.is_some_and(|d| d > self.today) {
                x.followup.recorded_on = Some(self.today);
            }
        }
        series_list.push((s, sessions));

        let mut client_draft = draft;
        client_draft.concerns = series_list.iter().map(|(s, _)| s.concern).collect();
        client_draft.concerns.sort();
        client_draft.concerns.dedup();
        let first_day = series_list
            .iter()
            .map(|(s, _)| s.started_on)
            .min()
            .unwrap_or(self.today);
        if !self.rng.random_bool(0.03) {
            client_draft.consent_on = Some(first_day);
        }
        let created = utc(at(minus(first_day, self.rng.random_range(0..14)), 8, 30));
        let archived = self
            .rng
            .random_bool(0.03)
            .then(|| utc(at(self.today, 7, 0)));
        let client_uuid = uuid_at(&mut self.rng, created);
        let series = series_list
            .into_iter()
            .map(|(data, sessions)| self.stored(data, sessions))
            .collect();
        ClientTree {
            client: Client {
                id: 0,
                uuid: client_uuid,
                data: client_draft,
                archived_at: archived,
                created_at: created,
                updated_at: created,
            },
            series,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(seed: u64) -> DemoSpec {
        DemoSpec {
            clients: 300,
            seed,
            today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        }
    }

    #[test]
    fn same_seed_same_data() {
        assert_eq!(generate(spec(7)), generate(spec(7)));
        assert_ne!(generate(spec(7)), generate(spec(8)));
    }

    #[test]
    fn every_record_is_valid() {
        let today = spec(1).today;
        let now = at(today, 23, 59);
        for t in generate(spec(1)) {
            t.client.data.validate(today).unwrap();
            for s in &t.series {
                let draft = SeriesDraft::from(&s.series.data);
                assert_eq!(draft.validate().unwrap(), s.series.data);
                for x in &s.sessions {
                    x.data.validate(s.series.data.outcome_scale, now).unwrap();
                }
            }
        }
    }
}
