//! Link layers: from a frame of a given LINKTYPE to the IP packet inside.
//!
//! Link type values and header layouts are those of the tcpdump.org LINKTYPE registry
//! (draft-ietf-opsawg-pcaplinktype): 0 NULL (4-byte address family in the *capturing host's*
//! byte order), 1 Ethernet, 12/14 (old DLT_RAW values on some BSDs), 101 RAW (IPv4 or IPv6, told
//! apart by the version nibble), 108 LOOP (family in network byte order), 113 LINUX_SLL
//! (16-byte header, protocol type at offset 14), 228 IPV4, 229 IPV6, 276 LINUX_SLL2 (20-byte
//! header, protocol type at offset 0).

use super::be16;

/// The network-layer packet found in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Net<'a> {
    V4(&'a [u8]),
    V6(&'a [u8]),
}

pub const ETHERTYPE_IPV4: u16 = 0x0800;
pub const ETHERTYPE_IPV6: u16 = 0x86DD;
/// IEEE 802.1Q VLAN tag, 802.1ad QinQ service tag, and the pre-standard QinQ 0x9100.
pub const ETHERTYPE_VLAN: [u16; 4] = [0x8100, 0x88A8, 0x9100, 0x9200];
/// PPPoE session stage (RFC 2516).
pub const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;
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
        super::pcapng::UNDECLARED_INTERFACE => "undeclared-interface".into(),
        n => format!("linktype-{n}"),
    }
}

/// Decode a frame of link type `lt`. Errors are skip reasons.
pub fn decode_link(lt: u32, d: &[u8]) -> Result<Net<'_>, &'static str> {
    match lt {
        1 => ethernet(d),
        12 | 14 | 101 => raw_ip(d),
        228 => Ok(Net::V4(d)),
        229 => Ok(Net::V6(d)),
        0 | 108 => {
            let f = d.get(..4).ok_or("truncated-frame")?;
            let le = u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
            let be = u32::from_be_bytes([f[0], f[1], f[2], f[3]]);
            // The family may be in either byte order; the right reading is the small one.
            let fam = if le < 256 { le } else { be };
            match fam {
                2 => Ok(Net::V4(&d[4..])),
                // AF_INET6: 24 (NetBSD/OpenBSD/BSD/OS), 28 (FreeBSD), 30 (Darwin), 10 (Linux).
                24 | 28 | 30 | 10 => Ok(Net::V6(&d[4..])),
                _ => Err("non-ip"),
            }
        }
        113 => {
            let proto = be16(d, 14).ok_or("truncated-frame")?;
            by_ethertype(proto, &d[16..])
        }
        276 => {
            if d.len() < 20 {
                return Err("truncated-frame");
            }
            let proto = be16(d, 0).ok_or("truncated-frame")?;
            by_ethertype(proto, &d[20..])
        }
        _ => Err("unknown-linktype"),
    }
}

/// IP packet told apart by its version nibble.
pub fn raw_ip(d: &[u8]) -> Result<Net<'_>, &'static str> {
    match d.first().map(|b| b >> 4) {
        Some(4) => Ok(Net::V4(d)),
        Some(6) => Ok(Net::V6(d)),
        Some(_) => Err("non-ip"),
        None => Err("truncated-frame"),
    }
}

/// Ethernet II (IEEE 802.3 with a type field); 802.3 length frames with LLC/SNAP are followed
/// too (RFC 1042: AA AA 03, OUI 00 00 00, then the EtherType).
pub fn ethernet(d: &[u8]) -> Result<Net<'_>, &'static str> {
    let et = be16(d, 12).ok_or("truncated-frame")?;
    let p = &d[14..];
    if et <= 1500 {
        if p.len() >= 8 && p[..6] == [0xAA, 0xAA, 0x03, 0, 0, 0] {
            return by_ethertype(u16::from_be_bytes([p[6], p[7]]), &p[8..]);
        }
        return Err("non-ip");
    }
    by_ethertype(et, p)
}

/// Follow an EtherType through VLAN tags, PPPoE sessions and MPLS labels.
pub fn by_ethertype(mut et: u16, mut p: &[u8]) -> Result<Net<'_>, &'static str> {
    for _ in 0..16 {
        match et {
            ETHERTYPE_IPV4 => return Ok(Net::V4(p)),
            ETHERTYPE_IPV6 => return Ok(Net::V6(p)),
            // 802.1Q tag: TCI (16 bits) then the inner EtherType.
            t if ETHERTYPE_VLAN.contains(&t) => {
                et = be16(p, 2).ok_or("truncated-frame")?;
                p = &p[4..];
            }
            // RFC 2516 section 4: VER/TYPE, CODE, SESSION_ID, LENGTH (6 bytes), then a PPP
            // protocol field.
            ETHERTYPE_PPPOE_SESSION => {
                let len = be16(p, 4).ok_or("truncated-frame")? as usize;
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
                    let e = q.get(..4).ok_or("truncated-frame")?;
                    q = &q[4..];
                    if e[2] & 1 == 1 {
                        break;
                    }
                }
                return raw_ip(q);
            }
            _ => return Err("non-ip"),
        }
    }
    Err("non-ip")
}

/// A PPP frame (RFC 1661), optionally with the HDLC address/control bytes FF 03 (RFC 1662) and
/// with or without protocol field compression: 0x0021 IPv4, 0x0057 IPv6.
pub fn ppp(mut p: &[u8]) -> Result<Net<'_>, &'static str> {
    if p.len() >= 2 && p[0] == 0xFF && p[1] == 0x03 {
        p = &p[2..];
    }
    let first = *p.first().ok_or("truncated-frame")?;
    let (proto, rest) = if first & 1 == 1 {
        (first as u16, &p[1..])
    } else {
        (be16(p, 0).ok_or("truncated-frame")?, &p[2..])
    };
    match proto {
        0x0021 => Ok(Net::V4(rest)),
        0x0057 => Ok(Net::V6(rest)),
        _ => Err("non-ip"),
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
        assert_eq!(decode_link(1, &f), Err("non-ip"));
        assert_eq!(decode_link(1, &[0u8; 13]), Err("truncated-frame"));
        // VLAN tag cut
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x81, 0x00, 0]);
        assert_eq!(decode_link(1, &f), Err("truncated-frame"));
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
        assert_eq!(decode_link(276, &f[..19]), Err("truncated-frame"));
        assert_eq!(decode_link(113, &f[..15]), Err("truncated-frame"));
    }

    #[test]
    fn raw_variants() {
        for lt in [12, 14, 101] {
            assert_eq!(decode_link(lt, &IP4), Ok(Net::V4(&IP4)));
            assert_eq!(decode_link(lt, &IP6), Ok(Net::V6(&IP6)));
        }
        assert_eq!(decode_link(101, &[0x10]), Err("non-ip"));
        assert_eq!(decode_link(101, &[]), Err("truncated-frame"));
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
            assert_eq!(decode_link(lt, &[7, 0, 0, 0]), Err("non-ip"));
            assert_eq!(decode_link(lt, &[2, 0]), Err("truncated-frame"));
        }
    }

    #[test]
    fn ppp_forms_and_unknown_linktype() {
        assert_eq!(ppp(&[0xFF, 0x03, 0x00, 0x21, 0x45]), Ok(Net::V4(&[0x45])));
        assert_eq!(ppp(&[0x21, 0x45]), Ok(Net::V4(&[0x45])));
        assert_eq!(ppp(&[0x00, 0x57, 0x60]), Ok(Net::V6(&[0x60])));
        assert_eq!(ppp(&[0xC0, 0x21, 1]), Err("non-ip"));
        assert_eq!(ppp(&[]), Err("truncated-frame"));
        assert_eq!(decode_link(147, &[1, 2, 3]), Err("unknown-linktype"));
        assert_eq!(link_type_name(113), "linux-sll");
        assert_eq!(link_type_name(999), "linktype-999");
    }
}
