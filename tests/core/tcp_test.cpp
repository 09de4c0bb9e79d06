// The `tcp` sim against RFC 9293's state diagram (section 3.3.2, Figure 5)
// and the example exchanges of section 3.5 (Figures 6-8, 12-14): every
// transition, every segment's flags/seq/ack, the timers, and refusals.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sdp/random.h"
#include "sdp/scenario.h"
#include "sdp/tcp_sim.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace tcp_test {

namespace {

using sdp::Json;
using sdp::TcpSim;
using sdp::tcp::State;

constexpr int64_t kLatencyMs = 50;

std::unique_ptr<sdp::Simulation> Make(const Json& config = Json::object(), uint64_t seed = 7) {
  return sim_test::Make("tcp", seed, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("tcp", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("tcp", sim, step); }

TcpSim& As(sdp::Simulation& sim) { return dynamic_cast<TcpSim&>(sim); }
State ClientState(sdp::Simulation& sim) { return As(sim).endpoint(TcpSim::kClient).state(); }
State ServerState(sdp::Simulation& sim) { return As(sim).endpoint(TcpSim::kServer).state(); }

// "flags seq ack" of every segment, relative numbers, in the order sent.
std::vector<std::string> Wire(sdp::Simulation& sim) {
  std::vector<std::string> out;
  const Json snapshot = sim.Snapshot(sdp::Simulation::Detail::kFull);  // outlives the loop
  for (const Json& s : snapshot["segments"]) {
    std::string line = s["from"].get<std::string>() + " " + s["flags"].get<std::string>() + " " +
                       std::to_string(s["rel_seq"].get<uint32_t>());
    if (s.contains("rel_ack")) line += " " + std::to_string(s["rel_ack"].get<uint32_t>());
    if (s["len"].get<uint32_t>() > 0) line += " len " + std::to_string(s["len"].get<uint32_t>());
    if (s["dropped"].get<bool>()) line += " LOST";
    out.push_back(line);
  }
  return out;
}

// The states each side passed through, in order (from the transition log).
std::vector<std::string> Path(sdp::Simulation& sim, const std::string& side) {
  std::vector<std::string> out;
  const Json snapshot = sim.Snapshot(sdp::Simulation::Detail::kFull);
  for (const Json& t : snapshot["transitions"]) {
    if (t["side"] == side) out.push_back(t["to"].get<std::string>());
  }
  return out;
}

// One side's part of the snapshot ("client" or "server").
Json End(sdp::Simulation& sim, const std::string& side) {
  return sim.Snapshot(sdp::Simulation::Detail::kSummary)[side];
}

void Advance(sdp::Simulation& sim, int64_t ms) { Step(sim, {{"op", "advance"}, {"ms", ms}}); }

void Connect(sdp::Simulation& sim) {
  Step(sim, {{"op", "connect"}});
  Advance(sim, 3 * kLatencyMs);
  REQUIRE(ClientState(sim) == State::kEstablished);
  REQUIRE(ServerState(sim) == State::kEstablished);
}

}  // namespace

TEST_CASE("three-way handshake: SYN, SYN-ACK, ACK; SYN consumes one sequence number", "[tcp]") {
  auto sim = Make();
  CHECK(ServerState(*sim) == State::kListen);
  Step(*sim, {{"op", "connect"}});
  CHECK(ClientState(*sim) == State::kSynSent);
  Advance(*sim, kLatencyMs);
  CHECK(ServerState(*sim) == State::kSynReceived);
  Advance(*sim, kLatencyMs);
  CHECK(ClientState(*sim) == State::kEstablished);
  CHECK(ServerState(*sim) == State::kSynReceived);
  Advance(*sim, kLatencyMs);
  CHECK(ServerState(*sim) == State::kEstablished);
  CHECK(Wire(*sim) == std::vector<std::string>{"client SYN 0", "server SYN,ACK 0 1", "client ACK 1 1"});
  // Absolute numbers: the SYN-ACK acknowledges ISS(client) + 1.
  const Json segments = sim->Snapshot(sdp::Simulation::Detail::kFull)["segments"];
  CHECK(segments[1]["ack"].get<uint32_t>() == As(*sim).endpoint(TcpSim::kClient).iss() + 1);
  CHECK(segments[2]["ack"].get<uint32_t>() == As(*sim).endpoint(TcpSim::kServer).iss() + 1);
}

TEST_CASE("each op's result lists the segments and transitions it caused, and no earlier ones", "[tcp]") {
  auto sim = Make();
  const Json connect = Step(*sim, {{"op", "connect"}});
  REQUIRE(connect["transitions"].size() == 1);
  CHECK(connect["transitions"][0]["side"] == "client");
  CHECK(connect["transitions"][0]["to"] == "SYN-SENT");
  const Json advance = Step(*sim, {{"op", "advance"}, {"ms", 2 * kLatencyMs}});
  REQUIRE(advance["transitions"].size() == 2);
  CHECK(advance["transitions"][0]["side"] == "server");
  CHECK(advance["transitions"][0]["to"] == "SYN-RECEIVED");
  CHECK(advance["transitions"][0]["t_us"] == kLatencyMs * 1000);
  CHECK(advance["transitions"][1]["to"] == "ESTABLISHED");
  CHECK(advance["segments"].size() == 2);  // SYN,ACK and the ACK; the SYN was the connect's
  // Where each transition sits among the segments: the SYN's arrival (id 0)
  // made the server SYN-RECEIVED, its SYN,ACK (id 1) already sent; the
  // connect's came from the user, after the SYN went out.
  CHECK(connect["transitions"][0]["after_segment"] == 1);
  CHECK_FALSE(connect["transitions"][0].contains("on_arrival_of"));
  CHECK(advance["transitions"][0]["on_arrival_of"] == 0);
  CHECK(advance["transitions"][0]["after_segment"] == 2);
  CHECK(advance["transitions"][1]["on_arrival_of"] == 1);  // the client's ESTABLISHED: the SYN,ACK
  CHECK(Step(*sim, {{"op", "drop_next"}})["transitions"].empty());
}

TEST_CASE("initial sequence numbers come from the seed", "[tcp]") {
  auto a = Make(Json::object(), 1);
  auto b = Make(Json::object(), 1);
  auto c = Make(Json::object(), 2);
  CHECK(As(*a).endpoint(TcpSim::kClient).iss() == As(*b).endpoint(TcpSim::kClient).iss());
  CHECK(As(*a).endpoint(TcpSim::kClient).iss() != As(*c).endpoint(TcpSim::kClient).iss());
  CHECK(As(*a).endpoint(TcpSim::kClient).iss() != As(*a).endpoint(TcpSim::kServer).iss());
}

TEST_CASE("normal close from the client: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT for 2 MSL; CLOSE-WAIT, LAST-ACK", "[tcp]") {
  auto sim = Make({{"msl_ms", 1000}});
  Connect(*sim);
  Step(*sim, {{"op", "close"}});
  CHECK(ClientState(*sim) == State::kFinWait1);
  Advance(*sim, kLatencyMs);
  CHECK(ServerState(*sim) == State::kCloseWait);
  Advance(*sim, kLatencyMs);
  CHECK(ClientState(*sim) == State::kFinWait2);
  Refused(*sim, {{"op", "close"}});  // "error: connection closing"
  Step(*sim, {{"op", "close"}, {"side", "server"}});
  CHECK(ServerState(*sim) == State::kLastAck);
  Advance(*sim, kLatencyMs);
  CHECK(ClientState(*sim) == State::kTimeWait);
  const int64_t time_wait_from = As(*sim).now();
  Advance(*sim, kLatencyMs);
  CHECK(ServerState(*sim) == State::kClosed);
  CHECK(Path(*sim, "client") ==
        std::vector<std::string>{"SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"});
  CHECK(Path(*sim, "server") == std::vector<std::string>{"LISTEN", "SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT",
                                                          "LAST-ACK", "CLOSED"});
  // FIN consumes one sequence number: the ACK of the client's FIN is 2 (SYN + FIN).
  const std::vector<std::string> wire = Wire(*sim);
  CHECK(std::vector<std::string>(wire.begin() + 3, wire.end()) ==
        std::vector<std::string>{"client FIN,ACK 1 1", "server ACK 1 2", "server FIN,ACK 1 2", "client ACK 2 2"});
  // TIME-WAIT ends 2 x MSL after it began, not before.
  Advance(*sim, 2000 - (As(*sim).now() - time_wait_from) / 1000 - 1);
  CHECK(ClientState(*sim) == State::kTimeWait);
  Advance(*sim, 1);
  CHECK(ClientState(*sim) == State::kClosed);
}

TEST_CASE("close from the server first: the same path with the roles swapped", "[tcp]") {
  auto sim = Make({{"msl_ms", 1000}});
  Connect(*sim);
  Step(*sim, {{"op", "close"}, {"side", "server"}});
  Advance(*sim, 2 * kLatencyMs);
  CHECK(ServerState(*sim) == State::kFinWait2);
  CHECK(ClientState(*sim) == State::kCloseWait);
  Step(*sim, {{"op", "close"}});
  CHECK(ClientState(*sim) == State::kLastAck);
  Advance(*sim, 2 * kLatencyMs);
  CHECK(ServerState(*sim) == State::kTimeWait);
  CHECK(ClientState(*sim) == State::kClosed);
}

TEST_CASE("simultaneous close: both FIN-WAIT-1, both CLOSING, both TIME-WAIT (RFC 9293 Figure 13)", "[tcp]") {
  auto sim = Make({{"msl_ms", 1000}});
  Connect(*sim);
  Step(*sim, {{"op", "close"}, {"side", "both"}});
  CHECK(ClientState(*sim) == State::kFinWait1);
  CHECK(ServerState(*sim) == State::kFinWait1);
  Advance(*sim, kLatencyMs);
  CHECK(ClientState(*sim) == State::kClosing);
  CHECK(ServerState(*sim) == State::kClosing);
  Advance(*sim, kLatencyMs);
  CHECK(ClientState(*sim) == State::kTimeWait);
  CHECK(ServerState(*sim) == State::kTimeWait);
  Advance(*sim, 2000);
  CHECK(ClientState(*sim) == State::kClosed);
  CHECK(ServerState(*sim) == State::kClosed);
}

TEST_CASE("simultaneous open: SYN-SENT, SYN-RECEIVED, ESTABLISHED on both sides (RFC 9293 Figure 7)", "[tcp]") {
  auto sim = Make({{"server_listening", false}});
  Step(*sim, {{"op", "connect"}, {"side", "both"}});
  CHECK(ClientState(*sim) == State::kSynSent);
  CHECK(ServerState(*sim) == State::kSynSent);
  Advance(*sim, kLatencyMs);
  CHECK(ClientState(*sim) == State::kSynReceived);
  CHECK(ServerState(*sim) == State::kSynReceived);
  Advance(*sim, 2 * kLatencyMs);
  CHECK(ClientState(*sim) == State::kEstablished);
  CHECK(ServerState(*sim) == State::kEstablished);
  const std::vector<std::string> wire = Wire(*sim);
  REQUIRE(wire.size() >= 4);
  CHECK(std::vector<std::string>(wire.begin(), wire.begin() + 4) ==
        std::vector<std::string>{"client SYN 0", "server SYN 0", "server SYN,ACK 0 1", "client SYN,ACK 0 1"});
  // Data flows afterwards in both directions.
  Step(*sim, {{"op", "send"}, {"bytes", 100}});
  Step(*sim, {{"op", "send"}, {"bytes", 200}, {"side", "server"}});
  Advance(*sim, 2 * kLatencyMs);
  CHECK(As(*sim).delivered(TcpSim::kServer) == 100);
  CHECK(As(*sim).delivered(TcpSim::kClient) == 200);
}

TEST_CASE("a connect to a closed port is answered with RST,ACK and the client reports the reset", "[tcp]") {
  auto sim = Make({{"server_listening", false}});
  Step(*sim, {{"op", "connect"}});
  Advance(*sim, 2 * kLatencyMs);
  CHECK(Wire(*sim) == std::vector<std::string>{"client SYN 0", "server RST,ACK 0 1"});
  CHECK(ClientState(*sim) == State::kClosed);
  CHECK(ServerState(*sim) == State::kClosed);
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull)["client"]["error"] == "error: connection reset");
}

TEST_CASE("a lost SYN is sent again after the RTO, and the RTO doubles", "[tcp]") {
  auto sim = Make({{"rto_ms", 1000}});
  Step(*sim, {{"op", "drop_next"}, {"count", 2}});
  Step(*sim, {{"op", "connect"}});
  CHECK(End(*sim, "client")["retransmit_at_us"] == 1000000);  // the widget shows when it fires
  Advance(*sim, 999);
  CHECK(Wire(*sim) == std::vector<std::string>{"client SYN 0 LOST"});
  Advance(*sim, 1);  // t = 1 s: first retransmission (lost too)
  CHECK(Wire(*sim).size() == 2);
  CHECK(End(*sim, "client")["retransmit_at_us"] == 3000000);
  Advance(*sim, 1999);  // the next RTO is 2 s
  CHECK(Wire(*sim).size() == 2);
  Advance(*sim, 1);  // t = 3 s
  Advance(*sim, 2 * kLatencyMs);
  CHECK(ClientState(*sim) == State::kEstablished);
  const Json segments = sim->Snapshot(sdp::Simulation::Detail::kFull)["segments"];
  CHECK(segments[2]["retransmission"] == true);
  CHECK(segments[2]["sent_us"] == 3000000);
  CHECK(segments[2]["rel_seq"] == 0);  // the same SYN, the same sequence number
}

TEST_CASE("a lost FIN is sent again; the peer acknowledges it once", "[tcp]") {
  auto sim = Make({{"rto_ms", 500}});
  Connect(*sim);
  Step(*sim, {{"op", "drop_next"}});
  Step(*sim, {{"op", "close"}});
  Advance(*sim, 400);
  CHECK(ServerState(*sim) == State::kEstablished);  // it never saw the FIN
  CHECK(ClientState(*sim) == State::kFinWait1);
  Advance(*sim, 100 + 2 * kLatencyMs);
  CHECK(ServerState(*sim) == State::kCloseWait);
  CHECK(ClientState(*sim) == State::kFinWait2);
}

TEST_CASE("a lost last ACK: LAST-ACK resends its FIN, TIME-WAIT answers it and restarts 2 MSL", "[tcp]") {
  auto sim = Make({{"rto_ms", 500}, {"msl_ms", 1000}});
  Connect(*sim);
  Step(*sim, {{"op", "close"}});
  Advance(*sim, 2 * kLatencyMs);
  Step(*sim, {{"op", "drop_next"}});  // the client's ACK of the server's FIN
  Step(*sim, {{"op", "close"}, {"side", "server"}});
  Advance(*sim, kLatencyMs);
  REQUIRE(ClientState(*sim) == State::kTimeWait);
  const int64_t first_fin_arrived = As(*sim).now();
  CHECK(End(*sim, "client")["time_wait_ends_us"] == first_fin_arrived + 2000000);
  Advance(*sim, 500);  // the server's RTO ran out at 750 ms; its FIN arrives now
  const int64_t second_fin_arrived = As(*sim).now();
  CHECK(End(*sim, "client")["time_wait_ends_us"] == second_fin_arrived + 2000000);
  CHECK(ServerState(*sim) == State::kLastAck);
  Advance(*sim, kLatencyMs);
  CHECK(ServerState(*sim) == State::kClosed);
  // The 2 MSL count restarted at the second FIN.
  Advance(*sim, (first_fin_arrived + 2000000 - As(*sim).now()) / 1000 + 1);
  CHECK(ClientState(*sim) == State::kTimeWait);
  Advance(*sim, (second_fin_arrived + 2000000 - As(*sim).now()) / 1000);
  CHECK(ClientState(*sim) == State::kClosed);
}

TEST_CASE("retransmissions run out: the connection times out and closes", "[tcp]") {
  auto sim = Make({{"rto_ms", 100}, {"max_retries", 2}});
  Step(*sim, {{"op", "drop_next"}, {"count", 10}});
  Step(*sim, {{"op", "connect"}});
  Advance(*sim, 100 + 200 + 399);
  CHECK(ClientState(*sim) == State::kSynSent);
  Advance(*sim, 1);
  CHECK(ClientState(*sim) == State::kClosed);
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull)["client"]["error"] == "error: connection timed out");
  CHECK(Wire(*sim).size() == 3);
}

TEST_CASE("data sent in SYN-SENT waits for ESTABLISHED; segments split at the MSS", "[tcp]") {
  auto sim = Make({{"mss", 1000}});
  Step(*sim, {{"op", "connect"}});
  Step(*sim, {{"op", "send"}, {"bytes", 2500}});
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull)["client"]["queued_bytes"] == 2500);
  Advance(*sim, 4 * kLatencyMs);
  CHECK(As(*sim).delivered(TcpSim::kServer) == 2500);
  std::vector<std::string> data;
  for (const std::string& w : Wire(*sim)) {
    if (w.find(" len ") != std::string::npos) data.push_back(w);
  }
  CHECK(data == std::vector<std::string>{"client ACK 1 1 len 1000", "client ACK 1001 1 len 1000",
                                         "client ACK 2001 1 len 500"});
}

TEST_CASE("every byte arrives exactly once and in order, whatever is lost", "[tcp]") {
  uint64_t retransmissions = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto sim = Make({{"mss", 500}, {"rto_ms", 200}, {"window_bytes", 4000}, {"max_retries", 15}}, seed);
    Connect(*sim);
    sdp::Rng losses(seed * 977);
    Step(*sim, {{"op", "send"}, {"bytes", 30000}});
    Step(*sim, {{"op", "send"}, {"bytes", 7000}, {"side", "server"}});
    // One loss waits at a time per side, so losses hit whatever is sent next
    // (data, ACKs, retransmissions) without piling up into a timeout.
    for (int i = 0; i < 200; ++i) {
      const bool client = losses.Bernoulli(0.5);
      const std::string side = client ? "client" : "server";
      // The accessor, not a snapshot: a snapshot per loop made this the
      // slowest test under the sanitizers (it prints the whole segment log).
      const bool idle = As(*sim).drops_pending(client ? TcpSim::kClient : TcpSim::kServer) == 0;
      if (losses.Bernoulli(0.2) && idle) Step(*sim, {{"op", "drop_next"}, {"side", side}});
      Advance(*sim, 1 + static_cast<int64_t>(losses.Below(60)));
    }
    Advance(*sim, 3600 * 1000);
    retransmissions += As(*sim).endpoint(TcpSim::kClient).retransmissions() +
                       As(*sim).endpoint(TcpSim::kServer).retransmissions();
    INFO("seed " << seed);
    CHECK(As(*sim).delivered(TcpSim::kServer) == 30000);
    CHECK(As(*sim).delivered(TcpSim::kClient) == 7000);
    CHECK(As(*sim).endpoint(TcpSim::kServer).rcv_nxt() == As(*sim).endpoint(TcpSim::kClient).snd_nxt());
  }
  CHECK(retransmissions > 20);  // the losses did hit data
}

TEST_CASE("the window limits bytes in flight; ACKs open it again", "[tcp]") {
  auto sim = Make({{"mss", 1000}, {"window_bytes", 3000}});
  Connect(*sim);
  Step(*sim, {{"op", "send"}, {"bytes", 10000}});
  const Json client = sim->Snapshot(sdp::Simulation::Detail::kFull)["client"];
  CHECK(client["snd_nxt"].get<uint32_t>() - client["snd_una"].get<uint32_t>() == 3000);
  CHECK(client["queued_bytes"] == 7000);
  Advance(*sim, 10 * kLatencyMs);
  CHECK(As(*sim).delivered(TcpSim::kServer) == 10000);
}

TEST_CASE("illegal calls are refused with RFC 9293's words and change nothing", "[tcp]") {
  auto sim = Make();
  CHECK(Refused(*sim, {{"op", "send"}, {"bytes", 10}}) ==
        "send (client, CLOSED): error: connection does not exist");
  CHECK(Refused(*sim, {{"op", "close"}}) == "close (client, CLOSED): error: connection does not exist");
  CHECK(Refused(*sim, {{"op", "listen"}}).find("connection already exists") != std::string::npos);
  Connect(*sim);
  CHECK(Refused(*sim, {{"op", "connect"}}) == "connect (client, ESTABLISHED): error: connection already exists");
  Step(*sim, {{"op", "close"}});
  CHECK(Refused(*sim, {{"op", "close"}}) == "close (client, FIN-WAIT-1): error: connection closing");
  CHECK(Refused(*sim, {{"op", "send"}, {"bytes", 10}}) == "send (client, FIN-WAIT-1): error: connection closing");
  // close both, with one side unable: neither acts.
  CHECK(Refused(*sim, {{"op", "close"}, {"side", "both"}}).find("close (client") == 0);
  CHECK(ServerState(*sim) == State::kEstablished);
  CHECK(Refused(*sim, {{"op", "drop_next"}, {"count", 11}}).find("\"count\"") != std::string::npos);
}

TEST_CASE("a send that would need more than 10,000 segments is refused up front", "[tcp]") {
  auto sim = Make({{"mss", 1}});
  Connect(*sim);
  CHECK(Refused(*sim, {{"op", "send"}, {"bytes", 20000}}) ==
        "send: field \"bytes\" 20000 at mss 1 would be more than 10000 segments; send less or raise mss");
  Step(*sim, {{"op", "send"}, {"bytes", 10000}});
}

TEST_CASE("ABORT sends <SEQ=SND.NXT><CTL=RST>, exactly RCV.NXT at the peer, which resets", "[tcp]") {
  auto sim = Make();
  Connect(*sim);
  Step(*sim, {{"op", "abort"}, {"side", "server"}});
  CHECK(ServerState(*sim) == State::kClosed);
  Advance(*sim, kLatencyMs);
  CHECK(ClientState(*sim) == State::kClosed);
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull)["client"]["error"] == "error: connection reset");
}

TEST_CASE("a RST from an end that closed keeps its connection's relative numbers; a closed port's does not", "[tcp]") {
  auto sim = Make();
  Connect(*sim);
  Step(*sim, {{"op", "send"}, {"bytes", 100}});
  Advance(*sim, 2 * kLatencyMs);
  Step(*sim, {{"op", "drop_next"}});
  Step(*sim, {{"op", "abort"}});  // the client's RST is lost: the server still thinks it is connected
  Step(*sim, {{"op", "send"}, {"bytes", 10}, {"side", "server"}});
  Advance(*sim, 2 * kLatencyMs);
  // RFC 9293 Figure 10: the data reaches a CLOSED end, which answers <SEQ=SEG.ACK><CTL=RST>;
  // SEG.ACK is the client's old SND.NXT: SYN + 100 bytes = 101 relative to its ISS.
  const std::vector<std::string> wire = Wire(*sim);
  CHECK(std::vector<std::string>(wire.end() - 3, wire.end()) ==
        std::vector<std::string>{"client RST 101 LOST", "server ACK 1 101 len 10", "client RST 101"});
  CHECK(ServerState(*sim) == State::kClosed);
  CHECK(End(*sim, "server")["error"] == "error: connection reset");

  auto closed_port = Make({{"server_listening", false}});
  Step(*closed_port, {{"op", "connect"}});
  Advance(*closed_port, kLatencyMs);
  const Json rst = closed_port->Snapshot(sdp::Simulation::Detail::kFull)["segments"][1];
  CHECK(rst["flags"] == "RST,ACK");
  CHECK(rst["seq"] == 0);
  CHECK(rst["rel_seq"] == 0);  // not "0 minus an ISS the server never used"
}

TEST_CASE("an old segment reaching a new incarnation is answered, not accepted", "[tcp]") {
  // The server aborts and listens again while the client's data is in flight:
  // the new LISTEN answers the stray ACK with a reset (3.10.7.2, second check).
  auto sim = Make();
  Connect(*sim);
  Step(*sim, {{"op", "send"}, {"bytes", 100}});
  Step(*sim, {{"op", "abort"}, {"side", "server"}});
  Step(*sim, {{"op", "listen"}});
  Advance(*sim, 3 * kLatencyMs);
  CHECK(ServerState(*sim) == State::kListen);
  CHECK(As(*sim).delivered(TcpSim::kServer) == 0);
  CHECK(ClientState(*sim) == State::kClosed);  // the server's RST reached it first
}

}  // namespace tcp_test
