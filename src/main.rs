//! The desktop app: `sipdoctor [CAPTURE]`.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    sipdoctor::gui::run_app(std::env::args_os().nth(1).map(std::path::PathBuf::from))
}
