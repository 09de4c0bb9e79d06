#!/usr/bin/env bash
# Benchmarks the consistent-hash ring: native C++, the same C++ as wasm, our
# wasm Ring called from JS, and the npm hashring package (bench/README.md).
# Prints a markdown table; reports timings, judges none of them.
set -euo pipefail
cd "$(dirname "$0")/.."
# Incremental: rebuilds native + wasm (sdp_bench and the sdp module) if stale.
bash scripts/build.sh
node bench/compare_hashring.mjs
