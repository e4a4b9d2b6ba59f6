//! `sipdoctor-cli flows` (being built).

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> i32 {
    eprintln!("sipdoctor-cli flows: not available in this build yet");
    2
}
