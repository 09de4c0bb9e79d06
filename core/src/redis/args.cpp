// Redis 7.0's argument parsers (util.c string2ll / string2d, t_zset.c zslParseRange).
#include "redis/args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace sdp::redis {
namespace {

constexpr size_t kLongStrSize = 21;  // LONG_STR_SIZE in util.h

bool IsCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

std::optional<int64_t> ParseInteger(std::string_view s) {
  if (s.empty() || s.size() >= kLongStrSize) return std::nullopt;
  if (s == "0") return 0;
  size_t p = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    if (++p == s.size()) return std::nullopt;
  }
  if (s[p] < '1' || s[p] > '9') return std::nullopt;
  uint64_t v = static_cast<uint64_t>(s[p++] - '0');
  for (; p < s.size(); ++p) {
    if (s[p] < '0' || s[p] > '9') return std::nullopt;
    if (v > UINT64_MAX / 10) return std::nullopt;
    v *= 10;
    const auto digit = static_cast<uint64_t>(s[p] - '0');
    if (v > UINT64_MAX - digit) return std::nullopt;
    v += digit;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<double> ParseDouble(std::string_view s) {
  if (s.empty() || IsCSpace(s[0])) return std::nullopt;
  // strtod needs a C string; a NUL inside `s` stops it short, so the length
  // check below refuses the argument, as in Redis.
  const std::string text(s);
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (static_cast<size_t>(end - text.c_str()) != text.size()) return std::nullopt;
  if (errno == ERANGE && (value == HUGE_VAL || value == -HUGE_VAL || value == 0)) {
    return std::nullopt;
  }
  if (std::isnan(value)) return std::nullopt;
  return value;
}

bool ParseScoreBound(std::string_view s, double* value, bool* exclusive) {
  *exclusive = !s.empty() && s[0] == '(';
  if (*exclusive) s.remove_prefix(1);
  // strtod sees the argument as a C string: it ends at the first NUL.
  const std::string text(s.substr(0, s.find('\0')));
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return *end == '\0' && !std::isnan(*value);
}

bool ParseScoreRange(std::string_view min, std::string_view max, ZSet::ScoreRange* range) {
  return ParseScoreBound(min, &range->min, &range->min_exclusive) &&
         ParseScoreBound(max, &range->max, &range->max_exclusive);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace sdp::redis
