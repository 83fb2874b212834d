//! The compare screen's data: plain values the caller fills from the
//! database, and the pure steps `update` applies to them (step through
//! visits, cycle the view). Its geometry is here too, so the caller
//! prepares photos for exactly the cells `render_compare` draws them in.

use crate::domain::{View, Zone};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Block;

/// One photo position shown on the compare screen: a view, and for a
/// close-up the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareView {
    pub view: View,
    pub zone: Option<Zone>,
}

impl CompareView {
    pub fn new(view: View) -> Self {
        Self { view, zone: None }
    }

    pub fn close_up(zone: Zone) -> Self {
        Self {
            view: View::CloseUp,
            zone: Some(zone),
        }
    }

    /// "front", "close-up: cheeks".
    pub fn label(&self) -> String {
        crate::domain::photo::view_label(self.view, self.zone)
    }
}

/// One visit (session) of the series, oldest first in [`Compare::visits`].
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub date: NaiveDate,
    /// Counted from 1 within the series.
    pub session_number: usize,
    /// The outcome score as shown, e.g. "Goodman & Baron 3": the scale's
    /// name, a space, the value.
    pub score: Option<String>,
    /// The photo's hash for each of [`Compare::views`], in the same order;
    /// `None` where no photo of that view was taken at this visit.
    pub photos: Vec<Option<String>>,
}

impl Visit {
    /// The hash of this visit's photo of view number `view`, if any.
    pub fn hash(&self, view: usize) -> Option<&str> {
        self.photos.get(view).and_then(|h| h.as_deref())
    }
}

/// The keys the hint line names; the defaults are the built-in keys, a
/// caller with a remapped keymap fills in its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareKeys {
    pub step: String,
    pub view: String,
    pub open: String,
    pub back: String,
}

impl Default for CompareKeys {
    fn default() -> Self {
        Self {
            step: "←/→ h/l".into(),
            view: "v".into(),
            open: "o".into(),
            back: "Esc".into(),
        }
    }
}

/// The compare screen: the baseline photo of a view on the left, a later
/// visit's photo of the same view on the right.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    pub client: String,
    /// The views with at least one photo, in the order `v` cycles them.
    pub views: Vec<CompareView>,
    /// The index in `views` shown now.
    pub view: usize,
    pub visits: Vec<Visit>,
    /// The first visit with a photo of the view (the left pane).
    pub baseline: usize,
    /// The visit in the right pane; starts at the latest with a photo.
    pub current: usize,
    /// A line for the user (e.g. "This is the latest front photo.").
    pub message: Option<String>,
    pub keys: CompareKeys,
}

impl Compare {
    /// The screen on the first view, its baseline on the left and its
    /// latest photo on the right.
    pub fn new(client: impl Into<String>, views: Vec<CompareView>, visits: Vec<Visit>) -> Self {
        let mut c = Self {
            client: client.into(),
            views,
            view: 0,
            visits,
            baseline: 0,
            current: 0,
            message: None,
            keys: CompareKeys::default(),
        };
        c.show_view(0);
        c
    }

    /// The label of the view shown ("front"); empty without views.
    pub fn view_label(&self) -> String {
        self.views
            .get(self.view)
            .map(CompareView::label)
            .unwrap_or_default()
    }

    /// Whether visit `i` has a photo of the view shown.
    pub fn has_photo(&self, i: usize) -> bool {
        self.visits
            .get(i)
            .is_some_and(|v| v.hash(self.view).is_some())
    }

    /// The visits with a photo of the view shown, oldest first.
    pub fn with_photos(&self) -> Vec<usize> {
        (0..self.visits.len())
            .filter(|&i| self.has_photo(i))
            .collect()
    }

    /// Whether only one visit (or none) has a photo of the view: the right
    /// pane then has nothing to compare.
    pub fn single(&self) -> bool {
        self.with_photos().len() < 2
    }

    /// Shows view `view` (clamped): baseline its first photo, current its
    /// latest.
    fn show_view(&mut self, view: usize) {
        self.view = view.min(self.views.len().saturating_sub(1));
        let photos = self.with_photos();
        self.baseline = photos.first().copied().unwrap_or(0);
        self.current = photos.last().copied().unwrap_or(self.baseline);
    }

    /// Moves the right pane to the next (`forward`) or previous visit with
    /// a photo of the view, never onto or before the baseline. At either
    /// end nothing moves and the message says why; returns whether it moved.
    pub fn step(&mut self, forward: bool) -> bool {
        self.clamp();
        let photos = self.with_photos();
        let later: Vec<usize> = photos.into_iter().filter(|&i| i > self.baseline).collect();
        let to = if forward {
            later.iter().copied().find(|&i| i > self.current)
        } else {
            later.iter().rev().copied().find(|&i| i < self.current)
        };
        match to {
            Some(i) => {
                self.current = i;
                self.message = None;
                true
            }
            None => {
                let label = self.view_label();
                self.message = Some(if later.is_empty() {
                    format!("Only one {label} photo so far: nothing to step through.")
                } else if forward {
                    format!("This is the latest {label} photo.")
                } else {
                    format!("This is the first {label} photo after the baseline.")
                });
                false
            }
        }
    }

    /// The next view (back to the first after the last).
    pub fn cycle_view(&mut self) {
        if self.views.len() < 2 {
            self.message = Some(format!(
                "Only {} photos for this client.",
                self.view_label()
            ));
            return;
        }
        self.show_view((self.view + 1) % self.views.len());
        self.message = None;
    }

    /// Puts every index back in range after the data changed (a visit or a
    /// view removed): the current pane stays on a visit with a photo.
    pub fn clamp(&mut self) {
        let views = self.views.len().saturating_sub(1);
        if self.view > views {
            self.show_view(views);
            return;
        }
        let photos = self.with_photos();
        let (Some(&first), Some(&last)) = (photos.first(), photos.last()) else {
            self.baseline = 0;
            self.current = 0;
            return;
        };
        if !self.has_photo(self.baseline) {
            self.baseline = first;
        }
        if !self.has_photo(self.current) || self.current < self.baseline {
            self.current = photos
                .iter()
                .copied()
                .find(|&i| i >= self.current && i > self.baseline)
                .unwrap_or(last);
        }
    }

    /// The photos `render_compare` would draw in `area` and the cells each
    /// is drawn in: prepare these in the [`super::PhotoCache`] first.
    pub fn wanted(&self, area: Rect) -> Vec<(String, Rect)> {
        let g = CompareLayout::new(area, self.message.is_some());
        let mut out = Vec::new();
        let panes = [
            (self.baseline, g.left_picture),
            (self.current, g.right_picture),
        ];
        for (i, (visit, rect)) in panes.into_iter().enumerate() {
            if i == 1 && self.single() {
                continue;
            }
            if let Some(h) = self.visits.get(visit).and_then(|v| v.hash(self.view))
                && !out
                    .iter()
                    .any(|(o, r): &(String, Rect)| o == h && *r == rect)
            {
                out.push((h.to_string(), rect));
            }
        }
        out
    }
}

/// Where each part of the compare screen goes in `area`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareLayout {
    pub header: Rect,
    pub left: Rect,
    pub right: Rect,
    pub left_picture: Rect,
    pub right_picture: Rect,
    pub strip: Rect,
    pub message: Option<Rect>,
    pub hint: Rect,
}

impl CompareLayout {
    pub fn new(area: Rect, message: bool) -> Self {
        let [header, panes, strip, message_row, hint] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(u16::from(message)),
            Constraint::Length(1),
        ])
        .areas(area);
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(panes);
        let block = Block::bordered();
        Self {
            header,
            left,
            right,
            left_picture: block.inner(left),
            right_picture: block.inner(right),
            strip,
            message: message.then_some(message_row),
            hint,
        }
    }
}

/// "Goodman & Baron 3 → 2" from "Goodman & Baron 3" and "Goodman & Baron 2"
/// (the same scale is named once); a missing score reads "not scored".
pub fn score_change(before: Option<&str>, after: Option<&str>) -> Option<String> {
    let split = |s: &str| {
        s.rsplit_once(' ')
            .map(|(scale, v)| (scale.to_string(), v.to_string()))
    };
    match (before, after) {
        (None, None) => None,
        (Some(b), Some(a)) => Some(match (split(b), split(a)) {
            (Some((sb, vb)), Some((sa, va))) if sb == sa => format!("{sb} {vb} → {va}"),
            _ => format!("{b} → {a}"),
        }),
        (Some(b), None) => Some(format!("{b} → not scored")),
        (None, Some(a)) => Some(format!("not scored → {a}")),
    }
}
