#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, then runs
# every suite: Catch2 natively and as wasm under node, the JS facade and
# determinism tests (node --test), the browser tests (headless Chromium), the
# core under ASan + UBSan, and a bounded fuzzing run (FUZZ_SECONDS, default 60).
# Ends with one line "suites: N passed, N failed"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
bash scripts/build.sh || exit 1

passed=0
failed=0
suite() {
  local name=$1
  shift
  echo "=== ${name}"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "=== ${name}: FAILED"
  fi
}

suite "core (native)" ctest --test-dir build/native --output-on-failure -V
suite "core (wasm under node)" ctest --test-dir build/wasm --output-on-failure -V
suite "js facade + determinism" node --test tests/js/
suite "browser (chromium)" bash scripts/e2e.sh
suite "sanitizers (ASan + UBSan)" bash scripts/sanitize.sh
suite "fuzzing (${FUZZ_SECONDS:-60} s)" bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"

echo "suites: ${passed} passed, ${failed} failed"
((failed == 0))
