//! "Is it the password, or something else?": verify one captured authenticated request against
//! what the technician typed, and when it does not match, find which input differs.
//!
//! Method (pure, no I/O):
//! 1. compute the response with the captured values exactly as sent (RFC 2617 3.2.2, RFC 7616
//!    3.4; the `uri` as sent in the credentials, the HA2 method per RFC 3261 22.4);
//! 2. if it matches, the password is right; the request may still be refused for a reason
//!    the capture shows (realm not the challenge's, an old nonce, an algorithm that was not
//!    offered, an auth user the server does not expect): that is reported in `differs`
//!    with `verified: true`, and every other oddity as `detail`;
//! 3. if it does not match, recompute with one input changed at a time (realm, username,
//!    uri, algorithm, nonce, qop, then password variants) and report the first change that
//!    makes it match;
//! 4. nothing matches: the password (or HA1) the phone uses is not the one typed.
//!
//! The secret never appears in the result: the explanation and detail lines are built only
//! from captured values and fixed words, and the password variants live in
//! `Zeroizing<String>`s that are cleared when dropped.

use serde::Serialize;
use zeroize::Zeroizing;

use crate::digest::{self, Algorithm, DigestParams, Qop};
use crate::msg::{Arg, Msg, Text};
use crate::secret::Secret;
use crate::sip::auth::{AuthValue, PackedAuth};
use crate::text;

/// One authenticated request from the capture, with the challenges it may answer.
#[derive(Debug, Clone)]
pub struct CapturedAuth {
    pub frame: u64,
    /// The request method (Request-Line).
    pub method: String,
    pub cseq_method: String,
    pub request_uri: String,
    pub from_user: Option<String>,
    pub to_user: Option<String>,
    /// "Authorization" or "Proxy-Authorization".
    pub header: String,
    pub credentials: AuthValue,
    /// The challenge it answers: latest 401/407 of the same Call-ID before it.
    pub challenge: Option<(u64, AuthValue)>,
    /// Older challenges, newest first.
    pub earlier_challenges: Vec<(u64, AuthValue)>,
    /// The message body bytes exactly as captured (auth-int).
    pub body: Vec<u8>,
}

/// An authenticated request as [`crate::model::Analysis::auth_requests`] finds it: borrowed
/// from the analysis, nothing copied. [`AuthRequest::to_captured`] makes the owned
/// [`CapturedAuth`] that `verify` reads, for the requests that are checked.
#[derive(Debug, Clone)]
pub struct AuthRequest<'a> {
    pub message: &'a crate::sip::SipMessage,
    /// "Authorization" or "Proxy-Authorization".
    pub header: &'static str,
    pub credentials: &'a PackedAuth,
    /// The challenge it answers (frame, challenge).
    pub challenge: Option<(u64, &'a PackedAuth)>,
    /// Older challenges, newest first.
    pub earlier_challenges: Vec<(u64, &'a PackedAuth)>,
}

impl AuthRequest<'_> {
    /// The owned copy `verify` works on.
    pub fn to_captured(&self) -> CapturedAuth {
        let m = self.message;
        CapturedAuth {
            frame: m.frame(),
            method: m.method().unwrap_or("").to_string(),
            cseq_method: m.cseq().map(|c| c.1.to_string()).unwrap_or_default(),
            request_uri: m.request_uri().unwrap_or("").to_string(),
            from_user: m.from_user(),
            to_user: m.to_user(),
            header: self.header.to_string(),
            credentials: self.credentials.unpack(),
            challenge: self.challenge.map(|(f, c)| (f, c.unpack())),
            earlier_challenges: self
                .earlier_challenges
                .iter()
                .map(|&(f, c)| (f, c.unpack()))
                .collect(),
            body: m.body().to_vec(),
        }
    }
}

/// What the technician says the server expects (all optional).
#[derive(Debug, Clone, Default)]
pub struct Expectation {
    pub username: Option<String>,
    pub realm: Option<String>,
    pub domain: Option<String>,
}

/// The input that differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Differs {
    Password,
    Realm,
    Username,
    Uri,
    Algorithm,
    Nonce,
    Qop,
    PasswordWhitespace,
    PasswordCase,
    UnsupportedAlgorithm,
    /// The credentials lack what a check needs (response, nonce, uri) or are not Digest.
    Incomplete,
}

impl Differs {
    /// Every input that can differ, in the README's order.
    pub const ALL: [Differs; 11] = [
        Differs::Password,
        Differs::Realm,
        Differs::Username,
        Differs::Uri,
        Differs::Algorithm,
        Differs::Nonce,
        Differs::Qop,
        Differs::PasswordWhitespace,
        Differs::PasswordCase,
        Differs::UnsupportedAlgorithm,
        Differs::Incomplete,
    ];

    /// The kebab-case name, the same as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Differs::Password => "password",
            Differs::Realm => "realm",
            Differs::Username => "username",
            Differs::Uri => "uri",
            Differs::Algorithm => "algorithm",
            Differs::Nonce => "nonce",
            Differs::Qop => "qop",
            Differs::PasswordWhitespace => "password-whitespace",
            Differs::PasswordCase => "password-case",
            Differs::UnsupportedAlgorithm => "unsupported-algorithm",
            Differs::Incomplete => "incomplete",
        }
    }
}

/// The verdict for one request.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub frame: u64,
    /// The phone's response matches the password/HA1 typed.
    pub verified: bool,
    /// With `verified: false`, the input that makes it match when changed (or `password`).
    /// With `verified: true`, a non-password input the server will likely refuse (realm,
    /// nonce, algorithm, username), or null.
    pub differs: Option<Differs>,
    /// The algorithm of the credentials, as named by RFC 7616 (or as sent when unsupported).
    pub algorithm: String,
    /// A plain sentence for a technician; never contains the secret.
    pub explanation: String,
    /// Captured value vs expected value, one line each.
    pub detail: Vec<String>,
    /// The explanation and the detail lines as messages, for the other languages.
    #[serde(skip)]
    pub texts: VerificationText,
}

/// A verification's words as messages (`crate::msg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationText {
    pub explanation: Text,
    pub detail: Vec<Text>,
}

impl Verification {
    /// The explanation in `lang`.
    pub fn explanation_in(&self, lang: crate::msg::Lang) -> String {
        self.texts.explanation.render(lang)
    }
}

/// Everything that goes into a response, owned, so one input can be changed at a time.
#[derive(Clone)]
struct Inputs {
    alg: Algorithm,
    username: String,
    realm: String,
    method: String,
    uri: String,
    nonce: String,
    qop: Qop,
    nc: String,
    cnonce: String,
}

impl Inputs {
    fn compute(&self, body: &[u8], secret: &Secret) -> String {
        let p = DigestParams {
            algorithm: self.alg,
            username: &self.username,
            realm: &self.realm,
            method: &self.method,
            uri: &self.uri,
            nonce: &self.nonce,
            qop: self.qop,
            nc: &self.nc,
            cnonce: &self.cnonce,
            body,
            userhash: false,
        };
        digest::response(&p, secret)
    }
}

fn q(s: &str) -> String {
    format!("{s:?}")
}

/// Verify one authenticated request.
pub fn verify(c: &CapturedAuth, secret: &Secret, expect: &Expectation) -> Verification {
    let mut detail = Vec::new();
    let (verified, differs, algorithm, explanation) = judge(c, secret, expect, &mut detail);
    Verification {
        frame: c.frame,
        verified,
        differs,
        algorithm,
        explanation: explanation.en(),
        detail: detail.iter().map(Text::en).collect(),
        texts: VerificationText {
            explanation,
            detail,
        },
    }
}

/// (verified, differs, algorithm, explanation) of one request; the detail lines into `detail`.
fn judge(
    c: &CapturedAuth,
    secret: &Secret,
    expect: &Expectation,
    detail: &mut Vec<Text>,
) -> (bool, Option<Differs>, String, Text) {
    let sent_alg = c.credentials.algorithm().unwrap_or("MD5").to_string();
    let check = match Check::new(c, secret, expect, detail) {
        Ok(check) => check,
        Err(Stop {
            differs,
            explanation,
        }) => return (false, Some(differs), sent_alg, explanation),
    };
    let algorithm = check.inputs.alg.as_str().to_string();
    let notes = check.observe(detail);
    let what = if secret.is_ha1() {
        Msg::VWhatHa1
    } else {
        Msg::VWhatPassword
    };

    // 1. as sent
    if check.matches(&check.inputs, secret) {
        let (differs, why) =
            notes.refusal_cause(&check.inputs.realm, check.inputs.alg, check.ch_frame());
        let explanation = match why {
            None => text!(VMatch, what = what),
            Some(why) => text!(VMatchBut, what = what, why = why),
        };
        return (true, differs, algorithm, explanation);
    }

    // 2. one input changed at a time, in this order; 3. nothing matches: the password.
    let found = check
        .try_realm()
        .or_else(|| check.try_username())
        .or_else(|| check.try_uri())
        .or_else(|| check.try_algorithm(notes.offered))
        .or_else(|| check.try_nonce())
        .or_else(|| check.try_qop())
        .or_else(|| check.try_password_variants());
    match found {
        Some((differs, why)) => (
            false,
            Some(differs),
            algorithm,
            text!(VOneChange, why = why),
        ),
        None => (
            false,
            Some(Differs::Password),
            algorithm,
            no_variant_matches(secret, &notes),
        ),
    }
}

/// The explanation when no single change makes the response match.
fn no_variant_matches(secret: &Secret, notes: &Observations) -> Text {
    if secret.is_ha1() && (notes.realm_vs_challenge.is_some() || notes.realm_vs_expected.is_some())
    {
        text!(VNoVariantHa1)
    } else {
        text!(VNoVariant)
    }
}

/// Why the check ends before any digest is compared.
#[derive(Debug)]
struct Stop {
    differs: Differs,
    explanation: Text,
}

impl Stop {
    fn new(differs: Differs, explanation: Text) -> Self {
        Stop {
            differs,
            explanation,
        }
    }
}

/// The header name for the sentences ("Authorization" when the capture did not say).
fn header_name(c: &CapturedAuth) -> &str {
    if c.header.is_empty() {
        "Authorization"
    } else {
        c.header.as_str()
    }
}

/// Digest credentials with what every check needs (response, nonce, uri, username).
fn require_complete(cred: &AuthValue, header: &str) -> Result<(), Stop> {
    if !cred.is_digest() {
        return Err(Stop::new(
            Differs::Incomplete,
            text!(VNotDigest, header = header, scheme = q(&cred.scheme)),
        ));
    }
    let mut missing = Vec::new();
    if cred.response().map(str::trim).unwrap_or("").is_empty() {
        missing.push("response");
    }
    if cred.nonce().is_none() {
        missing.push("nonce");
    }
    if cred.uri().is_none() {
        missing.push("uri");
    }
    if cred.username().is_none() {
        missing.push("username");
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(Stop::new(
        Differs::Incomplete,
        text!(VIncomplete, header = header, missing = missing.join(", ")),
    ))
}

/// The algorithm and qop of the credentials, when this check can compute them.
fn algorithm_and_qop(cred: &AuthValue) -> Result<(Algorithm, Qop), Stop> {
    let alg = Algorithm::parse(cred.algorithm()).map_err(|_| {
        Stop::new(
            Differs::UnsupportedAlgorithm,
            text!(VUnsupportedAlgo, algo = q(cred.algorithm().unwrap_or(""))),
        )
    })?;
    let qop = Qop::parse(cred.qop()).map_err(|_| {
        Stop::new(
            Differs::Qop,
            text!(VBadQop, qop = q(cred.qop().unwrap_or(""))),
        )
    })?;
    Ok((alg, qop))
}

/// With userhash=true (RFC 7616 3.4.4) the real user name behind the hash: the expected user,
/// From or To. Without a match the password path cannot go on (the HA1 path can: A1 is given).
fn resolve_userhash(
    c: &CapturedAuth,
    secret: &Secret,
    expect: &Expectation,
    alg: Algorithm,
    detail: &mut Vec<Text>,
) -> Result<String, Stop> {
    let cred = &c.credentials;
    let header = header_name(c);
    let sent = cred.username().unwrap_or_default();
    if !cred.userhash() {
        return Ok(sent);
    }
    let realm = cred.realm().unwrap_or("");
    let candidates: Vec<&str> = [
        expect.username.as_deref(),
        c.from_user.as_deref(),
        c.to_user.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let found = candidates
        .iter()
        .find(|u| digest::same_hex(&digest::userhash(alg, u, realm), &sent));
    match found {
        Some(u) => {
            detail.push(text!(DUserhashOf, header = header, user = q(u)));
            Ok(u.to_string())
        }
        None if !secret.is_ha1() || alg.is_sess() => {
            let known: Arg = if candidates.is_empty() {
                Msg::VNoneKnown.into()
            } else {
                candidates
                    .iter()
                    .map(|s| q(s))
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into()
            };
            detail.push(text!(DUsernameIn, header = header, user = q(&sent)));
            Err(Stop::new(
                Differs::Username,
                text!(VUserhashUnknown, known = known),
            ))
        }
        None => {
            detail.push(text!(DUserhashNone, header = header));
            Ok(sent)
        }
    }
}

/// One request being checked: the captured values as sent, and what they may be compared to.
struct Check<'a> {
    c: &'a CapturedAuth,
    secret: &'a Secret,
    expect: &'a Expectation,
    header: &'a str,
    /// Every input as sent (the user name resolved when hashed).
    inputs: Inputs,
    /// The response the phone sent, trimmed.
    response: &'a str,
    /// The users of From and To, when known.
    from_to: Vec<(&'static str, &'a str)>,
}

impl<'a> Check<'a> {
    fn new(
        c: &'a CapturedAuth,
        secret: &'a Secret,
        expect: &'a Expectation,
        detail: &mut Vec<Text>,
    ) -> Result<Self, Stop> {
        let cred = &c.credentials;
        let header = header_name(c);
        require_complete(cred, header)?;
        let (alg, qop) = algorithm_and_qop(cred)?;
        let nc = cred.nc().unwrap_or("").to_string();
        let cnonce = cred.cnonce().unwrap_or("").to_string();
        if qop != Qop::None && (nc.is_empty() || cnonce.is_empty()) {
            detail.push(text!(
                DQopNoCounts,
                header = header,
                qop = q(qop.as_str().unwrap_or(""))
            ));
        }
        let username = resolve_userhash(c, secret, expect, alg, detail)?;
        let inputs = Inputs {
            alg,
            username,
            realm: cred.realm().unwrap_or("").to_string(),
            method: digest::ha2_method(&c.method, &c.cseq_method).to_string(),
            uri: cred.uri().unwrap_or("").to_string(),
            nonce: cred.nonce().unwrap_or("").to_string(),
            qop,
            nc,
            cnonce,
        };
        let from_to = [
            ("From", c.from_user.as_deref()),
            ("To", c.to_user.as_deref()),
        ]
        .into_iter()
        .filter_map(|(n, u)| u.map(|u| (n, u)))
        .collect();
        Ok(Check {
            c,
            secret,
            expect,
            header,
            inputs,
            response: cred.response().map(str::trim).unwrap_or(""),
            from_to,
        })
    }

    fn matches(&self, i: &Inputs, s: &Secret) -> bool {
        digest::same_hex(&i.compute(&self.c.body, s), self.response)
    }

    fn ch_frame(&self) -> Option<u64> {
        self.c.challenge.as_ref().map(|(f, _)| *f)
    }

    /// The inputs as sent with one change: `Some((differs, why))` when that makes it match.
    fn variant(
        &self,
        differs: Differs,
        change: impl FnOnce(&mut Inputs),
        why: impl FnOnce() -> Text,
    ) -> Option<(Differs, Text)> {
        let mut v = self.inputs.clone();
        change(&mut v);
        self.matches(&v, self.secret).then(|| (differs, why()))
    }

    /// What the capture shows besides the digest, one detail line each; the notes are what
    /// [`Observations::refusal_cause`] and the algorithm variant need.
    fn observe(&self, detail: &mut Vec<Text>) -> Observations {
        let mut notes = Observations::default();
        match &self.c.challenge {
            Some((f, ch)) => {
                self.observe_challenge_realm_nonce(*f, ch, detail, &mut notes);
                self.observe_challenge_algorithm_qop(*f, ch, detail, &mut notes);
            }
            None => detail.push(text!(DNoChallenge, nonce = q(&self.inputs.nonce))),
        }
        self.observe_expected(detail, &mut notes);
        self.observe_request(detail);
        notes
    }

    /// Realm and nonce against the challenge answered (frame `f`), and its stale flag.
    fn observe_challenge_realm_nonce(
        &self,
        f: u64,
        ch: &AuthValue,
        detail: &mut Vec<Text>,
        notes: &mut Observations,
    ) {
        let (header, realm, nonce) = (self.header, &self.inputs.realm, &self.inputs.nonce);
        if let Some(cr) = ch.realm()
            && cr != realm
        {
            detail.push(text!(
                DRealmVsChallenge,
                header = header,
                realm = q(realm),
                frame = f,
                other = q(cr)
            ));
            notes.realm_vs_challenge = Some(cr.to_string());
        }
        if let Some(cn) = ch.nonce()
            && cn != nonce
        {
            let older = self
                .c
                .earlier_challenges
                .iter()
                .find(|(_, e)| e.nonce() == Some(nonce.as_str()));
            match older {
                Some((of, _)) => {
                    detail.push(text!(
                        DOlderNonce,
                        header = header,
                        nonce = q(nonce),
                        old = of,
                        frame = f,
                        other = q(cn)
                    ));
                    notes.old_nonce = Some((*of, f));
                }
                None => {
                    detail.push(text!(
                        DNonceVsChallenge,
                        header = header,
                        nonce = q(nonce),
                        frame = f,
                        other = q(cn)
                    ));
                    notes.foreign_nonce = true;
                }
            }
        }
        if ch.stale() {
            detail.push(text!(DStale, frame = f));
        }
    }

    /// Algorithm and qop against what the challenge answered (frame `f`) offers.
    fn observe_challenge_algorithm_qop(
        &self,
        f: u64,
        ch: &AuthValue,
        detail: &mut Vec<Text>,
        notes: &mut Observations,
    ) {
        let (header, alg, qop) = (self.header, self.inputs.alg, self.inputs.qop);
        match Algorithm::parse(ch.algorithm()) {
            Ok(offered) if offered != alg => {
                detail.push(text!(
                    DAlgoVsChallenge,
                    header = header,
                    algo = q(alg.as_str()),
                    frame = f,
                    other = q(offered.as_str())
                ));
                notes.offered = Some(offered);
            }
            Err(_) => detail.push(text!(
                DAlgoUnsupported,
                frame = f,
                algo = q(ch.algorithm().unwrap_or(""))
            )),
            _ => {}
        }
        let opts = ch.qop_options();
        if let Some(used) = qop.as_str()
            && !opts.is_empty()
            && !opts.iter().any(|o| o == used)
        {
            detail.push(text!(
                DQopVsChallenge,
                header = header,
                qop = q(used),
                frame = f,
                offered = q(&opts.join(","))
            ));
        }
        if qop == Qop::None && !opts.is_empty() {
            detail.push(text!(
                DNoQop,
                header = header,
                frame = f,
                offered = q(&opts.join(","))
            ));
        }
    }

    /// Realm and user name against what the technician expects, and the user against From/To.
    fn observe_expected(&self, detail: &mut Vec<Text>, notes: &mut Observations) {
        let (header, realm, username) = (self.header, &self.inputs.realm, &self.inputs.username);
        if let Some(er) = self.expect.realm.as_deref()
            && !er.is_empty()
            && er != realm
        {
            detail.push(text!(
                DRealmVsExpected,
                header = header,
                realm = q(realm),
                other = q(er)
            ));
            notes.realm_vs_expected = Some(er.to_string());
        }
        if let Some(eu) = self.expect.username.as_deref()
            && !eu.is_empty()
            && eu != username
        {
            detail.push(text!(
                DUserVsExpected,
                header = header,
                user = q(username),
                other = q(eu)
            ));
            notes.user_vs_expected = Some(eu.to_string());
        }
        if !self.from_to.is_empty() && self.from_to.iter().all(|(_, u)| u != username) {
            for (n, u) in &self.from_to {
                detail.push(text!(
                    DUserVsFromTo,
                    header = header,
                    user = q(username),
                    field = n,
                    other = q(u)
                ));
            }
            notes.user_vs_from_to = true;
        }
    }

    /// The digest uri against the Request-URI, and the lengths of the HA1 and the response.
    fn observe_request(&self, detail: &mut Vec<Text>) {
        let (header, alg) = (self.header, self.inputs.alg);
        let ruri = &self.c.request_uri;
        if !ruri.is_empty() && *ruri != self.inputs.uri {
            detail.push(text!(
                DUriVsRuri,
                header = header,
                uri = q(&self.inputs.uri),
                ruri = q(ruri)
            ));
        }
        if let Secret::Ha1(h) = self.secret
            && h.len() != alg.hex_len()
        {
            detail.push(text!(
                DHa1Length,
                len = h.len(),
                algo = alg.base().as_str(),
                want = alg.hex_len()
            ));
        }
        if self.response.len() != alg.hex_len() {
            detail.push(text!(
                DResponseLength,
                header = header,
                len = self.response.len(),
                algo = alg.as_str(),
                want = alg.hex_len()
            ));
        }
    }

    /// Realm: the challenge's, then the expected realm, then the expected domain.
    fn try_realm(&self) -> Option<(Differs, Text)> {
        let mut cands: Vec<(&str, Text)> = Vec::new();
        if let Some((f, ch)) = &self.c.challenge
            && let Some(r) = ch.realm()
        {
            cands.push((r, text!(SrcChallengeRealm, frame = f)));
        }
        if let Some(r) = self.expect.realm.as_deref() {
            cands.push((r, text!(SrcExpectedRealm)));
        }
        if let Some(d) = self.expect.domain.as_deref() {
            cands.push((d, text!(SrcExpectedDomain)));
        }
        let realm = &self.inputs.realm;
        self.first_candidate(
            Differs::Realm,
            cands,
            realm,
            |i, v| i.realm = v.to_string(),
            |cand, src| {
                text!(
                    WhyRealm,
                    cand = q(cand),
                    src = src.clone(),
                    header = self.header,
                    realm = q(realm)
                )
            },
        )
    }

    /// The first of `cands` (a value, where it comes from) other than the value `sent` that
    /// makes the response match when `set` into the inputs.
    fn first_candidate(
        &self,
        differs: Differs,
        cands: Vec<(&str, Text)>,
        sent: &str,
        set: fn(&mut Inputs, &str),
        why: impl Fn(&str, &Text) -> Text,
    ) -> Option<(Differs, Text)> {
        cands
            .into_iter()
            .filter(|(cand, _)| *cand != sent)
            .find_map(|(cand, src)| self.variant(differs, |i| set(i, cand), || why(cand, &src)))
    }

    /// User name: the expected one, From, To (not with userhash: the hash names one user).
    fn try_username(&self) -> Option<(Differs, Text)> {
        if self.c.credentials.userhash() {
            return None;
        }
        let mut cands: Vec<(&str, Text)> = Vec::new();
        if let Some(u) = self.expect.username.as_deref() {
            cands.push((u, text!(SrcExpectedUser)));
        }
        for (n, u) in &self.from_to {
            cands.push((u, text!(SrcUserIn, field = n)));
        }
        let username = &self.inputs.username;
        self.first_candidate(
            Differs::Username,
            cands,
            username,
            |i, v| i.username = v.to_string(),
            |cand, src| {
                text!(
                    WhyUser,
                    cand = q(cand),
                    src = src.clone(),
                    header = self.header,
                    user = q(username)
                )
            },
        )
    }

    /// Uri: the Request-URI instead of the digest uri.
    fn try_uri(&self) -> Option<(Differs, Text)> {
        let ruri = &self.c.request_uri;
        if ruri.is_empty() || *ruri == self.inputs.uri {
            return None;
        }
        self.variant(
            Differs::Uri,
            |i| i.uri = ruri.clone(),
            || {
                text!(
                    WhyUri,
                    ruri = q(ruri),
                    uri = q(&self.inputs.uri),
                    header = self.header
                )
            },
        )
    }

    /// Algorithm: another one of the response's length (a 32-hex answer to SHA-256), the one
    /// the challenge `offered` first.
    fn try_algorithm(&self, offered: Option<Algorithm>) -> Option<(Differs, Text)> {
        let alg = self.inputs.alg;
        let mut algs: Vec<Algorithm> = Algorithm::ALL
            .into_iter()
            .filter(|a| *a != alg && a.hex_len() == self.response.len())
            .collect();
        if let Some(o) = offered {
            algs.sort_by_key(|a| *a != o);
        }
        algs.into_iter()
            .filter(|a| !matches!(self.secret, Secret::Ha1(h) if h.len() != a.hex_len()))
            .find_map(|a| {
                self.variant(
                    Differs::Algorithm,
                    |i| i.alg = a,
                    || {
                        match self.ch_frame() {
                            Some(f) => text!(
                                WhyAlgoAsked,
                                frame = f,
                                asked = offered.unwrap_or(alg).as_str()
                            ),
                            None => text!(WhyAlgo),
                        }
                        .arg("algo", a.as_str())
                        .arg("header", self.header)
                        .arg("sent", alg.as_str())
                    },
                )
            })
    }

    /// Nonce: the latest challenge's, then older ones.
    fn try_nonce(&self) -> Option<(Differs, Text)> {
        let mut cands: Vec<(&str, Text)> = Vec::new();
        if let Some((f, ch)) = &self.c.challenge
            && let Some(n) = ch.nonce()
        {
            cands.push((n, text!(SrcLatestChallenge, frame = f)));
        }
        for (f, ch) in &self.c.earlier_challenges {
            if let Some(n) = ch.nonce() {
                cands.push((n, text!(SrcOlderChallenge, frame = f)));
            }
        }
        self.first_candidate(
            Differs::Nonce,
            cands,
            &self.inputs.nonce,
            |i, v| i.nonce = v.to_string(),
            |_, src| text!(WhyNonce, src = src.clone(), header = self.header),
        )
    }

    /// Qop: the two other forms (none needs no nc/cnonce; auth and auth-int need both).
    fn try_qop(&self) -> Option<(Differs, Text)> {
        let qop = self.inputs.qop;
        let alt = match qop {
            Qop::None => [Qop::Auth, Qop::AuthInt],
            Qop::Auth => [Qop::None, Qop::AuthInt],
            Qop::AuthInt => [Qop::None, Qop::Auth],
        };
        let no_counts = self.inputs.nc.is_empty() || self.inputs.cnonce.is_empty();
        alt.into_iter()
            .filter(|a| *a == Qop::None || !no_counts)
            .find_map(|a| {
                self.variant(
                    Differs::Qop,
                    |i| i.qop = a,
                    || {
                        text!(
                            WhyQop,
                            how = match a.as_str() {
                                None => text!(QopWithout),
                                Some(s) => text!(QopWith, qop = s),
                            },
                            header = self.header,
                            says = match qop.as_str() {
                                None => text!(QopSaysNone),
                                Some(s) => text!(QopSays, qop = s),
                            }
                        )
                    },
                )
            })
    }

    /// The password with white space or letter case changed (only with a password: an HA1 has
    /// no spaces or letters to flip).
    fn try_password_variants(&self) -> Option<(Differs, Text)> {
        let Secret::Password(pw) = self.secret else {
            return None;
        };
        password_variants(pw)
            .into_iter()
            .find_map(|(differs, variant, why)| {
                self.matches(&self.inputs, &Secret::Password(variant))
                    .then(|| (differs, text!(WhyPassword, why = why)))
            })
    }
}

/// What the capture shows besides the digest itself.
#[derive(Default)]
struct Observations {
    realm_vs_challenge: Option<String>,
    realm_vs_expected: Option<String>,
    /// (older challenge frame, latest challenge frame)
    old_nonce: Option<(u64, u64)>,
    foreign_nonce: bool,
    offered: Option<Algorithm>,
    user_vs_expected: Option<String>,
    user_vs_from_to: bool,
}

impl Observations {
    /// For a verified response: the input the server will most likely refuse, if any.
    fn refusal_cause(
        &self,
        realm: &str,
        alg: Algorithm,
        ch_frame: Option<u64>,
    ) -> (Option<Differs>, Option<Text>) {
        let chf = ch_frame.map(|f| f.to_string()).unwrap_or_default();
        if let Some(cr) = &self.realm_vs_challenge {
            return (
                Some(Differs::Realm),
                Some(text!(
                    RcRealmChallenge,
                    realm = q(realm),
                    frame = &chf,
                    other = q(cr)
                )),
            );
        }
        if let Some(er) = &self.realm_vs_expected {
            return (
                Some(Differs::Realm),
                Some(text!(RcRealmExpected, realm = q(realm), other = q(er))),
            );
        }
        if let Some((old, latest)) = self.old_nonce {
            return (
                Some(Differs::Nonce),
                Some(text!(RcOldNonce, old = old, latest = latest)),
            );
        }
        if let Some(offered) = self.offered {
            return (
                Some(Differs::Algorithm),
                Some(text!(
                    RcAlgo,
                    algo = alg.as_str(),
                    frame = &chf,
                    offered = offered.as_str()
                )),
            );
        }
        if let Some(eu) = &self.user_vs_expected {
            return (Some(Differs::Username), Some(text!(RcUser, user = q(eu))));
        }
        if self.foreign_nonce {
            // A nonce from outside this call may still be valid for the server: said, not
            // blamed.
            return (None, Some(text!(RcForeignNonce, frame = &chf)));
        }
        if self.user_vs_from_to {
            // Often legitimate (an auth ID distinct from the extension): said, not blamed.
            return (None, Some(text!(RcFromTo)));
        }
        (None, None)
    }
}

/// The password as the phone may really have it: whitespace added or removed, first letter
/// case flipped, Caps Lock inverted. Every variant lives in a `Zeroizing<String>`.
fn password_variants(pw: &str) -> Vec<(Differs, Zeroizing<String>, Msg)> {
    let mut v: Vec<(Differs, Zeroizing<String>, Msg)> = Vec::new();
    let ws = Differs::PasswordWhitespace;
    let trimmed = pw.trim();
    if trimmed != pw {
        v.push((ws, Zeroizing::new(trimmed.to_string()), Msg::PwTrimmed));
    }
    if pw.trim_end() != pw {
        v.push((
            ws,
            Zeroizing::new(pw.trim_end().to_string()),
            Msg::PwTrimmedEnd,
        ));
    }
    if pw.trim_start() != pw {
        v.push((
            ws,
            Zeroizing::new(pw.trim_start().to_string()),
            Msg::PwTrimmedStart,
        ));
    }
    let mut s = Zeroizing::new(String::with_capacity(pw.len() + 1));
    s.push_str(pw);
    s.push(' ');
    v.push((ws, s, Msg::PwSpaceEnd));
    let mut s = Zeroizing::new(String::with_capacity(pw.len() + 1));
    s.push(' ');
    s.push_str(pw);
    v.push((ws, s, Msg::PwSpaceStart));

    // First letter case flipped.
    if let Some(first) = pw.chars().next()
        && first.is_alphabetic()
    {
        let mut s = Zeroizing::new(String::with_capacity(pw.len() + 4));
        push_flipped(&mut s, first);
        s.push_str(&pw[first.len_utf8()..]);
        if s.as_str() != pw {
            v.push((Differs::PasswordCase, s, Msg::PwFirstCase));
        }
    }
    // Caps Lock: every letter's case swapped.
    let mut s = Zeroizing::new(String::with_capacity(pw.len() + 4));
    for ch in pw.chars() {
        push_flipped(&mut s, ch);
    }
    if s.as_str() != pw {
        v.push((Differs::PasswordCase, s, Msg::PwCapsLock));
    }
    v
}

fn push_flipped(s: &mut String, ch: char) {
    if ch.is_lowercase() {
        s.extend(ch.to_uppercase());
    } else if ch.is_uppercase() {
        s.extend(ch.to_lowercase());
    } else {
        s.push(ch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::auth::{parse_challenges, parse_credentials};

    const PW: &str = "Tr0ub4dor&3";
    const REALM: &str = "lab.example";
    const NONCE: &str = "5f3a9cbe/Nq+w==";
    const RURI: &str = "sip:lab.example";

    struct Build {
        alg: Algorithm,
        user: &'static str,
        hashed_realm: &'static str,
        header_realm: &'static str,
        hashed_uri: &'static str,
        header_uri: &'static str,
        hashed_nonce: &'static str,
        header_nonce: &'static str,
        qop: Qop,
        header_qop: Option<&'static str>,
        header_alg: Option<&'static str>,
        password: String,
        method: &'static str,
    }

    fn base() -> Build {
        Build {
            alg: Algorithm::Md5,
            user: "alice",
            hashed_realm: REALM,
            header_realm: REALM,
            hashed_uri: RURI,
            header_uri: RURI,
            hashed_nonce: NONCE,
            header_nonce: NONCE,
            qop: Qop::Auth,
            header_qop: Some("auth"),
            header_alg: Some("MD5"),
            password: PW.to_string(),
            method: "REGISTER",
        }
    }

    /// A CapturedAuth whose response is computed with the given (possibly inconsistent)
    /// inputs, the way a misconfigured phone would.
    fn captured(b: &Build) -> CapturedAuth {
        let p = DigestParams {
            algorithm: b.alg,
            username: b.user,
            realm: b.hashed_realm,
            method: b.method,
            uri: b.hashed_uri,
            nonce: b.hashed_nonce,
            qop: b.qop,
            nc: "00000001",
            cnonce: "c0ffee",
            body: b"",
            userhash: false,
        };
        let resp = digest::response(&p, &Secret::password(b.password.clone()));
        let mut h = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", response=\"{}\"",
            b.user, b.header_realm, b.header_nonce, b.header_uri, resp
        );
        if let Some(a) = b.header_alg {
            h.push_str(&format!(", algorithm={a}"));
        }
        if let Some(q) = b.header_qop {
            h.push_str(&format!(", qop={q}, nc=00000001, cnonce=\"c0ffee\""));
        }
        CapturedAuth {
            frame: 7,
            method: b.method.into(),
            cseq_method: b.method.into(),
            request_uri: RURI.into(),
            from_user: Some("alice".into()),
            to_user: Some("alice".into()),
            header: "Authorization".into(),
            credentials: parse_credentials(&h).unwrap(),
            challenge: Some((
                5,
                parse_challenges(&format!(
                    "Digest realm=\"{REALM}\", nonce=\"{NONCE}\", algorithm=MD5, qop=\"auth\""
                ))
                .unwrap()
                .remove(0),
            )),
            earlier_challenges: vec![],
            body: vec![],
        }
    }

    fn check(c: &CapturedAuth, secret: &Secret) -> Verification {
        verify(c, secret, &Expectation::default())
    }

    #[test]
    fn correct_password_verifies() {
        let c = captured(&base());
        let v = check(&c, &Secret::password(PW));
        assert!(v.verified, "{}", v.explanation);
        assert_eq!(v.differs, None);
        assert_eq!(v.algorithm, "MD5");
        // With the HA1 the server stores, too.
        let h = digest::ha1(Algorithm::Md5, "alice", REALM, PW);
        assert!(check(&c, &Secret::ha1(h)).verified);
    }

    #[test]
    fn wrong_password_is_password() {
        let c = captured(&base());
        let v = check(&c, &Secret::password("letmein"));
        assert!(!v.verified);
        assert_eq!(v.differs, Some(Differs::Password));
        assert!(v.explanation.contains("not the one you typed"));
        let v = check(&c, &Secret::ha1("0123456789abcdef0123456789abcdef"));
        assert_eq!(v.differs, Some(Differs::Password));
    }

    #[test]
    fn realm_hashed_differs_from_header() {
        let mut b = base();
        b.header_realm = "other.example";
        let c = captured(&b);
        let v = check(&c, &Secret::password(PW));
        assert!(!v.verified);
        assert_eq!(v.differs, Some(Differs::Realm));
        assert!(
            v.detail.iter().any(
                |d| d.contains("\"other.example\"") && d.contains("(frame 5): \"lab.example\"")
            )
        );
    }

    #[test]
    fn realm_consistent_but_not_the_challenges() {
        // The phone uses its own realm everywhere: the password is right, the realm is not.
        let mut b = base();
        b.header_realm = "phone.example";
        b.hashed_realm = "phone.example";
        let c = captured(&b);
        let v = check(&c, &Secret::password(PW));
        assert!(v.verified);
        assert_eq!(v.differs, Some(Differs::Realm));
        assert!(v.explanation.contains("\"lab.example\""));
    }

    #[test]
    fn realm_versus_expected_domain() {
        let mut b = base();
        b.hashed_realm = "pbx.example";
        let mut c = captured(&b);
        c.challenge = None;
        let e = Expectation {
            domain: Some("pbx.example".into()),
            ..Default::default()
        };
        let v = verify(&c, &Secret::password(PW), &e);
        assert_eq!(v.differs, Some(Differs::Realm));
        assert!(v.explanation.contains("expected domain"));
    }

    #[test]
    fn username_from_from_header() {
        // The phone puts "1001" in the header but hashed the From user "alice".
        let c = {
            let mut c = captured(&base());
            let h = c.credentials.clone();
            let resp = h.response().unwrap().to_string();
            c.credentials = parse_credentials(&format!(
                "Digest username=\"1001\", realm=\"{REALM}\", nonce=\"{NONCE}\", uri=\"{RURI}\", response=\"{resp}\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\""
            ))
            .unwrap();
            c
        };
        let v = check(&c, &Secret::password(PW));
        assert_eq!(v.differs, Some(Differs::Username));
        assert!(v.explanation.contains("user in From"));
    }

    #[test]
    fn verified_but_not_the_expected_user() {
        let mut b = base();
        b.user = "bob";
        let c = captured(&b);
        let e = Expectation {
            username: Some("alice".into()),
            ..Default::default()
        };
        let v = verify(&c, &Secret::password(PW), &e);
        assert!(v.verified);
        assert_eq!(v.differs, Some(Differs::Username));
        assert!(
            v.detail
                .iter()
                .any(|d| d.contains("user in From: \"alice\""))
        );
        // Without an expectation, a From/To difference is said but not blamed.
        let v = check(&c, &Secret::password(PW));
        assert!(v.verified);
        assert_eq!(v.differs, None);
        assert!(v.explanation.contains("From/To"));
    }

    #[test]
    fn uri_hashed_is_request_uri() {
        let mut b = base();
        b.header_uri = "sip:127.0.0.1:5060";
        let c = captured(&b);
        let v = check(&c, &Secret::password(PW));
        assert_eq!(v.differs, Some(Differs::Uri));
        // A consistent but different uri verifies (the uri as sent is what is hashed).
        let mut b = base();
        b.header_uri = "sip:127.0.0.1:5060";
        b.hashed_uri = "sip:127.0.0.1:5060";
        let v = check(&captured(&b), &Secret::password(PW));
        assert!(v.verified);
        assert!(v.detail.iter().any(|d| d.contains("Request-URI")));
    }

    #[test]
    fn md5_answer_to_sha256_challenge() {
        // The challenge asks for SHA-256; the phone says SHA-256 but hashes MD5 (32 hex).
        let mut b = base();
        b.header_alg = Some("SHA-256");
        let mut c = captured(&b);
        c.challenge = Some((
            5,
            parse_challenges(&format!(
                "Digest realm=\"{REALM}\", nonce=\"{NONCE}\", algorithm=SHA-256, qop=\"auth\""
            ))
            .unwrap()
            .remove(0),
        ));
        let v = check(&c, &Secret::password(PW));
        assert!(!v.verified);
        assert_eq!(v.differs, Some(Differs::Algorithm));
        assert!(v.detail.iter().any(|d| d.contains("32 hex digits")));
        // The phone honestly says MD5 to a SHA-256 challenge: password right, algorithm not.
        let mut b = base();
        b.header_alg = None;
        let mut c2 = captured(&b);
        c2.challenge = c.challenge.clone();
        let v = check(&c2, &Secret::password(PW));
        assert!(v.verified);
        assert_eq!(v.differs, Some(Differs::Algorithm));
    }

    #[test]
    fn old_nonce_answered() {
        let mut c = captured(&base());
        // The latest challenge carries a new nonce; ours is the older one's.
        c.earlier_challenges = vec![c.challenge.take().unwrap()];
        c.earlier_challenges[0].0 = 3;
        c.challenge = Some((
            9,
            parse_challenges(
                "Digest realm=\"lab.example\", nonce=\"fresh\", algorithm=MD5, qop=\"auth\", stale=true",
            )
            .unwrap()
            .remove(0),
        ));
        let v = check(&c, &Secret::password(PW));
        assert!(v.verified);
        assert_eq!(v.differs, Some(Differs::Nonce));
        assert!(v.explanation.contains("frame 3"));
        assert!(v.detail.iter().any(|d| d.contains("stale=true")));
    }

    #[test]
    fn nonce_hashed_differs_from_echoed() {
        let mut b = base();
        b.header_nonce = "somethingelse";
        let v = check(&captured(&b), &Secret::password(PW));
        assert_eq!(v.differs, Some(Differs::Nonce));
    }

    #[test]
    fn qop_header_without_qop_in_hash() {
        let mut b = base();
        b.qop = Qop::None;
        let v = check(&captured(&b), &Secret::password(PW));
        assert_eq!(v.differs, Some(Differs::Qop));
        assert!(v.explanation.contains("RFC 2069"));
    }

    #[test]
    fn password_whitespace_and_case() {
        for (phone_pw, typed, want) in [
            (
                format!("{PW} "),
                PW.to_string(),
                Differs::PasswordWhitespace,
            ),
            (
                PW.to_string(),
                format!("{PW} "),
                Differs::PasswordWhitespace,
            ),
            (
                PW.to_string(),
                format!(" {PW}"),
                Differs::PasswordWhitespace,
            ),
            (
                format!(" {PW}"),
                PW.to_string(),
                Differs::PasswordWhitespace,
            ),
            (
                "tr0ub4dor&3".to_string(),
                PW.to_string(),
                Differs::PasswordCase,
            ),
            (
                "tR0UB4DOR&3".to_string(),
                PW.to_string(),
                Differs::PasswordCase,
            ),
        ] {
            let mut b = base();
            b.password = phone_pw.clone();
            let v = check(&captured(&b), &Secret::password(typed.clone()));
            assert!(!v.verified);
            assert_eq!(v.differs, Some(want), "phone {phone_pw:?} typed {typed:?}");
        }
    }

    #[test]
    fn unsupported_algorithm_and_incomplete() {
        let mut c = captured(&base());
        c.credentials =
            parse_credentials("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\", algorithm=AKAv1-MD5").unwrap();
        let v = check(&c, &Secret::password(PW));
        assert_eq!(v.differs, Some(Differs::UnsupportedAlgorithm));
        assert_eq!(v.algorithm, "AKAv1-MD5");
        c.credentials = parse_credentials("Digest username=\"a\", realm=\"r\", uri=\"u\"").unwrap();
        let v = check(&c, &Secret::password(PW));
        assert_eq!(v.differs, Some(Differs::Incomplete));
        assert!(v.explanation.contains("response, nonce"));
        c.credentials = parse_credentials("Basic YWxpY2U6cHc=").unwrap();
        assert_eq!(
            check(&c, &Secret::password(PW)).differs,
            Some(Differs::Incomplete)
        );
    }

    #[test]
    fn ack_uses_invite_method() {
        let mut b = base();
        b.method = "INVITE";
        let mut c = captured(&b);
        c.method = "ACK".into();
        c.cseq_method = "ACK".into();
        assert!(check(&c, &Secret::password(PW)).verified);
    }

    #[test]
    fn userhash_resolved_from_from_user() {
        let alg = Algorithm::Sha256;
        let p = DigestParams {
            algorithm: alg,
            username: "alice",
            realm: REALM,
            method: "REGISTER",
            uri: RURI,
            nonce: NONCE,
            qop: Qop::Auth,
            nc: "00000001",
            cnonce: "c0ffee",
            body: b"",
            userhash: true,
        };
        let resp = digest::response(&p, &Secret::password(PW));
        let uh = digest::userhash(alg, "alice", REALM);
        let mut c = captured(&base());
        c.challenge = None;
        c.credentials = parse_credentials(&format!(
            "Digest username=\"{uh}\", userhash=true, realm=\"{REALM}\", nonce=\"{NONCE}\", uri=\"{RURI}\", response=\"{resp}\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"c0ffee\""
        ))
        .unwrap();
        let v = check(&c, &Secret::password(PW));
        assert!(v.verified, "{}", v.explanation);
        c.from_user = Some("mallory".into());
        c.to_user = None;
        let v = check(&c, &Secret::password(PW));
        assert_eq!(v.differs, Some(Differs::Username));
    }

    /// The secret must not appear in any output: JSON, explanation, detail, for every kind
    /// of verdict, with a password and with an HA1.
    #[test]
    fn secret_never_in_output() {
        let mut cases: Vec<(CapturedAuth, String)> = Vec::new();
        let ok = captured(&base());
        cases.push((ok.clone(), PW.into()));
        cases.push((ok.clone(), format!("{PW} ")));
        cases.push((ok.clone(), "tr0ub4dor&3".into()));
        cases.push((ok.clone(), "wrong-password-xyz".into()));
        let mut b = base();
        b.header_realm = "other.example";
        cases.push((captured(&b), PW.into()));
        let mut b = base();
        b.password = format!("{PW} ");
        cases.push((captured(&b), PW.into()));
        for (c, typed) in &cases {
            for secret in [
                Secret::password(typed.clone()),
                Secret::ha1(digest::ha1(Algorithm::Md5, "alice", REALM, typed)),
            ] {
                let e = Expectation {
                    username: Some("alice".into()),
                    realm: Some("x.example".into()),
                    domain: Some("y.example".into()),
                };
                let v = verify(c, &secret, &e);
                let json = serde_json::to_string(&v).unwrap();
                let needles = [secret.expose().trim(), typed.trim()];
                for n in needles {
                    assert!(!json.contains(n), "secret in JSON: {json}");
                    assert!(!v.explanation.contains(n));
                    assert!(v.detail.iter().all(|d| !d.contains(n)));
                }
            }
        }
        // The JSON has the documented shape.
        let v = check(&ok, &Secret::password(PW));
        let j: serde_json::Value = serde_json::to_value(&v).unwrap();
        assert_eq!(j["frame"], 7);
        assert_eq!(j["verified"], true);
        assert!(j["differs"].is_null());
        let v = check(&ok, &Secret::password(format!("{PW} ")));
        let j: serde_json::Value = serde_json::to_value(&v).unwrap();
        assert_eq!(j["differs"], "password-whitespace");
    }

    // --- the steps one by one -------------------------------------------------------------

    fn check_of<'a>(
        c: &'a CapturedAuth,
        secret: &'a Secret,
        expect: &'a Expectation,
    ) -> (Check<'a>, Vec<Text>) {
        let mut detail = Vec::new();
        let check = Check::new(c, secret, expect, &mut detail)
            .unwrap_or_else(|s| panic!("stopped: {}", s.explanation));
        (check, detail)
    }

    fn challenge(s: &str) -> AuthValue {
        parse_challenges(s).unwrap().remove(0)
    }

    #[test]
    fn differs_names_are_the_json_names() {
        for d in Differs::ALL {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
    }

    #[test]
    fn require_complete_names_what_is_missing() {
        let basic = parse_credentials("Basic YWxpY2U6cHc=").unwrap();
        let e = require_complete(&basic, "Proxy-Authorization").unwrap_err();
        assert_eq!(e.differs, Differs::Incomplete);
        assert!(
            e.explanation
                .starts_with("The Proxy-Authorization header uses the \"Basic\"")
        );
        let bare = parse_credentials("Digest realm=\"r\", response=\"  \"").unwrap();
        let e = require_complete(&bare, "Authorization").unwrap_err();
        assert!(
            e.explanation
                .contains("lacks response, nonce, uri, username:"),
            "{}",
            e.explanation
        );
        let full = captured(&base()).credentials;
        assert!(require_complete(&full, "Authorization").is_ok());
    }

    #[test]
    fn algorithm_and_qop_of_the_credentials() {
        let c = |s: &str| parse_credentials(s).unwrap();
        let ok = c("Digest username=\"a\", response=\"x\"");
        assert_eq!(algorithm_and_qop(&ok).unwrap(), (Algorithm::Md5, Qop::None));
        let sha = c("Digest algorithm=SHA-512-256-sess, qop=auth-int");
        assert_eq!(
            algorithm_and_qop(&sha).unwrap(),
            (Algorithm::Sha512_256Sess, Qop::AuthInt)
        );
        let e = algorithm_and_qop(&c("Digest algorithm=AKAv2-MD5")).unwrap_err();
        assert_eq!(e.differs, Differs::UnsupportedAlgorithm);
        assert!(e.explanation.contains("\"AKAv2-MD5\""));
        let e = algorithm_and_qop(&c("Digest qop=auth-conf")).unwrap_err();
        assert_eq!(e.differs, Differs::Qop);
        assert!(e.explanation.contains("qop=\"auth-conf\""));
    }

    #[test]
    fn userhash_resolution_step() {
        let alg = Algorithm::Sha256;
        let mut c = captured(&base());
        let none = Expectation::default();
        let pw = Secret::password(PW);
        let mut d = Vec::new();
        // Not hashed: the name as sent, no detail.
        assert_eq!(
            resolve_userhash(&c, &pw, &none, alg, &mut d).unwrap(),
            "alice"
        );
        assert!(d.is_empty());
        // Hashed: the To user is tried after the expected one and From.
        let uh = digest::userhash(alg, "bob", REALM);
        c.credentials = parse_credentials(&format!(
            "Digest username=\"{uh}\", userhash=true, realm=\"{REALM}\""
        ))
        .unwrap();
        c.to_user = Some("bob".into());
        assert_eq!(
            resolve_userhash(&c, &pw, &none, alg, &mut d).unwrap(),
            "bob"
        );
        assert!(d[0].ends_with("it is the hash of \"bob\""), "{d:?}");
        // No known name: the password path stops, the HA1 path goes on with the hash.
        c.from_user = None;
        c.to_user = None;
        d.clear();
        let e = resolve_userhash(&c, &pw, &none, alg, &mut d).unwrap_err();
        assert_eq!(e.differs, Differs::Username);
        assert!(e.explanation.contains("(none known)"));
        assert_eq!(d, [format!("username in Authorization: \"{uh}\"")]);
        d.clear();
        let ha1 = Secret::ha1("0".repeat(64));
        assert_eq!(resolve_userhash(&c, &ha1, &none, alg, &mut d).unwrap(), uh);
        assert!(d[0].contains("the HA1 check does not need it"));
        // With -sess the HA1 path needs the name too (the cnonce goes into A1 with it).
        d.clear();
        let sess = Algorithm::Sha256Sess;
        assert!(resolve_userhash(&c, &ha1, &none, sess, &mut d).is_err());
    }

    #[test]
    fn qop_without_counts_is_a_detail() {
        let mut c = captured(&base());
        c.credentials = parse_credentials(&format!(
            "Digest username=\"alice\", realm=\"{REALM}\", nonce=\"{NONCE}\", uri=\"{RURI}\", response=\"00\", qop=auth"
        ))
        .unwrap();
        let (pw, e) = (Secret::password(PW), Expectation::default());
        let (check, d) = check_of(&c, &pw, &e);
        assert_eq!(check.inputs.qop, Qop::Auth);
        assert_eq!(
            d,
            [
                "qop in Authorization: \"auth\", but nc or cnonce is missing (RFC 2617 3.2.2 requires both with qop)"
            ]
        );
        // Only the form without qop is tried then (auth and auth-int need nc and cnonce).
        assert_eq!(check.try_qop(), None);
    }

    #[test]
    fn observe_against_the_challenge() {
        let mut c = captured(&base());
        let (pw, e) = (Secret::password(PW), Expectation::default());
        // A consistent request: nothing to say.
        let (check, mut d) = check_of(&c, &pw, &e);
        let n = check.observe(&mut d);
        assert!(d.is_empty(), "{d:?}");
        assert!(n.realm_vs_challenge.is_none() && n.offered.is_none() && !n.foreign_nonce);
        // Another realm, nonce, algorithm and qop in the challenge, stale=true.
        c.challenge = Some((
            5,
            challenge(
                "Digest realm=\"other\", nonce=\"fresh\", algorithm=SHA-256, qop=\"auth-int\", stale=true",
            ),
        ));
        let (check, mut d) = check_of(&c, &pw, &e);
        let n = check.observe(&mut d);
        assert_eq!(n.realm_vs_challenge.as_deref(), Some("other"));
        assert!(n.foreign_nonce && n.old_nonce.is_none());
        assert_eq!(n.offered, Some(Algorithm::Sha256));
        assert_eq!(
            d,
            [
                "realm in Authorization: \"lab.example\"; realm of the challenge (frame 5): \"other\"",
                "nonce in Authorization: \"5f3a9cbe/Nq+w==\"; nonce of the challenge (frame 5): \"fresh\"",
                "the challenge (frame 5) says stale=true: the previous nonce had expired",
                "algorithm in Authorization: \"MD5\"; algorithm of the challenge (frame 5): \"SHA-256\"",
                "qop in Authorization: \"auth\"; the challenge (frame 5) offers \"auth-int\"",
            ]
        );
        // The nonce is an older challenge's.
        c.earlier_challenges = vec![(
            3,
            challenge(&format!("Digest realm=\"r\", nonce=\"{NONCE}\"")),
        )];
        let (check, mut d) = check_of(&c, &pw, &e);
        let n = check.observe(&mut d);
        assert_eq!(n.old_nonce, Some((3, 5)));
        assert!(!n.foreign_nonce);
        // An unsupported algorithm offered, and no qop where one is offered.
        let mut b = base();
        b.qop = Qop::None;
        b.header_qop = None;
        let mut c = captured(&b);
        c.challenge = Some((
            4,
            challenge(
                "Digest realm=\"lab.example\", nonce=\"5f3a9cbe/Nq+w==\", algorithm=AKAv1-MD5, qop=\"auth\"",
            ),
        ));
        let (check, mut d) = check_of(&c, &pw, &e);
        let n = check.observe(&mut d);
        assert_eq!(n.offered, None);
        assert_eq!(
            d,
            [
                "the challenge (frame 4) offers algorithm \"AKAv1-MD5\", which is not supported here",
                "Authorization has no qop although the challenge (frame 4) offers \"auth\"",
            ]
        );
        // No challenge at all.
        c.challenge = None;
        let (check, mut d) = check_of(&c, &pw, &e);
        check.observe(&mut d);
        assert!(
            d[0].starts_with("no challenge before this request"),
            "{d:?}"
        );
    }

    #[test]
    fn observe_expected_from_to_and_lengths() {
        let mut c = captured(&base());
        c.from_user = Some("1001".into());
        c.to_user = Some("1002".into());
        c.request_uri = "sip:10.0.0.1".into();
        let e = Expectation {
            username: Some("bob".into()),
            realm: Some("pbx.example".into()),
            domain: None,
        };
        let ha1 = Secret::ha1("abc");
        let (check, mut d) = check_of(&c, &ha1, &e);
        let n = check.observe(&mut d);
        assert_eq!(n.realm_vs_expected.as_deref(), Some("pbx.example"));
        assert_eq!(n.user_vs_expected.as_deref(), Some("bob"));
        assert!(n.user_vs_from_to);
        assert_eq!(
            d,
            [
                "realm in Authorization: \"lab.example\"; expected realm: \"pbx.example\"",
                "username in Authorization: \"alice\"; expected user name: \"bob\"",
                "username in Authorization: \"alice\"; user in From: \"1001\"",
                "username in Authorization: \"alice\"; user in To: \"1002\"",
                "uri in Authorization: \"sip:lab.example\"; Request-URI: \"sip:10.0.0.1\"",
                "the HA1 typed has 3 characters; an MD5 HA1 has 32",
            ]
        );
        // One of From/To matching is enough; empty expectations are no expectation.
        c.to_user = Some("alice".into());
        let e = Expectation {
            username: Some(String::new()),
            realm: Some(String::new()),
            domain: None,
        };
        let pw = Secret::password(PW);
        let (check, mut d) = check_of(&c, &pw, &e);
        let n = check.observe(&mut d);
        assert!(
            !n.user_vs_from_to && n.user_vs_expected.is_none() && n.realm_vs_expected.is_none()
        );
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn try_realm_order_and_skips() {
        // Hashed with the expected domain; the challenge's realm and the expected realm are
        // tried first and do not match.
        let mut b = base();
        b.hashed_realm = "pbx.example";
        let c = captured(&b);
        let pw = Secret::password(PW);
        let e = Expectation {
            realm: Some("x.example".into()),
            domain: Some("pbx.example".into()),
            ..Default::default()
        };
        let (check, _) = check_of(&c, &pw, &e);
        let (d, why) = check.try_realm().unwrap();
        assert_eq!(d, Differs::Realm);
        assert!(
            why.contains("\"pbx.example\" (the expected domain)"),
            "{why}"
        );
        // The challenge's realm comes first when it is the one hashed.
        let mut b = base();
        b.header_realm = "typo.example";
        let c = captured(&b);
        let e = Expectation {
            domain: Some(REALM.into()),
            ..Default::default()
        };
        let (check, _) = check_of(&c, &pw, &e);
        let (_, why) = check.try_realm().unwrap();
        assert!(
            why.contains("(the realm of the challenge (frame 5))"),
            "{why}"
        );
        // Nothing to try when every candidate is the realm as sent.
        let c = captured(&base());
        let wrong = Secret::password("wrong");
        let (check, _) = check_of(&c, &wrong, &e);
        assert_eq!(check.try_realm(), None);
    }

    #[test]
    fn try_username_expected_then_from_to() {
        let mut b = base();
        b.user = "auth1001";
        let mut c = captured(&b);
        // The header then says "alice" (From/To), the phone hashed "auth1001".
        c.credentials = parse_credentials(&format!(
            "Digest username=\"alice\", realm=\"{REALM}\", nonce=\"{NONCE}\", uri=\"{RURI}\", response=\"{}\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\"",
            c.credentials.response().unwrap()
        ))
        .unwrap();
        let pw = Secret::password(PW);
        let e = Expectation {
            username: Some("auth1001".into()),
            ..Default::default()
        };
        let (check, _) = check_of(&c, &pw, &e);
        let (d, why) = check.try_username().unwrap();
        assert_eq!(d, Differs::Username);
        assert!(
            why.contains("\"auth1001\" (the expected user name)"),
            "{why}"
        );
        let none = Expectation::default();
        let (check, _) = check_of(&c, &pw, &none);
        assert_eq!(check.try_username(), None, "From/To are the name as sent");
    }

    #[test]
    fn try_uri_only_with_another_request_uri() {
        let mut b = base();
        b.hashed_uri = "sip:lab.example;transport=tcp";
        b.header_uri = "sip:lab.example;transport=tcp";
        let mut c = captured(&b);
        let (pw, e) = (Secret::password("wrong"), Expectation::default());
        let (check, _) = check_of(&c, &pw, &e);
        assert_eq!(
            check.try_uri(),
            None,
            "wrong password: the Request-URI does not help"
        );
        c.request_uri.clear();
        let (check, _) = check_of(&c, &pw, &e);
        assert_eq!(check.try_uri(), None);
        let c = captured(&base());
        let (check, _) = check_of(&c, &pw, &e);
        assert_eq!(check.try_uri(), None, "uri as sent is the Request-URI");
    }

    #[test]
    fn try_algorithm_prefers_the_offered_one() {
        // Hashed SHA-256, the header says SHA-512-256 (same length), the challenge offered
        // SHA-256-sess... and SHA-256 is what matches.
        let mut b = base();
        b.alg = Algorithm::Sha256;
        b.header_alg = Some("SHA-512-256");
        let c = captured(&b);
        let pw = Secret::password(PW);
        let e = Expectation::default();
        let (check, _) = check_of(&c, &pw, &e);
        let (d, why) = check.try_algorithm(Some(Algorithm::Sha256)).unwrap();
        assert_eq!(d, Differs::Algorithm);
        assert_eq!(
            why,
            "the phone computed its response with SHA-256 although its Authorization says \
             SHA-512-256 and the challenge (frame 5) asked for SHA-256."
        );
        // Without an offer it is still found; an HA1 of another length is never tried.
        assert!(check.try_algorithm(None).is_some());
        let ha1 = Secret::ha1(digest::ha1(Algorithm::Md5, "alice", REALM, PW));
        let (check, _) = check_of(&c, &ha1, &e);
        assert_eq!(check.try_algorithm(None), None);
    }

    #[test]
    fn try_nonce_latest_then_older() {
        let mut b = base();
        b.hashed_nonce = "old-one";
        b.header_nonce = "echoed";
        let mut c = captured(&b);
        c.earlier_challenges = vec![(
            2,
            challenge("Digest realm=\"lab.example\", nonce=\"old-one\""),
        )];
        let (pw, e) = (Secret::password(PW), Expectation::default());
        let (check, _) = check_of(&c, &pw, &e);
        let (d, why) = check.try_nonce().unwrap();
        assert_eq!(d, Differs::Nonce);
        assert!(why.contains("an older challenge (frame 2)"), "{why}");
        c.earlier_challenges.clear();
        let (check, _) = check_of(&c, &pw, &e);
        assert_eq!(check.try_nonce(), None);
    }

    #[test]
    fn try_qop_other_forms() {
        // Hashed with auth-int, the header says auth.
        let mut b = base();
        b.qop = Qop::AuthInt;
        let c = captured(&b);
        let (pw, e) = (Secret::password(PW), Expectation::default());
        let (check, _) = check_of(&c, &pw, &e);
        let (d, why) = check.try_qop().unwrap();
        assert_eq!(d, Differs::Qop);
        assert_eq!(
            why,
            "the phone computed its response with qop=auth-int but its Authorization says qop=auth."
        );
    }

    #[test]
    fn try_password_variants_only_with_a_password() {
        let mut b = base();
        b.password = "TR0UB4DOR&3".into();
        let c = captured(&b);
        let e = Expectation::default();
        let pw = Secret::password("tr0ub4dor&3");
        let (check, _) = check_of(&c, &pw, &e);
        let (d, why) = check.try_password_variants().unwrap();
        assert_eq!(d, Differs::PasswordCase);
        assert!(why.contains("Caps Lock"), "{why}");
        let ha1 = Secret::ha1(digest::ha1(Algorithm::Md5, "alice", REALM, "tr0ub4dor&3"));
        let (check, _) = check_of(&c, &ha1, &e);
        assert_eq!(check.try_password_variants(), None);
    }

    #[test]
    fn password_variant_list() {
        let kinds = |pw: &str| -> Vec<(Differs, String)> {
            password_variants(pw)
                .into_iter()
                .map(|(d, v, _)| (d, v.to_string()))
                .collect()
        };
        use Differs::{PasswordCase as C, PasswordWhitespace as W};
        assert_eq!(
            kinds(" aB "),
            [
                (W, "aB".into()),
                (W, " aB".into()),
                (W, "aB ".into()),
                (W, " aB  ".into()),
                (W, "  aB ".into()),
                (C, " Ab ".into()),
            ]
        );
        // No first-letter variant for a digit; Caps Lock flips every letter.
        assert_eq!(
            kinds("1x"),
            [(W, "1x ".into()), (W, " 1x".into()), (C, "1X".into())]
        );
        assert_eq!(kinds("12"), [(W, "12 ".into()), (W, " 12".into())]);
        assert_eq!(kinds("é")[2], (C, "É".into()));
    }

    #[test]
    fn explanation_when_nothing_matches() {
        let mut notes = Observations::default();
        let pw = Secret::password("x");
        let ha1 = Secret::ha1("x");
        assert!(!no_variant_matches(&ha1, &notes).contains("Note"));
        notes.realm_vs_expected = Some("r".into());
        assert!(!no_variant_matches(&pw, &notes).contains("Note"));
        assert!(no_variant_matches(&ha1, &notes).contains("an HA1 is tied to one realm"));
    }
}
