// The `realtime` sim: the wire formats' byte counts (RFC 6455 5.2, the
// WHATWG event-stream format, RFC 9112 chunked coding), and the issue's
// fidelity list: long polling delivers each event exactly once and in order,
// within one round trip of a held request; short polling's latency averages
// half the interval (plus the way back); SSE resumes from Last-Event-ID with
// nothing lost; a WebSocket loses what is sent while it reconnects; WebRTC's
// events bypass the server. And the sim's contracts: bad input changes nothing.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sdp/realtime/wire.h"
#include "sdp/realtime_sim.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace realtime_test {

namespace {

using sdp::Json;
using sdp::RealtimeSim;
namespace rt = sdp::realtime;

std::unique_ptr<sdp::Simulation> Make(uint64_t seed, const Json& config) {
  return sim_test::Make("realtime", seed, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("realtime", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("realtime", sim, step); }
const rt::World& WorldOf(const sdp::Simulation& sim) { return dynamic_cast<const RealtimeSim&>(sim).world(); }
Json Metrics(const sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kSummary)["metrics"]; }

// Stops the stream and lets everything in flight land.
void Settle(sdp::Simulation& sim) {
  Step(sim, {{"op", "events"}, {"rate", 0}});
  Step(sim, {{"op", "advance"}, {"ms", 10000}});
}

// Every client has every event published after it first reached the server
// (its baseline), except the ones counted as missed.
void RequireAccounted(const sdp::Simulation& sim) {
  const rt::World& w = WorldOf(sim);
  uint64_t expected = 0, missed = 0;
  for (uint32_t c = 0; c < w.clients(); ++c) {
    const rt::World::ClientView v = w.Client(c);
    INFO("client " << c);
    CHECK(v.received_last == w.latest_id());
    CHECK(v.received + v.missed == w.latest_id() - v.baseline);
    expected += w.latest_id() - v.baseline;
    missed += v.missed;
  }
  const Json m = Metrics(sim);
  CHECK(m["duplicates"] == 0);
  CHECK(m["out_of_order"] == 0);
  CHECK(m["missed"].get<uint64_t>() == missed);
  CHECK(m["deliveries"].get<uint64_t>() + missed == expected);
}

}  // namespace

TEST_CASE("realtime: wire sizes follow RFC 6455, the event-stream format and chunked coding", "[realtime]") {
  // RFC 6455 5.2: 7-bit length up to 125, then 16-bit, then 64-bit; 4-byte mask from clients.
  CHECK(rt::WsFrameHeaderBytes(0, false) == 2);
  CHECK(rt::WsFrameHeaderBytes(125, false) == 2);
  CHECK(rt::WsFrameHeaderBytes(126, false) == 4);
  CHECK(rt::WsFrameHeaderBytes(65535, false) == 4);
  CHECK(rt::WsFrameHeaderBytes(65536, false) == 10);
  CHECK(rt::WsFrameHeaderBytes(65536, true) == 14);
  CHECK(rt::WsFrameHeaderBytes(10, true) == 6);
  // "id: 7\ndata: hello\n\n" is 19 bytes; as a chunk "13\r\n" + 19 + "\r\n".
  CHECK(rt::SseEventBytes(7, 5) == 25);
  // 2^20 - 1 bytes of payload: the chunk size takes 5 hex digits.
  CHECK(rt::HexDigits(0xFFFFF) == 5);
  CHECK(rt::DecimalDigits(0) == 1);
  CHECK(rt::DecimalDigits(10) == 2);
  // The counted sizes agree with the literal header blocks, whatever the id's width.
  for (uint64_t id : {0ull, 9ull, 10ull, 99999ull, 1234567890123ull}) {
    CHECK(rt::PollRequestBytes(id) == rt::PollRequestText(id).size());
  }
  CHECK(rt::WsUpgradeRequestBytes() == rt::WsUpgradeRequestText().size());
  CHECK(rt::WsUpgradeResponseBytes() == rt::WsUpgradeResponseText().size());
  // A JSON array of three 10-byte events: brackets and two commas.
  CHECK(rt::PollBodyBytes(3, 10) == 34);
  CHECK(rt::PollBodyBytes(0, 10) == 2);
  // DTLS (13 + 8 + 16) + SCTP (12 + 16) + payload padded to 4.
  CHECK(rt::DataChannelMessageBytes(100) == 165);
  CHECK(rt::DataChannelMessageBytes(101) == 169);
}

TEST_CASE("realtime: long polling delivers each event exactly once, in order, within a round trip of a held GET",
          "[realtime][fidelity]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    auto sim = Make(seed, {{"technique", "long_polling"}, {"clients", 50}, {"rate", 5}, {"latency_ms", 50},
                           {"jitter_ms", 10}, {"long_poll_timeout_ms", 2000}});
    Step(*sim, {{"op", "advance"}, {"ms", 20000}});
    // Drops in the middle of held GETs and of responses in flight.
    for (uint32_t c : {3u, 7u, 11u}) Step(*sim, {{"op", "drop_connection"}, {"client", c}});
    Step(*sim, {{"op", "advance"}, {"ms", 20000}});
    // A quiet spell: held GETs time out and are re-sent.
    Step(*sim, {{"op", "events"}, {"rate", 0}});
    Step(*sim, {{"op", "advance"}, {"ms", 5000}});
    Step(*sim, {{"op", "events"}, {"rate", 5}});
    Step(*sim, {{"op", "advance"}, {"ms", 20000}});
    Settle(*sim);
    RequireAccounted(*sim);
    const Json m = Metrics(*sim);
    CHECK(m["missed"] == 0);
    CHECK(m["empty_responses"].get<uint64_t>() > 0);  // the timeouts
    // An event that finds the GET held waits only for the way back: one
    // one-way delay (<= latency + jitter), so less than a round trip.
    const int64_t held = m["held_response_latency_max_us"].get<int64_t>();
    CHECK(held > 0);
    CHECK(held <= 60000);
    CHECK(held < 2 * 40000);  // the shortest possible round trip
  }
}

TEST_CASE("realtime: short polling's latency averages half the interval plus the way back", "[realtime][fidelity]") {
  // No jitter: an event waits uniform(0, interval) for the next poll to
  // reach the server, then exactly `latency` for the response.
  const int64_t interval_us = 1000000, latency_us = 50000;
  auto sim = Make(5, {{"technique", "short_polling"}, {"clients", 50}, {"rate", 5}, {"latency_ms", 50},
                      {"jitter_ms", 0}, {"poll_interval_ms", 1000}});
  Step(*sim, {{"op", "advance"}, {"ms", 200000}});
  const Json m = Metrics(*sim);
  const double n = m["deliveries"].get<double>();
  REQUIRE(n > 40000);
  // uniform(0, P) has standard deviation P / sqrt(12); its mean over n
  // independent samples (clients' phases are independent, events are
  // Poisson) is within 5 standard errors with probability 1 - 6e-7.
  const double tolerance = 5 * interval_us / std::sqrt(12 * n);
  const double mean = m["latency_mean_us"].get<double>();
  INFO("mean " << mean << " us over " << n << " deliveries, tolerance " << tolerance);
  CHECK(std::abs(mean - (interval_us / 2.0 + latency_us)) <= tolerance);
  // Every client polls once per interval, events or not.
  CHECK(m["requests_per_s"].get<double>() == Approx(50).epsilon(0.01));
  CHECK(m["empty_responses"].get<uint64_t>() > 0);
  CHECK(m["peak_open_connections"] == 0);
  const Json drop = Step(*sim, {{"op", "drop_connection"}, {"client", 0}});
  CHECK(drop["dropped"] == false);
  Settle(*sim);
  RequireAccounted(*sim);
}

TEST_CASE("realtime: SSE reconnects after retry with Last-Event-ID and loses nothing", "[realtime][fidelity]") {
  auto sim = Make(3, {{"technique", "sse"}, {"clients", 20}, {"rate", 20}, {"sse_retry_ms", 3000}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  CHECK(Metrics(*sim)["open_connections"] == 20);
  for (uint32_t c = 0; c < 5; ++c) Step(*sim, {{"op", "drop_connection"}, {"client", c}});
  CHECK(Metrics(*sim)["open_connections"] == 15);
  Step(*sim, {{"op", "advance"}, {"ms", 1000}});
  CHECK(WorldOf(*sim).Client(0).state == std::string("reconnecting"));
  Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  bool resumed = false;
  for (const rt::TimelineEntry& e : WorldOf(*sim).timeline()) {
    resumed = resumed || (e.client == 0 && e.what.find("Last-Event-ID") != std::string::npos);
  }
  CHECK(resumed);
  Step(*sim, {{"op", "advance"}, {"ms", 6000}});
  const Json m = Metrics(*sim);
  CHECK(m["open_connections"] == 20);
  CHECK(m["connects"] == 25);
  CHECK(m["requests"] == 25);
  // The replayed events waited out the retry: the worst latency shows it.
  CHECK(m["latency_max_us"].get<int64_t>() >= 3000000);
  Settle(*sim);
  RequireAccounted(*sim);
  CHECK(Metrics(*sim)["missed"] == 0);
}

TEST_CASE("realtime: a WebSocket loses what was sent while it reconnected", "[realtime][fidelity]") {
  auto sim = Make(3, {{"technique", "websocket"}, {"clients", 20}, {"rate", 20}, {"ws_reconnect_ms", 1000},
                      {"ping_interval_ms", 1000}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  for (uint32_t c = 0; c < 5; ++c) Step(*sim, {{"op", "drop_connection"}, {"client", c}});
  Step(*sim, {{"op", "advance"}, {"ms", 10000}});
  Settle(*sim);
  RequireAccounted(*sim);
  const rt::World& w = WorldOf(*sim);
  // About rate x (notice + back-off + upgrade) = 20/s x ~1.1 s each.
  for (uint32_t c = 0; c < 5; ++c) {
    INFO("client " << c);
    CHECK(w.Client(c).missed >= 5);
    CHECK(w.Client(c).missed <= 60);
  }
  for (uint32_t c = 5; c < 20; ++c) CHECK(w.Client(c).missed == 0);
  CHECK(Metrics(*sim)["missed"].get<uint64_t>() > 0);
}

TEST_CASE("realtime: WebSocket keep-alive costs a 2-byte ping and a 6-byte masked pong per open socket",
          "[realtime]") {
  // The same seed with and without pings: the network draws are the same, so
  // the difference in bytes is the keep-alive alone.
  uint64_t up[2], down[2];
  for (int with_pings = 0; with_pings < 2; ++with_pings) {
    auto sim = Make(3, {{"technique", "websocket"}, {"clients", 20}, {"rate", 5},
                        {"ping_interval_ms", with_pings ? 1000 : 3600000}});
    Step(*sim, {{"op", "advance"}, {"ms", 25500}});
    up[with_pings] = Metrics(*sim)["bytes_up"].get<uint64_t>();
    down[with_pings] = Metrics(*sim)["bytes_down"].get<uint64_t>();
  }
  // 25 sweeps over 20 open sockets.
  CHECK(up[1] - up[0] == 25 * 20 * 6);
  CHECK(down[1] - down[0] == 25 * 20 * 2);
}

TEST_CASE("realtime: WebRTC signals through the server, then the events bypass it", "[realtime][fidelity]") {
  for (bool turn : {false, true}) {
    INFO("turn " << turn);
    auto sim = Make(4, {{"technique", "webrtc"}, {"clients", 10}, {"rate", 10}, {"turn", turn}});
    Step(*sim, {{"op", "advance"}, {"ms", 3000}});
    const Json before = Metrics(*sim);
    CHECK(before["requests"] == 10);  // one signalling socket each
    CHECK(before["signalling_messages"] == 10 * (turn ? 8 : 6));
    Step(*sim, {{"op", "advance"}, {"ms", 10000}});
    const Json after = Metrics(*sim);
    CHECK(after["server_bytes"] == before["server_bytes"]);  // not one event through the server
    CHECK(after["p2p_bytes"].get<uint64_t>() > before["p2p_bytes"].get<uint64_t>());
    CHECK(after["open_connections"] == 0);
    CHECK((after["relay_bytes"].get<uint64_t>() > 0) == turn);
    Step(*sim, {{"op", "drop_connection"}, {"client", 2}});
    Step(*sim, {{"op", "advance"}, {"ms", 3000}});
    Settle(*sim);
    RequireAccounted(*sim);
    CHECK(WorldOf(*sim).Client(2).missed > 0);
  }
}

TEST_CASE("realtime: every technique sees the same event stream for a seed", "[realtime]") {
  auto sim = Make(9, {{"clients", 20}, {"rate", 50}});
  const Json out = Step(*sim, {{"op", "compare"}, {"a", "sse"}, {"b", "short_polling"}, {"ms", 10000}});
  REQUIRE(out["runs"].size() == 2);
  CHECK(out["runs"][0]["events_published"] == out["runs"][1]["events_published"]);
  CHECK(out["runs"][0]["technique"] == "sse");
  // Pushing beats polling a 1 s interval by far, at the median.
  CHECK(out["runs"][0]["latency_p50_us"].get<int64_t>() * 5 < out["runs"][1]["latency_p50_us"].get<int64_t>());
  // compare leaves this world as it was.
  CHECK(Metrics(*sim)["events_published"] == 0);
}

TEST_CASE("realtime: bad input is refused by name and changes nothing", "[realtime]") {
  auto sim = Make(1, {{"clients", 10}, {"rate", 5}});
  Step(*sim, {{"op", "advance"}, {"ms", 2000}});
  CHECK_THAT(Refused(*sim, {{"op", "technique"}, {"name", "carrier_pigeon"}}), Catch::Contains("\"name\""));
  CHECK_THAT(Refused(*sim, {{"op", "events"}, {"rate", -1}}), Catch::Contains("\"rate\""));
  CHECK_THAT(Refused(*sim, {{"op", "drop_connection"}, {"client", 10}}), Catch::Contains("clients are 0..9"));
  CHECK_THAT(Refused(*sim, {{"op", "clients"}, {"count", -3}}), Catch::Contains("\"count\""));
  auto bad = sdp::CreateSim(sim_test::Info("realtime"), 1, {{"technique", "smoke_signals"}});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.message(), Catch::Contains("\"technique\""));
}

TEST_CASE("realtime: the snapshot stays bounded however long the run", "[realtime]") {
  auto sim = Make(2, {{"technique", "websocket"}, {"clients", 30}, {"rate", 100}});
  Step(*sim, {{"op", "advance"}, {"ms", 30000}});
  const Json full = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(full["timeline"].size() <= RealtimeSim::kTimelineShown);
  CHECK(full["first_clients"].size() == 8);
  CHECK(WorldOf(*sim).timeline().size() <= rt::World::kTimelineEntries);
}

}  // namespace realtime_test
