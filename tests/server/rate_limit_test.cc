// The token buckets of the rate limits (src/server/rate_limit.h) with time the test moves: the
// burst, the refill rate, Retry-After, independent keys, limits turned off, a clock that steps
// back, the bound on remembered buckets, and the two limits of `jcm serve` (sign-in per address,
// requests per principal or address). The 429 over a real socket is in signin_test.py.
#include "server/rate_limit.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>

namespace jcm::server {
namespace {

constexpr int64_t kT0_ms = 1'795'000'000'000;

TEST(TokenBucketTest, BurstThenOneRequestPerRefilledToken) {
  TokenBucketLimiter limiter({2, 5});  // 2 a second, bursts of 5
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Take("a", kT0_ms), std::nullopt) << i;
  EXPECT_EQ(limiter.Take("a", kT0_ms), 1);        // empty: half a second to the next token
  EXPECT_EQ(limiter.Take("a", kT0_ms + 499), 1);  // not yet
  EXPECT_EQ(limiter.Take("a", kT0_ms + 500), std::nullopt);
  EXPECT_EQ(limiter.Take("a", kT0_ms + 500), 1);
  // A long quiet time refills to the burst, never beyond it.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Take("a", kT0_ms + 3'600'000), std::nullopt);
  EXPECT_NE(limiter.Take("a", kT0_ms + 3'600'000), std::nullopt);
}

TEST(TokenBucketTest, RetryAfterIsTheWholeSecondsUntilATokenIsBack) {
  TokenBucketLimiter limiter({30.0 / 60.0, 3});  // one token every 2 s
  for (int i = 0; i < 3; ++i) ASSERT_EQ(limiter.Take("ip", kT0_ms), std::nullopt);
  EXPECT_EQ(limiter.Take("ip", kT0_ms), 2);
  EXPECT_EQ(limiter.Take("ip", kT0_ms + 1'000), 1);  // half a token back: 1 s to go
  EXPECT_EQ(limiter.Take("ip", kT0_ms + 2'000), std::nullopt);
}

TEST(TokenBucketTest, KeysHaveTheirOwnBuckets) {
  TokenBucketLimiter limiter({1, 1});
  EXPECT_EQ(limiter.Take("a", kT0_ms), std::nullopt);
  EXPECT_NE(limiter.Take("a", kT0_ms), std::nullopt);
  EXPECT_EQ(limiter.Take("b", kT0_ms), std::nullopt);
}

TEST(TokenBucketTest, ARateOfZeroTurnsTheLimitOff) {
  TokenBucketLimiter limiter({0, 1});
  for (int i = 0; i < 10'000; ++i) ASSERT_EQ(limiter.Take("a", kT0_ms), std::nullopt);
}

TEST(TokenBucketTest, AClockSteppingBackNeitherRefillsNorFails) {
  TokenBucketLimiter limiter({1, 1});
  EXPECT_EQ(limiter.Take("a", kT0_ms), std::nullopt);
  EXPECT_EQ(limiter.Take("a", kT0_ms - 60'000), 1);
  EXPECT_EQ(limiter.Take("a", kT0_ms + 1'000), std::nullopt);
}

TEST(TokenBucketTest, FullBucketsAreForgottenSoMemoryStaysBounded) {
  TokenBucketLimiter limiter({1, 2});
  const size_t keys = TokenBucketLimiter::kShards * TokenBucketLimiter::kBucketsPerShardMax * 3;
  for (size_t i = 0; i < keys; ++i) {
    // Each new address takes one token; a second later every earlier bucket is full again.
    const int64_t now_ms = kT0_ms + static_cast<int64_t>(i / 1000) * 1'000;
    ASSERT_EQ(limiter.Take("ip:" + std::to_string(i), now_ms), std::nullopt);
  }
  // A key that is still limited is remembered whatever the churn.
  EXPECT_EQ(limiter.Take("busy", kT0_ms + 10'000'000), std::nullopt);
  EXPECT_EQ(limiter.Take("busy", kT0_ms + 10'000'000), std::nullopt);
  EXPECT_NE(limiter.Take("busy", kT0_ms + 10'000'000), std::nullopt);
}

// Shows the Unix second the test sets.
class MovableClock : public store::Clock {
 public:
  std::string NowUtc() override {
    const std::time_t seconds = now_s;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
  }
  int64_t now_s = kT0_ms / 1000;
};

HttpRequest Request(std::string method, std::string target) {
  return HttpRequest{std::move(method), std::move(target), {}, ""};
}

RequestContext From(std::string address, std::string user = "") {
  RequestContext context{"rid", {}, false, std::move(address)};
  if (!user.empty()) context.principal = Principal{user, true, {}};
  return context;
}

TEST(RateLimitTest, SignInAttemptsAreLimitedPerClientAddress) {
  MovableClock clock;
  RateLimit limit({1.0 / 60.0, 2}, {}, clock);
  const HttpRequest sign_in = Request("POST", "/api/v1/session");
  EXPECT_EQ(limit.BeforeAuth(sign_in, From("10.0.0.1")), std::nullopt);
  EXPECT_EQ(limit.BeforeAuth(sign_in, From("10.0.0.1")), std::nullopt);
  const std::optional<HttpResponse> refused = limit.BeforeAuth(sign_in, From("10.0.0.1"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->content_type, "application/problem+json");
  EXPECT_EQ(boost::json::parse(refused->body).at("code").as_string(), "too_many_requests");
  ASSERT_EQ(refused->headers.size(), 1u);
  EXPECT_EQ(refused->headers[0], (std::pair<std::string, std::string>{"Retry-After", "60"}));
  EXPECT_EQ(limit.BeforeAuth(sign_in, From("10.0.0.2")), std::nullopt);
  clock.now_s += 60;  // the injected clock moves: one attempt is back
  EXPECT_EQ(limit.BeforeAuth(sign_in, From("10.0.0.1")), std::nullopt);
  EXPECT_NE(limit.BeforeAuth(sign_in, From("10.0.0.1")), std::nullopt);
  // Other requests and other methods on the session path do not count as attempts.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(limit.BeforeAuth(Request("GET", "/api/v1/me"), From("10.0.0.1")), std::nullopt);
    EXPECT_EQ(limit.BeforeAuth(Request("DELETE", "/api/v1/session"), From("10.0.0.1")),
              std::nullopt);
  }
}

TEST(RateLimitTest, RequestsAreLimitedPerPrincipalOrForThePublicPerAddress) {
  MovableClock clock;
  RateLimit limit({}, {1, 1}, clock);
  const HttpRequest get = Request("GET", "/api/v1/projects?limit=1");
  EXPECT_EQ(limit.BeforeApi(get, From("10.0.0.1", "alice")), std::nullopt);
  // alice from another address shares her bucket; the public at her address has its own.
  EXPECT_NE(limit.BeforeApi(get, From("10.0.0.9", "alice")), std::nullopt);
  EXPECT_EQ(limit.BeforeApi(get, From("10.0.0.1")), std::nullopt);
  const std::optional<HttpResponse> refused = limit.BeforeApi(get, From("10.0.0.1"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(boost::json::parse(refused->body).at("instance").as_string(), "/api/v1/projects");
  EXPECT_EQ(limit.BeforeApi(get, From("10.0.0.1", "bob")), std::nullopt);
}

}  // namespace
}  // namespace jcm::server
