//! Rules on each authenticated request against the challenge it answers: the header it used,
//! the realm, the algorithm, the nonce (age and freshness), the digest uri and the username.

use std::collections::HashSet;

use super::{
    Collector, Ctx, Draft, algo_name, ev, request_user_str, server_name, username_of, verification,
};
use crate::accounts::AuthFields;
use crate::finding::{FindingCode, Severity};
use crate::model::Analysis;
use crate::sip::{SipMessage, auth::PackedAuth};
use crate::text;
use crate::transaction::{Attempt, Exchange};

/// The latest 401/407 of an exchange, which the next attempt answers.
pub struct Challenge<'a> {
    pub frame: u64,
    /// Message index of the response, and its time.
    pub message: usize,
    pub ts: i64,
    /// Its digest challenges, each with the parameters the rules read (one walk).
    pub values: Vec<AuthFields<'a>>,
    pub status: u16,
}

impl<'a> Challenge<'a> {
    /// The challenge the credentials answer: the one whose nonce they echo, else the first.
    fn answered(&self, cred: &AuthFields) -> Option<&AuthFields<'a>> {
        self.values
            .iter()
            .find(|ch| ch.nonce.is_some() && ch.nonce == cred.nonce)
            .or_else(|| self.values.first())
    }
}

/// One authenticated attempt and the challenge before it.
pub struct Answer<'a> {
    pub e: &'a Exchange,
    pub att: &'a Attempt,
    pub req: &'a SipMessage,
    /// `Authorization` or `Proxy-Authorization`.
    pub header: &'a str,
    pub cred: &'a PackedAuth,
    /// The parameters of `cred` the rules read (one walk).
    pub fields: AuthFields<'a>,
    pub challenge: &'a Challenge<'a>,
    /// The server did not accept it (final status >= 300).
    pub refused: bool,
}

/// (auth username, account user) pairs the server accepted somewhere in the capture.
pub type AcceptedPairs = HashSet<(String, String)>;

/// Whether the server accepted an (auth username, account user) pair somewhere: the
/// [`AcceptedPairs`], or [`LazyAccepted`], which reads them only when asked.
pub trait Accepted {
    fn has(&self, auth_user: &str, user: &str) -> bool;
}

impl Accepted for AcceptedPairs {
    fn has(&self, auth_user: &str, user: &str) -> bool {
        self.contains(&(auth_user.to_string(), user.to_string()))
    }
}

/// The [`accepted_pairs`] of a capture, read the first time a pair is looked up: only an
/// auth username that is not the account's user is (a pass over every accepted request
/// saved on the captures where none is).
pub struct LazyAccepted<'c, 'a> {
    ctx: &'c Ctx<'a>,
    pairs: std::cell::OnceCell<AcceptedPairs>,
}

impl<'c, 'a> LazyAccepted<'c, 'a> {
    pub fn new(ctx: &'c Ctx<'a>) -> Self {
        LazyAccepted {
            ctx,
            pairs: std::cell::OnceCell::new(),
        }
    }

    /// True once the pairs were read.
    pub fn read(&self) -> bool {
        self.pairs.get().is_some()
    }
}

impl Accepted for LazyAccepted<'_, '_> {
    fn has(&self, auth_user: &str, user: &str) -> bool {
        self.pairs
            .get_or_init(|| accepted_pairs(self.ctx))
            .has(auth_user, user)
    }
}

pub fn accepted_pairs(ctx: &Ctx) -> AcceptedPairs {
    let a = ctx.a;
    let mut out = AcceptedPairs::new();
    for e in &a.exchanges {
        for x in &e.attempts {
            if x.final_status.is_some_and(|s| (200..300).contains(&s))
                && let Some(name) = x.credentials.as_deref()
                && let Some(Ok(cred)) = a.messages[x.request()].credentials(name)
                && let Some(au) = username_of(cred)
                && let Some(u) = request_user_str(&e.method, &a.messages[x.request()])
                // Only a pair of two different names is ever looked up (`username`).
                && *au != *u
            {
                out.insert((au.into_owned(), u.to_string()));
            }
        }
    }
    out
}

/// Every rule of this module (and the verification) over the attempts of one exchange.
/// Each request's credentials and each challenge are walked once for what the rules read.
pub fn check_exchange(ctx: &Ctx, c: &mut Collector, e: &Exchange, accepted: &impl Accepted) {
    let a = ctx.a;
    let mut latest: Option<Challenge> = None;
    for (ai, att) in e.attempts.iter().enumerate() {
        let req = &a.messages[att.request()];
        if let Some(header) = &att.credentials
            && let Some(challenge) = &latest
            && let Some(Ok(cred)) = req.credentials(header)
        {
            let x = Answer {
                e,
                att,
                req,
                header,
                cred,
                fields: AuthFields::of(cred),
                challenge,
                refused: att.final_status.is_some_and(|s| s >= 300),
            };
            wrong_header(c, &x);
            if let Some(ch) = challenge.answered(&x.fields) {
                realm(c, &x, ch);
                algorithm(c, &x);
                nonce_age(ctx, c, &x, ch);
                old_nonce(c, &x, ch);
            }
            uri(c, &x);
            username(c, &x, accepted);
            if let Some(v) = ctx.verifications.get(&req.frame()) {
                let auth_user = x.fields.username();
                let sent = verification::Sent {
                    server: ctx.kind_of(*e.server),
                    auth_user: auth_user.as_deref(),
                };
                verification::apply(c, v, e, att.final_status, x.refused, sent);
            }
        }
        // Record the challenge of this attempt for the next one (in the list of the one
        // before: one list per exchange).
        if let Some(&r) = att
            .responses()
            .iter()
            .find(|&&r| matches!(a.messages[r].status(), Some(401 | 407)))
        {
            let m = &a.messages[r];
            let mut values = latest.take().map(|l| l.values).unwrap_or_default();
            values.clear();
            values.extend(m.challenges().filter(|c| c.is_digest()).map(AuthFields::of));
            let ch = Challenge {
                frame: m.frame(),
                message: r,
                ts: m.ts,
                values,
                status: m.status().unwrap_or(0),
            };
            stale_challenge(a, c, e, ai, &ch);
            latest = Some(ch);
        }
    }
}

/// 407 must be answered with Proxy-Authorization, 401 with Authorization (RFC 3261 22.2, 22.3).
pub fn wrong_header(c: &mut Collector, x: &Answer) {
    let status = x.challenge.status;
    let want = if status == 407 {
        "Proxy-Authorization"
    } else {
        "Authorization"
    };
    if x.header == want {
        return;
    }
    let hdr = x.header;
    c.add(
        Draft::new(
            FindingCode::ProxyAuthWrongHeader,
            Severity::Error,
            text!(WrongHeaderTitle, status = status),
            text!(WrongHeaderExpl, hdr = hdr),
        )
        .with_evidence(vec![
            ev(x.challenge.frame, text!(EvChallengeStatus, status = status)),
            ev(x.req.frame(), text!(EvAnsweredWith, hdr = hdr)),
        ])
        .about(x.e.id),
    );
}

/// The answer is for another realm than the challenge's.
pub fn realm(c: &mut Collector, x: &Answer, ch: &AuthFields) {
    if ch.realm == x.fields.realm {
        return;
    }
    c.add(
        Draft::new(
            FindingCode::RealmMismatch,
            if x.refused {
                Severity::Error
            } else {
                Severity::Warning
            },
            text!(RealmTitle),
            text!(RealmExpl),
        )
        .with_evidence(vec![
            ev(
                x.challenge.frame,
                text!(EvChallengeRealm, realm = ch.realm.unwrap_or("")),
            ),
            ev(
                x.req.frame(),
                text!(
                    EvHeaderRealm,
                    header = x.header,
                    realm = x.fields.realm.unwrap_or("")
                ),
            ),
        ])
        .about(x.e.id),
    );
}

/// An algorithm no challenge offered, or a response whose length is another algorithm's.
pub fn algorithm(c: &mut Collector, x: &Answer) {
    let used = x.fields.algorithm.unwrap_or("MD5");
    let resp_len = x.fields.response.map(str::len).unwrap_or(0);
    let md5_family = used
        .as_bytes()
        .windows(3)
        .any(|w| w.eq_ignore_ascii_case(b"MD5"));
    let wrong_len = resp_len == 32 && !md5_family || resp_len == 64 && md5_family;
    let offered = x
        .challenge
        .values
        .iter()
        .any(|ch| ch.algorithm.unwrap_or("MD5").eq_ignore_ascii_case(used));
    if offered && !wrong_len {
        return;
    }
    let offered: Vec<String> = x
        .challenge
        .values
        .iter()
        .map(|ch| algo_name(ch.algorithm))
        .collect();
    let used = algo_name(Some(used));
    c.add(
        Draft::new(
            FindingCode::AlgorithmMismatch,
            if x.refused {
                Severity::Error
            } else {
                Severity::Warning
            },
            text!(AlgoTitle),
            text!(AlgoExpl),
        )
        .with_evidence(vec![
            ev(
                x.challenge.frame,
                text!(EvOfferedAlgo, algos = offered.join(", ")),
            ),
            ev(
                x.req.frame(),
                text!(EvUsedAlgo, used = used, len = resp_len),
            ),
        ])
        .about(x.e.id),
    );
}

/// The nonce was answered after the server's default nonce lifetime.
pub fn nonce_age(ctx: &Ctx, c: &mut Collector, x: &Answer, ch: &AuthFields) {
    let server_kind = ctx.kind_of(*x.e.server);
    let age = (x.req.ts - x.challenge.ts) / 1_000_000_000;
    let Some(life) = server_kind.nonce_lifetime() else {
        return;
    };
    if age <= life || x.fields.nonce != ch.nonce {
        return;
    }
    c.add(
        Draft::new(
            FindingCode::StaleNonce,
            Severity::Warning,
            text!(NonceAgeTitle),
            text!(
                NonceAgeExpl,
                age = age,
                server = server_name(server_kind),
                life = life
            ),
        )
        .with_evidence(vec![
            ev(x.challenge.frame, text!(EvChallenge)),
            ev(x.req.frame(), text!(EvAnsweredLater, age = age)),
        ])
        .about(x.e.id),
    );
}

/// The answer carries another nonce than the latest challenge's.
pub fn old_nonce(c: &mut Collector, x: &Answer, ch: &AuthFields) {
    let (Some(cn), Some(n)) = (x.fields.nonce, ch.nonce) else {
        return;
    };
    if cn == n {
        return;
    }
    c.add(
        Draft::new(
            FindingCode::StaleNonce,
            if x.refused {
                Severity::Warning
            } else {
                Severity::Info
            },
            text!(OldNonceTitle),
            text!(OldNonceExpl),
        )
        .with_evidence(vec![
            ev(x.challenge.frame, text!(EvLatestNonce, nonce = n)),
            ev(x.req.frame(), text!(EvRequestNonce, nonce = cn)),
        ])
        .about(x.e.id),
    );
}

/// Digest uri vs Request-URI (RFC 3261 22.4 says they should match).
pub fn uri(c: &mut Collector, x: &Answer) {
    let (Some(u), Some(ru)) = (x.fields.uri, x.req.request_uri()) else {
        return;
    };
    if u == ru {
        return;
    }
    c.add(
        Draft::new(
            FindingCode::UriMismatch,
            if x.refused {
                Severity::Warning
            } else {
                Severity::Info
            },
            text!(UriTitle),
            text!(UriExpl),
        )
        .with_evidence(vec![ev(x.req.frame(), text!(EvUri, ruri = ru, uri = u))])
        .about(x.e.id),
    );
}

/// The auth username is not the account's user: an error only when the server refused it and
/// never accepted that pair elsewhere in the capture (providers use auth IDs on purpose).
pub fn username(c: &mut Collector, x: &Answer, accepted: &impl Accepted) {
    let (Some(au), Some(u)) = (x.fields.username(), request_user_str(&x.e.method, x.req)) else {
        return;
    };
    if *au == *u {
        return;
    }
    let accepted_pair = accepted.has(&au, u);
    let refused = x.refused && !accepted_pair;
    let forbidden = x.att.final_status == Some(403) && !accepted_pair;
    c.add(
        Draft::new(
            FindingCode::AuthUsernameMismatch,
            if forbidden || refused {
                Severity::Error
            } else {
                Severity::Info
            },
            text!(UsernameTitle),
            text!(UsernameExpl),
        )
        .with_evidence(vec![ev(
            x.req.frame(),
            text!(EvUsername, header = x.header, au = &*au, user = u),
        )])
        .about(x.e.id),
    );
}

/// The server said stale=true: the password was right, the nonce had expired.
fn stale_challenge(a: &Analysis, c: &mut Collector, e: &Exchange, ai: usize, ch: &Challenge<'_>) {
    if !ch.values.iter().any(AuthFields::stale) {
        return;
    }
    let recovered = e.attempts.len() > ai + 1 && e.outcome.is_success();
    c.add(
        Draft::new(
            FindingCode::StaleNonce,
            if recovered {
                Severity::Info
            } else {
                Severity::Warning
            },
            text!(StaleTitle),
            text!(StaleExpl),
        )
        .with_evidence(vec![ev(
            a.messages[ch.message].frame(),
            text!(EvStale, status = ch.status),
        )])
        .about(e.id),
    );
}

#[cfg(test)]
mod tests;
