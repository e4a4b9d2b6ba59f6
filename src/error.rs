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
    #[error("no SIP exchange in this capture: nothing to save")]
    NothingToSave,
    #[error("{path}: refusing to overwrite the capture being exported")]
    OverwriteSource { path: PathBuf },
}

use crate::msg::{Msg, Text, io_reason};
use crate::text;

impl Error {
    /// The error as a message of the catalogue, for any language (the CLI's and the GUI's
    /// words; `Display` stays the English of the logs). `Corrupt::what` is free text (some of
    /// it pcap-file's own words): the forms the capture layer writes are recognised here and
    /// given their ids with their values (byte offset, sizes); anything else keeps its words,
    /// quoted, as a parameter.
    pub fn text(&self) -> Text {
        match self {
            Error::Io { path, source } => {
                // Opening a folder works on Unix; the read then fails, and the reader hands
                // the error on as text (kind Other).
                let reason = if source.kind() == std::io::ErrorKind::Other && path.is_dir() {
                    Text::new(Msg::IoIsDirectory)
                } else {
                    io_reason(source)
                };
                text!(
                    ErrCannotRead,
                    path = path.display().to_string(),
                    reason = reason
                )
            }
            Error::BadMagic { path, magic } => magic_text(&path.display().to_string(), magic),
            Error::Empty { path } => text!(ErrEmptyFile, path = path.display().to_string()),
            Error::Corrupt { path, what } => corrupt_text(path.display().to_string(), what),
            Error::Cancelled => Text::new(Msg::ErrCancelled),
            Error::NothingToSave => Text::new(Msg::ErrNothingToSave),
            Error::OverwriteSource { path } => {
                text!(ErrOverwriteSource, path = path.display().to_string())
            }
        }
    }
}

/// `BadMagic`'s `magic`: the first bytes in hex, then ", a gzip file: ..." or
/// ` "text", a text file` (see `capture::file::describe_magic`).
fn magic_text(path: &str, magic: &str) -> Text {
    let hex = magic
        .split([',', '"'])
        .next()
        .unwrap_or(magic)
        .trim()
        .to_string();
    if magic.contains(", a gzip file") {
        text!(ErrGzip, path = path, magic = hex)
    } else if let Some(shown) = magic
        .strip_suffix(", a text file")
        .and_then(|m| m.split_once('"'))
        .and_then(|(_, rest)| rest.strip_suffix('"'))
    {
        text!(ErrTextFile, path = path, magic = hex, text = shown)
    } else {
        text!(ErrNotCapture, path = path, magic = magic)
    }
}

/// `Corrupt`'s `what`, as `capture::file` writes it.
fn corrupt_text(path: String, what: &str) -> Text {
    if what == "the file header is truncated" {
        return text!(ErrHeaderCut, path = path);
    }
    // "{part} at byte {at} claims {n} bytes" (Input::need_more).
    if let Some((part, rest)) = what.split_once(" at byte ")
        && let Some((at, rest)) = rest.split_once(" claims ")
        && let Some(n) = rest.strip_suffix(" bytes")
    {
        let part = match part {
            "pcap header" => Some(Msg::PartPcapHeader),
            "pcap record" => Some(Msg::PartPcapRecord),
            "pcapng section header" => Some(Msg::PartPcapngHeader),
            "pcapng block" => Some(Msg::PartPcapngBlock),
            _ => None,
        };
        if let Some(part) = part {
            return text!(ErrClaimsTooMuch, path = path, part = part, at = at, n = n);
        }
    }
    if let Some(detail) = what.strip_prefix("pcapng section header: ") {
        return text!(ErrPcapngHeader, path = path, detail = detail);
    }
    if let Some(rest) = what.strip_prefix("pcapng block at byte ")
        && let Some((at, detail)) = rest.split_once(": ")
    {
        return text!(ErrPcapngBlock, path = path, at = at, detail = detail);
    }
    text!(ErrCorrupt, path = path, detail = what)
}
