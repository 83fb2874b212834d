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
    /// The zones a close-up may show (the session's, else all).
    pub zones: Vec<Zone>,
    pub home: Option<PathBuf>,
    /// The text of the path field when Tab was last pressed on it: a
    /// second Tab on the same text lists the candidates.
    pub tabbed: Option<String>,
    /// What a second Tab listed: (the text it was listed for, the list).
    pub listing: Option<(String, String)>,
    /// The probe of the path as typed: (text, what it is).
    pub probe: Option<(String, Probe)>,
    /// The files the view rows stand for, in row order (empty until the
    /// path names a picture or a folder of them: then one row waits).
    pub files: Vec<PathBuf>,
    /// Warnings about the client (no photo consent, under 18).
    pub cautions: Vec<String>,
}

/// The path field's hint while nothing else is to be said.
pub const PATH_HINT: &str = "Tab completes; a folder attaches every JPEG and PNG in it";

/// A view row's hint.
pub const VIEW_HINT: &str = "←/→, or f l r, L R oblique, c close-up (c again: next zone)";

/// The widest file name a view row's label shows (the form's label column
/// less its marker and a space).
const NAME_W: usize = 23;

/// The file extensions attached (any case).
pub const EXTENSIONS: [&str; 3] = ["jpg", "jpeg", "png"];

/// Whether `name` ends in .jpg, .jpeg or .png.
pub fn is_picture_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// What a view row offers, in order: each view but the close-up, then a
/// close-up of each zone (so one row says both what and where).
pub fn view_options(zones: &[Zone]) -> Vec<(View, Option<Zone>)> {
    View::ALL
        .iter()
        .filter(|v| **v != View::CloseUp)
        .map(|v| (*v, None))
        .chain(zones.iter().map(|z| (View::CloseUp, Some(*z))))
        .collect()
}

/// A view row for `file` (None: the row shown before any file is known).
fn view_row(t: &AttachTarget, file: Option<&Path>, selected: usize) -> Field {
    let options = view_options(&t.zones)
        .into_iter()
        .map(|(v, z)| crate::domain::photo::view_label(v, z))
        .collect();
    let mut f = Field::choice(FieldKey::PhotoView, "View", options, selected);
    f.hint = VIEW_HINT.into();
    match file.and_then(Path::file_name) {
        Some(name) => f.labelled(fit_name(&name.to_string_lossy())),
        None => f,
    }
}

/// A file name cut to the label column, keeping its end (where a phone's
/// names differ).
fn fit_name(name: &str) -> String {
    let n = name.chars().count();
    if n <= NAME_W {
        return name.to_string();
    }
    let tail: String = name.chars().skip(n - (NAME_W - 1)).collect();
    format!("…{tail}")
}

/// The attach form: the path, then one view row (one per file once the
/// path names them).
pub fn form(t: &AttachTarget) -> Form {
    let mut fields = vec![Field::text_capped(
        FieldKey::File,
        "File or folder",
        "",
        PATH_HINT,
        1000,
    )];
    if t.files.is_empty() {
        fields.push(view_row(t, None, 0));
    } else {
        fields.extend(t.files.iter().map(|p| view_row(t, Some(p), 0)));
    }
    let mut f = Form::new(format!("Photos for the session of {}", t.day), fields);
    f.warnings = t.cautions.iter().cloned().map(FormWarning::Note).collect();
    f
}

/// The files a probe names: None while it names none (missing, refused,
/// an empty folder).
pub fn probed_files(probe: &Probe, typed: &Path) -> Option<Vec<PathBuf>> {
    match probe {
        Probe::File(Ok(())) => Some(vec![typed.to_path_buf()]),
        Probe::Folder(files, _) if !files.is_empty() => Some(files.clone()),
        _ => None,
    }
}

/// Gives the form a view row per file of `files`. A file that had a row
/// keeps its choice; a new one starts at the first row's (the view picked
/// before the path was complete). Focus stays on the path field.
pub fn set_files(form: &mut Form, t: &mut AttachTarget, files: Vec<PathBuf>) {
    if files == t.files {
        return;
    }
    let rows: Vec<usize> = form
        .fields
        .iter()
        .filter(|f| f.key == FieldKey::PhotoView)
        .map(Field::selected)
        .collect();
    let first = rows.first().copied().unwrap_or(0);
    let kept = |p: &PathBuf| {
        t.files
            .iter()
            .position(|q| q == p)
            .and_then(|i| rows.get(i).copied())
    };
    let new_rows: Vec<Field> = files
        .iter()
        .map(|p| view_row(t, Some(p), kept(p).unwrap_or(first)))
        .collect();
    let focused_key = form.fields.get(form.focus).map(|f| f.key);
    form.fields.retain(|f| f.key != FieldKey::PhotoView);
    form.fields.extend(new_rows);
    if focused_key != Some(FieldKey::File) {
        form.focus = form.focus.min(form.fields.len().saturating_sub(1));
    }
    t.files = files;
}

/// The row choice a letter picks on a view row now at `selected`: f, l,
/// r, L, R for the views; c for a close-up, again for the next zone's.
pub fn view_letter(c: char, selected: usize, zones: &[Zone]) -> Option<usize> {
    let options = view_options(zones);
    let view = match c {
        'f' => View::Front,
        'l' => View::Left,
        'r' => View::Right,
        'L' => View::LeftOblique,
        'R' => View::RightOblique,
        'c' => {
            let first = options.iter().position(|(v, _)| *v == View::CloseUp)?;
            let on_close_up = options
                .get(selected)
                .is_some_and(|(v, _)| *v == View::CloseUp);
            let next = selected + 1;
            return Some(if on_close_up && next < options.len() {
                next
            } else {
                first
            });
        }
        _ => return None,
    };
    options.iter().position(|(v, _)| *v == view)
}

/// Reads the form: the files to attach, each with its view, or None with
/// the problems beside their fields.
pub fn build(form: &mut Form, t: &AttachTarget) -> Option<Vec<Request>> {
    let options = view_options(&t.zones);
    let chosen: Vec<(View, Option<Zone>)> = form
        .fields
        .iter()
        .filter(|f| f.key == FieldKey::PhotoView)
        .map(|f| {
            options
                .get(f.selected())
                .copied()
                .unwrap_or((View::Front, None))
        })
        .collect();
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
    let probe = t.probe.as_ref().filter(|(p, _)| *p == text).map(|(_, p)| p);
    match probe {
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
        Some(Probe::File(Ok(()))) => {}
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
        }
    }
    // The probe named files, and `set_files` made a view row for each of
    // them when it arrived (`probed`).
    if chosen.len() != t.files.len() {
        form.set_error(FieldKey::File, "checking…");
        return None;
    }
    if !form.invalid_fields().is_empty() {
        return None;
    }
    Some(
        t.files
            .iter()
            .zip(chosen)
            .map(|(path, (view, zone))| Request {
                path: path.clone(),
                view,
                zone,
            })
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
    fn letters_pick_views_and_c_steps_through_the_close_up_zones() {
        let zones = [Zone::Cheeks, Zone::Chin];
        let options = view_options(&zones);
        assert_eq!(options.len(), 7);
        let pick = |c, at| view_letter(c, at, &zones).map(|i| options[i]);
        assert_eq!(pick('l', 0), Some((View::Left, None)));
        assert_eq!(pick('R', 0), Some((View::RightOblique, None)));
        assert_eq!(pick('c', 0), Some((View::CloseUp, Some(Zone::Cheeks))));
        assert_eq!(pick('c', 5), Some((View::CloseUp, Some(Zone::Chin))));
        // Past the last zone, back to the first.
        assert_eq!(pick('c', 6), Some((View::CloseUp, Some(Zone::Cheeks))));
        assert_eq!(pick('x', 0), None);
    }

    fn target() -> AttachTarget {
        AttachTarget {
            session_id: 1,
            day: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            zones: vec![Zone::Cheeks],
            home: None,
            tabbed: None,
            listing: None,
            probe: None,
            files: Vec::new(),
            cautions: Vec::new(),
        }
    }

    fn rows(form: &Form) -> Vec<(String, usize)> {
        form.fields
            .iter()
            .filter(|f| f.key == FieldKey::PhotoView)
            .map(|f| (f.label.to_string(), f.selected()))
            .collect()
    }

    #[test]
    fn new_files_start_at_the_first_rows_view_and_known_files_keep_theirs() {
        let mut t = target();
        let mut form = form(&t);
        assert_eq!(rows(&form), [("View".to_string(), 0)]);
        form.fields[1].select(2);
        let a = PathBuf::from("/p/a.jpg");
        let b = PathBuf::from("/p/b.jpg");
        set_files(&mut form, &mut t, vec![a.clone(), b.clone()]);
        assert_eq!(rows(&form), [("a.jpg".to_string(), 2), ("b.jpg".into(), 2)]);
        form.fields[2].select(1);
        let long = PathBuf::from("/p/IMG_20261130_101512_HDR.jpg");
        // b keeps its own view; the new file starts at the first row's
        // (a's, still 2) before the rows are rebuilt.
        set_files(&mut form, &mut t, vec![b, long]);
        assert_eq!(
            rows(&form),
            [
                ("b.jpg".to_string(), 1),
                ("…0261130_101512_HDR.jpg".into(), 2)
            ]
        );
        assert_eq!(t.files.len(), 2);
    }

    #[test]
    fn common_prefix_of_unicode_names() {
        assert_eq!(common_prefix(&["élan1", "élan2"]), "élan");
        assert_eq!(common_prefix(&["a", "b"]), "");
    }
}
