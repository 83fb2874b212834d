//! The home screen's list: which clients show (view + filter) and in what
//! order (sort). Pure: rows in, indices out.

use crate::db::client_list::ClientRow;
use crate::domain::DueState;
use chrono::NaiveDate;
use matching::{LetterTable, NameMatcher, Names, Scorer, best_first};
pub use matching::{Query, narrows, typed_as_a_name};
use std::sync::{Arc, OnceLock};

#[path = "list_match.rs"]
mod matching;

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
    /// The worst reaction at the latest session first: adverse events,
    /// then the most days of redness, swelling or peeling.
    Downtime,
}

impl Sort {
    pub fn next(self) -> Self {
        match self {
            Self::NextDue => Self::Name,
            Self::Name => Self::LastVisit,
            Self::LastVisit => Self::Downtime,
            Self::Downtime => Self::NextDue,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NextDue => "next due",
            Self::Name => "name",
            Self::LastVisit => "last visit",
            Self::Downtime => "downtime",
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
    /// The rows with their due states on `today`; a completed series is
    /// due for maintenance `maintenance_months` after its last session.
    pub fn new(rows: Vec<ClientRow>, today: NaiveDate, maintenance_months: u32) -> Self {
        let due = rows
            .iter()
            .map(|r| r.due(today, maintenance_months))
            .collect();
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

    /// Row `i`'s name as the name sort compares it.
    pub fn name_key(&self, i: usize) -> &str {
        &self.name_keys[i]
    }
}

/// Fuzzy matching state kept between key strokes (the matchers and the
/// buffers are reused).
#[derive(Default)]
pub struct Filter {
    scorer: Scorer,
    /// The rows in view and sort order, kept until the list, the view or
    /// the sort changes. A row's place is its position here.
    ordered: Vec<u32>,
    ordered_for: Option<(u64, View, Sort)>,
    /// Each row's name as nucleo reads it, built once per loaded list (the
    /// first time the filter is used on it).
    prepared: Arc<Names>,
    prepared_for: Option<u64>,
    /// The one-letter table of `prepared`, made on a thread of its own
    /// when the names are (see [`LetterTable`]); until it is there, or if
    /// it cannot be made, a one-letter query is matched the ordinary way.
    letters: Arc<OnceLock<Option<LetterTable>>>,
    /// The names of `ordered` in its order, copied from `prepared` the
    /// first time the filter is used after the order changes: scoring
    /// reads them front to back. With `all_places`, 0, 1, 2, …
    in_order: Arc<Names>,
    all_places: Arc<[u32]>,
    in_order_for: Option<(u64, View, Sort)>,
    /// The last query (trimmed) and the places, in order, whose names
    /// nucleo's pattern matched for it, before the check that letters were
    /// typed as a name: a query that only adds to it can match no other
    /// name.
    last_query: String,
    last_raw: Arc<[u32]>,
    /// The counting sort's buckets, kept from one key stroke to the next.
    counts: Vec<u32>,
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Filter")
    }
}

impl Filter {
    /// Indices of `rows` to show, in display order: for a query, the best
    /// matches first, ties in the chosen view's and sort's order.
    pub fn visible(&mut self, rows: &Rows, view: View, sort: Sort, query: &str) -> Vec<usize> {
        let key = (rows.generation, view, sort);
        if self.ordered_for != Some(key) {
            let mut idx: Vec<usize> = (0..rows.len())
                .filter(|&i| view.keeps(&rows.rows[i], rows.due[i]))
                .collect();
            idx.sort_by(|a, b| compare(rows, sort, *a, *b));
            // Row numbers fit in u32: a list is read into memory whole.
            self.ordered = idx.into_iter().map(|i| i as u32).collect();
            self.ordered_for = Some(key);
            self.last_query.clear();
        }
        let query = query.trim();
        if query.is_empty() {
            self.last_query.clear();
            return self.ordered.iter().map(|&i| i as usize).collect();
        }
        self.prepare(rows);
        if self.in_order_for != Some(key) {
            self.in_order = Arc::new(self.prepared.reordered(&self.ordered));
            self.all_places = (0..self.ordered.len() as u32).collect();
            self.in_order_for = Some(key);
        }
        if let Some(letter) = LetterTable::letter(query)
            && let Some(Some(table)) = self.letters.get()
            && table.covers(rows.len())
        {
            let found = table.score(letter, &self.ordered);
            return self.found(query, found);
        }
        let parsed = Query::parse(query);
        // The candidates are places in order (the previous matches keep
        // it), so the matches are too, and a stable sort on the score alone
        // breaks ties by the chosen order.
        let candidates = if narrows(&self.last_query, query) {
            &self.last_raw
        } else {
            &self.all_places
        };
        let found = self
            .scorer
            .score(&Arc::new(parsed), &self.in_order, candidates);
        self.found(query, found)
    }

    /// The rows `found` for `query`, best first; kept for the next query.
    fn found(&mut self, query: &str, found: matching::Scored) -> Vec<usize> {
        self.last_raw = found.raw.into();
        self.last_query.clear();
        self.last_query.push_str(query);
        best_first(&found.hits, &self.ordered, &mut self.counts)
    }

    /// Builds each name's matching form, once per loaded list.
    fn prepare(&mut self, rows: &Rows) {
        if self.prepared_for != Some(rows.generation) {
            self.prepared = Arc::new(Names::new(rows.rows.iter().map(|r| r.name.as_str())));
            self.prepared_for = Some(rows.generation);
            self.in_order_for = None;
            self.letters = Arc::new(OnceLock::new());
            let (names, letters) = (Arc::clone(&self.prepared), Arc::clone(&self.letters));
            // Stops early once the filter has let go of the table (a new
            // list came).
            let build = move || {
                letters.get_or_init(|| {
                    LetterTable::new(&names, &mut NameMatcher::default(), || {
                        Arc::strong_count(&letters) > 1
                    })
                });
            };
            // Tests make it at once, so that every one-letter query they
            // type goes through it.
            if cfg!(test) {
                build();
            } else {
                // No thread to be had: one-letter queries go the ordinary way.
                let _ = std::thread::Builder::new()
                    .name("filter-letters".into())
                    .spawn(build);
            }
        }
    }

    /// The memory the names in nucleo's form take, in bytes: both copies,
    /// by row and in display order (none before the filter is first used
    /// on a list).
    pub fn prepared_bytes(&self) -> usize {
        self.prepared.heap_bytes()
            + self
                .letters
                .get()
                .and_then(Option::as_ref)
                .map_or(0, LetterTable::heap_bytes)
            + self.in_order.heap_bytes()
            + self.all_places.len() * std::mem::size_of::<u32>()
    }

    /// Changes row `row`'s name in nucleo's form behind the filter's back.
    #[cfg(test)]
    fn rename_unseen(&mut self, row: usize, name: &str) {
        Arc::get_mut(&mut self.prepared)
            .expect("no thread holds the names")
            .replace(row, name);
        if let Some(place) = self.ordered.iter().position(|&i| i as usize == row) {
            Arc::get_mut(&mut self.in_order)
                .expect("no helper thread holds the names")
                .replace(place, name);
        }
    }

    /// How many archived clients the filter would find: said when the list
    /// is empty in another view, so a practitioner knows where to look.
    pub fn archived_matches(&mut self, rows: &Rows, query: &str) -> usize {
        let query = query.trim();
        if query.is_empty() {
            return 0;
        }
        self.prepare(rows);
        let parsed = Query::parse(query);
        let names = self.scorer.matcher();
        rows.rows
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                r.archived
                    && names
                        .score_prepared(&parsed, self.prepared.get(*i))
                        .is_some()
            })
            .count()
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
            let key = |i: usize| rows.due[i].map_or(DueState::NO_SERIES, DueState::urgency);
            key(a).cmp(&key(b)).then_with(by_name)
        }
        // Most recent first; never-seen clients last.
        Sort::LastVisit => rows.rows[b]
            .last_visit
            .cmp(&rows.rows[a].last_visit)
            .then_with(by_name),
        // Worst first; no downtime reported last.
        Sort::Downtime => {
            let (ra, rb) = (&rows.rows[a], &rows.rows[b]);
            (rb.last_adverse, rb.last_downtime)
                .cmp(&(ra.last_adverse, ra.last_downtime))
                .then_with(by_name)
        }
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
