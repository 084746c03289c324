// Fuzz target: the HTTP API's request pipeline without a socket (src/server: request_target.cc,
// api.cc, api_handlers.cc, export.cc, and step_json.cc's decoding of the cycle steps' and MRV
// calculations' bodies) over an in-memory registry. The input is
//
//   METHOD-BYTE TARGET \n ACCEPT \n BODY
//
// (the first byte picks GET, POST, HEAD or DELETE). Besides "no crash, no sanitizer report",
// it checks what every response must be: a status of 200–599, no CR or LF in a header, a JSON
// or problem body that parses as JSON (valid UTF-8 included), a CSV body of whole CRLF records;
// a cursor decodes to what was encoded; the body, parsed as JSON, exports as CSV and JSON lines.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "server/api.h"
#include "server/export.h"
#include "server/problem.h"
#include "server/request_target.h"
#include "server/step_json.h"
#include "store/memory/memory_store.h"

#ifndef JCM_FUZZ_ENTRY
#define JCM_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

namespace {

namespace bj = boost::json;

class FuzzClock : public jcm::store::Clock {
 public:
  std::string NowUtc() override { return "2026-01-01T00:00:00Z"; }
};

// One registry store for the whole run: requests only read it.
jcm::server::Api& SharedApi() {
  static FuzzClock clock;
  static std::unique_ptr<jcm::store::Store> store = [] {
    std::unique_ptr<jcm::store::Store> s = jcm::store::NewMemoryStore(clock);
    for (const char* code : {"JP", "MN"}) {
      if (!s->Submit(jcm::ledger::InitRegistry{code}).ok()) std::abort();
    }
    return s;
  }();
  static jcm::server::Api api(*store, R"({"openapi":"3.1.0"})");
  return api;
}

// Aborts (the fuzzer's finding) naming the broken expectation and what was answered.
void Require(bool condition, const char* expectation = "",
             const jcm::server::HttpResponse* response = nullptr) {
  if (condition) return;
  std::fprintf(stderr, "server fuzz: expected %s\n", expectation);
  if (response != nullptr) {
    std::fprintf(stderr, "  answered %d %s: %s\n", response->status, response->content_type.c_str(),
                 response->body.c_str());
  }
  std::abort();
}

void CheckResponse(const jcm::server::HttpResponse& response) {
  Require(response.status >= 200 && response.status <= 599, "a status 200-599", &response);
  for (const auto& [name, value] : response.headers) {
    Require(name.find_first_of("\r\n") == std::string::npos, "no CR/LF in a header name");
    Require(value.find_first_of("\r\n") == std::string::npos, "no CR/LF in a header value");
  }
  if (response.content_type.starts_with("application/json") ||
      response.content_type == jcm::server::kProblemContentType) {
    boost::system::error_code error;
    (void)bj::parse(response.body, error);
    Require(!error, "a JSON body that parses", &response);
  } else if (response.content_type.starts_with("text/csv")) {
    Require(response.body.ends_with("\r\n"), "CSV records ending in CRLF", &response);
  }
}

// The split line of the input: `text` up to the first '\n' (removed from `text`).
std::string_view TakeLine(std::string_view& text) {
  const size_t newline = text.find('\n');
  const std::string_view line = text.substr(0, newline);
  text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  return line;
}

}  // namespace

extern "C" int JCM_FUZZ_ENTRY(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* kMethods[] = {"GET", "POST", "HEAD", "DELETE"};
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string target(TakeLine(input));
  const std::string accept(TakeLine(input));
  const std::string body(input);

  jcm::server::HttpRequest request{kMethods[data[0] % 4], target, {}, body};
  if (!accept.empty()) request.headers.emplace_back("Accept", accept);
  CheckResponse(SharedApi().Handle(request, jcm::server::RequestContext{"fuzz", {}, false}));
  // The routes that change the registry answer the public 401 before reading the body: decode
  // their bodies here (step_json.h), which must refuse or accept without crashing.
  constexpr std::string_view kSteps = "/api/v1/cycle/steps/";
  if (target.starts_with(kSteps)) {
    (void)jcm::server::DecodeStep(std::string_view(target).substr(kSteps.size()), body);
  } else if (target == "/api/v1/mrv/calculations") {
    (void)jcm::server::DecodeMrvCalculation(body);
  }

  const auto decoded = jcm::server::DecodeCursor(target);
  if (decoded.ok()) {
    Require(jcm::server::DecodeCursor(jcm::server::EncodeCursor(*decoded)).ok(),
            "a decoded cursor re-encodes");
  }
  const auto round_trip = jcm::server::DecodeCursor(jcm::server::EncodeCursor(body));
  Require(round_trip.ok() && *round_trip == body, "EncodeCursor/DecodeCursor round trip");

  boost::system::error_code error;
  const bj::value parsed = bj::parse(body, error);
  if (!error && parsed.is_array()) {
    Require(jcm::server::CsvOf(parsed.get_array()).ends_with("\r\n"), "CSV of a JSON array");
    (void)jcm::server::JsonLinesOf(parsed.get_array());
  }
  return 0;
}
