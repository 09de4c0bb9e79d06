// The `gossip` sim's membership mode: ops membership, kill, advance, and
// what the snapshot says about them.
#include <algorithm>

#include "sdp/gossip_sim.h"
#include "sims/sim_text.h"

namespace sdp {

namespace {

using gossip::Membership;

double GossipPerMemberSecond(uint64_t total, uint32_t members, int64_t ms) {
  if (ms <= 0 || members == 0) return 0.0;
  return static_cast<double>(total) * 1000.0 / (static_cast<double>(members) * static_cast<double>(ms));
}

Json GossipDelay(int64_t at, int64_t from) { return at == Membership::kNever ? Json(nullptr) : Json(at - from); }

Json GossipKilledJson(const Membership& m, const Membership::Killed& k) {
  uint32_t views[3] = {0, 0, 0};
  uint32_t declared = 0;
  int64_t last = 0, sum = 0;
  for (uint32_t i = 0; i < m.size(); ++i) {
    if (!m.up(i)) continue;
    ++views[m.ViewOf(i, k.node)];
    const int64_t at = k.declared_ms[i];
    if (at == Membership::kNever) continue;
    ++declared;
    last = std::max(last, at - k.at_ms);
    sum += at - k.at_ms;
  }
  const int64_t interval = m.params().interval_ms;
  Json out = {{"node", k.node},
              {"killed_at_ms", k.at_ms},
              {"views", {{"alive", views[0]}, {"suspect", views[1]}, {"dead", views[2]}}},
              {"declared", declared},
              {"first_detection_ms", GossipDelay(k.first_suspect_ms, k.at_ms)},
              {"mean_declared_ms", declared == 0 ? Json(nullptr) : Json(static_cast<double>(sum) / declared)},
              // Every live member has declared it dead: when the last did.
              {"all_declared_ms", declared == m.live() ? Json(last) : Json(nullptr)}};
  if (m.params().protocol == gossip::Protocol::kSwim) {
    out["first_probe_ms"] = GossipDelay(k.first_probe_ms, k.at_ms);
    // The protocol period in which someone first pinged it (SWIM section
    // 3.1: expected e/(e-1) periods).
    out["first_probe_periods"] = k.first_probe_ms == Membership::kNever
                                     ? Json(nullptr)
                                     : Json((k.first_probe_ms - k.at_ms + interval - 1) / interval);
  }
  return out;
}

}  // namespace

Result<Json> GossipSim::ApplyMembership(const std::string& op, const Json& args) {
  const uint32_t n = epidemic_.size();
  if (op == "membership") {
    gossip::MembershipParams p;
    p.protocol = args["protocol"] == "heartbeat" ? gossip::Protocol::kHeartbeat : gossip::Protocol::kSwim;
    p.interval_ms = args.value("interval_ms", p.interval_ms);
    p.fanout = args.value("fanout", p.fanout);
    p.fail_ms = args.value("fail_ms", p.fail_ms);
    p.probe_timeout_ms = args.value("probe_timeout_ms", p.probe_timeout_ms);
    p.indirect_checks = args.value("indirect_checks", p.indirect_checks);
    p.suspicion_mult = args.value("suspicion_mult", p.suspicion_mult);
    p.retransmit_mult = args.value("retransmit_mult", p.retransmit_mult);
    p.piggyback = args.value("piggyback", p.piggyback);
    p.gossip_interval_ms = args.value("gossip_interval_ms", p.gossip_interval_ms);
    p.gossip_nodes = args.value("gossip_nodes", p.gossip_nodes);
    if (n < 3) return Status::Invalid("membership: needs at least 3 nodes (use the `nodes` op); there are " + Str(n));
    if (p.protocol == gossip::Protocol::kHeartbeat && n > kMaxHeartbeatNodes) {
      return Status::Invalid("membership: heartbeat keeps an n x n table; at most " + Str(kMaxHeartbeatNodes) +
                             " nodes (there are " + Str(n) + "); use protocol swim, or fewer nodes");
    }
    if (p.fanout >= n) {
      return Status::Invalid("membership: field \"fanout\" must be below the number of nodes (" + Str(n) +
                             "); got " + Str(p.fanout));
    }
    if (p.gossip_nodes >= n) {
      return Status::Invalid("membership: field \"gossip_nodes\" must be below the number of nodes (" + Str(n) +
                             "); got " + Str(p.gossip_nodes));
    }
    if (p.indirect_checks + 2 > n) {
      return Status::Invalid("membership: field \"indirect_checks\" must be at most " + Str(n - 2) +
                             " (members other than the prober and the target); got " + Str(p.indirect_checks));
    }
    if (p.probe_timeout_ms >= p.interval_ms) {
      return Status::Invalid("membership: field \"probe_timeout_ms\" must be below \"interval_ms\" (" +
                             Str(p.interval_ms) + "): a probe ends before the next period; got " +
                             Str(p.probe_timeout_ms));
    }
    membership_.emplace(n, p, config_.loss, rng_);
    // Heartbeat allocates and clears an n x n table (9 bytes a cell).
    work_ += p.protocol == gossip::Protocol::kHeartbeat ? static_cast<uint64_t>(n) * n / 8 : n;
    return Json{{"protocol", gossip::ProtocolName(p.protocol)},
                {"nodes", n},
                {"suspicion_timeout_ms", membership_->suspicion_timeout_ms()},
                {"retransmit_limit", membership_->retransmit_limit()}};
  }
  if (!membership_) {
    return Status::Invalid(op + ": no membership group yet; start one with {\"op\":\"membership\",\"protocol\":\"swim\"}");
  }
  Membership& m = *membership_;
  if (op == "kill") {
    const uint32_t node = args["node"];
    if (node >= n) {
      return Status::Invalid("kill: field \"node\" must be a node index below " + Str(n) + ", got " + Str(node));
    }
    if (!m.up(node)) return Status::Invalid("kill: node " + Str(node) + " is already dead");
    if (m.killed().size() >= kMaxKills) {
      return Status::Invalid("kill: at most " + Str(kMaxKills) + " kills per membership run; start a new one");
    }
    if (m.live() <= 2) return Status::Invalid("kill: node " + Str(node) + " is one of the last two live nodes");
    m.Kill(node);
    work_ += n;  // its per-member declaration times
    return Json{{"node", node}, {"at_ms", m.now_ms()}, {"live", m.live()}};
  }
  // advance
  const int64_t ms = args["ms"].get<int64_t>();
  if (m.now_ms() + ms > kMaxMembershipMs) {
    return Status::Invalid("advance: a membership run lasts at most " + Str(kMaxMembershipMs) + " ms; it is at " +
                           Str(m.now_ms()) + " ms, so field \"ms\" may be at most " +
                           Str(kMaxMembershipMs - m.now_ms()));
  }
  const uint64_t before = m.work();
  const bool done = m.Advance(ms, kMaxStepWork, rng_);
  work_ += m.work() - before;
  Json out = MembershipJson();
  out["stopped"] = done ? "done" : "work_limit";
  return out;
}

Json GossipSim::MembershipJson() const {
  if (!membership_) return nullptr;
  const Membership& m = *membership_;
  const gossip::MembershipParams& p = m.params();
  const int64_t now = m.now_ms();
  Json killed = Json::array();
  for (const Membership::Killed& k : m.killed()) killed.push_back(GossipKilledJson(m, k));
  Json params = {{"interval_ms", p.interval_ms}};
  if (p.protocol == gossip::Protocol::kHeartbeat) {
    params["fanout"] = p.fanout;
    params["fail_ms"] = p.fail_ms;
  } else {
    params["probe_timeout_ms"] = p.probe_timeout_ms;
    params["indirect_checks"] = p.indirect_checks;
    params["suspicion_mult"] = p.suspicion_mult;
    params["retransmit_mult"] = p.retransmit_mult;
    params["piggyback"] = p.piggyback;
    params["gossip_interval_ms"] = p.gossip_interval_ms;
    params["gossip_nodes"] = p.gossip_nodes;
    params["suspicion_timeout_ms"] = m.suspicion_timeout_ms();
    params["retransmit_limit"] = m.retransmit_limit();
  }
  return {{"protocol", gossip::ProtocolName(p.protocol)},
          {"params", std::move(params)},
          {"loss", config_.loss},
          {"now_ms", now},
          {"nodes", m.size()},
          {"live", m.live()},
          {"messages", m.messages()},
          {"messages_per_member_per_second", GossipPerMemberSecond(m.messages(), m.size(), now)},
          {"bytes_per_member_per_second", GossipPerMemberSecond(m.bytes(), m.size(), now)},
          {"false_positives", {{"declarations", m.false_positive_pairs()}, {"members", m.false_positive_members()}}},
          {"refutations", m.refutations()},
          {"killed", std::move(killed)}};
}

std::vector<uint32_t> GossipSim::MembershipColumn(std::string_view name) const {
  std::vector<uint32_t> out;
  if (!membership_) return out;
  const Membership& m = *membership_;
  const bool any = !m.killed().empty();
  const Membership::Killed* last = any ? &m.killed().back() : nullptr;
  out.reserve(m.size());
  for (uint32_t i = 0; i < m.size(); ++i) {
    if (name == "member_view") {
      out.push_back(!m.up(i) ? 3u : last ? static_cast<uint32_t>(m.ViewOf(i, last->node)) : 0u);
    } else {
      const int64_t at = last ? last->declared_ms[i] : Membership::kNever;
      out.push_back(at == Membership::kNever ? UINT32_MAX : static_cast<uint32_t>(at - last->at_ms));
    }
  }
  return out;
}

}  // namespace sdp
