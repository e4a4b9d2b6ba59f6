//! pcapng files (draft-ietf-opsawg-pcapng).
//!
//! "A pcapng file is organized in blocks": Block Type (32 bits), Block Total Length (32 bits,
//! "total size of this block, in octets", a multiple of 4), body, and Block Total Length again.
//! The Section Header Block (type 0x0A0D0D0A, a palindrome) starts each section and carries the
//! Byte-Order Magic 0x1A2B3C4D that fixes the byte order of the whole section; a file may hold
//! several sections, and interface ids restart in each. Interface Description Blocks (type 1)
//! give each interface its LinkType, SnapLen and options such as `if_tsresol` (code 9: "If the
//! Most Significant Bit is equal to zero, the remaining bits indicates the resolution of the
//! timestamp as a negative power of 10 ... If the Most Significant Bit is equal to one, the
//! remaining bits indicates the resolution as negative power of 2"; default 10^-6) and
//! `if_tsoffset` (code 14, seconds added to every timestamp). Packets come in Enhanced Packet
//! Blocks (type 6), Simple Packet Blocks (type 3: interface 0, no timestamp, captured length is
//! min(original length, SnapLen, what the block holds)) and the obsolete Packet Block (type 2).
//! "Unknown blocks ... MUST be ignored": they are skipped.

use super::{End, Input, Nanos, RawFrame};

pub const SHB_TYPE: u32 = 0x0A0D_0D0A;
pub const BYTE_ORDER_MAGIC: u32 = 0x1A2B_3C4D;
pub const IDB_TYPE: u32 = 1;
pub const PB_TYPE: u32 = 2;
pub const SPB_TYPE: u32 = 3;
pub const EPB_TYPE: u32 = 6;
/// Largest block accepted before the file is declared corrupt.
pub const MAX_BLOCK: u32 = 32 * 1024 * 1024;
/// Link type reported for packets whose interface id was never declared.
pub const UNDECLARED_INTERFACE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Iface {
    link_type: u32,
    snaplen: u32,
    tsresol: u8,
    tsoffset: i64,
}

pub struct PcapngReader {
    pub(crate) input: Input,
    big: bool,
    ifaces: Vec<Iface>,
    /// Every link type declared by an IDB so far, in order of first appearance.
    pub seen_link_types: Vec<u32>,
    buf: Vec<u8>,
}

/// Convert a timestamp in interface units to nanoseconds.
pub fn ts_to_nanos(units: u64, tsresol: u8, tsoffset: i64) -> Nanos {
    let e = (tsresol & 0x7F) as u32;
    let ns: u128 = if tsresol & 0x80 == 0 {
        if e <= 9 {
            units as u128 * 10u128.pow(9 - e)
        } else {
            units as u128 / 10u128.pow(e.min(38) - 9)
        }
    } else {
        (units as u128 * 1_000_000_000u128)
            .checked_shr(e)
            .unwrap_or(0)
    };
    let ns = ns.min(i64::MAX as u128) as i64;
    ns.saturating_add(tsoffset.saturating_mul(1_000_000_000))
}

impl PcapngReader {
    /// `input` is positioned just after the SHB block type.
    pub fn new(input: Input) -> Result<Self, End> {
        let mut r = PcapngReader {
            input,
            big: false,
            ifaces: Vec::new(),
            seen_link_types: Vec::new(),
            buf: Vec::with_capacity(65536),
        };
        r.read_shb(None)?;
        Ok(r)
    }

    fn u32_of(&self, b: &[u8]) -> u32 {
        let a = [b[0], b[1], b[2], b[3]];
        if self.big {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        }
    }
    fn u16_of(&self, b: &[u8]) -> u16 {
        if self.big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        }
    }

    /// Read an SHB whose type (and, if given, length field) has been consumed.
    fn read_shb(&mut self, len_field: Option<[u8; 4]>) -> Result<(), End> {
        let mut h = [0u8; 8];
        match len_field {
            Some(l) => {
                h[..4].copy_from_slice(&l);
                self.input.exact(&mut h[4..], false)?;
            }
            None => self.input.exact(&mut h, false)?,
        }
        let bom = [h[4], h[5], h[6], h[7]];
        self.big = if u32::from_le_bytes(bom) == BYTE_ORDER_MAGIC {
            false
        } else if u32::from_be_bytes(bom) == BYTE_ORDER_MAGIC {
            true
        } else {
            return Err(End::Corrupt(
                "pcapng section header without byte-order magic".into(),
            ));
        };
        let len = self.u32_of(&h[0..4]);
        if len < 28 || !len.is_multiple_of(4) || len > MAX_BLOCK {
            return Err(End::Corrupt(format!(
                "pcapng section header of length {len}"
            )));
        }
        let rest = (len - 12) as usize;
        if self.buf.len() < rest {
            self.buf.resize(rest, 0);
        }
        self.input.exact(&mut self.buf[..rest], false)?;
        let major = self.u16_of(&self.buf[0..2]);
        if major != 1 {
            return Err(End::Corrupt(format!(
                "pcapng major version {major} is not supported"
            )));
        }
        self.ifaces.clear();
        Ok(())
    }

    fn parse_idb(&mut self, body: usize) -> Result<(), End> {
        if body < 8 {
            return Err(End::Corrupt("pcapng interface block too short".into()));
        }
        let b = &self.buf[..body];
        let link_type = self.u16_of(&b[0..2]) as u32;
        let snaplen = self.u32_of(&b[4..8]);
        let mut iface = Iface {
            link_type,
            snaplen,
            tsresol: 6,
            tsoffset: 0,
        };
        // Options: code (16), length (16), value padded to 32 bits; opt_endofopt = 0.
        let mut p = 8;
        while p + 4 <= body {
            let code = self.u16_of(&b[p..p + 2]);
            let olen = self.u16_of(&b[p + 2..p + 4]) as usize;
            let v = p + 4;
            if code == 0 || v + olen > body {
                break;
            }
            match (code, olen) {
                (9, 1) => iface.tsresol = b[v],
                (14, 8) => {
                    let lo = self.u32_of(&b[v..v + 4]) as u64;
                    let hi = self.u32_of(&b[v + 4..v + 8]) as u64;
                    // A 64-bit value in section byte order.
                    let raw = if self.big {
                        (lo << 32) | hi
                    } else {
                        (hi << 32) | lo
                    };
                    iface.tsoffset = raw as i64;
                }
                _ => {}
            }
            p = v + olen.div_ceil(4) * 4;
        }
        self.ifaces.push(iface);
        if !self.seen_link_types.contains(&link_type) {
            self.seen_link_types.push(link_type);
        }
        Ok(())
    }

    pub fn next_frame(&mut self) -> Result<RawFrame<'_>, End> {
        loop {
            let mut h = [0u8; 8];
            self.input.exact(&mut h, true)?;
            if h[0..4] == SHB_TYPE.to_le_bytes() {
                self.read_shb(Some([h[4], h[5], h[6], h[7]]))?;
                continue;
            }
            let btype = self.u32_of(&h[0..4]);
            let len = self.u32_of(&h[4..8]);
            if len < 12 || !len.is_multiple_of(4) || len > MAX_BLOCK {
                return Err(End::Corrupt(format!(
                    "pcapng block of type {btype:#x} with length {len} at byte {}",
                    self.input.pos() - 8
                )));
            }
            let body = (len - 12) as usize;
            if !matches!(btype, IDB_TYPE | PB_TYPE | SPB_TYPE | EPB_TYPE) {
                self.input.skip(len as u64 - 8)?;
                continue;
            }
            let n = body + 4;
            if self.buf.len() < n {
                self.buf.resize(n, 0);
            }
            self.input.exact(&mut self.buf[..n], false)?;
            if self.u32_of(&self.buf[body..body + 4]) != len {
                return Err(End::Corrupt(format!(
                    "pcapng block of type {btype:#x}: trailing length differs"
                )));
            }
            let (iface_id, ts_units, caplen, orig_len, data_at) = match btype {
                IDB_TYPE => {
                    self.parse_idb(body)?;
                    continue;
                }
                EPB_TYPE | PB_TYPE => {
                    if body < 20 {
                        return Err(End::Corrupt("pcapng packet block too short".into()));
                    }
                    let b = &self.buf[..body];
                    let iface = if btype == EPB_TYPE {
                        self.u32_of(&b[0..4])
                    } else {
                        self.u16_of(&b[0..2]) as u32
                    };
                    let hi = self.u32_of(&b[4..8]) as u64;
                    let lo = self.u32_of(&b[8..12]) as u64;
                    let cap = self.u32_of(&b[12..16]) as usize;
                    let orig = self.u32_of(&b[16..20]);
                    if cap > body - 20 {
                        return Err(End::Corrupt(format!(
                            "pcapng packet block claims {cap} captured bytes in a {len}-byte block"
                        )));
                    }
                    (iface, Some((hi << 32) | lo), cap, orig, 20)
                }
                _ => {
                    // SPB
                    if body < 4 {
                        return Err(End::Corrupt("pcapng simple packet block too short".into()));
                    }
                    let orig = self.u32_of(&self.buf[0..4]);
                    let mut cap = (orig as usize).min(body - 4);
                    if let Some(i) = self.ifaces.first()
                        && i.snaplen != 0
                    {
                        cap = cap.min(i.snaplen as usize);
                    }
                    (0, None, cap, orig, 4)
                }
            };
            let (link_type, ts) = match self.ifaces.get(iface_id as usize) {
                Some(i) => (
                    i.link_type,
                    ts_units.map_or(0, |u| ts_to_nanos(u, i.tsresol, i.tsoffset)),
                ),
                None => (UNDECLARED_INTERFACE, 0),
            };
            return Ok(RawFrame {
                link_type,
                ts,
                orig_len,
                interface: iface_id,
                data: &self.buf[data_at..data_at + caplen],
            });
        }
    }
}

/// Write a little-endian SHB.
pub fn write_shb(w: &mut impl std::io::Write) -> std::io::Result<()> {
    w.write_all(&SHB_TYPE.to_le_bytes())?;
    w.write_all(&28u32.to_le_bytes())?;
    w.write_all(&BYTE_ORDER_MAGIC.to_le_bytes())?;
    w.write_all(&1u16.to_le_bytes())?;
    w.write_all(&0u16.to_le_bytes())?;
    w.write_all(&(-1i64).to_le_bytes())?;
    w.write_all(&28u32.to_le_bytes())
}

/// Write an IDB with if_tsresol = 9 (nanoseconds).
pub fn write_idb(w: &mut impl std::io::Write, link_type: u32) -> std::io::Result<()> {
    let len = 20u32 + 8 + 4;
    w.write_all(&IDB_TYPE.to_le_bytes())?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(&(link_type as u16).to_le_bytes())?;
    w.write_all(&0u16.to_le_bytes())?;
    w.write_all(&0u32.to_le_bytes())?;
    // if_tsresol = 9, then opt_endofopt.
    w.write_all(&9u16.to_le_bytes())?;
    w.write_all(&1u16.to_le_bytes())?;
    w.write_all(&[9, 0, 0, 0])?;
    w.write_all(&[0, 0, 0, 0])?;
    w.write_all(&len.to_le_bytes())
}

/// Write an EPB with a nanosecond timestamp.
pub fn write_epb(
    w: &mut impl std::io::Write,
    iface: u32,
    ts: Nanos,
    orig_len: u32,
    data: &[u8],
) -> std::io::Result<()> {
    let padded = data.len().div_ceil(4) * 4;
    let len = (32 + padded) as u32;
    let t = ts.max(0) as u64;
    w.write_all(&EPB_TYPE.to_le_bytes())?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(&iface.to_le_bytes())?;
    w.write_all(&((t >> 32) as u32).to_le_bytes())?;
    w.write_all(&(t as u32).to_le_bytes())?;
    w.write_all(&(data.len() as u32).to_le_bytes())?;
    w.write_all(&orig_len.max(data.len() as u32).to_le_bytes())?;
    w.write_all(data)?;
    w.write_all(&[0u8; 3][..padded - data.len()])?;
    w.write_all(&len.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::FrameReader;
    use crate::capture::testutil::*;
    use std::path::Path;

    fn open(bytes: Vec<u8>) -> FrameReader {
        FrameReader::open(Box::new(std::io::Cursor::new(bytes)), Path::new("t")).unwrap()
    }

    #[test]
    fn tsresol_variants() {
        assert_eq!(ts_to_nanos(1_500_000, 6, 0), 1_500_000_000);
        assert_eq!(ts_to_nanos(1_500_000_000, 9, 0), 1_500_000_000);
        assert_eq!(ts_to_nanos(15, 1, 0), 1_500_000_000);
        assert_eq!(ts_to_nanos(1_500_000_000_000, 12, 0), 1_500_000_000);
        // 2^-10 seconds per unit: 1024 units = 1 s.
        assert_eq!(ts_to_nanos(1536, 0x80 | 10, 0), 1_500_000_000);
        assert_eq!(ts_to_nanos(1, 6, 100), 100_000_001_000);
        assert_eq!(ts_to_nanos(u64::MAX, 0x80 | 127, 0), 0);
        let _ = ts_to_nanos(u64::MAX, 0, i64::MAX);
        let _ = ts_to_nanos(u64::MAX, 0x7f, 0);
    }

    #[test]
    fn both_byte_orders_several_interfaces_and_block_kinds() {
        for big in [false, true] {
            let mut f = Vec::new();
            ng_shb(&mut f, big);
            ng_block(&mut f, big, 0x0BAD, &[1, 2, 3, 4]); // unknown block: skipped
            ng_idb(&mut f, big, 1, 0, None);
            ng_idb(&mut f, big, 113, 0, Some(9));
            ng_epb(&mut f, big, 0, 1_000_000, &[0xAA; 5], 5);
            ng_epb(&mut f, big, 1, 2_000_000_000, &[0xBB; 4], 4);
            ng_spb(&mut f, big, &[0xCC; 6]);
            ng_pb(&mut f, big, 1, 3_000_000_000, &[0xDD; 3]);
            ng_epb(&mut f, big, 7, 1, &[0xEE], 1); // undeclared interface
            let mut r = open(f);
            assert_eq!(r.format(), "pcapng");
            let a = r.next_frame().unwrap();
            assert_eq!((a.link_type, a.ts, a.data.len()), (1, 1_000_000_000, 5));
            let b = r.next_frame().unwrap();
            assert_eq!(
                (b.link_type, b.ts, b.data),
                (113, 2_000_000_000, &[0xBB; 4][..])
            );
            let c = r.next_frame().unwrap();
            assert_eq!((c.link_type, c.data), (1, &[0xCC; 6][..]));
            let d = r.next_frame().unwrap();
            assert_eq!(
                (d.link_type, d.ts, d.data),
                (113, 3_000_000_000, &[0xDD; 3][..])
            );
            let e = r.next_frame().unwrap();
            assert_eq!(e.link_type, UNDECLARED_INTERFACE);
            assert_eq!(r.next_frame().unwrap_err(), End::Eof);
            assert_eq!(r.link_types(), vec![1, 113]);
        }
    }

    #[test]
    fn several_sections_reset_interfaces_and_byte_order() {
        let mut f = Vec::new();
        ng_shb(&mut f, false);
        ng_idb(&mut f, false, 1, 0, None);
        ng_epb(&mut f, false, 0, 1, &[1], 1);
        ng_shb(&mut f, true);
        ng_idb(&mut f, true, 101, 0, None);
        ng_epb(&mut f, true, 0, 2, &[2], 1);
        let mut r = open(f);
        assert_eq!(r.next_frame().unwrap().link_type, 1);
        let b = r.next_frame().unwrap();
        assert_eq!((b.link_type, b.data), (101, &[2u8][..]));
        assert_eq!(r.link_types(), vec![1, 101]);
    }

    #[test]
    fn spb_respects_snaplen() {
        let mut f = Vec::new();
        ng_shb(&mut f, false);
        ng_idb(&mut f, false, 1, 4, None);
        ng_spb(&mut f, false, &[7; 8]);
        let mut r = open(f);
        assert_eq!(r.next_frame().unwrap().data, &[7; 4]);
    }

    #[test]
    fn corrupt_and_truncated_blocks() {
        let mut f = Vec::new();
        ng_shb(&mut f, false);
        ng_idb(&mut f, false, 1, 0, None);
        let good = f.len();
        ng_epb(&mut f, false, 0, 1, &[1, 2, 3], 3);
        // truncated in the middle of the EPB
        let mut t = f.clone();
        t.truncate(f.len() - 3);
        assert_eq!(open(t).next_frame().unwrap_err(), End::Truncated);
        // bad length (not a multiple of 4)
        let mut c = f.clone();
        c[good + 4] = 13;
        assert!(matches!(open(c).next_frame().unwrap_err(), End::Corrupt(_)));
        // trailing length differs
        let mut c = f.clone();
        let n = c.len();
        c[n - 4] ^= 4;
        assert!(matches!(open(c).next_frame().unwrap_err(), End::Corrupt(_)));
        // captured length larger than the block
        let mut c = f.clone();
        c[good + 20] = 200;
        assert!(matches!(open(c).next_frame().unwrap_err(), End::Corrupt(_)));
        // SHB without byte-order magic
        let mut c = f;
        c[8] = 0;
        assert!(FrameReader::open(Box::new(std::io::Cursor::new(c)), Path::new("t")).is_err());
    }

    #[test]
    fn writers_round_trip() {
        let mut out = Vec::new();
        write_shb(&mut out).unwrap();
        write_idb(&mut out, 1).unwrap();
        write_idb(&mut out, 276).unwrap();
        write_epb(&mut out, 1, 1_234_567_890_123, 99, &[1, 2, 3, 4, 5]).unwrap();
        let mut r = open(out);
        let f = r.next_frame().unwrap();
        assert_eq!(
            (f.link_type, f.ts, f.orig_len, f.data),
            (276, 1_234_567_890_123, 99, &[1, 2, 3, 4, 5][..])
        );
    }
}
