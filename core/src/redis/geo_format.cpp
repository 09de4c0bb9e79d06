// How Redis 7.0 prints the numbers of GEO replies (geohash.h).
// printf's "%f" / "%.17Lf" are reproduced from the exact binary value with a
// small big-integer, so the text never depends on the C library.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sdp/redis/geohash.h"

namespace sdp::redis {
namespace {

// A non-negative integer in base 2^32, least significant limb first.
using Limbs = std::vector<uint32_t>;

void MulSmall(Limbs* x, uint32_t m) {
  uint64_t carry = 0;
  for (uint32_t& limb : *x) {
    const uint64_t v = static_cast<uint64_t>(limb) * m + carry;
    limb = static_cast<uint32_t>(v);
    carry = v >> 32;
  }
  if (carry != 0) x->push_back(static_cast<uint32_t>(carry));
}

bool Bit(const Limbs& x, uint64_t i) {
  const uint64_t limb = i / 32;
  return limb < x.size() && ((x[limb] >> (i % 32)) & 1u) != 0;
}

bool AnyBitBelow(const Limbs& x, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    if (Bit(x, i)) return true;
  }
  return false;
}

// x >> n, as an integer known to fit 64 bits.
uint64_t ShiftedToU64(const Limbs& x, uint64_t n) {
  uint64_t out = 0;
  for (int i = 63; i >= 0; --i) out = (out << 1) | (Bit(x, n + static_cast<uint64_t>(i)) ? 1 : 0);
  return out;
}

std::string ToDecimal(Limbs x) {
  std::string digits;
  while (!x.empty()) {
    // Divide by 10^9, collecting the remainder's nine digits.
    uint64_t rem = 0;
    for (size_t i = x.size(); i-- > 0;) {
      const uint64_t cur = (rem << 32) | x[i];
      x[i] = static_cast<uint32_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (!x.empty() && x.back() == 0) x.pop_back();
    for (int i = 0; i < 9; ++i) {
      digits.push_back(static_cast<char>('0' + rem % 10));
      rem /= 10;
    }
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (digits.empty()) digits = "0";
  return std::string(digits.rbegin(), digits.rend());
}

// llrint on x86-64: round half to even; NaN and values out of int64 range
// give the "integer indefinite" INT64_MIN.
int64_t Llrint(double x) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (std::isnan(x)) return INT64_MIN;
  double r = x;
  if (std::fabs(x) < 4503599627370496.0) {  // below 2^52 x may have a fraction
    const double below = std::floor(x);
    const double diff = x - below;  // exact
    r = diff > 0.5   ? below + 1
        : diff < 0.5 ? below
                     : (std::fmod(below, 2.0) == 0 ? below : below + 1);
  }
  if (r >= kTwo63 || r < -kTwo63) return INT64_MIN;
  return static_cast<int64_t>(r);
}

}  // namespace

std::string GeoFormatFixed(double v, int decimals) {
  const bool negative = std::signbit(v);
  if (std::isnan(v)) return negative ? "-nan" : "nan";
  if (std::isinf(v)) return negative ? "-inf" : "inf";
  int exponent = 0;
  const double fraction = std::frexp(std::fabs(v), &exponent);  // exact
  auto mantissa = static_cast<uint64_t>(std::ldexp(fraction, 53));
  exponent -= 53;  // |v| = mantissa * 2^exponent
  Limbs integer_part;
  Limbs scaled;  // the fraction * 10^decimals, over 2^frac_bits
  uint64_t frac_bits = 0;
  if (exponent >= 0) {
    integer_part = {static_cast<uint32_t>(mantissa), static_cast<uint32_t>(mantissa >> 32)};
    for (int i = 0; i < exponent; ++i) MulSmall(&integer_part, 2);
  } else {
    frac_bits = static_cast<uint64_t>(-exponent);
    const uint64_t whole = frac_bits >= 64 ? 0 : mantissa >> frac_bits;
    const uint64_t rest = frac_bits >= 64 ? mantissa : mantissa - (whole << frac_bits);
    integer_part = {static_cast<uint32_t>(whole), static_cast<uint32_t>(whole >> 32)};
    scaled = {static_cast<uint32_t>(rest), static_cast<uint32_t>(rest >> 32)};
    for (int i = 0; i < decimals; ++i) MulSmall(&scaled, 10);
  }
  uint64_t digits = 0;  // the first `decimals` fraction digits
  bool round_up = false;
  if (frac_bits > 0) {
    digits = ShiftedToU64(scaled, frac_bits);
    const bool half_bit = Bit(scaled, frac_bits - 1);
    const bool beyond_half = AnyBitBelow(scaled, frac_bits - 1);
    // Ties go to even, as glibc's printf does in the default rounding mode.
    round_up =
        half_bit && (beyond_half || (digits % 2 == 1) || (decimals == 0 && Bit(integer_part, 0)));
  }
  uint64_t limit = 1;
  for (int i = 0; i < decimals; ++i) limit *= 10;
  if (round_up) {
    if (decimals == 0 || ++digits == limit) {
      digits = 0;
      // Carry into the integer part: add one.
      integer_part.push_back(0);
      for (uint32_t& limb : integer_part) {
        if (++limb != 0) break;
      }
    }
  }
  while (!integer_part.empty() && integer_part.back() == 0) integer_part.pop_back();
  std::string out = negative ? "-" : "";
  out += ToDecimal(integer_part);
  if (decimals > 0) {
    std::string frac = std::to_string(digits);
    out += "." + std::string(static_cast<size_t>(decimals) - frac.size(), '0') + frac;
  }
  return out;
}

std::string GeoFormatCoordinate(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "nan";
  std::string s = GeoFormatFixed(v, 17);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string GeoFormatDistance(double d) {
  if (d == 0) return "0.0000";
  const int64_t scaled = Llrint(d * 10000.0);
  const bool negative = scaled < 0;
  const uint64_t value = negative
                             ? (scaled == INT64_MIN ? (1ULL << 63) : static_cast<uint64_t>(-scaled))
                             : static_cast<uint64_t>(scaled);
  std::string digits = std::to_string(value);
  if (digits.size() < 5) digits = std::string(5 - digits.size(), '0') + digits;
  return (negative ? "-" : "") + digits.substr(0, digits.size() - 4) + "." +
         digits.substr(digits.size() - 4);
}

}  // namespace sdp::redis
