// The declaration of `tcp`: config fields, ops, and how fields map onto the config.
#include "sdp/tcp_sim.h"

namespace sdp {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

std::vector<FieldSpec> TcpConfigFields() {
  return {
      IntField("latency_ms", false, 0, 10000, "one-way delay of the link (default 50)"),
      IntField("rto_ms", false, 1, 60000, "initial retransmission timeout; doubles on each expiry (default 1000, RFC 6298)"),
      IntField("max_retries", false, 0, 15, "retransmissions of one segment before the connection is given up (default 5)"),
      IntField("msl_ms", false, 1, 600000, "maximum segment lifetime; TIME-WAIT lasts 2 x MSL (default 30000: Linux's 60 s TIME-WAIT; RFC 9293 says MSL = 2 min)"),
      IntField("mss", false, 1, 65495, "largest data bytes per segment (default 1460)"),
      IntField("window_bytes", false, 1, 65535, "receive window each side advertises, without window scaling (default 65535)"),
      BoolField("server_listening", false, "the server starts in LISTEN (default true); false: its port is closed"),
  };
}

}  // namespace

Status ApplyTcpFields(const Json& args, TcpSimConfig* config) {
  TcpSimConfig c = *config;
  c.latency = MillisField(args, "latency_ms", c.latency);
  c.endpoint.rto = MillisField(args, "rto_ms", c.endpoint.rto);
  c.endpoint.max_retries = args.value("max_retries", c.endpoint.max_retries);
  c.endpoint.msl = MillisField(args, "msl_ms", c.endpoint.msl);
  c.endpoint.mss = args.value("mss", c.endpoint.mss);
  c.endpoint.window = args.value("window_bytes", c.endpoint.window);
  c.server_listening = args.value("server_listening", c.server_listening);
  *config = c;
  return Status::Ok();
}

SimInfo TcpSimInfo() {
  SimInfo info;
  info.name = "tcp";
  info.help = "One TCP connection, client and server, with RFC 9293's states: open, send, close, lose segments";
  info.config = TcpConfigFields();
  const auto side = [](std::vector<std::string> allowed, const char* help) {
    return EnumField("side", false, std::move(allowed), help);
  };
  info.ops = {
      {"connect", "active OPEN: send a SYN (both: simultaneous open)",
       {side({"client", "server", "both"}, "who opens (default client)")}},
      {"listen", "passive OPEN: wait in LISTEN", {side({"client", "server"}, "who listens (default server)")}},
      {"send", "hand bytes to TCP to send, split at the MSS",
       {IntField("bytes", true, 1, 1000000, "how many bytes"), side({"client", "server"}, "who sends (default client)")}},
      {"close", "CLOSE: send a FIN after the queued data (both: simultaneous close)",
       {side({"client", "server", "both"}, "who closes (default client)")}},
      {"abort", "ABORT: send a RST and forget the connection", {side({"client", "server"}, "who aborts (default client)")}},
      {"drop_next", "lose the next segment(s) this side sends",
       {side({"client", "server"}, "whose segments (default client)"), IntField("count", false, 1, 10, "how many (default 1)")}},
      {"advance", "let simulated time pass", {IntField("ms", true, 1, kHourMs, "milliseconds")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    TcpSimConfig c;
    Status status = ApplyTcpFields(config, &c);
    if (!status.ok()) return Status::Invalid("config: " + status.message());
    return std::unique_ptr<Simulation>(std::make_unique<TcpSim>(seed, c));
  };
  return info;
}

}  // namespace sdp
