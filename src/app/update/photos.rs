//! The photo side of `update`: the attach form (`P`) and its path
//! completion, the client's photos arriving, and the compare screen.

use super::form_flow::{open_form, revalidate};
use super::{error, info};
use crate::app::form::FieldKey;
use crate::app::keymap::{Command, Ctx};
use crate::app::photos::{self, AttachTarget, Entry, Probe};
use crate::app::{Effect, Purpose, Screen, State};
use crate::db::photos::ClientPhoto;
use crate::domain::Zone;
use chrono::NaiveDate;

/// `P` on the client screen: the attach form for the selected session.
pub(super) fn attach(s: &mut State) -> Vec<Effect> {
    let Some(x) = s.current_session().cloned() else {
        let key = s.keymap.say(Ctx::Client, Command::NewSession);
        info(
            s,
            format!("Record a session first ({key}): photos belong to a session"),
        );
        return Vec::new();
    };
    let Some(d) = s.detail.as_ref() else {
        return Vec::new();
    };
    let day = x.data.performed_at.date();
    let zones = if x.data.zones.is_empty() {
        Zone::ALL.to_vec()
    } else {
        x.data.zones.clone()
    };
    let mut cautions = Vec::new();
    if let Some((client, (on, _))) = s.photos.consent
        && client == d.client.id
        && on.is_none_or(|on| on > day)
    {
        cautions.push(format!(
            "No photo consent on file for {} on {day}: attach only with their consent",
            d.client.data.name
        ));
    }
    if let Some(crate::domain::Warning::Minor { age, .. }) =
        crate::domain::consent::minor_warning(&d.client.data, day)
    {
        cautions.push(format!(
            "{} was {age} on {day}: photos of a minor need their guardian's consent",
            d.client.data.name
        ));
    }
    let target = AttachTarget {
        session_id: x.id,
        day,
        zones,
        home: s.home.clone(),
        tabbed: None,
        listing: None,
        probe: None,
        files: Vec::new(),
        cautions,
    };
    let form = photos::form(&target);
    open_form(s, form, Purpose::AttachPhotos(Box::new(target)))
}

/// The attach form is open and its path field has the keyboard.
fn on_path(s: &State) -> bool {
    s.form.as_ref().is_some_and(|fs| {
        matches!(fs.purpose, Purpose::AttachPhotos(_))
            && fs.form.fields.get(fs.form.focus).map(|f| f.key) == Some(FieldKey::File)
    })
}

/// The attach form's own keys: `Tab` in the path field completes, a
/// letter in the view field picks a view. None for any other key.
pub(super) fn form_key(
    s: &mut State,
    k: ratatui::crossterm::event::KeyEvent,
) -> Option<Vec<Effect>> {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    match k.code {
        KeyCode::Tab if k.modifiers.is_empty() => tab(s),
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
            view_letter(s, c).then(Vec::new)
        }
        _ => None,
    }
}

/// A letter on one of the attach form's view rows picks that view.
fn view_letter(s: &mut State, c: char) -> bool {
    let now = s.now;
    let Some(fs) = s.form.as_mut() else {
        return false;
    };
    let Purpose::AttachPhotos(t) = &fs.purpose else {
        return false;
    };
    let focus = fs.form.focus;
    let Some(f) = fs
        .form
        .fields
        .get_mut(focus)
        .filter(|f| f.key == FieldKey::PhotoView)
    else {
        return false;
    };
    let Some(i) = photos::view_letter(c, f.selected(), &t.zones) else {
        return false;
    };
    f.select(i);
    fs.form.dirty = true;
    revalidate(fs, now);
    true
}

/// `Tab` in the attach form's path field: ask for the folder's entries.
fn tab(s: &mut State) -> Option<Vec<Effect>> {
    if !on_path(s) {
        return None;
    }
    let fs = s.form.as_ref()?;
    let Purpose::AttachPhotos(t) = &fs.purpose else {
        return None;
    };
    let typed = fs.form.text(FieldKey::File).to_string();
    let (dir, _) = photos::split_typed(&typed);
    let folder = crate::app::forms::export::expand_home(dir, t.home.as_deref());
    Some(vec![Effect::ListFolder(typed, folder)])
}

/// After any change in the attach form: check the path if it changed.
pub(super) fn changed(s: &mut State) -> Vec<Effect> {
    let Some(fs) = s.form.as_ref() else {
        return Vec::new();
    };
    let Purpose::AttachPhotos(t) = &fs.purpose else {
        return Vec::new();
    };
    let typed = fs.form.text(FieldKey::File).trim().to_string();
    if typed.is_empty() || t.probe.as_ref().is_some_and(|(p, _)| *p == typed) {
        return Vec::new();
    }
    let path = crate::app::forms::export::expand_home(&typed, t.home.as_deref());
    vec![Effect::ProbePath(typed, path)]
}

/// The folder's entries arrived: complete the path (or list candidates).
pub(super) fn listed(s: &mut State, typed: String, entries: Vec<Entry>) -> Vec<Effect> {
    let now = s.now;
    let Some(fs) = s.form.as_mut() else {
        return Vec::new();
    };
    let Purpose::AttachPhotos(t) = &mut fs.purpose else {
        return Vec::new();
    };
    if fs.form.text(FieldKey::File) != typed {
        return Vec::new();
    }
    let second = t.tabbed.as_deref() == Some(typed.as_str());
    let (text, list) = photos::complete(&typed, &entries, second);
    t.tabbed = Some(text.clone());
    t.listing = list.map(|l| (text.clone(), l));
    if text != typed {
        fs.form.dirty = true;
        if let Some(f) = fs.form.field_mut(FieldKey::File) {
            f.set_text(&text);
        }
    }
    revalidate(fs, now);
    changed(s)
}

/// What the typed path is arrived.
pub(super) fn probed(s: &mut State, typed: String, probe: Probe) -> Vec<Effect> {
    let now = s.now;
    if let Some(fs) = s.form.as_mut()
        && let Purpose::AttachPhotos(t) = &mut fs.purpose
    {
        let path = crate::app::forms::export::expand_home(&typed, t.home.as_deref());
        if let Some(files) = photos::probed_files(&probe, &path) {
            photos::set_files(&mut fs.form, t, files);
        }
        t.probe = Some((typed, probe));
        revalidate(fs, now);
    }
    Vec::new()
}

pub(super) fn loaded(
    s: &mut State,
    client: i64,
    list: Vec<ClientPhoto>,
    consent: (Option<NaiveDate>, bool),
) -> Vec<Effect> {
    s.photos.of_client = Some((client, list));
    s.photos.consent = Some((client, consent));
    Vec::new()
}

/// `V` on the client screen: the compare screen of the selected series.
pub(super) fn compare(s: &mut State) -> Vec<Effect> {
    let (Some(d), Some(st)) = (s.detail.as_ref(), s.current_series()) else {
        return Vec::new();
    };
    let client = d.client.id;
    let series = st.series.id;
    let any = s
        .photos
        .of_client
        .as_ref()
        .is_some_and(|(c, v)| *c == client && v.iter().any(|p| p.series_id == series));
    if !any {
        let key = s.keymap.say(Ctx::Client, Command::AttachPhotos);
        info(
            s,
            format!("No photos in this series yet: {key} attaches some to a session"),
        );
        return Vec::new();
    }
    vec![Effect::LoadCompare { client, series }]
}

pub(super) fn compare_loaded(s: &mut State, mut c: crate::app::photo_view::Compare) -> Vec<Effect> {
    let say = |cmd| s.keymap.say(Ctx::Photos, cmd);
    c.keys = crate::app::photo_view::CompareKeys {
        step: format!("{}/{}", say(Command::PrevVisit), say(Command::NextVisit)),
        view: say(Command::PhotoView),
        open: say(Command::OpenPhoto),
        back: s.keymap.say(Ctx::Global, Command::Back),
    };
    s.photos.compare = Some(c);
    s.screen = Screen::Photos;
    s.status = None;
    vec![Effect::PreparePhotos]
}

pub(super) fn step(s: &mut State, forward: bool) -> Vec<Effect> {
    match s.photos.compare.as_mut() {
        Some(c) => {
            c.step(forward);
            vec![Effect::PreparePhotos]
        }
        None => Vec::new(),
    }
}

pub(super) fn cycle_view(s: &mut State) -> Vec<Effect> {
    match s.photos.compare.as_mut() {
        Some(c) => {
            c.cycle_view();
            vec![Effect::PreparePhotos]
        }
        None => Vec::new(),
    }
}

/// `o`: the right-hand photo (the baseline when it is the only one).
pub(super) fn open(s: &mut State) -> Vec<Effect> {
    let Some(c) = s.photos.compare.as_ref() else {
        return Vec::new();
    };
    let at = if c.single() { c.baseline } else { c.current };
    let found = c
        .visits
        .get(at)
        .and_then(|v| v.hash(c.view).map(|h| (h.to_string(), v.date)));
    match found {
        Some((hash, date)) => vec![Effect::OpenPhoto {
            hash,
            view: c.view_label(),
            date,
        }],
        None => {
            error(s, "No photo to open here");
            Vec::new()
        }
    }
}

/// `Esc` on the compare screen: back to the client; the viewer's private
/// copies go now.
pub(super) fn close(s: &mut State) -> Vec<Effect> {
    s.screen = Screen::Client;
    s.photos.close_compare();
    Vec::new()
}
