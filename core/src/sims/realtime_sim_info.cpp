// The declaration of `realtime`: config fields, ops, and how fields map
// onto the config.
#include "sdp/realtime_sim.h"

namespace sdp {
namespace realtime_info {

FieldSpec TechniqueField(std::string name, bool required, std::string help) {
  std::vector<std::string> choices;
  for (uint32_t i = 0; i < realtime::kTechniques; ++i) {
    choices.push_back(realtime::TechniqueName(static_cast<realtime::Technique>(i)));
  }
  return EnumField(std::move(name), required, std::move(choices), std::move(help));
}

std::vector<FieldSpec> ConfigFields() {
  return {
      TechniqueField("technique", false, "how events reach the clients (default long_polling)"),
      IntField("clients", false, 0, realtime::World::kMaxClients, "clients at the start (default 10)"),
      NumberField("rate", false, 0, 1000, "events per second the server publishes (default 1)"),
      IntField("size", false, 1, 65536, "bytes of payload per event (default 100)"),
      IntField("latency_ms", false, 0, 10000, "client <-> server one-way delay (default 50)"),
      IntField("jitter_ms", false, 0, 10000, "each message's delay varies by up to +-jitter (default 10)"),
      IntField("p2p_latency_ms", false, 0, 10000, "WebRTC: publisher <-> client one-way delay (default 50)"),
      BoolField("turn", false, "WebRTC: relay through a TURN server beside the app server (default false)"),
      IntField("poll_interval_ms", false, 1, 3600000, "short polling: time between polls (default 1000)"),
      IntField("long_poll_timeout_ms", false, 1, 3600000, "long polling: a held GET is answered empty after this (default 30000)"),
      IntField("sse_retry_ms", false, 0, 3600000, "SSE: the `retry:` the server sends; wait before reconnecting (default 3000)"),
      IntField("ws_reconnect_ms", false, 0, 3600000, "WebSocket: the app's wait before reconnecting (default 1000)"),
      IntField("ping_interval_ms", false, 1000, 3600000, "WebSocket: keep-alive ping interval (default 30000)"),
      IntField("memory_per_connection_kb", false, 1, 1048576, "assumed server memory per open connection, KiB (default 32)"),
      IntField("bucket_ms", false, 10, 60000, "width of a chart bucket (default 1000)"),
  };
}

}  // namespace realtime_info

SimInfo RealtimeSimInfo() {
  SimInfo info;
  info.name = "realtime";
  info.help = "Pushing events to N clients: short polling, long polling, SSE, WebSocket, WebRTC; latency, requests, bytes, connections";
  info.config = realtime_info::ConfigFields();
  info.ops = {
      {"technique", "every client switches to this technique and connects now; the measurements restart",
       {realtime_info::TechniqueField("name", true, "short_polling, long_polling, sse, websocket or webrtc")}},
      {"clients", "grow (new clients connect now) or shrink (the last ones leave)",
       {IntField("count", true, 0, realtime::World::kMaxClients, "how many clients")}},
      {"events", "the server's event stream from now on: Poisson arrivals at this rate",
       {NumberField("rate", true, 0, 1000, "events per second (0 stops the stream)"),
        IntField("size", false, 1, 65536, "bytes of payload per event (default: unchanged)")}},
      {"drop_connection", "cut one client's connection now and watch it recover (or not)",
       {IntField("client", true, 0, realtime::World::kMaxClients - 1, "which client, from 0")}},
      {"advance", "let simulated time pass", {IntField("ms", true, 1, RealtimeSim::kMaxAdvanceMs, "milliseconds")}},
      {"compare", "two fresh runs with this seed, config, clients and stream, one per technique, side by side",
       {realtime_info::TechniqueField("a", true, "the first technique"),
        realtime_info::TechniqueField("b", true, "the second technique"),
        IntField("ms", true, 1, RealtimeSim::kMaxCompareMs, "simulated milliseconds of each run")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    RealtimeSimConfig c;
    realtime::WorldConfig& w = c.world;
    SDP_CHECK(realtime::ParseTechnique(config.value("technique", std::string("long_polling")), &c.technique));
    c.clients = config.value("clients", c.clients);
    c.rate = config.value("rate", c.rate);
    c.size = config.value("size", c.size);
    w.latency = MillisField(config, "latency_ms", w.latency);
    w.jitter = MillisField(config, "jitter_ms", w.jitter);
    w.p2p_latency = MillisField(config, "p2p_latency_ms", w.p2p_latency);
    w.turn = config.value("turn", w.turn);
    w.poll_interval = MillisField(config, "poll_interval_ms", w.poll_interval);
    w.long_poll_timeout = MillisField(config, "long_poll_timeout_ms", w.long_poll_timeout);
    w.sse_retry = MillisField(config, "sse_retry_ms", w.sse_retry);
    w.ws_reconnect = MillisField(config, "ws_reconnect_ms", w.ws_reconnect);
    w.ping_interval = MillisField(config, "ping_interval_ms", w.ping_interval);
    w.memory_per_connection = static_cast<uint32_t>(config.value("memory_per_connection_kb", int64_t{32}) * 1024);
    w.bucket = MillisField(config, "bucket_ms", w.bucket);
    return std::unique_ptr<Simulation>(std::make_unique<RealtimeSim>(seed, c));
  };
  return info;
}

}  // namespace sdp
