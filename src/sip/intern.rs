//! Interned strings for the message records: a capture of a whole server repeats the same few
//! values millions of times (Call-IDs of phones that re-register, From/To, CSeq, User-Agent,
//! Server, reason phrases, Request-URIs), so each message keeps a 4-byte id of one copy.
//!
//! Our own small type: [`Sym`] is a `u32` index into one table of the process, whose strings
//! live as long as the process (packed back to back in big blocks, no allocation per string,
//! no reference count to touch when a record is copied or dropped). Equal strings get the
//! same id, so comparing two symbols compares two numbers. The price: a string once interned
//! is never freed; opening the same capture again costs nothing more, a different one costs
//! its distinct strings (a few megabytes for a whole-server capture of a gigabyte). No
//! requested crate offers a string interner.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::ops::Deref;
use std::sync::{Mutex, OnceLock};

/// A shared, immutable string (an id in the process' table of interned strings; compares
/// and hashes like its text).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Sym(NonZeroU32);

/// Ids per block of the table's first block; each next block is twice as big.
const FIRST_BLOCK: usize = 1024;
/// Blocks: enough for every `u32` id.
const BLOCKS: usize = 23;
/// Distinct strings the table holds at most (ids below 2^31).
const MAX_IDS: usize = (1 << 31) - 1;
/// Bytes of string text in one block of text.
const TEXT_BLOCK: usize = 1 << 20;

/// The value of every id of one kind, in blocks that never move (so a `&'static` value can
/// be read without a lock: each slot is set once, before its id is handed out).
struct Slots<T: 'static> {
    blocks: [OnceLock<Box<[OnceLock<T>]>>; BLOCKS],
}

impl<T: 'static> Slots<T> {
    const fn new() -> Self {
        Slots {
            blocks: [const { OnceLock::new() }; BLOCKS],
        }
    }

    fn get(&'static self, id: NonZeroU32) -> &'static T {
        let (block, at) = slot_of(id.get() as usize - 1);
        self.blocks[block]
            .get()
            .and_then(|b| b[at].get())
            .expect("an id's value is set before the id exists")
    }

    /// Set the value of the 0-based id `i` (once: ids are handed out in order, under a lock).
    fn set(&'static self, i: usize, v: T) -> NonZeroU32 {
        let Some(id) = u32::try_from(i + 1).ok().and_then(NonZeroU32::new) else {
            panic!("more than 4 billion distinct values interned");
        };
        let (block, at) = slot_of(i);
        let slots = self.blocks[block]
            .get_or_init(|| (0..FIRST_BLOCK << block).map(|_| OnceLock::new()).collect());
        let _ = slots[at].set(v);
        id
    }
}

static TEXTS: Slots<&'static str> = Slots::new();

/// The table's writing side: the id of each string, and the free part of the current text
/// block.
///
/// The ids are found by an open-addressed table of our own (linear probing; per place the
/// high half of the string's hash and its id, 8 bytes, 0 when empty) rather than a
/// `HashMap<&str, Sym>` (24 bytes a place and a hash of its own): a whole-server capture
/// interns a million strings, and the callers have hashed the string already.
struct Table {
    places: Vec<u64>,
    len: usize,
    free: &'static mut [u8],
}

static TABLE: Mutex<Option<Table>> = Mutex::new(None);

/// Places of the table at the start (a power of two), and how full it gets before it
/// doubles (in tenths).
const TABLE_START: usize = 1 << 12;
const TABLE_LOAD_TENTHS: usize = 7;

impl Table {
    /// The id of the text hashed `hash`, or the place where it would go.
    fn find(&self, s: &str, hash: u64) -> Result<Sym, usize> {
        let mask = self.places.len() - 1;
        let tag = hash >> 32;
        let mut at = hash as usize & mask;
        loop {
            let p = self.places[at];
            let Some(id) = NonZeroU32::new(p as u32) else {
                return Err(at);
            };
            if p >> 32 == tag && TEXTS.get(id).as_bytes() == s.as_bytes() {
                return Ok(Sym(id));
            }
            at = (at + 1) & mask;
        }
    }

    /// Twice the places, every id put back (their texts read in the order they were
    /// interned, which is the order they lie in memory).
    fn grow(&mut self) {
        let len = (self.places.len() * 2).max(TABLE_START);
        self.places = vec![0; len];
        for i in 0..self.len {
            let id = NonZeroU32::new(i as u32 + 1).expect("ids start at 1");
            let hash = hash_of(TEXTS.get(id));
            let at = self.empty_from(hash);
            self.places[at] = (hash >> 32) << 32 | u64::from(id.get());
        }
    }

    /// The first empty place from the one `hash` picks (the ids put back all differ: no
    /// text to compare).
    fn empty_from(&self, hash: u64) -> usize {
        let mask = self.places.len() - 1;
        let mut at = hash as usize & mask;
        while self.places[at] != 0 {
            at = (at + 1) & mask;
        }
        at
    }
}

/// Block and place in it of the 0-based id `i`.
fn slot_of(i: usize) -> (usize, usize) {
    let block = (i / FIRST_BLOCK + 1).ilog2() as usize;
    (block, i - FIRST_BLOCK * ((1 << block) - 1))
}

/// The id of `s` (hashed `hash`, see [`hash_of`]), interning it when it is new; true when
/// it is new (no one asked for it before).
fn intern(s: &str, hash: u64) -> (Sym, bool) {
    let mut guard = TABLE.lock().unwrap_or_else(|e| e.into_inner());
    let t = guard.get_or_insert_with(|| Table {
        places: Vec::new(),
        len: 0,
        free: &mut [],
    });
    if (t.len + 1) * 10 > t.places.len() * TABLE_LOAD_TENTHS {
        t.grow();
    }
    let at = match t.find(s, hash) {
        Ok(x) => return (x, false),
        Err(at) => at,
    };
    if t.free.len() < s.len() {
        t.free = Box::leak(vec![0u8; TEXT_BLOCK.max(s.len())].into_boxed_slice());
    }
    let (head, rest) = std::mem::take(&mut t.free).split_at_mut(s.len());
    head.copy_from_slice(s.as_bytes());
    t.free = rest;
    let text: &'static str = std::str::from_utf8(head).expect("copied from a str");
    // Ids stay below 2^31: a record packs a flag beside two of them (see `PackedStart`).
    assert!(
        t.len < MAX_IDS,
        "more than 2 billion distinct values interned"
    );
    let x = Sym(TEXTS.set(t.len, text));
    t.places[at] = (hash >> 32) << 32 | u64::from(x.0.get());
    t.len += 1;
    (x, true)
}

impl Sym {
    pub fn new(s: &str) -> Sym {
        intern(s, hash_of(s)).0
    }
    pub fn as_str(&self) -> &'static str {
        TEXTS.get(self.0)
    }
    /// True when both are the same interned copy (for symbols: when they are equal).
    pub fn ptr_eq(a: &Sym, b: &Sym) -> bool {
        a.0 == b.0
    }
    /// The symbol's number (equal symbols, equal numbers): a key for an index of symbols
    /// that hashes no text.
    pub fn id(self) -> u32 {
        self.0.get()
    }
    /// The symbol of a number [`Sym::id`] gave (for records that pack their ids).
    pub(super) fn from_id(id: u32) -> Sym {
        Sym(NonZeroU32::new(id).expect("a number Sym::id gave"))
    }
}

/// A socket address as a message record keeps it: a 4-byte id in the process' table of
/// addresses (a whole server's capture has a few thousand, each in millions of records;
/// a `SocketAddr` takes 32 bytes). Reads as the `SocketAddr` (`Deref`); compares, orders,
/// prints and serialises like it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint(NonZeroU32);

static ADDRS: Slots<SocketAddr> = Slots::new();
static ADDR_IDS: Mutex<Option<HashMap<SocketAddr, Endpoint, FxBuild>>> = Mutex::new(None);

impl Endpoint {
    pub fn new(a: SocketAddr) -> Endpoint {
        let mut guard = ADDR_IDS.lock().unwrap_or_else(|e| e.into_inner());
        let ids = guard.get_or_insert_with(HashMap::default);
        if let Some(&x) = ids.get(&a) {
            return x;
        }
        let x = Endpoint(ADDRS.set(ids.len(), a));
        ids.insert(a, x);
        x
    }
    pub fn addr(&self) -> SocketAddr {
        *ADDRS.get(self.0)
    }
}

impl Deref for Endpoint {
    type Target = SocketAddr;
    fn deref(&self) -> &SocketAddr {
        ADDRS.get(self.0)
    }
}

impl From<SocketAddr> for Endpoint {
    fn from(a: SocketAddr) -> Endpoint {
        Endpoint::new(a)
    }
}

impl From<Endpoint> for SocketAddr {
    fn from(e: Endpoint) -> SocketAddr {
        e.addr()
    }
}

impl std::str::FromStr for Endpoint {
    type Err = std::net::AddrParseError;
    fn from_str(s: &str) -> Result<Endpoint, Self::Err> {
        s.parse::<SocketAddr>().map(Endpoint::new)
    }
}

impl PartialOrd for Endpoint {
    fn partial_cmp(&self, other: &Endpoint) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Endpoint {
    fn cmp(&self, other: &Endpoint) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl serde::Serialize for Endpoint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl Deref for Sym {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Sym {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Sym {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

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
        Sym::new(&s)
    }
}

impl serde::Serialize for Sym {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

/// Texts of one analysis that are nearly all different (the To of every response, its tag
/// the server's own), kept apart from the process' table: interned, each would stay for the
/// life of the process with its slot and place (600,000 of them from a 1 GiB capture).
/// Here they are packed back to back in chunks, each frozen (a `Box<str>` of its exact
/// size) when its scanner hands its messages out, and all freed with the analysis (every
/// header set of the analysis holds the store). A text is found by its offset (a `u32`
/// below 2^31): its chunk, then two bytes of length (seven bits, then six and a flag: the
/// chunk stays a valid `str`) and the text. A text may be kept as the interned part before
/// its `;tag=` and the tag (a response's To: the part before is the same for every response
/// to one phone): the flag set, the prefix's id (six bits a byte, the seventh set in every
/// byte but the last) then the tag; read as one text, it is built once (see
/// [`TextStore::get`]).
#[derive(Default)]
pub struct TextStore {
    /// Chunks handed out.
    next: std::sync::atomic::AtomicUsize,
    levels: [OnceLock<Chunks>; STORE_LEVELS],
    /// Texts kept as a prefix and a tag that were read whole: their places in `built` by
    /// their offsets.
    built_at: Mutex<FxHashMap<u32, usize>>,
    built: [OnceLock<Chunks>; BUILT_LEVELS],
}

/// A text of a [`TextStore`] as it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored<'a> {
    /// The text itself.
    Text(&'a str),
    /// The text is the prefix, `;tag=` and the tag.
    Tagged(Sym, &'a str),
}

/// One level of a [`TextStore`]: its chunks, each set once when it is frozen.
type Chunks = Box<[OnceLock<Box<str>>]>;

/// Bytes of offsets one chunk takes (its text is at most this long).
const STORE_CHUNK_BITS: u32 = 16;
/// Chunks of the first level of a [`TextStore`]; each next level is twice as big.
const STORE_FIRST: usize = 64;
/// Levels: offsets stay below 2^31 (64 * (2^9 - 1) chunks of 64 KiB).
const STORE_LEVELS: usize = 9;
/// The longest text a [`TextStore`] keeps (a longer one is interned).
pub const STORE_MAX_TEXT: usize = (1 << 13) - 1;
/// The flag of a text kept as a prefix and a tag, in the second byte of its length.
const STORE_TAGGED: u8 = 1 << 6;
/// Levels of the texts built whole (64 * (2^20 - 1) of them at most; then interned).
const BUILT_LEVELS: usize = 20;

impl TextStore {
    /// A number for a new chunk, when there is room left.
    fn new_chunk(&self) -> Option<usize> {
        let c = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (c < STORE_FIRST * ((1 << STORE_LEVELS) - 1)).then_some(c)
    }
    /// Level and place in it of chunk `c`.
    fn place(c: usize) -> (usize, usize) {
        let level = (c / STORE_FIRST + 1).ilog2() as usize;
        (level, c - STORE_FIRST * ((1 << level) - 1))
    }
    /// The text at `offset` (given by a [`StoreWriter`] of this store whose chunk is frozen);
    /// one kept as a prefix and a tag is built the first time (kept until the store is
    /// dropped: read it by [`TextStore::stored`] where that matters).
    pub fn get(&self, offset: u32) -> &str {
        match self.stored(offset) {
            Stored::Text(t) => t,
            Stored::Tagged(prefix, tag) => self.built(offset, prefix, tag),
        }
    }
    /// The text at `offset` as it is kept.
    pub fn stored(&self, offset: u32) -> Stored<'_> {
        let (level, at) = Self::place((offset >> STORE_CHUNK_BITS) as usize);
        let chunk = self.levels[level]
            .get()
            .and_then(|l| l[at].get())
            .expect("a text is read once its chunk is frozen");
        entry(chunk, (offset & ((1 << STORE_CHUNK_BITS) - 1)) as usize)
    }
    /// Whether the text at `offset` is kept as a prefix and a tag.
    pub fn is_tagged(&self, offset: u32) -> bool {
        matches!(self.stored(offset), Stored::Tagged(..))
    }
    /// The whole text of the prefix and tag at `offset`, built once.
    fn built(&self, offset: u32, prefix: Sym, tag: &str) -> &str {
        let mut at = self.built_at.lock().unwrap_or_else(|e| e.into_inner());
        let n = at.len();
        let slot = *at.entry(offset).or_insert(n);
        let (level, i) = Self::place(slot);
        if level >= BUILT_LEVELS {
            // Too many read whole: interned instead.
            return Sym::new(&format!("{prefix};tag={tag}")).as_str();
        }
        let texts = self.built[level]
            .get_or_init(|| (0..STORE_FIRST << level).map(|_| OnceLock::new()).collect());
        texts[i].get_or_init(|| format!("{prefix};tag={tag}").into())
    }
    /// Chunks frozen so far (for the tests).
    pub fn chunks(&self) -> usize {
        self.next.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Where one scanner packs its texts into a [`TextStore`]: the chunk being filled, and the
/// texts kept last by their hash (a text that comes again soon, the To of a response and of
/// its retransmission or of the next response to the same request, is kept once).
#[derive(Default)]
pub struct StoreWriter {
    chunk: Option<usize>,
    buf: String,
    recent: Box<[(u64, u32)]>,
}

/// Texts a [`StoreWriter`] remembers (a power of two; 12 bytes each).
const STORE_RECENT: usize = 4096;

/// The text at `i` of a chunk (or of the open chunk of a writer).
fn entry(chunk: &str, i: usize) -> Stored<'_> {
    let b = chunk.as_bytes();
    let len = usize::from(b[i]) | usize::from(b[i + 1] & !STORE_TAGGED) << 7;
    let text = &chunk[i + 2..i + 2 + len];
    if b[i + 1] & STORE_TAGGED == 0 {
        return Stored::Text(text);
    }
    let mut id = 0u32;
    let mut n = 0;
    for (k, &c) in text.as_bytes().iter().enumerate() {
        id |= u32::from(c & 0x3f) << (6 * k);
        n = k + 1;
        if c & 0x40 == 0 {
            break;
        }
    }
    Stored::Tagged(Sym::from_id(id), &text[n..])
}

impl StoreWriter {
    /// The offset of `s` appended to the open chunk of `store` (a new chunk when it does not
    /// fit); None when `s` is too long or the store is full.
    pub fn keep(&mut self, store: &TextStore, s: &str) -> Option<u32> {
        self.keep_as(store, Stored::Text(s))
    }
    /// The offset of `prefix;tag=tag` kept as its interned prefix and its tag (read back
    /// as [`Stored::Tagged`]); None when the tag is too long or the store is full.
    pub fn keep_tagged(&mut self, store: &TextStore, prefix: Sym, tag: &str) -> Option<u32> {
        self.keep_as(store, Stored::Tagged(prefix, tag))
    }
    fn keep_as(&mut self, store: &TextStore, s: Stored<'_>) -> Option<u32> {
        let mut id = [0u8; 6];
        let (id, text) = match s {
            Stored::Text(t) => (&id[..0], t),
            Stored::Tagged(prefix, tag) => {
                let (mut x, mut n) = (prefix.id(), 0);
                loop {
                    id[n] = (x & 0x3f) as u8;
                    x >>= 6;
                    n += 1;
                    if x == 0 {
                        break;
                    }
                    id[n - 1] |= 0x40;
                }
                (&id[..n], tag)
            }
        };
        if id.len() + text.len() > STORE_MAX_TEXT {
            return None;
        }
        if self.recent.is_empty() {
            self.recent = vec![(0, 0); STORE_RECENT].into_boxed_slice();
        }
        let hash = (hash_of(text) ^ id.iter().fold(0, |h, &b| h << 8 | u64::from(b))) | 1;
        let slot = hash as usize & (STORE_RECENT - 1);
        let (h, at) = self.recent[slot];
        if h == hash && self.text(store, at) == s {
            return Some(at);
        }
        let at = self.append(store, id, text)?;
        self.recent[slot] = (hash, at);
        Some(at)
    }
    /// A text this writer kept (its open chunk read here, the others frozen).
    fn text<'a>(&'a self, store: &'a TextStore, offset: u32) -> Stored<'a> {
        if self.chunk == Some((offset >> STORE_CHUNK_BITS) as usize) {
            entry(&self.buf, (offset & ((1 << STORE_CHUNK_BITS) - 1)) as usize)
        } else {
            store.stored(offset)
        }
    }
    /// Append the text of `id` (a prefix's, or none) and `s`.
    fn append(&mut self, store: &TextStore, id: &[u8], s: &str) -> Option<u32> {
        let len = id.len() + s.len();
        if self.chunk.is_some() && self.buf.len() + 2 + len > 1 << STORE_CHUNK_BITS {
            self.seal(store);
        }
        let chunk = match self.chunk {
            Some(c) => c,
            None => {
                let c = store.new_chunk()?;
                self.chunk = Some(c);
                c
            }
        };
        let at = self.buf.len();
        let flag = if id.is_empty() { 0 } else { STORE_TAGGED };
        self.buf.push(char::from((len & 0x7f) as u8));
        self.buf.push(char::from((len >> 7) as u8 | flag));
        self.buf.extend(id.iter().map(|&b| char::from(b)));
        self.buf.push_str(s);
        Some((chunk << STORE_CHUNK_BITS | at) as u32)
    }
    /// Freeze the open chunk and forget the texts kept (the writer goes on in another store).
    pub fn leave(&mut self, store: &TextStore) {
        self.seal(store);
        self.recent = Box::default();
    }
    /// Freeze the open chunk: its texts can be read (a copy at its exact size).
    pub fn seal(&mut self, store: &TextStore) {
        if let Some(c) = self.chunk.take() {
            let (level, at) = TextStore::place(c);
            let chunks = store.levels[level]
                .get_or_init(|| (0..STORE_FIRST << level).map(|_| OnceLock::new()).collect());
            let _ = chunks[at].set(self.buf.as_str().into());
            self.buf.clear();
        }
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
    /// The last word's high bits folded into the low ones and mixed again: the low bits
    /// pick a table's bucket, and Fx leaves them blind to the high bytes of each word (keys
    /// that differ only there, "call-17" and "call-18", would share a few buckets).
    fn finish(&self) -> u64 {
        let h = (self.hash ^ (self.hash >> 32)).wrapping_mul(FX_SEED);
        h ^ (h >> 32)
    }
}

/// A `BuildHasher` of [`FxHasher`]s.
pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;
/// A `HashMap` with [`FxHasher`].
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

/// Hands out one [`Sym`] per distinct string, for one scan: a small cache per kind of value
/// of the few strings of that kind seen last (the User-Agent, the Server, the reason phrase
/// repeat from one message to the next: found in a line of the processor's cache), then a
/// two-way cache of the strings that came back (by hash, no lock: a capture repeats the
/// same values), the process' table for the others.
#[derive(Default)]
pub struct Interner {
    cache: Cache,
    recent: Box<[[Entry; RECENT]]>,
    /// The next place to fill in each kind's recent values.
    next: Box<[u8]>,
    /// One bit per id handed out, for [`Interner::len`].
    seen: Vec<u64>,
    distinct: usize,
    /// IPv4 addresses by their bits (port above the address, so that the hash's low bits,
    /// which pick the bucket, differ between addresses), the others by the address.
    endpoints_v4: HashMap<u64, Endpoint, FxBuild>,
    endpoints: HashMap<SocketAddr, Endpoint, FxBuild>,
}

/// One remembered string: its text, its id (None: an empty place) and the high half of its
/// hash (compared before the text).
#[derive(Clone, Copy, Default)]
struct Entry {
    text: &'static str,
    sym: Option<Sym>,
    tag: u32,
}

impl Entry {
    #[inline]
    fn holds(&self, tag: u32, s: &str) -> Option<Sym> {
        self.sym.filter(|_| self.tag == tag && self.text == s)
    }
}

/// The two-way cache of an [`Interner`] and how many strings were put in since it last
/// grew.
#[derive(Default)]
struct Cache {
    entries: Box<[Entry]>,
    filled: usize,
}

/// Most entries of the main cache (a power of two; 24 bytes each; two ways per set): the
/// values a whole server repeats (a Call-ID, From, To, Contact per phone: 5000 phones need
/// ~25,000, and a cache keeps them only when it is several times bigger).
const CACHE: usize = 1 << 17;
/// Entries of the cache at the start (it grows as strings come back, see [`cached`]).
const CACHE_START: usize = 256;
/// Values remembered per kind.
const RECENT: usize = 4;
/// The kinds of values [`Interner::get_kind`] tells apart.
pub const KINDS: usize = 20;

/// `s` through the two-way cache, the process' table when it is not there. Only a string
/// the table already had is put in the cache: a value seen for the first time (a tag, a
/// nonce, a Date) mostly never comes back, and would push out the ones that do. The cache
/// doubles when half of it was filled since it last grew, up to `max` entries; small, it
/// stays in the processor's caches. The most recently used way of
/// a set is first.
fn cached(cache: &mut Cache, max: usize, s: &str, hash: u64) -> Sym {
    if cache.entries.is_empty() {
        cache.entries = vec![Entry::default(); CACHE_START.min(max)].into_boxed_slice();
    }
    let tag = (hash >> 32) as u32;
    let mut set = (hash as usize) & (cache.entries.len() - 1) & !1;
    let e = &mut cache.entries;
    if let Some(x) = e[set].holds(tag, s) {
        return x;
    }
    if let Some(x) = e[set + 1].holds(tag, s) {
        e.swap(set, set + 1);
        return x;
    }
    let (x, new) = intern(s, hash);
    if new {
        return x;
    }
    cache.filled += 1;
    if cache.filled >= cache.entries.len() / 2 && cache.entries.len() < max {
        cache.grow((cache.entries.len() * 2).min(max));
        set = (hash as usize) & (cache.entries.len() - 1) & !1;
    }
    cache.put(
        set,
        Entry {
            text: x.as_str(),
            sym: Some(x),
            tag,
        },
    );
    x
}

impl Cache {
    /// `e` first in its set, the other way moved second (and the second one out).
    fn put(&mut self, set: usize, e: Entry) {
        self.entries[set + 1] = self.entries[set];
        self.entries[set] = e;
    }

    /// `len` entries (a power of two), keeping what the cache holds.
    fn grow(&mut self, len: usize) {
        let old = std::mem::replace(&mut self.entries, vec![Entry::default(); len].into());
        self.filled = 0;
        // The second ways first, so that the first ones stay first.
        for e in old.iter().skip(1).step_by(2).chain(old.iter().step_by(2)) {
            if e.sym.is_some() {
                self.put((hash_of(e.text) as usize) & (len - 1) & !1, *e);
            }
        }
    }
}

/// `a == b`, the lengths and the last eight bytes compared first (inline: most values of a
/// kind differ there, in a tag or a number, and a call to compare the rest costs more).
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let last = |v: &[u8]| {
        v.get(v.len().wrapping_sub(8)..)
            .and_then(|t| <[u8; 8]>::try_from(t).ok())
            .map(u64::from_le_bytes)
    };
    x.len() == y.len() && last(x) == last(y) && x == y
}

fn hash_of(s: &str) -> u64 {
    use std::hash::BuildHasher;
    FxBuild::default().hash_one(s)
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared copy of `s`.
    pub fn get(&mut self, s: &str) -> Sym {
        let x = cached(&mut self.cache, CACHE, s, hash_of(s));
        self.count(x)
    }

    /// [`Interner::get`] for a value of kind `kind` (below [`KINDS`]: e.g. which header it
    /// is the value of), looked up first among the last few values of that kind (by their
    /// text: the values that repeat from one message to the next cost no hash).
    pub fn get_kind(&mut self, kind: usize, s: &str) -> Sym {
        if self.recent.is_empty() {
            self.recent = vec![[Entry::default(); RECENT]; KINDS].into_boxed_slice();
            self.next = vec![0; KINDS].into_boxed_slice();
        }
        let kind = kind.min(KINDS - 1);
        if let Some(x) = self.recent[kind]
            .iter()
            .find_map(|e| e.sym.filter(|_| same(e.text, s)))
        {
            return x;
        }
        let hash = hash_of(s);
        let tag = (hash >> 32) as u32;
        let x = cached(&mut self.cache, CACHE, s, hash);
        let at = usize::from(self.next[kind]);
        self.recent[kind][at] = Entry {
            text: x.as_str(),
            sym: Some(x),
            tag,
        };
        self.next[kind] = ((at + 1) % RECENT) as u8;
        self.count(x)
    }

    fn count(&mut self, x: Sym) -> Sym {
        let i = x.0.get() as usize;
        if self.seen.len() <= i / 64 {
            self.seen.resize(i / 64 + 1, 0);
        }
        let bit = 1u64 << (i % 64);
        if self.seen[i / 64] & bit == 0 {
            self.seen[i / 64] |= bit;
            self.distinct += 1;
        }
        x
    }

    /// The id of an address (a map of its own first: no lock for an address seen before).
    pub fn endpoint(&mut self, a: SocketAddr) -> Endpoint {
        match a {
            SocketAddr::V4(v4) => {
                let key = u64::from(v4.port()) << 32 | u64::from(v4.ip().to_bits());
                *self
                    .endpoints_v4
                    .entry(key)
                    .or_insert_with(|| Endpoint::new(a))
            }
            SocketAddr::V6(_) => *self.endpoints.entry(a).or_insert_with(|| Endpoint::new(a)),
        }
    }

    /// Distinct strings handed out.
    pub fn len(&self) -> usize {
        self.distinct
    }

    pub fn is_empty(&self) -> bool {
        self.distinct == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
        // Four bytes (the task of issue 14 asked for an id, no longer a pointer), and None
        // costs nothing more.
        assert_eq!(std::mem::size_of::<Sym>(), 4);
        assert_eq!(std::mem::size_of::<Option<Sym>>(), 4);
        // Ids across the blocks of the table read back their own text.
        let many: Vec<(String, Sym)> = (0..5000)
            .map(|n| {
                let t = format!("intern-test-{n}");
                let x = Sym::new(&t);
                (t, x)
            })
            .collect();
        for (t, x) in &many {
            assert_eq!(x.as_str(), t);
            assert_eq!(Sym::new(t), *x);
        }
        // Addresses: one id each, read back, compared and printed like the address.
        let a: SocketAddr = "192.0.2.7:5060".parse().unwrap();
        let e = Endpoint::new(a);
        assert_eq!(e, Endpoint::new(a));
        assert_ne!(e, Endpoint::new("192.0.2.7:5061".parse().unwrap()));
        assert!(*e == a && e.addr() == a);
        assert_eq!(format!("{e} {e:?}"), format!("{a} {a:?}"));
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            serde_json::to_string(&a).unwrap()
        );
        assert_eq!(std::mem::size_of::<Endpoint>(), 4);
        assert_eq!(slot_of(0), (0, 0));
        assert_eq!(slot_of(FIRST_BLOCK - 1), (0, FIRST_BLOCK - 1));
        assert_eq!(slot_of(FIRST_BLOCK), (1, 0));
        assert_eq!(slot_of(3 * FIRST_BLOCK), (2, 0));
        assert_eq!(slot_of(u32::MAX as usize - 1).0, BLOCKS - 1);
    }

    /// Through the per-kind and the two-way caches, evicted and found again, every string
    /// gets the id of its text, and one id per distinct string is counted.
    #[test]
    fn caches_give_the_table_s_ids() {
        let mut i = Interner::new();
        let texts: Vec<String> = (0..3000)
            .map(|n| format!("cache-test-{}", n % 700))
            .collect();
        for (n, t) in texts.iter().enumerate() {
            let x = if n % 3 == 0 {
                i.get(t)
            } else {
                i.get_kind(n % 5, t)
            };
            assert_eq!(x, Sym::new(t));
            assert_eq!(x.as_str(), t);
        }
        assert_eq!(i.len(), 700);
        // Far more distinct strings than the cache holds: evictions, still the right ids.
        for n in 0..(CACHE as u32 + 5000) {
            let t = format!("evict-{}", n.wrapping_mul(2_654_435_761) % 300_000);
            assert_eq!(i.get_kind(7, &t).as_str(), t);
        }
        assert_eq!(i.get_kind(KINDS + 3, "x"), Sym::new("x"));
    }

    /// A string met for the first time is not put in the two-way cache (most never come
    /// back); met again, it is, with the table's id; the cache grows as strings come back.
    #[test]
    fn only_strings_that_come_back_are_cached() {
        let mut i = Interner::new();
        let in_cache = |i: &Interner, t: &str| {
            i.cache
                .entries
                .iter()
                .any(|e| e.sym.is_some() && e.text == t)
        };
        let t = "only-cached-when-back";
        let x = i.get(t);
        assert!(!in_cache(&i, t));
        assert_eq!(i.get(t), x);
        assert!(in_cache(&i, t));
        assert_eq!(i.len(), 1);
        let texts: Vec<String> = (0..2000).map(|n| format!("comes-back-{n}")).collect();
        let ids: Vec<Sym> = texts.iter().map(|t| Sym::new(t)).collect();
        for (t, x) in texts.iter().zip(&ids) {
            assert_eq!(i.get(t), *x);
        }
        assert!(i.cache.entries.len() > CACHE_START);
        let kept = texts.iter().filter(|t| in_cache(&i, t)).count();
        assert!(
            kept > 1000,
            "{kept} of 2000, {} entries",
            i.cache.entries.len()
        );
        for (t, x) in texts.iter().zip(&ids) {
            assert_eq!(i.get_kind(3, t), *x);
        }
        assert_eq!(i.len(), 2001);
    }

    /// Texts kept by two writers in one store, over many chunks, read back once frozen; a
    /// text kept again soon is kept once (in the open chunk or a frozen one); a text too
    /// long is not kept.
    #[test]
    fn a_store_reads_back_what_its_writers_kept() {
        let store = TextStore::default();
        let (mut a, mut b) = (StoreWriter::default(), StoreWriter::default());
        let mut kept = Vec::new();
        for n in 0..40_000usize {
            let t = format!("<sip:{n}@host>;tag=t{}-{}", n * 7919, "x".repeat(n % 300));
            let w = if n % 3 == 0 { &mut b } else { &mut a };
            let at = w.keep(&store, &t).unwrap();
            // Again at once: the same place.
            assert_eq!(w.keep(&store, &t), Some(at));
            kept.push((t, at));
        }
        a.seal(&store);
        b.seal(&store);
        assert!(store.chunks() > 100, "{}", store.chunks());
        for (t, at) in &kept {
            assert_eq!(store.get(*at), t);
        }
        // Once frozen, still found again (not kept twice).
        let (t, at) = &kept[kept.len() - 2];
        assert_eq!(a.keep(&store, t), Some(*at));
        let chunks = store.chunks();
        assert_eq!(a.keep(&store, &"y".repeat(STORE_MAX_TEXT + 1)), None);
        let long = "z".repeat(STORE_MAX_TEXT);
        let at = a.keep(&store, &long).unwrap();
        a.leave(&store);
        assert_eq!(store.get(at), long);
        assert_eq!(store.chunks(), chunks + 1);
        // In another store after `leave`: nothing of the first one is taken for kept.
        let other = TextStore::default();
        let at = a.keep(&other, &kept[0].0).unwrap();
        a.seal(&other);
        assert_eq!(other.get(at), kept[0].0);
    }

    /// A text kept as a prefix's id and a tag reads back as both (ids of one to six bytes),
    /// whole once built (the same copy each time), and is never taken for a text kept whole
    /// with the same bytes.
    #[test]
    fn a_store_keeps_a_prefix_and_a_tag() {
        let store = TextStore::default();
        let mut w = StoreWriter::default();
        let ids = [
            1,
            63,
            64,
            4095,
            4096,
            262_143,
            262_144,
            1 << 30,
            (1 << 31) - 1,
        ];
        let mut kept = Vec::new();
        for (n, &id) in ids.iter().enumerate() {
            let tag = format!("t{n}");
            let at = w.keep_tagged(&store, Sym::from_id(id), &tag).unwrap();
            assert_eq!(w.keep_tagged(&store, Sym::from_id(id), &tag), Some(at));
            let whole = w.keep(&store, &tag).unwrap();
            assert_ne!(whole, at);
            kept.push((id, tag, at, whole));
        }
        let prefix = Sym::new("\"Ann\" <sip:ann@host>");
        let real = w.keep_tagged(&store, prefix, "x-1").unwrap();
        w.seal(&store);
        for (id, tag, at, whole) in &kept {
            assert_eq!(store.stored(*at), Stored::Tagged(Sym::from_id(*id), tag));
            assert!(store.is_tagged(*at));
            assert_eq!(store.stored(*whole), Stored::Text(tag));
            assert_eq!(store.get(*whole), tag);
        }
        assert_eq!(store.get(real), "\"Ann\" <sip:ann@host>;tag=x-1");
        assert!(std::ptr::eq(store.get(real), store.get(real)));
        // Too long with its id: not kept.
        let long = "t".repeat(STORE_MAX_TEXT);
        assert_eq!(w.keep_tagged(&store, prefix, &long), None);
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
        // Their low bits (a table's bucket) differ for keys that differ only late in a
        // word: 4096 Call-IDs fall in most of 4096 buckets, not in a few dozen.
        let buckets: HashSet<u64> = (0..4096)
            .map(|n| h(&format!("comes-back-{n}")) & 4095)
            .collect();
        assert!(buckets.len() > 2000, "{}", buckets.len());
        let ports: HashSet<u64> = (0..4096u16)
            .map(|n| {
                use std::hash::BuildHasher;
                FxBuild::default()
                    .hash_one(SocketAddr::from(([10, 0, (n >> 8) as u8, n as u8], 5060)))
                    & 4095
            })
            .collect();
        assert!(ports.len() > 2000, "{}", ports.len());
        assert!(Sym::ptr_eq(&i.get(""), &i.get("")));
    }
}
