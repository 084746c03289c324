// The account routes of the Api (docs/api.md, "Accounts"): the accounts a principal may read,
// one account with its holdings by block, and its committed transactions. Each route is
// Access::kSignedIn; the handler decides the precise right with identity::Authorize
// (Action::kReadAccount) on the account's resource. An account the principal may not read is
// answered exactly like one that does not exist (404 not_found, same detail), so the answer does
// not tell whether another's account exists.
#include <boost/json.hpp>

#include "core/registry_code.h"
#include "server/api.h"
#include "server/paging.h"
#include "service/account_queries.h"
#include "service/json/ledger_json.h"
#include "service/json/public_json.h"
#include "service/registry_service.h"

namespace jcm::server {
namespace {

namespace bj = boost::json;

bool MayRead(const RouteCall& call, const ledger::Account& account) {
  return identity::Authorize(call.context.principal.Identity(), identity::Action::kReadAccount,
                             service::AccountResource(account));
}

core::Status NoSuchAccount(const std::string& number) {
  return core::NotFound("no account " + number);
}

// The account `number` when it exists and the caller may read it; otherwise NotFound, the same
// for both.
core::Result<ledger::Account> ReadableAccount(store::Store& store, const RouteCall& call,
                                              const std::string& number) {
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> account, store.FindAccount(number));
  if (!account || !MayRead(call, *account)) return NoSuchAccount(number);
  return std::move(*account);
}

// A history cursor is the seq of the last entry returned, in decimal.
core::Result<int64_t> HistoryAfter(const PageRequest& page) {
  if (!page.after) return 0;
  const std::optional<int64_t> seq = core::ParseInt64(*page.after);
  if (!seq || *seq < 0) return core::InvalidArgument("cursor is not one this server made");
  return *seq;
}

}  // namespace

core::Result<HttpResponse> Api::Accounts(const RouteCall& call) {
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  const std::optional<std::string> registry = StringParam(call.target, "registry");
  if (registry) JCM_RETURN_IF_ERROR(core::RegistryCode::Parse(*registry).status());
  JCM_ASSIGN_OR_RETURN(std::vector<service::AccountBalance> balances,
                       service::AccountBalances(store_, registry));
  // Only the accounts the principal may read are listed: an AR sees its own, a registry
  // administrator its registry's, an auditor all.
  std::erase_if(balances,
                [&](const service::AccountBalance& b) { return !MayRead(call, b.account); });
  return ListResponse(
      call, Page(
                balances, page, [](const service::AccountBalance& b) { return b.account.number; },
                [](const service::AccountBalance& b) {
                  return service::json::AccountListJson({b}).at(0);
                }));
}

core::Result<HttpResponse> Api::Account(const RouteCall& call) {
  const std::string& number = call.params[0];
  JCM_RETURN_IF_ERROR(ReadableAccount(store_, call, number).status());
  service::RegistryService registry(store_);
  core::Result<service::Holdings> holdings = registry.GetHoldings(number);
  if (!holdings.ok() && holdings.status().code() == core::StatusCode::kNotFound) {
    return NoSuchAccount(number);
  }
  JCM_RETURN_IF_ERROR(holdings.status());
  bj::object document = service::json::AccountJson(holdings->account);
  document["total"] = holdings->units;
  document["blocks"] = service::json::HoldingsJson(*holdings).at("blocks");
  return JsonResponse(document);
}

core::Result<HttpResponse> Api::AccountHistory(const RouteCall& call) {
  const std::string& number = call.params[0];
  JCM_ASSIGN_OR_RETURN(PageRequest page, PageOf(call.target));
  JCM_ASSIGN_OR_RETURN(int64_t after, HistoryAfter(page));
  JCM_RETURN_IF_ERROR(ReadableAccount(store_, call, number).status());
  JCM_ASSIGN_OR_RETURN(service::AccountHistoryPage history,
                       service::AccountHistory(store_, number, after, page.limit));
  bj::array items;
  for (const ledger::JournalEntry& entry : history.entries) {
    items.push_back(service::json::JournalEntryJson(entry));
  }
  bj::value next = nullptr;
  if (history.more) next = EncodeCursor(std::to_string(history.entries.back().seq));
  return ListResponse(call, {{"items", std::move(items)}, {"next", std::move(next)}});
}

}  // namespace jcm::server
