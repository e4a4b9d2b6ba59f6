#!/bin/sh
# Make every icon size from sipdoctor.svg (the one source). Run after editing the SVG, commit
# the results: builds use the committed files and need none of these tools.
# Needs (Debian/Ubuntu): apt-get install librsvg2-bin imagemagick icnsutils
#   png/sipdoctor-N.png  Linux hicolor theme sizes, the window icon (256), the tar.gz
#   sipdoctor.ico        Windows (.exe resource): 16..256 in one file
#   sipdoctor.icns       macOS (.app bundle)
set -eu
cd "$(dirname "$0")"
mkdir -p png
for n in 16 24 32 48 64 128 256 512; do
    rsvg-convert -w "$n" -h "$n" sipdoctor.svg -o "png/sipdoctor-$n.png"
done
convert png/sipdoctor-16.png png/sipdoctor-24.png png/sipdoctor-32.png png/sipdoctor-48.png \
    png/sipdoctor-64.png png/sipdoctor-128.png png/sipdoctor-256.png sipdoctor.ico
# png2icns takes the sizes macOS knows (16, 32, 48, 128, 256, 512).
png2icns sipdoctor.icns png/sipdoctor-16.png png/sipdoctor-32.png png/sipdoctor-48.png \
    png/sipdoctor-128.png png/sipdoctor-256.png png/sipdoctor-512.png >/dev/null
ls -l png sipdoctor.ico sipdoctor.icns
