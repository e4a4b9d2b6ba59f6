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
use crate::secret::Secret;
use crate::sip::auth::AuthValue;

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
    /// The wire name (`"password-case"`), as in the JSON contract.
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

fn frame_of(f: u64) -> String {
    format!("frame {f}")
}

/// Verify one authenticated request.
pub fn verify(c: &CapturedAuth, secret: &Secret, expect: &Expectation) -> Verification {
    let cred = &c.credentials;
    let header = if c.header.is_empty() {
        "Authorization"
    } else {
        c.header.as_str()
    };
    let mut detail: Vec<String> = Vec::new();
    let alg_raw = cred.algorithm().map(str::to_string);
    let mut out = Verification {
        frame: c.frame,
        verified: false,
        differs: None,
        algorithm: alg_raw.clone().unwrap_or_else(|| "MD5".into()),
        explanation: String::new(),
        detail: Vec::new(),
    };

    // --- what the check needs -------------------------------------------------------------
    if !cred.is_digest() {
        out.differs = Some(Differs::Incomplete);
        out.explanation = format!(
            "The {header} header uses the {} scheme, not Digest: there is no digest to check.",
            q(&cred.scheme)
        );
        return out;
    }
    let mut missing = Vec::new();
    let response = cred.response().map(str::trim).unwrap_or("");
    if response.is_empty() {
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
    if !missing.is_empty() {
        out.differs = Some(Differs::Incomplete);
        out.explanation = format!(
            "The {header} header lacks {}: the phone sent incomplete credentials, so the \
             server cannot check them and neither can we.",
            missing.join(", ")
        );
        return out;
    }
    let alg = match Algorithm::parse(cred.algorithm()) {
        Ok(a) => a,
        Err(_) => {
            out.differs = Some(Differs::UnsupportedAlgorithm);
            out.explanation = format!(
                "The phone answered with algorithm {}, which this check does not support \
                 (MD5, SHA-256 and SHA-512-256, with or without -sess, are supported). \
                 Nothing was guessed.",
                q(alg_raw.as_deref().unwrap_or(""))
            );
            return out;
        }
    };
    out.algorithm = alg.as_str().to_string();
    let qop = match Qop::parse(cred.qop()) {
        Ok(q) => q,
        Err(_) => {
            out.differs = Some(Differs::Qop);
            out.explanation = format!(
                "The phone sent qop={}, which is neither auth nor auth-int: the server cannot \
                 check it.",
                q(cred.qop().unwrap_or(""))
            );
            return out;
        }
    };
    let nc = cred.nc().unwrap_or("").to_string();
    let cnonce = cred.cnonce().unwrap_or("").to_string();
    if qop != Qop::None && (nc.is_empty() || cnonce.is_empty()) {
        detail.push(format!(
            "qop in {header}: {}, but nc or cnonce is missing (RFC 2617 3.2.2 requires both \
             with qop)",
            q(qop.as_str().unwrap_or(""))
        ));
    }

    let realm = cred.realm().unwrap_or("").to_string();
    let sent_username = cred.username().unwrap_or_default();
    let challenge = c.challenge.as_ref();
    let ch_frame = challenge.map(|(f, _)| *f);

    // --- userhash: find the real user name behind the hash (RFC 7616 3.4.4) ---------------
    let mut username = sent_username.clone();
    if cred.userhash() {
        let candidates: Vec<&str> = [
            expect.username.as_deref(),
            c.from_user.as_deref(),
            c.to_user.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        match candidates
            .iter()
            .find(|u| digest::same_hex(&digest::userhash(alg, u, &realm), &sent_username))
        {
            Some(u) => {
                detail.push(format!(
                    "username in {header} is hashed (userhash=true): it is the hash of {}",
                    q(u)
                ));
                username = u.to_string();
            }
            None if !secret.is_ha1() || alg.is_sess() => {
                // The password path needs the real name; the HA1 path does not (A1 is given).
                out.differs = Some(Differs::Username);
                out.explanation = format!(
                    "The phone hides its user name (userhash=true) and none of the known names \
                     ({}) hashes to it: the phone uses another auth user name. Type the \
                     expected user name to check again.",
                    if candidates.is_empty() {
                        "none known".to_string()
                    } else {
                        candidates
                            .iter()
                            .map(|s| q(s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                );
                detail.push(format!("username in {header}: {}", q(&sent_username)));
                out.detail = detail;
                return out;
            }
            None => detail.push(format!(
                "username in {header} is hashed (userhash=true) and matches none of the known \
                 names; the HA1 check does not need it"
            )),
        }
    }

    let inputs = Inputs {
        alg,
        username: username.clone(),
        realm: realm.clone(),
        method: digest::ha2_method(&c.method, &c.cseq_method).to_string(),
        uri: cred.uri().unwrap_or("").to_string(),
        nonce: cred.nonce().unwrap_or("").to_string(),
        qop,
        nc,
        cnonce,
    };
    let body = c.body.as_slice();
    let matches = |i: &Inputs, s: &Secret| digest::same_hex(&i.compute(body, s), response);

    // --- observations that hold whatever the verdict ---------------------------------------
    let mut notes = Observations::default();
    if let Some((f, ch)) = challenge {
        if let Some(cr) = ch.realm()
            && cr != realm
        {
            detail.push(format!(
                "realm in {header}: {}; realm of the challenge ({}): {}",
                q(&realm),
                frame_of(*f),
                q(cr)
            ));
            notes.realm_vs_challenge = Some(cr.to_string());
        }
        if let Some(cn) = ch.nonce()
            && cn != inputs.nonce
        {
            let older = c
                .earlier_challenges
                .iter()
                .find(|(_, e)| e.nonce() == Some(inputs.nonce.as_str()));
            match older {
                Some((of, _)) => {
                    detail.push(format!(
                        "nonce in {header}: {} is the nonce of an older challenge ({}); the \
                         latest challenge ({}) sent {}",
                        q(&inputs.nonce),
                        frame_of(*of),
                        frame_of(*f),
                        q(cn)
                    ));
                    notes.old_nonce = Some((*of, *f));
                }
                None => {
                    detail.push(format!(
                        "nonce in {header}: {}; nonce of the challenge ({}): {}",
                        q(&inputs.nonce),
                        frame_of(*f),
                        q(cn)
                    ));
                    notes.foreign_nonce = true;
                }
            }
        }
        if ch.stale() {
            detail.push(format!(
                "the challenge ({}) says stale=true: the previous nonce had expired",
                frame_of(*f)
            ));
        }
        match Algorithm::parse(ch.algorithm()) {
            Ok(offered) if offered != alg => {
                detail.push(format!(
                    "algorithm in {header}: {}; algorithm of the challenge ({}): {}",
                    q(alg.as_str()),
                    frame_of(*f),
                    q(offered.as_str())
                ));
                notes.offered = Some(offered);
            }
            Err(_) => detail.push(format!(
                "the challenge ({}) offers algorithm {}, which is not supported here",
                frame_of(*f),
                q(ch.algorithm().unwrap_or(""))
            )),
            _ => {}
        }
        let opts = ch.qop_options();
        if let Some(used) = qop.as_str()
            && !opts.is_empty()
            && !opts.iter().any(|o| o == used)
        {
            detail.push(format!(
                "qop in {header}: {}; the challenge ({}) offers {}",
                q(used),
                frame_of(*f),
                q(&opts.join(","))
            ));
        }
        if qop == Qop::None && !opts.is_empty() {
            detail.push(format!(
                "{header} has no qop although the challenge ({}) offers {}",
                frame_of(*f),
                q(&opts.join(","))
            ));
        }
    } else {
        detail.push(format!(
            "no challenge before this request in the same call: the nonce {} comes from \
             outside the capture",
            q(&inputs.nonce)
        ));
    }
    if let Some(er) = expect.realm.as_deref()
        && !er.is_empty()
        && er != realm
    {
        detail.push(format!(
            "realm in {header}: {}; expected realm: {}",
            q(&realm),
            q(er)
        ));
        notes.realm_vs_expected = Some(er.to_string());
    }
    if let Some(eu) = expect.username.as_deref()
        && !eu.is_empty()
        && eu != username
    {
        detail.push(format!(
            "username in {header}: {}; expected user name: {}",
            q(&username),
            q(eu)
        ));
        notes.user_vs_expected = Some(eu.to_string());
    }
    let from_to: Vec<(&str, &str)> = [
        ("From", c.from_user.as_deref()),
        ("To", c.to_user.as_deref()),
    ]
    .into_iter()
    .filter_map(|(n, u)| u.map(|u| (n, u)))
    .collect();
    if !from_to.is_empty() && from_to.iter().all(|(_, u)| *u != username) {
        for (n, u) in &from_to {
            detail.push(format!(
                "username in {header}: {}; user in {n}: {}",
                q(&username),
                q(u)
            ));
        }
        notes.user_vs_from_to = true;
    }
    if !c.request_uri.is_empty() && c.request_uri != inputs.uri {
        detail.push(format!(
            "uri in {header}: {}; Request-URI: {}",
            q(&inputs.uri),
            q(&c.request_uri)
        ));
    }
    if let Secret::Ha1(h) = secret
        && h.len() != alg.hex_len()
    {
        detail.push(format!(
            "the HA1 typed has {} characters; an {} HA1 has {}",
            h.len(),
            alg.base().as_str(),
            alg.hex_len()
        ));
    }
    if response.len() != alg.hex_len() {
        detail.push(format!(
            "response in {header} has {} hex digits; {} gives {}",
            response.len(),
            alg.as_str(),
            alg.hex_len()
        ));
    }

    // --- 1. as sent -------------------------------------------------------------------------
    let what = if secret.is_ha1() { "HA1" } else { "password" };
    if matches(&inputs, secret) {
        out.verified = true;
        let (differs, why) = notes.refusal_cause(&realm, alg, ch_frame);
        out.differs = differs;
        out.explanation = match why {
            None => format!("The phone's response matches this {what}: the {what} is right."),
            Some(why) => {
                format!("The phone's response matches this {what}: the {what} is right, but {why}")
            }
        };
        out.detail = detail;
        return out;
    }

    // --- 2. one input changed at a time -----------------------------------------------------
    let try_variant = |differs: Differs, change: &dyn Fn(&mut Inputs), why: String| {
        let mut v = inputs.clone();
        change(&mut v);
        if matches(&v, secret) {
            Some((differs, why))
        } else {
            None
        }
    };
    let mut found: Option<(Differs, String)> = None;

    // realm: the challenge's, then the expected realm/domain
    let mut realm_cands: Vec<(String, String)> = Vec::new();
    if let Some((f, ch)) = challenge
        && let Some(r) = ch.realm()
    {
        realm_cands.push((
            r.to_string(),
            format!("the realm of the challenge ({})", frame_of(*f)),
        ));
    }
    if let Some(r) = expect.realm.as_deref() {
        realm_cands.push((r.to_string(), "the expected realm".into()));
    }
    if let Some(d) = expect.domain.as_deref() {
        realm_cands.push((d.to_string(), "the expected domain".into()));
    }
    for (cand, src) in &realm_cands {
        if found.is_some() {
            break;
        }
        if *cand == realm {
            continue;
        }
        found = try_variant(
            Differs::Realm,
            &|i: &mut Inputs| i.realm = cand.clone(),
            format!(
                "the phone computed its response with realm {} ({src}) while its {header} \
                 names realm {}: the phone's realm setting is inconsistent.",
                q(cand),
                q(&realm)
            ),
        );
    }

    // username: expected, From, To
    if found.is_none() && !cred.userhash() {
        let mut user_cands: Vec<(String, String)> = Vec::new();
        if let Some(u) = expect.username.as_deref() {
            user_cands.push((u.to_string(), "the expected user name".into()));
        }
        for (n, u) in &from_to {
            user_cands.push((u.to_string(), format!("the user in {n}")));
        }
        for (cand, src) in &user_cands {
            if found.is_some() {
                break;
            }
            if *cand == username {
                continue;
            }
            found = try_variant(
                Differs::Username,
                &|i: &mut Inputs| i.username = cand.clone(),
                format!(
                    "the phone computed its response with user name {} ({src}) while its \
                     {header} names user {}: the auth user name is set wrongly.",
                    q(cand),
                    q(&username)
                ),
            );
        }
    }

    // uri: the Request-URI
    if found.is_none() && !c.request_uri.is_empty() && c.request_uri != inputs.uri {
        let ruri = c.request_uri.clone();
        found = try_variant(
            Differs::Uri,
            &|i: &mut Inputs| i.uri = ruri.clone(),
            format!(
                "the phone hashed the Request-URI {} but put uri {} in the {header}: the \
                 digest uri must be exactly the one hashed.",
                q(&ruri),
                q(&inputs.uri)
            ),
        );
    }

    // algorithm: another one, the length of the response first (a 32-hex answer to SHA-256)
    if found.is_none() {
        let mut algs: Vec<Algorithm> = Algorithm::ALL
            .into_iter()
            .filter(|a| *a != alg && a.hex_len() == response.len())
            .collect();
        if let Some(o) = notes.offered {
            algs.sort_by_key(|a| *a != o);
        }
        for a in algs {
            if found.is_some() {
                break;
            }
            if let Secret::Ha1(h) = secret
                && h.len() != a.hex_len()
            {
                continue;
            }
            found = try_variant(
                Differs::Algorithm,
                &|i: &mut Inputs| i.alg = a,
                format!(
                    "the phone computed its response with {} although its {header} says {}{}.",
                    a.as_str(),
                    alg.as_str(),
                    match ch_frame {
                        Some(f) => format!(
                            " and the challenge ({}) asked for {}",
                            frame_of(f),
                            notes.offered.unwrap_or(alg).as_str()
                        ),
                        None => String::new(),
                    }
                ),
            );
        }
    }

    // nonce: the latest challenge's, then older ones
    if found.is_none() {
        let mut nonce_cands: Vec<(String, String)> = Vec::new();
        if let Some((f, ch)) = challenge
            && let Some(n) = ch.nonce()
        {
            nonce_cands.push((
                n.to_string(),
                format!("the latest challenge ({})", frame_of(*f)),
            ));
        }
        for (f, ch) in &c.earlier_challenges {
            if let Some(n) = ch.nonce() {
                nonce_cands.push((
                    n.to_string(),
                    format!("an older challenge ({})", frame_of(*f)),
                ));
            }
        }
        for (cand, src) in &nonce_cands {
            if found.is_some() {
                break;
            }
            if *cand == inputs.nonce {
                continue;
            }
            found = try_variant(
                Differs::Nonce,
                &|i: &mut Inputs| i.nonce = cand.clone(),
                format!(
                    "the phone hashed the nonce of {src} but echoed another nonce in its \
                     {header}."
                ),
            );
        }
    }

    // qop present or not
    if found.is_none() {
        let alt: Vec<Qop> = match qop {
            Qop::None => vec![Qop::Auth, Qop::AuthInt],
            Qop::Auth => vec![Qop::None, Qop::AuthInt],
            Qop::AuthInt => vec![Qop::None, Qop::Auth],
        };
        for a in alt {
            if found.is_some() {
                break;
            }
            if a != Qop::None && (inputs.nc.is_empty() || inputs.cnonce.is_empty()) {
                continue;
            }
            found = try_variant(
                Differs::Qop,
                &|i: &mut Inputs| i.qop = a,
                format!(
                    "the phone computed its response {} but its {header} says {}.",
                    match a.as_str() {
                        None => "without qop (the old RFC 2069 form)".to_string(),
                        Some(s) => format!("with qop={s}"),
                    },
                    match qop.as_str() {
                        None => "no qop".to_string(),
                        Some(s) => format!("qop={s}"),
                    }
                ),
            );
        }
    }

    // password variants (only with a password: an HA1 has no spaces or letters to flip)
    if found.is_none()
        && let Secret::Password(pw) = secret
    {
        for (differs, variant, why) in password_variants(pw) {
            if found.is_some() {
                break;
            }
            let s = Secret::Password(variant);
            if matches(&inputs, &s) {
                found = Some((
                    differs,
                    format!("the phone's password is the one you typed {why}."),
                ));
            }
        }
    }

    match found {
        Some((differs, why)) => {
            out.differs = Some(differs);
            out.explanation = format!(
                "The phone's response does not match as sent, but it does when one input is \
                 changed: {why}"
            );
        }
        None => {
            out.differs = Some(Differs::Password);
            let mut e = String::from(
                "The phone's response matches no variation: the password (or HA1) the phone \
                 uses is not the one you typed.",
            );
            if secret.is_ha1()
                && (notes.realm_vs_challenge.is_some() || notes.realm_vs_expected.is_some())
            {
                e.push_str(
                    " Note: an HA1 is tied to one realm, and the phone's realm differs; check \
                     the realm too, or type the password instead of the HA1.",
                );
            }
            out.explanation = e;
        }
    }
    out.detail = detail;
    out
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
    ) -> (Option<Differs>, Option<String>) {
        let chf = ch_frame.map(frame_of).unwrap_or_default();
        if let Some(cr) = &self.realm_vs_challenge {
            return (
                Some(Differs::Realm),
                Some(format!(
                    "the phone answered with realm {} while the server's challenge ({chf}) named \
                     realm {}: the server checks against its own realm and refuses it. Set the \
                     phone's realm (or domain) to {}.",
                    q(realm),
                    q(cr),
                    q(cr)
                )),
            );
        }
        if let Some(er) = &self.realm_vs_expected {
            return (
                Some(Differs::Realm),
                Some(format!(
                    "the phone uses realm {} while the server expects {}.",
                    q(realm),
                    q(er)
                )),
            );
        }
        if let Some((old, latest)) = self.old_nonce {
            return (
                Some(Differs::Nonce),
                Some(format!(
                    "it answers an old challenge ({}) instead of the latest ({}): the server \
                     treats that nonce as stale.",
                    frame_of(old),
                    frame_of(latest)
                )),
            );
        }
        if let Some(offered) = self.offered {
            return (
                Some(Differs::Algorithm),
                Some(format!(
                    "the phone used {} although the challenge ({chf}) asked for {}: the phone \
                     does not support (or is not set to use) {}.",
                    alg.as_str(),
                    offered.as_str(),
                    offered.as_str()
                )),
            );
        }
        if let Some(eu) = &self.user_vs_expected {
            return (
                Some(Differs::Username),
                Some(format!(
                    "the phone authenticates as another user than expected ({}).",
                    q(eu)
                )),
            );
        }
        if self.foreign_nonce {
            // A nonce from outside this call may still be valid for the server: said, not
            // blamed.
            return (
                None,
                Some(format!(
                    "the nonce it echoes is not the one of the challenge ({chf}) before it; if \
                     the server answers stale=true, the phone reuses an expired nonce."
                )),
            );
        }
        if self.user_vs_from_to {
            // Often legitimate (an auth ID distinct from the extension): said, not blamed.
            return (
                None,
                Some(
                    "its auth user name differs from the user in From/To; if the server \
                     refuses it, check the auth user name."
                        .to_string(),
                ),
            );
        }
        (None, None)
    }
}

/// The password as the phone may really have it: whitespace added or removed, first letter
/// case flipped, Caps Lock inverted. Every variant lives in a `Zeroizing<String>`.
fn password_variants(pw: &str) -> Vec<(Differs, Zeroizing<String>, &'static str)> {
    let mut v: Vec<(Differs, Zeroizing<String>, &'static str)> = Vec::new();
    let ws = Differs::PasswordWhitespace;
    let trimmed = pw.trim();
    if trimmed != pw {
        v.push((
            ws,
            Zeroizing::new(trimmed.to_string()),
            "without the leading/trailing white space you typed",
        ));
    }
    if pw.trim_end() != pw {
        v.push((
            ws,
            Zeroizing::new(pw.trim_end().to_string()),
            "without the trailing white space you typed",
        ));
    }
    if pw.trim_start() != pw {
        v.push((
            ws,
            Zeroizing::new(pw.trim_start().to_string()),
            "without the leading white space you typed",
        ));
    }
    let mut s = Zeroizing::new(String::with_capacity(pw.len() + 1));
    s.push_str(pw);
    s.push(' ');
    v.push((ws, s, "with a space added at the end"));
    let mut s = Zeroizing::new(String::with_capacity(pw.len() + 1));
    s.push(' ');
    s.push_str(pw);
    v.push((ws, s, "with a space added at the start"));

    // First letter case flipped.
    if let Some(first) = pw.chars().next()
        && first.is_alphabetic()
    {
        let mut s = Zeroizing::new(String::with_capacity(pw.len() + 4));
        push_flipped(&mut s, first);
        s.push_str(&pw[first.len_utf8()..]);
        if s.as_str() != pw {
            v.push((
                Differs::PasswordCase,
                s,
                "with the case of its first letter changed",
            ));
        }
    }
    // Caps Lock: every letter's case swapped.
    let mut s = Zeroizing::new(String::with_capacity(pw.len() + 4));
    for ch in pw.chars() {
        push_flipped(&mut s, ch);
    }
    if s.as_str() != pw {
        v.push((
            Differs::PasswordCase,
            s,
            "but with Caps Lock on (the case of every letter swapped)",
        ));
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
}
