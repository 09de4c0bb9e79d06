// GEO commands through Db::Execute, every expected reply copied from a real
// Redis 7.0.15 answering the same commands (redis-cli and raw RESP).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sdp/redis/db.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_geo_commands_test {

using sdp::redis::Argv;
using sdp::redis::Db;
using sdp::redis::Reply;

namespace {

Reply Run(Db& db, const std::string& line) {
  auto argv = sdp::redis::SplitCommandLine(line);
  REQUIRE(argv.ok());
  return db.Execute(argv.value());
}

// A flat rendering: bulk "x", integer :1, nil (nil), nil array (nil*), error -ERR..,
// arrays in brackets.
std::string Show(const Reply& r) {
  switch (r.kind) {
    case Reply::Kind::kStatus:
      return "+" + r.str;
    case Reply::Kind::kError:
      return "-" + r.str;
    case Reply::Kind::kInteger:
      return ":" + std::to_string(r.integer);
    case Reply::Kind::kBulk:
      return r.str;
    case Reply::Kind::kNil:
      return "(nil)";
    case Reply::Kind::kNilArray:
      return "(nil*)";
    case Reply::Kind::kArray: {
      std::string out = "[";
      for (size_t i = 0; i < r.elements.size(); ++i) out += (i ? " " : "") + Show(r.elements[i]);
      return out + "]";
    }
  }
  return "?";
}

std::string Do(Db& db, const std::string& line) { return Show(Run(db, line)); }

void Sicily(Db& db) {
  REQUIRE(Do(db, "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania") == ":2");
  REQUIRE(Do(db, "GEOADD Sicily 13.583333 37.316667 Agrigento") == ":1");
}

}  // namespace

TEST_CASE("GEOADD answers and propagates as Redis 7.0 does", "[redis_geo]") {
  Db db;
  (void)db.TakePropagated();
  CHECK(Do(db, "geoadd K CH 13.361389 38.115556 Palermo") == ":1");
  // The AOF of a real server holds the ZADD that GEOADD turned into.
  CHECK(db.TakePropagated() ==
        std::vector<Argv>{{"zadd", "K", "CH", "3479099956230698", "Palermo"}});
  CHECK(Do(db, "ZSCORE K Palermo") == "3479099956230698");
  CHECK(Do(db, "GEOADD k CH 1 2 a") == ":1");
  CHECK(Do(db, "GEOADD k CH 1 3 a") == ":1");
  CHECK(Do(db, "GEOADD k XX 1 4 b") == ":0");
  CHECK(Do(db, "GEOADD k NX CH 1 5 a 1 5 c") == ":1");
  CHECK(Do(db, "GEOADD k ch nx 1 6 a") == ":0");
  CHECK(Do(db, "GEOADD Sicily 200 100 x") ==
        "-ERR invalid longitude,latitude pair 200.000000,100.000000");
  CHECK(Do(db, "GEOADD Sicily abc 1 x") == "-ERR value is not a valid float");
  CHECK(Do(db, "GEOADD Sicily nan 1 x") == "-ERR value is not a valid float");
  CHECK(Do(db, "GEOADD Sicily inf 1 x") == "-ERR invalid longitude,latitude pair inf,1.000000");
  CHECK(Do(db, "GEOADD Sicily 1 2") == "-ERR wrong number of arguments for 'geoadd' command");
  CHECK(Do(db, "GEOADD Sicily NX XX 1 2 x") == "-ERR syntax error");
  CHECK(Do(db, "GEOADD Sicily CH CH CH") == "-ERR syntax error");
  CHECK(Do(db, "GEOADD Sicily NX 1 2") == "-ERR syntax error");
  // A bad point anywhere refuses the whole command.
  CHECK(Do(db, "GEOADD Sicily 1 2 ok 1 95 bad") ==
        "-ERR invalid longitude,latitude pair 1.000000,95.000000");
  CHECK(Do(db, "EXISTS Sicily") == ":0");
  CHECK(Do(db, "GEOADD edge 180 85.05112878 ne -180 -85.05112878 sw") == ":2");
  CHECK(Do(db, "ZSCORE edge ne") == "13510798882111488");
  CHECK(Do(db, "GEOPOS edge ne sw") ==
        "[[180 85.0511287799999991] [-179.99999731779098511 -85.05112751263942528]]");
  CHECK(Do(db, "GEOHASH edge ne sw") == "[bp05b5048p0 00bh0hbj200]");
}

TEST_CASE("GEOPOS, GEOHASH and GEODIST replies", "[redis_geo]") {
  Db db;
  Sicily(db);
  CHECK(Do(db, "GEOHASH Sicily Palermo Catania nope") == "[sqc8b49rny0 sqdtr74hyu0 (nil)]");
  CHECK(Do(db, "GEOPOS Sicily Palermo nope") ==
        "[[13.36138933897018433 38.11555639549629859] (nil*)]");
  CHECK(Do(db, "GEOPOS nokey a b") == "[(nil*) (nil*)]");
  CHECK(Do(db, "GEOHASH nokey a") == "[(nil)]");
  CHECK(Do(db, "GEOPOS Sicily") == "[]");
  CHECK(Do(db, "GEODIST Sicily Palermo Catania") == "166274.1516");
  CHECK(Do(db, "GEODIST Sicily Palermo Catania km") == "166.2742");
  CHECK(Do(db, "GEODIST Sicily Palermo Catania KM") == "166.2742");
  CHECK(Do(db, "GEODIST Sicily Palermo Catania mi") == "103.3182");
  CHECK(Do(db, "GEODIST Sicily Palermo Catania ft") == "545518.8700");
  CHECK(Do(db, "GEODIST Sicily Palermo Catania xx") ==
        "-ERR unsupported unit provided. please use M, KM, FT, MI");
  CHECK(Do(db, "GEODIST Sicily Palermo Catania km extra") == "-ERR syntax error");
  CHECK(Do(db, "GEODIST nokey a b") == "(nil)");
  CHECK(Do(db, "GEODIST Sicily Palermo nope") == "(nil)");
  REQUIRE(Do(db, "SET str x") == "+OK");
  const std::string wrongtype =
      "-WRONGTYPE Operation against a key holding the wrong kind of value";
  CHECK(Do(db, "GEOPOS str a") == wrongtype);
  CHECK(Do(db, "GEOHASH str a") == wrongtype);
  CHECK(Do(db, "GEODIST str a b") == wrongtype);
  CHECK(Do(db, "GEOADD str 1 1 a") == wrongtype);
  CHECK(Do(db, "GEOSEARCH str FROMLONLAT 15 37 BYRADIUS 200 km") == wrongtype);
  // The unit is checked before the key's type.
  CHECK(Do(db, "GEODIST str a b parsec") ==
        "-ERR unsupported unit provided. please use M, KM, FT, MI");
}

TEST_CASE("GEOSEARCH orders, counts and formats like Redis", "[redis_geo]") {
  Db db;
  Sicily(db);
  CHECK(Do(db,
           "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHCOORD WITHDIST "
           "WITHHASH") ==
        "[[Catania 56.4413 :3479447370796909 [15.08726745843887329 37.50266842333162032]] "
        "[Agrigento 130.4235 :3479030013248308 [13.5833314061164856 37.31666804993816555]] "
        "[Palermo 190.4424 :3479099956230698 [13.36138933897018433 38.11555639549629859]]]");
  // Unsorted: the order the cells and the scores give.
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km") ==
        "[Agrigento Palermo Catania]");
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 400 km ASC WITHDIST") ==
        "[[Catania 56.4413] [Agrigento 130.4235] [Palermo 190.4424]]");
  CHECK(Do(db, "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 200 km DESC") ==
        "[Catania Agrigento Palermo]");
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1") == "[Catania]");
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 1 ANY") == "[Agrigento]");
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 2 ANY DESC") ==
        "[Palermo Agrigento]");
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHHASH COUNT 1") ==
        "[[Catania :3479447370796909]]");
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 0 0 BYRADIUS 1 km") == "[]");
  CHECK(Do(db, "GEOSEARCH nokey FROMMEMBER x BYRADIUS 1 km") == "[]");
}

TEST_CASE("GEOSEARCH refuses what Redis refuses, with its words", "[redis_geo]") {
  Db db;
  Sicily(db);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"FROMMEMBER nope BYRADIUS 200 km DESC", "ERR could not decode requested zset member"},
      {"FROMLONLAT 15 37 BYRADIUS 200 km ANY", "ERR the ANY argument requires COUNT argument"},
      {"FROMLONLAT 15 37 BYRADIUS 200 km COUNT 0", "ERR COUNT must be > 0"},
      {"FROMLONLAT 15 37 BYRADIUS 200 km COUNT x", "ERR value is not an integer or out of range"},
      {"FROMLONLAT 15 37 BYRADIUS -1 km", "ERR radius cannot be negative"},
      {"FROMLONLAT 15 37 BYRADIUS x km", "ERR need numeric radius"},
      {"FROMLONLAT 15 37 BYBOX x 1 km", "ERR need numeric width"},
      {"FROMLONLAT 15 37 BYBOX 1 x km", "ERR need numeric height"},
      {"FROMLONLAT 15 37 BYBOX -1 1 km", "ERR height or width cannot be negative"},
      {"FROMLONLAT 15 37 BYBOX 1 1 parsec",
       "ERR unsupported unit provided. please use M, KM, FT, MI"},
      {"FROMLONLAT 15 37 BYRADIUS 1 km BYBOX 1 1 km", "ERR syntax error"},
      {"FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 1 km", "ERR syntax error"},
      {"FROMLONLAT 15 37 BYRADIUS 1 km STORE x", "ERR syntax error"},
      {"FROMLONLAT 15 95 BYRADIUS 1 km", "ERR invalid longitude,latitude pair 15.000000,95.000000"},
      {"BYRADIUS 1 km WITHDIST ASC",
       "ERR exactly one of FROMMEMBER or FROMLONLAT can be "
       "specified for GEOSEARCH"},
      {"FROMLONLAT 1 2 WITHDIST ASC",
       "ERR exactly one of BYRADIUS and BYBOX can be specified "
       "for GEOSEARCH"},
  };
  for (const auto& [args, error] : cases) {
    INFO(args);
    CHECK(Do(db, "GEOSEARCH Sicily " + args) == "-" + error);
  }
  CHECK(Do(db, "geosearch Sicily BYRADIUS 1 km WITHDIST ASC") ==
        "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch");
  CHECK(Do(db, "GEOSEARCH Sicily FROMLONLAT 15 37") ==
        "-ERR wrong number of arguments for 'geosearch' command");
  CHECK(Do(db, "GEOSEARCH nokey FROMLONLAT 1 2 BYRADIUS 1 km ANY") ==
        "-ERR the ANY argument requires COUNT argument");
  CHECK(Do(db, "GEOSEARCH nokey FROMLONLAT 1 2 BYRADIUS 1") == "-ERR syntax error");
}

TEST_CASE("equal distances keep Redis's order under both of its sorts", "[redis_geo]") {
  Db db;
  // Without COUNT Redis sorts with glibc's qsort (a stable merge sort): ties
  // keep the scan order. Under COUNT it uses pqsort, which reorders ties its
  // own way ("far near m10"). Replies copied from redis-server 7.0.15.
  std::string line = "GEOADD same";
  for (int i = 0; i < 12; ++i) line += " 2.35 48.85 m" + std::to_string(i);
  line += " 2.36 48.85 near 2.5 48.9 far";
  REQUIRE(Do(db, line) == ":14");
  const std::string near = "GEOSEARCH same FROMLONLAT 2.35 48.85 BYRADIUS 50 km";
  CHECK(Do(db, near + " ASC") == "[m0 m1 m10 m11 m2 m3 m4 m5 m6 m7 m8 m9 near far]");
  CHECK(Do(db, near + " DESC") == "[far near m0 m1 m10 m11 m2 m3 m4 m5 m6 m7 m8 m9]");
  CHECK(Do(db, near + " COUNT 5") == "[m0 m1 m10 m11 m2]");
  CHECK(Do(db, near + " COUNT 3 DESC") == "[far near m10]");

  // 60 members on three spots (n > 40: pqsort's ninther pivots).
  line = "GEOADD many";
  const char* spots[] = {" 2.35 48.85 p", " 2.36 48.85 p", " 2.35 48.86 p"};
  for (int i = 0; i < 60; ++i) line += spots[i % 3] + std::to_string(i);
  REQUIRE(Do(db, line) == ":60");
  const std::string many = "GEOSEARCH many FROMLONLAT 2.351 48.851 BYRADIUS 50 km";
  CHECK(Do(db, many + " COUNT 10") == "[p9 p15 p18 p21 p24 p27 p3 p30 p33 p36]");
  CHECK(Do(db, many + " COUNT 10 DESC") == "[p14 p59 p56 p53 p50 p5 p47 p44 p41 p38]");
  CHECK(Do(db, many + " COUNT 25") ==
        "[p9 p15 p18 p21 p24 p27 p3 p30 p33 p36 p39 p42 p45 p48 p51 p54 p57 p0 p6 p12 p55 p1 "
        "p10 p13 p16]");
  CHECK(Do(db, many + " COUNT 45 DESC") ==
        "[p14 p59 p56 p53 p50 p5 p47 p44 p41 p38 p35 p32 p29 p26 p23 p20 p2 p11 p17 p8 p55 p1 "
        "p10 p13 p16 p19 p22 p25 p28 p31 p34 p37 p4 p40 p43 p46 p49 p52 p58 p7 p12 p9 p6 p57 "
        "p54]");
  CHECK(Do(db, many + " COUNT 59") ==
        "[p9 p15 p18 p21 p24 p27 p3 p30 p33 p36 p39 p42 p45 p48 p51 p54 p57 p0 p6 p12 p55 p1 "
        "p10 p13 p16 p19 p22 p25 p28 p31 p34 p37 p4 p40 p43 p46 p49 p52 p58 p7 p8 p14 p17 p2 "
        "p20 p23 p26 p29 p32 p35 p38 p41 p44 p47 p5 p50 p53 p56 p59]");
}

}  // namespace redis_geo_commands_test
