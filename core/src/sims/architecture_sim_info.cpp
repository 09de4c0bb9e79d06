// The declaration of `architecture`: its config, its ops and their fields.
#include "sdp/architecture_sim.h"
#include "sdp/estimator_sim.h"

namespace sdp {

SimInfo ArchitectureSimInfo() {
  SimInfo info;
  info.name = "architecture";
  info.help = "A runnable high-level design: wire clients, DNS, CDN, API gateway, load balancer, services, cache, "
              "database, queue and search index; run traffic through them; per-component throughput, p50/p99, "
              "utilization, queues and errors; faults; alert rules; the estimate checked against the run";
  info.config = {IntField("slo_ms", false, 1, 600000, "the end-to-end p99 objective the alerts use (default 200)"),
                 EnumField("problem", false, {"custom", "url_shortener", "chat", "news_feed"},
                           "the worksheet's problem (default custom); the widget offers its worked answers")};
  std::string params;
  for (const std::string& k : architecture::KindNames()) {
    architecture::Kind kind;
    architecture::ParseKind(k, &kind);
    std::string list;
    for (const FieldSpec& f : architecture::KindParams(kind)) list += (list.empty() ? "" : ", ") + f.name;
    if (!list.empty()) params += (params.empty() ? "" : "; ") + k + ": " + list;
  }
  const auto id_field = [](const char* name, const char* help) { return StringField(name, true, 1, 32, help); };
  info.ops = {
      {"component_add", "add a component; its params depend on its kind",
       {id_field("id", "a unique name, e.g. \"db\""), EnumField("kind", true, architecture::KindNames(), "what the component is"),
        JsonField("params", false, 1024, "an object of the kind's params (" + params + ")")}},
      {"component_remove", "remove a component and its connections (refused while requests are in it)",
       {id_field("id", "the component's id")}},
      {"connect", "requests flow from one component to another", {id_field("from", "the sender"), id_field("to", "the receiver")}},
      {"disconnect", "remove a connection", {id_field("from", "the sender"), id_field("to", "the receiver")}},
      {"traffic", "requests per second, split evenly over the clients, and the share of reads",
       {NumberField("rps", true, 0, 100000, "requests per second over all clients"),
        NumberField("mix", false, 0, 1, "share of reads, the rest are writes (default 0.9)")}},
      {"fault", "inject a fault, or heal one component",
       {id_field("component", "the component's id"),
        EnumField("kind", true, {"kill_replica", "partition", "slow", "spike", "heal"},
                  "kill_replica (database: a read replica; service: one replica), partition (unreachable; a cache "
                  "misses everything), slow (service times x10), spike (a client sends 5x), heal (undo all)")}},
      {"advance", "run simulated time; the stats and alerts are this window's",
       {IntField("ms", true, 1, 600000, "milliseconds to run; at high rates advance in chunks (10 s at 10k rps)")}},
      {"worksheet", "write the answer to one of the ten design steps",
       {IntField("step", true, 1, 10, "the step, 1-10"), StringField("text", true, 0, 4000, "the answer")}},
      {"estimate", "the estimator's numbers, for step 9's check against the run",
       {JsonField("inputs", false, 2048, "the estimator's inputs (docs/estimator.md)")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    const SimTime slo = config.value("slo_ms", int64_t{200}) * kMicrosPerMilli;
    return std::unique_ptr<Simulation>(
        std::make_unique<ArchitectureSim>(seed, slo, config.value("problem", std::string("custom"))));
  };
  return info;
}

}  // namespace sdp
