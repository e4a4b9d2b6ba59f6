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
    /// One sentence for a note (English), or `None` when nothing was left out.
    pub fn note(&self) -> Option<String> {
        self.text().map(|t| t.en())
    }
    /// That sentence in any language.
    pub fn text(&self) -> Option<crate::msg::Text> {
        self.any().then(|| {
            crate::text!(
                PasteLinesLeftOut,
                over = crate::msg::count(self.lines_over_limit),
                max = crate::msg::count(MAX_PASTE_LINES),
                long = crate::msg::count(self.lines_too_long),
                bytes = crate::msg::count(MAX_LINE_BYTES)
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

use std::net::IpAddr;

use crate::kb::Lang;
use fail2ban::{Fail2banError, Fail2banStatus, IpHit, JailKind};

/// What a fail2ban paste means for the phone's address: the one verdict both fronts show.
#[derive(Debug, Clone, Serialize)]
pub struct Fail2banVerdict {
    pub status: Fail2banStatus,
    pub ip: Option<IpAddr>,
    /// Every jail whose banned list holds the address.
    pub hits: Vec<IpHit>,
    /// The address is banned where it blocks SIP: a SIP jail, recidive, or a jail we do not know
    /// (a ban in a jail of another service only blocks that service).
    pub problem: bool,
    pub lines: Vec<Fail2banLine>,
    /// Commands to run next: the unban commands, or `fail2ban-client status <jail>` when only
    /// the jail list was pasted.
    pub commands: Vec<String>,
}

/// One line of a [`Fail2banVerdict`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "line", rename_all = "kebab-case")]
pub enum Fail2banLine {
    /// `Jail list:` and which of the jails are SIP jails.
    JailList {
        jails: Vec<String>,
        sip: Vec<String>,
    },
    /// One jail's counters and banned list.
    Jail {
        name: String,
        currently_banned: Option<u64>,
        total_banned: Option<u64>,
        currently_failed: Option<u64>,
        banned: Vec<String>,
        kind: JailKind,
    },
    /// The address is in no banned list of the paste.
    NotBanned { ip: IpAddr, jails: Vec<String> },
    /// The address is banned in a jail.
    Banned {
        ip: IpAddr,
        jail: String,
        entry: String,
        kind: JailKind,
        unban_command: String,
    },
    /// No address to look up.
    NoAddress,
    /// Lines of the paste that were not fail2ban output.
    Skipped(usize),
}

/// A ban in a jail of this kind keeps a phone out.
fn blocks_sip(kind: JailKind) -> bool {
    kind != JailKind::NotSip
}

fn count(v: Option<u64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_else(|| "?".into())
}

impl Fail2banLine {
    /// This line is the problem the verdict reports.
    pub fn is_problem(&self) -> bool {
        matches!(self, Fail2banLine::Banned { kind, .. } if blocks_sip(*kind))
    }

    /// The line in the user's language.
    pub fn text(&self, lang: Lang) -> String {
        self.message().render(lang)
    }

    /// The line as a message (values as parameters).
    pub fn message(&self) -> crate::msg::Text {
        use crate::text;
        let list = |v: &[String], sep: &str| v.join(sep);
        match self {
            Fail2banLine::JailList { jails, sip } => {
                let sip_part = if sip.is_empty() {
                    text!(F2NoSipJail)
                } else {
                    text!(F2SipJails, list = list(sip, ", "))
                };
                text!(F2Jails, list = list(jails, ", "), sip = sip_part)
            }
            Fail2banLine::Jail {
                name,
                currently_banned,
                total_banned,
                currently_failed,
                banned,
                kind,
            } => {
                let line = text!(
                    F2Jail,
                    name = name,
                    cb = count(*currently_banned),
                    tb = count(*total_banned),
                    cf = count(*currently_failed),
                    note = fail2ban::kind_note(*kind)
                );
                if banned.is_empty() {
                    line
                } else {
                    let b = text!(F2BannedList, list = list(banned, " "));
                    text!(Concat2, a = line, b = b)
                }
            }
            Fail2banLine::NotBanned { ip, jails } => {
                let j = if jails.is_empty() {
                    text!(ProtoValue, value = "")
                } else {
                    text!(F2InJails, list = list(jails, ", "))
                };
                text!(F2NotBanned, ip = *ip, jails = j)
            }
            Fail2banLine::Banned {
                ip,
                jail,
                entry,
                kind,
                ..
            } => text!(
                F2Banned,
                ip = *ip,
                jail = jail,
                entry = entry,
                note = fail2ban::kind_note(*kind)
            ),
            Fail2banLine::NoAddress => text!(F2NoAddress),
            Fail2banLine::Skipped(n) => text!(F2Skipped, n = *n),
        }
    }
}

/// Read a pasted `fail2ban-client status [jail]` output and look `ip` up in it.
pub fn fail2ban_verdict(text: &str, ip: Option<IpAddr>) -> Result<Fail2banVerdict, Fail2banError> {
    let status = fail2ban::parse(text)?;
    let hits = ip
        .map(|ip| fail2ban::find_ip(&status, ip))
        .unwrap_or_default();
    let mut lines = Vec::new();
    if let Some(list) = &status.jail_list {
        lines.push(Fail2banLine::JailList {
            jails: list.clone(),
            sip: list
                .iter()
                .filter(|j| fail2ban::classify_jail(j) == JailKind::Sip)
                .cloned()
                .collect(),
        });
    }
    for j in &status.jails {
        lines.push(Fail2banLine::Jail {
            name: j.name.clone(),
            currently_banned: j.currently_banned,
            total_banned: j.total_banned,
            currently_failed: j.currently_failed,
            banned: j.banned.clone(),
            kind: j.kind,
        });
    }
    match ip {
        None => lines.push(Fail2banLine::NoAddress),
        Some(ip) if hits.is_empty() => lines.push(Fail2banLine::NotBanned {
            ip,
            jails: status.jails.iter().map(|j| j.name.clone()).collect(),
        }),
        Some(ip) => lines.extend(hits.iter().map(|h| Fail2banLine::Banned {
            ip,
            jail: h.jail.clone(),
            entry: h.entry.clone(),
            kind: h.kind,
            unban_command: h.unban_command.clone(),
        })),
    }
    if status.skipped_lines > 0 {
        lines.push(Fail2banLine::Skipped(status.skipped_lines));
    }
    let mut commands: Vec<String> = hits.iter().map(|h| h.unban_command.clone()).collect();
    if status.jails.is_empty() && commands.is_empty() {
        // The jail list alone: the next command to run, per jail.
        for j in status.jail_list.iter().flatten() {
            commands.push(format!("fail2ban-client status {j}"));
        }
    }
    Ok(Fail2banVerdict {
        problem: hits.iter().any(|h| blocks_sip(h.kind)),
        status,
        ip,
        hits,
        lines,
        commands,
    })
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

    fn sample(name: &str) -> String {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/samples")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn a_ban_in_a_sip_jail_is_the_problem_and_gives_the_unban_command() {
        let v = fail2ban_verdict(
            &sample("fail2ban-status-asterisk-banned.txt"),
            Some("192.0.2.10".parse().unwrap()),
        )
        .unwrap();
        assert!(v.problem);
        assert_eq!(
            v.commands,
            ["fail2ban-client set asterisk unbanip 192.0.2.10"]
        );
        let banned: Vec<&Fail2banLine> = v.lines.iter().filter(|l| l.is_problem()).collect();
        assert_eq!(banned.len(), 1);
        for lang in [Lang::En, Lang::Zh, Lang::Vi] {
            assert!(banned[0].text(lang).contains("192.0.2.10"), "{lang:?}");
        }
        assert!(banned[0].text(Lang::En).starts_with("BANNED"));
    }

    #[test]
    fn a_ban_in_a_jail_of_another_service_is_shown_but_no_problem() {
        // The real asterisk sample, its jail renamed to sshd (a jail of another service).
        let text = sample("fail2ban-status-asterisk-banned.txt").replace("asterisk", "sshd");
        let v = fail2ban_verdict(&text, Some("192.0.2.10".parse().unwrap())).unwrap();
        assert_eq!(v.hits.len(), 1, "found in sshd");
        assert!(!v.problem);
        assert!(v.lines.iter().all(|l| !l.is_problem()));
        assert_eq!(v.commands.len(), 1, "the unban command is still offered");
    }

    #[test]
    fn the_jail_list_alone_asks_for_each_jail_and_no_address_is_said() {
        let v = fail2ban_verdict(&sample("fail2ban-status.txt"), None).unwrap();
        assert!(!v.problem);
        assert!(v.lines.contains(&Fail2banLine::NoAddress));
        assert!(
            v.commands
                .iter()
                .all(|c| c.starts_with("fail2ban-client status "))
        );
        assert!(!v.commands.is_empty());
        assert!(fail2ban_verdict("<html>nope</html>", None).is_err());
    }
}
