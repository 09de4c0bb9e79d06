#!/usr/bin/env bash
# Builds everything incrementally: native (tests, sdp CLI, bench) in
# build/native, wasm in build/wasm, and the deployable static site in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

if [[ ! -f build/native/CMakeCache.txt ]]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build/native -j"$jobs"

if [[ ! -f build/wasm/CMakeCache.txt ]]; then
  # EM_FROZEN_CACHE: Debian ships emscripten's system libraries prebuilt.
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build/wasm -j"$jobs"

bash scripts/make_dist.sh
