// What every simulation offers the scenario runner, the CLI and the wasm layer.
//
// A simulation declares its config fields and its ops as data (SimInfo). The
// runner validates every step against that declaration *before* the sim sees
// it, so messages about missing fields, wrong types and out-of-range numbers
// are uniform across sims and always name the field and what is allowed. The
// same declaration feeds `sdp list` and the generated bad-input tests.
//
// A sim's Apply() receives only validated arguments but must still refuse
// what depends on its state (an unknown node id, say) and, when it refuses,
// leave its state exactly as it was.
#ifndef SDP_SIMULATION_H_
#define SDP_SIMULATION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/status.h"

namespace sdp {

using Json = nlohmann::json;

// kJson: any JSON value up to max_length bytes when serialised (a request's
// headers or body, say); the sim checks its shape and names the field.
enum class FieldType { kString, kInt, kNumber, kBool, kJson };

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kString;
  bool required = false;
  std::string help;
  // kInt / kNumber: inclusive range. kInt also keeps it exactly (a double
  // cannot hold every 64-bit integer, e.g. INT64_MAX).
  double min = 0;
  double max = 0;
  int64_t int_min = 0;
  int64_t int_max = 0;
  // kString: length in bytes (kJson: max_length, serialised), and (if not empty) the only values allowed.
  uint32_t min_length = 0;
  uint32_t max_length = 0;
  std::vector<std::string> one_of;

  // One line saying what is allowed, e.g. `integer in [1, 500]`.
  std::string Describe() const;
  Json ToJson() const;
};

// Small builders so that sims declare fields in one readable line each.
FieldSpec StringField(std::string name, bool required, uint32_t min_length,
                      uint32_t max_length, std::string help);
FieldSpec EnumField(std::string name, bool required, std::vector<std::string> one_of,
                    std::string help);
FieldSpec IntField(std::string name, bool required, int64_t min, int64_t max, std::string help);
FieldSpec NumberField(std::string name, bool required, double min, double max, std::string help);
FieldSpec BoolField(std::string name, bool required, std::string help);
FieldSpec JsonField(std::string name, bool required, uint32_t max_bytes, std::string help);

// One field list from several: sims share groups of fields between their
// config and their ops.
template <typename... Lists>
std::vector<FieldSpec> ConcatFields(std::vector<FieldSpec> first, const Lists&... rest) {
  (first.insert(first.end(), rest.begin(), rest.end()), ...);
  return first;
}

struct OpSpec {
  std::string name;
  std::string help;
  std::vector<FieldSpec> fields;
  Json ToJson() const;
};

// Checks `args` (an object) against `fields`: unknown fields, missing required
// ones, types, ranges. `context` prefixes the message (e.g. "add_node").
Status ValidateFields(std::string_view context, const std::vector<FieldSpec>& fields,
                      const Json& args);

class Simulation {
 public:
  enum class Detail { kFull, kSummary };

  virtual ~Simulation() = default;
  // REQUIRES: `op` is one of the sim's OpSpecs and `args` passed ValidateFields.
  // On error the state is unchanged.
  virtual Result<Json> Apply(const std::string& op, const Json& args) = 0;
  // kFull is the scenario contract's snapshot; kSummary leaves out per-item
  // bulk data (widgets read that through Column()).
  virtual Json Snapshot(Detail detail) const = 0;
  // Work done so far in rough units of ~0.2 us natively (an item hashed or
  // re-assigned); RunScenario stops applying steps at its work budget.
  virtual uint64_t Work() const { return 0; }
  // An independent copy: same state, same random generator, nothing shared
  // (SimSession keeps clones as checkpoints). Sims implement it once, through
  // Cloneable (clone.h); null means this sim cannot be copied and a session
  // rebuilds it by replay from the start instead.
  virtual std::unique_ptr<Simulation> Clone() const { return nullptr; }
  // Bulk numeric data for renderers, copied out in one go; empty if unknown.
  virtual std::vector<uint32_t> Column(std::string_view name) const {
    (void)name;
    return {};
  }
};

struct SimInfo {
  std::string name;
  std::string help;
  std::vector<FieldSpec> config;
  std::vector<OpSpec> ops;
  // REQUIRES: config passed ValidateFields(config fields). May still refuse
  // combinations of fields.
  std::function<Result<std::unique_ptr<Simulation>>(uint64_t seed, const Json& config)> create;

  const OpSpec* FindOp(std::string_view op) const;
  Json ToJson() const;
};

// Every simulation, in the order `sdp list` prints them.
const std::vector<SimInfo>& AllSims();
const SimInfo* FindSim(std::string_view name);

// Validates config, then creates the sim.
Result<std::unique_ptr<Simulation>> CreateSim(const SimInfo& info, uint64_t seed,
                                              const Json& config);
// Validates one step ({"op": name, ...fields}) and applies it. Every failure,
// whatever its cause, comes back as a Status. A refusal leaves `sim`
// unchanged; an exception from inside the sim (std::bad_alloc) may have
// stopped it part-way, which only a SimSession (sim_session.h) can undo.
Result<Json> ApplyStep(const SimInfo& info, Simulation& sim, const Json& step);
// ApplyStep, except that an exception from inside the sim propagates: the
// caller must then assume `sim` is part-way through the step.
Result<Json> ApplyStepOrThrow(const SimInfo& info, Simulation& sim, const Json& step);
// The step's op, for messages ("step" if it names none, or a very long one).
std::string StepName(const Json& step);

}  // namespace sdp

#endif  // SDP_SIMULATION_H_
