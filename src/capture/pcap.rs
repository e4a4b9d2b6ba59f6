//! Classic pcap files (libpcap format, draft-ietf-opsawg-pcap).
//!
//! File header (24 bytes): magic 0xA1B2C3D4 (microsecond timestamps) or 0xA1B23C4D (nanosecond
//! timestamps), written in the byte order of the writer, so reading it byte-swapped tells the
//! file's byte order; major/minor version; two reserved words; SnapLen; and a LinkType word whose
//! low 16 bits are the link type ("bits 0-15 LinkType", the upper bits may carry FCS info).
//! Each record: 16-byte header (seconds, microseconds-or-nanoseconds, captured length, original
//! length) then the captured bytes; "Captured Packet Length ... will be the minimum value among
//! the Original Packet Length and the snapshot length".

use super::{End, Input, Nanos, RawFrame};

pub const MAGIC_MICRO: u32 = 0xA1B2_C3D4;
pub const MAGIC_NANO: u32 = 0xA1B2_3C4D;
/// Largest captured length accepted before the record is declared corrupt.
pub const MAX_FRAME: u32 = 16 * 1024 * 1024;

pub fn is_magic(m: [u8; 4]) -> bool {
    let le = u32::from_le_bytes(m);
    let be = u32::from_be_bytes(m);
    [MAGIC_MICRO, MAGIC_NANO].contains(&le) || [MAGIC_MICRO, MAGIC_NANO].contains(&be)
}

pub struct PcapReader {
    pub(crate) input: Input,
    big_endian: bool,
    nanos: bool,
    pub link_type: u32,
    pub snaplen: u32,
    buf: Vec<u8>,
}

impl PcapReader {
    /// `magic`: the 4 bytes already read from `input`.
    pub fn new(mut input: Input, magic: [u8; 4]) -> Result<Self, End> {
        let (big_endian, m) = if [MAGIC_MICRO, MAGIC_NANO].contains(&u32::from_le_bytes(magic)) {
            (false, u32::from_le_bytes(magic))
        } else {
            (true, u32::from_be_bytes(magic))
        };
        let mut rest = [0u8; 20];
        input.exact(&mut rest, false)?;
        let rd = |i: usize| {
            let b = [rest[i], rest[i + 1], rest[i + 2], rest[i + 3]];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let snaplen = rd(12);
        let link_type = rd(16) & 0xFFFF;
        Ok(PcapReader {
            input,
            big_endian,
            nanos: m == MAGIC_NANO,
            link_type,
            snaplen,
            buf: Vec::with_capacity(65536),
        })
    }

    fn u32_at(&self, h: &[u8; 16], i: usize) -> u32 {
        let b = [h[i], h[i + 1], h[i + 2], h[i + 3]];
        if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    }

    pub fn next_frame(&mut self) -> Result<RawFrame<'_>, End> {
        let mut h = [0u8; 16];
        self.input.exact(&mut h, true)?;
        let sec = self.u32_at(&h, 0);
        let frac = self.u32_at(&h, 4);
        let caplen = self.u32_at(&h, 8);
        let orig_len = self.u32_at(&h, 12);
        if caplen > MAX_FRAME {
            return Err(End::Corrupt(format!(
                "record at byte {} claims {caplen} captured bytes",
                self.input.pos() - 16
            )));
        }
        let n = caplen as usize;
        if self.buf.len() < n {
            self.buf.resize(n, 0);
        }
        self.input.exact(&mut self.buf[..n], false)?;
        let frac_ns = if self.nanos {
            frac as i64
        } else {
            frac as i64 * 1000
        };
        let ts: Nanos = sec as i64 * 1_000_000_000 + frac_ns;
        Ok(RawFrame {
            link_type: self.link_type,
            ts,
            orig_len,
            interface: 0,
            data: &self.buf[..n],
        })
    }
}

/// Write a pcap file header (nanosecond magic, little-endian).
pub fn write_header(
    w: &mut impl std::io::Write,
    link_type: u32,
    snaplen: u32,
) -> std::io::Result<()> {
    w.write_all(&MAGIC_NANO.to_le_bytes())?;
    w.write_all(&2u16.to_le_bytes())?;
    w.write_all(&4u16.to_le_bytes())?;
    w.write_all(&[0u8; 8])?;
    w.write_all(&snaplen.to_le_bytes())?;
    w.write_all(&link_type.to_le_bytes())
}

/// Write one pcap record (nanosecond resolution).
pub fn write_record(
    w: &mut impl std::io::Write,
    ts: Nanos,
    orig_len: u32,
    data: &[u8],
) -> std::io::Result<()> {
    let sec = ts.div_euclid(1_000_000_000);
    let ns = ts.rem_euclid(1_000_000_000);
    w.write_all(&(sec as u32).to_le_bytes())?;
    w.write_all(&(ns as u32).to_le_bytes())?;
    w.write_all(&(data.len() as u32).to_le_bytes())?;
    w.write_all(&orig_len.max(data.len() as u32).to_le_bytes())?;
    w.write_all(data)
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
    fn all_four_magics() {
        for big in [false, true] {
            for nano in [false, true] {
                let mut f = pcap_header(1, big, nano);
                pcap_record(&mut f, big, 1_700_000_000, 123, &[1, 2, 3], 3);
                pcap_record(&mut f, big, 1_700_000_001, 5, &[9; 10], 60);
                let mut r = open(f);
                assert_eq!(r.format(), "pcap");
                assert_eq!(r.link_types(), vec![1]);
                let a = r.next_frame().unwrap();
                let mult = if nano { 1 } else { 1000 };
                assert_eq!(a.ts, 1_700_000_000 * 1_000_000_000 + 123 * mult);
                assert_eq!(a.data, &[1, 2, 3]);
                assert_eq!(a.link_type, 1);
                let b = r.next_frame().unwrap();
                assert_eq!(b.orig_len, 60);
                assert_eq!(b.data.len(), 10);
                assert_eq!(r.next_frame().unwrap_err(), End::Eof);
            }
        }
    }

    #[test]
    fn truncated_and_corrupt_records() {
        let mut f = pcap_header(1, false, false);
        pcap_record(&mut f, false, 1, 0, &[1, 2, 3, 4], 4);
        let full = f.len();
        f.truncate(full - 1);
        let mut r = open(f.clone());
        assert_eq!(r.next_frame().unwrap_err(), End::Truncated);
        f.truncate(24 + 7);
        let mut r = open(f);
        assert_eq!(r.next_frame().unwrap_err(), End::Truncated);

        let mut f = pcap_header(1, false, false);
        f.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&(MAX_FRAME + 1).to_le_bytes());
        f.extend_from_slice(&[0, 0, 0, 0]);
        let mut r = open(f);
        assert!(matches!(r.next_frame().unwrap_err(), End::Corrupt(_)));
    }

    #[test]
    fn fcs_bits_masked_from_link_type() {
        let mut f = pcap_header(1, false, false);
        f[20..24].copy_from_slice(&(0x1000_0000u32 | 1).to_le_bytes());
        let r = open(f);
        assert_eq!(r.link_types(), vec![1]);
    }

    #[test]
    fn write_then_read() {
        let mut out = Vec::new();
        write_header(&mut out, 101, 65535).unwrap();
        write_record(&mut out, 1_600_000_000_123_456_789, 10, &[4, 5]).unwrap();
        let mut r = open(out);
        let f = r.next_frame().unwrap();
        assert_eq!(f.ts, 1_600_000_000_123_456_789);
        assert_eq!(f.link_type, 101);
        assert_eq!(f.data, &[4, 5]);
        assert_eq!(f.orig_len, 10);
    }
}
