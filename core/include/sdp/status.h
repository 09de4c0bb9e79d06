// Status and Result: bad input from a user is a value, not a crash.
//
// Every operation a user can trigger (a scenario step, a widget control)
// returns a Status or Result<T> whose message says what was wrong and what is
// allowed. Invariants of our own code are SDP_CHECKs instead: a failed check is
// a bug in this project, never something a user can cause.
#ifndef SDP_STATUS_H_
#define SDP_STATUS_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace sdp {

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Invalid(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  // REQUIRES: !status.ok()
  Result(Status status) : state_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const std::string& message() const { return std::get<Status>(state_).message(); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(state_); }

 private:
  std::variant<T, Status> state_;
};

[[noreturn]] inline void CheckFailed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "sdp: internal check failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace sdp

// Invariants of our own code; on in every build (they are cheap).
#define SDP_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::sdp::CheckFailed(#cond, __FILE__, __LINE__))

// Propagates a failed Status out of the current function.
#define SDP_RETURN_IF_ERROR(expr)            \
  do {                                       \
    ::sdp::Status sdp_status_ = (expr);      \
    if (!sdp_status_.ok()) return sdp_status_; \
  } while (0)

#endif  // SDP_STATUS_H_
