//! Interned strings for the message records: a capture of a whole server repeats the same few
//! values millions of times (Call-IDs of phones that re-register, From/To, CSeq, User-Agent,
//! Server, reason phrases, Request-URIs), so each message keeps a shared pointer to one copy.
//!
//! Our own small type: [`Sym`] is one pointer wide (`Arc<Box<str>>`, a thin pointer, where
//! `Arc<str>` would be two), which matters at millions of messages times several fields;
//! no requested crate offers a thin shared string.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// A shared, immutable string (compare and hash by content).
#[derive(Clone)]
pub struct Sym(Arc<Box<str>>);

impl Sym {
    pub fn new(s: &str) -> Sym {
        Sym(Arc::new(s.into()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// True when both point to the same interned copy.
    pub fn ptr_eq(a: &Sym, b: &Sym) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Sym {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Sym {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Sym {
    fn eq(&self, other: &Sym) -> bool {
        Sym::ptr_eq(self, other) || self.as_str() == other.as_str()
    }
}
impl Eq for Sym {}

impl PartialEq<str> for Sym {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Sym {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Sym {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Hash for Sym {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl fmt::Debug for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<&str> for Sym {
    fn from(s: &str) -> Sym {
        Sym::new(s)
    }
}

impl From<String> for Sym {
    fn from(s: String) -> Sym {
        Sym(Arc::new(s.into_boxed_str()))
    }
}

impl serde::Serialize for Sym {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

/// A fast hasher for the interner and the grouping indexes: FxHash (the multiply-rotate hash
/// rustc uses for its own tables). The std SipHash guards against hash flooding, which costs
/// a tenth of the scan on a big capture; here the worst an attacker gets is a slower table
/// for one capture, bounded by the capture's size. Our own: no requested crate has one.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `BuildHasher` of [`FxHasher`]s.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;
/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

/// Hands out one [`Sym`] per distinct string. Lives while a capture is scanned; the symbols
/// outlive it (each message holds its own reference).
#[derive(Default)]
pub struct Interner {
    set: HashSet<Sym, FxBuild>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared copy of `s`.
    pub fn get(&mut self, s: &str) -> Sym {
        if let Some(x) = self.set.get(s) {
            return x.clone();
        }
        let x = Sym::new(s);
        self.set.insert(x.clone());
        x
    }

    /// Distinct strings seen.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_copy_per_distinct_string() {
        let mut i = Interner::new();
        let a = i.get("call-1@host");
        let b = i.get(&String::from("call-1@host"));
        let c = i.get("call-2@host");
        assert!(Sym::ptr_eq(&a, &b));
        assert!(!Sym::ptr_eq(&a, &c));
        assert_eq!(i.len(), 2);
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Equal by content also when made apart from the interner.
        assert_eq!(a, Sym::new("call-1@host"));
        assert_eq!(a, "call-1@host");
        assert_eq!(a.as_str(), "call-1@host");
        assert_eq!(format!("{a} {a:?}"), "call-1@host \"call-1@host\"");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"call-1@host\"");
        // One pointer wide, and None costs nothing more.
        assert_eq!(std::mem::size_of::<Sym>(), std::mem::size_of::<usize>());
        assert_eq!(
            std::mem::size_of::<Option<Sym>>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn hashes_like_str_so_a_set_finds_it_by_str() {
        let mut set = HashSet::new();
        set.insert(Sym::new("x"));
        assert!(set.contains("x"));
        assert!(!set.contains("y"));
        let mut i = Interner::new();
        assert!(i.is_empty());
        // The fast hasher tells strings apart and hashes equal ones equally.
        let h = |s: &str| {
            use std::hash::BuildHasher;
            FxBuild::default().hash_one(s)
        };
        assert_eq!(h("call-1@host"), h("call-1@host"));
        assert_ne!(h("call-1@host"), h("call-2@host"));
        assert_ne!(h(""), h("a"));
        assert!(Sym::ptr_eq(&i.get(""), &i.get("")));
    }
}
