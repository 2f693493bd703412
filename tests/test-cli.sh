#!/usr/bin/env bash
# test-cli.sh
#
# Copyright 2026 The Peel authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `peel-cli generate` against its in-process demo server: exit statuses, the --json fields, and
# that a failed or interrupted run leaves nothing at --output; then turns added to a session with
# --session and --parent, read back with `log`, `export` and `show`. Prints TAP.

set -u
cli=${1:?usage: test-cli.sh PATH-TO-PEEL-CLI}
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

run () {
  "$cli" generate "$@" >"$work/out" 2>"$work/err"
  status=$?
}

echo "1..31"

run --demo --prompt "a lighthouse at dusk" --aspect 16:9 --size 1K --output "$work/a.png"
check "generate exits 0" '[ $status -eq 0 ]'
check "the image is a png of the asked size" 'python3 - "$work/a.png" <<EOF
import struct, sys
data = open(sys.argv[1], "rb").read(24)
assert data[:8] == b"\\x89PNG\\r\\n\\x1a\\n", data
assert struct.unpack(">II", data[16:24]) == (1376, 768), data
EOF'
check "the text and the size check are printed" \
  'grep -q "asked 1376×768 — got 1376×768" "$work/out" && grep -q "lighthouse" "$work/out"'

run --demo --stream --thoughts --thinking high --prompt "a red fox" --aspect 3:2 --size 512 \
  --json --output "$work/fox.jpg"
check "streamed --json run exits 0" '[ $status -eq 0 ]'
check "--json holds every field, with the truth" 'python3 - "$work/out" "$work/fox.jpg" <<EOF
import json, sys
d = json.load(open(sys.argv[1]))
assert d["output"] == sys.argv[2], d["output"]
assert (d["width"], d["height"]) == (632, 424), d
assert d["mime_type"] == "image/jpeg" and d["received_mime_type"] == "image/png", d
assert d["finish_reason"] == "STOP" and d["text"], d
assert d["thoughts"], d
assert d["usage"]["output_tokens"] > 0 and d["usage"]["total_tokens"] > 0, d
assert d["cost_usd"] > 0, d
assert d["asked"] == {"aspect_ratio": "3:2", "size": "512", "width": 632, "height": 424}, d
assert d["size_matches"] is True, d
EOF'
check "--json prints money rounded as a person reads it" \
  'grep -Eq "\"cost_usd\":0\.[0-9]{1,3}[,}]" "$work/out"'

run --demo --search --prompt "the harbour of Genoa today" --size 512 --json --output "$work/s.png"
check "--json of a --search turn holds its grounding sources" 'python3 - "$work/out" <<EOF
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["sources"]) > 0 and all(s["uri"].startswith("https://") for s in d["sources"]), d
assert d["search_queries"], d
EOF'

check "a .jpg output was converted to JPEG" \
  '[ "$(head -c 3 "$work/fox.jpg" | od -An -tx1 | tr -d " ")" = "ffd8ff" ]'

run --demo --prompt "x" --aspect 16x9 --output "$work/b.png"
check "a bad --aspect exits 2 and names the option" \
  '[ $status -eq 2 ] && grep -q -- "--aspect: “16x9” is not an aspect ratio. Use one of 1:1" "$work/err"'

run --demo --prompt "x" --image "$work/missing.png" --output "$work/b.png"
check "a missing --image exits 2 and names the option" \
  '[ $status -eq 2 ] && grep -q -- "--image" "$work/err" && [ ! -e "$work/b.png" ]'

run --demo --demo-fault blocked-prompt --prompt "x" --output "$work/c.png"
check "a blocked prompt exits 3 with the reason and leaves no file" \
  '[ $status -eq 3 ] && grep -q "OTHER" "$work/err" && [ ! -e "$work/c.png" ]'

run --demo --demo-fault server-error --demo-fault unavailable --max-attempts 2 --prompt "x" \
  --output "$work/d.png"
check "server errors past the retries exit 4 and leave no file" \
  '[ $status -eq 4 ] && [ ! -e "$work/d.png" ] && grep -q "attempt 2 of 2" "$work/err"'

run --demo --stream --demo-fault truncated-stream --prompt "x" --output "$work/e.png"
check "a truncated stream exits 4 and leaves no file" '[ $status -eq 4 ] && [ ! -e "$work/e.png" ]'

# A server that sends its answer one byte a second, and one that sends only keep-alive comments:
# each reads as alive forever, so only the deadline ends them.
start=$(date +%s)
run --demo --demo-fault trickle --timeout 2 --prompt "x" --output "$work/slow.png"
took=$(( $(date +%s) - start ))
check "a byte-a-second server ends at --timeout with exit 4 and says what it did" \
  '[ $status -eq 4 ] && [ $took -le 5 ] && [ ! -e "$work/slow.png" ] && grep -q "had not finished sending even the status line and headers of its answer after 2 seconds" "$work/err"'
start=$(date +%s)
run --demo --stream --demo-fault keep-alive --timeout 2 --prompt "x" --output "$work/slow.png"
took=$(( $(date +%s) - start ))
check "a stream of keep-alive comments ends at --timeout with exit 4 and says so" \
  '[ $status -eq 4 ] && [ $took -le 5 ] && [ ! -e "$work/slow.png" ] && grep -q "answered, then sent only [0-9]* keep-alive comments and no part of the image within 2 seconds" "$work/err"'
run --demo --timeout 0 --prompt "x" --output "$work/slow.png"
check "a --timeout of 0 is refused with exit 2" \
  '[ $status -eq 2 ] && grep -q -- "--timeout" "$work/err"'

run --base-url "http://example.com" --prompt "x" --output "$work/f.png"
check "plain http:// to another host exits 2" '[ $status -eq 2 ] && grep -q "https://" "$work/err"'

# Interrupted while the server stalls: exit 130, quickly, and nothing at --output.
"$cli" generate --demo --demo-fault stall --prompt "x" --output "$work/g.png" \
  >"$work/out" 2>"$work/err" &
pid=$!
sleep 1
kill -INT $pid
start=$(date +%s)
wait $pid
status=$?
check "SIGINT exits 130 promptly and leaves no file" \
  '[ $status -eq 130 ] && [ $(( $(date +%s) - start )) -le 3 ] && [ ! -e "$work/g.png" ] && [ -z "$(ls "$work" | grep "^g\.png")" ]'

"$cli" generate --help >"$work/out" 2>"$work/err"
status=$?
missing=""
for option in prompt aspect size image model thinking thoughts search image-search stream demo \
              base-url provider auth json output max-attempts demo-fault session parent; do
  grep -q -- "--$option" "$work/out" || missing="$missing $option"
done
echo "$missing" >"$work/err"
check "--help documents every option" '[ $status -eq 0 ] && [ -z "$missing" ]'

# Sessions: three turns in a chain, a branch from the first, a failed turn kept with its reason.
field () { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/out" "$1"; }

run --demo --session study --prompt "a lighthouse at dusk" --size 512 --json
first=$(field node 2>/dev/null)
dir=$(field session 2>/dev/null)
run --demo --session "$dir" --prompt "make the sky stormy" --size 512 --json
second=$(field node 2>/dev/null)
run --demo --session study --prompt "add a small boat" --size 512 --json --output "$work/boat.png"
third=$(field node 2>/dev/null)
check "three turns in a new session, each --json naming its node" \
  '[ $status -eq 0 ] && [ -n "$first" ] && [ -n "$second" ] && [ -n "$third" ] && [ -d "$dir" ] && [ -s "$work/boat.png" ]'

"$cli" log --session "$dir" --json >"$work/log" 2>"$work/err"
check "log --json shows the three nodes in a chain" 'python3 - "$work/log" "$first" "$second" "$third" <<EOF
import json, sys
nodes = {n["id"]: n for n in json.load(open(sys.argv[1]))}
a, b, c = sys.argv[2:5]
assert len(nodes) == 3, nodes
assert nodes[a]["parent"] is None and nodes[b]["parent"] == a and nodes[c]["parent"] == b, nodes
assert all(n["status"] == "done" and n["width"] == 512 for n in nodes.values()), nodes
assert nodes[c]["prompt"] == "add a small boat", nodes
EOF'

run --demo --session study --parent "$first" --prompt "sunny and pastel" --size 512 --json
branch=$(field node 2>/dev/null)
check "--parent of the first node makes a branch" \
  '[ $status -eq 0 ] && [ "$(field parent)" = "$first" ] && [ "$branch" != "$second" ]'

run --demo --session study --parent nobody --prompt "x" --output "$work/h.png"
check "an unknown --parent exits 2 and names the option" \
  '[ $status -eq 2 ] && grep -q -- "--parent" "$work/err" && [ ! -e "$work/h.png" ]'

run --demo --session "$work/none" --prompt "x" --output "$work/h.png"
check "a --session folder that is not a session exits 2" \
  '[ $status -eq 2 ] && grep -q -- "--session" "$work/err" && [ ! -e "$work/h.png" ]'

run --demo --session study --demo-fault image-safety --prompt "x" --json --output "$work/i.png"
failed_node=$(field node 2>/dev/null)
check "a blocked turn exits 3, leaves no file and names its node" \
  '[ $status -eq 3 ] && [ ! -e "$work/i.png" ] && [ "$(field status)" = failed ] && [ "$(field parent)" = "$branch" ]'
"$cli" log --session study --json >"$work/log" 2>"$work/err"
check "the failed node stays in the session with its reason" 'python3 - "$work/log" "$failed_node" <<EOF
import json, sys
nodes = {n["id"]: n for n in json.load(open(sys.argv[1]))}
assert len(nodes) == 5, nodes
node = nodes[sys.argv[2]]
assert node["status"] == "failed" and "IMAGE_SAFETY" in node["error"], node
EOF'

# A proxy that answers with a signed data URI in a text part: the next run, a new process that
# reads the turn back from disk, must send that text back as it came or the signature is refused.
run --demo --session kites --demo-fault data-uri --prompt "a kite" --size 512 --json
kite=$(field node 2>/dev/null)
run --demo --session kites --parent "$kite" --prompt "make it red" --size 512 --json
check "a turn answered with a data URI can be continued from disk" \
  '[ $status -eq 0 ] && [ "$(field parent)" = "$kite" ]'

"$cli" export "$third" --session "$dir" --output "$work/x.png" >"$work/out" 2>"$work/err" &&
  "$cli" show "$work/x.png" >"$work/out" 2>>"$work/err"
status=$?
check "export then show prints the lineage of the node" \
  '[ $status -eq 0 ] && grep -q "Lineage:" "$work/out" && grep -q "1\. a lighthouse at dusk" "$work/out" && grep -q "2\. make the sky stormy" "$work/out" && grep -q "3\. add a small boat" "$work/out"'

# A session that cannot be written. Root writes through permissions, so the runs that must meet
# a read-only folder drop that power.
as_user () {
  if [ "$(id -u)" = 0 ]; then setpriv --bounding-set=-dac_override,-dac_read_search -- "$@"; else "$@"; fi
}
run --demo --session readonly --prompt "a lighthouse" --size 512 --json
ro_dir=$(field session 2>/dev/null)
before=$(cat "$ro_dir/journal.jsonl" | wc -c)
chmod -R a-w "$ro_dir"
as_user "$cli" generate --demo --session readonly --prompt "make it red" --size 512 --json \
  >"$work/out" 2>"$work/err"
status=$?
chmod -R u+w "$ro_dir"
check "a read-only session is found out before sending: exit 5, nothing paid, nothing added" \
  '[ $status -eq 5 ] && grep -q "cannot take a new turn now, so nothing was sent and nothing was paid for" "$work/err" && [ ! -s "$work/out" ] && [ "$(cat "$ro_dir/journal.jsonl" | wc -c)" -eq "$before" ]'

# The folder turns read-only while the answer is on its way: the paid image is kept in the
# cache, --output is written all the same, and --json says so.
# The folder is locked once the waiting turn is in its journal, that is once the request is on
# its way (a fixed delay raced peel-cli's start-up on slow sanitizer builds).
"$cli" demo-server --latency 3000 >"$work/server" 2>/dev/null &
server_pid=$!
for _ in $(seq 1 50); do [ -s "$work/server" ] && break; sleep 0.2; done
before=$(cat "$ro_dir/journal.jsonl" | wc -c)
(for _ in $(seq 1 300); do
   [ "$(cat "$ro_dir/journal.jsonl" | wc -c)" -gt "$before" ] && break
   sleep 0.1
 done
 chmod -R a-w "$ro_dir") &
locker_pid=$!
GEMINI_API_KEY=k as_user "$cli" generate --base-url "$(head -1 "$work/server")" --session readonly \
  --prompt "make it blue" --size 512 --json --output "$work/blue.png" >"$work/out" 2>"$work/err"
status=$?
wait "$locker_pid"
chmod -R u+w "$ro_dir"
kill "$server_pid" 2>/dev/null
check "a paid image the session cannot take is kept in unsaved/: exit 5, JSON says where" \
  '[ $status -eq 5 ] && python3 - "$work/out" "$XDG_CACHE_HOME/peel/unsaved/" "$work/blue.png" <<EOF
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "unsaved" and d["unsaved"].startswith(sys.argv[2]), d
assert os.path.getsize(d["unsaved"]) > 1000 and os.stat(d["unsaved"]).st_mode & 0o077 == 0, d
assert d["output"] == sys.argv[3] and open(d["output"], "rb").read() == open(d["unsaved"], "rb").read(), d
assert d["node"] and d["session"], d
assert "kept in " + d["unsaved"] in d["error"], d
EOF'

# The turn is saved but --output cannot be written: the JSON is printed all the same, with the
# node, so a script does not pay for it again.
mkdir "$work/locked"
chmod a-w "$work/locked"
as_user "$cli" generate --demo --session readonly --prompt "make it green" --size 512 --json \
  --output "$work/locked/green.png" >"$work/out" 2>"$work/err"
status=$?
chmod u+w "$work/locked"
check "a saved turn whose --output fails still prints its JSON, exit 5" \
  '[ $status -eq 5 ] && python3 - "$work/out" <<EOF
import json, sys
d = json.load(open(sys.argv[1]))
assert d["node"] and d["output"] is None and "could not be written" in d["output_error"], d
assert d["width"] > 0, d
EOF'

exit $failed
