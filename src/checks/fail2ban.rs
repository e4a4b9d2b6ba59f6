//! `fail2ban-client status` and `fail2ban-client status <jail>` output, pasted by the technician.
//!
//! The layout is the one fail2ban 0.9 .. 1.1 prints (samples captured from fail2ban 1.0.2 in
//! `tests/samples/fail2ban-*.txt`): a tree drawn with `|-`, `` `- `` and `|`, one `Key:<TAB>value`
//! per line. Several outputs pasted one after the other are all read.

use serde::Serialize;
use std::net::IpAddr;

/// What the paste contained: the jail list (from `status`) and/or one or more jails.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Fail2banStatus {
    /// `Jail list:` from `fail2ban-client status`, when present.
    pub jail_list: Option<Vec<String>>,
    /// `Number of jail:` from `fail2ban-client status`, when present.
    pub jail_count: Option<u32>,
    /// Every `Status for the jail: NAME` block.
    pub jails: Vec<JailStatus>,
    /// Lines that were neither part of the tree nor recognised (count only).
    pub skipped_lines: usize,
    /// What the paste limits left out (see [`crate::limits`]).
    pub limits: super::PasteLimits,
}

/// One `fail2ban-client status <jail>` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JailStatus {
    pub name: String,
    pub currently_failed: Option<u64>,
    pub total_failed: Option<u64>,
    /// `File list:` (log files the filter reads).
    pub file_list: Vec<String>,
    /// `Journal matches:` (systemd backend), verbatim.
    pub journal_matches: Option<String>,
    pub currently_banned: Option<u64>,
    pub total_banned: Option<u64>,
    pub banned: Vec<String>,
    pub kind: JailKind,
}

/// What a jail protects, judged from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum JailKind {
    /// A SIP/VoIP jail (asterisk, freeswitch, kamailio, ...): a ban here blocks phones.
    Sip,
    /// `recidive`: bans addresses banned repeatedly by any jail, SIP included.
    Recidive,
    /// A jail for another service (sshd, web, mail...): a ban only blocks that service,
    /// unless its action bans all ports.
    NotSip,
    /// A name we do not know (a custom jail): look at its filter.
    #[default]
    Unknown,
}

/// Where the client's address was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpHit {
    pub jail: String,
    pub kind: JailKind,
    /// The entry of the banned list that matched (same address, maybe written differently).
    pub entry: String,
    /// The command that lifts the ban.
    pub unban_command: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fail2banError {
    #[error(
        "this does not look like fail2ban-client status output (expected lines such as \
         'Status for the jail: asterisk' or '`- Jail list: sshd, asterisk')"
    )]
    NotRecognised,
}

impl Fail2banError {
    /// The error in words of the catalogue, for any language.
    pub fn text(&self) -> crate::msg::Text {
        match self {
            Fail2banError::NotRecognised => crate::text!(CkNotFail2ban),
        }
    }
}

/// Jail names of the SIP servers, as shipped by fail2ban's jail.conf (`asterisk`, `freeswitch`)
/// and as found in common guides (`asterisk-iptables`, `freeswitch-ip`, `auth-challenge-ip`...).
const SIP_MARKERS: &[&str] = &[
    "asterisk",
    "freeswitch",
    "kamailio",
    "opensips",
    "pjsip",
    "sip",
    "voip",
    "freepbx",
    "fusionpbx",
    "3cx",
    "yate",
    "auth-challenge",
];

/// Names (or name prefixes) of jails shipped by fail2ban for other services.
const NOT_SIP_PREFIXES: &[&str] = &[
    "sshd",
    "ssh",
    "dropbear",
    "selinux-ssh",
    "apache",
    "nginx",
    "lighttpd",
    "php",
    "postfix",
    "dovecot",
    "exim",
    "sendmail",
    "courier",
    "cyrus",
    "vsftpd",
    "proftpd",
    "pure-ftpd",
    "wuftpd",
    "named",
    "mysqld",
    "mongodb",
    "grafana",
    "roundcube",
    "squid",
    "traefik",
    "webmin",
    "openvpn",
    "pam-generic",
    "xinetd",
    "portsentry",
];

/// Classify a jail by its name (case-insensitive).
pub fn classify_jail(name: &str) -> JailKind {
    let n = name.trim().to_ascii_lowercase();
    if n == "recidive" {
        return JailKind::Recidive;
    }
    if SIP_MARKERS.iter().any(|m| n.contains(m)) {
        return JailKind::Sip;
    }
    if NOT_SIP_PREFIXES.iter().any(|p| n.starts_with(p)) {
        return JailKind::NotSip;
    }
    JailKind::Unknown
}

/// A one-sentence explanation of a jail kind for the technician.
pub fn kind_note(kind: JailKind) -> &'static str {
    match kind {
        JailKind::Sip => "a SIP jail: an address banned here cannot register or call",
        JailKind::Recidive => {
            "the recidive jail bans addresses banned repeatedly by other jails, for a long time \
             and usually on all ports: it blocks SIP too"
        }
        JailKind::NotSip => {
            "not a SIP jail: a ban here blocks that service only (unless its action bans all \
             ports); paste the output of `fail2ban-client status` to see the SIP jail's name"
        }
        JailKind::Unknown => "a jail name we do not know: check its filter and logpath",
    }
}

/// Strip the tree drawing (`|-`, `` `- ``, `|`) and return the `key`, `value` of a line.
fn key_value(line: &str) -> Option<(String, String)> {
    let t =
        line.trim_start_matches(|c: char| c == '|' || c == '`' || c == '-' || c.is_whitespace());
    let (k, v) = t.split_once(':')?;
    let k = k.trim();
    if k.is_empty() || k.len() > 40 {
        return None;
    }
    Some((k.to_ascii_lowercase(), v.trim().to_string()))
}

fn split_list(v: &str) -> Vec<String> {
    v.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `fail2ban-client banned` (fail2ban >= 0.11) prints a Python list of one-key dicts:
/// `[{'sshd': []}, {'asterisk': ['192.0.2.10', '198.51.100.23']}]`.
fn parse_banned_line(line: &str) -> Option<Vec<JailStatus>> {
    let t = line.trim();
    if !(t.starts_with("[{") && t.ends_with("}]")) {
        return None;
    }
    let mut jails = Vec::new();
    for part in t[2..t.len() - 2].split("}, {") {
        let (name, list) = part.split_once(':')?;
        let name = name.trim().trim_matches(['\'', '"']).to_string();
        let list = list.trim().strip_prefix('[')?.strip_suffix(']')?;
        let banned: Vec<String> = list
            .split(',')
            .map(|s| s.trim().trim_matches(['\'', '"']).to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if name.is_empty() {
            return None;
        }
        jails.push(JailStatus {
            kind: classify_jail(&name),
            name,
            currently_banned: Some(banned.len() as u64),
            banned,
            ..Default::default()
        });
    }
    (!jails.is_empty()).then_some(jails)
}

/// Parse pasted `fail2ban-client status [jail]` output (one or several, in any order), or
/// `fail2ban-client banned`.
pub fn parse(text: &str) -> Result<Fail2banStatus, Fail2banError> {
    let (text, limits) = super::bounded(text);
    let mut out = Fail2banStatus {
        limits,
        ..Default::default()
    };
    let mut recognised = 0usize;
    let mut current: Option<JailStatus> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if let Some(js) = parse_banned_line(line) {
            recognised += 1;
            out.jails.extend(js);
            continue;
        }
        let Some((key, value)) = key_value(line) else {
            // The bare `Status`, `|- Filter` and `` `- Actions `` headings carry no value.
            let bare = line
                .trim_start_matches(|c: char| c == '|' || c == '`' || c == '-' || c.is_whitespace())
                .to_ascii_lowercase();
            if matches!(bare.as_str(), "status" | "filter" | "actions") {
                recognised += 1;
            } else {
                out.skipped_lines += 1;
            }
            continue;
        };
        let num = || value.parse::<u64>().ok();
        match key.as_str() {
            "status for the jail" => {
                if let Some(j) = current.take() {
                    out.jails.push(j);
                }
                current = Some(JailStatus {
                    kind: classify_jail(&value),
                    name: value.clone(),
                    ..Default::default()
                });
                recognised += 1;
            }
            "number of jail" => {
                out.jail_count = value.parse().ok();
                recognised += 1;
            }
            "jail list" => {
                out.jail_list = Some(split_list(&value));
                recognised += 1;
            }
            "currently failed" | "total failed" | "currently banned" | "total banned"
            | "file list" | "journal matches" | "banned ip list" => {
                let Some(j) = current.as_mut() else {
                    out.skipped_lines += 1;
                    continue;
                };
                recognised += 1;
                match key.as_str() {
                    "currently failed" => j.currently_failed = num(),
                    "total failed" => j.total_failed = num(),
                    "currently banned" => j.currently_banned = num(),
                    "total banned" => j.total_banned = num(),
                    "file list" => j.file_list = split_list(&value),
                    "journal matches" => j.journal_matches = Some(value.clone()),
                    _ => j.banned = split_list(&value),
                }
            }
            _ => out.skipped_lines += 1,
        }
    }
    if let Some(j) = current.take() {
        out.jails.push(j);
    }
    // A real paste has the jail list or at least one jail block with a counter in it.
    let has_content = out.jail_list.is_some()
        || out.jails.iter().any(|j| {
            j.currently_failed.is_some() || j.currently_banned.is_some() || !j.banned.is_empty()
        });
    if recognised == 0 || !has_content {
        return Err(Fail2banError::NotRecognised);
    }
    Ok(out)
}

/// Does a banned-list entry denote `ip`? Entries are addresses, sometimes a network in CIDR form
/// (`192.0.2.0/24`, when `banaction` bans subnets).
fn entry_matches(entry: &str, ip: IpAddr) -> bool {
    let entry = entry.trim().trim_matches(|c| c == '[' || c == ']');
    if let Some((net, len)) = entry.split_once('/') {
        let (Ok(net), Ok(len)) = (net.parse::<IpAddr>(), len.parse::<u32>()) else {
            return false;
        };
        return match (net, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) if len <= 32 => {
                let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) if len <= 128 => {
                let mask = if len == 0 {
                    0
                } else {
                    u128::MAX << (128 - len)
                };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        };
    }
    entry
        .parse::<IpAddr>()
        .map(|e| canonical(e) == canonical(ip))
        .unwrap_or(false)
}

/// `::ffff:192.0.2.1` and `192.0.2.1` are the same client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Every jail in `status` whose banned list holds `ip`.
pub fn find_ip(status: &Fail2banStatus, ip: IpAddr) -> Vec<IpHit> {
    let mut hits = Vec::new();
    for j in &status.jails {
        for e in &j.banned {
            if entry_matches(e, ip) {
                hits.push(IpHit {
                    jail: j.name.clone(),
                    kind: j.kind,
                    entry: e.clone(),
                    unban_command: unban_command(&j.name, &ip.to_string()),
                });
            }
        }
    }
    hits
}

/// Quote a word for a POSIX shell when it holds anything but safe characters (jail names come
/// from pasted text, so the command we show must not do anything else when copied).
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/@%+=".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `fail2ban-client set <jail> unbanip <ip>` (the command documented by `fail2ban-client -h`).
pub fn unban_command(jail: &str, ip: &str) -> String {
    format!(
        "fail2ban-client set {} unbanip {}",
        shell_word(jail),
        shell_word(ip)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = include_str!("../../tests/samples/fail2ban-status.txt");
    const JAIL_BANNED: &str =
        include_str!("../../tests/samples/fail2ban-status-asterisk-banned.txt");
    const JAIL_EMPTY: &str = include_str!("../../tests/samples/fail2ban-status-asterisk-empty.txt");
    const SSHD_JOURNAL: &str = include_str!("../../tests/samples/fail2ban-status-sshd-journal.txt");

    fn body(sample: &str) -> String {
        // Sample files start with `#` provenance lines; the parser must cope with them anyway
        // (they are counted as skipped), but the tests check exact counts without them.
        sample
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn jail_list_from_real_output() {
        let s = parse(&body(LIST)).unwrap();
        let list = s.jail_list.clone().unwrap();
        assert_eq!(s.jail_count, Some(list.len() as u32));
        assert!(list.contains(&"asterisk".to_string()), "{list:?}");
        assert!(s.jails.is_empty());
        assert_eq!(s.skipped_lines, 0);
    }

    #[test]
    fn banned_jail_from_real_output() {
        let s = parse(&body(JAIL_BANNED)).unwrap();
        assert_eq!(s.jails.len(), 1);
        let j = &s.jails[0];
        assert_eq!(j.name, "asterisk");
        assert_eq!(j.kind, JailKind::Sip);
        assert_eq!(j.currently_banned, Some(j.banned.len() as u64));
        assert!(j.banned.len() >= 2, "{:?}", j.banned);
        assert!(j.total_failed.unwrap() >= 5);
        assert!(!j.file_list.is_empty());
        let ip: IpAddr = j.banned[0].parse().unwrap();
        let hits = find_ip(&s, ip);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].unban_command,
            format!("fail2ban-client set asterisk unbanip {ip}")
        );
        // An address that is not there.
        assert!(find_ip(&s, "203.0.113.250".parse().unwrap()).is_empty());
    }

    #[test]
    fn empty_jail_from_real_output() {
        let s = parse(&body(JAIL_EMPTY)).unwrap();
        let j = &s.jails[0];
        assert_eq!(j.currently_banned, Some(0));
        assert!(j.banned.is_empty());
        assert!(find_ip(&s, "192.0.2.10".parse().unwrap()).is_empty());
    }

    #[test]
    fn sshd_journal_is_not_sip() {
        let s = parse(&body(SSHD_JOURNAL)).unwrap();
        let j = &s.jails[0];
        assert_eq!(j.kind, JailKind::NotSip);
        assert!(j.journal_matches.as_deref().unwrap().contains("sshd"));
        assert!(j.file_list.is_empty());
    }

    #[test]
    fn several_outputs_pasted_together_with_provenance_lines() {
        let all = format!("{LIST}\n{JAIL_BANNED}\n{JAIL_EMPTY}");
        let s = parse(&all).unwrap();
        assert!(s.jail_list.is_some());
        assert_eq!(s.jails.len(), 2);
        assert!(s.skipped_lines > 0, "the # lines are counted as skipped");
    }

    #[test]
    fn banned_command_output() {
        let s = parse(include_str!("../../tests/samples/fail2ban-banned.txt")).unwrap();
        assert_eq!(s.jails.len(), 4);
        let hits = find_ip(&s, "198.51.100.23".parse().unwrap());
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].jail, "asterisk");
        assert!(
            s.jails
                .iter()
                .find(|j| j.name == "sshd")
                .unwrap()
                .banned
                .is_empty()
        );
    }

    #[test]
    fn classify_names() {
        for n in [
            "asterisk",
            "asterisk-iptables",
            "freeswitch",
            "freeswitch-ip",
            "kamailio",
            "auth-challenge-ip",
            "opensips",
            "Asterisk-TCP",
        ] {
            assert_eq!(classify_jail(n), JailKind::Sip, "{n}");
        }
        for n in [
            "sshd",
            "sshd-ddos",
            "nginx-http-auth",
            "postfix-sasl",
            "dovecot",
        ] {
            assert_eq!(classify_jail(n), JailKind::NotSip, "{n}");
        }
        assert_eq!(classify_jail("recidive"), JailKind::Recidive);
        assert_eq!(classify_jail("my-custom"), JailKind::Unknown);
    }

    #[test]
    fn ip_forms_and_networks() {
        let s = Fail2banStatus {
            jails: vec![JailStatus {
                name: "asterisk".into(),
                kind: JailKind::Sip,
                banned: vec!["::ffff:192.0.2.7".into(), "198.51.100.0/24".into()],
                currently_banned: Some(2),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(find_ip(&s, "192.0.2.7".parse().unwrap()).len(), 1);
        assert_eq!(find_ip(&s, "198.51.100.99".parse().unwrap()).len(), 1);
        assert!(find_ip(&s, "198.51.101.1".parse().unwrap()).is_empty());
    }

    #[test]
    fn unban_command_quotes_odd_names() {
        assert_eq!(
            unban_command("asterisk", "192.0.2.1"),
            "fail2ban-client set asterisk unbanip 192.0.2.1"
        );
        assert_eq!(
            unban_command("x; rm -rf /", "192.0.2.1"),
            "fail2ban-client set 'x; rm -rf /' unbanip 192.0.2.1"
        );
    }

    #[test]
    fn garbage_is_rejected() {
        for g in [
            "",
            "   \n\n",
            "hello world\nthis is not it",
            "<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>",
            "Status: 200 OK\nContent-Type: text/html",
            "qwe:rty\nasd:fgh",
            "\u{0}\u{1}\u{2}binary",
        ] {
            let e = parse(g).unwrap_err();
            assert!(
                e.to_string()
                    .contains("does not look like fail2ban-client status")
            );
        }
    }
}
