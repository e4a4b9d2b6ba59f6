//! IPv4 (RFC 791) and IPv6 (RFC 8200) header views, fragment reassembly, and ICMP/ICMPv6
//! destination-unreachable quotes (RFC 792, RFC 4443).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Skips, be16, be32};

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

/// RFC 791 section 3.1: Version (4), IHL (4, in 32-bit words, at least 5), Total Length (16,
/// "length of the datagram ... including internet header and data"), Identification, flags
/// (bit 2 = More Fragments), Fragment Offset (13 bits, "measured in units of 8 octets"),
/// Protocol at offset 9, addresses at 12 and 16; options fill the header up to IHL.
pub fn parse_ipv4(b: &[u8]) -> Result<IpPacket<'_>, &'static str> {
    if b.len() < 20 {
        return Err("truncated-frame");
    }
    if b[0] >> 4 != 4 {
        return Err("ip-header-error");
    }
    let ihl = (b[0] & 0x0F) as usize * 4;
    if ihl < 20 {
        return Err("ip-header-error");
    }
    let mut total = u16::from_be_bytes([b[2], b[3]]) as usize;
    if total == 0 {
        // Captured on the sending host with TCP segmentation offload: the length is not filled
        // in yet. Take what was captured.
        total = b.len();
    }
    if total < ihl {
        return Err("ip-header-error");
    }
    if total > b.len() {
        return Err("truncated-frame");
    }
    let id = u16::from_be_bytes([b[4], b[5]]) as u32;
    let ff = u16::from_be_bytes([b[6], b[7]]);
    let more = ff & 0x2000 != 0;
    let offset = (ff & 0x1FFF) as usize * 8;
    let src = Ipv4Addr::new(b[12], b[13], b[14], b[15]);
    let dst = Ipv4Addr::new(b[16], b[17], b[18], b[19]);
    Ok(IpPacket {
        src: IpAddr::V4(src),
        dst: IpAddr::V4(dst),
        proto: b[9],
        frag: (more || offset != 0).then_some(Frag { offset, more, id }),
        payload: &b[ihl..total],
    })
}

fn v6addr(b: &[u8]) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[..16]);
    Ipv6Addr::from(a)
}

/// RFC 8200 section 3: 40-byte fixed header, Payload Length at 4 ("length of the IPv6 payload,
/// i.e., the rest of the packet following this IPv6 header ... in octets"; 0 with a Jumbo
/// Payload option, RFC 2675), Next Header at 6, addresses at 8 and 24. Extension headers are
/// walked (section 4): Hop-by-Hop (0), Routing (43), Destination Options (60) and AH (51, RFC
/// 4302: length in 32-bit words minus 2); a Fragment header (44) makes the packet a fragment.
pub fn parse_ipv6(b: &[u8]) -> Result<IpPacket<'_>, &'static str> {
    if b.len() < 40 {
        return Err("truncated-frame");
    }
    if b[0] >> 4 != 6 {
        return Err("ip-header-error");
    }
    let plen = u16::from_be_bytes([b[4], b[5]]) as usize;
    let end = if plen == 0 { b.len() } else { 40 + plen };
    if end > b.len() {
        return Err("truncated-frame");
    }
    let (proto, frag, payload) = walk_ext(b[6], &b[40..end])?;
    Ok(IpPacket {
        src: IpAddr::V6(v6addr(&b[8..])),
        dst: IpAddr::V6(v6addr(&b[24..])),
        proto,
        frag,
        payload,
    })
}

/// Walk IPv6 extension headers starting with `next`; stops at an upper-layer header or at a
/// (non-atomic) Fragment header. Also used on a reassembled fragmentable part.
pub fn walk_ext(mut next: u8, mut p: &[u8]) -> Result<(u8, Option<Frag>, &[u8]), &'static str> {
    for _ in 0..16 {
        match next {
            0 | 43 | 60 | 135 | 139 | 140 => {
                // Hdr Ext Len: "8-octet units, not including the first 8 octets".
                let len = (*p.get(1).ok_or("truncated-frame")? as usize + 1) * 8;
                if p.len() < len {
                    return Err("truncated-frame");
                }
                next = p[0];
                p = &p[len..];
            }
            51 => {
                let len = (*p.get(1).ok_or("truncated-frame")? as usize + 2) * 4;
                if p.len() < len {
                    return Err("truncated-frame");
                }
                next = p[0];
                p = &p[len..];
            }
            44 => {
                // RFC 8200 section 4.5: Next Header, Reserved, Fragment Offset (13 bits, 8-octet
                // units) | Res | M, Identification (32).
                if p.len() < 8 {
                    return Err("truncated-frame");
                }
                let fo = u16::from_be_bytes([p[2], p[3]]);
                let offset = (fo >> 3) as usize * 8;
                let more = fo & 1 == 1;
                let id = u32::from_be_bytes([p[4], p[5], p[6], p[7]]);
                next = p[0];
                p = &p[8..];
                if offset != 0 || more {
                    return Ok((next, Some(Frag { offset, more, id }), p));
                }
                // An atomic fragment (RFC 6946): just go on.
            }
            _ => return Ok((next, None, p)),
        }
    }
    Err("ip-header-error")
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
    /// Received byte ranges [start, end), sorted and merged.
    have: Vec<(usize, usize)>,
    total: Option<usize>,
    /// Upper-layer protocol (IPv6: Next Header of the offset-0 fragment's Fragment header).
    proto: Option<u8>,
}

/// A reassembled datagram.
pub struct Reassembled {
    pub frames: Vec<u64>,
    pub data: Vec<u8>,
    pub proto: u8,
}

/// Bounded table of datagrams being reassembled.
pub struct Reassembler {
    pending: HashMap<FragKey, Pending>,
    /// At most this many datagrams in progress (the oldest is dropped beyond).
    pub max_pending: usize,
    /// A datagram not completed within this many frames after its first fragment is dropped.
    pub timeout_frames: u64,
}

/// Largest datagram accepted (the IPv4 and non-jumbo IPv6 payload limit).
pub const MAX_DATAGRAM: usize = 65535;

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler {
            pending: HashMap::new(),
            max_pending: 1024,
            timeout_frames: 50_000,
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
            skips.add("ip-header-error");
            if let Some(p) = self.pending.remove(&key) {
                skips.add_n("fragment-incomplete", p.frames.len() as u64);
            }
            return None;
        }
        if !self.pending.contains_key(&key) && self.pending.len() >= self.max_pending {
            let oldest = self
                .pending
                .iter()
                .min_by_key(|(_, p)| p.first_frame)
                .map(|(k, _)| *k);
            if let Some(k) = oldest
                && let Some(p) = self.pending.remove(&k)
            {
                skips.add_n("fragment-incomplete", p.frames.len() as u64);
            }
        }
        let p = self.pending.entry(key).or_insert_with(|| Pending {
            first_frame: frame,
            frames: Vec::new(),
            data: Vec::new(),
            have: Vec::new(),
            total: None,
            proto: None,
        });
        p.frames.push(frame);
        if p.data.len() < end {
            p.data.resize(end, 0);
        }
        p.data[start..end].copy_from_slice(bytes);
        if start == 0 {
            p.proto = Some(proto);
        }
        if !frag.more {
            p.total = Some(end);
        }
        // merge [start, end) into the sorted range list
        p.have.push((start, end));
        p.have.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(p.have.len());
        for &(s, e) in &p.have {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        p.have = merged;
        let total = p.total?;
        if p.have.len() == 1 && p.have[0] == (0, total) {
            let mut p = self.pending.remove(&key)?;
            p.data.truncate(total);
            p.frames.sort_unstable();
            p.frames.dedup();
            return Some(Reassembled {
                frames: p.frames,
                data: p.data,
                proto: p.proto.unwrap_or(proto),
            });
        }
        None
    }

    /// Drop datagrams whose first fragment is older than the timeout.
    pub fn expire(&mut self, now_frame: u64, skips: &mut Skips) {
        let t = self.timeout_frames;
        let mut dropped = 0u64;
        self.pending.retain(|_, p| {
            let keep = now_frame.saturating_sub(p.first_frame) <= t;
            if !keep {
                dropped += p.frames.len() as u64;
            }
            keep
        });
        skips.add_n("fragment-incomplete", dropped);
    }

    /// At the end of the capture: whatever is left is incomplete.
    pub fn finish(&mut self, skips: &mut Skips) {
        let n: u64 = self.pending.values().map(|p| p.frames.len() as u64).sum();
        skips.add_n("fragment-incomplete", n);
        self.pending.clear();
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
    if b.len() < 8 || b[0] != 3 {
        return None;
    }
    let kind = match b[1] {
        0 => "net unreachable",
        1 => "host unreachable",
        2 => "protocol unreachable",
        3 => "port unreachable",
        4 => "fragmentation needed",
        5 => "source route failed",
        6 => "destination network unknown",
        7 => "destination host unknown",
        8 => "source host isolated",
        9 => "network admin prohibited",
        10 => "host admin prohibited",
        11 => "network unreachable for tos",
        12 => "host unreachable for tos",
        13 => "admin prohibited",
        14 => "host precedence violation",
        15 => "precedence cutoff",
        _ => "unreachable",
    };
    let q = &b[8..];
    if q.len() < 20 || q[0] >> 4 != 4 {
        return None;
    }
    let ihl = (q[0] & 0x0F) as usize * 4;
    if ihl < 20 || q.len() < ihl {
        return None;
    }
    let total = (be16(q, 2)? as usize).clamp(ihl, q.len());
    Some(Unreachable {
        kind,
        src: IpAddr::V4(Ipv4Addr::new(q[12], q[13], q[14], q[15])),
        dst: IpAddr::V4(Ipv4Addr::new(q[16], q[17], q[18], q[19])),
        proto: q[9],
        l4: &q[ihl..total],
    })
}

/// RFC 4443 section 3.1: Destination Unreachable is type 1, 4 unused bytes, then "as much of
/// invoking packet as possible without the ICMPv6 packet exceeding the minimum IPv6 MTU".
pub fn icmpv6_unreachable(b: &[u8]) -> Option<Unreachable<'_>> {
    if b.len() < 8 || b[0] != 1 {
        return None;
    }
    let kind = match b[1] {
        0 => "no route to destination",
        1 => "admin prohibited",
        2 => "beyond scope of source address",
        3 => "address unreachable",
        4 => "port unreachable",
        5 => "source address failed ingress/egress policy",
        6 => "reject route to destination",
        _ => "unreachable",
    };
    let q = &b[8..];
    if q.len() < 40 || q[0] >> 4 != 6 {
        return None;
    }
    let plen = be16(q, 4)? as usize;
    let end = (40 + plen).min(q.len());
    let (proto, _frag, l4) = walk_ext(q[6], &q[40..end]).ok()?;
    Some(Unreachable {
        kind,
        src: IpAddr::V6(v6addr(&q[8..])),
        dst: IpAddr::V6(v6addr(&q[24..])),
        proto,
        l4,
    })
}

/// Ports of a quoted UDP/TCP header (the first 4 bytes of both).
pub fn ports(l4: &[u8]) -> Option<(u16, u16)> {
    Some((be16(l4, 0)?, be16(l4, 2)?))
}

/// Sequence number of a TCP header (used for quoted TCP).
pub fn tcp_seq(l4: &[u8]) -> Option<u32> {
    be32(l4, 4)
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
        assert_eq!(parse_ipv4(&p[..21]).unwrap_err(), "truncated-frame");
        assert_eq!(parse_ipv4(&p[..10]).unwrap_err(), "truncated-frame");
        // bad version, bad IHL, total < IHL
        let mut b = p.clone();
        b[0] = 0x55;
        assert_eq!(parse_ipv4(&b).unwrap_err(), "ip-header-error");
        let mut b = p.clone();
        b[0] = 0x44;
        assert_eq!(parse_ipv4(&b).unwrap_err(), "ip-header-error");
        let mut b = p.clone();
        b[3] = 10;
        assert_eq!(parse_ipv4(&b).unwrap_err(), "ip-header-error");
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
        assert_eq!(parse_ipv6(&p).unwrap_err(), "truncated-frame");
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
        assert_eq!(parse_ipv6(&p).unwrap_err(), "truncated-frame");
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
        assert_eq!(sk.get("fragment-incomplete"), 1);
        r.expire(100, &mut sk);
        assert!(r.is_empty());
        assert_eq!(sk.get("fragment-incomplete"), 3);
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
        assert_eq!(sk.get("ip-header-error"), 1);
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
        assert_eq!(sk.get("ip-header-error"), 2);
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
        assert_eq!(sk.get("fragment-incomplete"), 4);
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
}
