#include "server/rate_limit.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "server/auth.h"
#include "server/problem.h"

namespace jcm::server {
namespace {

std::string PathOf(const HttpRequest& request) {
  return request.target.substr(0, request.target.find('?'));
}

}  // namespace

double TokenBucketLimiter::Refilled(const Bucket& bucket, int64_t now_ms) const {
  // A clock that stepped back refills nothing (and takes nothing away).
  const double elapsed_s =
      static_cast<double>(std::max<int64_t>(0, now_ms - bucket.updated_ms)) / 1000.0;
  return std::min(limits_.burst, bucket.tokens + elapsed_s * limits_.rate_per_s);
}

void TokenBucketLimiter::ForgetFullBuckets(Shard& shard, int64_t now_ms) {
  std::erase_if(shard.buckets,
                [&](const auto& entry) { return Refilled(entry.second, now_ms) >= limits_.burst; });
  // Still full: more clients than the shard remembers are limited at once (a flood from many
  // addresses). Forgetting them all keeps memory and the cost of this sweep bounded; they start
  // again with full buckets.
  if (shard.buckets.size() >= kBucketsPerShardMax) shard.buckets.clear();
}

std::optional<int64_t> TokenBucketLimiter::Take(const std::string& key, int64_t now_ms) {
  if (!limits_.enabled()) return std::nullopt;
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= kBucketsPerShardMax) ForgetFullBuckets(shard, now_ms);
    it = shard.buckets.emplace(key, Bucket{limits_.burst, now_ms}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now_ms);
  bucket.updated_ms = std::max(bucket.updated_ms, now_ms);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  const double wait_s = (1 - bucket.tokens) / limits_.rate_per_s;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_s)));
}

HttpResponse TooManyRequests(int64_t retry_after_s, const std::string& path,
                             const std::string& request_id) {
  HttpResponse response = Problem(
      429, "too_many_requests",
      "too many requests; try again in " + std::to_string(retry_after_s) + " s", path, request_id);
  response.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
  return response;
}

int64_t RateLimit::NowMillis() {
  // The clock's text has whole seconds; an unreadable one (never the system clock) reads as 0,
  // which only delays refills.
  const core::Result<int64_t> seconds = UnixSeconds(clock_.NowUtc());
  return seconds.ok() ? *seconds * 1000 : 0;
}

std::optional<HttpResponse> RateLimit::BeforeAuth(const HttpRequest& request,
                                                  const RequestContext& context) {
  if (request.method != "POST" || !sign_in_.enabled() || PathOf(request) != "/api/v1/session") {
    return std::nullopt;
  }
  if (const std::optional<int64_t> wait = sign_in_.Take(context.client_address, NowMillis())) {
    return TooManyRequests(*wait, PathOf(request), context.request_id);
  }
  return std::nullopt;
}

std::optional<HttpResponse> RateLimit::BeforeApi(const HttpRequest& request,
                                                 const RequestContext& context) {
  if (!requests_.enabled()) return std::nullopt;
  const std::string key = context.principal.signed_in ? "user:" + context.principal.user
                                                      : "ip:" + context.client_address;
  if (const std::optional<int64_t> wait = requests_.Take(key, NowMillis())) {
    return TooManyRequests(*wait, PathOf(request), context.request_id);
  }
  return std::nullopt;
}

}  // namespace jcm::server
