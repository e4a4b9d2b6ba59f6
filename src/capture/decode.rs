//! From one frame to events: link layer, IP (fragments, tunnels), UDP/TCP/ICMP, GTP-U, GRE, HEP.
//!
//! The UDP header is etherparse's `UdpHeaderSlice`; GTP-U and GRE are read here because
//! etherparse has neither.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};

use etherparse::{TcpHeaderSlice, UdpHeaderSlice};

use super::SkipReason::{self, *};
use super::hep;
use super::ip::{self, FragKey, IpPacket, Reassembler};
use super::limits::{MAX_HEADER_CHAIN, MAX_TUNNEL_DEPTH, SWEEP_EVERY};
use super::link::{self, Net};
use super::tcp::{self, TcpTable};
use super::{Event, Frames, InChunk, Nanos, Payload, RawFrame, Skips, Transport, be16};
/// GTP-U user plane port (3GPP TS 29.281 section 4.4.2.3).
pub const GTPU_PORT: u16 = 2152;

#[derive(Clone, Copy)]
struct Ctx {
    frame: u64,
    ts: Nanos,
    /// Where the frame's bytes are in memory and in the file, to tell the file offset of a
    /// payload that is a slice of them.
    bytes: (usize, usize),
    file_offset: Option<u64>,
}

impl Ctx {
    /// The file offset of `data` when it is a slice of this frame's own bytes.
    fn offset_of(&self, data: &[u8]) -> Option<u64> {
        let p = data.as_ptr() as usize;
        let (start, len) = self.bytes;
        if p < start || p + data.len() > start + len {
            return None;
        }
        Some(self.file_offset? + (p - start) as u64)
    }
}

/// Decoding state that lives across frames.
pub struct Decoder {
    pub out: VecDeque<Event>,
    pub skips: Skips,
    pub frags: Reassembler,
    pub tcp: TcpTable,
    /// Datagram buffers handed back by the scanner (see [`Decoder::recycle`]).
    spare: Vec<Vec<u8>>,
    /// Plain datagrams are handed as [`Event::InChunk`] (see
    /// [`super::PacketStream::share_datagrams`]).
    pub share: bool,
}

/// Most spent datagram buffers a decoder keeps for reuse (about one batch's worth).
const SPARE_BUFFERS: usize = 4096;
/// Buffers bigger than this are not kept for reuse (a few jumbo datagrams must not leave
/// thousands of big buffers behind).
const SPARE_CAPACITY: usize = 4096;

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    pub fn new() -> Self {
        Decoder {
            out: VecDeque::new(),
            skips: Skips::default(),
            frags: Reassembler::default(),
            tcp: TcpTable::default(),
            spare: Vec::new(),
            share: false,
        }
    }

    /// Take back datagram buffers whose bytes were scanned: the next datagrams are copied
    /// into them, so a datagram costs no allocation (and no free on another thread).
    pub fn recycle(&mut self, bufs: impl IntoIterator<Item = Vec<u8>>) {
        let room = SPARE_BUFFERS.saturating_sub(self.spare.len());
        let small = bufs.into_iter().filter(|b| b.capacity() <= SPARE_CAPACITY);
        self.spare.extend(small.take(room));
    }

    /// Drop the buffers kept for reuse (the stream is read to its end).
    pub fn release_spare(&mut self) {
        self.spare = Vec::new();
    }

    /// `data` in a buffer of its own (a recycled one when there is one).
    fn owned(&mut self, data: &[u8]) -> Vec<u8> {
        match self.spare.pop() {
            Some(mut v) => {
                v.clear();
                v.extend_from_slice(data);
                v
            }
            None => data.to_vec(),
        }
    }

    /// Decode frame number `n` (1-based).
    pub fn frame(&mut self, n: u64, f: &RawFrame<'_>) {
        if n.is_multiple_of(SWEEP_EVERY) {
            self.frags.expire(n, &mut self.skips);
            self.tcp.sweep(n, &mut self.out, &mut self.skips);
        }
        let c = Ctx {
            frame: n,
            ts: f.ts,
            bytes: (f.data.as_ptr() as usize, f.data.len()),
            file_offset: f.file_offset,
        };
        match link::decode_link(f.link_type, f.data) {
            Ok(net) => self.net(c, net, 0),
            Err(r) => self.skips.add(r),
        }
    }

    /// End of capture: what is still pending is flushed or counted.
    pub fn finish(&mut self) {
        self.frags.finish(&mut self.skips);
        self.tcp.finish(&mut self.out, &mut self.skips);
    }

    fn net(&mut self, c: Ctx, net: Net<'_>, depth: u8) {
        if depth > MAX_TUNNEL_DEPTH {
            self.skips.add(TooDeep);
            return;
        }
        let (pkt, v6): (Result<IpPacket<'_>, _>, bool) = match net {
            Net::V4(b) => (ip::parse_ipv4(b), false),
            Net::V6(b) => (ip::parse_ipv6(b), true),
        };
        let pkt = match pkt {
            Ok(p) => p,
            Err(r) => {
                self.skips.add(r);
                return;
            }
        };
        let Some(fr) = pkt.frag else {
            self.l4(c, pkt.src, pkt.dst, pkt.proto, pkt.payload, None, depth);
            return;
        };
        let key = FragKey {
            src: pkt.src,
            dst: pkt.dst,
            proto: if v6 { 0 } else { pkt.proto },
            id: fr.id,
        };
        let Some(r) = self
            .frags
            .add(key, c.frame, fr, pkt.proto, pkt.payload, &mut self.skips)
        else {
            return;
        };
        if v6 {
            // The reassembled fragmentable part may start with more extension headers.
            match ip::walk_ext(r.proto, &r.data) {
                Ok((proto, None, payload)) => {
                    self.l4(c, pkt.src, pkt.dst, proto, payload, Some(&r.frames), depth)
                }
                Ok(_) => self.skips.add(IpHeaderError),
                Err(e) => self.skips.add(e),
            }
        } else {
            self.l4(
                c,
                pkt.src,
                pkt.dst,
                r.proto,
                &r.data,
                Some(&r.frames),
                depth,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn l4(
        &mut self,
        c: Ctx,
        src: IpAddr,
        dst: IpAddr,
        proto: u8,
        p: &[u8],
        frames: Option<&[u64]>,
        depth: u8,
    ) {
        match proto {
            17 => self.udp(c, src, dst, p, frames, depth),
            6 => match tcp::parse_tcp(p) {
                Ok(seg) => {
                    let s = SocketAddr::new(src, seg.src_port);
                    let d = SocketAddr::new(dst, seg.dst_port);
                    self.tcp
                        .segment(c.frame, c.ts, s, d, &seg, &mut self.out, &mut self.skips);
                }
                Err(r) => self.skips.add(r),
            },
            1 if src.is_ipv4() => match ip::icmpv4_unreachable(p) {
                Some(u) => self.unreachable(c, src, u),
                None => self.skips.add(IcmpOther),
            },
            58 if src.is_ipv6() => match ip::icmpv6_unreachable(p) {
                Some(u) => self.unreachable(c, src, u),
                None => self.skips.add(IcmpOther),
            },
            // RFC 2003 IP in IP, RFC 2473 IPv6 in IP (also IPv6 in IPv4, RFC 4213).
            4 => self.net(c, Net::V4(p), depth + 1),
            41 => self.net(c, Net::V6(p), depth + 1),
            47 => match gre(p) {
                Ok(net) => self.net(c, net, depth + 1),
                Err(r) => self.skips.add(r),
            },
            _ => self.skips.add(NotUdpOrTcp),
        }
    }

    /// RFC 768: Source Port, Destination Port, Length ("the length in octets of this user
    /// datagram including this header"), Checksum. Checksums are not verified: captures taken
    /// on the sending host carry unfilled checksums (offload).
    fn udp(
        &mut self,
        c: Ctx,
        src: IpAddr,
        dst: IpAddr,
        p: &[u8],
        frames: Option<&[u64]>,
        depth: u8,
    ) {
        let Ok(h) = UdpHeaderSlice::from_slice(p) else {
            self.skips.add(TruncatedFrame);
            return;
        };
        let (sport, dport) = (h.source_port(), h.destination_port());
        let len = h.length() as usize;
        let end = if len == 0 { p.len() } else { len };
        if end < 8 {
            self.skips.add(UdpHeaderError);
            return;
        }
        if end > p.len() {
            self.skips.add(TruncatedFrame);
            return;
        }
        let data = &p[8..end];
        if (sport == GTPU_PORT || dport == GTPU_PORT)
            && let Some(inner) = gtpu(data)
        {
            match inner {
                Ok(inner) => match link::raw_ip(inner) {
                    Ok(net) => self.net(c, net, depth + 1),
                    Err(r) => self.skips.add(r),
                },
                Err(r) => self.skips.add(r),
            }
            return;
        }
        if hep::is_hep3(data) {
            match hep::parse_hep3(data) {
                Ok(h) => {
                    if h.proto_type.is_some_and(|t| t != 1) {
                        self.skips.add(HepNotSip);
                        return;
                    }
                    self.out.push_back(Event::Datagram(Payload {
                        frame: c.frame,
                        frames: frames.map_or(Frames::One(c.frame), Frames::from),
                        ts: c.ts,
                        src: h.src,
                        dst: h.dst,
                        transport: if h.ip_proto == 6 {
                            Transport::Tcp
                        } else {
                            Transport::Udp
                        },
                        data: h.payload,
                        at: None,
                    }));
                }
                Err(r) => self.skips.add(r),
            }
            return;
        }
        // A SIP message starts with a method or "SIP/2.0" (RFC 3261 section 7): a letter.
        // Anything else (RTP, RTCP, STUN, keep-alive CRLFs) cannot start one.
        if !data.first().is_some_and(u8::is_ascii_alphabetic) {
            self.skips.add(NotSipUdp);
            return;
        }
        let (src, dst) = (SocketAddr::new(src, sport), SocketAddr::new(dst, dport));
        // Reassembled fragments are not in the file as one piece.
        let at = if frames.is_none() {
            c.offset_of(data)
        } else {
            None
        };
        if self.share
            && let Some(at) = at
        {
            self.out.push_back(Event::InChunk(InChunk {
                frame: c.frame,
                ts: c.ts,
                src,
                dst,
                at,
                len: data.len() as u32,
            }));
            return;
        }
        let owned = self.owned(data);
        self.out.push_back(Event::Datagram(Payload {
            frame: c.frame,
            frames: frames.map_or(Frames::One(c.frame), Frames::from),
            ts: c.ts,
            src,
            dst,
            transport: Transport::Udp,
            data: owned,
            at,
        }));
    }

    fn unreachable(&mut self, c: Ctx, reporter: IpAddr, u: ip::Unreachable<'_>) {
        let Some((sp, dp)) = ip::ports(u.l4) else {
            self.skips.add(IcmpOther);
            return;
        };
        let (transport, data): (Transport, &[u8]) = match u.proto {
            // The quote may stop anywhere after the ports: no whole header, no data.
            17 => {
                let data = UdpHeaderSlice::from_slice(u.l4).map_or(&[][..], |h| {
                    let ulen = h.length() as usize;
                    let end = if ulen >= 8 {
                        ulen.min(u.l4.len())
                    } else {
                        u.l4.len()
                    };
                    &u.l4[8..end.max(8)]
                });
                (Transport::Udp, data)
            }
            6 => {
                let data =
                    TcpHeaderSlice::from_slice(u.l4).map_or(&[][..], |h| &u.l4[h.slice().len()..]);
                (Transport::Tcp, data)
            }
            _ => {
                self.skips.add(IcmpOther);
                return;
            }
        };
        self.out.push_back(Event::IcmpUnreachable {
            frame: c.frame,
            ts: c.ts,
            reporter,
            kind: u.kind.to_string(),
            quoted: Payload {
                frame: c.frame,
                frames: Frames::One(c.frame),
                ts: c.ts,
                src: SocketAddr::new(u.src, sp),
                dst: SocketAddr::new(u.dst, dp),
                transport,
                data: data.to_vec(),
                at: None,
            },
        });
    }
}

/// GTP-U (3GPP TS 29.281 section 5.1): flags octet (Version = 1 in the top 3 bits, PT = 1, E, S,
/// PN), Message Type (255 = G-PDU carries a user IP packet), Length (octets after the first 8),
/// TEID; if any of E/S/PN is set, Sequence Number (2), N-PDU Number (1) and Next Extension
/// Header Type (1) follow; each extension header has its length in 4-octet units in its first
/// octet and the next type in its last octet (section 5.2). Returns None when this is not GTPv1
/// at all, Some(Err) for a GTP message without a user packet.
fn gtpu(d: &[u8]) -> Option<Result<&[u8], SkipReason>> {
    if d.len() < 8 || d[0] >> 5 != 1 || d[0] & 0x10 == 0 {
        return None;
    }
    if d[1] != 255 {
        return Some(Err(GtpNotUserData));
    }
    let len = u16::from_be_bytes([d[2], d[3]]) as usize;
    let end = (8 + len).min(d.len());
    let mut p = 8;
    if d[0] & 0x07 != 0 {
        if end < 12 {
            return Some(Err(TruncatedFrame));
        }
        let mut next = d[11];
        p = 12;
        let mut n = 0;
        while next != 0 {
            n += 1;
            let Some(&l) = d.get(p) else {
                return Some(Err(TruncatedFrame));
            };
            let l = l as usize * 4;
            if l == 0 || p + l > end || n > MAX_HEADER_CHAIN {
                return Some(Err(GtpHeaderError));
            }
            next = d[p + l - 1];
            p += l;
        }
    }
    Some(d.get(p..end).ok_or(TruncatedFrame))
}

/// GRE: RFC 2784 (C bit, then Reserved0 and Ver; optional Checksum+Reserved1), RFC 2890 (K and
/// S bits add Key and Sequence Number), RFC 1701 (R bit: Offset plus a list of Source Route
/// Entries ending with a zero-length one), and the enhanced GRE of PPTP (RFC 2637 section 4.1:
/// Ver = 1, Key always present, S and A (0x0080) add Sequence and Acknowledgment numbers).
/// The Protocol Type is an EtherType (0x880B for PPP, 0x6558 for bridged Ethernet).
pub fn gre(p: &[u8]) -> Result<Net<'_>, SkipReason> {
    let flags = be16(p, 0).ok_or(TruncatedFrame)?;
    let proto = be16(p, 2).ok_or(TruncatedFrame)?;
    let mut off = 4usize;
    match flags & 7 {
        0 => {
            if flags & 0xC000 != 0 {
                off += 4;
            }
            if flags & 0x2000 != 0 {
                off += 4;
            }
            if flags & 0x1000 != 0 {
                off += 4;
            }
            if flags & 0x4000 != 0 {
                // Source Route Entries: Address Family (2), SRE Offset (1), SRE Length (1).
                loop {
                    let len = *p.get(off + 3).ok_or(TruncatedFrame)? as usize;
                    off += 4 + len;
                    if len == 0 {
                        break;
                    }
                }
            }
        }
        1 => {
            off += 4;
            if flags & 0x1000 != 0 {
                off += 4;
            }
            if flags & 0x0080 != 0 {
                off += 4;
            }
        }
        _ => return Err(GreUnsupported),
    }
    let body = p.get(off..).ok_or(TruncatedFrame)?;
    link::by_ethertype(proto, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::testutil::*;

    const SIP: &[u8] = b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n";

    #[test]
    fn udp_datagram_and_drops() {
        let f = pcap_file(
            1,
            &[
                eth_udp([10, 0, 0, 1], 5060, [10, 0, 0, 2], 5070, SIP),
                eth_udp([10, 0, 0, 1], 4000, [10, 0, 0, 2], 4002, &[0x80, 0, 1, 2]), // RTP
                eth_udp([10, 0, 0, 1], 4000, [10, 0, 0, 2], 4002, b"\r\n\r\n"),      // keep-alive
                eth(0x0806, &[0; 28]),
                eth(0x0800, &ipv4([1, 1, 1, 1], [2, 2, 2, 2], 132, &[0; 12])), // SCTP
            ],
        );
        let (ev, sk) = run(f);
        assert_eq!(ev.len(), 1);
        let Event::Datagram(p) = &ev[0] else { panic!() };
        assert_eq!(p.data, SIP);
        assert_eq!(p.src, "10.0.0.1:5060".parse().unwrap());
        assert_eq!(p.dst, "10.0.0.2:5070".parse().unwrap());
        assert_eq!(
            (p.frame, p.frames.to_vec(), p.transport),
            (1, vec![1], Transport::Udp)
        );
        assert_eq!(p.ts, 1_700_000_000_000_000_000);
        assert_eq!(sk.get(NotSipUdp), 2);
        assert_eq!(sk.get(NonIp), 1);
        assert_eq!(sk.get(NotUdpOrTcp), 1);
    }

    /// Buffers handed back are filled again with the next datagrams' bytes (the same bytes
    /// as fresh ones); big ones and more than the bound are not kept.
    #[test]
    fn recycled_buffers_carry_the_next_datagrams() {
        let other = b"REGISTER sip:x SIP/2.0\r\nCall-ID: 7\r\n\r\n";
        let f = pcap_file(
            1,
            &[
                eth_udp([10, 0, 0, 1], 5060, [10, 0, 0, 2], 5060, SIP),
                eth_udp([10, 0, 0, 1], 5060, [10, 0, 0, 2], 5060, other),
            ],
        );
        let fresh = datagrams(&run(f.clone()).0);
        let mut s = crate::capture::PacketStream::from_reader(
            Box::new(std::io::Cursor::new(f)),
            std::path::Path::new("mem"),
            None,
        )
        .unwrap();
        let mut left_over = Vec::with_capacity(256);
        left_over.extend_from_slice(&[b'#'; 200]);
        let mut used = vec![left_over];
        let marks: Vec<*const u8> = used.iter().map(|b| b.as_ptr()).collect();
        s.recycle(std::mem::take(&mut used));
        let mut got = Vec::new();
        let mut reused = 0;
        while let Some(ev) = s.next_event() {
            if let Event::Datagram(p) = ev {
                reused += usize::from(marks.contains(&p.data.as_ptr()));
                got.push(p.data);
            }
        }
        assert_eq!(got, fresh);
        assert_eq!(reused, 1, "the handed-back buffer was filled again");
        let mut d = Decoder::new();
        d.recycle((0..SPARE_BUFFERS + 10).map(|_| Vec::with_capacity(64)));
        d.recycle([Vec::with_capacity(SPARE_CAPACITY + 1)]);
        assert_eq!(d.spare.len(), SPARE_BUFFERS);
        assert!(d.spare.iter().all(|b| b.capacity() <= SPARE_CAPACITY));
        d.release_spare();
        assert!(d.spare.is_empty());
    }

    #[test]
    fn snaplen_truncated_frame_is_counted() {
        let full = eth_udp([10, 0, 0, 1], 5060, [10, 0, 0, 2], 5060, SIP);
        let mut f = pcap_header(1, false, false);
        pcap_record(&mut f, false, 1, 0, &full[..60], full.len() as u32);
        let (ev, sk) = run(f);
        assert!(ev.is_empty());
        assert_eq!(sk.get(TruncatedFrame), 1);
    }

    #[test]
    fn udp_length_checks() {
        let mut u = udp(5060, 5060, SIP);
        u[5] = 3; // length < 8
        let f = pcap_file(101, &[ipv4([1, 1, 1, 1], [2, 2, 2, 2], 17, &u)]);
        assert_eq!(run(f).1.get(UdpHeaderError), 1);
        let mut u = udp(5060, 5060, SIP);
        u[4] = 0xFF;
        let f = pcap_file(101, &[ipv4([1, 1, 1, 1], [2, 2, 2, 2], 17, &u)]);
        assert_eq!(run(f).1.get(TruncatedFrame), 1);
        // UDP length shorter than the IP payload: trailing bytes are not data
        let mut u = udp(5060, 5060, SIP);
        u.extend_from_slice(b"JUNK");
        let f = pcap_file(101, &[ipv4([1, 1, 1, 1], [2, 2, 2, 2], 17, &u)]);
        assert_eq!(datagrams(&run(f).0), vec![SIP.to_vec()]);
    }

    fn big_sip(n: usize) -> Vec<u8> {
        let mut v = b"INVITE sip:x SIP/2.0\r\n".to_vec();
        while v.len() < n {
            v.push(b'a' + (v.len() % 26) as u8);
        }
        v
    }

    #[test]
    fn ipv4_fragments_in_order_and_reverse() {
        let body = udp(5060, 5060, &big_sip(3000));
        let parts: Vec<Vec<u8>> = body
            .chunks(1480)
            .enumerate()
            .map(|(i, ch)| {
                let more = (i + 1) * 1480 < body.len();
                eth(
                    0x0800,
                    &ipv4_frag([10, 0, 0, 1], [10, 0, 0, 2], 17, 77, i * 1480, more, ch),
                )
            })
            .collect();
        assert_eq!(parts.len(), 3);
        for rev in [false, true] {
            let mut p = parts.clone();
            if rev {
                p.reverse();
            }
            let (ev, sk) = run(pcap_file(1, &p));
            assert_eq!(ev.len(), 1, "{sk:?}");
            let Event::Datagram(d) = &ev[0] else { panic!() };
            assert_eq!(d.data, big_sip(3000));
            assert_eq!(d.frames, vec![1, 2, 3]);
            assert_eq!(d.frame, 3);
            assert_eq!(sk.total(), 0);
        }
        // one fragment missing: counted at the end
        let (ev, sk) = run(pcap_file(1, &parts[..2]));
        assert!(ev.is_empty());
        assert_eq!(sk.get(FragmentIncomplete), 2);
    }

    #[test]
    fn ipv6_fragments_reassembled() {
        let body = udp(5060, 5060, &big_sip(2000));
        let mk = |off: usize, more: bool, ch: &[u8]| {
            let mut fh = vec![17, 0];
            fh.extend_from_slice(&(((off / 8) as u16) << 3 | more as u16).to_be_bytes());
            fh.extend_from_slice(&99u32.to_be_bytes());
            fh.extend_from_slice(ch);
            eth(0x86DD, &ipv6(v6(1), v6(2), 44, &fh))
        };
        let frames = vec![mk(1232, false, &body[1232..]), mk(0, true, &body[..1232])];
        let (ev, sk) = run(pcap_file(1, &frames));
        assert_eq!(datagrams(&ev), vec![big_sip(2000)], "{sk:?}");
        let Event::Datagram(d) = &ev[0] else { panic!() };
        assert_eq!(d.src, "[2001:db8::1]:5060".parse().unwrap());
    }

    #[test]
    fn tunnels_ipip_gre_gtp() {
        let inner = ipv4(
            [192, 168, 0, 1],
            [192, 168, 0, 2],
            17,
            &udp(5060, 5060, SIP),
        );
        let inner6 = ipv6(v6(1), v6(2), 17, &udp(5060, 5060, SIP));
        let ipip = ipv4([1, 1, 1, 1], [2, 2, 2, 2], 4, &inner);
        let six4 = ipv4([1, 1, 1, 1], [2, 2, 2, 2], 41, &inner6);
        // GRE v0 with key and sequence, IPv4 inside
        let mut g0 = vec![0x30, 0x00, 0x08, 0x00, 0, 0, 0, 1, 0, 0, 0, 2];
        g0.extend_from_slice(&inner);
        // enhanced GRE (PPTP) with sequence, PPP inside
        let mut g1 = vec![
            0x30, 0x01, 0x88, 0x0B, 0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0x03, 0x00, 0x21,
        ];
        g1.extend_from_slice(&inner);
        // GTP-U with sequence number and one extension header (PDU session container)
        let mut gtp = vec![0x36, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x85, 1, 0, 0, 0];
        gtp.extend_from_slice(&inner6);
        let glen = ((gtp.len() - 8) as u16).to_be_bytes();
        gtp[2] = glen[0];
        gtp[3] = glen[1];
        let frames = vec![
            eth(0x0800, &ipip),
            eth(0x0800, &six4),
            eth(0x0800, &ipv4([1, 1, 1, 1], [2, 2, 2, 2], 47, &g0)),
            eth(0x0800, &ipv4([1, 1, 1, 1], [2, 2, 2, 2], 47, &g1)),
            eth_udp([1, 1, 1, 1], 2152, [2, 2, 2, 2], 2152, &gtp),
            eth_udp(
                [1, 1, 1, 1],
                2152,
                [2, 2, 2, 2],
                2152,
                &[0x32, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0],
            ), // echo request
        ];
        let (ev, sk) = run(pcap_file(1, &frames));
        let d = datagrams(&ev);
        assert_eq!(d.len(), 5, "{sk:?}");
        assert!(d.iter().all(|x| x == SIP));
        let Event::Datagram(p) = &ev[0] else { panic!() };
        assert_eq!(p.src, "192.168.0.1:5060".parse().unwrap());
        let Event::Datagram(p) = &ev[4] else { panic!() };
        assert_eq!(p.dst, "[2001:db8::2]:5060".parse().unwrap());
        assert_eq!(sk.get(GtpNotUserData), 1);
        // GRE with routing (RFC 1701) and unsupported version
        let mut gr = vec![
            0x40, 0x00, 0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0,
        ];
        gr.extend_from_slice(&inner);
        assert!(matches!(gre(&gr), Ok(Net::V4(_))));
        assert_eq!(gre(&[0, 3, 8, 0]).unwrap_err(), GreUnsupported);
        assert_eq!(gre(&[0x80, 0, 8, 0]).unwrap_err(), TruncatedFrame);
    }

    #[test]
    fn tunnel_depth_is_bounded() {
        let mut p = ipv4([1, 1, 1, 1], [2, 2, 2, 2], 17, &udp(5060, 5060, SIP));
        for _ in 0..20 {
            p = ipv4([1, 1, 1, 1], [2, 2, 2, 2], 4, &p);
        }
        let (ev, sk) = run(pcap_file(101, &[p]));
        assert!(ev.is_empty());
        assert_eq!(sk.get(TooDeep), 1);
    }

    #[test]
    fn icmp_unreachable_event() {
        let orig = ipv4([10, 0, 0, 1], [10, 0, 0, 9], 17, &udp(5060, 5060, SIP));
        let mut icmp = vec![3, 13, 0, 0, 0, 0, 0, 0];
        icmp.extend_from_slice(&orig[..60]); // a router quoting 32 bytes of UDP payload
        let mut v6icmp = vec![1, 4, 0, 0, 0, 0, 0, 0];
        v6icmp.extend_from_slice(&ipv6(v6(1), v6(2), 17, &udp(5070, 5080, SIP)));
        let frames = vec![
            eth(0x0800, &ipv4([10, 0, 0, 254], [10, 0, 0, 1], 1, &icmp)),
            eth(0x86DD, &ipv6(v6(2), v6(1), 58, &v6icmp)),
            eth(
                0x0800,
                &ipv4([10, 0, 0, 254], [10, 0, 0, 1], 1, &[8, 0, 0, 0, 0, 0, 0, 0]),
            ), // echo
        ];
        let (ev, sk) = run(pcap_file(1, &frames));
        assert_eq!(ev.len(), 2);
        let Event::IcmpUnreachable {
            frame,
            reporter,
            kind,
            quoted,
            ..
        } = &ev[0]
        else {
            panic!()
        };
        assert_eq!((*frame, kind.as_str()), (1, "admin prohibited"));
        assert_eq!(*reporter, "10.0.0.254".parse::<IpAddr>().unwrap());
        assert_eq!(quoted.src, "10.0.0.1:5060".parse().unwrap());
        assert_eq!(quoted.dst, "10.0.0.9:5060".parse().unwrap());
        assert_eq!(quoted.transport, Transport::Udp);
        assert_eq!(quoted.data, &SIP[..60 - 28]);
        let Event::IcmpUnreachable { kind, quoted, .. } = &ev[1] else {
            panic!()
        };
        assert_eq!(kind, "port unreachable");
        assert_eq!(quoted.data, SIP);
        assert_eq!(quoted.dst.port(), 5080);
        assert_eq!(sk.get(IcmpOther), 1);
    }

    #[test]
    fn hep3_inner_payload() {
        let s: SocketAddr = "172.16.0.1:5060".parse().unwrap();
        let d: SocketAddr = "172.16.0.2:5060".parse().unwrap();
        let frames = vec![
            eth_udp(
                [1, 1, 1, 1],
                40000,
                [2, 2, 2, 2],
                9060,
                &hep::build_hep3(s, d, 17, SIP, false),
            ),
            eth_udp(
                [1, 1, 1, 1],
                40000,
                [2, 2, 2, 2],
                9060,
                &hep::build_hep3(d, s, 6, SIP, true),
            ),
            eth_udp([1, 1, 1, 1], 40000, [2, 2, 2, 2], 9060, b"HEP3\x00\x09abc"),
        ];
        let (ev, sk) = run(pcap_file(1, &frames));
        assert_eq!(ev.len(), 2);
        let Event::Datagram(p) = &ev[0] else { panic!() };
        assert_eq!(
            (p.src, p.dst, p.transport, p.frame),
            (s, d, Transport::Udp, 1)
        );
        assert_eq!(p.data, SIP);
        let Event::Datagram(p) = &ev[1] else { panic!() };
        assert_eq!((p.src, p.transport, p.frame), (d, Transport::Tcp, 2));
        assert_eq!(p.data, SIP);
        assert_eq!(sk.get(HepMalformed), 1);
    }

    #[test]
    fn tcp_through_the_stack() {
        let a = [10, 0, 0, 1];
        let b = [10, 0, 0, 2];
        let frames = vec![
            eth_tcp(a, 40000, b, 5060, 1000, SYN, b""),
            eth_tcp(a, 40000, b, 5060, 1001, ACK | PSH, &SIP[..10]),
            eth_tcp(a, 40000, b, 5060, 1021, ACK | PSH, &SIP[20..]), // early
            eth_tcp(a, 40000, b, 5060, 1011, ACK | PSH, &SIP[10..20]),
            eth_tcp(a, 40000, b, 5060, 1011, ACK | PSH, &SIP[10..20]), // retransmission
            eth_tcp(a, 40000, b, 5060, 1001 + SIP.len() as u32, ACK | FIN, b""),
        ];
        let (ev, sk) = run(pcap_file(1, &frames));
        let d = tcp_data(&ev);
        assert_eq!(d.concat_data(), SIP);
        assert!(d.iter().all(|x| !x.1));
        assert!(ev.iter().any(|e| matches!(e, Event::TcpClosed { .. })));
        assert_eq!(sk.get(TcpRetransmission), 1);
    }

    trait Concat {
        fn concat_data(&self) -> Vec<u8>;
    }
    impl Concat for Vec<(Vec<u8>, bool)> {
        fn concat_data(&self) -> Vec<u8> {
            self.iter().flat_map(|x| x.0.clone()).collect()
        }
    }
}
