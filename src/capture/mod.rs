//! Capture layer: pcap/pcapng files -> frames -> link layer -> IP (with fragment reassembly and
//! tunnel decapsulation) -> UDP datagrams / reassembled TCP byte streams / ICMP errors / TLS sightings.
//!
//! Everything here reads *untrusted* bytes: every parser is a checked view over a byte slice
//! (nothing indexes past the end, nothing panics), and everything that is not understood is
//! counted in [`Skips`] under a stable kebab-case reason instead of failing the whole file.
//!
//! Memory stays bounded on huge captures: the file is read through a buffered reader with one
//! reused frame buffer, IP fragment tables and TCP streams are bounded and expire after a number
//! of frames, and payloads that cannot start a SIP message are dropped without allocating.
//!
//! Module map: [`pcap`] and [`pcapng`] (file formats), [`link`] (link layers), [`ip`] (IPv4/IPv6,
//! fragments, ICMP), [`tcp`] (TCP reassembly, TLS detection), [`hep`] (HEPv3), [`decode`] (the glue
//! from a frame to [`Event`]s), [`export`] (write chosen frames back to a capture file).

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use crate::error::Error;

pub mod decode;
pub mod export;
pub mod hep;
pub mod ip;
pub mod link;
pub mod pcap;
pub mod pcapng;
pub mod tcp;

#[cfg(test)]
mod testutil;
#[cfg(test)]
mod thirdparty_tests;

pub use export::export_frames;

/// Capture timestamp, nanoseconds since the Unix epoch.
pub type Nanos = i64;

/// Transport a payload was carried on; also the transport of an account or a probe (the one
/// `Transport` of the crate).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    #[default]
    Udp,
    Tcp,
    Tls,
}

impl Transport {
    pub const ALL: [Transport; 3] = [Transport::Udp, Transport::Tcp, Transport::Tls];

    /// The lowercase token (the serde name, a URI's `transport=` value): `udp`, `tcp`, `tls`.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
            Transport::Tls => "tls",
        }
    }

    /// The name people read (and a Via's transport): `UDP`, `TCP`, `TLS`.
    pub fn label(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
        }
    }
}

/// Prints the [`Transport::label`] (`UDP`).
impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Parses the token in any case (`udp`, `TCP`, `Tls`).
impl std::str::FromStr for Transport {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Transport::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown transport \"{s}\" (udp, tcp or tls)"))
    }
}

/// Application bytes with where and when they were seen.
#[derive(Debug, Clone)]
pub struct Payload {
    /// 1-based number of the frame that completed it.
    pub frame: u64,
    /// Every frame that contributed (IP fragments, TCP segments), ascending.
    pub frames: Vec<u64>,
    pub ts: Nanos,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub transport: Transport,
    pub data: Vec<u8>,
}

/// What the capture layer hands to the SIP layer.
#[derive(Debug, Clone)]
pub enum Event {
    /// A UDP payload (after IPv4/IPv6 fragment reassembly). Also used for payloads extracted from
    /// HEPv3 packets; there `transport` is the inner transport (a HEP packet carries whole messages,
    /// so inner TCP is delivered as a self-contained datagram too).
    Datagram(Payload),
    /// New in-order bytes of one TCP direction (src->dst); `gap_before`: bytes were lost before
    /// these (the SIP layer resets its buffer).
    TcpData { payload: Payload, gap_before: bool },
    /// FIN/RST seen on this direction (a hint).
    TcpClosed { src: SocketAddr, dst: SocketAddr },
    /// ICMP/ICMPv6 destination unreachable; `quoted` carries the ORIGINAL packet's addresses,
    /// transport and whatever payload bytes were quoted.
    IcmpUnreachable {
        frame: u64,
        ts: Nanos,
        reporter: IpAddr,
        kind: String,
        quoted: Payload,
    },
    /// TLS records seen on a TCP stream direction (reported once per direction).
    Tls {
        frame: u64,
        ts: Nanos,
        src: SocketAddr,
        dst: SocketAddr,
        handshake: bool,
    },
}

/// Things not delivered, by reason (stable kebab-case strings).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Skips {
    pub counts: BTreeMap<String, u64>,
}

impl Skips {
    pub fn add(&mut self, reason: &str) {
        self.add_n(reason, 1);
    }
    pub fn add_n(&mut self, reason: &str, n: u64) {
        if n == 0 {
            return;
        }
        // get_mut first: no allocation on the hot path once a reason has been seen.
        if let Some(c) = self.counts.get_mut(reason) {
            *c += n;
        } else {
            self.counts.insert(reason.to_string(), n);
        }
    }
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
    pub fn get(&self, reason: &str) -> u64 {
        self.counts.get(reason).copied().unwrap_or(0)
    }
}

/// A frame as stored in the file, before any decoding.
#[derive(Debug, Clone, Copy)]
pub struct RawFrame<'a> {
    /// LINKTYPE_* value of the interface the frame was captured on.
    pub link_type: u32,
    pub ts: Nanos,
    pub orig_len: u32,
    /// pcapng: the interface id inside its section; pcap: 0.
    pub interface: u32,
    pub data: &'a [u8],
}

/// Why a file reader stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Clean end of file.
    Eof,
    /// The file ends in the middle of a record.
    Truncated,
    /// A record that cannot be right (what is wrong); reading stops there.
    Corrupt(String),
    /// An I/O error while reading.
    Io(String),
}

/// Counting reader over a buffered input.
pub struct Input {
    r: std::io::BufReader<Box<dyn Read + Send>>,
    pos: u64,
}

/// Size of the read buffer over the file.
pub const READ_BUFFER: usize = 256 * 1024;

impl Input {
    pub fn new(r: Box<dyn Read + Send>) -> Self {
        Input {
            r: std::io::BufReader::with_capacity(READ_BUFFER, r),
            pos: 0,
        }
    }
    /// Read until `buf` is full or the input ends; returns how many bytes were read.
    pub fn fill(&mut self, buf: &mut [u8]) -> Result<usize, End> {
        let mut n = 0;
        while n < buf.len() {
            match self.r.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.pos += n as u64;
                    return Err(End::Io(e.to_string()));
                }
            }
        }
        self.pos += n as u64;
        Ok(n)
    }
    /// Read exactly `buf.len()` bytes; a short read is `End::Truncated` (or `Eof` if nothing at
    /// all was read and `eof_ok`).
    pub fn exact(&mut self, buf: &mut [u8], eof_ok: bool) -> Result<(), End> {
        let n = self.fill(buf)?;
        if n == buf.len() {
            Ok(())
        } else if n == 0 && eof_ok {
            Err(End::Eof)
        } else {
            Err(End::Truncated)
        }
    }
    /// Skip `n` bytes.
    pub fn skip(&mut self, n: u64) -> Result<(), End> {
        let got = std::io::copy(&mut (&mut self.r).take(n), &mut std::io::sink())
            .map_err(|e| End::Io(e.to_string()))?;
        self.pos += got;
        if got == n {
            Ok(())
        } else {
            Err(End::Truncated)
        }
    }
    pub fn pos(&self) -> u64 {
        self.pos
    }
}

/// Either file format behind one interface.
pub enum FrameReader {
    Pcap(pcap::PcapReader),
    Pcapng(pcapng::PcapngReader),
}

impl FrameReader {
    /// Detect the format from the first bytes and read the file header.
    pub fn open(r: Box<dyn Read + Send>, name: &Path) -> Result<Self, Error> {
        let mut input = Input::new(r);
        let mut magic = [0u8; 4];
        let n = input.fill(&mut magic).map_err(|e| end_to_error(e, name))?;
        if n == 0 {
            return Err(Error::Empty {
                path: name.to_path_buf(),
            });
        }
        if n < 4 {
            return Err(Error::BadMagic {
                path: name.to_path_buf(),
                magic: hex(&magic[..n]),
            });
        }
        if pcap::is_magic(magic) {
            pcap::PcapReader::new(input, magic)
                .map(FrameReader::Pcap)
                .map_err(|e| end_to_error(e, name))
        } else if magic == pcapng::SHB_TYPE.to_le_bytes() {
            pcapng::PcapngReader::new(input)
                .map(FrameReader::Pcapng)
                .map_err(|e| end_to_error(e, name))
        } else {
            Err(Error::BadMagic {
                path: name.to_path_buf(),
                magic: describe_magic(magic),
            })
        }
    }
    pub fn next_frame(&mut self) -> Result<RawFrame<'_>, End> {
        match self {
            FrameReader::Pcap(r) => r.next_frame(),
            FrameReader::Pcapng(r) => r.next_frame(),
        }
    }
    pub fn bytes_read(&self) -> u64 {
        match self {
            FrameReader::Pcap(r) => r.input.pos(),
            FrameReader::Pcapng(r) => r.input.pos(),
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

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe_magic(m: [u8; 4]) -> String {
    let h = hex(&m);
    if m[0] == 0x1f && m[1] == 0x8b {
        format!("{h}, a gzip file: decompress it first")
    } else if m.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        format!("{h} \"{}\", a text file", String::from_utf8_lossy(&m))
    } else {
        h
    }
}

fn end_to_error(e: End, name: &Path) -> Error {
    let path: PathBuf = name.to_path_buf();
    match e {
        End::Eof | End::Truncated => Error::Corrupt {
            path,
            what: "the file header is truncated".into(),
        },
        End::Corrupt(what) => Error::Corrupt { path, what },
        End::Io(msg) => Error::Io {
            path,
            source: std::io::Error::other(msg),
        },
    }
}

/// Streaming decoder of a capture file into [`Event`]s.
pub struct PacketStream {
    reader: FrameReader,
    dec: decode::Decoder,
    frames: u64,
    total: Option<u64>,
    first_ts: Option<Nanos>,
    last_ts: Option<Nanos>,
    done: bool,
}

impl PacketStream {
    /// Open a capture file; reads its header (errors: BadMagic / Empty / Io / Corrupt).
    pub fn open(path: &Path) -> Result<Self, Error> {
        let f = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let len = f.metadata().ok().map(|m| m.len());
        if len == Some(0) {
            return Err(Error::Empty {
                path: path.to_path_buf(),
            });
        }
        Self::from_reader(Box::new(f), path, len)
    }

    pub fn from_reader(
        r: Box<dyn Read + Send>,
        name: &Path,
        total_len: Option<u64>,
    ) -> Result<Self, Error> {
        let reader = FrameReader::open(r, name)?;
        Ok(PacketStream {
            reader,
            dec: decode::Decoder::new(),
            frames: 0,
            total: total_len,
            first_ts: None,
            last_ts: None,
            done: false,
        })
    }

    /// The next event; `None` at the end. A truncated file ends the stream and is counted as
    /// "truncated-file"; a corrupt record is counted as "corrupt-record" and reading stops.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            if let Some(ev) = self.dec.out.pop_front() {
                return Some(ev);
            }
            if self.done {
                return None;
            }
            match self.reader.next_frame() {
                Ok(f) => {
                    self.frames += 1;
                    if self.first_ts.is_none() {
                        self.first_ts = Some(f.ts);
                    }
                    self.last_ts = Some(f.ts);
                    self.dec.frame(self.frames, &f);
                }
                Err(end) => {
                    match end {
                        End::Eof => {}
                        End::Truncated => self.dec.skips.add("truncated-file"),
                        End::Corrupt(_) => self.dec.skips.add("corrupt-record"),
                        End::Io(_) => self.dec.skips.add("read-error"),
                    }
                    self.dec.finish();
                    self.done = true;
                }
            }
        }
    }

    pub fn skips(&self) -> &Skips {
        &self.dec.skips
    }
    pub fn frames_read(&self) -> u64 {
        self.frames
    }
    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }
    pub fn total_bytes(&self) -> Option<u64> {
        self.total
    }
    pub fn format(&self) -> &'static str {
        self.reader.format()
    }
    /// Names of the link types declared by the file (pcap: one; pcapng: one per interface kind).
    pub fn link_types(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for lt in self.reader.link_types() {
            let n = link::link_type_name(lt);
            if !v.contains(&n) {
                v.push(n);
            }
        }
        v
    }
    pub fn first_ts(&self) -> Option<Nanos> {
        self.first_ts
    }
    pub fn last_ts(&self) -> Option<Nanos> {
        self.last_ts
    }
}

impl Iterator for PacketStream {
    type Item = Event;
    fn next(&mut self) -> Option<Event> {
        self.next_event()
    }
}

/// Checked big-endian reads used by the parsers.
#[inline]
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}
#[inline]
pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_count_and_total() {
        let mut s = Skips::default();
        s.add("non-ip");
        s.add("non-ip");
        s.add_n("tcp-gap", 3);
        s.add_n("x", 0);
        assert_eq!(s.get("non-ip"), 2);
        assert_eq!(s.total(), 5);
        assert!(!s.counts.contains_key("x"));
    }

    #[test]
    fn open_errors() {
        let name = Path::new("mem");
        let e = PacketStream::from_reader(Box::new(std::io::empty()), name, Some(0));
        assert!(matches!(e, Err(Error::Empty { .. })));
        let e = PacketStream::from_reader(Box::new(&b"hello world"[..]), name, None);
        match e {
            Err(Error::BadMagic { magic, .. }) => assert!(magic.contains("68 65 6c 6c"), "{magic}"),
            _ => panic!("expected BadMagic"),
        }
        let e = PacketStream::from_reader(Box::new(&[0x1fu8, 0x8b, 8, 0][..]), name, None);
        match e {
            Err(Error::BadMagic { magic, .. }) => assert!(magic.contains("gzip")),
            _ => panic!("expected BadMagic"),
        }
        // pcap magic but the header is cut.
        let e =
            PacketStream::from_reader(Box::new(&[0xd4u8, 0xc3, 0xb2, 0xa1, 2, 0][..]), name, None);
        assert!(matches!(e, Err(Error::Corrupt { .. })));
        let e = PacketStream::open(Path::new("/nonexistent/sipdoctor/x.pcap"));
        assert!(matches!(e, Err(Error::Io { .. })));
    }

    #[test]
    fn checked_reads() {
        assert_eq!(be16(&[1, 2, 3], 1), Some(0x0203));
        assert_eq!(be16(&[1, 2, 3], 2), None);
        assert_eq!(be32(&[1, 2, 3], 0), None);
        assert_eq!(be16(&[], usize::MAX), None);
    }
}
