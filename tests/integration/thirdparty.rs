//! The 30 third-party captures in ../shared/captures-thirdparty load without a panic and give
//! sensible results. Optional: skipped with a message when the directory is not there.

use std::path::PathBuf;

use crate::analyze;

fn dir() -> Option<PathBuf> {
    let d = std::env::var_os("SIPDOCTOR_THIRDPARTY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/captures-thirdparty"
            ))
        });
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!(
            "SKIP: third-party captures not found at {} (set SIPDOCTOR_THIRDPARTY)",
            d.display()
        );
        None
    }
}

#[test]
fn every_thirdparty_capture_loads() {
    let Some(d) = dir() else { return };
    let mut n = 0;
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            continue;
        }
        n += 1;
        // Ok or a clean error; never a panic.
        let _ = analyze(&p);
    }
    assert_eq!(n, 30);
}

#[test]
fn thirdparty_auth_content() {
    let Some(d) = dir() else { return };
    let a = analyze(&d.join("irontec_sngrep_aaa.pcap")).unwrap();
    assert_eq!(a.messages.len(), 81, "tshark -Y sip counts 81");
    assert!(a.findings.iter().any(|f| f.code == "forbidden-after-auth"));
    assert!(a.exchanges.iter().any(|e| {
        e.method == "INVITE"
            && e.attempts
                .iter()
                .any(|x| x.credentials.as_deref() == Some("Proxy-Authorization"))
    }));
    let a = analyze(&d.join("irontec_sngrep_tlssaved.pcap")).unwrap();
    assert!(a.findings.iter().any(|f| f.code == "tls-encrypted"));
    let a = analyze(&d.join("ntop_nDPI_http_on_sip_port.pcap")).unwrap();
    assert!(a.messages.is_empty(), "HTTP on 5060 is not SIP");
    let a = analyze(&d.join("ntop_nDPI_webex.pcap")).unwrap();
    assert!(a.findings.iter().any(|f| f.code == "no-response"));
}

/// False alarms seen on real captures, kept from coming back.
#[test]
fn thirdparty_no_false_alarms() {
    let Some(d) = dir() else { return };
    let codes = |f: &str| -> Vec<&'static str> {
        analyze(&d.join(f))
            .unwrap()
            .findings
            .iter()
            .map(|x| x.code.as_str())
            .collect()
    };
    // "403 Wrong password" is the server's verdict on the password, not a ban.
    assert!(!codes("irontec_sngrep_aaa.pcap").contains(&"brute-force-block"));
    // One INVITE and nothing else: a short capture, not a dead server.
    assert!(
        !codes("OISF_suricata-verify_sip-compact-form_sip_compact_form.pcap")
            .contains(&"no-response")
    );
    assert!(!codes("ntop_nDPI_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap").contains(&"no-response"));
    // AKAv1-MD5 answered with AKAv1-MD5 (32 hex digits) is no algorithm mismatch.
    assert!(!codes("arkime_arkime_gtp-iphone.pcap").contains(&"algorithm-mismatch"));
    // IMS phones send an empty-nonce Authorization first: not a refused login.
    assert!(
        !codes("sipcapture_hep-wireshark_hep3_compressed.pcap.pcapng")
            .contains(&"brute-force-block")
    );
}
