use super::super::testutil::*;
use super::*;

fn rule(ctx: &Ctx, c: &mut Collector) {
    for e in &ctx.a.exchanges {
        check(ctx, c, e);
    }
}

#[test]
fn each_lab_outcome_gives_its_finding() {
    for (f, want) in [
        ("01-register-ok.pcap", "auth-ok"),
        ("02-register-wrong-password.pcap", "credentials-rejected"),
        (
            "05-register-source-not-allowed.pcap",
            "forbidden-before-auth",
        ),
        ("06-register-no-listener.pcap", "no-response"),
        (
            "09c-register-sha256-unanswered-baresip.pcap",
            "unsupported-challenge",
        ),
        (
            "09d-register-sha256-unanswered-sipp.pcap",
            "unsupported-challenge",
        ),
    ] {
        let fs = run_rule(&fixture(f), rule);
        assert_eq!(names(&fs).first(), Some(&want), "{f}: {:?}", names(&fs));
    }
}

#[test]
fn credentials_rejected_lists_causes_and_is_dropped_once_a_password_proves_it() {
    let mut a = fixture("02-register-wrong-password.pcap");
    let fs = run_rule(&a, rule);
    assert_eq!(fs[0].code, FindingCode::CredentialsRejected);
    assert_eq!(fs[0].causes.len(), 3);
    assert!(
        fs[0].evidence[0]
            .text
            .contains("with credentials (username \"1001\")")
    );
    a.verify_with(
        &crate::secret::Secret::password("s3cret-1001"),
        &crate::verify::Expectation::default(),
    );
    assert!(!names(&run_rule(&a, rule)).contains(&"credentials-rejected"));
}

#[test]
fn no_response_over_udp_needs_a_retransmission() {
    // One REGISTER and nothing else: a short capture, not a dead server.
    let r = register(1, "z9hG4bK1", "203.0.113.5", "");
    let a = undiagnosed(&[(PHONE, PBX, 0, &r)]);
    assert_eq!(a.exchanges[0].outcome, Outcome::NoResponse);
    assert!(run_rule(&a, rule).is_empty());
    let a = undiagnosed(&[(PHONE, PBX, 0, &r), (PHONE, PBX, 500, &r)]);
    let fs = run_rule(&a, rule);
    assert_eq!(names(&fs), ["no-response"]);
    assert_eq!(fs[0].title, "No answer from the server");
    assert!(
        fs[0].evidence[0]
            .text
            .ends_with("over UDP: 2 sent, no SIP response")
    );
    // 06: ICMP came back: unreachable, with the ICMP as evidence.
    let fs = run_rule(&fixture("06-register-no-listener.pcap"), rule);
    assert_eq!(fs[0].title, "Nothing listens there: ICMP unreachable");
    assert!(fs[0].evidence.iter().any(|e| e.text.starts_with("ICMP ")));
}

#[test]
fn a_challenge_at_the_very_end_of_a_capture_is_not_unanswered() {
    let chal = "WWW-Authenticate: Digest realm=\"x\", nonce=\"n1\"\n";
    let msgs = [
        register(1, "z9hG4bK1", "203.0.113.5", ""),
        response("401 Unauthorized", 1, "z9hG4bK1", chal),
    ];
    let a = undiagnosed(&[(PHONE, PBX, 0, &msgs[0]), (PBX, PHONE, 5, &msgs[1])]);
    assert_eq!(a.exchanges[0].outcome, Outcome::ChallengeUnanswered);
    assert!(run_rule(&a, rule).is_empty());
    // A SHA-256 challenge unanswered is reported at once.
    let sha = "WWW-Authenticate: Digest realm=\"x\", nonce=\"n1\", algorithm=SHA-256\n";
    let msgs = [
        register(1, "z9hG4bK1", "203.0.113.5", ""),
        response("401 Unauthorized", 1, "z9hG4bK1", sha),
    ];
    let a = undiagnosed(&[(PHONE, PBX, 0, &msgs[0]), (PBX, PHONE, 5, &msgs[1])]);
    let fs = run_rule(&a, rule);
    assert_eq!(names(&fs), ["unsupported-challenge"]);
    assert_eq!(
        fs[0].evidence[0].text,
        "401 challenge, algorithm=SHA-256, qop=none"
    );
}

#[test]
fn a_403_after_credentials_is_forbidden_after_auth() {
    // 04b: the lab Kamailio refuses 1002's credentials for 1001 with 403.
    let fs = run_rule(&fixture("04b-register-other-account.pcap"), rule);
    let f = fs
        .iter()
        .find(|f| f.code == FindingCode::ForbiddenAfterAuth)
        .expect("04b");
    assert!(
        f.explanation
            .starts_with("The server checked the credentials")
    );
    assert!(f.evidence[0].text.starts_with("403 "));
}
