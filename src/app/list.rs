//! The home screen's list: which clients show (view + filter) and in what
//! order (sort). Pure: rows in, indices out.

use crate::db::client_list::ClientRow;
use crate::domain::DueState;
use chrono::NaiveDate;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    All,
    DueNow,
    Overdue,
    FollowupPending,
    /// Archived clients only; reached from the view cycle's end.
    Archived,
}

impl View {
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::DueNow,
            Self::DueNow => Self::Overdue,
            Self::Overdue => Self::FollowupPending,
            Self::FollowupPending => Self::Archived,
            Self::Archived => Self::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::DueNow => "due now",
            Self::Overdue => "overdue",
            Self::FollowupPending => "follow-up pending",
            Self::Archived => "archived",
        }
    }

    fn keeps(self, row: &ClientRow, due: Option<DueState>) -> bool {
        match self {
            Self::All => !row.archived,
            Self::DueNow => !row.archived && due.is_some_and(DueState::is_due_now),
            Self::Overdue => !row.archived && due.is_some_and(DueState::is_overdue),
            Self::FollowupPending => !row.archived && row.followup_pending,
            Self::Archived => row.archived,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    NextDue,
    Name,
    LastVisit,
}

impl Sort {
    pub fn next(self) -> Self {
        match self {
            Self::NextDue => Self::Name,
            Self::Name => Self::LastVisit,
            Self::LastVisit => Self::NextDue,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NextDue => "next due",
            Self::Name => "name",
            Self::LastVisit => "last visit",
        }
    }
}

/// Rows with their due state (computed once per load, for one "today") and
/// a lowercase name for sorting.
#[derive(Debug, Default)]
pub struct Rows {
    pub rows: Vec<ClientRow>,
    pub due: Vec<Option<DueState>>,
    name_keys: Vec<String>,
    /// Tells one loaded list from the next, for the filter's cached order.
    generation: u64,
}

impl Rows {
    pub fn new(rows: Vec<ClientRow>, today: NaiveDate) -> Self {
        let due = rows.iter().map(|r| r.due(today)).collect();
        let name_keys = rows.iter().map(|r| r.name.to_lowercase()).collect();
        static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Self {
            rows,
            due,
            name_keys,
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Fuzzy matching state kept between key strokes (the matcher reuses its
/// buffers).
pub struct Filter {
    matcher: Matcher,
    buf: Vec<char>,
    /// The list in view and sort order, and each row's place in it, kept
    /// until the list, the view or the sort changes: a key stroke in the
    /// filter then sorts its matches by (score, place), integers only.
    ordered: Vec<usize>,
    place: Vec<u32>,
    ordered_for: Option<(u64, View, Sort)>,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
            ordered: Vec::new(),
            place: Vec::new(),
            ordered_for: None,
        }
    }
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Filter")
    }
}

impl Filter {
    /// Indices of `rows` to show, in display order.
    pub fn visible(&mut self, rows: &Rows, view: View, sort: Sort, query: &str) -> Vec<usize> {
        let key = (rows.generation, view, sort);
        if self.ordered_for != Some(key) {
            let mut idx: Vec<usize> = (0..rows.len())
                .filter(|&i| view.keeps(&rows.rows[i], rows.due[i]))
                .collect();
            idx.sort_by(|a, b| compare(rows, sort, *a, *b));
            self.place = vec![u32::MAX; rows.len()];
            for (n, &i) in idx.iter().enumerate() {
                self.place[i] = n as u32;
            }
            self.ordered = idx;
            self.ordered_for = Some(key);
        }
        let query = query.trim();
        if query.is_empty() {
            return self.ordered.clone();
        }
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let mut scored: Vec<(std::cmp::Reverse<u32>, u32, usize)> = Vec::new();
        for &i in &self.ordered {
            let hay = Utf32Str::new(&rows.rows[i].name, &mut self.buf);
            if let Some(score) = pattern.score(hay, &mut self.matcher) {
                scored.push((std::cmp::Reverse(score), self.place[i], i));
            }
        }
        // Best matches first; the chosen sort breaks ties.
        scored.sort_unstable();
        scored.into_iter().map(|(_, _, i)| i).collect()
    }
}

fn compare(rows: &Rows, sort: Sort, a: usize, b: usize) -> std::cmp::Ordering {
    let by_name = || {
        rows.name_keys[a]
            .cmp(&rows.name_keys[b])
            .then(rows.rows[a].id.cmp(&rows.rows[b].id))
    };
    match sort {
        Sort::Name => by_name(),
        Sort::NextDue => {
            let key = |i: usize| rows.due[i].map_or((5, 0), DueState::urgency);
            key(a).cmp(&key(b)).then_with(by_name)
        }
        // Most recent first; never-seen clients last.
        Sort::LastVisit => rows.rows[b]
            .last_visit
            .cmp(&rows.rows[a].last_visit)
            .then_with(by_name),
    }
}
