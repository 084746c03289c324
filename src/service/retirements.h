// Retirements as the public sees them (issue 10 "retirements with beneficiaries") and as a
// retirement certificate states them: read from the journal's retirement transactions, so what
// is shown is what was committed and hash-chained (docs/formats/journal.md).
//
// Errors: NotFound when the entry does not exist or is not a retirement; InvalidArgument for a
// malformed request; DataLoss when a stored retirement entry cannot be decoded. Thread-safe as
// the store is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/reader.h"
#include "ledger/types.h"
#include "store/store.h"

namespace jcm::service {

inline constexpr int64_t kRetirementPageMax = 1'000;

struct Retirement {
  int64_t seq = 0;  // the journal entry (the transaction id)
  std::string time;
  std::string registry;
  std::string from_account;
  std::string retirement_account;
  int64_t quantity = 0;
  std::string beneficiary;
  // The blocks that reached the retirement account, ascending serials: their serial ranges,
  // project, monitoring period and Article 6 authorisation.
  std::vector<ledger::UnitBlock> blocks;
  std::string hash;  // the entry's hash, which the journal chain covers
};

// Decodes a journal entry; nullopt when it is not a retirement transaction.
core::Result<std::optional<Retirement>> RetirementOf(const ledger::JournalEntry& entry);

struct RetirementPage {
  std::vector<Retirement> retirements;  // seq > after_seq, ascending
  int64_t next_after_seq = 0;           // 0: no more; else where the next page starts
};

// At most `limit` (1..kRetirementPageMax) retirements after `after_seq`, of one registry or
// all. Reads the journal forward in bounded pages (a retirement index can replace the scan
// without changing this contract).
core::Result<RetirementPage> ListRetirements(store::Store& store,
                                             const std::optional<std::string>& registry,
                                             int64_t after_seq, int64_t limit);

// The retirement committed as journal entry `seq`.
core::Result<Retirement> FindRetirement(store::Store& store, int64_t seq);

}  // namespace jcm::service
