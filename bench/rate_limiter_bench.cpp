// Rate limiter throughput, built twice from this one file like ring_bench.cpp:
// natively (build/native/sdp_rl_bench) and as wasm run by node
// (build/wasm/sdp_rl_bench.js). bench/compare_rate_limiters.mjs runs both and
// the npm limiters on the same trace; bench/README.md explains the numbers.
//
//   sdp_rl_bench                         decisions/s per algorithm, JSON line last
//   sdp_rl_bench --write-trace FILE      also write the trace (and our token
//                                        bucket's decisions) for the JS side
//   sdp_rl_bench accuracy                the sliding counter against the exact
//                                        log (docs/rate_limiter.md's table)
//
// The trace: 1,000,000 hits from 1000 keys ("user:0".."user:999"), each key a
// Poisson source at 10^u x 10 requests/s with u uniform in [-1, 1] (0.1x to
// 10x the limit of 10 per second), seed 42, merged by time. Every limiter is
// 10 per 1000 ms with its defaults (capacity 10, burst 9).
//
// Wall-clock time is fine here: nothing it prints feeds a simulation. Each
// workload runs 3 times with fresh limiters; the fastest run is kept.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sdp/rate_limiters.h"
#include "sdp/request_trace.h"

#include "bench_timing.h"

namespace {

using sdp_bench::BestOf;
using sdp_bench::kPlatform;

constexpr uint32_t kHits = 1000000;
constexpr uint32_t kKeys = 1000;
constexpr int kRuns = sdp_bench::kDefaultRuns;



std::vector<sdp::KeyedHit> Trace() {
  sdp::Rng rng(42);
  // Mean rate multiplier of 10^U(-1,1) is 9.9 / ln(100) = 2.15: ~21.5k hits/s
  // in all, so 60 s is comfortably more than 1M; keep the first 1M.
  std::vector<sdp::KeyedHit> hits = sdp::GeneratePopulation(kKeys, 10, -1, 1, 60000, rng);
  if (hits.size() > kHits) hits.resize(kHits);
  return hits;
}

struct Result {
  double per_s = 0;
  double per_s_string_keys = 0;
  uint64_t allowed = 0;
};

// One algorithm over the whole trace: limiters looked up by key index (the
// algorithm alone), then by key string through a std::map (what a server,
// and the npm packages, do per request).
Result Measure(sdp::Algorithm algorithm, const std::vector<sdp::KeyedHit>& hits,
               const std::vector<std::string>& key_names, std::vector<uint8_t>* bits) {
  sdp::LimiterSpec spec;
  spec.algorithm = algorithm;
  auto fresh = [&] {
    std::vector<std::unique_ptr<sdp::Limiter>> limiters;
    for (uint32_t k = 0; k < kKeys; ++k) limiters.push_back(sdp::MakeLimiter(spec));
    return limiters;
  };
  Result r;
  r.per_s = kHits / BestOf([&] {
              auto limiters = fresh();
              uint64_t allowed = 0;
              for (const sdp::KeyedHit& h : hits)
                allowed += limiters[h.key]->Hit(h.at_ms, 1).allowed ? 1 : 0;
              r.allowed = allowed;
            });
  uint64_t allowed_by_string = 0;
  r.per_s_string_keys = kHits / BestOf([&] {
                          std::map<std::string, std::unique_ptr<sdp::Limiter>> by_name;
                          uint64_t allowed = 0;
                          for (const sdp::KeyedHit& h : hits) {
                            std::unique_ptr<sdp::Limiter>& limiter = by_name[key_names[h.key]];
                            if (!limiter) limiter = sdp::MakeLimiter(spec);
                            allowed += limiter->Hit(h.at_ms, 1).allowed ? 1 : 0;
                          }
                          allowed_by_string = allowed;
                        });
  if (allowed_by_string != r.allowed)
    std::printf("  MISMATCH: string-keyed run allowed %" PRIu64 "\n", allowed_by_string);
  if (bits != nullptr) {
    auto limiters = fresh();
    for (const sdp::KeyedHit& h : hits)
      bits->push_back(limiters[h.key]->Hit(h.at_ms, 1).allowed ? 1 : 0);
  }
  return r;
}

#ifndef __EMSCRIPTEN__
// Little-endian uint32 pairs (at_ms, key), then one byte per hit: our token
// bucket's decision. compare_rate_limiters.mjs reads both.
bool WriteTrace(const char* path, const std::vector<sdp::KeyedHit>& hits,
                const std::vector<uint8_t>& token_bucket_bits) {
  std::FILE* f = std::fopen(path, "wb");
  if (f == nullptr) return false;
  for (const sdp::KeyedHit& h : hits) {
    const uint32_t words[2] = {static_cast<uint32_t>(h.at_ms), h.key};
    uint8_t bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<uint8_t>(words[i / 4] >> (8 * (i % 4)));
    std::fwrite(bytes, 1, 8, f);
  }
  std::fwrite(token_bucket_bits.data(), 1, token_bucket_bits.size(), f);
  return std::fclose(f) == 0;
}
#endif

// docs/rate_limiter.md's table: how often the sliding counter disagrees with
// the exact log, (a) Cloudflare's way (every request counted, the estimate's
// verdict vs the exact count's) and (b) as two limiters side by side.
void Accuracy() {
  const double limit_rps = 100.0 / 60.0;  // 100 per minute
  struct Row {
    const char* what;
    uint32_t keys;
    double lo, hi;
    int64_t duration_ms;
    uint64_t seed;
    bool steady;
    double load;
  };
  const Row rows[] = {
      {"1 source, Poisson, 0.5x the limit", 1, 0, 0, 0, 1, false, 0.5},
      {"1 source, Poisson, 0.9x", 1, 0, 0, 0, 1, false, 0.9},
      {"1 source, Poisson, 1.0x", 1, 0, 0, 0, 1, false, 1.0},
      {"1 source, Poisson, 1.2x", 1, 0, 0, 0, 1, false, 1.2},
      {"1 source, Poisson, 2.0x", 1, 0, 0, 0, 1, false, 2.0},
      {"1 source, evenly spaced, 0.99x", 1, 0, 0, 0, 1, true, 0.99},
      {"1 source, evenly spaced, 1.0x", 1, 0, 0, 0, 1, true, 1.0},
      {"1 source, evenly spaced, 1.01x", 1, 0, 0, 0, 1, true, 1.01},
      {"150 sources, 0.01x-100x, 10 min, seed 1", 150, -2, 2, 600000, 1, false, 0},
      {"150 sources, 0.01x-100x, 10 min, seed 2", 150, -2, 2, 600000, 2, false, 0},
      {"150 sources, 0.01x-100x, 10 min, seed 3", 150, -2, 2, 600000, 3, false, 0},
      {"150 sources, 0.01x-100x, 10 min, seed 2024", 150, -2, 2, 600000, 2024, false, 0},
      {"1000 sources, 0.01x-10x, 10 min, seed 1", 1000, -2, 1, 600000, 1, false, 0},
  };
  std::printf(
      "| trace | requests | estimate wrong (Cloudflare's measure) | side by side: decisions differ "
      "|\n");
  std::printf("|---|---:|---:|---:|\n");
  for (const Row& row : rows) {
    sdp::Rng rng(row.seed);
    std::vector<sdp::KeyedHit> hits;
    if (row.keys == 1) {
      sdp::TrafficSpec spec;
      spec.pattern = row.steady ? sdp::TrafficPattern::kSteady : sdp::TrafficPattern::kPoisson;
      spec.rps = row.load * limit_rps;
      spec.duration_ms = static_cast<int64_t>(1000000 / spec.rps * 1000);  // ~1M requests
      std::vector<int64_t> times;
      sdp::GenerateTraffic(spec, rng, UINT64_MAX, &times);
      for (int64_t t : times) hits.push_back({t, 0});
    } else {
      hits = sdp::GeneratePopulation(row.keys, limit_rps, row.lo, row.hi, row.duration_ms, rng);
    }
    std::vector<sdp::SlidingLog> exact(row.keys, sdp::SlidingLog({100, 60000}));
    std::vector<sdp::SlidingCounter> approx(row.keys, sdp::SlidingCounter({100, 60000}));
    std::vector<sdp::SlidingCounterAudit> audit(row.keys, sdp::SlidingCounterAudit(100, 60000));
    uint64_t differ = 0, wrongly_allowed = 0, wrongly_limited = 0;
    for (const sdp::KeyedHit& h : hits) {
      differ +=
          exact[h.key].Hit(h.at_ms, 1).allowed != approx[h.key].Hit(h.at_ms, 1).allowed ? 1 : 0;
      audit[h.key].Add(h.at_ms, 1);
    }
    for (const auto& a : audit) {
      wrongly_allowed += a.wrongly_allowed();
      wrongly_limited += a.wrongly_limited();
    }
    const double n = static_cast<double>(hits.size());
    std::printf("| %s | %zu | %.4f%% (%" PRIu64 " allowed, %" PRIu64 " limited) | %.3f%% |\n",
                row.what, hits.size(),
                100.0 * static_cast<double>(wrongly_allowed + wrongly_limited) / n, wrongly_allowed,
                wrongly_limited, 100.0 * static_cast<double>(differ) / n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "accuracy") == 0) {
    Accuracy();
    return 0;
  }
  const char* trace_path = nullptr;
  if (argc == 3 && std::strcmp(argv[1], "--write-trace") == 0) trace_path = argv[2];
  const std::vector<sdp::KeyedHit> hits = Trace();
  std::vector<std::string> key_names;
  for (uint32_t k = 0; k < kKeys; ++k) key_names.push_back("user:" + std::to_string(k));

  std::printf("sdp_rl_bench (%s), best of %d, %zu hits, %u keys, trace span %" PRId64 " ms\n",
              kPlatform, kRuns, hits.size(), kKeys, hits.back().at_ms);
  std::string json = std::string("{\"platform\":\"") + kPlatform +
                     "\",\"hits\":" + std::to_string(hits.size()) + ",\"algorithms\":{";
  std::vector<uint8_t> token_bucket_bits;
  for (uint32_t a = 0; a < sdp::kAlgorithmCount; ++a) {
    const auto algorithm = static_cast<sdp::Algorithm>(a);
    const Result r =
        Measure(algorithm, hits, key_names,
                algorithm == sdp::Algorithm::kTokenBucket ? &token_bucket_bits : nullptr);
    std::printf("  %-16s %12.0f decisions/s  %12.0f with string keys  allowed %" PRIu64 "\n",
                sdp::AlgorithmName(algorithm), r.per_s, r.per_s_string_keys, r.allowed);
    char entry[256];
    std::snprintf(entry, sizeof entry,
                  "%s\"%s\":{\"per_s\":%.0f,\"per_s_string_keys\":%.0f,\"allowed\":%" PRIu64 "}",
                  a == 0 ? "" : ",", sdp::AlgorithmName(algorithm), r.per_s, r.per_s_string_keys,
                  r.allowed);
    json += entry;
  }
  json += "}}";
#ifndef __EMSCRIPTEN__
  if (trace_path != nullptr && !WriteTrace(trace_path, hits, token_bucket_bits)) {
    std::fprintf(stderr, "sdp_rl_bench: cannot write %s\n", trace_path);
    return 1;
  }
#else
  (void)trace_path;
#endif
  std::printf("JSON %s\n", json.c_str());
  return 0;
}
