//! How photos become terminal cells: a [`PhotoPainter`] knows the graphics
//! protocol and the font size; a [`PhotoCache`] keeps the last few photos
//! already encoded for a given cell size, so drawing only reads them.

use image::DynamicImage;
use ratatui::layout::{Rect, Size};
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::{FontSize, Resize};
use std::collections::VecDeque;

/// The environment variable that picks the graphics protocol by hand.
pub const PROTOCOL_ENV: &str = "NEEDLELOG_PHOTO_PROTOCOL";

/// The values [`PROTOCOL_ENV`] accepts.
pub const PROTOCOL_CHOICES: &str = "halfblocks, kitty, sixel, iterm2";

/// Draws photos with one graphics protocol at one font size.
#[derive(Debug, Clone)]
pub struct PhotoPainter {
    picker: Picker,
}

impl PhotoPainter {
    /// Coloured half blocks (`▀`): works in any terminal, in tests'
    /// `TestBackend` and in `needlelog render`. Asks the terminal nothing.
    pub fn halfblocks() -> Self {
        Self {
            picker: Picker::halfblocks(),
        }
    }

    /// The best protocol the real terminal offers (kitty, sixel, iTerm2,
    /// else half blocks), or the one [`PROTOCOL_ENV`] names.
    ///
    /// This writes queries to the terminal and reads its answers from
    /// standard input, so the caller must call it once, after raw mode and
    /// the alternate screen are on (after `tui::enter`) and BEFORE the event
    /// loop starts reading keys; otherwise the answers would arrive as key
    /// presses. Any failure of the query falls back to half blocks (a
    /// protocol forced by [`PROTOCOL_ENV`] is still used, with a guessed
    /// 10×20-pixel cell); `halfblocks` asks nothing. The second value is a
    /// message for the status line when [`PROTOCOL_ENV`] holds a value that
    /// is not one of [`PROTOCOL_CHOICES`] (the terminal's answer is used).
    pub fn detect() -> (Self, Option<String>) {
        let wanted = std::env::var(PROTOCOL_ENV).ok();
        let (forced, message) = match wanted.as_deref().map(str::trim) {
            None | Some("") => (None, None),
            Some(v) => match parse_protocol(v) {
                Some(p) => (Some(p), None),
                None => (
                    None,
                    Some(format!(
                        "{PROTOCOL_ENV}={v} is not one of {PROTOCOL_CHOICES}: photos use what the terminal offers."
                    )),
                ),
            },
        };
        (Self::detected(forced), message)
    }

    fn detected(forced: Option<ProtocolType>) -> Self {
        if forced == Some(ProtocolType::Halfblocks)
            || (forced.is_none() && !worth_asking(|k| std::env::var(k).ok()))
        {
            return Self::halfblocks();
        }
        let mut picker = Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks());
        if let Some(p) = forced {
            picker.set_protocol_type(p);
        }
        Self { picker }
    }

    /// The protocol in use.
    pub fn protocol(&self) -> ProtocolType {
        self.picker.protocol_type()
    }

    /// The terminal's cell size in pixels (10×20 for half blocks).
    pub fn font_size(&self) -> FontSize {
        self.picker.font_size()
    }

    /// `image` encoded to fit inside `width`×`height` cells, keeping its
    /// proportions ([`Resize::Fit`]: shrunk when larger, never enlarged).
    fn encode(&self, image: &DynamicImage, width: u16, height: u16) -> Result<Protocol, String> {
        self.picker
            .new_protocol(image.clone(), Size::new(width, height), Resize::Fit(None))
            .map_err(|e| format!("The photo could not be drawn: {e}"))
    }
}

/// Whether to ask the terminal for its graphics protocol at all. Not on a
/// dumb terminal or the Linux console, and not inside tmux or GNU screen:
/// they pass the question on only when configured to, and a question left
/// unanswered costs a 2-second wait at start-up, after which the library's
/// reader, still waiting, takes the first key pressed. A protocol named in
/// [`PROTOCOL_ENV`] is asked for all the same.
pub fn worth_asking(env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    if set("TMUX") || set("STY") {
        return false;
    }
    match env("TERM") {
        None => false,
        Some(t) => {
            !(t.is_empty()
                || t == "dumb"
                || t == "linux"
                || t.starts_with("screen")
                || t.starts_with("tmux"))
        }
    }
}

/// `halfblocks`, `kitty`, `sixel` or `iterm2` (any case); anything else is
/// `None`.
pub fn parse_protocol(s: &str) -> Option<ProtocolType> {
    match s.trim().to_ascii_lowercase().as_str() {
        "halfblocks" => Some(ProtocolType::Halfblocks),
        "kitty" => Some(ProtocolType::Kitty),
        "sixel" => Some(ProtocolType::Sixel),
        "iterm2" => Some(ProtocolType::Iterm2),
        _ => None,
    }
}

/// How many encoded photos a [`PhotoCache`] keeps by default.
pub const CACHE_SIZE: usize = 16;

/// Photos ready to draw, keyed by (photo hash, cell width, cell height).
/// [`PhotoCache::prepare`] (outside drawing) encodes; [`PhotoCache::get`]
/// (while drawing) only reads. The least recently prepared entry goes
/// first when the cache is full.
pub struct PhotoCache {
    limit: usize,
    entries: VecDeque<(Key, Protocol)>,
}

type Key = (String, u16, u16);

impl Default for PhotoCache {
    fn default() -> Self {
        Self::new(CACHE_SIZE)
    }
}

impl std::fmt::Debug for PhotoCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&Key> = self.entries.iter().map(|(k, _)| k).collect();
        f.debug_struct("PhotoCache")
            .field("limit", &self.limit)
            .field("entries", &keys)
            .finish()
    }
}

impl PhotoCache {
    /// A cache keeping at most `limit` photos (at least one).
    pub fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            entries: VecDeque::new(),
        }
    }

    /// Makes the photo `hash` ready to draw in `area`'s size. Already there:
    /// it only becomes the most recent. An error (the image cannot be
    /// encoded) leaves the cache as it was.
    pub fn prepare(
        &mut self,
        painter: &PhotoPainter,
        hash: &str,
        image: &DynamicImage,
        area: Rect,
    ) -> Result<(), String> {
        let key = (hash.to_string(), area.width, area.height);
        if let Some(i) = self.entries.iter().position(|(k, _)| *k == key) {
            if let Some(entry) = self.entries.remove(i) {
                self.entries.push_back(entry);
            }
            return Ok(());
        }
        let protocol = painter.encode(image, area.width, area.height)?;
        while self.entries.len() >= self.limit {
            self.entries.pop_front();
        }
        self.entries.push_back((key, protocol));
        Ok(())
    }

    /// The photo `hash` encoded for `width`×`height` cells, if prepared.
    pub fn get(&self, hash: &str, width: u16, height: u16) -> Option<&Protocol> {
        self.entries
            .iter()
            .find(|((h, w, ht), _)| h == hash && *w == width && *ht == height)
            .map(|(_, p)| p)
    }

    /// Whether the photo is ready for that size.
    pub fn has(&self, hash: &str, width: u16, height: u16) -> bool {
        self.get(hash, width, height).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets everything (after a change of protocol or font size).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silent_terminals_and_multiplexers_are_not_asked() {
        let ask = |vars: &[(&str, &str)]| {
            let vars: Vec<(String, String)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            worth_asking(move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
        };
        assert!(ask(&[("TERM", "xterm-kitty")]));
        assert!(ask(&[("TERM", "xterm-256color")]));
        assert!(ask(&[("TERM", "foot"), ("TMUX", "")]));
        assert!(!ask(&[]));
        assert!(!ask(&[("TERM", "dumb")]));
        assert!(!ask(&[("TERM", "linux")]));
        assert!(!ask(&[("TERM", "tmux-256color")]));
        assert!(!ask(&[("TERM", "screen.xterm-256color")]));
        assert!(!ask(&[
            ("TERM", "xterm-256color"),
            ("TMUX", "/tmp/tmux-0/default,1,0")
        ]));
        assert!(!ask(&[
            ("TERM", "xterm-256color"),
            ("STY", "12.pts-0.host")
        ]));
    }
    use image::{Rgb, RgbImage};

    fn solid(r: u8, g: u8, b: u8) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_pixel(400, 500, Rgb([r, g, b])))
    }

    #[test]
    fn protocol_names_are_read_in_any_case() {
        assert_eq!(parse_protocol("Kitty"), Some(ProtocolType::Kitty));
        assert_eq!(parse_protocol(" sixel "), Some(ProtocolType::Sixel));
        assert_eq!(parse_protocol("iterm2"), Some(ProtocolType::Iterm2));
        assert_eq!(parse_protocol("HALFBLOCKS"), Some(ProtocolType::Halfblocks));
        assert_eq!(parse_protocol("ascii"), None);
        assert_eq!(
            PhotoPainter::halfblocks().protocol(),
            ProtocolType::Halfblocks
        );
    }

    #[test]
    fn forcing_half_blocks_asks_the_terminal_nothing() {
        // Would block or fail on a query; the forced choice never queries.
        let p = PhotoPainter::detected(Some(ProtocolType::Halfblocks));
        assert_eq!(p.protocol(), ProtocolType::Halfblocks);
    }

    #[test]
    fn the_cache_keeps_the_last_photos_prepared() {
        let painter = PhotoPainter::halfblocks();
        let mut cache = PhotoCache::new(3);
        let area = Rect::new(0, 0, 10, 6);
        for i in 0..5u8 {
            let hash = format!("h{i}");
            cache
                .prepare(&painter, &hash, &solid(i * 40, 0, 0), area)
                .unwrap();
        }
        assert_eq!(cache.len(), 3);
        assert!(!cache.has("h0", 10, 6) && !cache.has("h1", 10, 6));
        assert!(cache.has("h2", 10, 6) && cache.has("h4", 10, 6));
        // Preparing again makes h2 the most recent: h3 goes next.
        cache
            .prepare(&painter, "h2", &solid(0, 0, 0), area)
            .unwrap();
        cache
            .prepare(&painter, "h5", &solid(0, 0, 0), area)
            .unwrap();
        assert!(cache.has("h2", 10, 6) && !cache.has("h3", 10, 6));
        // Another size is another entry.
        assert!(cache.get("h5", 12, 6).is_none());
        cache
            .prepare(&painter, "h5", &solid(0, 0, 0), Rect::new(0, 0, 12, 6))
            .unwrap();
        assert!(cache.has("h5", 12, 6) && cache.has("h5", 10, 6));
        assert_eq!(cache.len(), 3);
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn a_prepared_photo_fits_its_cells() {
        let painter = PhotoPainter::halfblocks();
        let mut cache = PhotoCache::default();
        cache
            .prepare(&painter, "x", &solid(255, 0, 0), Rect::new(0, 0, 30, 12))
            .unwrap();
        let size = cache.get("x", 30, 12).unwrap().size();
        assert!(size.width <= 30 && size.height <= 12, "{size:?}");
        assert!(size.width > 0 && size.height == 12, "{size:?}");
    }
}
