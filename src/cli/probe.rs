//! `sipdoctor-cli probe`: the built-in known-good client.
//!
//! `probe register` sends a test REGISTER to the server typed (and removes the binding again),
//! `probe options` an OPTIONS ping. The secret is read from standard input only
//! (`--password-stdin` / `--ha1-stdin`), never from an argument. Exit codes: `register` 0 only
//! for `registered`, `options` 0 only for `answered`; 1 any other verdict; 2 bad input.

use std::io::{Read, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::msg::{Text, io_reason};
use crate::probe::{self, Direction, ProbeOptions, ProbeReport, Transport, Verdict};
use crate::secret::Secret;
use crate::text;
use crate::transaction::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// Register with the given credentials, then unregister (Expires: 0).
    Register(RegisterArgs),
    /// Send one OPTIONS: is anything answering SIP there?
    Options(CommonArgs),
}

#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// The SIP server, HOST[:PORT] (IPv6 as [ADDR]:PORT); only this host is contacted.
    #[arg(long)]
    pub server: String,
    /// udp or tcp.
    #[arg(long, default_value = "udp")]
    pub transport: Transport,
    /// Local source address (UDP only), e.g. to check a source-address ACL.
    #[arg(long)]
    pub bind: Option<IpAddr>,
    /// Bound on each phase of the test, in seconds (default 8).
    #[arg(long, default_value_t = 8.0)]
    pub timeout: f64,
    /// Print one JSON object (the report: verdict, ladder, message).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("secret_source")
        .required(true)
        .args(["password_stdin", "ha1_stdin"])
))]
pub struct RegisterArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// User of the address of record (From/To).
    #[arg(long)]
    pub user: String,
    /// Digest user name, when it differs from --user.
    #[arg(long)]
    pub auth_user: Option<String>,
    /// SIP domain (default: the server's host).
    #[arg(long)]
    pub domain: Option<String>,
    /// Expires of the test binding in seconds (it is removed right after).
    #[arg(long, default_value_t = 60)]
    pub expires: u32,
    /// Read the password from standard input (one line).
    #[arg(long)]
    pub password_stdin: bool,
    /// Read the stored HA1 (hex, of the algorithm the server will ask for) from standard input.
    #[arg(long)]
    pub ha1_stdin: bool,
    /// A capture of the phone: compare its REGISTER outcome for --user with this test.
    #[arg(long)]
    pub capture: Option<PathBuf>,
}

pub fn run(args: Args) -> i32 {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    run_with(args, stdin.lock(), &mut out, &mut err)
}

pub(crate) fn options_from(c: &CommonArgs, user: &str) -> Result<ProbeOptions, Text> {
    if !(c.timeout.is_finite() && c.timeout > 0.0 && c.timeout <= 120.0) {
        return Err(text!(PbTimeout));
    }
    let transport = c.transport;
    if c.bind.is_some() && transport != Transport::Udp {
        return Err(text!(PbBindUdp));
    }
    let mut o = ProbeOptions::new(c.server.clone(), transport, user);
    o.bind = c.bind;
    o.timeout = Duration::from_secs_f64(c.timeout);
    Ok(o)
}

/// The whole command with its reader and writers given, so tests need not spawn a process.
pub fn run_with(args: Args, input: impl Read, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match args.command {
        Cmd::Register(a) => register(&a, input, out, err),
        Cmd::Options(c) => options(&c, out, err),
    }
}

/// `probe register`: 0 only for `registered`.
fn register(a: &RegisterArgs, input: impl Read, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut o = match options_from(&a.common, &a.user) {
        Ok(o) => o,
        Err(e) => return bad(err, e),
    };
    o.auth_user = a.auth_user.clone();
    o.domain = a.domain.clone();
    o.expires = a.expires;
    if let Err(e) = o.validate(true) {
        return bad(err, e.text());
    }
    let phone = match &a.capture {
        Some(p) => match phone_outcome(p, &a.user) {
            Ok(x) => x,
            Err(e) => return bad(err, e),
        },
        None => None,
    };
    let secret = match Secret::read_line(input, a.ha1_stdin) {
        Ok(s) => s,
        Err(e) => return bad(err, text!(PbCannotReadSecret, reason = io_reason(&e))),
    };
    if secret.expose().is_empty() {
        let empty = if secret.is_ha1() {
            text!(PbEmptyHa1)
        } else {
            text!(PbEmptyPassword)
        };
        return bad(err, empty);
    }
    if !a.common.json {
        let _ = writeln!(
            out,
            "test REGISTER {} (auth user {}) -> {} over {}",
            o.user,
            o.auth_user.as_deref().unwrap_or(&o.user),
            o.server,
            o.transport.label()
        );
    }
    let json = a.common.json;
    let report = probe::register(&o, &secret, &mut |s| {
        if !json {
            print_step(out, s);
        }
    });
    drop(secret);
    let comparison = match &phone {
        Some((outcome, _)) => probe::compare_with_capture(&report, Some(*outcome)),
        None => None,
    };
    finish(
        out,
        &report,
        json,
        comparison,
        phone.as_ref().map(|p| p.1.as_str()),
    );
    if report.verdict == Verdict::Registered {
        0
    } else {
        1
    }
}

/// `probe options`: 0 only for `answered`.
fn options(c: &CommonArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let o = match options_from(c, "") {
        Ok(o) => o,
        Err(e) => return bad(err, e),
    };
    if let Err(e) = o.validate(false) {
        return bad(err, e.text());
    }
    if !c.json {
        let _ = writeln!(
            out,
            "OPTIONS ping -> {} over {}",
            o.server,
            o.transport.label()
        );
    }
    let json = c.json;
    let report = probe::options_ping(&o, &mut |s| {
        if !json {
            print_step(out, s);
        }
    });
    finish(out, &report, json, None, None);
    if report.verdict == Verdict::Answered {
        0
    } else {
        1
    }
}

/// One error line on `err`, in the errors' language; status 2.
fn bad(err: &mut dyn Write, msg: Text) -> i32 {
    let line = text!(PbCommand, e = msg).render(super::exit::error_lang());
    let _ = writeln!(err, "{}", crate::textsafe::terminal_line(&line));
    2
}

fn print_step(out: &mut dyn Write, s: &probe::LadderStep) {
    let arrow = match s.direction {
        Direction::Sent => "-->",
        Direction::Received => "<--",
    };
    // The server's reply is untrusted text: shown with control characters escaped.
    let _ = writeln!(
        out,
        "{:>7} ms {arrow} {}",
        s.t_ms,
        crate::textsafe::terminal_line(&s.summary)
    );
    let detail = s.detail.en();
    if !detail.is_empty() {
        let _ = writeln!(out, "{:>14}{}", "", crate::textsafe::terminal(&detail));
    }
}

fn finish(
    out: &mut dyn Write,
    r: &ProbeReport,
    json: bool,
    comparison: Option<String>,
    phone: Option<&str>,
) {
    if json {
        let mut v = serde_json::to_value(r).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = v.as_object_mut() {
            if let Some(p) = phone {
                obj.insert("phone".into(), p.into());
            }
            if let Some(c) = &comparison {
                obj.insert("comparison".into(), c.clone().into());
            }
        }
        let _ = writeln!(out, "{v}");
        return;
    }
    let _ = writeln!(out, "verdict: {}", r.verdict.as_str());
    let _ = writeln!(out, "{}", r.message);
    if let Some(p) = phone {
        let _ = writeln!(out, "phone (capture): {p}");
    }
    if let Some(c) = comparison {
        let _ = writeln!(out, "{c}");
    }
}

/// The outcome of the phone's last REGISTER for `user` in a capture, with a short description. `None` when the capture
/// holds no REGISTER for that user.
fn phone_outcome(path: &std::path::Path, user: &str) -> Result<Option<(Outcome, String)>, Text> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let a = crate::analysis::analyze_file(path, &mut |_| {}, &cancel).map_err(|e| e.text())?;
    Ok(a.phone_register(Some(user)).map(|e| {
        let desc = format!(
            "REGISTER of {user} from {} to {}: {}{}",
            e.client,
            e.server,
            e.outcome,
            e.final_status
                .map(|s| format!(" (last status {s})"))
                .unwrap_or_default()
        );
        (e.outcome, desc)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, clap::Parser)]
    struct T {
        #[command(subcommand)]
        cmd: Cmd,
    }

    fn run_args(argv: &[&str], stdin: &str) -> (i32, String, String) {
        let t = T::try_parse_from(std::iter::once("probe").chain(argv.iter().copied()))
            .expect("arguments parse");
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run_with(
            Args { command: t.cmd },
            stdin.as_bytes(),
            &mut out,
            &mut err,
        );
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn bad_input_exits_2_without_sending() {
        for argv in [
            &[
                "register",
                "--server",
                "h:x",
                "--user",
                "1001",
                "--password-stdin",
            ][..],
            &[
                "register",
                "--server",
                "h",
                "--user",
                "a b",
                "--password-stdin",
            ],
            &[
                "register",
                "--server",
                "h",
                "--user",
                "1",
                "--password-stdin",
                "--timeout",
                "0",
            ],
            &[
                "register",
                "--server",
                "h",
                "--user",
                "1",
                "--password-stdin",
                "--transport",
                "tcp",
                "--bind",
                "127.0.0.2",
            ],
            &["options", "--server", ""],
        ] {
            let (code, out, err) = run_args(argv, "pw\n");
            assert_eq!(code, 2, "{argv:?}: {out} {err}");
            assert!(err.starts_with("sipdoctor-cli probe: "), "{err}");
            assert!(out.is_empty());
        }
        let (code, _, err) = run_args(
            &[
                "register",
                "--server",
                "127.0.0.1",
                "--user",
                "1",
                "--password-stdin",
            ],
            "\n",
        );
        assert_eq!(code, 2);
        assert!(err.contains("empty"), "{err}");
    }

    #[test]
    fn tls_is_refused_before_anything_is_sent() {
        for argv in [
            &[
                "register",
                "--server",
                "127.0.0.1",
                "--user",
                "1001",
                "--password-stdin",
                "--transport",
                "TLS",
            ][..],
            &["options", "--server", "127.0.0.1", "--transport", "tls"],
        ] {
            let (code, out, err) = run_args(argv, "pw\n");
            assert_eq!(code, 2, "{argv:?}: {out} {err}");
            assert_eq!(
                err,
                "sipdoctor-cli probe: the test client speaks UDP or TCP, not TLS\n"
            );
            assert!(out.is_empty());
        }
        // An unknown transport is clap's error.
        let t = T::try_parse_from(["probe", "options", "--server", "h", "--transport", "sctp"]);
        assert!(
            t.unwrap_err()
                .to_string()
                .contains("unknown transport \"sctp\"")
        );
    }

    #[test]
    fn secret_source_is_required() {
        assert!(T::try_parse_from(["probe", "register", "--server", "h", "--user", "1"]).is_err());
    }

    #[test]
    fn dns_failure_exits_1_with_json_verdict_error() {
        let (code, out, _) = run_args(
            &[
                "register",
                "--server",
                "pbx.sipdoctor.invalid",
                "--user",
                "1001",
                "--password-stdin",
                "--json",
            ],
            "Secret-Pw-1\n",
        );
        assert_eq!(code, 1);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["verdict"], "error");
        assert!(v["message"].as_str().unwrap().contains("DNS failure"));
        assert!(!out.contains("Secret-Pw-1"));
    }
}
