//! The messages of the application: the effects `update` asks for, and
//! the actions (keys, loaded data, results) that come back to it.

use super::{Focus, Preview, Write, drafts, forms, photos};
use crate::db::client_list::ClientRow;
use crate::db::{ClientTree, NextChange, UndoRedo, Undone};
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::crossterm::event::{KeyEvent, MouseEvent};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadClients,
    /// The first screen's worth of clients (the page size), in next-due order.
    LoadFirstPage(usize),
    /// Look for a form kept from an earlier run.
    LoadDrafts,
    DeleteDraft(i64),
    LoadPreview(i64),
    LoadDetail(i64),
    /// Who the existing clients are, for a client form's duplicate check.
    LoadNamesakes,
    /// The last week's sessions, for the today screen of this day.
    LoadToday(NaiveDate),
    Write(Box<Write>),
    Export(Box<forms::export::Request>),
    /// Ask what `u` (or `Ctrl-R`) would revert.
    NextChange(UndoRedo),
    /// Undo (or redo) the change with this id, and only that one.
    Revert(UndoRedo, i64),
    /// The entries of the folder a typed path is in, for Tab completion:
    /// (the text typed, the folder).
    ListFolder(String, std::path::PathBuf),
    /// What the attach form's path is: (the text typed, the path).
    ProbePath(String, std::path::PathBuf),
    /// The client's photos, for the session marks and records.
    LoadPhotos(i64),
    /// The compare screen of a client, on the given series.
    LoadCompare {
        client: i64,
        series: i64,
    },
    /// Decode and encode the compare screen's photos for their cells
    /// (carried out where the photo cache lives: `run::settle`).
    PreparePhotos,
    /// Show a photo in the system viewer through a private copy.
    OpenPhoto {
        hash: String,
        view: String,
        date: NaiveDate,
    },
    Suspend,
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The clock moved on (date rollover at midnight, "now" for forms).
    Tick(NaiveDateTime),
    ClientsLoaded(Vec<ClientRow>),
    /// The first page of a large list; the rest follows.
    FirstPage(Vec<ClientRow>),
    PreviewLoaded(Option<Box<Preview>>),
    DetailLoaded(Box<ClientTree>),
    NamesakesLoaded(Vec<crate::domain::Namesake>),
    /// The sessions of the week up to this day, for the today screen.
    TodayLoaded(NaiveDate, Vec<crate::db::today::DaySession>),
    /// The client on screen no longer exists.
    ClientGone(i64),
    Saved {
        message: String,
        focus: Focus,
    },
    /// An export was written; the text says where.
    Exported(String),
    /// A form kept from an earlier run: (draft id, draft, when it was saved).
    DraftFound(i64, Box<drafts::Draft>, String),
    Failed(String),
    /// Something the practitioner should know from the start (e.g. the
    /// database is on a network drive).
    Warn(String),
    /// The background integrity check failed: from now on read-only.
    Damaged(String),
    /// What an undo (or redo) would revert; None when there is nothing.
    NextChange(UndoRedo, Option<Box<NextChange>>),
    /// An undo (or redo) was done; None when there was nothing to do.
    Reverted(UndoRedo, Option<Box<Undone>>),
    /// A folder's entries for Tab completion: (folder as typed, entries).
    FolderListed(String, Vec<photos::Entry>),
    /// What the attach form's path turned out to be.
    PathProbed(String, photos::Probe),
    /// The photos of a client, in session order.
    PhotosLoaded(
        i64,
        Vec<crate::db::photos::ClientPhoto>,
        (Option<NaiveDate>, bool),
    ),
    CompareLoaded(Box<crate::app::photo_view::Compare>),
    /// A photo is in the viewer (the status line says so).
    PhotoOpened(String),
}
