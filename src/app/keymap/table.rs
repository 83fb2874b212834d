//! The key table: every binding once, with its hint and help line. The
//! dispatcher, the hint bar, the help overlay and README's key tables all
//! read it.

use super::{Binding, Command, Ctx, Key};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn b(
    ctx: Ctx,
    keys: &'static [Key],
    cmd: Command,
    hint: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        ctx,
        keys,
        cmd,
        hint,
        help,
    }
}

use Command as C;
use Ctx::*;

pub const BINDINGS: &[Binding] = &[
    // Lists: arrows and vim keys both.
    b(
        Global,
        &[code(KeyCode::Down), k('j')],
        C::Down,
        "",
        "move down",
    ),
    b(Global, &[code(KeyCode::Up), k('k')], C::Up, "", "move up"),
    b(
        Global,
        &[code(KeyCode::Home), k('g')],
        C::Top,
        "",
        "first row",
    ),
    b(
        Global,
        &[code(KeyCode::End), k('G')],
        C::Bottom,
        "",
        "last row",
    ),
    b(
        Global,
        &[code(KeyCode::PageDown)],
        C::PageDown,
        "",
        "page down",
    ),
    b(Global, &[code(KeyCode::PageUp)], C::PageUp, "", "page up"),
    b(
        Global,
        &[ctrl('d')],
        C::HalfPageDown,
        "",
        "half a page down",
    ),
    b(Global, &[ctrl('u')], C::HalfPageUp, "", "half a page up"),
    // Home screen.
    b(
        Clients,
        &[code(KeyCode::Enter)],
        C::Open,
        "open",
        "open the selected client",
    ),
    b(
        Clients,
        &[k('a')],
        C::AddClient,
        "add",
        "add a client (with a first series)",
    ),
    b(
        Clients,
        &[k('e')],
        C::EditClient,
        "edit",
        "edit the selected client",
    ),
    b(
        Clients,
        &[k('n')],
        C::NewSession,
        "session",
        "record a session for the selected client",
    ),
    b(
        Clients,
        &[k('d')],
        C::CycleView,
        "view",
        "cycle view: all / due now / overdue / follow-up pending / archived",
    ),
    b(
        Clients,
        &[k('s')],
        C::CycleSort,
        "sort",
        "cycle sort: next due / name / last visit / downtime (worst first)",
    ),
    b(
        Clients,
        &[k('x')],
        C::Export,
        "export",
        "export session logs (CSV, JSON, report, calendar)",
    ),
    b(
        Clients,
        &[k('A')],
        C::Archive,
        "archive",
        "archive the selected client (or restore, in the archive view)",
    ),
    // Client screen.
    b(
        Client,
        &[k('n')],
        C::NewSession,
        "session",
        "record a session in the selected series",
    ),
    b(
        Client,
        &[k('e')],
        C::EditSession,
        "edit",
        "edit the selected session",
    ),
    b(
        Client,
        &[k('f')],
        C::Followup,
        "follow-up",
        "add follow-up observations to the selected session",
    ),
    b(
        Client,
        &[k('S')],
        C::NewSeries,
        "series",
        "start a new series",
    ),
    b(
        Client,
        &[k('c')],
        C::Chart,
        "chart",
        "progress chart of the selected series",
    ),
    b(
        Client,
        &[k('E')],
        C::EditClient,
        "client",
        "edit the client's details",
    ),
    b(
        Client,
        &[k('x')],
        C::Export,
        "export",
        "export this client's logs",
    ),
    b(
        Client,
        &[k('A')],
        C::Archive,
        "archive",
        "archive or restore this client",
    ),
    b(
        Client,
        &[code(KeyCode::Tab)],
        C::NextSeries,
        "series",
        "next series",
    ),
    b(
        Client,
        &[code(KeyCode::BackTab)],
        C::PrevSeries,
        "",
        "previous series",
    ),
    b(
        Client,
        &[k('p')],
        C::EditPlan,
        "plan",
        "edit the selected series' plan: sessions, interval, zones, scale, baseline, notes",
    ),
    b(
        Client,
        &[k('C')],
        C::CloseSeries,
        "",
        "close the selected series early (with a reason), or reopen it",
    ),
    b(
        Client,
        &[k('J')],
        C::RecordNextPage,
        "",
        "next page of a session record too long for its pane",
    ),
    b(
        Client,
        &[k('K')],
        C::RecordPrevPage,
        "",
        "previous page of the session record",
    ),
    b(
        Client,
        &[k('P')],
        C::AttachPhotos,
        "photos",
        "attach photos to the selected session, a view for each",
    ),
    b(
        Client,
        &[k('V')],
        C::ComparePhotos,
        "compare",
        "compare photos: the baseline beside a later visit, same view",
    ),
    // Compare photos.
    b(
        Photos,
        &[code(KeyCode::Left), k('h')],
        C::PrevVisit,
        "visit",
        "the previous visit on the right",
    ),
    b(
        Photos,
        &[code(KeyCode::Right), k('l')],
        C::NextVisit,
        "",
        "the next visit on the right",
    ),
    b(
        Photos,
        &[k('v')],
        C::PhotoView,
        "view",
        "the next view (front, left, …, close-ups)",
    ),
    b(
        Photos,
        &[k('o')],
        C::OpenPhoto,
        "open",
        "open the right-hand photo in the system viewer (a temporary private copy)",
    ),
    // Chart.
    b(
        Chart,
        &[code(KeyCode::Tab)],
        C::NextSeries,
        "series",
        "next series",
    ),
    b(
        Chart,
        &[code(KeyCode::BackTab)],
        C::PrevSeries,
        "",
        "previous series",
    ),
    // Today.
    b(
        Today,
        &[code(KeyCode::Enter)],
        C::Open,
        "open",
        "open the client, on that session",
    ),
    // Everywhere outside forms.
    b(
        Global,
        &[k('t')],
        C::Today,
        "today",
        "today's work: sessions recorded today, who is due, follow-ups to ask for",
    ),
    b(
        Global,
        &[k('/')],
        C::Filter,
        "filter",
        "filter clients as you type",
    ),
    b(
        Global,
        &[k('u')],
        C::Undo,
        "undo",
        "undo the last change: names it, asks if another client's",
    ),
    b(
        Global,
        &[ctrl('r')],
        C::Redo,
        "",
        "redo the last undone change (until a new change is made)",
    ),
    b(Global, &[k('?')], C::Help, "help", "show or hide this help"),
    b(
        Global,
        &[code(KeyCode::Esc)],
        C::Back,
        "back",
        "close / go back (never quits)",
    ),
    b(Global, &[k('q')], C::Quit, "quit", "quit"),
    b(
        Global,
        &[ctrl('z')],
        C::Suspend,
        "",
        "suspend to the shell (fg to return)",
    ),
    b(
        Global,
        &[ctrl('c')],
        C::ForceQuit,
        "",
        "quit (asks first if a form has changes)",
    ),
    // Forms.
    b(
        Form,
        &[ctrl('s')],
        C::Save,
        "save",
        "save (refused, naming the fields, while invalid)",
    ),
    b(
        Form,
        &[code(KeyCode::Tab), code(KeyCode::Down)],
        C::NextField,
        "next",
        "next field",
    ),
    b(
        Form,
        &[code(KeyCode::BackTab), code(KeyCode::Up)],
        C::PrevField,
        "prev",
        "previous field",
    ),
    b(
        Form,
        &[ctrl('o')],
        C::ConfirmCheck,
        "",
        "confirm the pre-treatment check as shown (session form)",
    ),
    b(
        Form,
        &[ctrl('u')],
        C::ClearField,
        "",
        "clear the field (readline's Ctrl-U)",
    ),
    b(
        Form,
        &[code(KeyCode::Esc)],
        C::Cancel,
        "cancel",
        "cancel (asks first if anything changed)",
    ),
    b(
        Form,
        &[ctrl('c')],
        C::ForceQuit,
        "",
        "quit (asks first if anything changed)",
    ),
    // Filter line.
    b(
        Filter,
        &[code(KeyCode::Enter), code(KeyCode::Down)],
        C::AcceptFilter,
        "keep",
        "keep the filter and go to the list",
    ),
    b(
        Filter,
        &[code(KeyCode::Esc)],
        C::Cancel,
        "clear",
        "clear the filter",
    ),
    b(Filter, &[ctrl('c')], C::ForceQuit, "", "quit"),
];
