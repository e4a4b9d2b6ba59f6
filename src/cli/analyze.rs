//! `sipdoctor-cli analyze CAPTURE [--json] [--password-stdin | --ha1-stdin]`.

use std::path::PathBuf;

use super::exit::{self, Exit};
use crate::kb::Lang;
use crate::report;
use crate::secret::Secret;
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
    /// Language of knowledge-base titles in text output: en, zh, vi.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Write a Markdown (.md) or HTML (.html) report to this file as well.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

pub fn parse_lang(s: &str) -> Option<Lang> {
    match s {
        "en" => Some(Lang::En),
        "zh" => Some(Lang::Zh),
        "vi" => Some(Lang::Vi),
        _ => None,
    }
}

pub fn run(args: Args) -> Exit {
    let Some(lang) = parse_lang(&args.lang) else {
        return exit::fail("--lang must be en, zh or vi");
    };
    // Read the secret first: a bad capture path should not leave it waiting on stdin.
    let secret = if args.password_stdin || args.ha1_stdin {
        match Secret::read_line(std::io::stdin(), args.ha1_stdin) {
            Ok(s) if !s.expose().is_empty() => Some(s),
            Ok(_) => return exit::fail("nothing on standard input"),
            Err(e) => return exit::fail(format!("cannot read standard input: {e}")),
        }
    } else {
        None
    };
    let mut a = match super::flows::load(&args.capture) {
        Ok(a) => a,
        Err(x) => return x,
    };
    if let Some(secret) = &secret {
        let expect = Expectation {
            username: args.username.clone(),
            realm: args.realm.clone(),
            domain: None,
        };
        a.verify_with(secret, &expect);
    }
    drop(secret);
    // The report file first: a reader that closes the pipe early must not lose it.
    if let Some(path) = &args.report {
        let html = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        let body = if html {
            report::html(&a, lang)
        } else {
            report::markdown(&a, lang)
        };
        if let Err(e) = std::fs::write(path, body) {
            return exit::fail(format!("cannot write {}: {e}", path.display()));
        }
    }
    let written = exit::to_stdout(|out| {
        if args.json {
            report::write_analysis_json_in(&a, lang, &mut *out)?;
            writeln!(out)
        } else {
            out.write_all(crate::textsafe::terminal(&report::analysis_text(&a, lang)).as_bytes())
        }
    });
    Exit::after(written, Exit::problem_if(a.has_error()))
}
