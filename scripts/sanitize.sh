#!/usr/bin/env bash
# The core under AddressSanitizer + UndefinedBehaviorSanitizer (clang,
# build/sanitize, shared with fuzz.sh: scripts/sanitizer_build.sh):
# the Catch2 suite, then `sdp run` on every canonical scenario and every saved
# fuzz input (tests/fuzz/regressions/). A sanitizer report, a crash or a
# signal fails the script; `sdp run` refusing an invalid file (exit 1, a
# "sdp: ..." message) is the expected answer to many of the inputs.
#
#   bash scripts/sanitize.sh
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

# SDP_PREBUILT=1: test.sh built it already (and runs fuzz.sh beside this).
[[ -n ${SDP_PREBUILT:-} ]] || bash scripts/sanitizer_build.sh sdp_tests sdp || exit 1

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# ASan and UBSan exit 1 too, like a refused file: reports are told apart by text.
report='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer|AddressSanitizer:DEADLYSIGNAL'

failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "=== sdp_tests (ASan + UBSan)"
# Arguments go to Catch2: a tag or a test name runs only those.
build/sanitize/sdp_tests --use-colour no "$@" >"$log" 2>&1
tests_rc=$?
tail -n 3 "$log"
if ((tests_rc != 0)) || grep -qE "$report" "$log"; then
  grep -E -A 30 "$report" "$log" | head -n 60
  echo "sanitize: sdp_tests FAILED (exit $tests_rc)"
  tests_rc=1
  failed=1
fi

echo "=== sdp run on scenarios/ and tests/fuzz/regressions/"
ran=0 ok=0 refused=0 bad=0
while IFS= read -r -d '' file; do
  ran=$((ran + 1))
  # The fuzzer's small work budget: heavy inputs stop early instead of
  # running for minutes under the sanitizers.
  build/sanitize/sdp run --work-budget 2000000 "$file" >/dev/null 2>"$log"
  rc=$?
  if ((rc == 0)) && ! grep -qE "$report" "$log"; then
    ok=$((ok + 1))
  elif ((rc == 1)) && head -c 5 "$log" | grep -q '^sdp: ' && ! grep -qE "$report" "$log"; then
    refused=$((refused + 1))
  else
    bad=$((bad + 1))
    echo "FAILED: sdp run $file (exit $rc)"
    head -c 4000 "$log"
  fi
done < <(find scenarios -name '*.json' -print0; find tests/fuzz/regressions -type f ! -name '.*' -print0)

((bad == 0)) || failed=1
echo "sanitize: $ran files run ($ok ran, $refused refused as invalid, $bad with a crash or sanitizer report); sdp_tests $( ((tests_rc == 0)) && echo passed || echo FAILED); wall $(( $(date +%s) - start )) s"
exit $failed
