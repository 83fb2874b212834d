//! Every row's name in nucleo's form, kept flat, with what a query's
//! letters can be checked against before nucleo is asked: the letters a
//! name may match and, per letter, where it first and last may.

use super::letters;
use nucleo_matcher::{Utf32Str, Utf32String};

/// Every row's name in nucleo's form (as `Utf32String::from` makes it: the
/// bytes of an ASCII name, else one character per grapheme), one after the
/// other in two buffers instead of one allocation per name: scoring a list
/// reads them with few cache misses.
#[derive(Default)]
pub(in crate::app::list) struct Names {
    /// Per row: where its name starts in `ascii` or `chars`, how long it
    /// is, and whether it is in `chars`.
    pub(super) spans: Vec<Span>,
    ascii: Vec<u8>,
    chars: Vec<char>,
    /// Per row: the ASCII letters its name may match (see [`letters`]).
    pub(super) letters: Vec<u32>,
    /// Per row: where each letter may first and last be matched (see
    /// [`Bounds`]).
    bounds: Vec<Bounds>,
}

/// Per letter `a` to `z` (0 to 25), the first and the last position in a
/// name (as nucleo counts them) of a character that may match it (see
/// [`letters`]). A word of the query with `x` right before `y` can match
/// only a name where some `x` comes before some `y`: where the first `x`
/// comes before the last `y` (nucleo matches a word's letters in order).
/// A name longer than [`Bounds::LONGEST`] characters has every letter it
/// may match from 0 to 255: it passes every check.
#[derive(Clone, Copy)]
pub(super) struct Bounds {
    first: [u8; 26],
    last: [u8; 26],
}

impl Bounds {
    const LONGEST: usize = 254;

    /// The bounds of `name`, and every letter it may match.
    fn of(name: Utf32Str<'_>) -> (Self, u32) {
        let mut all = 0;
        let mut b = Self {
            first: [u8::MAX; 26],
            last: [0; 26],
        };
        let long = name.len() > Self::LONGEST;
        for (p, c) in name.chars().enumerate() {
            let (first, last) = if long {
                (0, u8::MAX)
            } else {
                // Within LONGEST: fits.
                (p as u8, p as u8)
            };
            let mut set = letters(c);
            all |= set;
            while set != 0 {
                let l = set.trailing_zeros() as usize;
                set &= set - 1;
                b.first[l] = b.first[l].min(first);
                b.last[l] = b.last[l].max(last);
            }
        }
        (b, all)
    }

    /// Whether every pair (letters `x` then `y`, 0 to 25) has an `x`
    /// before a `y`. A letter the name cannot match at all has its first
    /// at 255 and its last at 0, and fails.
    pub(super) fn allow(&self, pairs: &[(u8, u8)]) -> bool {
        pairs
            .iter()
            .all(|&(x, y)| self.first[usize::from(x)] < self.last[usize::from(y)])
    }
}

#[derive(Clone, Copy)]
pub(super) struct Span {
    start: usize,
    len: u32,
    unicode: bool,
}

impl Names {
    pub(in crate::app::list) fn new<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> Self {
        let mut all = Self {
            spans: Vec::with_capacity(names.len()),
            letters: Vec::with_capacity(names.len()),
            bounds: Vec::with_capacity(names.len()),
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
            let (set, bounds) = (
                name.chars().fold(0, |m, c| m | letters(c)),
                Bounds::of(name),
            );
            all.letters.push(set);
            all.bounds.push(bounds);
        }
        all.ascii.shrink_to_fit();
        all.chars.shrink_to_fit();
        all
    }

    /// Row `i`'s name as nucleo reads it.
    pub(in crate::app::list) fn get(&self, i: usize) -> Utf32Str<'_> {
        let s = self.spans[i];
        let range = s.start..s.start + s.len as usize;
        if s.unicode {
            Utf32Str::Unicode(&self.chars[range])
        } else {
            Utf32Str::Ascii(&self.ascii[range])
        }
    }

    /// Whether row `i`'s name has, for each pair of letters, the first
    /// before the second somewhere (see [`Bounds`]).
    pub(in crate::app::list) fn allow(&self, i: usize, pairs: &[(u8, u8)]) -> bool {
        pairs.is_empty() || self.bounds[i].allow(pairs)
    }

    /// The names of rows `order`, in that order.
    pub(in crate::app::list) fn reordered(&self, order: &[u32]) -> Self {
        let mut out = Self {
            spans: Vec::with_capacity(order.len()),
            ascii: Vec::with_capacity(self.ascii.len()),
            chars: Vec::with_capacity(self.chars.len()),
            letters: order.iter().map(|&i| self.letters[i as usize]).collect(),
            bounds: order.iter().map(|&i| self.bounds[i as usize]).collect(),
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
    pub(in crate::app::list) fn replace(&mut self, i: usize, name: &str) {
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
        self.bounds[i] = other.bounds[0];
    }

    /// The heap memory the names take, in bytes.
    pub(in crate::app::list) fn heap_bytes(&self) -> usize {
        self.spans.capacity() * std::mem::size_of::<Span>()
            + self.ascii.capacity()
            + self.chars.capacity() * std::mem::size_of::<char>()
            + self.letters.capacity() * std::mem::size_of::<u32>()
            + self.bounds.capacity() * std::mem::size_of::<Bounds>()
    }
}
