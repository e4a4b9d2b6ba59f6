//! `sipdoctor-cli check fail2ban|clock|log [--json] [--ip ADDR] [--maxretry N --findtime SECS]
//! < FILE`: parse pasted server output read from standard input.
//!
//! Exit codes: 0 parsed and nothing wrong; 1 parsed and it shows a problem (the address is
//! banned, the clock is not synchronised or off by more than 1 s, a ban threshold is reached);
//! 2 not recognised, or bad arguments.

use std::io::Read;
use std::net::IpAddr;

use super::exit::{self, Exit};
use crate::checks::{self, clock, fail2ban, serverlog};
use crate::kb::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `fail2ban-client status` and/or `fail2ban-client status <jail>` output.
    Fail2ban,
    /// `timedatectl`, `chronyc tracking`, `ntpq -p`, `w32tm /query /status`, macOS `sntp`.
    Clock,
    /// Asterisk, FreeSWITCH or Kamailio log lines.
    Log,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the standard input holds.
    pub kind: Kind,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// The phone's address (from the capture): is it banned / failing?
    #[arg(long, value_name = "ADDR")]
    pub ip: Option<IpAddr>,
    /// fail2ban maxretry for `log` (default: 5 from jail.conf [DEFAULT]; the shipped [asterisk]
    /// and [freeswitch] jails use 10: pass it when the server uses them).
    #[arg(long)]
    pub maxretry: Option<u32>,
    /// fail2ban findtime in seconds for `log` (default 600).
    #[arg(long)]
    pub findtime: Option<i64>,
    /// fail2ban bantime in seconds for `log` (default 600; negative: a permanent ban).
    #[arg(long, allow_negative_numbers = true)]
    pub bantime: Option<i64>,
}

/// At most this much input is read (a pasted log, not a whole disk).
const MAX_INPUT: u64 = 32 * 1024 * 1024;

pub fn run(args: Args) -> Exit {
    let mut buf = Vec::new();
    if let Err(e) = std::io::stdin().take(MAX_INPUT).read_to_end(&mut buf) {
        return exit::fail(crate::text!(
            CliCannotReadStdin,
            reason = crate::msg::io_reason(&e)
        ));
    }
    let text = String::from_utf8_lossy(&buf);
    let (code, out) = check_text(&args, &text);
    // Text shows control characters from the paste escaped; JSON stays exact.
    match out {
        Ok(s) if args.json => exit::print(&s, code),
        Ok(s) => exit::print(&crate::textsafe::terminal(&s), code),
        Err(s) => {
            eprint!("{}", crate::textsafe::terminal(&s));
            code
        }
    }
}

/// The whole command minus I/O: (exit status, Ok(stdout) or Err(stderr)).
pub fn check_text(args: &Args, text: &str) -> (Exit, Result<String, String>) {
    match args.kind {
        Kind::Fail2ban => check_fail2ban(args, text),
        Kind::Clock => check_clock(args, text),
        Kind::Log => check_log(args, text),
    }
}

/// "sipdoctor-cli check KIND: ERROR", in the errors' language, as one line.
fn error_line(kind: &str, e: crate::msg::Text) -> String {
    crate::text!(CkCommand, kind = kind, e = e).render(exit::error_lang()) + "\n"
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")) + "\n"
}

fn check_fail2ban(args: &Args, text: &str) -> (Exit, Result<String, String>) {
    let v = match checks::fail2ban_verdict(text, args.ip) {
        Ok(v) => v,
        Err(e) => {
            return (Exit::BadInput, Err(error_line("fail2ban", e.text())));
        }
    };
    let verdict = Exit::problem_if(v.problem);
    if args.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            status: &'a fail2ban::Fail2banStatus,
            ip: Option<String>,
            found_in: &'a [fail2ban::IpHit],
            problem: bool,
        }
        let o = Out {
            status: &v.status,
            ip: v.ip.map(|i| i.to_string()),
            found_in: &v.hits,
            problem: v.problem,
        };
        return (verdict, Ok(json(&o)));
    }
    let mut s = String::new();
    for line in &v.lines {
        s.push_str(&line.text(Lang::En));
        s.push('\n');
        if let checks::Fail2banLine::Banned { unban_command, .. } = line {
            s.push_str(&format!("  Unban: {unban_command}\n"));
        }
    }
    if v.hits.is_empty() {
        for c in &v.commands {
            s.push_str(&format!("  next: {c}\n"));
        }
    }
    if let Some(n) = v.status.limits.note() {
        s.push_str(&format!("Note: {n}.\n"));
    }
    (verdict, Ok(s))
}

fn check_clock(args: &Args, text: &str) -> (Exit, Result<String, String>) {
    let c = match clock::parse(text) {
        Ok(c) => c,
        Err(e) => {
            return (Exit::BadInput, Err(error_line("clock", e.text())));
        }
    };
    let problem = c.is_problem();
    if args.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            status: &'a clock::ClockStatus,
            problem: bool,
        }
        return (
            Exit::problem_if(problem),
            Ok(json(&Out {
                status: &c,
                problem,
            })),
        );
    }
    let mut s = c.summary() + "\n";
    for n in &c.notes {
        s.push_str(&format!("  {n}\n"));
    }
    if problem {
        s.push_str(
            "Problem: fix time synchronisation (e.g. `timedatectl set-ntp true`, `chronyc makestep`, \
             `w32tm /resync`), then retry the registration.\n",
        );
    }
    (Exit::problem_if(problem), Ok(s))
}

fn check_log(args: &Args, text: &str) -> (Exit, Result<String, String>) {
    let policy = match serverlog::BanPolicy::checked(args.maxretry, args.findtime, args.bantime) {
        Ok(p) => p,
        Err(e) => {
            return (Exit::BadInput, Err(error_line("log", e.text())));
        }
    };
    let rep = match serverlog::parse(text) {
        Ok(r) => r,
        Err(e) => {
            return (Exit::BadInput, Err(error_line("log", e.text())));
        }
    };
    let mut sums = serverlog::simulate(&rep, &policy);
    if let Some(ip) = args.ip {
        sums.retain(|s| s.address == ip.to_string());
    }
    let problem = sums.iter().any(|s| s.banned_at.is_some() || s.blocked > 0);
    if args.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            report: &'a serverlog::LogReport,
            policy: serverlog::BanPolicy,
            addresses: &'a [serverlog::AddressSummary],
            problem: bool,
        }
        let o = Out {
            report: &rep,
            policy,
            addresses: &sums,
            problem,
        };
        return (Exit::problem_if(problem), Ok(json(&o)));
    }
    let mut s = format!(
        "{} auth event(s) in {} line(s) ({} skipped)\n",
        rep.events.len(),
        rep.lines_total,
        rep.lines_skipped
    );
    for e in rep.events.iter().take(200) {
        s.push_str(&format!(
            "  line {:>5}  {:<22} {:<21} {:<26} {:<24} {}\n",
            e.line,
            e.timestamp.as_deref().unwrap_or("-"),
            e.server.label(),
            e.source,
            e.account.as_deref().unwrap_or("-"),
            e.reason
        ));
    }
    if rep.events.len() > 200 {
        s.push_str(&format!("  ... {} more\n", rep.events.len() - 200));
    }
    let mut guides: Vec<(&str, usize)> = Vec::new();
    for id in rep.events.iter().filter_map(|e| e.kb.as_deref()) {
        match guides.iter_mut().find(|g| g.0 == id) {
            Some(g) => g.1 += 1,
            None => guides.push((id, 1)),
        }
    }
    for (id, n) in &guides {
        s.push_str(&format!(
            "Guide for {n} line(s): sipdoctor-cli kb show {id}\n"
        ));
    }
    if rep.events_without_time > 0 {
        s.push_str(&format!(
            "Note: {} event(s) have no timestamp; they are counted as if they happened together.\n",
            rep.events_without_time
        ));
    }
    if let Some(n) = rep.limits.note() {
        s.push_str(&format!("Note: {n}.\n"));
    }
    if rep.yearless_timestamps > 0 {
        s.push_str("Note: syslog dates carry no year; a log spanning New Year is mis-ordered.\n");
    }
    if let Some(ip) = args.ip
        && sums.is_empty()
    {
        s.push_str(&format!("{ip}: no failure from this address in the log.\n"));
    }
    for a in &sums {
        s.push_str(&a.sentence(&policy));
        if a.blocked > 0 {
            s.push_str(&format!(
                "; rate limiter (pike) blocked it {} time(s)",
                a.blocked
            ));
        }
        if !a.accounts.is_empty() {
            s.push_str(&format!("; accounts: {}", a.accounts.join(", ")));
        }
        s.push('\n');
    }
    if args.maxretry.is_none() {
        s.push_str(
            "(maxretry 5 / findtime 600 s are fail2ban's jail.conf defaults; its [asterisk] and \
             [freeswitch] jails use maxretry 10: pass --maxretry to match the server)\n",
        );
    }
    (Exit::problem_if(problem), Ok(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(kind: Kind, ip: Option<&str>) -> Args {
        Args {
            kind,
            json: false,
            ip: ip.map(|i| i.parse().unwrap()),
            maxretry: None,
            findtime: None,
            bantime: None,
        }
    }

    #[test]
    fn fail2ban_exit_codes() {
        let banned = include_str!("../../tests/samples/fail2ban-status-asterisk-banned.txt");
        let (c, out) = check_text(&args(Kind::Fail2ban, Some("192.0.2.10")), banned);
        assert_eq!(c, 1);
        assert!(
            out.unwrap()
                .contains("fail2ban-client set asterisk unbanip 192.0.2.10")
        );
        let (c, _) = check_text(&args(Kind::Fail2ban, Some("203.0.113.77")), banned);
        assert_eq!(c, 0);
        let (c, out) = check_text(&args(Kind::Fail2ban, None), "<html>nope</html>");
        assert_eq!(c, 2);
        assert!(
            out.unwrap_err()
                .contains("does not look like fail2ban-client status")
        );
        let mut a = args(Kind::Fail2ban, Some("192.0.2.10"));
        a.json = true;
        let (c, out) = check_text(&a, banned);
        assert_eq!(c, 1);
        let v: serde_json::Value = serde_json::from_str(&out.unwrap()).unwrap();
        assert_eq!(v["found_in"][0]["jail"], "asterisk");
        assert_eq!(v["problem"], true);
    }

    #[test]
    fn clock_exit_codes() {
        let (c, _) = check_text(
            &args(Kind::Clock, None),
            include_str!("../../tests/samples/chronyc-tracking-synced.txt"),
        );
        assert_eq!(c, 0);
        let (c, out) = check_text(
            &args(Kind::Clock, None),
            include_str!("../../tests/samples/chronyc-tracking-unsynced.txt"),
        );
        assert_eq!(c, 1);
        assert!(out.unwrap().contains("NOT synchronised"));
        let (c, _) = check_text(&args(Kind::Clock, None), "random words");
        assert_eq!(c, 2);
    }

    #[test]
    fn log_exit_codes() {
        let log = include_str!("../../tests/samples/asterisk-jail-log.txt");
        let (c, out) = check_text(&args(Kind::Log, Some("192.0.2.10")), log);
        assert_eq!(c, 1);
        assert!(out.unwrap().contains("banned at attempt 5"));
        let (c, _) = check_text(&args(Kind::Log, Some("203.0.113.5")), log);
        assert_eq!(c, 0);
        let mut a = args(Kind::Log, None);
        a.maxretry = Some(10);
        let (c, _) = check_text(&a, log);
        assert_eq!(c, 0, "nobody reaches 10");
        a.maxretry = Some(0);
        assert_eq!(check_text(&a, log).0, 2);
        let (c, _) = check_text(&args(Kind::Log, None), "");
        assert_eq!(c, 2);
    }
}
