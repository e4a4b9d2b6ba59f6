//! Link layers: from a frame of a given LINKTYPE to the IP packet inside.
//!
//! Link type values and header layouts are those of the tcpdump.org LINKTYPE registry
//! (draft-ietf-opsawg-pcaplinktype): 0 NULL (4-byte address family in the *capturing host's*
//! byte order), 1 Ethernet, 12/14 (old DLT_RAW values on some BSDs), 101 RAW (IPv4 or IPv6, told
//! apart by the version nibble), 108 LOOP (family in network byte order), 113 LINUX_SLL
//! (16-byte header, protocol type at offset 14), 228 IPV4, 229 IPV6, 276 LINUX_SLL2 (20-byte
//! header, protocol type at offset 0).

use etherparse::{Ethernet2HeaderSlice, SingleVlanHeaderSlice, ether_type};

use super::SkipReason::{self, NonIp, TruncatedFrame, UnknownLinktype};
use super::be16;
use super::limits::MAX_HEADER_CHAIN;

/// The network-layer packet found in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Net<'a> {
    V4(&'a [u8]),
    V6(&'a [u8]),
}

/// The 802.1Q tag types etherparse follows (0x8100, 0x88A8, 0x9100), and the pre-standard
/// QinQ 0x9200 that some switches still send.
pub const ETHERTYPE_VLAN: [u16; 4] = [
    ether_type::VLAN_TAGGED_FRAME.0,
    ether_type::PROVIDER_BRIDGING.0,
    ether_type::VLAN_DOUBLE_TAGGED_FRAME.0,
    0x9200,
];
/// PPPoE session stage (RFC 2516); etherparse has no PPPoE.
pub const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;
/// MPLS unicast and multicast (RFC 5332); etherparse has no MPLS.
pub const ETHERTYPE_MPLS: [u16; 2] = [0x8847, 0x8848];
/// GRE protocol type for PPP (RFC 2637) and transparent Ethernet bridging.
pub const ETHERTYPE_PPP: u16 = 0x880B;
pub const ETHERTYPE_TEB: u16 = 0x6558;

pub fn link_type_name(lt: u32) -> String {
    match lt {
        0 => "null".into(),
        1 => "ethernet".into(),
        12 | 14 | 101 => "raw".into(),
        108 => "loop".into(),
        113 => "linux-sll".into(),
        228 => "ipv4".into(),
        229 => "ipv6".into(),
        276 => "linux-sll2".into(),
        n => format!("linktype-{n}"),
    }
}

/// Decode a frame of link type `lt`. Errors are skip reasons.
///
/// Ethernet and VLAN tags are etherparse's. LINUX_SLL is read here, not with etherparse's
/// `LinuxSllHeaderSlice`: that refuses every ARPHRD type but Ethernet, netlink, IP-GRE,
/// radiotap and FRAD, and `tcpdump -i any` captures of a SIP server are mostly loopback (772)
/// and tunnel (65534) frames. SLL2, NULL and LOOP etherparse does not have.
pub fn decode_link(lt: u32, d: &[u8]) -> Result<Net<'_>, SkipReason> {
    match lt {
        1 => ethernet(d),
        12 | 14 | 101 => raw_ip(d),
        228 => Ok(Net::V4(d)),
        229 => Ok(Net::V6(d)),
        0 | 108 => {
            let f = d.get(..4).ok_or(TruncatedFrame)?;
            let le = u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
            let be = u32::from_be_bytes([f[0], f[1], f[2], f[3]]);
            // The family may be in either byte order; the right reading is the small one.
            let fam = if le < 256 { le } else { be };
            match fam {
                2 => Ok(Net::V4(&d[4..])),
                // AF_INET6: 24 (NetBSD/OpenBSD/BSD/OS), 28 (FreeBSD), 30 (Darwin), 10 (Linux).
                24 | 28 | 30 | 10 => Ok(Net::V6(&d[4..])),
                _ => Err(NonIp),
            }
        }
        // LINUX_SLL: 16-byte header, protocol type at offset 14.
        113 => {
            let proto = be16(d, 14).ok_or(TruncatedFrame)?;
            by_ethertype(proto, &d[16..])
        }
        // LINUX_SLL2: 20-byte header, protocol type at offset 0.
        276 => {
            if d.len() < 20 {
                return Err(TruncatedFrame);
            }
            let proto = be16(d, 0).ok_or(TruncatedFrame)?;
            by_ethertype(proto, &d[20..])
        }
        _ => Err(UnknownLinktype),
    }
}

/// IP packet told apart by its version nibble.
pub fn raw_ip(d: &[u8]) -> Result<Net<'_>, SkipReason> {
    match d.first().map(|b| b >> 4) {
        Some(4) => Ok(Net::V4(d)),
        Some(6) => Ok(Net::V6(d)),
        Some(_) => Err(NonIp),
        None => Err(TruncatedFrame),
    }
}

/// Ethernet II (etherparse's header view); 802.3 length frames with LLC/SNAP are followed too
/// (RFC 1042: AA AA 03, OUI 00 00 00, then the EtherType), which etherparse does not do.
pub fn ethernet(d: &[u8]) -> Result<Net<'_>, SkipReason> {
    let h = Ethernet2HeaderSlice::from_slice(d).map_err(|_| TruncatedFrame)?;
    let et = h.ether_type().0;
    let p = &d[h.slice().len()..];
    if et <= 1500 {
        if p.len() >= 8 && p[..6] == [0xAA, 0xAA, 0x03, 0, 0, 0] {
            return by_ethertype(u16::from_be_bytes([p[6], p[7]]), &p[8..]);
        }
        return Err(NonIp);
    }
    by_ethertype(et, p)
}

/// Follow an EtherType through VLAN tags (etherparse's view), PPPoE sessions and MPLS labels.
pub fn by_ethertype(mut et: u16, mut p: &[u8]) -> Result<Net<'_>, SkipReason> {
    for _ in 0..MAX_HEADER_CHAIN {
        match et {
            t if t == ether_type::IPV4.0 => return Ok(Net::V4(p)),
            t if t == ether_type::IPV6.0 => return Ok(Net::V6(p)),
            t if ETHERTYPE_VLAN.contains(&t) => {
                let tag = SingleVlanHeaderSlice::from_slice(p).map_err(|_| TruncatedFrame)?;
                et = tag.ether_type().0;
                p = &p[tag.slice().len()..];
            }
            // RFC 2516 section 4: VER/TYPE, CODE, SESSION_ID, LENGTH (6 bytes), then a PPP
            // protocol field.
            ETHERTYPE_PPPOE_SESSION => {
                let len = be16(p, 4).ok_or(TruncatedFrame)? as usize;
                let body = &p[6..];
                let body = &body[..len.min(body.len())];
                return ppp(body);
            }
            ETHERTYPE_PPP => return ppp(p),
            ETHERTYPE_TEB => return ethernet(p),
            // RFC 3032: 4-byte label stack entries, S bit ends the stack; the payload type is
            // not signalled, so it is guessed from the IP version nibble.
            t if ETHERTYPE_MPLS.contains(&t) => {
                let mut q = p;
                loop {
                    let e = q.get(..4).ok_or(TruncatedFrame)?;
                    q = &q[4..];
                    if e[2] & 1 == 1 {
                        break;
                    }
                }
                return raw_ip(q);
            }
            _ => return Err(NonIp),
        }
    }
    Err(NonIp)
}

/// A PPP frame (RFC 1661), optionally with the HDLC address/control bytes FF 03 (RFC 1662) and
/// with or without protocol field compression: 0x0021 IPv4, 0x0057 IPv6.
pub fn ppp(mut p: &[u8]) -> Result<Net<'_>, SkipReason> {
    if p.len() >= 2 && p[0] == 0xFF && p[1] == 0x03 {
        p = &p[2..];
    }
    let first = *p.first().ok_or(TruncatedFrame)?;
    let (proto, rest) = if first & 1 == 1 {
        (first as u16, &p[1..])
    } else {
        (be16(p, 0).ok_or(TruncatedFrame)?, &p[2..])
    };
    match proto {
        0x0021 => Ok(Net::V4(rest)),
        0x0057 => Ok(Net::V6(rest)),
        _ => Err(NonIp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP4: [u8; 2] = [0x45, 0];
    const IP6: [u8; 2] = [0x60, 0];

    #[test]
    fn ethernet_plain_vlan_qinq_pppoe_mpls_snap() {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        f.extend_from_slice(&IP4);
        assert_eq!(decode_link(1, &f), Ok(Net::V4(&IP4)));

        // QinQ 0x88a8 then 0x8100 then IPv6
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x88, 0xA8, 0, 10, 0x81, 0x00, 0, 20, 0x86, 0xDD]);
        f.extend_from_slice(&IP6);
        assert_eq!(decode_link(1, &f), Ok(Net::V6(&IP6)));
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x91, 0x00, 0, 10, 0x08, 0x00]);
        f.extend_from_slice(&IP4);
        assert_eq!(decode_link(1, &f), Ok(Net::V4(&IP4)));

        // PPPoE session: header 11 00 sess(2) len(2) then PPP 0x0021
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x88, 0x64, 0x11, 0x00, 0x00, 0x01, 0x00, 0x04, 0x00, 0x21]);
        f.extend_from_slice(&IP4);
        f.extend_from_slice(&[0xEE; 4]); // Ethernet padding is cut by the PPPoE length
        assert_eq!(decode_link(1, &f), Ok(Net::V4(&IP4)));

        // MPLS two labels
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x88, 0x47, 0, 0, 0x10, 64, 0, 0, 0x21, 64]);
        f.extend_from_slice(&IP4);
        assert_eq!(decode_link(1, &f), Ok(Net::V4(&IP4)));

        // 802.3 + SNAP
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x00, 0x30, 0xAA, 0xAA, 3, 0, 0, 0, 0x08, 0x00]);
        f.extend_from_slice(&IP4);
        assert_eq!(decode_link(1, &f), Ok(Net::V4(&IP4)));

        // ARP
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x06, 1, 2]);
        assert_eq!(decode_link(1, &f), Err(NonIp));
        assert_eq!(decode_link(1, &[0u8; 13]), Err(TruncatedFrame));
        // VLAN tag cut
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x81, 0x00, 0]);
        assert_eq!(decode_link(1, &f), Err(TruncatedFrame));
    }

    #[test]
    fn sll_and_sll2() {
        let mut f = vec![0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x86, 0xDD];
        f.extend_from_slice(&IP6);
        assert_eq!(decode_link(113, &f), Ok(Net::V6(&IP6)));
        let mut f = vec![
            0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0,
        ];
        f.extend_from_slice(&IP4);
        assert_eq!(decode_link(276, &f), Ok(Net::V4(&IP4)));
        assert_eq!(decode_link(276, &f[..19]), Err(TruncatedFrame));
        assert_eq!(decode_link(113, &f[..15]), Err(TruncatedFrame));
    }

    #[test]
    fn raw_variants() {
        for lt in [12, 14, 101] {
            assert_eq!(decode_link(lt, &IP4), Ok(Net::V4(&IP4)));
            assert_eq!(decode_link(lt, &IP6), Ok(Net::V6(&IP6)));
        }
        assert_eq!(decode_link(101, &[0x10]), Err(NonIp));
        assert_eq!(decode_link(101, &[]), Err(TruncatedFrame));
        assert_eq!(decode_link(228, &IP4), Ok(Net::V4(&IP4)));
        assert_eq!(decode_link(229, &IP6), Ok(Net::V6(&IP6)));
    }

    #[test]
    fn null_and_loop_both_byte_orders() {
        for lt in [0, 108] {
            for fam in [2u32, 24, 28, 30] {
                for bytes in [fam.to_le_bytes(), fam.to_be_bytes()] {
                    let mut f = bytes.to_vec();
                    f.extend_from_slice(&IP4);
                    let got = decode_link(lt, &f).unwrap();
                    if fam == 2 {
                        assert_eq!(got, Net::V4(&IP4));
                    } else {
                        assert_eq!(got, Net::V6(&IP4));
                    }
                }
            }
            assert_eq!(decode_link(lt, &[7, 0, 0, 0]), Err(NonIp));
            assert_eq!(decode_link(lt, &[2, 0]), Err(TruncatedFrame));
        }
    }

    #[test]
    fn ppp_forms_and_unknown_linktype() {
        assert_eq!(ppp(&[0xFF, 0x03, 0x00, 0x21, 0x45]), Ok(Net::V4(&[0x45])));
        assert_eq!(ppp(&[0x21, 0x45]), Ok(Net::V4(&[0x45])));
        assert_eq!(ppp(&[0x00, 0x57, 0x60]), Ok(Net::V6(&[0x60])));
        assert_eq!(ppp(&[0xC0, 0x21, 1]), Err(NonIp));
        assert_eq!(ppp(&[]), Err(TruncatedFrame));
        assert_eq!(decode_link(147, &[1, 2, 3]), Err(UnknownLinktype));
        assert_eq!(link_type_name(113), "linux-sll");
        assert_eq!(link_type_name(999), "linktype-999");
    }
}
