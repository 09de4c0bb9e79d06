// The `transport` sim against RFC 5681 (slow start, congestion avoidance,
// fast retransmit / recovery), RFC 6582 (NewReno), RFC 6298 (the RTO), RFC 768
// (UDP: no handshake, no order, no retransmission) and Mathis et al. 1997
// (Reno's throughput ~ (MSS/RTT) * C / sqrt(p)); and the sim's contracts
// (bad input changes nothing, steps do bounded work).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <iterator>
#include <string>

#include "sdp/transport/mathis.h"
#include "sdp/transport_sim.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace transport_test {

namespace {

using sdp::Json;
using sdp::TransportSim;

constexpr uint32_t kMss = 1460;

std::unique_ptr<sdp::Simulation> Make(uint64_t seed, const Json& config) {
  return sim_test::Make("transport", seed, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("transport", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("transport", sim, step); }
const TransportSim& As(const sdp::Simulation& sim) { return dynamic_cast<const TransportSim&>(sim); }
Json Full(const sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kFull); }

// The times (us) of the sim's TCP events named `what`.
std::vector<int64_t> EventTimes(const sdp::Simulation& sim, const std::string& what) {
  std::vector<int64_t> out;
  const Json snapshot = Full(sim);  // the loop below must not outlive it
  for (const Json& e : snapshot["tcp_events"]) {
    if (e["what"] == what) out.push_back(e["t_us"].get<int64_t>());
  }
  return out;
}

}  // namespace

TEST_CASE("transport: TCP delivers every byte exactly once and in order; UDP a subset", "[transport][fidelity]") {
  const double losses[] = {0, 0.01, 0.1, 0.3};
  for (double loss : losses) {
    uint64_t udp_received = 0, udp_sent = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      INFO("loss " << loss << " seed " << seed);
      // Every impairment at once; on odd seeds the ACKs suffer them too.
      auto sim = Make(seed, {{"loss", loss}, {"jitter_ms", 5}, {"reorder", 0.05}, {"duplicate", 0.02},
                             {"impair_acks", seed % 2 == 1}, {"initial_cwnd", 4}});
      Step(*sim, {{"op", "send"}, {"messages", 200}, {"size", 1000}, {"interval_ms", 2}});
      const Json run = Step(*sim, {{"op", "run"}});
      REQUIRE(run["done"] == true);
      const TransportSim& t = As(*sim);
      const auto& tcp = t.tcp();
      CHECK(tcp.phase() != sdp::transport::Phase::kAborted);
      CHECK(tcp.written() == 200000);
      CHECK(tcp.delivered() == 200000);
      CHECK(tcp.snd_una() == 200000);
      // Message k completes only after message k-1: in order, each once.
      sdp::SimTime previous = 0;
      for (uint64_t i = 0; i < t.messages(); ++i) {
        const auto& m = t.message(i);
        REQUIRE(m.tcp_at >= 0);
        CHECK(m.tcp_at >= previous);
        CHECK(m.tcp_at - m.sent >= 50000);  // at least one one-way latency minus jitter
        previous = m.tcp_at;
      }
      const Json snap = Full(*sim);
      CHECK(snap["tcp"]["app"]["missing"] == 0);
      if (loss > 0) CHECK(snap["tcp"]["retransmits_timeout"].get<uint64_t>() + snap["tcp"]["retransmits_fast"].get<uint64_t>() > 0);
      // UDP: what arrived is a subset; every message at most twice (one duplicate copy).
      CHECK(t.udp_received() <= 200);
      CHECK(t.udp_copies() <= 400);
      CHECK(snap["udp"]["app"]["missing"] == 200 - t.udp_received());
      udp_received += t.udp_received();
      udp_sent += 200;
    }
    // Over 4000 datagrams the delivered share is 1 - loss within 4 sigma.
    const double share = static_cast<double>(udp_received) / udp_sent;
    const double sigma = std::sqrt(loss * (1 - loss) / udp_sent);
    INFO("loss " << loss << ": UDP delivered " << share);
    CHECK(std::abs(share - (1 - loss)) <= 4 * sigma + 1e-12);
  }
}

TEST_CASE("transport: UDP hands losses, duplicates and reordering to the application", "[transport]") {
  auto clean = Make(3, Json::object());
  Step(*clean, {{"op", "send"}, {"messages", 1000}, {"size", 200}, {"interval_ms", 1}, {"protocol", "udp"}});
  Step(*clean, {{"op", "run"}});
  CHECK(As(*clean).udp_received() == 1000);
  CHECK(As(*clean).udp_copies() == 1000);
  CHECK(As(*clean).udp_out_of_order() == 0);
  // No handshake: the first datagram arrives one latency after it was sent.
  CHECK(As(*clean).message(0).udp_at == 50000);

  auto rough = Make(3, {{"loss", 0.1}, {"duplicate", 0.1}, {"reorder", 0.2}, {"reorder_delay_ms", 5}});
  Step(*rough, {{"op", "send"}, {"messages", 1000}, {"size", 200}, {"interval_ms", 1}, {"protocol", "udp"}});
  Step(*rough, {{"op", "run"}});
  const TransportSim& t = As(*rough);
  const Json app = Full(*rough)["udp"]["app"];
  CHECK(app["missing"].get<uint64_t>() > 0);
  CHECK(app["duplicates"].get<uint64_t>() > 0);
  CHECK(app["out_of_order"].get<uint64_t>() > 0);
  CHECK(app["in_order"] == false);
  // Duplicates: each delivered datagram had a second copy with p = 0.1 (within 4 sigma).
  const double n = static_cast<double>(t.udp_received());
  const double dups = static_cast<double>(t.udp_copies() - t.udp_received());
  CHECK(std::abs(dups - 0.1 * n) <= 4 * std::sqrt(n * 0.1 * 0.9));
  // TCP was not used: nothing written, no handshake.
  CHECK(t.tcp().written() == 0);
  CHECK(t.tcp().counters().segments_sent == 0);
}

TEST_CASE("transport: one scripted loss -> fast retransmit on the third duplicate ACK (RFC 5681 3.2)", "[transport][fidelity]") {
  for (const char* variant : {"newreno", "reno"}) {
    INFO(variant);
    auto sim = Make(1, {{"initial_cwnd", 10}, {"variant", variant}});
    Step(*sim, {{"op", "send"}, {"messages", 1}, {"size", 100 * kMss}, {"protocol", "tcp"}});
    Step(*sim, {{"op", "drop"}, {"segment", 5}});
    Step(*sim, {{"op", "run"}});
    const auto& tcp = As(*sim).tcp();
    const auto& c = tcp.counters();
    CHECK(tcp.delivered() == 100 * kMss);
    CHECK(c.timeouts == 0);
    CHECK(c.fast_recoveries == 1);
    CHECK(c.retransmits_fast == 1);
    CHECK(c.retransmits_timeout == 0);
    CHECK(c.dupacks >= 3);
    // Handshake done at 100 ms; segments 0-9 go out then; their ACKs arrive
    // at 200 ms. ACKs 1-5 grow cwnd to 15 segments and send 10-19; the ACKs of
    // 6, 7, 8 are duplicates of ACK 5, and the third one triggers it at once:
    // FlightSize = 20 - 5 = 15 segments, ssthresh = FlightSize / 2 (RFC 5681 (4)).
    const std::vector<int64_t> fr = EventTimes(*sim, "fast retransmit");
    REQUIRE(fr.size() == 1);
    CHECK(fr[0] == 200000);
    const Json first = Full(*sim)["tcp_events"][0];
    CHECK(first["what"] == "fast retransmit");
    CHECK(first["ssthresh"] == 15 * kMss / 2);
    CHECK(first["cwnd"] == 15 * kMss / 2 + 3 * kMss);  // ssthresh + 3 SMSS
    // The retransmission's ACK covers everything sent before it (segments
    // 6-19 arrived): a full ACK, recovery ends with cwnd = ssthresh.
    const std::vector<int64_t> end = EventTimes(*sim, "recovery ends");
    REQUIRE(end.size() == 1);
    CHECK(end[0] == 300000);
    CHECK(Full(*sim)["tcp_events"][1]["cwnd"] == 15 * kMss / 2);
  }
}

TEST_CASE("transport: NewReno repairs two losses in one recovery, Reno needs a second one (RFC 6582)", "[transport][fidelity]") {
  // Two losses in one window: Reno leaves recovery at the first new ACK and
  // needs three more duplicates (or the RTO) for the second hole, halving
  // ssthresh again; NewReno retransmits it at once on the partial ACK.
  auto newreno = Make(1, {{"initial_cwnd", 10}});
  auto reno = Make(1, {{"initial_cwnd", 10}, {"variant", "reno"}});
  for (auto* sim : {newreno.get(), reno.get()}) {
    Step(*sim, {{"op", "send"}, {"messages", 1}, {"size", 100 * kMss}, {"protocol", "tcp"}});
    Step(*sim, {{"op", "drop"}, {"segment", 3}});
    Step(*sim, {{"op", "drop"}, {"segment", 6}});
    Step(*sim, {{"op", "run"}});
    CHECK(As(*sim).tcp().delivered() == 100 * kMss);
  }
  const auto& n = As(*newreno).tcp().counters();
  CHECK(n.fast_recoveries == 1);
  CHECK(n.timeouts == 0);
  CHECK(EventTimes(*newreno, "partial ack").size() == 1);
  CHECK(n.retransmits_fast == 2);
  // Reno needs a second fast recovery (or a timeout) for the second hole.
  const auto& r = As(*reno).tcp().counters();
  CHECK(r.fast_recoveries + r.timeouts >= 2);
  CHECK(EventTimes(*reno, "partial ack").empty());
}

TEST_CASE("transport: RFC 6298 RTO: first sample, minimum, doubling on repeated loss, giving up", "[transport][fidelity]") {
  // First sample R = 100 ms (the SYN): SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR = 300 ms (2.2).
  auto sim = Make(1, {{"min_rto_ms", 200}, {"max_retries", 8}});
  Step(*sim, {{"op", "send"}, {"messages", 1}, {"size", 20 * kMss}, {"protocol", "tcp"}});
  Step(*sim, {{"op", "advance"}, {"ms", 101}});
  CHECK(As(*sim).tcp().srtt() == 100000);
  CHECK(As(*sim).tcp().rttvar() == 50000);
  CHECK(As(*sim).tcp().rto() == 300000);
  // With the default 1 s minimum (2.4) the same sample gives 1 s.
  auto floor = Make(1, Json::object());
  Step(*floor, {{"op", "send"}, {"messages", 1}, {"size", 20 * kMss}, {"protocol", "tcp"}});
  Step(*floor, {{"op", "advance"}, {"ms", 101}});
  CHECK(As(*floor).tcp().rto() == 1000000);

  // Now the link loses everything: each expiry doubles the RTO (5.5) up to
  // the 60 s maximum (2.5), and after max_retries TCP gives up.
  Step(*sim, {{"op", "link"}, {"loss", 1.0}});
  Step(*sim, {{"op", "send"}, {"messages", 1}, {"size", kMss}, {"protocol", "tcp"}});
  Step(*sim, {{"op", "run"}});
  const std::vector<int64_t> t = EventTimes(*sim, "timeout");
  REQUIRE(t.size() == 8);
  const sdp::SimTime rto0 = t[1] - t[0];
  CHECK(rto0 >= 200000);
  for (size_t i = 2; i < t.size(); ++i) {
    INFO("timeout " << i);
    CHECK(t[i] - t[i - 1] == std::min<sdp::SimTime>(rto0 << (i - 1), 60000000));
  }
  CHECK(As(*sim).tcp().phase() == sdp::transport::Phase::kAborted);
  CHECK(EventTimes(*sim, "gave up").size() == 1);
  // Karn's rule: no RTT sample from any retransmitted segment.
  const uint64_t samples = As(*sim).tcp().counters().rtt_samples;
  Step(*sim, {{"op", "link"}, {"loss", 0}});
  CHECK(As(*sim).tcp().counters().rtt_samples == samples);
  // A connection that gave up refuses TCP sends; UDP still works.
  const std::string why = Refused(*sim, {{"op", "send"}, {"messages", 1}, {"size", 10}});
  CHECK(why.find("gave up") != std::string::npos);
  Step(*sim, {{"op", "send"}, {"messages", 1}, {"size", 10}, {"protocol", "udp"}});
}

TEST_CASE("transport: a lost SYN is sent again after the RTO; data waits for the handshake", "[transport]") {
  // Loss 1 during the first second, then a clean link: the SYN at 0 is lost,
  // its retransmission at 1 s (initial RTO) gets through.
  auto sim = Make(1, {{"loss", 1.0}});
  Step(*sim, {{"op", "send"}, {"messages", 1}, {"size", 1000}, {"protocol", "tcp"}});
  Step(*sim, {{"op", "advance"}, {"ms", 500}});
  CHECK(As(*sim).tcp().phase() == sdp::transport::Phase::kHandshake);
  Step(*sim, {{"op", "link"}, {"loss", 0}});
  Step(*sim, {{"op", "run"}});
  CHECK(EventTimes(*sim, "timeout") == std::vector<int64_t>{1000000});
  // SYN again at 1 s, SYN-ACK back at 1.1 s, the data's ACK at 1.2 s.
  CHECK(As(*sim).message(0).tcp_at == 1150000);
  // RFC 5681 3.1: after a lost SYN the initial window is one segment; the
  // ACK of the 1000 data bytes then adds min(N, SMSS) = 1000 (eq. (2)).
  CHECK(As(*sim).tcp().cwnd() == 1460 + 1000);
  // RFC 6298 5.7: no sample from the retransmitted SYN, and the RTO is 3 s once data flows...
  // ...until the data's own ACK gives the first sample.
  CHECK(As(*sim).tcp().counters().rtt_samples == 1);
}

TEST_CASE("transport: slow start doubles cwnd every RTT up to ssthresh, then +1 MSS per RTT", "[transport][fidelity]") {
  const uint64_t ssthresh = 64 * kMss;
  auto sim = Make(1, {{"ssthresh_bytes", ssthresh}, {"window_bytes", 1 << 24}});
  Step(*sim, {{"op", "send"}, {"messages", 1}, {"size", 50 * 1000 * 1000}, {"protocol", "tcp"}});
  // Established at 100 ms with IW = 3 segments (RFC 5681: SMSS 1460); each
  // window's ACKs arrive together one RTT (100 ms) later, +1 SMSS each.
  Step(*sim, {{"op", "advance"}, {"ms", 150}});
  uint64_t expected = 3 * kMss;
  CHECK(As(*sim).tcp().cwnd() == expected);
  while (expected * 2 < ssthresh) {
    Step(*sim, {{"op", "advance"}, {"ms", 100}});
    expected *= 2;
    INFO("t = " << As(*sim).now());
    CHECK(As(*sim).tcp().cwnd() == expected);
    CHECK(As(*sim).tcp().phase() == sdp::transport::Phase::kSlowStart);
  }
  // 48 -> crosses 64 segments within the next RTT: congestion avoidance.
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  CHECK(As(*sim).tcp().phase() == sdp::transport::Phase::kCongestionAvoidance);
  // RFC 5681 (3): cwnd += SMSS*SMSS/cwnd per ACK, about one SMSS per RTT
  // (a little less: cwnd grows during the RTT, and the division truncates).
  for (int rtt = 0; rtt < 5; ++rtt) {
    const uint64_t before = As(*sim).tcp().cwnd();
    Step(*sim, {{"op", "advance"}, {"ms", 100}});
    const uint64_t grew = As(*sim).tcp().cwnd() - before;
    INFO("cwnd " << before << " grew " << grew);
    CHECK(grew >= kMss * 9 / 10);
    CHECK(grew <= kMss + kMss / 10);
  }
}

// Mathis et al. 1997: BW = (MSS/RTT) * C / sqrt(p), C = sqrt(3/2) for
// periodic loss with an ACK per segment. Our link loses segments at random
// and NewReno recovers without SACK, so the sawtooth is irregular and, as p
// grows, more losses end in a retransmission timeout, which the model leaves
// out (its abstract: it "assumes that TCP avoids retransmission timeouts and
// always has sufficient receiver window and sender data"). Tolerance: measured / predicted
// within 15% for p = 0.1%..1% (seen: 0.91..1.02 over seeds 11, 12); at 2%
// and 5% below the model (0.83, 0.55 seen) with timeouts, and falling with p.
TEST_CASE("transport: NewReno's throughput follows Mathis et al. 1997 across p = 0.1%..5%", "[transport][fidelity][mathis]") {
  sdp::transport::TcpConfig tcp;
  tcp.rwnd = 1 << 24;  // never the limit: the window is set by loss alone
  sdp::transport::LinkConfig link;
  link.latency = 50 * sdp::kMicrosPerMilli;
  const double ps[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05};
  double previous_ratio = 2;
  for (double p : ps) {
    link.loss = p;
    const auto point = sdp::transport::MeasureThroughput(tcp, link, 11, 60 * sdp::kMicrosPerSecond,
                                                         900 * sdp::kMicrosPerSecond);
    std::cout << "Mathis p=" << p << ": measured " << point.measured_bps << " B/s, predicted "
              << point.predicted_bps << " B/s, ratio " << point.ratio << ", timeouts " << point.timeouts
              << ", fast recoveries " << point.fast_recoveries << ", signals/segment " << point.signals_per_segment
              << "\n";
    INFO("p " << p << " ratio " << point.ratio);
    if (p <= 0.01) {
      CHECK(std::abs(point.ratio - 1) <= 0.15);
      // The paper's p is congestion signals per segment: with rare double
      // losses it is the link's loss rate.
      CHECK(std::abs(point.signals_per_segment / p - 1) <= 0.15);
    } else {
      CHECK(point.ratio < 1);
      CHECK(point.ratio > 0.4);
      CHECK(point.timeouts > 0);
      CHECK(point.ratio < previous_ratio);
    }
    previous_ratio = point.ratio;
  }
}

TEST_CASE("transport: bad input is refused with the field named, and changes nothing", "[transport][bad_input]") {
  auto sim = Make(1, Json::object());
  Step(*sim, {{"op", "send"}, {"messages", 10}, {"size", 100}});
  Step(*sim, {{"op", "advance"}, {"ms", 120}});
  CHECK(Refused(*sim, {{"op", "link"}, {"loss", 1.5}}).find("loss") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "link"}, {"loss", -0.1}}).find("loss") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "send"}, {"messages", 1}, {"size", 0}}).find("size") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "send"}, {"messages", 1}, {"size", 70000}}).find("65507") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "send"}, {"messages", 100000}, {"size", 20000}, {"protocol", "tcp"}})
            .find("at most") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "send"}, {"messages", 1000000}, {"size", 1}}).find("messages") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "drop"}, {"segment", 0}}).find("sent already") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "mathis"}, {"loss", 0.0001}, {"seconds", 3600}}).find("seconds") != std::string::npos);
  auto made = sdp::CreateSim(sim_test::Info("transport"), 1, {{"mss", 0}});
  REQUIRE_FALSE(made.ok());
  CHECK(made.message().find("mss") != std::string::npos);
  made = sdp::CreateSim(sim_test::Info("transport"), 1, {{"mss", 1460}, {"window_bytes", 1000}});
  REQUIRE_FALSE(made.ok());
  CHECK(made.message().find("window_bytes") != std::string::npos);
}

TEST_CASE("transport: same seed, same run; the mathis op reports the formula beside the measurement", "[transport]") {
  const Json config = {{"loss", 0.05}, {"jitter_ms", 10}, {"reorder", 0.1}, {"duplicate", 0.05}};
  auto a = Make(9, config);
  auto b = Make(9, config);
  for (auto* sim : {a.get(), b.get()}) {
    Step(*sim, {{"op", "send"}, {"messages", 300}, {"size", 3000}, {"interval_ms", 5}});
    Step(*sim, {{"op", "run"}});
  }
  CHECK(Full(*a) == Full(*b));
  const Json m = Step(*a, {{"op", "mathis"}, {"loss", 0.01}, {"seconds", 60}});
  const double predicted = 1460 / 0.1 * std::sqrt(1.5) / std::sqrt(0.01);
  CHECK(m["predicted_bytes_per_s"].get<double>() == Approx(predicted).epsilon(1e-12));
  CHECK(m["measured_bytes_per_s"].get<double>() > 0);
  CHECK(Full(*a)["mathis"].size() == 1);
}

TEST_CASE("transport: per-message UDP fate and copies add up to the UDP application's counters", "[transport]") {
  auto sim = Make(3, {{"loss", 0.2}, {"duplicate", 0.1}, {"reorder", 0.2}, {"reorder_delay_ms", 5}, {"jitter_ms", 2}});
  Step(*sim, {{"op", "send"}, {"messages", 300}, {"size", 200}, {"interval_ms", 1}});
  const auto count = [&](uint32_t fate) {
    const std::vector<uint32_t> fates = sim->Column("msg_udp_fate");
    return static_cast<uint64_t>(std::count(fates.begin(), fates.end(), fate));
  };
  // With an interval nothing is written by the send itself, message 0 included.
  CHECK(count(TransportSim::kUdpNotSent) == 300);
  for (const int64_t ms : {60, 200, 10000}) {
    Step(*sim, {{"op", "advance"}, {"ms", ms}});
    const Json udp = Full(*sim)["udp"];
    INFO("t = " << As(*sim).now());
    CHECK(count(TransportSim::kUdpLost) == udp["lost_by_link"]);
    CHECK(count(TransportSim::kUdpArrived) + count(TransportSim::kUdpArrivedLate) == udp["app"]["messages_delivered"]);
    CHECK(count(TransportSim::kUdpArrivedLate) == udp["app"]["out_of_order"]);
    CHECK(300 - count(TransportSim::kUdpNotSent) == udp["datagrams_sent"]);
    const std::vector<uint32_t> copies = sim->Column("msg_udp_copies");
    uint64_t total = 0;
    for (const uint32_t c : copies) total += c;
    CHECK(total == udp["app"]["copies_received"]);
  }
  // All over: nothing in flight, every datagram the app is missing was lost by the link.
  CHECK(count(TransportSim::kUdpInFlight) == 0);
  CHECK(count(TransportSim::kUdpLost) == Full(*sim)["udp"]["app"]["missing"]);
  CHECK(count(TransportSim::kUdpLost) > 0);
  CHECK(count(TransportSim::kUdpArrivedLate) > 0);
}

TEST_CASE("transport: the snapshot's Mathis curve is the formula at the link's RTT; measured points carry their RTT", "[transport][mathis]") {
  auto sim = Make(5, {{"latency_ms", 40}});
  const Json curve = Full(*sim)["mathis_curve"];
  CHECK(curve["rtt_ms"] == 80);
  REQUIRE(curve["loss"].size() == std::size(TransportSim::kMathisCurveLoss));
  CHECK(curve["loss"].front() == 0.001);
  CHECK(curve["loss"].back() == 0.05);
  for (size_t i = 0; i < curve["loss"].size(); ++i) {
    const double p = curve["loss"][i].get<double>();
    // (MSS / RTT) * sqrt(3/2) / sqrt(p), typed out here rather than called.
    CHECK(curve["predicted_bytes_per_s"][i].get<double>() == Approx(1460 / 0.08 * std::sqrt(1.5) / std::sqrt(p)).epsilon(1e-12));
  }
  // A measured point's prediction is the curve's value at its p, to the bit.
  const Json point = Step(*sim, {{"op", "mathis"}, {"loss", 0.01}, {"seconds", 30}});
  CHECK(point["rtt_ms"] == 80);
  CHECK(point["seconds"] == 30);
  CHECK(point["predicted_bytes_per_s"] == curve["predicted_bytes_per_s"][6]);
  CHECK(Full(*sim)["mathis"][0]["rtt_ms"] == 80);
  // The curve follows the link; the point keeps the RTT it was measured at.
  Step(*sim, {{"op", "link"}, {"latency_ms", 100}});
  CHECK(Full(*sim)["mathis_curve"]["rtt_ms"] == 200);
  CHECK(Full(*sim)["mathis"][0]["rtt_ms"] == 80);
  Step(*sim, {{"op", "link"}, {"latency_ms", 0}});
  CHECK(Full(*sim)["mathis_curve"].is_null());
}

TEST_CASE("transport: a step moves at most kMaxPacketsPerStep packets, then stops and says so", "[transport]") {
  // Three 1 GiB sends over a clean link: about 2.2 M segments and as many
  // ACKs, more than one step may move.
  auto sim = Make(1, Json::object());
  for (int i = 0; i < 3; ++i) {
    Step(*sim, {{"op", "send"}, {"messages", 1024}, {"size", 1 << 20}, {"protocol", "tcp"}});
  }
  const Json first = Step(*sim, {{"op", "run"}});
  CHECK(first.contains("stopped"));
  CHECK(first["done"] == false);
  CHECK(first["packets"].get<uint64_t>() >= TransportSim::kMaxPacketsPerStep);
  // It stops between events: one ACK may release at most a window of segments.
  CHECK(first["packets"].get<uint64_t>() <= TransportSim::kMaxPacketsPerStep + (1 << 20) / kMss + 1);
  // The next step carries on from where the first stopped and finishes.
  const Json second = Step(*sim, {{"op", "run"}});
  CHECK_FALSE(second.contains("stopped"));
  CHECK(second["done"] == true);
  CHECK(As(*sim).tcp().delivered() == 3ull << 30);
}

}  // namespace transport_test
