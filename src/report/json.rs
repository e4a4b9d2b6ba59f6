//! The JSON contract of `flows --json` and `analyze --json` (field names in README).
//!
//! The document is pretty (two-space indent, as serde_json's pretty printer writes it), except
//! the entries of the two big arrays, `messages[]` and `exchanges[]`: one compact line each.
//! A whole-server capture has hundreds of thousands of messages; one pretty object of ~20
//! lines per message was most of the output's bytes and time.

use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use crate::diagnose::{self, Finding, FindingCode, Severity};
use crate::kb::{self, Lang};
use crate::model::Analysis;
use crate::sip::{SipMessage, StartLine};
use crate::time::format_ts;
use crate::transaction::{CredentialsHeader, Exchange};

/// Output bytes collected before they go to the writer. The writer is often a `dyn Write`
/// (standard output): one call per MiB instead of one per token.
const SPILL: usize = 1 << 20;

/// A JSON document being written: a top-level object whose fields are added in order.
struct Doc<W: Write> {
    buf: Vec<u8>,
    w: W,
    fields: usize,
}

impl<W: Write> Doc<W> {
    fn new(w: W) -> Self {
        let mut buf = Vec::with_capacity(SPILL + (SPILL >> 2));
        buf.push(b'{');
        Doc { buf, w, fields: 0 }
    }

    /// Start a top-level field: `,\n  "name": `.
    fn key(&mut self, name: &str) -> serde_json::Result<()> {
        self.buf
            .extend_from_slice(if self.fields == 0 { b"\n  " } else { b",\n  " });
        self.fields += 1;
        serde_json::to_writer(&mut self.buf, name)?;
        self.buf.extend_from_slice(b": ");
        Ok(())
    }

    /// A top-level field, pretty, as serde_json's pretty printer writes it one level down.
    fn field(&mut self, name: &str, value: &impl Serialize) -> serde_json::Result<()> {
        self.key(name)?;
        // Handed to the writer a [`SPILL`] at a time as it is formatted: a whole server's
        // `accounts[]` or `findings[]` is tens of MB, never held whole.
        let out = Indented {
            buf: &mut self.buf,
            w: &mut self.w,
        };
        serde_json::to_writer_pretty(out, value)
    }

    /// A top-level array with one compact entry per line, each written by `entry`.
    fn lines<T>(
        &mut self,
        name: &str,
        items: impl IntoIterator<Item = T>,
        mut entry: impl FnMut(&mut Vec<u8>, T) -> serde_json::Result<()>,
    ) -> serde_json::Result<()> {
        self.key(name)?;
        self.buf.push(b'[');
        let mut any = false;
        for item in items {
            self.buf
                .extend_from_slice(if any { b",\n    " } else { b"\n    " });
            any = true;
            entry(&mut self.buf, item)?;
            self.spill()?;
        }
        self.buf
            .extend_from_slice(if any { b"\n  ]" } else { b"]" });
        Ok(())
    }

    /// A top-level array with one compact entry per line, as [`Doc::lines`] writes it, its
    /// entries formatted a chunk ([`CHUNK`] entries) at a time on this thread and a second
    /// one, each with its own `L` (from `make`), and written in order: the same bytes, on
    /// both cores. An array of one chunk or less is written on this thread alone.
    ///
    /// The second thread starts formatting once `help` opens (at once, or when the work that
    /// had its core is done).
    fn lines_in_parallel<T: Sync, L>(
        &mut self,
        name: &str,
        items: &[T],
        help: &Helping,
        make: impl Fn() -> L + Sync,
        entry: impl Fn(&mut L, &mut Vec<u8>, &T) -> serde_json::Result<()> + Sync,
    ) -> serde_json::Result<()> {
        if items.len() <= CHUNK {
            let mut lines = make();
            return self.lines(name, items, |out, item| entry(&mut lines, out, item));
        }
        self.key(name)?;
        self.buf.push(b'[');
        let chunks = Chunks {
            items,
            entry: &entry,
            next: std::sync::atomic::AtomicUsize::new(0),
            spare: std::sync::Mutex::new(Vec::new()),
            written: std::sync::atomic::AtomicBool::new(false),
        };
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel(2);
            let helper = &chunks;
            let make = &make;
            scope.spawn(move || {
                help.wait(&helper.written);
                let mut lines = make();
                while let Some(k) = helper.claim() {
                    if tx.send((k, helper.format(&mut lines, k))).is_err() {
                        return; // the writing side failed and stopped
                    }
                }
            });
            let mut lines = make();
            let written = chunks.write_in_order(self, &mut lines, &rx);
            // Written (or failed): a helper still waiting for its turn has nothing to do.
            help.wake(&chunks.written);
            written
        })?;
        self.buf.extend_from_slice(b"\n  ]");
        Ok(())
    }

    /// `bytes` after what the document holds: handed to the writer as they are (after the
    /// buffer), not copied, unless they are few.
    fn put_bytes(&mut self, bytes: &[u8]) -> serde_json::Result<()> {
        if bytes.len() < SPILL >> 4 {
            self.buf.extend_from_slice(bytes);
            return self.spill();
        }
        if !self.buf.is_empty() {
            self.w.write_all(&self.buf).map_err(serde_json::Error::io)?;
            self.buf.clear();
        }
        self.w.write_all(bytes).map_err(serde_json::Error::io)
    }

    /// Hand the buffer to the writer once it holds [`SPILL`] bytes.
    fn spill(&mut self) -> serde_json::Result<()> {
        if self.buf.len() >= SPILL {
            self.w.write_all(&self.buf).map_err(serde_json::Error::io)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn end(mut self) -> serde_json::Result<()> {
        self.buf
            .extend_from_slice(if self.fields == 0 { b"}" } else { b"\n}" });
        self.w.write_all(&self.buf).map_err(serde_json::Error::io)
    }
}

/// Entries of a big array formatted by one thread at a time (see [`Doc::lines_in_parallel`]).
/// Unit tests use small chunks, so that every fixture spans several and both threads.
const CHUNK: usize = if cfg!(test) { 3 } else { 512 };

/// Most chunks formatted ahead of the one to write: the writing thread formats the next ones
/// itself while the other thread is on the one to write, up to this many.
const CHUNKS_AHEAD: usize = 8;

/// The chunks of an array for [`Doc::lines_in_parallel`]: which one is the next to format
/// (either thread takes it), and the buffers written out, for formatting again.
struct Chunks<'a, T, F> {
    items: &'a [T],
    entry: &'a F,
    next: std::sync::atomic::AtomicUsize,
    spare: std::sync::Mutex<Vec<Vec<u8>>>,
    /// Set when the writing thread is done with the array.
    written: std::sync::atomic::AtomicBool,
}

/// When the second thread of [`Doc::lines_in_parallel`] may format: at once (nothing else
/// runs), or once [`Helping::open`] is called by the work that has the other core (the
/// diagnosis), which a third busy thread would only slow down.
struct Helping {
    open: std::sync::Mutex<bool>,
    changed: std::sync::Condvar,
}

impl Helping {
    fn new(open: bool) -> Self {
        Helping {
            open: std::sync::Mutex::new(open),
            changed: std::sync::Condvar::new(),
        }
    }

    /// The other core is free from now on.
    fn open(&self) {
        if let Ok(mut open) = self.open.lock() {
            *open = true;
        }
        self.changed.notify_all();
    }

    /// Wait until the other core is free or the array is `written`.
    fn wait(&self, written: &std::sync::atomic::AtomicBool) {
        let Ok(mut open) = self.open.lock() else {
            return;
        };
        while !*open && !written.load(std::sync::atomic::Ordering::Acquire) {
            match self.changed.wait(open) {
                Ok(g) => open = g,
                Err(_) => return,
            }
        }
    }

    /// Mark the array `written` and wake a helper still waiting for it.
    fn wake(&self, written: &std::sync::atomic::AtomicBool) {
        // Under the lock: a helper between its check and its wait cannot miss it.
        let guard = self.open.lock();
        written.store(true, std::sync::atomic::Ordering::Release);
        drop(guard);
        self.changed.notify_all();
    }
}

/// A formatted chunk: its number and its bytes.
type Formatted = (usize, serde_json::Result<Vec<u8>>);

impl<T, F> Chunks<'_, T, F> {
    fn count(&self) -> usize {
        self.items.len().div_ceil(CHUNK)
    }

    /// The next chunk to format, if any is left.
    fn claim(&self) -> Option<usize> {
        let k = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (k < self.count()).then_some(k)
    }

    /// Chunk `k` as it goes in the array: each entry after its separator (the first entry
    /// of the array after a line break alone), in a spare buffer.
    fn format<L>(&self, lines: &mut L, k: usize) -> serde_json::Result<Vec<u8>>
    where
        F: Fn(&mut L, &mut Vec<u8>, &T) -> serde_json::Result<()>,
    {
        let mut out = self
            .spare
            .lock()
            .ok()
            .and_then(|mut s| s.pop())
            .unwrap_or_default();
        let from = k * CHUNK;
        let to = (from + CHUNK).min(self.items.len());
        for (i, item) in (from..to).zip(&self.items[from..to]) {
            out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
            (self.entry)(lines, &mut out, item)?;
        }
        Ok(out)
    }

    /// Write every chunk to `doc` in order: the next one when it is formatted (by either
    /// thread), else this thread formats one of those left (the other one sends what it
    /// formats through `done`).
    fn write_in_order<W: Write, L>(
        &self,
        doc: &mut Doc<W>,
        lines: &mut L,
        done: &std::sync::mpsc::Receiver<Formatted>,
    ) -> serde_json::Result<()>
    where
        F: Fn(&mut L, &mut Vec<u8>, &T) -> serde_json::Result<()>,
    {
        let mut ready: std::collections::BTreeMap<usize, Vec<u8>> = Default::default();
        for k in 0..self.count() {
            let mut bytes = loop {
                if let Some(b) = ready.remove(&k) {
                    break b;
                }
                while let Ok((j, b)) = done.try_recv() {
                    ready.insert(j, b?);
                }
                if ready.contains_key(&k) {
                    continue;
                }
                // The other thread has chunk `k`: format a later one meanwhile, or wait.
                let mine = (ready.len() < CHUNKS_AHEAD).then(|| self.claim()).flatten();
                let (j, b) = match mine {
                    Some(j) => (j, self.format(lines, j)),
                    None => done
                        .recv()
                        .expect("the other thread sends every chunk it took"),
                };
                ready.insert(j, b?);
            };
            doc.put_bytes(&bytes)?;
            bytes.clear();
            if let Ok(mut spare) = self.spare.lock() {
                spare.push(bytes);
            }
        }
        Ok(())
    }
}

/// A writer that indents what serde_json's pretty printer writes by one level (two spaces
/// after every line break; a line break inside a JSON string is always escaped), into the
/// document's buffer, handed to the document's writer once it holds [`SPILL`] bytes.
struct Indented<'a, W: Write> {
    buf: &'a mut Vec<u8>,
    w: &'a mut W,
}

impl<W: Write> Write for Indented<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.buf.extend_from_slice(b"\n  ");
            }
            self.buf.extend_from_slice(line);
        }
        if self.buf.len() >= SPILL {
            self.w.write_all(self.buf)?;
            self.buf.clear();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `value` as compact JSON at the end of `out`.
fn put<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    serde_json::to_writer(out, value)
}

/// Whether serde_json escapes a byte of `s` in a JSON string: a control character (below
/// 0x20), a quote or a backslash (its `ESCAPE` table; every other byte, DEL and non-ASCII
/// too, it writes as it is). One pass with no early exit, which the compiler vectorises.
fn needs_escaping(s: &[u8]) -> bool {
    s.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// `value` as a JSON string at the end of `out`, the bytes serde_json writes: copied between
/// quotes when nothing in it is escaped (a Call-ID, a URI, a method nearly always), else
/// through serde_json. Most of a message line's strings are written here.
fn put_str(out: &mut Vec<u8>, value: &str) -> serde_json::Result<()> {
    if needs_escaping(value.as_bytes()) {
        return put(out, value);
    }
    out.reserve(value.len() + 2);
    out.push(b'"');
    out.extend_from_slice(value.as_bytes());
    out.push(b'"');
    Ok(())
}

/// [`put_str`] of a string that may be absent (`null`).
fn put_opt_str(out: &mut Vec<u8>, value: Option<&str>) -> serde_json::Result<()> {
    match value {
        Some(v) => put_str(out, v),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// A [`crate::transaction::Link`] as its JSON (the index, or `null`), without serde's
/// option machinery.
fn put_link(out: &mut Vec<u8>, link: crate::transaction::Link) -> serde_json::Result<()> {
    match link.get() {
        Some(i) => put(out, &i),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// `key` (the bytes before a value: `,"name":`), then `value` as compact JSON. Inlined:
/// each key is a constant there, copied without a call.
#[inline(always)]
fn kv<T: Serialize + ?Sized>(out: &mut Vec<u8>, key: &[u8], value: &T) -> serde_json::Result<()> {
    out.extend_from_slice(key);
    put(out, value)
}

/// Writes the entries of `messages[]` (and of `exchanges[]`, [`MessageLines::exchange`]), one
/// compact object per message, field by field.
///
/// Why by hand rather than a derived view: the view's formatted fields (time, addresses,
/// start line) and serde's per-token calls were most of the output time on a whole-server
/// capture. Every string is written as serde_json writes it, each at most once: one with
/// nothing to escape copied between quotes, any other through serde_json ([`put_str`]); an
/// address or a second of time is escaped once and its text kept, the start line
/// is copied from the method and URI (or status and reason) just written. The fields, their
/// order and values are those of the derived view the tests compare it with
/// (`tests::MessageView`).
struct MessageLines<'a> {
    a: &'a Analysis,
    /// Written addresses (quoted JSON strings) back to back, and where each one is.
    addr_text: Vec<u8>,
    addrs: crate::sip::intern::FxHashMap<std::net::SocketAddr, (u32, u32)>,
    /// The same places by a message's address id (a 4-byte key, no address read).
    endpoints: crate::sip::intern::FxHashMap<crate::sip::Endpoint, (u32, u32)>,
    /// The last two addresses written and their places: a message's two ends are nearly
    /// always the server and the phone of the message before or after it.
    recent: [Option<(crate::sip::Endpoint, (u32, u32))>; 2],
    /// The second of the last time written and its JSON text up to the milliseconds
    /// (`"2023-11-14 22:13:20.`): the date is worked out once a second, not once a message.
    second: Option<i64>,
    second_text: Vec<u8>,
    /// The kept headers it writes, found once.
    call_id: Option<crate::sip::KeptName>,
    cseq: Option<crate::sip::KeptName>,
}

impl<'a> MessageLines<'a> {
    fn new(a: &'a Analysis) -> Self {
        MessageLines {
            a,
            addr_text: Vec::new(),
            addrs: Default::default(),
            endpoints: Default::default(),
            recent: [None; 2],
            second: None,
            second_text: Vec::new(),
            call_id: crate::sip::KeptName::of("call-id"),
            cseq: crate::sip::KeptName::of("cseq"),
        }
    }

    /// `ts` as [`format_ts`] writes it, a JSON string at the end of `out`.
    fn time(&mut self, out: &mut Vec<u8>, ts: i64) -> serde_json::Result<()> {
        let second = ts.div_euclid(1_000_000_000);
        let Some(start) = second.checked_mul(1_000_000_000) else {
            return put(out, &format_ts(ts));
        };
        if self.second != Some(second) {
            let mut text = format_ts(start);
            // "….000": the milliseconds of a whole second, written below.
            text.truncate(text.len() - 3);
            self.second_text.clear();
            put(&mut self.second_text, &text)?;
            self.second_text.pop(); // the closing quote
            self.second = Some(second);
        }
        out.extend_from_slice(&self.second_text);
        let ms = (ts.rem_euclid(1_000_000_000) / 1_000_000) as u16;
        out.extend_from_slice(&[
            b'0' + (ms / 100) as u8,
            b'0' + (ms / 10 % 10) as u8,
            b'0' + (ms % 10) as u8,
            b'"',
        ]);
        Ok(())
    }

    /// An address as a JSON string (its `Display`), escaped once per address.
    #[cfg(test)]
    fn addr(
        &mut self,
        out: &mut Vec<u8>,
        e: impl Into<std::net::SocketAddr>,
    ) -> serde_json::Result<()> {
        let (from, to) = self.addr_place(e.into())?;
        out.extend_from_slice(&self.addr_text[from as usize..to as usize]);
        Ok(())
    }

    /// A message's or an exchange's address as a JSON string (its `Display`), escaped once
    /// per address (found by its 4-byte id, no address read).
    fn endpoint(&mut self, out: &mut Vec<u8>, e: crate::sip::Endpoint) -> serde_json::Result<()> {
        let (from, to) = match self.recent {
            [Some((x, r)), _] | [_, Some((x, r))] if x == e => r,
            _ => {
                let r = match self.endpoints.get(&e) {
                    Some(&r) => r,
                    None => {
                        let r = self.addr_place(*e)?;
                        self.endpoints.insert(e, r);
                        r
                    }
                };
                self.recent = [Some((e, r)), self.recent[0]];
                r
            }
        };
        out.extend_from_slice(&self.addr_text[from as usize..to as usize]);
        Ok(())
    }

    /// Where the written text of `e` is in `addr_text` (written there the first time).
    fn addr_place(&mut self, e: std::net::SocketAddr) -> serde_json::Result<(u32, u32)> {
        if let Some(&r) = self.addrs.get(&e) {
            return Ok(r);
        }
        let from = self.addr_text.len() as u32;
        put(&mut self.addr_text, &e.to_string())?;
        let r = (from, self.addr_text.len() as u32);
        self.addrs.insert(e, r);
        Ok(r)
    }

    /// `value` as a JSON string; the range of its escaped text (inside the quotes) in `out`.
    fn text(out: &mut Vec<u8>, value: &str) -> serde_json::Result<std::ops::Range<usize>> {
        let from = out.len() + 1;
        put_str(out, value)?;
        Ok(from..out.len() - 1)
    }

    fn write(&mut self, out: &mut Vec<u8>, m: &SipMessage) -> serde_json::Result<()> {
        let role = &self.a.roles[m.index()];
        kv(out, b"{\"index\":", &m.index())?;
        kv(out, b",\"frame\":", &m.frame())?;
        match &*m.frames() {
            // Nearly every message is one frame: no sequence to start and end through serde.
            [frame] => {
                kv(out, b",\"frames\":[", frame)?;
                out.push(b']');
            }
            frames => kv(out, b",\"frames\":", frames)?,
        }
        kv(out, b",\"ts_ns\":", &m.ts)?;
        out.extend_from_slice(b",\"time\":");
        self.time(out, m.ts)?;
        out.extend_from_slice(b",\"src\":");
        self.endpoint(out, m.src)?;
        out.extend_from_slice(b",\"dst\":");
        self.endpoint(out, m.dst)?;
        out.extend_from_slice(b",\"transport\":\"");
        out.extend_from_slice(m.transport().as_str().as_bytes());
        // The start line's fields, then the line itself from the text just written.
        let (first, second) = match &m.start() {
            StartLine::Request { method, uri } => {
                out.extend_from_slice(b"\",\"kind\":\"request\",\"method\":");
                let method = Self::text(out, method)?;
                out.extend_from_slice(b",\"request_uri\":");
                let uri = Self::text(out, uri)?;
                out.extend_from_slice(b",\"status\":null,\"reason\":null");
                (method, uri)
            }
            StartLine::Response { code, reason } => {
                out.extend_from_slice(
                    b"\",\"kind\":\"response\",\"method\":null,\"request_uri\":null,\"status\":",
                );
                let from = out.len();
                put(out, code)?;
                let code = from..out.len();
                out.extend_from_slice(b",\"reason\":");
                (code, Self::text(out, reason)?)
            }
        };
        out.extend_from_slice(b",\"line\":\"");
        out.extend_from_within(first);
        out.push(b' ');
        out.extend_from_within(second);
        out.extend_from_slice(b"\",\"call_id\":");
        // Call-ID and CSeq in one walk over the kept headers.
        let (mut call_id, mut cseq) = (None, None);
        for h in m.headers.iter() {
            if call_id.is_none() && Some(h.name) == self.call_id {
                call_id = Some(h.value.as_str());
            } else if cseq.is_none() && Some(h.name) == self.cseq {
                cseq = Some(h.value.as_str());
            }
        }
        put_opt_str(out, call_id)?;
        out.extend_from_slice(b",\"cseq\":");
        put_opt_str(out, cseq)?;
        out.extend_from_slice(b",\"retransmission_of\":");
        put_link(out, role.retransmission_of)?;
        out.extend_from_slice(b",\"exchange\":");
        put_link(out, role.exchange)?;
        match m.problems() {
            [] => out.extend_from_slice(b",\"problems\":[]"),
            problems => kv(out, b",\"problems\":", problems)?,
        }
        out.push(b'}');
        Ok(())
    }

    /// An entry of `exchanges[]`: the fields of the derived `Serialize` of [`Exchange`], in
    /// its order (the tests compare every line with it), each value through serde_json (strings
    /// with nothing to escape copied, [`put_str`]), the addresses from the cache of
    /// [`MessageLines::endpoint`], the names of the fields as bytes.
    fn exchange(&mut self, out: &mut Vec<u8>, e: &Exchange) -> serde_json::Result<()> {
        kv(out, b"{\"id\":", &e.id)?;
        out.extend_from_slice(b",\"method\":");
        put_str(out, &e.method)?;
        out.extend_from_slice(b",\"call_id\":");
        put_str(out, &e.call_id)?;
        out.extend_from_slice(b",\"client\":");
        self.endpoint(out, e.client)?;
        out.extend_from_slice(b",\"server\":");
        self.endpoint(out, e.server)?;
        out.extend_from_slice(b",\"from_user\":");
        put_opt_str(out, e.from_user.as_deref())?;
        out.extend_from_slice(b",\"to_user\":");
        put_opt_str(out, e.to_user.as_deref())?;
        out.extend_from_slice(b",\"request_uri\":");
        put_str(out, &e.request_uri)?;
        out.extend_from_slice(b",\"attempts\":[");
        for (i, x) in e.attempts.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            kv(out, b"{\"request\":", &x.request())?;
            kv(out, b",\"frame\":", &x.frame)?;
            kv(out, b",\"cseq\":", &x.cseq)?;
            out.extend_from_slice(b",\"credentials\":");
            put_opt_str(out, x.credentials.map(CredentialsHeader::as_str))?;
            kv(out, b",\"retransmissions\":", x.retransmissions())?;
            kv(out, b",\"responses\":", x.responses())?;
            kv(
                out,
                b",\"response_retransmissions\":",
                x.response_retransmissions(),
            )?;
            kv(out, b",\"final_status\":", &x.final_status)?;
            kv(out, b",\"acks\":", x.acks())?;
            kv(out, b",\"icmp\":", x.icmp())?;
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"outcome\":");
        put_str(out, e.outcome.as_str())?;
        kv(out, b",\"final_status\":", &e.final_status)?;
        kv(out, b",\"first_ts\":", &e.first_ts)?;
        kv(out, b",\"last_ts\":", &e.last_ts)?;
        kv(out, b",\"messages\":", &e.messages())?;
        out.push(b'}');
        Ok(())
    }
}

/// The fields of the `flows` JSON, which open the `analyze` JSON too: messages, exchanges,
/// ICMP/TLS notes, skip counts.
fn flows_fields<W: Write>(
    doc: &mut Doc<W>,
    a: &Analysis,
    help: &Helping,
) -> serde_json::Result<()> {
    doc.field("file", &a.file)?;
    doc.field("format", &a.format)?;
    doc.field("link_types", &a.link_types)?;
    doc.field("frames", &a.frames)?;
    doc.field("bytes", &a.bytes)?;
    doc.field("first_time", &a.first_ts.map(format_ts))?;
    doc.field("last_time", &a.last_ts.map(format_ts))?;
    let make = || MessageLines::new(a);
    doc.lines_in_parallel("messages", &a.messages, help, make, |l, out, m| {
        l.write(out, m)
    })?;
    doc.lines_in_parallel("exchanges", &a.exchanges, help, make, |l, out, e| {
        l.exchange(out, e)
    })?;
    doc.field("icmp", &a.icmp)?;
    doc.field("tls", &a.tls)?;
    doc.field("skips", &a.skips.counts)?;
    doc.field("skipped_total", &a.skips.total())
}

/// A finding in the JSON contract: the diagnosis's fields (its words in the report's
/// language), then `kb`, the id of the knowledge-base entry that guides the fix (joined here by
/// the finding's code).
#[derive(Serialize)]
struct FindingView<'a> {
    code: FindingCode,
    severity: Severity,
    title: String,
    explanation: String,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    causes: Vec<String>,
    evidence: Vec<EvidenceView>,
    #[serde(skip_serializing_if = "is_zero")]
    more_evidence: usize,
    exchanges: &'a [usize],
    kb: Option<&'static str>,
    /// The guided fix for this capture and its server (`fix::Fix`), in the report's language.
    fix: Option<crate::fix::Fix>,
}

/// An evidence line in the JSON contract (`frame`, `text`), in the report's language.
#[derive(Serialize)]
struct EvidenceView {
    frame: u64,
    text: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<'a> FindingView<'a> {
    fn new(a: &Analysis, f: &'a Finding, lang: Lang, facts: &Facts) -> Self {
        FindingView {
            code: f.code,
            severity: f.severity,
            title: f.title_in(lang),
            explanation: f.explanation_in(lang),
            causes: f.causes_in(lang),
            evidence: f
                .evidence
                .iter()
                .map(|e| EvidenceView {
                    frame: e.frame,
                    text: e.text_in(lang),
                })
                .collect(),
            more_evidence: f.more_evidence,
            exchanges: &f.exchanges,
            kb: kb::get(f.kb_id()).map(|e| e.id.as_str()),
            fix: crate::fix::capture::for_finding_given(a, f, lang, facts.servers, &facts.done),
        }
    }
}

/// An account in the JSON contract (`accounts[]`, names stable; see README).
#[derive(Serialize)]
struct AccountView<'a> {
    id: usize,
    user: &'a str,
    auth_user: Option<&'a str>,
    realm: Option<&'a str>,
    client: std::net::SocketAddr,
    server: std::net::SocketAddr,
    user_agent: Option<&'a str>,
    exchanges: &'a [usize],
    outcome: crate::transaction::Outcome,
    root_cause: Option<FindingCode>,
    findings: &'a [usize],
    attempts: usize,
    first_time: String,
    last_time: String,
}

impl<'a> AccountView<'a> {
    fn new(x: &'a crate::accounts::Account) -> Self {
        AccountView {
            id: x.id,
            user: &x.user,
            auth_user: x.auth_user.as_deref(),
            realm: x.realm.as_deref(),
            client: x.client,
            server: x.server,
            user_agent: x.user_agent.as_deref(),
            exchanges: &x.exchanges,
            outcome: x.outcome,
            root_cause: x.root_cause,
            findings: &x.findings,
            attempts: x.attempts,
            first_time: format_ts(x.first_seen),
            last_time: format_ts(x.last_seen),
        }
    }
}

/// What every finding's fix reads from the whole capture, worked out once for all of them.
struct Facts<'a> {
    servers: &'a [crate::diagnose::ServerInfo],
    done: Vec<crate::fix::Did>,
}

/// The diagnosis's part of the `analyze` JSON, in the report's language.
struct Diagnosis<'a> {
    findings: Vec<FindingView<'a>>,
    verifications: Vec<crate::verify::Verification>,
    servers: Vec<crate::diagnose::ServerInfo>,
    clock: Vec<crate::diagnose::server::ClockReading>,
    steps: Vec<crate::diagnose::StepReport>,
    census: Option<crate::accounts::Census>,
}

impl<'a> Diagnosis<'a> {
    fn new(a: &'a Analysis, lang: Lang) -> Self {
        Self::given(a, lang, diagnose::servers(a), diagnose::clock_readings(a))
    }

    /// With the server fingerprints and clock readings (which do not depend on the findings)
    /// already read.
    fn given(
        a: &'a Analysis,
        lang: Lang,
        servers: Vec<crate::diagnose::ServerInfo>,
        clock: Vec<crate::diagnose::server::ClockReading>,
    ) -> Self {
        let mut steps = diagnose::steps_given(a, &clock);
        let facts = Facts {
            servers: &servers,
            done: crate::fix::capture::done_given(a, &clock),
        };
        let findings = a
            .findings
            .iter()
            .map(|f| FindingView::new(a, f, lang, &facts))
            .collect();
        let mut census = a.census();
        let mut verifications = a.verifications.clone();
        if lang != Lang::En {
            for s in &mut steps {
                s.summary = s.summary_in(lang);
            }
            if let Some(c) = &mut census {
                c.sentence = c.sentence_in(lang);
            }
            for v in &mut verifications {
                v.explanation = v.explanation_in(lang);
                v.detail = v.texts.detail.iter().map(|t| t.render(lang)).collect();
            }
        }
        Diagnosis {
            findings,
            verifications,
            servers,
            clock,
            steps,
            census,
        }
    }

    fn write<W: Write>(&self, doc: &mut Doc<W>, a: &Analysis) -> serde_json::Result<()> {
        doc.field("findings", &self.findings)?;
        doc.field("verifications", &self.verifications)?;
        doc.field("servers", &self.servers)?;
        doc.field("clock", &self.clock)?;
        doc.field("steps", &self.steps)?;
        let accounts: Vec<AccountView> = a.accounts.iter().map(AccountView::new).collect();
        doc.field("accounts", &accounts)?;
        doc.field("census", &self.census)?;
        doc.field("has_error", &a.has_error())
    }
}

/// Write the `flows` JSON to `w`, streaming the message list.
pub fn write_flows_json(a: &Analysis, w: impl Write) -> serde_json::Result<()> {
    let mut doc = Doc::new(w);
    flows_fields(&mut doc, a, &Helping::new(true))?;
    doc.end()
}

/// Write the `analyze` JSON to `w`, fixes in English.
pub fn write_analysis_json(a: &Analysis, w: impl Write) -> serde_json::Result<()> {
    write_analysis_json_in(a, Lang::En, w)
}

/// Write the `analyze` JSON to `w`, its sentences (findings, verifications, step summaries,
/// the census, the fixes) in `lang`; field names and values are the same in every language.
pub fn write_analysis_json_in(a: &Analysis, lang: Lang, w: impl Write) -> serde_json::Result<()> {
    // The diagnosis's views (server fingerprints, clock readings and steps each read every
    // message) are worked out on a second thread while this one writes the messages and
    // exchanges, which come first and do not depend on them.
    let help = &Helping::new(false);
    std::thread::scope(|scope| {
        let diagnosis = scope.spawn(move || {
            let d = Diagnosis::new(a, lang);
            help.open();
            d
        });
        let mut doc = Doc::new(w);
        flows_fields(&mut doc, a, help)?;
        diagnosis.join().expect("no panic").write(&mut doc, a)?;
        doc.end()
    })
}

/// Diagnose `a`, loaded without its diagnosis (`analysis::analyze_stream_undiagnosed`), and
/// write its `analyze` JSON to `w` as [`write_analysis_json_in`] does. The messages and
/// exchanges, which come first, do not depend on the diagnosis: they are written on this
/// thread while another one runs every rule but the clock's, reads the clocks, then runs
/// the clock's rule on the readings the JSON lists (every message's clock read once; the
/// servers read once, for the rules and the JSON).
pub fn diagnose_and_write_json(
    a: &mut Analysis,
    lang: Lang,
    w: impl Write,
) -> serde_json::Result<()> {
    write_json_diagnosing(a, lang, w, false)
}

/// [`diagnose_and_write_json`] of an analysis loaded without its accounts either
/// (`analysis::analyze_stream_grouped`): they are built on a thread of their own meanwhile
/// (nothing before the diagnosis's fields needs them).
pub fn build_accounts_diagnose_and_write_json(
    a: &mut Analysis,
    lang: Lang,
    w: impl Write,
) -> serde_json::Result<()> {
    write_json_diagnosing(a, lang, w, true)
}

fn write_json_diagnosing(
    a: &mut Analysis,
    lang: Lang,
    w: impl Write,
    build_accounts: bool,
) -> serde_json::Result<()> {
    let mut doc = Doc::new(w);
    let shared = &*a;
    let help = &Helping::new(false);
    let (findings, servers, clock, accounts) = std::thread::scope(|scope| {
        // The rules (with the servers' fingerprints they read), then the clock readings,
        // on the other thread: about as long as writing the messages and exchanges here,
        // which that thread then helps with.
        let rules = scope.spawn(move || {
            let mut rules = diagnose::diagnose_but_clock(shared);
            let clock = diagnose::clock_readings(shared);
            let servers = rules.take_servers();
            help.open();
            (rules.finish(shared, &clock), servers, clock)
        });
        let accounts = build_accounts
            .then(|| scope.spawn(|| crate::accounts::build(&shared.messages, &shared.exchanges)));
        flows_fields(&mut doc, shared, help)?;
        let (findings, servers, clock) = rules.join().expect("no panic");
        let accounts = accounts.map(|t| t.join().expect("no panic"));
        serde_json::Result::Ok((findings, servers, clock, accounts))
    })?;
    if let Some(accounts) = accounts {
        a.accounts = accounts;
    }
    a.set_findings(findings);
    Diagnosis::given(a, lang, servers, clock).write(&mut doc, a)?;
    doc.end()
}

/// The `flows` JSON as a value.
pub fn flows_json(a: &Analysis) -> Value {
    let mut buf = Vec::new();
    write_flows_json(a, &mut buf).expect("serializable");
    serde_json::from_slice(&buf).expect("valid JSON")
}

/// The `analyze` JSON as a value.
pub fn analysis_json(a: &Analysis) -> Value {
    let mut buf = Vec::new();
    write_analysis_json(a, &mut buf).expect("serializable");
    serde_json::from_slice(&buf).expect("valid JSON")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::Sym;
    use std::path::{Path, PathBuf};

    /// A start line's fields in `messages[]`: `kind`, `method`, `request_uri`, `status`, `reason`.
    type StartFields<'a> = (
        &'static str,
        Option<&'a str>,
        Option<&'a str>,
        Option<u16>,
        Option<&'a str>,
    );

    fn start_fields(start: &StartLine) -> StartFields<'static> {
        match start {
            StartLine::Request { method, uri } => (
                "request",
                Some(method.as_str()),
                Some(uri.as_str()),
                None,
                None,
            ),
            StartLine::Response { code, reason } => {
                ("response", None, None, Some(*code), Some(reason.as_str()))
            }
        }
    }

    /// The reference the hand-written message lines are checked against: the same fields
    /// through serde's derive (what `messages[]` was written with before).
    #[derive(Serialize)]
    struct MessageView<'a> {
        index: usize,
        frame: u64,
        frames: crate::sip::MessageFrames<'a>,
        ts_ns: i64,
        time: String,
        src: std::net::SocketAddr,
        dst: std::net::SocketAddr,
        transport: crate::capture::Transport,
        kind: &'static str,
        method: Option<&'a str>,
        request_uri: Option<&'a str>,
        status: Option<u16>,
        reason: Option<&'a str>,
        line: String,
        call_id: Option<&'a str>,
        cseq: Option<&'a str>,
        retransmission_of: Option<usize>,
        exchange: Option<usize>,
        problems: &'a [String],
    }

    impl<'a> MessageView<'a> {
        fn new(a: &'a Analysis, m: &'a SipMessage) -> Self {
            let role = &a.roles[m.index()];
            let (kind, method, request_uri, status, reason) = start_fields(&m.start());
            MessageView {
                index: m.index(),
                frame: m.frame(),
                frames: m.frames(),
                ts_ns: m.ts,
                time: format_ts(m.ts),
                src: *m.src,
                dst: *m.dst,
                transport: m.transport(),
                kind,
                method,
                request_uri,
                status,
                reason,
                line: m.start().to_string(),
                call_id: m.call_id(),
                cseq: m.header("cseq"),
                retransmission_of: role.retransmission_of.get(),
                exchange: role.exchange.get(),
                problems: m.problems(),
            }
        }
    }

    /// The `flows` document as serde's derive writes it, compact, keys in contract order.
    #[derive(Serialize)]
    struct FlowsView<'a> {
        file: &'a str,
        format: &'a str,
        link_types: &'a [String],
        frames: u64,
        bytes: u64,
        first_time: Option<String>,
        last_time: Option<String>,
        messages: Vec<MessageView<'a>>,
        exchanges: &'a [crate::transaction::Exchange],
        icmp: &'a [crate::transaction::IcmpNote],
        tls: &'a [crate::model::TlsNote],
        skips: &'a std::collections::BTreeMap<crate::capture::SkipReason, u64>,
        skipped_total: u64,
    }

    fn reference(a: &Analysis) -> String {
        serde_json::to_string(&FlowsView {
            file: &a.file,
            format: &a.format,
            link_types: &a.link_types,
            frames: a.frames,
            bytes: a.bytes,
            first_time: a.first_ts.map(format_ts),
            last_time: a.last_ts.map(format_ts),
            messages: a.messages.iter().map(|m| MessageView::new(a, m)).collect(),
            exchanges: &a.exchanges,
            icmp: &a.icmp,
            tls: &a.tls,
            skips: &a.skips.counts,
            skipped_total: a.skips.total(),
        })
        .unwrap()
    }

    /// `json` without the whitespace between its tokens (kept inside strings).
    fn minified(json: &str) -> String {
        let (mut out, mut in_str, mut escaped) = (String::new(), false, false);
        for c in json.chars() {
            if in_str {
                in_str = escaped || c != '"';
                escaped = !escaped && c == '\\';
            } else if c.is_ascii_whitespace() {
                continue;
            } else {
                in_str = c == '"';
            }
            out.push(c);
        }
        out
    }

    /// Every capture of tests/fixtures and tests/fixtures/thirdparty that analyses.
    fn analyses() -> Vec<(PathBuf, Analysis)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut paths: Vec<PathBuf> = [root.clone(), root.join("thirdparty")]
            .iter()
            .flat_map(|d| std::fs::read_dir(d).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "pcap" || x == "pcapng"))
            .collect();
        paths.sort();
        let cancel = std::sync::atomic::AtomicBool::new(false);
        paths
            .into_iter()
            .filter_map(|p| {
                let a = crate::analysis::analyze_file(&p, &mut |_| {}, &cancel).ok()?;
                Some((p, a))
            })
            .collect()
    }

    /// The entry lines of top-level array `name` in a written document.
    fn entry_lines<'t>(doc: &'t str, name: &str) -> Vec<&'t str> {
        let open = format!("  \"{name}\": [");
        doc.lines()
            .skip_while(|l| *l != open)
            .skip(1)
            .take_while(|l| *l != "  ]" && *l != "  ],")
            .collect()
    }

    #[test]
    fn the_flows_document_is_serde_s_with_one_line_per_message_and_exchange() {
        let all = analyses();
        assert!(all.len() >= 30, "{} captures", all.len());
        let mut seen = 0;
        for (path, mut a) in all {
            // Values that need escaping, in the fields the writer formats itself.
            if let Some(m) = a.messages.first_mut() {
                m.set_start(StartLine::Request {
                    method: Sym::new("RE\"GI\\STER"),
                    uri: Sym::new("sip:é\u{1}\n\t@x"),
                });
                m.push_problem("a \"quoted\"\r\nline\u{7f}".into());
            }
            let mut buf = Vec::new();
            write_flows_json(&a, &mut buf).unwrap();
            let doc = String::from_utf8(buf).unwrap();
            let name = path.display();
            assert_eq!(minified(&doc), reference(&a), "{name}");
            let v: Value = serde_json::from_str(&doc).unwrap();
            assert_eq!(v, flows_json(&a), "{name}");
            // One compact line per entry, the rest as serde's pretty printer writes it.
            let msgs = entry_lines(&doc, "messages");
            assert_eq!(msgs.len(), a.messages.len(), "{name}");
            for (line, m) in msgs.iter().zip(&a.messages) {
                let json = line.trim_start().trim_end_matches(',');
                assert_eq!(line.len() - line.trim_start().len(), 4);
                let want = serde_json::to_string(&MessageView::new(&a, m)).unwrap();
                assert_eq!(json, want, "{name}");
            }
            let exs = entry_lines(&doc, "exchanges");
            assert_eq!(exs.len(), a.exchanges.len(), "{name}");
            for (line, e) in exs.iter().zip(&a.exchanges) {
                let json = line.trim_start().trim_end_matches(',');
                assert_eq!(json, serde_json::to_string(e).unwrap(), "{name}");
            }
            let head = doc.split("  \"messages\": ").next().unwrap();
            let pretty_head = serde_json::to_string_pretty(&serde_json::json!({
                "file": a.file,
            }))
            .unwrap();
            assert!(
                head.starts_with(pretty_head.trim_end_matches("\n}")),
                "{name}"
            );
            seen += a.messages.len();
        }
        assert!(seen > 100, "{seen} messages");
    }

    /// The cached pieces of a message line (a second's text, an address's) are what
    /// `format_ts` and `Display` write, whatever came before them: times across second
    /// boundaries, before 1970 and at the ends of the range; IPv4 and IPv6 addresses.
    #[test]
    fn the_cached_time_and_address_texts_are_the_formatted_ones() {
        let a = crate::testutil::fixture("01-register-ok.pcap");
        let mut lines = MessageLines::new(&a);
        let times = [
            1_700_000_000_999_999_999,
            1_700_000_001_000_000_000,
            1_700_000_001_000_999_999,
            1_700_000_000_001_000_000,
            0,
            -1,
            -1_000_000_000,
            -999_999_999,
            i64::MAX,
            i64::MIN,
            1_700_000_001_500_000_000,
        ];
        for ts in times {
            let mut out = Vec::new();
            lines.time(&mut out, ts).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&format_ts(ts)).unwrap(),
                "{ts}"
            );
        }
        let addrs = ["192.0.2.1:5060", "[2001:db8::1]:5061", "192.0.2.1:5060"];
        for text in addrs {
            let addr: std::net::SocketAddr = text.parse().unwrap();
            let mut out = Vec::new();
            lines.addr(&mut out, addr).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{text}\""));
        }
        assert_eq!(lines.addrs.len(), 2, "each address escaped once");
        // A message's address id finds the same text, written once.
        let written = lines.addr_text.len();
        for text in addrs {
            let addr: std::net::SocketAddr = text.parse().unwrap();
            let mut out = Vec::new();
            lines.endpoint(&mut out, addr.into()).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{text}\""));
        }
        assert_eq!((lines.endpoints.len(), lines.addr_text.len()), (2, written));
    }

    /// The two addresses kept at hand ([`MessageLines::endpoint`]) give each address's own
    /// text in any order of three and more: the messages of the office capture (24 phones,
    /// one server), then a sequence that goes round three addresses both ways.
    #[test]
    fn recent_addresses_are_written_as_themselves() {
        let a = crate::testutil::fixture("13-office-register-mixed.pcap");
        let mut lines = MessageLines::new(&a);
        let mut ends: Vec<crate::sip::Endpoint> =
            a.messages.iter().flat_map(|m| [m.src, m.dst]).collect();
        let (x, y) = (ends[0], ends[1]);
        let z = *ends.iter().find(|&&e| e != x && e != y).unwrap();
        assert!(x != y);
        ends.extend([x, y, z, x, z, y, y, x, z, z, x, y]);
        for e in ends {
            let mut out = Vec::new();
            lines.endpoint(&mut out, e).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{}\"", *e));
        }
    }

    /// A string copied between quotes ([`put_str`]) is the bytes serde_json writes, and
    /// [`needs_escaping`] says exactly when serde_json escapes: for the values of a real
    /// capture (Call-IDs, CSeqs, URIs, reasons, users), for every byte serde_json escapes or
    /// leaves (each control character, quote, backslash, DEL, non-ASCII, U+2028 and
    /// U+2029, emoji), alone and in the middle and at the ends of those values.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let a = crate::testutil::fixture("13-office-register-mixed.pcap");
        let mut values: Vec<String> = Vec::new();
        for m in &a.messages {
            values.extend(
                [m.call_id(), m.header("cseq"), m.header("from")].map(|v| v.unwrap().to_string()),
            );
            values.push(m.start().to_string());
        }
        for e in &a.exchanges {
            values.extend([&*e.request_uri, &*e.method].map(str::to_string));
            values.extend(e.from_user.iter().chain(&e.to_user).map(|u| u.to_string()));
        }
        assert!(values.len() > 500);
        let mut odd: Vec<String> = (0u8..0x20).map(|b| char::from(b).to_string()).collect();
        odd.extend(
            [
                "",
                "\"",
                "\\",
                "\u{7f}",
                "é",
                "\u{2028}",
                "\u{2029}",
                "日本",
                "\u{1F600}",
                "\\\"",
            ]
            .map(String::from),
        );
        let mut all = values.clone();
        for (i, o) in odd.iter().enumerate() {
            let v = &values[i * 7 % values.len()];
            let mid = v.len() / 2;
            let mid = (0..=mid).rev().find(|&k| v.is_char_boundary(k)).unwrap();
            all.extend([
                o.clone(),
                format!("{o}{v}"),
                format!("{v}{o}"),
                format!("{}{o}{}", &v[..mid], &v[mid..]),
            ]);
        }
        let mut escaped = 0;
        for v in &all {
            let want = serde_json::to_vec(v).unwrap();
            let mut got = Vec::new();
            put_str(&mut got, v).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want.clone()).unwrap()
            );
            let plain = want == format!("\"{v}\"").into_bytes();
            assert_eq!(needs_escaping(v.as_bytes()), !plain, "{v:?}");
            escaped += usize::from(!plain);
        }
        // Both paths taken: every control character, quote and backslash escaped.
        assert!(escaped >= 4 * 0x22, "{escaped}");
        let mut null = Vec::new();
        put_opt_str(&mut null, None).unwrap();
        assert_eq!(null, serde_json::to_vec(&None::<&str>).unwrap());
    }

    /// The array written a chunk at a time on two threads is, byte for byte, the one written
    /// on one thread: for every length around the chunk boundaries (none, one, a chunk, a
    /// chunk and one, ...) and for the whole lists of real captures (many chunks).
    #[test]
    fn arrays_written_on_two_threads_are_the_ones_written_on_one() {
        fn both<T: Sync>(
            a: &Analysis,
            items: &[T],
            entry: impl Fn(&mut MessageLines, &mut Vec<u8>, &T) -> serde_json::Result<()> + Sync,
        ) -> (Vec<u8>, Vec<u8>) {
            let (mut one, mut two) = (Vec::new(), Vec::new());
            let mut doc = Doc::new(&mut one);
            let mut lines = MessageLines::new(a);
            doc.lines("x", items, |out, item| entry(&mut lines, out, item))
                .unwrap();
            doc.end().unwrap();
            let mut doc = Doc::new(&mut two);
            let help = Helping::new(true);
            doc.lines_in_parallel("x", items, &help, || MessageLines::new(a), &entry)
                .unwrap();
            doc.end().unwrap();
            // A helper never let in (the writing thread does it all), or let in while the
            // array is written: the same bytes too.
            for late in [None, Some(std::time::Duration::from_micros(200))] {
                let mut three = Vec::new();
                let mut doc = Doc::new(&mut three);
                let help = &Helping::new(false);
                std::thread::scope(|scope| {
                    if let Some(after) = late {
                        scope.spawn(move || {
                            std::thread::sleep(after);
                            help.open();
                        });
                    }
                    doc.lines_in_parallel("x", items, help, || MessageLines::new(a), &entry)
                        .unwrap();
                });
                doc.end().unwrap();
                assert_eq!(three, two);
            }
            (one, two)
        }
        let a = crate::testutil::fixture("13-office-register-mixed.pcap");
        assert!(a.messages.len() > 10 * CHUNK && a.exchanges.len() > 5 * CHUNK);
        for n in (0..=3 * CHUNK + 1).chain([a.messages.len() - 1, a.messages.len()]) {
            let (one, two) = both(&a, &a.messages[..n], |l, out, m| l.write(out, m));
            assert_eq!(
                String::from_utf8(two).unwrap(),
                String::from_utf8(one).unwrap()
            );
        }
        for n in (0..=2 * CHUNK + 1).chain([a.exchanges.len()]) {
            let (one, two) = both(&a, &a.exchanges[..n], |l, out, e| l.exchange(out, e));
            assert_eq!(
                String::from_utf8(two).unwrap(),
                String::from_utf8(one).unwrap()
            );
        }
    }

    /// A writer that fails stops the two threads with its error (none waits for ever).
    #[test]
    fn a_failing_writer_stops_both_threads() {
        struct Fails(usize);
        impl Write for Fails {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("disk full"));
                }
                self.0 -= 1;
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let a = crate::testutil::fixture("13-office-register-mixed.pcap");
        let mut doc = Doc::new(Fails(0));
        doc.buf.resize(SPILL, b' ');
        let help = Helping::new(true);
        let r = doc.lines_in_parallel(
            "m",
            &a.messages,
            &help,
            || MessageLines::new(&a),
            |l, out, m| l.write(out, m),
        );
        assert!(r.unwrap_err().to_string().contains("disk full"));
    }

    #[test]
    fn the_analyze_document_opens_with_the_flows_one_and_writes_the_rest_pretty() {
        let a = crate::testutil::fixture("13-office-register-mixed.pcap");
        let (mut flows, mut full) = (Vec::new(), Vec::new());
        write_flows_json(&a, &mut flows).unwrap();
        write_analysis_json_in(&a, Lang::Vi, &mut full).unwrap();
        let (flows, full) = (
            String::from_utf8(flows).unwrap(),
            String::from_utf8(full).unwrap(),
        );
        // The flows document without its closing brace, then the diagnosis's fields.
        let open = flows.strip_suffix("\n}").unwrap();
        assert!(full.starts_with(open));
        let rest = &full[open.len()..];
        assert!(
            rest.starts_with(",\n  \"findings\": [\n    {\n      \"code\": "),
            "{rest:.80}"
        );
        assert!(rest.ends_with("\n  \"has_error\": true\n}"));
        let v: Value = serde_json::from_str(&full).unwrap();
        assert_eq!(v["accounts"].as_array().unwrap().len(), a.accounts.len());
        assert_eq!(
            v["census"]["sentence"],
            a.census().unwrap().sentence_in(Lang::Vi)
        );
        assert_eq!(v["messages"].as_array().unwrap().len(), a.messages.len());
    }

    #[test]
    fn diagnosing_while_writing_gives_the_document_of_a_diagnosed_analysis() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let cancel = std::sync::atomic::AtomicBool::new(false);
        for (name, lang) in [
            ("13-office-register-mixed.pcap", Lang::En),
            ("10a-register-brute-force-403.pcap", Lang::Zh),
            ("11-register-date-skew.pcap", Lang::Vi),
            ("06-register-no-listener.pcap", Lang::En),
        ] {
            let path = dir.join(name);
            let diagnosed = crate::analysis::analyze_file(&path, &mut |_| {}, &cancel).unwrap();
            let mut want = Vec::new();
            write_analysis_json_in(&diagnosed, lang, &mut want).unwrap();
            let stream = crate::capture::PacketStream::open(&path).unwrap();
            let name_shown = path.display().to_string();
            let mut a = crate::analysis::analyze_stream_undiagnosed(
                stream,
                &name_shown,
                &mut |_| {},
                &cancel,
            )
            .unwrap();
            assert!(a.findings.is_empty(), "{name}: not diagnosed yet");
            let mut got = Vec::new();
            diagnose_and_write_json(&mut a, lang, &mut got).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want.clone()).unwrap()
            );
            assert_eq!(a.findings.len(), diagnosed.findings.len(), "{name}");
            assert!(!a.findings.is_empty(), "{name}");
            // Loaded without the accounts too: they are built while the JSON is written.
            let stream = crate::capture::PacketStream::open(&path).unwrap();
            let mut b =
                crate::analysis::analyze_stream_grouped(stream, &name_shown, &mut |_| {}, &cancel)
                    .unwrap();
            assert!(b.accounts.is_empty() && !b.exchanges.is_empty(), "{name}");
            let mut built_meanwhile = Vec::new();
            build_accounts_diagnose_and_write_json(&mut b, lang, &mut built_meanwhile).unwrap();
            assert!(built_meanwhile == want, "{name}: the same bytes");
            assert_eq!(b.accounts.len(), diagnosed.accounts.len(), "{name}");
        }
    }
}
