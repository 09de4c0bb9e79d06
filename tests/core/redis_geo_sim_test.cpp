// The redis_geo sim: its traces say what Redis computed, and refused steps
// change nothing.
#include "sdp/redis_geo_sim.h"

#include <catch2/catch.hpp>
#include <string>

#include "sdp/redis/geohash.h"
#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_geo_sim_test {

using sdp::Json;

namespace {

struct Geo {
  sdp::SimInfo info = sdp::RedisGeoSimInfo();
  std::unique_ptr<sdp::Simulation> sim = sdp::CreateSim(info, 1, Json::object()).value();

  sdp::Result<Json> Step(const Json& step) { return sdp::ApplyStep(info, *sim, step); }
  Json Command(const std::string& line) {
    auto r = Step({{"op", "command"}, {"line", line}});
    REQUIRE(r.ok());
    return r.value();
  }
};

}  // namespace

TEST_CASE("GEOADD's trace lays out the 52 bits, the cell and its neighbours", "[redis_geo]") {
  Geo g;
  const Json r = g.Command("GEOADD Sicily 13.361389 38.115556 Palermo");
  CHECK(r["reply"] == Json({{"type", "integer"}, {"value", 1}}));
  CHECK(r["trace"]["bytes_per_point"] == 8);
  const Json& p = r["trace"]["points"][0];
  CHECK(p["score"] == 3479099956230698ULL);
  CHECK(p["geohash"] == "sqc8b49rny0");
  CHECK(p["geopos"] == Json::array({"13.36138933897018433", "38.11555639549629859"}));
  CHECK(p["existed"] == false);
  // The bits are the score in binary, longitude bit first.
  const std::string bits = p["bits"];
  REQUIRE(bits.size() == 52);
  CHECK(std::stoull(bits, nullptr, 2) == 3479099956230698ULL);
  const auto lon_index = p["lon_index"].get<uint32_t>();
  const auto lat_index = p["lat_index"].get<uint32_t>();
  CHECK(sdp::redis::Interleave64(lat_index, lon_index) == 3479099956230698ULL);
  for (int i = 0; i < 26; ++i) {
    CHECK(bits[static_cast<size_t>(2 * i)] == (((lon_index >> (25 - i)) & 1) ? '1' : '0'));
    CHECK(bits[static_cast<size_t>(2 * i + 1)] == (((lat_index >> (25 - i)) & 1) ? '1' : '0'));
  }
  // The point lies in its cell; the neighbours share its edges.
  const Json& cell = p["cell"];
  CHECK(cell["min_lon"] <= 13.361389);
  CHECK(cell["max_lon"] > 13.361389);
  CHECK(p["neighbors"]["east"]["min_lon"] == cell["max_lon"]);
  CHECK(p["neighbors"]["south_west"]["max_lat"] == cell["min_lat"]);
  CHECK(p["neighbors"]["south_west"]["max_lon"] == cell["min_lon"]);
  // Adding it again: the trace says it existed; ZADD's reply counts 0 new.
  const Json again = g.Command("GEOADD Sicily 13.361389 38.115556 Palermo");
  CHECK(again["trace"]["points"][0]["existed"] == true);
  CHECK(again["reply"]["value"] == 0);
}

TEST_CASE("the edge point overflows into bits 52-53 and the trace says so", "[redis_geo]") {
  Geo g;
  const Json p = g.Command("GEOADD w 180 85.05112878 corner")["trace"]["points"][0];
  CHECK(p["score"] == "13510798882111488");  // above 2^53 - 1: a string, as Reply::ToJson
  CHECK(p["overflow_bits"] == 3);
  CHECK(p["lon_index"] == 67108864);
  CHECK(p["lat_index"] == 67108864);
  CHECK(p["geopos"] == Json::array({"180", "85.0511287799999991"}));
  // Long GEOADDs trace their first 16 points and count the rest.
  std::string line = "GEOADD w";
  for (int i = 0; i < 20; ++i) line += " 1 1 m" + std::to_string(i);
  const Json t = g.Command(line)["trace"];
  CHECK(t["points"].size() == 16);
  CHECK(t["more_points"] == 4);
}

TEST_CASE("GEOSEARCH's trace shows the step, the 9 cells and every candidate", "[redis_geo]") {
  Geo g;
  g.Command(
      "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania "
      "13.583333 37.316667 Agrigento 12.5136 38.0176 Trapani");
  const Json r = g.Command("GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC");
  const Json& t = r["trace"];
  CHECK(t["estimated_step"] == 6);
  CHECK(t["step"] == (t["decreased"] == true ? 5 : 6));
  REQUIRE(t["cells"].size() == 9);
  CHECK(t["cells"][0]["name"] == "center");
  CHECK(t["cells"][0]["status"] == "scanned");
  uint64_t scanned_members = 0;
  for (const Json& c : t["cells"]) {
    if (c["status"] == "scanned") scanned_members += c["members_in_range"].get<uint64_t>();
    if (c["status"] == "excluded") CHECK_FALSE(c.contains("bounds"));
  }
  CHECK(t["candidates_total"] == scanned_members);
  CHECK(t["candidates"].size() == scanned_members);
  // Trapani (247 km) is a candidate the distance filter drops.
  bool trapani_dropped = false;
  for (const Json& c : t["candidates"]) {
    if (c["member"] == "Trapani") trapani_dropped = c["kept"] == false && c["distance_m"] > 200000;
  }
  CHECK(trapani_dropped);
  CHECK(t["matches"] == 3);
  CHECK(r["reply"]["value"].size() == 3);
  // A box search names the side a dropped candidate is outside of.
  const Json box = g.Command("GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 100 km");
  for (const Json& c : box["trace"]["candidates"]) {
    if (c["kept"] == false) CHECK((c["outside"] == "height" || c["outside"] == "width"));
  }
  // An error reply has no trace.
  CHECK(g.Command("GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS -1 km")["trace"] == Json::object());
}

TEST_CASE("refused steps change nothing; the snapshot lists the viewed key", "[redis_geo]") {
  Geo g;
  g.Command("GEOADD a 1 2 x 3 4 y");
  const Json before = g.sim->Snapshot(sdp::Simulation::Detail::kFull);
  auto quote = g.Step({{"op", "command"}, {"line", "GEOADD a 1 2 \"unclosed"}});
  REQUIRE_FALSE(quote.ok());
  CHECK_THAT(quote.message(), Catch::Contains("\"line\""));
  auto blank = g.Step({{"op", "command"}, {"line", "   "}});
  REQUIRE_FALSE(blank.ok());
  auto missing = g.Step({{"op", "view"}, {"key", "nope"}});
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.message(), Catch::Contains("\"key\""));
  CHECK(g.sim->Snapshot(sdp::Simulation::Detail::kFull) == before);
  // A Redis error is a result, and changes nothing either.
  const Json err = g.Command("GEOADD a 1 2 z 200 100 w");
  CHECK(err["reply"]["type"] == "error");
  const Json after = g.sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(after["view"] == before["view"]);
  CHECK(after["entries_total"] == 2);

  const Json& view = after["view"];
  CHECK(view["key"] == "a");
  REQUIRE(view["places"].size() == 2);
  CHECK(view["places"][0]["member"] == "x");
  CHECK(after["bytes_per_point"] == 8);
  const sdp::redis::GeoPoint p = sdp::redis::GeoDecodeScore(view["places"][0]["score"]);
  CHECK(view["places"][0]["lon"] == p.lon);
}

TEST_CASE("the data set is capped before a write runs", "[redis_geo]") {
  Geo g;
  // Fill to 99,900 entries with plain ZADDs (GEO keys are sorted sets) ...
  uint64_t added = 0;
  while (added < 99900) {
    std::string line = "ZADD k" + std::to_string(added / 30000);
    for (int i = 0; i < 300; ++i) line += " 1 m" + std::to_string(added + static_cast<uint64_t>(i));
    REQUIRE(g.Command(line)["reply"]["value"] == 300);
    added += 300;
  }
  // ... then a GEOADD whose 150 new places would pass kMaxEntries is refused
  // up front (one with 100 would fit).
  const Json before = g.sim->Snapshot(sdp::Simulation::Detail::kFull);
  std::string over = "GEOADD k0";
  for (int i = 0; i < 150; ++i) over += " 1 1 n" + std::to_string(i);
  auto r = g.Step({{"op", "command"}, {"line", over}});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("at most 100000"));
  CHECK(g.sim->Snapshot(sdp::Simulation::Detail::kFull) == before);
  CHECK(g.Command("GEOADD k0 1 1 fits")["reply"]["value"] == 1);
}

}  // namespace redis_geo_sim_test
