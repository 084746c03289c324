// Audit: recomputes the journal's hash chain and every ledger invariant from stored data alone,
// the way SQLite's PRAGMA integrity_check does: it returns the list of violations (empty when
// the registry is sound) rather than a bool, each naming the invariant and the journal entry.
//
// The journal is replayed from the first entry to rebuild the accounts and blocks it implies;
// the rebuilt state must equal the stored tables exactly, so any single edit of a stored
// quantity, block, account or journal row is detected (docs/invariants.md).
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "ledger/reader.h"
#include "ledger/types.h"

namespace jcm::ledger {

// Everything the store holds besides the journal, read back as-is.
struct StoredState {
  std::vector<Account> accounts;
  std::vector<UnitBlock> blocks;  // live and ended
  std::map<std::string, RegistryCounters> registries;
  std::map<std::string, RegistryPolicy> policies;
  std::vector<JcDecision> decisions;        // recorded JC decisions with executed totals
  std::map<std::string, int64_t> balances;  // units held per account, as maintained
  std::map<std::string, IdempotencyRecord> idempotency_keys;  // key -> digest and entry (INV-13)
};

struct Violation {
  std::string invariant;  // "INV-1" …
  int64_t seq = 0;        // the journal entry concerned, 0 when none applies
  std::string message;
};

std::vector<Violation> Audit(std::span<const JournalEntry> journal, const StoredState& stored);

}  // namespace jcm::ledger
