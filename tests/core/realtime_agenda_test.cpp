// What the realtime world's speed-ups must not change: its agenda takes
// events in the kernel's order, (time, insertion sequence), whichever part of
// it (the ring, the heap beyond it) an event waited in; its inlined delay
// draws what transport::DrawFate draws; and the timeline says what each line
// is (`kind`), so that views need not read the wording.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "sdp/realtime/agenda.h"
#include "sdp/realtime/world.h"
#include "sdp/realtime_sim.h"
#include "sdp/transport/link.h"
#include "sim_test_util.h"

namespace realtime_agenda_test {

namespace {

namespace rt = sdp::realtime;
using sdp::Json;

struct Pushed {
  sdp::SimTime time;
  uint32_t id;
};

}  // namespace

TEST_CASE("realtime agenda: events come out by time, then in the order they were pushed", "[realtime][agenda]") {
  // Delays from 0 (the current slot) past the ring (the heap), and a quiet
  // stretch that empties the ring, as the world produces them.
  sdp::Rng rng(11);
  rt::Agenda agenda;
  std::vector<Pushed> pending;
  uint32_t next_id = 0;
  sdp::SimTime now = 0;
  auto push = [&](sdp::SimTime at) {
    agenda.Push(at, rt::EventKind::kPollArrives, next_id, 0);
    pending.push_back({at, next_id++});
  };
  for (int i = 0; i < 200; ++i) push(static_cast<sdp::SimTime>(rng.Below(300000)));
  uint32_t taken = 0;
  while (agenda.NextTime() >= 0) {
    // The expected next: the earliest time, the first pushed among equals.
    const auto expected = std::min_element(pending.begin(), pending.end(), [](const Pushed& a, const Pushed& b) {
      return a.time != b.time ? a.time < b.time : a.id < b.id;
    });
    REQUIRE(agenda.NextTime() == expected->time);
    const rt::AgendaEvent e = agenda.Pop();
    REQUIRE(e.client == expected->id);
    pending.erase(expected);
    now = e.time;
    ++taken;
    if (taken < 3000) {
      const uint64_t shape = rng.Below(10);
      if (shape < 6) push(now + static_cast<sdp::SimTime>(rng.Below(120000)));  // a message or two away
      if (shape == 6) push(now);                                                // this very microsecond
      if (shape == 7) push(now + static_cast<sdp::SimTime>(rng.Below(300)));    // the current slot
      if (shape == 8) push(now + 30000000);                                     // a long-poll timeout
      if (taken % 997 == 0) push(now + 5000000);                                // after a quiet stretch
    }
  }
  CHECK(pending.empty());
  CHECK(agenda.size() == 0);
}

TEST_CASE("realtime agenda: the inlined delay draws what DrawFate draws", "[realtime][agenda]") {
  for (sdp::SimTime jitter : {sdp::SimTime{0}, sdp::SimTime{10000}, sdp::SimTime{80000}}) {
    sdp::transport::LinkConfig link;
    link.latency = 50000;
    link.jitter = jitter;
    sdp::Rng a(5), b(5);
    for (int i = 0; i < 1000; ++i) REQUIRE(rt::LinkDelay(link, a) == sdp::transport::DrawFate(link, b).delay[0]);
    CHECK(a.Next() == b.Next());  // and left both generators in the same place
  }
}

TEST_CASE("realtime: every timeline line has a kind that says what it is", "[realtime]") {
  const std::set<std::string> known = {"request", "held", "open", "delivery", "empty",
                                       "drop", "noticed", "lost", "signal"};
  const std::vector<std::pair<std::string, std::set<std::string>>> expected = {
      {"long_polling", {"request", "held", "delivery", "drop", "noticed"}},
      {"sse", {"request", "open", "delivery", "drop", "noticed"}},
      {"websocket", {"request", "open", "delivery", "drop", "noticed", "lost"}},
      {"webrtc", {"request", "signal", "open", "delivery", "drop", "noticed", "lost"}},
  };
  for (const auto& [technique, kinds] : expected) {
    INFO(technique);
    auto sim = sim_test::Make("realtime", 3, {{"technique", technique}, {"clients", 2}, {"rate", 10}});
    sim_test::Step("realtime", *sim, {{"op", "advance"}, {"ms", 2000}});
    sim_test::Step("realtime", *sim, {{"op", "drop_connection"}, {"client", 0}});
    sim_test::Step("realtime", *sim, {{"op", "advance"}, {"ms", 4000}});
    std::set<std::string> seen;
    const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
    for (const Json& line : snap["timeline"]) {
      const std::string kind = line["kind"].get<std::string>();
      CHECK(known.count(kind) == 1);
      seen.insert(kind);
    }
    for (const std::string& kind : kinds) {
      INFO(kind);
      CHECK(seen.count(kind) == 1);
    }
  }
}

}  // namespace realtime_agenda_test
