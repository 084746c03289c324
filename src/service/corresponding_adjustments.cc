#include "service/corresponding_adjustments.h"

#include <map>
#include <utility>

#include "article6/book.h"
#include "service/article6_service.h"
#include "service/internal/aef_rows.h"
#include "service/internal/append_attempts.h"
#include "service/internal/journal_replay.h"

namespace jcm::service {

using internal::kAppendAttempts;
namespace {

core::Result<article6::NdcBook> ReadNdcBook(store::Store& store) {
  return internal::ReplayJournalFamily<article6::NdcBook>(store, article6::kEventKindPrefix);
}

int YearOfEntry(const ledger::JournalEntry& entry) {
  return static_cast<int>(core::ParseInt64(std::string_view(entry.time).substr(0, 4)).value_or(0));
}

}  // namespace

core::Result<std::vector<article6::CaAction>> CaActionsOf(store::Store& store) {
  JCM_ASSIGN_OR_RETURN(ledger::StoredState state, store.ReadState());
  JCM_ASSIGN_OR_RETURN(std::vector<ledger::JournalEntry> entries,
                       store.ReadJournal(1, "transaction"));
  std::map<int64_t, const ledger::JournalEntry*> entry_at;
  for (const ledger::JournalEntry& entry : entries) entry_at[entry.seq] = &entry;
  std::map<int64_t, const ledger::UnitBlock*> block_by_id;
  for (const ledger::UnitBlock& block : state.blocks) block_by_id[block.id] = &block;
  std::map<std::string, ledger::AccountType> account_type;
  for (const ledger::Account& account : state.accounts) account_type[account.number] = account.type;

  std::vector<article6::CaAction> actions;
  for (const ledger::UnitBlock& block : state.blocks) {
    const auto entry = entry_at.find(block.created_seq);
    if (entry == entry_at.end()) continue;  // created by an import or registry entry: no action
    const std::string_view type = entry->second->body.Find("type").value_or("");
    const auto parent = block_by_id.find(block.parent_id);
    const bool parent_first_transferred =
        parent != block_by_id.end() && parent->second->first_transferred;
    // Units acquired from another registry were first transferred there, if at all: the
    // sending Party's action, in its registry (below), not one this registry records.
    if (block.first_transferred && !parent_first_transferred &&
        !block.first_transferring_party.empty() && type != "external_acquisition") {
      actions.push_back({block.first_transferring_party, YearOfEntry(*entry->second),
                         article6::CaActionKind::kFirstTransfer, block.unit_count});
    }
    const std::optional<int64_t> use_year =
        core::ParseInt64(entry->second->body.Find("use_year").value_or(""));
    // A use toward an NDC is of ITMOs authorised for it: other units a retirement takes along
    // (not ITMOs, or authorised for OIMP only) are no use of this kind (the AEF agrees, INV-63).
    if (use_year && account_type[block.account] == ledger::AccountType::kRetirement &&
        block.itmo_first != 0 && ledger::AllowsNdcUse(block.authorization)) {
      actions.push_back({internal::HoldingParty(block), static_cast<int>(*use_year),
                         article6::CaActionKind::kUse, block.unit_count});
    }
  }
  // The first international transfer of units that may count toward an NDC: an external
  // completion ending them before any first transfer (docs/article6.md, "First transfer").
  for (const ledger::UnitBlock& block : state.blocks) {
    const auto entry = entry_at.find(block.ended_seq);
    if (block.ended_seq == 0 || entry == entry_at.end() || block.itmo_first == 0 ||
        block.first_transferred || !ledger::AllowsNdcUse(block.authorization) ||
        entry->second->body.Find("type").value_or("") != "external_completion") {
      continue;
    }
    actions.push_back({internal::HoldingParty(block), YearOfEntry(*entry->second),
                       article6::CaActionKind::kFirstTransfer, block.unit_count});
  }
  return actions;
}

core::Result<article6::CaLedger> CorrespondingAdjustmentsOf(store::Store& store,
                                                            const std::string& party) {
  if (party.empty()) return core::InvalidArgument("the ledger is a Party's: name one");
  JCM_ASSIGN_OR_RETURN(std::vector<article6::NdcDeclaration> versions,
                       NdcDeclarations(store, party));
  JCM_ASSIGN_OR_RETURN(std::vector<article6::CaAction> actions, CaActionsOf(store));
  return article6::BuildCaLedger(versions.back(), actions);
}

core::Result<OrRejection<NdcDeclarationResult>> DeclareNdc(
    store::Store& store, const article6::NdcDeclarationRequest& request) {
  using Out = OrRejection<NdcDeclarationResult>;
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    JCM_ASSIGN_OR_RETURN(article6::NdcBook book, ReadNdcBook(store));
    auto verdict = article6::DecideDeclareNdc(book, request);
    if (const auto* rejection = std::get_if<article6::Rejection>(&verdict)) {
      return Out(FromArticle6(*rejection));
    }
    if (auto* replay = std::get_if<article6::NdcReplay>(&verdict)) {
      return Out(NdcDeclarationResult{std::move(replay->declaration), true});
    }
    const auto& declaration = std::get<article6::NdcDeclaration>(verdict);
    ledger::AppendEvent command{std::string(article6::kEventNdcDeclaration), declaration.ToRecord(),
                                "", book.last_seq()};
    JCM_ASSIGN_OR_RETURN(store::Outcome outcome, store.Submit(command));
    if (outcome.rejection) {
      if (outcome.rejection->check == ledger::CheckCode::kEventFamilyMoved) continue;
      return Out(FromLedger(*outcome.rejection));
    }
    return Out(NdcDeclarationResult{declaration, false});
  }
  return core::Unavailable("Article 6 records kept changing under this request; try again");
}

core::Result<std::vector<article6::NdcDeclaration>> NdcDeclarations(store::Store& store,
                                                                    const std::string& party) {
  JCM_ASSIGN_OR_RETURN(article6::NdcBook book, ReadNdcBook(store));
  if (party.empty()) return book.LatestAll();
  const std::vector<article6::NdcDeclaration>* versions = book.Versions(party);
  if (versions == nullptr) return core::NotFound("no NDC declaration of " + party + " is recorded");
  return *versions;
}

}  // namespace jcm::service
