//! TEMPORARY: API types of the capture layer (the real module lands from wip/capture).
use std::net::SocketAddr;
pub type Nanos = i64;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport { Udp, Tcp, Tls }
#[derive(Debug, Clone)]
pub struct Payload { pub frame: u64, pub frames: Vec<u64>, pub ts: Nanos, pub src: SocketAddr, pub dst: SocketAddr, pub transport: Transport, pub data: Vec<u8> }
#[derive(Debug, Clone)]
pub enum Event {
    Datagram(Payload),
    TcpData { payload: Payload, gap_before: bool },
    TcpClosed { src: SocketAddr, dst: SocketAddr },
    IcmpUnreachable { frame: u64, ts: Nanos, reporter: std::net::IpAddr, kind: String, quoted: Payload },
    Tls { frame: u64, ts: Nanos, src: SocketAddr, dst: SocketAddr, handshake: bool },
}
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Skips { pub counts: std::collections::BTreeMap<String, u64> }
impl Skips {
    pub fn add(&mut self, reason: &str) { *self.counts.entry(reason.to_string()).or_default() += 1; }
    pub fn total(&self) -> u64 { self.counts.values().sum() }
}
pub struct PacketStream {}
impl PacketStream {
    pub fn open(_path: &std::path::Path) -> Result<Self, crate::error::Error> { unimplemented!() }
    pub fn next_event(&mut self) -> Option<Event> { None }
    pub fn skips(&self) -> &Skips { unimplemented!() }
    pub fn frames_read(&self) -> u64 { 0 }
    pub fn bytes_read(&self) -> u64 { 0 }
    pub fn total_bytes(&self) -> Option<u64> { None }
    pub fn format(&self) -> &'static str { "pcap" }
    pub fn link_types(&self) -> Vec<String> { vec![] }
    pub fn first_ts(&self) -> Option<Nanos> { None }
    pub fn last_ts(&self) -> Option<Nanos> { None }
}
