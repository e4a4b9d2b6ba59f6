//! Golden comparison of the capture and SIP layers: for every capture in tests/fixtures,
//! tests/fixtures/thirdparty and the shared third-party corpus, what the analysis found (file
//! format, frames, each SIP message's frames, time, addresses, transport and a hash of its
//! bytes, the ICMP and TLS notes, the skip counts and the finding codes) must equal the text
//! stored under tests/fixtures/golden/. The golden files were written by the code as it was
//! before the capture layer moved onto pcap-file and etherparse, so that move is proven to lose
//! nothing.
//!
//! To rewrite them after an intended change: `SIPDOCTOR_BLESS=1 cargo test --test integration
//! golden`, then review the diff of tests/fixtures/golden/ like any other change.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::{analyze, fixtures};

/// FNV-1a, 64 bits: enough to tell two byte strings apart in a golden file.
fn fnv1a(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &x| {
        (h ^ x as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A value's JSON wire form without quotes (enums serialise to their kebab/lowercase names).
fn wire<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v).expect("serialises") {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// The text a capture gives; errors keep their message with the path replaced by the name.
fn summary(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let a = match analyze(path) {
        Ok(a) => a,
        Err(e) => {
            let msg = e.to_string().replace(&path.display().to_string(), &name);
            return format!("error {msg}\n");
        }
    };
    let mut s = String::new();
    let _ = writeln!(s, "format {}", a.format);
    let _ = writeln!(s, "link-types {}", a.link_types.join(","));
    let _ = writeln!(s, "frames {} bytes {}", a.frames, a.bytes);
    let _ = writeln!(s, "time {:?} {:?}", a.first_ts, a.last_ts);
    let _ = writeln!(s, "messages {}", a.messages.len());
    for m in &a.messages {
        let frames: Vec<String> = m.frames().iter().map(u64::to_string).collect();
        // The bytes read back from the capture (file offset or arena): the same bytes the
        // scanner saw, or the hash differs from the one recorded.
        let raw = m.raw_bytes(&a.raw).expect("message bytes read back");
        let _ = writeln!(
            s,
            "msg {} frame={} frames={} ts={} {} > {} {} len={} hash={:016x}",
            m.index(),
            m.frame(),
            frames.join(","),
            m.ts,
            m.src,
            m.dst,
            wire(&m.transport()),
            raw.len(),
            fnv1a(&raw)
        );
    }
    for i in &a.icmp {
        let _ = writeln!(
            s,
            "icmp frame={} ts={} reporter={} kind={:?} {} > {} message={:?}",
            i.frame, i.ts, i.reporter, i.kind, i.src, i.dst, i.message
        );
    }
    for t in &a.tls {
        let _ = writeln!(
            s,
            "tls frame={} ts={} {} > {} handshake={}",
            t.frame, t.ts, t.src, t.dst, t.handshake
        );
    }
    let skips = serde_json::to_value(&a.skips).expect("skips serialise");
    if let Some(map) = skips.get("counts").and_then(|c| c.as_object()) {
        for (k, v) in map {
            let _ = writeln!(s, "skip {k} {v}");
        }
    }
    let mut codes: Vec<String> = a.findings.iter().map(|f| wire(&f.code)).collect();
    codes.sort();
    let _ = writeln!(s, "findings {}", codes.join(" "));
    s
}

fn shared_corpus() -> Option<PathBuf> {
    let mut cands: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("SIPDOCTOR_THIRDPARTY") {
        cands.push(p.into());
    }
    cands.push(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/captures-thirdparty").into());
    cands.push("/work/shared/captures-thirdparty".into());
    cands.into_iter().find(|d| d.is_dir())
}

fn captures_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| x == "pcap" || x == "pcapng" || x == "cap")
        })
        .collect();
    v.sort();
    v
}

/// Compare (or with SIPDOCTOR_BLESS, write) the golden files of every capture in `dir`;
/// returns the names whose output differs.
fn check_dir(dir: &Path, golden: &Path) -> Vec<String> {
    let bless = std::env::var_os("SIPDOCTOR_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(golden).unwrap();
    }
    let caps = captures_in(dir);
    assert!(!caps.is_empty(), "no captures in {}", dir.display());
    let mut bad = Vec::new();
    for cap in caps {
        let name = cap.file_name().unwrap().to_string_lossy().to_string();
        let got = summary(&cap);
        let file = golden.join(format!("{name}.txt"));
        if bless {
            std::fs::write(&file, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&file)
            .unwrap_or_else(|_| panic!("missing golden file {}", file.display()));
        if got != want {
            eprintln!("--- {name}: want\n{want}--- got\n{got}");
            bad.push(name);
        }
    }
    bad
}

fn golden_root() -> PathBuf {
    fixtures().join("golden")
}

#[test]
fn golden_lab_fixtures() {
    let bad = check_dir(&fixtures(), &golden_root().join("lab"));
    assert!(bad.is_empty(), "output changed for {bad:?}");
}

#[test]
fn golden_thirdparty_fixtures() {
    let bad = check_dir(
        &fixtures().join("thirdparty"),
        &golden_root().join("thirdparty"),
    );
    assert!(bad.is_empty(), "output changed for {bad:?}");
}

#[test]
fn golden_shared_corpus() {
    let Some(d) = shared_corpus() else {
        eprintln!("SKIP: shared third-party captures not found (set SIPDOCTOR_THIRDPARTY)");
        return;
    };
    let bad = check_dir(&d, &golden_root().join("shared"));
    assert!(bad.is_empty(), "output changed for {bad:?}");
}

/// The summary really looks at the bytes: one changed byte in a message changes its line.
#[test]
fn golden_summary_sees_a_changed_byte() {
    let src = fixtures().join("01-register-ok.pcap");
    let mut bytes = std::fs::read(&src).unwrap();
    let pos = bytes
        .windows(8)
        .position(|w| w == b"REGISTER")
        .expect("a REGISTER in the fixture");
    bytes[pos + 9] ^= 0x01; // inside the Request-URI
    let dir = std::env::temp_dir().join(format!("sipdoctor-golden-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let changed = dir.join("01-register-ok.pcap");
    std::fs::write(&changed, bytes).unwrap();
    let (a, b) = (summary(&src), summary(&changed));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_ne!(a, b);
    assert!(a.contains("msg 0 "), "{a}");
}
