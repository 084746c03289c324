#include "identity/lockout.h"

#include <gtest/gtest.h>

#include <vector>

namespace jcm::identity {
namespace {

std::vector<SignInAttempt> Failures(int count, int64_t first_s, int64_t every_s = 1) {
  std::vector<SignInAttempt> out;
  for (int i = 0; i < count; ++i) out.push_back({first_s + i * every_s, false});
  return out;
}

TEST(Lockout, FourFailuresDoNotLockTheFifthLocksFor900Seconds) {
  const auto four = Failures(4, 1000);
  EXPECT_FALSE(EvaluateLockout(four, 1004).locked());
  EXPECT_EQ(EvaluateLockout(four, 1004).consecutive_failures, 4);
  const auto five = Failures(5, 1000);  // last failure at 1004
  const LockoutState state = EvaluateLockout(five, 1005);
  ASSERT_TRUE(state.locked());
  EXPECT_EQ(*state.locked_until_s, 1004 + 900);
  EXPECT_TRUE(EvaluateLockout(five, 1004 + 899).locked());
  EXPECT_FALSE(EvaluateLockout(five, 1004 + 900).locked());
}

TEST(Lockout, TheWaitNeverExceeds900Seconds) {
  const auto twelve = Failures(12, 0, 1000);  // 12 failures, last at 11,000
  const LockoutState state = EvaluateLockout(twelve, 11'000);
  EXPECT_EQ(state.consecutive_failures, 12);
  EXPECT_EQ(*state.locked_until_s, 11'000 + 900);
}

TEST(Lockout, ASuccessClearsTheCount) {
  auto history = Failures(4, 1000);
  history.push_back({1010, true});
  history.push_back({1011, false});
  const LockoutState state = EvaluateLockout(history, 1012);
  EXPECT_EQ(state.consecutive_failures, 1);
  EXPECT_FALSE(state.locked());
}

TEST(Lockout, FailuresOlderThanTwelveHoursNoLongerCount) {
  auto history = Failures(4, 0);           // last at 3
  history.push_back({3 + 43'201, false});  // more than 43,200 s after the previous failure
  EXPECT_EQ(EvaluateLockout(history, 3 + 43'201).consecutive_failures, 1);
  EXPECT_FALSE(EvaluateLockout(history, 3 + 43'201).locked());
  // At exactly 43,200 s they still count: the fifth failure locks.
  history.back().at_s = 3 + 43'200;
  EXPECT_TRUE(EvaluateLockout(history, 3 + 43'200).locked());
  // And the count itself expires 43,200 s after the last failure.
  EXPECT_EQ(EvaluateLockout(Failures(4, 0), 3 + 43'201).consecutive_failures, 0);
}

TEST(Lockout, TheMinimumWaitAppliesWhenTheIncrementIsSmaller) {
  LockoutPolicy policy;
  policy.wait_increment_s = 10;
  const LockoutState state = EvaluateLockout(Failures(5, 0), 4, policy);
  EXPECT_EQ(*state.locked_until_s, 4 + 60);
}

TEST(Lockout, AttemptsAfterNowAreIgnored) {
  EXPECT_FALSE(EvaluateLockout(Failures(5, 100), 50).locked());
}

}  // namespace
}  // namespace jcm::identity
