#!/usr/bin/env bash
# One clang build of the core for both sanitizer suites (build/sanitize):
# ASan + UBSan everywhere, libFuzzer's coverage hooks in the core. The core
# is compiled once and linked three ways: sdp_tests and sdp for
# scripts/sanitize.sh, sdp_scenario_fuzzer for scripts/fuzz.sh (the coverage
# hooks are inert without the fuzzer runtime; the ASan runtime defines them).
# -gline-tables-only: sanitizer reports need file:line, not full debug info,
# which made every json-heavy file several times slower to compile.
#
#   bash scripts/sanitizer_build.sh [TARGET...]   default: all three
set -uo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
((${#targets[@]})) || targets=(sdp_tests sdp sdp_scenario_fuzzer)
dir=build/sanitize
mkdir -p "$dir"
if [[ ! -f $dir/CMakeCache.txt ]]; then
  launcher=()
  if command -v ccache >/dev/null && [[ -z ${SDP_NO_CCACHE:-} ]]; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only" \
    -DSDP_SANITIZE=ON -DSDP_FUZZ=ON "${launcher[@]}" >"$dir/configure.log" 2>&1 ||
    { cat "$dir/configure.log"; rm -f "$dir/CMakeCache.txt"; exit 1; }
fi
cmake --build "$dir" -j"$(nproc)" --target "${targets[@]}"
