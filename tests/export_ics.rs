//! The iCalendar export, checked line by line against RFC 5545's rules,
//! and its events against the due windows worked out independently.

mod support;

use chrono::{Days, NaiveDate};
use needlelog::db::ClientTree;
use needlelog::domain::SeriesStatus;
use std::collections::{BTreeMap, BTreeSet};
use support::cli::{Sandbox, one_line_error};
use support::export::*;
use support::{at, date, today};

#[derive(Debug, Clone)]
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

#[derive(Debug, Default)]
struct Component {
    name: String,
    props: Vec<Property>,
    children: Vec<Component>,
}

impl Component {
    fn all(&self, name: &str) -> Vec<&Property> {
        self.props.iter().filter(|p| p.name == name).collect()
    }

    /// The one property `name`; more or fewer fails.
    fn one(&self, name: &str) -> &Property {
        let all = self.all(name);
        assert_eq!(all.len(), 1, "{} needs exactly one {name}", self.name);
        all[0]
    }
}

/// Unescapes a TEXT value, failing on what RFC 5545 does not allow in one.
fn text(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => panic!("bad escape \\{other:?} in {value:?}"),
            },
            ';' | ',' => panic!("unescaped {c:?} in TEXT {value:?}"),
            c if c.is_control() => panic!("control character in {value:?}"),
            c => out.push(c),
        }
    }
    out
}

/// Applies the line-level rules and returns the parsed calendar.
fn strict_parse(bytes: &[u8]) -> Component {
    let s = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(s.ends_with("\r\n"), "the last line ends in CRLF");
    let physical: Vec<&str> = s[..s.len() - 2].split("\r\n").collect();
    let mut logical: Vec<String> = Vec::new();
    for (i, line) in physical.iter().enumerate() {
        assert!(
            !line.contains('\r') && !line.contains('\n'),
            "line {}: a bare CR or LF",
            i + 1
        );
        assert!(
            line.len() <= 75,
            "line {} has {} octets: {line:?}",
            i + 1,
            line.len()
        );
        assert!(!line.is_empty(), "line {}: empty", i + 1);
        if let Some(rest) = line.strip_prefix([' ', '\t']) {
            logical
                .last_mut()
                .unwrap_or_else(|| panic!("line {} continues nothing", i + 1))
                .push_str(rest);
        } else {
            logical.push(line.to_string());
        }
    }
    let mut stack = vec![Component::default()];
    for line in &logical {
        let (head, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("no ':' in {line:?}"));
        let mut parts = head.split(';');
        let name = parts.next().unwrap().to_string();
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "bad property name {name:?}"
        );
        assert_eq!(name, name.to_ascii_uppercase(), "names in upper case");
        let params = parts
            .map(|p| {
                let (k, v) = p
                    .split_once('=')
                    .unwrap_or_else(|| panic!("bad param {p:?}"));
                assert!(!v.contains('"') && !v.contains(':'));
                (k.to_string(), v.to_string())
            })
            .collect();
        match name.as_str() {
            "BEGIN" => stack.push(Component {
                name: value.to_string(),
                ..Component::default()
            }),
            "END" => {
                let done = stack.pop().unwrap();
                assert_eq!(done.name, value, "END:{value} closes BEGIN:{}", done.name);
                stack
                    .last_mut()
                    .expect("END without BEGIN")
                    .children
                    .push(done);
            }
            _ => stack.last_mut().unwrap().props.push(Property {
                name,
                params,
                value: value.to_string(),
            }),
        }
    }
    assert_eq!(stack.len(), 1, "unclosed components");
    let mut top = stack.pop().unwrap();
    assert!(top.props.is_empty(), "properties outside VCALENDAR");
    assert_eq!(top.children.len(), 1, "one VCALENDAR");
    let cal = top.children.pop().unwrap();
    assert_eq!(cal.name, "VCALENDAR");
    assert_eq!(cal.one("VERSION").value, "2.0");
    assert!(!cal.one("PRODID").value.is_empty());
    assert!(
        !cal.children.is_empty(),
        "a calendar holds at least one component"
    );
    let mut uids = BTreeSet::new();
    for e in &cal.children {
        assert_eq!(e.name, "VEVENT");
        assert!(e.children.is_empty());
        let uid = &e.one("UID").value;
        assert!(uids.insert(uid.clone()), "UID {uid} twice");
        let stamp = &e.one("DTSTAMP").value;
        assert!(
            chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ").is_ok()
                && stamp.len() == 16,
            "DTSTAMP {stamp}"
        );
        let start = day_of(e.one("DTSTART"));
        let end = day_of(e.one("DTEND"));
        assert!(end > start, "DTEND after DTSTART");
        text(&e.one("SUMMARY").value);
        text(&e.one("DESCRIPTION").value);
        let seq: u32 = e.one("SEQUENCE").value.parse().unwrap();
        assert!(seq > 0);
    }
    cal
}

fn day_of(p: &Property) -> NaiveDate {
    assert_eq!(p.params, [("VALUE".to_string(), "DATE".to_string())]);
    assert_eq!(p.value.len(), 8);
    NaiveDate::parse_from_str(&p.value, "%Y%m%d").unwrap()
}

/// series UUID → (first day, day after the last) of the window, or of the
/// maintenance day, for every series that should get an event; a window
/// closed before today (overdue) is replaced by today.
fn expected_windows(trees: &[ClientTree]) -> BTreeMap<String, (NaiveDate, NaiveDate)> {
    let mut out = BTreeMap::new();
    for t in trees.iter().filter(|t| t.client.archived_at.is_none()) {
        for s in &t.series {
            let v = &s.series.data;
            let Some(last) = s.sessions.last() else {
                continue;
            };
            let last = last.data.performed_at.date();
            let uid = format!("{}@needlelog", s.series.uuid);
            if s.sessions.len() >= usize::from(v.planned_sessions) {
                // Complete: maintenance six months (the default) on.
                let on = last.checked_add_months(chrono::Months::new(6)).unwrap();
                out.insert(uid, (on, on + Days::new(1)));
                continue;
            }
            if v.status == SeriesStatus::Closed {
                continue;
            }
            let start = last + Days::new(u64::from(v.interval_min_days));
            let end = last + Days::new(u64::from(v.interval_max_days) + 1);
            if end <= today() {
                out.insert(uid, (today(), today() + Days::new(1)));
            } else {
                out.insert(uid, (start, end));
            }
        }
    }
    out
}

fn events(cal: &Component) -> BTreeMap<String, (NaiveDate, NaiveDate)> {
    cal.children
        .iter()
        .map(|e| {
            (
                e.one("UID").value.clone(),
                (day_of(e.one("DTSTART")), day_of(e.one("DTEND"))),
            )
        })
        .collect()
}

#[test]
fn one_event_per_active_series_for_its_window() {
    let env = Sandbox::with_demo(30);
    let mut store = env.store();
    let closed = add_unusual_clients(&mut store);
    let trees = store.all_trees().unwrap();
    drop(store);

    let cal = strict_parse(&env.export(&["--format", "ics"]));
    let want = expected_windows(&trees);
    assert!(want.len() > 5, "the demo has active series");
    assert_eq!(events(&cal), want);
    let closed_series = &trees
        .iter()
        .find(|t| t.client.uuid == closed.uuid)
        .unwrap()
        .series[0];
    assert!(!want.contains_key(&format!("{}@needlelog", closed_series.series.uuid)));

    // The awkward name comes through whole, escaped and unescaped.
    let awkward = trees
        .iter()
        .find(|t| t.client.data.name == AWKWARD_NAME)
        .unwrap();
    let uid = format!("{}@needlelog", awkward.series[0].series.uuid);
    let event = cal
        .children
        .iter()
        .find(|e| e.one("UID").value == uid)
        .unwrap();
    assert_eq!(
        text(&event.one("SUMMARY").value),
        format!(
            "Overdue 4 days: call {AWKWARD_NAME}: acne scars session 3 of 4, \
             window closed 2026-11-17"
        )
    );
    assert_eq!(event.one("SEQUENCE").value, "2");
    let description = text(&event.one("DESCRIPTION").value);
    assert!(
        description.contains("Due between 2026-11-03 and 2026-11-17"),
        "{description}"
    );
}

#[test]
fn a_completed_series_gets_a_maintenance_event_and_one_closed_early_none() {
    use needlelog::domain::{ClientDraft, Concern, SeriesDraft, SessionDraft};
    let env = Sandbox::new();
    let mut store = env.store();
    let mut series = SeriesDraft::new(Concern::AcneScars, date(2026, 1, 5));
    series.planned_sessions = 1;
    let c = store
        .create_client(&ClientDraft::named("Maya Okafor"), Some(&series))
        .unwrap();
    let s = store.series_of(c.id).unwrap()[0].clone();
    store
        .create_session(s.id, &SessionDraft::at(at("2026-05-31 09:00")))
        .unwrap();
    let closed = add_closed_series_client(&mut store, "Closed Early");
    drop(store);

    let cal = strict_parse(&env.export(&["--format", "ics"]));
    // 31 May + 6 months: the last day of November.
    let uid = format!("{}@needlelog", s.uuid);
    assert_eq!(
        events(&cal),
        BTreeMap::from([(uid, (date(2026, 11, 30), date(2026, 12, 1)))])
    );
    let e = &cal.children[0];
    assert_eq!(
        text(&e.one("SUMMARY").value),
        "Maintenance: Maya Okafor: acne scars"
    );
    let description = text(&e.one("DESCRIPTION").value);
    assert!(
        description.contains("Last session 2026-05-31; maintenance 6 months later, on 2026-11-30"),
        "{description}"
    );
    assert!(!description.contains(&closed.uuid.to_string()));
    // Outside the dates asked for, no event.
    let e = ics_refusal(&env, &["--until", "2026-11-29"]);
    assert!(e.contains("nothing to put in a calendar"), "{e}");
}

#[test]
fn uids_are_stable_and_dates_select_windows() {
    let env = Sandbox::with_demo(30);
    let first = events(&strict_parse(&env.export(&["--format", "ics"])));
    let again = events(&strict_parse(&env.export(&["--format", "ics"])));
    assert_eq!(first, again);

    let (since, until) = (date(2026, 11, 15), date(2026, 12, 15));
    let ranged = events(&strict_parse(&env.export(&[
        "--format",
        "ics",
        "--since",
        "2026-11-15",
        "--until",
        "2026-12-15",
    ])));
    let want: BTreeMap<_, _> = first
        .iter()
        .filter(|(_, (start, end))| *end > since && *start <= until)
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    assert!(!want.is_empty());
    assert_eq!(ranged, want);
}

/// The one-line refusal of `export --format ics` with `more` arguments.
fn ics_refusal(env: &Sandbox, more: &[&str]) -> String {
    let db = env.db();
    let mut args = vec!["export", "--db", db.to_str().unwrap(), "--format", "ics"];
    args.extend_from_slice(more);
    one_line_error(&env.run(args))
}

#[test]
fn nothing_to_book_is_a_clear_error() {
    let env = Sandbox::new();
    let mut store = env.store();
    let c = add_closed_series_client(&mut store, "Only Closed");
    drop(store);
    let e = ics_refusal(&env, &["--client", &c.uuid.to_string()]);
    assert!(e.contains("nothing to put in a calendar"), "{e}");
}

#[test]
fn folding_keeps_long_non_latin_text_whole() {
    let env = Sandbox::new();
    let mut store = env.store();
    let mut draft = needlelog::domain::ClientDraft::named(&"李小龍".repeat(30));
    draft.notes = "x".into();
    let mut series = needlelog::domain::SeriesDraft::new(
        needlelog::domain::Concern::StretchMarks,
        date(2026, 11, 1),
    );
    series.zones = needlelog::domain::Zone::ALL.to_vec();
    let c = store.create_client(&draft, Some(&series)).unwrap();
    let s = &store.series_of(c.id).unwrap()[0];
    store
        .create_session(
            s.id,
            &needlelog::domain::SessionDraft::at(at("2026-11-02 09:00")),
        )
        .unwrap();
    drop(store);
    let bytes = env.export(&["--format", "ics"]);
    let cal = strict_parse(&bytes);
    let e = &cal.children[0];
    assert!(text(&e.one("SUMMARY").value).contains(&"李小龍".repeat(30)));
    assert!(text(&e.one("DESCRIPTION").value).contains("décolletage"));
}

/// A client with one series of `planned` sessions, 14 to 28 days apart,
/// whose last session was on `last`; returns the events' UID.
fn one_series(env: &Sandbox, name: &str, last: &str, planned: i64) -> String {
    use needlelog::domain::{ClientDraft, Concern, SeriesDraft, SessionDraft};
    let mut store = env.store();
    let mut series = SeriesDraft::new(Concern::AcneScars, date(2025, 1, 5));
    series.planned_sessions = planned;
    series.interval_min_days = 14;
    series.interval_max_days = 28;
    let c = store
        .create_client(&ClientDraft::named(name), Some(&series))
        .unwrap();
    let s = store.series_of(c.id).unwrap()[0].clone();
    store
        .create_session(s.id, &SessionDraft::at(at(&format!("{last} 09:00"))))
        .unwrap();
    format!("{}@needlelog", s.uuid)
}

/// `needlelog export --format ics` as on `day`, with `more` options.
fn export_ics_on(env: &Sandbox, day: &str, more: &[&str]) -> std::process::Output {
    let db = env.db();
    let mut args = vec![
        "export",
        "--db",
        db.to_str().unwrap(),
        "--today",
        day,
        "--format",
        "ics",
    ];
    args.extend_from_slice(more);
    env.run(args)
}

/// The calendar exported as on `day`.
fn calendar_on(env: &Sandbox, day: &str) -> Component {
    let out = export_ics_on(env, day, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", support::cli::stderr(&out));
    strict_parse(&out.stdout)
}

fn event_of<'a>(cal: &'a Component, uid: &str) -> Option<&'a Component> {
    cal.children.iter().find(|e| e.one("UID").value == uid)
}

#[test]
fn an_overdue_series_is_a_call_on_the_day_of_the_export() {
    let env = Sandbox::new();
    // Window 14 Oct – 28 Oct (the last day): overdue from the 29th on.
    let overdue = one_series(&env, "Ada Overdue", "2026-09-30", 4);
    // Window 2 Nov – 16 Nov: due now on the 16th, overdue on the 17th.
    let edge = one_series(&env, "Bea Edge", "2026-10-19", 4);
    // Window 24 Nov – 8 Dec: due later.
    let later = one_series(&env, "Cai Later", "2026-11-10", 4);

    let cal = calendar_on(&env, "2026-11-16");
    let ev = |uid: &str| {
        let e = event_of(&cal, uid).unwrap();
        (day_of(e.one("DTSTART")), day_of(e.one("DTEND")))
    };
    assert_eq!(ev(&overdue), (date(2026, 11, 16), date(2026, 11, 17)));
    // The last day of the window is not overdue: the window itself.
    assert_eq!(ev(&edge), (date(2026, 11, 2), date(2026, 11, 17)));
    assert_eq!(ev(&later), (date(2026, 11, 24), date(2026, 12, 9)));
    let e = event_of(&cal, &overdue).unwrap();
    assert_eq!(
        text(&e.one("SUMMARY").value),
        "Overdue 19 days: call Ada Overdue: acne scars session 2 of 4, \
         window closed 2026-10-28"
    );
    let description = text(&e.one("DESCRIPTION").value);
    assert!(
        description
            .contains("Due between 2026-10-14 and 2026-10-28 (overdue 19 days on 2026-11-16)")
            && description.contains("call to rebook"),
        "{description}"
    );
    for uid in [&edge, &later] {
        let summary = text(&event_of(&cal, uid).unwrap().one("SUMMARY").value);
        assert!(summary.starts_with("Rebook "), "{summary}");
    }

    // A day later the edge series is overdue too, on that day.
    let cal = calendar_on(&env, "2026-11-17");
    let e = event_of(&cal, &edge).unwrap();
    assert_eq!(day_of(e.one("DTSTART")), date(2026, 11, 17));
    assert_eq!(
        text(&e.one("SUMMARY").value),
        "Overdue 1 day: call Bea Edge: acne scars session 2 of 4, window closed 2026-11-16"
    );
}

#[test]
fn a_newer_export_moves_the_overdue_event() {
    let env = Sandbox::new();
    let uid = one_series(&env, "Ada Overdue", "2026-09-30", 4);
    let first = calendar_on(&env, "2026-11-21");
    let next = calendar_on(&env, "2026-11-22");
    let (a, b) = (
        event_of(&first, &uid).unwrap(),
        event_of(&next, &uid).unwrap(),
    );
    // One event per series in each, under the same UID: the newer one
    // replaces the older in a calendar that imported both.
    assert_eq!((first.children.len(), next.children.len()), (1, 1));
    assert_eq!(day_of(a.one("DTSTART")), date(2026, 11, 21));
    assert_eq!(day_of(b.one("DTSTART")), date(2026, 11, 22));
    assert_eq!(day_of(b.one("DTEND")), date(2026, 11, 23));
    assert_eq!(a.one("SEQUENCE").value, b.one("SEQUENCE").value);
    assert!(text(&b.one("SUMMARY").value).starts_with("Overdue 25 days: call Ada Overdue"));
    // A range that leaves out the export's day leaves out the call.
    let out = export_ics_on(&env, "2026-11-22", &["--until", "2026-11-21"]);
    assert!(one_line_error(&out).contains("nothing to put in a calendar"));
}

#[test]
fn a_completed_or_closed_series_gets_no_overdue_event() {
    let env = Sandbox::new();
    // Complete a year ago: its maintenance date (six months on) is past,
    // and stays there.
    let complete = one_series(&env, "Dee Done", "2025-11-01", 1);
    let cal = calendar_on(&env, "2026-11-21");
    let e = event_of(&cal, &complete).unwrap();
    assert_eq!(day_of(e.one("DTSTART")), date(2026, 5, 1));
    assert!(text(&e.one("SUMMARY").value).starts_with("Maintenance: "));
    let mut store = env.store();
    let closed = add_closed_series_client(&mut store, "Closed Early");
    drop(store);
    let cal = calendar_on(&env, "2026-11-21");
    assert!(
        !cal.children
            .iter()
            .any(|e| text(&e.one("DESCRIPTION").value).contains(&closed.uuid.to_string()))
    );
}
