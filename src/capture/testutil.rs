//! Hand-built capture bytes for the tests.

use super::{Event, PacketStream, Skips};
use std::path::Path;

fn w32(f: &mut Vec<u8>, big: bool, v: u32) {
    f.extend_from_slice(&if big {
        v.to_be_bytes()
    } else {
        v.to_le_bytes()
    });
}
fn w16(f: &mut Vec<u8>, big: bool, v: u16) {
    f.extend_from_slice(&if big {
        v.to_be_bytes()
    } else {
        v.to_le_bytes()
    });
}

pub fn pcap_header(link: u32, big: bool, nano: bool) -> Vec<u8> {
    let mut f = Vec::new();
    w32(&mut f, big, if nano { 0xA1B2_3C4D } else { 0xA1B2_C3D4 });
    w16(&mut f, big, 2);
    w16(&mut f, big, 4);
    w32(&mut f, big, 0);
    w32(&mut f, big, 0);
    w32(&mut f, big, 65535);
    w32(&mut f, big, link);
    f
}

pub fn pcap_record(f: &mut Vec<u8>, big: bool, sec: u32, frac: u32, data: &[u8], orig: u32) {
    w32(f, big, sec);
    w32(f, big, frac);
    w32(f, big, data.len() as u32);
    w32(f, big, orig);
    f.extend_from_slice(data);
}

/// A little-endian microsecond pcap with one frame per second.
pub fn pcap_file(link: u32, frames: &[Vec<u8>]) -> Vec<u8> {
    let mut f = pcap_header(link, false, false);
    for (i, d) in frames.iter().enumerate() {
        pcap_record(
            &mut f,
            false,
            1_700_000_000 + i as u32,
            0,
            d,
            d.len() as u32,
        );
    }
    f
}

pub fn ng_block(f: &mut Vec<u8>, big: bool, btype: u32, body: &[u8]) {
    let padded = body.len().div_ceil(4) * 4;
    let len = (12 + padded) as u32;
    w32(f, big, btype);
    w32(f, big, len);
    f.extend_from_slice(body);
    f.resize(f.len() + padded - body.len(), 0);
    w32(f, big, len);
}

pub fn ng_shb(f: &mut Vec<u8>, big: bool) {
    let mut b = Vec::new();
    w32(&mut b, big, 0x1A2B_3C4D);
    w16(&mut b, big, 1);
    w16(&mut b, big, 0);
    b.extend_from_slice(&[0xFF; 8]);
    ng_block(f, big, 0x0A0D_0D0A, &b);
}

pub fn ng_idb(f: &mut Vec<u8>, big: bool, link: u16, snaplen: u32, tsresol: Option<u8>) {
    let mut b = Vec::new();
    w16(&mut b, big, link);
    w16(&mut b, big, 0);
    w32(&mut b, big, snaplen);
    // an unknown option first, to check options are walked
    w16(&mut b, big, 2);
    w16(&mut b, big, 3);
    b.extend_from_slice(b"ab\0\0");
    if let Some(r) = tsresol {
        w16(&mut b, big, 9);
        w16(&mut b, big, 1);
        b.extend_from_slice(&[r, 0, 0, 0]);
    }
    w16(&mut b, big, 0);
    w16(&mut b, big, 0);
    ng_block(f, big, 1, &b);
}

pub fn ng_epb(f: &mut Vec<u8>, big: bool, iface: u32, ts: u64, data: &[u8], orig: u32) {
    let mut b = Vec::new();
    w32(&mut b, big, iface);
    w32(&mut b, big, (ts >> 32) as u32);
    w32(&mut b, big, ts as u32);
    w32(&mut b, big, data.len() as u32);
    w32(&mut b, big, orig);
    b.extend_from_slice(data);
    ng_block(f, big, 6, &b);
}

pub fn ng_spb(f: &mut Vec<u8>, big: bool, data: &[u8]) {
    let mut b = Vec::new();
    w32(&mut b, big, data.len() as u32);
    b.extend_from_slice(data);
    ng_block(f, big, 3, &b);
}

pub fn ng_pb(f: &mut Vec<u8>, big: bool, iface: u16, ts: u64, data: &[u8]) {
    let mut b = Vec::new();
    w16(&mut b, big, iface);
    w16(&mut b, big, 0);
    w32(&mut b, big, (ts >> 32) as u32);
    w32(&mut b, big, ts as u32);
    w32(&mut b, big, data.len() as u32);
    w32(&mut b, big, data.len() as u32);
    b.extend_from_slice(data);
    ng_block(f, big, 2, &b);
}

pub fn eth(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
    v.extend_from_slice(&ethertype.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

pub fn ipv4_frag(
    src: [u8; 4],
    dst: [u8; 4],
    proto: u8,
    id: u16,
    off: usize,
    more: bool,
    payload: &[u8],
) -> Vec<u8> {
    let total = (20 + payload.len()) as u16;
    let fo = (off / 8) as u16 | if more { 0x2000 } else { 0 };
    let mut v = vec![0x45, 0];
    v.extend_from_slice(&total.to_be_bytes());
    v.extend_from_slice(&id.to_be_bytes());
    v.extend_from_slice(&fo.to_be_bytes());
    v.extend_from_slice(&[64, proto, 0, 0]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.extend_from_slice(payload);
    v
}

pub fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
    ipv4_frag(src, dst, proto, 1, 0, false, payload)
}

pub fn ipv6(src: [u8; 16], dst: [u8; 16], next: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x60, 0, 0, 0];
    v.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    v.extend_from_slice(&[next, 64]);
    v.extend_from_slice(&src);
    v.extend_from_slice(&dst);
    v.extend_from_slice(payload);
    v
}

pub fn v6(last: u8) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = 0xb8;
    a[15] = last;
    a
}

pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(payload);
    v
}

pub const SYN: u8 = 0x02;
pub const ACK: u8 = 0x10;
pub const PSH: u8 = 0x08;
pub const FIN: u8 = 0x01;

pub fn tcp(sport: u16, dport: u16, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&sport.to_be_bytes());
    v.extend_from_slice(&dport.to_be_bytes());
    v.extend_from_slice(&seq.to_be_bytes());
    v.extend_from_slice(&0u32.to_be_bytes());
    v.extend_from_slice(&[0x50, flags, 0xFF, 0xFF, 0, 0, 0, 0]);
    v.extend_from_slice(payload);
    v
}

/// Ethernet/IPv4/UDP frame.
pub fn eth_udp(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16, payload: &[u8]) -> Vec<u8> {
    eth(0x0800, &ipv4(src, dst, 17, &udp(sport, dport, payload)))
}

/// Ethernet/IPv4/TCP frame.
pub fn eth_tcp(
    src: [u8; 4],
    sport: u16,
    dst: [u8; 4],
    dport: u16,
    seq: u32,
    flags: u8,
    payload: &[u8],
) -> Vec<u8> {
    eth(
        0x0800,
        &ipv4(src, dst, 6, &tcp(sport, dport, seq, flags, payload)),
    )
}

/// Run bytes through a PacketStream; all events and the skips.
pub fn run(bytes: Vec<u8>) -> (Vec<Event>, Skips) {
    let mut s = PacketStream::from_reader(
        Box::new(std::io::Cursor::new(bytes)),
        Path::new("test"),
        None,
    )
    .expect("opens");
    let mut v = Vec::new();
    while let Some(e) = s.next_event() {
        v.push(e);
    }
    (v, s.skips().clone())
}

/// Data of Datagram events, in order.
pub fn datagrams(ev: &[Event]) -> Vec<Vec<u8>> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Datagram(p) => Some(p.data.clone()),
            _ => None,
        })
        .collect()
}

/// (data, gap_before) of TcpData events, in order.
pub fn tcp_data(ev: &[Event]) -> Vec<(Vec<u8>, bool)> {
    ev.iter()
        .filter_map(|e| match e {
            Event::TcpData {
                payload,
                gap_before,
            } => Some((payload.data.clone(), *gap_before)),
            _ => None,
        })
        .collect()
}
