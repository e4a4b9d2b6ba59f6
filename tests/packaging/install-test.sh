#!/usr/bin/env bash
# Install the .deb on this machine as a technician would, check it from the installed paths, and
# remove it again. Needs root and apt (Debian/Ubuntu); installs the few tools it uses if missing.
#
#   tests/packaging/install-test.sh [path/to.deb]      (default: the newest target/debian/*.deb)
#
# Checks: the files land in /usr/bin, the hicolor theme, applications/ and mime/; the desktop
# entry validates; `sipdoctor-cli --version` and `analyze` on a lab capture work from /usr/bin;
# pcap and pcapng files get their MIME types and open with our desktop entry by default; the GUI
# starts from /usr/bin under Xvfb (with a window manager, so the title bar and its icon show) on
# a capture whose path has spaces and non-ASCII letters and draws a window; a second launch opens
# a second window; then the package is removed and its files are gone.
# Screenshots: $SHOT_DIR (default target/packaging): installed-gui.png, second-launch.png; logs in
# target/packaging.
# The last line counts checks: "install-test: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SHOT_DIR=${SHOT_DIR:-$ROOT/target/packaging}
LOG=$ROOT/target/packaging
mkdir -p "$SHOT_DIR" "$LOG"
DEB=${1:-$(ls -t target/debian/sipdoctor_*.deb 2>/dev/null | head -1)}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
FIX=$ROOT/tests/fixtures/02-register-wrong-password.pcap
FIXNG=$ROOT/tests/fixtures/12h-register-wrong-password.pcapng

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "install-test: needs root and apt-get; SKIP"
    exit 0
fi
if [ -z "$DEB" ] || [ ! -f "$DEB" ]; then
    echo "install-test: no .deb (run cargo deb first)"
    exit 1
fi
DEB=$(realpath "$DEB")
echo "install-test: $DEB"

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v import >/dev/null || need+=(imagemagick)
command -v xwininfo >/dev/null || need+=(x11-utils)
command -v xdg-mime >/dev/null || need+=(xdg-utils)
command -v update-mime-database >/dev/null || need+=(shared-mime-info)
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v openbox >/dev/null || need+=(openbox)
if [ ${#need[@]} -gt 0 ]; then
    echo "install-test: installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
        echo "install-test: could not install ${need[*]}"
fi

# A package already there (an earlier run that died) is replaced.
dpkg -s sipdoctor >/dev/null 2>&1 && dpkg -r sipdoctor >/dev/null

# --- install: apt-get resolves the declared run-time dependencies, as a technician's apt does.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$DEB" >"$LOG/apt-install.log" 2>&1
check "apt-get install $(basename "$DEB")" bash -c "dpkg -s sipdoctor >/dev/null"
for f in /usr/bin/sipdoctor /usr/bin/sipdoctor-cli /usr/share/applications/sipdoctor.desktop \
    /usr/share/mime/packages/sipdoctor-pcapng.xml /usr/share/icons/hicolor/scalable/apps/sipdoctor.svg \
    /usr/share/icons/hicolor/256x256/apps/sipdoctor.png /usr/share/icons/hicolor/16x16/apps/sipdoctor.png \
    /usr/share/doc/sipdoctor/copyright /usr/share/doc/sipdoctor/LICENSE-MIT; do
    check "installed $f" test -s "$f"
done
echo "depends: $(dpkg-query -W -f='${Depends}' sipdoctor)"
check "desktop-file-validate" desktop-file-validate /usr/share/applications/sipdoctor.desktop

# --- the CLI from /usr/bin
out=$(cd / && /usr/bin/sipdoctor-cli --version)
echo "\$ /usr/bin/sipdoctor-cli --version"
echo "$out"
check "sipdoctor-cli --version is $VERSION" test "$out" = "sipdoctor-cli $VERSION"
out=$(cd / && /usr/bin/sipdoctor-cli analyze "$FIX")
code=$?
echo "\$ /usr/bin/sipdoctor-cli analyze $(basename "$FIX")   (exit $code)"
echo "$out" | head -12
check "analyze finds the wrong password (exit 1)" test "$code" = 1
check "analyze names the 401" grep -q 401 <<<"$out"

# --- MIME types and the default application (a fresh user, as after a first login)
export HOME=$(mktemp -d) XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_CURRENT_DESKTOP=
check "pcap is application/vnd.tcpdump.pcap" test "$(xdg-mime query filetype "$FIX")" = application/vnd.tcpdump.pcap
check "pcapng is application/x-pcapng" test "$(xdg-mime query filetype "$FIXNG")" = application/x-pcapng
for t in application/vnd.tcpdump.pcap application/x-pcapng; do
    d=$(xdg-mime query default "$t")
    echo "\$ xdg-mime query default $t"
    echo "$d"
    check "default for $t is sipdoctor.desktop" test "$d" = sipdoctor.desktop
done

# --- the GUI from /usr/bin, under Xvfb with a window manager
n=90
while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
export DISPLAY=:$n
Xvfb "$DISPLAY" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    kill "$XVFB" 2>/dev/null
}
trap cleanup EXIT
sleep 2
if command -v openbox >/dev/null; then
    openbox >/dev/null 2>&1 &
    pids+=($!)
    sleep 1
fi
odd=$(mktemp -d)/"Nguyễn phone 1001"/"wrong password – 抓包.pcap"
mkdir -p "$(dirname "$odd")"
cp "$FIX" "$odd"
windows() { xwininfo -root -tree 2>/dev/null | grep -c '"SIP Doctor"'; }
SIPDOCTOR_WINDOW_SIZE=1100x650 /usr/bin/sipdoctor "$odd" >"$LOG/gui.log" 2>&1 &
APP=$!
pids+=($APP)
for _ in $(seq 1 60); do [ "$(windows)" -ge 1 ] && break; sleep 0.5; done
sleep 4
# No pointer over the window: no tooltip in the screenshot.
command -v xdotool >/dev/null && xdotool mousemove 1365 767 && sleep 1
check "the GUI runs from /usr/bin" kill -0 $APP
check "the GUI draws a window" test "$(windows)" -ge 1
import -window root "$SHOT_DIR/installed-gui.png"
colours=$(convert "$SHOT_DIR/installed-gui.png" -format %k info:)
echo "screenshot: $SHOT_DIR/installed-gui.png ($colours colours)"
check "the window has content (more than 50 colours)" test "$colours" -gt 50
check "no error in the GUI's output" bash -c "! grep -qi 'cannot open\|panic' '$LOG/gui.log'"
# A second launch (another double-click) opens a second window, in its own process.
SIPDOCTOR_WINDOW_SIZE=900x560 /usr/bin/sipdoctor "$FIXNG" >"$LOG/gui2.log" 2>&1 &
APP2=$!
pids+=($APP2)
for _ in $(seq 1 60); do [ "$(windows)" -ge 2 ] && break; sleep 0.5; done
sleep 3
check "a second launch opens a second window" test "$(windows)" -ge 2
check "the first window stays open" kill -0 $APP
import -window root "$SHOT_DIR/second-launch.png"
cleanup
trap - EXIT

# --- remove
dpkg -r sipdoctor >"$LOG/dpkg-remove.log" 2>&1
check "dpkg -r sipdoctor" bash -c "! dpkg -s sipdoctor 2>/dev/null | grep -q '^Status: install ok installed'"
check "binaries gone" bash -c "[ ! -e /usr/bin/sipdoctor ] && [ ! -e /usr/bin/sipdoctor-cli ]"
check "desktop entry and MIME type gone" bash -c "[ ! -e /usr/share/applications/sipdoctor.desktop ] && [ ! -e /usr/share/mime/packages/sipdoctor-pcapng.xml ]"

echo "install-test: $pass passed, $fail failed"
[ "$fail" = 0 ]
