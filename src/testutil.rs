//! Helpers for the unit tests of every layer: the real lab captures of `tests/fixtures`.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::model::Analysis;

/// A capture of `tests/fixtures`, through the whole pipeline.
pub fn fixture(name: &str) -> Analysis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    crate::analysis::analyze_file(&path, &mut |_| {}, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}
