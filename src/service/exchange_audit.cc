// The audit's look at external transfers (INV-57; service/audit_service.h): every transfer this
// registry sent is final or within its time limit at the audit's clock. The sender alone
// decides, and its `tick` fails what is overdue, so a transfer still proposed after its deadline
// is one no process failed — its units held in the transit account beyond what was promised.
#include <map>

#include "service/internal/exchange_state.h"

namespace jcm::service::internal {

constexpr std::string_view kExchangeInvariant = "INV-57";

std::vector<ledger::Violation> AuditExternalTransfers(std::span<const ledger::JournalEntry> journal,
                                                      int64_t now_s) {
  std::vector<ledger::Violation> violations;
  ExchangeState state;
  std::map<std::string, int64_t> proposed_at;  // transaction -> its transfer_proposed entry
  for (const ledger::JournalEntry& entry : journal) {
    if (!entry.kind.starts_with(exchange::kEventKindPrefix)) continue;
    core::Status applied = state.Apply(entry);
    if (!applied.ok()) {
      violations.push_back({std::string(kExchangeInvariant), entry.seq,
                            "the exchange events do not replay: " + applied.message()});
      return violations;
    }
    if (entry.kind == exchange::kEventTransferProposed) {
      proposed_at[std::string(entry.body.Find("transaction").value_or(""))] = entry.seq;
    }
  }
  for (const auto& [transaction, transfer] : state.book.outgoing()) {
    if (transfer.machine.state != exchange::OutgoingState::kProposed ||
        transfer.machine.deadline_s >= now_s) {
      continue;
    }
    violations.push_back({std::string(kExchangeInvariant), proposed_at[transaction],
                          "external transfer " + transaction + " to " + transfer.peer.str() +
                              " is still proposed after its time limit " +
                              IsoOfUnixSeconds(transfer.machine.deadline_s) +
                              " (run jcm exchange tick)"});
  }
  return violations;
}

}  // namespace jcm::service::internal
