// The `estimator` sim: hand-checked back-of-the-envelope numbers, the units
// and their rounding, the latency table against a p99 budget, and refusals
// that name the input and change nothing.
#include <catch2/catch.hpp>

#include <string>

#include "sdp/estimator/estimate.h"
#include "sdp/estimator_sim.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace estimator_test {

namespace {

using sdp::Json;
using sdp::estimator::Output;
using sdp::estimator::Round;

std::unique_ptr<sdp::Simulation> Make() { return sim_test::Make("estimator", 1, Json::object()); }
Json Estimate(sdp::Simulation& sim, const Json& inputs) {
  return sim_test::Step("estimator", sim, {{"op", "estimate"}, {"inputs", inputs}});
}
std::string Refused(sdp::Simulation& sim, const Json& inputs) {
  return sim_test::Refused("estimator", sim, {{"op", "estimate"}, {"inputs", inputs}});
}

// A value as ValueText shows it: num / den of `unit`.
std::string Text(sdp::estimator::u128 num, sdp::estimator::u128 den, const std::string& unit,
                 Round round = Round::kNearest) {
  Output o;
  o.unit = unit;
  o.num = num;
  o.den = den;
  o.round = round;
  return sdp::estimator::ValueText(o);
}

// A worked case whose every number was checked by hand (docs/estimator.md).
const Json kHandChecked = {{"dau", 1000000},       {"requests_per_user_per_day", 100}, {"read_write_ratio", "4:1"},
                           {"peak_factor", 3},     {"object_bytes", 500},              {"retention_days", 365},
                           {"replication", 3},     {"cache_share", 0.2},               {"per_server_qps", 500},
                           {"per_shard_bytes", 10000000000LL}, {"p99_ms", 250}};

}  // namespace

TEST_CASE("estimator: 100M DAU x 10 requests a day is about 11,574 QPS on average", "[estimator]") {
  auto sim = Make();
  const Json r = Estimate(*sim, {{"dau", 100000000}, {"requests_per_user_per_day", 10}});
  CHECK(r["values"]["requests_per_day"] == 1000000000);
  CHECK(r["values"]["avg_qps"] == 11574.074);  // 10^9 / 86,400 = 11,574.0740...
  CHECK(r["text"]["avg_qps"] == "11.6 K req/s");
  // The default ratio 10:1 splits it 10/11 and 1/11; the default peak is 2x.
  CHECK(r["values"]["avg_read_qps"] == 10521.886);
  CHECK(r["values"]["avg_write_qps"] == 1052.189);
  CHECK(r["values"]["peak_qps"] == 23148.148);
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["outputs"]["avg_qps"]["formula"] == "dau × requests_per_user_per_day / 86,400 s");
  CHECK(snap["outputs"]["avg_qps"]["unit"] == "req/s");
}

TEST_CASE("estimator: a hand-checked worksheet, every output", "[estimator]") {
  auto sim = Make();
  const Json v = Estimate(*sim, kHandChecked)["values"];
  CHECK(v["requests_per_day"] == 100000000);
  CHECK(v["avg_qps"] == 1157.407);        // 10^8 / 86,400
  CHECK(v["avg_read_qps"] == 925.926);    // x 4/5
  CHECK(v["avg_write_qps"] == 231.481);   // x 1/5
  CHECK(v["peak_qps"] == 3472.222);       // x 3
  CHECK(v["peak_read_qps"] == 2777.778);
  CHECK(v["peak_write_qps"] == 694.444);
  CHECK(v["writes_per_day"] == 20000000);
  CHECK(v["storage_per_day"] == 30000000000.0);            // 2*10^7 x 500 B x 3
  CHECK(v["storage_per_year"] == uint64_t{10950000000000});  // x 365 (10^12 and up: whole bytes)
  CHECK(v["storage_total"] == uint64_t{10950000000000});     // x 365 retention days
  CHECK(v["ingress"] == 115740.741);                        // 231.48... x 500 B
  CHECK(v["egress"] == 462962.963);
  CHECK(v["cache_memory"] == 8000000000.0);                 // 0.2 x 8*10^7 reads x 500 B
  CHECK(v["servers"] == 7);                                 // ceil(3,472.2 / 500)
  CHECK(v["shards"] == 365);                                // 2*10^7 x 500 x 365 / 10^10
  CHECK(v["storage_nodes"] == 1095);                        // x 3
  CHECK(v["disk_seeks_in_p99"] == 25);                      // 250 ms / 10 ms
  CHECK(v["dc_round_trips_in_p99"] == 500);                 // 250 ms / 0.5 ms
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["outputs"]["storage_per_year"]["text"] == "11.0 TB/year");  // 10.95 rounds half up
  CHECK(snap["outputs"]["storage_per_day"]["text"] == "30.0 GB/day");
  CHECK(snap["outputs"]["servers"]["text"] == "7 servers");
  CHECK(snap["defaulted"].empty());
}

TEST_CASE("estimator: replication and retention multiply storage; omitted inputs take the defaults", "[estimator]") {
  auto sim = Make();
  Json one = kHandChecked;
  one["replication"] = 1;
  one["retention_days"] = 1;
  const Json a = Estimate(*sim, one)["values"];
  Json more = one;
  more["replication"] = 5;
  more["retention_days"] = 3650;
  const Json b = Estimate(*sim, more)["values"];
  CHECK(a["storage_total"] == 10000000000.0);  // one day, one copy: 2*10^7 x 500 B
  CHECK(b["storage_total"].get<uint64_t>() == 10000000000ULL * 5 * 3650);
  CHECK(b["shards"] == a["shards"].get<uint64_t>() * 3650);  // shards count primary data only

  const Json d = Estimate(*sim, Json::object())["values"];
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["defaulted"].size() == sdp::EstimatorInputFields().size());
  CHECK(snap["inputs"]["read_write_ratio"] == "10:1");
  CHECK(snap["inputs"]["cache_share"] == 0.2);
  CHECK(d["avg_qps"] == 11574.074);  // the defaults are the example
}

TEST_CASE("estimator: decimal units, three significant digits, rounding at the edges", "[estimator]") {
  CHECK(Text(1000, 1, "B") == "1.00 KB");   // 1 KB = 1,000 B, not 1,024
  CHECK(Text(1024, 1, "B") == "1.02 KB");
  CHECK(Text(9996, 1000, "B") == "10.0 B");   // 9.996 -> 10.0, not 10.00
  CHECK(Text(9995, 10, "B") == "1.00 KB");    // 999.5 -> the next prefix
  CHECK(Text(1, 2, "req/s") == "0.500 req/s");
  CHECK(Text(0, 1, "req/s") == "0.000 req/s");
  CHECK(Text(1000000, 1, "req/s") == "1.00 M req/s");
  CHECK(Text(1000000000000000000ULL, 1, "B") == "1.00 EB");
  CHECK(Text(UINT64_MAX, 1, "B") == "18.4 EB");
  CHECK(Text(2500000, 1000, "servers", Round::kUp) == "2,500 servers");
  CHECK(Text(5000001, 1000, "servers", Round::kUp) == "5,001 servers");
  CHECK(Text(1, 2, "shards", Round::kUp) == "1 shard");
  CHECK(sdp::estimator::Grouped(1234567) == "1,234,567");
}

TEST_CASE("estimator: the ~2012 latency numbers against the p99 budget", "[estimator]") {
  auto sim = Make();
  Estimate(*sim, {{"p99_ms", 200}});
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  const Json& table = snap["latency"];
  REQUIRE(table.size() == sdp::estimator::LatencyNumbers().size());
  CHECK(table.front()["label"] == "L1 cache reference");
  CHECK(table.front()["ns"] == 0.5);
  CHECK(table.front()["text"] == "0.5 ns");
  CHECK(table.front()["fits_in_p99"] == 400000000);  // 200 ms / 0.5 ns
  for (const Json& row : table) {
    if (row["key"] == "disk_seek") {
      CHECK(row["text"] == "10 ms");
      CHECK(row["fits_in_p99"] == 20);
    }
    if (row["key"] == "packet_ca_nl_ca") CHECK(row["fits_in_p99"] == 1);  // 150 ms: one fits in 200 ms
    if (row["key"] == "ssd_random_4k") CHECK(row["text"] == "150 µs");
  }
  CHECK(snap["outputs"]["disk_seeks_in_p99"]["value"] == 20);
  Estimate(*sim, {{"p99_ms", 9}});
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull)["outputs"]["disk_seeks_in_p99"]["value"] == 0);
}

TEST_CASE("estimator: bad inputs are refused, naming the field, and change nothing", "[estimator]") {
  auto sim = Make();
  Estimate(*sim, kHandChecked);
  CHECK_THAT(Refused(*sim, {{"dau", -1}}), Catch::Contains("\"dau\"") && Catch::Contains("[0, 10000000000]"));
  for (const char* ratio : {"10", "a:b", "1:2:3", "0:0", "-1:2", ":1", "10001:1", "1.5:1"}) {
    INFO(ratio);
    CHECK_THAT(Refused(*sim, {{"read_write_ratio", ratio}}),
               Catch::Contains("\"read_write_ratio\"") && Catch::Contains("\"r:w\""));
  }
  CHECK_THAT(Refused(*sim, {{"cache_share", 1.5}}), Catch::Contains("\"cache_share\"") && Catch::Contains("[0, 1]"));
  CHECK_THAT(Refused(*sim, {{"peak_factor", 0.5}}), Catch::Contains("\"peak_factor\""));
  CHECK_THAT(Refused(*sim, {{"replication", 0}}), Catch::Contains("\"replication\""));
  CHECK_THAT(Refused(*sim, {{"daus", 5}}), Catch::Contains("\"daus\""));
  CHECK_THAT(Refused(*sim, {{"dau", "many"}}), Catch::Contains("\"dau\""));
  CHECK_THAT(Refused(*sim, Json::array({1})), Catch::Contains("\"inputs\"") && Catch::Contains("object"));
  // Each within range, together beyond 2^64 - 1 bytes: refused, naming the inputs.
  const std::string big = Refused(*sim, {{"dau", 10000000000LL}, {"requests_per_user_per_day", 1000000},
                                         {"read_write_ratio", "0:1"}, {"object_bytes", 1000000000000LL},
                                         {"retention_days", 36500}});
  CHECK_THAT(big, Catch::StartsWith("estimate: inputs: storage_per_day") && Catch::Contains("object_bytes") &&
                      Catch::Contains("replication") && Catch::Contains("18,446,744,073,709,551,615"));
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull)["estimates"] == 1);
}

}  // namespace estimator_test
