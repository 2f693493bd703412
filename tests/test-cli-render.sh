#!/usr/bin/env bash
# test-cli-render.sh
#
# Copyright 2026 The Peel authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# peel-cli render against the demo server: a node rendered at 4K becomes its sibling with the
# same prompt and ratio, linked to it (draft_of); a size not larger than the node's, one its
# model does not make, a region edit and a node that is not there are refused with exit 2 and a
# message, and nothing is added to the session. Prints TAP.

set -u
cli=${1:?usage: test-cli-render.sh PATH-TO-PEEL-CLI}
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
field () {
  python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))" "$@"
}
turns () { "$cli" log --session render 2>/dev/null | grep -c '^[ *]'; }

echo "1..11"

"$cli" generate --demo --session render --prompt "a lighthouse on a cliff" --aspect 16:9 \
  --size 512 --json >"$work/root.json" 2>"$work/err" &&
"$cli" generate --demo --session render --prompt "add a red boat" --aspect 16:9 --size 512 \
  --json >"$work/draft.json" 2>"$work/err"
check "a draft at 512 after a first turn" '[ $? -eq 0 ]'
root=$(field "$work/root.json" node)
draft=$(field "$work/draft.json" node)

"$cli" render "${draft:0:5}" --session render --size 4K --demo --json --output "$work/final.png" \
  >"$work/final.json" 2>"$work/err"
check "render by the node's prefix at 4K" '[ $? -eq 0 ]'
check "the final links to its draft" '[ "$(field "$work/final.json" draft_of)" = "$draft" ]'
check "the final is the draft's sibling" '[ "$(field "$work/final.json" parent)" = "$root" ]'
check "the final is 4K at 16:9" \
  '[ "$(field "$work/final.json" width)x$(field "$work/final.json" height)" = "5504x3072" ]'

before=$(turns)
"$cli" render "$draft" --session render --size 512 --demo >"$work/out" 2>"$work/err"
check "a size not larger than the draft's: exit 2, says which sizes" \
  '[ $? -eq 2 ] && grep -q "not larger" "$work/err" && grep -q "1K, 2K, 4K" "$work/err"'

"$cli" render "$draft" --session render --size 8K --demo >"$work/out" 2>"$work/err"
check "a size that is no size: exit 2" '[ $? -eq 2 ] && grep -q "not a size" "$work/err"'

"$cli" generate --demo --session render --prompt "a fox" --model gemini-3.1-flash-lite-image \
  --json >"$work/lite.json" 2>"$work/err"
lite=$(field "$work/lite.json" node)
before=$(turns)
"$cli" render "$lite" --session render --size 2K --demo >"$work/out" 2>"$work/err"
check "a size the model does not make: exit 2 and the reason" \
  '[ $? -eq 2 ] && grep -q "no larger size" "$work/err"'

"$cli" generate --demo --session render --parent "$draft" --prompt "a kite" \
  --region 100,60,120,90 --json >"$work/region.json" 2>"$work/err"
region=$(field "$work/region.json" node)
before=$(turns)
"$cli" render "$region" --session render --size 4K --demo >"$work/out" 2>"$work/err"
check "a region edit is refused with exit 2 and why" \
  '[ $? -eq 2 ] && grep -q "region edit" "$work/err" && grep -q "outside its selection" "$work/err"'

"$cli" render ffffffff --session render --size 4K --demo >"$work/out" 2>"$work/err"
check "a node that is not there: exit 2" '[ $? -eq 2 ] && grep -q "not a node" "$work/err"'
check "nothing refused was added to the session" '[ "$(turns)" -eq "$before" ]'

exit $failed
