//! Builders for the rules' unit tests: hand-written messages (for what the lab cannot produce
//! on loopback) and the real lab captures of `tests/fixtures`.

pub use crate::testutil::fixture;

use crate::capture::{Payload, Skips, Transport};
use crate::model::Analysis;
use crate::sip::Scanner;

/// A lab capture whose responses carry another `Server` header (a scripted server of another
/// kind answering exactly as the lab's Kamailio did), not yet re-diagnosed.
pub fn server_rewritten(name: &str, server: &str) -> Analysis {
    let mut a = fixture(name);
    for m in a.messages.iter_mut().filter(|m| !m.is_request()) {
        m.headers.map_values(|h| {
            if h.name.eq_ignore_ascii_case("server") {
                server.into()
            } else {
                h.value.to_sym()
            }
        });
    }
    a
}

/// (source, destination, milliseconds, message text with `\n` line ends), diagnosed.
pub fn analysis(msgs: &[(&str, &str, i64, &str)]) -> Analysis {
    diagnosed(undiagnosed(msgs))
}

/// Run every rule over a built analysis.
pub fn diagnosed(mut a: Analysis) -> Analysis {
    a.findings = super::diagnose(&a);
    a
}

/// REGISTER, `first` (with `chal`), REGISTER with `auth`, then `last` (with `last_extra`), 5 ms
/// apart, not yet diagnosed.
pub fn two_attempts(first: &str, chal: &str, auth: &str, last: &str, last_extra: &str) -> Analysis {
    undiagnosed(&[
        (PHONE, PBX, 0, &register(1, "z9hG4bK1", "203.0.113.5", "")),
        (PBX, PHONE, 5, &response(first, 1, "z9hG4bK1", chal)),
        (
            PHONE,
            PBX,
            10,
            &register(2, "z9hG4bK2", "203.0.113.5", auth),
        ),
        (PBX, PHONE, 15, &response(last, 2, "z9hG4bK2", last_extra)),
    ])
}

/// The same, without running the rules (to run one rule alone).
pub fn undiagnosed(msgs: &[(&str, &str, i64, &str)]) -> Analysis {
    let mut sc = Scanner::new();
    let mut skips = Skips::default();
    let mut messages = Vec::new();
    for (i, (src, dst, ms, text)) in msgs.iter().enumerate() {
        let p = Payload {
            frame: i as u64 + 1,
            frames: vec![i as u64 + 1].into(),
            ts: 1_700_000_000_000_000_000 + ms * 1_000_000,
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            transport: Transport::Udp,
            data: text.replace('\n', "\r\n").into_bytes(),
            at: None,
        };
        messages.push(sc.datagram(p, &mut skips).expect("SIP"));
    }
    let mut icmp = Vec::new();
    let g = crate::transaction::group(&messages, &mut icmp);
    Analysis {
        file: "unit".into(),
        format: "pcap".into(),
        link_types: vec![],
        frames: msgs.len() as u64,
        bytes: 0,
        first_ts: messages.first().map(|m| m.ts),
        last_ts: messages.last().map(|m| m.ts),
        messages,
        roles: g.roles,
        exchanges: g.exchanges,
        icmp,
        tls: vec![],
        skips,
        verifications: vec![],
        findings: vec![],
        accounts: vec![],
        raw: sc.into_raw_source(None),
    }
}

/// Run one rule alone on a capture and return the codes it found, in rank order.
pub fn run_rule(
    a: &Analysis,
    rule: impl Fn(&super::Ctx, &mut super::Collector),
) -> Vec<super::Finding> {
    let ctx = super::Ctx::new(a);
    let mut c = super::Collector::default();
    rule(&ctx, &mut c);
    c.into_sorted()
}

pub const PHONE: &str = "203.0.113.5:5060";
pub const PBX: &str = "198.51.100.1:5060";

pub fn register(cseq: u32, branch: &str, contact: &str, auth: &str) -> String {
    format!(
        "REGISTER sip:pbx.example SIP/2.0\nVia: SIP/2.0/UDP 203.0.113.5;branch={branch}\n\
         From: <sip:1001@pbx.example>;tag=a\nTo: <sip:1001@pbx.example>\nCall-ID: c1\n\
         CSeq: {cseq} REGISTER\nContact: <sip:1001@{contact}:5060>\n{auth}Content-Length: 0\n\n"
    )
}

pub fn response(status: &str, cseq: u32, branch: &str, extra: &str) -> String {
    format!(
        "SIP/2.0 {status}\nVia: SIP/2.0/UDP 203.0.113.5;branch={branch}\n\
         From: <sip:1001@pbx.example>;tag=a\nTo: <sip:1001@pbx.example>;tag=s\nCall-ID: c1\n\
         CSeq: {cseq} REGISTER\n{extra}Content-Length: 0\n\n"
    )
}

pub fn codes(a: &Analysis) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.code.as_str()).collect()
}

/// The wire names of findings.
pub fn names(fs: &[super::Finding]) -> Vec<&'static str> {
    fs.iter().map(|f| f.code.as_str()).collect()
}
