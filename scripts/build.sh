#!/usr/bin/env bash
# Builds incrementally; each part only when asked for (default: all).
#   bash scripts/build.sh site     the wasm module + dist/ (what serve.sh needs)
#   bash scripts/build.sh native   build/native: Catch2 tests, the sdp CLI, benchmarks
#   bash scripts/build.sh wasm     build/wasm: the module and the Catch2 suite as wasm
#   bash scripts/build.sh all      native, wasm, then dist/
# The wasm benchmarks are built by scripts/bench.sh only.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

# ccache, where installed, speeds up a second build on the same machine (the
# cache lives outside the repo); a clean clone builds the same without it.
launcher=()
if command -v ccache >/dev/null && [[ -z ${SDP_NO_CCACHE:-} ]]; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

configure_native() {
  [[ -f build/native/CMakeCache.txt ]] ||
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
}
configure_wasm() {
  # Debian ships emscripten's system libraries prebuilt (no cache to fill).
  [[ -f build/wasm/CMakeCache.txt ]] ||
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
}

build_native() { configure_native && cmake --build build/native -j"$jobs"; }
build_wasm() { configure_wasm && cmake --build build/wasm -j"$jobs"; }
build_site() {
  configure_wasm && cmake --build build/wasm -j"$jobs" --target sdp_wasm
  bash scripts/make_dist.sh
}

case ${1:-all} in
  site) build_site ;;
  native) build_native ;;
  wasm) build_wasm ;;
  all) build_native && build_wasm && bash scripts/make_dist.sh ;;
  *) echo "usage: bash scripts/build.sh [site|native|wasm|all]" >&2; exit 2 ;;
esac
