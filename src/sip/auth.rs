//! Tokenizer for the SIP/HTTP authentication header values: `WWW-Authenticate`,
//! `Proxy-Authenticate` (challenges) and `Authorization`, `Proxy-Authorization` (credentials).
//!
//! Grammar followed (RFC 3261 section 25.1 and 20.27/20.44, RFC 7235 section 2.1, RFC 7616
//! section 3.3/3.4):
//!
//! ```text
//! challenge      = auth-scheme LWS auth-param *(COMMA auth-param)
//! auth-param     = auth-param-name EQUAL ( token / quoted-string )
//! token          = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )
//! quoted-string  = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
//! quoted-pair    = "\" (%x00-09 / %x0B-0C / %x0E-7F)
//! LWS            = [*WSP CRLF] 1*WSP ; linear whitespace, a folded line included
//! EQUAL = SWS "=" SWS ; COMMA = SWS "," SWS
//! ```
//!
//! The scanner is deliberately tolerant where real phones are sloppy, and strict where
//! guessing would change a value:
//! - names are compared case-insensitively, the scheme too (`Digest`, `DIGEST`);
//! - an unquoted value runs to the next comma or white space, so an unquoted base64 nonce
//!   with `/` and `=` survives;
//! - empty list elements (`a=b,,c=d`, a trailing comma) are skipped (RFC 7230 section 7,
//!   the `#rule` allows empty elements);
//! - one header value may hold several challenges (RFC 7235 section 4.1): a token that is
//!   not followed by `=` after a comma starts a new challenge;
//! - an unterminated quoted string, a stray quote, a value missing its `=`, a control
//!   character or a line break not followed by white space are errors with the byte offset.
//!
//! Never substring search: `nonce` inside `cnonce` or inside a quoted realm can not match.
//!
//! One value yields at most [`MAX_CHALLENGES_PER_HEADER`] challenges: scanning stops there,
//! so a header of 100,000 challenges costs no more than one of 64 (the scanner counts it as
//! `sip-too-many-challenges`). Every step moves forward: each byte is looked at a bounded
//! number of times.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use crate::limits::MAX_CHALLENGES_PER_HEADER;

/// One `name=value` parameter, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// The name as written (case kept). Empty for a `token68` (e.g. `Basic dXNlcg==`).
    pub name: String,
    /// The value: quotes removed, quoted-pair escapes resolved, a folded line inside quotes
    /// replaced by one space.
    pub value: String,
    /// Whether the value was a quoted-string.
    pub quoted: bool,
}

/// One challenge (`WWW-Authenticate` / `Proxy-Authenticate`), or one credentials value
/// (`Authorization` / `Proxy-Authorization`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthValue {
    /// The scheme as written, e.g. `Digest`.
    pub scheme: String,
    pub params: Vec<Param>,
}

/// A value that could not be tokenized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} at byte {offset}")]
pub struct AuthError {
    pub offset: usize,
    pub what: String,
}

/// The named accessors of an auth value, over its `get` and `scheme_str`: the same for the
/// parsed [`AuthValue`] and the stored [`PackedAuth`] (a macro, so neither needs a trait in
/// scope at its call sites).
macro_rules! auth_accessors {
    () => {
        pub fn is_digest(&self) -> bool {
            self.scheme_str().eq_ignore_ascii_case("digest")
        }
        pub fn realm(&self) -> Option<&str> {
            self.get("realm")
        }
        pub fn nonce(&self) -> Option<&str> {
            self.get("nonce")
        }
        pub fn opaque(&self) -> Option<&str> {
            self.get("opaque")
        }
        /// The algorithm as sent (no default applied; RFC 2617 3.2.1: absent means MD5).
        pub fn algorithm(&self) -> Option<&str> {
            self.get("algorithm")
        }
        /// `qop` as sent.
        pub fn qop(&self) -> Option<&str> {
            self.get("qop")
        }
        /// In a challenge, `qop="auth,auth-int"` is a list (RFC 2617 3.2.1 qop-options):
        /// split on commas, trimmed, lowercased, empty items left out.
        pub fn qop_options(&self) -> Vec<String> {
            self.qop()
                .map(|q| {
                    q.split(',')
                        .map(|s| s.trim().to_ascii_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        }
        /// `stale=true` (RFC 2617 3.2.1: case-insensitive), quoted or not.
        pub fn stale(&self) -> bool {
            self.get("stale")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        }
        /// The user name: `username*` decoded (RFC 7616 3.4, ext-value of RFC 8187) when present
        /// and decodable, else `username`.
        pub fn username(&self) -> Option<String> {
            if let Some(ext) = self.get("username*")
                && let Some(decoded) = decode_ext_value(ext)
            {
                return Some(decoded);
            }
            self.get("username").map(str::to_string)
        }
        pub fn uri(&self) -> Option<&str> {
            self.get("uri")
        }
        pub fn response(&self) -> Option<&str> {
            self.get("response")
        }
        pub fn nc(&self) -> Option<&str> {
            self.get("nc")
        }
        pub fn cnonce(&self) -> Option<&str> {
            self.get("cnonce")
        }
        /// `userhash=true` (RFC 7616 3.4.4), case-insensitive, quoted or not.
        pub fn userhash(&self) -> bool {
            self.get("userhash")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        }
    };
}

impl AuthValue {
    /// The first parameter with this name, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.param(name).map(|p| p.value.as_str())
    }

    /// The first parameter with this name, compared case-insensitively.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|p| !p.name.is_empty() && p.name.eq_ignore_ascii_case(name))
    }

    fn scheme_str(&self) -> &str {
        &self.scheme
    }

    auth_accessors!();
}

/// An [`AuthValue`] as a message keeps it, in one run of bytes of its own length and a little:
/// a small table, then the scheme and every parameter's value (and its name, unless it is one
/// of the [`KNOWN_NAMES`] as written) back to back. The table holds where the text starts,
/// the scheme's length, the number of parameters, and per parameter one byte (the known
/// name's number or 0, and the quoted flag) then the lengths of its written name (when not
/// known) and of its value. Every number is written in bytes of six bits (a seventh says one
/// more follows), so every byte of the table is ASCII and the whole stays a valid `str`
/// without any unsafe code. A parsed Authorization took about 1 KB with a String per name
/// and value; this is 16 bytes plus its values and about 2 bytes a parameter (an
/// Authorization of nine parameters: 130 bytes where the texts of its names and a table of
/// end offsets took 220). Our own type because it is a storage layout of our own parse
/// result.
///
/// Shaped (the values a scanner packs): what repeats from one value of an account to the
/// next (the scheme, the parameters' names and order and quoting, and the values of the
/// names that belong to an account: user name, realm, uri, algorithm, qop, opaque ...) is
/// its *shape*, written as above but with those values only, kept once per analysis in its
/// [`AuthDict`]; the value itself is then the shape's number and the other values (nonce,
/// response, cnonce, nc, and any name not known), each after its length; its nonce, when
/// a value earlier in the block has the same (the challenge it answers), as where that one
/// is. An Authorization of a whole-server capture: ~60 bytes where it took 134, a challenge
/// 18 where it took 53 (/tmp/sip128.pcap: 13.9 MB of packed values, now 5.7 MB and 0.33 MB
/// of shapes).
///
/// The blob lives in a block shared by the values packed one after the other by one
/// [`Blocks`] (a scanner's), frozen once full or once the scanner hands its messages out,
/// and freed with the last value that uses it: no allocation of its own (a heap block per
/// value cost its header and rounding, ~20 bytes of ~130), nothing kept once the analysis
/// is dropped (the blocks were leaked for the life of the process: opening a 1 GiB capture
/// again kept ~150 MB more each time). 16 bytes: the block's (thin) `Arc`, the value's
/// length, where it starts in the block (and whether it is shaped) in three bytes, and the
/// header it came from (a byte of few values: `sip::Auth` keeps one value, or an error, or
/// a shared list, in 16 bytes too).
#[derive(Clone)]
pub struct PackedAuth {
    block: Arc<Block>,
    len: u32,
    /// Where it starts in the block (less than [`BLOB_BLOCK`]: 18 bits), little-endian, and
    /// [`SHAPED`] in the top bit.
    at: [u8; 3],
    source: Source,
}

/// The flag of a shaped value in [`PackedAuth::at`].
const SHAPED: u32 = 1 << 23;

/// The header a packed value came from, as the message record that keeps it says (see
/// [`PackedAuth::with_source`]; a value packed on its own says `Authorization`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Source {
    #[default]
    Authorization,
    ProxyAuthorization,
    WwwAuthenticate,
    ProxyAuthenticate,
}

/// Same scheme and parameters (names as written, values, quoting), however each is stored.
impl PartialEq for PackedAuth {
    fn eq(&self, other: &PackedAuth) -> bool {
        if !self.is_shaped() && !other.is_shaped() {
            return self.blob() == other.blob();
        }
        self.scheme() == other.scheme() && self.params().eq(other.params())
    }
}

impl Eq for PackedAuth {}

/// Bytes of one block of packed values.
const BLOB_BLOCK: usize = 256 * 1024;

const _: () = assert!(BLOB_BLOCK < SHAPED as usize);

/// Blocks alive in the process (made and not yet dropped), for the tests and the timings.
static LIVE_BLOCKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The text of the packed values of one block, set once when the block is frozen (see
/// [`Blocks::seal`]); a value is read only after that. Its shaped values' shapes are in
/// `shapes` (the dictionary of the analysis, kept alive by its blocks).
pub struct Block {
    text: OnceLock<Box<str>>,
    shapes: Option<Arc<Shapes>>,
}

impl Block {
    fn new(shapes: Option<Arc<Shapes>>) -> Block {
        LIVE_BLOCKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Block {
            text: OnceLock::new(),
            shapes,
        }
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        LIVE_BLOCKS.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let bytes = self.text.get().map_or(0, |t| t.len());
        LIVE_BLOCK_BYTES.fetch_sub(bytes, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Blocks of packed values alive in the process (every [`PackedAuth`] keeps its own alive).
pub fn live_blocks() -> usize {
    LIVE_BLOCKS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Bytes of packed values in the sealed blocks alive in the process (for the measurements).
static LIVE_BLOCK_BYTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Bytes of text of the sealed blocks of packed values alive in the process.
pub fn live_block_bytes() -> usize {
    LIVE_BLOCK_BYTES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Dictionaries of shapes alive in the process, and the bytes of their shapes' text.
static LIVE_DICTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static LIVE_SHAPE_BYTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Dictionaries of shapes (one per analysis) alive in the process: each is kept by the
/// scanners of its analysis and by the blocks of its values, and freed with the last.
pub fn live_auth_dicts() -> usize {
    LIVE_DICTS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Bytes of the text of the shapes of the dictionaries alive in the process.
pub fn live_shape_bytes() -> usize {
    LIVE_SHAPE_BYTES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Shapes in the first part of a dictionary's places; each next part holds twice as many.
const FIRST_SHAPES: usize = 64;
/// Parts of places: room for more than [`MAX_SHAPES`].
const SHAPE_PARTS: usize = 17;
/// Shapes one dictionary holds at most (values past that are packed whole).
const MAX_SHAPES: usize = 1 << 22;
/// Shapes a dictionary makes before it checks that they repeat: past that, a new shape is
/// made only while the dictionary has at most one for every [`VALUES_PER_SHAPE`] values
/// shaped (a shape that is not used again costs more than the value packed whole; a
/// capture whose shapes do not repeat, as with an opaque of its own in every challenge,
/// then packs its values whole, as before the dictionary).
const FREE_SHAPES: usize = 4096;
const VALUES_PER_SHAPE: u64 = 4;
/// A value longer than this is never part of a shape (a giant realm of every message would
/// fill the dictionary).
const SHAPE_VALUE_MAX: usize = 128;

/// The shapes of one analysis by number, readable without a lock while new ones are added
/// (each place is set once, before its number is handed out; the parts never move). Our
/// own small type: the requested crates have no append-only table, and the interner's is
/// for the life of the process.
pub struct Shapes {
    parts: [OnceLock<ShapePart>; SHAPE_PARTS],
}

/// The places of one part of a [`Shapes`].
type ShapePart = Box<[OnceLock<Arc<str>>]>;

impl Shapes {
    fn new() -> Shapes {
        LIVE_DICTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Shapes {
            parts: [const { OnceLock::new() }; SHAPE_PARTS],
        }
    }

    /// Part and place in it of shape `i`.
    fn place(i: usize) -> (usize, usize) {
        let part = (i / FIRST_SHAPES + 1).ilog2() as usize;
        (part, i - FIRST_SHAPES * ((1 << part) - 1))
    }

    fn get(&self, i: usize) -> &str {
        let (part, at) = Shapes::place(i);
        self.parts[part]
            .get()
            .and_then(|p| p[at].get())
            .expect("a shape is set before its number is handed out")
    }

    fn set(&self, i: usize, s: Arc<str>) {
        let (part, at) = Shapes::place(i);
        let places = self.parts[part]
            .get_or_init(|| (0..FIRST_SHAPES << part).map(|_| OnceLock::new()).collect());
        LIVE_SHAPE_BYTES.fetch_add(s.len(), std::sync::atomic::Ordering::Relaxed);
        let _ = places[at].set(s);
    }
}

impl Drop for Shapes {
    fn drop(&mut self) {
        LIVE_DICTS.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let bytes: usize = (self.parts.iter().filter_map(OnceLock::get))
            .flat_map(|p| p.iter().filter_map(OnceLock::get))
            .map(|s| s.len())
            .sum();
        LIVE_SHAPE_BYTES.fetch_sub(bytes, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The dictionary of shapes of one analysis, shared by its scanners (see
/// [`Blocks::sharing`]): one copy of each shape for the scanning threads. Its table of
/// numbers is dropped with the last scanner; the shapes live on in the blocks that use them.
#[derive(Clone)]
pub struct AuthDict(Arc<DictShared>);

struct DictShared {
    shapes: Arc<Shapes>,
    ids: Mutex<DictIds>,
}

#[derive(Default)]
struct DictIds {
    by_text: super::intern::FxHashMap<Arc<str>, u32>,
    /// Values shaped so far (told by the scanners when they look a shape up here).
    values: u64,
}

impl Default for AuthDict {
    fn default() -> AuthDict {
        AuthDict(Arc::new(DictShared {
            shapes: Arc::new(Shapes::new()),
            ids: Mutex::default(),
        }))
    }
}

impl AuthDict {
    /// The number of `shape`, made when it is new and the dictionary has room (see
    /// [`FREE_SHAPES`]); `values` shaped since the caller last asked.
    fn id_of(&self, shape: &str, values: u64) -> Option<u32> {
        let mut ids = self.0.ids.lock().unwrap_or_else(|e| e.into_inner());
        ids.values += values;
        if let Some(&id) = ids.by_text.get(shape) {
            return Some(id);
        }
        let n = ids.by_text.len();
        let repeats = n < FREE_SHAPES || (n as u64) * VALUES_PER_SHAPE <= ids.values;
        if n >= MAX_SHAPES || !repeats {
            return None;
        }
        let text: Arc<str> = shape.into();
        self.0.shapes.set(n, Arc::clone(&text));
        ids.by_text.insert(text, n as u32);
        Some(n as u32)
    }

    /// Shapes in it.
    pub fn len(&self) -> usize {
        self.0
            .ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .by_text
            .len()
    }

    /// Whether it has no shape yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its shapes (for the tests that check a dictionary is freed with the analysis).
    pub fn shapes(&self) -> std::sync::Weak<Shapes> {
        Arc::downgrade(&self.0.shapes)
    }
}

/// Where a scanner packs its values: the block being filled (its text in `buf`, a buffer
/// reused from one block to the next) until [`Blocks::seal`] freezes it, and the shapes
/// it uses: none (every value packed whole) until it is given a dictionary
/// ([`Blocks::dict`], [`Blocks::sharing`]; an analysis gives its scanners one).
#[derive(Default)]
pub struct Blocks {
    open: Option<Arc<Block>>,
    buf: String,
    dict: Option<AuthDict>,
    /// The shapes this scanner used most of late (by the hash of their text, and their
    /// numbers: no lock when one comes back), and the values shaped since it last asked the
    /// dictionary. The others are found in the dictionary's table, under its lock (a table
    /// of its own per scanner cost more memory than the lock costs time).
    recent: [Option<(u64, u32)>; RECENT_SHAPES],
    shaped: u64,
    /// Where the nonces of the open block's shaped values are in it (by the hash of their
    /// text): a later value with the same nonce (the request answering a challenge, a
    /// retransmission) points there instead of holding it again.
    nonces: super::intern::FxHashMap<u64, (u32, u32)>,
}

impl Blocks {
    /// Blocks whose values are shaped, with a dictionary of their own.
    pub fn shaped() -> Blocks {
        Blocks {
            dict: Some(AuthDict::default()),
            ..Blocks::default()
        }
    }

    /// Its dictionary of shapes (a new one when it had none: the values packed from now on
    /// are shaped).
    pub fn dict(&mut self) -> AuthDict {
        self.dict.get_or_insert_with(AuthDict::default).clone()
    }

    /// Pack the values from now on with the shapes of `dict` (another scanner's of the same
    /// analysis); the values packed so far are sealed.
    pub fn sharing(&mut self, dict: &AuthDict) {
        self.seal();
        self.recent = Default::default();
        self.dict = Some(dict.clone());
    }

    /// `s` appended to the open block (a new one when it does not fit).
    fn keep(&mut self, s: &str, shaped: bool) -> PackedAuth {
        if self.open.is_some() && self.buf.len() + s.len() > BLOB_BLOCK {
            self.seal();
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve(BLOB_BLOCK);
        }
        let dict = &self.dict;
        let block = self
            .open
            .get_or_insert_with(|| {
                Arc::new(Block::new(dict.as_ref().map(|d| Arc::clone(&d.0.shapes))))
            })
            .clone();
        let at = self.buf.len() as u32 | if shaped { SHAPED } else { 0 };
        self.buf.push_str(s);
        let [a, b, c, _] = at.to_le_bytes();
        PackedAuth {
            block,
            at: [a, b, c],
            len: u32::try_from(s.len()).expect("a value is less than 4 GiB"),
            source: Source::default(),
        }
    }

    /// The number of the shape `shape` in the dictionary, if it has one (or room for it).
    fn shape_id(&mut self, shape: &str) -> Option<u32> {
        let dict = self.dict.as_ref()?;
        let hash = hash_of(shape);
        self.shaped += 1;
        let same = |id: u32| dict.0.shapes.get(id as usize) == shape;
        // The shapes used most of late first (a server's challenges share one): no lock, no
        // look in a table that is seldom in the processor's cache. One found moves up a
        // place; one not found takes the last place.
        let found = (self.recent.iter().enumerate())
            .find_map(|(i, r)| r.filter(|&(h, id)| h == hash && same(id)).map(|r| (i, r.1)));
        if let Some((i, id)) = found {
            self.recent.swap(i, i.saturating_sub(1));
            return Some(id);
        }
        let id = dict.id_of(shape, std::mem::take(&mut self.shaped))?;
        self.recent[RECENT_SHAPES - 1] = Some((hash, id));
        Some(id)
    }

    /// Where `nonce` (hashed `hash`) is in the open block, when a value packed into it has
    /// it and `more` bytes still fit in it.
    fn nonce_in_block(&self, nonce: &str, hash: u64, more: usize) -> Option<(u32, u32)> {
        let fits = self.open.is_some() && self.buf.len() + more <= BLOB_BLOCK;
        let (at, len) = *self.nonces.get(&hash).filter(|_| fits)?;
        let same = self.buf.get(at as usize..(at + len) as usize) == Some(nonce);
        same.then_some((at, len))
    }

    /// Freeze the open block: the values packed so far can be read (a copy of their text at
    /// its exact size; the buffer stays for the next block).
    pub fn seal(&mut self) {
        if let Some(block) = self.open.take() {
            LIVE_BLOCK_BYTES.fetch_add(self.buf.len(), std::sync::atomic::Ordering::Relaxed);
            let _ = block.text.set(self.buf.as_str().into());
            self.buf.clear();
        }
        self.nonces.clear();
        if self.buf.capacity() > BLOB_BLOCK {
            self.buf = String::new();
        }
    }

    /// Values packed and not sealed yet.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

/// Shapes a [`Blocks`] tries before its table (see [`Blocks::shape_id`]).
const RECENT_SHAPES: usize = 4;

fn hash_of(s: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = super::intern::FxBuild::default().build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

/// Parameter names stored as their number in the table of a [`PackedAuth`] (1-based), when
/// written exactly so (any other spelling keeps its text). At most 31.
const KNOWN_NAMES: &[&str] = &[
    "username",
    "realm",
    "nonce",
    "uri",
    "response",
    "algorithm",
    "qop",
    "nc",
    "cnonce",
    "opaque",
    "stale",
    "domain",
    "userhash",
    "username*",
];

/// The known names whose values are never part of a shape: they change from one message
/// to the next (the numbers of "nonce", "response", "nc", "cnonce" in [`KNOWN_NAMES`]).
const OWN_VALUES: [usize; 4] = [NONCE, 5, 8, 9];
/// The number of "nonce": a shaped value's own nonce is its length plus one then its text,
/// or 0 then where the same text is in the block and its length (see
/// [`Blocks::nonce_in_block`]).
const NONCE: usize = 3;

/// The quoted flag in a parameter's first table byte (the known name's number below it).
const QUOTED: u8 = 0x20;
/// The "one more byte follows" bit of a table number.
const MORE: u8 = 0x40;
/// In a shape's table, the flag of a parameter whose value is the packed value's own.
const OWN: u8 = 0x40;

fn put_num(out: &mut String, mut n: usize) {
    loop {
        let low = (n & 0x3f) as u8;
        n >>= 6;
        out.push(char::from(if n == 0 { low } else { low | MORE }));
        if n == 0 {
            return;
        }
    }
}

fn num_len(mut n: usize) -> usize {
    let mut k = 1;
    while n >= 0x40 {
        n >>= 6;
        k += 1;
    }
    k
}

/// The number at `*at` of the table; `*at` moves past it.
#[inline]
fn take_num(b: &[u8], at: &mut usize) -> usize {
    let mut n = 0;
    let mut shift = 0;
    loop {
        let x = b[*at];
        *at += 1;
        n |= usize::from(x & 0x3f) << shift;
        if x & MORE == 0 {
            return n;
        }
        shift += 6;
    }
}

/// (where the text starts, the scheme's length, the number of parameters, where the
/// parameters' table entries start) of a value packed whole or of a shape.
#[inline]
fn layout(b: &[u8]) -> (usize, usize, usize, usize) {
    let mut at = 0;
    let text = take_num(b, &mut at);
    let scheme = take_num(b, &mut at);
    let n = take_num(b, &mut at);
    (text, scheme, n, at)
}

/// The parameters of a value packed whole (`own` empty) or of a shape and the value's own
/// values (`own`: each after its length), as (name, value, quoted), in order.
struct Params<'a> {
    main: &'a str,
    own: &'a str,
    /// The text of the block of a shaped value (its nonce may be an earlier one's).
    block: &'a str,
    /// Where the next entry of `main`'s table is, and the next text of `main` and `own`.
    at: usize,
    pos: usize,
    own_at: usize,
    left: usize,
}

impl<'a> Params<'a> {
    #[inline]
    fn new(main: &'a str, own: &'a str, block: &'a str) -> Params<'a> {
        let (text, scheme, left, at) = layout(main.as_bytes());
        Params {
            main,
            own,
            block,
            at,
            pos: text + scheme,
            own_at: 0,
            left,
        }
    }
}

impl<'a> Iterator for Params<'a> {
    type Item = (&'a str, &'a str, bool);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let b = self.main.as_bytes();
        let h = b[self.at];
        self.at += 1;
        let code = usize::from(h & (QUOTED - 1));
        let name = if code == 0 {
            let len = take_num(b, &mut self.at);
            self.pos += len;
            &self.main[self.pos - len..self.pos]
        } else {
            KNOWN_NAMES[code - 1]
        };
        let value = if h & OWN != 0 {
            let b = self.own.as_bytes();
            let mut len = take_num(b, &mut self.own_at);
            if code == NONCE {
                if len == 0 {
                    let at = take_num(b, &mut self.own_at);
                    let len = take_num(b, &mut self.own_at);
                    return Some((name, &self.block[at..at + len], h & QUOTED != 0));
                }
                len -= 1;
            }
            self.own_at += len;
            &self.own[self.own_at - len..self.own_at]
        } else {
            let len = take_num(b, &mut self.at);
            self.pos += len;
            &self.main[self.pos - len..self.pos]
        };
        Some((name, value, h & QUOTED != 0))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl PackedAuth {
    /// The packed text (its block frozen: see [`Blocks::seal`]).
    fn blob(&self) -> &str {
        let text = self.block_text();
        let at = self.at();
        &text[at..at + self.len as usize]
    }

    /// The text of its block.
    fn block_text(&self) -> &str {
        self.block
            .text
            .get()
            .expect("a packed value is read once its block is sealed")
    }

    /// Where it starts in its block.
    fn at(&self) -> usize {
        (u32::from_le_bytes([self.at[0], self.at[1], self.at[2], 0]) & !SHAPED) as usize
    }

    /// Whether its shape is in a dictionary (for the tests and the measurements).
    pub fn is_shaped(&self) -> bool {
        self.at[2] & (SHAPED >> 16) as u8 != 0
    }

    /// Its block (for the tests that check blocks are freed).
    #[cfg(test)]
    pub(crate) fn block(&self) -> std::sync::Weak<Block> {
        Arc::downgrade(&self.block)
    }

    /// The dictionary of its block (for the tests that check it is freed).
    pub fn shapes(&self) -> Option<std::sync::Weak<Shapes>> {
        self.block.shapes.as_ref().map(Arc::downgrade)
    }

    /// The header it came from, as the record that keeps it said.
    pub fn source(&self) -> Source {
        self.source
    }

    /// The same value, from header `source`.
    pub fn with_source(self, source: Source) -> PackedAuth {
        PackedAuth { source, ..self }
    }

    /// The table and text of the value packed whole, or its shape and its own values (and
    /// the text of its block).
    #[inline]
    fn parts(&self) -> (&str, &str, &str) {
        let blob = self.blob();
        if !self.is_shaped() {
            return (blob, "", "");
        }
        let mut at = 0;
        let id = take_num(blob.as_bytes(), &mut at);
        let shapes = self
            .block
            .shapes
            .as_ref()
            .expect("a shaped value's block has the shapes");
        (shapes.get(id), &blob[at..], self.block_text())
    }

    /// The parameters as (name, value, quoted), in order.
    #[inline]
    pub fn params(&self) -> impl Iterator<Item = (&str, &str, bool)> + '_ {
        let (main, own, block) = self.parts();
        Params::new(main, own, block)
    }

    /// The first parameter with this name, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params()
            .find(|(n, ..)| n.len() == name.len() && !n.is_empty() && n.eq_ignore_ascii_case(name))
            .map(|(_, v, _)| v)
    }

    pub fn scheme(&self) -> &str {
        let main = self.parts().0;
        let (text, scheme, ..) = layout(main.as_bytes());
        &main[text..text + scheme]
    }

    fn scheme_str(&self) -> &str {
        self.scheme()
    }

    /// The parse result again (for `verify`, which works on [`AuthValue`]s).
    pub fn unpack(&self) -> AuthValue {
        AuthValue {
            scheme: self.scheme().to_string(),
            params: self
                .params()
                .map(|(name, value, quoted)| Param {
                    name: name.to_string(),
                    value: value.to_string(),
                    quoted,
                })
                .collect(),
        }
    }

    auth_accessors!();
}

impl std::fmt::Debug for PackedAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PackedAuth")
            .field("scheme", &self.scheme())
            .field("params", &self.params().collect::<Vec<_>>())
            .finish()
    }
}

/// Builds a [`PackedAuth`] as the tokenizer reads it.
struct Packer {
    /// The scheme, then each parameter's name (when not known) and value (when not its own).
    text: String,
    /// The parameters' table entries.
    table: String,
    /// Shaped: the values of its own, each after its length (see [`PackedAuth`]).
    own: Option<String>,
    /// Where its first nonce's entry is in `own` (its length's first byte), and its length.
    nonce: Option<(usize, usize)>,
    params: usize,
    scheme_len: usize,
}

/// The building buffers of a [`Packer`]: text, table, own values, the packed value.
type Buffers = (String, String, String, String);

thread_local! {
    /// The building buffers of the last [`Packer`] of this thread, handed to the next one:
    /// packing a value allocates only the packed value itself (a scan packs millions).
    static SCRATCH: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

impl Packer {
    /// A value of `scheme`, shaped or packed whole.
    fn new(scheme: &str, room: usize, shaped: bool) -> Packer {
        let (mut text, mut table, mut own, blob) =
            SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        SCRATCH.with(|s| s.borrow_mut().3 = blob);
        text.clear();
        table.clear();
        own.clear();
        text.reserve(room);
        text.push_str(scheme);
        Packer {
            scheme_len: text.len(),
            text,
            table,
            own: shaped.then_some(own),
            nonce: None,
            params: 0,
        }
    }

    fn param(&mut self, name: &str, value: &str, quoted: bool) {
        let code = KNOWN_NAMES
            .iter()
            .position(|k| *k == name)
            .map_or(0, |i| i + 1);
        let flag = if quoted { QUOTED } else { 0 };
        // Its own value: a name that changes per message, one not known, or a long value.
        let own = self
            .own
            .as_mut()
            .filter(|_| code == 0 || OWN_VALUES.contains(&code) || value.len() > SHAPE_VALUE_MAX);
        let own_flag = if own.is_some() { OWN } else { 0 };
        self.table.push(char::from(code as u8 | flag | own_flag));
        if code == 0 {
            put_num(&mut self.table, name.len());
            self.text.push_str(name);
        }
        match own {
            Some(own) if code == NONCE => {
                if self.nonce.is_none() {
                    self.nonce = Some((own.len(), value.len()));
                }
                put_num(own, value.len() + 1);
                own.push_str(value);
            }
            Some(own) => {
                put_num(own, value.len());
                own.push_str(value);
            }
            None => {
                put_num(&mut self.table, value.len());
                self.text.push_str(value);
            }
        }
        self.params += 1;
    }

    /// The table and text (a value packed whole, or a shape) into `out`.
    fn write_main(&self, out: &mut String) {
        let rest = num_len(self.scheme_len) + num_len(self.params) + self.table.len();
        // Where the text starts counts the bytes of its own number.
        let mut start = rest + 1;
        while num_len(start) + rest != start {
            start = num_len(start) + rest;
        }
        out.clear();
        put_num(out, start);
        put_num(out, self.scheme_len);
        put_num(out, self.params);
        out.push_str(&self.table);
        debug_assert_eq!(out.len(), start);
        out.push_str(&self.text);
    }

    /// The packed value, copied into the open block of `blocks` at its exact size (the
    /// building buffers go back to this thread's scratch for the next value).
    fn finish(self, blocks: &mut Blocks) -> PackedAuth {
        let mut blob = SCRATCH.with(|s| std::mem::take(&mut s.borrow_mut().3));
        self.write_main(&mut blob);
        let packed = match &self.own {
            Some(own) => match blocks.shape_id(&blob) {
                Some(id) => {
                    blob.clear();
                    put_num(&mut blob, id as usize);
                    Packer::own_into(own, self.nonce, &mut blob, blocks)
                }
                None => {
                    // No room for its shape: packed whole.
                    let mut whole = Packer::new(&self.text[..self.scheme_len], 0, false);
                    for (name, value, quoted) in Params::new(&blob, own, "") {
                        whole.param(name, value, quoted);
                    }
                    whole.write_main(&mut blob);
                    blocks.keep(&blob, false)
                }
            },
            None => blocks.keep(&blob, false),
        };
        SCRATCH.with(|s| {
            *s.borrow_mut() = (self.text, self.table, self.own.unwrap_or_default(), blob)
        });
        packed
    }
}

impl Packer {
    /// A shaped value: `blob` (its shape's number) then its own values, its nonce pointing to
    /// the same text in the open block when a value there has it (else where later values
    /// find it), into `blocks`.
    fn own_into(
        own: &str,
        nonce: Option<(usize, usize)>,
        blob: &mut String,
        blocks: &mut Blocks,
    ) -> PackedAuth {
        let Some((entry, len)) = nonce else {
            blob.push_str(own);
            return blocks.keep(blob, true);
        };
        let text_at = entry + num_len(len + 1);
        let text = &own[text_at..text_at + len];
        let id_len = blob.len();
        let reference = |at: u32| 1 + num_len(at as usize) + num_len(len);
        let fits = |at| blob.len() + own.len() - (num_len(len + 1) + len) + reference(at);
        let hash = hash_of(text);
        if let Some((at, _)) = blocks.nonce_in_block(text, hash, fits(BLOB_BLOCK as u32)) {
            blob.push_str(&own[..entry]);
            put_num(blob, 0);
            put_num(blob, at as usize);
            put_num(blob, len);
            blob.push_str(&own[text_at + len..]);
            return blocks.keep(blob, true);
        }
        blob.push_str(own);
        let packed = blocks.keep(blob, true);
        let at = packed.at() + id_len + text_at;
        if let (Ok(at), Ok(len)) = (u32::try_from(at), u32::try_from(len)) {
            blocks.nonces.insert(hash, (at, len));
        }
        packed
    }
}

impl From<&AuthValue> for PackedAuth {
    fn from(v: &AuthValue) -> Self {
        let mut p = Packer::new(&v.scheme, 0, false);
        for q in &v.params {
            p.param(&q.name, &q.value, q.quoted);
        }
        let mut blocks = Blocks::default();
        let packed = p.finish(&mut blocks);
        blocks.seal();
        packed
    }
}

/// What the tokenizer hands its values to: a list of [`AuthValue`]s, or packed values
/// straight away (no String per parameter on the way).
trait Sink {
    fn value(&mut self, scheme: &str);
    fn param(&mut self, name: &str, value: &str, quoted: bool);
}

impl Sink for Vec<AuthValue> {
    fn value(&mut self, scheme: &str) {
        self.push(AuthValue {
            scheme: scheme.to_string(),
            params: Vec::new(),
        });
    }
    fn param(&mut self, name: &str, value: &str, quoted: bool) {
        if let Some(v) = self.last_mut() {
            v.params.push(Param {
                name: name.to_string(),
                value: value.to_string(),
                quoted,
            });
        }
    }
}

/// Packs each value as it is read into `out`.
struct PackSink<'o> {
    out: &'o mut Vec<PackedAuth>,
    blocks: &'o mut Blocks,
    current: Option<Packer>,
    room: usize,
}

impl Sink for PackSink<'_> {
    fn value(&mut self, scheme: &str) {
        if let Some(p) = self.current.take() {
            self.out.push(p.finish(self.blocks));
        }
        let shaped = self.blocks.dict.is_some();
        self.current = Some(Packer::new(scheme, self.room, shaped));
    }
    fn param(&mut self, name: &str, value: &str, quoted: bool) {
        if let Some(p) = self.current.as_mut() {
            p.param(name, value, quoted);
        }
    }
}

/// Parse a challenge header value into packed challenges (a value that does not parse gives
/// none, as every reader of challenges skipped it).
pub fn pack_challenges(value: &str) -> Vec<PackedAuth> {
    pack_challenges_capped(value).0
}

/// [`pack_challenges`], and whether the value held more than [`MAX_CHALLENGES_PER_HEADER`]
/// challenges (only the first ones are read), from one parse.
pub fn pack_challenges_capped(value: &str) -> (Vec<PackedAuth>, bool) {
    let mut out = Vec::new();
    let mut blocks = Blocks::default();
    let over = pack_challenges_into(value, &mut out, &mut blocks);
    blocks.seal();
    (out, over)
}

/// [`pack_challenges_capped`] appending to `out` (nothing when the value does not parse),
/// packed into `blocks` (readable once they are sealed); true when the value held more
/// than [`MAX_CHALLENGES_PER_HEADER`] challenges.
pub fn pack_challenges_into(value: &str, out: &mut Vec<PackedAuth>, blocks: &mut Blocks) -> bool {
    let before = out.len();
    let mut sink = PackSink {
        out,
        blocks,
        current: None,
        room: value.len().min(256),
    };
    match parse_into(value, &mut sink) {
        Ok((_, over)) => {
            if let Some(p) = sink.current.take() {
                sink.out.push(p.finish(sink.blocks));
            }
            over
        }
        Err(_) => {
            sink.out.truncate(before);
            false
        }
    }
}

/// Parse a credentials header value into a packed value.
pub fn pack_credentials(value: &str) -> Result<PackedAuth, AuthError> {
    let mut blocks = Blocks::default();
    let packed = pack_credentials_in(value, &mut blocks);
    blocks.seal();
    packed
}

/// [`pack_credentials`] into `blocks` (readable once they are sealed).
pub fn pack_credentials_in(value: &str, blocks: &mut Blocks) -> Result<PackedAuth, AuthError> {
    let mut out = Vec::new();
    let mut sink = PackSink {
        out: &mut out,
        blocks,
        current: None,
        room: value.len(),
    };
    let (count, _) = parse_into(value, &mut sink)?;
    credentials_count(count)?;
    let current = sink.current.take();
    current
        .map(|p| p.finish(sink.blocks))
        .ok_or_else(|| credentials_count(0).unwrap_err())
}

/// Credentials are exactly one value.
fn credentials_count(n: usize) -> Result<(), AuthError> {
    match n {
        1 => Ok(()),
        0 => Err(AuthError {
            offset: 0,
            what: "empty credentials".into(),
        }),
        _ => Err(AuthError {
            offset: 0,
            what: format!("{n} credentials in one header value (expected one)"),
        }),
    }
}

/// Decode an RFC 8187 ext-value: `charset "'" [ language ] "'" value-chars` where
/// value-chars are attr-chars and `%XX`. UTF-8 and ISO-8859-1 are supported (the two RFC 8187
/// requires); anything else, or a bad escape, gives `None`.
pub fn decode_ext_value(ext: &str) -> Option<String> {
    let mut parts = ext.splitn(3, '\'');
    let charset = parts.next()?;
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let mut bytes = Vec::with_capacity(encoded.len());
    let raw = encoded.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'%' => {
                let hi = hex_val(*raw.get(i + 1)?)?;
                let lo = hex_val(*raw.get(i + 2)?)?;
                bytes.push(hi << 4 | lo);
                i += 3;
            }
            b => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.iter().map(|&b| b as char).collect())
    } else {
        None
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// RFC 3261 section 25.1 token characters.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.' | '!' | '%' | '*' | '_' | '+' | '`' | '\'' | '~'
        )
}

struct Scanner<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn err(&self, offset: usize, what: impl Into<String>) -> AuthError {
        AuthError {
            offset,
            what: what.into(),
        }
    }

    /// The character at `self.pos` (an ASCII byte read as it is: no UTF-8 decoding for
    /// nearly every character of an auth value).
    fn peek(&self) -> Option<char> {
        match self.s.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.s[self.pos..].chars().next(),
            None => None,
        }
    }

    fn peek_at(&self, at: usize) -> Option<char> {
        match self.s.as_bytes().get(at) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.s.get(at..).and_then(|r| r.chars().next()),
            None => None,
        }
    }

    /// Skip SWS: spaces, tabs and folded line breaks (CRLF or LF followed by SP/HTAB).
    /// A line break not followed by white space is an error: the header ended there.
    fn skip_ws(&mut self) -> Result<bool, AuthError> {
        let start = self.pos;
        loop {
            match self.peek() {
                Some(' ') | Some('\t') => self.pos += 1,
                Some('\r') | Some('\n') => {
                    let brk = self.pos;
                    let mut p = self.pos;
                    if self.peek_at(p) == Some('\r') {
                        p += 1;
                    }
                    if self.peek_at(p) == Some('\n') {
                        p += 1;
                    }
                    match self.peek_at(p) {
                        Some(' ') | Some('\t') => self.pos = p,
                        // A trailing line end at the very end of the value is harmless.
                        None => self.pos = p,
                        _ => return Err(self.err(brk, "line break not followed by white space")),
                    }
                }
                _ => break,
            }
        }
        Ok(self.pos > start)
    }

    fn token(&mut self) -> &'a str {
        let start = self.pos;
        // Token characters are ASCII: a run of bytes.
        let run = self.s.as_bytes()[start..]
            .iter()
            .take_while(|&&b| is_token_char(char::from(b)))
            .count();
        self.pos += run;
        &self.s[start..self.pos]
    }

    /// A quoted-string; the opening quote is at `self.pos`.
    fn quoted(&mut self) -> Result<Cow<'a, str>, AuthError> {
        let open = self.pos;
        self.pos += 1;
        // Borrowed while no escape or fold needs the value rewritten.
        let plain = self.s[self.pos..]
            .find(|c: char| matches!(c, '"' | '\\' | '\r' | '\n') || (c.is_control() && c != '\t'));
        if let Some(end) = plain.map(|e| self.pos + e)
            && self.s.as_bytes()[end] == b'"'
        {
            let v = &self.s[self.pos..end];
            self.pos = end + 1;
            return Ok(Cow::Borrowed(v));
        }
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err(open, "unterminated quoted string"));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                '\\' => {
                    let at = self.pos;
                    self.pos += 1;
                    match self.peek() {
                        None => return Err(self.err(open, "unterminated quoted string")),
                        Some('\r') | Some('\n') => {
                            return Err(self.err(at, "line break after a backslash"));
                        }
                        Some(e) => {
                            out.push(e);
                            self.pos += e.len_utf8();
                        }
                    }
                }
                '\r' | '\n' => {
                    // qdtext allows LWS: a folded line counts as one space.
                    let brk = self.pos;
                    let mut p = self.pos;
                    if self.peek_at(p) == Some('\r') {
                        p += 1;
                    }
                    if self.peek_at(p) == Some('\n') {
                        p += 1;
                    }
                    if !matches!(self.peek_at(p), Some(' ') | Some('\t')) {
                        return Err(self.err(brk, "line break inside a quoted string"));
                    }
                    while matches!(self.peek_at(p), Some(' ') | Some('\t')) {
                        p += 1;
                    }
                    self.pos = p;
                    out.push(' ');
                }
                c if c.is_control() && c != '\t' => {
                    return Err(self.err(self.pos, "control character inside a quoted string"));
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// An unquoted value: everything up to white space or a comma. Tolerant on purpose
    /// (`nonce=abc/def==` is seen in the field), but a quote inside is an error.
    fn bare_value(&mut self) -> Result<&'a str, AuthError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            match c {
                ',' | ' ' | '\t' | '\r' | '\n' => break,
                '"' => return Err(self.err(self.pos, "unexpected quote inside a value")),
                c if c.is_control() => {
                    return Err(self.err(self.pos, "control character inside a value"));
                }
                c => self.pos += c.len_utf8(),
            }
        }
        Ok(&self.s[start..self.pos])
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// Skip commas (and the white space around them); true if at least one was seen.
    fn skip_commas(&mut self) -> Result<bool, AuthError> {
        let mut seen = false;
        loop {
            self.skip_ws()?;
            if self.peek() == Some(',') {
                self.pos += 1;
                seen = true;
            } else {
                return Ok(seen);
            }
        }
    }
}

/// Parse a `WWW-Authenticate` / `Proxy-Authenticate` value: one or several challenges.
pub fn parse_challenges(value: &str) -> Result<Vec<AuthValue>, AuthError> {
    parse_values(value)
}

/// Parse an `Authorization` / `Proxy-Authorization` value: exactly one credentials value.
pub fn parse_credentials(value: &str) -> Result<AuthValue, AuthError> {
    let mut all = parse_values(value)?;
    match all.len() {
        1 => Ok(all.remove(0)),
        0 => Err(AuthError {
            offset: 0,
            what: "empty credentials".into(),
        }),
        _ => Err(AuthError {
            offset: 0,
            what: format!(
                "{} credentials in one header value (expected one)",
                all.len()
            ),
        }),
    }
}

/// True when `value` holds more than [`MAX_CHALLENGES_PER_HEADER`] challenges (only the first
/// ones are read by [`parse_challenges`]). Reads at most that many, so it is cheap however
/// many there are.
pub fn challenges_over_limit(value: &str) -> bool {
    parse_values_capped(value).is_ok_and(|(_, over)| over)
}

fn parse_values(value: &str) -> Result<Vec<AuthValue>, AuthError> {
    parse_values_capped(value).map(|(v, _)| v)
}

/// Parse up to [`MAX_CHALLENGES_PER_HEADER`] values; the flag says more followed (not read).
fn parse_values_capped(value: &str) -> Result<(Vec<AuthValue>, bool), AuthError> {
    let mut out: Vec<AuthValue> = Vec::new();
    let (_, over) = parse_into(value, &mut out)?;
    Ok((out, over))
}

/// The tokenizer: up to [`MAX_CHALLENGES_PER_HEADER`] values into `out`; (values read, more
/// followed). On an error `out` may hold part of the values.
fn parse_into(value: &str, out: &mut dyn Sink) -> Result<(usize, bool), AuthError> {
    let mut sc = Scanner { s: value, pos: 0 };
    let mut count = 0;
    sc.skip_commas()?;
    if sc.at_end() {
        return Err(sc.err(0, "empty header value"));
    }
    // The first item must be a scheme.
    let mut scheme_at = sc.pos;
    let mut scheme = sc.token();
    loop {
        if scheme.is_empty() {
            return Err(sc.err(scheme_at, "expected an authentication scheme"));
        }
        // RFC 7235 2.1: the scheme is followed by 1*SP then params (or a token68), or ends.
        let had_ws = sc.skip_ws()?;
        let is_digest = scheme.eq_ignore_ascii_case("digest");
        let mut params = 0usize;
        out.value(scheme);
        if sc.peek() == Some('=') {
            return Err(sc.err(
                scheme_at,
                "expected an authentication scheme, found a parameter",
            ));
        }
        if !had_ws && !sc.at_end() && sc.peek() != Some(',') {
            return Err(sc.err(sc.pos, "expected white space after the scheme"));
        }
        let mut next_scheme: Option<(usize, &str)> = None;
        let mut first = true;
        loop {
            sc.skip_ws()?;
            if sc.at_end() {
                break;
            }
            let item_at = sc.pos;
            let name = sc.token();
            if name.is_empty() {
                if sc.peek() == Some(',') {
                    sc.skip_commas()?;
                    first = false;
                    continue;
                }
                let what = match sc.peek() {
                    Some('"') => "quoted string where a parameter name was expected",
                    Some('=') => "parameter without a name",
                    _ => "unexpected character",
                };
                return Err(sc.err(item_at, what));
            }
            let name_end = sc.pos;
            let ws_after_name = sc.skip_ws()?;
            if sc.peek() == Some('=') {
                // name=value, or a token68 such as `abc==` right after the scheme.
                let eq_at = sc.pos;
                let mut p = sc.pos;
                while sc.peek_at(p) == Some('=') {
                    p += 1;
                }
                let token68_end = {
                    let mut q = p;
                    while matches!(sc.peek_at(q), Some(' ') | Some('\t')) {
                        q += 1;
                    }
                    matches!(sc.peek_at(q), None | Some(','))
                };
                if first && !is_digest && token68_end && p - eq_at > 1 {
                    // `Basic dXNlcg==`: padding only, no value: a token68.
                    sc.pos = p;
                    out.param("", &value[item_at..p], false);
                } else {
                    sc.pos += 1;
                    sc.skip_ws()?;
                    let (v, quoted) = if sc.peek() == Some('"') {
                        (sc.quoted()?, true)
                    } else {
                        (Cow::Borrowed(sc.bare_value()?), false)
                    };
                    out.param(name, &v, quoted);
                }
                params += 1;
            } else if first && params == 0 && !is_digest {
                // A token68 credential (`Negotiate abc`, `Basic dXNlcg`), not a param.
                // Token68 allows `/` too: take the rest up to a comma or white space.
                // The name and the rest are one run of the value (no white space between).
                if !ws_after_name {
                    sc.bare_value()?;
                }
                let end = if ws_after_name { name_end } else { sc.pos };
                out.param("", &value[item_at..end], false);
                params += 1;
            } else if first && params == 0 {
                return Err(sc.err(sc.pos, "expected '=' after a parameter name"));
            } else {
                // After a comma, a token not followed by `=` starts a new challenge.
                next_scheme = Some((item_at, name));
                // Back to the end of the scheme: its white space is checked by the caller.
                sc.pos = name_end;
                break;
            }
            first = false;
            // After a parameter: end, a comma, or an error.
            sc.skip_ws()?;
            if sc.at_end() {
                break;
            }
            if !sc.skip_commas()? {
                return Err(sc.err(sc.pos, "expected a comma between parameters"));
            }
        }
        count += 1;
        match next_scheme {
            Some(_) if count >= MAX_CHALLENGES_PER_HEADER => return Ok((count, true)),
            Some((at, name)) => {
                scheme_at = at;
                scheme = name;
            }
            None => break,
        }
    }
    Ok((count, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC2617_CHALLENGE: &str = "Digest\r\n                 realm=\"testrealm@host.com\",\r\n                 qop=\"auth,auth-int\",\r\n                 nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n                 opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    fn valid_samples() -> Vec<&'static str> {
        vec![
            RFC2617_CHALLENGE,
            "Digest realm=\"biloxi.com\", qop=\"auth,auth-int\", algorithm=MD5, nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"89eb0059246c02b2f6ee02c7961d5ea3\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", uri=\"/doe.json\", algorithm=SHA-512-256, nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", nc=00000001, cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\", qop=auth, response=\"x\", userhash=false",
            "Digest realm=\"a\\\"b\\\\c\", nonce=abc/def+==, stale=TRUE, Digest realm=\"x\", nonce=\"\", algorithm=SHA-256,",
            "Basic realm=\"r\", Digest realm=\"r2\", nonce=\"n\"",
            "Negotiate YIIabc/def==",
            "Digest realm=\"J\u{e4}s\u{f8}n\"",
        ]
    }

    /// The packed form a message keeps reads the same as the parse result, and unpacks to it.
    #[test]
    fn packed_values_read_like_parsed_ones() {
        for v in valid_samples() {
            for c in parse_challenges(v).unwrap() {
                let p = PackedAuth::from(&c);
                assert_eq!(p.unpack(), c, "{v}");
                assert_eq!(p.scheme(), c.scheme);
                for name in ["realm", "nonce", "qop", "username*", "uri", "REALM", "none"] {
                    assert_eq!(p.get(name), c.get(name), "{name} of {v}");
                }
                assert_eq!(p.username(), c.username());
                assert_eq!(p.stale(), c.stale());
                assert_eq!(p.is_digest(), c.is_digest());
                assert_eq!(p.qop_options(), c.qop_options());
                assert_eq!(p.params().count(), c.params.len());
            }
        }
        // Packed straight from the tokenizer: the same as packing the parse result.
        for v in valid_samples() {
            let direct = pack_challenges(v);
            let via: Vec<PackedAuth> = parse_challenges(v)
                .unwrap()
                .iter()
                .map(PackedAuth::from)
                .collect();
            assert_eq!(direct, via, "{v}");
            assert_eq!(
                pack_credentials(v).map(|p| p.unpack()),
                parse_credentials(v),
                "{v}"
            );
        }
        // Escapes and folds unpacked, control characters refused, on the packed path too.
        let p = pack_credentials("Digest realm=\"a\\\"b\r\n c\", nonce=x").unwrap();
        assert_eq!(p.realm(), Some("a\"b c"));
        assert_eq!(p.nonce(), Some("x"));
        assert!(pack_credentials("Digest realm=\"a\u{1}b\"").is_err());
        let (v, over) = pack_challenges_capped("Digest realm=\"a\", nonce=\"1\"");
        assert_eq!((v.len(), over), (1, false));
        assert!(pack_challenges("Digest realm=\"unterminated").is_empty());
        assert!(pack_credentials("").is_err());
    }

    /// The table's numbers hold any length (one, two and three bytes of six bits), names not
    /// written as a known one keep their text, and a typical Authorization costs its values
    /// and about two bytes a parameter.
    #[test]
    fn packed_layout_long_values_and_written_names() {
        for len in [0, 1, 63, 64, 65, 4095, 4096, 5000] {
            let long = "n".repeat(len);
            let v = format!("Digest Realm=\"r\", nonce=\"{long}\", X-Own={long}x, qop=auth");
            let c = &parse_challenges(&v).unwrap()[0];
            let p = PackedAuth::from(c);
            assert_eq!(p.unpack(), *c, "{len}");
            assert_eq!(p.nonce(), Some(long.as_str()));
            assert_eq!(p.get("x-own").map(str::len), Some(len + 1));
            assert_eq!(p.realm(), Some("r"));
            let names: Vec<_> = p.params().map(|(n, _, q)| (n, q)).collect();
            assert_eq!(
                names,
                [
                    ("Realm", true),
                    ("nonce", true),
                    ("X-Own", false),
                    ("qop", false)
                ]
            );
            assert_eq!(pack_challenges(&v), vec![p]);
        }
        let cred = "Digest username=\"100000\", realm=\"sipdoctor.lab\", nonce=\"0000000000005f3a\", uri=\"sip:sipdoctor.lab\", response=\"4805e395421c815e29b9c3c9b55b7bd5\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"0a4f113b\"";
        let p = pack_credentials(cred).unwrap();
        let values: usize = p.params().map(|(_, v, _)| v.len()).sum();
        assert_eq!(p.blob().len(), 3 + "Digest".len() + values + 2 * 9);
        assert_eq!(p.unpack(), parse_credentials(cred).unwrap());
    }

    /// Values packed into the shared blocks read back as parsed across block boundaries, a
    /// value bigger than a block included, on more than one thread; a block is freed with
    /// the last value packed into it, and a value packed alone has a block of its own.
    #[test]
    fn packed_values_across_blocks_read_like_parsed_ones() {
        let check = |seed: usize| {
            let mut blocks = Blocks::default();
            let mut kept = Vec::new();
            for i in 0..3 * BLOB_BLOCK / 150 {
                let v = format!(
                    "Digest username=\"u{i}\", realm=\"r{seed}\", nonce=\"{}\", response=\"{i:032x}\"",
                    "n".repeat(i % 97)
                );
                kept.push((pack_credentials_in(&v, &mut blocks).unwrap(), v));
                if i == 1000 {
                    // Sealed in the middle of a block (as at the end of a batch).
                    blocks.seal();
                }
            }
            let big = format!(
                "Digest realm=\"x\", nonce=\"{}\"",
                "b".repeat(BLOB_BLOCK + 10)
            );
            kept.push((pack_credentials_in(&big, &mut blocks).unwrap(), big));
            assert!(blocks.is_open());
            blocks.seal();
            assert!(!blocks.is_open());
            for (p, v) in &kept {
                assert_eq!(p.unpack(), parse_credentials(v).unwrap());
            }
            let weak: Vec<_> = kept.iter().map(|(p, _)| p.block()).collect();
            let distinct = |w: &[std::sync::Weak<Block>]| {
                let mut v: Vec<_> = w.iter().map(std::sync::Weak::as_ptr).collect();
                v.dedup();
                v.len()
            };
            // The block cut by the seal, the next ones (~600 KiB of values) and the big one.
            assert!(distinct(&weak) >= 4, "{}", distinct(&weak));
            assert!(distinct(&weak) < kept.len() / 100);
            // A copy keeps its block alive; dropping the last value frees it.
            let copy = kept[0].0.clone();
            drop(kept);
            assert!(weak[0].upgrade().is_some());
            assert_eq!(copy.username().as_deref(), Some("u0"));
            drop(copy);
            assert!(weak.iter().all(|w| w.upgrade().is_none()));
        };
        let t = std::thread::spawn(move || check(1));
        check(0);
        t.join().unwrap();
        // Packed alone: sealed at once, a block per value, freed with it.
        let a = pack_credentials("Digest realm=\"a\"").unwrap();
        let b = pack_challenges("Digest realm=\"b\"").pop().unwrap();
        assert_ne!(a.block().as_ptr(), b.block().as_ptr());
        let wa = a.block();
        assert_eq!((a.realm(), b.realm()), (Some("a"), Some("b")));
        drop(a);
        assert!(wa.upgrade().is_none());
        assert!(live_blocks() >= 1);
    }

    /// Every accessor of `p` gives what the parse result `want` gives.
    fn assert_reads_like(p: &PackedAuth, want: &AuthValue, ctx: &str) {
        assert_eq!(p.unpack(), *want, "{ctx}");
        assert_eq!(p.scheme(), want.scheme, "{ctx}");
        let params: Vec<_> = p.params().collect();
        let wanted: Vec<_> = (want.params.iter())
            .map(|q| (q.name.as_str(), q.value.as_str(), q.quoted))
            .collect();
        assert_eq!(params, wanted, "{ctx}");
        for name in KNOWN_NAMES
            .iter()
            .chain(&["", "Realm", "NONCE", "x-own", "Nonce"])
        {
            assert_eq!(p.get(name), want.get(name), "{ctx}: {name}");
        }
        assert_eq!(
            (p.realm(), p.nonce(), p.uri(), p.response(), p.opaque()),
            (
                want.realm(),
                want.nonce(),
                want.uri(),
                want.response(),
                want.opaque()
            ),
            "{ctx}"
        );
        assert_eq!(
            (p.algorithm(), p.qop(), p.nc(), p.cnonce()),
            (want.algorithm(), want.qop(), want.nc(), want.cnonce()),
            "{ctx}"
        );
        assert_eq!(p.username(), want.username(), "{ctx}");
        assert_eq!(p.qop_options(), want.qop_options(), "{ctx}");
        assert_eq!(
            (p.stale(), p.userhash(), p.is_digest()),
            (want.stale(), want.userhash(), want.is_digest()),
            "{ctx}"
        );
    }

    /// Hostile and odd values: escapes, duplicates, names not known or written otherwise,
    /// non-ASCII text, giant values, token68, more challenges than a header may hold.
    fn hostile_values() -> Vec<String> {
        let mut v: Vec<String> = valid_samples().iter().map(|s| s.to_string()).collect();
        v.extend([
            "Digest username=\"a\\\"b\\\\c\", realm=\"r\\\\\", nonce=\"x\\\"y\", response=\"\\q\"".into(),
            "Digest realm=\"a\", realm=\"b\", nonce=1, nonce=2, username=\"u\", username=\"v\", response=r1, response=r2".into(),
            "Digest X-Foo=\"bar\", username=\"u\", Nonce=\"N\", RESPONSE=abc, realm=r, nonce=n, x-foo=baz".into(),
            "Digest username=\"J\u{e4}s\u{f8}n\", realm=\"\u{65e5}\u{672c}\", nonce=\"\u{f1}\", cnonce=\u{e9}t\u{e9}, uri=\"sip:\u{fc}@x\"".into(),
            "Digest username=\"\", realm=\"\", nonce=\"\", uri=\"\", response=\"\", nc=, cnonce=\"\", qop=\"\"".into(),
            "Digest realm=\"a\r\n  b\", nonce=\"c\r\n\td\", opaque=\"o\", stale=\"TRUE\", domain=\"sip:a sip:b\"".into(),
            "Digest username*=UTF-8''J%C3%A4s%C3%B8n, username=\"plain\", userhash=\"true\", realm=x".into(),
            "Basic dXNlcjpwYXNz".into(),
            "Negotiate YIIabc/def==, Digest realm=r, nonce=n".into(),
            "Digest ,,, realm=\"r\",, nonce=\"n\",".into(),
            "DIGEST USERNAME=\"u\", REALM=\"r\", ALGORITHM=md5, QOP=auth".into(),
        ]);
        let giant = "g".repeat(100_000);
        v.push(format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{giant}\", uri=\"{}\", response=\"{giant}\"",
            "u".repeat(SHAPE_VALUE_MAX),
            "r".repeat(SHAPE_VALUE_MAX + 1),
            "i".repeat(5000),
        ));
        let many: Vec<String> = (0..1000).map(|i| format!("p{i}=\"v{i}\"")).collect();
        v.push(format!("Digest realm=\"r\", {}", many.join(", ")));
        let over: Vec<String> = (0..MAX_CHALLENGES_PER_HEADER + 5)
            .map(|i| format!("Digest realm=\"r\", nonce=\"n{i}\""))
            .collect();
        v.push(over.join(", "));
        v
    }

    /// Packed with the shapes of a dictionary (as a scanner packs them), every value, hostile
    /// ones included, reads as its parse result, in one block or across blocks; each value
    /// packed several times (as an account's values come back) reuses its shape.
    #[test]
    fn shaped_values_read_like_parsed_ones() {
        let values = hostile_values();
        let mut blocks = Blocks::shaped();
        let mut kept = Vec::new();
        let mut after_first = 0;
        for round in 0..3 {
            for v in &values {
                if let Ok(want) = parse_credentials(v) {
                    let p = pack_credentials_in(v, &mut blocks).unwrap();
                    kept.push((p, want, format!("credentials {round} {v:.80}")));
                }
                let want = parse_challenges(v).unwrap_or_default();
                let mut got = Vec::new();
                pack_challenges_into(v, &mut got, &mut blocks);
                assert_eq!(got.len(), want.len(), "{v:.80}");
                for (p, w) in got.into_iter().zip(want) {
                    kept.push((p, w, format!("challenge {round} {v:.80}")));
                }
            }
            if round == 0 {
                after_first = blocks.dict().len();
            }
        }
        blocks.seal();
        let shaped = kept.iter().filter(|(p, ..)| p.is_shaped()).count();
        assert!(shaped * 10 > kept.len() * 9, "{shaped} of {}", kept.len());
        for (p, want, ctx) in &kept {
            assert_reads_like(p, want, ctx);
            // Equal to the value packed whole, and to itself packed again.
            assert_eq!(*p, PackedAuth::from(want), "{ctx}");
        }
        // The second and third rounds made no shape: theirs are the first round's.
        assert_eq!(blocks.dict().len(), after_first);
        // A shaped value and one packed whole of different values differ.
        let a = pack_credentials_in("Digest realm=\"a\", nonce=\"1\"", &mut blocks).unwrap();
        let b = pack_credentials_in("Digest realm=\"a\", nonce=\"2\"", &mut blocks).unwrap();
        blocks.seal();
        assert_ne!(a, b);
        assert_ne!(
            a,
            pack_credentials("Digest realm=\"b\", nonce=\"1\"").unwrap()
        );
        assert_eq!(
            a,
            pack_credentials("Digest realm=\"a\", nonce=\"1\"").unwrap()
        );
    }

    /// A whole-server Authorization: its shape (what repeats per account) in the dictionary,
    /// its own values (nonce, response, nc, cnonce) in the value: about half the bytes.
    #[test]
    fn an_accounts_authorization_keeps_only_its_own_values() {
        let cred = |i: usize| {
            format!(
                "Digest username=\"{}\", realm=\"sipdoctor.lab\", nonce=\"{i:016x}\", uri=\"sip:sipdoctor.lab\", response=\"{:032x}\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"{:08x}\"",
                100_000 + i % 50,
                i * 7919,
                i * 31
            )
        };
        let mut blocks = Blocks::shaped();
        let packed: Vec<_> = (0..1000)
            .map(|i| pack_credentials_in(&cred(i), &mut blocks).unwrap())
            .collect();
        blocks.seal();
        assert_eq!(blocks.dict().len(), 50);
        for (i, p) in packed.iter().enumerate() {
            assert_reads_like(p, &parse_credentials(&cred(i)).unwrap(), &cred(i));
            // The shape's number (one byte) and four values of their own, each after its
            // length.
            assert_eq!(p.blob().len(), 1 + (16 + 32 + 8 + 8) + 4, "{i}");
            assert!(p.blob().len() * 3 < pack_credentials(&cred(i)).unwrap().blob().len() * 2);
        }
    }

    /// The request answering a challenge points to the challenge's nonce in their block
    /// rather than holding it again; across a seal, or with another nonce, it holds its own;
    /// every one reads its own nonce.
    #[test]
    fn a_nonce_seen_in_the_block_is_not_kept_twice() {
        let nonce = "0000000000005f3a0000000000005f3a";
        let challenge = format!("Digest realm=\"lab\", nonce=\"{nonce}\", qop=\"auth\"");
        let cred = |n: &str| {
            format!(
                "Digest username=\"u\", realm=\"lab\", nonce=\"{n}\", uri=\"sip:lab\", response=\"{:032x}\"",
                7
            )
        };
        let mut blocks = Blocks::shaped();
        let mut c = Vec::new();
        pack_challenges_into(&challenge, &mut c, &mut blocks);
        let first = pack_credentials_in(&cred(nonce), &mut blocks).unwrap();
        let again = pack_credentials_in(&cred(nonce), &mut blocks).unwrap();
        let other = pack_credentials_in(&cred("other"), &mut blocks).unwrap();
        // A nonce that only starts like the one in the block.
        let prefix = pack_credentials_in(&cred(&nonce[..20]), &mut blocks).unwrap();
        blocks.seal();
        let sealed = pack_credentials_in(&cred(nonce), &mut blocks).unwrap();
        blocks.seal();
        for (p, n) in [(&first, nonce), (&again, nonce), (&other, "other")]
            .into_iter()
            .chain([(&prefix, &nonce[..20]), (&sealed, nonce)])
        {
            assert_reads_like(p, &parse_credentials(&cred(n)).unwrap(), n);
        }
        assert_reads_like(&c[0], &parse_challenges(&challenge).unwrap()[0], &challenge);
        // Where it was (0, its place, its length: 3 to 5 bytes) instead of 1 + 32.
        assert!(first.blob().len() + 28 <= sealed.blob().len());
        assert_eq!(again.blob().len(), first.blob().len());
        assert_eq!(prefix.blob().len(), sealed.blob().len() - 12);
    }

    /// The dictionary is freed with the last value that uses it (and the scanners that fill
    /// it); values packed alone have none.
    #[test]
    fn a_dictionary_is_freed_with_its_values() {
        let mut blocks = Blocks::shaped();
        let weak = blocks.dict().shapes();
        let p = pack_credentials_in("Digest username=\"u\", realm=\"r\"", &mut blocks).unwrap();
        let q = pack_credentials_in("Digest username=\"u\", realm=\"r\"", &mut blocks).unwrap();
        blocks.seal();
        drop(blocks);
        assert!(weak.upgrade().is_some());
        assert!(live_auth_dicts() >= 1 && live_shape_bytes() >= 1);
        assert_eq!(p.shapes().map(|w| w.as_ptr()), Some(weak.as_ptr()));
        drop(p);
        assert!(weak.upgrade().is_some());
        assert_eq!(q.username().as_deref(), Some("u"));
        drop(q);
        assert!(weak.upgrade().is_none());
        assert!(
            pack_credentials("Digest realm=\"r\"")
                .unwrap()
                .shapes()
                .is_none()
        );
        // Two scanners' blocks sharing one dictionary: one copy of each shape.
        let (mut one, mut two) = (Blocks::shaped(), Blocks::shaped());
        two.sharing(&one.dict());
        let a = pack_credentials_in("Digest realm=\"x\", nonce=\"1\"", &mut one).unwrap();
        let b = pack_credentials_in("Digest realm=\"x\", nonce=\"2\"", &mut two).unwrap();
        one.seal();
        two.seal();
        assert_eq!(one.dict().len(), 1);
        assert_eq!(a.shapes().unwrap().as_ptr(), b.shapes().unwrap().as_ptr());
        assert_eq!((a.nonce(), b.nonce()), (Some("1"), Some("2")));
    }

    /// Shapes that do not repeat (an opaque or a user of its own in every value) stop being
    /// made past [`FREE_SHAPES`]: the values are then packed whole, and read the same.
    #[test]
    fn shapes_that_do_not_repeat_are_not_kept() {
        let mut blocks = Blocks::shaped();
        let value = |i: usize| format!("Digest realm=\"r\", opaque=\"{i}\", nonce=\"{i}\"");
        let n = 3 * FREE_SHAPES;
        let packed: Vec<_> = (0..n)
            .map(|i| pack_credentials_in(&value(i), &mut blocks).unwrap())
            .collect();
        blocks.seal();
        let shapes = blocks.dict().len();
        assert!(
            shapes >= FREE_SHAPES && shapes <= FREE_SHAPES + n / 4,
            "{shapes}"
        );
        let whole = packed.iter().filter(|p| !p.is_shaped()).count();
        assert!(whole >= n - FREE_SHAPES - n / 4, "{whole}");
        for (i, p) in packed.iter().enumerate() {
            assert_reads_like(p, &parse_credentials(&value(i)).unwrap(), &value(i));
        }
    }

    /// What the records keep stays small: a packed value (and one or its error) in 16 bytes,
    /// with room for `sip::Auth` to tell its kinds apart in the same 16.
    #[test]
    fn packed_value_sizes() {
        assert!(size_of::<PackedAuth>() <= 16);
        assert!(size_of::<Result<PackedAuth, Box<AuthError>>>() <= 16);
        assert!(size_of::<Option<Result<PackedAuth, Box<AuthError>>>>() <= 16);
    }

    #[test]
    fn rfc2617_challenge_with_folded_lines() {
        let c = parse_challenges(RFC2617_CHALLENGE).unwrap();
        assert_eq!(c.len(), 1);
        let c = &c[0];
        assert!(c.is_digest());
        assert_eq!(c.realm(), Some("testrealm@host.com"));
        assert_eq!(c.qop_options(), vec!["auth", "auth-int"]);
        assert_eq!(c.nonce(), Some("dcd98b7102dd2f0e8b11d0f600bfb0c093"));
        assert_eq!(c.opaque(), Some("5ccc069c403ebaf9f0171e9517f40e41"));
        assert_eq!(c.algorithm(), None);
        assert!(!c.stale());
    }

    #[test]
    fn case_insensitive_names_and_scheme_unquoted_qop() {
        let c = parse_credentials(
            "dIgEsT  UserName = \"bob\" ,REALM=biloxi.com,QOP=auth,NC=00000001 , CNonce=\"0a4f113b\"",
        )
        .unwrap();
        assert!(c.is_digest());
        assert_eq!(c.scheme, "dIgEsT");
        assert_eq!(c.username().as_deref(), Some("bob"));
        assert_eq!(c.realm(), Some("biloxi.com"));
        assert_eq!(c.qop(), Some("auth"));
        assert_eq!(c.nc(), Some("00000001"));
        assert_eq!(c.cnonce(), Some("0a4f113b"));
        assert_eq!(c.params[0].name, "UserName");
        assert!(c.params[0].quoted);
        assert!(!c.params[2].quoted);
    }

    #[test]
    fn cnonce_is_not_nonce() {
        // Substring search would find `nonce` in `cnonce` or inside the realm.
        let c = parse_credentials(
            "Digest realm=\"nonce=\\\"evil\\\"\", cnonce=\"c1\", nonce=\"n1\", response=\"r\"",
        )
        .unwrap();
        assert_eq!(c.nonce(), Some("n1"));
        assert_eq!(c.cnonce(), Some("c1"));
        assert_eq!(c.realm(), Some("nonce=\"evil\""));
    }

    #[test]
    fn base64_nonce_quoted_and_bare() {
        let c = parse_challenges(
            "Digest nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK==\", opaque=ab+/c=",
        )
        .unwrap();
        assert_eq!(
            c[0].nonce(),
            Some("5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK==")
        );
        assert_eq!(c[0].opaque(), Some("ab+/c="));
    }

    #[test]
    fn escapes_empty_values_unknown_params_trailing_commas() {
        let c = parse_challenges(
            "Digest realm=\"a\\\\b\\\"c\", nonce=\"\", x-vendor=\"y\", domain=\"sip:a sip:b\",, ,",
        )
        .unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].realm(), Some("a\\b\"c"));
        assert_eq!(c[0].nonce(), Some(""));
        assert_eq!(c[0].get("X-VENDOR"), Some("y"));
        assert_eq!(c[0].get("domain"), Some("sip:a sip:b"));
    }

    #[test]
    fn several_challenges_in_one_value() {
        let c = parse_challenges(
            "Digest realm=\"r\", nonce=\"n1\", algorithm=SHA-256, qop=\"auth\", Digest realm=\"r\", nonce=\"n2\", algorithm=MD5, stale=\"true\"",
        )
        .unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].algorithm(), Some("SHA-256"));
        assert_eq!(c[0].nonce(), Some("n1"));
        assert_eq!(c[1].algorithm(), Some("MD5"));
        assert_eq!(c[1].nonce(), Some("n2"));
        assert!(c[1].stale());
        assert!(!c[0].stale());
        let mixed = parse_challenges("Basic realm=\"x\", Digest realm=\"y\", nonce=z").unwrap();
        assert_eq!(mixed.len(), 2);
        assert!(!mixed[0].is_digest());
        assert!(mixed[1].is_digest());
        assert_eq!(mixed[1].nonce(), Some("z"));
    }

    #[test]
    fn username_star_ext_value() {
        // RFC 7616 3.9.2 writes the name as username*=UTF-8''J%C3%A4s%C3%B8n%20Doe
        let c = parse_credentials(
            "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", userhash=FALSE",
        )
        .unwrap();
        assert_eq!(c.username().as_deref(), Some("J\u{e4}s\u{f8}n Doe"));
        assert!(!c.userhash());
        assert_eq!(
            decode_ext_value("iso-8859-1'en'%A3%20rates").as_deref(),
            Some("\u{a3} rates")
        );
        assert_eq!(decode_ext_value("UTF-8''%G1"), None);
        assert_eq!(decode_ext_value("UTF-8''%C3"), None);
        assert_eq!(decode_ext_value("KOI8-R''abc"), None);
        assert_eq!(decode_ext_value("noquotes"), None);
        let h = parse_credentials("Digest username=\"abc\", userhash=\"true\"").unwrap();
        assert!(h.userhash());
        assert_eq!(h.username().as_deref(), Some("abc"));
    }

    #[test]
    fn folded_line_inside_quotes_is_one_space() {
        let c = parse_challenges("Digest realm=\"a\r\n   b\", nonce=\"n\"").unwrap();
        assert_eq!(c[0].realm(), Some("a b"));
    }

    #[test]
    fn token68() {
        let c = parse_credentials("Basic dXNlcjpwYXNz").unwrap();
        assert_eq!(c.params[0].name, "");
        assert_eq!(c.params[0].value, "dXNlcjpwYXNz");
        let c = parse_credentials("Basic dXNlcg==").unwrap();
        assert_eq!(c.params[0].value, "dXNlcg==");
        assert_eq!(c.get(""), None);
    }

    #[test]
    fn errors_carry_offsets() {
        let e = parse_challenges("Digest realm=\"abc, nonce=\"n\"").unwrap_err();
        // The quote closes at `nonce=`; `n"` after it is not a separator.
        assert_eq!(
            (e.offset, e.what.as_str()),
            (26, "expected a comma between parameters")
        );
        let e = parse_challenges("Digest realm=\"abc").unwrap_err();
        assert_eq!(
            (e.offset, e.what.as_str()),
            (13, "unterminated quoted string")
        );
        let e = parse_challenges("Digest realm=\"abc\\").unwrap_err();
        assert_eq!(e.what, "unterminated quoted string");
        let e = parse_challenges("Digest realm=\"a\" nonce=\"b\"").unwrap_err();
        assert_eq!(e.what, "expected a comma between parameters");
        assert_eq!(e.offset, 17);
        let e = parse_challenges("realm=\"a\"").unwrap_err();
        assert_eq!(e.offset, 0);
        let e = parse_challenges("Digest realm=a\r\nnonce=b").unwrap_err();
        assert_eq!(e.what, "line break not followed by white space");
        assert!(parse_challenges("").is_err());
        assert!(parse_challenges("  ,  ").is_err());
        assert!(parse_challenges("Digest =x").is_err());
        assert!(parse_challenges("Digest realm=\"a\", \"b\"").is_err());
        assert!(parse_challenges("Digest realm=a\"b\"").is_err());
        assert!(parse_challenges("Digest realm=\"a\u{1}\"").is_err());
        assert!(parse_challenges("\"Digest\" realm=a").is_err());
        let e = parse_credentials("Digest a=b, Digest c=d").unwrap_err();
        assert!(e.what.contains("2 credentials"));
        assert_eq!(e.to_string(), format!("{} at byte 0", e.what));
    }

    #[test]
    fn scheme_alone() {
        let c = parse_challenges("Digest").unwrap();
        assert_eq!(c.len(), 1);
        assert!(c[0].params.is_empty());
        let c = parse_challenges("Digest ,realm=a").unwrap();
        assert_eq!(c[0].realm(), Some("a"));
    }

    /// Property-style: every prefix (at every char boundary) of valid values, and every
    /// single-byte truncation/mutation, parses or fails cleanly, never panics.
    #[test]
    fn every_prefix_and_mutation_never_panics() {
        let mut seen_err = 0usize;
        let mut seen_ok = 0usize;
        for s in valid_samples() {
            assert!(parse_challenges(s).is_ok(), "sample must parse: {s}");
            for (i, _) in s.char_indices().chain([(s.len(), ' ')]) {
                let prefix = &s[..i];
                match parse_challenges(prefix) {
                    Ok(v) => {
                        seen_ok += 1;
                        assert!(!v.is_empty());
                    }
                    Err(e) => {
                        seen_err += 1;
                        assert!(e.offset <= prefix.len());
                    }
                }
                let _ = parse_credentials(prefix);
            }
            // Insert each interesting character at every position.
            for (i, _) in s.char_indices() {
                for ins in ['"', '\\', ',', '=', '\r', '\n', ' ', '\u{0}', '\u{e9}'] {
                    let mut m = String::with_capacity(s.len() + 4);
                    m.push_str(&s[..i]);
                    m.push(ins);
                    m.push_str(&s[i..]);
                    if let Err(e) = parse_challenges(&m) {
                        assert!(e.offset <= m.len());
                    }
                }
            }
        }
        // The loop exercised both outcomes (an unterminated quote is in most samples).
        assert!(seen_err > 10 && seen_ok > 10, "ok {seen_ok} err {seen_err}");
    }
}
