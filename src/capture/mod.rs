//! Capture layer: pcap/pcapng files -> frames -> link layer -> IP (with fragment reassembly and
//! tunnel decapsulation) -> UDP datagrams / reassembled TCP byte streams / ICMP errors / TLS sightings.
//!
//! The file formats are read with the `pcap-file` crate and the Ethernet, VLAN, IPv4, IPv6,
//! UDP, TCP and ICMP headers with `etherparse`'s checked views. Our own code is only what those
//! crates do not cover, each module saying why: LINUX_SLL/SLL2, NULL/LOOP, PPPoE, MPLS, GRE,
//! GTP-U, HEPv3, IP fragment reassembly and TCP stream reassembly.
//!
//! Everything here reads *untrusted* bytes: every parser is a checked view over a byte slice
//! (nothing indexes past the end, nothing panics), and everything that is not understood is
//! counted in [`Skips`] under a stable [`SkipReason`] instead of failing the whole file.
//!
//! Memory stays bounded on huge captures: the file is read in chunks into one buffer that only
//! grows to the largest record, IP fragment tables and TCP streams are bounded and expire after
//! a number of frames (every bound is a named constant in [`limits`]), and payloads that cannot
//! start a SIP message are dropped without allocating.
//!
//! Module map: [`file`] (pcap and pcapng through pcap-file), [`link`] (link layers), [`ip`]
//! (IPv4/IPv6, fragments, ICMP), [`tcp`] (TCP reassembly, TLS detection), [`hep`] (HEPv3),
//! [`decode`] (the glue from a frame to [`Event`]s, GTP-U, GRE), [`export`] (write chosen frames
//! back to a capture file), [`skip`] (skip reasons and counts), [`limits`] (resource bounds).

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use crate::error::Error;

pub mod decode;
pub mod export;
pub mod file;
pub mod hep;
pub mod ip;
pub mod limits;
pub mod link;
pub mod raw;
pub mod skip;
pub mod tcp;

#[cfg(test)]
mod testutil;
#[cfg(test)]
mod thirdparty_tests;

pub use export::export_frames;
pub use file::{Chunk, End, FrameReader, Record};
pub use raw::{Arena, RawRef, RawSource};
pub use skip::{SkipReason, Skips};

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

/// The frames that carried a message: one (the common case, no allocation) or several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frames {
    One(u64),
    Many(Box<[u64]>),
}

impl Frames {
    pub fn new(mut frames: Vec<u64>) -> Frames {
        if frames.len() == 1 {
            Frames::One(frames[0])
        } else {
            frames.shrink_to_fit();
            Frames::Many(frames.into_boxed_slice())
        }
    }
}

impl std::ops::Deref for Frames {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        match self {
            Frames::One(f) => std::slice::from_ref(f),
            Frames::Many(v) => v,
        }
    }
}

impl PartialEq<Vec<u64>> for Frames {
    fn eq(&self, other: &Vec<u64>) -> bool {
        **self == **other
    }
}

impl serde::Serialize for Frames {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl From<Vec<u64>> for Frames {
    fn from(frames: Vec<u64>) -> Frames {
        Frames::new(frames)
    }
}

impl From<&[u64]> for Frames {
    fn from(frames: &[u64]) -> Frames {
        match frames {
            [one] => Frames::One(*one),
            _ => Frames::Many(frames.into()),
        }
    }
}

/// Application bytes with where and when they were seen.
#[derive(Debug, Clone)]
pub struct Payload {
    /// 1-based number of the frame that completed it.
    pub frame: u64,
    /// Every frame that contributed (IP fragments, TCP segments), ascending.
    pub frames: Frames,
    pub ts: Nanos,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub transport: Transport,
    pub data: Vec<u8>,
    /// Offset of `data` in the capture file, when it lies there verbatim (one frame, no
    /// reassembly): the message is read back from there instead of kept (see [`raw`]).
    pub at: Option<u64>,
}

/// A UDP datagram whose bytes lie as they are in the chunk of the capture the reader read
/// them into (one frame, no reassembly): where they are, instead of a copy. Only from a
/// [`PacketStream`] told to [`PacketStream::share_datagrams`]; its bytes are found with
/// [`InChunk::bytes`] in the chunks taken with [`PacketStream::chunk`].
#[derive(Debug, Clone, Copy)]
pub struct InChunk {
    pub frame: u64,
    pub ts: Nanos,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// Offset of the bytes in the stream (for a file, in the file: see [`raw`]).
    pub at: u64,
    pub len: u32,
}

impl InChunk {
    /// The datagram's bytes in the chunk of `chunks` that holds them (the last one that
    /// does: the chunks a batch took, in the order it took them).
    pub fn bytes<'c>(&self, chunks: &'c [std::sync::Arc<Chunk>]) -> Option<&'c [u8]> {
        chunks
            .iter()
            .rev()
            .find_map(|c| c.get(self.at, self.len as usize))
    }
}

/// What [`PacketStream::next_event_or_quiet`] gives. Not boxed: it is returned and taken
/// apart at once, as `Option<Event>` is by [`PacketStream::next_event`].
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Next {
    Event(Event),
    /// Frames were read, none gave an event yet.
    Quiet,
    /// The stream ended.
    End,
}

/// What the capture layer hands to the SIP layer.
#[derive(Debug, Clone)]
pub enum Event {
    /// A UDP payload (after IPv4/IPv6 fragment reassembly). Also used for payloads extracted from
    /// HEPv3 packets; there `transport` is the inner transport (a HEP packet carries whole messages,
    /// so inner TCP is delivered as a self-contained datagram too).
    Datagram(Payload),
    /// A UDP datagram left in the read buffer (see [`InChunk`]); only when asked for.
    InChunk(InChunk),
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

/// A frame as stored in the file, before any decoding.
#[derive(Debug, Clone, Copy)]
pub struct RawFrame<'a> {
    /// Offset of `data` in the file (None when the bytes are not the file's own).
    pub file_offset: Option<u64>,
    /// LINKTYPE_* value of the interface the frame was captured on.
    pub link_type: u32,
    pub ts: Nanos,
    pub orig_len: u32,
    /// pcapng: the interface id inside its section; pcap: 0.
    pub interface: u32,
    pub data: &'a [u8],
}

/// Streaming decoder of a capture file into [`Event`]s.
pub struct PacketStream {
    /// The file, when the stream reads one (message bytes are read back from it).
    path: Option<std::path::PathBuf>,
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
        let meta = f.metadata().ok();
        let len = meta.as_ref().map(|m| m.len());
        // Only a regular file can be read again at an offset (not a pipe or a device).
        let regular = meta.as_ref().is_some_and(|m| m.is_file());
        if len == Some(0) {
            return Err(Error::Empty {
                path: path.to_path_buf(),
            });
        }
        let mut s = Self::from_reader(Box::new(f), path, len)?;
        s.path = regular.then(|| path.to_path_buf());
        Ok(s)
    }

    pub fn from_reader(
        r: Box<dyn Read + Send>,
        name: &Path,
        total_len: Option<u64>,
    ) -> Result<Self, Error> {
        let reader = FrameReader::open(r, name)?;
        Ok(PacketStream {
            path: None,
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
    /// "truncated-file"; a corrupt record is counted as "corrupt-record" and reading stops; a
    /// packet record the reader refuses is one frame and a "rejected-record", and reading goes
    /// on.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            match self.next_event_or_quiet(u64::MAX) {
                Next::Event(ev) => return Some(ev),
                Next::End => return None,
                Next::Quiet => {}
            }
        }
    }

    /// [`PacketStream::next_event`], or [`Next::Quiet`] once `frames` frames were read
    /// without an event: a capture can hold gigabytes of RTP between two SIP messages, and
    /// the reader still has to report progress and see Cancel while it reads them.
    pub fn next_event_or_quiet(&mut self, frames: u64) -> Next {
        let mut left = frames;
        loop {
            if let Some(ev) = self.dec.out.pop_front() {
                return Next::Event(ev);
            }
            if self.done {
                return Next::End;
            }
            if left == 0 {
                return Next::Quiet;
            }
            left -= 1;
            match self.reader.next_frame() {
                Ok(Record::Frame(f)) => {
                    self.frames += 1;
                    if self.first_ts.is_none() {
                        self.first_ts = Some(f.ts);
                    }
                    self.last_ts = Some(f.ts);
                    self.dec.frame(self.frames, &f);
                }
                Ok(Record::Rejected) => {
                    self.frames += 1;
                    self.dec.skips.add(SkipReason::RejectedRecord);
                }
                Err(end) => {
                    match end {
                        End::Eof => {}
                        End::Truncated => self.dec.skips.add(SkipReason::TruncatedFile),
                        End::Corrupt(_) => self.dec.skips.add(SkipReason::CorruptRecord),
                        End::Io(_) => self.dec.skips.add(SkipReason::ReadError),
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
    /// Hand back the buffers of datagrams already scanned, for the next ones (see
    /// [`decode::Decoder::recycle`]).
    pub fn recycle(&mut self, bufs: impl IntoIterator<Item = Vec<u8>>) {
        self.dec.recycle(bufs);
    }
    /// Drop the buffers kept for reuse (nothing more will be read).
    pub fn release_spare(&mut self) {
        self.dec.release_spare();
        self.reader.release_spare();
    }
    /// From now on, hand plain UDP datagrams that lie in one frame as [`Event::InChunk`]
    /// (their place in the read buffer) instead of copying their bytes into an
    /// [`Event::Datagram`]: the reader of the events keeps the chunks their bytes are in.
    pub fn share_datagrams(&mut self) {
        self.dec.share = true;
    }
    /// The chunk of the capture the bytes of the last frame lie in: every [`Event::InChunk`]
    /// returned since the last frame was read is in it.
    pub fn chunk(&self) -> &std::sync::Arc<Chunk> {
        self.reader.chunk()
    }
    /// The capture file read, when it is one (None for a stream such as standard input).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
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
    fn open_errors() {
        let name = Path::new("mem");
        let e = PacketStream::from_reader(Box::new(std::io::empty()), name, Some(0));
        assert!(matches!(e, Err(Error::Empty { .. })));
        let e = PacketStream::from_reader(Box::new(&b"hello world"[..]), name, None);
        match e {
            Err(Error::BadMagic { magic, .. }) => {
                let magic = magic.to_string();
                assert!(magic.contains("68 65 6c 6c"), "{magic}")
            }
            _ => panic!("expected BadMagic"),
        }
        let e = PacketStream::from_reader(Box::new(&[0x1fu8, 0x8b, 8, 0][..]), name, None);
        match e {
            Err(Error::BadMagic { magic, .. }) => assert!(magic.to_string().contains("gzip")),
            _ => panic!("expected BadMagic"),
        }
        // pcap magic but the header is cut.
        let e =
            PacketStream::from_reader(Box::new(&[0xd4u8, 0xc3, 0xb2, 0xa1, 2, 0][..]), name, None);
        assert!(matches!(e, Err(Error::Corrupt { .. })));
        let e = PacketStream::open(Path::new("/nonexistent/sipdoctor/x.pcap"));
        assert!(matches!(e, Err(Error::Io { .. })));
    }

    /// One frame is kept inline, several as a list; both read as the frames, whichever way
    /// they are made.
    #[test]
    fn frames_one_inline_or_many() {
        assert_eq!(Frames::from(&[7u64][..]), Frames::One(7));
        assert_eq!(Frames::from(vec![7u64]), Frames::One(7));
        assert_eq!(&*Frames::One(7), &[7]);
        let many = Frames::from(&[1u64, 2, 3][..]);
        assert!(matches!(many, Frames::Many(_)));
        assert_eq!(many, vec![1, 2, 3]);
        assert_eq!(Frames::from(vec![1, 2, 3]), many);
        assert_eq!(Frames::from(Vec::new()).len(), 0);
        assert_eq!(serde_json::to_string(&many).unwrap(), "[1,2,3]");
        assert_eq!(std::mem::size_of::<Frames>(), 16);
    }

    #[test]
    fn checked_reads() {
        assert_eq!(be16(&[1, 2, 3], 1), Some(0x0203));
        assert_eq!(be16(&[1, 2, 3], 2), None);
        assert_eq!(be32(&[1, 2, 3], 0), None);
        assert_eq!(be16(&[], usize::MAX), None);
    }
}
