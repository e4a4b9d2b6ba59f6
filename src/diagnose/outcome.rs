//! Rules on how each exchange ended: accepted after a challenge, credentials refused, a
//! challenge never answered, 403 Forbidden, or silence.

use super::server::ServerKind;
use super::{
    Collector, Ctx, Draft, algo_name, challenges_of, credentials_user, ev, refused_attempts,
};
use crate::capture::Transport;
use crate::finding::{FindingCode, Severity};
use crate::model::Analysis;
use crate::sip;
use crate::transaction::{Attempt, Exchange, Outcome};

/// Every rule of this module over one exchange.
pub fn check(ctx: &Ctx, c: &mut Collector, e: &Exchange) {
    match e.outcome {
        Outcome::Accepted | Outcome::Recovered => auth_ok(ctx.a, c, e),
        Outcome::Rechallenged | Outcome::Rejected | Outcome::NoResponse | Outcome::Unreachable => {
            credentials_rejected(ctx, c, e)
        }
        Outcome::ChallengeUnanswered | Outcome::Pending => {}
    }
    match e.outcome {
        Outcome::ChallengeUnanswered => unanswered_challenge(ctx.a, c, e),
        Outcome::Rejected => forbidden(ctx, c, e),
        Outcome::NoResponse | Outcome::Unreachable => no_response(ctx.a, c, e),
        _ => {}
    }
}

fn last_attempt(e: &Exchange) -> &Attempt {
    e.attempts.last().expect("exchange has an attempt")
}

/// Challenged and accepted: the normal digest login, said so (as information).
pub fn auth_ok(a: &Analysis, c: &mut Collector, e: &Exchange) {
    if !e.was_challenged() {
        return;
    }
    let last = last_attempt(e);
    let recovered = e.outcome == Outcome::Recovered;
    c.add(
        Draft::new(
            FindingCode::AuthOk,
            Severity::Info,
            "Challenged and accepted",
            "The server challenged (401/407, which is normal) and accepted the answer. A first \
             401 is part of every digest login, not an error.",
        )
        .with_evidence(vec![ev(
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
        )])
        .about(e.id),
    );
}

/// Credentials re-challenged and no typed password to say which input is wrong: the likely
/// causes, in order.
pub fn credentials_rejected(ctx: &Ctx, c: &mut Collector, e: &Exchange) {
    let a = ctx.a;
    let refused = refused_attempts(a, e);
    if refused.is_empty() {
        return;
    }
    let proven = e
        .attempts
        .iter()
        .any(|x| ctx.verifications.contains_key(&a.messages[x.request].frame));
    if proven {
        return;
    }
    let server_kind = ctx.kind_of(e.server);
    let mut causes = vec![
        "the password on the phone differs from the server's (type it in step 2 to check)"
            .to_string(),
        "the authentication username is not the one the server knows".to_string(),
        "the realm/SIP domain on the phone differs from the server's".to_string(),
    ];
    if matches!(
        server_kind,
        ServerKind::AsteriskPjsip | ServerKind::Asterisk
    ) {
        causes.insert(
            1,
            "Asterisk PJSIP also answers unknown users with 401 ('No matching endpoint found' in \
             its log)"
                .into(),
        );
    }
    let evidence = refused
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
        .collect();
    c.add(
        Draft::new(
            FindingCode::CredentialsRejected,
            Severity::Error,
            "The server refused the phone's credentials",
            format!(
                "The phone answered the challenge and {} challenged it again: the credentials \
                 were checked and did not match. Without the password this cannot say which \
                 input is wrong; the most likely causes are listed in order.",
                server_kind.label()
            ),
        )
        .with_causes(causes)
        .with_evidence(evidence)
        .about(e.id),
    );
}

/// The phone never answered the challenge (and the capture went on long enough to say so, or
/// the algorithm explains it).
pub fn unanswered_challenge(a: &Analysis, c: &mut Collector, e: &Exchange) {
    let last = last_attempt(e);
    let last_resp = *last.responses.last().unwrap_or(&last.request);
    let chals = challenges_of(a, last_resp);
    let algos: Vec<String> = chals.iter().map(|ch| algo_name(ch.algorithm())).collect();
    let capture_end = a.last_ts.unwrap_or(e.last_ts);
    let waited = (capture_end - a.messages[last_resp].ts) / 1_000_000_000;
    // A challenge right at the end of the capture may just be a short capture.
    if waited < 2 && algos.iter().all(|x| x.starts_with("MD5")) {
        return;
    }
    c.add(
        Draft::new(
            FindingCode::UnsupportedChallenge,
            Severity::Error,
            "The phone never answered the challenge",
            format!(
                "The server challenged with algorithm {} and the phone sent no answer{}. A phone \
                 does this when it cannot do the algorithm or qop (RFC 8760 SHA-256 on old \
                 firmware) or has no credentials for the realm.",
                algos.join(", "),
                if waited >= 2 {
                    format!(" in the {waited} s that followed")
                } else {
                    String::new()
                }
            ),
        )
        .with_evidence(vec![ev(
            a.messages[last_resp].frame,
            format!(
                "{} challenge, algorithm={}, qop={}",
                a.messages[last_resp].status().unwrap_or(0),
                algos.join(","),
                chals.first().and_then(|c| c.qop()).unwrap_or("none")
            ),
        )])
        .about(e.id),
    );
}

/// 403 Forbidden: after the credentials were checked, or before any challenge.
pub fn forbidden(ctx: &Ctx, c: &mut Collector, e: &Exchange) {
    let a = ctx.a;
    let last = last_attempt(e);
    let status = e.final_status.unwrap_or(0);
    if status != 403 {
        return;
    }
    let resp = last
        .responses
        .iter()
        .copied()
        .find(|&r| a.messages[r].status() == Some(status))
        .unwrap_or(last.request);
    let rm = &a.messages[resp];
    let reason = match &rm.start {
        sip::StartLine::Response { reason, .. } => reason.to_string(),
        _ => String::new(),
    };
    if last.credentials.is_some() {
        let hint = match ctx.kind_of(e.server) {
            ServerKind::FreeSwitch => {
                "FreeSWITCH answers a wrong password with 403, so check the password first (step 2)."
            }
            _ => {
                "Typical causes: a wrong password on servers that answer it with 403 \
                 (FreeSWITCH), the auth user bound to another From/To user, an account disabled \
                 or suspended by the provider."
            }
        };
        c.add(
            Draft::new(
                FindingCode::ForbiddenAfterAuth,
                Severity::Error,
                "403 Forbidden in answer to the authenticated request",
                format!("The server checked the credentials and refused with 403. {hint}"),
            )
            .with_evidence(vec![ev(rm.frame, format!("403 {reason}"))])
            .about(e.id),
        );
    } else if !e.was_challenged() {
        let last_req = &a.messages[last.request];
        c.add(
            Draft::new(
                FindingCode::ForbiddenBeforeAuth,
                Severity::Error,
                "403 Forbidden before any challenge",
                "The server refused without asking for a password: the credentials were never \
                 checked. Typical causes: the source address is not allowed (IP ACL, \
                 permissions), the address is banned, or the account is disabled.",
            )
            .with_evidence(vec![
                ev(last_req.frame, format!("{} from {}", e.method, e.client)),
                ev(rm.frame, format!("403 {reason}")),
            ])
            .about(e.id),
        );
    }
}

/// No SIP answer: proven by retransmissions over UDP, by timer B/F over TCP, or by ICMP.
pub fn no_response(a: &Analysis, c: &mut Collector, e: &Exchange) {
    let last = last_attempt(e);
    let last_req = &a.messages[last.request];
    let sends: usize = e.attempts.iter().map(|x| 1 + x.retransmissions.len()).sum();
    // A request seen once proves nothing over UDP: a client retransmits it (RFC 3261 17.1.1.2
    // timer A, 17.1.2.2 timer E), so no retransmission means the capture is short or
    // one-sided. Over TCP it counts once timer B/F (64*T1 = 32 s) has run.
    let capture_end = a.last_ts.unwrap_or(e.last_ts);
    let waited = (capture_end - last_req.ts) / 1_000_000_000;
    let udp = last_req.transport == Transport::Udp;
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
            Analysis::transport_label(last_req.transport),
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
    let (title, explanation) = if unreachable {
        (
            "Nothing listens there: ICMP unreachable",
            "The request went out and the network answered with ICMP destination unreachable: \
             no SIP service on that address, port and transport, or a firewall rejecting it. \
             This is not an authentication problem.",
        )
    } else {
        (
            "No answer from the server",
            "The request was sent (and retransmitted) but no SIP response came back. Causes: \
             wrong server address, port or transport, a firewall dropping it, a missing outbound \
             proxy, or the server has banned this address.",
        )
    };
    c.add(
        Draft::new(FindingCode::NoResponse, Severity::Error, title, explanation)
            .with_evidence(evidence)
            .about(e.id),
    );
}

#[cfg(test)]
mod tests;
