//! Auth exchanges: requests grouped by Call-ID and CSeq, retransmissions marked.
//!
//! A *transaction* is one request (with its retransmissions) and the responses to it, matched by
//! Call-ID, CSeq and the topmost Via branch (RFC 3261 section 17.1.3). An *exchange* is the chain
//! of transactions of one Call-ID and method in which each retry answers the previous one's
//! 401/407 challenge (RFC 3261 section 22.2): `REGISTER -> 401 -> REGISTER (Authorization) ->
//! 200`. An exchange ends with a final answer that is not a challenge, or with silence.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use serde::Serialize;

use crate::capture::Nanos;
use crate::sip::SipMessage;
use crate::sip::intern::FxHashMap;

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

/// How a message takes part in the capture's exchanges.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MessageRole {
    /// Index of the first copy when this message is a retransmission.
    pub retransmission_of: Option<usize>,
    /// The exchange it belongs to.
    pub exchange: Option<usize>,
}

/// One attempt: a request and what came back for it.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// Message index of the request (first copy).
    pub request: usize,
    pub frame: u64,
    pub cseq: u32,
    /// "Authorization" or "Proxy-Authorization" when the request carries credentials.
    pub credentials: Option<CredentialsHeader>,
    pub retransmissions: Vec<usize>,
    /// Responses (first copies), in order.
    pub responses: Vec<usize>,
    pub response_retransmissions: Vec<usize>,
    /// Final status (>= 200), if any.
    pub final_status: Option<u16>,
    /// ACKs sent for it (INVITE).
    pub acks: Vec<usize>,
    /// ICMP errors quoting it (indexes into the capture's ICMP notes).
    pub icmp: Vec<usize>,
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

/// A chain of attempts of one Call-ID and method.
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    pub id: usize,
    pub method: String,
    pub call_id: String,
    /// The side that sent the request.
    pub client: SocketAddr,
    /// Where it was sent.
    pub server: SocketAddr,
    pub from_user: Option<String>,
    pub to_user: Option<String>,
    pub request_uri: String,
    pub attempts: Vec<Attempt>,
    pub outcome: Outcome,
    /// Final status of the last attempt.
    pub final_status: Option<u16>,
    pub first_ts: Nanos,
    pub last_ts: Nanos,
    /// Every message of the exchange, in capture order.
    pub messages: Vec<usize>,
}

impl Exchange {
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

/// One transaction while grouping; the strings borrow from the messages (no copies).
struct Tx<'m> {
    call_id: &'m str,
    method: Method,
    branch: Option<crate::sip::BranchId>,
    src: SocketAddr,
    dst: SocketAddr,
    attempt: Attempt,
    /// The previous transaction of the same (Call-ID, CSeq, method), newest first: the
    /// index keeps the newest one only, each transaction links to the one before (no list
    /// per key).
    prev: Option<usize>,
}

/// A method upper-cased once: REGISTER/INVITE/ACK without an allocation, others copied.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Method {
    Known(&'static str),
    Other(String),
}

impl Method {
    fn new(m: &str) -> Method {
        for k in [
            "REGISTER",
            "INVITE",
            "ACK",
            "OPTIONS",
            "BYE",
            "CANCEL",
            "SUBSCRIBE",
        ] {
            if m.eq_ignore_ascii_case(k) {
                return Method::Known(k);
            }
        }
        Method::Other(m.to_ascii_uppercase())
    }
    fn as_str(&self) -> &str {
        match self {
            Method::Known(k) => k,
            Method::Other(s) => s,
        }
    }
}

/// The transactions seen so far, with the index to find them by (Call-ID, CSeq, method).
#[derive(Default)]
struct Transactions<'m> {
    list: Vec<Tx<'m>>,
    /// The newest transaction of each key (the older ones through [`Tx::prev`]).
    by_key: FxHashMap<(&'m str, u32, Method), usize>,
}

impl<'m> Transactions<'m> {
    /// The transactions of a key, newest first.
    fn of_key(&self, newest: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(newest, |&t| self.list[t].prev)
    }

    /// A request: a retransmission of a known transaction (same key, addresses, branch and
    /// credentials), a new transaction, or an ACK put with its INVITE.
    fn add_request(
        &mut self,
        m: &'m SipMessage,
        (call_id, cseq): (&'m str, u32),
        method: &str,
        roles: &mut [MessageRole],
    ) {
        let method = Method::new(method);
        if method == Method::Known("ACK") {
            // The ACK of a non-2xx final response belongs to the INVITE transaction
            // (RFC 3261 17.1.1.3); a 2xx ACK is its own, we still show it there.
            if let Some(&t) = self.by_key.get(&(call_id, cseq, Method::Known("INVITE"))) {
                self.list[t].attempt.acks.push(m.index);
            }
            return;
        }
        let branch = m.via_branch();
        let creds = credentials_name(m).and_then(CredentialsHeader::of);
        let key = (call_id, cseq, method);
        let newest = self.by_key.get(&key).copied();
        let existing = self.of_key(newest).find(|&t| {
            let tx = &self.list[t];
            tx.src == *m.src
                && tx.dst == *m.dst
                && tx.branch == branch
                && tx.attempt.credentials == creds
        });
        if let Some(t) = existing {
            roles[m.index].retransmission_of = Some(self.list[t].attempt.request);
            self.list[t].attempt.retransmissions.push(m.index);
            return;
        }
        let method = key.2.clone();
        self.by_key.insert(key, self.list.len());
        self.list.push(Tx {
            call_id,
            method,
            branch,
            src: *m.src,
            dst: *m.dst,
            attempt: Attempt {
                request: m.index,
                frame: m.frame,
                cseq,
                credentials: creds,
                retransmissions: vec![],
                responses: vec![],
                response_retransmissions: vec![],
                final_status: None,
                acks: vec![],
                icmp: vec![],
            },
            prev: newest,
        });
    }

    /// A response: put with the transaction of its Call-ID, CSeq and CSeq method (the one with
    /// its Via branch, else the latest); a status already seen there is a retransmission.
    fn add_response(
        &mut self,
        m: &SipMessage,
        (call_id, cseq): (&'m str, u32),
        cseq_method: &str,
        messages: &[SipMessage],
        roles: &mut [MessageRole],
    ) {
        let status = m.status().unwrap_or(0);
        let key = (call_id, cseq, Method::new(cseq_method));
        let branch = m.via_branch();
        let Some(&newest) = self.by_key.get(&key) else {
            return;
        };
        let t = branch
            .and_then(|_| {
                self.of_key(Some(newest))
                    .find(|&t| self.list[t].branch == branch)
            })
            .unwrap_or(newest);
        let tx = &mut self.list[t];
        // The statuses seen are those of its responses (first copies).
        let first = tx
            .attempt
            .responses
            .iter()
            .copied()
            .find(|&i| messages[i].status() == Some(status));
        if first.is_some() {
            roles[m.index].retransmission_of = first;
            tx.attempt.response_retransmissions.push(m.index);
        } else {
            tx.attempt.responses.push(m.index);
            if status >= 200 && tx.attempt.final_status.is_none() {
                tx.attempt.final_status = Some(status);
            }
        }
    }

    /// Each ICMP note (already linked to a message) on the transaction of that request
    /// (through an index of the quoted requests: no scan of every transaction per note).
    fn attach_icmp(&mut self, icmp: &[IcmpNote]) {
        if icmp.iter().all(|n| n.message.is_none()) {
            return;
        }
        let mut by_request: HashMap<usize, usize> = HashMap::new();
        for (t, tx) in self.list.iter().enumerate() {
            for &mi in std::iter::once(&tx.attempt.request).chain(&tx.attempt.retransmissions) {
                by_request.entry(mi).or_insert(t);
            }
        }
        for (n, note) in icmp.iter().enumerate() {
            if let Some(&t) = note.message.and_then(|mi| by_request.get(&mi)) {
                self.list[t].attempt.icmp.push(n);
            }
        }
    }
}

/// Group messages into transactions and exchanges; `icmp` notes get their `message` filled in.
pub fn group(messages: &[SipMessage], icmp: &mut [IcmpNote]) -> Grouping {
    let mut roles = vec![MessageRole::default(); messages.len()];
    let mut txs = Transactions::default();
    // Room for a transaction per request (pages never filled are never resident): the list
    // of 100,000s of transactions is not copied as it grows.
    let requests = messages.iter().filter(|m| m.is_request()).count();
    txs.list.reserve(requests);
    txs.by_key.reserve(requests);
    for m in messages {
        let (Some(call_id), Some((cseq, cseq_method))) = (m.call_id(), m.cseq()) else {
            continue;
        };
        match m.method() {
            Some(method) => txs.add_request(m, (call_id, cseq), method, &mut roles),
            None => txs.add_response(m, (call_id, cseq), cseq_method, messages, &mut roles),
        }
    }
    link_icmp(messages, icmp);
    txs.attach_icmp(icmp);
    let mut exchanges = chain(txs.list, messages);
    exchanges.retain(is_about_auth);
    for (id, e) in exchanges.iter_mut().enumerate() {
        e.id = id;
        finish(e, messages);
        for &mi in &e.messages {
            roles[mi].exchange = Some(id);
        }
    }
    Grouping { roles, exchanges }
}

/// Chain transactions into exchanges: a transaction of the same Call-ID and method joins the
/// open exchange when it answers its last challenge (401/407), or carries credentials after
/// an attempt that got no final answer.
fn chain(txs: Vec<Tx<'_>>, messages: &[SipMessage]) -> Vec<Exchange> {
    let mut exchanges: Vec<Exchange> = Vec::with_capacity(txs.len());
    let mut open: FxHashMap<(&str, Method), usize> = FxHashMap::default();
    for tx in txs {
        let key = (tx.call_id, tx.method.clone());
        let joins = open.get(&key).copied().filter(|&e| {
            exchanges[e].attempts.last().is_some_and(|last| {
                matches!(last.final_status, Some(401 | 407))
                    || (last.final_status.is_none() && tx.attempt.credentials.is_some())
            })
        });
        if let Some(e) = joins {
            exchanges[e].attempts.push(tx.attempt);
            continue;
        }
        let first_msg = &messages[tx.attempt.request];
        let id = exchanges.len();
        exchanges.push(Exchange {
            id,
            method: tx.method.as_str().to_string(),
            call_id: tx.call_id.to_string(),
            client: tx.src,
            server: tx.dst,
            from_user: first_msg.from_user(),
            to_user: first_msg.to_user(),
            request_uri: first_msg.request_uri().unwrap_or("").to_string(),
            // Room for the usual challenge and answer.
            attempts: {
                let mut v = Vec::with_capacity(2);
                v.push(tx.attempt);
                v
            },
            outcome: Outcome::Pending,
            final_status: None,
            first_ts: first_msg.ts,
            last_ts: first_msg.ts,
            messages: vec![],
        });
        open.insert(key, id);
    }
    exchanges
}

/// Exchanges about auth: REGISTER and INVITE always; other methods when challenged, carrying
/// credentials, or refused with 403.
fn is_about_auth(e: &Exchange) -> bool {
    e.method == "REGISTER"
        || e.method == "INVITE"
        || e.attempts
            .iter()
            .any(|a| a.credentials.is_some() || matches!(a.final_status, Some(401 | 403 | 407)))
}

fn finish(e: &mut Exchange, messages: &[SipMessage]) {
    // Room for exactly every message (an exchange's list is kept for the whole session).
    let n = e
        .attempts
        .iter()
        .map(|a| {
            1 + a.retransmissions.len()
                + a.responses.len()
                + a.response_retransmissions.len()
                + a.acks.len()
        })
        .sum();
    let mut all = Vec::with_capacity(n);
    for a in &e.attempts {
        all.push(a.request);
        all.extend(&a.retransmissions);
        all.extend(&a.responses);
        all.extend(&a.response_retransmissions);
        all.extend(&a.acks);
    }
    all.sort_unstable();
    all.dedup();
    e.last_ts = all
        .iter()
        .map(|&i| messages[i].ts)
        .max()
        .unwrap_or(e.first_ts);
    e.messages = all;
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
        None if !last.responses.is_empty() => Outcome::Pending,
        None if e.attempts.iter().any(|a| !a.icmp.is_empty()) => Outcome::Unreachable,
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
        by_pair.entry((*m.src, *m.dst)).or_default().push(m.index);
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
            (a.retransmissions.clone(), a.responses.clone()),
            (vec![1, 2], vec![3])
        );
        assert_eq!(a.response_retransmissions, [4]);
        assert_eq!(a.final_status, Some(401));
        assert_eq!(e.attempts[1].credentials.as_deref(), Some("Authorization"));
        assert_eq!(e.outcome, Outcome::Accepted);
        assert_eq!(e.messages, (0..7).collect::<Vec<_>>());
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
        assert_eq!(a.responses, [1, 2, 3, 5, 6]);
        // A status seen before counts as a copy, whichever fork sent it.
        assert_eq!(a.response_retransmissions, [4]);
        assert_eq!(a.final_status, Some(200));
        assert_eq!(a.acks, [7]);
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
        assert_eq!(e.attempts[0].response_retransmissions, [3]);
        assert_eq!(e.attempts[1].responses, [4]);
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
        assert!(e.attempts[0].responses.is_empty());
        assert_eq!(e.attempts[1].responses, [2]);
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
        let by_call: Vec<(&str, Outcome, &[usize])> = g
            .exchanges
            .iter()
            .map(|e| (e.call_id.as_str(), e.outcome, e.messages.as_slice()))
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
        assert_eq!(g.exchanges[0].attempts[0].icmp, [0]);
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
            m.index = i;
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
                (a.retransmissions.len(), a.response_retransmissions.len()),
                (1, 1)
            );
        }
        // Nothing listens: the REGISTER retransmitted on timer E (5 copies), no response.
        let m = fixture("06-register-no-listener.pcap");
        let g = group(&m, &mut []);
        assert_eq!(g.exchanges.len(), 1);
        assert_eq!(g.exchanges[0].attempts[0].retransmissions.len(), 4);
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
