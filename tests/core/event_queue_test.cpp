#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sdp/event_queue.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace event_queue_test {

using sdp::EventQueue;

TEST_CASE("events run in (time, insertion) order", "[event_queue]") {
  EventQueue q;
  std::vector<std::string> ran;
  q.ScheduleAt(30, "c", [&] { ran.push_back("c@30"); });
  q.ScheduleAt(10, "a", [&] { ran.push_back("a@10"); });
  q.ScheduleAt(20, "b1", [&] { ran.push_back("b1@20"); });
  q.ScheduleAt(20, "b2", [&] { ran.push_back("b2@20"); });
  while (q.Step()) {
  }
  CHECK(ran == std::vector<std::string>{"a@10", "b1@20", "b2@20", "c@30"});
  CHECK(q.now() == 30);
  CHECK(q.executed() == 4);
}

TEST_CASE("AdvanceTo runs events up to and including t, then sets now", "[event_queue]") {
  EventQueue q;
  int ran = 0;
  q.ScheduleAt(5, "", [&] { ++ran; });
  q.ScheduleAt(10, "", [&] { ++ran; });
  q.ScheduleAt(11, "", [&] { ++ran; });
  CHECK(q.AdvanceTo(10) == 2);
  CHECK(ran == 2);
  CHECK(q.now() == 10);
  CHECK(q.pending() == 1);
  CHECK(q.AdvanceTo(100) == 1);
  CHECK(q.now() == 100);
}

TEST_CASE("an event scheduled by a handler for now runs after those queued", "[event_queue]") {
  EventQueue q;
  std::vector<int> order;
  q.ScheduleAt(1, "", [&] {
    order.push_back(1);
    q.ScheduleIn(0, "", [&] { order.push_back(3); });
  });
  q.ScheduleAt(1, "", [&] { order.push_back(2); });
  q.AdvanceTo(1);
  CHECK(order == std::vector<int>{1, 2, 3});
}

TEST_CASE("cancelled events never run and do not count as pending", "[event_queue]") {
  EventQueue q;
  int ran = 0;
  const auto id = q.ScheduleAt(5, "", [&] { ++ran; });
  q.ScheduleAt(6, "", [&] { ++ran; });
  CHECK(q.Cancel(id));
  CHECK_FALSE(q.Cancel(id));
  CHECK(q.pending() == 1);
  CHECK(q.NextTime() == 6);
  q.AdvanceTo(10);
  CHECK(ran == 1);
  CHECK_FALSE(q.Cancel(12345));
}

TEST_CASE("the event log keeps the newest entries with their times", "[event_queue]") {
  EventQueue q(3);
  for (int i = 1; i <= 5; ++i) {
    q.ScheduleAt(i * sdp::kMicrosPerMilli, "event " + std::to_string(i), nullptr);
  }
  q.AdvanceTo(10 * sdp::kMicrosPerMilli);
  q.Note("done");
  const auto& entries = q.log().entries();
  REQUIRE(entries.size() == 3);
  CHECK(entries.front().text == "event 4");
  CHECK(entries.back().text == "done");
  CHECK(entries.back().time == 10 * sdp::kMicrosPerMilli);
  CHECK(q.log().total_appended() == 6);
  const auto json = q.log().ToJson(2);
  REQUIRE(json.size() == 2);
  CHECK(json[0]["text"] == "event 5");
  CHECK(json[1]["seq"] == 5);
}

}  // namespace event_queue_test
