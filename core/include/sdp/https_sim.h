// Simulation `https`: a client, a server with a certificate for its name
// from a CA the client trusts, and someone on the path between them who
// may read (eavesdrop), change (tamper) or answer in the server's place
// (impersonate). Each `request` runs one whole exchange over HTTP or over
// HTTPS (TLS 1.3's full handshake, then HTTP in protected records) and
// shows what the client sent, what the attacker saw, what the server
// received, and whether anyone could tell. See sdp/https/exchange.h for
// the exchange, tls_handshake.h and tls_record.h for what is built byte for
// byte and what is a stand-in (the cryptography is: see docs/https.md).
//
// Invariants: every random value (TLS randoms, key shares, traffic keys)
// comes from the seeded Rng; time is integer microseconds and only moves
// forward (`advance` adds idle time between requests); a refused op changes
// nothing.
#ifndef SDP_HTTPS_SIM_H_
#define SDP_HTTPS_SIM_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "sdp/https/exchange.h"
#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

class HttpsSim : public Cloneable<HttpsSim, Simulation> {
 public:
  static constexpr uint32_t kHistoryKept = 50;

  HttpsSim(uint64_t seed, const https::Setup& setup);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }

  const std::optional<https::Exchange>& last() const { return last_; }
  const https::Attacker& attacker() const { return attacker_; }

 private:
  Result<Json> SendRequest(const Json& args);
  Result<Json> SetAttacker(const Json& args);
  Json AttackerJson() const;
  Json ExchangeJson(const https::Exchange& x) const;

  https::Setup setup_;
  Rng rng_;
  https::Attacker attacker_;
  SimTime now_ = 0;
  std::optional<https::Exchange> last_;
  std::deque<Json> history_;  // the newest kHistoryKept exchanges' verdicts
  uint64_t requests_ = 0;
  uint64_t delivered_ = 0;
  uint64_t read_ = 0;
  uint64_t altered_undetected_ = 0;
  uint64_t detected_ = 0;
  uint64_t work_ = 0;
};

SimInfo HttpsSimInfo();

}  // namespace sdp

#endif  // SDP_HTTPS_SIM_H_
