#include "service/retirements.h"

#include <algorithm>

namespace jcm::service {
namespace {

constexpr int64_t kJournalBatchEntries = 1'000;

}  // namespace

core::Result<std::optional<Retirement>> RetirementOf(const ledger::JournalEntry& entry) {
  if (entry.kind != "transaction") return std::optional<Retirement>();
  const std::optional<std::string_view> type = entry.body.Find("type");
  if (!type || *type != "retirement") return std::optional<Retirement>();
  Retirement retirement;
  retirement.seq = entry.seq;
  retirement.time = entry.time;
  retirement.hash = entry.hash;
  JCM_ASSIGN_OR_RETURN(retirement.registry, entry.body.Get("registry"));
  JCM_ASSIGN_OR_RETURN(retirement.from_account, entry.body.Get("from"));
  JCM_ASSIGN_OR_RETURN(retirement.quantity, entry.body.GetInt("quantity"));
  retirement.beneficiary = std::string(entry.body.Find("beneficiary").value_or(""));
  for (std::string_view text : entry.body.FindAll("created")) {
    core::Result<ledger::UnitBlock> block = ledger::DecodeBlock(text);
    if (!block.ok()) {
      return core::DataLoss("retirement " + std::to_string(entry.seq) + ": " +
                            block.status().message());
    }
    // The remainders of split blocks stay with the source; the rest reached the retirement
    // account.
    if (block->account == retirement.from_account) continue;
    retirement.retirement_account = block->account;
    retirement.blocks.push_back(std::move(*block));
  }
  std::sort(retirement.blocks.begin(), retirement.blocks.end(),
            [](const ledger::UnitBlock& a, const ledger::UnitBlock& b) {
              return a.serial_first < b.serial_first;
            });
  return std::optional<Retirement>(std::move(retirement));
}

core::Result<RetirementPage> ListRetirements(store::Store& store,
                                             const std::optional<std::string>& registry,
                                             int64_t after_seq, int64_t limit) {
  if (after_seq < 0) return core::InvalidArgument("the cursor must be >= 0");
  if (limit < 1 || limit > kRetirementPageMax) {
    return core::InvalidArgument("limit must be 1.." + std::to_string(kRetirementPageMax));
  }
  RetirementPage page;
  int64_t next_seq = after_seq + 1;
  while (true) {
    JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                         store.ReadJournalRange(next_seq, kJournalBatchEntries));
    for (const ledger::JournalEntry& entry : entries) {
      JCM_ASSIGN_OR_RETURN(std::optional<Retirement> retirement, RetirementOf(entry));
      if (!retirement || (registry && retirement->registry != *registry)) continue;
      if (static_cast<int64_t>(page.retirements.size()) == limit) {
        page.next_after_seq = page.retirements.back().seq;
        return page;
      }
      page.retirements.push_back(std::move(*retirement));
    }
    if (static_cast<int64_t>(entries.size()) < kJournalBatchEntries) return page;
    next_seq = entries.back().seq + 1;
  }
}

core::Result<Retirement> FindRetirement(store::Store& store, int64_t seq) {
  if (seq < 1) return core::InvalidArgument("a transaction id is a positive integer");
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries, store.ReadJournalRange(seq, 1));
  if (!entries.empty() && entries.front().seq == seq) {
    JCM_ASSIGN_OR_RETURN(std::optional<Retirement> retirement, RetirementOf(entries.front()));
    if (retirement) return std::move(*retirement);
  }
  return core::NotFound("transaction " + std::to_string(seq) + " is not a retirement");
}

}  // namespace jcm::service
