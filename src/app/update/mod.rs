//! `update(state, action) -> effects`: every change of the interface state,
//! without any IO.

use super::forms;
use super::keymap::{Command, Ctx};
use super::list::View;
use super::{Action, Confirm, Effect, Focus, Purpose, Screen, State, Status, Write};
use crate::app::layout;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use tui_input::backend::crossterm::EventHandler;

mod focus;
mod form_flow;
mod loaded;
mod navigate;
mod photos;
mod undo;

use focus::reload;
use form_flow::{
    close_or_reopen, edit_client, edit_plan, edit_session, followup, new_series, new_session,
    open_export, open_form, resume, revalidate, save,
};
use navigate::{cycle_series, keep_in_view, move_by, navigate};

pub fn update(s: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(k) if k.kind == KeyEventKind::Release => Vec::new(),
        Action::Key(k) => key(s, k),
        Action::Paste(text) => paste(s, &text),
        Action::Mouse(m) => mouse(s, m),
        Action::Resize(w, h) => {
            s.size = (w, h);
            keep_in_view(s);
            if s.screen == Screen::Photos {
                vec![Effect::PreparePhotos]
            } else {
                Vec::new()
            }
        }
        Action::Tick(now) => {
            let new_day = now.date() != s.now.date();
            s.now = now;
            if new_day && s.screen == Screen::Today {
                vec![Effect::LoadClients, Effect::LoadToday(s.today())]
            } else if new_day {
                vec![Effect::LoadClients]
            } else {
                Vec::new()
            }
        }
        Action::FirstPage(rows) => {
            s.replace_rows(rows);
            s.partial = true;
            preview_effect(s)
        }
        Action::ClientsLoaded(rows) => loaded::clients(s, rows),
        Action::PreviewLoaded(p) => {
            s.preview = p.map(|b| *b);
            Vec::new()
        }
        Action::DetailLoaded(tree) => loaded::detail(s, *tree),
        Action::NamesakesLoaded(namesakes) => loaded::namesakes(s, namesakes),
        Action::TodayLoaded(day, sessions) => {
            s.today_work = super::today::Today::build(day, sessions, &s.rows);
            s.today_idx = s
                .today_idx
                .min(s.today_work.items().len().saturating_sub(1));
            Vec::new()
        }
        Action::ClientGone(id) => loaded::client_gone(s, id),
        Action::Saved { message, focus } => {
            s.close_form();
            s.confirm = None;
            info(s, message);
            reload(s, focus)
        }
        Action::Exported(message) => {
            s.close_form();
            info(s, message);
            Vec::new()
        }
        Action::DraftFound(id, draft, saved_at) => {
            if s.confirm.is_none() && s.form.is_none() {
                s.confirm = Some(Confirm::ResumeDraft {
                    id,
                    draft,
                    saved_at,
                });
            }
            Vec::new()
        }
        Action::Warn(text) => {
            error(s, text);
            Vec::new()
        }
        Action::Damaged(why) => loaded::damaged(s, &why),
        Action::Failed(message) => {
            // A form stays open: nothing typed is lost when a save fails.
            error(s, message);
            Vec::new()
        }
        Action::NextChange(way, next) => undo::offered(s, way, next.map(|b| *b)),
        Action::Reverted(way, done) => undo::reverted(s, way, done.map(|b| *b)),
        Action::FolderListed(typed, entries) => photos::listed(s, typed, entries),
        Action::PathProbed(typed, probe) => photos::probed(s, typed, probe),
        Action::PhotosLoaded(client, list, consent) => photos::loaded(s, client, list, consent),
        Action::CompareLoaded(c) => photos::compare_loaded(s, *c),
        Action::PhotoOpened(text) => {
            info(s, text);
            Vec::new()
        }
    }
}

fn info(s: &mut State, text: impl Into<String>) {
    s.status = Some(Status {
        text: text.into(),
        error: false,
    });
}

fn error(s: &mut State, text: impl Into<String>) {
    s.status = Some(Status {
        text: text.into(),
        error: true,
    });
}

fn key(s: &mut State, k: KeyEvent) -> Vec<Effect> {
    if let Some(c) = s.confirm.clone() {
        return confirm(s, c, k);
    }
    if s.help {
        let max = crate::app::help::scroll_max_for(&s.keymap, s.size);
        match s.keymap.lookup(Ctx::Global, &k) {
            Some(Command::Down) => s.help_scroll = (s.help_scroll + 1).min(max),
            Some(Command::Up) => s.help_scroll = s.help_scroll.saturating_sub(1),
            Some(Command::PageDown | Command::HalfPageDown) => {
                s.help_scroll = (s.help_scroll + 10).min(max)
            }
            Some(Command::PageUp | Command::HalfPageUp) => {
                s.help_scroll = s.help_scroll.saturating_sub(10)
            }
            Some(Command::Top) => s.help_scroll = 0,
            Some(Command::Bottom) => s.help_scroll = max,
            Some(Command::Help | Command::Back | Command::Quit) => s.help = false,
            Some(Command::ForceQuit) => {
                s.quit = true;
                return vec![Effect::Quit];
            }
            _ => {}
        }
        return Vec::new();
    }
    if let Some(fx) = photos::form_key(s, k) {
        return fx;
    }
    let ctx = s.ctx();
    // In a notes field ↑ and ↓ move between its lines (Tab leaves it).
    let in_notes = s
        .form
        .as_ref()
        .and_then(|fs| fs.form.fields.get(fs.form.focus))
        .is_some_and(|f| f.is_notes());
    let bound = s
        .keymap
        .lookup(ctx, &k)
        .filter(|_| !(in_notes && matches!(k.code, KeyCode::Up | KeyCode::Down)));
    match (bound, ctx) {
        (Some(cmd), _) => command(s, cmd),
        (None, Ctx::Form) => {
            if let Some(fs) = s.form.as_mut()
                && fs.form.key(k)
            {
                if matches!(fs.purpose, Purpose::AddClient | Purpose::NewSeries { .. }) {
                    forms::series::follow_concern(&mut fs.form, &s.settings.defaults);
                }
                revalidate(fs, s.now);
            }
            photos::changed(s)
        }
        (None, Ctx::Filter) => {
            if s.filter.handle_event(&Event::Key(k)).is_some() {
                s.refilter();
                return preview_effect(s);
            }
            Vec::new()
        }
        (None, _) => Vec::new(),
    }
}

fn confirm(s: &mut State, c: Confirm, k: KeyEvent) -> Vec<Effect> {
    let yes = matches!(
        k.code,
        KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
    );
    let no = matches!(
        k.code,
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc
    );
    if !yes && !no {
        return Vec::new();
    }
    s.confirm = None;
    if no {
        if let Confirm::ResumeDraft { id, .. } = c {
            info(s, "The kept form was discarded");
            return vec![Effect::DeleteDraft(id)];
        }
        return Vec::new();
    }
    match c {
        Confirm::ResumeDraft { id, draft, .. } => {
            let mut fx = vec![Effect::DeleteDraft(id)];
            match draft.target.client_id() {
                Some(client) => {
                    s.resume = Some(draft);
                    s.screen = Screen::Client;
                    s.detail = None;
                    fx.push(Effect::LoadDetail(client));
                }
                None => fx.extend(resume(s, &draft)),
            }
            fx
        }
        Confirm::Discard => {
            s.close_form();
            info(s, "Changes discarded");
            Vec::new()
        }
        Confirm::Quit => {
            s.quit = true;
            vec![Effect::Quit]
        }
        Confirm::Archive { id, archive, .. } => {
            vec![Effect::Write(Box::new(Write::Archive(id, archive)))]
        }
        Confirm::Revert { way, change_id, .. } => vec![Effect::Revert(way, change_id)],
        Confirm::Rescale { id, plan, .. } => {
            info(s, "Saving…");
            vec![Effect::Write(Box::new(Write::EditPlan(id, *plan, true)))]
        }
        Confirm::Reopen { id, .. } => vec![Effect::Write(Box::new(Write::ReopenSeries(id)))],
        Confirm::Overwrite(request) => {
            info(s, "Exporting…");
            vec![Effect::Export(request)]
        }
    }
}

/// One command, handed to the function that carries it out.
fn command(s: &mut State, cmd: Command) -> Vec<Effect> {
    use Command as C;
    match cmd {
        C::Quit => quit(s),
        C::ForceQuit => force_quit(s),
        C::Help => show_help(s),
        C::Suspend => vec![Effect::Suspend],
        C::Back => back(s),
        C::Cancel => cancel(s),
        C::Filter => start_filter(s),
        C::AcceptFilter => {
            s.filtering = false;
            Vec::new()
        }
        C::EditPlan => edit_plan(s),
        C::CloseSeries => close_or_reopen(s),
        C::RecordNextPage => turn_record_page(s, 1),
        C::RecordPrevPage => turn_record_page(s, -1),
        C::Undo => undo::ask(s, crate::db::UndoRedo::Undo),
        C::Redo => undo::ask(s, crate::db::UndoRedo::Redo),
        C::Up
        | C::Down
        | C::Top
        | C::Bottom
        | C::PageUp
        | C::PageDown
        | C::HalfPageUp
        | C::HalfPageDown => navigate(s, cmd),
        C::Open if s.screen == Screen::Today => open_today_item(s),
        C::Open => open_selected(s),
        C::Today => {
            s.screen = Screen::Today;
            s.today_idx = 0;
            vec![Effect::LoadToday(s.today())]
        }
        C::CycleView => cycle_view(s),
        C::CycleSort => cycle_sort(s),
        C::AddClient => {
            let form = forms::client::add_form(s.today(), &s.settings.defaults);
            open_form(s, form, Purpose::AddClient)
        }
        C::EditClient => edit_client(s),
        C::NewSession => new_session(s),
        C::NewSeries => new_series(s),
        C::EditSession => edit_session(s),
        C::Followup => followup(s),
        C::Chart => open_chart(s),
        C::NextSeries => cycle_series(s, true),
        C::PrevSeries => cycle_series(s, false),
        C::Archive => ask_archive(s),
        C::Export => open_export(s),
        C::Save => save(s),
        C::NextField => move_focus(s, true),
        C::PrevField => move_focus(s, false),
        C::ClearField => clear_field(s),
        C::ConfirmCheck => form_flow::confirm_check(s),
        C::AttachPhotos => photos::attach(s),
        C::ComparePhotos => photos::compare(s),
        C::PrevVisit => photos::step(s, false),
        C::NextVisit => photos::step(s, true),
        C::PhotoView => photos::cycle_view(s),
        C::OpenPhoto => photos::open(s),
    }
}

fn quit(s: &mut State) -> Vec<Effect> {
    s.quit = true;
    vec![Effect::Quit]
}

/// `Ctrl-C`: quits, but asks first when a form holds unsaved changes.
fn force_quit(s: &mut State) -> Vec<Effect> {
    if s.form.as_ref().is_some_and(|f| f.form.dirty) {
        s.confirm = Some(Confirm::Quit);
        Vec::new()
    } else {
        quit(s)
    }
}

fn show_help(s: &mut State) -> Vec<Effect> {
    s.help = true;
    s.help_scroll = 0;
    Vec::new()
}

/// `/`: filtering is done on the home screen, whatever screen it starts on.
fn start_filter(s: &mut State) -> Vec<Effect> {
    s.screen = Screen::Clients;
    s.filtering = true;
    // A filter already set is edited, from its end.
    s.filter = tui_input::Input::new(s.filter.value().to_string());
    Vec::new()
}

/// `Enter` on the home screen: opens the selected client, loading their
/// records (a detail left from another client is dropped first).
fn open_selected(s: &mut State) -> Vec<Effect> {
    let Some(id) = s.selected_row().map(|r| r.id) else {
        return Vec::new();
    };
    s.back_to_today = false;
    s.screen = Screen::Client;
    if s.detail.as_ref().is_none_or(|d| d.client.id != id) {
        s.detail = None;
    }
    vec![Effect::LoadDetail(id)]
}

/// `Enter` on the today screen: the line's client, with the cursor on its
/// session (or current series).
fn open_today_item(s: &mut State) -> Vec<Effect> {
    let item = s.today_work.items().get(s.today_idx).copied();
    let Some(crate::app::today::Target {
        client,
        series,
        session,
        ..
    }) = item.and_then(|i| s.today_work.target(i, &s.rows))
    else {
        return Vec::new();
    };
    s.screen = Screen::Client;
    s.detail = None;
    s.back_to_today = true;
    s.pending_focus = Some(Focus {
        client: Some(client),
        series,
        session,
        reveal: false,
    });
    vec![Effect::LoadDetail(client)]
}

fn cycle_view(s: &mut State) -> Vec<Effect> {
    s.view = s.view.next();
    s.refilter();
    let n = s.visible.len();
    info(s, format!("View: {} ({n})", s.view.label()));
    preview_effect(s)
}

fn cycle_sort(s: &mut State) -> Vec<Effect> {
    s.sort = s.sort.next();
    s.refilter();
    info(s, format!("Sorted by {}", s.sort.label()));
    Vec::new()
}

fn open_chart(s: &mut State) -> Vec<Effect> {
    if s.current_series().is_some() {
        s.screen = Screen::Chart;
    } else {
        let key = s.keymap.say(Ctx::Client, Command::NewSeries);
        info(s, format!("No series yet: press {key} to start one"));
    }
    Vec::new()
}

/// `Tab` / `Shift-Tab` in a form.
fn move_focus(s: &mut State, forward: bool) -> Vec<Effect> {
    if let Some(f) = s.form.as_mut() {
        if forward {
            f.form.next();
        } else {
            f.form.prev();
        }
    }
    Vec::new()
}

/// `Ctrl-U` in a form: empties the focused field and checks the form again.
fn clear_field(s: &mut State) -> Vec<Effect> {
    let now = s.now;
    if let Some(fs) = s.form.as_mut()
        && fs.form.clear_focused()
    {
        revalidate(fs, now);
    }
    Vec::new()
}

/// `A`: asks before archiving (or restoring) the client on screen.
fn ask_archive(s: &mut State) -> Vec<Effect> {
    let target = match s.screen {
        Screen::Clients => s
            .selected_row()
            .map(|r| (r.id, r.name.clone(), !r.archived)),
        _ => s.detail.as_ref().map(|d| {
            (
                d.client.id,
                d.client.data.name.clone(),
                d.client.archived_at.is_none(),
            )
        }),
    };
    if let Some((id, name, archive)) = target {
        if s.read_only {
            error(s, "Read-only database: nothing can be changed");
        } else {
            s.confirm = Some(Confirm::Archive { id, name, archive });
        }
    }
    Vec::new()
}

fn back(s: &mut State) -> Vec<Effect> {
    match s.screen {
        Screen::Chart => s.screen = Screen::Client,
        Screen::Photos => return photos::close(s),
        Screen::Today => {
            s.screen = Screen::Clients;
            return preview_effect(s);
        }
        Screen::Client if s.back_to_today => {
            s.back_to_today = false;
            s.screen = Screen::Today;
            return vec![Effect::LoadToday(s.today())];
        }
        Screen::Client => {
            s.screen = Screen::Clients;
            return preview_effect(s);
        }
        Screen::Clients => {
            if !s.filter.value().is_empty() {
                s.filter.reset();
                s.refilter();
                return preview_effect(s);
            } else if s.view != View::All {
                s.view = View::All;
                s.refilter();
            }
        }
    }
    Vec::new()
}

/// `J` / `K`: the selected session's record, a page on or back. The page
/// belongs to that session; the screen wraps it around the record's pages.
fn turn_record_page(s: &mut State, by: i32) -> Vec<Effect> {
    if let Some(session) = s.current_session().map(|x| x.id) {
        let page = s.record_page.filter(|p| p.session == session);
        s.record_page = Some(crate::app::RecordPage {
            session,
            page: page.map_or(0, |p| p.page).wrapping_add(by),
        });
    }
    Vec::new()
}

fn cancel(s: &mut State) -> Vec<Effect> {
    if s.filtering {
        s.filtering = false;
        s.filter.reset();
        s.refilter();
        return preview_effect(s);
    }
    match &s.form {
        Some(f) if f.form.dirty => s.confirm = Some(Confirm::Discard),
        Some(_) => s.close_form(),
        None => {}
    }
    Vec::new()
}

fn preview_effect(s: &mut State) -> Vec<Effect> {
    match s.selected_row() {
        Some(r) if s.preview.as_ref().is_some_and(|p| p.client.id == r.id) => Vec::new(),
        Some(r) => vec![Effect::LoadPreview(r.id)],
        None => {
            s.preview = None;
            Vec::new()
        }
    }
}

fn mouse(s: &mut State, m: MouseEvent) -> Vec<Effect> {
    if s.form.is_some() || s.confirm.is_some() || s.help {
        return Vec::new();
    }
    match m.kind {
        MouseEventKind::ScrollDown => move_by(s, 3),
        MouseEventKind::ScrollUp => move_by(s, -3),
        MouseEventKind::Down(MouseButton::Left) if s.screen == Screen::Clients => {
            match layout::clients_row_at(s.size, m.column, m.row) {
                Some(i) if s.offset + i < s.visible.len() => {
                    let delta = (s.offset + i) as isize - s.selected as isize;
                    move_by(s, delta)
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn paste(s: &mut State, text: &str) -> Vec<Effect> {
    // A question or the help is on top: the form under it is not edited.
    if s.confirm.is_some() || s.help {
        return Vec::new();
    }
    if s.filtering {
        let line: String = text.chars().filter(|c| !c.is_control()).take(100).collect();
        let value = format!("{}{}", s.filter.value(), line);
        s.filter = tui_input::Input::new(value);
        s.refilter();
        return preview_effect(s);
    }
    let now = s.now;
    let Some(fs) = s.form.as_mut() else {
        return Vec::new();
    };
    let result = fs.form.paste(text);
    revalidate(fs, now);
    if let crate::app::form::PasteResult::Pasted { had_breaks, cut } = result {
        let mut notes = Vec::new();
        if had_breaks {
            notes.push("line breaks became spaces");
        }
        if cut {
            notes.push("the paste was cut to fit the field");
        }
        if !notes.is_empty() {
            info(s, format!("Pasted: {}", notes.join("; ")));
        }
    }
    Vec::new()
}

fn clamp_detail(s: &mut State) -> Vec<Effect> {
    let n = s.detail.as_ref().map_or(0, |d| d.series.len());
    s.series_idx = s.series_idx.min(n.saturating_sub(1));
    let m = s.current_series().map_or(0, |t| t.sessions.len());
    s.session_idx = s.session_idx.min(m.saturating_sub(1));
    if let Some(draft) = s.resume.take() {
        return resume(s, &draft);
    }
    match s.after_load.take() {
        Some(cmd) => command(s, cmd),
        None => Vec::new(),
    }
}
