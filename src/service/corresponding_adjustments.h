// Corresponding adjustments for every front end (issue 11 §3; docs/article6.md, "Corresponding
// adjustments"): a Party's NDC declaration as a journaled record, and its per-year adjustment
// ledger derived from the registry's actions.
//
// The rules are src/article6's (corresponding_adjustment.h); this file gives them the state
// replayed from the journal's "article6.*" entries. A new declaration is appended with the
// family head as its optimistic lock (check 23), decided again when another process recorded
// one meanwhile, so two processes never both record version n.
#pragma once

#include <string>
#include <vector>

#include "article6/corresponding_adjustment.h"
#include "core/status.h"
#include "service/errors.h"
#include "store/store.h"

namespace jcm::service {

struct NdcDeclarationResult {
  article6::NdcDeclaration declaration;
  bool replayed = false;  // this version with this content was recorded before
};

// Records a version of a Party's NDC declaration: checks 600, 640–645.
core::Result<OrRejection<NdcDeclarationResult>> DeclareNdc(
    store::Store& store, const article6::NdcDeclarationRequest& request);

// Every version of `party`'s declaration, oldest first, or without a Party the version in force
// of every Party's.
core::Result<std::vector<article6::NdcDeclaration>> NdcDeclarations(store::Store& store,
                                                                    const std::string& party);

// The actions this registry's records show, for every Party (docs/article6.md, "Corresponding
// adjustments"): a first transfer wherever a block's units became first transferred (a block
// first transferred whose parent was not, or issued so), for the block's first-transferring
// Party in the year of the entry that made it; a use wherever units authorised for NDC use were
// retired (a block with ITMO IDs and an NDC authorisation created in a retirement account by an
// entry with `use_year`), for the Party of the retiring registry in that year.
core::Result<std::vector<article6::CaAction>> CaActionsOf(store::Store& store);

// The ledger of `party` under its declaration in force, over CaActionsOf. NotFound when the
// Party declared no NDC.
core::Result<article6::CaLedger> CorrespondingAdjustmentsOf(store::Store& store,
                                                            const std::string& party);

}  // namespace jcm::service
