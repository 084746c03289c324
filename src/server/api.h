// Api: the HTTP API's request pipeline without the transport (docs/api.md):
//
//   target parsed (request_target.h) → route found (404, or 405 with Allow) → authorisation
//   decided for the route from the request's context (Authorize) → query parameters checked
//   against the route's list (400 for an unknown one) → handler → the service layer → JSON
//
// Every error leaves as an RFC 9457 problem document (problem.h). Handlers reuse the service's
// use cases and their JSON codecs (src/service/json), so the API prints what `jcm … --json`
// prints. No Boost.Beast here: the routing is unit-tested without a socket
// (tests/server/api_test.cc) and the transport (http_server.h) only moves bytes.
//
// Thread-safe: I/O threads call Handle concurrently. The store is thread-safe; the one
// CycleService (which caches the replayed cycle state) is used under a mutex.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "server/export.h"
#include "server/http_message.h"
#include "server/request_target.h"
#include "service/cycle_service.h"
#include "store/store.h"

namespace jcm::server {

// Who may call a route, decided before its handler runs:
//   kPublic    anyone, signed in or not;
//   kSignedIn  a signed-in principal (401 for the public); the handler then decides the precise
//              right on the resource it touches with identity::Authorize (403 when refused).
enum class Access { kPublic, kSignedIn };

// What a handler is given: the request (body and headers), the parsed target, the path's {…}
// values in order, the context, for a list route (one taking `format`) the format to answer in
// (export.h) and, for a POST, its Idempotency-Key (required: 400 without one).
struct RouteCall {
  const HttpRequest& request;
  const RequestTarget& target;
  std::vector<std::string> params;
  const RequestContext& context;
  ListFormat format = ListFormat::kJson;
  std::string idempotency_key;  // POST only; the header's value, 1–200 printable ASCII bytes
};

inline constexpr int64_t kPageLimitDefault = 100;
inline constexpr int64_t kPageLimitMax = 1'000;

class Api {
 public:
  using Handler = core::Result<HttpResponse> (Api::*)(const RouteCall& call);
  struct Route {
    std::string_view method;
    std::string_view pattern;  // "/api/v1/projects/{id}": a {…} segment matches any one segment
    Access access;
    std::vector<std::string_view> query;  // the query parameters it accepts
    Handler handler;
  };

  // `store` must outlive the Api; `openapi_json` is served at /api/v1/openapi.json.
  Api(store::Store& store, std::string_view openapi_json);

  HttpResponse Handle(const HttpRequest& request, const RequestContext& context);

  static const std::vector<Route>& Routes();

 private:
  core::Result<HttpResponse> Healthz(const RouteCall& call);
  core::Result<HttpResponse> Readyz(const RouteCall& call);
  core::Result<HttpResponse> OpenApi(const RouteCall& call);
  core::Result<HttpResponse> Registries(const RouteCall& call);
  core::Result<HttpResponse> Registry(const RouteCall& call);
  core::Result<HttpResponse> Projects(const RouteCall& call);
  core::Result<HttpResponse> Project(const RouteCall& call);
  core::Result<HttpResponse> Decisions(const RouteCall& call);
  core::Result<HttpResponse> DecisionLog(const RouteCall& call);
  core::Result<HttpResponse> Unit(const RouteCall& call);
  core::Result<HttpResponse> Journal(const RouteCall& call);
  // account_handlers.cc
  core::Result<HttpResponse> Accounts(const RouteCall& call);
  core::Result<HttpResponse> Account(const RouteCall& call);
  core::Result<HttpResponse> AccountHistory(const RouteCall& call);

  store::Store& store_;
  std::string_view openapi_json_;
  std::mutex cycle_mu_;  // guards cycle_
  service::CycleService cycle_;
};

// nullopt when `context` may call `route`; otherwise the 401/403 problem to answer with.
std::optional<HttpResponse> Authorize(const Api::Route& route, const RequestContext& context,
                                      const std::string& instance);

}  // namespace jcm::server
