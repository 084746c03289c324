#include "server/access_log.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <ostream>
#include <random>

#include "server/problem.h"

namespace jcm::server {
namespace {

std::string UtcNowMillis() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  // The date and time to the second change once a second: formatted once per second per thread.
  thread_local std::time_t formatted_seconds = -1;
  thread_local std::string formatted;
  if (seconds != formatted_seconds) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    formatted.assign(text, std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc));
    formatted_seconds = seconds;
  }
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis));
  return formatted + fraction;
}

bool IsSafeIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

std::string AccessLogLine(const AccessRecord& r) {
  // Written field by field (each string escaped by Boost.JSON) rather than through a JSON
  // object: the line is the same, without building a document per request.
  namespace bj = boost::json;
  std::string line = "{\"time\":";
  line.reserve(192);
  line += bj::serialize(bj::string_view(UtcNowMillis()));
  line += ",\"request_id\":";
  line += bj::serialize(bj::string_view(r.request_id));
  line += ",\"user\":";
  line += bj::serialize(bj::string_view(r.user));
  line += ",\"method\":";
  line += bj::serialize(bj::string_view(ValidUtf8(r.method)));
  line += ",\"path\":";
  line += bj::serialize(bj::string_view(ValidUtf8(r.path)));
  line += ",\"status\":";
  line += std::to_string(r.status);
  line += ",\"us\":";
  line += std::to_string(r.micros);
  if (!r.error.empty()) {
    line += ",\"error\":";
    line += bj::serialize(bj::string_view(ValidUtf8(r.error)));
  }
  line += "}\n";
  return line;
}

std::string EventLogLine(const EventRecord& record) {
  namespace bj = boost::json;
  std::string line = "{\"time\":";
  line += bj::serialize(bj::string_view(UtcNowMillis()));
  line += ",\"event\":";
  line += bj::serialize(bj::string_view(record.event));
  for (const auto& [name, count] : record.counts) {
    line += ",";
    line += bj::serialize(bj::string_view(name));
    line += ":";
    line += std::to_string(count);
  }
  if (!record.error.empty()) {
    line += ",\"error\":";
    line += bj::serialize(bj::string_view(ValidUtf8(record.error)));
  }
  line += "}\n";
  return line;
}

void AccessLog::Write(const EventRecord& record) {
  const std::string line = EventLogLine(record);
  std::lock_guard lock(mu_);
  out_ << line << std::flush;
}

void AccessLog::Write(const AccessRecord& record) {
  const std::string line = AccessLogLine(record);
  std::lock_guard lock(mu_);
  out_ << line << std::flush;
}

std::string RequestIdFor(std::string_view client_request_id) {
  if (!client_request_id.empty() && client_request_id.size() <= 64 &&
      std::all_of(client_request_id.begin(), client_request_id.end(), IsSafeIdChar)) {
    return std::string(client_request_id);
  }
  // Not a secret (it is echoed and logged): a per-thread generator seeded from the OS suffices.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int word = 0; word < 2; ++word) {
    uint64_t bits = generator();
    for (int i = 0; i < 16; ++i, bits >>= 4) id += kHex[bits & 15];
  }
  return id;
}

}  // namespace jcm::server
