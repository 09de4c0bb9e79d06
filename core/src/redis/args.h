// Argument parsing exactly as Redis 7.0 does it (util.c and object.c), and
// the error texts every command family shares. Private to core/src/redis.
#ifndef SDP_REDIS_ARGS_H_
#define SDP_REDIS_ARGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sdp/redis/reply.h"
#include "sdp/redis/zset.h"

namespace sdp::redis {

inline constexpr const char* kSyntaxError = "ERR syntax error";
inline constexpr const char* kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr const char* kNotInteger = "ERR value is not an integer or out of range";
inline constexpr const char* kNotFloat = "ERR value is not a valid float";

// string2ll: optional '-', no '+', no leading zeros (except "0"), no spaces,
// fewer than 21 bytes, within int64.
std::optional<int64_t> ParseInteger(std::string_view s);
// string2d: strtod over the whole string; refuses empty, a leading space,
// trailing bytes, NaN and overflow (1e400); accepts "inf", "-inf", hex floats.
std::optional<double> ParseDouble(std::string_view s);
// One bound of zslParseRange: "(" prefix = exclusive, then strtod up to the
// first NUL; the rest must be empty and not NaN. Note Redis's leniency, kept:
// "" and "(" parse as 0 and leading blanks are skipped.
bool ParseScoreBound(std::string_view s, double* value, bool* exclusive);
// ZRANGEBYSCORE-style min/max; false on either bound failing.
bool ParseScoreRange(std::string_view min, std::string_view max, ZSet::ScoreRange* range);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);

}  // namespace sdp::redis

#endif  // SDP_REDIS_ARGS_H_
