#!/usr/bin/env bash
# The README's first command: install what is missing, build, serve dist/ at
# http://127.0.0.1:8000/ (PORT=... to change).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
port=${PORT:-8000}
echo "serving http://127.0.0.1:${port}/ (Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
