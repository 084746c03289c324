#include "identity/lockout.h"

#include <algorithm>

namespace jcm::identity {

LockoutState EvaluateLockout(std::span<const SignInAttempt> history, int64_t now_s,
                             const LockoutPolicy& policy) {
  int failures = 0;
  std::optional<int64_t> last_failure_s;
  for (const SignInAttempt& attempt : history) {
    if (attempt.at_s > now_s) break;
    if (attempt.succeeded) {
      failures = 0;
      last_failure_s.reset();
      continue;
    }
    if (last_failure_s && attempt.at_s - *last_failure_s > policy.failure_reset_s) failures = 0;
    ++failures;
    last_failure_s = attempt.at_s;
  }
  LockoutState state;
  if (!last_failure_s || now_s - *last_failure_s > policy.failure_reset_s) return state;
  state.consecutive_failures = failures;
  if (failures < policy.failures_to_lock) return state;
  const int64_t wait_s = std::clamp(policy.wait_increment_s * (failures / policy.failures_to_lock),
                                    policy.wait_min_s, policy.wait_max_s);
  if (now_s < *last_failure_s + wait_s) state.locked_until_s = *last_failure_s + wait_s;
  return state;
}

}  // namespace jcm::identity
