//! `sipdoctor-cli analyze CAPTURE [--json] [--password-stdin | --ha1-stdin]`.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnose::Severity;
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

pub fn run(args: Args) -> i32 {
    let Some(lang) = parse_lang(&args.lang) else {
        eprintln!("sipdoctor-cli: --lang must be en, zh or vi");
        return 2;
    };
    // Read the secret first: a bad capture path should not leave it waiting on stdin.
    let secret = if args.password_stdin || args.ha1_stdin {
        match Secret::read_line(std::io::stdin(), args.ha1_stdin) {
            Ok(s) if !s.expose().is_empty() => Some(s),
            Ok(_) => {
                eprintln!("sipdoctor-cli: nothing on standard input");
                return 2;
            }
            Err(e) => {
                eprintln!("sipdoctor-cli: cannot read standard input: {e}");
                return 2;
            }
        }
    } else {
        None
    };
    let Some(mut a) = super::flows::load(&args.capture) else {
        return 2;
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
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let printed = if args.json {
        report::write_analysis_json(&a, &mut out)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        write!(
            out,
            "{}",
            crate::textsafe::terminal(&report::analysis_text(&a, lang))
        )
    };
    if printed.and_then(|_| out.flush()).is_err() {
        return 2;
    }
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
            eprintln!("sipdoctor-cli: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    i32::from(a.findings.iter().any(|f| f.severity == Severity::Error))
}
