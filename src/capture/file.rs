//! Capture files: classic pcap and pcapng, read with the `pcap-file` crate's parsers.
//!
//! pcap-file (3.0.0-rc.3, pinned) does the formats: the pcap file header and records in both
//! byte orders and both timestamp resolutions; pcapng blocks, several sections (each with its
//! own byte order, interface ids restarting), several interfaces, and each interface's
//! `if_tsresol` / `if_tsoffset` applied to its packets' timestamps.
//!
//! Our own part is only the buffer the parsers run over ([`Input`]). pcap-file's own readers
//! (`PcapReader`, `PcapNgReader`) could stream from the file too, but their buffer is allocated
//! at its full capacity up front (8 MB by default, 32 MiB to hold the largest record we
//! accept), and they report a record cut short by the end of the file and a record whose
//! length field passes the buffer both as the same `UnexpectedEof`. Driving the parsers
//! ourselves, their `IncompleteBuffer(needed)` tells a truncated file (counted
//! "truncated-file") from a corrupt length (more than [`MAX_RECORD`]: "corrupt-record"), and
//! the buffer only grows as far as the biggest record really in the file.
//!
//! Classic pcap records are taken raw (`next_raw_packet`): the crate's checked packet refuses
//! a captured length above the snap length or the original length, which real capture tools
//! do write; the bytes are good, so they are delivered. A pcapng packet block that the crate
//! refuses (an undeclared interface, a captured length above the original length, broken
//! options) still counts as a frame, so frame numbers stay Wireshark's, and as a
//! "rejected-record" skip; reading goes on.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pcap_file::pcap::{PcapParseError, PcapParser, PcapTsResolution};
use pcap_file::pcapng::blocks::{
    ENHANCED_PACKET_BLOCK, INTERFACE_DESCRIPTION_BLOCK, PACKET_BLOCK, SIMPLE_PACKET_BLOCK,
};
use pcap_file::pcapng::{Block, PcapNgParseError, PcapNgParser};

use super::limits::{MAX_RECORD, READ_CHUNK};
use super::{Nanos, RawFrame};
use crate::error::{CapturePart, Corruption, Error, Magic};

/// Why a file reader stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Clean end of file.
    Eof,
    /// The file ends in the middle of a record.
    Truncated,
    /// A record that cannot be right (what is wrong); reading stops there.
    Corrupt(Corruption),
    /// An I/O error while reading.
    Io(String),
}

/// What the next record of the file is.
#[derive(Debug, Clone, Copy)]
pub enum Record<'a> {
    Frame(RawFrame<'a>),
    /// A packet record the reader framed but refused (what is wrong): one frame number and one
    /// skip, and reading goes on.
    Rejected,
}

/// A piece of the capture as it was read, shared read-only with the batches whose datagrams
/// lie in it (their bytes are not copied again: see [`Input`]). Only its first `len` bytes
/// are the stream's; the rest of a recycled chunk is never shown.
#[derive(Clone, Default)]
pub struct Chunk {
    bytes: Vec<u8>,
    /// Offset in the stream of `bytes[0]`.
    base: u64,
    len: usize,
}

impl Chunk {
    /// The stream offsets of the bytes it holds.
    pub fn span(&self) -> std::ops::Range<u64> {
        self.base..self.base + self.len as u64
    }

    /// The bytes of memory it holds (its buffer, filled or not).
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    /// The `len` bytes at stream offset `at`, when they all lie in this chunk.
    pub fn get(&self, at: u64, len: usize) -> Option<&[u8]> {
        let start = usize::try_from(at.checked_sub(self.base)?).ok()?;
        self.bytes[..self.len].get(start..start.checked_add(len)?)
    }
}

/// Chunks kept for reuse once no batch holds them (with [`READ_CHUNK`] each, 16 MiB at most;
/// the batches in flight hold a few dozen).
const SPARE_CHUNKS: usize = 64;

/// The read buffer the format parsers run over (see the module doc for why it is ours).
///
/// The file is read into chunks of [`READ_CHUNK`] bytes (more for a bigger record). Frames
/// are slices of the current chunk; a reader of datagrams may keep the chunk (an `Arc`) for
/// as long as it needs their bytes. When the parsers need more than the chunk holds, the
/// unread bytes (part of one record) move to the start of a chunk no one else holds: the
/// same one when no one took it, else a spare one whose holders are gone, else a new one.
/// So the file's bytes are copied once, by the read, and a chunk is filled again rather than
/// allocated (fresh pages are dear).
struct Input {
    r: Box<dyn Read + Send>,
    chunk: Arc<Chunk>,
    /// The first byte of `chunk` not taken yet.
    start: usize,
    /// Bytes read from the file so far.
    read: u64,
    eof: bool,
    spare: Vec<Arc<Chunk>>,
}

impl Input {
    fn new(r: Box<dyn Read + Send>) -> Self {
        Input {
            r,
            chunk: Arc::default(),
            start: 0,
            read: 0,
            eof: false,
            spare: Vec::new(),
        }
    }

    fn data(&self) -> &[u8] {
        &self.chunk.bytes[self.start..self.chunk.len]
    }

    /// Offset in the stream of the first byte not taken yet.
    fn pos(&self) -> u64 {
        self.chunk.base + self.start as u64
    }

    /// Make the current chunk one that only this input holds, with the bytes not taken yet
    /// at its start and room for at least `want` bytes.
    fn writable(&mut self, want: usize) {
        let size = want.max(READ_CHUNK);
        let unread = self.start..self.chunk.len;
        let base = self.pos();
        if let Some(c) = Arc::get_mut(&mut self.chunk)
            && c.bytes.len() >= size
        {
            c.bytes.copy_within(unread.clone(), 0);
            (c.base, c.len, self.start) = (base, unread.len(), 0);
            return;
        }
        let free = self
            .spare
            .iter_mut()
            .position(|c| Arc::get_mut(c).is_some_and(|c| c.bytes.len() >= size));
        let next = match free {
            Some(i) => self.spare.swap_remove(i),
            None => Arc::new(Chunk {
                bytes: vec![0; size],
                base: 0,
                len: 0,
            }),
        };
        let old = std::mem::replace(&mut self.chunk, next);
        // No one else holds it (a spare one with no other holder, or a new one): no copy.
        let c = Arc::make_mut(&mut self.chunk);
        c.bytes[..unread.len()].copy_from_slice(&old.bytes[unread.clone()]);
        (c.base, c.len, self.start) = (base, unread.len(), 0);
        if old.bytes.len() == READ_CHUNK {
            if self.spare.len() >= SPARE_CHUNKS {
                self.spare.remove(0);
            }
            self.spare.push(old);
        }
    }

    /// Read until at least `want` bytes are buffered or the file ends.
    fn fill(&mut self, want: usize) -> Result<(), End> {
        self.writable(want);
        while self.chunk.len < want && !self.eof {
            let c = Arc::make_mut(&mut self.chunk);
            match self.r.read(&mut c.bytes[c.len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    c.len += n;
                    self.read += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(End::Io(e.to_string())),
            }
        }
        Ok(())
    }

    /// The parser needs `needed` more bytes (its `IncompleteBuffer` hint) than `have`.
    fn need_more(&mut self, needed: usize, part: CapturePart) -> Result<(), End> {
        if needed > MAX_RECORD {
            return Err(End::Corrupt(Corruption::ClaimsTooMuch {
                part,
                at: self.pos(),
                bytes: needed as u64,
            }));
        }
        if self.eof {
            return Err(End::Truncated);
        }
        let have = self.chunk.len - self.start;
        // The hint does not count the record's own header: ask for a little more.
        self.fill(needed.saturating_add(16).max(have + 1))
    }

    /// The offset in the stream of `data` when it is a slice of the buffer (the offsets a
    /// message's bytes are read back from, see [`super::raw`]).
    fn offset_of(&self, data: &[u8]) -> Option<u64> {
        let start = self.chunk.bytes.as_ptr() as usize;
        let p = data.as_ptr() as usize;
        if p < start || p + data.len() > start + self.chunk.len {
            return None;
        }
        Some(self.chunk.base + (p - start) as u64)
    }

    /// At a record boundary: is there anything left?
    fn at_end(&mut self) -> Result<bool, End> {
        if self.start == self.chunk.len {
            self.fill(1)?;
        }
        Ok(self.start == self.chunk.len)
    }
}

fn nanos(d: Duration) -> Nanos {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

/// A classic pcap file.
pub struct PcapFile {
    input: Input,
    parser: PcapParser,
    link_type: u32,
    nanos: bool,
}

/// A pcapng file.
pub struct PcapNgFile {
    input: Input,
    parser: PcapNgParser,
    /// Every link type declared by an interface so far, in order of first appearance.
    seen_link_types: Vec<u32>,
    /// A packet whose bytes the crate handed over owned (not expected; kept to stay total).
    owned: Vec<u8>,
}

/// Link type value of the crate's `DataLink`; the upper 16 bits of a pcap header's LinkType
/// word may carry FCS information ("bits 0-15 LinkType").
fn link_value(d: pcap_file::DataLink) -> u32 {
    u32::from(d) & 0xFFFF
}

impl PcapFile {
    fn open(mut input: Input) -> Result<Self, End> {
        let (used, parser) = loop {
            match PcapParser::new(input.data()) {
                Ok((rem, p)) => break (input.data().len() - rem.len(), p),
                Err(PcapParseError::IncompleteBuffer(needed, _)) => {
                    input.need_more(needed, CapturePart::PcapHeader)?
                }
                Err(e) => return Err(End::Corrupt(Corruption::Reader(e.to_string()))),
            }
        };
        input.start += used;
        let h = parser.header();
        Ok(PcapFile {
            input,
            link_type: link_value(h.datalink),
            nanos: h.ts_resolution == PcapTsResolution::NanoSecond,
            parser,
        })
    }

    fn next(&mut self) -> Result<Record<'_>, End> {
        if self.input.at_end()? {
            return Err(End::Eof);
        }
        let used = loop {
            let data = self.input.data();
            match self.parser.next_raw_packet(data) {
                Ok((rem, _)) => break data.len() - rem.len(),
                Err(PcapParseError::IncompleteBuffer(needed, _)) => {
                    self.input.need_more(needed, CapturePart::PcapRecord)?
                }
                Err(e) => return Err(End::Corrupt(Corruption::Reader(e.to_string()))),
            }
        };
        let at = self.input.start;
        self.input.start += used;
        let rec = &self.input.chunk.bytes[at..at + used];
        let p = match self.parser.next_raw_packet(rec) {
            Ok((_, p)) => p,
            Err(e) => return Err(End::Corrupt(Corruption::Reader(e.to_string()))),
        };
        let frac = if self.nanos {
            p.ts_frac as i64
        } else {
            p.ts_frac as i64 * 1000
        };
        let data: &[u8] = match p.data {
            Cow::Borrowed(b) => b,
            Cow::Owned(_) => &rec[16..],
        };
        Ok(Record::Frame(RawFrame {
            file_offset: self.input.offset_of(data),
            link_type: self.link_type,
            ts: p.ts_sec as i64 * 1_000_000_000 + frac,
            orig_len: p.orig_len,
            interface: 0,
            data,
        }))
    }
}

impl PcapNgFile {
    fn open(mut input: Input) -> Result<Self, End> {
        let (used, parser) = loop {
            match PcapNgParser::new(input.data()) {
                Ok((rem, p)) => break (input.data().len() - rem.len(), p),
                Err(PcapNgParseError::IncompleteBuffer(needed, _)) => {
                    input.need_more(needed, CapturePart::PcapngHeader)?
                }
                Err(e) => return Err(End::Corrupt(Corruption::PcapngHeader(e.to_string()))),
            }
        };
        input.start += used;
        Ok(PcapNgFile {
            input,
            parser,
            seen_link_types: Vec::new(),
            owned: Vec::new(),
        })
    }

    /// Frame the next packet block (handling section and interface blocks, skipping the rest);
    /// returns its length in the buffer.
    fn next_packet_block(&mut self) -> Result<usize, End> {
        loop {
            if self.input.at_end()? {
                return Err(End::Eof);
            }
            let data = self.input.data();
            match self.parser.next_raw_block(data) {
                Ok((rem, raw)) => {
                    let used = data.len() - rem.len();
                    match raw.type_ {
                        ENHANCED_PACKET_BLOCK | PACKET_BLOCK | SIMPLE_PACKET_BLOCK => {
                            return Ok(used);
                        }
                        INTERFACE_DESCRIPTION_BLOCK => {
                            if let Some(i) = self.parser.interfaces().last() {
                                let lt = link_value(i.linktype);
                                if !self.seen_link_types.contains(&lt) {
                                    self.seen_link_types.push(lt);
                                }
                            }
                        }
                        // Section headers are taken in by the parser; "Unknown blocks ... MUST
                        // be ignored", and so are statistics, name resolution, custom blocks.
                        _ => {}
                    }
                    self.input.start += used;
                }
                Err(PcapNgParseError::IncompleteBuffer(needed, _)) => {
                    self.input.need_more(needed, CapturePart::PcapngBlock)?
                }
                Err(e) => {
                    let at = self.input.pos();
                    return Err(End::Corrupt(Corruption::PcapngBlock {
                        at,
                        detail: e.to_string(),
                    }));
                }
            }
        }
    }

    fn next(&mut self) -> Result<Record<'_>, End> {
        let used = self.next_packet_block()?;
        let at = self.input.start;
        self.input.start += used;
        let rec = &self.input.chunk.bytes[at..at + used];
        let raw = match self.parser.next_raw_block(rec) {
            Ok((_, raw)) => raw,
            Err(e) => return Err(End::Corrupt(Corruption::Reader(e.to_string()))),
        };
        let state = self.parser.state();
        let (iface, ts, orig_len, data) = match raw.try_into_block(state) {
            Ok(Block::EnhancedPacket(p)) => {
                (p.interface_id, nanos(p.timestamp), p.original_len, p.data)
            }
            Ok(Block::Packet(p)) => (
                p.interface_id as u32,
                nanos(p.timestamp),
                p.original_len,
                p.data,
            ),
            // A Simple Packet Block belongs to the section's first interface and has no time.
            Ok(Block::SimplePacket(p)) => (0, 0, p.original_len, p.data),
            _ => return Ok(Record::Rejected),
        };
        let link_type = state
            .interfaces()
            .get(iface as usize)
            .map_or(u32::MAX, |i| link_value(i.linktype));
        let (data, file_offset): (&[u8], _) = match data {
            Cow::Borrowed(b) => (b, self.input.offset_of(b)),
            Cow::Owned(v) => {
                self.owned = v;
                (&self.owned, None)
            }
        };
        Ok(Record::Frame(RawFrame {
            file_offset,
            link_type,
            ts,
            orig_len,
            interface: iface,
            data,
        }))
    }
}

/// Either file format behind one interface.
pub enum FrameReader {
    Pcap(PcapFile),
    Pcapng(PcapNgFile),
}

const PCAP_MAGICS: [[u8; 4]; 4] = [
    [0xA1, 0xB2, 0xC3, 0xD4],
    [0xD4, 0xC3, 0xB2, 0xA1],
    [0xA1, 0xB2, 0x3C, 0x4D],
    [0x4D, 0x3C, 0xB2, 0xA1],
];
/// The pcapng Section Header Block type, a palindrome.
const PCAPNG_MAGIC: [u8; 4] = [0x0A, 0x0D, 0x0D, 0x0A];

impl FrameReader {
    /// Detect the format from the first bytes and read the file header.
    pub fn open(r: Box<dyn Read + Send>, name: &Path) -> Result<Self, Error> {
        let mut input = Input::new(r);
        input.fill(4).map_err(|e| end_to_error(e, name))?;
        let head = input.data();
        if head.is_empty() {
            return Err(Error::Empty {
                path: name.to_path_buf(),
            });
        }
        if head.len() < 4 {
            return Err(Error::BadMagic {
                path: name.to_path_buf(),
                magic: Magic::of(head),
            });
        }
        let magic = [head[0], head[1], head[2], head[3]];
        if PCAP_MAGICS.contains(&magic) {
            PcapFile::open(input)
                .map(FrameReader::Pcap)
                .map_err(|e| end_to_error(e, name))
        } else if magic == PCAPNG_MAGIC {
            PcapNgFile::open(input)
                .map(FrameReader::Pcapng)
                .map_err(|e| end_to_error(e, name))
        } else {
            Err(Error::BadMagic {
                path: name.to_path_buf(),
                magic: Magic::of(&magic),
            })
        }
    }
    pub fn next_frame(&mut self) -> Result<Record<'_>, End> {
        match self {
            FrameReader::Pcap(r) => r.next(),
            FrameReader::Pcapng(r) => r.next(),
        }
    }
    /// Bytes read from the file so far.
    pub fn bytes_read(&self) -> u64 {
        self.input().read
    }
    fn input(&self) -> &Input {
        match self {
            FrameReader::Pcap(r) => &r.input,
            FrameReader::Pcapng(r) => &r.input,
        }
    }
    /// The chunk of the file the last frame's bytes lie in (see [`Chunk`]).
    pub fn chunk(&self) -> &Arc<Chunk> {
        &self.input().chunk
    }
    /// Drop the chunks kept for reuse (nothing more will be read).
    pub fn release_spare(&mut self) {
        match self {
            FrameReader::Pcap(r) => r.input.spare = Vec::new(),
            FrameReader::Pcapng(r) => r.input.spare = Vec::new(),
        }
    }
    pub fn format(&self) -> &'static str {
        match self {
            FrameReader::Pcap(_) => "pcap",
            FrameReader::Pcapng(_) => "pcapng",
        }
    }
    /// Link types of the interfaces declared so far.
    pub fn link_types(&self) -> Vec<u32> {
        match self {
            FrameReader::Pcap(r) => vec![r.link_type],
            FrameReader::Pcapng(r) => r.seen_link_types.clone(),
        }
    }
}

fn end_to_error(e: End, name: &Path) -> Error {
    let path: PathBuf = name.to_path_buf();
    match e {
        End::Eof | End::Truncated => Error::Corrupt {
            path,
            what: Corruption::HeaderCut,
        },
        End::Corrupt(what) => Error::Corrupt { path, what },
        End::Io(msg) => Error::Io {
            path,
            source: std::io::Error::other(msg),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::testutil::*;

    fn open(bytes: Vec<u8>) -> FrameReader {
        FrameReader::open(Box::new(std::io::Cursor::new(bytes)), Path::new("t")).unwrap()
    }

    fn frame(r: &mut FrameReader) -> RawFrame<'_> {
        match r.next_frame().unwrap() {
            Record::Frame(f) => f,
            Record::Rejected => panic!("rejected"),
        }
    }

    /// Reads of one byte at a time: the buffer must cope with any split of the input.
    struct Trickle(std::io::Cursor<Vec<u8>>);
    impl Read for Trickle {
        fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
            let n = b.len().min(1);
            self.0.read(&mut b[..n])
        }
    }

    #[test]
    fn pcap_all_four_magics() {
        for big in [false, true] {
            for nano in [false, true] {
                let mut f = pcap_header(1, big, nano);
                pcap_record(&mut f, big, 1_700_000_000, 123, &[1, 2, 3], 3);
                pcap_record(&mut f, big, 1_700_000_001, 5, &[9; 10], 60);
                let mut r = open(f);
                assert_eq!(r.format(), "pcap");
                assert_eq!(r.link_types(), vec![1]);
                let a = frame(&mut r);
                let mult = if nano { 1 } else { 1000 };
                assert_eq!(a.ts, 1_700_000_000 * 1_000_000_000 + 123 * mult);
                assert_eq!(a.data, &[1, 2, 3]);
                assert_eq!(a.link_type, 1);
                let b = frame(&mut r);
                assert_eq!(b.orig_len, 60);
                assert_eq!(b.data.len(), 10);
                assert_eq!(r.next_frame().unwrap_err(), End::Eof);
            }
        }
    }

    #[test]
    fn pcap_truncated_and_corrupt_records() {
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
        f.extend_from_slice(&(MAX_RECORD as u32 + 1).to_le_bytes());
        f.extend_from_slice(&[0, 0, 0, 0]);
        let mut r = open(f);
        assert!(matches!(r.next_frame().unwrap_err(), End::Corrupt(_)));
    }

    #[test]
    fn pcap_lengths_real_tools_write_are_accepted() {
        // captured length above both the snap length (here 4) and the original length (0).
        let mut f = pcap_header(1, false, false);
        f[16..20].copy_from_slice(&4u32.to_le_bytes());
        pcap_record(&mut f, false, 1, 0, &[7; 9], 0);
        let mut r = open(f);
        let a = frame(&mut r);
        assert_eq!((a.data.len(), a.orig_len), (9, 0));
    }

    #[test]
    fn fcs_bits_masked_from_link_type() {
        let mut f = pcap_header(1, false, false);
        f[20..24].copy_from_slice(&(0x1000_0000u32 | 1).to_le_bytes());
        let r = open(f);
        assert_eq!(r.link_types(), vec![1]);
    }

    #[test]
    fn pcapng_byte_orders_interfaces_block_kinds_and_tsresol() {
        for big in [false, true] {
            let mut f = Vec::new();
            ng_shb(&mut f, big);
            ng_block(&mut f, big, 0x0BAD, &[0, 0, 0, 1]); // custom block: skipped
            ng_block(&mut f, big, 0x7777, &[1, 2, 3, 4]); // unknown block: skipped
            ng_idb(&mut f, big, 1, 0, None);
            ng_idb(&mut f, big, 113, 0, Some(9));
            ng_idb(&mut f, big, 101, 0, Some(0x80 | 10));
            ng_epb(&mut f, big, 0, 1_000_000, &[0xAA; 5], 5);
            ng_epb(&mut f, big, 1, 2_000_000_000, &[0xBB; 4], 4);
            ng_spb(&mut f, big, &[0xCC; 6]);
            ng_pb(&mut f, big, 1, 3_000_000_000, &[0xDD; 3]);
            // 2^-10 seconds per unit: 1536 units = 1.5 s.
            ng_epb(&mut f, big, 2, 1536, &[0xEF], 1);
            ng_epb(&mut f, big, 7, 1, &[0xEE], 1); // undeclared interface
            ng_epb(&mut f, big, 0, 2_000_000, &[0xAB], 1);
            let mut r = open(f);
            assert_eq!(r.format(), "pcapng");
            let a = frame(&mut r);
            assert_eq!((a.link_type, a.ts, a.data.len()), (1, 1_000_000_000, 5));
            let b = frame(&mut r);
            assert_eq!(
                (b.link_type, b.ts, b.data),
                (113, 2_000_000_000, &[0xBB; 4][..])
            );
            let c = frame(&mut r);
            assert_eq!((c.link_type, c.data), (1, &[0xCC; 6][..]));
            let d = frame(&mut r);
            assert_eq!(
                (d.link_type, d.ts, d.data),
                (113, 3_000_000_000, &[0xDD; 3][..])
            );
            let e = frame(&mut r);
            assert_eq!((e.link_type, e.ts), (101, 1_500_000_000));
            assert!(matches!(r.next_frame().unwrap(), Record::Rejected));
            assert_eq!(frame(&mut r).ts, 2_000_000_000);
            assert_eq!(r.next_frame().unwrap_err(), End::Eof);
            assert_eq!(r.link_types(), vec![1, 113, 101]);
        }
    }

    #[test]
    fn pcapng_tsoffset_is_applied() {
        let mut f = Vec::new();
        ng_shb(&mut f, false);
        // IDB: Ethernet, if_tsoffset (code 14, 8 bytes) = 100 s, then opt_endofopt.
        let mut b = vec![1, 0, 0, 0, 0, 0, 0, 0, 14, 0, 8, 0];
        b.extend_from_slice(&100i64.to_le_bytes());
        b.extend_from_slice(&[0, 0, 0, 0]);
        ng_block(&mut f, false, 1, &b);
        ng_epb(&mut f, false, 0, 1, &[1], 1);
        let mut r = open(f);
        assert_eq!(frame(&mut r).ts, 100_000_001_000);
    }

    #[test]
    fn pcapng_several_sections_reset_interfaces_and_byte_order() {
        let mut f = Vec::new();
        ng_shb(&mut f, false);
        ng_idb(&mut f, false, 1, 0, None);
        ng_epb(&mut f, false, 0, 1, &[1], 1);
        ng_shb(&mut f, true);
        ng_idb(&mut f, true, 101, 0, None);
        ng_epb(&mut f, true, 0, 2, &[2], 1);
        let mut r = open(f);
        assert_eq!(frame(&mut r).link_type, 1);
        let b = frame(&mut r);
        assert_eq!((b.link_type, b.data), (101, &[2u8][..]));
        assert_eq!(r.link_types(), vec![1, 101]);
    }

    #[test]
    fn pcapng_spb_respects_snaplen() {
        let mut f = Vec::new();
        ng_shb(&mut f, false);
        ng_idb(&mut f, false, 1, 4, None);
        ng_spb(&mut f, false, &[7; 8]);
        let mut r = open(f);
        assert_eq!(frame(&mut r).data, &[7; 4]);
    }

    #[test]
    fn pcapng_corrupt_and_truncated_blocks() {
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
        // an absurd block length: corrupt, not a 4 GB read
        let mut c = f.clone();
        c[good + 4..good + 8].copy_from_slice(&0xFFFF_FFFCu32.to_le_bytes());
        assert!(matches!(open(c).next_frame().unwrap_err(), End::Corrupt(_)));
        // captured length larger than the block: that packet is refused, reading goes on
        let mut c = f.clone();
        c[good + 20] = 200;
        ng_epb(&mut c, false, 0, 1, &[9], 1);
        let mut r = open(c);
        assert!(matches!(r.next_frame().unwrap(), Record::Rejected));
        assert_eq!(frame(&mut r).data, &[9]);
        // SHB without byte-order magic
        let mut c = f;
        c[8] = 0;
        assert!(FrameReader::open(Box::new(std::io::Cursor::new(c)), Path::new("t")).is_err());
    }

    #[test]
    fn any_split_of_the_input_reads_the_same() {
        let mut f = Vec::new();
        ng_shb(&mut f, true);
        ng_idb(&mut f, true, 1, 0, Some(9));
        for i in 0..5u8 {
            ng_epb(&mut f, true, 0, i as u64, &vec![i; 100 + i as usize], 200);
        }
        let mut r = FrameReader::open(
            Box::new(Trickle(std::io::Cursor::new(f.clone()))),
            Path::new("t"),
        )
        .unwrap();
        for i in 0..5u8 {
            let a = frame(&mut r);
            assert_eq!((a.ts, a.data.len()), (i as i64, 100 + i as usize));
        }
        assert_eq!(r.next_frame().unwrap_err(), End::Eof);
        assert_eq!(r.bytes_read(), f.len() as u64);
    }

    /// A chunk shows its own bytes only: a recycled one still holding an earlier read's
    /// bytes past its length never hands them out.
    #[test]
    fn a_chunk_shows_only_its_own_bytes() {
        let c = Chunk {
            bytes: b"SIP/#######".to_vec(),
            base: 100,
            len: 4,
        };
        assert_eq!(c.span(), 100..104);
        assert_eq!(c.get(100, 4), Some(&b"SIP/"[..]));
        assert_eq!(c.get(102, 2), Some(&b"P/"[..]));
        assert_eq!(
            c.get(100, 5),
            None,
            "past its length: an earlier read's bytes"
        );
        assert_eq!(c.get(104, 1), None);
        assert_eq!(c.get(99, 2), None);
        assert_eq!(c.get(u64::MAX, 2), None);
    }

    /// Shared datagrams (their place in the chunks the file is read into) have the bytes
    /// of copied ones, in the same order and with the same offsets: for records that span
    /// two reads (the unread part moves to the next chunk), with chunks held a while and
    /// then given back and filled again, and for a reader that returns one byte at a time.
    #[test]
    fn shared_datagrams_equal_copied_ones_across_chunks() {
        use crate::capture::{Event, PacketStream};
        let frames: Vec<Vec<u8>> = (0..1500u32)
            .map(|i| {
                let mut sip = format!("OPTIONS sip:{i}@b SIP/2.0\r\nCall-ID: {i}\r\n").into_bytes();
                sip.resize(300 + (i as usize * 7) % 400, b'a' + (i % 26) as u8);
                eth_udp([10, 0, 0, 1], 5060, [10, 0, 0, 2], 5060, &sip)
            })
            .collect();
        let file = pcap_file(1, &frames);
        let copied: Vec<(Vec<u8>, Option<u64>)> = run(file.clone())
            .0
            .into_iter()
            .filter_map(|e| match e {
                Event::Datagram(p) => Some((p.data, p.at)),
                _ => None,
            })
            .collect();
        assert_eq!(copied.len(), frames.len());
        for trickle in [false, true] {
            let r: Box<dyn Read + Send> = if trickle {
                Box::new(Trickle(std::io::Cursor::new(file.clone())))
            } else {
                Box::new(std::io::Cursor::new(file.clone()))
            };
            let mut s = PacketStream::from_reader(r, Path::new("t"), None).unwrap();
            s.share_datagrams();
            // As the reading thread does: each batch holds the chunks of its datagrams; a
            // batch is let go two batches later.
            let mut held: Vec<Vec<Arc<Chunk>>> = vec![Vec::new()];
            let mut seen: Vec<*const Chunk> = Vec::new();
            let (mut shared, mut spanning, mut switches) = (Vec::new(), 0, 0);
            while let Some(e) = s.next_event() {
                let Event::InChunk(d) = e else {
                    panic!("only shared datagrams: {e:?}")
                };
                let batch = held.last_mut().unwrap();
                if !batch.last().is_some_and(|c| Arc::ptr_eq(c, s.chunk())) {
                    if let Some(prev) = batch.last() {
                        // The unread part moved over: this chunk starts inside the last.
                        let (p, c) = (prev.span(), s.chunk().span());
                        assert!(c.start >= p.start && c.start <= p.end, "{p:?} {c:?}");
                    }
                    batch.push(s.chunk().clone());
                    switches += 1;
                    if !seen.contains(&Arc::as_ptr(s.chunk())) {
                        seen.push(Arc::as_ptr(s.chunk()));
                    }
                }
                let bytes = d.bytes(batch).expect("in a chunk of the batch").to_vec();
                if batch.len() > 1 && d.at < batch[batch.len() - 2].span().end {
                    spanning += 1;
                }
                shared.push((bytes, Some(d.at)));
                if shared.len() % 100 == 0 {
                    let last = batch.last().cloned();
                    held.push(last.into_iter().collect());
                    if held.len() > 2 {
                        held.remove(0);
                    }
                }
            }
            assert_eq!(shared, copied, "trickle {trickle}");
            if !trickle {
                assert!(spanning > 0, "a record read in two parts");
                assert!(seen.len() < switches, "chunks given back are filled again");
            }
        }
    }
}
