#!/bin/sh
# Checks that the guards of the data files guard: in a scratch copy of the tree, breaks the
# desktop file, the metainfo, the GSettings schema and po/POTFILES.in one at a time, and fails
# unless `meson test` fails each time (and passes on the intact copy). Never touches the tree
# it is run from. One configured build of the copy serves every case.
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

exit $status
