// The `https` sim: TLS 1.3's record sizes (RFC 8446 5.2), the full
// handshake's order (RFC 8446 2, Figure 1), the ClientHello built from its
// structure (4.1.2) with the SNI (RFC 6066 3), AEAD-style authentication of
// every byte of every record, what an eavesdropper reads over HTTP (RFC 9110,
// RFC 9112) and over HTTPS, the alerts that refuse an impersonator (RFC 8446
// 4.4.3, 6.2), and refusals that change nothing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sdp/https/exchange.h"
#include "sdp/https/tls_handshake.h"
#include "sdp/https/tls_record.h"
#include "sdp/https_sim.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace https_test {

namespace {

using sdp::Json;
namespace h = sdp::https;

std::unique_ptr<sdp::Simulation> Make(uint64_t seed = 7, const Json& config = Json::object()) {
  return sim_test::Make("https", seed, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("https", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("https", sim, step); }

const Json kTransfer = {{"op", "request"}, {"method", "POST"}, {"path", "/transfer"}, {"body", "to=bob&amount=100"}};

Json Transfer(const std::string& scheme) {
  Json step = kTransfer;
  step["scheme"] = scheme;
  return step;
}

// Everything the attacker's view holds, as one string.
std::string SeenText(const Json& exchange) { return exchange["seen"].dump(); }

}  // namespace

TEST_CASE("RFC 8446 5.2: a protected record is content + 1 + padding + 16 bytes behind a 5-byte header", "[https]") {
  h::RecordProtection seal(std::string(16, 'k'), std::string(12, 'i'));
  h::RecordProtection open(std::string(16, 'k'), std::string(12, 'i'));
  for (uint32_t content : {0u, 1u, 17u, 100u, 1000u, 16000u}) {
    for (uint32_t padding : {0u, 1u, 255u}) {
      if (content + 1 + padding > h::kMaxPlaintextBytes) continue;
      const std::string record = seal.Seal(h::ContentType::kApplicationData, std::string(content, 'x'), padding);
      const h::RecordHeader header = h::ParseHeader(record);
      CHECK(header.type == 23);  // every protected record says application_data (5.2)
      CHECK(header.legacy_version == 0x0303);
      CHECK(header.length == content + 1 + padding + 16);
      CHECK(record.size() == 5 + content + 1 + padding + 16);
      const auto opened = open.Open(record);
      REQUIRE(opened.ok());
      CHECK(opened.value().content == std::string(content, 'x'));
      CHECK(opened.value().type == h::ContentType::kApplicationData);
    }
  }
  // An alert hides its type the same way: 2 bytes -> 5 + 2 + 1 + 16 = 24 on the wire.
  CHECK(seal.Seal(h::ContentType::kAlert, std::string("\x02\x14", 2), 0).size() == 24);
}

TEST_CASE("RFC 8446 4.1.2 and RFC 6066 3: the ClientHello's size follows from its structure, SNI in the clear", "[https]") {
  const std::string r(32, 'r');
  for (const std::string name : {"a.example", "bank.example", "www.some-long-name.example.org"}) {
    const std::string hello = h::ClientHello(name, r, r, r);
    CHECK(hello.size() == h::ClientHelloBytes(static_cast<uint32_t>(name.size())));
    CHECK(hello.size() == 161 + name.size());
    const std::string record = h::PlaintextRecord(h::ContentType::kHandshake, h::kInitialClientHelloVersion, hello);
    CHECK(h::ServerNameOf(record) == name);
  }
  // ServerHello: 4 + 2 + 32 + 33 + 2 + 1 + 2 + (6 + 40) = 122 bytes.
  CHECK(h::ServerHello(r, r, r).size() == 122);
  CHECK(h::EncryptedExtensions().size() == 10);
  CHECK(h::CertificateVerify("k", "t").size() == 4 + 2 + 2 + 64);
  CHECK(h::Finished(std::string(32, 'f')).size() == 36);
}

TEST_CASE("RFC 8446 2 (Figure 1): the full handshake's messages come in order, then application data", "[https]") {
  auto sim = Make();
  const Json x = Step(*sim, Transfer("https"));
  const std::vector<std::pair<std::string, std::string>> figure1 = {
      {"client", "ClientHello"},         {"server", "ServerHello"},       {"server", "EncryptedExtensions"},
      {"server", "Certificate"},         {"server", "CertificateVerify"}, {"server", "Finished"},
      {"client", "Finished"}};
  REQUIRE(x["handshake"].size() == figure1.size());
  for (size_t i = 0; i < figure1.size(); ++i) {
    CHECK(x["handshake"][i]["from"] == figure1[i].first);
    CHECK(x["handshake"][i]["message"] == figure1[i].second);
  }
  // The arrows: hello, hello, the server's protected flight, client Finished,
  // then the request and the response as application data.
  std::vector<std::string> labels;
  for (const Json& m : x["messages"]) labels.push_back(m["label"]);
  CHECK(labels == std::vector<std::string>{"ClientHello", "ServerHello",
                                           "{EncryptedExtensions, Certificate, CertificateVerify, Finished}",
                                           "{Finished}", "[HTTP request]", "[HTTP response]"});
  // Two round trips before the response arrives: 1-RTT handshake + request.
  CHECK(x["end_us"].get<int64_t>() - x["start_us"].get<int64_t>() == 4 * 20000);
  CHECK(x["delivered"] == true);
  CHECK(x["server_received"] == x["client_sent"]);
  // The request record is the request's text + 1 + 16, + 5 of header.
  CHECK(x["sizes"]["request_wire_bytes"] == x["sizes"]["request_text_bytes"].get<uint64_t>() + 1 + 16 + 5);
  // Handshake records: ClientHello 5 + 173, ServerHello 5 + 122, the flight
  // (10 + Certificate + 72 + 36) + 17 + 5, client Finished 36 + 17 + 5.
  const uint64_t cert = 4 + 1 + 3 + 3 + (800 + 12 + 15) + 2;
  CHECK(x["sizes"]["tls_other_bytes"] == (5 + 173) + (5 + 122) + (10 + cert + 72 + 36 + 17 + 5) + (36 + 17 + 5));
}

TEST_CASE("RFC 8446 5.2: changing any byte of any record fails authentication", "[https]") {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    sdp::Rng rng(seed);
    const std::string key = std::to_string(rng.Next());
    const std::string iv = std::to_string(rng.Next()).substr(0, 12) + std::string(12, '0');
    for (uint32_t content : {0u, 3u, 60u}) {
      h::RecordProtection seal(key, iv.substr(0, 12));
      const std::string record = seal.Seal(h::ContentType::kApplicationData, std::string(content, static_cast<char>('a' + seed)), static_cast<uint32_t>(seed % 3));
      for (size_t at = 0; at < record.size(); ++at) {
        for (uint8_t flip : {0x01, 0x80, 0xff}) {
          std::string altered = record;
          altered[at] = static_cast<char>(static_cast<uint8_t>(altered[at]) ^ flip);
          h::RecordProtection open(key, iv.substr(0, 12));
          const auto opened = open.Open(altered);
          INFO("seed " << seed << " content " << content << " byte " << at << " xor " << int(flip));
          REQUIRE_FALSE(opened.ok());
          CHECK(opened.message().rfind("bad_record_mac", 0) == 0);
          CHECK(open.sequence() == 0);  // a refused record is not counted
        }
      }
      // Unaltered, it opens; a replay (the next sequence number) does not.
      h::RecordProtection open(key, iv.substr(0, 12));
      REQUIRE(open.Open(record).ok());
      CHECK_FALSE(open.Open(record).ok());
    }
  }
}

TEST_CASE("RFC 9110: over HTTP the eavesdropper reads the body; over HTTPS only sizes and the SNI", "[https]") {
  for (uint64_t seed : {1, 2, 3}) {
    auto sim = Make(seed);
    Step(*sim, {{"op", "attacker"}, {"mode", "eavesdrop"}});
    const Json plain = Step(*sim, Transfer("http"));
    CHECK(plain["read"] == true);
    CHECK(SeenText(plain).find("to=bob&amount=100") != std::string::npos);
    CHECK(plain["seen"][0]["text"] == plain["client_sent"]);
    CHECK(plain["delivered"] == true);

    const Json secret = Step(*sim, Transfer("https"));
    CHECK(secret["read"] == false);
    CHECK(secret["delivered"] == true);
    const std::string seen = SeenText(secret);
    CHECK(seen.find("amount") == std::string::npos);
    CHECK(seen.find("/transfer") == std::string::npos);
    CHECK(seen.find("POST") == std::string::npos);
    // The ClientHello's SNI is the one thing it reads, besides the headers.
    CHECK(secret["seen"][0]["server_name"] == "bank.example");
    for (const Json& s : secret["seen"]) {
      CHECK(s["kind"] == "record");
      CHECK(s.contains("text") == false);
      if (s.contains("handshake")) continue;  // the two hellos travel in the clear
      CHECK(s["content_type"] == 23);
      CHECK(s["legacy_version"] == 0x0303);
    }
    // Padding hides the length: the same request, 100 more bytes per record.
    Json padded = Transfer("https");
    padded["padding"] = 100;
    const Json bigger = Step(*sim, padded);
    CHECK(bigger["sizes"]["request_wire_bytes"] == secret["sizes"]["request_wire_bytes"].get<uint64_t>() + 100);
    CHECK(bigger["server_received"] == secret["server_received"]);
  }
}

TEST_CASE("RFC 9110 over HTTP: a tamperer's change reaches the server, which cannot tell", "[https]") {
  auto sim = Make();
  Step(*sim, {{"op", "attacker"}, {"mode", "tamper"}});
  const Json x = Step(*sim, Transfer("http"));
  const std::string received = x["server_received"];
  CHECK(received.find("to=mallory&amount=100") != std::string::npos);
  // The attacker fixed Content-Length, so the message still parses.
  CHECK(received.find("Content-Length: 21\r\n") != std::string::npos);
  CHECK(x["altered"] == true);
  CHECK(x["detected"] == false);
  CHECK(x["alert"].is_null());
  CHECK(h::AlterHttp("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "zzz", "y") == "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
}

TEST_CASE("RFC 8446 5.2 and 6.2: over HTTPS an altered record ends in bad_record_mac (20), either way", "[https]") {
  for (const std::string direction : {"request", "response"}) {
    auto sim = Make();
    Step(*sim, {{"op", "attacker"}, {"mode", "tamper"}, {"direction", direction}});
    const Json x = Step(*sim, Transfer("https"));
    CHECK(x["altered"] == true);
    CHECK(x["detected"] == true);
    CHECK(x["delivered"] == false);
    CHECK(x["alert"]["name"] == "bad_record_mac");
    CHECK(x["alert"]["code"] == 20);
    CHECK(x["alert"]["from"] == (direction == "request" ? "server" : "client"));
    CHECK(x["messages"].back()["label"] == "[alert bad_record_mac]");
    CHECK(x["messages"].back()["bytes"] == 24);
    if (direction == "request") CHECK(x["server_received"].is_null());
    if (direction == "response") CHECK(x["client_received"].is_null());
  }
}

TEST_CASE("RFC 8446 4.4.2.4, 4.4.3 and 6.2: an impersonator is refused with the alert its certificate earns", "[https]") {
  const std::vector<std::pair<std::string, std::pair<std::string, int>>> cases = {
      {"own_ca", {"unknown_ca", 48}}, {"other_name", {"bad_certificate", 42}}, {"copied", {"decrypt_error", 51}}};
  for (const auto& [certificate, alert] : cases) {
    auto sim = Make();
    Step(*sim, {{"op", "attacker"}, {"mode", "impersonate"}, {"certificate", certificate}});
    const Json x = Step(*sim, Transfer("https"));
    INFO(certificate);
    CHECK(x["alert"]["name"] == alert.first);
    CHECK(x["alert"]["code"] == alert.second);
    CHECK(x["alert"]["from"] == "client");
    CHECK(x["client_sent"].is_null());  // the request is never sent
    CHECK(x["server_received"].is_null());
    CHECK(x["read"] == false);
    CHECK(x["detected"] == true);
    for (const Json& m : x["messages"]) CHECK(m["to"] != "server");
  }
  // Over HTTP the impersonator simply answers, and the client cannot tell.
  auto sim = Make();
  Step(*sim, {{"op", "attacker"}, {"mode", "impersonate"}});
  const Json x = Step(*sim, Transfer("http"));
  CHECK(x["read"] == true);
  CHECK(x["server_received"].is_null());
  CHECK(std::string(x["client_received"]).find("mallory.example") != std::string::npos);
  CHECK(x["detected"] == false);
}

TEST_CASE("https: bad input names the field and changes nothing", "[https][bad_input]") {
  auto sim = Make();
  Step(*sim, kTransfer);
  CHECK_THAT(Refused(*sim, {{"op", "request"}, {"scheme", "ftp"}}), Catch::Contains("\"scheme\"") && Catch::Contains("http, https"));
  CHECK_THAT(Refused(*sim, {{"op", "attacker"}, {"mode", "sniff"}}), Catch::Contains("\"mode\""));
  CHECK_THAT(Refused(*sim, {{"op", "request"}, {"padding", -1}}), Catch::Contains("\"padding\""));
  CHECK_THAT(Refused(*sim, {{"op", "advance"}, {"ms", -5}}), Catch::Contains("\"ms\""));
  CHECK_THAT(Refused(*sim, {{"op", "request"}, {"path", "transfer"}}), Catch::Contains("\"path\"") && Catch::Contains("start with /"));
  CHECK_THAT(Refused(*sim, {{"op", "request"}, {"path", "/a b"}}), Catch::Contains("\"path\""));
  CHECK_THAT(Refused(*sim, {{"op", "attacker"}, {"mode", "eavesdrop"}, {"find", "x"}}), Catch::Contains("\"find\"") && Catch::Contains("tamper"));
  CHECK_THAT(Refused(*sim, {{"op", "attacker"}, {"mode", "tamper"}, {"certificate", "copied"}}), Catch::Contains("\"certificate\""));
  const auto bad = sdp::CreateSim(sim_test::Info("https"), 1, {{"server_name", "Bank Example"}});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.message(), Catch::Contains("\"server_name\""));
}

TEST_CASE("https: the same seed gives the same bytes; another seed other randoms, same sizes", "[https]") {
  auto a = Make(5);
  auto b = Make(5);
  auto c = Make(6);
  for (auto* sim : {a.get(), b.get(), c.get()}) {
    Step(*sim, {{"op", "attacker"}, {"mode", "eavesdrop"}});
    Step(*sim, Transfer("https"));
  }
  const auto full = sdp::Simulation::Detail::kFull;
  CHECK(a->Snapshot(full) == b->Snapshot(full));
  const auto* ha = static_cast<sdp::HttpsSim*>(a.get());
  const auto* hc = static_cast<sdp::HttpsSim*>(c.get());
  CHECK(ha->last()->messages[0].wire != hc->last()->messages[0].wire);
  CHECK(ha->last()->messages[0].wire.size() == hc->last()->messages[0].wire.size());
}

}  // namespace https_test
