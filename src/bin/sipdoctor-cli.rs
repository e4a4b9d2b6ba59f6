//! `sipdoctor-cli`: the command line (see `sipdoctor::cli`).

fn main() -> std::process::ExitCode {
    sipdoctor::cli::main()
}
