// Public read use cases the HTTP API serves and the CLI has no command for yet: a unit looked
// up by its serial (the block holding it, its lineage back to issuance, its holder or its
// retirement) and the journal read as a bounded feed.
//
// Errors: NotFound for a serial never issued in the registry, InvalidArgument for a malformed
// request; any store error as it came. Thread-safe as the store is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "ledger/reader.h"
#include "ledger/types.h"
#include "store/store.h"

namespace jcm::service {

inline constexpr int64_t kJournalPageEntriesMax = 1'000;

// Where one unit is now and how it got there.
struct UnitLineage {
  std::string registry;
  int64_t serial = 0;
  // The live block holding the unit, then its parent, …, ending with the block its issuance
  // created (parent_id 0). Never empty.
  std::vector<ledger::UnitBlock> lineage;
  ledger::Account holder;  // the account of lineage.front()
  // "held", "retired" (in the registry's retirement account) or "cancelled".
  std::string status;
};

// The unit `serial` of `registry`: one index probe for the live block holding it, then one
// read by id per block of its lineage (Store::FindLiveBlockBySerial, FindBlock).
core::Result<UnitLineage> FindUnit(store::Store& store, const std::string& registry,
                                   int64_t serial);

struct JournalPage {
  std::vector<ledger::JournalEntry> entries;  // seq > after_seq, ascending, at most the limit
  bool more = false;                          // entries after the last one read exist
  // The seq of the last entry read (shown or withheld), or after_seq when none: the next page
  // starts after it.
  int64_t last_seq_read = 0;
};

// Which entries a page shows.
enum class JournalView {
  kWhole,   // every entry (auditors, system administrators, the CLI)
  kPublic,  // only service::IsPublicJournalEntry (account_queries.h); the rest is skipped
};

// The entries among the `limit` (1..kJournalPageEntriesMax) after `after_seq` (>= 0) that
// `view` shows; reads limit + 1 entries from the store, whatever the journal's length. A public
// page may hold fewer than `limit` entries (even none) while `more` is true.
core::Result<JournalPage> ReadJournalPage(store::Store& store, int64_t after_seq, int64_t limit,
                                          JournalView view = JournalView::kWhole);

}  // namespace jcm::service
