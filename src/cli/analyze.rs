//! `sipdoctor-cli analyze` (being built).

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> i32 {
    eprintln!("sipdoctor-cli analyze: not available in this build yet");
    2
}
