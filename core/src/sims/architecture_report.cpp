// What an architecture run reports: per-component and end-to-end stats of
// the last window, the alert rules ("what would page"), and step 9's check
// of the estimate against the run.
#include <algorithm>

#include "sdp/architecture_sim.h"

namespace sdp {

using architecture::Alert;
using architecture::Kind;
using architecture::Station;

namespace {

constexpr double kSaturation = 0.8;     // utilization that pages
constexpr double kErrorRate = 0.01;     // errors / arrivals that page
constexpr double kConsumerLagS = 10;    // seconds of backlog that page

double Ms(SimTime us) { return static_cast<double>(us) / 1000.0; }
double Ratio(uint64_t a, uint64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); }
// Three decimals, so the JSON stays short and the same on every platform.
double Round3(double x) { return static_cast<double>(static_cast<int64_t>(x * 1000 + (x < 0 ? -0.5 : 0.5))) / 1000; }

Json StatsJson(const architecture::Stats& s, double secs) {
  return Json{{"arrived", s.arrived},
              {"completed", s.completed},
              {"errors", s.errors},
              {"throughput_rps", Round3(secs > 0 ? static_cast<double>(s.completed) / secs : 0)},
              {"error_rate", Round3(Ratio(s.errors, s.arrived))},
              {"mean_ms", Round3(s.completed == 0 ? 0 : static_cast<double>(s.latency_sum) / 1000.0 /
                                                         static_cast<double>(s.completed))},
              {"p50_ms", Ms(s.latency.Percentile(500))},
              {"p99_ms", Ms(s.latency.Percentile(990))}};
}

}  // namespace

Json ArchitectureSim::ComponentJson(const Component& c) const {
  const SimTime span = window_end_ - window_start_;
  const double secs = static_cast<double>(span) / 1e6;
  Json j = Json{{"id", c.id}, {"kind", architecture::KindName(c.kind)}, {"params", c.params}};
  Json out = Json::array();
  for (uint32_t t : c.out) out.push_back(components_[t].id);
  j["to"] = out;
  Json stats = StatsJson(c.window, secs);
  if (!c.stations.empty()) {
    int64_t busy = 0, servers = 0, queue_area = 0;
    uint32_t waiting = 0, max_waiting = 0;
    Json nodes = Json::array();
    for (const Station& s : c.stations) {
      busy += s.busy_area;
      queue_area += s.queue_area;
      if (s.alive) servers += s.servers;
      waiting += static_cast<uint32_t>(s.waiting.size());
      max_waiting = std::max(max_waiting, s.max_waiting);
      nodes.push_back(Json{{"servers", s.servers}, {"alive", s.alive},
                           {"utilization", Round3(span > 0 && s.servers > 0
                                                      ? static_cast<double>(s.busy_area) / static_cast<double>(span) / s.servers
                                                      : 0)}});
    }
    stats["utilization"] = Round3(span > 0 && servers > 0 ? static_cast<double>(busy) / static_cast<double>(span) / servers : 0);
    // The busiest live node: a database's replica saturates while its idle
    // primary keeps the average low.
    double busiest = 0;
    for (const Station& s : c.stations) {
      if (s.alive && s.servers > 0 && span > 0) {
        busiest = std::max(busiest, static_cast<double>(s.busy_area) / static_cast<double>(span) / s.servers);
      }
    }
    stats["utilization_max"] = Round3(busiest);
    stats["queue_length"] = waiting;
    stats["queue_mean"] = Round3(span > 0 ? static_cast<double>(queue_area) / static_cast<double>(span) : 0);
    stats["queue_max"] = max_waiting;
    if (c.kind == Kind::kDatabase) j["nodes"] = nodes;
  }
  if (c.kind == Kind::kCache || c.kind == Kind::kCdn) j["hit_share"] = Round3(c.partitioned ? 0 : c.p.hit_share);
  if (c.kind == Kind::kQueue) {
    stats["backlog"] = static_cast<uint64_t>(c.backlog);
    stats["enqueued"] = c.enqueued;
    stats["lag_s"] = Round3(c.p.consumer_rps > 0 ? c.backlog / c.p.consumer_rps : (c.backlog > 0 ? 1e9 : 0));
  }
  if (c.breaker) j["breaker"] = BreakerStateName(c.breaker->state());
  if (c.limiter) j["rate_limit_rps"] = c.p.rate_limit_rps;
  Json reasons = Json::object();
  for (const auto& [why, n] : c.error_reasons) reasons[why] = n;
  stats["error_reasons"] = reasons;
  j["stats"] = stats;
  Json faults = Json::array();
  if (c.partitioned) faults.push_back("partition");
  if (c.slowed) faults.push_back("slow");
  if (c.spiked) faults.push_back("spike");
  for (uint32_t i = 0; i < c.killed; ++i) faults.push_back("kill_replica");
  j["faults"] = faults;
  return j;
}

void ArchitectureSim::EvaluateAlerts() {
  alerts_.clear();
  const double secs = static_cast<double>(window_end_ - window_start_) / 1e6;
  auto fire = [&](std::string rule, std::string comp, double value, double threshold, std::string text) {
    alerts_.push_back(Alert{std::move(rule), std::move(comp), Round3(value), threshold, std::move(text)});
  };
  for (const Component& c : components_) {
    const Json j = ComponentJson(c);
    const Json& s = j["stats"];
    if (s.contains("utilization_max") && s["utilization_max"].get<double>() > kSaturation) {
      fire("saturation", c.id, s["utilization_max"], kSaturation,
           c.id + " is saturated: utilization " + Json(Round3(s["utilization_max"].get<double>() * 100)).dump() +
               " % > 80 %" + (c.stations.size() > 1 ? " on its busiest node" : ""));
    }
    if (c.window.arrived > 0 && Ratio(c.window.errors, c.window.arrived) > kErrorRate) {
      fire("error_rate", c.id, Ratio(c.window.errors, c.window.arrived), kErrorRate,
           c.id + " fails " + Json(Round3(Ratio(c.window.errors, c.window.arrived) * 100)).dump() + " % of requests > 1 %");
    }
    if (c.kind == Kind::kQueue && s["lag_s"].get<double>() > kConsumerLagS) {
      fire("consumer_lag", c.id, s["lag_s"], kConsumerLagS,
           c.id + "'s consumers are " + Json(s["lag_s"]).dump() + " s behind > 10 s");
    }
  }
  if (e2e_window_.arrived > 0 && Ratio(e2e_window_.errors, e2e_window_.arrived) > kErrorRate) {
    fire("error_rate", "", Ratio(e2e_window_.errors, e2e_window_.arrived), kErrorRate,
         "end to end: " + Json(Round3(Ratio(e2e_window_.errors, e2e_window_.arrived) * 100)).dump() +
             " % of requests fail > 1 %");
  }
  const SimTime p99 = e2e_window_.latency.Percentile(990);
  if (e2e_window_.latency.count() > 0 && p99 > slo_) {
    fire("p99_slo", "", Ms(p99), Ms(slo_),
         "end to end: p99 " + Json(Ms(p99)).dump() + " ms > the SLO of " + Json(Ms(slo_)).dump() + " ms");
  }
  (void)secs;
  for (const Alert& a : alerts_) {
    ++pages_total_;
    if (pages_.size() >= 200) pages_.erase(pages_.begin());
    pages_.push_back(Json{{"time_ms", window_end_ / kMicrosPerMilli}, {"rule", a.rule}, {"component", a.component},
                          {"message", a.message}});
  }
}

// Step 9: the estimate's numbers beside what the run measured. A check
// passes when the run carried the estimated peak within 1 % and its p99
// met the SLO; storage per day is projected from the measured write rate
// (scaled from peak down to an average day by the estimate's peak factor),
// and holds within 25 %: a run of seconds counts few writes (`sample`).
Json ArchitectureSim::VerifyJson() const {
  if (!estimate_) return nullptr;
  const double secs = static_cast<double>(window_end_ - window_start_) / 1e6;
  const Json& v = (*estimate_)["values"];
  const double throughput = secs > 0 ? static_cast<double>(e2e_window_.completed) / secs : 0;
  const double writes = secs > 0 ? static_cast<double>(window_writes_) / secs : 0;
  const double peak = v["peak_qps"].get<double>();
  const double peak_factor = static_cast<double>(peak_factor_milli_) / 1000.0;
  const double storage_day = writes / peak_factor * 86400.0 * static_cast<double>(object_bytes_) *
                             static_cast<double>(replication_);
  const double p99 = Ms(e2e_window_.latency.Percentile(990));
  uint32_t service_replicas = 0;
  for (const Component& c : components_) {
    if (c.kind == Kind::kService) service_replicas += c.p.replicas - c.killed;
  }
  Json checks = Json::array();
  checks.push_back(Json{{"key", "peak_qps"}, {"label", "carries the peak QPS"}, {"estimate", peak},
                        {"measured", Round3(throughput)}, {"unit", "req/s"},
                        {"pass", throughput >= 0.99 * peak}});
  checks.push_back(Json{{"key", "peak_write_qps"}, {"label", "write rate at peak"},
                        {"estimate", v["peak_write_qps"]}, {"measured", Round3(writes)}, {"unit", "req/s"},
                        {"sample", window_writes_},
                        {"pass", writes >= 0.75 * v["peak_write_qps"].get<double>()}});
  checks.push_back(Json{{"key", "storage_per_day"}, {"label", "storage per day (measured writes, average day)"},
                        {"estimate", v["storage_per_day"]}, {"measured", Round3(storage_day)}, {"unit", "B"},
                        {"sample", window_writes_},
                        {"pass", storage_day >= 0.75 * v["storage_per_day"].get<double>() &&
                                     storage_day <= 1.25 * v["storage_per_day"].get<double>()}});
  checks.push_back(Json{{"key", "p99"}, {"label", "p99 within the SLO"}, {"estimate", Ms(slo_)},
                        {"measured", p99}, {"unit", "ms"}, {"pass", p99 <= Ms(slo_)}});
  checks.push_back(Json{{"key", "servers"}, {"label", "service replicas vs servers estimated"},
                        {"estimate", v["servers"]}, {"measured", service_replicas}, {"unit", "servers"},
                        {"pass", service_replicas >= v["servers"].get<double>()}});
  return checks;
}

Json ArchitectureSim::Snapshot(Detail detail) const {
  (void)detail;
  const double secs = static_cast<double>(window_end_ - window_start_) / 1e6;
  Json comps = Json::array();
  for (const Component& c : components_) comps.push_back(ComponentJson(c));
  Json alerts = Json::array();
  for (const Alert& a : alerts_) {
    alerts.push_back(Json{{"rule", a.rule}, {"component", a.component}, {"value", a.value},
                          {"threshold", a.threshold}, {"message", a.message}});
  }
  Json e2e = StatsJson(e2e_window_, secs);
  e2e["reads"] = window_reads_;
  e2e["writes"] = window_writes_;
  Json j = Json{{"time_ms", events_.now() / kMicrosPerMilli},
                {"window_ms", (window_end_ - window_start_) / kMicrosPerMilli},
                {"slo_ms", Ms(slo_)},
                {"traffic", Json{{"rps", rps_}, {"mix", read_share_}}},
                {"components", comps},
                {"end_to_end", e2e},
                {"total", StatsJson(e2e_total_, static_cast<double>(events_.now()) / 1e6)},
                {"alerts", alerts},
                {"pages", pages_},
                {"pages_total", pages_total_},
                {"events", events_.executed()},
                {"log", events_.log().ToJson(20)},
                {"problem", problem_},
                {"worksheet", answers_}};
  if (estimate_) {
    j["estimate"] = *estimate_;
    j["verify"] = VerifyJson();
  }
  return j;
}

}  // namespace sdp
