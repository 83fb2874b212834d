//! Matching names against the filter: nucleo's pattern, the check that the
//! letters were typed as a name, and scoring a whole list at once — the
//! names kept in nucleo's form in two flat buffers, scored on two threads
//! when there are many, and the matches put best first by a counting sort
//! on their scores.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

#[path = "list_letter.rs"]
mod letter;
pub(super) use letter::LetterTable;

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

/// Every row's name in nucleo's form (as `Utf32String::from` makes it: the
/// bytes of an ASCII name, else one character per grapheme), one after the
/// other in two buffers instead of one allocation per name: scoring a list
/// reads them with few cache misses.
#[derive(Default)]
pub(super) struct Names {
    /// Per row: where its name starts in `ascii` or `chars`, how long it
    /// is, and whether it is in `chars`.
    spans: Vec<Span>,
    ascii: Vec<u8>,
    chars: Vec<char>,
    /// Per row: the ASCII letters its name may match (see [`letters`]).
    letters: Vec<u32>,
}

#[derive(Clone, Copy)]
struct Span {
    start: usize,
    len: u32,
    unicode: bool,
}

impl Names {
    pub(super) fn new<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> Self {
        let mut all = Self {
            spans: Vec::with_capacity(names.len()),
            letters: Vec::with_capacity(names.len()),
            ..Self::default()
        };
        for name in names {
            // nucleo's own conversion, so that matching sees exactly what
            // it would see in a `Utf32String`.
            let span = match Utf32String::from(name) {
                Utf32String::Ascii(s) => {
                    let start = all.ascii.len();
                    all.ascii.extend_from_slice(s.as_bytes());
                    Span {
                        start,
                        len: 0,
                        unicode: false,
                    }
                }
                Utf32String::Unicode(c) => {
                    let start = all.chars.len();
                    all.chars.extend_from_slice(&c);
                    Span {
                        start,
                        len: 0,
                        unicode: true,
                    }
                }
            };
            let end = if span.unicode {
                all.chars.len()
            } else {
                all.ascii.len()
            };
            // No name is four billion characters long; one that would be
            // is cut there rather than refused.
            let len = u32::try_from(end - span.start).unwrap_or(u32::MAX);
            all.spans.push(Span { len, ..span });
            let name = all.get(all.spans.len() - 1);
            all.letters
                .push(name.chars().fold(0, |m, c| m | letters(c)));
        }
        all.ascii.shrink_to_fit();
        all.chars.shrink_to_fit();
        all
    }

    /// Row `i`'s name as nucleo reads it.
    pub(super) fn get(&self, i: usize) -> Utf32Str<'_> {
        let s = self.spans[i];
        let range = s.start..s.start + s.len as usize;
        if s.unicode {
            Utf32Str::Unicode(&self.chars[range])
        } else {
            Utf32Str::Ascii(&self.ascii[range])
        }
    }

    /// The names of rows `order`, in that order.
    pub(super) fn reordered(&self, order: &[u32]) -> Self {
        let mut out = Self {
            spans: Vec::with_capacity(order.len()),
            ascii: Vec::with_capacity(self.ascii.len()),
            chars: Vec::with_capacity(self.chars.len()),
            letters: order.iter().map(|&i| self.letters[i as usize]).collect(),
        };
        for &i in order {
            let span = self.spans[i as usize];
            let range = span.start..span.start + span.len as usize;
            let start = if span.unicode {
                out.chars.extend_from_slice(&self.chars[range]);
                out.chars.len() - span.len as usize
            } else {
                out.ascii.extend_from_slice(&self.ascii[range]);
                out.ascii.len() - span.len as usize
            };
            out.spans.push(Span { start, ..span });
        }
        // A view keeps some of the rows.
        out.ascii.shrink_to_fit();
        out.chars.shrink_to_fit();
        out
    }

    /// Puts another name in row `i`'s place (a test's way to change a
    /// name behind the filter's back).
    #[cfg(test)]
    pub(super) fn replace(&mut self, i: usize, name: &str) {
        let mut other = Self::new(std::iter::once(name));
        let mut span = other.spans[0];
        span.start += if span.unicode {
            self.chars.len()
        } else {
            self.ascii.len()
        };
        self.ascii.append(&mut other.ascii);
        self.chars.append(&mut other.chars);
        self.spans[i] = span;
        self.letters[i] = other.letters[0];
    }

    /// The heap memory the names take, in bytes.
    pub(super) fn heap_bytes(&self) -> usize {
        self.spans.capacity() * std::mem::size_of::<Span>()
            + self.ascii.capacity()
            + self.chars.capacity() * std::mem::size_of::<char>()
            + self.letters.capacity() * std::mem::size_of::<u32>()
    }
}

/// nucleo's matcher with the buffers it reuses from one name to the next.
pub(super) struct NameMatcher {
    pub(super) matcher: Matcher,
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
    pub(super) pattern: Pattern,
    substrings: Vec<Option<Atom>>,
    /// The ASCII letters of the words a name must match (not `!not`
    /// words): a name that cannot match one of them matches no pattern.
    letters: u32,
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
        let letters = pattern
            .atoms
            .iter()
            .filter(|atom| !atom.negative)
            .flat_map(|atom| atom.needle_text().chars())
            .filter(char::is_ascii_alphabetic)
            .fold(0, |m, c| m | letters(c));
        Self {
            pattern,
            substrings,
            letters,
        }
    }
}

/// The ASCII letters `c` can stand for when nucleo matches it, as bits (a
/// is 1, b is 2, …): every way nucleo folds case or normalizes (`Ö` for
/// o), more rather than fewer. A name whose letters lack one of a query's
/// cannot match it, and is not handed to nucleo.
pub(super) fn letters(c: char) -> u32 {
    use nucleo_matcher::chars::{normalize, to_lower_case};
    [
        c,
        to_lower_case(c),
        normalize(c),
        to_lower_case(normalize(c)),
        normalize(to_lower_case(c)),
    ]
    .into_iter()
    .filter(char::is_ascii_alphabetic)
    .fold(0, |m, c| {
        m | 1 << (c.to_ascii_lowercase() as u32 - 'a' as u32)
    })
}

impl NameMatcher {
    /// [`Self::score_prepared`] of a name as stored.
    #[cfg(test)]
    pub(super) fn score(&mut self, query: &Query, name: &str) -> Option<u32> {
        let name = Utf32String::from(name);
        self.score_prepared(query, name.slice(..))
    }

    /// The match score of a name (in nucleo's form), if every fuzzy word of
    /// the query matches it the way a person types a name: from word starts
    /// or in runs of letters, not as single letters scattered across the
    /// name. Words with nucleo's own syntax (`'exact`, `^start`, `end$`,
    /// `!not`) match as nucleo says.
    pub(super) fn score_prepared(&mut self, query: &Query, hay: Utf32Str<'_>) -> Option<u32> {
        let (score, typed) = self.matches(query, hay)?;
        typed.then_some(score)
    }

    /// nucleo's score of the whole pattern for `hay` (what
    /// `Pattern::score` gives, None when it does not match), and whether
    /// each fuzzy word reads as typed as a name there (see
    /// [`Self::score_prepared`]).
    /// A fuzzy word is matched once, for its score and its letters'
    /// positions together.
    pub(super) fn matches(&mut self, query: &Query, hay: Utf32Str<'_>) -> Option<(u32, bool)> {
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

/// Fewer candidates than this are scored on one thread: below it, starting
/// a second one costs about what it saves.
/// (Tests use small numbers, so that small lists take the two threads'
/// path, in many chunks.)
const PARALLEL_FROM: usize = if cfg!(test) { 24 } else { 8_192 };

/// Candidates are handed out in runs of this many (a tenth of a
/// millisecond or two of scoring each).
const CHUNK: usize = if cfg!(test) { 5 } else { 2_048 };

/// What scoring a run of candidates gives, in the candidates' order: every
/// row nucleo's pattern matched (`raw`) and, of those, the rows whose
/// letters read as typed as a name, with their scores (`hits`).
#[derive(Default)]
pub(super) struct Scored {
    pub(super) raw: Vec<u32>,
    pub(super) hits: Vec<(u32, u32)>,
}

impl Scored {
    fn score(&mut self, matcher: &mut NameMatcher, query: &Query, names: &Names, rows: &[u32]) {
        for &i in rows {
            if names.letters[i as usize] & query.letters != query.letters {
                continue;
            }
            let Some((score, typed)) = matcher.matches(query, names.get(i as usize)) else {
                continue;
            };
            self.raw.push(i);
            if typed {
                self.hits.push((score, i));
            }
        }
    }

    fn append(&mut self, other: &Self) {
        self.raw.extend_from_slice(&other.raw);
        self.hits.extend_from_slice(&other.hits);
    }
}

/// Scores candidates for a query. Many candidates are cut into chunks that
/// this thread and a helper thread take in turn, so that when the helper
/// is late (another program has the second core) this thread scores the
/// rest itself and waits at most for the one chunk the helper is on.
pub(super) struct Scorer {
    matcher: NameMatcher,
    /// The helper's matcher between key strokes.
    spare: Arc<Mutex<Option<NameMatcher>>>,
    /// Whether a second thread can run at the same time.
    parallel: bool,
}

impl Default for Scorer {
    fn default() -> Self {
        Self {
            matcher: NameMatcher::default(),
            spare: Arc::default(),
            parallel: std::thread::available_parallelism().is_ok_and(|n| n.get() > 1),
        }
    }
}

/// One scoring shared with the helper thread.
struct Job {
    query: Arc<Query>,
    names: Arc<Names>,
    candidates: Arc<[u32]>,
    chunks: usize,
    /// The next chunk to take, by either thread.
    next: AtomicUsize,
    helped: Mutex<Helped>,
    landed: Condvar,
}

/// The chunks the helper scored, by number, and whether it stopped.
#[derive(Default)]
struct Helped {
    scored: Vec<(usize, Scored)>,
    stopped: bool,
}

impl Job {
    fn take(&self) -> Option<usize> {
        let c = self.next.fetch_add(1, Ordering::Relaxed);
        (c < self.chunks).then_some(c)
    }

    fn chunk(&self, c: usize) -> &[u32] {
        let start = c * CHUNK;
        &self.candidates[start..(start + CHUNK).min(self.candidates.len())]
    }

    fn helped(&self) -> MutexGuard<'_, Helped> {
        // Chunks are whole before they go in: one that a panic left behind
        // is still sound.
        self.helped.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The helper thread's work: chunks until none are left. It says when
    /// it stops, also if it panics, so that nobody waits for it in vain.
    fn help(&self, matcher: &mut NameMatcher) {
        struct Stop<'a>(&'a Job);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.helped().stopped = true;
                self.0.landed.notify_all();
            }
        }
        let _stop = Stop(self);
        while let Some(c) = self.take() {
            let mut part = Scored::default();
            part.score(matcher, &self.query, &self.names, self.chunk(c));
            self.helped().scored.push((c, part));
            self.landed.notify_all();
        }
    }
}

impl Scorer {
    pub(super) fn matcher(&mut self) -> &mut NameMatcher {
        &mut self.matcher
    }

    /// The matches among `candidates` (indices into `names`), in the
    /// candidates' order, as
    /// one thread scoring them one by one finds them.
    pub(super) fn score(
        &mut self,
        query: &Arc<Query>,
        names: &Arc<Names>,
        candidates: &Arc<[u32]>,
    ) -> Scored {
        let mut out = Scored::default();
        if !self.parallel || candidates.len() < PARALLEL_FROM {
            out.score(&mut self.matcher, query, names, candidates);
            return out;
        }
        let job = Arc::new(Job {
            query: Arc::clone(query),
            names: Arc::clone(names),
            candidates: Arc::clone(candidates),
            chunks: candidates.len().div_ceil(CHUNK),
            next: AtomicUsize::new(0),
            helped: Mutex::default(),
            landed: Condvar::new(),
        });
        let (helper_job, spare) = (Arc::clone(&job), Arc::clone(&self.spare));
        let started = std::thread::Builder::new()
            .name("filter".into())
            .spawn(move || {
                let taken = spare.lock().ok().and_then(|mut s| s.take());
                let mut matcher = taken.unwrap_or_default();
                helper_job.help(&mut matcher);
                if let Ok(mut s) = spare.lock() {
                    *s = Some(matcher);
                }
            });
        // The helper is not waited for unless it has taken chunks: if it
        // could not start, this thread takes them all.
        let mut mine = Vec::new();
        while let Some(c) = job.take() {
            let mut part = Scored::default();
            part.score(&mut self.matcher, query, names, job.chunk(c));
            mine.push((c, part));
        }
        let mut helped = job.helped();
        while started.is_ok() && !helped.stopped && mine.len() + helped.scored.len() < job.chunks {
            helped = job
                .landed
                .wait(helped)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let mut parts = std::mem::take(&mut helped.scored);
        drop(helped);
        parts.append(&mut mine);
        parts.sort_unstable_by_key(|p| p.0);
        let mut next = 0;
        for (c, part) in &parts {
            // A chunk the helper took and dropped (it panicked): here.
            for lost in next..*c {
                out.score(&mut self.matcher, query, names, job.chunk(lost));
            }
            out.append(part);
            next = c + 1;
        }
        for lost in next..job.chunks {
            out.score(&mut self.matcher, query, names, job.chunk(lost));
        }
        out
    }
}

/// The rows of `hits` (scores and places, by place), best score first,
/// ties kept in place order: a counting sort on the scores, which are
/// small integers, else a stable sort. `ordered` gives each place's row;
/// `counts` is reused between calls.
pub(super) fn best_first(
    hits: &[(u32, u32)],
    ordered: &[u32],
    counts: &mut Vec<u32>,
) -> Vec<usize> {
    let row = |place: u32| ordered[place as usize] as usize;
    let Some(low) = hits.iter().map(|h| h.0).min() else {
        return Vec::new();
    };
    let high = hits.iter().map(|h| h.0).max().unwrap_or(low);
    let span = (high - low) as usize + 1;
    if span > hits.len().max(1 << 12) {
        let mut sorted = hits.to_vec();
        sorted.sort_by_key(|h| std::cmp::Reverse(h.0));
        return sorted.into_iter().map(|h| row(h.1)).collect();
    }
    // Bucket b holds score high - b, so the best come first.
    counts.clear();
    counts.resize(span + 1, 0);
    for h in hits {
        counts[(high - h.0) as usize + 1] += 1;
    }
    for b in 1..counts.len() {
        counts[b] += counts[b - 1];
    }
    let mut order = vec![0; hits.len()];
    for h in hits {
        let slot = &mut counts[(high - h.0) as usize];
        order[*slot as usize] = row(h.1);
        *slot += 1;
    }
    order
}
