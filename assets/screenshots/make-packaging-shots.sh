#!/bin/sh
# Screenshots for the packaging (issue 13): the window icon in a real title bar, Help/About with
# the version, and Ctrl+O on a desktop without xdg-desktop-portal (no session bus at all): the
# path field, or zenity's dialog when zenity is installed.
# Needs: apt-get install xvfb openbox xdotool imagemagick; a built binary.
# Usage: assets/screenshots/make-packaging-shots.sh [path/to/sipdoctor]   (default /usr/bin/sipdoctor)
set -eu
cd "$(dirname "$0")/../.."
BIN=${1:-/usr/bin/sipdoctor}
OUT=assets/screenshots
FIX=$(pwd)/tests/fixtures/02-register-wrong-password.pcap
export DISPLAY=:98
unset DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR
export XDG_DATA_HOME=$(mktemp -d) XDG_CONFIG_HOME=$(mktemp -d) SIPDOCTOR_WINDOW_SIZE=1100x640
Xvfb :98 -screen 0 1280x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
sleep 2
openbox >/dev/null 2>&1 &
WM=$!
trap 'kill $APP $WM $XVFB 2>/dev/null || true' EXIT
sleep 1
"$BIN" "$FIX" >"${TMPDIR:-/tmp}/sipdoctor-packaging-shots.log" 2>&1 &
APP=$!
sleep 6
WID=$(xdotool search --name "^SIP Doctor$" | head -1)
xdotool windowactivate --sync "$WID" 2>/dev/null || xdotool windowfocus --sync "$WID" || true
xdotool mousemove 1279 767
sleep 1
import -window root "$OUT/window-icon-title-bar.png"
# The title bar's left end, enlarged: the icon (the title sits in the middle of the bar).
eval "$(xdotool getwindowgeometry --shell "$WID")"
convert "$OUT/window-icon-title-bar.png" -crop "120x30+$((X - 4))+$((Y - 48))" +repage -filter point -resize 400% \
    "$OUT/window-icon-title-bar-zoom.png"
xdotool key F1
sleep 2
import -window root "$OUT/help-about-version.png"
xdotool key Escape
sleep 1
xdotool key ctrl+o
sleep 3
if command -v zenity >/dev/null; then
    import -window root "$OUT/ctrl-o-zenity-dialog.png"
else
    import -window root "$OUT/ctrl-o-no-portal-path-field.png"
fi
ls -la "$OUT"/window-icon-* "$OUT"/help-about-version.png "$OUT"/ctrl-o-*
