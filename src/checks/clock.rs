//! Clock status pasted from the server or the phone's host: is the clock synchronised, and by
//! how much is it off?
//!
//! Why it matters for SIP auth: a server that builds time-stamped nonces (Asterisk PJSIP, and
//! Kamailio's `nonce_expire`, 300 s by default) rejects an answer to a nonce it thinks is too old;
//! and TLS certificates fail outside their validity window. The seed guide's rule of thumb is
//! that a difference of more than 5 minutes breaks digest authentication.
//!
//! Formats recognised (detected automatically): `timedatectl status` (systemd >= 235 and the
//! older `NTP synchronized:` layout), `timedatectl timesync-status`, `chronyc tracking`,
//! `ntpq -p` (ntp classic and ntpsec share the columns), Windows `w32tm /query /status`,
//! macOS `sntp` and `systemsetup -getusingnetworktime` / `-getnetworktimeserver`.
//!
//! Offset convention: `offset_ms` is how far THIS machine's clock is from the reference,
//! positive when it is ahead (fast). NTP tools print the opposite quantity, the offset of the
//! server relative to this host (RFC 5905 section 8: theta = server - client), so their sign
//! is flipped here.

use serde::Serialize;

use crate::msg::{self, Msg, Text};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Synced {
    Yes,
    No,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockFormat {
    TimedatectlStatus,
    TimedatectlTimesyncStatus,
    ChronycTracking,
    NtpqPeers,
    W32tmStatus,
    MacSntp,
    MacSystemsetup,
}

impl ClockFormat {
    pub fn label(self) -> &'static str {
        match self {
            ClockFormat::TimedatectlStatus => "timedatectl status",
            ClockFormat::TimedatectlTimesyncStatus => "timedatectl timesync-status",
            ClockFormat::ChronycTracking => "chronyc tracking",
            ClockFormat::NtpqPeers => "ntpq -p",
            ClockFormat::W32tmStatus => "w32tm /query /status",
            ClockFormat::MacSntp => "sntp (macOS)",
            ClockFormat::MacSystemsetup => "systemsetup (macOS)",
        }
    }
}

/// What the paste says about the clock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockStatus {
    pub format: ClockFormat,
    pub synchronised: Synced,
    /// This clock minus the reference, in milliseconds (positive: this clock is ahead).
    pub offset_ms: Option<f64>,
    /// The time source (server name/address, or reference ID).
    pub source: Option<String>,
    pub stratum: Option<u32>,
    /// Facts worth showing (e.g. "ntp service: inactive"), in any language; English in JSON.
    pub notes: Vec<Text>,
}

/// Offsets above this are reported as a problem even when the clock claims to be synchronised.
pub const OFFSET_WARN_MS: f64 = 1000.0;
/// The seed guide's "more than 5 minutes" threshold at which digest nonces are rejected.
pub const OFFSET_BREAKS_AUTH_MS: f64 = 300_000.0;

impl ClockStatus {
    /// True when the status shows something wrong: not synchronised, or off by more than 1 s.
    pub fn is_problem(&self) -> bool {
        self.synchronised == Synced::No || self.offset_ms.is_some_and(|o| o.abs() > OFFSET_WARN_MS)
    }

    /// One line for the technician.
    pub fn summary(&self) -> String {
        self.summary_in(crate::msg::Lang::En)
    }

    /// [`ClockStatus::summary`] in `lang`.
    pub fn summary_in(&self, lang: crate::msg::Lang) -> String {
        use crate::msg::Msg;
        use crate::text;
        let sync = match self.synchronised {
            Synced::Yes => Msg::ClkSynced,
            Synced::No => Msg::ClkNotSynced,
            Synced::Unknown => Msg::ClkSyncUnknown,
        };
        let mut s = text!(ClkHead, format = self.format.label(), sync = sync).render(lang);
        if let Some(o) = self.offset_ms {
            let dir = if o >= 0.0 {
                text!(ClkAhead)
            } else {
                text!(ClkBehind)
            };
            s.push_str(&dir.arg("ms", fmt_ms(o.abs())).render(lang));
            if o.abs() > OFFSET_BREAKS_AUTH_MS {
                s.push_str(Msg::ClkBreaks.template(lang));
            }
        }
        if let Some(src) = &self.source {
            s.push_str(&text!(ClkSource, src = src).render(lang));
        }
        s
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.3} s", ms / 1000.0)
    } else {
        format!("{ms:.3} ms")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error(
        "this does not look like clock status output (not recognised as timedatectl, chronyc \
         tracking, ntpq -p, w32tm /query /status, sntp or systemsetup output)"
    )]
    NotRecognised,
    #[error("the paste is an error message, not a status: {0}")]
    ToolError(String),
}

impl ClockError {
    /// The error in words of the catalogue, for any language.
    pub fn text(&self) -> crate::msg::Text {
        use crate::text;
        const NO_DAEMON: &str =
            " (timedatectl cannot work here; use `chronyc tracking` or `ntpq -p`)";
        match self {
            ClockError::NotRecognised => text!(CkNotClock),
            ClockError::ToolError(s) if s.starts_with("chronyc could not reach chronyd") => {
                text!(CkToolChronydDown)
            }
            ClockError::ToolError(s) => match s.strip_suffix(NO_DAEMON) {
                Some(line) => text!(CkToolNoDaemon, line = line),
                None => text!(CkToolError, line = s.as_str()),
            },
        }
    }
}

/// `Key: value` pairs of a colon layout (keys trimmed, lower-cased).
fn pairs(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect()
}

fn get<'a>(p: &'a [(String, String)], key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn yes_no(v: &str) -> Synced {
    match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "on" | "true" => Synced::Yes,
        "no" | "off" | "false" => Synced::No,
        _ => Synced::Unknown,
    }
}

/// A systemd time span as printed by timedatectl (`-1.087495s`, `+316us`, `40.580ms`,
/// `1min 2.5s`), in milliseconds.
fn systemd_span_ms(v: &str) -> Option<f64> {
    let v = v.trim();
    let (sign, rest) = match v.strip_prefix('-') {
        Some(r) => (-1.0, r),
        None => (1.0, v.strip_prefix('+').unwrap_or(v)),
    };
    let mut total = 0.0;
    let mut any = false;
    for part in rest.split_whitespace() {
        let idx = part.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (num, unit) = part.split_at(idx);
        let n: f64 = num.parse().ok()?;
        let mult = match unit {
            "ns" => 1e-6,
            "us" | "µs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "min" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        total += n * mult;
        any = true;
    }
    any.then_some(sign * total)
}

fn parse_timedatectl(text: &str) -> Option<ClockStatus> {
    let p = pairs(text);
    let synced = get(&p, "system clock synchronized").or_else(|| get(&p, "ntp synchronized"))?;
    let mut notes = Vec::new();
    for (key, id) in [
        ("ntp service", Msg::ClockNoteNtpService),
        ("network time on", Msg::ClockNoteNetworkTimeOn),
        (
            "systemd-timesyncd.service active",
            Msg::ClockNoteTimesyncdActive,
        ),
        ("time zone", Msg::ClockNoteTimeZone),
    ] {
        if let Some(v) = get(&p, key) {
            notes.push(Text::new(id).arg("value", v));
        }
    }
    Some(ClockStatus {
        format: ClockFormat::TimedatectlStatus,
        synchronised: yes_no(synced),
        offset_ms: None,
        source: None,
        stratum: None,
        notes,
    })
}

fn parse_timesync_status(text: &str) -> Option<ClockStatus> {
    let p = pairs(text);
    let server = get(&p, "server")?;
    let leap = get(&p, "leap")?;
    get(&p, "poll interval")?;
    let stratum = get(&p, "stratum").and_then(|s| s.parse().ok());
    // timesyncd prints the NTP offset (server - client): flip it.
    let offset_ms = get(&p, "offset").and_then(systemd_span_ms).map(|o| -o);
    let packets: Option<u64> = get(&p, "packet count").and_then(|s| s.parse().ok());
    let synchronised = if leap.contains("not synchronized") || packets == Some(0) {
        Synced::No
    } else if matches!(stratum, Some(1..=15)) {
        Synced::Yes
    } else {
        Synced::Unknown
    };
    Some(ClockStatus {
        format: ClockFormat::TimedatectlTimesyncStatus,
        synchronised,
        offset_ms,
        source: Some(server.to_string()),
        stratum,
        notes: vec![text!(ClockNoteLeap, value = leap)],
    })
}

fn parse_chronyc(text: &str) -> Option<ClockStatus> {
    let p = pairs(text);
    let leap = get(&p, "leap status")?;
    let refid = get(&p, "reference id")?;
    let stratum = get(&p, "stratum").and_then(|s| s.parse().ok());
    // "System time : 0.000002309 seconds fast of NTP time" (chrony's own sign words).
    let offset_ms = get(&p, "system time").and_then(|v| {
        let mut it = v.split_whitespace();
        let n: f64 = it.next()?.parse().ok()?;
        let _seconds = it.next()?;
        match it.next()? {
            "fast" => Some(n * 1000.0),
            "slow" => Some(-n * 1000.0),
            _ => None,
        }
    });
    let synchronised = if leap.eq_ignore_ascii_case("not synchronised") {
        Synced::No
    } else {
        Synced::Yes
    };
    let source = refid
        .split_once('(')
        .map(|(_, r)| r.trim_end_matches(')').trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| Some(refid.to_string()));
    Some(ClockStatus {
        format: ClockFormat::ChronycTracking,
        synchronised,
        offset_ms,
        source,
        stratum,
        notes: vec![text!(ClockNoteLeapStatus, value = leap)],
    })
}

/// `ntpq -p`: the header line names the columns; the tally character in front of the peer
/// says how ntpd uses it ('*' system peer, 'o' PPS peer: the clock is synchronised to it).
fn parse_ntpq(text: &str) -> Option<ClockStatus> {
    let mut lines = text.lines().filter(|l| !l.trim_start().starts_with('#'));
    let header = loop {
        let l = lines.next()?;
        if l.contains("remote") && l.contains("refid") && l.contains("offset") {
            break l;
        }
        if l.contains("No association ID's returned") {
            return Some(ClockStatus {
                format: ClockFormat::NtpqPeers,
                synchronised: Synced::No,
                offset_ms: None,
                source: None,
                stratum: None,
                notes: vec![text!(ClockNoteNtpdNoAssociations)],
            });
        }
    };
    let cols: Vec<&str> = header.split_whitespace().collect();
    let header_idx = cols.iter().position(|c| *c == "offset")?;
    let st_idx = cols.iter().position(|c| *c == "st");
    let mut peers = 0;
    let mut sys_peer: Option<(String, Option<u32>, Option<f64>)> = None;
    for l in lines {
        if l.starts_with("===") || l.trim().is_empty() {
            continue;
        }
        let tally = l.chars().next()?;
        let fields: Vec<&str> = l[tally.len_utf8()..].split_whitespace().collect();
        if fields.len() != cols.len() {
            continue;
        }
        peers += 1;
        if tally == '*' || tally == 'o' {
            sys_peer = Some((
                fields[0].to_string(),
                st_idx.and_then(|i| fields[i].parse().ok()),
                fields[header_idx].parse::<f64>().ok(),
            ));
        }
    }
    if peers == 0 {
        return None;
    }
    Some(match sys_peer {
        Some((name, stratum, off)) => ClockStatus {
            format: ClockFormat::NtpqPeers,
            synchronised: Synced::Yes,
            // ntpq's offset column is in ms and is server - client: flip it.
            offset_ms: off.map(|o| -o),
            source: Some(name),
            stratum: stratum.map(|s: u32| s.saturating_add(1)),
            notes: vec![text!(ClockNotePeers, n = msg::count(peers))],
        },
        None => ClockStatus {
            format: ClockFormat::NtpqPeers,
            synchronised: Synced::No,
            offset_ms: None,
            source: None,
            stratum: None,
            notes: vec![text!(ClockNotePeersNoSystemPeer, n = msg::count(peers))],
        },
    })
}

fn parse_w32tm(text: &str) -> Option<ClockStatus> {
    if let Some(l) = text
        .lines()
        .find(|l| l.contains("The following error occurred") || l.contains("0x80070426"))
    {
        // "The service has not been started. (0x80070426)": w32time is not running.
        return Some(ClockStatus {
            format: ClockFormat::W32tmStatus,
            synchronised: Synced::No,
            offset_ms: None,
            source: None,
            stratum: None,
            notes: vec![text!(ClockNoteW32tmError, line = l.trim())],
        });
    }
    let p = pairs(text);
    let leap = get(&p, "leap indicator")?;
    let stratum_raw = get(&p, "stratum")?;
    let stratum: Option<u32> = stratum_raw
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok());
    let source = get(&p, "source").map(str::to_string);
    let free_running = source.as_deref().is_some_and(|s| {
        let s = s.to_ascii_lowercase();
        s.contains("local cmos clock") || s.contains("free-running")
    });
    let leap_num = leap.trim().chars().next().and_then(|c| c.to_digit(10));
    let synchronised = if leap_num == Some(3) || stratum == Some(0) || free_running {
        Synced::No
    } else {
        Synced::Yes
    };
    // `/verbose` adds "Phase Offset: 0.0001234s" (this clock relative to the source; w32tm's
    // sign is not documented, so only the magnitude is meaningful: keep as printed).
    let offset_ms = get(&p, "phase offset")
        .and_then(|v| v.trim_end_matches('s').trim().parse::<f64>().ok())
        .map(|s| s * 1000.0);
    let mut notes = vec![text!(ClockNoteLeapIndicator, value = leap)];
    if let Some(t) = get(&p, "last successful sync time") {
        notes.push(text!(ClockNoteLastSync, value = t));
    }
    Some(ClockStatus {
        format: ClockFormat::W32tmStatus,
        synchronised,
        offset_ms,
        source,
        stratum,
        notes,
    })
}

/// macOS `sntp host`: `2018-09-29 19:42:41.448103 (-0200) +1087.742403 +/- 725.183462
/// pool.ntp.org 188.68.36.203 s2 no-leap`. sntp only measures: the offset (server - client,
/// seconds) tells whether the clock is right.
fn parse_sntp(text: &str) -> Option<ClockStatus> {
    for l in text.lines() {
        let f: Vec<&str> = l.split_whitespace().collect();
        let Some(pm) = f.iter().position(|x| *x == "+/-") else {
            continue;
        };
        if pm == 0 || pm + 2 >= f.len() {
            continue;
        }
        let Ok(theta) = f[pm - 1].parse::<f64>() else {
            continue;
        };
        let stratum = f
            .iter()
            .find_map(|x| x.strip_prefix('s').and_then(|n| n.parse::<u32>().ok()));
        let offset_ms = -theta * 1000.0;
        return Some(ClockStatus {
            format: ClockFormat::MacSntp,
            synchronised: if offset_ms.abs() > OFFSET_WARN_MS {
                Synced::No
            } else {
                Synced::Yes
            },
            offset_ms: Some(offset_ms),
            source: Some(f[pm + 2].to_string()),
            stratum,
            notes: vec![text!(ClockNoteUncertainty, value = f[pm + 1])],
        });
    }
    None
}

fn parse_systemsetup(text: &str) -> Option<ClockStatus> {
    let p = pairs(text);
    let on = get(&p, "network time");
    let server = get(&p, "network time server");
    if on.is_none() && server.is_none() {
        return None;
    }
    let mut notes = Vec::new();
    let synchronised = match on.map(yes_no) {
        Some(Synced::No) => {
            notes.push(text!(ClockNoteNetworkTimeOff));
            Synced::No
        }
        Some(_) => {
            notes.push(text!(ClockNoteNetworkTimeOnUnproven));
            Synced::Unknown
        }
        None => Synced::Unknown,
    };
    Some(ClockStatus {
        format: ClockFormat::MacSystemsetup,
        synchronised,
        offset_ms: None,
        source: server.map(str::to_string),
        stratum: None,
        notes,
    })
}

/// Detect the format and parse it.
pub fn parse(text: &str) -> Result<ClockStatus, ClockError> {
    let (text, limits) = super::bounded(text);
    let mut c = parse_bounded(&text)?;
    c.notes.extend(limits.text());
    Ok(c)
}

fn parse_bounded(text: &str) -> Result<ClockStatus, ClockError> {
    if text.contains("System has not been booted with systemd")
        || text.contains("Failed to connect to bus")
    {
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .unwrap_or("")
            .trim()
            .to_string();
        return Err(ClockError::ToolError(format!(
            "{first} (timedatectl cannot work here; use `chronyc tracking` or `ntpq -p`)"
        )));
    }
    if text.contains("Could not open connection to daemon") || text.contains("506 Cannot talk") {
        return Err(ClockError::ToolError(
            "chronyc could not reach chronyd: chronyd is not running, so nothing keeps the \
             clock synchronised"
                .into(),
        ));
    }
    let parsers: [fn(&str) -> Option<ClockStatus>; 7] = [
        parse_chronyc,
        parse_timesync_status,
        parse_timedatectl,
        parse_w32tm,
        parse_ntpq,
        parse_sntp,
        parse_systemsetup,
    ];
    parsers
        .iter()
        .find_map(|p| p(text))
        .ok_or(ClockError::NotRecognised)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! sample {
        ($f:literal) => {
            include_str!(concat!("../../tests/samples/", $f))
        };
    }

    #[test]
    fn chrony_real_synced() {
        let c = parse(sample!("chronyc-tracking-synced.txt")).unwrap();
        assert_eq!(c.format, ClockFormat::ChronycTracking);
        assert_eq!(c.synchronised, Synced::Yes);
        assert_eq!(c.source.as_deref(), Some("10.99.0.2"));
        assert_eq!(c.stratum, Some(9));
        // "0.000001505 seconds fast" -> +0.001505 ms
        assert!((c.offset_ms.unwrap() - 0.001505).abs() < 1e-9);
        assert!(!c.is_problem());
    }

    #[test]
    fn chrony_real_unsynced() {
        let c = parse(sample!("chronyc-tracking-unsynced.txt")).unwrap();
        assert_eq!(c.synchronised, Synced::No);
        assert_eq!(c.stratum, Some(0));
        assert!(c.is_problem());
        assert!(c.summary().contains("NOT synchronised"));
    }

    #[test]
    fn chrony_slow_sign() {
        let t = sample!("chronyc-tracking-synced.txt")
            .replace("0.000001505 seconds fast", "2.500000000 seconds slow");
        let c = parse(&t).unwrap();
        assert!((c.offset_ms.unwrap() + 2500.0).abs() < 1e-6);
        assert!(c.is_problem(), "2.5 s behind is a problem");
        assert!(c.summary().contains("behind"));
    }

    #[test]
    fn timedatectl_layouts() {
        let c = parse(sample!("timedatectl-status-synced.txt")).unwrap();
        assert_eq!(c.format, ClockFormat::TimedatectlStatus);
        assert_eq!(c.synchronised, Synced::Yes);
        assert!(c.notes.iter().any(|n| n == "ntp service: active"));
        let c = parse(sample!("timedatectl-status-unsynced.txt")).unwrap();
        assert_eq!(c.synchronised, Synced::No);
        assert!(c.is_problem());
        let c = parse(sample!("timedatectl-status-v234.txt")).unwrap();
        assert_eq!(c.synchronised, Synced::No);
        assert!(c.notes.iter().any(|n| n == "network time on: yes"));
    }

    #[test]
    fn timesync_status() {
        let c = parse(sample!("timedatectl-timesync-status.txt")).unwrap();
        assert_eq!(c.format, ClockFormat::TimedatectlTimesyncStatus);
        assert_eq!(c.synchronised, Synced::Yes);
        assert_eq!(c.stratum, Some(2));
        // Offset: -1.087495s (server - client) -> this clock is 1087.495 ms ahead.
        assert!((c.offset_ms.unwrap() - 1087.495).abs() < 1e-6);
        assert!(c.is_problem(), "more than 1 s off");
    }

    #[test]
    fn systemd_spans() {
        assert_eq!(systemd_span_ms("+316us"), Some(0.316));
        assert_eq!(systemd_span_ms("40.580ms"), Some(40.58));
        assert_eq!(systemd_span_ms("1min 2s"), Some(62_000.0));
        assert_eq!(systemd_span_ms("fast"), None);
    }

    #[test]
    fn timedatectl_without_systemd_is_a_tool_error() {
        let e = parse(sample!("timedatectl-not-booted.txt")).unwrap_err();
        assert!(matches!(e, ClockError::ToolError(_)));
        assert!(e.to_string().contains("chronyc tracking"));
    }

    #[test]
    fn ntpq_classic() {
        let c = parse(sample!("ntpq-p-classic-synced.txt")).unwrap();
        assert_eq!(c.format, ClockFormat::NtpqPeers);
        assert_eq!(c.synchronised, Synced::Yes);
        assert_eq!(c.source.as_deref(), Some("time.euro.apple"));
        assert!((c.offset_ms.unwrap() - 26.064).abs() < 1e-9);
        assert_eq!(c.stratum, Some(3));
        let c = parse(sample!("ntpq-p-classic-unsynced.txt")).unwrap();
        assert_eq!(c.synchronised, Synced::No);
        assert!(c.is_problem());
    }

    #[test]
    fn ntpq_no_associations() {
        let c = parse("No association ID's returned\n").unwrap();
        assert_eq!(c.synchronised, Synced::No);
    }

    #[test]
    fn w32tm() {
        let c = parse(sample!("w32tm-status-synced.txt")).unwrap();
        assert_eq!(c.format, ClockFormat::W32tmStatus);
        assert_eq!(c.synchronised, Synced::Yes);
        assert_eq!(c.source.as_deref(), Some("dc01.corp.example.com"));
        assert_eq!(c.stratum, Some(4));
        // The unsynchronised form, derived from the real sample: leap 3, local CMOS clock.
        let t = sample!("w32tm-status-synced.txt")
            .replace(
                "Leap Indicator: 0(no warning)",
                "Leap Indicator: 3(not synchronized)",
            )
            .replace(
                "Stratum: 4 (secondary reference - syncd by (S)NTP)",
                "Stratum: 0 (unspecified)",
            )
            .replace("Source: dc01.corp.example.com", "Source: Local CMOS Clock");
        let c = parse(&t).unwrap();
        assert_eq!(c.synchronised, Synced::No);
        let c =
            parse("The following error occurred: The service has not been started. (0x80070426)\n")
                .unwrap();
        assert_eq!(c.synchronised, Synced::No);
    }

    #[test]
    fn mac_sntp_and_systemsetup() {
        let c = parse(sample!("sntp-macos.txt")).unwrap();
        assert_eq!(c.format, ClockFormat::MacSntp);
        assert_eq!(c.source.as_deref(), Some("pool.ntp.org"));
        assert_eq!(c.stratum, Some(2));
        // +1087.742403 s (server - client): this Mac is 1087.7 s behind.
        assert!((c.offset_ms.unwrap() + 1_087_742.403).abs() < 1e-3);
        assert!(c.is_problem());
        assert!(c.summary().contains("more than 5 minutes"));
        let c = parse(sample!("systemsetup-networktime-on.txt")).unwrap();
        assert_eq!(c.format, ClockFormat::MacSystemsetup);
        assert_eq!(c.synchronised, Synced::Unknown);
        assert_eq!(c.source.as_deref(), Some("time.apple.com"));
        assert!(!c.is_problem());
        let c = parse("Network Time: Off\n").unwrap();
        assert_eq!(c.synchronised, Synced::No);
    }

    #[test]
    fn garbage_is_not_recognised() {
        for g in [
            "",
            "\n\n",
            "lorem ipsum dolor sit amet",
            "<html><head><title>Index</title></head><body><p>offset: 12</p></body></html>",
            include_str!("../../tests/samples/fail2ban-status.txt"),
            "Stratum: 3\n",
            "remote refid offset\nnothing here",
        ] {
            assert_eq!(parse(g).unwrap_err(), ClockError::NotRecognised, "{g:?}");
        }
        assert!(
            ClockError::NotRecognised
                .to_string()
                .contains("does not look like clock status output")
        );
    }
}
