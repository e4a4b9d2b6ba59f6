#!/bin/bash
# SIP Doctor capture lab: records one capture per scenario with real SIP
# software (Kamailio 5.6, sipp 3.6, baresip, linphonec) inside private network
# namespaces (loopback only) and writes them to tests/fixtures/.
#
# Usage (as root on Debian 12):
#   tests/lab/make-captures.sh              # every scenario + failure fixtures
#   tests/lab/make-captures.sh 01 03a       # only scenarios whose name starts so
#   tests/lab/make-captures.sh --counts     # only refresh the tshark counts in lab.json
#
# Re-runnable: each scenario runs in its own `unshare --net` namespace with
# its own Kamailio; every process started is stopped by PID at the end of the
# scenario (trap), even on failure.
set -euo pipefail

LAB=$(cd "$(dirname "$0")" && pwd)
FIX=$(cd "$LAB/.." && pwd)/fixtures
SELF="$LAB/$(basename "$0")"
mkdir -p "$FIX"

log() { echo "[lab] $*" >&2; }

# --------------------------------------------------------------------------
# helpers used inside a scenario namespace
# --------------------------------------------------------------------------
PIDS=()
cleanup_pids() {
	local i p
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		p=${PIDS[$i]}
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null || true
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				kill -0 "$p" 2>/dev/null || break
				sleep 0.2
			done
			kill -KILL "$p" 2>/dev/null || true
		fi
		wait "$p" 2>/dev/null || true
	done
	PIDS=()
}

ns_setup() {
	ip link set lo up
	# baresip/linphonec want a non-loopback address on some interface
	ip addr add 192.0.2.10/32 dev lo
	# let sipp use a second, not allowed, IPv4 source (scenario 5): 127/8 is
	# all local on lo already.
}

# wait until something listens on PROTO PORT (udp|tcp)
wait_listen() {
	local proto=$1 port=$2 i
	for i in $(seq 1 50); do
		if ss -Hln --"$proto" "sport = :$port" | grep -q .; then return 0; fi
		sleep 0.1
	done
	log "nothing listens on $proto/$port"
	return 1
}

# kam_start NAME [kamailio args...]  (config tests/lab/kamailio.cfg)
kam_start() {
	local name=$1
	shift
	mkdir -p "$WORK/$name-run"
	kamailio -f "$LAB/kamailio.cfg" -DD -E -m 16 -M 4 -Y "$WORK/$name-run" "$@" \
		>"$WORK/$name-kamailio.log" 2>&1 &
	KAM_PID=$!
	PIDS+=("$KAM_PID")
}

# cap_start FILE [tcpdump args] (default -i lo)
cap_start() {
	local file=$1
	shift
	local args=("$@")
	if [ ${#args[@]} -eq 0 ]; then args=(-i lo); fi
	rm -f "$file"
	tcpdump --immediate-mode -U -s 0 -n "${args[@]}" -w "$file" >"$file.tcpdump.log" 2>&1 &
	CAP_PID=$!
	PIDS+=("$CAP_PID")
	for _ in $(seq 1 50); do
		grep -q "listening on" "$file.tcpdump.log" 2>/dev/null && return 0
		sleep 0.1
	done
	log "tcpdump did not start: $(cat "$file.tcpdump.log")"
	return 1
}

# tcpdump drops the last packets when stopped at once: wait, then SIGINT.
cap_stop() {
	sleep 1
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	rm -f "$1.tcpdump.log"
	chown --reference="$FIX" "$1" 2>/dev/null || true
}

# run sipp in the foreground with a time limit; its exit code is logged, not
# fatal (a failing authentication is what several scenarios are about).
sipp_run() {
	local name=$1
	shift
	local rc=0
	timeout 40 sipp -nostdin -m 1 -timeout 30s -trace_err \
		-error_file "$WORK/$name-sipp-err.log" "$@" >"$WORK/$name-sipp.log" 2>&1 || rc=$?
	log "$name: sipp exit code $rc"
}

# sipp UAS as callee for INVITE scenarios (127.0.0.1:5090)
uas_start() {
	local proto=${1:-u1}
	sipp -nostdin -sf "$LAB/sipp/uas.xml" -t "$proto" -i 127.0.0.1 -p 5090 -m 1 -trace_err \
		-error_file "$WORK/uas-err.log" >"$WORK/uas.log" 2>&1 &
	UAS_PID=$!
	PIDS+=("$UAS_PID")
}

REG=(-sf "$LAB/sipp/register.xml")
SRV=127.0.0.1:5060

# --------------------------------------------------------------------------
# scenarios: each function records $FIX/<name>.<ext>
# --------------------------------------------------------------------------
sc_01_register_ok() {
	local f=$FIX/01-register-ok.pcap
	kam_start 01; wait_listen udp 5060
	cap_start "$f"
	sipp_run 01 "${REG[@]}" -s 1001 -au 1001 -ap s3cret-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_01b_register_ok_space_password() {
	local f=$FIX/01b-register-ok-space-password.pcap
	kam_start 01b; wait_listen udp 5060
	cap_start "$f"
	sipp_run 01b "${REG[@]}" -s 1003 -au 1003 -ap "Right Pass 3" -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_02_register_wrong_password() {
	local f=$FIX/02-register-wrong-password.pcap
	kam_start 02; wait_listen udp 5060
	cap_start "$f"
	sipp_run 02 "${REG[@]}" -s 1001 -au 1001 -ap wrong-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_02b_register_capslock_password() {
	local f=$FIX/02b-register-capslock-password.pcap
	kam_start 02b; wait_listen udp 5060
	cap_start "$f"
	sipp_run 02b "${REG[@]}" -s 1003 -au 1003 -ap "rIGHT pASS 3" -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_03a_invite_ok() {
	local f=$FIX/03a-invite-407-ok.pcap
	kam_start 03a; wait_listen udp 5060
	uas_start; wait_listen udp 5090
	cap_start "$f"
	sipp_run 03a -sf "$LAB/sipp/invite.xml" -s 1001 -au 1001 -ap s3cret-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_03b_invite_wrong_password() {
	local f=$FIX/03b-invite-407-wrong-password.pcap
	kam_start 03b; wait_listen udp 5060
	uas_start; wait_listen udp 5090
	cap_start "$f"
	sipp_run 03b -sf "$LAB/sipp/invite.xml" -s 1001 -au 1001 -ap wrong-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_04a_register_unknown_auth_user() {
	local f=$FIX/04a-register-unknown-auth-user.pcap
	kam_start 04a; wait_listen udp 5060
	cap_start "$f"
	sipp_run 04a "${REG[@]}" -s 1001 -au 1099 -ap s3cret-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_04b_register_other_account() {
	local f=$FIX/04b-register-other-account.pcap
	kam_start 04b; wait_listen udp 5060
	cap_start "$f"
	sipp_run 04b "${REG[@]}" -s 1001 -au 1002 -ap s3cret-1002 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_05_register_source_not_allowed() {
	local f=$FIX/05-register-source-not-allowed.pcap
	kam_start 05; wait_listen udp 5060
	cap_start "$f"
	sipp_run 05 "${REG[@]}" -s 1001 -au 1001 -ap s3cret-1001 -i 127.0.0.2 -p 5062 $SRV
	cap_stop "$f"
}

sc_06_register_no_listener() {
	local f=$FIX/06-register-no-listener.pcap
	# no Kamailio at all: nothing listens on 5060
	cap_start "$f"
	sipp_run 06 "${REG[@]}" -s 1001 -au 1001 -ap s3cret-1001 -i 127.0.0.1 -p 5062 \
		-recv_timeout 8s $SRV
	cap_stop "$f"
}

ALL_SCENARIOS=(
	01_register_ok 01b_register_ok_space_password
	02_register_wrong_password 02b_register_capslock_password
	03a_invite_ok 03b_invite_wrong_password
	04a_register_unknown_auth_user 04b_register_other_account
	05_register_source_not_allowed 06_register_no_listener
)

# --------------------------------------------------------------------------
inner() {
	local sc=$1
	trap cleanup_pids EXIT
	ns_setup
	log "scenario $sc"
	"sc_$sc"
	cleanup_pids
}

install_tools() {
	local need=() p
	for p in kamailio sip-tester tcpdump baresip linphone-cli tshark; do
		dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
	done
	if [ ${#need[@]} -gt 0 ]; then
		log "installing ${need[*]}"
		echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
		DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
	fi
}

if [ "${1:-}" = "--inner" ]; then
	inner "$2"
	exit 0
fi

if [ "${1:-}" = "--counts" ]; then
	python3 "$LAB/labmeta.py"
	exit 0
fi

[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces, tcpdump)" >&2; exit 2; }
install_tools

WORK=$(mktemp -d /tmp/sipdoctor-lab.XXXXXX)
export WORK
log "work dir $WORK (logs)"

sel=("$@")
for sc in "${ALL_SCENARIOS[@]}"; do
	if [ ${#sel[@]} -gt 0 ]; then
		hit=0
		for s in "${sel[@]}"; do [[ $sc == "$s"* ]] && hit=1; done
		[ $hit = 1 ] || continue
	fi
	unshare --net -- "$SELF" --inner "$sc"
done

log "refreshing lab.json counts and the README table"
python3 "$LAB/labmeta.py"
log "done; logs in $WORK"
