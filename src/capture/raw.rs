//! Where a message's bytes are, and reading them back.
//!
//! An analysis does not keep every message's bytes: a whole-server capture holds millions of
//! messages, and the bytes are already in the capture file. A message whose payload lies
//! verbatim in one frame of a seekable file (a plain UDP datagram, tunnels included) keeps
//! only its file offset and length, and is read back when someone shows it; the rest (TCP
//! reassembled, IP fragments, HEP, input that cannot be read again such as standard input)
//! keeps its bytes in one arena shared by the analysis. Our own code: it is the storage layout
//! of our own analysis.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where the bytes of one message are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RawRef {
    /// File offset (or arena offset when `arena`) of the first byte.
    pub at: u64,
    pub len: u32,
    pub arena: bool,
}

/// The bytes of every message of one analysis: the capture file (read back on demand) and
/// the arena. Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct RawSource {
    path: Option<PathBuf>,
    arena: Arc<[u8]>,
    /// The file, opened at the first read and kept open.
    file: Arc<Mutex<Option<File>>>,
}

impl std::fmt::Debug for RawSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawSource")
            .field("path", &self.path)
            .field("arena_bytes", &self.arena.len())
            .finish()
    }
}

impl RawSource {
    /// `path`: the capture file the offsets refer to (None for standard input and other
    /// streams: then every message is in the arena).
    pub fn new(path: Option<PathBuf>, arena: Vec<u8>) -> RawSource {
        RawSource {
            path,
            arena: arena.into(),
            file: Arc::default(),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Bytes held in memory (the arena).
    pub fn arena_len(&self) -> usize {
        self.arena.len()
    }

    /// The bytes of `r`: borrowed from the arena, or read from the file.
    pub fn read(&self, r: &RawRef) -> std::io::Result<Cow<'_, [u8]>> {
        let len = r.len as usize;
        if r.arena {
            let start = usize::try_from(r.at).unwrap_or(usize::MAX);
            return self
                .arena
                .get(start..start.saturating_add(len))
                .map(Cow::Borrowed)
                .ok_or_else(|| std::io::Error::other("message outside the arena"));
        }
        let Some(path) = &self.path else {
            return Err(std::io::Error::other("the capture cannot be read again"));
        };
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(File::open(path)?);
        }
        let f = guard.as_mut().expect("just opened");
        f.seek(SeekFrom::Start(r.at))?;
        let mut buf = vec![0; len];
        f.read_exact(&mut buf)?;
        Ok(Cow::Owned(buf))
    }
}

/// The arena being filled while a capture is scanned.
#[derive(Debug, Default)]
pub struct Arena {
    bytes: Vec<u8>,
}

impl Arena {
    /// Keep `data`; its place.
    pub fn push(&mut self, data: &[u8]) -> RawRef {
        let at = self.bytes.len() as u64;
        self.bytes.extend_from_slice(data);
        RawRef {
            at,
            len: u32::try_from(data.len()).unwrap_or(u32::MAX),
            arena: true,
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arena_and_file_read_back() {
        let mut arena = Arena::default();
        let a = arena.push(b"first");
        let b = arena.push(b"second");
        let dir = std::env::temp_dir().join(format!("sipdoctor-raw-{}", std::process::id()));
        std::fs::write(&dir, b"0123456789").unwrap();
        let src = RawSource::new(Some(dir.clone()), arena.into_bytes());
        assert_eq!(&*src.read(&a).unwrap(), b"first");
        assert_eq!(&*src.read(&b).unwrap(), b"second");
        let f = RawRef {
            at: 3,
            len: 4,
            arena: false,
        };
        assert_eq!(&*src.read(&f).unwrap(), b"3456");
        // Past the end of the file or the arena: an error, no panic.
        assert!(
            src.read(&RawRef {
                at: 8,
                len: 4,
                arena: false
            })
            .is_err()
        );
        assert!(
            src.read(&RawRef {
                at: 8,
                len: 4,
                arena: true
            })
            .is_err()
        );
        std::fs::remove_file(&dir).unwrap();
        // No file: only the arena.
        let mem = RawSource::new(None, b"xy".to_vec());
        assert!(mem.read(&f).is_err());
        assert_eq!(
            &*mem
                .read(&RawRef {
                    at: 0,
                    len: 2,
                    arena: true
                })
                .unwrap(),
            b"xy"
        );
    }
}
