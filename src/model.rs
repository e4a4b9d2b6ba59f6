//! The model of one analysed capture: what the pipeline (`crate::analysis`) fills in and every
//! front shows. Below the diagnosis, so rules read it without importing the pipeline.

use std::net::SocketAddr;

use serde::Serialize;

use crate::accounts::{self, Account, Census};
pub use crate::capture::Transport;
use crate::capture::{Nanos, RawSource, Skips};
use crate::finding::Finding;
use crate::sip::auth::PackedAuth;
use crate::sip::intern::FxHashMap;
use crate::sip::{self, SipMessage};
use crate::transaction::{self, Exchange, IcmpNote, MessageRole};
use crate::verify::{AuthRequest, CapturedAuth, Verification};

/// TLS seen on a stream: encrypted, cannot inspect.
#[derive(Debug, Clone, Serialize)]
pub struct TlsNote {
    pub frame: u64,
    pub ts: Nanos,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub handshake: bool,
}

/// Progress of a running analysis, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: Option<u64>,
    pub frames: u64,
    pub messages: usize,
}

impl Progress {
    /// Fraction done, 0..=1, when the size is known.
    pub fn fraction(&self) -> Option<f32> {
        self.total_bytes
            .filter(|&t| t > 0)
            .map(|t| (self.bytes_read as f64 / t as f64).min(1.0) as f32)
    }
}

/// Everything the tool concluded about one capture.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub file: String,
    pub format: String,
    pub link_types: Vec<String>,
    pub frames: u64,
    pub bytes: u64,
    pub first_ts: Option<Nanos>,
    pub last_ts: Option<Nanos>,
    pub messages: Vec<SipMessage>,
    pub roles: Vec<MessageRole>,
    pub exchanges: Vec<Exchange>,
    pub icmp: Vec<IcmpNote>,
    pub tls: Vec<TlsNote>,
    pub skips: Skips,
    pub verifications: Vec<Verification>,
    pub findings: Vec<Finding>,
    /// Who is in the capture: one entry per user and client IP, with its root cause and
    /// findings (see [`crate::accounts`]).
    pub accounts: Vec<Account>,
    /// Where the messages' bytes are: read one back with `SipMessage::raw_bytes(&a.raw)`.
    #[serde(skip)]
    pub raw: RawSource,
}

impl Analysis {
    /// Every authenticated request (retransmissions left out), with the challenge it answers,
    /// ready for `verify`. The challenge is the newest earlier 401/407 of the same Call-ID; a
    /// request that reuses a nonce from another dialog (pre-emptive credentials, as linphone
    /// does on INVITE after REGISTER) gets the earlier challenge that carried that nonce.
    /// The owned copies of [`Analysis::auth_requests`].
    pub fn captured_auths(&self) -> Vec<CapturedAuth> {
        self.auth_requests()
            .iter()
            .map(AuthRequest::to_captured)
            .collect()
    }

    /// [`Analysis::captured_auths`] borrowed from the analysis: one pass over the messages,
    /// the challenges indexed by Call-ID and by nonce, nothing copied.
    pub fn auth_requests(&self) -> Vec<AuthRequest<'_>> {
        self.auth_requests_keeping(true)
    }

    /// [`Analysis::auth_requests`] without the older challenges of each dialog
    /// (`earlier_challenges` left empty): for a list of the requests, which shows the one
    /// challenge each answers (no list per request).
    pub fn auth_requests_listed(&self) -> Vec<AuthRequest<'_>> {
        self.auth_requests_keeping(false)
    }

    fn auth_requests_keeping(&self, earlier: bool) -> Vec<AuthRequest<'_>> {
        let mut out = Vec::new();
        // The newest challenges of the request's dialog, one list for every request.
        let mut same_call: Vec<(u64, &PackedAuth)> = Vec::new();
        // Every digest challenge so far, indexed (linear: no scan of all earlier challenges
        // per request): by Call-ID, oldest first, and the newest one of each nonce.
        let mut by_call: FxHashMap<&str, Vec<(u64, &PackedAuth)>> = FxHashMap::default();
        let mut by_nonce: FxHashMap<&str, (&str, u64, &PackedAuth)> = FxHashMap::default();
        for m in &self.messages {
            if let Some(status) = m.status() {
                let challenges = match status {
                    401 => m.www_challenges(),
                    407 => m.proxy_challenges(),
                    _ => continue,
                };
                let call_id = m.call_id().unwrap_or("");
                for c in challenges.iter().filter(|c| c.is_digest()) {
                    if let Some(n) = c.nonce() {
                        by_nonce.insert(n, (call_id, m.frame(), c));
                    }
                    by_call.entry(call_id).or_default().push((m.frame(), c));
                }
                continue;
            }
            if self.roles[m.index()].retransmission_of.is_some() {
                continue;
            }
            let (header, value) = match (
                m.credentials("proxy-authorization"),
                m.credentials("authorization"),
            ) {
                (Some(v), _) => ("Proxy-Authorization", v),
                (None, Some(v)) => ("Authorization", v),
                _ => continue,
            };
            let Ok(credentials) = value else {
                continue;
            };
            if transaction::credentials_name(m).is_none() {
                continue; // an empty-nonce Authorization answers no challenge
            }
            let call_id = m.call_id().unwrap_or("");
            // Newest first; a dialog that re-registers for hours keeps the newest few (the
            // nonce it answers is among them), so the work per request stays bounded.
            same_call.clear();
            if let Some(v) = by_call.get(call_id) {
                same_call.extend(v.iter().rev().take(MAX_EARLIER + 1).copied());
            }
            if same_call.is_empty()
                && let Some(c) = credentials.nonce().and_then(|n| by_nonce.get(n))
            {
                same_call.push((c.1, c.2));
            }
            if let Some(n) = credentials.nonce()
                && !same_call.iter().any(|c| c.1.nonce() == Some(n))
                && let Some(c) = by_nonce.get(n).filter(|c| c.0 == call_id)
            {
                // An older challenge of the dialog whose nonce it echoes.
                same_call.push((c.1, c.2));
            }
            let challenge = pick_challenge(&same_call, credentials);
            let earlier_challenges = if earlier {
                same_call
                    .iter()
                    .filter(|c| Some(c.0) != challenge.map(|x| x.0))
                    .copied()
                    .collect()
            } else {
                Vec::new()
            };
            out.push(AuthRequest {
                message: m,
                header,
                credentials,
                challenge,
                earlier_challenges,
            });
        }
        out
    }

    /// Message index -> transport label for display.
    pub fn transport_label(t: Transport) -> &'static str {
        match t {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
        }
    }

    /// The phone's REGISTER for an account, to compare a test REGISTER with: the last REGISTER
    /// exchange whose To or From user is `user` (SIP user parts compare exactly, RFC 3261
    /// 19.1.4), or with no user the last REGISTER of the capture.
    pub fn phone_register(&self, user: Option<&str>) -> Option<&Exchange> {
        self.exchanges.iter().rev().find(|e| {
            is_register(&e.method)
                && user.is_none_or(|u| {
                    e.to_user.as_deref() == Some(u) || e.from_user.as_deref() == Some(u)
                })
        })
    }

    /// True when an exchange ended in an authentication failure (the `flows` exit status).
    pub fn auth_failed(&self) -> bool {
        use crate::transaction::Outcome;
        self.exchanges.iter().any(|e| {
            matches!(
                e.outcome,
                Outcome::Rechallenged
                    | Outcome::ChallengeUnanswered
                    | Outcome::NoResponse
                    | Outcome::Unreachable
            ) || (e.outcome == Outcome::Rejected && matches!(e.final_status, Some(401 | 403 | 407)))
        })
    }

    /// True when a finding is an error (the `analyze` exit status).
    pub fn has_error(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == crate::finding::Severity::Error)
    }

    /// How many accounts fail and why (None with one account or none).
    pub fn census(&self) -> Option<Census> {
        accounts::census(&self.accounts)
    }

    /// Duration of the capture in seconds.
    pub fn duration_secs(&self) -> f64 {
        match (self.first_ts, self.last_ts) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => 0.0,
        }
    }
}

/// Most older challenges of one dialog given to `verify` with a request (besides the one it
/// answers and any whose nonce it echoes).
const MAX_EARLIER: usize = 8;

/// The challenge an authenticated request answers: the newest one whose nonce it echoes, else
/// the newest one with its realm, else the newest one. `challenges` is newest first.
fn pick_challenge<'a>(
    challenges: &[(u64, &'a PackedAuth)],
    cred: &PackedAuth,
) -> Option<(u64, &'a PackedAuth)> {
    challenges
        .iter()
        .find(|c| c.1.nonce().is_some() && c.1.nonce() == cred.nonce())
        .or_else(|| challenges.first())
        .copied()
}

/// The phone's account as a capture shows it, to set up a known-good client with (step 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneAccount {
    pub user: String,
    /// The auth username, when it is not the user.
    pub auth_user: Option<String>,
    /// The SIP domain (host of the Request-URI).
    pub domain: String,
    /// Where the phone sends: `host` on port 5060, else `host:port`.
    pub proxy: String,
    pub transport: Transport,
}

impl Analysis {
    /// The account of the capture's first exchange.
    pub fn phone_account(&self) -> Option<PhoneAccount> {
        let e = self.exchanges.first()?;
        let user = e
            .from_user
            .or(e.to_user)
            .map(|u| u.to_string())
            .unwrap_or_default();
        // The first request `captured_auths` lists, without building the whole list.
        let auth_user = self
            .messages
            .iter()
            .filter(|m| m.is_request() && self.roles[m.index()].retransmission_of.is_none())
            .find_map(|m| {
                let v = m
                    .credentials("proxy-authorization")
                    .or_else(|| m.credentials("authorization"))?;
                transaction::credentials_name(m)?;
                v.as_ref().ok()
            })
            .and_then(|c| c.username())
            .filter(|u| *u != user);
        let server = e.server;
        Some(PhoneAccount {
            domain: sip::uri_host(&e.request_uri).unwrap_or_default(),
            proxy: if server.port() == 5060 {
                server.ip().to_string()
            } else {
                server.to_string()
            },
            transport: self
                .messages
                .get(e.messages().first().copied().unwrap_or(0))
                .map(|m| m.transport())
                .unwrap_or(Transport::Udp),
            user,
            auth_user,
        })
    }
}

/// True for a REGISTER (the method as rsip types it; an extension method is never one).
/// rsip's `Method::from_str` trims the token and compares it case-insensitively with each
/// method name; the same test here, without the error `String` it formats for every other
/// method (this runs for every exchange and attempt of the capture).
pub fn is_register(method: &str) -> bool {
    method.trim().eq_ignore_ascii_case("REGISTER")
}

/// The account a request is for: the To user of a REGISTER (the address-of-record it
/// registers), the From user of any other request.
pub fn account_user<T>(method: &str, from_user: T, to_user: T) -> T {
    if is_register(method) {
        to_user
    } else {
        from_user
    }
}

/// [`account_user`] of a request: only the header it names is read.
pub fn request_user(method: &str, m: &SipMessage) -> Option<String> {
    if is_register(method) {
        m.to_user()
    } else {
        m.from_user()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixture;

    /// The listed requests are the requests with their challenge, without the older ones.
    #[test]
    fn the_listed_auth_requests_are_the_requests_without_older_challenges() {
        let mut earlier = 0;
        for name in [
            "02-register-wrong-password.pcap",
            "03c-invite-preemptive-auth-linphonec.pcap",
            "08-register-stale-nonce.pcap",
            "13-office-register-mixed.pcap",
        ] {
            let a = fixture(name);
            let (full, listed) = (a.auth_requests(), a.auth_requests_listed());
            assert_eq!(full.len(), listed.len(), "{name}");
            assert!(!full.is_empty(), "{name}");
            for (x, y) in full.iter().zip(&listed) {
                assert!(std::ptr::eq(x.message, y.message), "{name}");
                assert_eq!(x.header, y.header, "{name}");
                assert!(std::ptr::eq(x.credentials, y.credentials), "{name}");
                assert_eq!(x.challenge.map(|c| c.0), y.challenge.map(|c| c.0), "{name}");
                assert!(y.earlier_challenges.is_empty(), "{name}");
                earlier += x.earlier_challenges.len();
            }
        }
        assert!(earlier > 0, "some request has older challenges");
    }

    #[test]
    fn the_phone_register_is_the_last_one_of_that_user() {
        let a = fixture("01-register-ok.pcap");
        let e = a
            .phone_register(Some("1001"))
            .expect("1001 registers in 01");
        assert!(is_register(&e.method));
        assert_eq!(e.outcome, crate::transaction::Outcome::Accepted);
        assert_eq!(a.phone_register(None).map(|x| x.id), Some(e.id));
        assert!(a.phone_register(Some("9999")).is_none());
        // User parts compare exactly.
        assert!(a.phone_register(Some("1001 ")).is_none());
        // An INVITE capture has no REGISTER to compare with.
        let inv = fixture("03b-invite-407-wrong-password.pcap");
        assert!(inv.exchanges.iter().all(|e| !is_register(&e.method)));
        assert!(inv.phone_register(None).is_none());
    }

    #[test]
    fn the_phone_account_comes_from_the_first_exchange() {
        let acc = fixture("12a-register-ok-tcp.pcap")
            .phone_account()
            .expect("an account");
        assert_eq!(acc.user, "1001");
        assert_eq!(acc.transport, Transport::Tcp);
        assert_eq!(acc.auth_user, None);
        assert!(!acc.domain.is_empty() && !acc.proxy.is_empty());
        // 04a: the phone authenticates with another auth user than its own.
        let acc = fixture("04a-register-unknown-auth-user.pcap")
            .phone_account()
            .unwrap();
        assert!(acc.auth_user.is_some_and(|u| u != acc.user));
        assert!(fixture("92-no-sip.pcap").phone_account().is_none());
    }

    #[test]
    fn is_register_agrees_with_rsip() {
        for m in [
            "REGISTER",
            "register",
            " Register ",
            "INVITE",
            "REGISTERX",
            "",
            "X-REGISTER",
            "ACK",
        ] {
            let rsip = matches!(m.parse::<rsip::Method>(), Ok(rsip::Method::Register));
            assert_eq!(is_register(m), rsip, "{m:?}");
        }
    }

    #[test]
    fn account_user_is_to_for_register_and_from_otherwise() {
        assert_eq!(account_user("REGISTER", "f", "t"), "t");
        assert_eq!(account_user("INVITE", "f", "t"), "f");
        assert_eq!(account_user("X-CUSTOM", "f", "t"), "f");
    }
}
