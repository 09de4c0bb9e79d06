// IPv4 as the `layers` sim needs it: addresses and prefixes, the datagram
// header fields that change on the way (TTL, identification, DF/MF, fragment
// offset), RFC 791's fragmentation and the receiver's reassembly.
//
// Invariants: every fragment but the last carries a multiple of 8 data bytes
// (offsets count 8-byte units, RFC 791 3.1); a fragment keeps the original's
// identification, addresses, protocol and TTL; the header is always the
// 20-byte minimum (no options), so IHL is 5.
//
// Left out: options (and so the copied-option rules), checksums, TOS/DSCP,
// the reassembly timeout (fragments here are never lost).
#ifndef SDP_LAYERS_IPV4_H_
#define SDP_LAYERS_IPV4_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "sdp/status.h"

namespace sdp::layers {

using Addr = uint32_t;

constexpr uint32_t kIpv4HeaderBytes = 20;  // RFC 791 3.1: IHL 5, no options
// RFC 791 3.2: "Every internet module must be able to forward a datagram of
// 68 octets without further fragmentation" (60-byte header + 8 data bytes).
constexpr uint32_t kMinimumMtu = 68;
constexpr uint32_t kMaximumMtu = 65535;  // Total Length is 16 bits
constexpr uint8_t kProtocolIcmp = 1;
constexpr uint8_t kProtocolTcp = 6;

std::string FormatAddr(Addr addr);
// Dotted quad, four decimal parts 0-255, no leading zeros beyond "0".
bool ParseAddr(std::string_view text, Addr* out);

struct Prefix {
  Addr addr = 0;
  uint8_t length = 0;  // 0-32

  Addr Mask() const { return length == 0 ? 0 : ~Addr{0} << (32 - length); }
  bool Contains(Addr a) const { return (a & Mask()) == addr; }
  std::string ToString() const;  // "203.0.113.64/26"
  bool operator==(const Prefix&) const = default;
};
// "a.b.c.d/len"; refuses host bits set after the prefix ("did you mean ...").
// `field` names the field in the message.
Status ParsePrefix(std::string_view text, std::string_view field, Prefix* out);

struct Datagram {
  Addr src = 0;
  Addr dst = 0;
  uint8_t ttl = 64;
  uint16_t id = 0;
  uint8_t protocol = kProtocolTcp;
  bool df = false;           // Don't Fragment
  bool mf = false;           // More Fragments
  uint16_t offset8 = 0;      // fragment offset, in 8-byte units
  uint32_t data_bytes = 0;   // payload carried by this datagram or fragment
  int32_t payload = -1;      // which TCP segment / ICMP message it carries (the sim's index)

  uint32_t total_length() const { return kIpv4HeaderBytes + data_bytes; }
  bool is_fragment() const { return mf || offset8 != 0; }
};

// RFC 791 3.2, "An Example Fragmentation Procedure": each fragment but the
// last carries NFB*8 data bytes, NFB = (MTU - header) / 8; offsets add up
// from the datagram's own offset; MF is set on all but the last, which keeps
// the datagram's MF (a fragment of a fragment). A datagram that fits is
// returned as it is.
// REQUIRES: mtu >= kMinimumMtu; !datagram.df || datagram fits.
std::vector<Datagram> Fragment(const Datagram& datagram, uint32_t mtu);

// Collects fragments by (src, dst, protocol, id), RFC 791 3.2's buffer
// identifier, until the data from offset 0 to the end (known from the
// fragment with MF clear) is all there, in any order, duplicates and
// overlaps allowed.
class Reassembler {
 public:
  // The whole datagram once its last missing piece arrives; nullopt before.
  // An unfragmented datagram comes straight back.
  std::optional<Datagram> Add(const Datagram& fragment);
  uint32_t pending() const { return static_cast<uint32_t>(buffers_.size()); }

 private:
  using Key = std::tuple<Addr, Addr, uint8_t, uint16_t>;
  std::map<Key, std::vector<Datagram>> buffers_;
};

}  // namespace sdp::layers

#endif  // SDP_LAYERS_IPV4_H_
