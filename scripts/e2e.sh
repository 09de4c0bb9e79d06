#!/usr/bin/env bash
# Serves dist/ on a free loopback port, runs the browser tests against it with
# Debian's Chromium, and always stops the server it started. Arguments: test
# files to run instead of all of tests/e2e/ (bash scripts/e2e.sh tests/e2e/kafka.test.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done
mkdir -p build/screenshots
# One Chromium for every test file (tests/e2e/browser-server.mjs): it prints
# its endpoint, and stops when its stdin (this script's pipe) closes.
coproc BROWSER { exec node tests/e2e/browser-server.mjs; }
browser_in=${BROWSER[1]}
trap 'kill "$server" 2>/dev/null; exec {browser_in}>&-; wait "$BROWSER_PID" 2>/dev/null' EXIT
if ! read -r -t 60 endpoint <&"${BROWSER[0]}" || [[ $endpoint != ws://* ]]; then
  echo "e2e: the shared Chromium did not start" >&2
  exit 1
fi
SDP_BROWSER_WS=$endpoint SDP_BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 "${@:-tests/e2e/}"
rc=$?
exit "$rc"
