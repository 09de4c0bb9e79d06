// The `layers` sim: RFC 791 fragmentation and reassembly, longest-prefix
// match (RFC 1812 5.2.4.3), TTL expiry and ICMP errors (RFC 1812 5.3.1,
// 4.3.2.7), DF and Fragmentation Needed (RFC 1191), and the walk of one
// HTTP request down and up the stacks; refusals change nothing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sdp/layers/ipv4.h"
#include "sdp/layers/network.h"
#include "sdp/layers_sim.h"
#include "sdp/scenario.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace layers_test {

namespace {

using sdp::Json;
using sdp::layers::Datagram;
using sdp::layers::Fragment;
using sdp::layers::Network;
using sdp::layers::Prefix;
using sdp::layers::Reassembler;

std::unique_ptr<sdp::Simulation> Make(const Json& config = Json::object(), uint64_t seed = 7) {
  return sim_test::Make("layers", seed, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("layers", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("layers", sim, step); }
Json Walk(sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kFull)["walk"]; }

// Every event of the walk at `node` / `layer`, in stage order.
std::vector<Json> Events(const Json& walk, const std::string& node, const std::string& layer) {
  std::vector<Json> out;
  for (const Json& stage : walk["stages"]) {
    for (const Json& e : stage["events"]) {
      if (e["node"] == node && e["layer"] == layer) out.push_back(e);
    }
  }
  return out;
}

Datagram Whole(uint32_t total_length) {
  Datagram d;
  d.src = 1;
  d.dst = 2;
  d.id = 77;
  d.data_bytes = total_length - sdp::layers::kIpv4HeaderBytes;
  return d;
}

sdp::layers::Addr Parse(const char* text) {
  sdp::layers::Addr a = 0;
  REQUIRE(sdp::layers::ParseAddr(text, &a));
  return a;
}

// A 3,000-byte POST: three segments (1460, 1460, the rest) in datagrams of
// 1500, 1500 and a small one.
Json Post(int ttl = 64, bool df = false) {
  return {{"op", "request"}, {"method", "POST"}, {"body_bytes", 3000}, {"ttl", ttl}, {"dont_fragment", df}};
}

}  // namespace

TEST_CASE("RFC 791: a 4000-byte datagram over a 1500 MTU is 1480/1480/1020 data bytes at offsets 0/185/370", "[layers]") {
  const std::vector<Datagram> f = Fragment(Whole(4000), 1500);
  REQUIRE(f.size() == 3);
  CHECK(f[0].data_bytes == 1480);
  CHECK(f[1].data_bytes == 1480);
  CHECK(f[2].data_bytes == 1020);
  CHECK(f[0].offset8 == 0);
  CHECK(f[1].offset8 == 185);
  CHECK(f[2].offset8 == 370);
  CHECK(f[0].mf);
  CHECK(f[1].mf);
  CHECK_FALSE(f[2].mf);
  CHECK(f[0].total_length() == 1500);
  CHECK(f[2].total_length() == 1040);
  for (const Datagram& d : f) CHECK(d.id == 77);
}

TEST_CASE("a fragment of a fragment: offsets add up, every piece keeps MF when the fragment had it", "[layers]") {
  Datagram middle = Whole(1500);
  middle.offset8 = 185;
  middle.mf = true;
  const std::vector<Datagram> f = Fragment(middle, 576);  // (576 - 20) / 8 = 69 blocks = 552 bytes
  REQUIRE(f.size() == 3);
  CHECK(f[0].data_bytes == 552);
  CHECK(f[1].data_bytes == 552);
  CHECK(f[2].data_bytes == 376);
  CHECK(f[0].offset8 == 185);
  CHECK(f[1].offset8 == 185 + 69);
  CHECK(f[2].offset8 == 185 + 138);
  for (const Datagram& d : f) CHECK(d.mf);
  // At the 68-byte minimum MTU each fragment carries (68 - 20) = 48 bytes.
  const std::vector<Datagram> tiny = Fragment(Whole(120), 68);
  REQUIRE(tiny.size() == 3);
  CHECK(tiny[0].data_bytes == 48);
  CHECK(tiny[1].offset8 == 6);
  CHECK(tiny[2].data_bytes == 4);
  CHECK(Fragment(Whole(1500), 1500).size() == 1);
}

TEST_CASE("reassembly: in any order, duplicates allowed; nothing until every byte is there", "[layers]") {
  std::vector<Datagram> f = Fragment(Whole(4000), 1500);
  Reassembler r;
  CHECK_FALSE(r.Add(f[2]).has_value());
  CHECK_FALSE(r.Add(f[0]).has_value());
  CHECK_FALSE(r.Add(f[0]).has_value());
  CHECK(r.pending() == 1);
  const auto whole = r.Add(f[1]);
  REQUIRE(whole.has_value());
  CHECK(whole->data_bytes == 3980);
  CHECK(whole->offset8 == 0);
  CHECK_FALSE(whole->mf);
  CHECK(r.pending() == 0);
  // Another datagram (another id) does not fill this one's hole.
  Reassembler s;
  Datagram other = f[1];
  other.id = 78;
  CHECK_FALSE(s.Add(f[0]).has_value());
  CHECK_FALSE(s.Add(other).has_value());
  CHECK_FALSE(s.Add(f[2]).has_value());
  CHECK(s.pending() == 2);
}

TEST_CASE("prefixes: a.b.c.d/len; bits after the prefix are refused with the fix", "[layers]") {
  Prefix p;
  REQUIRE(sdp::layers::ParsePrefix("203.0.113.64/26", "prefix", &p).ok());
  CHECK(p.Contains(Parse("203.0.113.80")));
  CHECK_FALSE(p.Contains(Parse("203.0.113.128")));
  const sdp::Status bits = sdp::layers::ParsePrefix("203.0.113.5/24", "prefix", &p);
  REQUIRE_FALSE(bits.ok());
  CHECK(bits.message() == "field \"prefix\": 203.0.113.5/24 has bits set after the first 24; did you mean 203.0.113.0/24?");
  for (const char* bad : {"203.0.113.0", "203.0.113/24", "256.0.0.0/8", "1.2.3.4/33", "01.2.3.4/8", "1.2.3.4/", "a.b.c.d/8"}) {
    INFO(bad);
    CHECK_FALSE(sdp::layers::ParsePrefix(bad, "prefix", &p).ok());
  }
  REQUIRE(sdp::layers::ParsePrefix("0.0.0.0/0", "prefix", &p).ok());
  CHECK(p.Contains(Parse("8.8.8.8")));
}

TEST_CASE("longest-prefix match: the most specific route wins, the default only when nothing else matches", "[layers]") {
  const Network net = Network::Default();
  const sdp::layers::RoutingTable& r1 = net.FindNode("R1")->table;
  std::vector<const sdp::layers::Route*> matches;
  const sdp::layers::Route* server = r1.Lookup(Parse("203.0.113.80"), &matches);
  REQUIRE(server != nullptr);
  CHECK(server->prefix.ToString() == "203.0.113.64/26");
  CHECK(server->via == "R4");
  REQUIRE(matches.size() == 3);
  CHECK(matches[1]->prefix.ToString() == "203.0.113.0/24");
  CHECK(matches[2]->prefix.ToString() == "0.0.0.0/0");
  CHECK(r1.Lookup(Parse("203.0.113.10"))->via == "R2");  // outside the /26
  CHECK(r1.Lookup(Parse("8.8.8.8"))->prefix.ToString() == "0.0.0.0/0");
  const sdp::layers::Route* home = r1.Lookup(Parse("192.168.1.10"));
  CHECK(home->connected);
  CHECK(home->link == "lan");
  CHECK(net.FindNode("R4")->table.Lookup(Parse("8.8.8.8")) == nullptr);
}

TEST_CASE("a small GET: one segment, one datagram, TTL down by one per router, read whole at the server", "[layers]") {
  auto sim = Make();
  const Json first = Step(*sim, {{"op", "request"}});
  CHECK(first["position"] == 0);
  CHECK(first["segments"] == 1);
  const Json walk = Walk(*sim);
  CHECK(walk["delivered"] == true);
  CHECK(walk["fragments_created"] == 0);
  CHECK(walk["icmp_sent"] == 0);
  // client (4 stages: app, transport, network, link), R1, R4, R3 (one each),
  // server (link, network, transport, app).
  CHECK(walk["stages_total"] == 4 + 3 + 4);
  CHECK(walk["http"]["start_line"] == "GET /index.html HTTP/1.1");
  const std::vector<std::string> path = {"R1", "R4", "R3"};
  int ttl = 64;
  for (const std::string& router : path) {
    const std::vector<Json> e = Events(walk, router, "network");
    REQUIRE(e.size() == 1);
    CHECK(e[0]["pdus"][0]["ttl"] == --ttl);
  }
  const Json r1 = Events(walk, "R1", "network")[0]["lookups"][0];
  CHECK(r1["chosen"] == "203.0.113.64/26");
  CHECK(r1["matches"] == Json::array({"203.0.113.64/26", "203.0.113.0/24", "0.0.0.0/0"}));
  const Json seg = Events(walk, "client", "transport")[0]["pdus"][0];
  CHECK(seg["rel_seq"] == 1);
  CHECK(seg["flags"] == "PSH,ACK");
  CHECK(seg["dst_port"] == 80);
  CHECK(seg["len"] == walk["http"]["bytes"]);
  const Json frame = Events(walk, "client", "link")[0]["pdus"][0];
  CHECK(frame["frame_bytes"] == 14 + 20 + 20 + walk["http"]["bytes"].get<int>() + 4);
  CHECK(Events(walk, "server", "application").size() == 1);
  // step / run move through it; past the end is refused.
  CHECK(Step(*sim, {{"op", "step"}})["position"] == 1);
  const Json end = Step(*sim, {{"op", "run"}});
  CHECK(end["done"] == true);
  CHECK(end["delivered"] == true);
  CHECK(Refused(*sim, {{"op", "step"}}).find("the walk is over") != std::string::npos);
}

TEST_CASE("a 3,000-byte POST: 1460-byte segments; 1500-byte datagrams split 552/552/376 on the 576 link", "[layers]") {
  auto sim = Make();
  Step(*sim, Post());
  const Json walk = Walk(*sim);
  const int bytes = walk["http"]["bytes"].get<int>();
  REQUIRE(walk["segments"] == 3);
  const Json segs = Events(walk, "client", "transport")[0]["pdus"];
  CHECK(segs[0]["len"] == 1460);
  CHECK(segs[1]["rel_seq"] == 1461);
  CHECK(segs[2]["len"] == bytes - 2920);
  CHECK(segs[2]["flags"] == "PSH,ACK");
  // R4 forwards onto R4-R3 (MTU 576): (576 - 20) / 8 = 69 blocks of 8.
  const Json out = Events(walk, "R4", "network")[0]["pdus"];
  REQUIRE(out.size() == 7);
  const int data[] = {552, 552, 376};
  const int offset[] = {0, 69, 138};
  for (int i = 0; i < 3; ++i) {
    CHECK(out[i]["data_bytes"] == data[i]);
    CHECK(out[i]["offset"] == offset[i]);
    CHECK(out[i]["mf"] == (i < 2));
    CHECK(out[i]["id"] == out[0]["id"]);
  }
  CHECK(out[6]["mf"] == false);  // the small third datagram fits whole
  CHECK(out[2]["carries"].get<std::string>().find("no TCP header") != std::string::npos);
  CHECK(walk["fragments_created"] == 4);
  // The server puts them back: three datagrams of 1500, 1500 and the rest.
  const Json whole = Events(walk, "server", "network")[0]["pdus"];
  REQUIRE(whole.size() == 3);
  CHECK(whole[0]["total_length"] == 1500);
  CHECK(whole[0]["mf"] == false);
  CHECK(walk["bytes_delivered"] == bytes);
  CHECK(walk["delivered"] == true);
}

TEST_CASE("TTL: 4 reaches a server three routers away, 3 expires at R3 with one ICMP per first fragment", "[layers]") {
  auto sim = Make();
  Step(*sim, Post(4));
  CHECK(Walk(*sim)["delivered"] == true);
  Step(*sim, Post(3));
  const Json walk = Walk(*sim);
  CHECK(walk["delivered"] == false);
  const Json r3 = Events(walk, "R3", "network")[0];
  int dropped = 0;
  for (const Json& p : r3["pdus"]) dropped += p.contains("dropped") ? 1 : 0;
  CHECK(dropped == 7);            // 3 + 3 fragments and the small datagram
  CHECK(walk["icmp_sent"] == 3);  // RFC 1812 4.3.2.7: none about non-first fragments
  // The errors go back by R3's route to the client (192.168.0.0/16 via R2),
  // from R3's address on that link (RFC 1812 4.3.2.4), quoting up to 576 bytes.
  const std::vector<Json> at_client = Events(walk, "client", "network");
  REQUIRE(at_client.size() == 2);  // sending, then the errors arriving
  const Json icmp = at_client[1]["pdus"][0];
  CHECK(icmp["src"] == "10.0.23.3");
  CHECK(icmp["protocol"] == "ICMP");
  CHECK(icmp["icmp"]["type"] == 11);
  CHECK(icmp["icmp"]["code"] == 0);
  CHECK(icmp["total_length"] == 576);
  CHECK(Events(walk, "R2", "network").size() == 1);  // the way back
  CHECK(walk["outcome"].get<std::string>().find("TTL") != std::string::npos);
}

TEST_CASE("DF: too big for the next link is dropped with Fragmentation Needed and the next-hop MTU", "[layers]") {
  auto sim = Make();
  Step(*sim, Post(64, true));
  const Json walk = Walk(*sim);
  CHECK(walk["fragments_created"] == 0);
  CHECK(walk["icmp_sent"] == 2);
  CHECK(walk["delivered"] == false);
  // The small third segment gets through, but TCP holds it: bytes before it are missing.
  CHECK(walk["bytes_delivered"] == 0);
  CHECK(Events(walk, "server", "transport")[0]["text"].get<std::string>().find("holds them") != std::string::npos);
  const Json icmp = Events(walk, "client", "network")[1]["pdus"][0]["icmp"];
  CHECK(icmp["type"] == 3);
  CHECK(icmp["code"] == 4);
  CHECK(icmp["next_hop_mtu"] == 576);
  // An MSS that fits the narrow link (576 - 40) gets through with DF.
  auto fits = Make({{"mss", 536}});
  Step(*fits, Post(64, true));
  CHECK(Walk(*fits)["delivered"] == true);
  CHECK(Walk(*fits)["icmp_sent"] == 0);
}

TEST_CASE("routes: a more specific route steers, removing it falls back; a loop ends when TTL runs out", "[layers]") {
  auto sim = Make();
  Step(*sim, {{"op", "set_route"}, {"router", "R1"}, {"prefix", "203.0.113.64/26"}, {"via", "R2"}});
  Step(*sim, Post());
  Json walk = Walk(*sim);
  CHECK(Events(walk, "R4", "network").empty());
  CHECK(Events(walk, "R2", "network").size() == 1);
  CHECK(walk["fragments_created"] == 0);
  CHECK(walk["delivered"] == true);
  // A loop: R2 sends the site back to R1, R1 (without the /26) to R2.
  Step(*sim, {{"op", "remove_route"}, {"router", "R1"}, {"prefix", "203.0.113.64/26"}});
  Step(*sim, {{"op", "set_route"}, {"router", "R2"}, {"prefix", "203.0.113.0/24"}, {"via", "R1"}});
  Step(*sim, {{"op", "request"}});
  walk = Walk(*sim);
  CHECK(walk["delivered"] == false);
  CHECK(walk["icmp_sent"] == 1);
  // R1 sees TTL 64, 62, ... 2; R2 sees 63, ... 1 and drops it.
  CHECK(Events(walk, "R1", "network").size() == 32 + 1);  // + the ICMP on its way back
  const std::vector<Json> r2 = Events(walk, "R2", "network");
  CHECK(r2[31]["pdus"][0]["dropped"].get<std::string>().find("TTL 1") != std::string::npos);
}

TEST_CASE("refusals name the field and what is allowed, and change nothing", "[layers]") {
  auto sim = Make();
  Step(*sim, {{"op", "request"}});
  CHECK(Refused(*sim, {{"op", "set_mtu"}, {"link", "R4-R3"}, {"mtu", 67}}).find("\"mtu\"") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "request"}, {"ttl", 0}}).find("\"ttl\"") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "set_route"}, {"router", "R9"}, {"prefix", "10.0.0.0/8"}, {"via", "R2"}}).find("\"router\"") !=
        std::string::npos);
  CHECK(Refused(*sim, {{"op", "set_route"}, {"router", "R1"}, {"prefix", "10.0.0.0/8"}, {"via", "R3"}}) ==
        "set_route: field \"via\": R3 is not a neighbour of R1; a next hop must share a link with it: client, R2, R4");
  CHECK(Refused(*sim, {{"op", "set_route"}, {"router", "R1"}, {"prefix", "10.0.0.1/8"}, {"via", "R2"}}).find("did you mean 10.0.0.0/8") !=
        std::string::npos);
  CHECK(Refused(*sim, {{"op", "remove_route"}, {"router", "R1"}, {"prefix", "10.0.12.0/24"}}).find("directly connected") !=
        std::string::npos);
  CHECK(Refused(*sim, {{"op", "remove_route"}, {"router", "R2"}, {"prefix", "10.9.0.0/16"}}).find("has no route") !=
        std::string::npos);
  CHECK(Refused(*sim, {{"op", "request"}, {"path", "/a b"}}).find("\"path\"") != std::string::npos);
  auto small = Make({{"mss", 88}});
  CHECK(Refused(*small, {{"op", "request"}, {"body_bytes", 65536}}).find("at most 500") != std::string::npos);
  auto fresh = Make();
  CHECK(Refused(*fresh, {{"op", "step"}}).find("no request yet") != std::string::npos);
}

TEST_CASE("one connection: sequence numbers and IP ids go on from one request to the next; ports and ISNs from the seed", "[layers]") {
  auto sim = Make();
  Step(*sim, {{"op", "request"}});
  const Json first = Walk(*sim);
  Step(*sim, {{"op", "request"}});
  const Json second = Walk(*sim);
  const Json a = Events(first, "client", "transport")[0]["pdus"][0];
  const Json b = Events(second, "client", "transport")[0]["pdus"][0];
  CHECK(b["rel_seq"] == 1 + first["http"]["bytes"].get<int>());
  CHECK(b["src_port"] == a["src_port"]);
  CHECK(a["src_port"].get<int>() >= 32768);
  CHECK(a["src_port"].get<int>() <= 60999);
  const Json ip_a = Events(first, "client", "network")[0]["pdus"][0];
  const Json ip_b = Events(second, "client", "network")[0]["pdus"][0];
  CHECK(ip_b["id"] == (ip_a["id"].get<int>() + 1) % 65536);
  auto same = Make();
  auto other = Make(Json::object(), 8);
  CHECK(same->Snapshot(sdp::Simulation::Detail::kFull)["connection"] ==
        Make()->Snapshot(sdp::Simulation::Detail::kFull)["connection"]);
  CHECK(same->Snapshot(sdp::Simulation::Detail::kFull)["connection"]["iss"] !=
        other->Snapshot(sdp::Simulation::Detail::kFull)["connection"]["iss"]);
}

TEST_CASE("TCP timestamps take 12 bytes of every segment: 1448 data bytes at MSS 1460", "[layers]") {
  auto sim = Make({{"tcp_timestamps", true}});
  Step(*sim, Post());
  const Json seg = Events(Walk(*sim), "client", "transport")[0]["pdus"][0];
  CHECK(seg["len"] == 1448);
  CHECK(seg["header_bytes"] == 32);
}

}  // namespace layers_test
