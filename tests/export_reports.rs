//! The Markdown and HTML treatment summaries. The HTML is read back with
//! quick-xml, so it must be well-formed; its structure is then compared
//! with the records it reports.

mod support;

use needlelog::db::ClientTree;
use quick_xml::Reader;
use quick_xml::events::Event;
use support::cli::Sandbox;
use support::export::*;

// ------------------------------------------------------------- a tiny DOM

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }

    fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => out.push_str(&e.text()),
            }
        }
        out
    }

    /// Every element below this one (depth first) that `pred` accepts.
    fn find_all<'a>(&'a self, pred: &dyn Fn(&Element) -> bool, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if let Node::Element(e) = c {
                if pred(e) {
                    out.push(e);
                }
                e.find_all(pred, out);
            }
        }
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.find_all(&|e| e.name == name, &mut out);
        out
    }

    fn all_with_class(&self, name: &str, class: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.find_all(&|e| e.name == name && e.has_class(class), &mut out);
        out
    }

    fn walk(&self, f: &mut dyn FnMut(&Element)) {
        f(self);
        for c in &self.children {
            if let Node::Element(e) = c {
                e.walk(f);
            }
        }
    }
}

/// Parses the document as XML; any well-formedness problem fails the test.
fn parse_xml(text: &str) -> Element {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut saw_doctype = false;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.buffer_position()));
        match event {
            Event::DocType(_) => saw_doctype = true,
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().unwrap().children.push(Node::Element(el));
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack
                    .last_mut()
                    .expect("an end tag without a start")
                    .children
                    .push(Node::Element(done));
            }
            Event::Text(t) => {
                let t = t.decode().unwrap().into_owned();
                stack.last_mut().unwrap().children.push(Node::Text(t));
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => match r.decode().unwrap().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("entity &{other}; is not defined in XML"),
                    },
                };
                stack.last_mut().unwrap().children.push(Node::Text(c));
            }
            Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    assert!(saw_doctype, "no doctype");
    assert_eq!(stack.len(), 1, "unclosed elements at the end");
    let mut doc = stack.pop().unwrap();
    let roots: Vec<Element> = doc
        .children
        .drain(..)
        .filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(t) => {
                assert!(t.trim().is_empty(), "text outside the root: {t:?}");
                None
            }
        })
        .collect();
    assert_eq!(roots.len(), 1, "one root element");
    roots.into_iter().next().unwrap()
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Element {
    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().unwrap().into_owned(),
            )
        })
        .collect();
    Element {
        name,
        attrs,
        children: Vec::new(),
    }
}

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
        md.contains("1 point better than the baseline (33.3%)"),
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
