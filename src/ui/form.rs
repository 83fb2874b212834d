//! Drawing a form: warnings on top, then one field per line (multi-choice
//! fields wrap), each with its hint or the reason it is invalid.

use super::text::{fit, width};
use super::theme::Theme;
use crate::app::form::{Field, FormWarning, Kind, NotesArea};
use crate::app::{FormState, Purpose};
use crate::domain::{Warning, Weight};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use ratatui_textarea::TextArea;

const LABEL_W: usize = 26;

/// `confirm_key`: the key that confirms a session's pre-treatment check,
/// named in the warning that it is not confirmed yet.
pub fn render(fs: &FormState, frame: &mut Frame, body: Rect, theme: &Theme, confirm_key: &str) {
    let area = body;
    frame.render_widget(Clear, area);
    let form = &fs.form;
    let dirty = if form.dirty { " · changed" } else { "" };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(format!(" {}{dirty} ", form.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    let mut lines = header_lines(fs, w, theme, confirm_key);
    let top = lines.len();
    // Field lines, remembering where the focused field starts.
    let mut focus_line = 0;
    let mut focus_end = 0;
    let mut cursor: Option<(usize, u16)> = None;
    let mut field_lines: Vec<Line> = Vec::new();
    // Notes editors drawn over the blank rows their fields leave: (first
    // row, rows, editor, focused).
    let mut boxes: Vec<(usize, usize, &NotesArea, bool)> = Vec::new();
    for (i, f) in form.fields.iter().enumerate().filter(|(_, f)| !f.hidden) {
        if let Some(section) = &f.section {
            field_lines.push(Line::from(Span::styled(
                format!("── {section} "),
                theme.heading(),
            )));
        }
        let focused = i == form.focus;
        if focused {
            focus_line = field_lines.len();
        }
        if let Kind::Notes(notes) = &f.kind {
            let rows = notes_rows(notes, focused, w.saturating_sub(LABEL_W + 1));
            boxes.push((field_lines.len(), rows, notes.as_ref(), focused));
            field_lines.extend(notes_lines(f, rows, focused, theme));
        } else {
            let (mut flines, cur) = field(f, focused, w, theme);
            if let Some(c) = cur {
                cursor = Some((field_lines.len(), c));
            }
            field_lines.append(&mut flines);
        }
        if focused {
            focus_end = field_lines.len();
        }
    }
    let room = usize::from(inner.height).saturating_sub(top).max(1);
    let scroll = (focus_end + 1)
        .saturating_sub(room)
        .min(focus_line)
        .min(field_lines.len().saturating_sub(room));
    lines.extend(field_lines.into_iter().skip(scroll).take(room));
    frame.render_widget(Paragraph::new(lines), inner);
    let view = View {
        inner,
        top,
        scroll,
        room,
    };
    for (first, rows, notes, focused) in boxes {
        draw_notes(frame, &view, (first, rows), notes, focused, theme);
    }
    if let Some((line, col)) = cursor
        && line >= scroll
        && line - scroll < room
    {
        let y = inner.y + (top + line - scroll) as u16;
        let x = inner.x + col.min(inner.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, y));
    }
}

/// Above the fields: the client's allergies before a session is written
/// (the warnings name screening answers and a missing consent), then the
/// warnings, wrapped rather than cut: every word is meant to be read.
fn header_lines<'a>(
    fs: &'a FormState,
    w: usize,
    theme: &Theme,
    confirm_key: &str,
) -> Vec<Line<'a>> {
    let form = &fs.form;
    let mut lines: Vec<Line> = Vec::new();
    if let Purpose::NewSession { ctx, .. } | Purpose::EditSession { ctx, .. } = &fs.purpose
        && !ctx.client.allergies.trim().is_empty()
    {
        let text = format!("Allergies: {}", ctx.client.allergies.trim());
        for part in crate::app::layout::wrap(&text, w.max(1)) {
            lines.push(Line::from(Span::styled(part, theme.warning())));
        }
    }
    for warning in &form.warnings {
        let (weight, style) = match warning.weight() {
            Weight::Stop => (Weight::Stop.label(), theme.error()),
            Weight::Caution => (Weight::Caution.label(), theme.warning()),
        };
        let room = w.saturating_sub(2).max(1);
        let mut text = format!("{weight}: {warning}");
        if let FormWarning::Session(Warning::PreCheckUnconfirmed { .. }) = warning {
            text.push_str(&format!(" with {confirm_key}"));
        }
        for (i, part) in crate::app::layout::wrap(&text, room)
            .into_iter()
            .enumerate()
        {
            let mark = match (i, warning.weight()) {
                (0, Weight::Stop) => "■ ",
                (0, Weight::Caution) => "⚠ ",
                _ => "  ",
            };
            lines.push(Line::from(Span::styled(
                fit(&format!("{mark}{part}"), w),
                style,
            )));
        }
    }
    if !form.warnings.is_empty() && form.records_warnings {
        lines.push(Line::from(Span::styled(
            "Saving records that these warnings were seen.",
            theme.faint(),
        )));
    }
    lines
}

/// Where the field lines landed: the form's inside, the rows above the
/// fields, how far they scrolled and how many rows they had.
struct View {
    inner: Rect,
    top: usize,
    scroll: usize,
    room: usize,
}

/// A notes editor over the rows (`first`, `rows` of the field lines) its
/// field left blank, as far as they are in view.
fn draw_notes(
    frame: &mut Frame,
    v: &View,
    (first, rows): (usize, usize),
    notes: &NotesArea,
    focused: bool,
    theme: &Theme,
) {
    let (start, end) = (first.max(v.scroll), (first + rows).min(v.scroll + v.room));
    if start >= end {
        return;
    }
    let r = Rect::new(
        v.inner.x + LABEL_W as u16,
        v.inner.y + (v.top + start - v.scroll) as u16,
        v.inner.width.saturating_sub(LABEL_W as u16 + 1),
        (end - start) as u16,
    );
    if focused {
        // The field being edited is drawn itself: the editor learns its
        // width and scroll from the drawing (wrapped lines, ↑/↓ by row).
        frame.render_widget(&notes.area, r);
    } else {
        frame.render_widget(&notes_editor(notes, theme), r);
    }
}

/// How many rows a notes field shows: its lines as wrapped to `w`, and a
/// row to type on when focused; at least 1, at most 6.
fn notes_rows(notes: &NotesArea, focused: bool, w: usize) -> usize {
    let w = w.max(1);
    let rows: usize = notes
        .area
        .lines()
        .iter()
        .map(|l| width(l).div_ceil(w).max(1))
        .sum();
    (rows + usize::from(focused)).clamp(1, 6)
}

/// A notes field's rows: the label on the first (the editor is drawn over
/// the rest of the row), blank rows under it, then its hint or error.
fn notes_lines<'a>(f: &'a Field, rows: usize, focused: bool, theme: &Theme) -> Vec<Line<'a>> {
    let label_style = if focused {
        theme.focused()
    } else {
        theme.dim()
    };
    let marker = if focused { "▸ " } else { "  " };
    let mut lines = vec![Line::from(Span::styled(
        format!("{marker}{:<width$}", f.label, width = LABEL_W - 2),
        label_style,
    ))];
    lines.extend((1..rows).map(|_| Line::from("")));
    let note = match &f.error {
        Some(e) => Some(Span::styled(format!("✗ {e}"), theme.error())),
        None if focused => Some(Span::styled(f.hint.clone(), theme.faint())),
        None => None,
    };
    if let Some(note) = note {
        lines.push(Line::from(vec![Span::raw(" ".repeat(LABEL_W)), note]));
    }
    lines
}

/// A notes field not being edited: its text, without a cursor.
fn notes_editor(notes: &NotesArea, theme: &Theme) -> TextArea<'static> {
    let mut area = notes.area.clone();
    area.set_cursor_line_style(Style::new());
    area.set_cursor_style(Style::new());
    area.set_style(theme.bar());
    area
}

/// The lines of one field and, for a focused text field, the cursor column.
fn field<'a>(f: &'a Field, focused: bool, w: usize, theme: &Theme) -> (Vec<Line<'a>>, Option<u16>) {
    let label_style = if focused {
        theme.focused()
    } else {
        theme.dim()
    };
    let marker = if focused { "▸ " } else { "  " };
    let label = Span::styled(
        format!("{marker}{:<width$}", f.label, width = LABEL_W - 2),
        label_style,
    );
    let note = match &f.error {
        Some(e) => Span::styled(format!("  ✗ {e}"), theme.error()),
        None if f.hint.is_empty() => Span::raw(""),
        None => Span::styled(format!("  {}", f.hint), theme.faint()),
    };
    let value_w = w.saturating_sub(LABEL_W + 1);
    match &f.kind {
        // Drawn by `notes_lines` and the editor.
        Kind::Notes(_) => (Vec::new(), None),
        Kind::Text { .. } => {
            let value = f.value();
            // Keep the cursor in view when the text is wider than the box.
            let scroll = f.input.visual_scroll(value_w.saturating_sub(1).max(1));
            let shown: String = value.chars().skip(scroll).collect();
            let shown = fit(&shown, value_w.max(1));
            let shown_w = width(&shown);
            let style = if focused { theme.bold() } else { Style::new() };
            let mut spans = vec![label, Span::styled(shown, style)];
            if shown_w + width(&note.content) <= value_w {
                spans.push(note);
                (
                    vec![Line::from(spans)],
                    focused.then(|| (LABEL_W + f.input.visual_cursor() - scroll) as u16),
                )
            } else {
                let line2 = Line::from(vec![Span::raw(" ".repeat(LABEL_W)), note]);
                (
                    vec![Line::from(spans), line2],
                    focused.then(|| (LABEL_W + f.input.visual_cursor() - scroll) as u16),
                )
            }
        }
        Kind::Choice { options, selected } => {
            let value = options.get(*selected).cloned().unwrap_or_default();
            let style = if focused {
                theme.selected()
            } else {
                theme.bold()
            };
            let arrows = if focused { ("‹ ", " ›") } else { ("", "") };
            let spans = vec![
                label,
                Span::raw(arrows.0),
                Span::styled(value, style),
                Span::raw(arrows.1),
                if focused { note } else { Span::raw("") },
            ];
            (vec![Line::from(spans)], None)
        }
        Kind::Multi {
            options,
            on,
            cursor,
        } => {
            let ticks = Ticks {
                options,
                on,
                cursor: *cursor,
            };
            (multi_lines(f, &ticks, label, note, focused, w, theme), None)
        }
    }
}

/// A multi-choice field's options, which are ticked, and the cursor.
struct Ticks<'a> {
    options: &'a [String],
    on: &'a [bool],
    cursor: usize,
}

/// A multi-choice field: its options wrapped under the label (only the
/// ticked ones unless focused), then its hint or error.
fn multi_lines<'a>(
    f: &Field,
    t: &Ticks<'_>,
    label: Span<'a>,
    note: Span<'a>,
    focused: bool,
    w: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut spans = vec![label];
    let mut used = LABEL_W;
    for (i, opt) in t.options.iter().enumerate() {
        let checked = t.on.get(i).copied().unwrap_or(false);
        if !focused && !checked {
            continue;
        }
        let text = format!("[{}] {opt}", if checked { "x" } else { " " });
        let tw = width(&text) + 2;
        if used + tw > w && used > LABEL_W {
            lines.push(Line::from(std::mem::take(&mut spans)));
            spans.push(Span::raw(" ".repeat(LABEL_W)));
            used = LABEL_W;
        }
        let style = if focused && i == t.cursor {
            theme.selected()
        } else if checked {
            theme.bold()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw("  "));
        used += tw;
    }
    if !focused && t.on.iter().all(|c| !c) {
        spans.push(Span::styled("none", theme.faint()));
    }
    lines.push(Line::from(spans));
    if focused || f.error.is_some() {
        lines.push(Line::from(vec![Span::raw(" ".repeat(LABEL_W)), note]));
    }
    lines
}
