// The declaration of `estimator`: its one op, and the fields of the
// worksheet's `inputs` object with their ranges and defaults.
#include "sdp/estimator_sim.h"

namespace sdp {

const std::vector<FieldSpec>& EstimatorInputFields() {
  // The ranges keep every intermediate product within 128 bits; a result
  // beyond 2^64 - 1 of its unit is still refused, naming the inputs.
  static const std::vector<FieldSpec> fields = {
      IntField("dau", false, 0, 10000000000, "daily active users (default 100,000,000)"),
      IntField("requests_per_user_per_day", false, 0, 1000000,
               "requests one user makes per day, reads and writes together (default 10)"),
      StringField("read_write_ratio", false, 1, 11,
                  "reads to writes as \"r:w\", whole numbers 0-10000, not both 0 (default \"10:1\")"),
      NumberField("peak_factor", false, 1, 1000, "peak QPS / average QPS, read to 3 decimals (default 2)"),
      IntField("object_bytes", false, 1, 1000000000000,
               "bytes one write stores and one read returns (default 1000 = 1 KB)"),
      IntField("retention_days", false, 1, 36500, "days the data is kept (default 1825 = 5 years)"),
      IntField("replication", false, 1, 10, "copies of every stored byte (default 3)"),
      NumberField("cache_share", false, 0, 1,
                  "share of a day's read volume kept in cache, read to 6 decimals (default 0.2: the 80/20 rule)"),
      IntField("per_server_qps", false, 1, 1000000000, "requests per second one server sustains (default 1000)"),
      IntField("per_shard_bytes", false, 1, 1000000000000000000,
               "primary data one shard holds, in bytes (default 10^12 = 1 TB)"),
      IntField("p99_ms", false, 1, 3600000, "the p99 latency budget in milliseconds (default 200)"),
  };
  return fields;
}

SimInfo EstimatorSimInfo() {
  SimInfo info;
  info.name = "estimator";
  info.help = "Back-of-the-envelope estimates: QPS (average, peak, reads and writes), storage with replication, "
              "bandwidth, cache memory, servers and shards, each with its formula; the ~2012 latency numbers "
              "against a p99 budget. Decimal units (1 KB = 1000 B)";
  info.config = {};
  std::string list;
  for (const FieldSpec& f : EstimatorInputFields()) {
    list += (list.empty() ? "" : "; ") + f.name + ": " + f.Describe();
  }
  info.ops = {
      {"estimate", "derive every number from the worksheet's inputs; omitted inputs take their defaults",
       {JsonField("inputs", false, 2048, "an object with any of (defaults: docs/estimator.md) " + list)}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    (void)config;
    return std::unique_ptr<Simulation>(std::make_unique<EstimatorSim>(seed));
  };
  return info;
}

}  // namespace sdp
