#include "sdp/scenario.h"

#include <exception>
#include <new>

#include "sdp/sim_session.h"

namespace sdp {
namespace {

constexpr std::string_view kScenarioKeys[] = {"sim", "seed", "config", "steps", "title",
                                              "description"};

}  // namespace

const OpSpec* SimInfo::FindOp(std::string_view op) const {
  for (const OpSpec& spec : ops) {
    if (spec.name == op) return &spec;
  }
  return nullptr;
}

Json SimInfo::ToJson() const {
  Json config_json = Json::array();
  for (const FieldSpec& f : config) config_json.push_back(f.ToJson());
  Json ops_json = Json::array();
  for (const OpSpec& op : ops) ops_json.push_back(op.ToJson());
  return {{"sim", name}, {"help", help}, {"config", config_json}, {"ops", ops_json}};
}

const SimInfo* FindSim(std::string_view name) {
  for (const SimInfo& info : AllSims()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

Result<std::unique_ptr<Simulation>> CreateSim(const SimInfo& info, uint64_t seed,
                                              const Json& config) {
  SDP_RETURN_IF_ERROR(ValidateFields("config", info.config, config));
  try {
    return info.create(seed, config);
  } catch (const std::bad_alloc&) {
    return Status::Invalid("out of memory: creating the simulation needs more memory than is left");
  } catch (const std::exception& e) {
    return Status::Invalid(std::string("config: ") + e.what());
  }
}

Result<Json> ApplyStep(const SimInfo& info, Simulation& sim, const Json& step) {
  try {
    return ApplyStepOrThrow(info, sim, step);
  } catch (const std::bad_alloc&) {
    return Status::Invalid(StepName(step) + ": out of memory");
  } catch (const std::exception& e) {
    return Status::Invalid(StepName(step) + ": internal error: " + e.what());
  }
}

Result<Json> ApplyStepOrThrow(const SimInfo& info, Simulation& sim, const Json& step) {
  if (!step.is_object()) return Status::Invalid("a step must be a JSON object like {\"op\": ...}");
  const auto op_it = step.find("op");
  if (op_it == step.end() || !op_it->is_string()) {
    return Status::Invalid("a step needs \"op\": a string naming the operation");
  }
  const std::string& op = op_it->get_ref<const std::string&>();
  const OpSpec* spec = info.FindOp(op);
  if (spec == nullptr) {
    std::string names;
    for (const OpSpec& o : info.ops) names += (names.empty() ? "" : ", ") + o.name;
    std::string shown = op.size() > 40 ? op.substr(0, 37) + "..." : op;
    return Status::Invalid("unknown op \"" + Json(shown).get<std::string>() + "\" for " +
                           info.name + "; allowed: " + names);
  }
  SDP_RETURN_IF_ERROR(ValidateFields(op, spec->fields, step));
  return sim.Apply(op, step);
}

std::string StepName(const Json& step) {
  const auto op = step.find("op");  // end() for a step that is not an object
  if (op == step.end() || !op->is_string()) return "step";
  const std::string& name = op->get_ref<const std::string&>();
  return name.size() > 40 ? "step" : name;
}

Result<Json> ParseJson(std::string_view text) {
  // Depth of [ and { outside strings: exact for valid JSON, and invalid JSON
  // fails to parse anyway.
  uint32_t depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (escaped) {
      escaped = false;
    } else if (in_string) {
      escaped = c == '\\';
      in_string = c != '"';
    } else if (c == '"') {
      in_string = true;
    } else if ((c == '[' || c == '{') && ++depth > kMaxJsonDepth) {
      return Status::Invalid("JSON nested too deeply: more than " + std::to_string(kMaxJsonDepth) +
                             " levels of [ ] or { } (at byte " + std::to_string(i) + ")");
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e400
    return Status::Invalid(std::string("not valid JSON: ") + e.what());
  }
}

Result<Json> RunScenario(const Json& scenario, uint64_t work_budget) {
  if (!scenario.is_object()) return Status::Invalid("scenario: expected a JSON object");
  for (const auto& [key, value] : scenario.items()) {
    bool known = false;
    for (std::string_view allowed : kScenarioKeys) known = known || allowed == key;
    if (!known) {
      return Status::Invalid("scenario: unknown field \"" + key +
                             "\"; allowed: sim, seed, config, steps, title, description");
    }
  }
  const auto sim_it = scenario.find("sim");
  if (sim_it == scenario.end() || !sim_it->is_string()) {
    return Status::Invalid("scenario: missing \"sim\" (a string; `sdp list` shows the sims)");
  }
  const std::string& name = sim_it->get_ref<const std::string&>();
  const SimInfo* info = FindSim(name);
  if (info == nullptr) {
    std::string names;
    for (const SimInfo& s : AllSims()) names += (names.empty() ? "" : ", ") + s.name;
    return Status::Invalid("scenario: unknown sim \"" + name + "\"; known: " + names);
  }
  uint64_t seed = kDefaultSeed;
  if (const auto it = scenario.find("seed"); it != scenario.end()) {
    // Parsed JSON makes non-negative integers unsigned; built ones may be signed.
    const bool non_negative =
        it->is_number_unsigned() || (it->is_number_integer() && it->get<int64_t>() >= 0);
    if (!non_negative) return Status::Invalid("scenario: \"seed\" must be a non-negative integer");
    seed = it->get<uint64_t>();
  }
  Json config = Json::object();
  if (const auto it = scenario.find("config"); it != scenario.end()) config = *it;
  Json steps = Json::array();
  if (const auto it = scenario.find("steps"); it != scenario.end()) {
    if (!it->is_array()) return Status::Invalid("scenario: \"steps\" must be an array");
    if (it->size() > kMaxSteps) {
      return Status::Invalid("scenario: too many steps (" + std::to_string(it->size()) +
                             "); at most " + std::to_string(kMaxSteps));
    }
    steps = *it;
  }
  // A session, so that a step that runs out of memory part-way is undone
  // like any refused step (sim_session.h).
  Result<SimSession> opened = SimSession::Open(*info, seed, std::move(config));
  if (!opened.ok()) return Status::Invalid("scenario: " + opened.message());
  SimSession& session = opened.value();

  Json results = Json::array();
  // The units every step used, refused ones too: a step refused at its
  // budget does its work before it is undone, so steps that each stop at
  // the budget would otherwise run for hours in a long enough scenario.
  uint64_t spent = 0;
  for (Json& step : steps) {
    if (session.ok() && (session.sim().Work() >= work_budget || spent >= work_budget)) {
      results.push_back({{"error", "scenario: work budget used up (" + std::to_string(work_budget) +
                                       " units); this step was not run: split the scenario "
                                       "(or raise sdp run --work-budget)"}});
      continue;
    }
    Result<Json> result = session.Apply(std::move(step));
    spent += session.last_step_units();
    results.push_back(result.ok() ? std::move(result).value() : Json{{"error", result.message()}});
  }
  if (!session.ok()) {
    return Status::Invalid("scenario: out of memory: the simulation could not be rebuilt after a "
                           "step ran out of memory");
  }
  return Json{{"sim", name},
              {"results", std::move(results)},
              {"snapshot", session.sim().Snapshot(Simulation::Detail::kFull)}};
}

Result<std::string> RunScenarioText(std::string_view text, uint64_t work_budget) {
  Result<Json> parsed = ParseJson(text);
  if (!parsed.ok()) return parsed.status();
  Result<Json> out = RunScenario(parsed.value(), work_budget);
  if (!out.ok()) return out.status();
  return out.value().dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json ListSims() {
  Json sims = Json::array();
  for (const SimInfo& info : AllSims()) sims.push_back(info.ToJson());
  return {{"sims", sims}};
}

}  // namespace sdp
