//! Rules on how each exchange ended: accepted after a challenge, credentials refused, a
//! challenge never answered, 403 Forbidden, or silence.

use super::server::ServerKind;
use super::{
    Collector, Ctx, Draft, algo_name, challenges_of, credentials_user, ev, refused_attempts,
    server_name,
};
use crate::capture::Transport;
use crate::finding::{FindingCode, Severity};
use crate::model::Analysis;
use crate::msg::{Arg, Msg};
use crate::sip;
use crate::text;
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
    let frame = a.messages[*last.responses().last().unwrap_or(&last.request())].frame();
    c.add_with(
        FindingCode::AuthOk,
        Severity::Info,
        Some(e.id),
        &[frame],
        || {
            Draft::new(
                FindingCode::AuthOk,
                Severity::Info,
                text!(AuthOkTitle),
                text!(AuthOkExpl),
            )
            .with_evidence(vec![ev(
                frame,
                if recovered {
                    text!(EvAuthOkRecovered)
                } else {
                    text!(EvAuthOk)
                }
                .arg("method", &e.method)
                .arg("user", e.from_user.as_deref().unwrap_or(""))
                .arg("status", e.final_status.unwrap_or(0)),
            )])
            .about(e.id)
        },
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
    let proven = e.attempts.iter().any(|x| {
        ctx.verifications
            .contains_key(&a.messages[x.request()].frame())
    });
    if proven {
        return;
    }
    let server_kind = ctx.kind_of(*e.server);
    let frames: Vec<u64> = refused
        .iter()
        .map(|x| a.messages[x.request()].frame())
        .collect();
    let code = FindingCode::CredentialsRejected;
    c.add_with(code, Severity::Error, Some(e.id), &frames, || {
        let mut causes = vec![
            text!(CausePassword),
            text!(CauseAuthUser),
            text!(CauseRealm),
        ];
        if matches!(
            server_kind,
            ServerKind::AsteriskPjsip | ServerKind::Asterisk
        ) {
            causes.insert(1, text!(CauseAsteriskUnknown));
        }
        let evidence = refused
            .iter()
            .map(|x| {
                ev(
                    a.messages[x.request()].frame(),
                    text!(
                        EvCredRefused,
                        method = &e.method,
                        user = credentials_user(a, x).unwrap_or_default(),
                        status = x.final_status.unwrap_or(0)
                    ),
                )
            })
            .collect();
        Draft::new(
            code,
            Severity::Error,
            text!(CredRejTitle),
            text!(CredRejExpl, server = server_name(server_kind)),
        )
        .with_causes(causes)
        .with_evidence(evidence)
        .about(e.id)
    });
}

/// The phone never answered the challenge (and the capture went on long enough to say so, or
/// the algorithm explains it).
pub fn unanswered_challenge(a: &Analysis, c: &mut Collector, e: &Exchange) {
    let last = last_attempt(e);
    let last_resp = *last.responses().last().unwrap_or(&last.request());
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
            text!(UnansweredTitle),
            if waited >= 2 {
                text!(UnansweredExplWaited, waited = waited)
            } else {
                text!(UnansweredExpl)
            }
            .arg("algos", algos.join(", ")),
        )
        .with_evidence(vec![ev(
            a.messages[last_resp].frame(),
            text!(
                EvUnanswered,
                status = a.messages[last_resp].status().unwrap_or(0),
                algos = algos.join(","),
                qop = match chals.first().and_then(|c| c.qop()) {
                    Some(q) => Arg::from(q),
                    None => Arg::from(Msg::QopNone),
                }
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
        .responses()
        .iter()
        .copied()
        .find(|&r| a.messages[r].status() == Some(status))
        .unwrap_or(last.request());
    let rm = &a.messages[resp];
    let reason = match &rm.start() {
        sip::StartLine::Response { reason, .. } => reason.to_string(),
        _ => String::new(),
    };
    if last.credentials.is_some() {
        let explanation = match ctx.kind_of(*e.server) {
            ServerKind::FreeSwitch => text!(ForbiddenAfterExplFs),
            _ => text!(ForbiddenAfterExpl),
        };
        c.add(
            Draft::new(
                FindingCode::ForbiddenAfterAuth,
                Severity::Error,
                text!(ForbiddenAfterTitle),
                explanation,
            )
            .with_evidence(vec![ev(rm.frame(), text!(Ev403, reason = &reason))])
            .about(e.id),
        );
    } else if !e.was_challenged() {
        let last_req = &a.messages[last.request()];
        c.add(
            Draft::new(
                FindingCode::ForbiddenBeforeAuth,
                Severity::Error,
                text!(ForbiddenBeforeTitle),
                text!(ForbiddenBeforeExpl),
            )
            .with_evidence(vec![
                ev(
                    last_req.frame(),
                    text!(EvMethodFrom, method = &e.method, client = e.client),
                ),
                ev(rm.frame(), text!(Ev403, reason = &reason)),
            ])
            .about(e.id),
        );
    }
}

/// No SIP answer: proven by retransmissions over UDP, by timer B/F over TCP, or by ICMP.
pub fn no_response(a: &Analysis, c: &mut Collector, e: &Exchange) {
    let last = last_attempt(e);
    let last_req = &a.messages[last.request()];
    let sends: usize = e
        .attempts
        .iter()
        .map(|x| 1 + x.retransmissions().len())
        .sum();
    // A request seen once proves nothing over UDP: a client retransmits it (RFC 3261 17.1.1.2
    // timer A, 17.1.2.2 timer E), so no retransmission means the capture is short or
    // one-sided. Over TCP it counts once timer B/F (64*T1 = 32 s) has run.
    let capture_end = a.last_ts.unwrap_or(e.last_ts);
    let waited = (capture_end - last_req.ts) / 1_000_000_000;
    let udp = last_req.transport() == Transport::Udp;
    if e.outcome == Outcome::NoResponse
        && ((udp && last.retransmissions().is_empty()) || (!udp && waited < 32))
    {
        return;
    }
    let mut evidence = vec![ev(
        last_req.frame(),
        text!(
            EvNoResponse,
            method = &e.method,
            server = e.server,
            transport = Analysis::transport_label(last_req.transport()),
            sends = sends
        ),
    )];
    for &n in e.attempts.iter().flat_map(|x| x.icmp().iter()) {
        let note = &a.icmp[n];
        evidence.push(ev(
            note.frame,
            text!(EvIcmp, kind = &note.kind, reporter = note.reporter),
        ));
    }
    let unreachable = e.outcome == Outcome::Unreachable;
    let (title, explanation) = if unreachable {
        (text!(UnreachableTitle), text!(UnreachableExpl))
    } else {
        (text!(NoAnswerTitle), text!(NoAnswerExpl))
    };
    c.add(
        Draft::new(FindingCode::NoResponse, Severity::Error, title, explanation)
            .with_evidence(evidence)
            .about(e.id),
    );
}

#[cfg(test)]
mod tests;
