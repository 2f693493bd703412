#!/usr/bin/env bash
# test-cli-variations.sh
#
# Copyright 2026 The Peel authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# peel-cli generate --variations against the demo server: --variations 3 --json prints three
# JSON objects, three sibling nodes of one batch; a blocked variation stays a failed node and
# the exit status says so (3); --output is numbered per variation; --variations 9 and 0, a
# --parallel without --variations and --variations without --session are refused with exit 2
# and a message, before anything is sent. Prints TAP.

set -u
cli=${1:?usage: test-cli-variations.sh PATH-TO-PEEL-CLI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset GEMINI_API_KEY DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$work/no-runtime-dir"
export XDG_DATA_HOME="$work/data"
export XDG_CACHE_HOME="$work/cache"
cd "$work" || exit 1

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n $1"; sed 's/^/# /' "$work/err" 2>/dev/null; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# Three objects, one a line, each a done node with an image, all with the same batch, three
# different nodes of the same parent.
"$cli" generate --demo --prompt "a lighthouse" --session lights --json >"$work/root.json" 2>"$work/err"
"$cli" generate --demo --prompt "three lighthouses" --session lights --variations 3 --json \
  >"$work/out.json" 2>"$work/err"
status=$?
check "--variations 3 --json exits 0" '[ $status -eq 0 ]'
check "--variations 3 --json prints three objects of one batch" \
  'python3 - "$work/out.json" "$work/root.json" <<PYEOF
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
root = json.load(open(sys.argv[2]))
objs = [json.loads(l) for l in lines]
assert len(objs) == 3, len(objs)
assert len({o["batch"] for o in objs}) == 1, objs
assert len(objs[0]["batch"]) == 16
assert len({o["node"] for o in objs}) == 3
assert all(o["parent"] == root["node"] for o in objs), (root["node"], objs)
assert all(o["width"] > 0 and o["finish_reason"] == "STOP" for o in objs)
assert all(o["session"] == root["session"] for o in objs)
# The same shape as a single --json result, plus "batch".
assert set(objs[0]) == set(root) | {"batch"}, set(objs[0]) ^ set(root)
PYEOF'

# `peel-cli log` shows the three siblings under the root.
"$cli" log --session lights >"$work/log" 2>"$work/err"
check "the session holds the root and three siblings" \
  '[ "$(grep -c "three lighthouses" "$work/log")" -eq 3 ]'

# A blocked variation: a failed node with its reason, the others written, exit 3.
"$cli" generate --demo --prompt "two boats" --session boats --variations 2 --parallel 1 \
  --output "$work/boat.png" --demo-fault none --demo-fault image-safety --json \
  >"$work/out.json" 2>"$work/err"
status=$?
check "a blocked variation exits 3" '[ $status -eq 3 ]'
check "the blocked variation is a failed node with its reason, the other is written" \
  'python3 - "$work/out.json" <<PYEOF
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(objs) == 2, objs
done = [o for o in objs if o.get("status") != "failed"]
failed = [o for o in objs if o.get("status") == "failed"]
assert len(done) == 1 and len(failed) == 1, objs
assert failed[0]["error_code"] and len(failed[0]["error"]) > 10, failed
assert done[0]["batch"] == failed[0]["batch"]
assert done[0]["output"].endswith("boat-1.png"), done
PYEOF'
check "the message says how many failed and why" \
  'grep -q "1 of 2 variations failed" "$work/err"'
check "only the variation that succeeded is at --output" \
  '[ -s "$work/boat-1.png" ] && [ ! -e "$work/boat-2.png" ] && [ ! -e "$work/boat.png" ]'

# Ctrl+C once one variation is done and the next two hang: exit 130, the done one and the two
# stopped are kept in the session, the fourth, still queued, is never made.
"$cli" generate --demo --prompt "stop them" --session stopped --variations 4 --parallel 2 \
  --demo-fault none --demo-fault stall --demo-fault stall --json >"$work/out.json" \
  2>"$work/err" &
pid=$!
for _ in $(seq 1 200); do
  [ -s "$work/out.json" ] && break
  sleep 0.1
done
kill -INT $pid
wait $pid
status=$?
check "Ctrl+C during variations exits 130 and says what is kept" \
  '[ $status -eq 130 ] && grep -q "Every turn made is kept" "$work/err"'
"$cli" log --session stopped >"$work/log" 2>>"$work/err"
check "the finished variation and the stopped ones are in the session, the queued one not" \
  '[ "$(grep -c "stop them" "$work/log")" -eq 3 ] && [ "$(grep -c " done " "$work/log")" -eq 1 ] &&
   [ "$(grep -c "cancelled" "$work/log")" -eq 2 ]'

# Refused before anything is sent: exit 2, a message that says what to give.
for bad in 9 0 -1; do
  "$cli" generate --demo --prompt "x" --session refused --variations $bad >"$work/out" 2>"$work/err"
  status=$?
  check "--variations $bad is refused with exit 2 and a message" \
    '[ $status -eq 2 ] && grep -q -- "--variations: give a number from 1 to 8" "$work/err"'
done
check "nothing was made for the refused runs" '[ ! -e "$work/data/peel/sessions" ] || ! grep -rqs "\"x\"" "$work/data/peel/sessions"'
"$cli" generate --demo --prompt "x" --session refused --parallel 2 >"$work/out" 2>"$work/err"
status=$?
check "--parallel without --variations is refused" \
  '[ $status -eq 2 ] && grep -q -- "--parallel: only works with --variations" "$work/err"'
"$cli" generate --demo --prompt "x" --output "$work/x.png" --variations 2 >"$work/out" 2>"$work/err"
status=$?
check "--variations without --session is refused" \
  '[ $status -eq 2 ] && grep -q -- "--session" "$work/err" && [ ! -e "$work/x.png" ]'
"$cli" generate --help >"$work/help" 2>&1
check "--help documents --variations and its exit status" \
  'grep -q -- "--variations" "$work/help" && grep -q "status of the first that failed" "$work/help"'

echo "1..$n"
exit $failed
