#!/usr/bin/env bash
# Every benchmark: native C++, the same C++ as wasm, our wasm called from JS,
# and the npm packages people use today (bench/README.md). Prints markdown
# tables; reports timings, judges none of them.
set -euo pipefail
cd "$(dirname "$0")/.."
# Incremental: rebuilds native + wasm (the bench binaries and the sdp module) if stale.
bash scripts/build.sh all
cmake --build build/wasm -j"$(nproc)" --target benches
node bench/compare_hashring.mjs
node bench/compare_breakers.mjs
node bench/compare_rate_limiters.mjs
build/native/sdp_lb_bench
node build/wasm/sdp_lb_bench.js
node bench/compare_kafka.mjs
node bench/compare_redis.mjs
build/native/sdp_session_bench
node build/wasm/sdp_session_bench.js
node bench/widget_log.mjs   # the widgets with long action logs, in Chromium (bench/widget_log.md)
node bench/click_frame.mjs  # click -> next frame for every widget's main actions, in Chromium (bench/click_frame.md)
build/native/sdp_scrub_bench   # the timeline: scrub and undo on checkpoints (bench/scrub.md)
node bench/scrub.mjs
build/native/sdp_gossip_bench   # push-pull on 100,000 nodes (bench/gossip.md)
node build/wasm/sdp_gossip_bench.js
node bench/realtime.mjs      # the realtime sim at 10,000 clients x 10 min, native and wasm (bench/realtime.md)
build/native/sdp_step_budget_bench   # the largest steps, and every op at its maxima (bench/step_budget.md)
node build/wasm/sdp_search_bench.js   # the search engine alone as wasm (bench/search.md)
node --expose-gc bench/search.mjs   # 100,000 docs + 10,000 queries: our wasm vs minisearch, lunr, flexsearch (bench/search.md)
