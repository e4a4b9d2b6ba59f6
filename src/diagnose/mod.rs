//! Diagnosis: from auth exchanges to ranked findings with evidence.
//!
//! The first 401 of a registration is normal (RFC 3261 22.2: the server challenges, the client
//! answers), so it is never a finding on its own. What matters is what happens to the answer:
//! Kamailio re-challenges a wrong password, FreeSWITCH answers it with 403, and Asterisk PJSIP
//! answers unknown users with 401 too (an artificial endpoint challenges them), so a 401 loop is
//! "credentials refused", not proof of a wrong password, until a typed password proves it.

pub mod server;

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::sip::{self, auth::AuthValue};
use crate::transaction::{Exchange, Outcome};
use crate::verify::Differs;
use server::{ClockReading, NonceInfo, ServerKind};

/// Every finding code the diagnosis can emit. Stable: codes are added, never renamed.
/// Each maps to a knowledge-base entry (tested in `kb`).
pub const CODES: &[&str] = &[
    "auth-ok",
    "credentials-rejected",
    "wrong-password",
    "password-ok-but-rejected",
    "auth-username-mismatch",
    "realm-mismatch",
    "stale-nonce",
    "algorithm-mismatch",
    "unsupported-challenge",
    "forbidden-before-auth",
    "forbidden-after-auth",
    "brute-force-block",
    "no-response",
    "clock-skew",
    "uri-mismatch",
    "nat-private-contact",
    "tls-encrypted",
    "no-sip",
    "proxy-auth-wrong-header",
];

/// Root causes first: the order findings of the same severity are listed in.
const RANK: &[&str] = &[
    "brute-force-block",
    "forbidden-before-auth",
    "wrong-password",
    "password-ok-but-rejected",
    "realm-mismatch",
    "algorithm-mismatch",
    "proxy-auth-wrong-header",
    "auth-username-mismatch",
    "uri-mismatch",
    "unsupported-challenge",
    "stale-nonce",
    "credentials-rejected",
    "forbidden-after-auth",
    "no-response",
    "tls-encrypted",
    "no-sip",
    "clock-skew",
    "nat-private-contact",
    "auth-ok",
];

/// Skew beyond which a clock reading becomes a finding.
pub const SKEW_THRESHOLD_SECS: i64 = 60;
/// At most this many evidence lines per finding (the rest are counted; listed in
/// [`crate::limits`]).
pub const MAX_EVIDENCE: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One line of evidence: a frame and the header values that prove the point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub frame: u64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    /// Most likely causes, in order (for findings that cannot be pinned down further).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// Evidence lines left out to keep the finding short.
    #[serde(skip_serializing_if = "is_zero")]
    pub more_evidence: usize,
    /// Exchanges (ids) it is about.
    pub exchanges: Vec<usize>,
    /// Knowledge-base entry id for the guided fix.
    pub kb: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What the diagnosis knows about the server(s) in the capture.
#[derive(Debug, Clone, Serialize)]
pub struct ServerInfo {
    pub address: std::net::SocketAddr,
    pub kind: ServerKind,
    pub agent: Option<String>,
    pub nonce_shape: Option<NonceInfo>,
}

/// Collects findings by code, merging evidence.
#[derive(Default)]
struct Collector {
    by_code: BTreeMap<&'static str, Finding>,
}

impl Collector {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        code: &'static str,
        severity: Severity,
        title: impl Into<String>,
        explanation: impl Into<String>,
        causes: Vec<String>,
        evidence: Vec<Evidence>,
        exchange: Option<usize>,
    ) {
        let f = self.by_code.entry(code).or_insert_with(|| Finding {
            code,
            severity,
            title: title.into(),
            explanation: explanation.into(),
            causes,
            evidence: Vec::new(),
            more_evidence: 0,
            exchanges: Vec::new(),
            kb: crate::kb::for_code(code).map(|e| e.id.clone()),
        });
        f.severity = f.severity.min(severity);
        for ev in evidence {
            if f.evidence.contains(&ev) {
                continue;
            }
            if f.evidence.len() < MAX_EVIDENCE {
                f.evidence.push(ev);
            } else {
                f.more_evidence += 1;
            }
        }
        if let Some(x) = exchange
            && !f.exchanges.contains(&x)
        {
            f.exchanges.push(x);
        }
    }

    fn into_sorted(self) -> Vec<Finding> {
        let mut v: Vec<Finding> = self.by_code.into_values().collect();
        let rank = |c: &str| RANK.iter().position(|r| *r == c).unwrap_or(RANK.len());
        v.sort_by_key(|f| (f.severity, rank(f.code)));
        v
    }
}

fn ev(frame: u64, text: impl Into<String>) -> Evidence {
    Evidence {
        frame,
        text: text.into(),
    }
}

/// Fingerprint each server address seen answering requests.
pub fn servers(a: &Analysis) -> Vec<ServerInfo> {
    let mut out: Vec<ServerInfo> = Vec::new();
    for m in a.messages.iter().filter(|m| !m.is_request()) {
        let agent = m.header("server").or_else(|| m.header("user-agent"));
        let nonce = m
            .headers_named("www-authenticate")
            .chain(m.headers_named("proxy-authenticate"))
            .filter_map(|v| sip::auth::parse_challenges(v).ok())
            .flatten()
            .find_map(|c| c.nonce().map(server::decode_nonce));
        let entry = match out.iter_mut().position(|s| s.address == m.src) {
            Some(i) => &mut out[i],
            None => {
                out.push(ServerInfo {
                    address: m.src,
                    kind: ServerKind::Unknown,
                    agent: None,
                    nonce_shape: None,
                });
                out.last_mut().expect("just pushed")
            }
        };
        if entry.agent.is_none() {
            entry.agent = agent.map(str::to_string);
        }
        if entry.nonce_shape.is_none() {
            entry.nonce_shape = nonce;
        }
        let by_agent = entry
            .agent
            .as_deref()
            .map(server::kind_from_agent)
            .unwrap_or(ServerKind::Unknown);
        let by_nonce = entry
            .nonce_shape
            .as_ref()
            .map(NonceInfo::kind)
            .unwrap_or(ServerKind::Unknown);
        entry.kind = server::combine(by_agent, by_nonce);
    }
    out
}

/// Clock readings: decoded nonce times and Date headers, against capture time.
pub fn clock_readings(a: &Analysis) -> Vec<ClockReading> {
    let mut out = Vec::new();
    for m in &a.messages {
        let capture_secs = m.ts.div_euclid(1_000_000_000);
        if let Some(d) = m.header("date")
            && let Some(t) = server::parse_http_date(d)
        {
            out.push(ClockReading {
                frame: m.frame,
                source: "Date header".into(),
                value: d.to_string(),
                server_time: t,
                capture_ts: m.ts,
                skew_secs: t - capture_secs,
                side: if m.is_request() { "client" } else { "server" }.into(),
            });
        }
        if m.is_request() {
            continue;
        }
        for v in m
            .headers_named("www-authenticate")
            .chain(m.headers_named("proxy-authenticate"))
        {
            for c in sip::auth::parse_challenges(v).unwrap_or_default() {
                let Some(nonce) = c.nonce() else { continue };
                let info = server::decode_nonce(nonce);
                if let Some(t) = info.issued() {
                    out.push(ClockReading {
                        frame: m.frame,
                        source: format!("nonce ({})", info.kind().label()),
                        value: nonce.to_string(),
                        server_time: t,
                        capture_ts: m.ts,
                        skew_secs: t - capture_secs,
                        side: "server".into(),
                    });
                }
            }
        }
    }
    out
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_link_local()
                || (v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1]))
        }
        IpAddr::V6(v6) => (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

fn challenges_of(a: &Analysis, resp: usize) -> Vec<AuthValue> {
    let m = &a.messages[resp];
    m.headers_named("www-authenticate")
        .chain(m.headers_named("proxy-authenticate"))
        .filter_map(|v| sip::auth::parse_challenges(v).ok())
        .flatten()
        .filter(|c| c.is_digest())
        .collect()
}

fn algo_name(v: Option<&str>) -> String {
    v.unwrap_or("MD5").to_ascii_uppercase()
}

/// Run every rule over an analysis.
pub fn diagnose(a: &Analysis) -> Vec<Finding> {
    let mut c = Collector::default();
    let servers = servers(a);
    let kind_of = |addr| {
        servers
            .iter()
            .find(|s| s.address == addr)
            .map(|s| s.kind)
            .unwrap_or(ServerKind::Unknown)
    };
    let verif: HashMap<u64, &crate::verify::Verification> =
        a.verifications.iter().map(|v| (v.frame, v)).collect();

    if a.messages.is_empty() && a.tls.is_empty() {
        let mut why: Vec<String> = a
            .skips
            .counts
            .iter()
            .map(|(k, v)| format!("{v} × {k}"))
            .collect();
        if why.is_empty() {
            why.push("no packets at all".into());
        }
        c.add(
            "no-sip",
            Severity::Warning,
            "No SIP messages in this capture",
            format!(
                "Nothing in the {} frames looks like SIP (checked by content, on every port). \
                     Skipped: {}. Capture on the server's SIP interface without a port filter, \
                     or check that the phone really sends to this machine.",
                a.frames,
                why.join(", ")
            ),
            vec![],
            vec![],
            None,
        );
    }
    if !a.tls.is_empty() {
        let sev = if a.messages.is_empty() {
            Severity::Warning
        } else {
            Severity::Info
        };
        c.add(
            "tls-encrypted",
            sev,
            "SIP over TLS: encrypted, cannot inspect",
            "Part of the traffic is TLS (usually SIP on port 5061). Its REGISTERs and challenges \
             cannot be read from the capture. Capture on the server before encryption (pjsip \
             logger, sngrep on the server) or test the account over UDP/TCP for a moment.",
            vec![],
            a.tls
                .iter()
                .map(|t| ev(t.frame, format!("TLS stream {} -> {}", t.src, t.dst)))
                .collect(),
            None,
        );
    }

    // (auth username, From/To user) pairs the server accepted somewhere in the capture.
    let mut accepted_pairs: std::collections::HashSet<(String, String)> = Default::default();
    for e in &a.exchanges {
        for x in &e.attempts {
            if x.final_status.is_some_and(|s| (200..300).contains(&s))
                && let Some(au) = credentials_user(a, x)
            {
                let req = &a.messages[x.request];
                let user = if e.method == "REGISTER" {
                    req.to_user()
                } else {
                    req.from_user()
                };
                if let Some(u) = user {
                    accepted_pairs.insert((au, u));
                }
            }
        }
    }
    for e in &a.exchanges {
        let server_kind = kind_of(e.server);
        let mut latest_challenge: Option<(u64, usize, Vec<AuthValue>, u16)> = None; // frame, msg, challenges, status
        for (ai, att) in e.attempts.iter().enumerate() {
            let req = &a.messages[att.request];
            if let Some(hdr) = &att.credentials {
                let value = req.header(&hdr.to_ascii_lowercase()).unwrap_or("");
                let cred = sip::auth::parse_credentials(value).ok();
                if let (Some(cred), Some((cframe, cidx, chals, cstatus))) =
                    (&cred, &latest_challenge)
                {
                    // 407 must be answered with Proxy-Authorization, 401 with Authorization
                    // (RFC 3261 22.2 and 22.3).
                    let want = if *cstatus == 407 {
                        "Proxy-Authorization"
                    } else {
                        "Authorization"
                    };
                    if hdr != want {
                        c.add(
                            "proxy-auth-wrong-header",
                            Severity::Error,
                            format!("A {cstatus} challenge answered with the wrong header"),
                            format!(
                                "RFC 3261 22.3: a 407 Proxy-Authenticate challenge is answered \
                                 with Proxy-Authorization, a 401 WWW-Authenticate with \
                                 Authorization. This request used {hdr}, so the server ignores \
                                 the credentials and challenges again."
                            ),
                            vec![],
                            vec![
                                ev(*cframe, format!("challenge: {cstatus}")),
                                ev(req.frame, format!("answered with {hdr}")),
                            ],
                            Some(e.id),
                        );
                    }
                    let refused = att.final_status.is_some_and(|s| s >= 300);
                    let sev_if_refused = if refused {
                        Severity::Error
                    } else {
                        Severity::Info
                    };
                    // Realm.
                    let chal = chals
                        .iter()
                        .find(|ch| ch.nonce().is_some() && ch.nonce() == cred.nonce())
                        .or_else(|| chals.first());
                    if let Some(ch) = chal {
                        if ch.realm() != cred.realm() {
                            c.add(
                                "realm-mismatch",
                                if refused {
                                    Severity::Error
                                } else {
                                    Severity::Warning
                                },
                                "The phone answered for another realm",
                                "The digest is computed over the realm, so an answer for a \
                                 realm other than the challenge's cannot match (RFC 7616 3.4). \
                                 Set the phone's SIP domain/realm to the one the server sends.",
                                vec![],
                                vec![
                                    ev(
                                        *cframe,
                                        format!("challenge realm=\"{}\"", ch.realm().unwrap_or("")),
                                    ),
                                    ev(
                                        req.frame,
                                        format!("{hdr} realm=\"{}\"", cred.realm().unwrap_or("")),
                                    ),
                                ],
                                Some(e.id),
                            );
                        }
                        // Algorithm.
                        let offered: Vec<String> =
                            chals.iter().map(|ch| algo_name(ch.algorithm())).collect();
                        let used = algo_name(cred.algorithm());
                        let resp_len = cred.response().map(str::len).unwrap_or(0);
                        let md5_family = used.contains("MD5");
                        let wrong_len =
                            resp_len == 32 && !md5_family || resp_len == 64 && md5_family;
                        if !offered.contains(&used) || wrong_len {
                            c.add(
                                "algorithm-mismatch",
                                if refused { Severity::Error } else { Severity::Warning },
                                "The phone used a digest algorithm the server did not offer",
                                "RFC 8760 / RFC 7616 3.7: the client must use an algorithm of \
                                 one of the challenges. The server cannot check an answer in \
                                 another algorithm. Update the phone's firmware or let the \
                                 server offer MD5 as well.",
                                vec![],
                                vec![
                                    ev(*cframe, format!("offered algorithm={}", offered.join(", "))),
                                    ev(req.frame, format!("used algorithm={used}, response of {resp_len} hex digits")),
                                ],
                                Some(e.id),
                            );
                        }
                        // Nonce age when answered, against the server's default lifetime.
                        let age = (req.ts - a.messages[*cidx].ts) / 1_000_000_000;
                        if let Some(life) = server_kind.nonce_lifetime()
                            && age > life
                            && cred.nonce() == ch.nonce()
                        {
                            c.add(
                                "stale-nonce",
                                Severity::Warning,
                                "The phone answered a nonce older than the server keeps it",
                                format!(
                                    "The answer came {age} s after the challenge; {} nonces \
                                     live {life} s by default, so the server treats it as \
                                     stale and challenges again. A slow phone (waiting for a \
                                     user or a lookup) or a delayed path causes this.",
                                    server_kind.label()
                                ),
                                vec![],
                                vec![
                                    ev(*cframe, "challenge".to_string()),
                                    ev(req.frame, format!("answered {age} s later")),
                                ],
                                Some(e.id),
                            );
                        }
                        // Nonce: answered an old challenge.
                        if let (Some(cn), Some(n)) = (cred.nonce(), ch.nonce())
                            && cn != n
                        {
                            c.add(
                                "stale-nonce",
                                if refused {
                                    Severity::Warning
                                } else {
                                    Severity::Info
                                },
                                "The phone answered with an old nonce",
                                "The nonce in the request is not the one of the latest \
                                 challenge. Servers refuse old nonces (and say stale=true when \
                                 the password was right). Usually harmless when the phone then \
                                 answers the new challenge.",
                                vec![],
                                vec![
                                    ev(*cframe, format!("latest challenge nonce=\"{n}\"")),
                                    ev(req.frame, format!("request nonce=\"{cn}\"")),
                                ],
                                Some(e.id),
                            );
                        }
                    }
                    // Digest uri vs Request-URI (RFC 3261 22.4 says they should match).
                    if let (Some(u), Some(ru)) = (cred.uri(), req.request_uri())
                        && u != ru
                    {
                        c.add(
                            "uri-mismatch",
                            sev_if_refused.max(Severity::Warning).min(if refused {
                                Severity::Warning
                            } else {
                                Severity::Info
                            }),
                            "Digest uri differs from the Request-URI",
                            "The digest is computed over the uri parameter as sent; servers that \
                             check it against the Request-URI (RFC 3261 22.4) refuse it. Often \
                             harmless, but it matters behind proxies that rewrite the \
                             Request-URI.",
                            vec![],
                            vec![ev(
                                req.frame,
                                format!("Request-URI {ru}; digest uri=\"{u}\""),
                            )],
                            Some(e.id),
                        );
                    }
                    // Auth username vs From/To user.
                    let user = if e.method == "REGISTER" {
                        req.to_user()
                    } else {
                        req.from_user()
                    };
                    if let (Some(au), Some(u)) = (cred.username(), user)
                        && au != u
                    {
                        let forbidden = att.final_status == Some(403);
                        // The same auth user was accepted for this user elsewhere in the
                        // capture: the provider uses an auth ID on purpose.
                        let accepted_pair = accepted_pairs.contains(&(au.clone(), u.clone()));
                        let refused = refused && !accepted_pair;
                        let forbidden = forbidden && !accepted_pair;
                        c.add(
                            "auth-username-mismatch",
                            if forbidden || refused {
                                Severity::Error
                            } else {
                                Severity::Info
                            },
                            "Authentication username is not the account's user",
                            "The phone authenticates as one user while registering another. \
                             Many providers do this on purpose (auth ID vs number); it is a \
                             problem only when the server refuses, for example when it binds \
                             the auth user to the From/To user.",
                            vec![],
                            vec![ev(
                                req.frame,
                                format!("{hdr} username=\"{au}\"; From/To user \"{u}\""),
                            )],
                            Some(e.id),
                        );
                    }
                    // Verification with the typed secret.
                    if let Some(v) = verif.get(&req.frame) {
                        apply_verification(&mut c, v, e, att.final_status, refused);
                    }
                }
            }
            // Record the challenge of this attempt for the next one.
            if let Some(&r) = att
                .responses
                .iter()
                .find(|&&r| matches!(a.messages[r].status(), Some(401 | 407)))
            {
                let status = a.messages[r].status().unwrap_or(0);
                let chals = challenges_of(a, r);
                if chals.iter().any(|ch| ch.stale()) {
                    let recovered = e.attempts.len() > ai + 1
                        && matches!(e.outcome, Outcome::Accepted | Outcome::Recovered);
                    c.add(
                        "stale-nonce",
                        if recovered {
                            Severity::Info
                        } else {
                            Severity::Warning
                        },
                        "The server said the nonce was stale",
                        "stale=true (RFC 7616 3.3) means the password was right but the nonce \
                         had expired; the phone should retry at once with the new nonce. If it \
                         keeps happening, the nonce lifetime is too short or the servers of a \
                         cluster do not share the nonce secret.",
                        vec![],
                        vec![ev(a.messages[r].frame, format!("{status} with stale=true"))],
                        Some(e.id),
                    );
                }
                latest_challenge = Some((a.messages[r].frame, r, chals, status));
            }
        }

        let last = e.attempts.last().expect("exchange has an attempt");
        let last_req = &a.messages[last.request];
        let refused: Vec<&crate::transaction::Attempt> = e
            .attempts
            .iter()
            .filter(|x| {
                x.credentials.is_some()
                    && matches!(x.final_status, Some(401 | 407))
                    && !stale_rechallenge(a, x)
            })
            .collect();
        match e.outcome {
            Outcome::Accepted | Outcome::Recovered => {
                if e.was_challenged() {
                    let recovered = e.outcome == Outcome::Recovered;
                    c.add(
                        "auth-ok",
                        Severity::Info,
                        "Challenged and accepted",
                        "The server challenged (401/407, which is normal) and accepted the \
                         answer. A first 401 is part of every digest login, not an error.",
                        vec![],
                        vec![ev(
                            a.messages[*last.responses.last().unwrap_or(&last.request)].frame,
                            format!(
                                "{} {} -> {}{}",
                                e.method,
                                e.from_user.as_deref().unwrap_or(""),
                                e.final_status.unwrap_or(0),
                                if recovered {
                                    " (recovered after refused attempts)"
                                } else {
                                    ""
                                }
                            ),
                        )],
                        Some(e.id),
                    );
                }
            }
            Outcome::Rechallenged
            | Outcome::Rejected
            | Outcome::NoResponse
            | Outcome::Unreachable
                if !refused.is_empty() =>
            {
                let proven = e
                    .attempts
                    .iter()
                    .any(|x| verif.contains_key(&a.messages[x.request].frame));
                if !proven {
                    let mut causes = vec![
                        "the password on the phone differs from the server's (type it in step 2 to check)".to_string(),
                        "the authentication username is not the one the server knows".to_string(),
                        "the realm/SIP domain on the phone differs from the server's".to_string(),
                    ];
                    if server_kind == ServerKind::AsteriskPjsip
                        || server_kind == ServerKind::Asterisk
                    {
                        causes.insert(
                            1,
                            "Asterisk PJSIP also answers unknown users with 401 ('No matching endpoint found' in its log)".into(),
                        );
                    }
                    c.add(
                        "credentials-rejected",
                        Severity::Error,
                        "The server refused the phone's credentials",
                        format!(
                            "The phone answered the challenge and {} challenged it again: the \
                             credentials were checked and did not match. Without the password \
                             this cannot say which input is wrong; the most likely causes are \
                             listed in order.",
                            server_kind.label()
                        ),
                        causes,
                        refused
                            .iter()
                            .map(|x| {
                                ev(
                                    a.messages[x.request].frame,
                                    format!(
                                        "{} with credentials (username \"{}\") -> {} again",
                                        e.method,
                                        credentials_user(a, x).unwrap_or_default(),
                                        x.final_status.unwrap_or(0)
                                    ),
                                )
                            })
                            .collect(),
                        Some(e.id),
                    );
                }
                rest_of_outcome(&mut c, a, e, server_kind);
            }
            _ => rest_of_outcome(&mut c, a, e, server_kind),
        }
        // NAT: Contact or Via carries a private address unlike the packet's source.
        if e.method == "REGISTER" {
            let contact_host = last_req
                .header("contact")
                .map(sip::uri_of_name_addr)
                .and_then(sip::uri_host);
            if let Some(h) = contact_host
                && let Ok(ip) = h.parse::<IpAddr>()
                && is_private(ip)
                && ip != last_req.src.ip()
            {
                c.add(
                    "nat-private-contact",
                    Severity::Warning,
                    "The phone registers a private address from behind NAT",
                    "The Contact carries a private address while the packet came from another \
                     one. Registration can still succeed, but calls to the phone will fail \
                     unless the server fixes the contact (rport, force_rport/fix_nated_contact, \
                     PJSIP rewrite_contact) or a SIP ALG stops mangling it.",
                    vec![],
                    vec![ev(
                        last_req.frame,
                        format!("Contact host {ip}, packet source {}", last_req.src.ip()),
                    )],
                    Some(e.id),
                );
            }
        }
    }

    brute_force(&mut c, a);

    // Clock.
    for r in clock_readings(a) {
        if r.skew_secs.abs() >= SKEW_THRESHOLD_SECS {
            let whose = if r.side == "client" {
                "The phone's clock"
            } else {
                "The server's clock"
            };
            c.add(
                "clock-skew",
                Severity::Warning,
                "A clock differs from the capture's clock",
                format!(
                    "{whose} differs from the capture machine's by {}. The client's clock is \
                     not part of the digest (RFC 7616), so skew alone does not cause a 401. It \
                     does break TLS certificate checks, nonce checks between servers of a \
                     cluster (a nonce 'from the future' or already expired), and log \
                     correlation. Check NTP on both sides (step 4).",
                    server::human_duration(r.skew_secs.abs())
                ),
                vec![],
                vec![ev(r.frame, r.describe())],
                None,
            );
        }
    }
    c.into_sorted()
}

/// Findings from how an exchange ended (challenge unanswered, 403, silence).
fn rest_of_outcome(c: &mut Collector, a: &Analysis, e: &Exchange, server_kind: ServerKind) {
    let last = e.attempts.last().expect("exchange has an attempt");
    let last_req = &a.messages[last.request];
    match e.outcome {
        Outcome::ChallengeUnanswered => {
            let last_resp = *last.responses.last().unwrap_or(&last.request);
            let chals = challenges_of(a, last_resp);
            let algos: Vec<String> = chals.iter().map(|ch| algo_name(ch.algorithm())).collect();
            let capture_end = a.last_ts.unwrap_or(e.last_ts);
            let waited = (capture_end - a.messages[last_resp].ts) / 1_000_000_000;
            // A challenge right at the end of the capture may just be a short capture.
            if waited >= 2 || algos.iter().any(|x| !x.starts_with("MD5")) {
                c.add(
                    "unsupported-challenge",
                    if waited >= 2 || algos.iter().any(|x| !x.starts_with("MD5")) {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    "The phone never answered the challenge",
                    format!(
                        "The server challenged with algorithm {} and the phone sent no \
                             answer{}. A phone does this when it cannot do the algorithm or qop \
                             (RFC 8760 SHA-256 on old firmware) or has no credentials for the \
                             realm.",
                        algos.join(", "),
                        if waited >= 2 {
                            format!(" in the {waited} s that followed")
                        } else {
                            String::new()
                        }
                    ),
                    vec![],
                    vec![ev(
                        a.messages[last_resp].frame,
                        format!(
                            "{} challenge, algorithm={}, qop={}",
                            a.messages[last_resp].status().unwrap_or(0),
                            algos.join(","),
                            chals.first().and_then(|c| c.qop()).unwrap_or("none")
                        ),
                    )],
                    Some(e.id),
                );
            }
        }
        Outcome::Rejected => {
            let status = e.final_status.unwrap_or(0);
            let resp = last
                .responses
                .iter()
                .copied()
                .find(|&r| a.messages[r].status() == Some(status))
                .unwrap_or(last.request);
            let rm = &a.messages[resp];
            if status == 403 {
                let reason = match &rm.start {
                    sip::StartLine::Response { reason, .. } => reason.clone(),
                    _ => String::new(),
                };
                if last.credentials.is_some() {
                    c.add(
                            "forbidden-after-auth",
                            Severity::Error,
                            "403 Forbidden in answer to the authenticated request",
                            format!(
                                "The server checked the credentials and refused with 403. {}",
                                match server_kind {
                                    ServerKind::FreeSwitch => "FreeSWITCH answers a wrong password with 403, so check the password first (step 2).",
                                    _ => "Typical causes: a wrong password on servers that answer it with 403 (FreeSWITCH), the auth user bound to another From/To user, an account disabled or suspended by the provider.",
                                }
                            ),
                            vec![],
                            vec![ev(rm.frame, format!("403 {reason}"))],
                            Some(e.id),
                        );
                } else if !e.was_challenged() {
                    c.add(
                        "forbidden-before-auth",
                        Severity::Error,
                        "403 Forbidden before any challenge",
                        "The server refused without asking for a password: the credentials \
                             were never checked. Typical causes: the source address is not \
                             allowed (IP ACL, permissions), the address is banned, or the \
                             account is disabled.",
                        vec![],
                        vec![
                            ev(last_req.frame, format!("{} from {}", e.method, e.client)),
                            ev(rm.frame, format!("403 {reason}")),
                        ],
                        Some(e.id),
                    );
                }
            }
        }
        Outcome::NoResponse | Outcome::Unreachable => {
            let sends: usize = e.attempts.iter().map(|x| 1 + x.retransmissions.len()).sum();
            // A request seen once proves nothing over UDP: a client retransmits it (RFC 3261
            // 17.1.1.2 timer A, 17.1.2.2 timer E), so no retransmission means the capture is
            // short or one-sided. Over TCP it counts once timer B/F (64*T1 = 32 s) has run.
            let capture_end = a.last_ts.unwrap_or(e.last_ts);
            let waited = (capture_end - last_req.ts) / 1_000_000_000;
            let udp = last_req.transport == crate::capture::Transport::Udp;
            if e.outcome == Outcome::NoResponse
                && ((udp && last.retransmissions.is_empty()) || (!udp && waited < 32))
            {
                return;
            }
            let mut evidence = vec![ev(
                last_req.frame,
                format!(
                    "{} to {} over {}: {} sent, no SIP response",
                    e.method,
                    e.server,
                    crate::analysis::Analysis::transport_label(last_req.transport),
                    sends
                ),
            )];
            for &n in e.attempts.iter().flat_map(|x| x.icmp.iter()) {
                let note = &a.icmp[n];
                evidence.push(ev(
                    note.frame,
                    format!("ICMP {} from {}", note.kind, note.reporter),
                ));
            }
            let unreachable = e.outcome == Outcome::Unreachable;
            c.add(
                "no-response",
                Severity::Error,
                if unreachable {
                    "Nothing listens there: ICMP unreachable"
                } else {
                    "No answer from the server"
                },
                if unreachable {
                    "The request went out and the network answered with ICMP destination \
                         unreachable: no SIP service on that address, port and transport, or a \
                         firewall rejecting it. This is not an authentication problem."
                } else {
                    "The request was sent (and retransmitted) but no SIP response came \
                         back. Causes: wrong server address, port or transport, a firewall \
                         dropping it, a missing outbound proxy, or the server has banned this \
                         address."
                },
                vec![],
                evidence,
                Some(e.id),
            );
        }
        _ => {}
    }
}

/// A 401/407 that only says the nonce was stale (the password was right).
fn stale_rechallenge(a: &Analysis, x: &crate::transaction::Attempt) -> bool {
    x.responses
        .iter()
        .filter(|&&r| matches!(a.messages[r].status(), Some(401 | 407)))
        .all(|&r| challenges_of(a, r).iter().any(|ch| ch.stale()))
}

/// What one attempt tells the brute-force rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Credentials re-challenged (checked and refused).
    Refused,
    /// 403 without a challenge, or silence: the server stopped challenging.
    Blocked,
    /// 403 to credentials after re-challenges: a ban when it follows several refusals.
    BlockedWithCredentials,
    Other,
}

/// Brute-force block: after at least two refused logins from one address, the same server
/// stops challenging it and answers 403 or nothing at all (fail2ban, Kamailio pike/htable,
/// provider guards). A server that answers every wrong password with 403 from the start
/// (FreeSWITCH) is not taken for a ban: the 403 must follow re-challenges.
fn brute_force(c: &mut Collector, a: &Analysis) {
    // (time, frame, mark, exchange, what) per (client IP, server)
    type Event = (i64, u64, Mark, usize, String);
    let mut timeline: HashMap<(IpAddr, std::net::SocketAddr), Vec<Event>> = HashMap::new();
    for e in &a.exchanges {
        for x in &e.attempts {
            let m = &a.messages[x.request];
            let reason = x
                .responses
                .iter()
                .map(|&r| &a.messages[r])
                .find(|r| r.status() == Some(403))
                .map(|r| match &r.start {
                    sip::StartLine::Response { reason, .. } => reason.to_ascii_lowercase(),
                    _ => String::new(),
                })
                .unwrap_or_default();
            // A 403 that names the password is the server's verdict on the credentials, not
            // a ban ("403 Wrong password or domain").
            let verdict_on_credentials = ["password", "credential", "auth"]
                .iter()
                .any(|w| reason.contains(w));
            let mark = match x.final_status {
                Some(401 | 407) if x.credentials.is_some() && !stale_rechallenge(a, x) => {
                    Mark::Refused
                }
                Some(403) if x.credentials.is_none() => Mark::Blocked,
                Some(403) if !verdict_on_credentials => Mark::BlockedWithCredentials,
                None if x.responses.is_empty() => Mark::Blocked,
                _ => Mark::Other,
            };
            let what = match x.final_status {
                Some(s) => format!("{} (CSeq {}) -> {s}", e.method, x.cseq),
                None => format!(
                    "{} (CSeq {}) sent {} times, no answer",
                    e.method,
                    x.cseq,
                    1 + x.retransmissions.len()
                ),
            };
            timeline
                .entry((e.client.ip(), e.server))
                .or_default()
                .push((m.ts, m.frame, mark, e.id, what));
        }
    }
    for ((client_ip, server_addr), mut events) in timeline {
        events.sort_by_key(|ev| (ev.0, ev.1));
        let mut refused = 0;
        let mut first_block = None;
        for (i, ev) in events.iter().enumerate() {
            match ev.2 {
                Mark::Refused => refused += 1,
                Mark::Blocked if refused >= 2 => {
                    first_block = Some(i);
                    break;
                }
                Mark::BlockedWithCredentials if refused >= 3 => {
                    first_block = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(b) = first_block else { continue };
        let blocked = &events[b];
        let silence = blocked.4.contains("no answer");
        let mut evidence: Vec<Evidence> = events[..b]
            .iter()
            .filter(|ev| ev.2 == Mark::Refused)
            .map(|x| ev(x.1, format!("refused: {}", x.4)))
            .collect();
        evidence.push(ev(blocked.1, format!("then: {}", blocked.4)));
        c.add(
            "brute-force-block",
            Severity::Error,
            format!("{client_ip} looks blocked after {refused} refused logins"),
            format!(
                "After {refused} refused authentication attempts from {client_ip}, \
                 the server at {server_addr} stopped challenging it ({}). That is what fail2ban, Kamailio \
                 pike/htable or a provider's brute-force guard do. Unban the address (see step 3), \
                 then fix the credentials before the phone retries, or it is banned again.",
                if silence {
                    "silence"
                } else {
                    "403 without a new challenge"
                }
            ),
            vec![],
            evidence,
            Some(blocked.3),
        );
        // The blocked attempts are explained by the ban.
        for code in [
            "forbidden-before-auth",
            "forbidden-after-auth",
            "no-response",
        ] {
            if let Some(f) = c.by_code.get_mut(code) {
                f.severity = f.severity.max(Severity::Warning);
            }
        }
    }
}

fn credentials_user(a: &Analysis, att: &crate::transaction::Attempt) -> Option<String> {
    let hdr = att.credentials.as_ref()?;
    let v = a.messages[att.request].header(&hdr.to_ascii_lowercase())?;
    sip::auth::parse_credentials(v).ok()?.username()
}

fn apply_verification(
    c: &mut Collector,
    v: &crate::verify::Verification,
    e: &Exchange,
    final_status: Option<u16>,
    refused: bool,
) {
    let status = final_status
        .map(|s| s.to_string())
        .unwrap_or("no answer".into());
    let differs = v
        .differs
        .and_then(|d| serde_json::to_value(d).ok())
        .and_then(|d| d.as_str().map(str::to_string));
    let what = match (v.verified, differs) {
        (true, None) => "response matches the typed secret".to_string(),
        (true, Some(d)) => format!("response matches the typed secret; {d} differs"),
        (false, Some(d)) => format!("response does not match; differs: {d}"),
        (false, None) => "response does not match".to_string(),
    };
    let mut evidence = vec![ev(v.frame, format!("{what} -> {status}"))];
    if !matches!(
        v.differs,
        Some(Differs::Password | Differs::PasswordCase | Differs::PasswordWhitespace)
    ) {
        evidence.extend(v.detail.iter().take(2).map(|d| ev(v.frame, d.clone())));
    }
    if v.verified && v.differs.is_none() {
        if refused {
            c.add(
                "password-ok-but-rejected",
                Severity::Error,
                "The password is right, yet the server refuses",
                "The password you typed reproduces the phone's digest exactly, so the phone is \
                 sending the right password. The server refuses it anyway: look at the server's \
                 account (stored HA1 computed for another realm, auth user bound to another \
                 account, account disabled).",
                vec![],
                evidence,
                Some(e.id),
            );
        }
        return;
    }
    if v.verified && !refused {
        return;
    }
    let (code, title) = match v.differs {
        Some(Differs::Password) => ("wrong-password", "The phone uses a different password"),
        Some(Differs::PasswordWhitespace) => (
            "wrong-password",
            "The phone's password has an extra or missing space",
        ),
        Some(Differs::PasswordCase) => (
            "wrong-password",
            "The phone's password differs in letter case",
        ),
        Some(Differs::Realm) => (
            "realm-mismatch",
            "The digest was computed for another realm",
        ),
        Some(Differs::Username) => (
            "auth-username-mismatch",
            "The digest was computed for another username",
        ),
        Some(Differs::Uri) => ("uri-mismatch", "The digest was computed over another uri"),
        Some(Differs::Algorithm) | Some(Differs::UnsupportedAlgorithm) => (
            "algorithm-mismatch",
            "The digest was computed with another algorithm",
        ),
        Some(Differs::Nonce) => ("stale-nonce", "The digest answers an old nonce"),
        Some(Differs::Qop) | Some(Differs::Incomplete) | None => (
            "credentials-rejected",
            "The phone's digest does not match what you typed",
        ),
    };
    c.add(
        code,
        Severity::Error,
        title,
        v.explanation.clone(),
        vec![],
        evidence,
        Some(e.id),
    );
}

/// Verdict of one wizard step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepVerdict {
    Ok,
    Problem,
    NotChecked,
}

/// The five steps of the wizard, each with its verdict and the findings that belong to it.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub step: u8,
    pub name: &'static str,
    pub verdict: StepVerdict,
    pub summary: String,
    pub findings: Vec<&'static str>,
}

/// Which step a finding code belongs to.
pub fn step_of(code: &str) -> u8 {
    match code {
        "wrong-password"
        | "password-ok-but-rejected"
        | "credentials-rejected"
        | "realm-mismatch"
        | "auth-username-mismatch"
        | "uri-mismatch"
        | "algorithm-mismatch" => 2,
        "brute-force-block" | "forbidden-before-auth" => 3,
        "clock-skew" => 4,
        _ => 1,
    }
}

/// Step reports from an analysis (the GUI and the CLI show the same).
pub fn steps(a: &Analysis) -> Vec<StepReport> {
    let names = [
        "Capture",
        "Credentials",
        "fail2ban / brute force",
        "Clock",
        "Known-good client",
    ];
    (1..=5u8)
        .map(|step| {
            let fs: Vec<&Finding> = a
                .findings
                .iter()
                .filter(|f| step_of(f.code) == step)
                .collect();
            let problem = fs.iter().any(|f| f.severity <= Severity::Warning);
            let verdict = match step {
                _ if problem => StepVerdict::Problem,
                1 if !a.messages.is_empty() => StepVerdict::Ok,
                2 if !a.verifications.is_empty() => StepVerdict::Ok,
                3 if !a.exchanges.is_empty() => StepVerdict::Ok,
                4 if !clock_readings(a).is_empty() => StepVerdict::Ok,
                _ => StepVerdict::NotChecked,
            };
            let summary = match (step, verdict) {
                (_, StepVerdict::Problem) => fs
                    .iter()
                    .find(|f| f.severity <= Severity::Warning)
                    .map(|f| f.title.clone())
                    .unwrap_or_default(),
                (1, StepVerdict::Ok) => format!(
                    "{} SIP messages, {} auth exchanges",
                    a.messages.len(),
                    a.exchanges.len()
                ),
                (2, StepVerdict::Ok) => "the typed password reproduces every digest".into(),
                (3, StepVerdict::Ok) => "no sign of a ban in the capture".into(),
                (4, StepVerdict::Ok) => "server clock readings agree with the capture".into(),
                (2, _) => "type the password (or HA1) to check the digests".into(),
                (5, _) => "run a test REGISTER from this app".into(),
                _ => "nothing in the capture to check".into(),
            };
            StepReport {
                step,
                name: names[step as usize - 1],
                verdict,
                summary,
                findings: fs.iter().map(|f| f.code).collect(),
            }
        })
        .collect()
}

/// Unit tests of single rules on hand-written messages (the lab captures in tests/integration
/// prove the rules on real traffic; these pin rules the lab cannot produce on loopback).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{Payload, Skips, Transport};
    use crate::sip::Scanner;

    /// (source, destination, milliseconds, message text with `\n` line ends)
    fn analysis(msgs: &[(&str, &str, i64, &str)]) -> Analysis {
        let mut sc = Scanner::new();
        let mut skips = Skips::default();
        let mut messages = Vec::new();
        for (i, (src, dst, ms, text)) in msgs.iter().enumerate() {
            let p = Payload {
                frame: i as u64 + 1,
                frames: vec![i as u64 + 1],
                ts: 1_700_000_000_000_000_000 + ms * 1_000_000,
                src: src.parse().unwrap(),
                dst: dst.parse().unwrap(),
                transport: Transport::Udp,
                data: text.replace('\n', "\r\n").into_bytes(),
            };
            messages.push(sc.datagram(p, &mut skips).expect("SIP"));
        }
        let mut icmp = Vec::new();
        let g = crate::transaction::group(&messages, &mut icmp);
        let mut a = Analysis {
            file: "unit".into(),
            format: "pcap".into(),
            link_types: vec![],
            frames: msgs.len() as u64,
            bytes: 0,
            first_ts: messages.first().map(|m| m.ts),
            last_ts: messages.last().map(|m| m.ts),
            messages,
            roles: g.roles,
            exchanges: g.exchanges,
            icmp,
            tls: vec![],
            skips,
            verifications: vec![],
            findings: vec![],
        };
        a.findings = diagnose(&a);
        a
    }

    const PHONE: &str = "203.0.113.5:5060";
    const PBX: &str = "198.51.100.1:5060";

    fn register(cseq: u32, branch: &str, contact: &str, auth: &str) -> String {
        format!(
            "REGISTER sip:pbx.example SIP/2.0\nVia: SIP/2.0/UDP 203.0.113.5;branch={branch}\n\
             From: <sip:1001@pbx.example>;tag=a\nTo: <sip:1001@pbx.example>\nCall-ID: c1\n\
             CSeq: {cseq} REGISTER\nContact: <sip:1001@{contact}:5060>\n{auth}Content-Length: 0\n\n"
        )
    }

    fn response(status: &str, cseq: u32, branch: &str, extra: &str) -> String {
        format!(
            "SIP/2.0 {status}\nVia: SIP/2.0/UDP 203.0.113.5;branch={branch}\n\
             From: <sip:1001@pbx.example>;tag=a\nTo: <sip:1001@pbx.example>;tag=s\nCall-ID: c1\n\
             CSeq: {cseq} REGISTER\n{extra}Content-Length: 0\n\n"
        )
    }

    fn codes(a: &Analysis) -> Vec<&'static str> {
        a.findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn private_contact_behind_nat_is_flagged_and_not_without_nat() {
        let r = register(1, "z9hG4bK1", "192.168.1.20", "");
        let ok = response("200 OK", 1, "z9hG4bK1", "");
        let a = analysis(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &ok)]);
        assert!(
            codes(&a).contains(&"nat-private-contact"),
            "{:?}",
            codes(&a)
        );
        let r = register(1, "z9hG4bK1", "203.0.113.5", "");
        let a = analysis(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &ok)]);
        assert!(!codes(&a).contains(&"nat-private-contact"));
    }

    #[test]
    fn asterisk_nonce_answered_after_its_lifetime() {
        let nonce = "1700000000/0123456789abcdef0123456789abcdef";
        let chal = format!(
            "WWW-Authenticate: Digest realm=\"asterisk\", nonce=\"{nonce}\", algorithm=MD5\n\
             Server: Asterisk PBX 20.5.0\n"
        );
        let auth = format!(
            "Authorization: Digest username=\"1001\", realm=\"asterisk\", nonce=\"{nonce}\", \
             uri=\"sip:pbx.example\", response=\"0123456789abcdef0123456789abcdef\"\n"
        );
        let msgs = [
            register(1, "z9hG4bK1", "203.0.113.5", ""),
            response("401 Unauthorized", 1, "z9hG4bK1", &chal),
            register(2, "z9hG4bK2", "203.0.113.5", &auth),
            response("401 Unauthorized", 2, "z9hG4bK2", &chal),
        ];
        // Answered 40 s after the challenge: PJSIP nonces live 32 s by default.
        let a = analysis(&[
            (PHONE, PBX, 0, &msgs[0]),
            (PBX, PHONE, 5, &msgs[1]),
            (PHONE, PBX, 40_005, &msgs[2]),
            (PBX, PHONE, 40_010, &msgs[3]),
        ]);
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "stale-nonce")
            .expect("stale-nonce");
        assert!(
            f.title.contains("older than the server keeps it"),
            "{}",
            f.title
        );
        assert_eq!(servers(&a)[0].kind, ServerKind::AsteriskPjsip);
        // Answered at once: no such finding.
        let a = analysis(&[
            (PHONE, PBX, 0, &msgs[0]),
            (PBX, PHONE, 5, &msgs[1]),
            (PHONE, PBX, 10, &msgs[2]),
            (PBX, PHONE, 15, &msgs[3]),
        ]);
        assert!(!codes(&a).contains(&"stale-nonce"), "{:?}", codes(&a));
        // The server's own clock, read from the nonce, agrees with the capture (no skew).
        assert!(!codes(&a).contains(&"clock-skew"));
    }

    #[test]
    fn a_407_answered_with_authorization_is_the_wrong_header() {
        let chal = "Proxy-Authenticate: Digest realm=\"x\", nonce=\"n1\"\n";
        let auth = "Authorization: Digest username=\"1001\", realm=\"x\", nonce=\"n1\", \
                    uri=\"sip:pbx.example\", response=\"0123456789abcdef0123456789abcdef\"\n";
        let a = analysis(&[
            (PHONE, PBX, 0, &register(1, "z9hG4bK1", "203.0.113.5", "")),
            (
                PBX,
                PHONE,
                5,
                &response("407 Proxy Authentication Required", 1, "z9hG4bK1", chal),
            ),
            (
                PHONE,
                PBX,
                10,
                &register(2, "z9hG4bK2", "203.0.113.5", auth),
            ),
            (
                PBX,
                PHONE,
                15,
                &response("407 Proxy Authentication Required", 2, "z9hG4bK2", chal),
            ),
        ]);
        assert_eq!(
            a.findings[0].code,
            "proxy-auth-wrong-header",
            "{:?}",
            codes(&a)
        );
    }

    #[test]
    fn freeswitch_403_after_auth_names_the_password_first() {
        let chal = "WWW-Authenticate: Digest realm=\"x\", nonce=\"8c3b4a2e-1f0a-4b5c-9d6e-7f8091a2b3c4\"\nServer: FreeSWITCH-mod_sofia/1.10.9\n";
        let auth = "Authorization: Digest username=\"1001\", realm=\"x\", \
                    nonce=\"8c3b4a2e-1f0a-4b5c-9d6e-7f8091a2b3c4\", uri=\"sip:pbx.example\", \
                    response=\"0123456789abcdef0123456789abcdef\"\n";
        let a = analysis(&[
            (PHONE, PBX, 0, &register(1, "z9hG4bK1", "203.0.113.5", "")),
            (
                PBX,
                PHONE,
                5,
                &response("401 Unauthorized", 1, "z9hG4bK1", chal),
            ),
            (
                PHONE,
                PBX,
                10,
                &register(2, "z9hG4bK2", "203.0.113.5", auth),
            ),
            (
                PBX,
                PHONE,
                15,
                &response(
                    "403 Forbidden",
                    2,
                    "z9hG4bK2",
                    "Server: FreeSWITCH-mod_sofia/1.10.9\n",
                ),
            ),
        ]);
        let f = &a.findings[0];
        assert_eq!(f.code, "forbidden-after-auth");
        assert!(
            f.explanation
                .contains("FreeSWITCH answers a wrong password with 403")
        );
        // One 403 after one refusal is no ban.
        assert!(!codes(&a).contains(&"brute-force-block"));
    }
}
