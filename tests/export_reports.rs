//! The Markdown and HTML treatment summaries. The HTML is read back with
//! quick-xml, so it must be well-formed; its structure is then compared
//! with the records it reports.

mod support;

use needlelog::db::ClientTree;
use needlelog::domain::{
    AdverseEvent, AdverseKind, ClientDraft, Concern, Followup, SeriesDraft, SessionDraft,
};
use support::cli::Sandbox;
use support::dom::{Element, parse_xml};
use support::export::*;

// ------------------------------------------------------------- fixtures

/// A sandbox with demo clients plus the awkward one; returns it and the
/// trees as stored.
fn setup() -> (Sandbox, Vec<ClientTree>) {
    let env = Sandbox::with_demo(10);
    let mut store = env.store();
    add_awkward_client(&mut store);
    let trees = store.all_trees().unwrap();
    drop(store);
    (env, trees)
}

/// [`setup`], and the awkward client's tree among its trees.
fn setup_awkward() -> (Sandbox, ClientTree) {
    let (env, trees) = setup();
    let awkward = trees
        .into_iter()
        .find(|t| t.client.data.name == AWKWARD_NAME)
        .expect("the awkward client");
    (env, awkward)
}

/// Undoes Markdown's backslash escapes, as a renderer would.
fn unescape_md(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            out.push(chars.next().unwrap());
        } else {
            out.push(c);
        }
    }
    out
}

// ------------------------------------------------------------- Markdown

#[test]
fn markdown_has_a_section_per_client_and_a_table_per_series() {
    let (env, trees) = setup();
    let md = env.export_text(&["--format", "md"]);
    assert!(md.starts_with("# Treatment summary\n"));
    let sections: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(sections.len(), trees.len() + 1, "clients and the aftercare");
    assert_eq!(*sections.last().unwrap(), "## Aftercare");
    let series_headings = md.lines().filter(|l| l.starts_with("### ")).count();
    assert_eq!(
        series_headings,
        trees.iter().map(|t| t.series.len()).sum::<usize>()
    );
    let table_rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
        .count();
    let sessions: usize = trees
        .iter()
        .flat_map(|t| &t.series)
        .map(|s| s.sessions.len())
        .sum();
    assert_eq!(table_rows, sessions);
    for t in &trees {
        assert!(
            sections.contains(&format!("## {}", t.client.data.name).as_str()),
            "{}",
            t.client.data.name
        );
    }
    let lower = md.to_lowercase();
    for needed in [
        "48 hours",
        "sun",
        "strenuous exercise",
        "harsh products",
        "sunscreen",
    ] {
        assert!(lower.contains(needed), "aftercare lacks {needed:?}");
    }
}

/// One client's report in `format`, with `more` options.
fn report_of(env: &Sandbox, format: &str, client: &ClientTree, more: &[&str]) -> String {
    let uuid = client.client.uuid.to_string();
    let mut args = vec!["--format", format, "--client", &uuid];
    args.extend_from_slice(more);
    env.export_text(&args)
}

#[test]
fn markdown_for_one_client_reads_back_as_typed() {
    let (env, awkward) = setup_awkward();
    let md = report_of(&env, "md", &awkward, &[]);
    let sections: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        sections,
        [format!("## {AWKWARD_NAME}").as_str(), "## Aftercare"]
    );
    // Markup in the notes is escaped, and unescaping gives the text back.
    assert!(md.contains("\\<b\\>bold\\</b\\>"), "{md}");
    assert!(md.contains("\\*stars\\*"));
    assert!(!md.contains("<b>"));
    let prefix = "  - session 1 (2026-09-01): ";
    let session_notes = md
        .lines()
        .skip_while(|l| *l != "- **Notes:**")
        .skip(1)
        .take(4)
        .collect::<Vec<_>>()
        .join("\n");
    let unescaped = unescape_md(session_notes.strip_prefix(prefix).unwrap());
    let lines: Vec<&str> = unescaped
        .lines()
        .map(|l| l.trim_end().trim_start())
        .collect();
    assert_eq!(lines, AWKWARD_NOTES.lines().collect::<Vec<_>>());
    // Table: two sessions, numbered, with the change from baseline.
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| 1 ") || l.starts_with("| 2 "))
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].contains("| 2026-09-01 10:30 |") && rows[0].contains("| 1.5; chin 0.75 |"));
    assert!(rows[1].contains("| 2 | +1 |"), "{}", rows[1]);
    assert!(
        md.contains("1 point better than the baseline (50% of the reachable range)"),
        "{md}"
    );
    assert!(md.contains("prolonged erythema (redness for 8 days)"));
    assert!(md.contains("other: itchy, \"rash\" =1+1"));
    assert!(md.contains("Overdue 4 days: the window was 2026-11-03 to 2026-11-17."));
    assert!(
        md.contains("Redness 2.5–8 days (average 5.3), swelling 1 day, peeling 3 days."),
        "{md}"
    );
}

#[test]
fn date_range_keeps_session_numbers_and_says_so() {
    let (env, awkward) = setup_awkward();
    let md = report_of(&env, "md", &awkward, &["--since", "2026-10-01"]);
    assert!(md.contains("sessions from 2026-10-01"));
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| 2 ")).collect();
    assert_eq!(rows.len(), 1, "the second session keeps its number");
    assert!(!md.lines().any(|l| l.starts_with("| 1 ")));
    // Nothing in range: the client is left out.
    let md = report_of(&env, "md", &awkward, &["--until", "2026-01-01"]);
    assert!(md.contains("No records in this selection."));
}

// ------------------------------------------------------------- HTML

#[test]
fn html_is_well_formed_self_contained_and_complete() {
    let (env, trees) = setup();
    let html = env.export_text(&["--format", "html"]);
    let root = parse_xml(&html);
    assert_eq!(root.name, "html");
    assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/1999/xhtml"));
    let head = &root.all("head")[0];
    assert!(
        head.all("meta")
            .iter()
            .any(|m| m.attr("charset") == Some("utf-8"))
    );
    assert_eq!(head.all("title").len(), 1);
    assert_eq!(head.all("style").len(), 1);

    // Nothing is fetched and nothing runs.
    root.walk(&mut |e| {
        assert!(
            !matches!(
                e.name.as_str(),
                "script" | "link" | "img" | "iframe" | "object" | "embed" | "image" | "use"
            ),
            "<{}> in a self-contained report",
            e.name
        );
        for (k, v) in &e.attrs {
            assert!(
                !matches!(k.as_str(), "src" | "href" | "xlink:href") && !k.starts_with("on"),
                "attribute {k}={v:?}"
            );
            if k != "xmlns" {
                assert!(!v.contains("http"), "{k}={v:?}");
            }
        }
    });
    let style = head.all("style")[0].text();
    assert!(!style.contains("url(") && !style.contains("@import"));
    assert!(style.contains("@media print"));

    // One section per client, one table and chart per series with sessions.
    let sections = root.all_with_class("section", "client");
    assert_eq!(sections.len(), trees.len());
    for (section, tree) in sections.iter().zip(&trees) {
        assert_eq!(section.all("h2")[0].text(), tree.client.data.name);
        let series_divs = section.all_with_class("div", "series");
        assert_eq!(series_divs.len(), tree.series.len());
        for (div, st) in series_divs.iter().zip(&tree.series) {
            let tables = div.all_with_class("table", "sessions");
            let svgs = div.all("svg");
            if st.sessions.is_empty() {
                assert!(tables.is_empty() && svgs.is_empty());
                continue;
            }
            let rows = tables[0].all("tbody")[0].all("tr");
            assert_eq!(rows.len(), st.sessions.len());
            for (row, x) in rows.iter().zip(&st.sessions) {
                let cells = row.all("td");
                assert_eq!(cells.len(), 11);
                assert_eq!(
                    cells[1].text(),
                    x.data.performed_at.format("%Y-%m-%d %H:%M").to_string()
                );
            }
            assert_eq!(svgs.len(), 1);
            let svg = svgs[0];
            assert_eq!(svg.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
            let scored: Vec<u8> = st
                .sessions
                .iter()
                .filter_map(|x| x.data.outcome_score)
                .collect();
            let points = svg.all_with_class("circle", "score-point");
            assert_eq!(points.len(), scored.len());
            let lines = svg.all_with_class("polyline", "score");
            if scored.is_empty() {
                assert!(lines.is_empty());
            } else {
                let pts = lines[0].attr("points").unwrap().split_whitespace().count();
                assert_eq!(pts, scored.len());
            }
            assert_eq!(
                svg.all_with_class("line", "baseline").len(),
                usize::from(st.series.data.baseline_score.is_some())
            );
            let reported: usize = st
                .sessions
                .iter()
                .map(|x| {
                    let f = &x.data.followup;
                    [f.redness_days, f.swelling_days, f.peeling_days]
                        .iter()
                        .flatten()
                        .count()
                })
                .sum();
            assert_eq!(svg.all_with_class("rect", "downtime").len(), reported);
            // Every number in the chart is a finite coordinate.
            svg.walk(&mut |e| {
                for (k, v) in &e.attrs {
                    if e.name == "svg" && k == "width" {
                        assert_eq!(v, "100%");
                        continue;
                    }
                    if [
                        "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height",
                    ]
                    .contains(&k.as_str())
                    {
                        let n: f64 = v.parse().unwrap_or_else(|_| panic!("{k}={v}"));
                        assert!(n.is_finite() && n >= 0.0, "{k}={v}");
                    }
                }
            });
        }
    }
    let text = root.text();
    assert!(text.contains("48 hours") && text.contains("sunscreen"));
}

#[test]
fn html_carries_awkward_text_exactly() {
    let (env, awkward) = setup_awkward();
    let html = report_of(&env, "html", &awkward, &[]);
    assert!(
        !html.contains("<b>bold"),
        "markup from notes must be escaped"
    );
    let root = parse_xml(&html);
    assert_eq!(
        root.all("title")[0].text(),
        format!("Treatment summary: {AWKWARD_NAME}")
    );
    assert_eq!(
        root.all("h1")[0].text(),
        format!("Treatment summary: {AWKWARD_NAME}")
    );
    let facts = &root.all_with_class("dl", "facts")[0];
    let dts: Vec<String> = facts.all("dt").iter().map(|e| e.text()).collect();
    let dds: Vec<String> = facts.all("dd").iter().map(|e| e.text()).collect();
    let notes_at = dts.iter().position(|d| d == "Notes");
    // Client notes are not in the facts (only clinical ones are); the
    // session notes are, exactly as typed.
    assert!(notes_at.is_none());
    assert!(dds.contains(&"latex, nickel".to_string()));
    let notes: Vec<String> = root
        .all_with_class("span", "notes")
        .iter()
        .map(|e| e.text())
        .collect();
    assert!(notes.contains(&AWKWARD_NOTES.to_string()), "{notes:?}");
    assert!(notes.contains(&"called, all fine\nsecond line".to_string()));
    assert!(notes.contains(&"other: itchy, \"rash\" =1+1".to_string()));
}

// ------------------------------------------------------------- the SVG chart

/// The numbers in an attribute (`viewBox="0 0 960 500"`).
fn numbers(v: &str) -> Vec<f64> {
    v.split_whitespace().map(|t| t.parse().unwrap()).collect()
}

fn num(e: &Element, attr: &str) -> f64 {
    e.attr(attr)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{attr} of <{}>", e.name))
}

/// Each visit's x positions in `svg`, by session number: its score point,
/// its number, its change, and the middle of its downtime bars.
fn x_by_visit(svg: &Element) -> std::collections::BTreeMap<u32, Vec<(&'static str, f64)>> {
    let mut xs: std::collections::BTreeMap<u32, Vec<(&'static str, f64)>> = Default::default();
    let visit = |e: &Element| -> u32 { e.attr("data-visit").unwrap().parse().unwrap() };
    for c in svg.all_with_class("circle", "score-point") {
        xs.entry(visit(c))
            .or_default()
            .push(("score", num(c, "cx")));
    }
    for t in svg.all_with_class("text", "visit") {
        xs.entry(visit(t))
            .or_default()
            .push(("number", num(t, "x")));
    }
    for t in svg.all_with_class("text", "change") {
        xs.entry(visit(t))
            .or_default()
            .push(("change", num(t, "x")));
    }
    // The middle of each bar by kind (its title names it).
    let mut bars: std::collections::BTreeMap<u32, [Option<f64>; 3]> = Default::default();
    for r in svg.all_with_class("rect", "downtime") {
        let title = r.text();
        let kind = ["redness", "swelling", "peeling"]
            .iter()
            .position(|k| title.contains(&format!(": {k} ")))
            .unwrap_or_else(|| panic!("{title}"));
        bars.entry(visit(r)).or_default()[kind] = Some(num(r, "x") + num(r, "width") / 2.0);
    }
    // Swelling stands on the visit's x, redness and peeling either side.
    for (v, [redness, swelling, peeling]) in bars {
        let middle = swelling.or(redness.zip(peeling).map(|(r, p)| (r + p) / 2.0));
        if let Some(x) = middle {
            xs.entry(v).or_default().push(("bars", x));
        }
        if let (Some(r), Some(_), Some(p)) = (redness, swelling, peeling) {
            xs.entry(v).or_default().push(("outer bars", (r + p) / 2.0));
        }
    }
    xs
}

#[test]
fn the_svg_chart_is_page_wide_and_each_visit_has_one_x() {
    let (env, trees) = setup();
    let html = env.export_text(&["--format", "html"]);
    let root = parse_xml(&html);
    let style = root.all("style")[0].text();
    assert!(style.contains("svg.chart { width: 100%"), "{style}");
    let svgs = root.all_with_class("svg", "chart");
    let with_sessions = trees
        .iter()
        .flat_map(|t| &t.series)
        .filter(|s| !s.sessions.is_empty())
        .count();
    assert_eq!(svgs.len(), with_sessions);
    let mut checked_all_three = 0;
    for svg in svgs {
        assert_eq!(svg.attr("width"), Some("100%"));
        assert_eq!(svg.attr("height"), None, "the height follows the width");
        let view = numbers(svg.attr("viewBox").unwrap());
        assert_eq!(&view[..2], [0.0, 0.0]);
        assert!(view[2] >= 900.0 && view[3] > 200.0, "{view:?}");
        let xs = x_by_visit(svg);
        let numbers_shown: Vec<u32> = svg
            .all_with_class("text", "visit")
            .iter()
            .map(|t| t.text().trim_start_matches('#').parse().unwrap())
            .collect();
        assert_eq!(numbers_shown, xs.keys().copied().collect::<Vec<_>>());
        let mut previous = f64::MIN;
        for (visit, positions) in &xs {
            let first = positions[0].1;
            for (what, x) in positions {
                assert!(
                    (x - first).abs() <= 0.1,
                    "visit {visit}: {what} at {x}, not {first}: {positions:?}"
                );
            }
            assert!(first > previous + 20.0, "visits apart, left to right");
            previous = first;
            if positions.len() == 5 {
                checked_all_three += 1;
            }
        }
    }
    assert!(
        checked_all_three > 5,
        "score, number, change and bars checked together"
    );
}

#[test]
fn the_svg_chart_marks_adverse_events_and_the_prolonged_redness_line() {
    let (env, awkward) = setup_awkward();
    let html = report_of(&env, "html", &awkward, &[]);
    let root = parse_xml(&html);
    let svg = root.all_with_class("svg", "chart")[0];
    // Session 1 ticked "other" (with an awkward note); session 2 had eight
    // days of redness, prolonged though not ticked.
    let marks: Vec<(String, String)> = svg
        .all_with_class("text", "adverse")
        .iter()
        .map(|t| (t.attr("data-visit").unwrap().to_string(), t.text()))
        .collect();
    assert_eq!(
        marks,
        [
            (
                "1".to_string(),
                "!Session 1: other: itchy, \"rash\" =1+1".to_string()
            ),
            (
                "2".to_string(),
                "!Session 2: prolonged erythema (redness for 8 days)".to_string()
            ),
        ]
    );
    assert_eq!(svg.all_with_class("line", "threshold").len(), 1);
    // The flat first score (3, the baseline) is on the baseline's line.
    let baseline = &svg.all_with_class("line", "baseline")[0];
    let first = &svg.all_with_class("circle", "score-point")[0];
    assert_eq!(num(first, "cy"), num(baseline, "y1"));
    assert!(
        baseline.attr("stroke-dasharray").is_some(),
        "dashed, unlike the score"
    );
    assert!(svg.text().contains("baseline 3"));
}

#[test]
fn the_svg_chart_escapes_what_was_typed() {
    let env = Sandbox::new();
    let mut store = env.store();
    let series = SeriesDraft::new(Concern::AcneScars, support::date(2026, 9, 1));
    let client = store
        .create_client(
            &ClientDraft::named("Ada <Lovelace> & \"Co\""),
            Some(&series),
        )
        .unwrap();
    let s = store.series_of(client.id).unwrap()[0].id;
    let mut x = SessionDraft::at(support::at("2026-09-01 10:00"));
    x.outcome_score = Some(2);
    let x = store.create_session(s, &x).unwrap();
    let note = "<script>alert('x')</script> & \"more\"";
    store
        .set_followup(
            x.id,
            &Followup {
                adverse_events: vec![AdverseEvent::noted(AdverseKind::Other, note)],
                ..Followup::default()
            },
        )
        .unwrap();
    drop(store);
    let html = env.export_text(&["--format", "html", "--client", &client.uuid.to_string()]);
    let svg_text = html
        .split("<svg ")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .unwrap();
    assert!(!svg_text.contains("<script"), "{svg_text}");
    assert!(
        svg_text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;")
    );
    let root = parse_xml(&html);
    let svg = root.all_with_class("svg", "chart")[0];
    assert!(svg.all("script").is_empty());
    let mark = svg.all_with_class("text", "adverse")[0].text();
    assert_eq!(mark, format!("!Session 1: other: {note}"));
}

#[test]
fn a_completed_series_reports_when_maintenance_is_due() {
    let env = Sandbox::new();
    let mut store = env.store();
    for (name, last) in [
        ("Maya Okafor", "2026-01-10 09:00"),
        ("Lena Brandt", "2026-11-01 09:00"),
    ] {
        let mut series = SeriesDraft::new(Concern::AcneScars, support::date(2026, 1, 5));
        series.planned_sessions = 1;
        let c = store
            .create_client(&ClientDraft::named(name), Some(&series))
            .unwrap();
        let s = &store.series_of(c.id).unwrap()[0];
        store
            .create_session(s.id, &SessionDraft::at(support::at(last)))
            .unwrap();
    }
    drop(store);
    let md = env.export_text(&["--format", "md"]);
    assert!(
        md.contains("Series complete; maintenance due since 2026-07-10."),
        "{md}"
    );
    assert!(
        md.contains("Series complete: all planned sessions done; maintenance due 2027-05-01."),
        "{md}"
    );
}

/// A client whose first session confirmed the pre-treatment check and
/// recorded an antiviral, and whose second did neither.
fn add_checked_client(env: &Sandbox) -> ClientTree {
    use needlelog::domain::{CurrentState, PreCheck, Rules};
    let mut store = env.store();
    let c = store
        .create_client(
            &ClientDraft::named("Cora Checked"),
            Some(&SeriesDraft::new(
                Concern::AcneScars,
                support::date(2026, 9, 1),
            )),
        )
        .unwrap();
    let series = store.series_of(c.id).unwrap()[0].id;
    let mut first = SessionDraft::at(support::at("2026-09-02 10:00"));
    first.pre_check = Some(PreCheck::new(
        vec![CurrentState::SunburnOrTan],
        &Rules::default(),
    ));
    first.antiviral = "valaciclovir 500 mg".into();
    first.antiviral_from = Some(support::date(2026, 9, 1));
    store.create_session(series, &first).unwrap();
    store
        .create_session(series, &SessionDraft::at(support::at("2026-10-02 10:00")))
        .unwrap();
    let tree = store.client_tree(c.id).unwrap();
    drop(store);
    tree
}

#[test]
fn the_reports_show_the_pre_treatment_check_and_prophylaxis() {
    let (env, awkward) = setup_awkward();
    let checked = add_checked_client(&env);
    let md = report_of(&env, "md", &checked, &[]);
    let list: Vec<&str> = md
        .lines()
        .skip_while(|l| *l != "- **Before needling:**")
        .skip(1)
        .take(2)
        .collect();
    assert_eq!(
        list,
        [
            "  - session 1 (2026-09-02): pre-treatment check confirmed, present: sunburn or fresh tan; antiviral prophylaxis: valaciclovir 500 mg from 2026-09-01",
            "  - session 2 (2026-10-02): pre-treatment check not recorded",
        ],
        "{md}"
    );
    let html = report_of(&env, "html", &checked, &[]);
    assert!(html.contains("<strong>Before needling:</strong>"), "{html}");
    assert!(html.contains("class=\"before-needling\""), "{html}");
    assert!(html.contains("antiviral prophylaxis: valaciclovir 500 mg from 2026-09-01"));
    // Sessions from before the check: nothing to list.
    let md = report_of(&env, "md", &awkward, &[]);
    assert!(!md.contains("Before needling"), "{md}");
}
