//! The headless command line (`sipdoctor-cli`): same analysis as the app, as text or JSON.
//!
//! Each subcommand lives in its own file with its own `clap::Args` and a `run` that returns the
//! process exit code. Exit codes everywhere: 0 ok, 1 a problem was found (auth failure, no match,
//! error finding), 2 bad input or an error.

use clap::{Parser, Subcommand};

pub mod accounts;
pub mod analyze;
pub mod check;
pub mod digest;
pub mod flows;
pub mod kb;
pub mod probe;
pub mod settings;

#[derive(Debug, Parser)]
#[command(
    name = "sipdoctor-cli",
    version,
    about = "Diagnose SIP authentication failures (401/407/403) from pcap/pcapng captures",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every SIP message and group them into auth exchanges (a ladder).
    Flows(flows::Args),
    /// Full diagnosis: findings, exchanges, and (with a secret on stdin) digest verification.
    Analyze(analyze::Args),
    /// One row per account (user + client IP): outcome, root cause, attempts, first/last seen.
    Accounts(accounts::Args),
    /// Compute a digest response from flags (the digest calculator).
    Digest(digest::Args),
    /// The knowledge base: list, show and match entries.
    Kb(kb::Args),
    /// Parse pasted server output: fail2ban status, clock status, server log lines.
    Check(check::Args),
    /// Send a test REGISTER or OPTIONS from this machine (the known-good client).
    Probe(probe::Args),
    /// Print settings for Linphone, Zoiper, baresip and sipp that reproduce an account.
    Settings(settings::Args),
}

/// Parse the process arguments and run; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Flows(a) => flows::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Accounts(a) => accounts::run(a),
        Command::Digest(a) => digest::run(a),
        Command::Kb(a) => kb::run(a),
        Command::Check(a) => check::run(a),
        Command::Probe(a) => probe::run(a),
        Command::Settings(a) => settings::run(a),
    }
}
