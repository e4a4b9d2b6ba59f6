#!/bin/sh
# Take the screenshots in this folder: the app under Xvfb at 1366x768, one per wizard step.
# Needs: apt-get install xvfb x11-apps imagemagick xdotool; a built binary (cargo build).
# Usage: assets/screenshots/make-screenshots.sh [path/to/sipdoctor]
set -eu
cd "$(dirname "$0")/../.."
BIN=${1:-target/debug/sipdoctor}
OUT=assets/screenshots
FIX=tests/fixtures/02-register-wrong-password.pcap
# SHOT_DISPLAY=N: another X display number (when :99 is taken).
export DISPLAY=:${SHOT_DISPLAY:-99}
# A private settings folder, so the shots do not depend on (or change) the user's settings.
export XDG_DATA_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d)
export SIPDOCTOR_WINDOW_SIZE=1366x768
Xvfb "$DISPLAY" -screen 0 1366x768x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true' EXIT
sleep 2

# shot NAME STEP LANG [FILE] [SELECT_FRAME] [PASSWORD]
shot() {
    SIPDOCTOR_START_STEP=$2 SIPDOCTOR_LANG=$3 SIPDOCTOR_SELECT_FRAME=${5:-} \
        SIPDOCTOR_THEME=${THEME:-dark} \
        "$BIN" ${4:+"$4"} >"${TMPDIR:-/tmp}/sipdoctor-shot-$1.log" 2>&1 &
    APP=$!
    if [ -n "${WAIT_OPEN:-}" ]; then
        # Up to WAIT seconds for the app to say the capture is open, then a moment to draw.
        n=0
        while [ "$n" -lt "$((${WAIT:-6} * 10))" ] &&
            ! grep -q "opened in" "${TMPDIR:-/tmp}/sipdoctor-shot-$1.log"; do
            sleep 0.1
            n=$((n + 1))
        done
        sleep 2
    else
        sleep "${WAIT:-6}"
    fi
    if [ -n "${SEARCH:-}" ]; then
        # Ctrl+F puts the keyboard focus in the accounts search box.
        WID=$(xdotool search --name "SIP Doctor" | head -1)
        xdotool windowfocus --sync "$WID" || true
        sleep 1
        xdotool key ctrl+f
        # The box takes the focus on the next frame: keys typed before it would be lost.
        sleep 1
        xdotool type --delay 60 "$SEARCH"
        sleep 2
    fi
    if [ -n "${6:-}" ]; then
        # The password field has the keyboard focus when step 2 opens; Enter runs the check.
        xdotool mousemove 683 700
        WID=$(xdotool search --name "SIP Doctor" | head -1)
        xdotool windowfocus --sync "$WID" || true
        sleep 1
        xdotool type --delay 40 "$6"
        xdotool key Return
        sleep 2
    fi
    # No pointer over the window: no hover highlight or tooltip in the shot.
    xdotool mousemove 1365 767
    sleep 1
    xwd -root -silent | convert xwd:- "$OUT/$1.png"
    kill $APP 2>/dev/null || echo "the app exited early: $1" >&2
    wait $APP 2>/dev/null || true
}

# ONLY_I18N=1: only the Chinese and Vietnamese shots (below).
if [ -n "${ONLY_I18N:-}" ]; then
shot zh-1-capture 1 zh "$FIX" 4
shot vi-1-capture 1 vi "$FIX" 4
shot zh-6-summary 6 zh "$FIX"
shot vi-6-summary 6 vi "$FIX"
ls -la "$OUT"
exit 0
fi
# ONLY_ACCOUNTS=1: only the accounts-table shots (below).
if [ -z "${ONLY_ACCOUNTS:-}" ]; then
shot 1-capture 1 en "$FIX" 4
shot 2-credentials 2 en "$FIX" "" wrong-1001
shot 2b-credentials-wrong 2 en "$FIX" "" s3cret-1001
shot 3-fail2ban 3 en tests/fixtures/10a-register-brute-force-403.pcap
shot 4-clock 4 en tests/fixtures/11-register-date-skew.pcap
shot 5-client 5 en "$FIX"
shot 6-summary 6 en "$FIX"
shot 0-start 1 en
shot 2c-calculator 2 en
shot zh-1-capture 1 zh "$FIX" 4
shot vi-1-capture 1 vi "$FIX" 4
shot zh-6-summary 6 zh "$FIX"
shot vi-6-summary 6 vi "$FIX"
THEME=light shot light-2-credentials 2 en tests/fixtures/07-register-realm-mismatch.pcap "" s3cret-1001
fi
# A whole office (one Kamailio, 20+ phones) opens on the accounts table.
shot accounts-office 1 en tests/fixtures/13-office-register-mixed.pcap
# A server-scale capture: BIG=/tmp/big.pcap (tests/bench/make_capture.py BIG 200 --sip-only),
# a search typed; the app's log says how long it took to open.
if [ -n "${BIG:-}" ]; then
    SEARCH=${BIG_SEARCH:-10000} WAIT=${BIG_WAIT:-60} WAIT_OPEN=1 shot accounts-table 1 en "$BIG"
    grep -h "opened in" "${TMPDIR:-/tmp}/sipdoctor-shot-accounts-table.log" || true
fi
ls -la "$OUT"
