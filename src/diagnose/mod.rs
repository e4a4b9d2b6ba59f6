//! Diagnosis: from auth exchanges to ranked findings with evidence.
//!
//! The first 401 of a registration is normal (RFC 3261 22.2: the server challenges, the client
//! answers), so it is never a finding on its own. What matters is what happens to the answer:
//! Kamailio re-challenges a wrong password, FreeSWITCH answers it with 403, and Asterisk PJSIP
//! answers unknown users with 401 too (an artificial endpoint challenges them), so a 401 loop is
//! "credentials refused", not proof of a wrong password, until a typed password proves it.
//!
//! Each rule is a function of its own module, given the [`Ctx`] of the capture and a
//! [`Collector`] to add [`Draft`]s to:
//! - [`capture`]: nothing to diagnose (no SIP) or nothing readable (TLS);
//! - [`answers`]: how each authenticated request answers its challenge (header, realm,
//!   algorithm, nonce, uri, username);
//! - [`verification`]: what the typed password proves about each request;
//! - [`outcome`]: how each exchange ended (accepted, refused, unanswered, 403, silence);
//! - [`nat`]: a private Contact from behind NAT;
//! - [`brute_force`]: refused logins followed by a block;
//! - [`clock`]: server and phone clocks against the capture's.
//!
//! The diagnosis reads the model (`crate::model`) only; it knows no knowledge base (the entry is
//! joined to a finding by its code where findings are shown).

pub mod answers;
pub mod brute_force;
pub mod capture;
pub mod clock;
pub mod collect;
pub mod nat;
pub mod outcome;
pub mod server;
pub mod steps;
pub mod verification;

use std::collections::HashMap;
use std::net::SocketAddr;

use serde::Serialize;

use crate::accounts::AuthFields;
pub use crate::finding::{Evidence, Finding, FindingCode, Severity};
use crate::model::Analysis;
use crate::sip::auth::PackedAuth;
use crate::transaction::{Attempt, Exchange};
use crate::verify::Verification;
pub use clock::{SKEW_THRESHOLD_SECS, clock_readings};
pub use collect::{Collector, Draft, MAX_EVIDENCE};
use server::{NonceInfo, ServerKind};
pub use steps::{StepReport, StepVerdict, overall_verdict, steps, steps_given};

/// What the diagnosis knows about the server(s) in the capture.
#[derive(Debug, Clone, Serialize)]
pub struct ServerInfo {
    pub address: SocketAddr,
    pub kind: ServerKind,
    pub agent: Option<String>,
    pub nonce_shape: Option<NonceInfo>,
}

/// What every rule may read: the analysis, the servers' fingerprints, the verifications by
/// frame.
pub struct Ctx<'a> {
    pub a: &'a Analysis,
    pub servers: Vec<ServerInfo>,
    pub verifications: HashMap<u64, &'a Verification>,
}

impl<'a> Ctx<'a> {
    pub fn new(a: &'a Analysis) -> Ctx<'a> {
        Ctx {
            a,
            servers: servers(a),
            verifications: a.verifications.iter().map(|v| (v.frame, v)).collect(),
        }
    }

    /// The kind of server at `addr`, from its fingerprint.
    pub fn kind_of(&self, addr: SocketAddr) -> ServerKind {
        self.servers
            .iter()
            .find(|s| s.address == addr)
            .map(|s| s.kind)
            .unwrap_or(ServerKind::Unknown)
    }
}

/// Run every rule over an analysis.
pub fn diagnose(a: &Analysis) -> Vec<Finding> {
    let ctx = Ctx::new(a);
    let mut c = Collector::default();
    rules_but_clock(&ctx, &mut c);
    clock::skew(&ctx, &mut c);
    c.into_sorted()
}

/// [`diagnose`] but the clock rule, which comes last: for a front that reads the clock
/// readings anyway (the JSON) and finishes with [`WithoutClock::finish`], so that every
/// message's clock is read once.
pub fn diagnose_but_clock(a: &Analysis) -> WithoutClock {
    let mut c = Collector::default();
    let ctx = Ctx::new(a);
    rules_but_clock(&ctx, &mut c);
    WithoutClock(c, ctx.servers)
}

/// The findings of every rule but the clock's (see [`diagnose_but_clock`]), and the
/// [`servers`] they were given.
pub struct WithoutClock(Collector, Vec<ServerInfo>);

impl WithoutClock {
    /// The [`servers`] of the analysis (read once, for the rules), for a front that lists
    /// them too; none are left after.
    pub fn take_servers(&mut self) -> Vec<ServerInfo> {
        std::mem::take(&mut self.1)
    }

    /// The findings of [`diagnose`], given the [`clock_readings`] of the same analysis.
    pub fn finish(mut self, a: &Analysis, readings: &[server::ClockReading]) -> Vec<Finding> {
        clock::skew_given(a, &mut self.0, readings);
        self.0.into_sorted()
    }
}

/// Every rule but the clock's, in the order [`diagnose`] runs them.
fn rules_but_clock(ctx: &Ctx, c: &mut Collector) {
    capture::no_sip(ctx, c);
    capture::tls(ctx, c);
    let accepted = answers::LazyAccepted::new(ctx);
    for e in &ctx.a.exchanges {
        answers::check_exchange(ctx, c, e, &accepted);
        outcome::check(ctx, c, e);
        nat::private_contact(ctx, c, e);
    }
    brute_force::check(ctx, c);
}

/// Fingerprint each server address seen answering requests. One pass, an index by address;
/// a server's agent and nonce shape are read from its responses only until known (the kind
/// follows from them, so it is worked out again only when one of them is learnt).
pub fn servers(a: &Analysis) -> Vec<ServerInfo> {
    let mut out: Vec<ServerInfo> = Vec::new();
    let mut index: crate::sip::intern::FxHashMap<SocketAddr, usize> = Default::default();
    for m in a.messages.iter().filter(|m| !m.is_request()) {
        let i = *index.entry(*m.src).or_insert_with(|| {
            out.push(ServerInfo {
                address: *m.src,
                kind: ServerKind::Unknown,
                agent: None,
                nonce_shape: None,
            });
            out.len() - 1
        });
        let entry = &mut out[i];
        let mut learnt = false;
        if entry.agent.is_none()
            && let Some(agent) = m.header("server").or_else(|| m.header("user-agent"))
        {
            entry.agent = Some(agent.to_string());
            learnt = true;
        }
        if entry.nonce_shape.is_none()
            && let Some(nonce) = m
                .challenges()
                .find_map(|c| c.nonce().map(server::decode_nonce))
        {
            entry.nonce_shape = Some(nonce);
            learnt = true;
        }
        if learnt {
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
    }
    out
}

/// The digest challenges of a 401/407 response (message index).
fn challenges_of(a: &Analysis, resp: usize) -> Vec<&PackedAuth> {
    a.messages[resp]
        .challenges()
        .filter(|c| c.is_digest())
        .collect()
}

/// An algorithm as written in a challenge or an answer (absent means MD5, RFC 2617 3.2.1).
fn algo_name(v: Option<&str>) -> String {
    v.unwrap_or("MD5").to_ascii_uppercase()
}

/// The auth username of an attempt's credentials.
fn credentials_user(a: &Analysis, att: &Attempt) -> Option<String> {
    let hdr = att.credentials.as_ref()?;
    a.messages[att.request()]
        .credentials(hdr)?
        .as_ref()
        .ok()?
        .username()
}

/// [`PackedAuth::username`] borrowed from the header when it needs no decoding (the same
/// choice: `username*` decoded when present and decodable, else `username`).
fn username_of(c: &PackedAuth) -> Option<std::borrow::Cow<'_, str>> {
    AuthFields::of(c).username()
}

/// [`crate::model::request_user`] borrowed from the message: the To user of a REGISTER, the
/// From user of any other request.
fn request_user_str<'m>(method: &str, m: &'m crate::sip::SipMessage) -> Option<&'m str> {
    let kept = &crate::accounts::KEPT;
    let header = if crate::model::is_register(method) {
        kept.to
    } else {
        kept.from
    };
    crate::accounts::kept_value(m, header)
        .map(crate::sip::uri_of_name_addr)
        .and_then(crate::sip::uri_user_str)
}

/// A 401/407 that only says the nonce was stale (the password was right).
fn stale_rechallenge(a: &Analysis, x: &Attempt) -> bool {
    x.responses()
        .iter()
        .filter(|&&r| matches!(a.messages[r].status(), Some(401 | 407)))
        .all(|&r| {
            a.messages[r]
                .challenges()
                .any(|ch| ch.is_digest() && ch.stale())
        })
}

/// Authenticated attempts re-challenged for their credentials (not only for a stale nonce).
fn refused_attempts<'e>(a: &Analysis, e: &'e Exchange) -> Vec<&'e Attempt> {
    e.attempts
        .iter()
        .filter(|x| {
            x.credentials.is_some()
                && matches!(x.final_status, Some(401 | 407))
                && !stale_rechallenge(a, x)
        })
        .collect()
}

/// An evidence line from the message catalogue.
fn ev(frame: u64, text: crate::msg::Text) -> Evidence {
    Evidence::msg(frame, text)
}

/// A server's name in a sentence: its kind's label, or "the server" (translated) when unknown.
fn server_name(kind: ServerKind) -> crate::msg::Arg {
    match kind {
        ServerKind::Unknown => crate::msg::Msg::TheServer.into(),
        k => k.label().into(),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;
