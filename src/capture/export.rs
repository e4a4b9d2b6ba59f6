//! "Save the relevant packets": copy chosen frames of a capture, byte for byte, into a new file.
//!
//! The input is read twice, streaming (once to learn the link types of the chosen frames, once
//! to copy them). One link type gives a pcap file (nanosecond timestamps); several give a pcapng
//! file with one interface per link type.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapTsResolution, PcapWriter};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption, InterfaceTsResolution,
};
use pcap_file::{DataLink, Endianness};

use super::{End, FrameReader, Nanos, Record};
use crate::error::Error;

fn open(input: &Path) -> Result<FrameReader, Error> {
    let f = std::fs::File::open(input).map_err(|source| Error::Io {
        path: input.to_path_buf(),
        source,
    })?;
    FrameReader::open(Box::new(f), input)
}

fn stop(e: End, input: &Path) -> Result<(), Error> {
    match e {
        // What could be read is exported; the rest of a damaged file is not there to copy.
        End::Eof | End::Truncated | End::Corrupt(_) => Ok(()),
        End::Io(msg) => Err(Error::Io {
            path: input.to_path_buf(),
            source: std::io::Error::other(msg),
        }),
    }
}

/// Snap length written in an exported pcap header (tcpdump's largest).
const EXPORT_SNAPLEN: u32 = 262_144;

/// Output of either format.
enum Out {
    Pcap(PcapWriter<BufWriter<std::fs::File>>),
    Pcapng(PcapNgWriter<BufWriter<std::fs::File>>, Vec<u32>),
}

fn time(ts: Nanos) -> Duration {
    Duration::from_nanos(ts.max(0) as u64)
}

impl Out {
    /// One link type gives a nanosecond pcap; several a pcapng with one interface each.
    fn create(w: BufWriter<std::fs::File>, lts: Vec<u32>) -> Result<Out, String> {
        if lts.len() <= 1 {
            let header = PcapHeader {
                version_major: 2,
                version_minor: 4,
                ts_correction: 0,
                ts_accuracy: 0,
                snaplen: EXPORT_SNAPLEN,
                datalink: DataLink::from(lts.first().copied().unwrap_or(1)),
                ts_resolution: PcapTsResolution::NanoSecond,
                endianness: Endianness::Little,
            };
            return PcapWriter::with_header(w, header)
                .map(Out::Pcap)
                .map_err(|e| e.to_string());
        }
        let mut ng =
            PcapNgWriter::with_endianness(w, Endianness::Little).map_err(|e| e.to_string())?;
        for &lt in &lts {
            let mut idb = InterfaceDescriptionBlock::new(DataLink::from(lt), 0);
            idb.options = vec![InterfaceDescriptionOption::IfTsResol(
                InterfaceTsResolution::NANO,
            )];
            ng.write_pcapng_block(idb).map_err(|e| e.to_string())?;
        }
        Ok(Out::Pcapng(ng, lts))
    }

    fn write(
        &mut self,
        link_type: u32,
        ts: Nanos,
        orig_len: u32,
        data: &[u8],
    ) -> Result<(), String> {
        let orig_len = orig_len.max(data.len() as u32);
        match self {
            Out::Pcap(w) => {
                let p = PcapPacket::new(time(ts), orig_len, data).map_err(|e| e.to_string())?;
                w.write_packet(&p).map(|_| ()).map_err(|e| e.to_string())
            }
            Out::Pcapng(w, lts) => {
                let iface = lts.iter().position(|&l| l == link_type).unwrap_or(0) as u32;
                let epb = EnhancedPacketBlock {
                    interface_id: iface,
                    timestamp: time(ts),
                    original_len: orig_len,
                    data: Cow::Borrowed(data),
                    options: vec![],
                };
                w.write_pcapng_block(epb)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Out::Pcap(w) => w.into_inner().flush(),
            Out::Pcapng(w, _) => w.into_inner().flush(),
        }
    }
}

/// Write the frames numbered in `frames` (1-based) from `input` to `out`; returns how many
/// were written. The writing is pcap-file's `PcapWriter` / `PcapNgWriter`.
pub fn export_frames(input: &Path, frames: &BTreeSet<u64>, out: &Path) -> Result<u64, Error> {
    if let (Ok(a), Ok(b)) = (input.canonicalize(), out.canonicalize())
        && a == b
    {
        return Err(Error::OverwriteSource {
            path: out.to_path_buf(),
        });
    }
    let last = frames.last().copied().unwrap_or(0);
    // Pass 1: link types of the chosen frames.
    let mut lts: Vec<u32> = Vec::new();
    let mut r = open(input)?;
    let mut n = 0u64;
    while n < last {
        match r.next_frame() {
            Ok(rec) => {
                n += 1;
                if let Record::Frame(f) = rec
                    && frames.contains(&n)
                    && !lts.contains(&f.link_type)
                {
                    lts.push(f.link_type);
                }
            }
            Err(e) => {
                stop(e, input)?;
                break;
            }
        }
    }
    let io = |source| Error::Io {
        path: out.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(out).map_err(io)?;
    let bad = |what: String| Error::Io {
        path: out.to_path_buf(),
        source: std::io::Error::other(what),
    };
    let mut w = Out::create(BufWriter::with_capacity(256 * 1024, file), lts).map_err(bad)?;
    // Pass 2: copy.
    let mut r = open(input)?;
    let mut n = 0u64;
    let mut written = 0u64;
    while n < last {
        match r.next_frame() {
            Ok(rec) => {
                n += 1;
                if let Record::Frame(f) = rec
                    && frames.contains(&n)
                {
                    w.write(f.link_type, f.ts, f.orig_len, f.data)
                        .map_err(bad)?;
                    written += 1;
                }
            }
            Err(e) => {
                stop(e, input)?;
                break;
            }
        }
    }
    w.finish().map_err(io)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::testutil::*;
    use crate::capture::{Event, PacketStream};

    fn tmp(name: &str) -> std::path::PathBuf {
        let d =
            std::env::temp_dir().join(format!("sipdoctor-export-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn single_link_type_gives_pcap() {
        let d = tmp("single");
        let input = d.join("in.pcap");
        let frames: Vec<Vec<u8>> = (0..5u8)
            .map(|i| {
                eth_udp(
                    [10, 0, 0, i],
                    5060,
                    [10, 0, 0, 9],
                    5060,
                    format!("OPTIONS {i}").as_bytes(),
                )
            })
            .collect();
        std::fs::write(&input, pcap_file(1, &frames)).unwrap();
        let out = d.join("out.pcap");
        let n = export_frames(&input, &BTreeSet::from([2, 4, 99]), &out).unwrap();
        assert_eq!(n, 2);
        let mut s = PacketStream::open(&out).unwrap();
        assert_eq!(s.format(), "pcap");
        let mut got = Vec::new();
        while let Some(e) = s.next_event() {
            if let Event::Datagram(p) = e {
                got.push((p.data, p.ts));
            }
        }
        assert_eq!(got[0].0, b"OPTIONS 1");
        assert_eq!(got[1].0, b"OPTIONS 3");
        assert_eq!(got[0].1, 1_700_000_001_000_000_000);
        assert!(export_frames(&input, &BTreeSet::from([1]), &input).is_err());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn several_link_types_give_pcapng() {
        let d = tmp("multi");
        let input = d.join("in.pcapng");
        let mut f = Vec::new();
        ng_shb(&mut f, true);
        ng_idb(&mut f, true, 1, 0, None);
        ng_idb(&mut f, true, 101, 0, Some(9));
        let a = eth_udp([10, 0, 0, 1], 5060, [10, 0, 0, 2], 5060, b"OPTIONS a");
        let b = ipv4(
            [10, 0, 0, 1],
            [10, 0, 0, 2],
            17,
            &udp(5060, 5060, b"OPTIONS b"),
        );
        ng_epb(&mut f, true, 0, 1, &a, a.len() as u32);
        ng_epb(&mut f, true, 1, 2_000_000_000, &b, b.len() as u32);
        std::fs::write(&input, f).unwrap();
        let out = d.join("out.pcapng");
        assert_eq!(
            export_frames(&input, &BTreeSet::from([1, 2]), &out).unwrap(),
            2
        );
        let mut s = PacketStream::open(&out).unwrap();
        assert_eq!(s.format(), "pcapng");
        let mut got = Vec::new();
        while let Some(e) = s.next_event() {
            if let Event::Datagram(p) = e {
                got.push((p.data, p.ts));
            }
        }
        assert_eq!(
            got,
            vec![
                (b"OPTIONS a".to_vec(), 1000),
                (b"OPTIONS b".to_vec(), 2_000_000_000)
            ]
        );
        assert_eq!(
            s.link_types(),
            vec!["ethernet".to_string(), "raw".to_string()]
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
