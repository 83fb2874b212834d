//! The photos of the HTML report (`export --format html --photos`): for
//! each client with a photo consent, per view (and zone, for close-ups),
//! the baseline and the latest photo in the report's scope side by side,
//! downscaled and embedded as `data:` URIs so the file stays
//! self-contained, each with its date, the session's score and an alt
//! text. Clients without a photo consent get a line saying their photos
//! were left out, and are listed for the command's message. Read per
//! client, along with the client's tree, so the report still streams.

use super::chart::xml_escape as esc;
use crate::db::photos::ClientPhoto;
use crate::db::{ScopedClient, Store, StoreError};
use crate::photo::picture::thumbnail_jpeg;
use crate::photo::{FileKey, Format, PhotoStore};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The longest side of an embedded photo, in pixels.
pub const THUMB_SIDE: u32 = 360;

/// The note at the top of a report with photos.
pub const NOTE: &str = "This report contains clinical photos. Photos are included only for \
     clients who consented to them; keep the file private.";

/// What the photo sections need, and whom they left out.
pub struct PhotoSections<'a> {
    store: &'a Store,
    files: PhotoStore,
    /// Clients with photos in scope but no photo consent.
    pub left_out: Vec<String>,
}

impl<'a> PhotoSections<'a> {
    pub fn new(store: &'a Store) -> Self {
        Self {
            store,
            files: PhotoStore::for_db(store.path()),
            left_out: Vec::new(),
        }
    }

    /// Appends client `c`'s photo section to `out` (nothing when the
    /// client has no photos in scope).
    pub fn section(&mut self, c: &ScopedClient, out: &mut String) -> Result<(), StoreError> {
        let sessions: BTreeMap<i64, (chrono::NaiveDate, Option<u8>)> = c
            .series
            .iter()
            .flat_map(|s| s.sessions.iter())
            .map(|x| (x.id, (x.data.performed_at.date(), x.data.outcome_score)))
            .collect();
        let photos: Vec<ClientPhoto> = self
            .store
            .photos_of_client(c.client.id)?
            .into_iter()
            .filter(|p| sessions.contains_key(&p.photo.session_id))
            .collect();
        if photos.is_empty() {
            return Ok(());
        }
        let name = &c.client.data.name;
        out.push_str("<section class=\"photos\">\n<h3>Photos</h3>\n");
        if c.client.data.photo_consent_on.is_none() {
            self.left_out.push(name.clone());
            out.push_str("<p class=\"none\">Photos left out: no photo consent.</p>\n</section>\n");
            return Ok(());
        }
        // Baseline and latest per view (and zone), in session order.
        let mut by_view: BTreeMap<(String, String), Vec<&ClientPhoto>> = BTreeMap::new();
        for p in &photos {
            by_view
                .entry((p.photo.data.view.clone(), p.photo.data.zone.clone()))
                .or_default()
                .push(p);
        }
        for ((view, zone), list) in &by_view {
            let mut list = list.clone();
            list.sort_by_key(|p| (p.performed_at, p.photo.data.taken_at));
            let label = crate::domain::photo::stored_view_label(view, zone);
            let _ = writeln!(out, "<div class=\"pair\"><h4>{}</h4>", esc(&label));
            let (Some(first), Some(last)) = (list.first(), list.last()) else {
                continue;
            };
            let shown: Vec<(&str, &ClientPhoto)> = if list.len() > 1 {
                vec![("Baseline", first), ("Latest", last)]
            } else {
                vec![("Baseline", first)]
            };
            for (which, p) in shown {
                let (day, score) = sessions
                    .get(&p.photo.session_id)
                    .copied()
                    .unwrap_or((p.performed_at.date(), None));
                let score = score.map_or("no score".to_string(), |s| format!("score {s}"));
                let caption = format!("{which} · {day} · {score}");
                let alt = format!("{name}, {label}, {which}, {day}");
                let _ = write!(out, "<figure>");
                match self.thumbnail(p) {
                    Ok(jpeg) => {
                        let _ = write!(
                            out,
                            "<img src=\"data:image/jpeg;base64,{}\" alt=\"{}\"/>",
                            base64(&jpeg),
                            esc(&alt)
                        );
                    }
                    Err(why) => {
                        let _ = write!(
                            out,
                            "<p class=\"none\">Photo not available: {}</p>",
                            esc(&why)
                        );
                    }
                }
                let _ = writeln!(out, "<figcaption>{}</figcaption></figure>", esc(&caption));
            }
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
        Ok(())
    }

    /// The photo downscaled to a JPEG, or why it could not be read.
    fn thumbnail(&self, p: &ClientPhoto) -> Result<Vec<u8>, String> {
        let d = &p.photo.data;
        let format = Format::parse(&d.format).ok_or_else(|| format!("format {}", d.format))?;
        let key = d
            .file_key
            .as_deref()
            .map(FileKey::from_hex)
            .transpose()
            .map_err(|e| e.to_string())?;
        let plain = self
            .files
            .get(&d.sha256, format, key.as_ref())
            .map_err(|e| e.to_string())?;
        thumbnail_jpeg(&plain, format, THUMB_SIDE).map_err(|e| e.to_string())
    }
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }
}
