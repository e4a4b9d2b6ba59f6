//! Unit tests without network; the network tests (real Kamailio, scripted servers) are in
//! `lab.rs`, each inside its own network namespace.

use super::*;
use crate::sip::auth::parse_credentials;

mod lab;

fn ch(s: &str) -> Vec<AuthValue> {
    parse_challenges(s).expect("challenge parses")
}

#[test]
fn topmost_supported_challenge_is_chosen() {
    // RFC 8760 2.4: the first value with a supported algorithm wins, not the "best" one.
    let mut v = ch(r#"Digest realm="r", nonce="n1", algorithm=AKAv1-MD5, qop="auth""#);
    v.extend(ch(
        r#"Digest realm="r", nonce="n2", algorithm=SHA-512-256, qop="auth""#,
    ));
    v.extend(ch(
        r#"Digest realm="r", nonce="n3", algorithm=SHA-256, qop="auth""#,
    ));
    v.extend(ch(
        r#"Digest realm="r", nonce="n4", algorithm=MD5, qop="auth""#,
    ));
    let (a, stale) = choose_challenge(&v, AuthKind::Www).unwrap();
    assert_eq!(a.algorithm, Algorithm::Sha512_256);
    assert_eq!(a.nonce, "n2");
    assert!(!stale);

    let v = ch(r#"Digest realm="r", nonce="n", algorithm=MD5, qop="auth-int,auth", stale=TRUE"#);
    let (a, stale) = choose_challenge(&v, AuthKind::Proxy).unwrap();
    assert_eq!(a.qop, Qop::Auth, "auth preferred over auth-int");
    assert!(stale);
    assert_eq!(a.kind, AuthKind::Proxy);

    let v = ch(r#"Digest realm="r", nonce="n", qop="auth-int""#);
    assert_eq!(
        choose_challenge(&v, AuthKind::Www).unwrap().0.qop,
        Qop::AuthInt
    );
    let v = ch(r#"Digest realm="r", nonce="n""#);
    let (a, _) = choose_challenge(&v, AuthKind::Www).unwrap();
    assert_eq!(
        (a.qop, a.algorithm, a.algorithm_sent),
        (Qop::None, Algorithm::Md5, false)
    );
}

#[test]
fn unsupported_challenges_are_reported() {
    let mut v = ch(r#"Digest realm="r", nonce="n", algorithm=AKAv1-MD5"#);
    v.extend(ch(r#"Basic realm="x""#));
    v.extend(ch(r#"Digest realm="r", nonce="n", qop="auth-conf""#));
    let e = choose_challenge(&v, AuthKind::Www).unwrap_err();
    assert!(
        e.contains("AKAv1-MD5") && e.contains("Basic") && e.contains("auth-conf"),
        "{e}"
    );
    let v = ch(r#"Digest realm="r""#);
    assert!(choose_challenge(&v, AuthKind::Www).is_err());
}

/// The credentials we write verify with the digest engine, for each algorithm and qop, and
/// the value parses with the project's tokenizer.
#[test]
fn credentials_verify_independently() {
    let secret = Secret::password("pa\"ss wörd");
    for alg in Algorithm::ALL {
        for qop in [Qop::None, Qop::Auth, Qop::AuthInt] {
            let a = Answer {
                kind: AuthKind::Www,
                algorithm: alg,
                algorithm_sent: true,
                realm: "re\"alm".into(),
                nonce: "abc/def=".into(),
                opaque: Some("op".into()),
                qop,
                userhash: false,
                nc: 3,
            };
            let (v, summary) = credentials_value(&a, "1001", "REGISTER", "sip:h", "cn", &secret);
            assert!(!summary.contains("pa\"ss") && !v.contains("wörd"));
            let c = parse_credentials(&v).expect("our header parses");
            assert_eq!(c.realm(), Some("re\"alm"));
            assert_eq!(c.algorithm(), Some(alg.as_str()));
            assert_eq!(c.opaque(), Some("op"));
            let nc = c.nc().unwrap_or("");
            if qop != Qop::None {
                assert_eq!(nc, "00000003");
            }
            let p = DigestParams {
                algorithm: alg,
                username: "1001",
                realm: "re\"alm",
                method: "REGISTER",
                uri: c.uri().unwrap(),
                nonce: c.nonce().unwrap(),
                qop: Qop::parse(c.qop()).unwrap(),
                nc,
                cnonce: c.cnonce().unwrap_or(""),
                body: b"",
                userhash: false,
            };
            let expect = digest::response(&p, &Secret::password("pa\"ss wörd"));
            assert_eq!(c.response(), Some(expect.as_str()), "{alg} {qop:?}");
            // and a wrong password gives another response (the test can fail)
            assert_ne!(
                c.response(),
                Some(digest::response(&p, &Secret::password("pass")).as_str())
            );
        }
    }
}

#[test]
fn md5_without_algorithm_in_challenge_is_not_echoed() {
    let a = Answer {
        kind: AuthKind::Www,
        algorithm: Algorithm::Md5,
        algorithm_sent: false,
        realm: "r".into(),
        nonce: "n".into(),
        opaque: None,
        qop: Qop::None,
        userhash: false,
        nc: 1,
    };
    let (v, _) = credentials_value(&a, "u", "REGISTER", "sip:h", "c", &Secret::password("p"));
    assert!(
        !v.contains("algorithm") && !v.contains("qop") && !v.contains("cnonce"),
        "{v}"
    );
}

#[test]
fn host_port_forms() {
    assert_eq!(
        split_host_port("pbx.example.com").unwrap(),
        ("pbx.example.com".into(), 5060)
    );
    assert_eq!(
        split_host_port("10.0.0.1:5080").unwrap(),
        ("10.0.0.1".into(), 5080)
    );
    assert_eq!(split_host_port("[::1]:5070").unwrap(), ("::1".into(), 5070));
    assert_eq!(split_host_port("[::1]").unwrap(), ("::1".into(), 5060));
    assert_eq!(split_host_port("::1").unwrap(), ("::1".into(), 5060));
    assert_eq!(split_host_port("sip:h:1").unwrap(), ("h".into(), 1));
    for bad in ["", "h:x", "h:70000", "[::1", ":5060", "[::1]x"] {
        assert!(split_host_port(bad).is_err(), "{bad}");
    }
}

#[test]
fn request_is_well_formed() {
    let d = Dialog {
        call_id: "cid@x".into(),
        from_tag: "ft".into(),
        cseq: 7,
    };
    let spec = RequestSpec {
        method: rsip::Method::Register,
        ruri_host: "::1",
        ruri_port: Some(5070),
        aor_user: Some("1001"),
        aor_host: "sipdoctor.lab",
        local: "[::1]:40000".parse().unwrap(),
        transport: Transport::Tcp,
        branch: "z9hG4bKabc",
        expires: Some(0),
        contact_user: Some("1001"),
        auth: vec![(AuthKind::Proxy, "Digest username=\"1001\"".into())],
    };
    let (line, bytes) = build_request(&d, &spec);
    assert_eq!(line, "REGISTER sip:[::1]:5070");
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.ends_with("\r\n\r\n"), "{text:?}");
    let (start, headers, body, problems) = parse_datagram(&bytes).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(body.is_empty());
    assert_eq!(
        start,
        StartLine::Request {
            method: "REGISTER".into(),
            uri: "sip:[::1]:5070".into()
        }
    );
    let h = |n: &str| {
        headers
            .iter()
            .find(|h| header_is(&h.name, n))
            .map(|h| h.value.clone())
            .unwrap_or_else(|| panic!("{n} missing in {text}"))
    };
    assert_eq!(h("via"), "SIP/2.0/TCP [::1]:40000;branch=z9hG4bKabc;rport");
    assert_eq!(h("from"), "<sip:1001@sipdoctor.lab>;tag=ft");
    assert_eq!(h("to"), "<sip:1001@sipdoctor.lab>");
    assert_eq!(h("call-id"), "cid@x");
    assert_eq!(h("cseq"), "7 REGISTER");
    assert_eq!(h("contact"), "<sip:1001@[::1]:40000;transport=TCP>");
    assert_eq!(h("expires"), "0");
    assert_eq!(h("max-forwards"), "70");
    assert_eq!(h("proxy-authorization"), "Digest username=\"1001\"");
    assert_eq!(h("content-length"), "0");
}

#[test]
fn transaction_matching() {
    let r = |via: &str, cseq: &str| Response {
        code: 200,
        reason: "OK".into(),
        headers: vec![
            Header {
                name: "v".into(),
                value: via.into(),
            },
            Header {
                name: "CSeq".into(),
                value: cseq.into(),
            },
        ],
    };
    assert!(matches_transaction(
        &r("SIP/2.0/UDP a;branch=z9hG4bK1;rport=5", "3 REGISTER"),
        "z9hG4bK1",
        3
    ));
    assert!(!matches_transaction(
        &r("SIP/2.0/UDP a;branch=z9hG4bK2", "3 REGISTER"),
        "z9hG4bK1",
        3
    ));
    assert!(!matches_transaction(
        &r("SIP/2.0/UDP a;branch=z9hG4bK1", "2 REGISTER"),
        "z9hG4bK1",
        3
    ));
}

#[test]
fn redirect_contact() {
    let resp = Response {
        code: 302,
        reason: "Moved".into(),
        headers: vec![Header {
            name: "Contact".into(),
            value: "<sip:1001@127.0.0.1:5080;transport=tcp>;q=0.5, <sip:x@y>".into(),
        }],
    };
    assert_eq!(
        redirect_target(&resp, Transport::Udp).unwrap(),
        ("127.0.0.1".into(), 5080, Transport::Tcp)
    );
    let resp = Response {
        code: 302,
        reason: "Moved".into(),
        headers: vec![Header {
            name: "m".into(),
            value: "sips:h".into(),
        }],
    };
    assert!(redirect_target(&resp, Transport::Udp).is_err());
}

#[test]
fn dns_failure_is_an_error_verdict() {
    // ".invalid" never resolves (RFC 6761 6.4); no packet leaves the machine.
    let opts = ProbeOptions::new("pbx.sipdoctor.invalid", Transport::Udp, "1001");
    let r = register(&opts, &Secret::password("x"), &mut |_| {});
    assert_eq!(r.verdict, Verdict::Error);
    assert!(r.message.contains("DNS failure"), "{}", r.message);
    assert_eq!(r.packets_sent, 0);
    assert!(r.ladder.is_empty());
}

#[test]
fn bad_input_is_an_error_verdict() {
    let mut opts = ProbeOptions::new("h:99999", Transport::Udp, "1001");
    let r = register(&opts, &Secret::password("x"), &mut |_| {});
    assert_eq!(r.verdict, Verdict::Error);
    opts.server = "127.0.0.1".into();
    opts.user = "a b".into();
    let r = register(&opts, &Secret::password("x"), &mut |_| {});
    assert_eq!(r.verdict, Verdict::Error);
    assert_eq!(r.packets_sent, 0);
}

fn report_with(v: Verdict) -> ProbeReport {
    ProbeReport {
        verdict: v,
        ladder: vec![],
        server_addr: None,
        transport: Transport::Udp,
        message: String::new(),
        message_text: None,
        algorithm: None,
        unregistered: None,
        status: None,
        packets_sent: 0,
        elapsed_ms: 0,
    }
}

#[test]
fn comparison_sentences() {
    let s = compare_with_capture(
        &report_with(Verdict::Registered),
        Some(Outcome::Rechallenged),
    )
    .unwrap();
    assert!(s.starts_with("The app registers with these credentials, the phone does not: the phone's settings differ"), "{s}");
    let s = compare_with_capture(
        &report_with(Verdict::WrongCredentials),
        Some(Outcome::Accepted),
    )
    .unwrap();
    assert!(
        s.starts_with("The phone registers, the app does not"),
        "{s}"
    );
    let s = compare_with_capture(
        &report_with(Verdict::WrongCredentials),
        Some(Outcome::Rechallenged),
    )
    .unwrap();
    assert!(s.contains("Both") && s.contains("credentials"), "{s}");
    let s =
        compare_with_capture(&report_with(Verdict::Forbidden), Some(Outcome::Rejected)).unwrap();
    assert!(s.contains("server side"), "{s}");
    assert!(compare_with_capture(&report_with(Verdict::Registered), None).is_none());
    assert!(compare_with_capture(&report_with(Verdict::Error), Some(Outcome::Accepted)).is_none());
    // Every outcome of the phone is compared (the type leaves no unknown name).
    for o in Outcome::ALL {
        assert!(compare_with_capture(&report_with(Verdict::Registered), Some(o)).is_some());
    }
    let ok: Vec<Outcome> = Outcome::ALL
        .into_iter()
        .filter(|&o| {
            compare_with_capture(&report_with(Verdict::Registered), Some(o))
                .is_some_and(|s| s.starts_with("Both"))
        })
        .collect();
    assert_eq!(ok, [Outcome::Accepted, Outcome::Recovered]);
}

#[test]
fn verdict_names() {
    for v in [
        Verdict::Registered,
        Verdict::WrongCredentials,
        Verdict::Forbidden,
        Verdict::NoAnswer,
        Verdict::Unreachable,
        Verdict::Error,
        Verdict::Answered,
    ] {
        assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
    }
}

#[test]
fn tls_is_a_typed_input_error() {
    let opts = ProbeOptions::new("127.0.0.1", Transport::Tls, "1001");
    assert_eq!(
        opts.validate(true),
        Err(InputError::UnsupportedTransport(Transport::Tls))
    );
    let r = register(&opts, &Secret::password("x"), &mut |_| {});
    assert_eq!(r.verdict, Verdict::Error);
    assert_eq!(r.packets_sent, 0);
    assert_eq!(r.transport, Transport::Tls);
    assert!(r.message.contains("not TLS"), "{}", r.message);
    let r = options_ping(&opts, &mut |_| {});
    assert_eq!((r.verdict, r.packets_sent), (Verdict::Error, 0));
    // The other checks still give their own message.
    let opts = ProbeOptions::new("", Transport::Udp, "1001");
    assert!(matches!(opts.validate(true), Err(InputError::Invalid(_))));
}

fn target(host: &str, port: u16, transport: Transport) -> Target {
    Target {
        host: host.into(),
        port,
        addr: SocketAddr::new("127.0.0.1".parse().unwrap(), port),
        transport,
    }
}

#[test]
fn register_addressing() {
    let mut opts = ProbeOptions::new("pbx.example:5080", Transport::Udp, "1001");
    let s = Session::new(&opts);
    let a = s.addressing(&target("pbx.example", 5080, Transport::Udp));
    assert_eq!(
        (a.domain.as_str(), a.ruri_host.as_str(), a.ruri_port),
        ("pbx.example", "pbx.example", Some(5080))
    );
    assert_eq!(a.ruri_text, "sip:pbx.example:5080");
    let a = s.addressing(&target("::1", 5060, Transport::Udp));
    assert_eq!((a.ruri_text.as_str(), a.ruri_port), ("sip:[::1]", None));
    // An explicit domain is the Request-URI; the typed server is the outbound proxy.
    opts.domain = Some("sip.example".into());
    let s = Session::new(&opts);
    let a = s.addressing(&target("10.0.0.1", 5080, Transport::Udp));
    assert_eq!(a.ruri_text, "sip:sip.example");
    assert_eq!(a.domain, "sip.example");
    // A blank domain is no domain.
    opts.domain = Some("  ".into());
    let s = Session::new(&opts);
    let a = s.addressing(&target("10.0.0.1", 5080, Transport::Udp));
    assert_eq!(a.ruri_text, "sip:10.0.0.1:5080");
}

#[test]
fn phase_steps_texts() {
    assert_eq!(
        register_detail(3, 0, &[]),
        "CSeq 3 REGISTER, Expires: 0, no credentials"
    );
    assert_eq!(
        register_detail(2, 60, &["A".into(), "B".into()]),
        "CSeq 2 REGISTER, Expires: 60, A, B"
    );
    let why = |t| match tx_failure(TxEnd::Refused, t, 1) {
        PhaseEnd::Unreachable(w) => w,
        _ => panic!("not unreachable"),
    };
    assert_eq!(why(Transport::Udp), "ICMP port unreachable came back");
    assert_eq!(why(Transport::Tcp), "the server reset the connection");
    assert!(matches!(
        tx_failure(TxEnd::PacketCap, Transport::Udp, 20),
        PhaseEnd::Error(m, None) if m == "stopped after 20 packets (safety limit)"
    ));
    let t = target("h", 5060, Transport::Tcp);
    assert!(no_answer_message(&t, 80, 1, true).contains("only provisionally"));
    assert!(
        no_answer_message(&t, 80, 3, false).contains("over TCP after 3 transmission(s) in 80 ms")
    );
    let offered = ch(r#"Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth", stale=true"#);
    let chosen = choose_challenge(&offered, AuthKind::Www);
    assert_eq!(
        challenge_detail(&chosen, 2),
        "challenge: realm=\"r\" algorithm=SHA-256 qop=auth stale=true (topmost supported of 2 offered)"
    );
}

#[test]
fn redirect_to_tls_or_unknown_transport_is_refused() {
    for (contact, want) in [
        ("<sip:h:5061;transport=tls>", Err("transport tls")),
        ("<sip:h;transport=SCTP>", Err("transport SCTP")),
        ("<sip:h;transport=UDP>", Ok(Transport::Udp)),
        ("<sip:h>", Ok(Transport::Tcp)),
    ] {
        let resp = Response {
            code: 302,
            reason: "Moved".into(),
            headers: vec![Header {
                name: "Contact".into(),
                value: contact.into(),
            }],
        };
        match (redirect_target(&resp, Transport::Tcp), want) {
            (Ok((_, _, t)), Ok(w)) => assert_eq!(t, w, "{contact}"),
            (Err(e), Err(w)) => assert!(e.contains(w), "{contact}: {e}"),
            (got, w) => panic!("{contact}: {got:?}, want {w:?}"),
        }
    }
}
