//! `sipdoctor-cli flows CAPTURE [--json] [--lang LANG]`: every SIP message, grouped into auth exchanges.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use super::exit::{self, Exit};
use crate::analysis::{self, Analysis};
use crate::report;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The capture (pcap or pcapng).
    pub capture: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
    /// Language of the text's words: en, zh, vi (messages, addresses and codes stay as they
    /// are). Without it the text follows the environment; the JSON is English unless given.
    #[arg(long)]
    pub lang: Option<String>,
}

/// Load a capture for a CLI command; prints a one-line error on failure.
pub fn load(path: &std::path::Path) -> Result<Analysis, Exit> {
    let cancel = AtomicBool::new(false);
    analysis::analyze_file(path, &mut |_| {}, &cancel).map_err(|e| exit::fail(e.text()))
}

/// [`load`] without the diagnosis (no findings yet; see
/// [`analysis::analyze_stream_undiagnosed`]).
pub fn load_undiagnosed(path: &std::path::Path) -> Result<Analysis, Exit> {
    load_by(path, analysis::analyze_stream_undiagnosed)
}

/// [`load_undiagnosed`] without the accounts either (see
/// [`analysis::analyze_stream_grouped`]): what `flows` shows.
pub fn load_grouped(path: &std::path::Path) -> Result<Analysis, Exit> {
    load_by(path, analysis::analyze_stream_grouped)
}

/// One of the analyses of an opened stream (`analysis::analyze_stream_undiagnosed`...).
type AnalyzeStream = fn(
    crate::capture::PacketStream,
    &str,
    &mut dyn FnMut(&analysis::Progress),
    &AtomicBool,
) -> Result<Analysis, crate::error::Error>;

/// The capture at `path` opened and analysed by `analyze`; a one-line error on failure.
fn load_by(path: &std::path::Path, analyze: AnalyzeStream) -> Result<Analysis, Exit> {
    let cancel = AtomicBool::new(false);
    let stream = crate::capture::PacketStream::open(path).map_err(|e| exit::fail(e.text()))?;
    let name = path.display().to_string();
    analyze(stream, &name, &mut |_| {}, &cancel).map_err(|e| exit::fail(e.text()))
}

pub fn run(args: Args) -> Exit {
    let lang = match super::analyze::output_lang(args.lang.as_deref(), args.json) {
        Ok(l) => l,
        Err(value) => return exit::fail(crate::text!(CliBadLang, value = value)),
    };
    // Messages and exchanges only: the accounts and the diagnosis would be thrown away.
    let a = match load_grouped(&args.capture) {
        Ok(a) => a,
        Err(x) => return x,
    };
    let mut clock = analysis::PhaseClock::new();
    let written = exit::to_stdout(|out| {
        if args.json {
            report::write_flows_json(&a, &mut *out)?;
            writeln!(out)
        } else {
            out.write_all(crate::textsafe::terminal(&report::flows_text_in(&a, lang)).as_bytes())
        }
    });
    clock.lap("output");
    let status = Exit::after(written, Exit::problem_if(a.auth_failed()));
    super::discard(a);
    status
}
