//! Every resource bound of the capture layer, in one place.
//!
//! A capture is untrusted input: each table that grows with the input has a bound here, with
//! why it has this value. Going over a bound is never an abort or a hang: what is dropped is a
//! counted skip with its own [`SkipReason`](super::SkipReason).

/// Largest pcap record or pcapng block accepted (32 MiB). A real frame is at most 256 KiB
/// (tcpdump's largest snap length) and a pcapng block holding names or secrets a few MiB; a
/// bigger length field means the file is damaged, so reading stops ("corrupt-record") instead
/// of buffering gigabytes. The read buffer grows to the largest record actually met.
pub const MAX_RECORD: usize = 32 * 1024 * 1024;

/// Bytes asked of the file per read (256 KiB): large enough that reads cost nothing, small
/// enough that the read buffer stays this size unless a record is bigger.
pub const READ_CHUNK: usize = 256 * 1024;

/// Tunnels inside tunnels (IP in IP, GRE, GTP-U) deeper than this are not followed
/// ("too-deep"): real networks nest two or three; a packet nesting itself would recurse forever.
pub const MAX_TUNNEL_DEPTH: u8 = 8;

/// Housekeeping (fragment timeouts, idle TCP directions) runs every this many frames.
pub const SWEEP_EVERY: u64 = 4096;

/// Headers of one kind followed in a row before giving up: VLAN/QinQ tags ("non-ip"), IPv6
/// extension headers ("ip-header-error"), GTP-U extension headers ("gtp-header-error"). Real
/// packets carry two or three; the bound keeps a crafted chain from being walked forever.
pub const MAX_HEADER_CHAIN: usize = 16;

/// Largest HEP payload kept after zlib decompression (1 MiB): a SIP message is a few KiB; the
/// bound stops a decompression bomb.
pub const MAX_HEP_PAYLOAD: u64 = 1 << 20;

/// Largest reassembled IP datagram: the IPv4 and non-jumbo IPv6 payload limit.
pub const MAX_DATAGRAM: usize = 65535;

/// Datagrams being reassembled at once (1024). Beyond, the oldest is dropped
/// ("fragment-incomplete"): a SIP server's capture rarely has more than a few in flight.
pub const MAX_PENDING_DATAGRAMS: usize = 1024;

/// Fragments kept for one datagram (256). A 64 KiB datagram over the smallest IPv6 MTU (1280)
/// has 52 fragments and a SIP message over a 576-byte path about 120; more is a flood of tiny
/// fragments that would make one datagram cost its whole fragment list: it is dropped
/// ("fragment-limit") and later fragments of it are counted the same way.
pub const MAX_FRAGMENTS_PER_DATAGRAM: usize = 256;

/// Bytes of fragment data held for all pending datagrams together (16 MiB): with
/// [`MAX_PENDING_DATAGRAMS`] of up to [`MAX_DATAGRAM`] each the table could hold 64 MiB; beyond
/// this the oldest datagram is dropped ("fragment-memory-limit").
pub const MAX_FRAGMENT_BYTES: usize = 16 * 1024 * 1024;

/// A datagram not completed within this many frames after its first fragment is dropped
/// ("fragment-incomplete"): its fragments arrive back to back in practice.
pub const FRAGMENT_TIMEOUT_FRAMES: u64 = 50_000;

/// TCP directions tracked at once (100,000): a whole SBC capture has tens of thousands of TCP
/// phones at most. Beyond, the idlest quarter is forgotten ("tcp-stream-evicted").
pub const MAX_TCP_STREAMS: usize = 100_000;

/// Out-of-order bytes held for one TCP direction (1 MiB) while waiting for a missing segment;
/// beyond, the missing bytes are declared lost ("tcp-gap") and delivery resumes.
pub const MAX_TCP_OOO_BYTES: usize = 1 << 20;

/// Out-of-order segments held for one TCP direction (512), the same way.
pub const MAX_TCP_OOO_SEGMENTS: usize = 512;

/// Out-of-order bytes held for all TCP directions together (64 MiB); beyond, the direction
/// being added to declares its gap at once ("tcp-memory-limit").
pub const MAX_TCP_OOO_BYTES_TOTAL: usize = 64 << 20;

/// Frames an out-of-order TCP segment may wait for the missing bytes before a gap is declared.
pub const TCP_OOO_WAIT_FRAMES: u64 = 50_000;

/// A TCP direction without segments for this many frames is forgotten.
pub const TCP_IDLE_FRAMES: u64 = 2_000_000;
