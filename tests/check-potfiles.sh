#!/bin/sh
# Fails when a file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist.
set -eu
top="$1"
cd "$top"

status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort -u)

for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done

candidates=$( (git ls-files 'src/*.c' 'src/**/*.c' 'ui/*.ui' 'ui/**/*.ui' 2>/dev/null ||
               find src ui -name '*.c' -o -name '*.ui') | sort -u)
for f in $candidates; do
  [ -f "$f" ] || continue
  if grep -qE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(|translatable="yes"' "$f"; then
    if ! printf '%s\n' "$listed" | grep -qx "$f"; then
      echo "$f has translatable strings but is missing from po/POTFILES.in"
      status=1
    fi
  fi
done

[ $status -eq 0 ] && echo "po/POTFILES.in lists every file with translatable strings"
exit $status
