use super::super::testutil::*;
use super::*;

fn rule(ctx: &Ctx, c: &mut Collector) {
    let accepted = accepted_pairs(ctx);
    for e in &ctx.a.exchanges {
        check_exchange(ctx, c, e, &accepted);
    }
}

/// REGISTER, 401 with `chal`, REGISTER with `auth`, then `last` (a status line).
fn challenged(chal: &str, auth: &str, last: &str) -> crate::model::Analysis {
    two_attempts("401 Unauthorized", chal, auth, last, "")
}

const CHAL: &str = "WWW-Authenticate: Digest realm=\"pbx.example\", nonce=\"n1\", algorithm=MD5\n";

fn auth(params: &str) -> String {
    format!(
        "Authorization: Digest username=\"1001\", uri=\"sip:pbx.example\", \
         response=\"0123456789abcdef0123456789abcdef\", {params}\n"
    )
}

#[test]
fn a_clean_answer_raises_nothing() {
    let a = challenged(CHAL, &auth("realm=\"pbx.example\", nonce=\"n1\""), "200 OK");
    assert!(
        run_rule(&a, rule).is_empty(),
        "{:?}",
        names(&run_rule(&a, rule))
    );
}

#[test]
fn another_realm_is_an_error_when_refused_a_warning_when_accepted() {
    let x = auth("realm=\"other\", nonce=\"n1\"");
    let fs = run_rule(&challenged(CHAL, &x, "401 Unauthorized"), rule);
    assert_eq!(names(&fs), ["realm-mismatch"]);
    assert_eq!(fs[0].severity, Severity::Error);
    assert_eq!(fs[0].evidence[0].text, "challenge realm=\"pbx.example\"");
    assert_eq!(fs[0].evidence[1].text, "Authorization realm=\"other\"");
    let fs = run_rule(&challenged(CHAL, &x, "200 OK"), rule);
    assert_eq!(fs[0].severity, Severity::Warning);
}

#[test]
fn an_algorithm_not_offered_or_a_response_of_the_wrong_length() {
    let sha = auth("realm=\"pbx.example\", nonce=\"n1\", algorithm=SHA-256");
    let fs = run_rule(&challenged(CHAL, &sha, "401 Unauthorized"), rule);
    assert_eq!(names(&fs), ["algorithm-mismatch"]);
    assert!(fs[0].evidence[1].text.contains("used algorithm=SHA-256"));
    // MD5 named but a 64-digit (SHA-256 sized) response.
    let long = format!(
        "Authorization: Digest username=\"1001\", realm=\"pbx.example\", nonce=\"n1\", \
         uri=\"sip:pbx.example\", response=\"{}\"\n",
        "0".repeat(64)
    );
    let fs = run_rule(&challenged(CHAL, &long, "401 Unauthorized"), rule);
    assert_eq!(names(&fs), ["algorithm-mismatch"]);
}

#[test]
fn an_old_nonce_a_digest_uri_and_an_auth_user_that_differ() {
    let x = format!(
        "Authorization: Digest username=\"auth-7\", realm=\"pbx.example\", nonce=\"n0\", \
         uri=\"sip:other.example\", response=\"{}\"\n",
        "0".repeat(32)
    );
    let fs = run_rule(&challenged(CHAL, &x, "401 Unauthorized"), rule);
    assert_eq!(
        names(&fs),
        ["auth-username-mismatch", "uri-mismatch", "stale-nonce"]
    );
    let sev: Vec<Severity> = fs.iter().map(|f| f.severity).collect();
    assert_eq!(sev, [Severity::Error, Severity::Warning, Severity::Warning]);
    // Accepted: the same differences are only information.
    let fs = run_rule(&challenged(CHAL, &x, "200 OK"), rule);
    assert!(fs.iter().all(|f| f.severity == Severity::Info), "{fs:?}");
}

#[test]
fn an_auth_user_the_server_accepts_elsewhere_is_on_purpose() {
    // 01/04b: the lab's own captures. 04b: the phone authenticates as 1002 for 1001 and the
    // server refuses with 403 (lab.json: auth-username-mismatch first).
    let a = fixture("04b-register-other-account.pcap");
    let fs = run_rule(&a, rule);
    let f = fs
        .iter()
        .find(|f| f.code == FindingCode::AuthUsernameMismatch)
        .expect("04b");
    assert_eq!(f.severity, Severity::Error);
    // A pair accepted somewhere is no error even where it is refused.
    let x = auth("realm=\"pbx.example\", nonce=\"n1\"").replace("\"1001\"", "\"auth-7\"");
    let a = challenged(CHAL, &x, "401 Unauthorized");
    let ctx = Ctx::new(&a);
    let mut accepted = AcceptedPairs::new();
    accepted.insert(("auth-7".into(), "1001".into()));
    let mut c = Collector::default();
    check_exchange(&ctx, &mut c, &a.exchanges[0], &accepted);
    let fs = c.into_sorted();
    assert_eq!(names(&fs), ["auth-username-mismatch"]);
    assert_eq!(fs[0].severity, Severity::Info);
}

#[test]
fn stale_true_is_information_when_the_phone_recovers() {
    // 08: Kamailio says stale=true and the phone registers with the new nonce.
    let fs = run_rule(&fixture("08-register-stale-nonce.pcap"), rule);
    let f = fs
        .iter()
        .find(|f| f.code == FindingCode::StaleNonce)
        .expect("stale-nonce in 08");
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.evidence
            .iter()
            .any(|e| e.text.ends_with("with stale=true"))
    );
}

#[test]
fn the_lab_captures_give_their_answer_findings() {
    let fs = run_rule(&fixture("07-register-realm-mismatch.pcap"), rule);
    assert!(names(&fs).contains(&"realm-mismatch"), "{:?}", names(&fs));
    let fs = run_rule(&fixture("09b-register-sha256-md5-answer.pcap"), rule);
    assert!(
        names(&fs).contains(&"algorithm-mismatch"),
        "{:?}",
        names(&fs)
    );
}

/// The accepted pairs are read only when an auth username differs from its account's user,
/// and then they are the ones `accepted_pairs` reads.
#[test]
fn the_accepted_pairs_are_read_only_for_a_differing_auth_user() {
    for (name, differs) in [
        ("01-register-ok.pcap", false),
        ("02-register-wrong-password.pcap", false),
        ("04b-register-other-account.pcap", true),
    ] {
        let a = fixture(name);
        let ctx = Ctx::new(&a);
        let lazy = LazyAccepted::new(&ctx);
        let (mut c, mut eager) = (Collector::default(), Collector::default());
        let pairs = accepted_pairs(&ctx);
        for e in &a.exchanges {
            check_exchange(&ctx, &mut c, e, &lazy);
            check_exchange(&ctx, &mut eager, e, &pairs);
        }
        assert_eq!(lazy.read(), differs, "{name}");
        assert_eq!(
            format!("{:?}", c.into_sorted()),
            format!("{:?}", eager.into_sorted()),
            "{name}"
        );
    }
}
