//! The home screen's list: which clients show (view + filter) and in what
//! order (sort). Pure: rows in, indices out.

use crate::db::client_list::ClientRow;
use crate::domain::DueState;
use chrono::NaiveDate;
use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

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

/// Fuzzy matching state kept between key strokes (the matcher reuses its
/// buffers).
#[derive(Default)]
pub struct Filter {
    names: NameMatcher,
    /// The list in view and sort order, and each row's place in it, kept
    /// until the list, the view or the sort changes: a key stroke in the
    /// filter then sorts its matches by (score, place), integers only.
    ordered: Vec<usize>,
    place: Vec<u32>,
    ordered_for: Option<(u64, View, Sort)>,
    /// Each row's name as nucleo reads it, built once per loaded list (the
    /// first time the filter is used on it).
    prepared: Vec<Utf32String>,
    prepared_for: Option<u64>,
    /// The last query (trimmed) and the rows in `ordered` that nucleo's
    /// pattern matched for it, before the check that letters were typed as
    /// a name: a query that only adds to it can match no other row.
    last_query: String,
    last_raw: Vec<usize>,
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
            self.last_query.clear();
        }
        let query = query.trim();
        if query.is_empty() {
            self.last_query.clear();
            return self.ordered.clone();
        }
        self.prepare(rows);
        let parsed = Query::parse(query);
        let candidates = if narrows(&self.last_query, query) {
            std::mem::take(&mut self.last_raw)
        } else {
            self.ordered.clone()
        };
        let mut raw = Vec::with_capacity(candidates.len());
        let mut scored: Vec<(std::cmp::Reverse<u32>, u32, usize)> = Vec::new();
        for i in candidates {
            let hay = self.prepared[i].slice(..);
            let Some((score, typed)) = self.names.matches(&parsed, hay) else {
                continue;
            };
            raw.push(i);
            if typed {
                scored.push((std::cmp::Reverse(score), self.place[i], i));
            }
        }
        self.last_raw = raw;
        self.last_query.clear();
        self.last_query.push_str(query);
        // Best matches first; the chosen sort breaks ties.
        scored.sort_unstable();
        scored.into_iter().map(|(_, _, i)| i).collect()
    }

    /// Builds each name's matching form, once per loaded list.
    fn prepare(&mut self, rows: &Rows) {
        if self.prepared_for != Some(rows.generation) {
            self.prepared = rows
                .rows
                .iter()
                .map(|r| Utf32String::from(r.name.as_str()))
                .collect();
            self.prepared_for = Some(rows.generation);
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
        let names = &mut self.names;
        rows.rows
            .iter()
            .zip(&self.prepared)
            .filter(|(r, name)| {
                r.archived && names.score_prepared(&parsed, name.slice(..)).is_some()
            })
            .count()
    }
}

/// Whether every name nucleo's pattern matches for `query` is among those
/// it matched for `previous` (both trimmed), so that only those need
/// scoring again. Only when `query` adds to the end of `previous` without
/// loosening it: new words are added (each must match too), or the last
/// word grows while it is not negative (`!abc` excludes fewer names than
/// `!ab`), not empty but for its syntax (`^` alone matches everything), and
/// not closed by `$` (after it, `$` is a letter again). A backslash
/// anywhere (nucleo's escape) always scores everything again.
pub fn narrows(previous: &str, query: &str) -> bool {
    if previous.is_empty() || previous.contains('\\') || query.contains('\\') {
        return false;
    }
    let Some(added) = query.strip_prefix(previous) else {
        return false;
    };
    if added.starts_with(' ') || added.is_empty() {
        return true;
    }
    let last = previous.rsplit(' ').next().unwrap_or(previous);
    let needle = last
        .strip_prefix('^')
        .or_else(|| last.strip_prefix('\''))
        .unwrap_or(last);
    !last.starts_with('!') && !last.ends_with('$') && !needle.is_empty()
}

/// nucleo's matcher with the buffers it reuses from one name to the next.
struct NameMatcher {
    matcher: Matcher,
    indices: Vec<u32>,
}

impl Default for NameMatcher {
    fn default() -> Self {
        Self {
            matcher: Matcher::new(Config::DEFAULT),
            indices: Vec::new(),
        }
    }
}

/// A parsed filter: nucleo's pattern, and for each fuzzy word of two or
/// more letters the same word as a plain substring, which a name that holds
/// it letter for letter matches even when nucleo's best alignment of the
/// fuzzy word is spread out ("ar" in "Marta Ruiz" aligns as a·R).
pub struct Query {
    pattern: Pattern,
    substrings: Vec<Option<Atom>>,
}

impl Query {
    pub fn parse(query: &str) -> Self {
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let substrings = pattern
            .atoms
            .iter()
            .map(|atom| {
                let needle: String = match atom.needle_text() {
                    Utf32Str::Ascii(b) => b.iter().map(|&c| char::from(c)).collect(),
                    Utf32Str::Unicode(c) => c.iter().collect(),
                };
                (atom.kind == AtomKind::Fuzzy && !atom.negative && needle.chars().count() >= 2)
                    .then(|| {
                        Atom::new(
                            &needle,
                            CaseMatching::Smart,
                            Normalization::Smart,
                            AtomKind::Substring,
                            false,
                        )
                    })
            })
            .collect();
        Self {
            pattern,
            substrings,
        }
    }
}

impl NameMatcher {
    /// [`Self::score_prepared`] of a name as stored.
    #[cfg(test)]
    fn score(&mut self, query: &Query, name: &str) -> Option<u32> {
        let name = Utf32String::from(name);
        self.score_prepared(query, name.slice(..))
    }

    /// The match score of a name (in nucleo's form), if every fuzzy word of
    /// the query matches it the way a person types a name: from word starts
    /// or in runs of letters, not as single letters scattered across the
    /// name. Words with nucleo's own syntax (`'exact`, `^start`, `end$`,
    /// `!not`) match as nucleo says.
    fn score_prepared(&mut self, query: &Query, hay: Utf32Str<'_>) -> Option<u32> {
        let (score, typed) = self.matches(query, hay)?;
        typed.then_some(score)
    }

    /// nucleo's score of the whole pattern for `hay` (what
    /// `Pattern::score` gives, None when it does not match), and whether
    /// each fuzzy word reads as typed as a name there (see
    /// [`Self::score_prepared`]).
    /// A fuzzy word is matched once, for its score and its letters'
    /// positions together.
    fn matches(&mut self, query: &Query, hay: Utf32Str<'_>) -> Option<(u32, bool)> {
        let mut score = 0;
        let mut typed = true;
        for (atom, substring) in query.pattern.atoms.iter().zip(&query.substrings) {
            if atom.kind != AtomKind::Fuzzy || atom.negative {
                score += u32::from(atom.score(hay, &mut self.matcher)?);
                continue;
            }
            self.indices.clear();
            score += u32::from(atom.indices(hay, &mut self.matcher, &mut self.indices)?);
            if !typed {
                continue;
            }
            self.indices.sort_unstable();
            self.indices.dedup();
            typed = typed_as_a_name(hay, &self.indices)
                || substring
                    .as_ref()
                    .is_some_and(|a| a.score(hay, &mut self.matcher).is_some());
        }
        Some((score, typed))
    }
}

/// Whether matched letters (`at`, sorted character positions in `name`)
/// read as a name typed: each run of adjacent matched letters starts a word,
/// or is at least two letters long and stays in the word where the one before
/// it ended (a skipped letter in "malgrzata"); the first run may also be a
/// stretch of two or more letters inside a word ("rien" in "O'Brien").
/// "kim" spread over "Keiko Yılmaz" or "zoe" over "Małgorzata O'Brien" is not.
///
/// The positions nucleo reports count what it matches on (one character per
/// grapheme), so the words are read from the same `Utf32Str`.
pub fn typed_as_a_name(name: Utf32Str<'_>, at: &[u32]) -> bool {
    let len = name.len();
    let c = |i: usize| name.get(i as u32);
    let word_start = |i: usize| {
        i == 0 || !c(i - 1).is_alphanumeric() || (c(i - 1).is_lowercase() && c(i).is_uppercase())
    };
    let word_of = |i: usize| (0..=i).rev().find(|&j| word_start(j)).unwrap_or(0);
    // Runs of adjacent positions, checked as each one ends.
    let run_ok = |(start, end): (usize, usize), previous_end: Option<usize>| {
        let long = end > start;
        word_start(start)
            || match previous_end {
                None => long,
                Some(prev) => long && word_of(start) == word_of(prev),
            }
    };
    let mut run: Option<(usize, usize)> = None;
    let mut previous_end = None;
    for &p in at {
        let p = p as usize;
        if p >= len {
            return false;
        }
        run = match run {
            Some((start, end)) if end + 1 == p => Some((start, p)),
            Some(done) => {
                if !run_ok(done, previous_end) {
                    return false;
                }
                previous_end = Some(done.1);
                Some((p, p))
            }
            None => Some((p, p)),
        };
    }
    run.is_none_or(|last| run_ok(last, previous_end))
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
