//! Unit tests of single rules on hand-written messages (the lab captures in tests/integration
//! prove the rules on real traffic; these pin rules the lab cannot produce on loopback).

use super::server::ServerKind;
use super::servers;
use super::testutil::*;

#[test]
fn private_contact_behind_nat_is_flagged_and_not_without_nat() {
    let r = register(1, "z9hG4bK1", "192.168.1.20", "");
    let ok = response("200 OK", 1, "z9hG4bK1", "");
    let a = analysis(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &ok)]);
    assert!(
        codes(&a).contains(&"nat-private-contact"),
        "{:?}",
        codes(&a)
    );
    let r = register(1, "z9hG4bK1", "203.0.113.5", "");
    let a = analysis(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &ok)]);
    assert!(!codes(&a).contains(&"nat-private-contact"));
}

#[test]
fn asterisk_nonce_answered_after_its_lifetime() {
    let nonce = "1700000000/0123456789abcdef0123456789abcdef";
    let chal = format!(
        "WWW-Authenticate: Digest realm=\"asterisk\", nonce=\"{nonce}\", algorithm=MD5\n\
         Server: Asterisk PBX 20.5.0\n"
    );
    let auth = format!(
        "Authorization: Digest username=\"1001\", realm=\"asterisk\", nonce=\"{nonce}\", \
         uri=\"sip:pbx.example\", response=\"0123456789abcdef0123456789abcdef\"\n"
    );
    let msgs = [
        register(1, "z9hG4bK1", "203.0.113.5", ""),
        response("401 Unauthorized", 1, "z9hG4bK1", &chal),
        register(2, "z9hG4bK2", "203.0.113.5", &auth),
        response("401 Unauthorized", 2, "z9hG4bK2", &chal),
    ];
    // Answered 40 s after the challenge: PJSIP nonces live 32 s by default.
    let a = analysis(&[
        (PHONE, PBX, 0, &msgs[0]),
        (PBX, PHONE, 5, &msgs[1]),
        (PHONE, PBX, 40_005, &msgs[2]),
        (PBX, PHONE, 40_010, &msgs[3]),
    ]);
    let f = a
        .findings
        .iter()
        .find(|f| f.code == "stale-nonce")
        .expect("stale-nonce");
    assert!(
        f.title.contains("older than the server keeps it"),
        "{}",
        f.title
    );
    assert_eq!(servers(&a)[0].kind, ServerKind::AsteriskPjsip);
    // Answered at once: no such finding.
    let a = analysis(&[
        (PHONE, PBX, 0, &msgs[0]),
        (PBX, PHONE, 5, &msgs[1]),
        (PHONE, PBX, 10, &msgs[2]),
        (PBX, PHONE, 15, &msgs[3]),
    ]);
    assert!(!codes(&a).contains(&"stale-nonce"), "{:?}", codes(&a));
    // The server's own clock, read from the nonce, agrees with the capture (no skew).
    assert!(!codes(&a).contains(&"clock-skew"));
}

#[test]
fn a_407_answered_with_authorization_is_the_wrong_header() {
    let chal = "Proxy-Authenticate: Digest realm=\"x\", nonce=\"n1\"\n";
    let auth = "Authorization: Digest username=\"1001\", realm=\"x\", nonce=\"n1\", \
                uri=\"sip:pbx.example\", response=\"0123456789abcdef0123456789abcdef\"\n";
    let required = "407 Proxy Authentication Required";
    let a = diagnosed(two_attempts(required, chal, auth, required, chal));
    assert_eq!(
        a.findings[0].code,
        "proxy-auth-wrong-header",
        "{:?}",
        codes(&a)
    );
}

#[test]
fn freeswitch_403_after_auth_names_the_password_first() {
    let chal = "WWW-Authenticate: Digest realm=\"x\", nonce=\"8c3b4a2e-1f0a-4b5c-9d6e-7f8091a2b3c4\"\nServer: FreeSWITCH-mod_sofia/1.10.9\n";
    let auth = "Authorization: Digest username=\"1001\", realm=\"x\", \
                nonce=\"8c3b4a2e-1f0a-4b5c-9d6e-7f8091a2b3c4\", uri=\"sip:pbx.example\", \
                response=\"0123456789abcdef0123456789abcdef\"\n";
    let server = "Server: FreeSWITCH-mod_sofia/1.10.9\n";
    let a = diagnosed(two_attempts(
        "401 Unauthorized",
        chal,
        auth,
        "403 Forbidden",
        server,
    ));
    let f = &a.findings[0];
    assert_eq!(f.code, "forbidden-after-auth");
    assert!(
        f.explanation
            .contains("FreeSWITCH answers a wrong password with 403")
    );
    // One 403 after one refusal is no ban.
    assert!(!codes(&a).contains(&"brute-force-block"));
}

#[test]
fn the_borrowed_username_is_the_parsed_one() {
    for v in [
        "Digest username=\"1001\", realm=\"x\"",
        "Digest realm=\"x\", USERNAME=\"a\", username=\"b\"",
        "Digest username*=UTF-8''J%C3%A4s%C3%B8n, username=\"plain\"",
        "Digest username*=broken, username=\"plain\"",
        "Digest realm=\"x\"",
    ] {
        let c = crate::sip::auth::pack_credentials(v).expect("parses");
        assert_eq!(
            super::username_of(&c).map(|u| u.into_owned()),
            c.username(),
            "{v}"
        );
    }
}

/// The diagnosis in two halves (every rule but the clock's, then the clock's on readings
/// read once) finds what the whole one finds, and the steps given those readings are the
/// steps that read the clock themselves: on every lab capture, with clocks off and not.
#[test]
fn the_diagnosis_and_steps_given_the_clock_readings_are_the_whole_ones() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pcap") || n.ends_with(".pcapng"))
        .collect();
    names.sort();
    let mut skewed = 0;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    for name in &names {
        // The captures that do not read (bad magic, empty) have nothing to diagnose.
        let Ok(a) = crate::analysis::analyze_file(&dir.join(name), &mut |_| {}, &cancel) else {
            continue;
        };
        let clock = super::clock_readings(&a);
        let halves = super::diagnose_but_clock(&a).finish(&a, &clock);
        assert_eq!(
            format!("{halves:?}"),
            format!("{:?}", super::diagnose(&a)),
            "{name}"
        );
        let view = |s: &[super::StepReport]| {
            s.iter()
                .map(|x| (x.verdict, x.summary.clone(), x.findings.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            view(&super::steps_given(&a, &clock)),
            view(&super::steps(&a)),
            "{name}"
        );
        skewed += usize::from(a.findings.iter().any(|f| f.code.as_str() == "clock-skew"));
    }
    assert!(
        names.len() > 20 && skewed > 0,
        "{} captures, {skewed} with a skew",
        names.len()
    );
}
