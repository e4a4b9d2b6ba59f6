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
    BadMagic { path: PathBuf, magic: Magic },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: {what}")]
    Corrupt { path: PathBuf, what: Corruption },
    #[error("analysis cancelled")]
    Cancelled,
    #[error("no SIP exchange in this capture: nothing to save")]
    NothingToSave,
    #[error("{path}: refusing to overwrite the capture being exported")]
    OverwriteSource { path: PathBuf },
}

use crate::msg::{Msg, Text, io_reason};
use crate::text;

/// The first bytes of a file that is not a capture, and what they look like. `Display` is
/// the English of the logs: the bytes in hex, then ", a gzip file: decompress it first" or
/// ` "text", a text file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Magic {
    /// The first bytes (up to four), in hex.
    pub hex: String,
    pub kind: MagicKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MagicKind {
    /// gzip's 1f 8b: a compressed capture.
    Gzip,
    /// Printable ASCII: a text file (the bytes as text).
    Text(String),
    /// Anything else.
    Other,
}

impl Magic {
    /// What the first bytes of a file (all of them when it has fewer than four) say.
    pub fn of(first: &[u8]) -> Magic {
        let first = &first[..first.len().min(4)];
        let hex = first
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<Vec<_>>()
            .join(" ");
        let kind = if first.len() < 4 {
            MagicKind::Other
        } else if first[0] == 0x1f && first[1] == 0x8b {
            MagicKind::Gzip
        } else if first.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
            MagicKind::Text(String::from_utf8_lossy(first).into_owned())
        } else {
            MagicKind::Other
        };
        Magic { hex, kind }
    }
}

impl std::fmt::Display for Magic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            MagicKind::Gzip => write!(f, "{}, a gzip file: decompress it first", self.hex),
            MagicKind::Text(t) => write!(f, "{} \"{t}\", a text file", self.hex),
            MagicKind::Other => f.write_str(&self.hex),
        }
    }
}

/// What is wrong with a capture that cannot be read on. Typed, so that each language's words
/// are chosen by it and never by the wording; `Display` is the English of the logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Corruption {
    /// The file ends inside its own header.
    HeaderCut,
    /// A header, record or block says it is bigger than any real one could be.
    ClaimsTooMuch {
        part: CapturePart,
        at: u64,
        bytes: u64,
    },
    /// The pcapng section header is wrong (the reader's words).
    PcapngHeader(String),
    /// A pcapng block is wrong at this byte (the reader's words).
    PcapngBlock { at: u64, detail: String },
    /// Anything else the pcap-file reader refuses, in its words.
    Reader(String),
}

/// The part of a capture file a [`Corruption`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapturePart {
    PcapHeader,
    PcapRecord,
    PcapngHeader,
    PcapngBlock,
}

impl CapturePart {
    fn english(self) -> &'static str {
        match self {
            CapturePart::PcapHeader => "pcap header",
            CapturePart::PcapRecord => "pcap record",
            CapturePart::PcapngHeader => "pcapng section header",
            CapturePart::PcapngBlock => "pcapng block",
        }
    }
    fn msg(self) -> Msg {
        match self {
            CapturePart::PcapHeader => Msg::PartPcapHeader,
            CapturePart::PcapRecord => Msg::PartPcapRecord,
            CapturePart::PcapngHeader => Msg::PartPcapngHeader,
            CapturePart::PcapngBlock => Msg::PartPcapngBlock,
        }
    }
}

impl std::fmt::Display for Corruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Corruption::HeaderCut => f.write_str("the file header is truncated"),
            Corruption::ClaimsTooMuch { part, at, bytes } => {
                write!(f, "{} at byte {at} claims {bytes} bytes", part.english())
            }
            Corruption::PcapngHeader(d) => write!(f, "pcapng section header: {d}"),
            Corruption::PcapngBlock { at, detail } => {
                write!(f, "pcapng block at byte {at}: {detail}")
            }
            Corruption::Reader(d) => f.write_str(d),
        }
    }
}

impl Error {
    /// The error as a message of the catalogue, for any language (the CLI's and the GUI's
    /// words; `Display` stays the English of the logs). A [`Corruption`] from pcap-file's
    /// own words keeps them, quoted, as a parameter.
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

fn magic_text(path: &str, magic: &Magic) -> Text {
    let hex = magic.hex.clone();
    match &magic.kind {
        MagicKind::Gzip => text!(ErrGzip, path = path, magic = hex),
        MagicKind::Text(shown) => {
            text!(ErrTextFile, path = path, magic = hex, text = shown.clone())
        }
        MagicKind::Other => text!(ErrNotCapture, path = path, magic = hex),
    }
}

fn corrupt_text(path: String, what: &Corruption) -> Text {
    match what {
        Corruption::HeaderCut => text!(ErrHeaderCut, path = path),
        Corruption::ClaimsTooMuch { part, at, bytes } => text!(
            ErrClaimsTooMuch,
            path = path,
            part = part.msg(),
            at = at.to_string(),
            n = bytes.to_string()
        ),
        Corruption::PcapngHeader(detail) => {
            text!(ErrPcapngHeader, path = path, detail = detail.clone())
        }
        Corruption::PcapngBlock { at, detail } => text!(
            ErrPcapngBlock,
            path = path,
            at = at.to_string(),
            detail = detail.clone()
        ),
        Corruption::Reader(detail) => text!(ErrCorrupt, path = path, detail = detail.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English of the logs is what the capture layer wrote as free text before these
    /// were typed; each value picks its message by its variant.
    #[test]
    fn corruptions_and_magics_read_as_before_and_pick_their_message() {
        let cases = [
            (
                Corruption::HeaderCut,
                "the file header is truncated",
                Msg::ErrHeaderCut,
            ),
            (
                Corruption::ClaimsTooMuch {
                    part: CapturePart::PcapngBlock,
                    at: 28,
                    bytes: 4_294_967_295,
                },
                "pcapng block at byte 28 claims 4294967295 bytes",
                Msg::ErrClaimsTooMuch,
            ),
            (
                Corruption::PcapngHeader("bad".into()),
                "pcapng section header: bad",
                Msg::ErrPcapngHeader,
            ),
            (
                Corruption::PcapngBlock {
                    at: 300,
                    detail: "Invalid field value".into(),
                },
                "pcapng block at byte 300: Invalid field value",
                Msg::ErrPcapngBlock,
            ),
            (
                Corruption::Reader("at byte 300 claims 9 bytes".into()),
                "at byte 300 claims 9 bytes",
                Msg::ErrCorrupt,
            ),
        ];
        for (what, english, id) in cases {
            assert_eq!(what.to_string(), english);
            let e = Error::Corrupt {
                path: "x.pcap".into(),
                what,
            };
            assert_eq!(e.to_string(), format!("x.pcap: {english}"));
            assert_eq!(e.text().id, id, "{english}");
        }
        let magics = [
            (
                &b"\x1f\x8b\x08\x00"[..],
                "1f 8b 08 00, a gzip file: decompress it first",
                Msg::ErrGzip,
            ),
            (
                &b"hell"[..],
                "68 65 6c 6c \"hell\", a text file",
                Msg::ErrTextFile,
            ),
            (&b"\x00\x01\x02\x03"[..], "00 01 02 03", Msg::ErrNotCapture),
            (&b"he"[..], "68 65", Msg::ErrNotCapture),
        ];
        for (first, english, id) in magics {
            let magic = Magic::of(first);
            assert_eq!(magic.to_string(), english);
            let e = Error::BadMagic {
                path: "x".into(),
                magic,
            };
            assert_eq!(e.text().id, id, "{english}");
        }
    }
}
