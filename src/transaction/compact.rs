//! The compact pieces of the grouping's records: an optional index in 4 bytes ([`Link`]) and
//! an attempt's five lists of message indexes in one that keeps its usual single element
//! without a heap allocation ([`Parts`]). A whole server's capture has a million attempts, each
//! with five such lists (nearly all empty but one, which holds one response), and a role per
//! message: a `Vec` per list and two `Option<usize>` per message were most of the grouping's
//! memory. Our own small types: no requested crate has them.

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

    /// The index `i`. A capture holds far fewer than 4 billion messages (each keeps a record
    /// of 152 bytes, and a few hundred more with its headers), so every index fits; one that does not is a bug.
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

/// What an entry of an attempt's [`Parts`] is: the attempt's five lists in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A copy of the request.
    Retransmission,
    /// A response (first copy).
    Response,
    /// A copy of a response.
    ResponseRetransmission,
    /// An ACK sent for it (INVITE).
    Ack,
    /// An ICMP error quoting it (an index into the capture's ICMP notes, not a message).
    Icmp,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Retransmission,
        Part::Response,
        Part::ResponseRetransmission,
        Part::Ack,
        Part::Icmp,
    ];
}

/// The lists of one attempt (its retransmissions, responses, response retransmissions, ACKs and
/// ICMP notes) in 16 bytes: the usual single entry (the one response of a REGISTER) inline,
/// more on the heap in one list grouped by [`Part`], each part in the order pushed. Each part
/// reads as a `&[usize]` slice ([`Parts::of`]).
#[derive(Clone, Default)]
pub struct Parts(Repr);

#[derive(Clone, Default)]
enum Repr {
    #[default]
    Empty,
    One(Part, usize),
    /// Two or more. Boxed: a thin pointer keeps the lists at 16 bytes.
    Many(Box<Many>),
}

/// Two or more entries: `idx` grouped by part in the order of [`Part::ALL`]; `ends[k]` is
/// where the entries of part `k` end (those of part `k` start where part `k - 1` ends).
#[derive(Clone)]
struct Many {
    ends: [u32; 5],
    idx: Vec<usize>,
}

impl Many {
    fn range(&self, part: Part) -> std::ops::Range<usize> {
        let k = part as usize;
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        start..self.ends[k] as usize
    }

    fn push(&mut self, part: Part, i: usize) {
        let at = self.range(part).end;
        self.idx.insert(at, i);
        for e in &mut self.ends[part as usize..] {
            *e += 1;
        }
    }
}

impl Parts {
    pub const fn new() -> Parts {
        Parts(Repr::Empty)
    }

    /// Add `i` at the end of `part`.
    pub fn push(&mut self, part: Part, i: usize) {
        match &mut self.0 {
            Repr::Empty => self.0 = Repr::One(part, i),
            Repr::One(p, a) => {
                let mut many = Box::new(Many {
                    ends: [0; 5],
                    idx: Vec::with_capacity(4),
                });
                many.push(*p, *a);
                many.push(part, i);
                self.0 = Repr::Many(many);
            }
            Repr::Many(m) => m.push(part, i),
        }
    }

    /// The entries of `part`, in the order pushed.
    pub fn of(&self, part: Part) -> &[usize] {
        match &self.0 {
            Repr::Empty => &[],
            Repr::One(p, a) if *p == part => std::slice::from_ref(a),
            Repr::One(..) => &[],
            Repr::Many(m) => &m.idx[m.range(part)],
        }
    }

    /// Every entry with its part: grouped by part (in the order of [`Part::ALL`]), each part
    /// in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = (Part, usize)> + '_ {
        Part::ALL
            .into_iter()
            .flat_map(move |p| self.of(p).iter().map(move |&i| (p, i)))
    }

    /// How many entries, of every part.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Empty => 0,
            Repr::One(..) => 1,
            Repr::Many(m) => m.idx.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for Parts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        use std::mem::size_of;
        assert_eq!(size_of::<Link>(), 4);
        assert_eq!(size_of::<Parts>(), 16);
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
    fn parts_keep_every_element_in_order_with_its_kind() {
        // Each length through the inline and heap forms, the parts in mixed orders, with
        // values that would show a lost, repeated, swapped or mislabelled element.
        for n in 0..40usize {
            for seed in 0..7usize {
                let mut want: [Vec<usize>; 5] = Default::default();
                let mut l = Parts::new();
                for k in 0..n {
                    let p = Part::ALL[(k * 7 + seed * 3 + k * k * seed) % 5];
                    let x = (k * 7919 + seed) % 1000 + 2 * k;
                    l.push(p, x);
                    want[p as usize].push(x);
                    for q in Part::ALL {
                        assert_eq!(l.of(q), &want[q as usize][..], "{n} {seed} {k} {q:?}");
                    }
                }
                assert_eq!(l.len(), n);
                assert_eq!(l.is_empty(), n == 0);
                let all: Vec<(Part, usize)> = Part::ALL
                    .into_iter()
                    .flat_map(|p| want[p as usize].iter().map(move |&x| (p, x)))
                    .collect();
                assert_eq!(l.iter().collect::<Vec<_>>(), all);
                assert_eq!(format!("{l:?}"), format!("{all:?}"));
                let c = l.clone();
                assert_eq!(c.iter().collect::<Vec<_>>(), all);
            }
        }
        let mut l = Parts::new();
        l.push(Part::Response, 5);
        assert!(matches!(l.0, Repr::One(..)), "one entry takes no heap");
        assert_eq!(l.of(Part::Response), [5]);
        assert!(l.of(Part::Ack).is_empty() && l.of(Part::Retransmission).is_empty());
        l.push(Part::Response, 3);
        l.push(Part::Retransmission, 9);
        assert_eq!(l.of(Part::Response), [5, 3]);
        assert_ne!(l.of(Part::Response), [3, 5]);
        assert_eq!(l.of(Part::Retransmission), [9]);
        assert_eq!(l.of(Part::Icmp), [0usize; 0]);
        assert!(Parts::default().is_empty());
    }
}
