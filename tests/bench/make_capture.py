#!/usr/bin/env python3
"""Build a large benchmark capture: mostly RTP (G.711, 20 ms) with SIP auth exchanges mixed in.

usage: make_capture.py OUT.pcap SIZE_MB [SIP_EVERY_N_PACKETS]

Every SIP_EVERY packets (default 200) one REGISTER -> 401 -> REGISTER(Authorization) -> 200
exchange is written (4 SIP messages, a fresh Call-ID each), so roughly 98% of the packets are
RTP, like a capture on a busy SBC. Ethernet/IPv4/UDP, microsecond pcap.
"""
import struct
import sys


def ip_checksum(h):
    s = sum(struct.unpack("!10H", h))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return (~s) & 0xFFFF


def frame(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", ip_checksum(hdr)) + hdr[12:]
    return b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + hdr + udp


def sip_exchange(n):
    cid = f"bench-{n}@192.0.2.10"
    via = f"SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK{n}"
    common = (f"From: <sip:1001@sipdoctor.lab>;tag={n}\r\nTo: <sip:1001@sipdoctor.lab>\r\n"
              f"Call-ID: {cid}\r\nContact: <sip:1001@192.0.2.10:5060>\r\nMax-Forwards: 70\r\n")
    reg1 = (f"REGISTER sip:sipdoctor.lab SIP/2.0\r\nVia: {via}a\r\n{common}CSeq: 1 REGISTER\r\n"
            "Expires: 3600\r\nContent-Length: 0\r\n\r\n")
    c401 = (f"SIP/2.0 401 Unauthorized\r\nVia: {via}a\r\n{common}CSeq: 1 REGISTER\r\n"
            f'WWW-Authenticate: Digest realm="sipdoctor.lab", nonce="{n:08x}abcdef", qop="auth"\r\n'
            "Server: kamailio (5.6.3 (x86_64/linux))\r\nContent-Length: 0\r\n\r\n")
    reg2 = (f"REGISTER sip:sipdoctor.lab SIP/2.0\r\nVia: {via}b\r\n{common}CSeq: 2 REGISTER\r\n"
            f'Authorization: Digest username="1001", realm="sipdoctor.lab", nonce="{n:08x}abcdef", '
            'uri="sip:sipdoctor.lab", response="0123456789abcdef0123456789abcdef", qop=auth, '
            'nc=00000001, cnonce="abc"\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n')
    ok = (f"SIP/2.0 200 OK\r\nVia: {via}b\r\n{common}CSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n")
    phone, server = bytes([192, 0, 2, 10]), bytes([192, 0, 2, 1])
    return [frame(phone, server, 5060, 5060, reg1.encode()), frame(server, phone, 5060, 5060, c401.encode()),
            frame(phone, server, 5060, 5060, reg2.encode()), frame(server, phone, 5060, 5060, ok.encode())]


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    every = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    limit = int(size_mb * 1024 * 1024)
    rtp_payload = bytes(range(160)) + bytes(12)
    a, b = bytes([198, 51, 100, 7]), bytes([203, 0, 113, 9])
    with open(out, "wb", buffering=1 << 20) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        written, n, seq, t = 24, 0, 0, 1_700_000_000_000_000
        rec = struct.Struct("<IIII")
        while written < limit:
            if n % every == 0:
                pkts = sip_exchange(n)
            else:
                seq = (seq + 1) & 0xFFFF
                rtp = struct.pack("!BBHII", 0x80, 0, seq, seq * 160, 0x1234) + rtp_payload
                pkts = [frame(a, b, 40000, 50000, rtp)]
            for p in pkts:
                t += 20_000 // 2
                f.write(rec.pack(t // 1_000_000, t % 1_000_000, len(p), len(p)))
                f.write(p)
                written += 16 + len(p)
            n += 1


if __name__ == "__main__":
    main()
