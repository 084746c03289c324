// The handlers of four-eyes approval (docs/api.md, "Transactions"): proposals, their approval
// signed with a TOTP code, rejection, cancellation, and each account's trusted-account list, on
// service::ApprovalService. The routes admit any signed-in principal (Access::kSignedIn); the
// service decides the precise right on the account with identity::Authorize, and its refusals
// map here: right_missing → 403, an unknown proposal, account or list entry → 404 (each with
// "check" and "name"), any other numbered check → 422. A POST's Idempotency-Key becomes the
// use case's key (per user), so a retry answers the first result and the same key with another
// body is check 400.
#include <boost/json.hpp>
#include <cstdio>

#include "server/api.h"
#include "server/json_body.h"
#include "server/problem.h"
#include "service/json/approval_json.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;
using approval::ApprovalCheck;

HttpResponse Json(int status, const bj::object& document) {
  HttpResponse response;
  response.status = status;
  response.body = bj::serialize(document);
  return response;
}

int StatusOf(const service::Rejection& rejection) {
  switch (rejection.check) {
    case static_cast<int>(ApprovalCheck::kRightMissing):
      return 403;
    case static_cast<int>(ApprovalCheck::kProposalUnknown):
    case static_cast<int>(ApprovalCheck::kAccountUnknown):
    case static_cast<int>(ApprovalCheck::kTrustedEntryUnknown):
      return 404;
    default:
      return 422;
  }
}

HttpResponse Refused(const RouteCall& call, const service::Rejection& rejection) {
  const int status = StatusOf(rejection);
  if (status == 422) {
    return ProblemFromRejection(rejection, call.target.path, call.context.request_id);
  }
  HttpResponse response = Problem(status, status == 403 ? "forbidden" : "not_found",
                                  rejection.message, call.target.path, call.context.request_id);
  bj::object problem = bj::parse(response.body).as_object();
  problem["check"] = rejection.check;
  problem["name"] = rejection.name;
  response.body = bj::serialize(problem);
  return response;
}

template <typename T, typename ToJson>
HttpResponse Answer(const RouteCall& call, const service::OrRejection<T>& outcome, int status,
                    ToJson to_json) {
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return Refused(call, *rejection);
  }
  return Json(status, to_json(std::get<T>(outcome)));
}

core::Result<int64_t> IdParam(const std::string& text, std::string_view what) {
  const std::optional<int64_t> id = core::ParseInt64(text);
  if (!id || *id < 1) {
    return core::InvalidArgument(std::string(what) + " is a positive integer, not '" + text + "'");
  }
  return *id;
}

core::Result<approval::ProposedTransaction> ProposedOf(const std::string& body) {
  JCM_ASSIGN_OR_RETURN(
      auto fields, DecodeBody(body, {"type", "from", "to", "quantity#", "serials", "beneficiary",
                                     "reason", "use_year#", "purpose"}));
  approval::ProposedTransaction t;
  const auto type = approval::ProposableTypeFromName(Text(fields, "type"));
  if (!type) return core::InvalidArgument("'type' is transfer, retirement or cancellation");
  if (!fields.contains("from") || !fields.contains("quantity")) {
    return core::InvalidArgument("'type', 'from' and 'quantity' are required");
  }
  t.type = *type;
  t.from = Text(fields, "from");
  t.to = Text(fields, "to");
  t.quantity = fields.at("quantity").as_int64();
  t.serials = Text(fields, "serials");
  t.beneficiary = Text(fields, "beneficiary");
  t.reason = Text(fields, "reason");
  if (fields.contains("use_year")) t.use_year = fields.at("use_year").as_int64();
  t.cancellation_purpose = Text(fields, "purpose");
  return t;
}

// A page {"items", "next"} of `items` (ascending ids) after the cursor's id.
template <typename Row, typename IdOf, typename ToJson>
core::Result<HttpResponse> PageOf(const RouteCall& call, const std::vector<Row>& rows, IdOf id_of,
                                  ToJson to_json) {
  int64_t limit = kPageLimitDefault;
  if (auto it = call.target.query.find("limit"); it != call.target.query.end()) {
    const std::optional<int64_t> value = core::ParseInt64(it->second);
    if (!value || *value < 1 || *value > kPageLimitMax) {
      return core::InvalidArgument("limit must be an integer in 1..1000");
    }
    limit = *value;
  }
  int64_t after = 0;
  if (auto it = call.target.query.find("cursor"); it != call.target.query.end()) {
    JCM_ASSIGN_OR_RETURN(const std::string key, DecodeCursor(it->second));
    JCM_ASSIGN_OR_RETURN(after, IdParam(key, "cursor"));
  }
  bj::array items;
  bj::value next = nullptr;
  int64_t last = 0;
  for (const Row& row : rows) {
    if (id_of(row) <= after) continue;
    if (static_cast<int64_t>(items.size()) == limit) {
      next = bj::value(EncodeCursor(std::to_string(last)));
      break;
    }
    items.push_back(to_json(row));
    last = id_of(row);
  }
  if (call.format != ListFormat::kJson) {
    std::optional<std::string> link;
    if (next.is_string()) link = TargetWith(call.target, "cursor", std::string(next.as_string()));
    return ExportResponse(call.format, items, link);
  }
  return Json(200, bj::object{{"items", std::move(items)}, {"next", std::move(next)}});
}

}  // namespace

void Api::ConfigureApprovals(store::Clock& clock, const approval::Policy& policy) {
  std::lock_guard lock(approval_mu_);
  approval_clock_ = &clock;
  approval_policy_ = policy;
  approval_pool_.clear();
  approval_replay_ = std::make_shared<service::ApprovalReplay>();
}

void Api::ApprovalReturn::operator()(service::ApprovalService* service) const {
  std::unique_ptr<service::ApprovalService> owned(service);
  std::lock_guard lock(api->approval_mu_);
  api->approval_pool_.push_back(std::move(owned));
}

core::Result<Api::ApprovalLease> Api::Approvals() {
  std::lock_guard lock(approval_mu_);
  if (approval_clock_ == nullptr) {
    return core::Unavailable("transactions are not configured on this server");
  }
  if (approval_pool_.empty()) {
    return ApprovalLease(new service::ApprovalService(store_, *approval_clock_, approval_policy_,
                                                      approval_replay_, identities_),
                         ApprovalReturn{this});
  }
  std::unique_ptr<service::ApprovalService> taken = std::move(approval_pool_.back());
  approval_pool_.pop_back();
  return ApprovalLease(taken.release(), ApprovalReturn{this});
}

core::Status Api::RunDueApprovals() {
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  return service->RunDue().status();
}

core::Result<HttpResponse> Api::ProposeTransaction(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const approval::ProposedTransaction t, ProposedOf(call.request.body));
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(
      auto outcome, service->Propose(call.context.principal.Identity(), t, call.idempotency_key));
  return Answer(call, outcome, 201, service::json::ProposalJson);
}

core::Result<HttpResponse> Api::ListTransactions(const RouteCall& call) {
  auto account = call.target.query.find("account");
  if (account == call.target.query.end()) {
    return core::InvalidArgument("the query parameter 'account' is required");
  }
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service->List(call.context.principal.Identity(), account->second));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return Refused(call, *rejection);
  }
  return PageOf(
      call, std::get<std::vector<service::ProposalResult>>(outcome),
      [](const service::ProposalResult& row) { return row.proposal.id; },
      service::json::ProposalJson);
}

core::Result<HttpResponse> Api::GetTransaction(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, IdParam(call.params[0], "a transaction id"));
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome, service->Get(call.context.principal.Identity(), id));
  return Answer(call, outcome, 200, service::json::ProposalJson);
}

core::Result<HttpResponse> Api::ApproveTransaction(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, IdParam(call.params[0], "a transaction id"));
  JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"totp"}));
  if (!body.contains("totp")) return core::InvalidArgument("'totp' is required");
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome, service->Approve(call.context.principal.Identity(), id,
                                                      Text(body, "totp"), call.idempotency_key));
  return Answer(call, outcome, 200, service::json::ProposalJson);
}

core::Result<HttpResponse> Api::RejectTransaction(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, IdParam(call.params[0], "a transaction id"));
  JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"comment"}));
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome, service->Reject(call.context.principal.Identity(), id,
                                                     Text(body, "comment"), call.idempotency_key));
  return Answer(call, outcome, 200, service::json::ProposalJson);
}

core::Result<HttpResponse> Api::CancelTransaction(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const int64_t id, IdParam(call.params[0], "a transaction id"));
  JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"comment"}));
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome, service->Cancel(call.context.principal.Identity(), id,
                                                     Text(body, "comment"), call.idempotency_key));
  return Answer(call, outcome, 200, service::json::ProposalJson);
}

core::Result<HttpResponse> Api::ListTrusted(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service->ListTrusted(call.context.principal.Identity(), call.params[0]));
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return Refused(call, *rejection);
  }
  return PageOf(
      call, std::get<std::vector<service::TrustedResult>>(outcome),
      [](const service::TrustedResult& row) { return row.entry.id; },
      service::json::TrustedEntryJson);
}

core::Result<HttpResponse> Api::AddTrusted(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"trusted"}));
  if (!body.contains("trusted")) return core::InvalidArgument("'trusted' is required");
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service->AddTrusted(call.context.principal.Identity(), call.params[0],
                                           Text(body, "trusted"), call.idempotency_key));
  return Answer(call, outcome, 201, service::json::TrustedEntryJson);
}

core::Result<HttpResponse> Api::GetTransactionRules(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service->Rules(call.context.principal.Identity(), call.params[0]));
  return Answer(call, outcome, 200, service::json::TransactionRulesJson);
}

core::Result<HttpResponse> Api::SetTransactionRules(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"second_approval_to_trusted"}));
  const std::optional<bool> required =
      approval::SecondApprovalFromName(Text(body, "second_approval_to_trusted"));
  if (!required) {
    return core::InvalidArgument("'second_approval_to_trusted' is 'required' or 'not_required'");
  }
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(
      auto outcome, service->SetRules(call.context.principal.Identity(), call.params[0], *required,
                                      call.idempotency_key));
  return Answer(call, outcome, 200, service::json::TransactionRulesJson);
}

core::Result<HttpResponse> Api::RemoveTrusted(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const int64_t entry, IdParam(call.params[1], "an entry id"));
  JCM_ASSIGN_OR_RETURN(ApprovalLease service, Approvals());
  JCM_ASSIGN_OR_RETURN(auto outcome, service->RemoveTrusted(call.context.principal.Identity(),
                                                            call.params[0], entry, ""));
  return Answer(call, outcome, 200, service::json::TrustedEntryJson);
}

}  // namespace jcm::server
