// The declaration of `cap`: its fields (shared by the config and the `mode`
// op) and how they map onto the cluster's config.
#include "sdp/cap_sim.h"

#include "sims/sim_text.h"

namespace sdp {
namespace {

std::vector<FieldSpec> CapModeFields(bool mode_required) {
  const int64_t max_n = CapSim::kMaxReplicas;
  return {
      EnumField("mode", mode_required, {"cp", "ap", "cache_fallback", "cache_fail"},
                "cp: quorums (refuse without one); ap: every replica answers; cache_fallback / cache_fail: r1 is a "
                "database, the others servers with a cache that, when r1 is unreachable, serve reads from the cache "
                "(stale) or refuse them (default cp)"),
      IntField("n", false, CapSim::kMinReplicas, max_n, "replicas r1..rN (default 3)"),
      IntField("r", false, 1, max_n, "cp: replicas a read waits for, at most n (default 2)"),
      IntField("w", false, 1, max_n, "cp: replicas a write waits for, at most n (default 2)"),
      EnumField("conflict", false, {"lww", "vclock"},
                "ap: how concurrent writes resolve; lww = last-writer-wins on (time, replica), vclock = keep "
                "concurrent writes as siblings with vector clocks, a read returns them all (default lww)"),
  };
}

std::vector<FieldSpec> CapNetworkFields() {
  return {
      IntField("clients", false, 1, CapSim::kMaxClients, "clients c1..cM; ci sits beside replica r((i-1) mod n + 1) (default 3)"),
      IntField("link_ms", false, 0, 1000, "replica-to-replica latency, ms (default 10)"),
      IntField("jitter_ms", false, 0, 1000, "plus a uniform random 0..jitter_ms, ms (default 5)"),
      IntField("client_ms", false, 0, 100, "client-to-replica latency, ms (default 1)"),
      IntField("timeout_ms", false, 1, 10000, "cp: how long a coordinator waits for its quorum, ms (default 200)"),
      IntField("anti_entropy_ms", false, 10, 60000, "ap: anti-entropy period, ms (default 1000)"),
  };
}

FieldSpec ReplicaField(const char* name, bool required, const char* help) {
  return StringField(name, required, 2, 2, help);
}

}  // namespace

Result<cap::ClusterConfig> CapConfigWith(const cap::ClusterConfig& base, const Json& args) {
  cap::ClusterConfig c = base;
  if (args.contains("mode")) {
    const std::string mode = args["mode"];
    c.stance = mode == "ap"               ? cap::Stance::kAp
               : mode == "cache_fallback" ? cap::Stance::kCacheFallback
               : mode == "cache_fail"     ? cap::Stance::kCacheFail
                                          : cap::Stance::kCp;
  }
  if (args.contains("conflict")) c.conflict = args["conflict"] == "vclock" ? cap::Conflict::kVclock : cap::Conflict::kLww;
  c.n = args.value("n", c.n);
  c.r = args.value("r", c.r);
  c.w = args.value("w", c.w);
  c.clients = args.value("clients", c.clients);
  c.link_latency = MillisField(args, "link_ms", c.link_latency);
  c.link_jitter = MillisField(args, "jitter_ms", c.link_jitter);
  c.client_latency = MillisField(args, "client_ms", c.client_latency);
  c.timeout = MillisField(args, "timeout_ms", c.timeout);
  c.anti_entropy = MillisField(args, "anti_entropy_ms", c.anti_entropy);
  for (const auto& [name, value] : {std::pair<const char*, uint32_t>{"r", c.r}, {"w", c.w}}) {
    if (value > c.n) {
      return Status::Invalid(std::string("field \"") + name + "\" must be at most n = " + Str(c.n) +
                             " (a quorum cannot be larger than the replicas), got " + Str(value));
    }
  }
  return c;
}

Json CapConfigJson(const cap::ClusterConfig& c) {
  return {{"mode", cap::StanceName(c.stance)},
          {"n", c.n},
          {"r", c.r},
          {"w", c.w},
          {"conflict", cap::ConflictName(c.conflict)},
          {"clients", c.clients},
          {"link_ms", c.link_latency / kMicrosPerMilli},
          {"jitter_ms", c.link_jitter / kMicrosPerMilli},
          {"client_ms", c.client_latency / kMicrosPerMilli},
          {"timeout_ms", c.timeout / kMicrosPerMilli},
          {"anti_entropy_ms", c.anti_entropy / kMicrosPerMilli},
          {"strict_quorum", c.r + c.w > c.n}};
}

SimInfo CapSimInfo() {
  SimInfo info;
  info.name = "cap";
  info.help = "CAP: a replicated key-value store under partitions, CP quorums vs AP last-writer-wins, with a linearizability checker";
  info.config = ConcatFields(CapModeFields(false), CapNetworkFields());
  const FieldSpec client = StringField("client", true, 2, 2, "the client, c1..cM");
  const FieldSpec replica = ReplicaField("replica", true, "the replica the client talks to, r1..rN");
  const FieldSpec key = StringField("key", true, 1, 32, "the key, 1-32 bytes");
  const FieldSpec wait = BoolField("wait", false, "true: run until the answer is back (default); false: return at once, the answer comes during advance");
  info.ops = {
      {"mode", "start over (empty store, empty history, time 0) with this stance and quorum; same seed", CapModeFields(true)},
      {"partition", "split the replicas into groups that cannot talk to each other (replaces earlier cuts)",
       {JsonField("groups", true, 400,
                  "an array of groups, e.g. [[\"r1\",\"r2\"],[\"r3\"]], or the same as a string \"r1,r2|r3\"; unlisted replicas form one more group")}},
      {"cut", "cut the link between two replicas", {ReplicaField("a", true, "one end, r1..rN"), ReplicaField("b", true, "the other end, r1..rN")}},
      {"heal", "reconnect every link (ap: anti-entropy runs at once)", {}},
      {"write", "a client writes a value through a replica",
       {client, replica, key, IntField("value", true, 1, 1000000000, "the value, 1..1e9 (0 is the never-written value)"), wait}},
      {"read", "a client reads a key through a replica", {client, replica, key, wait}},
      {"advance", "let time pass", {IntField("ms", true, 1, CapSim::kMaxAdvanceMs, "milliseconds")}},
      {"workload", "random reads and writes from random clients through their own replicas, then wait for every answer",
       {IntField("ops", true, 1, CapSim::kMaxWorkloadOps, "how many operations"),
        IntField("keys", false, 1, CapSim::kMaxKeys, "keys k1..kK (default 3)"),
        IntField("write_percent", false, 0, 100, "share of writes, % (default 50)"),
        IntField("gap_ms", false, 0, 1000, "mean time between invocations, ms (default 10)")}},
      {"check", "is the history so far linearizable? (Wing & Gong / Lowe search, per key)", {}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Result<cap::ClusterConfig> c = CapConfigWith(cap::ClusterConfig(), config);
    if (!c.ok()) return Status::Invalid("config: " + c.message());
    return std::unique_ptr<Simulation>(std::make_unique<CapSim>(seed, c.value()));
  };
  return info;
}

}  // namespace sdp
