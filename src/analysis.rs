//! The whole pipeline: capture -> SIP messages -> exchanges -> (verification) -> findings.
//!
//! `Analysis` (in [`crate::model`]) is what the CLI prints and the GUI shows; neither adds
//! conclusions of its own.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::accounts::{self, Focus};
use crate::capture::{Event, PacketStream, Skips};
use crate::diagnose;
use crate::error::Error;
use crate::secret::Secret;
use crate::sip::{self, Scanner, SipMessage};
use crate::transaction::{self, IcmpNote};
use crate::verify::{self, Expectation};

pub use crate::model::{Analysis, Progress, TlsNote};

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
    let mut requests: HashMap<(String, String), usize> = HashMap::new();
    let mut indexed = 0;
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
                // Requests indexed by (Call-ID, CSeq) as they come, the newest kept: no scan
                // of all earlier messages per ICMP error.
                for m in &messages[indexed..] {
                    if m.is_request()
                        && let (Some(cid), Some(cseq)) = (m.call_id(), m.header("cseq"))
                    {
                        requests.insert((cid.to_string(), cseq.to_string()), m.index);
                    }
                }
                indexed = messages.len();
                let message = quoted_ids.and_then(|k| requests.get(&k).copied());
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
        accounts: Vec::new(),
    };
    a.accounts = accounts::build(&a.messages, &a.exchanges);
    a.rediagnose();
    Ok(a)
}

impl Analysis {
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
                let user = crate::model::account_user(
                    &c.method,
                    c.from_user.as_deref(),
                    c.to_user.as_deref(),
                );
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
        self.rediagnose();
    }

    /// Diagnose again and give every account its findings and root cause.
    pub fn rediagnose(&mut self) {
        self.findings = diagnose::diagnose(self);
        let tls: Vec<_> = self
            .tls
            .iter()
            .map(|t| (t.frame, t.src.ip(), t.dst.ip()))
            .collect();
        accounts::attach(
            &mut self.accounts,
            &mut self.findings,
            &self.exchanges,
            &self.messages,
            &tls,
        );
    }

    /// The analysis narrowed to the accounts `focus` matches: their messages (renumbered),
    /// exchanges (grouped again), ICMP errors and verifications, diagnosed again, so every
    /// finding, step and verification speaks of those accounts only. Every index in the
    /// result is valid for the result. Work proportional to the selection (plus the
    /// accounts). An empty focus returns a copy.
    pub fn focus(&self, focus: &Focus) -> Analysis {
        if focus.is_empty() {
            return self.clone();
        }
        let sel = accounts::select(
            focus,
            &self.accounts,
            &self.exchanges,
            &self.messages,
            &self.icmp,
        );
        let renumber: HashMap<usize, usize> = sel
            .messages
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new))
            .collect();
        let messages: Vec<SipMessage> = sel
            .messages
            .iter()
            .enumerate()
            .map(|(new, &old)| {
                let mut m = self.messages[old].clone();
                m.index = new;
                m
            })
            .collect();
        let mut icmp: Vec<IcmpNote> = self
            .icmp
            .iter()
            .filter(|n| sel.has_frame(n.frame))
            .map(|n| IcmpNote {
                message: n.message.and_then(|i| renumber.get(&i).copied()),
                ..n.clone()
            })
            .collect();
        let clients: std::collections::HashSet<std::net::IpAddr> = sel
            .accounts
            .iter()
            .map(|&i| self.accounts[i].client.ip())
            .collect();
        let tls = self
            .tls
            .iter()
            .filter(|t| clients.contains(&t.src.ip()) || clients.contains(&t.dst.ip()))
            .cloned()
            .collect();
        let verifications = self
            .verifications
            .iter()
            .filter(|v| sel.has_frame(v.frame))
            .cloned()
            .collect();
        let grouping = transaction::group(&messages, &mut icmp);
        let mut a = Analysis {
            file: self.file.clone(),
            format: self.format.clone(),
            link_types: self.link_types.clone(),
            frames: self.frames,
            bytes: self.bytes,
            first_ts: self.first_ts,
            last_ts: self.last_ts,
            messages,
            roles: grouping.roles,
            exchanges: grouping.exchanges,
            icmp,
            tls,
            skips: self.skips.clone(),
            verifications,
            findings: Vec::new(),
            accounts: Vec::new(),
        };
        a.accounts = accounts::build(&a.messages, &a.exchanges);
        a.rediagnose();
        a
    }
}

#[cfg(test)]
mod tests {
    use crate::accounts::Focus;
    use crate::finding::FindingCode;
    use crate::model::Analysis;
    use crate::testutil::fixture;

    /// Every index of an analysis points inside it.
    fn assert_indexes_valid(a: &Analysis) {
        assert_eq!(a.roles.len(), a.messages.len());
        for (i, m) in a.messages.iter().enumerate() {
            assert_eq!(m.index, i);
        }
        for (i, e) in a.exchanges.iter().enumerate() {
            assert_eq!(e.id, i);
            assert!(e.messages.iter().all(|&m| m < a.messages.len()));
            for at in &e.attempts {
                assert!(at.request < a.messages.len());
                assert!(at.responses.iter().all(|&r| r < a.messages.len()));
                assert!(at.icmp.iter().all(|&n| n < a.icmp.len()));
            }
        }
        for r in &a.roles {
            assert!(r.exchange.is_none_or(|x| x < a.exchanges.len()));
            assert!(r.retransmission_of.is_none_or(|x| x < a.messages.len()));
        }
        assert!(
            a.icmp
                .iter()
                .all(|n| n.message.is_none_or(|m| m < a.messages.len()))
        );
        for f in &a.findings {
            assert!(f.exchanges.iter().all(|&x| x < a.exchanges.len()));
        }
        for acc in &a.accounts {
            assert!(acc.exchanges.iter().all(|&x| x < a.exchanges.len()));
            assert!(acc.findings.iter().all(|&x| x < a.findings.len()));
        }
    }

    #[test]
    fn focus_narrows_renumbers_and_diagnoses_again() {
        let a = fixture("13-office-register-mixed.pcap");
        assert_indexes_valid(&a);
        assert_eq!(a.accounts.len(), 24);
        let f = a.focus(&Focus {
            account: Some("2023".into()),
            client: None,
        });
        assert_indexes_valid(&f);
        assert_eq!(f.accounts.len(), 1);
        assert_eq!(f.accounts[0].user, "2023");
        assert!(f.messages.len() < a.messages.len());
        assert!(
            f.messages
                .iter()
                .all(|m| m.src.ip().to_string() == "127.0.10.23"
                    || m.dst.ip().to_string() == "127.0.10.23")
        );
        // Re-diagnosed: only this phone's causes, nothing of the other phones.
        assert_eq!(f.findings[0].code, FindingCode::BruteForceBlock);
        assert!(
            f.findings
                .iter()
                .all(|x| x.code != FindingCode::AuthUsernameMismatch)
        );
        assert!(
            f.findings
                .iter()
                .all(|x| !x.explanation.contains(" of 24 accounts"))
        );
        assert_eq!(f.accounts[0].root_cause, Some(FindingCode::BruteForceBlock));
        assert!(f.census().is_none());
        // The same root cause as in the whole capture.
        let whole = a.accounts.iter().find(|x| x.user == "2023").unwrap();
        assert_eq!(whole.root_cause, f.accounts[0].root_cause);
        // A healthy phone focused: no error at all.
        let ok = a.focus(&Focus {
            account: None,
            client: Some("127.0.10.5".parse().unwrap()),
        });
        assert_indexes_valid(&ok);
        assert!(!ok.has_error(), "{:?}", ok.findings);
        // No focus: the same analysis.
        assert_eq!(a.focus(&Focus::default()).messages.len(), a.messages.len());
        // Nothing matches: an empty analysis, still consistent.
        let none = a.focus(&Focus {
            account: Some("nobody".into()),
            client: None,
        });
        assert_indexes_valid(&none);
        assert!(none.exchanges.is_empty() && none.accounts.is_empty());
    }
}
