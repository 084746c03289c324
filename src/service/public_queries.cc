#include "service/public_queries.h"

#include <map>

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
  JCM_ASSIGN_OR_RETURN(ledger::StoredState state, store.ReadState());
  std::map<int64_t, const ledger::UnitBlock*> by_id;
  const ledger::UnitBlock* holding = nullptr;
  for (const ledger::UnitBlock& block : state.blocks) {
    by_id[block.id] = &block;
    const bool contains = block.serial_first <= serial && serial <= block.serial_last();
    if (block.registry == code && block.live() && contains) holding = &block;
  }
  if (holding == nullptr) {
    return core::NotFound("no unit " + std::to_string(serial) + " was issued in registry " +
                          registry);
  }
  UnitLineage unit{registry, serial, {}, {}, {}};
  for (const ledger::UnitBlock* block = holding; block != nullptr;) {
    unit.lineage.push_back(*block);
    if (block->parent_id == 0) break;
    const auto parent = by_id.find(block->parent_id);
    if (parent == by_id.end()) {
      return core::DataLoss("block " + std::to_string(block->id) + " names a missing parent " +
                            std::to_string(block->parent_id));
    }
    block = parent->second;
  }
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> holder, store.FindAccount(holding->account));
  if (!holder) return core::DataLoss("block held by a missing account " + holding->account);
  unit.holder = *holder;
  unit.status = StatusOf(*holder);
  return unit;
}

core::Result<JournalPage> ReadJournalPage(store::Store& store, int64_t after_seq, int64_t limit) {
  if (after_seq < 0) return core::InvalidArgument("since must be >= 0");
  if (limit < 1 || limit > kJournalPageEntriesMax) {
    return core::InvalidArgument("limit must be 1.." + std::to_string(kJournalPageEntriesMax));
  }
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, store.ReadJournal(after_seq + 1));
  JournalPage page;
  page.more = static_cast<int64_t>(entries.size()) > limit;
  if (page.more) entries.resize(static_cast<size_t>(limit));
  page.entries = std::move(entries);
  return page;
}

}  // namespace jcm::service
