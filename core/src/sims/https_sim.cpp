#include "sdp/https_sim.h"

#include <algorithm>

#include "sdp/https/tls_record.h"

namespace sdp {

namespace {

const char* ModeName(https::Mode mode) {
  switch (mode) {
    case https::Mode::kNone: return "none";
    case https::Mode::kEavesdrop: return "eavesdrop";
    case https::Mode::kTamper: return "tamper";
    case https::Mode::kImpersonate: return "impersonate";
  }
  return "?";
}

const char* ForgeryName(https::Forgery forgery) {
  switch (forgery) {
    case https::Forgery::kOwnCa: return "own_ca";
    case https::Forgery::kOtherName: return "other_name";
    case https::Forgery::kCopied: return "copied";
  }
  return "?";
}

// A request target in origin-form (RFC 9112 3.2.1): "/" then visible ASCII,
// so the request line stays one line.
bool IsOriginFormTarget(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  return std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Json OptionalText(const std::optional<std::string>& text) { return text ? Json(*text) : Json(nullptr); }

}  // namespace

HttpsSim::HttpsSim(uint64_t seed, const https::Setup& setup) : setup_(setup), rng_(seed) {}

Result<Json> HttpsSim::Apply(const std::string& op, const Json& args) {
  ++work_;
  if (op == "request") return SendRequest(args);
  if (op == "attacker") return SetAttacker(args);
  SDP_CHECK(op == "advance");
  now_ += args["ms"].get<int64_t>() * kMicrosPerMilli;
  return Json{{"now_us", now_}};
}

Result<Json> HttpsSim::SendRequest(const Json& args) {
  https::Request request;
  request.https = args.value("scheme", std::string("https")) == "https";
  request.method = args.value("method", request.method);
  request.path = args.value("path", request.path);
  if (!IsOriginFormTarget(request.path)) {
    return Status::Invalid("request: field \"path\": \"" + request.path +
                           "\" must start with / and hold only visible ASCII (no spaces), e.g. /transfer");
  }
  request.body = args.value("body", request.body);
  request.padding = args.value("padding", 0u);
  https::Exchange x = https::RunExchange(setup_, request, attacker_, now_, &rng_);
  now_ = x.end;
  ++requests_;
  delivered_ += x.delivered ? 1 : 0;
  read_ += x.read ? 1 : 0;
  altered_undetected_ += x.altered && !x.detected ? 1 : 0;
  detected_ += x.detected ? 1 : 0;
  work_ += 10 * x.messages.size();
  last_ = std::move(x);
  history_.push_back({{"id", requests_},
                      {"scheme", last_->request.https ? "https" : "http"},
                      {"attacker", ModeName(last_->attacker.mode)},
                      {"read", last_->read},
                      {"altered", last_->altered},
                      {"detected", last_->detected},
                      {"delivered", last_->delivered}});
  if (history_.size() > kHistoryKept) history_.pop_front();
  return ExchangeJson(*last_);
}

Result<Json> HttpsSim::SetAttacker(const Json& args) {
  const std::string mode = args["mode"].get<std::string>();
  const auto refuse = [&](const char* field, const char* only) -> Status {
    return Status::Invalid(std::string("attacker: field \"") + field + "\" applies to mode " + only + " only, not " + mode);
  };
  for (const char* field : {"find", "replace", "direction"}) {
    if (args.contains(field) && mode != "tamper") return refuse(field, "tamper");
  }
  if (args.contains("certificate") && mode != "impersonate") return refuse("certificate", "impersonate");
  https::Attacker a;  // every field not given goes back to its default
  if (mode == "eavesdrop") a.mode = https::Mode::kEavesdrop;
  if (mode == "tamper") a.mode = https::Mode::kTamper;
  if (mode == "impersonate") a.mode = https::Mode::kImpersonate;
  a.find = args.value("find", a.find);
  a.replace = args.value("replace", a.replace);
  a.on_response = args.value("direction", std::string("request")) == "response";
  const std::string certificate = args.value("certificate", std::string("own_ca"));
  if (certificate == "other_name") a.forgery = https::Forgery::kOtherName;
  if (certificate == "copied") a.forgery = https::Forgery::kCopied;
  attacker_ = a;
  return AttackerJson();
}

Json HttpsSim::AttackerJson() const {
  Json out = {{"mode", ModeName(attacker_.mode)}};
  if (attacker_.mode == https::Mode::kTamper) {
    out["find"] = attacker_.find;
    out["replace"] = attacker_.replace;
    out["direction"] = attacker_.on_response ? "response" : "request";
  }
  if (attacker_.mode == https::Mode::kImpersonate) out["certificate"] = ForgeryName(attacker_.forgery);
  return out;
}

Json HttpsSim::ExchangeJson(const https::Exchange& x) const {
  Json messages = Json::array();
  uint64_t handshake_bytes = 0;
  Json sizes = Json::object();
  for (const https::Message& m : x.messages) {
    Json j = {{"from", https::PartyName(m.from)}, {"to", https::PartyName(m.to)}, {"via_attacker", m.via_attacker},
              {"sent_us", m.sent}, {"arrives_us", m.arrives}, {"label", m.label}, {"bytes", m.wire.size()},
              {"altered", m.altered}};
    if (m.http) {
      j["kind"] = "http";
    } else {
      const https::RecordHeader h = https::ParseHeader(m.wire);
      j["kind"] = "record";
      j["content_type"] = h.type;
      j["legacy_version"] = h.legacy_version;
      j["length"] = h.length;
      if (!m.carries_http) handshake_bytes += m.wire.size();
    }
    if (m.carries_http) sizes[m.from == https::Party::kClient ? "request_wire_bytes" : "response_wire_bytes"] = m.wire.size();
    messages.push_back(std::move(j));
  }
  if (x.request.https) sizes["tls_other_bytes"] = handshake_bytes;
  if (x.client_sent) sizes["request_text_bytes"] = x.client_sent->size();
  if (x.server_sent) sizes["response_text_bytes"] = x.server_sent->size();
  Json handshake = Json::array();
  for (const auto& [from, type] : x.handshake) {
    handshake.push_back({{"from", https::PartyName(from)}, {"message", https::HandshakeName(static_cast<uint8_t>(type))}});
  }
  Json alert = nullptr;
  if (x.alert) {
    alert = {{"from", https::PartyName(x.alert_from)}, {"name", https::AlertName(*x.alert)},
             {"code", static_cast<uint32_t>(*x.alert)}, {"reason", x.alert_reason}};
  }
  return {{"id", requests_},
          {"scheme", x.request.https ? "https" : "http"},
          {"request", {{"method", x.request.method}, {"path", x.request.path}, {"body", x.request.body},
                       {"padding", x.request.padding}}},
          {"start_us", x.start},
          {"end_us", x.end},
          {"messages", messages},
          {"handshake", handshake},
          {"seen", x.seen},
          {"sizes", sizes},
          {"client_sent", OptionalText(x.client_sent)},
          {"server_received", OptionalText(x.server_received)},
          {"server_sent", OptionalText(x.server_sent)},
          {"client_received", OptionalText(x.client_received)},
          {"alert", alert},
          {"read", x.read},
          {"altered", x.altered},
          {"detected", x.detected},
          {"delivered", x.delivered},
          {"verdict", x.verdict}};
}

Json HttpsSim::Snapshot(Detail detail) const {
  (void)detail;  // small either way: one exchange and a short history
  Json history = Json::array();
  for (const Json& h : history_) history.push_back(h);
  Json out = {{"now_us", now_},
              {"server_name", setup_.server_name},
              {"latency_ms", setup_.latency / kMicrosPerMilli},
              {"attacker", AttackerJson()},
              {"totals", {{"requests", requests_}, {"delivered", delivered_}, {"read", read_},
                          {"altered_undetected", altered_undetected_}, {"detected", detected_}}},
              {"history", history}};
  out["last"] = last_ ? ExchangeJson(*last_) : Json(nullptr);
  return out;
}

}  // namespace sdp
