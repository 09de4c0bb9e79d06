#include "sdp/layers/ipv4.h"

#include <algorithm>

namespace sdp::layers {

std::string FormatAddr(Addr addr) {
  return std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 255) + "." +
         std::to_string((addr >> 8) & 255) + "." + std::to_string(addr & 255);
}

bool ParseAddr(std::string_view text, Addr* out) {
  Addr addr = 0;
  uint32_t parts = 0;
  size_t i = 0;
  while (parts < 4) {
    const size_t start = i;
    uint32_t value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3) {
      value = value * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
    }
    const size_t digits = i - start;
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return false;
    addr = (addr << 8) | value;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  if (i != text.size()) return false;
  *out = addr;
  return true;
}

std::string Prefix::ToString() const { return FormatAddr(addr) + "/" + std::to_string(length); }

Status ParsePrefix(std::string_view text, std::string_view field, Prefix* out) {
  const std::string quoted = "field \"" + std::string(field) + "\"";
  const size_t slash = text.find('/');
  const auto refuse = [&] {
    return Status::Invalid(quoted + ": \"" + std::string(text) +
                           "\" is not a prefix; write a.b.c.d/len with len 0-32, e.g. 203.0.113.0/24");
  };
  if (slash == std::string_view::npos) return refuse();
  Addr addr = 0;
  if (!ParseAddr(text.substr(0, slash), &addr)) return refuse();
  const std::string_view len_text = text.substr(slash + 1);
  if (len_text.empty() || len_text.size() > 2) return refuse();
  uint32_t length = 0;
  for (char c : len_text) {
    if (c < '0' || c > '9') return refuse();
    length = length * 10 + static_cast<uint32_t>(c - '0');
  }
  if (length > 32 || (len_text.size() == 2 && len_text[0] == '0')) return refuse();
  Prefix prefix{addr, static_cast<uint8_t>(length)};
  if ((addr & prefix.Mask()) != addr) {
    const Prefix fixed{addr & prefix.Mask(), prefix.length};
    return Status::Invalid(quoted + ": " + std::string(text) + " has bits set after the first " +
                           std::to_string(length) + "; did you mean " + fixed.ToString() + "?");
  }
  *out = prefix;
  return Status::Ok();
}

std::vector<Datagram> Fragment(const Datagram& datagram, uint32_t mtu) {
  SDP_CHECK(mtu >= kMinimumMtu);
  if (datagram.total_length() <= mtu) return {datagram};
  SDP_CHECK(!datagram.df);
  const uint32_t nfb = (mtu - kIpv4HeaderBytes) / 8;  // fragment blocks per fragment
  std::vector<Datagram> out;
  uint32_t done = 0;
  while (done < datagram.data_bytes) {
    Datagram f = datagram;
    f.offset8 = static_cast<uint16_t>(datagram.offset8 + done / 8);
    f.data_bytes = std::min(nfb * 8, datagram.data_bytes - done);
    done += f.data_bytes;
    f.mf = done < datagram.data_bytes ? true : datagram.mf;
    out.push_back(f);
  }
  return out;
}

std::optional<Datagram> Reassembler::Add(const Datagram& fragment) {
  if (!fragment.is_fragment()) return fragment;
  const Key key{fragment.src, fragment.dst, fragment.protocol, fragment.id};
  std::vector<Datagram>& pieces = buffers_[key];
  pieces.push_back(fragment);
  // The end is known once the last fragment (MF clear) is here.
  std::optional<uint32_t> end;
  for (const Datagram& p : pieces) {
    if (!p.mf) end = p.offset8 * 8u + p.data_bytes;
  }
  if (!end) return std::nullopt;
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  for (const Datagram& p : pieces) spans.emplace_back(p.offset8 * 8u, p.offset8 * 8u + p.data_bytes);
  std::sort(spans.begin(), spans.end());
  uint32_t covered = 0;
  for (const auto& [from, to] : spans) {
    if (from > covered) return std::nullopt;  // a hole
    covered = std::max(covered, to);
  }
  if (covered < *end) return std::nullopt;
  Datagram whole = pieces.front();
  for (const Datagram& p : pieces) {
    if (p.offset8 == 0) whole = p;  // the first fragment's header (RFC 791 3.2)
  }
  whole.offset8 = 0;
  whole.mf = false;
  whole.data_bytes = *end;
  buffers_.erase(key);
  return whole;
}

}  // namespace sdp::layers
