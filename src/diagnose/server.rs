//! Server fingerprint and what the nonce tells about the server's clock.
//!
//! Nonce shapes (facts from the servers' sources and docs, see kb entries for references):
//! - Asterisk PJSIP: `<unix seconds>/<32 hex>`: the time the nonce was made, then an MD5 over
//!   time, secret and the request's addresses; stateless, default lifetime 32 s.
//! - Kamailio `auth` module: base64 of at least 24 bytes whose first two big-endian u32 are the
//!   expiry and the issue time (seconds), then an MD5; default `nonce_expire` 300 s.
//! - FreeSWITCH: a UUID; default nonce lifetime 60 s (`nonce-ttl`).

use serde::Serialize;

use crate::capture::Nanos;
use crate::time::{days_from_civil, format_ts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServerKind {
    AsteriskPjsip,
    AsteriskChanSip,
    Asterisk,
    FreeSwitch,
    Kamailio,
    OpenSips,
    Unknown,
}

impl ServerKind {
    pub fn label(self) -> &'static str {
        match self {
            ServerKind::AsteriskPjsip => "Asterisk (PJSIP)",
            ServerKind::AsteriskChanSip => "Asterisk (chan_sip)",
            ServerKind::Asterisk => "Asterisk",
            ServerKind::FreeSwitch => "FreeSWITCH",
            ServerKind::Kamailio => "Kamailio",
            ServerKind::OpenSips => "OpenSIPS",
            ServerKind::Unknown => "the server",
        }
    }
    /// Default nonce lifetime in seconds, when known.
    pub fn nonce_lifetime(self) -> Option<i64> {
        match self {
            ServerKind::AsteriskPjsip => Some(32),
            ServerKind::Kamailio => Some(300),
            ServerKind::FreeSwitch => Some(60),
            _ => None,
        }
    }
}

/// What a nonce reveals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "shape", rename_all = "kebab-case")]
pub enum NonceInfo {
    /// `<seconds>/<hex>`: issue time in Unix seconds.
    AsteriskPjsip {
        issued: i64,
    },
    /// Kamailio: expiry and issue time in Unix seconds.
    Kamailio {
        expires: i64,
        issued: i64,
    },
    /// A UUID.
    FreeSwitch,
    Opaque,
}

impl NonceInfo {
    pub fn issued(&self) -> Option<i64> {
        match self {
            NonceInfo::AsteriskPjsip { issued } | NonceInfo::Kamailio { issued, .. } => {
                Some(*issued)
            }
            _ => None,
        }
    }
    pub fn kind(&self) -> ServerKind {
        match self {
            NonceInfo::AsteriskPjsip { .. } => ServerKind::AsteriskPjsip,
            NonceInfo::Kamailio { .. } => ServerKind::Kamailio,
            NonceInfo::FreeSwitch => ServerKind::FreeSwitch,
            NonceInfo::Opaque => ServerKind::Unknown,
        }
    }
}

/// Plausible Unix times for a nonce: 2000-01-01 .. 2100-01-01.
fn plausible(t: i64) -> bool {
    (946_684_800..4_102_444_800).contains(&t)
}

/// Decode a nonce's shape.
pub fn decode_nonce(nonce: &str) -> NonceInfo {
    if let Some((secs, hash)) = nonce.split_once('/')
        && !secs.is_empty()
        && secs.bytes().all(|b| b.is_ascii_digit())
        && hash.len() == 32
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
        && let Ok(t) = secs.parse::<i64>()
        && plausible(t)
    {
        return NonceInfo::AsteriskPjsip { issued: t };
    }
    if is_uuid(nonce) {
        return NonceInfo::FreeSwitch;
    }
    if let Some((len, bytes)) = base64_head(nonce)
        && len >= 24
    {
        let expires = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as i64;
        let issued = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as i64;
        if plausible(expires)
            && plausible(issued)
            && expires >= issued
            && expires - issued <= 86_400
        {
            return NonceInfo::Kamailio { expires, issued };
        }
    }
    NonceInfo::Opaque
}

fn is_uuid(s: &str) -> bool {
    let lens = [8, 4, 4, 4, 12];
    let mut parts = 0;
    for (i, p) in s.split('-').enumerate() {
        if i >= lens.len() || p.len() != lens[i] || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
            return false;
        }
        parts += 1;
    }
    parts == lens.len()
}

/// What [`base64_decode`] gives, without the copy: the decoded length and its first 8
/// bytes (zeros past the end). A nonce is decoded for every challenge of the capture.
fn base64_head(s: &str) -> Option<(usize, [u8; 8])> {
    let mut head = [0u8; 8];
    let mut len = 0;
    base64_each(s, |byte| {
        if len < head.len() {
            head[len] = byte;
        }
        len += 1;
    })?;
    Some((len, head))
}

/// The value of a base64 character (standard or URL-safe alphabet).
fn base64_value(b: u8) -> Option<u8> {
    Some(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    })
}

/// Each decoded byte of standard base64 (RFC 4648 section 4), padding optional, given to
/// `out`; `None` on any other character.
fn base64_each(s: &str, mut out: impl FnMut(u8)) -> Option<()> {
    let s = s.trim_end_matches('=');
    let mut acc = 0u32;
    let mut bits = 0;
    for b in s.bytes() {
        let v = base64_value(b)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(())
}

/// Standard base64 (RFC 4648 section 4), padding optional; `None` on any other character.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    base64_each(s, |b| out.push(b))?;
    Some(out)
}

/// Guess the server from a `Server:`/`User-Agent:` value.
pub fn kind_from_agent(agent: &str) -> ServerKind {
    let a = agent.to_ascii_lowercase();
    if a.contains("freeswitch") {
        ServerKind::FreeSwitch
    } else if a.contains("kamailio") {
        ServerKind::Kamailio
    } else if a.contains("opensips") {
        ServerKind::OpenSips
    } else if a.contains("asterisk") {
        ServerKind::Asterisk
    } else {
        ServerKind::Unknown
    }
}

/// Combine what the header says and what the nonce shape says.
pub fn combine(agent: ServerKind, nonce: ServerKind) -> ServerKind {
    match (agent, nonce) {
        (ServerKind::Asterisk, ServerKind::AsteriskPjsip) => ServerKind::AsteriskPjsip,
        // chan_sip nonces are 8 hex digits from random() (opaque to us).
        (ServerKind::Asterisk, ServerKind::Unknown) => ServerKind::Asterisk,
        (ServerKind::Unknown, n) => n,
        (a, _) => a,
    }
}

/// Parse an RFC 1123 date as in the SIP Date header (RFC 3261 20.17):
/// `Sat, 13 Nov 2010 23:29:00 GMT`. Returns Unix seconds.
pub fn parse_http_date(v: &str) -> Option<i64> {
    let v = v.trim();
    let rest = v.split_once(',').map(|(_, r)| r).unwrap_or(v);
    let mut it = rest.split_whitespace();
    let day: u32 = it.next()?.parse().ok()?;
    let mon = it.next()?.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = months.iter().position(|m| mon.starts_with(m))? as u32 + 1;
    let year: i64 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':');
    let h: i64 = hms.next()?.parse().ok()?;
    let mi: i64 = hms.next()?.parse().ok()?;
    let s: i64 = hms.next()?.parse().ok()?;
    if !(1..=31).contains(&day) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + mi * 60 + s)
}

/// One reading of a server's clock.
#[derive(Debug, Clone, Serialize)]
pub struct ClockReading {
    pub frame: u64,
    /// "nonce (Asterisk PJSIP)", "nonce (Kamailio)", "Date header".
    pub source: String,
    pub value: String,
    /// Server time, Unix seconds.
    pub server_time: i64,
    /// Capture time of the frame.
    pub capture_ts: Nanos,
    /// server - capture, seconds (positive: server ahead).
    pub skew_secs: i64,
    /// Which side's clock it shows: "server" (its response or nonce) or "client" (a request's Date).
    pub side: String,
}

impl ClockReading {
    pub fn describe(&self) -> String {
        self.describe_text().en()
    }

    /// Where the reading comes from, as a message ("Date header", "nonce (Kamailio)").
    pub fn source_text(&self) -> crate::msg::Text {
        match self
            .source
            .strip_prefix("nonce (")
            .and_then(|s| s.strip_suffix(')'))
        {
            Some(server) => crate::text!(SrcNonce, server = server),
            None => crate::text!(SrcDateHeader),
        }
    }

    /// [`ClockReading::describe`] as a message.
    pub fn describe_text(&self) -> crate::msg::Text {
        use crate::msg::Arg;
        let source = self.source_text();
        if self.skew_secs >= 0 {
            crate::text!(EvClockAhead)
        } else {
            crate::text!(EvClockBehind)
        }
        .arg("source", source)
        .arg("frame", self.frame)
        .arg("value", &self.value)
        .arg("time", format_ts(self.capture_ts))
        .arg("dur", Arg::Duration(self.skew_secs.unsigned_abs()))
    }

    /// The phone's clock (a Date header it sent), not the server's.
    pub fn is_client(&self) -> bool {
        self.side == "client"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_shapes() {
        assert_eq!(
            decode_nonce("1700000000/0123456789abcdef0123456789abcdef"),
            NonceInfo::AsteriskPjsip {
                issued: 1_700_000_000
            }
        );
        assert_eq!(
            decode_nonce("8c3b4a2e-1f0a-4b5c-9d6e-7f8091a2b3c4"),
            NonceInfo::FreeSwitch
        );
        // expires 1700000300, issued 1700000000, then 16 bytes of hash: base64 of 24 bytes.
        let mut raw = Vec::new();
        raw.extend_from_slice(&1_700_000_300u32.to_be_bytes());
        raw.extend_from_slice(&1_700_000_000u32.to_be_bytes());
        raw.extend_from_slice(&[0xab; 16]);
        let b64 = encode(&raw);
        assert_eq!(
            decode_nonce(&b64),
            NonceInfo::Kamailio {
                expires: 1_700_000_300,
                issued: 1_700_000_000
            }
        );
        assert_eq!(decode_nonce("4e6f6e6365"), NonceInfo::Opaque);
        assert_eq!(decode_nonce(""), NonceInfo::Opaque);
    }

    fn encode(b: &[u8]) -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = String::new();
        for c in b.chunks(3) {
            let n = (c[0] as u32) << 16
                | (*c.get(1).unwrap_or(&0) as u32) << 8
                | *c.get(2).unwrap_or(&0) as u32;
            for i in 0..=c.len() {
                s.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        while !s.len().is_multiple_of(4) {
            s.push('=');
        }
        s
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sat, 13 Nov 2010 23:29:00 GMT"),
            Some(1_289_690_940)
        );
        assert_eq!(parse_http_date("garbage"), None);
    }

    #[test]
    fn agents() {
        assert_eq!(
            kind_from_agent("kamailio (5.6.3 (x86_64/linux))"),
            ServerKind::Kamailio
        );
        assert_eq!(
            combine(
                kind_from_agent("Asterisk PBX 20.5.0"),
                ServerKind::AsteriskPjsip
            ),
            ServerKind::AsteriskPjsip
        );
    }

    #[test]
    fn base64_head_is_the_start_of_base64_decode() {
        for s in [
            "",
            "QQ",
            "QUJD",
            "QUJDRA==",
            "YWJjZGVmZ2hpams=",
            "a-b_c+d/",
            "bad!",
            "ZmO",
        ] {
            let full = base64_decode(s);
            let head = base64_head(s);
            assert_eq!(full.is_some(), head.is_some(), "{s}");
            if let (Some(f), Some((len, h))) = (full, head) {
                assert_eq!(f.len(), len, "{s}");
                let n = len.min(8);
                assert_eq!(f[..n], h[..n], "{s}");
            }
        }
    }
}
