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
    pub credentials: Option<String>,
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
    /// The wire name (`"challenge-unanswered"`), as in the JSON contract.
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
    for (canonical, name) in [
        ("proxy-authorization", "Proxy-Authorization"),
        ("authorization", "Authorization"),
    ] {
        if let Some(v) = m.header(canonical) {
            let answers = crate::sip::auth::parse_credentials(v).is_ok_and(|c| {
                !c.nonce().unwrap_or("").is_empty() && !c.response().unwrap_or("").is_empty()
            });
            if answers {
                return Some(name.into());
            }
        }
    }
    None
}

struct Tx {
    call_id: String,
    method: String,
    branch: Option<String>,
    src: SocketAddr,
    dst: SocketAddr,
    attempt: Attempt,
    seen_status: Vec<u16>,
}

/// Group messages into transactions and exchanges; `icmp` notes get their `message` filled in.
pub fn group(messages: &[SipMessage], icmp: &mut [IcmpNote]) -> Grouping {
    let mut roles = vec![MessageRole::default(); messages.len()];
    let mut txs: Vec<Tx> = Vec::new();
    // (call-id, cseq, method) -> transaction indexes
    let mut by_key: HashMap<(String, u32, String), Vec<usize>> = HashMap::new();

    for m in messages {
        let (Some(call_id), Some((cseq, cseq_method))) = (m.call_id(), m.cseq()) else {
            continue;
        };
        let cseq_method = cseq_method.to_ascii_uppercase();
        match m.method() {
            Some(method) => {
                let method = method.to_ascii_uppercase();
                if method == "ACK" {
                    // The ACK of a non-2xx final response belongs to the INVITE transaction
                    // (RFC 3261 17.1.1.3); a 2xx ACK is its own, we still show it there.
                    if let Some(&t) = by_key
                        .get(&(call_id.to_string(), cseq, "INVITE".into()))
                        .and_then(|v| v.last())
                    {
                        txs[t].attempt.acks.push(m.index);
                    }
                    continue;
                }
                let key = (call_id.to_string(), cseq, method.clone());
                let branch = m.via_branch().map(str::to_string);
                let creds = credentials_header(m);
                let existing = by_key.get(&key).and_then(|v| {
                    v.iter().rev().copied().find(|&t| {
                        let tx = &txs[t];
                        tx.src == m.src
                            && tx.dst == m.dst
                            && tx.branch == branch
                            && tx.attempt.credentials == creds
                    })
                });
                if let Some(t) = existing {
                    roles[m.index].retransmission_of = Some(txs[t].attempt.request);
                    txs[t].attempt.retransmissions.push(m.index);
                } else {
                    let idx = txs.len();
                    txs.push(Tx {
                        call_id: call_id.to_string(),
                        method,
                        branch,
                        src: m.src,
                        dst: m.dst,
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
                        seen_status: vec![],
                    });
                    by_key.entry(key).or_default().push(idx);
                }
            }
            None => {
                let status = m.status().unwrap_or(0);
                let key = (call_id.to_string(), cseq, cseq_method);
                let branch = m.via_branch().map(str::to_string);
                let Some(cands) = by_key.get(&key) else {
                    continue;
                };
                // Prefer the transaction with the same branch; else the latest one.
                let t = cands
                    .iter()
                    .rev()
                    .copied()
                    .find(|&t| branch.is_some() && txs[t].branch == branch)
                    .or_else(|| cands.last().copied());
                let Some(t) = t else { continue };
                let tx = &mut txs[t];
                if tx.seen_status.contains(&status) {
                    let first = tx
                        .attempt
                        .responses
                        .iter()
                        .copied()
                        .find(|&i| messages[i].status() == Some(status));
                    roles[m.index].retransmission_of = first;
                    tx.attempt.response_retransmissions.push(m.index);
                } else {
                    tx.seen_status.push(status);
                    tx.attempt.responses.push(m.index);
                    if status >= 200 && tx.attempt.final_status.is_none() {
                        tx.attempt.final_status = Some(status);
                    }
                }
            }
        }
    }

    link_icmp(messages, icmp);
    for (n, note) in icmp.iter().enumerate() {
        if let Some(mi) = note.message
            && let Some(tx) = txs
                .iter_mut()
                .find(|t| t.attempt.request == mi || t.attempt.retransmissions.contains(&mi))
        {
            tx.attempt.icmp.push(n);
        }
    }

    // Chain transactions into exchanges.
    let mut exchanges: Vec<Exchange> = Vec::new();
    let mut open: HashMap<(String, String), usize> = HashMap::new();
    for tx in txs {
        let key = (tx.call_id.clone(), tx.method.clone());
        let joins = open.get(&key).copied().filter(|&e| {
            let last = exchanges[e]
                .attempts
                .last()
                .expect("exchange has an attempt");
            matches!(last.final_status, Some(401 | 407))
                || (last.final_status.is_none() && tx.attempt.credentials.is_some())
        });
        let first_msg = &messages[tx.attempt.request];
        match joins {
            Some(e) => exchanges[e].attempts.push(tx.attempt),
            None => {
                let id = exchanges.len();
                exchanges.push(Exchange {
                    id,
                    method: tx.method.clone(),
                    call_id: tx.call_id.clone(),
                    client: tx.src,
                    server: tx.dst,
                    from_user: first_msg.from_user(),
                    to_user: first_msg.to_user(),
                    request_uri: first_msg.request_uri().unwrap_or("").to_string(),
                    attempts: vec![tx.attempt],
                    outcome: Outcome::Pending,
                    final_status: None,
                    first_ts: first_msg.ts,
                    last_ts: first_msg.ts,
                    messages: vec![],
                });
                open.insert(key, id);
            }
        }
    }

    // Keep exchanges that are about auth: REGISTER and INVITE always; other methods when
    // challenged, carrying credentials, or refused with 403.
    exchanges.retain(|e| {
        e.method == "REGISTER"
            || e.method == "INVITE"
            || e.attempts
                .iter()
                .any(|a| a.credentials.is_some() || matches!(a.final_status, Some(401 | 403 | 407)))
    });
    for (id, e) in exchanges.iter_mut().enumerate() {
        e.id = id;
        finish(e, messages);
        for &mi in &e.messages {
            roles[mi].exchange = Some(id);
        }
    }
    Grouping { roles, exchanges }
}

fn finish(e: &mut Exchange, messages: &[SipMessage]) {
    let mut all = Vec::new();
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
    for note in icmp.iter_mut() {
        if note.message.is_some() {
            continue;
        }
        note.message = messages
            .iter()
            .filter(|m| m.is_request() && m.src == note.src && m.dst == note.dst && m.ts <= note.ts)
            .map(|m| m.index)
            .next_back();
    }
}
