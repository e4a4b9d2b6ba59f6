//! Every lab capture (real Kamailio, sipp, baresip, linphonec: tests/lab/make-captures.sh)
//! yields the diagnosis its README row states.

use sipdoctor::diagnose::Severity;
use sipdoctor::secret::Secret;
use sipdoctor::verify::Expectation;

use crate::{analyze, fixtures, lab_rows};

fn codes(a: &sipdoctor::analysis::Analysis) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn message_counts_match_tshark() {
    for row in lab_rows() {
        let file = row["file"].as_str().unwrap();
        let Some(expected) = row["sip_messages_tshark"].as_u64() else {
            continue;
        };
        if row["expect_error"].as_bool() == Some(true) {
            continue;
        }
        let a = analyze(&fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            a.messages.len() as u64,
            expected,
            "{file}: SIP messages vs tshark -Y 'sip && !icmp'"
        );
        let auth = a
            .messages
            .iter()
            .filter(|m| {
                m.is_request()
                    && (m.credentials("authorization").is_some()
                        || m.credentials("proxy-authorization").is_some())
            })
            .count() as u64;
        assert_eq!(
            auth,
            row["auth_requests"].as_u64().unwrap(),
            "{file}: authenticated requests"
        );
    }
}

#[test]
fn diagnosis_matches_readme_root_cause_first() {
    for row in lab_rows() {
        let file = row["file"].as_str().unwrap();
        if row["expect_error"].as_bool() == Some(true) {
            continue;
        }
        let a = analyze(&fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let got = codes(&a);
        for want in row["expected_codes"].as_array().unwrap() {
            let want = want.as_str().unwrap();
            assert!(got.contains(&want), "{file}: expected {want} in {got:?}");
        }
        let root = row["root_cause"].as_str().unwrap();
        if root == "auth-ok" {
            assert!(
                !a.findings.iter().any(|f| f.severity == Severity::Error),
                "{file}: healthy capture has an error finding: {got:?}"
            );
        } else {
            assert_eq!(
                got.first().copied(),
                Some(root),
                "{file}: root cause first in {got:?}"
            );
            if root != "no-sip" {
                assert_eq!(a.findings[0].severity, Severity::Error, "{file}");
            }
        }
        for f in &a.findings {
            assert!(
                sipdoctor::kb::for_code(f.code).is_some(),
                "{file}: finding {} has no KB entry",
                f.code
            );
            assert!(!f.title.is_empty() && !f.explanation.is_empty());
        }
    }
}

#[test]
fn every_authenticated_request_verifies_with_the_lab_password() {
    for row in lab_rows() {
        let file = row["file"].as_str().unwrap();
        // The lab counted every frame (retransmissions too) that its own independent
        // digest check verified; we verify each request once.
        let Some(n) = row["auth_verified_with_client_password"].as_u64() else {
            continue;
        };
        assert!(n > 0, "{file}");
        let pw = row["client_password"].as_str().unwrap();
        let mut a = analyze(&fixtures().join(file)).unwrap();
        a.verify_with(&Secret::password(pw), &Expectation::default());
        let distinct = a
            .messages
            .iter()
            .filter(|m| {
                a.roles[m.index()].retransmission_of.is_none()
                    && (m.credentials("authorization").is_some()
                        || m.credentials("proxy-authorization").is_some())
            })
            .count();
        assert_eq!(
            a.verifications.len(),
            distinct,
            "{file}: one verification per request"
        );
        assert!(
            a.verifications.iter().all(|v| v.verified),
            "{file}: every request verifies with the client's password: {:?}",
            a.verifications
                .iter()
                .map(|v| (&v.frame, &v.explanation))
                .collect::<Vec<_>>()
        );
        // And with another password, none verifies.
        a.verify_with(
            &Secret::password("not-the-password"),
            &Expectation::default(),
        );
        assert!(a.verifications.iter().all(|v| !v.verified), "{file}");
    }
}

#[test]
fn the_differing_input_is_named() {
    for row in lab_rows() {
        let file = row["file"].as_str().unwrap();
        let Some(differs) = row["differs_with_server_password"].as_str() else {
            continue;
        };
        let server_pw = row["server_passwords"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap();
        let mut a = analyze(&fixtures().join(file)).unwrap();
        a.verify_with(&Secret::password(server_pw), &Expectation::default());
        let named: Vec<String> = a
            .verifications
            .iter()
            .filter_map(|v| {
                v.differs.map(|d| {
                    serde_json::to_value(d)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                })
            })
            .collect();
        assert!(
            named.iter().any(|d| d == differs),
            "{file}: expected differs={differs}, got {named:?}"
        );
        if let Some(root) = row["root_cause_with_password"].as_str() {
            assert_eq!(
                a.findings[0].code, root,
                "{file}: root cause with the password"
            );
        }
    }
}

#[test]
fn same_scenario_same_findings_across_transports_and_link_types() {
    let base = analyze(&fixtures().join("02-register-wrong-password.pcap")).unwrap();
    let base_codes = codes(&base);
    for f in [
        "12b-register-wrong-password-tcp.pcap",
        "12c-register-wrong-password-ipv6.pcap",
        "12e-register-wrong-password-sll.pcap",
        "12g-register-wrong-password-nano.pcap",
        "12h-register-wrong-password.pcapng",
        "12k-register-wrong-password-dumpcap.pcapng",
    ] {
        let a = analyze(&fixtures().join(f)).unwrap();
        assert_eq!(codes(&a), base_codes, "{f}");
        assert_eq!(a.exchanges.len(), base.exchanges.len(), "{f}");
    }
}

#[test]
fn retransmissions_are_marked_and_folded() {
    // Nothing listens: the REGISTER is retransmitted (RFC 3261 timer A) and ICMP comes back.
    let a = analyze(&fixtures().join("06-register-no-listener.pcap")).unwrap();
    assert_eq!(a.exchanges.len(), 1);
    let e = &a.exchanges[0];
    assert_eq!(e.attempts.len(), 1);
    assert_eq!(e.attempts[0].retransmissions().len() + 1, a.messages.len());
    assert!(!a.icmp.is_empty(), "ICMP port unreachable seen");
    assert!(
        a.icmp.iter().all(|n| n.message.is_some()),
        "each ICMP linked to the request"
    );
    assert_eq!(e.outcome, sipdoctor::transaction::Outcome::Unreachable);
}

#[test]
fn failure_fixtures_give_one_line_errors_or_counted_skips() {
    for f in ["91-bad-magic.pcap", "93-empty.pcap"] {
        let err = analyze(&fixtures().join(f)).unwrap_err().to_string();
        assert!(!err.contains('\n') && err.contains(f), "{f}: {err}");
    }
    let a = analyze(&fixtures().join("90-truncated.pcap")).unwrap();
    assert!(a.skips.total() > 0, "truncation counted: {:?}", a.skips);
    assert!(!a.messages.is_empty());
    for f in ["92-no-sip.pcap", "94-header-only.pcap"] {
        let a = analyze(&fixtures().join(f)).unwrap();
        assert_eq!(codes(&a), vec!["no-sip"], "{f}");
    }
}
