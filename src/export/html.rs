//! The treatment summary as one self-contained, printable HTML file: inline
//! CSS, inline SVG charts, no scripts and nothing fetched from a network.
//! Written as well-formed XHTML-compatible markup (every element closed,
//! every attribute quoted, text escaped), so any XML parser reads it.

use super::chart::{series_chart, xml_escape as esc};
use super::report::{
    ClientReport, Report, Selection, SeriesReport, SummaryLine, SummaryList, TITLE, aftercare,
    signed,
};
use std::fmt::Write;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: #1b1b1b; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #1f4e79; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-bottom: 0.3rem; }
.meta { color: #555; margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.6rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.6rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.summary { padding-left: 1.2rem; }
.notes { white-space: pre-wrap; }
svg.chart { width: 100%; height: auto; display: block; margin: 0.6rem 0; }
svg .panel { font-size: 13px; font-weight: 600; fill: #1b1b1b; }
svg .tick { font-size: 11px; fill: #444; }
svg .label { font-size: 11px; }
td.date { white-space: nowrap; }
.aftercare { border: 1px solid #1f4e79; border-radius: 6px; padding: 0.4rem 1rem; margin-top: 2rem; }
.none { color: #555; font-style: italic; }
@page { margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  section.client { break-before: page; }
  section.client:first-of-type { break-before: auto; }
  tr, svg.chart, ul.summary li, .aftercare { break-inside: avoid; }
  h2, h3, p.meta { break-after: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn td(out: &mut String, text: &str, numeric: bool) {
    if numeric {
        let _ = write!(out, r#"<td class="num">{}</td>"#, esc(text));
    } else {
        let _ = write!(out, "<td>{}</td>", esc(text));
    }
}

fn td_class(out: &mut String, text: &str, class: &str) {
    let _ = write!(out, r#"<td class="{class}">{}</td>"#, esc(text));
}

fn sessions_table(out: &mut String, s: &SeriesReport<'_>) {
    out.push_str("<table class=\"sessions\"><thead><tr>");
    for (head, numeric) in [
        ("#", true),
        ("Date", false),
        ("Zones", false),
        ("Depth (mm)", false),
        ("Passes", true),
        ("Serum", false),
        ("Score", true),
        ("vs baseline", true),
        ("Redness (d)", true),
        ("Swelling (d)", true),
        ("Peeling (d)", true),
    ] {
        if numeric {
            let _ = write!(out, r#"<th class="num" scope="col">{}</th>"#, esc(head));
        } else {
            let _ = write!(out, r#"<th scope="col">{}</th>"#, esc(head));
        }
    }
    out.push_str("</tr></thead><tbody>");
    for v in &s.visits {
        let d = &v.session.data;
        let f = &d.followup;
        let opt = |x: Option<String>| x.unwrap_or_default();
        out.push_str("<tr>");
        td(out, &v.number.to_string(), true);
        let when = d.performed_at.format(crate::domain::DATETIME).to_string();
        td_class(out, &when, "date");
        td(out, &v.zones_text(), false);
        td(out, &v.depth_text(), false);
        td(out, &opt(d.passes.map(|p| p.to_string())), true);
        td(out, &d.serum, false);
        td(out, &opt(d.outcome_score.map(|p| p.to_string())), true);
        td(out, &opt(v.improvement.map(signed)), true);
        td(out, &opt(f.redness_days.map(|x| x.to_string())), true);
        td(out, &opt(f.swelling_days.map(|x| x.to_string())), true);
        td(out, &opt(f.peeling_days.map(|x| x.to_string())), true);
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn series(out: &mut String, s: &SeriesReport<'_>) {
    out.push_str("<div class=\"series\">\n");
    let _ = writeln!(out, "<h3>{}</h3>", esc(&s.heading()));
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&s.plan_text()));
    if s.visits.is_empty() {
        out.push_str("<p class=\"none\">No sessions recorded in this period.</p>\n");
    } else {
        sessions_table(out, s);
    }
    if let Some(svg) = series_chart(s) {
        out.push_str(&svg);
        out.push('\n');
    }
    out.push_str("<ul class=\"summary\">\n");
    for line in s.summary() {
        match line {
            SummaryLine::Text(label, text) => {
                let _ = writeln!(
                    out,
                    "<li><strong>{label}:</strong> <span class=\"notes\">{}</span></li>",
                    esc(&text)
                );
            }
            SummaryLine::List(list, entries) => {
                let class = match list {
                    SummaryList::Adverse => "adverse",
                    SummaryList::Notes => "notes-list",
                    SummaryList::BeforeNeedling => "before-needling",
                };
                let label = list.label();
                let _ = write!(out, "<li><strong>{label}:</strong><ul class=\"{class}\">");
                for e in entries {
                    let _ = write!(
                        out,
                        "<li>session {} ({}){}: <span class=\"notes\">{}</span></li>",
                        e.number,
                        e.date,
                        e.kind,
                        esc(e.text)
                    );
                }
                out.push_str("</ul></li>\n");
            }
        }
    }
    out.push_str("</ul>\n</div>\n");
}

/// One client's part of the document.
pub fn client(out: &mut String, c: &ClientReport<'_>) {
    let _ = writeln!(
        out,
        "<section class=\"client\" id=\"client-{}\">",
        c.client.uuid
    );
    let _ = writeln!(out, "<h2>{}</h2>", esc(&c.client.data.name));
    out.push_str("<dl class=\"facts\">");
    for (label, value) in c.facts() {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(&value));
    }
    out.push_str("</dl>\n");
    if c.series.is_empty() {
        out.push_str("<p class=\"none\">No treatment series recorded.</p>\n");
    }
    for s in &c.series {
        series(out, s);
    }
    out.push_str("</section>\n");
}

/// The start of the document: the head with its styles, the title (naming
/// the client when there is only one), who it comes from, when, and over
/// which dates (and that it is empty, when it is). The clients follow
/// ([`client`]), then [`tail`].
pub fn head(report: &Report<'_>, selection: Selection<'_>) -> String {
    let title = match selection {
        Selection::One(client) => format!("{TITLE}: {}", client.data.name),
        _ => TITLE.to_string(),
    };
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n",
    );
    out.push_str("<meta charset=\"utf-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str("<meta name=\"generator\" content=\"needlelog\"/>\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&title));
    if !report.clinic.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"clinic\">{}</p>",
            esc(&report.clinic.line())
        );
    }
    let mut meta = format!("Prepared {}", report.today);
    if let Some(r) = report.range_text() {
        meta.push_str(&format!(" · {r}"));
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&meta));
    if matches!(selection, Selection::Empty) {
        out.push_str("<p class=\"none\">No records in this selection.</p>\n");
    }
    out
}

/// The end of the document: the aftercare advice.
pub fn tail(report: &Report<'_>) -> String {
    let mut out = String::from("<div class=\"aftercare\">\n<h2>Aftercare</h2>\n");
    for p in aftercare(report.clinic) {
        let _ = writeln!(out, "<p>{}</p>", esc(&p));
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}
