//! Rules about the capture as a whole: no SIP in it, or SIP hidden by TLS.

use super::{Collector, Ctx, Draft, ev};
use crate::finding::{FindingCode, Severity};
use crate::msg::{Arg, Text};
use crate::text;

/// Nothing in the capture is SIP (and nothing is TLS either): say what was skipped instead.
pub fn no_sip(ctx: &Ctx, c: &mut Collector) {
    let a = ctx.a;
    if !a.messages.is_empty() || !a.tls.is_empty() {
        return;
    }
    let mut why: Vec<Text> = a
        .skips
        .counts
        .iter()
        .map(|(k, v)| {
            text!(
                SkipCount,
                n = v,
                reason = crate::msg::skip_reason(k.as_str())
            )
        })
        .collect();
    if why.is_empty() {
        why.push(text!(NoPackets));
    }
    c.add(Draft::new(
        FindingCode::NoSip,
        Severity::Warning,
        text!(NoSipTitle),
        text!(NoSipExpl, frames = a.frames, skipped = Arg::List(why)),
    ));
}

/// TLS streams: their SIP cannot be read. A warning when nothing else could be read.
pub fn tls(ctx: &Ctx, c: &mut Collector) {
    let a = ctx.a;
    if a.tls.is_empty() {
        return;
    }
    let severity = if a.messages.is_empty() {
        Severity::Warning
    } else {
        Severity::Info
    };
    c.add(
        Draft::new(
            FindingCode::TlsEncrypted,
            severity,
            text!(TlsTitle),
            text!(TlsExpl),
        )
        .with_evidence(
            a.tls
                .iter()
                .map(|t| ev(t.frame, text!(EvTls, src = t.src, dst = t.dst)))
                .collect(),
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::TlsNote;

    #[test]
    fn no_sip_on_real_captures_names_what_was_skipped() {
        let a = fixture("92-no-sip.pcap");
        let fs = run_rule(&a, no_sip);
        assert_eq!(names(&fs), ["no-sip"]);
        assert_eq!(fs[0].severity, Severity::Warning);
        assert!(
            fs[0].explanation.contains("Skipped: "),
            "{}",
            fs[0].explanation
        );
        let fs = run_rule(&fixture("94-header-only.pcap"), no_sip);
        assert!(fs[0].explanation.contains("no packets at all"));
        assert!(run_rule(&fixture("01-register-ok.pcap"), no_sip).is_empty());
    }

    #[test]
    fn tls_is_a_warning_alone_and_info_beside_readable_sip() {
        let mut a = undiagnosed(&[]);
        assert!(run_rule(&a, tls).is_empty());
        let note = TlsNote {
            frame: 7,
            ts: 0,
            src: PHONE.parse().unwrap(),
            dst: "198.51.100.1:5061".parse().unwrap(),
            handshake: true,
        };
        a.tls.push(note);
        let fs = run_rule(&a, tls);
        assert_eq!(names(&fs), ["tls-encrypted"]);
        assert_eq!(fs[0].severity, Severity::Warning);
        assert_eq!(fs[0].evidence[0].frame, 7);
        // TLS but no SIP is not "no SIP".
        assert!(run_rule(&a, no_sip).is_empty());
        let mut b = fixture("01-register-ok.pcap");
        b.tls = a.tls.clone();
        assert_eq!(run_rule(&b, tls)[0].severity, Severity::Info);
    }
}
