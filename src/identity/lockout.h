// Sign-in lockout: a pure function of a user's sign-in history and the time now.
//
// The numbers are the UK ETS registry's Keycloak brute-force settings (docs/identity.md):
// 5 consecutive failures lock the account; the wait is 900 s for each 5 failures, at least 60 s
// and at most 900 s, from the last failure; failures older than 43,200 s (12 h) before the next
// one no longer count; a success clears the count. There is no permanent lock: an attacker can
// at most slow a user down, never lock them out for good.
//
// What counts as a failure is the caller's: a wrong password and a wrong or replayed TOTP code
// (at sign-in and when signing an approval) each are; an attempt refused because the account is
// locked is not (it is refused before anything is checked, so it tells the attacker nothing).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace jcm::identity {

struct LockoutPolicy {
  int failures_to_lock = 5;
  int64_t wait_min_s = 60;
  int64_t wait_increment_s = 900;
  int64_t wait_max_s = 900;
  int64_t failure_reset_s = 43'200;
};
inline constexpr LockoutPolicy kLockoutPolicy{};

struct SignInAttempt {
  int64_t at_s = 0;  // Unix seconds
  bool succeeded = false;
};

struct LockoutState {
  int consecutive_failures = 0;           // failures that still count at `now`
  std::optional<int64_t> locked_until_s;  // set while locked: sign-in is refused before then

  bool locked() const { return locked_until_s.has_value(); }
};

// The state at `now_s` after `history` (in time order; attempts after now_s are ignored).
LockoutState EvaluateLockout(std::span<const SignInAttempt> history, int64_t now_s,
                             const LockoutPolicy& policy = kLockoutPolicy);

}  // namespace jcm::identity
