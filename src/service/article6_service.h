// Article6Service: Article 6.2 authorisations as records (docs/article6.md), for every front
// end — the CLI (`jcm article6 authorisation …`) now, the HTTP API later.
//
// The rules are src/article6's (book.h); this class gives them the state replayed from the
// journal's "article6.*" entries, cached with the seq of the last one applied. A new version
// is appended with the family head as its optimistic lock (check 23): when another process
// recorded an authorisation meanwhile the service refreshes and decides again, so two
// processes never both record version n of one authorisation (INV-40).
//
// Not thread-safe: one Article6Service per thread (it holds a cache), sharing one store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "article6/book.h"
#include "core/status.h"
#include "ledger/types.h"
#include "service/errors.h"
#include "service/registry_service.h"
#include "store/store.h"

namespace jcm::service {

Rejection FromArticle6(const article6::Rejection& rejection);

// The flag a block carries for an authorisation's purposes: ndc for NDC, oimp for OIMP, IMP or
// OP, ndc+oimp for "NDC and …" (so the retirement policy, check 19, reads the authorisation).
ledger::Authorization AuthorizationFlagOf(article6::Purpose purposes);

// Units of an account to authorise: `quantity` units, the given serials or, without serials,
// the oldest units that cite no authorisation yet.
struct AuthoriseUnits {
  std::string account;
  int64_t quantity = 0;
  std::string serials;    // optional "FIRST..LAST"
  std::string reference;  // "PARTY/ID"
  std::string idempotency_key;
};

struct AuthorisationResult {
  article6::Authorisation authorisation;
  bool replayed = false;  // this version with this content was recorded before
};

class Article6Service {
 public:
  // `store` must outlive the service.
  explicit Article6Service(store::Store& store) : store_(store) {}

  // Records a version of an authorisation: checks 600–616.
  core::Result<OrRejection<AuthorisationResult>> AddAuthorisation(
      const article6::AuthorisationRequest& request);
  // The version in force of every authorisation, of one Party when `party` is not empty.
  core::Result<std::vector<article6::Authorisation>> ListAuthorisations(const std::string& party);
  // Every version of one authorisation, oldest first. NotFound when none is recorded.
  core::Result<std::vector<article6::Authorisation>> AuthorisationVersions(const std::string& party,
                                                                           const std::string& id);

  // An issuance whose units cite the authorisation `reference` ("PARTY/ID"): check 617 when it
  // is not recorded, then the ledger's checks with the version in force's cap (620). The
  // request's `authorization` flag becomes the one its purposes give, and the units carry its
  // cooperative approach and ITMO IDs, first transferred when the rule says so (docs/article6.md).
  core::Result<OrRejection<TransactionResult>> IssueCiting(ledger::TransactionRequest request,
                                                           const std::string& reference);
  // Units already held come to cite an authorisation (an article6_authorisation transaction):
  // 617, then the ledger's checks 6–10, 17, 18, 20, 620, 621.
  core::Result<OrRejection<TransactionResult>> Authorise(const AuthoriseUnits& request);
  // The authorisations ("PARTY/ID", versions in force) whose OIMP first transfer is the use or
  // cancellation of their units: what a retirement or cancellation passes to the ledger.
  core::Result<std::vector<std::string>> FirstTransferAtUse();

 private:
  core::Status Refresh();
  // Check 617, or the request citing the version in force of `reference`.
  core::Result<std::optional<Rejection>> Cite(const std::string& reference,
                                              ledger::TransactionRequest* request);

  store::Store& store_;
  article6::AuthorisationBook book_;
};

}  // namespace jcm::service
