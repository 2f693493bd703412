#!/usr/bin/env bash
# test-cli-region.sh
#
# Copyright 2026 The Peel authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# peel-cli generate --region, --mask, --feather and --marks against the demo server: a region
# edit changes the image inside the selection and not one pixel further than the feather; a
# mask of the wrong size, a file that is not an image, a FIFO, an empty selection and marks that
# do not read are refused with exit 2 and a message, before anything is sent. Prints TAP.

set -u
cli=${1:?usage: test-cli-region.sh PATH-TO-PEEL-CLI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset GEMINI_API_KEY DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$work/no-runtime-dir"
export XDG_DATA_HOME="$work/data"
export XDG_CACHE_HOME="$work/cache"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n $1"; sed 's/^/# /' "$work/err" 2>/dev/null; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# Counts the pixels of two PNGs that differ, outside and inside a rectangle grown by a margin.
diff_png () {
  python3 - "$@" <<'PYEOF'
import struct, sys, zlib
def read(path):
    data = open(path, "rb").read()
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            channels = {2: 3, 6: 4, 0: 1, 4: 2}[color]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride = zlib.decompress(idat), w * channels
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return w, h, channels, rows
a, b = read(sys.argv[1]), read(sys.argv[2])
x, y, rw, rh, m = map(int, sys.argv[3:8])
assert a[:3] == b[:3], (a[:3], b[:3])
w, h, ch = a[:3]
outside = inside = 0
for j in range(h):
    for i in range(w):
        if a[3][j][i * ch:(i + 1) * ch] != b[3][j][i * ch:(i + 1) * ch]:
            if x - m <= i < x + rw + m and y - m <= j < y + rh + m: inside += 1
            else: outside += 1
print(outside, inside)
PYEOF
}

echo "1..10"

"$cli" generate --demo --session region --prompt "a lighthouse on a cliff" --aspect 1:1 \
  --size 512 --output "$work/parent.png" >"$work/out" 2>"$work/err"
check "a parent to edit" '[ $? -eq 0 ]'

"$cli" generate --demo --session region --prompt "a red kite" --region 300,60,120,90 \
  --feather 6 --output "$work/edit.png" --json >"$work/out" 2>"$work/err"
check "a region edit" '[ $? -eq 0 ]'
read -r outside inside < <(diff_png "$work/parent.png" "$work/edit.png" 300 60 120 90 6)
check "no pixel further than the feather changed ($outside)" '[ "$outside" -eq 0 ]'
check "the region changed ($inside pixels)" '[ "$inside" -gt 2000 ]'
check "--json says it is a region edit" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"region\"][\"feather\"] == 6, d" "$work/out"'

python3 -c "
import struct, zlib, sys
def chunk(k, d): return struct.pack('>I', len(d)) + k + d + struct.pack('>I', zlib.crc32(k + d))
w, h = 100, 100
raw = b''.join(b'\0' + b'\xff' * w for _ in range(h))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
" "$work/small-mask.png"
"$cli" generate --demo --session region --prompt "x" --mask "$work/small-mask.png" \
  >"$work/out" 2>"$work/err"
check "a mask of another size is refused with exit 2 and the sizes" \
  '[ $? -eq 2 ] && grep -q "100 × 100" "$work/err" && grep -q "512 × 512" "$work/err"'

echo "not an image" >"$work/text.png"
"$cli" generate --demo --session region --prompt "x" --mask "$work/text.png" \
  >"$work/out" 2>"$work/err"
check "a mask that is not an image is refused with exit 2" '[ $? -eq 2 ] && grep -q -- "--mask" "$work/err"'

mkfifo "$work/fifo"
timeout 20 "$cli" generate --demo --session region --prompt "x" --mask "$work/fifo" \
  >"$work/out" 2>"$work/err"
check "a FIFO as the mask is refused, not waited on" '[ $? -eq 2 ]'

"$cli" generate --demo --session region --prompt "x" --region 600,600,10,10 \
  >"$work/out" 2>"$work/err"
check "a region outside the image is refused with exit 2" '[ $? -eq 2 ]'

printf '{"version":1,"marks":[{"kind":"laser","points":[[1,1],[2,2]]}]}' >"$work/marks.json"
"$cli" generate --demo --session region --prompt "x" --marks "$work/marks.json" \
  >"$work/out" 2>"$work/err"
check "marks that do not read are refused with exit 2 and the mark" \
  '[ $? -eq 2 ] && grep -q "Mark 1" "$work/err"'

exit $failed
