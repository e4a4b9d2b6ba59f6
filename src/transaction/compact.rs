//! The compact pieces of the grouping's records: an optional index in 4 bytes ([`Link`]) and a
//! list of message indexes that keeps its usual 0 or 1 element without a heap allocation
//! ([`Indexes`]). A whole server's capture has a million attempts, each with five such lists
//! (nearly all empty but one, which holds one response), and a role per message: a `Vec` per
//! list and two `Option<usize>` per message were most of the grouping's memory. Our own small
//! types: no requested crate has them.

use std::num::NonZeroU32;

use serde::Serialize;

/// An optional index (of a message, of an exchange) in 4 bytes: the index plus one, 0 for
/// none. Reads back as an `Option<usize>` ([`Link::get`]), compares with one, and serialises
/// as one (a number or `null`).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Link(Option<NonZeroU32>);

impl Link {
    /// No index.
    pub const NONE: Link = Link(None);

    /// The index `i`. A capture holds far fewer than 4 billion messages (each takes a record
    /// of ~100 bytes), so every index fits; one that does not is a bug.
    pub fn to(i: usize) -> Link {
        let id = u32::try_from(i)
            .ok()
            .and_then(|i| i.checked_add(1))
            .and_then(NonZeroU32::new)
            .expect("an index below 4 billion");
        Link(Some(id))
    }

    pub fn get(self) -> Option<usize> {
        self.0.map(|x| x.get() as usize - 1)
    }
    pub fn is_some(self) -> bool {
        self.0.is_some()
    }
    pub fn is_none(self) -> bool {
        self.0.is_none()
    }
    pub fn is_none_or(self, f: impl FnOnce(usize) -> bool) -> bool {
        self.get().is_none_or(f)
    }
    pub fn is_some_and(self, f: impl FnOnce(usize) -> bool) -> bool {
        self.get().is_some_and(f)
    }
}

impl From<Option<usize>> for Link {
    fn from(i: Option<usize>) -> Link {
        i.map_or(Link::NONE, Link::to)
    }
}

impl From<Link> for Option<usize> {
    fn from(l: Link) -> Option<usize> {
        l.get()
    }
}

impl PartialEq<Option<usize>> for Link {
    fn eq(&self, other: &Option<usize>) -> bool {
        self.get() == *other
    }
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.get(), f)
    }
}

impl Serialize for Link {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

/// A list of indexes (messages, ICMP notes) in 16 bytes: none or one inline (nearly every
/// list of an attempt), more on the heap. Reads as a `[usize]` slice (`iter`, `len`,
/// `first`, `last`, indexing), compares with slices, arrays and `Vec`s, serialises as the
/// same JSON array a `Vec` does.
#[derive(Clone, Default)]
pub struct Indexes(Repr);

#[derive(Clone, Default)]
enum Repr {
    #[default]
    Empty,
    One(usize),
    /// Two or more, in order. Boxed: a thin pointer keeps the list at 16 bytes (a `Vec` here
    /// would make it 32), and a `Vec` inside grows without copying on every push.
    #[allow(clippy::box_collection)]
    Many(Box<Vec<usize>>),
}

impl Indexes {
    pub const fn new() -> Indexes {
        Indexes(Repr::Empty)
    }

    /// Add `i` at the end.
    pub fn push(&mut self, i: usize) {
        self.0 = match std::mem::take(&mut self.0) {
            Repr::Empty => Repr::One(i),
            Repr::One(a) => Repr::Many(Box::new(vec![a, i])),
            Repr::Many(mut v) => {
                v.push(i);
                Repr::Many(v)
            }
        };
    }

    pub fn as_slice(&self) -> &[usize] {
        match &self.0 {
            Repr::Empty => &[],
            Repr::One(a) => std::slice::from_ref(a),
            Repr::Many(v) => v,
        }
    }
}

impl std::ops::Deref for Indexes {
    type Target = [usize];
    fn deref(&self) -> &[usize] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a Indexes {
    type Item = &'a usize;
    type IntoIter = std::slice::Iter<'a, usize>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl From<Vec<usize>> for Indexes {
    fn from(v: Vec<usize>) -> Indexes {
        match v[..] {
            [] => Indexes(Repr::Empty),
            [a] => Indexes(Repr::One(a)),
            _ => Indexes(Repr::Many(Box::new(v))),
        }
    }
}

impl FromIterator<usize> for Indexes {
    fn from_iter<I: IntoIterator<Item = usize>>(it: I) -> Indexes {
        let mut out = Indexes::new();
        for i in it {
            out.push(i);
        }
        out
    }
}

impl PartialEq for Indexes {
    fn eq(&self, other: &Indexes) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for Indexes {}

impl PartialEq<[usize]> for Indexes {
    fn eq(&self, other: &[usize]) -> bool {
        self.as_slice() == other
    }
}
impl PartialEq<&[usize]> for Indexes {
    fn eq(&self, other: &&[usize]) -> bool {
        self.as_slice() == *other
    }
}
impl<const N: usize> PartialEq<[usize; N]> for Indexes {
    fn eq(&self, other: &[usize; N]) -> bool {
        self.as_slice() == other
    }
}
impl PartialEq<Vec<usize>> for Indexes {
    fn eq(&self, other: &Vec<usize>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::fmt::Debug for Indexes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl Serialize for Indexes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        use std::mem::size_of;
        assert_eq!(size_of::<Link>(), 4);
        assert_eq!(size_of::<Indexes>(), 16);
    }

    #[test]
    fn a_link_keeps_its_index_and_none() {
        for i in [0usize, 1, 7, 280_623, u32::MAX as usize - 1] {
            let l = Link::to(i);
            assert_eq!(l.get(), Some(i));
            assert_eq!(l, Some(i));
            assert!(l.is_some() && !l.is_none());
            assert!(l.is_some_and(|x| x == i) && l.is_none_or(|x| x == i));
            assert_ne!(l, Some(i + 1));
            assert_eq!(serde_json::to_value(l).unwrap(), serde_json::json!(i));
            assert_eq!(format!("{l:?}"), format!("{:?}", Some(i)));
            assert_eq!(Link::from(Some(i)), l);
        }
        let none = Link::default();
        assert_eq!(none, None);
        assert_eq!(none, Link::NONE);
        assert!(none.is_none() && !none.is_some() && none.is_none_or(|_| false));
        assert_eq!(serde_json::to_value(none).unwrap(), serde_json::Value::Null);
        assert_ne!(Link::to(0), none, "index 0 is not none");
    }

    #[test]
    #[should_panic(expected = "below 4 billion")]
    fn an_index_past_u32_is_refused() {
        Link::to(u32::MAX as usize);
    }

    #[test]
    fn indexes_keep_every_element_in_order() {
        // Each length through the inline and heap forms, with values that would show a
        // lost, repeated or swapped element.
        for n in 0..40usize {
            let want: Vec<usize> = (0..n).map(|k| (k * 7919 + 3) % 1000 + 2 * k).collect();
            let mut l = Indexes::new();
            for (k, &x) in want.iter().enumerate() {
                l.push(x);
                assert_eq!(l.as_slice(), &want[..=k]);
            }
            assert_eq!(l, want);
            assert_eq!(l.len(), n);
            assert_eq!(l.first(), want.first());
            assert_eq!(l.last(), want.last());
            assert_eq!(l.iter().copied().collect::<Vec<_>>(), want);
            assert_eq!((&l).into_iter().copied().collect::<Vec<_>>(), want);
            assert_eq!(Indexes::from(want.clone()), l);
            assert_eq!(want.iter().copied().collect::<Indexes>(), l);
            assert_eq!(l.clone(), l);
            assert_eq!(
                serde_json::to_string(&l).unwrap(),
                serde_json::to_string(&want).unwrap()
            );
            assert_eq!(format!("{l:?}"), format!("{want:?}"));
        }
        let mut l = Indexes::new();
        l.push(5);
        l.push(3);
        assert_eq!(l, [5, 3]);
        assert_ne!(l, [3, 5]);
        assert_ne!(l, [5]);
        assert!(Indexes::default().is_empty());
        assert_eq!(Indexes::default(), [0usize; 0]);
    }
}
