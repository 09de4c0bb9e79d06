#include "sdp/https/exchange.h"

#include <utility>

#include "sdp/https/tls_record.h"
#include "sdp/sha256.h"

namespace sdp::https {

const char* PartyName(Party party) {
  switch (party) {
    case Party::kClient: return "client";
    case Party::kAttacker: return "attacker";
    case Party::kServer: return "server";
  }
  return "?";
}

namespace {

using nlohmann::json;

constexpr const char* kHeadEnd = "\r\n\r\n";

std::string RandomBytes(Rng* rng, uint32_t n) {
  std::string out;
  while (out.size() < n) {
    const uint64_t v = rng->Next();
    for (uint32_t i = 0; i < 8 && out.size() < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
  }
  return out;
}

// One traffic secret: the sender's copy seals, the receiver's opens; each
// counts its own sequence numbers, as two real endpoints do.
struct Direction {
  RecordProtection seal;
  RecordProtection open;
};
Direction DrawDirection(Rng* rng) {
  const std::string key = RandomBytes(rng, 16);
  const std::string iv = RandomBytes(rng, 12);
  return {RecordProtection(key, iv), RecordProtection(key, iv)};
}

std::string AlertBytes(Alert alert) { return {static_cast<char>(2), static_cast<char>(alert)}; }  // fatal

std::string ReplaceAll(std::string text, const std::string& find, const std::string& replace) {
  for (size_t at = text.find(find); at != std::string::npos; at = text.find(find, at + replace.size())) {
    text.replace(at, find.size(), replace);
  }
  return text;
}

// Runs one exchange; each step appends to `x_`.
class Run {
 public:
  Run(const Setup& setup, const Request& request, const Attacker& attacker, Rng* rng)
      : setup_(setup), attacker_(attacker), rng_(rng) {
    x_.request = request;
    x_.attacker = attacker;
  }

  Exchange Http(SimTime start) {
    x_.start = start;
    const std::string text = RequestText(x_.request, setup_.server_name);
    x_.client_sent = text;
    if (attacker_.mode == Mode::kImpersonate) {
      const Message ask = Send(Party::kClient, Party::kAttacker, start, "HTTP request", true, text);
      const std::string fake = ImpersonatorResponse();
      const Message answer = Send(Party::kAttacker, Party::kClient, ask.arrives, "HTTP response (the attacker's)", true, fake);
      x_.client_received = answer.received;
      x_.altered = true;
      return Finish(answer.arrives);
    }
    const Message ask = Send(Party::kClient, Party::kServer, start, "HTTP request", true, text);
    x_.server_received = ask.received;
    x_.server_sent = ResponseText(ask.received, setup_.server_name);
    const Message answer = Send(Party::kServer, Party::kClient, ask.arrives, "HTTP response", true, *x_.server_sent);
    x_.client_received = answer.received;
    x_.altered = ask.altered || answer.altered;
    x_.delivered = !x_.altered;
    return Finish(answer.arrives);
  }

  Exchange Https(SimTime start) {
    x_.start = start;
    // Drawn one per statement: argument evaluation order differs between compilers.
    const std::string client_random = RandomBytes(rng_, kRandomBytes);
    const std::string session_id = RandomBytes(rng_, 32);
    const std::string client_share = RandomBytes(rng_, kX25519KeyBytes);
    const std::string server_random = RandomBytes(rng_, kRandomBytes);
    const std::string server_share = RandomBytes(rng_, kX25519KeyBytes);
    Direction client_hs = DrawDirection(rng_);
    Direction server_hs = DrawDirection(rng_);
    Direction client_ap = DrawDirection(rng_);
    Direction server_ap = DrawDirection(rng_);

    const bool impersonated = attacker_.mode == Mode::kImpersonate;
    const Party peer = impersonated ? Party::kAttacker : Party::kServer;
    const std::string hello = ClientHello(setup_.server_name, client_random, session_id, client_share);
    const Message m1 = Send(Party::kClient, peer, start, "ClientHello", false,
                             PlaintextRecord(ContentType::kHandshake, kInitialClientHelloVersion, hello));
    Handshake(Party::kClient, hello);

    // The peer's flight: ServerHello in the clear, the rest under handshake keys.
    const std::string server_hello = ServerHello(server_random, session_id, server_share);
    Certificate cert{setup_.server_name, kTrustedCa, "server's key"};
    std::string signer = cert.key;
    if (impersonated) {
      signer = "attacker's key";
      if (attacker_.forgery == Forgery::kOwnCa) cert = {setup_.server_name, kAttackerCa, signer};
      if (attacker_.forgery == Forgery::kOtherName) cert = {kAttackerName, kTrustedCa, signer};
    }
    const std::string ee = EncryptedExtensions();
    const std::string certificate = CertificateMessage(cert);
    const std::string verify = CertificateVerify(signer, hello + server_hello + ee + certificate);
    const std::string finished = Finished(DigestBytes(HmacSha256(RandomBytes(rng_, 32), "server finished")));
    const Message m2 = Send(peer, Party::kClient, m1.arrives, "ServerHello", false,
                             PlaintextRecord(ContentType::kHandshake, kLegacyRecordVersion, server_hello));
    for (const std::string* m : {&server_hello, &ee, &certificate, &verify, &finished}) Handshake(peer, *m);
    const Message m3 = Send(peer, Party::kClient, m2.sent, "{EncryptedExtensions, Certificate, CertificateVerify, Finished}",
                             false, server_hs.seal.Seal(ContentType::kHandshake, ee + certificate + verify + finished, 0));
    SDP_CHECK(server_hs.open.Open(m3.received).ok());  // the handshake is never tampered with here
    const SimTime at_client = m3.arrives;

    if (const std::optional<Refusal> refusal = CheckServer(cert, signer, setup_.server_name, {kTrustedCa})) {
      const Message alert = Send(Party::kClient, peer, at_client, std::string("{alert ") + AlertName(refusal->alert) + "}",
                                  false, client_hs.seal.Seal(ContentType::kAlert, AlertBytes(refusal->alert), 0));
      x_.alert = refusal->alert;
      x_.alert_from = Party::kClient;
      x_.alert_reason = refusal->reason;
      x_.detected = true;
      return Finish(alert.arrives);
    }

    const std::string client_finished = Finished(DigestBytes(HmacSha256(RandomBytes(rng_, 32), "client finished")));
    Send(Party::kClient, Party::kServer, at_client, "{Finished}", false,
         client_hs.seal.Seal(ContentType::kHandshake, client_finished, 0));
    Handshake(Party::kClient, client_finished);
    const std::string text = RequestText(x_.request, setup_.server_name);
    x_.client_sent = text;
    const Message ask = Send(Party::kClient, Party::kServer, at_client, "[HTTP request]", false,
                              client_ap.seal.Seal(ContentType::kApplicationData, text, x_.request.padding), true);
    Result<Opened> at_server = client_ap.open.Open(ask.received);
    if (!at_server.ok()) return Refuse(Party::kServer, ask, &server_ap);
    x_.server_received = at_server.value().content;
    x_.server_sent = ResponseText(*x_.server_received, setup_.server_name);
    const Message answer = Send(Party::kServer, Party::kClient, ask.arrives, "[HTTP response]", false,
                                 server_ap.seal.Seal(ContentType::kApplicationData, *x_.server_sent, x_.request.padding), true);
    Result<Opened> at_client_again = server_ap.open.Open(answer.received);
    if (!at_client_again.ok()) return Refuse(Party::kClient, answer, &client_ap);
    x_.client_received = at_client_again.value().content;
    x_.delivered = true;
    return Finish(answer.arrives);
  }

 private:
  // A record failed its tag at `by`: bad_record_mac (RFC 8446 5.2), then close.
  Exchange Refuse(Party by, const Message& bad, Direction* own) {
    const Party to = by == Party::kServer ? Party::kClient : Party::kServer;
    const Message alert = Send(by, to, bad.arrives, "[alert bad_record_mac]", false,
                                own->seal.Seal(ContentType::kAlert, AlertBytes(Alert::kBadRecordMac), 0));
    x_.alert = Alert::kBadRecordMac;
    x_.alert_from = by;
    x_.alert_reason = std::string("the ") + PartyName(by) + "'s check of the record's tag failed: it was changed on the way";
    x_.altered = true;
    x_.detected = true;
    return Finish(alert.arrives);
  }

  void Handshake(Party from, const std::string& message) { x_.handshake.emplace_back(from, TypeOf(message)); }

  // Sends one record (or the HTTP text) and lets the attacker at it on the way.
  // Returns a copy: x_.messages grows, so a reference would not last.
  Message Send(Party from, Party to, SimTime at, std::string label, bool http, std::string wire,
                      bool carries_http = false) {
    const bool attacker_end = from == Party::kAttacker || to == Party::kAttacker;
    const SimTime half = setup_.latency / 2;
    Message m{from, to, attacker_.mode != Mode::kNone && !attacker_end, at,
              at + (attacker_end ? half : setup_.latency), std::move(label), http, http || carries_http, wire, wire};
    if (m.via_attacker || to == Party::kAttacker) Observe(m, at + half);
    if (m.via_attacker && Targets(m)) {
      m.received = http ? AlterHttp(wire, attacker_.find, attacker_.replace) : FlipOneByte(wire);
      m.altered = m.received != wire;
      if (m.altered) x_.seen.back()["altered"] = true;
      if (m.altered && http) x_.seen.back()["altered_to"] = m.received;
    }
    x_.messages.push_back(m);
    return m;
  }

  bool Targets(const Message& m) const {
    if (attacker_.mode != Mode::kTamper || !m.carries_http) return false;
    return (m.from == Party::kServer) == attacker_.on_response;
  }

  // The attacker cannot read a protected record, so it changes a byte blind.
  static std::string FlipOneByte(std::string record) {
    const size_t ciphertext = record.size() - kRecordHeaderBytes - kAeadTagBytes;
    record[kRecordHeaderBytes + ciphertext / 2] ^= 0x01;
    return record;
  }

  // What the attacker learns from the bytes alone.
  void Observe(const Message& m, SimTime at) {
    json seen = {{"t_us", at}, {"from", PartyName(m.from)}, {"to", PartyName(m.to)}, {"bytes", m.wire.size()}};
    if (m.http) {
      seen["kind"] = "http";
      seen["text"] = m.wire;
      x_.read = true;
    } else {
      const RecordHeader h = ParseHeader(m.wire);
      seen["kind"] = "record";
      seen["content_type"] = h.type;
      seen["legacy_version"] = h.legacy_version;
      seen["length"] = h.length;
      if (h.type == static_cast<uint8_t>(ContentType::kHandshake)) {
        seen["handshake"] = HandshakeName(static_cast<uint8_t>(m.wire[kRecordHeaderBytes]));
        if (std::optional<std::string> sni = ServerNameOf(m.wire)) seen["server_name"] = *sni;
        if (std::optional<uint16_t> suite = CipherSuiteOf(m.wire)) seen["cipher_suite"] = *suite;
      }
    }
    x_.seen.push_back(std::move(seen));
  }

  std::string ImpersonatorResponse() const {
    const std::string body = "Your session expired. Sign in again at http://" + std::string(kAttackerName) + "/login";
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + kHeadEnd + body;
  }

  Exchange Finish(SimTime end) {
    x_.end = end;
    x_.verdict = Verdict();
    return std::move(x_);
  }

  std::string Verdict() const {
    const Mode mode = attacker_.mode;
    std::string out;
    if (mode == Mode::kNone) {
      out = "No one on the path.";
    } else if (x_.read) {
      out = "The attacker read the request: method, path, headers and body.";
    } else {
      out = "The attacker saw record sizes, their timing and the server name (SNI), not the request.";
    }
    if (x_.alert) {
      out += std::string(" The ") + PartyName(x_.alert_from) + " sent alert " + AlertName(*x_.alert) + " (" +
             std::to_string(static_cast<uint32_t>(*x_.alert)) + ") and closed: " + x_.alert_reason + ".";
      out += x_.client_sent ? " Nothing was delivered." : " The request was never sent.";
    } else if (mode == Mode::kImpersonate) {
      out += " The attacker answered in the server's place; the client cannot tell, and the server never saw the request.";
    } else if (x_.altered) {
      out += x_.messages.front().altered ? " It was altered on the way, and the server cannot tell."
                                         : " The response was altered on the way, and the client cannot tell.";
    } else if (mode == Mode::kTamper) {
      out += " Nothing to alter: \"" + attacker_.find + "\" is not in the " +
             (attacker_.on_response ? "response." : "request.");
    }
    return out;
  }

  const Setup& setup_;
  const Attacker& attacker_;
  Rng* rng_;
  Exchange x_;
};

}  // namespace

std::string RequestText(const Request& request, const std::string& host) {
  std::string text = request.method + " " + request.path + " HTTP/1.1\r\nHost: " + host + "\r\n";
  // RFC 9110 8.6: a method that defines a meaning for content sends Content-Length.
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    text += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  return text + "\r\n" + request.body;
}

std::string ResponseText(const std::string& request_text, const std::string& host) {
  const size_t space = request_text.find(' ');
  const std::string method = request_text.substr(0, space);
  const size_t path_end = request_text.find(' ', space + 1);
  const std::string path = space == std::string::npos ? "/" : request_text.substr(space + 1, path_end - space - 1);
  const std::string body = method == "GET" ? "Hello from " + host + path : "Done: " + method + " " + path;
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + kHeadEnd + body;
}

std::string AlterHttp(const std::string& text, const std::string& find, const std::string& replace) {
  const size_t end = text.find(kHeadEnd);
  if (end == std::string::npos) return ReplaceAll(text, find, replace);
  std::string head = ReplaceAll(text.substr(0, end), find, replace);
  const std::string old_body = text.substr(end + 4);
  const std::string body = ReplaceAll(old_body, find, replace);
  const std::string length = "Content-Length: ";
  const size_t at = head.find(length);
  if (body.size() != old_body.size() && at != std::string::npos) {
    const size_t value = at + length.size();
    const size_t stop = head.find("\r\n", value);  // npos: the last line of the head
    head.replace(value, (stop == std::string::npos ? head.size() : stop) - value, std::to_string(body.size()));
  }
  return head + kHeadEnd + body;
}

Exchange RunExchange(const Setup& setup, const Request& request, const Attacker& attacker, SimTime start, Rng* rng) {
  Run run(setup, request, attacker, rng);
  return request.https ? run.Https(start) : run.Http(start);
}

}  // namespace sdp::https
