// The reference latencies, as data. Source: "Latency Comparison Numbers
// (~2012)", Jonas Bonér's gist https://gist.github.com/jboner/2841832, credited
// there to Jeff Dean and, originally, Peter Norvig (norvig.com/21-days.html).
// They are 2012-era figures: orders of magnitude, not today's hardware.
#include "sdp/estimator/estimate.h"

namespace sdp::estimator {

const std::vector<Latency>& LatencyNumbers() {
  static const std::vector<Latency> table = {
      {"l1_cache", "L1 cache reference", 500},
      {"branch_mispredict", "Branch mispredict", 5000},
      {"l2_cache", "L2 cache reference", 7000},
      {"mutex", "Mutex lock/unlock", 25000},
      {"main_memory", "Main memory reference", 100000},
      {"compress_1k", "Compress 1K bytes with Zippy", 3000000},
      {"send_1k", "Send 1K bytes over 1 Gbps network", 10000000},
      {"ssd_random_4k", "Read 4K randomly from SSD", 150000000},
      {"memory_1mb", "Read 1 MB sequentially from memory", 250000000},
      {"dc_round_trip", "Round trip within same datacenter", 500000000},
      {"ssd_1mb", "Read 1 MB sequentially from SSD", 1000000000},
      {"disk_seek", "Disk seek", 10000000000ULL},
      {"disk_1mb", "Read 1 MB sequentially from disk", 20000000000ULL},
      {"packet_ca_nl_ca", "Send packet CA->Netherlands->CA", 150000000000ULL},
  };
  return table;
}

}  // namespace sdp::estimator
