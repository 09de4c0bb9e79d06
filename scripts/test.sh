#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, runs every
# suite, and ends with a table of each suite's wall time and result, then one
# line "suites: N passed, N failed" (exit non-zero on any failure).
#
#   bash scripts/test.sh                  every suite
#   bash scripts/test.sh core             one suite (or several: core node)
#   bash scripts/test.sh core '[kafka]'   a Catch2 tag or test name: only those
#                                         (core, wasm and sanitize suites)
#
# Suites: core (Catch2 native), wasm (the same Catch2 as wasm under node),
# node (tests/js: the JS facade, determinism, the real-peer comparisons),
# browser (headless Chromium on dist/), sanitize (ASan + UBSan), fuzz
# (libFuzzer for FUZZ_SECONDS, default 60).
#
# Builds run one after another, each on every core; a suite starts in the
# background as soon as what it needs is built, so the single-threaded suites
# (Chromium, a test binary, the fuzzer) run between and beside the compiles.
# The site is built first (the browser suite is the longest), then the
# sanitizer build (its two suites are the longest after the browser's: run
# beside the later compiles, not after them), then native, then wasm (whose
# suite is short). Each suite's output is printed as it ends (build/test-logs/).
set -uo pipefail
cd "$(dirname "$0")/.."

all_suites=(core wasm node browser sanitize fuzz)
suites=()
catch_args=()
for arg in "$@"; do
  if [[ " ${all_suites[*]} " == *" $arg "* ]]; then suites+=("$arg"); else catch_args+=("$arg"); fi
done
((${#suites[@]})) || suites=("${all_suites[@]}")
wants() { [[ " ${suites[*]} " == *" $1 "* ]]; }

logs=build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
run_start=$(date +%s)

# step NAME CMD...: runs CMD with its output in $logs/NAME.log, records the
# result and wall time, prints the log when done. A step whose build failed
# is recorded as "not run".
step() {
  local name=$1
  shift
  local start=$(date +%s) rc
  echo "--- ${name}: started at +$((start - run_start)) s"
  "$@" >"$logs/$name.log" 2>&1
  rc=$?
  local secs=$(($(date +%s) - start))
  {
    echo "=== ${name} ($([[ $rc == 0 ]] && echo passed || echo FAILED), ${secs} s)"
    cat "$logs/$name.log"
  } >"$logs/$name.report"
  cat "$logs/$name.report"
  echo "$rc $secs" >"$logs/$name.result"
  return "$rc"
}
skipped() { echo "skipped 0" >"$logs/$1.result"; echo "=== $1: not run ($2)"; }

bash scripts/setup.sh || exit 1
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}

succeeded() { [[ -f "$logs/$1.result" && $(cut -d' ' -f1 "$logs/$1.result") == 0 ]]; }

if wants node || wants browser; then
  if step "build: site" bash scripts/build.sh site; then
    wants browser && step browser bash scripts/e2e.sh &
  else
    wants browser && skipped browser "site build failed"
  fi
fi
if wants sanitize || wants fuzz; then
  if step "build: sanitize" bash scripts/sanitizer_build.sh; then
    # Prebuilt: the two scripts only run what was just built.
    export SDP_PREBUILT=1
    wants sanitize && step sanitize bash scripts/sanitize.sh "${catch_args[@]}" &
  else
    wants sanitize && skipped sanitize "sanitizer build failed"
    wants fuzz && skipped fuzz "sanitizer build failed"
  fi
fi
if wants core || wants node; then
  if step "build: native" bash scripts/build.sh native; then
    {
      wants core && step core build/native/sdp_tests --use-colour no "${catch_args[@]}"
      # tests/js drive the native CLI and the wasm module of the site build.
      if wants node; then
        if succeeded "build: site"; then step node node --test tests/js/; else skipped node "site build failed"; fi
      fi
    } &
  else
    wants core && skipped core "native build failed"
    wants node && skipped node "native build failed"
  fi
fi
if wants wasm; then
  if step "build: wasm" bash scripts/build.sh wasm; then
    step wasm node build/wasm/sdp_tests.js --use-colour no "${catch_args[@]}" &
  else
    skipped wasm "wasm build failed"
  fi
fi
# The fuzzer runs for a fixed time: started after the last compile, so that
# its 60 s are not shared with one.
if wants fuzz && succeeded "build: sanitize"; then step fuzz bash scripts/fuzz.sh "$FUZZ_SECONDS" & fi
wait

passed=0
failed=0
echo
echo "| step | result | wall |"
echo "|---|---|---|"
for f in "$logs"/*.result; do
  name=$(basename "$f" .result)
  read -r rc secs <"$f"
  if [[ $rc == skipped ]]; then result="not run"; elif [[ $rc == 0 ]]; then result=passed; else result=FAILED; fi
  echo "| ${name} | ${result} | ${secs} s |"
  [[ $name == build:* ]] && continue
  if [[ $rc == 0 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "| total | | $(($(date +%s) - run_start)) s |"
echo "suites: ${passed} passed, ${failed} failed"
((failed == 0))
