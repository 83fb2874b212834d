//! One-letter queries from a table: for every name and every letter `a`
//! to `z`, what nucleo's pattern for that letter alone gives (no match, a
//! match not typed as a name, or a match typed as a name and its score),
//! computed once per loaded list with the same matcher a key stroke uses.
//! The first letter typed then reads one small number per name in the
//! list's order instead of matching every name.

use super::{NameMatcher, Names, Query, Scored};

/// The bit of a cell that says "typed as a name"; the rest is the score
/// plus one (0 is "no match", 1 "a match not typed as a name").
const TYPED: u16 = 0x8000;

pub(in crate::app::list) struct LetterTable {
    /// Letter `l` (a is 0) of row `r` is at `l * rows + r`.
    cells: Vec<u16>,
    rows: usize,
}

impl LetterTable {
    /// The table of `names` (in row order). None when a score does not fit
    /// a cell (nucleo's one-letter scores are far below that; the query is
    /// then matched the ordinary way), or when `wanted` says, now and then,
    /// that the table is no longer wanted.
    pub(in crate::app::list) fn new(
        names: &Names,
        matcher: &mut NameMatcher,
        wanted: impl Fn() -> bool,
    ) -> Option<Self> {
        let rows = names.spans.len();
        let queries: Vec<Query> = ('a'..='z').map(|c| Query::parse(&c.to_string())).collect();
        let mut cells = vec![0; queries.len() * rows];
        for r in 0..rows {
            if r % 4096 == 0 && !wanted() {
                return None;
            }
            let name = names.get(r);
            for (l, query) in queries.iter().enumerate() {
                // As `Scored::score` does: a name without the letter is
                // not handed to nucleo.
                if names.letters[r] & query.letters != query.letters {
                    continue;
                }
                let Some((score, typed)) = matcher.matches(query, name) else {
                    continue;
                };
                cells[l * rows + r] = if typed {
                    let cell = u16::try_from(score + 1).ok().filter(|c| c & TYPED == 0)?;
                    cell | TYPED
                } else {
                    1
                };
            }
        }
        Some(Self { cells, rows })
    }

    /// The letter's number when `query` (trimmed) is one letter `a` to `z`,
    /// the queries the table answers.
    pub(in crate::app::list) fn letter(query: &str) -> Option<usize> {
        match query.as_bytes() {
            [c @ b'a'..=b'z'] => Some(usize::from(c - b'a')),
            _ => None,
        }
    }

    /// Whether the table is for `rows` names.
    pub(in crate::app::list) fn covers(&self, rows: usize) -> bool {
        self.rows == rows
    }

    /// What scoring `order` (rows, in the list's order; places are indices
    /// into it) for the letter gives: the same as [`Scored::score`] over
    /// every place.
    pub(in crate::app::list) fn score(&self, letter: usize, order: &[u32]) -> Scored {
        let column = &self.cells[letter * self.rows..(letter + 1) * self.rows];
        let mut out = Scored::default();
        for (place, &row) in order.iter().enumerate() {
            let cell = column[row as usize];
            if cell == 0 {
                continue;
            }
            out.raw.push(place as u32);
            if cell & TYPED != 0 {
                out.hits.push((u32::from(cell & !TYPED) - 1, place as u32));
            }
        }
        out
    }

    /// The heap memory the table takes, in bytes.
    pub(in crate::app::list) fn heap_bytes(&self) -> usize {
        self.cells.capacity() * std::mem::size_of::<u16>()
    }
}
