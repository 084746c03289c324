// Status and Result<T>: the vocabulary for operating errors (I/O, corrupt rows, malformed input).
//
// Business rejections are NOT Statuses: they are numbered checks (ledger/check_code.h) returned
// as values. A Status says "the operation could not be carried out"; it carries a canonical code
// (the subset of absl::StatusCode this project uses, same meanings) and a human message.
// The one map from codes to HTTP statuses and exit codes lives at the edges (cli, api).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/check.h"

namespace jcm::core {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument = 3,
  kNotFound = 5,
  kAlreadyExists = 6,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
};

std::string_view StatusCodeName(StatusCode code);
// Prints StatusCodeName(code): test failures and logs name the code instead of a number.
std::ostream& operator<<(std::ostream& out, StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: message", for logs and the CLI.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Prints ToString(): a failed EXPECT_EQ on Statuses shows both codes and messages.
std::ostream& operator<<(std::ostream& out, const Status& status);

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }

// Result<T> holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    JCM_CHECK(!status_.ok(), "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& {
    JCM_CHECK(ok(), "value() on an error Result");
    return *value_;
  }
  T& value() & {
    JCM_CHECK(ok(), "value() on an error Result");
    return *value_;
  }
  T&& value() && {
    JCM_CHECK(ok(), "value() on an error Result");
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace jcm::core

#define JCM_STATUS_CONCAT_INNER(a, b) a##b
#define JCM_STATUS_CONCAT(a, b) JCM_STATUS_CONCAT_INNER(a, b)

#define JCM_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::jcm::core::Status jcm_status_ = (expr);  \
    if (!jcm_status_.ok()) return jcm_status_; \
  } while (false)

#define JCM_ASSIGN_OR_RETURN(lhs, expr) \
  JCM_ASSIGN_OR_RETURN_IMPL(JCM_STATUS_CONCAT(jcm_result_, __LINE__), lhs, expr)
#define JCM_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                              \
  if (!result.ok()) return result.status();          \
  lhs = std::move(result).value()
