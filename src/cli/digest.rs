//! `sipdoctor-cli digest` (being built).

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> i32 {
    eprintln!("sipdoctor-cli digest: not available in this build yet");
    2
}
