#!/bin/sh
# Checks that the guards guard: in a scratch copy of the tree, breaks the desktop file, the
# metainfo, the GSettings schema and po/POTFILES.in one at a time, then plants each kind of
# layer violation tests/check-layers.py looks for, and fails unless `meson test` fails each
# time, saying why (and passes on the intact copy). Never touches the tree it is run from. One
# configured build of the copy serves every case.
# Usage: tests/check-ci-guards.sh [SRCDIR]   (default: the tree holding this script)
set -eu
top=$(cd "${1:-$(dirname "$0")/..}" && pwd)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/peel-guards.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
copy="$scratch/src"
build="$scratch/build"
mkdir -p "$copy"

# The tree as git sees it (tracked plus untracked, not ignored), without build folders.
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$top" ls-files -z --cached --others --exclude-standard |
    (cd "$top" && xargs -0 tar --ignore-failed-read -cf - 2>/dev/null) | tar -C "$copy" -xf -
else
  (cd "$top" && tar --exclude='./_build*' --exclude=./build -cf - .) | tar -C "$copy" -xf -
fi

app_id=io.github.peelapp.Peel
desktop="data/$app_id.desktop.in.in"
metainfo="data/$app_id.metainfo.xml.in.in"
schema="data/$app_id.gschema.xml.in"
potfiles=po/POTFILES.in

meson setup "$build" "$copy" >"$scratch/setup.log" 2>&1 || {
  cat "$scratch/setup.log"
  echo "check-ci-guards: meson setup of the scratch copy failed" >&2
  exit 1
}

# What `meson test` does for these tests, without compiling the whole program first (which
# they do not need): rebuild the data files, then run the test. A file that no longer builds
# fails here, as it fails `meson test`.
run_test() {
  {
    ninja -C "$build" "data/$app_id.desktop" "data/$app_id.metainfo.xml" \
      data/gschemas.compiled &&
    meson test -C "$build" --no-rebuild --print-errorlogs "$1"
  } >"$scratch/last.log" 2>&1
}

status=0

# guard NAME TEST FILE SED-SCRIPT
guard() {
  name=$1 test=$2 file=$3 script=$4
  cp "$copy/$file" "$scratch/saved"
  sed -i "$script" "$copy/$file"
  if cmp -s "$copy/$file" "$scratch/saved"; then
    echo "FAIL  $name: the breaking edit changed nothing in $file (the guard check is stale)"
    status=1
  elif run_test "$test"; then
    echo "FAIL  $name: meson test $test still passes with a broken $file"
    status=1
  else
    echo "ok    $name: meson test $test fails"
  fi
  cp "$scratch/saved" "$copy/$file"
}

# The guards must pass on the intact copy, or their failing proves nothing.
for t in validate-desktop validate-metainfo validate-schema potfiles; do
  if ! run_test "$t"; then
    cat "$scratch/last.log"
    echo "FAIL  intact tree: meson test $t already fails, so its guard cannot be checked"
    status=1
  fi
done
[ $status -eq 0 ] || exit $status

guard "desktop file without Type" validate-desktop "$desktop" '/^Type=/d'
guard "metainfo without summary" validate-metainfo "$metainfo" '/<summary>/d'
guard "schema key with a default of the wrong type" validate-schema "$schema" \
  's|^\(  *<schema id=.*\)$|\1\n    <key name="broken" type="b"><default>"yes"</default></key>|'

# A listed source with translatable strings, dropped from POTFILES.in.
victim=""
for f in $(grep -v '^#' "$copy/$potfiles" | grep -E '^src/.*\.c$'); do
  if grep -qE '(^|[^A-Za-z0-9_])(_|N_|C_)[[:space:]]*\(' "$copy/$f"; then
    victim=$f
    break
  fi
done
if [ -z "$victim" ]; then
  echo "FAIL  POTFILES.in lists no source with translatable strings to drop"
  status=1
else
  guard "POTFILES.in without $victim" potfiles "$potfiles" "\\|^$victim\$|d"
fi

# The layer check reads the objects of every library and program in src/: compile them (only
# them: no tests, no linking), regenerating the build first when a meson.build changed. Relative
# to the scratch folder, ccache finds them again on the next run.
CCACHE_BASEDIR=$scratch
export CCACHE_BASEDIR
build_objects() {
  {
    ninja -C "$build" build.ninja &&
    ninja -C "$build" $(python3 "$copy/tests/check-layers.py" --list-objects "$copy" "$build")
  } >"$scratch/objects.log" 2>&1
}

# run_check TEST: runs a check of the structure suite on the objects built so far.
run_check() {
  meson test -C "$build" --no-rebuild --print-errorlogs "$1" >"$scratch/last.log" 2>&1
}

# A case saves the files it changes and puts them back after (with a new time, so they rebuild).
edited=""
save() {
  for f; do
    mkdir -p "$scratch/kept/$(dirname "$f")"
    cp "$copy/$f" "$scratch/kept/$f"
    edited="$edited $f"
  done
}
restore() {
  for f in $edited; do
    cp "$scratch/kept/$f" "$copy/$f"
  done
  edited=""
  rm -rf "$copy/src/planted"
}
# append FILE: adds standard input to the end of FILE.
append() {
  save "$1"
  cat >>"$copy/$1"
}
# insert FILE PATTERN LINE: adds LINE after the first line that PATTERN (an ERE) matches.
insert() {
  save "$1"
  awk -v pattern="$2" -v line="$3" \
    '{ print } !done && $0 ~ pattern { print line; done = 1 }' \
    "$scratch/kept/$1" >"$copy/$1"
  if cmp -s "$copy/$1" "$scratch/kept/$1"; then
    echo "FAIL  no line of $1 matches $2 (the guard check is stale)"
    status=1
  fi
}

# planted TEST NAME rebuild|- EXPECTED-TEXT...: with the violation planted, TEST must fail and
# print each EXPECTED-TEXT. Cases that plant calls rebuild the objects first; they come last,
# each rebuilding what the one before restored.
planted() {
  test=$1 name=$2 rebuild=$3
  shift 3
  if [ "$rebuild" = rebuild ] && ! build_objects; then
    cat "$scratch/objects.log"
    echo "FAIL  $name: the planted code does not build (the guard check is stale)"
    status=1
  elif run_check "$test"; then
    echo "FAIL  $name: meson test $test still passes"
    status=1
  else
    said=yes
    for expect; do
      if ! grep -qF -- "$expect" "$scratch/last.log"; then
        cat "$scratch/last.log"
        echo "FAIL  $name: meson test $test fails, but does not say: $expect"
        status=1 said=no
      fi
    done
    if [ $said = yes ]; then
      echo "ok    $name: meson test $test fails:"
      for expect; do
        grep -F -- "$expect" "$scratch/last.log" | head -n 1 | cut -c1-150 | sed 's/^/        /'
      done
    fi
  fi
  restore
}

if ! build_objects; then
  cat "$scratch/objects.log"
  echo "FAIL  intact tree: the libraries do not build"
  exit 1
fi
for t in layers doc-paths; do
  if ! run_check $t; then
    cat "$scratch/last.log"
    echo "FAIL  intact tree: meson test $t already fails, so its guards cannot be checked"
    exit 1
  fi
done

insert src/session/peel-session.c '^#include "' '#include "peel-gemini-client.h"'
planted layers "the session includes the protocol" - \
  "session → gemini is not an arrow (peel-gemini-client.h is in src/gemini)"

insert src/engine/peel-export.c '^#include <' '#include <gtk/gtk.h>'
planted layers "the engine includes GTK" - \
  "src/engine/peel-export.c:" "engine → gtk is not an arrow"

insert src/engine/peel-generation.c '^#include "' '#include "peel-gemini-client-private.h"'
planted layers "the engine includes the client's private header" - \
  "peel-gemini-client-private.h is private to src/gemini"

insert tests/meson.build "^  'canvas': [[]" \
  "  'planted': ['test-canvas.c', '../src/gui/canvas/peel-canvas-math.c'],"
planted layers "a test compiles a GUI source" - "a test compiles ../src/gui/canvas/peel-canvas-math.c"

insert tests/check-layers.py '^ALLOWED = [[]' \
  '    ("includes", "src/base/peel-text.c", "peel-session.h", "seam", "planted"),'
planted layers "an allowed violation that no longer occurs" - \
  "allowed includes src/base/peel-text.c peel-session.h no longer occurs"

insert docs/architecture.md '^## Where each behaviour lives' \
  'The canvas is drawn in `src/gui/peel-canvas-paint.c`.'
planted doc-paths "a doc naming a file that is not there" - \
  "docs/architecture.md:" "names src/gui/peel-canvas-paint.c, which is not in the tree"

# (The folder's name is split here so that this script does not cite it itself.)
insert src/base/peel-text.c '^ [*] SPDX' ' * See ../sh''ared/reference/hostile-inputs.md.'
planted doc-paths "a comment citing the notes outside the repository" - \
  "src/base/peel-text.c:" "cites ../sh""ared/, which is not part of this repository"

# base calls into the protocol and the protocol calls back: a call against the arrows, and a
# circle across two folders.
append src/base/peel-text.c <<'EOF'

void peel_provider_planted (int n);
void peel_text_planted (int n);

void
peel_text_planted (int n)
{
  if (n > 0)
    peel_provider_planted (n - 1);
}
EOF
append src/gemini/peel-provider.c <<'EOF'

void peel_provider_planted (int n);
void peel_text_planted (int n);

void
peel_provider_planted (int n)
{
  if (n > 0)
    peel_text_planted (n - 1);
}
EOF
planted layers "base and the protocol call each other" rebuild \
  "calls peel_provider_planted, base → gemini is not an arrow" \
  "crosses folders: src/base/peel-text.c, src/gemini/peel-provider.c"

# A new folder of three pairs of files that call each other: three circles in one folder.
mkdir -p "$copy/src/planted"
for pair in a b c; do
  for side in 1 2; do
    other=$((3 - side))
    cat >"$copy/src/planted/$pair$side.c" <<EOF
void planted_$pair$side (int n);
void planted_$pair$other (int n);

void
planted_$pair$side (int n)
{
  if (n > 0)
    planted_$pair$other (n - 1);
}
EOF
  done
done
echo "static_library('peel-planted', 'a1.c', 'a2.c', 'b1.c', 'b2.c', 'c1.c', 'c2.c')" \
  >"$copy/src/planted/meson.build"
save src/meson.build
echo "subdir('planted')" >>"$copy/src/meson.build"
planted layers "three circles in one folder" rebuild "src/planted: 3 circles inside one folder"

exit $status
