#!/usr/bin/env bash
# Build the seed corpora of the fuzz targets from real inputs:
#   tests/fixtures (lab captures), ../shared/captures-thirdparty (or $SIPDOCTOR_THIRDPARTY),
#   tests/samples (pasted server output).
# SIP messages and auth header values are taken out of the captures with tshark.
# Usage (from the repository root): tests/fuzz/seed.sh   -> tests/fuzz/corpus/<target>/
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
fuzz="$root/tests/fuzz"
third="${SIPDOCTOR_THIRDPARTY:-$root/../shared/captures-thirdparty}"
out="$fuzz/corpus"
mkdir -p "$out"/{pipeline,sip_scanner,auth_headers,verify,checks,kb}

caps=("$root"/tests/fixtures/*.pcap "$root"/tests/fixtures/*.pcapng)
if [ -d "$third" ]; then
    for f in "$third"/*; do
        case "$f" in *.pcap|*.pcapng) caps+=("$f") ;; esac
    done
else
    echo "note: no third-party captures at $third (set SIPDOCTOR_THIRDPARTY)" >&2
fi

n=0
for f in "${caps[@]}"; do
    b="$(basename "$f")"
    cp "$f" "$out/pipeline/$b"
    if ! command -v tshark >/dev/null; then continue; fi
    # Whole SIP payloads (UDP datagrams, TCP segments).
    i=0
    { tshark -r "$f" -Y sip -T fields -e udp.payload -e tcp.payload 2>/dev/null || true; } |
        tr -d '\t:' | while read -r hex; do
            [ -n "$hex" ] || continue
            printf '%s' "$hex" | xxd -r -p >"$out/sip_scanner/$b.$i"
            i=$((i + 1))
        done
    # Auth header values, and verify inputs: a credentials line after the challenge before it.
    { tshark -r "$f" -Y 'sip.WWW-Authenticate or sip.Proxy-Authenticate or sip.Authorization or sip.Proxy-Authorization' \
        -T fields -E occurrence=f -E separator=/t \
        -e sip.WWW-Authenticate -e sip.Proxy-Authenticate -e sip.Authorization \
        -e sip.Proxy-Authorization -e sip.Method -e sip.r-uri 2>/dev/null || true; } |
        awk -F'\t' -v dir="$out" -v b="$b" '
            { for (k = 1; k <= 4; k++) if ($k != "") { f = sprintf("%s/auth_headers/%s.%d.%d", dir, b, NR, k); printf "%s", $k > f; close(f) } }
            $1 != "" { chal = $1 } $2 != "" { chal = $2 }
            ($3 != "" || $4 != "") { cred = ($3 != "") ? $3 : $4
              f = sprintf("%s/verify/%s.%d", dir, b, NR)
              printf "wrong-1001\n%s\n%s\n%s %s\n", cred, chal, $5, $6 > f; close(f) }'
    n=$((n + 1))
done

for f in "$root"/tests/samples/*.txt; do
    cp "$f" "$out/checks/"
    # kb matching gets single lines (what a technician pastes into `kb match`).
    awk -v dir="$out/kb" -v b="$(basename "$f")" 'length($0) > 20 { f = sprintf("%s/%s.%d", dir, b, NR); print > f; close(f) }' "$f"
done

for t in pipeline sip_scanner auth_headers verify checks kb; do
    echo "$t: $(find "$out/$t" -type f | wc -l) seeds"
done
