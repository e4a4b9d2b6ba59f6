//! Clocks: decoded nonce times and Date headers against the capture's time.

use super::server::{self, ClockReading};
use super::{Collector, Ctx, Draft, ev};
use crate::finding::{FindingCode, Severity};
use crate::model::Analysis;
use crate::msg::Arg;
use crate::text;
use crate::transaction::Outcome;

/// Skew beyond which a clock reading becomes a finding.
pub const SKEW_THRESHOLD_SECS: i64 = 60;

/// Clock readings: decoded nonce times and Date headers, against capture time.
pub fn clock_readings(a: &Analysis) -> Vec<ClockReading> {
    readings_where(a, |_| true)
}

/// True when the capture holds at least one clock reading (stops at the first).
pub fn has_clock_readings(a: &Analysis) -> bool {
    let mut any = false;
    each_reading(a, |_, _, _| {
        any = true;
        false
    });
    any
}

/// Where a reading comes from, borrowed from its message.
enum Source<'m> {
    Date(&'m str),
    Nonce(&'m str, server::NonceInfo),
}

/// Every reading as (message, source, server time), in capture order, until `f` says stop
/// (false); nothing is copied.
fn each_reading<'m>(
    a: &'m Analysis,
    mut f: impl FnMut(&'m crate::sip::SipMessage, Source<'m>, i64) -> bool,
) {
    // The Date header by its kept name (a byte compared per header, not the name's text).
    let date = crate::sip::KeptName::of("date");
    for m in &a.messages {
        if let Some(d) = m
            .headers
            .iter()
            .find(|h| Some(h.name) == date)
            .map(|h| h.value.as_str())
            && let Some(t) = server::parse_http_date(d)
            && !f(m, Source::Date(d), t)
        {
            return;
        }
        if m.is_request() {
            continue;
        }
        for c in m.challenges() {
            let Some(nonce) = c.nonce() else { continue };
            let info = server::decode_nonce(nonce);
            if let Some(t) = info.issued()
                && !f(m, Source::Nonce(nonce, info), t)
            {
                return;
            }
        }
    }
}

/// The clock readings whose skew `keep` accepts; a reading is built (its strings copied)
/// only when kept.
fn readings_where(a: &Analysis, keep: impl Fn(i64) -> bool) -> Vec<ClockReading> {
    let mut out = Vec::new();
    each_reading(a, |m, source, t| {
        let capture_secs = m.ts.div_euclid(1_000_000_000);
        if !keep(t - capture_secs) {
            return true;
        }
        let (source, value, side) = match source {
            Source::Date(d) => (
                "Date header".to_string(),
                d,
                if m.is_request() { "client" } else { "server" },
            ),
            Source::Nonce(nonce, info) => {
                (format!("nonce ({})", info.kind().label()), nonce, "server")
            }
        };
        out.push(ClockReading {
            frame: m.frame(),
            source,
            value: value.to_string(),
            server_time: t,
            capture_ts: m.ts,
            skew_secs: t - capture_secs,
            side: side.into(),
        });
        true
    });
    out
}

/// A skew of [`SKEW_THRESHOLD_SECS`] or more.
fn is_skewed(skew_secs: i64) -> bool {
    skew_secs.abs() >= SKEW_THRESHOLD_SECS
}

/// Readings off by [`SKEW_THRESHOLD_SECS`] or more.
fn skewed(a: &Analysis) -> Vec<ClockReading> {
    readings_where(a, is_skewed)
}

/// [`skewed`] of the capture whose [`clock_readings`] are `all`.
fn skewed_of(all: &[ClockReading]) -> Vec<ClockReading> {
    all.iter()
        .filter(|r| is_skewed(r.skew_secs))
        .cloned()
        .collect()
}

/// Every exchange of the capture got its 2xx.
fn all_accepted(a: &Analysis) -> bool {
    !a.exchanges.is_empty()
        && a.exchanges
            .iter()
            .all(|e| matches!(e.outcome, Outcome::Accepted | Outcome::Recovered))
}

/// The clock skew broke nothing: only the phone's clock is off (a Date header it sent, not
/// part of the digest) and every exchange was accepted. The verdict then stays healthy and
/// the skew is a warning under it.
pub fn broke_nothing(a: &Analysis) -> bool {
    broke_nothing_of(a, &skewed(a))
}

/// [`broke_nothing`] given the capture's skewed readings, `off`.
fn broke_nothing_of(a: &Analysis, off: &[ClockReading]) -> bool {
    !off.is_empty() && off.iter().all(ClockReading::is_client) && all_accepted(a)
}

/// [`broke_nothing`] of the capture whose [`clock_readings`] are `all`.
pub fn broke_nothing_given(a: &Analysis, all: &[ClockReading]) -> bool {
    broke_nothing_of(a, &skewed_of(all))
}

/// Every reading off by [`SKEW_THRESHOLD_SECS`] or more. The server's clock (nonce time, Date
/// of a response) and the phone's (Date of a request) are told apart: the server's first, as
/// it is the one that can break nonce checks.
pub fn skew(ctx: &Ctx, c: &mut Collector) {
    skew_of(ctx.a, c, skewed(ctx.a));
}

/// [`skew`] of the capture whose [`clock_readings`] are `all` (read once for every use).
pub fn skew_given(a: &Analysis, c: &mut Collector, all: &[ClockReading]) {
    skew_of(a, c, skewed_of(all));
}

/// [`skew`] from the skewed readings.
fn skew_of(a: &Analysis, c: &mut Collector, off: Vec<ClockReading>) {
    let (client, server): (Vec<_>, Vec<_>) = off.into_iter().partition(ClockReading::is_client);
    if let Some(first) = server.first() {
        c.add(
            Draft::new(
                FindingCode::ClockSkew,
                Severity::Warning,
                text!(ClockServerTitle),
                text!(ClockServerExpl, skew = Arg::Skew(first.skew_secs)),
            )
            .with_evidence(
                server
                    .iter()
                    .map(|r| ev(r.frame, r.describe_text()))
                    .collect(),
            ),
        );
    }
    let Some(first) = client.first() else { return };
    let outcome = if all_accepted(a) {
        text!(ClockAccepted)
    } else {
        text!(ClockNotRefusal)
    };
    let dur = Arg::Duration(first.skew_secs.unsigned_abs());
    let offset = if first.skew_secs < 0 {
        text!(ClockBehind, dur = dur)
    } else {
        text!(ClockAhead, dur = dur)
    };
    c.add(
        Draft::new(
            FindingCode::ClockSkew,
            Severity::Warning,
            text!(ClockPhoneTitle, skew = Arg::Skew(first.skew_secs)),
            text!(ClockPhoneExpl, offset = offset, outcome = outcome),
        )
        .with_evidence(
            client
                .iter()
                .map(|r| ev(r.frame, r.describe_text()))
                .collect(),
        ),
    );
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
    fn the_lab_phone_clock_is_the_client_s_and_broke_nothing() {
        // 11: sipp's REGISTERs carry Date: Sat, 01 Jan 2000 00:00:00 GMT; Kamailio's nonce time
        // agrees with the capture; the registration gets 200 OK.
        let a = fixture("11-register-date-skew.pcap");
        let r = clock_readings(&a);
        let sides: Vec<(&str, bool)> = r
            .iter()
            .map(|r| (r.side.as_str(), r.skew_secs.abs() >= SKEW_THRESHOLD_SECS))
            .collect();
        assert_eq!(
            sides,
            [("client", true), ("server", false), ("client", true)]
        );
        assert!(r[1].source.starts_with("nonce"));
        assert!(broke_nothing(&a));
        let f = &run_rule(&a, skew)[0];
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.title
                .starts_with("The phone's clock is off by -9821 days"),
            "{}",
            f.title
        );
        assert!(
            f.explanation
                .contains("nothing on the server needs to change")
        );
        assert!(!f.explanation.contains("NTP on the server"));
        assert!(!f.explanation.contains("848564094"));
        assert_eq!(f.evidence.len(), 2);
        assert!(!broke_nothing(&fixture("01-register-ok.pcap")));
    }

    #[test]
    fn a_phone_clock_off_under_a_refusal_does_not_break_nothing_and_a_server_clock_leads() {
        let phone_date = "Date: Wed, 26 Jul 2019 22:13:20 GMT\n";
        let r = register(1, "z9hG4bK1", "203.0.113.5", phone_date);
        let refused = response("403 Forbidden", 1, "z9hG4bK1", "");
        let a = undiagnosed(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &refused)]);
        assert_eq!(clock_readings(&a)[0].side, "client");
        assert!(!broke_nothing(&a));
        let fs = run_rule(&a, skew);
        assert!(fs[0].title.contains("-1572 days"), "{}", fs[0].title);
        assert!(fs[0].explanation.contains("not what the server refuses"));
        // Both clocks off: one finding, the server's reading first (it can break nonces).
        let ok = response(
            "200 OK",
            1,
            "z9hG4bK1",
            "Date: Tue, 14 Nov 2023 22:16:32 GMT\n",
        );
        let a = undiagnosed(&[(PHONE, PBX, 0, &r), (PBX, PHONE, 10, &ok)]);
        assert!(!broke_nothing(&a));
        let fs = run_rule(&a, skew);
        assert_eq!(names(&fs), ["clock-skew"]);
        assert!(
            fs[0].explanation.contains("by +3 min 12 s"),
            "{}",
            fs[0].explanation
        );
        assert_eq!(fs[0].evidence.len(), 2);
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
