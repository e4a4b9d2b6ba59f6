//! Issue 12 item 5: hostile capture files, generated here (nothing large is committed), fed
//! through the public API. Each case must end in a clear error or in counted skips with their
//! wire names, never a panic; for the floods, two input sizes are compared and the work per
//! input byte (counts from the scanner and the capture layer, never wall time) must not grow.

use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use sipdoctor::analysis::{Analysis, analyze_stream};
use sipdoctor::capture::{Event, PacketStream, Skips};
use sipdoctor::sip::{ScanWork, Scanner};

// ---------------------------------------------------------------------------------------------
// The generator: pcap / pcapng files of Ethernet + IPv4 + UDP/TCP frames.
// ---------------------------------------------------------------------------------------------

const CLIENT: [u8; 4] = [192, 0, 2, 10];
const SERVER: [u8; 4] = [192, 0, 2, 1];

fn ipv4_checksum(h: &[u8]) -> u16 {
    let mut sum: u32 = h
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Ethernet + IPv4 (no options) around `l4`; `frag` is the flags/fragment-offset field.
fn eth_ipv4(proto: u8, id: u16, frag: u16, l4: &[u8]) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00];
    let total = u16::try_from(20 + l4.len()).expect("IPv4 packet over 64 KiB");
    let mut ip = vec![0x45, 0];
    ip.extend_from_slice(&total.to_be_bytes());
    ip.extend_from_slice(&id.to_be_bytes());
    ip.extend_from_slice(&frag.to_be_bytes());
    ip.extend_from_slice(&[64, proto, 0, 0]);
    ip.extend_from_slice(&CLIENT);
    ip.extend_from_slice(&SERVER);
    let c = ipv4_checksum(&ip);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    f.extend_from_slice(&ip);
    f.extend_from_slice(l4);
    f
}

/// A UDP frame (checksum 0 = none, RFC 768).
fn udp_frame(payload: &[u8]) -> Vec<u8> {
    let mut u = Vec::new();
    u.extend_from_slice(&5060u16.to_be_bytes());
    u.extend_from_slice(&5060u16.to_be_bytes());
    u.extend_from_slice(&u16::try_from(8 + payload.len()).unwrap().to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    eth_ipv4(17, 1, 0x4000, &u)
}

/// A TCP segment client:40000 -> server:5060 with ACK|PSH at `seq`.
fn tcp_frame(seq: u32, payload: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(&40000u16.to_be_bytes());
    t.extend_from_slice(&5060u16.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&1u32.to_be_bytes());
    t.extend_from_slice(&[0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend_from_slice(payload);
    eth_ipv4(6, 2, 0x4000, &t)
}

/// `msg` over TCP in segments of `seg` bytes, sequence numbers from 1000.
fn tcp_frames(msg: &[u8], seg: usize) -> Vec<Vec<u8>> {
    let mut seq = 1000u32;
    msg.chunks(seg)
        .map(|c| {
            let f = tcp_frame(seq, c);
            seq = seq.wrapping_add(c.len() as u32);
            f
        })
        .collect()
}

fn pcap_header() -> Vec<u8> {
    let mut f = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&262_144u32.to_le_bytes());
    f.extend_from_slice(&1u32.to_le_bytes());
    f
}

/// A pcap record header: `incl` bytes captured (what follows), `orig` on the wire.
fn pcap_record_header(n: u32, incl: u32, orig: u32) -> Vec<u8> {
    let mut r = Vec::new();
    r.extend_from_slice(&(1_700_000_000 + n).to_le_bytes());
    r.extend_from_slice(&0u32.to_le_bytes());
    r.extend_from_slice(&incl.to_le_bytes());
    r.extend_from_slice(&orig.to_le_bytes());
    r
}

/// A classic little-endian pcap (Ethernet) holding `frames`.
fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut f = pcap_header();
    for (n, d) in frames.iter().enumerate() {
        let len = d.len() as u32;
        f.extend_from_slice(&pcap_record_header(n as u32, len, len));
        f.extend_from_slice(d);
    }
    f
}

/// A pcapng block: type, total length, body padded to 4, total length.
fn ng_block(kind: u32, body: &[u8]) -> Vec<u8> {
    let pad = (4 - body.len() % 4) % 4;
    let total = (12 + body.len() + pad) as u32;
    let mut b = Vec::new();
    b.extend_from_slice(&kind.to_le_bytes());
    b.extend_from_slice(&total.to_le_bytes());
    b.extend_from_slice(body);
    b.extend_from_slice(&vec![0; pad]);
    b.extend_from_slice(&total.to_le_bytes());
    b
}

fn ng_shb() -> Vec<u8> {
    let mut body = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
    body.extend_from_slice(&[1, 0, 0, 0]);
    body.extend_from_slice(&u64::MAX.to_le_bytes());
    ng_block(0x0A0D_0D0A, &body)
}

fn ng_idb() -> Vec<u8> {
    let mut body = vec![1, 0, 0, 0];
    body.extend_from_slice(&262_144u32.to_le_bytes());
    ng_block(1, &body)
}

fn ng_epb(iface: u32, data: &[u8]) -> Vec<u8> {
    let mut body = iface.to_le_bytes().to_vec();
    body.extend_from_slice(&[0; 8]);
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(data);
    ng_block(6, &body)
}

/// The first SIP REGISTER (the UDP payload) of a real lab capture.
fn lab_register() -> Vec<u8> {
    let file = std::fs::read(crate::fixtures().join("02-register-wrong-password.pcap")).unwrap();
    assert_eq!(&file[20..24], &1u32.to_le_bytes(), "an Ethernet pcap");
    let mut at = 24;
    while at + 16 <= file.len() {
        let incl = u32::from_le_bytes(file[at + 8..at + 12].try_into().unwrap()) as usize;
        let data = &file[at + 16..at + 16 + incl];
        at += 16 + incl;
        let ihl = usize::from(data[14] & 0x0f) * 4;
        if data[12..14] == [0x08, 0x00] && data[14 + 9] == 17 {
            let payload = &data[14 + ihl + 8..];
            if payload.starts_with(b"REGISTER sip:") {
                return payload.to_vec();
            }
        }
    }
    panic!("no REGISTER in the fixture");
}

/// The lab REGISTER with `extra` inserted as header lines after its request line.
fn inflate(msg: &[u8], extra: &[u8]) -> Vec<u8> {
    let line_end = msg.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    let mut out = msg[..line_end].to_vec();
    out.extend_from_slice(extra);
    out.extend_from_slice(&msg[line_end..]);
    out
}

// ---------------------------------------------------------------------------------------------
// Running a file through the public API.
// ---------------------------------------------------------------------------------------------

fn stream(bytes: &[u8]) -> Result<PacketStream, sipdoctor::Error> {
    PacketStream::from_reader(
        Box::new(Cursor::new(bytes.to_vec())),
        Path::new("hostile.pcap"),
        Some(bytes.len() as u64),
    )
}

fn analyze(bytes: &[u8]) -> Result<Analysis, sipdoctor::Error> {
    let cancel = AtomicBool::new(false);
    analyze_stream(stream(bytes)?, "hostile.pcap", &mut |_| {}, &cancel)
}

/// What the scanner saw: messages, skips of both layers, frames, and its work counters.
struct Scan {
    messages: usize,
    skips: Skips,
    frames: u64,
    work: ScanWork,
}

/// The capture stream into a [`Scanner`] (the first two layers of `analyze_stream`), to read
/// the scanner's work counters.
fn scan(bytes: &[u8]) -> Scan {
    let mut s = stream(bytes).expect("the file opens");
    let mut sc = Scanner::new();
    let mut skips = Skips::default();
    let mut messages = 0;
    while let Some(ev) = s.next_event() {
        match ev {
            Event::Datagram(p) => messages += usize::from(sc.datagram(p, &mut skips).is_some()),
            Event::TcpData {
                payload,
                gap_before,
            } => messages += sc.tcp(payload, gap_before, &mut skips).len(),
            Event::TcpClosed { src, dst } => sc.tcp_closed(src, dst, &mut skips),
            _ => {}
        }
    }
    sc.finish(&mut skips);
    skips.merge(s.skips());
    Scan {
        messages,
        skips,
        frames: s.frames_read(),
        work: sc.work(),
    }
}

/// Skip counts as (wire name, count) pairs, for messages and exact comparisons.
fn counts(s: &Skips) -> Vec<(String, u64)> {
    s.counts.iter().map(|(r, n)| (r.to_string(), *n)).collect()
}

fn pairs(p: &[(&str, u64)]) -> Vec<(String, u64)> {
    p.iter().map(|(r, n)| (r.to_string(), *n)).collect()
}

/// Work per input byte at the larger size is not above the smaller size's (1% slack for the
/// fixed part of the file, headers and the lab message).
fn per_byte_not_growing(what: &str, small: (u64, usize), large: (u64, usize)) {
    let (ws, bs) = (small.0 as f64, small.1 as f64);
    let (wl, bl) = (large.0 as f64, large.1 as f64);
    assert!(bl >= 4.0 * bs, "{what}: the sizes must differ enough");
    assert!(
        wl / bl <= ws / bs * 1.01,
        "{what}: {wl} units for {bl} bytes against {ws} for {bs}"
    );
}

// ---------------------------------------------------------------------------------------------
// File framing.
// ---------------------------------------------------------------------------------------------

#[test]
fn truncated_record_headers_end_reading_with_a_count() {
    let reg = lab_register();
    let good = pcap(&[udp_frame(&reg)]);
    // Every cut inside the second record's 16-byte header (and inside its data).
    for cut in 1..16 + 20 {
        let mut f = good.clone();
        f.extend_from_slice(&pcap_record_header(1, 100, 100));
        f.extend_from_slice(&[0; 20]);
        f.truncate(good.len() + cut);
        let a = analyze(&f).unwrap_or_else(|e| panic!("cut {cut}: {e}"));
        assert_eq!(a.frames, 1, "cut {cut}");
        assert_eq!(a.messages.len(), 1, "cut {cut}");
        assert_eq!(a.skips.get("truncated-file"), 1, "cut {cut}: {:?}", a.skips);
    }
    // A file header cut short is an error that says what is wrong.
    for cut in 4..24 {
        let e = analyze(&good[..cut]).expect_err("a cut file header");
        let text = e.to_string();
        assert!(text.starts_with("hostile.pcap: "), "{text}");
        assert!(text.len() > "hostile.pcap: ".len() + 5, "{text}");
    }
}

#[test]
fn absurd_record_lengths_and_a_4gb_caplen_stop_as_corrupt() {
    let reg = lab_register();
    let good = pcap(&[udp_frame(&reg)]);
    for incl in [0x0200_0001u32, 0x7fff_ffff, 0xffff_ffff] {
        let mut f = good.clone();
        f.extend_from_slice(&pcap_record_header(1, incl, incl));
        f.extend_from_slice(&udp_frame(&reg));
        let a = analyze(&f).unwrap_or_else(|e| panic!("{incl:#x}: {e}"));
        assert_eq!(a.frames, 1, "{incl:#x}");
        assert_eq!(a.messages.len(), 1, "{incl:#x}");
        assert_eq!(
            counts(&a.skips),
            pairs(&[("corrupt-record", 1)]),
            "{incl:#x}"
        );
    }
    // A captured length above the snap length but plausible, and an original length of 4 GB:
    // the frame is what was captured.
    let mut f = pcap_header();
    let d = udp_frame(&reg);
    f.extend_from_slice(&pcap_record_header(0, d.len() as u32, u32::MAX));
    f.extend_from_slice(&d);
    let a = analyze(&f).expect("orig_len 4 GB");
    assert_eq!(a.messages.len(), 1);
    // A 4 GB snap length in the file header is only a declaration.
    let mut f = pcap(&[udp_frame(&reg)]);
    f[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    let a = analyze(&f).expect("snaplen 4 GB");
    assert_eq!(a.messages.len(), 1);
}

#[test]
fn pcapng_blocks_of_length_zero_and_4gb_stop_as_corrupt() {
    let reg = lab_register();
    let mut good = ng_shb();
    good.extend_from_slice(&ng_idb());
    good.extend_from_slice(&ng_epb(0, &udp_frame(&reg)));
    assert_eq!(analyze(&good).unwrap().messages.len(), 1);
    for len in [0u32, 4, 8, 13, 0xffff_fffc, 0xffff_ffff] {
        let mut f = good.clone();
        f.extend_from_slice(&6u32.to_le_bytes());
        f.extend_from_slice(&len.to_le_bytes());
        f.extend_from_slice(&[0; 32]);
        f.extend_from_slice(&ng_epb(0, &udp_frame(&reg)));
        let a = analyze(&f).unwrap_or_else(|e| panic!("block length {len:#x}: {e}"));
        assert_eq!(a.messages.len(), 1, "block length {len:#x}");
        let skipped = counts(&a.skips);
        assert_eq!(
            skipped,
            pairs(&[("corrupt-record", 1)]),
            "block length {len:#x}"
        );
    }
    // The same in the section header itself: an error, with the reason.
    for len in [0u32, 0xffff_ffff] {
        let mut f = good.clone();
        f[4..8].copy_from_slice(&len.to_le_bytes());
        let e = analyze(&f).expect_err("a broken section header");
        assert!(e.to_string().contains("pcapng section header"), "{e}");
    }
}

#[test]
fn ten_thousand_pcapng_interfaces() {
    let reg = lab_register();
    let mut f = ng_shb();
    for _ in 0..10_000 {
        f.extend_from_slice(&ng_idb());
    }
    f.extend_from_slice(&ng_epb(9_999, &udp_frame(&reg)));
    f.extend_from_slice(&ng_epb(10_000, &udp_frame(&reg)));
    let a = analyze(&f).expect("10,000 interfaces");
    assert_eq!(a.frames, 2);
    assert_eq!(a.messages.len(), 1);
    assert_eq!(a.link_types.len(), 1, "{:?}", a.link_types);
    assert_eq!(counts(&a.skips), pairs(&[("rejected-record", 1)]));
}

// ---------------------------------------------------------------------------------------------
// SIP over TCP.
// ---------------------------------------------------------------------------------------------

/// The lab REGISTER with `n` extra headers, over TCP in 1400-byte segments.
fn many_headers(n: usize) -> Vec<u8> {
    let extra: Vec<u8> = (0..n)
        .flat_map(|i| format!("X-Pad-{i:06}: {}\r\n", "a".repeat(8)).into_bytes())
        .collect();
    pcap(&tcp_frames(&inflate(&lab_register(), &extra), 1400))
}

#[test]
fn many_headers_over_tcp_are_capped_and_linear() {
    let (small, large) = (many_headers(1_500), many_headers(8_000));
    let (s, l) = (scan(&small), scan(&large));
    for (what, r) in [("1,500", &s), ("8,000", &l)] {
        assert_eq!(r.messages, 1, "{what}");
        assert_eq!(
            counts(&r.skips),
            pairs(&[("sip-too-many-headers", 1)]),
            "{what}"
        );
        assert_eq!(r.work.heads_parsed, 1, "{what}: {:?}", r.work);
        assert_eq!(r.work.bytes_moved, 0, "{what}: {:?}", r.work);
    }
    assert!(l.frames > 4 * s.frames);
    per_byte_not_growing(
        "header bytes scanned",
        (s.work.header_bytes_scanned, small.len()),
        (l.work.header_bytes_scanned, large.len()),
    );
    // The whole pipeline keeps the first MAX_HEADERS headers and says so on the message.
    let a = analyze(&large).unwrap();
    assert_eq!(a.messages.len(), 1);
    assert_eq!(a.messages[0].headers.len(), sipdoctor::limits::MAX_HEADERS);
    assert!(
        a.messages[0]
            .problems()
            .iter()
            .any(|p| p.contains("ignored")),
        "{:?}",
        a.messages[0].problems()
    );
}

#[test]
fn one_ten_megabyte_header_line_is_dropped_once() {
    let line = format!("X-Huge: {}\r\n", "b".repeat(10 << 20));
    let msg = inflate(&lab_register(), line.as_bytes());
    let file = pcap(&tcp_frames(&msg, 60_000));
    let r = scan(&file);
    assert_eq!(r.messages, 0);
    assert_eq!(r.skips.get("sip-header-too-large"), 1, "{:?}", r.skips);
    // After the reset the rest of the line cannot start a message: the direction is given up.
    assert_eq!(
        counts(&r.skips),
        pairs(&[("not-sip-tcp", 1), ("sip-header-too-large", 1)])
    );
    // Each byte is looked at about once until the limit, none after.
    assert!(
        r.work.header_bytes_scanned <= 2 * sipdoctor::limits::MAX_HEADER_BYTES as u64,
        "{:?}",
        r.work
    );
    assert_eq!(r.work.heads_parsed, 0);
    // Over UDP a 60 KB line still parses as one message.
    let line = format!("X-Huge: {}\r\n", "b".repeat(60_000));
    let a = analyze(&pcap(&[udp_frame(&inflate(
        &lab_register(),
        line.as_bytes(),
    ))]))
    .unwrap();
    assert_eq!(a.messages.len(), 1);
    assert_eq!(a.skips.total(), 0, "{:?}", a.skips);
}

#[test]
fn huge_content_lengths_are_refused_not_waited_for() {
    let reg = String::from_utf8(lab_register()).unwrap();
    for cl in [
        "4194305",
        "4294967296",
        "18446744073709551615",
        "99999999999999999999999999",
    ] {
        let msg = reg.replacen("Content-Length: 0", &format!("Content-Length: {cl}"), 1);
        assert_ne!(msg, reg, "the lab REGISTER has Content-Length: 0");
        let r = scan(&pcap(&tcp_frames(msg.as_bytes(), 1400)));
        let skipped = counts(&r.skips);
        if cl.len() <= 20 {
            // A number that fits: refused at once, never waited for.
            assert_eq!(r.messages, 0, "{cl}");
            assert_eq!(skipped, pairs(&[("sip-body-too-large", 1)]), "{cl}");
        } else {
            // Not a number that fits: the message is taken with the problem noted.
            assert_eq!(r.messages, 1, "{cl}");
            assert!(skipped.is_empty(), "{cl}: {skipped:?}");
            let a = analyze(&pcap(&tcp_frames(msg.as_bytes(), 1400))).unwrap();
            assert!(
                a.messages[0]
                    .problems()
                    .iter()
                    .any(|p| p == "invalid Content-Length"),
                "{:?}",
                a.messages[0].problems()
            );
        }
    }
}

#[test]
fn tcp_sequence_gaps_of_gigabytes() {
    let reg = lab_register();
    let (head, tail) = reg.split_at(reg.len() / 2);
    for gap in [1u32 << 30, (1 << 31) - 1, 3 << 30] {
        // Half a message, then the rest `gap` bytes further on, then a whole message after it.
        let second = 1000u32.wrapping_add(head.len() as u32).wrapping_add(gap);
        let third = second.wrapping_add(tail.len() as u32);
        let frames = [
            tcp_frame(1000, head),
            tcp_frame(second, tail),
            tcp_frame(third, &reg),
        ];
        let a = analyze(&pcap(&frames)).unwrap_or_else(|e| panic!("{gap:#x}: {e}"));
        assert_eq!(a.frames, 3, "{gap:#x}");
        assert!(a.skips.total() >= 1, "{gap:#x}: nothing counted");
        let known = [
            "tcp-gap",
            "tcp-retransmission",
            "sip-lost-in-tcp-gap",
            "sip-incomplete-at-end",
            "not-sip-tcp",
        ];
        for (r, _) in counts(&a.skips) {
            assert!(known.contains(&r.as_str()), "{gap:#x}: {:?}", a.skips);
        }
        assert!(a.messages.len() <= 1, "{gap:#x}");
        if gap == 1 << 30 {
            // Ahead: the missing gigabyte is a gap inside the first message; the whole
            // message after the rest of it is found again.
            assert_eq!(a.skips.get("tcp-gap"), 1, "{:?}", a.skips);
            assert_eq!(a.skips.get("sip-lost-in-tcp-gap"), 1, "{:?}", a.skips);
            assert_eq!(a.messages.len(), 1, "{:?}", a.skips);
            assert_eq!(a.messages[0].frame(), 3);
        }
        if gap == 3 << 30 {
            // More than 2 GiB ahead is behind in sequence arithmetic (RFC 1982): old bytes.
            assert_eq!(a.skips.get("tcp-retransmission"), 2, "{:?}", a.skips);
            assert_eq!(a.skips.get("sip-incomplete-at-end"), 1, "{:?}", a.skips);
        }
    }
}

/// The lab REGISTER five times in one TCP stream with CSeq 1..5 and a body of `body` bytes,
/// cut into `seg`-byte segments: long messages over several segments, as a busy trunk sends.
fn register_stream(body: usize, seg: usize) -> (Vec<u8>, Vec<Vec<u8>>) {
    let reg = lab_register();
    let head_end = reg.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&reg[..head_end]).to_string();
    let mut stream = Vec::new();
    for n in 1..=5 {
        let h: String = head
            .split("\r\n")
            .filter(|l| !l.to_ascii_lowercase().starts_with("content-length"))
            .map(|l| {
                if l.to_ascii_lowercase().starts_with("cseq:") {
                    format!("CSeq: {n} REGISTER")
                } else {
                    l.to_string()
                }
            })
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\r\n");
        stream.extend_from_slice(format!("{h}\r\nContent-Length: {body}\r\n\r\n").as_bytes());
        stream.extend(std::iter::repeat_n(b'v', body));
    }
    let frames = tcp_frames(&stream, seg);
    (stream, frames)
}

fn cseqs(a: &Analysis) -> Vec<u32> {
    a.messages
        .iter()
        .filter_map(|m| m.cseq().map(|c| c.0))
        .collect()
}

#[test]
fn a_capture_that_joins_a_tcp_stream_mid_message_finds_the_next_one() {
    let (_, frames) = register_stream(700, 300);
    assert!(frames.len() > 10);
    // A capture started while the connection was up: its first frames are gone, so the
    // stream opens inside the first message.
    let a = analyze(&pcap(&frames[2..])).unwrap();
    assert_eq!(cseqs(&a), [2, 3, 4, 5], "{:?}", a.skips);
    assert_eq!(
        counts(&a.skips),
        pairs(&[("sip-partial-at-stream-start", 1)]),
        "nothing but the partial message is counted"
    );
    // Whole: nothing skipped, all five.
    let a = analyze(&pcap(&frames)).unwrap();
    assert_eq!(cseqs(&a), [1, 2, 3, 4, 5]);
    assert_eq!(a.skips.total(), 0, "{:?}", a.skips);
}

#[test]
fn a_tcp_gap_inside_a_message_loses_that_message_only() {
    let (stream, frames) = register_stream(700, 300);
    // The segment holding the middle of message 2 never arrived.
    let msg_len = stream.len() / 5;
    let lost = (msg_len + msg_len / 2) / 300;
    let mut kept = frames.clone();
    kept.remove(lost);
    let a = analyze(&pcap(&kept)).unwrap();
    assert_eq!(cseqs(&a), [1, 3, 4, 5], "{:?}", a.skips);
    assert_eq!(a.skips.get("sip-lost-in-tcp-gap"), 1, "{:?}", a.skips);
    assert_eq!(
        a.skips.get("not-sip-tcp"),
        0,
        "the direction is not given up"
    );
}

#[test]
fn a_non_sip_tcp_stream_is_given_up_after_a_bounded_look() {
    // Lines that are neither SIP nor another protocol's request line: looked at for a bounded
    // number of bytes, then the direction is not SIP, counted once.
    let text: Vec<u8> = (0..4000)
        .flat_map(|i| format!("row {i}: some,csv,values\r\n").into_bytes())
        .collect();
    let a = analyze(&pcap(&tcp_frames(&text, 1400))).unwrap();
    assert!(a.messages.is_empty());
    assert_eq!(counts(&a.skips), pairs(&[("not-sip-tcp", 1)]));
}

// ---------------------------------------------------------------------------------------------
// Floods.
// ---------------------------------------------------------------------------------------------

/// `n` 8-byte IPv4 fragments of one UDP datagram that never completes (more-fragments always
/// set, offsets cycling).
fn fragment_flood(n: usize) -> Vec<u8> {
    let frames: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let offset = (1 + i % 8000) as u16;
            eth_ipv4(17, 0x4242, 0x2000 | offset, b"fragment")
        })
        .collect();
    pcap(&frames)
}

#[test]
fn a_flood_of_tiny_fragments_is_dropped_in_bounded_work() {
    let (small, large) = (fragment_flood(5_000), fragment_flood(40_000));
    let (s, l) = (analyze(&small).unwrap(), analyze(&large).unwrap());
    let cap = sipdoctor::capture::limits::MAX_FRAGMENTS_PER_DATAGRAM as u64;
    for (n, a) in [(5_000u64, &s), (40_000, &l)] {
        assert_eq!(a.frames, n);
        assert!(a.messages.is_empty());
        // Every fragment is counted once: the full batches at the per-datagram cap, the last
        // partial batch as incomplete at the end of the capture.
        assert_eq!(
            counts(&a.skips),
            pairs(&[
                ("fragment-incomplete", n % cap),
                ("fragment-limit", n / cap * cap)
            ]),
            "{n}"
        );
    }
    // Fragments dropped per input byte, and frames per byte, stay the same.
    per_byte_not_growing(
        "skips",
        (s.skips.total(), small.len()),
        (l.skips.total(), large.len()),
    );
    assert_eq!(s.bytes, small.len() as u64);
    assert_eq!(l.bytes, large.len() as u64);
}

/// A 401 over TCP whose one WWW-Authenticate holds `n` challenges (the smallest valid ones,
/// `D`, so that 100,000 fit under the header size limit), then the lab REGISTER.
fn challenge_flood(n: usize) -> (Vec<u8>, String) {
    let value = vec!["D"; n].join(",");
    let resp = format!(
        "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/TCP 192.0.2.10:40000;branch=z9hG4bK1\r\n\
         From: <sip:a@x>;tag=1\r\nTo: <sip:a@x>;tag=2\r\nCall-ID: flood\r\nCSeq: 1 REGISTER\r\n\
         WWW-Authenticate: {value}\r\nContent-Length: 0\r\n\r\n"
    );
    let mut msg = resp.into_bytes();
    msg.extend_from_slice(&lab_register());
    (pcap(&tcp_frames(&msg, 1400)), value)
}

#[test]
fn a_hundred_thousand_challenges_are_capped_and_linear() {
    let ((small, _), (large, value)) = (challenge_flood(10_000), challenge_flood(100_000));
    let (s, l) = (scan(&small), scan(&large));
    for (what, r) in [("10,000", &s), ("100,000", &l)] {
        assert_eq!(r.messages, 2, "{what}");
        assert_eq!(
            counts(&r.skips),
            pairs(&[("sip-too-many-challenges", 1)]),
            "{what}"
        );
        assert_eq!(r.work.heads_parsed, 2, "{what}");
    }
    per_byte_not_growing(
        "header bytes scanned",
        (s.work.header_bytes_scanned, small.len()),
        (l.work.header_bytes_scanned, large.len()),
    );
    // The parser reads the first MAX_CHALLENGES_PER_HEADER of them.
    let parsed = sipdoctor::sip::auth::parse_challenges(&value).expect("parses");
    assert_eq!(parsed.len(), sipdoctor::limits::MAX_CHALLENGES_PER_HEADER);
    assert!(sipdoctor::sip::auth::challenges_over_limit(&value));
    // Realistic challenges, too many for one TCP header section: refused as too large.
    let value = vec![r#"Digest realm="x", nonce="n", algorithm=MD5"#; 100_000].join(", ");
    let parsed = sipdoctor::sip::auth::parse_challenges(&value).expect("parses");
    assert_eq!(parsed.len(), sipdoctor::limits::MAX_CHALLENGES_PER_HEADER);
    let a = analyze(&large).unwrap();
    assert_eq!(a.messages.len(), 2);
    assert_eq!(a.skips.get("sip-too-many-challenges"), 1);
}
