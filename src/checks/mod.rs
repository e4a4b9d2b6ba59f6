//! Server-side checks: parsers for output the technician pastes from the server (pure
//! functions, no I/O).
//!
//! - [`fail2ban`]: `fail2ban-client status [jail]` - is the phone's address banned, and the
//!   unban command.
//! - [`clock`]: `timedatectl`, `chronyc tracking`, `ntpq -p`, `w32tm`, macOS `sntp` /
//!   `systemsetup` - is the clock synchronised, by how much is it off.
//! - [`serverlog`]: Asterisk (PJSIP, chan_sip, security log), FreeSWITCH and Kamailio auth
//!   failure lines - who failed, why, and when fail2ban would ban the address.
//!
//! Each parser says clearly when the paste is not what it expects, instead of guessing.

pub mod clock;
pub mod fail2ban;
pub mod serverlog;

use std::borrow::Cow;

use serde::Serialize;

use crate::limits::{MAX_LINE_BYTES, MAX_PASTE_LINES};

/// What [`bounded`] left out of a paste (see [`crate::limits`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PasteLimits {
    /// Lines after the first [`MAX_PASTE_LINES`]: not read.
    pub lines_over_limit: usize,
    /// Lines longer than [`MAX_LINE_BYTES`]: read as empty (so line numbers stay right).
    pub lines_too_long: usize,
}

impl PasteLimits {
    pub fn any(&self) -> bool {
        self.lines_over_limit > 0 || self.lines_too_long > 0
    }
    /// One sentence for a note, or `None` when nothing was left out.
    pub fn note(&self) -> Option<String> {
        self.any().then(|| {
            format!(
                "{} line(s) past the first {MAX_PASTE_LINES} not read, {} line(s) longer than \
                 {MAX_LINE_BYTES} bytes skipped",
                self.lines_over_limit, self.lines_too_long
            )
        })
    }
}

/// A paste within the limits: at most [`MAX_PASTE_LINES`] lines, each line longer than
/// [`MAX_LINE_BYTES`] replaced by an empty line. Borrowed (no copy) when nothing is over.
pub fn bounded(text: &str) -> (Cow<'_, str>, PasteLimits) {
    let mut limits = PasteLimits::default();
    let mut cut_at = None;
    for (i, l) in text.lines().enumerate() {
        if i >= MAX_PASTE_LINES {
            cut_at = Some(l.as_ptr() as usize - text.as_ptr() as usize);
            break;
        }
        if l.len() > MAX_LINE_BYTES {
            limits.lines_too_long += 1;
        }
    }
    if let Some(at) = cut_at {
        limits.lines_over_limit = text[at..].lines().count();
    }
    if !limits.any() {
        return (Cow::Borrowed(text), limits);
    }
    let kept = &text[..cut_at.unwrap_or(text.len())];
    let mut out = String::with_capacity(kept.len());
    for l in kept.lines() {
        if l.len() <= MAX_LINE_BYTES {
            out.push_str(l);
        }
        out.push('\n');
    }
    (Cow::Owned(out), limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_paste() {
        let (t, l) = bounded("a\nb\r\nc");
        assert!(matches!(t, Cow::Borrowed("a\nb\r\nc")));
        assert!(!l.any());
        assert_eq!(l.note(), None);
        let long = "x".repeat(MAX_LINE_BYTES + 1);
        let text = format!("a\n{long}\nc");
        let (t, l) = bounded(&text);
        assert_eq!(t, "a\n\nc\n");
        assert_eq!(l.lines_too_long, 1);
        let many = "l\n".repeat(MAX_PASTE_LINES + 5);
        let (t, l) = bounded(&many);
        assert_eq!(t.lines().count(), MAX_PASTE_LINES);
        assert_eq!(l.lines_over_limit, 5);
        assert!(l.note().unwrap().contains("5 line(s) past the first"));
    }
}
