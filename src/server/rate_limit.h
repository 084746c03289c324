// Rate limits (docs/api.md, "Rate limits"): token buckets per key, and the two limits `jcm serve`
// applies — sign-in attempts per client address, and every API request per principal (a signed-in
// user) or, for the public, per client address. A request beyond its bucket gets
// 429 too_many_requests with Retry-After (whole seconds until a token is back).
//
// A bucket holds at most `burst` tokens and regains `rate_per_s` tokens per second; a request
// takes one. Time is Unix milliseconds the caller reads from the injected clock (store::Clock),
// never read here, so tests move time instead of sleeping. A bucket that would be full again is
// forgotten when its shard grows beyond kBucketsPerShardMax, so the memory an attacker can make
// the limiter hold by varying addresses is bounded (a forgotten bucket starts full again, which
// is what it would hold anyway); if none is full, the shard forgets all of its buckets — a flood
// from more than kShards × kBucketsPerShardMax addresses at once resets the limits of the
// addresses it shares shards with rather than exhaust memory.
//
// Thread-safe: the I/O threads share one limiter; keys are spread over independently locked
// shards so requests of different clients rarely wait for each other.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/http_message.h"
#include "store/store.h"

namespace jcm::server {

struct RateLimits {
  double rate_per_s = 0;  // tokens regained per second; 0: the limit is off
  double burst = 0;       // bucket size: requests allowed at once after a quiet time (>= 1)
  bool enabled() const { return rate_per_s > 0; }
};

// The defaults of `jcm serve` (docs/api.md, "Rate limits").
inline constexpr RateLimits kSignInLimitsDefault{30.0 / 60.0, 30};  // 30 attempts a minute
inline constexpr RateLimits kRequestLimitsDefault{100, 300};        // 100/s, bursts of 300

class TokenBucketLimiter {
 public:
  explicit TokenBucketLimiter(RateLimits limits) : limits_(limits) {}

  // nullopt when `key` may proceed at `now_ms` (a token is taken); otherwise the whole seconds
  // (>= 1) until it may. Always nullopt when the limits are off.
  std::optional<int64_t> Take(const std::string& key, int64_t now_ms);
  bool enabled() const { return limits_.enabled(); }

  static constexpr size_t kShards = 16;
  static constexpr size_t kBucketsPerShardMax = 4096;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
  };
  struct Shard {
    std::mutex mu;  // guards buckets
    std::unordered_map<std::string, Bucket> buckets;
  };
  double Refilled(const Bucket& bucket, int64_t now_ms) const;
  void ForgetFullBuckets(Shard& shard, int64_t now_ms);  // callers hold shard.mu

  RateLimits limits_;
  std::array<Shard, kShards> shards_;
};

// The 429 problem with Retry-After.
HttpResponse TooManyRequests(int64_t retry_after_s, const std::string& path,
                             const std::string& request_id);

// The limits of `jcm serve` around Auth (auth.h):
//   - BeforeAuth: a sign-in attempt (POST /api/v1/session) takes a token of its client address;
//   - BeforeApi: an API request that Auth identified takes a token of its principal ("user:NAME")
//     or, for the public, of its client address ("ip:ADDRESS").
// Each returns the 429 to answer, or nullopt to go on. Time is `clock`'s (the injected one, in
// whole seconds), read only when a limit applies.
class RateLimit {
 public:
  // `clock` must outlive the RateLimit.
  RateLimit(RateLimits sign_in, RateLimits requests, store::Clock& clock)
      : sign_in_(sign_in), requests_(requests), clock_(clock) {}

  std::optional<HttpResponse> BeforeAuth(const HttpRequest& request, const RequestContext& context);
  std::optional<HttpResponse> BeforeApi(const HttpRequest& request, const RequestContext& context);

 private:
  int64_t NowMillis();

  TokenBucketLimiter sign_in_;
  TokenBucketLimiter requests_;
  store::Clock& clock_;
};

}  // namespace jcm::server
