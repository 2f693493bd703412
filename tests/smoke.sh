#!/bin/sh
# Starts the real peel binary and waits for its window to be mapped on the X display.
set -eu
peel="$1"

if [ -z "${DISPLAY:-}" ]; then
  echo "no DISPLAY: run the suite under Xvfb (build-aux/run-tests does)"
  exit 1
fi

data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
XDG_DATA_HOME="$data/data" XDG_CONFIG_HOME="$data/config" XDG_CACHE_HOME="$data/cache" \
  G_DEBUG=fatal-criticals "$peel" --demo &
pid=$!

for _ in $(seq 1 100); do
  if xdotool search --all --onlyvisible --pid "$pid" --name '^Peel' >/dev/null 2>&1; then
    echo "peel's window is on screen"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" || code=$?
    echo "peel exited before showing a window (status ${code:-0})"
    exit 1
  fi
  sleep 0.2
done
echo "no peel window appeared within 20 s"
exit 1
