#!/usr/bin/env bash
# Benchmark: sipdoctor-cli vs tshark on the same large capture, in the same run.
# usage: tests/bench/bench.sh [SIZE_MB=500] [RUNS=5]
# Reports median wall time, MB/s and peak RSS of each, and the ratios. Needs tshark and GNU time
# (apt-get install tshark time). No timing is asserted anywhere: this only measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-500}
runs=${2:-5}
work=$(mktemp -d /tmp/sipdoctor-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cap="$work/bench.pcap"
python3 tests/bench/make_capture.py "$cap" "$size"
bytes=$(stat -c %s "$cap")
cargo build --release --quiet --no-default-features --bin sipdoctor-cli
bin=target/release/sipdoctor-cli
command -v tshark >/dev/null || { echo "tshark not installed (apt-get install tshark)"; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time not installed (apt-get install time)"; exit 2; }

measure() { # name, command...
  local name=$1; shift
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/out.$name" 2>/dev/null
    cat "$work/t"
  done | sort -n >"$work/$name.times"
}
measure sipdoctor "$bin" flows --json "$cap"
measure tshark tshark -r "$cap" -Y sip -T fields -e sip.Call-ID

median() { python3 -c 'import statistics,sys; print(statistics.median(float(l.split()[int(sys.argv[2])-1]) for l in open(sys.argv[1]) if l.strip()))' "$1" "$2"; }
ours_s=$(median "$work/sipdoctor.times" 1); ours_kb=$(median "$work/sipdoctor.times" 2)
ts_s=$(median "$work/tshark.times" 1); ts_kb=$(median "$work/tshark.times" 2)
ours_msgs=$(python3 -c "import json,sys; print(len(json.load(open('$work/out.sipdoctor'))['messages']))")
ts_msgs=$(grep -c . "$work/out.tshark" || true)
mb=$(awk "BEGIN {print $bytes/1048576}")
printf 'capture: %.0f MiB, %s runs each (medians)\n' "$mb" "$runs"
printf '%-12s %9s %10s %12s %10s\n' tool seconds MiB/s "peak RSS MiB" "SIP msgs"
printf '%-12s %9.2f %10.1f %12.1f %10s\n' sipdoctor "$ours_s" "$(awk "BEGIN{print $mb/($ours_s+0.0001)}")" "$(awk "BEGIN{print $ours_kb/1024}")" "$ours_msgs"
printf '%-12s %9.2f %10.1f %12.1f %10s\n' tshark "$ts_s" "$(awk "BEGIN{print $mb/($ts_s+0.0001)}")" "$(awk "BEGIN{print $ts_kb/1024}")" "$ts_msgs"
printf 'speed ratio (tshark time / sipdoctor time): %.1fx; memory ratio (tshark / sipdoctor): %.1fx\n' \
  "$(awk "BEGIN{print $ts_s/($ours_s+0.0001)}")" "$(awk "BEGIN{print $ts_kb/$ours_kb}")"
