//! Drawing: `render(&State, &mut Frame)` and nothing else. No query, no
//! write, no clock: everything shown comes from the state.

mod cautions;
mod chart;
mod client;
mod clients;
mod form;
mod help;
pub mod lock;
pub mod photos;
mod session;
pub use crate::app::help::SYMBOLS;
use crate::app::layout;
use crate::app::layout::centered;
mod text;
pub(crate) mod theme;
mod today;

use crate::app::keymap::{Command, Ctx, Keymap};
use crate::app::{Confirm, Screen, State};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use theme::Theme;

pub fn render(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(&state.palette, state.color);
    if layout::too_small(area) {
        too_small(frame, area, &theme);
        return;
    }
    let [title, body, status, hint] = layout::frame(area);
    title_bar(state, frame, title, &theme);
    match state.screen {
        Screen::Clients => clients::render(state, frame, body, &theme),
        Screen::Client => client::render(state, frame, body, &theme),
        Screen::Chart => chart::render(state, frame, body, &theme),
        Screen::Today => today::render(state, frame, body, &theme),
        Screen::Photos => match &state.photos.compare {
            Some(c) => photos::render_compare(c, &state.photos.cache, frame, body, &theme),
            None => client::render(state, frame, body, &theme),
        },
    }
    status_line(state, frame, status, &theme);
    hint_bar(state, frame, hint, &theme);
    if let Some(fs) = &state.form {
        let confirm_key = state.keymap.say(Ctx::Form, Command::ConfirmCheck);
        form::render(fs, frame, body, &theme, &confirm_key);
    }
    if state.help {
        help::render(
            frame,
            body,
            state.help_scroll,
            (&state.keymap, &state.config_label),
            &theme,
        );
    }
    if let Some(c) = &state.confirm {
        confirm(c, frame, area, &theme);
    }
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let msg = format!(
        "Terminal too small: {}×{}. needlelog needs at least {}×{}.",
        area.width,
        area.height,
        layout::MIN_WIDTH,
        layout::MIN_HEIGHT
    );
    let p = Paragraph::new(msg)
        .style(theme.warning())
        .wrap(Wrap { trim: true });
    frame.render_widget(p, area);
}

fn title_bar(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let where_ = match state.screen {
        Screen::Clients => "Clients".to_string(),
        Screen::Today => "Today".to_string(),
        Screen::Client | Screen::Chart | Screen::Photos => state
            .detail
            .as_ref()
            .map(|d| d.client.data.name.clone())
            .unwrap_or_else(|| "Loading…".into()),
    };
    let mut spans = vec![Span::styled(" needlelog ", theme.title())];
    if state.demo {
        spans.push(Span::styled(" DEMO ", theme.demo()));
    }
    if state.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.error()));
    }
    spans.push(Span::raw(" "));
    spans.push(Span::styled(where_, theme.bold()));
    if state.screen == Screen::Chart {
        spans.push(Span::raw(" · progress chart"));
    }
    if state.screen == Screen::Photos {
        spans.push(Span::raw(" · photos"));
    }
    let right = format!(
        "{} · {} ",
        state.now.format("%a %Y-%m-%d %H:%M"),
        state.db_label
    );
    let left = Line::from(spans);
    // Date and database, else the database alone, where the left side leaves room.
    let room = area.width.saturating_sub(left.width() as u16 + 2);
    frame.render_widget(Paragraph::new(left).style(theme.bar()), area);
    let label = format!("{} ", state.db_label);
    let fits = [right, label]
        .into_iter()
        .find(|t| (text::width(t) as u16) <= room);
    if let Some(t) = fits {
        let w = text::width(&t) as u16;
        let r = Rect::new(area.x + area.width - w, area.y, w, 1);
        frame.render_widget(Paragraph::new(t).style(theme.bar()), r);
    }
}

fn status_line(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (text, style) = match &state.status {
        Some(s) if s.error => (s.text.clone(), theme.error()),
        Some(s) => (s.text.clone(), theme.info()),
        None => (String::new(), theme.dim()),
    };
    frame.render_widget(Paragraph::new(format!(" {text}")).style(style), area);
}

fn hint_bar(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let keymap = &state.keymap;
    let key = |cmd| keymap.short_key(Ctx::Global, cmd);
    let hints: Vec<(String, &str)> = if state.confirm.is_some() {
        vec![("y".into(), "yes"), ("n/Esc".into(), "no")]
    } else if state.help {
        vec![
            (
                format!("{}/{}", key(Command::Down), key(Command::Up)),
                "scroll",
            ),
            (
                format!("{}/{}", key(Command::Help), key(Command::Back)),
                "close help",
            ),
        ]
    } else {
        keymap.hints(state.ctx())
    };
    let width = |keys: &str, label: &str| text::width(keys) + text::width(label) + 3;
    // The help key always shows, however narrow: it leads to every other
    // key. (Found by its label: the key itself may be remapped.)
    let help = hints.iter().position(|&(_, label)| label == "help");
    let reserved = help.map_or(0, |i| width(&hints[i].0, hints[i].1));
    let mut shown: Vec<usize> = Vec::new();
    for (i, (keys, label)) in hints.iter().enumerate() {
        if Some(i) == help {
            continue;
        }
        let piece = width(keys, label);
        if used + piece + reserved > usize::from(area.width) {
            break;
        }
        used += piece;
        shown.push(i);
    }
    shown.extend(help);
    shown.sort_unstable();
    for i in shown {
        let (keys, label) = &hints[i];
        spans.push(Span::styled(format!(" {keys}"), theme.key()));
        spans.push(Span::styled(format!(" {label} "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.bar()), area);
}

/// How many lines the help overlay has with the default keys, one per
/// key or symbol.
pub fn help_lines() -> u16 {
    help_text().len() as u16
}

/// How far the help overlay (default keys) scrolls on a terminal of `size`.
pub fn help_scroll_max(size: (u16, u16)) -> u16 {
    crate::app::help::scroll_max_for(&Keymap::default(), size)
}

/// The help overlay's lines as plain text with the default keys: keys,
/// then symbols.
pub fn help_text() -> Vec<String> {
    help_text_for(&Keymap::default())
}

/// The help overlay's lines as plain text with the keys of `keymap`.
pub fn help_text_for(keymap: &Keymap) -> Vec<String> {
    crate::app::help::text(keymap)
}

fn confirm(c: &Confirm, frame: &mut Frame, area: Rect, theme: &Theme) {
    let question = match c {
        Confirm::Discard => "Discard the changes in this form?".to_string(),
        Confirm::Quit => "Quit and lose the changes in this form?".to_string(),
        Confirm::Archive {
            name,
            archive: true,
            ..
        } => format!("Archive {name}? Their records are kept."),
        Confirm::Archive {
            name,
            archive: false,
            ..
        } => format!("Restore {name} to the working list?"),
        Confirm::ResumeDraft {
            draft, saved_at, ..
        } => format!(
            "{} was left half-filled when the terminal closed ({} UTC).\nResume it?",
            draft.title,
            saved_at.get(..16).unwrap_or(saved_at).replace('T', " ")
        ),
        Confirm::Revert {
            way,
            summary,
            about,
            on_screen,
            ..
        } => match on_screen {
            Some(here) => format!(
                "{}: {summary}?\n(this is about {about}, not {here})",
                way.verb()
            ),
            None => format!("{}: {summary}?\n(this is about {about})", way.verb()),
        },
        Confirm::Rescale {
            plan, scored, from, ..
        } => format!(
            "Change the outcome scale from {} to {}?\n\
             The {scored} score(s) already recorded on the old scale are cleared\n\
             (the new scale cannot read them; u undoes the change).",
            from.label(),
            plan.outcome_scale.label()
        ),
        Confirm::Reopen { what, closed, .. } => {
            format!("Reopen {what}?\nIt was {closed}; it becomes due again.")
        }
        Confirm::Overwrite(request) => {
            format!("{} exists.\nReplace it?", request.path.display())
        }
    };
    let longest = question.lines().map(text::width).max().unwrap_or(0) as u16;
    let w = (longest + 6).clamp(30, area.width.saturating_sub(4).max(30));
    let inner = w.saturating_sub(4).max(1);
    let lines: u16 = question
        .lines()
        .map(|l| (text::width(l) as u16).div_ceil(inner).max(1))
        .sum();
    let r = centered(area, w, lines + 4);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Confirm ")
        .style(theme.popup());
    let mut text_lines: Vec<Line> = question
        .lines()
        .map(|l| Line::from(l.to_string()))
        .collect();
    text_lines.push(Line::from(""));
    text_lines.push(Line::from("y = yes    n / Esc = no"));
    let p = Paragraph::new(text_lines)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true })
        .block(block);
    frame.render_widget(p, r);
}
