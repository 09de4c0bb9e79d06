#include "sdp/cap_sim.h"

#include <algorithm>

#include "sims/sim_text.h"

namespace sdp {
namespace {

// "r3" -> 2, if 1 <= 3 <= count; `prefix` is 'r' or 'c'.
Result<uint32_t> ParseMember(const std::string& context, const char* field, const std::string& text, char prefix,
                             uint32_t count) {
  const bool ok = text.size() == 2 && text[0] == prefix && text[1] >= '1' && text[1] <= '0' + static_cast<int>(count);
  if (!ok) {
    return Status::Invalid(context + ": field \"" + field + "\" must be one of " + prefix + "1.." + prefix +
                           Str(count) + ", got \"" + text + "\"");
  }
  return static_cast<uint32_t>(text[1] - '1');
}

std::string Name(char prefix, uint32_t index) { return std::string(1, prefix) + Str(index + 1); }

// A vector clock as people write it: "r1:2,r3:1" (zero entries left out).
std::string ClockText(const std::vector<uint32_t>& clock) {
  std::string out;
  for (uint32_t i = 0; i < clock.size(); ++i) {
    if (clock[i] == 0) continue;
    out += (out.empty() ? "" : ",") + Name('r', i) + ":" + Str(clock[i]);
  }
  return out;
}

// "r1,r2 | r3" -> {{0, 1}, {2}}
Result<std::vector<std::vector<uint32_t>>> ParseGroups(const std::string& text, uint32_t n) {
  std::vector<std::vector<uint32_t>> groups(1);
  std::vector<uint8_t> seen(n, 0);
  std::string token;
  auto flush = [&]() -> Status {
    if (token.empty()) return Status::Ok();
    Result<uint32_t> r = ParseMember("partition", "groups", token, 'r', n);
    if (!r.ok()) return r.status();
    if (seen[r.value()]) {
      return Status::Invalid("partition: field \"groups\" names " + token + " twice; each replica belongs to one group");
    }
    seen[r.value()] = 1;
    groups.back().push_back(r.value());
    token.clear();
    return Status::Ok();
  };
  for (char ch : text) {
    if (ch == ' ') continue;
    if (ch == ',' || ch == '|') {
      SDP_RETURN_IF_ERROR(flush());
      if (ch == '|') {
        if (groups.back().empty()) {
          return Status::Invalid("partition: field \"groups\" has an empty group; write groups like \"r1,r2|r3\"");
        }
        groups.emplace_back();
      }
      continue;
    }
    token.push_back(ch);
  }
  SDP_RETURN_IF_ERROR(flush());
  if (groups.back().empty()) {
    return Status::Invalid("partition: field \"groups\" has an empty group; write groups like \"r1,r2|r3\"");
  }
  return groups;
}

// [["r1","r2"],["r3"]] -> {{0, 1}, {2}}: the form. The same rules
// as the string form: no empty group, known ids, each replica in one group.
Result<std::vector<std::vector<uint32_t>>> ParseGroupArrays(const Json& groups, uint32_t n) {
  const std::string shape = "write groups like [[\"r1\",\"r2\"],[\"r3\"]] or \"r1,r2|r3\"";
  if (!groups.is_array() || groups.empty()) {
    return Status::Invalid("partition: field \"groups\" must be a non-empty array of groups or a string; " + shape);
  }
  std::vector<std::vector<uint32_t>> out;
  std::vector<uint8_t> seen(n, 0);
  for (const Json& group : groups) {
    if (!group.is_array()) {
      return Status::Invalid("partition: field \"groups\" holds " + std::string(group.type_name()) +
                             " where a group (an array of replica ids) belongs; " + shape);
    }
    if (group.empty()) return Status::Invalid("partition: field \"groups\" has an empty group; " + shape);
    out.emplace_back();
    for (const Json& id : group) {
      if (!id.is_string()) {
        return Status::Invalid("partition: field \"groups\" holds " + std::string(id.type_name()) +
                               " where a replica id r1..r" + Str(n) + " belongs");
      }
      Result<uint32_t> r = ParseMember("partition", "groups", id.get<std::string>(), 'r', n);
      if (!r.ok()) return r.status();
      if (seen[r.value()]) {
        return Status::Invalid("partition: field \"groups\" names " + id.get<std::string>() +
                               " twice; each replica belongs to one group");
      }
      seen[r.value()] = 1;
      out.back().push_back(r.value());
    }
  }
  return out;
}

}  // namespace

CapSim::CapSim(uint64_t seed, const cap::ClusterConfig& config)
    : seed_(seed), workload_rng_(seed ^ 0x9e3779b97f4a7c15ULL),
      cluster_(std::make_unique<cap::Cluster>(config, seed)) {}

uint64_t CapSim::Work() const { return retired_work_ + cluster_->queue().executed() + cluster_->counters().merges + check_cost_ * 5; }

Json CapSim::OpJson(const cap::ClientOp& op) const {
  Json out = {{"id", op.id},
              {"client", Name('c', op.client)},
              {"replica", Name('r', op.replica)},
              {"kind", op.kind == cap::OpKind::kWrite ? "write" : "read"},
              {"key", op.key},
              {"status", cap::OpStatusName(op.status)},
              {"ok", op.status == cap::OpStatus::kOk},
              {"invoke_us", op.invoke},
              {"response_us", op.response < 0 ? Json(nullptr) : Json(op.response)}};
  if (op.kind == cap::OpKind::kWrite || op.status == cap::OpStatus::kOk) out["value"] = op.value;
  if (!op.reason.empty()) out["reason"] = op.reason;
  if (op.kind == cap::OpKind::kRead && op.status == cap::OpStatus::kOk) {
    out["read_from"] = op.read_from == cap::Cluster::kNoWrite ? Json(nullptr) : Json(op.read_from);
    out["stale"] = op.stale;
    if (op.from_cache) out["from_cache"] = true;
  }
  if (cluster_->Vclock()) {
    if (op.kind == cap::OpKind::kRead && op.status == cap::OpStatus::kOk) {
      out["values"] = op.values;
      out["siblings"] = op.siblings;
      out["context"] = ClockText(op.context);
    } else if (op.kind == cap::OpKind::kWrite) {
      out["context"] = ClockText(op.context);
      out["dot"] = op.dot == 0 ? Json(nullptr) : Json(Name('r', op.replica) + ":" + Str(op.dot));
    }
  }
  return out;
}

Json CapSim::Counts() const {
  uint32_t ok = 0, refused = 0, unknown = 0, in_flight = 0;
  for (const cap::ClientOp& op : cluster_->ops()) {
    switch (op.status) {
      case cap::OpStatus::kOk: ++ok; break;
      case cap::OpStatus::kRefused: ++refused; break;
      case cap::OpStatus::kUnknown: ++unknown; break;
      case cap::OpStatus::kInFlight: ++in_flight; break;
    }
  }
  const uint32_t answered = ok + refused + unknown;
  const cap::Cluster::Counters& c = cluster_->counters();
  return {{"ops", cluster_->ops().size()},
          {"ok", ok},
          {"refused", refused},
          {"unknown", unknown},
          {"in_flight", in_flight},
          {"availability", answered == 0 ? Json(nullptr) : Json(static_cast<double>(ok) / answered)},
          {"stale_reads", c.stale_reads},
          {"lost_writes", cluster_->lost_writes().size()},
          {"messages", c.messages},
          {"dropped", c.dropped},
          {"repairs", c.repairs},
          {"anti_entropy_updates", c.anti_entropy_updates}};
}

Json CapSim::Check() {
  if (cluster_->Vclock()) {
    // A read that returns siblings is not a read of one register: the
    // register model cannot judge it, and we do not pretend to.
    last_check_ = {{"linearizable", nullptr},
                   {"verdict", "not_checked"},
                   {"reason", "conflict vclock: reads return sibling sets, not one register value; the checker's "
                              "register model does not apply (stale reads are still counted)"},
                   {"violating_ops", Json::array()},
                   {"checked_ops", 0},
                   {"steps", 0},
                   {"budget_used", 0},
                   {"budget", kCheckBudget},
                   {"keys", Json::array()}};
    return last_check_;
  }
  const cap::CheckResult r = cap::CheckLinearizable(cluster_->CheckableHistory(), kCheckBudget);
  check_cost_ += r.cost;
  Json keys = Json::array();
  for (const cap::KeyCheck& k : r.keys) {
    Json key = {{"key", k.key}, {"verdict", cap::VerdictName(k.verdict)}, {"ops", k.ops}, {"steps", k.steps}};
    if (k.verdict == cap::Verdict::kNotLinearizable) {
      key["longest_prefix"] = k.order;
      key["value_after_prefix"] = k.value_after_order;
      key["stuck"] = k.stuck;
    }
    keys.push_back(std::move(key));
  }
  last_check_ = {{"linearizable", r.verdict == cap::Verdict::kUnknown
                                      ? Json(nullptr)
                                      : Json(r.verdict == cap::Verdict::kLinearizable)},
                 {"verdict", cap::VerdictName(r.verdict)},
                 {"violating_ops", r.violating},
                 {"checked_ops", cluster_->CheckableHistory().size()},
                 {"steps", r.steps},
                 {"budget_used", r.cost},
                 {"budget", kCheckBudget},
                 {"keys", std::move(keys)}};
  return last_check_;
}

Result<Json> CapSim::ClientOp(const std::string& op, const Json& args) {
  const cap::ClusterConfig& c = cluster_->config();
  Result<uint32_t> client = ParseMember(op, "client", args["client"].get<std::string>(), 'c', c.clients);
  if (!client.ok()) return client.status();
  Result<uint32_t> replica = ParseMember(op, "replica", args["replica"].get<std::string>(), 'r', c.n);
  if (!replica.ok()) return replica.status();
  if (cluster_->ops().size() >= kMaxOps) {
    return Status::Invalid(op + ": the history already holds the maximum of " + Str(kMaxOps) +
                           " operations; start over with the `mode` op");
  }
  const std::string key = args["key"];
  const uint32_t id = op == "write" ? cluster_->Write(client.value(), replica.value(), key, args["value"].get<int64_t>())
                                    : cluster_->Read(client.value(), replica.value(), key);
  if (args.value("wait", true)) cluster_->RunUntilDone(id);
  return OpJson(cluster_->ops()[id]);
}

Result<Json> CapSim::Workload(const Json& args) {
  const uint32_t count = args["ops"];
  if (cluster_->ops().size() + count > kMaxOps) {
    return Status::Invalid("workload: field \"ops\": " + Str(count) + " more would exceed the history's maximum of " +
                           Str(kMaxOps) + " operations (" + Str(cluster_->ops().size()) + " so far); start over with `mode`");
  }
  const uint32_t keys = args.value("keys", 3u);
  const uint32_t write_percent = args.value("write_percent", 50u);
  const int64_t gap = args.value("gap_ms", int64_t{10}) * kMicrosPerMilli;
  const cap::ClusterConfig& c = cluster_->config();
  const uint32_t first = static_cast<uint32_t>(cluster_->ops().size());
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t client = static_cast<uint32_t>(workload_rng_.Below(c.clients));
    const uint32_t key = static_cast<uint32_t>(workload_rng_.Below(keys));
    const bool write = workload_rng_.Below(100) < write_percent;
    const std::string name = "k" + Str(key + 1);
    const uint32_t replica = client % c.n;
    if (write) {
      cluster_->Write(client, replica, name, next_value_++);
    } else {
      cluster_->Read(client, replica, name);
    }
    const int64_t wait = gap == 0 ? 0 : workload_rng_.Between(0, 2 * gap);
    if (wait > 0) cluster_->Advance(wait);
  }
  for (uint32_t id = first; id < cluster_->ops().size(); ++id) cluster_->RunUntilDone(id);
  uint32_t ok = 0;
  for (uint32_t id = first; id < cluster_->ops().size(); ++id) ok += cluster_->ops()[id].status == cap::OpStatus::kOk;
  return Json{{"ops", count}, {"first_id", first}, {"ok", ok}, {"not_ok", count - ok}, {"now_us", cluster_->now()}};
}

Result<Json> CapSim::Apply(const std::string& op, const Json& args) {
  const cap::ClusterConfig& c = cluster_->config();
  if (op == "mode") {
    Result<cap::ClusterConfig> next = CapConfigWith(c, args);
    if (!next.ok()) return Status::Invalid("mode: " + next.message());
    retired_work_ += cluster_->queue().executed() + cluster_->counters().merges;
    cluster_ = std::make_unique<cap::Cluster>(next.value(), seed_);
    workload_rng_ = Rng(seed_ ^ 0x9e3779b97f4a7c15ULL);
    next_value_ = 1;
    last_check_ = nullptr;
    return Json{{"config", CapConfigJson(next.value())}};
  }
  if (op == "partition") {
    const Json& spec = args["groups"];
    Result<std::vector<std::vector<uint32_t>>> groups =
        spec.is_string() ? ParseGroups(spec.get<std::string>(), c.n) : ParseGroupArrays(spec, c.n);
    if (!groups.ok()) return groups.status();
    cluster_->Partition(groups.value());
    return Json{{"network", cluster_->network_log().back().what}};
  }
  if (op == "cut") {
    Result<uint32_t> a = ParseMember(op, "a", args["a"].get<std::string>(), 'r', c.n);
    if (!a.ok()) return a.status();
    Result<uint32_t> b = ParseMember(op, "b", args["b"].get<std::string>(), 'r', c.n);
    if (!b.ok()) return b.status();
    if (a.value() == b.value()) {
      return Status::Invalid("cut: fields \"a\" and \"b\" must name two different replicas, got " +
                             args["a"].get<std::string>() + " twice");
    }
    cluster_->Cut(a.value(), b.value());
    return Json{{"network", cluster_->network_log().back().what}};
  }
  if (op == "heal") {
    cluster_->Heal();
    return Json{{"network", "heal"}};
  }
  if (op == "write" || op == "read") return ClientOp(op, args);
  if (op == "advance") {
    const uint32_t before = static_cast<uint32_t>(cluster_->ops().size());
    std::vector<uint8_t> was_in_flight(before);
    for (uint32_t i = 0; i < before; ++i) was_in_flight[i] = cluster_->ops()[i].status == cap::OpStatus::kInFlight;
    cluster_->Advance(args["ms"].get<int64_t>() * kMicrosPerMilli);
    Json completed = Json::array();
    for (uint32_t i = 0; i < before; ++i) {
      if (was_in_flight[i] && cluster_->ops()[i].status != cap::OpStatus::kInFlight) {
        completed.push_back(OpJson(cluster_->ops()[i]));
      }
    }
    return Json{{"now_us", cluster_->now()}, {"completed", std::move(completed)}};
  }
  if (op == "workload") return Workload(args);
  if (op == "check") return Check();
  SDP_CHECK(false && "op declared in CapSimInfo but not handled");
  return Status::Invalid(op);
}

Json CapSim::Snapshot(Detail detail) const {
  const cap::ClusterConfig& c = cluster_->config();
  Json replicas = Json::array();
  const std::vector<std::string> keys = cluster_->Keys();
  for (uint32_t i = 0; i < c.n; ++i) {
    Json values = Json::object();
    for (const std::string& k : keys) {
      const std::vector<int64_t> held = cluster_->ValuesAt(i, k);
      values[k] = held.size() == 1 ? Json(held.front()) : Json(held);  // siblings: every value
    }
    replicas.push_back({{"id", Name('r', i)}, {"values", std::move(values)}});
  }
  Json cut = Json::array();
  for (uint32_t a = 0; a < c.n; ++a) {
    for (uint32_t b = a + 1; b < c.n; ++b) {
      if (cluster_->IsCut(a, b)) cut.push_back({Name('r', a), Name('r', b)});
    }
  }
  Json network_log = Json::array();
  for (const cap::NetworkEvent& e : cluster_->network_log()) network_log.push_back({{"t_us", e.time}, {"what", e.what}});
  Json out = {{"config", CapConfigJson(c)},
              {"now_us", cluster_->now()},
              {"replicas", std::move(replicas)},
              {"cut", std::move(cut)},
              {"network_log", std::move(network_log)},
              {"counts", Counts()},
              {"lost_writes", cluster_->lost_writes()},
              {"last_check", last_check_}};
  if (detail == Detail::kFull) {
    Json ops = Json::array();
    for (const cap::ClientOp& op : cluster_->ops()) ops.push_back(OpJson(op));
    out["ops"] = std::move(ops);
  }
  return out;
}

}  // namespace sdp
