// The registry administrator's routes (docs/api.md, "Administration"): opening an account,
// changing its state (open, suspended, closed), and the users with their roles. Every route is
// Access::kSignedIn; the handler decides with identity::Authorize:
//   - accounts: kManageAccounts on the registry (its registry administrator);
//   - users: kManageUsers on the registry a role concerns — an authorised representative's
//     account's registry, a registry administrator's registry; every other role (JC
//     secretariat, TPE, auditor, system administrator) concerns no registry, so only a system
//     administrator grants or revokes it. The user list shows a registry administrator the users
//     holding a role in its registry, a system administrator everyone.
// Refusals: 403 forbidden (nothing journaled); the ledger's and identity's numbered checks 422.
// The POST's Idempotency-Key binds an account opening or a state change as on the CLI's --key.
#include <boost/json.hpp>

#include "core/account_number.h"
#include "core/record.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/json_body.h"
#include "server/paging.h"
#include "server/problem.h"
#include "service/account_applications.h"
#include "service/account_queries.h"
#include "service/identity_service.h"
#include "service/json/identity_json.h"
#include "service/json/ledger_json.h"
#include "service/registry_service.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

HttpResponse Forbidden(const RouteCall& call, const std::string& what) {
  return Problem(403, "forbidden", call.context.principal.user + " may not " + what,
                 call.target.path, call.context.request_id);
}

bool MayManageAccounts(const RouteCall& call, const std::string& registry) {
  identity::Resource resource;
  resource.registry = registry;
  return identity::Authorize(call.context.principal.Identity(), identity::Action::kManageAccounts,
                             resource);
}

// The registry a role concerns ("" for none); InvalidArgument when the role is malformed.
core::Result<std::string> RegistryOfRole(const std::string& text) {
  JCM_ASSIGN_OR_RETURN(const identity::Role role, identity::Role::Parse(text));
  if (role.kind == identity::RoleKind::kRegistryAdministrator) return role.scope;
  if (role.kind == identity::RoleKind::kAuthorisedRepresentative) {
    JCM_ASSIGN_OR_RETURN(const core::AccountNumber number, core::AccountNumber::Parse(role.scope));
    return number.registry.str();
  }
  return std::string();
}

bool MayManageRole(const RouteCall& call, const std::string& registry) {
  identity::Resource resource;
  resource.registry = registry;
  return identity::Authorize(call.context.principal.Identity(), identity::Action::kManageUsers,
                             resource);
}

template <typename T, typename ToJson>
HttpResponse Answer(const RouteCall& call, const service::OrRejection<T>& outcome, int status,
                    ToJson to_json) {
  if (const auto* rejection = std::get_if<service::Rejection>(&outcome)) {
    return ProblemFromRejection(*rejection, call.target.path, call.context.request_id);
  }
  HttpResponse response = JsonResponse(to_json(std::get<T>(outcome)));
  response.status = status;
  return response;
}

// An account's body: the registry, the type and the holder's fields.
core::Result<JsonBody> DecodeAccountBody(const std::string& body) {
  return DecodeBody(body, {"registry", "type", "holder_name", "holder_name_ja", "representative",
                           "address", "contact"});
}

core::Result<ledger::AccountType> TypeOf(const JsonBody& body) {
  const auto type =
      ledger::AccountTypeFromName(body.contains("type") ? Text(body, "type") : "holding");
  if (!type) return core::InvalidArgument("'type' is holding or government_holding");
  return *type;
}

ledger::Holder HolderOf(const JsonBody& body) {
  return ledger::Holder{Text(body, "holder_name"), Text(body, "holder_name_ja"),
                        Text(body, "representative"), Text(body, "address"), Text(body, "contact")};
}

}  // namespace

core::Result<HttpResponse> Api::OpenAccount(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const JsonBody body, DecodeAccountBody(call.request.body));
  if (Text(body, "registry").empty() || Text(body, "holder_name").empty()) {
    return core::InvalidArgument("'registry' and 'holder_name' are required");
  }
  const std::string registry = Text(body, "registry");
  if (!MayManageAccounts(call, registry)) return Forbidden(call, "open accounts in " + registry);
  JCM_ASSIGN_OR_RETURN(const ledger::AccountType type, TypeOf(body));
  const ledger::OpenAccount open{registry, type, HolderOf(body), call.idempotency_key};
  service::RegistryService service(store_);
  JCM_ASSIGN_OR_RETURN(auto outcome, service.OpenAccount(open));
  return Answer(call, outcome, 201, service::json::AccountOpenedJson);
}

core::Result<HttpResponse> Api::SetAccountState(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"state", "reason"}));
  const auto state = ledger::AccountStateFromName(Text(body, "state"));
  if (!state) return core::InvalidArgument("'state' is open, suspended or closed");
  const std::string& number = call.params[0];
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> account, store_.FindAccount(number));
  // Another registry's account is answered like a missing one (INV-21).
  if (!account || !MayManageAccounts(call, account->registry.str())) {
    return core::NotFound("no account " + number);
  }
  service::RegistryService service(store_);
  JCM_ASSIGN_OR_RETURN(auto outcome,
                       service.ChangeAccountState(ledger::ChangeAccountState{
                           number, *state, Text(body, "reason"), call.idempotency_key}));
  return Answer(call, outcome, 200, service::json::TransactionJson);
}

core::Result<HttpResponse> Api::Users(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  const bool everyone = MayManageRole(call, "");
  bool registry_administrator = false;
  for (const identity::Role& role : call.context.principal.Identity().roles) {
    registry_administrator |= role.kind == identity::RoleKind::kRegistryAdministrator;
  }
  if (!everyone && !registry_administrator) return Forbidden(call, "manage users");
  service::IdentityService identity(store_, identities_);
  JCM_ASSIGN_OR_RETURN(const int64_t now_s, UnixSeconds(clock_->NowUtc()));
  JCM_ASSIGN_OR_RETURN(std::vector<service::UserSummary> users, identity.ListUsers(now_s));
  std::erase_if(users, [&](const service::UserSummary& user) {
    if (everyone) return false;
    for (const std::string& role : user.roles) {
      core::Result<std::string> registry = RegistryOfRole(role);
      if (registry.ok() && !registry->empty() && MayManageRole(call, *registry)) return false;
    }
    return true;
  });
  return ListResponse(call, Page(
                                users, page, [](const service::UserSummary& u) { return u.name; },
                                service::json::UserJson));
}

core::Result<HttpResponse> Api::ChangeRole(const RouteCall& call, bool grant) {
  std::string role = call.params.size() > 1 ? call.params[1] : "";
  if (grant) {
    JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"role"}));
    role = Text(body, "role");
  }
  JCM_ASSIGN_OR_RETURN(const std::string registry, RegistryOfRole(role));
  if (!MayManageRole(call, registry)) return Forbidden(call, "grant or revoke the role " + role);
  service::IdentityService identity(store_, identities_);
  const std::string by = call.context.principal.Identity().user;
  JCM_ASSIGN_OR_RETURN(auto outcome, grant ? identity.GrantRole(call.params[0], role, by)
                                           : identity.RevokeRole(call.params[0], role, by));
  return Answer(call, outcome, grant ? 201 : 200, service::json::UserJson);
}

core::Result<HttpResponse> Api::GrantRole(const RouteCall& call) { return ChangeRole(call, true); }
core::Result<HttpResponse> Api::RevokeRole(const RouteCall& call) {
  return ChangeRole(call, false);
}

// Account applications (service/account_applications.h): anyone signed in applies; the
// administrator of the application's registry decides; an applicant reads its own.
core::Result<HttpResponse> Api::SubmitApplication(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(const JsonBody body, DecodeAccountBody(call.request.body));
  JCM_ASSIGN_OR_RETURN(const ledger::AccountType type, TypeOf(body));
  const service::ApplicationRequest request{Text(body, "registry"), type, HolderOf(body),
                                            call.context.principal.user};
  JCM_ASSIGN_OR_RETURN(auto outcome, service::SubmitApplication(store_, request));
  return Answer(call, outcome, 201, service::json::ApplicationJson);
}

core::Result<HttpResponse> Api::ListApplications(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  service::ApplicationFilter filter;
  filter.registry = StringParam(call.target, "registry");
  if (const std::optional<std::string> state = StringParam(call.target, "state")) {
    filter.state = service::ApplicationStateFromName(*state);
    if (!filter.state) return core::InvalidArgument("'state' is pending, approved or rejected");
  }
  JCM_ASSIGN_OR_RETURN(auto applications, service::ListApplications(store_, filter));
  std::erase_if(applications, [&](const service::AccountApplication& a) {
    return a.applicant != call.context.principal.user && !MayManageAccounts(call, a.registry);
  });
  return ListResponse(call, Page(
                                applications, page,
                                [](const service::AccountApplication& a) {
                                  std::string key = std::to_string(a.id);
                                  return std::string(20 - key.size(), '0') +
                                         key;  // numeric order as text
                                },
                                service::json::ApplicationJson));
}

core::Result<HttpResponse> Api::DecideApplication(const RouteCall& call, bool approve) {
  JCM_ASSIGN_OR_RETURN(auto body, DecodeBody(call.request.body, {"reason", "right"}));
  const std::string& id_text = call.params[0];
  const std::optional<int64_t> parsed = core::ParseInt64(id_text);
  if (!parsed) return core::NotFound("no account application " + id_text);
  const int64_t id = *parsed;
  JCM_ASSIGN_OR_RETURN(const service::AccountApplication application,
                       service::FindApplication(store_, id));
  // Another registry's application is answered like a missing one, as its accounts are.
  if (!MayManageAccounts(call, application.registry)) {
    return core::NotFound("no account application " + id_text);
  }
  service::ApplicationDecision decision{id, approve, Text(body, "reason"), "initiate_and_approve",
                                        call.context.principal.user};
  if (body.contains("right")) decision.right = Text(body, "right");
  JCM_ASSIGN_OR_RETURN(auto outcome, service::DecideApplication(store_, decision));
  return Answer(call, outcome, 200, service::json::ApplicationJson);
}

core::Result<HttpResponse> Api::ApproveApplication(const RouteCall& call) {
  return DecideApplication(call, true);
}
core::Result<HttpResponse> Api::RejectApplication(const RouteCall& call) {
  return DecideApplication(call, false);
}

}  // namespace jcm::server
