// The authorisations recorded so far, replayed from the journal's "article6.*" entries (no
// table), and the decision to record another version (docs/article6.md).
//
// Versions of one authorisation (Party, ID) are 1, 2, … with no gap, each recorded once and
// never changed; the latest is in force (INV-40). Apply re-checks that order on replay, so a
// journal that breaks it reads as DataLoss. DecideAdd is pure: it returns the authorisation to
// journal, a Replay when the same version with the same content is already recorded (a retry
// needs no idempotency key: the version is its own key), or the first failing check.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "article6/authorisation.h"
#include "core/record.h"
#include "core/status.h"

namespace jcm::article6 {

// Event kinds. Persisted: never rename one.
inline constexpr std::string_view kEventKindPrefix = "article6.";
inline constexpr std::string_view kEventAuthorisation = "article6.authorisation";

class AuthorisationBook {
 public:
  // Applies one journal entry of the article6.* family (others of the family are skipped, so an
  // older binary reads a newer journal's authorisations). DataLoss on a malformed body or a
  // version out of order (INV-40).
  core::Status Apply(std::string_view kind, const core::Record& body, int64_t seq);

  // Every version of (party, id), oldest first; nullptr when none is recorded.
  const std::vector<Authorisation>* Versions(const std::string& party, const std::string& id) const;
  // The version in force: the latest.
  const Authorisation* Latest(const std::string& party, const std::string& id) const;
  // The latest version of every authorisation, by Party then ID; of one Party when not empty.
  std::vector<const Authorisation*> LatestAll(const std::string& party = "") const;

  int64_t last_seq() const { return last_seq_; }

 private:
  std::map<std::pair<std::string, std::string>, std::vector<Authorisation>> versions_;
  int64_t last_seq_ = 0;
};

struct Replay {
  std::string party;
  std::string id;
  int64_t version = 0;
};

using Verdict = std::variant<Authorisation, Replay, Rejection>;

// Checks 600–616: the authorisation to journal as kEventAuthorisation, a replay, or the
// rejection.
Verdict DecideAdd(const AuthorisationBook& book, const AuthorisationRequest& request);

}  // namespace jcm::article6
