// libFuzzer target for the scenario runner (DESIGN.md contract 3): whatever
// the bytes, the properties in scenario_check.h hold (no crash, no sanitizer
// report, deterministic output, a failed step changes nothing).
//
// Built by the SDP_FUZZ block at the end of CMakeLists.txt (clang only) and
// run by scripts/fuzz.sh. The custom mutator below knows the scenario format:
// half the time it parses the input and edits it using the sims' own op and
// field declarations (AllSims()), with values chosen to sit on and just past
// every declared limit; otherwise it leaves the bytes to libFuzzer.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "scenario_check.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using sdp::FieldSpec;
using sdp::FieldType;
using sdp::Json;
using sdp::OpSpec;
using sdp::SimInfo;

// splitmix64, seeded from libFuzzer's Seed so that a mutation can be redone.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }  // [0, n)
  bool OneIn(uint64_t n) { return Below(n) == 0; }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  template <typename T>
  const T& Pick(const std::vector<T>& items) { return items[Below(items.size())]; }

 private:
  uint64_t state_;
};

// Ids and keys come from small pools so that steps meet each other: a
// remove_node finds the node an add_node made, duplicates collide.
const std::vector<std::string> kNames = {"A", "B", "C", "D", "E", "n1", "user:1", "user:2", "key:0"};
const std::vector<std::string> kNonAscii = {"\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
                                            "\xf0\x9f\x98\x80", "\xe2\x80\x8f", "\xef\xbb\xbf",
                                            "\xef\xbf\xbd", "\xc7\x85"};
const std::vector<std::string> kBadUtf8 = {"\xff", "\xc0\x80", "\xed\xa0\x80", "\xe2\x82",
                                           "\xf4\x90\x80\x80", "\x80", "\xc3"};
// Number and string spellings nlohmann's DOM cannot hold or that only the
// text shows; spliced into the serialised document as they are.
const std::vector<std::string> kRawNumbers = {
    "1e400", "-1e400", "1e-400", "-0", "-0.0", "1E2", "0.5e1", "18446744073709551616",
    "-9223372036854775809", "00", "+1", ".5", "0x10", "Infinity", "NaN", "1e", "2.", "1_000"};
const std::vector<std::string> kRawStrings = {"\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"",
                                              "\"\\uD83D\\uDE00\"", "\"\\x41\"", "\"a\\\"b\""};

class Mutator {
 public:
  explicit Mutator(unsigned int seed) : rng_(seed) {}

  // Parses `input` as a scenario (or starts a new one), edits it, serialises it.
  std::string Mutate(std::string_view input) {
    sdp::Result<Json> parsed = sdp::ParseJson(input);
    Json doc = parsed.ok() && parsed.value().is_object() && !rng_.OneIn(32)
                   ? std::move(parsed).value()
                   : NewScenario();
    for (uint64_t n = 1 + rng_.Below(3); n > 0; --n) MutateScenario(doc);
    return Serialise(doc);
  }

 private:
  const SimInfo& SimOf(const Json& doc) {
    if (const auto it = doc.find("sim"); it != doc.end() && it->is_string()) {
      if (const SimInfo* info = sdp::FindSim(it->get<std::string>())) return *info;
    }
    return rng_.Pick(sdp::AllSims());
  }

  // A placeholder string, replaced by `text` itself when serialising.
  Json Raw(std::string text) {
    raw_.push_back(std::move(text));
    return "\x01RAW" + std::to_string(raw_.size() - 1) + "\x01";
  }

  Json Deep() {
    static const uint32_t kDepths[] = {2, 100, 255, 256, 257, 1000, 4000, 7000, 10000};
    const uint32_t depth = kDepths[rng_.Below(std::size(kDepths))];
    if (rng_.OneIn(2)) return Raw(std::string(depth, '[') + std::string(depth, ']'));
    std::string open, close;
    for (uint32_t i = 0; i < depth; ++i) open += "{\"a\":", close += "}";
    return Raw(open + "1" + close);
  }

  std::string Ascii(size_t length) {
    std::string s;
    for (size_t i = 0; i < length; ++i) s += static_cast<char>(' ' + 1 + rng_.Below(94));
    return s;
  }

  Json WrongType() {
    switch (rng_.Below(14)) {
      case 0: return nullptr;
      case 1: return rng_.OneIn(2);
      case 2: return "";
      case 3: return rng_.Pick(kNames);
      case 4: return Json::array();
      case 5: return Json::object();
      case 6: return Json::array({1, "two", nullptr});
      case 7: return Json{{"op", "add_node"}, {"id", "A"}};
      case 8: return 1.5;
      case 9: return -1;
      case 10: return Deep();
      case 11: return Raw(rng_.Pick(kRawNumbers));
      case 12: return Raw(rng_.Pick(kRawStrings));
      default: return std::string(10000, 'x');
    }
  }

  // A declared bound as an integer (int64 bounds arrive as doubles: 2^63).
  static int64_t Bound(double x) {
    constexpr double kTwo63 = 9223372036854775808.0;
    if (x >= kTwo63) return std::numeric_limits<int64_t>::max();
    return x <= -kTwo63 ? std::numeric_limits<int64_t>::min() : static_cast<int64_t>(x);
  }

  // Mostly small: a count near its maximum (200k keys) costs seconds per run
  // under the sanitizers, so the maximum comes up less often for wide ranges.
  uint64_t Small(uint64_t span) {
    const uint64_t limit = uint64_t{1} << rng_.Below(rng_.OneIn(4) ? 64 : 12);
    const uint64_t bound = std::min(span, limit - 1);
    return bound == UINT64_MAX ? rng_.Next() : rng_.Below(bound + 1);
  }
  bool Wide(uint64_t span) { return span > 4096 && !rng_.OneIn(4); }

  Json IntValue(const FieldSpec& f) {
    const int64_t lo = Bound(f.min), hi = Bound(f.max);
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    auto in_range = [&] { return static_cast<int64_t>(static_cast<uint64_t>(lo) + Small(span)); };
    switch (rng_.Below(16)) {
      case 0:
      case 1: return in_range();
      case 2: return lo;
      case 3: return Wide(span) ? in_range() : hi;
      case 4: return lo == std::numeric_limits<int64_t>::min() ? Json(-1e19) : Json(lo - 1);
      case 5:  // hi >= 0 for every declared field
        return Wide(span) ? Json(in_range()) : Json(static_cast<uint64_t>(hi) + 1);
      case 6: return 0;
      case 7: return -1;
      case 8: return int64_t{1000000000000};
      case 9: return 1e308;
      case 10: return std::numeric_limits<uint64_t>::max();
      case 11: return std::numeric_limits<int64_t>::min();
      case 12: return static_cast<double>(lo) + (rng_.OneIn(2) ? 0.0 : 0.5);  // a float
      case 13: return Raw(rng_.Pick(kRawNumbers));
      case 14: return 1 + static_cast<int64_t>(rng_.Below(3));
      default: return WrongType();
    }
  }

  Json NumberValue(const FieldSpec& f) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    switch (rng_.Below(16)) {
      case 0:
      case 1: return f.min + std::min(f.max - f.min, static_cast<double>(Small(UINT64_MAX))) * rng_.Unit();
      case 2: return f.min;
      case 3: return f.max;
      case 4: return std::nextafter(f.min, -kInf);
      case 5: return std::nextafter(f.max, kInf);
      case 6: return 0;
      case 7: return -1;
      case 8: return 1e12;
      case 9: return rng_.OneIn(2) ? 1e308 : -1e308;
      case 10: return 5e-324;
      case 11: return Bound(f.max);
      case 12: return std::numeric_limits<uint64_t>::max();
      case 13: return Raw(rng_.Pick(kRawNumbers));
      case 14: return 1;
      default: return WrongType();
    }
  }

  Json StringValue(const FieldSpec& f) {
    const uint32_t max = f.one_of.empty() ? f.max_length : 64;
    switch (rng_.Below(14)) {
      case 0:
      case 1:
      case 2: return f.one_of.empty() ? rng_.Pick(kNames) : rng_.Pick(f.one_of);
      case 3: return Ascii(std::max<size_t>(f.min_length, 1 + rng_.Below(std::min(max, 16u))));
      case 4: return std::string(max, 'x');
      case 5: return std::string(max + 1, 'x');
      case 6: return "";
      case 7: return std::string(10000, 'k');
      case 8: {  // multi-byte characters up to and across the byte limit
        std::string s = rng_.OneIn(2) ? std::string(max - 1, 'x') : std::string();
        for (uint64_t n = 1 + rng_.Below(4); n > 0; --n) s += rng_.Pick(kNonAscii);
        return s;
      }
      case 9: {
        static const char* const kControls[] = {"a\nb", "\t", "\x7f", "a\rb", "\x1b[31m"};
        if (rng_.OneIn(4)) return std::string("a\0b", 3);
        return kControls[rng_.Below(std::size(kControls))];
      }
      case 10: return Raw("\"" + rng_.Pick(kNames) + rng_.Pick(kBadUtf8) + "\"");
      case 11: return Raw(rng_.Pick(kRawStrings));
      case 12: {  // near-misses of an allowed value
        std::string s = f.one_of.empty() ? rng_.Pick(kNames) : rng_.Pick(f.one_of);
        if (rng_.OneIn(2)) s += rng_.OneIn(2) ? " " : "x";
        else if (!s.empty()) s[0] = static_cast<char>(s[0] ^ 0x20);
        return s;
      }
      default: return WrongType();
    }
  }

  Json FieldValue(const FieldSpec& f) {
    if (rng_.OneIn(12)) return WrongType();
    switch (f.type) {
      case FieldType::kInt: return IntValue(f);
      case FieldType::kNumber: return NumberValue(f);
      case FieldType::kString: return StringValue(f);
      case FieldType::kBool: return rng_.OneIn(4) ? WrongType() : Json(rng_.OneIn(2));
      case FieldType::kJson: return rng_.OneIn(2) ? StringValue(f) : WrongType();
    }
    return nullptr;
  }

  Json NewStep(const SimInfo& info) {
    const OpSpec& op = rng_.Pick(info.ops);
    Json step = {{"op", op.name}};
    for (const FieldSpec& f : op.fields) {
      if (f.required ? !rng_.OneIn(16) : rng_.OneIn(2)) step[f.name] = FieldValue(f);
    }
    if (rng_.OneIn(16)) step["colour"] = WrongType();
    return step;
  }

  Json NewScenario() {
    const SimInfo& info = rng_.Pick(sdp::AllSims());
    Json doc = {{"sim", info.name}, {"seed", rng_.Below(100)}, {"steps", Json::array()}};
    for (uint64_t n = rng_.Below(8); n > 0; --n) doc["steps"].push_back(NewStep(info));
    return doc;
  }

  void MutateStep(const SimInfo& info, Json& step) {
    if (!step.is_object()) {
      step = NewStep(info);
      return;
    }
    const OpSpec* op = step.contains("op") && step["op"].is_string()
                           ? info.FindOp(step["op"].get<std::string>())
                           : nullptr;
    if (op == nullptr) op = &rng_.Pick(info.ops);
    switch (rng_.Below(6)) {
      case 0:
      case 1:
      case 2:
        if (!op->fields.empty()) {
          const FieldSpec& f = rng_.Pick(op->fields);
          step[f.name] = FieldValue(f);
        }
        break;
      case 3:
        if (!op->fields.empty()) step.erase(rng_.Pick(op->fields).name);
        break;
      case 4: {
        static const char* const kOps[] = {"explode", "", "ADD_NODE", "add_node ", "lookup\n"};
        const uint64_t r = rng_.Below(8);
        if (r < 4) step["op"] = rng_.Pick(info.ops).name;  // fields stay: often wrong for it
        else if (r < 6) step["op"] = kOps[rng_.Below(std::size(kOps))];
        else if (r < 7) step["op"] = WrongType();
        else step.erase("op");
        break;
      }
      default: step[rng_.OneIn(2) ? "colour" : rng_.Pick(kNames)] = WrongType();
    }
  }

  void MutateConfig(const SimInfo& info, Json& doc) {
    if (!doc.contains("config") || !doc["config"].is_object()) doc["config"] = Json::object();
    Json& config = doc["config"];
    const uint64_t r = rng_.Below(8);
    if (r < 4 && !info.config.empty()) {
      const FieldSpec& f = rng_.Pick(info.config);
      config[f.name] = FieldValue(f);
    } else if (r < 5 && !info.config.empty()) {
      config.erase(rng_.Pick(info.config).name);
    } else if (r < 6) {
      config["colour"] = WrongType();
    } else if (r < 7) {
      doc["config"] = WrongType();
    } else {
      doc.erase("config");
    }
  }

  void MutateScenario(Json& doc) {
    const SimInfo& info = SimOf(doc);
    if (!doc.contains("steps") || !doc["steps"].is_array()) {
      doc["steps"] = rng_.OneIn(8) ? WrongType() : Json::array();
    }
    Json no_steps = Json::array();  // edits land here when "steps" is not an array
    Json& steps = doc["steps"].is_array() ? doc["steps"] : no_steps;
    const size_t n = steps.size();
    auto at = [&](uint64_t bound) {
      return steps.begin() + static_cast<std::ptrdiff_t>(rng_.Below(bound));
    };
    switch (rng_.Below(16)) {
      case 0:
      case 1:
      case 2: steps.insert(at(n + 1), NewStep(info)); break;
      case 3:
        if (n > 0) steps.erase(at(n));
        break;
      case 4:
        if (n > 0) {
          const Json copy = steps[rng_.Below(n)];
          steps.insert(at(n + 1), copy);
        }
        break;
      case 5:
        if (n > 1) std::swap(steps[rng_.Below(n)], steps[rng_.Below(n)]);
        break;
      case 6:
      case 7:
      case 8:
        if (n > 0) MutateStep(info, steps[rng_.Below(n)]);
        break;
      case 9:
        if (n > 0) steps[rng_.Below(n)] = WrongType();
        break;
      case 10:  // the same (often heavy) step many times
        if (n > 0) {
          const Json copy = steps[rng_.Below(n)];
          for (uint64_t k = 2 + rng_.Below(63); k > 0; --k) steps.push_back(copy);
        }
        break;
      case 11: {
        static const Json kSeeds[] = {0, -1, 1.5, "7", nullptr, std::numeric_limits<uint64_t>::max()};
        if (rng_.OneIn(4)) doc.erase("seed");
        else if (rng_.OneIn(3)) doc["seed"] = kSeeds[rng_.Below(std::size(kSeeds))];
        else if (rng_.OneIn(8)) doc["seed"] = Raw(rng_.Pick(kRawNumbers));
        else doc["seed"] = rng_.Next() >> rng_.Below(64);
        break;
      }
      case 12:
      case 13: MutateConfig(info, doc); break;
      case 14: {
        const uint64_t r = rng_.Below(8);
        if (r == 0) doc["sim"] = "nope";
        else if (r == 1) doc["sim"] = WrongType();
        else if (r == 2) doc.erase("sim");
        else doc["sim"] = rng_.Pick(sdp::AllSims()).name;
        break;
      }
      default: {
        static const char* const kKeys[] = {"title", "description", "colour", "Steps"};
        const char* key = kKeys[rng_.Below(std::size(kKeys))];
        if (rng_.OneIn(4)) doc.erase(key);
        else doc[key] = rng_.OneIn(2) ? WrongType() : StringValue(sdp::StringField("", false, 0, 200, ""));
      }
    }
  }

  std::string Serialise(const Json& doc) {
    const bool ascii = rng_.OneIn(8);
    std::string out = doc.dump(rng_.OneIn(8) ? 2 : -1, ' ', ascii, Json::error_handler_t::replace);
    for (size_t i = 0; i < raw_.size(); ++i) {
      const std::string token = "\"\\u0001RAW" + std::to_string(i) + "\\u0001\"";
      for (size_t at = out.find(token); at != std::string::npos; at = out.find(token, at)) {
        out.replace(at, token.size(), raw_[i]);
        at += raw_[i].size();
      }
    }
    if (rng_.OneIn(8)) {  // invalid UTF-8 straight into the text, just inside a string
      const size_t quote = out.find('"', rng_.Below(out.size()));
      if (quote != std::string::npos) out.insert(quote + 1, rng_.Pick(kBadUtf8));
    }
    if (rng_.OneIn(64)) out.insert(0, "\xef\xbb\xbf");  // a byte-order mark
    return out;
  }

  Rng rng_;
  std::vector<std::string> raw_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // No extra checks after 6 s: one run of the heaviest scenario the limits
  // allow takes about that long under the sanitizers, inside -timeout=25.
  static const sdp::fuzz::CheckOptions kOptions{.seconds = 6};
  const std::string problem = sdp::fuzz::CheckScenarioText(
      std::string_view(reinterpret_cast<const char*>(data), size), kOptions);
  if (!problem.empty()) {
    std::fprintf(stderr, "scenario_fuzzer: property broken: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  if (seed % 2 == 0) return LLVMFuzzerMutate(data, size, max_size);
  std::string out;
  try {
    out = Mutator(seed / 2).Mutate(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {  // a bug in the mutator, not in the target
    std::fprintf(stderr, "scenario_fuzzer: mutator threw: %s\n", e.what());
    std::abort();
  }
  if (out.empty() || out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
