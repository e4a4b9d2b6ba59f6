#!/usr/bin/env python3
"""Deliberately misconfigured SIP client for the lab (UDP REGISTER only).

sipp can only answer a challenge the way the challenge asks (same realm, MD5
only), so the two "phone misconfigured" cases below are produced with this
small client against the real lab Kamailio:

  --answer-realm R       compute and send the digest with realm R instead of
                         the challenge's (a phone with a hard-coded realm)
  --answer-algorithm A   answer with algorithm A (MD5) whatever the challenge
                         offers (a phone that only knows MD5)

The digest follows RFC 2617 section 3.2.2 / RFC 7616 section 3.4.1; the
digest uri is the Request-URI (as a correct client does).
"""
import argparse
import hashlib
import os
import random
import re
import socket
import sys
import time


def h(alg, s):
    name = {"MD5": "md5", "SHA-256": "sha256"}[alg.upper()]
    return hashlib.new(name, s.encode()).hexdigest()


def parse_challenge(msg):
    m = re.search(r"^WWW-Authenticate:\s*Digest\s+(.*)$", msg, re.M | re.I)
    if not m:
        return None
    params = {}
    for k, v in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,\s]+)', m.group(1)):
        params[k.lower()] = v.strip('"')
    return params


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5060)
    ap.add_argument("--local", default="127.0.0.1")
    ap.add_argument("--local-port", type=int, default=5068)
    ap.add_argument("--user", required=True)
    ap.add_argument("--auth-user")
    ap.add_argument("--password", required=True)
    ap.add_argument("--domain", default="sipdoctor.lab")
    ap.add_argument("--answer-realm")
    ap.add_argument("--answer-algorithm")
    ap.add_argument("--attempts", type=int, default=2)
    a = ap.parse_args()
    auth_user = a.auth_user or a.user

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((a.local, a.local_port))
    call_id = f"{random.getrandbits(64):016x}@{a.local}"
    tag = f"{random.getrandbits(32):08x}"
    ruri = f"sip:{a.domain}"

    def request(cseq, authz):
        branch = f"z9hG4bK{random.getrandbits(48):012x}"
        lines = [
            f"REGISTER {ruri} SIP/2.0",
            f"Via: SIP/2.0/UDP {a.local}:{a.local_port};branch={branch};rport",
            "Max-Forwards: 70",
            f"From: <sip:{a.user}@{a.domain}>;tag={tag}",
            f"To: <sip:{a.user}@{a.domain}>",
            f"Call-ID: {call_id}",
            f"CSeq: {cseq} REGISTER",
            f"Contact: <sip:{a.user}@{a.local}:{a.local_port}>",
        ]
        if authz:
            lines.append(f"Authorization: {authz}")
        lines += ["Expires: 60", "User-Agent: sipdoctor-lab-rawclient", "Content-Length: 0", "", ""]
        return "\r\n".join(lines).encode()

    def transact(data):
        # RFC 3261 17.1.2.2 timer E: retransmit at T1, 2*T1, ... for a few tries
        t = 0.5
        for _ in range(4):
            sock.sendto(data, (a.server, a.port))
            sock.settimeout(t)
            try:
                while True:
                    msg = sock.recv(65535).decode(errors="replace")
                    code = int(msg.split(" ", 2)[1])
                    if code >= 200:
                        return code, msg
            except socket.timeout:
                t = min(t * 2, 4.0)
        return None, None

    cseq = 1
    code, msg = transact(request(cseq, None))
    for _ in range(a.attempts):
        if code != 401:
            break
        ch = parse_challenge(msg)
        realm = a.answer_realm or ch["realm"]
        alg = a.answer_algorithm or ch.get("algorithm", "MD5")
        cnonce = os.urandom(8).hex()
        nc = "00000001"
        ha1 = h(alg, f"{auth_user}:{realm}:{a.password}")
        ha2 = h(alg, f"REGISTER:{ruri}")
        if "auth" in [q.strip() for q in ch.get("qop", "").split(",")]:
            resp = h(alg, f"{ha1}:{ch['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            qop = f", qop=auth, nc={nc}, cnonce=\"{cnonce}\""
        else:
            resp = h(alg, f"{ha1}:{ch['nonce']}:{ha2}")
            qop = ""
        authz = (f'Digest username="{auth_user}", realm="{realm}", nonce="{ch["nonce"]}", '
                 f'uri="{ruri}", response="{resp}", algorithm={alg}{qop}')
        cseq += 1
        time.sleep(0.2)
        code, msg = transact(request(cseq, authz))
    print(f"final: {code}")
    return 0 if code == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
