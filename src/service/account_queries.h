// Account read use cases the HTTP API serves to the people entitled to them (docs/api.md,
// "Accounts"): an account's committed ledger transactions as a bounded, keyset-paged history,
// and which journal entries the public may read (the journal feed's public view).
//
// Who may read an account is decided by the caller with identity::Authorize
// (Action::kReadAccount); these functions only read. Errors: InvalidArgument for a malformed
// request, NotFound for an account that does not exist; any store error as it came.
// Thread-safe as the store is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "identity/access.h"
#include "ledger/reader.h"
#include "ledger/types.h"
#include "store/store.h"

namespace jcm::service {

inline constexpr int64_t kAccountHistoryEntriesMax = 1'000;

struct AccountHistoryPage {
  std::vector<ledger::JournalEntry> entries;  // seq > after_seq, ascending, at most the limit
  bool more = false;                          // later transactions of the account exist
};

// True when the `transaction` entry moves units into or out of `account`: its `from` or `to`,
// or the holder of a block it created (an issuance's targets).
bool TransactionInvolves(const ledger::JournalEntry& entry, const std::string& account);

// The `transaction` entries after `after_seq` that involve `account` (at most `limit`,
// 1..kAccountHistoryEntriesMax). Reads the journal's transactions after `after_seq` (the store
// keeps no index by account yet: docs/api.md, "Known limits").
core::Result<AccountHistoryPage> AccountHistory(store::Store& store, const std::string& account,
                                                int64_t after_seq, int64_t limit);

// The identity::Resource an account is for identity::Authorize.
identity::Resource AccountResource(const ledger::Account& account);

// What the public journal feed shows (docs/api.md, "The journal feed"): `registry.*`, `cycle.*`,
// `log.*`, `article6.*` and the ledger's `transaction` entries (issuance, transfer, retirement,
// cancellation: decision 0002). Withheld: `identity.*` (user names, roles, sign-in failures),
// `account.*` (holders' details), `approval.*` (who proposed and approved what) and any kind or
// transaction type this program does not know (fail closed).
bool IsPublicJournalEntry(const ledger::JournalEntry& entry);

}  // namespace jcm::service
