#include "service/public_queries.h"

#include "service/account_queries.h"

namespace jcm::service {
namespace {

std::string StatusOf(const ledger::Account& holder) {
  if (holder.type == ledger::AccountType::kRetirement) return "retired";
  if (holder.type == ledger::AccountType::kCancellation) return "cancelled";
  return "held";
}

}  // namespace

core::Result<UnitLineage> FindUnit(store::Store& store, const std::string& registry,
                                   int64_t serial) {
  JCM_ASSIGN_OR_RETURN(core::RegistryCode code, core::RegistryCode::Parse(registry));
  if (serial < 1) return core::InvalidArgument("a serial is a positive integer");
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::UnitBlock> holding,
                       store.FindLiveBlockBySerial(code.str(), serial));
  if (!holding) {
    return core::NotFound("no unit " + std::to_string(serial) + " was issued in registry " +
                          registry);
  }
  UnitLineage unit{registry, serial, {std::move(*holding)}, {}, {}};
  // Each block's parent has a smaller id, so the walk ends; the bound guards a corrupt store.
  while (unit.lineage.back().parent_id != 0) {
    const int64_t parent_id = unit.lineage.back().parent_id;
    JCM_ASSIGN_OR_RETURN(std::optional<ledger::UnitBlock> parent, store.FindBlock(parent_id));
    if (!parent || parent_id >= unit.lineage.back().id) {
      return core::DataLoss("block " + std::to_string(unit.lineage.back().id) +
                            " names a missing or later parent " + std::to_string(parent_id));
    }
    unit.lineage.push_back(std::move(*parent));
  }
  const std::string& account = unit.lineage.front().account;
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> holder, store.FindAccount(account));
  if (!holder) return core::DataLoss("block held by a missing account " + account);
  unit.holder = *holder;
  unit.status = StatusOf(*holder);
  return unit;
}

core::Result<JournalPage> ReadJournalPage(store::Store& store, int64_t after_seq, int64_t limit,
                                          JournalView view) {
  if (after_seq < 0) return core::InvalidArgument("since must be >= 0");
  if (limit < 1 || limit > kJournalPageEntriesMax) {
    return core::InvalidArgument("limit must be 1.." + std::to_string(kJournalPageEntriesMax));
  }
  // One entry beyond the page tells whether more follow.
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournalRange(after_seq + 1, limit + 1));
  JournalPage page;
  page.more = static_cast<int64_t>(entries.size()) > limit;
  if (page.more) entries.resize(static_cast<size_t>(limit));
  page.last_seq_read = entries.empty() ? after_seq : entries.back().seq;
  if (view == JournalView::kPublic) {
    std::erase_if(entries, [](const ledger::JournalEntry& e) { return !IsPublicJournalEntry(e); });
  }
  page.entries = std::move(entries);
  return page;
}

}  // namespace jcm::service
