// The declaration of `gossip`: its fields (shared by the config and the
// `strategy` op) and how they map onto the config.
#include "sdp/gossip_sim.h"

#include "sims/sim_text.h"

namespace sdp {
namespace {

std::vector<FieldSpec> GossipStrategyFields(bool kind_required) {
  return {
      EnumField("kind", kind_required, {"anti_entropy", "rumor"},
                "anti_entropy: every node compares with partners forever; rumor: hot nodes spread until they lose interest"),
      EnumField("direction", false, {"push", "pull", "push_pull"},
                "push sends the update, pull asks for it, push_pull both (default push)"),
      IntField("fanout", false, 1, GossipSim::kMaxFanout,
               "partners each node contacts a round; below the number of nodes (default 1)"),
      IntField("k", false, 1, GossipSim::kMaxK,
               "rumor: lose interest after k sends (counter) or with probability 1/k (coin) (default 1)"),
      BoolField("feedback", false, "rumor: true = only unnecessary sends count (the recipient knew); false = blind (default true)"),
      BoolField("counter", false, "rumor: true = a counter of k; false = a coin with probability 1/k (default true)"),
      EnumField("timing", false, {"rounds", "async"},
                "rounds: synchronous rounds (op round); async: each node gossips on its own timer and messages take a network delay (op advance) (default rounds)"),
      IntField("period_ms", false, 1, 60000, "async: each node's gossip timer, T (default 1000)"),
      IntField("jitter_ms", false, 0, 59999, "async: each period lasts T plus or minus this, uniform; below period_ms (default 100)"),
      IntField("delay_ms", false, 0, 60000, "async: one-way network delay of a message, mean (default 50)"),
      IntField("delay_jitter_ms", false, 0, 60000, "async: the delay varies by plus or minus this, uniform; at most delay_ms (default 25)"),
  };
}

FieldSpec GossipLossField(const char* name, bool required) {
  return NumberField(name, required, 0, 1, "probability that a message is lost, 0..1 (default 0)");
}

}  // namespace

Result<GossipSim::Config> GossipSim::Config::With(const Config& base, const Json& args) {
  Config c = base;
  c.nodes = args.value("nodes", c.nodes);
  gossip::Strategy& s = c.strategy;
  if (args.contains("kind")) s.kind = args["kind"] == "anti_entropy" ? gossip::Kind::kAntiEntropy : gossip::Kind::kRumor;
  if (args.contains("direction")) {
    const std::string d = args["direction"];
    s.direction = d == "pull" ? gossip::Direction::kPull : d == "push_pull" ? gossip::Direction::kPushPull : gossip::Direction::kPush;
  }
  s.fanout = args.value("fanout", s.fanout);
  s.k = args.value("k", s.k);
  s.feedback = args.value("feedback", s.feedback);
  s.counter = args.value("counter", s.counter);
  c.loss = args.value("loss", c.loss);
  if (args.contains("timing")) c.async = args["timing"] == "async";
  gossip::AsyncTiming& t = c.timing;
  t.period_ms = args.value("period_ms", t.period_ms);
  t.jitter_ms = args.value("jitter_ms", t.jitter_ms);
  t.delay_ms = args.value("delay_ms", t.delay_ms);
  t.delay_jitter_ms = args.value("delay_jitter_ms", t.delay_jitter_ms);
  if (t.jitter_ms >= t.period_ms) {
    return Status::Invalid("field \"jitter_ms\" must be below \"period_ms\" (" + Str(t.period_ms) +
                           "): a period lasts period_ms plus or minus the jitter and must stay positive; got " +
                           Str(t.jitter_ms));
  }
  if (t.delay_jitter_ms > t.delay_ms) {
    return Status::Invalid("field \"delay_jitter_ms\" must be at most \"delay_ms\" (" + Str(t.delay_ms) +
                           "): a delay cannot be negative; got " + Str(t.delay_jitter_ms));
  }
  if (s.fanout >= c.nodes) {
    return Status::Invalid("field \"fanout\" must be below the number of nodes (" + Str(c.nodes) +
                           "): a node has only " + Str(c.nodes - 1) + " others to contact; got " +
                           Str(s.fanout));
  }
  return c;
}

Json GossipSim::Config::ToJson() const {
  Json out = {{"nodes", nodes},
          {"kind", gossip::KindName(strategy.kind)},
          {"direction", gossip::DirectionName(strategy.direction)},
          {"fanout", strategy.fanout},
          {"k", strategy.k},
          {"feedback", strategy.feedback},
          {"counter", strategy.counter},
          {"loss", loss}};
  // Async fields only in async mode: rounds-mode snapshots keep their bytes.
  if (!async) return out;
  out["timing"] = "async";
  out["period_ms"] = timing.period_ms;
  out["jitter_ms"] = timing.jitter_ms;
  out["delay_ms"] = timing.delay_ms;
  out["delay_jitter_ms"] = timing.delay_jitter_ms;
  return out;
}

SimInfo GossipSimInfo() {
  SimInfo info;
  info.name = "gossip";
  info.help = "Epidemic gossip (Demers et al. 1987): anti-entropy and rumour mongering, in rounds or asynchronously; residue and traffic; membership by heartbeat gossip or SWIM";
  info.config = ConcatFields(
      std::vector<FieldSpec>{IntField("nodes", false, GossipSim::kMinNodes, GossipSim::kMaxNodes,
                                      "how many nodes (default 1000)")},
      GossipStrategyFields(false), std::vector<FieldSpec>{GossipLossField("loss", false)});
  const FieldSpec node = IntField("node", false, 0, GossipSim::kMaxNodes - 1, "node index, below the number of nodes");
  info.ops = {
      {"nodes", "start over with this many nodes, nobody informed (keeps the strategy and loss)",
       {IntField("count", true, GossipSim::kMinNodes, GossipSim::kMaxNodes, "how many nodes")}},
      {"strategy", "how nodes gossip from the next round on; omitted fields keep their values",
       GossipStrategyFields(true)},
      {"inject", "a node learns the update (and spreads it)", {node}},
      {"round", "run synchronous rounds (timing rounds)",
       {IntField("count", false, 1, GossipSim::kMaxRoundsPerStep, "how many rounds (default 1)")}},
      {"run", "run rounds (async: periods) until nothing can change (rumour died out, or everyone knows)",
       {IntField("max_rounds", false, 1, GossipSim::kMaxRoundsPerStep, "stop after this many anyway (default 200)")}},
      {"crash", "crash one node, or a share of the live nodes chosen at random",
       {node, NumberField("fraction", false, 0, 1, "share of the live nodes to crash (at least one stays up)")}},
      {"loss", "message loss from now on", {GossipLossField("p", true)}},
      {"membership", "start a failure detector on these nodes at time 0: heartbeat gossip or SWIM (memberlist's defaults); uses the current loss",
       {EnumField("protocol", true, {"heartbeat", "swim"},
                  "heartbeat: gossip whole heartbeat tables (van Renesse et al. 1998); swim: ping, indirect ping, suspicion (Das et al. 2002)"),
        IntField("interval_ms", false, 1, 60000, "heartbeat: gossip interval; swim: protocol period, ProbeInterval (default 1000)"),
        IntField("fanout", false, 1, GossipSim::kMaxFanout, "heartbeat: members each table goes to per interval (default 1)"),
        IntField("fail_ms", false, 1, 3600000, "heartbeat: T_fail, a member silent this long is declared dead (default 15000)"),
        IntField("probe_timeout_ms", false, 1, 59999, "swim: ProbeTimeout, wait for an ack before suspecting; below interval_ms (default 500)"),
        IntField("indirect_checks", false, 0, 10, "swim: IndirectChecks, members asked to ping a silent target (default 3)"),
        IntField("suspicion_mult", false, 1, 20, "swim: SuspicionMult, suspicion timeout = mult * max(1, log10 n) * interval (default 4)"),
        IntField("retransmit_mult", false, 1, 20, "swim: RetransmitMult, each update is piggybacked mult * ceil(log10(n+1)) times (default 4)"),
        IntField("piggyback", false, 1, 50, "swim: updates one message carries at most (default 10)"),
        IntField("gossip_interval_ms", false, 0, 60000, "swim: GossipInterval, how often a member with news gossips it; 0 = only on probes (default 200)"),
        IntField("gossip_nodes", false, 1, 10, "swim: GossipNodes, members each gossip goes to (default 3)")}},
      {"kill", "a member of the membership group stops (no more pings, acks or heartbeats)",
       {IntField("node", true, 0, GossipSim::kMaxNodes - 1, "node index, below the number of nodes")}},
      {"advance", "let simulated time pass: the async epidemic (timing async) and the membership group",
       {IntField("ms", true, 1, GossipSim::kMaxAdvanceMs, "milliseconds")}},
      {"trials", "this many fresh epidemics from one random node each (same nodes, strategy, loss): means of residue, traffic, delays",
       {IntField("count", true, 1, GossipSim::kMaxTrials, "how many epidemics")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Result<GossipSim::Config> c = GossipSim::Config::With(GossipSim::Config(), config);
    if (!c.ok()) return Status::Invalid("config: " + c.message());
    return std::unique_ptr<Simulation>(std::make_unique<GossipSim>(seed, c.value()));
  };
  return info;
}

}  // namespace sdp
