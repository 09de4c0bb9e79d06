// Back-of-the-envelope estimates: from a worksheet of inputs (daily active
// users, requests per user, read:write ratio, ...) to every derived number a
// capacity sketch needs, each with its unit and its formula as text.
//
// Exact arithmetic: every derived number is a fraction of unsigned 128-bit
// integers, formed with checked multiplication (any overflow is refused, never
// wrapped), and rounded once at the end: half up to 3 decimals below 10^12,
// half up to a whole unit from there (a double holds neither exactly beyond
// 2^53). Counts of machines round up (ceil). No floating-point function is
// used, so native and wasm agree to the bit.
//
// Units are decimal (SI): 1 KB = 1,000 B, 1 MB = 10^6 B, ... and K, M, G for
// counts; a day is 86,400 s and a year 365 days. Fractional inputs
// (peak_factor, cache_share) are read to 3 and 6 decimals respectively.
//
// Leaves out: metadata and index overhead, compression, growth over time,
// bits vs bytes on the wire (bandwidth is in bytes per second).
#ifndef SDP_ESTIMATOR_ESTIMATE_H_
#define SDP_ESTIMATOR_ESTIMATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/status.h"

namespace sdp::estimator {

using u128 = unsigned __int128;

struct Inputs {
  uint64_t dau = 100000000;                   // daily active users
  uint64_t requests_per_user_per_day = 10;    // every request, reads and writes
  uint64_t read_parts = 10;                   // read_write_ratio "10:1": reads
  uint64_t write_parts = 1;                   //                          writes
  uint64_t peak_factor_milli = 2000;          // peak / average, in thousandths
  uint64_t object_bytes = 1000;               // bytes a write stores and a read returns
  uint64_t retention_days = 1825;             // five years of 365 days
  uint64_t replication = 3;                   // copies of every stored byte
  uint64_t cache_share_ppm = 200000;          // 0.2 of a day's read volume (80/20)
  uint64_t per_server_qps = 1000;             // what one server sustains (an assumption)
  uint64_t per_shard_bytes = 1000000000000;   // 1 TB of primary data per shard
  uint64_t p99_ms = 200;                      // the latency budget
};

// One derived number: an exact fraction, how it is rounded, what it means.
// How a value becomes whole: counts of machines round up, "how many fit"
// rounds down, everything else to the nearest (half up).
enum class Round { kNearest, kUp, kDown };

struct Output {
  std::string key;      // snake_case, e.g. "avg_qps"
  std::string label;    // "Average QPS"
  std::string group;    // "Traffic", "Storage", ...
  std::string unit;     // "req/s", "B", "B/s", "servers"
  std::string formula;  // "dau × requests_per_user_per_day / 86,400 s"
  u128 num = 0;
  u128 den = 1;
  Round round = Round::kNearest;
};

struct Estimates {
  std::vector<Output> outputs;  // in worksheet order
};

// Every output, or an error naming the inputs that made a number too large
// to count (more than 2^64 - 1 of its unit).
Result<Estimates> Estimate(const Inputs& in);

// The output's value as JSON: a number rounded half up to 3 decimals below
// 10^12, else an unsigned integer; kUp / kDown outputs always whole.
nlohmann::json ValueJson(const Output& out);
// "11.6 K req/s", "5.48 TB": 3 significant digits, decimal prefixes.
std::string ValueText(const Output& out);
// "100,000,000": an integer with thousands separators.
std::string Grouped(u128 n);

// "Latency numbers every programmer should know" (~2012): Jeff Dean's
// figures, after Peter Norvig, as collected in Jonas Bonér's gist.
struct Latency {
  const char* key;
  const char* label;
  uint64_t ps;  // picoseconds, so that 0.5 ns is an integer
};
const std::vector<Latency>& LatencyNumbers();

}  // namespace sdp::estimator

#endif  // SDP_ESTIMATOR_ESTIMATE_H_
