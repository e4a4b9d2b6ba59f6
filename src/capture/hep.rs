//! HEPv3 (Homer Encapsulation Protocol, version 3) as sent by capture agents to Homer.
//!
//! Layout per the HEP3 specification (sipcapture.org, "HEP3 Network Protocol Specification"):
//! the 4 ASCII bytes "HEP3", a 16-bit total length (network order), then chunks, each with a
//! 16-bit vendor id (0 = generic), a 16-bit chunk type and a 16-bit chunk length that includes
//! the 6-byte chunk header. Generic chunk types used here: 1 IP protocol family (2 = IPv4,
//! 10 = IPv6), 2 IP protocol id (6 TCP, 17 UDP), 3/4 IPv4 source/destination, 5/6 IPv6
//! source/destination, 7/8 source/destination port, 9 timestamp seconds, 10 timestamp
//! microseconds, 11 protocol type (1 = SIP), 15 captured payload, 16 zlib-compressed payload.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::SkipReason::{self, HepDecompressError, HepMalformed, HepNoPayload};
use super::{Nanos, be16, be32};

/// Largest payload accepted after decompression (see [`super::limits`]).
pub use super::limits::MAX_HEP_PAYLOAD as MAX_PAYLOAD;

/// The packet a HEP3 message describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hep {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// IP protocol id of the original packet.
    pub ip_proto: u8,
    /// HEP protocol type (1 = SIP), when given.
    pub proto_type: Option<u8>,
    /// Original capture time, when given.
    pub ts: Option<Nanos>,
    pub payload: Vec<u8>,
}

pub fn is_hep3(b: &[u8]) -> bool {
    b.starts_with(b"HEP3")
}

/// Parse a HEP3 message. Errors are skip reasons.
pub fn parse_hep3(b: &[u8]) -> Result<Hep, SkipReason> {
    if !is_hep3(b) {
        return Err(HepMalformed);
    }
    let total = be16(b, 4).ok_or(HepMalformed)? as usize;
    if total < 6 || total > b.len() {
        return Err(HepMalformed);
    }
    let b = &b[..total];
    let (mut src4, mut dst4, mut src6, mut dst6) = (None, None, None, None);
    let (mut sport, mut dport, mut proto, mut ptype) = (None, None, None, None);
    let (mut sec, mut usec) = (None, None);
    let mut payload: Option<&[u8]> = None;
    let mut compressed: Option<&[u8]> = None;
    let mut p = 6;
    while p + 6 <= b.len() {
        let vendor = be16(b, p).ok_or(HepMalformed)?;
        let ctype = be16(b, p + 2).ok_or(HepMalformed)?;
        let clen = be16(b, p + 4).ok_or(HepMalformed)? as usize;
        if clen < 6 || p + clen > b.len() {
            return Err(HepMalformed);
        }
        let v = &b[p + 6..p + clen];
        p += clen;
        if vendor != 0 {
            continue;
        }
        match (ctype, v.len()) {
            (2, 1) => proto = Some(v[0]),
            (3, 4) => src4 = Some(Ipv4Addr::new(v[0], v[1], v[2], v[3])),
            (4, 4) => dst4 = Some(Ipv4Addr::new(v[0], v[1], v[2], v[3])),
            (5, 16) => src6 = <[u8; 16]>::try_from(v).ok().map(Ipv6Addr::from),
            (6, 16) => dst6 = <[u8; 16]>::try_from(v).ok().map(Ipv6Addr::from),
            (7, 2) => sport = be16(v, 0),
            (8, 2) => dport = be16(v, 0),
            (9, 4) => sec = be32(v, 0),
            (10, 4) => usec = be32(v, 0),
            (11, 1) => ptype = Some(v[0]),
            (15, _) => payload = Some(v),
            (16, _) => compressed = Some(v),
            _ => {}
        }
    }
    let (src, dst): (IpAddr, IpAddr) = match (src4, dst4, src6, dst6) {
        (Some(s), Some(d), _, _) => (s.into(), d.into()),
        (_, _, Some(s), Some(d)) => (s.into(), d.into()),
        _ => return Err(HepMalformed),
    };
    let (sport, dport) = (sport.ok_or(HepMalformed)?, dport.ok_or(HepMalformed)?);
    let payload = match (payload, compressed) {
        (Some(p), _) => p.to_vec(),
        (None, Some(c)) => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(c)
                .take(MAX_PAYLOAD)
                .read_to_end(&mut out)
                .map_err(|_| HepDecompressError)?;
            out
        }
        (None, None) => return Err(HepNoPayload),
    };
    let ts = sec.map(|s| s as i64 * 1_000_000_000 + usec.unwrap_or(0) as i64 * 1000);
    Ok(Hep {
        src: SocketAddr::new(src, sport),
        dst: SocketAddr::new(dst, dport),
        ip_proto: proto.unwrap_or(17),
        proto_type: ptype,
        ts,
        payload,
    })
}

/// Build a HEP3 message (for tests and fixtures).
#[cfg(test)]
pub fn build_hep3(
    src: SocketAddr,
    dst: SocketAddr,
    ip_proto: u8,
    payload: &[u8],
    compress: bool,
) -> Vec<u8> {
    fn chunk(v: &mut Vec<u8>, t: u16, val: &[u8]) {
        v.extend_from_slice(&0u16.to_be_bytes());
        v.extend_from_slice(&t.to_be_bytes());
        v.extend_from_slice(&((6 + val.len()) as u16).to_be_bytes());
        v.extend_from_slice(val);
    }
    let mut v = b"HEP3\0\0".to_vec();
    let fam = if src.is_ipv4() { 2 } else { 10 };
    chunk(&mut v, 1, &[fam]);
    chunk(&mut v, 2, &[ip_proto]);
    match (src.ip(), dst.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            chunk(&mut v, 3, &s.octets());
            chunk(&mut v, 4, &d.octets());
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            chunk(&mut v, 5, &s.octets());
            chunk(&mut v, 6, &d.octets());
        }
        _ => panic!("mixed families"),
    }
    chunk(&mut v, 7, &src.port().to_be_bytes());
    chunk(&mut v, 8, &dst.port().to_be_bytes());
    chunk(&mut v, 9, &1_700_000_000u32.to_be_bytes());
    chunk(&mut v, 10, &5u32.to_be_bytes());
    chunk(&mut v, 11, &[1]);
    // a vendor chunk that must be ignored
    v.extend_from_slice(&[0, 3, 0, 15, 0, 7, 9]);
    if compress {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(payload).unwrap();
        chunk(&mut v, 16, &e.finish().unwrap());
    } else {
        chunk(&mut v, 15, payload);
    }
    let len = (v.len() as u16).to_be_bytes();
    v[4] = len[0];
    v[5] = len[1];
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_compressed_v4_v6() {
        let cases: [(SocketAddr, SocketAddr); 2] = [
            (
                "192.168.1.1:5060".parse().unwrap(),
                "192.168.1.2:5080".parse().unwrap(),
            ),
            (
                "[2001:db8::1]:5060".parse().unwrap(),
                "[2001:db8::2]:5062".parse().unwrap(),
            ),
        ];
        for (s, d) in cases {
            for compress in [false, true] {
                let m = build_hep3(s, d, 6, b"REGISTER sip:a SIP/2.0\r\n\r\n", compress);
                let h = parse_hep3(&m).unwrap();
                assert_eq!((h.src, h.dst, h.ip_proto, h.proto_type), (s, d, 6, Some(1)));
                assert_eq!(h.payload, b"REGISTER sip:a SIP/2.0\r\n\r\n");
                assert_eq!(h.ts, Some(1_700_000_000_000_005_000));
            }
        }
    }

    #[test]
    fn malformed() {
        let s: SocketAddr = "1.1.1.1:1".parse().unwrap();
        let m = build_hep3(s, s, 17, b"OPTIONS", false);
        assert_eq!(parse_hep3(&m[..m.len() - 1]).unwrap_err(), HepMalformed);
        let mut bad_chunk = m.clone();
        bad_chunk[11] = 200; // first chunk length beyond the message
        assert_eq!(parse_hep3(&bad_chunk).unwrap_err(), HepMalformed);
        let mut bad_chunk = m.clone();
        bad_chunk[11] = 2; // chunk length shorter than its header
        assert_eq!(parse_hep3(&bad_chunk).unwrap_err(), HepMalformed);
        assert_eq!(parse_hep3(b"HEP3").unwrap_err(), HepMalformed);
        assert_eq!(parse_hep3(b"HEP2\0\x06").unwrap_err(), HepMalformed);
        // bad zlib
        let mut m = build_hep3(s, s, 17, b"OPTIONS sip:x SIP/2.0", true);
        let n = m.len();
        m[n - 6] ^= 0xFF;
        m[n - 8] ^= 0xFF;
        assert!(parse_hep3(&m).is_err());
        // no address
        assert_eq!(parse_hep3(b"HEP3\0\x06").unwrap_err(), HepMalformed);
    }
}
