#!/usr/bin/env bash
# The README's first command: install what is missing, build, serve dist/ at
# http://127.0.0.1:8000/ (PORT=... to change). It builds only the site: the
# wasm module and dist/; tests and benchmarks are built by test.sh and bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh site
port=${PORT:-8000}
echo "serving http://127.0.0.1:${port}/ (Ctrl-C to stop)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
