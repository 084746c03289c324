// Internal to the service: the AEF's T3 and T4 rows derived from unit blocks (service/aef.h),
// whether the blocks come from the store's blocks table or from the journal's own record of
// them (BlocksOfJournal), so the two derivations can be compared.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "article6/book.h"
#include "core/status.h"
#include "ledger/journal.h"
#include "ledger/types.h"

namespace jcm::service::internal {

struct AefSources {
  std::map<int64_t, const ledger::JournalEntry*> transaction_at;  // "transaction" entries by seq
  std::map<std::string, ledger::AccountType> account_type;        // by account number
  const article6::AuthorisationBook* authorisations = nullptr;
};

// One T3 row and what the consistency checks need of it.
struct AefAction {
  int64_t seq = 0;
  int year = 0;           // of the entry's time (UTC)
  std::string party;      // the Party that reports it
  std::string reference;  // the authorisation cited, "PARTY/ID"
  std::string type;       // "Authorization", "First transfer", …
  int64_t quantity = 0;
  std::vector<std::string> cells;  // the 27 of T3
};

// Whether the block held its units just after journal entry `seq`.
inline bool LiveAt(const ledger::UnitBlock& block, int64_t seq) {
  return block.created_seq <= seq && (block.ended_seq == 0 || block.ended_seq > seq);
}

// The Party whose registry holds the block: units that crossed registries (docs/exchange.md)
// are held in a registry other than the one that issued their serials (UnitBlock::registry).
std::string HoldingParty(const ledger::UnitBlock& block);

// Every action of every Party that the blocks created by entries up to `up_to_seq` record:
// in the order of entries, then blocks, then Authorization, First transfer, Acquisition,
// Use, Cancellation; an external completion's First transfer or Transfer of each block it
// ended, an external acquisition's Acquisition of each block it created.
std::vector<AefAction> DeriveAefActions(std::span<const ledger::UnitBlock> blocks,
                                        const AefSources& sources, int64_t up_to_seq);

// T4 of `party` at `at_seq`: its registry's ITMOs live then in holding accounts, apart from
// those `party` itself first transferred (they left its holdings), in serial order.
std::vector<std::vector<std::string>> DeriveAefHoldings(std::span<const ledger::UnitBlock> blocks,
                                                        const AefSources& sources,
                                                        const std::string& party, int64_t at_seq);

// The blocks as the "transaction" entries record them (`created`, `ended`), with their
// created and ended seqs. DataLoss on a field that does not decode.
core::Result<std::vector<ledger::UnitBlock>> BlocksOfJournal(
    std::span<const ledger::JournalEntry> transactions);

}  // namespace jcm::service::internal
