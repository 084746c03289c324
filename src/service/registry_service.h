// RegistryService: the ledger's use cases (docs/cli.md, "Registry commands") with typed results,
// for every front end. It owns no state besides the store it is given; every write goes through
// store::Store::Submit, so the ledger's checks stay authoritative.
//
// Errors: an error Status when the operation could not be carried out (errors.h); a numbered
// check that failed comes back as a Rejection and nothing changed. Thread-safe as the store is.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/decide.h"
#include "ledger/types.h"
#include "service/errors.h"
#include "store/store.h"

namespace jcm::service {

// A committed ledger entry as reported to the person who asked.
struct TransactionResult {
  int64_t seq = 0;
  std::string type;  // the transaction type ("issuance", "transfer", …) or the entry kind
  std::string time;
  int64_t quantity = 0;                   // units that reached the destination
  std::vector<ledger::UnitBlock> blocks;  // the blocks that reached the destination (issuance: all)
  std::string hash;
  bool replayed = false;  // an idempotent retry: the first result, nothing applied again
};

// The typed result of a store outcome: the rejection, or the entry with the blocks that reached
// the destination ("to" of the entry; remainders left with the source are not listed).
core::Result<OrRejection<TransactionResult>> TransactionResultOf(const store::Outcome& outcome);

struct InitResult {
  std::vector<std::string> initialised;  // registries created now (existing ones are skipped)
};

struct AccountOpened {
  ledger::Account account;
  int64_t seq = 0;
  bool replayed = false;
};

// An account with the units it holds (the store maintains the balance on every write).
using AccountBalance = store::AccountBalance;

struct Holdings {
  ledger::Account account;
  int64_t units = 0;
  std::vector<ledger::UnitBlock> blocks;  // live, ascending serials
};

// Units per account type of one registry, and how many accounts it has.
struct RegistryBalances {
  int64_t accounts = 0;
  std::map<ledger::AccountType, int64_t> units_by_type;
};

// The live units of each account (all registries, or one), in account-number order, from the
// balances the store maintains: O(accounts), never a scan of the blocks (INV-12).
core::Result<std::vector<AccountBalance>> AccountBalances(
    store::Store& store, const std::optional<std::string>& registry);

// The registry summary's ledger half: units per account type, from AccountBalances.
core::Result<RegistryBalances> AccountTypeTotals(store::Store& store, const std::string& registry);

class RegistryService {
 public:
  // `store` must outlive the service.
  explicit RegistryService(store::Store& store) : store_(store) {}

  // Initialises each registry not yet present (with its government accounts); idempotent. An
  // unknown code is check 5 before any registry is initialised.
  core::Result<OrRejection<InitResult>> InitRegistries(const std::vector<std::string>& codes);
  core::Result<OrRejection<AccountOpened>> OpenAccount(const ledger::OpenAccount& command);
  core::Result<std::vector<AccountBalance>> ListAccounts(
      const std::optional<std::string>& registry);
  core::Result<OrRejection<TransactionResult>> ChangeAccountState(
      const ledger::ChangeAccountState& command);
  // REQUIRES: request.type is kIssuance.
  core::Result<OrRejection<TransactionResult>> Issue(const ledger::TransactionRequest& request);
  // Transfer, retirement or cancellation. REQUIRES: request.type is not kIssuance.
  core::Result<OrRejection<TransactionResult>> Move(const ledger::TransactionRequest& request);
  // NotFound when the account does not exist.
  core::Result<Holdings> GetHoldings(const std::string& account);
  // The bytes of a stored document; NotFound when none has this SHA-256.
  core::Result<std::string> GetDocument(const std::string& sha256);
  // The JC decisions recorded for a registry (or all), with what each has executed so far.
  core::Result<std::vector<ledger::JcDecision>> Decisions(
      const std::optional<std::string>& registry);
  // Replaces a registry's policy (journaled; --key retries as every mutation).
  core::Result<OrRejection<TransactionResult>> SetPolicy(const ledger::SetRegistryPolicy& command);

 private:
  core::Result<OrRejection<TransactionResult>> Commit(const ledger::Command& command);

  store::Store& store_;
};

}  // namespace jcm::service
