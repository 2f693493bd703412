#!/usr/bin/env bash
# test-cli-sessions.sh
#
# Copyright 2026 The Peel authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Several `peel-cli generate --session NAME` at once, as a script running a batch in parallel
# does: a new name makes one session, not one each, and every turn a run reported done (exit 0,
# node id printed) is in the session afterwards, done, with its image. Prints TAP.

set -u
cli=${1:?usage: test-cli-sessions.sh PATH-TO-PEEL-CLI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset GEMINI_API_KEY DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$work/no-runtime-dir"
export XDG_DATA_HOME="$work/data"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n $1"; cat "$work"/err.* 2>/dev/null | sed 's/^/# /'; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# Three runs at once; each writes its --json result to out.I and its status to status.I.
batch () {
  local first=$1
  for i in $(seq "$first" $((first + 2))); do
    ( "$cli" generate --demo --session "Same name" --prompt "turn $i" --size 512 --json \
        >"$work/out.$i" 2>"$work/err.$i"; echo $? >"$work/status.$i" ) &
  done
  wait
}

echo "1..6"

batch 1
check "three runs at once on a new name all exit 0" \
  '[ "$(cat "$work"/status.1 "$work"/status.2 "$work"/status.3 | sort -u)" = 0 ]'
check "they made one session of that name" \
  '[ "$(grep -l "\"name\" : \"Same name\"" "$work"/data/peel/sessions/*/meta.json | wc -l)" = 1 ]'

batch 4
check "three more runs at once on that session all exit 0" \
  '[ "$(cat "$work"/status.4 "$work"/status.5 "$work"/status.6 | sort -u)" = 0 ]'

"$cli" log --session "Same name" --json >"$work/log" 2>"$work/err.log"
check "log reads the session by its name" '[ $? -eq 0 ]'
check "every turn a run reported is there, done" 'python3 - "$work" <<PY
import json, sys
work = sys.argv[1]
nodes = {n["id"]: n for n in json.load(open(work + "/log"))}
assert len(nodes) == 6, len(nodes)
for i in range(1, 7):
    node = json.load(open("%s/out.%d" % (work, i)))["node"]
    assert nodes[node]["status"] == "done", nodes[node]
    assert nodes[node]["width"] > 0, nodes[node]
PY'
check "every image is in the session, none in its trash" \
  '[ "$(ls "$work"/data/peel/sessions/*/blobs/ | wc -l)" -ge 6 ] &&
   [ "$(ls "$work"/data/peel/sessions/*/trash/ 2>/dev/null | wc -l)" = 0 ]'

exit $failed
