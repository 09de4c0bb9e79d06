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
SDP_BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 "${@:-tests/e2e/}"
