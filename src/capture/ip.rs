//! IPv4 (RFC 791) and IPv6 (RFC 8200) packets, fragment reassembly, and ICMP/ICMPv6
//! destination-unreachable quotes (RFC 792, RFC 4443).
//!
//! The headers are read with etherparse's checked views (`Ipv4HeaderSlice`, `Ipv6HeaderSlice`,
//! the IPv6 extension header slices, `Icmpv4Slice`, `Icmpv6Slice`). Ours is only what those
//! do not decide for us: which length to trust (an IPv4 Total Length of 0 from a capture taken
//! with segmentation offload, an IPv6 Payload Length of 0 with a jumbogram), the walk over IPv6
//! extension headers (etherparse's `Ipv6ExtensionsSlice` reads on past a Fragment header into
//! fragment data and does not know Mobility, HIP or Shim6 headers), and reassembly:
//! `etherparse::defrag` keeps every datagram without a bound and rescans its list of ranges for
//! each fragment, so [`Reassembler`] is ours (bounded, each fragment O(log n)).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;

use etherparse::{
    IpAuthHeaderSlice, Ipv4HeaderSlice, Ipv6FragmentHeaderSlice, Ipv6HeaderSlice,
    Ipv6RawExtHeaderSlice, err, icmpv4, icmpv6,
};

use super::SkipReason::{
    self, FragmentIncomplete, FragmentLimit, FragmentMemoryLimit, IpHeaderError, TruncatedFrame,
};
use super::limits::{
    FRAGMENT_TIMEOUT_FRAMES, MAX_DATAGRAM, MAX_FRAGMENT_BYTES, MAX_FRAGMENTS_PER_DATAGRAM,
    MAX_HEADER_CHAIN, MAX_PENDING_DATAGRAMS,
};
use super::{Skips, be16};

/// Fragment information of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frag {
    /// Offset of this fragment's data in the original payload, in bytes.
    pub offset: usize,
    pub more: bool,
    pub id: u32,
}

/// A parsed IP packet: addresses, upper-layer protocol and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct IpPacket<'a> {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// Upper-layer protocol (IPv4 Protocol / IPv6 Next Header after extension headers).
    pub proto: u8,
    /// Set when this packet is a fragment (not when it is a whole datagram).
    pub frag: Option<Frag>,
    pub payload: &'a [u8],
}

fn v4_error(e: err::ipv4::HeaderSliceError) -> SkipReason {
    match e {
        err::ipv4::HeaderSliceError::Len(_) => TruncatedFrame,
        err::ipv4::HeaderSliceError::Content(_) => IpHeaderError,
    }
}

/// RFC 791 section 3.1. Total Length is "the length of the datagram ... including internet
/// header and data": bytes after it (Ethernet padding) are not data. Fragment Offset is
/// "measured in units of 8 octets".
pub fn parse_ipv4(b: &[u8]) -> Result<IpPacket<'_>, SkipReason> {
    let h = Ipv4HeaderSlice::from_slice(b).map_err(v4_error)?;
    let ihl = h.slice().len();
    let mut total = h.total_len() as usize;
    if total == 0 {
        // Captured on the sending host with TCP segmentation offload: the length is not filled
        // in yet. Take what was captured.
        total = b.len();
    }
    if total < ihl {
        return Err(IpHeaderError);
    }
    if total > b.len() {
        return Err(TruncatedFrame);
    }
    let more = h.more_fragments();
    let offset = h.fragments_offset().value() as usize * 8;
    Ok(IpPacket {
        src: IpAddr::V4(h.source_addr()),
        dst: IpAddr::V4(h.destination_addr()),
        proto: h.protocol().0,
        frag: (more || offset != 0).then_some(Frag {
            offset,
            more,
            id: h.identification() as u32,
        }),
        payload: &b[ihl..total],
    })
}

fn v6_error(e: err::ipv6::HeaderSliceError) -> SkipReason {
    match e {
        err::ipv6::HeaderSliceError::Len(_) => TruncatedFrame,
        err::ipv6::HeaderSliceError::Content(_) => IpHeaderError,
    }
}

/// RFC 8200 section 3: Payload Length is "the rest of the packet following this IPv6 header"
/// (0 with a Jumbo Payload option, RFC 2675: then what was captured).
pub fn parse_ipv6(b: &[u8]) -> Result<IpPacket<'_>, SkipReason> {
    let h = Ipv6HeaderSlice::from_slice(b).map_err(v6_error)?;
    let plen = h.payload_length() as usize;
    let end = if plen == 0 { b.len() } else { 40 + plen };
    if end > b.len() {
        return Err(TruncatedFrame);
    }
    let (proto, frag, payload) = walk_ext(h.next_header().0, &b[40..end])?;
    Ok(IpPacket {
        src: IpAddr::V6(h.source_addr()),
        dst: IpAddr::V6(h.destination_addr()),
        proto,
        frag,
        payload,
    })
}

/// IPv6 extension headers of the RFC 6564 uniform format: Hop-by-Hop (0), Routing (43),
/// Destination Options (60), Mobility (135), HIP (139), Shim6 (140).
const UNIFORM_EXT: [u8; 6] = [0, 43, 60, 135, 139, 140];
const IPV6_FRAGMENT: u8 = 44;
const IP_AUTH: u8 = 51;

/// Walk IPv6 extension headers starting with `next`; stops at an upper-layer header or at a
/// (non-atomic) Fragment header. Also used on a reassembled fragmentable part.
pub fn walk_ext(mut next: u8, mut p: &[u8]) -> Result<(u8, Option<Frag>, &[u8]), SkipReason> {
    for _ in 0..MAX_HEADER_CHAIN {
        let len = match next {
            n if UNIFORM_EXT.contains(&n) => {
                let h = Ipv6RawExtHeaderSlice::from_slice(p).map_err(|_| TruncatedFrame)?;
                next = h.next_header().0;
                h.slice().len()
            }
            IP_AUTH => {
                let h = IpAuthHeaderSlice::from_slice(p).map_err(|e| match e {
                    err::ip_auth::HeaderSliceError::Len(_) => TruncatedFrame,
                    err::ip_auth::HeaderSliceError::Content(_) => IpHeaderError,
                })?;
                next = h.next_header().0;
                h.slice().len()
            }
            IPV6_FRAGMENT => {
                let h = Ipv6FragmentHeaderSlice::from_slice(p).map_err(|_| TruncatedFrame)?;
                next = h.next_header().0;
                let rest = &p[h.slice().len()..];
                if h.is_fragmenting_payload() {
                    let frag = Frag {
                        offset: h.fragment_offset().value() as usize * 8,
                        more: h.more_fragments(),
                        id: h.identification(),
                    };
                    return Ok((next, Some(frag), rest));
                }
                // An atomic fragment (RFC 6946): just go on.
                h.slice().len()
            }
            _ => return Ok((next, None, p)),
        };
        p = &p[len..];
    }
    Err(IpHeaderError)
}

/// Key of a datagram being reassembled: RFC 791 uses (source, destination, protocol,
/// identification); RFC 8200 section 4.5 uses (source, destination, identification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FragKey {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    pub id: u32,
}

struct Pending {
    first_frame: u64,
    frames: Vec<u64>,
    data: Vec<u8>,
    /// Received byte ranges, start -> end (exclusive), disjoint and not touching.
    have: BTreeMap<usize, usize>,
    total: Option<usize>,
    /// Upper-layer protocol (IPv6: Next Header of the offset-0 fragment's Fragment header).
    proto: Option<u8>,
}

impl Pending {
    /// Merge [start, end) into the ranges: O(log n) plus the ranges it swallows (each range
    /// is swallowed once, so a datagram's fragments cost O(n log n) in all).
    fn insert(&mut self, mut start: usize, mut end: usize) {
        if let Some((&s, &e)) = self.have.range(..=start).next_back()
            && e >= start
        {
            start = s;
            end = end.max(e);
        }
        while let Some((&s, &e)) = self.have.range(start..).next() {
            if s > end {
                break;
            }
            self.have.remove(&s);
            end = end.max(e);
        }
        self.have.insert(start, end);
    }

    fn complete(&self) -> bool {
        self.total
            .is_some_and(|t| self.have.len() == 1 && self.have.first_key_value() == Some((&0, &t)))
    }
}

/// A reassembled datagram.
pub struct Reassembled {
    pub frames: Vec<u64>,
    pub data: Vec<u8>,
    pub proto: u8,
}

/// Bounded table of datagrams being reassembled (bounds in [`super::limits`]).
pub struct Reassembler {
    pending: HashMap<FragKey, Pending>,
    /// Datagrams in the order they started (first frame, key); entries of datagrams already
    /// gone are skipped when met, so dropping the oldest is O(1) amortised.
    order: VecDeque<(u64, FragKey)>,
    /// Bytes held in all pending datagrams' buffers.
    bytes: usize,
    /// At most this many datagrams in progress (the oldest is dropped beyond).
    pub max_pending: usize,
    /// At most this many fragments per datagram.
    pub max_fragments: usize,
    /// At most this many bytes held for all datagrams.
    pub max_bytes: usize,
    /// A datagram not completed within this many frames after its first fragment is dropped.
    pub timeout_frames: u64,
}

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler {
            pending: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            max_pending: MAX_PENDING_DATAGRAMS,
            max_fragments: MAX_FRAGMENTS_PER_DATAGRAM,
            max_bytes: MAX_FRAGMENT_BYTES,
            timeout_frames: FRAGMENT_TIMEOUT_FRAMES,
        }
    }
}

impl Reassembler {
    pub fn len(&self) -> usize {
        self.pending.len()
    }
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Drop one datagram, counting its fragments under `why`.
    fn drop_key(&mut self, key: &FragKey, why: SkipReason, skips: &mut Skips) {
        if let Some(p) = self.pending.remove(key) {
            self.bytes -= p.data.len();
            skips.add_n(why, p.frames.len() as u64);
        }
    }

    /// Drop the datagram that started first; false when there is none.
    fn drop_oldest(&mut self, why: SkipReason, skips: &mut Skips) -> bool {
        while let Some((first, k)) = self.order.pop_front() {
            if self.pending.get(&k).is_some_and(|p| p.first_frame == first) {
                self.drop_key(&k, why, skips);
                return true;
            }
        }
        false
    }

    /// Add a fragment. `proto` is the protocol carried by this fragment's header (for IPv6
    /// only the offset-0 fragment's value counts). Returns the datagram when complete.
    pub fn add(
        &mut self,
        key: FragKey,
        frame: u64,
        frag: Frag,
        proto: u8,
        bytes: &[u8],
        skips: &mut Skips,
    ) -> Option<Reassembled> {
        let start = frag.offset;
        let end = start + bytes.len();
        if end > MAX_DATAGRAM || (frag.more && !bytes.len().is_multiple_of(8)) {
            // "fragments other than the last ... must be a multiple of 8 octets".
            skips.add(IpHeaderError);
            self.drop_key(&key, FragmentIncomplete, skips);
            return None;
        }
        if !self.pending.contains_key(&key) {
            while self.pending.len() >= self.max_pending
                && self.drop_oldest(FragmentIncomplete, skips)
            {}
            self.order.push_back((frame, key));
            if self.order.len() > 2 * self.max_pending.max(self.pending.len()) + 16 {
                // Forget the entries of datagrams already gone (amortised O(1)).
                let pending = &self.pending;
                self.order
                    .retain(|(f, k)| pending.get(k).is_some_and(|p| p.first_frame == *f));
            }
        }
        let p = self.pending.entry(key).or_insert_with(|| Pending {
            first_frame: frame,
            frames: Vec::new(),
            data: Vec::new(),
            have: BTreeMap::new(),
            total: None,
            proto: None,
        });
        p.frames.push(frame);
        if p.data.len() < end {
            self.bytes += end - p.data.len();
            p.data.resize(end, 0);
        }
        p.data[start..end].copy_from_slice(bytes);
        if start == 0 {
            p.proto = Some(proto);
        }
        if !frag.more {
            p.total = Some(end);
        }
        p.insert(start, end);
        let (complete, fragments) = (p.complete(), p.frames.len());
        if complete {
            let mut p = self.pending.remove(&key)?;
            self.bytes -= p.data.len();
            p.data.truncate(p.total.unwrap_or(end));
            p.frames.sort_unstable();
            p.frames.dedup();
            return Some(Reassembled {
                frames: p.frames,
                data: p.data,
                proto: p.proto.unwrap_or(proto),
            });
        }
        if fragments >= self.max_fragments {
            self.drop_key(&key, FragmentLimit, skips);
        }
        while self.bytes > self.max_bytes && self.drop_oldest(FragmentMemoryLimit, skips) {}
        None
    }

    /// Drop datagrams whose first fragment is older than the timeout.
    pub fn expire(&mut self, now_frame: u64, skips: &mut Skips) {
        while let Some(&(first, k)) = self.order.front() {
            if now_frame.saturating_sub(first) <= self.timeout_frames {
                break;
            }
            self.order.pop_front();
            if self.pending.get(&k).is_some_and(|p| p.first_frame == first) {
                self.drop_key(&k, FragmentIncomplete, skips);
            }
        }
    }

    /// At the end of the capture: whatever is left is incomplete.
    pub fn finish(&mut self, skips: &mut Skips) {
        let n: u64 = self.pending.values().map(|p| p.frames.len() as u64).sum();
        skips.add_n(FragmentIncomplete, n);
        self.pending.clear();
        self.order.clear();
        self.bytes = 0;
    }
}

/// A destination-unreachable error and the packet it quotes.
#[derive(Debug, Clone)]
pub struct Unreachable<'a> {
    pub kind: &'static str,
    /// The quoted (original) packet: its addresses, protocol and whatever bytes follow its IP
    /// header (possibly cut).
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    pub l4: &'a [u8],
}

/// RFC 792: Destination Unreachable is type 3; "Internet Header + 64 bits of Original Data
/// Datagram" follow the 8-byte ICMP header (RFC 1812 section 4.3.2.3 lets routers quote more).
/// Codes 0-5 from RFC 792, 6-12 from RFC 1122 section 3.2.2.1, 13-15 from RFC 1812.
pub fn icmpv4_unreachable(b: &[u8]) -> Option<Unreachable<'_>> {
    use icmpv4::DestUnreachableHeader as D;
    let icmp = etherparse::Icmpv4Slice::from_slice(b).ok()?;
    let kind = match icmp.icmp_type() {
        etherparse::Icmpv4Type::DestinationUnreachable(d) => match d {
            D::Network => "net unreachable",
            D::Host => "host unreachable",
            D::Protocol => "protocol unreachable",
            D::Port => "port unreachable",
            D::FragmentationNeeded { .. } => "fragmentation needed",
            D::SourceRouteFailed => "source route failed",
            D::NetworkUnknown => "destination network unknown",
            D::HostUnknown => "destination host unknown",
            D::Isolated => "source host isolated",
            D::NetworkProhibited => "network admin prohibited",
            D::HostProhibited => "host admin prohibited",
            D::TosNetwork => "network unreachable for tos",
            D::TosHost => "host unreachable for tos",
            D::FilterProhibited => "admin prohibited",
            D::HostPrecedenceViolation => "host precedence violation",
            D::PrecedenceCutoff => "precedence cutoff",
        },
        etherparse::Icmpv4Type::Unknown { type_u8: 3, .. } => "unreachable",
        _ => return None,
    };
    let q = icmp.payload();
    let h = Ipv4HeaderSlice::from_slice(q).ok()?;
    let ihl = h.slice().len();
    let total = (h.total_len() as usize).clamp(ihl, q.len());
    Some(Unreachable {
        kind,
        src: IpAddr::V4(h.source_addr()),
        dst: IpAddr::V4(h.destination_addr()),
        proto: h.protocol().0,
        l4: &q[ihl..total],
    })
}

/// RFC 4443 section 3.1: Destination Unreachable is type 1, 4 unused bytes, then "as much of
/// invoking packet as possible without the ICMPv6 packet exceeding the minimum IPv6 MTU".
pub fn icmpv6_unreachable(b: &[u8]) -> Option<Unreachable<'_>> {
    use icmpv6::DestUnreachableCode as C;
    let icmp = etherparse::Icmpv6Slice::from_slice(b).ok()?;
    let kind = match icmp.icmp_type() {
        etherparse::Icmpv6Type::DestinationUnreachable(c) => match c {
            C::NoRoute => "no route to destination",
            C::Prohibited => "admin prohibited",
            C::BeyondScope => "beyond scope of source address",
            C::Address => "address unreachable",
            C::Port => "port unreachable",
            C::SourceAddressFailedPolicy => "source address failed ingress/egress policy",
            C::RejectRoute => "reject route to destination",
        },
        etherparse::Icmpv6Type::Unknown { type_u8: 1, .. } => "unreachable",
        _ => return None,
    };
    let q = icmp.payload();
    let h = Ipv6HeaderSlice::from_slice(q).ok()?;
    let end = (40 + h.payload_length() as usize).min(q.len());
    let (proto, _frag, l4) = walk_ext(h.next_header().0, &q[40..end]).ok()?;
    Some(Unreachable {
        kind,
        src: IpAddr::V6(h.source_addr()),
        dst: IpAddr::V6(h.destination_addr()),
        proto,
        l4,
    })
}

/// Ports of a quoted UDP/TCP header (the first 4 bytes of both; a quote may stop there, so
/// not a whole etherparse header view).
pub fn ports(l4: &[u8]) -> Option<(u16, u16)> {
    Some((be16(l4, 0)?, be16(l4, 2)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::testutil::*;

    #[test]
    fn ipv4_header_checks() {
        let p = ipv4([10, 0, 0, 1], [10, 0, 0, 2], 17, &[1, 2, 3]);
        let v = parse_ipv4(&p).unwrap();
        assert_eq!(v.src, "10.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!((v.proto, v.payload, v.frag), (17, &[1u8, 2, 3][..], None));
        // Ethernet padding after the datagram is cut by Total Length.
        let mut padded = p.clone();
        padded.extend_from_slice(&[0; 10]);
        assert_eq!(parse_ipv4(&padded).unwrap().payload.len(), 3);
        // snaplen cut
        assert_eq!(parse_ipv4(&p[..21]).unwrap_err(), TruncatedFrame);
        assert_eq!(parse_ipv4(&p[..10]).unwrap_err(), TruncatedFrame);
        // bad version, bad IHL, total < IHL
        let mut b = p.clone();
        b[0] = 0x55;
        assert_eq!(parse_ipv4(&b).unwrap_err(), IpHeaderError);
        let mut b = p.clone();
        b[0] = 0x44;
        assert_eq!(parse_ipv4(&b).unwrap_err(), IpHeaderError);
        let mut b = p.clone();
        b[3] = 10;
        assert_eq!(parse_ipv4(&b).unwrap_err(), IpHeaderError);
        // TSO: length 0 means "what was captured"
        let mut b = p.clone();
        b[2] = 0;
        b[3] = 0;
        assert_eq!(parse_ipv4(&b).unwrap().payload.len(), 3);
    }

    #[test]
    fn ipv4_options_are_skipped() {
        let mut p = ipv4([1, 1, 1, 1], [2, 2, 2, 2], 17, &[9, 9]);
        // grow IHL to 6 with a 4-byte option (NOP x3 + EOL)
        p[0] = 0x46;
        p.splice(20..20, [1, 1, 1, 0]);
        let total = (p.len() as u16).to_be_bytes();
        p[2] = total[0];
        p[3] = total[1];
        assert_eq!(parse_ipv4(&p).unwrap().payload, &[9, 9]);
    }

    #[test]
    fn ipv6_extension_headers() {
        // hop-by-hop (8 bytes) -> destination options (16 bytes) -> UDP
        let mut ext = vec![60, 0, 1, 4, 0, 0, 0, 0];
        ext.extend_from_slice(&[17, 1, 1, 12]);
        ext.extend_from_slice(&[0; 12]);
        ext.extend_from_slice(&[7, 7, 7]);
        let p = ipv6(v6(1), v6(2), 0, &ext);
        let v = parse_ipv6(&p).unwrap();
        assert_eq!((v.proto, v.payload, v.frag), (17, &[7u8, 7, 7][..], None));
        // routing header cut short
        let p = ipv6(v6(1), v6(2), 43, &[17, 3, 0, 0]);
        assert_eq!(parse_ipv6(&p).unwrap_err(), TruncatedFrame);
        // fragment header
        let mut fh = vec![17, 0, 0x00, 0x11, 0, 0, 0, 42];
        fh.extend_from_slice(&[5; 8]);
        let p = ipv6(v6(1), v6(2), 44, &fh);
        let v = parse_ipv6(&p).unwrap();
        assert_eq!(
            v.frag,
            Some(Frag {
                offset: 16,
                more: true,
                id: 42
            })
        );
        assert_eq!(v.proto, 17);
        // atomic fragment is not a fragment
        let mut fh = vec![17, 0, 0, 0, 0, 0, 0, 43];
        fh.extend_from_slice(&[5; 3]);
        let v6p = ipv6(v6(1), v6(2), 44, &fh);
        let v = parse_ipv6(&v6p).unwrap();
        assert_eq!((v.frag, v.payload.len()), (None, 3));
        // payload length beyond the capture
        let mut p = ipv6(v6(1), v6(2), 17, &[1, 2]);
        p[5] = 50;
        assert_eq!(parse_ipv6(&p).unwrap_err(), TruncatedFrame);
    }

    fn key() -> FragKey {
        FragKey {
            src: "10.0.0.1".parse().unwrap(),
            dst: "10.0.0.2".parse().unwrap(),
            proto: 17,
            id: 7,
        }
    }

    #[test]
    fn reassembly_in_order_reverse_and_overlap() {
        let data: Vec<u8> = (0..100u8).collect();
        for order in [[0usize, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let mut r = Reassembler::default();
            let mut sk = Skips::default();
            let parts = [(0usize, 40usize), (40, 80), (80, 100)];
            let mut done = None;
            for (n, &i) in order.iter().enumerate() {
                let (s, e) = parts[i];
                let f = Frag {
                    offset: s,
                    more: e != 100,
                    id: 7,
                };
                let got = r.add(key(), 10 + n as u64, f, 17, &data[s..e], &mut sk);
                if n < 2 {
                    assert!(got.is_none());
                } else {
                    done = got;
                }
            }
            let d = done.expect("complete");
            assert_eq!(d.data, data);
            assert_eq!(d.frames, vec![10, 11, 12]);
            assert_eq!(d.proto, 17);
            assert!(r.is_empty());
            assert_eq!(sk.total(), 0);
        }
        // duplicate / overlapping fragment
        let mut r = Reassembler::default();
        let mut sk = Skips::default();
        assert!(
            r.add(
                key(),
                1,
                Frag {
                    offset: 0,
                    more: true,
                    id: 7
                },
                17,
                &data[..48],
                &mut sk
            )
            .is_none()
        );
        assert!(
            r.add(
                key(),
                2,
                Frag {
                    offset: 0,
                    more: true,
                    id: 7
                },
                17,
                &data[..48],
                &mut sk
            )
            .is_none()
        );
        assert!(
            r.add(
                key(),
                3,
                Frag {
                    offset: 40,
                    more: true,
                    id: 7
                },
                17,
                &data[40..64],
                &mut sk
            )
            .is_none()
        );
        let d = r
            .add(
                key(),
                4,
                Frag {
                    offset: 64,
                    more: false,
                    id: 7,
                },
                17,
                &data[64..],
                &mut sk,
            )
            .unwrap();
        assert_eq!(d.data, data);
        assert_eq!(d.frames, vec![1, 2, 3, 4]);
    }

    #[test]
    fn reassembly_bounds_and_timeout() {
        let mut sk = Skips::default();
        let mut r = Reassembler {
            max_pending: 2,
            timeout_frames: 10,
            ..Default::default()
        };
        for id in 0..3 {
            let k = FragKey { id, ..key() };
            assert!(
                r.add(
                    k,
                    id as u64,
                    Frag {
                        offset: 0,
                        more: true,
                        id
                    },
                    17,
                    &[0; 8],
                    &mut sk
                )
                .is_none()
            );
        }
        assert_eq!(r.len(), 2);
        assert_eq!(sk.get(FragmentIncomplete), 1);
        r.expire(100, &mut sk);
        assert!(r.is_empty());
        assert_eq!(sk.get(FragmentIncomplete), 3);
        // too large
        assert!(
            r.add(
                key(),
                1,
                Frag {
                    offset: 65528,
                    more: false,
                    id: 7
                },
                17,
                &[0; 16],
                &mut sk
            )
            .is_none()
        );
        assert_eq!(sk.get(IpHeaderError), 1);
        // non-final fragment not a multiple of 8
        assert!(
            r.add(
                key(),
                1,
                Frag {
                    offset: 0,
                    more: true,
                    id: 7
                },
                17,
                &[0; 9],
                &mut sk
            )
            .is_none()
        );
        assert_eq!(sk.get(IpHeaderError), 2);
        r.add(
            key(),
            1,
            Frag {
                offset: 8,
                more: true,
                id: 7,
            },
            17,
            &[0; 8],
            &mut sk,
        );
        r.finish(&mut sk);
        assert_eq!(sk.get(FragmentIncomplete), 4);
    }

    #[test]
    fn icmp_quotes() {
        let inner = ipv4(
            [10, 0, 0, 1],
            [10, 0, 0, 2],
            17,
            &udp(5060, 5080, b"REGISTER sip:x SIP/2.0\r\n"),
        );
        let mut icmp = vec![3, 3, 0, 0, 0, 0, 0, 0];
        icmp.extend_from_slice(&inner[..20 + 8 + 8]);
        let u = icmpv4_unreachable(&icmp).unwrap();
        assert_eq!(u.kind, "port unreachable");
        assert_eq!(u.dst, "10.0.0.2".parse::<IpAddr>().unwrap());
        assert_eq!(u.proto, 17);
        assert_eq!(ports(u.l4), Some((5060, 5080)));
        assert_eq!(&u.l4[8..], b"REGISTER");
        assert!(icmpv4_unreachable(&icmp[..20]).is_none());
        icmp[0] = 11;
        assert!(icmpv4_unreachable(&icmp).is_none());

        let inner = ipv6(v6(1), v6(2), 17, &udp(5060, 5060, b"OPTIONS"));
        let mut icmp = vec![1, 4, 0, 0, 0, 0, 0, 0];
        icmp.extend_from_slice(&inner);
        let u = icmpv6_unreachable(&icmp).unwrap();
        assert_eq!((u.kind, u.proto), ("port unreachable", 17));
        assert_eq!(&u.l4[8..], b"OPTIONS");
        assert!(icmpv6_unreachable(&icmp[..30]).is_none());
    }

    fn frag(offset: usize, more: bool) -> Frag {
        Frag {
            offset,
            more,
            id: 7,
        }
    }

    #[test]
    fn ranges_merge_in_any_order() {
        let mut p = Pending {
            first_frame: 0,
            frames: Vec::new(),
            data: Vec::new(),
            have: BTreeMap::new(),
            total: None,
            proto: None,
        };
        for (s, e) in [
            (40, 48),
            (0, 8),
            (16, 24),
            (8, 16),
            (30, 44),
            (100, 108),
            (24, 30),
        ] {
            p.insert(s, e);
        }
        let got: Vec<(usize, usize)> = p.have.iter().map(|(&s, &e)| (s, e)).collect();
        assert_eq!(got, vec![(0, 48), (100, 108)]);
        p.total = Some(108);
        assert!(!p.complete());
        p.insert(48, 100);
        assert!(p.complete());
    }

    /// A flood of tiny fragments of one datagram that never completes: what is held stays
    /// within the per-datagram cap, and every fragment is counted once as a skip.
    #[test]
    fn tiny_fragment_flood_is_bounded_and_counted() {
        let mut r = Reassembler::default();
        let mut sk = Skips::default();
        let n = 3000usize;
        let mut most_held = 0;
        for i in 0..n {
            // every other 8-byte slot: no two ranges touch, the worst case for the range map
            let off = (i * 16) % (MAX_DATAGRAM - 16);
            let off = off - off % 8;
            assert!(
                r.add(key(), i as u64, frag(off, true), 17, &[0; 8], &mut sk)
                    .is_none()
            );
            let held: usize = r.pending.values().map(|p| p.frames.len()).sum();
            most_held = most_held.max(held);
            assert!(
                r.pending
                    .values()
                    .all(|p| p.have.len() <= MAX_FRAGMENTS_PER_DATAGRAM)
            );
        }
        assert!(most_held < MAX_FRAGMENTS_PER_DATAGRAM, "{most_held}");
        let dropped = (n / MAX_FRAGMENTS_PER_DATAGRAM * MAX_FRAGMENTS_PER_DATAGRAM) as u64;
        assert_eq!(sk.get(FragmentLimit), dropped);
        r.finish(&mut sk);
        assert_eq!(sk.get(FragmentIncomplete), n as u64 - dropped);
        assert_eq!(sk.total(), n as u64);
    }

    /// Many datagrams that each never complete: the table and its age queue stay bounded.
    #[test]
    fn distinct_datagram_flood_is_bounded() {
        let mut r = Reassembler {
            max_pending: 64,
            ..Default::default()
        };
        let mut sk = Skips::default();
        for id in 0..5000u32 {
            let k = FragKey { id, ..key() };
            r.add(
                k,
                id as u64,
                Frag {
                    id,
                    ..frag(0, true)
                },
                17,
                &[0; 8],
                &mut sk,
            );
            assert!(r.len() <= 64);
            assert!(r.order.len() <= 2 * 64 + 17, "{}", r.order.len());
        }
        assert_eq!(sk.get(FragmentIncomplete), 5000 - 64);
        // Completed datagrams leave no stale queue entries behind for long either.
        for id in 10_000..15_000u32 {
            let k = FragKey { id, ..key() };
            let f = Frag {
                id,
                ..frag(0, false)
            };
            assert!(r.add(k, id as u64, f, 17, &[1; 8], &mut sk).is_some());
            assert!(r.order.len() <= 2 * 64 + 17);
        }
    }

    #[test]
    fn fragment_bytes_are_bounded_in_all() {
        let mut r = Reassembler {
            max_bytes: 2000,
            ..Default::default()
        };
        let mut sk = Skips::default();
        for id in 0..3u32 {
            let k = FragKey { id, ..key() };
            r.add(
                k,
                id as u64,
                Frag {
                    id,
                    ..frag(0, true)
                },
                17,
                &[0; 800],
                &mut sk,
            );
        }
        assert_eq!(r.len(), 2);
        assert_eq!(sk.get(FragmentMemoryLimit), 1);
        assert!(r.bytes <= 2000);
        // The oldest went: id 0 is gone, 1 and 2 remain.
        assert!(!r.pending.contains_key(&FragKey { id: 0, ..key() }));
    }
}
