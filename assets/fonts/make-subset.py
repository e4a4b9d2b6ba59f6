#!/usr/bin/python3
"""Build assets/fonts/NotoSansCJKsc-SipDoctor-subset.otf from Debian's fonts-noto-cjk.

The subset holds: GB2312 level-1 hanzi (the 3755 most common characters), CJK punctuation and
full-width forms, Latin with Vietnamese letters, and every non-ASCII character used in the UI
strings (src/gui/i18n.rs), the core's message catalogue (src/msg/catalogue.rs) and the knowledge
base (kb/**/*.json).

Usage (Debian 12, package python3-fonttools; the .ttc from fonts-noto-cjk, installed or
unpacked with `apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb x`):

    /usr/bin/python3 assets/fonts/make-subset.py [path/to/NotoSansCJK-Regular.ttc]

Run it again after adding Chinese text to the UI, the catalogue or the KB.
"""
import glob
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TTC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
OUT = os.path.join(ROOT, "assets/fonts/NotoSansCJKsc-SipDoctor-subset.otf")

chars = set()
# GB2312 level 1: rows 16-55 (0xB0A1-0xD7F9).
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
ranges = [
    (0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F),
    (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF), (0x2600, 0x27BF), (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
]
for a, b in ranges:
    chars.update(chr(c) for c in range(a, b + 1))
texts = [os.path.join(ROOT, "src/gui/i18n.rs"), os.path.join(ROOT, "src/msg/catalogue.rs")] + glob.glob(os.path.join(ROOT, "kb/**/*.json"), recursive=True)
for p in texts:
    with open(p, encoding="utf-8") as f:
        chars.update(c for c in f.read() if ord(c) > 0x7E)

coll = TTCollection(TTC)
font = coll.fonts[2]  # Noto Sans CJK SC
assert "Noto Sans CJK SC" in font["name"].getDebugName(4), font["name"].getDebugName(4)
cmap = font.getBestCmap()
wanted = sorted(ord(c) for c in chars if ord(c) in cmap)
opts = subset.Options()
opts.layout_features = ["*"]
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.notdef_outline = True
opts.hinting = False
s = subset.Subsetter(opts)
s.populate(unicodes=wanted)
s.subset(font)
font.save(OUT)
missing = sorted(c for c in chars if ord(c) not in cmap and ord(c) > 0x2FF and not (0x1E00 <= ord(c) <= 0x1EFF))
print(f"{OUT}: {len(wanted)} characters, {os.path.getsize(OUT)} bytes")
if missing:
    print("not in the font (other fonts or the system fallback draw them):", "".join(missing[:80]))
