//! The checks that read what is on file — allergies against the numbing
//! product and serum, medications by name or class, the client's age —
//! shown above the session form as it is filled in, and recorded by code
//! when the session is saved past them.

mod support;

use needlelog::domain::{
    Acknowledged, AllergySource, ClientDraft, Concern, MedicationClass, SeriesDraft, Warning, Zone,
};
use support::app::App;
use support::{date, today};

/// A store with only the client `name` (`edit` fills in what is on file),
/// their session form open and its pre-treatment check confirmed (nothing
/// present).
fn session_form_for(name: &str, edit: impl FnOnce(&mut ClientDraft)) -> App {
    let mut app = App::empty((120, 40));
    client(&mut app, name, edit);
    app.keys("n<C-o>");
    app
}

/// A consented client called `name` with one series and no session,
/// shaped by `edit`, selected on the home screen.
fn client(app: &mut App, name: &str, edit: impl FnOnce(&mut ClientDraft)) {
    let mut c = ClientDraft::named(name);
    c.consent_on = Some(today() - chrono::Days::new(100));
    edit(&mut c);
    let mut s = SeriesDraft::new(Concern::FineLines, today() - chrono::Days::new(30));
    s.zones = vec![Zone::Forehead];
    app.store.create_client(&c, Some(&s)).unwrap();
    app.reload();
    app.select(name);
}

/// The warnings the client's latest saved session recorded.
fn recorded(app: &App, name: &str) -> Vec<Acknowledged> {
    let c = app.store.find_client(name).unwrap();
    let series = app.store.series_of(c.id).unwrap()[0].id;
    let latest = app.store.sessions_of(series).unwrap().pop().unwrap();
    latest.data.acknowledged_warnings
}

#[test]
fn an_allergy_to_the_numbing_product_shows_as_it_is_typed_and_is_recorded() {
    let mut app = session_form_for("Ines Allergic", |c| {
        c.allergies = "Lidocaine (hives, 2019)".into();
    });
    assert!(
        !app.warnings_shown().iter().any(|w| w.contains("allergy")),
        "{:?}",
        app.warnings_shown()
    );
    app.focus_field("numbing");
    app.type_text("lidocaine 5% cream");
    let text = "allergy on file: Lidocaine — the numbing product 'lidocaine 5% cream' contains it: do not use it; choose a product without it or do not needle today";
    assert_eq!(app.warnings_shown(), [text]);
    let screen = app.screen();
    assert!(
        screen.contains("allergy on file: Lidocaine"),
        "on the form: {screen}"
    );
    app.keys("<C-s>");
    assert_eq!(
        recorded(&app, "Ines Allergic"),
        [Acknowledged::Coded(Warning::Allergy {
            allergy: "Lidocaine".into(),
            source: AllergySource::Numbing,
            product: "lidocaine 5% cream".into(),
            ingredient: "lidocaine".into(),
        })]
    );
}

#[test]
fn a_brand_mix_in_the_serum_and_a_nickel_allergy_both_show() {
    let mut app = session_form_for("Noor Nickel", |c| {
        c.allergies = "nickel; prilocaine".into();
    });
    let nickel = "allergy on file: nickel — needles may contain it: confirm they are nickel-free (e.g. titanium or gold-plated) before needling, or do not needle today";
    assert!(
        app.warnings_shown().contains(&nickel.to_string()),
        "{:?}",
        app.warnings_shown()
    );
    app.focus_field("serum");
    app.type_text("EMLA");
    let w = app.warnings_shown();
    assert!(
        w.iter()
            .any(|w| w.contains("allergy on file: prilocaine — the serum 'EMLA' contains it")),
        "{w:?}"
    );
}

#[test]
fn medications_on_file_warn_per_class_with_the_practice_s_pause() {
    let mut app = session_form_for("Mia Meds", |c| {
        c.medications = "topical adapalene nightly\nEliquis 5 mg".into();
    });
    let w = app.warnings_shown();
    assert_eq!(
        w,
        [
            "medication on file: adapalene (a topical retinoid) — pause it 7 days before needling; ask when it was last used",
            "medication on file: Eliquis (an anticoagulant/antiplatelet) — bleeding and bruising risk: consider the session with the prescriber; never stop it without them",
        ]
    );
    assert!(app.screen().contains("medication on file: adapalene"));
    app.keys("<C-s>");
    let classes: Vec<MedicationClass> = recorded(&app, "Mia Meds")
        .iter()
        .filter_map(|a| match a {
            Acknowledged::Coded(Warning::Medication { class, .. }) => Some(*class),
            _ => None,
        })
        .collect();
    assert_eq!(
        classes,
        [MedicationClass::Retinoid, MedicationClass::Anticoagulant]
    );
}

#[test]
fn a_minor_needs_a_guardian_s_consent() {
    let mut app = App::empty((120, 40));
    // 16 on the fixtures' day (2026-11-21).
    client(&mut app, "Tom Young", |c| {
        c.date_of_birth = Some(date(2010, 6, 1));
    });
    app.keys("n");
    let w = app.warnings_shown();
    assert!(
        w.contains(&"client is 16, under 18: no parent's or guardian's signed consent on file for this date — have it signed and record it on the client before needling".to_string()),
        "{w:?}"
    );
    assert!(app.screen().contains("under 18"));
    app.keys("<C-s><C-s>");
    assert!(
        recorded(&app, "Tom Young").contains(&Acknowledged::Coded(Warning::Minor {
            age: 16,
            guardian_consent_on: None
        }))
    );
}

#[test]
fn a_date_of_birth_over_110_years_ago_is_refused_by_the_client_form() {
    let mut app = App::empty((120, 40));
    app.keys("a");
    app.type_text("Old Timer");
    app.focus_field("dob");
    app.type_text("1915-11-21");
    assert_eq!(
        app.field_error("dob").as_deref(),
        Some("gives an age over 110: check the year")
    );
    app.keys("<C-s>");
    assert!(app.store.find_client("Old Timer").is_err());
    app.keys("<BS>2");
    assert_eq!(app.field_error("dob"), None, "110 years old today");
}
