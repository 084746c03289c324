// The routing half of the Api: the route table, matching, authorisation, query checks.
#include "server/api.h"

#include <algorithm>

#include "server/exchange_transport.h"
#include "server/problem.h"

namespace jcm::server {
namespace {

// The path's {…} values when `segments` match `pattern`, else nullopt.
std::optional<std::vector<std::string>> Match(std::string_view pattern,
                                              const std::vector<std::string>& segments) {
  std::vector<std::string> params;
  size_t index = 0;
  std::string_view rest = pattern.substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (index >= segments.size()) return std::nullopt;
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      if (segments[index].empty()) return std::nullopt;
      params.push_back(segments[index]);
    } else if (part != segments[index]) {
      return std::nullopt;
    }
    ++index;
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (index != segments.size()) return std::nullopt;
  return params;
}

// 400 naming the first query parameter the route does not accept, or nullopt.
std::optional<HttpResponse> UnknownQuery(const Api::Route& route, const RequestTarget& target,
                                         const std::string& request_id) {
  for (const auto& [name, value] : target.query) {
    if (std::find(route.query.begin(), route.query.end(), name) == route.query.end()) {
      return Problem(400, "unknown_query_parameter", "unknown query parameter '" + name + "'",
                     target.path, request_id);
    }
  }
  return std::nullopt;
}

constexpr size_t kIdempotencyKeyBytesMax = 200;

// A POST's Idempotency-Key header, or the 400 problem when it is missing or malformed: a retry
// of a change must be recognisable as one (docs/api.md, "Idempotency").
core::Result<std::string> IdempotencyKey(const HttpRequest& request) {
  if (const std::optional<std::string> header = HeaderValue(request, "Idempotency-Key")) {
    const std::string& value = *header;
    const bool printable =
        std::all_of(value.begin(), value.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (value.empty() || value.size() > kIdempotencyKeyBytesMax || !printable) {
      return core::InvalidArgument(
          "Idempotency-Key must be 1–200 printable ASCII characters without spaces");
    }
    return value;
  }
  return core::InvalidArgument(
      "a POST needs an Idempotency-Key header (any unique value; "
      "a retry with the same key returns the first response)");
}

}  // namespace

std::vector<Api::Route> Api::PublicRoutes() {
  return {
      {"GET", "/healthz", Access::kPublic, {}, &Api::Healthz},
      {"GET", "/readyz", Access::kPublic, {}, &Api::Readyz},
      {"GET", "/api/v1/openapi.json", Access::kPublic, {}, &Api::OpenApi},
      {"GET",
       "/api/v1/registries",
       Access::kPublic,
       {"limit", "cursor", "format"},
       &Api::Registries},
      {"GET", "/api/v1/registries/{code}", Access::kPublic, {}, &Api::Registry},
      {"GET",
       "/api/v1/projects",
       Access::kPublic,
       {"country", "status", "methodology", "technology", "limit", "cursor", "format"},
       &Api::Projects},
      {"GET", "/api/v1/projects/{id}", Access::kPublic, {}, &Api::Project},
      {"GET",
       "/api/v1/decisions",
       Access::kPublic,
       {"registry", "limit", "cursor", "format"},
       &Api::Decisions},
      {"GET",
       "/api/v1/decision-log",
       Access::kPublic,
       {"partner", "limit", "cursor", "format"},
       &Api::DecisionLog},
      {"GET", "/api/v1/units/{serial}", Access::kPublic, {}, &Api::Unit},
      {"GET", "/api/v1/journal", Access::kPublic, {"since", "limit", "format"}, &Api::Journal},
      {"GET",
       "/api/v1/retirements",
       Access::kPublic,
       {"registry", "limit", "cursor", "format"},
       &Api::Retirements},
      {"GET",
       "/api/v1/retirements/{seq}/certificate",
       Access::kPublic,
       {},
       &Api::RetirementCertificate},
      {"GET", "/api/v1/flows", Access::kPublic, {"registry", "interval", "format"}, &Api::Flows},
      {"GET", "/api/v1/joint-committees", Access::kPublic, {"format"}, &Api::JointCommittees},
      {"GET", "/api/v1/joint-committees/{partner}", Access::kPublic, {}, &Api::JointCommittee},
      {"GET", "/api/v1/methodologies", Access::kPublic, {"format"}, &Api::Methodologies},
      {"GET", "/api/v1/methodologies/{ref}", Access::kPublic, {}, &Api::Methodology},
      // The programme's indicators and forecasts (docs/programme.md).
      {"GET", "/api/v1/programme/report", Access::kPublic, {"today"}, &Api::ProgrammeReport},
      // The public reports (service/public_reports.h) as JSON, CSV or XLSX (api_reports.cc).
      {"GET",
       "/api/v1/reports/{name}",
       Access::kPublic,
       {"registry", "year", "format"},
       &Api::PublicReport},
      // Public documents to anyone; confidential ones decided in the handler (api_cycle.cc).
      {"GET", "/api/v1/documents/{sha256}", Access::kPublic, {}, &Api::GetDocument},
      // The transparency log (docs/formats/transparency-log.md).
      {"GET", "/api/v1/log/sth", Access::kPublic, {}, &Api::LogSth},
      {"GET", "/api/v1/log/proof", Access::kPublic, {"seq", "tree_size"}, &Api::LogProof},
      {"GET", "/api/v1/log/consistency", Access::kPublic, {"from", "to"}, &Api::LogConsistency},
      // Anyone may post a co-signature: it is kept only if a configured witness's key verifies
      // it over a head this registry signed (service/log_witness.h).
      {"POST", "/api/v1/log/cosignatures", Access::kPublic, {}, &Api::PostCosignature},
  };
}

// Article 6.2: authorisations, corresponding adjustments, the AEF (api_article6.cc). Public.
std::vector<Api::Route> Api::Article6Routes() {
  return {
      {"GET",
       "/api/v1/article6/authorisations",
       Access::kPublic,
       {"party"},
       &Api::Article6Authorisations},
      {"GET", "/api/v1/article6/ca/{party}", Access::kPublic, {}, &Api::CorrespondingAdjustments},
      {"GET",
       "/api/v1/article6/aef/{party}/{year}",
       Access::kPublic,
       {"format", "table"},
       &Api::Article6Aef},
  };
}

// Messages from peer registries (api_exchange.cc): no sign-in, the envelope's Ed25519 signature
// authenticates its sender (docs/exchange.md).
std::vector<Api::Route> Api::ExchangeRoutes() {
  return {
      {"POST", "/api/v1/exchange/messages", Access::kPublic, {}, &Api::ReceiveExchangeMessage},
      // A peer's reconciliation snapshot: no sign-in, the request is signed with the peer's key.
      {"GET",
       std::string_view(kExchangeSnapshotPath),
       Access::kPublic,
       {"peer"},
       &Api::ExchangeSnapshot},
  };
}

std::vector<Api::Route> Api::SignedInRoutes() {
  return {
      // Accounts (account_handlers.cc): the right is decided per account.
      {"GET",
       "/api/v1/accounts",
       Access::kSignedIn,
       {"registry", "limit", "cursor", "format"},
       &Api::Accounts},
      {"GET", "/api/v1/accounts/{number}", Access::kSignedIn, {}, &Api::Account},
      {"GET",
       "/api/v1/accounts/{number}/history",
       Access::kSignedIn,
       {"limit", "cursor", "format"},
       &Api::AccountHistory},
      // The project cycle, documents and MRV (api_cycle.cc).
      {"POST", "/api/v1/cycle/steps/{step}", Access::kSignedIn, {}, &Api::CycleStep},
      {"GET", "/api/v1/cycle/due", Access::kSignedIn, {"today"}, &Api::CycleDue},
      {"GET", "/api/v1/cycle/tpe-work", Access::kSignedIn, {"org", "today"}, &Api::TpeWork},
      {"POST",
       "/api/v1/documents",
       Access::kSignedIn,
       {"name", "confidential", "joint_committee"},
       &Api::UploadDocument},
      {"POST", "/api/v1/mrv/calculations", Access::kSignedIn, {}, &Api::MrvCalculation},
      // Four eyes (api_transactions.cc): signed in; the right is decided per account.
      {"POST", "/api/v1/transactions", Access::kSignedIn, {}, &Api::ProposeTransaction},
      {"GET",
       "/api/v1/transactions",
       Access::kSignedIn,
       {"account", "limit", "cursor", "format"},
       &Api::ListTransactions},
      {"GET", "/api/v1/transactions/{id}", Access::kSignedIn, {}, &Api::GetTransaction},
      {"POST",
       "/api/v1/transactions/{id}/approve",
       Access::kSignedIn,
       {},
       &Api::ApproveTransaction},
      {"POST", "/api/v1/transactions/{id}/reject", Access::kSignedIn, {}, &Api::RejectTransaction},
      {"POST", "/api/v1/transactions/{id}/cancel", Access::kSignedIn, {}, &Api::CancelTransaction},
      {"GET",
       "/api/v1/accounts/{number}/trusted",
       Access::kSignedIn,
       {"limit", "cursor", "format"},
       &Api::ListTrusted},
      {"POST", "/api/v1/accounts/{number}/trusted", Access::kSignedIn, {}, &Api::AddTrusted},
      {"GET",
       "/api/v1/accounts/{number}/transaction-rules",
       Access::kSignedIn,
       {},
       &Api::GetTransactionRules},
      {"POST",
       "/api/v1/accounts/{number}/transaction-rules",
       Access::kSignedIn,
       {},
       &Api::SetTransactionRules},
      {"DELETE",
       "/api/v1/accounts/{number}/trusted/{entry}",
       Access::kSignedIn,
       {},
       &Api::RemoveTrusted},
  };
}

// Administration (api_admin.cc): registry administrators, system administrators, and the
// account applications anyone signed in makes.
std::vector<Api::Route> Api::AdministrationRoutes() {
  return {
      {"POST", "/api/v1/accounts", Access::kSignedIn, {}, &Api::OpenAccount},
      {"POST", "/api/v1/accounts/{number}/state", Access::kSignedIn, {}, &Api::SetAccountState},
      {"GET", "/api/v1/users", Access::kSignedIn, {"limit", "cursor", "format"}, &Api::Users},
      {"POST", "/api/v1/users/{name}/roles", Access::kSignedIn, {}, &Api::GrantRole},
      {"DELETE", "/api/v1/users/{name}/roles/{role}", Access::kSignedIn, {}, &Api::RevokeRole},
      {"POST", "/api/v1/account-applications", Access::kSignedIn, {}, &Api::SubmitApplication},
      {"GET",
       "/api/v1/account-applications",
       Access::kSignedIn,
       {"registry", "state", "limit", "cursor", "format"},
       &Api::ListApplications},
      {"POST",
       "/api/v1/account-applications/{id}/approve",
       Access::kSignedIn,
       {},
       &Api::ApproveApplication},
      {"POST",
       "/api/v1/account-applications/{id}/reject",
       Access::kSignedIn,
       {},
       &Api::RejectApplication},
  };
}

const std::vector<Api::Route>& Api::Routes() {
  static const std::vector<Route> kRoutes = [] {
    std::vector<Route> routes = PublicRoutes();
    for (Route& route : Article6Routes()) routes.push_back(std::move(route));
    for (Route& route : ExchangeRoutes()) routes.push_back(std::move(route));
    for (Route& route : SignedInRoutes()) routes.push_back(std::move(route));
    for (Route& route : AdministrationRoutes()) routes.push_back(std::move(route));
    return routes;
  }();
  return kRoutes;
}

Api::Api(store::Store& store, std::string_view openapi_json, store::Clock* clock, LogSigning log)
    : store_(store),
      openapi_json_(openapi_json),
      clock_(clock),
      log_(log),
      cycle_(store),
      documents_(store) {}

bool TakesDocumentBody(std::string_view method, std::string_view target) {
  return method == "POST" && target.substr(0, target.find('?')) == "/api/v1/documents";
}

bool LeavesIoThread(std::string_view method, std::string_view target) {
  if (method != "GET" && method != "HEAD" && method != "OPTIONS") return true;
  return method == "GET" && target.substr(0, target.find('?')) == kExchangeSnapshotPath;
}

void Api::set_public_url(std::string url) {
  std::lock_guard lock(public_url_mu_);
  public_url_ = std::move(url);
}

std::optional<HttpResponse> Authorize(const Api::Route& route, const RequestContext& context,
                                      const std::string& instance) {
  switch (route.access) {
    case Access::kPublic:
      return std::nullopt;  // anyone, signed in or not
    case Access::kSignedIn:
      if (context.principal.signed_in) return std::nullopt;
      return Problem(401, "unauthorized", "sign in (or send an API token) first", instance,
                     context.request_id);
  }
  return Problem(403, "forbidden", "not allowed for " + context.principal.user, instance,
                 context.request_id);
}

bool ReadableFromStandby(const HttpRequest& request, const RequestContext& context) {
  if (request.method != "GET" || context.principal.signed_in) return false;
  core::Result<RequestTarget> target = ParseTarget(request.target);
  if (!target.ok()) return false;
  for (const Api::Route& route : Api::Routes()) {
    if (route.method != "GET" || !Match(route.pattern, target->segments)) continue;
    // A peer's snapshot is the primary's: the standby has no exchange key to sign it with.
    return route.access == Access::kPublic && route.pattern != "/api/v1/log/sth" &&
           route.pattern != "/healthz" && route.pattern != "/readyz" &&
           route.pattern != kExchangeSnapshotPath;
  }
  return false;
}

HttpResponse Api::Handle(const HttpRequest& request, const RequestContext& context) {
  const std::string& id = context.request_id;
  core::Result<RequestTarget> target = ParseTarget(request.target);
  if (!target.ok()) {
    return Problem(400, "bad_target", target.status().message(), "", id);
  }
  std::string allowed;  // methods of the routes whose path matches, for 405
  for (const Route& route : Routes()) {
    std::optional<std::vector<std::string>> params = Match(route.pattern, target->segments);
    if (!params) continue;
    if (route.method != request.method) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
      continue;
    }
    if (auto refused = Authorize(route, context, target->path)) return *refused;
    if (auto unknown = UnknownQuery(route, *target, id)) return *unknown;
    core::Result<ListFormat> format = ChooseListFormat(*target, request.headers);
    if (!format.ok()) return ProblemFromStatus(format.status(), target->path, id);
    std::string idempotency_key;
    if (request.method == "POST") {
      core::Result<std::string> key = IdempotencyKey(request);
      if (!key.ok()) {
        return Problem(400, "idempotency_key_invalid", key.status().message(), target->path, id);
      }
      idempotency_key = std::move(*key);
    }
    core::Result<HttpResponse> response = (this->*route.handler)(
        RouteCall{request, *target, std::move(*params), context, *format, idempotency_key});
    if (!response.ok()) return ProblemFromStatus(response.status(), target->path, id);
    return std::move(response).value();
  }
  if (!allowed.empty()) {
    HttpResponse response = Problem(405, "method_not_allowed",
                                    request.method + " is not allowed here", target->path, id);
    response.headers.emplace_back("Allow", allowed);
    return response;
  }
  return Problem(404, "unknown_route", "no resource at " + target->path, target->path, id);
}

}  // namespace jcm::server
