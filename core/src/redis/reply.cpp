// RESP2 replies, redis-cli's line splitting and Redis 7.0's reply doubles.
#include "sdp/redis/reply.h"

#include <cmath>
#include <cstdio>

namespace sdp::redis {
namespace {

// JavaScript's Number.MAX_SAFE_INTEGER: beyond it ToJson writes digits as a string.
constexpr int64_t kMaxSafeInteger = 9007199254740991;

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// isspace() in the C locale, which sdssplitargs uses to skip blanks.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

Reply Reply::Status(std::string s) {
  Reply r;
  r.kind = Kind::kStatus;
  r.str = std::move(s);
  return r;
}

Reply Reply::Error(std::string message) {
  Reply r;
  r.kind = Kind::kError;
  r.str = std::move(message);
  return r;
}

Reply Reply::Integer(int64_t v) {
  Reply r;
  r.kind = Kind::kInteger;
  r.integer = v;
  return r;
}

Reply Reply::Bulk(std::string s) {
  Reply r;
  r.kind = Kind::kBulk;
  r.str = std::move(s);
  return r;
}

Reply Reply::Nil() { return Reply(); }

Reply Reply::NilArray() {
  Reply r;
  r.kind = Kind::kNilArray;
  return r;
}

Reply Reply::Array(std::vector<Reply> elements) {
  Reply r;
  r.kind = Kind::kArray;
  r.elements = std::move(elements);
  return r;
}

std::string Reply::ToResp() const {
  switch (kind) {
    case Kind::kStatus: return "+" + str + "\r\n";
    case Kind::kError: return "-" + str + "\r\n";
    case Kind::kInteger: return ":" + std::to_string(integer) + "\r\n";
    case Kind::kBulk: return "$" + std::to_string(str.size()) + "\r\n" + str + "\r\n";
    case Kind::kNil: return "$-1\r\n";
    case Kind::kNilArray: return "*-1\r\n";
    case Kind::kArray: {
      std::string out = "*" + std::to_string(elements.size()) + "\r\n";
      for (const Reply& e : elements) out += e.ToResp();
      return out;
    }
  }
  return "";
}

nlohmann::json Reply::ToJson() const {
  switch (kind) {
    case Kind::kStatus: return {{"type", "status"}, {"value", str}};
    case Kind::kError: return {{"type", "error"}, {"value", str}};
    case Kind::kInteger:
      if (integer > kMaxSafeInteger || integer < -kMaxSafeInteger) {
        return {{"type", "integer"}, {"value", std::to_string(integer)}};
      }
      return {{"type", "integer"}, {"value", integer}};
    case Kind::kBulk: return {{"type", "bulk"}, {"value", str}};
    case Kind::kNil: return {{"type", "nil"}};
    case Kind::kNilArray: return {{"type", "nil_array"}};
    case Kind::kArray: {
      nlohmann::json items = nlohmann::json::array();
      for (const Reply& e : elements) items.push_back(e.ToJson());
      return {{"type", "array"}, {"value", std::move(items)}};
    }
  }
  return nullptr;
}

// A port of sds.c's sdssplitargs, the parser redis-cli runs on every line.
// The line ends at its first NUL byte, as the C string it is in redis-cli.
Result<Argv> SplitCommandLine(std::string_view line) {
  if (const size_t nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
  const auto at = [&](size_t i) { return i < line.size() ? line[i] : '\0'; };
  const Status invalid = Status::Invalid("Invalid argument(s)");
  Argv argv;
  size_t p = 0;
  for (;;) {
    while (at(p) != '\0' && IsSpace(at(p))) ++p;
    if (at(p) == '\0') return argv;
    bool in_double = false, in_single = false, done = false;
    std::string current;
    while (!done) {
      const char c = at(p);
      if (in_double) {
        if (c == '\\' && at(p + 1) == 'x' && IsHexDigit(at(p + 2)) && IsHexDigit(at(p + 3))) {
          current.push_back(static_cast<char>(HexValue(at(p + 2)) * 16 + HexValue(at(p + 3))));
          p += 3;
        } else if (c == '\\' && at(p + 1) != '\0') {
          ++p;
          switch (at(p)) {
            case 'n': current.push_back('\n'); break;
            case 'r': current.push_back('\r'); break;
            case 't': current.push_back('\t'); break;
            case 'b': current.push_back('\b'); break;
            case 'a': current.push_back('\a'); break;
            default: current.push_back(at(p)); break;
          }
        } else if (c == '"') {
          // A closing quote must be followed by a blank or the end.
          if (at(p + 1) != '\0' && !IsSpace(at(p + 1))) return invalid;
          done = true;
        } else if (c == '\0') {
          return invalid;  // unterminated quotes
        } else {
          current.push_back(c);
        }
      } else if (in_single) {
        if (c == '\\' && at(p + 1) == '\'') {
          ++p;
          current.push_back('\'');
        } else if (c == '\'') {
          if (at(p + 1) != '\0' && !IsSpace(at(p + 1))) return invalid;
          done = true;
        } else if (c == '\0') {
          return invalid;
        } else {
          current.push_back(c);
        }
      } else {
        switch (c) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0': done = true; break;
          case '"': in_double = true; break;
          case '\'': in_single = true; break;
          default: current.push_back(c); break;
        }
      }
      if (at(p) != '\0') ++p;
    }
    argv.push_back(std::move(current));
  }
}

std::string EncodeCommand(const Argv& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& arg : argv) {
    out += "$" + std::to_string(arg.size()) + "\r\n";
    out += arg;
    out += "\r\n";
  }
  return out;
}

// Redis 7.0's addReplyDouble (RESP2): "inf" / "-inf", else printf's "%.17g".
// Both glibc and Emscripten's musl print %.17g exactly (correctly rounded), so
// native and wasm agree. Redis 7.2 moved to shortest round-trip; 7.0 did not:
// ZADD k 0.1 m; ZSCORE k m -> "0.10000000000000001" on the real 7.0.15.
std::string FormatDouble(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", value);
  return std::string(buf, static_cast<size_t>(n > 0 ? n : 0));
}

}  // namespace sdp::redis
