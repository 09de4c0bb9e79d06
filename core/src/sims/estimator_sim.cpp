#include "sdp/estimator_sim.h"

#include <cctype>

namespace sdp {
namespace {

constexpr uint64_t kMaxRatioPart = 10000;

// "10:1" -> {10, 1}; whole numbers 0-10000, not both 0.
bool ParseRatio(const std::string& text, uint64_t* reads, uint64_t* writes) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return false;
  auto part = [](const std::string& s, uint64_t* out) {
    if (s.empty() || s.size() > 5) return false;
    uint64_t v = 0;
    for (char c : s) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    *out = v;
    return v <= kMaxRatioPart;
  };
  return part(text.substr(0, colon), reads) && part(text.substr(colon + 1), writes) && *reads + *writes > 0;
}

// x read to `scale` (1000: thousandths), half up. Only IEEE basic operations,
// which native and wasm round the same way.
uint64_t Scaled(const Json& value, double scale) {
  return static_cast<uint64_t>(value.get<double>() * scale + 0.5);
}

std::string LatencyText(uint64_t ps) {
  struct Unit {
    uint64_t ps;
    const char* name;
  };
  static const Unit kUnits[] = {{1000000000000ULL, "s"}, {1000000000, "ms"}, {1000000, "µs"}, {1000, "ns"}};
  for (const Unit& u : kUnits) {
    if (ps < u.ps && u.ps != 1000) continue;
    if (ps % u.ps == 0) return estimator::Grouped(ps / u.ps) + " " + u.name;
    const uint64_t tenths = ps * 10 / u.ps;  // the table's only fraction: 0.5 ns
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " + u.name;
  }
  return "";
}

Json InputsJson(const estimator::Inputs& in) {
  return Json{{"dau", in.dau},
              {"requests_per_user_per_day", in.requests_per_user_per_day},
              {"read_write_ratio", std::to_string(in.read_parts) + ":" + std::to_string(in.write_parts)},
              {"peak_factor", static_cast<double>(in.peak_factor_milli) / 1000.0},
              {"object_bytes", in.object_bytes},
              {"retention_days", in.retention_days},
              {"replication", in.replication},
              {"cache_share", static_cast<double>(in.cache_share_ppm) / 1000000.0},
              {"per_server_qps", in.per_server_qps},
              {"per_shard_bytes", in.per_shard_bytes},
              {"p99_ms", in.p99_ms}};
}

}  // namespace

Result<estimator::Inputs> ParseEstimatorInputs(const Json& inputs, std::vector<std::string>* defaulted) {
  if (!inputs.is_object()) {
    return Status::Invalid("estimate: field \"inputs\" must be an object such as {\"dau\": 100000000} (got " +
                           inputs.dump().substr(0, 40) + ")");
  }
  SDP_RETURN_IF_ERROR(ValidateFields("estimate: inputs", EstimatorInputFields(), inputs));
  estimator::Inputs in;
  defaulted->clear();
  for (const FieldSpec& f : EstimatorInputFields()) {
    if (!inputs.contains(f.name)) defaulted->push_back(f.name);
  }
  in.dau = inputs.value("dau", in.dau);
  in.requests_per_user_per_day = inputs.value("requests_per_user_per_day", in.requests_per_user_per_day);
  if (inputs.contains("read_write_ratio")) {
    const std::string& ratio = inputs["read_write_ratio"].get_ref<const std::string&>();
    if (!ParseRatio(ratio, &in.read_parts, &in.write_parts)) {
      return Status::Invalid("estimate: inputs: field \"read_write_ratio\" must be \"r:w\", two whole numbers 0-" +
                             std::to_string(kMaxRatioPart) + " not both 0, such as \"10:1\" (got \"" +
                             ratio.substr(0, 11) + "\")");
    }
  }
  if (inputs.contains("peak_factor")) in.peak_factor_milli = Scaled(inputs["peak_factor"], 1000.0);
  in.object_bytes = inputs.value("object_bytes", in.object_bytes);
  in.retention_days = inputs.value("retention_days", in.retention_days);
  in.replication = inputs.value("replication", in.replication);
  if (inputs.contains("cache_share")) in.cache_share_ppm = Scaled(inputs["cache_share"], 1000000.0);
  in.per_server_qps = inputs.value("per_server_qps", in.per_server_qps);
  in.per_shard_bytes = inputs.value("per_shard_bytes", in.per_shard_bytes);
  in.p99_ms = inputs.value("p99_ms", in.p99_ms);
  return in;
}

EstimatorSim::EstimatorSim(uint64_t seed) {
  (void)seed;  // nothing here is random
  for (const FieldSpec& f : EstimatorInputFields()) defaulted_.push_back(f.name);
  Result<estimator::Estimates> first = estimator::Estimate(inputs_);
  SDP_CHECK(first.ok());  // the defaults always fit
  estimates_now_ = std::move(first).value();
}

Result<Json> EstimatorSim::Apply(const std::string& op, const Json& args) {
  (void)op;  // estimate is the only op
  std::vector<std::string> defaulted;
  Result<estimator::Inputs> inputs = ParseEstimatorInputs(args.value("inputs", Json::object()), &defaulted);
  if (!inputs.ok()) return inputs.status();
  Result<estimator::Estimates> est = estimator::Estimate(inputs.value());
  if (!est.ok()) return est.status();
  // Nothing has changed until here: a refusal above leaves the last estimate.
  inputs_ = inputs.value();
  defaulted_ = std::move(defaulted);
  estimates_now_ = std::move(est).value();
  ++estimates_;
  Json values = Json::object();
  Json text = Json::object();
  for (const estimator::Output& o : estimates_now_.outputs) {
    values[o.key] = estimator::ValueJson(o);
    text[o.key] = estimator::ValueText(o);
  }
  return Json{{"values", values}, {"text", text}};
}

Json EstimatorSim::Snapshot(Detail detail) const {
  (void)detail;  // small either way
  Json outputs = Json::object();
  Json order = Json::array();
  for (const estimator::Output& o : estimates_now_.outputs) {
    outputs[o.key] = Json{{"label", o.label}, {"group", o.group}, {"unit", o.unit}, {"formula", o.formula},
                          {"value", estimator::ValueJson(o)}, {"text", estimator::ValueText(o)}};
    order.push_back(o.key);
  }
  Json latency = Json::array();
  const uint64_t budget_ps = inputs_.p99_ms * 1000000000ULL;
  for (const estimator::Latency& l : estimator::LatencyNumbers()) {
    latency.push_back(Json{{"key", l.key}, {"label", l.label}, {"ns", static_cast<double>(l.ps) / 1000.0},
                           {"text", LatencyText(l.ps)}, {"fits_in_p99", budget_ps / l.ps}});
  }
  return Json{{"inputs", InputsJson(inputs_)}, {"defaulted", defaulted_}, {"outputs", outputs},
              {"order", order}, {"latency", latency},
              {"latency_source", "Latency Comparison Numbers (~2012), Jeff Dean after Peter Norvig, "
                                 "gist.github.com/jboner/2841832"},
              {"estimates", estimates_}};
}

}  // namespace sdp
