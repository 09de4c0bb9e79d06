// The declaration of `https`: config fields, ops, and how fields map onto the config.
#include <algorithm>

#include "sdp/https_sim.h"

namespace sdp {

namespace {

// A host name as the ClientHello's server_name carries it (RFC 6066 3:
// a DNS name, ASCII): labels of letters, digits and hyphens, split by dots.
bool IsDnsServerName(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

}  // namespace

SimInfo HttpsSimInfo() {
  SimInfo info;
  info.name = "https";
  info.help = "HTTP vs HTTPS with someone on the path: what an eavesdropper reads, what a man in the middle can "
              "change or fake, TLS 1.3's handshake and record sizes, and the alerts that refuse a forgery";
  info.config = {
      StringField("server_name", false, 1, 100,
                  "the server's DNS name: its certificate's name and the ClientHello's SNI (default bank.example)"),
      IntField("latency_ms", false, 0, 10000, "one-way delay client to server; the attacker sits half way (default 20)"),
  };
  info.ops = {
      {"request", "the client sends one HTTP request on a new connection and reads the response",
       {EnumField("scheme", false, {"http", "https"}, "http: in the clear; https: TLS 1.3 first (default https)"),
        EnumField("method", false, {"GET", "POST", "PUT", "DELETE"}, "HTTP method (default GET)"),
        StringField("path", false, 1, 200, "request target: starts with /, visible ASCII, e.g. /transfer (default /)"),
        StringField("body", false, 0, 2000, "request body, e.g. to=bob&amount=100 (default empty)"),
        IntField("padding", false, 0, 1000, "zero bytes added inside each application record, hiding its length (default 0)")}},
      {"attacker", "who is on the path from the next request on",
       {EnumField("mode", true, {"none", "eavesdrop", "tamper", "impersonate"},
                  "none, eavesdrop (read), tamper (change in passing), impersonate (answer as the server)"),
        StringField("find", false, 1, 200, "tamper: the text to replace (default to=bob)"),
        StringField("replace", false, 0, 200, "tamper: what to put instead (default to=mallory)"),
        EnumField("direction", false, {"request", "response"}, "tamper: which message (default request)"),
        EnumField("certificate", false, {"own_ca", "other_name", "copied"},
                  "impersonate over HTTPS: a certificate from its own CA, a real one for its own name, or the "
                  "server's copied without the key (default own_ca)")}},
      {"advance", "let time pass before the next request", {IntField("ms", true, 1, 3600000, "milliseconds")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    https::Setup setup;
    setup.server_name = config.value("server_name", setup.server_name);
    if (!IsDnsServerName(setup.server_name)) {
      return Status::Invalid("config: field \"server_name\": \"" + setup.server_name +
                             "\" must be a DNS name: lowercase letters, digits, '-' and '.' between labels, e.g. bank.example");
    }
    setup.latency = MillisField(config, "latency_ms", setup.latency);
    return std::unique_ptr<Simulation>(std::make_unique<HttpsSim>(seed, setup));
  };
  return info;
}

}  // namespace sdp
