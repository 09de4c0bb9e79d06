// sdp: the scenario CLI (DESIGN.md contract 3).
//   sdp run [--work-budget N] FILE.json|-   replay a scenario, print one JSON document
//   sdp list                                the sims, their config fields and ops
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sdp/scenario.h"

namespace {

constexpr const char* kUsage =
    "usage: sdp run [--work-budget N] FILE.json   replay a scenario (FILE may be - for stdin)\n"
    "       sdp list                              list the simulations and their ops\n"
    "--work-budget: stop running steps after N units of simulation work (default 50000000)\n";

bool ReadAll(const std::string& path, std::string* out) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file) return false;
    buffer << file.rdbuf();
  }
  *out = buffer.str();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "list" && argc == 2) {
    std::cout << sdp::ListSims().dump(2) << "\n";
    return 0;
  }
  uint64_t budget = sdp::kMaxScenarioWork;
  if (command == "run" && argc == 5 && std::string(argv[2]) == "--work-budget") {
    char* end = nullptr;
    budget = std::strtoull(argv[3], &end, 10);
    if (end == argv[3] || *end != '\0' || budget == 0) {
      std::fprintf(stderr, "sdp: --work-budget takes a positive whole number\n");
      return 2;
    }
    argv[2] = argv[4];
    argc = 3;
  }
  if (command == "run" && argc == 3) {
    std::string text;
    if (!ReadAll(argv[2], &text)) {
      std::fprintf(stderr, "sdp: cannot read %s\n", argv[2]);
      return 1;
    }
    sdp::Result<std::string> out = sdp::RunScenarioText(text, budget);
    if (!out.ok()) {
      std::fprintf(stderr, "sdp: %s\n", out.message().c_str());
      return 1;
    }
    std::cout << out.value() << "\n";
    return 0;
  }
  std::fputs(kUsage, command == "--help" || command == "-h" ? stdout : stderr);
  return command == "--help" || command == "-h" ? 0 : 2;
}
