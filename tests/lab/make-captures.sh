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

sc_07_register_realm_mismatch() {
	local f=$FIX/07-register-realm-mismatch.pcap
	kam_start 07; wait_listen udp 5060
	cap_start "$f"
	python3 "$LAB/rawclient.py" --user 1001 --password s3cret-1001 --answer-realm voip.example.com \
		--attempts 2 >"$WORK/07-client.log" 2>&1 || true
	cap_stop "$f"
}

sc_08_register_stale_nonce() {
	local f=$FIX/08-register-stale-nonce.pcap
	kam_start 08 -A NONCE_EXPIRE=2; wait_listen udp 5060
	cap_start "$f"
	sipp_run 08 -sf "$LAB/sipp/register_stale.xml" -s 1001 -au 1001 -ap s3cret-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

# linphonec: configuration in a private HOME; `ports sip N` on stdin.
# linphonec_run NAME USER PASSWORD SECONDS [COMMAND...]: commands are sent
# on stdin one second apart after the start, then it waits SECONDS and quits.
# (linphonec 5.1 rewrites its rc file, replacing passwd with ha1: the file is
# written fresh for every run.)
linphonec_run() {
	local name=$1 user=$2 pass=$3 secs=$4
	shift 4
	local home="$WORK/$name-linphone"
	rm -rf "$home"
	mkdir -p "$home"
	cat >"$home/linphonerc" <<LPRC
[sip]
sip_port=5066
default_proxy=0
register_only_when_network_is_up=0
[rtp]
audio_rtp_port=7078
[proxy_0]
reg_proxy=<sip:127.0.0.1:5060;transport=udp>
reg_route=<sip:127.0.0.1:5060;transport=udp;lr>
reg_identity=sip:$user@sipdoctor.lab
realm=sipdoctor.lab
reg_expires=60
reg_sendregister=1
publish=0
[auth_info_0]
username=$user
passwd=$pass
realm=sipdoctor.lab
domain=sipdoctor.lab
[sound]
echocancellation=0
LPRC
	{
		echo "ports sip 5066"
		local c
		for c in "$@"; do
			sleep 1
			echo "$c"
		done
		sleep "$secs"
		echo "quit"
	} | HOME="$home" timeout $((secs + 20)) linphonec -c "$home/linphonerc" >"$WORK/$name-linphonec.log" 2>&1 || true
}

# baresip: config + accounts in a private directory, bound to 192.0.2.10
baresip_run() {
	local name=$1 account=$2 secs=$3
	local dir="$WORK/$name-baresip"
	mkdir -p "$dir"
	cat >"$dir/config" <<BSCF
poll_method		epoll
sip_listen		192.0.2.10:5064
module_path		/usr/lib/baresip/modules
module			g711.so
module_app		account.so
module_app		menu.so
audio_player		aufile,/dev/null
audio_source		aufile,/dev/null
net_interface		lo
BSCF
	printf '%s\n' "$account" >"$dir/accounts"
	timeout $((secs + 10)) baresip -f "$dir" -t "$secs" >"$WORK/$name-baresip.log" 2>&1 || true
}

sc_09a_register_sha256_linphonec() {
	local f=$FIX/09a-register-sha256-linphonec.pcap
	kam_start 09a -A WITH_SHA256; wait_listen udp 5060
	cap_start "$f"
	linphonec_run 09a 1004 s3cret-1004 3
	cap_stop "$f"
}

sc_09b_register_sha256_md5_answer() {
	local f=$FIX/09b-register-sha256-md5-answer.pcap
	kam_start 09b -A WITH_SHA256; wait_listen udp 5060
	cap_start "$f"
	python3 "$LAB/rawclient.py" --user 1004 --password s3cret-1004 --answer-algorithm MD5 \
		--attempts 2 >"$WORK/09b-client.log" 2>&1 || true
	cap_stop "$f"
}

sc_09c_register_sha256_unanswered_baresip() {
	local f=$FIX/09c-register-sha256-unanswered-baresip.pcap
	kam_start 09c -A WITH_SHA256; wait_listen udp 5060
	cap_start "$f"
	baresip_run 09c '<sip:1004@sipdoctor.lab>;auth_pass=s3cret-1004;outbound="sip:127.0.0.1:5060;transport=udp";regint=60' 3
	cap_stop "$f"
}

sc_09d_register_sha256_unanswered_sipp() {
	local f=$FIX/09d-register-sha256-unanswered-sipp.pcap
	kam_start 09d -A WITH_SHA256; wait_listen udp 5060
	cap_start "$f"
	sipp_run 09d "${REG[@]}" -s 1004 -au 1004 -ap s3cret-1004 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_10a_register_brute_force_403() {
	local f=$FIX/10a-register-brute-force-403.pcap
	kam_start 10a -A BF_MAX=5; wait_listen udp 5060
	cap_start "$f"
	sipp_run 10a -sf "$LAB/sipp/register_bf.xml" -s 1001 -au 1001 -ap guess-0001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_10b_register_brute_force_silent() {
	local f=$FIX/10b-register-brute-force-silent.pcap
	kam_start 10b -A BF_MAX=5 -A WITH_BF_SILENT; wait_listen udp 5060
	cap_start "$f"
	sipp_run 10b -sf "$LAB/sipp/register_bf.xml" -max_retrans 4 -default_behaviors none -s 1001 -au 1001 -ap guess-0001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_11_register_date_skew() {
	local f=$FIX/11-register-date-skew.pcap
	kam_start 11; wait_listen udp 5060
	cap_start "$f"
	sipp_run 11 -sf "$LAB/sipp/register_date.xml" -s 1001 -au 1001 -ap s3cret-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_12a_register_ok_tcp() {
	local f=$FIX/12a-register-ok-tcp.pcap
	kam_start 12a; wait_listen tcp 5060
	cap_start "$f"
	sipp_run 12a "${REG[@]}" -t t1 -s 1001 -au 1001 -ap s3cret-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_12b_register_wrong_password_tcp() {
	local f=$FIX/12b-register-wrong-password-tcp.pcap
	kam_start 12b; wait_listen tcp 5060
	cap_start "$f"
	sipp_run 12b "${REG[@]}" -t t1 -s 1001 -au 1001 -ap wrong-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_12c_register_wrong_password_ipv6() {
	local f=$FIX/12c-register-wrong-password-ipv6.pcap
	kam_start 12c -A LAB_NO_DEFAULT_LISTEN -l 'udp:[::1]:5060' -l 'tcp:[::1]:5060'; wait_listen udp 5060
	cap_start "$f"
	sipp_run 12c "${REG[@]}" -s 1001 -au 1001 -ap wrong-1001 -i ::1 -p 5062 '[::1]:5060'
	cap_stop "$f"
}

sc_12d_register_ok_ipv6_tcp() {
	local f=$FIX/12d-register-ok-ipv6-tcp.pcap
	kam_start 12d -A LAB_NO_DEFAULT_LISTEN -l 'udp:[::1]:5060' -l 'tcp:[::1]:5060'; wait_listen tcp 5060
	cap_start "$f"
	sipp_run 12d "${REG[@]}" -t t1 -s 1001 -au 1001 -ap s3cret-1001 -i ::1 -p 5062 '[::1]:5060'
	cap_stop "$f"
}

sc_12e_register_wrong_password_sll() {
	local f=$FIX/12e-register-wrong-password-sll.pcap
	kam_start 12e; wait_listen udp 5060
	cap_start "$f" -i any -y LINUX_SLL
	sipp_run 12e "${REG[@]}" -s 1001 -au 1001 -ap wrong-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_12f_invite_wrong_password_sll2() {
	local f=$FIX/12f-invite-wrong-password-sll2.pcap
	kam_start 12f; wait_listen udp 5060
	uas_start; wait_listen udp 5090
	cap_start "$f" -i any -y LINUX_SLL2
	sipp_run 12f -sf "$LAB/sipp/invite.xml" -s 1001 -au 1001 -ap wrong-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

sc_12g_register_wrong_password_nano() {
	# pcap with nanosecond time stamps, and the same capture as pcapng
	local f=$FIX/12g-register-wrong-password-nano.pcap
	kam_start 12g; wait_listen udp 5060
	cap_start "$f" -i lo --time-stamp-precision nano
	sipp_run 12g "${REG[@]}" -s 1001 -au 1001 -ap wrong-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
	if command -v editcap >/dev/null; then
		editcap -F pcapng "$f" "$FIX/12h-register-wrong-password.pcapng"
		chown --reference="$FIX" "$FIX/12h-register-wrong-password.pcapng" 2>/dev/null || true
	fi
}

sc_12i_register_ok_baresip() {
	local f=$FIX/12i-register-ok-baresip.pcap
	kam_start 12i; wait_listen udp 5060
	cap_start "$f"
	baresip_run 12i '<sip:1002@sipdoctor.lab>;auth_pass=s3cret-1002;outbound="sip:127.0.0.1:5060;transport=udp";regint=60' 3
	cap_stop "$f"
}

sc_03c_invite_ok_linphonec() {
	# a real client: linphonec registers as 1003 ("Right Pass 3") and calls
	# 1002 (sipp UAS); 401 on REGISTER; linphonec then sends the INVITE with a
	# pre-emptive Proxy-Authorization reusing the REGISTER nonce (nc=2), which
	# Kamailio accepts without a 407
	local f=$FIX/03c-invite-preemptive-auth-linphonec.pcap
	kam_start 03c; wait_listen udp 5060
	uas_start; wait_listen udp 5090
	cap_start "$f"
	linphonec_run 03c 1003 "Right Pass 3" 1 "call sip:1002@sipdoctor.lab" "" "" "terminate"
	cap_stop "$f"
}

sc_12k_register_wrong_password_dumpcap() {
	# pcapng written natively by dumpcap (section header with options,
	# interface description blocks for two interfaces: lo and any)
	local f=$FIX/12k-register-wrong-password-dumpcap.pcapng
	kam_start 12k; wait_listen udp 5060
	rm -f "$f"
	dumpcap -q -i lo -i any -w "$f" >"$WORK/12k-dumpcap.log" 2>&1 &
	CAP_PID=$!
	PIDS+=("$CAP_PID")
	sleep 2
	sipp_run 12k "${REG[@]}" -s 1001 -au 1001 -ap wrong-1001 -i 127.0.0.1 -p 5062 $SRV
	cap_stop "$f"
}

# Scenario 13: a whole office behind one real Kamailio. 24 sipp phones, each
# from its own source address 127.0.10.N (N = user - 2000) on the namespace's
# loopback, all started within about a second; mixed outcomes in one capture.
# The phone list (user auth-user password scenario) is the source of truth for
# the per-phone expectations in tests/fixtures/lab.json ("phones").
OFFICE_PHONES=(
	"2001 2001 office-2001 ok" "2002 2002 office-2002 ok" "2003 2003 office-2003 ok"
	"2004 2004 office-2004 ok" "2005 2005 office-2005 ok" "2006 2006 office-2006 ok"
	"2007 2007 office-2007 ok" "2008 2008 office-2008 ok" "2009 2009 office-2009 ok"
	"2010 2010 office-2010 ok" "2011 2011 office-2011 ok" "2012 2012 office-2012 ok"
	"2013 2013 office-2013 ok" "2014 2014 office-2014 ok" "2015 2015 office-2015 ok"
	"2016 2016 office-2016 ok"
	"2017 2017 offise-2017 ok"  # typo in the password
	"2018 2018 office-2081 ok"  # digits swapped
	"2019 2019 Office-2019 ok"  # case of the first letter flipped
	"2020 2999 office-2020 ok"  # auth username the server does not know
	"2021 2022 office-2022 ok"  # another account's (valid) credentials: 403
	"2022 2022 office-2022 ok"
	"2023 2023 guess-2023 bf"   # guesses until the source is banned (BF_MAX=5)
	"2024 2024 office-2024 ok"  # registers again later from another port (NAT)
)

sc_13_office_register_mixed() {
	local f=$FIX/13-office-register-mixed.pcap p user au pw kind n xml pids=()
	kam_start 13 -A BF_MAX=5; wait_listen udp 5060
	cap_start "$f"
	for p in "${OFFICE_PHONES[@]}"; do
		read -r user au pw kind <<<"$p"
		n=$((user - 2000))
		xml=$LAB/sipp/register.xml
		[ "$kind" = bf ] && xml=$LAB/sipp/register_bf.xml
		# each sipp needs its own control port (default 8888)
		sipp_run "13-$user" -sf "$xml" -cp $((8900 + n)) -s "$user" -au "$au" -ap "$pw" \
			-i "127.0.10.$n" -p 5062 $SRV &
		pids+=($!)
		PIDS+=($!)
		sleep 0.05
	done
	wait "${pids[@]}" || true
	# 2024 again, from a new source port: one account (user + IP), two exchanges
	sipp_run 13-2024b "${REG[@]}" -cp 8990 -s 2024 -au 2024 -ap office-2024 \
		-i 127.0.10.24 -p 5070 $SRV
	cap_stop "$f"
}

sc_92_no_sip() {
	local f=$FIX/92-no-sip.pcap
	cap_start "$f"
	# three ICMP echo requests (the kernel answers them); python instead of
	# ping because Debian's minimal images have no iputils-ping
	python3 - <<'PY'
import socket, struct, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return (~(s + (s >> 16))) & 0xffff
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
for seq in range(1, 4):
    payload = b"sipdoctor-lab-ping"
    hdr = struct.pack("!BBHHH", 8, 0, 0, 0x5d0c, seq)
    pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + payload), 0x5d0c, seq) + payload
    sock.sendto(pkt, ("127.0.0.1", 0))
    time.sleep(0.2)
PY
	# a DNS query to a port where nothing listens (ICMP unreachable quoting DNS)
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(bytes.fromhex("1234010000010000000000000773697064726f63036c61620000010001"), ("127.0.0.1", 53))'
	cap_stop "$f"
}

# failure fixtures, derived from a real capture (01/02) made above
make_failure_fixtures() {
	local src=$FIX/02-register-wrong-password.pcap ok=$FIX/01-register-ok.pcap size
	[ -f "$src" ] && [ -f "$ok" ] || { log "failure fixtures need 01 and 02"; return 0; }
	size=$(stat -c %s "$src")
	# cut in the middle of the last packet's data: record header says more
	# bytes than the file has
	head -c $((size - 150)) "$src" >"$FIX/90-truncated.pcap"
	# "NOPE" instead of the pcap magic a1b2c3d4/d4c3b2a1
	{ printf 'NOPE'; tail -c +5 "$ok"; } >"$FIX/91-bad-magic.pcap"
	: >"$FIX/93-empty.pcap"
	# a valid pcap global header and no packet at all
	head -c 24 "$ok" >"$FIX/94-header-only.pcap"
}

ALL_SCENARIOS=(
	01_register_ok 01b_register_ok_space_password
	02_register_wrong_password 02b_register_capslock_password
	03a_invite_ok 03b_invite_wrong_password
	04a_register_unknown_auth_user 04b_register_other_account
	05_register_source_not_allowed 06_register_no_listener
	07_register_realm_mismatch 08_register_stale_nonce
	09a_register_sha256_linphonec 09b_register_sha256_md5_answer
	09c_register_sha256_unanswered_baresip 09d_register_sha256_unanswered_sipp
	10a_register_brute_force_403 10b_register_brute_force_silent
	11_register_date_skew
	12a_register_ok_tcp 12b_register_wrong_password_tcp
	12c_register_wrong_password_ipv6 12d_register_ok_ipv6_tcp
	12e_register_wrong_password_sll 12f_invite_wrong_password_sll2
	12g_register_wrong_password_nano 12i_register_ok_baresip
	03c_invite_ok_linphonec 12k_register_wrong_password_dumpcap
	13_office_register_mixed
	92_no_sip
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

if [ ${#sel[@]} -eq 0 ]; then make_failure_fixtures; fi

log "refreshing lab.json counts and the README table"
python3 "$LAB/labmeta.py"
log "done; logs in $WORK"
