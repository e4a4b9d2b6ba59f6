//! Clocks: decoded nonce times and Date headers against the capture's time.

use super::server::{self, ClockReading};
use super::{Collector, Ctx, Draft, ev};
use crate::finding::{FindingCode, Severity};
use crate::model::Analysis;
use crate::sip;

/// Skew beyond which a clock reading becomes a finding.
pub const SKEW_THRESHOLD_SECS: i64 = 60;

/// Clock readings: decoded nonce times and Date headers, against capture time.
pub fn clock_readings(a: &Analysis) -> Vec<ClockReading> {
    let mut out = Vec::new();
    for m in &a.messages {
        let capture_secs = m.ts.div_euclid(1_000_000_000);
        if let Some(d) = m.header("date")
            && let Some(t) = server::parse_http_date(d)
        {
            out.push(ClockReading {
                frame: m.frame,
                source: "Date header".into(),
                value: d.to_string(),
                server_time: t,
                capture_ts: m.ts,
                skew_secs: t - capture_secs,
                side: if m.is_request() { "client" } else { "server" }.into(),
            });
        }
        if m.is_request() {
            continue;
        }
        for v in m
            .headers_named("www-authenticate")
            .chain(m.headers_named("proxy-authenticate"))
        {
            for c in sip::auth::parse_challenges(v).unwrap_or_default() {
                let Some(nonce) = c.nonce() else { continue };
                let info = server::decode_nonce(nonce);
                if let Some(t) = info.issued() {
                    out.push(ClockReading {
                        frame: m.frame,
                        source: format!("nonce ({})", info.kind().label()),
                        value: nonce.to_string(),
                        server_time: t,
                        capture_ts: m.ts,
                        skew_secs: t - capture_secs,
                        side: "server".into(),
                    });
                }
            }
        }
    }
    out
}

/// Every reading off by [`SKEW_THRESHOLD_SECS`] or more.
pub fn skew(ctx: &Ctx, c: &mut Collector) {
    for r in clock_readings(ctx.a) {
        if r.skew_secs.abs() < SKEW_THRESHOLD_SECS {
            continue;
        }
        let whose = if r.side == "client" {
            "The phone's clock"
        } else {
            "The server's clock"
        };
        c.add(
            Draft::new(
                FindingCode::ClockSkew,
                Severity::Warning,
                "A clock differs from the capture's clock",
                format!(
                    "{whose} differs from the capture machine's by {}. The client's clock is not \
                     part of the digest (RFC 7616), so skew alone does not cause a 401. It does \
                     break TLS certificate checks, nonce checks between servers of a cluster (a \
                     nonce 'from the future' or already expired), and log correlation. Check NTP \
                     on both sides (step 4).",
                    server::human_duration(r.skew_secs.abs())
                ),
            )
            .with_evidence(vec![ev(r.frame, r.describe())]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn the_lab_date_skew_capture_is_flagged_and_a_healthy_one_is_not() {
        // 11: sipp sends a Date header far from the capture machine's clock.
        let a = fixture("11-register-date-skew.pcap");
        let readings = clock_readings(&a);
        assert!(
            readings
                .iter()
                .any(|r| r.skew_secs.abs() >= SKEW_THRESHOLD_SECS),
            "{readings:?}"
        );
        let fs = run_rule(&a, skew);
        assert_eq!(names(&fs), ["clock-skew"]);
        assert_eq!(fs[0].severity, Severity::Warning);
        assert!(fs[0].exchanges.is_empty());
        assert!(run_rule(&fixture("01-register-ok.pcap"), skew).is_empty());
    }

    #[test]
    fn a_date_header_a_minute_off_is_skew_and_a_second_is_not() {
        // 1_700_000_000 is 2023-11-14 22:13:20 UTC, the time testutil's messages are sent at.
        let ok = |date: &str| response("200 OK", 1, "z9hG4bK1", &format!("Date: {date}\n"));
        let r = register(1, "z9hG4bK1", "203.0.113.5", "");
        let near = ok("Tue, 14 Nov 2023 22:13:21 GMT");
        let a = undiagnosed(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &near)]);
        assert_eq!(clock_readings(&a).len(), 1);
        assert_eq!(clock_readings(&a)[0].side, "server");
        assert!(run_rule(&a, skew).is_empty());
        let far = ok("Tue, 14 Nov 2023 22:20:00 GMT");
        let a = undiagnosed(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &far)]);
        let fs = run_rule(&a, skew);
        assert_eq!(names(&fs), ["clock-skew"]);
        assert!(fs[0].explanation.starts_with("The server's clock"));
    }
}
