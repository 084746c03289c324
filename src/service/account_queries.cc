#include "service/account_queries.h"

namespace jcm::service {
namespace {

// The holder account of a `created` field: id|registry|serial_first|unit_count|account|…
std::string_view CreatedBlockAccount(std::string_view created) {
  for (int separators = 0; separators < 4; ++separators) {
    const size_t bar = created.find('|');
    if (bar == std::string_view::npos) return {};
    created.remove_prefix(bar + 1);
  }
  return created.substr(0, created.find('|'));
}

}  // namespace

bool TransactionInvolves(const ledger::JournalEntry& entry, const std::string& account) {
  if (entry.kind != "transaction") return false;
  if (entry.body.Find("from") == account || entry.body.Find("to") == account) return true;
  for (const std::string_view created : entry.body.FindAll("created")) {
    if (CreatedBlockAccount(created) == account) return true;
  }
  return false;
}

core::Result<AccountHistoryPage> AccountHistory(store::Store& store, const std::string& account,
                                                int64_t after_seq, int64_t limit) {
  if (after_seq < 0) return core::InvalidArgument("cursor must name a seq >= 0");
  if (limit < 1 || limit > kAccountHistoryEntriesMax) {
    return core::InvalidArgument("limit must be 1.." + std::to_string(kAccountHistoryEntriesMax));
  }
  JCM_ASSIGN_OR_RETURN(std::optional<ledger::Account> found, store.FindAccount(account));
  if (!found) return core::NotFound("no account " + account);
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(after_seq + 1, "transaction"));
  AccountHistoryPage page;
  for (ledger::JournalEntry& entry : entries) {
    if (!TransactionInvolves(entry, account)) continue;
    if (static_cast<int64_t>(page.entries.size()) == limit) {
      page.more = true;
      break;
    }
    page.entries.push_back(std::move(entry));
  }
  return page;
}

identity::Resource AccountResource(const ledger::Account& account) {
  identity::Resource resource;
  resource.registry = account.registry.str();
  resource.account = account.number;
  resource.government_account = account.type != ledger::AccountType::kEntityHolding;
  return resource;
}

bool IsPublicJournalEntry(const ledger::JournalEntry& entry) {
  const std::string_view kind = entry.kind;
  // log.*: the transparency log's witnesses (names, public keys) and co-signatures. article6.*:
  // a Party's authorisations (with the legal entities they name, as the AEF's T5 publishes
  // them), NDC declarations, frozen T4s and submitted AEF versions — what Article 6.2 reporting
  // makes public (docs/article6.md).
  if (kind.starts_with("registry.") || kind.starts_with("cycle.") || kind.starts_with("log.") ||
      kind.starts_with("article6.")) {
    return true;
  }
  if (kind != "transaction") return false;
  // Every ledger transaction (docs/decisions/0002-public-feed-publishes-transfers.md): the unit
  // look-up already shows each block's account, and a public verifier must reach every step of
  // a credit's lineage — an Article 6 authorisation splits blocks too, and which units a Party
  // authorised is public (CARP lists authorisations). A type this version does not know stays
  // withheld (fail closed).
  const std::optional<std::string_view> type = entry.body.Find("type");
  return type == "issuance" || type == "transfer" || type == "retirement" ||
         type == "cancellation" || type == "article6_authorisation";
}

}  // namespace jcm::service
