#!/bin/sh
# The tar.gz for Linux distributions without dpkg: both binaries, the icon, the desktop entry,
# the pcapng MIME type, README and the licences, in one folder.
# Usage: assets/packaging/linux/make-tarball.sh [TARGET_DIR]   (after cargo build --release or cargo deb)
# Writes target/dist/sipdoctor-VERSION-ARCH-linux.tar.gz and prints its path.
set -eu
cd "$(dirname "$0")/../../.."
BIN=${1:-target/release}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
ARCH=$(uname -m)
NAME=sipdoctor-$VERSION-$ARCH-linux
STAGE=target/dist/$NAME
rm -rf "$STAGE"
mkdir -p "$STAGE/share/applications" "$STAGE/share/mime/packages" \
    "$STAGE/share/icons/hicolor/scalable/apps" "$STAGE/share/icons/hicolor/256x256/apps"
install -m 755 "$BIN/sipdoctor" "$BIN/sipdoctor-cli" "$STAGE/"
# The release profile keeps line tables (backtraces while developing); the package needs none.
if command -v strip >/dev/null; then strip "$STAGE/sipdoctor" "$STAGE/sipdoctor-cli"; fi
install -m 644 assets/packaging/linux/sipdoctor.desktop "$STAGE/share/applications/"
install -m 644 assets/packaging/linux/sipdoctor-pcapng.xml "$STAGE/share/mime/packages/"
install -m 644 assets/icon/sipdoctor.svg "$STAGE/share/icons/hicolor/scalable/apps/"
install -m 644 assets/icon/png/sipdoctor-256.png "$STAGE/share/icons/hicolor/256x256/apps/sipdoctor.png"
install -m 644 README.md assets/LICENSE-MIT assets/LICENSE-APACHE "$STAGE/"
cat > "$STAGE/INSTALL.txt" <<TXT
SIP Doctor $VERSION for Linux ($ARCH)

Run it from here:   ./sipdoctor [capture.pcap]      ./sipdoctor-cli --help
Install for you (launcher entry, icon, double-click on .pcap/.pcapng):
  mkdir -p ~/.local/bin ~/.local/share && cp sipdoctor sipdoctor-cli ~/.local/bin/
  cp -r share/* ~/.local/share/
  update-mime-database ~/.local/share/mime; update-desktop-database ~/.local/share/applications
  xdg-mime default sipdoctor.desktop application/vnd.tcpdump.pcap application/x-pcapng
The app needs OpenGL or Vulkan, X11 or Wayland; zenity (or xdg-desktop-portal) for file dialogs.
TXT
tar -C target/dist -czf "target/dist/$NAME.tar.gz" "$NAME"
echo "target/dist/$NAME.tar.gz"
