#include "sdp/realtime_sim.h"

#include <algorithm>

#include "sdp/realtime/wire.h"
#include "sims/sim_text.h"

namespace sdp {
namespace {

using realtime::Technique;
using realtime::World;

std::unique_ptr<World> MakeWorld(uint64_t seed, const RealtimeSimConfig& c) {
  auto world = std::make_unique<World>(seed, c.world);
  world->SetTechnique(c.technique);
  world->SetClients(c.clients);
  world->SetEvents(c.rate, c.size);
  return world;
}

double RealtimePerSecond(uint64_t count, SimTime elapsed) {
  return elapsed <= 0 ? 0.0 : static_cast<double>(count) * kMicrosPerSecond / static_cast<double>(elapsed);
}

}  // namespace

RealtimeSim::RealtimeSim(uint64_t seed, const RealtimeSimConfig& config)
    : seed_(seed), config_(config), world_(MakeWorld(seed, config)) {}

Json RealtimeSim::MetricsJson(const World& world) {
  const realtime::Metrics& m = world.metrics();
  const SimTime elapsed = world.now() - m.since;
  const uint64_t mem = world.config().memory_per_connection;
  const uint64_t total = m.bytes_up + m.bytes_down;
  return {{"technique", realtime::TechniqueName(world.technique())},
          {"elapsed_ms", elapsed / kMicrosPerMilli},
          {"events_published", m.events_published},
          {"deliveries", m.deliveries},
          {"missed", m.missed},
          {"duplicates", m.duplicates},
          {"out_of_order", m.out_of_order},
          {"latency_p50_us", m.latency.Percentile(500)},
          {"latency_p99_us", m.latency.Percentile(990)},
          {"latency_mean_us", m.deliveries == 0 ? 0 : m.latency_sum / static_cast<SimTime>(m.deliveries)},
          {"latency_max_us", m.latency.max()},
          {"held_response_latency_max_us", m.held_response_latency_max},
          {"requests", m.requests},
          {"requests_per_s", RealtimePerSecond(m.requests, elapsed)},
          {"signalling_messages", m.signalling_messages},
          {"empty_responses", m.empty_responses},
          {"connects", m.connects},
          {"bytes_up", m.bytes_up},
          {"bytes_down", m.bytes_down},
          {"bytes_total", total},
          {"bytes_per_delivery", m.deliveries == 0 ? 0 : total / m.deliveries},
          {"server_bytes", m.server_bytes},
          {"p2p_bytes", m.p2p_bytes},
          {"relay_bytes", m.relay_bytes},
          {"open_connections", world.open_connections()},
          {"peak_open_connections", m.peak_open},
          {"memory_bytes", world.open_connections() * mem},
          {"peak_memory_bytes", m.peak_open * mem}};
}

Json RealtimeSim::StepResult(bool done) const {
  const realtime::Metrics& m = world_->metrics();
  Json out = {{"now_us", world_->now()},
              {"events_published", m.events_published},
              {"deliveries", m.deliveries},
              {"missed", m.missed},
              {"requests", m.requests},
              {"open_connections", world_->open_connections()}};
  if (!done) {
    out["stopped"] = "a step does at most " + Str(static_cast<int64_t>(kMaxWorkPerStep)) +
                     " units of work; stopped here, advance again to continue";
  }
  return out;
}

Result<Json> RealtimeSim::Compare(const Json& args) {
  Technique a = Technique::kShortPolling, b = Technique::kShortPolling;
  const bool known_a = realtime::ParseTechnique(args["a"].get<std::string>(), &a);
  const bool known_b = realtime::ParseTechnique(args["b"].get<std::string>(), &b);
  SDP_CHECK(known_a && known_b);  // the declaration's enum checked them
  const SimTime duration = args["ms"].get<int64_t>() * kMicrosPerMilli;
  RealtimeSimConfig c = config_;
  c.clients = world_->clients();
  c.rate = world_->rate();
  c.size = world_->event_size();
  Json runs = Json::array();
  bool done = true;
  for (Technique t : {a, b}) {
    c.technique = t;
    auto world = MakeWorld(seed_, c);
    done = world->Advance(duration, kMaxWorkPerStep / 2) && done;
    compare_work_ += world->work();
    runs.push_back(MetricsJson(*world));
  }
  last_compare_ = {{"ms", duration / kMicrosPerMilli}, {"clients", c.clients}, {"rate", c.rate},
                   {"size", c.size}, {"runs", runs}};
  Json out = last_compare_;
  if (!done) out["stopped"] = "a run stopped at its work limit; compare fewer clients, a lower rate or less time";
  return out;
}

Result<Json> RealtimeSim::Apply(const std::string& op, const Json& args) {
  if (op == "technique") {
    Technique t = Technique::kShortPolling;
    SDP_CHECK(realtime::ParseTechnique(args["name"].get<std::string>(), &t));
    world_->SetTechnique(t);
    return Json{{"technique", realtime::TechniqueName(t)}, {"clients", world_->clients()}};
  }
  if (op == "clients") {
    world_->SetClients(args["count"].get<uint32_t>());
    return Json{{"clients", world_->clients()}};
  }
  if (op == "events") {
    const double rate = args["rate"].get<double>();
    const uint32_t size = args.value("size", world_->event_size());
    world_->SetEvents(rate, size);
    return Json{{"rate", rate}, {"size", size}};
  }
  if (op == "drop_connection") {
    const uint32_t c = args["client"].get<uint32_t>();
    if (c >= world_->clients()) {
      return Status::Invalid("drop_connection: field \"client\" " + Str(c) + " is not a client; " +
                             (world_->clients() == 0 ? std::string("there are none (add some with `clients`)")
                                                     : "clients are 0.." + Str(world_->clients() - 1)));
    }
    const World::DropResult r = world_->Drop(c);
    return Json{{"client", c}, {"dropped", r.dropped}, {"note", r.note}};
  }
  if (op == "advance") {
    const bool done = world_->Advance(args["ms"].get<int64_t>() * kMicrosPerMilli, kMaxWorkPerStep);
    return StepResult(done);
  }
  if (op == "compare") return Compare(args);
  return Status::Invalid("unknown op " + op);
}

Json RealtimeSim::Snapshot(Detail detail) const {
  const World& w = *world_;
  const realtime::WorldConfig& c = w.config();
  std::vector<const realtime::TimelineEntry*> shown;
  for (const realtime::TimelineEntry& e : w.timeline()) {
    if (e.t <= w.now()) shown.push_back(&e);
  }
  std::stable_sort(shown.begin(), shown.end(), [](const auto* x, const auto* y) {
    return x->t != y->t ? x->t < y->t : x->seq < y->seq;
  });
  const size_t limit = detail == Detail::kFull ? kTimelineShown : 50;
  const size_t first = shown.size() > limit ? shown.size() - limit : 0;
  Json timeline = Json::array();
  for (size_t i = first; i < shown.size(); ++i) {
    timeline.push_back({{"t_us", shown[i]->t},
                        {"client", shown[i]->client},
                        {"kind", realtime::LineKindName(shown[i]->kind)},
                        {"what", shown[i]->what}});
  }
  Json clients = Json::array();
  for (uint32_t i = 0; i < std::min(w.clients(), World::kTimelineClients); ++i) {
    const World::ClientView v = w.Client(i);
    clients.push_back({{"client", i}, {"state", v.state}, {"last_received", v.received_last},
                       {"first_expected", v.baseline + 1}, {"received", v.received}, {"missed", v.missed}});
  }
  return {{"now_us", w.now()},
          {"technique", realtime::TechniqueName(w.technique())},
          {"clients", w.clients()},
          {"events", {{"rate", w.rate()}, {"size", w.event_size()}, {"latest_id", w.latest_id()}}},
          {"network",
           {{"latency_ms", c.latency / kMicrosPerMilli},
            {"jitter_ms", c.jitter / kMicrosPerMilli},
            {"p2p_latency_ms", c.p2p_latency / kMicrosPerMilli},
            {"turn", c.turn}}},
          {"timing",
           {{"poll_interval_ms", c.poll_interval / kMicrosPerMilli},
            {"long_poll_timeout_ms", c.long_poll_timeout / kMicrosPerMilli},
            {"sse_retry_ms", c.sse_retry / kMicrosPerMilli},
            {"ws_reconnect_ms", c.ws_reconnect / kMicrosPerMilli},
            {"ping_interval_ms", c.ping_interval / kMicrosPerMilli}}},
          {"memory_per_connection_bytes", c.memory_per_connection},
          {"metrics", MetricsJson(w)},
          {"wire_bytes",
           {{"poll_request", realtime::PollRequestBytes(w.latest_id())},
            {"poll_response_empty", realtime::PollResponseBytes(0, w.event_size())},
            {"poll_response_one_event", realtime::PollResponseBytes(1, w.event_size())},
            {"sse_request", realtime::SseRequestBytes(false, 0)},
            {"sse_event", realtime::SseEventBytes(w.latest_id(), w.event_size())},
            {"ws_upgrade_request", realtime::WsUpgradeRequestBytes()},
            {"ws_upgrade_response", realtime::WsUpgradeResponseBytes()},
            {"ws_frame", w.event_size() + realtime::WsFrameHeaderBytes(w.event_size(), false)},
            {"webrtc_offer", realtime::OfferBytes()},
            {"webrtc_answer", realtime::AnswerBytes()},
            {"webrtc_message", realtime::DataChannelMessageBytes(w.event_size())}}},
          {"first_clients", clients},
          {"timeline", timeline},
          {"series", w.series().ToJson()},
          {"series_dropped_buckets", w.series().dropped()},
          {"compare", last_compare_}};
}

std::vector<uint32_t> RealtimeSim::Column(std::string_view name) const { return world_->series().Column(name); }

}  // namespace sdp
