//! One client: their series with progress, the selected series' sessions,
//! and the selected session's full record.

use super::session;
use super::text::{fit, kv};
use super::theme::Theme;
use crate::app::State;
use crate::app::keymap::{Command, Ctx};
use crate::db::SeriesTree;
use crate::domain::{
    DATETIME, ProgressPoint, Session, SessionDraft, Weight, due_state, progress_of, series_progress,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Cell, Paragraph, Row, Table, Wrap};

pub fn render(state: &State, frame: &mut Frame, body: Rect, theme: &Theme) {
    let Some(tree) = &state.detail else {
        frame.render_widget(Paragraph::new(" Loading…"), body);
        return;
    };
    // The client box is as tall as its wrapped lines need (within limits).
    let columns = Layout::horizontal([Constraint::Fill(3), Constraint::Fill(2)]);
    let [_, who_columns] = columns.areas(body);
    let summary = Paragraph::new(summary_lines(state, theme)).wrap(Wrap { trim: true });
    let summary_h = summary.line_count(who_columns.width.saturating_sub(2));
    let top_h = (tree.series.len().max(summary_h) as u16 + 2).clamp(3, 9);
    // The sessions table takes the rows its sessions need (up to half of
    // what is left); the record below gets the rest.
    let listed = state
        .current_series()
        .map_or(1, |st| st.sessions.len().max(1)) as u16;
    let rest = body.height.saturating_sub(top_h);
    let sessions_h = (listed + 3).min(rest / 2).max(3);
    let [top, sessions, record] = Layout::vertical([
        Constraint::Length(top_h),
        Constraint::Length(sessions_h),
        Constraint::Fill(1),
    ])
    .areas(body);
    let [series_area, who] = columns.areas(top);
    series_list(state, frame, series_area, theme);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(format!(
            " Client ({} edits) ",
            state.keymap.say(Ctx::Client, Command::EditClient)
        ));
    frame.render_widget(summary.block(block), who);
    match state.current_series() {
        Some(st) => {
            sessions_table(state, st, frame, sessions, theme);
            session_record(state, &st.series.data.notes, frame, record, theme);
        }
        None => {
            let msg = format!(
                "No series yet. Press {} to start one (concern, zones, planned sessions).",
                state.keymap.say(Ctx::Client, Command::NewSeries)
            );
            frame.render_widget(
                Paragraph::new(msg).block(Block::bordered().border_type(BorderType::Rounded)),
                sessions,
            );
        }
    }
}

fn series_list(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(tree) = &state.detail else { return };
    let today = state.today();
    let lines: Vec<Line> = tree
        .series
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let s = &st.series.data;
            let done = st.sessions.len() as u32;
            let p = series_progress(done, s.planned_sessions);
            let last = st.sessions.last().map(|x| x.data.performed_at.date());
            let due = due_state(
                done,
                s.planned_sessions,
                s.status == crate::domain::SeriesStatus::Closed,
                last,
                (s.interval_min_days, s.interval_max_days),
                state.rules.maintenance_months,
                today,
            );
            let zones: Vec<&str> = s.zones.iter().map(|z| z.label()).collect();
            let style = if i == state.series_idx {
                theme.selected()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::raw(format!("{} {}/{} ", p.bar(), done, s.planned_sessions)),
                Span::styled(format!("{} ", s.concern.label()), theme.bold()),
                Span::raw("· "),
                Span::styled(
                    if due == crate::domain::DueState::Closed {
                        s.closure.describe()
                    } else {
                        due.to_string()
                    },
                    theme.due(Some(due)),
                ),
                Span::raw(if zones.is_empty() {
                    format!(" · from {}", s.started_on)
                } else {
                    format!(" · {} · from {}", zones.join(", "), s.started_on)
                }),
            ])
            .style(style)
        })
        .collect();
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Series (Tab switches) ");
    let p = if lines.is_empty() {
        Paragraph::new("none yet — S starts one")
    } else {
        Paragraph::new(lines)
    };
    frame.render_widget(p.block(block), area);
}

/// Who the client is and what to mind: skin types, date of birth, screening
/// answers, allergies, consent.
fn summary_lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let Some(tree) = &state.detail else {
        return Vec::new();
    };
    let c = &tree.client.data;
    let l = theme.dim();
    let mut lines = Vec::new();
    let mut first = Vec::new();
    if let Some(f) = c.fitzpatrick {
        first.push(format!("Fitzpatrick {f:?}"));
    }
    if let Some(g) = c.glogau {
        first.push(format!("Glogau {g:?}"));
    }
    if let Some(d) = c.date_of_birth {
        first.push(format!("born {d}"));
    }
    if !first.is_empty() {
        lines.push(Line::from(first.join(" · ")));
    }
    let ongoing = tree.ongoing_events(None);
    lines.extend(super::cautions::ongoing(&ongoing, theme));
    lines.extend(super::cautions::lines(c, theme));
    if let Some(d) = c.consent_on {
        lines.push(kv("Consent", d.to_string(), l));
    }
    if let Some(line) = guardian_line(c) {
        lines.push(kv("Guardian", line, l));
    }
    lines.push(kv("Photos", photo_consent_line(c), l));
    if tree.client.archived_at.is_some() {
        lines.push(Line::from(Span::styled("archived", theme.error())));
    }
    lines
}

/// The photo consent as the client screen shows it.
pub(crate) fn photo_consent_line(c: &crate::domain::ClientDraft) -> String {
    match (c.photo_consent_on, c.photo_consent_beyond) {
        (None, _) => "no photo consent".to_string(),
        (Some(d), false) => format!("Photo consent {d}, record only"),
        (Some(d), true) => format!("Photo consent {d}, beyond the record"),
    }
}

/// A guardian's consent as the client screen shows it: "signed DATE by WHO".
fn guardian_line(c: &crate::domain::ClientDraft) -> Option<String> {
    let who = c.guardian.trim();
    match (c.guardian_consent_on, who.is_empty()) {
        (None, true) => None,
        (Some(d), true) => Some(format!("consent signed {d}")),
        (Some(d), false) => Some(format!("consent signed {d} by {who}")),
        (None, false) => Some(format!("{who} (no consent date)")),
    }
}

use super::session::or_dash as o;

/// The sessions table's columns: heading and width.
const SESSION_COLUMNS: [(&str, Constraint); 12] = [
    ("#", Constraint::Length(2)),
    ("Date", Constraint::Length(10)),
    ("Depth", Constraint::Length(5)),
    ("Ery/Ede", Constraint::Length(7)),
    ("Pain", Constraint::Length(4)),
    ("Score", Constraint::Length(5)),
    ("Δ", Constraint::Length(5)),
    ("GAIS c/cl", Constraint::Length(9)),
    ("R/S/P days", Constraint::Length(11)),
    ("AE", Constraint::Length(3)),
    ("Ph", Constraint::Length(3)),
    ("Device", Constraint::Fill(1)),
];

fn sessions_table(state: &State, st: &SeriesTree, frame: &mut Frame, area: Rect, theme: &Theme) {
    let s = &st.series.data;
    let progress = progress_of(s.outcome_scale, s.baseline_score, &st.sessions);
    let page = usize::from(area.height.saturating_sub(3)).max(1);
    // The photo column only for a series with photos.
    let with_photos = st.sessions.iter().any(|x| state.photos.count(x.id) > 0);
    let start = state.session_idx.saturating_sub(page.saturating_sub(1));
    let rows = st
        .sessions
        .iter()
        .enumerate()
        .skip(start)
        .take(page)
        .map(|(i, x)| {
            let style = if i == state.session_idx {
                theme.selected()
            } else {
                Style::new()
            };
            let photos = state.photos.count(x.id);
            let cells = session_row(i + 1, x, &progress, photos, theme);
            Row::new(shown(cells, with_photos)).style(style)
        });
    let header = Row::new(shown(SESSION_COLUMNS.map(|(h, _)| h).to_vec(), with_photos))
        .style(theme.heading());
    let widths = shown(
        SESSION_COLUMNS.map(|(_, width)| width).to_vec(),
        with_photos,
    );
    let base = s
        .baseline_score
        .map_or("no baseline".into(), |b| format!("baseline {b}"));
    let title = format!(" Sessions · {} · {} ", s.outcome_scale.label(), base);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title);
    if st.sessions.is_empty() {
        frame.render_widget(
            Paragraph::new(format!(
                "No session yet. {} records the first.",
                state.keymap.say(Ctx::Client, Command::NewSession)
            ))
            .block(block),
            area,
        );
        return;
    }
    frame.render_widget(Table::new(rows, widths).header(header).block(block), area);
}

/// The index of the photo column in [`SESSION_COLUMNS`].
const PHOTO_COLUMN: usize = 10;

/// A row's cells (or the headings, or the widths) without the photo
/// column unless `with_photos`.
fn shown<T>(mut cells: Vec<T>, with_photos: bool) -> Vec<T> {
    if !with_photos && cells.len() > PHOTO_COLUMN {
        cells.remove(PHOTO_COLUMN);
    }
    cells
}

/// One row of the sessions table: visit `number` of the series.
fn session_row<'a>(
    number: usize,
    x: &'a Session,
    progress: &[ProgressPoint],
    photos: usize,
    theme: &Theme,
) -> Vec<Cell<'a>> {
    let d = &x.data;
    let change = progress
        .iter()
        .find(|p| p.visit as usize == number)
        .and_then(|p| p.improvement_pct)
        .map_or_else(|| "—".into(), |v| format!("{v:+.0}%"));
    let f = &d.followup;
    let downtime = if !f.is_recorded() {
        "◷ pending".to_string()
    } else {
        format!(
            "{}/{}/{}",
            o(f.redness_days),
            o(f.swelling_days),
            o(f.peeling_days)
        )
    };
    // ■ when one of them is still ongoing.
    let ae = if f.adverse_events.is_empty() {
        String::new()
    } else if f.adverse_events.iter().any(|e| e.is_ongoing()) {
        format!("■{}", f.adverse_events.len())
    } else {
        format!("⚠{}", f.adverse_events.len())
    };
    vec![
        Cell::from(number.to_string()),
        Cell::from(d.performed_at.format(crate::domain::DATE).to_string()),
        Cell::from(o(d.depth_mm)),
        Cell::from(format!("{}/{}", o(d.erythema), o(d.edema))),
        Cell::from(o(d.pain)),
        Cell::from(o(d.outcome_score)),
        Cell::from(change),
        Cell::from(format!(
            "{}/{}",
            o(d.gais_clinician.map(|g| g.value())),
            o(d.gais_client.map(|g| g.value()))
        )),
        Cell::from(downtime),
        Cell::from(Span::styled(ae, theme.error())),
        // ▣ and how many photos the session has.
        Cell::from(if photos > 0 {
            format!("▣{photos}")
        } else {
            String::new()
        }),
        Cell::from(fit(&d.device, 20)),
    ]
}

/// A session's record as two columns: what was done (with its notes),
/// and what was seen (with the follow-up and the warnings seen at save).
fn record_columns<'a>(
    d: &SessionDraft,
    pending: &'a str,
    theme: &Theme,
    prolonged_after: u8,
) -> (Vec<Line<'a>>, Vec<Line<'a>>) {
    let l = theme.dim();
    let join = session::joined;
    let mut left = vec![kv("When", d.performed_at.format(DATETIME).to_string(), l)];
    left.extend(session::before_needling(d, theme));
    left.extend(session::treatment(d, theme));
    left.extend([
        kv("Passes", o(d.passes), l),
        kv("Serum", d.serum.clone(), l),
        kv(
            "Numbing",
            join(&[
                &d.numbing,
                &d.numbing_minutes
                    .map(|m| format!("{m} min"))
                    .unwrap_or_default(),
            ]),
            l,
        ),
        kv(
            "Duration",
            o(d.duration_minutes.map(|m| format!("{m} min"))),
            l,
        ),
        kv("Endpoint", d.endpoint.clone(), l),
        kv("Lots", join(&[&d.cartridge_lot, &d.serum_lot]), l),
    ]);
    let mut right = vec![
        session::end_of_session(d, theme),
        kv("Outcome score", o(d.outcome_score), l),
        kv(
            "GAIS clinician",
            o(d.gais_clinician
                .map(|g| format!("{} {}", g.value(), g.label()))),
            l,
        ),
        kv(
            "GAIS client",
            o(d.gais_client
                .map(|g| format!("{} {}", g.value(), g.label()))),
            l,
        ),
        kv("Satisfaction", o(d.satisfaction), l),
    ];
    right.extend(session::followup(
        &d.followup,
        pending,
        theme,
        prolonged_after,
    ));
    for w in &d.acknowledged_warnings {
        let style = match w.weight() {
            Some(Weight::Stop) => theme.error(),
            _ => theme.faint(),
        };
        let text = format!("seen at save: {}", w.weighted());
        right.push(Line::from(Span::styled(text, style)));
    }
    if !d.notes.is_empty() {
        left.extend(super::text::kv_lines("Notes", &d.notes, l));
    }
    (left, right)
}

/// The selected session's record in two columns (paged when long), with
/// the series' plan notes at the end; only those when there is no session.
fn session_record(state: &State, plan_notes: &str, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (x, page, keymap) = (state.current_session(), state.record_page(), &state.keymap);
    let followup_key = keymap.say(Ctx::Client, Command::Followup);
    let title = format!(
        " Session record ({} edits, {followup_key} follow-up) ",
        keymap.say(Ctx::Client, Command::EditSession)
    );
    let pending = format!("◷ follow-up not recorded ({followup_key})");
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title);
    let l = theme.dim();
    let plan = if plan_notes.trim().is_empty() {
        Vec::new()
    } else {
        super::text::kv_lines("Plan notes", plan_notes, l)
    };
    let Some(x) = x else {
        frame.render_widget(Paragraph::new(plan).block(block), area);
        return;
    };
    let prolonged_after = state.rules.prolonged_erythema_days;
    let (mut left, mut right) = record_columns(&x.data, &pending, theme, prolonged_after);
    right.extend(photo_lines(state, x.id, theme));
    left.extend(plan);
    let inner = block.inner(area);
    let [a, b] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
        .spacing(2)
        .areas(inner);
    let left = Paragraph::new(left).wrap(Wrap { trim: false });
    let right = Paragraph::new(right).wrap(Wrap { trim: false });
    // A record longer than its pane is read a page at a time (J/K).
    let rows = usize::from(inner.height).max(1);
    let needed = left.line_count(a.width).max(right.line_count(b.width));
    let pages = needed.div_ceil(rows).max(1);
    let shown = page.rem_euclid(pages as i32) as usize;
    let block = if pages > 1 {
        block.title_bottom(
            Line::from(format!(
                " page {}/{pages} · {}/{} turns ",
                shown + 1,
                keymap.say(Ctx::Client, Command::RecordNextPage),
                keymap.say(Ctx::Client, Command::RecordPrevPage)
            ))
            .right_aligned(),
        )
    } else {
        block
    };
    frame.render_widget(block, area);
    let scroll = ((shown * rows) as u16, 0);
    frame.render_widget(left.scroll(scroll), a);
    frame.render_widget(right.scroll(scroll), b);
}

/// The selected session's photos: view (and zone), when taken, and where
/// that time comes from.
fn photo_lines(state: &State, session: i64, theme: &Theme) -> Vec<Line<'static>> {
    let photos = state.photos.of_session(session);
    if photos.is_empty() {
        return Vec::new();
    }
    let l = theme.dim();
    let mut out = vec![kv(
        "Photos",
        format!(
            "{} ({} compares)",
            photos.len(),
            state.keymap.say(Ctx::Client, Command::ComparePhotos)
        ),
        l,
    )];
    for p in photos {
        let d = &p.photo.data;
        let view = crate::domain::photo::stored_view_label(&d.view, &d.zone);
        let from = if d.taken_from == "exif" {
            "camera"
        } else {
            "file time"
        };
        out.push(Line::from(Span::styled(
            format!(
                "  ▣ {view} · {} ({from})",
                d.taken_at.format("%Y-%m-%d %H:%M")
            ),
            theme.faint(),
        )));
    }
    out
}
