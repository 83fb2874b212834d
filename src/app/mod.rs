//! The application: state, the actions that change it, and the effects it
//! asks the outside world for. `update` is pure: it never touches the
//! database or the terminal, so every key sequence can be tested in memory.

pub(crate) mod drafts;
pub mod effects;
pub mod effects_photos;
pub mod field_key;
pub(crate) mod form;
pub(crate) mod forms;
pub(crate) mod help;
pub mod keymap;
pub mod layout;
pub mod list;
mod messages;
mod notes_area;
pub mod palette;
pub mod photo_view;
pub mod photos;
pub mod run;
pub mod today;
mod update;

pub use messages::{Action, Effect};

pub use form::NOTES_CAP;
pub use update::update;

use crate::db::client_list::ClientRow;
use crate::db::{ClientTree, SeriesTree, UndoRedo};
use crate::domain::{
    Client, ClientDraft, Followup, Series, SeriesDraft, Session, SessionDraft, ValidSeries,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use form::Form;
use list::{Filter, Rows, Sort, View};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Clients,
    Client,
    Chart,
    Today,
    /// Photos of one view side by side (baseline and a later visit).
    Photos,
}

/// The right pane of the home screen: who is selected and their last visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub client: Client,
    pub last: Option<(Series, Session)>,
    /// Sessions in the series of `last`, up to and including it.
    pub session_no: usize,
}

/// What a form will do when saved. There is one per open form, so the
/// size of the larger variants costs nothing worth boxing for.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Purpose {
    AddClient,
    EditClient {
        id: i64,
        previous: ClientDraft,
    },
    NewSeries {
        client_id: i64,
    },
    /// `p`: the plan of a series; `scored` of its sessions have a score.
    EditPlan {
        id: i64,
        current: ValidSeries,
        scored: u32,
    },
    /// `C`: closing a running series early.
    CloseSeries {
        id: i64,
    },
    NewSession {
        series_id: i64,
        ctx: forms::session::Context,
    },
    EditSession {
        id: i64,
        ctx: forms::session::Context,
        base: SessionDraft,
    },
    Followup {
        session_id: i64,
        session_day: NaiveDate,
        previous: Followup,
        /// Redness for more days is prolonged erythema (the settings' rule).
        prolonged_after: u8,
    },
    /// The export dialog; `proposed` is the file name last filled in, kept
    /// in step with format and scope until the user types their own.
    Export {
        subject: forms::export::Subject,
        proposed: String,
        home: Option<std::path::PathBuf>,
    },
    /// `P`: photos for a session.
    AttachPhotos(Box<photos::AttachTarget>),
}

#[derive(Debug, Clone)]
pub struct FormState {
    pub form: Form,
    pub purpose: Purpose,
    /// The time a bare date in the date field stands for.
    pub default_time: NaiveTime,
    /// The screen the form was opened from: closing it goes back there.
    pub return_to: Screen,
    /// `Ctrl-S` was pressed once on a session holding only its date; the
    /// next one saves it.
    pub save_armed: bool,
    /// Existing clients, for the client forms' duplicate warning.
    pub namesakes: Vec<crate::domain::Namesake>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Leave a form with unsaved changes?
    Discard,
    /// Quit with a form that has unsaved changes?
    Quit,
    Archive {
        id: i64,
        name: String,
        archive: bool,
    },
    /// A half-typed form was kept when the terminal went away: resume it?
    ResumeDraft {
        id: i64,
        draft: Box<drafts::Draft>,
        saved_at: String,
    },
    /// Undo (or redo) a change that is not about the client on screen?
    Revert {
        way: UndoRedo,
        /// The change shown; another one is never reverted in its place.
        change_id: i64,
        summary: String,
        /// Whom the change is about: a name, or "3 clients".
        about: String,
        /// The client on screen, if any.
        on_screen: Option<String>,
    },
    /// The export's file exists: replace it?
    Overwrite(Box<forms::export::Request>),
    /// A new outcome scale for a series with scores: clear them?
    Rescale {
        id: i64,
        plan: Box<SeriesDraft>,
        scored: u32,
        from: crate::domain::OutcomeScale,
    },
    /// Reopen a closed series?
    Reopen {
        id: i64,
        what: String,
        /// How it was closed ("closed 2026-11-30: other (moved)").
        closed: String,
    },
}

/// A database change asked for by the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    AddClient(ClientDraft, Option<SeriesDraft>),
    EditClient(i64, ClientDraft),
    Archive(i64, bool),
    NewSeries(i64, SeriesDraft),
    /// A series' new plan; `true` clears the scores of an old scale.
    EditPlan(i64, SeriesDraft, bool),
    CloseSeries(i64, crate::domain::Closure),
    ReopenSeries(i64),
    NewSession(i64, SessionDraft),
    EditSession(i64, SessionDraft),
    Followup(i64, Followup),
    /// Photos for a session: (session id, its day, the files).
    AttachPhotos(i64, NaiveDate, Vec<crate::photo::attach::Request>),
}

/// The record a change was about: once the screens are reloaded, the
/// cursor goes there, so the next key acts on what was just saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Focus {
    pub client: Option<i64>,
    pub series: Option<i64>,
    pub session: Option<i64>,
    /// Clear a view or filter of the home list that would hide the client
    /// (after adding or editing them; not after archiving them).
    pub reveal: bool,
}

impl Focus {
    /// A client just added or edited: selected, and shown.
    pub fn client(id: i64) -> Self {
        Self {
            client: Some(id),
            reveal: true,
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Which page of a long session record is shown, for one session: another
/// session starts on its first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordPage {
    pub session: i64,
    /// Any whole number; the screen takes it modulo the record's pages.
    pub page: i32,
}

#[derive(Debug)]
pub struct State {
    pub now: NaiveDateTime,
    pub screen: Screen,
    pub rows: Rows,
    /// Indices into `rows.rows`, in display order.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// First visible row of the table.
    pub offset: usize,
    pub view: View,
    pub sort: Sort,
    pub filter: Input,
    pub filtering: bool,
    /// Archived clients the filter finds while the list in view is empty.
    pub archived_matches: usize,
    matcher: Filter,
    pub preview: Option<Preview>,
    pub detail: Option<ClientTree>,
    pub series_idx: usize,
    pub session_idx: usize,
    pub form: Option<FormState>,
    pub confirm: Option<Confirm>,
    pub help: bool,
    pub help_scroll: u16,
    /// The page of the session record shown (client screen, `J`/`K`).
    pub record_page: Option<RecordPage>,
    /// The today screen's lists, and the cursor's line among them.
    pub today_work: today::Today,
    pub today_idx: usize,
    /// The client screen was opened from the today screen: `Esc` goes back there.
    pub back_to_today: bool,
    pub status: Option<Status>,
    pub size: (u16, u16),
    pub read_only: bool,
    /// Throwaway demo data is open.
    pub demo: bool,
    /// False when NO_COLOR is set: styles fall back to bold and reverse.
    pub color: bool,
    /// The keys in force: the table's, or the settings file's.
    pub keymap: keymap::Keymap,
    /// The colours (the settings file's `[theme]`); unused when `color` is off.
    pub palette: palette::Palette,
    /// Only the first page of the list is loaded yet.
    pub partial: bool,
    /// Where the export dialog proposes to write files.
    pub export_dir: std::path::PathBuf,
    /// The format exported last in this run: the dialog starts on it.
    pub export_format: crate::export::Format,
    /// The home folder, for `~` in the export dialog's file.
    pub home: Option<std::path::PathBuf>,
    /// Where the data lives, for the title bar.
    pub db_label: String,
    /// The practice's settings, and the file they came from (for help).
    pub settings: crate::config::Settings,
    pub config_label: String,
    /// The thresholds from `settings`, worked out once.
    pub rules: crate::domain::Rules,
    /// The photos shown: marks, compare screen, cache, private copies.
    pub photos: photos::Photos,
    pub quit: bool,
    /// Client to select once the list is next loaded; `true` clears a view
    /// or filter that would hide them.
    pending_select: Option<(i64, bool)>,
    /// Series and session to select once the client's details next arrive.
    pending_focus: Option<Focus>,
    /// A draft to put back once the client's details have arrived.
    resume: Option<Box<drafts::Draft>>,
    /// A command waiting for the client's details to arrive.
    after_load: Option<keymap::Command>,
    /// Where the form about to open was asked for, when the screen had to
    /// change first (`n` on the home screen opens the client).
    form_origin: Option<Screen>,
}

impl State {
    pub fn new(
        now: NaiveDateTime,
        size: (u16, u16),
        db_label: impl Into<String>,
        read_only: bool,
    ) -> Self {
        Self {
            now,
            screen: Screen::Clients,
            rows: Rows::default(),
            visible: Vec::new(),
            archived_matches: 0,
            selected: 0,
            offset: 0,
            view: View::All,
            sort: Sort::NextDue,
            filter: Input::default(),
            filtering: false,
            matcher: Filter::default(),
            preview: None,
            detail: None,
            series_idx: 0,
            session_idx: 0,
            form: None,
            confirm: None,
            today_work: today::Today::default(),
            back_to_today: false,
            today_idx: 0,
            record_page: None,
            help: false,
            help_scroll: 0,
            status: None,
            size,
            read_only,
            demo: false,
            color: true,
            keymap: keymap::Keymap::default(),
            palette: palette::Palette::default(),
            export_dir: std::path::PathBuf::from("."),
            export_format: crate::export::Format::Csv,
            home: None,
            partial: false,
            db_label: db_label.into(),
            settings: crate::config::Settings::default(),
            config_label: "built-in defaults".into(),
            rules: crate::domain::Rules::default(),
            photos: photos::Photos::default(),
            quit: false,
            pending_select: None,
            pending_focus: None,
            after_load: None,
            form_origin: None,
            resume: None,
        }
    }

    /// Colours on or off (off when `NO_COLOR` is set).
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }

    /// The keys in force (the settings file's `[keys]`).
    pub fn with_keymap(mut self, keymap: keymap::Keymap) -> Self {
        self.keymap = keymap;
        self
    }

    /// The colours in force (the settings file's `[theme]`).
    pub fn with_palette(mut self, palette: palette::Palette) -> Self {
        self.palette = palette;
        self
    }

    /// How photos are drawn (the real terminal's best protocol).
    pub fn with_painter(mut self, painter: photo_view::PhotoPainter) -> Self {
        self.photos.painter = painter;
        self
    }

    /// Throwaway demo data is open.
    pub fn with_demo(mut self, demo: bool) -> Self {
        self.demo = demo;
        self
    }

    /// The settings in effect and where they were read from.
    /// The settings in force; their keys and colours were checked when the
    /// file was read, so a table or palette that fails here keeps the
    /// built-in one.
    pub fn with_settings(mut self, settings: crate::config::Settings, label: String) -> Self {
        self.rules = settings.rules();
        if let Ok(keymap) = keymap::Keymap::with_overrides(&settings.keys) {
            self.keymap = keymap;
        }
        let theme = &settings.theme;
        if let Ok(palette) =
            palette::Palette::from_settings(theme.palette.as_deref(), &theme.colors)
        {
            self.palette = palette;
        }
        self.settings = settings;
        self.config_label = label;
        self
    }

    pub fn with_home(mut self, home: Option<std::path::PathBuf>) -> Self {
        self.home = home;
        self
    }

    pub fn with_export_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.export_dir = dir;
        self
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    /// Closes the form and goes back to the screen it was opened from.
    pub(crate) fn close_form(&mut self) {
        if let Some(fs) = self.form.take() {
            self.screen = fs.return_to;
        }
    }

    /// The row under the cursor on the home screen.
    pub fn selected_row(&self) -> Option<&ClientRow> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.rows.rows.get(i))
    }

    pub fn current_series(&self) -> Option<&SeriesTree> {
        self.detail
            .as_ref()
            .and_then(|d| d.series.get(self.series_idx))
    }

    pub fn current_session(&self) -> Option<&Session> {
        self.current_series()
            .and_then(|s| s.sessions.get(self.session_idx))
    }

    /// The client under the today screen's cursor: (id, name).
    pub fn today_client(&self) -> Option<(i64, String)> {
        let item = self.today_work.items().get(self.today_idx).copied()?;
        let t = self.today_work.target(item, &self.rows)?;
        Some((t.client, t.name.to_string()))
    }

    /// The record page to show for the selected session.
    pub fn record_page(&self) -> i32 {
        let current = self.current_session().map(|x| x.id);
        self.record_page
            .filter(|p| Some(p.session) == current)
            .map_or(0, |p| p.page)
    }

    /// The key context of what has the keyboard now.
    pub fn ctx(&self) -> keymap::Ctx {
        if self.form.is_some() {
            keymap::Ctx::Form
        } else if self.filtering {
            keymap::Ctx::Filter
        } else {
            match self.screen {
                Screen::Clients => keymap::Ctx::Clients,
                Screen::Client => keymap::Ctx::Client,
                Screen::Chart => keymap::Ctx::Chart,
                Screen::Photos => keymap::Ctx::Photos,
                Screen::Today => keymap::Ctx::Today,
            }
        }
    }

    /// Puts the cursor on client `id` if the list shows them.
    pub fn select_client(&mut self, id: i64) -> bool {
        match self
            .visible
            .iter()
            .position(|&i| self.rows.rows[i].id == id)
        {
            Some(pos) => {
                self.selected = pos;
                self.offset = pos.saturating_sub(layout::clients_page(self.size) / 2);
                true
            }
            None => false,
        }
    }

    /// Replaces the list, keeping the cursor on the same client.
    fn replace_rows(&mut self, rows: Vec<ClientRow>) {
        // The id must be read before the rows change: `visible` indexes
        // the old rows.
        let keep = self.selected_row().map(|r| r.id);
        self.rows = list::Rows::new(rows, self.today(), self.rules.maintenance_months);
        self.today_work.rows_changed(&self.rows);
        self.refilter_keeping(keep);
    }

    fn refilter(&mut self) {
        let keep = self.selected_row().map(|r| r.id);
        self.refilter_keeping(keep);
    }

    fn refilter_keeping(&mut self, keep: Option<i64>) {
        self.visible = self
            .matcher
            .visible(&self.rows, self.view, self.sort, self.filter.value());
        self.archived_matches = if self.visible.is_empty() && self.view != View::Archived {
            self.matcher
                .archived_matches(&self.rows, self.filter.value())
        } else {
            0
        };
        self.selected = keep
            .and_then(|id| {
                self.visible
                    .iter()
                    .position(|&i| self.rows.rows[i].id == id)
            })
            .unwrap_or(0);
        self.offset = 0;
    }
}
