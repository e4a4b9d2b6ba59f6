//! Deterministic mutation testing for `cargo test` (CI has no fuzzing time): the six surfaces
//! of the cargo-fuzz targets (`tests/fuzz/surfaces.rs`, the same code), each run on a few
//! thousand mutations of real inputs (the lab captures, the messages and auth headers in
//! them, the pasted samples) with a fixed seed: bit flips, truncations, splices, length-field
//! corruption, insertions and repeats. A panic fails the test and names the surface, the
//! iteration and the mutated input's size; replaying is deterministic.

#[path = "../fuzz/surfaces.rs"]
mod surfaces;

use std::path::Path;

use crate::{analyze, fixtures};

/// xorshift64*: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Values that break length fields: zero, one past, the sign bit, all ones.
const LENGTHS: &[u32] = &[
    0,
    1,
    0x7f,
    0xff,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
];
/// Bytes that matter to the parsers: separators, quotes, escapes, controls.
const INTERESTING: &[u8] = b"\r\n\t \",;:=\\<>`*[]()|\x00\x1b\x07\xff";

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &[u8]) -> Vec<u8> {
    let mut d = input.to_vec();
    for _ in 0..=rng.below(3) {
        match rng.below(6) {
            0 if !d.is_empty() => {
                for _ in 0..=rng.below(4) {
                    let i = rng.below(d.len());
                    d[i] ^= 1 << rng.below(8);
                }
            }
            1 => d.truncate(rng.below(d.len() + 1)),
            2 => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(d.len() + 1);
                d.truncate(cut);
                d.extend_from_slice(&other[rng.below(other.len() + 1)..]);
            }
            3 if d.len() >= 4 => {
                let v = LENGTHS[rng.below(LENGTHS.len())];
                let i = rng.below(d.len() - 3) & !1;
                let bytes = if rng.below(2) == 0 {
                    v.to_le_bytes()
                } else {
                    v.to_be_bytes()
                };
                let w = if rng.below(2) == 0 { 2 } else { 4 };
                d[i..i + w].copy_from_slice(&bytes[..w]);
            }
            4 => {
                let i = rng.below(d.len() + 1);
                let n = 1 + rng.below(8);
                let ins: Vec<u8> = (0..n)
                    .map(|_| INTERESTING[rng.below(INTERESTING.len())])
                    .collect();
                d.splice(i..i, ins);
            }
            _ if !d.is_empty() => {
                let a = rng.below(d.len());
                let b = (a + 1 + rng.below(64)).min(d.len());
                let chunk = d[a..b].to_vec();
                for _ in 0..1 + rng.below(16) {
                    d.splice(b..b, chunk.iter().copied());
                }
            }
            _ => {}
        }
    }
    d
}

fn run_surface(name: &str, f: fn(&[u8]), seeds: &[Vec<u8>], runs: usize, seed: u64) {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let mut rng = Rng(seed);
    for s in seeds {
        f(s);
    }
    for i in 0..runs {
        let base = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, seeds, base);
        let r = std::panic::catch_unwind(|| f(&input));
        assert!(
            r.is_ok(),
            "{name}: mutation {i} (seed {seed:#x}, {} bytes) panicked",
            input.len()
        );
    }
}

fn captures() -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// From the lab captures: (SIP messages, auth header values, verify inputs).
type Seeds = Vec<Vec<u8>>;

fn sip_seeds() -> (Seeds, Seeds, Seeds) {
    let (mut msgs, mut auths, mut verifies) = (Vec::new(), Vec::new(), Vec::new());
    for name in [
        "02-register-wrong-password.pcap",
        "03b-invite-407-wrong-password.pcap",
        "09a-register-sha256-linphonec.pcap",
        "12b-register-wrong-password-tcp.pcap",
        "07-register-realm-mismatch.pcap",
    ] {
        let a = analyze(&fixtures().join(name)).unwrap();
        // Every header of a message, from its bytes read back from the capture (the
        // analysis keeps only the headers it reads).
        let full = |m: &sipdoctor::sip::SipMessage| {
            let raw = m.raw_bytes(&a.raw).expect("read back").into_owned();
            let (_, headers, ..) = sipdoctor::sip::parse_datagram(&raw).expect("SIP");
            (raw, headers)
        };
        let first = |headers: &[sipdoctor::sip::Header], names: &[&str]| {
            names.iter().find_map(|n| {
                headers
                    .iter()
                    .find(|h| sipdoctor::sip::header_is(&h.name, n))
                    .map(|h| h.value.clone())
            })
        };
        for m in &a.messages {
            let (raw, headers) = full(m);
            msgs.push(raw);
            for h in [
                "www-authenticate",
                "proxy-authenticate",
                "authorization",
                "proxy-authorization",
            ] {
                auths.extend(
                    headers
                        .iter()
                        .filter(|x| sipdoctor::sip::header_is(&x.name, h))
                        .map(|x| x.value.as_bytes().to_vec()),
                );
            }
        }
        for c in a.captured_auths() {
            let m = a.messages.iter().find(|m| m.frame() == c.frame).unwrap();
            let cred = first(&full(m).1, &["authorization", "proxy-authorization"]).unwrap();
            let chal = a
                .messages
                .iter()
                .filter(|x| Some(x.frame()) == c.challenge.as_ref().map(|ch| ch.0))
                .find_map(|x| first(&full(x).1, &["www-authenticate", "proxy-authenticate"]))
                .unwrap_or_default();
            verifies.push(
                format!(
                    "wrong-1001\n{cred}\n{chal}\n{} {}\n",
                    c.method, c.request_uri
                )
                .into_bytes(),
            );
        }
    }
    (msgs, auths, verifies)
}

fn samples() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn mutations_of_captures_through_the_pipeline() {
    run_surface(
        "pipeline",
        surfaces::pipeline,
        &captures(),
        2000,
        0x5eed_0001,
    );
}

#[test]
fn mutations_of_sip_messages_auth_headers_and_verify_inputs() {
    let (msgs, auths, verifies) = sip_seeds();
    assert!(msgs.len() > 20 && auths.len() > 10 && verifies.len() > 5);
    run_surface(
        "sip_scanner",
        surfaces::sip_scanner,
        &msgs,
        4000,
        0x5eed_0002,
    );
    run_surface(
        "auth_headers",
        surfaces::auth_headers,
        &auths,
        4000,
        0x5eed_0003,
    );
    run_surface("verify", surfaces::verify, &verifies, 3000, 0x5eed_0004);
}

#[test]
fn mutations_of_pasted_text() {
    let s = samples();
    run_surface("checks", surfaces::checks, &s, 3000, 0x5eed_0005);
    let lines: Vec<Vec<u8>> = s
        .iter()
        .flat_map(|f| f.split(|&b| b == b'\n').map(<[u8]>::to_vec))
        .filter(|l| l.len() > 20)
        .take(200)
        .collect();
    run_surface("kb", surfaces::kb, &lines, 2000, 0x5eed_0006);
}

/// The surfaces find planted breakage: a mutation run over a function that panics on a byte
/// pattern the mutators produce must fail (the harness is not a test that cannot fail).
#[test]
fn the_harness_catches_a_panic() {
    fn fragile(d: &[u8]) {
        assert!(!d.windows(2).any(|w| w == b"\r\r"), "planted");
    }
    let seeds = vec![b"REGISTER sip:x SIP/2.0\r\n\r\n".to_vec()];
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = std::panic::catch_unwind(|| run_surface("fragile", fragile, &seeds, 4000, 7));
    std::panic::set_hook(prev);
    assert!(r.is_err());
}
