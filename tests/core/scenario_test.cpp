#include <catch2/catch.hpp>
#include <string>

#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace scenario_test {

using sdp::Json;

namespace {

Json Run(const std::string& text) {
  auto out = sdp::RunScenarioText(text);
  REQUIRE(out.ok());
  return Json::parse(out.value());
}

std::string ErrorOf(const std::string& text) {
  auto out = sdp::RunScenarioText(text);
  REQUIRE_FALSE(out.ok());
  return out.message();
}

}  // namespace

TEST_CASE("a scenario gives one result per step and a snapshot", "[scenario]") {
  const Json out = Run(R"({"sim":"hash_ring","seed":7,"steps":[
      {"op":"add_node","id":"A"},{"op":"lookup","key":"user:1"}]})");
  CHECK(out["sim"] == "hash_ring");
  REQUIRE(out["results"].size() == 2);
  CHECK(out["results"][1]["node"] == "A");
  CHECK(out["snapshot"]["nodes"].size() == 1);
}

TEST_CASE("documents that cannot run are errors with a clear message", "[scenario]") {
  CHECK_THAT(ErrorOf("{not json"), Catch::Contains("not valid JSON"));
  CHECK_THAT(ErrorOf("[1,2]"), Catch::Contains("expected a JSON object"));
  CHECK_THAT(ErrorOf(R"({"steps":[]})"), Catch::Contains("missing \"sim\""));
  CHECK_THAT(ErrorOf(R"({"sim":"nope"})"), Catch::Contains("unknown sim \"nope\"; known: hash_ring"));
  CHECK_THAT(ErrorOf(R"({"sim":"hash_ring","seed":-1})"), Catch::Contains("seed"));
  CHECK_THAT(ErrorOf(R"({"sim":"hash_ring","steps":{}})"), Catch::Contains("\"steps\" must be an array"));
  CHECK_THAT(ErrorOf(R"({"sim":"hash_ring","config":{"vnodes":0}})"),
             Catch::Contains("config: field \"vnodes\" must be an integer in [1, 1000] (got 0)"));
  CHECK_THAT(ErrorOf(R"({"sim":"hash_ring","config":{"hash":"md4"}})"),
             Catch::Contains("one of: murmur3, fnv1a, xxhash64"));
  CHECK_THAT(ErrorOf(R"({"sim":"hash_ring","typo":1})"), Catch::Contains("unknown field \"typo\""));
}

TEST_CASE("an invalid step is an error result, changes nothing, and later steps run",
          "[scenario]") {
  const Json good = Run(R"({"sim":"hash_ring","steps":[
      {"op":"add_node","id":"A"},{"op":"add_keys","count":50},{"op":"add_node","id":"B"}]})");
  const Json with_errors = Run(R"({"sim":"hash_ring","steps":[
      {"op":"add_node","id":"A"},{"op":"add_keys","count":50},
      {"op":"add_node","id":"A"},
      {"op":"add_node"},
      {"op":"add_node","id":"C","weight":0},
      {"op":"add_node","id":"C","weight":"heavy"},
      {"op":"add_node","id":"C","colour":"red"},
      {"op":"remove_node","id":"Z"},
      {"op":"set_vnodes","count":100000},
      {"op":"add_key","key":""},
      {"op":"explode"},
      "not an object",
      {"op":"add_node","id":"B"}]})");
  const Json& r = with_errors["results"];
  CHECK(r[2]["error"] == "add_node: a node \"A\" already exists; ids must be unique");
  CHECK(r[3]["error"] == "add_node: missing required field \"id\" (a string of 1-64 bytes)");
  CHECK(r[4]["error"] == "add_node: field \"weight\" must be a number in [0.01, 100] (got 0)");
  CHECK(r[5]["error"] ==
        "add_node: field \"weight\" must be a number in [0.01, 100] (got \"heavy\")");
  CHECK(r[6]["error"] == "add_node: unknown field \"colour\"; allowed: id, weight");
  CHECK(r[7]["error"] == "remove_node: no node \"Z\"; nodes are: A");
  CHECK(r[8]["error"] == "set_vnodes: field \"count\" must be an integer in [1, 1000] (got 100000)");
  CHECK(r[9]["error"] == "add_key: field \"key\" must not be empty");
  CHECK_THAT(r[10]["error"].get<std::string>(),
             Catch::StartsWith("unknown op \"explode\" for hash_ring; allowed: add_node"));
  CHECK_THAT(r[11]["error"].get<std::string>(), Catch::Contains("must be a JSON object"));
  // The errors changed nothing: the final state equals the run without them.
  CHECK(with_errors["snapshot"] == good["snapshot"]);
  CHECK(r[12] == good["results"][2]);
}

TEST_CASE("strings with control characters are refused", "[scenario]") {
  const Json out = Run(R"({"sim":"hash_ring","steps":[{"op":"add_node","id":"a\nb"}]})");
  CHECK_THAT(out["results"][0]["error"].get<std::string>(),
             Catch::Contains("must not contain control characters"));
}

TEST_CASE("the same scenario twice gives the same bytes; seeds change generated keys",
          "[scenario][determinism]") {
  const std::string text =
      R"({"sim":"hash_ring","seed":SEED,"steps":[{"op":"add_node","id":"A"},
          {"op":"add_node","id":"B"},{"op":"add_keys","count":20}]})";
  auto with_seed = [&](const std::string& seed) {
    std::string t = text;
    t.replace(t.find("SEED"), 4, seed);
    return sdp::RunScenarioText(t).value();
  };
  CHECK(with_seed("1") == with_seed("1"));
  CHECK(with_seed("1") != with_seed("2"));
}

TEST_CASE("sdp list describes every op with its fields", "[scenario]") {
  const Json list = sdp::ListSims();
  REQUIRE(list["sims"].size() >= 1);
  const Json& ring = list["sims"][0];
  CHECK(ring["sim"] == "hash_ring");
  bool found = false;
  for (const Json& op : ring["ops"]) {
    if (op["op"] == "add_node") {
      found = true;
      CHECK(op["fields"][0]["name"] == "id");
      CHECK(op["fields"][0]["required"] == true);
      CHECK(op["fields"][1]["min"] == 0.01);
    }
  }
  CHECK(found);
}

}  // namespace scenario_test
