// Status and StatusOr: errors as values, in the manner of Abseil.
//
// A Status carries a code (what kind of failure, which the HTTP layer maps to a status
// line), a stable snake_case `error_code` string (what clients and tests assert on, e.g.
// "invalid_event"), a human message, and optional per-field details (for a batch, the
// index of each bad event). Thread-safe as a value type: copies are independent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace actlog {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // malformed input (400/422)
  kNotFound,            // 404
  kAlreadyExists,       // conflicting duplicate, e.g. a reused client id (409)
  kFailedPrecondition,  // state does not allow the operation (409/422)
  kResourceExhausted,   // limits, rate limits and queue full (413/429/503)
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kUnavailable,         // transient, retry later (503)
  kDataLoss,            // stored data is corrupt or was tampered with
  kInternal,            // a bug or an unexpected library failure
};

// One problem found in an input, e.g. {index: 3, field: "actor.email", code: "too_long"}.
struct ErrorDetail {
  std::optional<std::size_t> index;  // position in a batch (or line number), if any
  std::string field;                 // dotted JSON path, e.g. "actor.email"; may be empty
  std::string code;                  // stable snake_case reason, e.g. "required"
  std::string message;               // for people

  bool operator==(const ErrorDetail&) const = default;
};

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string error_code, std::string message,
         std::vector<ErrorDetail> details = {})
      : code_(code),
        error_code_(std::move(error_code)),
        message_(std::move(message)),
        details_(std::move(details)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& error_code() const { return error_code_; }
  const std::string& message() const { return message_; }
  const std::vector<ErrorDetail>& details() const { return details_; }
  std::vector<ErrorDetail>& mutable_details() { return details_; }

  // "invalid_event: message (index 3 actor.email: too_long ...)" for logs and the CLI.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string error_code_;
  std::string message_;
  std::vector<ErrorDetail> details_;
};

// Shorthands for the common cases; error_code is the stable string clients see.
inline Status InvalidArgument(std::string error_code, std::string message,
                              std::vector<ErrorDetail> details = {}) {
  return Status(StatusCode::kInvalidArgument, std::move(error_code), std::move(message),
                std::move(details));
}
inline Status NotFound(std::string message) {
  return Status(StatusCode::kNotFound, "not_found", std::move(message));
}
inline Status Internal(std::string message) {
  return Status(StatusCode::kInternal, "internal", std::move(message));
}
inline Status Unavailable(std::string message) {
  return Status(StatusCode::kUnavailable, "unavailable", std::move(message));
}
inline Status DataLoss(std::string message) {
  return Status(StatusCode::kDataLoss, "data_loss", std::move(message));
}

// Either a value or a non-OK Status.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Internal("StatusOr constructed from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // REQUIRES: ok().
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace actlog

// Early return of a non-OK Status from an expression yielding Status.
#define ACTLOG_RETURN_IF_ERROR(expr)        \
  do {                                      \
    ::actlog::Status _st = (expr);          \
    if (!_st.ok()) return _st;              \
  } while (0)
