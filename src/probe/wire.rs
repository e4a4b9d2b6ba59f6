//! The probe's sockets: one connected UDP socket or one TCP connection to the server the
//! technician typed, with read deadlines. Nothing here loops on its own: every send is asked
//! for by the transaction logic in `mod.rs`, which counts them.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use super::Transport;
use crate::msg::Text;
use crate::text;

/// Largest message we accept from the server (a REGISTER answer is a few hundred bytes).
const MAX_MESSAGE: usize = 64 * 1024;

/// What a read brought.
#[derive(Debug)]
pub enum Recv {
    /// One complete SIP message (UDP datagram or a Content-Length framed TCP message).
    Message(Vec<u8>),
    /// The deadline passed without a message.
    Timeout,
    /// ICMP port unreachable on the connected UDP socket (Linux reports it as
    /// `ECONNREFUSED` on the next `recv`), or a TCP reset.
    Refused,
    /// The server closed the TCP connection.
    Closed,
    Error(io::Error),
    /// The TCP stream cannot be framed into messages (why, in words of the catalogue).
    Unframed(Text),
}

/// Why opening failed.
#[derive(Debug)]
pub enum OpenError {
    /// TCP connection refused (nothing listens there).
    Refused,
    /// TCP connect timed out (a firewall drops the SYN, or nobody answers).
    Timeout,
    /// The local address to bind to is not usable (not on this machine, wrong family).
    Bind(io::Error),
    /// A source address was chosen for TCP (works with UDP only).
    BindTcp(std::net::IpAddr),
    Other(io::Error),
}

pub enum Conn {
    Udp(UdpSocket),
    Tcp { stream: TcpStream, buf: Vec<u8> },
}

fn unspecified_like(server: &SocketAddr) -> IpAddr {
    match server {
        SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

impl Conn {
    /// Open a socket to `server`. `bind` picks the local source address (port chosen by the
    /// system). A TCP connect waits at most `connect_timeout`.
    pub fn open(
        transport: Transport,
        server: SocketAddr,
        bind: Option<IpAddr>,
        connect_timeout: Duration,
    ) -> Result<Conn, OpenError> {
        let local = SocketAddr::new(bind.unwrap_or_else(|| unspecified_like(&server)), 0);
        match transport {
            Transport::Udp => {
                let s = UdpSocket::bind(local).map_err(OpenError::Bind)?;
                // Connected, so only the server's answers reach us and an ICMP port
                // unreachable is reported on this socket (RFC 1122 4.1.3.3).
                s.connect(server).map_err(OpenError::Other)?;
                Ok(Conn::Udp(s))
            }
            Transport::Tcp => {
                let stream = if bind.is_some() {
                    tcp_connect_from(local, server, connect_timeout)?
                } else {
                    TcpStream::connect_timeout(&server, connect_timeout)
                        .map_err(classify_connect)?
                };
                let _ = stream.set_nodelay(true);
                Ok(Conn::Tcp {
                    stream,
                    buf: Vec::new(),
                })
            }
            // Refused earlier by `validate`; never opened in clear instead.
            Transport::Tls => Err(OpenError::Other(io::Error::new(
                io::ErrorKind::Unsupported,
                super::InputError::UnsupportedTransport(Transport::Tls),
            ))),
        }
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match self {
            Conn::Udp(s) => s.local_addr(),
            Conn::Tcp { stream, .. } => stream.local_addr(),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Conn::Udp(s) => s.send(bytes).map(|_| ()),
            Conn::Tcp { stream, .. } => stream.write_all(bytes),
        }
    }

    /// Wait for one message until `until`.
    pub fn recv(&mut self, until: Instant) -> Recv {
        match self {
            Conn::Udp(s) => {
                let mut buf = vec![0u8; MAX_MESSAGE];
                loop {
                    let now = Instant::now();
                    if now >= until {
                        return Recv::Timeout;
                    }
                    // A zero timeout would mean "block forever": at least 1 ms.
                    let wait = (until - now).max(Duration::from_millis(1));
                    if let Err(e) = s.set_read_timeout(Some(wait)) {
                        return Recv::Error(e);
                    }
                    match s.recv(&mut buf) {
                        Ok(n) => {
                            buf.truncate(n);
                            return Recv::Message(buf);
                        }
                        Err(e) => match e.kind() {
                            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => continue,
                            io::ErrorKind::Interrupted => continue,
                            io::ErrorKind::ConnectionRefused => return Recv::Refused,
                            _ => return Recv::Error(e),
                        },
                    }
                }
            }
            Conn::Tcp { stream, buf } => loop {
                if let Some(msg) = take_stream_message(buf) {
                    return match msg {
                        Ok(m) => Recv::Message(m),
                        Err(e) => Recv::Unframed(e),
                    };
                }
                let now = Instant::now();
                if now >= until {
                    return Recv::Timeout;
                }
                let wait = (until - now).max(Duration::from_millis(1));
                if let Err(e) = stream.set_read_timeout(Some(wait)) {
                    return Recv::Error(e);
                }
                let mut chunk = [0u8; 8192];
                match stream.read(&mut chunk) {
                    Ok(0) => return Recv::Closed,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    Err(e) => match e.kind() {
                        io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted => continue,
                        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionReset => {
                            return Recv::Refused;
                        }
                        _ => return Recv::Error(e),
                    },
                }
            },
        }
    }
}

fn classify_connect(e: io::Error) -> OpenError {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => OpenError::Refused,
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => OpenError::Timeout,
        _ => OpenError::Other(e),
    }
}

/// A TCP connection from a chosen source address needs a bind before connect, which the
/// standard library does not offer (it would need a socket crate): refused clearly instead of
/// silently using another source address.
fn tcp_connect_from(
    local: SocketAddr,
    _server: SocketAddr,
    _timeout: Duration,
) -> Result<TcpStream, OpenError> {
    Err(OpenError::BindTcp(local.ip()))
}

/// Take one complete message off the front of a TCP stream buffer (RFC 3261 18.3: framed by
/// Content-Length, which is mandatory over TCP). Leading CRLF keep-alives (RFC 5626 4.4.1)
/// are dropped. `None`: need more bytes. `Err`: the stream cannot be framed.
pub fn take_stream_message(buf: &mut Vec<u8>) -> Option<Result<Vec<u8>, Text>> {
    let lead = buf
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .count();
    if lead > 0 {
        buf.drain(..lead);
    }
    if buf.is_empty() {
        return None;
    }
    let head_end = match find(buf, b"\r\n\r\n") {
        Some(i) => i + 4,
        None => {
            if buf.len() > MAX_MESSAGE {
                return Some(Err(text!(PbTcpNoHeaderEnd, max = MAX_MESSAGE)));
            }
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let mut length: Option<usize> = None;
    for line in head.split("\r\n").skip(1) {
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("l") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => return Some(Err(text!(PbTcpBadLength))),
                }
            }
        }
    }
    let Some(len) = length else {
        return Some(Err(text!(PbTcpNoLength)));
    };
    if len > MAX_MESSAGE {
        return Some(Err(text!(PbTcpTooLong, len = len)));
    }
    if buf.len() < head_end + len {
        return None;
    }
    let msg: Vec<u8> = buf.drain(..head_end + len).collect();
    Some(Ok(msg))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `n` random bytes as lowercase hex, for branch, tag, Call-ID and cnonce. From the system's
/// random source; where that is missing, from the standard library's randomly keyed hasher.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if !ok {
        use std::hash::{BuildHasher, Hasher};
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(t ^ i as u64);
            h.write_u32(std::process::id());
            let v = h.finish().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
    crate::digest::hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_framing_by_content_length() {
        let mut buf = b"\r\n\r\nSIP/2.0 200 OK\r\nl: 3\r\n\r\nabcSIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\nSIP/2.0 4"
            .to_vec();
        let a = take_stream_message(&mut buf).unwrap().unwrap();
        assert!(a.starts_with(b"SIP/2.0 200 OK") && a.ends_with(b"abc"));
        let b = take_stream_message(&mut buf).unwrap().unwrap();
        assert!(b.starts_with(b"SIP/2.0 100 Trying") && b.ends_with(b"\r\n\r\n"));
        assert!(take_stream_message(&mut buf).is_none());
        assert_eq!(buf, b"SIP/2.0 4");
    }

    #[test]
    fn tcp_framing_errors() {
        let mut no_len = b"SIP/2.0 200 OK\r\nVia: x\r\n\r\n".to_vec();
        assert!(take_stream_message(&mut no_len).unwrap().is_err());
        let mut bad = b"SIP/2.0 200 OK\r\nContent-Length: x\r\n\r\n".to_vec();
        assert!(take_stream_message(&mut bad).unwrap().is_err());
        let mut partial = b"SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nabc".to_vec();
        assert!(take_stream_message(&mut partial).is_none());
    }

    #[test]
    fn random_hex_differs() {
        let a = random_hex(8);
        assert_eq!(a.len(), 16);
        assert_ne!(a, random_hex(8));
    }
}
