//! Why something in a capture was not delivered: [`SkipReason`], and the counts of them, [`Skips`].
//!
//! The wire names (kebab-case, in the JSON `skips` map and the text report) are a contract:
//! they never change. [`SkipReason`] orders, compares and hashes like its wire name, so a
//! `BTreeMap<SkipReason, u64>` lists reasons in the same (alphabetical) order a map keyed by the
//! names did, and can be looked up by the name (`counts.get("non-ip")`).

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;

macro_rules! skip_reasons {
    ($($(#[doc = $doc:literal])* $v:ident = $s:literal,)*) => {
        /// Why a frame, a payload or a message was not delivered (one counted skip).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        pub enum SkipReason {
            $($(#[doc = $doc])* #[serde(rename = $s)] $v,)*
        }

        impl SkipReason {
            /// Every reason, in declaration order.
            pub const ALL: &'static [SkipReason] = &[$(SkipReason::$v,)*];

            /// The stable wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(SkipReason::$v => $s,)*
                }
            }

            /// The reason with this wire name.
            pub fn from_name(name: &str) -> Option<SkipReason> {
                match name {
                    $($s => Some(SkipReason::$v),)*
                    _ => None,
                }
            }
        }
    };
}

skip_reasons! {
    // --- the file ---
    /// The file ends in the middle of a record; reading stops.
    TruncatedFile = "truncated-file",
    /// A record that cannot be right (bad block length, a record larger than
    /// [`limits::MAX_RECORD`](super::limits::MAX_RECORD)); reading stops there.
    CorruptRecord = "corrupt-record",
    /// A packet record that is framed correctly but whose content the pcapng reader refuses
    /// (an undeclared interface, a captured length above the original length, bad options):
    /// that one frame is skipped, reading goes on.
    RejectedRecord = "rejected-record",
    /// An I/O error while reading; reading stops.
    ReadError = "read-error",
    // --- link and network layers ---
    /// The frame ends inside a header or before the length a header announces.
    TruncatedFrame = "truncated-frame",
    /// A link type this tool does not decode.
    UnknownLinktype = "unknown-linktype",
    /// Not IPv4 or IPv6 (ARP, LLDP, ...).
    NonIp = "non-ip",
    /// An IP header that cannot be right (version, lengths, fragment offsets).
    IpHeaderError = "ip-header-error",
    /// Fragments of a datagram that never completed (or was dropped by a bound).
    FragmentIncomplete = "fragment-incomplete",
    /// A datagram got more than [`limits::MAX_FRAGMENTS_PER_DATAGRAM`](super::limits::MAX_FRAGMENTS_PER_DATAGRAM)
    /// fragments: it is dropped and the rest of its fragments are not kept.
    FragmentLimit = "fragment-limit",
    /// The pending fragments of all datagrams passed
    /// [`limits::MAX_FRAGMENT_BYTES`](super::limits::MAX_FRAGMENT_BYTES): the oldest datagram was dropped.
    FragmentMemoryLimit = "fragment-memory-limit",
    /// Tunnels nested deeper than [`limits::MAX_TUNNEL_DEPTH`](super::limits::MAX_TUNNEL_DEPTH).
    TooDeep = "too-deep",
    /// An IP protocol other than UDP, TCP, ICMP, or a tunnel.
    NotUdpOrTcp = "not-udp-or-tcp",
    /// ICMP other than destination unreachable, or an unreachable that quotes nothing usable.
    IcmpOther = "icmp-other",
    /// GRE with a version other than 0 and 1.
    GreUnsupported = "gre-unsupported",
    /// A GTP message that carries no user packet (echo, signalling).
    GtpNotUserData = "gtp-not-user-data",
    /// A GTP-U header that cannot be right.
    GtpHeaderError = "gtp-header-error",
    // --- transport ---
    /// A UDP length field below 8.
    UdpHeaderError = "udp-header-error",
    /// A TCP data offset below 5.
    TcpHeaderError = "tcp-header-error",
    /// A UDP payload that cannot start a SIP message (RTP, STUN, keep-alives).
    NotSipUdp = "not-sip-udp",
    /// A TCP direction that carries something other than SIP or TLS.
    NotSipTcp = "not-sip-tcp",
    /// A TCP segment whose bytes were all seen before.
    TcpRetransmission = "tcp-retransmission",
    /// Bytes of a TCP direction that never arrived.
    TcpGap = "tcp-gap",
    /// The directions tracked passed [`limits::MAX_TCP_STREAMS`](super::limits::MAX_TCP_STREAMS):
    /// the idlest were forgotten.
    TcpStreamEvicted = "tcp-stream-evicted",
    /// Out-of-order bytes held for all directions passed
    /// [`limits::MAX_TCP_OOO_BYTES_TOTAL`](super::limits::MAX_TCP_OOO_BYTES_TOTAL): the direction
    /// holding the most was declared to have a gap.
    TcpMemoryLimit = "tcp-memory-limit",
    // --- HEP ---
    /// A HEP packet whose protocol type is not SIP.
    HepNotSip = "hep-not-sip",
    /// A HEP packet that cannot be right.
    HepMalformed = "hep-malformed",
    /// A HEP packet without a payload chunk.
    HepNoPayload = "hep-no-payload",
    /// A compressed HEP payload that does not decompress.
    HepDecompressError = "hep-decompress-error",
    // --- SIP layer ---
    /// Looked like SIP but does not parse as a SIP message.
    UnparseableSip = "unparseable-sip",
    /// A TCP gap fell inside a SIP message: the message is lost.
    SipLostInTcpGap = "sip-lost-in-tcp-gap",
    /// The capture joined a TCP connection in the middle of a SIP message (it started while
    /// the connection was up): the bytes up to the next start line were skipped.
    SipPartialAtStreamStart = "sip-partial-at-stream-start",
    /// A SIP header section larger than the SIP layer accepts.
    SipHeaderTooLarge = "sip-header-too-large",
    /// A SIP body larger than the SIP layer accepts.
    SipBodyTooLarge = "sip-body-too-large",
    /// A TCP direction closed in the middle of a SIP message.
    SipIncompleteAtClose = "sip-incomplete-at-close",
    /// The capture ended in the middle of a SIP message on TCP.
    SipIncompleteAtEnd = "sip-incomplete-at-end",
    /// A SIP message with more headers than [`crate::limits`] allows: the extra ones are dropped.
    SipTooManyHeaders = "sip-too-many-headers",
    /// An auth header with more challenges than [`crate::limits`] allows: the extra ones are dropped.
    SipTooManyChallenges = "sip-too-many-challenges",
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Compared, ordered and hashed as the wire name (see the module doc).
impl Ord for SkipReason {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}
impl PartialOrd for SkipReason {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl std::hash::Hash for SkipReason {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}
impl AsRef<str> for SkipReason {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}
impl Borrow<str> for SkipReason {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// Things not delivered, by reason.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Skips {
    pub counts: BTreeMap<SkipReason, u64>,
}

impl Skips {
    pub fn add(&mut self, reason: SkipReason) {
        self.add_n(reason, 1);
    }
    pub fn add_n(&mut self, reason: SkipReason, n: u64) {
        if n > 0 {
            *self.counts.entry(reason).or_default() += n;
        }
    }
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
    /// The count of a reason, given as itself or by its wire name.
    pub fn get(&self, reason: impl AsRef<str>) -> u64 {
        self.counts.get(reason.as_ref()).copied().unwrap_or(0)
    }
    /// Add every count of `other`.
    pub fn merge(&mut self, other: &Skips) {
        for (&r, &n) in &other.counts {
            self.add_n(r, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_count_and_total() {
        let mut s = Skips::default();
        s.add(SkipReason::NonIp);
        s.add(SkipReason::NonIp);
        s.add_n(SkipReason::TcpGap, 3);
        s.add_n(SkipReason::TooDeep, 0);
        assert_eq!(s.get(SkipReason::NonIp), 2);
        assert_eq!(s.total(), 5);
        assert!(!s.counts.contains_key(&SkipReason::TooDeep));
        assert_eq!(s.counts.get("non-ip"), Some(&2));
        assert_eq!(s.get("non-ip"), 2);
        let mut t = Skips::default();
        t.add(SkipReason::TcpGap);
        t.merge(&s);
        assert_eq!(t.get(SkipReason::TcpGap), 4);
    }

    #[test]
    fn wire_names_are_kebab_case_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for &r in SkipReason::ALL {
            let s = r.as_str();
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{s}"
            );
            assert!(seen.insert(s), "duplicate {s}");
            assert_eq!(SkipReason::from_name(s), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(s));
            assert_eq!(r.to_string(), s);
        }
        assert_eq!(SkipReason::from_name("no-such-reason"), None);
    }

    #[test]
    fn serialises_as_the_same_sorted_name_map() {
        let mut s = Skips::default();
        s.add(SkipReason::TruncatedFrame);
        s.add(SkipReason::NotSipUdp);
        s.add(SkipReason::CorruptRecord);
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"counts":{"corrupt-record":1,"not-sip-udp":1,"truncated-frame":1}}"#
        );
    }
}
