//! The six fuzzed surfaces, shared by the cargo-fuzz targets (`fuzz_targets/*.rs`) and the
//! deterministic mutation test of `cargo test` (`tests/integration/mutation.rs`), so both
//! exercise exactly the same code. Each function takes arbitrary bytes and must return
//! without panicking, hanging or growing memory without bound; it also checks the
//! invariants that hold for any input.
#![allow(dead_code)]

use std::io::Cursor;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use sipdoctor::capture::{PacketStream, Payload, Skips, Transport};
use sipdoctor::checks::{clock, fail2ban, serverlog};
use sipdoctor::kb::Lang;
use sipdoctor::secret::Secret;
use sipdoctor::sip::{self, Scanner, auth};
use sipdoctor::verify::{self, CapturedAuth, Expectation};
use sipdoctor::{analysis, report, textsafe};

/// The text of a report has no raw control character but line feeds and tabs.
fn assert_safe(what: &str, s: &str) {
    assert!(
        !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{what} holds a raw control character"
    );
}

/// Surface 1: The whole pipeline from bytes: a capture read from memory, analysed, every output made.
pub fn pipeline(data: &[u8]) {
    let Ok(stream) = PacketStream::from_reader(
        Box::new(Cursor::new(data.to_vec())),
        Path::new("fuzz.pcap"),
        Some(data.len() as u64),
    ) else {
        return;
    };
    let cancel = AtomicBool::new(false);
    let Ok(mut a) = analysis::analyze_stream(stream, "fuzz.pcap", &mut |_| {}, &cancel) else {
        return;
    };
    a.verify_with(&Secret::password("fuzz-secret"), &Expectation::default());
    let _ = report::analysis_json(&a);
    let _ = report::flows_json(&a);
    assert_safe(
        "analysis text",
        &textsafe::terminal(&report::analysis_text(&a, Lang::En)),
    );
    assert_safe("flows text", &textsafe::terminal(&report::flows_text(&a)));
    assert_safe("markdown", &report::markdown(&a, Lang::Zh));
    assert_safe("html", &report::html(&a, Lang::Vi));
}

fn addr(s: &str) -> SocketAddr {
    s.parse().expect("address")
}

/// Surface 2: The SIP scanner: the bytes as one UDP datagram, and as a TCP stream cut into segments
/// whose sizes come from the first byte.
pub fn sip_scanner(data: &[u8]) {
    let _ = sip::parse_datagram(data);
    let _ = sip::looks_like_sip_start(data);
    let mut sc = Scanner::new();
    let mut skips = Skips::default();
    let payload = |frame: u64, bytes: &[u8], transport| Payload {
        frame,
        frames: vec![frame].into(),
        ts: frame as i64,
        src: addr("192.0.2.10:5060"),
        dst: addr("192.0.2.1:5060"),
        transport,
        data: bytes.to_vec(),
        at: None,
    };
    let _ = sc.datagram(payload(0, data, Transport::Udp), &mut skips);
    let seg = usize::from(data.first().copied().unwrap_or(1)).max(1);
    let mut total = 0usize;
    for (i, chunk) in data.chunks(seg).enumerate() {
        let gap = i > 0 && chunk.first() == Some(&0xff);
        for m in sc.tcp(
            payload(i as u64 + 1, chunk, Transport::Tcp),
            gap,
            &mut skips,
        ) {
            total += m.raw().len as usize;
            assert!(m.headers.len() <= sip::MAX_HEADERS);
            let _ = (
                m.call_id(),
                m.cseq(),
                m.via_branch(),
                m.from_user(),
                m.summary(),
            );
        }
    }
    assert!(
        total <= data.len(),
        "messages hold more bytes than were fed"
    );
    // Linear: the header end search looks at each byte a bounded number of times.
    let work = sc.work();
    let segments = data.len().div_ceil(seg) as u64;
    assert!(work.header_bytes_scanned <= data.len() as u64 + 3 * segments + 3);
    sc.finish(&mut skips);
}

/// Surface 3: The auth header tokenizer.
pub fn auth_headers(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(cs) = auth::parse_challenges(&s) {
        assert!(!cs.is_empty() && cs.len() <= sip::MAX_CHALLENGES_PER_HEADER);
        for c in &cs {
            let _ = (
                c.realm(),
                c.nonce(),
                c.qop_options(),
                c.stale(),
                c.username(),
            );
        }
    }
    if let Err(e) = auth::parse_credentials(&s) {
        assert!(e.offset <= s.len());
    }
    let _ = auth::decode_ext_value(&s);
    let _ = auth::challenges_over_limit(&s);
}

/// Surface 4: Verify: `secret \n credentials \n challenge \n method SP uri \n body`.
pub fn verify(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let mut parts = s.splitn(5, '\n');
    let secret = parts.next().unwrap_or("");
    let Some(Ok(credentials)) = parts.next().map(auth::parse_credentials) else {
        return;
    };
    let challenge = parts
        .next()
        .and_then(|c| auth::parse_challenges(c).ok())
        .and_then(|mut c| (!c.is_empty()).then(|| c.remove(0)));
    let line = parts.next().unwrap_or("REGISTER sip:x");
    let (method, uri) = line.split_once(' ').unwrap_or((line, ""));
    let body = parts.next().unwrap_or("").as_bytes().to_vec();
    let c = CapturedAuth {
        frame: 1,
        method: method.to_string(),
        cseq_method: method.to_string(),
        request_uri: uri.to_string(),
        from_user: credentials.username(),
        to_user: None,
        header: "Authorization".into(),
        credentials,
        challenge: challenge.clone().map(|c| (0, c)),
        earlier_challenges: challenge.into_iter().map(|c| (0, c)).collect(),
        body,
    };
    let expect = Expectation {
        username: Some("1001".into()),
        realm: Some(uri.to_string()),
        domain: None,
    };
    // The secret never appears in what is shown: it carries a marker no fixed word and (when
    // the input does not hold it) no captured value contains.
    const MARK: &str = "\u{1f512}Zq9#";
    let typed = format!("{secret}{MARK}");
    for secret in [Secret::password(typed.clone()), Secret::ha1(typed)] {
        let v = verify::verify(&c, &secret, &expect);
        if !s.contains(MARK) {
            for line in std::iter::once(&v.explanation).chain(&v.detail) {
                assert!(!line.contains(MARK), "the secret is shown: {line}");
            }
        }
    }
}

/// Surface 5: The pasted-text checks, with a ban policy from the first bytes.
pub fn checks(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(st) = fail2ban::parse(&s) {
        let _ = fail2ban::find_ip(&st, "192.0.2.10".parse().expect("ip"));
    }
    if let Ok(c) = clock::parse(&s) {
        let _ = (c.summary(), c.is_problem());
    }
    if let Ok(r) = serverlog::parse(&s) {
        let b = |i: usize| data.get(i).copied().unwrap_or(0);
        let policy = serverlog::BanPolicy {
            maxretry: u32::from(b(0)),
            findtime_s: i64::from_le_bytes([b(1), b(2), b(3), b(4), b(5), b(6), b(7), b(8)]),
            bantime_s: i64::from_le_bytes([b(9), b(10), b(11), b(12), b(13), b(14), b(15), b(16)]),
        };
        for p in [policy, serverlog::BanPolicy::default()] {
            for a in serverlog::simulate(&r, &p) {
                assert!(a.accounts.len() <= sipdoctor::limits::MAX_LISTED_PER_ADDRESS);
                let _ = a.sentence(&p);
            }
        }
    }
}

/// Surface 6: Knowledge-base matching of pasted text.
pub fn kb(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    for (score, _) in sipdoctor::kb::match_text(&s) {
        assert!(score.is_finite() && score > 0.0);
    }
}
