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

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/ed25519.h"
#include "core/status.h"
#include "server/export.h"
#include "server/http_message.h"
#include "server/request_target.h"
#include "service/approval_service.h"
#include "service/cycle_service.h"
#include "service/document_service.h"
#include "store/store.h"

namespace jcm::service {
struct ExchangeIdentity;  // service/exchange_transfers.h
class ExchangeStateCache;
}  // namespace jcm::service

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

// What GET /api/v1/log/sth signs heads with (service/log_service.h); without a key that route
// answers 409 (failed_precondition) and the proofs are served all the same.
struct LogSigning {
  const core::Ed25519PrivateKey* key = nullptr;
  store::Clock* clock = nullptr;
};

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

  // `store`, `clock` and the key and clock of `log` must outlive the Api; `openapi_json` is
  // served at /api/v1/openapi.json. `clock` dates the changes (a cycle step's "today"); without
  // one the routes that change the registry answer 503.
  Api(store::Store& store, std::string_view openapi_json, store::Clock* clock = nullptr,
      LogSigning log = {});

  HttpResponse Handle(const HttpRequest& request, const RequestContext& context);

  // Every route: the public reads, then those that need a signed-in principal.
  static const std::vector<Route>& Routes();

  // The replay of the users its approvals and administration routes read, for the Auth in
  // front to share (a signed approval then catches up on the users once, not twice).
  std::shared_ptr<service::IdentityReplay> identities() const { return identities_; }

  // The public web application's origin ("https://registry.example"), which retirement
  // certificates link to. Set once the listening address is known; thread-safe.
  void set_public_url(std::string url);
  // Four-eyes approval (api_transactions.cc) needs the clock and the delays; until this is
  // called its routes answer 503. `clock` must outlive the Api.
  void ConfigureApprovals(store::Clock& clock, const approval::Policy& policy);
  // Expires old proposals and executes approved ones whose time has come (`jcm serve` calls it
  // every minute; every transaction route also runs it first).
  core::Status RunDueApprovals();
  // Messages from peer registries (api_exchange.cc): received as this registry, signed with
  // `identity`'s key (null: the route answers 409), deciding on `cache` (the exchange state kept
  // between calls, shared with the delivery loop; null: replayed per message); with
  // `client_certificate_required` (mutual TLS, `jcm serve --tls-client-ca`) a request without a
  // verified client certificate gets 403. `identity` and `cache` must outlive the Api. Call
  // before serving. GET /api/v1/exchange/snapshot serves the peers' reconciliation snapshots
  // with the same identity and the same certificate rule.
  void ConfigureExchange(const service::ExchangeIdentity* identity,
                         service::ExchangeStateCache* cache, bool client_certificate_required);

 private:
  static std::vector<Route> PublicRoutes();
  static std::vector<Route> Article6Routes();
  static std::vector<Route> ExchangeRoutes();
  static std::vector<Route> SignedInRoutes();
  static std::vector<Route> AdministrationRoutes();

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
  core::Result<HttpResponse> Retirements(const RouteCall& call);
  core::Result<HttpResponse> RetirementCertificate(const RouteCall& call);
  core::Result<HttpResponse> Flows(const RouteCall& call);
  core::Result<HttpResponse> JointCommittees(const RouteCall& call);
  core::Result<HttpResponse> JointCommittee(const RouteCall& call);
  core::Result<HttpResponse> Methodologies(const RouteCall& call);
  core::Result<HttpResponse> Methodology(const RouteCall& call);
  core::Result<HttpResponse> ProgrammeReport(const RouteCall& call);
  core::Result<HttpResponse> PublicReport(const RouteCall& call);  // api_reports.cc
  // Article 6.2 (api_article6.cc).
  core::Result<HttpResponse> Article6Authorisations(const RouteCall& call);
  core::Result<HttpResponse> CorrespondingAdjustments(const RouteCall& call);
  core::Result<HttpResponse> Article6Aef(const RouteCall& call);
  // Transfers between registries (api_exchange.cc).
  core::Result<HttpResponse> ReceiveExchangeMessage(const RouteCall& call);
  core::Result<HttpResponse> ExchangeSnapshot(const RouteCall& call);
  // What both refuse before the service sees them: 403 under mutual TLS for a request without a
  // verified client certificate; FailedPrecondition (409) without an exchange key.
  core::Result<std::optional<HttpResponse>> ExchangeRefusedBeforeService(
      const RouteCall& call) const;
  // Transactions and trusted accounts (api_transactions.cc).
  core::Result<HttpResponse> ProposeTransaction(const RouteCall& call);
  core::Result<HttpResponse> ListTransactions(const RouteCall& call);
  core::Result<HttpResponse> GetTransaction(const RouteCall& call);
  core::Result<HttpResponse> ApproveTransaction(const RouteCall& call);
  core::Result<HttpResponse> RejectTransaction(const RouteCall& call);
  core::Result<HttpResponse> CancelTransaction(const RouteCall& call);
  core::Result<HttpResponse> ListTrusted(const RouteCall& call);
  core::Result<HttpResponse> AddTrusted(const RouteCall& call);
  core::Result<HttpResponse> RemoveTrusted(const RouteCall& call);
  core::Result<HttpResponse> GetTransactionRules(const RouteCall& call);
  core::Result<HttpResponse> SetTransactionRules(const RouteCall& call);
  // An ApprovalService of this request's own, given back to the pool when the lease ends; 503
  // (Unavailable) before ConfigureApprovals.
  struct ApprovalReturn {
    Api* api = nullptr;
    void operator()(service::ApprovalService* service) const;
  };
  using ApprovalLease = std::unique_ptr<service::ApprovalService, ApprovalReturn>;
  core::Result<ApprovalLease> Approvals();

  // api_cycle.cc: the project cycle's steps, documents and MRV calculations.
  core::Result<HttpResponse> CycleStep(const RouteCall& call);
  core::Result<HttpResponse> CycleDue(const RouteCall& call);
  core::Result<HttpResponse> TpeWork(const RouteCall& call);
  // The day by the injected clock (UTC), or Unavailable for a server built without one.
  core::Result<core::Date> Today() const;
  core::Result<core::Date> DayOf(const RouteCall& call) const;
  core::Result<HttpResponse> UploadDocument(const RouteCall& call);
  core::Result<HttpResponse> GetDocument(const RouteCall& call);
  core::Result<HttpResponse> MrvCalculation(const RouteCall& call);
  // account_handlers.cc
  core::Result<HttpResponse> Accounts(const RouteCall& call);
  core::Result<HttpResponse> Account(const RouteCall& call);
  // Administration (api_admin.cc): accounts and users of a registry.
  core::Result<HttpResponse> OpenAccount(const RouteCall& call);
  core::Result<HttpResponse> SetAccountState(const RouteCall& call);
  core::Result<HttpResponse> Users(const RouteCall& call);
  core::Result<HttpResponse> GrantRole(const RouteCall& call);
  core::Result<HttpResponse> RevokeRole(const RouteCall& call);
  core::Result<HttpResponse> ChangeRole(const RouteCall& call, bool grant);
  core::Result<HttpResponse> AccountHistory(const RouteCall& call);
  core::Result<HttpResponse> SubmitApplication(const RouteCall& call);
  core::Result<HttpResponse> ListApplications(const RouteCall& call);
  core::Result<HttpResponse> ApproveApplication(const RouteCall& call);
  core::Result<HttpResponse> RejectApplication(const RouteCall& call);
  core::Result<HttpResponse> DecideApplication(const RouteCall& call, bool approve);

  // The transparency log (log_service.h).
  core::Result<HttpResponse> LogSth(const RouteCall& call);
  core::Result<HttpResponse> LogProof(const RouteCall& call);
  core::Result<HttpResponse> LogConsistency(const RouteCall& call);
  core::Result<HttpResponse> PostCosignature(const RouteCall& call);

  store::Store& store_;
  std::string_view openapi_json_;
  store::Clock* clock_;
  LogSigning log_;
  std::mutex public_url_mu_;  // guards public_url_
  std::string public_url_;
  std::mutex cycle_mu_;  // guards cycle_ and documents_
  service::CycleService cycle_;
  service::DocumentService documents_;
  // Four-eyes approval: an ApprovalService is not thread-safe, so each request takes one of
  // its own from this pool and gives it back (Approvals): requests on different write workers
  // decide side by side and their events share the store's write batches (INV-60). The pool
  // grows to the requests ever in flight; its services share one replay of the proposals and
  // the Api's one of the users.
  std::mutex approval_mu_;                  // guards the four below
  store::Clock* approval_clock_ = nullptr;  // set by ConfigureApprovals
  approval::Policy approval_policy_;
  std::vector<std::unique_ptr<service::ApprovalService>> approval_pool_;
  std::shared_ptr<service::ApprovalReplay> approval_replay_;
  // The users, replayed once for the approvals' signatures and the administration routes.
  const std::shared_ptr<service::IdentityReplay> identities_ =
      std::make_shared<service::IdentityReplay>();
  const service::ExchangeIdentity* exchange_identity_ = nullptr;
  service::ExchangeStateCache* exchange_cache_ = nullptr;
  bool exchange_client_certificate_required_ = false;
};

// True when a hot standby (`jcm serve --read-db`, docs/api.md "Public reads from a standby")
// may answer `request`: a GET of a kPublic route by the public (not signed in), except
// GET /api/v1/log/sth, which stores the head it signs (a write), and /healthz and /readyz,
// which report on the primary. Anything else — a write, a signed-in read, an unknown route —
// is for the primary (--db).
bool ReadableFromStandby(const HttpRequest& request, const RequestContext& context);

// nullopt when `context` may call `route`; otherwise the 401/403 problem to answer with.
std::optional<HttpResponse> Authorize(const Api::Route& route, const RequestContext& context,
                                      const std::string& instance);

}  // namespace jcm::server
