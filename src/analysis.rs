//! The whole pipeline: capture -> SIP messages -> exchanges -> (verification) -> findings.
//!
//! `Analysis` (in [`crate::model`]) is what the CLI prints and the GUI shows; neither adds
//! conclusions of its own.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::accounts::{self, Focus};
use crate::capture::{Chunk, Event, Frames, InChunk, PacketStream, Skips, Transport};
use crate::diagnose;
use crate::error::Error;
use crate::secret::Secret;
use crate::sip::{self, Scanner, SipMessage};
use crate::transaction::{self, IcmpNote};
use crate::verify::{self, Expectation};

pub use crate::model::{Analysis, Progress, TlsNote};

/// Analyse a capture file. `progress` is called every few thousand frames; setting `cancel`
/// stops the work with `Error::Cancelled`.
pub fn analyze_file(
    path: &Path,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Analysis, Error> {
    let stream = PacketStream::open(path)?;
    analyze_stream(stream, &path.display().to_string(), progress, cancel)
}

/// Events handed from the reading thread to the scanning one at a time (a batch), and how
/// many batches may wait: the reader stays a little ahead without holding much.
/// (Unit tests use small batches, so that a fixture spans many and both scanning threads.)
const BATCH: usize = if cfg!(test) { 8 } else { 2048 };
const BATCHES_IN_FLIGHT: usize = 3;
/// Frames read without an event before the reader looks at Cancel and at how far it got
/// (see [`read_events`]), and the bytes of such frames after which it sends a batch anyway.
const QUIET_FRAMES: u64 = if cfg!(test) { 64 } else { 4096 };
const QUIET_BYTES: u64 = if cfg!(test) { 64 * 1024 } else { 8 << 20 };
/// Bytes of file chunks one batch may hold before it is sent (see [`read_events`]): with
/// sparse SIP (a datagram every few hundred KB among RTP) each datagram holds a chunk of its
/// own, and 2048 of them would keep ~512 MiB of the file in memory per batch.
const BATCH_CHUNK_BYTES: usize = if cfg!(test) {
    600 * 1024
} else {
    2 * 1024 * 1024
};
/// Most messages room is made for before the first one (see `Collect::new`).
const MAX_RESERVED_MESSAGES: u64 = 16 << 20;

/// A batch of decoded events, the chunks of the capture its datagrams lie in (see
/// [`crate::capture::InChunk`]) and where the reading stood after them.
struct Batch {
    events: Vec<Event>,
    chunks: Vec<Arc<Chunk>>,
    bytes_read: u64,
    frames: u64,
}

/// Analyse an opened packet stream. One thread reads and decodes the capture (file format,
/// link, IP, TCP reassembly) into batches; the calling thread scans the SIP messages out of
/// them as they come (bounded channels between them), or, when the capture is a file, two
/// scanning threads scan the datagrams of every other batch each and the calling thread
/// takes their records in, in order; then the calling thread groups and diagnoses.
/// `progress` is called on the calling thread; `cancel` stops them all.
pub fn analyze_stream(
    stream: PacketStream,
    name: &str,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Analysis, Error> {
    let mut a = analyze_stream_undiagnosed(stream, name, progress, cancel)?;
    let mut clock = PhaseClock::new();
    a.rediagnose();
    clock.lap("diagnose");
    Ok(a)
}

/// [`analyze_stream`] without the diagnosis: messages, exchanges and accounts, no findings
/// yet. For a front that diagnoses while it writes what does not depend on the diagnosis
/// (the CLI's JSON): [`Analysis::rediagnose`], or [`diagnose::diagnose`] on another thread
/// and [`Analysis::set_findings`].
pub fn analyze_stream_undiagnosed(
    stream: PacketStream,
    name: &str,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Analysis, Error> {
    let mut a = analyze_stream_grouped(stream, name, progress, cancel)?;
    let mut clock = PhaseClock::new();
    a.accounts = accounts::build(&a.messages, &a.exchanges);
    clock.lap("accounts");
    Ok(a)
}

/// [`analyze_stream_undiagnosed`] without the accounts either: messages and exchanges only
/// (what `flows` shows).
pub fn analyze_stream_grouped(
    stream: PacketStream,
    name: &str,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<Analysis, Error> {
    let total = stream.total_bytes();
    let mut clock = PhaseClock::new();
    // A file's datagrams are read back by their offsets: any scanner can make their records.
    let parallel = stream.path().is_some();
    let mut c = Collect::new(parallel, total);
    // The scanning threads keep one copy of each header set with the taking-in one.
    let sets = c.scanner.header_sets();
    let dict = c.scanner.auth_dict();
    let (stream, cancelled) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let (tx_odd, rx_odd) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        // The buffers of scanned datagrams go back to the reader, which fills them again.
        let (tx_spent, rx_spent) = std::sync::mpsc::sync_channel::<Spent>(2);
        let odd = parallel.then_some(tx_odd);
        let reader = scope.spawn(move || read_events(stream, &tx, odd.as_ref(), &rx_spent, cancel));
        // A file's batches are scanned on two threads of their own, every other one each
        // (the scanning is most of the work on a SIP-heavy capture and both cores can do
        // it), while this one takes their records in, in order: neither scanning thread
        // waits for the taking in.
        let (scanned, sequential) = if parallel {
            let shared = (&sets, &dict);
            let done = [rx, rx_odd].map(|rx| scan_on_a_thread(scope, rx, tx_spent.clone(), shared));
            (Some(done), None)
        } else {
            drop(rx_odd);
            (None, Some(rx))
        };
        let mut cancelled = false;
        for k in 0usize.. {
            if cancel.load(Ordering::Relaxed) {
                cancelled = true;
                break; // the receivers go: the threads' next send fails and they stop
            }
            let next = match (&scanned, &sequential) {
                (Some(done), _) => done[k % 2].recv().ok(),
                (None, Some(rx)) => rx.recv().ok().map(Prepared::sequential),
                (None, None) => None,
            };
            let Some(batch) = next else { break };
            c.take(batch.messages, batch.events, &batch.chunks);
            c.skips.merge(&batch.skips);
            progress(&Progress {
                bytes_read: batch.bytes_read,
                total_bytes: total,
                frames: batch.frames,
                messages: c.messages.len(),
            });
        }
        drop((scanned, sequential));
        let stream = reader.join().expect("the reading thread does not panic");
        (stream, cancelled)
    });
    drop((sets, dict));
    if cancelled || cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    let Collect {
        mut scanner,
        mut skips,
        messages,
        mut icmp,
        tls,
        grouper,
        ..
    } = c;
    scanner.finish(&mut skips);
    skips.merge(stream.skips());
    progress(&Progress {
        bytes_read: stream.bytes_read(),
        total_bytes: stream.total_bytes(),
        frames: stream.frames_read(),
        messages: messages.len(),
    });
    // Messages are numbered in the order they were completed; keep that order (it is the
    // order of the frame that completed each one, the order tshark lists them in).
    clock.lap("read+scan");
    // Most of the grouping was done as the messages came (`Collect::take`).
    let grouping = grouper.finish(&messages, &mut icmp);
    clock.lap("group");
    let path = stream.path().map(Path::to_path_buf);
    Ok(Analysis {
        raw: scanner.into_raw_source(path),
        file: name.to_string(),
        format: stream.format().to_string(),
        link_types: stream.link_types(),
        frames: stream.frames_read(),
        bytes: stream.bytes_read(),
        first_ts: stream.first_ts(),
        last_ts: stream.last_ts(),
        messages,
        roles: grouping.roles,
        exchanges: grouping.exchanges,
        icmp,
        tls,
        skips,
        verifications: Vec::new(),
        findings: Vec::new(),
        accounts: Vec::new(),
    })
}

/// Phase times on standard error when `SIPDOCTOR_TIMINGS` is set: for the benchmark's
/// breakdown, never read by a test.
pub struct PhaseClock {
    on: bool,
    last: std::time::Instant,
}

impl PhaseClock {
    pub fn new() -> Self {
        PhaseClock {
            on: std::env::var_os("SIPDOCTOR_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    /// Print the time since the last lap under `name`, with the CPU time of the process so
    /// far and its resident memory (Linux; left out elsewhere).
    pub fn lap(&mut self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let usage = process_usage()
                .map(|(cpu, rss)| format!(" (process cpu {cpu:.2} s, rss {} MB)", rss >> 20))
                .unwrap_or_default();
            eprintln!(
                "timing {name}: {:.3} s{usage}",
                (now - self.last).as_secs_f64()
            );
            self.last = now;
        }
    }
}

/// CPU seconds (user and system, every thread) and resident bytes of this process, from
/// `/proc/self` (clock ticks of 1/100 s, pages of 4 KiB: the Linux values on every platform
/// we build for).
fn process_usage() -> Option<(f64, u64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    // After the command: state is field 3, utime 14 and stime 15 (proc(5)).
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some((ticks as f64 / 100.0, pages * 4096))
}

impl Default for PhaseClock {
    fn default() -> Self {
        Self::new()
    }
}

/// The buffers of a batch's scanned datagrams, for the reader to fill again.
type Spent = Vec<Vec<u8>>;

/// The reading thread: decode the stream into batches of events until it ends, the scanner
/// hangs up or `cancel` is set; the stream comes back for its counts.
fn read_events(
    mut stream: PacketStream,
    tx: &std::sync::mpsc::SyncSender<Batch>,
    odd: Option<&std::sync::mpsc::SyncSender<Batch>>,
    spent: &std::sync::mpsc::Receiver<Spent>,
    cancel: &AtomicBool,
) -> PacketStream {
    // Datagrams come as their place in the chunk the file was read into: the batch keeps
    // the chunks, no datagram is copied.
    stream.share_datagrams();
    let mut events = Vec::with_capacity(BATCH);
    let mut chunks: Vec<Arc<Chunk>> = Vec::new();
    // Bytes of the chunks `chunks` holds: a batch is also sent when they reach
    // BATCH_CHUNK_BYTES, so the batches in flight keep a few MiB of the file, not the file.
    let mut held = 0usize;
    let mut sent = 0usize;
    // Where the file was when the last batch went: a long run of frames with no event (RTP,
    // other traffic) still sends a batch, empty or not, every QUIET_BYTES, so progress moves
    // and Cancel is seen there too.
    let mut sent_at = 0u64;
    loop {
        let (ev, end, quiet) = match stream.next_event_or_quiet(QUIET_FRAMES) {
            crate::capture::Next::Event(ev) => (Some(ev), false, false),
            crate::capture::Next::End => (None, true, false),
            crate::capture::Next::Quiet => {
                if cancel.load(Ordering::Relaxed) {
                    stream.release_spare();
                    return stream;
                }
                if stream.bytes_read() < sent_at + QUIET_BYTES {
                    continue;
                }
                (None, false, true)
            }
        };
        if matches!(ev, Some(Event::InChunk(_)))
            && !chunks
                .last()
                .is_some_and(|c| Arc::ptr_eq(c, stream.chunk()))
        {
            held += stream.chunk().size();
            chunks.push(stream.chunk().clone());
        }
        events.extend(ev);
        if events.len() >= BATCH || held >= BATCH_CHUNK_BYTES || end || quiet {
            held = 0;
            sent_at = stream.bytes_read();
            let batch = Batch {
                events: std::mem::replace(&mut events, Vec::with_capacity(BATCH)),
                chunks: std::mem::take(&mut chunks),
                bytes_read: stream.bytes_read(),
                frames: stream.frames_read(),
            };
            // Batches alternate between the two scanning threads when there are two. The
            // last batch is sent too; a failed send means the scanning side hung up.
            let to = match odd {
                Some(odd) if sent % 2 == 1 => odd,
                _ => tx,
            };
            sent += 1;
            if to.send(batch).is_err() || end || cancel.load(Ordering::Relaxed) {
                stream.release_spare();
                return stream;
            }
            while let Ok(bufs) = spent.try_recv() {
                stream.recycle(bufs);
            }
        }
    }
}

/// Scan the datagrams of the batches of `rx` on a thread of its own (see [`prepare`]), its
/// header sets found in `sets` and the shapes of its auth values in `dict`; the prepared
/// batches come out of the receiver returned, in the order of `rx`. The thread stops when
/// `rx` ends or the receiver is dropped.
fn scan_on_a_thread<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    rx: std::sync::mpsc::Receiver<Batch>,
    spent: std::sync::mpsc::SyncSender<Spent>,
    (sets, dict): (&sip::SharedSets, &sip::auth::AuthDict),
) -> std::sync::mpsc::Receiver<Prepared> {
    let (tx_done, rx_done) = std::sync::mpsc::sync_channel::<Prepared>(BATCHES_IN_FLIGHT);
    let (sets, dict) = (sets.clone(), dict.clone());
    scope.spawn(move || {
        let mut scanner = Scanner::reading_file(true)
            .batched()
            .sharing_sets(&sets)
            .sharing_auth(&dict);
        for batch in rx.iter() {
            if tx_done.send(prepare(&mut scanner, batch, &spent)).is_err() {
                return;
            }
        }
    });
    rx_done
}

/// A batch with its datagrams scanned (by either thread), in capture order, and the skips
/// that scanning counted.
struct Prepared {
    /// The datagrams' messages, to be numbered when they are taken in (moved in runs: a
    /// record is copied once, not through an enum as large as the largest event).
    messages: Vec<SipMessage>,
    /// Every other event (TCP, ICMP, TLS, and datagrams when scanning on one thread), for
    /// the scanner that keeps the streams, after how many of `messages` it comes.
    events: Vec<(usize, Event)>,
    /// The chunks of the datagrams left to scan (sequential scanning); none once scanned.
    chunks: Vec<Arc<Chunk>>,
    skips: Skips,
    bytes_read: u64,
    frames: u64,
}

impl Prepared {
    fn sequential(b: Batch) -> Prepared {
        Prepared {
            messages: Vec::new(),
            events: b.events.into_iter().map(|ev| (0, ev)).collect(),
            chunks: b.chunks,
            skips: Skips::default(),
            bytes_read: b.bytes_read,
            frames: b.frames,
        }
    }
}

/// Scan the datagrams of a batch that lie in the file as they are; the other events stay.
/// Their buffers go back to the reader through `spent` (when it has room: else dropped).
fn prepare(
    scanner: &mut Scanner,
    b: Batch,
    spent: &std::sync::mpsc::SyncSender<Spent>,
) -> Prepared {
    let mut skips = Skips::default();
    let mut bufs = Vec::with_capacity(b.events.len());
    let mut messages = Vec::with_capacity(b.events.len());
    let mut events = Vec::new();
    for ev in b.events {
        match ev {
            Event::InChunk(d) => messages.extend(datagram_in(scanner, &d, &b.chunks, &mut skips)),
            // A datagram read back from its file offset; one reassembled from fragments
            // keeps its bytes in the arena of the scanner that keeps the streams.
            Event::Datagram(p) if p.at.is_some() => {
                messages.extend(scanner.datagram_ref(&p, &mut skips));
                bufs.push(p.data);
            }
            ev => events.push((messages.len(), ev)),
        }
    }
    let _ = spent.try_send(bufs);
    // The auth values of the batch readable (one block for many messages).
    scanner.seal();
    Prepared {
        messages,
        events,
        chunks: Vec::new(),
        skips,
        bytes_read: b.bytes_read,
        frames: b.frames,
    }
}

/// The message of a datagram that lies in a chunk of the capture, its bytes found in
/// `chunks` (always there: a batch takes the chunk of each of its datagrams; were one
/// missing, the datagram would count as unparseable rather than stop the analysis).
fn datagram_in(
    scanner: &mut Scanner,
    d: &InChunk,
    chunks: &[Arc<Chunk>],
    skips: &mut Skips,
) -> Option<SipMessage> {
    let Some(data) = d.bytes(chunks) else {
        debug_assert!(false, "a batch holds the chunk of each of its datagrams");
        skips.add(crate::capture::SkipReason::UnparseableSip);
        return None;
    };
    let meta = (
        d.frame,
        Frames::One(d.frame),
        d.ts,
        d.src,
        d.dst,
        Transport::Udp,
    );
    scanner.datagram_bytes(meta, data, Some(d.at), skips)
}

/// What the scanning side collects from the events.
struct Collect {
    scanner: Scanner,
    skips: Skips,
    messages: Vec<SipMessage>,
    icmp: Vec<IcmpNote>,
    tls: Vec<TlsNote>,
    /// Requests by (Call-ID, CSeq), indexed up to `indexed`, for the ICMP errors.
    requests: HashMap<(String, String), usize>,
    indexed: usize,
    /// The messages taken into their transactions as they come.
    grouper: transaction::Grouper,
}

impl Collect {
    fn new(from_file: bool, total_bytes: Option<u64>) -> Self {
        // Room for as many messages as the file could hold (a SIP message in a frame takes
        // at least ~300 bytes of it): the list does not double (and copy) as it grows, and
        // pages never filled are never resident.
        let room = total_bytes.map_or(0, |b| (b / 300).min(MAX_RESERVED_MESSAGES) as usize);
        Collect {
            scanner: Scanner::reading_file(from_file).batched(),
            skips: Skips::default(),
            messages: Vec::with_capacity(room),
            icmp: Vec::new(),
            tls: Vec::new(),
            requests: HashMap::new(),
            indexed: 0,
            grouper: transaction::Grouper::new(room),
        }
    }

    /// Take in a prepared batch, in order: its messages numbered as they come; its
    /// datagrams not scanned yet lie in `chunks`.
    fn take(
        &mut self,
        mut messages: Vec<SipMessage>,
        events: Vec<(usize, Event)>,
        chunks: &[Arc<Chunk>],
    ) {
        if events.is_empty() {
            // Nearly always (a file of UDP datagrams): the records in one copy.
            let from = self.messages.len();
            self.messages.append(&mut messages);
            self.adopt(from);
        } else {
            let mut taken = 0;
            let mut rest = messages.into_iter();
            for (before, ev) in events {
                let from = self.messages.len();
                self.messages.extend(rest.by_ref().take(before - taken));
                self.adopt(from);
                taken = before;
                self.event(ev, chunks);
            }
            let from = self.messages.len();
            self.messages.extend(rest);
            self.adopt(from);
        }
        self.scanner.seal();
        self.grouper.add(&self.messages);
    }

    /// Number the messages from `from` on (scanned by another scanner) in the order they
    /// are taken in.
    fn adopt(&mut self, from: usize) {
        for m in &mut self.messages[from..] {
            self.scanner.adopt(m);
        }
    }

    fn event(&mut self, ev: Event, chunks: &[Arc<Chunk>]) {
        match ev {
            Event::InChunk(d) => {
                let m = datagram_in(&mut self.scanner, &d, chunks, &mut self.skips);
                self.messages.extend(m);
            }
            Event::Datagram(p) => {
                if let Some(m) = self.scanner.datagram(p, &mut self.skips) {
                    self.messages.push(m);
                }
            }
            Event::TcpData {
                payload,
                gap_before,
            } => {
                let out = self.scanner.tcp(payload, gap_before, &mut self.skips);
                self.messages.extend(out);
            }
            Event::TcpClosed { src, dst } => self.scanner.tcp_closed(src, dst, &mut self.skips),
            Event::IcmpUnreachable {
                frame,
                ts,
                reporter,
                kind,
                quoted,
            } => {
                // The records read below must be readable (see `Scanner::seal`).
                self.scanner.seal();
                let message = self.quoted_request(&quoted.data);
                self.icmp.push(IcmpNote {
                    frame,
                    ts,
                    reporter,
                    kind,
                    src: quoted.src,
                    dst: quoted.dst,
                    message,
                });
            }
            Event::Tls {
                frame,
                ts,
                src,
                dst,
                handshake,
            } => {
                if !self.tls.iter().any(|t| t.src == src && t.dst == dst) {
                    self.tls.push(TlsNote {
                        frame,
                        ts,
                        src,
                        dst,
                        handshake,
                    });
                }
            }
        }
    }

    /// The request an ICMP error quotes: the quote may hold the start of the SIP request,
    /// matched on Call-ID and CSeq.
    fn quoted_request(&mut self, quoted: &[u8]) -> Option<usize> {
        let quoted_ids = sip::parse_datagram(quoted).and_then(|(_, headers, ..)| {
            let get = |n: &str| {
                headers
                    .iter()
                    .find(|h| sip::header_is(&h.name, n))
                    .map(|h| h.value.clone())
            };
            Some((get("call-id")?, get("cseq")?))
        });
        // Requests indexed by (Call-ID, CSeq) as they come, the newest kept: no scan of all
        // earlier messages per ICMP error.
        for m in &self.messages[self.indexed..] {
            if m.is_request()
                && let (Some(cid), Some(cseq)) = (m.call_id(), m.header("cseq"))
            {
                self.requests
                    .insert((cid.to_string(), cseq.to_string()), m.index());
            }
        }
        self.indexed = self.messages.len();
        quoted_ids.and_then(|k| self.requests.get(&k).copied())
    }
}

impl Analysis {
    /// Check every authenticated request against what the technician typed, then diagnose
    /// again with that knowledge. The secret is used here and not kept.
    pub fn verify_with(&mut self, secret: &Secret, expect: &Expectation) {
        let refused: std::collections::HashMap<u64, bool> = self
            .exchanges
            .iter()
            .flat_map(|e| e.attempts.iter())
            .map(|x| {
                (
                    self.messages[x.request()].frame(),
                    x.final_status.is_some_and(|s| s >= 300),
                )
            })
            .collect();
        // One request copied at a time, not the whole list.
        self.verifications = self
            .auth_requests()
            .iter()
            .map(|r| {
                let c = &r.to_captured();
                let mut v = verify::verify(c, secret, expect);
                // The password is right and the server still refused: when the auth user is
                // not the account's user, that is the input the server objects to.
                let user = crate::model::account_user(
                    &c.method,
                    c.from_user.as_deref(),
                    c.to_user.as_deref(),
                );
                if v.verified
                    && v.differs.is_none()
                    && refused.get(&c.frame).copied().unwrap_or(false)
                    && expect.username.is_none()
                    && user.is_some()
                    && c.credentials.username().as_deref() != user
                {
                    v.differs = Some(verify::Differs::Username);
                    v.explanation.push_str(&format!(
                        " The server refused it: the auth username {:?} is not the account's \
                         user {:?}.",
                        c.credentials.username().unwrap_or_default(),
                        user.unwrap_or_default()
                    ));
                }
                v
            })
            .collect();
        self.rediagnose();
    }

    /// Diagnose again and give every account its findings and root cause.
    pub fn rediagnose(&mut self) {
        let findings = diagnose::diagnose(self);
        self.set_findings(findings);
    }

    /// Take the findings of [`diagnose::diagnose`] of this analysis and give every account
    /// its findings and root cause (the second half of [`Analysis::rediagnose`]).
    pub fn set_findings(&mut self, findings: Vec<crate::finding::Finding>) {
        self.findings = findings;
        let tls: Vec<_> = self
            .tls
            .iter()
            .map(|t| (t.frame, t.src.ip(), t.dst.ip()))
            .collect();
        accounts::attach(
            &mut self.accounts,
            &mut self.findings,
            &self.exchanges,
            &self.messages,
            &tls,
        );
    }

    /// The analysis narrowed to the accounts `focus` matches: their messages (renumbered),
    /// exchanges (grouped again), ICMP errors and verifications, diagnosed again, so every
    /// finding, step and verification speaks of those accounts only. Every index in the
    /// result is valid for the result. Work proportional to the selection (plus the
    /// accounts). An empty focus returns a copy.
    pub fn focus(&self, focus: &Focus) -> Analysis {
        self.narrowed(focus).unwrap_or_else(|| self.clone())
    }

    /// [`Analysis::focus`] when it narrows anything; `None` when the focus is empty or
    /// selects everything (every message, exchange, ICMP error, TLS stream and
    /// verification: grouped and diagnosed again, that is this analysis), so nothing is
    /// copied or grouped again for it.
    pub fn narrowed(&self, focus: &Focus) -> Option<Analysis> {
        if focus.is_empty() {
            return None;
        }
        let sel = accounts::select(
            focus,
            &self.accounts,
            &self.exchanges,
            &self.messages,
            &self.icmp,
        );
        if self.selects_all(&sel) {
            return None;
        }
        Some(self.narrowed_to(&sel))
    }

    /// True when a selection holds every part of this analysis that a focus filters.
    fn selects_all(&self, sel: &accounts::Selection) -> bool {
        let clients: std::collections::HashSet<std::net::IpAddr> = sel
            .accounts
            .iter()
            .map(|&i| self.accounts[i].client.ip())
            .collect();
        sel.messages.len() == self.messages.len()
            && sel.exchanges.len() == self.exchanges.len()
            && sel.accounts.len() == self.accounts.len()
            && self.icmp.iter().all(|n| sel.has_frame(n.frame))
            && self.verifications.iter().all(|v| sel.has_frame(v.frame))
            && self
                .tls
                .iter()
                .all(|t| clients.contains(&t.src.ip()) || clients.contains(&t.dst.ip()))
    }

    /// The analysis of the selected parts only (see [`Analysis::focus`]).
    fn narrowed_to(&self, sel: &accounts::Selection) -> Analysis {
        let renumber: HashMap<usize, usize> = sel
            .messages
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new))
            .collect();
        let messages: Vec<SipMessage> = sel
            .messages
            .iter()
            .enumerate()
            .map(|(new, &old)| {
                let mut m = self.messages[old].clone();
                m.set_index(new);
                m
            })
            .collect();
        let mut icmp: Vec<IcmpNote> = self
            .icmp
            .iter()
            .filter(|n| sel.has_frame(n.frame))
            .map(|n| IcmpNote {
                message: n.message.and_then(|i| renumber.get(&i).copied()),
                ..n.clone()
            })
            .collect();
        let clients: std::collections::HashSet<std::net::IpAddr> = sel
            .accounts
            .iter()
            .map(|&i| self.accounts[i].client.ip())
            .collect();
        let tls = self
            .tls
            .iter()
            .filter(|t| clients.contains(&t.src.ip()) || clients.contains(&t.dst.ip()))
            .cloned()
            .collect();
        let verifications = self
            .verifications
            .iter()
            .filter(|v| sel.has_frame(v.frame))
            .cloned()
            .collect();
        let grouping = transaction::group(&messages, &mut icmp);
        let mut a = Analysis {
            raw: self.raw.clone(),
            file: self.file.clone(),
            format: self.format.clone(),
            link_types: self.link_types.clone(),
            frames: self.frames,
            bytes: self.bytes,
            first_ts: self.first_ts,
            last_ts: self.last_ts,
            messages,
            roles: grouping.roles,
            exchanges: grouping.exchanges,
            icmp,
            tls,
            skips: self.skips.clone(),
            verifications,
            findings: Vec::new(),
            accounts: Vec::new(),
        };
        a.accounts = accounts::build(&a.messages, &a.exchanges);
        a.rediagnose();
        a
    }
}

#[cfg(test)]
mod tests {
    use crate::accounts::Focus;
    use crate::finding::FindingCode;
    use crate::model::Analysis;
    use crate::testutil::fixture;

    /// The auth values of an analysis read back as parsing the captured text gives, and
    /// their blocks are freed with it: analysing the same captures again and again in one
    /// process keeps nothing of the earlier analyses (they were leaked for its life).
    #[test]
    fn auth_blocks_freed_with_the_analysis() {
        for (name, a) in fixtures_again() {
            let mut blocks = Vec::new();
            for m in &a.messages {
                let headers = parsed_again(&a, m);
                let values = |n: &'static str| {
                    headers
                        .iter()
                        .filter(move |h| crate::sip::header_is(&h.name, n))
                        .map(|h| h.value.as_str())
                };
                for (n, proxy) in [("authorization", false), ("proxy-authorization", true)] {
                    let want = values(n).next().map(crate::sip::auth::parse_credentials);
                    let got = m.credentials(n);
                    assert_eq!(got.is_some(), want.is_some(), "{name} {}", m.frame());
                    if let (Some(Ok(got)), Some(Ok(want))) = (got, want) {
                        assert_eq!(got.unpack(), want, "{name} {} {proxy}", m.frame());
                        blocks.push(got.block());
                    }
                }
                for (n, got) in [
                    ("www-authenticate", m.www_challenges()),
                    ("proxy-authenticate", m.proxy_challenges()),
                ] {
                    let want: Vec<_> = values(n)
                        .flat_map(|v| crate::sip::auth::parse_challenges(v).unwrap_or_default())
                        .collect();
                    let got: Vec<_> = got.iter().map(|c| c.unpack()).collect();
                    assert_eq!(got, want, "{name} {}", m.frame());
                }
                blocks.extend(m.challenges().map(|c| c.block()));
            }
            assert!(blocks.len() >= 2, "{name}: {}", blocks.len());
            assert!(blocks.iter().all(|b| b.upgrade().is_some()));
            drop(a);
            assert!(blocks.iter().all(|b| b.upgrade().is_none()), "{name}");
        }
    }

    /// The kept headers of every message of real captures, analysed several times, read
    /// back as the kept header lines of its raw text parsed again, in order; the shared
    /// sets they are read from are freed once the analysis is dropped (nothing of them is
    /// kept for the life of the process).
    #[test]
    fn header_sets_freed_with_the_analysis() {
        for (name, a) in fixtures_again() {
            let mut sets = Vec::new();
            for m in &a.messages {
                let want = crate::sip::kept_lines(&parsed_again(&a, m));
                assert_eq!(m.headers.lines(), want, "{name} {}", m.frame());
                assert!(!want.is_empty(), "{name} {}", m.frame());
                sets.push(m.headers.set_handle());
            }
            assert!(sets.len() >= 2, "{name}: {}", sets.len());
            assert!(sets.iter().all(|s| s.upgrade().is_some()));
            drop(a);
            assert!(sets.iter().all(|s| s.upgrade().is_none()), "{name}");
        }
    }

    /// Three real captures (one over TCP), each analysed three times in turn.
    fn fixtures_again() -> impl Iterator<Item = (&'static str, Analysis)> {
        let names = [
            "13-office-register-mixed.pcap",
            "12b-register-wrong-password-tcp.pcap",
            "03b-invite-407-wrong-password.pcap",
        ];
        (0..3).flat_map(move |_| names.map(|n| (n, fixture(n))))
    }

    /// The header lines of `m`'s raw text parsed again.
    fn parsed_again(a: &Analysis, m: &crate::sip::SipMessage) -> Vec<crate::sip::Header> {
        let bytes = m.raw_bytes(&a.raw).unwrap();
        crate::sip::parse_datagram(&bytes).unwrap().1
    }

    /// Not run by default (a big capture of your own): `SIPDOCTOR_TWICE=FILE cargo test
    /// --release --lib --no-default-features twice -- --ignored --nocapture` analyses FILE
    /// twice in one process (as the GUI opening it again): the blocks of auth values and the
    /// header sets of each are all freed once it is dropped (`examples/analyse-twice.rs`
    /// prints the memory).
    #[test]
    #[ignore]
    fn analysing_a_capture_twice() {
        let path = std::env::var("SIPDOCTOR_TWICE").expect("SIPDOCTOR_TWICE=capture");
        let blocks_before = crate::sip::auth::live_blocks();
        let sets_before = crate::sip::live_header_sets();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let mut counts = Vec::new();
        for run in 1..=2 {
            let a = super::analyze_file(std::path::Path::new(&path), &mut |_| {}, &stop).unwrap();
            let alive = crate::sip::auth::live_blocks().saturating_sub(blocks_before);
            let sets = crate::sip::live_header_sets().saturating_sub(sets_before);
            eprintln!(
                "run {run}: {} messages, {alive} blocks, {sets} header sets",
                a.messages.len()
            );
            counts.push(a.messages.len());
            drop(a);
            assert_eq!(crate::sip::auth::live_blocks(), blocks_before);
            assert_eq!(crate::sip::live_header_sets(), sets_before);
        }
        assert_eq!(counts[0], counts[1]);
    }

    /// Every index of an analysis points inside it.
    fn assert_indexes_valid(a: &Analysis) {
        assert_eq!(a.roles.len(), a.messages.len());
        for (i, m) in a.messages.iter().enumerate() {
            assert_eq!(m.index(), i);
        }
        for (i, e) in a.exchanges.iter().enumerate() {
            assert_eq!(e.id, i);
            assert!(e.messages().iter().all(|&m| m < a.messages.len()));
            for at in &e.attempts {
                assert!(at.request() < a.messages.len());
                assert!(at.responses().iter().all(|&r| r < a.messages.len()));
                assert!(at.icmp().iter().all(|&n| n < a.icmp.len()));
            }
        }
        for r in &a.roles {
            assert!(r.exchange.is_none_or(|x| x < a.exchanges.len()));
            assert!(r.retransmission_of.is_none_or(|x| x < a.messages.len()));
        }
        assert!(
            a.icmp
                .iter()
                .all(|n| n.message.is_none_or(|m| m < a.messages.len()))
        );
        for f in &a.findings {
            assert!(f.exchanges.iter().all(|&x| x < a.exchanges.len()));
        }
        for acc in &a.accounts {
            assert!(acc.exchanges.iter().all(|&x| x < a.exchanges.len()));
            assert!(acc.findings.iter().all(|&x| x < a.findings.len()));
        }
    }

    /// Messages read back from the capture file (by offset) are the bytes the scanner saw:
    /// the same capture read as a stream (no file to go back to) keeps every message in the
    /// arena, and both give the same bytes for every message, on UDP, TCP, IPv6, SLL and
    /// pcapng captures of the lab.
    #[test]
    fn read_back_equals_what_the_scanner_saw() {
        use std::sync::atomic::AtomicBool;
        for name in [
            "02-register-wrong-password.pcap",
            "12b-register-wrong-password-tcp.pcap",
            "12c-register-wrong-password-ipv6.pcap",
            "12e-register-wrong-password-sll.pcap",
            "12h-register-wrong-password.pcapng",
            "13-office-register-mixed.pcap",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name);
            let by_file = fixture(name);
            assert!(by_file.raw.path().is_some());
            let bytes = std::fs::read(&path).unwrap();
            let len = Some(bytes.len() as u64);
            let stream = crate::capture::PacketStream::from_reader(
                Box::new(std::io::Cursor::new(bytes)),
                &path,
                len,
            )
            .unwrap();
            let in_memory =
                super::analyze_stream(stream, name, &mut |_| {}, &AtomicBool::new(false)).unwrap();
            assert!(in_memory.raw.path().is_none());
            assert_eq!(by_file.messages.len(), in_memory.messages.len(), "{name}");
            assert!(!by_file.messages.is_empty());
            let mut from_file = 0;
            for (a, b) in by_file.messages.iter().zip(&in_memory.messages) {
                // Scanned on two threads (a file) or on one (a stream): the same records,
                // numbered in the same order.
                assert_eq!(
                    (
                        a.index(),
                        a.frame(),
                        *a.src,
                        *a.dst,
                        a.call_id(),
                        a.via_branch()
                    ),
                    (
                        b.index(),
                        b.frame(),
                        *b.src,
                        *b.dst,
                        b.call_id(),
                        b.via_branch()
                    ),
                    "{name}"
                );
                assert_eq!(format!("{:?}", a.start()), format!("{:?}", b.start()));
                let x = a.raw_bytes(&by_file.raw).unwrap();
                let y = b.raw_bytes(&in_memory.raw).unwrap();
                assert_eq!(x, y, "{name} message {}", a.index());
                assert!(b.raw().arena);
                from_file += usize::from(!a.raw().arena);
                assert_eq!(a.raw_text(&by_file.raw), String::from_utf8_lossy(&x));
            }
            // UDP messages come from the file; TCP ones (reassembled) from the arena.
            let udp = by_file
                .messages
                .iter()
                .filter(|m| m.transport() == crate::capture::Transport::Udp)
                .count();
            assert_eq!(from_file, udp, "{name}");
            assert!(by_file.raw.arena_len() < in_memory.raw.arena_len() || udp == 0);
        }
    }

    /// SIP sparse among other traffic (here a 200 KB non-IP frame after each frame of a real
    /// capture, so each datagram lies in a chunk of its own): a batch is sent once its chunks
    /// reach BATCH_CHUNK_BYTES, not after BATCH datagrams holding a chunk each; and the
    /// analysis finds every message of the capture.
    #[test]
    fn a_batch_holds_a_bounded_part_of_the_file() {
        use std::sync::atomic::AtomicBool;
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/13-office-register-mixed.pcap");
        let one = std::fs::read(&src).unwrap();
        assert_eq!(&one[20..24], &1u32.to_le_bytes(), "an Ethernet capture");
        // pcap: a 24-byte header, then records of 16 bytes + incl_len.
        let mut bytes = one[..24].to_vec();
        let mut at = 24;
        let pad_len = 200_000u32;
        while at + 16 <= one.len() {
            let incl = u32::from_le_bytes(one[at + 8..at + 12].try_into().unwrap()) as usize;
            bytes.extend_from_slice(&one[at..at + 16 + incl]);
            // The same time stamp, an Ethernet frame of an experimental EtherType (0x88B5).
            bytes.extend_from_slice(&one[at..at + 8]);
            bytes.extend_from_slice(&pad_len.to_le_bytes());
            bytes.extend_from_slice(&pad_len.to_le_bytes());
            let mut frame = vec![0u8; pad_len as usize];
            frame[12..14].copy_from_slice(&[0x88, 0xB5]);
            bytes.extend_from_slice(&frame);
            at += 16 + incl;
        }
        let path =
            std::env::temp_dir().join(format!("sipdoctor-sparse-{}.pcap", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let no = AtomicBool::new(false);
        let stream = crate::capture::PacketStream::open(&path).unwrap();
        let (tx, rx) = std::sync::mpsc::sync_channel(100_000);
        let (_spent_tx, spent_rx) = std::sync::mpsc::sync_channel(1);
        super::read_events(stream, &tx, None, &spent_rx, &no);
        drop(tx);
        let mut events = 0;
        let mut cut_by_bytes = 0;
        for b in rx {
            events += b.events.len();
            let sizes: Vec<usize> = b.chunks.iter().map(|c| c.size()).collect();
            let before_last: usize = sizes.iter().rev().skip(1).sum();
            assert!(
                before_last < super::BATCH_CHUNK_BYTES,
                "a batch of {} events holds chunks of {sizes:?}",
                b.events.len()
            );
            if b.events.len() < super::BATCH
                && sizes.iter().sum::<usize>() >= super::BATCH_CHUNK_BYTES
            {
                cut_by_bytes += 1;
            }
        }
        assert!(cut_by_bytes > 0, "no batch was cut by its bytes");
        let fixture_messages = fixture("13-office-register-mixed.pcap").messages.len();
        assert!(events >= fixture_messages);
        let a = super::analyze_file(&path, &mut |_| {}, &no).unwrap();
        assert_eq!(a.messages.len(), fixture_messages);
        std::fs::remove_file(&path).unwrap();
    }

    /// A capture of several read chunks (the datagrams of a batch left where the file was
    /// read into, records cut by the end of a chunk): the two scanning threads make the
    /// records one thread makes of the same bytes as a stream, and every message read back
    /// from the file is the bytes that thread kept.
    #[test]
    fn a_capture_of_many_chunks_scans_as_a_stream_does() {
        use std::sync::atomic::AtomicBool;
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/13-office-register-mixed.pcap");
        let one = std::fs::read(&src).unwrap();
        let mut bytes = one.clone();
        for _ in 0..9 {
            bytes.extend_from_slice(&one[24..]);
        }
        assert!(bytes.len() > 2 * crate::capture::limits::READ_CHUNK);
        let path =
            std::env::temp_dir().join(format!("sipdoctor-chunks-{}.pcap", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let no = AtomicBool::new(false);
        let by_file = super::analyze_file(&path, &mut |_| {}, &no).unwrap();
        let stream = crate::capture::PacketStream::from_reader(
            Box::new(std::io::Cursor::new(bytes)),
            &path,
            None,
        )
        .unwrap();
        let in_memory = super::analyze_stream(stream, "mem", &mut |_| {}, &no).unwrap();
        assert_eq!(by_file.messages.len(), in_memory.messages.len());
        assert_eq!(
            by_file.messages.len(),
            10 * fixture("13-office-register-mixed.pcap").messages.len()
        );
        for (a, b) in by_file.messages.iter().zip(&in_memory.messages) {
            assert_eq!(
                (a.index(), a.frame(), a.call_id()),
                (b.index(), b.frame(), b.call_id())
            );
            assert!(!a.raw().arena && b.raw().arena);
            assert_eq!(
                a.raw_bytes(&by_file.raw).unwrap(),
                b.raw_bytes(&in_memory.raw).unwrap()
            );
        }
        assert_eq!(by_file.skips.total(), in_memory.skips.total());
        std::fs::remove_file(&path).unwrap();
    }

    /// Progress comes on the calling thread while the other reads; Cancel stops both, set
    /// before the start or from the progress callback.
    #[test]
    fn progress_and_cancel_across_the_two_threads() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/13-office-register-mixed.pcap");
        let mut seen = Vec::new();
        let a =
            super::analyze_file(&path, &mut |p| seen.push(*p), &AtomicBool::new(false)).unwrap();
        let last = seen.last().unwrap();
        assert_eq!(last.frames, a.frames);
        assert_eq!(last.messages, a.messages.len());
        assert_eq!(last.fraction(), Some(1.0));
        assert!(seen.windows(2).all(|w| w[0].bytes_read <= w[1].bytes_read));
        let cancel = AtomicBool::new(true);
        let r = super::analyze_file(&path, &mut |_| {}, &cancel);
        assert!(matches!(r, Err(crate::Error::Cancelled)));
        let cancel = AtomicBool::new(false);
        let r = super::analyze_file(
            &path,
            &mut |_| cancel.store(true, Ordering::Relaxed),
            &cancel,
        );
        assert!(matches!(r, Err(crate::Error::Cancelled)));
    }

    /// A long run of frames without SIP (here the real ICMP echoes of the no-SIP capture,
    /// repeated to over 4 MiB between two copies of the office capture): progress is
    /// reported inside it, and Cancel set there stops the reading there, not at the next SIP
    /// message or the end of the file.
    #[test]
    fn progress_and_cancel_in_a_long_run_without_sip() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let office = std::fs::read(dir.join("13-office-register-mixed.pcap")).unwrap();
        let echoes = std::fs::read(dir.join("92-no-sip.pcap")).unwrap();
        assert_eq!(
            office[..24],
            echoes[..24],
            "the same pcap header and link type"
        );
        // pcap: a 24-byte header, then records of 16 bytes + incl_len; the first six are
        // the echo requests and replies.
        let mut at = 24;
        for _ in 0..6 {
            at += 16 + u32::from_le_bytes(echoes[at + 8..at + 12].try_into().unwrap()) as usize;
        }
        let mut bytes = office.clone();
        let quiet_from = bytes.len() as u64;
        while bytes.len() < office.len() + (4 << 20) {
            bytes.extend_from_slice(&echoes[24..at]);
        }
        let quiet_to = bytes.len() as u64;
        bytes.extend_from_slice(&office[24..]);
        let path =
            std::env::temp_dir().join(format!("sipdoctor-quiet-{}.pcap", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        // Progress says how far the file was read, a chunk at a time: well inside the run.
        let chunk = crate::capture::limits::READ_CHUNK as u64;
        let inside = |b: u64| b >= quiet_from + 2 * chunk && b + chunk <= quiet_to;
        let mut seen = Vec::new();
        let a = super::analyze_file(
            &path,
            &mut |p| seen.push(p.bytes_read),
            &AtomicBool::new(false),
        )
        .unwrap();
        let office_messages = fixture("13-office-register-mixed.pcap").messages.len();
        assert_eq!(a.messages.len(), 2 * office_messages);
        let during = seen.iter().filter(|b| inside(**b)).count();
        assert!(
            during as u64 >= (quiet_to - quiet_from - 3 * chunk) / chunk.max(super::QUIET_BYTES),
            "{during} progress reports inside the run without SIP: {seen:?}"
        );
        let cancel = AtomicBool::new(false);
        let mut last = 0;
        let r = super::analyze_file(
            &path,
            &mut |p| {
                last = p.bytes_read;
                if inside(p.bytes_read) {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        );
        assert!(matches!(r, Err(crate::Error::Cancelled)));
        assert!(
            inside(last),
            "stopped at byte {last}, the run is {quiet_from}..{quiet_to}"
        );
        std::fs::remove_file(&path).unwrap();
    }

    /// A capture that changed on disk after the analysis is refused, not shown wrong.
    #[test]
    fn a_changed_capture_is_not_read_back_as_the_message() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/02-register-wrong-password.pcap");
        let copy =
            std::env::temp_dir().join(format!("sipdoctor-changed-{}.pcap", std::process::id()));
        std::fs::copy(&src, &copy).unwrap();
        let a = crate::analysis::analyze_file(
            &copy,
            &mut |_| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap();
        let m = &a.messages[0];
        assert!(m.raw_bytes(&a.raw).is_ok());
        let mut bytes = std::fs::read(&copy).unwrap();
        for b in &mut bytes[m.raw().at as usize..(m.raw().at + 8) as usize] {
            *b = b'#';
        }
        std::fs::write(&copy, &bytes).unwrap();
        // A fresh handle sees the change (the cached one may be the same file: same inode).
        let err = m.raw_bytes(&a.raw).unwrap_err();
        assert!(err.contains("changed"), "{err}");
        assert!(m.raw_text(&a.raw).contains("changed"));
        std::fs::remove_file(&copy).unwrap();
    }

    #[test]
    fn focus_narrows_renumbers_and_diagnoses_again() {
        let a = fixture("13-office-register-mixed.pcap");
        assert_indexes_valid(&a);
        assert_eq!(a.accounts.len(), 24);
        let f = a.focus(&Focus {
            account: Some("2023".into()),
            client: None,
        });
        assert_indexes_valid(&f);
        assert_eq!(f.accounts.len(), 1);
        assert_eq!(f.accounts[0].user, "2023");
        assert!(f.messages.len() < a.messages.len());
        assert!(
            f.messages
                .iter()
                .all(|m| m.src.ip().to_string() == "127.0.10.23"
                    || m.dst.ip().to_string() == "127.0.10.23")
        );
        // Re-diagnosed: only this phone's causes, nothing of the other phones.
        assert_eq!(f.findings[0].code, FindingCode::BruteForceBlock);
        assert!(
            f.findings
                .iter()
                .all(|x| x.code != FindingCode::AuthUsernameMismatch)
        );
        assert!(
            f.findings
                .iter()
                .all(|x| !x.explanation.contains(" of 24 accounts"))
        );
        assert_eq!(f.accounts[0].root_cause, Some(FindingCode::BruteForceBlock));
        assert!(f.census().is_none());
        // The same root cause as in the whole capture.
        let whole = a.accounts.iter().find(|x| x.user == "2023").unwrap();
        assert_eq!(whole.root_cause, f.accounts[0].root_cause);
        // A healthy phone focused: no error at all.
        let ok = a.focus(&Focus {
            account: None,
            client: Some("127.0.10.5".parse().unwrap()),
        });
        assert_indexes_valid(&ok);
        assert!(!ok.has_error(), "{:?}", ok.findings);
        // No focus: the same analysis.
        assert_eq!(a.focus(&Focus::default()).messages.len(), a.messages.len());
        // Nothing matches: an empty analysis, still consistent.
        let none = a.focus(&Focus {
            account: Some("nobody".into()),
            client: None,
        });
        assert_indexes_valid(&none);
        assert!(none.exchanges.is_empty() && none.accounts.is_empty());
    }

    /// A focus that selects the whole capture copies and regroups nothing, and what it gives
    /// is what the narrowing would have given.
    #[test]
    fn a_focus_on_everything_is_the_analysis_itself() {
        let a = fixture("01-register-ok.pcap");
        let user = a.accounts[0].user.clone();
        let all = Focus {
            account: Some(user),
            client: None,
        };
        assert_eq!(a.accounts.len(), 1);
        assert!(a.narrowed(&all).is_none(), "one account: nothing to narrow");
        let sel = crate::accounts::select(&all, &a.accounts, &a.exchanges, &a.messages, &a.icmp);
        let regrouped = a.narrowed_to(&sel);
        assert_eq!(regrouped.messages.len(), a.messages.len());
        assert_eq!(regrouped.exchanges.len(), a.exchanges.len());
        let codes = |x: &Analysis| x.findings.iter().map(|f| f.code).collect::<Vec<_>>();
        assert_eq!(codes(&regrouped), codes(&a));
        assert!(a.narrowed(&Focus::default()).is_none());
        let office = fixture("13-office-register-mixed.pcap");
        let one = Focus {
            account: Some("2023".into()),
            client: None,
        };
        assert!(office.narrowed(&one).is_some());
    }
}
