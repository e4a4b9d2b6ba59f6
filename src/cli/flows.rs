//! `sipdoctor-cli flows CAPTURE [--json]`: every SIP message, grouped into auth exchanges.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use crate::analysis::{self, Analysis};
use crate::report;
use crate::transaction::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The capture (pcap or pcapng).
    pub capture: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Load a capture for a CLI command; prints a one-line error and returns `None` on failure.
pub fn load(path: &std::path::Path) -> Option<Analysis> {
    let cancel = AtomicBool::new(false);
    match analysis::analyze_file(path, &mut |_| {}, &cancel) {
        Ok(a) => Some(a),
        Err(e) => {
            eprintln!("sipdoctor-cli: {e}");
            None
        }
    }
}

/// True when an exchange ended in an authentication failure.
pub fn auth_failed(a: &Analysis) -> bool {
    a.exchanges.iter().any(|e| {
        matches!(
            e.outcome,
            Outcome::Rechallenged
                | Outcome::ChallengeUnanswered
                | Outcome::NoResponse
                | Outcome::Unreachable
        ) || (e.outcome == Outcome::Rejected && matches!(e.final_status, Some(401 | 403 | 407)))
    })
}

pub fn run(args: Args) -> i32 {
    let Some(a) = load(&args.capture) else {
        return 2;
    };
    if args.json {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if report::write_flows_json(&a, &mut out).is_err()
            || std::io::Write::write_all(&mut out, b"\n").is_err()
            || std::io::Write::flush(&mut out).is_err()
        {
            return 2;
        }
    } else {
        print!("{}", crate::textsafe::terminal(&report::flows_text(&a)));
    }
    i32::from(auth_failed(&a))
}
