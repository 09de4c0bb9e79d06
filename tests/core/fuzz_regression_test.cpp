// Every input in tests/fuzz/regressions (crashes the fuzzer found, and
// hand-made nasty ones; tests/fuzz/README.md says what each one is) goes
// through the fuzzer's own checks: no crash, the same output twice, the
// step-by-step replay agrees with the runner, a failed step changes nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../../fuzz/scenario_check.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace fuzz_regression_test {

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> FilesUnder(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (extension.empty() || entry.path().extension() == extension) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

TEST_CASE("fuzz regressions: no crash, and a failed step changes nothing", "[fuzz]") {
  const fs::path dir = std::string(SDP_SCENARIO_DIR) + "/../tests/fuzz/regressions";
  const std::vector<fs::path> files = FilesUnder(dir, "");
  REQUIRE(files.size() >= 3);
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    const std::string text = ReadBytes(file);
    REQUIRE_FALSE(text.empty());
    CHECK(sdp::fuzz::CheckScenarioText(text) == "");
  }
}

TEST_CASE("the canonical scenarios pass the fuzzer's checks", "[fuzz]") {
  const std::vector<fs::path> files = FilesUnder(SDP_SCENARIO_DIR, ".json");
  REQUIRE_FALSE(files.empty());
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    CHECK(sdp::fuzz::CheckScenarioText(ReadBytes(file)) == "");
  }
}

TEST_CASE("limits are errors, not crashes", "[fuzz]") {
  auto run = [](const std::string& text) { return sdp::RunScenarioText(text); };
  const std::string deep = std::string(sdp::kMaxJsonDepth + 1, '[') +
                           std::string(sdp::kMaxJsonDepth + 1, ']');
  CHECK_THAT(run(deep).message(), Catch::Contains("nested too deeply"));
  const std::string ok_depth = R"({"sim":"hash_ring","title":)" +
                               std::string(sdp::kMaxJsonDepth - 1, '[') +
                               std::string(sdp::kMaxJsonDepth - 1, ']') + "}";
  CHECK(run(ok_depth).ok());
  // Brackets inside strings are text, not nesting.
  CHECK(run(R"({"sim":"hash_ring","title":")" + deep + R"(\"["})").ok());
  CHECK_THAT(run(R"({"sim":"hash_ring","seed":1e400})").message(),
             Catch::Contains("number overflow"));

  // Many heavy steps stop at the work budget, with an error for each step not run.
  std::string steps = R"({"op":"add_node","id":"A"},{"op":"add_node","id":"B"})";
  for (int i = 0; i < 1000; ++i) steps += R"(,{"op":"sweep","scheme":"maglev"})";
  const sdp::Result<std::string> out =
      run(R"({"sim":"hash_lab","config":{"table_size":101},"steps":[)" + steps + "]}");
  REQUIRE(out.ok());
  const sdp::Json results = sdp::Json::parse(out.value())["results"];
  REQUIRE(results.size() == 1002);
  CHECK_FALSE(results[2].contains("error"));
  CHECK_THAT(results[1001]["error"].get<std::string>(), Catch::Contains("work budget"));
}

}  // namespace fuzz_regression_test
