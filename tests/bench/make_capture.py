#!/usr/bin/env python3
"""Build a large benchmark capture.

usage: make_capture.py OUT.pcap SIZE_MB [SIP_EVERY_N_PACKETS]     (RTP-heavy)
       make_capture.py OUT.pcap SIZE_MB --sip-only [ACCOUNTS]     (all SIP)

RTP-heavy: mostly RTP (G.711, 20 ms); every SIP_EVERY packets (default 200) one REGISTER ->
401 -> REGISTER(Authorization) -> 200 exchange is written (4 SIP messages, a fresh Call-ID
each), so roughly 98% of the packets are RTP, like a capture on a busy SBC. With
SIP_EVERY = 20 (bench.sh's "rtp95" mode) about 95% of the bytes are RTP.

SIP-only (--sip-only): what `sngrep -d eth0 port 5060` on a registrar records. ACCOUNTS
(default 5000) phones, user 100000+i, each from its own address 10.x.y.z, re-register in rounds
(same Call-ID per phone, CSeq counting up, a fresh nonce per challenge): REGISTER -> 401 ->
REGISTER(Authorization) -> 200, with a real MD5 digest of the phone's password. One phone in
five has a wrong password: its authenticated REGISTER is challenged again (401) and it gives
up until the next round. Ethernet/IPv4/UDP, microsecond pcap.
"""
import hashlib
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


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


class Phone:
    """One account of the SIP-only capture: its address, Call-ID and CSeq counter."""

    def __init__(self, i):
        self.user = str(100000 + i)
        n = i + 1
        self.ip = bytes([10, (n >> 16) & 255, (n >> 8) & 255, n & 255])
        self.host = ".".join(str(b) for b in self.ip)
        self.call_id = f"reg-{self.user}@{self.host}"
        self.password = f"wrong-{self.user}" if i % 5 == 0 else f"pw-{self.user}"
        self.cseq = 0


SERVER = bytes([192, 0, 2, 1])


def sip_register_round(phone, n):
    """One re-registration of `phone` (the n-th exchange of the capture): 4 messages."""
    frm = f"From: <sip:{phone.user}@sipdoctor.lab>;tag=t{phone.user}\r\n"
    to = f"To: <sip:{phone.user}@sipdoctor.lab>"
    cid = f"Call-ID: {phone.call_id}\r\n"
    tail = (f"Contact: <sip:{phone.user}@{phone.host}:5060>\r\nMax-Forwards: 70\r\n"
            "User-Agent: BenchPhone/1.0\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n")
    server = "Server: kamailio (5.6.3 (x86_64/linux))\r\nContent-Length: 0\r\n\r\n"
    wrong = phone.password.startswith("wrong-")
    nonce = f"{n:012x}5f3a"
    msgs = []
    for auth in (False, True):
        phone.cseq += 1
        via = f"SIP/2.0/UDP {phone.host}:5060;branch=z9hG4bK{n:x}{'b' if auth else 'a'};rport"
        cseq = f"CSeq: {phone.cseq} REGISTER\r\n"
        creds = ""
        if auth:
            uri = "sip:sipdoctor.lab"
            ha1 = md5(f"{phone.user}:sipdoctor.lab:{phone.password}")
            resp = md5(f"{ha1}:{nonce}:00000001:0a4f113b:auth:{md5('REGISTER:' + uri)}")
            creds = (f'Authorization: Digest username="{phone.user}", realm="sipdoctor.lab", '
                     f'nonce="{nonce}", uri="{uri}", response="{resp}", algorithm=MD5, '
                     'qop=auth, nc=00000001, cnonce="0a4f113b"\r\n')
        req = (f"REGISTER sip:sipdoctor.lab SIP/2.0\r\nVia: {via}\r\n{frm}{to}\r\n{cid}{cseq}"
               f"{creds}{tail}")
        common = f"Via: {via};received={phone.host}\r\n{frm}{to};tag=srv{n:x}\r\n{cid}{cseq}"
        if not auth or wrong:
            nonce = f"{n:012x}{'6e2b' if auth else '5f3a'}"
            answer = (f"SIP/2.0 401 Unauthorized\r\n{common}"
                      f'WWW-Authenticate: Digest realm="sipdoctor.lab", nonce="{nonce}", '
                      f'qop="auth", algorithm=MD5\r\n{server}')
        else:
            answer = (f"SIP/2.0 200 OK\r\n{common}"
                      f"Contact: <sip:{phone.user}@{phone.host}:5060>;expires=3600\r\n{server}")
        msgs.append(frame(phone.ip, SERVER, 5060, 5060, req.encode()))
        msgs.append(frame(SERVER, phone.ip, 5060, 5060, answer.encode()))
    return msgs


def write_sip_only(out, limit, accounts):
    phones = [Phone(i) for i in range(accounts)]
    with open(out, "wb", buffering=1 << 20) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        written, n, t = 24, 0, 1_700_000_000_000_000
        rec = struct.Struct("<IIII")
        while written < limit:
            for p in sip_register_round(phones[n % accounts], n):
                t += 1_000
                f.write(rec.pack(t // 1_000_000, t % 1_000_000, len(p), len(p)))
                f.write(p)
                written += 16 + len(p)
            n += 1


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    if len(sys.argv) > 3 and sys.argv[3] == "--sip-only":
        accounts = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
        write_sip_only(out, int(size_mb * 1024 * 1024), accounts)
        return
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
