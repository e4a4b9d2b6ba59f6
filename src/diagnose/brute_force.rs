//! Brute-force block: refused logins from one address, then the server stops challenging it.

use std::net::{IpAddr, SocketAddr};

use super::{Collector, Ctx, Draft, Evidence, ev, stale_rechallenge};
use crate::finding::{FindingCode, Severity};
use crate::model::Analysis;
use crate::msg::{Msg, Text};
use crate::sip;
use crate::sip::intern::FxHashMap;
use crate::text;
use crate::transaction::Attempt;

/// What one attempt tells the brute-force rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Credentials re-challenged (checked and refused).
    Refused,
    /// 403 without a challenge, or silence: the server stopped challenging.
    Blocked,
    /// 403 to credentials after re-challenges: a ban when it follows several refusals.
    BlockedWithCredentials,
}

/// Brute-force block: after at least two refused logins from one address, the same server
/// stops challenging it and answers 403 or nothing at all (fail2ban, Kamailio pike/htable,
/// provider guards). A server that answers every wrong password with 403 from the start
/// (FreeSWITCH) is not taken for a ban: the 403 must follow re-challenges.
pub fn check(ctx: &Ctx, c: &mut Collector) {
    for ((client_ip, server_addr), mut events) in timelines(ctx.a) {
        events.sort_by_key(|ev| (ev.0, ev.1));
        block(ctx.a, c, client_ip, server_addr, &events);
    }
}

/// (time, frame, mark, exchange, attempt index in it) of one attempt (32 bytes: a whole
/// server's capture has a million attempts); what it says is written ([`what`]) only for the
/// attempts a finding quotes.
type Event = (i64, u64, Mark, u32, u32);

/// An index of the exchanges' lists as an [`Event`] keeps it (a capture holds far fewer than
/// 4 billion exchanges or attempts).
fn narrow(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 4 billion exchanges and attempts")
}

/// The attempts that count for the rule (refused or blocked; the others change nothing in
/// [`block`]), per (client IP, server), the timelines in the order their key first appears
/// among the exchanges. Only those attempts are kept: on a whole server's capture a
/// timeline of every attempt was a million events (tens of MB) for a few thousand that count.
fn timelines(a: &Analysis) -> Vec<((IpAddr, SocketAddr), Vec<Event>)> {
    let mut timelines: Vec<((IpAddr, SocketAddr), Vec<Event>)> = Vec::new();
    let mut index: FxHashMap<(IpAddr, SocketAddr), usize> = FxHashMap::default();
    for e in &a.exchanges {
        let key = (e.client.ip(), *e.server);
        let t = *index.entry(key).or_insert_with(|| {
            timelines.push((key, Vec::new()));
            timelines.len() - 1
        });
        for (xi, x) in e.attempts.iter().enumerate() {
            let mark = match x.final_status {
                Some(401 | 407) if x.credentials.is_some() && !stale_rechallenge(a, x) => {
                    Mark::Refused
                }
                Some(403) if x.credentials.is_none() => Mark::Blocked,
                // A 403 that names the password is the server's verdict on the credentials,
                // not a ban ("403 Wrong password or domain").
                Some(403) if !verdict_on_credentials(&reason_403(a, x)) => {
                    Mark::BlockedWithCredentials
                }
                None if x.responses().is_empty() => Mark::Blocked,
                _ => continue,
            };
            let m = &a.messages[x.request()];
            let event = (m.ts, m.frame(), mark, narrow(e.id), narrow(xi));
            timelines[t].1.push(event);
        }
    }
    timelines
}

/// The reason phrase of an attempt's first 403, as sent ("" without one).
fn reason_403(a: &Analysis, x: &Attempt) -> String {
    x.responses()
        .iter()
        .map(|&r| &a.messages[r])
        .find(|r| r.status() == Some(403))
        .map(|r| match &r.start() {
            sip::StartLine::Response { reason, .. } => reason.to_string(),
            _ => String::new(),
        })
        .unwrap_or_default()
}

/// A reason phrase that speaks of the password or credentials.
fn verdict_on_credentials(reason_as_sent: &str) -> bool {
    let reason = reason_as_sent.to_ascii_lowercase();
    ["password", "credential", "auth"]
        .iter()
        .any(|w| reason.contains(w))
}

/// What an attempt got, for the evidence ("-> 403 Forbidden", "no answer").
fn what(a: &Analysis, ev: &Event) -> Text {
    let e = &a.exchanges[ev.3 as usize];
    let x = &e.attempts[ev.4 as usize];
    match x.final_status {
        Some(403) => text!(BfWhat403, reason = &reason_403(a, x)),
        Some(s) => text!(BfWhatStatus, status = s),
        None => text!(BfWhatSilent, n = 1 + x.retransmissions().len()),
    }
    .arg("method", &e.method)
    .arg("cseq", x.cseq)
}

/// The first block after enough refusals on one timeline (sorted), as a finding.
fn block(
    a: &Analysis,
    c: &mut Collector,
    client_ip: IpAddr,
    server_addr: SocketAddr,
    events: &[Event],
) {
    {
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
        let Some(b) = first_block else { return };
        let blocked = &events[b];
        let blocked_what = what(a, blocked);
        let silence = blocked_what.id == Msg::BfWhatSilent;
        // fail2ban drops packets in the kernel: it can only make silence (or an ICMP reject).
        // A 403 after the refusals is the SIP server itself answering: its own counter
        // (Kamailio htable/pike, Asterisk or FreeSWITCH guards), not fail2ban.
        let (explanation, kb) = if silence {
            (text!(BfExplSilence), None)
        } else {
            (text!(BfExpl403), Some("communication/sip-server-own-ban"))
        };
        let mut evidence: Vec<Evidence> = events[..b]
            .iter()
            .filter(|ev| ev.2 == Mark::Refused)
            .map(|x| ev(x.1, text!(EvBfRefused, what = what(a, x))))
            .collect();
        evidence.push(ev(blocked.1, text!(EvBfThen, what = blocked_what)));
        let draft = Draft::new(
            FindingCode::BruteForceBlock,
            Severity::Error,
            text!(BfTitle, ip = client_ip, n = refused),
            explanation
                .arg("n", refused)
                .arg("ip", client_ip)
                .arg("server", server_addr),
        )
        .with_evidence(evidence)
        .about(blocked.3 as usize);
        let draft = match kb {
            Some(id) => draft.with_kb(id),
            None => draft,
        };
        c.add(draft);
        // The blocked attempts are explained by the ban.
        for code in [
            FindingCode::ForbiddenBeforeAuth,
            FindingCode::ForbiddenAfterAuth,
            FindingCode::NoResponse,
        ] {
            if let Some(f) = c.get_mut(code) {
                f.severity = f.severity.max(Severity::Warning);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn the_lab_bans_are_found_with_their_refusals_as_evidence() {
        // 10a: Kamailio answers 403 after refused logins; 10b: it goes silent.
        for (f, then) in [
            ("10a-register-brute-force-403.pcap", "-> 403"),
            ("10b-register-brute-force-silent.pcap", "no answer"),
        ] {
            let a = fixture(f);
            let fs = run_rule(&a, check);
            assert_eq!(names(&fs), ["brute-force-block"], "{f}");
            let ev = &fs[0].evidence;
            assert!(
                ev.iter()
                    .filter(|e| e.text.starts_with("refused: "))
                    .count()
                    >= 2,
                "{f}"
            );
            let last = ev.last().unwrap();
            assert!(
                last.text.starts_with("then: ") && last.text.contains(then),
                "{f}: {last:?}"
            );
        }
    }

    #[test]
    fn a_403_ban_is_the_server_s_own_and_silence_is_fail2ban() {
        // 10a: Kamailio's htable counter answers 403; 10b: the packets are dropped.
        let own = run_rule(&fixture("10a-register-brute-force-403.pcap"), check);
        assert_eq!(own[0].kb_id(), "communication/sip-server-own-ban");
        assert!(
            own[0].explanation.contains("not fail2ban"),
            "{}",
            own[0].explanation
        );
        assert!(own[0].explanation.contains("answered 403"));
        let silent = run_rule(&fixture("10b-register-brute-force-silent.pcap"), check);
        assert_eq!(silent[0].kb_id(), "communication/sip-fail2ban-ban");
        assert_eq!(silent[0].kb_override, None);
        assert!(silent[0].explanation.contains("fail2ban-client"));
        assert!(!silent[0].explanation.contains("not fail2ban"));
    }

    #[test]
    fn refusals_without_a_block_are_no_ban() {
        for f in [
            "02-register-wrong-password.pcap",
            "01-register-ok.pcap",
            "04b-register-other-account.pcap",
        ] {
            assert!(run_rule(&fixture(f), check).is_empty(), "{f}");
        }
    }

    /// A timeline keeps the refused and blocked attempts only, each once, in the order of
    /// their times: on the office capture (20+ phones, one banned) a small part of all the
    /// attempts, and the ban is still found on them.
    #[test]
    fn timelines_keep_only_the_attempts_that_count() {
        let a = fixture("13-office-register-mixed.pcap");
        let all: usize = a.exchanges.iter().map(|e| e.attempts.len()).sum();
        let lines = timelines(&a);
        let kept: usize = lines.iter().map(|(_, ev)| ev.len()).sum();
        assert!(kept > 0 && kept * 3 < all, "{kept} of {all} attempts kept");
        let mut seen = std::collections::HashSet::new();
        for ((ip, server), events) in &lines {
            for ev in events {
                let e = &a.exchanges[ev.3 as usize];
                let x = &e.attempts[ev.4 as usize];
                assert!(seen.insert((ev.3, ev.4)), "an attempt once");
                assert_eq!((e.client.ip(), *e.server), (*ip, *server));
                assert_eq!(ev.1, x.frame);
                let counts = match ev.2 {
                    Mark::Refused => {
                        x.credentials.is_some() && matches!(x.final_status, Some(401 | 407))
                    }
                    Mark::Blocked => {
                        x.final_status == Some(403)
                            || (x.final_status.is_none() && x.responses().is_empty())
                    }
                    Mark::BlockedWithCredentials => x.final_status == Some(403),
                };
                assert!(counts, "frame {}: {:?}", x.frame, x.final_status);
            }
        }
        // Every refused attempt of the capture is on a timeline.
        let refused = a
            .exchanges
            .iter()
            .flat_map(|e| &e.attempts)
            .filter(|x| {
                x.credentials.is_some()
                    && matches!(x.final_status, Some(401 | 407))
                    && !stale_rechallenge(&a, x)
            })
            .count();
        let marked = lines.iter().flat_map(|(_, ev)| ev);
        assert_eq!(marked.filter(|ev| ev.2 == Mark::Refused).count(), refused);
        assert_eq!(names(&run_rule(&a, check)), ["brute-force-block"]);
    }

    #[test]
    fn a_ban_softens_the_findings_it_explains() {
        let a = fixture("10a-register-brute-force-403.pcap");
        let f = a
            .findings
            .iter()
            .find(|f| f.code == FindingCode::ForbiddenAfterAuth)
            .expect("forbidden-after-auth in 10a");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(a.findings[0].code, FindingCode::BruteForceBlock);
    }
}
