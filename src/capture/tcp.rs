//! TCP (RFC 9293) header view and per-direction stream reassembly.
//!
//! Each direction (source socket -> destination socket) is reassembled on its own by sequence
//! number: a SYN fixes the initial sequence number ("the SYN is considered to occur before the
//! first actual data octet", RFC 9293 section 3.4, so data starts at ISN+1); a capture that starts
//! mid-stream takes the first data segment as the start. Sequence numbers compare modulo 2^32
//! (section 3.4.1). Retransmitted and overlapping bytes are dropped, out-of-order segments wait
//! in a bounded buffer; when the bound is passed, or they wait too long, or the stream ends, the
//! missing bytes are declared lost (SkipReason::TcpGap) and delivery resumes with `gap_before = true`.
//!
//! The first bytes of each direction decide what it is: TLS records (content type 20-23, version
//! 3.x; RFC 8446 section 5.1 / RFC 5246 section 6.2.1) give one [`Event::Tls`] and nothing else;
//! text is delivered as [`Event::TcpData`]; anything else is dropped (SkipReason::NotSipTcp).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;

use etherparse::TcpHeaderSlice;

use super::limits::{
    MAX_TCP_OOO_BYTES, MAX_TCP_OOO_BYTES_TOTAL, MAX_TCP_OOO_SEGMENTS, MAX_TCP_STREAMS,
    TCP_IDLE_FRAMES, TCP_OOO_WAIT_FRAMES,
};
use super::{Event, Frames, Nanos, Payload, SkipReason, Skips, Transport};

pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;

/// A parsed TCP segment.
#[derive(Debug, Clone, Copy)]
pub struct TcpSeg<'a> {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub flags: u8,
    pub payload: &'a [u8],
}

/// RFC 9293 section 3.1, read with etherparse's `TcpHeaderSlice` (it checks that the Data
/// Offset is at least 5 words and that the header fits); the payload is what follows it.
pub fn parse_tcp(b: &[u8]) -> Result<TcpSeg<'_>, SkipReason> {
    let h = TcpHeaderSlice::from_slice(b).map_err(|e| match e {
        etherparse::err::tcp::HeaderSliceError::Len(_) => SkipReason::TruncatedFrame,
        etherparse::err::tcp::HeaderSliceError::Content(_) => SkipReason::TcpHeaderError,
    })?;
    let flags = [
        (h.fin(), FIN),
        (h.syn(), SYN),
        (h.rst(), RST),
        (h.psh(), PSH),
        (h.ack(), ACK),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .fold(0u8, |f, (_, bit)| f | bit);
    Ok(TcpSeg {
        src_port: h.source_port(),
        dst_port: h.destination_port(),
        seq: h.sequence_number(),
        flags,
        payload: &b[h.slice().len()..],
    })
}

/// Does this look like the start of a TLS record? (ContentType 20..=23, ProtocolVersion 3.0-3.4)
pub fn looks_like_tls(d: &[u8]) -> bool {
    d.len() >= 3 && (0x14..=0x17).contains(&d[0]) && d[1] == 3 && d[2] <= 4
}

fn looks_like_text(d: &[u8]) -> bool {
    matches!(d.first(), Some(b) if (0x20..0x7F).contains(b) || matches!(b, b'\r' | b'\n' | b'\t'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Text,
    Tls,
    Binary,
}

struct Seg {
    seq: u32,
    frame: u64,
    ts: Nanos,
    data: Vec<u8>,
}

struct Stream {
    next: Option<u32>,
    ooo: Vec<Seg>,
    ooo_bytes: usize,
    ooo_since: u64,
    last_frame: u64,
    mode: Mode,
    closed: bool,
}

impl Stream {
    fn new(frame: u64) -> Self {
        Stream {
            next: None,
            ooo: Vec::new(),
            ooo_bytes: 0,
            ooo_since: frame,
            last_frame: frame,
            mode: Mode::Unknown,
            closed: false,
        }
    }
}

/// Signed distance from `b` to `a` modulo 2^32.
fn seq_diff(a: u32, b: u32) -> i64 {
    a.wrapping_sub(b) as i32 as i64
}

/// All TCP directions being reassembled.
pub struct TcpTable {
    streams: HashMap<(SocketAddr, SocketAddr), Stream>,
    /// Out-of-order bytes held for all directions.
    ooo_total: usize,
    /// At most this many out-of-order bytes for all directions together.
    pub max_ooo_bytes_total: usize,
    /// Out-of-order bytes held per direction before a gap is declared.
    pub max_ooo_bytes: usize,
    pub max_ooo_segments: usize,
    /// Frames an out-of-order segment may wait for the missing bytes.
    pub ooo_wait_frames: u64,
    /// A direction without segments for this many frames is forgotten.
    pub idle_frames: u64,
    /// At most this many directions are tracked (the idlest are forgotten beyond).
    pub max_streams: usize,
}

impl Default for TcpTable {
    fn default() -> Self {
        TcpTable {
            streams: HashMap::new(),
            ooo_total: 0,
            max_ooo_bytes_total: MAX_TCP_OOO_BYTES_TOTAL,
            max_ooo_bytes: MAX_TCP_OOO_BYTES,
            max_ooo_segments: MAX_TCP_OOO_SEGMENTS,
            ooo_wait_frames: TCP_OOO_WAIT_FRAMES,
            idle_frames: TCP_IDLE_FRAMES,
            max_streams: MAX_TCP_STREAMS,
        }
    }
}

struct Sink<'a> {
    src: SocketAddr,
    dst: SocketAddr,
    out: &'a mut VecDeque<Event>,
    skips: &'a mut Skips,
}

impl Sink<'_> {
    /// Deliver in-order bytes of a direction according to its mode.
    fn emit(
        &mut self,
        st: &mut Stream,
        frame: u64,
        ts: Nanos,
        mut frames: Vec<u64>,
        data: Vec<u8>,
        gap: bool,
    ) {
        if data.is_empty() {
            return;
        }
        if gap && st.mode == Mode::Binary {
            st.mode = Mode::Unknown;
        }
        if st.mode == Mode::Unknown {
            st.mode = if looks_like_tls(&data) {
                self.out.push_back(Event::Tls {
                    frame,
                    ts,
                    src: self.src,
                    dst: self.dst,
                    handshake: data[0] == 22,
                });
                Mode::Tls
            } else if looks_like_text(&data) {
                Mode::Text
            } else if self.src.port() == 5061 || self.dst.port() == 5061 {
                // Started inside a TLS record on the SIPS port (RFC 3261 section 26.2.2 uses
                // 5061 for TLS): still encrypted.
                self.out.push_back(Event::Tls {
                    frame,
                    ts,
                    src: self.src,
                    dst: self.dst,
                    handshake: false,
                });
                Mode::Tls
            } else {
                Mode::Binary
            };
        }
        match st.mode {
            Mode::Text => {
                frames.sort_unstable();
                frames.dedup();
                self.out.push_back(Event::TcpData {
                    payload: Payload {
                        frame,
                        frames: Frames::new(frames),
                        ts,
                        src: self.src,
                        dst: self.dst,
                        transport: Transport::Tcp,
                        data,
                        at: None,
                    },
                    gap_before: gap,
                });
            }
            Mode::Binary => self.skips.add(SkipReason::NotSipTcp),
            Mode::Tls | Mode::Unknown => {}
        }
    }

    /// Append every buffered segment that is now in order to (frames, data).
    fn drain(&mut self, st: &mut Stream, frames: &mut Vec<u64>, data: &mut Vec<u8>) {
        loop {
            let Some(next) = st.next else { return };
            let Some(i) = st.ooo.iter().position(|s| seq_diff(s.seq, next) <= 0) else {
                return;
            };
            let s = st.ooo.swap_remove(i);
            st.ooo_bytes -= s.data.len();
            let end = seq_diff(s.seq, next) + s.data.len() as i64;
            if end > 0 {
                let skip = (s.data.len() as i64 - end) as usize;
                data.extend_from_slice(&s.data[skip..]);
                frames.push(s.frame);
                st.next = Some(next.wrapping_add(end as u32));
            } else {
                self.skips.add(SkipReason::TcpRetransmission);
            }
        }
    }

    /// Declare the bytes before the buffered segments lost and deliver all that is buffered.
    fn flush_gaps(&mut self, st: &mut Stream) {
        while !st.ooo.is_empty() {
            let base = st.next.unwrap_or(st.ooo[0].seq);
            let i = (0..st.ooo.len())
                .min_by_key(|&i| seq_diff(st.ooo[i].seq, base))
                .unwrap_or(0);
            let (seq, frame, ts) = (st.ooo[i].seq, st.ooo[i].frame, st.ooo[i].ts);
            self.skips.add(SkipReason::TcpGap);
            st.next = Some(seq);
            let mut frames = Vec::new();
            let mut data = Vec::new();
            self.drain(st, &mut frames, &mut data);
            let last = frames.iter().copied().max().unwrap_or(frame);
            self.emit(st, last.max(frame), ts, frames, data, true);
        }
        st.ooo_bytes = 0;
    }
}

impl TcpTable {
    pub fn len(&self) -> usize {
        self.streams.len()
    }
    pub fn is_empty(&self) -> bool {
        self.streams.is_empty()
    }

    /// Process one segment from `src` to `dst`.
    #[allow(clippy::too_many_arguments)]
    pub fn segment(
        &mut self,
        frame: u64,
        ts: Nanos,
        src: SocketAddr,
        dst: SocketAddr,
        seg: &TcpSeg<'_>,
        out: &mut VecDeque<Event>,
        skips: &mut Skips,
    ) {
        let syn = seg.flags & SYN != 0;
        let fin = seg.flags & FIN != 0;
        let rst = seg.flags & RST != 0;
        let key = (src, dst);
        if seg.payload.is_empty() && !syn && !fin && !rst {
            if let Some(st) = self.streams.get_mut(&key) {
                st.last_frame = frame;
            }
            return;
        }
        let mut sink = Sink {
            src,
            dst,
            out,
            skips,
        };
        let st = self
            .streams
            .entry(key)
            .or_insert_with(|| Stream::new(frame));
        st.last_frame = frame;
        let held_before = st.ooo_bytes;
        let mut data_seq = seg.seq;
        if syn {
            data_seq = seg.seq.wrapping_add(1);
            let retransmitted = st.next == Some(data_seq);
            if !retransmitted {
                // A new connection on this 4-tuple: what was buffered of the old one is lost.
                sink.flush_gaps(st);
                *st = Stream::new(frame);
                st.next = Some(data_seq);
            }
        }
        if !seg.payload.is_empty() {
            let next = *st.next.get_or_insert(data_seq);
            let d = seq_diff(data_seq, next);
            let len = seg.payload.len() as i64;
            if d + len <= 0 {
                sink.skips.add(SkipReason::TcpRetransmission);
            } else if d <= 0 {
                let fresh = &seg.payload[(-d) as usize..];
                st.next = Some(next.wrapping_add(fresh.len() as u32));
                if st.mode == Mode::Binary || st.mode == Mode::Tls {
                    // Nothing of this direction is delivered: no copies.
                    if st.mode == Mode::Binary {
                        sink.skips.add(SkipReason::NotSipTcp);
                    }
                    if !st.ooo.is_empty() {
                        let (mut f, mut dd) = (Vec::new(), Vec::new());
                        sink.drain(st, &mut f, &mut dd);
                    }
                } else {
                    let mut frames = vec![frame];
                    let mut data = fresh.to_vec();
                    sink.drain(st, &mut frames, &mut data);
                    sink.emit(st, frame, ts, frames, data, false);
                }
            } else {
                if st.ooo.is_empty() {
                    st.ooo_since = frame;
                }
                let dup = st
                    .ooo
                    .iter()
                    .any(|s| s.seq == data_seq && s.data.len() >= seg.payload.len());
                if dup {
                    sink.skips.add(SkipReason::TcpRetransmission);
                } else {
                    st.ooo.push(Seg {
                        seq: data_seq,
                        frame,
                        ts,
                        data: seg.payload.to_vec(),
                    });
                    st.ooo_bytes += seg.payload.len();
                    if st.ooo_bytes > self.max_ooo_bytes || st.ooo.len() > self.max_ooo_segments {
                        sink.flush_gaps(st);
                    }
                }
            }
        }
        if rst {
            sink.flush_gaps(st);
        }
        self.ooo_total = self.ooo_total.saturating_sub(held_before) + st.ooo_bytes;
        if self.ooo_total > self.max_ooo_bytes_total && st.ooo_bytes > 0 {
            sink.skips.add(SkipReason::TcpMemoryLimit);
            self.ooo_total -= st.ooo_bytes;
            sink.flush_gaps(st);
        }
        if (fin || rst) && !st.closed {
            st.closed = true;
            sink.out.push_back(Event::TcpClosed { src, dst });
        }
    }

    /// Periodic housekeeping: declare gaps for segments that waited too long, forget idle
    /// directions, and keep the table within its bound.
    pub fn sweep(&mut self, now: u64, out: &mut VecDeque<Event>, skips: &mut Skips) {
        let wait = self.ooo_wait_frames;
        let idle = self.idle_frames;
        let mut gone: Vec<(SocketAddr, SocketAddr)> = Vec::new();
        for (k, st) in self.streams.iter_mut() {
            let mut sink = Sink {
                src: k.0,
                dst: k.1,
                out: &mut *out,
                skips: &mut *skips,
            };
            if !st.ooo.is_empty() && now.saturating_sub(st.ooo_since) > wait {
                sink.flush_gaps(st);
            }
            if now.saturating_sub(st.last_frame) > idle {
                gone.push(*k);
            }
        }
        for k in gone {
            self.streams.remove(&k);
        }
        if self.streams.len() > self.max_streams {
            let mut ages: Vec<u64> = self.streams.values().map(|s| s.last_frame).collect();
            ages.sort_unstable();
            let cut = ages[self.streams.len() - self.max_streams * 3 / 4];
            let old: Vec<_> = self
                .streams
                .iter()
                .filter(|(_, s)| s.last_frame < cut)
                .map(|(k, _)| *k)
                .collect();
            for k in old {
                if let Some(mut st) = self.streams.remove(&k) {
                    Sink {
                        src: k.0,
                        dst: k.1,
                        out: &mut *out,
                        skips: &mut *skips,
                    }
                    .flush_gaps(&mut st);
                }
            }
            skips.add(SkipReason::TcpStreamEvicted);
        }
        self.ooo_total = self.streams.values().map(|s| s.ooo_bytes).sum();
    }

    /// End of capture: deliver what waits behind holes.
    pub fn finish(&mut self, out: &mut VecDeque<Event>, skips: &mut Skips) {
        let mut keys: Vec<_> = self.streams.keys().copied().collect();
        keys.sort();
        for k in keys {
            if let Some(mut st) = self.streams.remove(&k) {
                Sink {
                    src: k.0,
                    dst: k.1,
                    out: &mut *out,
                    skips: &mut *skips,
                }
                .flush_gaps(&mut st);
            }
        }
        self.ooo_total = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a() -> SocketAddr {
        "10.0.0.1:5060".parse().unwrap()
    }
    fn b() -> SocketAddr {
        "10.0.0.2:5060".parse().unwrap()
    }

    struct T {
        t: TcpTable,
        out: VecDeque<Event>,
        sk: Skips,
        frame: u64,
    }
    impl T {
        fn new() -> Self {
            T {
                t: TcpTable::default(),
                out: VecDeque::new(),
                sk: Skips::default(),
                frame: 0,
            }
        }
        fn seg(&mut self, seq: u32, flags: u8, data: &[u8]) {
            self.frame += 1;
            let s = TcpSeg {
                src_port: 5060,
                dst_port: 5060,
                seq,
                flags,
                payload: data,
            };
            self.t.segment(
                self.frame,
                self.frame as i64,
                a(),
                b(),
                &s,
                &mut self.out,
                &mut self.sk,
            );
        }
        fn data(&mut self) -> Vec<(String, bool, Vec<u64>)> {
            self.out
                .drain(..)
                .filter_map(|e| match e {
                    Event::TcpData {
                        payload,
                        gap_before,
                    } => Some((
                        String::from_utf8(payload.data).unwrap(),
                        gap_before,
                        payload.frames.to_vec(),
                    )),
                    _ => None,
                })
                .collect()
        }
    }

    #[test]
    fn header_view() {
        let mut h = vec![
            0x13, 0xC4, 0x13, 0xC5, 0, 0, 0, 9, 0, 0, 0, 0, 0x60, 0x18, 0, 0, 0, 0, 0, 0,
        ];
        h.extend_from_slice(&[1, 1, 1, 1]);
        h.extend_from_slice(b"abc");
        let s = parse_tcp(&h).unwrap();
        assert_eq!(
            (s.src_port, s.dst_port, s.seq, s.flags, s.payload),
            (5060, 5061, 9, 0x18, &b"abc"[..])
        );
        assert_eq!(parse_tcp(&h[..22]).unwrap_err(), SkipReason::TruncatedFrame);
        h[12] = 0x40;
        assert_eq!(parse_tcp(&h).unwrap_err(), SkipReason::TcpHeaderError);
        assert_eq!(parse_tcp(&h[..5]).unwrap_err(), SkipReason::TruncatedFrame);
    }

    #[test]
    fn in_order_with_syn_and_wraparound() {
        let mut t = T::new();
        t.seg(u32::MAX - 2, SYN, b"");
        t.seg(u32::MAX - 1, 0x18, b"INV");
        t.seg(1, 0x18, b"ITE ");
        t.seg(5, FIN | 0x10, b"sip");
        let d = t.data();
        assert_eq!(
            d.iter().map(|x| x.0.as_str()).collect::<String>(),
            "INVITE sip"
        );
        assert!(d.iter().all(|x| !x.1));
        assert_eq!(t.sk.total(), 0);
    }

    #[test]
    fn out_of_order_is_buffered_and_retransmissions_dropped() {
        let mut t = T::new();
        t.seg(100, 0x18, b"REG"); // mid-stream start
        t.seg(106, 0x18, b"ER sip"); // early
        t.seg(103, 0x18, b"IST"); // fills the hole
        t.seg(100, 0x18, b"REG"); // retransmission
        t.seg(101, 0x18, b"EGIS"); // retransmission inside what was delivered
        t.seg(109, 0x18, b"sip:x"); // overlaps 3 bytes
        let d = t.data();
        let all: String = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(all, "REGISTER sip:x");
        assert_eq!(d[1].2, vec![2, 3]);
        assert_eq!(t.sk.get(SkipReason::TcpRetransmission), 2);
        assert_eq!(t.sk.get(SkipReason::TcpGap), 0);
    }

    #[test]
    fn gap_after_bound_and_at_finish() {
        let mut t = T::new();
        t.t.max_ooo_segments = 2;
        t.seg(0, 0x18, b"A");
        for i in 0..3u32 {
            t.seg(10 + i, 0x18, b"B");
        }
        let d = t.data();
        assert_eq!(d.len(), 2);
        assert_eq!((d[1].0.as_str(), d[1].1), ("BBB", true));
        assert_eq!(t.sk.get(SkipReason::TcpGap), 1);
        // a later hole resolved only at the end of the capture
        t.seg(20, 0x18, b"C");
        assert!(t.data().is_empty());
        t.t.finish(&mut t.out, &mut t.sk);
        let d = t.data();
        assert_eq!((d[0].0.as_str(), d[0].1), ("C", true));
        assert_eq!(t.sk.get(SkipReason::TcpGap), 2);
        assert!(t.t.is_empty());
    }

    #[test]
    fn out_of_order_bytes_bounded_in_all() {
        let mut t = T::new();
        t.t.max_ooo_bytes_total = 10;
        t.seg(0, 0x18, b"A");
        t.seg(10, 0x18, b"BBBBBB"); // 6 held
        assert!(t.data().len() == 1);
        t.seg(20, 0x18, b"CCCCCC"); // 12 held > 10: the gap is declared at once
        let d = t.data();
        assert_eq!(
            d.iter().map(|x| (x.0.as_str(), x.1)).collect::<Vec<_>>(),
            vec![("BBBBBB", true), ("CCCCCC", true)]
        );
        assert_eq!(t.sk.get(SkipReason::TcpMemoryLimit), 1);
        assert_eq!(t.sk.get(SkipReason::TcpGap), 2);
        assert_eq!(t.t.ooo_total, 0);
    }

    #[test]
    fn gap_after_waiting_too_long() {
        let mut t = T::new();
        t.t.ooo_wait_frames = 5;
        t.seg(0, 0x18, b"A");
        t.seg(5, 0x18, b"B");
        t.t.sweep(100, &mut t.out, &mut t.sk);
        let d = t.data();
        assert_eq!(
            d.last().map(|x| (x.0.clone(), x.1)),
            Some(("B".to_string(), true))
        );
        // idle direction forgotten
        t.t.idle_frames = 10;
        t.t.sweep(1000, &mut t.out, &mut t.sk);
        assert!(t.t.is_empty());
    }

    #[test]
    fn tls_and_binary_detection() {
        let mut t = T::new();
        t.seg(1, 0x18, &[0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3]);
        t.seg(9, 0x18, b"looks like text but is in a TLS stream");
        let ev: Vec<_> = t.out.drain(..).collect();
        assert_eq!(ev.len(), 1);
        assert!(matches!(
            ev[0],
            Event::Tls {
                handshake: true,
                ..
            }
        ));

        let mut t = T::new();
        t.seg(1, 0x18, &[0x00, 0x01, 0x02]);
        t.seg(4, 0x18, b"REGISTER");
        assert!(t.out.is_empty());
        assert_eq!(t.sk.get(SkipReason::NotSipTcp), 2);
        assert!(looks_like_tls(&[0x17, 3, 3]));
        assert!(!looks_like_tls(&[0x17, 3, 5]));
        assert!(!looks_like_tls(&[0x18, 3, 3]));
    }

    #[test]
    fn syn_restarts_and_fin_closes_once() {
        let mut t = T::new();
        t.seg(10, SYN, b"");
        t.seg(11, 0x18, b"OLD");
        t.seg(14, FIN, b"");
        t.seg(14, FIN, b""); // retransmitted FIN
        t.seg(500, SYN, b"");
        t.seg(501, 0x18, b"NEW");
        let closed = t
            .out
            .iter()
            .filter(|e| matches!(e, Event::TcpClosed { .. }))
            .count();
        assert_eq!(closed, 1);
        let d = t.data();
        assert_eq!(
            d.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            vec!["OLD", "NEW"]
        );
    }
}
