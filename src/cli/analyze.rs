//! `sipdoctor-cli analyze CAPTURE [--json] [--password-stdin | --ha1-stdin] [--account USER]
//! [--client IP[:PORT]] [--report FILE] [--save PCAP]`.

use std::path::PathBuf;

use super::exit::{self, Exit};
use crate::accounts::{ClientFilter, Focus};
use crate::kb::Lang;
use crate::msg::{Msg, Text, io_reason};
use crate::report;
use crate::secret::Secret;
use crate::text;
use crate::verify::Expectation;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The capture (pcap or pcapng).
    pub capture: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Read the account's password from standard input (first line) and verify every digest.
    #[arg(long, conflicts_with = "ha1_stdin")]
    pub password_stdin: bool,
    /// Read the HA1 the server stores (hex) from standard input instead of a password.
    #[arg(long)]
    pub ha1_stdin: bool,
    /// The username the server expects (optional, sharpens "which input differs").
    #[arg(long)]
    pub username: Option<String>,
    /// The realm the server uses (optional).
    #[arg(long)]
    pub realm: Option<String>,
    /// Language of every sentence (findings, verdict, steps, fix) in text, JSON and reports:
    /// en, zh, vi. Values, codes and field names stay as they are. Without it the text and
    /// the report follow the environment (as the errors do), and the JSON stays English.
    #[arg(long)]
    pub lang: Option<String>,
    /// Write a Markdown (.md) or HTML (.html) report to this file as well.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Save the relevant packets (the auth exchanges and ICMP errors) to this pcap file.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Narrow every output to the accounts of this user or auth username (any case).
    #[arg(long)]
    pub account: Option<String>,
    /// Narrow every output to the accounts of this client IP, or IP:PORT.
    #[arg(long)]
    pub client: Option<ClientFilter>,
}

pub fn parse_lang(s: &str) -> Option<Lang> {
    match s {
        "en" => Some(Lang::En),
        "zh" => Some(Lang::Zh),
        "vi" => Some(Lang::Vi),
        _ => None,
    }
}

/// The language of the output: `--lang` when given; else English for JSON (a machine reads
/// it: it does not change with the user's locale) and the environment's for text and reports.
/// Err(the value) when `--lang` is not a language.
pub fn output_lang(given: Option<&str>, json: bool) -> Result<Lang, String> {
    match given {
        Some(v) => parse_lang(v).ok_or_else(|| v.to_string()),
        None if json => Ok(Lang::En),
        None => Ok(exit::error_lang()),
    }
}

pub fn run(args: Args) -> Exit {
    let lang = match output_lang(args.lang.as_deref(), args.json) {
        Ok(l) => l,
        Err(value) => return exit::fail(text!(CliBadLang, value = value)),
    };
    // A report file is for the ticket: in the user's language even beside English JSON.
    let report_lang = match &args.lang {
        Some(_) => lang,
        None => exit::error_lang(),
    };
    // Read the secret first: a bad capture path should not leave it waiting on stdin.
    let secret = if args.password_stdin || args.ha1_stdin {
        match Secret::read_line(std::io::stdin(), args.ha1_stdin) {
            Ok(s) if !s.expose().is_empty() => Some(s),
            Ok(_) => return exit::fail(Text::new(Msg::CliNothingOnStdin)),
            Err(e) => return exit::fail(text!(CliCannotReadStdin, reason = io_reason(&e))),
        }
    } else {
        None
    };
    let focus = Focus {
        account: args.account.clone(),
        client: args.client,
    };
    // Only the JSON alone overlaps the diagnosis with its writing; with nothing to narrow
    // or verify before, the accounts are built while it is written too.
    let overlapped = args.json && args.report.is_none();
    let accounts_later = overlapped && focus.is_empty() && secret.is_none();
    // Diagnosed below: by the focus, by the verification, or while the JSON is written.
    let loaded = if accounts_later {
        super::flows::load_grouped(&args.capture)
    } else {
        super::flows::load_undiagnosed(&args.capture)
    };
    let mut a = match loaded {
        Ok(a) => a,
        Err(x) => return x,
    };
    let mut diagnosed = false;
    if !focus.is_empty() {
        if !a.accounts.iter().any(|x| focus.matches(x)) {
            return exit::fail(text!(
                CliNoAccount,
                path = args.capture.display().to_string(),
                focus = focus_words(&focus)
            ));
        }
        // Narrowed before the secret is checked: it is checked against these requests only.
        // Nothing to copy when the focus selects the whole capture.
        if let Some(focused) = a.narrowed(&focus) {
            super::discard(std::mem::replace(&mut a, focused));
            diagnosed = true;
        }
    }
    if let Some(secret) = &secret {
        let expect = Expectation {
            username: args.username.clone(),
            realm: args.realm.clone(),
            domain: None,
        };
        a.verify_with(secret, &expect);
        diagnosed = true;
    }
    drop(secret);
    if !diagnosed && !overlapped {
        a.rediagnose();
        diagnosed = true;
    }
    let mut clock = crate::analysis::PhaseClock::new();
    // The report file first: a reader that closes the pipe early must not lose it.
    if let Some(path) = &args.report {
        let html = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        let body = if html {
            report::html(&a, report_lang)
        } else {
            report::markdown(&a, report_lang)
        };
        if let Err(e) = std::fs::write(path, body) {
            return exit::fail(text!(
                CliCannotWrite,
                path = path.display().to_string(),
                reason = io_reason(&e)
            ));
        }
        clock.lap("report");
    }
    if let Some(path) = &args.save
        && let Err(e) = report::export_relevant(&a, &args.capture, path)
    {
        return exit::fail(text!(
            CliCannotSave,
            path = path.display().to_string(),
            reason = e.text()
        ));
    }
    let written = exit::to_stdout(|out| {
        if args.json && accounts_later {
            report::build_accounts_diagnose_and_write_json(&mut a, lang, &mut *out)?;
            writeln!(out)
        } else if args.json && !diagnosed {
            report::diagnose_and_write_json(&mut a, lang, &mut *out)?;
            writeln!(out)
        } else if args.json {
            report::write_analysis_json_in(&a, lang, &mut *out)?;
            writeln!(out)
        } else {
            out.write_all(crate::textsafe::terminal(&report::analysis_text(&a, lang)).as_bytes())
        }
    });
    clock.lap(if diagnosed {
        "output"
    } else if accounts_later {
        "accounts+diagnose+output"
    } else {
        "diagnose+output"
    });
    let status = Exit::after(written, Exit::problem_if(a.has_error()));
    super::discard(a);
    status
}

/// "--account 2017 --client 127.0.10.17", as the user typed the focus.
fn focus_words(f: &Focus) -> String {
    let mut w = Vec::new();
    if let Some(u) = &f.account {
        w.push(format!("--account {u:?}"));
    }
    if let Some(c) = &f.client {
        w.push(match c {
            ClientFilter::Ip(ip) => format!("--client {ip}"),
            ClientFilter::Addr(a) => format!("--client {a}"),
        });
    }
    w.join(" ")
}
