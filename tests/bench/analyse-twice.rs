//! A measurement: analyse a capture twice in one process (as the GUI opening it again) and
//! print the resident memory after each analysis and once it is dropped, and the blocks of
//! auth values and the header sets alive. `cargo run --release --no-default-features --example analyse-twice F`
//! (kept in tests/bench:
//! the top level of the repository is fixed)

use std::sync::atomic::AtomicBool;

/// The resident memory of the process, from /proc (Linux), in MB.
fn rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let l = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_string();
            l.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: analyse-twice CAPTURE");
    let stop = AtomicBool::new(false);
    for run in 1..=2 {
        let t = std::time::Instant::now();
        let a = sipdoctor::analysis::analyze_file(std::path::Path::new(&path), &mut |_| {}, &stop)
            .expect("analysis");
        println!(
            "run {run}: {} messages in {:.2} s, rss {} MB, {} blocks of auth values ({} bytes; shapes: {} bytes in {} dictionaries), {} header sets",
            a.messages.len(),
            t.elapsed().as_secs_f64(),
            rss_mb(),
            sipdoctor::sip::auth::live_blocks(),
            sipdoctor::sip::auth::live_block_bytes(),
            sipdoctor::sip::auth::live_shape_bytes(),
            sipdoctor::sip::auth::live_auth_dicts(),
            sipdoctor::sip::live_header_sets()
        );
        drop(a);
        println!(
            "run {run} dropped: rss {} MB, {} blocks, {} dictionaries, {} header sets",
            rss_mb(),
            sipdoctor::sip::auth::live_blocks(),
            sipdoctor::sip::auth::live_auth_dicts(),
            sipdoctor::sip::live_header_sets()
        );
    }
}
