//! The headless command line (`sipdoctor-cli`): same analysis as the app, as text or JSON.
//!
//! Each subcommand lives in its own file with its own `clap::Args` and a `run` that returns its
//! [`Exit`] status: 0 ok, 1 a problem was found (auth failure, no match, error finding), 2 bad
//! input or an error. Output goes to a locked standard output; a closed pipe ends the command
//! quietly with success; errors are one line on standard error.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{FromArgMatches, Parser, Subcommand};

pub mod accounts;
pub mod analyze;
pub mod check;
pub mod digest;
pub mod exit;
pub mod flows;
pub mod help;
pub mod kb;
pub mod probe;
pub mod settings;
pub mod usage;

pub use exit::Exit;

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

/// Set by [`main`]: the process ends right after the command (see [`discard`]).
static EXITS_AFTER_COMMAND: AtomicBool = AtomicBool::new(false);

/// Let go of a command's finished analysis. In `sipdoctor-cli` the process exits right after
/// the command, and the OS takes the memory back at once: freeing millions of small
/// allocations one by one cost a tenth of the run on a big capture, so it is leaked on
/// purpose there. Called in-process (tests, other fronts), it is dropped as usual.
pub(crate) fn discard<T>(value: T) {
    if EXITS_AFTER_COMMAND.load(Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// Parse the process arguments and run; returns the exit status.
pub fn main() -> ExitCode {
    EXITS_AFTER_COMMAND.store(true, Ordering::Relaxed);
    let lang = error_lang(std::env::args_os(), crate::msg::Lang::from_env());
    exit::set_error_lang(lang);
    let parsed = help::command(lang)
        .try_get_matches_from(std::env::args_os())
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        // --help and --version: clap's text (in the language) on standard output, status 0.
        Err(e) if !e.use_stderr() => {
            return Exit::after(exit::to_stdout(|o| write!(o, "{}", e.render())), Exit::Ok).into();
        }
        // A usage error, or a value our own parser refused: one line in the user's
        // language, status 2.
        Err(e) => {
            return usage_text(&e)
                .map_or_else(|| clap_words(&e), exit::fail)
                .into();
        }
    };
    let status = match cli.command {
        Command::Flows(a) => flows::run(a),
        Command::Analyze(a) => analyze::run(a),
        Command::Accounts(a) => accounts::run(a),
        Command::Digest(a) => digest::run(a),
        Command::Kb(a) => kb::run(a),
        Command::Check(a) => check::run(a),
        Command::Probe(a) => numeric(probe::run(a)),
        Command::Settings(a) => numeric(settings::run(a)),
    };
    status.into()
}

/// The language of the errors: the value of `--lang` (or `--lang=`) when it names one, else
/// `env` (see [`crate::msg::Lang::from_env`]). Read from the raw arguments, so that an error
/// before or during the parsing of the arguments is said in it too.
pub fn error_lang(
    args: impl IntoIterator<Item = std::ffi::OsString>,
    env: crate::msg::Lang,
) -> crate::msg::Lang {
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let value = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(v) => v.strip_prefix('='),
            None => None,
        });
    value.and_then(|v| v.parse().ok()).unwrap_or(env)
}

/// The words of a usage error in the user's language ([`bad_value`], then
/// [`usage::usage_error`]); `None` for a kind we do not map.
pub(crate) fn usage_text(e: &clap::Error) -> Option<crate::msg::Text> {
    bad_value(e).or_else(|| usage::usage_error(e))
}

/// A usage error we do not map: its first line (clap's own words) on standard error, status 2.
fn clap_words(e: &clap::Error) -> Exit {
    let text = e.render().to_string();
    let line = text.lines().next().unwrap_or("bad arguments");
    exit::fail_raw(line.trim_start_matches("error: "))
}

/// A value clap handed to one of our parsers and that parser refused (`--client 1.2.3`,
/// `--transport sctp`, `--ip x`, `--timeout x`): the message in the user's language. `None`
/// for clap's own usage errors (unknown flag, missing value...), which stay clap's words.
pub(crate) fn bad_value(e: &clap::Error) -> Option<crate::msg::Text> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let context = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let arg = context(ContextKind::InvalidArg)?;
    let value = context(ContextKind::InvalidValue)?;
    let flag = arg.split([' ', '=']).next().unwrap_or(&arg).to_string();
    if flag == "--lang" {
        return Some(crate::text!(CliBadLang, value = value));
    }
    let reason = match flag.as_str() {
        "--client" => crate::msg::Msg::CliExpectClient,
        "--transport" => crate::msg::Msg::CliExpectTransport,
        "--ip" | "--bind" => crate::msg::Msg::CliExpectIp,
        "--timeout" | "--maxretry" | "--findtime" | "--bantime" | "--expires" | "--limit"
        | "--port" => crate::msg::Msg::CliExpectNumber,
        _ => return None,
    };
    Some(crate::text!(
        CliBadValue,
        value = value,
        arg = flag,
        reason = reason
    ))
}

/// A status from a command that still counts in numbers (0, 1, anything else is an error).
fn numeric(code: i32) -> Exit {
    match code {
        0 => Exit::Ok,
        1 => Exit::Problem,
        _ => Exit::BadInput,
    }
}
