#include "sdp/layers_sim.h"

#include <algorithm>

namespace sdp {

namespace {

constexpr uint32_t kSummaryPdusPerEvent = 24;  // the widget lists a few and says how many more

// Events with their PDU lists cut to `keep` (and the full count beside).
Json StageJson(const Json& stage, uint32_t keep) {
  Json out = stage;
  for (Json& event : out["events"]) {
    const uint32_t total = static_cast<uint32_t>(event["pdus"].size());
    if (total > keep) {
      event["pdus"].erase(event["pdus"].begin() + keep, event["pdus"].end());
    }
    event["pdus_total"] = total;
  }
  return out;
}

// A request target as RFC 9112 3.2.1 writes it (origin-form): "/" then
// visible ASCII only, so the request line stays one line.
bool IsOriginForm(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  return std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

LayersSim::LayersSim(uint64_t seed, const LayersSimConfig& config)
    : config_(config), rng_(seed), network_(layers::Network::Default()) {
  // Drawn one per statement: argument evaluation order differs between compilers.
  // Linux picks ephemeral ports from 32768-60999 (net.ipv4.ip_local_port_range).
  connection_.client_port = static_cast<uint16_t>(32768 + rng_.Below(60999 - 32768 + 1));
  connection_.iss = static_cast<uint32_t>(rng_.Next() >> 32);
  connection_.server_iss = static_cast<uint32_t>(rng_.Next() >> 32);
  connection_.next_ip_id = static_cast<uint16_t>(rng_.Next() >> 48);
  connection_.mss = config_.mss;
  connection_.timestamps = config_.tcp_timestamps;
}

Result<Json> LayersSim::Apply(const std::string& op, const Json& args) {
  ++work_;
  if (op == "request") return SendRequest(args);
  if (op == "set_route") return SetRoute(args);
  if (op == "remove_route") return RemoveRoute(args);
  if (op == "set_mtu") {
    layers::Link* link = network_.FindLink(args["link"].get<std::string>());
    SDP_CHECK(link != nullptr);  // the field is an enum of the link names
    const uint32_t before = link->mtu;
    link->mtu = args["mtu"].get<uint32_t>();
    return Json{{"link", link->name}, {"mtu", link->mtu}, {"was", before}};
  }
  // step / run move through the walk on show.
  if (!walk_) return Status::Invalid(op + ": no request yet; send one first (op \"request\")");
  const uint32_t last = static_cast<uint32_t>(walk_->stages.size() - 1);
  // `run` at the end is a no-op, so that "show me the outcome" never fails.
  if (position_ == last && op == "step") {
    return Status::Invalid(op + ": the walk is over (stage " + std::to_string(last + 1) + " of " +
                           std::to_string(last + 1) + "); send another request");
  }
  const uint32_t count = op == "run" ? last : args.value("count", 1u);
  position_ = std::min(last, position_ + count);
  return StageResult();
}

Result<Json> LayersSim::SendRequest(const Json& args) {
  layers::Request request;
  request.method = args.value("method", request.method);
  request.path = args.value("path", request.path);
  if (!IsOriginForm(request.path)) {
    return Status::Invalid("request: field \"path\": \"" + request.path +
                           "\" must start with / and hold only visible ASCII (no spaces), e.g. /index.html");
  }
  request.body_bytes = args.value("body_bytes", 0u);
  request.ttl = static_cast<uint8_t>(args.value("ttl", config_.ttl));
  request.df = args.value("dont_fragment", false);
  layers::Connection connection = connection_;
  Result<layers::Walk> walk = layers::BuildWalk(network_, request, &connection);
  if (!walk.ok()) return walk.status();
  connection_ = connection;
  walk_ = std::move(walk).value();
  position_ = 0;
  ++requests_;
  if (walk_->delivered) ++delivered_;
  work_ += walk_->stages.size();
  Json out = StageResult();
  out["segments"] = walk_->segments;
  out["datagrams"] = walk_->datagrams;
  return out;
}

Result<Json> LayersSim::SetRoute(const Json& args) {
  const std::string router = args["router"].get<std::string>();
  const std::string via = args["via"].get<std::string>();
  layers::Prefix prefix;
  SDP_RETURN_IF_ERROR(layers::ParsePrefix(args["prefix"].get<std::string>(), "prefix", &prefix));
  layers::Node* node = network_.FindNode(router);
  SDP_CHECK(node != nullptr);
  const layers::Link* link = network_.Between(router, via);
  if (link == nullptr) {
    std::string neighbours;
    for (const layers::Link& l : network_.links()) {
      if (l.a == router || l.b == router) neighbours += (neighbours.empty() ? "" : ", ") + l.Other(router);
    }
    return Status::Invalid("set_route: field \"via\": " + via + " is not a neighbour of " + router +
                           "; a next hop must share a link with it: " + neighbours);
  }
  const layers::Route* old = node->table.Find(prefix);
  if (old != nullptr && old->connected) {
    return Status::Invalid("set_route: field \"prefix\": " + prefix.ToString() + " is directly connected to " + router +
                           " (its interface on " + old->link + "); it cannot be replaced");
  }
  Json out = {{"router", router}, {"prefix", prefix.ToString()}, {"via", via}, {"link", link->name}};
  if (old != nullptr) out["replaced_via"] = old->via;
  node->table.Set({prefix, via, link->name, false});
  return out;
}

Result<Json> LayersSim::RemoveRoute(const Json& args) {
  const std::string router = args["router"].get<std::string>();
  layers::Prefix prefix;
  SDP_RETURN_IF_ERROR(layers::ParsePrefix(args["prefix"].get<std::string>(), "prefix", &prefix));
  layers::Node* node = network_.FindNode(router);
  SDP_CHECK(node != nullptr);
  const layers::Route* old = node->table.Find(prefix);
  if (old == nullptr) {
    std::string known;
    for (const layers::Route& r : node->table.routes()) known += (known.empty() ? "" : ", ") + r.prefix.ToString();
    return Status::Invalid("remove_route: field \"prefix\": " + router + " has no route for " + prefix.ToString() +
                           "; its routes: " + known);
  }
  if (old->connected) {
    return Status::Invalid("remove_route: field \"prefix\": " + prefix.ToString() + " is directly connected to " +
                           router + " (its interface on " + old->link + "); it cannot be removed");
  }
  Json out = {{"router", router}, {"prefix", prefix.ToString()}, {"via", old->via}};
  node->table.Remove(prefix);
  return out;
}

Json LayersSim::StageResult() const {
  const uint32_t total = static_cast<uint32_t>(walk_->stages.size());
  Json events = Json::array();
  for (const Json& e : walk_->stages[position_]["events"]) {
    events.push_back({{"node", e["node"]}, {"layer", e["layer"]}, {"text", e["text"]}});
  }
  Json out = {{"position", position_}, {"stages_total", total}, {"done", position_ + 1 == total}, {"events", events}};
  if (position_ + 1 == total) {
    out["outcome"] = walk_->outcome;
    out["delivered"] = walk_->delivered;
  }
  return out;
}

Json LayersSim::NetworkJson() const {
  Json nodes = Json::array();
  for (const layers::Node& n : network_.nodes()) {
    Json interfaces = Json::array();
    for (const layers::Interface& i : n.interfaces) {
      interfaces.push_back({{"link", i.link}, {"addr", layers::FormatAddr(i.addr)}, {"prefix_length", i.prefix_length}, {"mac", i.mac}});
    }
    Json routes = Json::array();
    for (const layers::Route& r : n.table.routes()) {
      routes.push_back({{"prefix", r.prefix.ToString()}, {"via", r.via}, {"link", r.link}, {"connected", r.connected}});
    }
    nodes.push_back({{"name", n.name}, {"kind", n.router ? "router" : "host"}, {"interfaces", interfaces}, {"routes", routes}});
  }
  Json links = Json::array();
  for (const layers::Link& l : network_.links()) links.push_back({{"name", l.name}, {"a", l.a}, {"b", l.b}, {"mtu", l.mtu}});
  return {{"nodes", nodes}, {"links", links}};
}

Json LayersSim::WalkJson(Detail detail) const {
  if (!walk_) return nullptr;
  const layers::Walk& w = *walk_;
  const uint32_t keep = detail == Detail::kFull ? layers::kMaxPacketsPerStage * 2 : kSummaryPdusPerEvent;
  Json stages = Json::array();
  for (const Json& s : w.stages) stages.push_back(StageJson(s, keep));
  const uint32_t total = static_cast<uint32_t>(w.stages.size());
  return {{"request", {{"method", w.request.method}, {"path", w.request.path}, {"body_bytes", w.request.body_bytes},
                       {"ttl", w.request.ttl}, {"dont_fragment", w.request.df}}},
          {"http", w.http},
          {"position", position_},
          {"stages_total", total},
          {"done", position_ + 1 == total},
          {"segments", w.segments},
          {"datagrams", w.datagrams},
          {"fragments_created", w.fragments_created},
          {"forwarded", w.forwarded},
          {"icmp_sent", w.icmp_sent},
          {"bytes_delivered", w.bytes_delivered},
          {"delivered", w.delivered},
          {"outcome", w.outcome},
          {"stages", stages}};
}

Json LayersSim::Snapshot(Detail detail) const {
  return {{"network", NetworkJson()},
          {"connection", {{"client_port", connection_.client_port}, {"server_port", connection_.server_port},
                          {"iss", connection_.iss}, {"next_rel_seq", connection_.next_rel_seq},
                          {"next_ip_id", connection_.next_ip_id}, {"mss", connection_.mss},
                          {"tcp_timestamps", connection_.timestamps}}},
          {"walk", WalkJson(detail)},
          {"requests", requests_},
          {"requests_delivered", delivered_}};
}

}  // namespace sdp
