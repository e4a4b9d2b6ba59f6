//! The capture's side of a fix: the values ([`FixContext`]), hints ([`FixHints`]) and steps
//! already done ([`Did`]) that one finding of an analysis brings, and the [`Fix`] they make.
//! Every front (JSON, text, reports, GUI) renders the [`Fix`] this returns.

use crate::diagnose::{self, server::ServerKind};
use crate::finding::{Finding, FindingCode};
use crate::kb::{self, Lang};
use crate::model::Analysis;
use crate::sip::{self, StartLine};
use crate::transaction::{Exchange, Outcome};
use crate::verify::Differs;

use super::{Did, Fix, FixContext, FixHints, Method};

/// The exchange a finding is about: its first one, else the capture's first.
fn exchange_of<'a>(a: &'a Analysis, f: &Finding) -> Option<&'a Exchange> {
    f.exchanges
        .first()
        .and_then(|&id| a.exchanges.get(id))
        .or_else(|| a.exchanges.first())
}

/// The values of one exchange, as a fix fills them in.
pub fn context_of(a: &Analysis, e: &Exchange) -> FixContext {
    let creds = e
        .attempts
        .iter()
        .filter_map(|t| a.messages.get(t.request()))
        .filter_map(|m| {
            m.credentials("proxy-authorization")
                .or_else(|| m.credentials("authorization"))
        })
        .find_map(|v| v.as_ref().ok());
    let host = sip::uri_host(&e.request_uri);
    let user = if e.method.eq_ignore_ascii_case("REGISTER") {
        e.to_user.or(e.from_user)
    } else {
        e.from_user
    };
    FixContext {
        user: user.map(|u| u.to_string()),
        auth_user: creds.as_ref().and_then(|c| c.username()),
        realm: creds.as_ref().and_then(|c| c.realm().map(str::to_string)),
        domain: host.clone(),
        server: host,
        server_ip: Some(e.server.ip().to_string()),
        server_port: Some(e.server.port()),
        client_ip: Some(e.client.ip().to_string()),
        transport: e
            .attempts
            .first()
            .and_then(|t| a.messages.get(t.request()))
            .map(|m| m.transport().label().to_string()),
        ban_ip: Some(e.client.ip().to_string()),
        jail: None,
        method: Method::parse(&e.method),
    }
}

/// Reason phrase of the exchange's last response.
fn last_reason(a: &Analysis, e: &Exchange) -> Option<String> {
    e.messages()
        .iter()
        .rev()
        .filter_map(|&i| a.messages.get(i))
        .find_map(|m| match &m.start() {
            StartLine::Response { code, reason } if *code >= 300 => Some(reason.to_string()),
            _ => None,
        })
}

/// What the capture says about the case beyond the finding's code.
pub fn hints_of(a: &Analysis, f: &Finding, e: Option<&Exchange>) -> FixHints {
    let ban = f.code == FindingCode::BruteForceBlock;
    FixHints {
        reason: e.and_then(|e| last_reason(a, e)),
        icmp_unreachable: e.is_some_and(|e| e.outcome == Outcome::Unreachable),
        password_variant: a.verifications.iter().any(|v| {
            matches!(
                v.differs,
                Some(Differs::PasswordWhitespace | Differs::PasswordCase)
            )
        }),
        ban_reply: ban && e.is_some_and(|e| e.final_status == Some(403)),
        burst_then_silence: ban
            && e.is_some_and(|e| matches!(e.outcome, Outcome::NoResponse | Outcome::Unreachable)),
        tls: !a.tls.is_empty(),
        port_or_transport: false,
        outbound_proxy: false,
    }
}

/// The steps the app has already done for this analysis.
pub fn done_of(a: &Analysis) -> Vec<Did> {
    done_with(a, diagnose::clock::has_clock_readings(a))
}

/// [`done_of`] with the capture's clock readings already read.
pub fn done_given(a: &Analysis, clock: &[diagnose::server::ClockReading]) -> Vec<Did> {
    done_with(a, !clock.is_empty())
}

fn done_with(a: &Analysis, has_clock_readings: bool) -> Vec<Did> {
    let mut done = vec![Did::Capture];
    if !a.verifications.is_empty() {
        done.push(Did::Digest);
    }
    if has_clock_readings {
        done.push(Did::Clock);
    }
    done
}

/// The detected server of an exchange (`Unknown` when it cannot be told).
pub fn server_of(a: &Analysis, e: Option<&Exchange>) -> ServerKind {
    server_in(&diagnose::servers(a), e)
}

/// [`server_of`] among the capture's servers already fingerprinted.
fn server_in(servers: &[diagnose::ServerInfo], e: Option<&Exchange>) -> ServerKind {
    e.and_then(|e| servers.iter().find(|s| s.address == *e.server))
        .or(servers.first())
        .map(|s| s.kind)
        .unwrap_or(ServerKind::Unknown)
}

/// The guided fix of one finding of `a`, for its server and filled with its capture's values.
/// A finding that names its own entry (`kb_override`) gets that entry's steps.
pub fn for_finding(a: &Analysis, f: &Finding, lang: Lang) -> Option<Fix> {
    for_finding_given(a, f, lang, &diagnose::servers(a), &done_of(a))
}

/// [`for_finding`] with what it reads from the whole capture (its servers, the steps done)
/// worked out once: the JSON writes the fix of every finding, and reading every message again
/// per finding cost a tenth of its time on a whole-server capture.
pub fn for_finding_given(
    a: &Analysis,
    f: &Finding,
    lang: Lang,
    servers: &[diagnose::ServerInfo],
    done: &[Did],
) -> Option<Fix> {
    let e = exchange_of(a, f);
    let ctx = e.map(|e| context_of(a, e)).unwrap_or_default();
    let server = server_in(servers, e);
    match f.kb_override.and_then(kb::get) {
        Some(entry) => Some(super::build(entry, server, &ctx, done, lang)),
        None => super::fix_for(f.code, server, &hints_of(a, f, e), &ctx, done, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixture as analyze_fixture;

    #[test]
    fn a_kamailio_wrong_password_fix_names_the_capture() {
        let a = analyze_fixture("02-register-wrong-password.pcap");
        let f = a.findings.iter().find(|f| f.severity.is_problem()).unwrap();
        let fix = for_finding(&a, f, Lang::En).expect("a fix");
        assert_eq!(fix.server, "kamailio");
        let e = exchange_of(&a, f).unwrap();
        let ip = e.client.ip().to_string();
        let text = super::super::to_text(&fix, Lang::En);
        assert!(text.contains(&ip) || text.contains("1001"), "{text}");
        assert!(fix.withheld.is_empty());
        assert!(
            !text.contains("{user}") && !text.contains("<user>"),
            "{text}"
        );
    }

    #[test]
    fn the_ban_fix_follows_what_the_server_did() {
        let a = analyze_fixture("10a-register-brute-force-403.pcap");
        let f = a
            .findings
            .iter()
            .find(|f| f.code == FindingCode::BruteForceBlock)
            .unwrap();
        let fix = for_finding(&a, f, Lang::Zh).unwrap();
        assert_eq!(fix.kb, f.kb_id());
    }
}
