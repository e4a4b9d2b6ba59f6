//! The whole pipeline: capture -> SIP messages -> exchanges -> (verification) -> findings.
//!
//! `Analysis` is what the CLI prints and the GUI shows; neither adds conclusions of its own.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::capture::{Event, Nanos, PacketStream, Skips, Transport};
use crate::diagnose::{self, Finding};
use crate::error::Error;
use crate::secret::Secret;
use crate::sip::{self, Scanner, SipMessage};
use crate::transaction::{self, Exchange, IcmpNote, MessageRole};
use crate::verify::{self, CapturedAuth, Expectation, Verification};

/// TLS seen on a stream: encrypted, cannot inspect.
#[derive(Debug, Clone, Serialize)]
pub struct TlsNote {
    pub frame: u64,
    pub ts: Nanos,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub handshake: bool,
}

/// Progress of a running analysis, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub bytes_read: u64,
    pub total_bytes: Option<u64>,
    pub frames: u64,
    pub messages: usize,
}

impl Progress {
    /// Fraction done, 0..=1, when the size is known.
    pub fn fraction(&self) -> Option<f32> {
        self.total_bytes
            .filter(|&t| t > 0)
            .map(|t| (self.bytes_read as f64 / t as f64).min(1.0) as f32)
    }
}

/// Everything the tool concluded about one capture.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub file: String,
    pub format: String,
    pub link_types: Vec<String>,
    pub frames: u64,
    pub bytes: u64,
    pub first_ts: Option<Nanos>,
    pub last_ts: Option<Nanos>,
    pub messages: Vec<SipMessage>,
    pub roles: Vec<MessageRole>,
    pub exchanges: Vec<Exchange>,
    pub icmp: Vec<IcmpNote>,
    pub tls: Vec<TlsNote>,
    pub skips: Skips,
    pub verifications: Vec<Verification>,
    pub findings: Vec<Finding>,
}

/// Analyse a capture file. `progress` is called every few thousand frames; setting `cancel`
/// stops the work with `Error::Cancelled`.
pub fn analyze_file(
    path: &Path,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Analysis, Error> {
    let stream = PacketStream::open(path)?;
    analyze_stream(stream, &path.display().to_string(), progress, cancel)
}

/// Analyse an opened packet stream.
pub fn analyze_stream(
    mut stream: PacketStream,
    name: &str,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Analysis, Error> {
    let mut scanner = Scanner::new();
    let mut skips = Skips::default();
    let mut messages: Vec<SipMessage> = Vec::new();
    let mut icmp = Vec::new();
    let mut tls: Vec<TlsNote> = Vec::new();
    let mut n = 0u64;
    while let Some(ev) = stream.next_event() {
        n += 1;
        if n.is_multiple_of(4096) {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(&Progress {
                bytes_read: stream.bytes_read(),
                total_bytes: stream.total_bytes(),
                frames: stream.frames_read(),
                messages: messages.len(),
            });
        }
        match ev {
            Event::Datagram(p) => {
                if let Some(m) = scanner.datagram(p, &mut skips) {
                    messages.push(m);
                }
            }
            Event::TcpData {
                payload,
                gap_before,
            } => messages.extend(scanner.tcp(payload, gap_before, &mut skips)),
            Event::TcpClosed { src, dst } => scanner.tcp_closed(src, dst, &mut skips),
            Event::IcmpUnreachable {
                frame,
                ts,
                reporter,
                kind,
                quoted,
            } => {
                // The quote may hold the start of the SIP request: match on Call-ID and CSeq.
                let quoted_ids = sip::parse_datagram(&quoted.data).and_then(|(_, headers, ..)| {
                    let get = |n: &str| {
                        headers
                            .iter()
                            .find(|h| sip::header_is(&h.name, n))
                            .map(|h| h.value.clone())
                    };
                    Some((get("call-id")?, get("cseq")?))
                });
                let message = quoted_ids.and_then(|(cid, cseq)| {
                    messages
                        .iter()
                        .rev()
                        .find(|m| {
                            m.is_request()
                                && m.call_id() == Some(cid.as_str())
                                && m.header("cseq") == Some(cseq.as_str())
                        })
                        .map(|m| m.index)
                });
                icmp.push(IcmpNote {
                    frame,
                    ts,
                    reporter,
                    kind,
                    src: quoted.src,
                    dst: quoted.dst,
                    message,
                });
            }
            Event::Tls {
                frame,
                ts,
                src,
                dst,
                handshake,
            } => {
                if !tls.iter().any(|t| t.src == src && t.dst == dst) {
                    tls.push(TlsNote {
                        frame,
                        ts,
                        src,
                        dst,
                        handshake,
                    });
                }
            }
        }
    }
    scanner.finish(&mut skips);
    skips.merge(stream.skips());
    progress(&Progress {
        bytes_read: stream.bytes_read(),
        total_bytes: stream.total_bytes(),
        frames: stream.frames_read(),
        messages: messages.len(),
    });
    // Messages are numbered in the order they were completed; keep that order (it is the
    // order of the frame that completed each one, the order tshark lists them in).
    let grouping = transaction::group(&messages, &mut icmp);
    let mut a = Analysis {
        file: name.to_string(),
        format: stream.format().to_string(),
        link_types: stream.link_types(),
        frames: stream.frames_read(),
        bytes: stream.bytes_read(),
        first_ts: stream.first_ts(),
        last_ts: stream.last_ts(),
        messages,
        roles: grouping.roles,
        exchanges: grouping.exchanges,
        icmp,
        tls,
        skips,
        verifications: Vec::new(),
        findings: Vec::new(),
    };
    a.findings = diagnose::diagnose(&a);
    Ok(a)
}

impl Analysis {
    /// Every authenticated request (retransmissions left out), with the challenge it answers,
    /// ready for `verify`. The challenge is the newest earlier 401/407 of the same Call-ID; a
    /// request that reuses a nonce from another dialog (pre-emptive credentials, as linphone
    /// does on INVITE after REGISTER) gets the earlier challenge that carried that nonce.
    pub fn captured_auths(&self) -> Vec<CapturedAuth> {
        let mut out = Vec::new();
        // Every digest challenge so far: (message index, frame, Call-ID, challenge).
        let mut challenges: Vec<(usize, u64, String, sip::auth::AuthValue)> = Vec::new();
        for m in &self.messages {
            if let Some(status) = m.status() {
                let name = match status {
                    401 => "www-authenticate",
                    407 => "proxy-authenticate",
                    _ => continue,
                };
                for v in m.headers_named(name) {
                    if let Ok(cs) = sip::auth::parse_challenges(v) {
                        for c in cs.into_iter().filter(|c| c.is_digest()) {
                            challenges.push((
                                m.index,
                                m.frame,
                                m.call_id().unwrap_or("").to_string(),
                                c,
                            ));
                        }
                    }
                }
                continue;
            }
            if self.roles[m.index].retransmission_of.is_some() {
                continue;
            }
            let (header, value) = match (m.header("proxy-authorization"), m.header("authorization"))
            {
                (Some(v), _) => ("Proxy-Authorization", v),
                (None, Some(v)) => ("Authorization", v),
                _ => continue,
            };
            let Ok(credentials) = sip::auth::parse_credentials(value) else {
                continue;
            };
            if transaction::credentials_header(m).is_none() {
                continue; // an empty-nonce Authorization answers no challenge
            }
            let call_id = m.call_id().unwrap_or("");
            let mut same_call: Vec<(u64, sip::auth::AuthValue)> = challenges
                .iter()
                .rev()
                .filter(|c| c.2 == call_id)
                .map(|c| (c.1, c.3.clone()))
                .collect();
            if same_call.is_empty()
                && let Some(c) = challenges
                    .iter()
                    .rev()
                    .find(|c| c.3.nonce().is_some() && c.3.nonce() == credentials.nonce())
            {
                same_call.push((c.1, c.3.clone()));
            }
            let challenge = pick_challenge(&same_call, &credentials);
            let earlier = same_call
                .iter()
                .filter(|c| Some(c.0) != challenge.as_ref().map(|x| x.0))
                .cloned()
                .collect();
            out.push(CapturedAuth {
                frame: m.frame,
                method: m.method().unwrap_or("").to_string(),
                cseq_method: m.cseq().map(|c| c.1.to_string()).unwrap_or_default(),
                request_uri: m.request_uri().unwrap_or("").to_string(),
                from_user: m.from_user(),
                to_user: m.to_user(),
                header: header.to_string(),
                credentials,
                challenge,
                earlier_challenges: earlier,
                body: m.body.clone(),
            });
        }
        out
    }

    /// Check every authenticated request against what the technician typed, then diagnose
    /// again with that knowledge. The secret is used here and not kept.
    pub fn verify_with(&mut self, secret: &Secret, expect: &Expectation) {
        let refused: std::collections::HashMap<u64, bool> = self
            .exchanges
            .iter()
            .flat_map(|e| e.attempts.iter())
            .map(|x| {
                (
                    self.messages[x.request].frame,
                    x.final_status.is_some_and(|s| s >= 300),
                )
            })
            .collect();
        self.verifications = self
            .captured_auths()
            .iter()
            .map(|c| {
                let mut v = verify::verify(c, secret, expect);
                // The password is right and the server still refused: when the auth user is
                // not the account's user, that is the input the server objects to.
                let user = if c.method.eq_ignore_ascii_case("REGISTER") {
                    c.to_user.as_deref()
                } else {
                    c.from_user.as_deref()
                };
                if v.verified
                    && v.differs.is_none()
                    && refused.get(&c.frame).copied().unwrap_or(false)
                    && expect.username.is_none()
                    && user.is_some()
                    && c.credentials.username().as_deref() != user
                {
                    v.differs = Some(verify::Differs::Username);
                    v.explanation.push_str(&format!(
                        " The server refused it: the auth username {:?} is not the account's \
                         user {:?}.",
                        c.credentials.username().unwrap_or_default(),
                        user.unwrap_or_default()
                    ));
                }
                v
            })
            .collect();
        self.findings = diagnose::diagnose(self);
    }

    /// Message index -> transport label for display.
    pub fn transport_label(t: Transport) -> &'static str {
        match t {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
        }
    }

    /// Duration of the capture in seconds.
    pub fn duration_secs(&self) -> f64 {
        match (self.first_ts, self.last_ts) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => 0.0,
        }
    }
}

/// The challenge an authenticated request answers: the newest one whose nonce it echoes, else
/// the newest one with its realm, else the newest one. `challenges` is newest first.
fn pick_challenge(
    challenges: &[(u64, sip::auth::AuthValue)],
    cred: &sip::auth::AuthValue,
) -> Option<(u64, sip::auth::AuthValue)> {
    challenges
        .iter()
        .find(|c| c.1.nonce().is_some() && c.1.nonce() == cred.nonce())
        .or_else(|| challenges.first())
        .cloned()
}

/// Format a capture timestamp as UTC `YYYY-MM-DD HH:MM:SS.mmm`.
pub fn format_ts(ts: Nanos) -> String {
    let secs = ts.div_euclid(1_000_000_000);
    let ms = ts.rem_euclid(1_000_000_000) / 1_000_000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}.{ms:03}",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(format_ts(0), "1970-01-01 00:00:00.000");
        assert_eq!(
            format_ts(1_700_000_000_123_000_000),
            "2023-11-14 22:13:20.123"
        );
        for days in [-1000, 0, 59, 60, 365, 11_000, 20_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
