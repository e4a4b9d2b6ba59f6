//! Auth exchanges: requests grouped by Call-ID and CSeq, retransmissions marked.
//!
//! A *transaction* is one request (with its retransmissions) and the responses to it, matched by
//! Call-ID, CSeq and the topmost Via branch (RFC 3261 section 17.1.3). An *exchange* is the chain
//! of transactions of one Call-ID and method in which each retry answers the previous one's
//! 401/407 challenge (RFC 3261 section 22.2): `REGISTER -> 401 -> REGISTER (Authorization) ->
//! 200`. An exchange ends with a final answer that is not a challenge, or with silence.

mod compact;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

use crate::capture::Nanos;
use crate::sip::intern::FxHashMap;
use crate::sip::{BranchId, Endpoint, SipMessage, StartLine, Sym};
pub use compact::{Link, Part, Parts};

/// An ICMP destination-unreachable that quotes a datagram we may have sent SIP in.
#[derive(Debug, Clone, Serialize)]
pub struct IcmpNote {
    pub frame: u64,
    pub ts: Nanos,
    pub reporter: IpAddr,
    pub kind: String,
    /// Addresses of the original (quoted) datagram.
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// Index of the SIP request it quotes, when it could be matched.
    pub message: Option<usize>,
}

/// How a message takes part in the capture's exchanges (8 bytes: two [`Link`]s).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct MessageRole {
    /// Index of the first copy when this message is a retransmission.
    pub retransmission_of: Link,
    /// The exchange it belongs to.
    pub exchange: Link,
}

/// One attempt: a request and what came back for it (40 bytes; its lists in one [`Parts`],
/// read with [`Attempt::retransmissions`], [`Attempt::responses`]...).
#[derive(Debug, Clone)]
pub struct Attempt {
    /// Message index of the request (first copy), read with [`Attempt::request`]: 4 bytes
    /// (see [`narrow`]).
    request: u32,
    pub frame: u64,
    pub cseq: u32,
    /// "Authorization" or "Proxy-Authorization" when the request carries credentials.
    pub credentials: Option<CredentialsHeader>,
    /// Final status (>= 200), if any.
    pub final_status: Option<u16>,
    parts: Parts,
}

impl Attempt {
    /// Message index of the request (first copy).
    pub fn request(&self) -> usize {
        self.request as usize
    }
    /// Its messages: the request, then every part but the ICMP notes (not messages).
    fn messages(&self) -> impl Iterator<Item = usize> + '_ {
        let parts = self.parts.iter().filter(|e| e.0 != Part::Icmp);
        std::iter::once(self.request()).chain(parts.map(|e| e.1))
    }
    fn message_count(&self) -> usize {
        1 + self.parts.len() - self.icmp().len()
    }
    /// Copies of the request (message indexes).
    pub fn retransmissions(&self) -> &[usize] {
        self.parts.of(Part::Retransmission)
    }
    /// Responses (first copies), in order.
    pub fn responses(&self) -> &[usize] {
        self.parts.of(Part::Response)
    }
    /// Copies of its responses.
    pub fn response_retransmissions(&self) -> &[usize] {
        self.parts.of(Part::ResponseRetransmission)
    }
    /// ACKs sent for it (INVITE).
    pub fn acks(&self) -> &[usize] {
        self.parts.of(Part::Ack)
    }
    /// ICMP errors quoting it (indexes into the capture's ICMP notes).
    pub fn icmp(&self) -> &[usize] {
        self.parts.of(Part::Icmp)
    }
}

/// The JSON of an attempt: its lists as five arrays, as when they were five fields.
impl Serialize for Attempt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            request: usize,
            frame: u64,
            cseq: u32,
            credentials: Option<CredentialsHeader>,
            retransmissions: &'a [usize],
            responses: &'a [usize],
            response_retransmissions: &'a [usize],
            final_status: Option<u16>,
            acks: &'a [usize],
            icmp: &'a [usize],
        }
        Json {
            request: self.request(),
            frame: self.frame,
            cseq: self.cseq,
            credentials: self.credentials,
            retransmissions: self.retransmissions(),
            responses: self.responses(),
            response_retransmissions: self.response_retransmissions(),
            final_status: self.final_status,
            acks: self.acks(),
            icmp: self.icmp(),
        }
        .serialize(s)
    }
}

/// The header a request's credentials are in: a name, not a copy per attempt. It reads
/// (derefs) and serialises as the header name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialsHeader {
    Authorization,
    ProxyAuthorization,
}

impl CredentialsHeader {
    /// The header name as written in the JSON: "Authorization" or "Proxy-Authorization".
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialsHeader::Authorization => "Authorization",
            CredentialsHeader::ProxyAuthorization => "Proxy-Authorization",
        }
    }

    fn of(name: &str) -> Option<CredentialsHeader> {
        match name {
            "Authorization" => Some(CredentialsHeader::Authorization),
            "Proxy-Authorization" => Some(CredentialsHeader::ProxyAuthorization),
            _ => None,
        }
    }
}

impl std::ops::Deref for CredentialsHeader {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Serialize for CredentialsHeader {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How an exchange ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// 2xx on the first try, or after one challenge.
    Accepted,
    /// 2xx after an authenticated attempt had been refused (wrong password, then fixed).
    Recovered,
    /// Challenged, and the client never answered the challenge.
    ChallengeUnanswered,
    /// The authenticated request was challenged again (credentials refused).
    Rechallenged,
    /// A final error other than a challenge (403, 404, 408, 5xx...).
    Rejected,
    /// Only provisional responses.
    Pending,
    /// No SIP response at all.
    NoResponse,
    /// No SIP response, and an ICMP unreachable came back.
    Unreachable,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::Accepted,
        Outcome::Recovered,
        Outcome::ChallengeUnanswered,
        Outcome::Rechallenged,
        Outcome::Rejected,
        Outcome::Pending,
        Outcome::NoResponse,
        Outcome::Unreachable,
    ];

    /// The kebab-case name, the same as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Recovered => "recovered",
            Outcome::ChallengeUnanswered => "challenge-unanswered",
            Outcome::Rechallenged => "rechallenged",
            Outcome::Rejected => "rejected",
            Outcome::Pending => "pending",
            Outcome::NoResponse => "no-response",
            Outcome::Unreachable => "unreachable",
        }
    }

    /// The exchange ended registered or authorised (2xx).
    pub fn is_success(self) -> bool {
        matches!(self, Outcome::Accepted | Outcome::Recovered)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A chain of attempts of one Call-ID and method. Its strings are interned ([`Sym`]: 4 bytes,
/// reads and serialises as the text); its messages are read from its attempts
/// ([`Exchange::messages`]), not kept a second time.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub id: usize,
    /// The request's method, upper-cased.
    pub method: Sym,
    pub call_id: Sym,
    /// The side that sent the request (an [`Endpoint`] id: reads as the `SocketAddr`).
    pub client: Endpoint,
    /// Where it was sent.
    pub server: Endpoint,
    pub from_user: Option<Sym>,
    pub to_user: Option<Sym>,
    pub request_uri: Sym,
    pub attempts: Vec<Attempt>,
    pub outcome: Outcome,
    /// Final status of the last attempt.
    pub final_status: Option<u16>,
    pub first_ts: Nanos,
    pub last_ts: Nanos,
}

/// The JSON of an exchange: its fields, then `messages` (every message, in capture order).
impl Serialize for Exchange {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            id: usize,
            method: Sym,
            call_id: Sym,
            client: Endpoint,
            server: Endpoint,
            from_user: Option<Sym>,
            to_user: Option<Sym>,
            request_uri: Sym,
            attempts: &'a [Attempt],
            outcome: Outcome,
            final_status: Option<u16>,
            first_ts: Nanos,
            last_ts: Nanos,
            messages: Vec<usize>,
        }
        Json {
            id: self.id,
            method: self.method,
            call_id: self.call_id,
            client: self.client,
            server: self.server,
            from_user: self.from_user,
            to_user: self.to_user,
            request_uri: self.request_uri,
            attempts: &self.attempts,
            outcome: self.outcome,
            final_status: self.final_status,
            first_ts: self.first_ts,
            last_ts: self.last_ts,
            messages: self.messages(),
        }
        .serialize(s)
    }
}

impl Exchange {
    /// Every message of the exchange (its requests, their copies, the responses and ACKs), in
    /// capture order.
    pub fn messages(&self) -> Vec<usize> {
        let n = self.attempts.iter().map(Attempt::message_count).sum();
        let mut all = Vec::with_capacity(n);
        all.extend(self.attempts.iter().flat_map(Attempt::messages));
        all.sort_unstable();
        all.dedup();
        all
    }
    /// Number of attempts that carried credentials.
    pub fn authenticated_attempts(&self) -> usize {
        self.attempts
            .iter()
            .filter(|a| a.credentials.is_some())
            .count()
    }
    pub fn was_challenged(&self) -> bool {
        self.attempts
            .iter()
            .any(|a| matches!(a.final_status, Some(401 | 407)))
    }
}

/// Result of grouping.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Grouping {
    pub roles: Vec<MessageRole>,
    pub exchanges: Vec<Exchange>,
}

/// The header carrying the request's answer to a challenge, if it carries one. An
/// Authorization with an empty nonce or response (IMS/RCS phones send one on their first
/// REGISTER, 3GPP TS 24.229 5.1.1.2) answers nothing and does not count.
pub fn credentials_header(m: &SipMessage) -> Option<String> {
    credentials_name(m).map(str::to_string)
}

/// [`credentials_header`] without the copy.
pub fn credentials_name(m: &SipMessage) -> Option<&'static str> {
    for name in ["Proxy-Authorization", "Authorization"] {
        if let Some(Ok(c)) = m.credentials(name) {
            let answers =
                !c.nonce().unwrap_or("").is_empty() && !c.response().unwrap_or("").is_empty();
            if answers {
                return Some(name);
            }
        }
    }
    None
}

/// A symbol as a key of the grouping's indexes: it hashes the symbol's number, not its text
/// (no bytes to read per lookup).
#[derive(Clone, Copy, PartialEq, Eq)]
struct SymKey(Sym);

impl Hash for SymKey {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u32(self.0.id());
    }
}

/// A position in the grouping's lists as its indexes keep it (4 bytes). Every list holds at
/// most one entry per message, and a capture holds far fewer than 4 billion messages.
fn narrow(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 4 billion messages")
}

/// Transactions per block of [`Blocks`] (a block of ~40 kB comes from the heap, where the
/// exchanges' attempts are then put).
const BLOCK: usize = 256;

/// A list in blocks of [`BLOCK`] entries: it grows without copying, and the chaining takes its
/// blocks one by one (each freed once its attempts are in their exchanges), so the attempts
/// are never held twice.
struct Blocks<T> {
    blocks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Blocks<T> {
    fn new() -> Self {
        Blocks {
            blocks: Vec::new(),
            len: 0,
        }
    }
    fn len(&self) -> usize {
        self.len
    }
    fn push(&mut self, x: T) {
        match self.blocks.last_mut() {
            Some(b) if b.len() < BLOCK => b.push(x),
            _ => {
                let mut b = Vec::with_capacity(BLOCK);
                b.push(x);
                self.blocks.push(b);
            }
        }
        self.len += 1;
    }
    fn get(&self, i: usize) -> &T {
        &self.blocks[i / BLOCK][i % BLOCK]
    }
    fn get_mut(&mut self, i: usize) -> &mut T {
        &mut self.blocks[i / BLOCK][i % BLOCK]
    }
    fn iter(&self) -> impl Iterator<Item = &T> {
        self.blocks.iter().flatten()
    }
}

/// One transaction while grouping: what identifies it, and its attempt.
struct Tx {
    call_id: Sym,
    /// The request's method, upper-cased (so equal methods are equal symbols).
    method: Sym,
    src: Endpoint,
    dst: Endpoint,
    /// The previous transaction of the same Call-ID and CSeq (any method): the index keeps the
    /// newest one only, each transaction links to the one before (no list per key).
    prev: Link,
    branch: Option<BranchId>,
    /// The latest time of its messages (read here, in capture order, not again per exchange).
    last_ts: Nanos,
    attempt: Attempt,
}

/// `method` upper-cased: itself nearly always (methods are written in capitals).
fn upper(method: Sym) -> Sym {
    if method.bytes().any(|b| b.is_ascii_lowercase()) {
        Sym::new(&method.to_ascii_uppercase())
    } else {
        method
    }
}

/// The transactions seen so far, with the index to find them by (Call-ID, CSeq).
struct Transactions {
    list: Blocks<Tx>,
    /// The newest transaction of each (Call-ID, CSeq) (the older ones through [`Tx::prev`]).
    by_key: FxHashMap<(SymKey, u32), u32>,
    invite: Sym,
    call_id: crate::sip::KeptName,
}

impl Transactions {
    fn new() -> Self {
        Transactions {
            list: Blocks::new(),
            by_key: FxHashMap::default(),
            invite: Sym::new("INVITE"),
            call_id: crate::sip::KeptName::of("call-id").expect("Call-ID is kept"),
        }
    }

    /// The transactions of a (Call-ID, CSeq), newest first.
    fn of_key(&self, newest: Option<usize>) -> impl Iterator<Item = (usize, &Tx)> + '_ {
        std::iter::successors(newest, |&t| self.list.get(t).prev.get())
            .map(|t| (t, self.list.get(t)))
    }

    fn newest(&self, call_id: Sym, cseq: u32) -> Option<usize> {
        self.by_key
            .get(&(SymKey(call_id), cseq))
            .map(|&t| t as usize)
    }

    /// Take in one message (one without a Call-ID or CSeq is in no transaction).
    fn add(&mut self, m: &SipMessage, messages: &[SipMessage], roles: &mut [MessageRole]) {
        // The Call-ID as its symbol (what `SipMessage::call_id` reads as text).
        let call_id = m
            .headers
            .iter()
            .find(|h| h.name == self.call_id)
            .and_then(|h| h.value.sym());
        let (Some(call_id), Some((cseq, cseq_method))) = (call_id, m.cseq()) else {
            return;
        };
        match m.start() {
            StartLine::Request { method, .. } => {
                self.add_request(m, (call_id, cseq), method, roles)
            }
            StartLine::Response { .. } => {
                self.add_response(m, (call_id, cseq), cseq_method, messages, roles)
            }
        }
    }

    /// A request: a retransmission of a known transaction (same key, method, addresses,
    /// branch and credentials), a new transaction, or an ACK put with its INVITE.
    fn add_request(
        &mut self,
        m: &SipMessage,
        (call_id, cseq): (Sym, u32),
        method: Sym,
        roles: &mut [MessageRole],
    ) {
        let newest = self.newest(call_id, cseq);
        if method.eq_ignore_ascii_case("ACK") {
            // The ACK of a non-2xx final response belongs to the INVITE transaction
            // (RFC 3261 17.1.1.3); a 2xx ACK is its own, we still show it there.
            let invite = self.invite;
            let ack_of = self.of_key(newest).find(|(_, tx)| tx.method == invite);
            if let Some(t) = ack_of.map(|(t, _)| t) {
                let tx = self.list.get_mut(t);
                tx.attempt.parts.push(Part::Ack, m.index());
                tx.last_ts = tx.last_ts.max(m.ts);
            }
            return;
        }
        let method = upper(method);
        let branch = m.via_branch();
        let creds = credentials_name(m).and_then(CredentialsHeader::of);
        let existing = self.of_key(newest).find(|(_, tx)| {
            tx.method == method
                && tx.src == m.src
                && tx.dst == m.dst
                && tx.branch == branch
                && tx.attempt.credentials == creds
        });
        if let Some(t) = existing.map(|(t, _)| t) {
            let tx = self.list.get_mut(t);
            roles[m.index()].retransmission_of = Link::to(tx.attempt.request());
            tx.attempt.parts.push(Part::Retransmission, m.index());
            tx.last_ts = tx.last_ts.max(m.ts);
            return;
        }
        self.by_key
            .insert((SymKey(call_id), cseq), narrow(self.list.len()));
        self.list.push(Tx {
            call_id,
            method,
            src: m.src,
            dst: m.dst,
            prev: Link::from(newest),
            branch,
            last_ts: m.ts,
            attempt: Attempt {
                request: narrow(m.index()),
                frame: m.frame(),
                cseq,
                credentials: creds,
                final_status: None,
                parts: Parts::new(),
            },
        });
    }

    /// A response: put with the transaction of its Call-ID, CSeq and CSeq method (the one with
    /// its Via branch, else the latest); a status already seen there is a retransmission.
    fn add_response(
        &mut self,
        m: &SipMessage,
        (call_id, cseq): (Sym, u32),
        cseq_method: &str,
        messages: &[SipMessage],
        roles: &mut [MessageRole],
    ) {
        let status = m.status().unwrap_or(0);
        // The transactions' methods are upper-cased: the same method in any case.
        let of_method = |tx: &Tx| tx.method.eq_ignore_ascii_case(cseq_method);
        let newest = self.newest(call_id, cseq);
        let Some((newest, _)) = self.of_key(newest).find(|(_, tx)| of_method(tx)) else {
            return;
        };
        let branch = m.via_branch();
        let t = branch
            .and_then(|_| {
                self.of_key(Some(newest))
                    .find(|(_, tx)| of_method(tx) && tx.branch == branch)
            })
            .map_or(newest, |(t, _)| t);
        let tx = self.list.get_mut(t);
        tx.last_ts = tx.last_ts.max(m.ts);
        let attempt = &mut tx.attempt;
        // The statuses seen are those of its responses (first copies).
        let first = attempt
            .responses()
            .iter()
            .copied()
            .find(|&i| messages[i].status() == Some(status));
        if let Some(first) = first {
            roles[m.index()].retransmission_of = Link::to(first);
            attempt.parts.push(Part::ResponseRetransmission, m.index());
        } else {
            attempt.parts.push(Part::Response, m.index());
            if status >= 200 && attempt.final_status.is_none() {
                attempt.final_status = Some(status);
            }
        }
    }

    /// Each ICMP note (already linked to a message) on the transaction of that request
    /// (through an index of the quoted requests: no scan of every transaction per note).
    fn attach_icmp(&mut self, icmp: &[IcmpNote]) {
        // The quoted messages, each with the transaction it is the request (or a copy) of.
        let mut tx_of: FxHashMap<usize, Option<usize>> = icmp
            .iter()
            .filter_map(|n| n.message)
            .map(|mi| (mi, None))
            .collect();
        if tx_of.is_empty() {
            return;
        }
        for (t, tx) in self.list.iter().enumerate() {
            let a = &tx.attempt;
            for mi in std::iter::once(&a.request()).chain(a.retransmissions()) {
                if let Some(slot @ None) = tx_of.get_mut(mi) {
                    *slot = Some(t);
                }
            }
        }
        for (n, note) in icmp.iter().enumerate() {
            if let Some(&Some(t)) = note.message.and_then(|mi| tx_of.get(&mi)) {
                self.list.get_mut(t).attempt.parts.push(Part::Icmp, n);
            }
        }
    }
}

/// Group messages into transactions and exchanges; `icmp` notes get their `message` filled in.
pub fn group(messages: &[SipMessage], icmp: &mut [IcmpNote]) -> Grouping {
    Grouper::new(messages.len()).finish(messages, icmp)
}

/// [`group`] fed a piece at a time: the capture's messages are taken into their transactions
/// as they are scanned (while each one's record is still in the cache, on the thread that
/// collects them), the exchanges are chained at the end. The same grouping as [`group`] of
/// the whole list.
pub struct Grouper {
    roles: Vec<MessageRole>,
    txs: Transactions,
}

impl Grouper {
    /// A grouping of no message yet, with room for about `room` messages.
    pub fn new(room: usize) -> Self {
        let mut txs = Transactions::new();
        txs.by_key.reserve(room / 2);
        Grouper {
            roles: Vec::with_capacity(room),
            txs,
        }
    }

    /// Take in the messages of `messages` (the capture's list so far, in order, each one's
    /// `index` its position) that the earlier calls did not.
    pub fn add(&mut self, messages: &[SipMessage]) {
        let from = self.roles.len();
        if from >= messages.len() {
            return;
        }
        self.roles.resize(messages.len(), MessageRole::default());
        for m in &messages[from..] {
            self.txs.add(m, messages, &mut self.roles);
        }
    }

    /// The grouping of every message of `messages` (those not taken in yet too); `icmp`
    /// notes get their `message` filled in.
    pub fn finish(mut self, messages: &[SipMessage], icmp: &mut [IcmpNote]) -> Grouping {
        self.add(messages);
        let Grouper { mut roles, mut txs } = self;
        link_icmp(messages, icmp);
        txs.attach_icmp(icmp);
        // The index is done with (a whole server's capture: tens of MB): freed before the
        // exchanges are made.
        let Transactions { list, by_key, .. } = txs;
        drop(by_key);
        let exchanges = chain(list, messages, &mut roles);
        Grouping { roles, exchanges }
    }
}

/// One exchange while chaining: its first and last transactions, how many it has, whether it
/// is about auth (see [`is_about_auth`]), and its id once the exchanges about auth are counted.
struct Chained {
    first: u32,
    last: u32,
    attempts: u32,
    about_auth: bool,
    id: Link,
}

/// Chain transactions into exchanges: a transaction of the same Call-ID and method joins the
/// open exchange when it answers its last challenge (401/407), or carries credentials after
/// an attempt that got no final answer. Exchanges about auth are kept (numbered in order),
/// their messages' roles set.
fn chain(txs: Blocks<Tx>, messages: &[SipMessage], roles: &mut [MessageRole]) -> Vec<Exchange> {
    // Which exchange each transaction joins, from the slim keys (the attempts stay put).
    let mut chained: Vec<Chained> = Vec::new();
    let mut of_tx: Vec<u32> = Vec::with_capacity(txs.len());
    let mut open: FxHashMap<(SymKey, SymKey), u32> = FxHashMap::default();
    for (t, tx) in txs.iter().enumerate() {
        let key = (SymKey(tx.call_id), SymKey(tx.method));
        let joins = open.get(&key).copied().filter(|&e| {
            let last = &txs.get(chained[e as usize].last as usize).attempt;
            matches!(last.final_status, Some(401 | 407))
                || (last.final_status.is_none() && tx.attempt.credentials.is_some())
        });
        let t = narrow(t);
        if let Some(e) = joins {
            let c = &mut chained[e as usize];
            c.last = t;
            c.attempts += 1;
            c.about_auth |= attempt_about_auth(&tx.attempt);
            of_tx.push(e);
            continue;
        }
        let e = narrow(chained.len());
        chained.push(Chained {
            first: t,
            last: t,
            attempts: 1,
            about_auth: is_about_auth(tx.method, std::iter::once(&tx.attempt)),
            id: Link::NONE,
        });
        open.insert(key, e);
        of_tx.push(e);
    }
    drop(open);
    let mut exchanges = Vec::with_capacity(chained.iter().filter(|c| c.about_auth).count());
    let mut users = Users::new();
    for c in chained.iter_mut().filter(|c| c.about_auth) {
        c.id = Link::to(exchanges.len());
        let tx = txs.get(c.first as usize);
        exchanges.push(new_exchange(exchanges.len(), tx, messages, &mut users));
    }
    // The attempts into their exchanges, a block at a time (each block freed after).
    let mut of_tx = of_tx.into_iter();
    for block in txs.blocks {
        for (tx, e) in block.into_iter().zip(&mut of_tx) {
            let c = &chained[e as usize];
            let Some(id) = c.id.get() else {
                continue;
            };
            let e = &mut exchanges[id];
            if e.attempts.capacity() == 0 {
                e.attempts.reserve_exact(c.attempts as usize);
            }
            e.attempts.push(tx.attempt);
            e.last_ts = e.last_ts.max(tx.last_ts);
        }
    }
    for e in &mut exchanges {
        finish(e);
        for mi in e.attempts.iter().flat_map(Attempt::messages) {
            roles[mi].exchange = Link::to(e.id);
        }
    }
    exchanges
}

/// The user parts of From/To values, each value read once (a dialog repeats its From and To
/// in every message; the user is interned).
struct Users {
    of_value: FxHashMap<SymKey, Option<Sym>>,
    from: crate::sip::KeptName,
    to: crate::sip::KeptName,
}

impl Users {
    fn new() -> Self {
        Users {
            of_value: FxHashMap::default(),
            from: crate::sip::KeptName::of("from").expect("From is kept"),
            to: crate::sip::KeptName::of("to").expect("To is kept"),
        }
    }

    /// The user of the first header `name` of `m` ([`SipMessage::from_user`] and `to_user`).
    fn of(&mut self, m: &SipMessage, name: crate::sip::KeptName) -> Option<Sym> {
        let value = m.headers.iter().find(|h| h.name == name)?.value;
        // A To with a tag is not interned (see `sip::HeaderValue`): read its URI here (its
        // interned part before the tag; the whole text is not built).
        let Some(value) = value.sym() else {
            return crate::sip::uri_user_str(value.uri()).map(Sym::new);
        };
        *self.of_value.entry(SymKey(value)).or_insert_with(|| {
            crate::sip::uri_user(crate::sip::uri_of_name_addr(&value)).map(|u| Sym::new(&u))
        })
    }
}

/// An exchange that starts with `tx`, with no attempt yet.
fn new_exchange(id: usize, tx: &Tx, messages: &[SipMessage], users: &mut Users) -> Exchange {
    let first_msg = &messages[tx.attempt.request()];
    Exchange {
        id,
        method: tx.method,
        call_id: tx.call_id,
        client: tx.src,
        server: tx.dst,
        from_user: users.of(first_msg, users.from),
        to_user: users.of(first_msg, users.to),
        request_uri: match first_msg.start() {
            StartLine::Request { uri, .. } => uri,
            StartLine::Response { .. } => Sym::new(""),
        },
        attempts: Vec::new(),
        outcome: Outcome::Pending,
        final_status: None,
        first_ts: first_msg.ts,
        last_ts: first_msg.ts,
    }
}

/// An attempt that makes its exchange about auth: it carries credentials, or was challenged
/// or refused with 403.
fn attempt_about_auth(a: &Attempt) -> bool {
    a.credentials.is_some() || matches!(a.final_status, Some(401 | 403 | 407))
}

/// Exchanges about auth: REGISTER and INVITE always; other methods when challenged, carrying
/// credentials, or refused with 403.
fn is_about_auth<'a>(method: Sym, mut attempts: impl Iterator<Item = &'a Attempt>) -> bool {
    method == "REGISTER" || method == "INVITE" || attempts.any(attempt_about_auth)
}

/// The exchange's outcome, once its attempts are all in (its `last_ts` is already the latest
/// of their messages).
fn finish(e: &mut Exchange) {
    let last = e.attempts.last().expect("exchange has an attempt");
    e.final_status = last.final_status;
    let refused_before = e.attempts[..e.attempts.len() - 1]
        .iter()
        .any(|a| a.credentials.is_some() && a.final_status.is_some_and(|s| s >= 300));
    e.outcome = match last.final_status {
        Some(s) if (200..300).contains(&s) => {
            if refused_before {
                Outcome::Recovered
            } else {
                Outcome::Accepted
            }
        }
        Some(401 | 407) => {
            if last.credentials.is_some() {
                Outcome::Rechallenged
            } else {
                Outcome::ChallengeUnanswered
            }
        }
        Some(_) => Outcome::Rejected,
        None if !last.responses().is_empty() => Outcome::Pending,
        None if e.attempts.iter().any(|a| !a.icmp().is_empty()) => Outcome::Unreachable,
        None => Outcome::NoResponse,
    };
}

/// Match each ICMP note to the request it quotes: by Call-ID/CSeq when the quote holds them,
/// else the latest request from the quoted source to the quoted destination before it.
fn link_icmp(messages: &[SipMessage], icmp: &mut [IcmpNote]) {
    if icmp.iter().all(|n| n.message.is_some()) {
        return;
    }
    // Requests by (source, destination), in capture order: one pass over the messages, not
    // one per ICMP note.
    let mut by_pair: HashMap<(SocketAddr, SocketAddr), Vec<usize>> = HashMap::new();
    for m in messages.iter().filter(|m| m.is_request()) {
        by_pair.entry((*m.src, *m.dst)).or_default().push(m.index());
    }
    for note in icmp.iter_mut() {
        if note.message.is_some() {
            continue;
        }
        note.message = by_pair
            .get(&(note.src, note.dst))
            .and_then(|v| v.iter().rev().copied().find(|&i| messages[i].ts <= note.ts));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Transport;

    const PHONE: &str = "192.0.2.10:5060";
    const PBX: &str = "192.0.2.1:5060";

    /// A message as the scanner would give it, from its text (`\n` line ends).
    fn msg(index: usize, from: &str, to: &str, text: &str) -> SipMessage {
        let raw = text.replace('\n', "\r\n");
        crate::sip::Scanner::message_from_datagram(
            index,
            (index as u64 + 1, index as i64 * 1_000_000),
            (from.parse().unwrap(), to.parse().unwrap()),
            Transport::Udp,
            raw.as_bytes(),
        )
        .expect("SIP")
    }

    const CREDS: &str = "Authorization: Digest username=\"1001\", realm=\"lab\", nonce=\"n1\", uri=\"sip:lab\", response=\"0123456789abcdef0123456789abcdef\"\n";

    fn request(method: &str, call: &str, cseq: u32, branch: &str, creds: bool) -> String {
        format!(
            "{method} sip:lab SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;branch={branch}\nFrom: <sip:1001@lab>;tag=f\nTo: <sip:1001@lab>\nCall-ID: {call}\nCSeq: {cseq} {method}\n{}Content-Length: 0\n\n",
            if creds { CREDS } else { "" }
        )
    }

    fn response(code: u16, method: &str, call: &str, cseq: u32, branch: &str) -> String {
        format!(
            "SIP/2.0 {code} Whatever\nVia: SIP/2.0/UDP 192.0.2.10;branch={branch}\nFrom: <sip:1001@lab>;tag=f\nTo: <sip:1001@lab>;tag=t\nCall-ID: {call}\nCSeq: {cseq} {method}\nContent-Length: 0\n\n"
        )
    }

    /// Messages from (direction, text): `true` phone -> server.
    fn messages(list: &[(bool, String)]) -> Vec<SipMessage> {
        list.iter()
            .enumerate()
            .map(|(i, (up, t))| {
                if *up {
                    msg(i, PHONE, PBX, t)
                } else {
                    msg(i, PBX, PHONE, t)
                }
            })
            .collect()
    }

    /// The grouping's records, sized on purpose: a role per message, an attempt per request,
    /// and a transaction per request while grouping (a whole server's capture has millions).
    #[test]
    fn record_sizes() {
        use std::mem::size_of;
        assert_eq!(size_of::<MessageRole>(), 8);
        assert_eq!(
            size_of::<Attempt>(),
            40,
            "its lists in one of 16 bytes and 24 of scalars"
        );
        assert_eq!(
            size_of::<Exchange>(),
            88,
            "addresses as 4-byte Endpoint ids, strings as Syms, messages read from the attempts"
        );
        assert_eq!(size_of::<Tx>(), 80, "its attempt and 40 bytes of keys");
    }

    /// Messages taken in a piece at a time (as the scanner hands them over) group as the
    /// whole list at once does: the same roles, exchanges and ICMP links, on lab captures
    /// (an office of 24 phones, TCP, an ICMP error, a brute force), pieces of every size.
    #[test]
    fn grouping_fed_in_pieces_equals_grouping_at_once() {
        for name in [
            "13-office-register-mixed.pcap",
            "12b-register-wrong-password-tcp.pcap",
            "06-register-no-listener.pcap",
            "10a-register-brute-force-403.pcap",
            "03a-invite-407-ok.pcap",
        ] {
            let a = crate::testutil::fixture(name);
            let mut icmp = a.icmp.clone();
            icmp.iter_mut().for_each(|n| n.message = None);
            let mut icmp_once = icmp.clone();
            let once = group(&a.messages, &mut icmp_once);
            let want = serde_json::to_string(&(&once, &icmp_once)).unwrap();
            assert!(!once.exchanges.is_empty(), "{name}");
            for piece in [1, 2, 3, 7, 64] {
                let mut g = Grouper::new(0);
                let mut n = 0;
                while n < a.messages.len() {
                    n = (n + piece).min(a.messages.len());
                    g.add(&a.messages[..n]);
                    g.add(&a.messages[..n]); // nothing new: nothing taken twice
                }
                let mut icmp_pieces = icmp.clone();
                let got = g.finish(&a.messages, &mut icmp_pieces);
                let got = serde_json::to_string(&(&got, &icmp_pieces)).unwrap();
                assert_eq!(got, want, "{name}, pieces of {piece}");
            }
            // Nothing taken in before the end: the same too.
            let mut icmp_end = icmp.clone();
            let at_end = Grouper::new(a.messages.len()).finish(&a.messages, &mut icmp_end);
            assert_eq!(serde_json::to_string(&(&at_end, &icmp_end)).unwrap(), want);
        }
    }

    #[test]
    fn blocks_keep_their_order_across_blocks() {
        let mut b = Blocks::new();
        for i in 0..3 * BLOCK + 7 {
            b.push(i * 3);
        }
        assert_eq!(b.len(), 3 * BLOCK + 7);
        assert_eq!(*b.get(BLOCK), BLOCK * 3);
        *b.get_mut(2 * BLOCK + 1) = 1;
        let all: Vec<usize> = b.iter().copied().collect();
        assert_eq!(all.len(), b.len());
        for (i, x) in all.into_iter().enumerate() {
            assert_eq!(x, if i == 2 * BLOCK + 1 { 1 } else { i * 3 });
        }
        assert_eq!(b.blocks.len(), 4);
    }

    #[test]
    fn methods_in_any_case_are_one_transaction() {
        // A lower-case method is upper-cased (the exchange's method), and its responses,
        // whatever the case of their CSeq method, find it.
        let m = messages(&[
            (true, request("register", "c1", 1, "z9hG4bK1", false)),
            (false, response(401, "Register", "c1", 1, "z9hG4bK1")),
            (true, request("REGISTER", "c1", 2, "z9hG4bK2", true)),
            (false, response(200, "REGISTER", "c1", 2, "z9hG4bK2")),
        ]);
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges.len(), 1);
        let e = &g.exchanges[0];
        assert_eq!(e.method, "REGISTER");
        assert_eq!(e.attempts.len(), 2);
        assert_eq!(e.attempts[0].responses(), [1]);
        assert_eq!(e.outcome, Outcome::Accepted);
        assert_eq!(e.to_user.as_deref(), Some("1001"));
    }

    #[test]
    fn outcome_names_are_the_json_names() {
        for o in Outcome::ALL {
            assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
            assert_eq!(o.to_string(), o.as_str());
        }
    }

    #[test]
    fn retransmissions_of_requests_and_responses() {
        let m = messages(&[
            (true, request("REGISTER", "c1", 1, "z9hG4bK1", false)),
            (true, request("REGISTER", "c1", 1, "z9hG4bK1", false)),
            (true, request("REGISTER", "c1", 1, "z9hG4bK1", false)),
            (false, response(401, "REGISTER", "c1", 1, "z9hG4bK1")),
            (false, response(401, "REGISTER", "c1", 1, "z9hG4bK1")),
            (true, request("REGISTER", "c1", 2, "z9hG4bK2", true)),
            (false, response(200, "REGISTER", "c1", 2, "z9hG4bK2")),
        ]);
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges.len(), 1);
        let e = &g.exchanges[0];
        assert_eq!(e.attempts.len(), 2);
        let a = &e.attempts[0];
        assert_eq!(
            (a.retransmissions().to_vec(), a.responses().to_vec()),
            (vec![1, 2], vec![3])
        );
        assert_eq!(a.response_retransmissions(), [4]);
        assert_eq!(a.final_status, Some(401));
        assert_eq!(e.attempts[1].credentials.as_deref(), Some("Authorization"));
        assert_eq!(e.outcome, Outcome::Accepted);
        assert_eq!(e.messages(), (0..7).collect::<Vec<_>>());
        assert_eq!(g.roles[2].retransmission_of, Some(0));
        assert_eq!(g.roles[4].retransmission_of, Some(3));
        assert_eq!(g.roles[5].retransmission_of, None);
        assert!(g.roles.iter().all(|r| r.exchange == Some(0)));
        assert_eq!((e.first_ts, e.last_ts), (0, 6_000_000));
    }

    #[test]
    fn forked_responses_first_final_decides() {
        // A forking proxy: provisional answers of two forks, the 200 of one, 487 of the other
        // (cancelled), all with the client's Via branch.
        let b = "z9hG4bKinv";
        let m = messages(&[
            (true, request("INVITE", "call", 1, b, true)),
            (false, response(100, "INVITE", "call", 1, b)),
            (false, response(180, "INVITE", "call", 1, b)),
            (false, response(183, "INVITE", "call", 1, b)),
            (false, response(180, "INVITE", "call", 1, b)),
            (false, response(200, "INVITE", "call", 1, b)),
            (false, response(487, "INVITE", "call", 1, b)),
            (true, request("ACK", "call", 1, "z9hG4bKack", false)),
        ]);
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges.len(), 1);
        let a = &g.exchanges[0].attempts[0];
        assert_eq!(a.responses(), [1, 2, 3, 5, 6]);
        // A status seen before counts as a copy, whichever fork sent it.
        assert_eq!(a.response_retransmissions(), [4]);
        assert_eq!(a.final_status, Some(200));
        assert_eq!(a.acks(), [7]);
        assert_eq!(g.exchanges[0].outcome, Outcome::Accepted);
        assert_eq!(g.roles[7].exchange, Some(0));
    }

    #[test]
    fn cseq_reused_with_another_branch_is_another_attempt() {
        // The phone answers the 401 with the same CSeq (a bug seen in the field), new branch;
        // a late copy of the 401 still belongs to the first transaction by its branch.
        let m = messages(&[
            (true, request("REGISTER", "c1", 7, "z9hG4bKa", false)),
            (false, response(401, "REGISTER", "c1", 7, "z9hG4bKa")),
            (true, request("REGISTER", "c1", 7, "z9hG4bKb", true)),
            (false, response(401, "REGISTER", "c1", 7, "z9hG4bKa")),
            (false, response(403, "REGISTER", "c1", 7, "z9hG4bKb")),
        ]);
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges.len(), 1);
        let e = &g.exchanges[0];
        assert_eq!(e.attempts.len(), 2);
        assert_eq!(e.attempts[0].response_retransmissions(), [3]);
        assert_eq!(e.attempts[1].responses(), [4]);
        assert_eq!(e.attempts[1].cseq, 7);
        assert_eq!(e.outcome, Outcome::Rejected);
        assert_eq!(e.final_status, Some(403));
        // Same CSeq and branch but other credentials: a new attempt too; a response without a
        // branch goes to the latest.
        let mut no_branch = response(401, "REGISTER", "c2", 1, "x");
        no_branch = no_branch.replace(";branch=x", "");
        let m = messages(&[
            (true, request("REGISTER", "c2", 1, "z9hG4bKs", false)),
            (true, request("REGISTER", "c2", 1, "z9hG4bKs", true)),
            (false, no_branch),
        ]);
        let g = group(&m, &mut []);
        let e = &g.exchanges[0];
        assert_eq!(e.attempts.len(), 2);
        assert!(e.attempts[0].responses().is_empty());
        assert_eq!(e.attempts[1].responses(), [2]);
        assert_eq!(e.outcome, Outcome::Rechallenged);
    }

    #[test]
    fn interleaved_call_ids_stay_apart() {
        let m = messages(&[
            (true, request("REGISTER", "A", 1, "z9hG4bKa1", false)),
            (true, request("REGISTER", "B", 1, "z9hG4bKb1", false)),
            (false, response(401, "REGISTER", "B", 1, "z9hG4bKb1")),
            (false, response(401, "REGISTER", "A", 1, "z9hG4bKa1")),
            (true, request("REGISTER", "B", 2, "z9hG4bKb2", true)),
            (true, request("REGISTER", "A", 2, "z9hG4bKa2", true)),
            (false, response(200, "REGISTER", "A", 2, "z9hG4bKa2")),
            (false, response(401, "REGISTER", "B", 2, "z9hG4bKb2")),
            // A message to another Call-ID with no auth is not an exchange.
            (true, request("OPTIONS", "C", 1, "z9hG4bKc", false)),
            (false, response(200, "OPTIONS", "C", 1, "z9hG4bKc")),
            // ...but a MESSAGE challenged with 407 is.
            (true, request("MESSAGE", "D", 1, "z9hG4bKd", false)),
            (false, response(407, "MESSAGE", "D", 1, "z9hG4bKd")),
        ]);
        let g = group(&m, &mut []);
        let msgs: Vec<Vec<usize>> = g.exchanges.iter().map(Exchange::messages).collect();
        let by_call: Vec<(&str, Outcome, &[usize])> = g
            .exchanges
            .iter()
            .zip(&msgs)
            .map(|(e, m)| (e.call_id.as_str(), e.outcome, m.as_slice()))
            .collect();
        assert_eq!(
            by_call,
            [
                ("A", Outcome::Accepted, &[0, 3, 5, 6][..]),
                ("B", Outcome::Rechallenged, &[1, 2, 4, 7][..]),
                ("D", Outcome::ChallengeUnanswered, &[10, 11][..]),
            ]
        );
        assert_eq!(g.exchanges[1].id, 1);
        assert_eq!(g.roles[8].exchange, None);
        assert_eq!(g.roles[11].exchange, Some(2));
        assert_eq!(g.exchanges[0].from_user.as_deref(), Some("1001"));
        assert_eq!(g.exchanges[0].request_uri, "sip:lab");
    }

    #[test]
    fn silence_with_icmp_is_unreachable() {
        let m = messages(&[
            (true, request("REGISTER", "c", 1, "z9hG4bK1", false)),
            (true, request("REGISTER", "c", 1, "z9hG4bK1", false)),
        ]);
        let note = |frame, ts| IcmpNote {
            frame,
            ts,
            reporter: "192.0.2.1".parse().unwrap(),
            kind: "port-unreachable".into(),
            src: PHONE.parse().unwrap(),
            dst: PBX.parse().unwrap(),
            message: None,
        };
        let mut icmp = vec![note(9, 1_500_000)];
        let g = group(&m, &mut icmp);
        assert_eq!(icmp[0].message, Some(1), "the latest request before it");
        assert_eq!(g.exchanges[0].attempts[0].icmp(), [0]);
        // The ICMP note is not a message of the exchange.
        assert_eq!(g.exchanges[0].messages(), [0, 1]);
        assert_eq!(g.exchanges[0].outcome, Outcome::Unreachable);
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges[0].outcome, Outcome::NoResponse);
        // A provisional answer only: pending.
        let mut m = m;
        m.push(msg(
            2,
            PBX,
            PHONE,
            &response(100, "REGISTER", "c", 1, "z9hG4bK1"),
        ));
        assert_eq!(group(&m, &mut []).exchanges[0].outcome, Outcome::Pending);
    }

    /// The SIP messages of a fixture, read by the layers below this one.
    fn fixture(name: &str) -> Vec<SipMessage> {
        use crate::capture::{Event, PacketStream, Skips};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let mut stream = PacketStream::open(&path).expect("fixture opens");
        let mut scanner = crate::sip::Scanner::new();
        let mut skips = Skips::default();
        let mut out: Vec<SipMessage> = Vec::new();
        while let Some(ev) = stream.next_event() {
            match ev {
                Event::Datagram(p) => out.extend(scanner.datagram(p, &mut skips)),
                Event::TcpData {
                    payload,
                    gap_before,
                } => out.extend(scanner.tcp(payload, gap_before, &mut skips)),
                _ => {}
            }
        }
        scanner.finish(&mut skips);
        for (i, m) in out.iter_mut().enumerate() {
            m.set_index(i);
        }
        out
    }

    #[test]
    fn real_captures() {
        // sipp with a wrong password against Kamailio: one 401 loop, 4 attempts.
        let m = fixture("02-register-wrong-password.pcap");
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges.len(), 1);
        let e = &g.exchanges[0];
        assert_eq!(e.attempts.len(), 4);
        assert_eq!(e.authenticated_attempts(), 3);
        assert_eq!(e.outcome, Outcome::Rechallenged);
        assert!(g.roles.iter().all(|r| r.retransmission_of.is_none()));
        // The same run recorded by dumpcap on two interfaces: every packet twice, the copies
        // are retransmissions, not new attempts.
        let m2 = fixture("12k-register-wrong-password-dumpcap.pcapng");
        assert_eq!(m2.len(), 2 * m.len());
        let g2 = group(&m2, &mut []);
        assert_eq!(g2.exchanges.len(), 1);
        let e2 = &g2.exchanges[0];
        assert_eq!(e2.attempts.len(), 4);
        assert_eq!(e2.outcome, Outcome::Rechallenged);
        for a in &e2.attempts {
            assert_eq!(
                (
                    a.retransmissions().len(),
                    a.response_retransmissions().len()
                ),
                (1, 1)
            );
        }
        // Nothing listens: the REGISTER retransmitted on timer E (5 copies), no response.
        let m = fixture("06-register-no-listener.pcap");
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges.len(), 1);
        assert_eq!(g.exchanges[0].attempts[0].retransmissions().len(), 4);
        assert_eq!(g.exchanges[0].outcome, Outcome::NoResponse);
        // INVITE through the proxy: 407, then the call; the proxied copies are other
        // transactions (proxy -> callee) of the same Call-ID.
        let m = fixture("03a-invite-407-ok.pcap");
        let g = group(&m, &mut []);
        let phone = &g.exchanges[0];
        assert_eq!(phone.method, "INVITE");
        assert_eq!(phone.attempts.len(), 2);
        assert_eq!(phone.attempts[0].final_status, Some(407));
        assert_eq!(phone.attempts[1].final_status, Some(200));
        assert_eq!(phone.outcome, Outcome::Accepted);
    }
}
