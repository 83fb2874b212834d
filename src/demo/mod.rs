//! Realistic, deterministic demo data: the same seed and day give the same
//! clients, series, sessions, UUIDs and timestamps.
//!
//! The mix is what a busy clinic sees: every concern and zone, series of
//! 3–6 sessions 4–6 weeks apart, clients overdue, due now, upcoming and
//! complete, scores that improve with noise, an occasional adverse event
//! and screening flag. It is data a clinician would accept: each zone at
//! a depth usual for it and the concern, downtime that grows with depth,
//! no product the client is allergic to, no session while a pregnancy or
//! an active infection is on file, and each session recording the
//! warnings the session form would have shown (`tests/demo_clinical.rs`).

mod acknowledge;
mod client;
mod photo_demo;
mod photos;
mod session;
mod stream;
mod words;
pub use photo_demo::{
    DemoPhotos, Drawings, PHOTO_CLIENTS, add_photos, add_photos_into, draw_ahead,
};
pub use photos::{demo_image, demo_photo, demo_photo_views};
pub use stream::{Lent, with_clients};
pub use words::FEMALE_FIRST;

use crate::db::{ClientTree, SeriesTree};
use crate::domain::{
    Client, ClientDraft, Concern, Days, Followup, Rules, ScreeningKind, Series, SeriesDraft,
    SeriesStatus, Session, SessionDraft, ValidSeries,
};
use acknowledge::acknowledge;
use chrono::{DateTime, Days as ChronoDays, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use session::Skin;
use uuid::Uuid;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    pub clients: usize,
    pub seed: u64,
    /// The day the data is generated "for": due dates are relative to it.
    pub today: NaiveDate,
}

impl Gen {
    /// The next UUID, v7-shaped, with `t` (the record's creation time)
    /// no longer in it: the demo's UUIDs increase in the order the rows
    /// are written, one millisecond apart from midnight 1,500 days before
    /// `today`, so that each table's UNIQUE
    /// index on `uuid` grows at its end instead of taking every insert at
    /// a random page (at 100,000 clients that was most of the writer's
    /// time: BENCHMARKS.md, fourth round). Still made from the seed alone.
    fn uuid(&mut self) -> Uuid {
        let ms = utc(at(minus(self.today, 1500), 0, 0))
            .timestamp_millis()
            .max(0) as u64;
        self.minted += 1;
        let bytes: [u8; 10] = self.rng.random();
        uuid::Builder::from_unix_timestamp_millis(ms + self.minted, &bytes).into_uuid()
    }
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

fn days(halves: i64) -> Option<Days> {
    Days::from_halves("days", halves.clamp(0, 60)).ok()
}

struct Gen {
    rng: ChaCha8Rng,
    today: NaiveDate,
    /// The published thresholds (`Rules::default()`): depth hints and the
    /// isotretinoin window the demo's sessions respect.
    rules: Rules,
    /// UUIDs made so far (see [`Gen::uuid`]).
    minted: u64,
}

impl Gen {
    /// A finished series of 3–5 sessions that ended one to two and a half
    /// years ago.
    fn earlier_series(&mut self, skin: &Skin) -> (ValidSeries, Vec<SessionDraft>) {
        let c2 = *Concern::ALL
            .choose(&mut self.rng)
            .unwrap_or(&Concern::TextureTone);
        let p2 = self.rng.random_range(3..=5u8);
        let end = minus(self.today, self.rng.random_range(400..900));
        let b = self.baseline(c2);
        let floor = c2.default_scale().range().0.max(b.saturating_sub(3));
        let mut s = self.series(c2, end, p2, (28, 42), SeriesStatus::Closed, b);
        let sessions = self.sessions(&s, usize::from(p2), end, skin, floor);
        s.started_on = sessions.first().map_or(end, |x| x.performed_at.date());
        (s, sessions)
    }

    /// A series and its sessions as stored: UUIDs (v7, increasing: see
    /// [`Gen::uuid`]) and creation and change times.
    fn stored(&mut self, data: ValidSeries, sessions: Vec<SessionDraft>) -> SeriesTree {
        let s_created = utc(at(data.started_on, 8, 0));
        let uuid = self.uuid();
        let sessions = sessions
            .into_iter()
            .map(|data| {
                let t = utc(data.performed_at);
                let updated = data.followup.recorded_on.map_or(t, |d| utc(at(d, 12, 0)));
                Session {
                    id: 0,
                    uuid: self.uuid(),
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
        d.zones = session::zones_for(&mut self.rng, concern);
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
        skin: &Skin,
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
                self.session(s, date, n, skin, scored.then_some(score))
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
    clients(spec).collect()
}

/// The clients of [`generate`], one at a time: memory stays that of one
/// client however many there are.
pub fn clients(spec: DemoSpec) -> impl Iterator<Item = ClientTree> {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        minted: 0,
        today: spec.today,
        rules: Rules::default(),
    };
    (0..spec.clients).map(move |i| g.client_tree(i))
}

impl Gen {
    /// Client number `i`: their details, an earlier finished series for
    /// some, and the series under way with its sessions.
    fn client_tree(&mut self, i: usize) -> ClientTree {
        let Drafts {
            client: client_draft,
            mut series_list,
            created,
        } = self.drafts(i);
        acknowledge(&client_draft, &mut series_list, &self.rules);
        let archived = self
            .rng
            .random_bool(0.03)
            .then(|| utc(at(self.today, 7, 0)));
        let client_uuid = self.uuid();
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

    /// Client number `i` before the warnings are recorded: their file and
    /// their series with the sessions.
    fn drafts(&mut self, i: usize) -> Drafts {
        let intake = self.intake(i);
        let skin = &intake.skin;
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
            series_list.push(self.earlier_series(skin));
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
            self.sessions(&s, done, last, skin, floor)
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
        // Nor an event's course: one that has not begun yet is not
        // reported, and one not over by today is ongoing.
        for x in &mut sessions {
            if x.followup.recorded_on.is_some_and(|d| d > self.today) {
                x.followup.recorded_on = Some(self.today);
            }
            x.followup
                .adverse_events
                .retain(|e| e.onset.is_none_or(|d| d <= self.today));
            for e in &mut x.followup.adverse_events {
                if e.resolved_on.is_some_and(|d| d > self.today) {
                    e.resolved_on = None;
                }
            }
        }
        series_list.push((s, sessions));

        let mut client_draft = intake.draft;
        client_draft.concerns = series_list.iter().map(|(s, _)| s.concern).collect();
        client_draft.concerns.sort();
        client_draft.concerns.dedup();
        let first_day = series_list
            .iter()
            .map(|(s, _)| s.started_on)
            .min()
            .unwrap_or(self.today);
        let session_days: Vec<NaiveDate> = series_list
            .iter()
            .flat_map(|(_, x)| x.iter().map(|x| x.performed_at.date()))
            .collect();
        let first_session = session_days.iter().min().copied();
        let last_session = session_days.iter().max().copied();
        // Consent is signed before the first session; a few clients not
        // yet needled have not signed it.
        if first_session.is_some() || !self.rng.random_bool(0.1) {
            client_draft.consent_on = Some(first_day);
        }
        let intake_day = minus(first_day, self.rng.random_range(0..14));
        let created = utc(at(intake_day, 8, 30));
        if let Some(kind) = intake.screening {
            let item = self.screening_item(kind, intake_day, first_session, last_session);
            if kind == ScreeningKind::PregnancyBreastfeeding
                && let Some((active, done)) = series_list.last_mut()
                && done.len() < usize::from(active.planned_sessions)
            {
                active.notes = "Paused while the client is pregnant or breastfeeding.".into();
            }
            client_draft.screening.push(item);
        }
        Drafts {
            client: client_draft,
            series_list,
            created,
        }
    }
}

/// A client's file and series, their sessions' warnings not yet recorded.
struct Drafts {
    client: ClientDraft,
    series_list: Vec<(ValidSeries, Vec<SessionDraft>)>,
    created: DateTime<Utc>,
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
