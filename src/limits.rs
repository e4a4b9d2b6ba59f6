//! Every resource bound on untrusted input, in one place, with its value and why.
//!
//! A capture comes from a customer's network and a paste from a customer's server: untrusted,
//! sometimes crafted. Each bound below keeps memory and work per input byte bounded. Going over
//! one never aborts an analysis or hangs it: the excess is dropped and counted, under the
//! kebab-case skip reason given here (capture and SIP layers: [`crate::capture::Skips`]; pasted
//! text: the `lines_over_limit` / `lines_too_long` counters of each report).
//!
//! This module imports nothing, so every layer can use it.
//!
//! | bound | value | on overflow | why this value |
//! |---|---|---|---|
//! | [`MAX_HEADER_BYTES`] header section of one SIP message | 256 KiB | `sip-header-too-large`, stream buffer dropped | real messages stay under 8 KiB; RFC 3261 sets no limit, Kamailio's default `BUF_SIZE` is 64 KiB; 4x that leaves room for huge Record-Route sets |
//! | [`MAX_BODY_BYTES`] body we wait for on TCP | 4 MiB | `sip-body-too-large`, stream buffer dropped | SDP or a MESSAGE body is a few KiB; a multi-MiB Content-Length is an attack or garbage |
//! | [`MAX_HEADERS`] headers kept per message | 1024 | `sip-too-many-headers`, headers past the limit dropped, problem noted on the message | phones send 10-30 headers; a proxy chain adds a Via and Record-Route per hop (RFC 3261 16.3 caps Max-Forwards at 70) |
//! | [`MAX_CHALLENGES_PER_HEADER`] challenges read from one `WWW-Authenticate` / `Proxy-Authenticate` value | 64 | `sip-too-many-challenges`, the first 64 are kept, problem noted | RFC 8760 servers offer one challenge per algorithm (MD5, SHA-256, SHA-512-256), so 3 in practice; 64 is far above any real server |
//! | [`MAX_PASTE_LINES`] lines read from a paste (`check`, the server steps) | 1,000,000 | `lines_over_limit` counter; the rest is not read | a day of a busy Asterisk security log is ~100k lines |
//! | [`MAX_LINE_BYTES`] length of one pasted line | 64 KiB | `lines_too_long` counter; the line is skipped | the longest real log line (Asterisk security events) is ~1 KiB |
//! | [`MAX_LISTED_PER_ADDRESS`] distinct accounts / reasons listed per address in the ban simulation | 100 | `accounts_not_listed` / `reasons_not_listed` counters | a brute-force scan tries thousands of user names; the technician needs the first ones, not all |
//! | [`MAX_POLICY_SECS`] `--findtime` / `--bantime` | 100 years | rejected with a one-line error, exit 2 | fail2ban accepts any duration; beyond a century it is a typo, and time arithmetic must not overflow |
//! | [`MAX_MAXRETRY`] `--maxretry` | 1,000,000 | rejected with a one-line error, exit 2 | fail2ban's shipped jails use 3-10 |
//! | `MAX_INPUT` of `sipdoctor-cli check` (standard input) | 32 MiB | the rest is not read | a pasted log, not a whole disk |
//! | [`crate::diagnose::MAX_EVIDENCE`] evidence lines kept per finding | 12 | counted in the finding's `more_evidence` | a report a technician reads; the rest adds nothing |
//!
//! The capture layer has its own bounds, listed with their values and reasons in
//! [`crate::capture::limits`]: the largest record ([`crate::capture::limits::MAX_RECORD`]), a HEP
//! payload, tunnel depth, IPv6 header chains, pending fragments per datagram and in all, TCP
//! streams and the out-of-order bytes buffered per stream and in all.
//!
//! Each bound has a test that goes over it (`limits` tests below, `sip` and `checks` tests).

/// Longest header section we accept before giving up on a stream (giant or garbage headers).
pub const MAX_HEADER_BYTES: usize = 256 * 1024;
/// Largest body we wait for on a TCP stream.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Headers kept per SIP message; the rest are dropped (counted as `sip-too-many-headers`).
pub const MAX_HEADERS: usize = 1024;
/// Challenges read from one challenge header value (counted as `sip-too-many-challenges`).
pub const MAX_CHALLENGES_PER_HEADER: usize = 64;
/// Lines of a paste that are read.
pub const MAX_PASTE_LINES: usize = 1_000_000;
/// Longest pasted line that is looked at; a longer one is skipped and counted.
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// Distinct accounts (and reasons) listed per address by the ban simulation.
pub const MAX_LISTED_PER_ADDRESS: usize = 100;
/// Largest findtime / bantime accepted, in seconds (100 years).
pub const MAX_POLICY_SECS: i64 = 100 * 365 * 86_400;
/// Largest maxretry accepted.
pub const MAX_MAXRETRY: u32 = 1_000_000;

/// The skip reasons the bounds above add (kebab-case, as counted in `Skips`).
pub const SKIP_REASONS: &[&str] = &[
    "sip-header-too-large",
    "sip-body-too-large",
    "sip-too-many-headers",
    "sip-too-many-challenges",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The table in the module documentation lists every constant with its value: keep them
    /// in step (a changed value must change the table).
    #[test]
    fn documented_values_match() {
        let doc = include_str!("limits.rs");
        for (name, shown) in [
            ("MAX_HEADER_BYTES", "256 KiB"),
            ("MAX_BODY_BYTES", "4 MiB"),
            ("MAX_HEADERS", "1024"),
            ("MAX_CHALLENGES_PER_HEADER", "64"),
            ("MAX_PASTE_LINES", "1,000,000"),
            ("MAX_LINE_BYTES", "64 KiB"),
            ("MAX_LISTED_PER_ADDRESS", "100"),
            ("MAX_POLICY_SECS", "100 years"),
            ("MAX_MAXRETRY", "1,000,000"),
            ("crate::diagnose::MAX_EVIDENCE", "12"),
        ] {
            let row = doc
                .lines()
                .find(|l| l.starts_with("//! | [`") && l.contains(&format!("[`{name}`]")))
                .unwrap_or_else(|| panic!("{name} is not in the table"));
            assert!(row.contains(&format!("| {shown} |")), "{name}: {row}");
        }
        assert_eq!(MAX_HEADER_BYTES, 256 * 1024);
        assert_eq!(MAX_BODY_BYTES, 4 * 1024 * 1024);
        assert_eq!(MAX_HEADERS, 1024);
        assert_eq!(MAX_CHALLENGES_PER_HEADER, 64);
        assert_eq!(MAX_PASTE_LINES, 1_000_000);
        assert_eq!(MAX_LINE_BYTES, 64 * 1024);
        assert_eq!(MAX_LISTED_PER_ADDRESS, 100);
        assert_eq!(MAX_POLICY_SECS, 3_153_600_000);
        assert_eq!(MAX_MAXRETRY, 1_000_000);
        assert_eq!(crate::diagnose::MAX_EVIDENCE, 12);
    }
}
