// The structured access log: one JSON object per line per response, for machines
// (docs/api.md, "Access log"), and the request ids that tie a log line to a response.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jcm::server {

struct AccessRecord {
  std::string request_id;
  std::string user;    // the principal ("public" until sign-in exists)
  std::string method;  // empty when the request line could not be parsed
  std::string path;    // the target without its query (queries may carry search terms)
  int status = 0;
  int64_t micros = 0;  // from the request's header received to the response handed to the socket
  std::string error;   // an internal error's cause (HttpResponse::log_detail); usually empty
};

// {"time", "request_id", "user", "method", "path", "status", "us"} (and "error" when set) and a
// newline; `time` is the wall clock in UTC with milliseconds ("2026-11-30T05:40:00.123Z").
std::string AccessLogLine(const AccessRecord& record);

// What the server did on its own, not answering a request (the exchange's delivery loop):
// {"time", "event", then each field as a number, and "error" when set} and a newline.
struct EventRecord {
  std::string event;  // "exchange.round"
  std::vector<std::pair<std::string, int64_t>> counts;
  std::string error;
};
std::string EventLogLine(const EventRecord& record);

// Writes lines to a stream shared by the I/O threads; each line is written whole.
class AccessLog {
 public:
  explicit AccessLog(std::ostream& out) : out_(out) {}
  void Write(const AccessRecord& record);
  void Write(const EventRecord& record);

 private:
  std::mutex mu_;
  std::ostream& out_;
};

// The client's X-Request-Id when it is 1–64 characters of [A-Za-z0-9._-], else a new random
// id of 32 hex digits (a client cannot inject text into the log through it).
std::string RequestIdFor(std::string_view client_request_id);

}  // namespace jcm::server
