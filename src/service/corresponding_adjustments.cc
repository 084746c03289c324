#include "service/corresponding_adjustments.h"

#include <utility>

#include "article6/book.h"
#include "service/article6_service.h"
#include "service/internal/journal_replay.h"

namespace jcm::service {
namespace {

// Attempts to decide again after another process journaled an article6 event meanwhile.
constexpr int kAppendAttempts = 5;

core::Result<article6::NdcBook> ReadNdcBook(store::Store& store) {
  return internal::ReplayJournalFamily<article6::NdcBook>(store, article6::kEventKindPrefix);
}

}  // namespace

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
