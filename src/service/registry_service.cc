#include "service/registry_service.h"

#include <algorithm>

#include "core/registry_code.h"
#include "service/article6_service.h"

namespace jcm::service {
namespace {

using TransactionOutcome = OrRejection<TransactionResult>;

}  // namespace

core::Result<OrRejection<TransactionResult>> TransactionResultOf(const store::Outcome& outcome) {
  if (outcome.rejection) return TransactionOutcome(FromLedger(*outcome.rejection));
  const ledger::JournalEntry& entry = outcome.entry;
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::UnitBlock> created, ledger::CreatedBlocks(entry));
  TransactionResult result;
  result.seq = entry.seq;
  result.type = std::string(entry.body.Find("type").value_or(entry.kind));
  result.time = entry.time;
  result.hash = entry.hash;
  result.replayed = outcome.replayed;
  const std::string to(entry.body.Find("to").value_or(""));
  // An Article 6 authorisation leaves every block in its account: its result is what now cites.
  const bool authorising = result.type == "article6_authorisation";
  const std::string cited(entry.body.Find("article6_authorisation").value_or(""));
  for (ledger::UnitBlock& block : created) {
    if (authorising && block.article6_authorisation != cited) continue;  // left as it was
    if (!authorising && !to.empty() && block.account != to) continue;    // left with the source
    result.quantity += block.unit_count;
    result.blocks.push_back(std::move(block));
  }
  return TransactionOutcome(std::move(result));
}

core::Result<std::vector<AccountBalance>> AccountBalances(
    store::Store& store, const std::optional<std::string>& registry) {
  return store.ListBalances(registry);
}

core::Result<RegistryBalances> AccountTypeTotals(store::Store& store, const std::string& registry) {
  JCM_ASSIGN_OR_RETURN(std::vector<AccountBalance> balances, AccountBalances(store, registry));
  RegistryBalances totals;
  totals.accounts = static_cast<int64_t>(balances.size());
  for (const AccountBalance& balance : balances) {
    totals.units_by_type[balance.account.type] += balance.units;
  }
  return totals;
}

core::Result<OrRejection<InitResult>> RegistryService::InitRegistries(
    const std::vector<std::string>& codes) {
  // Every code is checked before the first is initialised, so a typo initialises nothing.
  for (const std::string& code : codes) {
    if (auto parsed = core::RegistryCode::Parse(code); !parsed.ok()) {
      return OrRejection<InitResult>(FromLedger(
          ledger::Rejection{ledger::CheckCode::kRegistryUnknown, parsed.status().message()}));
    }
  }
  JCM_ASSIGN_OR_RETURN(std::vector<std::string> existing, store_.ListRegistries());
  InitResult result;
  for (const std::string& code : codes) {
    if (std::find(existing.begin(), existing.end(), code) != existing.end()) continue;
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(ledger::InitRegistry{code}));
    // Another process initialised it since the list above: as if it had been listed.
    if (outcome.rejection && outcome.rejection->check == ledger::CheckCode::kRegistryExists) {
      continue;
    }
    if (outcome.rejection) return OrRejection<InitResult>(FromLedger(*outcome.rejection));
    result.initialised.push_back(code);
    existing.push_back(code);  // a code listed twice is initialised once
  }
  return OrRejection<InitResult>(std::move(result));
}

core::Result<OrRejection<AccountOpened>> RegistryService::OpenAccount(
    const ledger::OpenAccount& command) {
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(command));
  if (outcome.rejection) return OrRejection<AccountOpened>(FromLedger(*outcome.rejection));
  const std::string number(outcome.entry.body.Find("account").value_or(""));
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> account, store_.FindAccount(number));
  if (!account) {
    return core::DataLoss("journal entry " + std::to_string(outcome.entry.seq) +
                          " opened account '" + number + "', which the store does not hold");
  }
  return OrRejection<AccountOpened>(
      AccountOpened{std::move(*account), outcome.entry.seq, outcome.replayed});
}

core::Result<std::vector<AccountBalance>> RegistryService::ListAccounts(
    const std::optional<std::string>& registry) {
  return AccountBalances(store_, registry);
}

core::Result<std::vector<ledger::JcDecision>> RegistryService::Decisions(
    const std::optional<std::string>& registry) {
  return store_.ListDecisions(registry);
}

core::Result<OrRejection<TransactionResult>> RegistryService::SetPolicy(
    const ledger::SetRegistryPolicy& command) {
  return Commit(command);
}

core::Result<OrRejection<TransactionResult>> RegistryService::ChangeAccountState(
    const ledger::ChangeAccountState& command) {
  return Commit(command);
}

core::Result<OrRejection<TransactionResult>> RegistryService::Issue(
    const ledger::TransactionRequest& request) {
  JCM_CHECK(request.type == ledger::TransactionType::kIssuance, "Issue takes issuances only");
  return Commit(request);
}

core::Result<OrRejection<TransactionResult>> RegistryService::Move(
    const ledger::TransactionRequest& request) {
  JCM_CHECK(request.type != ledger::TransactionType::kIssuance, "Move takes no issuance");
  if (request.type != ledger::TransactionType::kRetirement &&
      request.type != ledger::TransactionType::kCancellation) {
    return Commit(request);
  }
  // Units whose authorisation makes their use or cancellation their first transfer (OIMP) are
  // first transferred by this one (docs/article6.md, "First transfer").
  ledger::TransactionRequest using_units = request;
  JCM_ASSIGN_OR_RETURN(using_units.first_transfer_at_use,
                       Article6Service(store_).FirstTransferAtUse());
  return Commit(using_units);
}

core::Result<Holdings> RegistryService::GetHoldings(const std::string& account) {
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> found, store_.FindAccount(account));
  if (!found) return core::NotFound("no account " + account);
  Holdings holdings;
  holdings.account = std::move(*found);
  JCM_ASSIGN_OR_RETURN(holdings.blocks, store_.LiveBlocks(account));
  for (const ledger::UnitBlock& block : holdings.blocks) holdings.units += block.unit_count;
  return holdings;
}

core::Result<std::string> RegistryService::GetDocument(const std::string& sha256) {
  JCM_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.GetDocument(sha256));
  if (!bytes) return core::NotFound("no stored document with SHA-256 " + sha256);
  return std::move(*bytes);
}

core::Result<OrRejection<TransactionResult>> RegistryService::Commit(
    const ledger::Command& command) {
  JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store_.Submit(command));
  return TransactionResultOf(outcome);
}

}  // namespace jcm::service
