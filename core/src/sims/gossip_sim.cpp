#include "sdp/gossip_sim.h"

#include <algorithm>

#include "sdp/detmath.h"
#include "sims/sim_text.h"

namespace sdp {

namespace {

double GossipRatio(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

char GossipStateChar(gossip::Epidemic::State state) {
  switch (state) {
    case gossip::Epidemic::kSusceptible: return '.';
    case gossip::Epidemic::kInfective: return 'i';
    case gossip::Epidemic::kRemoved: return 'r';
    case gossip::Epidemic::kCrashed: return 'x';
  }
  return '?';
}

// The contact cost of a round is known before it runs: a step stops before
// a round that would take it past the budget.
bool GossipRoundFits(uint64_t used, uint64_t next) {
  return used + next <= GossipSim::kMaxStepContacts;
}

}  // namespace

GossipSim::GossipSim(uint64_t seed, const Config& config)
    : config_(config), rng_(seed), epidemic_(config.nodes) {}

Json GossipSim::RoundJson(const gossip::RoundStats& r) const {
  const uint32_t live = epidemic_.live();
  return {{"round", r.round},
          {"informed", r.informed},
          {"informed_fraction", GossipRatio(r.informed, live)},
          {"infective", r.infective},
          {"newly", r.newly},
          {"messages", r.messages},
          {"contacts", r.contacts},
          {"lost", r.lost}};
}

Json GossipSim::RunRounds(uint32_t max_rounds, bool until_quiet) {
  const uint32_t informed_before = epidemic_.informed();
  uint64_t used = 0, messages = 0;
  uint32_t ran = 0;
  std::string stopped = until_quiet ? "max_rounds" : "done";
  while (ran < max_rounds) {
    if (until_quiet && epidemic_.Quiet(config_.strategy)) {
      stopped = "quiet";
      break;
    }
    if (epidemic_.rounds() >= kMaxRounds) {
      stopped = "round_limit";
      break;
    }
    const uint64_t next = epidemic_.ContactsPerRound(config_.strategy);
    if (!GossipRoundFits(used, next)) {
      stopped = "work_limit";
      break;
    }
    const gossip::RoundStats r = epidemic_.Round(config_.strategy, config_.loss, rng_);
    rows_.push_back(r);
    used += r.contacts;
    messages += r.messages;
    messages_ += r.messages;
    contacts_ += r.contacts;
    lost_ += r.lost;
    work_ += 1 + r.contacts / 8;
    ++ran;
  }
  if (stopped == "max_rounds" && epidemic_.Quiet(config_.strategy)) stopped = "quiet";
  Json out = {{"rounds", ran},
              {"round", epidemic_.rounds()},
              {"informed", epidemic_.informed()},
              {"informed_fraction", GossipRatio(epidemic_.informed(), epidemic_.live())},
              {"newly", epidemic_.informed() - std::min(informed_before, epidemic_.informed())},
              {"infective", epidemic_.infective()},
              {"messages", messages},
              {"quiet", epidemic_.Quiet(config_.strategy)},
              {"stopped", stopped}};
  const uint32_t susceptible = epidemic_.live() - epidemic_.informed();
  out["susceptible"] = susceptible;
  out["residue"] = inject_round_ != gossip::Epidemic::kNever && epidemic_.Quiet(config_.strategy)
                       ? Json(GossipRatio(susceptible, epidemic_.live()))
                       : Json(nullptr);
  // Traffic so far, and the residue the paper's s = e^{-m} gives for it.
  const double m = GossipRatio(messages_, epidemic_.size());
  const gossip::Strategy& s = config_.strategy;
  out["traffic"] = m;
  out["residue_from_traffic"] = s.kind == gossip::Kind::kRumor && s.direction == gossip::Direction::kPush
                                    ? Json(DetExp(-m))
                                    : Json(nullptr);
  if (!rows_.empty() && ran > 0) out["last"] = RoundJson(rows_.back());
  return out;
}

Json GossipSim::Trials(uint32_t count) {
  const gossip::Strategy& s = config_.strategy;
  const uint32_t n = config_.nodes;
  uint64_t used = 0;
  uint32_t done = 0, complete = 0;
  double residue = 0, traffic = 0, t_ave = 0, t_last = 0, rounds = 0;
  std::string stopped = "done";
  for (; done < count; ++done) {
    gossip::Epidemic e(n);
    const uint32_t origin = static_cast<uint32_t>(rng_.Below(n));
    e.Inject(origin);
    uint64_t messages = 0;
    bool fits = true;
    if (config_.async) {
      uint64_t events = 0;
      fits = gossip::RunAsyncToQuiet(e, s, config_.loss, config_.timing, rng_, kMaxRoundsPerStep,
                                     kMaxStepWork - std::min(used, kMaxStepWork), &events, &messages);
      used += events;
      work_ += events;
    }
    while (!config_.async && !e.Quiet(s) && e.rounds() < kMaxRoundsPerStep) {
      const uint64_t next = e.ContactsPerRound(s);
      if (!GossipRoundFits(used, next)) {
        fits = false;
        break;
      }
      const gossip::RoundStats r = e.Round(s, config_.loss, rng_);
      used += r.contacts;
      messages += r.messages;
      work_ += 1 + r.contacts / 8;
    }
    if (!fits || (config_.async && used >= kMaxStepWork)) {
      stopped = "work_limit";  // this trial is incomplete: left out of the means
      break;
    }
    uint64_t delay_sum = 0;
    uint32_t last = 0, arrived = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t t = e.learned(i);
      if (i == origin || t == gossip::Epidemic::kNever) continue;
      delay_sum += t;
      last = std::max(last, t);
      ++arrived;
    }
    residue += GossipRatio(n - e.informed(), n);
    traffic += GossipRatio(messages, n);
    t_ave += GossipRatio(delay_sum, arrived);
    t_last += last;
    rounds += e.rounds();
    if (e.informed() == n) ++complete;
  }
  Json out = {{"trials", done}, {"requested", count}, {"stopped", stopped}, {"nodes", n},
              {"kind", gossip::KindName(s.kind)}, {"direction", gossip::DirectionName(s.direction)},
              {"fanout", s.fanout}, {"loss", config_.loss}};
  if (s.kind == gossip::Kind::kRumor) {
    out["k"] = s.k;
    out["feedback"] = s.feedback;
    out["counter"] = s.counter;
  }
  if (done == 0) return out;
  const double d = static_cast<double>(done);
  out["residue"] = residue / d;
  out["traffic"] = traffic / d;
  out["t_ave"] = t_ave / d;
  out["t_last"] = t_last / d;
  out["rounds"] = rounds / d;
  out["all_informed"] = GossipRatio(complete, done);
  // s = e^{-m}: the paper's relation between residue and traffic for push.
  const bool push_rumor = s.kind == gossip::Kind::kRumor && s.direction == gossip::Direction::kPush;
  out["residue_from_traffic"] = push_rumor ? Json(DetExp(-traffic / d)) : Json(nullptr);
  out["coin_residue"] = push_rumor && !s.counter && config_.loss == 0
                            ? Json(gossip::CoinResidue(s.k, s.feedback))
                            : Json(nullptr);
  return out;
}

Result<Json> GossipSim::Apply(const std::string& op, const Json& args) {
  if (op == "advance" && config_.async) {
    if (epidemic_.rounds() >= kMaxRounds) {
      return Status::Invalid("advance: this run already has the maximum of " + Str(kMaxRounds) +
                             " periods; start over with the `nodes` op");
    }
    Json out = RunAsync(args["ms"].get<int64_t>(), false);
    if (membership_) {
      Result<Json> m = ApplyMembership(op, args);
      out["membership"] = m.ok() ? m.value() : Json{{"error", m.message()}};
    }
    return out;
  }
  if (op == "membership" || op == "kill" || op == "advance") return ApplyMembership(op, args);
  if (op == "nodes" || op == "strategy") {
    Json fields = args;
    if (op == "nodes") fields = Json{{"nodes", args["count"]}};
    Result<Config> next = Config::With(config_, fields);
    if (!next.ok()) return Status::Invalid(op + ": " + next.message());
    const bool reset = op == "nodes";
    const bool was_async = config_.async;
    config_ = next.value();
    // Back to rounds: the async timers stop; messages in flight wait in the
    // queue until async timing resumes.
    if (was_async && !config_.async) async_.Halt(AsyncContext());
    if (reset) {
      async_ = gossip::AsyncEpidemic();
      epidemic_ = gossip::Epidemic(config_.nodes);
      rows_.clear();
      inject_round_ = gossip::Epidemic::kNever;
      messages_ = contacts_ = lost_ = 0;
      last_trials_ = nullptr;
      membership_.reset();
      work_ += config_.nodes / 8;
    }
    WakeAsync();
    return Json{{"config", config_.ToJson()}, {"reset", reset}};
  }
  if (op == "inject") {
    const uint32_t node = args.value("node", 0u);
    if (node >= epidemic_.size()) {
      return Status::Invalid("inject: field \"node\" must be a node index below " +
                             Str(epidemic_.size()) + " (the number of nodes), got " + Str(node));
    }
    if (epidemic_.state(node) == gossip::Epidemic::kCrashed) {
      return Status::Invalid("inject: node " + Str(node) + " has crashed; inject at a live node");
    }
    const bool knew = epidemic_.state(node) != gossip::Epidemic::kSusceptible;
    epidemic_.Inject(node);
    if (!Injected()) inject_round_ = epidemic_.rounds();
    WakeAsync();
    return Json{{"node", node}, {"knew", knew}, {"informed", epidemic_.informed()}};
  }
  if (op == "round" || op == "run") {
    if (epidemic_.rounds() >= kMaxRounds) {
      return Status::Invalid(op + ": this run already has the maximum of " + Str(kMaxRounds) +
                             " rounds; start over with the `nodes` op");
    }
    if (op == "round" && config_.async) {
      return Status::Invalid("round: timing is async (each node gossips on its own timer); use advance {ms} or run, or strategy {timing: rounds}");
    }
    if (op == "round") return RunRounds(args.value("count", 1u), false);
    if (config_.async) return RunAsync(static_cast<int64_t>(args.value("max_rounds", 200u)) * config_.timing.period_ms, true);
    return RunRounds(args.value("max_rounds", 200u), true);
  }
  if (op == "crash") {
    const bool has_node = args.contains("node"), has_fraction = args.contains("fraction");
    if (has_node == has_fraction) {
      return Status::Invalid("crash: give exactly one of field \"node\" (an index) or field \"fraction\" (a share of the live nodes)");
    }
    const uint32_t live = epidemic_.live();
    if (has_node) {
      const uint32_t node = args["node"];
      if (node >= epidemic_.size()) {
        return Status::Invalid("crash: field \"node\" must be a node index below " +
                               Str(epidemic_.size()) + ", got " + Str(node));
      }
      if (epidemic_.state(node) == gossip::Epidemic::kCrashed) {
        return Status::Invalid("crash: node " + Str(node) + " has already crashed");
      }
      if (live <= 1) return Status::Invalid("crash: node " + Str(node) + " is the last live node");
      epidemic_.Crash(node);
      return Json{{"crashed", 1}, {"live", epidemic_.live()}};
    }
    const double fraction = args["fraction"];
    // Rounded to the nearest whole node, in integers: fraction is in [0, 1].
    const uint32_t count = static_cast<uint32_t>(fraction * live + 0.5);
    if (count >= live) {
      return Status::Invalid("crash: field \"fraction\" " + Json(fraction).dump() + " would crash all " +
                             Str(live) + " live nodes; at least one must stay up");
    }
    epidemic_.CrashRandom(count, rng_);
    work_ += live / 8;
    return Json{{"crashed", count}, {"live", epidemic_.live()}};
  }
  if (op == "loss") {
    config_.loss = args["p"];
    if (membership_) membership_->set_loss(config_.loss);
    return Json{{"loss", config_.loss}};
  }
  if (op == "trials") {
    last_trials_ = Trials(args["count"]);
    return last_trials_;
  }
  SDP_CHECK(false && "op declared in GossipSimInfo but not handled");
  return Status::Invalid(op);
}

bool GossipSim::QuietNow() const {
  return config_.async ? async_.Quiet(epidemic_, config_.strategy) : epidemic_.Quiet(config_.strategy);
}

gossip::AsyncEpidemic::Context GossipSim::AsyncContext() {
  return {&async_, &epidemic_, &config_.strategy, config_.loss, &config_.timing, &rng_, &rows_, kMaxRounds};
}

void GossipSim::WakeAsync() {
  if (!config_.async) return;
  const uint32_t before = epidemic_.live();
  async_.Wake(AsyncContext());
  work_ += before / 8;  // one timer per live node
}

Json GossipSim::AsyncJson() const {
  return {{"now_ms", static_cast<double>(async_.now()) / kMicrosPerMilli},
          {"running", async_.running()},
          {"in_flight", async_.in_flight()},
          {"events", async_.events()}};
}

Json GossipSim::RunAsync(int64_t ms, bool until_quiet) {
  const uint32_t informed_before = epidemic_.informed();
  const uint32_t periods_before = epidemic_.rounds();
  const size_t rows_before = rows_.size();
  const uint64_t events_before = async_.events();
  const SimTime start = async_.now();
  const bool finished = async_.Advance(AsyncContext(), start + ms * kMicrosPerMilli, until_quiet, kMaxStepWork);
  uint64_t messages = 0;
  for (size_t i = rows_before; i < rows_.size(); ++i) {
    messages += rows_[i].messages;
    messages_ += rows_[i].messages;
    contacts_ += rows_[i].contacts;
    lost_ += rows_[i].lost;
  }
  work_ += async_.events() - events_before;
  const bool quiet = QuietNow();
  const std::string stopped = !finished                             ? "work_limit"
                              : quiet                               ? "quiet"
                              : epidemic_.rounds() >= kMaxRounds    ? "round_limit"
                              : until_quiet                         ? "max_rounds"
                                                                    : "done";
  const uint32_t susceptible = epidemic_.live() - epidemic_.informed();
  Json out = {{"ms", static_cast<double>(async_.now() - start) / kMicrosPerMilli},
              {"now_ms", static_cast<double>(async_.now()) / kMicrosPerMilli},
              {"periods", epidemic_.rounds() - periods_before},
              {"round", epidemic_.rounds()},
              {"informed", epidemic_.informed()},
              {"informed_fraction", GossipRatio(epidemic_.informed(), epidemic_.live())},
              {"newly", epidemic_.informed() - std::min(informed_before, epidemic_.informed())},
              {"infective", epidemic_.infective()},
              {"in_flight", async_.in_flight()},
              {"messages", messages},
              {"events", async_.events() - events_before},
              {"quiet", quiet},
              {"stopped", stopped},
              {"susceptible", susceptible},
              {"residue", Injected() && quiet ? Json(GossipRatio(susceptible, epidemic_.live())) : Json(nullptr)}};
  return out;
}

std::vector<double> GossipSim::TheoryCurve() const {
  if (!Injected()) return {};
  const gossip::Strategy& s = config_.strategy;
  return gossip::SimpleEpidemicCurve(s.direction, s.fanout, config_.loss, epidemic_.size(),
                                     epidemic_.live(), epidemic_.rounds() - inject_round_);
}

Json GossipSim::Theory() const {
  const double n = static_cast<double>(epidemic_.live());
  const double ln_n = DetLog(n);
  const gossip::Strategy& s = config_.strategy;
  Json out = {
      // Pittel (1987): push needs log2 n + ln n + O(1) rounds to reach all;
      // Karp et al. (2000): push-pull log3 n + O(ln ln n).
      {"rounds_push", ln_n / DetLog(2) + ln_n},
      {"rounds_push_pull", ln_n / DetLog(3) + (n > 2.72 ? DetLog(ln_n) : 0.0)},
      {"curve_note", "simple epidemic (anti-entropy) in this direction, fanout and loss, mean field"}};
  const bool push_rumor = s.kind == gossip::Kind::kRumor && s.direction == gossip::Direction::kPush;
  const double m = GossipRatio(messages_, epidemic_.size());
  out["residue_from_traffic"] = push_rumor && Injected() ? Json(DetExp(-m)) : Json(nullptr);
  out["coin_residue"] = push_rumor && !s.counter ? Json(gossip::CoinResidue(s.k, s.feedback)) : Json(nullptr);
  return out;
}

Json GossipSim::Snapshot(Detail detail) const {
  const gossip::Epidemic& e = epidemic_;
  const bool quiet = QuietNow();
  const uint32_t susceptible = e.live() - e.informed();
  // Async: the period under way has counted messages not yet in a row.
  const gossip::RoundStats running = config_.async ? async_.current() : gossip::RoundStats{};
  Json out = {{"config", config_.ToJson()},
              {"round", e.rounds()},
              {"injected", Injected()},
              {"inject_round", Injected() ? Json(inject_round_) : Json(nullptr)},
              {"live", e.live()},
              {"crashed", e.size() - e.live()},
              {"informed", e.informed()},
              {"infective", e.infective()},
              {"informed_fraction", GossipRatio(e.informed(), e.live())},
              {"susceptible_fraction", GossipRatio(susceptible, e.live())},
              {"quiet", quiet},
              // Live nodes never informed once nothing can change any more.
              {"residue", Injected() && quiet ? Json(GossipRatio(susceptible, e.live())) : Json(nullptr)},
              {"totals", {{"messages", messages_ + running.messages},
                          {"contacts", contacts_ + running.contacts},
                          {"lost", lost_ + running.lost},
                          {"messages_per_node", GossipRatio(messages_ + running.messages, e.size())}}},
              {"last_round", rows_.empty() ? Json(nullptr) : RoundJson(rows_.back())},
              {"last_trials", last_trials_},
              {"theory", Theory()},
              {"membership", MembershipJson()}};
  if (config_.async) out["async"] = AsyncJson();
  if (detail == Detail::kFull) {
    std::string nodes(e.size(), '.');
    for (uint32_t i = 0; i < e.size(); ++i) nodes[i] = GossipStateChar(e.state(i));
    out["nodes"] = std::move(nodes);
    Json rounds = Json::array();
    for (const gossip::RoundStats& r : rows_) {
      rounds.push_back({r.round, r.informed, r.infective, r.newly, r.messages, r.lost});
    }
    out["rounds"] = {{"columns", {"round", "informed", "infective", "newly", "messages", "lost"}},
                     {"rows", std::move(rounds)}};
    out["theory"]["curve"] = TheoryCurve();
  }
  return out;
}

std::vector<uint32_t> GossipSim::Column(std::string_view name) const {
  std::vector<uint32_t> out;
  if (name == "node_state") {
    out.reserve(epidemic_.size());
    for (uint32_t i = 0; i < epidemic_.size(); ++i) out.push_back(epidemic_.state(i));
    return out;
  }
  if (name == "member_view" || name == "member_declared_ms") return MembershipColumn(name);
  if (name == "theory_ppm") {
    const std::vector<double> curve = TheoryCurve();
    for (const gossip::RoundStats& r : rows_) {
      const bool before = !Injected() || r.round <= inject_round_;
      const double x = before ? 0.0 : curve[r.round - inject_round_ - 1];
      out.push_back(static_cast<uint32_t>(x * 1e6 + 0.5));
    }
    return out;
  }
  uint32_t gossip::RoundStats::*field = nullptr;
  if (name == "round") field = &gossip::RoundStats::round;
  if (name == "round_informed") field = &gossip::RoundStats::informed;
  if (name == "round_infective") field = &gossip::RoundStats::infective;
  if (name == "round_messages") field = &gossip::RoundStats::messages;
  if (name == "round_newly") field = &gossip::RoundStats::newly;
  if (name == "round_lost") field = &gossip::RoundStats::lost;
  if (field == nullptr) return out;
  out.reserve(rows_.size());
  for (const gossip::RoundStats& r : rows_) out.push_back(r.*field);
  return out;
}

}  // namespace sdp
