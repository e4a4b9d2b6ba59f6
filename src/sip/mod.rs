//! The SIP layer: a tolerant scanner that finds SIP messages in UDP datagrams and TCP streams.
//!
//! Detection is by content, never by port: a payload is SIP when it starts with a request line
//! (`METHOD SP Request-URI SP SIP/2.0`, RFC 3261 section 7.1) or a status line
//! (`SIP/2.0 SP Status-Code SP Reason-Phrase`, section 7.2). The scanner is deliberately more
//! lenient than the grammar, because real phones are: LF-only line ends, space before the colon,
//! folded headers (section 7.3.1), compact header names (section 7.3.3), several messages in one
//! TCP segment and one message over several segments (framed by Content-Length, section 18.3).
//! Every message keeps where its bytes are (see [`crate::capture::raw`]), the numbers of the
//! frames it came from, and a compact record of what the diagnosis reads.

pub mod auth;
pub mod intern;

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use serde::Serialize;

pub use crate::capture::Frames;
use crate::capture::{Arena, Nanos, Payload, RawRef, RawSource, SkipReason, Skips, Transport};
pub use intern::{Endpoint, Interner, Sym};

pub use crate::limits::{MAX_BODY_BYTES, MAX_CHALLENGES_PER_HEADER, MAX_HEADER_BYTES, MAX_HEADERS};

/// The first line of a message (its strings interned: see [`intern`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StartLine {
    Request { method: Sym, uri: Sym },
    Response { code: u16, reason: Sym },
}

/// The line as a summary shows it: `METHOD uri` or `code reason`.
impl std::fmt::Display for StartLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartLine::Request { method, uri } => write!(f, "{method} {uri}"),
            StartLine::Response { code, reason } => write!(f, "{code} {reason}"),
        }
    }
}

/// One header line, unfolded; `name` as written, `value` trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// The headers a message record keeps (lower-case full names): the ones the diagnosis, the
/// report and the screens read. Every other header stays in the capture (read the raw text
/// back to see it); the auth headers are kept parsed ([`MessageAuth`]), the top Via as its
/// branch.
pub const KEPT_HEADERS: &[&str] = &[
    "call-id",
    "cseq",
    "from",
    "to",
    "contact",
    "user-agent",
    "server",
    "date",
    "warning",
    "expires",
    "min-expires",
    "allow",
    "content-type",
    "retry-after",
    "reason",
];

// Each kept header and the two strings of a start line are kinds of values of their own
// for the interner (see `compact_head`).
const _: () = assert!(KEPT_HEADERS.len() + 2 <= intern::KINDS);

/// The name of a kept header: an index into [`KEPT_HEADERS`] (reads as the lower-case name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeptName(u8);

impl KeptName {
    /// Call-ID and CSeq, the two every pass reads (their places in [`KEPT_HEADERS`]).
    const CALL_ID: KeptName = KeptName(0);
    const CSEQ: KeptName = KeptName(1);
    const TO: KeptName = KeptName(3);

    /// The kept header `written` is (any case, compact forms included).
    pub fn of(written: &str) -> Option<KeptName> {
        match HeaderClass::of(written) {
            HeaderClass::Kept(k) => Some(k),
            _ => None,
        }
    }
}

impl std::ops::Deref for KeptName {
    type Target = str;
    fn deref(&self) -> &str {
        KEPT_HEADERS[self.0 as usize]
    }
}

impl Serialize for KeptName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

/// One kept header of a header set: its name and value (trimmed, unfolded, interned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeptHeader {
    pub name: KeptName,
    pub value: Sym,
}

/// One kept header of a message as [`Headers::iter`] reads it: its name and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeaderLine<'a> {
    pub name: KeptName,
    pub value: HeaderValue<'a>,
}

/// The value of a kept header: interned (nearly all of them), or a text of the analysis'
/// own (the To of a response, with its tag: see [`intern::TextStore`]), whole or as its
/// interned part before `;tag=` and the tag. Reads as the text.
#[derive(Clone, Copy)]
pub enum HeaderValue<'a> {
    Sym(Sym),
    Text(&'a str),
    Tagged(TaggedValue<'a>),
}

/// A value that is an interned prefix, `;tag=` and a tag of the analysis' store (read as
/// one text, it is built once: [`TaggedValue::parts`] reads it without that).
#[derive(Clone, Copy)]
pub struct TaggedValue<'a> {
    store: &'a intern::TextStore,
    at: u32,
}

impl<'a> TaggedValue<'a> {
    /// The part before `;tag=` and the tag.
    pub fn parts(&self) -> (Sym, &'a str) {
        match self.store.stored(self.at) {
            intern::Stored::Tagged(prefix, tag) => (prefix, tag),
            intern::Stored::Text(_) => unreachable!("a tagged value is kept tagged"),
        }
    }
}

impl<'a> HeaderValue<'a> {
    /// The text (a tagged one built the first time: see [`HeaderValue::pieces`]).
    pub fn as_str(&self) -> &'a str {
        match *self {
            HeaderValue::Sym(x) => x.as_str(),
            HeaderValue::Text(t) => t,
            HeaderValue::Tagged(t) => t.store.get(t.at),
        }
    }
    /// The text in three pieces, one after the other (nothing built).
    pub fn pieces(&self) -> [&'a str; 3] {
        match *self {
            HeaderValue::Tagged(t) => {
                let (prefix, tag) = t.parts();
                [prefix.as_str(), ";tag=", tag]
            }
            _ => [self.as_str(), "", ""],
        }
    }
    /// The URI of the name-addr it is ([`uri_of_name_addr`]; nothing built).
    pub fn uri(&self) -> &'a str {
        match *self {
            // The prefix has the URI whole (see `split_tag`).
            HeaderValue::Tagged(t) => uri_of_name_addr(t.parts().0.as_str()),
            _ => uri_of_name_addr(self.as_str()),
        }
    }
    /// Its symbol (the value interned if it is not).
    pub fn to_sym(&self) -> Sym {
        self.sym().unwrap_or_else(|| Sym::new(&self.to_string()))
    }
    /// Its symbol, when it is interned.
    pub fn sym(&self) -> Option<Sym> {
        match *self {
            HeaderValue::Sym(x) => Some(x),
            _ => None,
        }
    }
}

/// The part before `;tag=` and the tag of a To kept so (see [`HeaderValue::Tagged`]): only
/// when the value is exactly that, the tag last and a token (no quote, bracket, `;`, space
/// or non-ASCII byte in it), and the URI of the name-addr is in the prefix whole (no `<`
/// without a `>` after it), so that the prefix reads the same URI.
fn split_tag(value: &str) -> Option<(&str, &str)> {
    let at = value.find(";tag=")?;
    let (prefix, tag) = (&value[..at], &value[at + ";tag=".len()..]);
    let token = !tag.is_empty() && tag.bytes().all(is_token_char);
    let uri_whole = prefix.find('<').is_none_or(|i| prefix[i..].contains('>'));
    (token && uri_whole).then_some((prefix, tag))
}

impl std::ops::Deref for HeaderValue<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for HeaderValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.pieces(), other.pieces());
        a.iter().map(|p| p.len()).sum::<usize>() == b.iter().map(|p| p.len()).sum::<usize>()
            && a.iter()
                .flat_map(|p| p.bytes())
                .eq(b.iter().flat_map(|p| p.bytes()))
    }
}

impl Eq for HeaderValue<'_> {}

impl std::fmt::Debug for HeaderValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderValue::Tagged(_) => std::fmt::Debug::fmt(&self.to_string(), f),
            _ => std::fmt::Debug::fmt(self.as_str(), f),
        }
    }
}

impl std::fmt::Display for HeaderValue<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces().iter().try_for_each(|p| f.write_str(p))
    }
}

impl Serialize for HeaderValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HeaderValue::Tagged(_) => s.serialize_str(&self.to_string()),
            _ => s.serialize_str(self.as_str()),
        }
    }
}

/// A value a message has of its own ([`Headers::own`]) in 4 bytes: a [`Sym`]'s id (below
/// 2^31), or the top bit and the offset of a text in the set's [`intern::TextStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Own(std::num::NonZeroU32);

const OWN_TEXT: u32 = 1 << 31;

impl Own {
    fn sym(x: Sym) -> Own {
        Own(std::num::NonZeroU32::new(x.id()).expect("ids start at 1"))
    }
    fn text(offset: u32) -> Option<Own> {
        (offset < OWN_TEXT)
            .then(|| Own(std::num::NonZeroU32::new(OWN_TEXT | offset).expect("the top bit is set")))
    }
}

/// The store of the texts of an analysis, in a header set (compared and hashed as nothing:
/// every set of an analysis has the same).
#[derive(Clone, Default)]
struct StoreRef(Option<Arc<intern::TextStore>>);

impl PartialEq for StoreRef {
    fn eq(&self, _: &StoreRef) -> bool {
        true
    }
}

impl Eq for StoreRef {}

impl std::hash::Hash for StoreRef {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl std::fmt::Debug for StoreRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TextStore")
    }
}

/// The kept headers of a message, in order, and how many header lines it had in all (at most
/// [`MAX_HEADERS`]): the values a message nearly always has its own of (its CSeq, the To of a
/// response with its tag) and the shared set of everything else (see [`HeaderSet`]). 16
/// bytes and no allocation of its own: the phones of a whole server send the same From,
/// Call-ID, Contact and User-Agent in every registration, so a capture of millions of
/// messages has only thousands of different sets. The set is held by a (thin) `Arc`: freed
/// with the last message that has it, so nothing of it is kept once the analysis is dropped
/// (the sets were leaked for the life of the process: a GUI session opening capture after
/// capture kept every distinct set of each).
#[derive(Clone)]
pub struct Headers {
    set: Arc<HeaderSet>,
    /// The first CSeq and the first To (their places among the kept ones are the set's).
    own: [Option<Own>; 2],
}

/// Equal when they read the same (a text of the analysis' own is compared as text).
impl PartialEq for Headers {
    fn eq(&self, other: &Headers) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Headers {}

/// The kept headers a message has a value of its own of, in the order of [`Headers::own`].
const OWN: [KeptName; 2] = [KeptName::CSEQ, KeptName::TO];

impl Default for Headers {
    fn default() -> Headers {
        // One empty set for the process (not counted in [`live_header_sets`]: never made by
        // a scanner, never dropped).
        static EMPTY: std::sync::LazyLock<Arc<HeaderSet>> = std::sync::LazyLock::new(|| {
            Arc::new(HeaderSet {
                head: [None; SET_HEAD],
                tail: Vec::new(),
                count: 0,
                own_at: [0; 2],
                texts: StoreRef::default(),
            })
        });
        Headers {
            set: Arc::clone(&EMPTY),
            own: [None; 2],
        }
    }
}

/// The kept headers of a message but its first CSeq and first To, in order, how many header
/// lines it had, and where those two go among the kept ones: one copy for every message of
/// an analysis with the same ones (found through its scanners' [`SharedSets`]), freed with
/// the last of them.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct HeaderSet {
    /// The first ones in the set itself (a message's own values apart, most messages have no
    /// more: reading them is one look at memory, not two), the others after them.
    head: [Option<KeptHeader>; SET_HEAD],
    tail: Vec<KeptHeader>,
    count: u16,
    /// The places of the message's own values among all its kept headers ([`NOWHERE`]: it
    /// has none).
    own_at: [u16; 2],
    /// Where the messages' own texts are (see [`Own`]).
    texts: StoreRef,
}

/// Kept headers in a [`HeaderSet`] itself.
const SET_HEAD: usize = 8;

/// Header sets alive in the process (made by a scanner and not yet dropped), for the tests
/// and the measurements.
static LIVE_SETS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Header sets alive in the process (every message keeps its own alive).
pub fn live_header_sets() -> usize {
    LIVE_SETS.load(std::sync::atomic::Ordering::Relaxed)
}

impl Drop for HeaderSet {
    fn drop(&mut self) {
        LIVE_SETS.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl HeaderSet {
    fn new(rest: &[KeptHeader], count: u16, own_at: [u16; 2], texts: StoreRef) -> HeaderSet {
        LIVE_SETS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut head = [None; SET_HEAD];
        for (h, k) in head.iter_mut().zip(rest) {
            *h = Some(*k);
        }
        HeaderSet {
            head,
            tail: rest.get(SET_HEAD..).unwrap_or_default().to_vec(),
            count,
            own_at,
            texts,
        }
    }
    /// The kept headers but the message's own values, in order.
    fn rest(&self) -> impl Iterator<Item = &KeptHeader> + '_ {
        self.head.iter().map_while(Option::as_ref).chain(&self.tail)
    }
    fn rest_len(&self) -> usize {
        self.head.iter().take_while(|h| h.is_some()).count() + self.tail.len()
    }
    /// Whether it is the set of these headers.
    fn holds(&self, rest: &[KeptHeader], count: u16, own_at: [u16; 2]) -> bool {
        let n = rest.len().min(SET_HEAD);
        self.count == count
            && self.own_at == own_at
            && self.head[..n].iter().zip(rest).all(|(h, k)| *h == Some(*k))
            && self.head.get(n).is_none_or(Option::is_none)
            && self.tail == rest.get(SET_HEAD..).unwrap_or_default()
    }
}

/// The place of a value of its own a message does not have.
const NOWHERE: u16 = u16::MAX;

impl std::hash::Hash for KeptHeader {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(u64::from(self.name.0) << 32 | u64::from(self.value.id()));
    }
}

/// The [`HeaderSet`]s the scanners of one analysis made, shared by them (a scanner makes its
/// own unless given another's: see [`Scanner::sharing_sets`]), so that the scanning threads
/// keep one copy of each set. Dropped with the last scanner: the sets then live on only in
/// the messages that have them.
#[derive(Clone, Default)]
pub struct SharedSets(Arc<std::sync::Mutex<SetTable>>, Arc<intern::TextStore>);

type SetTable = std::collections::HashSet<Arc<HeaderSet>, intern::FxBuild>;

/// The sets a scanner has seen, by their hash (in front of its [`SharedSets`]: no lock).
#[derive(Default)]
struct SetCache {
    by_hash: intern::FxHashMap<u64, Arc<HeaderSet>>,
    shared: SharedSets,
}

/// The kept headers of a message as they are read: its own values (and their places) apart
/// from the rest, in order.
#[derive(Default)]
struct KeptList {
    rest: Vec<KeptHeader>,
    own: [Option<Own>; 2],
    own_at: [u16; 2],
    /// Kept headers taken in.
    seen: usize,
}

impl KeptList {
    fn clear(&mut self) {
        self.rest.clear();
        self.own = [None; 2];
        self.own_at = [NOWHERE; 2];
        self.seen = 0;
    }
    fn push(&mut self, h: KeptHeader) {
        let k = OWN.iter().position(|&n| n == h.name);
        match k {
            Some(k) if self.own[k].is_none() && self.seen < usize::from(NOWHERE) => {
                self.own[k] = Some(Own::sym(h.value));
                self.own_at[k] = self.seen as u16;
            }
            _ => self.rest.push(h),
        }
        self.seen += 1;
    }
}

/// The headers of a message whose kept headers are `kept`, of `count` lines: the shared copy
/// of the rest found through `cache` (by hash; no lock on a hit) or made.
fn header_set(kept: &KeptList, count: usize, cache: &mut SetCache) -> Headers {
    let count = count.min(MAX_HEADERS) as u16;
    let hash = {
        use std::hash::{BuildHasher, Hasher};
        let mut h = intern::FxBuild::default().build_hasher();
        h.write_u64(
            u64::from(count) << 32 | u64::from(kept.own_at[0]) << 16 | u64::from(kept.own_at[1]),
        );
        for k in &kept.rest {
            std::hash::Hash::hash(k, &mut h);
        }
        h.finish()
    };
    let same = |s: &HeaderSet| s.holds(&kept.rest, count, kept.own_at);
    let set = match cache.by_hash.get(&hash) {
        Some(s) if same(s) => Arc::clone(s),
        _ => {
            let texts = StoreRef(Some(Arc::clone(&cache.shared.1)));
            let wanted = HeaderSet::new(&kept.rest, count, kept.own_at, texts);
            let mut all = cache.shared.0.lock().unwrap_or_else(|e| e.into_inner());
            let s = match all.get(&wanted) {
                Some(s) => Arc::clone(s),
                None => {
                    let s = Arc::new(wanted);
                    all.insert(Arc::clone(&s));
                    s
                }
            };
            drop(all);
            cache.by_hash.insert(hash, Arc::clone(&s));
            s
        }
    };
    Headers { set, own: kept.own }
}

impl Headers {
    /// Header lines the message had (kept or not).
    pub fn len(&self) -> usize {
        usize::from(self.set.count)
    }
    pub fn is_empty(&self) -> bool {
        self.set.count == 0
    }
    /// The kept headers, in order.
    pub fn iter(&self) -> impl Iterator<Item = HeaderLine<'_>> + '_ {
        let total = self.set.rest_len() + self.own.iter().filter(|o| o.is_some()).count();
        let mut rest = self.set.rest();
        (0..total).filter_map(move |i| {
            match self.set.own_at.iter().position(|&at| usize::from(at) == i) {
                Some(k) => self.own[k].map(|value| HeaderLine {
                    name: OWN[k],
                    value: self.value(value),
                }),
                None => rest.next().map(|h| HeaderLine {
                    name: h.name,
                    value: HeaderValue::Sym(h.value),
                }),
            }
        })
    }
    /// A value of its own as text.
    fn value(&self, v: Own) -> HeaderValue<'_> {
        let id = v.0.get();
        match (&self.set.texts.0, id & OWN_TEXT != 0) {
            (Some(store), true) => match store.stored(id & !OWN_TEXT) {
                intern::Stored::Text(t) => HeaderValue::Text(t),
                intern::Stored::Tagged(..) => HeaderValue::Tagged(TaggedValue {
                    store,
                    at: id & !OWN_TEXT,
                }),
            },
            _ => HeaderValue::Sym(Sym::from_id(id)),
        }
    }
    /// The same headers with the values `f` gives (for records amended by hand).
    pub fn map_values(&mut self, mut f: impl FnMut(HeaderLine<'_>) -> Sym) {
        let mut kept = KeptList::default();
        kept.clear();
        for h in self.iter() {
            kept.push(KeptHeader {
                name: h.name,
                value: f(h),
            });
        }
        *self = header_set(&kept, self.len(), &mut SetCache::default());
    }
    /// The kept headers as (name, value) texts (for the tests: see [`kept_lines`]).
    #[cfg(test)]
    pub(crate) fn lines(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|h| (h.name.to_string(), h.value.to_string()))
            .collect()
    }
    /// The store of its texts (for the tests that check it is freed).
    #[cfg(test)]
    pub(crate) fn texts_handle(&self) -> Option<std::sync::Weak<intern::TextStore>> {
        self.set.texts.0.as_ref().map(Arc::downgrade)
    }
    /// Whether its To is a text of the analysis' own (not interned).
    #[cfg(test)]
    pub(crate) fn to_is_text(&self) -> bool {
        self.first(KeptName::TO).is_some_and(|v| v.sym().is_none())
    }
    /// Its shared set (for the tests that check sets are freed).
    #[cfg(test)]
    pub(crate) fn set_handle(&self) -> std::sync::Weak<HeaderSet> {
        Arc::downgrade(&self.set)
    }
    /// The first value of the kept header `k` (names compared as numbers; a value of the
    /// message's own without a look at the set).
    fn first(&self, k: KeptName) -> Option<HeaderValue<'_>> {
        match OWN.iter().position(|&n| n == k) {
            Some(i) => self.own[i].map(|v| self.value(v)),
            None => self
                .set
                .rest()
                .find(|h| h.name == k)
                .map(|h| HeaderValue::Sym(h.value)),
        }
    }
}

/// The kept header lines of the parsed `headers` (the first [`MAX_HEADERS`]) as (name as
/// kept, value) texts: what the record's [`Headers::lines`] must read (for the tests).
#[cfg(test)]
pub(crate) fn kept_lines(headers: &[Header]) -> Vec<(String, String)> {
    headers
        .iter()
        .take(MAX_HEADERS)
        .filter_map(|h| KeptName::of(&h.name).map(|k| (k.to_string(), h.value.clone())))
        .collect()
}

impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Headers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A message body: nothing (8 bytes, no allocation) for most auth traffic, else its bytes.
/// Reads as a byte slice.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body(Option<Box<Box<[u8]>>>);

impl Body {
    pub fn new(bytes: &[u8]) -> Body {
        Body((!bytes.is_empty()).then(|| Box::new(bytes.into())))
    }
}

impl std::ops::Deref for Body {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.0.as_deref().map_or(&[], |b| b)
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for Body {
    fn eq(&self, other: &&[u8; N]) -> bool {
        **self == other[..]
    }
}

impl PartialEq<[u8]> for Body {
    fn eq(&self, other: &[u8]) -> bool {
        **self == *other
    }
}

impl PartialEq<Vec<u8>> for Body {
    fn eq(&self, other: &Vec<u8>) -> bool {
        **self == other[..]
    }
}

/// The oddities noticed in a message: none (8 bytes, no allocation) nearly always. Reads as a
/// slice of texts (a thin box of a box: 8 bytes where a `Vec` takes 24).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Problems(Option<Box<Box<[String]>>>);

impl From<Vec<String>> for Problems {
    fn from(v: Vec<String>) -> Problems {
        Problems((!v.is_empty()).then(|| Box::new(v.into_boxed_slice())))
    }
}

impl Problems {
    /// Note one more (for records built or amended by hand).
    pub fn push(&mut self, p: String) {
        let mut v = self.0.take().map(|b| b.into_vec()).unwrap_or_default();
        v.push(p);
        *self = Problems::from(v);
    }
}

impl std::ops::Deref for Problems {
    type Target = [String];
    fn deref(&self) -> &[String] {
        self.0.as_deref().map_or(&[], |v| v)
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl std::fmt::Debug for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for Problems {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// One SIP message as seen on the wire: a compact record. Its bytes stay in the capture
/// ([`SipMessage::raw`] says where; read them with [`SipMessage::raw_bytes`]); it keeps the
/// start line, the [`KEPT_HEADERS`], the Via branch, its parsed auth headers and its body.
#[derive(Debug, Clone)]
pub struct SipMessage {
    /// Position in the capture's list of messages (0-based; read it with
    /// [`SipMessage::index`]).
    index: u32,
    /// The frame that completed the message (the one tshark shows it in) and the transport,
    /// in 4 bytes (read them with [`SipMessage::frame`] and [`SipMessage::transport`]).
    frame: FrameAndTransport,

    pub ts: Nanos,
    /// The addresses, as ids ([`Endpoint`] reads as the `SocketAddr`).
    pub src: Endpoint,
    pub dst: Endpoint,
    /// The first line in 8 bytes (read it with [`SipMessage::start`]).
    start: PackedStart,
    pub headers: Headers,
    /// The `branch` parameter of the topmost Via.
    pub branch: Option<BranchId>,

    /// Where the message's bytes are (the whole datagram for UDP, the message for TCP;
    /// read it with [`SipMessage::raw`]).
    raw: PackedRaw,
    /// Its auth headers, parsed once when it was scanned (see [`Auth`]).
    pub auth: Auth,
    /// The frames beyond `frame`, the body and the problems, when it has any (read them with
    /// [`SipMessage::frames`], [`SipMessage::body`], [`SipMessage::problems`]).
    extra: Extra,
}

/// The fields of a record as serde's derive wrote them (the frames all listed).
impl Serialize for SipMessage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("SipMessage", 10)?;
        m.serialize_field("index", &self.index)?;
        m.serialize_field("frame", &self.frame())?;
        m.serialize_field("frames", &self.frames())?;
        m.serialize_field("ts", &self.ts)?;
        m.serialize_field("src", &self.src)?;
        m.serialize_field("dst", &self.dst)?;
        m.serialize_field("transport", &self.transport())?;
        m.serialize_field("start", &self.start())?;
        m.serialize_field("headers", &self.headers)?;
        if !self.problems().is_empty() {
            m.serialize_field("problems", self.problems())?;
        }
        m.end()
    }
}

/// A frame number and a [`Transport`] in 4 bytes: the number in the low 30 bits, the
/// transport in the top 2. A number of [`FRAME_BIG`] or more (a capture of a billion frames)
/// is kept in the record's [`Extra`] box, as the frames of a message of several are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FrameAndTransport(u32);

const FRAME_BITS: u32 = 30;
/// The mark of a frame number kept in the [`Extra`] box (and the first number kept there).
const FRAME_BIG: u32 = (1 << FRAME_BITS) - 1;

impl FrameAndTransport {
    /// The packed pair, and whether `frame` must be kept apart (it does not fit).
    fn new(frame: u64, transport: Transport) -> (FrameAndTransport, bool) {
        let t = match transport {
            Transport::Udp => 0,
            Transport::Tcp => 1,
            Transport::Tls => 2,
        };
        let small = u32::try_from(frame).ok().filter(|&f| f < FRAME_BIG);
        (
            FrameAndTransport(small.unwrap_or(FRAME_BIG) | t << FRAME_BITS),
            small.is_none(),
        )
    }
    /// The frame number, when it is not kept apart.
    fn frame(self) -> Option<u64> {
        let f = self.0 & FRAME_BIG;
        (f != FRAME_BIG).then_some(u64::from(f))
    }
    fn transport(self) -> Transport {
        match self.0 >> FRAME_BITS {
            0 => Transport::Udp,
            1 => Transport::Tcp,
            _ => Transport::Tls,
        }
    }
}

/// A [`StartLine`] in 8 bytes: a request's method id in bits 32..63 and its Request-URI's in
/// the low 32; a response's code in bits 32..48 and its reason's id in the low 32, bit 63 set
/// (ids stay below 2^31: see [`intern`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PackedStart(u64);

const START_RESPONSE: u64 = 1 << 63;

impl PackedStart {
    fn new(l: StartLine) -> PackedStart {
        PackedStart(match l {
            StartLine::Request { method, uri } => {
                u64::from(method.id()) << 32 | u64::from(uri.id())
            }
            StartLine::Response { code, reason } => {
                START_RESPONSE | u64::from(code) << 32 | u64::from(reason.id())
            }
        })
    }
    fn get(self) -> StartLine {
        let low = Sym::from_id(self.0 as u32);
        if self.0 & START_RESPONSE != 0 {
            StartLine::Response {
                code: (self.0 >> 32) as u16,
                reason: low,
            }
        } else {
            StartLine::Request {
                method: Sym::from_id((self.0 >> 32) as u32),
                uri: low,
            }
        }
    }
    fn is_request(self) -> bool {
        self.0 & START_RESPONSE == 0
    }
}

/// The frames of a message as [`SipMessage::frames`] gives them: reads as a slice (the one
/// frame held here, the others borrowed from the record).
#[derive(Clone, Copy)]
pub enum MessageFrames<'a> {
    One([u64; 1]),
    Many(&'a [u64]),
}

impl std::ops::Deref for MessageFrames<'_> {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        match self {
            MessageFrames::One(f) => f,
            MessageFrames::Many(v) => v,
        }
    }
}

impl std::fmt::Debug for MessageFrames<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for MessageFrames<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl PartialEq<Vec<u64>> for MessageFrames<'_> {
    fn eq(&self, other: &Vec<u64>) -> bool {
        **self == **other
    }
}

impl PartialEq<&[u64]> for MessageFrames<'_> {
    fn eq(&self, other: &&[u64]) -> bool {
        **self == **other
    }
}

/// The frames by value (for a chain of iterators that outlives the value).
impl<'a> IntoIterator for MessageFrames<'a> {
    type Item = u64;
    type IntoIter = FramesIter<'a>;
    fn into_iter(self) -> FramesIter<'a> {
        FramesIter {
            frames: self,
            at: 0,
        }
    }
}

/// The iterator of [`MessageFrames`] by value.
pub struct FramesIter<'a> {
    frames: MessageFrames<'a>,
    at: usize,
}

impl Iterator for FramesIter<'_> {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        let f = self.frames.get(self.at).copied();
        self.at += 1;
        f
    }
}

impl Serialize for MessageFrames<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// What few records have: frames other than the one frame that completed the message (a
/// datagram in one frame has none), a body (most auth traffic has none), problems. Nothing,
/// 8 bytes, nearly always; one allocation for the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Extra(Option<Box<ExtraData>>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ExtraData {
    /// Every frame of the message (empty: just the one that completed it).
    frames: Box<[u64]>,
    /// The frame that completed it, when its number does not fit in the record (0: it
    /// fits; see [`FrameAndTransport`]).
    big_frame: u64,
    body: Body,
    problems: Problems,
}

impl Extra {
    fn new(frames: Box<[u64]>, big_frame: u64, body: Body, problems: Problems) -> Extra {
        let none = frames.is_empty() && big_frame == 0 && body.is_empty() && problems.is_empty();
        Extra((!none).then(|| {
            Box::new(ExtraData {
                frames,
                big_frame,
                body,
                problems,
            })
        }))
    }
}

/// A [`RawRef`] in 8 bytes: the offset in the low 40 bits (a capture of up to 1 TiB), the
/// length in the next 23 (a message is at most [`MAX_HEADER_BYTES`] + [`MAX_BODY_BYTES`]),
/// the arena flag in the top bit. An offset past 1 TiB is kept as none: reading it back
/// fails (the record says so) instead of reading other bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PackedRaw(u64);

const RAW_AT_BITS: u32 = 40;
const RAW_LEN_BITS: u32 = 23;

impl PackedRaw {
    fn new(r: RawRef) -> PackedRaw {
        let len = u64::from(r.len).min((1 << RAW_LEN_BITS) - 1);
        let at = if r.at < 1 << RAW_AT_BITS {
            r.at
        } else {
            (1 << RAW_AT_BITS) - 1
        };
        PackedRaw(at | len << RAW_AT_BITS | u64::from(r.arena) << 63)
    }
    fn get(self) -> RawRef {
        RawRef {
            at: self.0 & ((1 << RAW_AT_BITS) - 1),
            len: ((self.0 >> RAW_AT_BITS) & ((1 << RAW_LEN_BITS) - 1)) as u32,
            arena: self.0 >> 63 == 1,
        }
    }
}

const _: () = assert!(MAX_HEADER_BYTES + MAX_BODY_BYTES < 1 << RAW_LEN_BITS);

/// A parsed credentials value, or why it does not parse (boxed: errors are rare, and the
/// value sits in every authenticated message's record).
pub type ParsedCredentials = Result<auth::PackedAuth, Box<auth::AuthError>>;

/// The auth headers of a message as its record keeps them: none; the one value of its only
/// auth header inline (nearly every auth message: one Authorization, or a 401 with one
/// challenge; the value says which header, see [`auth::Source`]), or the error of its only
/// Authorization, without an allocation of its own; else all of them, shared, so a copy of
/// the record (`Analysis::focus`) does not copy them. 16 bytes (the value's source byte
/// tells the three apart). Read them with [`SipMessage::credentials`] and
/// [`SipMessage::challenges`].
#[derive(Debug, Clone, Default)]
pub enum Auth {
    #[default]
    None,
    /// Only one Authorization, Proxy-Authorization or challenge value, or only one
    /// Authorization that does not parse.
    One(ParsedCredentials),
    /// Anything else.
    Full(std::sync::Arc<MessageAuth>),
}

/// The same headers with the same values (an inline value under the same header).
impl PartialEq for Auth {
    fn eq(&self, other: &Auth) -> bool {
        match (self, other) {
            (Auth::None, Auth::None) => true,
            (Auth::One(a), Auth::One(b)) => self.inline_source() == other.inline_source() && a == b,
            (Auth::Full(a), Auth::Full(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Auth {}

impl Auth {
    pub fn is_none(&self) -> bool {
        matches!(self, Auth::None)
    }
    pub fn is_some(&self) -> bool {
        !self.is_none()
    }

    /// The header of its one value, when it keeps one inline.
    pub fn inline_source(&self) -> Option<auth::Source> {
        match self {
            Auth::One(Ok(v)) => Some(v.source()),
            Auth::One(Err(_)) => Some(auth::Source::Authorization),
            _ => None,
        }
    }

    /// The compact form of what a message's auth headers gave.
    fn of(mut a: MessageAuth) -> Auth {
        use auth::Source;
        let parts = usize::from(a.authorization.is_some())
            + usize::from(a.proxy_authorization.is_some())
            + usize::from(!a.www_authenticate.is_empty())
            + usize::from(!a.proxy_authenticate.is_empty());
        let one = |c: &mut Box<[auth::PackedAuth]>, source| {
            (c.len() == 1).then(|| {
                let v = std::mem::take(c).into_vec().pop().expect("one");
                Auth::One(Ok(v.with_source(source)))
            })
        };
        let single = match parts {
            0 => Some(Auth::None),
            1 => match (a.authorization.take(), a.proxy_authorization.take()) {
                (Some(v), _) => Some(Auth::One(v.map(|v| v.with_source(Source::Authorization)))),
                // A bad Proxy-Authorization is kept in full (an error says no header).
                (_, Some(Err(e))) => {
                    a.proxy_authorization = Some(Err(e));
                    None
                }
                (_, Some(Ok(v))) => Some(Auth::One(Ok(v.with_source(Source::ProxyAuthorization)))),
                _ => one(&mut a.www_authenticate, Source::WwwAuthenticate)
                    .or_else(|| one(&mut a.proxy_authenticate, Source::ProxyAuthenticate)),
            },
            _ => None,
        };
        single.unwrap_or_else(|| Auth::Full(std::sync::Arc::new(a)))
    }

    /// The first Authorization (`proxy` false) or Proxy-Authorization value.
    fn credentials(&self, proxy: bool) -> Option<&ParsedCredentials> {
        let source = if proxy {
            auth::Source::ProxyAuthorization
        } else {
            auth::Source::Authorization
        };
        match self {
            Auth::One(v) if self.inline_source() == Some(source) => Some(v),
            Auth::Full(a) if proxy => a.proxy_authorization.as_ref(),
            Auth::Full(a) => a.authorization.as_ref(),
            _ => None,
        }
    }

    /// Every challenge of the WWW-Authenticate (`proxy` false) or Proxy-Authenticate headers.
    fn challenges(&self, proxy: bool) -> &[auth::PackedAuth] {
        let source = if proxy {
            auth::Source::ProxyAuthenticate
        } else {
            auth::Source::WwwAuthenticate
        };
        match self {
            Auth::One(Ok(v)) if v.source() == source => std::slice::from_ref(v),
            Auth::Full(a) if proxy => &a.proxy_authenticate,
            Auth::Full(a) => &a.www_authenticate,
            _ => &[],
        }
    }
}

/// The auth headers of a message, parsed once when it is scanned: every later reader
/// (transactions, accounts, captured auths, every diagnose rule, the report) reads these.
/// Parsing them again in each of those was a fifth of the run time on a big capture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageAuth {
    /// The first Authorization value (Err when it does not parse).
    pub authorization: Option<ParsedCredentials>,
    /// The first Proxy-Authorization value.
    pub proxy_authorization: Option<ParsedCredentials>,
    /// Every challenge of every WWW-Authenticate header, in order (values that do not
    /// parse left out).
    pub www_authenticate: Box<[auth::PackedAuth]>,
    /// Every challenge of every Proxy-Authenticate header.
    pub proxy_authenticate: Box<[auth::PackedAuth]>,
}

impl MessageAuth {
    /// Add the challenges of one header value to `to` (built in `scratch`, which the scanner
    /// reuses); true when it held too many.
    fn challenges(
        value: &str,
        to: &mut Box<[auth::PackedAuth]>,
        (scratch, blocks): (&mut Vec<auth::PackedAuth>, &mut auth::Blocks),
    ) -> bool {
        scratch.clear();
        scratch.extend(std::mem::take(to).into_vec());
        let over = auth::pack_challenges_into(value, scratch, blocks);
        // Exactly as many as there are (collected from a drain: one allocation of that size).
        *to = scratch.drain(..).collect();
        over
    }

    /// Take in one auth header; true when a challenge header held more than
    /// [`MAX_CHALLENGES_PER_HEADER`] challenges.
    fn add(
        &mut self,
        which: AuthHeader,
        value: &str,
        scratch: (&mut Vec<auth::PackedAuth>, &mut auth::Blocks),
    ) -> bool {
        let blocks = &mut *scratch.1;
        match which {
            AuthHeader::Authorization => {
                if self.authorization.is_none() {
                    self.authorization =
                        Some(auth::pack_credentials_in(value, blocks).map_err(Box::new));
                }
            }
            AuthHeader::ProxyAuthorization => {
                if self.proxy_authorization.is_none() {
                    self.proxy_authorization =
                        Some(auth::pack_credentials_in(value, blocks).map_err(Box::new));
                }
            }
            AuthHeader::WwwAuthenticate => {
                return Self::challenges(value, &mut self.www_authenticate, scratch);
            }
            AuthHeader::ProxyAuthenticate => {
                return Self::challenges(value, &mut self.proxy_authenticate, scratch);
            }
        }
        false
    }
}

/// Full names of the compact forms of RFC 3261 section 7.3.3 and later RFCs (IANA registry).
fn expand_compact(name: &str) -> Option<&'static str> {
    if name.len() != 1 {
        return None;
    }
    Some(match name.as_bytes()[0].to_ascii_lowercase() {
        b'a' => "accept-contact",
        b'b' => "referred-by",
        b'c' => "content-type",
        b'd' => "request-disposition",
        b'e' => "content-encoding",
        b'f' => "from",
        b'i' => "call-id",
        b'j' => "reject-contact",
        b'k' => "supported",
        b'l' => "content-length",
        b'm' => "contact",
        b'o' => "event",
        b'r' => "refer-to",
        b's' => "subject",
        b't' => "to",
        b'u' => "allow-events",
        b'v' => "via",
        b'x' => "session-expires",
        b'y' => "identity",
        _ => return None,
    })
}

/// True when a header named `written` is the header `canonical` (lower-case full name).
pub fn header_is(written: &str, canonical: &str) -> bool {
    written.eq_ignore_ascii_case(canonical) || expand_compact(written) == Some(canonical)
}

impl SipMessage {
    /// Position in the capture's list of messages (0-based).
    pub fn index(&self) -> usize {
        self.index as usize
    }
    /// Give it another position (a record copied into another list).
    pub fn set_index(&mut self, index: usize) {
        self.index = u32::try_from(index).expect("fewer than 4 billion messages");
    }
    /// The frame that completed the message (the one tshark shows it in).
    pub fn frame(&self) -> u64 {
        match self.frame.frame() {
            Some(f) => f,
            None => self.extra.0.as_ref().map_or(0, |e| e.big_frame),
        }
    }
    pub fn transport(&self) -> Transport {
        self.frame.transport()
    }
    /// The first line (method and Request-URI, or code and reason).
    pub fn start(&self) -> StartLine {
        self.start.get()
    }
    /// Give it another first line (for records amended by hand).
    pub fn set_start(&mut self, l: StartLine) {
        self.start = PackedStart::new(l);
    }
    /// Every frame that carried bytes of it, in order.
    pub fn frames(&self) -> MessageFrames<'_> {
        match &self.extra.0 {
            Some(e) if !e.frames.is_empty() => MessageFrames::Many(&e.frames),
            _ => MessageFrames::One([self.frame()]),
        }
    }
    /// The body (cut to Content-Length). Empty for most auth traffic; an SDP otherwise.
    pub fn body(&self) -> &[u8] {
        self.extra.0.as_ref().map_or(&[], |e| &e.body)
    }
    /// Oddities noticed while scanning (e.g. a Content-Length larger than the body).
    pub fn problems(&self) -> &[String] {
        self.extra.0.as_ref().map_or(&[], |e| &e.problems)
    }
    /// Note one more oddity (for records amended by hand).
    pub fn push_problem(&mut self, p: String) {
        self.extra
            .0
            .get_or_insert_with(Default::default)
            .problems
            .push(p);
    }
    /// Where the message's bytes are (the whole datagram for UDP, the message for TCP).
    pub fn raw(&self) -> RawRef {
        self.raw.get()
    }
    /// First value of a kept header (see [`KEPT_HEADERS`]; `canonical` is the full
    /// lower-case name). Other headers are not kept: read the raw text back for them.
    pub fn header(&self, canonical: &str) -> Option<&str> {
        debug_assert!(KeptName::of(canonical).is_some(), "{canonical} is not kept");
        // By its number: the first value, without reading the others.
        let k = KEPT_HEADERS.iter().position(|&n| n == canonical)?;
        self.headers.first(KeptName(k as u8)).map(|v| v.as_str())
    }
    /// Every value of a kept header, in order.
    pub fn headers_named<'a>(&'a self, canonical: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        debug_assert!(KeptName::of(canonical).is_some(), "{canonical} is not kept");
        self.headers
            .iter()
            .filter(move |h| *h.name == *canonical)
            .map(|h| h.value.as_str())
    }
    pub fn is_request(&self) -> bool {
        self.start.is_request()
    }
    pub fn method(&self) -> Option<&'static str> {
        match self.start() {
            StartLine::Request { method, .. } => Some(method.as_str()),
            _ => None,
        }
    }
    pub fn request_uri(&self) -> Option<&'static str> {
        match self.start() {
            StartLine::Request { uri, .. } => Some(uri.as_str()),
            _ => None,
        }
    }
    pub fn status(&self) -> Option<u16> {
        match self.start() {
            StartLine::Response { code, .. } => Some(code),
            _ => None,
        }
    }
    /// The first value of the kept header `k` (names compared as numbers).
    fn kept(&self, k: KeptName) -> Option<&str> {
        self.headers.first(k).map(|v| v.as_str())
    }
    pub fn call_id(&self) -> Option<&str> {
        self.kept(KeptName::CALL_ID)
    }
    /// CSeq as (number, method).
    pub fn cseq(&self) -> Option<(u32, &str)> {
        let v = self.kept(KeptName::CSEQ)?;
        let mut it = v.split_whitespace();
        let n = it.next()?.parse().ok()?;
        Some((n, it.next().unwrap_or("")))
    }
    /// The `branch` parameter of the topmost Via (its hash: see [`BranchId`]).
    pub fn via_branch(&self) -> Option<BranchId> {
        self.branch
    }
    /// The first line, as written.
    pub fn summary(&self) -> String {
        self.start().to_string()
    }
    /// The user part of the From (or To) header's URI.
    pub fn from_user(&self) -> Option<String> {
        self.header("from").and_then(uri_user_of_name_addr)
    }
    pub fn to_user(&self) -> Option<String> {
        // By the URI: a To kept as its prefix and tag is not built whole.
        let to = self.headers.first(KeptName::TO)?;
        uri_user_str(to.uri()).map(str::to_string)
    }
    /// The parsed first value of `Authorization` or `Proxy-Authorization` (`name` in any
    /// case), when the message has one.
    pub fn credentials(&self, name: &str) -> Option<&ParsedCredentials> {
        if name.eq_ignore_ascii_case("proxy-authorization") {
            self.auth.credentials(true)
        } else if name.eq_ignore_ascii_case("authorization") {
            self.auth.credentials(false)
        } else {
            None
        }
    }
    /// Every challenge of its WWW-Authenticate headers, then of its Proxy-Authenticate ones.
    pub fn challenges(&self) -> impl Iterator<Item = &auth::PackedAuth> + '_ {
        self.www_challenges().iter().chain(self.proxy_challenges())
    }
    /// Every challenge of its WWW-Authenticate headers.
    pub fn www_challenges(&self) -> &[auth::PackedAuth] {
        self.auth.challenges(false)
    }
    /// Every challenge of its Proxy-Authenticate headers.
    pub fn proxy_challenges(&self) -> &[auth::PackedAuth] {
        self.auth.challenges(true)
    }
    /// The message's bytes as captured, read back from `src` (the analysis' `raw`). An error
    /// when the capture cannot be read again or no longer holds this message there.
    pub fn raw_bytes<'s>(&self, src: &'s RawSource) -> Result<Cow<'s, [u8]>, String> {
        let bytes = src.read(&self.raw()).map_err(|e| e.to_string())?;
        // The file may have changed since it was analysed: the start line must be ours.
        let same = skip_to_start(&bytes)
            .and_then(|d| d.split(|&b| b == b'\n').next())
            .and_then(|l| parse_start_line(&String::from_utf8_lossy(l)))
            .is_some_and(|l| l == self.start());
        if !same {
            return Err("the capture file changed since it was analysed".into());
        }
        Ok(bytes)
    }
    /// The message as text, for showing it (an explanation in brackets when it cannot be
    /// read back).
    pub fn raw_text(&self, src: &RawSource) -> String {
        match self.raw_bytes(src) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => format!("[{}: {e}]", self.summary()),
        }
    }
}

/// The value of `;name=value` in a header value (case-insensitive name), without quotes.
pub fn param_of<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    for part in value.split(';').skip(1) {
        let (k, v) = match part.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (part.trim(), ""),
        };
        if k.eq_ignore_ascii_case(name) {
            return Some(v.trim_matches('"'));
        }
    }
    None
}

/// The URI inside a name-addr / addr-spec (`"Bob" <sip:bob@x>;tag=1` -> `sip:bob@x`).
pub fn uri_of_name_addr(value: &str) -> &str {
    if let Some(start) = value.find('<') {
        let rest = &value[start + 1..];
        return rest.split('>').next().unwrap_or(rest).trim();
    }
    value.split(';').next().unwrap_or(value).trim()
}

/// The user part of a SIP URI (`sip:1001@host;x` -> `1001`), percent-decoding left alone.
pub fn uri_user(uri: &str) -> Option<String> {
    uri_user_str(uri).map(str::to_string)
}

/// [`uri_user`] borrowed from the URI.
pub fn uri_user_str(uri: &str) -> Option<&str> {
    let rest = uri
        .strip_prefix("sip:")
        .or_else(|| uri.strip_prefix("sips:"))
        .or_else(|| uri.strip_prefix("SIP:"))
        .or_else(|| uri.strip_prefix("tel:"))
        .unwrap_or(uri);
    let (userinfo, _) = rest.split_once('@')?;
    Some(userinfo.split(':').next().unwrap_or(userinfo))
}

/// The host part of a SIP URI (`sip:1001@host:5060;x` -> `host`).
pub fn uri_host(uri: &str) -> Option<String> {
    let rest = uri
        .strip_prefix("sip:")
        .or_else(|| uri.strip_prefix("sips:"))
        .unwrap_or(uri);
    let after_user = rest.rsplit_once('@').map(|(_, h)| h).unwrap_or(rest);
    let hostport = after_user.split([';', '?', '>']).next()?;
    if let Some(v6) = hostport.strip_prefix('[') {
        return v6.split(']').next().map(str::to_string);
    }
    Some(hostport.split(':').next()?.to_string())
}

fn uri_user_of_name_addr(value: &str) -> Option<String> {
    uri_user(uri_of_name_addr(value))
}

/// Methods we accept on a request line without question; other tokens are accepted too when the
/// line ends in `SIP/2.0`, so extension methods are not lost.
const KNOWN_METHODS: &[&str] = &[
    "REGISTER",
    "INVITE",
    "ACK",
    "BYE",
    "CANCEL",
    "OPTIONS",
    "PRACK",
    "SUBSCRIBE",
    "NOTIFY",
    "PUBLISH",
    "INFO",
    "REFER",
    "MESSAGE",
    "UPDATE",
];

fn is_token_char(b: u8) -> bool {
    TOKEN_CHARS[usize::from(b)]
}

/// RFC 3261 section 25.1 token characters, by byte (a table: every header name is checked).
const TOKEN_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~'
            );
        i += 1;
    }
    t
};

/// `s.trim()`, without looking at the characters when both ends are printable ASCII after
/// the spaces in front (nearly every header name and value).
fn trim(s: &str) -> &str {
    // Spaces and tabs in front (the one after a colon) are white space to `trim` too.
    let lead = s.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    let s = &s[lead..];
    let b = s.as_bytes();
    let plain = |c: Option<&u8>| c.is_some_and(|&c| c > b' ' && c < 0x7f);
    if plain(b.first()) && plain(b.last()) {
        s
    } else {
        s.trim()
    }
}

/// Parse a start line; `None` when the line is not SIP.
pub fn parse_start_line(line: &str) -> Option<StartLine> {
    parse_start_line_with(line, &mut Sym::new)
}

/// [`parse_start_line`] with the strings made by `sym` (the scanner interns them).
fn parse_start_line_with(line: &str, sym: &mut dyn FnMut(&str) -> Sym) -> Option<StartLine> {
    let line = line.trim_end_matches(['\r', '\n']).trim_start();
    if let Some(rest) = strip_prefix_ci(line, "SIP/2.0 ") {
        let rest = rest.trim_start();
        let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
        if code.len() != 3 {
            return None;
        }
        let code: u16 = code.parse().ok()?;
        if !(100..=699).contains(&code) {
            return None;
        }
        return Some(StartLine::Response {
            code,
            reason: sym(reason.trim()),
        });
    }
    let mut parts = line.split(' ').filter(|p| !p.is_empty());
    let method = parts.next()?;
    let uri = parts.next()?;
    let version = parts.next()?;
    if parts.next().is_some() || !version.eq_ignore_ascii_case("SIP/2.0") {
        return None;
    }
    if method.is_empty() || !method.bytes().all(is_token_char) || !uri.contains(':') {
        return None;
    }
    Some(StartLine::Request {
        method: sym(method),
        uri: sym(uri),
    })
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// Could these bytes be the beginning of a SIP message? Cheap test used before a full parse.
pub fn looks_like_sip_start(data: &[u8]) -> bool {
    starts_like_sip(trim_leading_crlf(data), None)
}

/// [`looks_like_sip_start`] without the CRLF trim; `ends_in_sip` is the answer of
/// [`first_line_ends_in_sip`] when the caller already has it (same line), so trying many
/// offsets of one line does not rescan the line each time.
fn starts_like_sip(data: &[u8], ends_in_sip: Option<bool>) -> bool {
    if data.len() >= 8 && data[..8].eq_ignore_ascii_case(b"SIP/2.0 ") {
        return true;
    }
    let end = data.iter().take(64).position(|&b| b == b' ');
    match end {
        Some(n) if n > 0 => {
            let m = &data[..n];
            KNOWN_METHODS
                .iter()
                .any(|k| k.as_bytes().eq_ignore_ascii_case(m))
                || (m.iter().all(|&b| b.is_ascii_uppercase())
                    && ends_in_sip.unwrap_or_else(|| first_line_ends_in_sip(data)))
        }
        _ => false,
    }
}

fn first_line_ends_in_sip(data: &[u8]) -> bool {
    let line_end = data
        .iter()
        .take(8192)
        .position(|&b| b == b'\n')
        .unwrap_or(data.len().min(8192));
    let line = &data[..line_end];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    line.len() >= 7 && line[line.len() - 7..].eq_ignore_ascii_case(b"SIP/2.0")
}

fn trim_leading_crlf(mut data: &[u8]) -> &[u8] {
    while let [b'\r' | b'\n', rest @ ..] = data {
        data = rest;
    }
    data
}

/// Where the header section ends: (index of the first body byte). Accepts CRLFCRLF and LFLF.
fn header_end(data: &[u8]) -> Option<usize> {
    header_end_from(data, 0)
}

/// [`header_end`], searching from `from` on (the caller knows no terminator starts earlier).
fn header_end_from(data: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < data.len() {
        // Eight bytes at a time while none of them is a line feed (a word has a zero byte
        // where `w ^ LF...` does: the classic test of a word for a zero byte).
        while let Some(w) = data.get(i..i + 8) {
            let x = u64::from_le_bytes(w.try_into().expect("8 bytes")) ^ 0x0a0a_0a0a_0a0a_0a0a;
            if x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            i += 8;
        }
        if i >= data.len() {
            break;
        }
        if data[i] == b'\n' {
            if data.get(i + 1) == Some(&b'\n') {
                return Some(i + 2);
            }
            if data.get(i + 1) == Some(&b'\r') && data.get(i + 2) == Some(&b'\n') {
                return Some(i + 3);
            }
        }
        i += 1;
    }
    None
}

/// Each header line up to the empty line that ends the section, unfolded (RFC 3261 7.3.1),
/// handed to `f` as it completes: name as written, value trimmed (borrowed unless folded).
/// A line without a colon or with a name that is not a token is ignored (the rest of the
/// message still counts).
fn unfold_headers<'a>(
    lines: impl Iterator<Item = &'a str>,
    mut f: impl FnMut(&'a str, Cow<'a, str>),
) {
    // The header whose value may still continue on folded lines.
    let mut pending: Option<(&str, Cow<str>)> = None;
    for line in lines {
        if line.is_empty() {
            break;
        }
        if matches!(line.as_bytes().first(), Some(b' ' | b'\t')) {
            // Folded continuation: LWS joins it to the previous header.
            if let Some((_, value)) = pending.as_mut() {
                let v = value.to_mut();
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        let Some(colon) = line.bytes().position(|b| b == b':') else {
            continue;
        };
        let (name, value) = (trim(&line[..colon]), &line[colon + 1..]);
        if name.is_empty() || !name.bytes().all(is_token_char) {
            continue;
        }
        if let Some((n, v)) = pending.replace((name, Cow::Borrowed(trim(value)))) {
            f(n, v);
        }
    }
    if let Some((n, v)) = pending {
        f(n, v);
    }
}

/// The start line and the header lines of a header section, unfolded (RFC 3261 7.3.1): name
/// as written, value trimmed (borrowed unless folded).
type Lines<'a> = (StartLine, Vec<(&'a str, Cow<'a, str>)>);

fn head_lines<'a>(text: &'a str, sym: &mut dyn FnMut(&str) -> Sym) -> Option<Lines<'a>> {
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let start = parse_start_line_with(lines.next()?, sym)?;
    let mut headers: Vec<(&str, Cow<str>)> = Vec::with_capacity(16);
    unfold_headers(lines, |n, v| headers.push((n, v)));
    Some((start, headers))
}

/// The Content-Length among the header lines; the flag says it was there but not a number.
fn content_length_of(headers: &[(&str, Cow<str>)]) -> (Option<usize>, bool) {
    match headers.iter().find(|h| header_is(h.0, "content-length")) {
        Some((_, v)) => match v.trim().parse::<usize>() {
            Ok(n) => (Some(n), false),
            Err(_) => (None, true),
        },
        None => (None, false),
    }
}

/// The result of parsing a header section (owned, for [`parse_datagram`]).
struct Head {
    start: StartLine,
    headers: Vec<Header>,
    content_length: Option<usize>,
    bad_content_length: bool,
}

fn parse_head(head: &[u8]) -> Option<Head> {
    let text = String::from_utf8_lossy(head);
    let (start, lines) = head_lines(&text, &mut Sym::new)?;
    let (content_length, bad_content_length) = content_length_of(&lines);
    let headers = lines
        .into_iter()
        .map(|(n, v)| Header {
            name: n.to_string(),
            value: v.into_owned(),
        })
        .collect();
    Some(Head {
        start,
        headers,
        content_length,
        bad_content_length,
    })
}

/// The `branch` of a topmost Via, as a 64-bit hash of its text: only ever compared (a request
/// and its responses carry the same one, RFC 3261 section 8.1.1.7), and almost every value is
/// unique in a whole-server capture, so its text is neither kept nor interned. Two different
/// branches of one Call-ID and CSeq (the only ones ever compared) share a hash with a chance
/// of about one in 10^19.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BranchId(std::num::NonZeroU64);

impl BranchId {
    pub fn of(branch: &str) -> BranchId {
        use std::hash::{Hash, Hasher};
        // SipHash with fixed keys: the same id for the same text in every run.
        #[allow(deprecated)]
        let mut h = std::hash::SipHasher::new();
        branch.hash(&mut h);
        BranchId(std::num::NonZeroU64::new(h.finish()).unwrap_or(std::num::NonZeroU64::MIN))
    }
}

/// A header section as a message record keeps it (see [`SipMessage`]), with what the limits
/// of [`crate::limits`] cut: counted as skips and noted as problems when the message is made.
struct CompactHead {
    start: StartLine,
    headers: Headers,
    branch: Option<BranchId>,
    auth: Auth,
    content_length: Option<usize>,
    bad_content_length: bool,
    /// Header lines past [`MAX_HEADERS`], ignored.
    extra_headers: usize,
    /// Challenge headers holding more than [`MAX_CHALLENGES_PER_HEADER`] (names as written).
    over_challenges: Vec<String>,
}

/// What a header name is to the scanner (any case, compact forms included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderClass {
    Kept(KeptName),
    Via,
    ContentLength,
    Auth(AuthHeader),
    Other,
}

/// The four auth headers a message record keeps parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthHeader {
    Authorization,
    ProxyAuthorization,
    WwwAuthenticate,
    ProxyAuthenticate,
}

impl HeaderClass {
    fn of(written: &str) -> HeaderClass {
        let b = written.as_bytes();
        match b {
            [] => HeaderClass::Other,
            [c] => match c.to_ascii_lowercase() {
                b'c' => HeaderClass::Kept(KeptName(12)),
                b'f' => HeaderClass::Kept(KeptName(2)),
                b'i' => HeaderClass::Kept(KeptName(0)),
                b'l' => HeaderClass::ContentLength,
                b'm' => HeaderClass::Kept(KeptName(4)),
                b't' => HeaderClass::Kept(KeptName(3)),
                b'v' => HeaderClass::Via,
                _ => HeaderClass::Other,
            },
            [first, second, ..] => {
                use HeaderClass::*;
                // By length and first byte (the second for the two of 7 bytes starting with
                // `c`), then one comparison: no loop over the names.
                let (name, class) = match (b.len(), first.to_ascii_lowercase()) {
                    (3, b'v') => ("via", Via),
                    (4, b'f') => ("from", Kept(KeptName(2))),
                    (4, b'c') => ("cseq", Kept(KeptName(1))),
                    (4, b'd') => ("date", Kept(KeptName(7))),
                    (5, b'a') => ("allow", Kept(KeptName(11))),
                    (6, b's') => ("server", Kept(KeptName(6))),
                    (6, b'r') => ("reason", Kept(KeptName(14))),
                    (7, b'c') if second.eq_ignore_ascii_case(&b'a') => {
                        ("call-id", Kept(KeptName(0)))
                    }
                    (7, b'c') => ("contact", Kept(KeptName(4))),
                    (7, b'w') => ("warning", Kept(KeptName(8))),
                    (7, b'e') => ("expires", Kept(KeptName(9))),
                    (10, b'u') => ("user-agent", Kept(KeptName(5))),
                    (11, b'm') => ("min-expires", Kept(KeptName(10))),
                    (11, b'r') => ("retry-after", Kept(KeptName(13))),
                    (12, b'c') => ("content-type", Kept(KeptName(12))),
                    (13, b'a') => ("authorization", Auth(AuthHeader::Authorization)),
                    (14, b'c') => ("content-length", ContentLength),
                    (16, b'w') => ("www-authenticate", Auth(AuthHeader::WwwAuthenticate)),
                    (18, b'p') => ("proxy-authenticate", Auth(AuthHeader::ProxyAuthenticate)),
                    (19, b'p') => ("proxy-authorization", Auth(AuthHeader::ProxyAuthorization)),
                    (2, b't') => ("to", Kept(KeptName(3))),
                    _ => return Other,
                };
                if name.as_bytes().eq_ignore_ascii_case(b) {
                    class
                } else {
                    Other
                }
            }
        }
    }
}

/// The bytes as text: borrowed when they are valid UTF-8 (the common case: no copy).
fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Buffers a scanner reuses from one message to the next, so that a message's record costs
/// only the allocations it keeps.
#[derive(Default)]
struct Scratch {
    kept: KeptList,
    /// The header sets seen last (see [`header_set`]).
    sets: SetCache,
    /// The text of the kept headers of the message being read that are not its own values.
    text: SetText,
    /// The header sets seen, by that text (see [`Scratch::headers`]), and about how many
    /// bytes it holds.
    by_text: TextCache,
    by_text_bytes: usize,
    challenges: Vec<auth::PackedAuth>,
    /// Where the To values with a tag are kept (in the store of `sets`; frozen with the
    /// auth blocks: see [`Scanner::seal`]).
    texts: intern::StoreWriter,
    /// Where the auth values are packed (sealed before the messages are read: see
    /// [`Scanner::seal`]).
    blocks: auth::Blocks,
}

/// The kept headers of a message that go into its set (not its own values), as text: each
/// one's name number, value and a 0xFF (never in UTF-8 text: the values are told apart), and
/// where each value is.
#[derive(Default)]
struct SetText {
    bytes: Vec<u8>,
    values: Vec<(KeptName, usize, usize)>,
}

impl SetText {
    fn clear(&mut self) {
        self.bytes.clear();
        self.values.clear();
    }
    fn push(&mut self, k: KeptName, value: &str) {
        self.bytes.push(k.0);
        let start = self.bytes.len();
        self.bytes.extend_from_slice(value.as_bytes());
        self.values.push((k, start, self.bytes.len()));
        self.bytes.push(0xff);
    }
}

/// The header sets a scanner has seen, by the text of their headers (the hash of that text,
/// the lines' count and the own values' places): the text itself, compared whole, then the
/// set. A message whose set is found so is not interned header by header.
type TextCache = intern::FxHashMap<u64, (Box<[u8]>, u16, [u16; 2], Arc<HeaderSet>)>;

/// Bytes of text a [`TextCache`] holds before it starts again (a capture of more distinct
/// sets than that goes on through [`header_set`]).
const TEXT_CACHE_BYTES: usize = 16 << 20;

impl Scratch {
    /// The headers of the message just read (`count` lines; its kept headers in `kept` and
    /// `text`): its set found by the text, else made from the interned values.
    fn headers(&mut self, interner: &mut Interner, count: usize) -> Headers {
        let count = count.min(MAX_HEADERS) as u16;
        let own_at = self.kept.own_at;
        let hash = {
            use std::hash::{BuildHasher, Hasher};
            let mut h = intern::FxBuild::default().build_hasher();
            h.write_u64(u64::from(count) << 32 | u64::from(own_at[0]) << 16 | u64::from(own_at[1]));
            h.write(&self.text.bytes);
            h.finish()
        };
        if let Some((text, c, at, set)) = self.by_text.get(&hash)
            && *c == count
            && *at == own_at
            && **text == *self.text.bytes
        {
            return Headers {
                set: Arc::clone(set),
                own: self.kept.own,
            };
        }
        self.kept.rest.clear();
        for &(k, from, to) in &self.text.values {
            let value = std::str::from_utf8(&self.text.bytes[from..to]).expect("copied from a str");
            let value = interner.get_kind(usize::from(k.0), value);
            self.kept.rest.push(KeptHeader { name: k, value });
        }
        let headers = header_set(&self.kept, usize::from(count), &mut self.sets);
        self.by_text_bytes += self.text.bytes.len() + 64;
        if self.by_text_bytes > TEXT_CACHE_BYTES {
            self.by_text.clear();
            self.by_text_bytes = self.text.bytes.len() + 64;
        }
        self.by_text.insert(
            hash,
            (
                self.text.bytes.as_slice().into(),
                count,
                own_at,
                Arc::clone(&headers.set),
            ),
        );
        headers
    }
}

/// What [`compact_head`] gathers from the header lines, one at a time.
struct HeadBuilder<'i> {
    interner: &'i mut Interner,
    scratch: &'i mut Scratch,
    branch: Option<Option<BranchId>>,
    auth: MessageAuth,
    has_auth: bool,
    over_challenges: Vec<String>,
    content_length: Option<(Option<usize>, bool)>,
    /// Header lines seen (kept or not).
    count: usize,
}

impl HeadBuilder<'_> {
    /// One complete (unfolded) header line.
    fn add(&mut self, name: &str, value: &str) {
        let class = HeaderClass::of(name);
        if class == HeaderClass::ContentLength && self.content_length.is_none() {
            self.content_length = Some(match value.trim().parse::<usize>() {
                Ok(n) => (Some(n), false),
                Err(_) => (None, true),
            });
        }
        self.count += 1;
        if self.count > MAX_HEADERS {
            return;
        }
        match class {
            HeaderClass::Kept(k) => {
                let sc = &mut *self.scratch;
                match OWN.iter().position(|&n| n == k) {
                    Some(i) if sc.kept.own[i].is_none() && sc.kept.seen < usize::from(NOWHERE) => {
                        // A To with a tag (every response's differs) is kept in the
                        // analysis' store, not interned for the life of the process: its
                        // part before the tag interned (the same for every response to one
                        // phone) and the tag, or whole when it is not exactly that.
                        let store = &sc.sets.shared.1;
                        let text = if k != KeptName::TO || param_of(value, "tag").is_none() {
                            None
                        } else if let Some((prefix, tag)) = split_tag(value) {
                            let prefix = self.interner.get_kind(usize::from(k.0), prefix);
                            sc.texts.keep_tagged(store, prefix, tag)
                        } else {
                            sc.texts.keep(store, value)
                        }
                        .and_then(Own::text);
                        sc.kept.own[i] = Some(text.unwrap_or_else(|| {
                            Own::sym(self.interner.get_kind(usize::from(k.0), value))
                        }));
                        sc.kept.own_at[i] = sc.kept.seen as u16;
                    }
                    // Interned only when the message's set is not known by its text.
                    _ => sc.text.push(k, value),
                }
                sc.kept.seen += 1;
            }
            HeaderClass::Via if self.branch.is_none() => {
                // The topmost Via: its first value.
                let first = value.split(',').next().unwrap_or("");
                self.branch = Some(param_of(first, "branch").map(BranchId::of));
            }
            HeaderClass::Auth(a) => {
                self.has_auth = true;
                let scratch = (&mut self.scratch.challenges, &mut self.scratch.blocks);
                if self.auth.add(a, value, scratch) {
                    self.over_challenges.push(name.to_string());
                }
            }
            _ => {}
        }
    }
}

fn compact_head(
    head: &[u8],
    interner: &mut Interner,
    scratch: &mut Scratch,
) -> Option<CompactHead> {
    let text = text_of(head);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    // The start line's strings are kinds of their own (after the kept headers): the first
    // one (method or reason) and the second (Request-URI).
    let mut nth = KEPT_HEADERS.len();
    let start = parse_start_line_with(lines.next()?, &mut |s| {
        nth += 1;
        interner.get_kind(nth - 1, s)
    })?;
    scratch.kept.clear();
    scratch.text.clear();
    let mut b = HeadBuilder {
        interner,
        scratch,
        branch: None,
        auth: MessageAuth::default(),
        has_auth: false,
        over_challenges: Vec::new(),
        content_length: None,
        count: 0,
    };
    unfold_headers(lines, |n, v| b.add(n, &v));
    let (content_length, bad_content_length) = b.content_length.unwrap_or((None, false));
    Some(CompactHead {
        start,
        headers: b.scratch.headers(b.interner, b.count),
        branch: b.branch.flatten(),
        auth: if b.has_auth {
            Auth::of(b.auth)
        } else {
            Auth::None
        },
        content_length,
        bad_content_length,
        extra_headers: b.count.saturating_sub(MAX_HEADERS),
        over_challenges: b.over_challenges,
    })
}

impl CompactHead {
    /// Count what the limits cut, as skips and as problems of the message.
    fn count_limits(&self, problems: &mut Vec<String>, skips: &mut Skips) {
        if self.extra_headers > 0 {
            skips.add(SkipReason::SipTooManyHeaders);
            problems.push(format!(
                "{} header(s) after the first {MAX_HEADERS} ignored",
                self.extra_headers
            ));
        }
        for name in &self.over_challenges {
            skips.add(SkipReason::SipTooManyChallenges);
            problems.push(format!(
                "{name}: only the first {MAX_CHALLENGES_PER_HEADER} challenges are read"
            ));
        }
    }
}

/// A parsed message: start line, headers, body, problems noticed.
pub type ParsedMessage = (StartLine, Vec<Header>, Vec<u8>, Vec<String>);

/// Parse one complete message from a UDP datagram (RFC 3261 18.3: the body is the rest of the
/// datagram, cut to Content-Length when that is smaller). `None` when it is not SIP.
pub fn parse_datagram(data: &[u8]) -> Option<ParsedMessage> {
    let (head, body, _, problems) = datagram_parts(data, parse_head, |h| {
        (h.content_length, h.bad_content_length)
    })?;
    Some((head.start, head.headers, body.to_vec(), problems))
}

/// The framing of a datagram (RFC 3261 18.3), whatever the head is parsed into: the head,
/// the body, where the body starts in `data`, and the problems noticed.
fn datagram_parts<H>(
    data: &[u8],
    parse: impl FnOnce(&[u8]) -> Option<H>,
    content_length: impl Fn(&H) -> (Option<usize>, bool),
) -> Option<(H, &[u8], usize, Vec<String>)> {
    let all = data.len();
    let data = skip_to_start(data)?;
    let (head_len, complete_head) = match header_end(data) {
        Some(n) => (n, true),
        None => (data.len(), false),
    };
    let head = parse(&data[..head_len])?;
    let (cl, bad_cl) = content_length(&head);
    let mut problems = Vec::new();
    if !complete_head {
        problems.push("header section not terminated by an empty line".to_string());
    }
    if bad_cl {
        problems.push("invalid Content-Length".to_string());
    }
    let rest = &data[head_len..];
    let body = match cl {
        Some(n) if n <= rest.len() => &rest[..n],
        Some(n) => {
            problems.push(format!(
                "Content-Length {n} but only {} body bytes",
                rest.len()
            ));
            rest
        }
        None => rest,
    };
    Some((head, body, all - rest.len(), problems))
}

/// Skip keep-alive CRLFs and, when the first line is junk, junk bytes in front of a start line on
/// that same first line (seen in the wild: binary bytes before `REGISTER sip:`).
fn skip_to_start(data: &[u8]) -> Option<&[u8]> {
    let data = trim_leading_crlf(data);
    if looks_like_sip_start(data) {
        return Some(data);
    }
    let line_end = data.iter().take(2048).position(|&b| b == b'\n')?;
    let line = &data[..line_end];
    let ends_in_sip = first_line_ends_in_sip(data);
    if !ends_in_sip && !line.windows(8).any(|w| w.eq_ignore_ascii_case(b"SIP/2.0 ")) {
        return None;
    }
    // Try each position where an upper-case token begins after a non-token byte. Every such
    // position is on the same first line, so whether it ends in `SIP/2.0` is known already.
    for i in 1..line.len() {
        if line[i].is_ascii_uppercase()
            && !is_token_char(line[i - 1])
            && starts_like_sip(&data[i..], Some(ends_in_sip))
        {
            return Some(&data[i..]);
        }
    }
    None
}

/// Byte ranges of a TCP stream buffer and the frames they came from, and how far the message
/// at its front has been looked at (so each byte is scanned a bounded number of times however
/// many segments the message comes in).
#[derive(Default)]
struct StreamBuf {
    data: Vec<u8>,
    /// (end offset in `data` of the chunk, frame numbers, timestamp)
    chunks: Vec<(usize, Vec<u64>, Nanos)>,
    /// Stream carries no SIP (e.g. HTTP on 5060): ignore until a gap resets it.
    not_sip: bool,
    /// The message at the front has a start line that looks like SIP.
    start_ok: bool,
    /// The front may lie inside a message (after a gap, or on a direction first seen
    /// mid-connection): skip to the next start line, see [`Scanner::resync`].
    resync: Option<Resync>,
    /// The direction has carried a SIP message (kept across gaps: a gap in a SIP stream
    /// loses a SIP message; in another protocol's, nothing of ours).
    seen_sip: bool,
    /// No header end lies in `data[..scanned]`: the next search resumes there.
    scanned: usize,
    /// The message at the front: its header length and parsed head, once the empty line that
    /// ends its header section has arrived.
    head: Option<(usize, CompactHead)>,
}

/// Looking for the next start line in a TCP direction whose front may lie inside a message.
#[derive(Debug, Clone, Copy)]
struct Resync {
    /// The skip to count when bytes are dropped before a start line is found.
    reason: SkipReason,
    /// Bytes dropped so far while looking.
    dropped: usize,
    /// Some dropped byte was not a CRLF keep-alive.
    dropped_data: bool,
    /// The loss was already counted (a gap inside a message).
    counted: bool,
}

impl StreamBuf {
    /// What is left when the direction ends: an incomplete message (`incomplete`); while a
    /// start line was still being looked for, bytes that were not SIP (or, after a gap, the
    /// message the gap fell into, when not counted yet).
    fn count_left_over(&self, incomplete: SkipReason, skips: &mut Skips) {
        let pending = !trim_leading_crlf(&self.data).is_empty();
        let reason = match self.resync {
            _ if self.not_sip => None,
            None => pending.then_some(incomplete),
            Some(r) if !(r.dropped_data || pending) => None,
            Some(_) if looks_like_sip_start(&self.data) => Some(incomplete),
            Some(r) if r.reason == SkipReason::SipLostInTcpGap => {
                (!r.counted).then_some(SkipReason::SipLostInTcpGap)
            }
            Some(_) => Some(SkipReason::NotSipTcp),
        };
        if let Some(reason) = reason {
            skips.add(reason);
        }
    }

    fn resyncing(reason: SkipReason) -> Self {
        StreamBuf {
            resync: Some(Resync {
                reason,
                dropped: 0,
                dropped_data: false,
                counted: false,
            }),
            ..Default::default()
        }
    }
}

/// How many bytes a direction may hold without a SIP start line before it is given up as not
/// SIP: many SIP messages' worth, so one lost message and its body are skipped, while a
/// database or HTTP stream on the port costs at most this much scanning.
const RESYNC_BUDGET: usize = 64 * 1024;

/// Where the first complete SIP start line (RFC 3261 sections 7.1, 7.2) begins in `data`:
/// `Ok(offset)`; else `Err(keep)`, the offset of the last, incomplete line, which may still
/// become one (all of `data` when that line is longer than any start line the scanner
/// accepts). A start line need not follow a line feed: a body without a final CRLF runs
/// straight into the next message, so the start is found inside the line.
fn find_start_line(data: &[u8]) -> Result<usize, usize> {
    let mut at = 0;
    loop {
        let rest = &data[at..];
        let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
            return Err(if rest.len() > 8192 { data.len() } else { at });
        };
        let line = &rest[..nl];
        if let Some(i) = start_in_line(line.strip_suffix(b"\r").unwrap_or(line)) {
            return Ok(at + i);
        }
        at += nl + 1;
    }
}

/// Where a start line begins in `line` (a whole line, CR removed), when it ends one: a status
/// line `SIP/2.0 NNN ...`, or a request line `METHOD SP URI SP SIP/2.0` whose method is the
/// upper-case run before the URI (a known method when the run ends in one).
fn start_in_line(line: &[u8]) -> Option<usize> {
    // The Reason-Phrase may be empty, and some servers drop the space before it.
    let status = line.windows(11).enumerate().position(|(i, w)| {
        w[..8].eq_ignore_ascii_case(b"SIP/2.0 ")
            && w[8..11].iter().all(u8::is_ascii_digit)
            && line.get(i + 11).is_none_or(|&b| b == b' ')
    });
    if status.is_some() {
        return status;
    }
    if line.len() < 7 || !line[line.len() - 7..].eq_ignore_ascii_case(b"SIP/2.0") {
        return None;
    }
    let before_version = line[..line.len() - 7].strip_suffix(b" ")?;
    let uri_start = before_version.iter().rposition(|&b| b == b' ')?;
    let head = &before_version[..uri_start];
    let run = head
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_uppercase())
        .count();
    if run == 0 || uri_start + 1 == before_version.len() {
        return None;
    }
    let word = &head[head.len() - run..];
    let known = (1..=run)
        .rev()
        .find(|&n| {
            KNOWN_METHODS
                .iter()
                .any(|k| k.as_bytes() == &word[run - n..])
        })
        .unwrap_or(run);
    Some(head.len() - known)
}

/// The first bytes of a direction first seen mid-connection: a first line that starts like a
/// request or status line but is not SIP's (`GET / HTTP/1.1`, `HTTP/1.1 200 OK`, an
/// upper-case token and a space) says the stream is not SIP at once; anything else (a header
/// line, a body) may be the inside of a SIP message.
fn other_protocol_start(data: &[u8]) -> bool {
    let Some(nl) = data.iter().take(8192).position(|&b| b == b'\n') else {
        return false;
    };
    let line = data[..nl].strip_suffix(b"\r").unwrap_or(&data[..nl]);
    let token = line.iter().take(64).position(|&b| b == b' ').unwrap_or(0);
    let word = &line[..token];
    let upper = token > 0 && word.iter().all(u8::is_ascii_uppercase);
    // An FTP/SMTP-style reply: three digits, then a space or a hyphen.
    let reply = line.len() >= 4
        && line[..3].iter().all(u8::is_ascii_digit)
        && matches!(line[3], b' ' | b'-');
    let proto_version = word.iter().position(|&b| b == b'/').is_some_and(|s| {
        s > 0
            && word[..s].iter().all(u8::is_ascii_uppercase)
            && word[s + 1..]
                .iter()
                .all(|b| b.is_ascii_digit() || *b == b'.')
    });
    start_in_line(line) != Some(0) && (upper || proto_version || reply)
}

/// Work the scanner did, for tests that check it stays linear in the input (counts, not time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanWork {
    /// Bytes examined while looking for the end of a TCP message's header section.
    pub header_bytes_scanned: u64,
    /// Header sections parsed (TCP and UDP).
    pub heads_parsed: u64,
    /// Bytes moved when consumed messages are dropped from the front of a stream buffer.
    pub bytes_moved: u64,
}

/// Turns capture payloads into SIP messages, keeping TCP stream state between calls.
#[derive(Default)]
pub struct Scanner {
    streams: HashMap<(SocketAddr, SocketAddr), StreamBuf>,
    next_index: usize,
    work: ScanWork,
    interner: Interner,
    scratch: Scratch,
    /// Bytes of the messages that cannot be read back from the file.
    arena: Arena,
    /// The payloads' file offsets can be read again (a regular capture file).
    from_file: bool,
    /// The auth values of the messages handed out are sealed by the caller (see
    /// [`Scanner::batched`]), not at the end of each call.
    batched: bool,
}

/// What the front of a TCP buffer is.
enum Start {
    Sip,
    NotSip,
    /// Too few bytes of the first line to tell.
    NeedMore,
}

fn tcp_start(data: &[u8]) -> Start {
    if data.len() < 8 {
        return Start::NeedMore;
    }
    if looks_like_sip_start(data) {
        return Start::Sip;
    }
    // An extension method (upper-case token) whose request line has not fully arrived yet.
    let line_done = data.iter().take(8192).any(|&b| b == b'\n') || data.len() >= 8192;
    let token_len = data.iter().take(64).position(|&b| b == b' ');
    let upper_token = match token_len {
        Some(n) => n > 0 && data[..n].iter().all(|b| b.is_ascii_uppercase()),
        None => data.len() < 64 && data.iter().all(|b| b.is_ascii_uppercase()),
    };
    if !line_done && upper_token {
        Start::NeedMore
    } else {
        Start::NotSip
    }
}

impl Scanner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Work done so far (see [`ScanWork`]).
    pub fn work(&self) -> ScanWork {
        self.work
    }

    /// A scanner whose payloads come from a regular capture file: a payload that lies there
    /// verbatim is read back from its offset instead of kept (see [`crate::capture::raw`]).
    pub fn reading_file(from_file: bool) -> Self {
        Scanner {
            from_file,
            ..Self::default()
        }
    }

    /// A scanner whose caller seals the auth values of the messages it hands out (see
    /// [`Scanner::seal`]) once per batch of messages, before any of them is read: the
    /// values of a batch share blocks (else each call seals its own, a block per message).
    pub fn batched(self) -> Self {
        Scanner {
            batched: true,
            ..self
        }
    }

    /// The table this scanner finds its header sets in (for [`Scanner::sharing_sets`]).
    pub fn header_sets(&self) -> SharedSets {
        self.scratch.sets.shared.clone()
    }

    /// A scanner that finds its header sets in `sets` (another scanner's of the same
    /// analysis): the messages of both share one copy of each set.
    pub fn sharing_sets(mut self, sets: &SharedSets) -> Self {
        self.scratch.texts.leave(&self.scratch.sets.shared.1);
        self.scratch.sets.shared = sets.clone();
        self
    }

    /// The dictionary this scanner keeps the shapes of its auth values in (for
    /// [`Scanner::sharing_auth`]).
    pub fn auth_dict(&mut self) -> auth::AuthDict {
        self.scratch.blocks.dict()
    }

    /// A scanner that keeps the shapes of its auth values in `dict` (another scanner's of the
    /// same analysis): the values of both share one copy of each shape.
    pub fn sharing_auth(mut self, dict: &auth::AuthDict) -> Self {
        self.scratch.blocks.sharing(dict);
        self
    }

    /// Freeze the block of auth values packed so far: the auth values of every message
    /// handed out can be read (see [`auth::Blocks`]). On the thread that scanned them or
    /// another, once; a scanner that is not [`Scanner::batched`] does it after each call.
    pub fn seal(&mut self) {
        self.scratch.blocks.seal();
        self.scratch.texts.seal(&self.scratch.sets.shared.1);
    }

    /// [`Scanner::seal`] unless the caller does it.
    fn sealed<T>(&mut self, out: T) -> T {
        if !self.batched {
            self.seal();
        }
        out
    }

    /// Where every message's bytes are, once the capture is scanned: the file (`path`, when
    /// the scanner was [`Scanner::reading_file`]) and the arena.
    pub fn into_raw_source(mut self, path: Option<std::path::PathBuf>) -> RawSource {
        self.seal();
        RawSource::new(path.filter(|_| self.from_file), self.arena.into_bytes())
    }

    /// Distinct strings the records share (see [`intern`]).
    pub fn interned(&self) -> usize {
        self.interner.len()
    }

    fn make(
        &mut self,
        meta: (u64, Frames, Nanos, SocketAddr, SocketAddr, Transport),
        head: CompactHead,
        (body, raw, problems): (&[u8], RawRef, Vec<String>),
    ) -> SipMessage {
        let (frame, frames, ts, src, dst, transport) = meta;
        let index = u32::try_from(self.next_index).expect("fewer than 4 billion messages");
        self.next_index += 1;
        let frames: Box<[u64]> = match &*frames {
            [one] if *one == frame => Box::new([]),
            all => all.into(),
        };
        let (packed, big) = FrameAndTransport::new(frame, transport);
        SipMessage {
            index,
            frame: packed,
            ts,
            src: self.interner.endpoint(src),
            dst: self.interner.endpoint(dst),
            start: PackedStart::new(head.start),
            headers: head.headers,
            branch: head.branch,
            raw: PackedRaw::new(raw),
            auth: head.auth,
            extra: Extra::new(
                frames,
                if big { frame } else { 0 },
                Body::new(body),
                problems.into(),
            ),
        }
    }

    /// Give `m` (made by another scanner of the same capture, see [`Scanner::datagram`])
    /// the next number of this one: messages are numbered in the order they are taken in.
    pub fn adopt(&mut self, m: &mut SipMessage) {
        m.set_index(self.next_index);
        self.next_index += 1;
    }

    /// Where a payload's bytes will be found again: its file offset, else the arena.
    fn keep(&mut self, data: &[u8], at: Option<u64>) -> RawRef {
        match at.filter(|_| self.from_file) {
            Some(at) => RawRef {
                at,
                len: u32::try_from(data.len()).unwrap_or(u32::MAX),
                arena: false,
            },
            None => self.arena.push(data),
        }
    }

    /// One message from a datagram's bytes, numbered `index`, for messages built by hand
    /// (tests, tools): its record as the scanner makes it, its raw bytes not kept anywhere.
    pub fn message_from_datagram(
        index: usize,
        (frame, ts): (u64, Nanos),
        (src, dst): (SocketAddr, SocketAddr),
        transport: Transport,
        data: &[u8],
    ) -> Option<SipMessage> {
        let mut sc = Scanner {
            next_index: index,
            ..Scanner::default()
        };
        let p = Payload {
            frame,
            frames: Frames::One(frame),
            ts,
            src,
            dst,
            transport,
            data: data.to_vec(),
            at: None,
        };
        sc.datagram(p, &mut Skips::default())
    }

    /// A UDP datagram: at most one message (RFC 3261 18.3).
    pub fn datagram(&mut self, p: Payload, skips: &mut Skips) -> Option<SipMessage> {
        self.datagram_ref(&p, skips)
    }

    /// [`Scanner::datagram`], leaving the payload (and its buffer) to the caller.
    pub fn datagram_ref(&mut self, p: &Payload, skips: &mut Skips) -> Option<SipMessage> {
        let meta = (p.frame, p.frames.clone(), p.ts, p.src, p.dst, p.transport);
        self.datagram_bytes(meta, &p.data, p.at, skips)
    }

    /// [`Scanner::datagram_ref`] of a datagram's bytes `data` (at offset `at` of the file,
    /// when they lie there) and what a [`Payload`] says of them (frame, frames, time,
    /// source, destination, transport).
    pub fn datagram_bytes(
        &mut self,
        meta: (u64, Frames, Nanos, SocketAddr, SocketAddr, Transport),
        data: &[u8],
        at: Option<u64>,
        skips: &mut Skips,
    ) -> Option<SipMessage> {
        if !looks_like_sip_start(data) && skip_to_start(data).is_none() {
            if !trim_leading_crlf(data).is_empty() {
                skips.add(SkipReason::NotSipUdp);
            }
            return None;
        }
        self.work.heads_parsed += 1;
        let (interner, scratch) = (&mut self.interner, &mut self.scratch);
        let parts = datagram_parts(
            data,
            |h| compact_head(h, interner, scratch),
            |h| (h.content_length, h.bad_content_length),
        );
        let Some((head, body, _, mut problems)) = parts else {
            skips.add(SkipReason::UnparseableSip);
            return None;
        };
        head.count_limits(&mut problems, skips);
        let raw = self.keep(data, at);
        let m = self.make(meta, head, (body, raw, problems));
        Some(self.sealed(m))
    }

    /// New in-order bytes of one TCP direction; returns every message they complete.
    pub fn tcp(&mut self, p: Payload, gap_before: bool, skips: &mut Skips) -> Vec<SipMessage> {
        let key = (p.src, p.dst);
        let mut out = Vec::new();
        let mut buf = match self.streams.remove(&key) {
            Some(buf) => buf,
            // First bytes of a direction: the capture may have joined the connection in the
            // middle of a message (sngrep started on a server with trunks already connected).
            None => StreamBuf::resyncing(SkipReason::SipPartialAtStreamStart),
        };
        if gap_before {
            // The bytes after a gap usually continue a message: find the next one.
            let seen_sip = buf.seen_sip;
            let lost = !buf.data.is_empty() && (seen_sip || buf.start_ok);
            if lost {
                skips.add(SkipReason::SipLostInTcpGap);
            }
            buf = StreamBuf::resyncing(if seen_sip || lost {
                SkipReason::SipLostInTcpGap
            } else {
                SkipReason::SipPartialAtStreamStart
            });
            buf.seen_sip = seen_sip;
            if let Some(r) = buf.resync.as_mut() {
                // Counted once: the message the gap fell into.
                r.counted = lost;
            }
        }
        if buf.not_sip {
            self.streams.insert(key, buf);
            return out;
        }
        buf.data.extend_from_slice(&p.data);
        buf.chunks.push((buf.data.len(), p.frames.to_vec(), p.ts));
        // Messages are taken from `pos` on; the buffer is shortened once, at the end.
        let mut pos = 0;
        while let Some((total, head_len, head)) = self.next_tcp_message(&mut buf, &mut pos, skips) {
            let frames = frames_of(&buf, pos, pos + total);
            let (last_frame, ts) = frame_completing(&buf, pos + total).unwrap_or((p.frame, p.ts));
            let bytes = &buf.data[pos..pos + total];
            let body = &bytes[head_len..];
            let raw = self.arena.push(bytes);
            let mut problems = Vec::new();
            if head.bad_content_length {
                problems.push("invalid Content-Length".to_string());
            }
            head.count_limits(&mut problems, skips);
            let msg = self.make(
                (
                    last_frame,
                    Frames::new(frames),
                    ts,
                    p.src,
                    p.dst,
                    p.transport,
                ),
                head,
                (body, raw, problems),
            );
            out.push(msg);
            buf.seen_sip = true;
            pos += total;
        }
        if buf.not_sip {
            buf = StreamBuf {
                not_sip: true,
                seen_sip: buf.seen_sip,
                ..Default::default()
            };
        } else if pos > 0 {
            self.work.bytes_moved += (buf.data.len() - pos) as u64;
            consume(&mut buf, pos);
        }
        self.streams.insert(key, buf);
        self.sealed(out)
    }

    /// Advance over the message at `*pos`: `Some` when it is complete (total length, header
    /// length, parsed head); `None` when more bytes are needed or the stream was given up
    /// (`buf.not_sip`, or `buf` reset).
    fn next_tcp_message(
        &mut self,
        buf: &mut StreamBuf,
        pos: &mut usize,
        skips: &mut Skips,
    ) -> Option<(usize, usize, CompactHead)> {
        if buf.head.is_none() && !buf.start_ok {
            // Keep-alives (RFC 5626 CRLF ping) between messages.
            *pos += buf.data[*pos..].len() - trim_leading_crlf(&buf.data[*pos..]).len();
        }
        let data = &buf.data[*pos..];
        if data.is_empty() {
            return None;
        }
        if !buf.start_ok && buf.resync.is_some() && !Self::resync(buf, pos, skips) {
            return None;
        }
        let data = &buf.data[*pos..];
        if data.is_empty() {
            return None;
        }
        if !buf.start_ok {
            match tcp_start(data) {
                Start::Sip => buf.start_ok = true,
                Start::NeedMore => return None,
                Start::NotSip => {
                    skips.add(SkipReason::NotSipTcp);
                    buf.not_sip = true;
                    return None;
                }
            }
        }
        if buf.head.is_none() {
            // Resume where the last search stopped: a terminator is at most 3 bytes long.
            let from = buf.scanned.saturating_sub(2);
            let found = header_end_from(data, from);
            self.work.header_bytes_scanned += (found.unwrap_or(data.len()) - from) as u64;
            let Some(head_len) = found else {
                buf.scanned = data.len();
                if data.len() > MAX_HEADER_BYTES {
                    skips.add(SkipReason::SipHeaderTooLarge);
                    *buf = StreamBuf::default();
                    *pos = 0;
                }
                return None;
            };
            self.work.heads_parsed += 1;
            let Some(head) = compact_head(&data[..head_len], &mut self.interner, &mut self.scratch)
            else {
                skips.add(SkipReason::UnparseableSip);
                buf.not_sip = true;
                return None;
            };
            // RFC 3261 18.3: Content-Length MUST be used with stream transports; absent = 0.
            if head.content_length.unwrap_or(0) > MAX_BODY_BYTES {
                skips.add(SkipReason::SipBodyTooLarge);
                *buf = StreamBuf::default();
                *pos = 0;
                return None;
            }
            buf.head = Some((head_len, head));
        }
        let (head_len, head) = buf.head.as_ref()?;
        let total = head_len + head.content_length.unwrap_or(0);
        if data.len() < total {
            return None;
        }
        let head_len = *head_len;
        let head = buf.head.take()?;
        buf.start_ok = false;
        buf.scanned = 0;
        Some((total, head_len, head.1))
    }

    /// Skip the front of a direction whose bytes may start inside a message to the next start
    /// line: `true` when `*pos` is now at one. Bytes dropped before it are counted once, as
    /// the resync's reason (only if they were more than CRLF keep-alives); past
    /// [`RESYNC_BUDGET`] without a start line the direction is given up as not SIP.
    fn resync(buf: &mut StreamBuf, pos: &mut usize, skips: &mut Skips) -> bool {
        let Some(mut r) = buf.resync else {
            return true;
        };
        let data = &buf.data[*pos..];
        if r.reason == SkipReason::SipPartialAtStreamStart
            && r.dropped == 0
            && other_protocol_start(data)
        {
            skips.add(SkipReason::NotSipTcp);
            buf.not_sip = true;
            buf.resync = None;
            return false;
        }
        let (skip, found) = match find_start_line(data) {
            Ok(at) => (at, true),
            Err(keep) => (keep, false),
        };
        r.dropped += skip;
        r.dropped_data |= !trim_leading_crlf(&data[..skip]).is_empty();
        *pos += skip;
        if found {
            if r.dropped_data && !r.counted {
                skips.add(r.reason);
            }
            buf.resync = None;
            return true;
        }
        if r.dropped + (data.len() - skip) > RESYNC_BUDGET {
            skips.add(SkipReason::NotSipTcp);
            buf.not_sip = true;
            buf.resync = None;
            return false;
        }
        buf.resync = Some(r);
        false
    }

    /// The stream closed: whatever is left is an incomplete message.
    pub fn tcp_closed(&mut self, src: SocketAddr, dst: SocketAddr, skips: &mut Skips) {
        if let Some(buf) = self.streams.remove(&(src, dst)) {
            buf.count_left_over(SkipReason::SipIncompleteAtClose, skips);
        }
    }

    /// End of capture: count messages left incomplete.
    pub fn finish(&mut self, skips: &mut Skips) {
        for (_, buf) in self.streams.drain() {
            buf.count_left_over(SkipReason::SipIncompleteAtEnd, skips);
        }
        self.seal();
    }
}

/// Drop the first `n` bytes (messages already returned) from a stream buffer.
fn consume(buf: &mut StreamBuf, n: usize) {
    buf.data.drain(..n);
    buf.chunks.retain_mut(|(end, _, _)| {
        if *end <= n {
            false
        } else {
            *end -= n;
            true
        }
    });
}

/// Frames whose bytes fall in `[from, upto)` of the buffer (chunks are in order: binary
/// search, so many messages completed by one segment do not each walk every chunk).
fn frames_of(buf: &StreamBuf, from: usize, upto: usize) -> Vec<u64> {
    let first = buf.chunks.partition_point(|(end, _, _)| *end <= from);
    let mut frames = Vec::new();
    let mut start = if first == 0 {
        0
    } else {
        buf.chunks[first - 1].0
    };
    for (end, fs, _) in &buf.chunks[first..] {
        if start >= upto {
            break;
        }
        frames.extend_from_slice(fs);
        start = *end;
    }
    frames.sort_unstable();
    frames.dedup();
    frames
}

fn frame_completing(buf: &StreamBuf, upto: usize) -> Option<(u64, Nanos)> {
    let i = buf.chunks.partition_point(|(end, _, _)| *end < upto);
    buf.chunks
        .get(i)
        .and_then(|(_, fs, ts)| fs.last().map(|f| (*f, *ts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(frame: u64, data: &[u8], transport: Transport) -> Payload {
        Payload {
            frame,
            frames: Frames::One(frame),
            ts: frame as i64 * 1_000_000,
            src: "192.0.2.10:5060".parse().unwrap(),
            dst: "192.0.2.1:5060".parse().unwrap(),
            transport,
            data: data.to_vec(),
            at: None,
        }
    }

    #[test]
    fn start_lines() {
        assert_eq!(
            parse_start_line("REGISTER sip:example.com SIP/2.0\r"),
            Some(StartLine::Request {
                method: "REGISTER".into(),
                uri: "sip:example.com".into()
            })
        );
        assert_eq!(
            parse_start_line("SIP/2.0 401 Unauthorized"),
            Some(StartLine::Response {
                code: 401,
                reason: "Unauthorized".into()
            })
        );
        assert_eq!(parse_start_line("HTTP/1.1 200 OK"), None);
        assert_eq!(parse_start_line("GET / HTTP/1.1"), None);
        assert_eq!(parse_start_line("SIP/2.0 99 Nope"), None);
    }

    #[test]
    fn tolerant_headers_lf_only_space_before_colon_folding_compact() {
        let msg = b"REGISTER sip:example.com SIP/2.0\nv : SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\ni: abc@x\nCSeq: 1\n  REGISTER\nf: <sip:1001@example.com>;tag=1\nl: 4\n\nbodyEXTRA";
        let (start, _headers, body, _problems) = parse_datagram(msg).unwrap();
        assert!(matches!(start, StartLine::Request { .. }));
        let m = Scanner::message_from_datagram(
            0,
            (1, 0),
            (
                "192.0.2.10:5060".parse().unwrap(),
                "192.0.2.1:5060".parse().unwrap(),
            ),
            Transport::Udp,
            msg,
        )
        .unwrap();
        assert_eq!(m.call_id(), Some("abc@x"));
        assert_eq!(m.cseq(), Some((1, "REGISTER")));
        assert_eq!(m.via_branch(), Some(BranchId::of("z9hG4bK1")));
        assert_eq!(m.from_user().as_deref(), Some("1001"));
        assert_eq!(body, b"body");
    }

    /// The record keeps the kept headers (interned: one copy for all messages), the branch
    /// and the auth headers parsed once, equal to parsing the header values again.
    #[test]
    fn compact_record_parses_auth_once_and_shares_strings() {
        let chal = "Digest realm=\"lab\", nonce=\"n1\", qop=\"auth\", Digest realm=\"lab\", nonce=\"n2\", algorithm=SHA-256";
        let cred = "Digest username=\"1001\", realm=\"lab\", nonce=\"n1\", uri=\"sip:lab\", response=\"0123456789abcdef0123456789abcdef\"";
        let resp = format!(
            "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa,SIP/2.0/UDP x;branch=b2\r\nCall-ID: c1\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: {chal}\r\nServer: kamailio\r\nX-Other: dropped\r\nContent-Length: 0\r\n\r\n"
        );
        let req = format!(
            "REGISTER sip:lab SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKb\r\nCall-ID: c1\r\nCSeq: 2 REGISTER\r\nFrom: <sip:1001@lab>;tag=1\r\nTo: <sip:1001@lab>\r\nAuthorization: {cred}\r\nContent-Length: 0\r\n\r\n"
        );
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let r = sc
            .datagram(payload(1, resp.as_bytes(), Transport::Udp), &mut skips)
            .unwrap();
        let q = sc
            .datagram(payload(2, req.as_bytes(), Transport::Udp), &mut skips)
            .unwrap();
        assert_eq!(r.via_branch(), Some(BranchId::of("z9hG4bKa")));
        assert_eq!(q.via_branch(), Some(BranchId::of("z9hG4bKb")));
        assert_ne!(r.via_branch(), q.via_branch());
        assert_eq!(r.header("server"), Some("kamailio"));
        assert_eq!(r.headers.len(), 7, "every header line is counted");
        assert_eq!(
            r.headers.iter().count(),
            3,
            "call-id, cseq, server are kept"
        );
        // One copy of the Call-ID for both messages.
        let cid = |m: &SipMessage| {
            m.headers
                .iter()
                .find(|h| *h.name == *"call-id")
                .unwrap()
                .value
                .to_sym()
        };
        assert!(Sym::ptr_eq(&cid(&r), &cid(&q)));
        // Parsed once; the same values as parsing the header again.
        let parsed: Vec<_> = r.challenges().map(|c| c.unpack()).collect();
        assert_eq!(parsed, auth::parse_challenges(chal).unwrap());
        assert_eq!(
            r.challenges().nth(1).and_then(|c| c.algorithm()),
            Some("SHA-256")
        );
        let c = q.credentials("authorization").unwrap().as_ref().unwrap();
        assert_eq!(c.unpack(), auth::parse_credentials(cred).unwrap());
        assert_eq!(c.username().as_deref(), Some("1001"));
        assert!(q.credentials("Proxy-Authorization").is_none());
        assert!(r.credentials("authorization").is_none());
        assert_eq!(q.challenges().count(), 0);
        // A message without auth headers carries none.
        let plain = sc
            .datagram(
                payload(
                    3,
                    b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 9\r\n\r\n",
                    Transport::Udp,
                ),
                &mut skips,
            )
            .unwrap();
        assert!(plain.auth.is_none() && plain.branch.is_none());
        assert_eq!(plain.frames(), vec![3]);
        // A bad credentials value is kept as its error, not dropped silently.
        let bad =
            "REGISTER sip:lab SIP/2.0\r\nCall-ID: 9\r\nAuthorization: Digest realm=\"x\r\n\r\n";
        let b = sc
            .datagram(payload(4, bad.as_bytes(), Transport::Udp), &mut skips)
            .unwrap();
        assert!(matches!(b.credentials("authorization"), Some(Err(_))));
        assert_eq!(skips.total(), 0);
    }

    /// The one auth value of a message is kept inline, any other mix shared; either way
    /// the accessors read what parsing the headers again gives, under the right header.
    #[test]
    fn auth_kept_inline_or_shared_reads_the_same() {
        let ch1 = "Digest realm=\"lab\", nonce=\"n1\", qop=\"auth\"";
        let ch2 = "Digest realm=\"lab\", nonce=\"n2\", algorithm=SHA-256";
        let cred = "Digest username=\"1001\", realm=\"lab\", nonce=\"n1\", uri=\"sip:lab\", response=\"0123\"";
        let msg = |first: &str, headers: &[(&str, &str)]| {
            let mut t = format!("{first}\r\nCall-ID: c1\r\nCSeq: 1 REGISTER\r\n");
            for (n, v) in headers {
                t.push_str(&format!("{n}: {v}\r\n"));
            }
            t.push_str("Content-Length: 0\r\n\r\n");
            let mut sc = Scanner::new();
            sc.datagram(
                payload(1, t.as_bytes(), Transport::Udp),
                &mut Skips::default(),
            )
            .unwrap()
        };
        let req = "REGISTER sip:lab SIP/2.0";
        let resp401 = "SIP/2.0 401 Unauthorized";
        let resp407 = "SIP/2.0 407 Proxy Authentication Required";
        let parsed_cred = auth::parse_credentials(cred).unwrap();
        let unpacked = |m: &SipMessage, h: &str| {
            m.credentials(h)
                .map(|r| r.as_ref().map(|c| c.unpack()).map_err(|e| e.to_string()))
        };
        // One Authorization: inline.
        let m = msg(req, &[("Authorization", cred)]);
        assert!(m.auth.inline_source() == Some(auth::Source::Authorization));
        assert_eq!(unpacked(&m, "authorization"), Some(Ok(parsed_cred.clone())));
        assert!(m.credentials("proxy-authorization").is_none());
        assert_eq!(m.challenges().count(), 0);
        // One Proxy-Authorization: inline, under its own name only.
        let m = msg(req, &[("Proxy-Authorization", cred)]);
        assert!(m.auth.inline_source() == Some(auth::Source::ProxyAuthorization));
        assert_eq!(
            unpacked(&m, "Proxy-Authorization"),
            Some(Ok(parsed_cred.clone()))
        );
        assert!(m.credentials("authorization").is_none());
        // One challenge of each kind: inline, under its own header.
        let m = msg(resp401, &[("WWW-Authenticate", ch1)]);
        assert!(m.auth.inline_source() == Some(auth::Source::WwwAuthenticate));
        assert_eq!(m.www_challenges().len(), 1);
        assert!(m.proxy_challenges().is_empty());
        assert_eq!(
            m.www_challenges()[0].unpack(),
            auth::parse_challenges(ch1).unwrap()[0]
        );
        let m = msg(resp407, &[("Proxy-Authenticate", ch2)]);
        assert!(m.auth.inline_source() == Some(auth::Source::ProxyAuthenticate));
        assert!(m.www_challenges().is_empty());
        assert_eq!(m.proxy_challenges()[0].algorithm(), Some("SHA-256"));
        // Two challenges, or two kinds of header: shared, every value in order.
        let m = msg(
            resp401,
            &[("WWW-Authenticate", ch1), ("WWW-Authenticate", ch2)],
        );
        assert!(matches!(m.auth, Auth::Full(_)));
        let nonces: Vec<_> = m.challenges().filter_map(|c| c.nonce()).collect();
        assert_eq!(nonces, ["n1", "n2"]);
        let m = msg(
            req,
            &[
                ("Authorization", cred),
                ("Proxy-Authorization", "Digest bad=\"x"),
            ],
        );
        assert!(matches!(m.auth, Auth::Full(_)));
        assert_eq!(unpacked(&m, "authorization"), Some(Ok(parsed_cred)));
        assert!(matches!(m.credentials("proxy-authorization"), Some(Err(_))));
        let m = msg(
            resp407,
            &[("WWW-Authenticate", ch1), ("Proxy-Authenticate", ch2)],
        );
        assert_eq!(
            m.challenges().filter_map(|c| c.nonce()).collect::<Vec<_>>(),
            ["n1", "n2"]
        );
        assert_eq!(m.proxy_challenges().len(), 1);
        // A bad credentials value alone is kept inline as its error.
        let m = msg(req, &[("Authorization", "Digest realm=\"x")]);
        assert!(matches!(m.auth, Auth::One(Err(_))));
        // A challenge that does not parse leaves nothing.
        let m = msg(resp401, &[("WWW-Authenticate", "Digest realm=\"x")]);
        assert!(m.auth.is_none());
    }

    /// Records' auth compare equal with the same values under the same headers only.
    #[test]
    fn auth_equality_counts_the_header() {
        let cred = "Digest username=\"u\", realm=\"r\", nonce=\"n\"";
        let of = |h: &str| {
            let t = format!("REGISTER sip:r SIP/2.0\r\nCall-ID: 1\r\n{h}: {cred}\r\n\r\n");
            let mut sc = Scanner::new();
            (sc.datagram(
                payload(1, t.as_bytes(), Transport::Udp),
                &mut Skips::default(),
            ))
            .unwrap()
            .auth
        };
        assert_eq!(of("Authorization"), of("authorization"));
        assert_ne!(of("Authorization"), of("Proxy-Authorization"));
        assert_eq!(of("Proxy-Authorization"), of("Proxy-Authorization"));
        assert_ne!(of("Authorization"), Auth::None);
    }

    /// The record stays compact (issue 14: a whole server's capture holds millions).
    #[test]
    fn the_call_id_and_cseq_places_are_theirs() {
        assert_eq!(&*KeptName::CALL_ID, "call-id");
        assert_eq!(&*KeptName::CSEQ, "cseq");
    }

    #[test]
    fn record_sizes() {
        use std::mem::size_of;
        eprintln!(
            "SipMessage {} StartLine {} Headers {} KeptHeader {} Frames {} RawRef {} MessageAuth {} Auth {} ParsedCredentials {} PackedAuth {} Body {} Problems {}",
            size_of::<SipMessage>(),
            size_of::<StartLine>(),
            size_of::<Headers>(),
            size_of::<KeptHeader>(),
            size_of::<Frames>(),
            size_of::<RawRef>(),
            size_of::<MessageAuth>(),
            size_of::<Auth>(),
            size_of::<ParsedCredentials>(),
            size_of::<auth::PackedAuth>(),
            size_of::<Body>(),
            size_of::<Problems>(),
        );
        // 152: the auth value of a message with one auth header is kept inline (24 bytes
        // where an `Arc` took 8, and no allocation of ~130 bytes beside it; 16 since its
        // header is a byte of the value). 128: the index
        // in 4 bytes, the raw place in 8, the headers in 16. 112: the frames beyond the one,
        // the body and the problems in one box (none nearly always).
        assert_eq!(size_of::<Auth>(), 16);
        assert_eq!(size_of::<ParsedCredentials>(), 16);
        // 96 (88 with `Auth` in 16): the frame and the transport in 4 bytes, the start line
        // in 8.
        assert!(
            size_of::<SipMessage>() <= 72 + size_of::<Auth>(),
            "{}",
            size_of::<SipMessage>()
        );
        assert_eq!(size_of::<FrameAndTransport>(), 4);
        assert_eq!(size_of::<PackedStart>(), 8);
        assert_eq!(size_of::<KeptHeader>(), 8);
        assert_eq!(size_of::<Body>(), 8);
        assert_eq!(size_of::<Problems>(), 8);
        assert_eq!(size_of::<Headers>(), 16);
        assert_eq!(size_of::<PackedRaw>(), 8);
        assert_eq!(size_of::<Extra>(), 8);
        let mut p = Problems::default();
        assert!(p.is_empty());
        p.push("a".into());
        p.push("b".into());
        assert_eq!(&*p, ["a", "b"]);
        assert_eq!(size_of::<auth::PackedAuth>(), 16);
    }

    /// A frame number past what the record holds (30 bits), and past `u32::MAX`, reads back
    /// whole (kept in the extra box), with the transport beside it; a small one needs no box.
    #[test]
    fn frame_numbers_and_transports_round_trip() {
        let data = b"REGISTER sip:a@b SIP/2.0\r\nCall-ID: big\r\nCSeq: 1 REGISTER\r\n\r\n";
        let addrs = (
            "192.0.2.10:5060".parse().unwrap(),
            "192.0.2.1:5060".parse().unwrap(),
        );
        for frame in [
            0,
            1,
            u64::from(FRAME_BIG) - 1,
            u64::from(FRAME_BIG),
            u64::from(u32::MAX),
            u64::from(u32::MAX) + 1,
            u64::MAX,
        ] {
            for t in Transport::ALL {
                let m = Scanner::message_from_datagram(7, (frame, 5), addrs, t, data).unwrap();
                assert_eq!((m.frame(), m.transport()), (frame, t));
                assert_eq!(&*m.frames(), &[frame]);
                assert_eq!(
                    m.extra.0.is_some(),
                    frame >= u64::from(FRAME_BIG),
                    "{frame}"
                );
                let (p, big) = FrameAndTransport::new(frame, t);
                assert_eq!((p.transport(), big), (t, frame >= u64::from(FRAME_BIG)));
                assert_eq!(p.frame(), (!big).then_some(frame));
            }
        }
        // The start lines of both kinds, with the largest code.
        for l in [
            StartLine::Request {
                method: Sym::new("REGISTER"),
                uri: Sym::new("sip:big@b"),
            },
            StartLine::Response {
                code: u16::MAX,
                reason: Sym::new("Odd"),
            },
            StartLine::Response {
                code: 401,
                reason: Sym::new(""),
            },
        ] {
            let p = PackedStart::new(l);
            assert_eq!(p.get(), l);
            assert_eq!(p.is_request(), matches!(l, StartLine::Request { .. }));
        }
    }

    /// The To of every message of a real capture, scanned again and again with other To
    /// tags (as the next registrations of the same phones get), reads back as written, and
    /// costs the interner nothing: the scanner hands out no more distinct strings than in
    /// the first pass (every To with a tag is kept in the analysis' store instead).
    #[test]
    fn to_tags_are_not_interned() {
        let a = crate::testutil::fixture("13-office-register-mixed.pcap");
        let raws: Vec<String> = a
            .messages
            .iter()
            .map(|m| String::from_utf8_lossy(&m.raw_bytes(&a.raw).unwrap()).into_owned())
            .collect();
        let retagged = |text: &str, round: usize| -> String {
            text.split_inclusive('\n')
                .map(|l| match l.split_once(':') {
                    Some((n, _)) if header_is(n.trim(), "to") => {
                        l.replacen(";tag=", &format!(";tag=r{round}-"), 1)
                    }
                    _ => l.to_string(),
                })
                .collect()
        };
        let mut sc = Scanner::new();
        let mut counts = Vec::new();
        let mut tagged = 0;
        for round in 0..3 {
            for (n, raw) in raws.iter().enumerate() {
                let text = retagged(raw, round);
                let p = payload(n as u64 + 1, text.as_bytes(), Transport::Udp);
                let m = sc.datagram(p, &mut Skips::default()).unwrap();
                let (_, headers, ..) = parse_datagram(text.as_bytes()).unwrap();
                let want = headers.iter().find(|h| header_is(&h.name, "to"));
                assert_eq!(m.header("to"), want.map(|h| h.value.as_str()), "{n}");
                assert_eq!(
                    m.to_user(),
                    want.and_then(|h| uri_user_of_name_addr(&h.value))
                );
                let with_tag = want.is_some_and(|h| param_of(&h.value, "tag").is_some());
                assert_eq!(m.headers.to_is_text(), with_tag, "{n}");
                tagged += usize::from(with_tag && round == 0);
            }
            counts.push(sc.interned());
        }
        assert!(tagged >= 40, "{tagged} To with a tag");
        assert_eq!(counts[1], counts[0], "{counts:?}");
        assert_eq!(counts[2], counts[0], "{counts:?}");
        // The store of an analysis lives as long as it: freed with it.
        let store = a
            .messages
            .iter()
            .find_map(|m| m.headers.texts_handle())
            .unwrap();
        assert!(store.upgrade().is_some_and(|s| s.chunks() > 0));
        assert!(a.messages.iter().any(|m| m.headers.to_is_text()));
        drop(a);
        assert!(store.upgrade().is_none());
    }

    /// Every message of every real capture reads its To exactly as its raw text parsed
    /// again, through every reader (`header`, `headers_named`, the kept lines, `to_user`,
    /// `Display`, `Serialize`, `pieces`), and the To of the responses with a tag is kept as
    /// an interned prefix and its tag.
    #[test]
    fn every_to_of_the_fixtures_reads_as_its_raw_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.contains(".pcap") && !n.starts_with('9'))
            .collect();
        names.sort();
        assert!(names.len() >= 25, "{names:?}");
        let (mut tagged, mut seen) = (0, 0);
        for name in &names {
            let a = crate::testutil::fixture(name);
            for m in &a.messages {
                let raw = m.raw_bytes(&a.raw).unwrap();
                let Some((_, headers, ..)) = parse_datagram(&raw) else {
                    continue;
                };
                let want: Vec<&str> = headers
                    .iter()
                    .take(MAX_HEADERS)
                    .filter(|h| header_is(&h.name, "to"))
                    .map(|h| h.value.as_str())
                    .collect();
                let at = format!("{name} frame {}", m.frame());
                let line = m.headers.iter().find(|h| *h.name == *"to");
                assert_eq!(
                    line.map(|h| h.value.to_string()).as_deref(),
                    want.first().copied(),
                    "{at}"
                );
                if let Some(l) = line {
                    assert_eq!(l.value.pieces().concat(), want[0], "{at}");
                    assert_eq!(
                        serde_json::to_string(&l.value).unwrap(),
                        serde_json::to_string(want[0]).unwrap()
                    );
                    assert_eq!(l.value, HeaderValue::Text(want[0]), "{at}");
                    tagged += usize::from(matches!(l.value, HeaderValue::Tagged(_)));
                }
                assert_eq!(
                    m.to_user(),
                    want.first().and_then(|v| uri_user_of_name_addr(v)),
                    "{at}"
                );
                assert_eq!(m.header("to"), want.first().copied(), "{at}");
                assert_eq!(m.headers_named("to").collect::<Vec<_>>(), want, "{at}");
                assert_eq!(m.headers.lines(), kept_lines(&headers), "{at}");
                seen += 1;
            }
        }
        assert!(seen > 300, "{seen}");
        assert!(tagged > 100, "{tagged} of {seen}");
    }

    /// To values that are not exactly a prefix, `;tag=` and a token tag last are kept whole;
    /// every one, split or not, reads back as written through every reader.
    #[test]
    fn hostile_to_values_read_back_as_written() {
        let giant = format!("<sip:{}@h>;tag={}", "u".repeat(3000), "t".repeat(6000));
        let over = format!("<sip:a@h>;tag={}", "t".repeat(intern::STORE_MAX_TEXT));
        let cases: Vec<(String, bool)> = [
            ("<sip:a@b>;tag=x1", true),
            ("\"Ann\" <sip:a@b>;tag=x1", true),
            ("sip:a@b;tag=x1", true),
            ("sip:a@b;transport=udp;tag=x1", true),
            ("<sip:a@b>;tag=x1;ext=2", false),
            ("<sip:a@b>;tag=x1;tag=x2", false),
            ("<sip:a@b>;TAG=x1", false),
            ("<sip:a@b>;Tag=x1", false),
            ("\"a;tag=q\" <sip:a@b>", false),
            ("\"a;tag=q\" <sip:a@b>;tag=z", false),
            ("<sip:a@b>;tag=", false),
            ("<sip:a@b;tag=x1", false),
            ("<sip:a@b;tag=x1>", false),
            ("sip:a@b;tag=<x>", false),
            ("<sip:a@b>;tag=x 1", false),
            ("<sip:a@b>;tag=\"x\"", false),
            ("\"Nguyễn 阮\" <sip:ưu@b>;tag=x1", true),
            ("<sip:a@b>;tag=tê", false),
            ("<sip:a@b>; tag=x1", false),
            ("<sip:a@b> ;tag=x1", true),
            (";tag=x1", true),
        ]
        .into_iter()
        .map(|(v, split)| (v.to_string(), split))
        .chain([(giant, true), (over, false)])
        .collect();
        let mut sc = Scanner::new();
        for (n, (to, split)) in cases.iter().enumerate() {
            for round in 0..2 {
                let text = format!(
                    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK{n}\r\nTo: {to}\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c{n}@h\r\nCSeq: {round} REGISTER\r\nContent-Length: 0\r\n\r\n"
                );
                let p = payload(n as u64 + 1, text.as_bytes(), Transport::Udp);
                let m = sc.datagram(p, &mut Skips::default()).unwrap();
                let v = m.headers.first(KeptName::TO).unwrap();
                assert_eq!(matches!(v, HeaderValue::Tagged(_)), *split, "{to}");
                let too_long = to.len() > intern::STORE_MAX_TEXT;
                assert_eq!(split_tag(to).is_some(), *split || too_long, "{to}");
                assert_eq!(v.pieces().concat(), *to);
                assert_eq!(v.to_string(), *to);
                assert_eq!(format!("{v:?}"), format!("{to:?}"));
                assert_eq!(v, HeaderValue::Text(to));
                assert_ne!(v, HeaderValue::Text(&to[1..]));
                assert_eq!(m.to_user(), uri_user_of_name_addr(to), "{to}");
                assert_eq!(m.header("to"), Some(to.as_str()));
                assert_eq!(m.headers.lines()[0], ("to".to_string(), to.clone()));
                assert_eq!(v.to_sym().as_str(), to);
                // Read whole again: the same text built once.
                assert!(std::ptr::eq(m.header("to").unwrap(), v.as_str()));
            }
        }
    }

    /// The frame, frames, time and transport of every message of real captures (over UDP)
    /// are those of the datagram it came in, the capture read again frame by frame; the
    /// start line is that of its raw text parsed again.
    #[test]
    fn record_fields_are_the_capture_s_read_again() {
        for name in [
            "13-office-register-mixed.pcap",
            "03b-invite-407-wrong-password.pcap",
        ] {
            let a = crate::testutil::fixture(name);
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name);
            let mut stream = crate::capture::PacketStream::open(&path).unwrap();
            let mut want = Vec::new();
            while let Some(ev) = stream.next_event() {
                if let crate::capture::Event::Datagram(p) = ev
                    && let Some((start, ..)) = parse_datagram(&p.data)
                {
                    want.push((p.frame, p.frames.to_vec(), p.ts, p.transport, start));
                }
            }
            let got: Vec<_> = a
                .messages
                .iter()
                .map(|m| {
                    (
                        m.frame(),
                        m.frames().to_vec(),
                        m.ts,
                        m.transport(),
                        m.start(),
                    )
                })
                .collect();
            assert!(got.len() >= 6, "{name}: {}", got.len());
            assert_eq!(got, want, "{name}");
            for m in &a.messages {
                let (start, ..) = parse_datagram(&m.raw_bytes(&a.raw).unwrap()).unwrap();
                assert_eq!(m.start(), start, "{name} {}", m.frame());
                assert_eq!(m.is_request(), matches!(start, StartLine::Request { .. }));
            }
        }
    }

    /// The word-at-a-time search finds the same header end as looking at every byte.
    #[test]
    fn header_end_matches_a_byte_loop() {
        fn slow(d: &[u8], from: usize) -> Option<usize> {
            (from..d.len()).find_map(|i| {
                (d[i] == b'\n')
                    .then(|| match (d.get(i + 1), d.get(i + 2)) {
                        (Some(b'\n'), _) => Some(i + 2),
                        (Some(b'\r'), Some(b'\n')) => Some(i + 3),
                        _ => None,
                    })
                    .flatten()
            })
        }
        let base = b"REGISTER sip:x SIP/2.0\r\nCall-ID: 1\r\nVia: a\nX: \n\n\r\n\r\nbody\n\n";
        for cut in 0..=base.len() {
            let d = &base[..cut];
            for from in 0..=d.len() {
                assert_eq!(header_end_from(d, from), slow(d, from), "{cut} {from}");
            }
        }
    }

    /// The lookup by length and first byte names the same headers as comparing every name.
    #[test]
    fn header_classes_match_header_is() {
        let mut names: Vec<String> = KEPT_HEADERS.iter().map(|s| s.to_string()).collect();
        names.extend(
            [
                "via",
                "content-length",
                "authorization",
                "proxy-authorization",
                "www-authenticate",
                "proxy-authenticate",
                "x-other",
                "max-forwards",
                "",
            ]
            .map(String::from),
        );
        names.extend(('a'..='z').map(String::from));
        for n in names {
            for w in [n.clone(), n.to_ascii_uppercase()] {
                let kept = KEPT_HEADERS.iter().position(|k| header_is(&w, k));
                assert_eq!(KeptName::of(&w).map(|k| k.0 as usize), kept, "{w}");
                let class = HeaderClass::of(&w);
                assert_eq!(class == HeaderClass::Via, header_is(&w, "via"), "{w}");
                assert_eq!(
                    class == HeaderClass::ContentLength,
                    header_is(&w, "content-length"),
                    "{w}"
                );
                let auth = [
                    "authorization",
                    "proxy-authorization",
                    "www-authenticate",
                    "proxy-authenticate",
                ]
                .iter()
                .any(|a| header_is(&w, a));
                assert_eq!(matches!(class, HeaderClass::Auth(_)), auth, "{w}");
            }
        }
    }

    #[test]
    fn tcp_two_messages_in_one_segment_and_one_over_two() {
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let a = b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        let b = b"SIP/2.0 200 OK\r\nCall-ID: 2\r\nCSeq: 1 OPTIONS\r\nContent-Length: 3\r\n\r\nxyz";
        let mut seg1 = a.to_vec();
        seg1.extend_from_slice(&b[..20]);
        let out = sc.tcp(payload(1, &seg1, Transport::Tcp), false, &mut skips);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].frame(), 1);
        let out = sc.tcp(payload(2, &b[20..], Transport::Tcp), false, &mut skips);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].frames(), vec![1, 2]);
        assert_eq!(out[0].frame(), 2);
        assert_eq!(out[0].body(), b"xyz");
        assert_eq!(skips.total(), 0);
    }

    #[test]
    fn http_on_sip_port_is_not_sip() {
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let out = sc.tcp(
            payload(1, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", Transport::Tcp),
            false,
            &mut skips,
        );
        assert!(out.is_empty());
        assert_eq!(skips.counts.get("not-sip-tcp"), Some(&1));
        assert!(
            sc.datagram(payload(2, b"\x80\x00rtp", Transport::Udp), &mut skips)
                .is_none()
        );
    }

    #[test]
    fn junk_before_request_line() {
        let d = b"\x00\x01\x02\x03REGISTER sip:x.com SIP/2.0\r\nCall-ID: j\r\n\r\n";
        let (start, ..) = parse_datagram(d).unwrap();
        assert!(matches!(start, StartLine::Request { ref method, .. } if method == "REGISTER"));
    }

    #[test]
    fn no_panic_on_prefixes() {
        let msg = b"INVITE sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP x;branch=z9\r\nContent-Length: 5\r\n\r\nhello";
        for n in 0..msg.len() {
            let _ = parse_datagram(&msg[..n]);
            let mut sc = Scanner::new();
            let mut skips = Skips::default();
            let _ = sc.tcp(payload(1, &msg[..n], Transport::Tcp), false, &mut skips);
        }
    }

    /// Feed `msg` to a fresh scanner in segments of `seg` bytes; (messages, skips, work).
    fn feed(msg: &[u8], seg: usize) -> (Vec<SipMessage>, Skips, ScanWork) {
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let mut out = Vec::new();
        for (i, chunk) in msg.chunks(seg).enumerate() {
            out.extend(sc.tcp(
                payload(i as u64 + 1, chunk, Transport::Tcp),
                false,
                &mut skips,
            ));
        }
        (out, skips, sc.work())
    }

    fn huge_register(headers: usize, body: usize) -> (Vec<u8>, usize) {
        let mut m = b"REGISTER sip:example.com SIP/2.0\r\nCall-ID: big\r\n".to_vec();
        for _ in 0..headers {
            m.extend_from_slice(b"a:1\r\n");
        }
        m.extend_from_slice(format!("Content-Length: {body}\r\n\r\n").as_bytes());
        let head = m.len();
        m.resize(head + body, b'x');
        (m, head)
    }

    /// Issue 12: one REGISTER with 50,000 headers and Content-Length 4194304 over TCP in
    /// 1,400-byte segments re-ran header_end and parse_head on the whole buffer for every
    /// segment (3,200 segments x 250 KB). Now the header end is searched once over the bytes
    /// and the head parsed once.
    #[test]
    fn tcp_assembly_is_linear_in_the_bytes() {
        let (msg, head) = huge_register(50_000, MAX_BODY_BYTES);
        assert!(head < MAX_HEADER_BYTES);
        let (out, skips, work) = feed(&msg, 1400);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].body().len(), MAX_BODY_BYTES);
        assert_eq!(out[0].headers.len(), MAX_HEADERS);
        assert_eq!(out[0].header("call-id"), Some("big"));
        assert_eq!(skips.get("sip-too-many-headers"), 1);
        assert!(out[0].problems().iter().any(|p| p.contains("ignored")));
        assert_eq!(work.heads_parsed, 1);
        // Each header byte once, plus 2 bytes of overlap per segment of the header section.
        let segments = head.div_ceil(1400) as u64;
        assert!(
            work.header_bytes_scanned <= head as u64 + 2 * segments,
            "{work:?} for a {head}-byte header section"
        );
        assert_eq!(work.bytes_moved, 0);
        // Twice the segments (half the size) costs the same header scanning.
        let (out2, _, work2) = feed(&msg, 700);
        assert_eq!(out2.len(), 1);
        assert_eq!(work2.heads_parsed, 1);
        assert!(work2.header_bytes_scanned <= head as u64 + 2 * 2 * segments);
    }

    /// Many messages completed by one segment: the buffer is shortened once per segment, not
    /// once per message, and frames are found by binary search.
    #[test]
    fn many_messages_in_one_segment_move_each_byte_once() {
        let one = b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nContent-Length: 0\r\n\r\n";
        let mut seg = Vec::new();
        for _ in 0..2000 {
            seg.extend_from_slice(one);
        }
        seg.extend_from_slice(&one[..10]);
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let out = sc.tcp(payload(1, &seg, Transport::Tcp), false, &mut skips);
        assert_eq!(out.len(), 2000);
        assert!(out.iter().all(|m| m.frames() == vec![1]));
        assert_eq!(sc.work().bytes_moved, 10);
        assert_eq!(sc.work().header_bytes_scanned, seg.len() as u64);
        let out = sc.tcp(payload(2, &one[10..], Transport::Tcp), false, &mut skips);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].frames(), vec![1, 2]);
        assert_eq!(skips.total(), 0);
    }

    /// The header end split between segments at every possible place (CRLFCRLF and LFLF).
    #[test]
    fn header_end_split_anywhere() {
        for msg in [
            &b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\nContent-Length: 2\r\n\r\nab"[..],
            &b"OPTIONS sip:a@b SIP/2.0\nCall-ID: 1\nContent-Length: 2\n\nab"[..],
        ] {
            for seg in 1..msg.len() {
                let (out, skips, _) = feed(msg, seg);
                assert_eq!(out.len(), 1, "segments of {seg}");
                assert_eq!(out[0].body(), b"ab");
                assert_eq!(skips.total(), 0);
            }
        }
    }

    /// An extension method whose request line arrives in pieces is not taken for non-SIP.
    #[test]
    fn start_lines_are_found_mid_stream() {
        // After a line feed, and straight after a body without a final CRLF.
        assert_eq!(find_start_line(b"a=b\r\nOPTIONS sip:x SIP/2.0\r\n"), Ok(5));
        assert_eq!(find_start_line(b"vvvvINVITE sip:b@c SIP/2.0\r\n"), Ok(4));
        assert_eq!(find_start_line(b"xxSIP/2.0 401 Unauthorized\r\n"), Ok(2));
        assert_eq!(find_start_line(b"SIP/2.0 200\r\n"), Ok(0));
        assert_eq!(find_start_line(b"SIP/2.0 2000 x\r\n"), Err(16));
        // Not start lines: a Via, a method without the version, a cut-off line.
        assert_eq!(
            find_start_line(b"Via: SIP/2.0/TCP h\r\nCSeq: 1 REGISTER\r\nREGI"),
            Err(38)
        );
        assert_eq!(find_start_line(b"sip:x SIP/2.0\r\n"), Err(15));
        assert_eq!(find_start_line(&[b'v'; 9000]), Err(9000));
        // The upper-case run is cut to a known method when it ends in one.
        assert_eq!(find_start_line(b"ABCREGISTER sip:x SIP/2.0\n"), Ok(3));
    }

    #[test]
    fn a_stream_joined_mid_message_or_after_a_gap_resumes_at_the_next_message() {
        let m = b"REGISTER sip:x SIP/2.0\r\nCall-ID: 1\r\nContent-Length: 4\r\n\r\nbody";
        let mut joined = m[20..].to_vec();
        joined.extend_from_slice(m);
        let (out, skips, _) = feed(&joined, 7);
        assert_eq!(out.len(), 1);
        assert_eq!(skips.get("sip-partial-at-stream-start"), 1);
        assert_eq!(skips.total(), 1);
        // A gap inside the first message: the second is found, one loss counted.
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let mut out = sc.tcp(payload(1, &m[..30], Transport::Tcp), false, &mut skips);
        let mut rest = m[40..].to_vec();
        rest.extend_from_slice(m);
        out.extend(sc.tcp(payload(2, &rest, Transport::Tcp), true, &mut skips));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].frame(), 2);
        assert_eq!(skips.get("sip-lost-in-tcp-gap"), 1);
        assert_eq!(skips.total(), 1);
    }

    #[test]
    fn extension_method_line_in_pieces() {
        let msg = b"FOOBARMETHOD sip:a@b SIP/2.0\r\nCall-ID: 1\r\nContent-Length: 0\r\n\r\n";
        let (out, skips, _) = feed(msg, 9);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].method(), Some("FOOBARMETHOD"));
        assert_eq!(skips.total(), 0);
        let (out, skips, _) = feed(b"FOOBAR nope\r\nmore\r\n\r\n", 9);
        assert!(out.is_empty());
        assert_eq!(skips.get("not-sip-tcp"), 1);
    }

    /// The kept headers read back from the shared set and the message's own values are the
    /// kept header lines of the text parsed again, in order (many headers, several CSeq and
    /// To lines, compact names, folded and odd values), and messages that differ only in
    /// those own values share one set.
    #[test]
    fn header_sets_read_like_the_text_parsed_again() {
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let mut parse = |frame: u64, text: &str| {
            let m = sc
                .datagram(payload(frame, text.as_bytes(), Transport::Udp), &mut skips)
                .unwrap();
            let (_, headers, _, _) = parse_datagram(text.as_bytes()).unwrap();
            assert_eq!(m.headers.lines(), kept_lines(&headers), "{text}");
            assert_eq!(m.headers.len(), headers.len().min(MAX_HEADERS));
            m
        };
        let msg = |cseq: u32, to_tag: &str, extra: &str| {
            format!(
                "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK{cseq}\r\nt: <sip:a@b>;tag={to_tag}\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: c@h\r\nCSeq: {cseq} REGISTER\r\n{extra}Content-Length: 0\r\n\r\n"
            )
        };
        let a = parse(1, &msg(1, "x1", "Server: s\r\n"));
        let b = parse(2, &msg(2, "x2", "Server: s\r\n"));
        assert!(std::ptr::eq(&*a.headers.set, &*b.headers.set), "one set");
        assert_eq!(b.cseq(), Some((2, "REGISTER")));
        assert_eq!(b.header("to"), Some("<sip:a@b>;tag=x2"));
        let c = parse(3, &msg(3, "x3", "Server: other\r\n"));
        assert!(!std::ptr::eq(&*a.headers.set, &*c.headers.set));
        // Several CSeq and To lines: the first ones are the message's own, the others stay
        // in the set, each in its place.
        let odd = "CSeq: 9 BYE\r\nTo: second\r\nUser-Agent: \"q\" \u{e9}t\u{e9}\r\n  folded on\r\nX-Other: 1\r\ncseq: 10 X\r\nDate: \r\n";
        let d = parse(4, &msg(4, "x4", odd));
        assert_eq!(
            d.headers_named("cseq").collect::<Vec<_>>(),
            ["4 REGISTER", "9 BYE", "10 X"]
        );
        assert_eq!(d.headers_named("to").count(), 2);
        assert_eq!(
            d.header("user-agent"),
            Some("\"q\" \u{e9}t\u{e9} folded on")
        );
        // No CSeq or To at all, and a message of nothing but kept headers.
        parse(5, "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\n");
        let mut many = String::from("INVITE sip:a@b SIP/2.0\r\n");
        for i in 0..MAX_HEADERS + 5 {
            let name = ["To", "CSeq", "Contact", "X-N", "Date"][i % 5];
            many.push_str(&format!("{name}: v{i}\r\n"));
        }
        many.push_str("\r\n");
        let e = parse(6, &many);
        assert_eq!(e.headers.len(), MAX_HEADERS);
        // Sets of every size around the part kept in the set itself: shared by messages that
        // differ in their own values only, told apart by their last header.
        for n in 0..=SET_HEAD + 3 {
            let extra: String = (0..n)
                .map(|i| format!("Contact: <sip:{i}@h>\r\n"))
                .collect();
            let x = parse(10, &msg(7, "y1", &extra));
            let y = parse(11, &msg(8, "y2", &extra));
            assert!(std::ptr::eq(&*x.headers.set, &*y.headers.set), "{n}");
            let z = parse(
                12,
                &msg(7, "y1", &format!("{extra}Contact: <sip:last@h>\r\n")),
            );
            assert!(!std::ptr::eq(&*x.headers.set, &*z.headers.set), "{n}");
            assert_eq!(x.headers_named("contact").count(), n);
        }
        // Amended by hand: the same headers with other values, in the same places.
        let mut f = a.clone();
        f.headers.map_values(|h| {
            if &*h.name == "server" {
                "new".into()
            } else {
                h.value.to_sym()
            }
        });
        assert_eq!(f.header("server"), Some("new"));
        assert_eq!(f.cseq(), a.cseq());
        let names = |m: &SipMessage| m.headers.iter().map(|h| h.name).collect::<Vec<_>>();
        assert_eq!(names(&f), names(&a));
    }

    /// A set known by its text is found without interning its values again, and gives the
    /// same headers as a set made from them; a different value, or the same text with its
    /// own values elsewhere, is another set.
    #[test]
    fn header_sets_found_by_their_text() {
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let text = |cseq: u32, order: bool, ua: &str| {
            let (a, b) = (format!("CSeq: {cseq} REGISTER\r\n"), "Call-ID: t1\r\n");
            let (first, second) = if order {
                (a.as_str(), b)
            } else {
                (b, a.as_str())
            };
            format!("REGISTER sip:a@b SIP/2.0\r\n{first}{second}User-Agent: {ua}\r\n\r\n")
        };
        let mut scan = |t: String| {
            sc.datagram(payload(1, t.as_bytes(), Transport::Udp), &mut skips)
                .unwrap()
        };
        let a = scan(text(1, true, "p"));
        let b = scan(text(2, true, "p"));
        let c = scan(text(3, false, "p"));
        let d = scan(text(4, true, "q"));
        assert!(std::ptr::eq(&*a.headers.set, &*b.headers.set));
        assert!(
            !std::ptr::eq(&*a.headers.set, &*c.headers.set),
            "CSeq elsewhere"
        );
        assert!(!std::ptr::eq(&*a.headers.set, &*d.headers.set));
        assert_eq!(b.cseq(), Some((2, "REGISTER")));
        assert_eq!(
            c.headers.iter().map(|h| h.name).collect::<Vec<_>>()[0],
            KeptName::of("call-id").unwrap()
        );
        assert_eq!(d.header("user-agent"), Some("q"));
        assert_eq!(sc.scratch.by_text.len(), 3);
    }

    /// The raw place in 8 bytes and the frames beyond the one read back as given.
    #[test]
    fn packed_raw_places_and_frames_round_trip() {
        let max_len = (1u32 << RAW_LEN_BITS) - 1;
        for (at, len, arena) in [
            (0, 0, false),
            (1, 1, true),
            ((1 << RAW_AT_BITS) - 2, max_len, false),
            (123_456_789_012, 65_535, true),
            (5, (MAX_HEADER_BYTES + MAX_BODY_BYTES) as u32, false),
        ] {
            let r = RawRef { at, len, arena };
            assert_eq!(PackedRaw::new(r).get(), r);
        }
        // Past 1 TiB: a place that cannot be read back, never another message's bytes.
        let far = PackedRaw::new(RawRef {
            at: 1 << 41,
            len: 10,
            arena: false,
        })
        .get();
        assert_eq!(far.at, (1 << RAW_AT_BITS) - 1);
        let mut sc = Scanner::new();
        let mut p = payload(
            7,
            b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\n",
            Transport::Udp,
        );
        p.frames = Frames::new(vec![5, 6, 7]);
        let m = sc.datagram(p, &mut Skips::default()).unwrap();
        assert_eq!((m.frame(), &*m.frames()), (7, &[5, 6, 7][..]));
        let mut p = payload(
            8,
            b"OPTIONS sip:a@b SIP/2.0\r\nCall-ID: 1\r\n\r\n",
            Transport::Udp,
        );
        p.frames = Frames::One(3);
        let m = sc.datagram(p, &mut Skips::default()).unwrap();
        assert_eq!(
            (m.frame(), &*m.frames()),
            (8, &[3][..]),
            "kept when not the one"
        );
        assert_eq!(m.index(), 1);
    }

    /// Over the limits: a counted skip, never an abort; the stream goes on after a reset.
    #[test]
    fn limits_are_counted_skips() {
        let (msg, _) = huge_register(60_000, 0);
        let (out, skips, _) = feed(&msg, 1400);
        assert!(out.is_empty());
        assert_eq!(skips.get("sip-header-too-large"), 1);
        let (msg, _) = huge_register(1, MAX_BODY_BYTES + 1);
        let (out, skips, _) = feed(&msg[..2000], 1400);
        assert!(out.is_empty());
        assert_eq!(skips.get("sip-body-too-large"), 1);
        // 100,000 challenges in one header: the first 64 are read, counted once.
        let mut v = String::from("Digest realm=\"r\", nonce=\"n0\"");
        for i in 1..100_000 {
            v.push_str(&format!(", Digest realm=\"r\", nonce=\"n{i}\""));
        }
        let dg = format!(
            "SIP/2.0 401 Unauthorized\r\nCall-ID: c\r\nWWW-Authenticate: {v}\r\nContent-Length: 0\r\n\r\n"
        );
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let m = sc
            .datagram(payload(1, dg.as_bytes(), Transport::Udp), &mut skips)
            .unwrap();
        assert_eq!(skips.get("sip-too-many-challenges"), 1);
        let ch: Vec<_> = m.challenges().collect();
        assert_eq!(ch.len(), MAX_CHALLENGES_PER_HEADER);
        assert_eq!(ch[63].nonce(), Some("n63"));
    }

    /// Junk before the start line: each candidate offset no longer rescans the first line
    /// (a 2 KB line of `A A A ...` holding `SIP/2.0 ` cost 1 M byte reads: every `A` is an
    /// upper-case token, and whether the line ends in `SIP/2.0` was recomputed for each).
    #[test]
    fn junk_prefix_with_many_candidates() {
        let mut d = vec![0u8];
        for _ in 0..1000 {
            d.extend_from_slice(b"A ");
        }
        d.extend_from_slice(b"SIP/2.0 200 OK\r\nCall-ID: j\r\n\r\n");
        let (start, ..) = parse_datagram(&d).unwrap();
        assert_eq!(
            start,
            StartLine::Response {
                code: 200,
                reason: "OK".into()
            }
        );
    }

    #[test]
    fn uri_helpers() {
        assert_eq!(
            uri_of_name_addr("\"Bob\" <sip:bob@x.com>;tag=1"),
            "sip:bob@x.com"
        );
        assert_eq!(uri_user("sip:1001:pw@host").as_deref(), Some("1001"));
        assert_eq!(
            uri_host("sip:1001@[::1]:5060;transport=udp").as_deref(),
            Some("::1")
        );
        assert_eq!(
            uri_host("sip:host.example:5062").as_deref(),
            Some("host.example")
        );
    }
}
