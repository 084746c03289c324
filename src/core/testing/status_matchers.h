// GoogleMock matchers for core::Status and core::Result<T> (after Abseil's status_matchers.h,
// whose advice this follows: "Prefer to check for the specific expected error").
//
//   EXPECT_THAT(ParseDate("2024-02-30"), StatusIs(StatusCode::kInvalidArgument));
//   EXPECT_THAT(Load(path), StatusIs(StatusCode::kNotFound, HasSubstr("no such file")));
//   ASSERT_THAT(Open(db), IsOk());
//
// A bare EXPECT_FALSE(r.ok()) passes for any error, including one the code should never give
// (an Internal error where InvalidArgument was meant); StatusIs names the one expected. On a
// mismatch the failure prints the actual status (code and message).
//
// Test-only (it includes gmock): tools/tidy.py lets only *_test files include core/testing.
// The namespace is not jcm::testing so that `testing::` inside namespace jcm still means
// GoogleTest's (Abseil renamed absl::testing to absl_testing for the same reason).
#pragma once

#include <gmock/gmock.h>

#include <ostream>
#include <string>
#include <utility>

#include "core/status.h"

namespace jcm_testing {
namespace internal_status {

inline const jcm::core::Status& GetStatus(const jcm::core::Status& status) { return status; }
template <typename T>
const jcm::core::Status& GetStatus(const jcm::core::Result<T>& result) {
  return result.status();
}

// The part of StatusIs that does not depend on whether it looks at a Status or a Result<T>.
class StatusIsCommon {
 public:
  StatusIsCommon(::testing::Matcher<jcm::core::StatusCode> code,
                 ::testing::Matcher<const std::string&> message)
      : code_(std::move(code)), message_(std::move(message)) {}

  void DescribeTo(std::ostream* out) const {
    *out << "has a status code that ";
    code_.DescribeTo(out);
    *out << ", and a message that ";
    message_.DescribeTo(out);
  }
  void DescribeNegationTo(std::ostream* out) const {
    *out << "has a status code that ";
    code_.DescribeNegationTo(out);
    *out << ", or a message that ";
    message_.DescribeNegationTo(out);
  }
  bool MatchAndExplain(const jcm::core::Status& status,
                       ::testing::MatchResultListener* listener) const {
    *listener << "whose status is " << status;
    ::testing::StringMatchResultListener inner;
    if (!code_.MatchAndExplain(status.code(), &inner)) {
      PrintInner(inner, listener);
      return false;
    }
    if (!message_.MatchAndExplain(status.message(), &inner)) {
      PrintInner(inner, listener);
      return false;
    }
    return true;
  }

 private:
  static void PrintInner(const ::testing::StringMatchResultListener& inner,
                         ::testing::MatchResultListener* listener) {
    if (!inner.str().empty()) *listener << ", " << inner.str();
  }

  ::testing::Matcher<jcm::core::StatusCode> code_;
  ::testing::Matcher<const std::string&> message_;
};

template <typename T>
class MonoStatusIs : public ::testing::MatcherInterface<T> {
 public:
  explicit MonoStatusIs(StatusIsCommon common) : common_(std::move(common)) {}
  void DescribeTo(std::ostream* out) const override { common_.DescribeTo(out); }
  void DescribeNegationTo(std::ostream* out) const override { common_.DescribeNegationTo(out); }
  bool MatchAndExplain(T actual, ::testing::MatchResultListener* listener) const override {
    return common_.MatchAndExplain(GetStatus(actual), listener);
  }

 private:
  StatusIsCommon common_;
};

// Polymorphic: becomes a Matcher<const Status&> or a Matcher<const Result<T>&> as used.
class StatusIsMatcher {
 public:
  explicit StatusIsMatcher(StatusIsCommon common) : common_(std::move(common)) {}
  template <typename T>
  operator ::testing::Matcher<T>() const {  // NOLINT: implicit, as GoogleMock's own matchers
    return ::testing::Matcher<T>(new MonoStatusIs<T>(common_));
  }

 private:
  StatusIsCommon common_;
};

template <typename T>
class MonoIsOk : public ::testing::MatcherInterface<T> {
 public:
  void DescribeTo(std::ostream* out) const override { *out << "is OK"; }
  void DescribeNegationTo(std::ostream* out) const override { *out << "is not OK"; }
  bool MatchAndExplain(T actual, ::testing::MatchResultListener* listener) const override {
    const jcm::core::Status& status = GetStatus(actual);
    if (!status.ok()) *listener << "whose status is " << status;
    return status.ok();
  }
};

class IsOkMatcher {
 public:
  template <typename T>
  operator ::testing::Matcher<T>() const {  // NOLINT: implicit, as GoogleMock's own matchers
    return ::testing::Matcher<T>(new MonoIsOk<T>());
  }
};

}  // namespace internal_status

// Matches a Status or Result<T> whose code matches `code` (a StatusCode or a matcher of one)
// and whose message matches `message` (a string or a string matcher such as HasSubstr).
template <typename CodeMatcher, typename MessageMatcher>
internal_status::StatusIsMatcher StatusIs(CodeMatcher&& code, MessageMatcher&& message) {
  return internal_status::StatusIsMatcher(internal_status::StatusIsCommon(
      ::testing::MatcherCast<jcm::core::StatusCode>(std::forward<CodeMatcher>(code)),
      ::testing::MatcherCast<const std::string&>(std::forward<MessageMatcher>(message))));
}

// Matches a Status or Result<T> whose code matches `code`, whatever its message.
template <typename CodeMatcher>
internal_status::StatusIsMatcher StatusIs(CodeMatcher&& code) {
  return StatusIs(std::forward<CodeMatcher>(code), ::testing::_);
}

// Matches an OK Status, or a Result<T> that holds a value; on failure prints the error.
inline internal_status::IsOkMatcher IsOk() { return {}; }

}  // namespace jcm_testing
