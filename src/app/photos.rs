//! Photos in the interface: what the client screen knows of a client's
//! photos, the compare screen's state and its drawing cache, the private
//! copies handed to the viewer, and the attach form (`P`) with its path
//! completion. Everything here is plain data and pure steps; the files are
//! read in the effects layer (`effects_photos`).

use super::form::{Field, FieldKey, Form, FormWarning};
use crate::app::photo_view::{Compare, PhotoCache, PhotoPainter};
use crate::db::photos::ClientPhoto;
use crate::domain::Zone;
use crate::domain::photo::View;
use crate::photo::attach::Request;
use crate::photo::viewer::PrivateCopy;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The photo side of the state.
#[derive(Debug)]
pub struct Photos {
    /// How photos are drawn: half blocks unless the terminal offers more
    /// (`PhotoPainter::detect` at start-up).
    pub painter: PhotoPainter,
    /// Photos encoded for their cells, filled outside `render`.
    pub cache: PhotoCache,
    /// The compare screen, while it is open.
    pub compare: Option<Compare>,
    /// The photos of the client on screen (client id, photos in session order).
    pub of_client: Option<(i64, Vec<ClientPhoto>)>,
    /// The photo consent of the client on screen: (client id, (signed on,
    /// use beyond the record)).
    pub consent: Option<(i64, (Option<NaiveDate>, bool))>,
    /// Plain copies handed to the viewer: kept until the compare screen
    /// closes or the program ends (the viewer may still be reading).
    pub copies: Vec<PrivateCopy>,
    /// Viewers started: reaped (never waited for) when the screen closes.
    pub viewers: Vec<std::process::Child>,
    /// The viewer program, in place of `NEEDLELOG_VIEWER` (tests set it).
    pub viewer: Option<std::ffi::OsString>,
}

impl Default for Photos {
    fn default() -> Self {
        Self {
            painter: PhotoPainter::halfblocks(),
            cache: PhotoCache::default(),
            compare: None,
            of_client: None,
            consent: None,
            copies: Vec::new(),
            viewer: None,
            viewers: Vec::new(),
        }
    }
}

impl Photos {
    /// Leaving the compare screen: the private copies go, and viewers that
    /// have ended are reaped (one still open keeps running on its own).
    pub fn close_compare(&mut self) {
        self.compare = None;
        self.copies.clear();
        self.viewers
            .retain_mut(|c| !matches!(c.try_wait(), Ok(Some(_)) | Err(_)));
    }

    /// The photos of session `id`, when the client's photos are loaded.
    pub fn of_session(&self, id: i64) -> Vec<&ClientPhoto> {
        self.of_client
            .iter()
            .flat_map(|(_, v)| v.iter())
            .filter(|p| p.photo.session_id == id)
            .collect()
    }

    /// How many photos session `id` has.
    pub fn count(&self, id: i64) -> usize {
        self.of_session(id).len()
    }
}

/// One entry of a folder, for Tab completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub dir: bool,
}

/// What a typed path turned out to be (read in the effects layer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    Missing,
    /// A folder: its JPEG and PNG files (full paths, by name), and how many
    /// other files it holds.
    Folder(Vec<PathBuf>, usize),
    /// A file: `Ok` when it is a JPEG or PNG, else why not.
    File(Result<(), String>),
}

/// What the attach form attaches to, and what it has learnt of its path.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachTarget {
    pub session_id: i64,
    pub day: NaiveDate,
    /// The zones the close-up field offers (the session's, else all).
    pub zones: Vec<Zone>,
    pub home: Option<PathBuf>,
    /// The text of the path field when Tab was last pressed on it: a
    /// second Tab on the same text lists the candidates.
    pub tabbed: Option<String>,
    /// What a second Tab listed: (the text it was listed for, the list).
    pub listing: Option<(String, String)>,
    /// The probe of the path as typed: (text, what it is).
    pub probe: Option<(String, Probe)>,
    /// Warnings about the client (no photo consent, under 18).
    pub cautions: Vec<String>,
}

/// The path field's hint while nothing else is to be said.
pub const PATH_HINT: &str = "Tab completes; a folder attaches every JPEG and PNG in it";

/// The file extensions attached (any case).
pub const EXTENSIONS: [&str; 3] = ["jpg", "jpeg", "png"];

/// Whether `name` ends in .jpg, .jpeg or .png.
pub fn is_picture_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The attach form: path, view, zone (for a close-up).
pub fn form(t: &AttachTarget) -> Form {
    let views = View::ALL.iter().map(|v| v.label().to_string()).collect();
    let zones = t.zones.iter().map(|z| z.label().to_string()).collect();
    let mut f = Form::new(
        format!("Photos for the session of {}", t.day),
        vec![
            Field::text_capped(FieldKey::File, "File or folder", "", PATH_HINT, 1000),
            {
                let mut v = Field::choice(FieldKey::PhotoView, "View", views, 0);
                v.hint = "←/→, or f front, l left, r right, L/R oblique, c close-up".into();
                v
            },
            Field::choice(FieldKey::PhotoZone, "Zone", zones, 0).shown_if(false),
        ],
    );
    f.warnings = t.cautions.iter().cloned().map(FormWarning::Note).collect();
    f
}

/// The view a letter picks in the view field: f, l, r, L, R, c.
pub fn view_letter(c: char) -> Option<View> {
    Some(match c {
        'f' => View::Front,
        'l' => View::Left,
        'r' => View::Right,
        'L' => View::LeftOblique,
        'R' => View::RightOblique,
        'c' => View::CloseUp,
        _ => return None,
    })
}

/// The path typed, `~` expanded.
pub fn typed_path(form: &Form, home: Option<&Path>) -> PathBuf {
    super::forms::export::expand_home(form.text(FieldKey::File).trim(), home)
}

fn chosen_view(form: &Form) -> View {
    View::ALL
        .get(form.selected(FieldKey::PhotoView))
        .copied()
        .unwrap_or(View::Front)
}

/// Reads the form: the files to attach, or None with the problems beside
/// their fields.
pub fn build(form: &mut Form, t: &AttachTarget) -> Option<Vec<Request>> {
    let view = chosen_view(form);
    let close_up = view == View::CloseUp;
    if let Some(z) = form.field_mut(FieldKey::PhotoZone) {
        z.hidden = !close_up;
    }
    let zone = close_up
        .then(|| t.zones.get(form.selected(FieldKey::PhotoZone)).copied())
        .flatten();
    if close_up && zone.is_none() {
        form.set_error(FieldKey::PhotoZone, "no zone to choose");
    }
    if let Some(f) = form.field_mut(FieldKey::File) {
        f.hint = PATH_HINT.into();
    }
    let raw = form.text(FieldKey::File).to_string();
    let listed = t
        .listing
        .as_ref()
        .filter(|(at, _)| *at == raw)
        .map(|(_, l)| l.clone());
    if let (Some(l), Some(f)) = (&listed, form.field_mut(FieldKey::File)) {
        f.hint = l.clone();
    }
    let text = raw.trim().to_string();
    if text.is_empty() {
        form.set_error(FieldKey::File, "required");
        return None;
    }
    let path = typed_path(form, t.home.as_deref());
    let probe = t.probe.as_ref().filter(|(p, _)| *p == text).map(|(_, p)| p);
    let paths = match probe {
        None => {
            form.set_error(FieldKey::File, "checking…");
            return None;
        }
        Some(Probe::Missing) => {
            let why = match listed {
                Some(l) => format!("no such file; matches: {l}"),
                None => "no such file or folder".into(),
            };
            form.set_error(FieldKey::File, why);
            return None;
        }
        Some(Probe::File(Err(why))) => {
            form.set_error(FieldKey::File, why.clone());
            return None;
        }
        Some(Probe::File(Ok(()))) => vec![path],
        Some(Probe::Folder(files, others)) => {
            if files.is_empty() {
                form.set_error(
                    FieldKey::File,
                    format!("no JPEG or PNG file in this folder ({others} other files)"),
                );
                return None;
            }
            if let (None, Some(f)) = (&listed, form.field_mut(FieldKey::File)) {
                f.hint = folder_hint(files, *others);
            }
            files.clone()
        }
    };
    if !form.invalid_fields().is_empty() {
        return None;
    }
    Some(
        paths
            .into_iter()
            .map(|path| Request { path, view, zone })
            .collect(),
    )
}

fn folder_hint(files: &[PathBuf], others: usize) -> String {
    let names: Vec<String> = files
        .iter()
        .take(4)
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let more = if files.len() > 4 { ", …" } else { "" };
    let skipped = if others > 0 {
        format!("; {others} other files left out")
    } else {
        String::new()
    };
    format!(
        "{} photos: {}{more}{skipped}",
        files.len(),
        names.join(", ")
    )
}

/// Splits typed text into the folder part (kept as typed, with its `/`)
/// and the name being completed.
pub fn split_typed(typed: &str) -> (&str, &str) {
    match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    }
}

/// The entries completion offers for `prefix`: folders, pictures, and other
/// files (shown so the user sees why they would be refused). Hidden files
/// only when the prefix starts with a dot.
pub fn candidates<'a>(entries: &'a [Entry], prefix: &str) -> Vec<&'a Entry> {
    let mut v: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.name.starts_with(prefix))
        .filter(|e| prefix.starts_with('.') || !e.name.starts_with('.'))
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

/// The longest text every candidate starts with.
pub fn common_prefix(names: &[&str]) -> String {
    let Some(first) = names.first() else {
        return String::new();
    };
    let mut len = first.len();
    for n in &names[1..] {
        len = first
            .char_indices()
            .zip(n.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    first[..len].to_string()
}

/// What Tab does to `typed` given the folder's entries: the new text, and
/// the list to show (on a second Tab, or when nothing is added).
pub fn complete(typed: &str, entries: &[Entry], second: bool) -> (String, Option<String>) {
    let (dir, prefix) = split_typed(typed);
    let found = candidates(entries, prefix);
    if found.is_empty() {
        return (typed.to_string(), Some("nothing matches".into()));
    }
    if let [one] = found.as_slice() {
        let slash = if one.dir { "/" } else { "" };
        return (format!("{dir}{}{slash}", one.name), None);
    }
    let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
    let common = common_prefix(&names);
    if common.len() > prefix.len() {
        return (format!("{dir}{common}"), None);
    }
    let list = second.then(|| {
        let shown: Vec<String> = found
            .iter()
            .take(12)
            .map(|e| {
                if e.dir {
                    format!("{}/", e.name)
                } else if is_picture_name(&e.name) {
                    e.name.clone()
                } else {
                    format!("{} (not JPEG/PNG)", e.name)
                }
            })
            .collect();
        let more = found.len().saturating_sub(12);
        let tail = if more > 0 {
            format!(" … and {more} more")
        } else {
            String::new()
        };
        format!("{}{tail}", shown.join("  "))
    });
    (typed.to_string(), list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(name: &str, dir: bool) -> Entry {
        Entry {
            name: name.into(),
            dir,
        }
    }

    #[test]
    fn tab_completes_the_longest_common_prefix_then_lists() {
        let entries = [
            e("IMG_0001.jpg", false),
            e("IMG_0002.jpg", false),
            e("notes.txt", false),
            e("Photos", true),
            e(".hidden", false),
        ];
        assert_eq!(
            complete("/p/I", &entries, false),
            ("/p/IMG_000".to_string(), None)
        );
        let (text, list) = complete("/p/IMG_000", &entries, true);
        assert_eq!(text, "/p/IMG_000");
        assert_eq!(list.as_deref(), Some("IMG_0001.jpg  IMG_0002.jpg"));
        assert_eq!(complete("/p/P", &entries, false).0, "/p/Photos/");
        assert_eq!(complete("/p/n", &entries, false).0, "/p/notes.txt");
        let (_, all) = complete("/p/", &entries, true);
        let all = all.unwrap_or_default();
        assert!(all.contains("notes.txt (not JPEG/PNG)"), "{all}");
        assert!(!all.contains(".hidden"), "{all}");
        assert_eq!(
            complete("x", &entries, true).1.as_deref(),
            Some("nothing matches")
        );
    }

    #[test]
    fn picture_names_any_case() {
        assert!(is_picture_name("a.JPG"));
        assert!(is_picture_name("a.jpeg"));
        assert!(is_picture_name("a.png"));
        assert!(!is_picture_name("a.heic"));
        assert!(!is_picture_name("jpg"));
    }

    #[test]
    fn common_prefix_of_unicode_names() {
        assert_eq!(common_prefix(&["élan1", "élan2"]), "élan");
        assert_eq!(common_prefix(&["a", "b"]), "");
    }
}
