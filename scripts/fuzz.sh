#!/usr/bin/env bash
# Fuzzes the scenario runner: libFuzzer + ASan + UBSan on fuzz/scenario_fuzzer.cpp
# (what it checks: fuzz/scenario_check.h), seeded from scenarios/ and the
# regressions up to -max_len, copied into a temporary corpus.
#
#   bash scripts/fuzz.sh [SECONDS]     default 60
#   bash scripts/fuzz.sh 3600          a longer run, e.g. before a release
#
# Crash, timeout and out-of-memory inputs land in build/fuzz/crashes/. Exits
# non-zero if this run produced one; then: fix the bug, copy the input to
# tests/fuzz/regressions/NAME, say in tests/fuzz/README.md what it was.
# Replay one input: build/sanitize/sdp_scenario_fuzzer build/fuzz/crashes/crash-...
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: bash scripts/fuzz.sh [SECONDS]" >&2
  exit 2
fi
start=$(date +%s)

# SDP_PREBUILT=1: test.sh built it already (build/sanitize, shared with sanitize.sh).
[[ -n ${SDP_PREBUILT:-} ]] || bash scripts/sanitizer_build.sh sdp_scenario_fuzzer || exit 1

crashes=build/fuzz/crashes
mkdir -p "$crashes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
i=0
while IFS= read -r -d '' file; do
  i=$((i + 1))
  cp "$file" "$work/corpus/seed-$i-$(basename "$file")"
done < <(find scenarios tests/fuzz/regressions -type f ! -name '.*' -size -16385c -print0 | sort -z)
touch "$work/started"

# Leaks are crashes too (detect_leaks=1); -timeout is per input, in seconds.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
build/sanitize/sdp_scenario_fuzzer "$work/corpus" \
  -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=16384 \
  -entropic_scale_per_exec_time=1 -print_final_stats=1 -artifact_prefix="$crashes/" \
  >"$work/log" 2>&1
rc=$?

execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' | tail -1)
# crash-, leak-, timeout- and oom- artifacts fail the run; slow-unit- ones
# (an input slower than 10 s under sanitizers) are reported, not failures.
new=$(find "$crashes" -type f -newer "$work/started" ! -name 'slow-unit-*' | sort)
slow=$(find "$crashes" -type f -newer "$work/started" -name 'slow-unit-*' | sort)
if ((rc != 0)) || [[ -n "$new" ]]; then
  tail -n 80 "$work/log" >&2
else
  grep -E '^#[0-9]+ +(INITED|DONE)|^stat::' "$work/log"
fi
count=$(printf '%s' "$new" | grep -c . || true)
slow_count=$(printf '%s' "$slow" | grep -c . || true)
[[ -n "$new" ]] && printf 'artifact: %s\n' $new
[[ -n "$slow" ]] && printf 'slow input (reported, not a failure): %s\n' $slow
echo "fuzz: ${execs:-?} executions in ${seconds} s, ${count} crashes, ${slow_count} slow inputs (libFuzzer exit ${rc}), wall $(( $(date +%s) - start )) s"
((rc == 0 && count == 0))
