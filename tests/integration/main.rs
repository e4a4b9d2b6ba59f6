//! One integration-test binary (ripgrep style): the lab captures through the library and the
//! CLI, the JSON contract, secrets, and the third-party corpus.

mod accounts;
mod auth_shapes;
mod cli;
mod fix;
mod golden;
mod hostile;
mod hostile_files;
mod i18n;
mod lab;
mod mutation;
mod probe;
mod thirdparty;

use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The rows of tests/fixtures/lab.json.
pub fn lab_rows() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(fixtures().join("lab.json")).expect("lab.json");
    serde_json::from_str::<Vec<serde_json::Value>>(&text).expect("lab.json parses")
}

pub fn analyze(path: &Path) -> Result<sipdoctor::analysis::Analysis, sipdoctor::Error> {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    sipdoctor::analysis::analyze_file(path, &mut |_| {}, &cancel)
}
