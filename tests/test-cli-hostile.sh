#!/usr/bin/env bash
# test-cli-hostile.sh
#
# Copyright 2026 The Peel authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# peel-cli against what an attacker (or bad luck) hands it: prompts, PNG text and keywords
# holding ESC sequences, BEL, C1 controls, BiDi overrides and broken UTF-8 (never printed
# raw); a PNG whose lineage nests 100 000 levels (no crash); a zTXt that inflates to 256 MB
# (reported as too large, read in bounded memory); --output onto a FIFO, a device or a dangling
# link (refused with exit 2, left as it was) and onto a link to a file (written through).
# Prints TAP.

set -u
cli=${1:?usage: test-cli-hostile.sh PATH-TO-PEEL-CLI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset GEMINI_API_KEY DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$work/no-runtime-dir"
export XDG_DATA_HOME="$work/data"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n $1"; sed 's/^/# /' "$work/err" 2>/dev/null; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# No byte a terminal would obey: C0 but newline and tab, DEL, C1, BiDi marks, broken UTF-8.
clean () {
  python3 - "$@" <<'EOF'
import sys
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    text = data.decode("utf-8")
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
           or c in "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
           or 0x2066 <= ord(c) <= 0x2069]
    assert not bad, (path, bad)
EOF
}

echo "1..15"

hostile=$(printf 'a fox \033]0;pwned\007 \033[2J\342\200\256gnp.exe\302\233')
"$cli" generate --demo --session hostile --prompt "$hostile" --size 512 --json \
  >"$work/out" 2>"$work/err"
check "a prompt full of controls makes a turn" '[ $? -eq 0 ]'
dir=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["session"])' "$work/out")
check "generate prints none of them raw" 'clean "$work/out" "$work/err"'

"$cli" log --session "$dir" >"$work/out" 2>"$work/err"
check "log escapes them" 'clean "$work/out" "$work/err" && grep -qF "\\u001b]0;pwned\\u0007" "$work/out" && grep -qF "\\u202egnp.exe" "$work/out"'

"$cli" log --session "$dir" --json >"$work/out" 2>"$work/err"
check "log --json escapes them and still means the same prompt" 'clean "$work/out" && python3 - "$work/out" "$hostile" <<EOF
import json, sys
nodes = json.load(open(sys.argv[1]))
assert nodes[0]["prompt"] == sys.argv[2].encode("utf-8", "surrogateescape").decode(), nodes
EOF'

# A PNG: tEXt (Latin-1) with ESC, BEL and a C1 CSI; iTXt with U+202E; a keyword with ESC.
python3 - "$work" <<'EOF'
import struct, sys, zlib
work = sys.argv[1]
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
def png(*texts):
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0\0")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + b"".join(texts) +
            chunk(b"IDAT", idat) + chunk(b"IEND", b""))
def itxt(key, text, compressed=False):
    body = zlib.compress(text) if compressed else text
    return chunk(b"iTXt", key + b"\0" + (b"\1\0" if compressed else b"\0\0") + b"\0\0" + body)
open(work + "/controls.png", "wb").write(png(
    chunk(b"tEXt", b"peel:version\x001"),
    chunk(b"tEXt", b"prompt\x00a \x1b[31mred\x1b[0m fox\x07 \x9b2J"),
    itxt(b"Title", "\u202egnp.exe".encode()),
    chunk(b"tEXt", b"x\x1b]0;title\x07\x00value"),
    itxt(b"peel:lineage", b'[{"prompt":"\\u001b[5mblink","model":"m","size":"1K"}]')))
deep = b"[" * 100000 + b"]" * 100000
open(work + "/deep.png", "wb").write(png(chunk(b"tEXt", b"peel:version\x001"),
                                         itxt(b"peel:lineage", deep)))
z = zlib.compressobj(9)
bomb = b"".join(z.compress(bytes(1 << 20)) for _ in range(256)) + z.flush()
open(work + "/bomb.png", "wb").write(png(chunk(b"tEXt", b"peel:version\x001"),
                                         chunk(b"zTXt", b"peel:lineage\x00\x00" + bomb)))
EOF

"$cli" show "$work/controls.png" >"$work/out" 2>"$work/err"
check "show on a PNG of controls exits 0" '[ $? -eq 0 ]'
check "show prints no control, BiDi mark or broken UTF-8 raw" 'clean "$work/out" "$work/err"'
check "show escapes them where they were" 'grep -qF "a \\u001b[31mred\\u001b[0m fox\\u0007 \\u009b2J" "$work/out" && grep -qF "\\u202egnp.exe" "$work/out" && grep -qF "1. \\u001b[5mblink" "$work/out"'

"$cli" show "$work/deep.png" >"$work/out" 2>"$work/err"
check "show on a lineage nested 100 000 levels does not crash" \
  '[ $? -eq 0 ] && grep -q "peel:lineage.*not read.*nested more than 64 levels" "$work/out"'

python3 - "$cli" "$work/bomb.png" "$work/out" <<'EOF' 2>"$work/err"
import resource, subprocess, sys
with open(sys.argv[3], "wb") as out:
    status = subprocess.run([sys.argv[1], "show", sys.argv[2]], stdout=out).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(status, peak, file=sys.stderr)
assert status == 0 and peak < 128, (status, peak)
EOF
check "show on a 256 MB zTXt bomb stays under 128 MB" '[ $? -eq 0 ]'
check "and says the text is too large" 'grep -q "peel:lineage.*not read: the text is larger than 4\.2.*MB" "$work/out"'

mkfifo "$work/fifo"
"$cli" export current --session "$dir" --output "$work/fifo" >"$work/out" 2>"$work/err"
status=$?
check "export onto a FIFO exits 2 and leaves the FIFO" \
  '[ $status -eq 2 ] && [ -p "$work/fifo" ] && grep -q "named pipe" "$work/err"'

timeout 20 "$cli" show "$work/fifo" >"$work/out" 2>"$work/err"
status=$?
check "show on a FIFO exits 2 at once instead of waiting for a writer" \
  '[ $status -eq 2 ] && grep -q "not a regular file" "$work/err"'

"$cli" generate --demo --prompt "a kite" --size 512 --output "$work/fifo" >"$work/out" 2>"$work/err"
status=$?
check "generate --output onto a FIFO exits 2 before asking" \
  '[ $status -eq 2 ] && [ -p "$work/fifo" ] && ! grep -q "Tokens" "$work/out"'

# Never /dev/null itself as root: a Peel without the fix would replace it for everyone.
device=/dev/null
if [ "$(id -u)" -eq 0 ]; then
  device="$work/null"
  mknod -m 666 "$device" c 1 3 2>/dev/null || device=
fi
if [ -n "$device" ]; then
  "$cli" export current --session "$dir" --output "$device" >"$work/out" 2>"$work/err"
  status=$?
  check "export onto a device exits 2 and leaves it" \
    '[ $status -eq 2 ] && [ -c "$device" ] && grep -q "a device" "$work/err"'
else
  ok "export onto a device exits 2 and leaves it # SKIP no device node to try"
fi

echo old >"$work/real.png"
ln -s real.png "$work/link.png"
ln -s missing.png "$work/dangling.png"
"$cli" export current --session "$dir" --output "$work/link.png" >"$work/out" 2>"$work/err" &&
  "$cli" export current --session "$dir" --output "$work/dangling.png" >>"$work/out" 2>>"$work/err"
status=$?
check "export writes through a link to a file and refuses a dangling one" \
  '[ $status -eq 2 ] && [ -L "$work/link.png" ] && [ "$(head -c 4 "$work/real.png" | tail -c 3)" = PNG ] && [ -L "$work/dangling.png" ] && [ ! -e "$work/missing.png" ]'

exit $failed
