#!/usr/bin/env bash
# Benchmark: sipdoctor-cli vs tshark (and sngrep) on the same large capture, in the same run.
# usage: tests/bench/bench.sh [SIZE_MB=500] [RUNS=5] [MODE=rtp98]
#   MODE rtp98: ~98% of the packets RTP (one REGISTER exchange every 200 packets)
#        rtp95: ~95% of the packets RTP (one exchange every 77 packets)
#        sip:   all SIP, thousands of accounts re-registering (make_capture.py --sip-only;
#               ACCOUNTS=N in the environment, default 5000), one in five with a wrong password
# Reports, per tool, the median wall time, MiB/s, median peak RSS and the SIP messages it saw,
# and the ratios. Tools: `sipdoctor-cli analyze --json` (the diagnosis), `sipdoctor-cli flows
# --json` (parse + group only), `tshark -r F -Y sip -T fields -e sip.Call-ID`, and
# `sngrep -I F -N -q -l 100000000` when sngrep is installed (SNGREP=0 skips it; a run over
# SNGREP_TIMEOUT seconds, default 600, counts as "did not finish").
# Needs tshark and GNU time (apt-get install tshark time). Set KEEP=path to keep the capture.
# BIN=path measures that sipdoctor-cli binary instead of building this checkout's.
# No timing is asserted anywhere: this only measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-500}
runs=${2:-5}
mode=${3:-rtp98}
work=$(mktemp -d /tmp/sipdoctor-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cap="$work/bench.pcap"
case "$mode" in
  rtp98) python3 tests/bench/make_capture.py "$cap" "$size" 200 ;;
  rtp95) python3 tests/bench/make_capture.py "$cap" "$size" 77 ;;
  sip) python3 tests/bench/make_capture.py "$cap" "$size" --sip-only "${ACCOUNTS:-5000}" ;;
  *) echo "unknown mode $mode (rtp98, rtp95, sip)"; exit 2 ;;
esac
[ -n "${KEEP:-}" ] && cp "$cap" "$KEEP"
bytes=$(stat -c %s "$cap")
if [ -n "${BIN:-}" ]; then
  bin=$BIN # a binary built before (e.g. of another commit)
else
  cargo build --release --quiet --no-default-features --bin sipdoctor-cli
  bin=target/release/sipdoctor-cli
fi
command -v tshark >/dev/null || { echo "tshark not installed (apt-get install tshark)"; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time not installed (apt-get install time)"; exit 2; }

measure() { # name, timeout seconds, command...
  local name=$1 limit=$2; shift 2
  : >"$work/$name.times"
  local rc
  for _ in $(seq "$runs"); do
    rc=0
    /usr/bin/time -f "%e %M" -o "$work/t" timeout "$limit" "$@" >"$work/out.$name" 2>/dev/null || rc=$?
    # exit code 1 is `analyze`'s "the diagnosis has an error finding": a finished run
    if [ "$rc" -gt 1 ]; then
      echo "dnf (exit code $rc)" >"$work/$name.times"
      return
    fi
    tail -n 1 "$work/t" >>"$work/$name.times"
  done
  sort -n -o "$work/$name.times" "$work/$name.times"
}
tools=(analyze flows tshark)
measure analyze 3600 "$bin" analyze --json "$cap"
# the message count of our JSON without loading it all: one "ts_ns" key per message (no
# other object has one, and inside a JSON string its quotes would be escaped)
ours_msgs=$(grep -o '"ts_ns":' "$work/out.analyze" | wc -l)
ours_bytes=$(stat -c %s "$work/out.analyze")
measure flows 3600 "$bin" flows --json "$cap"
rm -f "$work/out.flows" "$work/out.analyze"
measure tshark 3600 tshark -r "$cap" -Y sip -T fields -e sip.Call-ID
ts_msgs=$(grep -c . "$work/out.tshark" || true)
rm -f "$work/out.tshark"
if [ "${SNGREP:-1}" = 1 ] && command -v sngrep >/dev/null; then
  tools+=(sngrep)
  measure sngrep "${SNGREP_TIMEOUT:-600}" sngrep -I "$cap" -N -q -l 100000000
fi

median() { python3 -c 'import statistics,sys; print(statistics.median(float(l.split()[int(sys.argv[2])-1]) for l in open(sys.argv[1]) if l.strip()))' "$1" "$2"; }
mb=$(awk "BEGIN {print $bytes/1048576}")
printf 'capture: %.0f MiB (%s), %s runs each (medians)\n' "$mb" "$mode" "$runs"
printf '%-10s %9s %10s %12s %10s\n' tool seconds MiB/s "peak RSS MiB" "SIP msgs"
for t in "${tools[@]}"; do
  if grep -q dnf "$work/$t.times"; then
    printf '%-10s %s\n' "$t" "did not finish: $(cat "$work/$t.times")"
    continue
  fi
  s=$(median "$work/$t.times" 1); kb=$(median "$work/$t.times" 2)
  eval "${t}_s=$s; ${t}_kb=$kb"
  case $t in analyze | flows) msgs=$ours_msgs ;; tshark) msgs=$ts_msgs ;; *) msgs=- ;; esac
  printf '%-10s %9.2f %10.1f %12.1f %10s\n' "$t" "$s" "$(awk "BEGIN{print $mb/($s+0.0001)}")" \
    "$(awk "BEGIN{print $kb/1024}")" "$msgs"
done
printf 'analyze --json wrote %.1f MiB of JSON\n' "$(awk "BEGIN{print $ours_bytes/1048576}")"
if [ -n "${analyze_s:-}" ] && [ -n "${tshark_s:-}" ]; then
  printf 'analyze vs tshark: %.1fx faster, tshark RSS / analyze RSS %.2f, analyze RSS / file size %.0f%%\n' \
    "$(awk "BEGIN{print $tshark_s/($analyze_s+0.0001)}")" "$(awk "BEGIN{print $tshark_kb/$analyze_kb}")" \
    "$(awk "BEGIN{print 100*$analyze_kb*1024/$bytes}")"
fi
