//! The checks that read what is on file besides allergies and medications —
//! PIH risk, a minor's guardian consent, the serum caution list, consent
//! renewal and a consent older than the treated area — shown above the
//! session form as it is filled in, recorded by code when the session is
//! saved, and following the practice's settings.

mod support;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use needlelog::app::State;
use needlelog::app::run::start;
use needlelog::db::{Clock, Store};
use needlelog::domain::{
    Acknowledged, ClientDraft, Concern, Fitzpatrick, Followup, PihReason, SeriesDraft,
    SessionDraft, Warning, Zone,
};
use support::app::{App, now};
use support::{date, today};

/// A series to open for the client: its concern, zones, start, and the
/// sessions it already holds (each with its follow-up).
struct Plan {
    concern: Concern,
    zones: Vec<Zone>,
    started: NaiveDate,
    sessions: Vec<(NaiveDate, Followup)>,
}

fn plan(concern: Concern, zones: &[Zone], days_ago: i64) -> Plan {
    Plan {
        concern,
        zones: zones.to_vec(),
        started: today() - Duration::days(days_ago),
        sessions: Vec::new(),
    }
}

/// The client `c` with `plans` (the newest active one is the current),
/// under the settings `toml`, their session form open.
fn session_form(toml: &str, c: &ClientDraft, plans: &[Plan]) -> App {
    let (settings, _) = needlelog::config::parse(toml, "test.toml").expect("valid settings");
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("test.db")).unwrap();
    store.set_clock(Clock::Fixed(Utc.from_utc_datetime(&now())));
    let client = store.create_client(c, None).unwrap();
    for p in plans {
        let mut s = SeriesDraft::new(p.concern, p.started);
        s.zones.clone_from(&p.zones);
        let series = store.create_series(client.id, &s).unwrap();
        for (day, followup) in &p.sessions {
            let x = store
                .create_session(
                    series.id,
                    &SessionDraft::at(day.and_hms_opt(9, 0, 0).unwrap()),
                )
                .unwrap();
            if *followup != Followup::default() {
                store.set_followup(x.id, followup).unwrap();
            }
        }
    }
    let mut state =
        State::new(now(), (140, 45), "test.db", false).with_settings(settings, "test.toml".into());
    state.color = false;
    start(&mut state, &mut store);
    let mut app = App { state, store, dir };
    app.select(&c.name);
    app.keys("n");
    assert!(app.open_form().form.title.starts_with("New session"));
    app
}

fn consented(name: &str) -> ClientDraft {
    let mut c = ClientDraft::named(name);
    c.consent_on = Some(today() - Duration::days(100));
    c
}

/// Clears field `key` and types `text` into it, as a user would.
fn retype(app: &mut App, key: &str, text: &str) {
    app.focus_field(key);
    app.keys("<C-u>");
    app.type_text(text);
}

fn shows(app: &App, start: &str) -> bool {
    app.warnings_shown().iter().any(|w| w.starts_with(start))
}

/// The warnings the client's latest saved session recorded.
fn recorded(app: &App, name: &str) -> Vec<Acknowledged> {
    let c = app.store.find_client(name).unwrap();
    let series = app.store.series_of(c.id).unwrap().pop().unwrap().id;
    let latest = app.store.sessions_of(series).unwrap().pop().unwrap();
    latest.data.acknowledged_warnings
}

#[test]
fn darker_skin_needled_above_the_usual_depth_raises_the_pih_caution() {
    let mut c = consented("Ama Mensah");
    c.fitzpatrick = Some(Fitzpatrick::V);
    let plans = [plan(Concern::FineLines, &[Zone::Forehead], 30)];
    let mut app = session_form("", &c, &plans);
    assert!(!shows(&app, "PIH risk"), "{:?}", app.warnings_shown());
    // The forehead's usual depth is 0.25–0.5 mm.
    retype(&mut app, "depth", "0.5");
    assert!(
        !shows(&app, "PIH risk"),
        "at the maximum: {:?}",
        app.warnings_shown()
    );
    retype(&mut app, "depth", "0.6");
    assert!(
        shows(
            &app,
            "PIH risk: Fitzpatrick V needled deeper than usual on forehead — do a test patch first"
        ),
        "{:?}",
        app.warnings_shown()
    );
    assert!(app.screen().contains("PIH risk"), "{}", app.screen());
    app.keys("<C-s>");
    assert!(
        recorded(&app, "Ama Mensah").contains(&Acknowledged::Coded(Warning::PihRisk {
            reasons: vec![PihReason::DeepOnDarkerSkin {
                fitzpatrick: Fitzpatrick::V,
                zones: vec![Zone::Forehead]
            }]
        }))
    );
}

#[test]
fn pih_after_an_earlier_session_is_a_reason_on_any_skin() {
    let c = consented("Pia Patch");
    let before = today() - Duration::days(40);
    let followup = Followup {
        adverse_events: vec![serde_json::from_str(r#"{"kind": "pih"}"#).unwrap()],
        ..Followup::default()
    };
    let mut p = plan(Concern::FineLines, &[Zone::Forehead], 60);
    p.sessions.push((before, followup));
    let app = session_form("", &c, &[p]);
    assert!(
        shows(
            &app,
            &format!("PIH risk: PIH followed the session of {before} — ")
        ),
        "{:?}",
        app.warnings_shown()
    );
}

#[test]
fn a_minor_without_a_guardian_s_consent_is_a_stop_until_it_is_recorded() {
    let mut c = consented("Tom Young");
    // 16 on the fixtures' day (2026-11-21).
    c.date_of_birth = Some(date(2010, 6, 1));
    let plans = [plan(Concern::AcneScars, &[Zone::Cheeks], 30)];
    let mut app = session_form("", &c, &plans);
    let stop = "client is 16, under 18: no parent's or guardian's signed consent on file for this date — have it signed and record it on the client before needling";
    assert!(
        app.warnings_shown().contains(&stop.to_string()),
        "{:?}",
        app.warnings_shown()
    );
    assert!(app.screen().contains("STOP"), "{}", app.screen());
    // Record the guardian's consent on the client form, then start again.
    app.keys("<Esc>e");
    assert!(app.open_form().form.title.starts_with("Edit Tom Young"));
    app.focus_field("guardian_consent");
    app.type_text("2026-11-01");
    app.focus_field("guardian");
    app.type_text("Maria Young, mother");
    app.keys("<C-s>");
    let stored = app.store.find_client("Tom Young").unwrap();
    assert_eq!(stored.data.guardian_consent_on, Some(date(2026, 11, 1)));
    assert_eq!(stored.data.guardian, "Maria Young, mother");
    app.keys("<Enter>");
    assert!(
        app.screen()
            .contains("Guardian: consent signed 2026-11-01 by Maria Young,"),
        "{}",
        app.screen()
    );
    app.keys("n");
    assert_eq!(
        app.warnings_shown()
            .iter()
            .filter(|w| w.starts_with("client is 16"))
            .collect::<Vec<_>>(),
        [
            "client is 16, under 18: guardian's consent signed 2026-11-01 — check the guardian agrees to today's treatment"
        ]
    );
    app.keys("<C-s><C-s>");
    assert!(
        recorded(&app, "Tom Young").contains(&Acknowledged::Coded(Warning::Minor {
            age: 16,
            guardian_consent_on: Some(date(2026, 11, 1))
        }))
    );
}

#[test]
fn a_serum_on_the_caution_list_shows_as_it_is_typed_and_follows_the_settings() {
    let c = consented("Vera Serum");
    let plans = [plan(Concern::TextureTone, &[Zone::Cheeks], 30)];
    let mut app = session_form("", &c, &plans);
    app.focus_field("serum");
    app.type_text("Vitamin C 20%");
    let text = "serum 'Vitamin C 20%' contains vitamin c, on the practice's caution list: granulomas have been reported after needling with topical products not made sterile for needling — use a sterile product made for microneedling instead";
    assert!(
        app.warnings_shown().contains(&text.to_string()),
        "{:?}",
        app.warnings_shown()
    );
    app.keys("<C-s>");
    assert!(
        recorded(&app, "Vera Serum").contains(&Acknowledged::Coded(Warning::SerumCaution {
            serum: "Vitamin C 20%".into(),
            found: vec!["vitamin c".into()],
        }))
    );

    let own = "[rules]\nserum_cautions = [\"copper peptide\"]\n";
    let mut app = session_form(own, &c, &plans);
    retype(&mut app, "serum", "Vitamin C 20%");
    assert!(!shows(&app, "serum '"), "{:?}", app.warnings_shown());
    retype(&mut app, "serum", "Copper Peptide complex");
    assert!(
        shows(
            &app,
            "serum 'Copper Peptide complex' contains copper peptide"
        ),
        "{:?}",
        app.warnings_shown()
    );
}

#[test]
fn a_consent_past_the_renewal_period_warns_as_the_practice_sets_it() {
    let mut c = consented("Ola Old");
    c.consent_on = Some(today() - Duration::days(400));
    let plans = [plan(Concern::FineLines, &[Zone::Forehead], 30)];
    let app = session_form("", &c, &plans);
    let due = format!(
        "consent signed {} is more than 12 months old",
        today() - Duration::days(400)
    );
    assert!(shows(&app, &due), "{:?}", app.warnings_shown());
    assert!(app.screen().contains("more than 12 months old"));
    let app = session_form("[rules]\nconsent_renewal_months = 24\n", &c, &plans);
    assert!(!shows(&app, "consent signed"), "{:?}", app.warnings_shown());
    let app = session_form("[rules]\nconsent_renewal_months = 6\n", &c, &plans);
    assert!(
        shows(&app, &due.replace("12 months", "6 months")),
        "{:?}",
        app.warnings_shown()
    );
}

#[test]
fn a_consent_from_before_a_change_of_area_names_the_new_zones() {
    let mut c = consented("Nina Neck");
    c.consent_on = Some(today() - Duration::days(200));
    let mut cheeks = plan(Concern::AcneScars, &[Zone::Cheeks], 190);
    cheeks
        .sessions
        .push((today() - Duration::days(190), Followup::default()));
    let neck = plan(Concern::FineLines, &[Zone::Neck, Zone::Cheeks], 10);
    let mut app = session_form("", &c, &[cheeks, neck]);
    let text = format!(
        "consent signed {}, before this series: it did not cover neck — have a consent for the new area signed before needling",
        today() - Duration::days(200)
    );
    assert!(
        app.warnings_shown().contains(&text),
        "{:?}",
        app.warnings_shown()
    );
    app.keys("<C-s><C-s>");
    assert!(
        recorded(&app, "Nina Neck").contains(&Acknowledged::Coded(Warning::ConsentNewArea {
            consent_on: today() - Duration::days(200),
            zones: vec![Zone::Neck],
        }))
    );
}
