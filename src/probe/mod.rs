//! The built-in known-good client: a test REGISTER (and an OPTIONS ping) sent from this
//! machine to the server the technician typed, reported as a mini-ladder with a verdict.
//!
//! Behaviour, and where it comes from:
//! - requests are built with `rsip` (RFC 3261 section 10.2: Request-URI `sip:domain`, To = From
//!   = the address of record, Contact, Expires, CSeq incremented per request, same Call-ID and
//!   From tag for every REGISTER of the run, a new `z9hG4bK` branch per request, section 8.1.1.7);
//! - UDP retransmissions follow the non-INVITE client transaction, RFC 3261 section 17.1.2.2:
//!   timer E starts at T1 (500 ms) and doubles up to T2 (4 s), after a provisional response it
//!   fires every T2; timer F (64*T1) ends the transaction. On top of that a total time bound
//!   and a hard cap on packets sent: the probe never loops;
//! - a 401/407 is answered with the topmost challenge whose algorithm we support (RFC 8760
//!   section 2.4: "the UAC MUST use the topmost header field value that contains a supported
//!   algorithm"), MD5, SHA-256, SHA-512-256 and their -sess forms; qop `auth` preferred, then
//!   `auth-int` (our body is empty), or no qop (RFC 2069 form);
//! - credentials refused again (a new challenge without `stale=true`) mean wrong credentials;
//!   `stale=true` (RFC 2617 section 3.2.1) is answered again, at most twice;
//! - one redirect (3xx, first Contact) is followed at most;
//! - after a 2xx the binding is removed again with `Expires: 0` (section 10.2.2), reusing the
//!   same nonce (nc incremented) and answering a new challenge if the server wants one.
//!
//! The password is only ever handed to [`crate::digest::response`]; the report, the ladder
//! and the callbacks carry summaries of what was sent, never the secret.

mod wire;

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::digest::{self, Algorithm, DigestParams, Qop};
use crate::msg::{Arg, Msg, Text, io_reason};
use crate::secret::Secret;
use crate::sip::auth::{AuthValue, parse_challenges};
use crate::sip::{Header, StartLine, header_is, param_of, parse_datagram, uri_of_name_addr};
use crate::text;
use crate::transaction::Outcome;

pub use wire::take_stream_message;

/// RFC 3261 section 17.1.1.1: T1 default 500 ms, T2 4 s.
pub const DEFAULT_T1: Duration = Duration::from_millis(500);
pub const T2: Duration = Duration::from_secs(4);
/// Default bound on one run (per phase: registering, then unregistering).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(8);
/// Default hard cap on packets sent in one run, retransmissions included.
pub const DEFAULT_MAX_PACKETS: u32 = 20;
/// Most requests (not retransmissions) one run sends: first REGISTER, answered challenge,
/// stale re-answer x2, redirect + its challenge, unregister + its challenge.
const MAX_REQUESTS: u32 = 10;

pub use crate::capture::Transport;

/// What was typed cannot be tested (the CLI's "bad input", exit 2): nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The test client speaks UDP and TCP only.
    #[error("the test client speaks UDP or TCP, not {0}")]
    UnsupportedTransport(Transport),
    #[error("{0}")]
    Invalid(Text),
}

impl InputError {
    /// The error in words of the catalogue, for any language.
    pub fn text(&self) -> Text {
        match self {
            InputError::UnsupportedTransport(t) => text!(PbTransport, transport = t.label()),
            InputError::Invalid(t) => t.clone(),
        }
    }
}

/// What to test. `server` is HOST[:PORT] exactly as typed (IPv6 as `[addr]:port`).
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    pub server: String,
    pub transport: Transport,
    /// The user part of the address of record (From/To).
    pub user: String,
    /// The digest user name when it differs from `user`.
    pub auth_user: Option<String>,
    /// SIP domain of the address of record; default: the server's host.
    pub domain: Option<String>,
    /// Expires of the test binding, seconds (it is removed again right after).
    pub expires: u32,
    /// Local source address (UDP only), e.g. to test a source-address ACL.
    pub bind: Option<IpAddr>,
    /// RFC 3261 T1.
    pub t1: Duration,
    /// Bound on each phase (register, unregister) of the run.
    pub timeout: Duration,
    /// Hard cap on packets sent in the whole run.
    pub max_packets: u32,
}

impl ProbeOptions {
    pub fn new(server: impl Into<String>, transport: Transport, user: impl Into<String>) -> Self {
        ProbeOptions {
            server: server.into(),
            transport,
            user: user.into(),
            auth_user: None,
            domain: None,
            expires: 60,
            bind: None,
            t1: DEFAULT_T1,
            timeout: DEFAULT_TIMEOUT,
            max_packets: DEFAULT_MAX_PACKETS,
        }
    }
    /// Check what was typed before anything is sent (the CLI's "bad input").
    pub fn validate(&self, for_register: bool) -> Result<(), InputError> {
        validate(self, for_register).map(|_| ())
    }
    fn auth_user(&self) -> &str {
        self.auth_user
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.user)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Registered,
    WrongCredentials,
    Forbidden,
    NoAnswer,
    Unreachable,
    Error,
    /// OPTIONS ping only: something answered with a SIP response.
    Answered,
}

impl Verdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Registered => "registered",
            Verdict::WrongCredentials => "wrong-credentials",
            Verdict::Forbidden => "forbidden",
            Verdict::NoAnswer => "no-answer",
            Verdict::Unreachable => "unreachable",
            Verdict::Error => "error",
            Verdict::Answered => "answered",
        }
    }

    /// The verdict in `lang` (English: its wire name).
    pub fn word(&self, lang: crate::msg::Lang) -> &'static str {
        use crate::msg::Msg;
        match self {
            Verdict::Registered => Msg::ProbeRegistered,
            Verdict::WrongCredentials => Msg::ProbeWrongCredentials,
            Verdict::Forbidden => Msg::ProbeForbidden,
            Verdict::NoAnswer => Msg::ProbeNoAnswer,
            Verdict::Unreachable => Msg::ProbeUnreachable,
            Verdict::Error => Msg::ProbeError,
            Verdict::Answered => Msg::ProbeAnswered,
        }
        .template(lang)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Sent,
    Received,
}

/// One line of the mini-ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LadderStep {
    /// Milliseconds since the probe started.
    pub t_ms: u64,
    pub direction: Direction,
    /// The request line or status line.
    pub summary: String,
    /// What matters about it: CSeq, credentials used (never their secret), challenge, etc.
    /// In any language; English in JSON.
    pub detail: Text,
}

/// Result of a probe run.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    pub verdict: Verdict,
    pub ladder: Vec<LadderStep>,
    /// The address actually used (after DNS and at most one redirect).
    pub server_addr: Option<String>,
    pub transport: Transport,
    /// A plain sentence for the technician (English).
    pub message: String,
    /// The same sentence as a message, for the other languages (see [`ProbeReport::message_in`]).
    #[serde(skip)]
    pub message_text: Option<Text>,
    /// Digest algorithm of the credentials that were accepted or refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// Whether the test binding was removed again (REGISTER with Expires: 0 answered 2xx).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unregistered: Option<bool>,
    /// The final status code that decided the verdict, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub packets_sent: u32,
    pub elapsed_ms: u64,
}

/// A response as received.
#[derive(Debug, Clone)]
struct Response {
    code: u16,
    reason: String,
    headers: Vec<Header>,
}

impl Response {
    fn header(&self, canonical: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| header_is(&h.name, canonical))
            .map(|h| h.value.as_str())
    }
    fn headers_named<'a>(&'a self, canonical: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |h| header_is(&h.name, canonical))
            .map(|h| h.value.as_str())
    }
    fn status_line(&self) -> String {
        format!("{} {}", self.code, self.reason)
    }
}

/// How one client transaction ended without a final response.
enum TxEnd {
    /// Timer F or the run's bound: no final response.
    Timeout {
        transmissions: u32,
        provisional: bool,
    },
    Refused,
    Closed,
    PacketCap,
    Error(Text),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthKind {
    /// 401 / WWW-Authenticate -> Authorization
    Www,
    /// 407 / Proxy-Authenticate -> Proxy-Authorization
    Proxy,
}

/// The challenge we answer and how.
#[derive(Debug, Clone)]
struct Answer {
    kind: AuthKind,
    algorithm: Algorithm,
    /// The algorithm token to echo (None when the challenge had none: MD5 implied).
    algorithm_sent: bool,
    realm: String,
    nonce: String,
    opaque: Option<String>,
    qop: Qop,
    userhash: bool,
    /// Next nonce count to use with this nonce.
    nc: u32,
}

/// The challenge chosen among those offered, or why none fits.
fn choose_challenge(values: &[AuthValue], kind: AuthKind) -> Result<(Answer, bool), Text> {
    let mut seen = Vec::new();
    for c in values {
        if !c.is_digest() {
            seen.push(text!(ProtoValue, value = c.scheme.as_str()));
            continue;
        }
        let alg = match Algorithm::parse(c.algorithm()) {
            Ok(a) => a,
            Err(_) => {
                let v = format!("Digest {}", c.algorithm().unwrap_or(""));
                seen.push(text!(ProtoValue, value = v));
                continue;
            }
        };
        let (Some(realm), Some(nonce)) = (c.realm(), c.nonce()) else {
            seen.push(text!(ChNoRealmNonce, alg = alg.as_str()));
            continue;
        };
        let qop = if c.qop().is_none() {
            Qop::None
        } else {
            let opts = c.qop_options();
            if opts.iter().any(|q| q == "auth") {
                Qop::Auth
            } else if opts.iter().any(|q| q == "auth-int") {
                Qop::AuthInt
            } else {
                let v = format!("Digest {alg} qop={}", c.qop().unwrap_or(""));
                seen.push(text!(ProtoValue, value = v));
                continue;
            }
        };
        return Ok((
            Answer {
                kind,
                algorithm: alg,
                algorithm_sent: c.algorithm().is_some(),
                realm: realm.to_string(),
                nonce: nonce.to_string(),
                opaque: c.opaque().map(str::to_string),
                qop,
                userhash: c.userhash(),
                nc: 1,
            },
            c.stale(),
        ));
    }
    if seen.is_empty() {
        Err(text!(ChNoScheme))
    } else {
        Err(text!(ChNoneUsable, offered = Arg::List(seen)))
    }
}

/// Why no challenge of a `WWW-Authenticate` value can be answered (`None`: one can), for the
/// catalogue's tests.
#[cfg(test)]
pub(crate) fn challenge_error(header: &str) -> Option<Text> {
    let values = parse_challenges(header).unwrap_or_default();
    choose_challenge(&values, AuthKind::Www).err()
}

/// Escape a value for a quoted-string (RFC 3261 section 25.1: `"` and `\` as quoted-pair).
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
    out
}

/// The credentials value (RFC 3261 section 22.4 / 25.1 `digest-response`, RFC 7616
/// section 3.4 for the SHA algorithms and userhash). Returned with a secret-free summary.
fn credentials_value(
    a: &Answer,
    username: &str,
    method: &str,
    uri: &str,
    cnonce: &str,
    secret: &Secret,
) -> (String, String) {
    let nc = format!("{:08x}", a.nc);
    let p = DigestParams {
        algorithm: a.algorithm,
        username,
        realm: &a.realm,
        method,
        uri,
        nonce: &a.nonce,
        qop: a.qop,
        nc: &nc,
        cnonce,
        body: b"",
        userhash: a.userhash,
    };
    let response = digest::response(&p, secret);
    let shown_user = if a.userhash {
        digest::userhash(a.algorithm, username, &a.realm)
    } else {
        username.to_string()
    };
    let mut v = format!(
        "Digest username={}, realm={}, nonce={}, uri={}, response=\"{}\"",
        quoted(&shown_user),
        quoted(&a.realm),
        quoted(&a.nonce),
        quoted(uri),
        response
    );
    if a.algorithm_sent || a.algorithm != Algorithm::Md5 {
        v.push_str(&format!(", algorithm={}", a.algorithm.as_str()));
    }
    if let Some(o) = &a.opaque {
        v.push_str(&format!(", opaque={}", quoted(o)));
    }
    if let Some(q) = a.qop.as_str() {
        v.push_str(&format!(", qop={q}, nc={nc}, cnonce={}", quoted(cnonce)));
    } else if a.algorithm.is_sess() {
        // A -sess A1 contains the cnonce (RFC 2617 3.2.2.2), so the server needs it even
        // though RFC 2617 3.2.2 ties cnonce to qop; without it the response is unverifiable.
        v.push_str(&format!(", cnonce={}", quoted(cnonce)));
    }
    if a.userhash {
        v.push_str(", userhash=true");
    }
    let summary = format!(
        "{}: Digest username=\"{}\" realm=\"{}\" algorithm={} qop={} nc={}",
        match a.kind {
            AuthKind::Www => "Authorization",
            AuthKind::Proxy => "Proxy-Authorization",
        },
        username,
        a.realm,
        a.algorithm,
        a.qop.as_str().unwrap_or("none"),
        nc
    );
    (v, summary)
}

/// HOST[:PORT] split; IPv6 in brackets. Default port 5060.
fn split_host_port(server: &str) -> Result<(String, u16), Text> {
    let s = server.trim();
    let s = s
        .strip_prefix("sip:")
        .or_else(|| s.strip_prefix("SIP:"))
        .unwrap_or(s);
    if s.is_empty() {
        return Err(text!(PbNoServer));
    }
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| text!(PbNoBracket, server = server))?;
        let port = match after.strip_prefix(':') {
            Some(p) => p
                .parse::<u16>()
                .map_err(|_| text!(PbBadPort, server = server, port = p))?,
            None if after.is_empty() => 5060,
            None => return Err(text!(PbUnexpected, server = server, rest = after)),
        };
        return Ok((host.to_string(), port));
    }
    if s.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok((s.to_string(), 5060));
    }
    match s.rsplit_once(':') {
        Some((h, p)) => {
            let port = p
                .parse::<u16>()
                .map_err(|_| text!(PbBadPort, server = server, port = p))?;
            if h.is_empty() {
                return Err(text!(PbNoHost, server = server));
            }
            Ok((h.to_string(), port))
        }
        None => Ok((s.to_string(), 5060)),
    }
}

/// A host for rsip: IPv6 literals in brackets (rsip prints a bare IPv6 address otherwise).
fn rsip_host(host: &str) -> rsip::Host {
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => rsip::Host::Domain(rsip::Domain::new(format!("[{v6}]"))),
        Ok(ip) => rsip::Host::IpAddr(ip),
        Err(_) => rsip::Host::Domain(rsip::Domain::new(host.to_string())),
    }
}

fn host_for_uri(host: &str) -> String {
    match host.parse::<std::net::Ipv6Addr>() {
        Ok(v6) => format!("[{v6}]"),
        Err(_) => host.to_string(),
    }
}

/// Where requests go.
#[derive(Debug, Clone)]
struct Target {
    host: String,
    port: u16,
    addr: SocketAddr,
    transport: Transport,
}

fn resolve(host: &str, port: u16, bind: Option<IpAddr>) -> Result<SocketAddr, Text> {
    let addrs: Vec<SocketAddr> = match (host, port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(e) => return Err(text!(PbDnsFailed, host = host, reason = dns_reason(&e))),
    };
    // With a source address, the server's address must be of the same family.
    let pick = addrs
        .iter()
        .find(|a| bind.is_none_or(|b| b.is_ipv4() == a.is_ipv4()))
        .or(addrs.first());
    pick.copied()
        .ok_or_else(|| text!(PbDnsNoAddress, host = host))
}

/// Why a name did not resolve. The resolver's errors have no `io::ErrorKind` of their own
/// (they come from getaddrinfo as text): the common ones of Linux (glibc, musl), macOS and
/// Windows are recognised by their words; any other keeps its text (see [`io_reason`]).
fn dns_reason(e: &std::io::Error) -> Text {
    let s = e.to_string();
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&[
        "Name or service not known",
        "nodename nor servname provided",
        "No such host is known",
        "No address associated with hostname",
        "Name does not resolve",
    ]) {
        text!(PbDnsUnknownName)
    } else if has(&[
        "Temporary failure in name resolution",
        "Try again",
        "This is usually a temporary error",
    ]) {
        text!(PbDnsTemporary)
    } else {
        io_reason(e)
    }
}

/// One request to send, with what the ladder shows of it and how its responses are matched.
struct Outgoing<'a> {
    bytes: &'a [u8],
    summary: &'a str,
    detail: &'a Text,
    branch: &'a str,
    cseq: u32,
}

/// The state of one run: clock, ladder, counters, the callback.
struct Run<'a> {
    start: Instant,
    ladder: Vec<LadderStep>,
    on_step: &'a mut dyn FnMut(&LadderStep),
    packets: u32,
    max_packets: u32,
    requests: u32,
    t1: Duration,
}

impl Run<'_> {
    fn step(&mut self, direction: Direction, summary: String, detail: Text) {
        let s = LadderStep {
            t_ms: self.start.elapsed().as_millis() as u64,
            direction,
            summary,
            detail,
        };
        (self.on_step)(&s);
        self.ladder.push(s);
    }

    /// Send one copy of the request (`retransmission` 0: the first), within the packet cap.
    fn send(
        &mut self,
        conn: &mut wire::Conn,
        req: &Outgoing,
        retransmission: u32,
    ) -> Result<(), TxEnd> {
        if self.packets >= self.max_packets {
            return Err(TxEnd::PacketCap);
        }
        if let Err(e) = conn.send(req.bytes) {
            return Err(match e.kind() {
                std::io::ErrorKind::ConnectionRefused => TxEnd::Refused,
                _ => TxEnd::Error(text!(PbCouldNotSend, reason = io_reason(&e))),
            });
        }
        self.packets += 1;
        let detail = match retransmission {
            0 => req.detail.clone(),
            n => text!(PrDetRetransmission, n = n.to_string()),
        };
        self.step(Direction::Sent, req.summary.to_string(), detail);
        Ok(())
    }

    /// A message that came in during the transaction: the response to `req`, or `None` when
    /// it is something else (shown in the ladder and ignored).
    fn receive(&mut self, m: &[u8], req: &Outgoing) -> Option<Response> {
        let Some((start, headers, _body, _problems)) = parse_datagram(m) else {
            self.step(
                Direction::Received,
                "(not SIP)".to_string(),
                text!(PrDetBytesIgnored, n = m.len().to_string()),
            );
            return None;
        };
        let StartLine::Response { code, reason } = start else {
            let line = match &start {
                StartLine::Request { method, uri } => format!("{method} {uri}"),
                _ => String::new(),
            };
            self.step(Direction::Received, line, text!(PrDetRequestIgnored));
            return None;
        };
        let resp = Response {
            code,
            reason: reason.to_string(),
            headers,
        };
        if !matches_transaction(&resp, req.branch, req.cseq) {
            self.step(
                Direction::Received,
                resp.status_line(),
                text!(PrDetNotForThisRequest),
            );
            return None;
        }
        Some(resp)
    }

    /// One non-INVITE client transaction (RFC 3261 section 17.1.2): send, retransmit over
    /// UDP on timer E, stop at the first final response, timer F or `deadline`.
    fn transact(
        &mut self,
        conn: &mut wire::Conn,
        transport: Transport,
        req: &Outgoing,
        deadline: Instant,
    ) -> Result<Response, TxEnd> {
        let tx_start = Instant::now();
        let end = (tx_start + self.t1 * 64).min(deadline); // timer F, or the run's bound
        self.send(conn, req, 0)?;
        let udp = transport == Transport::Udp;
        let mut transmissions = 1u32;
        let mut interval = self.t1;
        let mut provisional = false;
        let mut next_retransmit = tx_start + interval;
        loop {
            let wake = if udp { next_retransmit.min(end) } else { end };
            match conn.recv(wake) {
                wire::Recv::Message(m) => {
                    let Some(resp) = self.receive(&m, req) else {
                        continue;
                    };
                    if resp.code >= 200 {
                        return Ok(resp);
                    }
                    // RFC 3261 17.1.2.2: Proceeding; retransmit every T2 from now on.
                    provisional = true;
                    interval = T2;
                    self.step(
                        Direction::Received,
                        resp.status_line(),
                        text!(PrDetProvisional),
                    );
                }
                wire::Recv::Timeout => {
                    let now = Instant::now();
                    if now >= end {
                        return Err(TxEnd::Timeout {
                            transmissions,
                            provisional,
                        });
                    }
                    if udp && now >= next_retransmit {
                        self.send(conn, req, transmissions)?;
                        transmissions += 1;
                        if !provisional {
                            // timer E doubles up to T2 (RFC 3261 17.1.2.2)
                            interval = (interval * 2).min(T2);
                        }
                        next_retransmit = now + interval;
                    }
                }
                wire::Recv::Refused => return Err(TxEnd::Refused),
                wire::Recv::Closed => return Err(TxEnd::Closed),
                wire::Recv::Unframed(t) => {
                    return Err(TxEnd::Error(text!(PbReceiveFailed, reason = t)));
                }
                wire::Recv::Error(e) => {
                    return Err(TxEnd::Error(text!(PbReceiveFailed, reason = io_reason(&e))));
                }
            }
        }
    }
}

/// RFC 3261 section 17.1.3: a response matches the client transaction when the topmost Via
/// branch equals the request's and the CSeq method matches. The CSeq number is checked too.
fn matches_transaction(r: &Response, branch: &str, cseq: u32) -> bool {
    let via_branch = r
        .header("via")
        .and_then(|v| v.split(',').next())
        .and_then(|first| param_of(first, "branch"));
    let cseq_ok = r
        .header("cseq")
        .and_then(|v| v.split_whitespace().next()?.parse::<u32>().ok())
        == Some(cseq);
    via_branch == Some(branch) && cseq_ok
}

/// The fixed parts of every request of one run.
struct Dialog {
    call_id: String,
    from_tag: String,
    cseq: u32,
}

impl Dialog {
    /// A new Call-ID and From tag, CSeq 1.
    fn new() -> Self {
        Dialog {
            call_id: format!("{}@sipdoctor", wire::random_hex(12)),
            from_tag: wire::random_hex(6),
            cseq: 1,
        }
    }
}

/// Everything one request needs.
struct RequestSpec<'a> {
    method: rsip::Method,
    ruri_host: &'a str,
    ruri_port: Option<u16>,
    aor_user: Option<&'a str>,
    aor_host: &'a str,
    local: SocketAddr,
    transport: Transport,
    branch: &'a str,
    expires: Option<u32>,
    contact_user: Option<&'a str>,
    auth: Vec<(AuthKind, String)>,
}

fn rsip_transport(t: Transport) -> rsip::Transport {
    match t {
        Transport::Udp => rsip::Transport::Udp,
        Transport::Tcp => rsip::Transport::Tcp,
        Transport::Tls => rsip::Transport::Tls,
    }
}

/// `sip:[user@]host[:port]` for rsip.
fn sip_uri(user: Option<&str>, host: &str, port: Option<u16>) -> rsip::Uri {
    rsip::Uri {
        scheme: Some(rsip::Scheme::Sip),
        auth: user.map(|u| rsip::Auth {
            user: u.to_string(),
            password: None,
        }),
        host_with_port: rsip::HostWithPort {
            host: rsip_host(host),
            port: port.map(rsip::Port::from),
        },
        params: Vec::new(),
        headers: Vec::new(),
    }
}

/// Contact: `<sip:user@local:port>` (`;transport=tcp` over TCP, RFC 3261 section 10.2.1).
fn contact(user: &str, local: rsip::HostWithPort, transport: Transport) -> rsip::typed::Contact {
    let mut params = Vec::new();
    if transport == Transport::Tcp {
        params.push(rsip::Param::Transport(rsip::Transport::Tcp));
    }
    rsip::typed::Contact {
        display_name: None,
        uri: rsip::Uri {
            params,
            host_with_port: local,
            ..sip_uri(Some(user), "", None)
        },
        params: Vec::new(),
    }
}

/// Build the request with rsip. The credentials header values are written by
/// [`credentials_value`] and added as rsip's untyped `Authorization` / `Proxy-Authorization`
/// headers: rsip 0.4's typed header spells SHA-256 as "SHA256" and knows no SHA-512-256.
fn build_request(d: &Dialog, s: &RequestSpec) -> (String, Vec<u8>) {
    use rsip::Param;
    use rsip::headers::UntypedHeader;
    let ruri = sip_uri(None, s.ruri_host, s.ruri_port);
    let aor = sip_uri(s.aor_user, s.aor_host, None);
    let local_hp = rsip::HostWithPort {
        host: rsip_host(&s.local.ip().to_string()),
        port: Some(rsip::Port::from(s.local.port())),
    };
    let mut headers: rsip::Headers = Default::default();
    headers.push(
        rsip::typed::Via {
            version: rsip::Version::V2,
            transport: rsip_transport(s.transport),
            uri: rsip::Uri {
                host_with_port: local_hp.clone(),
                ..Default::default()
            },
            params: vec![
                Param::Branch(rsip::param::Branch::new(s.branch)),
                // RFC 3581: ask for the source port in the response (NAT-proof).
                Param::Other(rsip::param::OtherParam::new("rport"), None),
            ],
        }
        .into(),
    );
    headers.push(rsip::headers::MaxForwards::new("70").into());
    headers.push(
        rsip::typed::From {
            display_name: None,
            uri: aor.clone(),
            params: vec![Param::Tag(rsip::param::Tag::new(d.from_tag.clone()))],
        }
        .into(),
    );
    headers.push(
        rsip::typed::To {
            display_name: None,
            uri: aor,
            params: Vec::new(),
        }
        .into(),
    );
    headers.push(rsip::headers::CallId::new(d.call_id.clone()).into());
    headers.push(
        rsip::typed::CSeq {
            seq: d.cseq,
            method: s.method,
        }
        .into(),
    );
    if let Some(u) = s.contact_user {
        headers.push(contact(u, local_hp, s.transport).into());
    }
    if let Some(e) = s.expires {
        headers.push(rsip::headers::Expires::new(e.to_string()).into());
    }
    for (kind, value) in &s.auth {
        headers.push(match kind {
            AuthKind::Www => rsip::headers::Authorization::new(value.clone()).into(),
            AuthKind::Proxy => rsip::headers::ProxyAuthorization::new(value.clone()).into(),
        });
    }
    headers.push(
        rsip::headers::UserAgent::new(concat!("sipdoctor/", env!("CARGO_PKG_VERSION"))).into(),
    );
    headers.push(rsip::headers::ContentLength::new("0").into());
    let req = rsip::Request {
        method: s.method,
        uri: ruri,
        version: rsip::Version::V2,
        headers,
        body: Vec::new(),
    };
    let line = format!("{} {}", req.method, req.uri);
    let text = req.to_string();
    (line, text.into_bytes())
}

/// The REGISTER phases' shared state.
struct Session<'o> {
    opts: &'o ProbeOptions,
    dialog: Dialog,
    /// Credentials currently held, one per kind (a proxy and a registrar may both challenge).
    answers: Vec<Answer>,
    last_algorithm: Option<Algorithm>,
    stale_answers: u32,
}

/// How a REGISTER phase ended without a 2xx.
enum PhaseEnd {
    WrongCredentials(Response),
    Forbidden(Response, bool),
    Redirect(Response),
    NoAnswer {
        transmissions: u32,
        provisional: bool,
    },
    Unreachable(Text),
    Error(Text, Option<u16>),
}

/// Where a REGISTER goes and whom it registers (RFC 3261 section 10.2).
struct Addressing {
    /// Host part of the address of record (From/To).
    domain: String,
    ruri_host: String,
    ruri_port: Option<u16>,
    /// The Request-URI as text: also the digest `uri`.
    ruri_text: String,
}

/// One REGISTER phase: to where, from where, for how long, until when.
struct PhaseArgs<'x> {
    target: &'x Target,
    local: SocketAddr,
    expires: u32,
    secret: &'x Secret,
    deadline: Instant,
}

/// A transaction that ended without a final response, as the end of a REGISTER phase.
fn tx_failure(end: TxEnd, transport: Transport, packets: u32) -> PhaseEnd {
    match end {
        TxEnd::Timeout {
            transmissions,
            provisional,
        } => PhaseEnd::NoAnswer {
            transmissions,
            provisional,
        },
        TxEnd::Refused => PhaseEnd::Unreachable(match transport {
            Transport::Udp => text!(PbIcmpUnreachable),
            Transport::Tcp | Transport::Tls => text!(PbServerReset),
        }),
        TxEnd::Closed => PhaseEnd::Error(text!(PbClosedNoAnswer), None),
        TxEnd::PacketCap => PhaseEnd::Error(text!(PbPacketLimit, n = packets), None),
        TxEnd::Error(e) => PhaseEnd::Error(e, None),
    }
}

/// The ladder detail of a REGISTER: CSeq, Expires and the credentials' summaries.
fn register_detail(cseq: u32, expires: u32, auth_summaries: &[String]) -> Text {
    let creds: Vec<Text> = if auth_summaries.is_empty() {
        vec![text!(PrDetNoCredentials)]
    } else {
        auth_summaries
            .iter()
            .map(|s| text!(ProtoValue, value = s.as_str()))
            .collect()
    };
    text!(
        PrDetRegister,
        cseq = cseq.to_string(),
        expires = expires.to_string(),
        creds = Arg::List(creds)
    )
}

/// The challenges of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), with the header
/// values that could not be read.
fn challenges_of(resp: &Response, kind: AuthKind) -> (Vec<AuthValue>, Vec<String>) {
    let hname = match kind {
        AuthKind::Www => "www-authenticate",
        AuthKind::Proxy => "proxy-authenticate",
    };
    let mut values = Vec::new();
    let mut bad = Vec::new();
    for h in resp.headers_named(hname) {
        match parse_challenges(h) {
            Ok(v) => values.extend(v),
            Err(e) => bad.push(e.to_string()),
        }
    }
    (values, bad)
}

/// The ladder detail of a challenge: the one chosen among `offered`, or why none fits.
fn challenge_detail(chosen: &Result<(Answer, bool), Text>, offered: usize) -> Text {
    match chosen {
        Ok((a, stale)) => {
            let params = format!(
                "realm=\"{}\" algorithm={} qop={}{}",
                a.realm,
                a.algorithm,
                a.qop.as_str().unwrap_or("none"),
                if *stale { " stale=true" } else { "" },
            );
            if offered > 1 {
                text!(PrDetChallengeOf, params = params, n = offered.to_string())
            } else {
                text!(PrDetChallenge, params = params)
            }
        }
        Err(e) => e.clone(),
    }
}

impl<'o> Session<'o> {
    fn new(opts: &'o ProbeOptions) -> Self {
        Session {
            opts,
            dialog: Dialog::new(),
            answers: Vec::new(),
            last_algorithm: None,
            stale_answers: 0,
        }
    }

    fn addressing(&self, target: &Target) -> Addressing {
        let explicit = self.opts.domain.as_deref().filter(|d| !d.trim().is_empty());
        let domain = explicit
            .map(str::to_string)
            .unwrap_or_else(|| target.host.clone());
        // With an explicit domain the Request-URI is the domain (RFC 3261 10.2 "the domain
        // of the location service"), sent to the typed server as outbound proxy.
        let (ruri_host, ruri_port) = match explicit {
            Some(_) => (domain.clone(), None),
            None => (
                target.host.clone(),
                (target.port != 5060).then_some(target.port),
            ),
        };
        let ruri_text = match ruri_port {
            Some(p) => format!("sip:{}:{p}", host_for_uri(&ruri_host)),
            None => format!("sip:{}", host_for_uri(&ruri_host)),
        };
        Addressing {
            domain,
            ruri_host,
            ruri_port,
            ruri_text,
        }
    }

    /// Send REGISTERs (with `expires`) until a final answer other than an answerable challenge.
    fn phase(
        &mut self,
        run: &mut Run,
        conn: &mut wire::Conn,
        args: &PhaseArgs,
    ) -> Result<Response, PhaseEnd> {
        let to = self.addressing(args.target);
        loop {
            if run.requests >= MAX_REQUESTS {
                return Err(PhaseEnd::Error(text!(PbTooManyRequests), None));
            }
            run.requests += 1;
            let had: Vec<AuthKind> = self.answers.iter().map(|a| a.kind).collect();
            let resp = self.send_register(run, conn, args, &to)?;
            if let Some(end) = self.on_response(run, resp, &had, args.local) {
                return end;
            }
        }
    }

    /// Every credentials header this REGISTER carries (nc counted up), with their summaries.
    fn credentials(
        &mut self,
        uri: &str,
        secret: &Secret,
    ) -> (Vec<(AuthKind, String)>, Vec<String>) {
        let mut auth = Vec::new();
        let mut summaries = Vec::new();
        for a in &mut self.answers {
            let cnonce = wire::random_hex(8);
            let (value, summary) =
                credentials_value(a, self.opts.auth_user(), "REGISTER", uri, &cnonce, secret);
            a.nc += 1;
            auth.push((a.kind, value));
            summaries.push(summary);
        }
        (auth, summaries)
    }

    /// One REGISTER transaction: its final response, or how the phase ended without one.
    fn send_register(
        &mut self,
        run: &mut Run,
        conn: &mut wire::Conn,
        args: &PhaseArgs,
        to: &Addressing,
    ) -> Result<Response, PhaseEnd> {
        let branch = format!("z9hG4bK{}", wire::random_hex(10));
        let (auth, auth_summaries) = self.credentials(&to.ruri_text, args.secret);
        let spec = RequestSpec {
            method: rsip::Method::Register,
            ruri_host: &to.ruri_host,
            ruri_port: to.ruri_port,
            aor_user: Some(&self.opts.user),
            aor_host: &to.domain,
            local: args.local,
            transport: args.target.transport,
            branch: &branch,
            expires: Some(args.expires),
            contact_user: Some(&self.opts.user),
            auth,
        };
        let (line, bytes) = build_request(&self.dialog, &spec);
        let cseq = self.dialog.cseq;
        let detail = register_detail(cseq, args.expires, &auth_summaries);
        let out = Outgoing {
            bytes: &bytes,
            summary: &line,
            detail: &detail,
            branch: &branch,
            cseq,
        };
        let end = run.transact(conn, args.target.transport, &out, args.deadline);
        self.dialog.cseq += 1;
        end.map_err(|e| tx_failure(e, args.target.transport, run.packets))
    }

    /// A final response to a REGISTER that carried credentials of the kinds in `had`: the end
    /// of the phase, or `None` when a challenge was taken up and the next REGISTER answers it.
    fn on_response(
        &mut self,
        run: &mut Run,
        resp: Response,
        had: &[AuthKind],
        local: SocketAddr,
    ) -> Option<Result<Response, PhaseEnd>> {
        let end = match resp.code {
            200..=299 => {
                let detail = binding_detail(&resp, local, &self.opts.user);
                run.step(Direction::Received, resp.status_line(), detail);
                return Some(Ok(resp));
            }
            401 | 407 => return self.on_challenge(run, resp, had),
            300..=399 => {
                let detail = match resp.header("contact") {
                    Some(c) => text!(PrDetRedirect, uri = uri_of_name_addr(c)),
                    None => text!(PrDetRedirectNoContact),
                };
                run.step(Direction::Received, resp.status_line(), detail);
                PhaseEnd::Redirect(resp)
            }
            403 => {
                let with_creds = !had.is_empty();
                let detail = if with_creds {
                    text!(PrDetRefusedAfterCreds)
                } else {
                    text!(PrDetRefusedBeforeChallenge)
                };
                run.step(Direction::Received, resp.status_line(), detail);
                PhaseEnd::Forbidden(resp, with_creds)
            }
            code => {
                let mut detail = String::new();
                if let Some(w) = resp.header("warning") {
                    detail = format!("Warning: {w}");
                }
                if let Some(m) = resp.header("min-expires") {
                    detail = format!("Min-Expires: {m}");
                }
                let detail = text!(ProtoValue, value = detail);
                run.step(Direction::Received, resp.status_line(), detail);
                let msg = text!(PbServerAnswered, status = resp.status_line());
                PhaseEnd::Error(msg, Some(code))
            }
        };
        Some(Err(end))
    }

    /// A 401/407: take up the topmost supported challenge (`None`: answer it), or end the
    /// phase: credentials refused again, no usable challenge, stale too often.
    fn on_challenge(
        &mut self,
        run: &mut Run,
        resp: Response,
        had: &[AuthKind],
    ) -> Option<Result<Response, PhaseEnd>> {
        let code = resp.code;
        let kind = if code == 401 {
            AuthKind::Www
        } else {
            AuthKind::Proxy
        };
        let (values, bad) = challenges_of(&resp, kind);
        let chosen = choose_challenge(&values, kind);
        run.step(
            Direction::Received,
            resp.status_line(),
            challenge_detail(&chosen, values.len()),
        );
        let (answer, stale) = match chosen {
            Ok(x) => x,
            Err(mut msg) => {
                if !bad.is_empty() {
                    let bad: Vec<Text> = bad.iter().map(|b| text!(RawText, text = b)).collect();
                    msg = text!(ChUnreadable, e = msg, bad = Arg::List(bad));
                }
                return Some(Err(PhaseEnd::Error(msg, Some(code))));
            }
        };
        if had.contains(&kind) {
            if !stale {
                return Some(Err(PhaseEnd::WrongCredentials(resp)));
            }
            // RFC 2617 3.2.1: stale=true, the credentials were right but the nonce was old:
            // answer the new nonce (bounded).
            self.stale_answers += 1;
            if self.stale_answers > 2 {
                return Some(Err(PhaseEnd::Error(text!(PbStaleLoop), Some(code))));
            }
        }
        self.last_algorithm = Some(answer.algorithm);
        self.answers.retain(|a| a.kind != kind);
        self.answers.push(answer);
        None
    }

    /// Connect and register, following one redirect at most (`target` becomes the server
    /// redirected to). `Ok`: the connection, its local address and the 2xx.
    fn register_at(
        &mut self,
        run: &mut Run,
        target: &mut Target,
        secret: &Secret,
    ) -> Result<(wire::Conn, SocketAddr, Response), NotRegistered> {
        let mut redirects = 0;
        loop {
            let deadline = Instant::now() + self.opts.timeout;
            let (mut conn, local) =
                connect(run, target, self.opts).map_err(|(verdict, message)| NotRegistered {
                    verdict,
                    message,
                    status: None,
                    algorithm: None,
                })?;
            let args = PhaseArgs {
                target,
                local,
                expires: self.opts.expires,
                secret,
                deadline,
            };
            let resp = match self.phase(run, &mut conn, &args) {
                Ok(resp) => return Ok((conn, local, resp)),
                Err(PhaseEnd::Redirect(resp)) if redirects == 0 => resp,
                Err(end) => {
                    let (verdict, message, status) = self.failure(end, run, target);
                    return Err(NotRegistered {
                        verdict,
                        message,
                        status,
                        algorithm: self.last_algorithm,
                    });
                }
            };
            match follow_redirect(&resp, target, self.opts.bind) {
                Ok(next) => {
                    redirects += 1;
                    *target = next;
                    // credentials belong to the old server
                    self.answers.clear();
                }
                Err(message) => {
                    return Err(NotRegistered {
                        verdict: Verdict::Error,
                        message,
                        status: Some(resp.code),
                        algorithm: self.last_algorithm,
                    });
                }
            }
        }
    }

    /// The verdict, message and status of a phase that did not register.
    fn failure(&self, end: PhaseEnd, run: &Run, target: &Target) -> (Verdict, Text, Option<u16>) {
        let opts = self.opts;
        match end {
            PhaseEnd::Redirect(resp) => (
                Verdict::Error,
                text!(PrRedirectTwice, status = resp.status_line()),
                Some(resp.code),
            ),
            PhaseEnd::WrongCredentials(resp) => {
                let realm = self.answers.first().map(|a| a.realm.as_str()).unwrap_or("");
                (
                    Verdict::WrongCredentials,
                    text!(
                        PrWrongCredentials,
                        status = resp.status_line(),
                        au = opts.auth_user(),
                        realm = realm
                    ),
                    Some(resp.code),
                )
            }
            PhaseEnd::Forbidden(resp, with_creds) => (
                Verdict::Forbidden,
                forbidden_message(&resp, with_creds, &opts.user),
                Some(resp.code),
            ),
            PhaseEnd::NoAnswer {
                transmissions,
                provisional,
            } => (
                Verdict::NoAnswer,
                no_answer_message(target, ms(run.start.elapsed()), transmissions, provisional),
                None,
            ),
            PhaseEnd::Unreachable(why) => (
                Verdict::Unreachable,
                text!(
                    PrUnreachableWhy,
                    addr = target.addr,
                    transport = target.transport.label(),
                    why = why
                ),
                None,
            ),
            PhaseEnd::Error(e, code) => (Verdict::Error, text!(PrStopped, e = e), code),
        }
    }

    /// Remove the binding again (RFC 3261 10.2.2, Expires: 0): whether that worked, and the
    /// sentence that ends the report's message.
    fn unregister(
        &mut self,
        run: &mut Run,
        conn: &mut wire::Conn,
        (target, local): (&Target, SocketAddr),
        secret: &Secret,
    ) -> (bool, Text) {
        let args = PhaseArgs {
            target,
            local,
            expires: 0,
            secret,
            deadline: Instant::now() + self.opts.timeout,
        };
        let expires = self.opts.expires;
        match self.phase(run, conn, &args) {
            Ok(_) => (true, text!(PrUnregOk)),
            Err(
                PhaseEnd::WrongCredentials(r) | PhaseEnd::Forbidden(r, _) | PhaseEnd::Redirect(r),
            ) => (
                false,
                text!(PrUnregRefused, status = r.status_line(), expires = expires),
            ),
            Err(PhaseEnd::NoAnswer { .. } | PhaseEnd::Unreachable(_)) => {
                (false, text!(PrUnregNoAnswer, expires = expires))
            }
            Err(PhaseEnd::Error(e, _)) => (false, text!(PrUnregFailed, e = e, expires = expires)),
        }
    }
}

/// Registering did not succeed: what the report says.
struct NotRegistered {
    verdict: Verdict,
    message: Text,
    status: Option<u16>,
    /// The algorithm of the credentials last tried (none when the connect step failed).
    algorithm: Option<Algorithm>,
}

/// The server a 3xx sends us to, resolved; or the sentence why it cannot be followed.
fn follow_redirect(
    resp: &Response,
    current: &Target,
    bind: Option<IpAddr>,
) -> Result<Target, Text> {
    let (host, port, transport) = redirect_target(resp, current.transport)
        .map_err(|e| text!(PrCannotFollow, status = resp.status_line(), e = e))?;
    let addr = resolve(&host, port, bind).map_err(|e| text!(PrRedirectedThen, e = e))?;
    Ok(Target {
        host,
        port,
        addr,
        transport,
    })
}

fn forbidden_message(resp: &Response, with_creds: bool, user: &str) -> Text {
    if with_creds {
        text!(PrForbiddenAfter, status = resp.status_line(), user = user)
    } else {
        text!(PrForbiddenBefore, status = resp.status_line())
    }
}

fn no_answer_message(
    target: &Target,
    elapsed_ms: u64,
    transmissions: u32,
    provisional: bool,
) -> Text {
    if provisional {
        text!(PrProvisional, addr = target.addr, ms = elapsed_ms)
    } else {
        text!(
            PrNoAnswer,
            addr = target.addr,
            transport = target.transport.label(),
            n = transmissions,
            ms = elapsed_ms
        )
    }
}

/// What the 2xx to a REGISTER says about our binding (RFC 3261 10.3 step 8: the 200 OK lists
/// every current binding with its expires).
fn binding_detail(resp: &Response, local: SocketAddr, user: &str) -> Text {
    let ours = format!("{user}@{}", host_for_uri(&local.ip().to_string()));
    let ours_port = format!(":{}", local.port());
    let mut found = None;
    let mut n = 0;
    for c in resp.headers_named("contact") {
        for one in split_contacts(c) {
            n += 1;
            let uri = uri_of_name_addr(one);
            if uri.contains(&ours) && uri.contains(&ours_port) {
                let exp = param_after_uri(one, "expires");
                found = Some(exp.map(|e| format!("expires={e}")).unwrap_or_default());
            }
        }
    }
    let n = n.to_string();
    match found {
        Some(e) if !e.is_empty() => text!(PrDetBindingListed, expires = e, n = n),
        Some(_) => text!(PrDetBindingListedBare, n = n),
        None => text!(PrDetBindingNotListed, n = n),
    }
}

/// Split a Contact header value on commas outside quotes and angle brackets.
fn split_contacts(v: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, false, 0usize);
    for (i, ch) in v.char_indices() {
        match ch {
            '"' => quote = !quote,
            '<' if !quote => depth += 1,
            '>' if !quote => depth -= 1,
            ',' if !quote && depth <= 0 => {
                out.push(v[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = v[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// A header parameter after the `>` of a name-addr (`<sip:a@b>;expires=60`).
fn param_after_uri<'a>(v: &'a str, name: &str) -> Option<&'a str> {
    let tail = match v.rfind('>') {
        Some(i) => &v[i + 1..],
        None => v,
    };
    param_of(tail, name)
}

/// Where a 3xx sends us: the first Contact's host, port and transport.
fn redirect_target(resp: &Response, current: Transport) -> Result<(String, u16, Transport), Text> {
    let c = resp
        .header("contact")
        .ok_or_else(|| text!(PbRedirectNoContact))?;
    let first = split_contacts(c).into_iter().next().unwrap_or("");
    let uri = uri_of_name_addr(first);
    if uri.starts_with("sips:") {
        return Err(text!(PbRedirectTls, uri = uri));
    }
    let rest = uri
        .strip_prefix("sip:")
        .ok_or_else(|| text!(PbRedirectNotSip, uri = uri))?;
    let transport = match param_of(rest, "transport").map(|t| (t, t.parse::<Transport>())) {
        Some((_, Ok(t @ (Transport::Udp | Transport::Tcp)))) => t,
        Some((t, _)) => return Err(text!(PbRedirectTransport, uri = uri, transport = t)),
        None => current,
    };
    let hostport = rest.split(';').next().unwrap_or(rest);
    let hostport = hostport
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(hostport);
    let (h, p) = split_host_port(hostport)?;
    Ok((h, p, transport))
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

/// Describe an open failure and pick its verdict.
/// Start a run: check the options (`need_user` for REGISTER) and resolve the server. On failure
/// the finished `error` report.
fn start<'a>(
    opts: &ProbeOptions,
    need_user: bool,
    on_step: &'a mut dyn FnMut(&LadderStep),
) -> Result<(Run<'a>, Target), Box<ProbeReport>> {
    let run = Run {
        start: Instant::now(),
        ladder: Vec::new(),
        on_step,
        packets: 0,
        max_packets: opts.max_packets.max(1),
        requests: 0,
        t1: opts.t1,
    };
    let (host, port) = match validate(opts, need_user) {
        Ok(x) => x,
        Err(e) => {
            let m = text!(PrCannotTest, e = e.text());
            return Err(Box::new(report(
                run,
                Verdict::Error,
                m,
                None,
                opts.transport,
            )));
        }
    };
    let addr = match resolve(&host, port, opts.bind) {
        Ok(a) => a,
        Err(e) => {
            let m = text!(PrError, e = e);
            return Err(Box::new(report(
                run,
                Verdict::Error,
                m,
                None,
                opts.transport,
            )));
        }
    };
    let target = Target {
        host,
        port,
        addr,
        transport: opts.transport,
    };
    Ok((run, target))
}

/// Open the socket (or TCP connection) and learn the local address. On failure: the verdict
/// and message to report; a failed TCP connect is already in the ladder.
fn connect(
    run: &mut Run,
    target: &Target,
    opts: &ProbeOptions,
) -> Result<(wire::Conn, SocketAddr), (Verdict, Text)> {
    let conn = match wire::Conn::open(target.transport, target.addr, opts.bind, opts.timeout) {
        Ok(c) => c,
        Err(e) => {
            let (v, m) = open_failure(e, target, opts);
            if target.transport == Transport::Tcp && v != Verdict::Error {
                run.step(
                    Direction::Sent,
                    format!("TCP connect {}", target.addr),
                    match v {
                        Verdict::Unreachable => text!(PrDetConnRefused),
                        _ => text!(PrDetConnNoAnswer),
                    },
                );
            }
            return Err((v, m));
        }
    };
    let local = conn
        .local_addr()
        .map_err(|e| (Verdict::Error, text!(PrNoLocal, e = io_reason(&e))))?;
    Ok((conn, local))
}

fn open_failure(e: wire::OpenError, target: &Target, opts: &ProbeOptions) -> (Verdict, Text) {
    match e {
        wire::OpenError::Refused => (
            Verdict::Unreachable,
            text!(PrTcpRefused, addr = target.addr),
        ),
        wire::OpenError::Timeout => (
            Verdict::NoAnswer,
            text!(PrTcpTimeout, addr = target.addr, ms = ms(opts.timeout)),
        ),
        wire::OpenError::Bind(e) => (
            Verdict::Error,
            text!(
                PrBind,
                addr = opts.bind.map(|b| b.to_string()).unwrap_or_default(),
                e = io_reason(&e)
            ),
        ),
        wire::OpenError::BindTcp(ip) => (
            Verdict::Error,
            text!(PrBind, addr = ip, e = text!(PbBindTcp, addr = ip)),
        ),
        wire::OpenError::Other(e) => (
            Verdict::Error,
            text!(PrSocket, addr = target.addr, e = io_reason(&e)),
        ),
    }
}

fn report(
    run: Run,
    verdict: Verdict,
    message: Text,
    target: Option<&Target>,
    transport: Transport,
) -> ProbeReport {
    ProbeReport {
        verdict,
        elapsed_ms: ms(run.start.elapsed()),
        packets_sent: run.packets,
        ladder: run.ladder,
        server_addr: target.map(|t| t.addr.to_string()),
        transport: target.map(|t| t.transport).unwrap_or(transport),
        message: message.en(),
        message_text: Some(message),
        algorithm: None,
        unregistered: None,
        status: None,
    }
}

fn validate(opts: &ProbeOptions, need_user: bool) -> Result<(String, u16), InputError> {
    if opts.transport == Transport::Tls {
        return Err(InputError::UnsupportedTransport(opts.transport));
    }
    check_fields(opts, need_user).map_err(InputError::Invalid)
}

fn check_fields(opts: &ProbeOptions, need_user: bool) -> Result<(String, u16), Text> {
    let (host, port) = split_host_port(&opts.server)?;
    if need_user && opts.user.trim().is_empty() {
        return Err(text!(PbNoUser));
    }
    for (what, v) in [
        (Msg::FieldUser, Some(opts.user.as_str())),
        (Msg::FieldAuthUser, opts.auth_user.as_deref()),
        (Msg::FieldDomain, opts.domain.as_deref()),
        (Msg::FieldServer, Some(opts.server.as_str())),
    ] {
        if let Some(v) = v
            && v.chars()
                .any(|c| c.is_control() || c == '<' || c == '>' || c == '"')
        {
            return Err(text!(PbBadChars, field = what));
        }
    }
    if let Some(d) = &opts.domain
        && d.chars().any(|c| c.is_whitespace() || c == '@' || c == ';')
    {
        return Err(text!(PbBadDomain));
    }
    if opts
        .user
        .chars()
        .any(|c| c.is_whitespace() || c == '@' || c == ':' || c == ';')
    {
        return Err(text!(PbBadUser));
    }
    if opts.t1.is_zero() || opts.timeout.is_zero() {
        return Err(text!(PbBadTimers));
    }
    Ok((host, port))
}

/// Register once with the given credentials, then remove the binding again. Blocking (for a
/// worker thread); `on_step` sees each ladder step as it happens.
pub fn register(
    opts: &ProbeOptions,
    secret: &Secret,
    on_step: &mut dyn FnMut(&LadderStep),
) -> ProbeReport {
    let (mut run, mut target) = match start(opts, true, on_step) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut session = Session::new(opts);
    let (mut conn, local, ok) = match session.register_at(&mut run, &mut target, secret) {
        Ok(x) => x,
        Err(f) => {
            let mut r = report(run, f.verdict, f.message, Some(&target), opts.transport);
            r.status = f.status;
            r.algorithm = f.algorithm.map(|a| a.to_string());
            return r;
        }
    };
    let (unregistered, tail) = session.unregister(&mut run, &mut conn, (&target, local), secret);
    let alg = session.last_algorithm;
    let how = match alg {
        Some(a) => text!(PrHowDigest, alg = a.to_string()),
        None => text!(PrHowNone),
    };
    let message = text!(
        PrRegistered,
        user = &opts.user,
        addr = target.addr,
        transport = target.transport.label(),
        how = how,
        status = ok.code,
        tail = tail
    );
    let mut r = report(
        run,
        Verdict::Registered,
        message,
        Some(&target),
        opts.transport,
    );
    r.status = Some(ok.code);
    r.algorithm = alg.map(|a| a.to_string());
    r.unregistered = Some(unregistered);
    r
}

/// Send one OPTIONS to the server ("is anything listening there?"). Any SIP response counts
/// as `answered`, whatever its code.
pub fn options_ping(opts: &ProbeOptions, on_step: &mut dyn FnMut(&LadderStep)) -> ProbeReport {
    let (mut run, target) = match start(opts, false, on_step) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let (mut conn, local) = match connect(&mut run, &target, opts) {
        Ok(x) => x,
        Err((v, m)) => return report(run, v, m, Some(&target), opts.transport),
    };
    let branch = format!("z9hG4bK{}", wire::random_hex(10));
    let (line, bytes) = options_request(opts, &target, local, &branch);
    let deadline = Instant::now() + opts.timeout;
    run.requests += 1;
    let out = Outgoing {
        bytes: &bytes,
        summary: &line,
        detail: &text!(ProtoValue, value = "CSeq 1 OPTIONS"),
        branch: &branch,
        cseq: 1,
    };
    let (verdict, message, status) = match run.transact(&mut conn, target.transport, &out, deadline)
    {
        Ok(resp) => options_answered(&mut run, &resp, &target),
        Err(end) => {
            let (verdict, message) = options_failure(end, &target, ms(run.start.elapsed()));
            (verdict, message, None)
        }
    };
    let mut r = report(run, verdict, message, Some(&target), opts.transport);
    r.status = status;
    r
}

/// The OPTIONS request (RFC 3261 section 11): from the typed user (or `sipdoctor`) at the
/// domain, to the server, no Contact.
fn options_request(
    opts: &ProbeOptions,
    target: &Target,
    local: SocketAddr,
    branch: &str,
) -> (String, Vec<u8>) {
    let user = if opts.user.trim().is_empty() {
        "sipdoctor"
    } else {
        opts.user.as_str()
    };
    let domain = opts
        .domain
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| target.host.clone());
    let spec = RequestSpec {
        method: rsip::Method::Options,
        ruri_host: &target.host,
        ruri_port: (target.port != 5060).then_some(target.port),
        aor_user: Some(user),
        aor_host: &domain,
        local,
        transport: target.transport,
        branch,
        expires: None,
        contact_user: None,
        auth: Vec::new(),
    };
    build_request(&Dialog::new(), &spec)
}

/// Any final response to the OPTIONS: something speaks SIP there.
fn options_answered(
    run: &mut Run,
    resp: &Response,
    target: &Target,
) -> (Verdict, Text, Option<u16>) {
    let server: Arg = match resp.header("server").or_else(|| resp.header("user-agent")) {
        Some(s) => text!(PrItSays, server = s).into(),
        None => "".into(),
    };
    let detail = resp
        .header("allow")
        .map(|a| format!("Allow: {a}"))
        .unwrap_or_default();
    run.step(
        Direction::Received,
        resp.status_line(),
        text!(ProtoValue, value = detail),
    );
    (
        Verdict::Answered,
        text!(
            PrAnswered,
            addr = target.addr,
            transport = target.transport.label(),
            status = resp.status_line(),
            server = server
        ),
        Some(resp.code),
    )
}

/// The OPTIONS got no final response.
fn options_failure(end: TxEnd, target: &Target, elapsed_ms: u64) -> (Verdict, Text) {
    let (addr, transport) = (target.addr, target.transport.label());
    match end {
        TxEnd::Timeout { transmissions, .. } => (
            Verdict::NoAnswer,
            text!(
                PrOptNoAnswer,
                addr = addr,
                transport = transport,
                n = transmissions,
                ms = elapsed_ms
            ),
        ),
        TxEnd::Refused => (
            Verdict::Unreachable,
            text!(PrOptRefused, addr = addr, transport = transport),
        ),
        TxEnd::Closed => (Verdict::Error, text!(PrClosed)),
        TxEnd::PacketCap => (Verdict::Error, text!(PrPacketCap)),
        TxEnd::Error(e) => (Verdict::Error, text!(PrStopped, e = e)),
    }
}

impl ProbeReport {
    /// The result's sentence in `lang`.
    pub fn message_in(&self, lang: crate::msg::Lang) -> String {
        match &self.message_text {
            Some(t) if lang != crate::msg::Lang::En => t.render(lang),
            _ => self.message.clone(),
        }
    }
}

/// Compare the app's own test with the phone's exchange in the capture. `phone_outcome` is
/// the capture's outcome of the phone's REGISTER. `None` when there is nothing to compare (no
/// capture, or the app's test did not reach a verdict about the credentials).
pub fn compare_with_capture(
    report: &ProbeReport,
    phone_outcome: Option<Outcome>,
) -> Option<String> {
    compare_with_capture_text(report, phone_outcome).map(|t| t.en())
}

/// [`compare_with_capture`] as a message, to show in any language.
pub fn compare_with_capture_text(
    report: &ProbeReport,
    phone_outcome: Option<Outcome>,
) -> Option<crate::msg::Text> {
    use crate::text;
    let phone_ok = match phone_outcome? {
        Outcome::Accepted | Outcome::Recovered => true,
        Outcome::Rechallenged
        | Outcome::Rejected
        | Outcome::ChallengeUnanswered
        | Outcome::NoResponse
        | Outcome::Unreachable
        | Outcome::Pending => false,
    };
    let app = report.verdict;
    match (app, phone_ok) {
        (Verdict::Registered, false) => Some(text!(CmpAppOnly)),
        (Verdict::Registered, true) => Some(text!(CmpBoth)),
        (Verdict::WrongCredentials, true) => Some(text!(CmpPhoneOnlyCredentials)),
        (Verdict::Forbidden | Verdict::NoAnswer | Verdict::Unreachable, true) => {
            Some(text!(CmpPhoneOnlyNetwork, verdict = app.as_str()))
        }
        (Verdict::WrongCredentials, false) => Some(text!(CmpNeitherCredentials)),
        (Verdict::Forbidden | Verdict::NoAnswer | Verdict::Unreachable, false) => {
            Some(text!(CmpNeitherNetwork, verdict = app.as_str()))
        }
        (Verdict::Error | Verdict::Answered, _) => None,
    }
}

#[cfg(test)]
mod tests;
