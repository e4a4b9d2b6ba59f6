//! Typed errors of the analysis core.

use std::path::PathBuf;

/// An error that stops an analysis as a whole (a bad frame never does: it is counted instead).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a pcap or pcapng capture (the file starts with {magic})")]
    BadMagic { path: PathBuf, magic: String },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: {what}")]
    Corrupt { path: PathBuf, what: String },
    #[error("analysis cancelled")]
    Cancelled,
    #[error("{0}")]
    Input(String),
}
