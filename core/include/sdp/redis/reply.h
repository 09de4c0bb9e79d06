// Redis replies (RESP2, what redis-cli and the AOF speak) and command lines.
#ifndef SDP_REDIS_REPLY_H_
#define SDP_REDIS_REPLY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/status.h"

namespace sdp::redis {

using Argv = std::vector<std::string>;

struct Reply {
  // kNil is RESP2's null bulk string ($-1), kNilArray its null array (*-1).
  enum class Kind { kStatus, kError, kInteger, kBulk, kNil, kArray, kNilArray };
  Kind kind = Kind::kNil;
  std::string str;        // kStatus, kError (e.g. "ERR syntax error"), kBulk
  int64_t integer = 0;    // kInteger
  std::vector<Reply> elements;  // kArray

  static Reply Status(std::string s);
  static Reply Error(std::string message);  // the full text, e.g. "WRONGTYPE Operation ..."
  static Reply Integer(int64_t v);
  static Reply Bulk(std::string s);
  static Reply Nil();
  static Reply NilArray();
  static Reply Array(std::vector<Reply> elements);

  bool IsError() const { return kind == Kind::kError; }
  // Wire form, e.g. ":1\r\n", "$3\r\nfoo\r\n", "*-1\r\n".
  std::string ToResp() const;
  // {"type":"integer","value":1}; types: status, error, integer, bulk, nil, array, nil_array.
  // Shapes: {"type":"status"|"error"|"bulk","value":"text"}, {"type":"nil"},
  // {"type":"nil_array"}, {"type":"array","value":[replies]}. An integer beyond
  // JavaScript's safe range (|v| > 2^53 - 1) has its digits as a string, e.g.
  // {"type":"integer","value":"9223372036854775807"}, so JS reads it exactly.
  // Bulk bytes go into the JSON string as they are; the scenario runner prints
  // bytes that are not UTF-8 as U+FFFD. tests/js/resp_client.mjs gives the same shape.
  nlohmann::json ToJson() const;
  bool operator==(const Reply&) const = default;
};

// Splits a line as redis-cli does: whitespace separates arguments; "double quotes"
// allow \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes' allow only \'.
// Errors: "Invalid argument(s)" for unbalanced quotes (redis-cli's text).
Result<Argv> SplitCommandLine(std::string_view line);

// RESP array of bulk strings: the form commands take on the wire and in the AOF.
std::string EncodeCommand(const Argv& argv);

// Redis 7.0's double formatting for replies (ZSCORE, WITHSCORES, ZINCRBY):
// printf "%.17g", and "inf" / "-inf". Checked against the real 7.0.15: 0.1 ->
// "0.10000000000000001", 1.5 -> "1.5", 1e20 -> "1e+20", 0.1+0.2 ->
// "0.30000000000000004". (Redis 7.2 switched to shortest round-trip; 7.0 did not.)
std::string FormatDouble(double value);

}  // namespace sdp::redis

#endif  // SDP_REDIS_REPLY_H_
