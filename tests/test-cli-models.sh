#!/usr/bin/env bash
# test-cli-models.sh
#
# Copyright 2026 The Peel authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Today's models from a terminal, against the demo server answering as Google does today:
# the default works with nothing configured, a shut-down id is refused naming its replacement,
# a size the model does not make is refused before anything is sent, and `peel-cli models`
# prints what the service lists, and a turn that continues another model's branch says its
# context was rebuilt, even one made on a shut-down model. Prints TAP.

set -u
cli=${1:?usage: test-cli-models.sh PATH-TO-PEEL-CLI}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset GEMINI_API_KEY DBUS_SESSION_BUS_ADDRESS
export XDG_RUNTIME_DIR="$work/no-runtime-dir"
export XDG_DATA_HOME="$work/data"

n=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n $1"; sed 's/^/# /' "$work/err" "$work/out" 2>/dev/null; }
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

run () {
  "$cli" "$@" >"$work/out" 2>"$work/err"
  status=$?
}

echo "1..12"

run generate --demo --prompt "a cat" --output "$work/cat.png"
check "with nothing configured, text to image works on the default model" \
  '[ $status -eq 0 ] && [ -s "$work/cat.png" ]'

run generate --demo --model gemini-3.1-flash-image-preview --prompt "a cat" --output "$work/p.png"
check "a shut-down id exits 3 naming its replacement and the --model to pass" \
  '[ $status -eq 3 ] && [ ! -e "$work/p.png" ] &&
   grep -q "Nano Banana 2 preview was shut down on 25 June 2026. Use Nano Banana 2." "$work/err" &&
   grep -q -- "--model gemini-3.1-flash-image\.$" "$work/err"'

check "the message is whole: no word cut short" '! grep -q "[A-Za-z]…" "$work/err"'

run generate --demo --model gemini-3.1-flash-lite-image --size 2K --prompt "a cat" --json \
  --output "$work/l.png"
check "Lite at 2K is refused before anything is sent" \
  '[ $status -eq 2 ] && grep -q "Nano Banana 2 Lite does not make 2K images. Use one of 1K." "$work/err"'

run models --demo --json
check "models --json lists exactly the image models the server lists" 'python3 - "$work/out" <<PY
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"] == "service", d
ids = [m["id"] for m in d["models"]]
assert ids == ["gemini-3.1-flash-image", "gemini-3-pro-image", "gemini-3.1-flash-lite-image"], ids
nb2, pro, lite = d["models"]
assert nb2["name"] == "Nano Banana 2" and len(nb2["ratios"]) == 14, nb2
assert [s["size"] for s in nb2["sizes"]] == ["512", "1K", "2K", "4K"], nb2
assert nb2["sizes"][1]["price"] == 0.067 and nb2["sizes"][1]["batch_price"] == 0.034, nb2
assert len(pro["ratios"]) == 10 and pro["sizes"][-1] == {"size": "4K", "price": 0.24, "batch_price": 0.12}, pro
assert [s["size"] for s in lite["sizes"]] == ["1K"] and lite["search"] is False, lite
PY'

check "models --json prints prices as a person reads them" \
  'grep -q "\"price\" : 0.045," "$work/out" && ! grep -Eq "[0-9]\.[0-9]{10}" "$work/out"'

run models --demo
check "models prints each model with its ratios, sizes and prices" \
  '[ $status -eq 0 ] && grep -q "^gemini-3.1-flash-image  Nano Banana 2$" "$work/out" &&
   grep -q "1K \$0.067 (Batch \$0.034)" "$work/out"'

run --help
check "--help lists the models command" '[ $status -eq 0 ] && grep -q "^  models " "$work/out"'

run generate --help
check "generate --help names the default model" \
  '[ $status -eq 0 ] && grep -q "default gemini-3.1-flash-image, Nano Banana 2" "$work/out" &&
   ! grep -q "preview" "$work/out"'

run generate --demo --session pro --model gemini-3-pro-image --prompt "a lighthouse" --json
check "a turn on its own branch's model is not marked rebuilt" \
  '[ $status -eq 0 ] && ! grep -q context_rebuilt "$work/out"'

run generate --demo --session pro --prompt "at dusk" --json
rebuilt_node=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["node"])' "$work/out" 2>/dev/null)
"$cli" log --session pro --json >"$work/log" 2>>"$work/err"
check "a turn continuing another model's branch says its context was rebuilt, in generate and log" \
  'python3 - "$work/out" "$work/log" "$rebuilt_node" <<PY
import json, sys
turn = json.load(open(sys.argv[1]))
assert turn["context_rebuilt"] is True and turn["model"] == "gemini-3.1-flash-image", turn
log = {n["id"]: n for n in json.load(open(sys.argv[2]))}
assert log[sys.argv[3]].get("context_rebuilt") is True, log
assert [n for n in log.values() if n.get("context_rebuilt")] == [log[sys.argv[3]]], log
PY'

# A session saved while the preview id still worked: its turns name the preview model. The CLI
# refuses to make such turns now, so they are written as an older Peel wrote them.
run generate --demo --session preview --prompt "a lighthouse"
run generate --demo --session preview --prompt "at dusk"
preview_dir=$(dirname "$(grep -l '"name":"preview"' "$work"/data/peel/sessions/*/session.json)")
sed -i 's/"model":"gemini-3\.1-flash-image"/"model":"gemini-3.1-flash-image-preview"/' \
  "$preview_dir/session.json" "$preview_dir/journal.jsonl"
run generate --demo --session preview --prompt "with a boat" --json
"$cli" log --session preview --json >"$work/log" 2>>"$work/err"
check "a session made on the shut-down preview continues on its replacement, rebuilt" \
  '[ $status -eq 0 ] && [ $(grep -c gemini-3.1-flash-image-preview "$preview_dir/session.json") -eq 2 ] &&
   python3 - "$work/out" "$work/log" <<PY
import json, sys
turn = json.load(open(sys.argv[1]))
assert turn["model"] == "gemini-3.1-flash-image" and turn["context_rebuilt"] is True, turn
log = json.load(open(sys.argv[2]))
assert [n["prompt"] for n in log] == ["a lighthouse", "at dusk", "with a boat"], log
assert log[2]["id"] == turn["node"] and log[2]["parent"] == log[1]["id"], log
assert all(n["status"] == "done" for n in log), log
PY'
