//! Reads the third-party corpus of real captures (README.md next to the files lists their
//! origin and what tshark sees in them). The directory is found through `SIPDOCTOR_THIRDPARTY`,
//! then `../shared/captures-thirdparty` next to the crate, then `/work/shared/captures-thirdparty`;
//! when none exists the tests say so and pass. A few permissively licensed files are also in
//! tests/fixtures/thirdparty/ and are tested unconditionally.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use super::{Event, PacketStream, Skips, Transport};

fn corpus_dir() -> Option<PathBuf> {
    let mut cands: Vec<PathBuf> = Vec::new();
    if let Ok(p) = std::env::var("SIPDOCTOR_THIRDPARTY") {
        cands.push(p.into());
    }
    cands.push(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures-thirdparty").into());
    cands.push("/work/shared/captures-thirdparty".into());
    cands.into_iter().find(|p| p.is_dir())
}

fn fixture_dir() -> PathBuf {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/thirdparty").into()
}

/// Path of a corpus file: the committed fixture copy if there is one, else the shared corpus.
fn file(name: &str) -> Option<PathBuf> {
    let f = fixture_dir().join(name);
    if f.is_file() {
        return Some(f);
    }
    match corpus_dir() {
        Some(d) => Some(d.join(name)),
        None => {
            eprintln!("third-party corpus not found (set SIPDOCTOR_THIRDPARTY): skipping {name}");
            None
        }
    }
}

#[derive(Default, Debug)]
struct Summary {
    frames: u64,
    format: &'static str,
    links: Vec<String>,
    datagrams: Vec<super::Payload>,
    tcp: BTreeMap<(SocketAddr, SocketAddr), Vec<u8>>,
    tcp_events: usize,
    gaps: usize,
    tls: usize,
    icmp: Vec<(String, super::Payload)>,
    closed: usize,
    skips: Skips,
}

impl Summary {
    /// Number of SIP start lines seen in datagrams and TCP streams (a rough count).
    fn sip_starts(&self) -> usize {
        // start lines: "SIP/2.0 NNN ..." or "METHOD uri SIP/2.0"
        let count = |d: &[u8]| {
            d.split(|&b| b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .filter(|l| {
                    l.starts_with(b"SIP/2.0 ")
                        || (l.ends_with(b" SIP/2.0")
                            && l.first().is_some_and(u8::is_ascii_uppercase))
                })
                .count()
        };
        self.datagrams.iter().map(|p| count(&p.data)).sum::<usize>()
            + self.tcp.values().map(|d| count(d)).sum::<usize>()
    }
}

fn summarize(path: &Path) -> Summary {
    let mut s = PacketStream::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sum = Summary {
        format: s.format(),
        ..Default::default()
    };
    let mut last_frame_per_stream: HashMap<(SocketAddr, SocketAddr), u64> = HashMap::new();
    while let Some(e) = s.next_event() {
        match e {
            Event::Datagram(p) => {
                assert!(p.frames.windows(2).all(|w| w[0] < w[1]));
                assert!(p.frames.contains(&p.frame) || p.frames.iter().all(|&f| f <= p.frame));
                sum.datagrams.push(p)
            }
            Event::TcpData {
                payload,
                gap_before,
            } => {
                assert_eq!(payload.transport, Transport::Tcp);
                let k = (payload.src, payload.dst);
                last_frame_per_stream.insert(k, payload.frame);
                sum.tcp
                    .entry(k)
                    .or_default()
                    .extend_from_slice(&payload.data);
                sum.tcp_events += 1;
                sum.gaps += gap_before as usize;
            }
            Event::TcpClosed { .. } => sum.closed += 1,
            Event::IcmpUnreachable { kind, quoted, .. } => sum.icmp.push((kind, quoted)),
            Event::Tls { .. } => sum.tls += 1,
            Event::InChunk(_) => unreachable!("datagrams are not shared unless asked"),
        }
    }
    sum.frames = s.frames_read();
    sum.links = s.link_types();
    sum.skips = s.skips().clone();
    assert!(s.bytes_read() <= s.total_bytes().unwrap_or(u64::MAX));
    if let (Some(a), Some(b)) = (s.first_ts(), s.last_ts()) {
        assert!(a > 0 && b > 0);
    }
    sum
}

#[test]
fn every_corpus_file_loads() {
    let Some(dir) = corpus_dir() else {
        eprintln!("third-party corpus not found (set SIPDOCTOR_THIRDPARTY): skipping");
        return;
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 30, "the corpus has 30 captures");
    for p in &names {
        let s = summarize(p);
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        eprintln!(
            "{name}: {} {:?} frames={} dgrams={} tcp_ev={} gaps={} tls={} icmp={} sip_starts={} skips={:?}",
            s.format,
            s.links,
            s.frames,
            s.datagrams.len(),
            s.tcp_events,
            s.gaps,
            s.tls,
            s.icmp.len(),
            s.sip_starts(),
            s.skips.counts
        );
        assert!(s.frames > 0, "{name}");
        assert_eq!(
            s.skips.get("corrupt-record") + s.skips.get("truncated-file"),
            0,
            "{name}"
        );
        let no_sip = name.contains("http_on_sip_port") || name.contains("tlssaved");
        assert_eq!(s.sip_starts() == 0, no_sip, "{name}");
    }
}

#[test]
fn ipv6_fragments_give_two_large_datagrams() {
    let Some(p) = file("irontec_sngrep_ipv6frag.pcap") else {
        return;
    };
    let s = summarize(&p);
    let big: Vec<_> = s.datagrams.iter().filter(|d| d.frames.len() > 1).collect();
    assert_eq!(big.len(), 2);
    for d in big {
        assert!(
            d.data.starts_with(b"INVITE "),
            "{:?}",
            String::from_utf8_lossy(&d.data[..20])
        );
        assert!(d.src.is_ipv6());
        assert!(d.data.len() > 1500);
    }
    assert_eq!(s.links, vec!["linux-sll".to_string()]);
    assert_eq!(s.skips.get("fragment-incomplete"), 0);
}

#[test]
fn large_body_over_tcp_is_reassembled() {
    let Some(p) = file("OISF_suricata-verify_sip-body-large_sip-body-large.pcap") else {
        return;
    };
    let s = summarize(&p);
    assert_eq!(s.links, vec!["null".to_string()]);
    assert_eq!(s.gaps, 0);
    let invite = s
        .tcp
        .values()
        .find(|d| d.starts_with(b"INVITE "))
        .expect("INVITE stream");
    let head_end = invite.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&invite[..head_end]);
    assert!(head.contains("Content-Length: 65536"), "{head}");
    assert!(invite.len() >= head_end + 65536);
    assert!(s.tcp.values().any(|d| d.starts_with(b"SIP/2.0 100")));
}

#[test]
fn tunnels_are_decapsulated() {
    if let Some(p) = file("ntop_nDPI_gre.pcapng") {
        let s = summarize(&p);
        assert_eq!(s.datagrams.len(), 1);
        assert!(s.datagrams[0].data.starts_with(b"SIP/2.0 100"));
    }
    if let Some(p) = file("seladb_PcapPlusPlus_sip_reqs.pcap") {
        let s = summarize(&p);
        assert_eq!(s.datagrams.len(), 4, "two of them over PPPoE");
    }
    if let Some(p) = file("irontec_sngrep_ipip.pcap") {
        let s = summarize(&p);
        assert_eq!(s.sip_starts(), 4, "{:?}", s.skips);
    }
    if let Some(p) = file("sipcapture_heplify_ipip0.pcap") {
        let s = summarize(&p);
        assert_eq!(s.datagrams.len(), 8);
        assert_eq!(s.links, vec!["raw".to_string()]);
    }
    if let Some(p) = file("arkime_arkime_gtp-iphone.pcap") {
        let s = summarize(&p);
        assert!(s.datagrams.iter().any(|d| d.src.is_ipv6()));
        let tcp_register = s
            .tcp
            .iter()
            .any(|(k, d)| k.0.is_ipv6() && d.starts_with(b"REGISTER "));
        assert!(tcp_register, "{:?}", s.skips);
        assert!(s.sip_starts() >= 17);
    }
}

#[test]
fn tls_is_reported_not_delivered() {
    let Some(p) = file("irontec_sngrep_tlssaved.pcap") else {
        return;
    };
    let s = summarize(&p);
    assert!(s.tls >= 1);
    assert_eq!(s.tcp_events, 0);
}

#[test]
fn icmp_errors_quote_sip() {
    let Some(p) = file("CESNET_ipfixprobe_sip.pcap") else {
        return;
    };
    let s = summarize(&p);
    assert_eq!(s.icmp.len(), 5);
    for (kind, q) in &s.icmp {
        assert!(kind.contains("prohibited"), "{kind}");
        assert_eq!(q.transport, Transport::Udp);
        assert!(
            q.data.windows(7).any(|w| w == b"SIP/2.0"),
            "{:?}",
            String::from_utf8_lossy(&q.data)
        );
    }
}

#[test]
fn hep_payloads_are_extracted() {
    if let Some(p) = file("sipcapture_hep-wireshark_hep.pcap") {
        let s = summarize(&p);
        // INVITE, 100, 407, OPTIONS, 200 and one more; two HEP packets carry other protocol types.
        assert_eq!(s.sip_starts(), 6, "{:?}", s.skips);
        assert_eq!(s.skips.get("hep-not-sip"), 2);
        assert!(
            s.datagrams
                .iter()
                .any(|d| d.data.starts_with(b"SIP/2.0 407"))
        );
        assert!(
            s.datagrams
                .iter()
                .all(|d| d.src.port() != 9060 && d.dst.port() != 9060)
        );
    }
    if let Some(p) = file("sipcapture_hep-wireshark_hep3_compressed.pcap.pcapng") {
        let s = summarize(&p);
        assert_eq!(s.datagrams.len(), 21, "{:?}", s.skips);
        let regs = s
            .datagrams
            .iter()
            .filter(|d| d.data.starts_with(b"REGISTER "))
            .count();
        assert_eq!(regs, 12);
        assert!(s.datagrams.iter().all(|d| d.transport == Transport::Tcp));
        let www = s
            .datagrams
            .iter()
            .filter(|d| d.data.windows(16).any(|w| w == b"Www-Authenticate"))
            .count();
        assert_eq!(www, 6);
    }
}

#[test]
fn loopback_sll_and_raw_ipv4_link_types() {
    if let Some(p) = file("karthicraghupathi_callflow_register.pcap") {
        let s = summarize(&p);
        assert_eq!(s.datagrams.len(), 4);
    }
    if let Some(p) = file("zeek_zeek_sip-long-request-response-paths.pcap") {
        let s = summarize(&p);
        assert_eq!(s.links, vec!["ipv4".to_string()]);
        assert_eq!(s.datagrams.len(), 2);
        assert!(s.datagrams.iter().all(|d| d.data.len() > 8000));
    }
    if let Some(p) = file("ntop_nDPI_sip_hello.pcapng") {
        let s = summarize(&p);
        assert_eq!(s.format, "pcapng");
        assert_eq!(s.sip_starts(), 8);
    }
}

/// Every prefix of small real captures, and mutated copies: never a panic.
#[test]
fn prefixes_and_mutations_never_panic() {
    let names = [
        "OISF_suricata-verify_sip-tcp-pattern-matching_sip.pcap",
        "ntop_nDPI_gre.pcapng",
        "seladb_PcapPlusPlus_sip_reqs.pcap",
        "sipcapture_hep-wireshark_hep3_compressed.pcap.pcapng",
        "irontec_sngrep_ipv6frag.pcap",
    ];
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for name in names {
        let Some(p) = file(name) else { return };
        let bytes = std::fs::read(&p).unwrap();
        let step = (bytes.len() / 1500).max(1);
        for n in (0..bytes.len()).step_by(step) {
            drain(bytes[..n].to_vec());
        }
        for _ in 0..60 {
            let mut m = bytes.clone();
            for _ in 0..1 + next() % 8 {
                let i = (next() as usize) % m.len();
                m[i] = next() as u8;
            }
            drain(m);
        }
    }
    // random bytes behind each magic
    for magic in [
        &[0xD4u8, 0xC3, 0xB2, 0xA1][..],
        &[0xA1, 0xB2, 0x3C, 0x4D],
        &[0x0A, 0x0D, 0x0D, 0x0A],
    ] {
        for _ in 0..200 {
            let mut m = magic.to_vec();
            let len = next() % 400;
            m.extend((0..len).map(|_| next() as u8));
            drain(m);
        }
    }
}

fn drain(bytes: Vec<u8>) {
    if let Ok(mut s) = PacketStream::from_reader(
        Box::new(std::io::Cursor::new(bytes)),
        Path::new("fuzz"),
        None,
    ) {
        while s.next_event().is_some() {}
        let _ = s.skips().total();
    }
}

/// Throughput on a large synthetic capture (RTP-like UDP with some SIP). Not run by default:
/// `cargo test --release --lib --no-default-features capture::thirdparty_tests::throughput -- --ignored --nocapture`
/// (SIPDOCTOR_BENCH_MB sets the size, default 200). The file is written to the temp directory
/// and removed afterwards. No timing is asserted.
#[test]
#[ignore]
fn throughput() {
    use std::io::Write;
    let mb: u64 = std::env::var("SIPDOCTOR_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let path = std::env::temp_dir().join(format!("sipdoctor-bench-{}.pcap", std::process::id()));
    let sip = b"REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\nFrom: <sip:alice@example.com>;tag=1928301774\r\nTo: <sip:alice@example.com>\r\nCall-ID: a84b4c76e66710@10.0.0.1\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@10.0.0.1:5060>\r\nContent-Length: 0\r\n\r\n";
    let mut rtp = vec![0x80u8, 0x08];
    rtp.resize(172, 0xD5);
    let rtp_frame = super::testutil::eth_udp([10, 0, 0, 1], 16384, [10, 0, 0, 2], 16386, &rtp);
    let sip_frame = super::testutil::eth_udp([10, 0, 0, 1], 5060, [10, 0, 0, 2], 5060, sip);
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    w.write_all(&super::testutil::pcap_header(1, false, false))
        .unwrap();
    let (mut written, mut n, mut sips) = (24u64, 0u64, 0u64);
    while written < mb * 1_000_000 {
        let f = if n % 500 == 0 {
            sips += 1;
            &sip_frame
        } else {
            &rtp_frame
        };
        let mut rec = Vec::with_capacity(16 + f.len());
        super::testutil::pcap_record(
            &mut rec,
            false,
            1_700_000_000 + (n / 50) as u32,
            (n % 50) as u32 * 20_000,
            f,
            f.len() as u32,
        );
        w.write_all(&rec).unwrap();
        written += rec.len() as u64;
        n += 1;
    }
    w.flush().unwrap();
    drop(w);
    let t = std::time::Instant::now();
    let mut s = PacketStream::open(&path).unwrap();
    let mut got = 0u64;
    while let Some(e) = s.next_event() {
        if matches!(e, Event::Datagram(_)) {
            got += 1;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|st| {
            st.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(got, sips);
    assert_eq!(s.frames_read(), n);
    eprintln!(
        "throughput: {:.1} MB in {secs:.2} s = {:.0} MB/s, {:.2} M frames/s, {sips} SIP datagrams; {hwm}",
        written as f64 / 1e6,
        written as f64 / 1e6 / secs,
        n as f64 / 1e6 / secs
    );
}
